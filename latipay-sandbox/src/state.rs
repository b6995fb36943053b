//! The store: what the sandbox remembers (orders by user and merchant_reference, invoices,
//! deliveries; the types are in `records`) with its indexes, behind the one mutex of `app`. Each
//! operation is a short check-and-change, so concurrent duplicate creates cannot both succeed.
//!
//! The store is always the in-memory data below; with a state file (`Config::state`) it also
//! carries a journal (`persist`, an open SQLite file) and remembers what each operation changed,
//! so that the same critical section that changed memory writes those rows to SQLite
//! ([`Store::commit`]). There is one code path for both modes: the business logic never knows
//! whether it is durable.

use std::collections::{BTreeSet, HashMap};

use crate::ids::Time;
use crate::magic::Magic;
use crate::persist::{Changes, Journal, Loaded, StateError};
pub use crate::records::{Attempt, Delivery, DeliveryState, Invoice, Order, Owner, Refund, Status};

/// Why an order cannot move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPending(pub Status);

/// What changed since the last [`Store::commit`]: the rows to write.
#[derive(Debug, Default)]
struct Dirty {
    /// Everything was forgotten first (`/sandbox/reset`).
    cleared: bool,
    /// Orders by index.
    orders: BTreeSet<usize>,
    /// Invoices written, by invoice_id.
    invoices: BTreeSet<String>,
    /// Invoices deleted, by invoice_id.
    removed_invoices: BTreeSet<String>,
    /// Deliveries by id (the row without its attempts).
    deliveries: BTreeSet<u64>,
    /// Attempts appended: (delivery id, index in its attempts).
    attempts: Vec<(u64, usize)>,
}

impl Dirty {
    fn is_empty(&self) -> bool {
        !self.cleared
            && self.orders.is_empty()
            && self.invoices.is_empty()
            && self.removed_invoices.is_empty()
            && self.deliveries.is_empty()
            && self.attempts.is_empty()
    }
}

/// Everything remembered.
#[derive(Debug, Default)]
pub struct Store {
    orders: Vec<Order>,
    by_reference: HashMap<(String, String), usize>,
    by_order_id: HashMap<String, usize>,
    invoices: Vec<Invoice>,
    deliveries: Vec<Delivery>,
    next_delivery: u64,
    /// The SQLite file every change is also written to, if the sandbox has one.
    journal: Option<Journal>,
    dirty: Dirty,
}

impl Store {
    /// A store that writes every change to `journal`, starting from what it held.
    pub(crate) fn durable(journal: Journal, loaded: Loaded) -> Store {
        let mut store = Store {
            next_delivery: loaded.deliveries.iter().map(|d| d.id).max().unwrap_or(0),
            deliveries: loaded.deliveries,
            invoices: loaded.invoices,
            ..Store::default()
        };
        for mut order in loaded.orders {
            order.magic = Magic::of(order.amount);
            // Indexes are rebuilt exactly as insert builds them; duplicates cannot be in the
            // file (its primary and unique keys refuse them).
            let _ = store.insert(order);
        }
        store.dirty = Dirty::default();
        store.journal = Some(journal);
        store
    }

    /// Whether changes are written to a state file.
    pub fn is_durable(&self) -> bool {
        self.journal.is_some()
    }

    /// Writes what changed since the last commit to the state file, in one transaction, and
    /// records `next_id` (the id counter) with it so ids handed out are never handed out again.
    /// Without a state file it only forgets the change list. On failure the changes stay
    /// listed, so the next commit writes them.
    pub fn commit(&mut self, next_id: u64) -> Result<(), StateError> {
        let Some(journal) = self.journal.as_mut() else {
            self.dirty = Dirty::default();
            return Ok(());
        };
        if self.dirty.is_empty() {
            return Ok(());
        }
        let d = &self.dirty;
        let changes = Changes {
            cleared: d.cleared,
            orders: d
                .orders
                .iter()
                .filter_map(|&i| self.orders.get(i))
                .collect(),
            invoices: self
                .invoices
                .iter()
                .filter(|inv| d.invoices.contains(&inv.invoice_id))
                .collect(),
            removed_invoices: d.removed_invoices.iter().map(String::as_str).collect(),
            deliveries: self
                .deliveries
                .iter()
                .filter(|x| d.deliveries.contains(&x.id))
                .collect(),
            attempts: d
                .attempts
                .iter()
                .filter_map(|&(id, n)| {
                    let delivery = self.deliveries.iter().find(|x| x.id == id)?;
                    Some((id, delivery.attempts.get(n)?))
                })
                .collect(),
            next_id,
        };
        journal.write(&changes)?;
        self.dirty = Dirty::default();
        Ok(())
    }

    /// Closes the state file (saving what is not saved yet, if it can): changes after this stay
    /// in memory only. Closing releases the file's lock, so another sandbox can open it.
    pub fn close(&mut self) {
        if self.journal.is_some() {
            // Best effort: on failure the rows are simply not there, as after a kill.
            let _ = self.commit(0);
        }
        self.journal = None;
    }

    /// Whether there are changes not yet committed.
    pub fn has_changes(&self) -> bool {
        !self.dirty.is_empty()
    }

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
        self.dirty.orders.insert(i);
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

    /// Order `i`, to change (it is written at the next commit).
    pub fn order_mut(&mut self, i: usize) -> &mut Order {
        self.dirty.orders.insert(i);
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
        self.dirty.orders.insert(i);
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
        self.dirty.deliveries.insert(id);
        id
    }

    /// Delivery `id`.
    pub fn delivery(&self, id: u64) -> Option<&Delivery> {
        self.deliveries.iter().find(|d| d.id == id)
    }

    /// Every delivery, in creation order.
    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }

    /// Appends `attempt` to delivery `id` and settles it: delivered when the attempt was, given
    /// up when `max_attempts` is reached. `None` when the delivery is gone (a reset).
    pub fn record_attempt(
        &mut self,
        id: u64,
        attempt: Attempt,
        max_attempts: Option<u32>,
    ) -> Option<DeliveryState> {
        let d = self.deliveries.iter_mut().find(|d| d.id == id)?;
        let number = attempt.number;
        if attempt.delivered {
            d.state = DeliveryState::Delivered;
        } else if max_attempts.is_some_and(|max| number >= max) {
            d.state = DeliveryState::GaveUp;
        }
        d.attempts.push(attempt);
        self.dirty.attempts.push((id, d.attempts.len() - 1));
        self.dirty.deliveries.insert(id);
        Some(d.state)
    }

    /// Sets delivery `id`'s state (`Stopped` at shutdown, `Retrying` when resumed).
    pub fn set_delivery_state(&mut self, id: u64, state: DeliveryState) {
        if let Some(d) = self.deliveries.iter_mut().find(|d| d.id == id)
            && d.state != state
        {
            d.state = state;
            self.dirty.deliveries.insert(id);
        }
    }

    /// Every invoice, in creation order.
    pub fn invoices(&self) -> &[Invoice] {
        &self.invoices
    }

    /// Invoice `i`, to change (it is written at the next commit).
    pub fn invoice_mut(&mut self, i: usize) -> &mut Invoice {
        let invoice = &mut self.invoices[i];
        self.dirty.invoices.insert(invoice.invoice_id.clone());
        invoice
    }

    /// Adds an invoice.
    pub fn push_invoice(&mut self, invoice: Invoice) {
        self.dirty.invoices.insert(invoice.invoice_id.clone());
        self.dirty.removed_invoices.remove(&invoice.invoice_id);
        self.invoices.push(invoice);
    }

    /// Deletes invoice `i`.
    pub fn remove_invoice(&mut self, i: usize) -> Invoice {
        let invoice = self.invoices.remove(i);
        self.dirty.invoices.remove(&invoice.invoice_id);
        self.dirty
            .removed_invoices
            .insert(invoice.invoice_id.clone());
        invoice
    }

    /// Deliveries about `owner`.
    pub fn deliveries_of(&self, owner: &Owner) -> Vec<Delivery> {
        self.deliveries
            .iter()
            .filter(|d| &d.owner == owner)
            .cloned()
            .collect()
    }

    /// Forgets everything (and, at the next commit, deletes it from the state file).
    pub fn clear(&mut self) {
        *self = Store {
            next_delivery: self.next_delivery,
            journal: self.journal.take(),
            dirty: Dirty {
                cleared: true,
                ..Dirty::default()
            },
            ..Store::default()
        };
    }
}
