//! The generated file is what the generator makes of the spec today, and the documented answers
//! (the fixtures in `tests/fixtures/responses/`) read and verify through the generated types.

use super::*;
use crate::{Credentials, Error};

/// `latipay.yaml` as the YAML reader reads it.
fn parsed_builtin() -> latipay_spec::Spec {
    latipay_spec::parse(latipay_spec::BUILTIN_YAML, "<builtin>")
        .expect("the built-in spec is valid")
}

#[test]
fn the_compiled_in_spec_is_the_yaml() {
    assert!(*latipay_spec::builtin() == parsed_builtin());
}

/// The generated files and their text from the built-in spec: the answer types
/// (`response/models.rs`), the enums of the requests' `enum` fields (`request.rs`) and the result
/// codes (`code.rs`).
fn generated() -> [(&'static str, String); 4] {
    let parsed = parsed_builtin();
    let spec = &parsed;
    // The answers and what they nest; the inbound messages have hand-written types for now.
    let inbound: Vec<&str> = spec.inbound.values().map(|i| i.model.as_str()).collect();
    let names: Vec<&str> = spec
        .models
        .keys()
        .map(String::as_str)
        .filter(|name| !inbound.contains(name))
        .collect();
    let type_name = |name: &str| latipay_spec::codegen::pascal(name);
    let models = latipay_spec::codegen::models(
        spec,
        &names,
        &latipay_spec::codegen::Names {
            krate: quote::quote!(crate),
            type_name: &type_name,
            vis: quote::quote!(pub),
        },
    );
    let render = |what: &str, tokens: proc_macro2::TokenStream| {
        let file = syn::parse2::<syn::File>(tokens).expect("the generator writes valid Rust");
        format!(
            "//! {what}: GENERATED from `spec/latipay.yaml` by `latipay_spec::codegen`; do not\n\
             //! edit. Regenerate with `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models`.\n\n{}",
            prettyplease::unparse(&file)
        )
    };
    [
        (
            "src/response/models.rs",
            render("The answer types of the built-in spec's models", models),
        ),
        (
            "src/request.rs",
            render(
                "Enums for the `enum` fields of the built-in requests, usable as their types in a \
                 `LatipaySigned` struct",
                latipay_spec::codegen::request_enums(
                    spec,
                    &latipay_spec::codegen::Names {
                        krate: quote::quote!(crate),
                        type_name: &type_name,
                        vis: quote::quote!(pub),
                    },
                ),
            ),
        ),
        (
            "src/code.rs",
            render(
                "Latipay's result codes (HTTP 200 even for failures; `code` says what happened)",
                latipay_spec::codegen::codes(spec),
            ),
        ),
        (
            "../spec/src/builtin.rs",
            render(
                "The built-in spec as Rust, so that signing and verifying need no YAML parser",
                latipay_spec::codegen::spec_literal(&parsed_builtin()),
            ),
        ),
    ]
}

#[test]
fn generated_models_match_the_spec() {
    for (file, expected) in generated() {
        let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("LATIPAY_REGENERATE").is_some() {
            std::fs::write(&path, &expected).unwrap();
            continue;
        }
        let actual = std::fs::read_to_string(&path).unwrap();
        assert!(
            actual == expected,
            "{file} is not what the spec generates; run \
             `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models` and review the diff"
        );
    }
}

#[test]
fn codes_round_trip_and_unknown_ones_are_kept() {
    use crate::Code;
    for c in &latipay_spec::builtin().codes {
        let code = Code::from_i64(c.code);
        assert!(!matches!(code, Code::Other(_)), "{}", c.code);
        assert_eq!(
            (code.as_i64(), code.meaning()),
            (c.code, c.message.as_str())
        );
    }
    assert_eq!(Code::from_i64(777), Code::Other(777));
    assert_eq!(
        Code::SignatureWrong.to_string(),
        "206 (signature from merchant request is wrong)"
    );
}

// The documented answers, through the generated types (keys per `tests/fixtures/responses/README.md`).

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/responses/",
            $name
        ))
    };
}

/// The api_key of the documented vectors.
fn key() -> Credentials {
    Credentials::new("U000000013", "W000000023", "111222333")
}

/// The api_key of the real query answer.
fn key_7ee1() -> Credentials {
    Credentials::new("U000000013", "W000000023", "7EE1")
}

/// `json` with `member` (a `"name":value` text) added after the first `{`.
fn with_member(json: &str, member: &str) -> String {
    format!("{{{member},{}", &json[1..])
}

/// The envelope every answer carries.
trait AnswerEnvelope {
    fn envelope(&self) -> (i64, &str, &str);
}

macro_rules! envelope {
    ($($t:ty),*) => {$(
        impl AnswerEnvelope for $t {
            fn envelope(&self) -> (i64, &str, &str) {
                (self.code, &self.message, &self.message_cn)
            }
        }
    )*};
}
envelope!(
    Transaction,
    Barcode,
    Minialipay,
    Miniapppay,
    Query,
    Status,
    Invoice,
    InvoiceList,
    Gatewaydata
);

const OK_CN: (i64, &str, &str) = (0, "SUCCESS", "操作成功");

#[test]
fn transaction_fixtures() {
    for (file, json, host, nonce, signature) in [
        (
            "transaction.json",
            fixture!("transaction.json"),
            "https://pay.latipay.net/pay",
            "7d5a88119354301ad3fc250404493bd27abf4467283a061d1ed11860a46e1bf3",
            "486c14127626fd5ba49a8a331409ce970c8a20142df463a3427c26ea57409e7a",
        ),
        (
            "transaction_offline.json",
            fixture!("transaction_offline.json"),
            "https://api.latipay.net/v2/merchanthosted/gatewaydata",
            "b395c00872c422230c46d0b6b9049dbfd32c6364eef068db13971b38bee7d56a",
            "ec03bb6560ec3476fde1fe47dcea6ceebe59a2c3c648d28b077ba464281ff073",
        ),
    ] {
        let tx: Transaction =
            verify_and_decode(json, &key()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(tx.envelope(), OK_CN, "{file}");
        assert_eq!(tx.host_url, host, "{file}");
        assert_eq!(tx.nonce, nonce, "{file}");
        assert_eq!(tx.signature, signature, "{file}");
        assert_eq!(tx.payment_url(), format!("{host}/{nonce}"), "{file}");
        assert!(tx.extra.is_empty(), "{file}");
    }
}

#[test]
fn gatewaydata_fixture() {
    let gd: Gatewaydata = verify_and_decode(fixture!("gatewaydata.json"), &key()).unwrap();
    // The documented shape is `{code, message, data}`: no `messageCN`.
    assert_eq!(gd.envelope(), (0, "SUCCESS", ""));
    assert!(gd.extra.is_empty());
    let d = &gd.data;
    assert_eq!(d.order_id, "20240612000001234");
    assert_eq!(
        d.nonce,
        "b395c00872c422230c46d0b6b9049dbfd32c6364eef068db13971b38bee7d56a"
    );
    assert_eq!(d.payment_method, GatewaydataDataPaymentMethod::Wechat);
    assert_eq!(d.amount.as_str(), "0.01");
    assert_eq!(d.amount.to_amount().unwrap(), crate::Amount::from_cents(1));
    assert_eq!(d.amount_cny.as_ref().map(AmountText::as_str), Some("0.05"));
    assert_eq!(d.currency, "NZD");
    assert_eq!(d.product_name, "Pinot Noir, Otago");
    assert_eq!(d.organisation_id, 21);
    assert_eq!(d.merchant_reference, "dsi39ej430sks03");
    assert_eq!(
        d.organisation_name.as_deref(),
        Some("Latipay Test Merchant")
    );
    assert_eq!(d.user_id, "U000334333");
    assert_eq!(d.user_name.as_deref(), Some("Test Merchant"));
    assert_eq!(d.wallet_id, "W00000001");
    assert_eq!(d.wallet_name.as_deref(), Some("NZD Wallet"));
    assert!(d.qr_code.starts_with("data:image/png;base64,iVBORw0KGgo"));
    assert_eq!(d.qr_code_url, "weixin://wxpay/bizpayurl?pr=abc123");
    assert_eq!(
        d.currency_rate.as_ref().map(AmountText::as_str),
        Some("4.86")
    );
    assert_eq!(
        d.signature,
        "9d9612383fcfc253c9f7eea3ad026d338598ee67bc07870af3994f7fe1735b5c"
    );
    assert!(d.extra.is_empty());
}

#[test]
fn minialipay_fixture_keeps_the_servers_order() {
    let mini: Minialipay = verify_and_decode(fixture!("minialipay.json"), &key()).unwrap();
    assert_eq!(mini.envelope(), OK_CN);
    assert_eq!(
        mini.order_str(),
        "service=mobile.securitypay.pay&partner=2088021017666931&_input_charset=utf-8\
         &notify_url=https://api.latipay.net/v2/notify/alipay&out_trade_no=20240612000001235\
         &subject=Pinot Noir, Otago&payment_type=1&total_fee=120.00&currency=NZD&forex_biz=FP\
         &sign_type=RSA&sign=hQ3Lx0dYk2mZ1V8sP4rT7wN9bC6eF5gJ+aU/oI2yK3lM8nB1vX4cD7fH0jE9qW6t=="
    );
    let names: Vec<&str> = mini.gatewaydata.iter().map(|(n, _)| n).collect();
    assert_eq!(names[..3], ["service", "partner", "_input_charset"]);
    assert_eq!(mini.order_id(), Some("20240612000001235"));
    assert_eq!(mini.paydata.get("customerOrderId"), Some("dsi39ej430sks03"));
    assert_eq!(mini.paydata.len(), 2);
    assert!(mini.extra.is_empty());
}

#[test]
fn miniapppay_fixture() {
    let mini: Miniapppay = verify_and_decode(fixture!("miniapppay.json"), &key()).unwrap();
    assert_eq!(mini.envelope(), OK_CN);
    let names: Vec<&str> = mini.payment.iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["nonceStr", "paySign", "signType", "timeStamp", "packageStr"]
    );
    assert_eq!(
        mini.payment.get("packageStr"),
        Some("prepay_id=wx201410272009395522657a690389285100")
    );
    assert_eq!(mini.paydata.get("order_id"), Some("20240612000001236"));
    assert!(mini.extra.is_empty());
}

#[test]
fn barcode_refund_and_cancel_fixtures() {
    let barcode: Barcode = verify_and_decode(fixture!("barcode.json"), &key()).unwrap();
    assert_eq!(barcode.envelope(), OK_CN);
    assert_eq!(barcode.order_id, "20240612000001237");
    for json in [fixture!("refund.json"), fixture!("cancel.json")] {
        let status: Status = verify_and_decode(json, &key()).unwrap();
        assert_eq!(status.envelope(), OK_CN);
        assert!(status.extra.is_empty());
    }
}

#[test]
fn query_fixture() {
    let q: Query = verify_and_decode(fixture!("query.json"), &key()).unwrap();
    assert_eq!(q.envelope(), OK_CN);
    assert_eq!(q.merchant_reference, "6000324");
    assert_eq!(q.currency, "NZD");
    // The JSON number `120.00`, with its zeros: the text Rule B signs.
    assert_eq!(q.amount.as_str(), "120.00");
    assert_eq!(
        q.amount.to_amount().unwrap(),
        crate::Amount::from_cents(12000)
    );
    assert_eq!(
        q.amount_cny.as_ref().map(AmountText::as_str),
        Some("556.48")
    );
    assert_eq!(q.rate.as_ref().map(AmountText::as_str), Some("4.63733"));
    assert_eq!(q.payment_method, "alipay");
    assert_eq!(q.status, PaymentStatus::Paid);
    assert_eq!(q.pay_time.as_deref(), Some("2017-07-07 10:53:07"));
    assert_eq!(q.order_id.as_deref(), Some("2017070700001234"));
    assert_eq!(q.transaction_id.as_deref(), Some("2017070700001234"));
    assert!(q.extra.is_empty());
}

#[test]
fn real_query_answer_with_its_own_key() {
    let json = fixture!("query_real_7EE1.json");
    let q: Query = verify_and_decode(json, &key_7ee1()).unwrap();
    assert_eq!(q.envelope(), OK_CN);
    assert_eq!(q.merchant_reference, "22TEST");
    assert_eq!(q.status, PaymentStatus::Pending);
    assert_eq!(q.currency, "AUD");
    assert_eq!(q.amount.as_str(), "0.01");
    assert_eq!(q.amount_cny, None);
    assert_eq!(q.rate.as_ref().map(AmountText::as_str), Some("0.00000"));
    assert_eq!(q.payment_method, "alipay");
    assert_eq!(q.transaction_id.as_deref(), Some("2020033000001672"));
    assert_eq!(q.order_id.as_deref(), Some("2020033000001672"));
    assert_eq!(q.pay_time.as_deref(), Some("2020-03-30 01:41:14"));
    assert_eq!(
        q.signature,
        "22c98f90eefbd40b84aad11321a4881280b5a5ac886a6132b9990c6710212f78"
    );
    assert!(q.extra.is_empty());
    // Another key does not verify it.
    let Err(Error::Signature(e)) = verify_and_decode::<Query>(json, &key()) else {
        panic!("verified with the wrong key")
    };
    assert!(matches!(e.kind, InboundError::Mismatch { .. }), "{e:?}");
}

#[test]
fn invoice_fixtures_are_top_level() {
    let placeholder = "789637cc7d193fa5f02a99139f0e2724f1b8f6cfa6df4b54f6a6e71fb48619cd";
    // The invoice's signature rule is undocumented: any key reads it, nothing is verified.
    for key in [key(), key_7ee1()] {
        let inv: Invoice = verify_and_decode(fixture!("invoice.json"), &key).unwrap();
        assert_eq!(inv.envelope(), OK_CN);
        assert_eq!(inv.invoice_id, "INV20240612000001");
        assert!(
            inv.qrcode_pic
                .as_deref()
                .unwrap()
                .starts_with("data:image/png;base64,")
        );
        assert_eq!(
            inv.invoice_url,
            "https://pay.latipay.net/invoice/INV20240612000001"
        );
        assert_eq!(inv.return_query, None);
        assert_eq!(inv.signature.as_deref(), Some(placeholder));
        assert!(inv.extra.is_empty());
    }

    let inv: Invoice =
        verify_and_decode(fixture!("invoice_with_return_query.json"), &key()).unwrap();
    assert_eq!(inv.invoice_id, "INV20240612000001");
    assert_eq!(inv.signature.as_deref(), Some(placeholder));
    let return_query = inv.return_query.unwrap();
    assert_eq!(
        return_query,
        "merchant_reference=&payment_method=wechat&status=paid&currency=NZD&amount=1.00\
         &signature=0245a7b81c98c66a3e1c656fdcea0fdd46a53e43114398eb05121dc287d270e1"
    );
    // It is a redirect query; read it back with the redirect's Rule B (an empty
    // merchant_reference is "not given", so the redirect is refused, naming it).
    let pairs = latipay_spec::inbound::FormPairs::parse(return_query.as_bytes()).unwrap();
    let rule = latipay_spec::SigningRule::Concat {
        fields: [
            "merchant_reference",
            "payment_method",
            "status",
            "currency",
            "amount",
        ]
        .map(str::to_owned)
        .to_vec(),
        append_key: false,
    };
    assert_eq!(
        latipay_spec::inbound::verify(&rule, &pairs, key().signing_key()),
        Err(InboundError::Missing(vec!["merchant_reference".to_owned()]))
    );
}

#[test]
fn invoice_list_fixture() {
    let list: InvoiceList = verify_and_decode(fixture!("invoice_list.json"), &key()).unwrap();
    assert_eq!(list.envelope(), OK_CN);
    assert_eq!(list.data.len(), 2);
    let (paid, pending) = (&list.data[0], &list.data[1]);

    assert_eq!(paid.status, InvoiceItemStatus::Paid);
    assert_eq!(paid.invoice_id, "INV20240612000001");
    assert_eq!(paid.user_id, "U000000013");
    assert_eq!(paid.wallet_id, "W000000023");
    assert_eq!(paid.wallet_name.as_deref(), Some("NZD Wallet"));
    assert_eq!(paid.amount.as_str(), "1.00");
    assert_eq!(paid.currency, "NZD");
    assert_eq!(paid.organisation_id, Some(21));
    assert_eq!(paid.organisation.as_deref(), Some("Latipay Test Merchant"));
    assert_eq!(paid.product_name.as_deref(), Some("ticket"));
    assert_eq!(paid.period_time, Some(30));
    assert_eq!(paid.open_count, Some(2));
    assert_eq!(paid.customer_order_id.as_deref(), Some("CO-0001"));
    assert_eq!(paid.customer_reference.as_deref(), Some("table 1"));
    assert_eq!(paid.created_time.as_deref(), Some("2024-06-12 09:01:00"));
    assert_eq!(paid.paid_time.as_deref(), Some("2024-06-12 09:05:12"));
    assert_eq!(
        paid.invoice_url.as_deref(),
        Some("https://pay.latipay.net/invoice/INV20240612000001")
    );
    assert_eq!(
        paid.return_url.as_deref(),
        Some("https://yourwebsite.com/latipay/return")
    );
    assert_eq!(
        paid.notify_url.as_deref(),
        Some("https://yourwebsite.com/latipay/notify")
    );
    assert_eq!(paid.token.as_deref(), Some("t19f2c4a7e1b3d5"));
    assert_eq!(paid.paid_method.as_deref(), Some("wechat"));
    assert_eq!(
        paid.payment_methods.as_deref(),
        Some(&["alipay".to_owned(), "wechat".to_owned()][..])
    );
    assert_eq!(paid.payer.as_deref(), Some("Jane Doe"));
    assert!(paid.extra.is_empty());

    assert_eq!(pending.status, InvoiceItemStatus::Pending);
    assert_eq!(pending.invoice_id, "INV20240612000002");
    assert_eq!(pending.amount.as_str(), "25.50");
    assert_eq!(pending.open_count, Some(0));
    assert_eq!(pending.paid_time, None);
    assert_eq!(pending.paid_method, None);
    assert_eq!(pending.payer, None);

    // The four documented statuses, and one Latipay may add later.
    for (text, status) in [
        ("success", InvoiceItemStatus::Success),
        ("pending", InvoiceItemStatus::Pending),
        ("paid", InvoiceItemStatus::Paid),
        ("failed", InvoiceItemStatus::Failed),
        ("refunded", InvoiceItemStatus::Other("refunded".to_owned())),
    ] {
        assert_eq!(InvoiceItemStatus::from(text), status);
        assert_eq!(status.as_str(), text);
    }
}

#[test]
fn undeclared_members_are_kept_in_extra() {
    let json = with_member(
        fixture!("query.json"),
        r#""settled_at":"2017-07-08","fee":0.50"#,
    );
    let q: Query = verify_and_decode(&json, &key()).unwrap();
    assert_eq!(q.status, PaymentStatus::Paid);
    let extra: Vec<(&str, &str)> = q.extra.members().map(|(n, v)| (n, v.get())).collect();
    assert_eq!(extra, [("settled_at", "\"2017-07-08\""), ("fee", "0.50")]);
    assert_eq!(
        q.extra.to_json(),
        r#"{"settled_at":"2017-07-08","fee":0.50}"#
    );

    // Rule C covers only nonce and host_url: a new member does not break the signature.
    let tx = with_member(fixture!("transaction.json"), r#""expires_in":600"#);
    let tx: Transaction = verify_and_decode(&tx, &key()).unwrap();
    assert_eq!(tx.extra.text("expires_in").as_deref(), Some("600"));

    let list = fixture!("invoice_list.json").replacen(
        r#"{"user_id":"U000000013""#,
        r#"{"refund_amount":"0.00","user_id":"U000000013""#,
        1,
    );
    let list: InvoiceList = verify_and_decode(&list, &key()).unwrap();
    assert_eq!(
        list.data[0].extra.text("refund_amount").as_deref(),
        Some("0.00")
    );
    assert!(list.data[1].extra.is_empty());

    // And an enum value the spec does not list is kept as received.
    let q =
        fixture!("query_real_7EE1.json").replace(r#""status":"pending""#, r#""status":"refunded""#);
    let Err(Error::Signature(_)) = verify_and_decode::<Query>(&q, &key_7ee1()) else {
        panic!("the status is signed")
    };
    let object = RawObject::parse(&q).unwrap();
    assert_eq!(
        Query::decode(&object).unwrap().status,
        PaymentStatus::Other("refunded".to_owned())
    );
}

/// The refusal of `json` by `T`: a signature error, whose kind is returned.
fn refused<T: Decode + fmt::Debug>(json: &str) -> InboundError {
    match verify_and_decode::<T>(json, &key()) {
        Err(Error::Signature(e)) => {
            assert_eq!(e.what, T::MODEL);
            e.kind
        }
        other => panic!("{} accepted or refused otherwise: {other:?}", T::MODEL),
    }
}

#[test]
fn tampered_fixtures_are_refused_naming_rule_and_message() {
    assert_eq!(
        refused::<Transaction>(fixture!("transaction_tampered_nonce.json")),
        InboundError::Mismatch {
            rule: "concatenation: nonce + host_url".to_owned(),
            expected_message: "7d5a88119354301ad3fc250404493bd27abf4467283a061d1ed11860a46e1bf4\
                               https://pay.latipay.net/pay"
                .to_owned(),
        }
    );
    assert_eq!(
        refused::<Query>(fixture!("query_tampered_amount.json")),
        InboundError::Mismatch {
            rule: "concatenation: merchant_reference + payment_method + status + currency + amount"
                .to_owned(),
            expected_message: "6000324alipaypaidNZD120.01".to_owned(),
        }
    );
    // Rule A appends the api_key: the message shows `***` in its place.
    assert_eq!(
        refused::<Gatewaydata>(fixture!("gatewaydata_tampered.json")),
        InboundError::Mismatch {
            rule: "Rule A: name=value of every member but `signature`, sorted, joined by &, \
                   then the api_key"
                .to_owned(),
            expected_message: "amount=0.02&amount_cny=0.05&currency=NZD&currency_rate=4.86\
                &merchant_reference=dsi39ej430sks03\
                &nonce=b395c00872c422230c46d0b6b9049dbfd32c6364eef068db13971b38bee7d56a\
                &order_id=20240612000001234&organisation_id=21\
                &organisation_name=Latipay Test Merchant&payment_method=wechat\
                &product_name=Pinot Noir, Otago\
                &qr_code=data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\
                &qr_code_url=weixin://wxpay/bizpayurl?pr=abc123&user_id=U000334333\
                &user_name=Test Merchant&wallet_id=W00000001&wallet_name=NZD Wallet***"
                .to_owned(),
        }
    );
    // The untampered ones, with the wrong key: the same kind of refusal.
    let wrong = key_7ee1();
    for json in [
        fixture!("transaction.json"),
        fixture!("transaction_offline.json"),
    ] {
        let Err(Error::Signature(e)) = verify_and_decode::<Transaction>(json, &wrong) else {
            panic!("verified with the wrong key")
        };
        assert!(matches!(e.kind, InboundError::Mismatch { .. }));
    }
    let Err(Error::Signature(e)) =
        verify_and_decode::<Gatewaydata>(fixture!("gatewaydata.json"), &wrong)
    else {
        panic!("verified with the wrong key")
    };
    assert!(matches!(e.kind, InboundError::Mismatch { .. }));
}

/// A request whose answer is the plain status: enough for the client's whole decode path.
struct RefundLike;

impl crate::LatipaySigned for RefundLike {
    const ENDPOINT: crate::__private::EndpointMeta = crate::__private::EndpointMeta {
        name: "refund",
        path: "/refund",
        ..crate::__private::ENDPOINT_DEFAULTS
    };
    type Response = Status;

    fn visit<V: crate::__private::Visitor>(&self, _: &Credentials, _: &mut V) {}
}

/// A request whose answer is the Rule B query.
struct QueryLike;

impl crate::LatipaySigned for QueryLike {
    const ENDPOINT: crate::__private::EndpointMeta = crate::__private::EndpointMeta {
        name: "query",
        path: "/transaction/{merchant_reference}",
        ..crate::__private::ENDPOINT_DEFAULTS
    };
    type Response = Query;

    fn visit<V: crate::__private::Visitor>(&self, _: &Credentials, _: &mut V) {}
}

#[cfg(feature = "client")]
#[test]
fn error_206_is_an_api_error() {
    let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    let json = fixture!("error_206.json");
    for result in [
        crate::__private::decode_response::<RefundLike>(200, json, &credentials).map(drop),
        crate::__private::decode_response::<QueryLike>(200, json, &credentials).map(drop),
        // Latipay answers failures with 200, but a failure code wins over any HTTP status.
        crate::__private::decode_response::<QueryLike>(400, json, &credentials).map(drop),
    ] {
        let Err(Error::Api(e)) = result else {
            panic!("not an API error: {result:?}")
        };
        assert_eq!(e.code, crate::Code::SignatureWrong);
        assert_eq!(e.code.as_i64(), 206);
        assert_eq!(e.message, "signature from merchant request is wrong");
        assert_eq!(e.message_cn, "商户请求的签名错误");
    }
    // The same fixture files through the client's path: success, and a tampered one refused.
    let q =
        crate::__private::decode_response::<QueryLike>(200, fixture!("query.json"), &credentials)
            .unwrap();
    assert_eq!(q.amount.as_str(), "120.00");
    let Err(Error::Signature(e)) = crate::__private::decode_response::<QueryLike>(
        200,
        fixture!("query_tampered_amount.json"),
        &credentials,
    ) else {
        panic!("a tampered answer verified")
    };
    assert!(matches!(e.kind, InboundError::Mismatch { .. }));
}

#[test]
fn trade_pay_result_code_as_text_or_number() {
    use crate::TradePayResult;
    assert_eq!(
        "9000".parse::<TradePayResult>(),
        Ok(TradePayResult::Success)
    );
    for value in [serde_json::json!("9000"), serde_json::json!(9000)] {
        assert_eq!(
            TradePayResult::from_json(&value),
            Some(TradePayResult::Success),
            "{value}"
        );
    }
    // As the mini app reports it to the page: `{"resultCode":"9000"}`.
    let reported: serde_json::Value = serde_json::from_str(r#"{"resultCode":"9000"}"#).unwrap();
    assert_eq!(
        TradePayResult::from_json(&reported["resultCode"]),
        Some(TradePayResult::Success)
    );
}
