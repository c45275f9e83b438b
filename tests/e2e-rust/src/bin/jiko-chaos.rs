//! `jiko-chaos`: the Rust driver's share of `make chaos` (tests/chaos/run.py starts the
//! simulator with faults and reads its stats). It onboards N applicants across every
//! sandbox scenario of the guide with up to C flows in flight, half of them woken by
//! webhooks and half polling; a share of the flows is killed at a random moment (the
//! request in flight left unanswered, as after a crash) and resumed from its snapshot in
//! a new `Onboarding`. It prints one JSON report on stdout; personal data never.
//!
//! ```text
//! jiko-chaos --base-url http://127.0.0.1:PORT [--flows 2000] [--concurrency 200]
//!            [--seed N] [--kill-share 0.1] [--webhook-secret S]
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiko_e2e::driver::{Credentials as DriverCredentials, Event, Flow, Onboarding};
use jiko_e2e::receiver::WebhookReceiver;
use jiko_e2e::{fixtures, Caller, Client, Credentials};
use jiko_onboarding::{
    parse_subscription, ClientConfig, Error, EventType, FlowConfig, FlowResult, FlowState,
    PollPolicy,
};
use serde_json::{json, Value};

struct Args {
    base_url: String,
    flows: usize,
    concurrency: usize,
    seed: u64,
    kill_share: f64,
    webhook_secret: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        base_url: String::new(),
        flows: 2_000,
        concurrency: 200,
        seed: 1,
        kill_share: 0.1,
        webhook_secret: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--base-url" => args.base_url = value()?,
            "--flows" => args.flows = value()?.parse().map_err(|_| "--flows")?,
            "--concurrency" => args.concurrency = value()?.parse().map_err(|_| "--concurrency")?,
            "--seed" => args.seed = value()?.parse().map_err(|_| "--seed")?,
            "--kill-share" => args.kill_share = value()?.parse().map_err(|_| "--kill-share")?,
            "--webhook-secret" => args.webhook_secret = Some(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if args.base_url.is_empty() {
        return Err("--base-url is required".to_owned());
    }
    Ok(args)
}

/// SplitMix64: the same few lines as the core's, for this run's choices.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(seed: u64, i: usize, salt: u64) -> f64 {
    (mix(seed ^ (i as u64).wrapping_mul(0x100_0000_01B3) ^ salt) >> 11) as f64 / (1u64 << 53) as f64
}

/// What the guide's sandbox table gives the scenario: the flow's end state.
fn expected_state(status: &str) -> &'static str {
    match status {
        "APPROVED" => "approved",
        "REJECTED" => "rejected",
        _ => "manual_review",
    }
}

fn actual_state(result: &FlowResult) -> String {
    match (result.state, &result.error) {
        (FlowState::Failed, Some(e)) => format!("failed:{}", e.code()),
        (FlowState::Waiting, _)
            if result.application.as_ref().map(|a| a.status.as_str()) == Some("MANUAL_REVIEW") =>
        {
            "manual_review".to_owned()
        }
        (state, _) => state.as_str().to_owned(),
    }
}

#[derive(Default)]
struct Report {
    by_scenario: BTreeMap<String, BTreeMap<String, u64>>,
    mismatches: Vec<Value>,
    outcome_unknown_keys: Vec<Option<String>>,
    with_application: u64,
    killed: u64,
    resumed: u64,
    approved_with_numbers: u64,
    flow_millis: Vec<u64>,
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("jiko-chaos: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("jiko-chaos: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<Value, Error> {
    let started = Instant::now();
    let retries: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let sink = retries.clone();
    let observer = move |e: &Event| {
        let reason = match e {
            Event::Waiting {
                retry_reason: Some(r),
                ..
            } => r.as_str(),
            _ => return,
        };
        if let Ok(mut counts) = sink.lock() {
            *counts.entry(reason.to_owned()).or_default() += 1;
        }
    };
    let config = ClientConfig::BaseUrl(args.base_url.clone());
    let credentials = DriverCredentials::new(
        jiko_sandbox::DEFAULT_USERNAME,
        jiko_sandbox::DEFAULT_PASSWORD,
        jiko_sandbox::DEFAULT_SIGNING_SECRET,
    );
    let polling = jiko_e2e::quick_flow_config();
    // The webhook half reads SUBMITTED every 5 s: the webhook is what wakes it first.
    let webhooks = FlowConfig {
        webhooks: true,
        poll: PollPolicy {
            fast_initial_ms: 5_000,
            fast_max_ms: 5_000,
            ..polling.poll.clone()
        },
        ..polling.clone()
    };
    let new_onboarding = |flow_config: &FlowConfig| -> Result<Onboarding, Error> {
        Ok(Onboarding::new(config.clone(), credentials.clone())?
            .with_flow_config(flow_config.clone())
            .with_observer(observer.clone()))
    };
    let (polling_onboarding, webhook_onboarding) =
        (new_onboarding(&polling)?, new_onboarding(&webhooks)?);

    let receiver = match &args.webhook_secret {
        Some(secret) => {
            let receiver = WebhookReceiver::start(vec![secret.as_str().into()])
                .map_err(|_| transport_error())?;
            subscribe(&args.base_url, receiver.url(), secret)?;
            Some(receiver)
        }
        None => None,
    };

    let next = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    std::thread::scope(|scope| {
        for _ in 0..args.concurrency.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= args.flows {
                    return;
                }
                let (base_ssn, expected) = fixtures::OUTCOME_MIX[i % fixtures::OUTCOME_MIX.len()];
                let use_webhooks = receiver.is_some() && i % 2 == 0;
                let onboarding = if use_webhooks { &webhook_onboarding } else { &polling_onboarding };
                let kill_at = (unit(args.seed, i, 1) < args.kill_share)
                    .then(|| Duration::from_millis((unit(args.seed, i, 2) * 400.0) as u64));
                let outcome = one_flow(
                    i,
                    base_ssn,
                    onboarding,
                    receiver.as_ref().filter(|_| use_webhooks),
                    kill_at,
                    || new_onboarding(if use_webhooks { &webhooks } else { &polling }),
                );
                let Ok(mut report) = report.lock() else { return };
                match outcome {
                    Ok((result, killed, application_id, millis)) => {
                        report.killed += u64::from(killed);
                        report.resumed += u64::from(killed);
                        report.with_application += u64::from(application_id.is_some());
                        report.flow_millis.push(millis);
                        record(&mut report, base_ssn, expected, &result);
                    }
                    Err(e) => {
                        let state = format!("error:{}", e.code());
                        report.mismatches.push(json!({"flow": i, "expected": expected_state(expected), "actual": state}));
                    }
                }
            });
        }
    });
    let mut report = report.into_inner().unwrap_or_default();
    report.flow_millis.sort_unstable();
    let percentile = |p: usize| {
        let n = report.flow_millis.len();
        report
            .flow_millis
            .get((n * p / 100).min(n.saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let durations = json!({"p50": percentile(50), "p90": percentile(90), "p99": percentile(99), "max": percentile(100)});
    let retries = retries.lock().map(|r| r.clone()).unwrap_or_default();
    Ok(json!({
        "driver": "rust",
        "flows": args.flows,
        "seed": args.seed,
        "by_scenario": report.by_scenario,
        "mismatches": report.mismatches,
        "create_outcome_unknown": report.outcome_unknown_keys,
        "with_application": report.with_application,
        "approved_with_numbers": report.approved_with_numbers,
        "killed_and_resumed": report.resumed,
        "retries_by_reason": retries,
        "webhooks": receiver.map(|r| {
            let s = r.stats();
            json!({"verified": s.verified, "refused": s.refused, "duplicates": s.duplicates, "woke": s.woke})
        }),
        "flow_ms": durations,
        "wall_ms": started.elapsed().as_millis() as u64,
    }))
}

fn transport_error() -> Error {
    Error::Transport {
        kind: jiko_onboarding::TransportErrorKind::NotSent,
    }
}

fn subscribe(base_url: &str, url: &str, secret: &str) -> Result<(), Error> {
    let client = Client::new(
        ClientConfig::BaseUrl(base_url.to_owned()),
        jiko_sandbox::DEFAULT_SIGNING_SECRET,
    )?;
    let mut caller = Caller::new(
        client.clone(),
        Credentials {
            username: jiko_sandbox::DEFAULT_USERNAME.to_owned(),
            password: jiko_sandbox::DEFAULT_PASSWORD.into(),
        },
    );
    // The simulator injects faults into these calls too. The same prepared request is
    // resent (one key): a replay answers 201 again; a 409 (the reject reading) means the
    // first one took effect.
    let mut token = None;
    for _ in 0..50 {
        if token.is_none() {
            token = caller.token().ok();
        }
        if token.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let token = token.ok_or_else(transport_error)?;
    let request =
        client.create_subscription(&token, url, &EventType::APPLICATION_EVENTS, secret, None)?;
    for _ in 0..50 {
        if let Ok(reply) = caller.send(&request) {
            if reply.status == 409 || parse_subscription(reply.status, &reply.body).is_ok() {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(transport_error())
}

fn one_flow(
    i: usize,
    base_ssn: &str,
    onboarding: &Onboarding,
    receiver: Option<&WebhookReceiver>,
    kill_at: Option<Duration>,
    new_onboarding: impl Fn() -> Result<Onboarding, Error>,
) -> Result<(FlowResult, bool, Option<String>, u64), Error> {
    let started = Instant::now();
    let elapsed = move || started.elapsed().as_millis() as u64;
    let ssn = fixtures::unique_ssn(base_ssn, i);
    let applicant = fixtures::applicant(&ssn, &format!("chaos{i}"));
    let application = serde_json::to_value(&applicant).map_err(|_| transport_error())?;
    let mut flow = onboarding.start(&application, None)?;
    let max_wait = Duration::from_secs(20);
    if let Some(delay) = kill_at {
        let notifier = flow.notifier();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            notifier.cancel();
        });
        let result = drive(&mut flow, receiver, max_wait)?;
        let _ = killer.join();
        if matches!(
            result.state,
            FlowState::Approved | FlowState::Rejected | FlowState::Failed
        ) {
            let id = flow.application_id().map(str::to_owned);
            return Ok((result, false, id, elapsed()));
        }
        // The process died: only the snapshot survives.
        let snapshot = flow.snapshot();
        drop(flow);
        let mut resumed = new_onboarding()?.resume(&snapshot, Some(&application))?;
        let result = drive(&mut resumed, receiver, max_wait)?;
        let id = resumed.application_id().map(str::to_owned);
        return Ok((result, true, id, elapsed()));
    }
    let result = drive(&mut flow, receiver, max_wait)?;
    let id = flow.application_id().map(str::to_owned);
    Ok((result, false, id, elapsed()))
}

/// Runs to a settled state (approved, rejected, failed, or in manual review), providing
/// documents, registering the flow with the receiver once it has an application id, and
/// sleeping out any longer wait (a host would come back later).
fn drive(
    flow: &mut Flow,
    receiver: Option<&WebhookReceiver>,
    max_wait: Duration,
) -> Result<FlowResult, Error> {
    let mut registered = receiver.is_none();
    loop {
        let result = flow.run(if registered { max_wait } else { Duration::ZERO });
        if flow.notifier().is_cancelled() {
            // Killed: the caller takes the snapshot.
            return Ok(result);
        }
        if let (Some(receiver), Some(id), false) = (receiver, flow.application_id(), registered) {
            receiver.register(id, flow.notifier());
            registered = true;
        }
        match result.state {
            FlowState::DocumentsNeeded => {
                for requirement in &result.requirements {
                    let (t, content_type, bytes) = jiko_e2e::first_type_as_png(requirement);
                    flow.provide_document(t, content_type, bytes)?;
                }
            }
            // Restored and waiting: read the application now to know where it stands.
            FlowState::Waiting if result.application.is_none() && registered => flow.notify(),
            FlowState::Waiting => {
                let status = result.application.as_ref().map(|a| a.status.as_str());
                match result.next_check_at_ms {
                    _ if status == Some("MANUAL_REVIEW") && registered => return Ok(result),
                    Some(at) if registered => {
                        let now = jiko_e2e::driver::now_ms();
                        std::thread::sleep(Duration::from_millis(at.saturating_sub(now)));
                    }
                    _ => {}
                }
            }
            FlowState::Approved | FlowState::Rejected | FlowState::Failed => return Ok(result),
        }
    }
}

fn record(report: &mut Report, base_ssn: &str, expected: &str, result: &FlowResult) {
    let actual = actual_state(result);
    let scenario = format!("{}x ({})", &base_ssn[..3], expected_state(expected));
    *report
        .by_scenario
        .entry(scenario)
        .or_default()
        .entry(actual.clone())
        .or_default() += 1;
    if let Some(customer) = &result.customer {
        let numbered = customer
            .accounts
            .iter()
            .flat_map(|a| &a.portals)
            .any(|p| p.routing_number.len() == 9 && !p.account_number.is_empty());
        report.approved_with_numbers += u64::from(numbered);
    }
    if actual == "failed:create_outcome_unknown" {
        let key = match &result.error {
            Some(Error::Flow(f)) => f.idempotency_key.clone(),
            _ => None,
        };
        report.outcome_unknown_keys.push(key);
    } else if actual != expected_state(expected) {
        report.mismatches.push(json!({
            "ssn_rule": &base_ssn[..3],
            "expected": expected_state(expected),
            "actual": actual,
        }));
    }
}
