//! create -> pay -> notification delivered -> query paid -> refund -> second refund refused.

use latipay_spec::inbound::RawObject;
use latipay_spec::inbound::{FormPairs, verify_response};

use super::common::*;

#[tokio::test]
async fn the_full_lifecycle() {
    let sb = sandbox().await;
    let merchant = Merchant::start(vec![(200, "sent")]).await;
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("life-1", "120.00", &merchant.url),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");

    let pending = order(&sb, "life-1").await;
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["redirect_url"], serde_json::Value::Null);
    let query = call(&sb, "query", &pairs(&[("merchant_reference", "life-1")])).await;
    assert_eq!(query["status"], "pending");

    let (status, paid) = admin(&sb, "life-1", "pay").await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["status"], "paid");
    let (status, _) = admin(&sb, "life-1", "fail").await;
    assert_eq!(status, 409, "a paid order cannot fail");

    let delivered = wait_for(&sb, "life-1", |v| delivery_state(v) == "delivered").await;
    let attempts = delivered["notifications"][0]["attempts"]
        .as_array()
        .unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["delivered"], true);

    // The notification is a signed Rule B form with the extra fields real payloads carry.
    let bodies = merchant.bodies();
    assert_eq!(bodies.len(), 1);
    let spec = latipay_spec::builtin();
    let form = FormPairs::parse(bodies[0].as_bytes()).unwrap();
    form.verify(spec.inbound("notification").unwrap(), &key())
        .expect("Rule B notification");
    assert_eq!(form.get("status").as_deref(), Some("paid"));
    assert_eq!(form.get("amount").as_deref(), Some("120.00"));
    assert_eq!(
        form.get("order_id").as_deref(),
        delivered["order_id"].as_str()
    );
    for extra in [
        "pay_time",
        "amount_cny",
        "rate",
        "transaction_id",
        "createDate",
    ] {
        assert!(form.get(extra).is_some_and(|v| !v.is_empty()), "{extra}");
    }

    // The redirect parameters for the paid order verify by Rule B.
    let redirect = delivered["redirect_url"].as_str().unwrap();
    assert!(redirect.starts_with("https://merchantsite.com/checkout?"));
    let form = FormPairs::parse_query(redirect).unwrap();
    form.verify(spec.inbound("redirect").unwrap(), &key())
        .expect("Rule B redirect");
    assert_eq!(form.get("status").as_deref(), Some("paid"));

    // The query answers paid, amount as a JSON number with two decimals, signed by Rule B.
    let text = call_text(
        &sb,
        "query",
        &key(),
        USER,
        WALLET,
        &pairs(&[("merchant_reference", "life-1")]),
    )
    .await;
    assert!(text.contains(r#""amount":120.00,"#), "{text}");
    let ok = verify_response(spec, spec.endpoint("query").unwrap(), &key(), &text)
        .expect("Rule B query");
    assert_eq!(ok.message, "life-1alipaypaidNZD120.00");
    let fields = RawObject::parse(&text).unwrap();
    assert_eq!(
        fields.text("pay_time").as_deref(),
        delivered["pay_time"].as_str()
    );

    // Refund everything, then the second refund is refused.
    let order_id = delivered["order_id"].as_str().unwrap();
    let refund = pairs(&[
        ("order_id", order_id),
        ("refund_amount", "120.00"),
        ("reference", "r1"),
    ]);
    assert_eq!(code(&call(&sb, "refund", &refund).await), 0);
    let again = call(&sb, "refund", &refund).await;
    assert_eq!(code(&again), 562, "{again}");
    sb.shutdown().await.unwrap();
}

#[tokio::test]
async fn failing_and_canceling_through_the_admin_routes_notify_too() {
    let sb = sandbox().await;
    let merchant = Merchant::start(vec![(200, "sent")]).await;
    for r in ["adm-fail", "adm-cancel"] {
        assert_eq!(
            code(
                &call(
                    &sb,
                    "transaction",
                    &transaction_fields(r, "5.00", &merchant.url)
                )
                .await
            ),
            0
        );
    }
    assert_eq!(admin(&sb, "adm-fail", "fail").await.0, 200);
    assert_eq!(admin(&sb, "adm-cancel", "cancel").await.0, 200);
    assert_eq!(admin(&sb, "adm-cancel", "explode").await.0, 404);
    assert_eq!(admin(&sb, "nope", "pay").await.0, 404);
    let failed = wait_for(&sb, "adm-fail", |v| delivery_state(v) == "delivered").await;
    assert_eq!(failed["notifications"][0]["status"], "failed");
    let redirect = failed["redirect_url"].as_str().unwrap();
    assert!(redirect.contains("status=cancel_or_fail"), "{redirect}");
    let canceled = wait_for(&sb, "adm-cancel", |v| delivery_state(v) == "delivered").await;
    assert_eq!(canceled["notifications"][0]["status"], "canceled");
    let q = call(&sb, "query", &pairs(&[("merchant_reference", "adm-fail")])).await;
    assert_eq!(q["status"], "failed");
}

#[tokio::test]
async fn a_blocking_query_returns_when_the_order_is_paid() {
    let sb = sandbox().await;
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("block", "7.00", "https://m.example/c")
            )
            .await
        ),
        0
    );
    let url = sb.url().to_owned();
    let waiting = tokio::spawn(async move {
        let spec = latipay_spec::builtin();
        let signed = spec
            .endpoint("query")
            .unwrap()
            .sign_dynamic(
                &key(),
                USER,
                "",
                &pairs(&[("merchant_reference", "block"), ("is_block", "1")]),
            )
            .unwrap();
        reqwest::get(signed.request.url(&url))
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    });
    // Pay only once the query is waiting (the sandbox has seen it) is not observable; paying at
    // any point must end the wait with `paid`.
    tokio::task::yield_now().await;
    assert_eq!(admin(&sb, "block", "pay").await.0, 200);
    let answer = waiting.await.unwrap();
    assert_eq!(answer["status"], "paid", "{answer}");
}

/// An invoice is paid by one of the methods it offers. Paying it by another (or by an empty
/// `?payment_method`, which the fuzzer found: the invoice was then paid by `""`, and every later
/// `invoice_get` failed to sign its `return_query`) is refused with a word, and changes nothing.
#[tokio::test]
async fn an_invoice_is_paid_only_by_a_method_it_offers() {
    let sb = sandbox().await;
    let created = call(&sb, "invoice_create", &pairs(&[("amount", "5.00")])).await;
    let id = created["invoice_id"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    for query in [
        "?payment_method",
        "?payment_method=",
        "?payment_method=bitcoin",
    ] {
        let refused = http
            .post(format!("{}/sandbox/invoices/{id}/pay{query}", sb.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400, "{query}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(
            body["error"].as_str().unwrap(),
            format!(
                "an invoice is paid by one of the payment_methods it offers (alipay, wechat), not `{}`",
                query.split_once('=').map_or("", |(_, m)| m)
            )
        );
    }
    let (status, held) = invoice(&sb, &id).await;
    assert_eq!((status, held["status"].as_str()), (200, Some("unpaid")));
    // Still payable, and readable once paid.
    pay_invoice(&sb, &id, Some("wechat")).await;
    let got = call(&sb, "invoice_get", &pairs(&[("invoice_id", &id)])).await;
    assert_eq!(got["code"], 0, "{got}");
    assert!(got["return_query"].is_string(), "{got}");
    sb.shutdown().await.unwrap();
}
