//! `#[latipay(...)]` attributes, on the struct and on its fields.

use proc_macro2::Span;
use syn::LitStr;
use syn::meta::ParseNestedMeta;

use crate::ctxt::Ctxt;

/// A value given once, remembering where, so a second one is reported where it is written.
pub(crate) struct Once<T> {
    name: &'static str,
    pub(crate) value: Option<T>,
}

impl<T> Once<T> {
    pub(crate) fn new(name: &'static str) -> Self {
        Once { name, value: None }
    }

    pub(crate) fn set(&mut self, cx: &Ctxt, meta: &ParseNestedMeta, value: T) {
        if self.value.is_some() {
            cx.error_spanned_by(
                &meta.path,
                format!("duplicate latipay attribute `{}`", self.name),
            );
        } else {
            self.value = Some(value);
        }
    }
}

/// `#[latipay(endpoint = "...", spec = "...", crate = "...", builder)]` on the struct.
pub struct Container {
    pub endpoint: Option<LitStr>,
    pub spec: Option<LitStr>,
    /// Whether to generate the typed builder: asked for, because it costs three times the rest
    /// of the derive at compile time (see BENCHMARKS.md).
    pub builder: bool,
    /// The runtime's path; `::latipay_runtime` unless renamed.
    pub krate: syn::Path,
}

/// `#[latipay(rename = "...")]`, `#[latipay(skip)]` or `#[latipay(provides_credentials)]` on a
/// field.
pub struct Field {
    pub rename: Option<LitStr>,
    pub skip: Option<Span>,
    /// The field carries a value the spec fills from the credentials (`user_id`, `wallet_id`):
    /// a marketplace sending for several merchants. Without it, such a field is an error.
    pub provides_credentials: Option<Span>,
}

impl Container {
    pub fn from_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Container {
        let mut endpoint = Once::new("endpoint");
        let mut spec = Once::new("spec");
        let mut krate = Once::new("crate");
        let mut builder = Once::new("builder");
        for attr in attrs.iter().filter(|a| a.path().is_ident("latipay")) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("builder") {
                    builder.set(cx, &meta, ());
                } else if meta.path.is_ident("endpoint") {
                    let lit: LitStr = meta.value()?.parse()?;
                    endpoint.set(cx, &meta, lit);
                } else if meta.path.is_ident("spec") {
                    let lit: LitStr = meta.value()?.parse()?;
                    spec.set(cx, &meta, lit);
                } else if meta.path.is_ident("crate") {
                    crate_path(cx, &meta, &mut krate)?;
                } else if meta.path.is_ident("rename")
                    || meta.path.is_ident("skip")
                    || meta.path.is_ident(PROVIDES_CREDENTIALS)
                {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "`{}` goes on a field, not on the struct",
                            path_text(&meta.path)
                        ),
                    );
                    skip_value(&meta)?;
                } else {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown latipay attribute `{}`; on a struct: `endpoint`, `spec`, `crate`, `builder`",
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
            spec: spec.value,
            builder: builder.value.is_some(),
            krate: krate
                .value
                .unwrap_or_else(|| syn::parse_quote!(::latipay_runtime)),
        }
    }
}

impl Container {
    /// The runtime path alone, for the stub impl of an input that could not be modelled; any
    /// error in the attribute was reported already, so it falls back to the default quietly.
    pub fn krate_of(attrs: &[syn::Attribute]) -> syn::Path {
        let cx = Ctxt::new();
        let krate = Container::from_attrs(&cx, attrs).krate;
        let _ = cx.check();
        krate
    }
}

impl Field {
    pub fn from_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Field {
        let mut rename = Once::new("rename");
        let mut skip = Once::new("skip");
        let mut provides = Once::new("provides_credentials");
        for attr in attrs.iter().filter(|a| a.path().is_ident("latipay")) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: LitStr = meta.value()?.parse()?;
                    if lit.value().is_empty() {
                        cx.error_spanned_by(&lit, "`rename` needs the field's wire name");
                    }
                    rename.set(cx, &meta, lit);
                } else if meta.path.is_ident("skip") {
                    let span = meta
                        .path
                        .get_ident()
                        .map(|i| i.span())
                        .unwrap_or_else(Span::call_site);
                    skip.set(cx, &meta, span);
                } else if meta.path.is_ident(PROVIDES_CREDENTIALS) {
                    let span = meta
                        .path
                        .get_ident()
                        .map(|i| i.span())
                        .unwrap_or_else(Span::call_site);
                    provides.set(cx, &meta, span);
                } else if ["endpoint", "spec", "crate", "builder"]
                    .iter()
                    .any(|k| meta.path.is_ident(k))
                {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "`{}` goes on the struct, not on a field",
                            path_text(&meta.path)
                        ),
                    );
                    skip_value(&meta)?;
                } else {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown latipay attribute `{}`; on a field: `rename`, `skip`, `provides_credentials`",
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
        if let (Some(r), Some(_)) = (&rename.value, &skip.value) {
            cx.error_spanned_by(
                r,
                "a skipped field is not sent, so it has no wire name to rename",
            );
        }
        if let (Some(p), Some(_)) = (provides.value, &skip.value) {
            cx.error_at(
                p,
                "a skipped field is not sent, so it provides no credential; remove one of `skip` and `provides_credentials`",
            );
        }
        Field {
            rename: rename.value,
            skip: skip.value,
            provides_credentials: provides.value,
        }
    }
}

/// The field attribute that lets a struct carry a field the spec fills from the credentials.
pub const PROVIDES_CREDENTIALS: &str = "provides_credentials";

/// `crate = "::path"`: the runtime's path, which must be absolute.
pub(crate) fn crate_path(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    krate: &mut Once<syn::Path>,
) -> syn::Result<()> {
    let lit: LitStr = meta.value()?.parse()?;
    match lit.parse::<syn::Path>() {
        Ok(path) if path.leading_colon.is_some() => krate.set(cx, meta, path),
        Ok(_) => cx.error_spanned_by(
            &lit,
            "`crate` must be an absolute path, starting with `::`, like \"::latipay_runtime\"",
        ),
        Err(_) => cx.error_spanned_by(&lit, "`crate` must be a path, like \"::latipay_runtime\""),
    }
    Ok(())
}

/// Consumes `= literal` or `(...)` after an attribute that was already reported, so that the
/// attributes after it are still read.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Lit = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

pub(crate) fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
