//! The answer types of the built-in spec's models: GENERATED from `spec/latipay.yaml` by `latipay_spec::codegen`; do not
//! edit. Regenerate with `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models`.

/// `barcode`: Latipay's order id; poll `query` by merchant_reference for the result.
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// `order_id`, text.
    pub order_id: ::std::string::String,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Barcode {
    const MODEL: &'static str = "barcode";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Barcode {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            order_id: crate::__private::member(__object, "order_id", false)?,
            extra: crate::__private::extra(
                __object,
                &["code", "message", "messageCN", "order_id"],
            ),
        })
    }
    fn verify(
        _: &crate::response::RawObject,
        _: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Barcode {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `gatewaydata`: The merchant-hosted QR code; its `data` is signed with Rule A over its own members.
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gatewaydata {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// `data`, a `gatewaydata_data` object.
    pub data: GatewaydataData,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Gatewaydata {
    const MODEL: &'static str = "gatewaydata";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Gatewaydata {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            data: crate::__private::member(__object, "data", false)?,
            extra: crate::__private::extra(
                __object,
                &["code", "message", "messageCN", "data"],
            ),
        })
    }
    fn verify(
        __object: &crate::response::RawObject,
        __key: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        crate::__private::verify_nested::<GatewaydataData>(__object, "data", __key)?;
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Gatewaydata {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `gatewaydata_data`: The order and the QR code to show the customer.
///
/// Verified before it is decoded: Rule A over its own members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewaydataData {
    /// `order_id`, text.
    pub order_id: ::std::string::String,
    /// `nonce`, text.
    pub nonce: ::std::string::String,
    /// `payment_method`, one of wechat, alipay.
    pub payment_method: GatewaydataDataPaymentMethod,
    /// `amount`, money as the exact text received.
    pub amount: crate::response::AmountText,
    /// `amount_cny`, money as the exact text received, may be absent, may be null.
    pub amount_cny: ::core::option::Option<crate::response::AmountText>,
    /// `currency`, text.
    pub currency: ::std::string::String,
    /// `product_name`, text.
    pub product_name: ::std::string::String,
    /// `organisation_id`, a whole number.
    pub organisation_id: i64,
    /// `merchant_reference`, text.
    pub merchant_reference: ::std::string::String,
    /// `organisation_name`, text, may be absent.
    pub organisation_name: ::core::option::Option<::std::string::String>,
    /// `user_id`, text.
    pub user_id: ::std::string::String,
    /// `user_name`, text, may be absent.
    pub user_name: ::core::option::Option<::std::string::String>,
    /// `wallet_id`, text.
    pub wallet_id: ::std::string::String,
    /// `wallet_name`, text, may be absent.
    pub wallet_name: ::core::option::Option<::std::string::String>,
    /// a PNG of the QR code as a data URL, `data:image/png;base64,...`. `qr_code`, text.
    pub qr_code: ::std::string::String,
    /// what the QR code holds: `weixin://wxpay/...` or `https://qr.alipay.com/...`. `qr_code_url`, text.
    pub qr_code_url: ::std::string::String,
    /// `currency_rate`, a number as the exact text received, may be absent, may be null.
    pub currency_rate: ::core::option::Option<crate::response::AmountText>,
    /// `signature`, text.
    pub signature: ::std::string::String,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for GatewaydataData {
    const MODEL: &'static str = "gatewaydata_data";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(GatewaydataData {
            order_id: crate::__private::member(__object, "order_id", false)?,
            nonce: crate::__private::member(__object, "nonce", false)?,
            payment_method: crate::__private::member(__object, "payment_method", false)?,
            amount: crate::__private::member(__object, "amount", false)?,
            amount_cny: crate::__private::member(__object, "amount_cny", true)?,
            currency: crate::__private::member(__object, "currency", false)?,
            product_name: crate::__private::member(__object, "product_name", false)?,
            organisation_id: crate::__private::member(
                __object,
                "organisation_id",
                false,
            )?,
            merchant_reference: crate::__private::member(
                __object,
                "merchant_reference",
                false,
            )?,
            organisation_name: crate::__private::member(
                __object,
                "organisation_name",
                true,
            )?,
            user_id: crate::__private::member(__object, "user_id", false)?,
            user_name: crate::__private::member(__object, "user_name", true)?,
            wallet_id: crate::__private::member(__object, "wallet_id", false)?,
            wallet_name: crate::__private::member(__object, "wallet_name", true)?,
            qr_code: crate::__private::member(__object, "qr_code", false)?,
            qr_code_url: crate::__private::member(__object, "qr_code_url", false)?,
            currency_rate: crate::__private::member(__object, "currency_rate", true)?,
            signature: crate::__private::member(__object, "signature", false)?,
            extra: crate::__private::extra(
                __object,
                &[
                    "order_id",
                    "nonce",
                    "payment_method",
                    "amount",
                    "amount_cny",
                    "currency",
                    "product_name",
                    "organisation_id",
                    "merchant_reference",
                    "organisation_name",
                    "user_id",
                    "user_name",
                    "wallet_id",
                    "wallet_name",
                    "qr_code",
                    "qr_code_url",
                    "currency_rate",
                    "signature",
                ],
            ),
        })
    }
    fn verify(
        __object: &crate::response::RawObject,
        __key: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        crate::__private::verify_sorted(__object, __key)?;
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for GatewaydataData {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// The values the spec lists; `Other` keeps any other value as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GatewaydataDataPaymentMethod {
    /// `wechat`
    Wechat,
    /// `alipay`
    Alipay,
    /// A value the spec does not list, kept as received.
    Other(::std::string::String),
}
impl GatewaydataDataPaymentMethod {
    /// The value as Latipay writes it.
    pub fn as_str(&self) -> &str {
        match self {
            GatewaydataDataPaymentMethod::Wechat => "wechat",
            GatewaydataDataPaymentMethod::Alipay => "alipay",
            GatewaydataDataPaymentMethod::Other(__other) => __other,
        }
    }
}
impl ::core::convert::From<&str> for GatewaydataDataPaymentMethod {
    fn from(__value: &str) -> Self {
        match __value {
            "wechat" => GatewaydataDataPaymentMethod::Wechat,
            "alipay" => GatewaydataDataPaymentMethod::Alipay,
            __other => GatewaydataDataPaymentMethod::Other(__other.to_owned()),
        }
    }
}
impl ::core::fmt::Display for GatewaydataDataPaymentMethod {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::response::FromJson for GatewaydataDataPaymentMethod {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        <::std::string::String as crate::response::FromJson>::from_json(__raw)
            .map(|__s| GatewaydataDataPaymentMethod::from(__s.as_str()))
    }
}
/// `invoice`: An invoice, created or looked up; its fields sit at the top level of the answer.
///
/// Its `signature` is kept but not verified: Latipay's documentation shows a `signature` on the invoice answer but not what it signs; it is kept and not verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// `invoice_id`, text.
    pub invoice_id: ::std::string::String,
    /// a PNG of the invoice's QR code, base64. `qrcode_pic`, text, may be absent.
    pub qrcode_pic: ::core::option::Option<::std::string::String>,
    /// `invoice_url`, text.
    pub invoice_url: ::std::string::String,
    /// seen in a point-of-sale integration: a redirect query (merchant_reference=...&signature=...). `return_query`, text, may be absent.
    pub return_query: ::core::option::Option<::std::string::String>,
    /// `signature`, text, may be absent.
    pub signature: ::core::option::Option<::std::string::String>,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Invoice {
    const MODEL: &'static str = "invoice";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Invoice {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            invoice_id: crate::__private::member(__object, "invoice_id", false)?,
            qrcode_pic: crate::__private::member(__object, "qrcode_pic", true)?,
            invoice_url: crate::__private::member(__object, "invoice_url", false)?,
            return_query: crate::__private::member(__object, "return_query", true)?,
            signature: crate::__private::member(__object, "signature", true)?,
            extra: crate::__private::extra(
                __object,
                &[
                    "code",
                    "message",
                    "messageCN",
                    "invoice_id",
                    "qrcode_pic",
                    "invoice_url",
                    "return_query",
                    "signature",
                ],
            ),
        })
    }
    fn verify(
        _: &crate::response::RawObject,
        _: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Invoice {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `invoice_item`: One invoice of a list.
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceItem {
    /// `user_id`, text.
    pub user_id: ::std::string::String,
    /// `wallet_id`, text.
    pub wallet_id: ::std::string::String,
    /// `wallet_name`, text, may be absent, may be null.
    pub wallet_name: ::core::option::Option<::std::string::String>,
    /// `amount`, money as the exact text received.
    pub amount: crate::response::AmountText,
    /// `currency`, text.
    pub currency: ::std::string::String,
    /// `organisation_id`, a whole number, may be absent, may be null.
    pub organisation_id: ::core::option::Option<i64>,
    /// `organisation`, text, may be absent, may be null.
    pub organisation: ::core::option::Option<::std::string::String>,
    /// `product_name`, text, may be absent, may be null.
    pub product_name: ::core::option::Option<::std::string::String>,
    /// `period_time`, a whole number, may be absent, may be null.
    pub period_time: ::core::option::Option<i64>,
    /// `open_count`, a whole number, may be absent, may be null.
    pub open_count: ::core::option::Option<i64>,
    /// `customer_order_id`, text, may be absent, may be null.
    pub customer_order_id: ::core::option::Option<::std::string::String>,
    /// `customer_reference`, text, may be absent, may be null.
    pub customer_reference: ::core::option::Option<::std::string::String>,
    /// `created_time`, text, may be absent, may be null.
    pub created_time: ::core::option::Option<::std::string::String>,
    /// `paid_time`, text, may be absent, may be null.
    pub paid_time: ::core::option::Option<::std::string::String>,
    /// `invoice_id`, text.
    pub invoice_id: ::std::string::String,
    /// `invoice_url`, text, may be absent, may be null.
    pub invoice_url: ::core::option::Option<::std::string::String>,
    /// `return_url`, text, may be absent, may be null.
    pub return_url: ::core::option::Option<::std::string::String>,
    /// `notify_url`, text, may be absent, may be null.
    pub notify_url: ::core::option::Option<::std::string::String>,
    /// `token`, text, may be absent, may be null.
    pub token: ::core::option::Option<::std::string::String>,
    /// `status`, one of success, pending, paid, failed.
    pub status: InvoiceItemStatus,
    /// `paid_method`, text, may be absent, may be null.
    pub paid_method: ::core::option::Option<::std::string::String>,
    /// `payment_methods`, a list of text, may be absent, may be null.
    pub payment_methods: ::core::option::Option<::std::vec::Vec<::std::string::String>>,
    /// `payer`, text, may be absent, may be null.
    pub payer: ::core::option::Option<::std::string::String>,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for InvoiceItem {
    const MODEL: &'static str = "invoice_item";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(InvoiceItem {
            user_id: crate::__private::member(__object, "user_id", false)?,
            wallet_id: crate::__private::member(__object, "wallet_id", false)?,
            wallet_name: crate::__private::member(__object, "wallet_name", true)?,
            amount: crate::__private::member(__object, "amount", false)?,
            currency: crate::__private::member(__object, "currency", false)?,
            organisation_id: crate::__private::member(
                __object,
                "organisation_id",
                true,
            )?,
            organisation: crate::__private::member(__object, "organisation", true)?,
            product_name: crate::__private::member(__object, "product_name", true)?,
            period_time: crate::__private::member(__object, "period_time", true)?,
            open_count: crate::__private::member(__object, "open_count", true)?,
            customer_order_id: crate::__private::member(
                __object,
                "customer_order_id",
                true,
            )?,
            customer_reference: crate::__private::member(
                __object,
                "customer_reference",
                true,
            )?,
            created_time: crate::__private::member(__object, "created_time", true)?,
            paid_time: crate::__private::member(__object, "paid_time", true)?,
            invoice_id: crate::__private::member(__object, "invoice_id", false)?,
            invoice_url: crate::__private::member(__object, "invoice_url", true)?,
            return_url: crate::__private::member(__object, "return_url", true)?,
            notify_url: crate::__private::member(__object, "notify_url", true)?,
            token: crate::__private::member(__object, "token", true)?,
            status: crate::__private::member(__object, "status", false)?,
            paid_method: crate::__private::member(__object, "paid_method", true)?,
            payment_methods: crate::__private::member(
                __object,
                "payment_methods",
                true,
            )?,
            payer: crate::__private::member(__object, "payer", true)?,
            extra: crate::__private::extra(
                __object,
                &[
                    "user_id",
                    "wallet_id",
                    "wallet_name",
                    "amount",
                    "currency",
                    "organisation_id",
                    "organisation",
                    "product_name",
                    "period_time",
                    "open_count",
                    "customer_order_id",
                    "customer_reference",
                    "created_time",
                    "paid_time",
                    "invoice_id",
                    "invoice_url",
                    "return_url",
                    "notify_url",
                    "token",
                    "status",
                    "paid_method",
                    "payment_methods",
                    "payer",
                ],
            ),
        })
    }
    fn verify(
        _: &crate::response::RawObject,
        _: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for InvoiceItem {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// The values the spec lists; `Other` keeps any other value as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InvoiceItemStatus {
    /// `success`
    Success,
    /// `pending`
    Pending,
    /// `paid`
    Paid,
    /// `failed`
    Failed,
    /// A value the spec does not list, kept as received.
    Other(::std::string::String),
}
impl InvoiceItemStatus {
    /// The value as Latipay writes it.
    pub fn as_str(&self) -> &str {
        match self {
            InvoiceItemStatus::Success => "success",
            InvoiceItemStatus::Pending => "pending",
            InvoiceItemStatus::Paid => "paid",
            InvoiceItemStatus::Failed => "failed",
            InvoiceItemStatus::Other(__other) => __other,
        }
    }
}
impl ::core::convert::From<&str> for InvoiceItemStatus {
    fn from(__value: &str) -> Self {
        match __value {
            "success" => InvoiceItemStatus::Success,
            "pending" => InvoiceItemStatus::Pending,
            "paid" => InvoiceItemStatus::Paid,
            "failed" => InvoiceItemStatus::Failed,
            __other => InvoiceItemStatus::Other(__other.to_owned()),
        }
    }
}
impl ::core::fmt::Display for InvoiceItemStatus {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::response::FromJson for InvoiceItemStatus {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        <::std::string::String as crate::response::FromJson>::from_json(__raw)
            .map(|__s| InvoiceItemStatus::from(__s.as_str()))
    }
}
/// `invoice_list`: The invoices created in a time range.
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceList {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// `data`, a list of a `invoice_item` object.
    pub data: ::std::vec::Vec<InvoiceItem>,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for InvoiceList {
    const MODEL: &'static str = "invoice_list";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(InvoiceList {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            data: crate::__private::member(__object, "data", false)?,
            extra: crate::__private::extra(
                __object,
                &["code", "message", "messageCN", "data"],
            ),
        })
    }
    fn verify(
        __object: &crate::response::RawObject,
        __key: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        crate::__private::verify_nested::<InvoiceItem>(__object, "data", __key)?;
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for InvoiceList {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `minialipay`: What the Alipay mini app passes to `my.tradePay`, and Latipay's order ids.
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minialipay {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// Alipay's order parameters; orderStr joins them in this order. `gatewaydata`, name/value pairs in the server's order.
    pub gatewaydata: crate::response::Params,
    /// orderId, customerOrderId, .... `paydata`, name/value pairs in the server's order.
    pub paydata: crate::response::Params,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Minialipay {
    const MODEL: &'static str = "minialipay";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Minialipay {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            gatewaydata: crate::__private::member(__object, "gatewaydata", false)?,
            paydata: crate::__private::member(__object, "paydata", false)?,
            extra: crate::__private::extra(
                __object,
                &["code", "message", "messageCN", "gatewaydata", "paydata"],
            ),
        })
    }
    fn verify(
        _: &crate::response::RawObject,
        _: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Minialipay {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `miniapppay`: What the WeChat mini program passes to `wx.requestPayment`, and Latipay's order id.
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miniapppay {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// nonceStr, paySign, signType, timeStamp, packageStr. `payment`, name/value pairs in the server's order.
    pub payment: crate::response::Params,
    /// order_id. `paydata`, name/value pairs in the server's order.
    pub paydata: crate::response::Params,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Miniapppay {
    const MODEL: &'static str = "miniapppay";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Miniapppay {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            payment: crate::__private::member(__object, "payment", false)?,
            paydata: crate::__private::member(__object, "paydata", false)?,
            extra: crate::__private::extra(
                __object,
                &["code", "message", "messageCN", "payment", "paydata"],
            ),
        })
    }
    fn verify(
        _: &crate::response::RawObject,
        _: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Miniapppay {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `query`: The payment result; signed with Rule B over the amount's exact text.
///
/// Verified before it is decoded: the signature covers `merchant_reference` + `payment_method` + `status` + `currency` + `amount`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// `merchant_reference`, text.
    pub merchant_reference: ::std::string::String,
    /// `currency`, text.
    pub currency: ::std::string::String,
    /// a JSON number; its text is what is signed. `amount`, money as the exact text received.
    pub amount: crate::response::AmountText,
    /// `amount_cny`, money as the exact text received, may be absent, may be null.
    pub amount_cny: ::core::option::Option<crate::response::AmountText>,
    /// `rate`, a number as the exact text received, may be absent, may be null.
    pub rate: ::core::option::Option<crate::response::AmountText>,
    /// `payment_method`, text.
    pub payment_method: ::std::string::String,
    /// only the notification or this answer decides that an order is paid. `status`, one of pending, paid, failed.
    pub status: PaymentStatus,
    /// not signed. `pay_time`, text, may be absent, may be null.
    pub pay_time: ::core::option::Option<::std::string::String>,
    /// not signed. `order_id`, text, may be absent, may be null.
    pub order_id: ::core::option::Option<::std::string::String>,
    /// not signed. `transaction_id`, text, may be absent, may be null.
    pub transaction_id: ::core::option::Option<::std::string::String>,
    /// `signature`, text.
    pub signature: ::std::string::String,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Query {
    const MODEL: &'static str = "query";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Query {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            merchant_reference: crate::__private::member(
                __object,
                "merchant_reference",
                false,
            )?,
            currency: crate::__private::member(__object, "currency", false)?,
            amount: crate::__private::member(__object, "amount", false)?,
            amount_cny: crate::__private::member(__object, "amount_cny", true)?,
            rate: crate::__private::member(__object, "rate", true)?,
            payment_method: crate::__private::member(__object, "payment_method", false)?,
            status: crate::__private::member(__object, "status", false)?,
            pay_time: crate::__private::member(__object, "pay_time", true)?,
            order_id: crate::__private::member(__object, "order_id", true)?,
            transaction_id: crate::__private::member(__object, "transaction_id", true)?,
            signature: crate::__private::member(__object, "signature", false)?,
            extra: crate::__private::extra(
                __object,
                &[
                    "code",
                    "message",
                    "messageCN",
                    "merchant_reference",
                    "currency",
                    "amount",
                    "amount_cny",
                    "rate",
                    "payment_method",
                    "status",
                    "pay_time",
                    "order_id",
                    "transaction_id",
                    "signature",
                ],
            ),
        })
    }
    fn verify(
        __object: &crate::response::RawObject,
        __key: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        crate::__private::verify_concat(
            &["merchant_reference", "payment_method", "status", "currency", "amount"],
            false,
            __object,
            __key,
        )?;
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Query {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `status`: An answer of only code and message (refund, cancel, invoice delete and refund).
///
/// Not signed by Latipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Status {
    const MODEL: &'static str = "status";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Status {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            extra: crate::__private::extra(__object, &["code", "message", "messageCN"]),
        })
    }
    fn verify(
        _: &crate::response::RawObject,
        _: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Status {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// `transaction`: Where to send the customer, `{host_url}/{nonce}`; signed with Rule C.
///
/// Verified before it is decoded: the signature covers `nonce` + `host_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Latipay's result code: 0, since only a success is decoded.
    pub code: i64,
    /// Latipay's message, in English.
    pub message: ::std::string::String,
    /// Latipay's message, in Chinese (`messageCN`).
    pub message_cn: ::std::string::String,
    /// the payment host (for host_type "1", the gatewaydata address). `host_url`, text.
    pub host_url: ::std::string::String,
    /// single use; do not store it. `nonce`, text.
    pub nonce: ::std::string::String,
    /// `signature`, text.
    pub signature: ::std::string::String,
    /// Members the spec does not declare, as received: what Latipay adds later is kept.
    pub extra: crate::response::RawObject<'static>,
}
#[automatically_derived]
impl crate::response::Decode for Transaction {
    const MODEL: &'static str = "transaction";
    fn decode(
        __object: &crate::response::RawObject,
    ) -> ::core::result::Result<Self, crate::response::DecodeError> {
        ::core::result::Result::Ok(Transaction {
            code: crate::__private::member(__object, "code", false)?,
            message: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "message", true)?
                .unwrap_or_default(),
            message_cn: crate::__private::member::<
                ::core::option::Option<::std::string::String>,
            >(__object, "messageCN", true)?
                .unwrap_or_default(),
            host_url: crate::__private::member(__object, "host_url", false)?,
            nonce: crate::__private::member(__object, "nonce", false)?,
            signature: crate::__private::member(__object, "signature", false)?,
            extra: crate::__private::extra(
                __object,
                &["code", "message", "messageCN", "host_url", "nonce", "signature"],
            ),
        })
    }
    fn verify(
        __object: &crate::response::RawObject,
        __key: &crate::__private::SigningKey,
    ) -> ::core::result::Result<(), crate::InboundError> {
        crate::__private::verify_concat(&["nonce", "host_url"], false, __object, __key)?;
        ::core::result::Result::Ok(())
    }
}
#[automatically_derived]
impl crate::response::FromJson for Transaction {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        crate::__private::nested(__raw)
    }
}
/// The state of a payment, as queries, notifications and redirects report it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    /// `pending`
    Pending,
    /// `paid`
    Paid,
    /// `failed`
    Failed,
    /// `canceled`
    Canceled,
    /// `rejected`
    Rejected,
    /// `cancel_or_fail`
    CancelOrFail,
    /// A value the spec does not list, kept as received.
    Other(::std::string::String),
}
impl PaymentStatus {
    /// The value as Latipay writes it.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::CancelOrFail => "cancel_or_fail",
            PaymentStatus::Other(__other) => __other,
        }
    }
}
impl ::core::convert::From<&str> for PaymentStatus {
    fn from(__value: &str) -> Self {
        match __value {
            "pending" => PaymentStatus::Pending,
            "paid" => PaymentStatus::Paid,
            "failed" => PaymentStatus::Failed,
            "canceled" => PaymentStatus::Canceled,
            "rejected" => PaymentStatus::Rejected,
            "cancel_or_fail" => PaymentStatus::CancelOrFail,
            __other => PaymentStatus::Other(__other.to_owned()),
        }
    }
}
impl ::core::fmt::Display for PaymentStatus {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::response::FromJson for PaymentStatus {
    fn from_json(
        __raw: &crate::__private::RawValue,
    ) -> ::core::result::Result<Self, ::std::string::String> {
        <::std::string::String as crate::response::FromJson>::from_json(__raw)
            .map(|__s| PaymentStatus::from(__s.as_str()))
    }
}
