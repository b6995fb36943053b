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
