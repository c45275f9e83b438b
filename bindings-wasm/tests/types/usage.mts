// Uses every export of jiko-onboarding; `tsc --noEmit --strict` must accept it. The test
// script also checks that every name exported by the package's index.d.ts appears here.
import {
  Client,
  Session,
  Signer,
  checkUpload,
  newIdempotencyKey,
  nextAction,
  parseAgreements,
  parseApplication,
  parseLogin,
  parseUpload,
  requiredDocuments,
  sandboxScenario,
  validateApplication,
  version,
  JikoError,
  JikoValidationError,
  JikoApiError,
  JikoDocumentError,
} from "jiko-onboarding";
import type {
  Address,
  AgreementCategory,
  AgreementConsent,
  AgreementDocument,
  AgreementType,
  Agreements,
  AnnualIncome,
  ApiErrorKind,
  Application,
  ApplicationStatus,
  ClientConfig,
  CreateApplicationOptions,
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
  IdentificationType,
  InvestmentProfile,
  Name,
  NetWorth,
  NextAction,
  PreparedRequest,
  RequestOptions,
  SandboxScenario,
  SecretOptions,
  UploadedDocument,
  WaitReason,
} from "jiko-onboarding";

const v: string = version();
const key: string = newIdempotencyKey();

// Models are plain objects with the wire names; enums are string-literal unions that
// stay open to values added later.
const name: Name = { first_name: "Jiko", last_name: "Customer" };
const address: Address = { street_address: "2000 Allston Way", city: "Berkeley", postal_code: "94701", state: "CA", country: "US" };
const consent: AgreementConsent = { version: "1", timestamp: "2023-01-01T12:00:00+00:00" };
const employment: EmploymentStatus = "EMPLOYED";
const income: AnnualIncome = "BETWEEN_100K_AND_250K";
const netWorth: NetWorth = "BETWEEN_1M_AND_5M";
const profile: InvestmentProfile = { employment_status: employment, income, net_worth: netWorth, occupation: "Investor" };
const idType: IdentificationType = "SSN";
const application: CreateApplicationRequest = {
  identification_number: "999999999",
  identification_type: idType,
  name,
  email: "jiko@example.com",
  phone_number: "15551234567",
  date_of_birth: "1970-01-01",
  investment_profile: profile,
  agreement_consent: consent,
  address,
};

// Server side: a client, prepared requests sent with fetch, parsed answers.
const config: ClientConfig = { environment: "sandbox", partner: "acme" };
const local: ClientConfig = { base_url: "http://127.0.0.1:8080" };
const secretOptions: SecretOptions = { dangerouslyAllowBrowser: false };
const client = new Client(config, "shared-secret", secretOptions);
const localClient = new Client(local, new Uint8Array([1, 2, 3]));
const baseUrl: string = client.baseUrl + localClient.toJSON().base_url + client.toString();

async function onboard(username: string, password: string): Promise<NextAction> {
  const loginRequest: PreparedRequest = client.login(username, password);
  const loginResponse = await fetch(loginRequest.url, {
    method: loginRequest.method,
    headers: loginRequest.headers,
    body: loginRequest.body,
  });
  const session: Session = parseLogin(loginResponse.status, await loginResponse.text());
  const token: string = session.token;
  const expires: string = session.expires;
  const expiresAt: number = session.expiresAtUnixSeconds;
  const refresh: boolean = session.needsRefresh() || session.needsRefresh(Date.now());
  const shown: { expires: string; expires_at_unix_seconds: number } = session.toJSON();
  void [expires, expiresAt, refresh, shown];

  const requestOptions: RequestOptions = { idempotencyKey: newIdempotencyKey() };
  const agreementsRequest = client.listAgreements(token, requestOptions);
  const agreementsResponse = await fetch(agreementsRequest.url, {
    method: agreementsRequest.method,
    headers: agreementsRequest.headers,
  });
  const agreements: Agreements = parseAgreements(
    agreementsResponse.status,
    new Uint8Array(await agreementsResponse.arrayBuffer()),
    agreementsResponse.headers.get("retry-after"),
  );
  const first: AgreementDocument | undefined = agreements.documents[0];
  const agreementType: AgreementType | undefined = first?.type;
  const category: AgreementCategory | undefined = first?.category;
  void [agreementType, category];

  const createOptions: CreateApplicationOptions = { today: "2026-11-27", idempotencyKey: key };
  const create = client.createApplication(token, { ...application, agreement_consent: { version: agreements.version, timestamp: consent.timestamp } }, createOptions);
  const created = await fetch(create.url, { method: create.method, headers: create.headers, body: create.body });
  // The same from the JSON text of the application.
  const fromText: PreparedRequest = client.createApplication(token, JSON.stringify(application), { today: "2026-11-27" });
  void fromText;
  let app: Application = parseApplication(created.status, await created.arrayBuffer());

  const applyRequest = client.apply(token, app.id);
  const applied = await fetch(applyRequest.url, { method: applyRequest.method, headers: applyRequest.headers, body: applyRequest.body });
  app = parseApplication(applied.status, await applied.text(), applied.headers.get("retry-after"));

  const poll = client.getApplication(token, app.id, {});
  const polled = await fetch(poll.url, { method: poll.method, headers: poll.headers });
  app = parseApplication(polled.status, await polled.text());

  const status: ApplicationStatus = app.status;
  const born: DateOfBirth | undefined = app.date_of_birth;
  const documents: Document[] = app.documents ?? [];
  const documentStatus: DocumentStatus | undefined = documents[0]?.status;
  void [status, born, documentStatus];

  const requirements: DocumentRequirement[] = requiredDocuments(app);
  for (const requirement of requirements) {
    const flag: DocumentFlag = requirement.flag;
    const documentType: DocumentType = requirement.one_of[0] ?? "OTHER";
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    checkUpload(documentType, "image/png", png);
    const upload = client.uploadDocument(token, app.id, documentType, "image/png", png.buffer, { idempotencyKey: newIdempotencyKey() });
    const uploaded = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: upload.body });
    const result: UploadedDocument = parseUpload(uploaded.status, await uploaded.text());
    void [flag, result.success, result.document_id];
  }

  const next: NextAction = nextAction(app);
  switch (next.kind) {
    case "upload_documents": {
      const missing: DocumentRequirement[] = next.requirements;
      void missing;
      break;
    }
    case "wait": {
      const reason: WaitReason = next.reason;
      void reason;
      break;
    }
    case "approved": {
      const customer: string | undefined = next.customer_id;
      void customer;
      break;
    }
    case "unknown": {
      const raw: string = next.status;
      void raw;
      break;
    }
    case "apply":
    case "rejected":
      break;
  }
  return next;
}

// Errors: Error subclasses narrowed with instanceof, stable codes.
function describe(e: unknown): string {
  if (e instanceof JikoValidationError) {
    const code: "validation_failed" = e.code;
    const firstPath: string = e.errors[0].path;
    const all: FieldError[] = e.errors;
    return `${code} ${firstPath} ${all.length}`;
  }
  if (e instanceof JikoApiError) {
    const kind: ApiErrorKind = e.kind;
    const status: number = e.status;
    const retryAfter: number | null = e.retryAfterSeconds;
    const retry: boolean = e.retryable;
    const code: `api_${ApiErrorKind}` = e.code;
    return `${code} ${kind} ${status} ${retryAfter ?? "-"} ${retry} ${e.errors.map((x) => x.path).join()}`;
  }
  if (e instanceof JikoDocumentError) {
    const code: DocumentErrorCode = e.code;
    return code;
  }
  if (e instanceof JikoError) {
    const code: string = e.code;
    const message: string = e.message;
    return `${code}: ${message}`;
  }
  return String(e);
}

// Browser side: no secret needed.
const problems: FieldError[] = validateApplication({ identification_number: "12-34" });
const problemsOn: FieldError[] = validateApplication(application, "2026-11-27");
// JSON text, as a server receives it: a string or bytes.
const problemsInText: FieldError[] = validateApplication(JSON.stringify(application));
const problemsInBytes: FieldError[] = validateApplication(new TextEncoder().encode(JSON.stringify(application)));
void problemsInText;
void problemsInBytes;
const scenario: SandboxScenario = sandboxScenario("211111111");
const afterDocuments: ApplicationStatus | null | undefined = scenario.status_after_documents;

// Signing primitives.
const signer = new Signer("shared-secret", { dangerouslyAllowBrowser: false });
const signature: string = signer.sign(key, "/api/v1/agreements/", "");
const valid: boolean = signer.verify(key, "/api/v1/agreements/", new Uint8Array(), signature);

// Errors can be constructed, e.g. in a test double.
const errors: JikoError[] = [
  new JikoError("message", "invalid_argument"),
  new JikoValidationError("message", "validation_failed", { errors: [{ path: "email", code: "invalid_email", message: "m" }] }),
  new JikoApiError("message", "api_server", { status: 503, kind: "server", errors: [], retryAfterSeconds: null, retryable: true }),
  new JikoDocumentError("message", "empty"),
];

export { onboard, describe, v, baseUrl, problems, problemsOn, afterDocuments, valid, errors };
