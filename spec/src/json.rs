//! A JSON object as Latipay sent it: its members in the order received, duplicates kept, each
//! value as its raw JSON text. Numbers keep the text they were written with (`120.00` stays
//! `120.00`; a float would make it `120` and break Rule B), and nested objects keep the server's
//! key order (`my.tradePay` wants it). Read by serde_json.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The members of one JSON object, in the order received.
#[derive(Clone, Default)]
pub struct RawObject {
    members: Vec<(String, Box<RawValue>)>,
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

impl RawObject {
    /// Reads one JSON object; anything else (an array, a number, broken JSON, trailing text) is
    /// an error with serde_json's message.
    pub fn parse(text: &str) -> Result<RawObject, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError(e.to_string()))
    }

    /// Every member, in the order received.
    pub fn members(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members.iter().map(|(n, v)| (n.as_str(), &**v))
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

    /// The members whose names are not in `names`, in the order received.
    pub fn without(&self, names: &[&str]) -> RawObject {
        RawObject {
            members: self
                .members
                .iter()
                .filter(|(n, _)| !names.contains(&n.as_str()))
                .cloned()
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
        for (i, (name, value)) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::Value::from(name.as_str()).to_string());
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

impl fmt::Debug for RawObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.members.iter().map(|(n, v)| (n, v.get())))
            .finish()
    }
}

impl PartialEq for RawObject {
    fn eq(&self, other: &RawObject) -> bool {
        self.members()
            .map(|(n, v)| (n, v.get()))
            .eq(other.members().map(|(n, v)| (n, v.get())))
    }
}

impl Eq for RawObject {}

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = RawObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
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
            assert!(RawObject::parse(bad).is_err(), "{bad:?}");
        }
    }
}
