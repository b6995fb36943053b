//! What Latipay sends to the merchant: the asynchronous notification (a form POST to callback_url,
//! retried about every 30 s until the merchant answers `sent`) and the `return_url` redirect.
//! Both are verified from the raw bytes, by the spec's rule, before anything is read from them.
//!
//! Latipay retries a notification until it is acknowledged, with no limit, and the message has no
//! timestamp: handle it idempotently. Look the order up by `merchant_reference`; if it is already
//! in the notified state, acknowledge again and do nothing else; otherwise check the amount and
//! currency against the stored order ([`Notification::check_order`]), update it, then acknowledge.
//! Acknowledge only after the update is durable, so a crash in between means one more delivery,
//! never a lost one.

use std::borrow::Cow;
use std::fmt;

use latipay_spec::{FormPairs, SigningKey};

use crate::error::{Error, SignatureError};
use crate::{Amount, Credentials};

/// The exact body that acknowledges a notification, with HTTP 200.
pub const ACK_BODY: &str = "sent";

/// The state of a payment, as notifications, queries and redirects report it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    /// Not paid yet.
    Pending,
    /// Paid.
    Paid,
    /// Failed.
    Failed,
    /// Cancelled (`canceled`).
    Canceled,
    /// Rejected.
    Rejected,
    /// The redirect's `cancel_or_fail`.
    CancelOrFail,
    /// A status this crate does not know, kept as sent.
    Other(String),
}

impl From<NotificationRef<'_>> for Notification {
    fn from(n: NotificationRef<'_>) -> Notification {
        Notification {
            merchant_reference: n.merchant_reference.into_owned(),
            payment_method: n.payment_method.into_owned(),
            status: n.status,
            currency: n.currency.into_owned(),
            amount: n.amount.into_owned(),
            order_id: Unsigned(n.order_id.0.into_owned()),
            pay_time: Unsigned(n.pay_time.0.into_owned()),
            extra: n
                .extra
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }
}

impl From<&str> for PaymentStatus {
    fn from(s: &str) -> PaymentStatus {
        match s {
            "pending" => PaymentStatus::Pending,
            "paid" => PaymentStatus::Paid,
            "failed" => PaymentStatus::Failed,
            "canceled" => PaymentStatus::Canceled,
            "rejected" => PaymentStatus::Rejected,
            "cancel_or_fail" => PaymentStatus::CancelOrFail,
            other => PaymentStatus::Other(other.to_owned()),
        }
    }
}

impl PaymentStatus {
    /// The status as Latipay writes it.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::CancelOrFail => "cancel_or_fail",
            PaymentStatus::Other(s) => s,
        }
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value Latipay sends but does not sign: anyone could have changed it. Use it for display and
/// reconciliation, never to decide what was paid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unsigned<T>(T);

impl<T> Unsigned<T> {
    /// The value, which the signature does not cover.
    pub fn unverified(&self) -> &T {
        &self.0
    }
}

/// A verified asynchronous payment notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The merchant's reference (signed).
    pub merchant_reference: String,
    /// `alipay`, `wechat`, ... (signed).
    pub payment_method: String,
    /// The payment's state (signed).
    pub status: PaymentStatus,
    /// Currency (signed).
    pub currency: String,
    /// The amount exactly as sent (signed as text).
    pub amount: String,
    /// Latipay's order id (not signed).
    pub order_id: Unsigned<String>,
    /// When it was paid (not signed).
    pub pay_time: Unsigned<String>,
    /// Every other field, in the order received (not signed): `amount_cny`, `rate`, ...
    pub extra: Vec<(String, String)>,
}

/// A verified `return_url` redirect. Do not fulfil an order on it: the docs say to confirm
/// through the notification or the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The merchant's reference (signed).
    pub merchant_reference: String,
    /// `alipay`, `wechat`, ... (signed).
    pub payment_method: String,
    /// `paid` or `cancel_or_fail` (signed).
    pub status: PaymentStatus,
    /// Currency (signed).
    pub currency: String,
    /// The amount exactly as sent (signed as text).
    pub amount: String,
}

/// Why a verified notification does not match the merchant's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderMismatch {
    /// The amounts differ (or the notification's is not an amount).
    Amount {
        /// The order's amount.
        expected: Amount,
        /// The notification's amount text.
        received: String,
    },
    /// The currencies differ.
    Currency {
        /// The order's currency.
        expected: String,
        /// The notification's currency.
        received: String,
    },
}

impl fmt::Display for OrderMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderMismatch::Amount { expected, received } => {
                write!(
                    f,
                    "the notification is for {received}, the order is for {expected}"
                )
            }
            OrderMismatch::Currency { expected, received } => {
                write!(
                    f,
                    "the notification is in {received}, the order is in {expected}"
                )
            }
        }
    }
}

impl std::error::Error for OrderMismatch {}

fn verify<'a>(what: &'static str, raw: &'a [u8], key: &SigningKey) -> Result<FormPairs<'a>, Error> {
    let inbound = latipay_spec::builtin()
        .inbound(what)
        .unwrap_or_else(|| unreachable!("the built-in spec has the `{what}` message"));
    let fail = |reason: String| {
        Error::Signature(SignatureError {
            what: what.to_owned(),
            reason,
        })
    };
    let form = FormPairs::parse(raw).map_err(|e| fail(e.to_string()))?;
    form.check(inbound, key).map_err(|e| fail(e.to_string()))?;
    Ok(form)
}

fn take(form: &FormPairs<'_>, name: &str) -> String {
    form.get(name).unwrap_or_default().to_owned()
}

/// A verified notification that borrows from the body it was read from: the same checks as
/// [`Notification::verify`], without copying a value that needs no decoding. For handlers that
/// only look the order up and compare, this is the whole cost of a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRef<'a> {
    /// The merchant's reference (signed).
    pub merchant_reference: Cow<'a, str>,
    /// `alipay`, `wechat`, ... (signed).
    pub payment_method: Cow<'a, str>,
    /// The payment's state (signed).
    pub status: PaymentStatus,
    /// Currency (signed).
    pub currency: Cow<'a, str>,
    /// The amount exactly as sent (signed as text).
    pub amount: Cow<'a, str>,
    /// Latipay's order id (not signed).
    pub order_id: Unsigned<Cow<'a, str>>,
    /// When it was paid (not signed).
    pub pay_time: Unsigned<Cow<'a, str>>,
    /// Every other field, in the order received (not signed): `amount_cny`, `rate`, ...
    pub extra: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> NotificationRef<'a> {
    /// Verifies a notification from the raw `application/x-www-form-urlencoded` body, as received,
    /// and reads it. Anything unsigned, tampered with, incomplete or not form-encoded is an error.
    pub fn verify(
        raw_body: &'a [u8],
        credentials: &Credentials,
    ) -> Result<NotificationRef<'a>, Error> {
        let form = verify("notification", raw_body, credentials.signing_key())?;
        let mut n = NotificationRef {
            merchant_reference: Cow::Borrowed(""),
            payment_method: Cow::Borrowed(""),
            status: PaymentStatus::Other(String::new()),
            currency: Cow::Borrowed(""),
            amount: Cow::Borrowed(""),
            order_id: Unsigned(Cow::Borrowed("")),
            pay_time: Unsigned(Cow::Borrowed("")),
            extra: Vec::new(),
        };
        // Verification refused repeated signed fields, so each is taken once; values are moved,
        // and the form's own vector keeps the extras.
        let mut pairs = form.into_borrowed_pairs();
        pairs.retain_mut(|(name, value)| {
            let slot = match name.as_ref() {
                "merchant_reference" => &mut n.merchant_reference,
                "payment_method" => &mut n.payment_method,
                "currency" => &mut n.currency,
                "amount" => &mut n.amount,
                "order_id" if n.order_id.0.is_empty() => &mut n.order_id.0,
                "pay_time" if n.pay_time.0.is_empty() => &mut n.pay_time.0,
                "status" => {
                    n.status = PaymentStatus::from(value.as_ref());
                    return false;
                }
                "signature" => return false,
                _ => return true,
            };
            *slot = std::mem::take(value);
            false
        });
        n.extra = pairs;
        Ok(n)
    }

    /// The amount as money.
    pub fn amount(&self) -> Result<Amount, crate::AmountError> {
        Amount::parse(&self.amount)
    }

    /// Checks the signed amount and currency against the order the merchant stored; see
    /// [`Notification::check_order`].
    pub fn check_order(&self, amount: Amount, currency: &str) -> Result<(), OrderMismatch> {
        check_order(&self.amount, &self.currency, amount, currency)
    }
}

fn check_order(
    received_amount: &str,
    received_currency: &str,
    amount: Amount,
    currency: &str,
) -> Result<(), OrderMismatch> {
    if Amount::parse(received_amount).ok() != Some(amount) {
        return Err(OrderMismatch::Amount {
            expected: amount,
            received: received_amount.to_owned(),
        });
    }
    if !received_currency.eq_ignore_ascii_case(currency) {
        return Err(OrderMismatch::Currency {
            expected: currency.to_owned(),
            received: received_currency.to_owned(),
        });
    }
    Ok(())
}

impl Notification {
    /// Verifies a notification from the raw `application/x-www-form-urlencoded` body, as received,
    /// and reads it. Anything unsigned, tampered with, incomplete or not form-encoded is an error.
    /// [`NotificationRef::verify`] does the same without copying the values.
    pub fn verify(raw_body: &[u8], credentials: &Credentials) -> Result<Notification, Error> {
        NotificationRef::verify(raw_body, credentials).map(Notification::from)
    }

    /// The amount as money.
    pub fn amount(&self) -> Result<Amount, crate::AmountError> {
        Amount::parse(&self.amount)
    }

    /// Checks the signed amount and currency against the order the merchant stored: a valid
    /// signature proves Latipay sent it, not that it is for this order's amount.
    pub fn check_order(&self, amount: Amount, currency: &str) -> Result<(), OrderMismatch> {
        check_order(&self.amount, &self.currency, amount, currency)
    }

    /// The answer that stops Latipay's retries: HTTP 200 with the body `sent`.
    pub fn ack() -> (u16, &'static str) {
        (200, ACK_BODY)
    }
}

impl Redirect {
    /// Verifies the redirect from the raw query string of the `return_url` request.
    pub fn verify(raw_query: &str, credentials: &Credentials) -> Result<Redirect, Error> {
        let form = verify("redirect", raw_query.as_bytes(), credentials.signing_key())?;
        Ok(Redirect {
            merchant_reference: take(&form, "merchant_reference"),
            payment_method: take(&form, "payment_method"),
            status: PaymentStatus::from(form.get("status").unwrap_or_default()),
            currency: take(&form, "currency"),
            amount: take(&form, "amount"),
        })
    }
}
