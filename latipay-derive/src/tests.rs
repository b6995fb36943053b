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
            "TypedOrder",
            "InvoiceLookup",
        ]
    );
}

/// The enums of the same file, through `#[derive(LatipayEnum)]`.
#[test]
fn enum_expansions() {
    let file = syn::parse_file(CASES).expect("tests/src/lib.rs parses");
    let mut seen = Vec::new();
    for item in file.items {
        let syn::Item::Enum(e) = item else { continue };
        let input: syn::DeriveInput = syn::parse2(e.to_token_stream()).expect("an enum");
        let file: syn::File =
            syn::parse2(crate::enums::derive(&input)).expect("generated code parses");
        let name = e.ident.to_string();
        insta::assert_snapshot!(name.clone(), prettyplease::unparse(&file));
        seen.push(name);
    }
    assert_eq!(seen, ["PaymentMethod"]);
}

/// What is signed and sent follows the wire names, never the order the merchant wrote the
/// fields in: a struct with its fields reversed expands to the same code (the builder, whose
/// type parameters follow the fields, aside).
#[test]
fn expansion_does_not_depend_on_the_order_of_fields() {
    let file = syn::parse_file(CASES).expect("tests/src/lib.rs parses");
    let mut compared = 0;
    for item in file.items {
        let syn::Item::Struct(mut s) = item else {
            continue;
        };
        // Without `builder`: its type parameters follow the fields.
        let attrs: String = s
            .attrs
            .iter()
            .map(|a| a.to_token_stream().to_string().replace(", builder", ""))
            .collect();
        s.attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &attrs)
            .expect("the attributes parse again");
        let before = expanded(&s);
        let syn::Fields::Named(named) = &mut s.fields else {
            continue;
        };
        named.named = named.named.iter().rev().cloned().collect();
        assert_eq!(expanded(&s), before, "{}", s.ident);
        compared += 1;
    }
    assert_eq!(compared, 10, "every struct of the cases is compared");
}
