//! Verifying what Latipay sends: the one implementation of each signature rule on the receiving
//! side, used by the runtime (answers, notifications, redirects), the CLI and the sandbox, so
//! that all of them accept and refuse exactly the same texts.
//!
//! Values are used exactly as received: a form value only percent-decoded, a JSON string's
//! content, a JSON number's raw text. For every rule, a member that is absent, `null` or empty
//! counts as not given: a concatenation rule (Rule B, Rule C) refuses the message, naming it; the
//! sorted join (Rule A over an object) skips it, as Latipay's signer does. Nothing is trimmed: a
//! value of spaces is a value.

use std::fmt;

pub use crate::form::FormPairs;
pub use crate::json::{JsonError, RawObject, kind_of, text_of};
use crate::model::{Endpoint, Model, ModelSignature, ModelType, SigningRule, Spec};
use crate::sign::{MaskedMessage, RuleKind, Signature, Signer, SigningKey};

/// The name of the member or parameter that carries the signature.
pub const SIGNATURE: &str = "signature";

/// Why an inbound message or answer cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundError {
    /// The body is not `application/x-www-form-urlencoded` text (it says why).
    NotForm(String),
    /// The text is not a JSON object (it says why).
    BadJson(String),
    /// The message has no signature rule to verify it by.
    Unsigned(String),
    /// An answer reporting a failure (`code` is not 0): Latipay does not sign those.
    NotSuccess {
        /// The `code` member as received.
        code: String,
        /// The `message` member, if any.
        message: String,
    },
    /// Members the signature rule needs, or `signature` itself, are absent, null or empty.
    Missing(Vec<String>),
    /// Signed members (or `signature`) appear more than once, so what was signed is ambiguous.
    Duplicate(Vec<String>),
    /// A nested object that carries a signature is not an object.
    NotObject(String),
    /// The signature does not match.
    Mismatch {
        /// Which rule: `Rule B (merchant_reference + payment_method + ...)`, `Rule A`, ...
        rule: String,
        /// The text that should have been signed, from the values received (`***` where the
        /// rule appends the api_key; the key itself is never shown).
        expected_message: String,
    },
}

impl fmt::Display for InboundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |names: &[String]| if names.len() == 1 { "" } else { "s" };
        match self {
            InboundError::NotForm(why) => write!(f, "not a form-encoded body: {why}"),
            InboundError::BadJson(why) => write!(f, "not a JSON object: {why}"),
            InboundError::Unsigned(what) => write!(f, "{what} is not signed by Latipay"),
            InboundError::NotSuccess { code, message } => write!(
                f,
                "the answer reports failure (code {code}: {message}); failures are not signed"
            ),
            InboundError::Missing(names) => {
                write!(f, "missing field{}: {}", plural(names), quoted(names))
            }
            InboundError::Duplicate(names) => write!(
                f,
                "field{} given more than once: {}",
                plural(names),
                quoted(names)
            ),
            InboundError::NotObject(name) => {
                write!(f, "`{name}` carries a signature but is not an object")
            }
            InboundError::Mismatch {
                rule,
                expected_message,
            } => write!(
                f,
                "invalid signature ({rule}); the signed message should be: {expected_message}"
            ),
        }
    }
}

impl std::error::Error for InboundError {}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A successful verification: the message that was signed, for logs and `--explain`-style output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The canonical message (`***` where the rule appends the api_key).
    pub message: String,
}

/// What a rule reads: the members of something Latipay sent, in the order received, each with
/// its text (`None` for `null`, a nested object or an array).
pub trait Received {
    /// Calls `member` with each member in the order received, duplicates included.
    fn each(&self, member: &mut dyn FnMut(&str, Option<&str>));
}

impl Received for RawObject {
    fn each(&self, member: &mut dyn FnMut(&str, Option<&str>)) {
        for (name, raw) in self.members() {
            member(name, text_of(raw).as_deref());
        }
    }
}

impl Received for FormPairs<'_> {
    fn each(&self, member: &mut dyn FnMut(&str, Option<&str>)) {
        for (name, value) in self.pairs() {
            member(&name, Some(&value));
        }
    }
}

/// Plain pairs, such as a message about to be signed.
impl Received for [(String, String)] {
    fn each(&self, member: &mut dyn FnMut(&str, Option<&str>)) {
        for (name, value) in self {
            member(name, Some(value));
        }
    }
}

/// How a rule is named in messages.
pub fn rule_name(rule: &SigningRule) -> String {
    match rule {
        SigningRule::SortedJoin => {
            "Rule A: name=value of every member but `signature`, sorted, joined by &, then the api_key".to_owned()
        }
        SigningRule::Concat { fields, append_key } => format!(
            "{}: {}{}",
            match fields.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                ["nonce", "host_url"] => "Rule C",
                _ => "Rule B",
            },
            fields.join(" + "),
            if *append_key { " + api_key" } else { "" }
        ),
    }
}

/// The `(name, value)` pairs a rule signs, in signing order, from what was received; every name
/// the rule needs but lacks (and `signature`, when `with_signature`) is the error.
fn signed_pairs<R: Received + ?Sized>(
    rule: &SigningRule,
    received: &R,
    with_signature: bool,
) -> Result<(Vec<(String, String)>, Option<String>), InboundError> {
    let mut all: Vec<(String, Option<String>)> = Vec::new();
    received.each(&mut |name, value| all.push((name.to_owned(), value.map(str::to_owned))));
    let count = |name: &str| all.iter().filter(|(n, _)| n == name).count();
    let given = |name: &str| {
        all.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let mut needed: Vec<String> = match rule {
        SigningRule::Concat { fields, .. } => fields.clone(),
        SigningRule::SortedJoin => {
            let mut names: Vec<String> = all
                .iter()
                .filter(|(n, v)| n != SIGNATURE && v.as_deref().is_some_and(|v| !v.is_empty()))
                .map(|(n, _)| n.clone())
                .collect();
            names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            names.dedup();
            names
        }
    };
    if with_signature {
        needed.push(SIGNATURE.to_owned());
    }
    let duplicates: Vec<String> = needed.iter().filter(|n| count(n) > 1).cloned().collect();
    if !duplicates.is_empty() {
        return Err(InboundError::Duplicate(duplicates));
    }
    let missing: Vec<String> = needed.iter().filter(|n| given(n).is_none()).cloned().collect();
    if !missing.is_empty() {
        return Err(InboundError::Missing(missing));
    }
    let signature = with_signature.then(|| needed.pop().and_then(|n| given(&n))).flatten();
    let pairs = needed
        .into_iter()
        .map(|n| {
            let v = given(&n).unwrap_or_default();
            (n, v)
        })
        .collect();
    Ok((pairs, signature))
}

fn sign_pairs(rule: &SigningRule, key: &SigningKey, pairs: &[(String, String)]) -> (Signature, String) {
    let kind = RuleKind::from(rule);
    let mut signer = Signer::new(key, kind);
    let mut message = MaskedMessage::new(kind);
    for (name, value) in pairs {
        signer.field(name, value);
        message.field(name, value);
    }
    (signer.finish(), message.finish())
}

/// Verifies what was received by `rule`, in constant time; the message that was signed, or why
/// not.
pub fn verify<R: Received + ?Sized>(
    rule: &SigningRule,
    received: &R,
    key: &SigningKey,
) -> Result<Verified, InboundError> {
    let (pairs, signature) = signed_pairs(rule, received, true)?;
    let (expected, message) = sign_pairs(rule, key, &pairs);
    if expected.matches_hex(signature.as_deref().unwrap_or_default()) {
        Ok(Verified { message })
    } else {
        Err(InboundError::Mismatch {
            rule: rule_name(rule),
            expected_message: message,
        })
    }
}

/// Signs what is about to be sent by `rule`, as Latipay does (the sandbox's answers and
/// notifications): the signature and the masked message. A member the rule needs but the
/// message lacks is the error.
pub fn sign<R: Received + ?Sized>(
    rule: &SigningRule,
    received: &R,
    key: &SigningKey,
) -> Result<(Signature, String), InboundError> {
    let (pairs, _) = signed_pairs(rule, received, false)?;
    Ok(sign_pairs(rule, key, &pairs))
}

/// Verifies an object by its model's signature, then every nested object whose model is signed,
/// as the spec declares them: what the CLI and the sandbox use, and what the runtime's generated
/// types do for the built-in models. The messages verified, outermost first.
pub fn verify_model(
    spec: &Spec,
    model: &Model,
    object: &RawObject,
    key: &SigningKey,
) -> Result<Vec<Verified>, InboundError> {
    let mut verified = Vec::new();
    if let ModelSignature::Signed(rule) = &model.signature {
        verified.push(verify(rule, object, key)?);
    }
    for field in &model.fields {
        let Some(inner) = nested_model(&field.ty).and_then(|n| spec.model(n)) else {
            continue;
        };
        let raw = object.get(&field.name);
        let null = raw.is_some_and(|raw| raw.get().starts_with('n'));
        let Some(raw) = raw.filter(|_| !null) else {
            // A signed object the model requires is refused when it is absent or null (where the
            // model does not allow that), like any signed member: otherwise nothing would be
            // verified and the caller told nothing.
            let allowed = if null { field.nullable } else { field.optional };
            if !allowed && carries_signature(spec, inner) {
                return Err(InboundError::Missing(vec![field.name.clone()]));
            }
            continue;
        };
        let items: Vec<RawObject> = match &field.ty {
            ModelType::Model(_) => vec![
                RawObject::parse(raw.get())
                    .map_err(|_| InboundError::NotObject(field.name.clone()))?,
            ],
            _ => serde_json::from_str(raw.get())
                .map_err(|_| InboundError::NotObject(field.name.clone()))?,
        };
        for item in &items {
            verified.extend(verify_model(spec, inner, item, key)?);
        }
    }
    Ok(verified)
}

/// Whether `model`, or a model nested in it at any depth, is signed.
fn carries_signature(spec: &Spec, model: &Model) -> bool {
    // Models may nest each other: each is looked at once.
    let mut seen = vec![model.name.as_str()];
    let mut todo = vec![model];
    while let Some(m) = todo.pop() {
        if matches!(m.signature, ModelSignature::Signed(_)) {
            return true;
        }
        for f in &m.fields {
            if let Some(inner) = nested_model(&f.ty).and_then(|n| spec.model(n))
                && !seen.contains(&inner.name.as_str())
            {
                seen.push(&inner.name);
                todo.push(inner);
            }
        }
    }
    false
}

/// The model a member holds, directly or as the items of a list.
fn nested_model(ty: &ModelType) -> Option<&str> {
    match ty {
        ModelType::Model(name) => Some(name),
        ModelType::List(item) => nested_model(item),
        _ => None,
    }
}

/// Verifies an endpoint's answer (its raw JSON text) by its model. An answer whose `code` is not
/// 0 is [`InboundError::NotSuccess`]; an unsigned model is [`InboundError::Unsigned`].
pub fn verify_response(
    spec: &Spec,
    endpoint: &Endpoint,
    key: &SigningKey,
    json: &str,
) -> Result<Verified, InboundError> {
    let object = RawObject::parse(json).map_err(|e| InboundError::BadJson(e.0))?;
    if let Some(code) = object.text("code").filter(|c| c != "0") {
        return Err(InboundError::NotSuccess {
            code: code.into_owned(),
            message: object.text("message").unwrap_or_default().into_owned(),
        });
    }
    let unsigned = || InboundError::Unsigned(format!("the `{}` answer", endpoint.name));
    let model = spec.response_model(endpoint).ok_or_else(unsigned)?;
    let mut verified = verify_model(spec, model, &object, key)?;
    if verified.is_empty() {
        return Err(unsigned());
    }
    Ok(verified.remove(0))
}
