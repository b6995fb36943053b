//! One struct per built-in endpoint the structs of `lib.rs` do not cover, so the suite can send
//! every endpoint and the fuzz targets can reach every response decoder. Kept out of `lib.rs`,
//! whose structs are the ones whose expansion is snapshotted.

use latipay_runtime::{Amount, LatipaySigned};

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "miniapppay")]
pub struct WechatMiniOrder {
    pub amount: Amount,
    pub notify_url: String,
    pub merchant_reference: String,
    pub product_name: String,
    pub app_id: String,
    pub open_id: String,
}

/// Merchant-hosted offline (`host_type` "1"): no `return_url` (Latipay's own offline example
/// sends it empty); the answer's `host_url` is where the `gatewaydata` step goes.
#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "transaction")]
pub struct OfflineOrder {
    pub amount: Amount,
    pub payment_method: String,
    pub callback_url: String,
    pub merchant_reference: String,
    pub ip: String,
    pub product_name: String,
    pub host_type: &'static str,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "cancel")]
pub struct Cancel {
    pub merchant_reference: String,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "invoice_get")]
pub struct InvoiceGet {
    pub invoice_id: Option<String>,
    pub customer_order_id: Option<String>,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "invoice_list")]
pub struct InvoiceList {
    pub start_time: String,
    pub end_time: Option<String>,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "invoice_delete")]
pub struct InvoiceDelete {
    pub invoice_id: Option<String>,
    pub customer_order_id: Option<String>,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "invoice_refund")]
pub struct InvoiceRefund {
    pub invoice_id: Option<String>,
    pub customer_order_id: Option<String>,
    pub reference: Option<String>,
}
