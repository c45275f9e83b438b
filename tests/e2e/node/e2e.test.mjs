// End-to-end, Node (issue 6, item 4): the packed and installed npm package prepares and
// parses, Node's global `fetch` sends, the local Jiko sandbox simulator answers over
// real HTTP. The simulator binary is started by the test as a child process on port 0.
//
// Run by `make -C bindings-wasm test` (and alone by `make -C bindings-wasm e2e`), which
// copies this file next to the installed package. Environment:
//   JIKO_SANDBOX_BIN  the simulator binary (cargo build -p jiko-sandbox), required
// The driver (Onboarding) against the simulator is in onboarding.test.mjs.
//
// Expected paths are written out by hand from the onboarding guide's sandbox table, not
// computed with the SDK; the SDK's nextAction and requiredDocuments decide each step, as
// a partner's server would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, USERNAME, PASSWORD, SECRET } from "./sandbox.mjs";
import {
  Client,
  Session,
  parseLogin,
  parseAgreements,
  parseApplication,
  parseUpload,
  nextAction,
  requiredDocuments,
  JikoApiError,
  JikoValidationError,
} from "jiko-onboarding";

const MAX_STEPS = 40;

// A valid 1x1 grey PNG (67 bytes).
const PNG = Uint8Array.from(
  Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c63f80f0001010100b138f6140000000049454e44ae426082",
    "hex",
  ),
);

/** The README's way to send a prepared request. */
function send(request) {
  return fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" ? undefined : request.body,
  });
}

/** Sends and parses; returns the parsed value or throws the SDK's error. */
async function exchange(request, parse) {
  const res = await send(request);
  const body = new Uint8Array(await res.arrayBuffer());
  return parse(res.status, body, res.headers.get("retry-after"));
}

async function rejected(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected the SDK to throw");
}

function localDate(d) {
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function applicant(ssn, tag, overrides = {}) {
  return {
    identification_number: ssn,
    name: { first_name: "Jamie", last_name: "Sampleton" },
    email: `applicant.${tag}@example.com`,
    phone_number: "+14155550123",
    date_of_birth: "1985-06-15",
    investment_profile: { employment_status: "EMPLOYED", income: "BETWEEN_100K_AND_250K", net_worth: "BETWEEN_200K_AND_1M", occupation: "Software engineer" },
    agreement_consent: { version: "1.0.0", timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z") },
    address: { street_address: "1 Testing Lane", city: "Springfield", postal_code: "62704", state: "IL", country: "US" },
    ...overrides,
  };
}

const base = await startSandbox();

async function login(client) {
  const session = await exchange(client.login(USERNAME, PASSWORD), parseLogin);
  assert.ok(session instanceof Session);
  assert.equal(session.needsRefresh(), false);
  return session;
}

/**
 * A complete onboarding as a partner's server would drive it: create, then whatever
 * nextAction says (apply, poll, upload what requiredDocuments lists) until a final state.
 * Returns the statuses seen (consecutive repeats folded) and the documents uploaded.
 */
async function onboard(ssn, tag) {
  const client = new Client({ base_url: base }, SECRET);
  const { token } = await login(client);
  const agreements = await exchange(client.listAgreements(token), parseAgreements);
  let app = await exchange(client.createApplication(token, applicant(ssn, tag, { agreement_consent: { version: agreements.version, timestamp: "2026-01-01T00:00:00Z" } })), parseApplication);
  const statuses = [app.status];
  const uploads = [];
  const seen = (a) => {
    if (statuses[statuses.length - 1] !== a.status) statuses.push(a.status);
  };
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = nextAction(app);
    if (next.kind === "apply") {
      app = await exchange(client.apply(token, app.id), parseApplication);
    } else if (next.kind === "wait" && next.reason !== "manual_review") {
      app = await exchange(client.getApplication(token, app.id), parseApplication);
    } else if (next.kind === "upload_documents") {
      assert.deepEqual(next.requirements, requiredDocuments(app));
      for (const { one_of } of requiredDocuments(app)) {
        const done = await exchange(client.uploadDocument(token, app.id, one_of[0], "image/png", PNG), parseUpload);
        assert.equal(done.success, true);
        uploads.push(one_of[0]);
      }
      app = await exchange(client.getApplication(token, app.id), parseApplication);
    } else {
      return { app, next, statuses, uploads };
    }
    seen(app);
  }
  assert.fail(`SSN rule ${ssn.slice(0, 3)}: no final state after ${MAX_STEPS} steps (${statuses.join(" > ")})`);
}

const C = "CREATED";
const S = "SUBMITTED";
const D = "DOCUMENTS_NEEDED";
const P = "PENDING";
const FLOWS = [
  ["4xx: approved", "412345678", [C, S, "APPROVED"], [], "approved"],
  ["5xx: rejected", "512345678", [C, S, "REJECTED"], [], "rejected"],
  ["3xx: manual review", "312345678", [C, S, "MANUAL_REVIEW"], [], "wait"],
  ["21x: ID documents, then approved", "212345678", [C, S, D, P, S, "APPROVED"], ["ID_FRONT", "ID_BACK", "SELFIE"], "approved"],
  ["231: address document, then manual review", "231234567", [C, S, D, P, S, "MANUAL_REVIEW"], ["ADDRESS_VERIFICATION"], "wait"],
  ["24x: ID and ID-number documents, then approved", "242345678", [C, S, D, P, S, "APPROVED"], ["ID_FRONT", "ID_BACK", "SELFIE", "IDENTIFICATION_NUMBER_VERIFICATION"], "approved"],
];

let flowsRun = 0;
for (const [label, ssn, path, uploaded, last] of FLOWS) {
  test(`flow ${label}`, { timeout: 60_000 }, async () => {
    const { app, next, statuses, uploads } = await onboard(ssn, `node-${ssn.slice(0, 3)}`);
    assert.deepEqual(statuses, path);
    assert.deepEqual(uploads, uploaded);
    assert.equal(next.kind, last);
    if (app.status === "APPROVED") {
      assert.match(app.customer_id, /^[0-9a-f-]{36}$/);
      assert.equal(next.customer_id, app.customer_id);
    } else {
      assert.equal("customer_id" in app, false);
    }
    if (last === "wait") assert.equal(next.reason, "manual_review");
    // Settled: no flag left, every upload in review or approved.
    assert.deepEqual(requiredDocuments(app), []);
    for (const type of uploaded) {
      const doc = app.documents.find((d) => d.type === type);
      assert.ok(doc, `${type} missing from documents`);
      assert.equal(doc.status, app.status === "APPROVED" ? "APPROVED" : "PENDING_REVIEW", type);
    }
    flowsRun++;
  });
}

test("negative: a tampered body is refused (JikoApiError unauthorized)", async () => {
  const client = new Client({ base_url: base }, SECRET);
  const { token } = await login(client);
  const request = client.createApplication(token, applicant("412345678", "tamper"));
  // Same length, still a valid application: only the signature no longer matches.
  const text = new TextDecoder().decode(request.body).replace("412345678", "512345678");
  const e = await rejected(exchange({ ...request, body: new TextEncoder().encode(text) }, parseApplication));
  assert.ok(e instanceof JikoApiError);
  assert.deepEqual([e.kind, e.status, e.code, e.retryable], ["unauthorized", 401, "api_unauthorized", false]);
  // The untouched request is accepted: the refusal was the tampering.
  assert.equal((await exchange(request, parseApplication)).status, "CREATED");
  // A wrong secret is refused the same way.
  const wrong = new Client({ base_url: base }, "not-the-secret");
  const e2 = await rejected(exchange(wrong.listAgreements(token), parseAgreements));
  assert.deepEqual([e2.kind, e2.status], ["unauthorized", 401]);
});

test("a resent request gets its first answer again (the simulator's default, --idempotency replay)", async () => {
  const client = new Client({ base_url: base }, SECRET);
  const { token } = await login(client);
  const create = client.createApplication(token, applicant("412345678", "resent"));
  const first = await send(create);
  const again = await send(create);
  assert.deepEqual([first.status, again.status], [201, 201]);
  assert.equal(await again.text(), await first.text());
});

test("negative: a reused idempotency key is refused (409, JikoApiError conflict) with --idempotency reject", async () => {
  // A second simulator that refuses any reuse of a key within the hour.
  const rejecting = await startSandbox(["--idempotency", "reject"]);
  const client = new Client({ base_url: rejecting }, SECRET);
  const { token } = await login(client);
  const create = client.createApplication(token, applicant("412345678", "replay"));
  const app = await exchange(create, parseApplication);
  const e = await rejected(exchange(create, parseApplication));
  assert.ok(e instanceof JikoApiError);
  assert.deepEqual([e.kind, e.status, e.code], ["conflict", 409, "api_conflict"]);
  // The same key on another, correctly signed request.
  const e2 = await rejected(exchange(client.apply(token, app.id, { idempotencyKey: create.idempotency_key }), parseApplication));
  assert.deepEqual([e2.kind, e2.status], ["conflict", 409]);
  // Uploads are not signed, but their keys are remembered too.
  const upload = client.uploadDocument(token, app.id, "OTHER", "image/png", PNG);
  assert.equal((await exchange(upload, parseUpload)).success, true);
  assert.equal((await rejected(exchange(upload, parseUpload))).kind, "conflict");
});

test("negative: an expired token is refused (JikoApiError unauthorized)", async () => {
  // A second simulator whose tokens are expired as soon as they are issued.
  const expiring = await startSandbox(["--token-lifetime-seconds", "0"]);
  const client = new Client({ base_url: expiring }, SECRET);
  const session = await exchange(client.login(USERNAME, PASSWORD), parseLogin);
  assert.equal(session.needsRefresh(), true, "an expired session needs a refresh");
  for (const request of [
    client.listAgreements(session.token),
    client.getApplication(session.token, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    client.createApplication(session.token, applicant("412345678", "expired")),
  ]) {
    const e = await rejected(exchange(request, request.path.endsWith("agreements/") ? parseAgreements : parseApplication));
    assert.ok(e instanceof JikoApiError);
    assert.deepEqual([e.kind, e.status, e.code], ["unauthorized", 401, "api_unauthorized"]);
  }
  // Wrong credentials are unauthorized too.
  const e = await rejected(exchange(client.login(USERNAME, "not-the-password"), parseLogin));
  assert.deepEqual([e.kind, e.status], ["unauthorized", 401]);
});

test("negative: the server's 422 surfaces as JikoApiError validation with field errors", async () => {
  const client = new Client({ base_url: base }, SECRET);
  const { token } = await login(client);
  // 17 years old by the server's clock, but the partner's server passes a `today` two
  // years ahead: the SDK lets it through and the simulator's own check refuses it.
  const now = new Date();
  const dob = localDate(new Date(now.getFullYear() - 17, now.getMonth(), 1));
  const later = localDate(new Date(now.getFullYear() + 2, now.getMonth(), now.getDate()));
  const request = client.createApplication(token, applicant("412345678", "minor", { date_of_birth: dob }), { today: later });
  const e = await rejected(exchange(request, parseApplication));
  assert.ok(e instanceof JikoApiError && !(e instanceof JikoValidationError));
  assert.deepEqual([e.kind, e.status, e.code, e.retryable], ["validation", 422, "api_validation", false]);
  assert.deepEqual(e.errors.map((f) => [f.path, f.code]), [["date_of_birth", "under_age"]]);
  assert.ok(!e.message.includes(dob), "the message repeats the date of birth");
  // The SDK itself refuses the same application against today, before anything is sent.
  const local = await rejected(Promise.resolve().then(() => client.createApplication(token, applicant("412345678", "minor", { date_of_birth: dob }))));
  assert.ok(local instanceof JikoValidationError);
  assert.deepEqual(local.errors.map((f) => f.code), ["under_age"]);
});

test("negative: unknown application (404) and apply out of turn (409)", async () => {
  const client = new Client({ base_url: base }, SECRET);
  const { token } = await login(client);
  const e = await rejected(exchange(client.getApplication(token, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"), parseApplication));
  assert.deepEqual([e.kind, e.status], ["not_found", 404]);
  const app = await exchange(client.createApplication(token, applicant("512345678", "twice")), parseApplication);
  await exchange(client.apply(token, app.id), parseApplication);
  const e2 = await rejected(exchange(client.apply(token, app.id), parseApplication));
  assert.deepEqual([e2.kind, e2.status], ["conflict", 409]);
});

test("every flow ran", () => {
  assert.equal(flowsRun, FLOWS.length);
  console.log(`# e2e-flows ${flowsRun} of ${FLOWS.length} against ${process.env.JIKO_SANDBOX_BIN}`);
});
