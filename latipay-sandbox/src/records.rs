//! The records the sandbox keeps: orders with their refunds, invoices, and notification
//! deliveries with every attempt. Plain data, shared by the store that changes them (`state`) and
//! the state file that saves them (`persist`); how they change is not here.

use latipay_spec::Amount;
use serde::{Deserialize, Serialize};

use crate::magic::Magic;
/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for the customer.
    Pending,
    /// Paid.
    Paid,
    /// The payment failed.
    Failed,
    /// Canceled by the merchant (`/cancel`) or the customer.
    Canceled,
}

impl Status {
    /// The status word of the notification (`pending`, `paid`, `failed`, `canceled`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Paid => "paid",
            Status::Failed => "failed",
            Status::Canceled => "canceled",
        }
    }

    /// The status the query endpoint reports: it knows only pending, paid and failed.
    pub fn query_status(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Paid => "paid",
            Status::Failed | Status::Canceled => "failed",
        }
    }
}

fn amount_text<S: serde::Serializer>(a: &Amount, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(a)
}

/// Amounts are stored as their text (`120.00`), never as floats, so a reload is exact.
fn amount_from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
    let text = String::deserialize(d)?;
    Amount::parse(&text).map_err(|e| serde::de::Error::custom(format!("amount `{text}`: {e}")))
}

/// One refund of an order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refund {
    /// The sandbox's id for it.
    pub refund_id: String,
    /// How much.
    #[serde(serialize_with = "amount_text", deserialize_with = "amount_from_text")]
    pub amount: Amount,
    /// The merchant's free text.
    pub reference: String,
    /// When.
    pub at: String,
}

/// One order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    /// The merchant's user.
    pub user_id: String,
    /// The wallet paid into.
    pub wallet_id: String,
    /// The wallet's currency.
    pub currency: String,
    /// The merchant's reference, unique per user.
    pub merchant_reference: String,
    /// Latipay's order id.
    pub order_id: String,
    /// The endpoint that created it.
    pub endpoint: String,
    /// `alipay`, `wechat`...
    pub payment_method: String,
    /// The amount.
    #[serde(serialize_with = "amount_text", deserialize_with = "amount_from_text")]
    pub amount: Amount,
    /// What was sold.
    pub product_name: String,
    /// Where notifications go (callback_url, or notify_url for mini programs).
    pub notify_url: Option<String>,
    /// Where the customer is sent back.
    pub return_url: Option<String>,
    /// Where the payment page's Cancel sends the customer (`backPage_url`), if given.
    #[serde(default)]
    pub back_page_url: Option<String>,
    /// The payment page nonce (hosted transactions).
    pub nonce: Option<String>,
    /// `host_type: "1"`: the merchant shows the QR code it gets from the `gatewaydata` step.
    pub merchant_hosted: bool,
    /// Whether its nonce was used for the `gatewaydata` step (a nonce is single use).
    #[serde(default)]
    pub gatewaydata_served: bool,
    /// Where it stands.
    pub status: Status,
    /// When it was created.
    pub created_at: String,
    /// When it was paid.
    pub pay_time: Option<String>,
    /// The wallet provider's transaction id, once paid.
    pub transaction_id: Option<String>,
    /// Refunds so far.
    pub refunds: Vec<Refund>,
    /// The scenario its amount selected (not stored: it is a function of the amount).
    #[serde(skip)]
    pub magic: Magic,
}

impl Order {
    /// How much has been refunded.
    pub fn refunded(&self) -> Amount {
        Amount::from_cents(self.refunds.iter().map(|r| r.amount.cents()).sum())
    }
}

/// An invoice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invoice {
    /// The sandbox's id.
    pub invoice_id: String,
    /// The merchant's user.
    pub user_id: String,
    /// The wallet.
    pub wallet_id: String,
    /// The wallet's currency.
    pub currency: String,
    /// The amount text as sent (Latipay keeps `1` as `1`).
    pub amount: String,
    /// What is sold.
    pub product_name: Option<String>,
    /// The merchant's order id, unique per user when given.
    pub customer_order_id: Option<String>,
    /// The merchant's free reference.
    pub customer_reference: Option<String>,
    /// Where the customer goes after paying.
    pub return_url: Option<String>,
    /// Where the notification goes.
    pub notify_url: Option<String>,
    /// `unpaid`, `paid`, `refunded`.
    pub status: String,
    /// When it was created.
    pub create_time: String,
    /// When it was paid.
    pub pay_time: Option<String>,
    /// The validity in minutes, if given.
    pub period_time: Option<String>,
    /// How it was paid (`alipay`, `wechat`), once paid.
    #[serde(default)]
    pub paid_method: Option<String>,
}

/// What a delivery is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// An order, by its order_id.
    Order(String),
    /// An invoice, by its invoice_id.
    Invoice(String),
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Still trying.
    Retrying,
    /// The merchant answered HTTP 200 with the body `sent`.
    Delivered,
    /// The attempt cap was reached.
    GaveUp,
    /// The sandbox stopped before delivering.
    Stopped,
}

/// One POST of a notification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    /// 1 for the first.
    pub number: u32,
    /// When it started.
    pub at: String,
    /// The merchant's HTTP status, if it answered.
    pub http_status: Option<u16>,
    /// The start of its body.
    pub response_body: String,
    /// Why there was no answer (connection refused, timeout).
    pub error: Option<String>,
    /// Whether this attempt counts as delivered (HTTP 200 and the body exactly `sent`).
    pub delivered: bool,
}

/// One notification and every attempt to deliver it.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// Its id in the sandbox.
    pub id: u64,
    /// What it is about.
    pub owner: Owner,
    /// The status it announces.
    pub status: String,
    /// Where it goes.
    pub url: String,
    /// The form body.
    pub body: String,
    /// Where it stands.
    pub state: DeliveryState,
    /// Every attempt so far.
    pub attempts: Vec<Attempt>,
}

#[cfg(test)]
mod tests {
    use super::Status;
    use latipay_spec::ModelType;

    /// The values a member of a built-in model takes, from the spec.
    fn values(model: &str, member: &str) -> Vec<String> {
        let field = latipay_spec::builtin()
            .model(model)
            .and_then(|m| m.field(member))
            .unwrap_or_else(|| panic!("the spec's `{model}` has `{member}`"));
        match &field.ty {
            ModelType::Enum(values) => values.clone(),
            other => panic!("`{model}.{member}` is an enum, not {other:?}"),
        }
    }

    /// The sandbox's order states are its own, but every word it sends for one is a value the
    /// spec declares for that message: what it notifies, and what its query answers.
    #[test]
    fn every_status_word_is_one_the_spec_declares() {
        let (notified, queried) = (values("notification", "status"), values("query", "status"));
        for s in [
            Status::Pending,
            Status::Paid,
            Status::Failed,
            Status::Canceled,
        ] {
            assert!(notified.iter().any(|v| v == s.as_str()), "{s:?}");
            assert!(queried.iter().any(|v| v == s.query_status()), "{s:?}");
        }
    }
}
