//! The built-in spec as Rust, so that signing and verifying need no YAML parser: GENERATED from `spec/latipay.yaml` by `latipay_spec::codegen`; do not
//! edit. Regenerate with `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models`.

use std::collections::BTreeMap;
use crate::model::*;
/// The built-in spec, as parsing `latipay.yaml` gives it.
pub(crate) fn spec() -> Spec {
    Spec {
        origin: "<builtin>".to_owned(),
        endpoints: BTreeMap::from([
            (
                "barcode".to_owned(),
                Endpoint {
                    name: "barcode".to_owned(),
                    doc: "In-store payment with the code shown in the customer's WeChat or Alipay app; poll `query` afterwards."
                        .to_owned(),
                    method: Method::Post,
                    path: "/barcode".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "wallet_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Credentials, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "amount".to_owned(), ty :
                        FieldType::Amount, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : true, doc :
                        "".to_owned() }, Field { name : "merchant_reference".to_owned(),
                        ty : FieldType::String, location : Location::Body, optional :
                        false, source : Source::Merchant, signed : true, positive :
                        false, doc :
                        "required by the parameter table and the only way to poll the result; Latipay's signed example leaves it out"
                        .to_owned() }, Field { name : "pay_code".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "barcode".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 36u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "cancel".to_owned(),
                Endpoint {
                    name: "cancel".to_owned(),
                    doc: "Cancel an order that is still unpaid.".to_owned(),
                    method: Method::Post,
                    path: "/cancel".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "merchant_reference".to_owned(), ty
                        : FieldType::String, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "status".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 100u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "gatewaydata".to_owned(),
                Endpoint {
                    name: "gatewaydata".to_owned(),
                    doc: "Merchant-hosted offline, second step: the QR code to show, from the `host_url` and `nonce` of the `transaction` answer. Unsigned request; the answer's `data` is signed with Rule A."
                        .to_owned(),
                    method: Method::Get,
                    path: "{host_url}/{nonce}".to_owned(),
                    fields: vec![
                        Field { name : "host_url".to_owned(), ty : FieldType::Url,
                        location : Location::Path, optional : false, source :
                        Source::Merchant, signed : true, positive : false, doc :
                        "the transaction answer's host_url; the request goes there, not to the base URL"
                        .to_owned() }, Field { name : "nonce".to_owned(), ty :
                        FieldType::String, location : Location::Path, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }
                    ],
                    signing: None,
                    signature_in: Location::Query,
                    response: Response {
                        model: "gatewaydata".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 26u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_create".to_owned(),
                Endpoint {
                    name: "invoice_create".to_owned(),
                    doc: "Create an invoice (a payment link or QR code).".to_owned(),
                    method: Method::Post,
                    path: "/v2/invoice".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "wallet_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Credentials, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "amount".to_owned(), ty :
                        FieldType::Decimal, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : true, doc :
                        "Latipay's signed invoice example sends `1`, so the text is kept as written"
                        .to_owned() }, Field { name : "product_name".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "period_time".to_owned(), ty :
                        FieldType::Integer, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "app".to_owned(), ty :
                        FieldType::Integer, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "customer_order_id".to_owned(),
                        ty : FieldType::String, location : Location::Body, optional :
                        true, source : Source::Merchant, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "customer_reference"
                        .to_owned(), ty : FieldType::String, location : Location::Body,
                        optional : true, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }, Field { name :
                        "return_url".to_owned(), ty : FieldType::Url, location :
                        Location::Body, optional : true, source : Source::Merchant,
                        signed : true, positive : false, doc : "".to_owned() }, Field {
                        name : "notify_url".to_owned(), ty : FieldType::Url, location :
                        Location::Body, optional : true, source : Source::Merchant,
                        signed : true, positive : false, doc : "".to_owned() }, Field {
                        name : "qrcode".to_owned(), ty : FieldType::Boolean, location :
                        Location::Body, optional : true, source : Source::Merchant,
                        signed : true, positive : false, doc : "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "invoice".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 109u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_delete".to_owned(),
                Endpoint {
                    name: "invoice_delete".to_owned(),
                    doc: "Delete an unpaid invoice.".to_owned(),
                    method: Method::Delete,
                    path: "/v2/invoice".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Query, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "invoice_id".to_owned(), ty :
                        FieldType::String, location : Location::Query, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "customer_order_id".to_owned(),
                        ty : FieldType::String, location : Location::Query, optional :
                        true, source : Source::Merchant, signed : true, positive : false,
                        doc : "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Query,
                    response: Response {
                        model: "status".to_owned(),
                    },
                    one_of: vec![
                        vec!["invoice_id".to_owned(), "customer_order_id".to_owned()]
                    ],
                    replaces: false,
                    position: Position {
                        line: 149u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_get".to_owned(),
                Endpoint {
                    name: "invoice_get".to_owned(),
                    doc: "Look up an invoice by invoice_id or customer_order_id."
                        .to_owned(),
                    method: Method::Get,
                    path: "/v2/invoice".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Query, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "invoice_id".to_owned(), ty :
                        FieldType::String, location : Location::Query, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "customer_order_id".to_owned(),
                        ty : FieldType::String, location : Location::Query, optional :
                        true, source : Source::Merchant, signed : true, positive : false,
                        doc : "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Query,
                    response: Response {
                        model: "invoice".to_owned(),
                    },
                    one_of: vec![
                        vec!["invoice_id".to_owned(), "customer_order_id".to_owned()]
                    ],
                    replaces: false,
                    position: Position {
                        line: 127u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_list".to_owned(),
                Endpoint {
                    name: "invoice_list".to_owned(),
                    doc: "List invoices created between start_time and end_time."
                        .to_owned(),
                    method: Method::Get,
                    path: "/v2/invoices".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Query, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "wallet_id".to_owned(), ty :
                        FieldType::String, location : Location::Query, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "start_time".to_owned(), ty :
                        FieldType::String, location : Location::Query, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "end_time".to_owned(), ty :
                        FieldType::String, location : Location::Query, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Query,
                    response: Response {
                        model: "invoice_list".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 138u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_refund".to_owned(),
                Endpoint {
                    name: "invoice_refund".to_owned(),
                    doc: "Refund a paid invoice.".to_owned(),
                    method: Method::Post,
                    path: "/v2/invoice/refund".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "invoice_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "customer_order_id".to_owned(),
                        ty : FieldType::String, location : Location::Body, optional :
                        true, source : Source::Merchant, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "reference".to_owned(), ty
                        : FieldType::String, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "status".to_owned(),
                    },
                    one_of: vec![
                        vec!["invoice_id".to_owned(), "customer_order_id".to_owned()]
                    ],
                    replaces: false,
                    position: Position {
                        line: 160u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "minialipay".to_owned(),
                Endpoint {
                    name: "minialipay".to_owned(),
                    doc: "Alipay mini app payment. payment_method is sent but not signed, exactly as Latipay's own example."
                        .to_owned(),
                    method: Method::Post,
                    path: "/v2/minialipay".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "wallet_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Credentials, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "amount".to_owned(), ty :
                        FieldType::Amount, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : true, doc :
                        "".to_owned() }, Field { name : "callback_url".to_owned(), ty :
                        FieldType::Url, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "merchant_reference".to_owned(),
                        ty : FieldType::String, location : Location::Body, optional :
                        false, source : Source::Merchant, signed : true, positive :
                        false, doc : "".to_owned() }, Field { name : "ip".to_owned(), ty
                        : FieldType::Ipv4, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "version".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Const("2.0".to_owned()), signed : true, positive
                        : false, doc : "".to_owned() }, Field { name : "product_name"
                        .to_owned(), ty : FieldType::String, location : Location::Body,
                        optional : false, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }, Field { name :
                        "payment_method".to_owned(), ty : FieldType::String, location :
                        Location::Body, optional : false, source : Source::Const("alipay"
                        .to_owned()), signed : false, positive : false, doc : ""
                        .to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "minialipay".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 48u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "miniapppay".to_owned(),
                Endpoint {
                    name: "miniapppay".to_owned(),
                    doc: "WeChat mini program payment (no ip, no version).".to_owned(),
                    method: Method::Post,
                    path: "/v2/miniapppay".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "wallet_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Credentials, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "amount".to_owned(), ty :
                        FieldType::Amount, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : true, doc :
                        "".to_owned() }, Field { name : "notify_url".to_owned(), ty :
                        FieldType::Url, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "merchant_reference".to_owned(),
                        ty : FieldType::String, location : Location::Body, optional :
                        false, source : Source::Merchant, signed : true, positive :
                        false, doc : "".to_owned() }, Field { name : "product_name"
                        .to_owned(), ty : FieldType::String, location : Location::Body,
                        optional : false, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }, Field { name : "app_id"
                        .to_owned(), ty : FieldType::String, location : Location::Body,
                        optional : false, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }, Field { name : "open_id"
                        .to_owned(), ty : FieldType::String, location : Location::Body,
                        optional : false, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "miniapppay".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 64u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "query".to_owned(),
                Endpoint {
                    name: "query".to_owned(),
                    doc: "Payment result. is_block \"1\" long-polls for up to 180 seconds."
                        .to_owned(),
                    method: Method::Get,
                    path: "/v2/transaction/{merchant_reference}".to_owned(),
                    fields: vec![
                        Field { name : "merchant_reference".to_owned(), ty :
                        FieldType::String, location : Location::Path, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "user_id".to_owned(), ty :
                        FieldType::String, location : Location::Query, optional : false,
                        source : Source::Credentials, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "is_block".to_owned(), ty :
                        FieldType::Enum(vec!["1".to_owned()]), location :
                        Location::Query, optional : true, source : Source::Merchant,
                        signed : true, positive : false, doc : "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Query,
                    response: Response {
                        model: "query".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 79u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "refund".to_owned(),
                Endpoint {
                    name: "refund".to_owned(),
                    doc: "Refund a paid order by Latipay's order_id.".to_owned(),
                    method: Method::Post,
                    path: "/refund".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "order_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "refund_amount".to_owned(), ty :
                        FieldType::Amount, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : true, doc :
                        "".to_owned() }, Field { name : "reference".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "status".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 89u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "transaction".to_owned(),
                Endpoint {
                    name: "transaction".to_owned(),
                    doc: "Hosted online payment; with host_type \"1\" the merchant hosts the QR code (merchant-hosted offline, then `gatewaydata`)."
                        .to_owned(),
                    method: Method::Post,
                    path: "/v2/transaction".to_owned(),
                    fields: vec![
                        Field { name : "user_id".to_owned(), ty : FieldType::String,
                        location : Location::Body, optional : false, source :
                        Source::Credentials, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "wallet_id".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Credentials, signed : true, positive : false,
                        doc : "".to_owned() }, Field { name : "payment_method"
                        .to_owned(), ty : FieldType::Enum(vec!["wechat".to_owned(),
                        "alipay".to_owned(), "moneymore".to_owned(), "polipay"
                        .to_owned(), "payid".to_owned(), "upi_upop".to_owned(),
                        "coin_payments".to_owned()]), location : Location::Body, optional
                        : false, source : Source::Merchant, signed : true, positive :
                        false, doc : "".to_owned() }, Field { name : "amount".to_owned(),
                        ty : FieldType::Amount, location : Location::Body, optional :
                        false, source : Source::Merchant, signed : true, positive : true,
                        doc : "".to_owned() }, Field { name : "return_url".to_owned(), ty
                        : FieldType::Url, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "required by Latipay unless host_type is \"1\" (its own offline example sends it empty)"
                        .to_owned() }, Field { name : "callback_url".to_owned(), ty :
                        FieldType::Url, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "backPage_url".to_owned(), ty :
                        FieldType::Url, location : Location::Body, optional : true,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "merchant_reference".to_owned(),
                        ty : FieldType::String, location : Location::Body, optional :
                        false, source : Source::Merchant, signed : true, positive :
                        false, doc : "".to_owned() }, Field { name : "ip".to_owned(), ty
                        : FieldType::Ipv4, location : Location::Body, optional : false,
                        source : Source::Merchant, signed : true, positive : false, doc :
                        "".to_owned() }, Field { name : "version".to_owned(), ty :
                        FieldType::String, location : Location::Body, optional : false,
                        source : Source::Const("2.0".to_owned()), signed : true, positive
                        : false, doc : "".to_owned() }, Field { name : "product_name"
                        .to_owned(), ty : FieldType::String, location : Location::Body,
                        optional : false, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }, Field { name :
                        "present_qr".to_owned(), ty : FieldType::Enum(vec!["1"
                        .to_owned()]), location : Location::Body, optional : true, source
                        : Source::Merchant, signed : true, positive : false, doc : ""
                        .to_owned() }, Field { name : "host_type".to_owned(), ty :
                        FieldType::Enum(vec!["1".to_owned()]), location : Location::Body,
                        optional : true, source : Source::Merchant, signed : true,
                        positive : false, doc : "".to_owned() }
                    ],
                    signing: Some(SigningRule::SortedJoin),
                    signature_in: Location::Body,
                    response: Response {
                        model: "transaction".to_owned(),
                    },
                    one_of: vec![],
                    replaces: false,
                    position: Position {
                        line: 6u64,
                        column: 3u64,
                    },
                },
            ),
        ]),
        inbound: BTreeMap::from([
            (
                "notification".to_owned(),
                Inbound {
                    name: "notification".to_owned(),
                    doc: "Asynchronous payment result POSTed to callback_url / notify_url; answer HTTP 200 with the body `sent`."
                        .to_owned(),
                    encoding: Encoding::Form,
                    model: "notification".to_owned(),
                    signature: SigningRule::Concat {
                        fields: vec![
                            "merchant_reference".to_owned(), "payment_method".to_owned(),
                            "status".to_owned(), "currency".to_owned(), "amount"
                            .to_owned()
                        ],
                        append_key: false,
                    },
                    replaces: false,
                },
            ),
            (
                "redirect".to_owned(),
                Inbound {
                    name: "redirect".to_owned(),
                    doc: "The customer's browser coming back to return_url; confirm through the notification or the query."
                        .to_owned(),
                    encoding: Encoding::Query,
                    model: "redirect".to_owned(),
                    signature: SigningRule::Concat {
                        fields: vec![
                            "merchant_reference".to_owned(), "payment_method".to_owned(),
                            "status".to_owned(), "currency".to_owned(), "amount"
                            .to_owned()
                        ],
                        append_key: false,
                    },
                    replaces: false,
                },
            ),
        ]),
        models: BTreeMap::from([
            (
                "barcode".to_owned(),
                Model {
                    name: "barcode".to_owned(),
                    doc: "Latipay's order id; poll `query` by merchant_reference for the result."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "order_id".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::None,
                    envelope: true,
                    position: Position {
                        line: 258u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "gatewaydata".to_owned(),
                Model {
                    name: "gatewaydata".to_owned(),
                    doc: "The merchant-hosted QR code; its `data` is signed with Rule A over its own members."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "data".to_owned(), ty :
                        ModelType::Model("gatewaydata_data".to_owned()), optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::None,
                    envelope: true,
                    position: Position {
                        line: 230u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "gatewaydata_data".to_owned(),
                Model {
                    name: "gatewaydata_data".to_owned(),
                    doc: "The order and the QR code to show the customer.".to_owned(),
                    fields: vec![
                        ModelField { name : "order_id".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "nonce"
                        .to_owned(), ty : ModelType::String, optional : false, nullable :
                        false, named_enum : None, doc : "".to_owned() }, ModelField {
                        name : "payment_method".to_owned(), ty :
                        ModelType::Enum(vec!["wechat".to_owned(), "alipay".to_owned()]),
                        optional : false, nullable : false, named_enum : None, doc : ""
                        .to_owned() }, ModelField { name : "amount".to_owned(), ty :
                        ModelType::Amount, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "amount_cny"
                        .to_owned(), ty : ModelType::Amount, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "currency".to_owned(), ty : ModelType::String, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "product_name".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name :
                        "organisation_id".to_owned(), ty : ModelType::Integer, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "merchant_reference".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name :
                        "organisation_name".to_owned(), ty : ModelType::String, optional
                        : true, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "user_id".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "user_name"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        false, named_enum : None, doc : "".to_owned() }, ModelField {
                        name : "wallet_id".to_owned(), ty : ModelType::String, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "wallet_name".to_owned(), ty :
                        ModelType::String, optional : true, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "qr_code"
                        .to_owned(), ty : ModelType::String, optional : false, nullable :
                        false, named_enum : None, doc :
                        "a PNG of the QR code as a data URL, `data:image/png;base64,...`"
                        .to_owned() }, ModelField { name : "qr_code_url".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc :
                        "what the QR code holds: `weixin://wxpay/...` or `https://qr.alipay.com/...`"
                        .to_owned() }, ModelField { name : "currency_rate".to_owned(), ty
                        : ModelType::Decimal, optional : true, nullable : true,
                        named_enum : None, doc : "".to_owned() }, ModelField { name :
                        "signature".to_owned(), ty : ModelType::String, optional : false,
                        nullable : false, named_enum : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::Signed(SigningRule::SortedJoin),
                    envelope: false,
                    position: Position {
                        line: 235u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice".to_owned(),
                Model {
                    name: "invoice".to_owned(),
                    doc: "An invoice, created or looked up; its fields sit at the top level of the answer."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "invoice_id".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "qrcode_pic"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        false, named_enum : None, doc :
                        "a PNG of the invoice's QR code, base64".to_owned() }, ModelField
                        { name : "invoice_url".to_owned(), ty : ModelType::String,
                        optional : false, nullable : false, named_enum : None, doc : ""
                        .to_owned() }, ModelField { name : "return_query".to_owned(), ty
                        : ModelType::String, optional : true, nullable : false,
                        named_enum : None, doc :
                        "seen in a point-of-sale integration: a redirect query (merchant_reference=...&signature=...)"
                        .to_owned() }, ModelField { name : "signature".to_owned(), ty :
                        ModelType::String, optional : true, nullable : false, named_enum
                        : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::Undocumented(
                        "Latipay's documentation shows a `signature` on the invoice answer but not what it signs; it is kept and not verified."
                            .to_owned(),
                    ),
                    envelope: true,
                    position: Position {
                        line: 295u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_item".to_owned(),
                Model {
                    name: "invoice_item".to_owned(),
                    doc: "One invoice of a list.".to_owned(),
                    fields: vec![
                        ModelField { name : "user_id".to_owned(), ty : ModelType::String,
                        optional : false, nullable : false, named_enum : None, doc : ""
                        .to_owned() }, ModelField { name : "wallet_id".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "wallet_name"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "amount".to_owned(), ty : ModelType::Amount, optional : false,
                        nullable : false, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "currency".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name :
                        "organisation_id".to_owned(), ty : ModelType::Integer, optional :
                        true, nullable : true, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "organisation".to_owned(), ty :
                        ModelType::String, optional : true, nullable : true, named_enum :
                        None, doc : "".to_owned() }, ModelField { name : "product_name"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "period_time".to_owned(), ty : ModelType::Integer, optional :
                        true, nullable : true, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "open_count".to_owned(), ty :
                        ModelType::Integer, optional : true, nullable : true, named_enum
                        : None, doc : "".to_owned() }, ModelField { name :
                        "customer_order_id".to_owned(), ty : ModelType::String, optional
                        : true, nullable : true, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "customer_reference".to_owned(), ty :
                        ModelType::String, optional : true, nullable : true, named_enum :
                        None, doc : "".to_owned() }, ModelField { name : "created_time"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "paid_time".to_owned(), ty : ModelType::String, optional :
                        true, nullable : true, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "invoice_id".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "invoice_url"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "return_url".to_owned(), ty : ModelType::String, optional :
                        true, nullable : true, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "notify_url".to_owned(), ty :
                        ModelType::String, optional : true, nullable : true, named_enum :
                        None, doc : "".to_owned() }, ModelField { name : "token"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "status".to_owned(), ty : ModelType::Enum(vec!["success"
                        .to_owned(), "pending".to_owned(), "paid".to_owned(), "failed"
                        .to_owned()]), optional : false, nullable : false, named_enum :
                        None, doc : "".to_owned() }, ModelField { name : "paid_method"
                        .to_owned(), ty : ModelType::String, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "payment_methods".to_owned(), ty :
                        ModelType::List(Box::new(ModelType::String)), optional : true,
                        nullable : true, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "payer".to_owned(), ty : ModelType::String,
                        optional : true, nullable : true, named_enum : None, doc : ""
                        .to_owned() }
                    ],
                    signature: ModelSignature::None,
                    envelope: false,
                    position: Position {
                        line: 312u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "invoice_list".to_owned(),
                Model {
                    name: "invoice_list".to_owned(),
                    doc: "The invoices created in a time range.".to_owned(),
                    fields: vec![
                        ModelField { name : "data".to_owned(), ty :
                        ModelType::List(Box::new(ModelType::Model("invoice_item"
                        .to_owned()))), optional : false, nullable : false, named_enum :
                        None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::None,
                    envelope: true,
                    position: Position {
                        line: 307u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "minialipay".to_owned(),
                Model {
                    name: "minialipay".to_owned(),
                    doc: "What the Alipay mini app passes to `my.tradePay`, and Latipay's order ids."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "gatewaydata".to_owned(), ty :
                        ModelType::Object, optional : false, nullable : false, named_enum
                        : None, doc :
                        "Alipay's order parameters; orderStr joins them in this order"
                        .to_owned() }, ModelField { name : "paydata".to_owned(), ty :
                        ModelType::Object, optional : false, nullable : false, named_enum
                        : None, doc : "orderId, customerOrderId, ...".to_owned() }
                    ],
                    signature: ModelSignature::None,
                    envelope: true,
                    position: Position {
                        line: 263u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "miniapppay".to_owned(),
                Model {
                    name: "miniapppay".to_owned(),
                    doc: "What the WeChat mini program passes to `wx.requestPayment`, and Latipay's order id."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "payment".to_owned(), ty : ModelType::Object,
                        optional : false, nullable : false, named_enum : None, doc :
                        "nonceStr, paySign, signType, timeStamp, packageStr".to_owned()
                        }, ModelField { name : "paydata".to_owned(), ty :
                        ModelType::Object, optional : false, nullable : false, named_enum
                        : None, doc : "order_id".to_owned() }
                    ],
                    signature: ModelSignature::None,
                    envelope: true,
                    position: Position {
                        line: 269u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "notification".to_owned(),
                Model {
                    name: "notification".to_owned(),
                    doc: "The payment result Latipay POSTs to the merchant; order_id and pay_time are not signed."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "merchant_reference".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name :
                        "payment_method".to_owned(), ty : ModelType::String, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "status".to_owned(), ty :
                        ModelType::Enum(vec!["pending".to_owned(), "canceled".to_owned(),
                        "rejected".to_owned(), "paid".to_owned(), "failed".to_owned()]),
                        optional : false, nullable : false, named_enum :
                        Some("payment_status".to_owned()), doc : "".to_owned() },
                        ModelField { name : "currency".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "amount"
                        .to_owned(), ty : ModelType::Amount, optional : false, nullable :
                        false, named_enum : None, doc : "".to_owned() }, ModelField {
                        name : "order_id".to_owned(), ty : ModelType::String, optional :
                        true, nullable : false, named_enum : None, doc : "".to_owned() },
                        ModelField { name : "pay_time".to_owned(), ty :
                        ModelType::String, optional : true, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "signature"
                        .to_owned(), ty : ModelType::String, optional : false, nullable :
                        false, named_enum : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::Signed(SigningRule::Concat {
                        fields: vec![
                            "merchant_reference".to_owned(), "payment_method".to_owned(),
                            "status".to_owned(), "currency".to_owned(), "amount"
                            .to_owned()
                        ],
                        append_key: false,
                    }),
                    envelope: false,
                    position: Position {
                        line: 339u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "query".to_owned(),
                Model {
                    name: "query".to_owned(),
                    doc: "The payment result; signed with Rule B over the amount's exact text."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "merchant_reference".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "currency"
                        .to_owned(), ty : ModelType::String, optional : false, nullable :
                        false, named_enum : None, doc : "".to_owned() }, ModelField {
                        name : "amount".to_owned(), ty : ModelType::Amount, optional :
                        false, nullable : false, named_enum : None, doc :
                        "a JSON number; its text is what is signed".to_owned() },
                        ModelField { name : "amount_cny".to_owned(), ty :
                        ModelType::Amount, optional : true, nullable : true, named_enum :
                        None, doc : "".to_owned() }, ModelField { name : "rate"
                        .to_owned(), ty : ModelType::Decimal, optional : true, nullable :
                        true, named_enum : None, doc : "".to_owned() }, ModelField { name
                        : "payment_method".to_owned(), ty : ModelType::String, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "status".to_owned(), ty :
                        ModelType::Enum(vec!["pending".to_owned(), "paid".to_owned(),
                        "failed".to_owned()]), optional : false, nullable : false,
                        named_enum : Some("payment_status".to_owned()), doc :
                        "only the notification or this answer decides that an order is paid"
                        .to_owned() }, ModelField { name : "pay_time".to_owned(), ty :
                        ModelType::String, optional : true, nullable : true, named_enum :
                        None, doc : "not signed".to_owned() }, ModelField { name :
                        "order_id".to_owned(), ty : ModelType::String, optional : true,
                        nullable : true, named_enum : None, doc : "not signed".to_owned()
                        }, ModelField { name : "transaction_id".to_owned(), ty :
                        ModelType::String, optional : true, nullable : true, named_enum :
                        None, doc : "not signed".to_owned() }, ModelField { name :
                        "signature".to_owned(), ty : ModelType::String, optional : false,
                        nullable : false, named_enum : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::Signed(SigningRule::Concat {
                        fields: vec![
                            "merchant_reference".to_owned(), "payment_method".to_owned(),
                            "status".to_owned(), "currency".to_owned(), "amount"
                            .to_owned()
                        ],
                        append_key: false,
                    }),
                    envelope: true,
                    position: Position {
                        line: 275u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "redirect".to_owned(),
                Model {
                    name: "redirect".to_owned(),
                    doc: "The customer's browser back at return_url; do not trust its status, confirm by the notification or the query."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "merchant_reference".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name :
                        "payment_method".to_owned(), ty : ModelType::String, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned()
                        }, ModelField { name : "status".to_owned(), ty :
                        ModelType::Enum(vec!["paid".to_owned(), "cancel_or_fail"
                        .to_owned()]), optional : false, nullable : false, named_enum :
                        Some("payment_status".to_owned()), doc : "".to_owned() },
                        ModelField { name : "currency".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }, ModelField { name : "amount"
                        .to_owned(), ty : ModelType::Amount, optional : false, nullable :
                        false, named_enum : None, doc : "".to_owned() }, ModelField {
                        name : "signature".to_owned(), ty : ModelType::String, optional :
                        false, nullable : false, named_enum : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::Signed(SigningRule::Concat {
                        fields: vec![
                            "merchant_reference".to_owned(), "payment_method".to_owned(),
                            "status".to_owned(), "currency".to_owned(), "amount"
                            .to_owned()
                        ],
                        append_key: false,
                    }),
                    envelope: false,
                    position: Position {
                        line: 354u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "status".to_owned(),
                Model {
                    name: "status".to_owned(),
                    doc: "An answer of only code and message (refund, cancel, invoice delete and refund)."
                        .to_owned(),
                    fields: vec![],
                    signature: ModelSignature::None,
                    envelope: true,
                    position: Position {
                        line: 291u64,
                        column: 3u64,
                    },
                },
            ),
            (
                "transaction".to_owned(),
                Model {
                    name: "transaction".to_owned(),
                    doc: "Where to send the customer, `{host_url}/{nonce}`; signed with Rule C."
                        .to_owned(),
                    fields: vec![
                        ModelField { name : "host_url".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc :
                        "the payment host (for host_type \"1\", the gatewaydata address)"
                        .to_owned() }, ModelField { name : "nonce".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "single use; do not store it".to_owned() },
                        ModelField { name : "signature".to_owned(), ty :
                        ModelType::String, optional : false, nullable : false, named_enum
                        : None, doc : "".to_owned() }
                    ],
                    signature: ModelSignature::Signed(SigningRule::Concat {
                        fields: vec!["nonce".to_owned(), "host_url".to_owned()],
                        append_key: false,
                    }),
                    envelope: true,
                    position: Position {
                        line: 222u64,
                        column: 3u64,
                    },
                },
            ),
        ]),
        codes: vec![
            ResultCode { name : "fail".to_owned(), code : 1i64, message : "FAIL"
            .to_owned(), doc : "the operation failed".to_owned() }, ResultCode { name :
            "data_error".to_owned(), code : 3i64, message : "data error".to_owned(), doc
            : "cancel".to_owned() }, ResultCode { name : "user_not_exist".to_owned(),
            code : 110i64, message : "user not exist".to_owned(), doc : "cancel"
            .to_owned() }, ResultCode { name : "order_not_exist".to_owned(), code :
            201i64, message : "order not exist".to_owned(), doc : "".to_owned() },
            ResultCode { name : "fields_null".to_owned(), code : 204i64, message :
            "some fields from input are null".to_owned(), doc :
            "a required field is missing or null".to_owned() }, ResultCode { name :
            "no_key_or_user_inactive".to_owned(), code : 205i64, message :
            "no key for the user, or user disabled or inactive".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "signature_wrong".to_owned(), code :
            206i64, message : "signature from merchant request is wrong".to_owned(), doc
            : "compare the request's canonical message".to_owned() }, ResultCode { name :
            "param_wrong".to_owned(), code : 207i64, message : "param is wrong"
            .to_owned(), doc : "".to_owned() }, ResultCode { name : "gateway_not_exist"
            .to_owned(), code : 300i64, message : "gateway not exist".to_owned(), doc :
            "".to_owned() }, ResultCode { name : "wrong_account_or_currency".to_owned(),
            code : 301i64, message : "wrong account info or currency info".to_owned(),
            doc : "".to_owned() }, ResultCode { name : "pay_company_not_exist"
            .to_owned(), code : 302i64, message : "pay company not exist".to_owned(), doc
            : "".to_owned() }, ResultCode { name : "wrong_pay_type".to_owned(), code :
            303i64, message : "wrong pay type from merchant".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "method_not_supported".to_owned(), code :
            304i64, message : "wallet does not support this payment method".to_owned(),
            doc : "".to_owned() }, ResultCode { name : "no_margin_plan".to_owned(), code
            : 305i64, message : "no margin plan for the merchant".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "wallet_not_assigned".to_owned(), code :
            450i64, message : "wallet not assigned to user".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "exceeds_limit".to_owned(), code : 454i64,
            message : "exceeds the single payment limit of the merchant".to_owned(), doc
            : "".to_owned() }, ResultCode { name : "refund_params_wrong".to_owned(), code
            : 550i64, message : "refund parameters wrong".to_owned(), doc : "".to_owned()
            }, ResultCode { name : "refund_order_not_exist".to_owned(), code : 551i64,
            message : "refund related order does not exist".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "refund_create_failed".to_owned(), code :
            556i64, message : "create refund order failed".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "refund_not_exist".to_owned(), code :
            558i64, message : "refund order does not exist".to_owned(), doc : ""
            .to_owned() }, ResultCode { name : "insufficient_amount".to_owned(), code :
            559i64, message : "insufficient amount in wallet".to_owned(), doc :
            "or nothing left to refund".to_owned() }, ResultCode { name :
            "refund_already_done".to_owned(), code : 562i64, message :
            "this refund request has been done".to_owned(), doc : "".to_owned() },
            ResultCode { name : "already_completed".to_owned(), code : 900i64, message :
            "transaction already completed".to_owned(), doc : "cancel".to_owned() },
            ResultCode { name : "already_failed".to_owned(), code : 901i64, message :
            "transaction already failed".to_owned(), doc : "cancel".to_owned() }
        ],
        enums: BTreeMap::from([
            (
                "payment_status".to_owned(),
                NamedEnum {
                    name: "payment_status".to_owned(),
                    doc: "The state of a payment, as queries, notifications and redirects report it."
                        .to_owned(),
                    values: vec![
                        "pending".to_owned(), "paid".to_owned(), "failed".to_owned(),
                        "canceled".to_owned(), "rejected".to_owned(), "cancel_or_fail"
                        .to_owned()
                    ],
                },
            ),
        ]),
    }
}
