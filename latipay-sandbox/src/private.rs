//! Hooks for this workspace's fuzzers and tests, hidden from the docs: not part of the API, and
//! not covered by semver.
//!
//! [`InProcess`] is the sandbox without a socket: its router, called with any method, path,
//! query, headers and body, over a store in memory; and the invariants of that store, checked
//! after each request (the `sandbox_http` fuzz target in `fuzz/`).

use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use tokio::sync::watch;
use tower_service::Service;

use crate::app::App;
use crate::config::Config;
use crate::ids::Ids;
use crate::state::{DeliveryState, Owner, Status, Store};

/// The most of an answer's body [`InProcess::request`] reads; the sandbox's answers are a few
/// KiB.
const MAX_ANSWER: usize = 16 << 20;

/// The sandbox's router and store in process: no listener, no connection limits or read
/// timeouts (those are the server's, in front of the router), no state file (`Config::state` is
/// not opened).
///
/// Notifications are delivered as usual, on the Tokio runtime it was created on, but its HTTP
/// client sends every request through a proxy at `127.0.0.1:9`, where nothing listens: whatever
/// `callback_url` a request names, nothing leaves this machine, and each attempt fails at once.
pub struct InProcess {
    app: Arc<App>,
    router: Router,
    /// Kept so that the sandbox is not stopping.
    _running: watch::Sender<bool>,
}

/// Why a request could not be made from the parts given (the caller's input, not the sandbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotARequest(
    /// What is wrong with it.
    pub String,
);

impl InProcess {
    /// The sandbox of `config`, in memory. Must be called inside a Tokio runtime, which
    /// notifications are delivered on.
    pub fn new(config: Config) -> std::io::Result<InProcess> {
        let client = nowhere()?;
        let (running, shutdown) = watch::channel(false);
        let app = Arc::new(App {
            base_url: format!("http://{}", config.addr),
            config,
            store: Mutex::new(Store::default()),
            client,
            changed: watch::channel(0).0,
            shutdown,
            ids: Ids::new(),
            runtime: tokio::runtime::Handle::try_current().map_err(|_| {
                std::io::Error::other("InProcess::new needs a Tokio runtime: call it inside one")
            })?,
        });
        Ok(InProcess {
            router: crate::server::router(app.clone()),
            app,
            _running: running,
        })
    }

    /// Sends one request through the router, as the server would hand it over: the status and
    /// the whole body of the answer. `target` is the path and query (`/v2/transaction?x=1`).
    /// Parts that do not make an HTTP request (a method or header name that is not a token, a
    /// target that is not a URI) are the error.
    pub async fn request(
        &self,
        method: &[u8],
        target: &str,
        headers: &[(Vec<u8>, Vec<u8>)],
        body: Vec<u8>,
    ) -> Result<(u16, Vec<u8>), NotARequest> {
        let bad = |what: &str, e: &dyn std::fmt::Display| NotARequest(format!("{what}: {e}"));
        let method = Method::from_bytes(method).map_err(|e| bad("method", &e))?;
        let mut request = Request::builder().method(method).uri(target);
        for (name, value) in headers {
            request = request.header(name.as_slice(), value.as_slice());
        }
        let request = request
            .body(Body::from(body))
            .map_err(|e| bad("request", &e))?;
        let response = match self.router.clone().call(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), MAX_ANSWER)
            .await
            .map_err(|e| bad("answer body", &e))?;
        Ok((status, body.to_vec()))
    }

    /// Every merchant_reference the store holds, with its user: what the admin routes must list
    /// and find.
    pub fn references(&self) -> Vec<(String, String)> {
        let store = self.app.lock();
        store
            .orders()
            .iter()
            .map(|o| (o.user_id.clone(), o.merchant_reference.clone()))
            .collect()
    }

    /// Checks what must hold of the store after any request: every order found by its user and
    /// reference and by its order_id (so none is listed that cannot be found, and none is there
    /// twice); statuses consistent with their stamps; refunds only of paid orders, each more than
    /// zero, together at most the amount; every delivery about an order that exists, its
    /// attempts numbered from 1 and its state what they say; invoices unique, with known
    /// statuses. The first thing that does not hold.
    pub fn check(&self) -> Result<(), String> {
        let store = self.app.lock();
        check_store(&store, self.app.config.max_attempts)
    }
}

/// The HTTP client of every `InProcess`, which sends everything through a proxy at
/// `127.0.0.1:9`, where nothing listens. One per process: building one reads the system's
/// certificates, which took most of the time of a fuzz input. It never keeps a connection (none
/// opens), so it serves any Tokio runtime.
fn nowhere() -> std::io::Result<reqwest::Client> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    let client = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all("http://127.0.0.1:9").map_err(std::io::Error::other)?)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(std::io::Error::other)?;
    Ok(CLIENT.get_or_init(|| client).clone())
}

fn check_store(store: &Store, max_attempts: Option<u32>) -> Result<(), String> {
    let orders = store.orders();
    for (i, o) in orders.iter().enumerate() {
        let what = format!("order {i} (`{}` of {})", o.merchant_reference, o.user_id);
        if store.find(&o.user_id, &o.merchant_reference) != Some(i) {
            return Err(format!("{what} is not found by its user and reference"));
        }
        if store.find_order_id(&o.order_id) != Some(i) {
            return Err(format!(
                "{what} is not found by its order_id `{}`",
                o.order_id
            ));
        }
        if !store.find_any(&o.merchant_reference).contains(&i) {
            return Err(format!("{what} is not found by its reference alone"));
        }
        let stamped = (o.pay_time.is_some(), o.transaction_id.is_some());
        match o.status {
            Status::Paid if stamped != (true, true) => {
                return Err(format!(
                    "{what} is paid without pay_time and transaction_id"
                ));
            }
            Status::Pending if stamped != (false, false) => {
                return Err(format!(
                    "{what} is pending with a pay_time or transaction_id"
                ));
            }
            _ => {}
        }
        if !o.refunds.is_empty() && o.status != Status::Paid {
            return Err(format!("{what} has refunds and is {}", o.status.as_str()));
        }
        if let Some(r) = o.refunds.iter().find(|r| r.amount.cents() == 0) {
            return Err(format!("{what} has a refund of zero: {}", r.refund_id));
        }
        let refunded: u128 = o.refunds.iter().map(|r| u128::from(r.amount.cents())).sum();
        if refunded > u128::from(o.amount.cents()) {
            return Err(format!(
                "{what} is refunded {refunded} cents of {}",
                o.amount.cents()
            ));
        }
    }
    let mut ids: Vec<u64> = store.deliveries().iter().map(|d| d.id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != store.deliveries().len() {
        return Err("two deliveries have the same id".into());
    }
    for d in store.deliveries() {
        if let Owner::Order(order_id) = &d.owner
            && store.find_order_id(order_id).is_none()
        {
            return Err(format!("delivery {} is about no order ({order_id})", d.id));
        }
        for (n, attempt) in d.attempts.iter().enumerate() {
            if usize::try_from(attempt.number).ok() != Some(n + 1) {
                return Err(format!(
                    "delivery {}: attempt {} is numbered {}",
                    d.id,
                    n + 1,
                    attempt.number
                ));
            }
        }
        let last_delivered = d.attempts.last().is_some_and(|a| a.delivered);
        let state_holds = match d.state {
            DeliveryState::Delivered => last_delivered,
            DeliveryState::GaveUp => max_attempts
                .is_some_and(|max| d.attempts.len() >= usize::try_from(max).unwrap_or(usize::MAX)),
            DeliveryState::Retrying | DeliveryState::Stopped => !last_delivered,
        };
        if !state_holds {
            return Err(format!(
                "delivery {} is {:?} after {} attempts",
                d.id,
                d.state,
                d.attempts.len()
            ));
        }
    }
    let invoices = store.invoices();
    for (i, inv) in invoices.iter().enumerate() {
        if invoices[..i].iter().any(|o| o.invoice_id == inv.invoice_id) {
            return Err(format!("invoice `{}` is there twice", inv.invoice_id));
        }
        if !matches!(inv.status.as_str(), "unpaid" | "paid" | "refunded") {
            return Err(format!("invoice `{}` is `{}`", inv.invoice_id, inv.status));
        }
        if inv.status != "unpaid" && (inv.pay_time.is_none() || inv.paid_method.is_none()) {
            return Err(format!(
                "invoice `{}` is {} without pay_time or paid_method",
                inv.invoice_id, inv.status
            ));
        }
    }
    Ok(())
}
