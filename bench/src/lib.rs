//! What the benchmarks share: the inputs (Latipay's documented vectors), the merchant structs (the
//! seed's two orders, and structs of 5, 10, 20 and 40 fields against `spec/bench.yaml`), and the
//! reference implementations the derive is measured against. `bench/run` runs everything.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use hmac::{KeyInit, Mac};
use latipay_runtime::{Amount, Credentials, LatipaySigned};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The documentation's user_id (also the sandbox's default).
pub const USER_ID: &str = "U000334333";
/// The documentation's wallet_id (also the sandbox's default).
pub const WALLET_ID: &str = "W00000001";
/// The documentation's api_key (also the sandbox's default).
pub const API_KEY: &str = "111222333";

/// The documentation's credentials.
pub fn credentials() -> Credentials {
    Credentials::new(USER_ID, WALLET_ID, API_KEY)
}

/// The seed's Alipay mini app order, as a merchant writes it.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "minialipay")]
pub struct MiniOrder {
    /// Money, never a float.
    pub amount: Amount,
    /// Where the notification goes.
    pub callback_url: String,
    /// The merchant's reference.
    #[latipay(rename = "merchant_reference")]
    pub order_ref: String,
    /// The customer's address.
    pub ip: Ipv4Addr,
    /// What is sold.
    pub product_name: String,
}

/// A hosted online transaction, with a text amount (normalised while signing) and optional fields.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "transaction")]
pub struct HostedOrder {
    /// Text, normalised to two decimals while signing.
    pub amount: String,
    /// `alipay`, `wechat`, ...
    pub payment_method: String,
    /// Where the customer comes back.
    pub return_url: String,
    /// Where the notification goes.
    pub callback_url: String,
    /// Optional back link.
    #[latipay(rename = "backPage_url")]
    pub back_page_url: Option<String>,
    /// The merchant's reference.
    pub merchant_reference: String,
    /// The customer's address, as text.
    pub ip: String,
    /// What is sold.
    pub product_name: String,
    /// WeChat only.
    pub present_qr: Option<String>,
}

/// The documentation's mini app order (its signature is [`MINI_SIGNATURE`]).
pub fn mini_order() -> MiniOrder {
    MiniOrder {
        amount: Amount::from_cents(12000),
        callback_url: "https://merchantsite.com/confirm".into(),
        order_ref: "dsi39ej430sks03".into(),
        ip: Ipv4Addr::new(122, 122, 122, 1),
        product_name: "Pinot Noir, Otago".into(),
    }
}

/// The documentation's hosted online order (its signature is [`HOSTED_SIGNATURE`]).
pub fn hosted_order() -> HostedOrder {
    HostedOrder {
        amount: "120.00".into(),
        payment_method: "alipay".into(),
        return_url: "https://merchantsite.com/checkout".into(),
        callback_url: "https://merchantsite.com/confirm".into(),
        back_page_url: None,
        merchant_reference: "dsi39ej430sks03".into(),
        ip: "122.122.122.1".into(),
        product_name: "Pinot Noir, Otago".into(),
        present_qr: None,
    }
}

/// The mini app order's signed message, api_key appended (Rule A, from the documentation).
pub const MINI_MESSAGE: &str = "amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&product_name=Pinot Noir, Otago&user_id=U000334333&version=2.0&wallet_id=W00000001111222333";
/// The documentation's signature of [`MINI_MESSAGE`].
pub const MINI_SIGNATURE: &str = "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07";
/// The hosted order's signed message, api_key appended (Rule A, from the documentation).
pub const HOSTED_MESSAGE: &str = "amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&payment_method=alipay&product_name=Pinot Noir, Otago&return_url=https://merchantsite.com/checkout&user_id=U000334333&version=2.0&wallet_id=W00000001111222333";
/// The documentation's signature of [`HOSTED_MESSAGE`].
pub const HOSTED_SIGNATURE: &str =
    "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec";

/// A notification as Latipay posts it (form-encoded, with unsigned extras), signed by Rule B.
pub const NOTIFICATION_BODY: &str = "merchant_reference=dsi39ej430sks03&order_id=20170602-alipay-00000001&currency=NZD&amount=120.00&amount_cny=560.12&rate=4.6677&payment_method=alipay&status=paid&pay_time=2017-06-02+14%3A31%3A05&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";
/// What Rule B signs for [`NOTIFICATION_BODY`].
pub const NOTIFICATION_MESSAGE: &str = "dsi39ej430sks03alipaypaidNZD120.00";
/// The signature in [`NOTIFICATION_BODY`].
pub const NOTIFICATION_SIGNATURE: &str =
    "840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";

/// The naive limit: HMAC-SHA256 of an already-built message with a fresh key, as hex. The hex is
/// written by the runtime's own encoder, so that the ratio compares how the message is signed,
/// not two hex encoders.
pub fn naive_sign(api_key: &str, message: &str) -> String {
    latipay_runtime::Signature(naive_mac(api_key, message)).to_hex()
}

/// 64 lowercase hex digits the way a hand-written SDK writes them, with the `hex` crate (its
/// slice API, into a stack buffer, then one `String`: faster than `hex::encode`).
pub fn sdk_hex(mac: &[u8; 32]) -> String {
    let mut buf = [0u8; 64];
    hex::encode_to_slice(mac, &mut buf).expect("32 bytes fit in 64 hex digits");
    String::from_utf8_lossy(&buf).into_owned()
}

/// HMAC-SHA256 of `message` with a fresh key state.
pub fn naive_mac(api_key: &str, message: &str) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(api_key.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The naive verification: HMAC of the prebuilt message with a fresh key, compared in constant
/// time with the already-decoded signature.
pub fn naive_verify(api_key: &str, message: &str, expected: &[u8; 32]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(naive_mac(api_key, message).ct_eq(expected))
}

/// How hand-written SDKs sign: every field into a `BTreeMap<String, String>`, empties filtered,
/// `name=value` by `format!`, joined with `&`, the key appended, HMAC, hex.
pub fn sdk_sign(fields: BTreeMap<String, String>, api_key: &str) -> String {
    let joined = fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let message = format!("{joined}{api_key}");
    sdk_hex(&naive_mac(api_key, &message))
}

/// The SDK way for the mini app order: the struct's fields and the credentials into a map.
pub fn sdk_sign_mini(order: &MiniOrder, user_id: &str, wallet_id: &str, api_key: &str) -> String {
    let mut map = BTreeMap::new();
    map.insert("user_id".to_string(), user_id.to_string());
    map.insert("wallet_id".to_string(), wallet_id.to_string());
    map.insert("version".to_string(), "2.0".to_string());
    map.insert("amount".to_string(), order.amount.to_string());
    map.insert("callback_url".to_string(), order.callback_url.clone());
    map.insert("merchant_reference".to_string(), order.order_ref.clone());
    map.insert("ip".to_string(), order.ip.to_string());
    map.insert("product_name".to_string(), order.product_name.clone());
    sdk_sign(map, api_key)
}

/// The SDK way for the hosted order.
pub fn sdk_sign_hosted(
    order: &HostedOrder,
    user_id: &str,
    wallet_id: &str,
    api_key: &str,
) -> String {
    let mut map = BTreeMap::new();
    map.insert("user_id".to_string(), user_id.to_string());
    map.insert("wallet_id".to_string(), wallet_id.to_string());
    map.insert("version".to_string(), "2.0".to_string());
    map.insert("amount".to_string(), order.amount.clone());
    map.insert("payment_method".to_string(), order.payment_method.clone());
    map.insert("return_url".to_string(), order.return_url.clone());
    map.insert("callback_url".to_string(), order.callback_url.clone());
    map.insert(
        "backPage_url".to_string(),
        order.back_page_url.clone().unwrap_or_default(),
    );
    map.insert(
        "merchant_reference".to_string(),
        order.merchant_reference.clone(),
    );
    map.insert("ip".to_string(), order.ip.clone());
    map.insert("product_name".to_string(), order.product_name.clone());
    map.insert(
        "present_qr".to_string(),
        order.present_qr.clone().unwrap_or_default(),
    );
    sdk_sign(map, api_key)
}

/// The signed fields of a message (`name=value&...` then the key), as the seed's JavaScript gets
/// them in its `data` object.
pub fn signed_pairs(message: &str) -> Vec<(String, String)> {
    let body = message.strip_suffix(API_KEY).unwrap_or(message);
    body.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

/// A struct of N string fields named `f01`.., for the scaling benchmark.
pub trait Scaled: LatipaySigned {
    /// How many fields.
    const FIELDS: usize;
    /// Every field set to `value`.
    fn filled(value: &str) -> Self;
}

macro_rules! scaled {
    ($name:ident, $endpoint:tt, $n:literal, $($f:ident),+) => {
        #[doc = concat!("A struct of ", stringify!($n), " string fields, against `", $endpoint, "` of spec/bench.yaml.")]
        #[derive(Debug, Clone, LatipaySigned)]
        #[latipay(endpoint = $endpoint, spec = "spec/bench.yaml")]
        pub struct $name {
            $(
                #[doc = "A field."]
                pub $f: String,
            )+
        }

        impl Scaled for $name {
            const FIELDS: usize = $n;
            fn filled(value: &str) -> Self {
                $name { $($f: value.to_owned()),+ }
            }
        }
    };
}

scaled!(Fields5, "bench_f5", 5, f01, f02, f03, f04, f05);
scaled!(
    Fields10,
    "bench_f10",
    10,
    f01,
    f02,
    f03,
    f04,
    f05,
    f06,
    f07,
    f08,
    f09,
    f10
);
scaled!(
    Fields20,
    "bench_f20",
    20,
    f01,
    f02,
    f03,
    f04,
    f05,
    f06,
    f07,
    f08,
    f09,
    f10,
    f11,
    f12,
    f13,
    f14,
    f15,
    f16,
    f17,
    f18,
    f19,
    f20
);
scaled!(
    Fields40,
    "bench_f40",
    40,
    f01,
    f02,
    f03,
    f04,
    f05,
    f06,
    f07,
    f08,
    f09,
    f10,
    f11,
    f12,
    f13,
    f14,
    f15,
    f16,
    f17,
    f18,
    f19,
    f20,
    f21,
    f22,
    f23,
    f24,
    f25,
    f26,
    f27,
    f28,
    f29,
    f30,
    f31,
    f32,
    f33,
    f34,
    f35,
    f36,
    f37,
    f38,
    f39,
    f40
);

/// The value lengths of the scaling benchmark, 10 B to 10 KB.
pub const VALUE_LENGTHS: [usize; 4] = [10, 100, 1_000, 10_000];

/// A value of `len` bytes (printable ASCII, no `&` or `=`).
pub fn value_of(len: usize) -> String {
    (0..len)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

/// The exact signed message of `request`, api_key appended (for the naive reference).
pub fn full_message<R: LatipaySigned>(request: &R, credentials: &Credentials) -> String {
    let masked = request
        .canonical_message(credentials)
        .expect("a valid request");
    let body = masked.strip_suffix("***").expect("Rule A appends the key");
    format!("{body}{API_KEY}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_signs_the_same() {
        let c = credentials();
        let (mini, hosted) = (mini_order(), hosted_order());
        assert_eq!(full_message(&mini, &c), MINI_MESSAGE);
        assert_eq!(full_message(&hosted, &c), HOSTED_MESSAGE);
        assert_eq!(mini.sign(&c).unwrap(), MINI_SIGNATURE);
        assert_eq!(hosted.sign(&c).unwrap(), HOSTED_SIGNATURE);
        assert_eq!(naive_sign(API_KEY, MINI_MESSAGE), MINI_SIGNATURE);
        assert_eq!(
            sdk_sign_mini(&mini, USER_ID, WALLET_ID, API_KEY),
            MINI_SIGNATURE
        );
        assert_eq!(
            sdk_sign_hosted(&hosted, USER_ID, WALLET_ID, API_KEY),
            HOSTED_SIGNATURE
        );
        assert_eq!(
            naive_sign(API_KEY, NOTIFICATION_MESSAGE),
            NOTIFICATION_SIGNATURE
        );
        let n = latipay_runtime::Notification::verify(NOTIFICATION_BODY.as_bytes(), &c).unwrap();
        assert_eq!(n.amount, "120.00");
        let f = Fields40::filled(&value_of(10));
        assert_eq!(
            naive_sign(API_KEY, &full_message(&f, &c)),
            f.sign(&c).unwrap()
        );
        assert_eq!(signed_pairs(MINI_MESSAGE).len(), 8);
    }
}
