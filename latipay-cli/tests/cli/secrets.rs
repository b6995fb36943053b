//! The api_key never appears in the CLI's output or errors for user mistakes, given by flag or
//! by LATIPAY_API_KEY, nor in a running sandbox's banner and logs. The one documented exception
//! is the banner showing the public default key of Latipay's docs (tested in `sandbox.rs`).

use std::process::{Command, Output};

use super::common::*;
use super::net::SandboxProcess;

const SECRET: &str = "sk_cli_5Xy8-NEVER-PRINT-ME";

fn run(args: &[&str], env_key: bool) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_latipay"));
    c.args(args)
        .env_remove("LATIPAY_API_KEY")
        .env_remove("LATIPAY_USER_ID")
        .env_remove("LATIPAY_WALLET_ID");
    if env_key {
        c.env("LATIPAY_API_KEY", SECRET);
    }
    c.output().expect("the binary runs")
}

fn assert_hidden(what: &str, o: &Output) {
    let all = format!("{}{}", stdout(o), stderr(o));
    assert!(!all.contains(SECRET), "{what}: the key is printed:\n{all}");
    no_panic(o);
}

#[test]
fn user_mistakes_never_print_the_key() {
    let dir = std::env::temp_dir().join(format!("latipay-cli-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let corrupt = dir.join("corrupt.db");
    std::fs::write(&corrupt, b"this is not a database, it is a note").unwrap();
    let corrupt = corrupt.to_string_lossy().into_owned();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_addr = busy.local_addr().unwrap().to_string();
    let user_no_wallet = format!("U2:{SECRET}");
    let user_no_colon = format!("U2{SECRET}");
    let user_bad_wallet = format!("U2:{SECRET}:W1/nz");
    let field_key = format!("api_key={SECRET}");
    let closed = {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", free.local_addr().unwrap())
    };

    // Each mistake, with the exit code it must give.
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["sign", "nothing", "--api-key", SECRET], 2),
        (
            vec!["sign", "query", "--api-key", SECRET, "merchant_refrence=1"],
            2,
        ),
        (
            vec!["sign", "transaction", "--api-key", SECRET, "amount=1.00"],
            2,
        ),
        (
            vec![
                "sign",
                "transaction",
                "--api-key",
                SECRET,
                "amount=x",
                "--explain",
            ],
            2,
        ),
        (vec!["sign", "query", "--api-key", SECRET, "not-a-pair"], 2),
        (vec!["sign", "query", "--api-key", SECRET, &field_key], 2),
        (
            vec![
                "sign",
                "query",
                "--api-key",
                SECRET,
                "--spec",
                "/nonexistent.yaml",
            ],
            2,
        ),
        (vec!["sign", "--api-key", SECRET], 2),
        (vec!["call", "nothing", "--api-key", SECRET], 2),
        (
            vec!["call", "query", "--api-key", SECRET, "merchant_refrence=1"],
            2,
        ),
        (vec!["call", "query", "--api-key", SECRET, SECRET], 2),
        (vec!["call", "query", "--api-key", SECRET, &field_key], 2),
        (
            vec!["call", "transaction", "--api-key", SECRET, "amount=x"],
            2,
        ),
        (
            vec![
                "call",
                "query",
                "--api-key",
                SECRET,
                "--base-url",
                "ftp://nowhere",
                "merchant_reference=1",
            ],
            2,
        ),
        (
            vec![
                "call",
                "query",
                "--api-key",
                SECRET,
                "--user-id",
                "U1",
                "--base-url",
                &closed,
                "merchant_reference=1",
            ],
            4,
        ),
        (
            vec![
                "verify",
                "notification",
                "--api-key",
                SECRET,
                "--body",
                "{}",
            ],
            2,
        ),
        (
            vec!["verify", "notification", "--api-key", SECRET, "--body", ""],
            2,
        ),
        (
            vec![
                "verify",
                "notification",
                "--api-key",
                SECRET,
                "--body",
                "merchant_reference=a&payment_method=alipay&status=paid&currency=NZD&amount=1.00&signature=00",
            ],
            1,
        ),
        (
            vec![
                "verify",
                "query-response",
                "--api-key",
                SECRET,
                "--body",
                "[1",
            ],
            2,
        ),
        (
            vec![
                "verify",
                "transaction-response",
                "--api-key",
                SECRET,
                "--body",
                "{\"nonce\":1}",
            ],
            2,
        ),
        (
            vec!["verify", "bogus", "--api-key", SECRET, "--body", "x"],
            2,
        ),
        (
            vec!["sandbox", "--api-key", SECRET, "--max-attempts", "0"],
            2,
        ),
        (vec!["sandbox", "--api-key", SECRET, "--wallet-id", "/"], 2),
        (
            vec!["sandbox", "--api-key", SECRET, "--notify-interval", "soon"],
            2,
        ),
        (
            vec!["sandbox", "--api-key", SECRET, "--max-connections", "0"],
            2,
        ),
        (vec!["sandbox", "--user", &user_no_wallet], 2),
        (vec!["sandbox", "--user", &user_no_colon], 2),
        (vec!["sandbox", "--user", &user_bad_wallet], 2),
        (
            vec!["sandbox", "--api-key", SECRET, "--addr", &busy_addr],
            1,
        ),
        (
            vec![
                "sandbox",
                "--api-key",
                SECRET,
                "--addr",
                "127.0.0.1:0",
                "--state",
                &corrupt,
            ],
            1,
        ),
    ];
    let mut tried = 0;
    for (args, exit) in &cases {
        let o = run(args, false);
        assert_eq!(code(&o), *exit, "{args:?}: {}", stderr(&o));
        assert_hidden(&format!("{args:?}"), &o);
        tried += 1;
        // The same with the key from the environment instead of the flag.
        let without: Vec<&str> = {
            let mut v = Vec::new();
            let mut skip = false;
            for a in args {
                if skip {
                    skip = false;
                } else if *a == "--api-key" {
                    skip = true;
                } else {
                    v.push(*a);
                }
            }
            v
        };
        if without.len() != args.len() {
            let o = run(&without, true);
            assert_eq!(code(&o), *exit, "env {without:?}: {}", stderr(&o));
            assert_hidden(&format!("env {without:?}"), &o);
            tried += 1;
        }
    }
    // The corrupt state file is named, and left as it was.
    let o = run(
        &["sandbox", "--addr", "127.0.0.1:0", "--state", &corrupt],
        false,
    );
    assert!(
        stderr(&o).contains("not a readable SQLite database"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(&corrupt).unwrap(),
        b"this is not a database, it is a note"
    );
    // --explain shows the message with the key masked.
    let o = run(
        &[
            "sign",
            "query",
            "--api-key",
            SECRET,
            "--user-id",
            "U1",
            "merchant_reference=1",
            "--explain",
        ],
        false,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("***"), "{}", stdout(&o));
    assert_hidden("explain", &o);
    drop(busy);
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("figures: CLI mistakes tried={tried} key printed=0");
}

#[test]
fn a_running_sandbox_never_prints_a_given_key() {
    let other = format!("U000000003:{SECRET}-2:W00000009");
    let sb = SandboxProcess::start(&[
        "--api-key",
        SECRET,
        "--user",
        &other,
        "--notify-interval",
        "20ms",
    ]);
    assert!(sb.url.starts_with("http://127.0.0.1:"), "{}", sb.url);
    // Accepted, refused for a wrong signature, refused for a wrong user.
    let v = sb.call("cancel", SECRET, &[("merchant_reference", "none")]);
    assert_eq!(v["code"], 201, "{v}");
    let v = sb.call("cancel", "wrong-key", &[("merchant_reference", "none")]);
    assert_eq!(v["code"], 206, "{v}");
    assert!(!v.to_string().contains(SECRET));
    let (status, index) = sb.get("/sandbox");
    assert_eq!(status, 200);
    assert!(!index.contains(SECRET));
    let (exit, out, err) = sb.terminate();
    assert_eq!(exit, Some(0));
    assert!(out.contains("api_key (as given)"), "{out}");
    assert!(err.contains("request refused"), "logs are on: {err}");
    assert!(
        !out.contains(SECRET) && !err.contains(SECRET),
        "{out}\n{err}"
    );
}
