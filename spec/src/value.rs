//! What text each spec type accepts, and the one canonical text that is both signed and sent.
//! The derive's runtime path and the dynamic signer both go through here, so they cannot disagree.

use std::borrow::Cow;
use std::fmt;
use std::net::Ipv4Addr;

use crate::amount::{Amount, AmountError, MAX_AMOUNT_LEN};
use crate::model::FieldType;

/// Why a text is not a valid value of its spec type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Not an amount.
    Amount(AmountError),
    /// Not an absolute http(s) URL.
    Url,
    /// Not a dotted IPv4 address.
    Ipv4,
    /// Not a whole number.
    Integer,
    /// Not `true` or `false`.
    Boolean,
    /// Not one of the allowed values.
    Enum(Vec<String>),
    /// Zero, where the spec says the amount is `positive`.
    Zero,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Amount(e) => e.fmt(f),
            ValueError::Url => f.write_str(
                "expected an absolute http:// or https:// URL without spaces or control characters",
            ),
            ValueError::Ipv4 => f.write_str("expected a dotted IPv4 address like 122.122.122.1"),
            ValueError::Integer => f.write_str("expected a whole number"),
            ValueError::Boolean => f.write_str("expected `true` or `false`"),
            ValueError::Enum(values) => write!(f, "expected one of: {}", values.join(", ")),
            ValueError::Zero => {
                f.write_str("must be more than zero: Latipay refuses a payment or refund of 0.00")
            }
        }
    }
}

impl std::error::Error for ValueError {}

/// Checks `text` against `ty` without changing it; amounts must already be canonical
/// (use [`normalise`] to turn `120` into `120.00`).
pub fn check(ty: &FieldType, text: &str) -> Result<(), ValueError> {
    match ty {
        FieldType::String => Ok(()),
        FieldType::Amount => check_amount(text),
        FieldType::Decimal => check_decimal(text),
        FieldType::Url => check_url(text),
        FieldType::Ipv4 => check_ipv4(text),
        FieldType::Integer => check_integer(text),
        FieldType::Boolean => check_boolean(text),
        FieldType::Enum(values) => check_enum(values, text),
    }
}

/// Canonical money text, exactly what [`Amount`] writes: two decimals, no sign, no leading `+`
/// or zero.
#[inline]
pub fn check_amount(text: &str) -> Result<(), ValueError> {
    // Read as it is, without parsing: this runs on every signature of an amount given as text.
    if looks_canonical(text.as_bytes()) {
        return Ok(());
    }
    canonical_amount(text)
}

/// Digits without a leading zero (but `0`), a point and two decimals, with at most 17 digits
/// before the point, so that it fits in cents. Longer amounts are parsed.
#[inline]
fn looks_canonical(b: &[u8]) -> bool {
    match b.len().checked_sub(3) {
        Some(point @ 1..=17) => {
            b[point] == b'.'
                && b[point + 1].is_ascii_digit()
                && b[point + 2].is_ascii_digit()
                && b[..point].iter().all(u8::is_ascii_digit)
                && (b[0] != b'0' || point == 1)
        }
        _ => false,
    }
}

/// [`check_amount`] by parsing and writing again: for what [`looks_canonical`] does not take.
#[cold]
fn canonical_amount(text: &str) -> Result<(), ValueError> {
    let a = Amount::parse(text).map_err(ValueError::Amount)?;
    let mut buf = [0; MAX_AMOUNT_LEN];
    if a.write_to(&mut buf) == text {
        Ok(())
    } else {
        Err(ValueError::Amount(AmountError::NotANumber))
    }
}

/// An amount more than zero, for a field the spec declares `positive`: `text` is the value's
/// canonical text, already checked as an `amount` or `decimal` (digits and at most one point), so
/// it is zero exactly when it has no digit but `0`. The one check behind the derive's runtime,
/// the dynamic signer and the sandbox.
#[inline]
pub fn check_positive(text: &str) -> Result<(), ValueError> {
    if text.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        Ok(())
    } else {
        Err(ValueError::Zero)
    }
}

/// Money text as written: at most two decimals.
pub fn check_decimal(text: &str) -> Result<(), ValueError> {
    Amount::parse(text).map(drop).map_err(ValueError::Amount)
}

/// A dotted IPv4 address.
pub fn check_ipv4(text: &str) -> Result<(), ValueError> {
    text.parse::<Ipv4Addr>()
        .map(drop)
        .map_err(|_| ValueError::Ipv4)
}

/// A whole number that fits in 64 bits, optionally negative, no `+`.
pub fn check_integer(text: &str) -> Result<(), ValueError> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<i64>()
            .map(drop)
            .map_err(|_| ValueError::Integer)
    } else {
        Err(ValueError::Integer)
    }
}

/// `true` or `false`.
pub fn check_boolean(text: &str) -> Result<(), ValueError> {
    match text {
        "true" | "false" => Ok(()),
        _ => Err(ValueError::Boolean),
    }
}

/// One of `values`.
pub fn check_enum<S: AsRef<str>>(values: &[S], text: &str) -> Result<(), ValueError> {
    if values.iter().any(|v| v.as_ref() == text) {
        Ok(())
    } else {
        Err(ValueError::Enum(
            values.iter().map(|v| v.as_ref().to_owned()).collect(),
        ))
    }
}

/// The canonical text of `text` as a value of `ty`: amounts get exactly two decimals, everything
/// else is checked and kept as it is.
pub fn normalise<'a>(ty: &FieldType, text: &'a str) -> Result<Cow<'a, str>, ValueError> {
    if let FieldType::Amount = ty {
        let a = Amount::parse(text).map_err(ValueError::Amount)?;
        let mut buf = [0; MAX_AMOUNT_LEN];
        let canonical = a.write_to(&mut buf);
        return Ok(if canonical == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(canonical.to_owned())
        });
    }
    check(ty, text).map(|()| Cow::Borrowed(text))
}

/// An absolute http(s) URL with a host and no whitespace or control characters. Latipay stores
/// and calls these URLs, so anything looser fails later, far from the mistake.
pub fn check_url(text: &str) -> Result<(), ValueError> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or(ValueError::Url)?;
    if rest.is_empty() || matches!(rest.as_bytes()[0], b'/' | b'?' | b'#') {
        return Err(ValueError::Url); // no host
    }
    // This runs on every signature of a URL field: one branchless pass over the bytes (printable
    // ASCII), and a char-by-char look only for text with other characters.
    let printable = rest
        .bytes()
        .fold(true, |ok, b| ok & (b.wrapping_sub(0x21) < 0x5e));
    if printable {
        return Ok(());
    }
    let bad = match rest.bytes().position(|b| b <= b' ' || b >= 0x7f) {
        None => false,
        Some(i) if rest.as_bytes()[i] < 0x80 => true,
        Some(_) => rest.chars().any(|c| c.is_whitespace() || c.is_control()),
    };
    if bad { Err(ValueError::Url) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_amounts_are_exactly_what_amounts_write() {
        // Every text an amount writes, at every length, is taken, the longest ones by parsing...
        let mut cents = Some(0u64);
        while let Some(c) = cents {
            for c in [c, c.saturating_add(1), c.saturating_add(99), u64::MAX] {
                let written = Amount::from_cents(c).to_string();
                assert_eq!(looks_canonical(written.as_bytes()), written.len() <= 20);
                assert_eq!(check_amount(&written), Ok(()), "{written}");
            }
            cents = c.checked_mul(10).map(|c| c + 3);
        }
        // ...and anything taken is what parsing and writing gives.
        for t in [
            "0.00",
            "0.05",
            "1.00",
            "120.00",
            "99999999999999999.99",
            "184467440737095516.15",
            "184467440737095516.16",
            "00.00",
            "01.00",
            "1.0",
            "1.000",
            ".00",
            "1,00",
            "1.0a",
            "1.a0",
            "12.a5",
            "1a.00",
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
            "１.00",
        ] {
            let by_parsing = Amount::parse(t).map(|a| a.to_string());
            assert_eq!(
                check_amount(t).is_ok(),
                by_parsing.as_deref() == Ok(t),
                "{t:?}"
            );
            assert_eq!(check_amount(t), canonical_amount(t), "{t:?}");
        }
    }

    #[test]
    fn each_type_accepts_and_rejects() {
        let e = FieldType::Enum(vec!["alipay".into(), "wechat".into()]);
        assert!(check(&e, "alipay").is_ok());
        assert_eq!(
            check(&e, "paypal").unwrap_err().to_string(),
            "expected one of: alipay, wechat"
        );
        assert!(check(&FieldType::Url, "https://m.example/confirm?x=1").is_ok());
        assert!(check(&FieldType::Url, "ftp://m.example").is_err());
        assert!(check(&FieldType::Url, "https://").is_err());
        assert!(check(&FieldType::Url, "https://a b").is_err());
        for bad in [
            "http://?x",
            "https:///path",
            "https://#f",
            "https://a\tb",
            "https://a\u{7f}",
            "https://a\u{a0}b",
            "https://a\u{85}b",
            "HTTPS://a",
            // Nothing printable at all: a control, a tab, a no-break space.
            "https://\u{1}",
            "https://\t",
            "https://\u{a0}",
            "https://\u{7f}",
        ] {
            assert!(check(&FieldType::Url, bad).is_err(), "{bad:?}");
        }
        for good in [
            "http://a",
            "https://ü.example/ä?q=é",
            "https://a/~!$'()*+,;=:@%20",
            // Printable ASCII before the first other character: only that one decides.
            "https://m.example/ä",
            "https://m.example/?q=caf%C3%A9&n=é",
        ] {
            assert!(check(&FieldType::Url, good).is_ok(), "{good:?}");
        }
        assert!(check(&FieldType::Ipv4, "122.122.122.1").is_ok());
        assert!(check(&FieldType::Ipv4, "122.122.122").is_err());
        assert!(check(&FieldType::Integer, "-12").is_ok());
        assert!(check(&FieldType::Integer, "+12").is_err());
        assert!(check(&FieldType::Integer, "99999999999999999999").is_err());
        assert!(check(&FieldType::Boolean, "true").is_ok());
        assert!(check(&FieldType::Boolean, "1").is_err());
        assert!(check(&FieldType::Amount, "120.00").is_ok());
        assert!(check(&FieldType::Amount, "120").is_err());
        assert_eq!(normalise(&FieldType::Amount, "120").unwrap(), "120.00");
        assert!(matches!(
            normalise(&FieldType::Amount, "1.00").unwrap(),
            Cow::Borrowed(_)
        ));
        assert!(normalise(&FieldType::Amount, "1.001").is_err());
        // A decimal is money as written: at most two decimals, no sign, no exponent.
        for good in ["1", "1.5", "120.00", "0"] {
            assert!(check(&FieldType::Decimal, good).is_ok(), "{good:?}");
        }
        for bad in ["1.001", "-1", "1e2", "", "abc", "1.2.3"] {
            assert!(check(&FieldType::Decimal, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn zero_is_not_positive_however_it_is_written() {
        for zero in ["0", "0.00", "0.0", "00", "0.", ".0", "000.00"] {
            assert_eq!(check_positive(zero), Err(ValueError::Zero), "{zero:?}");
        }
        for positive in ["0.01", "1", "10.00", "0.10", "100"] {
            assert_eq!(check_positive(positive), Ok(()), "{positive:?}");
        }
        assert_eq!(
            ValueError::Zero.to_string(),
            "must be more than zero: Latipay refuses a payment or refund of 0.00"
        );
    }
}
