// Uses every export of jiko-onboarding/browser; `tsc --noEmit --strict` must accept it.
// The test script also checks that every name exported by browser/index.d.ts appears here.
import {
  checkUpload,
  nextAction,
  parseApplication,
  requiredDocuments,
  sandboxScenario,
  validateApplication,
  validateApplicationJson,
  version,
  JikoError,
  JikoValidationError,
  JikoApiError,
  JikoDocumentError,
  JikoWebhookError,
  JikoFlowError,
  JikoTransportError,
} from "jiko-onboarding/browser";
import type {
  Address,
  AgreementConsent,
  AnnualIncome,
  ApiErrorKind,
  Application,
  ApplicationStatus,
  CreateApplicationRequest,
  DateOfBirth,
  Document,
  DocumentErrorCode,
  DocumentFlag,
  DocumentRequirement,
  DocumentStatus,
  DocumentType,
  EmploymentStatus,
  FieldError,
  FlowErrorCode,
  IdentificationType,
  InvestmentProfile,
  Name,
  NetWorth,
  NextAction,
  SandboxScenario,
  WaitReason,
  WebhookErrorCode,
} from "jiko-onboarding/browser";

// A form typed as the request it becomes on the server.
const name: Name = { first_name: "Jiko", last_name: "Customer" };
const address: Address = { street_address: "1 Main St", city: "Berkeley", postal_code: "94701", state: "CA", country: "US" };
const consent: AgreementConsent = { version: "1.0.0", timestamp: "2026-12-01T12:00:00+00:00" };
const employment: EmploymentStatus = "RETIRED";
const income: AnnualIncome = "BELOW_50K";
const netWorth: NetWorth = "BELOW_50K";
const profile: InvestmentProfile = { employment_status: employment, income, net_worth: netWorth };
const idType: IdentificationType = "SSN";
const form: CreateApplicationRequest = {
  identification_number: "411111111",
  identification_type: idType,
  name,
  email: "jiko@example.com",
  phone_number: "+14155550100",
  date_of_birth: "1970-01-01",
  investment_profile: profile,
  agreement_consent: consent,
  address,
};
const problems: FieldError[] = validateApplication(form);
const problemsOn: FieldError[] = validateApplicationJson(JSON.stringify(form), "2026-12-01");

// An application the page's server passed on, read and explained.
const app: Application = parseApplication(200, '{"id":"x","status":"DOCUMENTS_NEEDED"}');
const status: ApplicationStatus = app.status;
const born: DateOfBirth | undefined = app.date_of_birth;
const documents: Document[] = app.documents ?? [];
const documentStatus: DocumentStatus | undefined = documents[0]?.status;
const requirements: DocumentRequirement[] = requiredDocuments(app);
const flags: DocumentFlag[] = requirements.map((r) => r.flag);
const type: DocumentType = requirements[0]?.one_of[0] ?? "OTHER";
checkUpload(type, "image/png", new Uint8Array([0x89]));
const next: NextAction = nextAction(app);
const reason: WaitReason | undefined = next.kind === "wait" ? next.reason : undefined;
const scenario: SandboxScenario = sandboxScenario("241111111");
const v: string = version();

function describe(e: unknown): string {
  if (e instanceof JikoValidationError) return e.errors.map((x) => x.path).join();
  if (e instanceof JikoApiError) {
    const kind: ApiErrorKind = e.kind;
    return kind;
  }
  if (e instanceof JikoDocumentError) {
    const code: DocumentErrorCode = e.code;
    return code;
  }
  // Never thrown by this entry; shared with the main entry, so that one catch fits both.
  if (e instanceof JikoWebhookError) {
    const code: WebhookErrorCode = e.code;
    return code;
  }
  if (e instanceof JikoFlowError) {
    const code: FlowErrorCode = e.code;
    return code;
  }
  if (e instanceof JikoTransportError) return e.kind;
  if (e instanceof JikoError) return e.code;
  return String(e);
}

export { problems, problemsOn, status, born, documentStatus, flags, reason, scenario, v, describe };
