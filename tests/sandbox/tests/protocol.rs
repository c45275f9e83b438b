//! HTTP-level checks of the simulator with a raw socket: routes, status codes, header
//! checks and body shapes, and the binary's command line. Flows over a real HTTP
//! client are in tests/e2e-rust.

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use jiko_onboarding::{new_idempotency_key, Signer};
use jiko_sandbox::{Config, Sandbox, DEFAULT_PASSWORD, DEFAULT_SIGNING_SECRET, DEFAULT_USERNAME};
use serde_json::{json, Value};

struct Answer {
    status: u16,
    head: String,
    body: Value,
}

fn raw(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // The simulator answers `Connection: close` and leaves the closing to the client, as
    // HTTP clients do; a raw socket reading to EOF asks for the close up front.
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Answer {
        status,
        head: head.to_owned(),
        body: serde_json::from_str(body).unwrap(),
    }
}

fn login(port: u16) -> String {
    let body = json!({"username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD}).to_string();
    let a = raw(
        port,
        "POST",
        "/api/v1/login/",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(a.status, 200);
    a.body["token"].as_str().unwrap().to_owned()
}

fn signed(port: u16, token: &str, method: &str, path: &str, body: &[u8]) -> Answer {
    let key = new_idempotency_key().unwrap();
    let sig = Signer::new(DEFAULT_SIGNING_SECRET)
        .unwrap()
        .sign(&key, path, body);
    let auth = format!("Bearer {token}");
    raw(
        port,
        method,
        path,
        &[
            ("Authorization", &auth),
            ("x-jiko-idempotency", &key),
            ("x-jiko-signature", &sig),
        ],
        body,
    )
}

#[test]
fn login_answers_a_token_and_its_expiry() {
    let sb = Sandbox::start(Config::default()).unwrap();
    let body = json!({"username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD}).to_string();
    let a = raw(sb.port(), "POST", "/api/v1/login/", &[], body.as_bytes());
    assert_eq!(a.status, 200);
    assert!(a.head.contains("Content-Type: application/json"));
    assert!(a.head.contains("Connection: close"));
    let expires =
        jiko_onboarding::Instant::parse_rfc3339(a.body["expires"].as_str().unwrap()).unwrap();
    let lifetime = expires.unix_seconds - jiko_sandbox::clock::now_seconds();
    assert!((3590..=3600).contains(&lifetime), "{lifetime}");

    let bad = json!({"username": DEFAULT_USERNAME, "password": "nope"}).to_string();
    let a = raw(sb.port(), "POST", "/api/v1/login/", &[], bad.as_bytes());
    assert_eq!(a.status, 401);
    assert!(a.body["detail"].is_string());

    let a = raw(
        sb.port(),
        "POST",
        "/api/v1/login/",
        &[],
        br#"{"username": 5}"#,
    );
    assert_eq!(a.status, 422);
    assert_eq!(
        a.body["detail"],
        json!([
            {"loc": ["body", "username"], "msg": "str type expected", "type": "type_error.str"},
            {"loc": ["body", "password"], "msg": "field required", "type": "value_error.missing"},
        ])
    );
    let long = "x".repeat(129);
    let body = json!({"username": long, "password": "p"}).to_string();
    let a = raw(sb.port(), "POST", "/api/v1/login/", &[], body.as_bytes());
    assert_eq!(a.status, 422);
    assert_eq!(a.body["detail"][0]["loc"], json!(["body", "username"]));
    assert_eq!(a.body["detail"][0]["type"], "too_long");
}

#[test]
fn configured_credentials_and_secret_are_used() {
    let sb = Sandbox::start(Config {
        username: "u1".into(),
        password: "p1".into(),
        signing_secret: "another-secret".into(),
        ..Config::default()
    })
    .unwrap();
    let body = json!({"username": "u1", "password": "p1"}).to_string();
    let a = raw(sb.port(), "POST", "/api/v1/login/", &[], body.as_bytes());
    assert_eq!(a.status, 200);
    let token = a.body["token"].as_str().unwrap();
    // Signed with the default secret: refused.
    assert_eq!(
        signed(sb.port(), token, "GET", "/api/v1/agreements/", b"").status,
        401
    );
}

#[test]
fn paths_end_with_a_slash_and_methods_are_checked() {
    let sb = Sandbox::start(Config::default()).unwrap();
    let token = login(sb.port());
    assert_eq!(
        signed(sb.port(), &token, "GET", "/api/v1/agreements/", b"").status,
        200
    );
    // No redirect: a redirect would change the signed path.
    assert_eq!(
        signed(sb.port(), &token, "GET", "/api/v1/agreements", b"").status,
        404
    );
    assert_eq!(
        signed(sb.port(), &token, "POST", "/api/v1/agreements/", b"").status,
        405
    );
    assert_eq!(
        raw(sb.port(), "GET", "/api/v1/login/", &[], b"").status,
        405
    );
    assert_eq!(raw(sb.port(), "GET", "/", &[], b"").status, 404);
    assert_eq!(
        raw(sb.port(), "GET", "/api/v1/customers/", &[], b"").status,
        404
    );
    // An application id that is not a UUID: 422 on the path, as FastAPI does.
    let a = signed(sb.port(), &token, "GET", "/api/v1/applications/42/", b"");
    assert_eq!(a.status, 422);
    assert_eq!(
        a.body["detail"][0]["loc"],
        json!(["path", "application_id"])
    );
}

#[test]
fn agreements_are_a_versioned_bundle() {
    let sb = Sandbox::start(Config::default()).unwrap();
    let token = login(sb.port());
    let a = signed(sb.port(), &token, "GET", "/api/v1/agreements/", b"");
    assert_eq!(a.status, 200);
    assert_eq!(a.body["version"], jiko_sandbox::AGREEMENTS_VERSION);
    assert!(a.body["release_date"].is_string());
    let docs = a.body["documents"].as_array().unwrap();
    assert!(docs.len() >= 3);
    assert!(docs.iter().any(|d| d["category"] == "E-SIGN"));
    let parsed = jiko_onboarding::parse_agreements(200, a.body.to_string().as_bytes()).unwrap();
    assert_eq!(parsed.documents.len(), docs.len());
}

#[test]
fn signed_endpoints_check_token_key_and_signature() {
    let sb = Sandbox::start(Config::default()).unwrap();
    let port = sb.port();
    let token = login(port);
    let path = "/api/v1/agreements/";
    let key = new_idempotency_key().unwrap();
    let sig = Signer::new(DEFAULT_SIGNING_SECRET)
        .unwrap()
        .sign(&key, path, b"");
    let auth = format!("Bearer {token}");

    // No token, an unknown token.
    let a = raw(
        port,
        "GET",
        path,
        &[("x-jiko-idempotency", &key), ("x-jiko-signature", &sig)],
        b"",
    );
    assert_eq!(a.status, 401);
    let a = raw(
        port,
        "GET",
        path,
        &[
            ("Authorization", "Bearer nope"),
            ("x-jiko-idempotency", &key),
            ("x-jiko-signature", &sig),
        ],
        b"",
    );
    assert_eq!(a.status, 401);
    // No key, a key that is not a UUID.
    let a = raw(
        port,
        "GET",
        path,
        &[("Authorization", &auth), ("x-jiko-signature", &sig)],
        b"",
    );
    assert_eq!(a.status, 422);
    assert_eq!(
        a.body["detail"][0]["loc"],
        json!(["header", "x-jiko-idempotency"])
    );
    let a = raw(
        port,
        "GET",
        path,
        &[
            ("Authorization", &auth),
            ("x-jiko-idempotency", "1234"),
            ("x-jiko-signature", &sig),
        ],
        b"",
    );
    assert_eq!(a.status, 422);
    assert_eq!(a.body["detail"][0]["type"], "type_error.uuid");
    // A signature that is not base64, one for another key.
    let a = raw(
        port,
        "GET",
        path,
        &[
            ("Authorization", &auth),
            ("x-jiko-idempotency", &key),
            ("x-jiko-signature", "!!"),
        ],
        b"",
    );
    assert_eq!(a.status, 401);
    let other = new_idempotency_key().unwrap();
    let a = raw(
        port,
        "GET",
        path,
        &[
            ("Authorization", &auth),
            ("x-jiko-idempotency", &other),
            ("x-jiko-signature", &sig),
        ],
        b"",
    );
    assert_eq!(a.status, 401);
    // Refused requests did not burn the key: the right request still passes; sent
    // again it gets the same answer (a replay), and no other request may use the key.
    let headers = [
        ("Authorization", auth.as_str()),
        ("x-jiko-idempotency", &key),
        ("x-jiko-signature", &sig),
    ];
    let first = raw(port, "GET", path, &headers, b"");
    assert_eq!(first.status, 200);
    let again = raw(port, "GET", path, &headers, b"");
    assert_eq!((again.status, &again.body), (200, &first.body));
    let a = raw(port, "GET", &format!("{path}?x=1"), &headers, b"");
    assert_eq!(a.status, 409);
    assert_eq!(
        a.body["detail"],
        "The idempotency key was already used with a different request"
    );
}

#[test]
fn bodies_that_are_not_json_are_422() {
    let sb = Sandbox::start(Config::default()).unwrap();
    let token = login(sb.port());
    let a = signed(sb.port(), &token, "POST", "/api/v1/applications/", b"[1, 2");
    assert_eq!(a.status, 422);
    assert_eq!(a.body["detail"][0]["loc"], json!(["body"]));
    assert_eq!(a.body["detail"][0]["type"], "invalid_json");
    let a = signed(sb.port(), &token, "POST", "/api/v1/applications/", b"[]");
    assert_eq!(a.status, 422);
    assert_eq!(a.body["detail"][0]["type"], "invalid_type");
    let a = raw(sb.port(), "POST", "/api/v1/login/", &[], b"not json");
    assert_eq!(a.status, 422);
}

#[test]
fn the_binary_prints_its_address_first() {
    let exe = env!("CARGO_BIN_EXE_jiko-sandbox");
    let mut child = Command::new(exe)
        .args([
            "--port",
            "0",
            "--outcome-after-polls",
            "2",
            "--signing-secret=s3cret",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let token = login(port);
    let key = new_idempotency_key().unwrap();
    let path = "/api/v1/agreements/";
    let sig = Signer::new("s3cret").unwrap().sign(&key, path, b"");
    let auth = format!("Bearer {token}");
    let a = raw(
        port,
        "GET",
        path,
        &[
            ("Authorization", &auth),
            ("x-jiko-idempotency", &key),
            ("x-jiko-signature", &sig),
        ],
        b"",
    );
    assert_eq!(a.status, 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_binary_explains_itself_and_refuses_unknown_options() {
    let exe = env!("CARGO_BIN_EXE_jiko-sandbox");
    let help = Command::new(exe).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    // Every flag, and every fault kind, is in the help.
    for needle in [
        "--port",
        "--username",
        "--password",
        "--signing-secret",
        "--outcome-after-polls",
        "--outcome-after-ms",
        "--decide-after-ms",
        "--token-lifetime-seconds",
        "--idempotency",
        "replay",
        "reject",
        "--faults",
        "--seed",
        "--webhook-attempts",
        "--webhook-retry-ms",
        "--max-connections",
        "--threads",
        "--request-timeout-ms",
        "--log",
        "--help",
        "--version",
        DEFAULT_USERNAME,
        DEFAULT_PASSWORD,
        DEFAULT_SIGNING_SECRET,
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    for kind in jiko_sandbox::FaultKind::ALL {
        assert!(text.contains(kind.as_str()), "{kind}");
    }
    for bad in [
        &["--bogus"][..],
        &["--port", "x"],
        &["--idempotency", "sometimes"],
        &["--faults", "reset=2"],
        &["--faults", "meteor=0.1"],
        &["--seed", "-1"],
    ] {
        let out = Command::new(exe).args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty(), "{bad:?}");
    }
}

#[test]
fn the_binary_prints_its_seed_and_a_seed_gives_the_same_faults() {
    let exe = env!("CARGO_BIN_EXE_jiko-sandbox");
    let start = |seed: &str| {
        let mut child = Command::new(exe)
            .args([
                "--seed",
                seed,
                "--faults",
                "server_error=0.5",
                "--idempotency=reject",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let mut err = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut err)
            .unwrap();
        let port: u16 = line
            .trim_end()
            .strip_prefix("listening on http://127.0.0.1:")
            .unwrap()
            .parse()
            .unwrap();
        (child, port, err)
    };
    let statuses = |port: u16| -> Vec<u16> {
        let body = json!({"username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD}).to_string();
        (0..20)
            .map(|_| raw(port, "POST", "/api/v1/login/", &[], body.as_bytes()).status)
            .collect()
    };
    let (mut a, port_a, err) = start("424242");
    assert!(err.contains("seed 424242"), "{err}");
    assert!(err.contains("idempotency reject"), "{err}");
    assert!(err.contains("faults server_error=0.5"), "{err}");
    let (mut b, port_b, _) = start("424242");
    let first = statuses(port_a);
    assert_eq!(first, statuses(port_b));
    assert!(first.contains(&200) && first.contains(&500), "{first:?}");
    for child in [&mut a, &mut b] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
