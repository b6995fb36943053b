//! Bad input gets clear answers and never takes the sandbox down; it shuts down cleanly.

use super::common::*;

async fn raw(
    sb: &latipay_sandbox::Sandbox,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let resp = reqwest::Client::new()
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{path}", sb.url()),
        )
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("answers");
    let status = resp.status().as_u16();
    let v: serde_json::Value = resp.json().await.expect("JSON body");
    assert!(
        v["code"].is_number() && v["message"].is_string() && v["messageCN"].is_string(),
        "{v}"
    );
    (status, v)
}

#[tokio::test]
async fn malformed_requests_get_clear_answers() {
    let sb = sandbox_with(|c| c.body_limit = 1024).await;
    let json = "application/json";
    let (s, v) = raw(
        &sb,
        "POST",
        "/v2/transaction",
        json,
        b"{\"amount\": ".to_vec(),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    assert!(v["message"].as_str().unwrap().contains("malformed JSON"));
    let (s, _) = raw(&sb, "POST", "/v2/transaction", json, b"[1,2]".to_vec()).await;
    assert_eq!(s, 400);
    let (s, _) = raw(&sb, "POST", "/v2/transaction", json, vec![0xff, 0xfe]).await;
    assert_eq!(s, 400);
    let (s, v) = raw(
        &sb,
        "POST",
        "/v2/transaction",
        "text/plain",
        b"amount=1".to_vec(),
    )
    .await;
    assert_eq!(s, 415, "{v}");
    let (s, v) = raw(&sb, "POST", "/v2/transaction", json, vec![b' '; 10_000]).await;
    assert_eq!(s, 413, "{v}");
    let (s, v) = raw(&sb, "GET", "/v3/nothing", json, Vec::new()).await;
    assert_eq!(s, 404, "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("POST /v2/transaction")
    );
    let (s, v) = raw(&sb, "PUT", "/refund", json, Vec::new()).await;
    assert_eq!(s, 405, "{v}");
    // Nested values are not Latipay fields.
    let (s, v) = raw(
        &sb,
        "POST",
        "/cancel",
        json,
        br#"{"user_id":{"a":1}}"#.to_vec(),
    )
    .await;
    assert_eq!((s, code(&v)), (200, 207), "{v}");
    // Still serving.
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("after", "1.00", "https://m.example/c"),
    )
    .await;
    assert_eq!(code(&v), 0);
}

#[tokio::test]
async fn index_and_reset() {
    let sb = sandbox().await;
    let index: serde_json::Value = reqwest::get(format!("{}/sandbox", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(index["endpoints"].as_array().unwrap().len(), 13);
    assert_eq!(
        index["magic_amounts"].as_array().unwrap().len(),
        latipay_sandbox::MAGIC_AMOUNTS.len()
    );
    assert!(!index.to_string().contains(KEY), "keys are not shown");
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("gone", "1.00", "https://m.example/c")
            )
            .await
        ),
        0
    );
    reset(&sb).await;
    assert_eq!(
        reqwest::get(format!("{}/sandbox/orders/gone", sb.url()))
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn shuts_down_cleanly_and_frees_the_port() {
    let sb = sandbox().await;
    let addr = sb.addr();
    assert!(sb.url().starts_with("http://127.0.0.1:"));
    sb.shutdown().await.expect("clean shutdown");
    assert!(
        reqwest::get(format!("http://{addr}/sandbox"))
            .await
            .is_err()
    );
    // The port can be bound again.
    drop(std::net::TcpListener::bind(addr).expect("port is free"));
}

/// The sandbox's own routes asked with a method they do not take: 405 with `{"error": ...}`
/// saying so, and the methods they take in `Allow` (axum's default answer has no body).
#[tokio::test]
async fn own_routes_refuse_other_methods_with_a_word() {
    let sb = sandbox().await;
    for (method, path, allow) in [
        ("PATCH", "/sandbox/orders", "GET,HEAD"),
        ("DELETE", "/sandbox", "GET,HEAD"),
        ("GET", "/sandbox/reset", "POST"),
        ("PUT", "/sandbox/orders/x/pay", "POST"),
        ("DELETE", "/pay/nonce", "GET,HEAD,POST"),
    ] {
        let resp = reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", sb.url()),
            )
            .send()
            .await
            .expect("answers");
        assert_eq!(resp.status(), 405, "{method} {path}");
        let allowed = resp.headers()["allow"].to_str().unwrap().replace(' ', "");
        assert_eq!(allowed, allow, "{method} {path}");
        let v: serde_json::Value = resp.json().await.expect("JSON");
        let error = v["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(path) && error.contains(method) && error.contains("GET /sandbox"),
            "{method} {path}: {v}"
        );
    }
}
