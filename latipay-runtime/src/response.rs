//! What each endpoint answers. Latipay answers HTTP 200 even for failures, so every response
//! carries `code` (0 for success), `message` and often `messageCN`.

use serde::Deserialize;

/// The fields every Latipay answer has.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Status {
    /// 0 for success; see the error codes.
    pub code: i64,
    /// English message.
    #[serde(default)]
    pub message: String,
    /// Chinese message.
    #[serde(default, rename = "messageCN")]
    pub message_cn: String,
}

/// `transaction`: where to send the customer. Signed by Rule C (`nonce + host_url`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Transaction {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// The payment host.
    #[serde(default)]
    pub host_url: String,
    /// Single-use payment nonce; do not store it.
    #[serde(default)]
    pub nonce: String,
    /// HMAC of `nonce + host_url`.
    #[serde(default)]
    pub signature: String,
}

impl Transaction {
    /// The payment page: `{host_url}/{nonce}`.
    pub fn payment_url(&self) -> String {
        format!("{}/{}", self.host_url.trim_end_matches('/'), self.nonce)
    }
}

/// `barcode`: Latipay's order id; poll `query` for the result.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Barcode {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// Latipay's order id.
    #[serde(default)]
    pub order_id: String,
}

/// `minialipay`: what the Alipay mini app passes to `my.tradePay`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MiniAlipay {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// Alipay's order parameters, in the server's order.
    #[serde(default)]
    pub gatewaydata: serde_json::Map<String, serde_json::Value>,
    /// Latipay's order ids.
    #[serde(default)]
    pub paydata: serde_json::Map<String, serde_json::Value>,
}

/// `miniapppay`: what the WeChat mini program passes to `wx.requestPayment`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MiniAppPay {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// `nonceStr`, `paySign`, `signType`, `timeStamp`, `packageStr`.
    #[serde(default)]
    pub payment: serde_json::Map<String, serde_json::Value>,
    /// Latipay's order id.
    #[serde(default)]
    pub paydata: serde_json::Map<String, serde_json::Value>,
}

/// `query`: the payment result, signed by Rule B.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Query {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// `invoice_create`, `invoice_get`: the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Invoice {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// The invoice as sent.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// `invoice_list`: the invoices.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InvoiceList {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// The invoices as sent.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// An endpoint of a merchant's spec with no dedicated model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Generic {
    /// Code and messages.
    #[serde(flatten)]
    pub status: Status,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}
