//! Shared helpers of the simulator's own tests: a raw HTTP/1.1 client (one request per
//! connection), a logged-in API caller that signs as the core does, an approved
//! application, and a webhook receiver that records what it is sent.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiko_onboarding::{new_idempotency_key, Signer};
use jiko_sandbox::{Sandbox, DEFAULT_PASSWORD, DEFAULT_SIGNING_SECRET, DEFAULT_USERNAME};
use serde_json::{json, Value};

/// An answer: status, head text and raw body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// One request on its own connection, read to the end.
pub fn raw(port: u16, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    try_raw(port, method, target, headers, body)
        .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
}

/// One request on its own connection; `Err` when the connection closed (or was reset)
/// without an answer.
pub fn try_raw(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Answer, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())
        .map_err(|e| format!("write: {}", e.kind()))?;
    s.write_all(body)
        .map_err(|e| format!("write: {}", e.kind()))?;
    let mut out = Vec::new();
    if let Err(e) = s.read_to_end(&mut out) {
        if out.is_empty() {
            return Err(format!("read: {}", e.kind()));
        }
    }
    let Some(split) = out.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(format!("no answer ({} bytes)", out.len()));
    };
    let head = String::from_utf8(out[..split].to_vec()).unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Ok(Answer {
        status,
        head,
        body: out[split + 4..].to_vec(),
    })
}

/// `GET /_simulator/stats`.
pub fn stats(port: u16) -> Value {
    let a = raw(port, "GET", "/_simulator/stats", &[], b"");
    assert_eq!(a.status, 200);
    a.json()
}

/// A logged-in caller that signs every request as the core does (key + path + body;
/// the query is not signed).
pub struct Api {
    pub port: u16,
    pub token: String,
    signer: Signer,
}

impl Api {
    pub fn login(sandbox: &Sandbox) -> Api {
        let body = json!({"username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD}).to_string();
        let a = raw(
            sandbox.port(),
            "POST",
            "/api/v1/login/",
            &[],
            body.as_bytes(),
        );
        assert_eq!(a.status, 200, "{:?}", String::from_utf8_lossy(&a.body));
        Api {
            port: sandbox.port(),
            token: a.json()["token"].as_str().unwrap().to_owned(),
            signer: Signer::new(DEFAULT_SIGNING_SECRET).unwrap(),
        }
    }

    /// Logs in again until a token comes (faults may refuse Login too); returns the
    /// answers that were not a token.
    pub fn relogin(&mut self) -> Vec<Result<u16, String>> {
        let body = json!({"username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD}).to_string();
        let mut refused = Vec::new();
        for _ in 0..100 {
            match try_raw(self.port, "POST", "/api/v1/login/", &[], body.as_bytes()) {
                Ok(a) if a.status == 200 => {
                    self.token = a.json()["token"].as_str().unwrap().to_owned();
                    return refused;
                }
                Ok(a) => refused.push(Ok(a.status)),
                Err(e) => refused.push(Err(e)),
            }
        }
        panic!("no token after 100 logins");
    }

    /// A caller with no token yet (see [`Api::relogin`]).
    pub fn anonymous(port: u16) -> Api {
        Api {
            port,
            token: String::new(),
            signer: Signer::new(DEFAULT_SIGNING_SECRET).unwrap(),
        }
    }

    /// A signed request with this idempotency key.
    pub fn send_with_key(&self, method: &str, target: &str, body: &[u8], key: &str) -> Answer {
        self.try_send_with_key(method, target, body, key)
            .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
    }

    /// A signed request with this idempotency key; `Err` when no answer came.
    pub fn try_send_with_key(
        &self,
        method: &str,
        target: &str,
        body: &[u8],
        key: &str,
    ) -> Result<Answer, String> {
        let path = target.split('?').next().unwrap();
        let signature = self.signer.sign(key, path, body);
        let auth = format!("Bearer {}", self.token);
        try_raw(
            self.port,
            method,
            target,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
                ("x-jiko-idempotency", key),
                ("x-jiko-signature", &signature),
            ],
            body,
        )
    }

    /// A signed request with a fresh key.
    pub fn send(&self, method: &str, target: &str, body: &[u8]) -> Answer {
        self.send_with_key(method, target, body, &new_idempotency_key().unwrap())
    }

    pub fn get(&self, target: &str) -> Answer {
        self.send("GET", target, b"")
    }

    /// A signed request with a JSON body.
    pub fn json(&self, method: &str, target: &str, body: &Value) -> Answer {
        self.send(method, target, body.to_string().as_bytes())
    }
}

/// A Create Application body for this SSN (the guide's example applicant).
pub fn application_body(ssn: &str) -> Value {
    json!({
        "name": {"first_name": "Jane", "middle_name": "Q", "last_name": "Doe"},
        "email": "jane.doe@example.com",
        "phone_number": "+14155550123",
        "date_of_birth": "1990-04-01",
        "identification_number": ssn,
        "investment_profile": {
            "employment_status": "EMPLOYED",
            "income": "BETWEEN_100K_AND_250K",
            "net_worth": "BETWEEN_200K_AND_1M",
            "occupation": "Engineer"
        },
        "agreement_consent": {"version": "1.0.0", "timestamp": "2024-01-01T12:00:00+00:00"},
        "address": {
            "street_address": "1 Main St",
            "street_address2": "Apt 2",
            "city": "Springfield",
            "postal_code": "62701",
            "state": "IL",
            "country": "US"
        }
    })
}

/// Creates, applies and polls an application of this SSN until it leaves SUBMITTED.
pub fn decided_application(api: &Api, ssn: &str) -> Value {
    let created = api.json("POST", "/api/v1/applications/", &application_body(ssn));
    assert_eq!(
        created.status,
        201,
        "{:?}",
        String::from_utf8_lossy(&created.body)
    );
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let applied = api.send("POST", &format!("/api/v1/applications/{id}/apply/"), b"");
    assert_eq!(applied.status, 200);
    for _ in 0..50 {
        let app = api.get(&format!("/api/v1/applications/{id}/")).json();
        if app["status"] != "SUBMITTED" {
            return app;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("still SUBMITTED");
}

/// A delivery the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub at: Instant,
}

/// A webhook receiver on 127.0.0.1: records every POST and answers the scripted
/// statuses in turn, then 200.
pub struct Receiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Receiver {
    pub fn start(script: &[u16]) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let script = Arc::new(Mutex::new(
            script.iter().copied().collect::<VecDeque<u16>>(),
        ));
        {
            let (received, stop) = (Arc::clone(&received), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Acquire) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (received, script) = (Arc::clone(&received), Arc::clone(&script));
                    std::thread::spawn(move || serve_one(stream, &received, &script));
                }
            });
        }
        Receiver {
            port,
            received,
            stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `n` deliveries came (or fails after 15 s).
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} deliveries came",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_one(stream: TcpStream, received: &Mutex<Vec<Received>>, script: &Mutex<VecDeque<u16>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.insert(n.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    received.lock().unwrap().push(Received {
        path,
        headers,
        body,
        at: Instant::now(),
    });
    let status = script.lock().unwrap().pop_front().unwrap_or(200);
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}
