//! `application/x-www-form-urlencoded` bodies and query strings, read in place: the notification
//! and the redirect arrive so. A form is checked once (every part `name=value`, every name and
//! value decoding to UTF-8) and then read without copying: a value is percent-decoded only when it
//! is read and has escapes. Verifying Latipay's notification this way allocates nothing.

use std::borrow::Cow;

use memchr::arch::all::memchr::{One, Two};

use crate::inbound::{InboundError, SIGNATURE, Verified, concat_message, sign_fields};
use crate::model::{Inbound, MAX_INBOUND_SIGNED_FIELDS, SigningRule};
use crate::sign::SigningKey;

/// A form body or query string, checked and read in place: (name, value) pairs in the order
/// received. Unknown fields are kept: real payloads carry more than the spec lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormPairs<'a> {
    text: &'a str,
}

impl<'a> FormPairs<'a> {
    /// Checks an `application/x-www-form-urlencoded` body. Every non-empty `&`-separated part
    /// must be `name=value`, and the decoded bytes must be UTF-8; anything else (JSON, binary) is
    /// refused rather than half-read.
    pub fn parse(body: &'a [u8]) -> Result<FormPairs<'a>, InboundError> {
        let text = form_text(body)?;
        for_each_part(text, |part| part.check_utf8())?;
        Ok(FormPairs { text })
    }

    /// [`FormPairs::parse`] and [`FormPairs::check`] in one pass over the body: what the runtime
    /// does with every notification.
    pub fn parse_checked(
        body: &'a [u8],
        inbound: &Inbound,
        key: &SigningKey,
    ) -> Result<FormPairs<'a>, InboundError> {
        let text = form_text(body)?;
        check_text(text, inbound, key, true)?;
        Ok(FormPairs { text })
    }

    /// Checks a redirect's query string; a leading `?`, or a whole URL pasted from a browser, is
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

    fn parts(&self) -> impl Iterator<Item = Part<'a>> + use<'a> {
        // Checked by `parse`: every part is well formed.
        Parts::new(self.text).filter_map(Result::ok)
    }

    /// The first value of `name`, decoded.
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        self.parts()
            .find(|p| p.decoded_name() == name)
            .map(|p| p.decoded_value())
    }

    /// Every pair, decoded, in the order received.
    pub fn pairs(&self) -> impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)> + use<'a> {
        self.parts().map(|p| (p.decoded_name(), p.decoded_value()))
    }

    /// The pairs as owned strings.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect()
    }

    /// Verifies the pairs by `inbound`'s signature rule (Rule B for the notification and the
    /// redirect), and returns the message that was signed. A signed field given twice is refused:
    /// which copy was signed is unknowable.
    pub fn verify(&self, inbound: &Inbound, key: &SigningKey) -> Result<Verified, InboundError> {
        self.check(inbound, key)?;
        Ok(Verified {
            message: concat_message(&inbound.signature, |n| self.get(n)),
        })
    }

    /// [`FormPairs::verify`] without building the signed message, which only a mismatch needs.
    /// One pass over the body, no allocation unless a signed value has escapes.
    pub fn check(&self, inbound: &Inbound, key: &SigningKey) -> Result<(), InboundError> {
        check_text(self.text, inbound, key, false)
    }
}

/// The body as text, unless it is plainly not a form.
fn form_text(body: &[u8]) -> Result<&str, InboundError> {
    let trimmed = body.trim_ascii();
    if matches!(trimmed.first(), Some(b'{' | b'[')) {
        return Err(InboundError::NotForm(
            "it looks like JSON; a form body is name=value pairs joined with &".into(),
        ));
    }
    // `&` and `=` never split a character, so a body that is not UTF-8 as received cannot
    // decode to UTF-8 either: the slow path names the part.
    std::str::from_utf8(trimmed).map_err(|_| not_utf8(trimmed))
}

/// Verifies the form `text` by `inbound`'s concatenation rule, checking every part's encoding
/// too when `parsing`: each signed field must appear once and not be empty.
fn check_text(
    text: &str,
    inbound: &Inbound,
    key: &SigningKey,
    parsing: bool,
) -> Result<(), InboundError> {
    let SigningRule::Concat { fields, .. } = &inbound.signature else {
        return Err(InboundError::Unsigned(format!(
            "`{}` (its rule is not a concatenation)",
            inbound.name
        )));
    };
    // One slot per rule field, and the signature's last: the part found, and how many. The
    // spec validator keeps rules within the slots.
    let signature_slot = fields.len();
    if signature_slot > MAX_INBOUND_SIGNED_FIELDS {
        return Err(InboundError::Unsigned(format!(
            "`{}` (its rule names more than {MAX_INBOUND_SIGNED_FIELDS} fields)",
            inbound.name
        )));
    }
    let mut slots = [Slot::default(); MAX_INBOUND_SIGNED_FIELDS + 1];
    for_each_part(text, |part| {
        if parsing {
            part.check_utf8()?;
        }
        let name = part.decoded_name();
        let name = name.as_ref();
        let slot = if same(name, SIGNATURE) {
            Some(signature_slot)
        } else {
            fields.iter().position(|f| same(f, name))
        };
        if let Some(slot) = slot.map(|i| &mut slots[i]) {
            if slot.count == 0 {
                (slot.value, slot.escaped) = (part.value, part.escaped[1]);
            }
            slot.count = slot.count.saturating_add(1);
        }
        Ok(())
    })?;
    let names = fields.iter().map(String::as_str).chain([SIGNATURE]);
    let slots = &slots[..=signature_slot];
    if slots.iter().any(|s| s.count > 1) {
        return Err(InboundError::Duplicate(
            names
                .zip(slots)
                .filter(|(_, s)| s.count > 1)
                .map(|(name, _)| name.to_owned())
                .collect(),
        ));
    }
    if slots.iter().any(|s| s.value.is_empty()) {
        return Err(InboundError::Missing(
            names
                .zip(slots)
                .filter(|(_, s)| s.value.is_empty())
                .map(|(name, _)| name.to_owned())
                .collect(),
        ));
    }
    let value = |i: usize| decode(slots[i].value, slots[i].escaped);
    let signature = sign_fields(&inbound.signature, key, fields, |i, _| value(i));
    if signature.matches_hex(value(signature_slot).trim()) {
        Ok(())
    } else {
        let form = FormPairs { text };
        Err(InboundError::Mismatch {
            expected_message: concat_message(&inbound.signature, |n| form.get(n)),
        })
    }
}

/// `a == b` for field names, inlined: a `memcmp` call per candidate name was 6% of a
/// verification in profiles, and then a byte loop's exit mispredicted (8%) on names of one length
/// (`status` and `amount`). Up to 16 bytes, two overlapping words are compared, without a branch.
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1..4 => (a[0] == b[0]) & (a[n / 2] == b[n / 2]) & (a[n - 1] == b[n - 1]),
        4..8 => {
            let word = |s: &[u8], at: usize| u32::from_ne_bytes(bytes(s, at));
            (word(a, 0) == word(b, 0)) & (word(a, n - 4) == word(b, n - 4))
        }
        8..=16 => {
            let word = |s: &[u8], at: usize| u64::from_ne_bytes(bytes(s, at));
            (word(a, 0) == word(b, 0)) & (word(a, n - 8) == word(b, n - 8))
        }
        _ => a == b,
    }
}

/// `N` bytes of `s` from `at`.
#[inline(always)]
fn bytes<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&s[at..at + N]);
    out
}

/// What verification keeps of a signed field: its first value as received, and how many times
/// the field came (a field that never came has an empty value).
#[derive(Debug, Clone, Copy, Default)]
struct Slot<'a> {
    value: &'a str,
    escaped: bool,
    count: u8,
}

/// One `name=value` part of a form, as received.
#[derive(Debug, Clone, Copy)]
struct Part<'a> {
    text: &'a str,
    name: &'a str,
    value: &'a str,
    /// Whether the name, and the value, have `%` escapes or `+`.
    escaped: [bool; 2],
}

impl<'a> Part<'a> {
    fn decoded_name(&self) -> Cow<'a, str> {
        decode(self.name, self.escaped[0])
    }

    fn decoded_value(&self) -> Cow<'a, str> {
        decode(self.value, self.escaped[1])
    }

    fn check_utf8(&self) -> Result<(), InboundError> {
        if (!self.escaped[0] || decodes_to_utf8(self.name))
            && (!self.escaped[1] || decodes_to_utf8(self.value))
        {
            Ok(())
        } else {
            Err(not_utf8_part(*self))
        }
    }
}

/// The parts of a form in order. [`for_each_part`] is the same loop for the passes that verify.
struct Parts<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parts<'a> {
    fn new(text: &'a str) -> Parts<'a> {
        Parts { text, pos: 0 }
    }
}

impl<'a> Iterator for Parts<'a> {
    type Item = Result<Part<'a>, InboundError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.pos <= self.text.len() {
            let rest = self.text.as_bytes().get(self.pos..).unwrap_or_default();
            let end = memchr::memchr(b'&', rest).map_or(self.text.len(), |i| self.pos + i);
            let part = part_at(self.text, self.pos, end);
            self.pos = end + 1;
            match part {
                Ok(Some(part)) => return Some(Ok(part)),
                Ok(None) => {}
                Err(e) => {
                    self.pos = self.text.len() + 1;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

/// Calls `each` with every part of `text` in order, stopping at the first error.
///
/// The separators are found by `memchr`: the body's `&`s by its vectorised iterator, then each
/// part's `=` and escapes by its short searches (`part_at`). Our own byte-at-a-time scan (and then
/// an eight-bytes-at-a-time one) cost as much, with more code.
#[inline]
fn for_each_part<'a>(
    text: &'a str,
    mut each: impl FnMut(Part<'a>) -> Result<(), InboundError>,
) -> Result<(), InboundError> {
    let mut start = 0;
    for end in memchr::memchr_iter(b'&', text.as_bytes()).chain([text.len()]) {
        if let Some(part) = part_at(text, start, end)? {
            each(part)?;
        }
        start = end + 1;
    }
    Ok(())
}

/// The part of `text` from `start` up to `end` (its `&`, or the end of the text); `None` when it
/// is empty (`&&`, or a trailing `&`).
#[inline(always)]
fn part_at(text: &str, start: usize, end: usize) -> Result<Option<Part<'_>>, InboundError> {
    let part_text = text.get(start..end).unwrap_or_default();
    let bytes = part_text.as_bytes();
    if bytes.is_empty() {
        return Ok(None);
    }
    // Parts are short: `memchr`'s word-at-a-time searches, inlined, beat its vector ones here
    // (their dispatch costs more than the search).
    let Some(eq) = One::new(b'=').find(bytes) else {
        return Err(InboundError::NotForm(format!(
            "`{part_text}` is not name=value"
        )));
    };
    // Most parts have no escape, and one search says so; only an escape in the name leaves the
    // value to search.
    let escapes = Two::new(b'%', b'+');
    let escaped = match escapes.find(bytes) {
        None => [false; 2],
        Some(i) if i > eq => [false, true],
        Some(_) => [true, escapes.find(&bytes[eq + 1..]).is_some()],
    };
    // `&` and `=` are ASCII: these are character boundaries.
    Ok(Some(Part {
        text: part_text,
        name: part_text.get(..eq).unwrap_or_default(),
        value: part_text.get(eq + 1..).unwrap_or_default(),
        escaped,
    }))
}

/// A form name or value: `+` is a space, `%XX` a byte. Borrowed when it has no escapes. Only
/// called on texts `parse` checked, so the decoded bytes are UTF-8.
#[inline(always)]
fn decode(raw: &str, escaped: bool) -> Cow<'_, str> {
    if escaped {
        decode_escaped(raw)
    } else {
        Cow::Borrowed(raw)
    }
}

fn decode_escaped(raw: &str) -> Cow<'_, str> {
    // `+` is split on before percent-decoding, so that `%2B` stays a plus.
    let mut out = Vec::with_capacity(raw.len());
    for (i, chunk) in raw.as_bytes().split(|b| *b == b'+').enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend(percent_encoding::percent_decode(chunk));
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Whether `raw` percent-decodes to UTF-8, checked through a small buffer: without allocating,
/// so a form is checked whole before anything is read from it. (`+` decodes to an ASCII space
/// and cannot change the answer.)
fn decodes_to_utf8(raw: &str) -> bool {
    // Escapes of ASCII bytes (`%3A` in a time) leave UTF-8 text UTF-8: only one of a byte from
    // 0x80 up needs the decoding pass.
    let bytes = raw.as_bytes();
    let all_ascii = One::new(b'%')
        .iter(bytes)
        .all(|i| bytes.get(i + 1).is_none_or(|h| *h < b'8'));
    if all_ascii {
        return true;
    }
    let mut buf = [0u8; 64];
    let mut len = 0;
    for byte in percent_encoding::percent_decode(raw.as_bytes()) {
        buf[len] = byte;
        len += 1;
        if len == buf.len() {
            match std::str::from_utf8(&buf) {
                Ok(_) => len = 0,
                // A character cut at the end of the buffer: carry its bytes over.
                Err(e) if e.error_len().is_none() => {
                    let valid = e.valid_up_to();
                    buf.copy_within(valid.., 0);
                    len = buf.len() - valid;
                }
                Err(_) => return false,
            }
        }
    }
    std::str::from_utf8(&buf[..len]).is_ok()
}

#[cold]
fn not_utf8_part(part: Part<'_>) -> InboundError {
    InboundError::NotForm(format!("`{}` does not decode to UTF-8 text", part.text))
}

/// The error for a body that is not UTF-8: the first `&`-separated part that is not.
#[cold]
fn not_utf8(body: &[u8]) -> InboundError {
    let part = body
        .split(|b| *b == b'&')
        .find(|p| std::str::from_utf8(p).is_err())
        .unwrap_or(body);
    InboundError::NotForm(format!(
        "`{}` does not decode to UTF-8 text",
        String::from_utf8_lossy(part)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_strings_at_every_length_and_difference() {
        for n in 0..=20 {
            let a: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            assert!(same(&a, &a), "{a}");
            assert!(!same(&a, &format!("{a}x")) && !same(&format!("{a}x"), &a));
            for at in 0..n {
                let mut b = a.clone().into_bytes();
                b[at] = b'_';
                let b = String::from_utf8(b).unwrap();
                assert!(!same(&a, &b) && !same(&b, &a), "{a} {b}");
            }
        }
    }

    #[test]
    fn parts_and_escapes_are_found_at_every_offset() {
        // Parts of every length around the searches' vector widths, with `=`, `%` and `+` at
        // every position, read by both drivers and compared with a byte-by-byte reading.
        for len in 0..70 {
            for special in [None, Some(b'='), Some(b'%'), Some(b'+'), Some(b'&')] {
                for at in 0..len.max(1) {
                    let mut bytes: Vec<u8> = (0..len).map(|i| b"ab=cd"[i % 5]).collect();
                    if let Some(c) = special.filter(|_| at < len) {
                        bytes[at] = c;
                    }
                    let text = std::str::from_utf8(&bytes).unwrap();
                    // Up to the first part without a `=`, which is an error.
                    let mut expected = Vec::new();
                    let mut bad = false;
                    for p in text.split('&').filter(|p| !p.is_empty()) {
                        let Some((n, v)) = p.split_once('=') else {
                            bad = true;
                            break;
                        };
                        let esc = |t: &str| t.contains(['%', '+']);
                        expected.push((n, v, [esc(n), esc(v)]));
                    }
                    let mut seen = Vec::new();
                    let result = for_each_part(text, |p| {
                        seen.push((p.name, p.value, p.escaped));
                        Ok(())
                    });
                    assert_eq!(result.is_err(), bad, "{text}");
                    assert_eq!(seen, expected, "{text}");
                    let mut iterated = Vec::new();
                    let mut failed = false;
                    for p in Parts::new(text) {
                        match p {
                            Ok(p) => iterated.push((p.name, p.value, p.escaped)),
                            Err(_) => failed = true,
                        }
                    }
                    assert_eq!((iterated, failed), (expected, bad), "{text}");
                }
            }
        }
    }

    #[test]
    fn utf8_is_checked_across_the_buffer_edge() {
        for pad in 0..70 {
            let prefix = "a".repeat(pad);
            // `é` escaped straddles the 64-byte buffer at some padding.
            assert!(decodes_to_utf8(&format!("{prefix}%C3%A9{prefix}")), "{pad}");
            assert!(decodes_to_utf8(&format!("{prefix}%E2%82%AC")), "{pad}");
            assert!(!decodes_to_utf8(&format!("{prefix}%C3")), "{pad}");
            assert!(!decodes_to_utf8(&format!("{prefix}%FF{prefix}")), "{pad}");
            assert!(!decodes_to_utf8(&format!("{prefix}%C3%28")), "{pad}");
        }
    }

    #[test]
    fn parts_read_as_the_form_encoding_says() {
        let form = FormPairs::parse(b"a=1&&b=x+y%2B%3D&c=&=v&d=%C3%A9&a=2&").unwrap();
        let pairs: Vec<(String, String)> = form.into_pairs();
        let expected = [
            ("a", "1"),
            ("b", "x y+="),
            ("c", ""),
            ("", "v"),
            ("d", "é"),
            ("a", "2"),
        ];
        assert_eq!(pairs, expected.map(|(n, v)| (n.to_owned(), v.to_owned())));
        assert_eq!(form.get("a").as_deref(), Some("1"));
        assert!(matches!(form.get("a"), Some(Cow::Borrowed(_))));
        for bad in [&b"a=1&b"[..], b"a=%FF", b"%C3=1", b"a=\xff"] {
            assert!(matches!(
                FormPairs::parse(bad),
                Err(InboundError::NotForm(_))
            ));
        }
    }
}
