//! `latipay spec check`: validates a spec file with the same parser the derive and the sandbox use.

use std::path::Path;

use crate::{Failure, count};

/// Prints `ok: N endpoints` (`ok: 1 endpoint`), or fails (exit 1) with every error as file:line:column.
pub(crate) fn run(file: Option<&Path>) -> Result<u8, Failure> {
    let spec = match file {
        None => latipay_spec::parse(latipay_spec::BUILTIN_YAML, "<builtin>"),
        Some(p) => latipay_spec::from_file(p),
    }
    .map_err(|e| Failure::failed(e.to_string()))?;
    println!("ok: {}", count(spec.endpoints.len(), "endpoint"));
    Ok(0)
}
