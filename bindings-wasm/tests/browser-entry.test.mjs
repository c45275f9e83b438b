// jiko-onboarding/browser: exactly the functions of API.md ("The browser entry"), and no
// signing code in its module, by construction (the crate built without the core's
// `signing` feature). Its shared vectors run here in Node (the entry's node condition)
// and in headless Chromium (browser.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import * as browser from "jiko-onboarding/browser";
import * as main from "jiko-onboarding";
import { buildCases, browserCaseCount } from "./vectors-runner.mjs";
import { loadVectors } from "./load-vectors.mjs";

const PKG = process.env.JIKO_PKG_DIR;
if (!PKG) throw new Error("set JIKO_PKG_DIR to the installed package");
const BROWSER_WASM = readFileSync(join(PKG, "browser", "jiko_onboarding_bg.wasm"));
const SERVER_WASM = readFileSync(join(PKG, "web", "jiko_onboarding_bg.wasm"));

const FUNCTIONS = [
  "checkUpload",
  "nextAction",
  "parseApplication",
  "requiredDocuments",
  "sandboxScenario",
  "validateApplication",
  "validateApplicationJson",
  "version",
];
const ERRORS = [
  "JikoApiError",
  "JikoDocumentError",
  "JikoError",
  "JikoFlowError",
  "JikoTransportError",
  "JikoValidationError",
  "JikoWebhookError",
];

test("the browser entry exports exactly API.md's functions and the error classes", () => {
  assert.deepEqual(Object.keys(browser).sort(), [...FUNCTIONS, ...ERRORS].sort());
  for (const name of ["Client", "Signer", "Session", "Onboarding", "Flow", "OnboardingFlow", "Authenticator", "verifyWebhook", "newIdempotencyKey", "parseLogin"]) {
    assert.equal(browser[name], undefined, name);
  }
  // The same error classes as the main entry (one errors module): instanceof works across entries.
  for (const name of ERRORS) assert.equal(browser[name], main[name], name);
  assert.equal(browser.version(), main.version());
  const require = createRequire(import.meta.url);
  assert.equal(require("jiko-onboarding/browser").JikoError, main.JikoError);
  assert.deepEqual(Object.keys(require("jiko-onboarding/browser")).sort(), Object.keys(browser).sort());
});

test("the browser module exports no signing function and imports no random source", () => {
  const module = new WebAssembly.Module(BROWSER_WASM);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  const imports = WebAssembly.Module.imports(module).map((i) => i.name);
  const signing = /client|signer|session|onboarding|authenticator|webhook|idempotency|login|sign/i;
  assert.deepEqual(exports.filter((n) => signing.test(n)), [], "signing exports");
  assert.deepEqual(imports.filter((n) => /random|crypto/i.test(n)), [], "a random source");
  // The server module has both, so these checks can fail.
  const server = new WebAssembly.Module(SERVER_WASM);
  assert.ok(WebAssembly.Module.exports(server).some((e) => /signer_sign/.test(e.name)));
  assert.ok(WebAssembly.Module.imports(server).some((i) => /getRandomValues/.test(i.name)));
});

/** Every place `bytes` occurs in `haystack`. */
function occurrences(haystack, bytes) {
  const found = [];
  for (let i = haystack.indexOf(bytes[0]); i !== -1; i = haystack.indexOf(bytes[0], i + 1)) {
    if (bytes.every((b, k) => haystack[i + k] === b)) found.push(i);
  }
  return found;
}

/** `i32.const value`: the opcode and the signed LEB128 of the value as an i32. */
function i32Const(value) {
  let v = value | 0;
  const out = [0x41];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** The first SHA-256 round constants, little-endian in data and as i32.const in code. */
const K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5];
const le = (k) => [k & 0xff, (k >>> 8) & 0xff, (k >>> 16) & 0xff, k >>> 24];

test("the browser module holds no SHA-256 round constants (in its data or its code)", () => {
  const table = K.flatMap(le);
  assert.deepEqual(occurrences(BROWSER_WASM, table.slice(0, 8)), [], "K[0..2] as little-endian u32");
  for (const k of K) {
    assert.deepEqual(occurrences(BROWSER_WASM, le(k)), [], `0x${k.toString(16)} as a little-endian u32`);
    assert.deepEqual(occurrences(BROWSER_WASM, i32Const(k)), [], `0x${k.toString(16)} as an i32.const`);
  }
  // The search finds them in the server module, which signs.
  assert.ok(occurrences(SERVER_WASM, table.slice(0, 8)).length > 0, "the server module's table");
});

test("the browser entry's share of the shared vectors, in Node", () => {
  const files = loadVectors();
  const cases = buildCases(browser, files, { entry: "browser" });
  assert.equal(cases.length, browserCaseCount(files));
  assert.ok(cases.length > 100, `${cases.length} cases`);
  for (const c of cases) c.run();
  console.log(`# browser-entry-vectors ${cases.length} of ${browserCaseCount(files)}`);
});

test("without a secret the browser entry validates, reads answers and decides", () => {
  const application = {
    id: "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10",
    status: "DOCUMENTS_NEEDED",
    documents: [],
    id_verification_documents_needed: false,
    identification_number_verification_document_needed: false,
    address_verification_document_needed: true,
  };
  const parsed = browser.parseApplication(200, JSON.stringify(application));
  assert.deepEqual(browser.nextAction(parsed), {
    kind: "upload_documents",
    requirements: [{ flag: "address_verification_document_needed", one_of: ["ADDRESS_VERIFICATION"] }],
  });
  assert.deepEqual(browser.validateApplicationJson("{", "2026-12-01").map((e) => e.code), ["invalid_json"]);
  assert.throws(() => browser.validateApplicationJson({}, "2026-12-01"), (e) => e instanceof browser.JikoError && e.code === "invalid_argument");
  assert.throws(() => browser.parseApplication(200, '{"id":"a","id":"b","status":"CREATED"}'), (e) => e.code === "api_invalid_response");
});
