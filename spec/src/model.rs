//! The validated, typed model of a spec. Everything here has passed `validate`, so consumers never
//! re-check it: a `Field` with `Source::Path` is in the path template, a concat rule names real fields.

use std::collections::BTreeMap;
use std::fmt;

/// A whole spec: the endpoints merchants send to and the messages Latipay sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Where the spec came from (a file path, or `<builtin>`), used in messages.
    pub origin: String,
    /// Outgoing endpoints by name (what merchants write in `endpoint = "..."`), in name order.
    pub endpoints: BTreeMap<String, Endpoint>,
    /// Inbound messages (`notification`, `redirect`) by name.
    pub inbound: BTreeMap<String, Inbound>,
}

impl Spec {
    /// The endpoint called `name`.
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.get(name)
    }

    /// The inbound message called `name`.
    pub fn inbound(&self, name: &str) -> Option<&Inbound> {
        self.inbound.get(name)
    }
}

/// One Latipay endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Its name in the spec.
    pub name: String,
    /// One line saying what it is for.
    pub doc: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, with `{name}` for path parameters.
    pub path: String,
    /// Every field, in the order of the spec file.
    pub fields: Vec<Field>,
    /// How the request is signed.
    pub signing: SigningRule,
    /// Where the signature is sent.
    pub signature_in: Location,
    /// The response's model and signature rule.
    pub response: Response,
    /// Where the endpoint was defined (line, column), for messages that point back at the spec.
    pub position: Position,
}

impl Endpoint {
    /// The field whose wire name is `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The fields in signing order: sorted by wire name for the sorted join, the rule's order for a
    /// concatenation. Unsigned fields are left out.
    pub fn signed_fields(&self) -> Vec<&Field> {
        match &self.signing {
            SigningRule::SortedJoin => {
                let mut fields: Vec<&Field> = self.fields.iter().filter(|f| f.signed).collect();
                fields.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
                fields
            }
            SigningRule::Concat { fields, .. } => {
                fields.iter().filter_map(|name| self.field(name)).collect()
            }
        }
    }

    /// Every field that is sent, sorted by wire name (the order of the JSON body and query string).
    pub fn sent_fields(&self) -> Vec<&Field> {
        let mut fields: Vec<&Field> = self.fields.iter().collect();
        fields.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        fields
    }

    /// Names of the path parameters in template order.
    pub fn path_params(&self) -> Vec<&str> {
        path_params(&self.path)
    }
}

/// The `{name}` parameters of a path template, in order.
pub fn path_params(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// One field of a request or inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Wire name, exactly as sent.
    pub name: String,
    /// What values it takes.
    pub ty: FieldType,
    /// Where it goes in the HTTP request.
    pub location: Location,
    /// Whether the request is valid without it.
    pub optional: bool,
    /// Where its value comes from.
    pub source: Source,
    /// Whether it takes part in the signature.
    pub signed: bool,
    /// What it means, if the spec says.
    pub doc: String,
}

/// What values a field takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// Any text.
    String,
    /// Money: decimal text with exactly two places (`120.00`); `120` is normalised to it.
    Amount,
    /// Money written as given (`1`, `1.5`, `1.50`), at most two places; signed exactly as sent.
    Decimal,
    /// An absolute `http` or `https` URL.
    Url,
    /// A dotted IPv4 address.
    Ipv4,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// One of a fixed list of texts.
    Enum(Vec<String>),
}

impl FieldType {
    /// The spec's name for the type.
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Amount => "amount",
            FieldType::Decimal => "decimal",
            FieldType::Url => "url",
            FieldType::Ipv4 => "ipv4",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Enum(_) => "enum",
        }
    }
}

/// Where a field goes in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// A member of the JSON body.
    Body,
    /// A parameter of the query string.
    Query,
    /// A `{name}` segment of the path.
    Path,
}

impl Location {
    /// The spec's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Query => "query",
            Location::Path => "path",
        }
    }
}

/// Where a field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The merchant's struct (or the caller of the dynamic signer).
    Merchant,
    /// The credentials (`user_id`, `wallet_id`); a struct carrying the field overrides them.
    Credentials,
    /// A fixed value, such as `version: "2.0"`; a struct may not carry it.
    Const(String),
}

/// How a message is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigningRule {
    /// Rule A: signed fields sorted by name, `name=value` joined with `&`, empty values skipped, then
    /// the api_key appended with no separator.
    SortedJoin,
    /// The listed fields' values concatenated in order, optionally followed by the api_key.
    Concat {
        /// Field names in order.
        fields: Vec<String>,
        /// Whether the api_key is appended to the message (it is always the HMAC key).
        append_key: bool,
    },
}

/// HTTP methods Latipay uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Where fields and the signature go when the spec does not say: the body, except for GET and
    /// DELETE, which have none.
    pub fn default_location(self) -> Location {
        match self {
            Method::Get | Method::Delete => Location::Query,
            Method::Post | Method::Put => Location::Body,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an endpoint answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The response model (one of [`RESPONSE_MODELS`]).
    pub model: String,
    /// How the response is signed, if it is: always a concatenation of response fields, keyed
    /// with the api_key (Rule B, Rule C).
    pub signature: Option<SigningRule>,
}

/// The response models the runtime knows, and the fields each carries (so a signature rule can be
/// checked against them).
pub const RESPONSE_MODELS: &[(&str, &[&str])] = &[
    (
        "transaction",
        &[
            "code",
            "message",
            "messageCN",
            "host_url",
            "nonce",
            "signature",
        ],
    ),
    ("barcode", &["code", "message", "messageCN", "order_id"]),
    (
        "minialipay",
        &["code", "message", "messageCN", "gatewaydata", "paydata"],
    ),
    (
        "miniapppay",
        &["code", "message", "messageCN", "payment", "paydata"],
    ),
    (
        "query",
        &[
            "code",
            "message",
            "messageCN",
            "merchant_reference",
            "currency",
            "amount",
            "amount_cny",
            "rate",
            "payment_method",
            "status",
            "pay_time",
            "order_id",
            "transaction_id",
            "signature",
        ],
    ),
    ("status", &["code", "message", "messageCN"]),
    ("invoice", &["code", "message", "messageCN", "data"]),
    ("invoice_list", &["code", "message", "messageCN", "data"]),
    ("generic", &[]),
];

/// The most fields an inbound message's signature may name: verification keeps one slot per
/// field on the stack, so that it allocates nothing.
pub const MAX_INBOUND_SIGNED_FIELDS: usize = 15;

/// A message Latipay sends to the merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// Its name in the spec.
    pub name: String,
    /// One line saying what it is.
    pub doc: String,
    /// How it arrives.
    pub encoding: Encoding,
    /// How it is signed.
    pub signature: SigningRule,
    /// Its known fields; unknown ones are kept by the runtime.
    pub fields: Vec<Field>,
}

/// How an inbound message is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/x-www-form-urlencoded` body.
    Form,
    /// The query string of a GET.
    Query,
}

/// A line and column in a spec file, both starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column, from 1.
    pub column: u64,
}
