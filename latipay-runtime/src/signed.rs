//! The request trait. Generated code only describes a request: which fields, in which order, of
//! which spec type. Signing, the debug message and the HTTP description are generic code here,
//! driven by that description, so each struct adds one short function and nothing else.

use latipay_spec::__private::{field_joined, sign_with};
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
            let mut texts = Texts::new(Self::ENDPOINT.name, SignFields(signer));
            self.visit_signed(credentials, &mut texts);
            checked = texts.finish();
        });
        checked.map(|()| signature)
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
        let mut texts = Texts::new(Self::ENDPOINT.name, |meta: &FieldMeta, text: &Text| {
            message.field(meta.name, text.as_str())
        });
        self.visit_signed(credentials, &mut texts);
        texts.finish()?;
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
    let mut texts = Texts::new(e.name, |meta: &FieldMeta, text: &Text| {
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
/// that is empty, or a value its spec type does not accept, is an error naming the field (the
/// first one; later fields are then skipped). The one visitor behind the signature, the debug
/// message and the HTTP request, so all three see the same texts.
struct Texts<F> {
    endpoint: &'static str,
    sink: F,
    error: Option<Error>,
}

impl<F: Sink> Texts<F> {
    fn new(endpoint: &'static str, sink: F) -> Self {
        Texts {
            endpoint,
            sink,
            error: None,
        }
    }

    fn finish(self) -> Result<(), Error> {
        self.error.map_or(Ok(()), Err)
    }
}

impl<F: Sink> Visitor for Texts<F> {
    // Inlined into each generated visit, where `meta` is a constant: a `string` field then costs
    // a length test and two writes into the hash.
    #[inline(always)]
    fn field<T: WireValue + ?Sized>(&mut self, meta: &FieldMeta, value: &T) {
        if self.error.is_some() {
            return;
        }
        match value.wire_text(meta.ty) {
            Ok(Some(t)) => self.sink.text(meta, &t),
            Ok(None) if meta.optional => {}
            Ok(None) => self.error = Some(invalid(self.endpoint, meta, Problem::Missing)),
            Err(e) => self.error = Some(invalid(self.endpoint, meta, Problem::Invalid(e))),
        }
    }
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
