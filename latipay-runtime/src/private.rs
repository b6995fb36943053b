//! What generated code calls, and nothing else should: the API here may change between patch
//! releases. Nothing of it is documented or named in compile errors: a field of the wrong type is
//! reported through the public marker traits of [`crate::types`], whose hidden `__visit` method is
//! what generated code calls for each field.

pub use crate::signed::Visitor;
pub use crate::wire::{EndpointMeta, FieldMeta, InlineText, Text, WireType, WireValue};
pub use latipay_spec::{Location, RuleKind, SigningKey};
pub use serde_json::value::RawValue;

use crate::response::{Decode, DecodeError, FromJson, RawObject};
use crate::types::StringField;
use crate::{InboundError, Method};
use latipay_spec::SigningRule;

/// Visits the credentials' `user_id` (a `string` field), with the field's flags.
#[inline(always)]
pub fn user_id(v: &mut impl Visitor, credentials: &crate::Credentials, flags: u8) {
    <str as StringField>::__visit(v, "&user_id=", flags, credentials.user_id());
}

/// Visits the credentials' `wallet_id` (a `string` field), with the field's flags.
#[inline(always)]
pub fn wallet_id(v: &mut impl Visitor, credentials: &crate::Credentials, flags: u8) {
    <str as StringField>::__visit(v, "&wallet_id=", flags, credentials.wallet_id());
}

/// [`field`] flag: the request is valid without the field.
pub const OPTIONAL: u8 = 1;
/// [`field`] flag: the signature does not cover the field.
pub const UNSIGNED: u8 = 2;
/// [`field`] flag: the field goes in the query string (the body otherwise).
pub const IN_QUERY: u8 = 4;
/// [`field`] flag: the field is a `{name}` segment of the path.
pub const IN_PATH: u8 = 8;
/// [`field`] flag: a zero value is refused (the spec's `positive: true`).
pub const POSITIVE: u8 = 16;

/// A field's description from its `&name=` text, its type and [`OPTIONAL`], [`UNSIGNED`],
/// [`IN_QUERY`], [`IN_PATH`] or [`POSITIVE`] or'ed together (0 for a required, signed body field). Short on
/// purpose: generated code writes these per field, and every token a derive emits costs compile
/// time. Inlined, with literal arguments it folds to a constant.
#[inline(always)]
pub const fn field(joined: &'static str, ty: WireType, flags: u8) -> FieldMeta {
    // `&name=` without its first and last byte; the derive writes only such texts.
    let (_, rest) = joined.split_at(1);
    let (name, _) = rest.split_at(rest.len() - 1);
    FieldMeta {
        name,
        joined,
        ty,
        location: if flags & IN_PATH != 0 {
            Location::Path
        } else if flags & IN_QUERY != 0 {
            Location::Query
        } else {
            Location::Body
        },
        optional: flags & OPTIONAL != 0,
        signed: flags & UNSIGNED == 0,
        positive: flags & POSITIVE != 0,
    }
}

/// What an endpoint is unless the derive says otherwise: `POST`, the signature in the body, Rule A,
/// no `one_of` groups. Generated code writes the name and path and only the fields that differ
/// (`EndpointMeta { name, path, ..ENDPOINT_DEFAULTS }`): fewer tokens per struct.
pub const ENDPOINT_DEFAULTS: EndpointMeta = EndpointMeta {
    name: "",
    method: Method::Post,
    path: "",
    signature_in: Location::Body,
    rule: RuleKind::SortedJoin,
    one_of: &[],
};

/// The rules of the spec that the struct's own values must meet before anything is signed, and
/// which the builder's `build()` applies: each `one_of` group of the endpoint has a value, and
/// no amount the spec declares `positive` is zero. The first problem is the error, as
/// [`LatipaySigned::to_request`](crate::LatipaySigned::to_request) reports it (which applies the
/// same rules, with every other check). Needs no credentials: no field these rules read comes
/// from them.
pub fn check_rules<R: crate::LatipaySigned + ?Sized>(request: &R) -> Result<(), crate::Error> {
    crate::signed::check_rules(request)
}

/// The description given to a struct whose derive failed; never used at run time, since the
/// crate does not compile.
pub const STUB_ENDPOINT: EndpointMeta = ENDPOINT_DEFAULTS;

/// Whether every value of `values` (an `enum` field type's [`EnumField::__VALUES`]) is one of
/// `allowed`, the field's values in the spec: what the struct derive asserts, when compiling, of
/// the type of each `enum` field.
///
/// [`EnumField::__VALUES`]: crate::types::EnumField::__VALUES
pub const fn enum_fits(values: &[&str], allowed: &[&str]) -> bool {
    let mut i = 0;
    while i < values.len() {
        let mut j = 0;
        while j < allowed.len() && !bytes_eq(values[i].as_bytes(), allowed[j].as_bytes()) {
            j += 1;
        }
        if j == allowed.len() {
            return false;
        }
        i += 1;
    }
    true
}

/// `a == b`, in a `const fn`.
const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

// What the generated answer types call (see `latipay_spec::codegen`).

/// The member `name` of `object` as a `T`; an absent one is an error unless `T` is an `Option`
/// and the member may be absent or null (`lenient`).
pub fn member<T: FromJson>(
    object: &RawObject,
    name: &str,
    lenient: bool,
) -> Result<T, DecodeError> {
    let problem = |problem: String| DecodeError {
        member: name.to_owned(),
        problem,
    };
    match object.get(name) {
        Some(raw) => T::from_json(raw).map_err(problem),
        None => match T::absent() {
            Some(none) if lenient => Ok(none),
            _ => Err(problem("is missing".to_owned())),
        },
    }
}

/// The members of `object` not in `known`, in the order received.
pub fn extra(object: &RawObject<'_>, known: &[&str]) -> RawObject<'static> {
    object.without(known)
}

/// A nested object of a generated type, from its raw JSON.
pub fn nested<T: Decode>(raw: &RawValue) -> Result<T, String> {
    if !raw.get().starts_with('{') {
        return Err(format!(
            "is {}, not an object",
            latipay_spec::inbound::kind_of(raw)
        ));
    }
    let object = RawObject::parse(raw.get()).map_err(|e| e.0)?;
    T::decode(&object).map_err(|e| format!("member {e}"))
}

/// Verifies `object` by a concatenation rule (Rule B, Rule C).
pub fn verify_concat(
    fields: &[&str],
    append_key: bool,
    object: &RawObject,
    key: &SigningKey,
) -> Result<(), InboundError> {
    let rule = SigningRule::Concat {
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        append_key,
    };
    latipay_spec::inbound::verify(&rule, object, key).map(drop)
}

/// Verifies `object` by Rule A over its own members.
pub fn verify_sorted(object: &RawObject, key: &SigningKey) -> Result<(), InboundError> {
    latipay_spec::inbound::verify(&SigningRule::SortedJoin, object, key).map(drop)
}

/// Verifies the nested object (or each object of the list) `name` of `object` by its model; an
/// absent or null one has nothing to verify.
pub fn verify_nested<T: Decode>(
    object: &RawObject,
    name: &str,
    key: &SigningKey,
) -> Result<(), InboundError> {
    let not_object = || InboundError::NotObject(name.to_owned());
    let Some(raw) = object.get(name) else {
        return Ok(());
    };
    match raw.get().as_bytes().first() {
        Some(b'{') => T::verify(&RawObject::parse(raw.get()).map_err(|_| not_object())?, key),
        Some(b'[') => {
            let items: Vec<RawObject> =
                serde_json::from_str(raw.get()).map_err(|_| not_object())?;
            items.iter().try_for_each(|item| T::verify(item, key))
        }
        Some(b'n') => Ok(()),
        _ => Err(not_object()),
    }
}

/// Reads an answer exactly as [`crate::Client`] does (failure codes, then the response signature,
/// then the typed body), without any HTTP: for the fuzz targets and the property tests.
#[cfg(feature = "client")]
pub fn decode_response<R: crate::LatipaySigned>(
    status: u16,
    body: &str,
    credentials: &crate::Credentials,
) -> Result<R::Response, crate::Error> {
    crate::client::decode::<R>(status, body, credentials)
}

// What the typed builder (`#[latipay(builder)]`) calls, generic here so that each struct's
// expansion stays small: its setters write the `Option`s of a tuple through `some`, and
// `build()` takes them out with `req` and returns the struct through `finish`. `Money`, `Set`
// and `Unset` can be named in a merchant's errors; the crate root re-exports them (hidden), so
// that rustc names them without this module's path.

pub use ::core::convert::Into;
pub use ::core::default::Default;
pub use ::core::marker::PhantomData;
pub use ::core::option::Option::None;

/// What a setter of money (a spec `amount` or `decimal`) takes: anything `Into` the field's
/// type, with the derive's message for the float that it can never be.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used for a Latipay amount: money is never a float",
    label = "this setter takes a `{T}`",
    note = "use `latipay_runtime::Amount` (`Amount::parse(\"10.50\")`), or a `String` of decimal text (checked when signing)"
)]
pub trait Money<T> {
    /// The value as the field's type.
    fn into_field(self) -> T;
}

#[diagnostic::do_not_recommend]
impl<T, V: Into<T>> Money<T> for V {
    #[inline(always)]
    fn into_field(self) -> T {
        self.into()
    }
}

/// The state of a required field of a builder once its setter is called (`()` before): what
/// `build()` requires, through the field's own trait and message.
pub struct Set;

/// The state of a required field of a builder before its setter is called ([`Set`] after): a
/// setter's bound, so that a second call is an error in these words.
#[diagnostic::on_unimplemented(
    message = "this field of the builder is already set",
    label = "set a second time here"
)]
pub trait Unset {}

impl Unset for () {}

/// The value a setter was given, as the field's type.
#[inline(always)]
pub fn some<T, V: Money<T>>(value: V) -> Option<T> {
    Some(value.into_field())
}

/// A required field's value in `build()`, which compiles only once its setter was called.
#[inline(always)]
pub fn req<T>(value: Option<T>) -> T {
    match value {
        Some(value) => value,
        None => unreachable!("the builder's type state has every required field set"),
    }
}

/// What `build()` returns its struct through: the one place for a check of the finished request
/// (the spec's `one_of` groups, positive amounts) when the builder gets one.
#[inline(always)]
pub fn finish<T>(value: T) -> T {
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_fits_when_every_value_is_allowed() {
        const ALLOWED: &[&str] = &["wechat", "alipay"];
        assert!(enum_fits(&[], ALLOWED));
        assert!(enum_fits(&["alipay"], ALLOWED));
        assert!(enum_fits(&["alipay", "wechat"], ALLOWED));
        assert!(!enum_fits(&["alipay", "paypal"], ALLOWED));
        assert!(!enum_fits(&["wecha"], ALLOWED));
        assert!(!enum_fits(&["wechat1"], ALLOWED));
        assert!(!enum_fits(&["1"], &[]));
    }

    #[test]
    fn field_flags_decode() {
        const F: FieldMeta = field("&card_number=", WireType::String, IN_PATH | UNSIGNED);
        assert_eq!(
            (F.name, F.joined, F.location, F.optional, F.signed),
            ("card_number", "&card_number=", Location::Path, false, false)
        );
        let g = field("&backPage_url=", WireType::Url, OPTIONAL | IN_QUERY);
        assert_eq!(
            (g.name, g.location, g.optional, g.signed),
            ("backPage_url", Location::Query, true, true)
        );
        let h = field("&ip=", WireType::Ipv4, 0);
        assert_eq!(
            (h.name, h.location, h.optional, h.signed, h.positive),
            ("ip", Location::Body, false, true, false)
        );
        let a = field("&amount=", WireType::Amount, POSITIVE);
        assert_eq!(
            (a.name, a.optional, a.signed, a.positive),
            ("amount", false, true, true)
        );
    }
}
