//! For random field values (unicode, spaces, `&` and `=` inside values, empty strings, `None`s),
//! the derive's signature equals the dynamic spec signer's, and both equal a straightforward
//! implementation of Rule A written here from the documentation.

use std::collections::BTreeMap;

use hmac::{KeyInit, Mac};
use latipay_runtime::{Amount, Credentials, LatipaySigned};
use latipay_spec::{ApiKey, SigningKey};
use latipay_tests::HostedOrder;
use proptest::prelude::*;

/// Rule A as the seed's JavaScript says it, with no code shared with the crates under test.
fn rule_a(fields: &[(&str, &str)], api_key: &str) -> String {
    let map: BTreeMap<&str, &str> = fields
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let joined: Vec<String> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let message = joined.join("&") + api_key;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(api_key.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 &=,.%+]{1,20}",
        any::<String>(),
        "\\PC{1,12}",
    ]
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z0-9./?=&%-]{1,30}".prop_map(|p| format!("https://m.example/{p}")),
        1 => any::<String>(),
    ]
}

fn order() -> impl Strategy<Value = HostedOrder> {
    (
        (
            prop_oneof![8 => any::<u32>().prop_map(|c| Amount::from_cents(c.into()).to_string()), 1 => text()],
            prop_oneof![8 => prop::sample::select(vec!["alipay", "wechat", "payid"]).prop_map(String::from), 1 => text()],
            url(),
            url(),
            proptest::option::of(url()),
        ),
        (
            text(),
            prop_oneof![8 => any::<[u8; 4]>().prop_map(|o| std::net::Ipv4Addr::from(o).to_string()), 1 => text()],
            text(),
            proptest::option::of(Just("1")),
        ),
    )
        .prop_map(
            |((amount, payment_method, return_url, callback_url, back_page_url), (merchant_reference, ip, product_name, present_qr))| {
                HostedOrder {
                    amount,
                    payment_method,
                    return_url,
                    callback_url,
                    back_page_url,
                    merchant_reference,
                    ip,
                    product_name,
                    present_qr,
                }
            },
        )
}

fn pairs(o: &HostedOrder) -> Vec<(&'static str, String)> {
    let mut p = vec![
        ("amount", o.amount.clone()),
        ("payment_method", o.payment_method.clone()),
        ("return_url", o.return_url.clone()),
        ("callback_url", o.callback_url.clone()),
        ("merchant_reference", o.merchant_reference.clone()),
        ("ip", o.ip.clone()),
        ("product_name", o.product_name.clone()),
    ];
    if let Some(b) = &o.back_page_url {
        p.push(("backPage_url", b.clone()));
    }
    if let Some(q) = o.present_qr {
        p.push(("present_qr", q.to_owned()));
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn derive_equals_dynamic_equals_rule_a(order in order(), api_key in "[ -~]{0,40}", user in "[A-Z0-9]{0,10}", wallet in "[A-Z0-9]{0,10}") {
        let credentials = Credentials::new(user.clone(), wallet.clone(), api_key.clone());
        let derived = order.sign(&credentials);
        let key = SigningKey::new(ApiKey::new(api_key.clone()));
        let given: Vec<(String, String)> = pairs(&order).into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
        let dynamic = latipay_spec::builtin().endpoint("transaction").unwrap().sign_dynamic(&key, &user, &wallet, &given);
        match (&derived, &dynamic) {
            (Ok(d), Ok(s)) => {
                prop_assert_eq!(Some(d.clone()), s.signature.map(|s| s.to_hex()));
                // The request signs while it writes: the same signature, in the body.
                let request = order.to_request(&credentials).unwrap();
                let body: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
                prop_assert_eq!(body["signature"].as_str(), Some(d.as_str()));
                // The independent implementation signs the canonical texts: amounts with two decimals.
                let amount = Amount::parse(&order.amount).unwrap().to_string();
                let owned = pairs(&order);
                let mut fields: Vec<(&str, &str)> = Vec::new();
                for (n, v) in &owned {
                    fields.push((n, if *n == "amount" { amount.as_str() } else { v.as_str() }));
                }
                fields.extend([("user_id", user.as_str()), ("wallet_id", wallet.as_str()), ("version", "2.0")]);
                prop_assert_eq!(d, &rule_a(&fields, &api_key));
            }
            (Err(_), Err(_)) => prop_assert!(order.to_request(&credentials).is_err()),
            _ => prop_assert!(false, "derive {:?} but dynamic {:?}", derived, dynamic.map(|s| s.signature)),
        }
    }

    #[test]
    fn field_order_never_changes_the_signature(order in order(), seed in any::<u64>()) {
        let key = SigningKey::new(ApiKey::new("k"));
        let endpoint = latipay_spec::builtin().endpoint("transaction").unwrap();
        let mut given: Vec<(String, String)> = pairs(&order).into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
        let first = endpoint.sign_dynamic(&key, "U1", "W1", &given).map(|s| s.signature);
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..given.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            given.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let second = endpoint.sign_dynamic(&key, "U1", "W1", &given).map(|s| s.signature);
        prop_assert_eq!(first.is_ok(), second.is_ok());
        if let (Ok(a), Ok(b)) = (first, second) {
            prop_assert_eq!(a, b);
        }
    }
}
