//! The typed builder: `Order::builder().amount(..)...build()`, generated small, because every
//! token and every item a derive emits costs compile time in the merchant's crate (the bench's
//! `cargo check` rows): the generic work is in the runtime's `__private` module.
//!
//! - The values are one tuple of `Option`s, one per field, in the builder; each setter writes its
//!   own slot (`__private::some`) and `build()` moves them out (`__private::req` for a required
//!   field) into the struct, which it returns through `__private::finish`: the one place for a
//!   check over the finished struct.
//! - What is set is a type parameter per required field, named after it (a note naming `build`
//!   reads `RefundBuilder<order_id, refund_amount>`): `()` until its setter is called, then the
//!   runtime's `Set`. `build()` requires `{field}: {field}_is_set` of each, a trait
//!   declared per required field whose `#[diagnostic::on_unimplemented]` message names the field
//!   and the type it takes, so each missing field is its own error in those words. The setter
//!   requires the runtime's `Unset`: a second call is an error too. One impl holds every setter
//!   and `build()`; an optional field's setter returns `Self`.
//! - Money (a spec `amount` or `decimal`) is taken through the runtime's `Money`, whose message
//!   says that money is never a float; any other value is `impl Into<T>`.
//! - A `#[latipay(skip)]` field is never required: unset, it is its type's `Default`.
//! - A spec `one_of` group whose fields are all `Option`s in the struct (invoice get: `invoice_id`
//!   or `customer_order_id`) is checked the same way: each of its fields has a state parameter,
//!   set by its plain setter (`maybe_{field}` may pass `None`, so it does not count), and
//!   `build()` requires the tuple of the group's states to implement a trait declared per group,
//!   whose impls are the tuples with at least one `Set`. The signer checks the group again at run
//!   time, for a struct built without the builder.

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

/// The spec's `one_of` groups that the builder checks: each as the struct's fields that send it,
/// all `Option`s (a group with a required field is met whenever that field is).
pub type Groups<'a> = [Vec<&'a syn::Ident>];

/// Whether `build()` needs to know if `f` was set: a required field, or a field of a group.
fn is_tracked(f: &Field<'_>, groups: &Groups<'_>) -> bool {
    is_required(f) || groups.iter().flatten().any(|g| *g == f.ident)
}

/// The state parameter of each tracked field, in field order: the field's own name, unless a
/// type of the struct names it (a field `str` next to a `&str`), then with a `_` appended.
fn states(cont: &Container<'_>, groups: &Groups<'_>) -> Vec<syn::Ident> {
    let mut named = std::collections::BTreeSet::new();
    for f in &cont.fields {
        idents(f.ty.to_token_stream(), &mut named);
    }
    idents(cont.generics.to_token_stream(), &mut named);
    cont.fields
        .iter()
        .filter(|f| is_tracked(f, groups))
        .map(|f| {
            let mut name = plain(f.ident);
            while named.contains(&name) || PRIMITIVES.contains(&name.as_str()) {
                name.push('_');
            }
            if name == plain(f.ident) {
                f.ident.clone()
            } else {
                syn::Ident::new(&name, f.ident.span())
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

/// The trait a required field's state implements once set, named so that "the trait
/// `order_id_is_set` is not implemented for `()`" reads as what it means.
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

/// Where field `i`'s value is kept in the builder: `0.i`, element `i` of the tuple in field `0`,
/// written as the one token that `self.0.3` is in source (a float literal, which the parser splits
/// after a `.`), not three: fewer tokens for each setter and each field of `build()`.
fn slot(i: usize) -> proc_macro2::Literal {
    format!("0.{i}")
        .parse()
        .unwrap_or_else(|_| unreachable!("`0.{i}` is a float literal"))
}

/// The type a field's value is kept as until `build()`: `Option<T>` of a field that is not an
/// `Option`, the field's own type otherwise.
fn slot_type(f: &Field<'_>) -> TokenStream {
    let ty = f.ty;
    match f.option_inner {
        Some(_) => quote!(#ty),
        None => quote!(::core::option::Option<#ty>),
    }
}

/// The builder struct itself, outside the `const _` block so merchants can name it.
pub fn definition(cont: &Container<'_>, groups: &Groups<'_>) -> TokenStream {
    let vis = cont.vis;
    let ident = cont.ident;
    let builder = builder_ident(cont);
    let where_clause = &cont.generics.where_clause;
    let params = own_params(cont);
    let states = states(cont, groups);
    let slots = cont.fields.iter().map(slot_type);
    let required: Vec<String> = cont
        .fields
        .iter()
        .filter(|f| is_required(f))
        .map(|f| format!("`{}`", plain(f.ident)))
        .collect();
    let required = match required.len() {
        0 => "none".to_owned(),
        _ => required.join(", "),
    };
    let one_of: String = groups
        .iter()
        .map(|g| format!(" At least one of {} is required.", one_of_text(g)))
        .collect();
    let doc = format!(
        "Builds a [`{ident}`]: `{ident}::builder()`, a setter per field, then `build()`. \
         Required: {required}; a required field left out, or set twice, is a compile error.\
         {one_of} An optional field also has `maybe_{{field}}`, which takes an `Option`."
    );
    quote! {
        #[doc = #doc]
        #[must_use = "a builder does nothing until `build()` is called"]
        #[allow(non_camel_case_types)]
        #vis struct #builder<#(#params,)* #(#states = ()),*>(
            (#(#slots,)*),
            ::core::marker::PhantomData<fn() -> (#(#states,)*)>,
        ) #where_clause;
    }
}

/// The builder's impls, inside the `const _` block.
/// `is_money` tells the fields the spec types `amount` or `decimal`: their setters take a value
/// through the runtime's `Money`, whose message says that money is never a float.
/// `groups`: the `one_of` groups `build()` checks.
pub fn impls(
    cont: &Container<'_>,
    is_money: &dyn Fn(&Field<'_>) -> bool,
    groups: &Groups<'_>,
) -> TokenStream {
    let vis = cont.vis;
    let ident = cont.ident;
    let builder = builder_ident(cont);
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let iparams = impl_params(cont);
    let args = own_args(cont);
    let states = states(cont, groups);
    // Up to 12 slots, `Default` makes the tuple of `None`s; past that, each is written.
    let empty = if cont.fields.len() <= 12 {
        quote!(__private::Default::default())
    } else {
        let nones = cont.fields.iter().map(|_| quote!(__private::None));
        quote!((#(#nones,)*))
    };

    let state_of = |name: &syn::Ident| -> &syn::Ident {
        let i = cont
            .fields
            .iter()
            .filter(|f| is_tracked(f, groups))
            .position(|f| f.ident == name)
            .unwrap_or_else(|| unreachable!("a group's fields are tracked"));
        &states[i]
    };
    let mut states_left = states.iter();
    let mut traits = Vec::new();
    let mut bounds = Vec::new();
    let mut moves = Vec::new();
    let mut setters = Vec::new();
    for (i, f) in cont.fields.iter().enumerate() {
        let name = f.ident;
        let slot = slot(i);
        let ty = f.ty;
        let inner = f.option_inner.unwrap_or(ty);
        // On the field's type: a value that does not fit (a float for money) is reported with
        // the merchant's field as the bound.
        let value = if is_money(f) {
            quote_spanned!(inner.span()=> impl __private::Money<#inner>)
        } else {
            quote_spanned!(inner.span()=> impl __private::Into<#inner>)
        };
        if is_required(f) {
            let state = states_left
                .next()
                .unwrap_or_else(|| unreachable!("one state per required field"));
            let is_set = is_set_trait(f);
            let message = format!(
                "missing required field `{}: {}` in `{ident}::builder()`",
                plain(name),
                type_text(ty),
            );
            let label = format!("call `.{}(...)` before this", plain(name));
            traits.push(quote! {
                #[diagnostic::on_unimplemented(message = #message, label = #label)]
                pub trait #is_set {}
                #[automatically_derived]
                impl #is_set for __private::Set {}
            });
            // On the field's type: "required by this bound" points at the merchant's field.
            let spanned = syn::Ident::new(&is_set.to_string(), ty.span());
            bounds.push(quote_spanned!(ty.span()=> #state: #spanned));
            let unset = quote_spanned!(ty.span()=> #state: __private::Unset);
            moves.push(quote!(#name: __private::req(self.#slot)));
            let after = states.iter().map(|s| {
                if s == state {
                    quote!(__private::Set)
                } else {
                    quote!(#s)
                }
            });
            setters.push(quote! {
                #vis fn #name(mut self, value: #value) -> #builder<#(#args,)* #(#after),*>
                where
                    #unset,
                {
                    self.#slot = __private::some(value);
                    #builder(self.0, __private::PhantomData)
                }
            });
        } else if f.option_inner.is_some() {
            moves.push(quote!(#name: self.#slot));
            let maybe = format_ident!("maybe_{}", plain(name));
            let setter = if is_tracked(f, groups) {
                // A group's field: its plain setter records that it is set.
                let state = states_left
                    .next()
                    .unwrap_or_else(|| unreachable!("one state per tracked field"));
                let unset = quote_spanned!(ty.span()=> #state: __private::Unset);
                let after = states.iter().map(|s| {
                    if s == state {
                        quote!(__private::Set)
                    } else {
                        quote!(#s)
                    }
                });
                quote! {
                    #vis fn #name(mut self, value: #value) -> #builder<#(#args,)* #(#after),*>
                    where
                        #unset,
                    {
                        self.#slot = __private::some(value);
                        #builder(self.0, __private::PhantomData)
                    }
                }
            } else {
                quote! {
                    #vis fn #name(self, value: #value) -> Self {
                        self.#maybe(__private::some(value))
                    }
                }
            };
            setters.push(quote! {
                #setter
                #vis fn #maybe(mut self, value: #ty) -> Self {
                    self.#slot = value;
                    self
                }
            });
        } else {
            // Skipped and not an `Option`: its type's `Default` when unset, spanned on the type
            // so that a type without one is reported there, once.
            let default = quote_spanned!(ty.span()=>
                self.#slot.unwrap_or_else(<#ty as __private::Default>::default));
            moves.push(quote!(#name: #default));
            setters.push(quote! {
                #vis fn #name(mut self, value: #value) -> Self {
                    self.#slot = __private::some(value);
                    self
                }
            });
        }
    }
    for group in groups {
        let group_states: Vec<&syn::Ident> = group.iter().map(|n| state_of(n)).collect();
        let trait_ident = format_ident!("{}", each(group, "_or_", |n| n.to_owned()));
        let message = format!(
            "`{ident}::builder()` needs {} (Latipay takes one of them)",
            one_of_text(group)
        );
        let label = format!(
            "call {} before this",
            each(group, " or ", |n| format!("`.{n}(...)`"))
        );
        let note = format!(
            "{} may pass `None`, so {} not count",
            each(group, " and ", |n| format!("`.maybe_{n}(...)`")),
            if group.len() == 1 {
                "it does"
            } else {
                "they do"
            }
        );
        // The tuples of states with at least one `Set`: the first `Set` at position k, `()`
        // before it, anything after it.
        let impls = (0..group.len()).map(|k| {
            // Named as the fields, as the builder's own parameters are: a help that lists the
            // impls reads `(Set, customer_order_id)`.
            let rest = &group_states[k + 1..];
            let before = (0..k).map(|_| quote!(()));
            quote! {
                #[automatically_derived]
                impl<#(#rest),*> #trait_ident for (#(#before,)* __private::Set, #(#rest,)*) {}
            }
        });
        traits.push(quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #trait_ident {}
            #(#impls)*
        });
        bounds.push(quote!((#(#group_states,)*): #trait_ident));
    }
    let builder_doc = format!("A [`{builder}`]: a setter per field, then `build()`.");
    let build_doc = format!("The [`{ident}`]; compiles only when every required field is set.");
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #builder_doc]
            #vis fn builder() -> #builder<#(#args),*> {
                #builder(#empty, __private::PhantomData)
            }
        }
        #(#traits)*
        impl<#(#iparams,)* #(#states),*> #builder<#(#args,)* #(#states),*> #where_clause {
            #(#setters)*
            #[doc = #build_doc]
            #vis fn build(self) -> #ident #ty_generics
            where
                #(#bounds,)*
            {
                __private::finish(#ident { #(#moves,)* })
            }
        }
    }
}

/// "`invoice_id` or `customer_order_id`".
fn one_of_text(group: &[&syn::Ident]) -> String {
    each(group, " or ", |n| format!("`{n}`"))
}

/// Each field of `group` (its name without `r#`) as `show` writes it, joined by `separator`.
fn each(group: &[&syn::Ident], separator: &str, show: impl Fn(&str) -> String) -> String {
    group
        .iter()
        .map(|n| show(&plain(n)))
        .collect::<Vec<_>>()
        .join(separator)
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
        impl #impl_generics #ident #ty_generics #where_clause {
            #vis fn builder() -> #builder<#(#args),*> {
                #builder { __latipay_marker: ::core::marker::PhantomData }
            }
        }
        impl<#(#iparams),*> #builder<#(#args),*> #where_clause {
            #(#setters)*
            #vis fn build(self) -> #ident #ty_generics {
                ::core::unreachable!()
            }
        }
    };
    (definition, impls)
}
