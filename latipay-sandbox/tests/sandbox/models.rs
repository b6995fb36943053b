//! Every answer against the model the spec declares for it: each endpoint of the built-in spec
//! driven to a success, checked for its shape (nothing undeclared, nothing required missing,
//! declared order) and verified by the spec crate's verifier; the merchant-hosted `gatewaydata`
//! step end to end with its QR code; and a spec with a renamed field, which renames the answer.

use std::collections::BTreeSet;

use base64::Engine as _;
use latipay_spec::inbound::RawObject;
use latipay_spec::inbound::verify_model;
use latipay_spec::{ENVELOPE, Spec, shape};
use serde_json::Value;

use super::common::*;

/// Checks one success answer of `endpoint` against its model in `spec`: code 0; the envelope
/// first, then only declared members, in the declared order; every required member there with
/// its declared type (nested models too); every signature the model declares verified. The
/// answer's members.
fn declared<'t>(spec: &Spec, endpoint: &str, text: &'t str) -> RawObject<'t> {
    let e = spec.endpoint(endpoint).expect("endpoint");
    let model = spec.response_model(e).expect("model");
    let object = RawObject::parse(text).unwrap_or_else(|err| panic!("{endpoint}: {err}: {text}"));
    assert_eq!(
        object.text("code").as_deref(),
        Some("0"),
        "{endpoint}: {text}"
    );
    shape::check(spec, model, &object).unwrap_or_else(|err| panic!("{endpoint}: {err}: {text}"));
    let undeclared = shape::undeclared(model, &object);
    assert!(
        undeclared.is_empty(),
        "{endpoint} sends {undeclared:?}, which its model does not declare: {text}"
    );
    let names: Vec<&str> = object.members().map(|(n, _)| n).collect();
    assert_eq!(names[..ENVELOPE.len()], *ENVELOPE, "{endpoint}: {text}");
    let positions: Vec<usize> = names[ENVELOPE.len()..]
        .iter()
        .map(|n| model.fields.iter().position(|f| f.name == *n).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{endpoint}: members out of the declared order: {text}"
    );
    verify_model(spec, model, &object, &key())
        .unwrap_or_else(|err| panic!("{endpoint}: {err}: {text}"));
    object
}

fn offline_fields(reference: &str, method: &str) -> Vec<(String, String)> {
    pairs(&[
        ("payment_method", method),
        ("amount", "4.00"),
        ("callback_url", "https://m.example/c"),
        ("merchant_reference", reference),
        ("ip", "122.122.122.1"),
        ("product_name", "Pinot Noir, Otago"),
        ("host_type", "1"),
    ])
}

#[tokio::test]
async fn every_endpoint_answers_its_declared_model_signed() {
    let spec = latipay_spec::builtin();
    let sb = sandbox().await;
    let mut seen = BTreeSet::new();
    let mut check = |endpoint: &str, text: &str| {
        seen.insert(endpoint.to_owned());
        declared(spec, endpoint, text).into_owned()
    };

    // Hosted online, then the merchant-hosted offline pair.
    let t = text(
        &sb,
        "transaction",
        &transaction_fields("m-tx", "9.00", "https://m.example/c"),
    )
    .await;
    let tx = check("transaction", &t);
    assert_eq!(
        tx.text("host_url").as_deref(),
        Some(format!("{}/pay", sb.url()).as_str())
    );
    let t = text(&sb, "transaction", &offline_fields("m-offline", "wechat")).await;
    let tx = check("transaction", &t);
    let host_url = tx.text("host_url").unwrap().into_owned();
    let nonce = tx.text("nonce").unwrap().into_owned();
    let t = text(
        &sb,
        "gatewaydata",
        &pairs(&[("host_url", &host_url), ("nonce", &nonce)]),
    )
    .await;
    check("gatewaydata", &t);

    let t = text(
        &sb,
        "barcode",
        &pairs(&[
            ("amount", "0.05"),
            ("pay_code", "134588558514585062"),
            ("merchant_reference", "m-bc"),
        ]),
    )
    .await;
    check("barcode", &t);
    let t = text(&sb, "minialipay", &mini_fields("m-mini")).await;
    check("minialipay", &t);
    let t = text(
        &sb,
        "miniapppay",
        &pairs(&[
            ("amount", "3.00"),
            ("notify_url", "https://m.example/n"),
            ("merchant_reference", "m-wx"),
            ("product_name", "tea"),
            ("app_id", "wx123"),
            ("open_id", "o-abc"),
        ]),
    )
    .await;
    check("miniapppay", &t);

    // Query: pending (amount_cny null, rate 0.00000, as Latipay's real answer), then paid.
    let query = pairs(&[("merchant_reference", "m-tx")]);
    let t = text(&sb, "query", &query).await;
    let q = check("query", &t);
    assert!(
        t.contains(r#""amount":9.00,"amount_cny":null,"rate":0.00000,"#),
        "{t}"
    );
    assert_eq!(q.text("status").as_deref(), Some("pending"));
    assert_eq!(admin(&sb, "m-tx", "pay").await.0, 200);
    let t = text(&sb, "query", &query).await;
    let q = check("query", &t);
    assert!(
        t.contains(r#""amount":9.00,"amount_cny":41.74,"rate":4.63733,"#),
        "{t}"
    );
    assert_eq!(q.text("status").as_deref(), Some("paid"));

    let order_id = q.text("order_id").unwrap().into_owned();
    let t = text(
        &sb,
        "refund",
        &pairs(&[("order_id", &order_id), ("refund_amount", "1.00")]),
    )
    .await;
    check("refund", &t);
    let t = text(&sb, "cancel", &pairs(&[("merchant_reference", "m-mini")])).await;
    check("cancel", &t);

    // Invoices: one paid, one pending in the list, then refund and delete.
    let t = text(
        &sb,
        "invoice_create",
        &pairs(&[
            ("amount", "1"),
            ("product_name", "ticket"),
            ("customer_order_id", "m-co-1"),
            ("period_time", "30"),
        ]),
    )
    .await;
    let paid_id = check("invoice_create", &t)
        .text("invoice_id")
        .unwrap()
        .into_owned();
    let t = text(&sb, "invoice_create", &pairs(&[("amount", "25.50")])).await;
    let pending_id = check("invoice_create", &t)
        .text("invoice_id")
        .unwrap()
        .into_owned();
    pay_invoice(&sb, &paid_id, Some("wechat")).await;
    let t = text(
        &sb,
        "invoice_get",
        &pairs(&[("customer_order_id", "m-co-1")]),
    )
    .await;
    let got = check("invoice_get", &t);
    assert_eq!(got.text("invoice_id").as_deref(), Some(paid_id.as_str()));
    // A paid invoice's return_query is a redirect query, signed by the redirect's rule.
    let query_text = got.text("return_query").expect("return_query").into_owned();
    let form = latipay_spec::inbound::FormPairs::parse_query(&query_text).unwrap();
    form.verify(spec.inbound("redirect").unwrap(), &key())
        .expect("Rule B");
    let t = text(&sb, "invoice_list", &pairs(&[("start_time", "2000-01-01")])).await;
    check("invoice_list", &t);
    let list: Value = serde_json::from_str(&t).unwrap();
    let statuses: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["paid", "pending"], "{t}");
    assert_eq!(list["data"][0]["paid_method"], "wechat");
    assert_eq!(list["data"][0]["period_time"], 30);
    assert!(t.contains(r#""amount":1.00,"#), "{t}");
    let t = text(&sb, "invoice_refund", &pairs(&[("invoice_id", &paid_id)])).await;
    check("invoice_refund", &t);
    let t = text(
        &sb,
        "invoice_delete",
        &pairs(&[("invoice_id", &pending_id)]),
    )
    .await;
    check("invoice_delete", &t);

    let all: BTreeSet<String> = spec.endpoints.keys().cloned().collect();
    assert_eq!(
        seen, all,
        "every endpoint of the spec is driven to a success"
    );
    sb.shutdown().await.unwrap();
}

/// The PNG inside a `data:image/png;base64,` URL: its width and height, and the text of the one
/// QR code in it.
fn read_qr(url: &str) -> (u32, u32, String) {
    let b64 = url
        .strip_prefix("data:image/png;base64,")
        .expect("a PNG data URL");
    let png_bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    assert_eq!(
        png_bytes[..8],
        [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n']
    );
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("small")];
    let frame = reader.next_frame(&mut pixels).expect("image data");
    assert!(frame.width > 0 && frame.height > 0);
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let (w, h) = (frame.width as usize, frame.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    let (_, content) = grids[0].decode().expect("a readable QR code");
    (frame.width, frame.height, content)
}

#[tokio::test]
async fn merchant_hosted_offline_serves_a_signed_qr_code_once_per_nonce() {
    let spec = latipay_spec::builtin();
    let sb = sandbox().await;
    for (reference, method, prefix) in [
        ("off-wx", "wechat", "weixin://wxpay/bizpayurl?pr="),
        ("off-ali", "alipay", "https://qr.alipay.com/"),
    ] {
        // No return_url: Latipay's own offline example sends none.
        let t = text(&sb, "transaction", &offline_fields(reference, method)).await;
        let tx = declared(spec, "transaction", &t);
        let host_url = tx.text("host_url").unwrap().into_owned();
        assert_eq!(
            host_url,
            format!("{}/v2/merchanthosted/gatewaydata", sb.url())
        );
        let nonce = tx.text("nonce").unwrap().into_owned();

        // The request goes to {host_url}/{nonce}, unsigned.
        let signed = spec
            .endpoint("gatewaydata")
            .unwrap()
            .sign_dynamic(
                &key(),
                "",
                "",
                &pairs(&[("host_url", &host_url), ("nonce", &nonce)]),
            )
            .unwrap();
        assert!(signed.signature.is_none());
        assert_eq!(
            signed.request.url("http://elsewhere.example"),
            format!("{host_url}/{nonce}")
        );
        let t = reqwest::get(format!("{host_url}/{nonce}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let answer = declared(spec, "gatewaydata", &t);
        let data = RawObject::parse(answer.get("data").unwrap().get()).unwrap();
        let verified =
            verify_model(spec, spec.model("gatewaydata_data").unwrap(), &data, &key()).unwrap();
        assert!(
            verified[0]
                .message
                .starts_with("amount=4.00&amount_cny=18.55&currency=NZD&currency_rate=4.63733&"),
            "{}",
            verified[0].message
        );
        assert!(verified[0].message.ends_with("***"));
        for (name, value) in [
            ("nonce", nonce.as_str()),
            ("merchant_reference", reference),
            ("payment_method", method),
            ("amount", "4.00"),
            ("currency", "NZD"),
            ("user_id", USER),
            ("wallet_id", WALLET),
            ("product_name", "Pinot Noir, Otago"),
        ] {
            assert_eq!(data.text(name).as_deref(), Some(value), "{name}: {t}");
        }
        assert!(t.contains(r#""amount":4.00,"#), "a JSON number: {t}");
        assert!(
            data.get("organisation_id")
                .unwrap()
                .get()
                .parse::<i64>()
                .is_ok(),
            "an integer: {t}"
        );
        let order = order(&sb, reference).await;
        assert_eq!(data.text("order_id").as_deref(), order["order_id"].as_str());
        let qr_code_url = data.text("qr_code_url").unwrap().into_owned();
        assert!(qr_code_url.starts_with(prefix), "{qr_code_url}");
        let (width, height, content) = read_qr(&data.text("qr_code").unwrap());
        assert!(width > 0 && width == height);
        assert_eq!(content, qr_code_url, "the QR code holds qr_code_url");

        // A tampered data member no longer verifies.
        let tampered = t.replace(r#""amount":4.00,"#, r#""amount":4.01,"#);
        let tampered = RawObject::parse(&tampered).unwrap();
        assert!(verify_model(spec, spec.model("gatewaydata").unwrap(), &tampered, &key()).is_err());

        // A nonce is single use.
        let again: Value = reqwest::get(format!("{host_url}/{nonce}"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(code(&again), 1, "{again}");
        assert!(
            again["message"].as_str().unwrap().contains("single use"),
            "{again}"
        );
    }
    // Unknown nonces, and the nonce of a hosted online transaction, are refused.
    let unknown: Value = reqwest::get(format!("{}/v2/merchanthosted/gatewaydata/nope", sb.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(code(&unknown), 201, "{unknown}");
    let online: Value = call(
        &sb,
        "transaction",
        &transaction_fields("on-1", "2.00", "https://m.example/c"),
    )
    .await;
    let url = format!(
        "{}/v2/merchanthosted/gatewaydata/{}",
        sb.url(),
        online["nonce"].as_str().unwrap()
    );
    let v: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(code(&v), 201, "{v}");
    // Without host_type "1", return_url is required.
    let mut no_return = transaction_fields("on-2", "2.00", "https://m.example/c");
    no_return.retain(|(n, _)| n != "return_url");
    let v = call(&sb, "transaction", &no_return).await;
    assert_eq!(code(&v), 204, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("`return_url`"),
        "{v}"
    );
    // Merchant-hosted is for alipay and wechat only.
    let mut polipay = offline_fields("off-poli", "polipay");
    polipay.push(("return_url".into(), "https://m.example/r".into()));
    assert_eq!(code(&call(&sb, "transaction", &polipay).await), 207);
    sb.shutdown().await.unwrap();
}

#[tokio::test]
async fn minialipay_without_payment_method_is_answered_like_with_it() {
    let spec = latipay_spec::builtin();
    let sb = sandbox().await;
    let with = text(&sb, "minialipay", &mini_fields("mini-with")).await;
    assert!(
        spec.endpoint("minialipay")
            .unwrap()
            .sign_dynamic(&key(), USER, WALLET, &mini_fields("x"))
            .unwrap()
            .request
            .body
            .unwrap()
            .contains(r#""payment_method":"alipay""#),
        "the dynamic signer sends it"
    );
    // The same request without it: payment_method is not signed, so the signature is the same.
    let fields = [
        ("user_id", USER),
        ("wallet_id", WALLET),
        ("amount", "0.01"),
        ("callback_url", "https://m.example/c"),
        ("merchant_reference", "mini-without"),
        ("ip", "122.122.122.1"),
        ("version", "2.0"),
        ("product_name", "ticket"),
    ];
    let without = post_body(&sb, "/v2/minialipay", signed_json(&fields)).await;
    let (a, b) = (
        declared(spec, "minialipay", &with),
        declared(spec, "minialipay", &without),
    );
    let shape_of = |o: &RawObject| -> Vec<(String, Vec<String>)> {
        o.members()
            .map(|(n, raw)| {
                let inner = RawObject::parse(raw.get())
                    .map(|i| i.members().map(|(m, _)| m.to_owned()).collect())
                    .unwrap_or_default();
                (n.to_owned(), inner)
            })
            .collect()
    };
    assert_eq!(shape_of(&a), shape_of(&b), "{with}\n{without}");
    assert_eq!(order(&sb, "mini-without").await["payment_method"], "alipay");
    // Any other value is still refused.
    let mut other = mini_fields("mini-other");
    other.push(("payment_method".into(), "wechat".into()));
    let v = call(&sb, "minialipay", &other).await;
    assert_eq!(code(&v), 207, "{v}");
    // Barcode: merchant_reference is required.
    let v = post_raw(
        &sb,
        "/barcode",
        &[
            ("user_id", USER),
            ("wallet_id", WALLET),
            ("amount", "0.05"),
            ("pay_code", "134588558514585062"),
        ],
    )
    .await;
    assert_eq!(code(&v), 204, "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("`merchant_reference`"),
        "{v}"
    );
    sb.shutdown().await.unwrap();
}

/// The barcode model with its `order_id` renamed: what the spec says, the sandbox sends.
#[tokio::test]
async fn a_field_renamed_in_the_spec_is_renamed_in_the_answer() {
    let original = "  barcode:\n    doc: Latipay's order id; poll `query` by merchant_reference for the result.\n    fields:\n      order_id: { type: string }\n";
    assert!(
        latipay_spec::BUILTIN_YAML.contains(original),
        "the built-in barcode model changed"
    );
    let renamed_text =
        latipay_spec::BUILTIN_YAML.replace(original, &original.replace("order_id:", "order_ref:"));
    let renamed = latipay_spec::parse(&renamed_text, "<renamed>").expect("a valid spec");
    let sb = sandbox_with(|c| c.spec = renamed.clone()).await;
    let fields = pairs(&[
        ("amount", "0.05"),
        ("pay_code", "134588558514585062"),
        ("merchant_reference", "ren-1"),
    ]);
    let t = spec_text(&sb, &renamed, "barcode", &fields).await;
    let answer = declared(&renamed, "barcode", &t);
    assert!(
        answer.text("order_ref").is_some_and(|id| !id.is_empty()),
        "{t}"
    );
    assert!(answer.get("order_id").is_none(), "{t}");
    // Against the built-in model, the same answer is caught both ways.
    let builtin = latipay_spec::builtin();
    let model = builtin
        .response_model(builtin.endpoint("barcode").unwrap())
        .unwrap();
    assert_eq!(shape::undeclared(model, &answer), ["order_ref"]);
    let missing = shape::check(builtin, model, &answer).unwrap_err();
    assert_eq!(missing.member, "order_id");
    sb.shutdown().await.unwrap();
}

/// A merchant's own endpoint: checked as its spec says, and answered with its model, signed by
/// its rule, from the request's values where the names match.
#[tokio::test]
async fn a_merchant_endpoint_is_answered_with_its_model() {
    let yaml = r#"version: 1
endpoints:
  giftcard_redeem:
    doc: Redeem a gift card.
    method: POST
    path: /v2/giftcard/{card_number}/redeem
    fields:
      user_id: { type: string, from: credentials }
      wallet_id: { type: string, from: credentials }
      card_number: { type: string, in: path }
      amount: { type: amount }
    response: { model: giftcard_redeem }
  giftcard_void:
    doc: Void a gift card.
    method: POST
    path: /v2/giftcard/{card_number}/void
    fields:
      user_id: { type: string, from: credentials }
      card_number: { type: string, in: path }
    response: { model: status }
models:
  giftcard_redeem:
    doc: The balance after the redemption.
    signature: { rule: concat, fields: [card_number, balance] }
    fields:
      card_number: { type: string }
      balance: { type: amount }
      expires: { type: string, optional: true, nullable: true }
      signature: { type: string }
"#;
    let spec = latipay_spec::parse_merchant(yaml, "<merchant>").expect("a valid merchant spec");
    let sb = sandbox_with(|c| c.add_spec(&spec).expect("added to the built-in spec")).await;
    let t = spec_text(
        &sb,
        &spec,
        "giftcard_redeem",
        &pairs(&[("card_number", "GC-1"), ("amount", "5")]),
    )
    .await;
    let answer = declared(&spec, "giftcard_redeem", &t);
    assert_eq!(answer.text("card_number").as_deref(), Some("GC-1"));
    assert_eq!(answer.text("balance").as_deref(), Some("0.00"));
    let t = spec_text(
        &sb,
        &spec,
        "giftcard_void",
        &pairs(&[("card_number", "GC-1")]),
    )
    .await;
    declared(&spec, "giftcard_void", &t);
    // The built-in endpoints are played next to the merchant's.
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("gc-1", "1.00", "https://m.example/cb"),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert_eq!(
        code(&call(&sb, "cancel", &pairs(&[("merchant_reference", "gc-1")])).await),
        0
    );
    sb.shutdown().await.unwrap();
}

/// A merchant's file takes a built-in endpoint's name only when it says `replaces: true`: then
/// the sandbox plays its endpoint instead (here `cancel` at another path), and the others stay.
#[tokio::test]
async fn a_merchant_endpoint_replaces_a_builtin_one_only_when_it_says_so() {
    let yaml = "version: 1
endpoints:
  cancel:
    method: POST
    path: /v2/cancel
    fields:
      user_id: { type: string, from: credentials }
      merchant_reference: { type: string }
    response: { model: status }
";
    // Read on its own, without the built-in spec to check against (so with its own answer
    // model): refused when added.
    let alone = yaml.replace(
        "model: status }",
        "model: done }\nmodels:\n  done:\n    fields: {}",
    );
    let unmarked = latipay_spec::parse(&alone, "<merchant>").expect("a valid spec");
    let mut config = latipay_sandbox::Config::ephemeral();
    assert_eq!(
        config.add_spec(&unmarked).unwrap_err().to_string(),
        "<merchant>:3:3: endpoint `cancel` has the name of a built-in endpoint; add `replaces: true` to use yours instead of the built-in one, or give yours another name"
    );
    assert_eq!(config.spec, *latipay_spec::builtin(), "nothing added");

    let marked = yaml.replace(
        "    path: /v2/cancel\n",
        "    path: /v2/cancel\n    replaces: true\n",
    );
    let spec = latipay_spec::parse_merchant(&marked, "<merchant>").expect("a valid merchant spec");
    let sb = sandbox_with(|c| c.add_spec(&spec).expect("added")).await;
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("rp-1", "1.00", "https://m.example/cb"),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let t = spec_text(
        &sb,
        &spec,
        "cancel",
        &pairs(&[("merchant_reference", "rp-1")]),
    )
    .await;
    assert_eq!(code(&serde_json::from_str(&t).unwrap()), 0, "{t}");
    assert_eq!(order(&sb, "rp-1").await["status"], "canceled");
    // The built-in path is no longer served.
    let resp = reqwest::Client::new()
        .post(format!("{}/cancel", sb.url()))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    sb.shutdown().await.unwrap();
}
