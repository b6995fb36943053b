//! The one integration test binary of latipay-tests.

mod alloc;
mod builder;
mod properties;
mod request;
mod secrets;
mod ui;
mod vectors;
