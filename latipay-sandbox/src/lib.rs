//! A local, spec-driven Latipay: the sandbox behind `latipay sandbox`, and a library for tests.
//!
//! It plays every endpoint of `spec/latipay.yaml` over real HTTP: it checks requests as Latipay
//! does (codes 204, 207, 205, 450, 206, with Latipay's `{code, message, messageCN}` body and
//! HTTP 200), keeps orders, refunds and invoices, answers with signed responses, and delivers
//! signed notifications, retried until the merchant answers `sent`. Customers are simulated with
//! the admin routes under `/sandbox` or with magic amounts ([`MAGIC_AMOUNTS`]). See README.md.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use latipay_sandbox::{Config, Sandbox};
//!
//! let sandbox = Sandbox::start(Config::ephemeral()).await?;
//! println!("Latipay is at {}", sandbox.url());
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
// The HTTP side: handlers by endpoint group, the router and the server.
mod handlers;
mod server;

pub use config::{
    Config, DEFAULT_API_KEY, DEFAULT_USER_ID, DEFAULT_WALLET_ID, User, UserSyntaxError, Wallet,
    parse_duration,
};
pub use magic::{MAGIC_AMOUNTS, Magic};
pub use persist::{SCHEMA_VERSION, StateError};
pub use server::Sandbox;
