//! Whether a field's Rust type can carry its spec type, decided from the type's syntax alone, so
//! that a plain mismatch (`callback_url: Vec<u8>`) is reported by the derive in the same round as
//! the other mistakes. Only std types are judged: a type the derive does not know (the merchant's
//! own, a generic parameter, an alias) is left to the marker trait's bound, as the runtime's
//! `types` module lists what each spec type takes.

use latipay_spec::FieldType;

/// A std type the derive recognises, by what it can carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `String`, `str`, `Cow<str>`, `Box<str>`.
    Text,
    /// `i8` ... `u64`, `isize`, `usize`.
    Integer,
    Bool,
    Ipv4Addr,
    /// A std type no spec type takes: collections, arrays, tuples, floats, `char`, ...
    Never,
}

/// The derive's message when `ty` plainly cannot carry `spec`, or `None` when it can or when the
/// type is not one the derive knows.
pub fn mismatch(field: &str, ty: &syn::Type, spec: &FieldType) -> Option<String> {
    let kind = kind(ty)?;
    let fits = match spec {
        FieldType::String | FieldType::Url | FieldType::Enum(_) => kind == Kind::Text,
        FieldType::Amount | FieldType::Decimal => kind == Kind::Text,
        FieldType::Ipv4 => matches!(kind, Kind::Text | Kind::Ipv4Addr),
        FieldType::Integer => kind == Kind::Integer,
        FieldType::Boolean => kind == Kind::Bool,
    };
    if fits {
        return None;
    }
    const TEXT: &str = "`String`, `&str`, `Cow<str>` or `Box<str>`";
    // `Option<T>` is how a field is optional: what cannot carry the spec type is `T`.
    let written = crate::builder::type_text(crate::ast::option_inner(ty).unwrap_or(ty));
    let (what, accepts) = match spec {
        FieldType::String => ("a string".to_owned(), format!("use {TEXT}")),
        FieldType::Amount | FieldType::Decimal => (
            format!(
                "money (an `{}`)",
                if *spec == FieldType::Amount {
                    "amount"
                } else {
                    "decimal"
                }
            ),
            "use `latipay_runtime::Amount`, or a `String` of decimal text (checked when signing)"
                .to_owned(),
        ),
        FieldType::Url => (
            "a url".to_owned(),
            format!("use {TEXT} holding an absolute http:// or https:// URL (checked when signing)"),
        ),
        FieldType::Ipv4 => (
            "an ipv4 address".to_owned(),
            format!("use `std::net::Ipv4Addr`, or {TEXT} (checked when signing)"),
        ),
        FieldType::Integer => (
            "an integer".to_owned(),
            "use an integer type: `u8`, `u16`, `u32`, `u64`, `usize`, `i8`, `i16`, `i32`, `i64` or `isize`"
                .to_owned(),
        ),
        FieldType::Boolean => ("a boolean".to_owned(), "use `bool`".to_owned()),
        FieldType::Enum(values) => {
            let values: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            (
                format!("an enum of fixed texts ({})", values.join(", ")),
                format!(
                    "use an enum deriving `LatipayEnum` for this field (checked when compiling), \
                     or {TEXT} holding one of them (checked when signing)"
                ),
            )
        }
    };
    Some(format!(
        "`{field}` is {what}, which `{written}` cannot carry: {accepts}"
    ))
}

/// The spec type and the Rust type to give a field of it, for a list of missing fields:
/// "ipv4 (`Ipv4Addr` or `String`)".
pub fn accepts(spec: &FieldType) -> String {
    let rust = match spec {
        FieldType::String | FieldType::Url => "`String`",
        FieldType::Enum(_) => "an enum deriving `LatipayEnum`, or `String`",
        FieldType::Amount | FieldType::Decimal => "`latipay_runtime::Amount` or `String`",
        FieldType::Ipv4 => "`Ipv4Addr` or `String`",
        FieldType::Integer => "an integer such as `u32`",
        FieldType::Boolean => "`bool`",
    };
    format!("{} ({rust})", spec.name())
}

/// Whether `ty` is a std type the derive judges (and so not the merchant's own, nor a parameter).
pub fn is_known(ty: &syn::Type) -> bool {
    kind(ty).is_some()
}

/// What a std type can carry, looking through `Option<T>` and `&T` as the marker traits do.
fn kind(ty: &syn::Type) -> Option<Kind> {
    match ty {
        syn::Type::Group(g) => kind(&g.elem),
        syn::Type::Paren(p) => kind(&p.elem),
        syn::Type::Reference(r) => kind(&r.elem),
        syn::Type::Array(_) | syn::Type::Slice(_) | syn::Type::Tuple(_) => Some(Kind::Never),
        syn::Type::Never(_) | syn::Type::Ptr(_) => Some(Kind::Never),
        syn::Type::Path(p) if p.qself.is_none() => path_kind(&p.path),
        _ => None,
    }
}

fn path_kind(path: &syn::Path) -> Option<Kind> {
    // `Name` or `std::...::Name` (`core::`, `alloc::`): a path elsewhere is the merchant's.
    let std_path = path.segments.len() == 1
        || path
            .segments
            .first()
            .is_some_and(|s| s.ident == "std" || s.ident == "core" || s.ident == "alloc");
    if !std_path {
        return None;
    }
    let last = path.segments.last()?;
    let args: Vec<&syn::Type> = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        syn::PathArguments::None => Vec::new(),
        syn::PathArguments::Parenthesized(_) => return None,
    };
    let name = last.ident.to_string();
    Some(match name.as_str() {
        "Option" => return args.first().and_then(|t| kind(t)),
        "String" | "str" => Kind::Text,
        "Cow" => match args.first().map(|t| kind(t)) {
            Some(Some(Kind::Text)) => Kind::Text,
            Some(Some(_)) => Kind::Never,
            _ => return None,
        },
        "Box" => match args.first() {
            Some(syn::Type::Path(p)) if p.path.is_ident("str") => Kind::Text,
            _ => return None,
        },
        "i8" | "i16" | "i32" | "i64" | "isize" | "u8" | "u16" | "u32" | "u64" | "usize" => {
            Kind::Integer
        }
        "bool" => Kind::Bool,
        "Ipv4Addr" => Kind::Ipv4Addr,
        "f32" | "f64" | "char" | "i128" | "u128" | "Vec" | "VecDeque" | "LinkedList"
        | "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet" | "BinaryHeap" | "Ipv6Addr"
        | "IpAddr" | "SocketAddr" | "Duration" | "SystemTime" | "Instant" | "PathBuf" | "Path"
        | "OsString" | "OsStr" | "CString" | "CStr" | "Result" => Kind::Never,
        _ => return None,
    })
}
