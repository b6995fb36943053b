//! What Latipay sends to the merchant: the asynchronous notification (a form POST to callback_url,
//! retried about every 30 s until the merchant answers `sent`) and the `return_url` redirect.
//! Both are verified from the raw bytes, by the spec's rule, before anything is read from them.
//!
//! Latipay retries a notification until it is acknowledged, with no limit, and the message has no
//! timestamp: deliveries repeat and may arrive out of order (a retried `pending` after `paid`).
//! Look the order up by `merchant_reference` and ask [`Notification::transition`] what to do: it
//! checks the amount and currency against the stored order ([`Notification::check_order`]), then
//! allows only a forward step of the order's life (from `pending` to a final status) and says
//! when a repeat changes nothing or when a person must look. Acknowledge only after an update is
//! durable, so a crash in between means one more delivery, never a lost one.

use std::borrow::Cow;
use std::fmt;

use std::sync::OnceLock;

use latipay_spec::inbound::FormPairs;
use latipay_spec::{Inbound, ModelType, SigningKey, SigningRule};

use crate::error::{Error, signature_error};
use crate::response::PaymentStatus;
use crate::{Amount, Credentials};

/// The exact body that acknowledges a notification, with HTTP 200.
pub const ACK_BODY: &str = "sent";

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
    /// Latipay's order id (not signed; `None` when not sent).
    pub order_id: Unsigned<Option<String>>,
    /// When it was paid (not signed; `None` when not sent).
    pub pay_time: Unsigned<Option<String>>,
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

/// What a verified notification does to the merchant's stored order: the answer of
/// [`Notification::transition`], given after the amount and currency matched.
///
/// An order's life, as the spec declares the notification's statuses: it starts `pending` and
/// moves once to a final status (`paid`, `failed`, `canceled`, `rejected`). Deliveries repeat and
/// may come out of order, so only that one forward step is applied: a replayed or late `pending`
/// never overwrites `paid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// A forward step: store this status on the order, durably, then acknowledge.
    Apply(PaymentStatus),
    /// Nothing to change: the order already has this status (a repeated delivery), or the
    /// notification says `pending` about an order that has moved on (a late one). Acknowledge.
    Unchanged,
    /// Latipay reports what no forward step explains: another final status for an order that is
    /// already final (the merchant cancelled it, then the customer paid at the last moment), or a
    /// status the spec does not declare. Change nothing on your own: keep the notification for a
    /// person to reconcile (refund or fulfil), then acknowledge.
    Review {
        /// The order's status as stored.
        stored: PaymentStatus,
        /// The status the notification reports.
        received: PaymentStatus,
    },
}

/// The statuses the built-in spec declares for the notification, in its order: an order starts
/// in the first (`pending`), and each of the others is final. Looked up once.
fn lifecycle() -> &'static [String] {
    static STATUSES: OnceLock<&'static [String]> = OnceLock::new();
    STATUSES.get_or_init(|| {
        let model = &inbound("notification").model;
        let statuses = latipay_spec::builtin()
            .model(model)
            .and_then(|m| m.field("status"))
            .map(|f| &f.ty);
        match statuses {
            Some(ModelType::Enum(values)) if values.len() > 1 => values,
            // A test checks this; a spec edited otherwise is a bug here, not bad input.
            other => unreachable!(
                "the built-in `{model}` model declares `status` as an enum with a first \
                 (initial) value and final ones, not {other:?}"
            ),
        }
    })
}

/// The step from `stored` to `received`, by [`lifecycle`]: see [`Transition`].
fn transition(stored: &PaymentStatus, received: &PaymentStatus) -> Transition {
    let statuses = lifecycle();
    let declared = |s: &PaymentStatus| statuses.iter().any(|d| d == s.as_str());
    let initial = |s: &PaymentStatus| statuses[0] == s.as_str();
    if !declared(received) {
        Transition::Review {
            stored: stored.clone(),
            received: received.clone(),
        }
    } else if received == stored || initial(received) {
        Transition::Unchanged
    } else if initial(stored) {
        Transition::Apply(received.clone())
    } else {
        // The stored status is final, or one the spec does not declare: never overwritten.
        Transition::Review {
            stored: stored.clone(),
            received: received.clone(),
        }
    }
}

/// The fields the notification's and the redirect's rule must sign: what [`Notification`] and
/// [`Redirect`] read as signed.
const SIGNED: [&str; 5] = [
    "merchant_reference",
    "payment_method",
    "status",
    "currency",
    "amount",
];

/// The built-in spec's description of an inbound message (`notification` or `redirect`), both
/// looked up once. Each is checked then to sign every field of [`SIGNED`], so that a verified
/// message has each of them exactly once and not empty: verification refuses a message where a
/// signed field is absent, empty or repeated.
fn inbound(what: &'static str) -> &'static Inbound {
    static INBOUND: OnceLock<[&'static Inbound; 2]> = OnceLock::new();
    let [notification, redirect] = INBOUND.get_or_init(|| {
        ["notification", "redirect"].map(|name| {
            let inbound = latipay_spec::builtin()
                .inbound(name)
                .unwrap_or_else(|| unreachable!("the built-in spec has the `{name}` message"));
            // A test checks this; a spec edited otherwise is a bug here, not bad input.
            let unsigned = unsigned_of(inbound);
            assert!(
                unsigned.is_empty(),
                "the built-in `{name}` rule does not sign {unsigned:?}"
            );
            inbound
        })
    });
    match what {
        "notification" => notification,
        "redirect" => redirect,
        other => unreachable!("`{other}` is not an inbound message of the built-in spec"),
    }
}

/// The fields of [`SIGNED`] that `inbound`'s rule does not sign.
fn unsigned_of(inbound: &Inbound) -> Vec<&'static str> {
    let signed: &[String] = match &inbound.signature {
        SigningRule::Concat { fields, .. } => fields,
        SigningRule::SortedJoin => &[],
    };
    SIGNED
        .into_iter()
        .filter(|name| !signed.iter().any(|s| s == name))
        .collect()
}

fn verify<'a>(what: &'static str, raw: &'a [u8], key: &SigningKey) -> Result<FormPairs<'a>, Error> {
    let form = FormPairs::parse(raw).map_err(|e| signature_error(what, e))?;
    latipay_spec::inbound::check(&inbound(what).signature, &form, key)
        .map_err(|e| signature_error(what, e))?;
    Ok(form)
}

/// A signed field of a verified form: one of [`SIGNED`], so present exactly once and not empty
/// (see [`inbound`]).
fn signed<'a>(form: &FormPairs<'a>, name: &str) -> Cow<'a, str> {
    form.get(name)
        .unwrap_or_else(|| unreachable!("verification refuses a message without `{name}`"))
}

/// A verified notification, read from the body it was verified from: the same checks as
/// [`Notification::verify`]; values without escapes are borrowed from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRef<'a> {
    form: FormPairs<'a>,
}

impl<'a> NotificationRef<'a> {
    /// Verifies a notification from the raw `application/x-www-form-urlencoded` body, as received.
    /// Anything unsigned, tampered with, incomplete or not form-encoded is an error.
    pub fn verify(
        raw_body: &'a [u8],
        credentials: &Credentials,
    ) -> Result<NotificationRef<'a>, Error> {
        verify("notification", raw_body, credentials.signing_key())
            .map(|form| NotificationRef { form })
    }

    fn signed(&self, name: &str) -> Cow<'a, str> {
        signed(&self.form, name)
    }

    /// The merchant's reference (signed).
    pub fn merchant_reference(&self) -> Cow<'a, str> {
        self.signed("merchant_reference")
    }

    /// `alipay`, `wechat`, ... (signed).
    pub fn payment_method(&self) -> Cow<'a, str> {
        self.signed("payment_method")
    }

    /// The payment's state (signed).
    pub fn status(&self) -> PaymentStatus {
        PaymentStatus::from(self.signed("status").as_ref())
    }

    /// Currency (signed).
    pub fn currency(&self) -> Cow<'a, str> {
        self.signed("currency")
    }

    /// The amount exactly as sent (signed as text).
    pub fn amount_text(&self) -> Cow<'a, str> {
        self.signed("amount")
    }

    /// The amount as money.
    pub fn amount(&self) -> Result<Amount, crate::AmountError> {
        Amount::parse(&self.amount_text())
    }

    /// Latipay's order id (not signed; `None` when not sent).
    pub fn order_id(&self) -> Unsigned<Option<Cow<'a, str>>> {
        Unsigned(self.form.get("order_id"))
    }

    /// When it was paid (not signed; `None` when not sent).
    pub fn pay_time(&self) -> Unsigned<Option<Cow<'a, str>>> {
        Unsigned(self.form.get("pay_time"))
    }

    /// Every other field, in the order received (not signed): `amount_cny`, `rate`, ...
    pub fn extra(&self) -> impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)> + use<'_, 'a> {
        self.read()
            .filter(|(role, _, _)| *role == Role::Extra)
            .map(|(_, name, value)| (name, value))
    }

    /// Every pair with what it is, in one pass: the first `order_id` and `pay_time` are read as
    /// such, and a repeat of either is an extra.
    fn read(&self) -> impl Iterator<Item = (Role, Cow<'a, str>, Cow<'a, str>)> + use<'_, 'a> {
        let mut seen = [false; 2];
        self.form.pairs().map(move |(name, value)| {
            let mut first = |i: usize| !std::mem::replace(&mut seen[i], true);
            let role = match name.as_ref() {
                "merchant_reference" => Role::MerchantReference,
                "payment_method" => Role::PaymentMethod,
                "status" => Role::Status,
                "currency" => Role::Currency,
                "amount" => Role::Amount,
                "signature" => Role::Signature,
                "order_id" if first(0) => Role::OrderId,
                "pay_time" if first(1) => Role::PayTime,
                _ => Role::Extra,
            };
            (role, name, value)
        })
    }

    /// Checks the signed amount and currency against the order the merchant stored; see
    /// [`Notification::check_order`].
    pub fn check_order(&self, amount: Amount, currency: &str) -> Result<(), OrderMismatch> {
        check_order(&self.amount_text(), &self.currency(), amount, currency)
    }

    /// What this notification does to the order the merchant stored; see
    /// [`Notification::transition`].
    pub fn transition(
        &self,
        stored: &PaymentStatus,
        amount: Amount,
        currency: &str,
    ) -> Result<Transition, OrderMismatch> {
        self.check_order(amount, currency)?;
        Ok(transition(stored, &self.status()))
    }
}

/// What a pair of a notification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    MerchantReference,
    PaymentMethod,
    Status,
    Currency,
    Amount,
    Signature,
    OrderId,
    PayTime,
    Extra,
}

impl From<NotificationRef<'_>> for Notification {
    fn from(n: NotificationRef<'_>) -> Notification {
        let mut signed: [Option<Cow<'_, str>>; 5] = Default::default();
        let (mut order_id, mut pay_time, mut extra) = (None, None, Vec::new());
        // One pass; verification refused repeated signed fields, so each is met once...
        for (role, name, value) in n.read() {
            let slot = match role {
                Role::MerchantReference => 0,
                Role::PaymentMethod => 1,
                Role::Status => 2,
                Role::Currency => 3,
                Role::Amount => 4,
                Role::OrderId => {
                    order_id = Some(value.into_owned());
                    continue;
                }
                Role::PayTime => {
                    pay_time = Some(value.into_owned());
                    continue;
                }
                Role::Signature => continue,
                Role::Extra => {
                    extra.push((name.into_owned(), value.into_owned()));
                    continue;
                }
            };
            signed[slot] = Some(value);
        }
        // ...and each is there: verification refused a message without one (see `inbound`).
        let [merchant_reference, payment_method, status, currency, amount] =
            std::array::from_fn(|i| {
                signed[i].take().unwrap_or_else(|| {
                    unreachable!("verification refuses a message without `{}`", SIGNED[i])
                })
            });
        Notification {
            merchant_reference: merchant_reference.into_owned(),
            payment_method: payment_method.into_owned(),
            status: PaymentStatus::from(status.as_ref()),
            currency: currency.into_owned(),
            amount: amount.into_owned(),
            order_id: Unsigned(order_id),
            pay_time: Unsigned(pay_time),
            extra,
        }
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

    /// What this notification does to the order the merchant stored with `stored` status,
    /// `amount` and `currency`: first [`Notification::check_order`] (a mismatch is the error, and
    /// nothing may be applied), then the one forward step of the order's life, or nothing, or a
    /// case for a person (see [`Transition`]). The statuses and which one an order starts in are
    /// the spec's.
    ///
    /// ```
    /// # use latipay_runtime::{Amount, Credentials, Notification, Transition};
    /// # use latipay_runtime::response::PaymentStatus;
    /// # let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    /// # let body = b"merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";
    /// let n = Notification::verify(body, &credentials)?;
    /// // The order as stored: 120.00 NZD, pending.
    /// let (amount, currency) = (Amount::from_cents(12000), "NZD");
    /// let mut status = PaymentStatus::Pending;
    /// match n.transition(&status, amount, currency)? {
    ///     Transition::Apply(next) => status = next, // store it durably, then acknowledge
    ///     Transition::Unchanged => {}               // a repeat: acknowledge again
    ///     Transition::Review { .. } => {}           // keep it for a person, acknowledge
    /// }
    /// assert_eq!(status, PaymentStatus::Paid);
    /// // The same delivery again changes nothing.
    /// assert_eq!(n.transition(&status, amount, currency)?, Transition::Unchanged);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transition(
        &self,
        stored: &PaymentStatus,
        amount: Amount,
        currency: &str,
    ) -> Result<Transition, OrderMismatch> {
        self.check_order(amount, currency)?;
        Ok(transition(stored, &self.status))
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
            merchant_reference: signed(&form, "merchant_reference").into_owned(),
            payment_method: signed(&form, "payment_method").into_owned(),
            status: PaymentStatus::from(signed(&form, "status").as_ref()),
            currency: signed(&form, "currency").into_owned(),
            amount: signed(&form, "amount").into_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The invariant the accessors rest on: the built-in rules sign every field read as signed.
    #[test]
    fn the_built_in_rules_sign_every_field_read_as_signed() {
        for what in ["notification", "redirect"] {
            assert_eq!(unsigned_of(inbound(what)), Vec::<&str>::new(), "{what}");
        }
        // And the check would see one that does not.
        let mut partial = inbound("redirect").clone();
        if let SigningRule::Concat { fields, .. } = &mut partial.signature {
            fields.retain(|f| f != "status");
        }
        assert_eq!(unsigned_of(&partial), ["status"]);
    }

    /// The invariant `transition` rests on: the spec declares the notification's statuses, the
    /// first being the one an order starts in, and each is a status this crate names.
    #[test]
    fn the_spec_declares_the_lifecycle_of_an_order() {
        let statuses = lifecycle();
        assert_eq!(statuses[0], "pending");
        assert!(statuses.iter().any(|s| s == "paid"));
        for s in statuses {
            assert!(
                !matches!(PaymentStatus::from(s.as_str()), PaymentStatus::Other(_)),
                "{s}"
            );
        }
    }

    #[test]
    fn only_forward_steps_are_applied() {
        use PaymentStatus::*;
        let finals = [Paid, Failed, Canceled, Rejected];
        for to in &finals {
            assert_eq!(transition(&Pending, to), Transition::Apply(to.clone()));
            // Replayed: nothing to do.
            assert_eq!(transition(to, to), Transition::Unchanged);
            // A late `pending`, after the order moved on: never back.
            assert_eq!(transition(to, &Pending), Transition::Unchanged);
            for other in finals.iter().filter(|o| *o != to) {
                assert_eq!(
                    transition(to, other),
                    Transition::Review {
                        stored: to.clone(),
                        received: other.clone()
                    }
                );
            }
        }
        assert_eq!(transition(&Pending, &Pending), Transition::Unchanged);
        // What the spec does not declare for a notification is never applied...
        for odd in [CancelOrFail, Other("refunded".into())] {
            assert_eq!(
                transition(&Pending, &odd),
                Transition::Review {
                    stored: Pending,
                    received: odd.clone()
                }
            );
            // ...nor overwritten when the merchant stored it.
            assert_eq!(
                transition(&odd, &Paid),
                Transition::Review {
                    stored: odd.clone(),
                    received: Paid
                }
            );
        }
    }

    #[test]
    fn absent_unsigned_fields_are_none_not_empty() {
        let credentials = Credentials::new("U", "W", "111222333");
        // The documented notification without `order_id` and `pay_time`: Rule B does not cover
        // them, so the signature still verifies.
        let body = "merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid\
                    &currency=NZD&amount=120.00\
                    &signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";
        let r = NotificationRef::verify(body.as_bytes(), &credentials).unwrap();
        assert_eq!(r.order_id(), Unsigned(None));
        assert_eq!(r.pay_time(), Unsigned(None));
        let n = Notification::from(r);
        assert_eq!(n.order_id, Unsigned(None));
        assert_eq!(n.pay_time, Unsigned(None));
        assert_eq!(
            (n.merchant_reference.as_str(), n.status, n.amount.as_str()),
            ("dsi39ej430sks03", PaymentStatus::Paid, "120.00")
        );
        // An empty one is sent, so it is `Some("")`.
        let with_empty = body.replace("&signature", "&order_id=&signature");
        let r = NotificationRef::verify(with_empty.as_bytes(), &credentials).unwrap();
        assert_eq!(r.order_id().unverified().as_deref(), Some(""));
    }
}
