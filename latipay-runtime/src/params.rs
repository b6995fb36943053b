//! The `name`/`value` pairs of a nested object in an answer (`gatewaydata`, `paydata`,
//! `payment`), kept in the server's order in one buffer.

use std::convert::Infallible;
use std::fmt;

use latipay_spec::inbound::{for_each_member, for_each_string_member, push_string_content};

/// Ordered `(name, value)` pairs, in the order the server sent them, duplicates kept: a string's
/// content, any other value as written (`120.00`, `true`, a nested object's JSON).
///
/// Every name and value lives in one string, so an answer's 22 pairs cost two allocations
/// instead of 46 (one `String` per name and value).
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

    /// No pairs yet, with room for `text` bytes of names and values and `pairs` pairs.
    pub(crate) fn with_capacity(text: usize, pairs: usize) -> Params {
        Params {
            text: String::with_capacity(text),
            ends: Vec::with_capacity(pairs),
        }
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
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            text: &self.text,
            ends: self.ends.iter(),
            start: 0,
        }
    }

    /// `name=value` joined with `&`, in order, values as they are: what Latipay's mini app
    /// example passes to `my.tradePay` as `orderStr`.
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

    /// The members of the JSON object `raw`, which serde_json has already read as a valid raw
    /// value.
    pub(crate) fn from_json_object(raw: &str) -> Result<Params, serde_json::Error> {
        // Names and values are never longer than their JSON (quotes go, escapes shrink), so the
        // text is allocated once; the pairs at most once per `,` (commas in values count too).
        let mut params = Params::with_capacity(raw.len(), most_pairs(raw));
        // Usually every value is a string (Alipay's parameters): each is then read once. Any
        // other value, or an error, and the object is read again member by member as raw values,
        // which also gives the errors their usual words.
        let strings = for_each_string_member(raw, |name, value| {
            params.push(&name, &value);
            Ok::<(), Infallible>(())
        });
        if strings.is_ok() {
            return Ok(params);
        }
        params.text.clear();
        params.ends.clear();
        for_each_member(raw, |name, value| {
            params.text.push_str(&name);
            let name_end = params.text.len();
            if value.get().starts_with('"') {
                push_string_content(value, &mut params.text)?;
            } else {
                params.text.push_str(value.get());
            }
            params.ends.push((name_end, params.text.len()));
            Ok::<(), serde_json::Error>(())
        })?;
        Ok(params)
    }
}

/// At most one pair per `,` in `json`, plus one (commas in values count too): room for the
/// pairs of any object in it, allocated once.
pub(crate) fn most_pairs(json: &str) -> usize {
    memchr::memchr_iter(b',', json.as_bytes()).count() + 1
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<N: AsRef<str>, V: AsRef<str>> FromIterator<(N, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(pairs: I) -> Params {
        let mut params = Params::new();
        for (name, value) in pairs {
            params.push(name.as_ref(), value.as_ref());
        }
        params
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The pairs of a [`Params`], in order.
#[derive(Clone)]
pub struct Iter<'a> {
    text: &'a str,
    ends: std::slice::Iter<'a, (usize, usize)>,
    start: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let &(name_end, value_end) = self.ends.next()?;
        // The ends were recorded at char boundaries of this text, in increasing order.
        let name = self.text.get(self.start..name_end).unwrap_or_default();
        let value = self.text.get(name_end..value_end).unwrap_or_default();
        self.start = value_end;
        Some((name, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_the_servers_order_and_duplicates() {
        let raw = r#"{"service":"create_forex_trade_wap","partner":"2088121611339960","_input_charset":"UTF-8","total_fee":120.00,"x":"","x":"second"}"#;
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
            ]
        );
        assert_eq!(params.len(), 6);
        assert_eq!(params.get("x"), Some(""), "the first of a duplicate");
        assert_eq!(params.get("missing"), None);
        assert_eq!(
            params.join(),
            "service=create_forex_trade_wap&partner=2088121611339960&_input_charset=UTF-8&total_fee=120.00&x=&x=second"
        );
    }

    #[test]
    fn built_pairs_read_back_as_pushed() {
        let params: Params = [("b", "2"), ("a", "1"), ("é", "")].into_iter().collect();
        assert_eq!(params.iter().len(), 3);
        assert_eq!(
            params.iter().collect::<Vec<_>>(),
            [("b", "2"), ("a", "1"), ("é", "")]
        );
        assert_eq!(
            format!("{params:?}"),
            r#"[("b", "2"), ("a", "1"), ("é", "")]"#
        );
        assert!(Params::new().is_empty());
        assert_eq!(Params::new().join(), "");
    }
}
