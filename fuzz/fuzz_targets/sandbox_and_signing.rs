//! Sandbox scenarios on arbitrary SSNs, and sign/verify on arbitrary parts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let scenario = jiko_onboarding::sandbox_scenario(&text);
    assert_eq!(
        scenario.status_after_documents.is_some(),
        text.starts_with('2')
    );
    let mut parts = data.splitn(3, |b| *b == b'|');
    let secret = parts.next().unwrap_or_default();
    let key = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();
    if let Ok(signer) = jiko_onboarding::Signer::new(secret.to_vec()) {
        let signature = signer.sign(&key, "/api/v1/applications/", body);
        assert!(signer.verify(&key, "/api/v1/applications/", body, &signature));
        assert!(!signer.verify(&key, "/api/v1/applications/", body, &text));
    }
});
