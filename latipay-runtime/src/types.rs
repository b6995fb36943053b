//! Which Rust types a field of each spec type may have. The derive asserts these traits on the
//! merchant's field types, so a mismatch is a compile error on the field's type, in words about
//! Latipay rather than about trait bounds.
//!
//! They are implemented here for the types listed, and only here, with one exception:
//! [`EnumField`] is also implemented by `#[derive(LatipayEnum)]` (and the generated enums of
//! [`crate::request`]) for an enum whose every value the derive has checked against the spec. A
//! value's wire text and checks are the runtime's: the marker traits require its hidden
//! `WireValue`, which is not part of the API, so they cannot be implemented by hand.

use std::borrow::Cow;
use std::net::Ipv4Addr;

use crate::__private::{Visitor, WireType, WireValue, field};
use crate::Amount;
use crate::wire::OrElse;

macro_rules! marker {
    ($(#[$doc:meta])* $name:ident, $message:literal, $label:literal, $note:literal,
     ($($arg:ident: $arg_ty:ty)?) => $wire:expr; $($t:ty),*
     $(; items { $($item:tt)* } forward { $($forward:tt)* })?) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
        pub trait $name: WireValue {
            $($($item)*)?

            /// Visits one field of this spec type. Generated code calls it with the merchant's
            /// field type as `Self`, so a type the spec type cannot take is reported on that type,
            /// naming this trait (a bound of a helper function would name the helper).
            #[doc(hidden)]
            #[inline(always)]
            fn __visit(
                v: &mut impl Visitor,
                joined: &'static str,
                $($arg: $arg_ty,)?
                flags: u8,
                value: &Self,
            ) {
                v.field(&field(joined, $wire, flags), value);
            }

            /// [`Self::__visit`] for a field that falls back to the credentials' value when
            /// absent (a struct's own `wallet_id`): `Self` is still the merchant's type, so the
            /// error names it rather than the wrapper.
            #[doc(hidden)]
            #[inline(always)]
            fn __visit_or(
                v: &mut impl Visitor,
                joined: &'static str,
                $($arg: $arg_ty,)?
                flags: u8,
                value: &Self,
                fallback: &str,
            ) {
                v.field(&field(joined, $wire, flags), &OrElse(value, fallback));
            }
        }
        $(impl $name for $t {})*
        impl<T: $name> $name for Option<T> {
            $($($forward)*)?
        }
        impl<T: $name + ?Sized> $name for &T {
            $($($forward)*)?
        }
    };
}

marker!(
    /// Types for `string` fields.
    StringField,
    "`{Self}` cannot be used for a Latipay `string` field",
    "the spec says this field is a `string`",
    "use `String`, `&str`, `Cow<str>` or `Box<str>`",
    () => WireType::String;
    str, String, Cow<'_, str>, Box<str>
);
marker!(
    /// Types for `amount` fields: an [`Amount`], or text checked and normalised when signing.
    AmountField,
    "`{Self}` cannot be used for a Latipay `amount` field",
    "the spec says this field is an `amount`",
    "use `latipay_runtime::Amount`, or a `String` of decimal text (checked when signing); money is never a float",
    () => WireType::Amount;
    Amount, str, String, Cow<'_, str>, Box<str>
);
marker!(
    /// Types for `decimal` fields (money text kept as written).
    DecimalField,
    "`{Self}` cannot be used for a Latipay `decimal` field",
    "the spec says this field is a `decimal`",
    "use `latipay_runtime::Amount`, or a `String` of decimal text (checked when signing); money is never a float",
    () => WireType::Decimal;
    Amount, str, String, Cow<'_, str>, Box<str>
);
marker!(
    /// Types for `url` fields.
    UrlField,
    "`{Self}` cannot be used for a Latipay `url` field",
    "the spec says this field is a `url`",
    "use a `String` holding an absolute http:// or https:// URL (checked when signing)",
    () => WireType::Url;
    str, String, Cow<'_, str>, Box<str>
);
marker!(
    /// Types for `ipv4` fields.
    Ipv4Field,
    "`{Self}` cannot be used for a Latipay `ipv4` field",
    "the spec says this field is an `ipv4` address",
    "use `std::net::Ipv4Addr`, or a `String` (checked when signing)",
    () => WireType::Ipv4;
    Ipv4Addr, str, String, Cow<'_, str>, Box<str>
);
marker!(
    /// Types for `integer` fields.
    IntegerField,
    "`{Self}` cannot be used for a Latipay `integer` field",
    "the spec says this field is an `integer`",
    "use an integer type such as `u32` or `i64`",
    () => WireType::Integer;
    i8, i16, i32, i64, isize, u8, u16, u32, u64, usize
);
marker!(
    /// Types for `boolean` fields.
    BooleanField,
    "`{Self}` cannot be used for a Latipay `boolean` field",
    "the spec says this field is a `boolean`",
    "use `bool`",
    () => WireType::Boolean;
    bool
);
marker!(
    /// Types for `enum` fields: an enum deriving [`LatipayEnum`](crate::LatipayEnum) for the field
    /// (its values checked when compiling), one of the generated enums of [`crate::request`], or
    /// text checked against the allowed values when signing.
    EnumField,
    "`{Self}` cannot be used for a Latipay `enum` field",
    "the spec says this field is an `enum` of fixed texts",
    "use an enum with `#[derive(LatipayEnum)]` naming this field (its values are checked when compiling), or a `String` or `&str` holding one of the allowed values (checked when signing)",
    (values: &'static [&'static str]) => WireType::Enum(values);
    str, String, Cow<'_, str>, Box<str>;
    items {
        /// Every value the type can hold, which the derive of its enum has checked against the
        /// spec: the struct derive makes sure the field takes them all. Empty for text, whose
        /// value is checked when signing.
        #[doc(hidden)]
        const __VALUES: &'static [&'static str] = &[];
    }
    forward {
        const __VALUES: &'static [&'static str] = T::__VALUES;
    }
);
