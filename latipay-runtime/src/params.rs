//! The `name`/`value` pairs of a nested object in an answer (`gatewaydata`, `paydata`,
//! `payment`), kept in the server's order.

use std::fmt;

use latipay_spec::inbound::text_of;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Ordered `(name, value)` pairs, in the order the server sent them, duplicates kept: a string's
/// content, any other value as written (`120.00`, `true`, a nested object's JSON).
///
/// Every name and value lives in one string: an answer's `gatewaydata` (about 20 pairs) costs two
/// allocations instead of one per name and value, which showed in the end-to-end benchmark.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    text: String,
    /// Where each pair's name and value end in `text`; each name starts where the previous
    /// value ended.
    ends: Vec<(usize, usize)>,
}

impl Params {
    /// No pairs.
    pub fn new() -> Params {
        Params::default()
    }

    /// Appends a pair.
    pub fn push(&mut self, name: &str, value: &str) {
        self.text.push_str(name);
        let name_end = self.text.len();
        self.text.push_str(value);
        self.ends.push((name_end, self.text.len()));
    }

    /// How many pairs there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The value of the first pair called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        let mut start = 0;
        self.ends.iter().map(move |&(name_end, value_end)| {
            // The ends were recorded at char boundaries of `text`, in increasing order (`push` and
            // the reader are the only writers): the slices cannot fail.
            let (name, value) = (&self.text[start..name_end], &self.text[name_end..value_end]);
            start = value_end;
            (name, value)
        })
    }

    /// `name=value` joined with `&`, in order, values as they are (no encoding): the `orderStr`
    /// that Latipay's JavaScript example builds from `gatewaydata`.
    pub fn join(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 2 * self.len());
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
        out
    }

    /// The pairs of a JSON object's raw text, read by serde_json.
    pub fn from_json_object(raw: &str) -> Result<Params, String> {
        let mut params = Params {
            text: String::with_capacity(raw.len()),
            ends: Vec::new(),
        };
        let mut de = serde_json::Deserializer::from_str(raw);
        de.deserialize_map(Pairs(&mut params))
            .and_then(|()| de.end())
            .map_err(|e| e.to_string())?;
        Ok(params)
    }
}

/// Reads an object's members straight into a [`Params`]: each name pushed as it is read, each
/// value's text after it.
struct Pairs<'p>(&'p mut Params);

impl<'de> Visitor<'de> for Pairs<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Name(&mut self.0.text))?.is_some() {
            let name_end = self.0.text.len();
            let value: &RawValue = map.next_value()?;
            match text_of(value) {
                Some(text) => self.0.text.push_str(&text),
                None => self.0.text.push_str(value.get()),
            }
            self.0.ends.push((name_end, self.0.text.len()));
        }
        Ok(())
    }
}

/// A member's name, appended to the buffer as serde_json reads it.
struct Name<'t>(&'t mut String);

impl<'de> DeserializeSeed<'de> for Name<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Name<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name")
    }

    fn visit_str<E>(self, name: &str) -> Result<(), E> {
        self.0.push_str(name);
        Ok(())
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Params {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Params {
        let mut params = Params::new();
        for (name, value) in iter {
            params.push(name, value);
        }
        params
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_the_servers_order_and_duplicates() {
        let raw = r#"{"service":"create_forex_trade_wap","partner":"2088121611339960","_input_charset":"UTF-8","total_fee":120.00,"x":"","x":"second","n":null,"o":{"a":[1]}}"#;
        let params = Params::from_json_object(raw).unwrap();
        let pairs: Vec<(&str, &str)> = params.iter().collect();
        assert_eq!(
            pairs,
            [
                ("service", "create_forex_trade_wap"),
                ("partner", "2088121611339960"),
                ("_input_charset", "UTF-8"),
                ("total_fee", "120.00"),
                ("x", ""),
                ("x", "second"),
                ("n", "null"),
                ("o", r#"{"a":[1]}"#),
            ]
        );
        assert_eq!(params.get("x"), Some(""), "the first of a duplicate");
        assert_eq!(params.get("missing"), None);
        assert_eq!(
            params.join(),
            r#"service=create_forex_trade_wap&partner=2088121611339960&_input_charset=UTF-8&total_fee=120.00&x=&x=second&n=null&o={"a":[1]}"#
        );
        assert!(Params::from_json_object("[1]").is_err());
    }

    #[test]
    fn built_pairs_read_back_as_pushed() {
        let params: Params = [("b", "2"), ("a", "1"), ("é", "")].into_iter().collect();
        assert_eq!(params.iter().len(), 3);
        assert_eq!(
            format!("{params:?}"),
            r#"[("b", "2"), ("a", "1"), ("é", "")]"#
        );
        assert!(Params::new().is_empty());
        assert_eq!(Params::new().join(), "");
    }
}
