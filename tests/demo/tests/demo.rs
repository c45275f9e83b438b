//! The demo against the in-process simulator: every flow ends as the guide says, each
//! step is printed, and no personal value appears in the output.

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiko_e2e::fixtures;

#[test]
fn the_demo_passes_and_prints_no_personal_value() {
    let mut out = Vec::new();
    let ok = jiko_demo::run(&mut out, jiko_demo::Target::Simulator).unwrap();
    let text = String::from_utf8(out).unwrap();
    println!("{text}");
    assert!(ok, "{text}");
    assert!(text.contains("5 of 5 flows ended as the guide says"));
    for needle in [
        "create_application       POST /api/v1/applications/ -> 201  status CREATED",
        "status SUBMITTED",
        "status DOCUMENTS_NEEDED",
        "required: ID_FRONT; ID_BACK; SELFIE or PASSPORT; IDENTIFICATION_NUMBER_VERIFICATION",
        "required: ADDRESS_VERIFICATION",
        "status PENDING",
        "snapshot stored",
        "resumed in a new Onboarding",
        "[IDENTIFICATION_NUMBER_VERIFICATION] -> 200",
        "list_portals             GET  /api/v1/jiko-accounts/{id}/portals/ -> 200",
        "portal OPEN: routing *****",
        "a person reviews it",
        "=> APPROVED, as the guide says.",
        "=> REJECTED, as the guide says.",
        "=> MANUAL_REVIEW, as the guide says.",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    for i in 1..=5 {
        for ssn in [
            "412345678",
            "512345678",
            "312345678",
            "242345678",
            "231234567",
        ] {
            for value in fixtures::personal_values(ssn, &format!("demo{i}")) {
                assert!(!text.contains(&value), "the output holds a personal value");
            }
        }
    }
    // No token either, and the routing and account numbers only masked.
    assert!(!text.to_lowercase().contains("bearer"));
    for line in text.lines().filter_map(|l| l.split_once("portal OPEN:")) {
        let digits = line
            .1
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| run.len() > 4)
            .count();
        assert_eq!(digits, 0, "an unmasked number: {}", line.1);
    }
}

#[test]
fn the_binary_exits_zero_against_the_simulator() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiko-onboarding-demo"))
        .env_remove("JIKO_PARTNER")
        .env_remove("JIKO_USERNAME")
        .env_remove("JIKO_PASSWORD")
        .env_remove("JIKO_SIGNING_SECRET")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn partial_credentials_are_refused_without_echoing_them() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiko-onboarding-demo"))
        .env("JIKO_PARTNER", "acme")
        .env("JIKO_USERNAME", "someone")
        .env_remove("JIKO_PASSWORD")
        .env("JIKO_SIGNING_SECRET", "very-secret-value")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("JIKO_PASSWORD"));
    assert!(!err.contains("very-secret-value") && !err.contains("someone"));
}
