//! A JSON object as Latipay sent it: its members in the order received, duplicates kept, each
//! value as its raw JSON text. Numbers keep the text they were written with (`120.00` stays
//! `120.00`; a float would make it `120` and break Rule B), and nested objects keep the server's
//! key order (`my.tradePay` wants it). Read by serde_json.
//!
//! A parsed object borrows its names and values from the text it was read from, so reading an
//! answer (and each nested object of it) copies nothing; [`RawObject::into_owned`] keeps one past
//! its text, as a decoded answer keeps its undeclared members.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The members of one JSON object, in the order received: borrowed from the text read, or owned
/// (`RawObject<'static>`).
#[derive(Clone, Default)]
pub struct RawObject<'a> {
    members: Vec<(Cow<'a, str>, Cow<'a, RawValue>)>,
}

/// Why a text is not one JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl<'a> RawObject<'a> {
    /// Reads one JSON object; anything else (an array, a number, broken JSON, trailing text) is
    /// an error with serde_json's message.
    pub fn parse(text: &'a str) -> Result<RawObject<'a>, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError(e.to_string()))
    }

    /// Every member, in the order received.
    pub fn members(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members.iter().map(|(n, v)| (&**n, &**v))
    }

    /// The raw value of the member `name`; of several, the last (as serde_json reads them).
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.members
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &**v)
    }

    /// The text of the scalar member `name` (see [`text_of`]).
    pub fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).and_then(text_of)
    }

    /// The members whose names are not in `names`, in the order received, owned.
    pub fn without(&self, names: &[&str]) -> RawObject<'static> {
        RawObject {
            members: self
                .members
                .iter()
                .filter(|(n, _)| !names.contains(&&**n))
                .map(|(n, v)| (Cow::Owned(n.to_string()), Cow::Owned((**v).to_owned())))
                .collect(),
        }
    }

    /// The same members, owned: kept past the text they were read from.
    pub fn into_owned(self) -> RawObject<'static> {
        RawObject {
            members: self
                .members
                .into_iter()
                .map(|(n, v)| (Cow::Owned(n.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
        }
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The object's JSON text, members in the order received.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (name, value)) in self.members().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::Value::from(name).to_string());
            out.push(':');
            out.push_str(value.get());
        }
        out.push('}');
        out
    }
}

/// The text a scalar is signed and read as: a string's content, a number's raw text,
/// `true`/`false`. `None` for `null`, objects and arrays.
pub fn text_of(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' => match text.get(1..text.len() - 1).filter(|c| !c.contains('\\')) {
            // serde_json checked the literal; without escapes its content is between the quotes.
            Some(content) => Some(Cow::Borrowed(content)),
            None => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
        },
        b'{' | b'[' | b'n' => None,
        _ => Some(Cow::Borrowed(text)),
    }
}

/// What kind of JSON value `raw` is, for messages.
pub fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

impl fmt::Debug for RawObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.members().map(|(n, v)| (n, v.get())))
            .finish()
    }
}

impl PartialEq for RawObject<'_> {
    fn eq(&self, other: &RawObject<'_>) -> bool {
        self.members()
            .map(|(n, v)| (n, v.get()))
            .eq(other.members().map(|(n, v)| (n, v.get())))
    }
}

impl Eq for RawObject<'_> {}

/// A member's name: borrowed from the text unless it has escapes (serde's `Cow<str>` is always
/// owned).
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
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(name))
    }
    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(name.to_owned()))
    }
}

impl<'de> Deserialize<'de> for RawObject<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = RawObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject<'de>, A::Error> {
                // Room for a typical answer's members without growing.
                let mut members = Vec::with_capacity(8);
                while let Some(name) = map.next_key_seed(Name)? {
                    let value: &'de RawValue = map.next_value()?;
                    members.push((name, Cow::Borrowed(value)));
                }
                Ok(RawObject { members })
            }
        }
        deserializer.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_order_duplicates_and_raw_numbers() {
        let o = RawObject::parse(
            r#"{"b":"x","a":120.00,"c":null,"d":{"z":1,"y":2},"b":"y\u00e9","t":true}"#,
        )
        .unwrap();
        let names: Vec<&str> = o.members().map(|(n, _)| n).collect();
        assert_eq!(names, ["b", "a", "c", "d", "b", "t"]);
        assert_eq!(o.text("a").as_deref(), Some("120.00"));
        assert_eq!(o.text("b").as_deref(), Some("yé"), "the last of a name");
        assert_eq!(o.text("c"), None);
        assert_eq!(o.text("d"), None);
        assert_eq!(o.get("d").map(RawValue::get), Some(r#"{"z":1,"y":2}"#));
        assert_eq!(o.text("t").as_deref(), Some("true"));
        assert_eq!(kind_of(o.get("d").unwrap()), "an object");
        assert_eq!(
            RawObject::parse(&o.to_json()).unwrap().to_json(),
            o.to_json()
        );
    }

    #[test]
    fn anything_but_one_object_is_refused() {
        for bad in ["", "[1]", "{", "12", r#"{"a":}"#, r#"{"a":1} x"#] {
            let e = RawObject::parse(bad).unwrap_err();
            assert!(!e.to_string().is_empty(), "{bad:?}: serde_json's message");
        }
        let e = RawObject::parse("[1]").unwrap_err();
        assert!(e.to_string().contains("a JSON object"), "{e}");
    }

    #[test]
    fn kinds_and_texts_of_every_value() {
        for (raw, kind, text) in [
            (r#""a\"b""#, "a string", Some(r#"a"b"#)),
            (r#""plain""#, "a string", Some("plain")),
            (r#""""#, "a string", Some("")),
            ("{}", "an object", None),
            ("[1]", "an array", None),
            ("null", "null", None),
            ("true", "a boolean", Some("true")),
            ("false", "a boolean", Some("false")),
            ("-1.50", "a number", Some("-1.50")),
        ] {
            let value: &RawValue = serde_json::from_str(raw).unwrap();
            assert_eq!(kind_of(value), kind, "{raw}");
            assert_eq!(text_of(value).as_deref(), text, "{raw}");
        }
    }

    #[test]
    fn owned_copies_equality_and_the_rest() {
        let text = r#"{"code":0,"n\u0061me":"x","amount":120.00,"code":1}"#;
        let o = RawObject::parse(text).unwrap();
        assert!(!o.is_empty());
        assert!(RawObject::parse("{}").unwrap().is_empty());
        // A name with an escape is read (and owned) as what it spells.
        assert_eq!(o.text("name").as_deref(), Some("x"));
        let owned = o.clone().into_owned();
        assert_eq!(owned, o);
        assert_eq!(owned.to_json(), o.to_json());
        let rest = o.without(&["code"]);
        let names: Vec<&str> = rest.members().map(|(n, _)| n).collect();
        assert_eq!(names, ["name", "amount"]);
        assert_ne!(rest, o);
        assert_ne!(o, RawObject::parse(r#"{"code":0}"#).unwrap());
        assert_eq!(o.without(&[]), o);
        assert_eq!(
            format!("{:?}", RawObject::parse(r#"{"a":1.0}"#).unwrap()),
            r#"{"a": "1.0"}"#
        );
        // A member name that is not a string is refused with the reader's word for it.
        let e = RawObject::parse(r#"{"a":{"b":1},1:2}"#).unwrap_err();
        assert!(e.to_string().contains("key must be a string"), "{e}");
    }
}
