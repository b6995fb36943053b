//! What a sandbox is started with: where it listens, whose credentials it accepts, and how it
//! delivers notifications. Defaults are the credentials of Latipay's documentation, so the doc
//! examples work against it as they are.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use latipay_spec::{ApiKey, Spec, SpecErrors};

/// The user_id of Latipay's documentation examples, the default sandbox user.
pub const DEFAULT_USER_ID: &str = "U000334333";
/// The wallet_id of Latipay's documentation examples, the default wallet (NZD).
pub const DEFAULT_WALLET_ID: &str = "W00000001";
/// The api_key of Latipay's documentation examples, the default key.
pub const DEFAULT_API_KEY: &str = "111222333";

/// One wallet: Latipay has one wallet per currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    /// The wallet_id, e.g. `W00000001`.
    pub wallet_id: String,
    /// Its currency, e.g. `NZD`.
    pub currency: String,
}

impl Wallet {
    /// A wallet of `currency`.
    pub fn new(wallet_id: impl Into<String>, currency: impl Into<String>) -> Wallet {
        Wallet {
            wallet_id: wallet_id.into(),
            currency: currency.into(),
        }
    }
}

/// A merchant account the sandbox accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user_id, e.g. `U000334333`.
    pub user_id: String,
    /// The api_key signing its requests (never shown in logs).
    pub api_key: ApiKey,
    /// Its wallets; a request naming another wallet gets code 450.
    pub wallets: Vec<Wallet>,
}

impl User {
    /// A user with one NZD wallet.
    pub fn new(
        user_id: impl Into<String>,
        api_key: impl Into<String>,
        wallet_id: impl Into<String>,
    ) -> User {
        User {
            user_id: user_id.into(),
            api_key: ApiKey::new(api_key),
            wallets: vec![Wallet::new(wallet_id, "NZD")],
        }
    }

    /// Adds a wallet.
    pub fn with_wallet(
        mut self,
        wallet_id: impl Into<String>,
        currency: impl Into<String>,
    ) -> User {
        self.wallets.push(Wallet::new(wallet_id, currency));
        self
    }
}

/// Why a `--user` text is not a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSyntaxError(String);

impl fmt::Display for UserSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; write USER_ID:API_KEY:WALLET_ID[/CURRENCY][,WALLET_ID[/CURRENCY]...], e.g. U000000002:key2:W00000002,W00000003/AUD",
            self.0
        )
    }
}

impl std::error::Error for UserSyntaxError {}

/// Parses `USER_ID:API_KEY:WALLET[/CURRENCY][,WALLET[/CURRENCY]...]`; the key may itself contain
/// colons (the user is before the first, the wallets after the last). Currency defaults to NZD.
impl FromStr for User {
    type Err = UserSyntaxError;
    fn from_str(text: &str) -> Result<User, UserSyntaxError> {
        // Messages never repeat `text`: it holds an api_key.
        let (user_id, rest) = text
            .split_once(':')
            .ok_or_else(|| UserSyntaxError("the value has no `:`".into()))?;
        let (key, wallets) = rest
            .rsplit_once(':')
            .ok_or_else(|| UserSyntaxError("expected three parts separated by `:`".into()))?;
        if user_id.is_empty() || key.is_empty() || wallets.is_empty() {
            return Err(UserSyntaxError(
                "user_id, api_key and wallets cannot be empty".into(),
            ));
        }
        let mut user = User {
            user_id: user_id.to_owned(),
            api_key: ApiKey::new(key),
            wallets: Vec::new(),
        };
        for w in wallets.split(',') {
            let (id, currency) = w.split_once('/').unwrap_or((w, "NZD"));
            if id.is_empty()
                || currency.len() != 3
                || !currency.bytes().all(|b| b.is_ascii_uppercase())
            {
                return Err(UserSyntaxError(format!(
                    "wallet `{w}` is not WALLET_ID or WALLET_ID/CUR (a three-letter currency like AUD)"
                )));
            }
            user.wallets.push(Wallet::new(id, currency));
        }
        Ok(user)
    }
}

/// Everything a sandbox is started with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (see [`crate::Sandbox::url`]).
    pub addr: SocketAddr,
    /// The merchant accounts accepted.
    pub users: Vec<User>,
    /// Time between notification attempts (Latipay: about 30 s).
    pub notify_interval: Duration,
    /// Stop after this many attempts; `None` retries for ever, as Latipay does.
    pub max_attempts: Option<u32>,
    /// How long one notification attempt may take.
    pub notify_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Longest wait of a `query` with `is_block=1` (Latipay: 180 s).
    pub long_poll: Duration,
    /// The whole API the sandbox plays: request checks, signing rules and the shape of every
    /// answer (its endpoint's model) come from it. The built-in spec by default; to play a
    /// merchant's own endpoints as well, add their file with [`Config::add_spec`] (assigning a
    /// merchant's file here would play its endpoints alone).
    pub spec: Spec,
    /// An SQLite file keeping orders, refunds, invoices and notification deliveries across
    /// restarts (and kills): every change is written before the client hears of it, and
    /// undelivered notifications resume at start. `None` (the default) keeps state in memory.
    pub state: Option<PathBuf>,
    /// How long a client may take to send a request's headers (and how long an idle
    /// keep-alive connection is kept): a slowloris-style client is dropped after it.
    pub header_read_timeout: Duration,
    /// How long a request's body may take to arrive once its headers are in (answered 408).
    pub body_read_timeout: Duration,
    /// Most connections open at once; one more is answered 503 and closed, so a client that
    /// hoards connections cannot take them all (long polls count as one each).
    pub max_connections: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8086)),
            users: vec![
                User::new(DEFAULT_USER_ID, DEFAULT_API_KEY, DEFAULT_WALLET_ID)
                    .with_wallet("W00000002", "AUD"),
            ],
            notify_interval: Duration::from_secs(30),
            max_attempts: None,
            notify_timeout: Duration::from_secs(10),
            body_limit: 64 * 1024,
            long_poll: Duration::from_secs(180),
            spec: latipay_spec::builtin().clone(),
            state: None,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

impl Config {
    /// Adds a merchant's spec file ([`latipay_spec::from_file`] or
    /// [`latipay_spec::parse_merchant`]) to the API played: its endpoints next to those of
    /// [`Config::spec`], one with the name of one there only when it says `replaces: true`, as
    /// `#[latipay(spec = "...")]` and `latipay --spec` add them (`Spec::with_merchant`).
    pub fn add_spec(&mut self, merchant: &Spec) -> Result<(), SpecErrors> {
        self.spec = self.spec.with_merchant(merchant)?;
        Ok(())
    }

    /// [`Config::add_spec`] of the merchant's spec file at `path`, read and validated here, so
    /// a test needs no dependency of its own on `latipay-spec`. Every mistake in the file comes
    /// in the error at once, each with its line and column.
    pub fn add_spec_file(&mut self, path: impl AsRef<std::path::Path>) -> Result<(), SpecErrors> {
        self.add_spec(&latipay_spec::from_file(path.as_ref())?)
    }

    /// The default configuration listening on `127.0.0.1:0`, for tests.
    pub fn ephemeral() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..Config::default()
        }
    }
}

/// Parses a duration like `30s`, `250ms`, `2m`, `1h` or a plain number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 30s, 250ms, 2m"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" | "min" => Ok(Duration::from_secs(n.saturating_mul(60))),
        "h" => Ok(Duration::from_secs(n.saturating_mul(3600))),
        _ => Err(format!(
            "`{text}` has an unknown unit `{unit}`; use ms, s, m or h"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("5 days").is_err());
    }

    #[test]
    fn users() {
        let u: User = "U2:k:e:y:W2,W3/AUD".parse().unwrap();
        assert_eq!(u.user_id, "U2");
        assert_eq!(u.api_key.expose(), "k:e:y");
        assert_eq!(
            u.wallets,
            vec![Wallet::new("W2", "NZD"), Wallet::new("W3", "AUD")]
        );
        assert!("U2".parse::<User>().is_err());
        assert!("U2:key".parse::<User>().is_err());
        assert!("U2:key:W1/nz".parse::<User>().is_err());
    }
}
