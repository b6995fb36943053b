//! YAML text to the raw, positioned form of a spec. Shape errors (unknown or duplicate keys, wrong
//! value kinds, bad YAML) come from serde-saphyr with their line and column; meaning is checked by
//! `validate`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::error::SpecError;
use crate::model::Position;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpec {
    pub version: Spanned<u64>,
    pub endpoints: OrderedMap<RawEndpoint>,
    #[serde(default)]
    pub inbound: OrderedMap<RawInbound>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEndpoint {
    #[serde(default)]
    pub doc: String,
    pub method: Spanned<String>,
    pub path: Spanned<String>,
    pub fields: OrderedMap<RawField>,
    pub signing: Option<RawRule>,
    pub signature_in: Option<Spanned<String>>,
    pub response: Option<RawResponse>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(rename = "in")]
    pub location: Option<Spanned<String>>,
    pub optional: Option<Spanned<bool>>,
    pub from: Option<Spanned<String>>,
    #[serde(rename = "const")]
    pub constant: Option<Spanned<String>>,
    pub signed: Option<bool>,
    pub values: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub rule: Spanned<String>,
    pub fields: Option<Vec<Spanned<String>>>,
    pub append_key: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawResponse {
    pub model: Spanned<String>,
    pub signature: Option<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInbound {
    #[serde(default)]
    pub doc: String,
    pub encoding: Spanned<String>,
    pub signature: RawRule,
    pub fields: OrderedMap<RawField>,
}

/// A YAML mapping kept in file order, keys with their positions.
pub(crate) struct OrderedMap<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// The position a span points at.
pub(crate) fn position<T>(s: &Spanned<T>) -> Position {
    Position {
        line: s.referenced.line(),
        column: s.referenced.column(),
    }
}

pub(crate) fn parse(text: &str, origin: &str) -> Result<RawSpec, SpecError> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    serde_saphyr::from_str_with_options::<RawSpec>(text, options).map_err(|e| {
        let position = e
            .location()
            .map(|l| Position {
                line: l.line(),
                column: l.column(),
            })
            .unwrap_or_default();
        SpecError {
            origin: origin.to_owned(),
            position,
            message: plain_message(&e),
        }
    })
}

/// serde-saphyr's message without its rendered snippet and position suffix: the position is
/// reported once, in front, like a compiler does.
fn plain_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_owned(),
        None => first.to_owned(),
    }
}
