//! Shared set-up of the end-to-end tests: a simulator on a free port and a driver.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiko_e2e::{Client, Credentials, Onboarder, Step};
use jiko_onboarding::{Application, ApplicationStatus, ClientConfig, DocumentType};
use jiko_sandbox::{Config, Sandbox};

pub fn sandbox() -> Sandbox {
    sandbox_with(Config::default())
}

pub fn sandbox_with(config: Config) -> Sandbox {
    Sandbox::start(config).expect("the simulator starts")
}

pub fn client(sandbox: &Sandbox) -> Client {
    Client::new(
        ClientConfig::BaseUrl(sandbox.base_url()),
        sandbox.config().signing_secret.as_str(),
    )
    .expect("client")
}

pub fn onboarder(sandbox: &Sandbox) -> Onboarder {
    Onboarder::new(
        client(sandbox),
        Credentials {
            username: sandbox.config().username.clone(),
            password: sandbox.config().password.as_str().into(),
        },
    )
}

/// A logged-in driver and its token.
pub fn logged_in(sandbox: &Sandbox) -> (Onboarder, String) {
    let mut o = onboarder(sandbox);
    let token = o.token(&mut |_| {}).expect("login");
    (o, token)
}

/// Runs one applicant through onboarding; returns the final application and the steps.
pub fn run_flow(sandbox: &Sandbox, ssn: &str, tag: &str) -> (Application, Vec<Step>) {
    let mut o = onboarder(sandbox);
    let mut steps = Vec::new();
    let app = o
        .onboard(
            &jiko_e2e::fixtures::applicant(ssn, tag),
            &jiko_e2e::first_type_as_png,
            &mut |s| steps.push(s.clone()),
        )
        .unwrap_or_else(|e| panic!("flow {tag} failed: {e}"));
    (app, steps)
}

/// The statuses the application went through, without repeats.
pub fn statuses(steps: &[Step]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in steps {
        if let Some(st) = &s.status {
            if out.last().map(String::as_str) != Some(st.as_str()) {
                out.push(st.to_string());
            }
        }
    }
    out
}

/// The document types uploaded, in order.
pub fn uploads(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter(|s| s.operation == "upload document")
        .filter_map(|s| s.detail.as_deref())
        .filter_map(|d| d.split(' ').next())
        .map(str::to_owned)
        .collect()
}

pub fn doc_types(list: &[DocumentType]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

pub fn status(s: &str) -> ApplicationStatus {
    ApplicationStatus::parse(s)
}
