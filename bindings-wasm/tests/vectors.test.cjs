// The shared vectors against the installed package, loaded with require().
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const api = require("jiko-onboarding");

test("the CommonJS entry is the CommonJS build", () => {
  assert.equal(typeof api.Client, "function");
  assert.equal(require.resolve("jiko-onboarding").endsWith("index.cjs"), true);
});

test("vectors (CommonJS)", async (t) => {
  // The runner is shared with the ESM and browser suites; it only builds closures over `api`.
  const { buildCases } = await import("./vectors-runner.mjs");
  const { loadVectors, expectedTotal } = await import("./load-vectors.mjs");
  const total = expectedTotal();
  const cases = buildCases(api, loadVectors());
  let ran = 0;
  for (const c of cases) {
    await t.test(`${c.file} ${c.name}`, () => {
      ran++;
      c.run();
    });
  }
  assert.equal(cases.length, total, "cases in the vector files");
  assert.equal(ran, total, "cases executed");
  console.log(`# vectors-executed ${ran} of ${total}`);
});
