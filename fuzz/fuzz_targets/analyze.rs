//! A draft, a context and a bundle derived from the draft → analyze, with every invariant
//! (see `preflight_fuzz::analyze`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    preflight_fuzz::analyze(&preflight_fuzz::AnalyzeInput::from_bytes(data));
});
