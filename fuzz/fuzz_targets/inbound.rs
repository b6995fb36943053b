//! Fuzz target `inbound`: notification and redirect parsing and verification from arbitrary bytes.
//! The body is `latipay_tests::fuzz::inbound`, which `cargo test` also runs on the kept corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| latipay_tests::fuzz::inbound(data));
