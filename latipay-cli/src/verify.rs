//! `latipay verify`: checks a notification, redirect or signed response exactly as the runtime
//! does (the one verifier, `latipay_spec::inbound`, by the rules and models of the spec), and on
//! a mismatch shows the rule and the message that should have been signed, never the key.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use latipay_spec::inbound::{FormPairs, InboundError, verify_response};
use latipay_spec::{ApiKey, SigningKey};

use crate::{Failure, VerifyKind, load_spec};

/// Arguments of `latipay verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// What the body is.
    #[arg(value_enum)]
    kind: VerifyKind,
    /// The api_key (the HMAC key; never printed).
    #[arg(long, env = "LATIPAY_API_KEY", hide_env_values = true)]
    api_key: String,
    /// The raw form body (notification), query string or URL (redirect), or JSON text
    /// (responses); `-` reads it from stdin.
    #[arg(long)]
    body: String,
    /// A merchant's spec file: its endpoints, models and inbound messages are added to the
    /// built-in ones.
    #[arg(long)]
    spec: Option<PathBuf>,
}

/// Prints `valid` (exit 0) or `invalid`, the rule and the expected message (exit 1).
pub(crate) fn run(args: &VerifyArgs) -> Result<u8, Failure> {
    let spec = load_spec(args.spec.as_deref())?;
    let body = if args.body == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read the body from stdin: {e}")))?;
        text
    } else {
        args.body.clone()
    };
    let key = SigningKey::new(ApiKey::new(args.api_key.clone()));
    let missing = |what: &str| Failure::usage(format!("the spec has no `{what}`"));
    let result = match args.kind {
        VerifyKind::Notification => {
            let inbound = spec
                .inbound("notification")
                .ok_or_else(|| missing("notification"))?;
            FormPairs::parse(body.as_bytes()).and_then(|f| f.verify(inbound, &key))
        }
        VerifyKind::Redirect => {
            let inbound = spec
                .inbound("redirect")
                .ok_or_else(|| missing("redirect"))?;
            FormPairs::parse_query(&body).and_then(|f| f.verify(inbound, &key))
        }
        VerifyKind::QueryResponse => {
            let endpoint = spec.endpoint("query").ok_or_else(|| missing("query"))?;
            verify_response(&spec, endpoint, &key, &body)
        }
        VerifyKind::TransactionResponse => {
            let endpoint = spec
                .endpoint("transaction")
                .ok_or_else(|| missing("transaction"))?;
            verify_response(&spec, endpoint, &key, &body)
        }
    };
    match result {
        Ok(_) => {
            println!("valid");
            Ok(0)
        }
        Err(InboundError::Mismatch {
            rule,
            expected_message,
        }) => {
            println!("invalid");
            println!("rule: {rule}");
            println!("expected message: {expected_message}");
            Ok(1)
        }
        Err(e) => Err(Failure::usage(e.to_string())),
    }
}
