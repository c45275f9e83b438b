//! Shared set-up of the end-to-end tests: a simulator on a free port, a caller for single
//! requests, and the flow driver.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use jiko_e2e::driver::{Credentials as DriverCredentials, Event, Onboarding};
use jiko_e2e::{Caller, Client, Credentials, Journey};
use jiko_onboarding::{
    Application, ApplicationStatus, ClientConfig, DocumentType, FlowState, Operation,
};
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

pub fn caller(sandbox: &Sandbox) -> Caller {
    Caller::new(
        client(sandbox),
        Credentials {
            username: sandbox.config().username.clone(),
            password: sandbox.config().password.as_str().into(),
        },
    )
}

/// A logged-in caller and its token.
pub fn logged_in(sandbox: &Sandbox) -> (Caller, String) {
    let mut o = caller(sandbox);
    let token = o.token().expect("login");
    (o, token)
}

/// The flow driver for this simulator, polling at the simulator's pace.
pub fn onboarding(sandbox: &Sandbox) -> Onboarding {
    let config = sandbox.config();
    Onboarding::new(
        ClientConfig::BaseUrl(sandbox.base_url()),
        DriverCredentials::new(&config.username, &config.password, &config.signing_secret),
    )
    .expect("onboarding")
    .with_flow_config(jiko_e2e::quick_flow_config())
}

/// Runs one applicant through the flow engine to a settled state.
pub fn run_flow(sandbox: &Sandbox, ssn: &str, tag: &str) -> (Application, Journey) {
    let journey = jiko_e2e::journey(
        &onboarding(sandbox),
        &jiko_e2e::fixtures::applicant(ssn, tag),
        Duration::from_secs(5),
    )
    .unwrap_or_else(|e| panic!("flow {tag} failed: {e}"));
    assert_ne!(
        journey.result.state,
        FlowState::Failed,
        "{:?}",
        journey.result.error
    );
    let app = journey.result.application.clone().expect("an application");
    (app, journey)
}

/// The statuses the application went through, in order.
pub fn statuses(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Status(status) => Some(status.to_string()),
            _ => None,
        })
        .collect()
}

/// The document types uploaded, in order.
pub fn uploads(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Sent {
                operation: Operation::UploadDocument,
                document_type: Some(t),
                ..
            } => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

/// How many requests of this operation went out.
pub fn sent(events: &[Event], operation: Operation) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::Sent { operation: o, .. } if *o == operation))
        .count()
}

pub fn doc_types(list: &[DocumentType]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

pub fn status(s: &str) -> ApplicationStatus {
    ApplicationStatus::parse(s)
}
