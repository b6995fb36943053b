//! Checks the struct against its endpoint and decides, for every field of the endpoint, where its
//! value comes from. Every problem is reported to the context; a plan comes out only when the
//! struct is valid.

use std::collections::BTreeMap;

use latipay_spec::{Endpoint, Field as SpecField, FieldType, Source, did_you_mean, group_text};

use crate::ast::{self, Container};
use crate::attr::PROVIDES_CREDENTIALS;
use crate::ctxt::Ctxt;
use crate::spec::Specs;

/// What the expansion needs: the endpoint, and each of its fields with the source of its value.
pub struct Plan<'a> {
    pub endpoint: Endpoint,
    /// The merchant's spec, when the endpoint's answer is a model of its own.
    pub own_models: Option<std::sync::Arc<latipay_spec::Spec>>,
    pub items: Vec<Item<'a>>,
    /// The merchant's spec file, which the generated code includes so that editing it rebuilds.
    pub spec_file: Option<std::path::PathBuf>,
}

pub struct Item<'a> {
    pub field: SpecField,
    pub value: Value<'a>,
}

pub enum Value<'a> {
    /// The struct's field.
    Struct(&'a ast::Field<'a>),
    /// The struct's field, falling back to the credentials' value when it is empty.
    StructOrCredential(&'a ast::Field<'a>, Credential),
    /// The credentials' value.
    Credential(Credential),
    /// A constant of the spec.
    Const(String),
    /// An optional field the struct does not carry: never sent.
    Absent,
}

#[derive(Clone, Copy)]
pub enum Credential {
    UserId,
    WalletId,
}

impl Plan<'_> {
    /// Items that are signed, in signing order.
    pub fn signed(&self) -> Vec<&Item<'_>> {
        self.endpoint
            .signed_fields()
            .into_iter()
            .filter_map(|f| self.item(&f.name))
            .collect()
    }

    /// Items that are sent, sorted by wire name.
    pub fn sent(&self) -> Vec<&Item<'_>> {
        self.endpoint
            .sent_fields()
            .into_iter()
            .filter_map(|f| self.item(&f.name))
            .filter(|i| !matches!(i.value, Value::Absent))
            .collect()
    }

    fn item(&self, name: &str) -> Option<&Item<'_>> {
        self.items.iter().find(|i| i.field.name == name)
    }
}

pub fn check<'a>(cx: &Ctxt, cont: &'a Container<'a>) -> Option<Plan<'a>> {
    let Some(endpoint_lit) = &cont.attrs.endpoint else {
        cx.error_spanned_by(
            cont.ident,
            "missing `#[latipay(endpoint = \"...\")]`: which Latipay endpoint is this struct for?",
        );
        return None;
    };
    let specs = Specs::load(cx, cont.attrs.spec.as_ref())?;
    let name = endpoint_lit.value();
    let endpoint = specs.find_endpoint(cx, endpoint_lit)?;
    if endpoint.signing.is_none() {
        cx.error_spanned_by(
            endpoint_lit,
            format!(
                "Latipay takes `{name}` unsigned, so it is not a `LatipaySigned` request; \
                 send it with the client without a struct (for `gatewaydata`: \
                 `client.gateway_data(&transaction)`)"
            ),
        );
        return None;
    }

    let mut by_wire: BTreeMap<&str, &ast::Field<'_>> = BTreeMap::new();
    for f in cont.fields.iter().filter(|f| f.attrs.skip.is_none()) {
        if let Some(first) = by_wire.get(f.wire.as_str()) {
            cx.error_at(
                f.wire_span,
                format!(
                    "two fields are sent as `{}`: this one and `{}`",
                    f.wire, first.ident
                ),
            );
            continue;
        }
        by_wire.insert(&f.wire, f);
        check_field(cx, endpoint, f);
    }

    let mut items = Vec::with_capacity(endpoint.fields.len());
    let mut missing = Vec::new();
    for sf in &endpoint.fields {
        let carried = by_wire.get(sf.name.as_str()).copied();
        let credential = match sf.name.as_str() {
            "user_id" => Credential::UserId,
            _ => Credential::WalletId,
        };
        let value = match (&sf.source, carried) {
            (Source::Const(_), Some(_)) => continue, // reported by check_field
            (Source::Const(c), None) => Value::Const(c.clone()),
            (Source::Credentials, Some(f)) => Value::StructOrCredential(f, credential),
            (Source::Credentials, None) => Value::Credential(credential),
            (Source::Merchant, Some(f)) => Value::Struct(f),
            (Source::Merchant, None) if sf.optional => Value::Absent,
            (Source::Merchant, None) => {
                // A field skipped by name is reported on its `skip`, not as missing.
                match skipped_as(cont, &sf.name) {
                    Some(span) => cx.error_at(
                        span,
                        format!(
                            "`{}` is required by Latipay endpoint `{}`, so it cannot be skipped; \
                             remove `#[latipay(skip)]`",
                            sf.name, endpoint.name
                        ),
                    ),
                    None => missing.push(sf),
                }
                continue;
            }
        };
        items.push(Item {
            field: sf.clone(),
            value,
        });
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|m| format!("`{}`: {}", m.name, crate::fit::accepts(&m.ty)))
            .collect();
        cx.error_spanned_by(
            cont.ident,
            format!(
                "missing required field{} of Latipay endpoint `{}`: {}",
                if missing.len() == 1 { "" } else { "s" },
                endpoint.name,
                list.join(", ")
            ),
        );
    }
    // A `one_of` group must be possible to meet; whether it is met is known when signing.
    for group in &endpoint.one_of {
        if !group.iter().any(|n| by_wire.contains_key(n.as_str())) {
            let names = group_text(group);
            let skipped: Vec<String> = group
                .iter()
                .filter(|n| skipped_as(cont, n).is_some())
                .map(|n| format!("`{n}`"))
                .collect();
            let skipped = match skipped.len() {
                0 => String::new(),
                1 => format!("; {} is `#[latipay(skip)]`, so it is not sent", skipped[0]),
                _ => format!(
                    "; {} are `#[latipay(skip)]`, so they are not sent",
                    skipped.join(", ")
                ),
            };
            cx.error_spanned_by(
                cont.ident,
                format!(
                    "Latipay endpoint `{}` needs {names}: add a field {names} (an `Option` if it \
                     may be left out; a request where none has a value is refused when \
                     signing){skipped}",
                    endpoint.name
                ),
            );
        }
    }
    if cx.has_errors() {
        return None;
    }
    let own_models = specs.merchant.as_ref().and_then(|(spec, _)| {
        let builtin = specs.builtin.model(&endpoint.response.model).is_some();
        (!builtin && spec.endpoint(&name).is_some()).then(|| spec.clone())
    });
    Some(Plan {
        endpoint: endpoint.clone(),
        own_models,
        items,
        spec_file: specs.merchant.map(|(_, path)| path),
    })
}

/// `endpoint`'s fields that come from the credentials, for messages: "`user_id`, `wallet_id`".
fn credential_names(endpoint: &Endpoint) -> String {
    let names: Vec<String> = endpoint
        .fields
        .iter()
        .filter(|f| f.source == Source::Credentials)
        .map(|f| format!("`{}`", f.name))
        .collect();
    if names.is_empty() {
        "it has none".to_owned()
    } else {
        names.join(", ")
    }
}

/// The `skip` of a skipped field whose wire name would be `name`.
fn skipped_as(cont: &Container<'_>, name: &str) -> Option<proc_macro2::Span> {
    cont.fields
        .iter()
        .find(|f| f.wire == name)
        .and_then(|f| f.attrs.skip)
}

fn check_field(cx: &Ctxt, endpoint: &Endpoint, f: &ast::Field<'_>) {
    let Some(sf) = endpoint.field(&f.wire) else {
        let hint = match did_you_mean(&f.wire, endpoint.fields.iter().map(|f| f.name.as_str())) {
            Some(m) if f.attrs.rename.is_some() => format!("; did you mean `{m}`?"),
            Some(m) => format!("; did you mean `{m}`? (or `#[latipay(rename = \"{m}\")]`)"),
            None => {
                let names: Vec<&str> = endpoint.fields.iter().map(|f| f.name.as_str()).collect();
                format!(
                    "; its fields are: {}. Use `#[latipay(skip)]` for a field that is not sent",
                    names.join(", ")
                )
            }
        };
        cx.error_at(
            f.wire_span,
            format!(
                "Latipay endpoint `{}` has no field `{}`{hint}",
                endpoint.name, f.wire
            ),
        );
        return;
    };
    if let Source::Const(c) = &sf.source {
        cx.error_at(
            f.wire_span,
            format!(
                "`{}` is fixed to \"{c}\" by the spec of `{}`; remove the field, it is filled in",
                sf.name, endpoint.name
            ),
        );
        return;
    }
    match (&sf.source, f.attrs.provides_credentials) {
        (Source::Credentials, None) => cx.error_at(
            f.wire_span,
            format!(
                "`{}` comes from the client's credentials; to send this struct's own `{}` \
                 instead (a marketplace sending for several merchants), add \
                 `#[latipay({PROVIDES_CREDENTIALS})]` to the field, or remove the field",
                sf.name, sf.name
            ),
        ),
        (Source::Merchant, Some(span)) => cx.error_at(
            span,
            format!(
                "`{PROVIDES_CREDENTIALS}` is for a field that Latipay endpoint `{}` fills in from \
                 the credentials ({}); `{}` is not one, remove the attribute",
                endpoint.name,
                credential_names(endpoint),
                sf.name
            ),
        ),
        _ => {}
    }
    if let (Some(span), FieldType::Amount | FieldType::Decimal) = (ast::is_float(f.ty), &sf.ty) {
        cx.error_at(
            span,
            format!(
                "`{}` is money, and money is never a float: use `latipay_runtime::Amount` (or a `String` of decimal text)",
                f.wire
            ),
        );
        return;
    }
    if let Some(message) = crate::fit::mismatch(&sf.name, f.ty, &sf.ty) {
        cx.error_spanned_by(f.ty, message);
    }
    if f.option_inner.is_some() && !sf.optional && sf.source == Source::Merchant {
        cx.error_spanned_by(
            f.ty,
            format!(
                "`{}` is required by Latipay endpoint `{}`, so it cannot be an `Option`",
                sf.name, endpoint.name
            ),
        );
    }
}
