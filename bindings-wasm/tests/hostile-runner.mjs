// The hostile corpus (tests/vectors/hostile/) against the npm package's public API.
// Environment-free, like vectors-runner.mjs: the same checks run under `node --test`
// and in a Chromium page; the caller loads the bytes.
//
//   runHostileCase(api, entry, bytes, { probe, webhookSecret, webhookSignature }) -> { name, calls }
//     throws an Error naming the first call that did not end as expected.
//     probe()           checks that the module still works (throws if not)
//     webhookSignature  the file's x-jiko-signature under webhookSecret, computed outside
//                       the module (main entry only)
//
// Every file goes
//   - to each parser the entry has (all of PARSERS in the main entry, parseApplication
//     in jiko-onboarding/browser), as bytes (Uint8Array), as an ArrayBuffer and, when it
//     is UTF-8, as text (a string), with status 200 (-> JikoApiError, kind "invalid_response") and 422
//     (-> JikoApiError, kind "validation");
//   - in the main entry, to verifyWebhook: unsigned (-> missing_signature), signed
//     wrongly (-> bad_signature) and signed rightly (-> malformed: no file is an event);
//   - to validateApplication as bytes and (UTF-8 only) as text (-> at least one field
//     error), and,
//     when JSON.parse accepts the text, as the parsed value (-> at least one field error
//     or a JikoError);
// and no call may end in anything else: a WebAssembly trap (RuntimeError "unreachable"),
// a JavaScript error that is not a JikoError, or a result where an error was due. After
// the file, the module must still work (`probe`).

export const PARSERS = [
  "parseLogin",
  "parseAgreements",
  "parseApplication",
  "parseUpload",
  "parseCustomer",
  "parseAccounts",
  "parsePortals",
  "parseSubscription",
  "parseEvents",
];
export const TODAY = "2026-11-27";
export const PROBE = ["3f2504e0-4f89-41d3-9a0c-0305e82c3301", "/api/v1/agreements/", "{}"];

function describe(e) {
  if (e === null || e === undefined) return String(e);
  const kind = e.constructor && e.constructor.name ? e.constructor.name : typeof e;
  return `${kind}: ${String(e.message ?? e).slice(0, 200)}`;
}

function isTrap(e) {
  return (
    (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) ||
    /unreachable|RuntimeError|memory access out of bounds/i.test(String(e && e.message))
  );
}

/** Calls fn, expecting a thrown JikoApiError of this kind and status. */
function expectApiError(api, what, fn, kind, status) {
  let result;
  try {
    result = fn();
  } catch (e) {
    if (isTrap(e)) throw new Error(`${what}: WebAssembly trap: ${describe(e)}`);
    if (!(e instanceof api.JikoApiError)) throw new Error(`${what}: not a JikoApiError: ${describe(e)}`);
    if (e.kind !== kind || e.code !== `api_${kind}` || e.status !== status) {
      throw new Error(`${what}: expected kind ${kind} status ${status}, got ${e.kind} ${e.code} ${e.status}`);
    }
    return;
  }
  throw new Error(`${what}: no error; returned ${typeof result}`);
}

/** Calls fn, expecting a non-empty array of field errors (or a thrown JikoError). */
function expectFieldErrors(api, what, fn, { allowThrow }) {
  let errors;
  try {
    errors = fn();
  } catch (e) {
    if (isTrap(e)) throw new Error(`${what}: WebAssembly trap: ${describe(e)}`);
    if (allowThrow && e instanceof api.JikoError) return;
    throw new Error(`${what}: threw ${describe(e)}`);
  }
  if (!Array.isArray(errors) || errors.length === 0) {
    throw new Error(`${what}: expected at least one field error, got ${JSON.stringify(errors)}`);
  }
  for (const f of errors) {
    if (typeof f.path !== "string" || typeof f.code !== "string" || typeof f.message !== "string") {
      throw new Error(`${what}: a field error without path, code and message`);
    }
  }
}

/** Calls fn, expecting a thrown JikoWebhookError with this code. */
function expectWebhookError(api, what, fn, code) {
  try {
    fn();
  } catch (e) {
    if (isTrap(e)) throw new Error(`${what}: WebAssembly trap: ${describe(e)}`);
    if (!(e instanceof api.JikoWebhookError) || e.code !== code) throw new Error(`${what}: expected ${code}, got ${describe(e)} (${e && e.code})`);
    return;
  }
  throw new Error(`${what}: no error`);
}

export function runHostileCase(api, entry, bytes, { probe, webhookSecret, webhookSignature }) {
  const name = entry.name;
  if (bytes.length !== entry.size) throw new Error(`${name}: ${bytes.length} bytes, the index says ${entry.size}`);
  // A copy per form, so that no call can see another's buffer.
  const asBytes = () => new Uint8Array(bytes);
  const asBuffer = () => new Uint8Array(bytes).buffer;
  // The same bytes as a JavaScript string, when they are UTF-8 (a byte order mark kept).
  // Invalid UTF-8 has no string form: decoding it would replace the bad bytes and could
  // turn a hostile file into a valid document, so those files go as bytes only.
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  const forms = [
    ["bytes", asBytes],
    ["ArrayBuffer", asBuffer],
  ];
  if (text !== undefined) forms.push(["text", () => text]);
  let calls = 0;
  for (const parser of PARSERS.filter((p) => typeof api[p] === "function")) {
    const parse = api[parser];
    for (const [form, body] of forms) {
      expectApiError(api, `${name}: ${parser}(200, ${form})`, () => parse(200, body()), "invalid_response", 200);
      expectApiError(api, `${name}: ${parser}(422, ${form})`, () => parse(422, body()), "validation", 422);
      calls += 2;
    }
  }
  for (const [form, body] of forms.filter(([f]) => f !== "ArrayBuffer")) {
    expectFieldErrors(api, `${name}: validateApplication(${form})`, () => api.validateApplication(body(), TODAY), {
      allowThrow: false,
    });
    calls += 1;
  }
  let value;
  let parsed = text !== undefined;
  try {
    if (parsed) value = JSON.parse(text);
  } catch {
    parsed = false;
  }
  if (parsed) {
    expectFieldErrors(api, `${name}: validateApplication(JSON.parse(text))`, () => api.validateApplication(value, TODAY), {
      allowThrow: true,
    });
    calls += 1;
  }
  if (typeof api.verifyWebhook === "function") {
    const verify = (signature) => () => api.verifyWebhook(signature ? [["x-jiko-signature", signature]] : [], asBytes(), [webhookSecret]);
    expectWebhookError(api, `${name}: verifyWebhook(unsigned)`, verify(undefined), "missing_signature");
    expectWebhookError(api, `${name}: verifyWebhook(wrongly signed)`, verify("AAAA"), "bad_signature");
    expectWebhookError(api, `${name}: verifyWebhook(signed)`, verify(webhookSignature), "malformed");
    calls += 3;
  }
  // The module still works.
  try {
    probe();
  } catch (e) {
    throw new Error(`${name}: the module no longer works after this case: ${describe(e)}`);
  }
  return { name, calls: calls + 1 };
}
