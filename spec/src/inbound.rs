//! Verifying what Latipay sends: the one implementation of each signature rule on the receiving
//! side, used by the runtime (answers, notifications, redirects), the CLI and the sandbox, so
//! that all of them accept and refuse exactly the same texts.
//!
//! Values are used exactly as received: a form value only percent-decoded, a JSON string's
//! content, a JSON number's raw text. For every rule, a member that is absent, `null` or empty
//! counts as not given: a concatenation rule (Rule B, Rule C) refuses the message, naming it; the
//! sorted join (Rule A over an object) skips it, as Latipay's signer does. Nothing is trimmed: a
//! value of spaces is a value.

use std::borrow::Cow;
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

/// What a rule reads: the members of something Latipay sent, in the order received.
pub trait Received {
    /// Calls `member` with each member's name, in the order received, duplicates included, and
    /// whether its value is given (neither `null`, a nested object or array, nor empty).
    fn each(&self, member: &mut dyn FnMut(&str, bool));

    /// Calls `member` with the name and the text of the member at `index` (in the order of
    /// [`Received::each`]) when it has a text.
    fn at(&self, index: usize, member: &mut dyn FnMut(&str, &str));
}

impl Received for RawObject<'_> {
    fn each(&self, member: &mut dyn FnMut(&str, bool)) {
        for (name, raw) in self.members() {
            // Given without decoding: a string that is not `""`, a number, `true` or `false`.
            let given = match raw.get().as_bytes().first() {
                Some(b'"') => raw.get() != "\"\"",
                Some(b'{' | b'[' | b'n') | None => false,
                Some(_) => true,
            };
            member(name, given);
        }
    }

    fn at(&self, index: usize, member: &mut dyn FnMut(&str, &str)) {
        if let Some((name, raw)) = self.members().nth(index)
            && let Some(text) = text_of(raw)
        {
            member(name, &text);
        }
    }
}

impl Received for FormPairs<'_> {
    fn each(&self, member: &mut dyn FnMut(&str, bool)) {
        for part in self.raw_parts() {
            member(&part.name(), !part.value_is_empty());
        }
    }

    fn at(&self, index: usize, member: &mut dyn FnMut(&str, &str)) {
        if let Some(part) = self.raw_parts().get(index) {
            member(&part.name(), &part.value());
        }
    }
}

/// Plain pairs, such as a message about to be signed.
impl Received for [(String, String)] {
    fn each(&self, member: &mut dyn FnMut(&str, bool)) {
        for (name, value) in self {
            member(name, !value.is_empty());
        }
    }

    fn at(&self, index: usize, member: &mut dyn FnMut(&str, &str)) {
        if let Some((name, value)) = self.get(index) {
            member(name, value);
        }
    }
}

/// How a rule is named in messages.
pub fn rule_name(rule: &SigningRule) -> String {
    match rule {
        SigningRule::SortedJoin => {
            "Rule A: name=value of every member but `signature`, sorted, joined by &, then the api_key".to_owned()
        }
        // Which of Latipay's rules this is (B, C) is the spec's business, not this code's: the
        // fields say it.
        SigningRule::Concat { fields, append_key } => format!(
            "concatenation: {}{}",
            fields.join(" + "),
            if *append_key { " + api_key" } else { "" }
        ),
    }
}

/// The names a rule signs, in signing order, once what was received is known to have each of them
/// (and `signature`, when `with_signature`) exactly once and not empty: for a concatenation the
/// rule's own list, for the sorted join the received members' names, sorted.
fn signed_names<'r, R: Received + ?Sized>(
    rule: &'r SigningRule,
    received: &R,
    with_signature: bool,
) -> Result<Signed<'r>, InboundError> {
    let names: Cow<'r, [String]> = match rule {
        SigningRule::Concat { fields, .. } => Cow::Borrowed(fields),
        SigningRule::SortedJoin => {
            let mut names = Vec::new();
            received.each(&mut |name, given| {
                if name != SIGNATURE && given {
                    names.push(name.to_owned());
                }
            });
            names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            names.dedup();
            Cow::Owned(names)
        }
    };
    // For each name (and `signature` last): how often it came, and whether its first value is
    // given. Duplicates are refused before missing values: which copy was signed is unknowable.
    let needed = names.len() + usize::from(with_signature);
    let name_at = |i: usize| names.get(i).map_or(SIGNATURE, String::as_str);
    // Per name: how often it came, whether its first value is given, and where that one is.
    let mut seen = vec![(0u32, false, 0usize); needed];
    let mut index = 0;
    received.each(&mut |name, value_given| {
        if let Some(i) = (0..needed).find(|&i| same_name(name_at(i), name)) {
            let (count, given, at) = &mut seen[i];
            if *count == 0 {
                *given = value_given;
                *at = index;
            }
            *count += 1;
        }
        index += 1;
    });
    let listed = |keep: fn(&(u32, bool, usize)) -> bool| -> Vec<String> {
        (0..needed)
            .filter(|&i| keep(&seen[i]))
            .map(|i| name_at(i).to_owned())
            .collect()
    };
    let duplicates = listed(|(count, _, _)| *count > 1);
    if !duplicates.is_empty() {
        return Err(InboundError::Duplicate(duplicates));
    }
    let missing = listed(|(_, given, _)| !*given);
    if !missing.is_empty() {
        return Err(InboundError::Missing(missing));
    }
    Ok(Signed { names, seen })
}

/// `a == b` for member names, the first bytes compared before the rest: most names a message
/// carries have the length of one the rule needs (`status` and `amount`), not its first letter.
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// The names a rule signs, in signing order, and where each one's value is among what was
/// received (then `signature`'s, when it was asked for).
struct Signed<'r> {
    names: Cow<'r, [String]>,
    /// Per name: how often it came, whether given, and where its value is.
    seen: Vec<(u32, bool, usize)>,
}

impl Signed<'_> {
    /// Where each signed value is, in signing order (then `signature`'s, when asked for).
    fn at(&self) -> impl Iterator<Item = usize> + '_ {
        self.seen.iter().map(|&(_, _, at)| at)
    }
}

/// Hands each signed value, in signing order, to `sink`: the one reading of a message's signed
/// values, for the signature and for the masked message alike.
fn each_signed<R: Received + ?Sized>(
    signed: &Signed<'_>,
    received: &R,
    mut sink: impl FnMut(&str, &str),
) {
    for at in signed.at().take(signed.names.len()) {
        received.at(at, &mut |name, value| sink(name, value));
    }
}

fn sign_names<R: Received + ?Sized>(
    rule: &SigningRule,
    key: &SigningKey,
    signed: &Signed<'_>,
    received: &R,
) -> Signature {
    let mut signer = Signer::new(key, RuleKind::from(rule));
    each_signed(signed, received, |name, value| signer.field(name, value));
    signer.finish()
}

fn masked_message<R: Received + ?Sized>(
    rule: &SigningRule,
    signed: &Signed<'_>,
    received: &R,
) -> String {
    let mut message = MaskedMessage::new(RuleKind::from(rule));
    each_signed(signed, received, |name, value| message.field(name, value));
    message.finish()
}

/// Verifies what was received by `rule`, in constant time; the message that was signed, or why
/// not.
pub fn verify<R: Received + ?Sized>(
    rule: &SigningRule,
    received: &R,
    key: &SigningKey,
) -> Result<Verified, InboundError> {
    let signed = checked(rule, received, key)?;
    Ok(Verified {
        message: masked_message(rule, &signed, received),
    })
}

/// [`verify`] without writing out the message that was signed, which only a mismatch needs: what
/// the runtime does with every notification.
pub fn check<R: Received + ?Sized>(
    rule: &SigningRule,
    received: &R,
    key: &SigningKey,
) -> Result<(), InboundError> {
    checked(rule, received, key).map(drop)
}

/// The names signed, once the signature received matches them.
fn checked<'r, R: Received + ?Sized>(
    rule: &'r SigningRule,
    received: &R,
    key: &SigningKey,
) -> Result<Signed<'r>, InboundError> {
    let signed = signed_names(rule, received, true)?;
    let expected = sign_names(rule, key, &signed, received);
    let mut matches = false;
    if let Some(at) = signed.at().last() {
        received.at(at, &mut |_, value| matches = expected.matches_hex(value));
    }
    if matches {
        Ok(signed)
    } else {
        Err(InboundError::Mismatch {
            rule: rule_name(rule),
            expected_message: masked_message(rule, &signed, received),
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
    let signed = signed_names(rule, received, false)?;
    Ok((
        sign_names(rule, key, &signed, received),
        masked_message(rule, &signed, received),
    ))
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
        let Some(inner) = field.ty.nested_model().and_then(|n| spec.model(n)) else {
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
            if let Some(inner) = f.ty.nested_model().and_then(|n| spec.model(n))
                && !seen.contains(&inner.name.as_str())
            {
                seen.push(&inner.name);
                todo.push(inner);
            }
        }
    }
    false
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

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;
    use crate::sign::ApiKey;

    const KEY: &str = "111222333";

    fn key() -> SigningKey {
        SigningKey::new(ApiKey::new(KEY))
    }

    fn rule_b() -> SigningRule {
        crate::builtin()
            .inbound("notification")
            .unwrap()
            .signature
            .clone()
    }

    const RULE_A: &str =
        "Rule A: name=value of every member but `signature`, sorted, joined by &, then the api_key";
    const RULE_B: &str =
        "concatenation: merchant_reference + payment_method + status + currency + amount";
    const RULE_C: &str = "concatenation: nonce + host_url";

    /// Every error's text, checked to keep the api_key out.
    fn shown(e: &InboundError) -> String {
        let text = e.to_string();
        assert!(!text.contains(KEY), "the api_key is shown: {text}");
        assert!(
            !format!("{e:?}").contains(KEY),
            "the api_key is shown: {e:?}"
        );
        text
    }

    fn form(body: &str) -> FormPairs<'_> {
        FormPairs::parse(body.as_bytes()).unwrap()
    }

    fn object(json: &str) -> RawObject<'_> {
        RawObject::parse(json).unwrap()
    }

    const NOTIFICATION: &str = "merchant_reference=dsi39ej430sks03&order_id=2017232323345678&currency=NZD&amount=120.00&payment_method=alipay&status=paid&pay_time=2017-07-07+10%3A53%3A50&amount_cny=556.48&rate=4.63733&transaction_id=4200000001&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";

    // --- The notification and the redirect (Rule B over a form) --------------------------------

    #[test]
    fn notification_doc_vector_verifies_and_keeps_unknown_fields() {
        let inbound = crate::builtin().inbound("notification").unwrap();
        let form = form(NOTIFICATION);
        let ok = form.verify(inbound, &key()).unwrap();
        assert_eq!(ok.message, "dsi39ej430sks03alipaypaidNZD120.00");
        assert_eq!(form.get("pay_time").as_deref(), Some("2017-07-07 10:53:50"));
        assert_eq!(form.get("transaction_id").as_deref(), Some("4200000001"));
        assert_eq!(form.pairs().count(), 11);
        // Upper-case hex is accepted too.
        let upper = NOTIFICATION.replace("840151e0dc", "840151E0DC");
        assert!(
            FormPairs::parse(upper.as_bytes())
                .unwrap()
                .verify(inbound, &key())
                .is_ok()
        );
    }

    #[test]
    fn tampered_notification_shows_the_rule_and_the_expected_message_not_the_key() {
        let inbound = crate::builtin().inbound("notification").unwrap();
        let body = NOTIFICATION.replace("amount=120.00", "amount=120");
        let err = form(&body).verify(inbound, &key()).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                rule: RULE_B.into(),
                expected_message: "dsi39ej430sks03alipaypaidNZD120".into()
            }
        );
        assert_eq!(
            shown(&err),
            format!(
                "invalid signature ({RULE_B}); the signed message should be: dsi39ej430sks03alipaypaidNZD120"
            )
        );
        // Unsigned fields may change freely: they are untrusted, not verified.
        let body = NOTIFICATION.replace("order_id=2017", "order_id=9999");
        assert!(form(&body).verify(inbound, &key()).is_ok());
    }

    #[test]
    fn missing_duplicate_and_malformed_forms_are_typed() {
        let inbound = crate::builtin().inbound("notification").unwrap();
        let err = form("merchant_reference=x&status=paid")
            .verify(inbound, &key())
            .unwrap_err();
        assert_eq!(
            err,
            InboundError::Missing(vec![
                "payment_method".into(),
                "currency".into(),
                "amount".into(),
                "signature".into()
            ])
        );
        assert_eq!(
            shown(&err),
            "missing fields: `payment_method`, `currency`, `amount`, `signature`"
        );
        let body = format!("{NOTIFICATION}&status=failed");
        let err = form(&body).verify(inbound, &key()).unwrap_err();
        assert_eq!(err, InboundError::Duplicate(vec!["status".into()]));
        assert_eq!(shown(&err), "field given more than once: `status`");
        for bad in [&b"{\"a\":1}"[..], b"a=%FF"] {
            let err = FormPairs::parse(bad).unwrap_err();
            assert!(matches!(err, InboundError::NotForm(_)), "{err}");
        }
        // Text that is not `name=value` pairs reads as one name without a value: nothing signed
        // is there.
        let err = form("just text").verify(inbound, &key()).unwrap_err();
        assert_eq!(
            err,
            InboundError::Missing(
                [
                    "merchant_reference",
                    "payment_method",
                    "status",
                    "currency",
                    "amount",
                    SIGNATURE
                ]
                .map(String::from)
                .into()
            )
        );
    }

    #[test]
    fn redirect_accepts_a_pasted_url() {
        let inbound = crate::builtin().inbound("redirect").unwrap();
        let url = "https://merchantsite.com/checkout?merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1#top";
        let form = FormPairs::parse_query(url).unwrap();
        assert_eq!(
            form.verify(inbound, &key()).unwrap().message,
            "dsi39ej430sks03alipaypaidNZD120.00"
        );
    }

    // --- Answers (by their models) --------------------------------------------------------------

    #[test]
    fn query_response_doc_vector_keeps_the_raw_amount() {
        let spec = crate::builtin();
        let query = spec.endpoint("query").unwrap();
        let json = r#"{"code":0,"message":"SUCCESS","messageCN":"操作成功","merchant_reference":"6000324","currency":"NZD","amount":120.00,"amount_cny":556.48,"rate":4.63733,"payment_method":"alipay","status":"paid","pay_time":"2017-07-07 10:53:50","order_id":"2017232323345678","transaction_id":"4200000001","signature":"3149d48405bf8782b8b4ae816a91744c5eb6d4a0293f8bb9bc8f0d9f29fdfb40"}"#;
        let ok = verify_response(spec, query, &key(), json).unwrap();
        assert_eq!(ok.message, "6000324alipaypaidNZD120.00");
        assert_eq!(object(json).text("amount").as_deref(), Some("120.00"));
        // The same amount written as 120 is a different signed text.
        let err = verify_response(spec, query, &key(), &json.replace("120.00", "120")).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                rule: RULE_B.into(),
                expected_message: "6000324alipaypaidNZD120".into()
            }
        );
        shown(&err);
        // An amount sent as a string is verified by its content.
        let quoted = json.replace("120.00,", "\"120.00\",");
        assert!(verify_response(spec, query, &key(), &quoted).is_ok());
    }

    #[test]
    fn transaction_response_by_rule_c() {
        let spec = crate::builtin();
        let tx = spec.endpoint("transaction").unwrap();
        let ModelSignature::Signed(rule) = &spec.response_model(tx).unwrap().signature else {
            panic!("the transaction answer is signed");
        };
        let sig = key().sign_message(b"abc123https://pay.latipay.net/pay");
        let pairs = [
            (
                "host_url".to_owned(),
                "https://pay.latipay.net/pay".to_owned(),
            ),
            ("nonce".to_owned(), "abc123".to_owned()),
        ];
        assert_eq!(
            sign(rule, &pairs[..], &key()).unwrap(),
            (sig, "abc123https://pay.latipay.net/pay".to_owned())
        );
        let json = format!(
            r#"{{"code":0,"message":"SUCCESS","host_url":"https://pay.latipay.net/pay","nonce":"abc123","signature":"{}"}}"#,
            sig.to_hex()
        );
        assert_eq!(
            verify_response(spec, tx, &key(), &json).unwrap().message,
            "abc123https://pay.latipay.net/pay"
        );
        let err = verify_response(spec, tx, &key(), &json.replace("abc123", "abc124")).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                rule: RULE_C.into(),
                expected_message: "abc124https://pay.latipay.net/pay".into()
            }
        );
        shown(&err);
        // Signing names what it lacks.
        assert_eq!(
            sign(rule, &pairs[..1], &key()).unwrap_err(),
            InboundError::Missing(vec!["nonce".into()])
        );
    }

    #[test]
    fn failures_unsigned_answers_and_bad_json_are_typed() {
        let spec = crate::builtin();
        let tx = spec.endpoint("transaction").unwrap();
        let err = verify_response(
            spec,
            tx,
            &key(),
            include_str!("../../tests/fixtures/responses/error_206.json"),
        )
        .unwrap_err();
        assert_eq!(
            err,
            InboundError::NotSuccess {
                code: "206".into(),
                message: "signature from merchant request is wrong".into()
            }
        );
        assert_eq!(
            shown(&err),
            "the answer reports failure (code 206: signature from merchant request is wrong); failures are not signed"
        );
        for bad in ["", "[1]", "{", "12", "{\"a\":}"] {
            let err = verify_response(spec, tx, &key(), bad).unwrap_err();
            assert!(matches!(err, InboundError::BadJson(_)), "{bad:?}: {err}");
        }
        // Unsigned answers, and the invoice, whose signature rule Latipay does not document, are
        // never claimed verified.
        for (endpoint, json) in [
            (
                "refund",
                include_str!("../../tests/fixtures/responses/refund.json"),
            ),
            (
                "barcode",
                include_str!("../../tests/fixtures/responses/barcode.json"),
            ),
            (
                "invoice_create",
                include_str!("../../tests/fixtures/responses/invoice.json"),
            ),
            (
                "minialipay",
                include_str!("../../tests/fixtures/responses/minialipay.json"),
            ),
        ] {
            let err =
                verify_response(spec, spec.endpoint(endpoint).unwrap(), &key(), json).unwrap_err();
            assert_eq!(
                err,
                InboundError::Unsigned(format!("the `{endpoint}` answer")),
                "{endpoint}"
            );
            assert_eq!(
                shown(&err),
                format!("the `{endpoint}` answer is not signed by Latipay")
            );
        }
    }

    // --- The fixtures ---------------------------------------------------------------------------

    const GATEWAYDATA: &str = include_str!("../../tests/fixtures/responses/gatewaydata.json");
    const GATEWAYDATA_MESSAGE: &str = "amount=0.01&amount_cny=0.05&currency=NZD&currency_rate=4.86&merchant_reference=dsi39ej430sks03&nonce=b395c00872c422230c46d0b6b9049dbfd32c6364eef068db13971b38bee7d56a&order_id=20240612000001234&organisation_id=21&organisation_name=Latipay Test Merchant&payment_method=wechat&product_name=Pinot Noir, Otago&qr_code=data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==&qr_code_url=weixin://wxpay/bizpayurl?pr=abc123&user_id=U000334333&user_name=Test Merchant&wallet_id=W00000001&wallet_name=NZD Wallet***";

    #[test]
    fn gatewaydata_data_verifies_by_rule_a_over_its_own_members() {
        let spec = crate::builtin();
        let endpoint = spec.endpoint("gatewaydata").unwrap();
        let ok = verify_response(spec, endpoint, &key(), GATEWAYDATA).unwrap();
        assert_eq!(ok.message, GATEWAYDATA_MESSAGE);
        let answer = spec.response_model(endpoint).unwrap();
        let all = verify_model(spec, answer, &object(GATEWAYDATA), &key()).unwrap();
        assert_eq!(
            all,
            [Verified {
                message: GATEWAYDATA_MESSAGE.into()
            }]
        );
        // The data object on its own, by its model.
        let data = object(GATEWAYDATA).get("data").unwrap().get().to_owned();
        let inner = spec.model("gatewaydata_data").unwrap();
        assert_eq!(
            verify_model(spec, inner, &object(&data), &key()).unwrap(),
            all
        );

        let tampered = include_str!("../../tests/fixtures/responses/gatewaydata_tampered.json");
        let err = verify_response(spec, endpoint, &key(), tampered).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                rule: RULE_A.into(),
                expected_message: GATEWAYDATA_MESSAGE.replace("amount=0.01", "amount=0.02")
            }
        );
        shown(&err);
        assert!(verify_model(spec, answer, &object(tampered), &key()).is_err());
    }

    #[test]
    fn a_required_signed_object_that_is_absent_or_null_is_missing() {
        let spec = crate::builtin();
        let endpoint = spec.endpoint("gatewaydata").unwrap();
        let answer = spec.response_model(endpoint).unwrap();
        for json in [
            r#"{"code":0,"message":"SUCCESS"}"#,
            r#"{"code":0,"message":"SUCCESS","data":null}"#,
        ] {
            let missing = InboundError::Missing(vec!["data".into()]);
            assert_eq!(
                verify_response(spec, endpoint, &key(), json),
                Err(missing.clone())
            );
            assert_eq!(
                verify_model(spec, answer, &object(json), &key()),
                Err(missing)
            );
        }
        let err = verify_response(spec, endpoint, &key(), r#"{"code":0,"data":[1]}"#).unwrap_err();
        assert_eq!(err, InboundError::NotObject("data".into()));
        assert_eq!(
            shown(&err),
            "`data` carries a signature but is not an object"
        );
        // Unsigned nested objects are not the verifier's business.
        let list = spec
            .response_model(spec.endpoint("invoice_list").unwrap())
            .unwrap();
        assert_eq!(
            verify_model(spec, list, &object("{}"), &key()),
            Ok(Vec::new())
        );
    }

    /// A signed model two levels down, in a list, still makes its carrier required: an answer
    /// without it would otherwise verify nothing and say so to no one.
    #[test]
    fn a_signed_model_nested_at_any_depth_makes_its_carrier_required() {
        let spec = crate::parse_merchant(
            "version: 1
endpoints:
  ping:
    method: POST
    path: /ping
    fields:
      user_id: { type: string, from: credentials }
    response: { model: outer }
models:
  outer:
    fields:
      wrap: { type: model, model: mid }
  mid:
    fields:
      items: { type: list, of: inner }
  inner:
    signature: { rule: sorted_join }
    fields:
      a: { type: string }
      signature: { type: string }
",
            "deep.yaml",
        )
        .unwrap();
        let outer = spec.model("outer").unwrap();
        assert_eq!(
            verify_model(&spec, outer, &object(r#"{"code":0}"#), &key()),
            Err(InboundError::Missing(vec!["wrap".into()]))
        );
        assert_eq!(
            verify_model(
                &spec,
                outer,
                &object(r#"{"code":0,"wrap":{"items":[]}}"#),
                &key()
            ),
            Ok(Vec::new())
        );
    }

    #[test]
    fn query_fixtures_verify_from_the_amount_text() {
        let spec = crate::builtin();
        let query = spec.endpoint("query").unwrap();
        // The real answer: amount 0.01 as a JSON number, amount_cny null, rate 0.00000.
        let real = include_str!("../../tests/fixtures/responses/query_real_7EE1.json");
        let key_7ee1 = SigningKey::new(ApiKey::new("7EE1"));
        let ok = verify_response(spec, query, &key_7ee1, real).unwrap();
        assert_eq!(ok.message, "22TESTalipaypendingAUD0.01");
        let o = object(real);
        assert_eq!(
            (o.text("amount_cny"), o.text("rate").as_deref()),
            (None, Some("0.00000"))
        );
        assert!(matches!(
            verify_response(spec, query, &key(), real),
            Err(InboundError::Mismatch { .. })
        ));

        let doc = include_str!("../../tests/fixtures/responses/query.json");
        assert_eq!(
            verify_response(spec, query, &key(), doc).unwrap().message,
            "6000324alipaypaidNZD120.00"
        );
        let tampered = include_str!("../../tests/fixtures/responses/query_tampered_amount.json");
        assert_eq!(
            verify_response(spec, query, &key(), tampered),
            Err(InboundError::Mismatch {
                rule: RULE_B.into(),
                expected_message: "6000324alipaypaidNZD120.01".into()
            })
        );
    }

    #[test]
    fn transaction_fixtures_verify_by_rule_c() {
        let spec = crate::builtin();
        let tx = spec.endpoint("transaction").unwrap();
        let nonce = "7d5a88119354301ad3fc250404493bd27abf4467283a061d1ed11860a46e1bf";
        let ok = verify_response(
            spec,
            tx,
            &key(),
            include_str!("../../tests/fixtures/responses/transaction.json"),
        )
        .unwrap();
        assert_eq!(ok.message, format!("{nonce}3https://pay.latipay.net/pay"));
        let offline = include_str!("../../tests/fixtures/responses/transaction_offline.json");
        assert!(verify_response(spec, tx, &key(), offline).is_ok());
        let tampered =
            include_str!("../../tests/fixtures/responses/transaction_tampered_nonce.json");
        assert_eq!(
            verify_response(spec, tx, &key(), tampered),
            Err(InboundError::Mismatch {
                rule: RULE_C.into(),
                expected_message: format!("{nonce}4https://pay.latipay.net/pay")
            })
        );
    }

    // --- The one verifier, case by case ---------------------------------------------------------

    /// A Rule B message of these values, signed, as a form and as a JSON object (amount a number).
    fn rule_b_texts(currency: Option<&str>, amount: &str, signed: &str) -> (String, String) {
        let sig = key().sign_message(signed.as_bytes()).to_hex();
        let currency_form = currency.map(|c| format!("&currency={}", c.replace(' ', "+")));
        let currency_json = currency.map(|c| format!(r#","currency":"{c}""#));
        (
            format!(
                "merchant_reference=m1&payment_method=alipay&status=paid{}&amount={amount}&signature={sig}",
                currency_form.unwrap_or_default()
            ),
            format!(
                r#"{{"merchant_reference":"m1","payment_method":"alipay","status":"paid"{},"amount":{amount},"signature":"{sig}"}}"#,
                currency_json.unwrap_or_default()
            ),
        )
    }

    #[test]
    fn rule_b_refuses_a_signed_member_absent_null_or_empty() {
        let rule = rule_b();
        let missing_currency = InboundError::Missing(vec!["currency".into()]);
        let missing = Err(missing_currency.clone());
        // Absent.
        let (f, j) = rule_b_texts(None, "120.00", "m1alipaypaid120.00");
        assert_eq!(verify(&rule, &form(&f), &key()), missing);
        assert_eq!(verify(&rule, &object(&j), &key()), missing);
        // Empty.
        let (f, j) = rule_b_texts(Some(""), "120.00", "m1alipaypaid120.00");
        assert_eq!(verify(&rule, &form(&f), &key()), missing);
        assert_eq!(verify(&rule, &object(&j), &key()), missing);
        // Null, and a value that is no text (an object, an array).
        for value in ["null", "{}", "[\"NZD\"]"] {
            let j = j.replace(r#""currency":"""#, &format!(r#""currency":{value}"#));
            assert!(j.contains(&format!(r#""currency":{value}"#)), "{j}");
            assert_eq!(verify(&rule, &object(&j), &key()), missing, "{j}");
        }
        assert_eq!(shown(&missing_currency), "missing field: `currency`");
        // The signature itself, empty or absent.
        let (f, _) = rule_b_texts(Some("NZD"), "120.00", "m1alipaypaidNZD120.00");
        let unsigned = f.split("&signature=").next().unwrap().to_owned();
        for body in [unsigned.clone(), format!("{unsigned}&signature=")] {
            assert_eq!(
                verify(&rule, &form(&body), &key()),
                Err(InboundError::Missing(vec![SIGNATURE.into()]))
            );
        }
    }

    #[test]
    fn rule_b_signs_whitespace_as_it_is() {
        let rule = rule_b();
        let (f, j) = rule_b_texts(Some(" NZD "), "120.00", "m1alipaypaid NZD 120.00");
        for ok in [
            verify(&rule, &form(&f), &key()),
            verify(&rule, &object(&j), &key()),
        ] {
            assert_eq!(ok.unwrap().message, "m1alipaypaid NZD 120.00");
        }
        // Signed over the trimmed text, it does not verify: nothing is trimmed.
        let (f, j) = rule_b_texts(Some(" NZD "), "120.00", "m1alipaypaidNZD120.00");
        let mismatch = Err(InboundError::Mismatch {
            rule: RULE_B.into(),
            expected_message: "m1alipaypaid NZD 120.00".into(),
        });
        assert_eq!(verify(&rule, &form(&f), &key()), mismatch);
        assert_eq!(verify(&rule, &object(&j), &key()), mismatch);
        // A value of spaces only is a value, not a missing one.
        let (f, _) = rule_b_texts(Some(" "), "120.00", "m1alipaypaid 120.00");
        assert!(verify(&rule, &form(&f), &key()).is_ok());
        // The signature is compared as received, too.
        let (f, _) = rule_b_texts(Some("NZD"), "120.00", "m1alipaypaidNZD120.00");
        assert!(matches!(
            verify(&rule, &form(&format!("{f}+")), &key()),
            Err(InboundError::Mismatch { .. })
        ));
    }

    #[test]
    fn rule_b_refuses_a_duplicate_signed_member_or_signature() {
        let rule = rule_b();
        let (f, j) = rule_b_texts(Some("NZD"), "120.00", "m1alipaypaidNZD120.00");
        let duplicate = |name: &str| Err(InboundError::Duplicate(vec![name.into()]));
        assert_eq!(
            verify(&rule, &form(&format!("currency=NZD&{f}")), &key()),
            duplicate("currency")
        );
        let sig = f.split("&signature=").nth(1).unwrap();
        assert_eq!(
            verify(&rule, &form(&format!("{f}&signature={sig}")), &key()),
            duplicate(SIGNATURE)
        );
        let twice = j.replacen('{', r#"{"currency":"NZD","#, 1);
        assert_eq!(
            verify(&rule, &object(&twice), &key()),
            duplicate("currency")
        );
        let twice = j.replacen('{', &format!(r#"{{"signature":"{sig}","#), 1);
        assert_eq!(verify(&rule, &object(&twice), &key()), duplicate(SIGNATURE));
        // An unsigned member given twice is no one's business.
        assert!(verify(&rule, &form(&format!("{f}&order_id=1&order_id=2")), &key()).is_ok());
        assert_eq!(
            shown(&InboundError::Duplicate(vec!["a".into(), "b".into()])),
            "fields given more than once: `a`, `b`"
        );
    }

    #[test]
    fn rule_b_verifies_a_numeric_amount_from_its_text() {
        let rule = rule_b();
        let (_, j) = rule_b_texts(Some("NZD"), "120.00", "m1alipaypaidNZD120.00");
        assert_eq!(
            verify(&rule, &object(&j), &key()).unwrap().message,
            "m1alipaypaidNZD120.00"
        );
        let err = verify(&rule, &object(&j.replace("120.00", "120")), &key()).unwrap_err();
        let InboundError::Mismatch {
            rule: name,
            expected_message,
        } = &err
        else {
            panic!("{err}");
        };
        assert_eq!(name, RULE_B);
        assert!(expected_message.ends_with("120"), "{expected_message}");
        assert_eq!(expected_message, "m1alipaypaidNZD120");
        shown(&err);
        // The same number as a string, in a form or JSON, verifies by the same text.
        let (f, j) = rule_b_texts(Some("NZD"), "120.00", "m1alipaypaidNZD120.00");
        let quoted = j.replace("120.00", "\"120.00\"");
        assert!(verify(&rule, &object(&quoted), &key()).is_ok());
        assert!(verify(&rule, &form(&f), &key()).is_ok());
        let err = verify(&rule, &form(&f.replace("120.00", "120")), &key()).unwrap_err();
        assert!(
            matches!(&err, InboundError::Mismatch { expected_message, .. } if expected_message.ends_with("NZD120"))
        );
    }

    /// Rule A's signature over `message` (without the key), and the pairs signed.
    fn rule_a_signature(message: &str) -> String {
        key()
            .sign_message(format!("{message}{KEY}").as_bytes())
            .to_hex()
    }

    #[test]
    fn rule_a_skips_a_member_absent_null_or_empty() {
        let rule = SigningRule::SortedJoin;
        let sig = rule_a_signature("amount=120.00&b=x y&nonce=n1");
        let expected = "amount=120.00&b=x y&nonce=n1***";
        for member in ["", r#""c":null,"#, r#""c":"","#] {
            let json = format!(
                r#"{{"nonce":"n1",{member}"amount":120.00,"b":"x y","signature":"{sig}"}}"#
            );
            assert_eq!(
                verify(&rule, &object(&json), &key()).unwrap().message,
                expected,
                "{json}"
            );
        }
        for member in ["", "c=&"] {
            let body = format!("nonce=n1&{member}amount=120.00&b=x+y&signature={sig}");
            assert_eq!(
                verify(&rule, &form(&body), &key()).unwrap().message,
                expected,
                "{body}"
            );
        }
        // A nested object or array is no text, so not signed either.
        let json = format!(
            r#"{{"nonce":"n1","d":{{"z":1}},"e":[1],"amount":120.00,"b":"x y","signature":"{sig}"}}"#
        );
        assert!(verify(&rule, &object(&json), &key()).is_ok());
        // A member given with a value is signed: the same signature then fails.
        let json =
            format!(r#"{{"nonce":"n1","c":"3","amount":120.00,"b":"x y","signature":"{sig}"}}"#);
        assert_eq!(
            verify(&rule, &object(&json), &key()),
            Err(InboundError::Mismatch {
                rule: RULE_A.into(),
                expected_message: "amount=120.00&b=x y&c=3&nonce=n1***".into()
            })
        );
        // Without a signature.
        let body = "nonce=n1&amount=120.00";
        assert_eq!(
            verify(&rule, &form(body), &key()),
            Err(InboundError::Missing(vec![SIGNATURE.into()]))
        );
    }

    #[test]
    fn rule_a_signs_whitespace_as_it_is() {
        let rule = SigningRule::SortedJoin;
        let sig = rule_a_signature("a= &b= x ");
        let json = format!(r#"{{"b":" x ","a":" ","signature":"{sig}"}}"#);
        assert_eq!(
            verify(&rule, &object(&json), &key()).unwrap().message,
            "a= &b= x ***"
        );
        let body = format!("b=+x+&a=%20&signature={sig}");
        assert_eq!(
            verify(&rule, &form(&body), &key()).unwrap().message,
            "a= &b= x ***"
        );
        let trimmed = rule_a_signature("b=x");
        let json = format!(r#"{{"b":" x ","a":" ","signature":"{trimmed}"}}"#);
        assert_eq!(
            verify(&rule, &object(&json), &key()),
            Err(InboundError::Mismatch {
                rule: RULE_A.into(),
                expected_message: "a= &b= x ***".into()
            })
        );
    }

    #[test]
    fn rule_a_refuses_a_duplicate_member_or_signature() {
        let rule = SigningRule::SortedJoin;
        let sig = rule_a_signature("a=1&b=2");
        let duplicate = |name: &str| Err(InboundError::Duplicate(vec![name.into()]));
        let json = format!(r#"{{"a":"1","b":"2","a":"1","signature":"{sig}"}}"#);
        assert_eq!(verify(&rule, &object(&json), &key()), duplicate("a"));
        let json = format!(r#"{{"a":"1","b":"2","signature":"{sig}","signature":"{sig}"}}"#);
        assert_eq!(verify(&rule, &object(&json), &key()), duplicate(SIGNATURE));
        let body = format!("a=1&b=2&b=2&signature={sig}");
        assert_eq!(verify(&rule, &form(&body), &key()), duplicate("b"));
        let body = format!("a=1&b=2&signature={sig}&signature={sig}");
        assert_eq!(verify(&rule, &form(&body), &key()), duplicate(SIGNATURE));
        // Given twice but empty both times: skipped, like an empty member given once.
        let body = format!("a=1&b=2&c=&c=&signature={sig}");
        assert!(verify(&rule, &form(&body), &key()).is_ok());
    }

    #[test]
    fn rule_a_verifies_a_numeric_amount_from_its_text() {
        let rule = SigningRule::SortedJoin;
        let sig = rule_a_signature("amount=120.00&nonce=n1");
        let json = format!(r#"{{"nonce":"n1","amount":120.00,"signature":"{sig}"}}"#);
        assert_eq!(
            verify(&rule, &object(&json), &key()).unwrap().message,
            "amount=120.00&nonce=n1***"
        );
        let err = verify(&rule, &object(&json.replace("120.00", "120")), &key()).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                rule: RULE_A.into(),
                expected_message: "amount=120&nonce=n1***".into()
            }
        );
        shown(&err);
        let body = format!("nonce=n1&amount=120.00&signature={sig}");
        assert!(verify(&rule, &form(&body), &key()).is_ok());
        // Signing what is about to be sent gives the same signature and masked message.
        let pairs = [("nonce", "n1"), ("c", ""), ("amount", "120.00")]
            .map(|(n, v)| (n.to_owned(), v.to_owned()));
        let (signature, message) = sign(&rule, &pairs[..], &key()).unwrap();
        assert_eq!(
            (signature.to_hex(), message.as_str()),
            (sig, "amount=120.00&nonce=n1***")
        );
    }

    #[test]
    fn rule_names() {
        assert_eq!(rule_name(&SigningRule::SortedJoin), RULE_A);
        assert_eq!(rule_name(&rule_b()), RULE_B);
        assert_eq!(
            rule_name(&SigningRule::Concat {
                fields: vec!["voucher_code".into(), "balance".into()],
                append_key: true
            }),
            "concatenation: voucher_code + balance + api_key"
        );
    }

    /// Rules naming 1 to 40 fields (the verifier once kept 15 slots on the stack, so 15 and 16
    /// were the edge; it now keeps one per field the rule names, and the signature after them):
    /// each verifies when every field is there once, in any order, refuses each field changed,
    /// and names exactly the ones missing or repeated, the signature included.
    #[test]
    fn rules_of_any_length_read_each_field_once() {
        for n in [1, 2, 14, 15, 16, 17, 40] {
            let fields: Vec<String> = (0..n).map(|i| format!("f{i:02}")).collect();
            let rule = SigningRule::Concat {
                fields: fields.clone(),
                append_key: n % 2 == 0,
            };
            let pairs: Vec<(String, String)> = fields
                .iter()
                .map(|f| (f.clone(), format!("v{f}")))
                .collect();
            let (signature, message) = sign(&rule, &pairs[..], &key()).unwrap();
            let values: String = pairs.iter().map(|(_, v)| v.as_str()).collect();
            let suffix = if n % 2 == 0 { "***" } else { "" };
            assert_eq!(message, format!("{values}{suffix}"), "{n}");
            let body = |pairs: &[(String, String)]| {
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (name, value) in pairs {
                    s.append_pair(name, value);
                }
                s.finish()
            };
            let mut signed = pairs.clone();
            signed.push((SIGNATURE.into(), signature.to_hex()));
            // Reversed, with unsigned members between: the rule's order is its own.
            let mut shuffled: Vec<(String, String)> = signed.iter().rev().cloned().collect();
            shuffled.insert(1, ("extra".into(), "x".into()));
            for order in [&signed, &shuffled] {
                let text = body(order);
                assert_eq!(
                    verify(&rule, &form(&text), &key()).map(|v| v.message),
                    Ok(message.clone()),
                    "{n}"
                );
                assert_eq!(check(&rule, &form(&text), &key()), Ok(()), "{n}");
            }
            for i in 0..n {
                let mut changed = signed.clone();
                changed[i].1.push('!');
                let err = verify(&rule, &form(&body(&changed)), &key()).unwrap_err();
                assert!(
                    matches!(err, InboundError::Mismatch { .. }),
                    "{n}/{i}: {err}"
                );
                // `check` refuses what `verify` refuses.
                assert!(
                    check(&rule, &form(&body(&changed)), &key()).is_err(),
                    "{n}/{i}"
                );
                let mut without = signed.clone();
                without.remove(i);
                assert_eq!(
                    verify(&rule, &form(&body(&without)), &key()),
                    Err(InboundError::Missing(vec![fields[i].clone()])),
                    "{n}/{i}"
                );
                let mut twice = signed.clone();
                twice.push(signed[i].clone());
                assert_eq!(
                    verify(&rule, &form(&body(&twice)), &key()),
                    Err(InboundError::Duplicate(vec![fields[i].clone()])),
                    "{n}/{i}"
                );
            }
            assert_eq!(
                verify(&rule, &form(&body(&pairs)), &key()),
                Err(InboundError::Missing(vec![SIGNATURE.into()])),
                "{n}"
            );
            let mut twice = signed.clone();
            twice.push(signed[n].clone());
            assert_eq!(
                verify(&rule, &form(&body(&twice)), &key()),
                Err(InboundError::Duplicate(vec![SIGNATURE.into()])),
                "{n}"
            );
            // Signing is the other side of the same reading: the last field missing is named.
            assert_eq!(
                sign(&rule, &pairs[..n - 1], &key()),
                Err(InboundError::Missing(vec![fields[n - 1].clone()])),
                "{n}"
            );
        }
    }
}
