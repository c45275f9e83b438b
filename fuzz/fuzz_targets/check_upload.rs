//! Upload checks on arbitrary bytes, content types and document types.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let split = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
    let content_type = String::from_utf8_lossy(&rest[..split]);
    let bytes = rest.get(split + 1..).unwrap_or_default();
    let types = jiko_onboarding::DocumentType::ALL;
    let document_type = &types[usize::from(selector) % types.len()];
    let result = jiko_onboarding::check_upload(document_type, &content_type, bytes);
    if bytes.is_empty() {
        assert!(result.is_err());
    }
});
