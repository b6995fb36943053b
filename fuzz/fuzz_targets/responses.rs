//! Fuzz target `responses`: every response decoder, and the client's decode path, from arbitrary bytes.
//! The body is `latipay_tests::fuzz::responses`, which `cargo test` also runs on the kept corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| latipay_tests::fuzz::responses(data));
