// The hostile corpus (tests/vectors/hostile/index.json) against the installed package
// in Node, through both entries: every file to every parser, to verifyWebhook and to
// validateApplication, each call ending in a typed error, never a trap, and the module
// still working after each file (see hostile-runner.mjs). Fails when fewer cases ran
// than the index lists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as api from "jiko-onboarding";
import * as browser from "jiko-onboarding/browser";
import { runHostileCase, PROBE, TODAY } from "./hostile-runner.mjs";
import { vectorDir } from "./load-vectors.mjs";

const SECRET = "hostile-corpus-secret";
const dir = join(vectorDir(), "hostile");
const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
const signer = new api.Signer(SECRET);
// Computed independently, so that a module that came back broken cannot agree with itself.
const expectedSignature = createHmac("sha256", SECRET).update(PROBE.join("")).digest("base64");

let ran = 0;
let calls = 0;

test("the hostile index lists files", () => {
  assert.ok(Array.isArray(index.cases) && index.cases.length > 0, "no cases in index.json");
  assert.equal(signer.sign(...PROBE), expectedSignature);
});

const WEBHOOK_SECRET = "hostile-webhook-secret-0123456789";
const probe = () => {
  if (signer.sign(...PROBE) !== expectedSignature) throw new Error("the module signs differently");
};
// The browser module cannot sign: it must still validate.
const browserProbe = () => {
  if (browser.validateApplication({}, TODAY).length === 0) throw new Error("the module no longer validates");
};

for (const entry of index.cases) {
  // A hang is a failure: node --test cancels the case after the timeout.
  test(`hostile ${entry.name} (${entry.size} bytes)`, { timeout: 120_000 }, () => {
    const bytes = new Uint8Array(readFileSync(join(dir, entry.file)));
    const webhookSignature = createHmac("sha256", WEBHOOK_SECRET).update(bytes).digest("base64");
    const result = runHostileCase(api, entry, bytes, { probe, webhookSecret: WEBHOOK_SECRET, webhookSignature });
    const inBrowserEntry = runHostileCase(browser, entry, bytes, { probe: browserProbe });
    calls += result.calls + inBrowserEntry.calls;
    ran++;
  });
}

test("every hostile case ran (Node)", () => {
  assert.equal(ran, index.cases.length, "hostile cases executed");
  console.log(`# hostile-executed ${ran} of ${index.cases.length} (Node, ${calls} calls)`);
});
