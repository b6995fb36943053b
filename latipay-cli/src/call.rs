//! `latipay call`: signs a request as the spec says, sends it with the library's `Client`,
//! verifies the answer by its declared model, and prints it as one JSON object.
//!
//! Exit codes: 0 the answer, verified; 1 a signature check failed; 2 a usage error, nothing
//! sent; 3 Latipay answered a non-zero `code`; 4 nothing usable came back.

use clap::Args;
use latipay_runtime::{Client, Credentials, Error};
use latipay_spec::inbound::InboundError;

use crate::Failure;
use crate::args::RequestArgs;

/// Exit code: a signature Latipay sent does not verify.
pub(crate) const EXIT_INVALID: u8 = 1;
/// Exit code: Latipay answered a failure `code`.
pub(crate) const EXIT_API: u8 = 3;
/// Exit code: no usable answer (connection refused, timeout, not JSON, wrong shape).
pub(crate) const EXIT_NO_ANSWER: u8 = 4;

/// Arguments of `latipay call`.
#[derive(Debug, Args)]
pub(crate) struct CallArgs {
    #[command(flatten)]
    request: RequestArgs,
}

/// Sends the request and prints the verified answer as the last line of stdout.
pub(crate) fn run(args: &CallArgs) -> Result<u8, Failure> {
    let request = &args.request;
    // Every usage error is found here, before a runtime or a connection exists.
    let spec = request.spec()?;
    let endpoint = request.endpoint(&spec)?;
    let pairs = request.pairs()?;
    let environment = request.environment()?;
    let credentials = Credentials::new(
        request.user_id(),
        request.wallet_id(),
        request.api_key.as_str(),
    );
    let client = Client::builder(credentials)
        .environment(environment)
        .build()
        .map_err(|e| Failure::new(EXIT_NO_ANSWER, e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::new(
                EXIT_NO_ANSWER,
                format!("cannot start the async runtime: {e}"),
            )
        })?;
    let answer = runtime
        .block_on(client.send_dynamic(&spec, endpoint, &pairs))
        .map_err(failure)?;
    println!("{}", answer.to_json());
    Ok(0)
}

/// The exit code and message of each error of the client (none of them holds the api_key).
fn failure(e: Error) -> Failure {
    match e {
        Error::Signature(s) => {
            let detail = match &s.kind {
                InboundError::Mismatch {
                    rule,
                    expected_message,
                } => format!("\nrule: {rule}\nexpected message: {expected_message}"),
                other => format!(": {other}"),
            };
            Failure::new(
                EXIT_INVALID,
                format!("invalid: the {} is not signed correctly{detail}", s.what),
            )
        }
        Error::Config(_) | Error::InvalidRequest(_) => Failure::usage(e.to_string()),
        Error::Api(api) => {
            let mut message = format!(
                "Latipay answered the `{}` request with code {}: {}",
                api.endpoint,
                api.code.as_i64(),
                if api.message.is_empty() {
                    api.code.meaning()
                } else {
                    &api.message
                }
            );
            if !api.message_cn.is_empty() {
                message.push_str(&format!(" ({})", api.message_cn));
            }
            Failure::new(EXIT_API, message)
        }
        // Transport, Timeout, Ambiguous, Decode, and whatever a later runtime adds.
        other => Failure::new(EXIT_NO_ANSWER, format!("no usable answer: {other}")),
    }
}
