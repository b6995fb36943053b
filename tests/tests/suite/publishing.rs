//! What a merchant meets first: the getting-started program of the READMEs is
//! `examples/getting_started.rs` as it is (CI builds it and runs it against the sandbox), and each
//! published crate has the metadata and README of its crates.io page; the others are not
//! published.

use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[test]
fn the_readmes_show_the_getting_started_example_as_it_is() {
    let example = include_str!("../../../examples/getting_started.rs");
    let program = &example[example.find("use latipay_runtime").unwrap()..];
    for (name, readme) in [
        ("README.md", include_str!("../../../README.md")),
        (
            "latipay-runtime/README.md",
            include_str!("../../../latipay-runtime/README.md"),
        ),
    ] {
        assert!(
            readme.contains(program),
            "{name} does not show examples/getting_started.rs as it is"
        );
        // One Latipay dependency: the runtime, with the derive through its feature.
        let start = readme.find("```toml\n[dependencies]\n").expect(name);
        let toml = &readme[start..];
        let toml = &toml[..toml[3..].find("```").unwrap()];
        let latipay: Vec<&str> = toml.lines().filter(|l| l.starts_with("latipay")).collect();
        assert_eq!(latipay, ["latipay-runtime = \"0.1\""], "{name}");
    }
}

#[test]
fn published_crates_have_their_metadata_and_readme_and_the_others_are_not_published() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut published = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        if package["publish"] == serde_json::json!([]) {
            continue;
        }
        published.push(name.to_owned());
        for key in [
            "description",
            "license",
            "repository",
            "homepage",
            "documentation",
            "readme",
        ] {
            assert!(
                package[key].as_str().is_some_and(|v| !v.is_empty()),
                "{name}: `{key}` missing"
            );
        }
        for key in ["keywords", "categories"] {
            let values = package[key].as_array().unwrap();
            assert!(
                (1..=5).contains(&values.len()),
                "{name}: 1 to 5 `{key}`, not {values:?}"
            );
        }
        let manifest = Path::new(package["manifest_path"].as_str().unwrap());
        let readme = manifest
            .parent()
            .unwrap()
            .join(package["readme"].as_str().unwrap());
        let text = std::fs::read_to_string(&readme)
            .unwrap_or_else(|e| panic!("{name}: {}: {e}", readme.display()));
        assert!(text.starts_with("# "), "{name}: {}", readme.display());
    }
    published.sort();
    assert_eq!(
        published,
        [
            "latipay-cli",
            "latipay-derive",
            "latipay-runtime",
            "latipay-sandbox",
            "latipay-spec"
        ],
        "only these are published; give the others `publish = false`"
    );
}
