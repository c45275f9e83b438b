//! The Rust examples of README.md and docs/rust.md, run: each code block there is a file of
//! `examples/`, byte for byte (scripts/check-docs.py compares them), and runs here against
//! the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// The examples, as they are: `run` calls each one's `main`.
mod quickstart {
    include!("../examples/quickstart.rs");

    pub fn run() -> Result<(), Box<dyn std::error::Error>> {
        main()
    }
}
mod sans_io {
    include!("../examples/sans_io.rs");

    pub fn run() -> Result<(), Box<dyn std::error::Error>> {
        main()
    }
}

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jiko_e2e::fixtures;
use jiko_sandbox::{Config, Sandbox};

/// Set in the child process the quickstart test starts: run the quickstart itself.
const CHILD: &str = "JIKO_EXAMPLES_RUN_QUICKSTART";
const QUICKSTART_TEST: &str = "the_quickstart_takes_an_applicant_through_documents_to_approval";

/// The quickstart reads `applicant.json` and one `<TYPE>.png` per document from its working
/// directory and the simulator's URL from `JIKO_BASE_URL`, and prints to stdout: so it runs
/// in a child process (this test binary again, this test only), where all three are set.
#[test]
fn the_quickstart_takes_an_applicant_through_documents_to_approval() {
    if std::env::var_os(CHILD).is_some() {
        quickstart::run().unwrap();
        return;
    }
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let dir = scratch_dir("quickstart");
    // The sample the README points at: SSN 24x, so the ID documents and the
    // identification-number document are asked for, then APPROVED.
    let sample = std::fs::read(example("applicant.json")).unwrap();
    std::fs::write(dir.join("applicant.json"), &sample).unwrap();
    for kind in [
        "ID_FRONT",
        "ID_BACK",
        "SELFIE",
        "PASSPORT",
        "IDENTIFICATION_NUMBER_VERIFICATION",
    ] {
        std::fs::write(dir.join(format!("{kind}.png")), fixtures::PNG_1X1).unwrap();
    }

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            QUICKSTART_TEST,
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("JIKO_BASE_URL", sandbox.base_url())
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // A hang guard, not a timing: the flow's own waits are a few seconds.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the quickstart did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "the quickstart failed:\n{stdout}");

    // One approved line per portal, both numbers masked to their last four digits (the
    // test harness writes its "test ... " prefix on the same line).
    let approved: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.find("approved: ").map(|at| &line[at..]))
        .collect();
    assert_eq!(approved.len(), 1, "{stdout}");
    let words: Vec<&str> = approved[0].split(' ').collect();
    assert_eq!(words.len(), 5, "{}", approved[0]);
    for number in [words[2], words[4]] {
        let (stars, last) = number.split_at(number.len() - 4);
        assert!(
            !stars.is_empty() && stars.chars().all(|c| c == '*'),
            "{number}"
        );
        assert!(last.chars().all(|c| c.is_ascii_digit()), "{number}");
    }
    let applicant: serde_json::Value = serde_json::from_slice(&sample).unwrap();
    for personal in [
        &applicant["identification_number"],
        &applicant["name"]["first_name"],
        &applicant["name"]["last_name"],
        &applicant["email"],
        &applicant["phone_number"],
        &applicant["date_of_birth"],
        &applicant["address"]["street_address"],
        &applicant["address"]["city"],
        &applicant["address"]["postal_code"],
    ] {
        let personal = personal.as_str().unwrap();
        assert!(!stdout.contains(personal), "a personal value in the output");
    }

    // Through the simulator's own counts: one application, approved, four documents sent.
    let stats = sandbox.stats();
    assert_eq!(stats["applications"]["total"], 1);
    assert_eq!(stats["applications"]["by_status"]["APPROVED"], 1);
    let uploads =
        &stats["requests"]["POST /api/v1/applications/{id}/documents/{document_type}/file/"];
    assert_eq!(uploads["200"], 4, "{stats}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_sans_io_example_onboards_by_hand_with_the_core() {
    sans_io::run().unwrap();
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jiko-example-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
