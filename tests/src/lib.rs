//! Merchant structs as merchants write them, one per endpoint shape. They are compiled here (so
//! every derive in them must expand to valid code), their expansion is snapshotted by
//! `latipay-derive`'s tests, and the suite in `tests/suite` signs with them.

#![allow(missing_docs)]

use std::borrow::Cow;
use std::net::Ipv4Addr;

use latipay_runtime::request::TransactionPresentQr;
use latipay_runtime::{Amount, LatipayEnum, LatipaySigned};

pub mod counting;
pub mod endpoints;
pub mod fuzz;
#[cfg(feature = "load")]
pub mod load;

/// The seed's Alipay mini app order, with a renamed and a skipped field.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "minialipay", builder)]
pub struct MiniOrder {
    pub amount: Amount,
    pub callback_url: String,
    #[latipay(rename = "merchant_reference")]
    pub order_ref: String,
    pub ip: Ipv4Addr,
    pub product_name: String,
    #[latipay(skip)]
    pub internal_note: Option<String>,
}

/// A hosted online payment, with optional fields and a string amount.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "transaction", builder)]
pub struct HostedOrder {
    pub amount: String,
    pub payment_method: String,
    pub return_url: String,
    pub callback_url: String,
    #[latipay(rename = "backPage_url")]
    pub back_page_url: Option<String>,
    pub merchant_reference: String,
    pub ip: String,
    pub product_name: String,
    pub present_qr: Option<&'static str>,
}

/// The documentation's mini app order, through the builder (signature
/// `1f8e75dd...` with the documentation's credentials).
pub fn doc_mini_order() -> MiniOrder {
    MiniOrder::builder()
        .amount(Amount::from_cents(12000))
        .callback_url("https://merchantsite.com/confirm")
        .order_ref("dsi39ej430sks03")
        .ip([122, 122, 122, 1])
        .product_name("Pinot Noir, Otago")
        .build()
}

/// The payment result query: a path parameter and a long-poll flag.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "query")]
pub struct PaymentQuery {
    pub merchant_reference: String,
    pub is_block: Option<&'static str>,
}

/// A refund, with an optional free-text reference.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
pub struct Refund {
    pub order_id: String,
    pub refund_amount: Amount,
    pub reference: Option<String>,
}

/// An in-store barcode payment; borrowed text works too.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "barcode", builder)]
pub struct BarcodeOrder<'a> {
    pub amount: Cow<'a, str>,
    pub pay_code: &'a str,
    pub merchant_reference: &'a str,
}

/// An invoice: integers, booleans and a decimal amount kept as written.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "invoice_create", builder)]
pub struct InvoiceOrder {
    pub amount: String,
    pub product_name: Option<String>,
    pub notify_url: Option<String>,
    pub period_time: Option<u32>,
    pub qrcode: Option<bool>,
    /// Overrides the credentials' wallet for this invoice when set.
    #[latipay(provides_credentials)]
    pub wallet_id: Option<String>,
}

/// An endpoint from the merchant's own spec file, on a struct with a lifetime parameter.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(
    endpoint = "giftcard_redeem",
    spec = "../tests/specs/merchant.yaml",
    builder
)]
pub struct GiftCardRedeem<'a> {
    pub card_number: &'a str,
    pub amount: Amount,
    pub channel: Option<&'a str>,
    pub note: Option<String>,
    #[latipay(skip)]
    pub requested_by: &'a str,
}

/// A merchant endpoint signed by concatenating values in the rule's order (`voucher`, then
/// `user_id`), not by the sorted join: the derive writes its own signing visit. No builder.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "voucher_check", spec = "../tests/specs/merchant.yaml")]
pub struct VoucherCheck {
    pub voucher: String,
    pub note: Option<String>,
}

/// A merchant's own enum for `transaction`'s `payment_method`: each variant is checked against
/// the spec's values when compiling, and sent as its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
pub enum PaymentMethod {
    Wechat,
    Alipay,
    #[latipay(rename = "upi_upop")]
    UnionPay,
}

/// A hosted online payment typed by enums: the merchant's own, and the runtime's generated one
/// for `present_qr`. No builder.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "transaction")]
pub struct TypedOrder {
    pub payment_method: PaymentMethod,
    pub present_qr: Option<TransactionPresentQr>,
    pub amount: Amount,
    pub return_url: String,
    pub callback_url: String,
    pub merchant_reference: String,
    pub ip: Ipv4Addr,
    pub product_name: String,
}

/// An invoice looked up by either of its ids: the spec's `one_of` group, which the builder's
/// `build()` requires one of (the signer checks it again for a struct built without it).
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "invoice_get", builder)]
pub struct InvoiceLookup {
    pub invoice_id: Option<String>,
    pub customer_order_id: Option<String>,
}
