//! Notification delivery: retried until HTTP 200 with the body exactly `sent`, every attempt
//! recorded, resumed when the merchant comes back, capped when configured.

use latipay_spec::inbound::{FormPairs, InboundError};

use super::common::*;

#[tokio::test]
async fn retried_until_sent_exactly_four_attempts() {
    let sb = sandbox().await;
    let merchant =
        Merchant::start(vec![(500, ""), (500, "oops"), (200, "OK"), (200, "sent")]).await;
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("retry", "12.00", &merchant.url)
            )
            .await
        ),
        0
    );
    assert_eq!(admin(&sb, "retry", "pay").await.0, 200);
    let v = wait_for(&sb, "retry", |v| delivery_state(v) == "delivered").await;
    let attempts = v["notifications"][0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 4, "{attempts:?}");
    let statuses: Vec<i64> = attempts
        .iter()
        .map(|a| a["http_status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [500, 500, 200, 200]);
    let delivered: Vec<bool> = attempts
        .iter()
        .map(|a| a["delivered"].as_bool().unwrap())
        .collect();
    assert_eq!(delivered, [false, false, false, true]);
    assert_eq!(attempts[2]["response_body"], "OK");
    // The same signed body every time.
    let bodies = merchant.bodies();
    assert_eq!(bodies.len(), 4);
    assert!(bodies.iter().all(|b| b == &bodies[0]));
    sb.shutdown().await.unwrap();
}

#[tokio::test]
async fn resumes_when_the_merchant_comes_back() {
    let sb = sandbox().await;
    // A port with nobody listening: reserve one, then free it.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let url = format!("http://{addr}/confirm");
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("down", "12.52", &url)
            )
            .await
        ),
        0
    );
    let v = wait_for(&sb, "down", |v| {
        v["notifications"][0]["attempts"]
            .as_array()
            .is_some_and(|a| a.len() >= 2)
    })
    .await;
    let first = &v["notifications"][0]["attempts"][0];
    assert_eq!(first["http_status"], serde_json::Value::Null);
    assert!(first["error"].as_str().is_some_and(|e| !e.is_empty()));
    let merchant = Merchant::start_on(addr, vec![(200, "sent")]).await;
    let v = wait_for(&sb, "down", |v| delivery_state(v) == "delivered").await;
    let attempts = v["notifications"][0]["attempts"].as_array().unwrap();
    assert!(attempts.len() >= 3);
    assert_eq!(attempts.last().unwrap()["delivered"], true);
    assert_eq!(merchant.bodies().len(), 1);
}

#[tokio::test]
async fn the_attempt_cap_gives_up() {
    let sb = sandbox_with(|c| c.max_attempts = Some(3)).await;
    let merchant = Merchant::start(vec![(500, "")]).await;
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("cap", "12.52", &merchant.url)
            )
            .await
        ),
        0
    );
    let v = wait_for(&sb, "cap", |v| delivery_state(v) == "gave_up").await;
    assert_eq!(
        v["notifications"][0]["attempts"].as_array().unwrap().len(),
        3
    );
    assert_eq!(merchant.bodies().len(), 3);
}

#[tokio::test]
async fn magic_amounts_shape_notifications() {
    let sb = sandbox().await;
    let merchant = Merchant::start(vec![(200, "sent")]).await;
    let spec = latipay_spec::builtin();
    let notification = spec.inbound("notification").unwrap();

    // .51: failed at once.
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("m51", "2.51", &merchant.url)
            )
            .await
        ),
        0
    );
    let v = wait_for(&sb, "m51", |v| delivery_state(v) == "delivered").await;
    assert_eq!(v["status"], "failed");

    // .56: paid, but the signature is wrong; merchants must refuse it.
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("m56", "2.56", &merchant.url)
            )
            .await
        ),
        0
    );
    wait_for(&sb, "m56", |v| delivery_state(v) == "delivered").await;
    let bodies = merchant.bodies();
    let body = bodies
        .iter()
        .find(|b| b.contains("merchant_reference=m56"))
        .unwrap();
    let err = FormPairs::parse(body.as_bytes())
        .unwrap()
        .verify(notification, &key())
        .unwrap_err();
    assert!(matches!(err, InboundError::Mismatch { .. }));

    // .57: paid, delivered twice.
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("m57", "2.57", &merchant.url)
            )
            .await
        ),
        0
    );
    let v = wait_for(&sb, "m57", |v| {
        v["notifications"]
            .as_array()
            .is_some_and(|n| n.len() == 2 && n.iter().all(|d| d["state"] == "delivered"))
    })
    .await;
    assert_eq!(v["status"], "paid");
    let copies = merchant
        .bodies()
        .iter()
        .filter(|b| b.contains("merchant_reference=m57"))
        .count();
    assert_eq!(copies, 2);
}
