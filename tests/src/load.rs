//! Load with nothing lost: the sandbox and a merchant's notification handler in one process.
//!
//! Orders are created through [`Client`] by `concurrency` workers, each paid through the
//! sandbox's admin route right after it is created. The sandbox notifies the handler, which fails
//! a random share of the attempts: half of those with a 500 before touching anything (a crash
//! before the commit), half by answering only after the sandbox gave up (the update was stored,
//! the acknowledgement lost), so the sandbox sends the notification again and the handler must see
//! the duplicate and acknowledge it without applying it twice. The run ends when the sandbox reports
//! every notification delivered, or at the deadline. `--bin load` prints the report; the suite runs
//! a small version.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{Amount, Client, Credentials, Environment, Notification};
use latipay_sandbox::{Config, Sandbox};

use crate::HostedOrder;

/// What a run does.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// Orders to create and pay.
    pub orders: usize,
    /// Orders created at the same time.
    pub concurrency: usize,
    /// Share of notification attempts the handler fails, in percent.
    pub failure_percent: u64,
    /// Time between the sandbox's attempts.
    pub notify_interval: Duration,
    /// How long the sandbox waits for the handler's answer.
    pub notify_timeout: Duration,
    /// How long a "timing out" attempt makes the sandbox wait (longer than `notify_timeout`).
    pub stall: Duration,
    /// The run gives up here, whatever is left.
    pub deadline: Duration,
    /// Seeds the handler's choice of attempts to fail, and the order references.
    pub seed: u64,
}

impl LoadConfig {
    /// `orders` orders at concurrency 64, 30 % of notification attempts failed.
    pub fn new(orders: usize) -> LoadConfig {
        LoadConfig {
            orders,
            concurrency: 64,
            failure_percent: 30,
            notify_interval: Duration::from_millis(50),
            notify_timeout: Duration::from_millis(300),
            stall: Duration::from_millis(600),
            deadline: Duration::from_secs(600),
            seed: 0x5eed,
        }
    }
}

/// What a run came to.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Orders the sandbox accepted.
    pub orders_created: usize,
    /// Creates that failed (each is an order the merchant must reconcile).
    pub create_errors: usize,
    /// Orders paid through the admin route.
    pub orders_paid: usize,
    /// Notification POSTs that reached the handler.
    pub attempts: usize,
    /// Attempts the handler failed with a 500 before doing anything.
    pub injected_500: usize,
    /// Attempts the handler answered only after the sandbox's timeout (update stored, ack lost).
    pub injected_timeouts: usize,
    /// Attempts acknowledged (`200 sent`) in time.
    pub acknowledged: usize,
    /// Verified notifications for an order already in that state: acknowledged, not re-applied.
    pub duplicates: usize,
    /// Orders whose payment the handler applied (exactly once each).
    pub applied: usize,
    /// Orders whose payment was applied more than once (must be 0).
    pub applied_twice: usize,
    /// Attempts refused: bad signature, unknown order, wrong amount (must be 0).
    pub refused: usize,
    /// Orders whose notification the sandbox reports delivered.
    pub delivered: usize,
    /// Orders created but not applied once and delivered at the end (must be 0).
    pub lost: usize,
    /// Whether everything was delivered before the deadline.
    pub finished: bool,
    /// Median create latency.
    pub create_p50: Duration,
    /// 99th percentile create latency.
    pub create_p99: Duration,
    /// Slowest create.
    pub create_max: Duration,
    /// Whole run.
    pub elapsed: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "orders created                {}", self.orders_created)?;
        writeln!(f, "create errors                 {}", self.create_errors)?;
        writeln!(f, "orders paid                   {}", self.orders_paid)?;
        writeln!(f, "notification attempts         {}", self.attempts)?;
        writeln!(f, "  failed with 500 (injected)  {}", self.injected_500)?;
        writeln!(
            f,
            "  timed out (injected)        {}",
            self.injected_timeouts
        )?;
        writeln!(f, "  acknowledged in time        {}", self.acknowledged)?;
        writeln!(f, "duplicates handled idempotently {}", self.duplicates)?;
        writeln!(f, "orders applied once           {}", self.applied)?;
        writeln!(f, "orders applied twice          {}", self.applied_twice)?;
        writeln!(f, "attempts refused              {}", self.refused)?;
        writeln!(f, "delivered (sandbox's view)    {}", self.delivered)?;
        writeln!(f, "orders lost                   {}", self.lost)?;
        writeln!(f, "finished before the deadline  {}", self.finished)?;
        writeln!(
            f,
            "create latency p50 / p99 / max {:.2} / {:.2} / {:.2} ms",
            ms(self.create_p50),
            ms(self.create_p99),
            ms(self.create_max)
        )?;
        write!(
            f,
            "elapsed                       {:.1} s",
            self.elapsed.as_secs_f64()
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One order as the merchant stores it.
struct Stored {
    amount: Amount,
    status: PaymentStatus,
    applied: u32,
}

/// The merchant: its orders and what its handler saw.
struct Merchant {
    credentials: Credentials,
    orders: Mutex<HashMap<String, Stored>>,
    failure_percent: u64,
    stall: Duration,
    rng: AtomicU64,
    attempts: AtomicUsize,
    injected_500: AtomicUsize,
    injected_timeouts: AtomicUsize,
    acknowledged: AtomicUsize,
    duplicates: AtomicUsize,
    refused: AtomicUsize,
}

impl Merchant {
    /// A number in 0..100 from a shared splitmix64 stream.
    fn roll(&self) -> u64 {
        let mut z = self
            .rng
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % 100
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, HashMap<String, Stored>> {
        self.orders.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The merchant's notification handler, idempotent as `latipay_runtime`'s docs say.
async fn notify(State(m): State<Arc<Merchant>>, body: Bytes) -> (StatusCode, &'static str) {
    m.attempts.fetch_add(1, Ordering::Relaxed);
    let roll = m.roll();
    let fail = roll < m.failure_percent;
    if fail && roll % 2 == 0 {
        // Down before anything was stored: the sandbox retries.
        m.injected_500.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::INTERNAL_SERVER_ERROR, "try again");
    }
    let Ok(n) = Notification::verify(&body, &m.credentials) else {
        m.refused.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::BAD_REQUEST, "invalid");
    };
    {
        let mut orders = m.orders();
        let Some(order) = orders.get_mut(&n.merchant_reference) else {
            m.refused.fetch_add(1, Ordering::Relaxed);
            return (StatusCode::NOT_FOUND, "unknown order");
        };
        if n.check_order(order.amount, "NZD").is_err() {
            m.refused.fetch_add(1, Ordering::Relaxed);
            return (StatusCode::UNPROCESSABLE_ENTITY, "mismatch");
        }
        if order.status == n.status {
            m.duplicates.fetch_add(1, Ordering::Relaxed);
        } else {
            order.status = n.status.clone();
            order.applied += 1;
        }
    }
    if fail {
        // Stored, but the answer comes after the sandbox stopped waiting: it sends it again.
        m.injected_timeouts.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(m.stall).await;
        return (StatusCode::OK, "sent");
    }
    m.acknowledged.fetch_add(1, Ordering::Relaxed);
    let (_, ack) = Notification::ack();
    (StatusCode::OK, ack)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = (sorted.len() * p).div_ceil(100).saturating_sub(1);
    sorted[i.min(sorted.len() - 1)]
}

/// Whether the sandbox reports every notification of `reference` delivered (and it has one).
async fn delivered(http: &reqwest::Client, sandbox: &str, reference: &str) -> bool {
    let url = format!("{sandbox}/sandbox/orders/{reference}");
    let Ok(response) = http.get(&url).send().await else {
        return false;
    };
    let Ok(text) = response.text().await else {
        return false;
    };
    let Ok(view) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let Some(deliveries) = view["notifications"].as_array() else {
        return false;
    };
    !deliveries.is_empty() && deliveries.iter().all(|d| d["state"] == "delivered")
}

/// Runs the load; never panics on a failure of the system under test, it reports it.
pub async fn run(config: LoadConfig) -> Report {
    let started = Instant::now();
    let deadline = started + config.deadline;
    let mut sandbox_config = Config::ephemeral();
    sandbox_config.notify_interval = config.notify_interval;
    sandbox_config.notify_timeout = config.notify_timeout;
    let sandbox = Sandbox::start(sandbox_config)
        .await
        .expect("the sandbox starts on 127.0.0.1:0");
    let credentials = Credentials::new(
        latipay_sandbox::DEFAULT_USER_ID,
        latipay_sandbox::DEFAULT_WALLET_ID,
        latipay_sandbox::DEFAULT_API_KEY,
    );
    let merchant = Arc::new(Merchant {
        credentials: credentials.clone(),
        orders: Mutex::new(HashMap::with_capacity(config.orders)),
        failure_percent: config.failure_percent,
        stall: config.stall,
        rng: AtomicU64::new(config.seed),
        attempts: AtomicUsize::new(0),
        injected_500: AtomicUsize::new(0),
        injected_timeouts: AtomicUsize::new(0),
        acknowledged: AtomicUsize::new(0),
        duplicates: AtomicUsize::new(0),
        refused: AtomicUsize::new(0),
    });
    let app = axum::Router::new()
        .route("/latipay/notify", axum::routing::post(notify))
        .with_state(merchant.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("the handler binds 127.0.0.1:0");
    let callback_url = format!(
        "http://{}/latipay/notify",
        listener.local_addr().expect("a local address")
    );
    let handler = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder(credentials)
        .environment(Environment::Custom(sandbox.url().to_owned()))
        .build()
        .expect("a client");
    let admin = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..config.concurrency.max(1) {
        let (client, admin, merchant, next) = (
            client.clone(),
            admin.clone(),
            merchant.clone(),
            next.clone(),
        );
        let (callback_url, sandbox_url, config) = (
            callback_url.clone(),
            sandbox.url().to_owned(),
            config.clone(),
        );
        workers.spawn(async move {
            // (reference, create latency) of each created order, and the failed creates.
            let mut created = Vec::new();
            let mut errors = 0usize;
            let mut paid = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= config.orders || Instant::now() > deadline {
                    break;
                }
                let reference = format!("load-{:x}-{i}", config.seed);
                // Never a magic ending: cents .10.
                let amount = Amount::from_cents(100 + (i as u64 % 5000) * 100 + 10);
                merchant.orders().insert(
                    reference.clone(),
                    Stored {
                        amount,
                        status: PaymentStatus::Pending,
                        applied: 0,
                    },
                );
                let order = HostedOrder {
                    amount: amount.to_string(),
                    payment_method: "alipay".into(),
                    return_url: "https://merchant.example/return".into(),
                    callback_url: callback_url.clone(),
                    back_page_url: None,
                    merchant_reference: reference.clone(),
                    ip: "122.122.122.1".into(),
                    product_name: "load".into(),
                    present_qr: None,
                };
                let t = Instant::now();
                let result = client.send(&order).await;
                let latency = t.elapsed();
                if result.is_err() {
                    errors += 1;
                    merchant.orders().remove(&reference);
                    continue;
                }
                let pay = format!("{sandbox_url}/sandbox/orders/{reference}/pay");
                if let Ok(r) = admin.post(&pay).send().await
                    && r.status().is_success()
                {
                    paid += 1;
                }
                created.push((reference, latency));
            }
            (created, errors, paid)
        });
    }
    let mut created: Vec<(String, Duration)> = Vec::with_capacity(config.orders);
    let mut report = Report::default();
    while let Some(done) = workers.join_next().await {
        if let Ok((mut c, errors, paid)) = done {
            created.append(&mut c);
            report.create_errors += errors;
            report.orders_paid += paid;
        }
    }
    report.orders_created = created.len();
    let mut latencies: Vec<Duration> = created.iter().map(|(_, l)| *l).collect();
    latencies.sort();
    report.create_p50 = percentile(&latencies, 50);
    report.create_p99 = percentile(&latencies, 99);
    report.create_max = latencies.last().copied().unwrap_or_default();

    // Wait until the handler applied every order, then until the sandbox reports every
    // notification delivered (checked order by order, each once it is).
    let mut pending: Vec<String> = created.into_iter().map(|(r, _)| r).collect();
    loop {
        let all_applied = {
            let orders = merchant.orders();
            pending
                .iter()
                .all(|r| orders.get(r).is_some_and(|o| o.applied >= 1))
        };
        if all_applied {
            let mut still = Vec::new();
            for chunk in pending.chunks(256) {
                let mut checks = tokio::task::JoinSet::new();
                for r in chunk {
                    let (http, url, r) = (admin.clone(), sandbox.url().to_owned(), r.clone());
                    checks.spawn(async move { (delivered(&http, &url, &r).await, r) });
                }
                while let Some(Ok((ok, r))) = checks.join_next().await {
                    if !ok {
                        still.push(r);
                    }
                }
            }
            pending = still;
            if pending.is_empty() {
                report.finished = true;
                break;
            }
        }
        if Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let not_applied = {
        let orders = merchant.orders();
        report.applied = orders.values().filter(|o| o.applied == 1).count();
        report.applied_twice = orders.values().filter(|o| o.applied > 1).count();
        orders.values().filter(|o| o.applied == 0).count()
    };
    report.lost = not_applied.max(pending.len());
    report.delivered = report.orders_created - pending.len();
    report.attempts = merchant.attempts.load(Ordering::Relaxed);
    report.injected_500 = merchant.injected_500.load(Ordering::Relaxed);
    report.injected_timeouts = merchant.injected_timeouts.load(Ordering::Relaxed);
    report.acknowledged = merchant.acknowledged.load(Ordering::Relaxed);
    report.duplicates = merchant.duplicates.load(Ordering::Relaxed);
    report.refused = merchant.refused.load(Ordering::Relaxed);
    let _ = sandbox.shutdown().await;
    handler.abort();
    report.elapsed = started.elapsed();
    report
}
