//! The bodies of the fuzz targets in `fuzz/`. They live here so that `cargo test` replays every
//! input kept in `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` through exactly the code
//! the fuzzer ran (`tests/suite/fuzz_corpus.rs`), and the property tests feed them too.
//!
//! Each body must never panic on any input; where an independent answer is known (the amount
//! grammar, re-signing what was parsed), it is asserted too, so a wrong answer is a crash.

use latipay_runtime::response::{
    Barcode, Decode, Gatewaydata, GatewaydataData, Invoice, InvoiceItem, InvoiceList, Minialipay,
    Miniapppay, Query, Status, Transaction,
};
use latipay_runtime::{
    Amount, Credentials, LatipaySigned, Notification, NotificationRef, Redirect,
};
use latipay_spec::inbound::{FormPairs, InboundError, RawObject};
use latipay_spec::inbound::{kind_of, sign, text_of, verify_model, verify_response};
use latipay_spec::{ApiKey, FieldType, Model, ModelSignature, ModelType, SigningKey, Spec};

#[cfg(feature = "sandbox")]
mod sandbox;
#[cfg(feature = "sandbox")]
pub use sandbox::sandbox_http;

/// A target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as directories under `fuzz/corpus` and `fuzz/artifacts`.
#[cfg(feature = "sandbox")]
pub const TARGETS: &[(&str, Target)] = &[
    ("spec", spec),
    ("inbound", inbound),
    ("responses", responses),
    ("amount", amount),
    ("sandbox_http", sandbox_http),
];

/// The targets by name, without the sandbox's (the `sandbox` feature is off).
#[cfg(not(feature = "sandbox"))]
pub const TARGETS: &[(&str, Target)] = &[
    ("spec", spec),
    ("inbound", inbound),
    ("responses", responses),
    ("amount", amount),
];

/// The api_key every target verifies with (the documentation's).
pub const API_KEY: &str = "111222333";

/// The credentials every target verifies with.
pub fn credentials() -> Credentials {
    Credentials::new("U000334333", "W00000001", API_KEY)
}

fn key() -> SigningKey {
    SigningKey::new(ApiKey::new(API_KEY))
}

/// A valid value of each spec type, to sign with every endpoint of a spec that validated.
fn sample(ty: &FieldType) -> String {
    match ty {
        FieldType::String => "x y&z=1".into(),
        FieldType::Amount => "12".into(),
        FieldType::Decimal => "1.5".into(),
        FieldType::Url => "https://m.example/n?a=1".into(),
        FieldType::Ipv4 => "122.122.122.1".into(),
        FieldType::Integer => "-7".into(),
        FieldType::Boolean => "true".into(),
        FieldType::Enum(values) => values.first().cloned().unwrap_or_default(),
    }
}

/// A value of each model type as the text of a form field (an inbound message).
fn sample_text(ty: &ModelType) -> String {
    match ty {
        ModelType::String | ModelType::Object | ModelType::List(_) | ModelType::Model(_) => {
            "x y&z=1".into()
        }
        ModelType::Integer => "-7".into(),
        ModelType::Boolean => "true".into(),
        ModelType::Amount => "120.00".into(),
        ModelType::Decimal => "4.63733".into(),
        ModelType::Enum(values) => values.first().cloned().unwrap_or_default(),
    }
}

/// Models nested deeper than this are not sampled (models may nest each other).
const SAMPLE_DEPTH: usize = 4;

/// A JSON value of `ty` (a nested model signed as its model says); `None` where no valid sample
/// is made (too deep, or a signature that cannot be computed from the sample's values).
fn sample_json(spec: &Spec, ty: &ModelType, key: &SigningKey, depth: usize) -> Option<String> {
    Some(match ty {
        ModelType::String => "\"x y\"".into(),
        ModelType::Integer => "-7".into(),
        ModelType::Boolean => "true".into(),
        ModelType::Amount => "120.00".into(),
        ModelType::Decimal => "4.63733".into(),
        ModelType::Enum(values) => serde_json::Value::from(values.first()?.as_str()).to_string(),
        ModelType::Object => r#"{"b":"2","a":1.50}"#.into(),
        ModelType::List(item) => format!("[{}]", sample_json(spec, item, key, depth)?),
        ModelType::Model(name) => sample_object(spec, spec.model(name)?, key, depth + 1)?,
    })
}

/// A JSON object with every member `model` declares, signed by its rule.
fn sample_object(spec: &Spec, model: &Model, key: &SigningKey, depth: usize) -> Option<String> {
    if depth > SAMPLE_DEPTH {
        return None;
    }
    let mut members = Vec::new();
    for field in model.fields.iter().filter(|f| f.name != "signature") {
        members.push((
            field.name.clone(),
            sample_json(spec, &field.ty, key, depth)?,
        ));
    }
    let unsigned = object_text(&members);
    match &model.signature {
        ModelSignature::Signed(rule) => {
            let object = RawObject::parse(&unsigned).expect("a sample is an object");
            let (signature, _) = sign(rule, &object, key).ok()?;
            members.push(("signature".into(), format!("\"{}\"", signature.to_hex())));
        }
        _ if model.field("signature").is_some() => {
            members.push(("signature".into(), "\"0000\"".into()));
        }
        _ => {}
    }
    Some(object_text(&members))
}

fn object_text(members: &[(String, String)]) -> String {
    let members: Vec<String> = members
        .iter()
        .map(|(n, v)| format!("{}:{v}", serde_json::Value::from(n.as_str())))
        .collect();
    format!("{{{}}}", members.join(","))
}

/// Target `spec`: the YAML spec parser and validator, standalone and as a merchant file, then
/// everything a valid spec is used for: the dynamic signer of each endpoint, each inbound
/// message signed and verified, and each model's sample checked by `shape::check` and verified
/// by `verify_model` (a sample built from a declaration must pass both).
pub fn spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for parse in [latipay_spec::parse, latipay_spec::parse_merchant] {
        match parse(text, "<fuzz>") {
            Ok(spec) => use_spec(&spec),
            Err(errors) => {
                assert!(
                    !errors.0.is_empty(),
                    "an error result names at least one error"
                );
                let _ = errors.to_string();
            }
        }
    }
}

fn use_spec(spec: &Spec) {
    let key = key();
    for endpoint in spec.endpoints.values() {
        let _ = endpoint.signed_fields();
        let _ = endpoint.path_params();
        let all: Vec<(String, String)> = endpoint
            .fields
            .iter()
            .map(|f| (f.name.clone(), sample(&f.ty)))
            .collect();
        for pairs in [&all[..], &[]] {
            match endpoint.sign_dynamic(&key, "U1", "W1", pairs) {
                Ok(signed) => {
                    let _ = signed.request.url("http://127.0.0.1:1");
                    assert_eq!(
                        signed.signature.is_some(),
                        endpoint.signing.is_some(),
                        "an endpoint is signed exactly when the spec says so"
                    );
                    let _ = signed.signature.map(|s| s.to_hex());
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
        assert!(
            spec.response_model(endpoint).is_some(),
            "validation checked that `{}` answers with a model",
            endpoint.name
        );
    }
    for inbound in spec.inbound.values() {
        let model = spec
            .model(&inbound.model)
            .expect("validation checked the inbound message's model");
        let pairs: Vec<(String, String)> = model
            .fields
            .iter()
            .filter(|f| f.name != "signature")
            .map(|f| (f.name.clone(), sample_text(&f.ty)))
            .collect();
        let Ok((signature, _)) = sign(&inbound.signature, &pairs[..], &key) else {
            continue;
        };
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (n, v) in &pairs {
            body.append_pair(n, v);
        }
        body.append_pair("signature", &signature.to_hex());
        let body = body.finish();
        let form = FormPairs::parse(body.as_bytes()).expect("a serialised form parses");
        if let Err(e) = form.verify(inbound, &key) {
            panic!(
                "`{}` signed by its own rule does not verify: {e}\n{body}",
                inbound.name
            );
        }
    }
    for model in spec.models.values() {
        let Some(sample) = sample_object(spec, model, &key, 0) else {
            continue;
        };
        let object = RawObject::parse(&sample).expect("a sample is an object");
        if let Err(e) = latipay_spec::shape::check(spec, model, &object) {
            panic!(
                "the sample of `{}` has not its shape: {e}\n{sample}",
                model.name
            );
        }
        if let Err(e) = verify_model(spec, model, &object, &key) {
            panic!(
                "the sample of `{}` does not verify: {e}\n{sample}",
                model.name
            );
        }
        // Only a signature the model does not declare is an extra member.
        let undeclared = latipay_spec::shape::undeclared(model, &object);
        assert!(
            undeclared.iter().all(|n| *n == "signature"),
            "{undeclared:?}"
        );
    }
}

/// Target `inbound`: notification and redirect parsing and verification from arbitrary bytes,
/// through the runtime (`Notification::verify`, `Redirect::verify`) and the spec crate; then the
/// parsed pairs, signed with the right key by `inbound::sign`, must verify.
pub fn inbound(data: &[u8]) {
    let credentials = credentials();
    let key = key();
    let builtin = latipay_spec::builtin();
    let notification = builtin
        .inbound("notification")
        .expect("the built-in spec has the notification");
    let redirect = builtin
        .inbound("redirect")
        .expect("the built-in spec has the redirect");

    if let Ok(n) = Notification::verify(data, &credentials) {
        let _ = n.amount();
        let _ = n.check_order(Amount::from_cents(12000), "NZD");
    }
    let _ = FormPairs::parse(data).and_then(|f| f.verify(notification, &key));
    let _ = FormPairs::parse(data).and_then(|f| f.verify(redirect, &key));
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Redirect::verify(text, &credentials);
        if let Ok(form) = FormPairs::parse_query(text) {
            let _ = form.verify(redirect, &key);
        }
    }

    let Ok(form) = FormPairs::parse(data) else {
        return;
    };
    // `sign` refuses what `verify` would: a signed field missing, empty or repeated.
    let signed = sign(&notification.signature, &form, &key);
    let Ok((signature, message)) = signed else {
        assert!(
            matches!(
                signed,
                Err(InboundError::Missing(_) | InboundError::Duplicate(_))
            ),
            "{signed:?}"
        );
        return;
    };
    let mut pairs: Vec<(String, String)> = form
        .clone()
        .into_pairs()
        .into_iter()
        .filter(|(n, _)| n != "signature")
        .collect();
    pairs.push(("signature".into(), signature.to_hex()));
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (n, v) in &pairs {
        body.append_pair(n, v);
    }
    let body = body.finish();
    match FormPairs::parse(body.as_bytes()).and_then(|f| f.verify(notification, &key)) {
        Ok(verified) => {
            assert_eq!(
                verified.message, message,
                "sign and verify read the same message"
            );
            let n = Notification::verify(body.as_bytes(), &credentials)
                .expect("the runtime accepts what the spec crate accepts");
            assert_eq!(
                Some(n.merchant_reference.as_str()),
                form.get("merchant_reference").as_deref()
            );
            assert_eq!(Some(n.amount.as_str()), form.get("amount").as_deref());
            assert_eq!(Some(n.status.as_str()), form.get("status").as_deref());
            // The borrowed reading agrees with the owned one.
            let r = NotificationRef::verify(body.as_bytes(), &credentials)
                .expect("the borrowed reading accepts what the owned one does");
            assert_eq!(Notification::from(r), n);
        }
        Err(other) => panic!("a correctly signed notification was refused: {other:?}\n{body}"),
    }
    redirect_round_trip(&form, redirect, &key, &credentials);
}

/// The pairs of `form`, signed by the redirect's rule, as the query of a `return_url`: the
/// query alone, after a `?`, and in a whole URL with a fragment (as pasted from a browser) read
/// by `FormPairs::parse_query` to the same pairs, and each verifies, with the values signed.
fn redirect_round_trip(
    form: &FormPairs<'_>,
    redirect: &latipay_spec::Inbound,
    key: &SigningKey,
    credentials: &Credentials,
) {
    let Ok((signature, message)) = sign(&redirect.signature, form, key) else {
        return;
    };
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (n, v) in form.pairs().filter(|(n, _)| n != "signature") {
        query.append_pair(&n, &v);
    }
    query.append_pair("signature", &signature.to_hex());
    let query = query.finish();
    let expected = FormPairs::parse(query.as_bytes()).expect("a serialised query parses");
    for text in [
        query.clone(),
        format!("?{query}"),
        format!("https://m.example/back?{query}#top"),
        format!("  https://m.example/back?{query}\n"),
    ] {
        let parsed = FormPairs::parse_query(&text).expect("a serialised query parses");
        assert_eq!(
            parsed.clone().into_pairs(),
            expected.clone().into_pairs(),
            "{text}"
        );
        match parsed.verify(redirect, key) {
            Ok(verified) => assert_eq!(verified.message, message, "{text}"),
            Err(e) => panic!("a correctly signed redirect was refused: {e:?}\n{text}"),
        }
    }
    let r = Redirect::verify(&query, credentials).unwrap_or_else(|e| {
        panic!("the runtime refuses a correctly signed redirect: {e}\n{query}")
    });
    assert_eq!(
        Some(r.merchant_reference.as_str()),
        form.get("merchant_reference").as_deref()
    );
    assert_eq!(Some(r.amount.as_str()), form.get("amount").as_deref());
}

/// Whether `object` is a success by the client's reading of `code`.
fn is_success(object: &RawObject) -> bool {
    object.text("code").and_then(|c| c.parse::<i64>().ok()) == Some(0)
}

/// The client's whole decode path for `R` at several HTTP statuses; where the spec's own checks
/// (`shape::check`, `verify_model`) accept a success, the client must accept it too.
fn client_decode<R: LatipaySigned>(
    spec: &Spec,
    text: &str,
    object: Option<&RawObject>,
    credentials: &Credentials,
) {
    for status in [200, 201, 400, 404, 500] {
        if let Err(e) = latipay_runtime::__private::decode_response::<R>(status, text, credentials)
        {
            let _ = (e.to_string(), format!("{e:?}"), e.is_safe_to_retry());
        }
    }
    let Some(object) = object.filter(|o| is_success(o)) else {
        return;
    };
    let model = spec
        .model(<R::Response as Decode>::MODEL)
        .expect("every answer type has its model in the spec");
    // The credentials' api_key is `API_KEY` (see `credentials`).
    if latipay_spec::shape::check(spec, model, object).is_ok()
        && verify_model(spec, model, object, &key()).is_ok()
        && let Err(e) = latipay_runtime::__private::decode_response::<R>(200, text, credentials)
    {
        panic!(
            "`{}`: the spec's checks accept the answer and the client refuses it: {e}\n{text}",
            R::ENDPOINT.name
        );
    }
}

/// One generated type against the spec's own checks of its model: the generated verification
/// refuses nothing `verify_model` accepts and accepts nothing it refuses (when the answer
/// decodes), and what `shape::check` accepts decodes.
fn typed<T: Decode>(spec: &Spec, object: &RawObject, key: &SigningKey) -> Option<T> {
    let model = spec
        .model(T::MODEL)
        .expect("every generated type has its model in the spec");
    let _ = latipay_spec::shape::undeclared(model, object);
    let by_spec = verify_model(spec, model, object, key);
    let by_type = T::verify(object, key);
    let decoded = T::decode(object);
    if let (Ok(_), Err(e)) = (&by_spec, &by_type) {
        panic!(
            "`{}`: verify_model accepts, the generated type refuses: {e}",
            T::MODEL
        );
    }
    if let (Err(e), Ok(()), Ok(_)) = (&by_spec, &by_type, &decoded) {
        panic!(
            "`{}`: the generated type accepts, verify_model refuses: {e}",
            T::MODEL
        );
    }
    // An answer's `code` is read before the type is (and the type requires it).
    let has_code = !model.envelope || object.get("code").is_some();
    if has_code
        && latipay_spec::shape::check(spec, model, object).is_ok()
        && let Err(e) = &decoded
    {
        panic!(
            "`{}`: shape::check accepts, decoding refuses: {e}",
            T::MODEL
        );
    }
    decoded.ok()
}

/// Target `responses`: every answer decoder from arbitrary bytes: `RawObject::parse`, each
/// generated type (`Decode::decode`, `Decode::verify`) checked against the spec's own
/// `verify_model` and `shape::check`, `verify_response` of every built-in endpoint, and the
/// client's whole decode path (codes, signature, typed body) for every endpoint.
pub fn responses(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key = key();
    let credentials = credentials();
    let builtin = latipay_spec::builtin();
    for endpoint in builtin.endpoints.values() {
        if let Err(e) = verify_response(builtin, endpoint, &key, text) {
            let _ = e.to_string();
        }
    }
    let object = RawObject::parse(text).ok();
    if let Some(object) = &object {
        for (_, raw) in object.members() {
            let _ = (kind_of(raw), text_of(raw));
        }
        // Re-emitted members read back the same, in the same order.
        assert_eq!(
            RawObject::parse(&object.to_json()).as_ref(),
            Ok(object),
            "{text}"
        );
        let _ = typed::<Status>(builtin, object, &key);
        if let Some(t) = typed::<Transaction>(builtin, object, &key) {
            let _ = t.payment_url();
        }
        let _ = typed::<Barcode>(builtin, object, &key);
        if let Some(m) = typed::<Minialipay>(builtin, object, &key) {
            let _ = (m.order_str(), m.order_id());
        }
        let _ = typed::<Miniapppay>(builtin, object, &key);
        if let Some(q) = typed::<Query>(builtin, object, &key) {
            let _ = (q.amount.to_amount(), q.status.as_str());
        }
        let _ = typed::<Invoice>(builtin, object, &key);
        if let Some(list) = typed::<InvoiceList>(builtin, object, &key) {
            for item in &list.data {
                let _ = (item.amount.to_amount(), item.status.to_string());
            }
        }
        let _ = typed::<InvoiceItem>(builtin, object, &key);
        if let Some(g) = typed::<Gatewaydata>(builtin, object, &key) {
            let _ = (g.data.amount.to_amount(), g.data.payment_method.as_str());
        }
        let _ = typed::<GatewaydataData>(builtin, object, &key);
    }
    let object = object.as_ref();
    client_decode::<crate::HostedOrder>(builtin, text, object, &credentials);
    client_decode::<crate::BarcodeOrder<'static>>(builtin, text, object, &credentials);
    client_decode::<crate::MiniOrder>(builtin, text, object, &credentials);
    client_decode::<crate::endpoints::WechatMiniOrder>(builtin, text, object, &credentials);
    client_decode::<crate::PaymentQuery>(builtin, text, object, &credentials);
    client_decode::<crate::Refund>(builtin, text, object, &credentials);
    client_decode::<crate::endpoints::Cancel>(builtin, text, object, &credentials);
    client_decode::<crate::InvoiceOrder>(builtin, text, object, &credentials);
    client_decode::<crate::endpoints::InvoiceGet>(builtin, text, object, &credentials);
    client_decode::<crate::endpoints::InvoiceList>(builtin, text, object, &credentials);
    client_decode::<crate::endpoints::InvoiceDelete>(builtin, text, object, &credentials);
    client_decode::<crate::endpoints::InvoiceRefund>(builtin, text, object, &credentials);
    let merchant = merchant_spec();
    client_decode::<crate::GiftCardRedeem<'static>>(merchant, text, object, &credentials);
    client_decode::<crate::VoucherCheck>(merchant, text, object, &credentials);
}

/// `tests/specs/merchant.yaml`, which `GiftCardRedeem` and `VoucherCheck` are derived from.
fn merchant_spec() -> &'static Spec {
    static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        latipay_spec::parse_merchant(include_str!("../specs/merchant.yaml"), "merchant.yaml")
            .expect("the merchant spec of the tests is valid")
    })
}

/// The amount grammar written independently: `digits[.d[d]]`, at most `u64::MAX` cents.
pub fn reference_cents(text: &str) -> Option<u64> {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_cents: u128 = match frac {
        None => 0,
        Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u128 = f.parse().ok()?;
            if f.len() == 1 { n * 10 } else { n }
        }
        Some(_) => return None,
    };
    let mut units: u128 = 0;
    for b in whole.bytes() {
        units = units.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
        if units > u128::from(u64::MAX) {
            return None;
        }
    }
    u64::try_from(units * 100 + frac_cents).ok()
}

/// Target `amount`: `Amount` parsing against the independent grammar, the format round trip
/// (`parse(format(a)) == a`, and the format is canonical), and the spec's value checks.
pub fn amount(data: &[u8]) {
    if data.len() >= 8 {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(&data[..8]);
        let a = Amount::from_cents(u64::from_le_bytes(raw));
        let text = a.to_string();
        assert_eq!(Amount::parse(&text), Ok(a), "{text}");
        assert_eq!(reference_cents(&text), Some(a.cents()), "{text}");
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Amount::parse(text);
    assert_eq!(
        parsed.as_ref().ok().map(|a| a.cents()),
        reference_cents(text),
        "{text:?} parsed as {parsed:?}"
    );
    if let Ok(a) = parsed {
        let formatted = a.to_string();
        assert_eq!(Amount::parse(&formatted), Ok(a), "{formatted}");
        let mut buf = [0; latipay_spec::MAX_AMOUNT_LEN];
        assert_eq!(a.write_to(&mut buf), formatted);
        let (units, cents) = formatted.split_once('.').expect("a point");
        assert_eq!(cents.len(), 2, "{formatted}");
        assert!(units == "0" || !units.starts_with('0'), "{formatted}");
        assert!(latipay_spec::value::check_amount(&formatted).is_ok());
        assert_eq!(
            latipay_spec::value::normalise(&FieldType::Amount, text).as_deref(),
            Ok(formatted.as_str())
        );
    }
    for ty in [
        FieldType::String,
        FieldType::Amount,
        FieldType::Decimal,
        FieldType::Url,
        FieldType::Ipv4,
        FieldType::Integer,
        FieldType::Boolean,
        FieldType::Enum(vec!["alipay".into()]),
    ] {
        let _ = latipay_spec::value::check(&ty, text);
        let _ = latipay_spec::value::normalise(&ty, text);
    }
}
