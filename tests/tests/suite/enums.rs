//! Rust enums for `enum` fields: what a merchant's derived enum and the runtime's generated one
//! sign and send is exactly the spec's value, the same text a `String` would carry.

use latipay_runtime::request::{QueryIsBlock, TransactionPaymentMethod, TransactionPresentQr};
use latipay_runtime::{Amount, Credentials, LatipayEnum, LatipaySigned};

/// The documentation's credentials of the hosted online vector.
fn credentials() -> Credentials {
    Credentials::new("U000334333", "W00000001", "111222333")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
enum Method {
    Wechat,
    Alipay,
    #[latipay(rename = "upi_upop")]
    UnionPay,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction")]
struct MerchantOrder {
    payment_method: Method,
    present_qr: Option<TransactionPresentQr>,
    amount: Amount,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction")]
struct BuiltinOrder {
    payment_method: TransactionPaymentMethod,
    present_qr: Option<TransactionPresentQr>,
    amount: Amount,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
}

/// The hosted online vector: message and signature as Latipay's documentation gives them.
const MESSAGE: &str = "amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1\
    &merchant_reference=dsi39ej430sks03&payment_method=alipay&product_name=Pinot Noir, Otago\
    &return_url=https://merchantsite.com/checkout&user_id=U000334333&version=2.0&wallet_id=W00000001***";
const SIGNATURE: &str = "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec";

fn merchant_order(payment_method: Method) -> MerchantOrder {
    MerchantOrder {
        payment_method,
        present_qr: None,
        amount: Amount::from_cents(12000),
        return_url: "https://merchantsite.com/checkout".into(),
        callback_url: "https://merchantsite.com/confirm".into(),
        merchant_reference: "dsi39ej430sks03".into(),
        ip: "122.122.122.1".into(),
        product_name: "Pinot Noir, Otago".into(),
    }
}

fn builtin_order(payment_method: TransactionPaymentMethod) -> BuiltinOrder {
    BuiltinOrder {
        payment_method,
        present_qr: None,
        amount: Amount::from_cents(12000),
        return_url: "https://merchantsite.com/checkout".into(),
        callback_url: "https://merchantsite.com/confirm".into(),
        merchant_reference: "dsi39ej430sks03".into(),
        ip: "122.122.122.1".into(),
        product_name: "Pinot Noir, Otago".into(),
    }
}

/// The JSON body of a request, as sent.
fn body(request: &latipay_runtime::HttpRequest) -> serde_json::Value {
    serde_json::from_str(request.body.as_deref().expect("a POST has a body")).unwrap()
}

#[test]
fn a_merchant_enum_signs_and_sends_the_spec_value() {
    let credentials = credentials();
    let order = merchant_order(Method::Alipay);
    assert_eq!(order.canonical_message(&credentials).unwrap(), MESSAGE);
    assert_eq!(order.sign(&credentials).unwrap(), SIGNATURE);
    let sent = body(&order.to_request(&credentials).unwrap());
    assert_eq!(sent["payment_method"], "alipay");
    assert_eq!(sent["signature"], SIGNATURE);

    let mut order = merchant_order(Method::UnionPay);
    order.present_qr = Some(TransactionPresentQr::V1);
    let message = order.canonical_message(&credentials).unwrap();
    assert!(
        message.contains("&payment_method=upi_upop&present_qr=1&product_name="),
        "{message}"
    );
    let sent = body(&order.to_request(&credentials).unwrap());
    assert_eq!(
        (&sent["payment_method"], &sent["present_qr"]),
        (&"upi_upop".into(), &"1".into())
    );
    assert_eq!(Method::VALUES, ["wechat", "alipay", "upi_upop"]);
    assert_eq!(Method::Wechat.as_str(), "wechat");
}

#[test]
fn a_generated_enum_signs_and_sends_the_spec_value() {
    let credentials = credentials();
    let order = builtin_order(TransactionPaymentMethod::Alipay);
    assert_eq!(order.canonical_message(&credentials).unwrap(), MESSAGE);
    assert_eq!(order.sign(&credentials).unwrap(), SIGNATURE);
    let request = order.to_request(&credentials).unwrap();
    assert_eq!(
        request.body.as_deref(),
        Some(
            "{\"amount\":\"120.00\",\"callback_url\":\"https://merchantsite.com/confirm\",\
             \"ip\":\"122.122.122.1\",\"merchant_reference\":\"dsi39ej430sks03\",\
             \"payment_method\":\"alipay\",\"product_name\":\"Pinot Noir, Otago\",\
             \"return_url\":\"https://merchantsite.com/checkout\",\"user_id\":\"U000334333\",\
             \"version\":\"2.0\",\"wallet_id\":\"W00000001\",\"signature\":\"8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec\"}"
        )
    );
    // Every generated variant is sent as its spec value, as `Display` and `as_str` write it.
    let spec = latipay_spec::builtin().endpoint("transaction").unwrap();
    let latipay_spec::FieldType::Enum(values) = &spec.field("payment_method").unwrap().ty else {
        panic!("payment_method is an enum");
    };
    assert_eq!(TransactionPaymentMethod::VALUES, values.as_slice());
    assert_eq!(TransactionPaymentMethod::UpiUpop.to_string(), "upi_upop");
    assert_eq!(
        TransactionPaymentMethod::CoinPayments.as_str(),
        "coin_payments"
    );
}

#[test]
fn a_generated_enum_in_the_query_string() {
    #[derive(LatipaySigned)]
    #[latipay(endpoint = "query")]
    struct Poll {
        merchant_reference: String,
        is_block: Option<QueryIsBlock>,
    }
    let credentials = Credentials::new("U000000013", "", "111222333");
    let poll = Poll {
        merchant_reference: "6000324".into(),
        is_block: Some(QueryIsBlock::V1),
    };
    assert_eq!(
        poll.canonical_message(&credentials).unwrap(),
        "is_block=1&merchant_reference=6000324&user_id=U000000013***"
    );
    let signature = poll.sign(&credentials).unwrap();
    assert_eq!(
        poll.to_request(&credentials).unwrap().query,
        format!("is_block=1&user_id=U000000013&signature={signature}")
    );
}

/// A struct generic over its field's type cannot have the field checked when compiling (a
/// constant cannot name the parameter): an enum checked against another field's values is then
/// refused when signing, naming the field, as text is, never signed.
#[test]
fn an_enum_for_another_field_through_a_type_parameter_is_refused_when_signing() {
    #[derive(LatipaySigned)]
    #[latipay(endpoint = "query")]
    struct Poll<B: latipay_runtime::types::EnumField> {
        merchant_reference: String,
        is_block: Option<B>,
    }
    let credentials = Credentials::new("U000000013", "", "111222333");
    let poll = Poll {
        merchant_reference: "6000324".into(),
        is_block: Some(Method::Wechat),
    };
    let e = poll.sign(&credentials).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid `query` request: field `is_block`: expected one of: 1"
    );
    let poll = Poll {
        merchant_reference: "6000324".into(),
        is_block: Some(QueryIsBlock::V1),
    };
    assert!(
        poll.canonical_message(&credentials)
            .unwrap()
            .starts_with("is_block=1&")
    );
}
