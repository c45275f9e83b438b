//! The onboarding demo: several applicants, each taken by the flow engine from Create
//! Application to the status the onboarding guide's sandbox table gives its SSN, with
//! every step printed (operation, status, required documents, waits), the approved
//! customer's deposit instructions masked, one flow resumed from its snapshot, and no
//! personal value.
//!
//! It runs against the local simulator (started in-process) unless `JIKO_PARTNER`,
//! `JIKO_USERNAME`, `JIKO_PASSWORD` and `JIKO_SIGNING_SECRET` are all set, in which case
//! it runs against `https://<partner>.sandbox-api.jikoservices.com`.

#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiko_e2e::driver::{Credentials, Event, Onboarding};
use jiko_e2e::fixtures;
use jiko_onboarding::{
    mask_number, ApprovedCustomer, ClientConfig, Environment, FlowConfig, FlowResult, FlowState,
    Secret,
};

/// Where the demo sends its requests.
pub enum Target {
    /// The local simulator, started in-process on a free port.
    Simulator,
    /// Jiko's sandbox, with the partner's credentials.
    Jiko {
        /// The partner prefix (`acme` for `acme.sandbox-api.jikoservices.com`).
        partner: String,
        /// Login username.
        username: String,
        /// Login password.
        password: Secret,
        /// The shared signing secret.
        signing_secret: Secret,
    },
}

/// The environment variables that select Jiko's sandbox.
pub const ENV_VARS: [&str; 4] = [
    "JIKO_PARTNER",
    "JIKO_USERNAME",
    "JIKO_PASSWORD",
    "JIKO_SIGNING_SECRET",
];

impl Target {
    /// The simulator when none of [`ENV_VARS`] is set, Jiko's sandbox when all are;
    /// an error naming the missing ones otherwise.
    pub fn from_env() -> Result<Target, String> {
        let values: Vec<Option<String>> = ENV_VARS
            .iter()
            .map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .collect();
        match values.as_slice() {
            [None, None, None, None] => Ok(Target::Simulator),
            [Some(partner), Some(username), Some(password), Some(secret)] => Ok(Target::Jiko {
                partner: partner.clone(),
                username: username.clone(),
                password: password.as_str().into(),
                signing_secret: secret.as_str().into(),
            }),
            _ => {
                let missing: Vec<&str> = ENV_VARS
                    .iter()
                    .zip(&values)
                    .filter(|(_, v)| v.is_none())
                    .map(|(name, _)| *name)
                    .collect();
                Err(format!(
                    "to run against Jiko's sandbox set all of {}; missing: {}",
                    ENV_VARS.join(", "),
                    missing.join(", ")
                ))
            }
        }
    }
}

/// One applicant of the demo.
struct Applicant {
    label: &'static str,
    rule: &'static str,
    ssn: &'static str,
    expected: &'static str,
    needs_documents: bool,
}

/// The applicants, with the outcomes the guide's sandbox table gives their SSNs.
const APPLICANTS: [Applicant; 5] = [
    Applicant {
        label: "approved directly",
        rule: "SSN starting with 4",
        ssn: "412345678",
        expected: "APPROVED",
        needs_documents: false,
    },
    Applicant {
        label: "rejected",
        rule: "SSN starting with 5",
        ssn: "512345678",
        expected: "REJECTED",
        needs_documents: false,
    },
    Applicant {
        label: "manual review",
        rule: "SSN starting with 3",
        ssn: "312345678",
        expected: "MANUAL_REVIEW",
        needs_documents: false,
    },
    Applicant {
        label: "documents needed, then approved",
        rule: "SSN starting with 24: ID and identification-number documents",
        ssn: "242345678",
        expected: "APPROVED",
        needs_documents: true,
    },
    Applicant {
        label: "address document needed, then manual review",
        rule: "SSN starting with 231",
        ssn: "231234567",
        expected: "MANUAL_REVIEW",
        needs_documents: true,
    },
];

/// One driver event as a line of the demo (or, for an answer and the status it carries,
/// the end of the request's line): operations, statuses, document types, delays; never a
/// personal value.
pub fn format_event(event: &Event) -> Option<String> {
    Some(match event {
        Event::Sent {
            operation,
            method,
            document_type,
        } => {
            let mut line = format!(
                "   {:<24} {method:<4} {}",
                operation.as_str(),
                operation.path_template()
            );
            if let Some(t) = document_type {
                let _ = write!(line, "  [{t}]");
            }
            line
        }
        Event::Answered { status, .. } => format!(" -> {status}"),
        Event::TransportFailed { kind, .. } => format!(" -> no answer ({})", kind.as_str()),
        Event::Status(status) => format!("  status {}", status.as_str()),
        Event::DocumentsNeeded { requirements } => {
            format!("   {:<24} {requirements} document(s) needed", "")
        }
        Event::Waiting {
            reason,
            retry_reason,
            delay,
        } => {
            let why = match retry_reason {
                Some(r) => format!("{} after {}", reason.as_str(), r.as_str()),
                None => reason.as_str().to_owned(),
            };
            format!("   {:<24} wait {} ms ({why})", "", delay.as_millis())
        }
    })
}

/// The requirements as `ID_FRONT; ID_BACK; SELFIE or PASSPORT`.
fn requirements_text(result: &FlowResult) -> String {
    result
        .requirements
        .iter()
        .map(|r| {
            r.one_of
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The deposit instructions, masked to their last four digits.
fn customer_text(customer: &ApprovedCustomer) -> String {
    let mut text = format!(
        "customer {}, {} account(s)",
        customer.customer_id,
        customer.accounts.len()
    );
    for account in &customer.accounts {
        for portal in &account.portals {
            let _ = write!(
                text,
                "; portal {}: routing {} account {}",
                portal.status.as_str(),
                mask_number(&portal.routing_number),
                mask_number(&portal.account_number)
            );
        }
    }
    text
}

/// Runs every applicant through the flow engine and prints each step to `out`. The
/// documents applicant is resumed from its snapshot, in a new `Onboarding`, when the
/// documents are asked for. Returns whether every flow ended as the guide says.
pub fn run(out: &mut dyn Write, target: Target) -> io::Result<bool> {
    writeln!(
        out,
        "Jiko onboarding demo (jiko-onboarding {})",
        jiko_onboarding::version()
    )?;
    // Keep the simulator alive for the whole run.
    let mut _sandbox = None;
    let (config, credentials, flow_config) = match target {
        Target::Simulator => {
            let sandbox = jiko_sandbox::Sandbox::start(jiko_sandbox::Config::default())?;
            writeln!(
                out,
                "Target: the local Jiko sandbox simulator at {} (started in-process)",
                sandbox.base_url()
            )?;
            let c = sandbox.config();
            let credentials = Credentials::new(&c.username, &c.password, &c.signing_secret);
            let config = ClientConfig::BaseUrl(sandbox.base_url());
            _sandbox = Some(sandbox);
            (config, credentials, jiko_e2e::quick_flow_config())
        }
        Target::Jiko {
            partner,
            username,
            password,
            signing_secret,
        } => {
            let config = ClientConfig::Hosted {
                environment: Environment::Sandbox,
                partner,
            };
            writeln!(out, "Target: Jiko's sandbox")?;
            let credentials = Credentials::new(
                &username,
                password.expose_str().unwrap_or_default(),
                signing_secret.expose_str().unwrap_or_default(),
            );
            (config, credentials, FlowConfig::default())
        }
    };
    writeln!(
        out,
        "No SSN, name, e-mail, phone number, date of birth, address, token, routing or \
         account number is ever printed (numbers are masked to their last four digits).\n"
    )?;
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let observer = move |e: &Event| {
        if let (Some(text), Ok(mut lines)) = (format_event(e), sink.lock()) {
            let continues = matches!(
                e,
                Event::Answered { .. } | Event::TransportFailed { .. } | Event::Status(_)
            );
            match lines.last_mut() {
                Some(last) if continues => last.push_str(&text),
                _ => lines.push(text),
            }
        }
    };
    let onboarding = Onboarding::new(config.clone(), credentials.clone())
        .map_err(io::Error::other)?
        .with_flow_config(flow_config.clone())
        .with_observer(observer.clone());
    let max_wait = Duration::from_secs(30);

    let total = APPLICANTS.len();
    let mut passed = 0;
    let mut requests = 0;
    for (i, applicant) in APPLICANTS.iter().enumerate() {
        writeln!(
            out,
            "== Applicant {}/{total}: {}  [sandbox rule: {} -> {}]",
            i + 1,
            applicant.label,
            applicant.rule,
            applicant.expected
        )?;
        let mut flush = |out: &mut dyn Write| -> io::Result<()> {
            let taken: Vec<String> = lines
                .lock()
                .map(|mut l| l.drain(..).collect())
                .unwrap_or_default();
            requests += taken.iter().filter(|l| l.contains(" /api/")).count();
            for line in taken {
                writeln!(out, "{line}")?;
            }
            Ok(())
        };
        let applicant_data = fixtures::applicant(applicant.ssn, &format!("demo{}", i + 1));
        let mut flow = onboarding
            .start_typed(&applicant_data, None)
            .map_err(io::Error::other)?;
        let mut result = flow.run(max_wait);
        flush(out)?;
        let saw_documents = result.state == FlowState::DocumentsNeeded;
        if saw_documents {
            writeln!(
                out,
                "   {:<24} required: {}",
                "",
                requirements_text(&result)
            )?;
            // The backend stores the snapshot and collects the documents from the user;
            // later, another process resumes.
            let snapshot = flow.snapshot();
            drop(flow);
            writeln!(
                out,
                "   {:<24} snapshot stored ({} bytes, nothing personal); flow dropped",
                "",
                snapshot.len()
            )?;
            let resumed = Onboarding::new(config.clone(), credentials.clone())
                .map_err(io::Error::other)?
                .with_flow_config(flow_config.clone())
                .with_observer(observer.clone());
            flow = resumed.resume(&snapshot, None).map_err(io::Error::other)?;
            writeln!(out, "   {:<24} resumed in a new Onboarding", "")?;
            for requirement in &result.requirements {
                let (t, content_type, bytes) = jiko_e2e::first_type_as_png(requirement);
                writeln!(
                    out,
                    "   {:<24} {t} ({content_type}, {} bytes)",
                    "provide document",
                    bytes.len()
                )?;
                flow.provide_document(t, content_type, bytes)
                    .map_err(io::Error::other)?;
            }
            result = jiko_e2e::finish(&mut flow, max_wait).map_err(io::Error::other)?;
            flush(out)?;
        }
        let status = result
            .application
            .as_ref()
            .map(|a| a.status.as_str().to_owned())
            .unwrap_or_default();
        if let Some(customer) = &result.customer {
            writeln!(out, "   {:<24} {}", "approved", customer_text(customer))?;
        }
        if let (FlowState::Waiting, Some(at)) = (result.state, result.next_check_at_ms) {
            let seconds = at
                .saturating_sub(jiko_e2e::driver::now_ms())
                .div_ceil(1_000);
            writeln!(
                out,
                "   {:<24} a person reviews it: the flow returns; the next read is due in {seconds} s, or at once on a webhook",
                "waiting"
            )?;
        }
        let settled = match result.state {
            FlowState::Approved | FlowState::Rejected => true,
            // A person reviews: the flow waits (for a webhook or its next read).
            FlowState::Waiting => status == "MANUAL_REVIEW",
            _ => false,
        };
        if settled && status == applicant.expected && saw_documents == applicant.needs_documents {
            passed += 1;
            writeln!(out, "   => {status}, as the guide says.\n")?;
        } else {
            let error = result.error.as_ref().map(|e| e.code()).unwrap_or_default();
            writeln!(
                out,
                "   => FAILED: {} {status} {error}, the guide says {}{}.\n",
                result.state.as_str(),
                applicant.expected,
                if applicant.needs_documents {
                    " after documents"
                } else {
                    ""
                },
            )?;
        }
    }
    writeln!(
        out,
        "{passed} of {total} flows ended as the guide says ({requests} HTTP requests)."
    )?;
    Ok(passed == total)
}
