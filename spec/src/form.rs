//! `application/x-www-form-urlencoded` bodies and query strings: the notification and the
//! redirect arrive so. Decoded by `form_urlencoded`; a part whose bytes do not decode to UTF-8 is
//! refused rather than read with replacement characters, since what was signed is then unknown.

use std::borrow::Cow;

use crate::inbound::{InboundError, Verified, verify};
use crate::model::Inbound;
use crate::sign::SigningKey;

/// A form body or query string: (name, value) pairs, decoded, in the order received. Unknown
/// fields are kept: real payloads carry more than the spec lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPairs<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> FormPairs<'a> {
    /// Reads an `application/x-www-form-urlencoded` body. Every part must decode to UTF-8, and a
    /// body that is plainly JSON is refused rather than half-read.
    pub fn parse(body: &'a [u8]) -> Result<FormPairs<'a>, InboundError> {
        let body = body.trim_ascii();
        if matches!(body.first(), Some(b'{' | b'[')) {
            return Err(InboundError::NotForm(
                "it looks like JSON; a form body is name=value pairs joined with &".into(),
            ));
        }
        let pairs: Vec<_> = form_urlencoded::parse(body).collect();
        // `form_urlencoded` replaces bytes that are not UTF-8 with U+FFFD; a replacement that the
        // body did not spell out (literally or as %EF%BF%BD) means it did so here.
        let spelled = std::str::from_utf8(body)
            .is_ok_and(|t| t.contains('\u{FFFD}') || t.to_ascii_uppercase().contains("%EF%BF%BD"));
        if !spelled
            && let Some((name, _)) = pairs
                .iter()
                .find(|(n, v)| n.contains('\u{FFFD}') || v.contains('\u{FFFD}'))
        {
            return Err(InboundError::NotForm(format!(
                "the part `{}` does not decode to UTF-8",
                name.replace('\u{FFFD}', "?")
            )));
        }
        Ok(FormPairs { pairs })
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

    /// The first value of `name` (borrowed from the body unless it had escapes).
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// Every pair, in the order received.
    pub fn pairs(&self) -> impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)> + '_ {
        self.pairs.iter().cloned()
    }

    /// The pairs as owned strings.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
            .into_iter()
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
