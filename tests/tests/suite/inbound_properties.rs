//! Properties of what Latipay sends back, on every `cargo test`: no input makes a parser or a
//! verifier panic; amounts survive format and parse; what is signed by Rule B (notification,
//! redirect, query response) or Rule C (transaction response) verifies, and changing any one signed
//! field makes it fail; the order of the fields received never matters.

use std::borrow::Cow;

use hmac::{KeyInit, Mac};
use latipay_runtime::__private::decode_response;
use latipay_runtime::{Amount, Credentials, Error, Notification, PaymentStatus, Redirect};
use latipay_spec::inbound::{sign_concat, verify_form};
use latipay_spec::{ApiKey, InboundError, SigningKey};
use latipay_tests::fuzz::{self, API_KEY, reference_cents};
use latipay_tests::{HostedOrder, PaymentQuery};
use proptest::prelude::*;

/// Rule B as the documentation says it, with no code shared with the crates under test.
fn rule_b(values: &[&str], key: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(values.concat().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

const SIGNED: [&str; 5] = [
    "merchant_reference",
    "payment_method",
    "status",
    "currency",
    "amount",
];

fn credentials() -> Credentials {
    fuzz::credentials()
}

fn key() -> SigningKey {
    SigningKey::new(ApiKey::new(API_KEY))
}

/// A non-empty value: plain, with form-special characters, or any printable unicode.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,12}",
        "[a-zA-Z0-9 &=+%#?.:/-]{1,16}",
        "\\PC{1,12}",
    ]
}

/// The five signed fields of a notification (in Rule B's order) and some unsigned extras.
fn notification() -> impl Strategy<Value = (Vec<String>, Vec<(String, String)>)> {
    (
        prop::collection::vec(value(), 5),
        prop::collection::vec(
            (
                "[a-z_]{1,10}".prop_filter("not a signed name", |n| {
                    !SIGNED.contains(&n.as_str()) && n != "signature"
                }),
                "\\PC{0,10}",
            ),
            0..5,
        ),
    )
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (n, v) in pairs {
        s.append_pair(n, v);
    }
    s.finish()
}

/// The pairs of a notification signed by the spec's rule (checked against `rule_b`).
fn signed_pairs(signed: &[String], extra: &[(String, String)]) -> Vec<(String, String)> {
    let rule = &latipay_spec::builtin()
        .inbound("notification")
        .unwrap()
        .signature;
    let lookup = |name: &str| {
        SIGNED
            .iter()
            .position(|n| *n == name)
            .map(|i| Cow::Borrowed(signed[i].as_str()))
    };
    let sig = sign_concat(rule, &key(), lookup).unwrap().to_hex();
    let values: Vec<&str> = signed.iter().map(String::as_str).collect();
    assert_eq!(sig, rule_b(&values, API_KEY), "the spec's rule is Rule B");
    let mut pairs: Vec<(String, String)> = SIGNED
        .iter()
        .zip(signed)
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect();
    pairs.extend(extra.iter().cloned());
    pairs.push(("signature".into(), sig));
    pairs
}

/// A deterministic shuffle from `seed`.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

/// A form-like body: known and random names, values raw or percent-encoded, odd separators.
fn form_body() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "merchant_reference",
            "payment_method",
            "status",
            "currency",
            "amount",
            "signature",
            "order_id",
            "pay_time",
        ])
        .prop_map(str::to_owned),
        "[a-z%+=&]{0,6}",
    ];
    let part = (
        name,
        prop_oneof!["\\PC{0,8}", "[0-9a-fA-F%+&=]{0,70}"],
        any::<bool>(),
    )
        .prop_map(|(n, v, raw)| {
            if raw {
                format!("{n}={v}")
            } else {
                encode(&[(n, v)])
            }
        });
    (
        prop::collection::vec(part, 0..10),
        prop::sample::select(vec!["&", "&&", "", " ", "?"]),
    )
        .prop_map(|(parts, sep)| parts.join(sep).into_bytes())
}

/// A JSON object: response members with numbers, strings, nested values, odd codes.
fn json_body() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "code",
            "message",
            "merchant_reference",
            "payment_method",
            "status",
            "currency",
            "amount",
            "signature",
            "host_url",
            "nonce",
            "gatewaydata",
            "paydata",
            "payment",
            "data",
            "order_id",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,6}",
    ];
    let leaf = prop_oneof![
        "-?[0-9]{1,20}(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
        "\\PC{0,10}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("0".to_owned()),
    ];
    let json = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-zA-Z]{1,5}", inner), 0..4).prop_map(|m| {
                let members: Vec<String> = m
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    prop::collection::vec((name, json), 0..10).prop_map(|members| {
        let members: Vec<String> = members
            .into_iter()
            .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
            .collect();
        format!("{{{}}}", members.join(","))
    })
}

/// A JSON number text for an amount, as Latipay may write it.
fn amount_number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u32>().prop_map(|c| Amount::from_cents(c.into()).to_string()),
        "[1-9][0-9]{0,5}(\\.[0-9]{1,3})?",
        "0\\.[0-9]{1,2}",
    ]
}

fn query_response(signed: &[String; 5], amount_as_number: bool, sig: &str) -> String {
    let s = |v: &str| serde_json::to_string(v).unwrap();
    let amount = if amount_as_number {
        signed[4].clone()
    } else {
        s(&signed[4])
    };
    format!(
        r#"{{"code":0,"message":"SUCCESS","merchant_reference":{},"payment_method":{},"status":{},"currency":{},"amount":{amount},"amount_cny":1.5,"rate":4.6373,"order_id":"O1","signature":{}}}"#,
        s(&signed[0]),
        s(&signed[1]),
        s(&signed[2]),
        s(&signed[3]),
        s(sig)
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_surface_panics_on_any_bytes(data in prop::collection::vec(any::<u8>(), 0..300)) {
        for (_, body) in fuzz::TARGETS {
            body(&data);
        }
    }

    #[test]
    fn notifications_and_redirects_never_panic_on_form_like_bodies(body in form_body()) {
        fuzz::inbound(&body);
    }

    #[test]
    fn response_decoders_never_panic_on_json_objects(body in json_body()) {
        fuzz::responses(body.as_bytes());
    }

    #[test]
    fn specs_never_panic_when_the_builtin_one_is_cut_or_edited(cut in 0usize..7000, at in 0usize..7000, insert in "[ :\\-a-z{}\\[\\]\"\n]{0,8}") {
        let text = latipay_spec::BUILTIN_YAML;
        let boundary = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (cut, at) = (boundary(cut), boundary(at));
        let (a, b) = if at < cut { (at, cut) } else { (cut, at) };
        // Delete one span and put a few YAML-ish characters in its place.
        let edited = format!("{}{}{}", &text[..a], insert, &text[b..]);
        fuzz::spec(edited.as_bytes());
    }

    #[test]
    fn notification_sign_then_verify_round_trips((signed, extra) in notification()) {
        let pairs = signed_pairs(&signed, &extra);
        let n = Notification::verify(encode(&pairs).as_bytes(), &credentials()).unwrap();
        prop_assert_eq!(&n.merchant_reference, &signed[0]);
        prop_assert_eq!(&n.payment_method, &signed[1]);
        prop_assert_eq!(n.status.clone(), PaymentStatus::from(signed[2].as_str()));
        prop_assert_eq!(n.status.as_str(), signed[2].as_str());
        prop_assert_eq!(&n.currency, &signed[3]);
        prop_assert_eq!(&n.amount, &signed[4]);
        // The redirect carries the same five signed fields, by the same rule.
        let r = Redirect::verify(&encode(&pairs), &credentials()).unwrap();
        prop_assert_eq!(&r.amount, &signed[4]);
    }

    #[test]
    fn changing_any_signed_field_of_a_notification_fails(
        (signed, extra) in notification(),
        which in 0usize..6,
        replacement in value(),
    ) {
        let mut pairs = signed_pairs(&signed, &extra);
        let i = if which == 5 { pairs.len() - 1 } else { which };
        let changed = if replacement == pairs[i].1 { format!("{replacement}x") } else { replacement };
        pairs[i].1 = changed;
        let body = encode(&pairs);
        prop_assert!(Notification::verify(body.as_bytes(), &credentials()).is_err());
        prop_assert!(Redirect::verify(&body, &credentials()).is_err());
        let inbound = latipay_spec::builtin().inbound("notification").unwrap();
        let refused = verify_form(inbound, &key(), body.as_bytes()).unwrap_err();
        prop_assert!(matches!(refused, InboundError::Mismatch { .. }), "{:?}", refused);
        // A different key never verifies either.
        let original = encode(&signed_pairs(&signed, &extra));
        prop_assert!(Notification::verify(original.as_bytes(), &Credentials::new("U", "W", "another")).is_err());
    }

    #[test]
    fn field_order_never_changes_a_notification((signed, extra) in notification(), seed in any::<u64>()) {
        let pairs = signed_pairs(&signed, &extra);
        let mut shuffled = pairs.clone();
        shuffle(&mut shuffled, seed);
        let a = Notification::verify(encode(&pairs).as_bytes(), &credentials()).unwrap();
        let b = Notification::verify(encode(&shuffled).as_bytes(), &credentials()).unwrap();
        prop_assert_eq!(
            (&a.merchant_reference, &a.payment_method, &a.status, &a.currency, &a.amount),
            (&b.merchant_reference, &b.payment_method, &b.status, &b.currency, &b.amount)
        );
        // Signing from the shuffled pairs gives the same signature.
        let rule = &latipay_spec::builtin().inbound("notification").unwrap().signature;
        let sign = |p: &[(String, String)]| {
            sign_concat(rule, &key(), |n| p.iter().find(|(k, _)| k == n).map(|(_, v)| Cow::Borrowed(v.as_str())))
                .unwrap()
        };
        prop_assert_eq!(sign(&pairs), sign(&shuffled));
    }

    #[test]
    fn query_responses_verify_over_the_raw_amount_and_fail_when_changed(
        mut signed in prop::array::uniform5(value()),
        amount in amount_number(),
        as_number in any::<bool>(),
        which in 0usize..5,
        replacement in value(),
    ) {
        signed[4] = amount;
        let values: Vec<&str> = signed.iter().map(String::as_str).collect();
        let sig = rule_b(&values, API_KEY);
        let body = query_response(&signed, as_number, &sig);
        let q = decode_response::<PaymentQuery>(200, &body, &credentials()).unwrap();
        prop_assert_eq!(&q.amount, &signed[4], "the raw amount text is kept");
        prop_assert_eq!(&q.merchant_reference, &signed[0]);
        // Any one signed member changed (as a string) is refused.
        let mut tampered = signed.clone();
        tampered[which] = if replacement == signed[which] { format!("{replacement}x") } else { replacement };
        let body = query_response(&tampered, false, &sig);
        let e = decode_response::<PaymentQuery>(200, &body, &credentials()).unwrap_err();
        prop_assert!(matches!(e, Error::Signature(_)), "{:?}", e);
    }

    #[test]
    fn transaction_responses_verify_by_rule_c(nonce in value(), host in value(), change_nonce in any::<bool>()) {
        let sig = rule_b(&[&nonce, &host], API_KEY);
        let s = |v: &str| serde_json::to_string(v).unwrap();
        let body = |n: &str, h: &str| format!(
            r#"{{"code":0,"message":"SUCCESS","host_url":{},"nonce":{},"signature":{}}}"#, s(h), s(n), s(&sig)
        );
        let t = decode_response::<HostedOrder>(200, &body(&nonce, &host), &credentials()).unwrap();
        prop_assert_eq!((&t.nonce, &t.host_url), (&nonce, &host));
        let tampered = if change_nonce { body(&format!("{nonce}1"), &host) } else { body(&nonce, &format!("{host}1")) };
        let e = decode_response::<HostedOrder>(200, &tampered, &credentials()).unwrap_err();
        prop_assert!(matches!(e, Error::Signature(_)), "{:?}", e);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn amounts_format_then_parse_to_the_same_cents(cents in any::<u64>()) {
        let a = Amount::from_cents(cents);
        let text = a.to_string();
        prop_assert_eq!(Amount::parse(&text), Ok(a));
        prop_assert_eq!(reference_cents(&text), Some(cents));
        fuzz::amount(text.as_bytes());
    }

    #[test]
    fn amount_texts_parse_as_the_grammar_says_and_format_canonically(
        text in prop_oneof![
            "[0-9]{1,22}(\\.[0-9]{0,3})?",
            "[-+ .0-9eE,]{0,8}",
            "\\PC{0,8}",
        ]
    ) {
        // Parse agrees with the independent grammar; what parses formats to a text that parses
        // back to the same amount, with exactly two decimals.
        fuzz::amount(text.as_bytes());
        if let Ok(a) = Amount::parse(&text) {
            let formatted = a.to_string();
            prop_assert_eq!(Amount::parse(&formatted), Ok(a));
            prop_assert_eq!(formatted.split_once('.').map(|(_, c)| c.len()), Some(2));
        }
    }
}

/// A limit of Latipay's Rule B, pinned so it stays visible: the message is the five values
/// concatenated with no separator, so moving characters across the boundary of two adjacent signed
/// fields keeps the signature valid. Verification cannot catch it; the merchant's checks must
/// (the order looked up by `merchant_reference` must exist, and `check_order` compares the amount
/// and currency with the stored order).
#[test]
fn rule_b_cannot_tell_where_one_signed_field_ends() {
    let signed: Vec<String> = ["order-1", "alipay", "paid", "NZD", "120.00"]
        .map(str::to_owned)
        .to_vec();
    let pairs = signed_pairs(&signed, &[]);
    let shifted: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| match n.as_str() {
            "merchant_reference" => (n.clone(), "order-1a".to_owned()),
            "payment_method" => (n.clone(), "lipay".to_owned()),
            _ => (n.clone(), v.clone()),
        })
        .collect();
    let n = Notification::verify(encode(&shifted).as_bytes(), &credentials()).unwrap();
    assert_eq!(
        (n.merchant_reference.as_str(), n.payment_method.as_str()),
        ("order-1a", "lipay")
    );
    // Between currency and amount the merchant's check catches it.
    let shifted: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| match n.as_str() {
            "currency" => (n.clone(), "NZD1".to_owned()),
            "amount" => (n.clone(), "20.00".to_owned()),
            _ => (n.clone(), v.clone()),
        })
        .collect();
    let n = Notification::verify(encode(&shifted).as_bytes(), &credentials()).unwrap();
    assert!(n.check_order(Amount::from_cents(12000), "NZD").is_err());
}
