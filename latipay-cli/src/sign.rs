//! `latipay sign`: the dynamic spec signer on the command line, so a signature can be compared
//! with what a merchant's code produced, with `--explain` showing the canonical message.

use clap::Args;
use latipay_spec::{ApiKey, Method, SigningKey};

use crate::Failure;
use crate::args::RequestArgs;

/// Arguments of `latipay sign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    #[command(flatten)]
    request: RequestArgs,
    /// Print the canonical message (api_key masked as ***), the fields sent but not signed, and the request.
    #[arg(long)]
    explain: bool,
}

/// Signs and prints; the signature is the last line (`unsigned` for an endpoint Latipay takes
/// without a signature, such as `gatewaydata`).
pub(crate) fn run(args: &SignArgs) -> Result<u8, Failure> {
    let request = &args.request;
    let spec = request.spec()?;
    let endpoint = request.endpoint(&spec)?;
    let pairs = request.pairs()?;
    let environment = request.environment()?;
    let key = SigningKey::new(ApiKey::new(request.api_key.clone()));
    let signed = endpoint
        .sign_dynamic(&key, request.user_id(), request.wallet_id(), &pairs)
        .map_err(|e| Failure::usage(format!("cannot sign `{}`:\n{e}", endpoint.name)))?;
    if args.explain {
        if signed.signature.is_some() {
            println!("message: {}", signed.message);
        } else {
            println!("message: (none: `{}` is sent unsigned)", endpoint.name);
        }
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
        println!("url: {}", signed.request.url(environment.base_url()));
    }
    match &signed.signature {
        Some(signature) => println!("{}", signature.to_hex()),
        None => println!("unsigned"),
    }
    Ok(0)
}
