//! Load with nothing lost: `cargo run --release -p latipay-tests --bin load -- [ORDERS]`
//! (10 000 by default). Prints the report of `latipay_tests::load::run`, and exits non-zero when
//! an order was lost, applied twice, or a notification refused.

use latipay_tests::load::{LoadConfig, run};

#[tokio::main]
async fn main() {
    let orders = std::env::args()
        .nth(1)
        .map(|a| a.parse::<usize>().expect("ORDERS is a whole number"))
        .unwrap_or(10_000);
    let config = LoadConfig::new(orders);
    println!(
        "{} orders at concurrency {}, {} % of notification attempts failed (half 500, half timed out)",
        config.orders, config.concurrency, config.failure_percent
    );
    let report = run(config).await;
    println!("{report}");
    let ok = report.lost == 0
        && report.applied_twice == 0
        && report.refused == 0
        && report.create_errors == 0
        && report.finished;
    std::process::exit(if ok { 0 } else { 1 });
}
