//! Snapshots of the generated code for the merchant structs of `tests/src/lib.rs`, which the
//! `latipay-tests` crate compiles and signs with: what is pinned here is code that builds and
//! passes the doc vectors.

use quote::ToTokens;

const CASES: &str = include_str!("../../tests/src/lib.rs");

fn expanded(item: &syn::ItemStruct) -> String {
    let input: syn::DeriveInput = syn::parse2(item.to_token_stream()).expect("a struct");
    let tokens = crate::expand::derive(&input).expect("derive");
    let file: syn::File = syn::parse2(tokens).expect("generated code parses");
    let text = prettyplease::unparse(&file);
    // The merchant spec file is included by absolute path; pin it relative to the workspace.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    text.replace(root, "[WORKSPACE]")
}

#[test]
fn expansions() {
    let file = syn::parse_file(CASES).expect("tests/src/lib.rs parses");
    let mut seen = Vec::new();
    for item in file.items {
        let syn::Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        insta::assert_snapshot!(name.clone(), expanded(&s));
        seen.push(name);
    }
    assert_eq!(
        seen,
        [
            "MiniOrder",
            "HostedOrder",
            "PaymentQuery",
            "Refund",
            "BarcodeOrder",
            "InvoiceOrder",
            "GiftCardRedeem",
            "VoucherCheck",
        ]
    );
}

#[test]
fn expansion_is_deterministic() {
    let file = syn::parse_file(CASES).expect("tests/src/lib.rs parses");
    for item in file.items {
        let syn::Item::Struct(s) = item else { continue };
        assert_eq!(expanded(&s), expanded(&s));
    }
}
