//! `latipay verify`: the Rule B vectors and the response fixtures valid, tampering invalid with
//! the rule and the expected message, unusable input exit 2.

use super::common::*;

const NOTIFICATION: &str = "merchant_reference=dsi39ej430sks03&order_id=2017232323345678&currency=NZD&amount=120.00&payment_method=alipay&status=paid&pay_time=2017-07-07+10%3A53%3A50&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";
const REDIRECT: &str = "https://merchantsite.com/checkout?merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";
const QUERY: &str = r#"{"code":0,"message":"SUCCESS","messageCN":"操作成功","merchant_reference":"6000324","currency":"NZD","amount":120.00,"amount_cny":556.48,"rate":4.63733,"payment_method":"alipay","status":"paid","pay_time":"2017-07-07 10:53:50","order_id":"2017232323345678","transaction_id":"4200000001","signature":"3149d48405bf8782b8b4ae816a91744c5eb6d4a0293f8bb9bc8f0d9f29fdfb40"}"#;

fn verify(kind: &str, body: &str) -> std::process::Output {
    latipay(&["verify", kind, "--api-key", KEY, "--body", body])
}

#[test]
fn the_doc_vectors_are_valid() {
    for (kind, body) in [
        ("notification", NOTIFICATION),
        ("redirect", REDIRECT),
        ("query-response", QUERY),
    ] {
        let o = verify(kind, body);
        assert_eq!(code(&o), 0, "{kind}: {}", stderr(&o));
        assert_eq!(stdout(&o), "valid\n", "{kind}");
    }
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/responses");

/// A response fixture (Latipay's documented answers), exactly as stored.
fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}.json")).unwrap()
}

#[test]
fn the_response_fixtures_verify_and_their_tampered_copies_do_not() {
    for (kind, name, key) in [
        ("transaction-response", "transaction", KEY),
        ("transaction-response", "transaction_offline", KEY),
        ("query-response", "query", KEY),
        ("query-response", "query_real_7EE1", "7EE1"),
    ] {
        let o = latipay(&["verify", kind, "--api-key", key, "--body", &fixture(name)]);
        assert_eq!(
            (code(&o), stdout(&o)),
            (0, "valid\n".to_owned()),
            "{name}: {}",
            stderr(&o)
        );
    }
    let o = verify(
        "transaction-response",
        &fixture("transaction_tampered_nonce"),
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o),
        "invalid\nrule: concatenation: nonce + host_url\nexpected message: 7d5a88119354301ad3fc250404493bd27abf4467283a061d1ed11860a46e1bf4https://pay.latipay.net/pay\n"
    );
    let o = verify("query-response", &fixture("query_tampered_amount"));
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).ends_with("expected message: 6000324alipaypaidNZD120.01\n"),
        "{}",
        stdout(&o)
    );
    // A failure answer is not signed: nothing to verify.
    let o = verify("query-response", &fixture("error_206"));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("code 206"), "{}", stderr(&o));
}

#[test]
fn tampered_fields_are_invalid_and_show_the_expected_message() {
    let o = verify(
        "notification",
        &NOTIFICATION.replace("status=paid", "status=failed"),
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o),
        "invalid\nrule: concatenation: merchant_reference + payment_method + status + currency + amount\nexpected message: dsi39ej430sks03alipayfailedNZD120.00\n"
    );
    assert!(!stdout(&o).contains(KEY) && !stderr(&o).contains(KEY));

    let o = verify(
        "redirect",
        &REDIRECT.replace("amount=120.00", "amount=1.00"),
    );
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).starts_with("invalid\n"));

    // 120.00 read as 120 (what a float does) is a different message.
    let o = verify("query-response", &QUERY.replace("120.00", "120"));
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("expected message: 6000324alipaypaidNZD120\n"));

    let o = latipay(&[
        "verify",
        "notification",
        "--api-key",
        "wrong",
        "--body",
        NOTIFICATION,
    ]);
    assert_eq!(code(&o), 1, "a wrong key is invalid");
}

#[test]
fn unusable_input_exits_2() {
    for (kind, body, says) in [
        ("notification", "{\"a\":1}", "not a form-encoded body"),
        (
            "notification",
            "merchant_reference=x&status=paid",
            "missing fields",
        ),
        (
            "notification",
            &format!("{NOTIFICATION}&amount=1.00"),
            "more than once",
        ),
        ("query-response", "{not json", "not a JSON object"),
        (
            "query-response",
            r#"{"code":201,"message":"order not exist"}"#,
            "code 201",
        ),
        ("transaction-response", "[]", "not a JSON object"),
    ] {
        let o = verify(kind, body);
        assert_eq!(code(&o), 2, "{kind} {body}");
        assert!(stderr(&o).contains(says), "{kind}: {}", stderr(&o));
        no_panic(&o);
    }
    let o = latipay(&["verify", "webhook", "--api-key", KEY, "--body", "x"]);
    assert_eq!(code(&o), 2);
    let o = latipay(&["verify", "notification", "--api-key", KEY]);
    assert_eq!(code(&o), 2, "--body is required");
}

#[test]
fn the_body_can_come_from_stdin() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_latipay"))
        .args(["verify", "query-response", "--api-key", KEY, "--body", "-"])
        .env_remove("LATIPAY_API_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(QUERY.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!((code(&o), stdout(&o)), (0, "valid\n".to_owned()));
}
