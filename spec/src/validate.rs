//! The raw, positioned spec to the typed model, checking what YAML's shape cannot: types, sources,
//! locations, path parameters, signing rules. Every problem is collected, none stops the others.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{SpecError, SpecErrors, did_you_mean};
use crate::model::*;
use crate::parse::{
    OrderedMap, RawEndpoint, RawEnum, RawField, RawGroups, RawInbound, RawModel, RawModelField,
    RawRule, RawSpec, Spanned, position,
};
use crate::value;

const TYPES: &[&str] = &[
    "string", "amount", "decimal", "url", "ipv4", "integer", "boolean", "enum",
];
const MODEL_TYPES: &[&str] = &[
    "string", "integer", "boolean", "amount", "decimal", "enum", "object", "list", "model",
];
const LIST_ITEM_TYPES: &[&str] = &["string", "integer", "boolean", "amount", "decimal"];
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
            None if choices.is_empty() => format!("; no {what} is declared"),
            None => format!("; expected one of: {}", choices.join(", ")),
        };
        self.error(position(s), format!("unknown {what} `{}`{hint}", s.value));
    }
}

/// Validates `raw`; its endpoints and inbound messages may name models of `base` (the built-in
/// spec, for a merchant's file), which are then copied into the result.
pub(crate) fn validate(
    raw: RawSpec,
    origin: &str,
    base: Option<&Spec>,
) -> Result<Spec, SpecErrors> {
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
    let base_names: Vec<String> = base
        .map(|b| b.models.keys().cloned().collect())
        .unwrap_or_default();
    let own_names: Vec<String> = raw.models.0.iter().map(|(n, _)| n.value.clone()).collect();
    let known: Vec<&str> = own_names
        .iter()
        .chain(&base_names)
        .map(String::as_str)
        .collect();
    let enums = named_enums(&mut cx, raw.enums, &known, base);
    // Every shared enum a member may name: this file's and, for a merchant's, the built-in ones.
    let enum_values: BTreeMap<&str, &[String]> = base
        .into_iter()
        .flat_map(|b| b.enums.values())
        .chain(enums.values())
        .map(|e| (e.name.as_str(), e.values.as_slice()))
        .collect();
    let mut models = BTreeMap::new();
    for (name, m) in raw.models.0 {
        check_name(&mut cx, "model", &name);
        if models.contains_key(&name.value) {
            cx.error(
                position(&name),
                format!("model `{}` is defined twice", name.value),
            );
            continue;
        }
        if base_names.contains(&name.value) {
            cx.error(
                position(&name),
                crate::merge::builtin_model_problem(&name.value),
            );
        }
        if let Some(model) = model(&mut cx, &name, m, &known, &enum_values) {
            models.insert(name.value, model);
        }
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
        let builtin = base.is_some_and(|b| b.endpoint(&name.value).is_some());
        replace_rule(&mut cx, "endpoint", &name, e.replaces.as_ref(), builtin);
        if let Some(ep) = endpoint(&mut cx, &name, e, &known) {
            endpoints.insert(name.value, ep);
        }
    }
    let mut inbound = BTreeMap::new();
    for (name, m) in raw.inbound.0 {
        check_name(&mut cx, "inbound message", &name);
        let builtin = base.is_some_and(|b| b.inbound(&name.value).is_some());
        replace_rule(
            &mut cx,
            "inbound message",
            &name,
            m.replaces.as_ref(),
            builtin,
        );
        if let Some(msg) = inbound_message(&mut cx, &name, m, &known, &models, base) {
            inbound.insert(name.value, msg);
        }
    }
    // The built-in models a merchant's file uses, with the models those nest.
    if let Some(base) = base {
        let mut wanted: Vec<&str> = endpoints
            .values()
            .map(|e| e.response.model.as_str())
            .chain(inbound.values().map(|i| i.model.as_str()))
            .chain(
                models
                    .values()
                    .flat_map(|m| m.fields.iter().filter_map(|f| f.ty.nested_model())),
            )
            .collect();
        let mut copied = BTreeMap::new();
        while let Some(name) = wanted.pop() {
            if models.contains_key(name) || copied.contains_key(name) {
                continue;
            }
            if let Some(m) = base.model(name) {
                wanted.extend(m.fields.iter().filter_map(|f| f.ty.nested_model()));
                copied.insert(name.to_owned(), m.clone());
            }
        }
        models.extend(copied);
    }
    // A member with an enum of its own gets the type `{Model}{Member}`: a shared enum must not be
    // named so.
    for m in models.values() {
        for f in m.fields.iter().filter(|f| f.named_enum.is_none()) {
            let own = format!("{}_{}", m.name, f.name);
            if matches!(f.ty, ModelType::Enum(_)) && enums.contains_key(&own) {
                cx.error(
                    m.position,
                    format!(
                        "enum `{own}` has the name of the enum of member `{}` of model `{}`; give it another name, or give the member `enum: {own}`",
                        f.name, m.name
                    ),
                );
            }
        }
    }
    // The built-in shared enums the models use, copied as the models are.
    let mut enums = enums;
    for name in models
        .values()
        .flat_map(|m| &m.fields)
        .filter_map(|f| f.named_enum.as_deref())
    {
        if let Some(e) = base.and_then(|b| b.named_enum(name))
            && !enums.contains_key(name)
        {
            enums.insert(name.to_owned(), e.clone());
        }
    }
    mark_answers(&mut cx, &mut models, &endpoints);
    let codes = codes(&mut cx, raw.codes, base);
    if cx.errors.is_empty() {
        Ok(Spec {
            origin: origin.to_owned(),
            endpoints,
            inbound,
            models,
            codes,
            enums,
        })
    } else {
        cx.errors
            .sort_by_key(|e| (e.position.line, e.position.column));
        Err(SpecErrors(cx.errors))
    }
}

/// A merchant's endpoint or inbound message named like a built-in one must say `replaces: true`,
/// and only such a one may say it (`crate::merge` applies the same rule to specs put together).
fn replace_rule(
    cx: &mut Ctx<'_>,
    what: &str,
    name: &Spanned<String>,
    replaces: Option<&Spanned<bool>>,
    builtin: bool,
) {
    let marked = replaces.is_some_and(|r| r.value);
    if let Some(message) = crate::merge::replace_problem(what, &name.value, marked, builtin) {
        let at = match replaces {
            Some(r) if marked => position(r),
            _ => position(name),
        };
        cx.error(at, message);
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

fn endpoint(
    cx: &mut Ctx<'_>,
    name: &Spanned<String>,
    e: RawEndpoint,
    known_models: &[&str],
) -> Option<Endpoint> {
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
    // A path may start with a `url` parameter instead: the request goes to that URL (checked
    // once the fields are known).
    if !e.path.value.starts_with('/') && !e.path.value.starts_with('{') {
        cx.error(
            position(&e.path),
            format!(
                "path `{}` must start with `/` (or with a `url` path parameter)",
                e.path.value
            ),
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
    if e.path.value.starts_with('{')
        && let Some(first) = params.first()
        && fields
            .iter()
            .any(|f| f.name == *first && f.ty != FieldType::Url)
    {
        cx.error(
            position(&e.path),
            format!(
                "path `{}` starts with `{{{first}}}`, so `{first}` must be `type: url`: the request goes to that address",
                e.path.value
            ),
        );
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
        None => Some(SigningRule::SortedJoin),
        Some(r) if r.rule.value == "none" => {
            if r.fields.is_some() || r.append_key.is_some() || r.reason.is_some() {
                cx.error(
                    position(&r.rule),
                    "an unsigned request (`rule: none`) takes no other keys",
                );
            }
            None
        }
        Some(r) => Some(rule(cx, r, &fields, "request")),
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
    let one_of = one_of(cx, e.one_of.as_ref(), &fields);
    let response = match &e.response {
        None => {
            cx.error(
                position(name),
                format!(
                    "endpoint `{}` has no `response: {{ model: ... }}`; declare what it answers under `models:` (a model with no fields if it answers only code and message: the built-in `status`)",
                    name.value
                ),
            );
            Response {
                model: String::new(),
            }
        }
        Some(r) => {
            if !known_models.contains(&r.model.value.as_str()) {
                cx.unknown("model", &r.model, known_models);
            }
            Response {
                model: r.model.value.clone(),
            }
        }
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
        one_of,
        replaces: e.replaces.is_some_and(|r| r.value),
        position: position(name),
    })
}

/// The `one_of` groups: each of at least two different fields of the endpoint, optional and
/// the merchant's (a required one would meet the group by itself; the credentials and the spec's
/// constants are not the request's to leave out).
fn one_of(cx: &mut Ctx<'_>, raw: Option<&RawGroups>, fields: &[Field]) -> Vec<Vec<String>> {
    let Some(groups) = raw else {
        return Vec::new();
    };
    if groups.value.len() > MAX_ONE_OF_GROUPS {
        cx.error(
            position(groups),
            format!(
                "an endpoint has at most {MAX_ONE_OF_GROUPS} `one_of` groups, not {}",
                groups.value.len()
            ),
        );
    }
    let field_names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let mut out = Vec::with_capacity(groups.value.len());
    for group in &groups.value {
        if group.value.len() < 2 {
            cx.error(
                position(group),
                "a `one_of` group names at least two fields, of which a request gives at least one; a field needed on its own is not `optional`",
            );
        }
        let mut names: Vec<String> = Vec::with_capacity(group.value.len());
        for n in &group.value {
            if names.contains(&n.value) {
                cx.error(
                    position(n),
                    format!("`{}` appears twice in this `one_of` group", n.value),
                );
                continue;
            }
            match fields.iter().find(|f| f.name == n.value) {
                None => cx.unknown("field", n, &field_names),
                Some(f) if f.source != Source::Merchant => cx.error(
                    position(n),
                    format!(
                        "`one_of` names `{}`, which {}; a group is of fields the request gives",
                        n.value,
                        match f.source {
                            Source::Credentials => "is filled in from the credentials",
                            _ => "is a constant of the spec",
                        }
                    ),
                ),
                Some(f) if !f.optional => cx.error(
                    position(n),
                    format!(
                        "`one_of` names `{}`, which is required, so the group is always met; make it `optional: true`",
                        n.value
                    ),
                ),
                Some(_) => {}
            }
            names.push(n.value.clone());
        }
        out.push(names);
    }
    out
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

/// The shared enums of `raw`: named like nothing else of the spec's types (their Rust types share
/// one namespace with the models'), a built-in one never declared again, values given once each.
fn named_enums(
    cx: &mut Ctx<'_>,
    raw: OrderedMap<RawEnum>,
    models: &[&str],
    base: Option<&Spec>,
) -> BTreeMap<String, NamedEnum> {
    let mut out = BTreeMap::new();
    for (name, e) in raw.0 {
        check_name(cx, "enum", &name);
        if out.contains_key(&name.value) {
            cx.error(
                position(&name),
                format!("enum `{}` is defined twice", name.value),
            );
            continue;
        }
        if base.is_some_and(|b| b.named_enum(&name.value).is_some()) {
            cx.error(
                position(&name),
                format!(
                    "enum `{}` is a built-in enum; use it as it is (`enum: {}` on a member), do not declare it again",
                    name.value, name.value
                ),
            );
            continue;
        }
        if models.contains(&name.value.as_str()) {
            cx.error(
                position(&name),
                format!(
                    "enum `{}` is named like a model; give it another name (both become Rust types)",
                    name.value
                ),
            );
        }
        if e.values.value.is_empty() {
            cx.error(position(&e.values), "`values` of an enum must not be empty");
        }
        let at = position(&e.values);
        let mut values: Vec<String> = Vec::new();
        for v in e.values.value {
            if values.contains(&v) {
                cx.error(
                    at,
                    format!("value `{v}` of enum `{}` is listed twice", name.value),
                );
            } else {
                values.push(v);
            }
        }
        out.insert(
            name.value.clone(),
            NamedEnum {
                name: name.value,
                doc: e.doc,
                values,
            },
        );
    }
    out
}

/// The values of an enum field or member: given, and not an empty list.
fn enum_values(
    cx: &mut Ctx<'_>,
    name: &Spanned<String>,
    ty: &Spanned<String>,
    values: &Option<Spanned<Vec<String>>>,
) -> Option<Vec<String>> {
    match values {
        Some(v) if !v.value.is_empty() => Some(v.value.clone()),
        Some(v) => {
            cx.error(position(v), "`values` of an enum must not be empty");
            None
        }
        None => {
            cx.error(
                position(ty),
                format!(
                    "field `{}` is an enum but has no `values: [...]`",
                    name.value
                ),
            );
            None
        }
    }
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
        "enum" => {
            enum_values(cx, name, &f.ty, &f.values).map_or(FieldType::String, FieldType::Enum)
        }
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
    let positive = match &f.positive {
        Some(p) if p.value && !matches!(ty, FieldType::Amount | FieldType::Decimal) => {
            cx.error(
                position(p),
                format!(
                    "`positive` is only for money (`type: amount` or `decimal`), not `{}`",
                    f.ty.value
                ),
            );
            false
        }
        Some(p) => p.value,
        None => false,
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
        positive,
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

/// The result codes; a merchant's file has the built-in ones, and may add more.
fn codes(
    cx: &mut Ctx<'_>,
    raw: crate::parse::OrderedMap<crate::parse::RawCode>,
    base: Option<&Spec>,
) -> Vec<ResultCode> {
    let mut out: Vec<ResultCode> = base.map(|b| b.codes.clone()).unwrap_or_default();
    for (name, c) in raw.0 {
        check_name(cx, "code", &name);
        let code = i64::try_from(c.code.value).unwrap_or(i64::MAX);
        if code == 0 {
            cx.error(
                position(&c.code),
                "code 0 is success, not a code to declare",
            );
        }
        let declared = ResultCode {
            name: name.value.clone(),
            code,
            message: c.message.value,
            doc: c.doc,
        };
        if let Some(other) = out.iter().find(|o| o.name == name.value || o.code == code) {
            cx.error(
                position(&name),
                crate::merge::code_problem(&declared, other),
            );
            continue;
        }
        out.push(declared);
    }
    out
}

/// Marks the models that endpoints answer with as answers (they carry the envelope), and refuses
/// a model that is both an answer and nested in another, or that declares an envelope member.
fn mark_answers(
    cx: &mut Ctx<'_>,
    models: &mut BTreeMap<String, Model>,
    endpoints: &BTreeMap<String, Endpoint>,
) {
    let nested_names: BTreeSet<String> = models
        .values()
        .flat_map(|m| m.fields.iter().filter_map(|f| f.ty.nested_model()))
        .map(str::to_owned)
        .collect();
    for e in endpoints.values() {
        let Some(m) = models.get_mut(&e.response.model) else {
            continue;
        };
        if nested_names.contains(&m.name) {
            cx.error(
                e.position,
                format!(
                    "model `{}` answers endpoint `{}` and is also nested in another model; an answer carries `code` and `message`, a nested object does not: declare two models",
                    m.name, e.name
                ),
            );
        }
        if !m.envelope {
            for f in m
                .fields
                .iter()
                .filter(|f| ENVELOPE.contains(&f.name.as_str()))
            {
                cx.error(
                    m.position,
                    format!(
                        "model `{}` answers endpoint `{}`, so `{}` is already part of it (every answer has `code`, `message` and `messageCN`); remove the field",
                        m.name, e.name, f.name
                    ),
                );
            }
        }
        m.envelope = true;
    }
}

fn model(
    cx: &mut Ctx<'_>,
    name: &Spanned<String>,
    m: RawModel,
    known: &[&str],
    enums: &BTreeMap<&str, &[String]>,
) -> Option<Model> {
    let before = cx.errors.len();
    let mut fields: Vec<ModelField> = Vec::new();
    for (field_name, f) in m.fields.0 {
        if field_name.value.is_empty() {
            cx.error(position(&field_name), "a field name must not be empty");
        }
        fields.push(model_field(cx, &field_name, f, known, enums));
    }
    let signature = match &m.signature {
        None => ModelSignature::None,
        Some(r) => model_signature(cx, r, &fields, &name.value),
    };
    if !matches!(signature, ModelSignature::None)
        && !fields.iter().any(|f| f.name == SIGNATURE_FIELD)
    {
        cx.error(
            position(name),
            format!(
                "model `{}` is signed, so it needs a `signature: {{ type: string }}` field",
                name.value
            ),
        );
    }
    if cx.errors.len() > before {
        return None;
    }
    Some(Model {
        name: name.value.clone(),
        doc: m.doc,
        fields,
        signature,
        envelope: false,
        position: position(name),
    })
}

const SIGNATURE_FIELD: &str = "signature";

fn model_signature(
    cx: &mut Ctx<'_>,
    r: &RawRule,
    fields: &[ModelField],
    model: &str,
) -> ModelSignature {
    match r.rule.value.as_str() {
        "none" => ModelSignature::None,
        "undocumented" => match &r.reason {
            Some(reason) if !reason.value.trim().is_empty() => {
                ModelSignature::Undocumented(reason.value.clone())
            }
            _ => {
                cx.error(
                    position(&r.rule),
                    "an `undocumented` signature needs a `reason`: what is known, and why it is not verified",
                );
                ModelSignature::None
            }
        },
        "sorted_join" | "concat" => {
            if r.reason.is_some() {
                cx.error(
                    position(&r.rule),
                    "`reason` is only for an `undocumented` signature",
                );
            }
            // The rule's field checks want request fields; a model's members are all signed.
            let as_fields: Vec<Field> = fields
                .iter()
                .map(|f| Field {
                    name: f.name.clone(),
                    ty: FieldType::String,
                    location: Location::Body,
                    optional: f.optional,
                    source: Source::Merchant,
                    signed: true,
                    positive: false,
                    doc: String::new(),
                })
                .collect();
            let rule = rule(cx, r, &as_fields, &format!("`{model}`"));
            if let SigningRule::Concat { fields: names, .. } = &rule {
                for n in r.fields.iter().flatten() {
                    if let Some(f) = fields.iter().find(|f| f.name == n.value) {
                        if f.optional || f.nullable {
                            cx.error(
                                position(n),
                                format!(
                                    "the `{model}` signature covers `{}`, so it cannot be optional or nullable: a signed answer always has it",
                                    n.value
                                ),
                            );
                        }
                        if !matches!(
                            f.ty,
                            ModelType::String
                                | ModelType::Integer
                                | ModelType::Amount
                                | ModelType::Decimal
                                | ModelType::Enum(_)
                        ) {
                            cx.error(
                                position(n),
                                format!(
                                    "the `{model}` signature covers `{}`, a {}; only texts, numbers and amounts are signed",
                                    n.value,
                                    f.ty.name()
                                ),
                            );
                        }
                    }
                    if n.value == SIGNATURE_FIELD {
                        cx.error(position(n), "a signature cannot cover `signature` itself");
                    }
                }
                let _ = names;
            }
            ModelSignature::Signed(rule)
        }
        _ => {
            cx.unknown(
                "signature rule",
                &r.rule,
                &["concat", "sorted_join", "none", "undocumented"],
            );
            ModelSignature::None
        }
    }
}

fn model_field(
    cx: &mut Ctx<'_>,
    name: &Spanned<String>,
    f: RawModelField,
    known: &[&str],
    enums: &BTreeMap<&str, &[String]>,
) -> ModelField {
    let ty_name = f.ty.value.as_str();
    let ty = match ty_name {
        "string" => ModelType::String,
        "integer" => ModelType::Integer,
        "boolean" => ModelType::Boolean,
        "amount" => ModelType::Amount,
        "decimal" => ModelType::Decimal,
        "object" => ModelType::Object,
        "enum" => {
            enum_values(cx, name, &f.ty, &f.values).map_or(ModelType::String, ModelType::Enum)
        }
        "model" => match &f.model {
            Some(m) => {
                if !known.contains(&m.value.as_str()) {
                    cx.unknown("model", m, known);
                }
                ModelType::Model(m.value.clone())
            }
            None => {
                cx.error(
                    position(&f.ty),
                    format!(
                        "field `{}` is a nested model but does not say which: add `model: NAME`",
                        name.value
                    ),
                );
                ModelType::String
            }
        },
        "list" => match &f.of {
            Some(of) if LIST_ITEM_TYPES.contains(&of.value.as_str()) => {
                ModelType::List(Box::new(match of.value.as_str() {
                    "integer" => ModelType::Integer,
                    "boolean" => ModelType::Boolean,
                    "amount" => ModelType::Amount,
                    "decimal" => ModelType::Decimal,
                    _ => ModelType::String,
                }))
            }
            Some(of) if known.contains(&of.value.as_str()) => {
                ModelType::List(Box::new(ModelType::Model(of.value.clone())))
            }
            Some(of) => {
                let choices: Vec<&str> = LIST_ITEM_TYPES.iter().chain(known).copied().collect();
                cx.unknown("list item type or model", of, &choices);
                ModelType::String
            }
            None => {
                cx.error(
                    position(&f.ty),
                    format!(
                        "field `{}` is a list but does not say of what: add `of: string` or `of: MODEL`",
                        name.value
                    ),
                );
                ModelType::String
            }
        },
        _ => {
            cx.unknown("type", &f.ty, MODEL_TYPES);
            ModelType::String
        }
    };
    if let (Some(v), false) = (&f.values, matches!(ty, ModelType::Enum(_))) {
        cx.error(
            position(v),
            format!("`values` is only for `type: enum`, not `{ty_name}`"),
        );
    }
    // A member naming a shared enum takes some of its values.
    match (&f.named_enum, &ty) {
        (Some(e), ModelType::Enum(values)) => match enums.get(e.value.as_str()) {
            None => {
                let choices: Vec<&str> = enums.keys().copied().collect();
                cx.unknown("enum", e, &choices);
            }
            Some(all) => {
                let outside: Vec<&str> = values
                    .iter()
                    .filter(|v| !all.contains(v))
                    .map(String::as_str)
                    .collect();
                if !outside.is_empty() {
                    cx.error(
                        position(e),
                        format!(
                            "field `{}` takes {}, which enum `{}` does not list (its values: {})",
                            name.value,
                            outside
                                .iter()
                                .map(|v| format!("`{v}`"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            e.value,
                            all.join(", ")
                        ),
                    );
                }
            }
        },
        (Some(e), _) => cx.error(
            position(e),
            format!("`enum` is only for `type: enum`, not `{ty_name}`"),
        ),
        (None, _) => {}
    }
    if let (Some(m), false) = (&f.model, ty_name == "model") {
        cx.error(
            position(m),
            format!("`model` is only for `type: model`, not `{ty_name}`"),
        );
    }
    if let (Some(o), false) = (&f.of, ty_name == "list") {
        cx.error(
            position(o),
            format!("`of` is only for `type: list`, not `{ty_name}`"),
        );
    }
    let named_enum = f
        .named_enum
        .filter(|_| matches!(ty, ModelType::Enum(_)))
        .map(|e| e.value);
    ModelField {
        name: name.value.clone(),
        ty,
        optional: f.optional.is_some_and(|o| o.value),
        nullable: f.nullable.is_some_and(|o| o.value),
        named_enum,
        doc: f.doc,
    }
}

fn inbound_message(
    cx: &mut Ctx<'_>,
    name: &Spanned<String>,
    m: RawInbound,
    known: &[&str],
    models: &BTreeMap<String, Model>,
    base: Option<&Spec>,
) -> Option<Inbound> {
    let before = cx.errors.len();
    let encoding = match m.encoding.value.as_str() {
        "form" => Encoding::Form,
        "query" => Encoding::Query,
        _ => {
            cx.unknown("encoding", &m.encoding, &["form", "query"]);
            Encoding::Form
        }
    };
    let model = models
        .get(&m.model.value)
        .or_else(|| base.and_then(|b| b.model(&m.model.value)));
    let signature = match model.map(|m| &m.signature) {
        None => {
            if !known.contains(&m.model.value.as_str()) {
                cx.unknown("model", &m.model, known);
            }
            None
        }
        Some(ModelSignature::Signed(rule @ SigningRule::Concat { .. })) => Some(rule.clone()),
        Some(_) => {
            cx.error(
                position(&m.model),
                format!(
                    "inbound message `{}` uses model `{}`, which is not signed by a `concat` rule; Latipay signs what it sends the merchant with Rule B",
                    name.value, m.model.value
                ),
            );
            None
        }
    };
    if cx.errors.len() > before {
        return None;
    }
    Some(Inbound {
        name: name.value.clone(),
        doc: m.doc,
        encoding,
        model: m.model.value,
        signature: signature?,
        replaces: m.replaces.is_some_and(|r| r.value),
    })
}
