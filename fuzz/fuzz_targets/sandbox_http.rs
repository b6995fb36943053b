//! Fuzz target `sandbox_http`: the sandbox's router in process, any request, with its store's
//! invariants checked after each. The body is `latipay_tests::fuzz::sandbox_http`, which
//! `cargo test` also runs on the kept corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| latipay_tests::fuzz::sandbox_http(data));
