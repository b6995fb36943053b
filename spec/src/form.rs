//! `application/x-www-form-urlencoded` bodies and query strings: the notification and the
//! redirect arrive so. The body is split into its `name=value` parts once; each part is decoded by
//! `form_urlencoded` when it is read, and only if it has escapes, so verifying a notification
//! decodes just the values it signs. A part whose bytes do not decode to UTF-8 is refused when the
//! body is read, rather than read with replacement characters: what was signed is then unknown.

use std::borrow::Cow;

use crate::inbound::{InboundError, Verified, verify};
use crate::model::Inbound;
use crate::sign::SigningKey;

/// A form body or query string: its `name=value` parts in the order received, read in place.
/// Unknown fields are kept: real payloads carry more than the spec lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPairs<'a> {
    /// Each part as received, empty parts left out.
    parts: Vec<Part<'a>>,
}

/// One `name=value` part as received (percent-encoded), and which of its sides has escapes: found
/// once when the body is read, so reading a side without escapes does not search it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Part<'a> {
    name: &'a str,
    value: &'a str,
    escaped_name: bool,
    escaped_value: bool,
}

impl<'a> Part<'a> {
    fn new(name: &'a str, value: &'a str, part: &[u8]) -> Part<'a> {
        // Most parts have no escapes: one search of the whole part says so.
        let escaped = memchr::memchr2(b'%', b'+', part).is_some();
        Part {
            name,
            value,
            escaped_name: escaped && has_escapes(name),
            escaped_value: escaped && has_escapes(value),
        }
    }

    /// The name, decoded: borrowed when it has no escapes.
    pub(crate) fn name(&self) -> Cow<'a, str> {
        decoded(self.name, self.escaped_name)
    }

    /// The value, decoded: borrowed when it has no escapes.
    pub(crate) fn value(&self) -> Cow<'a, str> {
        decoded(self.value, self.escaped_value)
    }

    /// Whether the value is empty as received (an empty value decodes to an empty text).
    pub(crate) fn value_is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

fn has_escapes(raw: &str) -> bool {
    memchr::memchr2(b'%', b'+', raw.as_bytes()).is_some()
}

/// A name or value as received, decoded when it has escapes.
fn decoded(raw: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(raw);
    }
    // One component through the crate's decoder: `raw` has no `&` or `=` left to split on.
    form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(text, _)| text)
        .unwrap_or(Cow::Borrowed(""))
}

/// Whether a component with escapes decodes to UTF-8 (`form_urlencoded` would put U+FFFD in its
/// place otherwise).
fn decodes_to_utf8(raw: &str, escaped: bool) -> bool {
    !escaped
        || !raw.contains('%')
        || percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .is_ok()
}

/// The `name=value` parts of a form, empty parts left out; a part without `=` is a name with an
/// empty value. One vectorised search finds both separators (`str::split` then `split_once`
/// searched each part twice, a third of a notification's verification).
fn split(text: &str) -> impl Iterator<Item = Part<'_>> {
    let bytes = text.as_bytes();
    let mut separators = memchr::memchr2_iter(b'&', b'=', bytes).chain([bytes.len()]);
    let mut start = 0;
    std::iter::from_fn(move || {
        loop {
            let mut equals = None;
            let end = loop {
                let at = separators.next()?;
                if at == bytes.len() || bytes[at] == b'&' {
                    break at;
                }
                equals.get_or_insert(at);
            };
            let part_start = start;
            start = end + 1;
            if end == part_start {
                continue;
            }
            // `&` and `=` are ASCII, so these are char boundaries.
            let part = &bytes[part_start..end];
            return Some(match equals {
                Some(eq) => Part::new(&text[part_start..eq], &text[eq + 1..end], part),
                None => Part::new(&text[part_start..end], "", part),
            });
        }
    })
}

impl<'a> FormPairs<'a> {
    /// Reads an `application/x-www-form-urlencoded` body. The body and every decoded part must be
    /// UTF-8, and a body that is plainly JSON is refused rather than half-read.
    pub fn parse(body: &'a [u8]) -> Result<FormPairs<'a>, InboundError> {
        let body = body.trim_ascii();
        if matches!(body.first(), Some(b'{' | b'[')) {
            return Err(InboundError::NotForm(
                "it looks like JSON; a form body is name=value pairs joined with &".into(),
            ));
        }
        let text = std::str::from_utf8(body)
            .map_err(|_| InboundError::NotForm("the body is not UTF-8 text".into()))?;
        // Latipay's notification has about ten parts: room for them, grown for more.
        let mut parts = Vec::with_capacity(16);
        for part in split(text) {
            if !decodes_to_utf8(part.name, part.escaped_name)
                || !decodes_to_utf8(part.value, part.escaped_value)
            {
                return Err(InboundError::NotForm(format!(
                    "the part `{}` does not decode to UTF-8",
                    part.name().replace('\u{FFFD}', "?")
                )));
            }
            parts.push(part);
        }
        Ok(FormPairs { parts })
    }

    /// Reads a redirect's query string; a leading `?`, or a whole URL pasted from a browser, is
    /// accepted too (everything up to the first `?` is dropped, and a `#fragment` is ignored).
    pub fn parse_query(text: &'a str) -> Result<FormPairs<'a>, InboundError> {
        let text = text.trim();
        let query = match text.find('?') {
            Some(i) => &text[i + 1..],
            None => text,
        };
        let query = query.split('#').next().unwrap_or("");
        FormPairs::parse(query.as_bytes())
    }

    /// The first value of `name`, decoded (borrowed from the body unless it had escapes).
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        self.parts
            .iter()
            .find(|part| part.name() == name)
            .map(Part::value)
    }

    /// Every pair, decoded, in the order received.
    pub fn pairs(&self) -> impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)> + '_ {
        self.parts.iter().map(|part| (part.name(), part.value()))
    }

    /// The parts as received: what the verifier reads, decoding only the values it signs.
    pub(crate) fn raw_parts(&self) -> &[Part<'a>] {
        &self.parts
    }

    /// The pairs as owned strings.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect()
    }

    /// Verifies the pairs by `inbound`'s rule (Rule B for the notification and the redirect) and
    /// returns the message that was signed. A signed field given twice is refused: which copy
    /// was signed is unknowable.
    pub fn verify(&self, inbound: &Inbound, key: &SigningKey) -> Result<Verified, InboundError> {
        verify(&inbound.signature, self, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses_what_is_not_utf8() {
        let form = FormPairs::parse(b"a=1+2&b=%C3%A9&c=&d").unwrap();
        let pairs: Vec<_> = form.pairs().collect();
        assert_eq!(
            pairs,
            [
                ("a".into(), "1 2".into()),
                ("b".into(), "é".into()),
                ("c".into(), "".into()),
                ("d".into(), "".into())
            ]
        );
        assert!(matches!(
            FormPairs::parse(b"a=%FF"),
            Err(InboundError::NotForm(_))
        ));
        assert!(matches!(
            FormPairs::parse(b"{\"a\":1}"),
            Err(InboundError::NotForm(_))
        ));
        assert_eq!(
            FormPairs::parse(b"a=%EF%BF%BD")
                .unwrap()
                .get("a")
                .as_deref(),
            Some("\u{FFFD}")
        );
        let q = FormPairs::parse_query("https://x.test/r?a=1&b=2#top").unwrap();
        assert_eq!(q.get("b").as_deref(), Some("2"));
    }
}
