//! What the runtime calls on its signing hot path, and nothing else should: not public API, and it
//! may change between patch releases.

use crate::sign::{RuleKind, Signature, Signer, SigningKey};

/// Signs what `fields` writes into a signer that is never moved (see `Signer::sign_with`).
#[inline(always)]
pub fn sign_with<'k>(
    key: &'k SigningKey,
    rule: RuleKind,
    fields: impl FnOnce(&mut Signer<'k>),
) -> Signature {
    Signer::sign_with(key, rule, fields)
}

/// Adds one field to `signer`, given as `&name=` (what generated code has as a constant) and its
/// value's UTF-8 bytes, skipped when empty: two writes into the HMAC instead of four.
#[inline(always)]
pub fn field_joined(signer: &mut Signer<'_>, joined: &str, value: &[u8]) {
    signer.field_joined(joined, value);
}
