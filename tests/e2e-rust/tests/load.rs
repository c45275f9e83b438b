//! Load: concurrent clients run complete flows against one simulator; every
//! application must end in the status the guide gives its SSN, none may be lost, and
//! none may carry another applicant's data. Prints requests per second; asserts no
//! timing.
//!
//! Size: JIKO_LOAD_CLIENTS (default 8) x JIKO_LOAD_FLOWS (default 200).

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use common::*;
use jiko_e2e::fixtures;
use jiko_onboarding::ApplicationStatus;

/// SSNs and the end status the guide gives them, written out by hand.
const MIX: &[(&str, &str)] = fixtures::OUTCOME_MIX;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn concurrent_clients_complete_every_flow() {
    let clients = env_or("JIKO_LOAD_CLIENTS", 8);
    let flows = env_or("JIKO_LOAD_FLOWS", 200);
    let sandbox = sandbox();
    let started = Instant::now();
    let results: Vec<Vec<(String, String, String)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let sandbox = &sandbox;
                scope.spawn(move || {
                    let onboarding = onboarding(sandbox);
                    let mut done = Vec::with_capacity(flows);
                    for f in 0..flows {
                        let (ssn, expected) = MIX[(c * 7 + f) % MIX.len()];
                        let tag = format!("c{c}-f{f}");
                        let journey = jiko_e2e::journey(
                            &onboarding,
                            &fixtures::applicant(ssn, &tag),
                            Duration::from_secs(5),
                        )
                        .unwrap_or_else(|e| panic!("client {c} flow {f}: {e}"));
                        let app = journey.result.application.expect("an application");
                        assert_eq!(app.status.as_str(), expected, "client {c} flow {f}");
                        // No assert_eq!: a failure must not print the (fake) e-mail.
                        assert!(
                            app.email == Some(fixtures::email(&tag)),
                            "client {c} flow {f}: another applicant's data"
                        );
                        done.push((app.id, tag, expected.to_owned()));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a client thread panicked"))
            .collect()
    });
    let elapsed = started.elapsed();
    let requests = sandbox.request_count();

    // None lost, none duplicated.
    let all: Vec<(String, String, String)> = results.into_iter().flatten().collect();
    assert_eq!(all.len(), clients * flows);
    let ids: HashSet<&str> = all.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "application ids are unique");
    assert_eq!(
        sandbox.application_count(),
        all.len(),
        "no application lost or extra"
    );

    // Read every application back: the right status and the right applicant.
    let mut o = caller(&sandbox);
    let mut by_status: HashMap<String, usize> = HashMap::new();
    for (id, tag, expected) in &all {
        let app = o.get(id).unwrap();
        assert_eq!(app.status.as_str(), expected);
        assert!(
            app.email == Some(fixtures::email(tag)),
            "{id}: another applicant's data"
        );
        assert_eq!(
            app.customer_id.is_some(),
            app.status == ApplicationStatus::Approved
        );
        *by_status.entry(expected.clone()).or_default() += 1;
    }

    let seconds = elapsed.as_secs_f64();
    let mut counts: Vec<_> = by_status.into_iter().collect();
    counts.sort();
    println!(
        "load: {clients} clients x {flows} flows = {} applications ({counts:?}); \
         {requests} requests in {seconds:.2} s = {:.0} requests/s",
        all.len(),
        requests as f64 / seconds.max(1e-9)
    );
}
