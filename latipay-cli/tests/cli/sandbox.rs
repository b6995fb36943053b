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
