//! The compile-time workspace: the same 100 structs (spread over four endpoints, 10 fields
//! each) four times: deriving `LatipaySigned`, the same with `#[latipay(builder)]` (issue 16's
//! rows: at most 1.5x serde's `cargo check`, at most 120 expanded lines per struct), deriving
//! only `serde::Serialize`, and deriving nothing (the baseline for the expanded line count); and,
//! as references for the builder (issue 16 names them), with bon's and typed-builder's builders.
//! `bench/run` (or `bench/run compile`, these rows alone) times `cargo check` on it.
//!
//! It is written twice. First with our crates as path dependencies, so that `cargo vendor` can
//! copy every registry crate they and serde need; then, once `bench/run` has packaged our crates
//! into that directory, with our crates as registry dependencies served from it: how a merchant
//! gets them, and how serde is got. (A path dependency is listed through git and fingerprinted
//! file by file on every `cargo check`: about 5 ms more per check on this machine, which serde,
//! from a registry, does not pay.)
//!
//! Two more crates time a merchant's first `cargo build` (issue 17: at most 1.25x): `first_latipay`
//! is the README's getting-started program (`examples/getting_started.rs`) on `latipay-runtime`
//! with its default features, tokio and serde_json; `first_http` is the same merchant's crate with
//! only its HTTP stack (reqwest with rustls, as the runtime uses it, tokio and serde_json) sending
//! one request and reading its JSON. `bench/run` builds each from clean in its own target dir.

use std::fmt::Write as _;
use std::path::Path;

/// One struct shape: its endpoint and its fields (name, type, latipay attribute, serde attribute).
struct Shape {
    endpoint: &'static str,
    fields: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

const SKIP: (&str, &str) = ("#[latipay(skip)]", "#[serde(skip)]");
/// A field the spec fills from the credentials, sent from the struct instead (a marketplace).
const PROVIDES: &str = "#[latipay(provides_credentials)]";

const SHAPES: [Shape; 4] = [
    Shape {
        endpoint: "transaction",
        fields: &[
            ("amount", "String", "", ""),
            ("payment_method", "String", "", ""),
            ("return_url", "String", "", ""),
            ("callback_url", "String", "", ""),
            (
                "back_page_url",
                "Option<String>",
                "#[latipay(rename = \"backPage_url\")]",
                "#[serde(rename = \"backPage_url\")]",
            ),
            ("merchant_reference", "String", "", ""),
            ("ip", "std::net::Ipv4Addr", "", ""),
            ("product_name", "String", "", ""),
            ("present_qr", "Option<String>", "", ""),
            ("host_type", "Option<String>", "", ""),
        ],
    },
    Shape {
        endpoint: "invoice_create",
        fields: &[
            ("amount", "String", "", ""),
            ("product_name", "Option<String>", "", ""),
            ("period_time", "Option<u32>", "", ""),
            ("app", "Option<u32>", "", ""),
            ("customer_order_id", "Option<String>", "", ""),
            ("customer_reference", "Option<String>", "", ""),
            ("return_url", "Option<String>", "", ""),
            ("notify_url", "Option<String>", "", ""),
            ("qrcode", "Option<bool>", "", ""),
            ("wallet_id", "Option<String>", PROVIDES, ""),
        ],
    },
    Shape {
        endpoint: "minialipay",
        fields: &[
            ("amount", "String", "", ""),
            ("callback_url", "String", "", ""),
            (
                "order_ref",
                "String",
                "#[latipay(rename = \"merchant_reference\")]",
                "#[serde(rename = \"merchant_reference\")]",
            ),
            ("ip", "std::net::Ipv4Addr", "", ""),
            ("product_name", "String", "", ""),
            ("wallet_id", "Option<String>", PROVIDES, ""),
            ("internal_note", "Option<String>", SKIP.0, SKIP.1),
            ("customer_id", "u64", SKIP.0, SKIP.1),
            ("basket", "Vec<String>", SKIP.0, SKIP.1),
            ("created_by", "String", SKIP.0, SKIP.1),
        ],
    },
    Shape {
        endpoint: "miniapppay",
        fields: &[
            ("amount", "String", "", ""),
            ("notify_url", "String", "", ""),
            ("merchant_reference", "String", "", ""),
            ("product_name", "String", "", ""),
            ("app_id", "String", "", ""),
            ("open_id", "String", "", ""),
            ("wallet_id", "Option<String>", PROVIDES, ""),
            ("internal_note", "Option<String>", SKIP.0, SKIP.1),
            ("customer_id", "u64", SKIP.0, SKIP.1),
            ("created_by", "String", SKIP.0, SKIP.1),
        ],
    },
];

/// The merchant's crate with its HTTP stack alone: one request, its JSON read.
const FIRST_HTTP: &str = r#"//! A merchant's crate with only its HTTP stack, for the first-build row.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("BASE_URL")?;
    let answer: serde_json::Value = serde_json::from_slice(
        &reqwest::Client::new()
            .get(format!("{base}/v2/transaction/1"))
            .send()
            .await?
            .bytes()
            .await?,
    )?;
    println!("{answer}");
    Ok(())
}
"#;

/// How many structs.
pub const STRUCTS: usize = 100;

#[derive(Clone, Copy, PartialEq)]
enum Flavour {
    Latipay,
    /// The same, with `#[latipay(builder)]`: what the typed builder costs on top.
    LatipayBuilder,
    Serde,
    Plain,
    /// The same structs with bon's builder (`on(String, into)`: setters take `impl Into`, as
    /// ours do): a reference for the builder rows, not a target.
    Bon,
    /// The same with typed-builder's (`setter(into)`, `strip_option` for `Option` fields).
    TypedBuilder,
}

fn source(flavour: Flavour) -> String {
    let mut s = String::from(
        "//! Generated by `latipay-bench gen-compile`: 100 structs for the compile-time benchmark.\n\
         #![allow(dead_code, missing_docs)]\n\n",
    );
    if matches!(flavour, Flavour::Latipay | Flavour::LatipayBuilder) {
        s.push_str("use latipay_runtime::LatipaySigned;\n\n");
    }
    for i in 0..STRUCTS {
        let shape = &SHAPES[i % SHAPES.len()];
        match flavour {
            Flavour::Latipay => {
                let _ = writeln!(
                    s,
                    "#[derive(LatipaySigned)]\n#[latipay(endpoint = \"{}\")]",
                    shape.endpoint
                );
            }
            Flavour::LatipayBuilder => {
                let _ = writeln!(
                    s,
                    "#[derive(LatipaySigned)]\n#[latipay(endpoint = \"{}\", builder)]",
                    shape.endpoint
                );
            }
            Flavour::Serde => s.push_str("#[derive(serde::Serialize)]\n"),
            Flavour::Plain => {}
            Flavour::Bon => s.push_str("#[derive(bon::Builder)]\n#[builder(on(String, into))]\n"),
            Flavour::TypedBuilder => s.push_str(
                "#[derive(typed_builder::TypedBuilder)]\n#[builder(field_defaults(setter(into)))]\n",
            ),
        }
        let _ = writeln!(s, "pub struct Order{i:03} {{");
        for (name, ty, latipay, serde) in shape.fields {
            let skipped = *latipay == SKIP.0;
            let attr = match flavour {
                Flavour::Latipay | Flavour::LatipayBuilder => *latipay,
                Flavour::Serde => *serde,
                Flavour::Plain => "",
                // Unset, a skipped field is its type's default, as in our builder.
                Flavour::Bon if skipped && !ty.starts_with("Option<") => "#[builder(default)]",
                Flavour::Bon => "",
                Flavour::TypedBuilder if skipped => "#[builder(default)]",
                Flavour::TypedBuilder if ty.starts_with("Option<") => {
                    "#[builder(default, setter(strip_option))]"
                }
                Flavour::TypedBuilder => "",
            };
            if !attr.is_empty() {
                let _ = writeln!(s, "    {attr}");
            }
            let _ = writeln!(s, "    pub {name}: {ty},");
        }
        s.push_str("}\n\n");
    }
    s
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the directory");
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Writes the workspace into `dir`: `gen_latipay`, `gen_latipay_builder`, `gen_serde` and
/// `gen_plain`. With `vendor`, our crates are registry dependencies and every crate comes from
/// that directory (crates.io replaced by it); without, they are path dependencies on this
/// repository.
pub fn generate(dir: &Path, vendor: Option<&Path>) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ is in the repository");
    let runtime = repo.join("latipay-runtime");
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"gen_latipay\", \"gen_latipay_builder\", \"gen_serde\", \"gen_plain\", \
         \"gen_bon\", \"gen_typed_builder\", \"first_latipay\", \"first_http\"]\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n",
    );
    let package = |name: &str, deps: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{deps}\n"
        )
    };
    let (runtime_dep, first_dep) = match vendor {
        Some(vendor) => {
            write(
                &dir.join(".cargo/config.toml"),
                &format!(
                    "[source.crates-io]\nreplace-with = \"vendored\"\n\n\
                     [source.vendored]\ndirectory = {:?}\n",
                    vendor.display().to_string()
                ),
            );
            let version = env!("CARGO_PKG_VERSION");
            (
                format!(
                    "latipay-runtime = {{ version = \"={version}\", default-features = false, features = [\"derive\"] }}"
                ),
                format!("latipay-runtime = \"={version}\""),
            )
        }
        None => {
            let path = runtime.display().to_string();
            (
                format!(
                    "latipay-runtime = {{ path = {path:?}, default-features = false, features = [\"derive\"] }}"
                ),
                format!("latipay-runtime = {{ path = {path:?} }}"),
            )
        }
    };
    for name in ["gen_latipay", "gen_latipay_builder"] {
        write(
            &dir.join(name).join("Cargo.toml"),
            &package(name, &runtime_dep),
        );
    }
    write(
        &dir.join("gen_serde/Cargo.toml"),
        &package(
            "gen_serde",
            "serde = { version = \"1\", features = [\"derive\"] }",
        ),
    );
    write(&dir.join("gen_plain/Cargo.toml"), &package("gen_plain", ""));
    write(
        &dir.join("gen_bon/Cargo.toml"),
        &package("gen_bon", "bon = \"3\""),
    );
    write(
        &dir.join("gen_typed_builder/Cargo.toml"),
        &package("gen_typed_builder", "typed-builder = \"0.23\""),
    );
    write(&dir.join("gen_bon/src/lib.rs"), &source(Flavour::Bon));
    write(
        &dir.join("gen_typed_builder/src/lib.rs"),
        &source(Flavour::TypedBuilder),
    );
    write(
        &dir.join("gen_latipay/src/lib.rs"),
        &source(Flavour::Latipay),
    );
    write(
        &dir.join("gen_latipay_builder/src/lib.rs"),
        &source(Flavour::LatipayBuilder),
    );
    write(&dir.join("gen_serde/src/lib.rs"), &source(Flavour::Serde));
    write(&dir.join("gen_plain/src/lib.rs"), &source(Flavour::Plain));
    let stack = "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\
                 serde_json = \"1\"\n";
    write(
        &dir.join("first_latipay/Cargo.toml"),
        &package("first_latipay", &format!("{first_dep}\n{stack}")),
    );
    write(
        &dir.join("first_latipay/src/main.rs"),
        include_str!("../../examples/getting_started.rs"),
    );
    write(
        &dir.join("first_http/Cargo.toml"),
        &package(
            "first_http",
            &format!(
                "reqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls\"] }}\n{stack}"
            ),
        ),
    );
    write(&dir.join("first_http/src/main.rs"), FIRST_HTTP);
    let lock = repo.join("Cargo.lock");
    // From the vendored directory, the versions are the ones vendored from this lock.
    if vendor.is_none() && lock.exists() {
        // The same dependency versions as the workspace; cargo drops what is not used.
        std::fs::copy(&lock, dir.join("Cargo.lock")).expect("copy Cargo.lock");
    }
}
