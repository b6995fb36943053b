//! What Latipay answers, as typed values. The types in [`models`](self) are generated from the
//! spec's `models:` (see `spec/README.md`), so the spec is the one place that says what an answer
//! holds; this module holds what they share: how a member is read, and the few methods that
//! compute something from an answer.
//!
//! The client checks `code`, then the answer's signature (where Latipay signs it, with the rule
//! the spec declares), and only then decodes: a value of these types is a success, verified.
//! Amounts keep the exact text received (`120.00` stays `120.00`), nested objects the server's key
//! order, and members the spec does not declare are kept in each type's `extra`.

use std::fmt;

use latipay_spec::SigningKey;
pub use latipay_spec::inbound::RawObject;
use latipay_spec::inbound::{InboundError, kind_of, text_of};
use serde_json::value::RawValue;

pub use crate::params::Params;

// Formatted by the generator (prettyplease), not by rustfmt: the test compares it byte for byte.
#[rustfmt::skip]
mod models;
pub use models::*;

/// An answer (or a nested object of one) that can be verified and decoded from its members.
/// Implemented by the generated types: the built-in ones here, a merchant's own model by the
/// derive.
pub trait Decode: Sized {
    /// The spec's name for the model.
    const MODEL: &'static str;

    /// The value from the members received; the error names the member that is missing or of the
    /// wrong kind.
    fn decode(object: &RawObject) -> Result<Self, DecodeError>;

    /// Checks the signatures the spec declares for the model and its nested objects. Called by
    /// the client (and [`verify_and_decode`]) before decoding; plumbing, not for merchants.
    #[doc(hidden)]
    fn verify(object: &RawObject, key: &SigningKey) -> Result<(), InboundError>;
}

/// Reading one member's JSON value into a Rust value: the types a model's members have.
pub trait FromJson: Sized {
    /// The value from the member's raw JSON; the error says what was found instead.
    fn from_json(raw: &RawValue) -> Result<Self, String>;

    /// The value when the member is absent: `None` unless the type is an `Option`.
    fn absent() -> Option<Self> {
        None
    }
}

/// Why a successful answer could not be read into its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The member, with its path for a nested one (`data.amount`).
    pub member: String,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.member, self.problem)
    }
}

impl std::error::Error for DecodeError {}

/// A number or amount exactly as Latipay wrote it, whether a JSON string or a JSON number:
/// `120.00` stays `120.00` (signatures cover that text; a float would make it `120`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AmountText(String);

impl AmountText {
    /// A text as received.
    pub fn new(text: impl Into<String>) -> AmountText {
        AmountText(text.into())
    }

    /// The text, exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as money (at most two decimals).
    pub fn to_amount(&self) -> Result<crate::Amount, crate::AmountError> {
        crate::Amount::parse(&self.0)
    }
}

impl fmt::Display for AmountText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for AmountText {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for AmountText {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

fn found(raw: &RawValue, expected: &str) -> String {
    format!("is {}, not {expected}", kind_of(raw))
}

impl FromJson for String {
    /// A string's content; a number is read as its text (Latipay writes some ids as numbers).
    fn from_json(raw: &RawValue) -> Result<String, String> {
        match raw.get().as_bytes().first() {
            Some(b'"' | b'-' | b'0'..=b'9') => text_of(raw)
                .map(|t| t.into_owned())
                .ok_or_else(|| "is not a valid string".to_owned()),
            _ => Err(found(raw, "a text")),
        }
    }
}

impl FromJson for i64 {
    /// A whole JSON number, or a string of one.
    fn from_json(raw: &RawValue) -> Result<i64, String> {
        match raw.get().as_bytes().first() {
            Some(b'"' | b'-' | b'0'..=b'9') => text_of(raw)
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| format!("is {}, not a whole number", raw.get())),
            _ => Err(found(raw, "a whole number")),
        }
    }
}

impl FromJson for bool {
    fn from_json(raw: &RawValue) -> Result<bool, String> {
        match raw.get() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(found(raw, "true or false")),
        }
    }
}

impl FromJson for AmountText {
    /// A JSON number's raw text, or a string whose content is a decimal number.
    fn from_json(raw: &RawValue) -> Result<AmountText, String> {
        let text = match raw.get().as_bytes().first() {
            Some(b'"' | b'-' | b'0'..=b'9') => text_of(raw).map(|t| t.into_owned()),
            _ => None,
        };
        match text {
            Some(t) if is_json_number(&t) => Ok(AmountText(t)),
            Some(t) => Err(format!("is `{t}`, not a decimal number")),
            None => Err(found(raw, "a number")),
        }
    }
}

/// Whether `t` is written as a JSON number (`120.00`, `-1`, `1e3`): an amount sent as a string
/// is held to the same syntax as one sent as a number.
fn is_json_number(t: &str) -> bool {
    serde_json::from_str::<&RawValue>(t)
        .is_ok_and(|raw| matches!(raw.get().as_bytes().first(), Some(b'-' | b'0'..=b'9')))
}

impl FromJson for Params {
    fn from_json(raw: &RawValue) -> Result<Params, String> {
        match raw.get().as_bytes().first() {
            Some(b'{') => Params::from_json_object(raw.get()),
            _ => Err(found(raw, "an object")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(raw: &RawValue) -> Result<Vec<T>, String> {
        let items: Vec<Box<RawValue>> =
            serde_json::from_str(raw.get()).map_err(|_| found(raw, "a list"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(item).map_err(|e| format!("item {i} {e}")))
            .collect()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    /// `null` is `None`.
    fn from_json(raw: &RawValue) -> Result<Option<T>, String> {
        if raw.get() == "null" {
            Ok(None)
        } else {
            T::from_json(raw).map(Some)
        }
    }

    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

impl Transaction {
    /// The payment page: `{host_url}/{nonce}`.
    pub fn payment_url(&self) -> String {
        format!("{}/{}", self.host_url.trim_end_matches('/'), self.nonce)
    }
}

impl Minialipay {
    /// The `orderStr` for `my.tradePay`: `gatewaydata` joined as `key=value&...` in the server's
    /// order, exactly as Latipay's JavaScript example builds it.
    pub fn order_str(&self) -> String {
        self.gatewaydata.join()
    }

    /// Latipay's order id (`paydata.orderId`).
    pub fn order_id(&self) -> Option<&str> {
        self.paydata.get("orderId")
    }
}

/// Reads a whole answer's JSON text into `T` after verifying it with the credentials' api_key:
/// what the client does once `code` is 0, for an answer stored earlier, fixtures and tests.
pub fn verify_and_decode<T: Decode>(
    json: &str,
    credentials: &crate::Credentials,
) -> Result<T, crate::Error> {
    let key = credentials.signing_key();
    let object = RawObject::parse(json).map_err(|e| crate::Error::Decode {
        endpoint: T::MODEL,
        status: 200,
        reason: e.0,
        body_excerpt: crate::error::excerpt(json),
    })?;
    T::verify(&object, key).map_err(|e| crate::error::signature_error(T::MODEL, e))?;
    T::decode(&object).map_err(|e| crate::Error::Decode {
        endpoint: T::MODEL,
        status: 200,
        reason: e.to_string(),
        body_excerpt: crate::error::excerpt(json),
    })
}

#[cfg(test)]
mod tests;
