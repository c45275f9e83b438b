// Uses every export of jiko-onboarding; `tsc --noEmit --strict` must accept it. The test
// script also checks that every name exported by the package's index.d.ts appears here.
import {
  Authenticator,
  Client,
  Flow,
  Onboarding,
  OnboardingFlow,
  Session,
  Signer,
  backoffMs,
  checkUpload,
  maskNumber,
  newIdempotencyKey,
  nextAction,
  parseAccounts,
  parseAgreements,
  parseApplication,
  parseCustomer,
  parseEvents,
  parseLogin,
  parsePortals,
  parseSubscription,
  parseUpload,
  pollDelayMs,
  requiredDocuments,
  retryAfterMs,
  retryDecision,
  sandboxScenario,
  validateApplication,
  validateApplicationJson,
  verifyWebhook,
  version,
  JikoError,
  JikoValidationError,
  JikoApiError,
  JikoDocumentError,
  JikoWebhookError,
  JikoFlowError,
  JikoTransportError,
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
  Account,
  AccountStatus,
  Accounts,
  Amount,
  ApprovedAccount,
  ApprovedCustomer,
  Customer,
  CustomerAccountStatus,
  CustomerType,
  DeliveryAttempt,
  EventPayload,
  EventType,
  Events,
  FlowConfig,
  FlowRestoreOptions,
  FlowResult,
  FlowStartOptions,
  FlowState,
  FlowWaitReason,
  GeneralAddress,
  ListEventsOptions,
  Observed,
  Operation,
  PartnerEvent,
  PollInput,
  PollPolicy,
  PollReason,
  Portal,
  PortalDetails,
  PortalStatus,
  Portals,
  RequestKind,
  RetryDecision,
  RetryInput,
  RetryPolicy,
  RetryReason,
  Step,
  Subscription,
  SubscriptionStatus,
  TransportErrorKind,
  WebhookEvent,
  WebhookErrorCode,
  FlowErrorCode,
  OnboardingOptions,
  OnboardingFetchInit,
  OnboardingFetchResponse,
  OnboardingClock,
  OnboardingEvent,
  RunOptions,
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
  new JikoWebhookError("message", "bad_signature"),
  new JikoFlowError("message", "create_outcome_unknown", { idempotencyKey: "k" }),
  new JikoTransportError("message", "transport_reset", { kind: "reset" }),
];

// After approval: the customer, its accounts, their portals; subscriptions and events.
async function afterApproval(token: string, customerId: string): Promise<string[]> {
  const send = async (r: PreparedRequest) => fetch(r.url, { method: r.method, headers: r.headers });
  const customerResponse = await send(client.getCustomer(token, customerId));
  const customer: Customer = parseCustomer(customerResponse.status, await customerResponse.text());
  const customerType: CustomerType = customer.type;
  const customerStatus: CustomerAccountStatus = customer.account_status;
  const where: GeneralAddress | undefined = customer.address;
  void [customerType, customerStatus, where];
  const accountsResponse = await send(client.listCustomerAccounts(token, customerId, { idempotencyKey: newIdempotencyKey() }));
  const accounts: Accounts = parseAccounts(accountsResponse.status, await accountsResponse.text());
  const shown: string[] = [];
  for (const account of accounts.items) {
    const a: Account = account;
    const accountStatus: AccountStatus = a.status;
    const value: Amount | undefined = a.total_value;
    void [accountStatus, value];
    const portalsResponse = await send(client.listPortals(token, a.id));
    const portals: Portals = parsePortals(portalsResponse.status, await portalsResponse.text());
    for (const portal of portals.portals) {
      const p: Portal = portal;
      const portalStatus: PortalStatus = p.status;
      void portalStatus;
      shown.push(`${maskNumber(p.routing_number)} ${maskNumber(p.account_number)}`);
    }
  }
  const events: EventType[] = ["application.approved", "application.rejected"];
  const subscribe = client.createSubscription(token, "https://partner.example/webhooks", events, "a-long-shared-secret-value");
  const subscribed = await fetch(subscribe.url, { method: subscribe.method, headers: subscribe.headers, body: subscribe.body });
  const subscription: Subscription = parseSubscription(subscribed.status, await subscribed.text());
  const subscriptionStatus: SubscriptionStatus = subscription.status;
  const listOptions: ListEventsOptions = { after: "2026-12-01T00:00:00Z" };
  const page = await send(client.listEvents(token, listOptions));
  const list: Events = parseEvents(page.status, await page.text());
  const first: PartnerEvent | undefined = list.items[0];
  const attempts: DeliveryAttempt[] = first?.delivery_attempts ?? [];
  const payload: EventPayload | undefined = first?.event.payload;
  void [subscriptionStatus, attempts, payload, client.listEvents(token, { cursor: list.next_page ?? undefined })];
  return shown;
}

// Webhooks: verified over the raw body.
function onWebhook(headers: Record<string, string | string[] | undefined>, rawBody: Uint8Array): string | null {
  try {
    const event: WebhookEvent & { application_id: string | null } = verifyWebhook(headers, rawBody, ["a-long-shared-secret-value"]);
    const type: EventType = event.event_type;
    void type;
    return event.application_id;
  } catch (e) {
    if (e instanceof JikoWebhookError) {
      const code: WebhookErrorCode = e.code;
      return code;
    }
    throw e;
  }
}

// The driver: one Onboarding per partner, a Flow per applicant.
const seen: OnboardingEvent[] = [];
const clock: OnboardingClock = { now: () => Date.now(), sleep: (ms, signal) => new Promise((r) => { const t = setTimeout(r, ms); signal.addEventListener("abort", () => clearTimeout(t)); }) };
const customFetch = (input: string, init: OnboardingFetchInit): Promise<OnboardingFetchResponse> => fetch(input, init);
const flowConfig: FlowConfig = { webhooks: true, retry: { max_retries: 3 }, poll: { fast_initial_ms: 1000 } };
const credentials: OnboardingOptions = {
  username: "sandbox-user",
  password: "sandbox-password",
  signingSecret: "sandbox-signing-secret",
  fetch: customFetch,
  onEvent: (event) => {
    seen.push(event);
    if (event.type === "request") void event.path;
    if (event.type === "retry") void event.delay_ms;
  },
  flowConfig,
  clock,
};
const onboarding = new Onboarding(local, credentials);
async function drive(): Promise<string> {
  const flow: Flow = onboarding.start(application, { today: "2026-12-01" });
  const runOptions: RunOptions = { maxWait: 30, signal: AbortSignal.timeout(60_000) };
  let result: FlowResult = await flow.run(runOptions);
  if (result.state === "documents_needed") {
    for (const r of result.requirements) flow.provideDocument(r.one_of[0] ?? "OTHER", "image/png", new Uint8Array([0x89]));
    result = await flow.run();
  }
  const state: FlowState = result.state;
  const snapshot: string = flow.snapshot();
  const resumed: Flow = onboarding.resume(snapshot, application);
  resumed.notify();
  const id: string | null = resumed.applicationId ?? flow.applicationId;
  const approved: ApprovedCustomer | null = result.customer;
  const accounts: ApprovedAccount[] = approved?.accounts ?? [];
  const portals: PortalDetails[] = accounts.flatMap((a) => a.portals);
  const failure: JikoError | null = result.error;
  if (failure instanceof JikoFlowError) {
    const code: FlowErrorCode = failure.code;
    const key: string | null = failure.idempotencyKey;
    void [code, key];
  }
  if (failure instanceof JikoTransportError) {
    const kind: TransportErrorKind = failure.kind;
    void kind;
  }
  return `${state} ${id} ${portals.map((p) => maskNumber(p.account_number)).join()} ${result.next_check_at} ${result.next_check_at_ms}`;
}

// The engine itself, for hosts that write their own driver.
function ownDriver(): string {
  const auth = new Authenticator("sandbox-user", "sandbox-password");
  const startOptions: FlowStartOptions = { today: "2026-12-01", now: Date.now(), config: flowConfig };
  const engine = OnboardingFlow.start(localClient, application, startOptions);
  const step: Step = engine.poll(Date.now(), auth);
  if (step.kind === "send") {
    const operation: Operation = step.operation;
    engine.handleTransportError(step.attempt, "not_sent", Date.now(), auth);
    engine.handleResponse(step.attempt, 200, [["content-type", "application/json"]], "{}", Date.now(), auth);
    void operation;
  } else if (step.kind === "wait") {
    const reason: FlowWaitReason = step.reason;
    const retry: RetryReason | null = step.retry_reason;
    void [reason, retry];
  } else if (step.kind === "done" && step.state === "failed") {
    void step.error.code;
  }
  engine.provideDocument("ID_FRONT", "image/png", new Uint8Array([0x89]));
  engine.notify(Date.now());
  const result: FlowResult = engine.result();
  const restoreOptions: FlowRestoreOptions = { application, config: flowConfig };
  const again = OnboardingFlow.restore(localClient, engine.snapshot(), restoreOptions);
  return `${result.state} ${again.applicationId} ${again.isFinished()} ${again.application?.status}`;
}

// The pure policies.
const observed: Observed = { status: 503 };
const kind: RequestKind = "create";
const retryInput: RetryInput = { observed, kind, retries: 0, key_age_ms: 0, relogged_in: false, ambiguous_before: false, random: 0.5 };
const retryPolicy: RetryPolicy = { max_retries: 2 };
const decision: RetryDecision = retryDecision(retryInput, retryPolicy);
const afterHeader: number | null = retryAfterMs("120", Date.now());
const backoff: number = backoffMs(1, 0.5, retryPolicy);
const pollReason: PollReason = "kyc_in_progress";
const pollInput: PollInput = { reason: pollReason, waited_ms: 0, reads: 0, webhooks: false, random: 0.5 };
const pollPolicy: PollPolicy = { fast_initial_ms: 2000 };
const pollDelay: number = pollDelayMs(pollInput, pollPolicy);
const fromText: FieldError[] = validateApplicationJson('{"email": "x"}', "2026-11-27");

export {
  onboard, describe, v, baseUrl, problems, problemsOn, afterDocuments, valid, errors, afterApproval, onWebhook, drive,
  ownDriver, decision, afterHeader, backoff, pollDelay, fromText, seen,
};
