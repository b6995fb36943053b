//! The load run of `--bin load`, small: 500 orders at concurrency 64 through `Client` to the
//! in-process sandbox, 30 % of notification attempts failed by the merchant's handler. Nothing
//! may be lost or applied twice. No timing is asserted; the deadline only bounds the run.

use std::time::Duration;

use latipay_tests::load::{LoadConfig, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_orders_all_notified_none_lost_none_applied_twice() {
    let mut config = LoadConfig::new(500);
    config.deadline = Duration::from_secs(120);
    let report = run(config).await;
    println!("{report}");
    assert!(
        report.finished,
        "not everything was delivered in time:\n{report}"
    );
    assert_eq!(report.orders_created, 500, "{report}");
    assert_eq!(report.create_errors, 0, "{report}");
    assert_eq!(report.orders_paid, 500, "{report}");
    assert_eq!(report.lost, 0, "{report}");
    assert_eq!(report.applied, 500, "{report}");
    assert_eq!(report.applied_twice, 0, "{report}");
    assert_eq!(report.refused, 0, "{report}");
    assert_eq!(report.delivered, 500, "{report}");
    // The faults did happen, and each timed-out attempt came back as a duplicate.
    assert!(
        report.injected_500 > 0 && report.injected_timeouts > 0,
        "{report}"
    );
    assert!(report.duplicates >= report.injected_timeouts, "{report}");
    assert!(
        report.attempts >= 500 + report.injected_500 + report.injected_timeouts,
        "{report}"
    );
}
