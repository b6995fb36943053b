//! Finding the spec a struct is checked against: the built-in one, and the merchant's own file
//! when `spec = "..."` names one (its endpoints come first). Parsed once per file per compiler
//! process, and again when the file changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use latipay_spec::{Endpoint, Spec};

/// The specs a struct's endpoint is looked up in.
pub struct Specs {
    /// The merchant's file (as written, and its absolute path) and what it holds.
    pub merchant: Option<(Arc<Spec>, PathBuf)>,
    pub builtin: &'static Spec,
}

impl Specs {
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.merchant
            .as_ref()
            .and_then(|(s, _)| s.endpoint(name))
            .or_else(|| self.builtin.endpoint(name))
    }

    pub fn endpoint_names(&self) -> impl Iterator<Item = &str> {
        self.merchant
            .iter()
            .flat_map(|(s, _)| s.endpoints.keys())
            .chain(self.builtin.endpoints.keys())
            .map(String::as_str)
    }
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
    latipay_spec::parse_merchant(&text, written).map_err(|e| format!("invalid spec file:\n{e}"))
}

/// The OS's reason without the error number, which differs between systems.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
