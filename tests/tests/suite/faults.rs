//! The client against a server that misbehaves: each fault gives the documented error or retry,
//! never a panic, and a create is never sent twice.

use std::time::Duration;

use latipay_runtime::{
    Amount, Client, Code, Credentials, Environment, Error, LatipaySigned, RetryPolicy,
};
use latipay_spec::{ApiKey, SigningKey};
use latipay_tests::*;

use crate::fault_server::{Fault, FaultServer, refused_url};

const KEY: &str = "111222333";

fn client(url: &str) -> Client {
    Client::builder(Credentials::new("U000000013", "W00000001", KEY))
        .environment(Environment::Custom(url.to_owned()))
        .request_timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

fn create() -> MiniOrder {
    MiniOrder::builder()
        .amount(Amount::from_cents(12000))
        .callback_url("https://m.example/notify")
        .order_ref("order-77")
        .ip([1, 2, 3, 4])
        .product_name("wine")
        .build()
}

fn query() -> PaymentQuery {
    PaymentQuery {
        merchant_reference: "6000324".into(),
        is_block: None,
    }
}

/// A query response signed by Rule B, with the amount as a JSON number.
fn signed_query_response(amount_text: &str) -> String {
    let key = SigningKey::new(ApiKey::new(KEY));
    let sig = key
        .sign_message(format!("6000324alipaypaidNZD{amount_text}").as_bytes())
        .to_hex();
    format!(
        r#"{{"code":0,"message":"SUCCESS","messageCN":"成功","merchant_reference":"6000324","currency":"NZD","amount":{amount_text},"amount_cny":551.2,"rate":4.5933,"payment_method":"alipay","status":"paid","pay_time":"2026-11-26 10:00:00","order_id":"O1","transaction_id":"T1","signature":"{sig}"}}"#
    )
}

fn assert_ambiguous(e: &Error) {
    match e {
        Error::Ambiguous {
            endpoint,
            merchant_reference,
            ..
        } => {
            assert_eq!(*endpoint, "minialipay");
            assert_eq!(merchant_reference.as_deref(), Some("order-77"));
            assert!(e.to_string().contains("query the order"), "{e}");
            assert!(!e.is_safe_to_retry());
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
}

#[tokio::test]
async fn a_create_that_never_left_is_retried_then_a_transport_error() {
    let url = refused_url().await;
    let e = client(&url).send(&create()).await.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert!(e.is_safe_to_retry());
}

#[tokio::test]
async fn a_create_is_never_sent_twice() {
    let script: Vec<(Fault, &str)> = vec![
        (Fault::CloseAfterReading, "reset after the request was sent"),
        (Fault::Answer(500, "{}".into()), "500"),
        (
            Fault::Answer(502, "<html>Bad Gateway</html>".into()),
            "502 page",
        ),
        (Fault::Answer(503, "".into()), "503"),
        (
            Fault::Stall(Duration::from_secs(2)),
            "slower than the timeout",
        ),
        (
            Fault::Truncated(r#"{"code":0,"gatewaydata":{"#.into()),
            "truncated body",
        ),
        (
            Fault::Answer(200, r#"{"code":0,"gatewaydata":{"#.into()),
            "truncated JSON",
        ),
        (
            Fault::Answer(200, "<html>maintenance</html>".into()),
            "HTML with 200",
        ),
    ];
    for (fault, what) in script {
        let server = FaultServer::start(vec![fault]).await;
        let e = client(&server.url).send(&create()).await.unwrap_err();
        assert_ambiguous(&e);
        assert_eq!(
            server.hits(),
            1,
            "{what}: the create reached the server {} times",
            server.hits()
        );
    }
    // A reset before the server read anything may or may not have carried the request: still
    // ambiguous, still sent once.
    let server = FaultServer::start(vec![Fault::CloseBeforeReading]).await;
    let e = client(&server.url).send(&create()).await.unwrap_err();
    assert!(
        matches!(e, Error::Ambiguous { .. } | Error::Transport { .. }),
        "{e:?}"
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn queries_are_retried_and_succeed_after_transient_faults() {
    let server = FaultServer::start(vec![
        Fault::Answer(503, "".into()),
        Fault::CloseAfterReading,
        Fault::Answer(200, signed_query_response("120.00")),
    ])
    .await;
    let q = client(&server.url).send(&query()).await.unwrap();
    assert_eq!(server.hits(), 3);
    assert_eq!(
        q.amount, "120.00",
        "the raw number text is kept, never a float"
    );
    assert_eq!(q.amount.to_amount().unwrap(), Amount::from_cents(12000));
    assert_eq!(q.rate.as_ref().map(|r| r.as_str()), Some("4.5933"));
}

#[tokio::test]
async fn queries_give_up_after_the_retry_limit() {
    let server = FaultServer::start(vec![Fault::Stall(Duration::from_secs(2))]).await;
    let e = client(&server.url).send(&query()).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { endpoint: "query" }), "{e:?}");
    assert_eq!(server.hits(), 3);

    let server =
        FaultServer::start(vec![Fault::Answer(502, "<html>bad gateway</html>".into())]).await;
    let e = client(&server.url).send(&query()).await.unwrap_err();
    let Error::Decode {
        status,
        body_excerpt,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (*status, body_excerpt.as_str()),
        (502, "<html>bad gateway</html>")
    );
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn unreadable_answers_to_a_query_are_decode_errors() {
    for body in [
        r#"{"code":0,"amount":"#,
        "<html>oops</html>",
        "[1,2]",
        r#"{"message":"no code"}"#,
    ] {
        let server = FaultServer::start(vec![Fault::Answer(200, body.into())]).await;
        let e = client(&server.url).send(&query()).await.unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{body}: {e:?}");
        assert_eq!(server.hits(), 1, "a decode error is not retried");
    }
}

#[tokio::test]
async fn response_signatures_are_verified() {
    // Rule B over "120.00": a response whose signature was made over "120" does not verify.
    let key = SigningKey::new(ApiKey::new(KEY));
    let wrong = signed_query_response("120.00").replace(
        &key.sign_message(b"6000324alipaypaidNZD120.00").to_hex(),
        &key.sign_message(b"6000324alipaypaidNZD120").to_hex(),
    );
    let server = FaultServer::start(vec![Fault::Answer(200, wrong)]).await;
    let e = client(&server.url).send(&query()).await.unwrap_err();
    let Error::Signature(s) = &e else {
        panic!("{e:?}")
    };
    // The refusal names the rule and the message that should have been signed.
    assert_eq!(
        s.kind,
        latipay_spec::inbound::InboundError::Mismatch {
            rule: "concatenation: merchant_reference + payment_method + status + currency + amount"
                .to_owned(),
            expected_message: "6000324alipaypaidNZD120.00".to_owned(),
        },
        "{s}"
    );

    // A transaction response (Rule C) with a tampered host_url.
    let sig = key.sign_message(b"n1https://pay.latipay.net/pay").to_hex();
    let body = format!(
        r#"{{"code":0,"message":"SUCCESS","host_url":"https://evil.example/pay","nonce":"n1","signature":"{sig}"}}"#
    );
    let server = FaultServer::start(vec![Fault::Answer(200, body)]).await;
    let hosted = HostedOrder::builder()
        .amount("1.00")
        .payment_method("alipay")
        .return_url("https://m.example/r")
        .callback_url("https://m.example/c")
        .merchant_reference("r1")
        .ip("1.2.3.4")
        .product_name("wine")
        .build();
    let e = client(&server.url).send(&hosted).await.unwrap_err();
    assert!(matches!(e, Error::Signature(_)), "{e:?}");
    assert!(
        !format!("{e:?}{e}").contains(&sig),
        "the signature is not repeated in errors"
    );

    // And the right one is accepted.
    let body = format!(
        r#"{{"code":0,"message":"SUCCESS","host_url":"https://pay.latipay.net/pay","nonce":"n1","signature":"{sig}"}}"#
    );
    let server = FaultServer::start(vec![Fault::Answer(200, body)]).await;
    let t = client(&server.url).send(&hosted).await.unwrap();
    assert_eq!(t.payment_url(), "https://pay.latipay.net/pay/n1");
}

#[tokio::test]
async fn latipay_failure_codes_are_api_errors() {
    let server = FaultServer::start(vec![Fault::Answer(
        200,
        r#"{"code":206,"message":"Signature from Merchant request is wrong","messageCN":"签名错误"}"#.into(),
    )])
    .await;
    let e = client(&server.url).send(&create()).await.unwrap_err();
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!(api.code, Code::SignatureWrong);
    assert_eq!(api.message_cn, "签名错误");
    assert_eq!(server.hits(), 1);
    let server = FaultServer::start(vec![Fault::Answer(
        200,
        r#"{"code":12345,"message":"new"}"#.into(),
    )])
    .await;
    let e = client(&server.url).send(&query()).await.unwrap_err();
    assert_eq!(e.code(), Some(Code::Other(12345)));
}

#[test]
fn the_blocking_client_works_without_an_async_runtime() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(FaultServer::start(vec![Fault::Answer(
        200,
        signed_query_response("0.50"),
    )]));
    let blocking = latipay_runtime::blocking::Client::from_async(client(&server.url)).unwrap();
    let q = blocking.send(&query()).unwrap();
    assert_eq!(q.amount, "0.50");
    assert_eq!(<PaymentQuery as LatipaySigned>::ENDPOINT.name, "query");
}

/// The blocking client inside a Tokio runtime: building it and sending with it are
/// `Error::Config` saying what to do, never Tokio's panic, and nothing is sent; dropping it there
/// does not panic either; outside the runtime the same client still works.
#[test]
fn the_blocking_client_inside_a_runtime_is_an_error_that_says_what_to_do() {
    use latipay_runtime::blocking;

    fn says_what_to_do(e: &Error) {
        let Error::Config(why) = e else {
            panic!("{e:?}")
        };
        assert!(
            why.contains("inside a Tokio runtime")
                && why.contains("latipay_runtime::Client")
                && why.contains(".await"),
            "{why}"
        );
    }

    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(FaultServer::start(vec![Fault::Answer(
        200,
        signed_query_response("0.50"),
    )]));
    let url = server.url.clone();

    // Building, in the body of a `block_on` (as in `#[tokio::main]`), in a task, and on a
    // `spawn_blocking` thread (which carries the runtime's context too).
    let built = rt.block_on(async { blocking::Client::from_async(client(&url)) });
    says_what_to_do(&built.unwrap_err());
    let in_task = rt.block_on(async {
        let url = url.clone();
        tokio::spawn(async move { blocking::Client::from_async(client(&url)).map(drop) })
            .await
            .unwrap()
    });
    says_what_to_do(&in_task.unwrap_err());
    let on_blocking_thread = rt.block_on(async {
        let url = url.clone();
        tokio::task::spawn_blocking(move || blocking::Client::from_async(client(&url)).map(drop))
            .await
            .unwrap()
    });
    says_what_to_do(&on_blocking_thread.unwrap_err());

    // Sending with a client built outside.
    let client = blocking::Client::from_async(client(&url)).unwrap();
    let sent = rt.block_on(async { client.send(&query()).map(drop) });
    says_what_to_do(&sent.unwrap_err());
    let sent_with = rt.block_on(async {
        client
            .send_with(&query(), latipay_runtime::SendOptions::default())
            .map(drop)
    });
    says_what_to_do(&sent_with.unwrap_err());
    assert_eq!(server.hits(), 0, "nothing was sent");

    // Outside, the same client works.
    assert_eq!(client.send(&query()).unwrap().amount, "0.50");

    // Dropped inside a task: shut down without Tokio's "Cannot drop a runtime" panic.
    rt.block_on(async move {
        tokio::spawn(async move { drop(client) }).await.unwrap();
    });
}
