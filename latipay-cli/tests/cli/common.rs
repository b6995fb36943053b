//! Running the binary.

use std::process::{Command, Output};

pub const KEY: &str = "111222333";

/// Runs `latipay args...` with no LATIPAY_* variables from the environment.
pub fn latipay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_latipay"))
        .args(args)
        .env_remove("LATIPAY_API_KEY")
        .env_remove("LATIPAY_USER_ID")
        .env_remove("LATIPAY_WALLET_ID")
        .env_remove("LATIPAY_BASE_URL")
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The last line of stdout.
pub fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or("").to_owned()
}

/// No panic message or backtrace, whatever happened.
pub fn no_panic(o: &Output) {
    let e = stderr(o);
    assert!(
        !e.contains("panicked") && !e.contains("RUST_BACKTRACE"),
        "{e}"
    );
}
