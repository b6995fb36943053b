//! Rust enums for the spec's `enum` fields: a merchant's own, derived, and the generated ones of
//! [`crate::request`].

use crate::types::EnumField;

/// A Rust enum for a request's `enum` field: each variant is one of the field's values in the
/// spec, checked when compiling.
///
/// Derive it, naming the field whose values the enum holds; a variant is the value that
/// [`request`](crate::request)'s generated enums name alike (`Wechat` is `"wechat"`, `UpiUpop` is
/// `"upi_upop"`, `V1` is `"1"`), or the value given by `rename`. A variant whose value the field
/// does not take is a compile error on that variant, listing the values it takes. A struct can
/// then use the enum for any `enum` field that takes all its values: for another one, it is a
/// compile error on the field's type.
///
/// ```
/// use latipay_runtime::{Amount, Credentials, LatipayEnum, LatipaySigned};
///
/// #[derive(Debug, Clone, Copy, LatipayEnum)]
/// #[latipay(endpoint = "transaction", field = "payment_method")]
/// enum Method {
///     Wechat,
///     Alipay,
///     #[latipay(rename = "upi_upop")]
///     UnionPay,
/// }
///
/// #[derive(LatipaySigned)]
/// #[latipay(endpoint = "transaction")]
/// struct Order {
///     payment_method: Method,
///     amount: Amount,
///     return_url: String,
///     callback_url: String,
///     merchant_reference: String,
///     ip: std::net::Ipv4Addr,
///     product_name: String,
/// }
///
/// assert_eq!(Method::UnionPay.as_str(), "upi_upop");
/// let order = Order {
///     payment_method: Method::Alipay,
///     amount: Amount::from_cents(12000),
///     return_url: "https://merchantsite.com/checkout".into(),
///     callback_url: "https://merchantsite.com/confirm".into(),
///     merchant_reference: "dsi39ej430sks03".into(),
///     ip: [122, 122, 122, 1].into(),
///     product_name: "Pinot Noir, Otago".into(),
/// };
/// let credentials = Credentials::new("U000334333", "W00000001", "111222333");
/// assert_eq!(
///     order.sign(&credentials).unwrap(),
///     "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec"
/// );
/// ```
///
/// `#[latipay(spec = "my.yaml")]` names the merchant's spec file, as on a struct. Implemented only
/// by the derive and by the generated enums: its supertrait's wire text is not part of the API.
pub trait LatipayEnum: EnumField {
    /// Every variant's value, in the order of the variants.
    const VALUES: &'static [&'static str];

    /// The variant's value: the text that is both signed and sent.
    fn as_str(&self) -> &'static str;
}
