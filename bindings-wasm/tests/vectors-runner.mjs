// The shared vectors (tests/vectors/*.json) against the npm package's public API.
// Environment-free: the same module runs under `node --test` (ESM and CommonJS
// callers) and in a Chromium page. It only builds the cases; the caller runs them.
//
//   buildCases(api, files, { secretOptions, entry }) -> [{ file, name, run }]
//     api    the package's exports (import * as api from "jiko-onboarding")
//     files  { "signing.json": {cases: [...]}, ... } as parsed from the vector files
//     secretOptions  passed to `new Client` / `new Signer` (a page needs
//                    { dangerouslyAllowBrowser: true })
//     entry  "main" (default): every case; "browser": jiko-onboarding/browser, which
//            cannot sign, runs the cases of BROWSER_CASES only (browserCaseCount says
//            how many that is)

export const VECTOR_FILES = [
  "flows.json",
  "onboarding.json",
  "poll.json",
  "requests.json",
  "responses.json",
  "retry.json",
  "sandbox.json",
  "signing.json",
  "uploads.json",
  "validation.json",
  "webhooks.json",
];

/** What jiko-onboarding/browser can run: a file's cases, or those a predicate accepts. */
export const BROWSER_CASES = {
  "onboarding.json": () => true,
  "sandbox.json": () => true,
  "uploads.json": () => true,
  "validation.json": () => true,
  // parseApplication is the browser entry's only parser.
  "responses.json": (c) => c.parser === "application",
};

/** How many cases of `files` the browser entry runs. */
export function browserCaseCount(files) {
  let n = 0;
  for (const [file, data] of Object.entries(files)) {
    const accept = BROWSER_CASES[file];
    if (accept) n += data.cases.filter(accept).length;
  }
  return n;
}

class AssertionError extends Error {}

function fail(message) {
  throw new AssertionError(message);
}

function show(value) {
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 300 ? text.slice(0, 300) + "..." : text;
  } catch {
    return String(value);
  }
}

function same(actual, expected, where = "value") {
  if (expected === null || typeof expected !== "object") {
    if (actual !== expected) fail(`${where}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail(`${where}: expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length) {
      fail(`${where}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`);
    }
    expected.forEach((e, i) => same(actual[i], e, `${where}[${i}]`));
    return;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
    fail(`${where}: expected an object, got ${show(actual)}`);
  }
  const ak = Object.keys(actual).sort();
  const ek = Object.keys(expected).sort();
  if (ak.join() !== ek.join()) fail(`${where}: expected keys ${ek.join(",")}, got ${ak.join(",")}`);
  for (const k of ek) same(actual[k], expected[k], `${where}.${k}`);
}

function ok(condition, message) {
  if (!condition) fail(message);
}

function bytesEqual(a, b, where) {
  ok(a instanceof Uint8Array, `${where}: expected a Uint8Array, got ${show(a)}`);
  ok(a.length === b.length, `${where}: expected ${b.length} bytes, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) fail(`${where}: bytes differ at offset ${i}`);
  }
}

function base64Bytes(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** `{utf8}`, `{base64}` or `{prefix_base64, size}` as bytes. */
export function vectorBytes(spec) {
  if (typeof spec.utf8 === "string") return new TextEncoder().encode(spec.utf8);
  if (typeof spec.base64 === "string") return base64Bytes(spec.base64);
  if (typeof spec.prefix_base64 === "string") {
    const out = new Uint8Array(spec.size);
    out.set(base64Bytes(spec.prefix_base64).subarray(0, spec.size));
    return out;
  }
  fail(`unknown bytes form ${show(spec)}`);
}

/** Runs `fn`, which must throw; returns the error after checking the class family. */
function throws(api, fn, Class, where) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  ok(error !== undefined, `${where}: expected an error, nothing was thrown`);
  ok(error instanceof Error, `${where}: expected an Error, got ${show(error)}`);
  ok(error instanceof api.JikoError, `${where}: expected a JikoError, got ${error && error.name}: ${error && error.message}`);
  ok(error instanceof Class, `${where}: expected a ${Class.name}, got ${error.name} (${error.code}): ${error.message}`);
  ok(typeof error.code === "string" && error.code.length > 0, `${where}: the error has no code`);
  ok(typeof error.message === "string" && error.message.length > 0, `${where}: the error has no message`);
  ok(error.name === Class.name, `${where}: error.name is ${error.name}, expected ${Class.name}`);
  return error;
}

/** Every string value (not key) of a JSON value. */
function stringValues(value, out = []) {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringValues(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => stringValues(v, out));
  return out;
}

/** No string value of the input longer than 3 characters may appear in `text`. */
function noEcho(text, input, where, allowed = []) {
  for (const s of stringValues(input)) {
    if (s.length > 3 && !allowed.includes(s) && text.includes(s)) {
      fail(`${where}: the message repeats an input value (${s.length} characters)`);
    }
  }
}

function pairs(errors) {
  return errors.map((e) => `${e.path} ${e.code}`);
}

function sameMultiset(actual, expected, where) {
  const a = [...actual].sort();
  const e = [...expected].sort();
  if (a.join("\n") !== e.join("\n")) fail(`${where}: expected ${show(e)}, got ${show(a)}`);
}

function fieldErrorsWellFormed(errors, input, where) {
  ok(Array.isArray(errors), `${where}: errors is not an array`);
  for (const e of errors) {
    ok(typeof e.path === "string" && typeof e.code === "string", `${where}: malformed field error ${show(e)}`);
    ok(typeof e.message === "string" && e.message.length > 0, `${where}: field error without a message`);
    noEcho(e.message, input, `${where}: ${e.path}`);
  }
}

// ------------------------------------------------------------------------------ files

function signingCase(api, c, opts) {
  const signer = new api.Signer(c.secret, opts.secretOptions);
  const body = vectorBytes(c.body);
  const signature = signer.sign(c.idempotency_key, c.path, body);
  same(signature, c.signature, "signature");
  ok(signer.verify(c.idempotency_key, c.path, body, c.signature), "verify refused the expected signature");
  const longer = new Uint8Array(body.length + 1);
  longer.set(body);
  longer[body.length] = 0x78; // "x"
  ok(!signer.verify(c.idempotency_key, c.path, longer, c.signature), "verify accepted a signature for another body");
  ok(!String(signer).includes(c.secret) && !JSON.stringify(signer).includes(c.secret), "the signer shows its secret");
}

function validationCase(api, c) {
  const errors = api.validateApplication(c.application, c.today);
  fieldErrorsWellFormed(errors, c.application, "validateApplication");
  sameMultiset(pairs(errors), pairs(c.errors), "field errors");
}

function onboardingCase(api, c) {
  // As a user does it: parse the server's answer, then ask the core.
  const app = api.parseApplication(200, JSON.stringify(c.application));
  same(api.requiredDocuments(app), c.required_documents, "requiredDocuments");
  same(api.nextAction(app), c.next_action, "nextAction");
  // The raw response object is accepted as it is, too.
  same(api.requiredDocuments(c.application), c.required_documents, "requiredDocuments(raw)");
  same(api.nextAction(c.application), c.next_action, "nextAction(raw)");
}

function sandboxCase(api, c) {
  same(api.sandboxScenario(c.ssn), c.scenario, "sandboxScenario");
}

const PARSERS = {
  login: "parseLogin",
  agreements: "parseAgreements",
  application: "parseApplication",
  upload: "parseUpload",
};

function responsesCase(api, c) {
  const parse = api[PARSERS[c.parser]];
  ok(typeof parse === "function", `no parser for ${c.parser}`);
  const body = vectorBytes(c.body);
  const retryAfter = c.retry_after === undefined ? undefined : String(c.retry_after);
  if (c.expect.ok) {
    const parsed = parse(c.status, body, retryAfter);
    if (c.parser === "login") {
      ok(parsed instanceof api.Session, "parseLogin did not return a Session");
      same(
        { token: parsed.token, expires: parsed.expires, expires_at_unix_seconds: parsed.expiresAtUnixSeconds },
        c.expect.ok,
        "session",
      );
      ok(!String(parsed).includes(parsed.token) && !JSON.stringify(parsed).includes(parsed.token), "the session shows its token");
    } else {
      same(JSON.parse(JSON.stringify(parsed)), c.expect.ok, "parsed");
      same(parsed, c.expect.ok, "parsed object");
    }
    // The same bytes as text parse the same way (a body may be a string).
    const text = new TextDecoder().decode(body);
    if (c.parser !== "login") same(parse(c.status, text, retryAfter), c.expect.ok, "parsed from text");
    return;
  }
  const want = c.expect.error;
  const error = throws(api, () => parse(c.status, body, retryAfter), api.JikoApiError, "parse");
  same(error.code, want.code, "code");
  same(error.kind, want.kind, "kind");
  same(error.status, want.status, "status");
  same(pairs(error.errors), pairs(want.errors), "errors");
  same(error.retryAfterSeconds, want.retry_after_seconds, "retryAfterSeconds");
  same(error.retryable, want.kind === "rate_limited" || want.kind === "server", "retryable");
  const text = new TextDecoder().decode(body);
  if (text.trim().length > 3) ok(!error.message.includes(text.trim()), "the message repeats the body");
  let parsedBody;
  try {
    parsedBody = JSON.parse(text);
  } catch {
    parsedBody = undefined;
  }
  const schemaWords = want.errors.flatMap((e) => [...e.path.split("."), e.code]).concat(["body"]);
  noEcho(error.message, parsedBody, "message", schemaWords);
  same(String(error), `JikoApiError: ${error.message}`, "toString");
}

function requestsCase(api, c, opts) {
  const build = () => {
    const client = new api.Client(c.client, c.secret, opts.secretOptions);
    const a = c.args;
    const key = c.idempotency_key === null ? undefined : c.idempotency_key;
    switch (c.operation) {
      case "client":
        return client;
      case "login":
        return client.login(a.username, a.password);
      case "list_agreements":
        return client.listAgreements(a.token, { idempotencyKey: key });
      case "create_application":
        return client.createApplication(a.token, a.application, { today: c.today, idempotencyKey: key });
      case "get_application":
        return client.getApplication(a.token, a.application_id, { idempotencyKey: key });
      case "apply":
        return client.apply(a.token, a.application_id, { idempotencyKey: key });
      case "upload_document":
        return client.uploadDocument(a.token, a.application_id, a.document_type, a.content_type, vectorBytes(a.body), {
          idempotencyKey: key,
        });
      default:
        return fail(`unknown operation ${c.operation}`);
    }
  };
  if (c.expect.error) {
    const want = c.expect.error;
    const Class =
      want.code === "validation_failed"
        ? api.JikoValidationError
        : ["empty", "too_large", "wrong_type"].includes(want.code)
          ? api.JikoDocumentError
          : api.JikoError;
    const error = throws(api, build, Class, c.operation);
    same(error.code, want.code, "code");
    if (want.errors) {
      sameMultiset(pairs(error.errors), pairs(want.errors), "errors");
      fieldErrorsWellFormed(error.errors, c.args, "errors");
    }
    // Content and document types are schema vocabulary, not personal data.
    noEcho(error.message, c.args, "message", [c.args.content_type, c.args.document_type]);
    if (typeof c.secret === "string" && c.secret.length > 3) ok(!error.message.includes(c.secret), "the message shows the secret");
    return;
  }
  const request = build();
  const want = c.expect;
  same(request.method, want.method, "method");
  same(request.url, want.url, "url");
  same(request.path, want.path, "path");
  same(request.headers, want.headers, "headers");
  bytesEqual(request.body, vectorBytes(want.body), "body");
  same(request.idempotency_key, want.idempotency_key, "idempotency_key");
  same(Object.keys(request).sort(), ["body", "headers", "idempotency_key", "method", "path", "url"], "keys");
}

function uploadsCase(api, c, opts) {
  const bytes = vectorBytes(c.bytes);
  if (c.expect === "ok") {
    api.checkUpload(c.document_type, c.content_type, bytes);
  } else {
    const error = throws(api, () => api.checkUpload(c.document_type, c.content_type, bytes), api.JikoDocumentError, "checkUpload");
    same(error.code, c.expect, "code");
  }
  if (opts.entry === "browser") return;
  // The request builder runs the same check first.
  const client = new api.Client({ base_url: "http://127.0.0.1:8080" }, "upload-secret", opts.secretOptions);
  const id = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10";
  const upload = () => client.uploadDocument("token", id, c.document_type, c.content_type, bytes);
  if (c.expect === "ok") {
    same(upload().body.length, bytes.length, "uploaded body length");
  } else {
    same(throws(api, upload, api.JikoDocumentError, "uploadDocument").code, c.expect, "code");
  }
}

// ------------------------------------------------------------ retry, poll, webhooks

function retryCase(api, c) {
  if (c.header !== undefined) {
    same(api.retryAfterMs(c.header, c.now_ms), c.expect_ms, "retryAfterMs");
    return;
  }
  same(api.retryDecision(c.input, c.policy), c.expect, "retryDecision");
}

function pollCase(api, c) {
  same(api.pollDelayMs(c.input, c.policy), c.expect_delay_ms, "pollDelayMs");
}

function webhooksCase(api, c) {
  const verify = () => api.verifyWebhook(c.headers, vectorBytes(c.body), c.secrets);
  if (c.expect.ok) {
    const event = verify();
    same(
      { event_id: event.event_id, event_type: event.event_type, timestamp: event.timestamp, application_id: event.application_id },
      c.expect.ok,
      "event",
    );
    return;
  }
  const error = throws(api, verify, api.JikoWebhookError, "verifyWebhook");
  same(error.code, c.expect.error, "code");
  for (const secret of c.secrets.filter((s) => s.length > 3)) ok(!error.message.includes(secret), "the message shows a secret");
}

// ---------------------------------------------------------------------- flows.json
//
// The reference harness is core/tests/vectors.rs (Harness); this is the same host, in
// the same order, through the package's OnboardingFlow and Authenticator.

const FLOW_CLIENT = { base_url: "http://127.0.0.1:8080" };
const FLOW_SECRET = "sandbox-signing-secret";

function hex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** A step as comparable text (the body as hex). */
function stepText(step) {
  return JSON.stringify(step, (key, value) => (value instanceof Uint8Array ? hex(value) : value));
}

function header(request, name) {
  const found = request.headers.find(([n]) => n.toLowerCase() === name);
  return found ? found[1] : undefined;
}

/** The approved customer as its wire form (its numbers are non-enumerable: read by name). */
function customerWire(customer) {
  return {
    customer_id: customer.customer_id,
    accounts: customer.accounts.map((a) => ({
      account_id: a.account_id,
      portals: a.portals.map((p) => ({
        portal_id: p.portal_id,
        routing_number: p.routing_number,
        account_number: p.account_number,
        status: p.status,
      })),
    })),
  };
}

class Harness {
  constructor(api, c, opts) {
    this.api = api;
    this.c = c;
    this.client = new api.Client(FLOW_CLIENT, FLOW_SECRET, opts.secretOptions);
    this.auth = new api.Authenticator("sandbox-user", "sandbox-password");
    this.now = c.start_ms;
    this.flow = api.OnboardingFlow.start(this.client, c.application, { today: c.today, now: c.start_ms, config: c.config });
    this.keys = new Set();
    this.lastSent = new Map();
    this.documents = [];
  }

  run() {
    this.c.script.forEach((entry, i) => {
      const at = `entry ${i}`;
      if (entry.expect) {
        if (this.c.restore_every_step && !this.flow.isFinished()) this.restore();
        const step = this.flow.poll(this.now, this.auth);
        same(stepText(this.flow.poll(this.now, this.auth)), stepText(step), `${at}: polling again`);
        const expected = entry.expect[step.kind];
        ok(expected !== undefined, `${at}: expected ${show(entry.expect)}, got ${stepText(step).slice(0, 300)}`);
        if (step.kind === "send") {
          this.checkSend(step, expected, at);
          this.answer(step, entry.then, at);
        } else if (step.kind === "wait") {
          this.checkWait(step, expected, at);
          if (!entry.stay) this.now = step.until_ms;
        } else if (step.kind === "need_documents") {
          same(step.requirements, expected.requirements, `${at}: requirements`);
        } else {
          this.checkDone(step, expected, at);
        }
      } else if (entry.notify) {
        this.flow.notify(this.now);
      } else if (entry.provide) {
        this.provide(entry.provide, entry.error, at);
      } else if (entry.restore) {
        this.restore();
      } else if (entry.advance_ms !== undefined) {
        this.now += entry.advance_ms;
      } else {
        fail(`${at}: unknown entry ${show(entry)}`);
      }
    });
  }

  /** Snapshot, restore into a new flow, and provide the documents not uploaded yet again. */
  restore() {
    const snapshot = this.flow.snapshot();
    this.flow.free();
    this.flow = this.api.OnboardingFlow.restore(this.client, snapshot, {
      application: this.c.application,
      today: this.c.today,
      config: this.c.config,
    });
    for (const [type, contentType, data] of this.documents) this.flow.provideDocument(type, contentType, data);
  }

  checkSend(step, expected, at) {
    const { request, operation } = step;
    same(operation, expected.operation, `${at}: operation`);
    same(request.method, expected.method, `${at}: method`);
    same(request.path, expected.path, `${at}: path`);
    const key = request.idempotency_key;
    if (expected.key === null) {
      same(key, null, `${at}: key`);
    } else if (expected.key === "new") {
      ok(typeof key === "string" && !this.keys.has(key), `${at}: a key sent before`);
      this.keys.add(key);
    } else if (expected.key === "repeat") {
      const previous = this.lastSent.get(operation);
      ok(previous !== undefined, `${at}: nothing to repeat`);
      same(key, previous.idempotency_key, `${at}: another key`);
      bytesEqual(request.body, previous.body, `${at}: other bytes`);
      same(header(request, "x-jiko-signature"), header(previous, "x-jiko-signature"), `${at}: another signature`);
    } else {
      fail(`${at}: key ${expected.key}`);
    }
    if (expected.token !== undefined) same(header(request, "authorization"), `Bearer ${expected.token}`, `${at}: token`);
    this.lastSent.set(operation, request);
  }

  /** Hands the script's answer back; a send without `then` stays outstanding. */
  answer(step, then, at) {
    if (then === undefined) return;
    if (then.transport) {
      this.flow.handleTransportError(step.attempt, then.transport, this.now, this.auth);
      return;
    }
    this.flow.handleResponse(step.attempt, then.status, then.headers ?? [], vectorBytes(then.body), this.now, this.auth);
    // An uploaded document is no longer the host's to give again.
    if (step.operation === "upload_document" && then.status >= 200 && then.status < 300) {
      this.documents = this.documents.filter(([type]) => !step.request.path.endsWith(`/${type}/file/`));
    }
    void at;
  }

  checkWait(step, expected, at) {
    same(step.reason, expected.reason, `${at}: reason`);
    same(step.retry_reason, expected.retry_reason ?? null, `${at}: retry_reason`);
    const delay = step.until_ms - this.now;
    ok(delay >= expected.min_ms && delay <= expected.max_ms, `${at}: waits ${delay} ms, not ${expected.min_ms}..=${expected.max_ms}`);
  }

  provide(document, code, at) {
    const data = vectorBytes(document.bytes);
    const call = () => this.flow.provideDocument(document.document_type, document.content_type, data);
    if (code !== undefined) {
      let error;
      try {
        call();
      } catch (e) {
        error = e;
      }
      ok(error instanceof this.api.JikoError, `${at}: expected ${code}, got ${error}`);
      same(error.code, code, `${at}: code`);
      return;
    }
    call();
    this.documents.push([document.document_type, document.content_type, data]);
  }

  checkDone(step, expected, at) {
    same(step.state, expected.state, `${at}: state${step.error ? ` (${step.error.code}: ${step.error.message})` : ""}`);
    if (expected.state === "approved") {
      same(customerWire(step.customer), expected.customer, `${at}: customer`);
      return;
    }
    if (expected.state !== "failed") return;
    const error = step.error;
    ok(error instanceof this.api.JikoError, `${at}: the failure is not a JikoError`);
    same(error.code, expected.code, `${at}: code (${error.message})`);
    if (expected.status !== undefined) {
      ok(error instanceof this.api.JikoApiError, `${at}: not a JikoApiError`);
      same(error.status, expected.status, `${at}: status`);
    }
    const key = error instanceof this.api.JikoFlowError ? error.idempotencyKey : null;
    if (expected.idempotency_key !== undefined) {
      const createKey = this.lastSent.get("create_application").idempotency_key;
      same(key, createKey, `${at}: idempotencyKey`);
      ok(error.message.includes(key), `${at}: the message does not name the key`);
    } else {
      same(key, null, `${at}: idempotencyKey`);
    }
  }
}

function flowsCase(api, c, opts) {
  const harness = new Harness(api, c, opts);
  try {
    harness.run();
  } finally {
    harness.flow.free();
    harness.auth.free();
    harness.client.free();
  }
}

const RUNNERS = {
  "signing.json": signingCase,
  "validation.json": validationCase,
  "onboarding.json": onboardingCase,
  "sandbox.json": sandboxCase,
  "responses.json": responsesCase,
  "requests.json": requestsCase,
  "uploads.json": uploadsCase,
  "retry.json": retryCase,
  "poll.json": pollCase,
  "webhooks.json": webhooksCase,
  "flows.json": flowsCase,
};

export function buildCases(api, files, opts = {}) {
  const cases = [];
  const browser = opts.entry === "browser";
  for (const [file, data] of Object.entries(files)) {
    const runner = RUNNERS[file];
    if (!runner) throw new Error(`no runner for vector file ${file}: update bindings-wasm/tests/vectors-runner.mjs`);
    const accept = browser ? BROWSER_CASES[file] : () => true;
    if (!accept) continue;
    const seen = new Set();
    for (const c of data.cases) {
      if (seen.has(c.name)) throw new Error(`duplicate case ${file}: ${c.name}`);
      seen.add(c.name);
      if (accept(c)) cases.push({ file, name: c.name, run: () => runner(api, c, opts) });
    }
  }
  return cases;
}

/** Runs every case: { passed, failed, results: [{ file, name, ok, message? }] }. */
export function runAll(cases) {
  const out = { passed: 0, failed: 0, results: [] };
  for (const c of cases) {
    try {
      c.run();
      out.passed++;
      out.results.push({ file: c.file, name: c.name, ok: true });
    } catch (e) {
      out.failed++;
      out.results.push({ file: c.file, name: c.name, ok: false, message: String(e && e.message ? e.message : e) });
    }
  }
  return out;
}
