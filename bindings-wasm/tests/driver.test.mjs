// The Onboarding driver (js/driver.js) through a scripted fake transport and a virtual
// clock: no network, no real time. Each test lists the requests it expects, in order,
// with the answer to give; the fake `fetch` fails the test on anything else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Onboarding, Flow, JikoError, JikoValidationError, JikoFlowError, maskNumber } from "jiko-onboarding";

const CONFIG = { base_url: "http://127.0.0.1:9" };
const CREDENTIALS = { username: "sandbox-user", password: "sandbox-password", signingSecret: "sandbox-signing-secret" };
const APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10";
const CUSTOMER_ID = "6f1c2a9e-0d5b-4c3e-8f7a-1b2c3d4e5f60";
const ACCOUNT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const PORTAL_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const ROUTING = "021000021";
const ACCOUNT_NUMBER = "000123456789";
const SSN = "411111111";
const APPLICATION = {
  identification_number: SSN,
  name: { first_name: "Zoë", last_name: "Sentinel" },
  email: "zoe.sentinel@example.com",
  phone_number: "+14155550100",
  date_of_birth: "1970-01-01",
  investment_profile: { employment_status: "RETIRED", income: "BELOW_50K", net_worth: "BELOW_50K" },
  agreement_consent: { version: "1.0.0", timestamp: "2026-11-30T12:00:00+00:00" },
  address: { street_address: "2000 Allston Way", city: "Berkeley", postal_code: "94701", state: "CA", country: "US" },
};
// A valid 1x1 grey PNG (67 bytes).
const PNG = Uint8Array.from(
  Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c63f80f0001010100b138f6140000000049454e44ae426082",
    "hex",
  ),
);
const START = Date.UTC(2026, 11, 1, 10, 0, 0);

/** A virtual clock: `sleep` moves time at once (or, with `hang`, waits for its signal). */
function virtualClock({ hang = false } = {}) {
  const clock = {
    t: START,
    sleeps: [],
    now: () => clock.t,
    sleep(ms, signal) {
      clock.sleeps.push(ms);
      if (!hang) {
        clock.t += ms;
        return Promise.resolve();
      }
      return new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    },
  };
  return clock;
}

const json = (status, body, headers = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const application = (status, extra = {}) => ({
  id: APP_ID,
  status,
  id_verification_documents_needed: false,
  identification_number_verification_document_needed: false,
  address_verification_document_needed: false,
  documents: [],
  ...extra,
});

const ANSWERS = {
  login: () => json(200, { token: "token-1", expires: "2030-01-01T00:00:00+00:00" }),
  agreements: () => json(200, { version: "1.0.0", release_date: "2026-01-15", documents: [] }),
  customer: () =>
    json(200, {
      type: "INDIVIDUAL",
      account_status: "OPEN",
      name: { first_name: "Zoë", last_name: "Sentinel" },
      email: "zoe.sentinel@example.com",
    }),
  accounts: () => json(200, { offset: 0, count: 1, items: [{ id: ACCOUNT_ID, name: "J1", status: "OPEN" }], object_type: "List" }),
  portals: () =>
    json(200, {
      count: 1,
      portals: [{ id: PORTAL_ID, jiko_account_id: ACCOUNT_ID, routing_number: ROUTING, account_number: ACCOUNT_NUMBER, status: "OPEN", name: "Default" }],
      object_type: "List",
    }),
};

/** The requests of the journey up to Apply, each answered as the sandbox would. */
const UNTIL_APPLY = [
  ["POST /api/v1/login/", ANSWERS.login],
  ["GET /api/v1/agreements/", ANSWERS.agreements],
  ["POST /api/v1/applications/", () => json(201, application("CREATED"))],
  [`POST /api/v1/applications/${APP_ID}/apply/`, () => json(200, application("SUBMITTED"))],
];
/** After approval: the customer, its accounts, their portals. */
const AFTER_APPROVAL = [
  [`GET /api/v1/customers/${CUSTOMER_ID}/`, ANSWERS.customer],
  [`GET /api/v1/customers/${CUSTOMER_ID}/jiko-accounts/`, ANSWERS.accounts],
  [`GET /api/v1/jiko-accounts/${ACCOUNT_ID}/portals/`, ANSWERS.portals],
];
const APPROVED = [`GET /api/v1/applications/${APP_ID}/`, () => json(200, application("APPROVED", { customer_id: CUSTOMER_ID }))];

/**
 * A fetch that expects `script` ([`METHOD /path`, answer(init)] pairs) in order. An
 * answer returns a Response, or throws to fail the request like a network error.
 */
function scriptedFetch(script) {
  const fetch = async (url, init) => {
    const next = script.shift();
    const seen = `${init.method} ${new URL(url).pathname}`;
    fetch.calls.push({ seen, url, init });
    assert.ok(next, `an unexpected request: ${seen}`);
    assert.equal(seen, next[0]);
    assert.equal(init.redirect, "manual");
    assert.ok(init.signal instanceof AbortSignal, "a signal per request");
    return next[1](init);
  };
  fetch.calls = [];
  fetch.script = script;
  fetch.remaining = () => script.map(([r]) => r);
  return fetch;
}

function onboarding(fetch, clock, extra = {}) {
  const events = [];
  const o = new Onboarding(CONFIG, { ...CREDENTIALS, fetch, clock, onEvent: (e) => events.push(e), ...extra });
  return { onboarding: o, events };
}

/** No personal data, token or number in any event. */
function assertClean(events) {
  const text = JSON.stringify(events);
  for (const secret of [SSN, "Zoë", "Sentinel", "zoe.sentinel", "token-1", ROUTING, ACCOUNT_NUMBER, "sandbox-password", "sandbox-signing-secret"]) {
    assert.ok(!text.includes(secret), `an event shows ${secret}`);
  }
}

test("happy path: approved, with the portal's numbers (non-enumerable) and clean events", async () => {
  const clock = virtualClock();
  const fetch = scriptedFetch([...UNTIL_APPLY, APPROVED, ...AFTER_APPROVAL]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const flow = o.start(APPLICATION, { today: "2026-12-01" });
  assert.ok(flow instanceof Flow);
  assert.equal(flow.applicationId, null);
  const result = await flow.run();
  assert.equal(result.state, "approved");
  assert.equal(flow.applicationId, APP_ID);
  assert.equal(result.application.status, "APPROVED");
  const portal = result.customer.accounts[0].portals[0];
  assert.equal(result.customer.customer_id, CUSTOMER_ID);
  assert.equal(result.customer.accounts[0].account_id, ACCOUNT_ID);
  assert.equal(portal.routing_number, ROUTING);
  assert.equal(portal.account_number, ACCOUNT_NUMBER);
  assert.equal(maskNumber(portal.account_number), "********6789");
  for (const shown of [JSON.stringify(result.customer), inspect(result), JSON.stringify(events)]) {
    assert.ok(!shown.includes(ROUTING) && !shown.includes(ACCOUNT_NUMBER), "a number is printed");
  }
  assert.equal(result.error, null);
  assert.equal(result.next_check_at, null);
  assert.deepEqual(fetch.remaining(), []);
  // The first poll waited on the schedule (2 s, jittered) on the virtual clock.
  assert.equal(clock.sleeps.length, 1);
  assert.ok(clock.sleeps[0] >= 1800 && clock.sleeps[0] <= 2200, `${clock.sleeps[0]}`);
  // Requests as prepared: signed headers, the bearer token, the exact body.
  const create = fetch.calls[2].init;
  const names = create.headers.map(([n]) => n.toLowerCase());
  for (const h of ["authorization", "x-jiko-idempotency", "x-jiko-signature", "content-type"]) assert.ok(names.includes(h), h);
  assert.ok(create.body instanceof Uint8Array && create.body.length > 0);
  assert.equal(fetch.calls[1].init.body, undefined, "a GET has no body");
  // Observability: every request and answer, the wait, and the end.
  assert.deepEqual(
    events.map((e) => e.type),
    ["request", "response", "request", "response", "request", "response", "request", "response", "wait", "request", "response",
      "request", "response", "request", "response", "request", "response", "returned"],
  );
  assert.deepEqual(events[4], { type: "request", operation: "create_application", method: "POST", path: "/api/v1/applications/", attempt: 3, application_id: null });
  assert.equal(events[5].status, 201);
  assert.equal(events[5].application_id, APP_ID);
  assert.equal(events[8].reason, "kyc_in_progress");
  assert.equal(events[13].path, "/api/v1/customers/{id}/jiko-accounts/");
  assert.deepEqual(events.at(-1), { type: "returned", state: "approved", application_id: APP_ID });
  assertClean(events);
});

test("retries: 503, a refused connection, a timeout and a reset are retried with the engine's backoff", async () => {
  const clock = virtualClock();
  const refused = () => {
    throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
  };
  const timeout = () => {
    throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
  };
  const reset = () => {
    throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
  };
  const get = `GET /api/v1/applications/${APP_ID}/`;
  const fetch = scriptedFetch([
    ["POST /api/v1/login/", refused],
    ...UNTIL_APPLY,
    [get, () => json(503, { detail: "unavailable" })],
    [get, timeout],
    [get, reset],
    APPROVED,
    ...AFTER_APPROVAL,
  ]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const result = await o.start(APPLICATION, { today: "2026-12-01" }).run();
  assert.equal(result.state, "approved");
  const failures = events.filter((e) => e.type === "transport_error").map((e) => `${e.operation} ${e.kind}`);
  assert.deepEqual(failures, ["login not_sent", "get_application timed_out", "get_application reset"]);
  const retries = events.filter((e) => e.type === "retry" || (e.type === "wait" && e.reason === "login"));
  assert.ok(retries.some((e) => e.type === "retry" && e.reason === "server_error"), JSON.stringify(retries));
  assert.ok(retries.some((e) => e.type === "retry" && e.reason === "timed_out"), JSON.stringify(retries));
  // Backoffs of at most 8 s; the third failure in a row spends the retries, and the flow
  // waits out the outage (30 s, jittered) before reading again.
  const delays = retries.filter((e) => e.type === "retry").map((e) => e.delay_ms);
  assert.ok(delays.slice(0, -1).every((ms) => ms > 0 && ms <= 8000), `${delays}`);
  assert.ok(delays.at(-1) >= 22_500 && delays.at(-1) <= 30_000, `${delays}`);
  assertClean(events);
});

test("a bare TypeError (other runtimes' network error) and a body that breaks count as reset, never not_sent", async () => {
  const clock = virtualClock();
  const bare = () => {
    throw new TypeError("NetworkError when attempting to fetch resource.");
  };
  const brokenBody = () =>
    new Response(new ReadableStream({ pull: (c) => c.error(new TypeError("terminated")) }), { status: 200 });
  const get = `GET /api/v1/applications/${APP_ID}/`;
  const fetch = scriptedFetch([
    ...UNTIL_APPLY,
    [get, bare],
    [get, brokenBody],
    APPROVED,
    ...AFTER_APPROVAL,
  ]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const result = await o.start(APPLICATION, { today: "2026-12-01" }).run();
  assert.equal(result.state, "approved");
  const failures = events.filter((e) => e.type === "transport_error").map((e) => `${e.operation} ${e.kind}`);
  assert.deepEqual(failures, ["get_application reset", "get_application reset"]);
  assertClean(events);
});

test("without AbortSignal.any (Node before 20.3), a run's signal keeps no listener per request", async () => {
  const any = AbortSignal.any;
  AbortSignal.any = undefined;
  try {
    const { getEventListeners } = await import("node:events");
    const clock = virtualClock();
    const fetch = scriptedFetch([...UNTIL_APPLY, APPROVED, ...AFTER_APPROVAL]);
    const { onboarding: o } = onboarding(fetch, clock);
    const stop = new AbortController();
    const result = await o.start(APPLICATION, { today: "2026-12-01" }).run({ signal: stop.signal });
    assert.equal(result.state, "approved");
    assert.equal(getEventListeners(stop.signal, "abort").length, 0);
  } finally {
    AbortSignal.any = any;
  }
});

test("an answer over 16 MiB is refused as reset, declared or streamed", async () => {
  const clock = virtualClock();
  const declared = () => new Response("x", { status: 200, headers: { "content-length": String(17 * 1024 * 1024) } });
  const streamed = () => {
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    return new Response(new ReadableStream({ pull: (c) => (sent++ < 20 ? c.enqueue(chunk) : c.close()) }), { status: 200 });
  };
  const get = `GET /api/v1/applications/${APP_ID}/`;
  const fetch = scriptedFetch([...UNTIL_APPLY, [get, declared], [get, streamed], APPROVED, ...AFTER_APPROVAL]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const result = await o.start(APPLICATION, { today: "2026-12-01" }).run();
  assert.equal(result.state, "approved");
  const failures = events.filter((e) => e.type === "transport_error").map((e) => `${e.operation} ${e.kind}`);
  assert.deepEqual(failures, ["get_application reset", "get_application reset"]);
});

test("a Retry-After longer than maxWait returns waiting, without sleeping it", async () => {
  const clock = virtualClock();
  const fetch = scriptedFetch([
    ...UNTIL_APPLY,
    [`GET /api/v1/applications/${APP_ID}/`, () => json(429, { detail: "slow down" }, { "retry-after": "600" })],
  ]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const flow = o.start(APPLICATION, { today: "2026-12-01" });
  const result = await flow.run({ maxWait: 60 });
  assert.equal(result.state, "waiting");
  assert.ok(result.error instanceof JikoError, "the transient error is reported");
  assert.equal(result.error.code, "api_rate_limited");
  const at = clock.now() + 600_000;
  assert.ok(Math.abs(result.next_check_at_ms - at) <= 1, `${result.next_check_at_ms} vs ${at}`);
  assert.equal(result.next_check_at, new Date(Math.floor(at / 1000) * 1000).toISOString().replace(".000Z", "Z"));
  assert.ok(clock.sleeps.every((ms) => ms <= 60_000), `${clock.sleeps}`);
  assert.equal(events.at(-1).type, "returned");
  assert.equal(events.at(-1).error_code, "api_rate_limited");
  // The snapshot keeps the wait: a resumed flow does not cut it short.
  const resumed = onboarding(scriptedFetch([]), clock).onboarding.resume(flow.snapshot());
  assert.equal((await resumed.run({ maxWait: 0 })).state, "waiting");
  // A loop of runs that send nothing still lets timers and I/O run (it yields each time).
  let ticked = false;
  setTimeout(() => (ticked = true), 0);
  for (let i = 0; i < 3; i++) await resumed.run({ maxWait: 0 });
  assert.ok(ticked, "the event loop was starved");
});

test("documents: asked for, provided, uploaded, then applied again", async () => {
  const clock = virtualClock();
  const needed = application("DOCUMENTS_NEEDED", { address_verification_document_needed: true });
  const get = `GET /api/v1/applications/${APP_ID}/`;
  const fetch = scriptedFetch([
    ...UNTIL_APPLY,
    [get, () => json(200, needed)],
  ]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const flow = o.start(APPLICATION, { today: "2026-12-01" });
  const first = await flow.run();
  assert.equal(first.state, "documents_needed");
  assert.deepEqual(first.requirements, [{ flag: "address_verification_document_needed", one_of: ["ADDRESS_VERIFICATION"] }]);
  assert.deepEqual(events.at(-1).requirements, first.requirements);
  assert.throws(() => flow.provideDocument("ADDRESS_VERIFICATION", "image/png", new Uint8Array()), (e) => e.code === "empty");
  flow.provideDocument("ADDRESS_VERIFICATION", "image/png", PNG);
  let uploaded;
  fetch.script.push(
    [`POST /api/v1/applications/${APP_ID}/documents/ADDRESS_VERIFICATION/file/`, (init) => ((uploaded = init.body), json(200, { success: true, document_id: "d1" }))],
    [get, () => json(200, application("PENDING"))],
    [`POST /api/v1/applications/${APP_ID}/apply/`, () => json(200, application("SUBMITTED"))],
    APPROVED,
    ...AFTER_APPROVAL,
  );
  const second = await flow.run();
  assert.equal(second.state, "approved");
  assert.deepEqual([...uploaded], [...PNG]);
  assert.deepEqual(fetch.remaining(), []);
  assertClean(events);
});

test("notify wakes a sleeping run at once; the flow reads the application", async () => {
  const clock = virtualClock({ hang: true });
  const get = `GET /api/v1/applications/${APP_ID}/`;
  const fetch = scriptedFetch([...UNTIL_APPLY, [get, () => json(200, application("MANUAL_REVIEW"))], APPROVED, ...AFTER_APPROVAL]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const flow = o.start(APPLICATION, { today: "2026-12-01" });
  // Manual review is read every 15 minutes; with maxWait of a day the run sleeps.
  const running = flow.run({ maxWait: 86_400 });
  // The first poll wait (2 s) hangs too: wake it, then wait for the manual-review sleep.
  await until(() => clock.sleeps.length === 1);
  flow.notify();
  await until(() => clock.sleeps.length === 2);
  assert.ok(clock.sleeps[1] > 60_000, `a manual review wait: ${clock.sleeps[1]}`);
  assert.equal(events.at(-1).type, "wait");
  assert.equal(events.at(-1).reason, "manual_review");
  flow.notify();
  const result = await running;
  assert.equal(result.state, "approved");
  assert.deepEqual(fetch.remaining(), []);
});

/** Lets the run go on until `condition` holds (a few turns of the event loop). */
async function until(condition) {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(condition(), "the run did not get there");
}

test("cancelling run leaves a valid snapshot: the request in flight is reported as reset, then resumed with its key", async () => {
  const clock = virtualClock();
  const key = (init) => init.headers.find(([n]) => n === "x-jiko-idempotency")[1];
  let applyKey;
  const fetch = scriptedFetch([
    ...UNTIL_APPLY.slice(0, 3),
    [
      `POST /api/v1/applications/${APP_ID}/apply/`,
      (init) => {
        applyKey = key(init);
        // The answer never comes: the host cancels while it waits.
        return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason), { once: true }));
      },
    ],
  ]);
  const { onboarding: o, events } = onboarding(fetch, clock);
  const flow = o.start(APPLICATION, { today: "2026-12-01" });
  const cancel = new AbortController();
  const running = flow.run({ signal: cancel.signal });
  await until(() => applyKey !== undefined);
  const reason = new Error("shutting down");
  cancel.abort(reason);
  await assert.rejects(running, (e) => e === reason);
  assert.equal(events.at(-1).type, "transport_error");
  assert.equal(events.at(-1).kind, "reset");
  const snapshot = flow.snapshot();
  assert.equal(JSON.parse(snapshot).application_id, APP_ID);
  assert.ok(!snapshot.includes(SSN) && !snapshot.includes("token-1"));
  // A new Onboarding (a restarted process) resumes it: Apply again, with the same key.
  let resentKey;
  const fetch2 = scriptedFetch([
    ["POST /api/v1/login/", ANSWERS.login],
    [`POST /api/v1/applications/${APP_ID}/apply/`, (init) => ((resentKey = key(init)), json(200, application("SUBMITTED")))],
    APPROVED,
    ...AFTER_APPROVAL,
  ]);
  const second = onboarding(fetch2, clock);
  const resumed = second.onboarding.resume(snapshot);
  assert.equal(resumed.applicationId, APP_ID);
  assert.equal((await resumed.run()).state, "approved");
  assert.equal(resentKey, applyKey, "the same key: an Apply that may have acted is not repeated blindly");
  assert.deepEqual(fetch2.remaining(), []);
  assertClean([...events, ...second.events]);
});

test("one login per Onboarding, shared by its flows", async () => {
  const clock = virtualClock();
  const second = "2c7d9c1e-4a1b-4f0e-9a57-2f4f1d6d2a11";
  const fetch = scriptedFetch([
    ["POST /api/v1/login/", ANSWERS.login],
    ["GET /api/v1/agreements/", ANSWERS.agreements],
    ["POST /api/v1/applications/", () => json(201, application("CREATED"))],
    [`POST /api/v1/applications/${APP_ID}/apply/`, () => json(200, application("REJECTED"))],
    ["GET /api/v1/agreements/", ANSWERS.agreements],
    ["POST /api/v1/applications/", () => json(201, { ...application("CREATED"), id: second })],
    [`POST /api/v1/applications/${second}/apply/`, () => json(200, { ...application("REJECTED"), id: second })],
  ]);
  const { onboarding: o } = onboarding(fetch, clock);
  assert.equal((await o.start(APPLICATION, { today: "2026-12-01" }).run()).state, "rejected");
  assert.equal((await o.start(APPLICATION, { today: "2026-12-01" }).run()).state, "rejected");
  assert.equal(fetch.calls.filter((c) => c.seen === "POST /api/v1/login/").length, 1);
});

test("a redirect is never followed: the flow fails with the typed error", async () => {
  const clock = virtualClock();
  const fetch = scriptedFetch([
    ["POST /api/v1/login/", ANSWERS.login],
    ["GET /api/v1/agreements/", () => new Response(null, { status: 302, headers: { location: "http://elsewhere.test/" } })],
  ]);
  const { onboarding: o } = onboarding(fetch, clock);
  const result = await o.start(APPLICATION, { today: "2026-12-01" }).run();
  assert.equal(result.state, "failed");
  assert.ok(result.error instanceof JikoError);
  assert.equal(result.error.status, 302);
});

test("arguments: validation first, unknown options refused, one run at a time, flows only from an Onboarding", async () => {
  const clock = virtualClock({ hang: true });
  const { onboarding: o } = onboarding(scriptedFetch([["POST /api/v1/login/", ANSWERS.login], ["GET /api/v1/agreements/", ANSWERS.agreements], ["POST /api/v1/applications/", () => json(201, application("CREATED"))], [`POST /api/v1/applications/${APP_ID}/apply/`, () => json(200, application("SUBMITTED"))]]), clock);
  assert.throws(() => o.start({ ...APPLICATION, identification_number: "12" }), (e) => e instanceof JikoValidationError && !e.message.includes("12"));
  assert.throws(() => o.start(APPLICATION, { todya: "2026-12-01" }), (e) => e.code === "invalid_argument");
  assert.throws(() => new Onboarding(CONFIG, { ...CREDENTIALS, signing_secret: "x" }), (e) => e.code === "invalid_argument");
  assert.throws(() => new Onboarding(CONFIG, { ...CREDENTIALS, fetch: "no" }), (e) => e.code === "invalid_argument");
  assert.throws(() => new Flow(), TypeError);
  assert.throws(() => o.resume("{}"), (e) => e instanceof JikoFlowError && e.code === "snapshot_invalid");
  const flow = o.start(APPLICATION, { today: "2026-12-01" });
  assert.throws(() => o.resume(flow.snapshot()), (e) => e instanceof JikoFlowError && e.code === "application_required");
  const controller = new AbortController();
  const running = flow.run({ signal: controller.signal });
  await assert.rejects(flow.run(), (e) => e.code === "run_in_progress");
  await until(() => clock.sleeps.length === 1);
  controller.abort();
  await assert.rejects(running, (e) => e.name === "AbortError");
  await assert.rejects(flow.run({ maxWait: -1 }), (e) => e.code === "invalid_argument");
  assert.equal(String(o), "Onboarding(http://127.0.0.1:9)");
  for (const shown of [String(o), JSON.stringify(o), inspect(o), String(flow), JSON.stringify(flow), inspect(flow)]) {
    for (const secret of ["sandbox-password", "sandbox-signing-secret", SSN, "Zoë", "token-1"]) assert.ok(!shown.includes(secret), shown);
  }
});
