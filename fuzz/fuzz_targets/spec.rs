//! Fuzz target `spec`: the YAML spec parser and validator, and the dynamic signer of what validates.
//! The body is `latipay_tests::fuzz::spec`, which `cargo test` also runs on the kept corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| latipay_tests::fuzz::spec(data));
