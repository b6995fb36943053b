//! The Latipay API as data.
//!
//! `latipay.yaml` beside this crate describes every Latipay endpoint: method, path, fields (where
//! each goes, its type, where its value comes from, whether it is signed) and its signing rule, and
//! the models of what Latipay sends back (answers and inbound messages, with their signature rules;
//! see `spec/README.md`). This crate parses and validates such a file into [`Spec`] (feature
//! `yaml`, what `#[derive(LatipaySigned)]` uses at compile time) and signs requests from it at run
//! time (feature `sign`, what the runtime, the CLI and the sandbox use).
//!
//! ```
//! # #[cfg(all(feature = "yaml", feature = "sign"))] {
//! use latipay_spec::{ApiKey, SigningKey};
//!
//! let spec = latipay_spec::builtin();
//! let key = SigningKey::new(ApiKey::new("111222333"));
//! let pairs = [("merchant_reference".to_owned(), "6000324".to_owned())];
//! let signed = spec.endpoint("query").unwrap()
//!     .sign_dynamic(&key, "U000000013", "", &pairs)
//!     .unwrap();
//! assert_eq!(signed.message, "merchant_reference=6000324&user_id=U000000013***");
//! assert_eq!(signed.signature.map(|s| s.to_hex()).as_deref(),
//!     Some("58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4"));
//! # }
//! ```

mod amount;
#[rustfmt::skip] // written by its generator, `codegen::spec_literal`
mod builtin;
mod error;
mod merge;
mod model;
pub mod value;

#[cfg(feature = "yaml")]
mod parse;
#[cfg(feature = "yaml")]
mod validate;

#[cfg(feature = "codegen")]
pub mod codegen;
#[cfg(feature = "sign")]
mod dynamic;
#[cfg(feature = "sign")]
mod form;
#[cfg(feature = "sign")]
mod hmac256;
#[cfg(feature = "sign")]
pub mod inbound;
#[cfg(feature = "sign")]
mod json;
#[cfg(feature = "sign")]
mod request;
#[cfg(feature = "sign")]
pub mod shape;
#[cfg(feature = "sign")]
mod sign;

#[cfg(feature = "sign")]
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use amount::{Amount, AmountError, MAX_AMOUNT_LEN};
pub use error::{SpecError, SpecErrors, did_you_mean};
pub use merge::with_builtin;
pub use model::*;

#[cfg(feature = "sign")]
pub use dynamic::{DynamicError, SignedRequest, json_kind};
#[cfg(feature = "sign")]
pub use request::{HttpRequest, JsonKind, RequestWriter};
#[cfg(feature = "sign")]
pub use sign::{ApiKey, MASK, MaskedMessage, RuleKind, Signature, Signer, SigningKey};

/// The text of the built-in spec, `latipay.yaml`.
pub const BUILTIN_YAML: &str = include_str!("../latipay.yaml");

/// Parses and validates a whole spec on its own (the built-in one); `origin` names it in
/// messages.
#[cfg(feature = "yaml")]
pub fn parse(text: &str, origin: &str) -> Result<Spec, SpecErrors> {
    read(text, origin, None)
}

/// Parses and validates a merchant's spec file, whose endpoints may answer with the built-in
/// models (`status`, `query`, ...); those it uses are copied into the result, so that it is
/// complete on its own. `origin` names the file in messages.
#[cfg(feature = "yaml")]
pub fn parse_merchant(text: &str, origin: &str) -> Result<Spec, SpecErrors> {
    read(text, origin, Some(builtin()))
}

/// Reads and validates, reporting the reading's problems (unknown and duplicate keys) together
/// with the validation's, sorted by position: a file's mistakes in one round.
#[cfg(feature = "yaml")]
fn read(text: &str, origin: &str, base: Option<&Spec>) -> Result<Spec, SpecErrors> {
    let (raw, mut problems) = parse::parse(text, origin).map_err(|mut stop| {
        stop.sort_by_key(|e| (e.position.line, e.position.column));
        SpecErrors(stop)
    })?;
    let validated = validate::validate(raw, origin, base);
    if problems.is_empty() {
        return validated;
    }
    if let Err(SpecErrors(more)) = validated {
        problems.extend(more);
    }
    problems.sort_by_key(|e| (e.position.line, e.position.column));
    Err(SpecErrors(problems))
}

/// Reads, parses and validates a merchant's spec file (see [`parse_merchant`]).
#[cfg(feature = "yaml")]
pub fn from_file(path: &std::path::Path) -> Result<Spec, SpecErrors> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        SpecErrors(vec![SpecError {
            origin: origin.clone(),
            position: Position::default(),
            message: format!("cannot read the spec file: {e}"),
        }])
    })?;
    parse_merchant(&text, &origin)
}

/// The built-in spec. It is `latipay.yaml`, compiled in as Rust (`builtin.rs`, generated from
/// the YAML and compared with it by a test of the runtime), so that a program that only signs and
/// verifies carries no YAML parser; built once per process.
pub fn builtin() -> &'static Spec {
    use std::sync::OnceLock;
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(builtin::spec)
}

#[cfg(all(test, feature = "yaml"))]
mod tests;
