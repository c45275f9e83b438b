// The shared vectors against the installed package, imported as an ES module.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as api from "jiko-onboarding";
import { buildCases } from "./vectors-runner.mjs";
import { loadVectors, expectedTotal } from "./load-vectors.mjs";

const total = expectedTotal();
const cases = buildCases(api, loadVectors());
let ran = 0;

for (const c of cases) {
  test(`${c.file} ${c.name}`, () => {
    ran++;
    c.run();
  });
}

test("every vector case ran exactly once (ESM)", () => {
  assert.equal(cases.length, total, "cases in the vector files");
  assert.equal(ran, total, "cases executed");
  console.log(`# vectors-executed ${ran} of ${total}`);
});
