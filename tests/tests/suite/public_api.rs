//! The public API of each published library, pinned in `api/CRATE.txt` so that every change to
//! the surface is a visible decision in review.
//!
//! rustdoc writes each crate's documentation as JSON (`--output-format json`, unstable, so with
//! `RUSTC_BOOTSTRAP=1`: the same stable toolchain, nothing to install); this reads it with
//! serde_json and lists one line per public item, `path kind`, and one per trait implementation,
//! `type impl trait`, sorted. Items hidden from the docs (`__private`, `#[doc(hidden)]`) are not
//! listed: rustdoc leaves them out. The test fails when the list differs from the file, or when
//! an item is public at more than one path. After an intended change:
//!
//! ```text
//! LATIPAY_REGENERATE=1 cargo test -p latipay-tests --test suite public_api
//! ```
//!
//! and review the diff of `api/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The published libraries (`latipay-cli` is a binary only), with the features that add to
/// their API.
const CRATES: [(&str, &str); 4] = [
    ("latipay-spec", "latipay-spec/codegen"),
    ("latipay-derive", ""),
    ("latipay-runtime", "latipay-runtime/blocking"),
    ("latipay-sandbox", ""),
];

/// Items public at two paths that are still imported through both (the sandbox's and the CLI's
/// code names the module paths): each should be reachable at the crate root only, its first path
/// here. Listed so the debt is visible; an item not listed here at two paths fails the test.
const KNOWN_SECOND_PATHS: [&str; 0] = [];

#[test]
fn public_api_matches_the_api_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let doc_dir = rustdoc_json(&root);
    let regenerate = std::env::var_os("LATIPAY_REGENERATE").is_some();
    let mut failures = Vec::new();
    for (name, _) in CRATES {
        let json = doc_dir.join(format!("{}.json", name.replace('-', "_")));
        let text =
            std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
        let doc: Value = serde_json::from_str(&text).expect("rustdoc's JSON");
        let api = Api::read(&doc);
        for mut paths in api.duplicates() {
            paths.sort_by_key(|p| (p.matches("::").count(), p.clone()));
            if !KNOWN_SECOND_PATHS.contains(&paths.join(" = ").as_str()) {
                failures.push(format!(
                    "{name}: an item is public at {} paths: {}",
                    paths.len(),
                    paths.join(", ")
                ));
            }
        }
        let listed: String = api.lines().iter().map(|l| format!("{l}\n")).collect();
        let file = root.join("api").join(format!("{name}.txt"));
        if regenerate {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &listed).unwrap();
            continue;
        }
        let pinned = std::fs::read_to_string(&file).unwrap_or_default();
        if pinned != listed {
            failures.push(format!(
                "{name}: the public API differs from api/{name}.txt:\n{}",
                diff(&pinned, &listed)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended, run\n  LATIPAY_REGENERATE=1 cargo test -p latipay-tests \
         --test suite public_api\nand review the diff of api/.",
        failures.join("\n\n")
    );
}

/// Runs rustdoc's JSON output over the crates and returns the directory of the `.json` files.
///
/// In a target directory of its own, `rustdoc-json` inside the workspace's: `RUSTC_BOOTSTRAP`
/// is part of what some build scripts depend on (proc-macro2's, and so every derive's), so
/// sharing the workspace's would rebuild those crates on every switch between this run and a
/// plain build. The first run type-checks the dependencies there (about 1.5 minutes on two
/// cores); after that only the four crates are documented (a few seconds).
fn rustdoc_json(root: &Path) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let metadata = Command::new(&cargo)
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .expect("cargo runs");
    assert!(metadata.status.success(), "cargo metadata failed");
    let metadata: Value = serde_json::from_slice(&metadata.stdout).expect("cargo's JSON");
    let target = Path::new(
        metadata["target_directory"]
            .as_str()
            .expect("cargo metadata names the target directory"),
    )
    .join("rustdoc-json");
    let features: Vec<&str> = CRATES
        .iter()
        .map(|(_, f)| *f)
        .filter(|f| !f.is_empty())
        .collect();
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["doc", "--no-deps", "--lib", "--quiet"])
        .args(CRATES.iter().flat_map(|(name, _)| ["-p", name]))
        .args(["--features", &features.join(",")])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json");
    let status = command.status().expect("cargo runs");
    assert!(status.success(), "rustdoc failed: {command:?}");
    target.join("doc")
}

/// The public items of one crate, read from rustdoc's JSON.
struct Api<'d> {
    doc: &'d Value,
    /// Each public item and the paths it is reachable at.
    items: BTreeMap<String, Vec<String>>,
    lines: BTreeSet<String>,
}

impl<'d> Api<'d> {
    fn read(doc: &'d Value) -> Api<'d> {
        let mut api = Api {
            doc,
            items: BTreeMap::new(),
            lines: BTreeSet::new(),
        };
        let root = id_of(&doc["root"]);
        let name = api.item(&root)["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        // Paths first: implementations name types by their public path.
        api.walk(&root, &name, &mut Vec::new());
        let items: Vec<(String, Vec<String>)> = api
            .items
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (id, paths) in items {
            for path in paths {
                api.members(&id, &path);
            }
        }
        api
    }

    fn item(&self, id: &str) -> &'d Value {
        &self.doc["index"][id]
    }

    /// The items reachable from module `id` at `path`, through public modules and re-exports.
    fn walk(&mut self, id: &str, path: &str, modules: &mut Vec<String>) {
        let item = self.item(id);
        if item.is_null() {
            // An item of another crate, re-exported: named by its crate only, since where it is
            // defined inside that crate is not this crate's API.
            let summary = &self.doc["paths"][id];
            let origin = summary["path"][0].as_str().unwrap_or("?");
            let kind = kind_name(summary["kind"].as_str().unwrap_or("item"));
            self.lines.insert(format!("{path} {kind} (from {origin})"));
            self.items
                .entry(id.to_owned())
                .or_default()
                .push(path.to_owned());
            return;
        }
        let (kind, inner) = kind_and_inner(item);
        self.lines
            .insert(format!("{path} {}", kind_of(kind, inner)));
        self.items
            .entry(id.to_owned())
            .or_default()
            .push(path.to_owned());
        if kind != "module" || modules.iter().any(|m| m == id) {
            return;
        }
        modules.push(id.to_owned());
        for child in ids(&inner["items"]) {
            let child_item = self.item(&child);
            let (child_kind, child_inner) = kind_and_inner(child_item);
            if child_kind != "use" {
                let name = child_item["name"].as_str().unwrap_or_default();
                self.walk(&child, &format!("{path}::{name}"), modules);
                continue;
            }
            let target = id_of(&child_inner["id"]);
            let name = child_inner["name"].as_str().unwrap_or_default();
            if child_inner["is_glob"].as_bool() == Some(true) {
                // Everything public of the module, at this path.
                for grandchild in ids(&self.item(&target)["inner"]["module"]["items"]) {
                    let name = self.item(&grandchild)["name"].as_str().unwrap_or_default();
                    self.walk(&grandchild, &format!("{path}::{name}"), modules);
                }
            } else if target.is_empty() {
                let source = child_inner["source"].as_str().unwrap_or_default();
                self.lines
                    .insert(format!("{path}::{name} use (of {source})"));
            } else {
                self.walk(&target, &format!("{path}::{name}"), modules);
            }
        }
        modules.pop();
    }

    /// The fields, variants, associated items and trait implementations of the item `id`.
    fn members(&mut self, id: &str, path: &str) {
        let Some((kind, inner)) = Some(self.item(id))
            .filter(|i| !i.is_null())
            .map(kind_and_inner)
        else {
            return;
        };
        let mut children = Vec::new();
        match kind {
            "struct" => {
                let fields = &inner["kind"];
                children.extend(ids(&fields["plain"]["fields"]));
                children.extend(ids(&fields["tuple"]));
            }
            "union" => children.extend(ids(&inner["fields"])),
            "enum" => children.extend(ids(&inner["variants"])),
            "trait" => {
                children.extend(ids(&inner["items"]));
                for implementation in ids(&inner["implementations"]) {
                    let imp = &self.item(&implementation)["inner"]["impl"];
                    // Not for a type hidden from the docs (generated code's plumbing).
                    let for_id = id_of(&imp["for"]["resolved_path"]["id"]);
                    let hidden = self.doc["paths"][&for_id]["crate_id"] == 0
                        && !self.items.contains_key(&for_id);
                    if !imp.is_null() && imp["blanket_impl"].is_null() && !hidden {
                        let for_type = self.ty(&imp["for"]);
                        self.lines
                            .insert(format!("{path} implemented for {for_type}"));
                    }
                }
            }
            _ => return,
        }
        for variant in ids(&inner["variants"]) {
            let item = self.item(&variant);
            let name = item["name"].as_str().unwrap_or("?");
            for field in ids(&item["inner"]["variant"]["kind"]["struct"]["fields"]) {
                let field = self.item(&field)["name"].as_str().unwrap_or("?");
                self.lines.insert(format!("{path}::{name}::{field} field"));
            }
        }
        for child in children {
            let item = self.item(&child);
            if item.is_null() {
                continue; // a private field of a tuple struct
            }
            let (child_kind, child_inner) = kind_and_inner(item);
            let name = item["name"].as_str().unwrap_or("?");
            self.lines.insert(format!(
                "{path}::{name} {}",
                kind_of(child_kind, child_inner)
            ));
        }
        for implementation in ids(&inner["impls"]) {
            let imp = &self.item(&implementation)["inner"]["impl"];
            // Not auto traits, nor blanket implementations, nor one for another type that names
            // this one (`impl From<ThisType> for Other` is listed under `Other`).
            if imp.is_null()
                || imp["is_synthetic"] == true
                || !imp["blanket_impl"].is_null()
                || id_of(&imp["for"]["resolved_path"]["id"]) != id
            {
                continue;
            }
            if imp["trait"].is_null() {
                for child in ids(&imp["items"]) {
                    let item = self.item(&child);
                    let (child_kind, child_inner) = kind_and_inner(item);
                    let name = item["name"].as_str().unwrap_or("?");
                    self.lines.insert(format!(
                        "{path}::{name} {}",
                        kind_of(child_kind, child_inner)
                    ));
                }
            } else {
                let t = self.path_type(&imp["trait"]);
                // The unstable marker that `#[derive(PartialEq)]` adds says nothing more.
                if t != "core::marker::StructuralPartialEq" {
                    self.lines.insert(format!("{path} impl {t}"));
                }
            }
        }
    }

    /// A type as written in an implementation, with each named type at its public path (its
    /// defining path for other crates' types).
    fn ty(&self, ty: &Value) -> String {
        let Some((kind, t)) = ty.as_object().and_then(|o| o.iter().next()) else {
            return ty
                .as_str()
                .map_or("_", |s| if s == "infer" { "_" } else { s })
                .to_owned();
        };
        match kind.as_str() {
            "resolved_path" => self.path_type(t),
            "generic" | "primitive" => t.as_str().unwrap_or("?").to_owned(),
            "borrowed_ref" => {
                let lifetime = t["lifetime"]
                    .as_str()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                let mutable = if t["is_mutable"] == true { "mut " } else { "" };
                format!("&{lifetime}{mutable}{}", self.ty(&t["type"]))
            }
            "raw_pointer" => {
                let mutable = if t["is_mutable"] == true {
                    "mut"
                } else {
                    "const"
                };
                format!("*{mutable} {}", self.ty(&t["type"]))
            }
            "slice" => format!("[{}]", self.ty(t)),
            "array" => format!(
                "[{}; {}]",
                self.ty(&t["type"]),
                t["len"].as_str().unwrap_or("_")
            ),
            "tuple" => {
                let items: Vec<String> = arr(t).iter().map(|t| self.ty(t)).collect();
                match items.len() {
                    1 => format!("({},)", items[0]),
                    _ => format!("({})", items.join(", ")),
                }
            }
            other => format!("<{other}>"),
        }
    }

    /// A path with its generic arguments: `core::convert::From<latipay_runtime::InvalidRequest>`.
    fn path_type(&self, p: &Value) -> String {
        let id = id_of(&p["id"]);
        let name = match self.items.get(&id).and_then(|paths| {
            paths
                .iter()
                .min_by_key(|p| (p.matches("::").count(), p.as_str()))
        }) {
            Some(public) => public.clone(),
            None => match self.doc["paths"][&id]["path"].as_array() {
                Some(segments) => join(segments),
                None => p["path"].as_str().unwrap_or("?").to_owned(),
            },
        };
        let args: Vec<String> = arr(&p["args"]["angle_bracketed"]["args"])
            .iter()
            .map(|a| match (a.get("type"), a.get("lifetime")) {
                (Some(t), _) => self.ty(t),
                (None, Some(l)) => l.as_str().unwrap_or("'_").to_owned(),
                _ => "_".to_owned(),
            })
            .collect();
        if args.is_empty() {
            name
        } else {
            format!("{name}<{}>", args.join(", "))
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.iter().cloned().collect()
    }

    /// The paths of each item public at more than one.
    fn duplicates(&self) -> Vec<Vec<String>> {
        self.items
            .values()
            .filter(|paths| paths.len() > 1)
            .cloned()
            .collect()
    }
}

/// An item's kind and what its kind holds.
fn kind_and_inner(item: &Value) -> (&str, &Value) {
    item["inner"]
        .as_object()
        .and_then(|o| o.iter().next())
        .map_or(("?", &Value::Null), |(k, v)| (k.as_str(), v))
}

/// The word listed for a kind of item.
fn kind_of(kind: &str, inner: &Value) -> String {
    match kind {
        "proc_macro" => match inner["kind"].as_str() {
            Some("derive") => "derive macro".to_owned(),
            Some("attr") => "attribute macro".to_owned(),
            _ => "macro".to_owned(),
        },
        other => kind_name(other).to_owned(),
    }
}

fn kind_name(kind: &str) -> &str {
    match kind {
        "module" => "mod",
        "function" => "fn",
        "constant" | "assoc_const" => "const",
        "type_alias" | "assoc_type" => "type",
        "struct_field" => "field",
        "proc_derive" => "derive macro",
        "proc_attribute" => "attribute macro",
        other => other,
    }
}

fn id_of(id: &Value) -> String {
    match id {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

fn ids(list: &Value) -> Vec<String> {
    arr(list)
        .iter()
        .map(id_of)
        .filter(|id| !id.is_empty())
        .collect()
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn join(segments: &[Value]) -> String {
    let names: Vec<&str> = segments.iter().filter_map(Value::as_str).collect();
    names.join("::")
}

/// The lines only in `old` (`-`) and only in `new` (`+`).
fn diff(old: &str, new: &str) -> String {
    let (old, new): (BTreeSet<&str>, BTreeSet<&str>) =
        (old.lines().collect(), new.lines().collect());
    let removed = old.difference(&new).map(|l| format!("- {l}"));
    let added = new.difference(&old).map(|l| format!("+ {l}"));
    removed.chain(added).collect::<Vec<_>>().join("\n")
}
