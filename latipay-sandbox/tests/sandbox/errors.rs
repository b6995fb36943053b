//! Each Latipay code is produced by the input that should produce it, with Latipay's body shape.

use latipay_spec::{ApiKey, SigningKey};
use serde_json::json;

use super::common::*;

const CALLBACK: &str = "https://merchantsite.com/confirm";

fn shaped(v: &serde_json::Value) {
    assert!(
        v["message"].is_string() && v["messageCN"].is_string(),
        "{v}"
    );
}

#[tokio::test]
async fn a_request_signed_by_the_dynamic_signer_is_accepted() {
    let sb = sandbox().await;
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("ok-1", "120.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert_eq!(v["message"], "SUCCESS");
    assert!(v["nonce"].as_str().is_some_and(|n| n.len() == 32));
    assert_eq!(v["host_url"], format!("{}/pay", sb.url()));
    // Rule C, verified by the same code merchants use.
    let spec = latipay_spec::builtin();
    let tx = spec.endpoint("transaction").unwrap();
    latipay_spec::inbound::verify_response(spec, tx, &key(), &v.to_string()).expect("Rule C");
    sb.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_doc_vector_request_is_accepted_as_sent() {
    let sb = sandbox().await;
    let v = post_json(
        &sb,
        "/v2/transaction",
        &json!({
            "user_id": "U000334333", "wallet_id": "W00000001", "payment_method": "alipay",
            "amount": "120.00", "return_url": "https://merchantsite.com/checkout",
            "callback_url": "https://merchantsite.com/confirm", "merchant_reference": "dsi39ej430sks03",
            "ip": "122.122.122.1", "version": "2.0", "product_name": "Pinot Noir, Otago",
            "signature": "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec"
        }),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
}

#[tokio::test]
async fn missing_or_null_fields_give_204_listing_them() {
    let sb = sandbox().await;
    let v = post_raw(
        &sb,
        "/v2/transaction",
        &[("user_id", USER), ("amount", "1.00")],
    )
    .await;
    assert_eq!(code(&v), 204, "{v}");
    shaped(&v);
    let m = v["message"].as_str().unwrap();
    for name in [
        "wallet_id",
        "payment_method",
        "ip",
        "merchant_reference",
        "version",
    ] {
        assert!(m.contains(&format!("`{name}`")), "{m}");
    }
    let v = post_json(
        &sb,
        "/cancel",
        &json!({"user_id": USER, "merchant_reference": null, "signature": "00"}),
    )
    .await;
    assert_eq!(code(&v), 204);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("`merchant_reference` (null)"),
        "{v}"
    );
    // A typo is pointed out.
    let v = post_raw(
        &sb,
        "/cancel",
        &[("user_id", USER), ("merchant_refrence", "x")],
    )
    .await;
    assert_eq!(code(&v), 204);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `merchant_reference`"),
        "{v}"
    );
}

#[tokio::test]
async fn wrong_values_give_207() {
    let sb = sandbox().await;
    let base = [
        ("user_id", USER),
        ("wallet_id", WALLET),
        ("amount", "120.00"),
        ("return_url", "https://m.example/r"),
        ("callback_url", "https://m.example/c"),
        ("merchant_reference", "r-207"),
        ("ip", "122.122.122.1"),
        ("version", "2.0"),
        ("product_name", "wine"),
    ];
    for (name, bad) in [
        ("payment_method", "paypal"),
        ("amount", "12.345"),
        ("ip", "122.122.122"),
        ("callback_url", "ftp://x"),
        ("version", "1.0"),
    ] {
        let mut fields: Vec<(&str, &str)> =
            base.iter().copied().filter(|(n, _)| *n != name).collect();
        if name != "payment_method" {
            fields.push(("payment_method", "alipay"));
        }
        fields.push((name, bad));
        let v = post_raw(&sb, "/v2/transaction", &fields).await;
        assert_eq!(code(&v), 207, "{name}={bad}: {v}");
        assert!(v["message"].as_str().unwrap().contains(name), "{v}");
    }
    // Unknown fields are refused too, so a signature over them cannot silently differ.
    let v = post_raw(
        &sb,
        "/cancel",
        &[
            ("user_id", USER),
            ("merchant_reference", "x"),
            ("colour", "red"),
        ],
    )
    .await;
    assert_eq!(code(&v), 207);
    // A zero amount is no payment, nor a refund: the spec says `positive` (signed by hand, since
    // the dynamic signer refuses them).
    let mut zero: Vec<(&str, &str)> =
        vec![("user_id", USER), ("wallet_id", WALLET), ("version", "2.0")];
    let fields = transaction_fields("zero", "0.00", CALLBACK);
    zero.extend(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let v = post_raw(&sb, "/v2/transaction", &zero).await;
    assert_eq!(code(&v), 207, "{v}");
    assert_eq!(
        v["message"],
        "param is wrong: `amount`: must be more than zero: Latipay refuses a payment or refund of 0.00 (got `0.00`)"
    );
    let v = post_raw(
        &sb,
        "/refund",
        &[("user_id", USER), ("order_id", "1"), ("refund_amount", "0")],
    )
    .await;
    assert_eq!(code(&v), 207, "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("param is wrong: `refund_amount`: must be more than zero"),
        "{v}"
    );
}

#[tokio::test]
async fn unknown_user_gives_205_and_foreign_wallet_450() {
    let sb = sandbox().await;
    let v = call_as(
        &sb,
        "transaction",
        &key(),
        "U999",
        WALLET,
        &transaction_fields("r", "1.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 205, "{v}");
    shaped(&v);
    let v = call_as(
        &sb,
        "transaction",
        &key(),
        USER,
        OTHER_WALLET,
        &transaction_fields("r", "1.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 450, "{v}");
    let v = call_as(
        &sb,
        "transaction",
        &key(),
        USER,
        "W404",
        &transaction_fields("r", "1.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 450, "{v}");
}

#[tokio::test]
async fn wrong_signatures_give_206_with_the_expected_message() {
    let sb = sandbox().await;
    let wrong = SigningKey::new(ApiKey::new("not-the-key"));
    let v = call_as(
        &sb,
        "transaction",
        &wrong,
        USER,
        WALLET,
        &transaction_fields("r", "1.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 206, "{v}");
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("amount=1.00&callback_url="), "{m}");
    assert!(m.ends_with("wallet_id=W00000001***`"), "{m}");
    assert!(!m.contains(KEY), "the key is never shown: {m}");
    // Signing 120.00 but sending 120: the classic pitfall.
    let fields = [("user_id", USER), ("merchant_reference", "x")];
    let mut body = serde_json::Map::new();
    for (n, v) in fields {
        body.insert(n.into(), json!(v));
    }
    body.insert(
        "signature".into(),
        json!(sign_raw(
            &key(),
            &[("user_id", USER), ("merchant_reference", "y")]
        )),
    );
    let v = post_json(&sb, "/cancel", &serde_json::Value::Object(body)).await;
    assert_eq!(code(&v), 206);
    let signed = sign_raw(
        &key(),
        &[
            ("order_id", "1"),
            ("refund_amount", "120.00"),
            ("user_id", USER),
        ],
    );
    let v = post_json(
        &sb,
        "/refund",
        &json!({"order_id": "1", "refund_amount": "120", "user_id": USER, "signature": signed}),
    )
    .await;
    assert_eq!(code(&v), 206, "{v}");
    // The same amount sent as a JSON number is checked by its text.
    let signed = sign_raw(
        &key(),
        &[
            ("order_id", "1"),
            ("refund_amount", "120.00"),
            ("user_id", USER),
        ],
    );
    let text = format!(
        r#"{{"order_id":"1","refund_amount":120.00,"user_id":"{USER}","signature":"{signed}"}}"#
    );
    let v = post_text(&sb, "/refund", text).await;
    assert_eq!(code(&v), 551, "signature accepted, then no such order: {v}");
    // Magic .06 refuses a right signature.
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("magic-06", "3.06", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 206, "{v}");
}

#[tokio::test]
async fn over_limit_duplicates_and_unknown_orders() {
    let sb = sandbox().await;
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("big", "99.54", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 454, "{v}");
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("dup", "1.00", CALLBACK)
            )
            .await
        ),
        0
    );
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("dup", "1.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 1, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("already used"),
        "{v}"
    );
    // The same reference is free for another user.
    let other = SigningKey::new(ApiKey::new(OTHER_KEY));
    let v = call_as(
        &sb,
        "transaction",
        &other,
        OTHER_USER,
        OTHER_WALLET,
        &transaction_fields("dup", "1.00", CALLBACK),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let v = call(&sb, "query", &pairs(&[("merchant_reference", "nope")])).await;
    assert_eq!(code(&v), 201, "{v}");
    let v = call(&sb, "cancel", &pairs(&[("merchant_reference", "nope")])).await;
    assert_eq!(code(&v), 201, "{v}");
    let v = call(
        &sb,
        "refund",
        &pairs(&[("order_id", "nope"), ("refund_amount", "1.00")]),
    )
    .await;
    assert_eq!(code(&v), 551, "{v}");
}

#[tokio::test]
async fn cancel_only_while_pending() {
    let sb = sandbox().await;
    for (reference, amount) in [
        ("c-pending", "1.00"),
        ("c-paid", "1.52"),
        ("c-failed", "1.51"),
    ] {
        assert_eq!(
            code(
                &call(
                    &sb,
                    "transaction",
                    &transaction_fields(reference, amount, CALLBACK)
                )
                .await
            ),
            0
        );
    }
    let cancel = |r: &str| pairs(&[("merchant_reference", r)]);
    assert_eq!(code(&call(&sb, "cancel", &cancel("c-pending")).await), 0);
    assert_eq!(order(&sb, "c-pending").await["status"], "canceled");
    assert_eq!(code(&call(&sb, "cancel", &cancel("c-pending")).await), 901);
    assert_eq!(code(&call(&sb, "cancel", &cancel("c-paid")).await), 900);
    assert_eq!(code(&call(&sb, "cancel", &cancel("c-failed")).await), 901);
}

#[tokio::test]
async fn refunds_never_exceed_the_paid_amount() {
    let sb = sandbox().await;
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("rf", "10.52", CALLBACK)
            )
            .await
        ),
        0
    );
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("rf-pending", "10.00", CALLBACK)
            )
            .await
        ),
        0
    );
    let id = order(&sb, "rf").await["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pending_id = order(&sb, "rf-pending").await["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refund = |id: &str, amount: &str| pairs(&[("order_id", id), ("refund_amount", amount)]);
    assert_eq!(
        code(&call(&sb, "refund", &refund(&pending_id, "1.00")).await),
        550
    );
    assert_eq!(code(&call(&sb, "refund", &refund(&id, "10.53")).await), 559);
    assert_eq!(code(&call(&sb, "refund", &refund(&id, "4.00")).await), 0);
    assert_eq!(code(&call(&sb, "refund", &refund(&id, "6.53")).await), 559);
    assert_eq!(code(&call(&sb, "refund", &refund(&id, "6.52")).await), 0);
    assert_eq!(code(&call(&sb, "refund", &refund(&id, "0.01")).await), 562);
    assert_eq!(order(&sb, "rf").await["refunded"], "10.52");
    // Another user cannot refund this order.
    let other = SigningKey::new(ApiKey::new(OTHER_KEY));
    let v = call_as(&sb, "refund", &other, OTHER_USER, "", &refund(&id, "1.00")).await;
    assert_eq!(code(&v), 551);
}
