use super::*;

#[test]
fn the_builtin_spec_parses_and_has_every_endpoint() {
    let spec = parse(BUILTIN_YAML, "<builtin>").unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = spec.endpoints.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "barcode",
            "cancel",
            "gatewaydata",
            "invoice_create",
            "invoice_delete",
            "invoice_get",
            "invoice_list",
            "invoice_refund",
            "minialipay",
            "miniapppay",
            "query",
            "refund",
            "transaction",
        ]
    );
    let inbound: Vec<&str> = spec.inbound.keys().map(String::as_str).collect();
    assert_eq!(inbound, ["notification", "redirect"]);

    let mini = spec.endpoint("minialipay").unwrap();
    let pm = mini.field("payment_method").unwrap();
    assert!(!pm.signed);
    assert_eq!(pm.source, Source::Const("alipay".into()));
    assert_eq!(
        mini.field("version").unwrap().source,
        Source::Const("2.0".into())
    );

    let rule_b = SigningRule::Concat {
        fields: vec![
            "merchant_reference".into(),
            "payment_method".into(),
            "status".into(),
            "currency".into(),
            "amount".into(),
        ],
        append_key: false,
    };
    let query = spec.endpoint("query").unwrap();
    assert_eq!(query.method, Method::Get);
    assert_eq!(query.path_params(), ["merchant_reference"]);
    assert_eq!(query.signature_in, Location::Query);
    assert_eq!(query.field("user_id").unwrap().location, Location::Query);
    assert_eq!(
        query.signing,
        Some(SigningRule::SortedJoin),
        "query: Rule A"
    );
    let answer = spec.response_model(query).unwrap();
    assert_eq!(answer.name, "query");
    assert!(answer.envelope);
    assert_eq!(answer.signature, ModelSignature::Signed(rule_b.clone()));
    assert_eq!(answer.field("amount").unwrap().ty, ModelType::Amount);
    let amount_cny = answer.field("amount_cny").unwrap();
    assert!(amount_cny.optional && amount_cny.nullable);
    assert_eq!(
        spec.model("transaction").unwrap().signature,
        ModelSignature::Signed(SigningRule::Concat {
            fields: vec!["nonce".into(), "host_url".into()],
            append_key: false
        })
    );
    for name in ["notification", "redirect"] {
        let inbound = spec.inbound(name).unwrap();
        assert_eq!(inbound.model, name);
        assert_eq!(inbound.signature, rule_b);
        assert!(!spec.model(name).unwrap().envelope, "{name}");
    }

    // The merchant-hosted offline step: unsigned, to the address Latipay answered with, whose
    // `data` is signed with Rule A.
    let gatewaydata = spec.endpoint("gatewaydata").unwrap();
    assert_eq!(gatewaydata.signing, None);
    assert_eq!(gatewaydata.path, "{host_url}/{nonce}");
    assert_eq!(gatewaydata.field("host_url").unwrap().ty, FieldType::Url);
    assert!(gatewaydata.signed_fields().is_empty());
    let data = spec
        .response_model(gatewaydata)
        .unwrap()
        .field("data")
        .unwrap();
    assert_eq!(data.ty, ModelType::Model("gatewaydata_data".into()));
    let inner = spec.model("gatewaydata_data").unwrap();
    assert_eq!(
        inner.signature,
        ModelSignature::Signed(SigningRule::SortedJoin)
    );
    assert!(!inner.envelope);

    // The decisions of the reference.
    assert!(
        !spec
            .endpoint("barcode")
            .unwrap()
            .field("merchant_reference")
            .unwrap()
            .optional
    );
    assert!(
        spec.endpoint("transaction")
            .unwrap()
            .field("return_url")
            .unwrap()
            .optional
    );
    assert!(matches!(
        spec.model("invoice").unwrap().signature,
        ModelSignature::Undocumented(_)
    ));
    for name in ["invoice_create", "invoice_get"] {
        assert_eq!(spec.endpoint(name).unwrap().response.model, "invoice");
    }
    for name in ["refund", "cancel", "invoice_delete", "invoice_refund"] {
        let status = spec.response_model(spec.endpoint(name).unwrap()).unwrap();
        assert_eq!((status.name.as_str(), status.fields.len()), ("status", 0));
    }
    let list = spec.model("invoice_list").unwrap().field("data").unwrap();
    assert_eq!(
        list.ty,
        ModelType::List(Box::new(ModelType::Model("invoice_item".into())))
    );
    assert_eq!(
        spec.model("invoice_item")
            .unwrap()
            .field("status")
            .unwrap()
            .ty,
        ModelType::Enum(vec![
            "success".into(),
            "pending".into(),
            "paid".into(),
            "failed".into()
        ])
    );
    // Answers carry the envelope and never declare it.
    for m in spec.models.values() {
        for e in ENVELOPE {
            assert!(m.field(e).is_none(), "{} declares {e}", m.name);
        }
    }
}

/// The errors of a merchant's spec file (built-in models available).
fn errors(yaml: &str) -> Vec<String> {
    match parse_merchant(yaml, "merchant.yaml") {
        Ok(_) => panic!("expected errors for:\n{yaml}"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

const HEAD: &str = "version: 1\nendpoints:\n  ping:\n    method: POST\n    path: /ping\n    response: { model: status }\n";

#[test]
fn a_duplicate_key_is_an_error_with_its_position() {
    let e = errors(&format!(
        "{HEAD}    fields:\n      user_id: {{ type: string }}\n      user_id: {{ type: string }}\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("merchant.yaml:9:"), "{e:?}");
    assert!(e[0].contains("duplicate"), "{e:?}");
}

#[test]
fn an_unknown_key_is_an_error_with_its_position() {
    let e = errors(&format!(
        "{HEAD}    fields:\n      user_id: {{ type: string, requried: true }}\n"
    ));
    assert!(e[0].starts_with("merchant.yaml:8:"), "{e:?}");
    assert!(e[0].contains("requried"), "{e:?}");
}

#[test]
fn meaning_errors_are_all_reported_with_positions() {
    let yaml = "version: 1
endpoints:
  ping:
    method: FETCH
    path: /ping/{order}
    fields:
      amount: { type: money }
      wallet_id: { type: string, from: credentals }
      ip: { type: string, from: credentials }
      version: { type: string, const: \"2.0\", optional: true }
      kind: { type: enum }
    signing: { rule: concat, fields: [amount, nonexistent] }
    response: { model: transacton }
";
    let e = errors(yaml);
    let expect = [
        "merchant.yaml:4:13: unknown method `FETCH`; expected one of: GET, POST, PUT, DELETE",
        "merchant.yaml:5:11: path parameter `{order}` has no field; add `order: { type: string, in: path }`",
        "merchant.yaml:7:23: unknown type `money`; expected one of: string, amount, decimal, url, ipv4, integer, boolean, enum",
        "merchant.yaml:8:40: unknown source `credentals`; did you mean `credentials`?",
        "merchant.yaml:9:33: only user_id and wallet_id come from the credentials, not `ip`",
        "merchant.yaml:10:56: field `version` is a constant, so it is always sent and cannot be optional",
        "merchant.yaml:11:21: field `kind` is an enum but has no `values: [...]`",
        "merchant.yaml:12:47: the request signature names `nonexistent`, which is not a field",
        "merchant.yaml:13:24: unknown model `transacton`; did you mean `transaction`?",
    ];
    assert_eq!(e, expect);
}

#[test]
fn path_fields_and_get_bodies_are_checked() {
    let yaml = "version: 1
endpoints:
  look:
    method: GET
    path: /look
    fields:
      id: { type: string, in: path }
      data: { type: string, in: body }
    response: { model: status }
";
    let e = errors(yaml);
    assert_eq!(
        e,
        [
            "merchant.yaml:7:7: field `id` is `in: path` but the path `/look` has no `{id}`",
            "merchant.yaml:8:7: field `data` is `in: body` but a GET request has no body",
        ]
    );
}

#[test]
fn bad_yaml_is_an_error_with_its_position() {
    let e = errors("version: 1\nendpoints: [\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("merchant.yaml:"), "{e:?}");
}

/// An error's `line:column` after the file name, checked to be a real position.
fn position_of(e: &str) -> (u64, u64) {
    let rest = e
        .strip_prefix("merchant.yaml:")
        .unwrap_or_else(|| panic!("{e}"));
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().and_then(|l| l.parse().ok());
    let column = parts.next().and_then(|c| c.parse().ok());
    match (line, column) {
        (Some(l), Some(c)) if l >= 1 && c >= 1 => (l, c),
        _ => panic!("no line:column in {e}"),
    }
}

fn one_error(yaml: &str) -> (u64, u64, String) {
    let e = errors(yaml);
    assert_eq!(e.len(), 1, "{e:?}");
    let (line, column) = position_of(&e[0]);
    (line, column, e[0].clone())
}

#[test]
fn shape_errors_name_the_place_the_key_and_what_was_expected() {
    let (l, c, e) = one_error(&format!(
        "{HEAD}    fields:\n      user_id: {{ type: string, optinal: true }}\n"
    ));
    assert_eq!((l, c), (8, 32), "{e}");
    assert!(
        e.ends_with(
            "unknown key `optinal` in field `user_id` of endpoint `ping`; did you mean `optional`? \
             (expected one of: type, in, optional, from, const, signed, values, positive, doc)"
        ),
        "{e}"
    );
    let (l, c, e) = one_error(&format!("{HEAD}    fields: {{}}\n    method: GET\n"));
    assert_eq!((l, c), (8, 5), "{e}");
    assert!(
        e.contains("duplicate key `method` in endpoint `ping`; it is first at line 4, column 5"),
        "{e}"
    );
    let (l, c, e) = one_error(&format!(
        "{HEAD}    fields:\n      a: {{ type: {{ x: 1 }} }}\n"
    ));
    assert_eq!((l, c), (8, 18), "{e}");
    assert!(
        e.ends_with("`type` of field `a` of endpoint `ping` must be text, found a mapping"),
        "{e}"
    );
    let (l, c, e) = one_error(&format!(
        "{HEAD}    fields:\n      a: {{ type: string, optional: \"true\" }}\n"
    ));
    assert_eq!((l, c), (8, 36), "{e}");
    assert!(
        e.ends_with("must be true or false (unquoted), found the quoted text \"true\""),
        "{e}"
    );
    let (l, c, e) = one_error(&format!(
        "{HEAD}    fields:\n      a: {{ type: enum, values: x }}\n"
    ));
    assert_eq!((l, c), (8, 32), "{e}");
    assert!(
        e.contains("must be a sequence like `[a, b]`, found \"x\""),
        "{e}"
    );
    let (l, c, e) = one_error("version: \"1\"\nendpoints: {}\n");
    assert_eq!((l, c), (1, 10), "{e}");
    assert!(
        e.ends_with("`version` must be a whole number like 1, found the quoted text \"1\""),
        "{e}"
    );
    let (l, c, e) = one_error(&format!("{HEAD}    doc: no fields\n"));
    assert_eq!((l, c), (3, 3), "{e}");
    assert!(e.ends_with("endpoint `ping` has no `fields`"), "{e}");
    let (l, c, e) = one_error("endpoints: {}\n");
    assert_eq!((l, c), (1, 1), "{e}");
    assert!(e.ends_with("the spec has no `version`"), "{e}");
}

#[test]
fn scalars_follow_the_core_schema_and_text_stays_text() {
    let yaml = "version: 0x1
endpoints:
  ping:
    method: POST
    path: /ping
    signing: ~
    fields:
      kind: { type: enum, values: [\"1\", 2, true, 'x y'], optional: True, from: null, signed: FALSE }
      note: { type: string, doc: , in: }
    response: { model: status }
";
    let spec = parse_merchant(yaml, "merchant.yaml").unwrap_or_else(|e| panic!("{e}"));
    let ping = spec.endpoint("ping").unwrap();
    let kind = ping.field("kind").unwrap();
    assert_eq!(
        kind.ty,
        FieldType::Enum(vec!["1".into(), "2".into(), "true".into(), "x y".into()])
    );
    assert!(kind.optional && !kind.signed);
    assert_eq!(kind.source, Source::Merchant);
    assert_eq!(ping.field("note").unwrap().location, Location::Body);
    assert_eq!(ping.signing, Some(SigningRule::SortedJoin));
}

fn short(text: &str) -> String {
    text.chars().take(80).collect()
}

#[test]
fn hostile_yaml_is_an_error_with_a_position_never_a_panic() {
    let deep_flow = format!("version: 1\nendpoints: {}", "[".repeat(100_000));
    let deep_block: String = (0..300)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let long_key = format!("version: 1\n{}: 1\n", "k".repeat(500));
    let cases: &[(&str, &str)] = &[
        ("", "the spec is empty"),
        ("# only a comment\n", "the spec is empty"),
        ("---\n", "the spec must be a mapping"),
        ("- a\n- b\n", "the spec must be a mapping"),
        ("just text", "the spec must be a mapping"),
        (
            "version: 1\nendpoints: {}\n---\nversion: 1\n",
            "a second one starts here",
        ),
        (
            "version: &v 1\nendpoints: {}\nother: *v\n",
            "unknown key `other`",
        ),
        (
            "version: 1\nendpoints: &e {}\ninbound: *e\n",
            "aliases (`*name`) are not supported",
        ),
        (
            "version: 1\nendpoints: *nowhere\n",
            "aliases (`*name`) are not supported",
        ),
        (
            "version: 1\n*k : 1\n",
            "aliases (`*name`) are not supported",
        ),
        (
            "version: !!int 1\nendpoints: {}\n",
            "tags (`!name`, `!!str`) are not supported",
        ),
        (
            "!spec\nversion: 1\n",
            "tags (`!name`, `!!str`) are not supported",
        ),
        (
            "version: 1\n!!str endpoints: {}\n",
            "tags (`!name`, `!!str`) are not supported",
        ),
        (
            "version: 1\n<<: {endpoints: {}}\n",
            "merge keys (`<<`) are not supported",
        ),
        (
            "version: 1\n[a]: 1\n",
            "a key of the spec must be a name, found a sequence",
        ),
        ("version: 1\nendpoints: [\n", "invalid YAML"),
        ("version: 1\n\tendpoints: {}\n", "invalid YAML"),
        (
            "version: 18446744073709551616\nendpoints: {}\n",
            "whole number",
        ),
        ("version: -1\nendpoints: {}\n", "whole number"),
        ("version: 1.0\nendpoints: {}\n", "whole number"),
        ("version:\nendpoints: {}\n", "found an empty value"),
        (&deep_flow, "invalid YAML"),
        (&deep_block, "invalid YAML: collections nested too deeply"),
        (
            &long_key,
            "unknown key `kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...`",
        ),
    ];
    for (yaml, expect) in cases {
        let outcome = std::panic::catch_unwind(|| parse(yaml, "merchant.yaml"));
        let Ok(Err(e)) = outcome else {
            panic!(
                "expected an error, not a panic or a spec, for {:?}",
                short(yaml)
            );
        };
        // Every problem found is reported; the one this input is about is among them.
        assert!(!e.0.is_empty());
        let e = e.to_string();
        position_of(&e);
        assert!(e.contains(expect), "{:?}: {e}", short(yaml));
    }
}

#[test]
fn a_missing_file_names_the_file() {
    let e = from_file(std::path::Path::new("/nonexistent/spec.yaml")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/nonexistent/spec.yaml: cannot read the spec file"),
        "{e}"
    );
}

#[cfg(feature = "sign")]
mod dynamic {
    use super::*;

    fn sign(endpoint: &str, user: &str, wallet: &str, pairs: &[(&str, &str)]) -> SignedRequest {
        let key = SigningKey::new(ApiKey::new("111222333"));
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        builtin()
            .endpoint(endpoint)
            .unwrap()
            .sign_dynamic(&key, user, wallet, &pairs)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_doc_vector() {
        let s = sign(
            "transaction",
            "U000334333",
            "W00000001",
            &[
                ("amount", "120.00"),
                ("callback_url", "https://merchantsite.com/confirm"),
                ("ip", "122.122.122.1"),
                ("merchant_reference", "dsi39ej430sks03"),
                ("payment_method", "alipay"),
                ("product_name", "Pinot Noir, Otago"),
                ("return_url", "https://merchantsite.com/checkout"),
            ],
        );
        assert_eq!(
            s.signature.unwrap().to_hex(),
            "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec"
        );
        let s = sign(
            "minialipay",
            "U000334333",
            "W00000001",
            &[
                ("amount", "120"),
                ("callback_url", "https://merchantsite.com/confirm"),
                ("ip", "122.122.122.1"),
                ("merchant_reference", "dsi39ej430sks03"),
                ("product_name", "Pinot Noir, Otago"),
            ],
        );
        assert_eq!(
            s.message,
            "amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&product_name=Pinot Noir, Otago&user_id=U000334333&version=2.0&wallet_id=W00000001***"
        );
        assert_eq!(
            s.signature.unwrap().to_hex(),
            "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07"
        );
        assert_eq!(s.unsigned, ["payment_method"]);
        let body: serde_json::Value =
            serde_json::from_str(s.request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["payment_method"], "alipay");
        assert_eq!(body["amount"], "120.00");
        assert_eq!(
            body["signature"],
            "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07"
        );

        let s = sign(
            "query",
            "U000000013",
            "",
            &[("merchant_reference", "6000324")],
        );
        assert_eq!(
            s.signature.unwrap().to_hex(),
            "58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4"
        );
        assert_eq!(s.request.path, "/v2/transaction/6000324");
        assert_eq!(
            s.request.query,
            "user_id=U000000013&signature=58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4"
        );
        assert_eq!(s.request.body, None);

        // Barcode: `merchant_reference` is required, so the doc's example (which leaves it out)
        // is refused by the spec, and its vector reproduces through the low-level signer.
        let key = SigningKey::new(ApiKey::new("111222333"));
        let pairs = [("amount", "0.05"), ("pay_code", "134588558514585062")]
            .map(|(n, v)| (n.to_owned(), v.to_owned()));
        let barcode = builtin().endpoint("barcode").unwrap();
        assert_eq!(
            barcode
                .sign_dynamic(&key, "U00001534", "W00000001", &pairs)
                .unwrap_err()
                .to_string(),
            "missing required field: `merchant_reference`"
        );
        let mut signer = Signer::new(&key, RuleKind::SortedJoin);
        for (n, v) in [
            ("amount", "0.05"),
            ("pay_code", "134588558514585062"),
            ("user_id", "U00001534"),
            ("wallet_id", "W00000001"),
        ] {
            signer.field(n, v);
        }
        assert_eq!(
            signer.finish().to_hex(),
            "e66d54f711bc6a1dde59838c8b0de73ccc8b025a2ae65ae878216f010a05f599"
        );
        let s = sign(
            "barcode",
            "U00001534",
            "W00000001",
            &[
                ("amount", "0.05"),
                ("pay_code", "134588558514585062"),
                ("merchant_reference", "dsi39ej430sks03"),
            ],
        );
        assert_eq!(
            s.message,
            "amount=0.05&merchant_reference=dsi39ej430sks03&pay_code=134588558514585062&user_id=U00001534&wallet_id=W00000001***"
        );
        let s = sign(
            "refund",
            "U000334333",
            "",
            &[
                ("order_id", "23479798sdf7987234"),
                ("reference", "notes about this refund"),
                ("refund_amount", "120.00"),
            ],
        );
        assert_eq!(
            s.signature.unwrap().to_hex(),
            "3052b51072570b743bf9a12a20a45b0adf280aee84907ef0e54d1079fb3f961c"
        );
        let s = sign(
            "invoice_create",
            "U000000013",
            "W000000023",
            &[
                ("amount", "1"),
                ("notify_url", "https://yourwebsite.com/latipay/notify"),
                ("product_name", "ticket"),
            ],
        );
        assert_eq!(
            s.signature.unwrap().to_hex(),
            "9361c9e5ac5fc269296cc946377b3b4dea03685aa623482981a82101047672d9"
        );
    }

    #[test]
    fn the_offline_steps_sign_as_the_spec_says() {
        // `host_type` "1": `return_url` may be left out.
        let s = sign(
            "transaction",
            "U000334333",
            "W00000001",
            &[
                ("amount", "0.01"),
                ("callback_url", "https://merchantsite.com/confirm"),
                ("ip", "122.122.122.1"),
                ("merchant_reference", "dsi39ej430sks03"),
                ("payment_method", "wechat"),
                ("product_name", "Pinot Noir, Otago"),
                ("host_type", "1"),
            ],
        );
        assert_eq!(
            s.message,
            "amount=0.01&callback_url=https://merchantsite.com/confirm&host_type=1&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&payment_method=wechat&product_name=Pinot Noir, Otago&user_id=U000334333&version=2.0&wallet_id=W00000001***"
        );
        // The second step is not signed and goes to the `host_url` Latipay answered with.
        let s = sign(
            "gatewaydata",
            "U000334333",
            "W00000001",
            &[
                (
                    "host_url",
                    "https://api.latipay.net/v2/merchanthosted/gatewaydata",
                ),
                ("nonce", "b395c00872c4"),
            ],
        );
        assert_eq!((s.signature, s.message.as_str()), (None, ""));
        assert_eq!(s.request.method, Method::Get);
        assert_eq!(
            s.request.url("https://api.latipay.net"),
            "https://api.latipay.net/v2/merchanthosted/gatewaydata/b395c00872c4"
        );
        assert_eq!(s.request.query, "");
        let key = SigningKey::new(ApiKey::new("111222333"));
        let e = builtin()
            .endpoint("gatewaydata")
            .unwrap()
            .sign_dynamic(&key, "U1", "", &[("host_url".into(), "not a url".into())])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "missing required field: `nonce`\n\
             field `host_url`: expected an absolute http:// or https:// URL without spaces or control characters"
        );
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let key = SigningKey::new(ApiKey::new("k"));
        let pairs: Vec<(String, String)> = [
            ("amout", "1.00"),
            ("ip", "300.1.1.1"),
            ("callback_url", "not a url"),
            ("ip", "1.1.1.1"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let e = builtin()
            .endpoint("minialipay")
            .unwrap()
            .sign_dynamic(&key, "U1", "", &pairs)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown field `amout`; did you mean `amount`?\n\
             field `ip` is given more than once\n\
             missing required fields: `wallet_id`, `amount`, `merchant_reference`, `product_name`\n\
             field `callback_url`: expected an absolute http:// or https:// URL without spaces or control characters\n\
             field `ip`: expected a dotted IPv4 address like 122.122.122.1"
        );
    }
}

#[cfg(feature = "sign")]
mod rules {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::new(ApiKey::new("111222333"))
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    /// The dynamic signer refuses an invoice request with neither `invoice_id` nor
    /// `customer_order_id` (an empty value is none), and signs one with either.
    #[test]
    fn a_one_of_group_needs_a_value() {
        for endpoint in ["invoice_get", "invoice_delete", "invoice_refund"] {
            let e = builtin().endpoint(endpoint).unwrap();
            for given in [pairs(&[]), pairs(&[("invoice_id", "")])] {
                let err = e.sign_dynamic(&key(), "U1", "W1", &given).unwrap_err();
                assert_eq!(
                    err.none_of,
                    [vec![
                        "invoice_id".to_owned(),
                        "customer_order_id".to_owned()
                    ]],
                    "{endpoint}"
                );
                assert_eq!(
                    err.to_string(),
                    "missing `invoice_id` or `customer_order_id`: give at least one of them"
                );
            }
            for name in ["invoice_id", "customer_order_id"] {
                let signed = e
                    .sign_dynamic(&key(), "U1", "W1", &pairs(&[(name, "X1")]))
                    .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
                assert_eq!(signed.message, format!("{name}=X1&user_id=U1***"));
            }
        }
    }

    /// Zero is refused, named, for every amount the spec declares `positive`, however it is
    /// written; the smallest amount is signed.
    #[test]
    fn a_zero_amount_is_refused_where_latipay_needs_a_positive_one() {
        // (endpoint, its positive amount, its other required fields)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
        let cases: &[Case<'_>] = &[
            (
                "transaction",
                "amount",
                &[
                    ("callback_url", "https://m.example/cb"),
                    ("ip", "1.2.3.4"),
                    ("merchant_reference", "r1"),
                    ("payment_method", "alipay"),
                    ("product_name", "p"),
                ],
            ),
            (
                "barcode",
                "amount",
                &[("merchant_reference", "r1"), ("pay_code", "1")],
            ),
            (
                "minialipay",
                "amount",
                &[
                    ("callback_url", "https://m.example/cb"),
                    ("ip", "1.2.3.4"),
                    ("merchant_reference", "r1"),
                    ("product_name", "p"),
                ],
            ),
            (
                "miniapppay",
                "amount",
                &[
                    ("notify_url", "https://m.example/cb"),
                    ("merchant_reference", "r1"),
                    ("product_name", "p"),
                    ("app_id", "a"),
                    ("open_id", "o"),
                ],
            ),
            ("refund", "refund_amount", &[("order_id", "o1")]),
            ("invoice_create", "amount", &[]),
        ];
        let positive: Vec<String> = builtin()
            .endpoints
            .values()
            .flat_map(|e| {
                e.fields
                    .iter()
                    .filter(|f| f.positive)
                    .map(|f| format!("{}.{}", e.name, f.name))
            })
            .collect();
        let mut expected: Vec<String> = cases.iter().map(|(e, f, _)| format!("{e}.{f}")).collect();
        expected.sort();
        assert_eq!(positive, expected, "the spec's positive amounts");
        for (endpoint, field, rest) in cases {
            let e = builtin().endpoint(endpoint).unwrap();
            for zero in ["0", "0.00", "0.0", "00.00"] {
                let mut given = pairs(rest);
                given.push((field.to_string(), zero.to_owned()));
                let err = e.sign_dynamic(&key(), "U1", "W1", &given).unwrap_err();
                assert_eq!(
                    err.to_string(),
                    format!(
                        "field `{field}`: must be more than zero: Latipay refuses a payment or refund of 0.00"
                    ),
                    "{endpoint} {zero}"
                );
            }
            let mut given = pairs(rest);
            given.push((field.to_string(), "0.01".to_owned()));
            e.sign_dynamic(&key(), "U1", "W1", &given)
                .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        }
    }
}

#[test]
fn the_builtin_invoice_lookups_need_an_invoice_id_or_a_customer_order_id() {
    for (name, e) in &builtin().endpoints {
        let expected: &[&[&str]] = match name.as_str() {
            "invoice_get" | "invoice_delete" | "invoice_refund" => {
                &[&["invoice_id", "customer_order_id"]]
            }
            _ => &[],
        };
        assert_eq!(e.one_of, expected, "{name}");
        assert!(!e.replaces, "{name}");
    }
}

/// `one_of: [[a, b]]`: each name a field of the endpoint, optional, the merchant's, named once,
/// in groups of at least two; every mistake at its line and column.
#[test]
fn one_of_groups_are_checked_with_positions() {
    let yaml = "version: 1
endpoints:
  lookup:
    method: GET
    path: /lookup
    fields:
      user_id: { type: string, from: credentials }
      wallet_id: { type: string, from: credentials, optional: true }
      invoice_id: { type: string, optional: true }
      order_id: { type: string }
    one_of: [[invoice_id, invoce_id], [order_id, invoice_id], [wallet_id, invoice_id], [invoice_id], [invoice_id, invoice_id]]
    response: { model: status }
";
    assert_eq!(
        errors(yaml),
        [
            "merchant.yaml:11:27: unknown field `invoce_id`; did you mean `invoice_id`?",
            "merchant.yaml:11:40: `one_of` names `order_id`, which is required, so the group is always met; make it `optional: true`",
            "merchant.yaml:11:64: `one_of` names `wallet_id`, which is filled in from the credentials; a group is of fields the request gives",
            "merchant.yaml:11:88: a `one_of` group names at least two fields, of which a request gives at least one; a field needed on its own is not `optional`",
            "merchant.yaml:11:115: `invoice_id` appears twice in this `one_of` group",
        ]
    );
    // Not a list of groups.
    let (line, column, e) = one_error(&format!(
        "{HEAD}    fields:\n      a: {{ type: string, optional: true }}\n    one_of: [a, b]\n"
    ));
    assert_eq!((line, column), (9, 14), "{e}");
    assert!(
        e.ends_with("must be a sequence like `[a, b]`, found \"a\""),
        "{e}"
    );
    let (line, column, e) = one_error(&format!(
        "{HEAD}    fields:\n      a: {{ type: string, optional: true }}\n    one_of: [[a, b], ~]\n"
    ));
    assert_eq!((line, column), (9, 22), "{e}");
    assert!(e.ends_with("is empty; write the group as `[a, b]`"), "{e}");
    // A valid group is kept in the model, in order.
    let spec = parse_merchant(
        &format!(
            "{HEAD}    fields:\n      a: {{ type: string, optional: true }}\n      b: {{ type: string, optional: true }}\n    one_of: [[b, a]]\n"
        ),
        "merchant.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ping = spec.endpoint("ping").unwrap();
    assert_eq!(ping.one_of, [["b", "a"]]);
    assert_eq!(ping.unmet_groups(|n| n == "c"), [["b", "a"]]);
    assert!(ping.unmet_groups(|n| n == "a").is_empty());
}

/// `positive: true` is for money only.
#[test]
fn positive_is_for_money() {
    assert_eq!(
        errors(&format!(
            "{HEAD}    fields:\n      n: {{ type: integer, positive: true }}\n      a: {{ type: amount, positive: true }}\n      d: {{ type: decimal, positive: false }}\n"
        )),
        [
            "merchant.yaml:8:37: `positive` is only for money (`type: amount` or `decimal`), not `integer`"
        ]
    );
    let spec = parse_merchant(
        &format!("{HEAD}    fields:\n      a: {{ type: amount, positive: true }}\n      d: {{ type: decimal }}\n"),
        "merchant.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ping = spec.endpoint("ping").unwrap();
    assert!(ping.field("a").unwrap().positive);
    assert!(!ping.field("d").unwrap().positive);
}

/// A merchant's endpoint (or inbound message) with a built-in's name must say `replaces: true`,
/// and only such a one may say it.
#[test]
fn a_builtin_name_is_taken_only_with_replaces() {
    let yaml = "version: 1
endpoints:
  refund:
    method: POST
    path: /v2/refund
    fields:
      user_id: { type: string, from: credentials }
    response: { model: status }
  ping:
    method: POST
    path: /ping
    fields: {}
    replaces: true
    response: { model: status }
inbound:
  notification:
    encoding: form
    model: notification
";
    assert_eq!(
        errors(yaml),
        [
            "merchant.yaml:3:3: endpoint `refund` has the name of a built-in endpoint; add `replaces: true` to use yours instead of the built-in one, or give yours another name",
            "merchant.yaml:13:15: endpoint `ping` says `replaces: true`, but there is no built-in endpoint `ping` to replace; remove `replaces`",
            "merchant.yaml:16:3: inbound message `notification` has the name of a built-in inbound message; add `replaces: true` to use yours instead of the built-in one, or give yours another name",
        ]
    );
    // Said, it replaces the built-in one: in the file, and in the built-in spec with it.
    let yaml = yaml
        .replace(
            "    response: { model: status }\n  ping",
            "    replaces: true\n    response: { model: status }\n  ping",
        )
        .replace(
            "    replaces: true\n    response: { model: status }\ninbound",
            "    response: { model: status }\ninbound",
        )
        .replace(
            "    model: notification\n",
            "    model: notification\n    replaces: true\n",
        );
    let merchant = parse_merchant(&yaml, "merchant.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert!(merchant.endpoint("refund").unwrap().replaces);
    let spec = with_builtin(&merchant).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.endpoint("refund").unwrap().path, "/v2/refund");
    assert_eq!(spec.origin, "merchant.yaml");
}

/// The built-in spec with a merchant's file: its endpoints next to the built-in ones, which stay;
/// the same rule again for a spec that was not validated against the built-in one.
#[test]
fn with_builtin_adds_the_merchant_endpoints_to_the_builtin_ones() {
    let merchant =
        parse_merchant(&ping("    response: { model: status }\n"), "merchant.yaml").unwrap();
    let spec = with_builtin(&merchant).unwrap_or_else(|e| panic!("{e}"));
    let mut expected: Vec<&str> = builtin().endpoints.keys().map(String::as_str).collect();
    expected.push("ping");
    expected.sort();
    let names: Vec<&str> = spec.endpoints.keys().map(String::as_str).collect();
    assert_eq!(names, expected);
    assert_eq!(spec.endpoint("refund"), builtin().endpoint("refund"));
    assert_eq!(
        spec.models,
        builtin().models,
        "the merchant's copies are the built-in models"
    );
    assert_eq!(spec.codes, builtin().codes);
    assert_eq!(spec.inbound, builtin().inbound);

    // A whole spec read on its own (no built-in base) has no `replaces`: every built-in name clashes.
    let alone = parse(
        "version: 1\nendpoints:\n  cancel:\n    method: POST\n    path: /cancel\n    fields: {}\n    response: { model: done }\nmodels:\n  done:\n    fields: {}\n",
        "alone.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        with_builtin(&alone).unwrap_err().to_string(),
        "alone.yaml:3:3: endpoint `cancel` has the name of a built-in endpoint; add `replaces: true` to use yours instead of the built-in one, or give yours another name"
    );
    let mut clashing = alone.clone();
    clashing.endpoints.clear();
    clashing.models.insert(
        "status".to_owned(),
        Model {
            doc: "not the built-in one".to_owned(),
            ..builtin().model("status").unwrap().clone()
        },
    );
    assert_eq!(
        with_builtin(&clashing).unwrap_err().to_string(),
        format!(
            "alone.yaml:{}:{}: model `status` is a built-in model; give yours another name, or use the built-in one",
            builtin().model("status").unwrap().position.line,
            builtin().model("status").unwrap().position.column
        )
    );
}

// --- Models -------------------------------------------------------------------------------------

/// A merchant's endpoint `ping` answering with its own model `pong`, whose keys follow.
const ANSWER: &str = "version: 1
endpoints:
  ping:
    method: POST
    path: /ping
    fields:
      user_id: { type: string, from: credentials }
    response: { model: pong }
models:
  pong:
";

#[test]
fn model_mistakes_are_reported_at_their_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "    fields:\n      balance: { type: amout }\n",
            "merchant.yaml:12:24: unknown type `amout`; did you mean `amount`?",
        ),
        (
            "    signature: { rule: concat, fields: [balance, currency] }
    fields:
      balance: { type: amount }
      signature: { type: string }
",
            "merchant.yaml:11:50: the `pong` signature names `currency`, which is not a field",
        ),
        (
            "    signature: { rule: concat, fields: [balance, expires] }
    fields:
      balance: { type: amount }
      expires: { type: string, optional: true }
      signature: { type: string }
",
            "merchant.yaml:11:50: the `pong` signature covers `expires`, so it cannot be optional or nullable: a signed answer always has it",
        ),
        (
            "    signature: { rule: undocumented }\n    fields:\n      signature: { type: string }\n",
            "merchant.yaml:11:24: an `undocumented` signature needs a `reason`: what is known, and why it is not verified",
        ),
        (
            "    signature: { rule: sorted_join }\n    fields:\n      balance: { type: amount }\n",
            "merchant.yaml:10:3: model `pong` is signed, so it needs a `signature: { type: string }` field",
        ),
        (
            "    fields:\n      currency: { type: string, values: [NZD, AUD] }\n",
            "merchant.yaml:12:41: `values` is only for `type: enum`, not `string`",
        ),
        (
            "    fields:\n      items: { type: list, of: invoice_itme }\n",
            "merchant.yaml:12:32: unknown list item type or model `invoice_itme`; did you mean `invoice_item`?",
        ),
        (
            "    fields:\n      items: { type: list }\n",
            "merchant.yaml:12:22: field `items` is a list but does not say of what: add `of: string` or `of: MODEL`",
        ),
        (
            "    signature: { rule: hmac }\n    fields: {}\n",
            "merchant.yaml:11:24: unknown signature rule `hmac`; expected one of: concat, sorted_join, none, undocumented",
        ),
    ];
    for (model, expected) in cases {
        assert_eq!(errors(&format!("{ANSWER}{model}")), [*expected], "{model}");
    }
}

#[test]
fn shared_enums_are_checked_with_positions() {
    let cases: &[(&str, &str)] = &[
        (
            "    fields:\n      status: { type: enum, values: [paid], enum: payment_stat }\n",
            "merchant.yaml:12:51: unknown enum `payment_stat`; did you mean `payment_status`?",
        ),
        (
            "    fields:\n      status: { type: enum, values: [paid, refunded], enum: payment_status }\n",
            "merchant.yaml:12:61: field `status` takes `refunded`, which enum `payment_status` does not list (its values: pending, paid, failed, canceled, rejected, cancel_or_fail)",
        ),
        (
            "    fields:\n      status: { type: string, enum: payment_status }\n",
            "merchant.yaml:12:37: `enum` is only for `type: enum`, not `string`",
        ),
    ];
    for (model, expected) in cases {
        assert_eq!(errors(&format!("{ANSWER}{model}")), [*expected], "{model}");
    }
    let declared: &[(&str, &str)] = &[
        (
            "enums:\n  payment_status:\n    values: [paid]\n",
            "merchant.yaml:13:3: enum `payment_status` is a built-in enum; use it as it is (`enum: payment_status` on a member), do not declare it again",
        ),
        (
            "enums:\n  pong:\n    values: [a]\n",
            "merchant.yaml:13:3: enum `pong` is named like a model; give it another name (both become Rust types)",
        ),
        (
            "enums:\n  tier:\n    values: []\n",
            "merchant.yaml:14:13: `values` of an enum must not be empty",
        ),
        (
            "enums:\n  tier:\n    values: [gold, gold]\n",
            "merchant.yaml:14:13: value `gold` of enum `tier` is listed twice",
        ),
    ];
    let clash = format!(
        "{ANSWER}    fields:\n      tier: {{ type: enum, values: [gold] }}\nenums:\n  pong_tier:\n    values: [gold]\n"
    );
    assert_eq!(
        errors(&clash),
        [
            "merchant.yaml:10:3: enum `pong_tier` has the name of the enum of member `tier` of model `pong`; give it another name, or give the member `enum: pong_tier`"
        ]
    );
    for (enums, expected) in declared {
        let yaml = format!("{ANSWER}    fields: {{}}\n{enums}");
        assert_eq!(errors(&yaml), [*expected], "{enums}");
    }
}

/// A merchant's model may name a built-in shared enum or one of its own; the spec it gets has
/// both, and the generated types use one Rust enum for every member that names it.
#[test]
fn members_share_an_enum_across_models() {
    let yaml = format!(
        "{ANSWER}    fields:\n      status: {{ type: enum, values: [paid], enum: payment_status }}\n      tier: {{ type: enum, values: [gold], enum: tier }}\n      level: {{ type: enum, values: [silver, gold], enum: tier }}\nenums:\n  tier:\n    doc: A customer's tier.\n    values: [gold, silver]\n"
    );
    let spec = parse_merchant(&yaml, "merchant.yaml").expect("a valid merchant spec");
    assert_eq!(spec.named_enum("tier").unwrap().values, ["gold", "silver"]);
    assert_eq!(
        spec.named_enum("payment_status").unwrap(),
        crate::builtin().named_enum("payment_status").unwrap(),
        "the built-in enum its model names is copied, as built-in models are"
    );
    let pong = spec.model("pong").unwrap();
    assert_eq!(
        pong.field("level").unwrap().named_enum.as_deref(),
        Some("tier")
    );
    let merged = crate::with_builtin(&spec).expect("merges");
    assert_eq!(merged.enums.len(), 2);
}

#[test]
fn a_member_holds_a_nested_model_directly_or_as_list_items() {
    let model = || ModelType::Model("invoice_item".into());
    assert_eq!(model().nested_model(), Some("invoice_item"));
    assert_eq!(
        ModelType::List(Box::new(model())).nested_model(),
        Some("invoice_item")
    );
    assert_eq!(
        ModelType::List(Box::new(ModelType::String)).nested_model(),
        None
    );
    assert_eq!(ModelType::Object.nested_model(), None);
}

#[test]
fn an_answer_does_not_declare_the_envelope() {
    let e = errors(&format!(
        "{ANSWER}    fields:\n      code: {{ type: integer }}\n      balance: {{ type: amount }}\n"
    ));
    assert_eq!(
        e,
        [
            "merchant.yaml:10:3: model `pong` answers endpoint `ping`, so `code` is already part of it (every answer has `code`, `message` and `messageCN`); remove the field"
        ]
    );
}

/// `ping` with these keys after its `fields`.
fn ping(rest: &str) -> String {
    format!(
        "version: 1
endpoints:
  ping:
    method: POST
    path: /ping
    fields:
      user_id: {{ type: string, from: credentials }}
{rest}"
    )
}

#[test]
fn an_endpoint_names_the_model_it_answers_with() {
    assert_eq!(
        errors(&ping("    response: { model: stauts }\n")),
        ["merchant.yaml:8:24: unknown model `stauts`; did you mean `status`?"]
    );
    assert_eq!(
        errors(&ping("")),
        [
            "merchant.yaml:3:3: endpoint `ping` has no `response: { model: ... }`; declare what it answers under `models:` (a model with no fields if it answers only code and message: the built-in `status`)"
        ]
    );
    // The signature rule moved from the response onto the model.
    assert_eq!(
        errors(&ping(
            "    response: { model: status, signature: { rule: concat, fields: [user_id] } }\n"
        )),
        [
            "merchant.yaml:8:32: a response's signature rule is declared on its model now: move it to `models: <model>: signature` (in `response` of endpoint `ping`)"
        ]
    );
    // On its own (the built-in spec's way), only the file's own models are known.
    let e = parse(&ping("    response: { model: pong }\n"), "merchant.yaml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "merchant.yaml:8:24: unknown model `pong`; no model is declared"
    );
}

#[test]
fn a_merchant_spec_uses_the_builtin_models_but_does_not_redefine_them() {
    assert_eq!(
        errors(&ping(
            "    response: { model: status }\nmodels:\n  status:\n    fields: {}\n"
        )),
        [
            "merchant.yaml:10:3: model `status` is a built-in model; give yours another name, or use the built-in one"
        ]
    );
    // Answering with the built-in `status`: accepted, and the model is copied in, so the spec
    // is complete on its own.
    let spec = parse_merchant(&ping("    response: { model: status }\n"), "merchant.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = spec.models.keys().map(String::as_str).collect();
    assert_eq!(names, ["status"]);
    let status = spec.response_model(spec.endpoint("ping").unwrap()).unwrap();
    assert_eq!(status, builtin().model("status").unwrap());
    assert!(status.envelope && status.fields.is_empty());
    // Built-in models nested in the merchant's own are copied too, with those they nest.
    let spec = parse_merchant(
        &format!(
            "{ANSWER}    fields:\n      items: {{ type: list, of: invoice_item }}\n      answer: {{ type: model, model: gatewaydata }}\n"
        ),
        "merchant.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = spec.models.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["gatewaydata", "gatewaydata_data", "invoice_item", "pong"]
    );
    assert!(spec.model("pong").unwrap().envelope);
}

#[test]
fn a_path_starts_with_a_slash_or_a_url_parameter() {
    let endpoint = |path: &str, ty: &str| {
        format!(
            "version: 1
endpoints:
  next:
    method: GET
    path: \"{path}\"
    signing: {{ rule: none }}
    fields:
      host: {{ type: {ty}, in: path }}
    response: {{ model: status }}
"
        )
    };
    assert_eq!(
        errors(&endpoint("{host}/next", "string")),
        [
            "merchant.yaml:5:11: path `{host}/next` starts with `{host}`, so `host` must be `type: url`: the request goes to that address"
        ]
    );
    assert_eq!(
        errors(&endpoint("next/{host}", "string")),
        [
            "merchant.yaml:5:11: path `next/{host}` must start with `/` (or with a `url` path parameter)"
        ]
    );
    let spec = parse_merchant(&endpoint("{host}/next", "url"), "merchant.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.endpoint("next").unwrap().signing, None);
    assert_eq!(
        errors(
            &endpoint("{host}/next", "url")
                .replace("{ rule: none }", "{ rule: none, append_key: true }")
        ),
        ["merchant.yaml:6:22: an unsigned request (`rule: none`) takes no other keys"]
    );
}

#[test]
fn an_inbound_message_is_signed_by_a_concatenation() {
    let yaml = "version: 1
endpoints: {}
inbound:
  voucher_used:
    encoding: form
    model: voucher_used
  voucher_seen:
    encoding: query
    model: status
models:
  voucher_used:
    signature: { rule: sorted_join }
    fields:
      code: { type: string }
      signature: { type: string }
";
    assert_eq!(
        errors(yaml),
        [
            "merchant.yaml:6:12: inbound message `voucher_used` uses model `voucher_used`, which is not signed by a `concat` rule; Latipay signs what it sends the merchant with Rule B",
            "merchant.yaml:9:12: inbound message `voucher_seen` uses model `status`, which is not signed by a `concat` rule; Latipay signs what it sends the merchant with Rule B",
        ]
    );
    // The built-in notification model serves a merchant's own inbound message, and is copied in.
    let spec = parse_merchant(
        "version: 1\nendpoints: {}\ninbound:\n  paid:\n    encoding: form\n    model: notification\n",
        "merchant.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        spec.inbound("paid").unwrap().signature,
        builtin().inbound("notification").unwrap().signature
    );
    assert!(spec.model("notification").is_some());
}

#[test]
fn every_problem_of_a_merchant_spec_is_reported_at_once_in_line_order() {
    let yaml = "version: 1
endpoints:
  voucher:
    method: POST
    path: /v2/voucher
    fields:
      user_id: { type: string, from: credentials }
      code: { type: string }
    response: { model: voucher_answer }
  ping:
    method: POST
    path: /ping
    fields:
      user_id: { type: string, from: credentials }
models:
  voucher_answer:
    signature: { rule: concat, fields: [balance, currency] }
    fields:
      balance: { type: amount, nullable: true }
      kind: { type: string, values: [a, b] }
      items: { type: list }
      signature: { type: string }
  status:
    fields: {}
";
    assert_eq!(
        errors(yaml),
        [
            "merchant.yaml:10:3: endpoint `ping` has no `response: { model: ... }`; declare what it answers under `models:` (a model with no fields if it answers only code and message: the built-in `status`)",
            "merchant.yaml:17:41: the `voucher_answer` signature covers `balance`, so it cannot be optional or nullable: a signed answer always has it",
            "merchant.yaml:17:50: the `voucher_answer` signature names `currency`, which is not a field",
            "merchant.yaml:20:37: `values` is only for `type: enum`, not `string`",
            "merchant.yaml:21:22: field `items` is a list but does not say of what: add `of: string` or `of: MODEL`",
            "merchant.yaml:23:3: model `status` is a built-in model; give yours another name, or use the built-in one",
        ]
    );
}

#[test]
fn the_worked_example_of_the_readme_is_a_valid_merchant_spec() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```yaml\n# latipay-extra.yaml")
        .expect("the README's worked example");
    let yaml = &readme[start + "```yaml\n".len()..];
    let yaml = &yaml[..yaml.find("```").unwrap()];
    let spec = parse_merchant(yaml, "latipay-extra.yaml").unwrap_or_else(|e| panic!("{e}"));
    let endpoint = spec.endpoint("voucher_balance").unwrap();
    assert_eq!(endpoint.path, "/v2/voucher/balance");
    let model = spec.response_model(endpoint).unwrap();
    assert_eq!(
        model.signature,
        ModelSignature::Signed(SigningRule::Concat {
            fields: vec!["voucher_code".into(), "balance".into(), "currency".into()],
            append_key: false
        })
    );
    assert!(model.field("expires").unwrap().optional);
}

/// A file's mistakes come in one round: keys the reader does not know (their values skipped) and
/// the meaning's mistakes together, sorted by position.
#[test]
fn reading_and_meaning_errors_come_in_one_round() {
    let yaml = "version: 1
endpoints:
  ping:
    method: POST
    path: /ping
    fileds: { user_id: { type: string } }
    fields:
      user_id: { type: strnig, from: credentials }
    response: { model: pong }
models:
  pong:
    signature: { rule: concat, fields: [balance] }
    fields:
      signature: { type: string }
";
    let e = errors(yaml);
    assert_eq!(
        e,
        [
            "merchant.yaml:6:5: unknown key `fileds` in endpoint `ping`; did you mean `fields`? (expected one of: doc, method, path, fields, signing, signature_in, response, one_of, replaces)",
            "merchant.yaml:8:24: unknown type `strnig`; did you mean `string`?",
            "merchant.yaml:12:41: the `pong` signature names `balance`, which is not a field",
        ]
    );
}
