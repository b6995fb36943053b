//! Hostile clients do not stop the sandbox from serving others: malformed, oversized, slow
//! (slowloris: headers one byte at a time; bodies one byte at a time), idle and wrong content
//! type requests run concurrently with a normal client that must keep getting right answers.
//! The connection limit answers 503 beyond it and frees up when clients go or time out.
//!
//! The bad clients are plain std threads on blocking sockets, bounded in number and time.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::common::*;

/// Whether the server has closed `s` (EOF, reset) or answered something, without blocking.
fn server_gave_up(s: &mut TcpStream) -> bool {
    let _ = s.set_nonblocking(true);
    let mut buf = [0u8; 512];
    let done = match s.read(&mut buf) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = s.set_nonblocking(false);
    done
}

/// Sends `head` one byte every `pause`, for at most `budget`; true when the server dropped it.
fn trickle(addr: SocketAddr, head: &[u8], pause: Duration, budget: Duration) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return true;
    };
    let end = Instant::now() + budget;
    for b in head.iter().cycle() {
        if Instant::now() > end {
            return false;
        }
        if s.write_all(&[*b]).is_err() || server_gave_up(&mut s) {
            return true;
        }
        std::thread::sleep(pause);
    }
    false
}

/// Writes `bytes` (ignoring a server that stops reading) and reads the answer's status line;
/// `None` when the server just closed.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.set_write_timeout(Some(Duration::from_secs(5))).ok()?;
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

fn post(path: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// Every malformed, oversized and wrong-content-type request tried, with the statuses allowed
/// (`None`: the server closed the connection, which is also a clear refusal).
/// A bad request: its name, its bytes, the statuses it may get.
type Bad = (&'static str, Vec<u8>, &'static [Option<u16>]);

fn bad_requests() -> Vec<Bad> {
    let big = vec![b'{'; 40 * 1024];
    let mut v: Vec<Bad> = vec![
        ("garbage", b"\x00\x01\x02GARBAGE\r\n\r\n".to_vec(), &[Some(400), None]),
        ("no version", b"GET /\r\n\r\n".to_vec(), &[Some(400), None]),
        ("bad header", b"GET /sandbox HTTP/1.1\r\nHost x\r\n\r\n".to_vec(), &[Some(400), None]),
        ("http2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(), &[Some(400), Some(505), None]),
        (
            "bad content-length",
            b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".to_vec(),
            &[Some(400), None],
        ),
        (
            "two content-lengths",
            b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".to_vec(),
            &[Some(400), None],
        ),
        (
            "bad chunk",
            b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec(),
            &[Some(400), Some(413), None],
        ),
        ("malformed json", post("/v2/transaction", "application/json", b"{\"amount\": "), &[Some(400)]),
        ("json array", post("/refund", "application/json", b"[1,2,3]"), &[Some(400)]),
        ("not utf-8", post("/cancel", "application/json", &[0xff, 0xfe, 0xfd]), &[Some(400)]),
        ("deep json", post("/cancel", "application/json", &big[..4096]), &[Some(400)]),
        ("text/plain", post("/v2/transaction", "text/plain", b"amount=1"), &[Some(415)]),
        ("form", post("/refund", "application/x-www-form-urlencoded", b"a=b"), &[Some(415)]),
        ("multipart", post("/cancel", "multipart/form-data; boundary=x", b"--x--"), &[Some(415)]),
        ("oversized json", post("/v2/transaction", "application/json", &big), &[Some(413), None]),
        (
            "oversized declared",
            b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n{".to_vec(),
            &[Some(413), Some(408), None],
        ),
        (
            "oversized header",
            format!("GET /sandbox HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "a".repeat(512 * 1024)).into_bytes(),
            &[Some(431), Some(400), None],
        ),
        ("unknown path", post("/v9/nothing", "application/json", b"{}"), &[Some(404)]),
        (
            "wrong method",
            b"DELETE /refund HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
            &[Some(405)],
        ),
    ];
    // Truncated requests: the client stops mid-way and closes.
    v.push((
        "truncated",
        b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nContent-Ty".to_vec(),
        &[Some(400), None],
    ));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_clients_do_not_stop_a_normal_client() {
    let sb = sandbox_with(|c| {
        c.body_limit = 16 * 1024;
        c.header_read_timeout = Duration::from_millis(300);
        c.body_read_timeout = Duration::from_millis(300);
        c.max_connections = 256;
    })
    .await;
    let addr = sb.addr();
    let done = Arc::new(AtomicBool::new(false));
    let bad_tried = Arc::new(AtomicUsize::new(0));
    let slow_dropped = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();

    // 40 slowloris clients: request headers one byte every 20 ms, never finished.
    for i in 0..40 {
        let dropped = slow_dropped.clone();
        threads.push(std::thread::spawn(move || {
            let head = format!("POST /v2/transaction HTTP/1.1\r\nHost: x\r\nX-Slow-{i}: ");
            let mut head = head.into_bytes();
            head.extend(std::iter::repeat_n(b'a', 10_000));
            if trickle(
                addr,
                &head,
                Duration::from_millis(20),
                Duration::from_secs(8),
            ) {
                dropped.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // 10 slow bodies: complete headers, then the body one byte every 20 ms.
    for _ in 0..10 {
        let dropped = slow_dropped.clone();
        threads.push(std::thread::spawn(move || {
            let head = b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n";
            let Ok(mut s) = TcpStream::connect(addr) else {
                return;
            };
            let _ = s.write_all(head);
            let body = vec![b' '; 5000];
            if trickle_on(&mut s, &body, Duration::from_millis(20), Duration::from_secs(8)) {
                dropped.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // 20 idle connections: connect and send nothing.
    for _ in 0..20 {
        let dropped = slow_dropped.clone();
        threads.push(std::thread::spawn(move || {
            let Ok(mut s) = TcpStream::connect(addr) else {
                return;
            };
            let _ = s.set_read_timeout(Some(Duration::from_secs(8)));
            let mut buf = [0u8; 64];
            // Returns at EOF (the server dropped it) or at the read timeout.
            if s.read(&mut buf).is_ok() {
                dropped.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // 4 clients sending every bad request in turn, until the normal client is done.
    for _ in 0..4 {
        let (done, tried) = (done.clone(), bad_tried.clone());
        threads.push(std::thread::spawn(move || {
            let requests = bad_requests();
            while !done.load(Ordering::SeqCst) {
                for (name, bytes, allowed) in &requests {
                    let status = exchange(addr, bytes);
                    assert!(allowed.contains(&status), "{name}: {status:?}");
                    tried.fetch_add(1, Ordering::SeqCst);
                }
            }
        }));
    }

    // The normal client: creates and queries orders the whole time; every answer must be right.
    let merchant = Merchant::start(vec![(200, "sent")]).await;
    let started = Instant::now();
    let mut served = 0;
    while started.elapsed() < Duration::from_secs(2) || served < 20 {
        let reference = format!("good-{served}");
        let v = call(
            &sb,
            "transaction",
            &transaction_fields(&reference, "3.52", &merchant.url),
        )
        .await;
        assert_eq!(code(&v), 0, "{v}");
        let q = call(&sb, "query", &pairs(&[("merchant_reference", &reference)])).await;
        assert_eq!(q["status"], "paid", "{q}");
        served += 1;
    }
    done.store(true, Ordering::SeqCst);
    for t in threads {
        t.join().expect("a bad client thread");
    }
    let dropped = slow_dropped.load(Ordering::SeqCst);
    assert_eq!(
        dropped, 70,
        "every slow or idle connection was dropped by the sandbox"
    );
    // Still serving after all of it, and every notification went out.
    wait_for(&sb, &format!("good-{}", served - 1), |v| {
        delivery_state(v) == "delivered"
    })
    .await;
    eprintln!(
        "figures: normal requests answered={} bad requests={} (kinds={}) slow/idle connections dropped={dropped}",
        served * 2,
        bad_tried.load(Ordering::SeqCst),
        bad_requests().len(),
    );
    sb.shutdown().await.unwrap();
}

/// `trickle` on a connection already open.
fn trickle_on(s: &mut TcpStream, bytes: &[u8], pause: Duration, budget: Duration) -> bool {
    let end = Instant::now() + budget;
    for b in bytes {
        if Instant::now() > end {
            return false;
        }
        if s.write_all(&[*b]).is_err() || server_gave_up(s) {
            return true;
        }
        std::thread::sleep(pause);
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_limit_answers_503_and_frees_up() {
    let sb = sandbox_with(|c| {
        c.max_connections = 8;
        c.header_read_timeout = Duration::from_millis(400);
    })
    .await;
    let addr = sb.addr();
    let held: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(addr).unwrap()).collect();
    // Give the sandbox a moment to accept them all, then one more is refused with a 503.
    let refused = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut s = TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if out.starts_with("HTTP/1.1 503") || Instant::now() > deadline {
                return out;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    })
    .await
    .unwrap();
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    let body = refused.split("\r\n\r\n").nth(1).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).expect("Latipay's error shape");
    assert_eq!(v["code"], 1);
    assert!(v["message"].as_str().unwrap().contains("max-connections"));
    // The held connections send nothing: the header read timeout frees their slots, so a
    // normal client gets served again while they are still open on the client side.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = reqwest::get(format!("{}/sandbox", sb.url())).await;
        if answer.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "the slots were never freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(held);
    sb.shutdown().await.unwrap();
}

/// A hostile request: its name, its bytes, the statuses it may get, and whether the sandbox
/// itself answers it (a Latipay endpoint's refusal, in Latipay's `{code, message, messageCN}`
/// shape) rather than the HTTP layer in front of it.
struct Hostile {
    name: &'static str,
    bytes: Vec<u8>,
    allowed: &'static [Option<u16>],
    latipay_shape: bool,
}

/// Requests far from what a merchant sends: nested 100 000 deep, thousands of members, names
/// given twice (the second `amount` of a signed create different from the signed one), bytes
/// that are not UTF-8 in the body, query and path, floods of headers, bodies over the limit.
fn hostile_requests() -> Vec<Hostile> {
    let json = "application/json";
    let deep_array = "[".repeat(100_000);
    let deep_object = "{\"a\":".repeat(50_000);
    let members = format!(
        "{{{}}}",
        (0..5_000)
            .map(|i| format!("\"f{i}\":\"x\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let repeated = format!("{{{}}}", vec!["\"amount\":\"1.00\""; 5_000].join(","));
    // A create signed over `amount` 1.00, with a second `amount` after it.
    let fields = [
        ("user_id", USER),
        ("wallet_id", WALLET),
        ("payment_method", "alipay"),
        ("amount", "1.00"),
        ("callback_url", "https://m.example/c"),
        ("merchant_reference", "hostile-twice"),
        ("ip", "122.122.122.1"),
        ("version", "2.0"),
        ("product_name", "wine"),
    ];
    let signed = signed_json(&fields);
    let twice = format!("{},\"amount\":\"100.00\"}}", &signed[..signed.len() - 1]);
    let query_fields: String = (0..1_000).map(|i| format!("&f{i}=")).collect();
    let header_flood: String = (0..2_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let mut not_utf8 = b"{\"merchant_reference\":\"".to_vec();
    not_utf8.extend_from_slice(&[0xC3, 0x28, 0xFF]);
    not_utf8.extend_from_slice(b"\"}");
    let bad_path = b"GET /v2/transaction/\xff\xfe?user_id=U000334333 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec();
    let v = |name, bytes, allowed, latipay_shape| Hostile {
        name,
        bytes,
        allowed,
        latipay_shape,
    };
    vec![
        v("100 000 [", post("/v2/transaction", json, deep_array.as_bytes()), &[Some(400)], true),
        v("50 000 {", post("/cancel", json, deep_object.as_bytes()), &[Some(400)], true),
        // Answered by Latipay's code 204 (missing fields, with the unknown ones), HTTP 200.
        v("5 000 members", post("/v2/transaction", json, members.as_bytes()), &[Some(200)], true),
        v("one member 5 000 times", post("/v2/transaction", json, repeated.as_bytes()), &[Some(200)], true),
        v("a signed amount, then another", post("/v2/transaction", json, twice.as_bytes()), &[Some(200)], true),
        v(
            "1 000 query fields",
            format!("GET /v2/transaction/x?user_id=U1{query_fields} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").into_bytes(),
            &[Some(200)],
            true,
        ),
        v(
            "query not UTF-8",
            b"GET /v2/transaction/x?user_id=%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
            &[Some(200)],
            true,
        ),
        v("path not UTF-8", bad_path, &[Some(400), Some(404), None], false),
        v("body not UTF-8", post("/cancel", json, &not_utf8), &[Some(400)], true),
        v(
            "2 000 headers",
            format!("GET /sandbox HTTP/1.1\r\nHost: x\r\n{header_flood}Connection: close\r\n\r\n").into_bytes(),
            &[Some(431), Some(400), None],
            false,
        ),
        v(
            "a 300 KiB body",
            post("/v2/transaction", json, &vec![b' '; 300 * 1024]),
            &[Some(413), None],
            false,
        ),
        v(
            "10 GB declared",
            b"POST /refund HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\nConnection: close\r\n\r\n{".to_vec(),
            &[Some(413), Some(408), None],
            false,
        ),
    ]
}

/// The body of an HTTP answer (after the blank line), for answers with a Content-Length.
fn body_of(answer: &[u8]) -> &[u8] {
    answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(&[][..], |at| &answer[at + 4..])
}

/// Like [`exchange`], with the whole answer.
fn exchange_all(addr: SocketAddr, bytes: &[u8]) -> (Option<u16>, Vec<u8>) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return (None, Vec::new());
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(10)));
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let status = out
        .strip_prefix(b"HTTP/1.1 ")
        .and_then(|t| std::str::from_utf8(t.get(..3)?).ok())
        .and_then(|t| t.parse().ok());
    (status, out)
}

/// What became of one merchant's order.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    reference: String,
    status: &'static str,
    refunded: &'static str,
}

/// One merchant creating orders and moving each: paid, canceled, paid and partly refunded, or
/// left pending.
async fn merchant(sb: &latipay_sandbox::Sandbox, who: usize, count: usize) -> Vec<Expected> {
    let mut done = Vec::new();
    for k in 0..count {
        let reference = format!("m{who}-{k}");
        let amount = format!("{}.{:02}", 1 + k, 10 + who);
        let v = call(
            sb,
            "transaction",
            &transaction_fields(&reference, &amount, "https://m.example/c"),
        )
        .await;
        assert_eq!(code(&v), 0, "{reference}: {v}");
        let (status, refunded) = match k % 4 {
            0 => {
                let (s, v) = admin(sb, &reference, "pay").await;
                assert_eq!(s, 200, "{v}");
                ("paid", "0.00")
            }
            1 => {
                let v = call(sb, "cancel", &pairs(&[("merchant_reference", &reference)])).await;
                assert_eq!(code(&v), 0, "{reference}: {v}");
                ("canceled", "0.00")
            }
            2 => {
                let (s, v) = admin(sb, &reference, "pay").await;
                assert_eq!(s, 200, "{v}");
                let order_id = v["order_id"].as_str().expect("an order_id").to_owned();
                let v = call(
                    sb,
                    "refund",
                    &pairs(&[("order_id", &order_id), ("refund_amount", "0.50")]),
                )
                .await;
                assert_eq!(code(&v), 0, "{reference}: {v}");
                ("paid", "0.50")
            }
            _ => ("pending", "0.00"),
        };
        done.push(Expected {
            reference,
            status,
            refunded,
        });
    }
    done
}

/// Hostile requests of every size and shape, from 4 clients looping over them (and 4 sending
/// bodies a byte every 20 ms), while 4 merchants create 60 orders and pay, cancel, refund or
/// leave them: each hostile request gets its clear answer, and afterwards the sandbox holds
/// exactly the 60 orders, each in the state it was moved to, and none of the hostile ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_requests_lose_no_order() {
    let sb = sandbox_with(|c| {
        c.body_limit = 256 * 1024;
        c.header_read_timeout = Duration::from_millis(500);
        c.body_read_timeout = Duration::from_millis(500);
        c.max_connections = 256;
    })
    .await;
    let addr = sb.addr();
    let done = Arc::new(AtomicBool::new(false));
    let tried = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for t in 0..4 {
        let (done, tried) = (done.clone(), tried.clone());
        threads.push(std::thread::spawn(move || {
            let requests = hostile_requests();
            let mut slowest = Duration::ZERO;
            let started = Instant::now();
            // Each kind at least once, then until the merchants are done (at most 60 s).
            let mut round = 0;
            while round == 0
                || (!done.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(60))
            {
                for i in 0..requests.len() {
                    // The clients start at different kinds.
                    let h = &requests[(i + t * 3) % requests.len()];
                    let began = Instant::now();
                    let (status, answer) = exchange_all(addr, &h.bytes);
                    slowest = slowest.max(began.elapsed());
                    assert!(h.allowed.contains(&status), "{}: {status:?}", h.name);
                    if h.latipay_shape {
                        let v: serde_json::Value = serde_json::from_slice(body_of(&answer))
                            .unwrap_or_else(|e| panic!("{}: {e}", h.name));
                        let refused = v["code"].as_i64().is_some_and(|c| c != 0);
                        assert!(
                            refused && v["message"].is_string() && v["messageCN"].is_string(),
                            "{}: {v}",
                            h.name
                        );
                    }
                    tried.fetch_add(1, Ordering::SeqCst);
                }
                round += 1;
            }
            slowest
        }));
    }
    let mut slow = Vec::new();
    for _ in 0..4 {
        slow.push(std::thread::spawn(move || {
            let head = b"POST /v2/transaction HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n";
            let Ok(mut s) = TcpStream::connect(addr) else {
                return false;
            };
            let _ = s.write_all(head);
            trickle_on(&mut s, &[b' '; 5000], Duration::from_millis(20), Duration::from_secs(8))
        }));
    }

    let started = Instant::now();
    let (a, b, c, d) = tokio::join!(
        merchant(&sb, 0, 15),
        merchant(&sb, 1, 15),
        merchant(&sb, 2, 15),
        merchant(&sb, 3, 15)
    );
    let expected: Vec<Expected> = [a, b, c, d].concat();
    let merchants_took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let slowest = threads
        .into_iter()
        .map(|t| t.join().expect("a hostile client"))
        .max()
        .unwrap_or_default();
    let slow_dropped = slow
        .into_iter()
        .map(|t| t.join().expect("a slow client"))
        .filter(|dropped| *dropped)
        .count();
    assert_eq!(slow_dropped, 4, "every slow body was dropped");

    // Exactly the merchants' orders, each as it was left.
    let listed = orders(&sb).await;
    let listed = listed["orders"].as_array().expect("a list");
    assert_eq!(
        listed.len(),
        expected.len(),
        "orders held: {}",
        listed.len()
    );
    for e in &expected {
        let v = order(&sb, &e.reference).await;
        assert_eq!(v["status"], e.status, "{}: {v}", e.reference);
        assert_eq!(v["refunded"], e.refunded, "{}: {v}", e.reference);
        let q = call(
            &sb,
            "query",
            &pairs(&[("merchant_reference", &e.reference)]),
        )
        .await;
        assert_eq!(code(&q), 0, "{q}");
        let reported = match e.status {
            "canceled" => "failed",
            other => other,
        };
        assert_eq!(q["status"], reported, "{}: {q}", e.reference);
    }
    let (status, _) = admin(&sb, "hostile-twice", "pay").await;
    assert_eq!(status, 404, "the create with two amounts was not kept");
    eprintln!(
        "figures: hostile requests answered={} (kinds={}), slowest {slowest:?}; slow bodies dropped={slow_dropped}; \
         orders created={} in {merchants_took:?}, lost 0",
        tried.load(Ordering::SeqCst),
        hostile_requests().len(),
        expected.len(),
    );
    sb.shutdown().await.unwrap();
}
