//! The typed builder: `Order::builder().amount(..)...build()`. Each required field is a type
//! parameter that is `()` until its setter is called and then `(T,)`, the value; `build()`
//! requires each one, one bound per field, so leaving one out is a compile error naming that field.
//! The states are plain tuples, not runtime types, so that the error names nothing of the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Container, Field};

fn builder_ident(cont: &Container<'_>) -> syn::Ident {
    format_ident!("{}Builder", cont.ident)
}

fn is_required(f: &Field<'_>) -> bool {
    f.option_inner.is_none()
}

/// The state parameter of each required field, in field order.
fn states(cont: &Container<'_>) -> Vec<(usize, syn::Ident)> {
    cont.fields
        .iter()
        .filter(|f| is_required(f))
        .enumerate()
        .map(|(i, _)| (i, format_ident!("__S{}", i)))
        .collect()
}

fn is_set_trait(cont: &Container<'_>, f: &Field<'_>) -> syn::Ident {
    format_ident!("__{}_{}", builder_ident(cont), plain(f.ident))
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
        #vis struct #builder<#(#params,)* #(#state_params),*> #where_clause {
            #(#fields,)*
            __latipay_marker: ::core::marker::PhantomData<fn() -> #ident<#(#args),*>>,
        }
    }
}

/// The builder's impls, inside the `const _` block.
pub fn impls(cont: &Container<'_>) -> TokenStream {
    let vis = cont.vis;
    let ident = cont.ident;
    let builder = builder_ident(cont);
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let iparams = impl_params(cont);
    let args = own_args(cont);
    let states = states(cont);
    let all_states: Vec<&syn::Ident> = states.iter().map(|(_, s)| s).collect();
    let required: Vec<&Field<'_>> = cont.fields.iter().filter(|f| is_required(f)).collect();
    let optional: Vec<&Field<'_>> = cont.fields.iter().filter(|f| !is_required(f)).collect();

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
        let before = all_states.iter().enumerate().map(|(j, s)| {
            if j == i { quote!(()) } else { quote!(#s) }
        });
        let after: Vec<TokenStream> = all_states
            .iter()
            .enumerate()
            .map(|(j, s)| {
                if j == i { quote!((#ty,)) } else { quote!(#s) }
            })
            .collect();
        let moves = cont.fields.iter().map(|g| {
            let gname = g.ident;
            if g.ident == f.ident {
                quote!(#gname: (::core::convert::Into::into(value),))
            } else {
                quote!(#gname: self.#gname)
            }
        });
        let doc = format!("Sets `{}` (required).", plain(name));
        quote! {
            impl<#(#iparams,)* #(#others),*> #builder<#(#args,)* #(#before),*> #where_clause {
                #[doc = #doc]
                #vis fn #name(self, value: impl ::core::convert::Into<#ty>) -> #builder<#(#args,)* #(#after),*> {
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
        quote! {
            #[doc = #doc]
            #vis fn #name(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                self.#name = ::core::option::Option::Some(::core::convert::Into::into(value));
                self
            }
            #[doc = #maybe_doc]
            #vis fn #maybe(mut self, value: ::core::option::Option<#inner>) -> Self {
                self.#name = value;
                self
            }
        }
    });

    // `build()` needs every required field; each is its own bound, so each missing one is its
    // own error, in words.
    let traits = required.iter().map(|f| {
        let trait_ident = is_set_trait(cont, f);
        let message = format!(
            "missing required field `{}` in `{}::builder()`",
            plain(f.ident),
            ident
        );
        let label = format!("`.{}(...)` was not called before this", plain(f.ident));
        quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #trait_ident<__T> {
                fn __take(self) -> __T;
            }
            impl<__T> #trait_ident<__T> for (__T,) {
                fn __take(self) -> __T {
                    self.0
                }
            }
        }
    });
    let bounds = required.iter().zip(&all_states).map(|(f, s)| {
        let t = is_set_trait(cont, f);
        let ty = f.ty;
        quote!(#s: #t<#ty>)
    });
    let mut state_iter = all_states.iter();
    let build_fields = cont.fields.iter().map(|f| {
        let name = f.ident;
        if is_required(f) {
            let s = state_iter
                .next()
                .unwrap_or_else(|| unreachable!("one state per required field"));
            let t = is_set_trait(cont, f);
            let ty = f.ty;
            quote!(#name: <#s as #t<#ty>>::__take(self.#name))
        } else {
            quote!(#name: self.#name)
        }
    });
    let build_doc = format!("The [`{ident}`]; compiles only when every required field is set.");
    quote! {
        #start
        #(#setters)*
        #(#traits)*
        impl<#(#iparams,)* #(#all_states),*> #builder<#(#args,)* #(#all_states),*> #where_clause {
            #(#optional_setters)*

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
