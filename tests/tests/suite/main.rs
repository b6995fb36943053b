//! The one integration test binary of latipay-tests.

mod alloc;
mod builder;
mod endpoints;
mod fault_server;
mod faults;
mod logging;
mod notifications;
mod properties;
mod request;
mod sandbox;
mod secrets;
mod ui;
mod vectors;
