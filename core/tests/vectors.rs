//! Runs every shared vector of `tests/vectors/*.json` against the core.
//!
//! The same files are loaded by the Node, Chromium, Python and Kotlin suites.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use serde_json::{json, Value};

use jiko_onboarding::{
    check_upload, next_action, parse_agreements, parse_application, parse_login, parse_upload,
    required_documents, sandbox_scenario, validate_application_value, CalendarDate, Client,
    ClientConfig, DocumentType, Environment, Error, Signer,
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
