//! What `sign` and `call` share: the endpoint, the credentials (flags or `LATIPAY_*` variables),
//! the spec, the base URL and the NAME=VALUE fields, read the same way by both.

use std::path::PathBuf;

use clap::Args;
use latipay_runtime::Environment;
use latipay_spec::{Endpoint, Spec, did_you_mean};

use crate::{Failure, load_spec};

/// A request to an endpoint of the spec, as `latipay sign` and `latipay call` take it.
#[derive(Debug, Args)]
pub(crate) struct RequestArgs {
    /// The endpoint's name in the spec: transaction, gatewaydata, barcode, minialipay,
    /// miniapppay, query, refund, cancel, invoice_create, invoice_get, invoice_list,
    /// invoice_delete, invoice_refund, or one of the `--spec` file.
    pub endpoint: String,
    /// The api_key (the HMAC key; never printed).
    #[arg(long, env = "LATIPAY_API_KEY", hide_env_values = true)]
    pub api_key: String,
    /// Fills `user_id` unless given as a field.
    #[arg(long, env = "LATIPAY_USER_ID")]
    pub user_id: Option<String>,
    /// Fills `wallet_id` unless given as a field.
    #[arg(long, env = "LATIPAY_WALLET_ID")]
    pub wallet_id: Option<String>,
    /// A merchant's spec file: its endpoints and models are added to the built-in ones.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Where Latipay is: `production` (`https://api.latipay.net`, the default), `staging`, or a
    /// base URL such as a local sandbox's.
    #[arg(long, env = "LATIPAY_BASE_URL")]
    pub base_url: Option<String>,
    /// Fields as NAME=VALUE, with wire names (e.g. merchant_reference=dsi39ej430sks03).
    #[arg(value_name = "NAME=VALUE")]
    pub fields: Vec<String>,
}

impl RequestArgs {
    /// The spec (built-in, plus the `--spec` file), checked before anything else.
    pub fn spec(&self) -> Result<Spec, Failure> {
        load_spec(self.spec.as_deref())
    }

    /// The endpoint named on the command line; an unknown name is a usage error that lists the
    /// endpoints and suggests the closest.
    pub fn endpoint<'s>(&self, spec: &'s Spec) -> Result<&'s Endpoint, Failure> {
        spec.endpoint(&self.endpoint).ok_or_else(|| {
            let names = spec.endpoints.keys().map(String::as_str);
            let hint = match did_you_mean(&self.endpoint, names.clone()) {
                Some(h) => format!("; did you mean `{h}`?"),
                None => String::new(),
            };
            Failure::usage(format!(
                "unknown endpoint `{}`{hint}\nendpoints: {}",
                self.endpoint,
                names.collect::<Vec<_>>().join(", ")
            ))
        })
    }

    /// The NAME=VALUE fields as pairs, in the order given.
    pub fn pairs(&self) -> Result<Vec<(String, String)>, Failure> {
        let mut pairs = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            let Some((name, value)) = f.split_once('=') else {
                // A bare word may be the api_key pasted in the wrong place: never echo it.
                let shown = if !self.api_key.is_empty() && f.contains(&self.api_key) {
                    "a field (it holds the api_key, not shown)".to_owned()
                } else {
                    format!("`{f}`")
                };
                return Err(Failure::usage(format!(
                    "{shown} is not NAME=VALUE (e.g. merchant_reference=dsi39ej430sks03)"
                )));
            };
            pairs.push((name.to_owned(), value.to_owned()));
        }
        Ok(pairs)
    }

    /// `--base-url` or `LATIPAY_BASE_URL`: production when unset; anything but `production`,
    /// `staging` or an absolute http(s) URL (an empty or mistyped name too) is a usage error.
    pub fn environment(&self) -> Result<Environment, Failure> {
        match &self.base_url {
            None => Ok(Environment::Production),
            Some(text) => {
                Environment::parse(text).map_err(|e| Failure::usage(format!("--base-url {e}")))
            }
        }
    }

    /// `--user-id` or `LATIPAY_USER_ID`, empty when neither is given.
    pub fn user_id(&self) -> &str {
        self.user_id.as_deref().unwrap_or("")
    }

    /// `--wallet-id` or `LATIPAY_WALLET_ID`, empty when neither is given.
    pub fn wallet_id(&self) -> &str {
        self.wallet_id.as_deref().unwrap_or("")
    }
}
