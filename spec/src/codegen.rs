//! Rust types from models: what the runtime's built-in answer types are generated from (into the
//! checked-in `latipay-runtime/src/response/models.rs`) and what the derive generates for a
//! merchant's own model. One generator, so a built-in answer and a merchant's read alike.
//!
//! Each model becomes a struct with one public field per member (Rust names in snake case), the
//! envelope first for an answer, and `extra` for the members the spec does not declare. Each enum
//! member becomes an enum with an `Other(String)` case. The generated code only describes: it
//! calls small generic helpers of the runtime's `__private` module to read and verify.
//!
//! The same enums, without `Other`, are the types of the requests' `enum` fields
//! ([`request_enums`], into `latipay-runtime/src/request.rs`); what makes an enum such a type
//! ([`sent_enum_impls`]) is also what `#[derive(LatipayEnum)]` generates for a merchant's enum.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Model, ModelSignature, ModelType, SigningRule, Spec};

/// How the generated code names things.
pub struct Names<'a> {
    /// The path of the runtime crate (`crate` inside it, `_latipay` in a derive).
    pub krate: TokenStream,
    /// The Rust type name of a model.
    pub type_name: &'a dyn Fn(&str) -> String,
    /// The visibility of the generated items.
    pub vis: TokenStream,
}

/// The types of the models `names` of `spec`, and of the shared enums (`enums:`) their members
/// name, each once, named by `n.type_name` as the models are.
pub fn models(spec: &Spec, names: &[&str], n: &Names<'_>) -> TokenStream {
    let models: Vec<&Model> = names.iter().filter_map(|name| spec.model(name)).collect();
    let shared: std::collections::BTreeSet<&str> = models
        .iter()
        .flat_map(|m| &m.fields)
        .filter_map(|f| f.named_enum.as_deref())
        .collect();
    let mut out: TokenStream = models.iter().map(|m| model(m, n)).collect();
    for e in shared.iter().filter_map(|name| spec.named_enum(name)) {
        out.extend(enumeration(
            &(n.type_name)(&e.name),
            &e.values,
            n,
            &e.doc,
            Direction::Received,
        ));
    }
    out
}

/// `snake_case` Rust name of a wire name (`messageCN` -> `message_cn`, `backPage_url` ->
/// `back_page_url`), raw when it is a keyword.
pub fn field_ident(wire: &str) -> Ident {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in wire.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            prev_lower = false;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if syn_keyword(&out) {
        Ident::new_raw(&out, Span::call_site())
    } else {
        Ident::new(&out, Span::call_site())
    }
}

fn syn_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern",
        "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
        "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use",
        "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro", "override",
        "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    KEYWORDS.contains(&s)
}

/// `PascalCase` of a spec name or enum value (`invoice_item` -> `InvoiceItem`, `upi_upop` ->
/// `UpiUpop`, `1` -> `V1`).
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

fn doc(text: &str) -> TokenStream {
    if text.is_empty() {
        return TokenStream::new();
    }
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

fn model(m: &Model, n: &Names<'_>) -> TokenStream {
    let krate = &n.krate;
    let vis = &n.vis;
    let ty = format_ident!("{}", (n.type_name)(&m.name));
    let mut enums = TokenStream::new();
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    let mut nested = Vec::new();
    if m.envelope {
        fields.push(quote! {
            #[doc = " Latipay's result code: 0, since only a success is decoded."]
            #vis code: i64,
            #[doc = " Latipay's message, in English."]
            #vis message: ::std::string::String,
            #[doc = " Latipay's message, in Chinese (`messageCN`)."]
            #vis message_cn: ::std::string::String,
        });
        reads.push(quote! {
            code: #krate::__private::member(__object, "code", false)?,
            message: #krate::__private::member::<::core::option::Option<::std::string::String>>(__object, "message", true)?.unwrap_or_default(),
            message_cn: #krate::__private::member::<::core::option::Option<::std::string::String>>(__object, "messageCN", true)?.unwrap_or_default(),
        });
    }
    for f in &m.fields {
        let ident = field_ident(&f.name);
        let wire = &f.name;
        let inner = match &f.named_enum {
            // A shared enum's type, generated once by `models`.
            Some(shared) => {
                let ident = format_ident!("{}", (n.type_name)(shared));
                quote!(#ident)
            }
            None => rust_type(
                &f.ty,
                &format!("{}{}", (n.type_name)(&m.name), pascal(&f.name)),
                n,
                &mut enums,
                &f.doc,
            ),
        };
        let lenient = f.optional || f.nullable;
        let ty = if lenient {
            quote!(::core::option::Option<#inner>)
        } else {
            inner
        };
        let mut text = f.doc.clone();
        if !text.is_empty() {
            text.push_str(". ");
        }
        text.push_str(&format!("`{wire}`, {}", type_words(&f.ty)));
        if f.optional {
            text.push_str(", may be absent");
        }
        if f.nullable {
            text.push_str(", may be null");
        }
        text.push('.');
        let field_doc = doc(&text);
        fields.push(quote! {
            #field_doc
            #vis #ident: #ty,
        });
        reads.push(quote! {
            #ident: #krate::__private::member(__object, #wire, #lenient)?,
        });
        if let Some(inner_model) = f.ty.nested_model() {
            let inner_ty = format_ident!("{}", (n.type_name)(inner_model));
            nested.push(quote! {
                #krate::__private::verify_nested::<#inner_ty>(__object, #wire, __key)?;
            });
        }
    }
    let known: Vec<&str> = m
        .envelope
        .then_some(crate::model::ENVELOPE)
        .into_iter()
        .flatten()
        .copied()
        .chain(m.fields.iter().map(|f| f.name.as_str()))
        .collect();
    let (verify_self, sig_doc) = match &m.signature {
        ModelSignature::None => (TokenStream::new(), "Not signed by Latipay.".to_owned()),
        ModelSignature::Undocumented(reason) => (
            TokenStream::new(),
            format!("Its `signature` is kept but not verified: {reason}"),
        ),
        ModelSignature::Signed(SigningRule::SortedJoin) => (
            quote!(#krate::__private::verify_sorted(__object, __key)?;),
            "Verified before it is decoded: Rule A over its own members.".to_owned(),
        ),
        ModelSignature::Signed(SigningRule::Concat { fields, append_key }) => (
            quote!(#krate::__private::verify_concat(&[#(#fields),*], #append_key, __object, __key)?;),
            format!(
                "Verified before it is decoded: the signature covers {}.",
                fields
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(" + ")
            ),
        ),
    };
    let (object_arg, key_arg) = if verify_self.is_empty() && nested.is_empty() {
        (quote!(_), quote!(_))
    } else {
        (quote!(__object), quote!(__key))
    };
    let struct_doc = doc(&format!("`{}`: {}", m.name, m.doc));
    let sig_doc = doc(&sig_doc);
    let name = &m.name;
    quote! {
        #struct_doc
        #[doc = ""]
        #sig_doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #vis struct #ty {
            #(#fields)*
            #[doc = " Members the spec does not declare, as received: what Latipay adds later is kept."]
            #vis extra: #krate::response::RawObject<'static>,
        }

        #[automatically_derived]
        impl #krate::response::Decode for #ty {
            const MODEL: &'static str = #name;

            fn decode(__object: &#krate::response::RawObject) -> ::core::result::Result<Self, #krate::response::DecodeError> {
                ::core::result::Result::Ok(#ty {
                    #(#reads)*
                    extra: #krate::__private::extra(__object, &[#(#known),*]),
                })
            }

            fn verify(
                #object_arg: &#krate::response::RawObject,
                #key_arg: &#krate::__private::SigningKey,
            ) -> ::core::result::Result<(), #krate::InboundError> {
                #verify_self
                #(#nested)*
                ::core::result::Result::Ok(())
            }
        }

        #[automatically_derived]
        impl #krate::response::FromJson for #ty {
            fn from_json(__raw: &#krate::__private::RawValue) -> ::core::result::Result<Self, ::std::string::String> {
                #krate::__private::nested(__raw)
            }
        }

        #enums
    }
}

fn type_words(ty: &ModelType) -> String {
    match ty {
        ModelType::String => "text".to_owned(),
        ModelType::Integer => "a whole number".to_owned(),
        ModelType::Boolean => "true or false".to_owned(),
        ModelType::Amount => "money as the exact text received".to_owned(),
        ModelType::Decimal => "a number as the exact text received".to_owned(),
        ModelType::Enum(values) => format!("one of {}", values.join(", ")),
        ModelType::Object => "name/value pairs in the server's order".to_owned(),
        ModelType::List(inner) => format!("a list of {}", type_words(inner)),
        ModelType::Model(name) => format!("a `{name}` object"),
    }
}

fn rust_type(
    ty: &ModelType,
    enum_name: &str,
    n: &Names<'_>,
    enums: &mut TokenStream,
    field_doc: &str,
) -> TokenStream {
    let krate = &n.krate;
    match ty {
        ModelType::String => quote!(::std::string::String),
        ModelType::Integer => quote!(i64),
        ModelType::Boolean => quote!(bool),
        ModelType::Amount | ModelType::Decimal => quote!(#krate::response::AmountText),
        ModelType::Object => quote!(#krate::response::Params),
        ModelType::List(inner) => {
            let inner = rust_type(inner, enum_name, n, enums, field_doc);
            quote!(::std::vec::Vec<#inner>)
        }
        ModelType::Model(name) => {
            let ident = format_ident!("{}", (n.type_name)(name));
            quote!(#ident)
        }
        ModelType::Enum(values) => {
            enums.extend(enumeration(
                enum_name,
                values,
                n,
                field_doc,
                Direction::Received,
            ));
            let ident = format_ident!("{enum_name}");
            quote!(#ident)
        }
    }
}

/// Whose values an enum holds: what Latipay sends (a value the spec does not list is kept in
/// `Other`), or what a merchant sends (only the values the spec lists).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Received,
    Sent,
}

/// An enum of the spec's values: for a member Latipay sends, with `Other` keeping a value the
/// spec does not list; for a request field, only the listed values, with [`sent_enum_impls`].
fn enumeration(
    name: &str,
    values: &[String],
    n: &Names<'_>,
    field_doc: &str,
    direction: Direction,
) -> TokenStream {
    let krate = &n.krate;
    let vis = &n.vis;
    let ident = format_ident!("{name}");
    let variants: Vec<Ident> = values
        .iter()
        .map(|v| format_ident!("{}", pascal(v)))
        .collect();
    let docs = values.iter().map(|v| format!(" `{v}`"));
    let fallback_doc = match direction {
        Direction::Received => {
            "The values the spec lists; `Other` keeps any other value as received."
        }
        Direction::Sent => "The values the spec lists.",
    };
    let enum_doc = doc(if field_doc.is_empty() {
        fallback_doc
    } else {
        field_doc
    });
    let display = quote! {
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __f.write_str(self.as_str())
            }
        }
    };
    if direction == Direction::Sent {
        let impls = sent_enum_impls(krate, &ident, &variants, values);
        return quote! {
            #enum_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #vis enum #ident {
                #(#[doc = #docs] #variants,)*
            }

            impl #ident {
                /// The value as it is sent and signed.
                #vis fn as_str(&self) -> &'static str {
                    <Self as #krate::LatipayEnum>::as_str(self)
                }
            }

            #display

            #impls
        };
    }
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #vis enum #ident {
            #(#[doc = #docs] #variants,)*
            /// A value the spec does not list, kept as received.
            Other(::std::string::String),
        }

        impl #ident {
            /// The value as Latipay writes it.
            #vis fn as_str(&self) -> &str {
                match self {
                    #(#ident::#variants => #values,)*
                    #ident::Other(__other) => __other,
                }
            }
        }

        impl ::core::convert::From<&str> for #ident {
            fn from(__value: &str) -> Self {
                match __value {
                    #(#values => #ident::#variants,)*
                    __other => #ident::Other(__other.to_owned()),
                }
            }
        }

        #display

        #[automatically_derived]
        impl #krate::response::FromJson for #ident {
            fn from_json(__raw: &#krate::__private::RawValue) -> ::core::result::Result<Self, ::std::string::String> {
                <::std::string::String as #krate::response::FromJson>::from_json(__raw).map(|__s| #ident::from(__s.as_str()))
            }
        }
    }
}

/// What makes a Rust enum of unit variants the type of a request's `enum` field: `variants[i]`
/// is sent as `values[i]`, which the caller has checked against the spec. The runtime's
/// `LatipayEnum` (the value of each variant, without allocating), its `types::EnumField` marker
/// (which the struct derive requires of an `enum` field's type, with these values, so that the
/// enum is only used for a field that takes them all) and the wire text. The runtime's generated
/// enums and `#[derive(LatipayEnum)]` both come from here: `krate` is the runtime's path.
pub fn sent_enum_impls(
    krate: &TokenStream,
    ident: &Ident,
    variants: &[Ident],
    values: &[String],
) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl #krate::LatipayEnum for #ident {
            const VALUES: &'static [&'static str] = &[#(#values),*];

            #[inline]
            fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        #[automatically_derived]
        impl #krate::types::EnumField for #ident {
            const __VALUES: &'static [&'static str] = <Self as #krate::LatipayEnum>::VALUES;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #krate::__private::WireValue for #ident {
            #[inline]
            fn wire_text(
                &self,
                __ty: #krate::__private::WireType,
            ) -> ::core::result::Result<::core::option::Option<#krate::__private::Text<'_>>, #krate::ValueError> {
                <str as #krate::__private::WireValue>::wire_text(<Self as #krate::LatipayEnum>::as_str(self), __ty)
            }
        }
    }
}

/// An enum for each `enum` field of the endpoints' requests that the merchant fills in (not a
/// `const`), named after the endpoint and the field (`TransactionPaymentMethod`), in the order of
/// the endpoints' names and then of their fields.
pub fn request_enums(spec: &Spec, n: &Names<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    for e in spec.endpoints.values() {
        for f in &e.fields {
            let (crate::model::FieldType::Enum(values), crate::model::Source::Merchant) =
                (&f.ty, &f.source)
            else {
                continue;
            };
            let name = format!("{}{}", (n.type_name)(&e.name), pascal(&f.name));
            let mut text = format!("`{}` of `{}`", f.name, e.name);
            if !f.doc.is_empty() {
                text.push_str(": ");
                text.push_str(&f.doc);
            }
            text.push('.');
            out.extend(enumeration(&name, values, n, &text, Direction::Sent));
        }
    }
    out
}

/// `Code`, Latipay's result codes as an enum, from the spec's `codes:`; an unknown code is kept
/// as `Other`.
pub fn codes(spec: &Spec) -> TokenStream {
    let variants: Vec<Ident> = spec
        .codes
        .iter()
        .map(|c| format_ident!("{}", pascal(&c.name)))
        .collect();
    let numbers: Vec<i64> = spec.codes.iter().map(|c| c.code).collect();
    let messages: Vec<&str> = spec.codes.iter().map(|c| c.message.as_str()).collect();
    let docs = spec.codes.iter().map(|c| {
        if c.doc.is_empty() {
            format!(" {}: {}.", c.code, c.message)
        } else {
            format!(" {}: {} ({}).", c.code, c.message, c.doc)
        }
    });
    quote! {
        /// A Latipay result code other than 0 (success). Codes the spec does not list are kept
        /// as [`Code::Other`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            #(#[doc = #docs] #variants,)*
            /// A code not in Latipay's documentation.
            Other(i64),
        }

        impl Code {
            /// The code for `n`.
            pub fn from_i64(n: i64) -> Code {
                match n {
                    #(#numbers => Code::#variants,)*
                    other => Code::Other(other),
                }
            }

            /// The number Latipay sends.
            pub fn as_i64(self) -> i64 {
                match self {
                    #(Code::#variants => #numbers,)*
                    Code::Other(n) => n,
                }
            }

            /// What Latipay's documentation says the code means.
            pub fn meaning(self) -> &'static str {
                match self {
                    #(Code::#variants => #messages,)*
                    Code::Other(_) => "not in Latipay's documentation",
                }
            }
        }

        impl ::core::fmt::Display for Code {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{} ({})", self.as_i64(), self.meaning())
            }
        }
    }
}

/// The built-in spec as Rust code: `spec/src/builtin.rs`, which builds the same [`Spec`] that
/// parsing `latipay.yaml` gives, so that a program that only signs and verifies needs no YAML
/// parser.
pub fn spec_literal(spec: &Spec) -> TokenStream {
    let origin = &spec.origin;
    let endpoints = spec.endpoints.iter().map(|(k, v)| {
        let v = endpoint(v);
        quote!((#k.to_owned(), #v))
    });
    let inbound = spec.inbound.iter().map(|(k, v)| {
        let v = inbound(v);
        quote!((#k.to_owned(), #v))
    });
    let models = spec.models.iter().map(|(k, v)| {
        let v = model_literal(v);
        quote!((#k.to_owned(), #v))
    });
    let codes = spec.codes.iter().map(|c| {
        let (name, code, message, doc) = (&c.name, c.code, &c.message, &c.doc);
        quote!(ResultCode { name: #name.to_owned(), code: #code, message: #message.to_owned(), doc: #doc.to_owned() })
    });
    let enums = spec.enums.iter().map(|(k, e)| {
        let (name, doc) = (&e.name, &e.doc);
        let values = strings(&e.values);
        quote!((#k.to_owned(), NamedEnum { name: #name.to_owned(), doc: #doc.to_owned(), values: #values }))
    });
    quote! {
        use std::collections::BTreeMap;

        use crate::model::*;

        /// The built-in spec, as parsing `latipay.yaml` gives it.
        pub(crate) fn spec() -> Spec {
            Spec {
                origin: #origin.to_owned(),
                endpoints: BTreeMap::from([#(#endpoints),*]),
                inbound: BTreeMap::from([#(#inbound),*]),
                models: BTreeMap::from([#(#models),*]),
                codes: vec![#(#codes),*],
                enums: BTreeMap::from([#(#enums),*]),
            }
        }
    }
}

fn position(p: &crate::model::Position) -> TokenStream {
    let (line, column) = (p.line, p.column);
    quote!(Position { line: #line, column: #column })
}

fn strings(names: &[String]) -> TokenStream {
    quote!(vec![#(#names.to_owned()),*])
}

fn rule(r: &SigningRule) -> TokenStream {
    match r {
        SigningRule::SortedJoin => quote!(SigningRule::SortedJoin),
        SigningRule::Concat { fields, append_key } => {
            let fields = strings(fields);
            quote!(SigningRule::Concat { fields: #fields, append_key: #append_key })
        }
    }
}

fn endpoint(e: &crate::model::Endpoint) -> TokenStream {
    use crate::model::{FieldType, Location, Method, Source};
    let (name, doc, path) = (&e.name, &e.doc, &e.path);
    let method = match e.method {
        Method::Get => quote!(Method::Get),
        Method::Post => quote!(Method::Post),
        Method::Put => quote!(Method::Put),
        Method::Delete => quote!(Method::Delete),
    };
    let location = |l: Location| match l {
        Location::Body => quote!(Location::Body),
        Location::Query => quote!(Location::Query),
        Location::Path => quote!(Location::Path),
    };
    let fields = e.fields.iter().map(|f| {
        let (name, doc, optional, signed, positive) =
            (&f.name, &f.doc, f.optional, f.signed, f.positive);
        let ty = match &f.ty {
            FieldType::String => quote!(FieldType::String),
            FieldType::Amount => quote!(FieldType::Amount),
            FieldType::Decimal => quote!(FieldType::Decimal),
            FieldType::Url => quote!(FieldType::Url),
            FieldType::Ipv4 => quote!(FieldType::Ipv4),
            FieldType::Integer => quote!(FieldType::Integer),
            FieldType::Boolean => quote!(FieldType::Boolean),
            FieldType::Enum(values) => {
                let values = strings(values);
                quote!(FieldType::Enum(#values))
            }
        };
        let loc = location(f.location);
        let source = match &f.source {
            Source::Merchant => quote!(Source::Merchant),
            Source::Credentials => quote!(Source::Credentials),
            Source::Const(c) => quote!(Source::Const(#c.to_owned())),
        };
        quote!(Field { name: #name.to_owned(), ty: #ty, location: #loc, optional: #optional, source: #source, signed: #signed, positive: #positive, doc: #doc.to_owned() })
    });
    let signing = match &e.signing {
        Some(r) => {
            let r = rule(r);
            quote!(Some(#r))
        }
        None => quote!(None),
    };
    let signature_in = location(e.signature_in);
    let model = &e.response.model;
    let one_of = e.one_of.iter().map(|group| strings(group));
    let replaces = e.replaces;
    let pos = position(&e.position);
    quote! {
        Endpoint {
            name: #name.to_owned(),
            doc: #doc.to_owned(),
            method: #method,
            path: #path.to_owned(),
            fields: vec![#(#fields),*],
            signing: #signing,
            signature_in: #signature_in,
            response: Response { model: #model.to_owned() },
            one_of: vec![#(#one_of),*],
            replaces: #replaces,
            position: #pos,
        }
    }
}

fn inbound(i: &crate::model::Inbound) -> TokenStream {
    let (name, doc, model) = (&i.name, &i.doc, &i.model);
    let encoding = match i.encoding {
        crate::model::Encoding::Form => quote!(Encoding::Form),
        crate::model::Encoding::Query => quote!(Encoding::Query),
    };
    let signature = rule(&i.signature);
    let replaces = i.replaces;
    quote!(Inbound { name: #name.to_owned(), doc: #doc.to_owned(), encoding: #encoding, model: #model.to_owned(), signature: #signature, replaces: #replaces })
}

fn model_type(t: &ModelType) -> TokenStream {
    match t {
        ModelType::String => quote!(ModelType::String),
        ModelType::Integer => quote!(ModelType::Integer),
        ModelType::Boolean => quote!(ModelType::Boolean),
        ModelType::Amount => quote!(ModelType::Amount),
        ModelType::Decimal => quote!(ModelType::Decimal),
        ModelType::Enum(values) => {
            let values = strings(values);
            quote!(ModelType::Enum(#values))
        }
        ModelType::Object => quote!(ModelType::Object),
        ModelType::List(inner) => {
            let inner = model_type(inner);
            quote!(ModelType::List(Box::new(#inner)))
        }
        ModelType::Model(name) => quote!(ModelType::Model(#name.to_owned())),
    }
}

fn model_literal(m: &Model) -> TokenStream {
    let (name, doc, envelope) = (&m.name, &m.doc, m.envelope);
    let fields = m.fields.iter().map(|f| {
        let (name, doc, optional, nullable) = (&f.name, &f.doc, f.optional, f.nullable);
        let ty = model_type(&f.ty);
        let named_enum = match &f.named_enum {
            Some(e) => quote!(Some(#e.to_owned())),
            None => quote!(None),
        };
        quote!(ModelField { name: #name.to_owned(), ty: #ty, optional: #optional, nullable: #nullable, named_enum: #named_enum, doc: #doc.to_owned() })
    });
    let signature = match &m.signature {
        ModelSignature::None => quote!(ModelSignature::None),
        ModelSignature::Undocumented(reason) => {
            quote!(ModelSignature::Undocumented(#reason.to_owned()))
        }
        ModelSignature::Signed(r) => {
            let r = rule(r);
            quote!(ModelSignature::Signed(#r))
        }
    };
    let pos = position(&m.position);
    quote! {
        Model {
            name: #name.to_owned(),
            doc: #doc.to_owned(),
            fields: vec![#(#fields),*],
            signature: #signature,
            envelope: #envelope,
            position: #pos,
        }
    }
}
