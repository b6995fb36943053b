//! Every test vector of latipay-api.md, through the derive (struct literal), the builder and the
//! dynamic spec signer. The api_key is `111222333` for every row.

use std::borrow::Cow;

use latipay_runtime::{Amount, Credentials, LatipaySigned, Problem};
use latipay_spec::{ApiKey, MaskedMessage, RuleKind, Signer, SigningKey};
use latipay_tests::*;

pub const KEY: &str = "111222333";

/// The dynamic spec signer's result for `endpoint` with `pairs`.
pub fn dynamic_result(
    endpoint: &str,
    user: &str,
    wallet: &str,
    pairs: &[(&str, &str)],
) -> Result<latipay_spec::SignedRequest, latipay_spec::DynamicError> {
    let key = SigningKey::new(ApiKey::new(KEY));
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    latipay_spec::builtin()
        .endpoint(endpoint)
        .unwrap()
        .sign_dynamic(&key, user, wallet, &pairs)
}

pub fn dynamic(
    endpoint: &str,
    user: &str,
    wallet: &str,
    pairs: &[(&str, &str)],
) -> (String, String) {
    let signed = dynamic_result(endpoint, user, wallet, pairs).unwrap_or_else(|e| panic!("{e}"));
    let signature = signed
        .signature
        .expect("every endpoint with a doc vector is signed");
    (signed.message, signature.to_hex())
}

/// The doc's message with the key masked, as `canonical_message` shows it.
fn masked(message: &str) -> String {
    format!("{}***", message.strip_suffix(KEY).unwrap())
}

fn check<R: LatipaySigned>(request: &R, credentials: &Credentials, message: &str, signature: &str) {
    assert_eq!(
        request.canonical_message(credentials).unwrap(),
        masked(message)
    );
    assert_eq!(request.sign(credentials).unwrap(), signature);
}

#[test]
fn hosted_online() {
    let message = "amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&payment_method=alipay&product_name=Pinot Noir, Otago&return_url=https://merchantsite.com/checkout&user_id=U000334333&version=2.0&wallet_id=W00000001111222333";
    let signature = "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec";
    let credentials = Credentials::new("U000334333", "W00000001", KEY);
    let order = HostedOrder {
        amount: "120.00".into(),
        payment_method: "alipay".into(),
        return_url: "https://merchantsite.com/checkout".into(),
        callback_url: "https://merchantsite.com/confirm".into(),
        back_page_url: None,
        merchant_reference: "dsi39ej430sks03".into(),
        ip: "122.122.122.1".into(),
        product_name: "Pinot Noir, Otago".into(),
        present_qr: None,
    };
    check(&order, &credentials, message, signature);
    let built = HostedOrder::builder()
        .amount("120.00")
        .payment_method("alipay")
        .return_url("https://merchantsite.com/checkout")
        .callback_url("https://merchantsite.com/confirm")
        .merchant_reference("dsi39ej430sks03")
        .ip("122.122.122.1")
        .product_name("Pinot Noir, Otago")
        .build();
    check(&built, &credentials, message, signature);
    let (m, s) = dynamic(
        "transaction",
        "U000334333",
        "W00000001",
        &[
            ("amount", "120.00"),
            ("payment_method", "alipay"),
            ("return_url", "https://merchantsite.com/checkout"),
            ("callback_url", "https://merchantsite.com/confirm"),
            ("merchant_reference", "dsi39ej430sks03"),
            ("ip", "122.122.122.1"),
            ("product_name", "Pinot Noir, Otago"),
        ],
    );
    assert_eq!((m, s.as_str()), (masked(message), signature));
}

#[test]
fn alipay_mini_app() {
    let message = "amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&product_name=Pinot Noir, Otago&user_id=U000334333&version=2.0&wallet_id=W00000001111222333";
    let signature = "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07";
    let credentials = Credentials::new("U000334333", "W00000001", KEY);
    let order = MiniOrder {
        amount: Amount::parse("120.00").unwrap(),
        callback_url: "https://merchantsite.com/confirm".into(),
        order_ref: "dsi39ej430sks03".into(),
        ip: [122, 122, 122, 1].into(),
        product_name: "Pinot Noir, Otago".into(),
        internal_note: Some("not sent, not signed".into()),
    };
    check(&order, &credentials, message, signature);
    let built = MiniOrder::builder()
        .amount(Amount::from_cents(12000))
        .callback_url("https://merchantsite.com/confirm")
        .order_ref("dsi39ej430sks03")
        .ip([122, 122, 122, 1])
        .product_name("Pinot Noir, Otago")
        .build();
    check(&built, &credentials, message, signature);
    let (m, s) = dynamic(
        "minialipay",
        "U000334333",
        "W00000001",
        &[
            ("amount", "120.00"),
            ("callback_url", "https://merchantsite.com/confirm"),
            ("merchant_reference", "dsi39ej430sks03"),
            ("ip", "122.122.122.1"),
            ("product_name", "Pinot Noir, Otago"),
        ],
    );
    assert_eq!((m, s.as_str()), (masked(message), signature));
}

#[test]
fn query_request() {
    let message = "merchant_reference=6000324&user_id=U000000013111222333";
    let signature = "58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4";
    let credentials = Credentials::new("U000000013", "", KEY);
    let query = PaymentQuery {
        merchant_reference: "6000324".into(),
        is_block: None,
    };
    check(&query, &credentials, message, signature);
    check(
        &PaymentQuery {
            merchant_reference: "6000324".into(),
            is_block: None,
        },
        &credentials,
        message,
        signature,
    );
    let (m, s) = dynamic(
        "query",
        "U000000013",
        "",
        &[("merchant_reference", "6000324")],
    );
    assert_eq!((m, s.as_str()), (masked(message), signature));
}

/// The barcode vector leaves `merchant_reference` out, which the spec now requires (the
/// parameter table and Latipay's request configuration do, and the result can only be polled by
/// it): the vector reproduces through the low-level signer, and the derive, the builder and the
/// dynamic signer sign the same fields plus `merchant_reference`.
#[test]
fn barcode() {
    let message =
        "amount=0.05&pay_code=134588558514585062&user_id=U00001534&wallet_id=W00000001111222333";
    let signature = "e66d54f711bc6a1dde59838c8b0de73ccc8b025a2ae65ae878216f010a05f599";
    let key = SigningKey::new(ApiKey::new(KEY));
    let low_level = |fields: &[(&str, &str)]| {
        let mut signer = Signer::new(&key, RuleKind::SortedJoin);
        let mut masked = MaskedMessage::new(RuleKind::SortedJoin);
        for (name, value) in fields {
            signer.field(name, value);
            masked.field(name, value);
        }
        (masked.finish(), signer.finish().to_hex())
    };
    let doc_fields = [
        ("amount", "0.05"),
        ("pay_code", "134588558514585062"),
        ("user_id", "U00001534"),
        ("wallet_id", "W00000001"),
    ];
    let (m, s) = low_level(&doc_fields);
    assert_eq!((m, s.as_str()), (masked(message), signature));

    let credentials = Credentials::new("U00001534", "W00000001", KEY);
    // Without a merchant_reference, nothing is signed.
    let unreferenced = BarcodeOrder {
        amount: Cow::Borrowed("0.05"),
        pay_code: "134588558514585062",
        merchant_reference: "",
    };
    match unreferenced.sign(&credentials) {
        Err(latipay_runtime::Error::InvalidRequest(e)) => {
            assert_eq!(
                (e.field, e.problem),
                ("merchant_reference", Problem::Missing)
            )
        }
        other => panic!("signed without merchant_reference: {other:?}"),
    }
    let without = dynamic_result(
        "barcode",
        "U00001534",
        "W00000001",
        &[("amount", "0.05"), ("pay_code", "134588558514585062")],
    );
    assert!(without.is_err(), "the dynamic signer requires it too");

    // With one: the documented fields and merchant_reference, sorted, by every signer.
    let (message, signature) = low_level(&[
        ("amount", "0.05"),
        ("merchant_reference", "bar-1"),
        ("pay_code", "134588558514585062"),
        ("user_id", "U00001534"),
        ("wallet_id", "W00000001"),
    ]);
    let message = message.replace("***", KEY);
    let order = BarcodeOrder {
        merchant_reference: "bar-1",
        ..unreferenced
    };
    check(&order, &credentials, &message, &signature);
    let built = BarcodeOrder::builder()
        .amount("0.05")
        .pay_code("134588558514585062")
        .merchant_reference("bar-1")
        .build();
    check(&built, &credentials, &message, &signature);
    let (m, s) = dynamic(
        "barcode",
        "U00001534",
        "W00000001",
        &[
            ("amount", "0.05"),
            ("pay_code", "134588558514585062"),
            ("merchant_reference", "bar-1"),
        ],
    );
    assert_eq!((m, s), (masked(&message), signature));
}

#[test]
fn refund() {
    let message = "order_id=23479798sdf7987234&reference=notes about this refund&refund_amount=120.00&user_id=U000334333111222333";
    let signature = "3052b51072570b743bf9a12a20a45b0adf280aee84907ef0e54d1079fb3f961c";
    let credentials = Credentials::new("U000334333", "W00000001", KEY);
    let refund = Refund {
        order_id: "23479798sdf7987234".into(),
        refund_amount: Amount::from_cents(12000),
        reference: Some("notes about this refund".into()),
    };
    check(&refund, &credentials, message, signature);
    let built = Refund::builder()
        .order_id("23479798sdf7987234")
        .refund_amount(Amount::from_cents(12000))
        .reference("notes about this refund")
        .build();
    check(&built, &credentials, message, signature);
    let (m, s) = dynamic(
        "refund",
        "U000334333",
        "",
        &[
            ("order_id", "23479798sdf7987234"),
            ("reference", "notes about this refund"),
            ("refund_amount", "120.00"),
        ],
    );
    assert_eq!((m, s.as_str()), (masked(message), signature));
}

#[test]
fn invoice_create() {
    let message = "amount=1&notify_url=https://yourwebsite.com/latipay/notify&product_name=ticket&user_id=U000000013&wallet_id=W000000023111222333";
    let signature = "9361c9e5ac5fc269296cc946377b3b4dea03685aa623482981a82101047672d9";
    let credentials = Credentials::new("U000000013", "W000000023", KEY);
    let invoice = InvoiceOrder {
        amount: "1".into(),
        product_name: Some("ticket".into()),
        notify_url: Some("https://yourwebsite.com/latipay/notify".into()),
        period_time: None,
        qrcode: None,
        wallet_id: None,
    };
    check(&invoice, &credentials, message, signature);
    let built = InvoiceOrder::builder()
        .amount("1")
        .product_name("ticket")
        .notify_url("https://yourwebsite.com/latipay/notify")
        .build();
    check(&built, &credentials, message, signature);
    // The wallet carried by the struct overrides the credentials' one for this order only.
    let other = Credentials::new("U000000013", "W999", KEY);
    let overriding = InvoiceOrder {
        wallet_id: Some("W000000023".into()),
        ..invoice
    };
    check(&overriding, &other, message, signature);
    let (m, s) = dynamic(
        "invoice_create",
        "U000000013",
        "W000000023",
        &[
            ("amount", "1"),
            ("notify_url", "https://yourwebsite.com/latipay/notify"),
            ("product_name", "ticket"),
        ],
    );
    assert_eq!((m, s.as_str()), (masked(message), signature));
}

#[test]
fn notification_and_query_response() {
    // Rule B: concatenation, the key is only the HMAC key.
    let key = SigningKey::new(ApiKey::new(KEY));
    assert_eq!(
        key.sign_message(b"dsi39ej430sks03alipaypaidNZD120.00")
            .to_hex(),
        "840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1"
    );
    assert_eq!(
        key.sign_message(b"6000324alipaypaidNZD120.00").to_hex(),
        "3149d48405bf8782b8b4ae816a91744c5eb6d4a0293f8bb9bc8f0d9f29fdfb40"
    );
}
