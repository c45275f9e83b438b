// The hostile corpus (tests/vectors/hostile/index.json) against the installed package
// in Node: every file to every parser and to validateApplication, each call ending in a
// typed error, never a trap, and the module still working after each file (see
// hostile-runner.mjs). Fails when fewer cases ran than the index lists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as api from "jiko-onboarding";
import { runHostileCase, PROBE } from "./hostile-runner.mjs";
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

for (const entry of index.cases) {
  // A hang is a failure: node --test cancels the case after the timeout.
  test(`hostile ${entry.name} (${entry.size} bytes)`, { timeout: 120_000 }, () => {
    const bytes = new Uint8Array(readFileSync(join(dir, entry.file)));
    const result = runHostileCase(api, entry, bytes, { signer, expectedSignature });
    calls += result.calls;
    ran++;
  });
}

test("every hostile case ran (Node)", () => {
  assert.equal(ran, index.cases.length, "hostile cases executed");
  console.log(`# hostile-executed ${ran} of ${index.cases.length} (Node, ${calls} calls)`);
});
