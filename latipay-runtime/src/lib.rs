//! The runtime of latipay-rs: what merchants and generated code call.
//!
//! Derive [`LatipaySigned`] on your own order struct, naming the Latipay endpoint; the compiler
//! checks the struct against the Latipay spec and generates its signing code (and, with `builder`, a typed builder).
//!
//! ```
//! use latipay_runtime::{Amount, Credentials, LatipaySigned};
//!
//! #[derive(LatipaySigned)]
//! #[latipay(endpoint = "minialipay", builder)]
//! struct MiniOrder {
//!     amount: Amount,
//!     callback_url: String,
//!     #[latipay(rename = "merchant_reference")]
//!     order_ref: String,
//!     ip: std::net::Ipv4Addr,
//!     product_name: String,
//! }
//!
//! let credentials = Credentials::new("U000334333", "W00000001", "111222333");
//! let order = MiniOrder::builder()
//!     .amount(Amount::from_cents(12000))
//!     .callback_url("https://merchantsite.com/confirm")
//!     .order_ref("dsi39ej430sks03")
//!     .ip([122, 122, 122, 1])
//!     .product_name("Pinot Noir, Otago")
//!     .build();
//! assert_eq!(
//!     order.sign(&credentials).unwrap(),
//!     "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07"
//! );
//! ```

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "client")]
mod client;
#[rustfmt::skip] // written by its generator (see `response/tests.rs`)
mod code;
mod credentials;
mod enums;
mod error;
mod notification;
mod params;
#[rustfmt::skip] // written by its generator (see `response/tests.rs`)
pub mod request;
pub mod response;
mod signed;
mod trade_pay;
pub mod types;
mod wire;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
// The typed builder's states and bounds, named in compile errors: re-exported here, hidden, so
// that rustc names them without `__private`. Not part of the API.
#[doc(hidden)]
pub use __private::{Money, Set, Unset};

// The public API is what a merchant writes or reads; `api/latipay-runtime.txt` lists it, and a
// test fails when it changes without that file. What generated code needs is in `__private`.
#[cfg(feature = "client")]
pub use client::{
    Client, ClientBuilder, EnvError, Environment, ParseEnvironmentError, RetryPolicy, SendOptions,
};
pub use code::Code;
pub use credentials::Credentials;
pub use enums::LatipayEnum;
pub use error::{ApiError, Error, InvalidRequest, Problem, SignatureError};
/// The derives (feature `derive`, on by default): one dependency for merchants.
#[cfg(feature = "derive")]
pub use latipay_derive::{LatipayEnum, LatipaySigned};
pub use latipay_spec::inbound::InboundError;
pub use latipay_spec::value::ValueError;
pub use latipay_spec::{Amount, AmountError, HttpRequest, Method, Signature};
pub use notification::{
    ACK_BODY, Notification, NotificationRef, OrderMismatch, Redirect, Transition, Unsigned,
};
pub use signed::LatipaySigned;
pub use trade_pay::{ParseTradePayResultError, TradePayResult};
