//! `latipay`: sign and verify Latipay messages, call Latipay, check spec files, run the local
//! sandbox.
//!
//! Exit codes: 0 success (`valid`), 1 a negative answer (`invalid`, a broken spec), 2 unusable
//! input (unknown endpoint or field, missing fields, malformed body, bad flags); `call` also
//! exits 3 when Latipay answers a failure code and 4 when no usable answer came back.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod args;
mod call;
mod sandbox;
mod sign;
mod spec_check;
mod verify;

/// A failed command: what to print on stderr, and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A failure with its own exit code.
    pub(crate) fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// Unusable input: exit 2.
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// A negative answer or a failure to run: exit 1.
    pub(crate) fn failed(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// `n` things in English: `1 endpoint`, `2 endpoints`, `0 endpoints`.
pub(crate) fn count(n: usize, singular: &str) -> String {
    match n {
        1 => format!("1 {singular}"),
        n => format!("{n} {singular}s"),
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "latipay",
    version,
    about = "Sign and verify Latipay messages, call Latipay, check spec files, run a local Latipay sandbox",
    after_help = "Examples:\n  latipay sign query --api-key 111222333 --user-id U000000013 merchant_reference=6000324\n  latipay call query --api-key \"$KEY\" --user-id U000000013 merchant_reference=6000324\n  latipay verify notification --api-key 111222333 --body \"$BODY\"\n  latipay spec check\n  latipay sandbox --addr 127.0.0.1:8086 --notify-interval 2s"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign a request to ENDPOINT and print the signature (the last line of stdout).
    #[command(
        after_help = "Example:\n  latipay sign transaction --api-key 111222333 --user-id U000334333 --wallet-id W00000001 \\\n    amount=120.00 payment_method=alipay merchant_reference=dsi39ej430sks03 ip=122.122.122.1 \\\n    product_name='Pinot Noir, Otago' return_url=https://merchantsite.com/checkout \\\n    callback_url=https://merchantsite.com/confirm --explain"
    )]
    Sign(sign::SignArgs),
    /// Verify what Latipay sent: exit 0 printing `valid`, or 1 printing `invalid` and the
    /// message that should have been signed.
    #[command(
        after_help = "Examples:\n  latipay verify notification --api-key 111222333 --body 'merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1'\n  curl -s ... | latipay verify query-response --api-key \"$KEY\" --body -"
    )]
    Verify(verify::VerifyArgs),
    /// Sign a request to ENDPOINT, send it, verify the answer by its model, and print it as one
    /// JSON object (the last line of stdout). Exit 0; 1 a signature does not verify; 2 a usage
    /// error, nothing sent; 3 Latipay answered a failure code; 4 no usable answer.
    #[command(
        after_help = "Examples:\n  latipay call query --api-key \"$KEY\" --user-id U000000013 merchant_reference=6000324\n  latipay call transaction --base-url http://127.0.0.1:8086 --api-key 111222333 --user-id U000334333 \\\n    --wallet-id W00000001 amount=1.00 payment_method=wechat merchant_reference=order-1 ip=127.0.0.1 \\\n    product_name=Test callback_url=https://merchantsite.com/confirm host_type=1\n  latipay call gatewaydata --api-key \"$KEY\" host_url=https://api.latipay.net/v2/merchanthosted/gatewaydata nonce=\"$NONCE\"\n\nEnvironment: LATIPAY_API_KEY, LATIPAY_USER_ID, LATIPAY_WALLET_ID, LATIPAY_BASE_URL (production, staging or a URL)."
    )]
    Call(call::CallArgs),
    /// Work with spec files.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Run the local Latipay sandbox until Ctrl-C; the first line of stdout is `listening on http://ADDR`.
    #[command(
        after_help = "Example:\n  latipay sandbox --addr 127.0.0.1:0 --api-key my-test-key --notify-interval 500ms\n  latipay sandbox --user U000000002:other-key:W00000005,W00000006/AUD --max-attempts 10"
    )]
    Sandbox(sandbox::SandboxArgs),
}

#[derive(Debug, Subcommand)]
enum SpecCommand {
    /// Validate the built-in spec or FILE: `ok: N endpoints`, or the errors as file:line:column.
    #[command(after_help = "Examples:\n  latipay spec check\n  latipay spec check my-latipay.yaml")]
    Check {
        /// The spec file (default: the built-in spec).
        file: Option<PathBuf>,
    },
}

/// What `verify` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VerifyKind {
    /// The asynchronous notification: a form-encoded body (Rule B).
    Notification,
    /// The return_url redirect: its query string, or the whole URL (Rule B).
    Redirect,
    /// The query endpoint's JSON response (Rule B, amount as its raw JSON number).
    QueryResponse,
    /// The transaction endpoint's JSON response (Rule C: nonce + host_url).
    TransactionResponse,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Call(args) => call::run(&args),
        Command::Spec(SpecCommand::Check { file }) => spec_check::run(file.as_deref()),
        Command::Sandbox(args) => sandbox::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// The built-in spec, with the endpoints, inbound messages and models of the merchant's file
/// named by `--spec` added by `latipay_spec::with_builtin`, as the derive and the sandbox add
/// them: next to the built-in ones, and in place of a built-in one only where the file says
/// `replaces: true`. A broken file is unusable input.
pub(crate) fn load_spec(path: Option<&std::path::Path>) -> Result<latipay_spec::Spec, Failure> {
    match path {
        None => Ok(latipay_spec::builtin().clone()),
        Some(p) => latipay_spec::from_file(p)
            .and_then(|merchant| latipay_spec::with_builtin(&merchant))
            .map_err(|e| Failure::usage(e.to_string())),
    }
}
