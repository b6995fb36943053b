//! A local, spec-driven Latipay: the sandbox behind `latipay sandbox`, and a library for tests.
//!
//! It plays every endpoint of `spec/latipay.yaml` over real HTTP: it checks requests as Latipay
//! does (codes 204, 207, 205, 450, 206, with Latipay's `{code, message, messageCN}` body and
//! HTTP 200), keeps orders, refunds and invoices, answers with signed responses, and delivers
//! signed notifications, retried until the merchant answers `sent`. A test plays the customer
//! with [`Sandbox::pay`], [`Sandbox::fail`], [`Sandbox::cancel`] and [`Sandbox::pay_invoice`],
//! and waits for the notification's delivery with [`Sandbox::wait_for_notification`]; the admin
//! routes under `/sandbox` do the same over HTTP, and magic amounts ([`MAGIC_AMOUNTS`]) without
//! any call. See README.md.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use latipay_sandbox::{Config, Sandbox};
//!
//! let sandbox = Sandbox::start(Config::ephemeral()).await?;
//! println!("Latipay is at {}", sandbox.url());
//! // ... the merchant's client creates the order `order-1` ...
//! sandbox.pay("order-1").expect("a pending order");
//! let delivery = sandbox
//!     .wait_for_notification("order-1", std::time::Duration::from_secs(5))
//!     .await
//!     .expect("delivered or given up");
//! println!("{} attempt(s), {:?}", delivery.attempts.len(), delivery.state);
//! sandbox.shutdown().await
//! # }
//! ```

// Beneath everything: configuration, the code table, ids, magic amounts, QR codes.
mod codes;
mod config;
mod ids;
mod magic;
mod qr;
// What is remembered: the records, their SQLite file, the store that changes and saves them.
mod persist;
mod records;
pub mod state;
// The shared context, requests checked and answers built from the spec, the order life cycle.
mod answer;
mod app;
mod check;
mod lifecycle;
// Driving it as the customer does: the admin routes and a merchant's test alike.
mod control;
// The HTTP side: handlers by endpoint group, the router and the server.
mod handlers;
mod server;
// The sandbox as a test tool: its methods for a merchant's tests, and the same without a runtime.
mod blocking;
mod tool;

// Hooks for this workspace's fuzzers and tests: hidden, not part of the API.
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use blocking::BlockingSandbox;
pub use config::{
    Config, DEFAULT_API_KEY, DEFAULT_USER_ID, DEFAULT_WALLET_ID, User, UserSyntaxError, Wallet,
    parse_duration,
};
pub use control::ControlError;
/// What is wrong with a spec file given to [`Config::add_spec_file`].
pub use latipay_spec::SpecErrors;
pub use magic::{MAGIC_AMOUNTS, Magic};
pub use persist::{SCHEMA_VERSION, StateError};
pub use server::Sandbox;
