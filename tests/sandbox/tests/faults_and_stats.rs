//! Faults on demand and the inspection endpoint: each request fault does what the
//! contract says (and is counted in the stats), a seed replays the same faults and
//! ids, a client that resends the same prepared request through every kind of fault
//! creates each application exactly once, and `GET /_simulator/stats` has the
//! contract's shape.

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use jiko_sandbox::{Config, FaultKind, FaultRates, Sandbox};
use serde_json::json;

fn faulty(rates: &str, seed: u64) -> Sandbox {
    Sandbox::start(Config {
        faults: FaultRates::parse(rates).unwrap(),
        seed: Some(seed),
        webhook_retry_millis: 20,
        ..Config::default()
    })
    .unwrap()
}

/// One kind at 30 %, 40 creates with fresh keys: every answer is a 201 or the kind's
/// own, the stats count what was seen, and only requests that took effect created an
/// application.
#[test]
fn each_request_fault_does_what_it_says_and_is_counted() {
    for kind in FaultKind::REQUEST {
        let sandbox = faulty(&format!("{kind}=0.3"), 11);
        let mut api = Api::anonymous(sandbox.port());
        let mut seen = 0u64;
        seen += api.relogin().len() as u64;
        let mut created = 0u64;
        let mut lost = 0u64;
        for i in 0..40 {
            let body = application_body(&format!("4{i:08}"));
            match api.try_send_with_key(
                "POST",
                "/api/v1/applications/",
                body.to_string().as_bytes(),
                &jiko_onboarding::new_idempotency_key().unwrap(),
            ) {
                Ok(a) if a.status == 201 => created += 1,
                Ok(a) => {
                    seen += 1;
                    match kind {
                        FaultKind::ServerError => assert_eq!(a.status, 500),
                        FaultKind::Unavailable | FaultKind::RateLimit => {
                            assert_eq!(
                                a.status,
                                if kind == FaultKind::RateLimit {
                                    429
                                } else {
                                    503
                                }
                            );
                            assert_eq!(a.header("retry-after").as_deref(), Some("1"));
                        }
                        FaultKind::TokenRevoked => {
                            assert_eq!(a.status, 401);
                            // Revoked for good: the token gets 401 from now on.
                            let again = api.get("/api/v1/agreements/");
                            assert_eq!(again.status, 401);
                            seen += api.relogin().len() as u64;
                        }
                        other => panic!("{other}: answer {}", a.status),
                    }
                }
                Err(e) => {
                    seen += 1;
                    assert!(
                        matches!(kind, FaultKind::Reset | FaultKind::LostResponse),
                        "{kind}: {e}"
                    );
                    if kind == FaultKind::LostResponse {
                        assert!(e.starts_with("no answer (0 bytes)"), "{kind}: {e}");
                        lost += 1;
                    } else {
                        assert!(e.contains("connection reset"), "{kind}: {e}");
                    }
                }
            }
        }
        let stats = stats(sandbox.port());
        assert_eq!(stats["faults_injected"][kind.as_str()], seen, "{kind}");
        assert!(seen > 0, "{kind} never happened");
        // Faults before any effect create nothing; a lost response did create.
        assert_eq!(stats["applications"]["total"], created + lost, "{kind}");
        let others: u64 = FaultKind::ALL
            .iter()
            .filter(|k| **k != kind)
            .map(|k| stats["faults_injected"][k.as_str()].as_u64().unwrap())
            .sum();
        assert_eq!(others, 0, "{kind}");
        println!("{kind}: {seen} of the requests ({created} created, {lost} lost answers)");
    }
}

/// A lost answer took effect and its key was recorded: the same request again is a
/// replay of the stored answer, never a second application.
#[test]
fn a_lost_answer_is_replayed_not_redone() {
    // With half the answers lost: resend until an answer comes.
    let sandbox = faulty("lost_response=0.5", 4);
    let mut api = Api::anonymous(sandbox.port());
    api.relogin();
    let key = jiko_onboarding::new_idempotency_key().unwrap();
    let body = application_body("412345678").to_string();
    let mut attempts = 0;
    let answer = loop {
        attempts += 1;
        if let Ok(a) = api.try_send_with_key("POST", "/api/v1/applications/", body.as_bytes(), &key)
        {
            break a;
        }
    };
    assert_eq!(answer.status, 201);
    let s = stats(sandbox.port());
    assert_eq!(s["applications"]["total"], 1, "after {attempts} attempts");
    assert_eq!(s["replays_served"], attempts - 1);
    assert_eq!(
        s["identification_numbers"]["with_more_than_one_application"],
        0
    );
}

/// The same seed and the same requests: the same faults and the same ids.
#[test]
fn a_seed_replays_the_same_faults_and_ids() {
    let run = |seed: u64| {
        let sandbox = faulty("server_error=0.2,rate_limit=0.2,unavailable=0.2", seed);
        let mut api = Api::anonymous(sandbox.port());
        let mut trace: Vec<String> = api
            .relogin()
            .into_iter()
            .map(|r| format!("login {r:?}"))
            .collect();
        for i in 0..30 {
            let a = api.json(
                "POST",
                "/api/v1/applications/",
                &application_body(&format!("4{i:08}")),
            );
            trace.push(match a.status {
                201 => format!("201 {}", a.json()["id"].as_str().unwrap()),
                s => s.to_string(),
            });
        }
        trace
    };
    let a = run(2026);
    assert_eq!(a, run(2026));
    assert_ne!(a, run(2027));
    assert!(a.iter().any(|t| t.starts_with("201")) && a.iter().any(|t| t == "503"));
}

/// A client that resends the same prepared request after every fault (a new token
/// after a revoked one) takes each applicant through onboarding exactly once, with
/// every request fault and every webhook fault happening along the way.
#[test]
fn resending_the_same_request_through_every_fault_creates_nothing_twice() {
    let sandbox = faulty(
        "lost_response=0.06,server_error=0.06,unavailable=0.06,rate_limit=0.06,reset=0.06,token_revoked=0.06,\
         webhook_duplicate=0.2,webhook_delay=0.2,webhook_reorder=0.2",
        20260101,
    );
    let receiver = Receiver::start(&[]);
    let mut api = Api::anonymous(sandbox.port());
    api.relogin();
    let send = |api: &mut Api, method: &str, target: &str, body: &[u8]| -> Answer {
        let key = jiko_onboarding::new_idempotency_key().unwrap();
        for _ in 0..100 {
            match api.try_send_with_key(method, target, body, &key) {
                Ok(a) if a.status == 401 => {
                    api.relogin();
                }
                Ok(a) if matches!(a.status, 429 | 500 | 503) => {}
                Ok(a) => return a,
                Err(_) => {}
            }
        }
        panic!("{method} {target}: no answer after 100 tries");
    };
    let sub = send(
        &mut api,
        "POST",
        "/api/v1/subscriptions/",
        json!({
            "url": receiver.url("/"),
            "events": ["application.approved", "application.rejected", "application.manual_review"],
            "shared_secret": "sixteen-chars-at-least"
        })
        .to_string()
        .as_bytes(),
    );
    assert_eq!(sub.status, 201);
    let flows = 25;
    let mut outcomes = BTreeMap::new();
    for i in 0..flows {
        let ssn = format!("{}{:08}", [4, 5, 3][i % 3], i);
        let created = send(
            &mut api,
            "POST",
            "/api/v1/applications/",
            application_body(&ssn).to_string().as_bytes(),
        );
        assert_eq!(created.status, 201);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let applied = send(
            &mut api,
            "POST",
            &format!("/api/v1/applications/{id}/apply/"),
            b"",
        );
        assert_eq!(
            applied.status,
            200,
            "{}",
            String::from_utf8_lossy(&applied.body)
        );
        let status = loop {
            let app = send(&mut api, "GET", &format!("/api/v1/applications/{id}/"), b"").json();
            if app["status"] != "SUBMITTED" {
                break app["status"].as_str().unwrap().to_owned();
            }
        };
        *outcomes.entry(status).or_insert(0u64) += 1;
    }
    let events = receiver.wait_for(flows);
    // Let the delayed, held and retried deliveries finish.
    std::thread::sleep(Duration::from_millis(2500));
    let s = stats(sandbox.port());
    println!("{}", serde_json::to_string_pretty(&s).unwrap());
    assert_eq!(s["applications"]["total"], flows as u64);
    assert_eq!(s["identification_numbers"]["distinct"], flows as u64);
    assert_eq!(
        s["identification_numbers"]["with_more_than_one_application"],
        0
    );
    for (status, n) in &outcomes {
        assert_eq!(s["applications"]["by_status"][status], *n, "{status}");
    }
    for kind in FaultKind::ALL {
        assert!(
            s["faults_injected"][kind.as_str()].as_u64().unwrap() > 0,
            "{kind} never happened"
        );
    }
    assert!(s["replays_served"].as_u64().unwrap() > 0);
    assert_eq!(s["webhooks"]["events"], flows as u64);
    // Every event reached the receiver at least once, duplicates included.
    assert!(events.len() >= flows);
    let all = receiver.received();
    let distinct: std::collections::HashSet<&Vec<u8>> = all.iter().map(|r| &r.body).collect();
    assert_eq!(distinct.len(), flows);
    assert_eq!(
        all.len() as u64,
        s["webhooks"]["deliveries"].as_u64().unwrap()
            - s["webhooks"]["delivery_failures"].as_u64().unwrap()
    );
    assert_eq!(
        all.len() as u64 - flows as u64,
        s["webhooks"]["duplicates_sent"].as_u64().unwrap()
    );
}

/// The shape of `GET /_simulator/stats`, exactly as the contract gives it.
#[test]
fn the_stats_document_has_the_contract_shape() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let fresh = stats(sandbox.port());
    assert_eq!(
        fresh,
        json!({
            "applications": {"total": 0, "by_status": {
                "CREATED": 0, "SUBMITTED": 0, "DOCUMENTS_NEEDED": 0, "PENDING": 0,
                "MANUAL_REVIEW": 0, "APPROVED": 0, "REJECTED": 0}},
            "identification_numbers": {"distinct": 0, "with_more_than_one_application": 0,
                                       "applications_per_identification_number": {"1": 0}},
            "requests": {},
            "replays_served": 0,
            "faults_injected": {"lost_response": 0, "server_error": 0, "unavailable": 0,
                                "rate_limit": 0, "reset": 0, "token_revoked": 0,
                                "webhook_duplicate": 0, "webhook_delay": 0, "webhook_reorder": 0},
            "webhooks": {"events": 0, "deliveries": 0, "delivery_failures": 0, "duplicates_sent": 0}
        })
    );
    assert_eq!(sandbox.stats(), fresh);

    let api = Api::login(&sandbox);
    // Two applications of one person, one of another: counted by a keyed digest.
    for ssn in ["412345678", "412345678", "512345678"] {
        decided_application(&api, ssn);
    }
    let app_id = api
        .json(
            "POST",
            "/api/v1/applications/",
            &application_body("312345678"),
        )
        .json()["id"]
        .clone();
    let key = jiko_onboarding::new_idempotency_key().unwrap();
    api.send_with_key("GET", "/api/v1/agreements/", b"", &key);
    api.send_with_key("GET", "/api/v1/agreements/", b"", &key);
    api.send_with_key("GET", "/api/v1/agreements/?other", b"", &key);
    raw(sandbox.port(), "GET", "/nowhere", &[], b"");
    let mut s = TcpStream::connect(("127.0.0.1", sandbox.port())).unwrap();
    s.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    let _ = s.read_to_end(&mut Vec::new());

    // hyper answers a malformed request itself; the simulator counts it once hyper
    // gives the connection up, which may be a moment after the client read the 400.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let v = loop {
        let v = stats(sandbox.port());
        if !v["requests"]["(transport)"].is_null() || std::time::Instant::now() > deadline {
            break v;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(v["applications"]["total"], 4);
    assert_eq!(v["applications"]["by_status"]["APPROVED"], 2);
    assert_eq!(v["applications"]["by_status"]["REJECTED"], 1);
    assert_eq!(v["applications"]["by_status"]["CREATED"], 1);
    assert_eq!(
        v["identification_numbers"],
        json!({"distinct": 3, "with_more_than_one_application": 1,
               "applications_per_identification_number": {"1": 2, "2": 1}})
    );
    let requests = &v["requests"];
    assert_eq!(requests["POST /api/v1/login/"], json!({"200": 1}));
    assert_eq!(requests["POST /api/v1/applications/"], json!({"201": 4}));
    assert_eq!(
        requests["POST /api/v1/applications/{id}/apply/"],
        json!({"200": 3})
    );
    assert!(
        requests["GET /api/v1/applications/{id}/"]["200"]
            .as_u64()
            .unwrap()
            >= 3
    );
    assert_eq!(
        requests["GET /api/v1/agreements/"],
        json!({"200": 2, "409": 1})
    );
    assert_eq!(requests["GET (unknown path)"], json!({"404": 1}));
    assert_eq!(requests["(transport)"], json!({"400": 1}));
    assert_eq!(v["replays_served"], 1);
    // Nothing personal anywhere in it.
    let text = v.to_string();
    for personal in [
        "412345678",
        "512345678",
        "Jane",
        "jane.doe",
        "1990-04-01",
        "Main St",
        app_id.as_str().unwrap(),
    ] {
        assert!(!text.contains(personal), "{personal}");
    }
    assert_eq!(
        raw(sandbox.port(), "POST", "/_simulator/stats", &[], b"").status,
        405
    );
}

/// Keep-alive: several requests on one connection.
#[test]
fn connections_are_kept_alive() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let mut s = TcpStream::connect(("127.0.0.1", sandbox.port())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    for _ in 0..3 {
        s.write_all(b"GET /_simulator/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.ends_with(b"}}") {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0, "the connection closed");
            got.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8(got).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(!text.to_ascii_lowercase().contains("connection: close"));
    }
    assert_eq!(sandbox.request_count(), 3);
}
