// Bulk onboarding in Node: N applicants with up to C in flight against the simulator,
// through the SDK's Onboarding (`--mode sdk`) or through a hand-written flow
// (`--mode reference`).
//
// REFERENCE, NOT THE SDK: the reference flow is what a Node team would write by hand the way
// the guide's examples do it, with the same HTTP client (the global fetch, as the SDK's
// default transport) and the SDK's own primitives (Client's prepared requests, the parsers,
// nextAction and requiredDocuments), sending the same requests on the same poll schedule,
// each with the SDK's 30-second timeout (an abort signal, as a production flow must have:
// fetch has none of its own, while httpx gives the Python reference one by default),
// without retries, snapshots or webhooks. `--mode reference-no-timeout` drops the timeout,
// to show what it costs. Prints one JSON line: applicants per second, peak memory above the
// baseline, snapshot sizes (SDK).
//
//   node bulk_node.mjs --base-url URL --mode sdk|reference|reference-no-timeout [--flows 2000] [--in-flight 200]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const jiko = require(process.env.JIKO_PKG_DIR ?? "jiko-onboarding");
const root = process.env.JIKO_REPO_ROOT ?? new URL("..", import.meta.url).pathname;

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith("--") ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const flows = Number(args.flows ?? 2000);
const inFlight = Number(args["in-flight"] ?? 200);
const APPLICANT = JSON.parse(readFileSync(`${root}/tests/e2e-rust/examples/applicant.json`, "utf8"));
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
const [USER, PASSWORD, SECRET] = ["sandbox-user", "sandbox-password", "sandbox-signing-secret"];
const MIX = ["412", "512", "312", "212", "231", "242", "222", "211", "712"];
// The simulator decides in milliseconds: both sides read every 20 ms doubling to 200 ms.
const [FAST_MS, MAX_MS] = [20, 200];
const FLOW_CONFIG = { poll: { fast_initial_ms: FAST_MS, fast_max_ms: MAX_MS, fast_phase_ms: 600000,
  manual_review_ms: 600000, manual_review_with_webhooks_ms: 600000 } };

const applicant = (i) => ({ ...APPLICANT, identification_number: `${MIX[i % MIX.length]}${String(i).padStart(6, "0")}`,
  email: `bulk${i}@example.com` });

/** Runs `one(i)` for every applicant with at most `inFlight` at once. */
async function pool(one) {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < flows) await one(next++);
  }));
}

async function sdk(snapshots) {
  const onboarding = new jiko.Onboarding({ base_url: args["base-url"] },
    { username: USER, password: PASSWORD, signingSecret: SECRET, flowConfig: FLOW_CONFIG });
  await pool(async (i) => {
    const flow = onboarding.start(applicant(i));
    let result = await flow.run({ maxWait: 30 });
    while (result.state === "documents_needed") {
      snapshots.push(flow.snapshot().length);
      for (const requirement of result.requirements) flow.provideDocument(requirement.one_of[0], "image/png", PNG);
      result = await flow.run({ maxWait: 30 });
    }
    snapshots.push(flow.snapshot().length);
    if (!["approved", "rejected", "waiting"].includes(result.state)) throw new Error(`flow ${i} ended ${result.state}`);
  });
}

async function reference() {
  const client = new jiko.Client({ base_url: args["base-url"] }, SECRET);
  const timeout = args.mode === "reference";
  const send = async (request) => {
    const answer = await fetch(request.url, { method: request.method, headers: request.headers,
      body: request.method === "GET" ? undefined : request.body, redirect: "manual",
      signal: timeout ? AbortSignal.timeout(30_000) : undefined });
    return [answer.status, new Uint8Array(await answer.arrayBuffer())];
  };
  const token = jiko.parseLogin(...await send(client.login(USER, PASSWORD))).token;
  await pool(async (i) => {
    jiko.parseAgreements(...await send(client.listAgreements(token)));
    let app = jiko.parseApplication(...await send(client.createApplication(token, applicant(i))));
    let delay = FAST_MS;
    for (;;) {
      const action = jiko.nextAction(app);
      if (action.kind === "apply") {
        app = jiko.parseApplication(...await send(client.apply(token, app.id)));
        delay = FAST_MS;
      } else if (action.kind === "upload_documents") {
        for (const requirement of jiko.requiredDocuments(app)) {
          jiko.parseUpload(...await send(client.uploadDocument(token, app.id, requirement.one_of[0], "image/png", PNG)));
        }
        app = jiko.parseApplication(...await send(client.getApplication(token, app.id)));
      } else if (action.kind === "wait" && app.status !== "MANUAL_REVIEW") {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, MAX_MS);
        app = jiko.parseApplication(...await send(client.getApplication(token, app.id)));
      } else if (action.kind === "approved") {
        jiko.parseCustomer(...await send(client.getCustomer(token, app.customer_id)));
        const accounts = jiko.parseAccounts(...await send(client.listCustomerAccounts(token, app.customer_id)));
        for (const account of accounts.items) jiko.parsePortals(...await send(client.listPortals(token, account.id)));
        return;
      } else {
        return; // rejected, or in manual review
      }
    }
  });
}

const snapshots = [];
const baseline = Math.round(process.memoryUsage().rss / 1024);
const started = performance.now();
await (args.mode === "sdk" ? sdk(snapshots) : reference());
const wall = (performance.now() - started) / 1000;
const peak = process.resourceUsage().maxRSS;
console.log(JSON.stringify({
  language: "node", name: "bulk_onboarding", mode: args.mode, flows, in_flight: inFlight,
  wall_s: Number(wall.toFixed(2)), applicants_per_s: Number((flows / wall).toFixed(1)),
  baseline_rss_kb: baseline, peak_rss_kb: peak, kb_per_in_flight_flow: Number(((peak - baseline) / inFlight).toFixed(1)),
  snapshot_bytes_max: snapshots.length ? Math.max(...snapshots) : null,
  snapshot_bytes_mean: snapshots.length ? Math.round(snapshots.reduce((a, b) => a + b, 0) / snapshots.length) : null,
}));
process.exit(0);
