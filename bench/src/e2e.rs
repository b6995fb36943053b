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

/// Which sides `e2e` runs: both, or only `client` or `raw` when `LATIPAY_E2E_ONLY` says so (to
/// profile one side at a time; the rates of a one-sided run are not a ratio).
fn sides() -> (bool, bool) {
    match std::env::var("LATIPAY_E2E_ONLY").as_deref() {
        Ok("client") => (true, false),
        Ok("raw") => (false, true),
        _ => (true, true),
    }
}

/// `e2e`: prints `e2e_client_c{N}` and `e2e_raw_c{N}` in requests per second.
pub fn run_e2e() {
    let (run_client, run_raw) = sides();
    runtime().block_on(async {
        let (sandbox, client) = start().await;
        let base = sandbox.url().to_owned();
        let raw = raw_client();
        let creds = credentials();
        for (concurrency, n) in PLAN {
            let (mut client_rates, mut raw_rates) = (Vec::new(), Vec::new());
            let (mut client_cpu, mut raw_cpu) = (Vec::new(), Vec::new());
            for round in 0..=rounds() {
                // Inputs are built before the clock starts: structs for the client, bodies
                // signed by the same derive for raw reqwest. Each body is moved into its request,
                // as the client moves the body it builds: no copy on either side.
                let orders: Arc<Vec<MiniOrder>> = Arc::new(
                    (0..n)
                        .map(|i| order(&format!("c{concurrency}r{round}"), i))
                        .collect(),
                );
                let url: Arc<str> = format!("{base}{}", MiniOrder::ENDPOINT.path).into();
                let bodies: Arc<Vec<Mutex<Option<String>>>> = Arc::new(
                    (0..n)
                        .map(|i| {
                            let body = order(&format!("raw-c{concurrency}r{round}"), i)
                                .to_request(&creds)
                                .expect("a valid order")
                                .body
                                .expect("a POST body");
                            Mutex::new(Some(body))
                        })
                        .collect(),
                );
                let client_side = async {
                    reset(&raw, &base).await;
                    let c = client.clone();
                    drive_cpu(concurrency, n, move |i| {
                        let (c, orders) = (c.clone(), orders.clone());
                        async move {
                            c.send(&orders[i]).await.expect("the sandbox creates it");
                        }
                    })
                    .await
                };
                let raw_side = async {
                    reset(&raw, &base).await;
                    let r = raw.clone();
                    drive_cpu(concurrency, n, move |i| {
                        let (r, u, bodies) = (r.clone(), url.clone(), bodies.clone());
                        async move {
                            let body = bodies[i]
                                .lock()
                                .expect("a body")
                                .take()
                                .expect("each body is sent once");
                            let response = r
                                .post(&*u)
                                .header("accept", "application/json")
                                .header("content-type", "application/json;charset=UTF-8")
                                .body(body)
                                .send()
                                .await
                                .expect("the sandbox answers");
                            // The whole body, as bytes: the least a caller can read.
                            let body = response.bytes().await.expect("a body");
                            assert!(
                                body.windows(8).any(|w| w == b"\"code\":0"),
                                "not created: {}",
                                String::from_utf8_lossy(&body)
                            );
                        }
                    })
                    .await
                };
                // Round 0 warms connections and the allocator up; it is not counted. The side
                // that goes first alternates between rounds.
                let (client_rate, raw_rate) = if round % 2 == 0 {
                    let c = if run_client {
                        Some(client_side.await)
                    } else {
                        None
                    };
                    let r = if run_raw { Some(raw_side.await) } else { None };
                    (c, r)
                } else {
                    let r = if run_raw { Some(raw_side.await) } else { None };
                    let c = if run_client {
                        Some(client_side.await)
                    } else {
                        None
                    };
                    (c, r)
                };
                if round > 0 {
                    client_rates.extend(client_rate.map(|(rate, _)| rate));
                    client_cpu.extend(client_rate.map(|(_, cpu)| cpu));
                    raw_rates.extend(raw_rate.map(|(rate, _)| rate));
                    raw_cpu.extend(raw_rate.map(|(_, cpu)| cpu));
                }
            }
            // Diagnostics on stderr (the results stay two lines per concurrency): CPU per
            // request of the whole process, sandbox included, median of the rounds.
            let show = |v: &[f64]| match v {
                [] => "-".to_owned(),
                _ => format!("{:.1} µs", median(v.to_vec())),
            };
            // The ratio of each round's two sides, measured next to each other: steadier than
            // the ratio of the medians when other processes' load drifts.
            let paired: Vec<f64> = client_rates
                .iter()
                .zip(&raw_rates)
                .map(|(c, r)| c / r)
                .collect();
            let paired = if paired.is_empty() {
                "-".to_owned()
            } else {
                format!("{:.3}", median(paired))
            };
            eprintln!(
                "e2e c{concurrency}: CPU per request (process): client {}, raw {}; median of \
                 the rounds' ratios {paired}",
                show(&client_cpu),
                show(&raw_cpu)
            );
            if run_client {
                println!("e2e_client_c{concurrency}\t{:.1}", median(client_rates));
            }
            if run_raw {
                println!("e2e_raw_c{concurrency}\t{:.1}", median(raw_rates));
            }
            if paired != "-" {
                println!("e2e_ratio_c{concurrency}\t{paired}");
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
