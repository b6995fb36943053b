//! The client against a server on 127.0.0.1 that answers with hostile things: bodies far over
//! any answer's size (announced, close-delimited, chunked), bodies and headers that drip, broken
//! or deeply nested JSON, a signed answer with something after it, and signed members given
//! twice. Every one is a typed error within the request's timeout, the client stops reading at
//! its limit, and nothing is ever returned as verified unless it is exactly what was signed.

use std::time::{Duration, Instant};

use latipay_runtime::{Amount, Client, Credentials, Environment, Error, RetryPolicy};
use latipay_spec::inbound::InboundError;
use latipay_spec::{ApiKey, SigningKey};
use latipay_tests::*;

use crate::fault_server::{Fault, FaultServer};

const KEY: &str = "111222333";

/// The most an answer may have, as the client documents it (`MAX_ANSWER_BYTES`).
const LIMIT: usize = 4 << 20;

const TIMEOUT: Duration = Duration::from_millis(300);

fn client(url: &str) -> Client {
    Client::builder(Credentials::new("U000000013", "W00000001", KEY))
        .environment(Environment::Custom(url.to_owned()))
        .request_timeout(TIMEOUT)
        .retry(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

fn query() -> PaymentQuery {
    PaymentQuery {
        merchant_reference: "6000324".into(),
        is_block: None,
    }
}

fn create() -> MiniOrder {
    MiniOrder::builder()
        .amount(Amount::from_cents(12000))
        .callback_url("https://m.example/notify")
        .order_ref("order-88")
        .ip([1, 2, 3, 4])
        .product_name("wine")
        .build()
}

fn signature(message: &str) -> String {
    SigningKey::new(ApiKey::new(KEY))
        .sign_message(message.as_bytes())
        .to_hex()
}

/// The members of a query answer signed by Rule B over `signed_amount`, before `signature`, so
/// a test can add members; `amount` is written as `amount_text`.
fn query_members(amount_text: &str, signed_amount: &str) -> String {
    format!(
        r#""code":0,"message":"SUCCESS","messageCN":"成功","merchant_reference":"6000324","currency":"NZD","amount":{amount_text},"amount_cny":551.2,"rate":4.5933,"payment_method":"alipay","status":"paid","pay_time":"2026-11-26 10:00:00","order_id":"O1","transaction_id":"T1","signature":"{}""#,
        signature(&format!("6000324alipaypaidNZD{signed_amount}"))
    )
}

/// A query answer signed by Rule B, correct.
fn signed_query() -> String {
    format!("{{{}}}", query_members("120.00", "120.00"))
}

/// An answer with status 200 and `body` as it is.
fn ok_head(extra_headers: &str) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{extra_headers}\r\n")
}

fn stream(head: String, chunk: Vec<u8>, times: usize, pause: Duration) -> Fault {
    Fault::Stream {
        head,
        chunk,
        times,
        pause,
    }
}

/// What the query gets from a server scripted with `fault`, how many requests reached it, how
/// long it took, and how much of a streamed body the client took.
async fn query_against(
    fault: Fault,
) -> (
    Result<latipay_runtime::response::Query, Error>,
    usize,
    Duration,
    usize,
) {
    let server = FaultServer::start(vec![fault]).await;
    let started = Instant::now();
    let outcome = client(&server.url).send(&query()).await;
    (outcome, server.hits(), started.elapsed(), server.streamed())
}

fn assert_too_large(e: &Error, what: &str) {
    match e {
        Error::Decode { reason, status, .. } => {
            assert_eq!(*status, 200, "{what}");
            assert!(
                reason.contains(&format!("limit of {LIMIT} bytes")),
                "{what}: {reason}"
            );
        }
        other => panic!("{what}: expected a Decode error naming the limit, got {other:?}"),
    }
}

/// Bodies over the limit, in each framing HTTP has: refused after reading at most the limit (the
/// server sees the client stop taking bytes), never retried, and for a create an ambiguous
/// error (it was answered, so it may have been created), sent once.
#[tokio::test]
async fn huge_answers_are_refused_without_being_read_whole() {
    const CHUNK: usize = 64 * 1024;
    const TIMES: usize = 1024; // 64 MiB, sixteen times the limit
    let block = vec![b' '; CHUNK];
    let mut chunked = format!("{CHUNK:x}\r\n").into_bytes();
    chunked.extend_from_slice(&block);
    chunked.extend_from_slice(b"\r\n");
    let faults = [
        (
            "announced",
            stream(
                ok_head("content-length: 1073741824\r\n"),
                block.clone(),
                TIMES,
                Duration::ZERO,
            ),
        ),
        (
            "until the connection closes",
            stream(
                ok_head("connection: close\r\n"),
                block.clone(),
                TIMES,
                Duration::ZERO,
            ),
        ),
        (
            "chunked",
            stream(
                ok_head("transfer-encoding: chunked\r\n"),
                chunked,
                TIMES,
                Duration::ZERO,
            ),
        ),
    ];
    for (what, fault) in faults {
        let (outcome, hits, took, streamed) = query_against(fault.clone()).await;
        assert_too_large(&outcome.unwrap_err(), what);
        assert_eq!(hits, 1, "{what}: an answer too large is not asked again");
        assert!(
            streamed < TIMES * CHUNK / 4,
            "{what}: the client took {streamed} bytes"
        );
        assert!(took < Duration::from_secs(10), "{what}: {took:?}");
        eprintln!(
            "figures: huge answer ({what}): {} MiB offered, {:.1} MiB written before the client closed, {took:?}",
            (TIMES * CHUNK) >> 20,
            streamed as f64 / f64::from(1 << 20)
        );

        let server = FaultServer::start(vec![fault]).await;
        let e = client(&server.url).send(&create()).await.unwrap_err();
        let Error::Ambiguous { cause, .. } = &e else {
            panic!("{what}: a create answered too long is ambiguous, got {e:?}")
        };
        assert!(
            cause.contains(&format!("limit of {LIMIT} bytes")),
            "{cause}"
        );
        assert_eq!(server.hits(), 1, "{what}: the create was sent once");
    }
}

/// The limit is exact: a correct signed answer padded to exactly the limit is read and verified,
/// one byte more is refused, with and without a Content-Length.
#[tokio::test]
async fn the_limit_is_exact() {
    let members = query_members("120.00", "120.00");
    let padded = |len: usize| {
        let shell = format!("{{{members},\"pad\":\"\"}}");
        let pad = "p".repeat(len - shell.len());
        format!("{{{members},\"pad\":\"{pad}\"}}")
    };
    for len in [LIMIT, LIMIT + 1] {
        let body = padded(len);
        assert_eq!(body.len(), len);
        let announced = Fault::Answer(200, body.clone());
        let unannounced = stream(
            ok_head("connection: close\r\n"),
            body.into_bytes(),
            1,
            Duration::ZERO,
        );
        for (what, fault) in [("announced", announced), ("unannounced", unannounced)] {
            let (outcome, _, _, _) = query_against(fault).await;
            if len == LIMIT {
                let q = outcome.unwrap_or_else(|e| panic!("{what}: {e:?}"));
                assert_eq!(q.amount, "120.00");
                let shell = format!("{{{members},\"pad\":\"\"}}");
                assert_eq!(
                    q.extra.text("pad").map(|p| p.len()),
                    Some(len - shell.len())
                );
            } else {
                assert_too_large(&outcome.unwrap_err(), what);
            }
        }
    }
}

/// Bodies and headers that drip a byte at a time, and a flood of headers: bounded by the request
/// timeout (a query gives up after its retries, a create is ambiguous at once), typed errors.
#[tokio::test]
async fn dripping_answers_end_at_the_timeout() {
    let pause = Duration::from_millis(20);
    let faults = [
        (
            "body",
            stream(
                ok_head("content-length: 2000\r\n"),
                b"{".to_vec(),
                2000,
                pause,
            ),
        ),
        (
            "endless body",
            stream(ok_head("connection: close\r\n"), b" ".to_vec(), 2000, pause),
        ),
        (
            "headers",
            stream(
                "HTTP/1.1 200 OK\r\n".into(),
                b"x-drip: a\r\n".to_vec(),
                2000,
                pause,
            ),
        ),
        (
            "status line",
            stream("HTTP/1.1 200 O".into(), b"K".to_vec(), 2000, pause),
        ),
    ];
    for (what, fault) in faults {
        let (outcome, hits, took, _) = query_against(fault.clone()).await;
        let e = outcome.unwrap_err();
        assert!(
            matches!(e, Error::Timeout { endpoint: "query" }),
            "{what}: {e:?}"
        );
        assert_eq!(hits, 3, "{what}: a query is asked again, twice");
        // Three attempts of 300 ms and two short waits, on a loaded machine.
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");

        let server = FaultServer::start(vec![fault]).await;
        let started = Instant::now();
        let e = client(&server.url).send(&create()).await.unwrap_err();
        assert!(matches!(e, Error::Ambiguous { .. }), "{what}: {e:?}");
        assert_eq!(server.hits(), 1, "{what}");
        assert!(started.elapsed() < Duration::from_secs(3), "{what}");
    }
    // Ten thousand headers at once: the HTTP reader refuses them; the query tries again, then
    // says it could not get an answer.
    let flood: String = (0..10_000).map(|i| format!("x-h{i}: v\r\n")).collect();
    let (outcome, hits, took, _) = query_against(stream(
        format!("HTTP/1.1 200 OK\r\n{flood}content-length: 2\r\n\r\n"),
        b"{}".to_vec(),
        1,
        Duration::ZERO,
    ))
    .await;
    let e = outcome.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert_eq!(hits, 3, "a query is asked again, twice");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

/// Not one JSON object: each is a decode error, asked once, whatever it is.
#[tokio::test]
async fn broken_json_is_a_decode_error() {
    let deep_array = "[".repeat(100_000);
    let deep_member = format!("{{\"code\":0,\"x\":{}", "[".repeat(100_000));
    let deep_closed = format!(
        "{{\"code\":0,\"x\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let many_members: String = format!(
        "{{\"code\":0,{}}}",
        (0..50_000)
            .map(|i| format!("\"m{i}\":{i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    // Not JSON, not one object, or without a numeric `code`: decode errors.
    let bodies: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("deep array", deep_array),
        ("deep member", deep_member),
        ("NaN", r#"{"code":0,"amount":NaN}"#.into()),
        ("Infinity", r#"{"code":0,"amount":Infinity}"#.into()),
        ("trailing comma", r#"{"code":0,}"#.into()),
        ("single quotes", "{'code':0}".into()),
        ("byte order mark", format!("\u{feff}{}", signed_query())),
        ("null", "null".into()),
        ("a string", "\"{}\"".into()),
        ("an array of the answer", format!("[{}]", signed_query())),
        ("no code", r#"{"message":"SUCCESS"}"#.into()),
        ("code not a number", r#"{"code":"zero"}"#.into()),
        ("code a float", r#"{"code":0.5}"#.into()),
        ("code too large", r#"{"code":99999999999999999999}"#.into()),
        ("unterminated string", r#"{"code":0,"message":"abc}"#.into()),
    ];
    for (what, body) in bodies {
        let (outcome, hits, took, _) = query_against(Fault::Answer(200, body)).await;
        match outcome {
            Err(Error::Decode { status: 200, .. }) => {}
            other => panic!("{what}: expected a decode error, got {other:?}"),
        }
        assert_eq!(hits, 1, "{what}");
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");
    }
    // An object with `code` 0 and odd members, but no signature: refused before anything is
    // read from it (or, where serde_json refuses the text, a decode error).
    for (what, body) in [
        ("fifty thousand members", many_members),
        ("ten thousand levels, closed", deep_closed),
        ("lone surrogate", r#"{"code":0,"message":"\ud800"}"#.into()),
        (
            "control character",
            "{\"code\":0,\"message\":\"a\u{1}b\"}".into(),
        ),
        ("nested code", r#"{"code":{"code":0}}"#.into()),
    ] {
        let (outcome, hits, took, _) = query_against(Fault::Answer(200, body)).await;
        match outcome {
            Err(Error::Decode { .. }) => {}
            Err(Error::Signature(s)) if matches!(s.kind, InboundError::Missing(_)) => {}
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
        assert_eq!(hits, 1, "{what}");
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");
    }
    // A correct answer with a member nested a hundred thousand levels deep (serde_json reads it
    // without recursing): verified, the member kept as it came.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let body = format!("{{{},\"deep\":{deep}}}", query_members("120.00", "120.00"));
    let (outcome, _, _, _) = query_against(Fault::Answer(200, body)).await;
    let q = outcome.unwrap();
    assert_eq!(q.amount, "120.00");
    assert_eq!(q.extra.get("deep").map(|v| v.get().len()), Some(deep.len()));
    // Bytes that are not UTF-8 inside a signed member: read with U+FFFD in their place, which is
    // not what was signed.
    let mut body = signed_query().into_bytes();
    let at = body.windows(7).position(|w| w == b"6000324").unwrap();
    body[at] = 0xFF;
    let (outcome, _, _, _) = query_against(stream(
        ok_head(&format!("content-length: {}\r\n", body.len())),
        body,
        1,
        Duration::ZERO,
    ))
    .await;
    assert!(
        matches!(&outcome, Err(Error::Signature(s)) if matches!(s.kind, InboundError::Mismatch { .. })),
        "{outcome:?}"
    );
}

/// A correct signed answer with anything after it is not read as that answer; only whitespace
/// may follow.
#[tokio::test]
async fn a_signed_answer_with_trailing_garbage_is_refused() {
    let good = signed_query();
    for trailer in [
        "x",
        "}",
        "{}",
        "\0",
        ",\"amount\":999.00}",
        good.as_str(),
        "// comment",
        "\u{feff}",
    ] {
        let (outcome, hits, _, _) =
            query_against(Fault::Answer(200, format!("{good}{trailer}"))).await;
        assert!(
            matches!(outcome, Err(Error::Decode { .. })),
            "{trailer:?}: {outcome:?}"
        );
        assert_eq!(hits, 1);
    }
    // Whitespace after it is JSON, and changes nothing.
    let (outcome, _, _, _) = query_against(Fault::Answer(200, format!("{good} \r\n\t"))).await;
    let q = outcome.unwrap();
    assert_eq!(
        (q.amount.as_str(), q.merchant_reference.as_str()),
        ("120.00", "6000324")
    );
}

/// A signed member, or the signature, given twice (with the same value or another, in either
/// order, under an escaped name too): refused as a duplicate, never verified with one copy and
/// read with the other.
#[tokio::test]
async fn signed_members_given_twice_are_refused() {
    let right = signature("6000324alipaypaidNZD120.00");
    let other = signature("6000324alipaypaidNZD999.00");
    let members = query_members("120.00", "120.00");
    let without_signature = members
        .rsplit_once(",\"signature\"")
        .map(|(m, _)| m.to_owned())
        .unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "signature, right then wrong",
            format!("{{{members},\"signature\":\"{other}\"}}"),
            "signature",
        ),
        (
            "signature, wrong then right",
            format!("{{{without_signature},\"signature\":\"{other}\",\"signature\":\"{right}\"}}"),
            "signature",
        ),
        (
            "signature, the same twice",
            format!("{{{members},\"signature\":\"{right}\"}}"),
            "signature",
        ),
        (
            "amount, another value after",
            format!("{{{members},\"amount\":999.00}}"),
            "amount",
        ),
        (
            "amount, another value before",
            format!("{{\"amount\":999.00,{members}}}"),
            "amount",
        ),
        (
            "amount, another value as text",
            format!("{{{members},\"amount\":\"999.00\"}}"),
            "amount",
        ),
        (
            "amount, the same value",
            format!("{{{members},\"amount\":120.00}}"),
            "amount",
        ),
        (
            "amount, under an escaped name",
            format!("{{{members},\"amoun\\u0074\":999.00}}"),
            "amount",
        ),
        (
            "status, another value",
            format!("{{{members},\"status\":\"failed\"}}"),
            "status",
        ),
        (
            "merchant_reference, another value",
            format!("{{{members},\"merchant_reference\":\"6000325\"}}"),
            "merchant_reference",
        ),
    ];
    for (what, body, name) in cases {
        let (outcome, hits, _, _) = query_against(Fault::Answer(200, body)).await;
        match outcome {
            Err(Error::Signature(s)) => {
                assert_eq!(s.kind, InboundError::Duplicate(vec![name.into()]), "{what}")
            }
            other => panic!("{what}: expected a duplicate refused, got {other:?}"),
        }
        assert_eq!(hits, 1, "{what}");
    }
    // The other amount signed in place of the right one verifies, as what it is: 999.00.
    let (outcome, _, _, _) = query_against(Fault::Answer(
        200,
        format!("{{{}}}", query_members("999.00", "999.00")),
    ))
    .await;
    assert_eq!(outcome.unwrap().amount, "999.00");

    // Rule C: the transaction answer's `host_url` twice, the second where the customer is sent.
    let sig = signature("n1https://pay.latipay.net/pay");
    let hosted = HostedOrder::builder()
        .amount("1.00")
        .payment_method("alipay")
        .return_url("https://m.example/r")
        .callback_url("https://m.example/c")
        .merchant_reference("r1")
        .ip("1.2.3.4")
        .product_name("wine")
        .build();
    for body in [
        format!(
            r#"{{"code":0,"message":"SUCCESS","host_url":"https://pay.latipay.net/pay","nonce":"n1","signature":"{sig}","host_url":"https://evil.example/pay"}}"#
        ),
        format!(
            r#"{{"code":0,"message":"SUCCESS","host_url":"https://evil.example/pay","host_url":"https://pay.latipay.net/pay","nonce":"n1","signature":"{sig}"}}"#
        ),
        format!(
            r#"{{"code":0,"message":"SUCCESS","host_url":"https://pay.latipay.net/pay","nonce":"n1","nonce":"n2","signature":"{sig}"}}"#
        ),
    ] {
        let server = FaultServer::start(vec![Fault::Answer(200, body.clone())]).await;
        let e = client(&server.url).send(&hosted).await.unwrap_err();
        assert!(
            matches!(&e, Error::Signature(s) if matches!(s.kind, InboundError::Duplicate(_))),
            "{body}: {e:?}"
        );
    }
}
