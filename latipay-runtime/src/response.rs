//! What each endpoint answers, decoded from the members of the JSON object as received: numbers
//! keep their raw text (Latipay signs `120.00`, a float would make it `120`), and nested objects
//! keep the server's key order (`my.tradePay` wants it).
//!
//! The client checks `code` and the response signature before decoding, so a value of these types
//! is a success that Latipay signed where it signs.

use latipay_spec::inbound::read_plain_success;
use latipay_spec::{JsonFields, JsonText};

use crate::notification::PaymentStatus;
use crate::params::most_pairs;
pub use crate::params::{Iter, Params};

/// Turns the members of a successful response into its type.
pub trait Decode: Sized {
    /// Decodes the members; the error says which member is missing or of the wrong kind.
    fn decode(fields: &JsonFields) -> Result<Self, String>;

    /// The response from the whole answer in one pass, when it is a plain success of the usual
    /// shape; `None` otherwise, and the client reads it with [`Decode::decode`]. Provided for
    /// unsigned answers made of the messages and two objects of strings (`minialipay`,
    /// `miniapppay`): read member by member, their objects are read twice.
    fn decode_plain_success(_answer: &str) -> Option<Self> {
        None
    }
}

/// A plain success answer with the two objects `nested` (see [`read_plain_success`]): its status
/// and the objects' pairs.
fn plain_success(answer: &str, nested: [&str; 2]) -> Option<(Status, Params, Params)> {
    // Either object's names and values fit in the answer's length, and its pairs in its commas.
    let pairs = most_pairs(answer);
    let mut objects = [
        Params::with_capacity(answer.len(), pairs),
        Params::with_capacity(answer.len(), pairs),
    ];
    let (message, message_cn) = read_plain_success(answer, nested, |which, name, value| {
        if let Some(object) = objects.get_mut(which) {
            object.push(&name, &value);
        }
    })?;
    let [first, second] = objects;
    let status = Status {
        code: 0,
        message: message.into_owned(),
        message_cn: message_cn.into_owned(),
    };
    Some((status, first, second))
}

fn text(fields: &JsonFields, name: &str) -> String {
    fields.text(name).unwrap_or_default().to_owned()
}

fn required(fields: &JsonFields, name: &str) -> Result<String, String> {
    required_str(fields, name).map(str::to_owned)
}

fn required_str<'f>(fields: &'f JsonFields, name: &str) -> Result<&'f str, String> {
    match fields.get(name) {
        Some(v) => v
            .as_text()
            .ok_or_else(|| format!("`{name}` is {}, not a text or number", v.kind())),
        None => Err(format!("`{name}` is missing")),
    }
}

/// The ordered pairs of the nested JSON object `name`; absent or `null` is none.
fn ordered(fields: &JsonFields, name: &str) -> Result<Params, String> {
    match fields.get(name) {
        None | Some(JsonText::Null) => Ok(Params::new()),
        Some(JsonText::Nested(raw)) if raw.starts_with('{') => {
            Params::from_json_object(raw).map_err(|e| format!("`{name}`: {e}"))
        }
        Some(other) => Err(format!("`{name}` is {}, not an object", other.kind())),
    }
}

/// The fields every Latipay answer has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    /// 0 for success.
    pub code: i64,
    /// English message.
    pub message: String,
    /// Chinese message.
    pub message_cn: String,
}

impl Decode for Status {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(Status {
            code: required_str(fields, "code")?
                .parse()
                .map_err(|_| "`code` is not a whole number".to_owned())?,
            message: text(fields, "message"),
            message_cn: text(fields, "messageCN"),
        })
    }
}

/// `transaction`: where to send the customer. Its signature (Rule C) was verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Code and messages.
    pub status: Status,
    /// The payment host.
    pub host_url: String,
    /// Single-use payment nonce; do not store it.
    pub nonce: String,
}

impl Transaction {
    /// The payment page: `{host_url}/{nonce}`.
    pub fn payment_url(&self) -> String {
        format!("{}/{}", self.host_url.trim_end_matches('/'), self.nonce)
    }
}

impl Decode for Transaction {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(Transaction {
            status: Status::decode(fields)?,
            host_url: required(fields, "host_url")?,
            nonce: required(fields, "nonce")?,
        })
    }
}

/// `barcode`: Latipay's order id; poll `query` for the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    /// Code and messages.
    pub status: Status,
    /// Latipay's order id.
    pub order_id: String,
}

impl Decode for Barcode {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(Barcode {
            status: Status::decode(fields)?,
            order_id: text(fields, "order_id"),
        })
    }
}

/// `minialipay`: what the Alipay mini app passes to `my.tradePay`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiniAlipay {
    /// Code and messages.
    pub status: Status,
    /// Alipay's order parameters, in the order the server sent them.
    pub gatewaydata: Params,
    /// Latipay's order ids (`orderId`, `customerOrderId`, ...), in the server's order.
    pub paydata: Params,
}

impl MiniAlipay {
    /// The `orderStr` for `my.tradePay`: `gatewaydata` joined as `key=value&...` in the server's
    /// order, exactly as Latipay's JavaScript example builds it.
    pub fn order_str(&self) -> String {
        self.gatewaydata.join()
    }

    /// Latipay's order id (`paydata.orderId`).
    pub fn order_id(&self) -> Option<&str> {
        self.paydata.get("orderId")
    }
}

impl Decode for MiniAlipay {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(MiniAlipay {
            status: Status::decode(fields)?,
            gatewaydata: ordered(fields, "gatewaydata")?,
            paydata: ordered(fields, "paydata")?,
        })
    }

    fn decode_plain_success(answer: &str) -> Option<Self> {
        let (status, gatewaydata, paydata) = plain_success(answer, ["gatewaydata", "paydata"])?;
        Some(MiniAlipay {
            status,
            gatewaydata,
            paydata,
        })
    }
}

/// `miniapppay`: what the WeChat mini program passes to `wx.requestPayment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiniAppPay {
    /// Code and messages.
    pub status: Status,
    /// `nonceStr`, `paySign`, `signType`, `timeStamp`, `packageStr`, in the server's order.
    pub payment: Params,
    /// Latipay's order id (`order_id`).
    pub paydata: Params,
}

impl Decode for MiniAppPay {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(MiniAppPay {
            status: Status::decode(fields)?,
            payment: ordered(fields, "payment")?,
            paydata: ordered(fields, "paydata")?,
        })
    }

    fn decode_plain_success(answer: &str) -> Option<Self> {
        let (status, payment, paydata) = plain_success(answer, ["payment", "paydata"])?;
        Some(MiniAppPay {
            status,
            payment,
            paydata,
        })
    }
}

/// `query`: the payment result. Its signature (Rule B) was verified over the amount's raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Code and messages.
    pub status: Status,
    /// The merchant's reference.
    pub merchant_reference: String,
    /// Currency (`NZD`, `AUD`, ...).
    pub currency: String,
    /// The amount, exactly as Latipay wrote it (signed as text).
    pub amount: String,
    /// The amount in CNY, as written.
    pub amount_cny: String,
    /// The exchange rate, as written.
    pub rate: String,
    /// `alipay`, `wechat`, ...
    pub payment_method: String,
    /// The payment's state.
    pub payment_status: PaymentStatus,
    /// When it was paid (not signed).
    pub pay_time: String,
    /// Latipay's order id (not signed).
    pub order_id: String,
    /// The payment provider's transaction id (not signed).
    pub transaction_id: String,
}

impl Query {
    /// The amount as money.
    pub fn amount(&self) -> Result<crate::Amount, crate::AmountError> {
        crate::Amount::parse(&self.amount)
    }
}

impl Decode for Query {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(Query {
            status: Status::decode(fields)?,
            merchant_reference: required(fields, "merchant_reference")?,
            currency: required(fields, "currency")?,
            amount: required(fields, "amount")?,
            amount_cny: text(fields, "amount_cny"),
            rate: text(fields, "rate"),
            payment_method: required(fields, "payment_method")?,
            payment_status: PaymentStatus::from(required_str(fields, "status")?),
            pay_time: text(fields, "pay_time"),
            order_id: text(fields, "order_id"),
            transaction_id: text(fields, "transaction_id"),
        })
    }
}

/// `invoice_create`, `invoice_get`: the invoice, as Latipay sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    /// Code and messages.
    pub status: Status,
    /// The invoice.
    pub data: serde_json::Value,
}

/// `invoice_list`: the invoices, as Latipay sent them.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceList {
    /// Code and messages.
    pub status: Status,
    /// The invoices.
    pub data: serde_json::Value,
}

fn nested_value(fields: &JsonFields, name: &str) -> Result<serde_json::Value, String> {
    match fields.get(name) {
        None | Some(JsonText::Null) => Ok(serde_json::Value::Null),
        Some(JsonText::Nested(raw)) => {
            serde_json::from_str(raw).map_err(|e| format!("`{name}`: {e}"))
        }
        Some(JsonText::String(s)) => Ok(serde_json::Value::String(s.to_owned())),
        Some(other) => Err(format!("`{name}` is {}", other.kind())),
    }
}

impl Decode for Invoice {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(Invoice {
            status: Status::decode(fields)?,
            data: nested_value(fields, "data")?,
        })
    }
}

impl Decode for InvoiceList {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(InvoiceList {
            status: Status::decode(fields)?,
            data: nested_value(fields, "data")?,
        })
    }
}

/// An endpoint of a merchant's spec with no dedicated model: every member as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generic {
    /// Code and messages.
    pub status: Status,
    /// Every member, numbers as their raw text, nested values as raw JSON.
    pub fields: JsonFields,
}

impl Decode for Generic {
    fn decode(fields: &JsonFields) -> Result<Self, String> {
        Ok(Generic {
            status: Status::decode(fields)?,
            fields: fields.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::{Deserializer, MapAccess, Visitor};

    use super::*;

    /// The pairs as owned strings, to compare with the reference.
    fn pairs(raw: &str) -> Result<Vec<(String, String)>, serde_json::Error> {
        let params = Params::from_json_object(raw)?;
        Ok(params
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect())
    }

    /// What `Params` has always meant: serde_json reading the members in order, every string
    /// decoded by it.
    fn reference(raw: &str) -> Result<Vec<(String, String)>, String> {
        struct Reference;
        impl<'de> Visitor<'de> for Reference {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) =
                    map.next_entry::<String, Box<serde_json::value::RawValue>>()?
                {
                    let raw = v.get();
                    let text = if raw.starts_with('"') {
                        serde_json::from_str::<String>(raw).map_err(serde::de::Error::custom)?
                    } else {
                        raw.to_owned()
                    };
                    out.push((k, text));
                }
                Ok(out)
            }
        }
        let mut de = serde_json::Deserializer::from_str(raw);
        (&mut de)
            .deserialize_map(Reference)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn pairs_read_as_serde_json_reads_them() {
        let gatewaydata = r#"{"service":"create_forex_trade_wap","partner":"2088000000000000","_input_charset":"UTF-8","subject":"Pinot Noir, Otago","total_fee":"120.00","n":12.5,"t":true,"z":null,"o":{"b":[1,{"c":"d"}]},"a":[],"k":"é中🍷","k":"again"}"#;
        let cases = [
            gatewaydata,
            "{}",
            r#"{ "a" : "b" , "c" : 1 }"#,
            r#"{"a":"b\"c","d":"\u00e9"}"#,
            // Every value a string (read once each), with escapes, duplicates and a lone
            // surrogate (refused either way).
            r#"{"service":"create_forex_trade_wap","k":"é中🍷\n","k":"again","e":""}"#,
            r#"{"a":"x","b":"\ud800"}"#,
            r#"{"a\u0062":"x"}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":01}"#,
            r#"{"a":1,}"#,
            r#"{"a":1"#,
        ];
        for raw in cases {
            let read = pairs(raw).map_err(|e| e.to_string());
            assert_eq!(read, reference(raw), "{raw}");
        }
        let read = pairs(gatewaydata).unwrap();
        assert_eq!(read[3], ("subject".into(), "Pinot Noir, Otago".into()));
        assert_eq!(read[8], ("o".into(), r#"{"b":[1,{"c":"d"}]}"#.into()));
        assert_eq!(read.len(), 12, "duplicates are kept, in order");
    }

    /// Answers around the usual shape: wherever the one-pass reading answers, it must give what
    /// the member-by-member reading gives; where it does not, the client falls back to that.
    fn answers() -> Vec<String> {
        let gateway = r#"{"service":"create_forex_trade_wap","subject":"Pinot Noir, Otago","k":"é中🍷\n","k":"again","e":""}"#;
        let paydata = r#"{"orderId":"2026112600000001","amount":"120.00"}"#;
        let mut answers = vec![
            format!(
                r#"{{"code":0,"message":"SUCCESS","messageCN":"操作成功","gatewaydata":{gateway},"paydata":{paydata}}}"#
            ),
            format!(r#" {{ "paydata" : {paydata} , "gatewaydata":{gateway}, "code" : 0 }} "#),
            r#"{"code":0}"#.to_owned(),
            r#"{"code":0,"message":"a\"b\u00e9"}"#.to_owned(),
            // Not plain successes: another code or kind, a member twice, another member or kind
            // of value, a lone surrogate, broken JSON.
            format!(r#"{{"code":1,"message":"no","gatewaydata":{gateway}}}"#),
            r#"{"code":"0"}"#.to_owned(),
            r#"{"code":0.0}"#.to_owned(),
            r#"{"code":0,"code":0}"#.to_owned(),
            format!(r#"{{"code":0,"gatewaydata":{gateway},"gatewaydata":{{"a":"b"}}}}"#),
            r#"{"code":0,"extra":1}"#.to_owned(),
            r#"{"code":0,"gatewaydata":null}"#.to_owned(),
            r#"{"code":0,"gatewaydata":{"n":12.5}}"#.to_owned(),
            r#"{"code":0,"gatewaydata":{"a":"\ud800"}}"#.to_owned(),
            r#"{"code":0,"message":null}"#.to_owned(),
            r#"{"code":0,"#.to_owned(),
            r#"[{"code":0}]"#.to_owned(),
        ];
        answers.push(answers[0].replace("gatewaydata", "payment"));
        answers
    }

    fn member_by_member<R: Decode>(answer: &str) -> Option<R> {
        let fields = JsonFields::parse(answer).ok()?;
        (fields.text("code") == Some("0")).then(|| R::decode(&fields).ok())?
    }

    #[test]
    fn one_pass_reading_agrees_with_member_by_member_reading() {
        let mut read_in_one_pass = 0;
        for answer in answers() {
            if let Some(one_pass) = MiniAlipay::decode_plain_success(&answer) {
                assert_eq!(Some(one_pass), member_by_member(&answer), "{answer}");
                read_in_one_pass += 1;
            }
            if let Some(one_pass) = MiniAppPay::decode_plain_success(&answer) {
                assert_eq!(Some(one_pass), member_by_member(&answer), "{answer}");
                read_in_one_pass += 1;
            }
        }
        // Plain successes: the first four answers for `minialipay`; the third and fourth (no
        // objects) and the last (`payment`) for `miniapppay`. The others are not.
        assert_eq!(read_in_one_pass, 4 + 3);
        let documented = &answers()[0];
        let read = MiniAlipay::decode_plain_success(documented).unwrap();
        assert_eq!(read.status.message_cn, "操作成功");
        assert_eq!(read.gatewaydata.get("k"), Some("é中🍷\n"));
        assert_eq!(
            read.gatewaydata.len(),
            5,
            "duplicates within an object are kept"
        );
        assert_eq!(read.order_id(), Some("2026112600000001"));
    }
}
