// Node and Chromium benchmarks of the npm package, run against the packed and
// installed package: bench/run.py copies this file and reference_node.mjs into a scratch
// project where `jiko-onboarding` is the installed tarball, then runs `node node_bench.mjs`.
//
// Prints one JSON object per line (run.py collects them):
//   {"language":"node","name":"create_application","sdk_us":..,"reference_us":..,"ratio":..}
//   {"language":"node","name":"sign_1kb",...}             Signer.sign vs crypto.createHmac
//   {"language":"node","name":"create_application_json",...}  from JSON text (informative)
//   {"language":"node","name":"wasm_instantiate","ms":..}  read + compile + instantiate the
//       .wasm through the package's own Node loader, in a fresh process (median)
//   {"language":"node","name":"package_import","ms":..}    `import("jiko-onboarding")` whole
//   {"language":"chromium","name":"wasm_instantiate","ms":..}  fetch + compile + instantiate
//       in a fresh headless Chromium page (median)
// Each comparison runs both sides in this one process, alternating (the order flips every
// round), after a warm-up, over several rounds; figures are medians of the rounds, in
// microseconds per call; ratio = sdk / reference (below 1: the SDK is faster). Nothing here
// is a test: no time is asserted. Progress and notes go to stderr.
//
//   node node_bench.mjs [--quick]
// Environment: JIKO_PKG_DIR (the installed package; default node_modules/jiko-onboarding),
// JIKO_TOOLS (where scripts/ensure-tools.sh installed playwright-core: <build dir>/tools/node),
// JIKO_CHROMIUM (/usr/bin/chromium).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync } from "node:fs";
import * as sdk from "jiko-onboarding";
import * as reference from "./reference_node.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("--quick");
const PKG = resolve(process.env.JIKO_PKG_DIR ?? join(here, "node_modules", "jiko-onboarding"));
const TOOLS = process.env.JIKO_TOOLS ? resolve(process.env.JIKO_TOOLS) : undefined;
const CHROMIUM = process.env.JIKO_CHROMIUM ?? "/usr/bin/chromium";
const note = (message) => process.stderr.write(`[node_bench] ${message}\n`);
const emit = (record) => console.log(JSON.stringify({ language: "node", ...record }));

const ROUNDS = quick ? 7 : 21;
const TARGET_ROUND_MS = quick ? 40 : 120;
const FRESH_PROCESSES = quick ? 7 : 21;
const FRESH_PAGES = quick ? 5 : 15;

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const round2 = (x) => Math.round(x * 100) / 100;
const now = () => process.hrtime.bigint();

/** Calls per round so that one round of `fn` takes about TARGET_ROUND_MS. */
function calibrate(fn) {
  let n = 16;
  for (;;) {
    const t = now();
    for (let i = 0; i < n; i++) fn();
    const ms = Number(now() - t) / 1e6;
    if (ms > 20 || n > 1 << 22) return Math.max(16, Math.ceil((n * TARGET_ROUND_MS) / Math.max(ms, 0.001)));
    n *= 2;
  }
}

function perCall(fn, n) {
  const t = now();
  for (let i = 0; i < n; i++) fn();
  return Number(now() - t) / 1e3 / n;
}

/** SDK against reference in one process: warm-up, then alternating rounds; medians. */
function compare(name, sdkFn, referenceFn) {
  for (const fn of [sdkFn, referenceFn]) for (let i = 0; i < 2000; i++) fn(); // warm-up (JIT, caches)
  const nSdk = calibrate(sdkFn);
  const nRef = calibrate(referenceFn);
  const s = [];
  const r = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      s.push(perCall(sdkFn, nSdk));
      r.push(perCall(referenceFn, nRef));
    } else {
      r.push(perCall(referenceFn, nRef));
      s.push(perCall(sdkFn, nSdk));
    }
  }
  const sdkUs = median(s);
  const referenceUs = median(r);
  note(`${name}: sdk ${sdkUs.toFixed(2)} us, reference ${referenceUs.toFixed(2)} us (${ROUNDS} rounds of ${nSdk} and ${nRef} calls)`);
  emit({ name, sdk_us: round2(sdkUs), reference_us: round2(referenceUs), ratio: round2(sdkUs / referenceUs), rounds: ROUNDS });
}

// --- the work -------------------------------------------------------------------------

const BASE_URL = "http://127.0.0.1:8080";
const SECRET = "bench-shared-signing-secret";
const TOKEN = "bench-token-0123456789abcdef";
const TODAY = "2026-11-27";
// The guide's applicant, in the API's field order (so both sides write the same bytes).
const APPLICATION = {
  identification_number: "412345678",
  name: { first_name: "Jiko", last_name: "Customer" },
  email: "jiko@example.com",
  phone_number: "15551234567",
  date_of_birth: "1970-01-01",
  investment_profile: { employment_status: "EMPLOYED", income: "BETWEEN_100K_AND_250K", net_worth: "BETWEEN_1M_AND_5M", occupation: "Investor" },
  agreement_consent: { version: "1", timestamp: "2023-01-01T12:00:00+00:00" },
  address: { street_address: "2000 Allston Way", city: "Berkeley", postal_code: "94701", state: "CA", country: "USA" },
};

function checkSameWork() {
  const client = new sdk.Client({ base_url: BASE_URL }, SECRET);
  const a = client.createApplication(TOKEN, APPLICATION, { today: TODAY });
  const b = reference.createApplication(BASE_URL, SECRET, TOKEN, APPLICATION, TODAY);
  if (Buffer.compare(Buffer.from(a.body), b.body) !== 0) throw new Error("the SDK and the reference write different bodies");
  const key = a.idempotency_key;
  const header = (r, n) => r.headers.find(([h]) => h === n)[1];
  if (header(a, "x-jiko-signature") !== reference.sign(SECRET, key, a.path, Buffer.from(a.body))) {
    throw new Error("the SDK and the reference sign differently");
  }
  // The reference applies the SDK's rules: the same (path, code) pairs on broken copies
  // (bench/broken_applications.json, shared with python_bench.py).
  const { overrides } = JSON.parse(readFileSync(join(here, "broken_applications.json"), "utf8"));
  const broken = overrides.map((fields) => ({ ...APPLICATION, ...fields }));
  const pairs = (errors) => errors.map((e) => `${e.path} ${e.code}`).sort().join("; ");
  for (const app of broken) {
    const expected = pairs(sdk.validateApplication(app, TODAY));
    const got = pairs(reference.validate(app, TODAY));
    if (expected === "" || got !== expected) throw new Error(`the reference validates differently: SDK [${expected}], reference [${got}]`);
  }
}

function nodeComparisons() {
  checkSameWork();
  const client = new sdk.Client({ base_url: BASE_URL }, SECRET);
  const options = { today: TODAY };
  compare(
    "create_application",
    () => client.createApplication(TOKEN, APPLICATION, options),
    () => reference.createApplication(BASE_URL, SECRET, TOKEN, APPLICATION, TODAY),
  );
  const signer = new sdk.Signer(SECRET);
  const body = Buffer.alloc(1024);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  const key = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  const path = "/api/v1/applications/";
  compare(
    "sign_1kb",
    () => signer.sign(key, path, body),
    () => reference.sign(SECRET, key, path, body),
  );
  // Informative: a server that holds the JSON text of the application (a request body).
  const text = JSON.stringify(APPLICATION);
  compare(
    "create_application_json",
    () => client.createApplication(TOKEN, text, options),
    () => reference.createApplication(BASE_URL, SECRET, TOKEN, JSON.parse(text), TODAY),
  );
}

// --- start-up in fresh Node processes ---------------------------------------------------

function freshNode(script) {
  const out = execFileSync(process.execPath, ["--input-type=commonjs", "-e", script], { encoding: "utf8" });
  return Number(out.trim());
}

function nodeStartup() {
  const glue = join(PKG, "node", "jiko_onboarding.js");
  const entry = join(PKG, "node", "index.mjs");
  if (!existsSync(glue)) {
    note(`no Node loader at ${glue}; wasm_instantiate skipped`);
    return;
  }
  // The package's Node loader reads the .wasm, compiles it and instantiates it,
  // synchronously. The target figure times that require() once Node's module loader has
  // loaded a file (an empty one): every program has loaded its own main file before it
  // loads this package, and the first file costs a fresh Node about 2.4 ms whatever it
  // holds (as `import jiko_onboarding` is timed over a bare interpreter). The cold
  // figure, the first file of the process, is reported beside it.
  const empty = join(mkdtempSync(join(tmpdir(), "jiko-bench-")), "empty.js");
  writeFileSync(empty, "");
  const clock = `const { performance } = require("node:perf_hooks");`;
  const warm = `${clock} require(${JSON.stringify(empty)}); const t = performance.now(); require(${JSON.stringify(glue)}); process.stdout.write(String(performance.now() - t));`;
  const cold = `${clock} const t = performance.now(); require(${JSON.stringify(glue)}); process.stdout.write(String(performance.now() - t));`;
  const emptyOnly = `${clock} const t = performance.now(); require(${JSON.stringify(empty)}); process.stdout.write(String(performance.now() - t));`;
  const whole = `${clock} const t = performance.now(); import(${JSON.stringify("file://" + entry)}).then(() => process.stdout.write(String(performance.now() - t)));`;
  freshNode(warm); // the file system cache, not the process, is warmed
  const runs = { warm: [], cold: [], empty: [], whole: [] };
  for (let i = 0; i < FRESH_PROCESSES; i++) {
    runs.warm.push(freshNode(warm));
    runs.cold.push(freshNode(cold));
    runs.empty.push(freshNode(emptyOnly));
    runs.whole.push(freshNode(whole));
  }
  rmSync(dirname(empty), { recursive: true, force: true });
  const wasmBytes = readFileSync(join(PKG, "web", "jiko_onboarding_bg.wasm")).length;
  note(
    `wasm_instantiate: median ${median(runs.warm).toFixed(2)} ms over ${FRESH_PROCESSES} fresh processes (${wasmBytes} bytes); ` +
      `as the first file of the process ${median(runs.cold).toFixed(2)} ms (an empty first file: ${median(runs.empty).toFixed(2)} ms); ` +
      `package import ${median(runs.whole).toFixed(2)} ms`,
  );
  emit({ name: "wasm_instantiate", ms: round2(median(runs.warm)), processes: FRESH_PROCESSES });
  emit({ name: "wasm_instantiate_first_file", ms: round2(median(runs.cold)), processes: FRESH_PROCESSES });
  emit({ name: "empty_first_file", ms: round2(median(runs.empty)), processes: FRESH_PROCESSES });
  emit({ name: "package_import", ms: round2(median(runs.whole)), processes: FRESH_PROCESSES });
}

// --- Chromium ------------------------------------------------------------------------------

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

function serve(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>bench</title>");
      return;
    }
    const file = resolve(root, "." + sep + decodeURIComponent(url.pathname));
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    // no-store: every page fetches and compiles the module anew (no code cache).
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

async function chromiumStartup() {
  let chromium;
  try {
    const require = createRequire(TOOLS ? join(TOOLS, "package.json") : import.meta.url);
    ({ chromium } = require("playwright-core"));
  } catch {
    note("playwright-core not found (set JIKO_TOOLS; scripts/ensure-tools.sh wasm installs it); Chromium skipped");
    return;
  }
  if (!existsSync(CHROMIUM)) {
    note(`no Chromium at ${CHROMIUM}; Chromium skipped`);
    return;
  }
  const server = await serve(join(PKG, "web"));
  const base = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), "jiko-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const times = [];
    let version = "";
    for (let i = 0; i <= FRESH_PAGES; i++) {
      const page = await context.newPage();
      await page.goto(`${base}/`);
      // The glue is imported first, so the figure is the module's: fetch, compile, instantiate.
      const r = await page.evaluate(async () => {
        const glue = await import("/jiko_onboarding.js");
        const t = performance.now();
        await glue.default({ module_or_path: new URL("/jiko_onboarding_bg.wasm", location.href) });
        const ms = performance.now() - t;
        return { ms, version: glue.version() };
      });
      await page.close();
      version = r.version;
      if (i > 0) times.push(r.ms); // the first page warms the browser process
    }
    const browserVersion = context.browser()?.version() ?? execFileSync(CHROMIUM, ["--version"], { encoding: "utf8" }).trim();
    note(`chromium wasm_instantiate: median ${median(times).toFixed(2)} ms over ${times.length} fresh pages (${browserVersion}, package ${version})`);
    console.log(JSON.stringify({ language: "chromium", name: "wasm_instantiate", ms: round2(median(times)), pages: times.length }));
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// --- run -------------------------------------------------------------------------------

note(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; package ${PKG}${quick ? "; --quick" : ""}`);
nodeComparisons();
nodeStartup();
await chromiumStartup();
note(`load ${loadavg().map((l) => l.toFixed(2)).join(" ")} at the end`);
