//! Signing from the spec at run time, from name=value texts: what the CLI and the sandbox use, and
//! the reference the derive is tested against. Same canonical texts, same writer, same signer.

use std::fmt;

use crate::error::did_you_mean;
use crate::model::{Endpoint, Field, FieldType, Source, group_text};
use crate::request::{HttpRequest, JsonKind, RequestWriter};
use crate::sign::{MaskedMessage, RuleKind, Signature, Signer, SigningKey};
use crate::value::{ValueError, check_positive, normalise};

/// A request signed from the spec.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    /// The signature; `None` for an endpoint Latipay takes unsigned.
    pub signature: Option<Signature>,
    /// The canonical message, api_key masked (empty when unsigned).
    pub message: String,
    /// The HTTP request carrying it.
    pub request: HttpRequest,
    /// Fields that are sent but not signed (minialipay's `payment_method`).
    pub unsigned: Vec<String>,
}

/// Everything wrong with the fields given to the dynamic signer, all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DynamicError {
    /// Names the endpoint does not have, each with a suggestion if one is close.
    pub unknown: Vec<(String, Option<String>)>,
    /// Names given more than once.
    pub duplicate: Vec<String>,
    /// Required fields with no value.
    pub missing: Vec<String>,
    /// Values their type does not accept, and zero amounts the spec declares `positive`.
    pub invalid: Vec<(String, ValueError)>,
    /// The endpoint's `one_of` groups of which no field was given.
    pub none_of: Vec<Vec<String>>,
}

impl DynamicError {
    fn is_empty(&self) -> bool {
        self.unknown.is_empty()
            && self.duplicate.is_empty()
            && self.missing.is_empty()
            && self.invalid.is_empty()
            && self.none_of.is_empty()
    }
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = Vec::new();
        for (name, hint) in &self.unknown {
            lines.push(match hint {
                Some(h) => format!("unknown field `{name}`; did you mean `{h}`?"),
                None => format!("unknown field `{name}`"),
            });
        }
        for name in &self.duplicate {
            lines.push(format!("field `{name}` is given more than once"));
        }
        if !self.missing.is_empty() {
            let names: Vec<String> = self.missing.iter().map(|n| format!("`{n}`")).collect();
            lines.push(format!(
                "missing required field{}: {}",
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ));
        }
        for group in &self.none_of {
            lines.push(format!(
                "missing {}: give at least one of them",
                group_text(group)
            ));
        }
        for (name, e) in &self.invalid {
            lines.push(format!("field `{name}`: {e}"));
        }
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for DynamicError {}

/// How a field's type is written in JSON.
pub fn json_kind(ty: &FieldType) -> JsonKind {
    match ty {
        FieldType::Integer => JsonKind::Number,
        FieldType::Boolean => JsonKind::Bool,
        _ => JsonKind::String,
    }
}

impl Endpoint {
    /// Signs a request from wire-name/value pairs. Credentials fill `user_id` and `wallet_id` and
    /// spec constants are filled in unless the pairs give them; amounts are normalised to two
    /// decimals, the same text being signed and sent. Refused, with every problem at once: an
    /// unknown or repeated name, a required field without a value, a value its type does not
    /// accept, a zero amount where the spec says `positive`, a `one_of` group none of whose
    /// fields has a value.
    pub fn sign_dynamic(
        &self,
        key: &SigningKey,
        user_id: &str,
        wallet_id: &str,
        pairs: &[(String, String)],
    ) -> Result<SignedRequest, DynamicError> {
        let mut err = DynamicError::default();
        for (i, (name, _)) in pairs.iter().enumerate() {
            if self.field(name).is_none() {
                let hint = did_you_mean(name, self.fields.iter().map(|f| f.name.as_str()));
                err.unknown.push((name.clone(), hint.map(str::to_owned)));
            } else if pairs[..i].iter().any(|(n, _)| n == name) && !err.duplicate.contains(name) {
                err.duplicate.push(name.clone());
            }
        }
        // Resolve each field to its canonical text, in spec order.
        let mut values: Vec<(&Field, String)> = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let given = pairs
                .iter()
                .find(|(n, _)| *n == field.name)
                .map(|(_, v)| v.as_str());
            let raw = match (given, &field.source) {
                (Some(v), _) if !v.is_empty() => v,
                (_, Source::Credentials) if field.name == "user_id" => user_id,
                (_, Source::Credentials) if field.name == "wallet_id" => wallet_id,
                (_, Source::Const(c)) => c.as_str(),
                _ => "",
            };
            if raw.is_empty() {
                if !field.optional {
                    err.missing.push(field.name.clone());
                }
                continue;
            }
            match normalise(&field.ty, raw) {
                Ok(text) => match check_positive(&text) {
                    Err(e) if field.positive => err.invalid.push((field.name.clone(), e)),
                    _ => values.push((field, text.into_owned())),
                },
                Err(e) => err.invalid.push((field.name.clone(), e)),
            }
        }
        err.none_of = self
            .unmet_groups(|name| values.iter().any(|(f, _)| f.name == name))
            .into_iter()
            .map(<[String]>::to_vec)
            .collect();
        if !err.is_empty() {
            return Err(err);
        }
        let text_of = |name: &str| {
            values
                .iter()
                .find(|(f, _)| f.name == name)
                .map(|(_, v)| v.as_str())
        };
        let (signature, message) = match &self.signing {
            Some(rule) => {
                let rule = RuleKind::from(rule);
                let mut signer = Signer::new(key, rule);
                let mut message = MaskedMessage::new(rule);
                for field in self.signed_fields() {
                    let v = text_of(&field.name).unwrap_or("");
                    signer.field(&field.name, v);
                    message.field(&field.name, v);
                }
                (Some(signer.finish()), message.finish())
            }
            None => (None, String::new()),
        };
        let mut writer = RequestWriter::new(self.method, &self.path, self.signature_in);
        for field in self.sent_fields() {
            if let Some(v) = text_of(&field.name) {
                writer.field(&field.name, field.location, json_kind(&field.ty), v);
            }
        }
        Ok(SignedRequest {
            signature,
            message,
            request: writer.finish(signature.as_ref()),
            unsigned: self
                .fields
                .iter()
                .filter(|f| !f.signed)
                .map(|f| f.name.clone())
                .collect(),
        })
    }
}
