//! The generated file is what the generator makes of the spec today, and the documented answers
//! (the fixtures in `tests/fixtures/responses/`) read and verify through the generated types.

use super::*;
use crate::{Credentials, Error};

/// The text of `models.rs` as generated from the built-in spec.
fn generated() -> String {
    let spec = latipay_spec::builtin();
    // The answers and what they nest; the inbound messages have hand-written types for now.
    let inbound: Vec<&str> = spec.inbound.values().map(|i| i.model.as_str()).collect();
    let names: Vec<&str> = spec
        .models
        .keys()
        .map(String::as_str)
        .filter(|name| !inbound.contains(name))
        .collect();
    let type_name = |name: &str| latipay_spec::codegen::pascal(name);
    let tokens = latipay_spec::codegen::models(
        spec,
        &names,
        &latipay_spec::codegen::Names {
            krate: quote::quote!(crate),
            type_name: &type_name,
            vis: quote::quote!(pub),
        },
    );
    let file = syn::parse2::<syn::File>(tokens).expect("the generator writes valid Rust");
    format!(
        "//! The answer types of the built-in spec's models: GENERATED from `spec/latipay.yaml` by\n\
         //! `latipay_spec::codegen`; do not edit. Regenerate with\n\
         //! `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models`.\n\n{}",
        prettyplease::unparse(&file)
    )
}

#[test]
fn generated_models_match_the_spec() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/response/models.rs");
    let expected = generated();
    if std::env::var_os("LATIPAY_REGENERATE").is_some() {
        std::fs::write(path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap();
    assert!(
        actual == expected,
        "src/response/models.rs is not what the spec generates; run \
         `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models` and review the diff"
    );
}
