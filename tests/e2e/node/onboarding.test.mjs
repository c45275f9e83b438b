// End-to-end, the Onboarding driver (issue 19): the installed npm package's Onboarding
// and Flow, Node's global fetch, jiko-sandbox over real HTTP. Every sandbox scenario of
// the guide to its final state, a snapshot resumed in a new Onboarding, a webhook
// delivered by the simulator to the example receiver waking a waiting flow, both
// readings of a repeated idempotency key, a run with the simulator's faults on, and the
// quickstart example.
//
// Environment: JIKO_SANDBOX_BIN (the simulator), JIKO_EXAMPLES_DIR (the copied
// examples/node folder, whose `jiko-onboarding` resolves to the installed package).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect, promisify } from "node:util";
import { Onboarding, Client, parseLogin, parseSubscription, JikoFlowError } from "jiko-onboarding";
import { startSandbox, stats, USERNAME, PASSWORD, SECRET } from "./sandbox.mjs";

const EXAMPLES = process.env.JIKO_EXAMPLES_DIR;
if (!EXAMPLES) throw new Error("set JIKO_EXAMPLES_DIR to the examples/node folder next to the installed package");
const { webhookReceiver } = await import(join(EXAMPLES, "webhook-receiver.mjs"));

const CREDENTIALS = { username: USERNAME, password: PASSWORD, signingSecret: SECRET };
// Reads every 200 ms while KYC runs (the default starts at 2 s): the simulator decides at once.
const FAST = { poll: { fast_initial_ms: 200, fast_max_ms: 400 } };
const PNG = readFileSync(join(EXAMPLES, "ID_FRONT.png"));

function applicant(ssn, tag) {
  return {
    identification_number: ssn,
    name: { first_name: "Sentinel", last_name: `Applicant${tag}` },
    email: `sentinel.${tag}@example.com`,
    phone_number: "+14155550123",
    date_of_birth: "1985-06-15",
    investment_profile: { employment_status: "RETIRED", income: "BETWEEN_100K_AND_250K", net_worth: "BETWEEN_200K_AND_1M" },
    agreement_consent: { version: "1.0.0", timestamp: "2026-12-01T12:00:00+00:00" },
    address: { street_address: "1 Testing Lane", city: "Springfield", postal_code: "62704", state: "IL", country: "US" },
  };
}

/** An ABA routing number: nine digits whose weighted sum is a multiple of ten. */
function isRoutingNumber(text) {
  if (!/^\d{9}$/.test(text)) return false;
  const d = [...text].map(Number);
  return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 === 0;
}

/** Runs a flow to its end: documents given as asked, until the state is not documents_needed. */
async function runToEnd(flow, runOptions) {
  let result = await flow.run(runOptions);
  const uploaded = [];
  for (let round = 0; result.state === "documents_needed" && round < 3; round++) {
    for (const { one_of } of result.requirements) {
      flow.provideDocument(one_of[0], "image/png", PNG);
      uploaded.push(one_of[0]);
    }
    result = await flow.run(runOptions);
  }
  return { result, uploaded };
}

/** The checks of an approved result: the customer's accounts and deposit instructions. */
function assertApproved(result, events, ssn) {
  assert.equal(result.state, "approved");
  assert.equal(result.application.status, "APPROVED");
  assert.equal(result.customer.customer_id, result.application.customer_id);
  assert.ok(result.customer.accounts.length >= 1);
  for (const account of result.customer.accounts) {
    assert.match(account.account_id, /^[0-9a-f-]{36}$/);
    assert.ok(account.portals.length >= 1);
    for (const portal of account.portals) {
      assert.ok(isRoutingNumber(portal.routing_number), "an ABA routing number");
      assert.match(portal.account_number, /^\d{6,17}$/);
      // Never printed: not in JSON, inspect, or the events.
      for (const text of [JSON.stringify(result), inspect(result, { depth: 10 }), JSON.stringify(events)]) {
        assert.ok(!text.includes(portal.routing_number) && !text.includes(portal.account_number));
      }
    }
  }
  const logged = JSON.stringify(events);
  for (const data of [ssn, "Sentinel", "sentinel.", "Testing Lane", SECRET, PASSWORD]) assert.ok(!logged.includes(data), `an event shows ${data}`);
}

const base = await startSandbox();

// The guide's sandbox table: the SSN's first digits choose the outcome.
const SCENARIOS = [
  ["4: approved", "412345678", "approved", []],
  ["5: rejected", "512345678", "rejected", []],
  ["3: manual review", "312345678", "MANUAL_REVIEW", []],
  ["21: ID documents, then approved", "212345678", "approved", ["ID_FRONT", "ID_BACK", "SELFIE"]],
  ["22: identification number document, then approved", "222345678", "approved", ["IDENTIFICATION_NUMBER_VERIFICATION"]],
  ["23: address document, then approved", "232345678", "approved", ["ADDRESS_VERIFICATION"]],
  ["24: ID and identification number documents, then approved", "242345678", "approved", ["ID_FRONT", "ID_BACK", "SELFIE", "IDENTIFICATION_NUMBER_VERIFICATION"]],
  ["211: ID documents, then manual review", "211234567", "MANUAL_REVIEW", ["ID_FRONT", "ID_BACK", "SELFIE"]],
  ["221: identification number document, then manual review", "221234567", "MANUAL_REVIEW", ["IDENTIFICATION_NUMBER_VERIFICATION"]],
  ["231: address document, then manual review", "231234567", "MANUAL_REVIEW", ["ADDRESS_VERIFICATION"]],
  ["241: ID and identification number documents, then manual review", "241234567", "MANUAL_REVIEW", ["ID_FRONT", "ID_BACK", "SELFIE", "IDENTIFICATION_NUMBER_VERIFICATION"]],
  ["other: manual review", "612345678", "MANUAL_REVIEW", []],
];

let scenariosRun = 0;
test("every sandbox scenario of the guide, concurrently through one Onboarding", { timeout: 120_000 }, async (t) => {
  const events = [];
  const onboarding = new Onboarding({ base_url: base }, { ...CREDENTIALS, flowConfig: FAST, onEvent: (e) => events.push(e) });
  const before = await stats(base);
  await Promise.all(
    SCENARIOS.map(([label, ssn, outcome, documents]) =>
      t.test(label, async () => {
        const flow = onboarding.start(applicant(ssn, ssn.slice(0, 3)));
        // A manual review is read every 15 minutes: the run returns waiting.
        const { result, uploaded } = await runToEnd(flow, { maxWait: 30 });
        assert.deepEqual(uploaded, documents);
        if (outcome === "approved") assertApproved(result, events, ssn);
        else if (outcome === "rejected") assert.equal(result.state, "rejected");
        else {
          assert.equal(result.state, "waiting");
          assert.equal(result.application.status, outcome);
          assert.ok(Date.parse(result.next_check_at) > Date.now() + 60_000, result.next_check_at);
        }
        scenariosRun++;
      }),
    ),
  );
  const after = await stats(base);
  // One login for all the flows of an Onboarding.
  const logins = (r) => r.requests["POST /api/v1/login/"]?.["200"] ?? 0;
  assert.equal(logins(after) - logins(before), 1);
  assert.equal(after.identification_numbers.with_more_than_one_application, 0);
  console.log(`# e2e-driver-scenarios ${scenariosRun} of ${SCENARIOS.length}`);
});

test("a snapshot taken midway is resumed by a new Onboarding (a restarted server)", { timeout: 60_000 }, async () => {
  const first = new Onboarding({ base_url: base }, { ...CREDENTIALS, flowConfig: FAST });
  const application = applicant("242345679", "resume");
  // Before Create: the application is needed again.
  const early = first.start(application).snapshot();
  assert.throws(() => first.resume(early), (e) => e instanceof JikoFlowError && e.code === "application_required");
  const flow = first.start(application);
  const waiting = await flow.run();
  assert.equal(waiting.state, "documents_needed");
  const snapshot = flow.snapshot();
  assert.ok(!snapshot.includes("242345679") && !snapshot.includes("Sentinel"), "personal data in a snapshot");

  const second = new Onboarding({ base_url: base }, { ...CREDENTIALS, flowConfig: FAST });
  const resumed = second.resume(snapshot);
  assert.equal(resumed.applicationId, flow.applicationId);
  const { result } = await runToEnd(resumed);
  assertApproved(result, [], "242345679");
  // And from before Create, with the application.
  const fromStart = await runToEnd(second.resume(early, application));
  assert.equal(fromStart.result.state, "approved");
});

test("a webhook delivered by the simulator to the example receiver wakes a waiting flow", { timeout: 60_000 }, async () => {
  // The outcome shows only by itself, 1.5 s after Apply, with its webhook: polling alone
  // (every 10 minutes here) would not see it within the test.
  const sandbox = await startSandbox(["--outcome-after-polls", "1000", "--decide-after-ms", "1500"]);
  const WEBHOOK_SECRET = "whsec-node-e2e-0123456789";
  const flows = new Map();
  const receiver = webhookReceiver({ secrets: [WEBHOOK_SECRET], flows });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  try {
    const hook = `http://127.0.0.1:${receiver.address().port}/jiko`;
    const client = new Client({ base_url: sandbox }, SECRET);
    const login = client.login(USERNAME, PASSWORD);
    const session = parseLogin(...(await answer(login)));
    const subscribe = client.createSubscription(session.token, hook, ["application.approved", "application.rejected", "application.documents_needed", "application.manual_review"], WEBHOOK_SECRET);
    assert.equal(parseSubscription(...(await answer(subscribe))).url, hook);

    const slow = { webhooks: true, poll: { fast_initial_ms: 600_000, fast_max_ms: 600_000 } };
    const onboarding = new Onboarding({ base_url: sandbox }, {
      ...CREDENTIALS,
      flowConfig: slow,
      // The receiver finds the flow by its application id, known once Create is answered.
      onEvent: (e) => e.application_id && flows.set(e.application_id, flow),
    });
    const flow = onboarding.start(applicant("412345670", "webhook"));
    const started = Date.now();
    const result = await flow.run({ maxWait: 3600 });
    assert.equal(result.state, "approved");
    assert.ok(Date.now() - started < 30_000, "woken by the webhook, not by the 10-minute poll");
    const s = await stats(sandbox);
    assert.ok(s.webhooks.deliveries >= 1 && s.webhooks.delivery_failures === 0, JSON.stringify(s.webhooks));
    // A forged delivery is refused.
    const forged = await fetch(hook, { method: "POST", headers: { "x-jiko-signature": "AAAA" }, body: "{}" });
    assert.equal(forged.status, 401);
  } finally {
    receiver.close();
  }
});

async function answer(request) {
  const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.method === "GET" ? undefined : request.body });
  return [res.status, new Uint8Array(await res.arrayBuffer())];
}

test("both readings of a repeated idempotency key: --idempotency reject", { timeout: 60_000 }, async () => {
  const sandbox = await startSandbox(["--idempotency", "reject"]);
  const onboarding = new Onboarding({ base_url: sandbox }, { ...CREDENTIALS, flowConfig: FAST });
  const approved = await runToEnd(onboarding.start(applicant("422345678", "reject")));
  assert.equal(approved.result.state, "approved");
  const documents = await runToEnd(onboarding.start(applicant("232345670", "reject2")));
  assert.equal(documents.result.state, "approved");
  assert.equal((await stats(sandbox)).replays_served, 0);
});

test("with the simulator's faults on, every flow ends as its scenario says, each application created once", { timeout: 180_000 }, async () => {
  const faults = "lost_response=0.05,server_error=0.05,unavailable=0.03,rate_limit=0.03,reset=0.03,token_revoked=0.03";
  const sandbox = await startSandbox(["--faults", faults, "--seed", "20261207"]);
  const events = [];
  // Short backoffs and two more retries than the default, so that the test spends no
  // outage wait (30 s) after three failures in a row.
  const flowConfig = { ...FAST, retry: { max_retries: 4, base_delay_ms: 100, max_delay_ms: 400 } };
  const onboarding = new Onboarding({ base_url: sandbox }, { ...CREDENTIALS, flowConfig, onEvent: (e) => events.push(e) });
  const cases = [["412345601", "approved"], ["512345602", "rejected"], ["242345603", "approved"], ["232345604", "approved"], ["412345605", "approved"], ["312345606", "waiting"]];
  // One after the other: the simulator's seed then meets the same requests in the same order.
  for (const [ssn, state] of cases) {
    const { result } = await runToEnd(onboarding.start(applicant(ssn, `fault${ssn.slice(-1)}`)), { maxWait: 120 });
    assert.equal(result.state, state, `${ssn}: ${result.error?.code} ${result.error?.message}`);
  }
  const s = await stats(sandbox);
  assert.equal(s.applications.total, cases.length);
  assert.equal(s.identification_numbers.with_more_than_one_application, 0);
  const injected = Object.values(s.faults_injected).reduce((a, b) => a + b, 0);
  assert.ok(injected > 0, "no fault was injected");
  const kinds = new Set(events.filter((e) => e.type === "transport_error").map((e) => e.kind));
  console.log(`# e2e-faults ${injected} injected (${JSON.stringify(s.faults_injected)}), replays ${s.replays_served}, transport errors ${[...kinds].join(" ")}`);
});

test("the quickstart (docs/node.md's first block) onboards its applicant end to end and prints the numbers masked", { timeout: 60_000 }, async () => {
  const quickstart = join(EXAMPLES, "quickstart.mjs");
  const source = readFileSync(quickstart, "utf8");
  // The guide shows this file, byte for byte (and check-docs.py keeps README.md's copy equal).
  const guide = process.env.JIKO_NODE_GUIDE;
  assert.ok(guide, "set JIKO_NODE_GUIDE to docs/node.md");
  const first = /```js\n([\s\S]*?)```/.exec(readFileSync(guide, "utf8"));
  assert.ok(first, "docs/node.md has no js block");
  assert.equal(first[1], source, "docs/node.md's first block is not examples/node/quickstart.mjs");
  const code = source.split("\n").filter((line) => line.trim() !== "" && !/^\s*(\/\/|import\s)/.test(line));
  assert.ok(code.length <= 15, `the quickstart has ${code.length} lines of code`);
  // As a user runs it: from its folder (applicant.json and the scans are there).
  const { stdout } = await promisify(execFile)(process.execPath, ["quickstart.mjs"], {
    cwd: EXAMPLES,
    env: { ...process.env, JIKO_BASE_URL: base },
    timeout: 50_000,
  });
  const lines = stdout.trim().split("\n");
  assert.ok(lines.length >= 1);
  for (const line of lines) assert.match(line, /^approved: routing \*{5}\d{4} account \*+\d{4}$/);
  console.log(`# e2e-quickstart ${code.length} lines of code, ${lines.length} portal(s) printed masked`);
});
