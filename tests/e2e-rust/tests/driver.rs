//! The flow engine's Rust driver against the simulator: resuming from a snapshot in a new
//! `Onboarding`, a webhook waking a waiting flow, both readings of a repeated
//! idempotency key, and every request fault on at once. Nothing may be duplicated or lost.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;
use jiko_e2e::driver::Onboarding;
use jiko_e2e::fixtures;
use jiko_e2e::receiver::WebhookReceiver;
use jiko_onboarding::{parse_subscription, EventType, FlowConfig, FlowState, PollPolicy};
use jiko_sandbox::{Config, FaultRates, IdempotencyMode};

/// The end state the guide's sandbox table gives each SSN of the mix, written by hand.
fn expected_state(status: &str) -> FlowState {
    match status {
        "APPROVED" => FlowState::Approved,
        "REJECTED" => FlowState::Rejected,
        _ => FlowState::Waiting,
    }
}

#[test]
fn a_flow_snapshotted_while_waiting_resumes_in_a_new_onboarding() {
    let sandbox = sandbox_with(Config {
        outcome_after_polls: 3,
        ..Config::default()
    });
    let mut flow = onboarding(&sandbox)
        .start_typed(&fixtures::applicant("412345678", "resume"), None)
        .unwrap();
    // Returns at the first wait: KYC in progress.
    let waiting = flow.run(Duration::ZERO);
    assert_eq!(waiting.state, FlowState::Waiting);
    assert!(waiting.next_check_at_ms.is_some());
    let id = flow.application_id().unwrap().to_owned();
    let snapshot = flow.snapshot();
    drop(flow);
    for personal in fixtures::personal_values("412345678", "resume") {
        assert!(
            !snapshot.contains(&personal),
            "a personal value in the snapshot"
        );
    }
    // Another process: a new Onboarding (a new login), the application not needed.
    let mut resumed = onboarding(&sandbox).resume(&snapshot, None).unwrap();
    assert_eq!(resumed.application_id(), Some(id.as_str()));
    let done = jiko_e2e::finish(&mut resumed, Duration::from_secs(5)).unwrap();
    assert_eq!(done.state, FlowState::Approved);
    assert_eq!(done.customer.unwrap().accounts[0].portals.len(), 1);
    assert_eq!(sandbox.application_count(), 1);
}

#[test]
fn a_webhook_delivered_by_the_simulator_wakes_a_waiting_flow() {
    const SECRET: &str = "webhook-shared-secret-0123456789";
    // The outcome only by the simulator's own timer, never by a read.
    let sandbox = sandbox_with(Config {
        outcome_after_polls: 1_000,
        decide_after_millis: 300,
        ..Config::default()
    });
    let receiver = WebhookReceiver::start(vec![SECRET.into()]).unwrap();
    let url = receiver.url().to_owned();
    let (mut caller, token) = logged_in(&sandbox);
    let subscribe = caller
        .client()
        .clone()
        .create_subscription(&token, &url, &EventType::APPLICATION_EVENTS, SECRET, None)
        .unwrap();
    let subscription = caller
        .send(&subscribe)
        .unwrap()
        .parse(parse_subscription)
        .unwrap();
    assert_eq!(subscription.url, url);

    // Reads a minute apart: only the webhook can end this flow quickly.
    let slow = FlowConfig {
        webhooks: true,
        poll: PollPolicy {
            fast_initial_ms: 60_000,
            ..PollPolicy::default()
        },
        ..jiko_e2e::quick_flow_config()
    };
    let onboarding = onboarding(&sandbox).with_flow_config(slow);
    let mut flow = onboarding
        .start_typed(&fixtures::applicant("412345678", "webhook"), None)
        .unwrap();
    let waiting = flow.run(Duration::ZERO);
    assert_eq!(waiting.state, FlowState::Waiting);
    receiver.register(flow.application_id().unwrap(), flow.notifier());
    let started = Instant::now();
    let done = flow.run(Duration::from_secs(120));
    assert_eq!(done.state, FlowState::Approved, "{:?}", done.error);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "woken by the webhook, not by the minute-long poll"
    );
    let stats = sandbox.stats();
    assert!(stats["webhooks"]["deliveries"].as_u64().unwrap() >= 1);
    assert!(receiver.stats().woke >= 1);
    assert_eq!(receiver.stats().refused, 0);
}

/// Runs applicants of every scenario through one `Onboarding` against `sandbox`, a few
/// at a time; returns (final state, error code, SSN's expected status) per flow.
fn run_mix(sandbox: &jiko_sandbox::Sandbox, flows: usize) -> Vec<(FlowState, String, String)> {
    let onboarding: Onboarding = onboarding(sandbox);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (onboarding, results) = (&onboarding, &results);
            scope.spawn(move || {
                for i in (worker..flows).step_by(4) {
                    let (ssn, expected) = fixtures::OUTCOME_MIX[i % fixtures::OUTCOME_MIX.len()];
                    let ssn = fixtures::unique_ssn(ssn, i);
                    let journey = jiko_e2e::journey(
                        onboarding,
                        &fixtures::applicant(&ssn, &format!("mix{i}")),
                        Duration::from_secs(10),
                    )
                    .unwrap();
                    let error = journey
                        .result
                        .error
                        .as_ref()
                        .map(|e| e.code())
                        .unwrap_or_default();
                    if journey.result.state == FlowState::Failed {
                        // A create_outcome_unknown names its key, in the error and message.
                        if let Some(jiko_onboarding::Error::Flow(f)) = &journey.result.error {
                            let key = f.idempotency_key.as_deref().unwrap_or("none");
                            assert!(f.message.contains(key), "{}", f.message);
                        }
                    }
                    results.lock().unwrap().push((
                        journey.result.state,
                        error,
                        expected.to_owned(),
                    ));
                }
            });
        }
    });
    results.into_inner().unwrap()
}

fn applications_per_person(sandbox: &jiko_sandbox::Sandbox) -> serde_json::Value {
    sandbox.stats()["identification_numbers"]["with_more_than_one_application"].clone()
}

#[test]
fn lost_create_answers_are_recovered_by_replay_and_never_duplicated_when_refused() {
    for (mode, name) in [
        (IdempotencyMode::Replay, "replay"),
        (IdempotencyMode::Reject, "reject"),
    ] {
        let sandbox = sandbox_with(Config {
            idempotency: mode,
            faults: FaultRates::parse("lost_response=0.25").unwrap(),
            seed: Some(20_261_207),
            ..Config::default()
        });
        let results = run_mix(&sandbox, 36);
        let unknown = results
            .iter()
            .filter(|(_, code, _)| code == "create_outcome_unknown")
            .count();
        for (state, code, expected) in &results {
            if code != "create_outcome_unknown" {
                assert_eq!(*state, expected_state(expected), "{name}: {code}");
            }
        }
        if mode == IdempotencyMode::Replay {
            assert_eq!(unknown, 0, "replay recovers every lost Create answer");
            assert!(sandbox.stats()["replays_served"].as_u64().unwrap() > 0);
        }
        assert_eq!(applications_per_person(&sandbox), 0, "{name}: a duplicate");
        println!(
            "{name}: {unknown} of {} Creates of unknown outcome",
            results.len()
        );
    }
}

#[test]
fn every_request_fault_at_once_ends_every_flow_as_the_guide_says() {
    let sandbox = sandbox_with(Config {
        faults: FaultRates::parse(
            "lost_response=0.05,server_error=0.05,unavailable=0.05,rate_limit=0.05,reset=0.05,token_revoked=0.05",
        )
        .unwrap(),
        seed: Some(7),
        ..Config::default()
    });
    let results = run_mix(&sandbox, 36);
    for (state, code, expected) in &results {
        assert_eq!(*state, expected_state(expected), "{code}");
    }
    assert_eq!(applications_per_person(&sandbox), 0);
    let faults = &sandbox.stats()["faults_injected"];
    for kind in [
        "lost_response",
        "server_error",
        "unavailable",
        "rate_limit",
        "reset",
        "token_revoked",
    ] {
        assert!(faults[kind].as_u64().unwrap() > 0, "{kind} never injected");
    }
}
