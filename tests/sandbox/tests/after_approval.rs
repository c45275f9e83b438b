//! What an approval opens: the customer (from the application's data), one open
//! account and one open portal whose routing number passes the ABA check; and the
//! sandbox's Fund Account, which credits the account and sends
//! `transfers.ach.in.success` to subscribers.

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use jiko_sandbox::{Config, Sandbox};
use serde_json::{json, Value};

/// The ABA check, written out here rather than taken from the simulator:
/// 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) is a multiple of 10.
fn aba_valid(routing: &str) -> bool {
    let d: Vec<u32> = routing.chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 9
        && routing.len() == 9
        && (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0
}

/// The customer, account and portal of a fresh approval.
fn approved_chain(api: &Api) -> (Value, Value, Value, Value) {
    let app = decided_application(api, "412345678");
    assert_eq!(app["status"], "APPROVED");
    let customer_id = app["customer_id"].as_str().unwrap();
    let customer = api.get(&format!("/api/v1/customers/{customer_id}/"));
    assert_eq!(customer.status, 200);
    let accounts = api.get(&format!("/api/v1/customers/{customer_id}/jiko-accounts/"));
    assert_eq!(accounts.status, 200);
    let accounts = accounts.json();
    let account = accounts["items"][0].clone();
    let portals = api.get(&format!(
        "/api/v1/jiko-accounts/{}/portals/",
        account["id"].as_str().unwrap()
    ));
    assert_eq!(portals.status, 200);
    (customer.json(), accounts, account, portals.json())
}

#[test]
fn an_approval_opens_a_customer_an_account_and_a_portal() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let api = Api::login(&sandbox);
    let (customer, accounts, account, portals) = approved_chain(&api);

    // The individual, from the application: the date of birth flat, no SSN.
    assert_eq!(
        customer,
        json!({
            "type": "INDIVIDUAL",
            "name": {"first_name": "Jane", "middle_name": "Q", "last_name": "Doe"},
            "email": "jane.doe@example.com",
            "phone_number": "+14155550123",
            "date_of_birth": "1990-04-01",
            "address": {
                "street_address": "1 Main St",
                "street_address2": "Apt 2",
                "city": "Springfield",
                "postal_code": "62701",
                "state": "IL",
                "country": "US"
            },
            "account_status": "OPEN",
            "object_type": "Individual"
        })
    );
    assert!(!customer.to_string().contains("412345678"));

    assert_eq!(
        (accounts["offset"].clone(), accounts["count"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(accounts["object_type"], "List");
    let zero = json!({"value": 0, "currency": "USD", "formatted": "$0.00"});
    assert!(jiko_onboarding::is_uuid(account["id"].as_str().unwrap()));
    assert_eq!(account["name"], "J1 (4-week)");
    assert_eq!(account["status"], "OPEN");
    assert_eq!(account["total_value"], zero);
    assert_eq!(
        account["portfolio"],
        json!({"securities": [], "cash": zero, "all_time_earnings": zero})
    );
    assert_eq!(account["object_type"], "Account");

    assert_eq!(portals["count"], 1);
    assert_eq!(portals["object_type"], "List");
    let portal = &portals["portals"][0];
    assert_eq!(portal["jiko_account_id"], account["id"]);
    assert_eq!(portal["status"], "OPEN");
    assert_eq!(portal["name"], "Default");
    assert_eq!(portal["object_type"], "Portal");
    let routing = portal["routing_number"].as_str().unwrap();
    assert!(aba_valid(routing), "routing number fails the ABA check");
    assert!(jiko_sandbox::aba_routing_number_is_valid(routing));
    let number = portal["account_number"].as_str().unwrap();
    assert!((10..=12).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()));
    println!(
        "portal: routing number *****{}, account number {}{}",
        &routing[5..],
        "*".repeat(number.len() - 4),
        &number[number.len() - 4..]
    );

    // Get Customer Account answers the same account.
    let one = api.get(&format!(
        "/api/v1/jiko-accounts/{}/",
        account["id"].as_str().unwrap()
    ));
    assert_eq!(one.json(), account);
}

#[test]
fn unknown_and_malformed_ids_are_404_and_422() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let api = Api::login(&sandbox);
    let unknown = "0b0e2a9e-3c1d-4e5f-8a6b-7c8d9e0f1a2b";
    for path in [
        format!("/api/v1/customers/{unknown}/"),
        format!("/api/v1/customers/{unknown}/jiko-accounts/"),
        format!("/api/v1/jiko-accounts/{unknown}/"),
        format!("/api/v1/jiko-accounts/{unknown}/portals/"),
    ] {
        let a = api.get(&path);
        assert_eq!(
            (a.status, a.json()),
            (404, json!({"detail": "Not Found"})),
            "{path}"
        );
    }
    for (path, name) in [
        ("/api/v1/customers/42/", "customer_id"),
        ("/api/v1/customers/42/jiko-accounts/", "customer_id"),
        ("/api/v1/jiko-accounts/42/portals/", "account_id"),
    ] {
        let a = api.get(path);
        assert_eq!(a.status, 422, "{path}");
        assert_eq!(a.json()["detail"][0]["loc"], json!(["path", name]));
    }
    // Rejected and manual-review applications open nothing.
    for ssn in ["512345678", "312345678"] {
        let app = decided_application(&api, ssn);
        assert!(app.get("customer_id").is_none_or(Value::is_null), "{ssn}");
    }
}

#[test]
fn account_lists_page_with_offset_and_limit() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let api = Api::login(&sandbox);
    let app = decided_application(&api, "412345678");
    let customer_id = app["customer_id"].as_str().unwrap();
    let base = format!("/api/v1/customers/{customer_id}/jiko-accounts/");
    let page = api.get(&format!("{base}?offset=1&limit=5")).json();
    assert_eq!(
        (page["offset"].clone(), page["count"].clone()),
        (json!(1), json!(0))
    );
    for bad in ["?limit=0", "?limit=101", "?offset=-1", "?limit=x"] {
        let a = api.get(&format!("{base}{bad}"));
        assert_eq!(a.status, 422, "{bad}");
        assert_eq!(a.json()["detail"][0]["loc"][0], "query");
    }
}

#[test]
fn fund_account_credits_the_account_and_sends_ach_events() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let api = Api::login(&sandbox);
    let receiver = Receiver::start(&[]);
    let sub = api.json(
        "POST",
        "/api/v1/subscriptions/",
        &json!({
            "url": receiver.url("/ach"),
            "events": ["transfers.ach.in.success"],
            "shared_secret": "a-shared-secret-of-32-characters"
        }),
    );
    assert_eq!(sub.status, 201);
    let (_, _, account, _) = approved_chain(&api);
    let account_id = account["id"].as_str().unwrap();

    let funded = api.json(
        "POST",
        "/api/v1/sandbox/fund/",
        &json!({"account_id": account_id, "amount_usdc": 12345, "count": 2}),
    );
    assert_eq!((funded.status, funded.body.len()), (202, 0));
    let after = api
        .get(&format!("/api/v1/jiko-accounts/{account_id}/"))
        .json();
    let expected = json!({"value": 24690, "currency": "USD", "formatted": "$246.90"});
    assert_eq!(after["total_value"], expected);
    assert_eq!(after["portfolio"]["cash"], expected);

    let got = receiver.wait_for(2);
    for r in &got {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["event_type"], "transfers.ach.in.success");
        assert_eq!(body["payload"], json!({"jiko_account_id": account_id}));
    }
    let events = api.get("/api/v1/events/").json();
    let ach: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"]["event_type"] == "transfers.ach.in.success")
        .collect();
    assert_eq!(ach.len(), 2);

    // The documented limits, all reported at once; an unknown account is 404.
    let bad = api.json(
        "POST",
        "/api/v1/sandbox/fund/",
        &json!({"amount_usdc": 5_000_000, "count": 10, "company_name": "x".repeat(17)}),
    );
    assert_eq!(bad.status, 422);
    let locs: Vec<Value> = bad.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["loc"].clone())
        .collect();
    assert_eq!(
        locs,
        [
            json!(["body", "account_id"]),
            json!(["body", "amount_usdc"]),
            json!(["body", "count"]),
            json!(["body", "company_name"])
        ]
    );
    for amount in [json!(0), json!(-5), json!("100"), json!(1.5)] {
        let a = api.json(
            "POST",
            "/api/v1/sandbox/fund/",
            &json!({"account_id": account_id, "amount_usdc": amount}),
        );
        assert_eq!(a.status, 422, "{amount}");
    }
    let a = api.json(
        "POST",
        "/api/v1/sandbox/fund/",
        &json!({"account_id": "0b0e2a9e-3c1d-4e5f-8a6b-7c8d9e0f1a2b", "amount_usdc": 1}),
    );
    assert_eq!(a.status, 404);
    // The most a credit may be: 4,999,999 cents, and nine of them.
    let a = api.json(
        "POST",
        "/api/v1/sandbox/fund/",
        &json!({"account_id": account_id, "amount_usdc": 4_999_999, "count": 9, "company_name": "Sixteen chars ok"}),
    );
    assert_eq!(a.status, 202);
    let after = api
        .get(&format!("/api/v1/jiko-accounts/{account_id}/"))
        .json();
    assert_eq!(after["total_value"]["value"], 24690 + 9 * 4_999_999u64);
}
