//! The request trait. Generated code only describes a request: which fields, in which order, of
//! which spec type. Signing, the debug message and the HTTP description are generic code here,
//! driven by that description, so each struct adds two short functions and nothing else.

use latipay_spec::{HttpRequest, JsonKind, MaskedMessage, RequestWriter, Signature, Signer};

use crate::Credentials;
use crate::error::{Error, InvalidRequest, Problem};
use crate::wire::{EndpointMeta, FieldMeta, Text, WireType, WireValue};

/// A Latipay request: a merchant struct deriving `LatipaySigned`, a builder's output, or a
/// hand-written implementation for an endpoint of the merchant's own spec.
///
/// Implementations describe their fields through the two `visit` functions; everything else is
/// provided.
pub trait LatipaySigned {
    /// The endpoint, as the spec describes it.
    const ENDPOINT: EndpointMeta;

    /// What the endpoint answers.
    type Response: crate::response::Decode;

    /// Visits the signed fields in signing order (sorted by wire name for Rule A), with their
    /// values from the struct, the credentials or the spec's constants.
    fn visit_signed<V: Visitor>(
        &self,
        credentials: &Credentials,
        visitor: &mut V,
    ) -> Result<(), Error>;

    /// Visits every field that is sent, signed or not, sorted by wire name.
    fn visit_sent<V: Visitor>(
        &self,
        credentials: &Credentials,
        visitor: &mut V,
    ) -> Result<(), Error>;

    /// The request's signature. Allocates nothing: the fields are written straight into a copy of
    /// the credentials' precomputed HMAC state.
    fn signature(&self, credentials: &Credentials) -> Result<Signature, Error> {
        let mut signer = Signer::new(credentials.signing_key(), Self::ENDPOINT.rule);
        self.visit_signed(
            credentials,
            &mut Texts::new(Self::ENDPOINT.name, |meta, text| {
                signer.field_joined(meta.joined, text.as_bytes())
            }),
        )?;
        Ok(signer.finish())
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
        self.visit_signed(
            credentials,
            &mut Texts::new(Self::ENDPOINT.name, |meta, text| {
                message.field(meta.name, text.as_str())
            }),
        )?;
        Ok(message.finish())
    }

    /// The HTTP request to send: method, path with parameters substituted, query string and JSON
    /// body, with the signature where the endpoint wants it.
    fn to_request(&self, credentials: &Credentials) -> Result<HttpRequest, Error> {
        describe(self, credentials).map(|(request, _)| request)
    }
}

/// The HTTP request and the order's merchant_reference (for the client's errors and logs), from
/// one visit of the fields.
pub(crate) fn describe<R: LatipaySigned + ?Sized>(
    request: &R,
    credentials: &Credentials,
) -> Result<(HttpRequest, Option<String>), Error> {
    let signature = request.signature(credentials)?;
    let e = R::ENDPOINT;
    let mut writer = RequestWriter::new(e.method, e.path, e.signature_in);
    let mut reference = None;
    request.visit_sent(
        credentials,
        &mut Texts::new(e.name, |meta, text| {
            let kind = match meta.ty {
                WireType::Integer => JsonKind::Number,
                WireType::Boolean => JsonKind::Bool,
                _ => JsonKind::String,
            };
            if meta.name == "merchant_reference" {
                reference = Some(text.as_str().to_owned());
            }
            writer.field(meta.name, meta.location, kind, text.as_str())
        }),
    )?;
    Ok((writer.finish(&signature), reference))
}

/// Receives a request's fields one by one; see [`LatipaySigned`].
pub trait Visitor {
    /// One field and its value.
    fn field<T: WireValue + ?Sized>(
        &mut self,
        meta: &'static FieldMeta,
        value: &T,
    ) -> Result<(), Error>;
}

/// Hands each present field's canonical text to `sink`, after checking it: a required field
/// that is empty, or a value its spec type does not accept, is an error naming the field. The one
/// visitor behind the signature, the debug message and the HTTP request, so all three see the
/// same texts.
struct Texts<F> {
    endpoint: &'static str,
    sink: F,
}

impl<F: FnMut(&'static FieldMeta, &Text<'_>)> Texts<F> {
    fn new(endpoint: &'static str, sink: F) -> Self {
        Texts { endpoint, sink }
    }
}

impl<F: FnMut(&'static FieldMeta, &Text<'_>)> Visitor for Texts<F> {
    // Inlined into each generated visit, where `meta` is a constant: a `string` field then costs
    // a length test and two writes into the hash.
    #[inline(always)]
    fn field<T: WireValue + ?Sized>(
        &mut self,
        meta: &'static FieldMeta,
        value: &T,
    ) -> Result<(), Error> {
        match value.wire_text(meta.ty) {
            Ok(Some(t)) => (self.sink)(meta, &t),
            Ok(None) if meta.optional => {}
            Ok(None) => return Err(invalid(self.endpoint, meta, Problem::Missing)),
            Err(e) => return Err(invalid(self.endpoint, meta, Problem::Invalid(e))),
        }
        Ok(())
    }
}

#[cold]
fn invalid(endpoint: &'static str, meta: &'static FieldMeta, problem: Problem) -> Error {
    InvalidRequest {
        endpoint,
        field: meta.name,
        problem,
    }
    .into()
}
