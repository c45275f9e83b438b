// What the npm package adds on top of the core, against the installed package: the
// error classes, the browser guard for secrets, the date defaults, the undefined/null
// choice, secrets kept out of every textual form, argument checks, JSON text as input,
// and a real round trip with fetch against a local server. The hostile corpus, the
// sentinel tests and the differential signing tests have files of their own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { inspect } from "node:util";
import { createRequire } from "node:module";
import * as api from "jiko-onboarding";

const {
  Client,
  Signer,
  Session,
  JikoError,
  JikoValidationError,
  JikoApiError,
  JikoDocumentError,
} = api;

const SECRET = "s3cr3t-shared-signing-value";
const LOCAL = { base_url: "http://127.0.0.1:8080" };
const APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10";
const GUIDE_APPLICATION = {
  identification_number: "999999999",
  name: { first_name: "Jiko", last_name: "Customer" },
  email: "jiko@example.com",
  phone_number: "15551234567",
  date_of_birth: "1970-01-01",
  investment_profile: {
    income: "BETWEEN_100K_AND_250K",
    net_worth: "BETWEEN_1M_AND_5M",
    occupation: "Investor",
    employment_status: "EMPLOYED",
  },
  agreement_consent: { version: "1", timestamp: "2023-01-01T12:00:00+00:00" },
  address: { street_address: "2000 Allston Way", city: "Berkeley", postal_code: "94701", state: "CA", country: "USA" },
};

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

test("exports: every function and class of the surface", () => {
  const surface = [
    "Client", "Signer", "Session", "parseLogin", "parseAgreements", "parseApplication", "parseUpload",
    "parseCustomer", "parseAccounts", "parsePortals", "parseSubscription", "parseEvents", "maskNumber",
    "requiredDocuments", "nextAction", "sandboxScenario", "validateApplication", "validateApplicationJson",
    "checkUpload", "newIdempotencyKey", "version", "verifyWebhook", "OnboardingFlow", "Authenticator",
    "retryDecision", "retryAfterMs", "backoffMs", "pollDelayMs", "Onboarding", "Flow",
    "JikoError", "JikoValidationError", "JikoApiError", "JikoDocumentError", "JikoWebhookError",
    "JikoFlowError", "JikoTransportError",
  ];
  for (const name of surface) assert.equal(typeof api[name], "function", name);
  assert.deepEqual(Object.keys(api).sort(), [...surface].sort(), "nothing else is exported");
  const require = createRequire(import.meta.url);
  const pkg = require("jiko-onboarding/package.json");
  assert.equal(api.version(), pkg.version);
  // One module instance for import and require: the same classes.
  assert.equal(require("jiko-onboarding").JikoError, JikoError);
  assert.equal(require("jiko-onboarding").Client, Client);
});

test("errors are Error subclasses with a stable code and no personal data", () => {
  const app = { ...GUIDE_APPLICATION, identification_number: "123-45-6789", email: "not-an-email@", date_of_birth: "2015-05-05" };
  const e = thrown(() => new Client(LOCAL, SECRET).createApplication("token", app, { today: "2026-11-27" }));
  assert.ok(e instanceof Error && e instanceof JikoError && e instanceof JikoValidationError);
  assert.equal(e.name, "JikoValidationError");
  assert.equal(e.code, "validation_failed");
  assert.deepEqual(e.errors.map((x) => [x.path, x.code]), [
    ["identification_number", "invalid_ssn"],
    ["email", "invalid_email"],
    ["date_of_birth", "under_age"],
  ]);
  for (const text of [e.message, String(e), e.stack, inspect(e), JSON.stringify(e)]) {
    for (const personal of ["123-45-6789", "not-an-email@", "2015-05-05", "Customer", "Allston"]) {
      assert.ok(!text.includes(personal), `an error shows personal data: ${personal}`);
    }
  }

  const api404 = thrown(() => api.parseApplication(404, '{"detail": "no application for Jiko Customer"}'));
  assert.ok(api404 instanceof JikoApiError && api404 instanceof JikoError);
  assert.deepEqual([api404.code, api404.kind, api404.status, api404.retryable, api404.retryAfterSeconds], ["api_not_found", "not_found", 404, false, null]);
  assert.ok(!api404.message.includes("Customer"));

  const limited = thrown(() => api.parseApplication(429, "", "17"));
  assert.deepEqual([limited.code, limited.retryable, limited.retryAfterSeconds], ["api_rate_limited", true, 17]);

  const doc = thrown(() => api.checkUpload("SELFIE", "image/png", new Uint8Array(0)));
  assert.ok(doc instanceof JikoDocumentError && doc instanceof JikoError);
  assert.equal(doc.code, "empty");

  const arg = thrown(() => new Client(LOCAL, SECRET).getApplication("token", "../../login"));
  assert.ok(arg instanceof JikoError && !(arg instanceof JikoValidationError));
  assert.equal(arg.code, "invalid_application_id");
  assert.ok(!arg.message.includes("login"));
});

test("a secret in a web page needs dangerouslyAllowBrowser", () => {
  globalThis.window = {};
  globalThis.document = {};
  try {
    for (const make of [() => new Client(LOCAL, SECRET), () => new Signer(SECRET)]) {
      const e = thrown(make);
      assert.ok(e instanceof JikoError);
      assert.equal(e.code, "browser_secret");
      assert.match(e.message, /server/);
      assert.ok(!e.message.includes(SECRET));
    }
    assert.ok(new Client(LOCAL, SECRET, { dangerouslyAllowBrowser: true }) instanceof Client);
    assert.ok(new Signer(SECRET, { dangerouslyAllowBrowser: true }) instanceof Signer);
    // Everything without a secret works in a page.
    assert.deepEqual(api.validateApplication(GUIDE_APPLICATION, "2026-11-27"), []);
    assert.equal(api.sandboxScenario("411111111").status_after_apply, "APPROVED");
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
  // A worker or a server has no document: no guard.
  globalThis.window = {};
  try {
    assert.ok(new Signer(SECRET) instanceof Signer);
  } finally {
    delete globalThis.window;
  }
  assert.equal(thrown(() => new Signer(SECRET, { dangerouslyAllowBrowsr: true })).code, "invalid_argument");
});

test("today defaults to the UTC date, as in every language", () => {
  // The core's default (CalendarDate::today_utc) for Date.now(); the test's own clock
  // reads are a moment apart, so it skips the instant around midnight UTC.
  const now = new Date();
  if (now.getUTCHours() === 23 && now.getUTCMinutes() === 59) return;
  const utc = (y, m, d) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
  const at = (date) => ({ ...GUIDE_APPLICATION, date_of_birth: date });
  const eighteen = utc(now.getUTCFullYear() - 18, now.getUTCMonth(), now.getUTCDate());
  const dayAfter = utc(now.getUTCFullYear() - 18, now.getUTCMonth(), now.getUTCDate() + 1);
  // Skip the test's own edge: a birthday on 29 February in a common year.
  if (eighteen.slice(8) === String(now.getUTCDate()).padStart(2, "0")) {
    assert.deepEqual(api.validateApplication(at(eighteen)), []);
  }
  assert.deepEqual(api.validateApplication(at(dayAfter)).map((e) => e.code), ["under_age"]);
  const client = new Client(LOCAL, SECRET);
  assert.equal(thrown(() => client.createApplication("token", at(dayAfter))).code, "validation_failed");
  assert.equal(thrown(() => api.validateApplication(GUIDE_APPLICATION, "27/11/2026")).code, "invalid_date");
});

test("Session: needsRefresh defaults to Date.now() and the token never shows", () => {
  const soon = new Date(Date.now() + 60_000).toISOString();
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const token = "LBHy9Kp0tokenEXAMPLE=";
  const expiring = api.parseLogin(200, JSON.stringify({ token, expires: soon }));
  const fresh = api.parseLogin(200, new TextEncoder().encode(JSON.stringify({ token, expires: later })));
  assert.ok(expiring instanceof Session);
  assert.equal(expiring.needsRefresh(), true);
  assert.equal(fresh.needsRefresh(), false);
  assert.equal(fresh.needsRefresh(Date.now() + 3_500_000), true);
  assert.equal(fresh.token, token);
  for (const text of [String(fresh), JSON.stringify(fresh), inspect(fresh), `${fresh}`]) {
    assert.ok(!text.includes(token), text);
  }
  assert.deepEqual(Object.keys(fresh.toJSON()).sort(), ["expires", "expires_at_unix_seconds"]);
  assert.equal(thrown(() => fresh.needsRefresh("now")).code, "invalid_argument");
});

test("secrets never appear in any textual form of a Client or Signer", () => {
  const client = new Client({ environment: "sandbox", partner: "acme" }, SECRET);
  const signer = new Signer(new TextEncoder().encode(SECRET));
  for (const text of [String(client), JSON.stringify(client), inspect(client, { showHidden: true }), String(signer), JSON.stringify(signer), inspect(signer, { showHidden: true })]) {
    assert.ok(!text.includes(SECRET), text);
  }
  assert.equal(client.baseUrl, "https://acme.sandbox-api.jikoservices.com");
  assert.equal(String(client), "Client(https://acme.sandbox-api.jikoservices.com)");
  const e = thrown(() => new Client({ base_url: `http://example.com/${SECRET}` }, SECRET));
  assert.equal(e.code, "invalid_base_url");
  assert.ok(!e.message.includes(SECRET));
});

test("models: absent fields are left out, always-present empty values are null", () => {
  const app = api.parseApplication(200, JSON.stringify({ id: APP_ID, status: "APPROVED", customer_id: null }));
  assert.equal("customer_id" in app, false);
  assert.equal("name" in app, false);
  assert.deepEqual(app.documents, []);
  assert.deepEqual(api.nextAction(app), { kind: "approved" });
  assert.equal(api.sandboxScenario("411111111").status_after_documents, null);
  assert.equal(new Client(LOCAL, SECRET).login("user", "password").idempotency_key, null);
  // Inputs accept undefined and null for an optional field alike.
  const withUndefined = { ...GUIDE_APPLICATION, citizenship_country: undefined, name: { ...GUIDE_APPLICATION.name, middle_name: null } };
  assert.deepEqual(api.validateApplication(withUndefined, "2026-11-27"), []);
  const request = new Client(LOCAL, SECRET).createApplication("token", withUndefined, { today: "2026-11-27" });
  assert.ok(!new TextDecoder().decode(request.body).includes("null"));
});

test("bodies may be Uint8Array, ArrayBuffer, Buffer or string", () => {
  const signer = new Signer(SECRET);
  const text = '{"a":"é"}';
  const bytes = new TextEncoder().encode(text);
  const expected = createHmac("sha256", SECRET).update("k" + "/p" + text).digest("base64");
  assert.equal(signer.sign("k", "/p", text), expected);
  assert.equal(signer.sign("k", "/p", bytes), expected);
  assert.equal(signer.sign("k", "/p", bytes.buffer), expected);
  assert.equal(signer.sign("k", "/p", Buffer.from(text)), expected);
  assert.equal(thrown(() => signer.sign("k", "/p", 42)).code, "invalid_argument");
});

test("argument checks: wrong types and option typos are JikoErrors, not silent defaults", () => {
  const client = new Client(LOCAL, SECRET);
  assert.equal(thrown(() => client.listAgreements(undefined)).code, "invalid_argument");
  assert.equal(thrown(() => client.listAgreements("token", { idempotency_key: "x" })).code, "invalid_argument");
  assert.equal(thrown(() => client.createApplication("token", GUIDE_APPLICATION, "2026-11-27")).code, "invalid_argument");
  assert.equal(thrown(() => new Client("http://127.0.0.1:8080", SECRET)).code, "invalid_config");
  assert.equal(thrown(() => new Client({ baseUrl: "http://127.0.0.1:8080" }, SECRET)).code, "invalid_config");
  assert.equal(thrown(() => new Client({ environment: "staging", partner: "acme" }, SECRET)).code, "invalid_environment");
  assert.equal(thrown(() => api.parseApplication("200", "{}")).code, "invalid_argument");
  assert.equal(thrown(() => api.nextAction({ status: "CREATED" })).code, "invalid_argument");
  const key = api.newIdempotencyKey();
  assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(key, api.newIdempotencyKey());
  const request = client.getApplication("token", APP_ID, { idempotencyKey: key });
  assert.equal(request.idempotency_key, key);
  assert.deepEqual(client.getApplication("token", APP_ID, { idempotencyKey: key }), request, "same key, same request");
});

// A stand-in for Jiko: checks what a partner's server sends, as the API would.
function startJiko() {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const key = req.headers["x-jiko-idempotency"] ?? "";
      const signature = req.headers["x-jiko-signature"];
      const expected = createHmac("sha256", SECRET).update(Buffer.concat([Buffer.from(key + req.url), body])).digest("base64");
      seen.push({ method: req.method, url: req.url, length: req.headers["content-length"], bytes: body.length, signed: signature === expected, signature });
      const reply = (status, value, headers = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(value === undefined ? "" : JSON.stringify(value));
      };
      if (req.url === "/api/v1/login/") return reply(200, { token: "tok-123", expires: new Date(Date.now() + 3_600_000).toISOString() });
      if (signature !== undefined && signature !== expected) return reply(401, { detail: "bad signature" });
      if (req.url === "/api/v1/applications/" && req.method === "POST") {
        const sent = JSON.parse(body.toString("utf8"));
        return reply(201, { id: APP_ID, status: "CREATED", email: sent.email, date_of_birth: { date_of_birth: sent.date_of_birth }, documents: [], id_verification_documents_needed: false, identification_number_verification_document_needed: false, address_verification_document_needed: false });
      }
      if (req.url === `/api/v1/applications/${APP_ID}/apply/`) {
        return reply(200, { id: APP_ID, status: "DOCUMENTS_NEEDED", id_verification_documents_needed: false, identification_number_verification_document_needed: false, address_verification_document_needed: true });
      }
      if (req.url === `/api/v1/applications/${APP_ID}/documents/ADDRESS_VERIFICATION/file/`) {
        return reply(200, { success: true, document_id: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f" });
      }
      if (req.url === `/api/v1/applications/${APP_ID}/`) return reply(429, { detail: "slow down" }, { "retry-after": "3" });
      return reply(404, { detail: "nothing here" });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, seen, port: server.address().port })));
}

// Exactly the README's Node example.
async function send(request) {
  return fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" ? undefined : request.body,
  });
}

test("round trip with fetch against a local server", async () => {
  const { server, seen, port } = await startJiko();
  try {
    const client = new Client({ base_url: `http://127.0.0.1:${port}` }, SECRET);
    let res = await send(client.login("partner-user", "correct horse battery"));
    const session = api.parseLogin(res.status, await res.text());
    assert.equal(session.token, "tok-123");

    res = await send(client.createApplication(session.token, GUIDE_APPLICATION, { today: "2026-11-27" }));
    let app = api.parseApplication(res.status, await res.text(), res.headers.get("retry-after"));
    assert.equal(app.status, "CREATED");
    assert.deepEqual(api.nextAction(app), { kind: "apply" });

    res = await send(client.apply(session.token, app.id));
    app = api.parseApplication(res.status, new Uint8Array(await res.arrayBuffer()));
    const [requirement] = api.requiredDocuments(app);
    assert.deepEqual(requirement, { flag: "address_verification_document_needed", one_of: ["ADDRESS_VERIFICATION"] });

    const pdf = new TextEncoder().encode("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n");
    res = await send(client.uploadDocument(session.token, app.id, requirement.one_of[0], "application/pdf", pdf));
    assert.deepEqual(api.parseUpload(res.status, await res.text()), { success: true, document_id: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f" });

    res = await send(client.getApplication(session.token, app.id));
    const limited = thrown(() => api.parseApplication(res.status, "", res.headers.get("retry-after")));
    assert.equal(limited.code, "api_rate_limited");
    assert.equal(limited.retryAfterSeconds, 3);

    assert.deepEqual(seen.map((s) => [s.method, s.url]), [
      ["POST", "/api/v1/login/"],
      ["POST", "/api/v1/applications/"],
      ["POST", `/api/v1/applications/${APP_ID}/apply/`],
      ["POST", `/api/v1/applications/${APP_ID}/documents/ADDRESS_VERIFICATION/file/`],
      ["GET", `/api/v1/applications/${APP_ID}/`],
    ]);
    for (const s of seen) {
      if (s.signature !== undefined) assert.ok(s.signed, `${s.url} is signed correctly`);
      if (s.length !== undefined) assert.equal(Number(s.length), s.bytes, `${s.url} content-length`);
    }
    assert.equal(seen[3].signature, undefined, "uploads are not signed");
  } finally {
    server.close();
  }
});

test("an application may be given as JSON text: a string, Uint8Array or ArrayBuffer", () => {
  const client = new Client(LOCAL, SECRET);
  const key = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  const options = { today: "2026-11-27", idempotencyKey: key };
  const fromObject = client.createApplication("token", GUIDE_APPLICATION, options);
  const text = JSON.stringify(GUIDE_APPLICATION, null, 2);
  const bytes = new TextEncoder().encode(text);
  for (const input of [text, bytes, bytes.buffer, Buffer.from(text)]) {
    assert.deepEqual(client.createApplication("token", input, options), fromObject);
    assert.deepEqual(api.validateApplication(input, "2026-11-27"), []);
  }
  // Text that is not JSON is a validation error, not a thrown argument error.
  assert.deepEqual(api.validateApplication('{"email": ', "2026-11-27").map((e) => [e.path, e.code]), [["", "invalid_json"]]);
  const e = thrown(() => client.createApplication("token", "{nope", options));
  assert.ok(e instanceof JikoValidationError);
  assert.deepEqual(e.errors.map((x) => x.code), ["invalid_json"]);
  // Duplicate keys in the text: the last one counts, as for JSON.parse.
  const twice = text.replace('"email": "jiko@example.com"', '"email": "x", "email": "jiko@example.com"');
  assert.notEqual(twice, text);
  assert.deepEqual(client.createApplication("token", twice, options), fromObject);
  // A value that JSON.stringify cannot write is an argument error.
  assert.equal(thrown(() => api.validateApplication({ n: 1n })).code, "invalid_argument");
});

test("random keys without a global crypto (Node 18 has none by default)", () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  assert.ok(descriptor && descriptor.configurable, "Node 20 defines a configurable global crypto");
  delete globalThis.crypto;
  try {
    assert.equal(typeof globalThis.crypto, "undefined");
    // Keys come 128 to a fetch from the random source: 300 keys fetch at least twice here.
    const keys = Array.from({ length: 300 }, () => api.newIdempotencyKey());
    for (const key of keys) assert.match(key, UUID_V4);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(new Client(LOCAL, SECRET).listAgreements("token").idempotency_key);
  } finally {
    Object.defineProperty(globalThis, "crypto", descriptor);
  }
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("fresh idempotency keys are distinct UUID v4s", () => {
  const client = new Client(LOCAL, SECRET);
  const options = { today: "2026-11-27" };
  const keys = [];
  for (let i = 0; i < 100; i++) {
    keys.push(api.newIdempotencyKey());
    const request = client.createApplication("token", GUIDE_APPLICATION, options);
    assert.equal(request.headers.find(([n]) => n === "x-jiko-idempotency")[1], request.idempotency_key);
    keys.push(request.idempotency_key, client.listAgreements("token").idempotency_key);
  }
  for (const key of keys) assert.match(key, UUID_V4);
  assert.equal(new Set(keys).size, keys.length);
});

test("prepared requests are plain objects with the body as a Uint8Array", () => {
  const key = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  const client = new Client(LOCAL, SECRET);
  const requests = [
    client.createApplication("to\"k\\en", GUIDE_APPLICATION, { today: "2026-11-27", idempotencyKey: key }),
    client.login("user", "pass"),
    client.listAgreements("token", { idempotencyKey: key }),
    client.apply("token", APP_ID, { idempotencyKey: key }),
    client.uploadDocument("token", APP_ID, "PASSPORT", "image/png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { idempotencyKey: key }),
  ];
  for (const request of requests) {
    assert.deepEqual(Object.keys(request), ["method", "url", "path", "headers", "idempotency_key", "body"]);
    assert.ok(request.body instanceof Uint8Array);
    for (const header of request.headers) assert.ok(Array.isArray(header) && header.length === 2);
  }
  assert.equal(requests[0].headers[0][1], 'Bearer to"k\\en');
  assert.equal(requests[1].idempotency_key, null);
  assert.equal(requests[2].idempotency_key, key);
});

test("a prepared body is a copy: later requests do not change it", () => {
  const client = new Client(LOCAL, SECRET);
  const options = { today: "2026-11-27" };
  const first = client.createApplication("token", GUIDE_APPLICATION, options);
  const before = Buffer.from(first.body).toString("latin1");
  const other = { ...GUIDE_APPLICATION, email: "someone.else@example.org", name: { first_name: "Ada", last_name: "Lovelace" } };
  for (let i = 0; i < 50; i++) {
    client.createApplication("token", other, options);
    const png = new Uint8Array(600).fill(i);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    client.uploadDocument("token", APP_ID, "PASSPORT", "image/png", png);
  }
  assert.equal(Buffer.from(first.body).toString("latin1"), before);
  assert.equal(JSON.parse(Buffer.from(first.body).toString("utf8")).email, GUIDE_APPLICATION.email);
});

test("text outside ASCII crosses intact, in both directions", () => {
  const client = new Client(LOCAL, SECRET);
  const options = { today: "2026-11-27", idempotencyKey: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" };
  const name = { first_name: "Zoë 🚀", middle_name: "\u2028\"q\"", last_name: "Ñúñez\u0007" };
  const application = { ...GUIDE_APPLICATION, name };
  for (const input of [application, JSON.stringify(application)]) {
    const body = JSON.parse(Buffer.from(client.createApplication("token", input, options).body).toString("utf8"));
    assert.deepEqual(body.name, name);
  }
  // Lengths count characters, not UTF-16 units or bytes: 50 emoji fit, 51 do not.
  const long = (n) => ({ ...GUIDE_APPLICATION, name: { first_name: "🚀".repeat(n), last_name: "x" } });
  assert.deepEqual(api.validateApplication(long(50), "2026-11-27"), []);
  assert.deepEqual(api.validateApplication(long(51), "2026-11-27").map((e) => [e.path, e.code]), [["name.first_name", "too_long"]]);
});

test("after approval: the new builders and parsers", () => {
  const client = new Client(LOCAL, SECRET);
  const customer = "6f1c2a9e-0d5b-4c3e-8f7a-1b2c3d4e5f60";
  const account = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  const paths = [
    client.getCustomer("token", customer).path,
    client.listCustomerAccounts("token", customer).path,
    client.listPortals("token", account).path,
    client.createSubscription("token", "https://partner.example/hooks", ["application.approved"], "a-shared-secret-16+").path,
    client.listEvents("token").path,
  ];
  assert.deepEqual(paths, [
    `/api/v1/customers/${customer}/`,
    `/api/v1/customers/${customer}/jiko-accounts/`,
    `/api/v1/jiko-accounts/${account}/portals/`,
    "/api/v1/subscriptions/",
    "/api/v1/events/",
  ]);
  // The query is not signed: the URL has it, the path does not.
  const page = client.listEvents("token", { after: "2026-12-01T00:00:00Z", cursor: "a b" });
  assert.equal(page.url, "http://127.0.0.1:8080/api/v1/events/?after=2026-12-01T00%3A00%3A00Z&cursor=a%20b");
  assert.equal(page.path, "/api/v1/events/");
  const subscription = JSON.parse(new TextDecoder().decode(client.createSubscription("token", "https://partner.example/hooks", ["application.approved", "something.new"], "a-shared-secret-16+").body));
  assert.deepEqual(subscription, { url: "https://partner.example/hooks", events: ["application.approved", "something.new"], shared_secret: "a-shared-secret-16+" });
  const e = thrown(() => client.createSubscription("token", "ftp://x", [], "short"));
  assert.ok(e instanceof JikoValidationError);
  assert.deepEqual(e.errors.map((x) => x.code), ["invalid_url", "required", "too_short"]);

  const portals = api.parsePortals(200, JSON.stringify({ count: 1, portals: [{ id: "p", jiko_account_id: account, routing_number: "021000021", account_number: "000123", status: "OPEN" }] }));
  const portal = portals.portals[0];
  assert.equal(portal.routing_number, "021000021");
  assert.equal(portal.account_number, "000123", "leading zeros kept");
  assert.deepEqual(Object.keys(portal).sort(), ["id", "jiko_account_id", "name", "status"]);
  assert.ok(!JSON.stringify(portals).includes("021000021"));
  assert.equal(api.maskNumber("021000021"), "*****0021");
  assert.equal(api.parseCustomer(200, '{"type":"BUSINESS","account_status":"OPEN","name":"Acme"}').type, "BUSINESS");
  assert.equal(api.parseAccounts(200, '{"items":[{"id":"a","status":"OPEN"}]}').items[0].status, "OPEN");
  assert.equal(api.parseEvents(200, '{"items":[]}').items.length, 0);
});

test("verifyWebhook: Node's headers, Headers, a Map or pairs; several secrets; typed refusals", () => {
  const body = '{"event_id":"e1","timestamp":"2026-12-01T10:00:00+00:00","event_type":"application.approved","payload":{"application_id":"a1"}}';
  const secret = "whsec-binding-0123456789";
  const signature = createHmac("sha256", secret).update(body).digest("base64");
  const bytes = new TextEncoder().encode(body);
  for (const headers of [
    { "x-jiko-signature": signature, "content-type": "application/json" },
    { "x-jiko-signature": [signature] },
    new Headers({ "X-Jiko-Signature": signature }),
    new Map([["x-jiko-signature", signature]]),
    [["X-JIKO-SIGNATURE", signature]],
  ]) {
    for (const raw of [bytes, bytes.buffer, body, Buffer.from(body)]) {
      const event = api.verifyWebhook(headers, raw, ["an-old-secret-0123456789", secret]);
      assert.deepEqual(
        [event.event_id, event.event_type, event.application_id, event.payload.application_id],
        ["e1", "application.approved", "a1", "a1"],
      );
    }
  }
  assert.equal(api.verifyWebhook({ "x-jiko-signature": signature }, bytes, secret).event_id, "e1", "one secret as a string");
  const refused = thrown(() => api.verifyWebhook({ "x-jiko-signature": signature }, JSON.stringify(JSON.parse(body), null, 1), secret));
  assert.ok(refused instanceof api.JikoWebhookError);
  assert.equal(refused.code, "bad_signature");
  assert.match(refused.message, /raw body/);
  assert.equal(thrown(() => api.verifyWebhook({}, bytes, secret)).code, "missing_signature");
  assert.equal(thrown(() => api.verifyWebhook(42, bytes, secret)).code, "invalid_argument");
});

test("the engine's classes and policies check their arguments", () => {
  const client = new Client(LOCAL, SECRET);
  const auth = new api.Authenticator("user", "password-ABC");
  assert.equal(String(auth), "Authenticator(<redacted>)");
  assert.equal(JSON.stringify(auth), '"Authenticator(<redacted>)"');
  const flow = api.OnboardingFlow.start(client, GUIDE_APPLICATION, { today: "2026-11-27", now: 1_796_119_200_000, config: { check_consent_version: false } });
  assert.equal(flow.applicationId, null);
  assert.equal(flow.application, null);
  assert.equal(flow.isFinished(), false);
  assert.equal(thrown(() => flow.result()).code, "invalid_argument", "result() describes the last poll");
  const step = flow.poll(1_796_119_200_000, auth);
  assert.equal(step.kind, "send");
  assert.equal(step.operation, "login");
  assert.equal(step.path_template, "/api/v1/login/");
  assert.equal(flow.result().state, "waiting");
  assert.equal(thrown(() => flow.poll(-1, auth)).code, "invalid_argument");
  assert.equal(thrown(() => flow.handleTransportError(step.attempt, "lost", 1, auth)).code, "invalid_argument");
  assert.equal(thrown(() => flow.handleResponse(1.5, 200, [], "", 1, auth)).code, "invalid_argument");
  assert.equal(thrown(() => api.OnboardingFlow.start(client, GUIDE_APPLICATION, { todya: "2026-11-27" })).code, "invalid_argument");
  assert.equal(thrown(() => api.OnboardingFlow.start(client, GUIDE_APPLICATION, { config: { retry: "fast" } })).code, "invalid_argument");
  assert.equal(thrown(() => api.OnboardingFlow.start(client, "{not json", { today: "2026-11-27" })).code, "validation_failed");
  assert.equal(api.retryDecision({ observed: { status: 503 }, kind: "read", retries: 0, key_age_ms: 0, relogged_in: false, ambiguous_before: false, random: 0 }).decision, "retry");
  assert.equal(thrown(() => api.retryDecision({ observed: { transport: "lost" }, kind: "read", retries: 0, key_age_ms: 0, relogged_in: false, ambiguous_before: false, random: 0 })).code, "invalid_argument");
  assert.equal(api.backoffMs(1, 0), 500);
  assert.equal(api.backoffMs(1, 0, { base_delay_ms: 100 }), 100);
  assert.equal(api.retryAfterMs("soon", 0), null);
  assert.equal(api.pollDelayMs({ reason: "kyc_in_progress", waited_ms: 0, reads: 0, webhooks: false, random: 0.5 }), 2000);
});
