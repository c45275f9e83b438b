// The shared vectors (tests/vectors/*.json) against the npm package's public API.
// Environment-free: the same module runs under `node --test` (ESM and CommonJS
// callers) and in a Chromium page. It only builds the cases; the caller runs them.
//
//   buildCases(api, files, { secretOptions }) -> [{ file, name, run }]
//     api    the package's exports (import * as api from "jiko-onboarding")
//     files  { "signing.json": {cases: [...]}, ... } as parsed from the vector files
//     secretOptions  passed to `new Client` / `new Signer` (a page needs
//                    { dangerouslyAllowBrowser: true })

export const VECTOR_FILES = [
  "onboarding.json",
  "requests.json",
  "responses.json",
  "sandbox.json",
  "signing.json",
  "uploads.json",
  "validation.json",
];

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

const RUNNERS = {
  "signing.json": signingCase,
  "validation.json": validationCase,
  "onboarding.json": onboardingCase,
  "sandbox.json": sandboxCase,
  "responses.json": responsesCase,
  "requests.json": requestsCase,
  "uploads.json": uploadsCase,
};

export function buildCases(api, files, opts = {}) {
  const cases = [];
  for (const [file, data] of Object.entries(files)) {
    const runner = RUNNERS[file];
    if (!runner) throw new Error(`no runner for vector file ${file}: update bindings-wasm/tests/vectors-runner.mjs`);
    const seen = new Set();
    for (const c of data.cases) {
      if (seen.has(c.name)) throw new Error(`duplicate case ${file}: ${c.name}`);
      seen.add(c.name);
      cases.push({ file, name: c.name, run: () => runner(api, c, opts) });
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
