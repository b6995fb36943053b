//! The typed builder: `Order::builder().amount(..)...build()`. Each required field is a type
//! parameter that is `()` until its setter is called and then `(T,)`, the value; `build()`
//! requires each one, one bound per field, so leaving one out is a compile error naming that field.
//! The states are plain tuples, not runtime types, so that the error names nothing of the runtime;
//! each state parameter is named after its field, so that a note naming `build` reads
//! `RefundBuilder<order_id, refund_amount>`. A `#[latipay(skip)]` field is never required: unset,
//! it is its type's `Default`.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Field};

fn builder_ident(cont: &Container<'_>) -> syn::Ident {
    format_ident!("{}Builder", cont.ident)
}

fn is_required(f: &Field<'_>) -> bool {
    f.option_inner.is_none() && f.attrs.skip.is_none()
}

/// A skipped field that is not an `Option`: optional in the builder, `Default` when unset.
fn is_defaulted(f: &Field<'_>) -> bool {
    f.option_inner.is_none() && f.attrs.skip.is_some()
}

/// The state parameter of each required field, in field order: the field's own name, unless a
/// type of the struct names it (a field `str` next to a `&str`), then with a `_` appended.
fn states(cont: &Container<'_>) -> Vec<(usize, syn::Ident)> {
    let mut named = std::collections::BTreeSet::new();
    for f in &cont.fields {
        idents(f.ty.to_token_stream(), &mut named);
    }
    idents(cont.generics.to_token_stream(), &mut named);
    cont.fields
        .iter()
        .filter(|f| is_required(f))
        .enumerate()
        .map(|(i, f)| {
            let mut name = plain(f.ident);
            while named.contains(&name) || PRIMITIVES.contains(&name.as_str()) {
                name.push('_');
            }
            if name == plain(f.ident) {
                (i, f.ident.clone())
            } else {
                (i, syn::Ident::new(&name, f.ident.span()))
            }
        })
        .collect()
}

const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

fn idents(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(plain(&i));
            }
            proc_macro2::TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

/// The trait `build()` requires of a required field's state, named so that "the trait
/// `order_id_is_set<String>` is not implemented for `()`" reads as what it means.
fn is_set_trait(f: &Field<'_>) -> syn::Ident {
    format_ident!("{}_is_set", plain(f.ident))
}

fn plain(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

/// The struct's own generic parameters, as written in the builder's parameter list.
fn own_params(cont: &Container<'_>) -> Vec<TokenStream> {
    cont.generics.params.iter().map(|p| quote!(#p)).collect()
}

/// The struct's own generic parameters without bounds or defaults, as arguments.
fn own_args(cont: &Container<'_>) -> Vec<TokenStream> {
    cont.generics
        .params
        .iter()
        .map(|p| match p {
            syn::GenericParam::Lifetime(l) => {
                let l = &l.lifetime;
                quote!(#l)
            }
            syn::GenericParam::Type(t) => {
                let t = &t.ident;
                quote!(#t)
            }
            syn::GenericParam::Const(c) => {
                let c = &c.ident;
                quote!(#c)
            }
        })
        .collect()
}

/// Impl parameters: the struct's, without defaults.
fn impl_params(cont: &Container<'_>) -> Vec<TokenStream> {
    cont.generics
        .params
        .iter()
        .map(|p| match p {
            syn::GenericParam::Type(t) => {
                let mut t = t.clone();
                t.default = None;
                quote!(#t)
            }
            syn::GenericParam::Const(c) => {
                let mut c = c.clone();
                c.default = None;
                quote!(#c)
            }
            other => quote!(#other),
        })
        .collect()
}

/// The builder struct itself, outside the `const _` block so merchants can name it.
pub fn definition(cont: &Container<'_>) -> TokenStream {
    let vis = cont.vis;
    let ident = cont.ident;
    let builder = builder_ident(cont);
    let where_clause = &cont.generics.where_clause;
    let params = own_params(cont);
    let args = own_args(cont);
    let states = states(cont);
    let state_params = states.iter().map(|(_, s)| quote!(#s = ()));
    let mut state_iter = states.iter();
    let fields = cont.fields.iter().map(|f| {
        let name = f.ident;
        if is_required(f) {
            let (_, s) = state_iter
                .next()
                .unwrap_or_else(|| unreachable!("one state per required field"));
            quote!(#name: #s)
        } else if is_defaulted(f) {
            let ty = f.ty;
            quote!(#name: ::core::option::Option<#ty>)
        } else {
            let ty = f.ty;
            quote!(#name: #ty)
        }
    });
    let doc = format!(
        "Builds a [`{ident}`]: set every required field, then call `build()`. \
         Created by `{ident}::builder()`; a required field left out is a compile error."
    );
    quote! {
        #[doc = #doc]
        #[must_use = "a builder does nothing until `build()` is called"]
        #[allow(non_camel_case_types)]
        #vis struct #builder<#(#params,)* #(#state_params),*> #where_clause {
            #(#fields,)*
            __latipay_marker: ::core::marker::PhantomData<fn() -> #ident<#(#args),*>>,
        }
    }
}

/// The builder's impls, inside the `const _` block.
/// `is_money` tells the fields the spec types `amount` or `decimal`: their setters take a value
/// through a trait whose message says that money is never a float.
pub fn impls(cont: &Container<'_>, is_money: &dyn Fn(&Field<'_>) -> bool) -> TokenStream {
    let vis = cont.vis;
    let ident = cont.ident;
    let builder = builder_ident(cont);
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let iparams = impl_params(cont);
    let args = own_args(cont);
    let states = states(cont);
    let all_states: Vec<&syn::Ident> = states.iter().map(|(_, s)| s).collect();
    let required: Vec<&Field<'_>> = cont.fields.iter().filter(|f| is_required(f)).collect();
    let optional: Vec<&Field<'_>> = cont
        .fields
        .iter()
        .filter(|f| !is_required(f) && !is_defaulted(f))
        .collect();
    let defaulted: Vec<&Field<'_>> = cont.fields.iter().filter(|f| is_defaulted(f)).collect();
    // The bound of a setter's value: `Into<T>`, or for money the local `{Builder}Money<T>`,
    // named after the builder so that it shadows nothing the struct's fields name.
    let money_trait = format_ident!("{}Money", builder);
    let value_bound = |f: &Field<'_>, ty: &syn::Type| {
        if is_money(f) {
            // On the field's type: "required by this bound" points at the merchant's field.
            let t = syn::Ident::new(&money_trait.to_string(), ty.span());
            quote_spanned!(ty.span()=> impl #t<#ty>)
        } else {
            quote!(impl ::core::convert::Into<#ty>)
        }
    };
    let convert = |f: &Field<'_>| {
        if is_money(f) {
            quote!(#money_trait::__into(value))
        } else {
            quote!(::core::convert::Into::into(value))
        }
    };

    let unset_all = states.iter().map(|_| quote!(()));
    let init = cont.fields.iter().map(|f| {
        let name = f.ident;
        if is_required(f) {
            quote!(#name: ())
        } else {
            quote!(#name: ::core::option::Option::None)
        }
    });
    let builder_doc = format!("A builder for [`{ident}`], checked at compile time.");
    let start = quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #builder_doc]
            #vis fn builder() -> #builder<#(#args,)* #(#unset_all),*> {
                #builder {
                    #(#init,)*
                    __latipay_marker: ::core::marker::PhantomData,
                }
            }
        }
    };

    // One setter per required field, only while that field is unset.
    let setters = required.iter().enumerate().map(|(i, f)| {
        let name = f.ident;
        let ty = f.ty;
        let others: Vec<&syn::Ident> = all_states
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, s)| *s)
            .collect();
        let before = all_states
            .iter()
            .enumerate()
            .map(|(j, s)| if j == i { quote!(()) } else { quote!(#s) });
        let after: Vec<TokenStream> = all_states
            .iter()
            .enumerate()
            .map(|(j, s)| if j == i { quote!((#ty,)) } else { quote!(#s) })
            .collect();
        let bound = value_bound(f, ty);
        let into = convert(f);
        let moves = cont.fields.iter().map(|g| {
            let gname = g.ident;
            if g.ident == f.ident {
                quote!(#gname: (#into,))
            } else {
                quote!(#gname: self.#gname)
            }
        });
        let doc = format!("Sets `{}` (required).", plain(name));
        quote! {
            #[automatically_derived]
            impl<#(#iparams,)* #(#others),*> #builder<#(#args,)* #(#before),*> #where_clause {
                #[doc = #doc]
                #vis fn #name(self, value: #bound) -> #builder<#(#args,)* #(#after),*> {
                    #builder {
                        #(#moves,)*
                        __latipay_marker: ::core::marker::PhantomData,
                    }
                }
            }
        }
    });

    // Optional fields can be set in any state.
    let optional_setters = optional.iter().map(|f| {
        let name = f.ident;
        let maybe = format_ident!("maybe_{}", plain(name));
        let inner = f.option_inner.unwrap_or(f.ty);
        let doc = format!("Sets `{}` (optional).", plain(name));
        let maybe_doc = format!("Sets or clears `{}`.", plain(name));
        let (bound, into) = (value_bound(f, inner), convert(f));
        quote! {
            #[doc = #doc]
            #vis fn #name(mut self, value: #bound) -> Self {
                self.#name = ::core::option::Option::Some(#into);
                self
            }
            #[doc = #maybe_doc]
            #vis fn #maybe(mut self, value: ::core::option::Option<#inner>) -> Self {
                self.#name = value;
                self
            }
        }
    });

    // Skipped fields are not sent: set them or leave them to `Default`.
    let defaulted_setters = defaulted.iter().map(|f| {
        let name = f.ident;
        let doc = format!(
            "Sets `{}` (not sent to Latipay; `Default::default()` unless set).",
            plain(name)
        );
        let (bound, into) = (value_bound(f, f.ty), convert(f));
        quote! {
            #[doc = #doc]
            #vis fn #name(mut self, value: #bound) -> Self {
                self.#name = ::core::option::Option::Some(#into);
                self
            }
        }
    });

    // `build()` needs every required field; each is its own bound, so each missing one is its
    // own error, in words.
    let traits = required.iter().map(|f| {
        let trait_ident = is_set_trait(f);
        let ty = f.ty;
        let message = format!(
            "missing required field `{}: {}` in `{}::builder()`",
            plain(f.ident),
            type_text(ty),
            ident
        );
        let label = format!("call `.{}(...)` before this", plain(f.ident));
        quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #trait_ident<__T> {
                fn __take(self) -> __T;
            }
            #[automatically_derived]
            impl<__T> #trait_ident<__T> for (__T,) {
                fn __take(self) -> __T {
                    self.0
                }
            }
        }
    });
    let bounds = required.iter().zip(&all_states).map(|(f, s)| {
        let ty = f.ty;
        let t = syn::Ident::new(&is_set_trait(f).to_string(), ty.span());
        quote_spanned!(ty.span()=> #s: #t<#ty>)
    });
    let mut state_iter = all_states.iter();
    let build_fields = cont.fields.iter().map(|f| {
        let name = f.ident;
        if is_required(f) {
            let s = state_iter
                .next()
                .unwrap_or_else(|| unreachable!("one state per required field"));
            let t = is_set_trait(f);
            let ty = f.ty;
            quote!(#name: <#s as #t<#ty>>::__take(self.#name))
        } else if is_defaulted(f) {
            // Spanned on the field's type: a type without `Default` is reported there.
            let ty = f.ty;
            let default = quote_spanned!(ty.span()=> <#ty as ::core::default::Default>::default());
            quote! {
                #name: match self.#name {
                    ::core::option::Option::Some(value) => value,
                    ::core::option::Option::None => #default,
                }
            }
        } else {
            quote!(#name: self.#name)
        }
    });
    let build_doc = format!("The [`{ident}`]; compiles only when every required field is set.");
    let money = cont.fields.iter().any(is_money).then(|| {
        quote! {
            #[diagnostic::on_unimplemented(
                message = "`{Self}` cannot be used for a Latipay amount: money is never a float",
                label = "this setter takes a `{T}`",
                note = "use `latipay_runtime::Amount` (`Amount::parse(\"10.50\")`), or a `String` of decimal text (checked when signing)"
            )]
            pub trait #money_trait<T> {
                fn __into(self) -> T;
            }
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl<T, V: ::core::convert::Into<T>> #money_trait<T> for V {
                fn __into(self) -> T {
                    ::core::convert::Into::into(self)
                }
            }
        }
    });
    quote! {
        #money
        #start
        #(#setters)*
        #(#traits)*
        #[automatically_derived]
        impl<#(#iparams,)* #(#all_states),*> #builder<#(#args,)* #(#all_states),*> #where_clause {
            #(#optional_setters)*
            #(#defaulted_setters)*

            #[doc = #build_doc]
            #vis fn build(self) -> #ident #ty_generics
            where
                #(#bounds,)*
            {
                #ident {
                    #(#build_fields,)*
                }
            }
        }
    }
}

/// A type as the merchant would write it: `Option<String>`, `&'a str`.
pub fn type_text(ty: &syn::Type) -> String {
    let mut text = ty.to_token_stream().to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        ("& ", "&"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
    ] {
        text = text.replace(from, to);
    }
    text
}

/// The builder when the derive failed: `Order::builder()`, every setter and `build()` exist and
/// take anything, so that code using the builder adds no errors to the derive's own.
pub fn stub(cont: &Container<'_>) -> (TokenStream, TokenStream) {
    let vis = cont.vis;
    let ident = cont.ident;
    let builder = builder_ident(cont);
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let params = own_params(cont);
    let iparams = impl_params(cont);
    let args = own_args(cont);
    let definition = quote! {
        #[doc(hidden)]
        #vis struct #builder<#(#params),*> #where_clause {
            __latipay_marker: ::core::marker::PhantomData<fn() -> #ident<#(#args),*>>,
        }
    };
    let setters = cont.fields.iter().map(|f| {
        let name = f.ident;
        let maybe = f.option_inner.is_some().then(|| {
            let maybe = format_ident!("maybe_{}", plain(name));
            quote!(#vis fn #maybe(self, _: impl ::core::marker::Sized) -> Self { self })
        });
        quote! {
            #vis fn #name(self, _: impl ::core::marker::Sized) -> Self { self }
            #maybe
        }
    });
    let impls = quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #vis fn builder() -> #builder<#(#args),*> {
                #builder { __latipay_marker: ::core::marker::PhantomData }
            }
        }
        #[automatically_derived]
        impl<#(#iparams),*> #builder<#(#args),*> #where_clause {
            #(#setters)*
            #vis fn build(self) -> #ident #ty_generics {
                ::core::unreachable!()
            }
        }
    };
    (definition, impls)
}
