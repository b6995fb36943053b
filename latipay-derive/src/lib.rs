//! `#[derive(LatipaySigned)]` and `#[derive(LatipayEnum)]`, re-exported by `latipay_runtime`; see
//! its documentation.
//!
//! The derive reads the struct and its attributes into a model (`ast`, `attr`), checks it against
//! the endpoint's spec (`check`), collecting every error with the span of the merchant's own
//! tokens (`ctxt`), and only from a valid model generates code (`expand`, `builder`). An enum for
//! an `enum` field is checked against the field's values by its own derive (`enums`). These are
//! plain functions on `proc_macro2` tokens, so tests can snapshot the expansion.

mod ast;
mod attr;
mod builder;
mod check;
mod ctxt;
mod enums;
mod expand;
mod fit;
mod spec;

/// Checks the struct against its Latipay endpoint and implements `LatipaySigned`, and with
/// `#[latipay(builder)]` a typed builder.
#[proc_macro_derive(LatipaySigned, attributes(latipay))]
pub fn derive_latipay_signed(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Checks each variant of an enum against the values of a Latipay `enum` field and implements
/// `LatipayEnum`, so that the enum can be that field's type in a `LatipaySigned` struct.
#[proc_macro_derive(LatipayEnum, attributes(latipay))]
pub fn derive_latipay_enum(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    enums::derive(&input).into()
}

#[cfg(test)]
mod tests;
