// Sentinel tests (issue 8, items 3 and 4; issues 17 and 19) against the installed
// package: an applicant made of recognisable values, a shared secret, a password, a
// token, routing and account numbers and a webhook secret; every error path the package
// has is triggered with them in the input, and no textual form of any error, nor of a
// Client, Signer, Session, Authenticator, OnboardingFlow, Onboarding or Flow, nor of a
// value derived from the data (field errors, next action, required documents, sandbox
// scenario, flow steps and results, snapshots, the driver's events), may contain one.
//
// Where the values legitimately are, and are therefore not checked for absence:
//   - a PreparedRequest's `body` (the application or the login credentials: the bytes
//     Jiko must receive) and `headers` (`Authorization: Bearer <token>`); the test
//     checks that they are there, and that method, url, path and idempotency_key are
//     clean. The README says: do not log a prepared request.
//   - an Application model parsed from a response that carries the applicant's data:
//     it is that data (`JSON.stringify(app)` is the wire JSON), so it is the caller's
//     personal data to protect; the values derived from it are checked.
//   - `session.token`, the getter whose purpose is to hand the token to the builders.
//   - a portal's `routing_number` and `account_number`: they are what the host asks for,
//     as non-enumerable properties, so that every form that lists an object's enumerable
//     properties (JSON, console.log, spreading) leaves them out; `inspect` with
//     `showHidden`, a deliberate look at everything, shows them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import * as api from "jiko-onboarding";

const { Client, Signer, JikoError, JikoValidationError, JikoApiError, JikoDocumentError, JikoWebhookError, JikoFlowError } = api;

const S = {
  SSN: "987650123",
  FIRST: "Sentinelfirst",
  MIDDLE: "Sentinelmiddle",
  LAST: "Sentinellast",
  EMAIL: "sentinel.person@sentinel-mail.com",
  PHONE: "+19998887777",
  DOB: "1981-02-03",
  STREET: "17 Sentinel Street",
  STREET2: "Sentinel Suite 9",
  CITY: "Sentinelville",
  POSTAL: "90210-4321",
  OCCUPATION: "Sentinel occupation",
};
const SECRET = "sentinel-shared-secret-XYZ";
const PASSWORD = "sentinel-password-ABC";
const TOKEN = "sentinel-token-QRS";
const PERSONAL = Object.values(S);
const ALL = [...PERSONAL, SECRET, PASSWORD, TOKEN];
const TODAY = "2026-11-27";
const LOCAL = { base_url: "http://127.0.0.1:8080" };
const APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

const APPLICATION = {
  identification_number: S.SSN,
  name: { first_name: S.FIRST, middle_name: S.MIDDLE, last_name: S.LAST },
  email: S.EMAIL,
  phone_number: S.PHONE,
  date_of_birth: S.DOB,
  investment_profile: { employment_status: "EMPLOYED", income: "OVER_250K", net_worth: "OVER_5M", occupation: S.OCCUPATION },
  agreement_consent: { version: "1", timestamp: "2026-01-01T00:00:00Z" },
  address: { street_address: S.STREET, street_address2: S.STREET2, city: S.CITY, postal_code: S.POSTAL, state: "CA", country: "US" },
};

// Every field wrong, each wrong value made of sentinels: one error per rule.
const EVERY_RULE_BROKEN = {
  identification_number: `${S.SSN}-${S.SSN}`,
  identification_type: S.FIRST,
  name: { first_name: S.FIRST.repeat(5), middle_name: S.MIDDLE.repeat(5), last_name: S.LAST.repeat(5), [S.FIRST]: S.SSN },
  email: `${S.FIRST} ${S.EMAIL}`,
  phone_number: `${S.PHONE} ext ${S.SSN}`,
  date_of_birth: `${S.DOB}T${S.SSN}`,
  investment_profile: { employment_status: S.LAST, income: S.EMAIL, net_worth: S.PHONE, occupation: S.OCCUPATION.repeat(20), bd_association: [S.SSN] },
  agreement_consent: { version: { v: S.SSN }, timestamp: `${S.DOB}T99:99:99` },
  address: {
    street_address: S.STREET.repeat(20),
    street_address2: S.STREET2.repeat(20),
    city: S.CITY.repeat(30),
    postal_code: `${S.POSTAL}-${S.POSTAL}`,
    state: S.CITY,
    country: "US",
  },
  citizenship_country: S.CITY,
  originally_onboarded_at: `${S.DOB} ${S.SSN}`,
  [S.LAST]: S.EMAIL,
};

// The response body of an application that carries the applicant's data.
const RESPONSE = {
  id: APP_ID,
  status: "DOCUMENTS_NEEDED",
  name: { first_name: S.FIRST, middle_name: S.MIDDLE, last_name: S.LAST },
  email: S.EMAIL,
  phone_number: S.PHONE,
  date_of_birth: { date_of_birth: S.DOB },
  investment_profile: APPLICATION.investment_profile,
  address: APPLICATION.address,
  documents: [{ id: "d1", type: "ID_FRONT", status: "INVALID", exception_reason: `blurry photo of ${S.FIRST} ${S.LAST}`, name: `${S.SSN}.png` }],
  exception_reasons: [`${S.FIRST} ${S.LAST} born ${S.DOB} at ${S.STREET}`],
  id_verification_documents_needed: true,
  identification_number_verification_document_needed: true,
  address_verification_document_needed: true,
};

/** Every textual form a log line, a crash report or an error tracker could take. */
function textForms(x) {
  const forms = [];
  const add = (label, fn) => {
    try {
      const v = fn();
      if (v !== undefined) forms.push([label, String(v)]);
    } catch (e) {
      forms.push([`${label} (threw)`, String(e && e.message)]);
    }
  };
  add("String()", () => String(x));
  add("template", () => `${x}`);
  add("JSON.stringify", () => JSON.stringify(x));
  add("inspect", () => inspect(x, { showHidden: true, depth: Infinity }));
  add("inspect (console.log)", () => inspect(x));
  if (x !== null && typeof x === "object") {
    add("message", () => x.message);
    add("stack", () => x.stack);
    add("toJSON", () => (typeof x.toJSON === "function" ? JSON.stringify(x.toJSON()) : undefined));
    add("own properties", () => JSON.stringify(Object.getOwnPropertyNames(x).map((k) => [k, String(x[k])])));
    add("errors", () => (x.errors ? JSON.stringify(x.errors) + inspect(x.errors, { depth: Infinity }) : undefined));
  }
  return forms;
}

function assertClean(label, x, sentinels = ALL) {
  for (const [form, text] of textForms(x)) {
    for (const s of sentinels) {
      // The sentinel is named, never the text around it (which would repeat it).
      assert.ok(!text.includes(s), `${label}: ${form} contains the sentinel ${JSON.stringify(s.slice(0, 8))}...`);
    }
  }
}

function thrown(label, fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `${label}: a WebAssembly trap`);
    assert.ok(e instanceof JikoError, `${label}: not a JikoError: ${e && e.name}`);
    return e;
  }
  assert.fail(`${label}: nothing was thrown`);
}

const paths = [];
/** An error path: the call must throw a JikoError, clean in every textual form. */
function errorPath(label, fn, { code, cls = JikoError } = {}) {
  paths.push(label);
  const e = thrown(label, fn);
  assert.ok(e instanceof cls, `${label}: expected ${cls.name}, got ${e.name}`);
  if (code !== undefined) assert.equal(e.code, code, label);
  assertClean(label, e);
  return e;
}

const client = new Client(LOCAL, SECRET);
const text = (v) => JSON.stringify(v);
const bytes = (v) => new TextEncoder().encode(JSON.stringify(v));

test("validation: every rule broken with sentinel values, through every entry point", () => {
  const forms = [
    ["object", EVERY_RULE_BROKEN],
    ["JSON text", text(EVERY_RULE_BROKEN)],
    ["bytes", bytes(EVERY_RULE_BROKEN)],
  ];
  for (const [form, app] of forms) {
    const errors = api.validateApplication(app, TODAY);
    paths.push(`validateApplication(${form})`);
    const codes = new Set(errors.map((e) => e.code));
    for (const code of ["invalid_ssn", "invalid_enum", "too_long", "unknown_field", "invalid_email", "invalid_phone", "invalid_date", "invalid_type", "invalid_datetime", "invalid_postal_code", "invalid_state", "invalid_country"]) {
      assert.ok(codes.has(code), `validateApplication(${form}) did not report ${code}`);
    }
    assertClean(`validateApplication(${form}) result`, errors);
    const e = errorPath(`createApplication(${form})`, () => client.createApplication(TOKEN, app, { today: TODAY }), {
      code: "validation_failed",
      cls: JikoValidationError,
    });
    assert.deepEqual(e.errors, errors);
  }
  // Under age, in the future: the date of birth is the sentinel's own year moved.
  for (const dob of ["2015-02-03", "2099-02-03"]) {
    errorPath(`createApplication(date of birth ${dob})`, () => client.createApplication(TOKEN, { ...APPLICATION, date_of_birth: dob }, { today: TODAY }), {
      cls: JikoValidationError,
    });
  }
  // Text that is not JSON, with the data in it.
  const truncated = text(APPLICATION).slice(0, 150);
  assert.ok(truncated.includes(S.SSN));
  const errors = api.validateApplication(truncated, TODAY);
  paths.push("validateApplication(truncated JSON)");
  assert.deepEqual(errors.map((e) => e.code), ["invalid_json"]);
  assertClean("validateApplication(truncated JSON) result", errors);
  errorPath("createApplication(truncated JSON)", () => client.createApplication(TOKEN, truncated, { today: TODAY }), { cls: JikoValidationError });
  errorPath("createApplication(not an object)", () => client.createApplication(TOKEN, [S.SSN, S.EMAIL], { today: TODAY }), { cls: JikoValidationError });
  errorPath("createApplication(a BigInt)", () => client.createApplication(TOKEN, { identification_number: 987650123n }, { today: TODAY }), { code: "invalid_argument" });
});

test("response parsing: bodies full of personal data, every status", () => {
  const full = text(RESPONSE);
  const broken = text({ ...RESPONSE, status: undefined, id: S.SSN });
  const truncated = full.slice(0, full.length - 40);
  for (const [name, parse] of [["parseApplication", api.parseApplication], ["parseLogin", api.parseLogin], ["parseAgreements", api.parseAgreements], ["parseUpload", api.parseUpload]]) {
    for (const [what, body] of [["missing fields", broken], ["truncated", truncated], ["as bytes", new TextEncoder().encode(broken)]]) {
      errorPath(`${name}(200, ${what})`, () => parse(200, body), { code: "api_invalid_response", cls: JikoApiError });
    }
    for (const status of [400, 401, 403, 404, 409, 418, 422, 429, 500, 503]) {
      const body = text({ detail: `${S.FIRST} ${S.LAST} (${S.SSN}, ${S.EMAIL}) password ${PASSWORD} token ${TOKEN}`, echo: RESPONSE });
      errorPath(`${name}(${status})`, () => parse(status, body, `${TOKEN} ${S.SSN}`), { cls: JikoApiError });
    }
  }
  // FastAPI's 422: messages and inputs echo the values; a location that is not a field
  // name is replaced.
  const detail = {
    detail: [
      { loc: ["body", "identification_number"], msg: `${S.SSN} is not a valid SSN`, type: "value_error", input: S.SSN },
      { loc: ["body", "email"], msg: `value is not a valid email address: ${S.EMAIL}`, type: "value_error.email", input: S.EMAIL, ctx: { reason: S.EMAIL } },
      { loc: ["body", S.EMAIL, S.STREET, 3], msg: S.STREET, type: `${S.STREET} error` },
    ],
  };
  const e = errorPath("parseApplication(422 detail)", () => api.parseApplication(422, text(detail)), { code: "api_validation", cls: JikoApiError });
  assert.deepEqual(e.errors.map((f) => f.path), ["identification_number", "email", "<redacted>.<redacted>.3"]);
  // Login: a token in a response that is not a valid login answer.
  for (const body of [{ token: TOKEN, expires: `${S.DOB}x` }, { token: TOKEN }, { token: [TOKEN, PASSWORD], expires: "2026-01-01T00:00:00Z" }]) {
    errorPath(`parseLogin(200, ${Object.keys(body).join("+")})`, () => api.parseLogin(200, text(body)), { cls: JikoApiError });
  }
});

test("argument errors: secrets, tokens, ids, keys, documents, options", () => {
  const png = PNG;
  const cases = [
    ["Client base_url with the secret in its path", () => new Client({ base_url: `http://example.com/${SECRET}` }, SECRET), "invalid_base_url"],
    ["Client base_url with user info", () => new Client({ base_url: `https://${PASSWORD}@${S.CITY}.example.com` }, SECRET), "invalid_base_url"],
    ["Client environment", () => new Client({ environment: SECRET, partner: "acme" }, SECRET), "invalid_environment"],
    ["Client partner", () => new Client({ environment: "sandbox", partner: `${SECRET}.evil` }, SECRET), "invalid_partner"],
    ["Client config key", () => new Client({ base_url: LOCAL.base_url, [SECRET]: PASSWORD }, SECRET), "invalid_config"],
    ["Client config type", () => new Client(SECRET, SECRET), "invalid_config"],
    ["Client secret type", () => new Client(LOCAL, { secret: SECRET }), "invalid_argument"],
    ["Client empty secret", () => new Client(LOCAL, ""), "invalid_secret"],
    ["Client options key", () => new Client(LOCAL, SECRET, { [SECRET]: true }), "invalid_argument"],
    ["Signer options value", () => new Signer(SECRET, { dangerouslyAllowBrowser: SECRET }), "invalid_argument"],
    ["login without a username", () => client.login("", PASSWORD), "validation_failed"],
    ["login with a long password", () => client.login(S.FIRST, PASSWORD.repeat(10)), "validation_failed"],
    ["login password type", () => client.login(S.FIRST, [PASSWORD]), "invalid_argument"],
    ["token with a space", () => client.listAgreements(`${TOKEN} ${S.SSN}`), "invalid_token"],
    ["token with a newline", () => client.getApplication(`${TOKEN}\r\nX-Evil: ${SECRET}`, APP_ID), "invalid_token"],
    ["token type", () => client.apply({ token: TOKEN }, APP_ID), "invalid_argument"],
    ["idempotency key", () => client.listAgreements(TOKEN, { idempotencyKey: `${S.SSN}-${TOKEN}` }), "invalid_idempotency_key"],
    ["options key", () => client.listAgreements(TOKEN, { [TOKEN]: S.SSN }), "invalid_argument"],
    ["application id", () => client.getApplication(TOKEN, S.SSN), "invalid_application_id"],
    ["application id path", () => client.apply(TOKEN, `../${S.EMAIL}`), "invalid_application_id"],
    ["create options today", () => client.createApplication(TOKEN, APPLICATION, { today: `${S.DOB}x` }), "invalid_date"],
    ["create options key", () => client.createApplication(TOKEN, APPLICATION, { today: TODAY, [S.SSN]: 1 }), "invalid_argument"],
    ["upload document type", () => client.uploadDocument(TOKEN, APP_ID, S.FIRST, "image/png", png), "invalid_document_type"],
    ["upload content type", () => client.uploadDocument(TOKEN, APP_ID, "ID_FRONT", `image/${S.LAST}`, png), "wrong_type"],
    ["upload bytes not PNG", () => client.uploadDocument(TOKEN, APP_ID, "ID_FRONT", "image/png", new TextEncoder().encode(`${S.FIRST} ${S.SSN}`)), "wrong_type"],
    ["upload empty", () => client.uploadDocument(TOKEN, APP_ID, "SELFIE", "image/png", new Uint8Array(0)), "empty"],
    ["upload bytes type", () => client.uploadDocument(TOKEN, APP_ID, "SELFIE", "image/png", `${S.SSN}`), "invalid_argument"],
    ["checkUpload content type", () => api.checkUpload("SELFIE", `text/${S.EMAIL}`, png), "wrong_type"],
    ["checkUpload too large", () => api.checkUpload("SELFIE", "image/png", new Uint8Array(5_000_001).fill(0x41)), "too_large"],
    ["validateApplication today", () => api.validateApplication(APPLICATION, `${S.DOB}x`), "invalid_date"],
    ["validateApplication a cycle", () => { const a = { ...APPLICATION }; a.self = a; api.validateApplication(a, TODAY); }, "invalid_argument"],
    ["parse status", () => api.parseApplication(S.SSN, text(RESPONSE)), "invalid_argument"],
    ["parse body type", () => api.parseApplication(200, { ...RESPONSE }), "invalid_argument"],
    ["parse retryAfter type", () => api.parseApplication(429, "", { after: TOKEN }), "invalid_argument"],
    ["nextAction of a broken application", () => api.nextAction({ status: S.FIRST, email: S.EMAIL, name: S.LAST }), "invalid_argument"],
    ["requiredDocuments of a string", () => api.requiredDocuments(text(RESPONSE)), "invalid_argument"],
    ["sandboxScenario type", () => api.sandboxScenario(987650123), "invalid_argument"],
    ["sign types", () => new Signer(SECRET).sign(TOKEN, PASSWORD, 42), "invalid_argument"],
    ["verify types", () => new Signer(SECRET).verify(S.SSN, S.FIRST, "{}", { sig: SECRET }), "invalid_argument"],
  ];
  for (const [label, fn, code] of cases) errorPath(label, fn, { code });

  const session = api.parseLogin(200, text({ token: TOKEN, expires: "2099-01-01T00:00:00+00:00" }));
  errorPath("needsRefresh type", () => session.needsRefresh(TOKEN), { code: "invalid_argument" });

  // A secret in a web page.
  globalThis.window = {};
  globalThis.document = {};
  try {
    errorPath("Client in a web page", () => new Client(LOCAL, SECRET), { code: "browser_secret" });
    errorPath("Signer in a web page", () => new Signer(new TextEncoder().encode(SECRET)), { code: "browser_secret" });
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
  // Document errors are JikoDocumentErrors.
  assert.ok(thrown("doc", () => api.checkUpload("SELFIE", "image/png", new Uint8Array(0))) instanceof JikoDocumentError);
});

test("objects that hold secrets never show them", () => {
  const objects = [
    ["Client (string secret)", new Client(LOCAL, SECRET)],
    ["Client (bytes secret)", new Client({ environment: "sandbox", partner: "acme" }, new TextEncoder().encode(SECRET))],
    ["Signer (string secret)", new Signer(SECRET)],
    ["Signer (bytes secret)", new Signer(new TextEncoder().encode(SECRET))],
    ["Session", api.parseLogin(200, text({ token: TOKEN, expires: "2099-01-01T00:00:00+00:00" }))],
    ["Session (bytes)", api.parseLogin(200, bytes({ token: TOKEN, expires: "2099-01-01T00:00:00Z" }))],
  ];
  for (const [label, x] of objects) {
    paths.push(label);
    assertClean(label, x);
    assertClean(`${label} prototype`, Object.getPrototypeOf(x));
  }
  assert.equal(objects[4][1].token, TOKEN, "the token getter is the one way out");
});

test("values derived from the data carry none of it", () => {
  const app = api.parseApplication(200, text(RESPONSE));
  // The model is the data: every sentinel of the response is in it (see the header).
  for (const s of [S.FIRST, S.LAST, S.EMAIL, S.DOB, S.STREET]) assert.ok(JSON.stringify(app).includes(s));
  // Control: the check does see a sentinel where one is.
  assert.throws(() => assertClean("control", app), /contains the sentinel/);
  assert.throws(() => assertClean("control", new Error(`x ${TOKEN}`)), /contains the sentinel/);
  const derived = [
    ["nextAction", api.nextAction(app)],
    ["requiredDocuments", api.requiredDocuments(app)],
    ["nextAction (APPROVED)", api.nextAction({ ...app, status: "APPROVED", customer_id: "c-1" })],
    ["nextAction (REJECTED)", api.nextAction({ ...app, status: "REJECTED" })],
    ["nextAction (unknown status)", api.nextAction({ ...app, status: "SOMETHING_NEW" })],
    ["sandboxScenario", api.sandboxScenario(S.SSN)],
    ["sandboxScenario (2x)", api.sandboxScenario("231" + S.SSN.slice(3))],
    ["validateApplication (valid)", api.validateApplication(APPLICATION, TODAY)],
    ["parseUpload", api.parseUpload(200, text({ success: true, document_id: "d-1", name: S.SSN }))],
  ];
  for (const [label, value] of derived) {
    paths.push(label);
    assertClean(label, value);
  }
});

test("prepared requests: data only in body and headers", () => {
  const requests = [
    ["login", client.login(S.FIRST, PASSWORD), [S.FIRST, PASSWORD]],
    ["createApplication", client.createApplication(TOKEN, APPLICATION, { today: TODAY }), PERSONAL],
    ["createApplication (JSON text)", client.createApplication(TOKEN, text(APPLICATION), { today: TODAY }), PERSONAL],
    ["getApplication", client.getApplication(TOKEN, APP_ID), []],
    ["uploadDocument", client.uploadDocument(TOKEN, APP_ID, "SELFIE", "image/png", PNG), []],
  ];
  for (const [label, request, inBody] of requests) {
    paths.push(`prepared ${label}`);
    const body = new TextDecoder().decode(request.body);
    for (const s of inBody) assert.ok(body.includes(s), `${label}: the body should carry the data`);
    const { body: _b, headers, ...rest } = request;
    assertClean(`${label} method/url/path/key`, rest);
    if (label !== "login") assert.ok(headers.some(([n, v]) => n === "Authorization" && v === `Bearer ${TOKEN}`), label);
    // The secret signs; it is never sent.
    assert.ok(!JSON.stringify(request).includes(SECRET), `${label}: the secret is in the request`);
    assertClean(`${label} header names`, headers.map(([n]) => n));
  }
});

const ROUTING = "026009593";
const ACCOUNT = "778899001122";
const WEBHOOK_SECRET = "sentinel-webhook-secret-LMN";
const NUMBERS = [ROUTING, ACCOUNT];
const CUSTOMER_ID = "6f1c2a9e-0d5b-4c3e-8f7a-1b2c3d4e5f60";
const ACCOUNT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

/** The forms that list enumerable properties: where non-enumerable numbers must not show. */
function assertNoNumbers(label, x) {
  for (const [form, shown] of [
    ["JSON.stringify", JSON.stringify(x)],
    ["inspect (console.log)", inspect(x, { depth: Infinity })],
    ["String()", String(x)],
    ["spread", JSON.stringify({ ...x })],
  ]) {
    for (const n of NUMBERS) assert.ok(!shown.includes(n), `${label}: ${form} shows a number`);
  }
}

test("after approval: parsers, builders and the deposit numbers", () => {
  const portals = { count: 1, portals: [{ id: APP_ID, jiko_account_id: ACCOUNT_ID, routing_number: ROUTING, account_number: ACCOUNT, status: "OPEN", name: S.FIRST }], object_type: "List" };
  const parsed = api.parsePortals(200, text(portals));
  paths.push("parsePortals");
  assert.equal(parsed.portals[0].routing_number, ROUTING, "read by name");
  assert.equal(parsed.portals[0].account_number, ACCOUNT, "read by name");
  assertNoNumbers("parsePortals result", parsed);
  assertNoNumbers("a portal", parsed.portals[0]);
  assert.equal(api.maskNumber(ACCOUNT), "********1122");
  const customer = { type: "INDIVIDUAL", account_status: "OPEN", name: { first_name: S.FIRST, last_name: S.LAST }, email: S.EMAIL, phone_number: S.PHONE, date_of_birth: S.DOB };
  for (const [name, parse] of [["parseCustomer", api.parseCustomer], ["parseAccounts", api.parseAccounts], ["parsePortals", api.parsePortals], ["parseSubscription", api.parseSubscription], ["parseEvents", api.parseEvents]]) {
    const wrong = text([S.SSN, S.EMAIL, customer, ROUTING, ACCOUNT]);
    errorPath(`${name}(200, wrong shape)`, () => parse(200, wrong), { code: "api_invalid_response", cls: JikoApiError });
    for (const status of [401, 404, 422, 500]) {
      const body = text({ detail: `${S.FIRST} ${ROUTING} ${ACCOUNT} ${TOKEN}`, echo: customer });
      errorPath(`${name}(${status})`, () => parse(status, body), { cls: JikoApiError });
    }
  }
  const cases = [
    ["getCustomer id", () => client.getCustomer(TOKEN, S.SSN), "invalid_id"],
    ["listCustomerAccounts id", () => client.listCustomerAccounts(TOKEN, `${S.EMAIL}/x`), "invalid_id"],
    ["listPortals id", () => client.listPortals(TOKEN, ACCOUNT), "invalid_id"],
    ["createSubscription", () => client.createSubscription(TOKEN, `https://${S.CITY} example.com/${SECRET}`, [], WEBHOOK_SECRET.slice(0, 9)), "validation_failed"],
    ["createSubscription events type", () => client.createSubscription(TOKEN, "https://example.com/h", S.SSN, WEBHOOK_SECRET), "invalid_argument"],
    ["listEvents after", () => client.listEvents(TOKEN, { after: `${S.DOB} ${S.SSN}` }), "invalid_datetime"],
    ["listEvents options", () => client.listEvents(TOKEN, { [S.SSN]: TOKEN }), "invalid_argument"],
  ];
  for (const [label, fn, code] of cases) errorPath(label, fn, { code });
  const subscription = client.createSubscription(TOKEN, "https://example.com/hooks", ["application.approved"], WEBHOOK_SECRET);
  paths.push("prepared createSubscription");
  assert.ok(new TextDecoder().decode(subscription.body).includes(WEBHOOK_SECRET), "the subscription's secret goes in the body");
  const { body: _b, headers: _h, ...rest } = subscription;
  assertClean("createSubscription method/url/path/key", rest, [...ALL, WEBHOOK_SECRET]);
});

test("webhooks: refused deliveries never show the secret or the body", () => {
  const body = new TextEncoder().encode(text({ event_id: S.SSN, event_type: "application.approved", timestamp: S.DOB, payload: { application_id: S.EMAIL } }));
  const secrets = [WEBHOOK_SECRET, SECRET];
  const sentinels = [...ALL, WEBHOOK_SECRET];
  for (const [label, headers, code] of [
    ["verifyWebhook unsigned", {}, "missing_signature"],
    ["verifyWebhook wrongly signed", { "x-jiko-signature": `${TOKEN}==` }, "bad_signature"],
    ["verifyWebhook signed by another secret", [["X-Jiko-Signature", "q+gRpziP3nObK1qA/OJNLnQYKNwQ6pByxtwMCuanqdo="]], "bad_signature"],
  ]) {
    paths.push(label);
    const e = thrown(label, () => api.verifyWebhook(headers, body, secrets));
    assert.ok(e instanceof JikoWebhookError && e.code === code, `${label}: ${e.code}`);
    assertClean(label, e, sentinels);
  }
  errorPath("verifyWebhook headers type", () => api.verifyWebhook(S.SSN, body, secrets), { code: "invalid_argument" });
  errorPath("verifyWebhook secrets type", () => api.verifyWebhook({}, body, [{ s: WEBHOOK_SECRET }]), { code: "invalid_argument" });
});

/** A clock whose sleeps move time at once. */
function virtualClock() {
  let t = Date.UTC(2026, 10, 27);
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

/** Answers the flow's requests as a sandbox full of sentinels would. */
function sentinelAnswer(operation) {
  const application = (status, extra = {}) => ({ ...RESPONSE, status, id_verification_documents_needed: false, identification_number_verification_document_needed: false, address_verification_document_needed: false, ...extra });
  switch (operation) {
    case "login":
      return [200, { token: TOKEN, expires: "2099-01-01T00:00:00+00:00" }];
    case "list_agreements":
      return [200, { version: "1", release_date: "2026-01-01", documents: [] }];
    case "create_application":
      return [201, application("CREATED")];
    case "apply":
      return [200, application("SUBMITTED")];
    case "get_application":
      return [200, application("APPROVED", { customer_id: CUSTOMER_ID })];
    case "get_customer":
      return [200, { type: "INDIVIDUAL", account_status: "OPEN", name: { first_name: S.FIRST, last_name: S.LAST }, email: S.EMAIL }];
    case "list_customer_accounts":
      return [200, { offset: 0, count: 1, items: [{ id: ACCOUNT_ID, name: S.LAST, status: "OPEN" }] }];
    case "list_portals":
      return [200, { count: 1, portals: [{ id: APP_ID, jiko_account_id: ACCOUNT_ID, routing_number: ROUTING, account_number: ACCOUNT, status: "OPEN", name: S.FIRST }] }];
    default:
      throw new Error(`unexpected ${operation}`);
  }
}

test("the flow engine: steps, results, snapshots and its errors", () => {
  const auth = new api.Authenticator(S.FIRST, PASSWORD);
  const sentinels = [...ALL, ...NUMBERS];
  errorPath("OnboardingFlow.start(every rule broken)", () => api.OnboardingFlow.start(client, EVERY_RULE_BROKEN, { today: TODAY }), { cls: JikoValidationError });
  errorPath("Authenticator(long password)", () => new api.Authenticator(S.FIRST, PASSWORD.repeat(10)), { code: "validation_failed" });
  const flow = api.OnboardingFlow.start(client, APPLICATION, { today: TODAY, now: Date.UTC(2026, 10, 27) });
  let now = Date.UTC(2026, 10, 27);
  let step;
  for (let i = 0; i < 50; i++) {
    step = flow.poll(now, auth);
    const snapshot = flow.snapshot();
    paths.push(`snapshot ${i}`);
    for (const s of sentinels) assert.ok(!snapshot.includes(s), `snapshot ${i} shows a sentinel`);
    assertClean(`OnboardingFlow ${i}`, flow, sentinels);
    if (step.kind === "send") {
      const { request, ...described } = step;
      assertClean(`step ${i} (${step.operation})`, described, sentinels);
      const [status, body] = sentinelAnswer(step.operation);
      flow.handleResponse(step.attempt, status, [], text(body), now, auth);
    } else if (step.kind === "wait") {
      assertClean(`step ${i} (wait)`, step, sentinels);
      now = step.until_ms;
    } else {
      break;
    }
  }
  assert.equal(step.kind, "done");
  assert.equal(step.state, "approved");
  assertNoNumbers("the approved customer", step.customer);
  const result = flow.result();
  assertNoNumbers("the flow's result", result);
  assertClean("the flow's result, without the application (the data)", { ...result, application: null }, ALL);
  // Restoring with another application, or from a tampered snapshot.
  const fresh = api.OnboardingFlow.start(client, APPLICATION, { today: TODAY });
  const early = fresh.snapshot();
  errorPath("restore with another application", () => api.OnboardingFlow.restore(client, early, { application: { ...APPLICATION, email: `x${S.EMAIL}` }, today: TODAY }), { code: "application_mismatch", cls: JikoFlowError });
  errorPath("restore a tampered snapshot", () => api.OnboardingFlow.restore(client, early.replace('"version":1', `"version":"${S.SSN} ${TOKEN}"`), { application: APPLICATION }), { cls: JikoFlowError });
  errorPath("restore not JSON", () => api.OnboardingFlow.restore(client, `${S.SSN} ${TOKEN}`), { code: "snapshot_invalid", cls: JikoFlowError });
  errorPath("an answer to another attempt", () => fresh.handleResponse(99, 200, [], text(RESPONSE), Date.now(), auth), { code: "unknown_attempt", cls: JikoFlowError });
  errorPath("a transport kind", () => fresh.handleTransportError(1, S.SSN, Date.now(), auth), { code: "invalid_argument" });
  errorPath("provideDocument of an unknown type", () => fresh.provideDocument(S.FIRST, "image/png", PNG), { code: "document_not_accepted", cls: JikoFlowError });
  errorPath("provideDocument wrong bytes", () => fresh.provideDocument("SELFIE", "image/png", new TextEncoder().encode(S.SSN)), { code: "wrong_type", cls: JikoDocumentError });
  for (const [label, x] of [["Authenticator", auth], ["OnboardingFlow (fresh)", fresh]]) {
    paths.push(label);
    assertClean(label, x, sentinels);
  }
});

test("the driver: events, results and objects, with a fetch full of sentinels", async () => {
  const events = [];
  const onboarding = new api.Onboarding(LOCAL, {
    username: S.FIRST,
    password: PASSWORD,
    signingSecret: SECRET,
    onEvent: (e) => events.push(e),
    clock: virtualClock(),
    fetch: async (url, init) => {
      const operation = /\/login\//.test(url) ? "login" : /agreements/.test(url) ? "list_agreements" : /portals/.test(url) ? "list_portals" : /jiko-accounts/.test(url) ? "list_customer_accounts" : /customers/.test(url) ? "get_customer" : /apply/.test(url) ? "apply" : init.method === "POST" ? "create_application" : "get_application";
      const [status, body] = sentinelAnswer(operation);
      return new Response(text(body), { status, headers: { "x-echo": `${S.SSN} ${TOKEN}` } });
    },
  });
  errorPath("Onboarding.start(every rule broken)", () => onboarding.start(EVERY_RULE_BROKEN, { today: TODAY }), { cls: JikoValidationError });
  const flow = onboarding.start(APPLICATION, { today: TODAY });
  const result = await flow.run();
  assert.equal(result.state, "approved");
  paths.push("driver events");
  const sentinels = [...ALL, ...NUMBERS];
  assertClean("the driver's events", events, sentinels);
  assertNoNumbers("the driver's result", result);
  for (const [label, x] of [["Onboarding", onboarding], ["Flow", flow], ["the flow's snapshot", flow.snapshot()]]) {
    paths.push(label);
    assertClean(label, x, sentinels);
  }
  // A flow that fails on a 422 full of data: the error is clean.
  const failing = new api.Onboarding(LOCAL, {
    username: S.FIRST,
    password: PASSWORD,
    signingSecret: SECRET,
    clock: virtualClock(),
    fetch: async (url) => {
      if (/\/login\//.test(url)) return new Response(text(sentinelAnswer("login")[1]), { status: 200 });
      return new Response(text({ detail: [{ loc: ["body", S.EMAIL], msg: `${S.SSN} ${TOKEN}`, type: "value_error", input: S.SSN }] }), { status: 422 });
    },
  });
  const failed = await failing.start(APPLICATION, { today: TODAY }).run();
  assert.equal(failed.state, "failed");
  paths.push("driver failure");
  assertClean("the failed result's error", failed.error, sentinels);
});

test("every sentinel path ran", () => {
  assert.ok(paths.length >= 100, `only ${paths.length} paths`);
  console.log(`# sentinel-paths ${paths.length} (${ALL.length} sentinels, ${textForms(new Error("x")).length} textual forms each)`);
});
