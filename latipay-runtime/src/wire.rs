//! How a Rust value becomes the text that is both signed and sent, without allocating: strings
//! are borrowed, numbers, amounts and addresses are written into a small inline buffer.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;

use latipay_spec::value::ValueError;
use latipay_spec::{Amount, Location, MAX_AMOUNT_LEN, Method, RuleKind, value};

/// A field's spec type; the runtime's helper for that type (which generated code calls) gives it.
///
/// The spec's [`FieldType`](latipay_spec::FieldType) in the form a `const` can hold: generated
/// code describes each field from literals so that signing folds the description, and an enum's
/// values are then `&'static [&'static str]`, where the spec's own type owns the values it read
/// from the YAML (`Vec<String>`). The test `wire_types_mirror_the_spec_types` keeps the two in
/// step: a mapping each way with no wildcard, and the same answer for every variant and text.
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
    /// Whether a zero value is refused (the spec's `positive: true`, on money).
    pub positive: bool,
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
    /// The spec's `one_of` groups: of each, at least one field must have a value.
    pub one_of: &'static [&'static [&'static str]],
}

/// Longest text written inline: an amount (the longest), an `i64`, a `u64`, an IPv4 address.
const INLINE: usize = MAX_AMOUNT_LEN;
const _: () = assert!(INLINE >= "-9223372036854775808".len() && INLINE >= "255.255.255.255".len());

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
            Text::Inline(t) => t.as_bytes(),
        }
    }
}

/// A short text at the start of a stack buffer.
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

    fn amount(a: Amount) -> InlineText {
        let mut t = InlineText::new();
        t.len = a.write_ascii(&mut t.buf);
        t
    }

    fn of(args: impl fmt::Display) -> InlineText {
        let mut t = InlineText::new();
        // Only used for types whose text fits (integers); a longer one is cut, which the INLINE
        // size rules out.
        let _ = write!(t, "{args}");
        t
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).expect("written from ASCII and `str`s")
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

/// Each octet's decimal text followed by a `.` (zeros after it, to fill 4 bytes), and its length
/// with the dot: an address is four table lookups instead of a division per digit.
const OCTETS: [([u8; 4], usize); 256] = {
    let mut table = [([0u8; 4], 0usize); 256];
    let mut n = 0;
    while n < 256 {
        let digits = [
            b'0' + (n / 100) as u8,
            b'0' + (n / 10 % 10) as u8,
            b'0' + (n % 10) as u8,
        ];
        let skip = if n >= 100 {
            0
        } else if n >= 10 {
            1
        } else {
            2
        };
        // Zeros after the dot: the bytes are or'ed into a register.
        let mut entry = [0u8; 4];
        let mut i = skip;
        while i < 3 {
            entry[i - skip] = digits[i];
            i += 1;
        }
        entry[3 - skip] = b'.';
        table[n] = (entry, 4 - skip);
        n += 1;
    }
    table
};

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
        // The check answers a `bool`, in a register; the text and any error are built here or
        // out of line. A whole `Result` returned through memory was read back while it was still
        // being stored (a stall per checked field; BENCHMARKS.md, session 4).
        _ if valid_as_it_is(text, ty) => Ok(Some(Text::Borrowed(text))),
        _ => checked_text(text, ty),
    }
}

/// Whether `text` is sent as it is: valid for `ty`, and an amount only when already in canonical
/// form (sent as given, not parsed and rewritten).
fn valid_as_it_is(text: &str, ty: WireType) -> bool {
    match ty {
        WireType::String => true,
        WireType::Amount => value::check_amount(text).is_ok(),
        WireType::Decimal => value::check_decimal(text).is_ok(),
        WireType::Url => value::check_url(text).is_ok(),
        WireType::Ipv4 => value::check_ipv4(text).is_ok(),
        WireType::Integer => value::check_integer(text).is_ok(),
        WireType::Boolean => value::check_boolean(text).is_ok(),
        WireType::Enum(values) => values.contains(&text),
    }
}

/// The text to send for a value [`valid_as_it_is`] did not take as it is: an amount normalised,
/// or the error.
#[cold]
fn checked_text(text: &str, ty: WireType) -> Result<Option<Text<'_>>, ValueError> {
    match ty {
        WireType::String => {}
        WireType::Amount => {
            let a = Amount::parse(text).map_err(ValueError::Amount)?;
            return Ok(Some(Text::Inline(InlineText::amount(a))));
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
    #[inline]
    fn wire_text(&self, _: WireType) -> Result<Option<Text<'_>>, ValueError> {
        Ok(Some(Text::Inline(InlineText::amount(*self))))
    }
}

impl WireValue for Ipv4Addr {
    #[inline]
    fn wire_text(&self, _: WireType) -> Result<Option<Text<'_>>, ValueError> {
        // Gathered in a register and stored at once, as an amount's digits are.
        let (mut text, mut len) = (0u128, 0);
        for octet in self.octets() {
            let (digits, n) = OCTETS[usize::from(octet)];
            text |= u128::from(u32::from_le_bytes(digits)) << (8 * len);
            len += n;
        }
        let mut t = InlineText::new();
        t.buf[..16].copy_from_slice(&text.to_le_bytes());
        // Without the last octet's dot.
        t.len = len - 1;
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
    use latipay_spec::FieldType;

    /// The wire type of a spec type. No wildcard, here or in [`spec_type`]: a variant added to
    /// either enum stops the tests compiling until the other has it.
    fn wire_type(ty: &FieldType, values: &'static [&'static str]) -> WireType {
        match ty {
            FieldType::String => WireType::String,
            FieldType::Amount => WireType::Amount,
            FieldType::Decimal => WireType::Decimal,
            FieldType::Url => WireType::Url,
            FieldType::Ipv4 => WireType::Ipv4,
            FieldType::Integer => WireType::Integer,
            FieldType::Boolean => WireType::Boolean,
            FieldType::Enum(_) => WireType::Enum(values),
        }
    }

    fn spec_type(ty: WireType) -> FieldType {
        match ty {
            WireType::String => FieldType::String,
            WireType::Amount => FieldType::Amount,
            WireType::Decimal => FieldType::Decimal,
            WireType::Url => FieldType::Url,
            WireType::Ipv4 => FieldType::Ipv4,
            WireType::Integer => FieldType::Integer,
            WireType::Boolean => FieldType::Boolean,
            WireType::Enum(values) => FieldType::Enum(values.iter().map(|&v| v.into()).collect()),
        }
    }

    #[test]
    fn wire_types_mirror_the_spec_types() {
        const VALUES: &[&str] = &["alipay", "wechat"];
        let every = [
            WireType::String,
            WireType::Amount,
            WireType::Decimal,
            WireType::Url,
            WireType::Ipv4,
            WireType::Integer,
            WireType::Boolean,
            WireType::Enum(VALUES),
        ];
        let texts = [
            "x",
            "é 中",
            "0",
            "120",
            "120.00",
            "0.5",
            "007.10",
            "1.234",
            "-1",
            "+1",
            "99999999999999999999",
            "true",
            "True",
            "https://m.example/c?x=1",
            "http://a",
            "https://a b",
            "ftp://m.example",
            "122.122.122.1",
            "1.2.3",
            "256.1.1.1",
            "alipay",
            "paypal",
        ];
        let mut names: Vec<_> = every.iter().map(|&w| spec_type(w).name()).collect();
        names.dedup();
        assert_eq!(names.len(), every.len(), "{names:?}");
        for wire in every {
            let spec = spec_type(wire);
            assert_eq!(wire_type(&spec, VALUES), wire);
            for t in texts {
                let sent = t.wire_text(wire).map(|o| o.map(|t| t.as_str().to_owned()));
                let spec_says = value::normalise(&spec, t).map(|c| Some(c.into_owned()));
                assert_eq!(sent, spec_says, "{} {t:?}", spec.name());
            }
        }
    }

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

    #[test]
    fn every_octet_in_every_position_reads_as_std_writes_it() {
        for n in 0..=255u8 {
            for ip in [
                [n, 0, 0, 0],
                [1, n, 22, 255],
                [100, 9, n, 10],
                [255, 255, 255, n],
            ] {
                let ip = Ipv4Addr::from(ip);
                assert_eq!(text(&ip, WireType::Ipv4), Some(ip.to_string()));
                let t = ip.wire_text(WireType::Ipv4).unwrap().unwrap();
                assert_eq!(t.as_bytes(), ip.to_string().as_bytes());
            }
        }
    }

    #[test]
    fn amounts_are_written_in_place_at_every_length() {
        let mut cents = 0u64;
        for digits in 0..=19 {
            for a in [cents, cents + 1, cents.saturating_mul(10).saturating_add(9)] {
                let amount = Amount::from_cents(a);
                assert_eq!(
                    text(&amount, WireType::Amount),
                    Some(format!("{}.{:02}", a / 100, a % 100)),
                    "{digits} digits"
                );
            }
            cents = cents.saturating_mul(10).saturating_add(7);
        }
    }

    #[test]
    fn amount_texts_are_sent_as_parsing_and_writing_gives() {
        for t in [
            "0.00",
            "0.05",
            "1.00",
            "120.00",
            "99999999999999999.99",
            "00.00",
            "01.00",
            "1.0",
            "1.000",
            ".00",
            "1,00",
            "1.0a",
            "a.00",
            "-1.00",
            "+1.00",
            "1e2.00",
            "",
            "0",
            "120",
            "999999999999999999.99",
            " 1.00",
            "1.00 ",
            "0.5",
        ] {
            // What is sent is what parsing and writing gives ("" is absent).
            let sent = t
                .wire_text(WireType::Amount)
                .map(|o| o.map(|t| t.as_str().to_owned()));
            let expected = match t {
                "" => Ok(None),
                _ => Amount::parse(t)
                    .map(|a| Some(a.to_string()))
                    .map_err(ValueError::Amount),
            };
            assert_eq!(sent, expected, "{t:?}");
        }
    }

    /// Every kind of string gives its text for every type, and the absent value only when empty:
    /// a `Box<str>`, a `Cow` or a reference is never silently dropped (left out of both the
    /// signature and the request).
    #[test]
    fn every_string_type_gives_its_text() {
        for (value, ty, sent) in [
            ("x y", WireType::String, "x y"),
            ("120", WireType::Amount, "120.00"),
            ("120.00", WireType::Amount, "120.00"),
            ("1.5", WireType::Decimal, "1.5"),
            ("https://m.example/c", WireType::Url, "https://m.example/c"),
            ("122.122.122.1", WireType::Ipv4, "122.122.122.1"),
            ("-7", WireType::Integer, "-7"),
            ("true", WireType::Boolean, "true"),
            ("wechat", WireType::Enum(&["alipay", "wechat"]), "wechat"),
        ] {
            let boxed: Box<str> = value.into();
            let owned = value.to_owned();
            let borrowed: Cow<'_, str> = Cow::Borrowed(value);
            let cow_owned: Cow<'_, str> = Cow::Owned(value.to_owned());
            let texts = [
                text(value, ty),
                text(&boxed, ty),
                text(&&boxed, ty),
                text(&owned, ty),
                text(&borrowed, ty),
                text(&cow_owned, ty),
                text(&Some(boxed.clone()), ty),
                text(&OrElse(&boxed, "fallback"), ty),
            ];
            for (i, t) in texts.iter().enumerate() {
                assert_eq!(t.as_deref(), Some(sent), "{value:?} as {ty:?}, form {i}");
            }
        }
        let empty: Box<str> = "".into();
        assert_eq!(text(&empty, WireType::String), None);
        assert_eq!(text(&Cow::Borrowed(""), WireType::Amount), None);
        assert_eq!(
            text(&OrElse(&empty, "W1"), WireType::String).as_deref(),
            Some("W1")
        );
        // And a wrong value is refused whatever carries it.
        let bad: Box<str> = "12.a5".into();
        assert!(bad.wire_text(WireType::Amount).is_err());
        assert!(Cow::Borrowed("12.a5").wire_text(WireType::Amount).is_err());
    }

    /// The shortcut for values valid as they are (`valid_as_it_is`) and the checked path give the
    /// same bytes: the shortcut only saves the work.
    #[test]
    fn the_shortcut_and_the_checked_path_send_the_same_bytes() {
        for (value, ty) in [
            ("x y", WireType::String),
            ("120.00", WireType::Amount),
            ("0.05", WireType::Amount),
            ("1.5", WireType::Decimal),
            ("https://m.example/c?a=1", WireType::Url),
            ("122.122.122.1", WireType::Ipv4),
            ("-7", WireType::Integer),
            ("false", WireType::Boolean),
            ("wechat", WireType::Enum(&["alipay", "wechat"])),
        ] {
            assert!(valid_as_it_is(value, ty), "{value:?} as {ty:?}");
            let shortcut = text_as(value, ty).unwrap().map(|t| t.as_bytes().to_vec());
            let checked = checked_text(value, ty)
                .unwrap()
                .map(|t| t.as_bytes().to_vec());
            assert_eq!(shortcut, checked, "{value:?} as {ty:?}");
            assert_eq!(shortcut.as_deref(), Some(value.as_bytes()));
        }
    }

    /// Amounts that look canonical but for one byte (`12.a5`: a letter where a decimal goes) are
    /// refused when writing a request, not sent as they are.
    #[test]
    fn an_amount_wrong_in_one_byte_is_refused() {
        for t in [
            "12.a5", "12.5a", "12.:5", "12./5", "1a.50", "a2.50", "12,50", "12.-5", "12. 5",
            "12.5 ", " 2.50", "12..5", "1.2.5", "0x.50", "12.５0", "-2.50", "+2.50",
        ] {
            assert!(
                value::check_amount(t).is_err(),
                "{t:?} checked as canonical"
            );
            assert!(
                matches!(t.wire_text(WireType::Amount), Err(ValueError::Amount(_))),
                "{t:?} was accepted"
            );
        }
        // One digit changed is still money, and sent as it is.
        for t in ["12.05", "12.50", "10.00", "0.01", "99999999999999999.99"] {
            assert_eq!(text(t, WireType::Amount).as_deref(), Some(t));
        }
    }
}
