// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the shared
// vectors in a page, the checks only a page can make, and the demo page with a screenshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStaticServer } from "./static-server.mjs";
import { VECTOR_FILES, browserCaseCount } from "./vectors-runner.mjs";
import { expectedTotal, vectorDir, loadVectors } from "./load-vectors.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};
const PKG = env("JIKO_PKG_DIR");
const TOOLS = env("JIKO_TOOLS");
const EXAMPLES = env("JIKO_EXAMPLES");
const SCREENSHOTS = env("JIKO_SCREENSHOTS");
const CHROMIUM = process.env.JIKO_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let server;
let base;
let context;
let userDataDir;

before(async () => {
  server = await startStaticServer([
    ["/pkg/", PKG],
    ["/examples/", EXAMPLES],
    ["/tests/", process.cwd()],
    ["/vectors/", vectorDir()],
  ]);
  base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = createRequire(join(TOOLS, "package.json"))("playwright-core");
  // A fresh profile each run; playwright passes it to Chromium as --user-data-dir.
  userDataDir = mkdtempSync(join(tmpdir(), "jiko-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function openPage(url) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  await page.goto(url);
  return { page, problems };
}

// The two modules a page can load: jiko-onboarding's default condition (the server
// module's web glue, which Deno, Bun and edge runtimes load the same way) and
// jiko-onboarding/browser.
const ENTRIES = [
  ["main", (pkg) => pkg.exports["."].default.default],
  ["browser", (pkg) => pkg.exports["./browser"].default.default],
];

for (const [kind, entryOf] of ENTRIES) {
  test(`Chromium, ${kind} entry: the shared vectors and the page-only checks`, async (t) => {
    const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
    const entry = entryOf(pkg).replace(/^\.\//, "/pkg/");
    const total = kind === "main" ? expectedTotal() : browserCaseCount(loadVectors());
    const query = new URLSearchParams({ entry, kind, vectors: "/vectors/", files: VECTOR_FILES.join(",") });
    const { page, problems } = await openPage(`${base}/tests/browser/vectors.html?${query}`);
    await page.waitForFunction(() => window.__jikoResults !== undefined, null, { timeout: 180_000 });
    const results = await page.evaluate(() => window.__jikoResults);
    await page.close();
    assert.equal(results.error, undefined, `${results.error}\n${problems.join("\n")}`);
    assert.equal(results.version, pkg.version);
    for (const r of results.results) {
      await t.test(`${r.file} ${r.name}`, () => assert.ok(r.ok, r.message));
    }
    for (const c of results.checks) {
      await t.test(`page: ${c.name}`, () => assert.ok(c.ok, c.message));
    }
    assert.equal(results.total, total, "cases in the vector files");
    assert.equal(results.results.length, total, "cases executed in Chromium");
    if (kind === "main") console.log(`# vectors-executed ${results.results.length} of ${total} (Chromium)`);
    else console.log(`# browser-entry-vectors ${results.results.length} of ${total} (Chromium)`);
  });

  test(`Chromium, ${kind} entry: the hostile corpus ends in typed errors, never a trap`, async (t) => {
    const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
    const entry = entryOf(pkg).replace(/^\.\//, "/pkg/");
    const index = JSON.parse(readFileSync(join(vectorDir(), "hostile", "index.json"), "utf8"));
    const query = new URLSearchParams({ entry, kind, hostile: "/vectors/hostile/" });
    const { page, problems } = await openPage(`${base}/tests/browser/hostile.html?${query}`);
    await page.waitForFunction(() => window.__jikoHostile !== undefined, null, { timeout: 180_000 });
    const results = await page.evaluate(() => window.__jikoHostile);
    await page.close();
    assert.equal(results.error, undefined, `${results.error}\n${problems.join("\n")}`);
    for (const r of results.results) {
      await t.test(`hostile ${r.name}`, () => assert.ok(r.ok, r.message));
    }
    assert.equal(results.total, index.cases.length, "cases in the index");
    assert.equal(results.results.length, index.cases.length, "hostile cases executed in Chromium");
    const calls = results.results.reduce((n, r) => n + (r.calls ?? 0), 0);
    if (kind === "main") console.log(`# hostile-executed ${results.results.length} of ${index.cases.length} (Chromium, ${calls} calls)`);
    assert.deepEqual(problems, []);
  });
}

test("Chromium: the demo page shows field errors and the documents still needed", async () => {
  const { page, problems } = await openPage(`${base}/examples/web/`);
  await page.waitForFunction(() => document.getElementById("version").textContent !== "", null, { timeout: 30_000 });

  // A bad SSN and the date of birth of a ten-year-old, typed as a user would.
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const minor = `${now.getFullYear() - 10}-${pad(now.getMonth() + 1)}-${pad(Math.min(now.getDate(), 28))}`;
  await page.fill('[name="name.first_name"]', "Jiko");
  await page.fill('[name="name.last_name"]', "Customer");
  await page.fill('[name="identification_number"]', "123-45-678");
  await page.fill('[name="date_of_birth"]', minor);
  await page.fill('[name="email"]', "jiko@example.com");

  const shown = await page.$$eval("#errors li", (items) => items.map((li) => [li.dataset.path, li.dataset.code, li.textContent]));
  assert.deepEqual(
    shown.map(([path, code]) => `${path} ${code}`).sort(),
    ["date_of_birth under_age", "identification_number invalid_ssn"],
  );
  for (const [, , text] of shown) assert.ok(!text.includes("123-45-678") && !text.includes(minor), "an error repeats the input");
  const ssnError = await page.textContent('label:has([name="identification_number"]) .field-error');
  assert.match(ssnError, /9 digits/);
  assert.equal(await page.getAttribute('[name="identification_number"]', "aria-invalid"), "true");
  assert.match(await page.textContent('label:has([name="date_of_birth"]) .field-error'), /18/);
  assert.equal(await page.getAttribute('[name="email"]', "aria-invalid"), "false");

  // A DOCUMENTS_NEEDED application pasted from the server.
  const application = {
    id: "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10",
    status: "DOCUMENTS_NEEDED",
    documents: [{ id: "d1", type: "ID_FRONT", status: "PENDING_REVIEW" }],
    id_verification_documents_needed: true,
    identification_number_verification_document_needed: false,
    address_verification_document_needed: true,
  };
  await page.fill("#application-json", JSON.stringify(application, null, 2));
  assert.equal(await page.textContent("#status"), "DOCUMENTS_NEEDED");
  assert.deepEqual(await page.$$eval("#documents li", (items) => items.map((li) => li.textContent)), [
    "ID_BACK",
    "SELFIE or PASSPORT",
    "ADDRESS_VERIFICATION",
  ]);
  assert.equal(await page.textContent("#next-action"), "Upload 3 documents");

  mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = join(SCREENSHOTS, "demo.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`# screenshot ${shot}`);
  assert.deepEqual(problems, []);
  await page.close();
});
