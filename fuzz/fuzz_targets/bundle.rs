//! Bundle JSON → validate, load, run its examples (see `preflight_fuzz::bundle`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| preflight_fuzz::bundle(data));
