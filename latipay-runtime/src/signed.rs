//! The request trait. Generated code only describes a request: which fields, in which order, of
//! which spec type. Signing, the debug message and the HTTP description are generic code here,
//! driven by that description, so each struct adds one short function and nothing else.

use std::sync::OnceLock;

use latipay_spec::__private::{field_joined, sign_with};
use latipay_spec::value::check_positive;
use latipay_spec::{
    HttpRequest, JsonKind, MaskedMessage, RequestWriter, RuleKind, Signature, Signer,
};

use crate::Credentials;
use crate::error::{Error, InvalidRequest, Problem};
use crate::wire::{EndpointMeta, FieldMeta, Text, WireType, WireValue};

/// A Latipay request: a merchant struct with `#[derive(LatipaySigned)]`, or its builder's output.
///
/// The derive writes the description of the request (the endpoint and a visit of its fields,
/// hidden plumbing that may change between releases); everything here is provided from it.
/// Send it with [`Client::send`](crate::Client::send), or sign it yourself.
pub trait LatipaySigned {
    /// The endpoint, as the spec describes it.
    #[doc(hidden)]
    const ENDPOINT: EndpointMeta;

    /// What the endpoint answers.
    type Response: crate::response::Decode;

    /// Visits every field that is sent, sorted by wire name, with its value from the struct, the
    /// credentials or the spec's constants; [`FieldMeta::signed`] marks those the signature
    /// covers.
    #[doc(hidden)]
    fn visit<V: Visitor>(&self, credentials: &Credentials, visitor: &mut V);

    /// Visits the signed fields in signing order. Provided for Rule A, whose order is the sorted
    /// one of [`LatipaySigned::visit`] (the request description relies on that, and signs while
    /// it writes); an endpoint signed by a concatenation rule overrides it (the derive does).
    #[doc(hidden)]
    #[inline(always)]
    fn visit_signed<V: Visitor>(&self, credentials: &Credentials, visitor: &mut V) {
        self.visit(credentials, &mut SignedOnly(visitor));
    }

    /// The request's signature. Allocates nothing: the fields are written straight into a copy of
    /// the credentials' precomputed HMAC state.
    fn signature(&self, credentials: &Credentials) -> Result<Signature, Error> {
        let mut checked = Ok(());
        let signature = sign_with(credentials.signing_key(), Self::ENDPOINT.rule, |signer| {
            let mut texts = Texts::new(Self::ENDPOINT.name, &[], SignFields(signer));
            self.visit_signed(credentials, &mut texts);
            checked = texts.finish();
        });
        checked?;
        check_groups(self)?;
        Ok(signature)
    }

    /// The signature as 64 lowercase hex digits written into `buf`; no allocation.
    fn write_signature<'b>(
        &self,
        credentials: &Credentials,
        buf: &'b mut [u8; 64],
    ) -> Result<&'b str, Error> {
        Ok(self.signature(credentials)?.write_hex(buf))
    }

    /// The signature as 64 lowercase hex digits.
    fn sign(&self, credentials: &Credentials) -> Result<String, Error> {
        Ok(self.signature(credentials)?.to_hex())
    }

    /// The exact message that is signed, with the api_key replaced by `***`: what to compare with
    /// when Latipay answers "206 signature is wrong".
    fn canonical_message(&self, credentials: &Credentials) -> Result<String, Error> {
        let mut message = MaskedMessage::new(Self::ENDPOINT.rule);
        let mut texts = Texts::new(Self::ENDPOINT.name, &[], |meta: &FieldMeta, text: &Text| {
            message.field(meta.name, text.as_str())
        });
        self.visit_signed(credentials, &mut texts);
        texts.finish()?;
        check_groups(self)?;
        Ok(message.finish())
    }

    /// The HTTP request to send: method, path with parameters substituted, query string and JSON
    /// body, with the signature where the endpoint wants it.
    fn to_request(&self, credentials: &Credentials) -> Result<HttpRequest, Error> {
        describe(self, credentials, false).map(|(request, _)| request)
    }
}

/// The HTTP request, and the order's merchant_reference when `with_reference` (for the client's
/// errors and logs). Rule A
/// signs the sent fields in the sent order, so one visit both signs and writes them, each value
/// checked once; a concatenation rule has its own order and is signed by a visit of its own.
pub(crate) fn describe<R: LatipaySigned + ?Sized>(
    request: &R,
    credentials: &Credentials,
    with_reference: bool,
) -> Result<(HttpRequest, Option<String>), Error> {
    let e = R::ENDPOINT;
    let mut signer = matches!(e.rule, RuleKind::SortedJoin)
        .then(|| Signer::new(credentials.signing_key(), e.rule));
    let mut writer = RequestWriter::new(e.method, e.path, e.signature_in);
    let mut reference = None;
    let mut texts = Texts::new(e.name, e.one_of, |meta: &FieldMeta, text: &Text| {
        if let Some(signer) = signer.as_mut().filter(|_| meta.signed) {
            field_joined(signer, meta.joined, text.as_bytes());
        }
        let kind = match meta.ty {
            WireType::Integer => JsonKind::Number,
            WireType::Boolean => JsonKind::Bool,
            _ => JsonKind::String,
        };
        if with_reference && meta.name == "merchant_reference" {
            reference = Some(text.as_str().to_owned());
        }
        writer.field(meta.name, meta.location, kind, text.as_str())
    });
    request.visit(credentials, &mut texts);
    texts.finish()?;
    let signature = match signer {
        Some(signer) => signer.finish(),
        None => request.signature(credentials)?,
    };
    Ok((writer.finish(Some(&signature)), reference))
}

/// Receives a request's fields one by one; see [`LatipaySigned`]. A visitor keeps its own error
/// (the first bad value), so that generated code is a plain list of calls.
pub trait Visitor {
    /// One field and its value.
    fn field<T: WireValue + ?Sized>(&mut self, meta: &FieldMeta, value: &T);
}

/// Passes on only the signed fields: Rule A's signing order is the sent order without the rest.
struct SignedOnly<'v, V>(&'v mut V);

impl<V: Visitor> Visitor for SignedOnly<'_, V> {
    #[inline(always)]
    fn field<T: WireValue + ?Sized>(&mut self, meta: &FieldMeta, value: &T) {
        if meta.signed {
            self.0.field(meta, value);
        }
    }
}

/// Where [`Texts`] hands each field's text: a closure, or the signer.
trait Sink {
    fn text(&mut self, meta: &FieldMeta, text: &Text<'_>);
}

impl<F: FnMut(&FieldMeta, &Text<'_>)> Sink for F {
    #[inline(always)]
    fn text(&mut self, meta: &FieldMeta, text: &Text<'_>) {
        self(meta, text)
    }
}

/// The signature's sink, inlined into each field of the generated visit (a closure was left as
/// one call per field; BENCHMARKS.md, session 3).
struct SignFields<'s, 'k>(&'s mut Signer<'k>);

impl Sink for SignFields<'_, '_> {
    #[inline(always)]
    fn text(&mut self, meta: &FieldMeta, text: &Text<'_>) {
        field_joined(self.0, meta.joined, text.as_bytes());
    }
}

/// Hands each present field's canonical text to `sink`, after checking it: a required field
/// that is empty, a value its spec type does not accept, or a zero where the spec says
/// `positive`, is an error naming the field (the first one; later fields are then skipped); and,
/// given the endpoint's `one_of` groups, a group none of whose fields has a value. The one
/// visitor behind the signature, the debug message and the HTTP request, so all three see the
/// same texts.
struct Texts<F> {
    rules: Rules,
    sink: F,
}

impl<F: Sink> Texts<F> {
    /// Checks the `one_of` groups given: those of the endpoint when every field is visited, none
    /// when only the signed ones are.
    fn new(endpoint: &'static str, one_of: &'static [&'static [&'static str]], sink: F) -> Self {
        Texts {
            rules: Rules::new(endpoint, one_of),
            sink,
        }
    }

    fn finish(self) -> Result<(), Error> {
        self.rules.finish()
    }
}

impl<F: Sink> Visitor for Texts<F> {
    // Inlined into each generated visit, where `meta` is a constant: a `string` field then costs
    // a length test and two writes into the hash.
    #[inline(always)]
    fn field<T: WireValue + ?Sized>(&mut self, meta: &FieldMeta, value: &T) {
        if self.rules.error.is_some() {
            return;
        }
        match value.wire_text(meta.ty) {
            Ok(Some(t)) => {
                if self.rules.text(meta, t.as_str()) {
                    self.sink.text(meta, &t);
                }
            }
            Ok(None) if meta.optional => {}
            Ok(None) => self.rules.fail(meta, Problem::Missing),
            Err(e) => self.rules.fail(meta, Problem::Invalid(e)),
        }
    }
}

/// The rules of the spec over a request beyond each field's own type: a field it declares
/// `positive` is not zero, and each of the endpoint's `one_of` groups has a value. Kept by
/// [`Texts`] for the fields it checks, and on its own by [`check_rules`]; the first problem is
/// the one reported.
struct Rules {
    endpoint: &'static str,
    one_of: &'static [&'static [&'static str]],
    /// Bit `i`: a field of group `i` has a value (the spec allows at most 64 groups).
    present: u64,
    error: Option<Error>,
}

impl Rules {
    #[inline(always)]
    fn new(endpoint: &'static str, one_of: &'static [&'static [&'static str]]) -> Rules {
        Rules {
            endpoint,
            one_of,
            present: 0,
            error: None,
        }
    }

    /// Notes a field's text for its groups and checks it if it must be positive; whether it
    /// passed.
    #[inline(always)]
    fn text(&mut self, meta: &FieldMeta, text: &str) -> bool {
        if !self.one_of.is_empty() {
            self.note(meta.name);
        }
        if meta.positive
            && let Err(e) = check_positive(text)
        {
            self.fail(meta, Problem::Invalid(e));
            return false;
        }
        true
    }

    fn note(&mut self, name: &str) {
        for (i, group) in self.one_of.iter().enumerate().take(64) {
            if group.contains(&name) {
                self.present |= 1 << i;
            }
        }
    }

    #[cold]
    fn fail(&mut self, meta: &FieldMeta, problem: Problem) {
        if self.error.is_none() {
            self.error = Some(invalid(self.endpoint, meta, problem));
        }
    }

    /// The first problem: a field's, else the first group none of whose fields had a value.
    fn finish(self) -> Result<(), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self
            .one_of
            .iter()
            .take(64)
            .enumerate()
            .find(|(i, _)| self.present & (1 << i) == 0)
        {
            None => Ok(()),
            Some((_, group)) => Err(InvalidRequest {
                endpoint: self.endpoint,
                field: group.first().copied().unwrap_or_default(),
                problem: Problem::NoneOf(group),
            }
            .into()),
        }
    }
}

/// Alone, the rules see every field, and only what they check: a value that is absent or not of
/// its type is the signing's to report.
impl Visitor for Rules {
    #[inline(always)]
    fn field<T: WireValue + ?Sized>(&mut self, meta: &FieldMeta, value: &T) {
        if self.error.is_some() || (!meta.positive && self.one_of.is_empty()) {
            return;
        }
        if let Ok(Some(t)) = value.wire_text(meta.ty) {
            self.text(meta, t.as_str());
        }
    }
}

/// The `one_of` groups of `request`'s endpoint, after a visit of its signed fields only (which
/// may leave out a group's fields), as the rules see them over every field: field problems come
/// first, as in the HTTP request's single visit. Nothing to do, and no visit, for an endpoint
/// without groups.
#[inline(always)]
fn check_groups<R: LatipaySigned + ?Sized>(request: &R) -> Result<(), Error> {
    if R::ENDPOINT.one_of.is_empty() {
        Ok(())
    } else {
        check_rules(request)
    }
}

/// See [`crate::__private::check_rules`]: the rules of [`Rules`] over every field of `request`.
pub(crate) fn check_rules<R: LatipaySigned + ?Sized>(request: &R) -> Result<(), Error> {
    let e = R::ENDPOINT;
    let mut rules = Rules::new(e.name, e.one_of);
    request.visit(no_credentials(), &mut rules);
    rules.finish()
}

/// Credentials for a visit that reads no credential: the rules check only fields the spec says
/// come from the merchant (a `one_of` group's) or are money (never an id).
fn no_credentials() -> &'static Credentials {
    static NONE: OnceLock<Credentials> = OnceLock::new();
    NONE.get_or_init(|| Credentials::new("", "", ""))
}

#[cold]
fn invalid(endpoint: &'static str, meta: &FieldMeta, problem: Problem) -> Error {
    InvalidRequest {
        endpoint,
        field: meta.name,
        problem,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use latipay_spec::Location;

    use super::*;

    /// Two groups, so that a group other than the first is tallied and reported.
    const GROUPS: &[&[&str]] = &[
        &["invoice_id", "customer_order_id"],
        &["store_id", "till_id"],
    ];

    fn meta(name: &'static str) -> FieldMeta {
        FieldMeta {
            name,
            joined: "",
            ty: WireType::String,
            location: Location::Body,
            optional: true,
            signed: true,
            positive: false,
        }
    }

    fn refused(rules: Rules) -> InvalidRequest {
        match rules.finish() {
            Err(Error::InvalidRequest(e)) => e,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn every_group_counts_each_for_itself() {
        let mut rules = Rules::new("lookup", GROUPS);
        assert!(rules.text(&meta("customer_order_id"), "A-1"));
        assert!(rules.text(&meta("till_id"), "T-2"));
        assert_eq!(rules.finish().ok(), Some(()));

        // The second group alone is not enough, and the first is the one named.
        let mut rules = Rules::new("lookup", GROUPS);
        rules.text(&meta("store_id"), "S-1");
        let e = refused(rules);
        assert_eq!((e.endpoint, e.field), ("lookup", "invoice_id"));
        assert_eq!(e.problem, Problem::NoneOf(GROUPS[0]));

        // Nor the first alone: the second group is named.
        let mut rules = Rules::new("lookup", GROUPS);
        rules.text(&meta("invoice_id"), "I-1");
        let e = refused(rules);
        assert_eq!(e.field, "store_id");
        assert_eq!(e.problem, Problem::NoneOf(GROUPS[1]));
    }
}
