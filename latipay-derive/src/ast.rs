//! The merchant's struct, as the derive sees it: named fields with their wire names.

use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::attr;
use crate::ctxt::Ctxt;

pub struct Container<'a> {
    pub ident: &'a syn::Ident,
    pub vis: &'a syn::Visibility,
    pub generics: &'a syn::Generics,
    pub attrs: attr::Container,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    /// The Rust field name: the builder's setter name.
    pub ident: &'a syn::Ident,
    pub ty: &'a syn::Type,
    pub attrs: attr::Field,
    /// The wire name: `rename`, or the field name without `r#`.
    pub wire: String,
    /// Where to report problems with the wire name: the `rename` literal, or the field name.
    pub wire_span: Span,
    /// `T` when the field is an `Option<T>`.
    pub option_inner: Option<&'a syn::Type>,
}

impl<'a> Container<'a> {
    /// The model of `input`, or `None` (with the error reported) when it is not a struct with
    /// named fields.
    pub fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Container<'a>> {
        let attrs = attr::Container::from_attrs(cx, &input.attrs);
        let named = match &input.data {
            syn::Data::Struct(s) => match &s.fields {
                syn::Fields::Named(named) => Some(named),
                syn::Fields::Unnamed(_) => {
                    cx.error_spanned_by(
                        &input.ident,
                        "LatipaySigned needs named fields: Latipay's fields are sent by name",
                    );
                    None
                }
                syn::Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "LatipaySigned needs a struct with named fields, not a unit struct",
                    );
                    None
                }
            },
            syn::Data::Enum(e) => {
                cx.error_at(
                    e.enum_token.span,
                    "LatipaySigned is derived on a struct with named fields, not an enum",
                );
                None
            }
            syn::Data::Union(u) => {
                cx.error_at(
                    u.union_token.span,
                    "LatipaySigned is derived on a struct with named fields, not a union",
                );
                None
            }
        }?;
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let attrs = attr::Field::from_attrs(cx, &f.attrs);
                let (wire, wire_span) = match &attrs.rename {
                    Some(lit) => (lit.value(), lit.span()),
                    None => (ident_text(ident), ident.span()),
                };
                Some(Field {
                    ident,
                    ty: &f.ty,
                    attrs,
                    wire,
                    wire_span,
                    option_inner: option_inner(&f.ty),
                })
            })
            .collect();
        Some(Container {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            fields,
        })
    }
}

fn ident_text(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

/// `T` of `Option<T>` (also written `std::option::Option<T>` or `core::option::Option<T>`).
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let segs: Vec<&syn::Ident> = p.path.segments.iter().map(|s| &s.ident).collect();
    let is_option = match segs[..] {
        [option] => option == "Option",
        [krate, module, option] => {
            (krate == "std" || krate == "core") && module == "option" && option == "Option"
        }
        _ => false,
    };
    if !is_option {
        return None;
    }
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(t)) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

/// Whether `ty` (or the `T` of an `Option<T>`) is `f32` or `f64`.
pub fn is_float(ty: &syn::Type) -> Option<Span> {
    let ty = option_inner(ty).unwrap_or(ty);
    match ty {
        syn::Type::Path(p)
            if p.qself.is_none() && (p.path.is_ident("f32") || p.path.is_ident("f64")) =>
        {
            Some(ty.span())
        }
        _ => None,
    }
}
