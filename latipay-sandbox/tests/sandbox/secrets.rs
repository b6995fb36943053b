//! The api_key never leaves the sandbox: not in its tracing output at any level (captured at
//! TRACE), not in any HTTP answer, not in `Debug` of its configuration, not in the state file.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use latipay_sandbox::{Config, User};
use latipay_spec::{ApiKey, SigningKey};
use serde_json::Value;

use super::common::*;

const SECRET: &str = "sk_sandbox_7Qz9-NEVER-LOG-ME";
const SECRET_USER: &str = "U000000077";
const SECRET_WALLET: &str = "W00000077";

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

/// The binary's global subscriber, at TRACE, writing into one buffer. Global rather than a
/// thread's default: tracing caches per-callsite interest across threads, so a scoped
/// subscriber misses events whose callsites other tests (running in parallel) hit first.
/// Every test's events after it is installed land in the buffer, which only makes the check
/// stronger.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(capture.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        capture
    })
}

#[tokio::test]
async fn the_api_key_is_in_no_log_answer_or_file() {
    let capture = capture();
    let dir = temp_dir("secrets");
    let state = dir.path().join("state.db");
    let mut config: Option<Config> = None;
    let sb = sandbox_with(|c| {
        c.users.push(User::new(SECRET_USER, SECRET, SECRET_WALLET));
        c.state = Some(state.clone());
        config = Some(c.clone());
    })
    .await;
    let config = config.unwrap();
    assert!(!format!("{config:?}").contains(SECRET), "Config's Debug");
    tracing::trace!(
        ?config,
        "the configuration, logged the way a careless caller would"
    );

    let key = SigningKey::new(ApiKey::new(SECRET));
    let wrong = SigningKey::new(ApiKey::new("a-wrong-key"));
    let merchant = Merchant::start(vec![(500, "down"), (200, "sent")]).await;
    let mut answers: Vec<String> = Vec::new();
    let mut as_secret = async |endpoint: &str, k: &SigningKey, fields: Vec<(String, String)>| {
        let text = call_text(&sb, endpoint, k, SECRET_USER, SECRET_WALLET, &fields).await;
        let v: Value = serde_json::from_str(&text).unwrap();
        answers.push(text);
        v
    };
    // Accepted, refused for each reason, paid with notifications retried, refunded, queried.
    let v = as_secret(
        "transaction",
        &key,
        transaction_fields("s-1", "9.52", &merchant.url),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let v = as_secret(
        "transaction",
        &wrong,
        transaction_fields("s-2", "9.00", &merchant.url),
    )
    .await;
    assert_eq!(code(&v), 206, "{v}");
    let v = as_secret(
        "transaction",
        &key,
        transaction_fields("s-3", "9.06", &merchant.url),
    )
    .await;
    assert_eq!(code(&v), 206, "{v}");
    let v = as_secret(
        "transaction",
        &key,
        transaction_fields("s-4", "9.56", &merchant.url),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let v = as_secret("query", &key, pairs(&[("merchant_reference", "s-1")])).await;
    assert_eq!(v["status"], "paid", "{v}");
    let paid = wait_for(&sb, "s-1", |v| delivery_state(v) == "delivered").await;
    let order_id = paid["order_id"].as_str().unwrap().to_owned();
    let v = as_secret(
        "refund",
        &key,
        pairs(&[("order_id", &order_id), ("refund_amount", "1.00")]),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let v = as_secret(
        "refund",
        &wrong,
        pairs(&[("order_id", &order_id), ("refund_amount", "1.00")]),
    )
    .await;
    assert_eq!(code(&v), 206, "{v}");
    let v = as_secret("cancel", &key, pairs(&[("merchant_reference", "none")])).await;
    assert_eq!(code(&v), 201, "{v}");
    // The signing key in the wrong user's name: 206 with the expected message, key masked.
    let text = call_text(
        &sb,
        "cancel",
        &key,
        USER,
        WALLET,
        &pairs(&[("merchant_reference", "s-1")]),
    )
    .await;
    answers.push(text);
    wait_for(&sb, "s-4", |v| delivery_state(v) == "delivered").await;
    for path in ["/sandbox", "/sandbox/orders", "/sandbox/orders/s-1"] {
        answers.push(
            reqwest::get(format!("{}{path}", sb.url()))
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
    }
    sb.shutdown().await.unwrap();

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("request refused"),
        "the capture works: {logs}"
    );
    assert!(logs.contains("notification attempt"), "{logs}");
    assert!(logs.contains("TRACE"), "TRACE level was on");
    assert!(!logs.contains(SECRET), "the api_key is in the logs");
    for a in &answers {
        assert!(!a.contains(SECRET), "the api_key is in an answer: {a}");
    }
    assert!(
        answers.iter().any(|a| a.contains("***")),
        "206 masks the key"
    );
    let mut file = std::fs::read(&state).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("state.db-wal")) {
        file.extend(wal);
    }
    assert!(
        !file.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
        "the api_key is in the state file"
    );
    eprintln!(
        "figures: log bytes at TRACE={} answers={} api_key found=0",
        logs.len(),
        answers.len()
    );
}
