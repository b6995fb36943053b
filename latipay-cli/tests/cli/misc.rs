//! `spec check`, `--help` on every command, and argument errors.

use super::common::*;

/// A merchant's spec file: one endpoint with its own model, one answering a built-in model.
const MERCHANT: &str = r#"version: 1
endpoints:
  giftcard_redeem:
    method: POST
    path: /v2/giftcard/{card_number}/redeem
    fields:
      user_id: { type: string, from: credentials }
      card_number: { type: string, in: path }
      amount: { type: amount }
    response: { model: giftcard_redeem }
  giftcard_cancel:
    method: POST
    path: /v2/giftcard/{card_number}/cancel
    fields:
      user_id: { type: string, from: credentials }
      card_number: { type: string, in: path }
    response: { model: status }
models:
  giftcard_redeem:
    signature: { rule: concat, fields: [card_number, balance] }
    fields:
      card_number: { type: string }
      balance: { type: amount }
      signature: { type: string }
"#;

#[test]
fn spec_check_builtin_and_files() {
    let o = latipay(&["spec", "check"]);
    assert_eq!((code(&o), stdout(&o)), (0, "ok: 13 endpoints\n".to_owned()));

    // A file is a merchant's: its own endpoints, which may answer with built-in models.
    let dir = std::env::temp_dir().join(format!("latipay-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.yaml");
    std::fs::write(&good, MERCHANT).unwrap();
    let o = latipay(&["spec", "check", good.to_str().unwrap()]);
    assert_eq!(
        (code(&o), stdout(&o)),
        (0, "ok: 2 endpoints\n".to_owned()),
        "{}",
        stderr(&o)
    );

    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        MERCHANT.replace("type: amount", "type: amount_of_money"),
    )
    .unwrap();
    let o = latipay(&["spec", "check", bad.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let e = stderr(&o);
    let prefix = format!("error: {}:", bad.display());
    assert!(e.starts_with(&prefix), "{e}");
    let position = e[prefix.len()..].split(':').take(2).collect::<Vec<_>>();
    assert!(
        position.iter().all(|p| p.parse::<u32>().is_ok()),
        "file:line:column: {e}"
    );

    let o = latipay(&["spec", "check", dir.join("missing.yaml").to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    no_panic(&o);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        &["--help"][..],
        &["sign", "--help"],
        &["verify", "--help"],
        &["call", "--help"],
        &["spec", "check", "--help"],
        &["sandbox", "--help"],
    ] {
        let o = latipay(args);
        assert_eq!(code(&o), 0, "{args:?}");
        let out = stdout(&o);
        assert!(
            out.contains("Example") && out.contains("latipay "),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn argument_errors_exit_2_without_panics() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["sandbox", "--notify-interval", "soon"],
        &["sandbox", "--addr", "not-an-address"],
        &["sandbox", "--user", "U2"],
        &["sandbox", "--max-attempts", "0", "--addr", "127.0.0.1:0"],
        &["sandbox", "--wallet-id", "W1/nz", "--addr", "127.0.0.1:0"],
    ] {
        let o = latipay(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        no_panic(&o);
    }
}

#[test]
fn spec_check_counts_in_english() {
    let dir = std::env::temp_dir().join(format!("latipay-cli-count-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let one = dir.join("one.yaml");
    let start = MERCHANT.find("  giftcard_cancel:").unwrap();
    let end = MERCHANT.find("models:").unwrap();
    std::fs::write(
        &one,
        format!("version: 1\nendpoints:\n{}", &MERCHANT[start..end]),
    )
    .unwrap();
    let o = latipay(&["spec", "check", one.to_str().unwrap()]);
    assert_eq!(
        (code(&o), stdout(&o)),
        (0, "ok: 1 endpoint\n".to_owned()),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
