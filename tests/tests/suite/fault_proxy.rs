//! The runtime against the real sandbox through a fault-injecting TCP proxy on loopback: requests
//! dropped, answers reset, stalled, replaced by 5xx or cut off. Every request is counted at the
//! proxy, so the tests prove what the client promises: no panic, queries retried, creates and
//! refunds never sent twice; and, reconciling with a query afterwards, nothing lost: every create
//! the proxy forwarded exists, every one it dropped does not.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use latipay_runtime::{Amount, Client, Credentials, Environment, Error, RetryPolicy};
use latipay_sandbox::{Config, Sandbox};
use latipay_tests::{MiniOrder, PaymentQuery, Refund};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::fault_server::{read_request, reset};

/// What the proxy does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProxyFault {
    /// Forwards it and relays the answer.
    Pass,
    /// Reads the request, then resets the connection without forwarding it.
    DropRequest,
    /// Forwards it, then resets instead of answering: done upstream, the answer lost.
    ResetAfterForward,
    /// Forwards it, then holds the answer past the client's timeout, then resets.
    StallAfterForward,
    /// Forwards it, then answers 502 instead (a gateway failing after the work was done).
    BadGatewayAfterForward,
    /// Answers 503 without forwarding (a gateway refusing).
    Unavailable,
    /// Forwards it, then relays the head and half the body, and closes.
    PartialBody,
}

const FAULTS: [ProxyFault; 6] = [
    ProxyFault::DropRequest,
    ProxyFault::ResetAfterForward,
    ProxyFault::StallAfterForward,
    ProxyFault::BadGatewayAfterForward,
    ProxyFault::Unavailable,
    ProxyFault::PartialBody,
];

type Script = Arc<dyn Fn(usize, &str) -> ProxyFault + Send + Sync>;

/// Every request the proxy saw, by what it is about (`POST /v2/minialipay ref`), and those it
/// forwarded to the sandbox.
#[derive(Default)]
struct Counts {
    seen: HashMap<String, usize>,
    forwarded: HashMap<String, usize>,
}

struct Proxy {
    url: String,
    counts: Arc<Mutex<Counts>>,
}

impl Proxy {
    /// Listens on 127.0.0.1:0 in front of `upstream`; `script(n, key)` picks the fault for the
    /// n-th request (from 0), which is about `key`.
    async fn start(upstream: SocketAddr, script: Script) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let counts = Arc::new(Mutex::new(Counts::default()));
        let shared = counts.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, upstream, script.clone(), n, shared.clone()));
                n += 1;
            }
        });
        Proxy { url, counts }
    }

    fn seen(&self, key: &str) -> usize {
        self.counts
            .lock()
            .unwrap()
            .seen
            .get(key)
            .copied()
            .unwrap_or(0)
    }

    fn forwarded(&self, key: &str) -> usize {
        let counts = self.counts.lock().unwrap();
        counts.forwarded.get(key).copied().unwrap_or(0)
    }
}

/// `METHOD /path subject`: the subject is the body's `merchant_reference` or `order_id`, or the
/// path itself for a query.
fn key_of(request: &[u8]) -> String {
    let text = String::from_utf8_lossy(request);
    let line = text.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("").split('?').next().unwrap_or("");
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let subject = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            ["merchant_reference", "order_id"]
                .iter()
                .find_map(|k| v[*k].as_str().map(str::to_owned))
        })
        .unwrap_or_default();
    format!("{method} {path} {subject}").trim_end().to_owned()
}

/// The request with `connection: close`, so the sandbox closes after one answer.
fn one_shot(request: &[u8]) -> Vec<u8> {
    let end = request
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(request.len());
    let head = String::from_utf8_lossy(&request[..end]);
    let mut out: Vec<u8> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes();
    out.extend_from_slice(b"\r\nconnection: close");
    out.extend_from_slice(&request[end..]);
    out
}

async fn forward(upstream: SocketAddr, request: &[u8]) -> Option<Vec<u8>> {
    let exchange = async {
        let mut up = TcpStream::connect(upstream).await.ok()?;
        up.write_all(&one_shot(request)).await.ok()?;
        let mut answer = Vec::new();
        up.read_to_end(&mut answer).await.ok()?;
        Some(answer)
    };
    tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .ok()
        .flatten()
}

async fn serve(
    mut stream: TcpStream,
    upstream: SocketAddr,
    script: Script,
    n: usize,
    counts: Arc<Mutex<Counts>>,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let key = key_of(&request);
    let fault = script(n, &key);
    *counts.lock().unwrap().seen.entry(key.clone()).or_default() += 1;
    let simple = |status: u16, body: &str| {
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    match fault {
        ProxyFault::DropRequest => return reset(stream),
        ProxyFault::Unavailable => {
            let _ = stream
                .write_all(simple(503, "<html>unavailable</html>").as_bytes())
                .await;
            let _ = stream.shutdown().await;
            return;
        }
        _ => {}
    }
    let Some(answer) = forward(upstream, &request).await else {
        return reset(stream);
    };
    *counts.lock().unwrap().forwarded.entry(key).or_default() += 1;
    match fault {
        ProxyFault::Pass => {
            let _ = stream.write_all(&answer).await;
            let _ = stream.shutdown().await;
        }
        ProxyFault::ResetAfterForward => reset(stream),
        ProxyFault::StallAfterForward => {
            tokio::time::sleep(Duration::from_secs(1)).await;
            reset(stream);
        }
        ProxyFault::BadGatewayAfterForward => {
            let _ = stream
                .write_all(simple(502, "<html>bad gateway</html>").as_bytes())
                .await;
            let _ = stream.shutdown().await;
        }
        ProxyFault::PartialBody => {
            let head_end = answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(answer.len(), |i| i + 4);
            let body_len = answer.len() - head_end;
            let _ = stream.write_all(&answer[..head_end + body_len / 2]).await;
            let _ = stream.shutdown().await;
        }
        ProxyFault::DropRequest | ProxyFault::Unavailable => unreachable!(),
    }
}

fn credentials() -> Credentials {
    Credentials::new(
        latipay_sandbox::DEFAULT_USER_ID,
        latipay_sandbox::DEFAULT_WALLET_ID,
        latipay_sandbox::DEFAULT_API_KEY,
    )
}

fn client(url: &str) -> Client {
    Client::builder(credentials())
        .environment(Environment::Custom(url.to_owned()))
        .request_timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

async fn sandbox() -> Sandbox {
    let mut config = Config::ephemeral();
    config.notify_interval = Duration::from_millis(50);
    Sandbox::start(config).await.unwrap()
}

fn mini(reference: &str, cents: u64) -> MiniOrder {
    MiniOrder::builder()
        .amount(Amount::from_cents(cents))
        .callback_url("https://merchant.example/notify")
        .order_ref(reference)
        .ip([1, 2, 3, 4])
        .product_name("wine")
        .build()
}

fn query(reference: &str) -> PaymentQuery {
    PaymentQuery {
        merchant_reference: reference.to_owned(),
        is_block: None,
    }
}

fn always(fault: ProxyFault) -> Script {
    Arc::new(move |_, _| fault)
}

/// Whether the sandbox has the order, asked directly (no proxy).
async fn exists(direct: &Client, reference: &str) -> bool {
    direct.send(&query(reference)).await.is_ok()
}

#[tokio::test]
async fn creates_are_sent_at_most_once_and_reconcile_by_query() {
    let sandbox = sandbox().await;
    let direct = client(sandbox.url());
    for (i, fault) in FAULTS.iter().chain([&ProxyFault::Pass]).enumerate() {
        let proxy = Proxy::start(sandbox.addr(), always(*fault)).await;
        let reference = format!("proxy-create-{i}");
        let result = client(&proxy.url).send(&mini(&reference, 1000)).await;
        let key = format!("POST /v2/minialipay {reference}");
        assert_eq!(proxy.seen(&key), 1, "{fault:?}: the create was sent once");
        let forwarded = proxy.forwarded(&key);
        match (fault, &result) {
            (ProxyFault::Pass, Ok(m)) => assert!(m.order_id().is_some()),
            (_, Err(Error::Ambiguous { .. })) => {}
            (_, other) => panic!("{fault:?}: {other:?}"),
        }
        // Reconcile: the order exists exactly when the create reached the sandbox.
        assert_eq!(
            exists(&direct, &reference).await,
            forwarded == 1,
            "{fault:?}: forwarded {forwarded} time(s)"
        );
    }
}

#[tokio::test]
async fn refunds_are_sent_at_most_once_and_reconcile() {
    let sandbox = sandbox().await;
    let direct = client(sandbox.url());
    let admin = reqwest_get_text;
    for (i, fault) in FAULTS.iter().chain([&ProxyFault::Pass]).enumerate() {
        // Magic .52: paid at once, so it can be refunded.
        let reference = format!("proxy-refund-{i}");
        let order = direct.send(&mini(&reference, 2052)).await.unwrap();
        let order_id = order.order_id().unwrap().to_owned();
        let proxy = Proxy::start(sandbox.addr(), always(*fault)).await;
        let refund = Refund {
            order_id: order_id.clone(),
            refund_amount: Amount::from_cents(500),
            reference: Some(format!("r-{i}")),
        };
        let result = client(&proxy.url).send(&refund).await;
        let key = format!("POST /refund {order_id}");
        assert_eq!(proxy.seen(&key), 1, "{fault:?}: the refund was sent once");
        match (fault, &result) {
            (ProxyFault::Pass, Ok(_)) | (_, Err(Error::Ambiguous { .. })) => {}
            (_, other) => panic!("{fault:?}: {other:?}"),
        }
        let view = admin(&format!("{}/sandbox/orders/{reference}", sandbox.url())).await;
        let refunded = if proxy.forwarded(&key) == 1 {
            "5.00"
        } else {
            "0.00"
        };
        assert!(
            view.contains(&format!("\"refunded\":\"{refunded}\"")),
            "{fault:?}: {view}"
        );
    }
}

async fn reqwest_get_text(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = TcpStream::connect(host).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn queries_are_retried_through_every_fault_then_answered() {
    let sandbox = sandbox().await;
    client(sandbox.url())
        .send(&mini("proxy-query", 1052))
        .await
        .unwrap();
    let key = "GET /v2/transaction/proxy-query";
    // Three faults, then a clean answer: the fourth attempt (the third retry) succeeds.
    for faults in FAULTS.chunks(3) {
        let faults = faults.to_vec();
        let proxy = Proxy::start(
            sandbox.addr(),
            Arc::new(move |n, _| faults.get(n).copied().unwrap_or(ProxyFault::Pass)),
        )
        .await;
        let q = client(&proxy.url)
            .send(&query("proxy-query"))
            .await
            .unwrap();
        assert_eq!(q.amount, "10.52");
        assert_eq!(proxy.seen(key), 4);
    }
    // Faults on every attempt: the retry limit holds, and the error says what happened.
    for fault in FAULTS {
        let proxy = Proxy::start(sandbox.addr(), always(fault)).await;
        let e = client(&proxy.url)
            .send(&query("proxy-query"))
            .await
            .unwrap_err();
        assert_eq!(proxy.seen(key), 4, "{fault:?}: 1 attempt + 3 retries");
        assert!(
            matches!(
                e,
                Error::Timeout { .. } | Error::Transport { .. } | Error::Decode { .. }
            ),
            "{fault:?}: {e:?}"
        );
    }
}

#[tokio::test]
async fn a_storm_of_mixed_faults_loses_nothing_and_duplicates_nothing() {
    let sandbox = sandbox().await;
    let direct = client(sandbox.url());
    // A seeded choice per request: half pass, the rest spread over the faults.
    let script: Script = Arc::new(|n, key| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes().chain(n.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        match h % 12 {
            0..=5 => ProxyFault::Pass,
            r => FAULTS[(r - 6) as usize],
        }
    });
    let proxy = Proxy::start(sandbox.addr(), script).await;
    let through = client(&proxy.url);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..48 {
        let client = through.clone();
        tasks.spawn(async move {
            let reference = format!("storm-{i}");
            let created = client.send(&mini(&reference, 1000 + i)).await;
            let queried = client.send(&query(&reference)).await;
            (reference, created.map(drop), queried.map(drop))
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(joined.expect("no task panicked"));
    }
    assert_eq!(outcomes.len(), 48);
    for (reference, created, queried) in outcomes {
        let key = format!("POST /v2/minialipay {reference}");
        assert_eq!(proxy.seen(&key), 1, "{reference}: created once");
        let forwarded = proxy.forwarded(&key) == 1;
        match &created {
            Ok(()) => assert!(forwarded),
            Err(e) => assert!(matches!(e, Error::Ambiguous { .. }), "{reference}: {e:?}"),
        }
        // Nothing lost: whatever reached the sandbox is there, whatever did not is not.
        assert_eq!(exists(&direct, &reference).await, forwarded, "{reference}");
        // A query answered through the proxy agrees with the sandbox.
        if queried.is_ok() {
            assert!(forwarded, "{reference}");
        }
        assert!(proxy.seen(&format!("GET /v2/transaction/{reference}")) <= 4);
    }
}
