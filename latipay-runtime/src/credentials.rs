//! Who is signing: the merchant's user and wallet, and the api_key with its HMAC state precomputed.

use std::fmt;

use latipay_spec::{ApiKey, SigningKey};

/// A merchant's Latipay credentials. The api_key's HMAC key state is computed once here, so
/// every signature made with these credentials starts from a copy of it.
///
/// `Debug` shows the ids and never the key.
#[derive(Clone)]
pub struct Credentials {
    user_id: String,
    wallet_id: String,
    key: SigningKey,
}

impl Credentials {
    /// Credentials for `user_id` (e.g. `U000334333`), `wallet_id` (e.g. `W00000001`, one per
    /// currency) and the secret `api_key`.
    pub fn new(
        user_id: impl Into<String>,
        wallet_id: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Credentials {
        Credentials {
            user_id: user_id.into(),
            wallet_id: wallet_id.into(),
            key: SigningKey::new(ApiKey::new(api_key)),
        }
    }

    /// The Latipay user id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The default wallet id; a request that carries its own `wallet_id` (a field with
    /// `#[latipay(provides_credentials)]`) overrides it.
    pub fn wallet_id(&self) -> &str {
        &self.wallet_id
    }

    /// The api_key and its precomputed HMAC state.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user_id", &self.user_id)
            .field("wallet_id", &self.wallet_id)
            .field("api_key", &"***")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Debug` names the ids and masks the key, in both layouts; the key is still the one
    /// signing.
    #[test]
    fn debug_shows_the_ids_and_masks_the_key() {
        let c = Credentials::new("U000334333", "W00000001", "supersecret-key");
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { user_id: "U000334333", wallet_id: "W00000001", api_key: "***" }"#
        );
        let pretty = format!("{c:#?}");
        assert!(pretty.contains("api_key: \"***\""), "{pretty}");
        assert!(!pretty.contains("supersecret"), "{pretty}");
        assert_eq!((c.user_id(), c.wallet_id()), ("U000334333", "W00000001"));
        assert_eq!(c.signing_key().api_key().expose(), "supersecret-key");
    }
}
