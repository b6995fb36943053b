//! The generated code, from a checked plan only: a description of the request (the endpoint and
//! a visit function calling small generic runtime helpers), and the typed builder when asked for.

use latipay_spec::{FieldType, Location, Method, SigningRule};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Container;
use crate::builder;
use crate::check::{self, Credential, Item, Plan, Value};
use crate::ctxt::Ctxt;

/// The whole derive: the model, the check, then the code; or every error with a stub impl.
pub fn derive(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let Some(cont) = Container::from_ast(&cx, input) else {
        let mut out = match cx.check() {
            Err(errors) => errors.to_compile_error(),
            Ok(()) => unreachable_without_errors(),
        };
        out.extend(stub(
            &input.ident,
            &input.generics,
            &crate::attr::Container::krate_of(&input.attrs),
        ));
        return Ok(out);
    };
    let plan = check::check(&cx, &cont);
    match (cx.check(), plan) {
        (Ok(()), Some(plan)) => Ok(expand(&cont, &plan)),
        (Err(errors), _) => {
            let mut out = errors.to_compile_error();
            let mut body = stub_impl(cont.ident, cont.generics);
            if cont.attrs.builder {
                let (definition, impls) = builder::stub(&cont);
                out.extend(definition);
                body.extend(impls);
            }
            out.extend(wrap(&cont.attrs.krate, body));
            Ok(out)
        }
        (Ok(()), None) => unreachable_without_errors(),
    }
}

/// `check` returns no plan only after reporting an error.
fn unreachable_without_errors() -> ! {
    unreachable!("the derive stopped without reporting an error")
}

fn wrap(krate: &syn::Path, body: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_camel_case_types, unused_qualifications, clippy::all)]
        const _: () = {
            use #krate as _latipay;
            use _latipay::__private;
            #body
        };
    }
}

/// An impl that satisfies the trait without doing anything, so that a struct with errors does not
/// also produce "trait not implemented" errors wherever it is used.
fn stub(ident: &syn::Ident, generics: &syn::Generics, krate: &syn::Path) -> TokenStream {
    wrap(krate, stub_impl(ident, generics))
}

fn stub_impl(ident: &syn::Ident, generics: &syn::Generics) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics _latipay::LatipaySigned for #ident #ty_generics #where_clause {
            const ENDPOINT: __private::EndpointMeta = __private::STUB_ENDPOINT;
            type Response = _latipay::response::Status;
            fn visit<__V: __private::Visitor>(&self, _: &_latipay::Credentials, _: &mut __V) {}
        }
    }
}

fn expand(cont: &Container<'_>, plan: &Plan<'_>) -> TokenStream {
    let ident = cont.ident;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let endpoint = endpoint_meta(plan);
    let (response, own_types) = response_type(cont, plan);
    let sent = plan.sent().into_iter().map(visit_call);
    // Rule A signs in the sent order, which the runtime's provided `visit_signed` follows; a
    // concatenation rule has its own order.
    let visit_signed =
        matches!(plan.endpoint.signing, Some(SigningRule::Concat { .. })).then(|| {
            let signed = plan.signed().into_iter().map(visit_call);
            quote! {
                fn visit_signed<__V: __private::Visitor>(
                    &self,
                    __credentials: &_latipay::Credentials,
                    __visitor: &mut __V,
                ) {
                    #(#signed)*
                }
            }
        });
    let is_money = |f: &crate::ast::Field<'_>| {
        plan.items.iter().any(|i| {
            matches!(i.field.ty, FieldType::Amount | FieldType::Decimal)
                && matches!(&i.value, Value::Struct(g) | Value::StructOrCredential(g, _) if g.ident == f.ident)
        })
    };
    let groups = builder_groups(cont, plan);
    let builder_impls = cont
        .attrs
        .builder
        .then(|| builder::impls(cont, &is_money, &groups));
    let rebuild = plan
        .spec_file
        .as_ref()
        .map(|p| crate::spec::rebuild_on_change(p));
    // A Rust enum for an `enum` field sends only values the field takes.
    let enum_checks = plan
        .items
        .iter()
        .filter_map(|item| match (&item.field.ty, &item.value) {
            (FieldType::Enum(values), Value::Struct(f) | Value::StructOrCredential(f, _)) => {
                Some(crate::enums::field_check(
                    f.ty,
                    cont.generics,
                    &plan.endpoint.name,
                    &item.field.name,
                    values,
                ))
            }
            _ => None,
        });
    let body = quote! {
        #rebuild
        #(#enum_checks)*

        #[automatically_derived]
        impl #impl_generics _latipay::LatipaySigned for #ident #ty_generics #where_clause {
            const ENDPOINT: __private::EndpointMeta = #endpoint;
            type Response = #response;

            fn visit<__V: __private::Visitor>(
                &self,
                __credentials: &_latipay::Credentials,
                __visitor: &mut __V,
            ) {
                #(#sent)*
            }

            #visit_signed
        }

        #builder_impls
    };
    let mut out = if cont.attrs.builder {
        builder::definition(cont, &groups)
    } else {
        TokenStream::new()
    };
    out.extend(own_types);
    out.extend(wrap(&cont.attrs.krate, body));
    out
}

/// The endpoint's description: its name and path, and only the fields that differ from the
/// The endpoint's `one_of` groups that the builder checks: those whose fields the struct sends
/// from `Option` fields only (one sent by a required field is met whenever the struct is built).
fn builder_groups<'a>(cont: &Container<'a>, plan: &Plan<'a>) -> Vec<Vec<&'a syn::Ident>> {
    let struct_field = |wire: &str| {
        plan.items.iter().find_map(|i| match &i.value {
            Value::Struct(f) | Value::StructOrCredential(f, _) if i.field.name == wire => Some(*f),
            _ => None,
        })
    };
    plan.endpoint
        .one_of
        .iter()
        .filter_map(|group| {
            let fields: Vec<_> = group.iter().filter_map(|n| struct_field(n)).collect();
            let all_optional = fields.iter().all(|f| f.option_inner.is_some());
            (all_optional && !fields.is_empty()).then(|| {
                cont.fields
                    .iter()
                    .filter(|f| fields.iter().any(|g| g.ident == f.ident))
                    .map(|f| f.ident)
                    .collect()
            })
        })
        .collect()
}

/// runtime's `ENDPOINT_DEFAULTS` (`POST`, signature in the body, Rule A, no `one_of` groups).
fn endpoint_meta(plan: &Plan<'_>) -> TokenStream {
    let e = &plan.endpoint;
    let name = &e.name;
    let path = &e.path;
    let mut differs = Vec::new();
    let method = match e.method {
        Method::Get => Some(quote!(Get)),
        Method::Post => None,
        Method::Put => Some(quote!(Put)),
        Method::Delete => Some(quote!(Delete)),
    };
    if let Some(method) = method {
        differs.push(quote!(method: _latipay::Method::#method,));
    }
    if e.signature_in != Location::Body {
        let signature_in = location(e.signature_in);
        differs.push(quote!(signature_in: #signature_in,));
    }
    if let Some(r @ SigningRule::Concat { .. }) = &e.signing {
        let rule = rule(r);
        differs.push(quote!(rule: #rule,));
    }
    if !e.one_of.is_empty() {
        let groups = e.one_of.iter().map(|group| quote!(&[#(#group),*]));
        differs.push(quote!(one_of: &[#(#groups),*],));
    }
    quote! {
        __private::EndpointMeta {
            name: #name,
            path: #path,
            #(#differs)*
            ..__private::ENDPOINT_DEFAULTS
        }
    }
}

fn rule(rule: &SigningRule) -> TokenStream {
    match rule {
        SigningRule::SortedJoin => quote!(__private::RuleKind::SortedJoin),
        SigningRule::Concat { append_key, .. } => {
            quote!(__private::RuleKind::Concat { append_key: #append_key })
        }
    }
}

fn location(l: Location) -> TokenStream {
    match l {
        Location::Body => quote!(__private::Location::Body),
        Location::Query => quote!(__private::Location::Query),
        Location::Path => quote!(__private::Location::Path),
    }
}

/// The type of the endpoint's answer: a built-in model's type of the runtime, or, for a model of
/// the merchant's own spec, types generated next to the struct (`{Struct}Response`, and
/// `{Struct}{Model}` for the models it nests).
fn response_type(cont: &Container<'_>, plan: &Plan<'_>) -> (TokenStream, TokenStream) {
    let model = &plan.endpoint.response.model;
    let Some(spec) = &plan.own_models else {
        let ident = syn::Ident::new(&latipay_spec::codegen::pascal(model), Span::call_site());
        return (quote!(_latipay::response::#ident), TokenStream::new());
    };
    let prefix = cont.ident.to_string();
    let top = model.clone();
    let type_name = move |name: &str| {
        if name == top {
            format!("{prefix}Response")
        } else {
            format!("{prefix}{}", latipay_spec::codegen::pascal(name))
        }
    };
    // The answer's model and every model it nests that is the merchant's own.
    let mut names: Vec<&str> = vec![model.as_str()];
    let mut i = 0;
    while let Some(name) = names.get(i).copied() {
        i += 1;
        for f in spec.model(name).into_iter().flat_map(|m| &m.fields) {
            if let Some(inner) = f.ty.nested_model()
                && !names.contains(&inner)
            {
                names.push(inner);
            }
        }
    }
    let vis = &cont.vis;
    let krate = &cont.attrs.krate;
    let types = latipay_spec::codegen::models(
        spec,
        &names,
        &latipay_spec::codegen::Names {
            krate: quote!(#krate),
            type_name: &type_name,
            vis: quote!(#vis),
        },
    );
    let ident = syn::Ident::new(&type_name(model), Span::call_site());
    (quote!(#ident), types)
}

/// The helper's arguments that describe the field: its `&name=` text, an `enum`'s values, and
/// its flags.
fn meta_args(item: &Item<'_>) -> TokenStream {
    let f = &item.field;
    let flags = flags(item);
    let joined = format!("&{}=", f.name);
    match &f.ty {
        FieldType::Enum(values) => quote!(#joined, &[#(#values),*], #flags),
        _ => quote!(#joined, #flags),
    }
}

/// The field's flags for the runtime: `__private::OPTIONAL | ...`, or `0`.
fn flags(item: &Item<'_>) -> TokenStream {
    let f = &item.field;
    let flag = |name: &str| {
        let name = syn::Ident::new(name, Span::call_site());
        quote!(__private::#name)
    };
    let mut flags = Vec::new();
    if f.optional {
        flags.push(flag("OPTIONAL"));
    }
    if !f.signed {
        flags.push(flag("UNSIGNED"));
    }
    match f.location {
        Location::Body => {}
        Location::Query => flags.push(flag("IN_QUERY")),
        Location::Path => flags.push(flag("IN_PATH")),
    }
    if f.positive {
        flags.push(flag("POSITIVE"));
    }
    if flags.is_empty() {
        // A literal built directly: `quote!(0)` would have the compiler lex the text "0".
        proc_macro2::Literal::u8_unsuffixed(0).into_token_stream()
    } else {
        quote!(#(#flags)|*)
    }
}

/// One call visiting the field: the hidden `__visit` of the marker trait of its spec type
/// (`types::StringField`, ...), with the merchant's own type tokens as `Self`, so a type the spec
/// type cannot take is reported on them, naming the marker trait.
fn visit_call(item: &Item<'_>) -> TokenStream {
    let marker = match &item.field.ty {
        FieldType::String => "StringField",
        FieldType::Amount => "AmountField",
        FieldType::Decimal => "DecimalField",
        FieldType::Url => "UrlField",
        FieldType::Ipv4 => "Ipv4Field",
        FieldType::Integer => "IntegerField",
        FieldType::Boolean => "BooleanField",
        FieldType::Enum(_) => "EnumField",
    };
    let marker = syn::Ident::new(marker, Span::call_site());
    let credential = |c: Credential| match c {
        Credential::UserId => quote!(__credentials.user_id()),
        Credential::WalletId => quote!(__credentials.wallet_id()),
    };
    match &item.value {
        Value::Struct(f) => {
            let (ty, member, meta) = (f.ty, f.ident, meta_args(item));
            quote_spanned! {ty.span()=>
                <#ty as _latipay::types::#marker>::__visit(__visitor, #meta, &self.#member);
            }
        }
        Value::StructOrCredential(f, c) => {
            let (ty, member, meta) = (f.ty, f.ident, meta_args(item));
            let fallback = credential(*c);
            quote_spanned! {ty.span()=>
                <#ty as _latipay::types::#marker>::__visit_or(
                    __visitor,
                    #meta,
                    &self.#member,
                    #fallback,
                );
            }
        }
        // A credential typed `string` (as the built-in spec has them): a helper each, which
        // knows the name.
        Value::Credential(c) if matches!(item.field.ty, FieldType::String) => {
            let helper = match c {
                Credential::UserId => quote!(user_id),
                Credential::WalletId => quote!(wallet_id),
            };
            let flags = flags(item);
            quote!(__private::#helper(__visitor, __credentials, #flags);)
        }
        Value::Credential(c) => {
            let (value, meta) = (credential(*c), meta_args(item));
            quote!(_latipay::types::#marker::__visit(__visitor, #meta, #value);)
        }
        Value::Const(c) => {
            let meta = meta_args(item);
            quote!(_latipay::types::#marker::__visit(__visitor, #meta, #c);)
        }
        Value::Absent => TokenStream::new(),
    }
}
