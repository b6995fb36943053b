//! The sandbox over real HTTP on 127.0.0.1: request checks and error codes, the order lifecycle,
//! notification delivery and retries, concurrency, response shapes (every answer against its
//! model in the spec), the hosted payment page and malformed input.

mod sandbox {
    pub mod common;
    mod concurrency;
    mod durable;
    mod errors;
    mod faults;
    mod lifecycle;
    mod models;
    mod notify;
    mod page;
    mod responses;
    mod robustness;
    mod secrets;
}
