//! Tracing output of client calls, captured at every level: neither the api_key nor any
//! signature appears in it.
//!
//! The capture is the test binary's global subscriber: a thread's default subscriber misses
//! events when other tests register the same callsites first, in parallel.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use latipay_runtime::LatipaySigned;
use latipay_tests::*;

use crate::sandbox::sandbox;

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

/// Everything every test of this binary logs from the first call on, at TRACE.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        capture
    })
}

#[test]
fn logs_never_show_the_api_key_or_signatures() {
    let capture = capture();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let signatures = {
        rt.block_on(async {
            let (sandbox, client) = sandbox().await;
            let q = PaymentQuery {
                merchant_reference: "nope".into(),
                is_block: None,
            };
            let _ = client.send(&q).await;
            let order = HostedOrder::builder()
                .amount("1.00")
                .payment_method("alipay")
                .return_url("https://m.example/r")
                .callback_url("https://m.example/c")
                .merchant_reference("log-1")
                .ip("1.2.3.4")
                .product_name("wine")
                .build();
            client.send(&order).await.unwrap();
            let sigs = [
                q.sign(client.credentials()).unwrap(),
                order.sign(client.credentials()).unwrap(),
            ];
            sandbox.shutdown().await.unwrap();
            sigs
        })
    };
    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("endpoint=\"transaction\""),
        "spans are logged: {text}"
    );
    assert!(
        text.contains("merchant_reference=\"log-1\""),
        "spans are logged: {text}"
    );
    assert!(
        !text.contains(latipay_sandbox::DEFAULT_API_KEY),
        "api_key in logs:\n{text}"
    );
    for s in signatures {
        assert!(!text.contains(&s), "a signature in logs:\n{text}");
    }
}
