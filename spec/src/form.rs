//! `application/x-www-form-urlencoded` bodies and query strings: the notification and the
//! redirect arrive so. The body is split into its `name=value` parts once; each side of a part is
//! decoded (`+` a space, `%XX` a byte) when it is read, and only if it has escapes, so verifying a notification
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

/// A name or value as received, decoded when it has escapes: `+` is a space, then each `%XX` its
/// byte, as `form_urlencoded` decodes each side of a part. The side is decoded as it is, never
/// split again: a value may hold a literal `=` (only a part's first `=` separates), which reading
/// it as a form of its own would cut off (`status==%70aid` read as an empty status).
fn decoded(raw: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(raw);
    }
    // One allocation: the decoded text is never longer than the raw one.
    let mut bytes = Vec::with_capacity(raw.len());
    for (i, piece) in raw.split('+').enumerate() {
        if i > 0 {
            bytes.push(b' ');
        }
        bytes.extend(percent_encoding::percent_decode_str(piece));
    }
    // `FormPairs::parse` refused every side that does not decode to UTF-8.
    match String::from_utf8(bytes) {
        Ok(text) => Cow::Owned(text),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
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

    /// A lone continuation byte (`%80` to `%BF`, the first sixteen of which a mutant of the UTF-8
    /// check let through) and every byte that cannot start a UTF-8 sequence are refused, in a
    /// name or a value, alone or after valid text; a sequence cut short too. What completes a
    /// sequence is read as its character.
    #[test]
    fn every_escape_that_is_not_utf8_is_refused_on_either_side() {
        let refused = |body: &str| {
            assert!(
                matches!(
                    FormPairs::parse(body.as_bytes()),
                    Err(InboundError::NotForm(_))
                ),
                "{body:?} was accepted"
            );
            assert!(FormPairs::parse_query(body).is_err(), "{body:?} as a query");
        };
        for byte in (0x80..=0xBF).chain(0xC0..=0xC1).chain(0xF5..=0xFF) {
            let e = format!("%{byte:02X}");
            for body in [
                format!("a={e}"),
                format!("{e}=1"),
                format!("a=x{e}y"),
                format!("a=1&b={e}&c=3"),
                format!("a=%C3%A9{e}"),
                format!("a=+{e}"),
            ] {
                refused(&body);
            }
        }
        // Cut short: a lead byte without all its continuation bytes, or with a wrong one.
        for cut in [
            "%C3",
            "%E4%B8",
            "%F0%9F%98",
            "%C3%41",
            "%E4%41%AD",
            "%ED%A0%80",
        ] {
            refused(&format!("a={cut}"));
            refused(&format!("{cut}=1"));
        }
        // Complete sequences of each length decode, escaped or as they are.
        for (raw, text) in [
            ("%C2%80", "\u{80}"),
            ("%DF%BF", "\u{7FF}"),
            ("%E4%B8%AD", "中"),
            ("%EF%BF%BF", "\u{FFFF}"),
            ("%F0%9F%98%80", "😀"),
            ("%F4%8F%BF%BF", "\u{10FFFF}"),
            ("%41", "A"),
            ("%2B", "+"),
            ("a+b", "a b"),
            ("%25", "%"),
            ("中", "中"),
        ] {
            let body = format!("{raw}={raw}");
            let form = FormPairs::parse(body.as_bytes()).unwrap();
            assert_eq!(
                form.pairs().collect::<Vec<_>>(),
                [(text.into(), text.into())],
                "{raw}"
            );
        }
        // `%` not followed by two hex digits is a plain `%`, as browsers send it.
        let form = FormPairs::parse(b"a=100%&b=%zz&c=%4").unwrap();
        assert_eq!(
            form.into_pairs(),
            [
                ("a".to_owned(), "100%".to_owned()),
                ("b".to_owned(), "%zz".to_owned()),
                ("c".to_owned(), "%4".to_owned())
            ]
        );
    }

    /// A value holds every `=` after its part's first, escaped or not: decoding one side of a
    /// part never splits it again (it was read as a form of its own, which cut `==%70aid` to an
    /// empty value, found by the `inbound` fuzzer).
    #[test]
    fn a_value_keeps_its_equals_signs_when_it_has_escapes() {
        for (body, value) in [
            ("status==%70aid", "=paid"),
            ("note=x=y+z", "x=y z"),
            ("note=a%3Db=c", "a=b=c"),
            ("note=%3D=%3D", "==="),
            ("note==+", "= "),
            ("note=x=y", "x=y"),
        ] {
            let form = FormPairs::parse(body.as_bytes()).unwrap();
            assert_eq!(
                form.get(body.split('=').next().unwrap()).as_deref(),
                Some(value),
                "{body}"
            );
            assert_eq!(
                form.pairs().next().map(|(_, v)| v.into_owned()).as_deref(),
                Some(value)
            );
        }
        // Each decodes as `form_urlencoded` decodes the same body.
        let body = "a=%41+b&c=d=e%2Bf&g%3D=h+=";
        let ours = FormPairs::parse(body.as_bytes()).unwrap().into_pairs();
        let theirs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(ours, theirs);
    }

    /// Separators in every arrangement: empty parts are left out, a part without `=` is a name
    /// with an empty value, and only the first `=` splits. Each input is bounded and read in
    /// bounded time (the loops of `split` end at the body's end, whatever it holds).
    #[test]
    fn separators_in_every_arrangement() {
        for (body, pairs) in [
            ("", &[][..]),
            ("&", &[]),
            ("&&&", &[]),
            ("=", &[("", "")]),
            ("==", &[("", "=")]),
            ("a", &[("a", "")]),
            ("a=", &[("a", "")]),
            ("=1", &[("", "1")]),
            ("a=1=2", &[("a", "1=2")]),
            ("&a=1&&b=2&", &[("a", "1"), ("b", "2")]),
            ("a&b", &[("a", ""), ("b", "")]),
        ] {
            let form = FormPairs::parse(body.as_bytes()).unwrap();
            let expected: Vec<(String, String)> = pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect();
            assert_eq!(form.into_pairs(), expected, "{body:?}");
        }
        // Many parts, many separators in a row: read once each, in order.
        let body = "x=1&&".repeat(10_000);
        let form = FormPairs::parse(body.as_bytes()).unwrap();
        assert_eq!(form.pairs().count(), 10_000);
        let body = "=&".repeat(10_000);
        assert_eq!(
            FormPairs::parse(body.as_bytes()).unwrap().pairs().count(),
            10_000
        );
        // The query reader drops everything up to the first `?` and from the first `#`.
        for (text, b) in [
            ("?a=1&b=2", Some("2")),
            ("a=1&b=2#b=3", Some("2")),
            ("https://m.example/p?x=1?b=2", None),
            ("https://m.example/p#b=2", None),
            ("  b=2  ", Some("2")),
        ] {
            let form = FormPairs::parse_query(text).unwrap();
            assert_eq!(form.get("b").as_deref(), b, "{text:?}");
        }
        assert_eq!(
            FormPairs::parse_query("https://m.example/p?x=1?b=2")
                .unwrap()
                .get("x")
                .as_deref(),
            Some("1?b=2")
        );
    }
}
