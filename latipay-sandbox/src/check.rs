//! Checking one request against its spec endpoint, in Latipay's order of complaints: missing
//! fields or a `one_of` group none of whose fields is given (204), wrong values (a zero amount
//! where the spec says `positive` too) or unknown fields (207), unknown user (205), a wallet not the
//! user's (450), the signature (206). Values are checked and signed exactly as received.

use std::borrow::Cow;
use std::collections::HashSet;

use axum::http::StatusCode;
use latipay_spec::inbound::{self, InboundError, SIGNATURE, kind_of, text_of};
use latipay_spec::inbound::{FormPairs, RawObject};
use latipay_spec::value::{check as check_value, check_positive};
use latipay_spec::{
    Amount, Endpoint, Field, FieldType, Method, SigningKey, Source, did_you_mean, group_text,
};

use crate::codes::{ApiError, Code};
use crate::config::{User, Wallet};
use crate::magic::Magic;

/// A request that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    /// Received fields by wire name, values as received (signature left out).
    pub fields: Vec<(String, String)>,
    /// The user who signed it.
    pub user: User,
    /// The wallet it names, if the endpoint has one and it was given.
    pub wallet: Option<Wallet>,
}

impl Checked {
    /// The value of `name`, if given and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The amount in `name`; checked already, so only absence gives `None`.
    pub fn amount(&self, name: &str) -> Option<Amount> {
        self.get(name).and_then(|t| Amount::parse(t).ok())
    }
}

/// What arrived, before checking.
pub(crate) struct Incoming<'a> {
    pub path_params: Vec<(String, String)>,
    pub query: &'a str,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// A value as received: text, or null (which Latipay treats like a missing field).
enum Received {
    Text(String),
    Null,
}

fn gather(
    endpoint: &Endpoint,
    incoming: &Incoming<'_>,
) -> Result<Vec<(String, Received)>, ApiError> {
    let mut out: Vec<(String, Received)> = incoming
        .path_params
        .iter()
        .map(|(n, v)| (n.clone(), Received::Text(v.clone())))
        .collect();
    if !incoming.query.is_empty() {
        let query = FormPairs::parse(incoming.query.as_bytes())
            .map_err(|e| ApiError::new(Code::ParamWrong, format!("query string: {e}")))?;
        for (n, v) in query.into_pairs() {
            out.push((n, Received::Text(v)));
        }
    }
    if matches!(endpoint.method, Method::Post | Method::Put) {
        let is_json = incoming
            .content_type
            .and_then(|ct| ct.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::http(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "{} {} takes a JSON body: send Content-Type: application/json;charset=UTF-8 (got {})",
                    endpoint.method,
                    endpoint.path,
                    incoming.content_type.unwrap_or("no Content-Type")
                ),
            ));
        }
        let text = std::str::from_utf8(incoming.body)
            .map_err(|_| ApiError::http(StatusCode::BAD_REQUEST, "the body is not UTF-8 text"))?;
        let json = RawObject::parse(text).map_err(|e| {
            ApiError::http(StatusCode::BAD_REQUEST, format!("malformed JSON body: {e}"))
        })?;
        for (name, raw) in json.members() {
            let received = match text_of(raw) {
                Some(text) => Received::Text(text.into_owned()),
                None if raw.get() == "null" => Received::Null,
                None => {
                    return Err(ApiError::new(
                        Code::ParamWrong,
                        format!("`{name}` is {}; Latipay fields are strings", kind_of(raw)),
                    ));
                }
            };
            out.push((name.to_owned(), received));
        }
    }
    Ok(out)
}

/// The text of `name` as received, if given and not empty.
fn value<'r>(received: &'r [(String, Received)], name: &str) -> Option<&'r str> {
    received
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| match v {
            Received::Text(t) if !t.is_empty() => Some(t.as_str()),
            _ => None,
        })
}

/// Whether a request is complete without `field`: it is optional, or it is a constant that is
/// not signed (the Alipay mini app's `payment_method`, which Latipay's parameter table leaves
/// out and its example sends): its value is known anyway, and the signature does not cover it.
fn may_be_absent(field: &Field) -> bool {
    field.optional || (!field.signed && matches!(field.source, Source::Const(_)))
}

/// Reads `incoming` and checks its fields against `endpoint`: required fields and the
/// signature (when the endpoint is signed) present, and a field of each `one_of` group (204); no
/// unknown or repeated names, values of the right type, no zero where the spec says `positive`
/// (207). The fields as received.
fn check_fields(
    endpoint: &Endpoint,
    incoming: &Incoming<'_>,
) -> Result<Vec<(String, Received)>, ApiError> {
    let received = gather(endpoint, incoming)?;
    let signed = endpoint.signing.is_some();
    let known = |n: &str| (signed && n == SIGNATURE) || endpoint.field(n).is_some();

    // Unknown names first, as hints: a typo usually also shows up as a missing field.
    let unknown: Vec<String> = at_most(
        received.iter().map(|(n, _)| n).filter(|n| !known(n)),
        |n| match did_you_mean(n, endpoint.fields.iter().map(|f| f.name.as_str())) {
            Some(hint) => format!("unknown field `{n}` (did you mean `{hint}`?)"),
            None => format!("unknown field `{n}`"),
        },
        "unknown fields",
    );
    // Each repeated name once, in the order of its second appearance. Sets keep this linear: a
    // request of thousands of members costs what reading it costs, and does not hold up the
    // sandbox's other requests.
    let (mut seen, mut reported) = (HashSet::new(), HashSet::new());
    let duplicate: Vec<&str> = received
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !seen.insert(*n) && reported.insert(*n))
        .collect();

    // 204: required fields and the signature, and a field of each `one_of` group.
    let mut missing: Vec<String> = endpoint
        .fields
        .iter()
        .filter(|f| !may_be_absent(f))
        .map(|f| f.name.as_str())
        .chain(signed.then_some(SIGNATURE))
        .filter(|n| value(&received, n).is_none())
        .map(|n| {
            let null = received
                .iter()
                .any(|(m, v)| m == n && matches!(v, Received::Null));
            if null {
                format!("`{n}` (null)")
            } else {
                format!("`{n}`")
            }
        })
        .collect();
    missing.extend(
        endpoint
            .unmet_groups(|n| value(&received, n).is_some())
            .into_iter()
            .map(group_text),
    );
    if !missing.is_empty() {
        let mut detail = missing.join(", ");
        for u in &unknown {
            detail.push_str("; ");
            detail.push_str(u);
        }
        return Err(ApiError::new(Code::FieldsNull, detail));
    }

    // 207: unknown or repeated fields, and values their type does not accept.
    let mut wrong: Vec<String> = unknown;
    wrong.extend(at_most(
        duplicate.iter(),
        |n| format!("`{n}` is given more than once"),
        "fields given more than once",
    ));
    for field in &endpoint.fields {
        let Some(text) = value(&received, &field.name) else {
            continue;
        };
        if let Source::Const(expected) = &field.source
            && text != expected
        {
            wrong.push(format!(
                "`{}` must be `{expected}`, got `{text}`",
                field.name
            ));
            continue;
        }
        // Amounts are accepted as Latipay accepts them (`120` or `120.00`); the signature must
        // then cover the same text, which is what catches a `120` vs `120.00` mismatch.
        let result = match &field.ty {
            FieldType::Amount | FieldType::Decimal => Amount::parse(text)
                .map_err(|e| e.to_string())
                .and_then(|_| match check_positive(text) {
                    Err(e) if field.positive => Err(e.to_string()),
                    _ => Ok(()),
                }),
            ty => check_value(ty, text).map_err(|e| e.to_string()),
        };
        if let Err(e) = result {
            wrong.push(format!("`{}`: {e} (got `{text}`)", field.name));
        }
    }
    if !wrong.is_empty() {
        return Err(ApiError::new(Code::ParamWrong, wrong.join("; ")));
    }
    Ok(received)
}

/// The most complaints of one kind a message lists; the rest are counted.
const LISTED: usize = 20;

/// The complaints about the first [`LISTED`] of `items`, then how many more there are of
/// `what`: a request with thousands of unknown names gets an answer of a few lines, not one line
/// (and one spelling hint) per name.
fn at_most<T>(
    items: impl Iterator<Item = T>,
    complaint: impl Fn(T) -> String,
    what: &str,
) -> Vec<String> {
    let mut listed = Vec::new();
    let mut more = 0usize;
    for item in items {
        if listed.len() < LISTED {
            listed.push(complaint(item));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        listed.push(format!("{more} more {what}"));
    }
    listed
}

/// The fields as received, without the signature and null ones, and with the constants left
/// out filled in: a request without them is played exactly like one with them.
fn fields_of(endpoint: &Endpoint, received: Vec<(String, Received)>) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = received
        .into_iter()
        .filter(|(n, _)| n != SIGNATURE)
        .filter_map(|(n, v)| match v {
            Received::Text(t) => Some((n, t)),
            Received::Null => None,
        })
        .collect();
    for field in &endpoint.fields {
        if let Source::Const(value) = &field.source
            && !fields
                .iter()
                .any(|(n, v)| *n == field.name && !v.is_empty())
        {
            fields.retain(|(n, _)| *n != field.name);
            fields.push((field.name.clone(), value.clone()));
        }
    }
    fields
}

/// Checks `incoming` against `endpoint`, an endpoint Latipay takes unsigned (the merchant-hosted
/// `gatewaydata` step): its fields only, there are no credentials to check. The fields.
pub(crate) fn check_unsigned(
    endpoint: &Endpoint,
    incoming: &Incoming<'_>,
) -> Result<Vec<(String, String)>, ApiError> {
    let received = check_fields(endpoint, incoming)?;
    Ok(fields_of(endpoint, received))
}

/// Checks `incoming` against the signed `endpoint`, with `users` as the accepted accounts.
pub(crate) fn check(
    endpoint: &Endpoint,
    users: &[User],
    incoming: &Incoming<'_>,
) -> Result<Checked, ApiError> {
    let Some(rule) = &endpoint.signing else {
        return Err(ApiError::http(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "the sandbox checked the unsigned endpoint `{}` as a signed one",
                endpoint.name
            ),
        ));
    };
    let received = check_fields(endpoint, incoming)?;

    // 205 and 450: credentials.
    let user_id = value(&received, "user_id").unwrap_or_default();
    let Some(user) = users.iter().find(|u| u.user_id == user_id) else {
        return Err(ApiError::new(
            Code::NoKey,
            format!("user_id `{user_id}` is not a sandbox user"),
        ));
    };
    let wallet = match value(&received, "wallet_id") {
        Some(w) if endpoint.field("wallet_id").is_some() => {
            match user.wallets.iter().find(|x| x.wallet_id == w) {
                Some(wallet) => Some(wallet.clone()),
                None => {
                    return Err(ApiError::new(
                        Code::WalletNotAssigned,
                        format!("wallet `{w}` does not belong to user `{user_id}`"),
                    ));
                }
            }
        }
        _ => None,
    };

    // 206: the signature, by the endpoint's rule over the signed values exactly as received,
    // verified by the spec crate's one verifier.
    let key = SigningKey::new(user.api_key.clone());
    let signed: Vec<(String, String)> = endpoint
        .signed_fields()
        .into_iter()
        .map(|f| f.name.as_str())
        .chain([SIGNATURE])
        .filter_map(|n| value(&received, n).map(|v| (n.to_owned(), v.to_owned())))
        .collect();
    if let Err(e) = inbound::verify(rule, &signed[..], &key) {
        let mut detail = match e {
            InboundError::Mismatch {
                expected_message, ..
            } => format!("expected the HMAC-SHA256 (key: your api_key) of `{expected_message}`"),
            other => other.to_string(),
        };
        let unsigned: Vec<&str> = endpoint
            .fields
            .iter()
            .filter(|f| !f.signed)
            .map(|f| f.name.as_str())
            .collect();
        if !unsigned.is_empty() {
            detail.push_str(&format!(" (not signed: {})", unsigned.join(", ")));
        }
        return Err(ApiError::new(Code::SignatureWrong, detail));
    }
    for name in ["amount", "refund_amount"] {
        if let Some(text) = value(&received, name)
            && Magic::of_text(text) == Magic::RejectSignature
        {
            return Err(ApiError::new(
                Code::SignatureWrong,
                format!(
                    "magic amount ending in .06 in `{name}`: the sandbox refuses this signature on purpose"
                ),
            ));
        }
    }

    Ok(Checked {
        fields: fields_of(endpoint, received),
        user: user.clone(),
        wallet,
    })
}

/// Matches a request path against a spec path template; the `{name}` segments, percent-decoded.
pub(crate) fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        if let Some(name) = ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if ps.is_empty() {
                return None;
            }
            let decoded: Cow<'_, str> = percent_decode(ps);
            params.push((name.to_owned(), decoded.into_owned()));
        } else if ts != ps {
            return None;
        }
    }
    Some(params)
}

fn percent_decode(s: &str) -> Cow<'_, str> {
    // A path segment: `+` is a plus, not a space; FormPairs would turn it into a space.
    let escaped = s.replace('+', "%2B");
    match FormPairs::parse(format!("v={escaped}").as_bytes()) {
        Ok(p) => Cow::Owned(p.get("v").map_or_else(|| s.to_owned(), Cow::into_owned)),
        Err(_) => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_templates() {
        assert_eq!(
            match_path(
                "/v2/transaction/{merchant_reference}",
                "/v2/transaction/a%20b+c"
            ),
            Some(vec![("merchant_reference".into(), "a b+c".into())])
        );
        assert_eq!(match_path("/v2/transaction/{m}", "/v2/transaction/"), None);
        assert_eq!(
            match_path("/v2/transaction", "/v2/transaction"),
            Some(vec![])
        );
        assert_eq!(match_path("/refund", "/v2/refund"), None);
    }
}
