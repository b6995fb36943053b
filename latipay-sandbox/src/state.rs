//! What the sandbox remembers: orders (per user, by merchant_reference), their refunds, invoices,
//! and notification deliveries with every attempt. Plain data behind one mutex: each operation
//! is a short check-and-change, so concurrent duplicate creates cannot both succeed.

use std::collections::HashMap;

use latipay_spec::Amount;
use serde::Serialize;

use crate::ids::Time;
use crate::magic::Magic;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One refund of an order.
#[derive(Debug, Clone, Serialize)]
pub struct Refund {
    /// The sandbox's id for it.
    pub refund_id: String,
    /// How much.
    #[serde(serialize_with = "amount_text")]
    pub amount: Amount,
    /// The merchant's free text.
    pub reference: String,
    /// When.
    pub at: String,
}

/// One order.
#[derive(Debug, Clone, Serialize)]
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
    #[serde(serialize_with = "amount_text")]
    pub amount: Amount,
    /// What was sold.
    pub product_name: String,
    /// Where notifications go (callback_url, or notify_url for mini programs).
    pub notify_url: Option<String>,
    /// Where the customer is sent back.
    pub return_url: Option<String>,
    /// The payment page nonce (hosted transactions).
    pub nonce: Option<String>,
    /// `host_type: "1"`: the merchant shows the QR code, so the page answers JSON.
    pub merchant_hosted: bool,
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
    /// The scenario its amount selected.
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
#[derive(Debug, Clone, Serialize)]
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
}

/// What a delivery is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// An order, by its order_id.
    Order(String),
    /// An invoice, by its invoice_id.
    Invoice(String),
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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

/// Why an order cannot move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPending(pub Status);

/// Everything remembered.
#[derive(Debug, Default)]
pub struct Store {
    orders: Vec<Order>,
    by_reference: HashMap<(String, String), usize>,
    by_order_id: HashMap<String, usize>,
    /// Invoices in creation order.
    pub invoices: Vec<Invoice>,
    /// Deliveries in creation order.
    pub deliveries: Vec<Delivery>,
    next_delivery: u64,
}

impl Store {
    /// Adds `order` unless its user already has one with the same reference (then that one's order_id).
    pub fn insert(&mut self, order: Order) -> Result<usize, String> {
        let key = (order.user_id.clone(), order.merchant_reference.clone());
        if let Some(&i) = self.by_reference.get(&key) {
            return Err(self.orders[i].order_id.clone());
        }
        let i = self.orders.len();
        self.by_reference.insert(key, i);
        self.by_order_id.insert(order.order_id.clone(), i);
        self.orders.push(order);
        Ok(i)
    }

    /// The order of `user_id` with `reference`.
    pub fn find(&self, user_id: &str, reference: &str) -> Option<usize> {
        self.by_reference
            .get(&(user_id.to_owned(), reference.to_owned()))
            .copied()
    }

    /// Orders with `reference`, of any user (for the admin routes).
    pub fn find_any(&self, reference: &str) -> Vec<usize> {
        (0..self.orders.len())
            .filter(|&i| self.orders[i].merchant_reference == reference)
            .collect()
    }

    /// The order with Latipay's `order_id`.
    pub fn find_order_id(&self, order_id: &str) -> Option<usize> {
        self.by_order_id.get(order_id).copied()
    }

    /// The order with payment page `nonce`.
    pub fn find_nonce(&self, nonce: &str) -> Option<usize> {
        self.orders
            .iter()
            .position(|o| o.nonce.as_deref() == Some(nonce))
    }

    /// Order `i`.
    pub fn order(&self, i: usize) -> &Order {
        &self.orders[i]
    }

    /// Order `i`, to change.
    pub fn order_mut(&mut self, i: usize) -> &mut Order {
        &mut self.orders[i]
    }

    /// Every order.
    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// Moves a pending order to `to`; paying stamps pay_time and a transaction id.
    pub fn transition(
        &mut self,
        i: usize,
        to: Status,
        transaction_id: String,
    ) -> Result<(), NotPending> {
        let order = &mut self.orders[i];
        if order.status != Status::Pending {
            return Err(NotPending(order.status));
        }
        order.status = to;
        if to == Status::Paid {
            order.pay_time = Some(Time::now().text());
            order.transaction_id = Some(transaction_id);
        }
        Ok(())
    }

    /// Records a new delivery and returns its id.
    pub fn add_delivery(&mut self, owner: Owner, status: &str, url: &str, body: String) -> u64 {
        self.next_delivery += 1;
        let id = self.next_delivery;
        self.deliveries.push(Delivery {
            id,
            owner,
            status: status.to_owned(),
            url: url.to_owned(),
            body,
            state: DeliveryState::Retrying,
            attempts: Vec::new(),
        });
        id
    }

    /// Delivery `id`, to change.
    pub fn delivery_mut(&mut self, id: u64) -> Option<&mut Delivery> {
        self.deliveries.iter_mut().find(|d| d.id == id)
    }

    /// Deliveries about `owner`.
    pub fn deliveries_of(&self, owner: &Owner) -> Vec<Delivery> {
        self.deliveries
            .iter()
            .filter(|d| &d.owner == owner)
            .cloned()
            .collect()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = Store {
            next_delivery: self.next_delivery,
            ..Store::default()
        };
    }
}
