//! End to end against the sandbox on loopback, in this process: `Client::send` (sign + HTTP +
//! decode + verify) vs raw reqwest posting the same requests' pre-signed JSON bodies; then the
//! sandbox's own throughput and memory with 100 000 orders.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use latipay_bench::{MiniOrder, credentials};
use latipay_runtime::{Amount, Client, Environment, LatipaySigned};
use latipay_sandbox::{Config, Sandbox};

/// Requests per round at each concurrency, and the rounds (modes alternate, the median is kept;
/// `LATIPAY_E2E_ROUNDS` sets another number of rounds).
const PLAN: [(usize, usize); 2] = [(1, 2_000), (32, 8_000)];
const ROUNDS: usize = 11;
const MEMORY_ORDERS: usize = 100_000;

fn rounds() -> usize {
    std::env::var("LATIPAY_E2E_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0)
        .unwrap_or(ROUNDS)
}

fn order(tag: &str, i: usize) -> MiniOrder {
    MiniOrder {
        amount: Amount::from_cents(12000),
        callback_url: "https://merchantsite.com/confirm".into(),
        order_ref: format!("{tag}-{i}"),
        ip: std::net::Ipv4Addr::new(122, 122, 122, 1),
        product_name: "Pinot Noir, Otago".into(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(Config::ephemeral())
        .await
        .expect("the sandbox starts");
    let client = Client::builder(credentials())
        .environment(Environment::Custom(sandbox.url().to_owned()))
        .request_timeout(Duration::from_secs(30))
        .build()
        .expect("a client");
    (sandbox, client)
}

async fn reset(http: &reqwest::Client, base: &str) {
    let r = http
        .post(format!("{base}/sandbox/reset"))
        .send()
        .await
        .expect("reset");
    assert!(r.status().is_success(), "reset answered {}", r.status());
}

/// Runs `job(i)` for i in 0..n on `concurrency` tasks; requests per second.
async fn drive<F, Fut>(concurrency: usize, n: usize, job: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (job, next) = (job.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    job(i).await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a worker");
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// CPU time used so far by every thread of this process (client, sandbox and runtime alike), in
/// ns, from `/proc/self/task/*/schedstat`; 0 where that is not available.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// [`drive`], and the CPU time it took per request, in µs: on a shared machine the CPU cost is
/// steadier than the rate, which other processes' load moves.
async fn drive_cpu<F, Fut>(concurrency: usize, n: usize, job: F) -> (f64, f64)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let before = cpu_ns();
    let rate = drive(concurrency, n, job).await;
    let cpu = cpu_ns().saturating_sub(before) as f64 / 1_000.0 / n as f64;
    (rate, cpu)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The raw side's reqwest client, configured as `Client::build` configures its own and as
/// [`start`] sets it up (connect timeout, user agent, the 30 s request timeout, so a timer per
/// request on both sides): the two sides differ only in what the runtime adds.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("latipay-rs/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a reqwest client")
}

/// The sides of the end-to-end rows.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// `Client::send`.
    Client,
    /// Raw reqwest posting pre-signed bodies and reading the answer's bytes: the row's reference.
    Raw,
    /// Raw reqwest doing the client's own work besides HTTP: the body signed and written by
    /// `to_request` when sending, the answer read and checked as `Client::send` reads it. Against
    /// it, the client's ratio is what its HTTP path (retries, timeouts, bounded reading, tracing)
    /// costs; against `Raw`, this side's is what signing and reading cost.
    RawSameWork,
}

const SIDES: [Side; 3] = [Side::Client, Side::Raw, Side::RawSameWork];

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Raw => "raw",
            Side::RawSameWork => "raw_same_work",
        }
    }
}

/// Which sides `e2e` runs: all, or one when `LATIPAY_E2E_ONLY` names it (`client`, `raw`,
/// `raw_same_work`: to profile one side at a time; the rates of a one-sided run are not a ratio).
fn sides() -> Vec<Side> {
    let only = std::env::var("LATIPAY_E2E_ONLY").unwrap_or_default();
    let chosen: Vec<Side> = SIDES.into_iter().filter(|s| s.name() == only).collect();
    if chosen.is_empty() {
        SIDES.to_vec()
    } else {
        chosen
    }
}

/// One round of one side: `n` creates at `concurrency`; requests/s and CPU µs per request.
async fn run_side(
    side: Side,
    concurrency: usize,
    n: usize,
    tag: &str,
    client: &Client,
    raw: &reqwest::Client,
    base: &str,
) -> (f64, f64) {
    // Inputs are built before the clock starts: structs for the client and for the same-work
    // side, bodies signed by the same derive for raw reqwest. Each body is moved into its
    // request, as the client moves the body it builds: no copy on either side.
    let orders: Arc<Vec<MiniOrder>> = Arc::new((0..n).map(|i| order(tag, i)).collect());
    reset(raw, base).await;
    match side {
        Side::Client => {
            let c = client.clone();
            drive_cpu(concurrency, n, move |i| {
                let (c, orders) = (c.clone(), orders.clone());
                async move {
                    c.send(&orders[i]).await.expect("the sandbox creates it");
                }
            })
            .await
        }
        Side::Raw | Side::RawSameWork => {
            let creds = Arc::new(credentials());
            let url: Arc<str> = format!("{base}{}", MiniOrder::ENDPOINT.path).into();
            let bodies: Arc<Vec<Mutex<Option<String>>>> = Arc::new(match side {
                Side::Raw => orders
                    .iter()
                    .map(|o| Mutex::new(Some(post_body(o, &creds))))
                    .collect(),
                _ => Vec::new(),
            });
            let r = raw.clone();
            drive_cpu(concurrency, n, move |i| {
                let (r, u, bodies, orders, creds) = (
                    r.clone(),
                    url.clone(),
                    bodies.clone(),
                    orders.clone(),
                    creds.clone(),
                );
                async move {
                    let body = match bodies.get(i) {
                        Some(body) => body
                            .lock()
                            .expect("a body")
                            .take()
                            .expect("each body is sent once"),
                        None => post_body(&orders[i], &creds),
                    };
                    let response = r
                        .post(&*u)
                        .header("accept", "application/json")
                        .header("content-type", "application/json;charset=UTF-8")
                        .body(body)
                        .send()
                        .await
                        .expect("the sandbox answers");
                    let status = response.status().as_u16();
                    // The whole body, as bytes: the least a caller can read.
                    let body = response.bytes().await.expect("a body");
                    if side == Side::Raw {
                        assert!(
                            body.windows(8).any(|w| w == b"\"code\":0"),
                            "not created: {}",
                            String::from_utf8_lossy(&body)
                        );
                    } else {
                        let text = std::str::from_utf8(&body).expect("UTF-8");
                        latipay_runtime::__private::decode_response::<MiniOrder>(
                            status, text, &creds,
                        )
                        .expect("created, and read as the client reads it");
                    }
                }
            })
            .await
        }
    }
}

/// The JSON body `to_request` writes for `order`.
fn post_body(order: &MiniOrder, creds: &latipay_runtime::Credentials) -> String {
    order
        .to_request(creds)
        .expect("a valid order")
        .body
        .expect("a POST body")
}

/// `e2e`: prints `e2e_{side}_c{N}` in requests per second, and the ratios to `raw` of the other
/// sides (`e2e_ratio_c{N}` for the client's, the row's claim).
pub fn run_e2e() {
    let sides = sides();
    runtime().block_on(async {
        let (sandbox, client) = start().await;
        let base = sandbox.url().to_owned();
        let raw = raw_client();
        for (concurrency, n) in PLAN {
            let mut rates: Vec<Vec<f64>> = vec![Vec::new(); SIDES.len()];
            let mut cpu: Vec<Vec<f64>> = vec![Vec::new(); SIDES.len()];
            for round in 0..=rounds() {
                // Round 0 warms connections and the allocator up; it is not counted. The side
                // that goes first turns from round to round.
                for k in 0..sides.len() {
                    let side = sides[(round + k) % sides.len()];
                    let tag = format!("{}-c{concurrency}r{round}", side.name());
                    let (rate, per_request) =
                        run_side(side, concurrency, n, &tag, &client, &raw, &base).await;
                    if round > 0 {
                        let i = SIDES.iter().position(|s| *s == side).unwrap_or(0);
                        rates[i].push(rate);
                        cpu[i].push(per_request);
                    }
                }
            }
            // The ratio of each round's two sides, measured next to each other: steadier than
            // the ratio of the medians when other processes' load drifts.
            let raw_i = 1;
            let paired = |i: usize| -> Option<f64> {
                let ratios: Vec<f64> = rates[i]
                    .iter()
                    .zip(&rates[raw_i])
                    .map(|(a, r)| a / r)
                    .collect();
                (!ratios.is_empty()).then(|| median(ratios))
            };
            // Diagnostics on stderr: CPU per request of the whole process, sandbox included,
            // median of the rounds.
            let show = |v: &[f64]| match v {
                [] => "-".to_owned(),
                _ => format!("{:.1} µs", median(v.to_vec())),
            };
            eprintln!(
                "e2e c{concurrency}: CPU per request (process): client {}, raw {}, raw doing the \
                 same work {}; median of the rounds' ratios to raw: client {:?}, same work {:?}",
                show(&cpu[0]),
                show(&cpu[1]),
                show(&cpu[2]),
                paired(0),
                paired(2),
            );
            for (i, side) in SIDES.iter().enumerate() {
                if !rates[i].is_empty() {
                    println!(
                        "e2e_{}_c{concurrency}\t{:.1}",
                        side.name(),
                        median(rates[i].clone())
                    );
                }
            }
            if let Some(r) = paired(0) {
                println!("e2e_ratio_c{concurrency}\t{r:.3}");
            }
            if let Some(r) = paired(2) {
                println!("e2e_same_work_ratio_c{concurrency}\t{r:.3}");
            }
            // The client against raw reqwest doing the same work: its HTTP path alone.
            let own: Vec<f64> = rates[0].iter().zip(&rates[2]).map(|(c, w)| c / w).collect();
            if !own.is_empty() {
                println!("e2e_client_vs_same_work_c{concurrency}\t{:.3}", median(own));
            }
        }
        reset(&raw, &base).await;
        sandbox.shutdown().await.expect("shutdown");
    });
}

/// Resident memory of this process, in bytes (`/proc/self/statm`, 4 KiB pages).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// `memory`: prints `sandbox_creates_per_s` and `sandbox_bytes_per_order`.
pub fn run_memory() {
    runtime().block_on(async {
        let (sandbox, client) = start().await;
        let base = sandbox.url().to_owned();
        let raw = reqwest::Client::new();
        // Warm up connections, buffers and the allocator, then forget those orders.
        let c = client.clone();
        drive(32, 2_000, move |i| {
            let c = c.clone();
            async move {
                c.send(&order("warm", i)).await.expect("created");
            }
        })
        .await;
        reset(&raw, &base).await;
        let before = rss();
        let c = client.clone();
        let rate = drive(32, MEMORY_ORDERS, move |i| {
            let c = c.clone();
            async move {
                c.send(&order("mem", i)).await.expect("created");
            }
        })
        .await;
        let after = rss();
        let listed = raw
            .get(format!("{base}/sandbox/orders"))
            .send()
            .await
            .expect("the order list")
            .text()
            .await
            .unwrap_or_default();
        let held: serde_json::Value = serde_json::from_str(&listed).unwrap_or_default();
        let count = held.get("orders").and_then(|o| o.as_array()).map(Vec::len);
        eprintln!("orders held by the sandbox: {count:?}; RSS {before} -> {after} bytes");
        println!("sandbox_creates_per_s\t{rate:.1}");
        println!(
            "sandbox_bytes_per_order\t{:.1}",
            after.saturating_sub(before) as f64 / MEMORY_ORDERS as f64
        );
        println!("sandbox_orders_held\t{}", count.unwrap_or(0));
        sandbox.shutdown().await.expect("shutdown");
    });
}
