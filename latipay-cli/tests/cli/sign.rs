//! `latipay sign`: the doc vectors, --explain, GET URLs, and usage errors (exit 2).

use super::common::*;

/// (endpoint, flags and fields, expected signature), one per signed request vector of latipay-api.md.
const VECTORS: &[(&str, &[&str], &str)] = &[
    (
        "transaction",
        &[
            "--user-id=U000334333",
            "--wallet-id=W00000001",
            "amount=120.00",
            "callback_url=https://merchantsite.com/confirm",
            "ip=122.122.122.1",
            "merchant_reference=dsi39ej430sks03",
            "payment_method=alipay",
            "product_name=Pinot Noir, Otago",
            "return_url=https://merchantsite.com/checkout",
        ],
        "8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec",
    ),
    (
        "minialipay",
        &[
            "--user-id=U000334333",
            "--wallet-id=W00000001",
            "amount=120.00",
            "callback_url=https://merchantsite.com/confirm",
            "ip=122.122.122.1",
            "merchant_reference=dsi39ej430sks03",
            "product_name=Pinot Noir, Otago",
        ],
        "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07",
    ),
    (
        "query",
        &["--user-id=U000000013", "merchant_reference=6000324"],
        "58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4",
    ),
    // The doc's barcode vector (e66d54f7...) leaves out `merchant_reference`, which the spec now
    // requires (the parameter table does, and the result is polled by it): the doc's message
    // with it added, HMAC'd independently (Python's hmac module).
    (
        "barcode",
        &[
            "--user-id=U00001534",
            "--wallet-id=W00000001",
            "amount=0.05",
            "merchant_reference=bc-0001",
            "pay_code=134588558514585062",
        ],
        "7583cc436f6a2c8fcbd47b63b99ea68536fd13ca68ab262cd49bf179d2654d64",
    ),
    (
        "refund",
        &[
            "--user-id=U000334333",
            "order_id=23479798sdf7987234",
            "reference=notes about this refund",
            "refund_amount=120.00",
        ],
        "3052b51072570b743bf9a12a20a45b0adf280aee84907ef0e54d1079fb3f961c",
    ),
    (
        "invoice_create",
        &[
            "--user-id=U000000013",
            "--wallet-id=W000000023",
            "amount=1",
            "notify_url=https://yourwebsite.com/latipay/notify",
            "product_name=ticket",
        ],
        "9361c9e5ac5fc269296cc946377b3b4dea03685aa623482981a82101047672d9",
    ),
];

fn sign(endpoint: &str, rest: &[&str]) -> std::process::Output {
    let mut args = vec!["sign", endpoint, "--api-key", KEY];
    args.extend_from_slice(rest);
    latipay(&args)
}

#[test]
fn every_doc_vector_signs_to_the_documented_signature() {
    for (endpoint, rest, expected) in VECTORS {
        let o = sign(endpoint, rest);
        assert_eq!(code(&o), 0, "{endpoint}: {}", stderr(&o));
        assert_eq!(last_line(&o), *expected, "{endpoint}");
    }
}

#[test]
fn credentials_given_as_fields_work_too_and_a_tampered_field_changes_the_signature() {
    let o = sign(
        "query",
        &["user_id=U000000013", "merchant_reference=6000324"],
    );
    assert_eq!(last_line(&o), VECTORS[2].2);
    let o = sign(
        "query",
        &["--user-id=U000000013", "merchant_reference=6000325"],
    );
    assert_eq!(code(&o), 0);
    assert_ne!(last_line(&o), VECTORS[2].2);
}

#[test]
fn explain_shows_the_masked_message_and_unsigned_fields() {
    let (_, rest, expected) = VECTORS[1];
    let mut args = rest.to_vec();
    args.push("--explain");
    let o = sign("minialipay", &args);
    let out = stdout(&o);
    assert!(out.contains("message: amount=120.00&callback_url=https://merchantsite.com/confirm&ip=122.122.122.1&merchant_reference=dsi39ej430sks03&product_name=Pinot Noir, Otago&user_id=U000334333&version=2.0&wallet_id=W00000001***\n"), "{out}");
    assert!(out.contains("sent but not signed: payment_method"), "{out}");
    assert!(
        out.contains(r#""payment_method":"alipay""#),
        "the constant is sent: {out}"
    );
    assert!(!out.contains(KEY), "the key is never printed: {out}");
    assert_eq!(last_line(&o), expected);
}

#[test]
fn get_endpoints_print_the_full_url() {
    let o = sign(
        "query",
        &[
            "--user-id=U000000013",
            "merchant_reference=6000324",
            "is_block=1",
        ],
    );
    let out = stdout(&o);
    let url = out
        .lines()
        .find(|l| l.starts_with("url: "))
        .expect("a url line");
    assert!(
        url.starts_with("url: https://api.latipay.net/v2/transaction/6000324?"),
        "{url}"
    );
    assert!(
        url.contains("is_block=1")
            && url.contains("user_id=U000000013&")
            && url.contains("signature="),
        "{url}"
    );
    let o = latipay(&[
        "sign",
        "invoice_list",
        "--api-key",
        KEY,
        "--user-id",
        "U1",
        "start_time=2024-01-01",
        "--base-url",
        "http://127.0.0.1:8086",
    ]);
    assert!(
        stdout(&o).contains("url: http://127.0.0.1:8086/v2/invoices?"),
        "{}",
        stdout(&o)
    );
    let o = latipay(&[
        "sign",
        "invoice_get",
        "--api-key",
        KEY,
        "--user-id",
        "U1",
        "invoice_id=I1",
    ]);
    assert!(stdout(&o).contains("url: https://api.latipay.net/v2/invoice?"));
}

#[test]
fn usage_errors_exit_2_with_clear_messages() {
    let o = sign("minialipy", &[]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `minialipay`"),
        "{}",
        stderr(&o)
    );

    let o = sign("query", &["--user-id=U1", "merchant_refrence=1"]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("unknown field `merchant_refrence`; did you mean `merchant_reference`?"),
        "{e}"
    );

    let o = sign("transaction", &[]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    for name in [
        "user_id",
        "wallet_id",
        "payment_method",
        "amount",
        "callback_url",
        "merchant_reference",
        "ip",
        "product_name",
    ] {
        assert!(e.contains(&format!("`{name}`")), "{name}: {e}");
    }
    // return_url is optional (merchant-hosted offline sends none).
    assert!(!e.contains("`return_url`"), "{e}");
    let o = sign(
        "barcode",
        &[
            "--user-id=U00001534",
            "--wallet-id=W00000001",
            "amount=0.05",
            "pay_code=134588558514585062",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing required field: `merchant_reference`"),
        "{}",
        stderr(&o)
    );

    let o = sign(
        "refund",
        &["--user-id=U1", "order_id=1", "refund_amount=1.234"],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("refund_amount"));

    let o = sign("query", &["--user-id=U1", "merchant_reference"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("NAME=VALUE"));

    let o = latipay(&["sign", "query", "merchant_reference=1"]);
    assert_eq!(code(&o), 2, "no --api-key");
    let o = latipay(&[
        "sign",
        "query",
        "--api-key",
        KEY,
        "--spec",
        "/nonexistent.yaml",
        "merchant_reference=1",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("/nonexistent.yaml"));
    no_panic(&o);
}

#[test]
fn amounts_are_normalised_and_the_api_key_env_var_works() {
    let (_, rest, expected) = VECTORS[4];
    let args: Vec<&str> = rest
        .iter()
        .map(|a| {
            if *a == "refund_amount=120.00" {
                "refund_amount=120"
            } else {
                a
            }
        })
        .collect();
    let o = sign("refund", &args);
    assert_eq!(last_line(&o), expected, "120 is signed and sent as 120.00");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_latipay"))
        .args([
            "sign",
            "query",
            "--user-id=U000000013",
            "merchant_reference=6000324",
        ])
        .env("LATIPAY_API_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(last_line(&o), VECTORS[2].2);
}

#[test]
fn gatewaydata_is_sent_unsigned_to_its_host_url() {
    let o = latipay(&[
        "sign",
        "gatewaydata",
        "--api-key",
        KEY,
        "--base-url",
        "staging",
        "host_url=https://api.latipay.net/v2/merchanthosted/gatewaydata",
        "nonce=b395c008",
        "--explain",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("message: (none: `gatewaydata` is sent unsigned)\n"),
        "{out}"
    );
    assert!(
        out.contains("url: https://api.latipay.net/v2/merchanthosted/gatewaydata/b395c008\n"),
        "the base URL does not matter: {out}"
    );
    assert_eq!(last_line(&o), "unsigned");
    // The base URL may name an environment, as for `call`.
    let o = sign(
        "query",
        &[
            "--user-id=U000000013",
            "merchant_reference=6000324",
            "--base-url=staging",
        ],
    );
    assert!(
        stdout(&o).contains("url: https://api-staging.latipay.net/v2/transaction/6000324?"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_empty_or_mistyped_base_url_is_a_usage_error_not_production() {
    let query = ["--user-id=U000000013", "merchant_reference=6000324"];
    for base in ["", "prod", "Staging ", "api.latipay.net"] {
        let flag = format!("--base-url={base}");
        let o = sign("query", &[query[0], query[1], &flag]);
        assert_eq!(code(&o), 2, "{base:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!(
                "--base-url `{base}` is not `production`, `staging` or an absolute"
            )),
            "{base:?}: {}",
            stderr(&o)
        );
        assert_eq!(stdout(&o), "", "{base:?}");
    }
    // From the variable too, when it is set at all.
    for base in ["", "prod"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_latipay"))
            .args(["sign", "query", "--api-key", KEY])
            .args(query)
            .env_remove("LATIPAY_API_KEY")
            .env_remove("LATIPAY_USER_ID")
            .env_remove("LATIPAY_WALLET_ID")
            .env("LATIPAY_BASE_URL", base)
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{base:?}: {}", stderr(&o));
    }
}

/// `--spec` adds the file's endpoints to the built-in ones, as the derive and the sandbox do: a
/// built-in name is taken only by an endpoint that says `replaces: true`, which then replaces it.
#[test]
fn a_spec_file_adds_endpoints_and_replaces_a_builtin_only_when_it_says_so() {
    let dir = std::env::temp_dir().join(format!("latipay-cli-replaces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let endpoints = "version: 1
endpoints:
  refund:
    method: POST
    path: /v2/refund
    fields:
      user_id: { type: string, from: credentials }
      order_id: { type: string }
    response: { model: status }
  ping:
    method: POST
    path: /ping
    fields:
      user_id: { type: string, from: credentials }
    response: { model: status }
";
    let unmarked = file("unmarked.yaml", endpoints);
    let o = sign("ping", &["--spec", &unmarked, "--user-id=U1"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {unmarked}:3:3: endpoint `refund` has the name of a built-in endpoint; add `replaces: true` to use yours instead of the built-in one, or give yours another name\n"
        )
    );

    let marked = file(
        "marked.yaml",
        &endpoints.replace(
            "    path: /v2/refund\n",
            "    path: /v2/refund\n    replaces: true\n",
        ),
    );
    // The file's `refund`, signed over its own fields and sent to its own path.
    let o = sign(
        "refund",
        &[
            "--spec",
            &marked,
            "--user-id=U1",
            "order_id=O1",
            "--explain",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("message: order_id=O1&user_id=U1***\n")
            && stdout(&o).contains("/v2/refund"),
        "{}",
        stdout(&o)
    );
    // The file's other endpoint, and the built-in ones beside it.
    let o = sign("ping", &["--spec", &marked, "--user-id=U1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (_, rest, expected) = VECTORS[2];
    let mut args = vec!["--spec", marked.as_str()];
    args.extend_from_slice(rest);
    let o = sign("query", &args);
    assert_eq!(last_line(&o), expected, "{}", stderr(&o));

    let replaces_nothing = file(
        "nothing.yaml",
        &std::fs::read_to_string(&marked)
            .unwrap()
            .replace("    path: /ping\n", "    path: /ping\n    replaces: true\n"),
    );
    let o = sign("ping", &["--spec", &replaces_nothing, "--user-id=U1"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!(
            "error: {replaces_nothing}:14:15: endpoint `ping` says `replaces: true`, but there is no built-in endpoint `ping` to replace; remove `replaces`\n"
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The spec's rules beyond each field's type: a zero amount where Latipay needs a positive one,
/// and an invoice lookup with neither `invoice_id` nor `customer_order_id`, are usage errors.
#[test]
fn zero_amounts_and_unmet_one_of_groups_are_refused() {
    let o = sign(
        "refund",
        &["--user-id=U1", "order_id=1", "refund_amount=0.00"],
    );
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: cannot sign `refund`:\nfield `refund_amount`: must be more than zero: Latipay refuses a payment or refund of 0.00\n"
    );
    for endpoint in ["invoice_get", "invoice_delete", "invoice_refund"] {
        let o = sign(endpoint, &["--user-id=U1"]);
        assert_eq!(code(&o), 2, "{endpoint}");
        assert_eq!(
            stderr(&o),
            format!(
                "error: cannot sign `{endpoint}`:\nmissing `invoice_id` or `customer_order_id`: give at least one of them\n"
            ),
            "{endpoint}"
        );
        let o = sign(endpoint, &["--user-id=U1", "customer_order_id=C1"]);
        assert_eq!(code(&o), 0, "{endpoint}: {}", stderr(&o));
    }
    no_panic(&o);
}
