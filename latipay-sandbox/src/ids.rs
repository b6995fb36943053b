//! Identifiers and times the sandbox hands out: Latipay-looking order ids, single-use nonces that
//! cannot be guessed, and `pay_time` texts. No extra crates: nonces are HMACs of a counter under
//! a per-process random key.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use latipay_spec::{ApiKey, SigningKey};

/// Hands out ids; cheap to share.
pub(crate) struct Ids {
    secret: SigningKey,
    counter: AtomicU64,
}

impl Ids {
    pub(crate) fn new() -> Ids {
        // RandomState is seeded from the OS per process: enough for unguessable sandbox nonces.
        let mut seed = String::new();
        for i in 0..4u64 {
            let mut h = RandomState::new().build_hasher();
            h.write_u64(i);
            seed.push_str(&format!("{:016x}", h.finish()));
        }
        Ids {
            secret: SigningKey::new(ApiKey::new(seed)),
            counter: AtomicU64::new(1),
        }
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    /// The next number to hand out: every id handed out so far is below it. Saved with each
    /// commit of a state file.
    pub(crate) fn current(&self) -> u64 {
        self.counter.load(Ordering::Relaxed)
    }

    /// Never hands out a number below `next` again: a restarted sandbox continues after the ids
    /// of its state file instead of reusing them.
    pub(crate) fn advance_to(&self, next: u64) {
        self.counter.fetch_max(next, Ordering::Relaxed);
    }

    /// A fresh payment page nonce: 32 hex digits.
    pub(crate) fn nonce(&self) -> String {
        let n = self.next();
        let sig = self.secret.sign_message(format!("nonce-{n}").as_bytes());
        sig.to_hex()[..32].to_owned()
    }

    /// An opaque hex token of `len` digits (at most 64), for fake gateway signatures and prepay ids.
    pub(crate) fn token(&self, len: usize) -> String {
        let n = self.next();
        let hex = self
            .secret
            .sign_message(format!("token-{n}").as_bytes())
            .to_hex();
        hex[..len.min(64)].to_owned()
    }

    /// A Latipay-style order id: the date and a sequence, e.g. `2026052600000007`.
    pub(crate) fn order_id(&self) -> String {
        format!("{}{:08}", Time::now().compact_date(), self.next())
    }

    /// A sequence number with a prefix, e.g. `INV00000008`.
    pub(crate) fn prefixed(&self, prefix: &str) -> String {
        format!("{prefix}{:08}", self.next())
    }
}

/// A UTC time in whole seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Time {
    secs: u64,
}

impl Time {
    pub(crate) fn now() -> Time {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Time { secs }
    }

    fn civil(self) -> (i64, u64, u64, u64, u64, u64) {
        // Howard Hinnant's days-to-civil algorithm.
        let days = (self.secs / 86_400) as i64;
        let rem = self.secs % 86_400;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// `2026-05-26 10:53:50`, the format of Latipay's `pay_time`.
    pub(crate) fn text(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }

    fn compact_date(self) -> String {
        let (y, mo, d, ..) = self.civil();
        format!("{y:04}{mo:02}{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time() {
        assert_eq!(Time { secs: 0 }.text(), "1970-01-01 00:00:00");
        assert_eq!(
            Time {
                secs: 1_499_424_830
            }
            .text(),
            "2017-07-07 10:53:50"
        );
        assert_eq!(Time { secs: 951_782_400 }.text(), "2000-02-29 00:00:00");
    }

    #[test]
    fn nonces_differ() {
        let ids = Ids::new();
        let a = ids.nonce();
        assert_eq!(a.len(), 32);
        assert_ne!(a, ids.nonce());
        assert_ne!(Ids::new().nonce(), a);
    }
}
