use std::time::{SystemTime, UNIX_EPOCH};

use jiko_e2e::Http;
use jiko_onboarding::{
    next_action, parse_application, parse_login, CalendarDate, Client, ClientConfig, Error,
    NextAction, WaitReason,
};
use jiko_sandbox::{Config, Sandbox};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The simulator on a free port of 127.0.0.1, in this process. For Jiko:
    // ClientConfig::Hosted { environment: Environment::Sandbox, partner: "acme".into() }.
    let sandbox = Sandbox::start(Config::default())?;
    let config = ClientConfig::BaseUrl(sandbox.base_url());
    let client = Client::new(config, "sandbox-signing-secret")?;
    // Any HTTP client that sends the method, URL, headers and body as prepared and follows
    // no redirect; here the e2e crate's, on ureq.
    let http = Http::new();

    let login = http.send(&client.login("sandbox-user", "sandbox-password")?)?;
    let session = parse_login(login.status, &login.body)?;
    let token = session.token();

    // The core reads no clock: the host passes today (the UTC date is the SDK's default).
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let today = CalendarDate::today_utc(i64::try_from(now)?)?;

    // Every problem at once, with field paths and stable codes, never the values.
    let incomplete = json!({"email": "not an e-mail"});
    match client.create_application_value(token, &incomplete, today, None) {
        Err(Error::Validation(refused)) => {
            for problem in &refused.errors {
                println!("{}: {}", problem.path, problem.code); // email: invalid_email, ...
            }
        }
        _ => return Err("an incomplete application must be refused".into()),
    }

    let applicant = json!({
        "identification_number": "412345678", // the sandbox approves SSNs starting with 4
        "name": {"first_name": "Jamie", "last_name": "Sampleton"},
        "email": "jamie@example.com",
        "phone_number": "+14155550123",
        "date_of_birth": "1985-06-15",
        "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K",
                               "net_worth": "BETWEEN_200K_AND_1M", "occupation": "Engineer"},
        "agreement_consent": {"version": "1.0.0", "timestamp": "2026-01-05T12:00:00+00:00"},
        "address": {"street_address": "1 Testing Lane", "city": "Springfield",
                    "postal_code": "62704", "state": "IL", "country": "US"},
    });
    // Validated, serialized once, signed, with a fresh idempotency key. To retry, resend
    // this same request (same key, same bytes); never prepare it again.
    let create = client.create_application_value(token, &applicant, today, None)?;
    let created = http.send(&create)?.parse(parse_application)?;
    assert_eq!(next_action(&created), NextAction::Apply);

    let apply = client.apply(token, &created.id, None)?;
    let applied = http.send(&apply)?.parse(parse_application)?;
    let reason = WaitReason::KycInProgress;
    assert_eq!(next_action(&applied), NextAction::Wait { reason });

    // Poll (or wait for a webhook) until the outcome; the simulator decides at the first read.
    let read = client.get_application(token, &created.id, None)?;
    let decided = http.send(&read)?.parse(parse_application)?;
    match next_action(&decided) {
        NextAction::Approved { customer_id } => println!("approved: {customer_id:?}"),
        _ => return Err("the sandbox approves SSNs starting with 4".into()),
    }
    Ok(())
}
