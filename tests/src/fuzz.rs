//! The bodies of the fuzz targets in `fuzz/`. They live here so that `cargo test` replays every
//! input kept in `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` through exactly the code
//! the fuzzer ran (`tests/suite/fuzz_corpus.rs`), and the property tests feed them too.
//!
//! Each body must never panic on any input; where an independent answer is known (the amount
//! grammar, re-signing what was parsed), it is asserted too, so a wrong answer is a crash.

use latipay_runtime::response::{
    Barcode, Decode, Generic, Invoice, InvoiceList, MiniAlipay, MiniAppPay, Query, Status,
    Transaction,
};
use latipay_runtime::{
    Amount, Credentials, LatipaySigned, Notification, NotificationRef, Redirect,
};
use latipay_spec::inbound::{sign_concat, verify_form};
use latipay_spec::{ApiKey, FieldType, FormPairs, InboundError, JsonFields, SigningKey};

/// A target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as directories under `fuzz/corpus` and `fuzz/artifacts`.
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

/// Target `spec`: the YAML spec parser and validator, then everything a valid spec is used for
/// (the dynamic signer of each endpoint, the verifier of each inbound message).
pub fn spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spec = match latipay_spec::parse(text, "<fuzz>") {
        Ok(spec) => spec,
        Err(errors) => {
            assert!(
                !errors.0.is_empty(),
                "an error result names at least one error"
            );
            let _ = errors.to_string();
            return;
        }
    };
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
                    let _ = signed.signature.to_hex();
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
    }
    for inbound in spec.inbound.values() {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for f in &inbound.fields {
            body.append_pair(&f.name, &sample(&f.ty));
        }
        let body = body.finish();
        if let Ok(form) = FormPairs::parse(body.as_bytes()) {
            let _ = form.verify(inbound, &key);
        }
    }
}

/// Target `inbound`: notification and redirect parsing and verification from arbitrary bytes,
/// through the runtime (`Notification::verify`, `Redirect::verify`) and the spec crate; then the
/// parsed pairs, signed with the right key, must verify unless a signed field is missing, empty
/// or repeated.
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
    let _ = verify_form(notification, &key, data);
    let _ = verify_form(redirect, &key, data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Redirect::verify(text, &credentials);
        if let Ok(form) = FormPairs::parse_query(text) {
            let _ = form.verify(redirect, &key);
        }
    }

    let Ok(form) = FormPairs::parse(data) else {
        return;
    };
    let lookup = |name: &str| form.get(name);
    let Ok(signature) = sign_concat(&notification.signature, &key, lookup) else {
        return;
    };
    let mut pairs: Vec<(String, String)> = form
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
    match verify_form(notification, &key, body.as_bytes()) {
        Ok(_) => {
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
        Err(InboundError::Missing(_) | InboundError::Duplicate(_)) => {}
        Err(other) => panic!("a correctly signed notification was refused: {other:?}\n{body}"),
    }
}

fn client_decode<R: LatipaySigned>(body: &str, credentials: &Credentials) {
    for status in [200, 201, 400, 404, 500] {
        if let Err(e) = latipay_runtime::__private::decode_response::<R>(status, body, credentials)
        {
            let _ = (e.to_string(), format!("{e:?}"), e.is_safe_to_retry());
        }
    }
}

/// Target `responses`: every response decoder from arbitrary bytes: `JsonFields::parse`, each
/// `Decode`, the response signature rules of every built-in endpoint, and the client's whole
/// decode path (codes, signature, typed body) for every endpoint.
pub fn responses(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key = key();
    let credentials = credentials();
    for endpoint in latipay_spec::builtin().endpoints.values() {
        if let Err(e) = latipay_spec::inbound::verify_response(endpoint, &key, text) {
            let _ = e.to_string();
        }
    }
    if JsonFields::parse(text).is_err() {
        // A plain success is a valid object: nothing the member-by-member reading refuses.
        assert!(MiniAlipay::decode_plain_success(text).is_none(), "{text}");
        assert!(MiniAppPay::decode_plain_success(text).is_none(), "{text}");
    }
    if let Ok(fields) = JsonFields::parse(text) {
        for (_, value) in fields.iter() {
            let _ = (value.kind(), value.as_text());
        }
        let _ = Status::decode(&fields);
        if let Ok(t) = Transaction::decode(&fields) {
            let _ = t.payment_url();
        }
        let _ = Barcode::decode(&fields);
        if let Ok(m) = MiniAlipay::decode(&fields) {
            let _ = (m.order_str(), m.order_id());
        }
        let _ = MiniAppPay::decode(&fields);
        // The one-pass reading of a plain success answers only where the member-by-member
        // reading gives the same.
        if fields.text("code") == Some("0") {
            if let Some(m) = MiniAlipay::decode_plain_success(text) {
                assert_eq!(Ok(m), MiniAlipay::decode(&fields), "{text}");
            }
            if let Some(m) = MiniAppPay::decode_plain_success(text) {
                assert_eq!(Ok(m), MiniAppPay::decode(&fields), "{text}");
            }
        } else {
            assert!(MiniAlipay::decode_plain_success(text).is_none(), "{text}");
            assert!(MiniAppPay::decode_plain_success(text).is_none(), "{text}");
        }
        if let Ok(q) = Query::decode(&fields) {
            let _ = q.amount();
        }
        let _ = Invoice::decode(&fields);
        let _ = InvoiceList::decode(&fields);
        let _ = Generic::decode(&fields);
    }
    client_decode::<crate::HostedOrder>(text, &credentials);
    client_decode::<crate::BarcodeOrder<'static>>(text, &credentials);
    client_decode::<crate::MiniOrder>(text, &credentials);
    client_decode::<crate::endpoints::WechatMiniOrder>(text, &credentials);
    client_decode::<crate::PaymentQuery>(text, &credentials);
    client_decode::<crate::Refund>(text, &credentials);
    client_decode::<crate::endpoints::Cancel>(text, &credentials);
    client_decode::<crate::InvoiceOrder>(text, &credentials);
    client_decode::<crate::endpoints::InvoiceGet>(text, &credentials);
    client_decode::<crate::endpoints::InvoiceList>(text, &credentials);
    client_decode::<crate::endpoints::InvoiceDelete>(text, &credentials);
    client_decode::<crate::endpoints::InvoiceRefund>(text, &credentials);
    client_decode::<crate::GiftCardRedeem<'static>>(text, &credentials);
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
