//! `latipay sandbox`: starts on port 0, says where on its first line, serves, stops on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::common::*;

#[test]
fn starts_on_port_0_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_latipay"))
        .args([
            "sandbox",
            "--addr",
            "127.0.0.1:0",
            "--notify-interval",
            "50ms",
            "--quiet",
            "--user",
            "U000000002:second-key:W00000005,W00000006/AUD",
        ])
        .env_remove("LATIPAY_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").expect("text");
    let url = first
        .strip_prefix("listening on ")
        .expect("listening on ...")
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    let banner: Vec<String> = lines.by_ref().take(3).map(|l| l.unwrap()).collect();
    assert!(
        banner[0].contains("U000334333") && banner[0].contains("api_key 111222333"),
        "{banner:?}"
    );
    assert!(
        banner[1].contains("U000000002") && !banner[1].contains("second-key"),
        "{banner:?}"
    );

    // A signed request through the CLI's own signer is accepted.
    let o = latipay(&[
        "sign",
        "cancel",
        "--api-key",
        KEY,
        "--user-id",
        "U000334333",
        "merchant_reference=nothing-here",
    ]);
    let signature = last_line(&o);
    let answer = http_post(
        &url,
        "/cancel",
        &format!(
            r#"{{"merchant_reference":"nothing-here","user_id":"U000334333","signature":"{signature}"}}"#
        ),
    );
    assert!(answer.contains(r#""code":201"#), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "clean exit on SIGTERM");
}

/// A minimal HTTP/1.1 POST over std, so this test needs no async runtime.
fn http_post(base: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// The README's way to run the sandbox from a script, run as written: it returns (no pipe that
/// waits forever), the first line says where, SIGTERM stops the sandbox with exit 0, and the log
/// written to a file has no ANSI colours.
#[test]
fn the_readme_script_returns_and_logs_without_colours() {
    let readme = include_str!("../../README.md");
    let script = readme
        .split("```sh\n")
        .skip(1)
        .map(|block| &block[..block.find("```").unwrap()])
        .find(|block| block.contains("until grep"))
        .expect("the README's script block");
    // No command of the README pipes the sandbox, which runs until stopped, into a reader that
    // would then wait for it forever.
    for block in readme.split("```").skip(1).step_by(2) {
        for line in block.lines() {
            let command = line.split(" #").next().unwrap_or("");
            assert!(
                !(command.contains("latipay sandbox") && command.contains('|')),
                "a pipe that never ends: {line}"
            );
        }
    }

    let dir = std::env::temp_dir().join(format!("latipay-cli-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_latipay"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut child = Command::new("sh")
        .args(["-c", script])
        .current_dir(&dir)
        .env("PATH", path)
        .env_remove("LATIPAY_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the README's script did not return");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        status.success(),
        "{status}: {out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.starts_with("listening on http://127.0.0.1:"), "{out}");
    let log = std::fs::read_to_string(dir.join("sandbox.log")).unwrap();
    assert!(log.contains("listening"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "ANSI escapes in a log file: {log:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_banner_counts_in_english() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_latipay"))
        .args([
            "sandbox",
            "--addr",
            "127.0.0.1:0",
            "--quiet",
            "--max-attempts",
            "1",
        ])
        .env_remove("LATIPAY_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let notifications = lines
        .map(|l| l.unwrap())
        .find(|l| l.starts_with("notifications every"))
        .expect("the notifications line");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        notifications.contains("at most 1 attempt;"),
        "{notifications}"
    );
}
