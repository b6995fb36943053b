//! Responses shaped like the real API: minialipay's gatewaydata key order, miniapppay, barcode,
//! invoices, the hosted payment page. (Every answer against its model: `models.rs`.)

use latipay_spec::inbound::FormPairs;

use super::common::*;

#[tokio::test]
async fn minialipay_keeps_alipays_key_order() {
    let sb = sandbox().await;
    let text = call_text(
        &sb,
        "minialipay",
        &key(),
        USER,
        WALLET,
        &mini_fields("mini-1"),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(code(&v), 0, "{v}");
    let order = [
        "service",
        "partner",
        "_input_charset",
        "sign_type",
        "sign",
        "notify_url",
        "return_url",
        "subject",
        "body",
        "out_trade_no",
        "currency",
        "total_fee",
        "supplier",
        "secondary_merchant_id",
        "secondary_merchant_name",
        "secondary_merchant_industry",
        "product_code",
        "app_pay",
    ];
    let gateway = &text[text.find("\"gatewaydata\"").unwrap()..];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| {
            gateway
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    assert_ne!(sorted, order, "the order is not alphabetical");
    assert_eq!(v["gatewaydata"]["total_fee"], "0.01");
    assert_eq!(v["paydata"]["customerOrderId"], "mini-1");
    let order_id = v["paydata"]["orderId"].as_str().unwrap();
    assert_eq!(v["gatewaydata"]["out_trade_no"], order_id);
}

#[tokio::test]
async fn miniapppay_and_barcode() {
    let sb = sandbox().await;
    let v = call(
        &sb,
        "miniapppay",
        &pairs(&[
            ("amount", "3.00"),
            ("notify_url", "https://m.example/n"),
            ("merchant_reference", "wx-1"),
            ("product_name", "tea"),
            ("app_id", "wx123"),
            ("open_id", "o-abc"),
        ]),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    for k in ["nonceStr", "paySign", "signType", "timeStamp", "packageStr"] {
        assert!(v["payment"][k].is_string(), "{k}: {v}");
    }
    assert!(v["paydata"]["order_id"].is_string());
    assert_eq!(order(&sb, "wx-1").await["payment_method"], "wechat");

    let v = call(
        &sb,
        "barcode",
        &pairs(&[
            ("amount", "0.05"),
            ("pay_code", "134588558514585062"),
            ("merchant_reference", "bc-1"),
        ]),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert!(v["order_id"].is_string());
    let q = call(&sb, "query", &pairs(&[("merchant_reference", "bc-1")])).await;
    assert_eq!(
        q["status"], "paid",
        "barcode payments are confirmed at once"
    );
    assert_eq!(q["payment_method"], "wechat");
}

#[tokio::test]
async fn invoices_from_create_to_refund() {
    let sb = sandbox().await;
    let merchant = Merchant::start(vec![(200, "sent")]).await;
    let v = call(
        &sb,
        "invoice_create",
        &pairs(&[
            ("amount", "1"),
            ("product_name", "ticket"),
            ("customer_order_id", "co-1"),
            ("notify_url", &merchant.url),
        ]),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert!(v.get("data").is_none(), "top level, no `data` wrapper: {v}");
    let id = v["invoice_id"].as_str().unwrap().to_owned();
    assert_eq!(
        v["invoice_url"],
        format!("{}/sandbox/invoices/{id}", sb.url()).as_str()
    );
    assert!(
        v["qrcode_pic"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    let dup = call(
        &sb,
        "invoice_create",
        &pairs(&[("amount", "2"), ("customer_order_id", "co-1")]),
    )
    .await;
    assert_eq!(code(&dup), 1);

    let got = call(&sb, "invoice_get", &pairs(&[("customer_order_id", "co-1")])).await;
    assert_eq!(got["invoice_id"], id.as_str());
    // Neither `invoice_id` nor `customer_order_id` (which the dynamic signer refuses to sign).
    let neither = get_raw(&sb, "/v2/invoice", &[("user_id", USER)]).await;
    assert_eq!(code(&neither), 204, "{neither}");
    assert_eq!(
        neither["message"],
        "some fields from input are null: `invoice_id` or `customer_order_id`"
    );
    assert_eq!(
        code(&call(&sb, "invoice_get", &pairs(&[("invoice_id", "INV-none")])).await),
        201
    );
    let list = call(&sb, "invoice_list", &pairs(&[("start_time", "2000-01-01")])).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["data"][0]["invoice_id"], id.as_str());
    assert_eq!(list["data"][0]["status"], "pending");
    assert_eq!(list["data"][0]["amount"], 1.0, "a JSON number");
    let list = call(
        &sb,
        "invoice_list",
        &pairs(&[("start_time", "2000-01-01"), ("end_time", "2000-01-02")]),
    )
    .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    assert_eq!(
        code(&call(&sb, "invoice_list", &pairs(&[("start_time", "yesterday")])).await),
        207
    );

    assert_eq!(
        code(&call(&sb, "invoice_refund", &pairs(&[("invoice_id", &id)])).await),
        550
    );
    pay_invoice(&sb, &id, None).await;
    assert_eq!(
        code(&call(&sb, "invoice_delete", &pairs(&[("invoice_id", &id)])).await),
        1
    );
    assert_eq!(
        code(&call(&sb, "invoice_refund", &pairs(&[("invoice_id", &id)])).await),
        0
    );
    assert_eq!(
        code(&call(&sb, "invoice_refund", &pairs(&[("invoice_id", &id)])).await),
        562
    );

    // The invoice's notification is delivered and signed.
    for _ in 0..2000 {
        if !merchant.bodies().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let body = merchant.bodies().pop().expect("invoice notification");
    let form = FormPairs::parse(body.as_bytes()).unwrap();
    form.verify(
        latipay_spec::builtin().inbound("notification").unwrap(),
        &key(),
    )
    .unwrap();
    assert_eq!(form.get("merchant_reference").as_deref(), Some("co-1"));
    assert_eq!(form.get("amount").as_deref(), Some("1.00"));

    let v = call(&sb, "invoice_create", &pairs(&[("amount", "5.00")])).await;
    let id2 = v["invoice_id"].as_str().unwrap().to_owned();
    assert_eq!(
        code(&call(&sb, "invoice_delete", &pairs(&[("invoice_id", &id2)])).await),
        0
    );
    assert_eq!(
        code(&call(&sb, "invoice_get", &pairs(&[("invoice_id", &id2)])).await),
        201
    );
}

#[tokio::test]
async fn the_hosted_page_pays_and_redirects() {
    let sb = sandbox().await;
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("page-1", "9.00", "https://m.example/c"),
    )
    .await;
    let page_url = format!(
        "{}/{}",
        v["host_url"].as_str().unwrap(),
        v["nonce"].as_str().unwrap()
    );
    let page = reqwest::get(&page_url).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("9.00 NZD") && html.contains("Pinot Noir, Otago"),
        "{html}"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client
        .post(&page_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("action=pay")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let form = FormPairs::parse_query(&location).unwrap();
    form.verify(latipay_spec::builtin().inbound("redirect").unwrap(), &key())
        .unwrap();
    assert_eq!(form.get("status").as_deref(), Some("paid"));
    assert_eq!(
        reqwest::get(format!("{}/pay/unknown", sb.url()))
            .await
            .unwrap()
            .status(),
        404
    );
}
