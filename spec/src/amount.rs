//! Money as whole cents. Never a float: the text Latipay signs (`120.00`) must come out exactly.

use std::fmt;
use std::str::FromStr;

/// A non-negative amount of money with two decimal places, held as whole cents.
///
/// Written as Latipay wants it, `120.00`; parsed from `120`, `120.5` or `120.50`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount {
    cents: u64,
}

/// Why a text is not an [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// The text is empty.
    Empty,
    /// The text starts with `-`.
    Negative,
    /// More than two digits after the point.
    TooManyDecimals,
    /// Anything else that is not `digits[.d[d]]`.
    NotANumber,
    /// More cents than fit in 64 bits.
    TooLarge,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountError::Empty => "an amount cannot be empty",
            AmountError::Negative => "an amount cannot be negative",
            AmountError::TooManyDecimals => {
                "an amount has at most two decimal places (cents), like 120.00"
            }
            AmountError::NotANumber => "an amount is written as decimal digits, like 120.00",
            AmountError::TooLarge => "the amount is too large",
        })
    }
}

impl std::error::Error for AmountError {}

/// Longest text an amount can take: 20 digits of cents, plus the point.
pub const MAX_AMOUNT_LEN: usize = 22;

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount { cents: 0 };

    /// An amount of `cents` hundredths.
    pub const fn from_cents(cents: u64) -> Amount {
        Amount { cents }
    }

    /// The amount in cents.
    pub const fn cents(self) -> u64 {
        self.cents
    }

    /// Parses `120`, `120.5` or `120.50`; rejects signs, spaces, exponents and a third decimal.
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(AmountError::Empty);
        }
        if bytes[0] == b'-' {
            return Err(AmountError::Negative);
        }
        let (whole, frac) = match text.find('.') {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountError::NotANumber);
        }
        let frac_cents = match frac {
            None => 0,
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(AmountError::NotANumber);
            }
            Some(f) if f.len() > 2 => return Err(AmountError::TooManyDecimals),
            Some(f) => {
                let d: u64 = f.bytes().fold(0, |acc, b| acc * 10 + u64::from(b - b'0'));
                if f.len() == 1 { d * 10 } else { d }
            }
        };
        let mut units: u64 = 0;
        for b in whole.bytes() {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(u64::from(b - b'0')))
                .ok_or(AmountError::TooLarge)?;
        }
        units
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .map(Amount::from_cents)
            .ok_or(AmountError::TooLarge)
    }

    /// Writes `units.cc` into `buf` and returns it as text; no allocation.
    pub fn write_to(self, buf: &mut [u8; MAX_AMOUNT_LEN]) -> &str {
        let len = self.write_ascii(buf);
        std::str::from_utf8(&buf[..len]).expect("digits and a point are ASCII")
    }

    /// Writes `units.cc` as ASCII at the start of `buf` and returns its length: the text without
    /// a UTF-8 check, for the signer.
    pub fn write_ascii(self, buf: &mut [u8; MAX_AMOUNT_LEN]) -> usize {
        // The last 16 characters are gathered in a register and stored at once: written byte by
        // byte, the text was read back as words (into the hash) while the bytes were still on
        // their way to memory. Only amounts from 10^13 up have more, written digit by digit first.
        const SPLIT: u64 = 10u64.pow(15);
        let (high, mut low) = (self.cents / SPLIT, self.cents % SPLIT);
        let mut len = 0;
        if high > 0 {
            len = high.ilog10() as usize + 1;
            let mut n = high;
            for at in (0..len).rev() {
                buf[at] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        }
        // Least significant digit first, each pushed in front of the others: in little-endian
        // order the register's bytes are then the text. After leading digits, all 16 characters.
        let (mut text, mut chars) = (0u128, 0);
        while chars < 4 || (chars < 16 && (low > 0 || high > 0)) {
            if chars == 2 {
                text = text << 8 | u128::from(b'.');
                chars += 1;
            }
            text = text << 8 | u128::from(b'0' + (low % 10) as u8);
            low /= 10;
            chars += 1;
        }
        buf[len..len + 16].copy_from_slice(&text.to_le_bytes());
        len + chars
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; MAX_AMOUNT_LEN];
        f.write_str(self.write_to(&mut buf))
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({self})")
    }
}

impl FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Amount, AmountError> {
        Amount::parse(s)
    }
}

impl TryFrom<&str> for Amount {
    type Error = AmountError;
    fn try_from(s: &str) -> Result<Amount, AmountError> {
        Amount::parse(s)
    }
}

impl TryFrom<String> for Amount {
    type Error = AmountError;
    fn try_from(s: String) -> Result<Amount, AmountError> {
        Amount::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_two_decimals() {
        for (text, out, cents) in [
            ("120.00", "120.00", 12000),
            ("120", "120.00", 12000),
            ("0.5", "0.50", 50),
            ("0.05", "0.05", 5),
            ("0", "0.00", 0),
            ("007.10", "7.10", 710),
            ("184467440737095516.15", "184467440737095516.15", u64::MAX),
        ] {
            let amount = Amount::parse(text).unwrap();
            assert_eq!(amount.to_string(), out, "{text}");
            assert_eq!(amount.cents(), cents, "{text}");
            assert_eq!(Amount::from_cents(cents), amount, "{text}");
        }
        assert_eq!(Amount::from_cents(12345).to_string(), "123.45");
        assert_eq!(Amount::from_cents(7).to_string(), "0.07");
    }

    #[test]
    fn writes_every_length_and_both_sides_of_the_register() {
        let mut cents = 0u64;
        for digits in 0..=20 {
            for c in [
                cents,
                cents.saturating_add(1),
                cents.saturating_mul(10).saturating_add(9),
                u64::MAX,
            ] {
                let mut buf = [0; MAX_AMOUNT_LEN];
                let expected = format!("{}.{:02}", c / 100, c % 100);
                assert_eq!(
                    Amount::from_cents(c).write_to(&mut buf),
                    expected,
                    "{digits} digits"
                );
            }
            cents = cents.saturating_mul(10).saturating_add(7);
        }
        // Around the split between the leading digits and the register's 16 characters.
        for c in [
            10u64.pow(15) - 1,
            10u64.pow(15),
            10u64.pow(15) + 1,
            10u64.pow(16) + 5,
        ] {
            let expected = format!("{}.{:02}", c / 100, c % 100);
            assert_eq!(Amount::from_cents(c).to_string(), expected);
        }
    }

    #[test]
    fn rejects_what_is_not_money() {
        for (text, err) in [
            ("", AmountError::Empty),
            ("-1", AmountError::Negative),
            ("1.234", AmountError::TooManyDecimals),
            ("abc", AmountError::NotANumber),
            ("1.", AmountError::NotANumber),
            (".5", AmountError::NotANumber),
            ("+1", AmountError::NotANumber),
            ("1e3", AmountError::NotANumber),
            (" 1", AmountError::NotANumber),
            ("1,00", AmountError::NotANumber),
            ("１", AmountError::NotANumber),
            ("184467440737095516.16", AmountError::TooLarge),
            ("99999999999999999999999", AmountError::TooLarge),
        ] {
            assert_eq!(Amount::parse(text), Err(err), "{text:?}");
        }
    }

    /// `str::parse`, `TryFrom<&str>` and `TryFrom<String>` are `Amount::parse`: the same value for
    /// money, the same error for the rest.
    #[test]
    fn every_conversion_from_text_is_parse() {
        for text in [
            "120.50",
            "0",
            "7.1",
            "184467440737095516.15",
            "",
            "-1",
            "1.234",
            "x",
            "1e3",
        ] {
            let parsed = Amount::parse(text);
            assert_eq!(text.parse::<Amount>(), parsed, "{text:?}");
            assert_eq!(Amount::try_from(text), parsed, "{text:?}");
            assert_eq!(Amount::try_from(text.to_owned()), parsed, "{text:?}");
        }
        assert_eq!("120.50".parse::<Amount>(), Ok(Amount::from_cents(12050)));
        assert_eq!(
            Amount::try_from("7.1".to_owned()),
            Ok(Amount::from_cents(710))
        );
        assert_eq!(Amount::try_from("-1"), Err(AmountError::Negative));
        assert_eq!(
            Amount::try_from(String::new()).map_err(|e| e.to_string()),
            Err("an amount cannot be empty".to_owned())
        );
        assert_eq!(format!("{:?}", Amount::from_cents(5)), "Amount(0.05)");
    }

    /// Writing an amount ends for every length of cents (its loop counts characters up to a
    /// bound); run on a watchdog so that a loop that never ends fails the test instead of
    /// hanging the suite.
    #[test]
    fn writing_ends_for_every_length() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut cents = 0u64;
            for _ in 0..=20 {
                for c in [cents, cents | 1, u64::MAX - cents] {
                    let mut buf = [0; MAX_AMOUNT_LEN];
                    let len = Amount::from_cents(c).write_ascii(&mut buf);
                    assert!((4..=MAX_AMOUNT_LEN).contains(&len), "{c}: {len}");
                }
                cents = cents.saturating_mul(10).saturating_add(9);
            }
            let _ = done.send(());
        });
        match finished.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(()) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                panic!("writing an amount panicked")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                // The writer loops for ever: end the whole test process now, rather than leave
                // the other tests waiting on it.
                eprintln!("writing an amount did not end within 30 s");
                std::process::abort();
            }
        }
    }
}
