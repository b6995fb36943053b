// Rust enums for `enum` fields: a merchant's own, checked against the built-in spec and against
// a merchant's spec file, and the runtime's generated ones; as the field's type, in an `Option`
// and behind a reference; one enum for two fields that take the same values. The derive also
// compiles in a module that shadows the prelude's names.
use latipay_runtime::request::{QueryIsBlock, TransactionPaymentMethod, TransactionPresentQr};
use latipay_runtime::{Amount, Credentials, LatipayEnum, LatipaySigned};

#[derive(Debug, Clone, Copy, PartialEq, Eq, LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
enum Method {
    Wechat,
    Alipay,
    #[latipay(rename = "upi_upop")]
    UnionPay,
    CoinPayments,
}

#[derive(Clone, Copy, LatipayEnum)]
#[latipay(
    endpoint = "giftcard_redeem",
    field = "channel",
    spec = "../../../../tests/specs/merchant.yaml"
)]
enum Channel {
    Web,
    Pos,
}

// `query`'s `is_block` and `transaction`'s `present_qr` both take only "1".
#[derive(Clone, Copy, LatipayEnum)]
#[latipay(endpoint = "query", field = "is_block", crate = "::latipay_runtime")]
enum Yes {
    #[latipay(rename = "1")]
    Yes,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction")]
struct Order<'a> {
    payment_method: &'a Method,
    present_qr: Option<Yes>,
    amount: Amount,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction", builder)]
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

#[derive(LatipaySigned)]
#[latipay(endpoint = "query")]
struct Query {
    merchant_reference: String,
    is_block: Option<QueryIsBlock>,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "giftcard_redeem", spec = "../../../../tests/specs/merchant.yaml")]
struct Redeem {
    card_number: String,
    amount: Amount,
    channel: Option<Channel>,
}

#[allow(dead_code)]
mod shadowed {
    pub struct Result;
    pub struct Option;
    pub struct String;
    pub trait Sized {}
    pub mod core {}
    pub mod std {}
    pub mod latipay_runtime {}

    #[derive(::latipay_runtime::LatipayEnum)]
    #[latipay(endpoint = "transaction", field = "payment_method")]
    pub enum Result2 {
        Wechat,
    }
}

fn main() {
    let credentials = Credentials::new("U000000001", "W000000001", "0123456789abcdef");
    assert_eq!(Method::VALUES, ["wechat", "alipay", "upi_upop", "coin_payments"]);
    assert_eq!(Method::UnionPay.as_str(), "upi_upop");
    assert_eq!(shadowed::Result2::Wechat.as_str(), "wechat");
    let order = Order {
        payment_method: &Method::CoinPayments,
        present_qr: Some(Yes::Yes),
        amount: Amount::from_cents(100),
        return_url: "https://m.example/r".into(),
        callback_url: "https://m.example/c".into(),
        merchant_reference: "o1".into(),
        ip: "1.2.3.4".into(),
        product_name: "p".into(),
    };
    let message = order.canonical_message(&credentials).unwrap();
    assert!(message.contains("&payment_method=coin_payments&present_qr=1&"), "{message}");
    let builtin = BuiltinOrder::builder()
        .payment_method(TransactionPaymentMethod::CoinPayments)
        .present_qr(TransactionPresentQr::V1)
        .amount(Amount::from_cents(100))
        .return_url("https://m.example/r")
        .callback_url("https://m.example/c")
        .merchant_reference("o1")
        .ip("1.2.3.4")
        .product_name("p")
        .build();
    assert_eq!(builtin.canonical_message(&credentials).unwrap(), message);
    let query = Query { merchant_reference: "o1".into(), is_block: Some(QueryIsBlock::V1) };
    assert!(query.canonical_message(&credentials).unwrap().starts_with("is_block=1&"));
    let redeem = Redeem { card_number: "c".into(), amount: Amount::from_cents(1), channel: Some(Channel::Pos) };
    assert!(redeem.canonical_message(&credentials).unwrap().contains("channel=pos"));
    let _ = Channel::Web;
}
