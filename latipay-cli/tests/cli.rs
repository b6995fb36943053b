//! Black-box tests of the built `latipay` binary: every vector of latipay-api.md through `sign`
//! and `verify`, `call` against Latipay's documented answers and the sandbox, tampering, usage
//! errors and exit codes, `spec check`, and `sandbox`.

mod cli {
    mod call;
    pub mod common;
    mod durable;
    mod misc;
    pub mod net;
    mod sandbox;
    mod secrets;
    mod sign;
    mod verify;
}
