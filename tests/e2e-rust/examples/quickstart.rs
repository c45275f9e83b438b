use std::{env, fs, time::Duration};

use jiko_e2e::driver::{Credentials, Onboarding};
use jiko_onboarding::{mask_number, ClientConfig, FlowState};
use serde_json::from_slice;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let login = Credentials::new("sandbox-user", "sandbox-password", "sandbox-signing-secret");
    let onboarding = Onboarding::new(ClientConfig::BaseUrl(env::var("JIKO_BASE_URL")?), login)?;
    let mut flow = onboarding.start(&from_slice(&fs::read("applicant.json")?)?, None)?; // validates
    let mut result = flow.run(Duration::from_secs(60)); // log in, agreements, create, apply, poll
    while result.state == FlowState::DocumentsNeeded {
        for kind in result.requirements.iter().map(|r| &r.one_of[0]) {
            flow.provide_document(kind.clone(), "image/png", fs::read(format!("{kind}.png"))?)?;
        }
        result = flow.run(Duration::from_secs(60));
    }
    let customer = result.customer.ok_or(result.state.as_str())?; // rejected, waiting or failed
    for portal in customer.accounts.iter().flat_map(|a| &a.portals) {
        let masked = [&portal.routing_number, &portal.account_number].map(|n| mask_number(n));
        println!("approved: routing {} account {}", masked[0], masked[1]);
    }
    Ok(())
}
