//! `latipay sign`: the dynamic spec signer on the command line, so a signature can be compared
//! with what a merchant's code produced, with `--explain` showing the canonical message.

use std::path::PathBuf;

use clap::Args;
use latipay_spec::{ApiKey, Method, SigningKey, did_you_mean};

use crate::{Failure, load_spec};

/// Arguments of `latipay sign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The endpoint's name in the spec: transaction, barcode, minialipay, miniapppay, query,
    /// refund, cancel, invoice_create, invoice_get, invoice_list, invoice_delete, invoice_refund.
    endpoint: String,
    /// The api_key (the HMAC key; never printed).
    #[arg(long, env = "LATIPAY_API_KEY", hide_env_values = true)]
    api_key: String,
    /// Fills `user_id` unless given as a field.
    #[arg(long, env = "LATIPAY_USER_ID")]
    user_id: Option<String>,
    /// Fills `wallet_id` unless given as a field.
    #[arg(long, env = "LATIPAY_WALLET_ID")]
    wallet_id: Option<String>,
    /// A spec file instead of the built-in spec.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Print the canonical message (api_key masked as ***), the fields sent but not signed, and the request.
    #[arg(long)]
    explain: bool,
    /// Base URL for the printed request URL of GET endpoints.
    #[arg(long, default_value = "https://api.latipay.net")]
    base_url: String,
    /// Fields as NAME=VALUE, with wire names (e.g. merchant_reference=dsi39ej430sks03).
    #[arg(value_name = "NAME=VALUE")]
    fields: Vec<String>,
}

/// Signs and prints; the signature is the last line.
pub(crate) fn run(args: &SignArgs) -> Result<u8, Failure> {
    let spec = load_spec(args.spec.as_deref())?;
    let Some(endpoint) = spec.endpoint(&args.endpoint) else {
        let names = spec.endpoints.keys().map(String::as_str);
        let hint = match did_you_mean(&args.endpoint, names.clone()) {
            Some(h) => format!("; did you mean `{h}`?"),
            None => String::new(),
        };
        return Err(Failure::usage(format!(
            "unknown endpoint `{}`{hint}\nendpoints: {}",
            args.endpoint,
            names.collect::<Vec<_>>().join(", ")
        )));
    };
    let mut pairs = Vec::with_capacity(args.fields.len());
    for f in &args.fields {
        let Some((name, value)) = f.split_once('=') else {
            return Err(Failure::usage(format!(
                "`{f}` is not NAME=VALUE (e.g. merchant_reference=dsi39ej430sks03)"
            )));
        };
        pairs.push((name.to_owned(), value.to_owned()));
    }
    let key = SigningKey::new(ApiKey::new(args.api_key.clone()));
    let signed = endpoint
        .sign_dynamic(
            &key,
            args.user_id.as_deref().unwrap_or(""),
            args.wallet_id.as_deref().unwrap_or(""),
            &pairs,
        )
        .map_err(|e| Failure::usage(format!("cannot sign `{}`:\n{e}", endpoint.name)))?;
    if args.explain {
        println!("message: {}", signed.message);
        if !signed.unsigned.is_empty() {
            println!("sent but not signed: {}", signed.unsigned.join(", "));
        }
        println!(
            "request: {} {}",
            signed.request.method,
            signed.request.path_and_query()
        );
        if let Some(body) = &signed.request.body {
            println!("body: {body}");
        }
    }
    if matches!(endpoint.method, Method::Get) {
        println!("url: {}", signed.request.url(&args.base_url));
    }
    println!("{}", signed.signature.to_hex());
    Ok(0)
}
