//! The onboarding demo: several applicants, each taken from Create Application to the
//! status the onboarding guide's sandbox table gives its SSN, with every step printed
//! (operation, status, required documents, next action) and no personal value.
//!
//! It runs against the local simulator (started in-process) unless `JIKO_PARTNER`,
//! `JIKO_USERNAME`, `JIKO_PASSWORD` and `JIKO_SIGNING_SECRET` are all set, in which case
//! it runs against `https://<partner>.sandbox-api.jikoservices.com`.

#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::Duration;

use jiko_e2e::{fixtures, Credentials, Onboarder, Step};
use jiko_onboarding::{
    ApplicationStatus, Client, ClientConfig, Environment, NextAction, Secret, WaitReason,
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

/// The next action in words.
fn describe(action: &NextAction) -> String {
    match action {
        NextAction::Apply => "apply".to_owned(),
        NextAction::UploadDocuments { requirements } => {
            format!("upload {} document(s)", requirements.len())
        }
        NextAction::Wait {
            reason: WaitReason::KycInProgress,
        } => "wait: KYC in progress, poll again".to_owned(),
        NextAction::Wait {
            reason: WaitReason::ManualReview,
        } => "wait: a person at Jiko reviews the application".to_owned(),
        NextAction::Wait {
            reason: WaitReason::DocumentsInReview,
        } => "wait: documents in review".to_owned(),
        NextAction::Approved { customer_id } => format!(
            "done: approved, customer {}",
            if customer_id.is_some() {
                "created"
            } else {
                "id not sent"
            }
        ),
        NextAction::Rejected => "done: rejected (final)".to_owned(),
        NextAction::Unknown { status } => format!("unknown status {status}"),
    }
}

/// One step as a line (or two, with the required documents).
pub fn format_step(step: &Step) -> String {
    let mut line = format!("   {:<20}", step.operation);
    if let Some(status) = &step.status {
        let _ = write!(line, " status {:<17}", status.as_str());
    }
    if let Some(action) = &step.next_action {
        let _ = write!(line, " next: {}", describe(action));
    }
    if let Some(detail) = &step.detail {
        if step.status.is_some() {
            let _ = write!(line, "  ({detail})");
        } else {
            let _ = write!(line, " {detail}");
        }
    }
    if let Some(NextAction::UploadDocuments { requirements }) = &step.next_action {
        let wanted: Vec<String> = requirements
            .iter()
            .map(|r| {
                r.one_of
                    .iter()
                    .map(|t| t.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect();
        let _ = write!(
            line,
            "\n   {:<20} required documents: {}",
            "",
            wanted.join("; ")
        );
    }
    line
}

/// Runs every applicant and prints each step to `out`. Returns whether every flow
/// ended as the guide says.
pub fn run(out: &mut dyn Write, target: Target) -> io::Result<bool> {
    writeln!(
        out,
        "Jiko onboarding demo (jiko-onboarding {})",
        jiko_onboarding::version()
    )?;
    // Keep the simulator alive for the whole run.
    let mut _sandbox = None;
    let (client, credentials, poll_interval, max_polls) = match target {
        Target::Simulator => {
            let sandbox = jiko_sandbox::Sandbox::start(jiko_sandbox::Config::default())?;
            writeln!(
                out,
                "Target: the local Jiko sandbox simulator at {} (started in-process)",
                sandbox.base_url()
            )?;
            let client = Client::new(
                ClientConfig::BaseUrl(sandbox.base_url()),
                sandbox.config().signing_secret.as_str(),
            )
            .map_err(io::Error::other)?;
            let credentials = Credentials {
                username: sandbox.config().username.clone(),
                password: sandbox.config().password.as_str().into(),
            };
            _sandbox = Some(sandbox);
            (client, credentials, Duration::ZERO, 20)
        }
        Target::Jiko {
            partner,
            username,
            password,
            signing_secret,
        } => {
            let client = Client::new(
                ClientConfig::Hosted {
                    environment: Environment::Sandbox,
                    partner,
                },
                signing_secret,
            )
            .map_err(io::Error::other)?;
            writeln!(out, "Target: Jiko's sandbox at {}", client.base_url())?;
            (
                client,
                Credentials { username, password },
                Duration::from_secs(2),
                60,
            )
        }
    };
    writeln!(
        out,
        "No SSN, name, e-mail, phone number, date of birth or address is ever printed.\n"
    )?;

    let mut onboarder = Onboarder::new(client, credentials);
    onboarder.poll_interval = poll_interval;
    onboarder.max_polls = max_polls;

    let total = APPLICANTS.len();
    let mut passed = 0;
    for (i, applicant) in APPLICANTS.iter().enumerate() {
        writeln!(
            out,
            "== Applicant {}/{total}: {}  [sandbox rule: {} -> {}]",
            i + 1,
            applicant.label,
            applicant.rule,
            applicant.expected
        )?;
        let mut lines = Vec::new();
        let mut saw_documents = false;
        let result = onboarder.onboard(
            &fixtures::applicant(applicant.ssn, &format!("demo{}", i + 1)),
            &jiko_e2e::first_type_as_png,
            &mut |step| {
                if step.status == Some(ApplicationStatus::DocumentsNeeded) {
                    saw_documents = true;
                }
                lines.push(format_step(step));
            },
        );
        for line in &lines {
            writeln!(out, "{line}")?;
        }
        match result {
            Ok(app)
                if app.status.as_str() == applicant.expected
                    && saw_documents == applicant.needs_documents =>
            {
                passed += 1;
                writeln!(out, "   => {}, as the guide says.\n", app.status)?;
            }
            Ok(app) => writeln!(
                out,
                "   => FAILED: ended {}{}, the guide says {}{}.\n",
                app.status,
                if saw_documents {
                    " after documents"
                } else {
                    ""
                },
                applicant.expected,
                if applicant.needs_documents {
                    " after documents"
                } else {
                    ""
                },
            )?,
            Err(e) => writeln!(out, "   => FAILED: {e}\n")?,
        }
    }
    writeln!(
        out,
        "{passed} of {total} flows ended as the guide says ({} HTTP requests).",
        onboarder.requests_sent()
    )?;
    Ok(passed == total)
}
