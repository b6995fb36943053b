//! End to end against the sandbox on loopback, in this process: `Client::send` (sign + HTTP +
//! decode + verify) vs raw reqwest posting the same requests' pre-signed JSON bodies; then the
//! sandbox's own throughput and memory with 100 000 orders.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use latipay_bench::{MiniOrder, credentials};
use latipay_runtime::{Amount, Client, Environment, LatipaySigned};
use latipay_sandbox::{Config, Sandbox};

/// Requests per round at each concurrency, and the rounds (modes alternate, the median is kept).
const PLAN: [(usize, usize); 2] = [(1, 2_000), (32, 8_000)];
const ROUNDS: usize = 5;
const MEMORY_ORDERS: usize = 100_000;

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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `e2e`: prints `e2e_client_c{N}` and `e2e_raw_c{N}` in requests per second.
pub fn run_e2e() {
    runtime().block_on(async {
        let (sandbox, client) = start().await;
        let base = sandbox.url().to_owned();
        let raw = reqwest::Client::new();
        let creds = credentials();
        for (concurrency, n) in PLAN {
            let (mut client_rates, mut raw_rates) = (Vec::new(), Vec::new());
            for round in 0..=ROUNDS {
                // Inputs are built before the clock starts: structs for the client, bodies
                // signed by the same derive for raw reqwest.
                let orders: Arc<Vec<MiniOrder>> = Arc::new(
                    (0..n)
                        .map(|i| order(&format!("c{concurrency}r{round}"), i))
                        .collect(),
                );
                let url = format!("{base}{}", MiniOrder::ENDPOINT.path);
                let bodies: Arc<Vec<String>> = Arc::new(
                    (0..n)
                        .map(|i| {
                            order(&format!("raw-c{concurrency}r{round}"), i)
                                .to_request(&creds)
                                .expect("a valid order")
                                .body
                                .expect("a POST body")
                        })
                        .collect(),
                );
                reset(&raw, &base).await;
                let c = client.clone();
                let rate = drive(concurrency, n, move |i| {
                    let (c, orders) = (c.clone(), orders.clone());
                    async move {
                        c.send(&orders[i]).await.expect("the sandbox creates it");
                    }
                })
                .await;
                // Round 0 warms connections and the allocator up; it is not counted.
                if round > 0 {
                    client_rates.push(rate);
                }
                reset(&raw, &base).await;
                let (r, u) = (raw.clone(), url.clone());
                let rate = drive(concurrency, n, move |i| {
                    let (r, u, bodies) = (r.clone(), u.clone(), bodies.clone());
                    async move {
                        let response = r
                            .post(u)
                            .header("accept", "application/json")
                            .header("content-type", "application/json;charset=UTF-8")
                            .body(bodies[i].clone())
                            .send()
                            .await
                            .expect("the sandbox answers");
                        let text = response.text().await.expect("a body");
                        assert!(text.contains("\"code\":0"), "not created: {text}");
                    }
                })
                .await;
                if round > 0 {
                    raw_rates.push(rate);
                }
            }
            println!("e2e_client_c{concurrency}\t{:.1}", median(client_rates));
            println!("e2e_raw_c{concurrency}\t{:.1}", median(raw_rates));
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
