//! Verifying what Latipay sends back: the notification form, the `return_url` redirect query, and
//! the signed JSON responses. Shared by the runtime, the CLI and the sandbox, so all three accept
//! and reject exactly the same texts.
//!
//! Values are verified exactly as received: a form value is only percent-decoded, and a JSON
//! number keeps its raw text (`120.00` stays `120.00`; a float would make it `120` and break Rule B).

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

pub use crate::form::FormPairs;
use crate::model::{Endpoint, Inbound, SigningRule};
use crate::sign::{MaskedMessage, RuleKind, Signature, Signer, SigningKey};

/// The name of the member or parameter that carries the signature.
pub const SIGNATURE: &str = "signature";

/// Why an inbound message or response cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundError {
    /// The body is not `application/x-www-form-urlencoded` text (it says why).
    NotForm(String),
    /// The text is not a JSON object (it says why).
    BadJson(String),
    /// The message has no signature rule to verify it by.
    Unsigned(String),
    /// A response reporting a failure (`code` is not 0): Latipay does not sign those.
    NotSuccess {
        /// The `code` member as received.
        code: String,
        /// The `message` member, if any.
        message: String,
    },
    /// Fields the signature rule needs, or `signature` itself, are absent or empty.
    Missing(Vec<String>),
    /// Signed fields (or `signature`) appear more than once, so what was signed is ambiguous.
    Duplicate(Vec<String>),
    /// The signature does not match. `expected_message` is the text that should have been signed
    /// (with `***` where the rule appends the api_key); the key itself is never shown.
    Mismatch {
        /// The canonical message built from the values received.
        expected_message: String,
    },
}

impl fmt::Display for InboundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InboundError::NotForm(why) => write!(f, "not a form-encoded body: {why}"),
            InboundError::BadJson(why) => write!(f, "not a JSON object: {why}"),
            InboundError::Unsigned(what) => write!(f, "{what} is not signed by Latipay"),
            InboundError::NotSuccess { code, message } => write!(
                f,
                "the response reports failure (code {code}: {message}); failures are not signed"
            ),
            InboundError::Missing(names) => {
                write!(
                    f,
                    "missing field{}: ",
                    if names.len() == 1 { "" } else { "s" }
                )?;
                f.write_str(&quoted(names))
            }
            InboundError::Duplicate(names) => {
                write!(
                    f,
                    "field{} given more than once: ",
                    if names.len() == 1 { "" } else { "s" }
                )?;
                f.write_str(&quoted(names))
            }
            InboundError::Mismatch { expected_message } => write!(
                f,
                "the signature does not match; the signed message should be: {expected_message}"
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

/// One top-level member of a JSON object, as received, borrowed from its [`JsonFields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonText<'a> {
    /// A string, unescaped.
    String(&'a str),
    /// A number, its raw text exactly as written (`120.00`).
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An object or array, as raw JSON text.
    Nested(&'a str),
}

impl<'a> JsonText<'a> {
    /// The text a scalar is signed and checked as: a string's content, a number's raw text,
    /// `true`/`false`. `None` for null, objects and arrays.
    pub fn as_text(self) -> Option<&'a str> {
        match self {
            JsonText::String(s) | JsonText::Number(s) => Some(s),
            JsonText::Bool(true) => Some("true"),
            JsonText::Bool(false) => Some("false"),
            JsonText::Null | JsonText::Nested(_) => None,
        }
    }

    /// What kind of JSON value it is, for messages.
    pub fn kind(self) -> &'static str {
        match self {
            JsonText::String(_) => "a string",
            JsonText::Number(_) => "a number",
            JsonText::Bool(_) => "a boolean",
            JsonText::Null => "null",
            JsonText::Nested(t) if t.starts_with('[') => "an array",
            JsonText::Nested(_) => "an object",
        }
    }
}

/// Reads the JSON object `text` with serde_json and passes each member's name and raw value to
/// `member`, in order, duplicates included: names are borrowed from `text` unless they contain
/// escapes, values are borrowed raw text (a string with its quotes and escapes, a number as
/// written, a nested object or array as its text). An error `member` returns stops the reading
/// and becomes serde_json's error at that point; anything that is not one JSON object is
/// serde_json's error too, with its message.
pub fn for_each_member<'a, E: fmt::Display>(
    text: &'a str,
    member: impl FnMut(Cow<'a, str>, &'a RawValue) -> Result<(), E>,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Members(member, PhantomData::<&RawValue>).deserialize(&mut de)?;
    de.end()
}

/// [`for_each_member`] for an object whose values are all strings, each passed on as its content
/// (borrowed unless it has escapes): one reading of each string instead of a raw value and then
/// its content. Any other value is serde_json's error ("invalid type: ..., expected a string").
pub fn for_each_string_member<'a, E: fmt::Display>(
    text: &'a str,
    member: impl FnMut(Cow<'a, str>, Cow<'a, str>) -> Result<(), E>,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Members(member, Name).deserialize(&mut de)?;
    de.end()
}

/// Appends the content of a raw value that is a JSON string (it starts with `"`) to `out`, where
/// many strings are kept in one buffer. serde_json checked the literal when it read the raw
/// value, so without a backslash its content is the text between the quotes; with escapes
/// serde_json decodes it (and refuses what it refuses, such as a lone surrogate). Decoding every
/// string a second time through serde_json cost a minialipay answer about 0.25 µs more.
pub fn push_string_content(raw: &RawValue, out: &mut String) -> Result<(), serde_json::Error> {
    match unescaped(raw) {
        Some(content) => out.push_str(content),
        None => out.push_str(&serde_json::from_str::<String>(raw.get())?),
    }
    Ok(())
}

/// The text between a string literal's quotes when it has no escapes to decode.
fn unescaped(raw: &RawValue) -> Option<&str> {
    let text = raw.get();
    text.get(1..text.len().saturating_sub(1))
        .filter(|content| !content.contains('\\'))
}

/// The seed and visitor of [`for_each_member`] and [`for_each_string_member`]: the object's
/// members, each passed on as read, the value by the seed `S`.
struct Members<F, S>(F, S);

impl<'de, F, E, S> DeserializeSeed<'de> for Members<F, S>
where
    F: FnMut(Cow<'de, str>, S::Value) -> Result<(), E>,
    E: fmt::Display,
    S: DeserializeSeed<'de> + Copy,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, F, E, S> Visitor<'de> for Members<F, S>
where
    F: FnMut(Cow<'de, str>, S::Value) -> Result<(), E>,
    E: fmt::Display,
    S: DeserializeSeed<'de> + Copy,
{
    type Value = ();

    // What serde says for a map (`BTreeMap`'s words), so the messages stay those of serde_json
    // reading a map: "invalid type: sequence, expected a map".
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key_seed(Name)? {
            let value = map.next_value_seed(self.1)?;
            (self.0)(name, value).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// A member's name (or a string value): borrowed from the text when it has no escapes, decoded by
/// serde_json when it has.
#[derive(Clone, Copy)]
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads, in one pass, an answer that is a plain success: `code` the number `0`, `message` and
/// `messageCN` strings, and the objects named `nested` with string members only, whose members
/// are passed to `member(which of nested, name, value)`. It returns the two messages. `None`
/// for anything else (another code or member, a member given twice, a value of another kind,
/// broken JSON): the caller then reads the answer member by member with [`JsonFields`], which
/// also explains what is wrong. Reading the members with [`JsonFields`] first and the nested
/// objects after read those twice: half of a minialipay answer's decoding time.
pub fn read_plain_success<'a>(
    text: &'a str,
    nested: [&str; 2],
    mut member: impl FnMut(usize, Cow<'a, str>, Cow<'a, str>),
) -> Option<(Cow<'a, str>, Cow<'a, str>)> {
    let mut de = serde_json::Deserializer::from_str(text.trim());
    let read = PlainSuccess {
        nested,
        member: &mut member,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    read
}

/// The seed and visitor of [`read_plain_success`].
struct PlainSuccess<'n, F> {
    nested: [&'n str; 2],
    member: F,
}

impl<'de, F: FnMut(usize, Cow<'de, str>, Cow<'de, str>)> DeserializeSeed<'de>
    for PlainSuccess<'_, &mut F>
{
    type Value = Option<(Cow<'de, str>, Cow<'de, str>)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, F: FnMut(usize, Cow<'de, str>, Cow<'de, str>)> Visitor<'de> for PlainSuccess<'_, &mut F> {
    type Value = Option<(Cow<'de, str>, Cow<'de, str>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen = [false; 5];
        let (mut success, mut message, mut message_cn) =
            (false, Cow::Borrowed(""), Cow::Borrowed(""));
        while let Some(name) = map.next_key_seed(Name)? {
            let slot = match name.as_ref() {
                "code" => 0,
                "message" => 1,
                "messageCN" => 2,
                n if n == self.nested[0] => 3,
                n if n == self.nested[1] => 4,
                _ => return Ok(None),
            };
            if std::mem::replace(&mut seen[slot], true) {
                return Ok(None);
            }
            match slot {
                0 => success = map.next_value::<&RawValue>()?.get() == "0",
                1 => message = map.next_value_seed(Name)?,
                2 => message_cn = map.next_value_seed(Name)?,
                _ => map.next_value_seed(Members(
                    |name, value| {
                        (self.member)(slot - 3, name, value);
                        Ok::<(), Infallible>(())
                    },
                    Name,
                ))?,
            }
        }
        Ok(success.then_some((message, message_cn)))
    }
}

/// The top-level members of a JSON object, numbers kept as their raw text.
///
/// Every name and value lives in one string: reading an answer allocates that string and the
/// list of members, not a `String` per name and value.
#[derive(Clone, Default)]
pub struct JsonFields {
    /// The members' names and values, one after the other (a replaced member's stay unused).
    text: String,
    /// The members kept, sorted by name, one per name.
    members: Vec<Member>,
}

/// Where a member's name and value are in [`JsonFields::text`], and what kind its value is.
#[derive(Clone, Copy)]
struct Member {
    start: usize,
    name_end: usize,
    end: usize,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Number,
    Bool(bool),
    Null,
    Nested,
    /// A string that does not decode (a lone surrogate): the error, by its index.
    Refused(usize),
}

impl JsonFields {
    /// Parses a JSON object; anything else (an array, a number, broken JSON) is [`InboundError::BadJson`].
    /// A member given twice keeps its last value, as serde_json does.
    pub fn parse(text: &str) -> Result<JsonFields, InboundError> {
        let bad = |e: serde_json::Error| InboundError::BadJson(e.to_string());
        // Names and values are never longer than their JSON (quotes go, escapes shrink).
        // Latipay's answers have at most 14 top-level members (`query`'s, in
        // `RESPONSE_MODELS`): the list is allocated once.
        let mut fields = JsonFields {
            text: String::with_capacity(text.len()),
            members: Vec::with_capacity(16),
        };
        // A string that does not decode is an error only if it is the value the member keeps: a
        // later member of the same name replaces it. So the error waits until the members are
        // known, and the first such member by name is the one reported.
        let mut refused = Vec::new();
        for_each_member(text.trim(), |name, raw| {
            let value = raw.get();
            let start = fields.text.len();
            fields.text.push_str(&name);
            let name_end = fields.text.len();
            let kind = match value.as_bytes().first() {
                Some(b'"') => match push_string_content(raw, &mut fields.text) {
                    Ok(()) => Kind::String,
                    Err(e) => {
                        refused.push(Some(e));
                        Kind::Refused(refused.len() - 1)
                    }
                },
                Some(b'{' | b'[') => {
                    fields.text.push_str(value);
                    Kind::Nested
                }
                Some(b't') => Kind::Bool(true),
                Some(b'f') => Kind::Bool(false),
                Some(b'n') => Kind::Null,
                _ => {
                    fields.text.push_str(value);
                    Kind::Number
                }
            };
            fields.members.push(Member {
                start,
                name_end,
                end: fields.text.len(),
                kind,
            });
            Ok::<(), Infallible>(())
        })
        .map_err(bad)?;
        fields.keep_last_of_each_name();
        let first_refused = fields.members.iter().find_map(|m| match m.kind {
            Kind::Refused(i) => refused.get_mut(i).and_then(Option::take),
            _ => None,
        });
        match first_refused {
            Some(e) => Err(bad(e)),
            None => Ok(fields),
        }
    }

    /// Sorts the members by name, and of the members with one name keeps the last. The sort is
    /// stable, so equal names stay in the order they came in; O(n log n) however many there are.
    fn keep_last_of_each_name(&mut self) {
        let text = &self.text;
        let name = |m: &Member| text.get(m.start..m.name_end).unwrap_or_default();
        self.members.sort_by(|a, b| name(a).cmp(name(b)));
        // `dedup_by` keeps the first of a run: each later one is copied over it first.
        self.members.dedup_by(|later, kept| {
            let same = name(later) == name(kept);
            if same {
                *kept = *later;
            }
            same
        });
    }

    fn name(&self, m: &Member) -> &str {
        self.text.get(m.start..m.name_end).unwrap_or_default()
    }

    fn value(&self, m: &Member) -> JsonText<'_> {
        let text = self.text.get(m.name_end..m.end).unwrap_or_default();
        match m.kind {
            Kind::String | Kind::Refused(_) => JsonText::String(text),
            Kind::Number => JsonText::Number(text),
            Kind::Bool(b) => JsonText::Bool(b),
            Kind::Null => JsonText::Null,
            Kind::Nested => JsonText::Nested(text),
        }
    }

    /// The member called `name`. A scan that compares lengths first: an answer has a handful of
    /// members, and a binary search's string comparisons (a `memcmp` call each) cost more.
    pub fn get(&self, name: &str) -> Option<JsonText<'_>> {
        self.members
            .iter()
            .find(|m| m.name_end - m.start == name.len() && self.name(m) == name)
            .map(|m| self.value(m))
    }

    /// The text of the scalar member `name` (see [`JsonText::as_text`]).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(JsonText::as_text)
    }

    /// Every member, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, JsonText<'_>)> {
        self.members.iter().map(|m| (self.name(m), self.value(m)))
    }

    /// Verifies a response by `endpoint`'s response signature rule (Rule C for `transaction`,
    /// Rule B for `query`). A response whose `code` is not 0 is [`InboundError::NotSuccess`].
    pub fn verify_response(
        &self,
        endpoint: &Endpoint,
        key: &SigningKey,
    ) -> Result<Verified, InboundError> {
        let Some(rule) = &endpoint.response.signature else {
            return Err(InboundError::Unsigned(format!(
                "the `{}` response",
                endpoint.name
            )));
        };
        if let Some(code) = self.text("code")
            && code != "0"
            && self.text(SIGNATURE).is_none()
        {
            return Err(InboundError::NotSuccess {
                code: code.to_owned(),
                message: self.text("message").unwrap_or("").to_owned(),
            });
        }
        verify_concat(rule, key, |name| self.text(name).map(Cow::Borrowed))
    }
}

/// Equal when the members are: the unused text of replaced members does not count.
impl PartialEq for JsonFields {
    fn eq(&self, other: &JsonFields) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for JsonFields {}

impl fmt::Debug for JsonFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod json_tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn strings_read_as_serde_json_reads_them() {
        let texts = [
            r#""""#,
            r#""plain text""#,
            r#""é 中文 🍷""#,
            r#""a\"b\\c\/d\n\t\u00e9\ud83c\udf77""#,
            r#""\u0000""#,
        ];
        for raw in texts {
            let json = format!(r#"{{"s":{raw}}}"#);
            let expected: String = serde_json::from_str(raw).unwrap();
            let fields = JsonFields::parse(&json).unwrap();
            assert_eq!(fields.get("s"), Some(JsonText::String(&expected)), "{raw}");
        }
        // A lone surrogate passes the raw scan but not serde_json's decoding: still refused.
        let err = JsonFields::parse(r#"{"s":"\ud800"}"#).unwrap_err();
        let InboundError::BadJson(why) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            why,
            serde_json::from_str::<String>(r#""\ud800""#)
                .unwrap_err()
                .to_string()
        );
        // The last of a duplicated member wins, even when an earlier copy would not decode.
        let fields = JsonFields::parse(r#"{"s":"\ud800","s":"ok"}"#).unwrap();
        assert_eq!(fields.text("s"), Some("ok"));
    }

    /// What `JsonFields::parse` has always meant: serde_json reading a map of raw values (the
    /// last of a duplicated member wins), then every string decoded by it.
    fn serde_only(text: &str) -> Result<JsonFields, InboundError> {
        let bad = |e: serde_json::Error| InboundError::BadJson(e.to_string());
        let raw: BTreeMap<String, Box<RawValue>> =
            serde_json::from_str(text.trim()).map_err(bad)?;
        // In name order, one per name: the members as `parse` keeps them.
        let mut fields = JsonFields::default();
        for (name, value) in raw {
            let text = value.get();
            let start = fields.text.len();
            fields.text.push_str(&name);
            let name_end = fields.text.len();
            let kind = match text.as_bytes().first() {
                Some(b'"') => {
                    let decoded: String = serde_json::from_str(text).map_err(bad)?;
                    fields.text.push_str(&decoded);
                    Kind::String
                }
                Some(b'{' | b'[') => {
                    fields.text.push_str(text);
                    Kind::Nested
                }
                Some(b't') => Kind::Bool(true),
                Some(b'f') => Kind::Bool(false),
                Some(b'n') => Kind::Null,
                _ => {
                    fields.text.push_str(text);
                    Kind::Number
                }
            };
            let end = fields.text.len();
            fields.members.push(Member {
                start,
                name_end,
                end,
                kind,
            });
        }
        Ok(fields)
    }

    #[test]
    fn members_come_in_order_with_names_borrowed_unless_escaped() {
        let text = r#"{"a":"x\"y", "b\u0063" : 12.50,"a":{"n":[1, 2]},"é":null}"#;
        let mut seen = Vec::new();
        for_each_member(text, |name, raw| {
            seen.push((matches!(name, Cow::Borrowed(_)), name, raw.get()));
            Ok::<(), Infallible>(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (true, Cow::Borrowed("a"), r#""x\"y""#),
                (false, Cow::Borrowed("bc"), "12.50"),
                (true, Cow::Borrowed("a"), r#"{"n":[1, 2]}"#),
                (true, Cow::Borrowed("é"), "null"),
            ]
        );
        // The callback's error stops the reading, with serde_json's position.
        let mut calls = 0;
        let err = for_each_member(r#"{"a":1,"b":2,"c":3}"#, |name, _| {
            calls += 1;
            match name.as_ref() {
                "b" => Err("no b"),
                _ => Ok(()),
            }
        })
        .unwrap_err();
        assert!(
            err.to_string().starts_with("no b at line 1 column "),
            "{err}"
        );
        assert_eq!(calls, 2);
    }

    #[test]
    fn parse_reads_what_serde_json_reads() {
        let latipay = r#"{"code":0,"message":"SUCCESS","messageCN":"操作成功","gatewaydata":{"service":"create_forex_trade_wap","total_fee":"120.00","app_pay":"Y"},"paydata":{"orderId":"2026112600000001","amount":"120.00"}}"#;
        let deep_array = format!("{{\"a\":{}1{}}}", "[".repeat(20), "]".repeat(20));
        let deep_object = format!("{}1{}", "{\"a\":".repeat(20), "}".repeat(20));
        let cases = [
            latipay,
            "{}",
            " \t\n{ } \r\n",
            r#"{"a":1,"a":2}"#,
            r#"{"a":-0,"b":0.5e-3,"c":1E+5,"d":12.25,"e":-7}"#,
            r#"{"a":true,"b":false,"c":null,"d":[],"e":[1,"x",{"y":[null]}]}"#,
            r#"{ "a" : "b" , "c" : { } }"#,
            "{\"é中\":\"🍷\",\"k\":\"\u{7f}\"}",
            &deep_array,
            &deep_object,
            // Strings that do not decode: the value a member keeps decides, and the first
            // such member by name is the error.
            r#"{"b":"\ud800","a":"\udc00"}"#,
            r#"{"a":"\ud800","a":"x","b":"\ud800"}"#,
            r#"{"a":"x","a":"\ud800"}"#,
            r#"{"a":"\ud800","b":1,}"#,
            // Escapes, or not JSON: serde_json's messages.
            r#"{"a":"b\"c"}"#,
            r#"{"a\u0062":1}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":01}"#,
            r#"{"a":-}"#,
            r#"{"a":1.}"#,
            r#"{"a":1e}"#,
            r#"{"a":.5}"#,
            r#"{"a":+1}"#,
            r#"{"a":tru}"#,
            r#"{"a":nulls}"#,
            r#"{"a":1,}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":[1 2]}"#,
            r#"{"a":1}x"#,
            r#"{"a":1}{}"#,
            "[1]",
            "12",
            "",
            "{",
            r#"{"a":"#,
            r#"{"a":"b"#,
            "\u{feff}{}",
            "{\u{a0}}",
        ];
        for case in cases {
            assert_eq!(JsonFields::parse(case), serde_only(case), "{case:?}");
        }
        // Every prefix of Latipay's answer, and every single-byte change of it.
        for end in 0..=latipay.len() {
            if let Some(text) = latipay.get(..end) {
                assert_eq!(JsonFields::parse(text), serde_only(text), "{text:?}");
            }
        }
        let tokens = b"\"\\,:{}[]0-.e 1\x01";
        for at in 0..latipay.len() {
            for b in tokens {
                let mut bytes = latipay.as_bytes().to_vec();
                bytes[at] = *b;
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    assert_eq!(JsonFields::parse(text), serde_only(text), "{text:?}");
                }
            }
        }
    }
}

/// Verifies a response's raw JSON text by `endpoint`'s response rule; see [`JsonFields::verify_response`].
pub fn verify_response(
    endpoint: &Endpoint,
    key: &SigningKey,
    json: &str,
) -> Result<Verified, InboundError> {
    JsonFields::parse(json)?.verify_response(endpoint, key)
}

/// Verifies a raw notification body (or redirect query) by `inbound`'s rule; see [`FormPairs::verify`].
pub fn verify_form<'a>(
    inbound: &Inbound,
    key: &SigningKey,
    body: &'a [u8],
) -> Result<(FormPairs<'a>, Verified), InboundError> {
    let form = FormPairs::parse(body)?;
    let verified = form.verify(inbound, key)?;
    Ok((form, verified))
}

/// The canonical message of a concatenation rule, `***` where the key is appended.
pub fn concat_message<'v>(
    rule: &SigningRule,
    lookup: impl Fn(&str) -> Option<Cow<'v, str>>,
) -> String {
    let mut message = MaskedMessage::new(RuleKind::from(rule));
    if let SigningRule::Concat { fields, .. } = rule {
        for name in fields {
            message.field(name, lookup(name).as_deref().unwrap_or(""));
        }
    }
    message.finish()
}

/// Signs a concatenation rule's fields (what Latipay does for the notification, the redirect and
/// the signed responses); the names the lookup has no value for are the error.
pub fn sign_concat<'v>(
    rule: &SigningRule,
    key: &SigningKey,
    lookup: impl Fn(&str) -> Option<Cow<'v, str>>,
) -> Result<Signature, Vec<String>> {
    let SigningRule::Concat { fields, .. } = rule else {
        return Err(Vec::new());
    };
    let missing: Vec<String> = fields
        .iter()
        .filter(|n| lookup(n).is_none())
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(sign_fields(rule, key, fields, |_, name| {
        lookup(name).unwrap_or_default()
    }))
}

/// Signs a concatenation rule's `fields` in order, straight into the HMAC (no message is built),
/// the `i`th value from `value(i, name)`: what signing, verifying a response and verifying a form
/// share once each has checked its values.
pub(crate) fn sign_fields<'v>(
    rule: &SigningRule,
    key: &SigningKey,
    fields: &[String],
    value: impl Fn(usize, &str) -> Cow<'v, str>,
) -> Signature {
    Signer::sign_with(key, RuleKind::from(rule), |signer| {
        for (i, name) in fields.iter().enumerate() {
            signer.field(name, &value(i, name));
        }
    })
}

/// Checks `signature` (looked up like the fields) against a concatenation rule, in constant time.
fn verify_concat<'v>(
    rule: &SigningRule,
    key: &SigningKey,
    lookup: impl Fn(&str) -> Option<Cow<'v, str>>,
) -> Result<Verified, InboundError> {
    let SigningRule::Concat { fields, .. } = rule else {
        return Err(InboundError::Unsigned("a sorted-join rule".into()));
    };
    let missing: Vec<String> = fields
        .iter()
        .map(String::as_str)
        .chain([SIGNATURE])
        .filter(|n| lookup(n).is_none_or(|v| v.is_empty()))
        .map(str::to_owned)
        .collect();
    if !missing.is_empty() {
        return Err(InboundError::Missing(missing));
    }
    let matches = sign_fields(rule, key, fields, |_, name| {
        lookup(name).unwrap_or_default()
    })
    .matches_hex(lookup(SIGNATURE).unwrap_or_default().trim());
    let message = concat_message(rule, |n| lookup(n));
    if matches {
        Ok(Verified { message })
    } else {
        Err(InboundError::Mismatch {
            expected_message: message,
        })
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;
    use crate::sign::ApiKey;

    fn key() -> SigningKey {
        SigningKey::new(ApiKey::new("111222333"))
    }

    const NOTIFICATION: &str = "merchant_reference=dsi39ej430sks03&order_id=2017232323345678&currency=NZD&amount=120.00&payment_method=alipay&status=paid&pay_time=2017-07-07+10%3A53%3A50&amount_cny=556.48&rate=4.63733&transaction_id=4200000001&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";

    #[test]
    fn notification_doc_vector_verifies_and_keeps_unknown_fields() {
        let spec = crate::builtin();
        let inbound = spec.inbound("notification").unwrap();
        let (form, ok) = verify_form(inbound, &key(), NOTIFICATION.as_bytes()).unwrap();
        assert_eq!(ok.message, "dsi39ej430sks03alipaypaidNZD120.00");
        assert_eq!(form.get("pay_time").as_deref(), Some("2017-07-07 10:53:50"));
        assert_eq!(form.get("transaction_id").as_deref(), Some("4200000001"));
        assert_eq!(form.pairs().count(), 11);
        // Upper-case hex is accepted too.
        let upper = NOTIFICATION.replace("840151e0dc", "840151E0DC");
        assert!(verify_form(inbound, &key(), upper.as_bytes()).is_ok());
    }

    #[test]
    fn tampered_notification_shows_the_expected_message_not_the_key() {
        let inbound = crate::builtin().inbound("notification").unwrap();
        let body = NOTIFICATION.replace("amount=120.00", "amount=120");
        let err = verify_form(inbound, &key(), body.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                expected_message: "dsi39ej430sks03alipaypaidNZD120".into()
            }
        );
        assert!(!err.to_string().contains("111222333"));
        // Unsigned fields may change freely: they are untrusted, not verified.
        let body = NOTIFICATION.replace("order_id=2017", "order_id=9999");
        assert!(verify_form(inbound, &key(), body.as_bytes()).is_ok());
    }

    #[test]
    fn missing_duplicate_and_malformed_forms_are_typed() {
        let inbound = crate::builtin().inbound("notification").unwrap();
        let err = verify_form(inbound, &key(), b"merchant_reference=x&status=paid").unwrap_err();
        assert_eq!(
            err,
            InboundError::Missing(vec![
                "payment_method".into(),
                "currency".into(),
                "amount".into(),
                "signature".into()
            ])
        );
        let body = format!("{NOTIFICATION}&status=failed");
        assert_eq!(
            verify_form(inbound, &key(), body.as_bytes()).unwrap_err(),
            InboundError::Duplicate(vec!["status".into()])
        );
        for bad in [&b"{\"a\":1}"[..], b"just text", b"a=%FF"] {
            assert!(matches!(
                verify_form(inbound, &key(), bad),
                Err(InboundError::NotForm(_))
            ));
        }
    }

    #[test]
    fn redirect_accepts_a_pasted_url() {
        let inbound = crate::builtin().inbound("redirect").unwrap();
        let url = "https://merchantsite.com/checkout?merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1#top";
        let form = FormPairs::parse_query(url).unwrap();
        assert!(form.verify(inbound, &key()).is_ok());
    }

    #[test]
    fn query_response_doc_vector_keeps_the_raw_amount() {
        let query = crate::builtin().endpoint("query").unwrap();
        let json = r#"{"code":0,"message":"SUCCESS","messageCN":"操作成功","merchant_reference":"6000324","currency":"NZD","amount":120.00,"amount_cny":556.48,"rate":4.63733,"payment_method":"alipay","status":"paid","pay_time":"2017-07-07 10:53:50","order_id":"2017232323345678","transaction_id":"4200000001","signature":"3149d48405bf8782b8b4ae816a91744c5eb6d4a0293f8bb9bc8f0d9f29fdfb40"}"#;
        let ok = verify_response(query, &key(), json).unwrap();
        assert_eq!(ok.message, "6000324alipaypaidNZD120.00");
        let fields = JsonFields::parse(json).unwrap();
        assert_eq!(fields.get("amount"), Some(JsonText::Number("120.00")));
        // The same amount written as 120 is a different signed text.
        let err = verify_response(query, &key(), &json.replace("120.00", "120")).unwrap_err();
        assert!(matches!(err, InboundError::Mismatch { .. }));
        // An amount sent as a string is verified by its content.
        assert!(verify_response(query, &key(), &json.replace("120.00,", "\"120.00\",")).is_ok());
    }

    #[test]
    fn transaction_response_by_rule_c() {
        let tx = crate::builtin().endpoint("transaction").unwrap();
        let sig = key().sign_message(b"abc123https://pay.latipay.net/pay");
        let json = format!(
            r#"{{"code":0,"message":"SUCCESS","host_url":"https://pay.latipay.net/pay","nonce":"abc123","signature":"{}"}}"#,
            sig.to_hex()
        );
        let rule = tx.response.signature.as_ref().unwrap();
        let lookup = |n: &str| {
            Some(Cow::Borrowed(match n {
                "nonce" => "abc123",
                _ => "https://pay.latipay.net/pay",
            }))
        };
        assert_eq!(sign_concat(rule, &key(), lookup).unwrap(), sig);
        assert_eq!(
            verify_response(tx, &key(), &json).unwrap().message,
            "abc123https://pay.latipay.net/pay"
        );
        let err = verify_response(tx, &key(), &json.replace("abc123", "abc124")).unwrap_err();
        assert_eq!(
            err,
            InboundError::Mismatch {
                expected_message: "abc124https://pay.latipay.net/pay".into()
            }
        );
    }

    #[test]
    fn failures_and_bad_json_are_typed() {
        let tx = crate::builtin().endpoint("transaction").unwrap();
        let err = verify_response(tx, &key(), r#"{"code":206,"message":"signature wrong"}"#);
        assert_eq!(
            err.unwrap_err(),
            InboundError::NotSuccess {
                code: "206".into(),
                message: "signature wrong".into()
            }
        );
        for bad in ["", "[1]", "{", "12", "{\"a\":}"] {
            assert!(
                matches!(
                    verify_response(tx, &key(), bad),
                    Err(InboundError::BadJson(_))
                ),
                "{bad:?}"
            );
        }
        let refund = crate::builtin().endpoint("refund").unwrap();
        assert!(matches!(
            verify_response(refund, &key(), "{}"),
            Err(InboundError::Unsigned(_))
        ));
        let fields = JsonFields::parse(r#"{"a":null,"b":[1],"c":{"x":1},"d":true}"#).unwrap();
        assert_eq!(fields.text("a"), None);
        assert_eq!(fields.get("b").unwrap().kind(), "an array");
        assert_eq!(fields.get("c").unwrap().kind(), "an object");
        assert_eq!(fields.text("d"), Some("true"));
    }
}
