//! Runs every shared vector of `tests/vectors/*.json` against the core.
//!
//! The same files are loaded by the Node, Chromium, Python and Kotlin suites. The flow
//! harness at the end (`flows.json`) is the reference the other languages copy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use base64::Engine as _;
use serde_json::{json, Value};

use jiko_onboarding::{
    check_upload, next_action, parse_agreements, parse_application, parse_login, parse_upload,
    poll_delay_ms, required_documents, retry_after_ms, retry_decision, sandbox_scenario,
    validate_application_value, verify_webhook, Authenticator, CalendarDate, Client, ClientConfig,
    DocumentType, Environment, Error, FlowConfig, Observed, OnboardingFlow, Operation, Outcome,
    PollInput, PollPolicy, PreparedRequest, RetryDecision, RetryInput, RetryPolicy, Signer, Step,
    Transmit, TransportErrorKind, Wait,
};

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn load(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(vectors_dir().join(name)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn bytes(v: &Value) -> Vec<u8> {
    if let Some(s) = v.get("utf8") {
        return s.as_str().unwrap().as_bytes().to_vec();
    }
    if let Some(s) = v.get("base64") {
        return base64::engine::general_purpose::STANDARD
            .decode(s.as_str().unwrap())
            .unwrap();
    }
    let mut out = base64::engine::general_purpose::STANDARD
        .decode(v["prefix_base64"].as_str().unwrap())
        .unwrap();
    out.resize(v["size"].as_u64().unwrap() as usize, 0);
    out
}

fn pairs(errors: &[jiko_onboarding::FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| (e.path.clone(), e.code.clone()))
        .collect()
}

fn expected_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

/// Every string value longer than 3 characters anywhere in `v`.
fn string_values(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.chars().count() > 3 => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| string_values(x, out)),
        Value::Object(o) => o.values().for_each(|x| string_values(x, out)),
        _ => {}
    }
}

#[test]
fn vector_total_matches_what_runs() {
    let mut total = 0;
    for entry in std::fs::read_dir(vectors_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            total += doc["cases"].as_array().unwrap().len();
        }
    }
    let ran: usize = [
        "signing.json",
        "validation.json",
        "responses.json",
        "onboarding.json",
        "sandbox.json",
        "requests.json",
        "uploads.json",
        "retry.json",
        "poll.json",
        "webhooks.json",
        "flows.json",
    ]
    .iter()
    .map(|f| load(f).len())
    .sum();
    assert_eq!(ran, total, "a vector file is not run by the Rust suite");
}

#[test]
fn signing_vectors() {
    for case in load("signing.json") {
        let name = case["name"].as_str().unwrap();
        let signer = Signer::new(case["secret"].as_str().unwrap()).unwrap();
        let key = case["idempotency_key"].as_str().unwrap();
        let path = case["path"].as_str().unwrap();
        let body = bytes(&case["body"]);
        let expected = case["signature"].as_str().unwrap();
        assert_eq!(signer.sign(key, path, &body), expected, "{name}");
        assert!(signer.verify(key, path, &body, expected), "{name}");
        let mut tampered = body.clone();
        tampered.push(b'x');
        assert!(!signer.verify(key, path, &tampered, expected), "{name}");
    }
}

#[test]
fn validation_vectors() {
    for case in load("validation.json") {
        let name = case["name"].as_str().unwrap();
        let today = CalendarDate::parse(case["today"].as_str().unwrap()).unwrap();
        let errors = validate_application_value(&case["application"], today);
        assert_eq!(
            sorted(pairs(&errors)),
            sorted(expected_pairs(&case["errors"])),
            "{name}"
        );
        let mut values = Vec::new();
        string_values(&case["application"], &mut values);
        for e in &errors {
            assert!(!e.message.is_empty(), "{name}");
            for v in &values {
                assert!(
                    !e.message.contains(v.as_str()),
                    "{name}: message echoes a value"
                );
            }
        }
    }
}

fn check_api_error(name: &str, err: &Error, expected: &Value, leaks: &[String]) {
    let Error::Api(api) = err else {
        panic!("{name}: expected an API error, got {err:?}")
    };
    assert_eq!(err.code(), expected["code"].as_str().unwrap(), "{name}");
    assert_eq!(
        api.kind.as_str(),
        expected["kind"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(
        u64::from(api.status),
        expected["status"].as_u64().unwrap(),
        "{name}"
    );
    assert_eq!(
        pairs(&api.errors),
        expected_pairs(&expected["errors"]),
        "{name}"
    );
    assert_eq!(
        api.retry_after_seconds,
        expected["retry_after_seconds"].as_u64(),
        "{name}"
    );
    let texts = [err.to_string(), format!("{err:?}")];
    for leak in leaks {
        for t in &texts {
            assert!(
                !t.contains(leak.as_str()),
                "{name}: error text leaks body data"
            );
        }
    }
}

#[test]
fn response_vectors() {
    for case in load("responses.json") {
        let name = case["name"].as_str().unwrap();
        let status = case["status"].as_u64().unwrap() as u16;
        let body = bytes(&case["body"]);
        let parsed: Result<Value, Error> = match case["parser"].as_str().unwrap() {
            "application" => parse_application(status, &body).map(|a| serde_json::to_value(a).unwrap()),
            "agreements" => parse_agreements(status, &body).map(|a| serde_json::to_value(a).unwrap()),
            "upload" => parse_upload(status, &body).map(|a| serde_json::to_value(a).unwrap()),
            "login" => parse_login(status, &body).map(|s| {
                json!({"token": s.token(), "expires": s.expires(), "expires_at_unix_seconds": s.expires_at_unix_seconds()})
            }),
            other => panic!("unknown parser {other}"),
        };
        let parsed = match (parsed, case.get("retry_after").and_then(Value::as_str)) {
            (Err(e), Some(h)) => Err(e.with_retry_after(h)),
            (other, _) => other,
        };
        let leaks: Vec<String> = case
            .get("must_not_leak")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default();
        match (&case["expect"].get("ok"), &case["expect"].get("error")) {
            (Some(ok), None) => assert_eq!(&parsed.unwrap(), *ok, "{name}"),
            (None, Some(expected)) => check_api_error(name, &parsed.unwrap_err(), expected, &leaks),
            _ => panic!("{name}: bad expectation"),
        }
    }
}

#[test]
fn onboarding_vectors() {
    for case in load("onboarding.json") {
        let name = case["name"].as_str().unwrap();
        let body = serde_json::to_vec(&case["application"]).unwrap();
        let app = parse_application(200, &body).unwrap();
        assert_eq!(
            serde_json::to_value(required_documents(&app)).unwrap(),
            case["required_documents"],
            "{name}"
        );
        assert_eq!(
            serde_json::to_value(next_action(&app)).unwrap(),
            case["next_action"],
            "{name}"
        );
    }
}

#[test]
fn sandbox_vectors() {
    for case in load("sandbox.json") {
        let name = case["name"].as_str().unwrap();
        let scenario = sandbox_scenario(case["ssn"].as_str().unwrap());
        assert_eq!(
            serde_json::to_value(scenario).unwrap(),
            case["scenario"],
            "{name}"
        );
    }
}

fn client_for(case: &Value) -> Result<Client, Error> {
    let c = &case["client"];
    let config = if let Some(url) = c.get("base_url") {
        ClientConfig::BaseUrl(url.as_str().unwrap().to_owned())
    } else {
        ClientConfig::Hosted {
            environment: Environment::parse(c["environment"].as_str().unwrap())?,
            partner: c["partner"].as_str().unwrap().to_owned(),
        }
    };
    Client::new(config, case["secret"].as_str().unwrap())
}

#[test]
fn request_vectors() {
    for case in load("requests.json") {
        let name = case["name"].as_str().unwrap();
        let args = &case["args"];
        let key = case["idempotency_key"].as_str();
        let s = |k: &str| args[k].as_str().unwrap();
        let result =
            client_for(&case).and_then(|client| match case["operation"].as_str().unwrap() {
                "client" => Err(Error::invalid_argument_for_tests()),
                "login" => client.login(s("username"), s("password")),
                "list_agreements" => client.list_agreements(s("token"), key),
                "create_application" => {
                    let today = CalendarDate::parse(case["today"].as_str().unwrap()).unwrap();
                    client.create_application_value(s("token"), &args["application"], today, key)
                }
                "get_application" => client.get_application(s("token"), s("application_id"), key),
                "apply" => client.apply(s("token"), s("application_id"), key),
                "upload_document" => client.upload_document(
                    s("token"),
                    s("application_id"),
                    &DocumentType::parse(s("document_type")),
                    s("content_type"),
                    bytes(&args["body"]),
                    key,
                ),
                other => panic!("unknown operation {other}"),
            });
        let expect = &case["expect"];
        if let Some(expected) = expect.get("error") {
            let err = result.unwrap_err();
            assert_eq!(err.code(), expected["code"].as_str().unwrap(), "{name}");
            if let Some(errors) = expected.get("errors") {
                assert_eq!(pairs(err.field_errors()), expected_pairs(errors), "{name}");
            }
            continue;
        }
        let req = result.unwrap();
        assert_eq!(req.method.as_str(), expect["method"], "{name}");
        assert_eq!(req.url, expect["url"].as_str().unwrap(), "{name}");
        assert_eq!(req.path, expect["path"].as_str().unwrap(), "{name}");
        let headers: Vec<Value> = req.headers.iter().map(|(n, v)| json!([n, v])).collect();
        assert_eq!(Value::Array(headers), expect["headers"], "{name}");
        assert_eq!(req.body, bytes(&expect["body"]), "{name}");
        assert_eq!(
            req.idempotency_key.as_deref(),
            expect["idempotency_key"].as_str(),
            "{name}"
        );
    }
}

#[test]
fn upload_vectors() {
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for case in load("uploads.json") {
        let name = case["name"].as_str().unwrap();
        let data = bytes(&case["bytes"]);
        let document_type = DocumentType::parse(case["document_type"].as_str().unwrap());
        let result = check_upload(
            &document_type,
            case["content_type"].as_str().unwrap(),
            &data,
        );
        let got = match result {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.code.as_str().to_owned(),
        };
        assert_eq!(got, case["expect"].as_str().unwrap(), "{name}");
        *by_code.entry(got).or_default() += 1;
    }
    assert!(by_code.len() >= 4, "every outcome is covered: {by_code:?}");
}

/// Lets the table above express "the client itself is refused" uniformly.
trait ForTests {
    fn invalid_argument_for_tests() -> Error;
}

impl ForTests for Error {
    fn invalid_argument_for_tests() -> Error {
        Error::InvalidArgument {
            code: "client_was_built",
            message: "the client was expected to be refused".to_owned(),
        }
    }
}

// ------------------------------------------------------------------ retry.json, poll.json

fn observed(v: &Value) -> Observed {
    if let Some(kind) = v.get("transport") {
        return Observed::Transport(TransportErrorKind::parse(kind.as_str().unwrap()).unwrap());
    }
    if v.get("unreadable").is_some() {
        return Observed::Unreadable;
    }
    Observed::Status {
        status: v["status"].as_u64().unwrap() as u16,
        retry_after_ms: v.get("retry_after_ms").and_then(Value::as_u64),
    }
}

fn decision_json(decision: &RetryDecision) -> Value {
    match decision {
        RetryDecision::Success => json!({"decision": "success"}),
        RetryDecision::Retry {
            delay_ms,
            reason,
            same_key,
        } => {
            json!({"decision": "retry", "delay_ms": delay_ms, "reason": reason.as_str(), "same_key": same_key})
        }
        RetryDecision::Postpone { delay_ms, reason } => {
            json!({"decision": "postpone", "delay_ms": delay_ms, "reason": reason.as_str()})
        }
        RetryDecision::Relogin => json!({"decision": "relogin"}),
        RetryDecision::ReadState => json!({"decision": "read_state"}),
        RetryDecision::GiveUp { reason } => {
            json!({"decision": "give_up", "reason": reason.as_str()})
        }
        RetryDecision::OutcomeUnknown => json!({"decision": "outcome_unknown"}),
        RetryDecision::Fail => json!({"decision": "fail"}),
    }
}

/// A policy from the case's `policy` (the fields that differ from the defaults).
fn policy<P: serde::de::DeserializeOwned + Default>(case: &Value) -> P {
    case.get("policy")
        .map_or_else(P::default, |p| serde_json::from_value(p.clone()).unwrap())
}

#[test]
fn retry_vectors() {
    for case in load("retry.json") {
        let name = case["name"].as_str().unwrap();
        if let Some(header) = case.get("header") {
            let ms = retry_after_ms(header.as_str().unwrap(), case["now_ms"].as_u64().unwrap());
            assert_eq!(ms, case["expect_ms"].as_u64(), "{name}");
            continue;
        }
        let input = &case["input"];
        let input = RetryInput {
            observed: observed(&input["observed"]),
            kind: serde_json::from_value(input["kind"].clone()).unwrap(),
            retries: input["retries"].as_u64().unwrap() as u32,
            key_age_ms: input["key_age_ms"].as_u64().unwrap(),
            relogged_in: input["relogged_in"].as_bool().unwrap(),
            ambiguous_before: input["ambiguous_before"].as_bool().unwrap(),
            random: input["random"].as_f64().unwrap(),
        };
        let decision = retry_decision(&policy::<RetryPolicy>(&case), &input);
        assert_eq!(decision_json(&decision), case["expect"], "{name}");
    }
}

#[test]
fn poll_vectors() {
    for case in load("poll.json") {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let input = PollInput {
            reason: serde_json::from_value(input["reason"].clone()).unwrap(),
            waited_ms: input["waited_ms"].as_u64().unwrap(),
            reads: input["reads"].as_u64().unwrap() as u32,
            webhooks: input["webhooks"].as_bool().unwrap(),
            random: input["random"].as_f64().unwrap(),
        };
        let delay = poll_delay_ms(&policy::<PollPolicy>(&case), &input);
        assert_eq!(Some(delay), case["expect_delay_ms"].as_u64(), "{name}");
    }
}

// ------------------------------------------------------------------------ webhooks.json

fn header_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h[0].as_str().unwrap().to_owned(),
                h[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn webhook_vectors() {
    for case in load("webhooks.json") {
        let name = case["name"].as_str().unwrap();
        let secrets: Vec<String> = serde_json::from_value(case["secrets"].clone()).unwrap();
        let result = verify_webhook(
            &header_pairs(&case["headers"]),
            &bytes(&case["body"]),
            &secrets,
        );
        let got = match result {
            Ok(event) => json!({"ok": {
                "event_id": event.event_id,
                "event_type": event.event_type.as_str(),
                "timestamp": event.timestamp,
                "application_id": event.application_id(),
            }}),
            Err(e) => json!({ "error": e.code() }),
        };
        assert_eq!(got, case["expect"], "{name}");
    }
}

// --------------------------------------------------------------------------- flows.json
//
// The reference harness, for every binding to copy: a host whose "network" is the
// transcript's script. Read it with tests/vectors/README.md ("flows.json").

/// One transcript being run: the flow, its authenticator and clock, and what the host
/// remembers: every key sent, the last request of each operation, and the documents
/// provided and not yet uploaded (snapshots do not hold them; the host gives them again).
struct Harness {
    name: String,
    config: FlowConfig,
    application: Value,
    today: CalendarDate,
    restore_every_step: bool,
    flow: OnboardingFlow,
    auth: Authenticator,
    now: u64,
    keys: HashSet<String>,
    last_sent: HashMap<&'static str, PreparedRequest>,
    documents: Vec<(DocumentType, String, Vec<u8>)>,
}

fn flow_client() -> Client {
    Client::new(
        ClientConfig::BaseUrl("http://127.0.0.1:8080".into()),
        "sandbox-signing-secret",
    )
    .unwrap()
}

impl Harness {
    fn start(case: &Value) -> Harness {
        let config: FlowConfig = serde_json::from_value(case["config"].clone()).unwrap();
        let today = CalendarDate::parse(case["today"].as_str().unwrap()).unwrap();
        let now = case["start_ms"].as_u64().unwrap();
        let application = case["application"].clone();
        let flow =
            OnboardingFlow::start(flow_client(), config.clone(), &application, today, now).unwrap();
        Harness {
            name: case["name"].as_str().unwrap().to_owned(),
            config,
            application,
            today,
            restore_every_step: case["restore_every_step"].as_bool().unwrap(),
            flow,
            auth: Authenticator::new("sandbox-user", "sandbox-password").unwrap(),
            now,
            keys: HashSet::new(),
            last_sent: HashMap::new(),
            documents: Vec::new(),
        }
    }

    fn run(&mut self, script: &[Value]) {
        for (i, entry) in script.iter().enumerate() {
            let at = format!("{} entry {i}", self.name);
            if let Some(expected) = entry.get("expect") {
                if self.restore_every_step && !self.flow.is_finished() {
                    self.restore();
                }
                let step = self.flow.poll(self.now, &mut self.auth);
                // Polling again without an answer gives the same step.
                assert_eq!(self.flow.poll(self.now, &mut self.auth), step, "{at}");
                let kind = step.kind();
                assert!(
                    expected.get(kind).is_some(),
                    "{at}: expected {expected}, got {step:?}"
                );
                match &step {
                    Step::Send(transmit) => {
                        self.check_send(transmit, &expected["send"], &at);
                        self.answer(transmit, &entry["then"], &at);
                    }
                    Step::Wait(wait) => {
                        self.check_wait(wait, &expected["wait"], &at);
                        if entry.get("stay").is_none() {
                            self.now = wait.until_ms;
                        }
                    }
                    Step::NeedDocuments { requirements } => {
                        let requirements = serde_json::to_value(requirements).unwrap();
                        assert_eq!(
                            requirements, expected["need_documents"]["requirements"],
                            "{at}"
                        );
                    }
                    Step::Done(outcome) => self.check_done(outcome, &expected["done"], &at),
                }
            } else if entry.get("notify").is_some() {
                self.flow.notify(self.now);
            } else if let Some(document) = entry.get("provide") {
                self.provide(document, entry.get("error").and_then(Value::as_str), &at);
            } else if entry.get("restore").is_some() {
                self.restore();
            } else if let Some(ms) = entry.get("advance_ms") {
                self.now += ms.as_u64().unwrap();
            } else {
                panic!("{at}: unknown entry {entry}");
            }
        }
    }

    /// Snapshot, restore into a new flow, and provide the documents not yet uploaded again.
    fn restore(&mut self) {
        let snapshot = self.flow.snapshot();
        let application = Some(&self.application);
        self.flow = OnboardingFlow::restore(
            flow_client(),
            self.config.clone(),
            &snapshot,
            application,
            self.today,
        )
        .unwrap();
        for (document_type, content_type, data) in &self.documents {
            self.flow
                .provide_document(document_type.clone(), content_type, data.clone())
                .unwrap();
        }
    }

    fn check_send(&mut self, transmit: &Transmit, expected: &Value, at: &str) {
        let (operation, request) = (transmit.operation.as_str(), &transmit.request);
        assert_eq!(operation, expected["operation"], "{at}");
        assert_eq!(request.method.as_str(), expected["method"], "{at}");
        assert_eq!(request.path, expected["path"].as_str().unwrap(), "{at}");
        let key = request.idempotency_key.clone();
        match expected["key"].as_str() {
            None => assert_eq!(key, None, "{at}"),
            Some("new") => assert!(self.keys.insert(key.unwrap()), "{at}: a key sent before"),
            Some("repeat") => {
                // The previous send of this operation's key, body and signature.
                let previous = &self.last_sent[operation];
                let signature =
                    |r: &PreparedRequest| r.header("x-jiko-signature").map(str::to_owned);
                assert_eq!(key, previous.idempotency_key, "{at}: another key");
                assert_eq!(request.body, previous.body, "{at}: other bytes");
                assert_eq!(
                    signature(request),
                    signature(previous),
                    "{at}: another signature"
                );
            }
            Some(other) => panic!("{at}: key {other}"),
        }
        if let Some(token) = expected.get("token").and_then(Value::as_str) {
            let bearer = format!("Bearer {token}");
            assert_eq!(
                request.header("authorization"),
                Some(bearer.as_str()),
                "{at}"
            );
        }
        self.last_sent.insert(operation, request.clone());
    }

    /// Hands the script's answer back; a send without `then` stays outstanding.
    fn answer(&mut self, transmit: &Transmit, then: &Value, at: &str) {
        let (attempt, now) = (transmit.attempt, self.now);
        if then.is_null() {
            return;
        }
        if let Some(kind) = then.get("transport") {
            let kind = TransportErrorKind::parse(kind.as_str().unwrap()).unwrap();
            self.flow
                .handle_transport_error(attempt, kind, now, &mut self.auth)
                .unwrap();
            return;
        }
        let status = then["status"].as_u64().unwrap() as u16;
        let headers = then.get("headers").map(header_pairs).unwrap_or_default();
        let body = bytes(&then["body"]);
        self.flow
            .handle_response(attempt, status, &headers, &body, now, &mut self.auth)
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        // An uploaded document is no longer the host's to give again.
        if transmit.operation == Operation::UploadDocument && (200..300).contains(&status) {
            let path = &transmit.request.path;
            self.documents
                .retain(|(t, _, _)| !path.ends_with(&format!("/{}/file/", t.as_str())));
        }
    }

    fn check_wait(&self, wait: &Wait, expected: &Value, at: &str) {
        assert_eq!(wait.reason.as_str(), expected["reason"], "{at}: {wait:?}");
        let retry_reason = wait.retry_reason.map(|r| r.as_str());
        assert_eq!(retry_reason, expected["retry_reason"].as_str(), "{at}");
        let delay = wait.until_ms - self.now;
        let min = expected["min_ms"].as_u64().unwrap();
        let max = expected["max_ms"].as_u64().unwrap();
        assert!(
            (min..=max).contains(&delay),
            "{at}: waits {delay} ms, not {min}..={max}"
        );
    }

    fn provide(&mut self, document: &Value, error: Option<&str>, at: &str) {
        let document_type = DocumentType::parse(document["document_type"].as_str().unwrap());
        let content_type = document["content_type"].as_str().unwrap().to_owned();
        let data = bytes(&document["bytes"]);
        let result = self
            .flow
            .provide_document(document_type.clone(), &content_type, data.clone());
        match error {
            Some(code) => assert_eq!(result.unwrap_err().code(), code, "{at}"),
            None => {
                result.unwrap_or_else(|e| panic!("{at}: {e}"));
                self.documents.push((document_type, content_type, data));
            }
        }
    }

    fn check_done(&self, outcome: &Outcome, expected: &Value, at: &str) {
        match (expected["state"].as_str().unwrap(), outcome) {
            ("approved", Outcome::Approved(customer)) => {
                let customer = serde_json::to_value(customer).unwrap();
                assert_eq!(customer, expected["customer"], "{at}");
            }
            ("rejected", Outcome::Rejected) => {}
            ("failed", Outcome::Failed(error)) => {
                assert_eq!(
                    error.code(),
                    expected["code"].as_str().unwrap(),
                    "{at}: {error}"
                );
                if let Some(status) = expected.get("status") {
                    let Error::Api(api) = error else {
                        panic!("{at}: {error:?}")
                    };
                    assert_eq!(u64::from(api.status), status.as_u64().unwrap(), "{at}");
                }
                let key = match error {
                    Error::Flow(flow) => flow.idempotency_key.clone(),
                    _ => None,
                };
                if expected.get("idempotency_key").is_some() {
                    // "create": the key of the flow's Create, which the message names too.
                    let create_key = self.last_sent["create_application"].idempotency_key.clone();
                    assert_eq!(key, create_key, "{at}");
                    assert!(
                        error.to_string().contains(key.unwrap().as_str()),
                        "{at}: {error}"
                    );
                } else {
                    assert_eq!(key, None, "{at}");
                }
            }
            (state, other) => panic!("{at}: expected {state}, got {other:?}"),
        }
    }
}

#[test]
fn flow_vectors() {
    for case in load("flows.json") {
        Harness::start(&case).run(case["script"].as_array().unwrap());
    }
}
