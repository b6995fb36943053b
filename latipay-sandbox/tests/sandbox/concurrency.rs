//! Concurrent creates with the same merchant_reference create exactly one order.

use super::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_duplicate_creates_make_one_order() {
    let sb = std::sync::Arc::new(sandbox().await);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let sb = sb.clone();
        tasks.push(tokio::spawn(async move {
            code(
                &call(
                    &sb,
                    "transaction",
                    &transaction_fields("race", "3.00", "https://m.example/c"),
                )
                .await,
            )
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 1).count(), 15, "{codes:?}");
    let all: serde_json::Value = orders(&sb).await;
    assert_eq!(all["orders"].as_array().unwrap().len(), 1);
}
