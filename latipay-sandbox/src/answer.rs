//! Every answer the sandbox sends is built here from its model in the spec (`models:` in
//! `spec/latipay.yaml`): the envelope (`code`, `message`, `messageCN`), then the model's members
//! in their declared order, then the signature its model declares, made by the spec crate's one
//! writer per rule ([`latipay_spec::inbound::sign`]). A handler only supplies values by name, so a
//! member renamed, added or removed in the spec changes the sandbox's answers with it.
//!
//! For a built-in model, which the handlers are written against, a handler that supplies a member
//! the model does not declare, or leaves out one it requires, is a bug in the sandbox: the answer
//! is refused ([`AnswerError`], sent as an HTTP 500 and logged), never sent half-right or
//! unsigned. A model changed in the spec, or a merchant's own, is followed as declared (see
//! [`build`]).

use std::fmt;

use latipay_spec::inbound::RawObject;
use latipay_spec::inbound::{self, SIGNATURE};
use latipay_spec::{
    Amount, ENVELOPE, Model, ModelField, ModelSignature, ModelType, SigningKey, SigningRule, Spec,
    shape,
};
use serde_json::value::RawValue;

use crate::codes::SUCCESS;

/// The value of one member, by what the handler has.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// JSON text written as it is: a string with its quotes, `null`, an object.
    Json(Box<RawValue>),
    /// A JSON number written exactly as this text (`120.00`, `0.00000`): what Rule B and Rule A
    /// sign is that text, so it never goes through a float. Checked when the answer is built.
    Number(String),
    /// An object of the member's model (`type: model`), built and signed by the same rules.
    Object(Members),
    /// A list of objects of the member's model (`type: list, of: MODEL`).
    Objects(Vec<Members>),
    /// A value that could not be written as JSON (why): refused when the answer is built.
    Invalid(String),
}

impl Value {
    /// JSON text, written as it is.
    fn json(json: String) -> Value {
        match RawValue::from_string(json) {
            Ok(raw) => Value::Json(raw),
            Err(e) => Value::Invalid(e.to_string()),
        }
    }

    /// A JSON string.
    fn text(text: &str) -> Value {
        Value::json(serde_json::Value::from(text).to_string())
    }

    /// Any value, written by serde_json (objects keep the order they were built in).
    fn serialized(value: &impl serde::Serialize) -> Value {
        match serde_json::to_string(value) {
            Ok(json) => Value::json(json),
            // Serializing plain data to a String does not fail; if it did, the answer is
            // refused when it is built, loudly.
            Err(e) => Value::Invalid(e.to_string()),
        }
    }
}

/// The values of an object's members, by name, in any order: the model decides the order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Members(Vec<(String, Value)>);

impl Members {
    pub(crate) fn new() -> Members {
        Members::default()
    }

    fn with(mut self, name: &str, value: Value) -> Members {
        self.0.push((name.to_owned(), value));
        self
    }

    /// A JSON string.
    pub(crate) fn text(self, name: &str, value: impl AsRef<str>) -> Members {
        self.with(name, Value::text(value.as_ref()))
    }

    /// A JSON string, or `null` for `None`.
    pub(crate) fn text_or_null(self, name: &str, value: Option<impl AsRef<str>>) -> Members {
        match value {
            Some(v) => self.text(name, v),
            None => self.null(name),
        }
    }

    /// A JSON number written as `text`.
    pub(crate) fn number(self, name: &str, text: impl Into<String>) -> Members {
        self.with(name, Value::Number(text.into()))
    }

    /// A JSON number written as `text`, or `null` for `None`.
    pub(crate) fn number_or_null(self, name: &str, text: Option<impl Into<String>>) -> Members {
        match text {
            Some(t) => self.number(name, t),
            None => self.null(name),
        }
    }

    /// `null`.
    pub(crate) fn null(self, name: &str) -> Members {
        self.with(name, Value::json("null".to_owned()))
    }

    /// Any JSON value, written by serde_json (objects keep the order they were built in).
    pub(crate) fn value(self, name: &str, value: &impl serde::Serialize) -> Members {
        self.with(name, Value::serialized(value))
    }

    /// An object of the member's model.
    pub(crate) fn object(self, name: &str, members: Members) -> Members {
        self.with(name, Value::Object(members))
    }

    /// A list of objects of the member's model.
    pub(crate) fn objects(self, name: &str, items: Vec<Members>) -> Members {
        self.with(name, Value::Objects(items))
    }
}

/// Why an answer could not be built: a bug in the sandbox (or a model it cannot fill), never
/// the client's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnswerError(pub String);

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AnswerError {}

/// What an answer is built with.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The spec whose models are followed.
    pub spec: &'a Spec,
    /// The key signed models are signed with; `None` when the request named no user.
    pub key: Option<&'a SigningKey>,
    /// The request's fields, by wire name: what a member the sandbox has no value for takes,
    /// where the names match (see [`build`]).
    pub request: &'a [(String, String)],
}

/// The JSON text of a successful answer of `model`: the envelope, then the model's members in
/// its order with the values of `members`, signed by the model's rule (a signed model without a
/// key is an error). The result is checked against the model ([`shape::check`]) before it is
/// returned.
///
/// The sandbox's handlers are written against the built-in models: for such a model, a value
/// for a member it does not declare, or a required member without a value, is a bug of the
/// sandbox and refused. A model that differs from the built-in one of its name (a member renamed
/// in the spec, a merchant's own model) is followed as declared: values for members it does not
/// declare are left out (logged), and a member without a value takes the request's value of the
/// same name, or else, if it is required, a plain value of its type (`sandbox`, `0`, `0.00`,
/// `false`, the enum's first value, `{}`, `[]`).
pub(crate) fn build(
    cx: Context<'_>,
    model: &Model,
    members: Members,
) -> Result<String, AnswerError> {
    let text = object(cx, model, members, "", 0)?;
    let written = RawObject::parse(&text)
        .map_err(|e| AnswerError(format!("the `{}` answer is not JSON: {e}", model.name)))?;
    shape::check(cx.spec, model, &written).map_err(|e| {
        AnswerError(format!(
            "the `{}` answer does not have its model's shape: {e}",
            model.name
        ))
    })?;
    Ok(text)
}

/// Whether the sandbox's handlers know `model`: it is the built-in model of its name.
fn known(model: &Model) -> bool {
    latipay_spec::builtin().model(&model.name) == Some(model)
}

/// How deep models may nest each other (they may be recursive) before filling stops.
const MAX_DEPTH: usize = 8;

/// One object of `model`, as JSON text; `path` names it in messages (`data.` for a nested one).
fn object(
    cx: Context<'_>,
    model: &Model,
    members: Members,
    path: &str,
    depth: usize,
) -> Result<String, AnswerError> {
    let fail = |what: String| AnswerError(format!("`{}` ({path}): {what}", model.name));
    if depth > MAX_DEPTH {
        return Err(fail(format!("models nest more than {MAX_DEPTH} deep")));
    }
    let strict = known(model);
    let signed = match &model.signature {
        ModelSignature::None => None,
        ModelSignature::Signed(rule) => Some((rule.clone(), false)),
        // Latipay signs it by a rule it does not document: the sandbox signs it with Rule A
        // over the model's own members, so that it carries a signature as Latipay's does.
        // Clients must not verify it (the spec says so).
        ModelSignature::Undocumented(_) => Some((SigningRule::SortedJoin, true)),
    };

    // Every given name must be declared, once, and not be the signature the model computes.
    let mut given = Vec::with_capacity(members.0.len());
    for (name, value) in members.0 {
        if given.iter().any(|(n, _)| *n == name) {
            return Err(fail(format!("the sandbox gave `{name}` twice")));
        }
        if name == SIGNATURE && signed.is_some() {
            return Err(fail(format!(
                "the sandbox gave `{SIGNATURE}`, which is computed from the model's rule"
            )));
        }
        if model.field(&name).is_none() {
            if strict {
                let declared: Vec<&str> = model.fields.iter().map(|f| f.name.as_str()).collect();
                return Err(fail(format!(
                    "the sandbox gave `{name}`, which the model does not declare (it declares: {})",
                    declared.join(", ")
                )));
            }
            tracing::warn!(model = %model.name, member = %name, "not declared by the spec's model: left out of the answer");
            continue;
        }
        given.push((name, value));
    }

    // The members in declared order, as JSON text; where the signature goes.
    let mut written: Vec<(String, String)> = Vec::new();
    if model.envelope && depth == 0 {
        let (code, message, message_cn) = SUCCESS;
        let envelope = [
            code.to_string(),
            serde_json::Value::from(message).to_string(),
            serde_json::Value::from(message_cn).to_string(),
        ];
        for (name, json) in ENVELOPE.iter().zip(envelope) {
            written.push(((*name).to_owned(), json));
        }
    }
    let mut signature_at = None;
    for field in &model.fields {
        if field.name == SIGNATURE && signed.is_some() {
            signature_at = Some(written.len());
            continue;
        }
        let value = match given.iter().position(|(n, _)| *n == field.name) {
            Some(i) => given.swap_remove(i).1,
            None if strict && field.optional => continue,
            None if strict => {
                return Err(fail(format!(
                    "the model requires `{}`, which the sandbox did not give",
                    field.name
                )));
            }
            None => match fill(cx, field, depth) {
                Some(value) => value,
                None => continue,
            },
        };
        let name = field.name.as_str();
        let member = format!("{path}{name}");
        let json = match value {
            Value::Json(raw) => {
                if raw.get() == "null" && !field.nullable {
                    return Err(fail(format!(
                        "`{name}` is null, which the model does not allow"
                    )));
                }
                raw.get().to_owned()
            }
            Value::Number(text) => {
                let is_number = serde_json::from_str::<&RawValue>(&text)
                    .is_ok_and(|n| matches!(n.get().as_bytes().first(), Some(b'-' | b'0'..=b'9')));
                if !is_number {
                    return Err(fail(format!("`{name}` is not a JSON number: `{text}`")));
                }
                text
            }
            Value::Invalid(why) => {
                return Err(fail(format!(
                    "`{name}` could not be written as JSON: {why}"
                )));
            }
            Value::Object(inner) => {
                let ModelType::Model(inner_model) = &field.ty else {
                    return Err(fail(format!(
                        "`{name}` is a `{}`, not an object of a model",
                        field.ty.name()
                    )));
                };
                let inner_model = nested(cx.spec, inner_model)?;
                object(cx, inner_model, inner, &format!("{member}."), depth + 1)?
            }
            Value::Objects(items) => {
                let ModelType::List(item) = &field.ty else {
                    return Err(fail(format!(
                        "`{name}` is a `{}`, not a list",
                        field.ty.name()
                    )));
                };
                let ModelType::Model(item_model) = &**item else {
                    return Err(fail(format!(
                        "`{name}` is a list of `{}`, not of a model",
                        item.name()
                    )));
                };
                let item_model = nested(cx.spec, item_model)?;
                let mut list = String::from("[");
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        list.push(',');
                    }
                    let at = format!("{member}[{i}].");
                    list.push_str(&object(cx, item_model, item, &at, depth + 1)?);
                }
                list.push(']');
                list
            }
        };
        written.push((name.to_owned(), json));
    }

    if let Some((rule, own_members_only)) = signed {
        let text = join(&written);
        let mut unsigned =
            RawObject::parse(&text).map_err(|e| fail(format!("not JSON before signing: {e}")))?;
        if own_members_only {
            unsigned = unsigned.without(ENVELOPE);
        }
        let key = cx
            .key
            .ok_or_else(|| fail("signed, but there is no key to sign it with".into()))?;
        let (signature, _) = inbound::sign(&rule, &unsigned, key).map_err(|e| {
            fail(format!(
                "cannot sign it by {}: {e}",
                inbound::rule_name(&rule)
            ))
        })?;
        let json = serde_json::Value::from(signature.to_hex()).to_string();
        let at = signature_at.unwrap_or(written.len());
        written.insert(at, (SIGNATURE.to_owned(), json));
    }
    Ok(join(&written))
}

/// The value of a member of a model the handlers do not know, which they gave no value for:
/// the request's value of the same name, else, when the member is required, a plain value of
/// its type. `None`: left out.
fn fill(cx: Context<'_>, field: &ModelField, depth: usize) -> Option<Value> {
    let given = cx
        .request
        .iter()
        .find(|(n, _)| *n == field.name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty());
    if given.is_none() && field.optional {
        return None;
    }
    Some(match &field.ty {
        ModelType::String => Value::text(given.unwrap_or("sandbox")),
        ModelType::Enum(values) => {
            Value::text(given.unwrap_or_else(|| values.first().map_or("sandbox", String::as_str)))
        }
        ModelType::Integer => Value::Number(
            given
                .filter(|v| v.parse::<i64>().is_ok())
                .unwrap_or("0")
                .to_owned(),
        ),
        ModelType::Boolean => Value::serialized(&(given == Some("true"))),
        ModelType::Amount | ModelType::Decimal => Value::Number(
            given
                .and_then(|v| Amount::parse(v).ok())
                .map_or_else(|| "0.00".to_owned(), |a| a.to_string()),
        ),
        ModelType::Object => Value::json("{}".to_owned()),
        ModelType::List(_) => Value::json("[]".to_owned()),
        // Filled in turn, member by member; a model nested too deep is refused there.
        ModelType::Model(_) if depth < MAX_DEPTH => Value::Object(Members::new()),
        ModelType::Model(_) => return None,
    })
}

/// The nested model called `name`.
fn nested<'s>(spec: &'s Spec, name: &str) -> Result<&'s Model, AnswerError> {
    spec.model(name)
        .ok_or_else(|| AnswerError(format!("the spec has no model `{name}`")))
}

/// `{"name":json,...}`.
fn join(members: &[(String, String)]) -> String {
    let mut out = String::from("{");
    for (i, (name, json)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(name.as_str()).to_string());
        out.push(':');
        out.push_str(json);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use latipay_spec::ApiKey;

    fn key() -> SigningKey {
        SigningKey::new(ApiKey::new("111222333"))
    }

    /// Builds an answer of the built-in `model` with the key `111222333`, for a request of
    /// nothing.
    fn b(model: &Model, members: Members) -> Result<String, AnswerError> {
        let cx = Context {
            spec: latipay_spec::builtin(),
            key: Some(&key()),
            request: &[],
        };
        build(cx, model, members)
    }

    fn model(name: &str) -> &'static Model {
        latipay_spec::builtin().model(name).unwrap()
    }

    #[test]
    fn query_answer_is_in_model_order_and_verifies_by_rule_b() {
        let spec = latipay_spec::builtin();
        let members = Members::new()
            .text("status", "paid")
            .text("merchant_reference", "6000324")
            .text("payment_method", "alipay")
            .text("currency", "NZD")
            .number("amount", "120.00")
            .null("amount_cny")
            .number("rate", "0.00000")
            .null("pay_time");
        let text = b(model("query"), members).unwrap();
        assert!(
            text.starts_with(
                r#"{"code":0,"message":"SUCCESS","messageCN":"操作成功","merchant_reference":"6000324","currency":"NZD","amount":120.00,"amount_cny":null,"rate":0.00000,"payment_method":"alipay","status":"paid","pay_time":null,"signature":"3149d48405bf8782b8b4ae816a91744c5eb6d4a0293f8bb9bc8f0d9f29fdfb40"}"#
            ),
            "{text}"
        );
        let object = RawObject::parse(&text).unwrap();
        let verified = inbound::verify_model(spec, model("query"), &object, &key()).unwrap();
        assert_eq!(verified[0].message, "6000324alipaypaidNZD120.00");
    }

    #[test]
    fn undeclared_missing_null_and_computed_members_are_refused() {
        let barcode = model("barcode");
        let err = b(barcode, Members::new().text("order_ref", "1")).unwrap_err();
        assert!(err.0.contains("does not declare"), "{err}");
        let err = b(barcode, Members::new()).unwrap_err();
        assert!(err.0.contains("requires `order_id`"), "{err}");
        let err = b(barcode, Members::new().null("order_id")).unwrap_err();
        assert!(err.0.contains("null"), "{err}");
        let twice = Members::new().text("order_id", "1").text("order_id", "2");
        assert!(b(barcode, twice).is_err());
        let tx = Members::new()
            .text("host_url", "https://h")
            .text("nonce", "n")
            .text("signature", "00");
        let err = b(model("transaction"), tx).unwrap_err();
        assert!(err.0.contains("computed"), "{err}");
        let right = Members::new().text("order_id", "1");
        assert!(b(barcode, right).is_ok());
        let not_a_number = Members::new()
            .text("merchant_reference", "m")
            .text("payment_method", "alipay")
            .text("status", "paid")
            .text("currency", "NZD")
            .number("amount", "12,00");
        assert!(b(model("query"), not_a_number).is_err());
    }

    #[test]
    fn a_signed_member_left_out_is_refused_not_sent_unsigned() {
        // Rule C needs host_url; an empty one cannot be signed.
        let tx = Members::new().text("host_url", "").text("nonce", "n");
        let err = b(model("transaction"), tx).unwrap_err();
        assert!(err.0.contains("cannot sign"), "{err}");
    }

    #[test]
    fn nested_signed_models_are_signed_by_their_own_rule() {
        let spec = latipay_spec::builtin();
        let data = Members::new()
            .text("order_id", "1")
            .text("nonce", "n")
            .text("payment_method", "wechat")
            .number("amount", "0.01")
            .null("amount_cny")
            .text("currency", "NZD")
            .text("product_name", "p")
            .number("organisation_id", "21")
            .text("merchant_reference", "m")
            .text("user_id", "U1")
            .text("wallet_id", "W1")
            .text("qr_code", "data:image/png;base64,AA==")
            .text("qr_code_url", "weixin://wxpay/bizpayurl?pr=1");
        let text = b(model("gatewaydata"), Members::new().object("data", data)).unwrap();
        let object = RawObject::parse(&text).unwrap();
        let verified = inbound::verify_model(spec, model("gatewaydata"), &object, &key()).unwrap();
        assert_eq!(verified.len(), 1);
        assert!(verified[0].message.starts_with("amount=0.01&currency=NZD&"));
        assert!(shape::undeclared(model("gatewaydata"), &object).is_empty());
    }
}
