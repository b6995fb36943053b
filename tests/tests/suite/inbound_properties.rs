//! Properties of what Latipay sends back, on every `cargo test`: no input makes a parser or a
//! verifier panic; amounts survive format and parse; what is signed by Rule A (an object's own
//! members), Rule B (notification, redirect, query response) or Rule C (transaction response)
//! verifies through the one verifier (`latipay_spec::inbound::verify`) and every caller of it,
//! changing any one signed value makes it fail naming the rule and the message that should have
//! been signed, and members the rule does not sign are free; the order of the fields received
//! never matters.

use hmac::{KeyInit, Mac};
use latipay_runtime::__private::decode_response;
use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{Amount, Credentials, Error, Notification, Redirect};
use latipay_spec::inbound::{FormPairs, InboundError, RawObject};
use latipay_spec::inbound::{rule_name, sign, verify};
use latipay_spec::{ApiKey, SigningKey, SigningRule};
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

/// The notification's rule, from the built-in spec.
fn notification_rule() -> &'static SigningRule {
    &latipay_spec::builtin()
        .inbound("notification")
        .unwrap()
        .signature
}

/// The pairs of a notification signed by the spec's rule through `inbound::sign` (checked
/// against `rule_b`).
fn signed_pairs(signed: &[String], extra: &[(String, String)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = SIGNED
        .iter()
        .zip(signed)
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect();
    pairs.extend(extra.iter().cloned());
    let (sig, message) = sign(notification_rule(), &pairs[..], &key()).unwrap();
    let sig = sig.to_hex();
    assert_eq!(message, signed.concat(), "Rule B appends no key");
    let values: Vec<&str> = signed.iter().map(String::as_str).collect();
    assert_eq!(sig, rule_b(&values, API_KEY), "the spec's rule is Rule B");
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
        let refused = FormPairs::parse(body.as_bytes()).and_then(|f| f.verify(inbound, &key())).unwrap_err();
        // The refusal names the rule and the message that should have been signed: the values
        // received, concatenated.
        let received: Vec<&str> = pairs[..5].iter().map(|(_, v)| v.as_str()).collect();
        prop_assert_eq!(
            refused,
            InboundError::Mismatch { rule: rule_name(notification_rule()), expected_message: received.concat() }
        );
        // The runtime's callers say the same.
        match Notification::verify(body.as_bytes(), &credentials()) {
            Err(Error::Signature(e)) => prop_assert!(matches!(e.kind, InboundError::Mismatch { .. }), "{:?}", e),
            other => prop_assert!(false, "{:?}", other),
        }
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
        // Signing from the shuffled pairs gives the same signature and message.
        let sign = |p: &[(String, String)]| sign(notification_rule(), p, &key()).unwrap();
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
        prop_assert_eq!(q.amount.as_str(), signed[4].as_str(), "the raw amount text is kept");
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

/// Rule A over an object's own members as the reference states it, with no code shared with the
/// crates under test: every member but `signature` whose text is not empty (null, objects and
/// arrays have none), sorted by name in byte order, `name=value` joined with `&`, then the key.
fn rule_a_message(members: &[(String, Member)], key: &str) -> String {
    let mut signed: Vec<(&str, &str)> = members
        .iter()
        .filter(|(n, _)| n != "signature")
        .filter_map(|(n, m)| m.text().filter(|t| !t.is_empty()).map(|t| (n.as_str(), t)))
        .collect();
    signed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let joined: Vec<String> = signed.iter().map(|(n, v)| format!("{n}={v}")).collect();
    joined.join("&") + key
}

fn hmac_hex(message: &str, key: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A member's JSON value, and the text a rule reads from it.
#[derive(Debug, Clone)]
enum Member {
    /// A string (its content is the text; may be empty or spaces).
    Text(String),
    /// A number, as written (`120.00` stays `120.00`).
    Number(String),
    Bool(bool),
    Null,
    /// A nested object or array: no text, never signed by the outer rule.
    Nested(String),
}

impl Member {
    fn json(&self) -> String {
        match self {
            Member::Text(t) => serde_json::to_string(t).unwrap(),
            Member::Number(n) | Member::Nested(n) => n.clone(),
            Member::Bool(b) => b.to_string(),
            Member::Null => "null".to_owned(),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Member::Text(t) | Member::Number(t) => Some(t),
            Member::Bool(true) => Some("true"),
            Member::Bool(false) => Some("false"),
            Member::Null | Member::Nested(_) => None,
        }
    }

    /// Whether a rule counts it as given.
    fn given(&self) -> bool {
        self.text().is_some_and(|t| !t.is_empty())
    }
}

fn member() -> impl Strategy<Value = Member> {
    prop_oneof![
        4 => value().prop_map(Member::Text),
        1 => prop_oneof![Just(String::new()), " {1,3}".prop_map(String::from)].prop_map(Member::Text),
        2 => "-?(0|[1-9][0-9]{0,8})(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,2})?".prop_map(Member::Number),
        1 => any::<bool>().prop_map(Member::Bool),
        1 => Just(Member::Null),
        1 => prop::sample::select(vec![r#"{"a":"1","b":[2]}"#, "[]", r#"["x",1.50]"#, "{}"])
            .prop_map(|n| Member::Nested(n.to_owned())),
    ]
}

/// An object's members: distinct names (a name given twice is its own property, below).
fn members() -> impl Strategy<Value = Vec<(String, Member)>> {
    prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_]{0,9}", member(), 0..8)
        .prop_map(|m| m.into_iter().filter(|(n, _)| n != "signature").collect())
}

fn object_json(members: &[(String, Member)]) -> String {
    let members: Vec<String> = members
        .iter()
        .map(|(n, m)| format!("{}:{}", serde_json::to_string(n).unwrap(), m.json()))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn object(members: &[(String, Member)]) -> RawObject<'static> {
    RawObject::parse(&object_json(members))
        .unwrap()
        .into_owned()
}

/// `members` with `"signature"` appended, signed by `rule` through `inbound::sign`.
fn signed_object(rule: &SigningRule, members: &[(String, Member)]) -> Vec<(String, Member)> {
    let (signature, _) = sign(rule, &object(members), &key()).unwrap();
    let mut signed = members.to_vec();
    signed.push(("signature".into(), Member::Text(signature.to_hex())));
    signed
}

/// A different value that a rule still finds given.
fn changed(m: &Member) -> Member {
    match m {
        Member::Text(t) => Member::Text(format!("{t}x")),
        Member::Number(n) => Member::Number(if n == "7" { "8" } else { "7" }.to_owned()),
        Member::Bool(b) => Member::Bool(!b),
        Member::Null | Member::Nested(_) => Member::Text("x".into()),
    }
}

/// The masked message of a concatenation rule: the values, then `***` for the key if appended.
fn concat_message(fields: &[String], members: &[(String, Member)], append_key: bool) -> String {
    let text = |f: &String| {
        let (_, m) = members.iter().find(|(n, _)| n == f).unwrap();
        m.text().unwrap().to_owned()
    };
    let values: String = fields.iter().map(text).collect();
    if append_key { values + "***" } else { values }
}

/// The same members as a form body (those with a text; a form cannot say null or nest).
fn form_of(members: &[(String, Member)]) -> String {
    let pairs: Vec<(String, String)> = members
        .iter()
        .filter_map(|(n, m)| m.text().map(|t| (n.clone(), t.to_owned())))
        .collect();
    encode(&pairs)
}

fn mismatch(rule: &SigningRule, expected_message: String) -> Result<String, InboundError> {
    Err(InboundError::Mismatch {
        rule: rule_name(rule),
        expected_message,
    })
}

/// What `verify` says, as the message or the error.
fn verified(rule: &SigningRule, members: &[(String, Member)]) -> Result<String, InboundError> {
    verify(rule, &object(members), &key()).map(|v| v.message)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rule_a_objects_sign_and_verify_as_the_reference_says(members in members()) {
        let rule = SigningRule::SortedJoin;
        let signed = signed_object(&rule, &members);
        let signature = signed.last().unwrap().1.text().unwrap().to_owned();
        prop_assert_eq!(signature, hmac_hex(&rule_a_message(&members, API_KEY), API_KEY));
        prop_assert_eq!(verified(&rule, &signed), Ok(rule_a_message(&members, "***")));
        // The same members as a form verify the same (the redirect and notification path).
        let form = form_of(&signed);
        let pairs = FormPairs::parse(form.as_bytes()).unwrap();
        prop_assert_eq!(verify(&rule, &pairs, &key()).map(|v| v.message), verified(&rule, &signed));
        // Another key never verifies.
        let other = SigningKey::new(ApiKey::new("another"));
        prop_assert!(verify(&rule, &object(&signed), &other).is_err());
    }

    #[test]
    fn changing_or_dropping_any_rule_a_member_fails(
        members in members(),
        which in any::<prop::sample::Index>(),
        drop in any::<bool>(),
    ) {
        let rule = SigningRule::SortedJoin;
        let given: Vec<usize> = (0..members.len()).filter(|&i| members[i].1.given()).collect();
        prop_assume!(!given.is_empty());
        let i = given[which.index(given.len())];
        let mut tampered = signed_object(&rule, &members);
        if drop {
            tampered.remove(i);
        } else {
            tampered[i].1 = changed(&tampered[i].1);
        }
        let received = &tampered[..tampered.len() - 1];
        prop_assert_eq!(verified(&rule, &tampered), mismatch(&rule, rule_a_message(received, "***")));
    }

    #[test]
    fn members_rule_a_skips_are_free(
        members in members(),
        name in "[a-z]{1,8}",
        free in prop_oneof![
            Just(Member::Null),
            Just(Member::Text(String::new())),
            Just(Member::Nested(r#"{"z":"1"}"#.to_owned())),
            Just(Member::Nested("[1,2]".to_owned())),
        ],
        at in any::<prop::sample::Index>(),
    ) {
        let rule = SigningRule::SortedJoin;
        let mut signed = signed_object(&rule, &members);
        prop_assume!(!signed.iter().any(|(n, _)| *n == name));
        let expected = verified(&rule, &signed);
        prop_assert!(expected.is_ok());
        // Null, empty, an object or an array: not given, so not signed, wherever it is.
        signed.insert(at.index(signed.len() + 1), (name, free));
        prop_assert_eq!(verified(&rule, &signed), expected);
    }

    #[test]
    fn concatenation_rules_sign_their_fields_and_nothing_else(
        members in members(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        append_key in any::<bool>(),
        other in any::<prop::sample::Index>(),
        how in 0usize..3,
    ) {
        let given: Vec<&String> = members.iter().filter(|(_, m)| m.given()).map(|(n, _)| n).collect();
        prop_assume!(!given.is_empty());
        let mut fields: Vec<String> = Vec::new();
        for p in &picks {
            let f = given[p.index(given.len())].clone();
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let rule = SigningRule::Concat { fields: fields.clone(), append_key };
        let signed = signed_object(&rule, &members);
        let plain = concat_message(&fields, &members, false);
        let keyed = if append_key { format!("{plain}{API_KEY}") } else { plain };
        let signature = signed.last().unwrap().1.text().unwrap().to_owned();
        prop_assert_eq!(signature, hmac_hex(&keyed, API_KEY), "the values in the rule's order");
        let message = concat_message(&fields, &members, append_key);
        prop_assert_eq!(verified(&rule, &signed), Ok(message.clone()));
        let form = form_of(&signed);
        let pairs = FormPairs::parse(form.as_bytes()).unwrap();
        prop_assert_eq!(verify(&rule, &pairs, &key()).map(|v| v.message), Ok(message.clone()));

        // A member the rule does not name is free: changed, null or dropped.
        let unsigned: Vec<usize> = (0..members.len()).filter(|&i| !fields.contains(&members[i].0)).collect();
        if !unsigned.is_empty() {
            let j = unsigned[other.index(unsigned.len())];
            let mut free = signed.clone();
            match how {
                0 => free[j].1 = changed(&free[j].1),
                1 => free[j].1 = Member::Null,
                _ => { free.remove(j); }
            }
            prop_assert_eq!(verified(&rule, &free), Ok(message.clone()));
        }

        // A field of the rule: changed, it fails naming the message; null, empty or dropped, it
        // is missing; given twice, which copy was signed is unknowable.
        let f = &fields[other.index(fields.len())];
        let at = signed.iter().position(|(n, _)| n == f).unwrap();
        let mut tampered = signed.clone();
        tampered[at].1 = changed(&tampered[at].1);
        let expected = concat_message(&fields, &tampered, append_key);
        prop_assert_eq!(verified(&rule, &tampered), mismatch(&rule, expected));
        for gone in [Some(Member::Null), Some(Member::Text(String::new())), None] {
            let mut missing = signed.clone();
            match gone {
                Some(m) => missing[at].1 = m,
                None => { missing.remove(at); }
            }
            prop_assert_eq!(verified(&rule, &missing), Err(InboundError::Missing(vec![f.clone()])));
        }
        let mut twice = signed.clone();
        twice.insert(0, signed[at].clone());
        prop_assert_eq!(verified(&rule, &twice), Err(InboundError::Duplicate(vec![f.clone()])));
    }
}
