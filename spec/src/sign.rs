//! The signing primitive: the api_key as a secret, its precomputed HMAC state, and an incremental
//! signer that writes `name=value&...` straight into the HMAC without building the message.

use std::fmt;

use crate::hmac256::{KeyStates, Mac};

/// The Latipay api_key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps the key.
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    /// The key itself, for the HMAC. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What stands for the api_key in canonical messages shown to people.
pub const MASK: &str = "***";

/// The api_key with its HMAC key state computed once, so each signature starts from a copy of it
/// instead of hashing the key again.
#[derive(Clone)]
pub struct SigningKey {
    key: ApiKey,
    states: KeyStates,
}

impl SigningKey {
    /// Precomputes the HMAC state for `key`.
    pub fn new(key: ApiKey) -> SigningKey {
        let states = KeyStates::new(key.expose().as_bytes());
        SigningKey { key, states }
    }

    /// The api_key.
    pub fn api_key(&self) -> &ApiKey {
        &self.key
    }

    /// HMAC-SHA256 of `message` with this key, in one go.
    pub fn sign_message(&self, message: &[u8]) -> Signature {
        let mut mac = self.states.start();
        mac.update(message);
        Signature(mac.finish())
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

/// An HMAC-SHA256 signature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature(pub [u8; 32]);

impl Signature {
    /// Writes the 64 lowercase hex digits into `buf` and returns them; no allocation.
    pub fn write_hex<'b>(&self, buf: &'b mut [u8; 64]) -> &'b str {
        // Encoding 32 bytes into 64 always fits.
        const_hex::encode_to_str(self.0, buf).map_or("", |hex| &*hex)
    }

    /// The 64 lowercase hex digits, written straight into the one allocation.
    pub fn to_hex(&self) -> String {
        const_hex::encode(self.0)
    }

    /// Constant-time comparison with a hex signature as received (either case).
    ///
    /// Our digits against theirs, case-folded, in one pass over all 64 with no early exit; only
    /// the length (public: always 64 for a real signature) can end it sooner, and theirs is not
    /// decoded to bytes first.
    pub fn matches_hex(&self, hex_signature: &str) -> bool {
        use subtle::ConstantTimeEq;
        let Ok(theirs) = <&[u8; 64]>::try_from(hex_signature.as_bytes()) else {
            return false;
        };
        let mut ours = [0u8; 64];
        let _ = const_hex::encode_to_slice(self.0, &mut ours);
        // Ours are lowercase hex digits; theirs with `A`-`F` folded to lowercase must equal them,
        // so anything that is not a hex digit differs (no separate check is needed).
        let mut diff = 0u8;
        for (&o, &t) in ours.iter().zip(theirs) {
            let upper = t.wrapping_sub(b'A') < 6;
            diff |= o ^ (t | (u8::from(upper) << 5));
        }
        bool::from(diff.ct_eq(&0))
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 64];
        f.write_str(self.write_hex(&mut buf))
    }
}

/// Signatures are not secret, but they are bearer proof of a request: debug output shows a prefix.
impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 64];
        write!(f, "Signature({}…)", &self.write_hex(&mut buf)[..8])
    }
}

/// Which of the two message shapes a signer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Rule A: `name=value` joined with `&`, empty values skipped, api_key appended.
    SortedJoin,
    /// Values concatenated, the api_key appended only when `append_key`.
    Concat {
        /// Whether the api_key ends the message.
        append_key: bool,
    },
}

impl From<&crate::model::SigningRule> for RuleKind {
    fn from(rule: &crate::model::SigningRule) -> RuleKind {
        match rule {
            crate::model::SigningRule::SortedJoin => RuleKind::SortedJoin,
            crate::model::SigningRule::Concat { append_key, .. } => RuleKind::Concat {
                append_key: *append_key,
            },
        }
    }
}

/// Where the pieces of a canonical message go: into the HMAC, or into text for people.
pub(crate) trait MessageSink {
    /// Appends bytes of the message.
    fn write(&mut self, bytes: &[u8]);
}

impl MessageSink for Mac<'_> {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl MessageSink for String {
    fn write(&mut self, bytes: &[u8]) {
        self.push_str(&String::from_utf8_lossy(bytes));
    }
}

/// Writes a canonical message field by field. The caller gives fields in signing order (sorted by
/// wire name for Rule A); the writer adds separators and skips empty values.
pub(crate) struct MessageWriter<S> {
    sink: S,
    rule: RuleKind,
    first: bool,
}

impl<S: MessageSink> MessageWriter<S> {
    /// A writer for `rule` into `sink`.
    #[inline(always)]
    pub fn new(sink: S, rule: RuleKind) -> Self {
        MessageWriter {
            sink,
            rule,
            first: true,
        }
    }

    /// Adds one field; an empty value is left out, as Latipay's rule says.
    pub fn field(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        match self.rule {
            RuleKind::SortedJoin => {
                if !self.first {
                    self.sink.write(b"&");
                }
                self.sink.write(name.as_bytes());
                self.sink.write(b"=");
                self.sink.write(value.as_bytes());
            }
            RuleKind::Concat { .. } => self.sink.write(value.as_bytes()),
        }
        self.first = false;
    }

    /// Adds one field given as `&name=` (what generated code has as a constant) and its value:
    /// two writes instead of four, on the signing hot path.
    #[inline(always)]
    pub fn field_joined(&mut self, joined: &str, value: &[u8]) {
        if value.is_empty() {
            return;
        }
        match self.rule {
            RuleKind::SortedJoin => {
                let piece = if self.first {
                    joined.strip_prefix('&').unwrap_or(joined)
                } else {
                    joined
                };
                self.sink.write(piece.as_bytes());
                self.sink.write(value);
            }
            RuleKind::Concat { .. } => self.sink.write(value),
        }
        self.first = false;
    }

    /// Ends the message with `key_text` where the rule appends the key, and hands back the sink.
    pub fn finish(mut self, key_text: &str) -> S {
        self.end(key_text);
        self.sink
    }

    /// [`MessageWriter::finish`] in place, for a sink too large to move cheaply.
    fn end(&mut self, key_text: &str) {
        if matches!(
            self.rule,
            RuleKind::SortedJoin | RuleKind::Concat { append_key: true }
        ) {
            self.sink.write(key_text.as_bytes());
        }
    }
}

/// Signs field by field, straight into a copy of the precomputed HMAC state: no message is built
/// and nothing is allocated.
pub struct Signer<'k> {
    key: &'k SigningKey,
    writer: MessageWriter<Mac<'k>>,
}

impl<'k> Signer<'k> {
    /// Starts a signature by `rule`.
    #[inline]
    pub fn new(key: &'k SigningKey, rule: RuleKind) -> Self {
        Signer {
            key,
            writer: MessageWriter::new(key.states.start(), rule),
        }
    }

    /// Adds one field (skipped when empty).
    #[inline]
    pub fn field(&mut self, name: &str, value: &str) {
        self.writer.field(name, value);
    }

    /// Adds one field given as `&name=` and its value's UTF-8 bytes (skipped when empty): the
    /// runtime's hot path, through [`crate::__private::field_joined`].
    #[inline(always)]
    pub(crate) fn field_joined(&mut self, joined: &str, value: &[u8]) {
        self.writer.field_joined(joined, value);
    }

    /// The signature.
    pub fn finish(mut self) -> Signature {
        self.finish_in_place()
    }

    /// Signs what `fields` writes: the runtime's hot path, through
    /// [`crate::__private::sign_with`]. The signer stays in this frame and is finished by
    /// reference: moved into [`Signer::finish`] with its block buffer (~330 bytes), it was a
    /// `memcpy` per signature.
    #[inline(always)]
    pub(crate) fn sign_with(
        key: &'k SigningKey,
        rule: RuleKind,
        fields: impl FnOnce(&mut Signer<'k>),
    ) -> Signature {
        let mut signer = Signer::new(key, rule);
        fields(&mut signer);
        signer.finish_in_place()
    }

    fn finish_in_place(&mut self) -> Signature {
        self.writer.end(self.key.key.expose());
        Signature(self.writer.sink.finish())
    }
}

/// Builds the canonical message as text, with the api_key replaced by [`MASK`], for debugging.
pub struct MaskedMessage(MessageWriter<String>);

impl MaskedMessage {
    /// Starts a message by `rule`.
    pub fn new(rule: RuleKind) -> Self {
        MaskedMessage(MessageWriter::new(String::new(), rule))
    }

    /// Adds one field (skipped when empty).
    pub fn field(&mut self, name: &str, value: &str) {
        self.0.field(name, value);
    }

    /// The message, ending in the mask where the key would be.
    pub fn finish(self) -> String {
        self.0.finish(MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_vector_through_the_incremental_signer() {
        let key = SigningKey::new(ApiKey::new("111222333"));
        let mut s = Signer::new(&key, RuleKind::SortedJoin);
        for (n, v) in [
            ("merchant_reference", "6000324"),
            ("is_block", ""),
            ("user_id", "U000000013"),
        ] {
            s.field(n, v);
        }
        assert_eq!(
            s.finish().to_hex(),
            "58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4"
        );
        // The same through `field_joined`, the runtime's path: names given as `&name=`.
        let mut s = Signer::new(&key, RuleKind::SortedJoin);
        for (joined, v) in [
            ("&merchant_reference=", "6000324"),
            ("&is_block=", ""),
            ("&user_id=", "U000000013"),
        ] {
            s.field_joined(joined, v.as_bytes());
        }
        assert_eq!(
            s.finish().to_hex(),
            "58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4"
        );
        let sig = key.sign_message(b"dsi39ej430sks03alipaypaidNZD120.00");
        assert_eq!(
            sig.to_hex(),
            "840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1"
        );
        assert!(
            sig.matches_hex("840151E0DC39496E22B410B83058B4DDD633B786936C505AE978FAE029A1E0F1")
        );
        assert!(
            !key.sign_message(b"dsi39ej430sks03alipaypaidNZD120")
                .matches_hex(&sig.to_hex())
        );
        assert!(sig.matches_hex(&sig.to_hex()));
        assert!(!sig.matches_hex("00"));
        // Every position counts, and only hex digits in either case are accepted.
        let hex = sig.to_hex();
        for i in 0..64 {
            for c in (0u8..=255).filter(|c| c.is_ascii()) {
                let mut other = hex.clone().into_bytes();
                other[i] = c;
                let other = String::from_utf8(other).unwrap();
                let same = c.to_ascii_lowercase() == hex.as_bytes()[i];
                assert_eq!(sig.matches_hex(&other), same, "{other}");
            }
        }
        assert!(!sig.matches_hex(&format!("{hex}0")));
        assert!(!sig.matches_hex(&hex[..63]));
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let key = SigningKey::new(ApiKey::new("supersecret-key"));
        let shown = format!("{key:?} {:?} {}", key.api_key(), key.api_key());
        assert!(!shown.contains("supersecret"), "{shown}");
        // Each says what it is and masks the key, rather than printing nothing.
        assert_eq!(format!("{:?}", key.api_key()), "ApiKey(***)");
        assert_eq!(format!("{:#?}", key.api_key()), "ApiKey(***)");
        assert_eq!(key.api_key().to_string(), MASK);
        assert_eq!(format!("{key:?}"), "SigningKey(***)");
        // The key is still there for the HMAC.
        assert_eq!(key.api_key().expose(), "supersecret-key");
        let sig = key.sign_message(b"m");
        assert_eq!(
            format!("{sig:?}"),
            format!("Signature({}…)", &sig.to_hex()[..8])
        );
        assert_eq!(sig.to_string(), sig.to_hex());
    }
}
