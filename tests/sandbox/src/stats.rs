//! `GET /_simulator/stats`: what the simulator did, counted, with nothing personal in
//! it, so that a test can prove that nothing was duplicated or lost.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::faults::FaultKind;

/// The key under which requests refused by the transport (malformed, too large a
/// head, too slow, over the connection cap) are counted in `requests`.
pub const TRANSPORT: &str = "(transport)";
/// The status under which requests closed without an answer (the `lost_response` and
/// `reset` faults) are counted.
pub const CLOSED: &str = "closed";

/// Counters kept as requests are served.
#[derive(Default)]
pub(crate) struct Stats {
    requests: BTreeMap<String, BTreeMap<String, u64>>,
    replays_served: u64,
    faults: BTreeMap<FaultKind, u64>,
    events: u64,
    deliveries: u64,
    delivery_failures: u64,
    duplicates_sent: u64,
}

impl Stats {
    /// One request to `endpoint` (`METHOD /path/template/`), answered with `status`.
    pub(crate) fn request(&mut self, endpoint: &str, status: &str) {
        let by_status = match self.requests.get_mut(endpoint) {
            Some(m) => m,
            None => self.requests.entry(endpoint.to_owned()).or_default(),
        };
        *by_status.entry(status.to_owned()).or_default() += 1;
    }

    pub(crate) fn replay(&mut self) {
        self.replays_served += 1;
    }

    pub(crate) fn fault(&mut self, kind: FaultKind) {
        *self.faults.entry(kind).or_default() += 1;
    }

    pub(crate) fn webhook_event(&mut self) {
        self.events += 1;
    }

    /// One POST to a receiver; `duplicate` for the second copy of `webhook_duplicate`.
    pub(crate) fn delivery(&mut self, success: bool, duplicate: bool) {
        self.deliveries += 1;
        if !success {
            self.delivery_failures += 1;
        }
        if duplicate {
            self.duplicates_sent += 1;
        }
    }

    /// The stats document; the application figures come from the state.
    pub(crate) fn to_json(&self, applications: Value, identification_numbers: Value) -> Value {
        let faults: Map<String, Value> = FaultKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    json!(self.faults.get(k).copied().unwrap_or(0)),
                )
            })
            .collect();
        json!({
            "applications": applications,
            "identification_numbers": identification_numbers,
            "requests": self.requests,
            "replays_served": self.replays_served,
            "faults_injected": faults,
            "webhooks": {
                "events": self.events,
                "deliveries": self.deliveries,
                "delivery_failures": self.delivery_failures,
                "duplicates_sent": self.duplicates_sent,
            },
        })
    }
}
