//! The raw, positioned spec to the typed model, checking what YAML's shape cannot: types, sources,
//! locations, path parameters, signing rules. Every problem is collected, none stops the others.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{SpecError, SpecErrors, did_you_mean};
use crate::model::*;
use crate::parse::{
    RawEndpoint, RawField, RawInbound, RawResponse, RawRule, RawSpec, Spanned, position,
};
use crate::value;

const TYPES: &[&str] = &[
    "string", "amount", "decimal", "url", "ipv4", "integer", "boolean", "enum",
];
const CREDENTIAL_FIELDS: &[&str] = &["user_id", "wallet_id"];

struct Ctx<'a> {
    origin: &'a str,
    errors: Vec<SpecError>,
}

impl Ctx<'_> {
    fn error(&mut self, position: Position, message: impl Into<String>) {
        self.errors.push(SpecError {
            origin: self.origin.to_owned(),
            position,
            message: message.into(),
        });
    }

    fn unknown(&mut self, what: &str, s: &Spanned<String>, choices: &[&str]) {
        let hint = match did_you_mean(&s.value, choices.iter().copied()) {
            Some(m) => format!("; did you mean `{m}`?"),
            None => format!("; expected one of: {}", choices.join(", ")),
        };
        self.error(position(s), format!("unknown {what} `{}`{hint}", s.value));
    }
}

pub(crate) fn validate(raw: RawSpec, origin: &str) -> Result<Spec, SpecErrors> {
    let mut cx = Ctx {
        origin,
        errors: Vec::new(),
    };
    if raw.version.value != 1 {
        cx.error(
            position(&raw.version),
            format!(
                "unsupported spec version {}; this crate reads version 1",
                raw.version.value
            ),
        );
    }
    let mut endpoints = BTreeMap::new();
    for (name, e) in raw.endpoints.0 {
        check_name(&mut cx, "endpoint", &name);
        if endpoints.contains_key(&name.value) {
            cx.error(
                position(&name),
                format!("endpoint `{}` is defined twice", name.value),
            );
            continue;
        }
        if let Some(ep) = endpoint(&mut cx, &name, e) {
            endpoints.insert(name.value, ep);
        }
    }
    let mut inbound = BTreeMap::new();
    for (name, m) in raw.inbound.0 {
        check_name(&mut cx, "inbound message", &name);
        if let Some(msg) = inbound_message(&mut cx, &name, m) {
            inbound.insert(name.value, msg);
        }
    }
    if cx.errors.is_empty() {
        Ok(Spec {
            origin: origin.to_owned(),
            endpoints,
            inbound,
        })
    } else {
        cx.errors
            .sort_by_key(|e| (e.position.line, e.position.column));
        Err(SpecErrors(cx.errors))
    }
}

fn check_name(cx: &mut Ctx<'_>, what: &str, name: &Spanned<String>) {
    let ok = name.value.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        cx.error(
            position(name),
            format!(
                "{what} name `{}` must be lowercase letters, digits and `_`, starting with a letter",
                name.value
            ),
        );
    }
}

fn endpoint(cx: &mut Ctx<'_>, name: &Spanned<String>, e: RawEndpoint) -> Option<Endpoint> {
    let before = cx.errors.len();
    let method = match e.method.value.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        _ => {
            cx.unknown("method", &e.method, &["GET", "POST", "PUT", "DELETE"]);
            Method::Post
        }
    };
    if !e.path.value.starts_with('/') {
        cx.error(
            position(&e.path),
            format!("path `{}` must start with `/`", e.path.value),
        );
    }
    if e.path.value.matches('{').count() != e.path.value.matches('}').count() {
        cx.error(
            position(&e.path),
            format!("path `{}` has an unclosed `{{`", e.path.value),
        );
    }
    let field_positions: Vec<(String, Position)> = e
        .fields
        .0
        .iter()
        .map(|(k, _)| (k.value.clone(), position(k)))
        .collect();
    let position_of = |name: &str| {
        field_positions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| *p)
            .unwrap_or_default()
    };
    let fields = fields(cx, e.fields.0, Some(method));
    let params = path_params(&e.path.value);
    let mut seen_params = BTreeSet::new();
    for p in &params {
        if !seen_params.insert(*p) {
            cx.error(
                position(&e.path),
                format!("path parameter `{{{p}}}` appears twice"),
            );
        }
        match fields.iter().find(|f| f.name == *p) {
            None => cx.error(
                position(&e.path),
                format!(
                    "path parameter `{{{p}}}` has no field; add `{p}: {{ type: string, in: path }}`"
                ),
            ),
            Some(f) if f.location != Location::Path => cx.error(
                position(&e.path),
                format!("path parameter `{{{p}}}` names field `{p}`, which is not `in: path`"),
            ),
            Some(_) => {}
        }
    }
    for f in &fields {
        if f.location == Location::Path && !params.contains(&f.name.as_str()) {
            cx.error(
                position_of(&f.name),
                format!(
                    "field `{}` is `in: path` but the path `{}` has no `{{{}}}`",
                    f.name, e.path.value, f.name
                ),
            );
        }
        if f.location == Location::Body && matches!(method, Method::Get | Method::Delete) {
            cx.error(
                position_of(&f.name),
                format!(
                    "field `{}` is `in: body` but a {method} request has no body",
                    f.name
                ),
            );
        }
    }
    let signing = match &e.signing {
        None => SigningRule::SortedJoin,
        Some(r) => rule(cx, r, &fields, "request"),
    };
    let signature_in = match &e.signature_in {
        None => method.default_location(),
        Some(s) => match s.value.as_str() {
            "body" if !matches!(method, Method::Get | Method::Delete) => Location::Body,
            "query" => Location::Query,
            _ => {
                cx.unknown("signature location", s, &["body", "query"]);
                Location::Query
            }
        },
    };
    let response = match &e.response {
        None => Response {
            model: "generic".to_owned(),
            signature: None,
        },
        Some(r) => response(cx, r),
    };
    if cx.errors.len() > before {
        return None;
    }
    Some(Endpoint {
        name: name.value.clone(),
        doc: e.doc,
        method,
        path: e.path.value,
        fields,
        signing,
        signature_in,
        response,
        position: position(name),
    })
}

fn fields(
    cx: &mut Ctx<'_>,
    raw: Vec<(Spanned<String>, RawField)>,
    method: Option<Method>,
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for (name, f) in raw {
        if name.value.is_empty() || name.value.contains(['=', '&', '{', '}', ' ']) {
            cx.error(
                position(&name),
                format!(
                    "field name `{}` must be non-empty and free of `=`, `&`, braces and spaces",
                    name.value
                ),
            );
        }
        // Kept even when it has errors, so that later checks do not report it missing.
        out.push(field(cx, &name, f, method));
    }
    out
}

fn field(cx: &mut Ctx<'_>, name: &Spanned<String>, f: RawField, method: Option<Method>) -> Field {
    let ty = match f.ty.value.as_str() {
        "string" => FieldType::String,
        "amount" => FieldType::Amount,
        "decimal" => FieldType::Decimal,
        "url" => FieldType::Url,
        "ipv4" => FieldType::Ipv4,
        "integer" => FieldType::Integer,
        "boolean" => FieldType::Boolean,
        "enum" => match &f.values {
            Some(v) if !v.value.is_empty() => FieldType::Enum(v.value.clone()),
            Some(v) => {
                cx.error(position(v), "`values` of an enum must not be empty");
                FieldType::String
            }
            None => {
                cx.error(
                    position(&f.ty),
                    format!(
                        "field `{}` is an enum but has no `values: [...]`",
                        name.value
                    ),
                );
                FieldType::String
            }
        },
        _ => {
            cx.unknown("type", &f.ty, TYPES);
            FieldType::String
        }
    };
    if let (Some(v), false) = (&f.values, matches!(ty, FieldType::Enum(_))) {
        cx.error(
            position(v),
            format!("`values` is only for `type: enum`, not `{}`", f.ty.value),
        );
    }
    let location = match (&f.location, method) {
        (None, Some(m)) => m.default_location(),
        (None, None) => Location::Body,
        (Some(l), _) => match l.value.as_str() {
            "body" => Location::Body,
            "query" => Location::Query,
            "path" => Location::Path,
            _ => {
                cx.unknown("location", l, &["body", "query", "path"]);
                Location::Body
            }
        },
    };
    let optional = f.optional.as_ref().is_some_and(|o| o.value);
    let source = match (&f.from, &f.constant) {
        (Some(from), Some(c)) => {
            cx.error(
                position(c),
                format!(
                    "field `{}` has both `from: {}` and `const`; a constant comes from the spec",
                    name.value, from.value
                ),
            );
            Source::Merchant
        }
        (None, Some(c)) => {
            if let Err(e) = value::check(&ty, &c.value) {
                cx.error(
                    position(c),
                    format!("constant of field `{}`: {e}", name.value),
                );
            }
            if let Some(o) = f.optional.as_ref().filter(|o| o.value) {
                cx.error(
                    position(o),
                    format!(
                        "field `{}` is a constant, so it is always sent and cannot be optional",
                        name.value
                    ),
                );
            }
            Source::Const(c.value.clone())
        }
        (Some(from), None) => match from.value.as_str() {
            "merchant" => Source::Merchant,
            "credentials" if CREDENTIAL_FIELDS.contains(&name.value.as_str()) => {
                Source::Credentials
            }
            "credentials" => {
                cx.error(
                    position(from),
                    format!(
                        "only user_id and wallet_id come from the credentials, not `{}`",
                        name.value
                    ),
                );
                Source::Merchant
            }
            _ => {
                cx.unknown("source", from, &["merchant", "credentials"]);
                Source::Merchant
            }
        },
        (None, None) => Source::Merchant,
    };
    if location == Location::Path && optional {
        cx.error(
            position(name),
            format!(
                "field `{}` is a path parameter, so it cannot be optional",
                name.value
            ),
        );
    }
    Field {
        name: name.value.clone(),
        ty,
        location,
        optional,
        source,
        signed: f.signed.unwrap_or(true),
        doc: f.doc,
    }
}

fn rule(cx: &mut Ctx<'_>, r: &RawRule, fields: &[Field], what: &str) -> SigningRule {
    match r.rule.value.as_str() {
        "sorted_join" => {
            if r.fields.is_some() || r.append_key.is_some() {
                cx.error(
                    position(&r.rule),
                    "`sorted_join` signs every signed field and always appends the api_key; it takes no `fields` or `append_key`",
                );
            }
            SigningRule::SortedJoin
        }
        "concat" => {
            let names = r.fields.as_deref().unwrap_or_default();
            if names.is_empty() {
                cx.error(
                    position(&r.rule),
                    "a `concat` rule needs `fields: [...]`, the fields whose values are concatenated in order",
                );
            }
            for n in names {
                match fields.iter().find(|f| f.name == n.value) {
                    None => cx.error(
                        position(n),
                        format!(
                            "the {what} signature names `{}`, which is not a field",
                            n.value
                        ),
                    ),
                    Some(f) if !f.signed => cx.error(
                        position(n),
                        format!(
                            "the {what} signature names `{}`, which is marked `signed: false`",
                            n.value
                        ),
                    ),
                    Some(_) => {}
                }
            }
            SigningRule::Concat {
                fields: names.iter().map(|n| n.value.clone()).collect(),
                append_key: r.append_key.unwrap_or(false),
            }
        }
        _ => {
            cx.unknown("signing rule", &r.rule, &["sorted_join", "concat"]);
            SigningRule::SortedJoin
        }
    }
}

fn response(cx: &mut Ctx<'_>, r: &RawResponse) -> Response {
    let names: Vec<&str> = RESPONSE_MODELS.iter().map(|(n, _)| *n).collect();
    let known = RESPONSE_MODELS.iter().find(|(n, _)| *n == r.model.value);
    if known.is_none() {
        cx.unknown("response model", &r.model, &names);
    }
    let signature = r.signature.as_ref().map(|s| {
        if s.rule.value != "concat" {
            cx.error(
                position(&s.rule),
                "a response signature is always a `concat` of response fields",
            );
        }
        let model_fields: Vec<Field> = known
            .map(|(_, fields)| fields.iter().map(|n| response_field(n)).collect())
            .unwrap_or_default();
        if known.is_some_and(|(n, _)| *n == "generic") {
            // A generic response has no fixed fields: any name is accepted.
            let extra: Vec<Field> = s
                .fields
                .iter()
                .flatten()
                .map(|n| response_field(&n.value))
                .collect();
            return rule(cx, s, &extra, "response");
        }
        rule(cx, s, &model_fields, "response")
    });
    Response {
        model: r.model.value.clone(),
        signature,
    }
}

fn response_field(name: &str) -> Field {
    Field {
        name: name.to_owned(),
        ty: FieldType::String,
        location: Location::Body,
        optional: false,
        source: Source::Merchant,
        signed: true,
        doc: String::new(),
    }
}

fn inbound_message(cx: &mut Ctx<'_>, name: &Spanned<String>, m: RawInbound) -> Option<Inbound> {
    let before = cx.errors.len();
    let encoding = match m.encoding.value.as_str() {
        "form" => Encoding::Form,
        "query" => Encoding::Query,
        _ => {
            cx.unknown("encoding", &m.encoding, &["form", "query"]);
            Encoding::Form
        }
    };
    let fields = fields(cx, m.fields.0, None);
    let signature = rule(cx, &m.signature, &fields, "inbound");
    match &signature {
        SigningRule::SortedJoin => cx.error(
            position(&m.signature.rule),
            "inbound messages are signed by a `concat` of their fields (Rule B)",
        ),
        SigningRule::Concat { fields, .. } if fields.len() > MAX_INBOUND_SIGNED_FIELDS => cx.error(
            position(&m.signature.rule),
            format!(
                "an inbound signature names at most {MAX_INBOUND_SIGNED_FIELDS} fields (Latipay's name five); this one names {}",
                fields.len()
            ),
        ),
        SigningRule::Concat { .. } => {}
    }
    if cx.errors.len() > before {
        return None;
    }
    Some(Inbound {
        name: name.value.clone(),
        doc: m.doc,
        encoding,
        signature,
        fields,
    })
}
