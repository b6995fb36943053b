//! The one integration test binary of latipay-tests.

mod alloc;
mod browser;
mod builder;
mod enums;
mod fault_proxy;
mod fault_server;
mod faults;
mod fuzz_corpus;
mod hostile_answers;
mod inbound_properties;
mod load;
mod logging;
mod notifications;
mod properties;
mod public_api;
mod publishing;
mod request;
mod sandbox;
mod sandbox_tool;
mod secrets;
mod ui;
mod vectors;
