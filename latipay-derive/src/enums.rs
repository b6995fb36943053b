//! `#[derive(LatipayEnum)]`: a merchant's enum of unit variants for a request's `enum` field,
//! each variant checked against the field's values in the spec, and the struct derive's check
//! that an `enum` field's Rust type sends only values the field takes.
//!
//! The enum names the field it holds the values of (`endpoint = "...", field = "..."`), because a
//! derive sees only its own item: the struct derive cannot see the enum's variants, and the enum
//! derive cannot see the structs that use it. So the enum derive checks each variant against the
//! field, reporting on the variant, and records its values in the runtime's marker trait
//! (`types::EnumField`); the struct derive then asserts, when compiling, that the field a struct
//! uses the enum for takes every one of those values. A variant's value is the spec value that
//! the runtime's generated enums name alike (`latipay_spec::codegen::pascal`), or its `rename`.

use latipay_spec::codegen::{pascal, sent_enum_impls};
use latipay_spec::{Endpoint, FieldType, Source, did_you_mean};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::LitStr;
use syn::spanned::Spanned;

use crate::attr::{Once, crate_path, path_text, skip_value};
use crate::ctxt::Ctxt;
use crate::spec::Specs;

/// `#[latipay(endpoint = "...", field = "...", spec = "...", crate = "...")]` on the enum.
struct Container {
    endpoint: Option<LitStr>,
    field: Option<LitStr>,
    spec: Option<LitStr>,
    krate: syn::Path,
}

impl Container {
    fn from_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Container {
        let mut endpoint = Once::new("endpoint");
        let mut field = Once::new("field");
        let mut spec = Once::new("spec");
        let mut krate = Once::new("crate");
        for attr in attrs.iter().filter(|a| a.path().is_ident("latipay")) {
            let parsed = attr.parse_nested_meta(|meta| {
                let text = |once: &mut Once<LitStr>| -> syn::Result<()> {
                    let lit: LitStr = meta.value()?.parse()?;
                    once.set(cx, &meta, lit);
                    Ok(())
                };
                if meta.path.is_ident("endpoint") {
                    text(&mut endpoint)?;
                } else if meta.path.is_ident("field") {
                    text(&mut field)?;
                } else if meta.path.is_ident("spec") {
                    text(&mut spec)?;
                } else if meta.path.is_ident("crate") {
                    crate_path(cx, &meta, &mut krate)?;
                } else if meta.path.is_ident("rename") {
                    cx.error_spanned_by(
                        &meta.path,
                        "`rename` goes on a variant, giving the value it is sent as",
                    );
                    skip_value(&meta)?;
                } else {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown latipay attribute `{}`; on a LatipayEnum: `endpoint`, `field`, `spec`, `crate`",
                            path_text(&meta.path)
                        ),
                    );
                    skip_value(&meta)?;
                }
                Ok(())
            });
            if let Err(e) = parsed {
                cx.syn_error(e);
            }
        }
        Container {
            endpoint: endpoint.value,
            field: field.value,
            spec: spec.value,
            krate: krate
                .value
                .unwrap_or_else(|| syn::parse_quote!(::latipay_runtime)),
        }
    }
}

/// A unit variant and the value it is sent as.
struct Variant<'a> {
    ident: &'a syn::Ident,
    /// `#[latipay(rename = "...")]`: the value, as written.
    rename: Option<LitStr>,
}

impl Variant<'_> {
    /// Where to report a problem with its value: the `rename` literal, or the variant's name.
    fn value_span(&self) -> Span {
        self.rename
            .as_ref()
            .map_or_else(|| self.ident.span(), LitStr::span)
    }
}

fn variant_rename(cx: &Ctxt, attrs: &[syn::Attribute]) -> Option<LitStr> {
    let mut rename = Once::new("rename");
    for attr in attrs.iter().filter(|a| a.path().is_ident("latipay")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: LitStr = meta.value()?.parse()?;
                if lit.value().is_empty() {
                    cx.error_spanned_by(&lit, "`rename` needs the value the variant is sent as");
                }
                rename.set(cx, &meta, lit);
            } else if ["endpoint", "field", "spec", "crate"]
                .iter()
                .any(|k| meta.path.is_ident(k))
            {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "`{}` goes on the enum, not on a variant",
                        path_text(&meta.path)
                    ),
                );
                skip_value(&meta)?;
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown latipay attribute `{}`; on a variant: `rename`",
                        path_text(&meta.path)
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    rename.value
}

/// The enum's unit variants; every other shape of input is reported.
fn variants<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> Vec<Variant<'a>> {
    let data = match &input.data {
        syn::Data::Enum(data) => data,
        syn::Data::Struct(s) => {
            cx.error_at(
                s.struct_token.span,
                "LatipayEnum is derived on an enum of unit variants, one per value of a Latipay `enum` field, not on a struct",
            );
            return Vec::new();
        }
        syn::Data::Union(u) => {
            cx.error_at(
                u.union_token.span,
                "LatipayEnum is derived on an enum of unit variants, one per value of a Latipay `enum` field, not on a union",
            );
            return Vec::new();
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "LatipayEnum takes no generic parameters: each variant is a fixed value",
        );
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "LatipayEnum needs a variant for each value of the field that it sends; this enum has none",
        );
    }
    data.variants
        .iter()
        .filter_map(|v| {
            let rename = variant_rename(cx, &v.attrs);
            if !matches!(v.fields, syn::Fields::Unit) {
                cx.error_spanned_by(
                    &v.fields,
                    format!(
                        "variant `{}` carries data, but a LatipayEnum's variants are unit variants, \
                         each one of the values the spec lists (no other value can be sent)",
                        v.ident
                    ),
                );
                return None;
            }
            Some(Variant {
                ident: &v.ident,
                rename,
            })
        })
        .collect()
}

/// The whole derive: the enum's values, checked against the field, and their impls; or every
/// error, with impls that keep the enum's uses quiet.
pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let attrs = Container::from_attrs(&cx, &input.attrs);
    let variants = variants(&cx, input);
    let mut checked = None;
    if let Some((endpoint_lit, field_lit)) = named_field(&cx, input, &attrs)
        && let Some(specs) = Specs::load(&cx, attrs.spec.as_ref())
        && let Some(endpoint) = specs.find_endpoint(&cx, endpoint_lit)
        && let Some(values) = enum_field(&cx, endpoint, field_lit)
    {
        let field = field_lit.value();
        checked = check_variants(&cx, &variants, &field, &endpoint.name, values)
            .map(|sent| (sent, specs.merchant.as_ref().map(|(_, path)| path.clone())));
    }
    match (cx.check(), checked) {
        (Ok(()), Some((sent, spec_file))) => {
            let idents: Vec<syn::Ident> = variants.iter().map(|v| v.ident.clone()).collect();
            let krate = attrs.krate.to_token_stream();
            let impls = sent_enum_impls(&krate, &input.ident, &idents, &sent);
            let rebuild = spec_file.map(|p| crate::spec::rebuild_on_change(&p));
            quote! {
                #[doc(hidden)]
                const _: () = {
                    #rebuild
                    #impls
                };
            }
        }
        (Err(errors), _) => {
            let mut out = errors.to_compile_error();
            out.extend(stub(input, &attrs.krate));
            out
        }
        (Ok(()), None) => unreachable!("the derive stopped without reporting an error"),
    }
}

/// `endpoint = "..."` and `field = "..."`, which name the field whose values the enum holds.
fn named_field<'a>(
    cx: &Ctxt,
    input: &syn::DeriveInput,
    attrs: &'a Container,
) -> Option<(&'a LitStr, &'a LitStr)> {
    let missing = match (&attrs.endpoint, &attrs.field) {
        (Some(endpoint), Some(field)) => return Some((endpoint, field)),
        (None, None) => "`#[latipay(endpoint = \"...\", field = \"...\")]`",
        (None, Some(_)) => "`endpoint = \"...\"`",
        (Some(_), None) => "`field = \"...\"`",
    };
    cx.error_spanned_by(
        &input.ident,
        format!(
            "missing {missing}: a LatipayEnum holds the values of one `enum` field of a Latipay endpoint; name it"
        ),
    );
    None
}

/// The values of `endpoint`'s field `lit`, or why it has none for an enum to hold.
fn enum_field<'e>(cx: &Ctxt, endpoint: &'e Endpoint, lit: &LitStr) -> Option<&'e [String]> {
    let name = lit.value();
    let enum_fields: Vec<&str> = endpoint
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Enum(_)) && f.source == Source::Merchant)
        .map(|f| f.name.as_str())
        .collect();
    let listed = if enum_fields.is_empty() {
        format!("`{}` has no `enum` field a struct carries", endpoint.name)
    } else {
        format!(
            "its `enum` fields are: {}",
            enum_fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let Some(field) = endpoint.field(&name) else {
        let hint = match did_you_mean(&name, endpoint.fields.iter().map(|f| f.name.as_str())) {
            Some(m) => format!("did you mean `{m}`?"),
            None => listed,
        };
        cx.error_spanned_by(
            lit,
            format!(
                "Latipay endpoint `{}` has no field `{name}`; {hint}",
                endpoint.name
            ),
        );
        return None;
    };
    match (&field.ty, &field.source) {
        (_, Source::Const(c)) => {
            cx.error_spanned_by(
                lit,
                format!(
                    "`{name}` is fixed to \"{c}\" by the spec of `{}`: a struct does not carry it, so no enum is needed",
                    endpoint.name
                ),
            );
            None
        }
        (FieldType::Enum(values), _) => Some(values),
        (ty, _) => {
            cx.error_spanned_by(
                lit,
                format!(
                    "`{name}` of Latipay endpoint `{}` is {}, not an `enum`: a LatipayEnum holds the values of an `enum` field; {listed}",
                    endpoint.name,
                    a(ty.name())
                ),
            );
            None
        }
    }
}

/// "an amount", "a string".
fn a(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} `{name}`")
}

/// Each variant's value, checked to be one of `values` and given to one variant only.
fn check_variants(
    cx: &Ctxt,
    variants: &[Variant<'_>],
    field: &str,
    endpoint: &str,
    values: &[String],
) -> Option<Vec<String>> {
    let names: Vec<String> = values.iter().map(|v| pascal(v)).collect();
    let the_field = format!("`{field}` of Latipay endpoint `{endpoint}`");
    // Each variant's value, or `None` when it has none (already reported).
    let mut sent: Vec<Option<String>> = Vec::with_capacity(variants.len());
    for v in variants {
        let value = match &v.rename {
            // Reported where it is read.
            Some(lit) if lit.value().is_empty() => None,
            Some(lit) if !values.contains(&lit.value()) => {
                let value = lit.value();
                let hint = match did_you_mean(&value, values.iter().map(String::as_str)) {
                    Some(m) => format!("; did you mean \"{m}\"?"),
                    None => String::new(),
                };
                let takes: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                cx.error_spanned_by(
                    lit,
                    format!(
                        "\"{value}\" is not a value of {the_field}, which takes {}{hint}",
                        takes.join(", ")
                    ),
                );
                None
            }
            Some(lit) => Some(lit.value()),
            None => {
                let ident = v.ident.to_string();
                let found = names.iter().position(|n| *n == ident);
                if found.is_none() {
                    let hint = match did_you_mean(&ident, names.iter().map(String::as_str)) {
                        Some(m) => {
                            let value = &values[names.iter().position(|n| n == m).unwrap_or(0)];
                            format!(": did you mean `{m}` (or `#[latipay(rename = \"{value}\")]`)?")
                        }
                        None => ".".to_owned(),
                    };
                    let listed: Vec<String> = values
                        .iter()
                        .zip(&names)
                        .map(|(v, n)| format!("\"{v}\" is `{n}`"))
                        .collect();
                    cx.error_spanned_by(
                        v.ident,
                        format!(
                            "variant `{ident}` is not a value of {the_field}{hint} \
                             A variant is named like its value ({}), or given its value with \
                             `#[latipay(rename = \"...\")]`",
                            listed.join(", ")
                        ),
                    );
                }
                found.map(|i| values[i].clone())
            }
        };
        if let Some(value) = &value
            && let Some(first) = sent.iter().position(|s| s.as_ref() == Some(value))
        {
            cx.error_at(
                v.value_span(),
                format!(
                    "variant `{}` is sent as \"{value}\", as `{}` is: a value belongs to one variant",
                    v.ident, variants[first].ident
                ),
            );
        }
        sent.push(value);
    }
    sent.into_iter().collect()
}

/// Impls for an enum whose derive failed: the traits are implemented, with no values, so that
/// its uses as a field type add no errors to the derive's own.
fn stub(input: &syn::DeriveInput, krate: &syn::Path) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::LatipayEnum for #ident #ty_generics #where_clause {
                const VALUES: &'static [&'static str] = &[];

                fn as_str(&self) -> &'static str {
                    ""
                }
            }

            #[automatically_derived]
            impl #impl_generics #krate::types::EnumField for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #impl_generics #krate::__private::WireValue for #ident #ty_generics #where_clause {
                fn wire_text(
                    &self,
                    _: #krate::__private::WireType,
                ) -> ::core::result::Result<::core::option::Option<#krate::__private::Text<'_>>, #krate::ValueError> {
                    ::core::result::Result::Ok(::core::option::Option::None)
                }
            }
        };
    }
}

/// For the struct derive, inside its generated `const _`: the assertion, when compiling, that
/// the Rust type `ty` of the `enum` field `field` of `endpoint` (which takes `values`) sends only
/// values the field takes. Nothing for a std text type, whose value is checked when signing, or
/// for a type naming the struct's type parameters, which a constant cannot name (the value is
/// then checked when signing, as text is).
pub fn field_check(
    ty: &syn::Type,
    generics: &syn::Generics,
    endpoint: &str,
    field: &str,
    values: &[String],
) -> TokenStream {
    if crate::fit::is_known(ty) || names_a_parameter(ty.to_token_stream(), generics) {
        return TokenStream::new();
    }
    let takes: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    let message = format!(
        "`{}` has a value that `{field}` of Latipay endpoint `{endpoint}` does not take (it takes {}): \
         use an enum whose `#[derive(LatipayEnum)]` names this field, \
         `#[latipay(endpoint = \"{endpoint}\", field = \"{field}\")]`",
        crate::builder::type_text(named_type(ty)),
        takes.join(", ")
    );
    let span = named_type(ty).span();
    let ty = static_lifetimes(ty.to_token_stream());
    quote_spanned! {span=>
        const _: () = if !__private::enum_fits(
            <#ty as _latipay::types::EnumField>::__VALUES,
            &[#(#values),*],
        ) {
            ::core::panic!(#message)
        };
    }
}

/// The type a field's type names, without `Option` and references: where to report that it
/// does not fit (`Method` of `Option<&Method>`).
fn named_type(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Reference(r) => named_type(&r.elem),
        syn::Type::Paren(p) => named_type(&p.elem),
        syn::Type::Group(g) => named_type(&g.elem),
        _ => match crate::ast::option_inner(ty) {
            Some(inner) => named_type(inner),
            None => ty,
        },
    }
}

/// Whether the tokens name one of the generic type or const parameters.
fn names_a_parameter(tokens: TokenStream, generics: &syn::Generics) -> bool {
    let params: Vec<&syn::Ident> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(&t.ident),
            syn::GenericParam::Const(c) => Some(&c.ident),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => params.iter().any(|p| **p == i),
        TokenTree::Group(g) => names_a_parameter(g.stream(), generics),
        _ => false,
    })
}

/// The tokens with every lifetime made `'static`, so that a constant outside the struct can
/// name its field's type (`&'a Method`).
fn static_lifetimes(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut after_quote = false;
    for t in tokens {
        let t = match t {
            TokenTree::Ident(i) if after_quote => {
                TokenTree::Ident(syn::Ident::new("static", i.span()))
            }
            TokenTree::Group(g) => {
                let mut new = proc_macro2::Group::new(g.delimiter(), static_lifetimes(g.stream()));
                new.set_span(g.span());
                TokenTree::Group(new)
            }
            t => t,
        };
        after_quote = matches!(&t, TokenTree::Punct(p) if p.as_char() == '\'');
        out.push(t);
    }
    out.into_iter().collect()
}
