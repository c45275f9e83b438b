//! The native floor: signing and preparing a Create Application request in Rust.
//!
//! A plain harness (no dependency): warm-up, then alternating batches of the SDK and of a
//! hand-written reference, reporting medians. Prints one JSON object per comparison on
//! stdout for `make bench` to collect. Not a test: nothing here asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use jiko_onboarding::{CalendarDate, Client, ClientConfig, Signer};
use sha2::Sha256;

const SECRET: &str = "bench-shared-secret";
const KEY: &str = "123e4567-e89b-42d3-a456-426614174000";

/// Median nanoseconds per call of `f`, over `reps` batches of `batch` calls.
fn median_ns(reps: usize, batch: usize, f: &mut dyn FnMut()) -> f64 {
    let mut samples = Vec::with_capacity(reps);
    for _ in 0..reps {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        samples.push(start.elapsed().as_nanos() as f64 / batch as f64);
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    samples[samples.len() / 2]
}

fn compare(name: &str, batch: usize, sdk: &mut dyn FnMut(), reference: &mut dyn FnMut()) {
    // Warm-up, then alternate the two sides so drift affects both alike.
    median_ns(3, batch, sdk);
    median_ns(3, batch, reference);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        a.push(median_ns(1, batch, sdk));
        b.push(median_ns(1, batch, reference));
    }
    a.sort_by(|x, y| x.partial_cmp(y).unwrap());
    b.sort_by(|x, y| x.partial_cmp(y).unwrap());
    let (sdk_ns, ref_ns) = (a[a.len() / 2], b[b.len() / 2]);
    println!(
        "{{\"language\":\"rust\",\"name\":\"{name}\",\"sdk_us\":{:.3},\"reference_us\":{:.3},\"ratio\":{:.3}}}",
        sdk_ns / 1000.0,
        ref_ns / 1000.0,
        sdk_ns / ref_ns
    );
}

fn reference_sign(secret: &[u8], key: &str, path: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(key.as_bytes());
    mac.update(path.as_bytes());
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn main() {
    let signer = Signer::new(SECRET).unwrap();
    for (label, size, batch) in [
        ("sign_1kb", 1024usize, 20_000usize),
        ("sign_64kb", 65_536, 300),
    ] {
        let body = vec![b'x'; size];
        compare(
            label,
            batch,
            &mut || {
                black_box(signer.sign(KEY, "/api/v1/applications/", black_box(&body)));
            },
            &mut || {
                black_box(reference_sign(
                    SECRET.as_bytes(),
                    KEY,
                    "/api/v1/applications/",
                    black_box(&body),
                ));
            },
        );
    }

    let client = Client::new(
        ClientConfig::BaseUrl("http://127.0.0.1:8080".into()),
        SECRET,
    )
    .unwrap();
    let today = CalendarDate::parse("2026-11-27").unwrap();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/validation.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let application = doc["cases"][0]["application"].clone();
    compare(
        "create_application",
        5_000,
        &mut || {
            black_box(
                client
                    .create_application_value("token", black_box(&application), today, None)
                    .unwrap(),
            );
        },
        &mut || {
            // Reference: serialize and sign with no validation, as a hand-written client would.
            let body = serde_json::to_vec(black_box(&application)).unwrap();
            let key = jiko_onboarding::new_idempotency_key().unwrap();
            black_box(reference_sign(
                SECRET.as_bytes(),
                &key,
                "/api/v1/applications/",
                &body,
            ));
        },
    );
}
