//! What generated code calls, and nothing else should: the API here may change between patch
//! releases.

use crate::{Error, FieldMeta, Visitor};

pub use crate::wire::OrElse;
pub use latipay_spec::{Location, Method, RuleKind};

macro_rules! helpers {
    ($($f:ident: $t:ident),*) => {$(
        /// Visits one field whose Rust type must be able to hold this spec type: the bound is on
        /// the merchant's type, so a mismatch is reported there.
        #[inline(always)]
        pub fn $f<V: Visitor, T: crate::types::$t + ?Sized>(
            visitor: &mut V,
            meta: &'static FieldMeta,
            value: &T,
        ) -> Result<(), Error> {
            visitor.field(meta, value)
        }
    )*};
}
helpers!(
    string: StringField,
    amount: AmountField,
    decimal: DecimalField,
    url: UrlField,
    ipv4: Ipv4Field,
    integer: IntegerField,
    boolean: BooleanField,
    enumeration: EnumField
);

/// Builder state of a required field that has not been given yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// Builder state of a required field that has been given.
#[derive(Debug, Clone, Copy)]
pub struct Set<T>(pub T);

/// The description given to a struct whose derive failed; never used at run time, since the
/// crate does not compile.
pub const STUB_ENDPOINT: crate::EndpointMeta = crate::EndpointMeta {
    name: "",
    method: Method::Post,
    path: "",
    signature_in: Location::Body,
    rule: RuleKind::SortedJoin,
    response_signature: &[],
};
