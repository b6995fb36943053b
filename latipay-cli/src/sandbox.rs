//! `latipay sandbox`: runs the local Latipay until Ctrl-C or SIGTERM. The first line of stdout is
//! `listening on http://ADDR`, so a script can start it on port 0 and read the port.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use latipay_sandbox::{
    Config, DEFAULT_API_KEY, DEFAULT_USER_ID, MAGIC_AMOUNTS, Sandbox, User, Wallet, parse_duration,
};
use latipay_spec::ApiKey;

use crate::{Failure, count, load_spec};

/// Arguments of `latipay sandbox`.
#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// Where to listen; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8086")]
    addr: SocketAddr,
    /// The sandbox user's user_id.
    #[arg(long, default_value = DEFAULT_USER_ID)]
    user_id: String,
    /// The user's wallets, WALLET_ID or WALLET_ID/CURRENCY, repeatable (default: W00000001 NZD
    /// and W00000002/AUD).
    #[arg(long)]
    wallet_id: Vec<String>,
    /// The user's api_key (default: 111222333, the key of Latipay's documentation examples).
    #[arg(long, env = "LATIPAY_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Another user, USER_ID:API_KEY:WALLET_ID[/CUR][,WALLET_ID[/CUR]...]; repeatable.
    // Parsed in `run`, not by clap: clap's error would echo the value, and with it the api_key.
    #[arg(long = "user", value_name = "USER")]
    users: Vec<String>,
    /// Time between notification attempts, e.g. 30s, 500ms.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    notify_interval: Duration,
    /// Give up a notification after this many attempts (default: never, like Latipay).
    #[arg(long)]
    max_attempts: Option<u32>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 64 * 1024)]
    body_limit: usize,
    /// A merchant's spec file: its endpoints and models are added to the built-in ones.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Keep orders, refunds, invoices and notification deliveries in this SQLite file (created
    /// if missing): every change is saved before it is answered, and a restart on the same file
    /// (even after a kill) resumes the notifications not yet delivered. Default: in memory.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// How long a client may take to send a request's headers, and how long an idle
    /// keep-alive connection stays open, e.g. 10s.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    header_read_timeout: Duration,
    /// How long a request's body may take to arrive (answered 408 after), e.g. 30s.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    body_read_timeout: Duration,
    /// Most connections open at once; one more is answered 503 and closed.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Log only warnings and errors.
    #[arg(long, short)]
    quiet: bool,
}

/// Starts the sandbox, prints where and with which credentials, and serves until a signal.
pub(crate) fn run(args: SandboxArgs) -> Result<u8, Failure> {
    let spec = load_spec(args.spec.as_deref())?;
    let mut config = Config {
        addr: args.addr,
        notify_interval: args.notify_interval,
        max_attempts: args.max_attempts,
        body_limit: args.body_limit,
        spec,
        state: args.state.clone(),
        header_read_timeout: args.header_read_timeout,
        body_read_timeout: args.body_read_timeout,
        max_connections: args.max_connections,
        ..Config::default()
    };
    if args.max_connections == 0 {
        return Err(Failure::usage("--max-connections must be at least 1"));
    }
    if args.header_read_timeout.is_zero() || args.body_read_timeout.is_zero() {
        return Err(Failure::usage(
            "--header-read-timeout and --body-read-timeout must be more than 0",
        ));
    }
    let mut others = Vec::with_capacity(args.users.len());
    for (n, text) in args.users.iter().enumerate() {
        // The message says what is wrong without repeating the text: it holds an api_key.
        let user: User = text
            .parse()
            .map_err(|e| Failure::usage(format!("--user #{}: {e}", n + 1)))?;
        others.push(user);
    }
    let default_user = config.users.first().cloned();
    let mut user = User {
        user_id: args.user_id.clone(),
        api_key: ApiKey::new(
            args.api_key
                .clone()
                .unwrap_or_else(|| DEFAULT_API_KEY.to_owned()),
        ),
        wallets: default_user.map(|u| u.wallets).unwrap_or_default(),
    };
    if !args.wallet_id.is_empty() {
        user.wallets.clear();
        for w in &args.wallet_id {
            let (id, currency) = w.split_once('/').unwrap_or((w, "NZD"));
            if id.is_empty() || currency.len() != 3 {
                return Err(Failure::usage(format!(
                    "--wallet-id `{w}` is not WALLET_ID or WALLET_ID/CUR (e.g. W00000002/AUD)"
                )));
            }
            user.wallets.push(Wallet::new(id, currency));
        }
    }
    config.users = std::iter::once(user).chain(others).collect();
    if config.max_attempts == Some(0) {
        return Err(Failure::usage("--max-attempts must be at least 1"));
    }
    init_logging(args.quiet);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))?;
    let key_shown = args.api_key.is_none();
    runtime.block_on(async move {
        // Signals are caught from before the first line: a script that reads `listening on`
        // and at once sends SIGTERM gets a clean stop, not the default kill.
        let signal = stop_signal();
        // The error says which: `cannot listen on ADDR: ...` or `state file FILE: ...`.
        let sandbox = Sandbox::start(config.clone())
            .await
            .map_err(|e| Failure::failed(e.to_string()))?;
        print_banner(&sandbox, &config, key_shown);
        signal.await;
        eprintln!("stopping");
        sandbox
            .shutdown()
            .await
            .map_err(|e| Failure::failed(format!("error while stopping: {e}")))?;
        Ok(0)
    })
}

fn print_banner(sandbox: &Sandbox, config: &Config, key_shown: bool) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", sandbox.url());
    for (i, u) in config.users.iter().enumerate() {
        let wallets: Vec<String> = u
            .wallets
            .iter()
            .map(|w| format!("{} ({})", w.wallet_id, w.currency))
            .collect();
        // The default key is public (Latipay's docs); a key given by the user is not echoed.
        let key = if i == 0 && key_shown {
            u.api_key.expose().to_owned()
        } else {
            "(as given)".to_owned()
        };
        let _ = writeln!(
            out,
            "user_id {}  wallets {}  api_key {key}",
            u.user_id,
            wallets.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "state: {}",
        config.state.as_ref().map_or_else(
            || "in memory (lost at exit; keep it with --state FILE)".to_owned(),
            |p| format!("{} (SQLite, saved before each answer)", p.display())
        )
    );
    let _ = writeln!(
        out,
        "notifications every {:?}{}; admin routes: GET {}/sandbox",
        config.notify_interval,
        config
            .max_attempts
            .map(|m| format!(", at most {}", count(m as usize, "attempt")))
            .unwrap_or_default(),
        sandbox.url()
    );
    let magic: Vec<String> = MAGIC_AMOUNTS
        .iter()
        .map(|(e, what)| format!("  {e}  {what}"))
        .collect();
    let _ = writeln!(out, "magic amounts (by cents):\n{}", magic.join("\n"));
    let _ = out.flush();
}

fn init_logging(quiet: bool) {
    let level = if quiet {
        tracing::Level::WARN
    } else {
        tracing::Level::INFO
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(colours(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR"),
        ))
        .with_target(false)
        .try_init();
}

/// Whether log lines on a stream carry ANSI colours: only on a terminal (a file, a pipe or a CI
/// log gets plain text), and never with `NO_COLOR` set to anything but empty (no-color.org).
fn colours(is_terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// A future that resolves at Ctrl-C or SIGTERM; the handlers are installed when it is created,
/// not when it is first polled.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            match (term, int) {
                (Some(mut term), Some(mut int)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_only_on_a_terminal_without_no_color() {
        assert!(colours(true, None));
        assert!(colours(true, Some("".into())));
        assert!(!colours(true, Some("1".into())));
        assert!(!colours(false, None));
        assert!(!colours(false, Some("".into())));
    }
}
