//! Webhooks: subscriptions, events with their delivery attempts, and the deliveries
//! themselves, POSTed to loopback receivers, signed, and retried with backoff.
//!
//! The state half (subscriptions, events, the outbox of deliveries to start) lives in
//! the simulator's state under its lock; [`deliver`] is the async half, one task per
//! delivery, which takes the lock only to read its subscription and record attempts.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::watch;

use crate::clock;
use crate::faults::{FaultKind, FaultRates};
use crate::paging::{self, Cursor};
use crate::rng::SplitMix64;
use crate::stats::Stats;
use crate::Shared;

/// The event types of Jiko's webhooks guide, in its order (List Event Types).
pub const EVENT_TYPES: [&str; 20] = [
    "application.approved",
    "application.documents_needed",
    "application.manual_review",
    "application.rejected",
    "card.status.closed",
    "card.status.frozen",
    "card.status.locked",
    "card.status.open",
    "card.transaction.approved",
    "card.transaction.rejected",
    "transfers.ach.out.success",
    "transfers.ach.out.rejected",
    "transfers.ach.in.success",
    "transfers.ach.in.rejected",
    "transfers.wire.out.processing",
    "transfers.wire.out.success",
    "transfers.wire.out.rejected",
    "transfers.on-us.processing",
    "transfers.on-us.success",
    "transfers.on-us.rejected",
];

/// The shortest shared secret a subscription accepts.
pub const MIN_SHARED_SECRET_CHARS: usize = 16;
/// The longest subscription URL.
pub const MAX_URL_CHARS: usize = 2083;
/// Time one delivery attempt has to connect, send and get the receiver's status.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest wait between two attempts (the wait doubles from `--webhook-retry-ms`).
const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// How long `webhook_reorder` holds a delivery when no later one comes.
pub const REORDER_HOLD_LIMIT: Duration = Duration::from_secs(2);

/// `x-jiko-signature` of a delivery: standard base64 (padded) of HMAC-SHA256 over the
/// exact body bytes, keyed with the subscription's shared secret (UTF-8), as Jiko
/// signs its deliveries. The one place the simulator signs a webhook.
pub fn webhook_signature(shared_secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length: this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(shared_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Where a subscription's deliveries go: an http(s) URL on a loopback host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Receiver {
    https: bool,
    /// The address to connect to (`localhost` is 127.0.0.1).
    connect_host: String,
    port: u16,
    /// `Host` header: the URL's authority.
    authority: String,
    /// Path and query, `/` when the URL has none.
    path: String,
}

/// Parses a subscription URL; the error is the reason, never the URL itself.
pub(crate) fn parse_receiver(url: &str) -> Result<Receiver, &'static str> {
    if url.is_empty() || url.chars().count() > MAX_URL_CHARS {
        return Err("the URL must be 1 to 2083 characters");
    }
    if url.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
        return Err("the URL holds spaces or characters that are not allowed");
    }
    let lower = url.to_ascii_lowercase();
    let (https, rest) = if let Some(rest) = lower.strip_prefix("http://") {
        (false, &url[url.len() - rest.len()..])
    } else if let Some(rest) = lower.strip_prefix("https://") {
        (true, &url[url.len() - rest.len()..])
    } else {
        return Err("the URL must start with http:// or https://");
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let path = match tail.split('#').next().unwrap_or_default() {
        "" => "/".to_owned(),
        p if p.starts_with('?') => format!("/{p}"),
        p => p.to_owned(),
    };
    if authority.contains('@') {
        return Err("the URL must not hold credentials");
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or("the URL's host is not valid")?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => {
            if https {
                443
            } else {
                80
            }
        }
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or("the URL's port is not valid")?,
    };
    let connect_host = if host.eq_ignore_ascii_case("localhost") {
        "127.0.0.1".to_owned()
    } else if let Ok(ip) = host.parse::<Ipv4Addr>() {
        if !ip.is_loopback() {
            return Err(
                "the simulator delivers to loopback hosts only (127.0.0.0/8, ::1, localhost)",
            );
        }
        ip.to_string()
    } else if let Ok(ip) = host.parse::<Ipv6Addr>() {
        if !ip.is_loopback() {
            return Err(
                "the simulator delivers to loopback hosts only (127.0.0.0/8, ::1, localhost)",
            );
        }
        ip.to_string()
    } else {
        return Err("the simulator delivers to loopback hosts only (127.0.0.0/8, ::1, localhost)");
    };
    Ok(Receiver {
        https,
        connect_host,
        port,
        authority: authority.to_owned(),
        path,
    })
}

/// A webhook subscription. The shared secret is never serialized.
pub(crate) struct Subscription {
    pub id: String,
    pub url: String,
    receiver: Receiver,
    pub events: Vec<String>,
    secret: String,
    pub description: String,
    pub enabled: bool,
    time_created: String,
    pub updated_at: String,
    /// Position in creation order (paging key).
    order: u64,
    /// Deliveries handed out to this subscription so far.
    dispatched: u64,
    /// The highest delivery number whose first attempt was made (for reordering).
    sent: watch::Sender<u64>,
}

impl Subscription {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "url": self.url,
            "events": self.events,
            "description": self.description,
            "status": if self.enabled { "enabled" } else { "disabled" },
            "time_created": self.time_created,
            "updated_at": self.updated_at,
            "object_type": "Subscription",
        })
    }

    /// Sets a new URL (already checked) and its receiver.
    pub(crate) fn set_url(&mut self, url: String, receiver: Receiver) {
        self.url = url;
        self.receiver = receiver;
    }

    pub(crate) fn set_secret(&mut self, secret: String) {
        self.secret = secret;
    }
}

/// A subscription to add, its fields checked.
pub(crate) struct NewSubscription {
    pub id: String,
    pub url: String,
    pub receiver: Receiver,
    pub events: Vec<String>,
    pub secret: String,
    pub description: String,
    /// Creation time, RFC 3339.
    pub now: String,
}

/// An event envelope as Jiko sends it: `{event_id, timestamp, event_type, payload}`.
#[derive(Serialize)]
pub(crate) struct Envelope {
    pub event_id: String,
    pub timestamp: String,
    pub event_type: String,
    pub payload: Value,
}

/// One delivery attempt, as List Events shows it.
struct Attempt {
    id: String,
    subscription_id: String,
    success: bool,
    response_code: u16,
    response_message: Option<String>,
    called_at: String,
}

struct Event {
    envelope: Value,
    at_millis: u64,
    /// The subscriptions it was sent to.
    targets: Vec<String>,
    attempts: Vec<Attempt>,
}

/// A delivery to start: one event to one subscription.
pub(crate) struct Delivery {
    event: usize,
    subscription_id: String,
    body: Bytes,
    number: u64,
    fault: Option<FaultKind>,
    delay: Duration,
    hold: Option<watch::Receiver<u64>>,
}

/// Subscriptions, events and deliveries to start.
#[derive(Default)]
pub(crate) struct Hooks {
    subscriptions: Vec<Subscription>,
    events: Vec<Event>,
    outbox: Vec<Delivery>,
    next_order: u64,
}

/// What a delivery attempt got.
#[derive(Debug)]
pub(crate) struct AttemptOutcome {
    /// The receiver's status, 0 when there was none (no connection, timeout).
    pub code: u16,
    pub message: Option<String>,
}

impl AttemptOutcome {
    fn success(&self) -> bool {
        (200..300).contains(&self.code)
    }
}

impl Hooks {
    /// Adds a subscription (its fields already checked).
    pub(crate) fn subscribe(&mut self, new: NewSubscription) -> &Subscription {
        let (sent, _) = watch::channel(0);
        self.next_order += 1;
        self.subscriptions.push(Subscription {
            id: new.id,
            url: new.url,
            receiver: new.receiver,
            events: new.events,
            secret: new.secret,
            description: new.description,
            enabled: true,
            time_created: new.now.clone(),
            updated_at: new.now,
            order: self.next_order,
            dispatched: 0,
            sent,
        });
        let last = self.subscriptions.len() - 1;
        &self.subscriptions[last]
    }

    /// The subscription with this id (compared case-insensitively).
    pub(crate) fn subscription_mut(&mut self, id: &str) -> Option<&mut Subscription> {
        self.subscriptions
            .iter_mut()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// Removes a subscription; false when there is none.
    pub(crate) fn unsubscribe(&mut self, id: &str) -> bool {
        let before = self.subscriptions.len();
        self.subscriptions
            .retain(|s| !s.id.eq_ignore_ascii_case(id));
        self.subscriptions.len() != before
    }

    /// List Subscriptions, a page in creation order.
    pub(crate) fn list_subscriptions(&self, cursor: Cursor, limit: usize) -> Value {
        let keys: Vec<u64> = self.subscriptions.iter().map(|s| s.order).collect();
        let page = paging::page(&keys, cursor, limit);
        let items: Vec<Value> = self.subscriptions[page.range.clone()]
            .iter()
            .map(Subscription::to_json)
            .collect();
        page.to_json(items)
    }

    /// Records an event and queues a delivery to every enabled subscription that asked
    /// for its type. Each delivery draws its webhook fault (at most one).
    pub(crate) fn publish(
        &mut self,
        envelope: Envelope,
        now_millis: u64,
        rates: &FaultRates,
        rng: &mut SplitMix64,
        stats: &mut Stats,
    ) {
        let body = Bytes::from(serde_json::to_vec(&envelope).unwrap_or_default());
        let value = serde_json::to_value(&envelope).unwrap_or(Value::Null);
        let index = self.events.len();
        let mut targets = Vec::new();
        for sub in self
            .subscriptions
            .iter_mut()
            .filter(|s| s.enabled && s.events.contains(&envelope.event_type))
        {
            sub.dispatched += 1;
            let fault = rates.draw(&FaultKind::WEBHOOK, rng);
            let delay = match fault {
                Some(FaultKind::WebhookDelay) => Duration::from_millis(rng.between(200, 2000)),
                _ => Duration::ZERO,
            };
            if let Some(kind) = fault {
                stats.fault(kind);
            }
            targets.push(sub.id.clone());
            self.outbox.push(Delivery {
                event: index,
                subscription_id: sub.id.clone(),
                body: body.clone(),
                number: sub.dispatched,
                fault,
                delay,
                hold: (fault == Some(FaultKind::WebhookReorder)).then(|| sub.sent.subscribe()),
            });
        }
        stats.webhook_event();
        self.events.push(Event {
            envelope: value,
            at_millis: now_millis,
            targets,
            attempts: Vec::new(),
        });
    }

    /// The deliveries queued since the last call, to start.
    pub(crate) fn take_outbox(&mut self) -> Vec<Delivery> {
        std::mem::take(&mut self.outbox)
    }

    /// Where to send and the secret to sign with, while the subscription exists and is
    /// enabled.
    fn target_of(&self, subscription_id: &str) -> Option<(Receiver, String)> {
        self.subscriptions
            .iter()
            .find(|s| s.id == subscription_id && s.enabled)
            .map(|s| (s.receiver.clone(), s.secret.clone()))
    }

    fn record_attempt(
        &mut self,
        event: usize,
        subscription_id: &str,
        outcome: &AttemptOutcome,
        id: String,
        now_millis: u64,
    ) {
        if let Some(e) = self.events.get_mut(event) {
            e.attempts.push(Attempt {
                id,
                subscription_id: subscription_id.to_owned(),
                success: outcome.success(),
                response_code: outcome.code,
                response_message: outcome.message.clone(),
                called_at: clock::rfc3339_millis(now_millis),
            });
        }
    }

    fn mark_sent(&self, subscription_id: &str, number: u64) {
        if let Some(s) = self.subscriptions.iter().find(|s| s.id == subscription_id) {
            s.sent.send_modify(|v| *v = (*v).max(number));
        }
    }

    /// List Events: oldest first, after `after_millis` (exclusive), for one
    /// subscription when asked.
    pub(crate) fn list_events(
        &self,
        after_millis: Option<u64>,
        subscription_id: Option<&str>,
        cursor: Cursor,
        limit: usize,
    ) -> Value {
        let chosen: Vec<(u64, &Event)> = self
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| after_millis.is_none_or(|a| e.at_millis > a))
            .filter(|(_, e)| {
                subscription_id
                    .is_none_or(|id| e.targets.iter().any(|t| t.eq_ignore_ascii_case(id)))
            })
            .map(|(i, e)| (i as u64, e))
            .collect();
        let keys: Vec<u64> = chosen.iter().map(|(k, _)| *k).collect();
        let page = paging::page(&keys, cursor, limit);
        let items: Vec<Value> = chosen[page.range.clone()]
            .iter()
            .map(|(_, e)| {
                let attempts: Vec<Value> = e
                    .attempts
                    .iter()
                    .filter(|a| {
                        subscription_id.is_none_or(|id| a.subscription_id.eq_ignore_ascii_case(id))
                    })
                    .map(|a| {
                        json!({
                            "delivery_attempt_id": a.id,
                            "subscription_id": a.subscription_id,
                            "success": a.success,
                            "response_code": a.response_code,
                            "response_message": a.response_message,
                            "called_at": a.called_at,
                        })
                    })
                    .collect();
                json!({
                    "event": e.envelope,
                    "delivery_attempts": attempts,
                    "object_type": "PartnerEvent",
                })
            })
            .collect();
        page.to_json(items)
    }
}

/// List Event Types.
pub(crate) fn event_types() -> Value {
    let items: Vec<Value> = EVENT_TYPES
        .iter()
        .map(|t| json!({ "event": t, "object_type": "EventType" }))
        .collect();
    json!({ "offset": 0, "count": items.len(), "items": items, "object_type": "List" })
}

/// The payload keys each known event type requires (a UUID each), for Trigger
/// Webhook; unknown types take any object.
pub(crate) fn payload_keys(event_type: &str) -> &'static [&'static str] {
    if event_type.starts_with("application.") {
        &["application_id"]
    } else if event_type.starts_with("card.status.") {
        &["card_id"]
    } else if event_type.starts_with("card.transaction.") {
        &["card_id", "account_id"]
    } else if event_type.starts_with("transfers.wire.") {
        &["jiko_account_id", "wire_id"]
    } else if event_type.starts_with("transfers.on-us.") {
        &["on_us_id", "origin_account_id", "destination_account_id"]
    } else if event_type.starts_with("transfers.ach.") {
        &["jiko_account_id"]
    } else {
        &[]
    }
}

/// Starts the queued deliveries.
pub(crate) fn flush(shared: &Arc<Shared>) {
    let deliveries = shared.lock().hooks.take_outbox();
    for d in deliveries {
        let shared = Arc::clone(shared);
        shared.runtime.clone().spawn(deliver(shared, d));
    }
}

/// One delivery: its fault's hold, then attempts until one gets a 2xx, the attempts
/// run out, or the subscription is disabled or deleted.
async fn deliver(shared: Arc<Shared>, d: Delivery) {
    match (d.fault, d.hold) {
        (Some(FaultKind::WebhookDelay), _) => tokio::time::sleep(d.delay).await,
        (Some(FaultKind::WebhookReorder), Some(mut held)) => {
            let number = d.number;
            let _ = tokio::time::timeout(REORDER_HOLD_LIMIT, held.wait_for(|sent| *sent > number))
                .await;
        }
        _ => {}
    }
    let attempts = shared.config.webhook_attempts.max(1);
    let mut wait = Duration::from_millis(shared.config.webhook_retry_millis);
    for attempt in 1..=attempts {
        let Some((receiver, secret)) = shared.lock().hooks.target_of(&d.subscription_id) else {
            return;
        };
        let signature = webhook_signature(&secret, &d.body);
        let outcome = post(&receiver, d.body.clone(), &signature).await;
        let success = outcome.success();
        {
            let mut state = shared.lock();
            state.record_delivery_attempt(d.event, &d.subscription_id, &outcome, false);
            if attempt == 1 {
                state.hooks.mark_sent(&d.subscription_id, d.number);
            }
        }
        if success {
            if d.fault == Some(FaultKind::WebhookDuplicate) {
                let again = post(&receiver, d.body.clone(), &signature).await;
                shared
                    .lock()
                    .record_delivery_attempt(d.event, &d.subscription_id, &again, true);
            }
            return;
        }
        if attempt < attempts {
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(MAX_RETRY_WAIT);
        }
    }
}

impl crate::state::State {
    /// Records one attempt in its event, and in the stats.
    fn record_delivery_attempt(
        &mut self,
        event: usize,
        subscription_id: &str,
        outcome: &AttemptOutcome,
        duplicate: bool,
    ) {
        let id = self.new_id();
        self.hooks
            .record_attempt(event, subscription_id, outcome, id, clock::now_millis());
        self.stats.delivery(outcome.success(), duplicate);
    }
}

/// One POST of the body to the receiver, within [`DELIVERY_TIMEOUT`].
async fn post(receiver: &Receiver, body: Bytes, signature: &str) -> AttemptOutcome {
    if receiver.https {
        return AttemptOutcome {
            code: 0,
            message: Some("the simulator delivers over plain http only".to_owned()),
        };
    }
    let attempt = async {
        let stream =
            tokio::net::TcpStream::connect((receiver.connect_host.as_str(), receiver.port))
                .await
                .map_err(|e| format!("connection failed: {}", e.kind()))?;
        let _ = stream.set_nodelay(true);
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("connection failed: {e}"))?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let request = hyper::Request::post(receiver.path.as_str())
            .header(hyper::header::HOST, receiver.authority.as_str())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(
                hyper::header::USER_AGENT,
                concat!("jiko-sandbox/", env!("CARGO_PKG_VERSION")),
            )
            .header("x-jiko-signature", signature)
            .body(Full::new(body))
            .map_err(|e| format!("request not valid: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        Ok::<_, String>(response.status())
    };
    match tokio::time::timeout(DELIVERY_TIMEOUT, attempt).await {
        Err(_) => AttemptOutcome {
            code: 0,
            message: Some(format!("no answer within {} s", DELIVERY_TIMEOUT.as_secs())),
        },
        Ok(Err(message)) => AttemptOutcome {
            code: 0,
            message: Some(message),
        },
        Ok(Ok(status)) => AttemptOutcome {
            code: status.as_u16(),
            message: status.canonical_reason().map(str::to_owned),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_base64_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = webhook_signature("Jefe", b"what do ya want for nothing?");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&sig)
            .unwrap();
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(sig.len(), 44);
        assert!(sig.ends_with('='));
    }

    #[test]
    fn receivers_are_loopback_http_urls() {
        let r = parse_receiver("http://127.0.0.1:8123/hooks/jiko?x=1").unwrap();
        assert_eq!(
            (
                r.https,
                r.connect_host.as_str(),
                r.port,
                r.authority.as_str(),
                r.path.as_str()
            ),
            (
                false,
                "127.0.0.1",
                8123,
                "127.0.0.1:8123",
                "/hooks/jiko?x=1"
            )
        );
        let r = parse_receiver("HTTP://LocalHost").unwrap();
        assert_eq!(
            (r.connect_host.as_str(), r.port, r.path.as_str()),
            ("127.0.0.1", 80, "/")
        );
        let r = parse_receiver("https://[::1]:9000?a=b#frag").unwrap();
        assert_eq!(
            (r.https, r.connect_host.as_str(), r.port),
            (true, "::1", 9000)
        );
        assert_eq!(r.path, "/?a=b");
        assert_eq!(
            parse_receiver("http://127.9.8.7:1/").unwrap().connect_host,
            "127.9.8.7"
        );
        for bad in [
            "",
            "ftp://127.0.0.1/",
            "127.0.0.1:80/",
            "http://example.com/",
            "http://10.0.0.1/",
            "http://[2001:db8::1]/",
            "http://user:pw@127.0.0.1/",
            "http://127.0.0.1:0/",
            "http://127.0.0.1:70000/",
            "http://127.0.0.1/a b",
            "http://[::1/",
        ] {
            assert!(parse_receiver(bad).is_err(), "{bad}");
        }
        let long = format!("http://127.0.0.1/{}", "a".repeat(MAX_URL_CHARS));
        assert!(parse_receiver(&long).is_err());
    }

    #[test]
    fn every_event_type_is_listed_once() {
        let v = event_types();
        assert_eq!(v["count"], 20);
        let mut seen = std::collections::HashSet::new();
        for item in v["items"].as_array().unwrap() {
            assert!(seen.insert(item["event"].as_str().unwrap()));
            assert_eq!(item["object_type"], "EventType");
        }
        for t in EVENT_TYPES {
            assert!(!payload_keys(t).is_empty(), "{t}");
        }
    }
}
