//! How a Rust value becomes the text that is both signed and sent, without allocating: strings
//! are borrowed, numbers, amounts and addresses are written into a small inline buffer.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;

use latipay_spec::{Amount, Location, MAX_AMOUNT_LEN, Method, RuleKind, ValueError, value};

/// A field's spec type; the runtime's helper for that type (which generated code calls) gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// Any text.
    String,
    /// Money, normalised to two decimals.
    Amount,
    /// Money text kept as written.
    Decimal,
    /// An absolute http(s) URL.
    Url,
    /// A dotted IPv4 address.
    Ipv4,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// One of these texts.
    Enum(&'static [&'static str]),
}

/// One field of an endpoint, as generated code describes it (built where it is visited, from
/// literals, so that it folds to constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMeta {
    /// Wire name.
    pub name: &'static str,
    /// `&name=`: the name as the sorted join writes it, so signing writes it in one piece.
    pub joined: &'static str,
    /// Spec type.
    pub ty: WireType,
    /// Where it goes in the request.
    pub location: Location,
    /// Whether the request is valid without it.
    pub optional: bool,
    /// Whether the signature covers it.
    pub signed: bool,
}

/// An endpoint, as generated code describes it: what the client needs to send the request and
/// check the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointMeta {
    /// The spec's name for it.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{name}` parameters.
    pub path: &'static str,
    /// Where the signature goes.
    pub signature_in: Location,
    /// How the request is signed.
    pub rule: RuleKind,
    /// The response fields whose values, concatenated, the response signature covers (empty when
    /// the response is not signed).
    pub response_signature: &'static [&'static str],
}

/// Longest text written inline: an `i64`, a `u64`, an IPv4 address or an amount.
const INLINE: usize = 24;

/// The wire text of one value: borrowed from the value, or written inline.
pub enum Text<'a> {
    /// The value's own text.
    Borrowed(&'a str),
    /// Text written into a stack buffer.
    Inline(InlineText),
}

impl Text<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Inline(t) => t.as_str(),
        }
    }

    /// The text's bytes, without re-checking that inline text is UTF-8: what the signer hashes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Borrowed(s) => s.as_bytes(),
            Text::Inline(t) => &t.buf[..t.len],
        }
    }
}

/// A short text in a stack buffer.
pub struct InlineText {
    buf: [u8; INLINE],
    len: usize,
}

impl InlineText {
    fn new() -> InlineText {
        InlineText {
            buf: [0; INLINE],
            len: 0,
        }
    }

    fn of(args: impl fmt::Display) -> InlineText {
        let mut t = InlineText::new();
        // Only used for types whose text fits (integers, addresses); a longer one is cut, which
        // the INLINE size rules out.
        let _ = write!(t, "{args}");
        t
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl fmt::Write for InlineText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > INLINE {
            return Err(fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn amount_text(a: Amount) -> InlineText {
    let mut buf = [0; MAX_AMOUNT_LEN];
    let start = a.write_ascii(&mut buf);
    let mut t = InlineText::new();
    t.len = MAX_AMOUNT_LEN - start;
    t.buf[..t.len].copy_from_slice(&buf[start..]);
    t
}

/// A value that can be sent to Latipay: it knows its canonical text for a spec type.
///
/// Implemented for strings, [`Amount`], [`Ipv4Addr`], integers, `bool`, `Option` and references.
/// Which Rust types a field of each spec type accepts is decided at compile time by the marker
/// traits in [`crate::types`]; the text is checked here, when signing.
pub trait WireValue {
    /// The canonical text, or `None` when the value is absent (`None` or empty), which Latipay's
    /// rule leaves out of both the signature and the request.
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError>;
}

/// Checks text against a spec type; amounts are normalised to two decimals. Inlined so that a
/// `string` field, whose type is a constant in generated code, costs one length test.
#[inline(always)]
fn text_as(text: &str, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
    if text.is_empty() {
        return Ok(None);
    }
    match ty {
        WireType::String => Ok(Some(Text::Borrowed(text))),
        _ => checked_text(text, ty),
    }
}

fn checked_text(text: &str, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
    match ty {
        WireType::String => {}
        WireType::Amount => {
            let a = Amount::parse(text).map_err(ValueError::Amount)?;
            return Ok(Some(Text::Inline(amount_text(a))));
        }
        WireType::Decimal => value::check_decimal(text)?,
        WireType::Url => value::check_url(text)?,
        WireType::Ipv4 => value::check_ipv4(text)?,
        WireType::Integer => value::check_integer(text)?,
        WireType::Boolean => value::check_boolean(text)?,
        WireType::Enum(values) => value::check_enum(values, text)?,
    }
    Ok(Some(Text::Borrowed(text)))
}

impl WireValue for str {
    #[inline]
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        text_as(self, ty)
    }
}

impl WireValue for String {
    #[inline]
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        text_as(self, ty)
    }
}

impl WireValue for Cow<'_, str> {
    #[inline]
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        text_as(self, ty)
    }
}

impl WireValue for Box<str> {
    #[inline]
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        text_as(self, ty)
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    #[inline]
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        (**self).wire_text(ty)
    }
}

impl<T: WireValue> WireValue for Option<T> {
    #[inline]
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        match self {
            Some(v) => v.wire_text(ty),
            None => Ok(None),
        }
    }
}

impl WireValue for Amount {
    fn wire_text(&self, _: WireType) -> Result<Option<Text<'_>>, ValueError> {
        Ok(Some(Text::Inline(amount_text(*self))))
    }
}

impl WireValue for Ipv4Addr {
    fn wire_text(&self, _: WireType) -> Result<Option<Text<'_>>, ValueError> {
        // Written by hand: `Display` goes through the formatting machinery, a visible share of
        // a signature's time in profiles.
        let mut t = InlineText::new();
        for (i, octet) in self.octets().into_iter().enumerate() {
            if i > 0 {
                t.buf[t.len] = b'.';
                t.len += 1;
            }
            if octet >= 100 {
                t.buf[t.len] = b'0' + octet / 100;
                t.len += 1;
            }
            if octet >= 10 {
                t.buf[t.len] = b'0' + octet / 10 % 10;
                t.len += 1;
            }
            t.buf[t.len] = b'0' + octet % 10;
            t.len += 1;
        }
        Ok(Some(Text::Inline(t)))
    }
}

impl WireValue for bool {
    fn wire_text(&self, _: WireType) -> Result<Option<Text<'_>>, ValueError> {
        Ok(Some(Text::Borrowed(if *self { "true" } else { "false" })))
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn wire_text(&self, _: WireType) -> Result<Option<Text<'_>>, ValueError> {
                Ok(Some(Text::Inline(InlineText::of(self))))
            }
        }
    )*};
}
integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// A value that falls back to another when absent: a struct's `wallet_id` overriding the
/// credentials' one for a single order.
pub struct OrElse<'a, T: ?Sized>(pub &'a T, pub &'a str);

impl<T: WireValue + ?Sized> WireValue for OrElse<'_, T> {
    fn wire_text(&self, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
        match self.0.wire_text(ty)? {
            Some(t) => Ok(Some(t)),
            None => text_as(self.1, ty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<T: WireValue + ?Sized>(v: &T, ty: WireType) -> Option<String> {
        v.wire_text(ty).unwrap().map(|t| t.as_str().to_owned())
    }

    #[test]
    fn canonical_texts() {
        assert_eq!(text("0.5", WireType::Amount).as_deref(), Some("0.50"));
        assert_eq!(text("1", WireType::Decimal).as_deref(), Some("1"));
        assert_eq!(
            text(&Amount::from_cents(12000), WireType::Amount).as_deref(),
            Some("120.00")
        );
        assert_eq!(
            text(&i64::MIN, WireType::Integer).as_deref(),
            Some("-9223372036854775808")
        );
        assert_eq!(
            text(&u64::MAX, WireType::Integer).as_deref(),
            Some("18446744073709551615")
        );
        for ip in [
            [255, 255, 255, 255],
            [0, 0, 0, 0],
            [10, 9, 100, 199],
            [122, 122, 122, 1],
        ] {
            let ip = Ipv4Addr::from(ip);
            assert_eq!(
                text(&ip, WireType::Ipv4).as_deref(),
                Some(ip.to_string().as_str())
            );
        }
        assert_eq!(
            text(&Amount::from_cents(u64::MAX), WireType::Amount).as_deref(),
            Some("184467440737095516.15")
        );
        assert_eq!(text("", WireType::Amount), None);
        assert_eq!(text(&None::<String>, WireType::String), None);
        assert_eq!(
            text(&OrElse(&String::new(), "W1"), WireType::String).as_deref(),
            Some("W1")
        );
        assert_eq!(
            text(&OrElse(&Some("W2"), "W1"), WireType::String).as_deref(),
            Some("W2")
        );
        assert!("1.234".wire_text(WireType::Amount).is_err());
        assert!("x".wire_text(WireType::Enum(&["a"])).is_err());
    }
}
