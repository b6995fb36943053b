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
    /// The shapes of what Latipay sends: answers, their nested objects, inbound messages.
    pub models: BTreeMap<String, Model>,
    /// Latipay's result codes other than 0, in the order of the spec file.
    pub codes: Vec<ResultCode>,
    /// Enums that several models' members share (`payment_status`), by name: one Rust type for
    /// the status of a query, a notification and a redirect.
    pub enums: BTreeMap<String, NamedEnum>,
}

/// An enum declared once under `enums:` and named by members of several models (`enum: NAME`),
/// each of which takes some of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedEnum {
    /// Its name in the spec (`payment_status`).
    pub name: String,
    /// One line saying what it is.
    pub doc: String,
    /// Every value any of its members takes, in the order of the spec file.
    pub values: Vec<String>,
}

/// One of Latipay's result codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultCode {
    /// The spec's name for it (`signature_wrong`).
    pub name: String,
    /// The number Latipay sends.
    pub code: i64,
    /// Latipay's documented message.
    pub message: String,
    /// When it happens, if the spec says.
    pub doc: String,
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

    /// The result code called `name` (`signature_wrong`).
    pub fn code(&self, name: &str) -> Option<&ResultCode> {
        self.codes.iter().find(|c| c.name == name)
    }

    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.get(name)
    }

    /// The shared enum called `name`.
    pub fn named_enum(&self, name: &str) -> Option<&NamedEnum> {
        self.enums.get(name)
    }

    /// The model of `endpoint`'s answer (validation made sure it exists).
    pub fn response_model(&self, endpoint: &Endpoint) -> Option<&Model> {
        self.model(&endpoint.response.model)
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
    /// How the request is signed; `None` for a request Latipay takes unsigned (the merchant-hosted
    /// `gatewaydata` step).
    pub signing: Option<SigningRule>,
    /// Where the signature is sent.
    pub signature_in: Location,
    /// The response's model and signature rule.
    pub response: Response,
    /// Groups of optional fields of which a request must give at least one each (`one_of:
    /// [[invoice_id, customer_order_id]]`), in the order of the spec file. Every name is a field
    /// of the endpoint, optional, from the merchant.
    pub one_of: Vec<Vec<String>>,
    /// Whether it replaces the built-in endpoint of the same name (`replaces: true` in a
    /// merchant's file); without it, a merchant's endpoint cannot take a built-in's name.
    pub replaces: bool,
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
            None => Vec::new(),
            Some(SigningRule::SortedJoin) => {
                let mut fields: Vec<&Field> = self.fields.iter().filter(|f| f.signed).collect();
                fields.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
                fields
            }
            Some(SigningRule::Concat { fields, .. }) => {
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

    /// The `one_of` groups none of whose fields `has_value` says has a value: what a request
    /// lacks. Empty when every group is satisfied.
    pub fn unmet_groups(&self, has_value: impl Fn(&str) -> bool) -> Vec<&[String]> {
        self.one_of
            .iter()
            .filter(|group| !group.iter().any(|name| has_value(name)))
            .map(Vec::as_slice)
            .collect()
    }
}

/// The most `one_of` groups an endpoint may have (the runtime keeps one bit per group).
pub const MAX_ONE_OF_GROUPS: usize = 64;

/// A `one_of` group in messages: "`invoice_id` or `customer_order_id`".
pub fn group_text<S: AsRef<str>>(group: &[S]) -> String {
    let names: Vec<String> = group.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
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
    /// Whether Latipay refuses a zero value (`positive: true`, money only): a payment or refund of
    /// 0.00 is refused before it is signed.
    pub positive: bool,
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
    /// The credentials (`user_id`, `wallet_id`). A struct may carry the field only with
    /// `#[latipay(provides_credentials)]`, and its value is then sent instead.
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

/// What an endpoint answers: the name of its model in [`Spec::models`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The model of the answer.
    pub model: String,
}

/// The members every Latipay answer carries beside its model's own: `code` (0 for success),
/// `message` and `messageCN`. A response model does not declare them; the client reads `code`
/// before anything else, and the generated types have them first.
pub const ENVELOPE: &[&str] = &["code", "message", "messageCN"];

/// The shape of a JSON object Latipay sends (an answer, a nested object of one) or of an inbound
/// message, and how it is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// Its name in the spec.
    pub name: String,
    /// One line saying what it is.
    pub doc: String,
    /// Its declared members, in the order of the spec file. Members Latipay adds later are kept
    /// by every reader, not refused.
    pub fields: Vec<ModelField>,
    /// How Latipay signs it.
    pub signature: ModelSignature,
    /// Whether it is an endpoint's answer, and so carries [`ENVELOPE`] before its own fields.
    pub envelope: bool,
    /// Where it was defined, for messages.
    pub position: Position,
}

impl Model {
    /// The declared field called `name`.
    pub fn field(&self, name: &str) -> Option<&ModelField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether `name` is a member this model knows: a declared field or, for an answer, one of
    /// [`ENVELOPE`].
    pub fn knows(&self, name: &str) -> bool {
        self.field(name).is_some() || (self.envelope && ENVELOPE.contains(&name))
    }
}

/// One member of a [`Model`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelField {
    /// The member's name, exactly as sent.
    pub name: String,
    /// What values it holds.
    pub ty: ModelType,
    /// Whether it may be absent.
    pub optional: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
    /// For an enum member, the shared enum in [`Spec::enums`] whose type it has (its own values
    /// are some of that enum's); `None` for a member with an enum type of its own.
    pub named_enum: Option<String>,
    /// What it means, if the spec says.
    pub doc: String,
}

/// What values a member of a model holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelType {
    /// Text (a JSON string; a number is read as its text).
    String,
    /// A whole number (a JSON number, or a string of digits).
    Integer,
    /// `true` or `false`.
    Boolean,
    /// Money, kept as the exact text received, whether a JSON string or number (`120.00`):
    /// signatures cover that text.
    Amount,
    /// A decimal number that is not money (an exchange rate), kept as the exact text received.
    Decimal,
    /// One of the listed texts; a value Latipay adds later is kept, not refused.
    Enum(Vec<String>),
    /// An object of name/value pairs kept in the server's order (`gatewaydata`, which the
    /// Alipay mini app joins in that order).
    Object,
    /// A JSON array of values of the inner type.
    List(Box<ModelType>),
    /// A nested object of the named model.
    Model(String),
}

impl ModelType {
    /// The model a member of this type holds, directly or as the items of a list.
    pub fn nested_model(&self) -> Option<&str> {
        match self {
            ModelType::Model(name) => Some(name),
            ModelType::List(item) => item.nested_model(),
            _ => None,
        }
    }

    /// The spec's name for the type (for a list, `list`; for a nested model, its name).
    pub fn name(&self) -> &str {
        match self {
            ModelType::String => "string",
            ModelType::Integer => "integer",
            ModelType::Boolean => "boolean",
            ModelType::Amount => "amount",
            ModelType::Decimal => "decimal",
            ModelType::Enum(_) => "enum",
            ModelType::Object => "object",
            ModelType::List(_) => "list",
            ModelType::Model(name) => name,
        }
    }
}

/// How Latipay signs a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSignature {
    /// It is not signed.
    None,
    /// It carries a `signature` whose rule Latipay does not document: the signature is kept and
    /// never claimed verified. The text says why.
    Undocumented(String),
    /// It is signed by this rule: [`SigningRule::Concat`] for Rule B and Rule C (named members,
    /// concatenated), [`SigningRule::SortedJoin`] for Rule A over the object's own members as
    /// received (sorted, null and empty skipped, `signature` left out, the api_key appended).
    Signed(SigningRule),
}

/// A message Latipay sends to the merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// Its name in the spec.
    pub name: String,
    /// One line saying what it is.
    pub doc: String,
    /// How it arrives.
    pub encoding: Encoding,
    /// Its model in [`Spec::models`].
    pub model: String,
    /// How it is signed (its model's rule, always a concatenation: Rule B).
    pub signature: SigningRule,
    /// Whether it replaces the built-in message of the same name (`replaces: true`).
    pub replaces: bool,
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
