// The Node driver's share of `make chaos` (tests/chaos/run.py starts the faulty simulator and
// reads its stats). N applicants across every sandbox scenario of the guide, up to C flows in
// flight, half woken by webhooks (an http.createServer receiver verifying each delivery with
// verifyWebhook) and half polling; a share of the flows is aborted at a random moment and
// resumed from its snapshot in a new Onboarding. Prints one JSON report (the same shape as
// jiko-chaos, the Rust client's); never personal data.
//
//   node node_chaos.mjs --base-url URL [--flows 2000] [--concurrency 200] [--seed N]
//                       [--kill-share 0.1] [--webhook-secret S]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
// The package as built (bindings-wasm/pkg), or as JIKO_NPM_PACKAGE names it.
const require = createRequire(import.meta.url);
const jiko = require(process.env.JIKO_NPM_PACKAGE ?? `${here}../../bindings-wasm/pkg`);

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith("--") ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const flows = Number(args.flows ?? 2000);
const concurrency = Number(args.concurrency ?? 200);
const seed = Number(args.seed ?? 1);
const killShare = Number(args["kill-share"] ?? 0.1);
const secret = args["webhook-secret"];

const APPLICANT = JSON.parse(readFileSync(`${here}../e2e-rust/examples/applicant.json`, "utf8"));
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
const CREDENTIALS = { username: "sandbox-user", password: "sandbox-password", signingSecret: "sandbox-signing-secret" };
// The guide's sandbox table, by hand: the first digits of an SSN and where it ends.
const MIX = [["412", "approved"], ["512", "rejected"], ["312", "manual_review"], ["212", "approved"],
  ["231", "manual_review"], ["242", "approved"], ["222", "approved"], ["211", "manual_review"], ["712", "manual_review"]];
// The simulator decides in milliseconds: reads every 20 ms doubling to 200 ms while KYC runs,
// manual reviews every minute (a journey stops there), retries from 20 ms.
const POLLING = {
  poll: { fast_initial_ms: 20, fast_max_ms: 200, fast_phase_ms: 60000, slow_interval_ms: 1000,
    manual_review_ms: 60000, manual_review_with_webhooks_ms: 60000 },
  retry: { max_retries: 2, base_delay_ms: 20, max_delay_ms: 200, max_retry_after_ms: 60000, key_max_age_ms: 3000000,
    outage_base_delay_ms: 200, outage_max_delay_ms: 1000, max_relogins: 3 },
};
// The webhook half reads SUBMITTED every 5 s: the webhook is what wakes it first.
const WEBHOOKS = { ...POLLING, webhooks: true, poll: { ...POLLING.poll, fast_initial_ms: 5000, fast_max_ms: 5000 } };

/** SplitMix64 over BigInt: this run's choices from the seed. */
function unit(i, salt) {
  let z = (BigInt(seed) * 1000003n + BigInt(i) * 7919n + BigInt(salt)) & 0xffffffffffffffffn;
  z = (z + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
}

const retries = {};
const onEvent = (event) => {
  if (event.type === "retry" || event.event === "retry") retries[event.reason] = (retries[event.reason] ?? 0) + 1;
};
const onboardingFor = (flowConfig) => new jiko.Onboarding({ base_url: args["base-url"] }, { ...CREDENTIALS, flowConfig, onEvent });

// The webhook receiver: the raw body, verified, then the flow of that application woken.
const receiver = { flows: new Map(), seen: new Set(), stats: { verified: 0, refused: 0, duplicates: 0, woke: 0 } };
let server;
if (secret) {
  server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      try {
        const event = jiko.verifyWebhook(request.headers, Buffer.concat(chunks), [secret]);
        receiver.stats.verified += 1;
        if (receiver.seen.has(event.event_id)) receiver.stats.duplicates += 1;
        receiver.seen.add(event.event_id);
        const flow = receiver.flows.get(event.application_id);
        if (flow) {
          flow.notify();
          receiver.stats.woke += 1;
        }
        response.writeHead(202).end();
      } catch {
        receiver.stats.refused += 1;
        response.writeHead(401).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  await subscribe(`http://127.0.0.1:${server.address().port}/jiko/webhooks`);
}

/** The subscription, through the faults: one prepared request resent (one key); a 409 (the
 * reject reading) means the first one took effect. */
async function subscribe(url) {
  const client = new jiko.Client({ base_url: args["base-url"] }, CREDENTIALS.signingSecret);
  const send = async (request) => {
    try {
      const answer = await fetch(request.url, { method: request.method, headers: request.headers,
        body: request.method === "GET" ? undefined : request.body, redirect: "manual" });
      return [answer.status, new Uint8Array(await answer.arrayBuffer())];
    } catch {
      return [0, new Uint8Array()];
    }
  };
  let token;
  for (let i = 0; i < 50 && !token; i += 1) {
    const [status, body] = await send(client.login(CREDENTIALS.username, CREDENTIALS.password));
    if (status === 200) token = jiko.parseLogin(status, body).token;
    else await new Promise((r) => setTimeout(r, 100));
  }
  const request = client.createSubscription(token, url, jiko.APPLICATION_EVENT_TYPES ?? ["application.approved",
    "application.documents_needed", "application.manual_review", "application.rejected"], secret);
  for (let i = 0; i < 50; i += 1) {
    const [status] = await send(request);
    if (status === 201 || status === 409) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("could not subscribe");
}

/** To a settled state (approved, rejected, failed, or in manual review). */
async function drive(flow, webhooks, signal) {
  let registered = !webhooks;
  for (;;) {
    const result = await flow.run({ maxWait: registered ? 20 : 0, signal });
    if (!registered && flow.applicationId) {
      receiver.flows.set(flow.applicationId, flow);
      registered = true;
    }
    if (result.state === "documents_needed") {
      for (const requirement of result.requirements) flow.provideDocument(requirement.one_of[0], "image/png", PNG);
    } else if (result.state === "waiting") {
      if (!result.application && registered) flow.notify(); // restored: read where it stands
      else if (result.application?.status === "MANUAL_REVIEW" && registered) return result;
      else if (registered && result.next_check_at_ms) {
        await new Promise((r) => setTimeout(r, Math.max(0, result.next_check_at_ms - Date.now())));
      }
    } else {
      return result;
    }
  }
}

const actualState = (result) => {
  if (result.state === "failed") return `failed:${result.error.code}`;
  if (result.state === "waiting" && result.application?.status === "MANUAL_REVIEW") return "manual_review";
  return result.state;
};

const started = performance.now();
const polling = onboardingFor(POLLING);
const webhookOnboarding = onboardingFor(WEBHOOKS);
const report = { by_scenario: {}, mismatches: [], outcome_unknown: [], with_application: 0, killed: 0,
  approved_with_numbers: 0, flow_ms: [] };

async function one(i) {
  const [prefix, expected] = MIX[i % MIX.length];
  const webhooks = Boolean(secret) && i % 2 === 0;
  const application = { ...APPLICANT, identification_number: `${prefix}${String(i % 1000000).padStart(6, "0")}`,
    email: `chaos${i}@example.com` };
  const flowStarted = performance.now();
  let flow = (webhooks ? webhookOnboarding : polling).start(application);
  let result;
  if (unit(i, 1) < killShare) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error("killed")), unit(i, 2) * 400);
    try {
      result = await drive(flow, webhooks, abort.signal);
      clearTimeout(timer);
    } catch {
      // The process died: only the snapshot survives, in a new Onboarding.
      report.killed += 1;
      const snapshot = flow.snapshot();
      flow = onboardingFor(webhooks ? WEBHOOKS : POLLING).resume(snapshot, application);
      result = await drive(flow, webhooks);
    }
  } else {
    result = await drive(flow, webhooks);
  }
  report.flow_ms.push(Math.round(performance.now() - flowStarted));
  const actual = actualState(result);
  const scenario = `${prefix}x (${expected})`;
  report.by_scenario[scenario] ??= {};
  report.by_scenario[scenario][actual] = (report.by_scenario[scenario][actual] ?? 0) + 1;
  if (flow.applicationId) report.with_application += 1;
  const portals = result.customer?.accounts.flatMap((a) => a.portals) ?? [];
  if (portals.some((p) => p.routing_number && p.account_number)) report.approved_with_numbers += 1;
  if (actual === "failed:create_outcome_unknown") report.outcome_unknown.push(result.error.idempotencyKey ?? null);
  else if (actual !== expected) report.mismatches.push({ ssn_rule: prefix, expected, actual });
}

let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < flows) await one(next++);
}));
server?.close();
const durations = report.flow_ms.sort((a, b) => a - b);
const pick = (p) => durations[Math.min(durations.length - 1, Math.floor((durations.length * p) / 100))] ?? 0;
console.log(JSON.stringify({
  driver: "node", flows, seed, by_scenario: report.by_scenario, mismatches: report.mismatches,
  create_outcome_unknown: report.outcome_unknown, with_application: report.with_application,
  approved_with_numbers: report.approved_with_numbers, killed_and_resumed: report.killed,
  retries_by_reason: retries, webhooks: secret ? receiver.stats : null,
  flow_ms: { p50: pick(50), p90: pick(90), p99: pick(99), max: durations.at(-1) ?? 0 },
  wall_ms: Math.round(performance.now() - started),
}));
process.exit(0);
