//! The `name`/`value` pairs of a nested object in an answer (`gatewaydata`, `paydata`,
//! `payment`), kept in the server's order.

use std::fmt;

use latipay_spec::inbound::{RawObject, text_of};

/// Ordered `(name, value)` pairs, in the order the server sent them, duplicates kept: a string's
/// content, any other value as written (`120.00`, `true`, a nested object's JSON).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// No pairs.
    pub fn new() -> Params {
        Params::default()
    }

    /// Appends a pair.
    pub fn push(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_owned(), value.to_owned()));
    }

    /// How many pairs there are.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The value of the first pair called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// `name=value` joined with `&`, in order, values as they are (no encoding): the `orderStr`
    /// that Latipay's JavaScript example builds from `gatewaydata`.
    pub fn join(&self) -> String {
        let mut out = String::new();
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

    /// The pairs of a JSON object's raw text.
    pub fn from_json_object(raw: &str) -> Result<Params, String> {
        let object = RawObject::parse(raw).map_err(|e| e.0)?;
        Ok(Params {
            pairs: object
                .members()
                .map(|(name, value)| {
                    let text =
                        text_of(value).map_or_else(|| value.get().to_owned(), |t| t.into_owned());
                    (name.to_owned(), text)
                })
                .collect(),
        })
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
