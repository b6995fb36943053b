//! The one integration test binary of latipay-tests.

mod alloc;
mod builder;
mod fault_proxy;
mod fault_server;
mod faults;
mod fuzz_corpus;
mod inbound_properties;
mod load;
mod logging;
mod notifications;
mod properties;
mod public_api;
mod request;
mod sandbox;
mod secrets;
mod ui;
mod vectors;
