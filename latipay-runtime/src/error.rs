//! The one error type of the runtime. Every variant says whether the request may have reached
//! Latipay, keeps what Latipay answered (bounded, signatures masked), and never holds the api_key.

use std::fmt;

use latipay_spec::value::ValueError;

use crate::code::Code;

/// Everything that can go wrong preparing, sending or checking a Latipay request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request cannot be signed as it is. Nothing was sent.
    InvalidRequest(InvalidRequest),
    /// The client or the request is configured wrongly (a variable not set, a name the spec
    /// does not have, fields the dynamic signer refused). Nothing was sent.
    Config(String),
    /// Latipay answered with a failure code.
    Api(ApiError),
    /// The request could not be sent, and provably never reached Latipay (connection refused,
    /// DNS), after any retries. Safe to try again.
    Transport {
        /// The endpoint.
        endpoint: &'static str,
        /// What went wrong (no URL: it can carry the signature).
        cause: String,
    },
    /// No answer within the timeout, for a request that is safe to repeat (a query), after any
    /// retries.
    Timeout {
        /// The endpoint.
        endpoint: &'static str,
    },
    /// A create, refund or cancel may have reached Latipay, and no usable answer came back
    /// (timeout, connection lost, 5xx). It was not retried, since Latipay has no idempotency key:
    /// sending it again could charge or refund twice. Query the order to find out what happened.
    Ambiguous {
        /// The endpoint.
        endpoint: &'static str,
        /// The order's merchant_reference, when the request carries one.
        merchant_reference: Option<String>,
        /// What went wrong.
        cause: String,
    },
    /// Something Latipay sent is not signed as it must be.
    Signature(SignatureError),
    /// The answer is not what the endpoint returns (not JSON, HTML error page, wrong shape).
    Decode {
        /// The endpoint.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// What is wrong.
        reason: String,
        /// The start of the body, signatures masked.
        body_excerpt: String,
    },
}

/// Why a request cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The endpoint.
    pub endpoint: &'static str,
    /// The field's wire name (for [`Problem::NoneOf`], the group's first field).
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It is required, and empty or `None`.
    Missing,
    /// Its value is not of the field's type, or zero where the spec says `positive`
    /// ([`ValueError::Zero`]).
    Invalid(ValueError),
    /// No field of this `one_of` group of the endpoint has a value: Latipay needs at least one
    /// (`invoice_id` or `customer_order_id`).
    NoneOf(&'static [&'static str]),
}

/// A failure Latipay reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The endpoint.
    pub endpoint: &'static str,
    /// Latipay's code.
    pub code: Code,
    /// Latipay's English message (empty when the answer has none; `Display` then gives the
    /// code's meaning).
    pub message: String,
    /// Latipay's Chinese message (empty when the answer has none).
    pub message_cn: String,
    /// The HTTP status (Latipay uses 200 for failures too).
    pub status: u16,
    /// The start of the body, signatures masked.
    pub body_excerpt: String,
}

/// What failed when checking a signature Latipay sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureError {
    /// What was being checked: the `transaction` answer, the notification, ...
    pub what: String,
    /// Why it failed: which rule and the message that should have been signed, or what is
    /// missing or given twice.
    pub kind: latipay_spec::inbound::InboundError,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(e) => e.fmt(f),
            Error::Config(why) => write!(f, "configuration error: {why}"),
            Error::Api(e) => e.fmt(f),
            Error::Transport { endpoint, cause } => {
                write!(f, "could not send the `{endpoint}` request: {cause}")
            }
            Error::Timeout { endpoint } => {
                write!(f, "Latipay did not answer the `{endpoint}` request in time")
            }
            Error::Ambiguous {
                endpoint,
                merchant_reference,
                cause,
            } => {
                write!(f, "the `{endpoint}` request ")?;
                if let Some(r) = merchant_reference {
                    write!(f, "for merchant_reference `{r}` ")?;
                }
                write!(
                    f,
                    "may have reached Latipay, but no usable answer came back ({cause}); it was not \
                     sent again, to never charge or refund twice: query the order to reconcile"
                )
            }
            Error::Signature(e) => e.fmt(f),
            Error::Decode {
                endpoint,
                status,
                reason,
                body_excerpt,
            } => write!(
                f,
                "unexpected answer to the `{endpoint}` request (HTTP {status}): {reason}; body starts: {body_excerpt}"
            ),
        }
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::Missing => write!(
                f,
                "invalid `{}` request: required field `{}` is empty",
                self.endpoint, self.field
            ),
            Problem::Invalid(e) => write!(
                f,
                "invalid `{}` request: field `{}`: {e}",
                self.endpoint, self.field
            ),
            Problem::NoneOf(group) => write!(
                f,
                "invalid `{}` request: missing {}: give at least one of them",
                self.endpoint,
                latipay_spec::group_text(group)
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Latipay refused the `{}` request: code {}: {}",
            self.endpoint,
            self.code.as_i64(),
            if self.message.is_empty() {
                self.code.meaning()
            } else {
                &self.message
            }
        )
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} is not signed correctly: {}",
            self.what, self.kind
        )
    }
}

impl std::error::Error for Error {}

/// The error of a signature check of `what`.
pub(crate) fn signature_error(what: &str, kind: latipay_spec::inbound::InboundError) -> Error {
    Error::Signature(SignatureError {
        what: what.to_owned(),
        kind,
    })
}

impl From<InvalidRequest> for Error {
    fn from(e: InvalidRequest) -> Error {
        Error::InvalidRequest(e)
    }
}

impl From<SignatureError> for Error {
    fn from(e: SignatureError) -> Error {
        Error::Signature(e)
    }
}

impl Error {
    /// Latipay's code, for [`Error::Api`].
    pub fn code(&self) -> Option<Code> {
        match self {
            Error::Api(e) => Some(e.code),
            _ => None,
        }
    }

    /// Whether the same request can be sent again without risk of doing it twice.
    pub fn is_safe_to_retry(&self) -> bool {
        matches!(self, Error::Transport { .. } | Error::Timeout { .. })
    }
}

/// At most this many bytes of a body are kept in an error.
pub const EXCERPT_LEN: usize = 512;

/// The start of a body, for errors: bounded, and with every `signature` value masked, since a
/// signature is proof of a request and does not belong in logs.
pub fn excerpt(body: &str) -> String {
    let mut cut = body.len().min(EXCERPT_LEN);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = mask_signatures(&body[..cut]);
    if cut < body.len() {
        out.push('…');
    }
    out
}

fn mask_signatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("signature") {
        let (head, tail) = rest.split_at(i + "signature".len());
        out.push_str(head);
        // Skip `":"`, `=`, spaces and quotes up to the value, then mask hex digits.
        let value_start = tail.find(|c: char| c.is_ascii_hexdigit()).filter(|&j| {
            tail[..j]
                .chars()
                .all(|c| matches!(c, '"' | ':' | '=' | ' '))
        });
        match value_start {
            Some(j) => {
                out.push_str(&tail[..j]);
                let len = tail[j..]
                    .find(|c: char| !c.is_ascii_hexdigit())
                    .unwrap_or(tail.len() - j);
                out.push_str("***");
                rest = &tail[j + len..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_mask_signatures() {
        let body = r#"{"code":0,"nonce":"n","signature":"abcdef0123","x":1}"#;
        assert_eq!(
            excerpt(body),
            r#"{"code":0,"nonce":"n","signature":"***","x":1}"#
        );
        assert_eq!(excerpt("a=1&signature=ff00&b=2"), "a=1&signature=***&b=2");
        let long = "é".repeat(600);
        let e = excerpt(&long);
        assert!(e.len() <= EXCERPT_LEN + '…'.len_utf8() && e.ends_with('…'));
    }
}
