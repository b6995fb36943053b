//! Finding the spec a struct is checked against: the built-in one, or, when `spec = "..."` names
//! a merchant's file, the built-in one with the file's endpoints added by
//! `latipay_spec::with_builtin` (as `latipay --spec` and the sandbox add them: one with a
//! built-in's name only when it says `replaces: true`). Parsed once per file per compiler process,
//! and again when the file changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use latipay_spec::{Endpoint, Spec, did_you_mean};
use syn::LitStr;

use crate::ctxt::Ctxt;

/// The specs a struct's endpoint is looked up in.
pub struct Specs {
    /// The built-in spec with the merchant's file added, and the file's absolute path.
    pub merchant: Option<(Arc<Spec>, PathBuf)>,
    pub builtin: &'static Spec,
}

impl Specs {
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.spec().endpoint(name)
    }

    /// The spec endpoints are looked up in: the built-in one, or it with the merchant's file.
    pub fn spec(&self) -> &Spec {
        self.merchant.as_ref().map_or(self.builtin, |(s, _)| s)
    }

    /// The built-in spec, and the merchant's file when `spec = "..."` names one; a file that
    /// cannot be used is reported on its literal.
    pub fn load(cx: &Ctxt, spec: Option<&LitStr>) -> Option<Specs> {
        let merchant = match spec {
            None => None,
            Some(lit) => match load_merchant(&lit.value()) {
                Ok(loaded) => Some(loaded),
                Err(message) => {
                    cx.error_spanned_by(lit, message);
                    return None;
                }
            },
        };
        Some(Specs {
            merchant,
            builtin: latipay_spec::builtin(),
        })
    }

    /// The endpoint `endpoint = "..."` names, or an error on the literal that suggests a name.
    pub fn find_endpoint(&self, cx: &Ctxt, lit: &LitStr) -> Option<&Endpoint> {
        let name = lit.value();
        let found = self.endpoint(&name);
        if found.is_none() {
            let hint = match did_you_mean(&name, self.endpoint_names()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => {
                    let names: Vec<&str> = self.endpoint_names().collect();
                    format!("known endpoints: {}", names.join(", "))
                }
            };
            cx.error_spanned_by(lit, format!("unknown Latipay endpoint `{name}`; {hint}"));
        }
        found
    }

    pub fn endpoint_names(&self) -> impl Iterator<Item = &str> {
        self.spec().endpoints.keys().map(String::as_str)
    }
}

/// An item that includes the merchant's spec file, so that editing the file rebuilds the code
/// generated from it.
pub fn rebuild_on_change(path: &Path) -> proc_macro2::TokenStream {
    let path = path.display().to_string();
    quote::quote!(
        const _: &[u8] = ::core::include_bytes!(#path);
    )
}

type Cache = HashMap<PathBuf, (Option<SystemTime>, Result<Arc<Spec>, String>)>;

/// Loads the merchant's spec file `written` (relative to the crate being compiled), or explains
/// why it cannot be used: the text names the file as written, with line and column.
pub fn load_merchant(written: &str) -> Result<(Arc<Spec>, PathBuf), String> {
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = base.join(written);
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    static CACHE: Mutex<Option<Cache>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    let parsed = match cache.get(&path) {
        Some((m, parsed)) if *m == modified && modified.is_some() => parsed.clone(),
        _ => {
            let parsed = read(&path, written).map(Arc::new);
            cache.insert(path.clone(), (modified, parsed.clone()));
            parsed
        }
    };
    parsed.map(|spec| (spec, path))
}

fn read(path: &Path, written: &str) -> Result<Spec, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the spec file `{written}`: {}", io_reason(&e)))?;
    latipay_spec::parse_merchant(&text, written)
        .and_then(|merchant| latipay_spec::with_builtin(&merchant))
        .map_err(|e| format!("invalid spec file:\n{e}"))
}

/// The OS's reason without the error number, which differs between systems.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
