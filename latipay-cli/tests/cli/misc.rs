//! `spec check`, `--help` on every command, and argument errors.

use super::common::*;

#[test]
fn spec_check_builtin_and_files() {
    let o = latipay(&["spec", "check"]);
    assert_eq!((code(&o), stdout(&o)), (0, "ok: 12 endpoints\n".to_owned()));

    let dir = std::env::temp_dir().join(format!("latipay-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.yaml");
    std::fs::write(&good, latipay_spec::BUILTIN_YAML).unwrap();
    let o = latipay(&["spec", "check", good.to_str().unwrap()]);
    assert_eq!((code(&o), stdout(&o)), (0, "ok: 12 endpoints\n".to_owned()));

    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        latipay_spec::BUILTIN_YAML.replace("type: ipv4", "type: ipv5"),
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
