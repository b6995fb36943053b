//! Fuzz target `amount`: Amount parsing against an independent grammar, and its format round trip.
//! The body is `latipay_tests::fuzz::amount`, which `cargo test` also runs on the kept corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| latipay_tests::fuzz::amount(data));
