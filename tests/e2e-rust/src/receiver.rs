//! A webhook receiver, the Rust example: it verifies each delivery over its raw body
//! with `verify_webhook`, finds the flow waiting for that application and wakes it. The
//! event itself changes nothing: the flow reads the application again, signed.
//!
//! A blocking, one-thread HTTP/1.1 listener is enough for an example and for tests; a
//! real backend mounts the same three steps on its web framework's route.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use jiko_onboarding::{verify_webhook, Secret};

use crate::driver::Notifier;

/// Largest delivery read: events are a few hundred bytes.
const BODY_LIMIT: usize = 64 << 10;

/// What the receiver counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiverStats {
    /// Deliveries whose signature verified.
    pub verified: u64,
    /// Deliveries refused (401): a bad or missing signature.
    pub refused: u64,
    /// Verified deliveries of an event already seen (Jiko delivers at least once).
    pub duplicates: u64,
    /// Verified deliveries that woke a flow.
    pub woke: u64,
}

#[derive(Default)]
struct Shared {
    flows: HashMap<String, Notifier>,
    seen: HashSet<String>,
    stats: ReceiverStats,
}

/// A running receiver: register each flow's notifier under its application id.
#[derive(Clone)]
pub struct WebhookReceiver {
    url: String,
    shared: Arc<Mutex<Shared>>,
}

impl WebhookReceiver {
    /// Listens on a free loopback port, verifying with any of `secrets` (several during
    /// a rotation).
    pub fn start(secrets: Vec<Secret>) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}/jiko/webhooks", listener.local_addr()?);
        let shared = Arc::new(Mutex::new(Shared::default()));
        let serving = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &secrets, &serving);
            }
        });
        Ok(WebhookReceiver { url, shared })
    }

    /// The URL to subscribe.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Wakes this flow when an event about its application arrives.
    pub fn register(&self, application_id: &str, notifier: Notifier) {
        if let Ok(mut shared) = self.shared.lock() {
            shared.flows.insert(application_id.to_owned(), notifier);
        }
    }

    /// What was received so far.
    pub fn stats(&self) -> ReceiverStats {
        self.shared
            .lock()
            .map(|s| s.stats.clone())
            .unwrap_or_default()
    }
}

fn serve(stream: TcpStream, secrets: &[Secret], shared: &Mutex<Shared>) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(usize::MAX);
            }
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    if length > BODY_LIMIT {
        return reader.get_mut().write_all(
            b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    // The raw bytes, exactly as received: verification is over them, before any parsing.
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let keys: Vec<&[u8]> = secrets.iter().map(Secret::expose).collect();
    let status = match verify_webhook(&headers, &body, &keys) {
        Ok(event) => {
            if let Ok(mut shared) = shared.lock() {
                shared.stats.verified += 1;
                if !shared.seen.insert(event.event_id.clone()) {
                    shared.stats.duplicates += 1;
                }
                let notifier = event
                    .application_id()
                    .and_then(|id| shared.flows.get(id).cloned());
                if let Some(notifier) = notifier {
                    notifier.notify();
                    shared.stats.woke += 1;
                }
            }
            "202 Accepted"
        }
        Err(_) => {
            if let Ok(mut shared) = shared.lock() {
                shared.stats.refused += 1;
            }
            "401 Unauthorized"
        }
    };
    reader.get_mut().write_all(
        format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}
