//! `latipay call`: against a local server answering Latipay's documented bodies byte for byte
//! (`tests/fixtures/responses/`), a merchant's own spec file, and the real sandbox. Exit codes
//! 0 (the answer, verified, as one JSON object), 1 (a signature does not verify), 2 (a usage
//! error, nothing sent), 3 (a failure code), 4 (no usable answer).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};

use super::common::*;
use super::net::{SandboxProcess, USER, WALLET};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/responses");

/// A fixture file's text, exactly as stored (no trailing newline).
fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}.json"))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// What the server knows: canned bodies by name, and every request it was sent.
#[derive(Clone, Default)]
struct Shared {
    bodies: Arc<Mutex<HashMap<String, String>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

/// A tiny Latipay on 127.0.0.1 that answers stored bodies byte for byte:
/// - `ANY /f/{name}/...`: the body named `name` (every fixture file by its stem, `not_json`,
///   `not_object`, and any added with [`FixtureServer::add`]), so `--base-url http://ADDR/f/NAME`
///   makes any endpoint answer it;
/// - `GET /v2/transaction/{reference}`: `query_real_7EE1.json` for `22TEST`, else `query.json`;
/// - `GET /v2/merchanthosted/gatewaydata/{nonce}`: `gatewaydata.json`.
struct FixtureServer {
    addr: SocketAddr,
    shared: Shared,
}

impl FixtureServer {
    fn start() -> FixtureServer {
        let shared = Shared::default();
        {
            let mut bodies = shared.bodies.lock().unwrap();
            for entry in std::fs::read_dir(FIXTURES).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                    bodies.insert(stem, std::fs::read_to_string(&path).unwrap());
                }
            }
            bodies.insert(
                "not_json".into(),
                "<html><body>502 Bad Gateway</body></html>".into(),
            );
            bodies.insert("not_object".into(), "[0]".into());
        }
        let app = Router::new()
            .route("/f/{name}/{*rest}", any(named))
            .route("/v2/transaction/{reference}", get(query))
            .route("/v2/merchanthosted/gatewaydata/{nonce}", get(gatewaydata))
            .with_state(shared.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        FixtureServer {
            addr: rx.recv().expect("the server starts"),
            shared,
        }
    }

    /// `http://127.0.0.1:PORT`.
    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL under which every endpoint answers the body `name`.
    fn answering(&self, name: &str) -> String {
        format!("{}/f/{name}", self.url())
    }

    /// Adds a body to answer under `/f/{name}/...`.
    fn add(&self, name: &str, body: &str) {
        self.shared
            .bodies
            .lock()
            .unwrap()
            .insert(name.to_owned(), body.to_owned());
    }

    /// Every request so far, as `METHOD /path?query BODY`.
    fn requests(&self) -> Vec<String> {
        self.shared.requests.lock().unwrap().clone()
    }
}

fn record(shared: &Shared, method: &Method, uri: &Uri, body: &str) {
    shared
        .requests
        .lock()
        .unwrap()
        .push(format!("{method} {uri} {body}"));
}

fn answer(shared: &Shared, name: &str) -> Response {
    match shared.bodies.lock().unwrap().get(name) {
        Some(body) => (
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            body.clone(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, format!("no body `{name}`")).into_response(),
    }
}

async fn named(
    State(shared): State<Shared>,
    Path((name, _rest)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    body: String,
) -> Response {
    record(&shared, &method, &uri, &body);
    answer(&shared, &name)
}

async fn query(State(shared): State<Shared>, Path(reference): Path<String>, uri: Uri) -> Response {
    record(&shared, &Method::GET, &uri, "");
    let name = if reference == "22TEST" {
        "query_real_7EE1"
    } else {
        "query"
    };
    answer(&shared, name)
}

async fn gatewaydata(State(shared): State<Shared>, uri: Uri) -> Response {
    record(&shared, &Method::GET, &uri, "");
    answer(&shared, "gatewaydata")
}

/// `latipay call ARGS...` with no LATIPAY_* variables from the environment; the key is never
/// printed, and nothing panics.
fn call(args: &[&str]) -> Output {
    let mut all = vec!["call"];
    all.extend_from_slice(args);
    let o = latipay(&all);
    no_key(&o, KEY);
    o
}

fn no_key(o: &Output, key: &str) {
    let all = format!("{}{}", stdout(o), stderr(o));
    assert!(!all.contains(key), "the api_key is printed:\n{all}");
    no_panic(o);
}

/// Exit 0 with `expected` as the last line of stdout, which is one JSON object.
fn assert_answer(o: &Output, expected: &str) {
    assert_eq!(code(o), 0, "{}", stderr(o));
    let last = last_line(o);
    assert_eq!(last, expected);
    let value: serde_json::Value = serde_json::from_str(&last).expect("the last line is JSON");
    assert!(value.is_object(), "{last}");
}

const QUERY_SIGNATURE: &str = "58f93f458880120d650611f2452917a25a39edc2f5e3a03baac73a7a49bc81f4";

#[test]
fn a_query_answer_is_verified_and_printed_as_received() {
    let server = FixtureServer::start();
    let o = call(&[
        "query",
        "--base-url",
        &server.url(),
        "--api-key",
        KEY,
        "--user-id",
        "U000000013",
        "merchant_reference=6000324",
    ]);
    assert_answer(&o, &fixture("query"));
    // `120.00` stays `120.00`: the amount's text is what Rule B signed.
    assert!(last_line(&o).contains(r#""amount":120.00,"#));
    // The request was the documented vector: signed by the spec, sent by the Client.
    assert_eq!(
        server.requests(),
        [format!(
            "GET /v2/transaction/6000324?user_id=U000000013&signature={QUERY_SIGNATURE} "
        )]
    );
}

#[test]
fn the_real_7ee1_answer_keeps_its_amount_text_its_nulls_and_its_order() {
    let server = FixtureServer::start();
    let o = latipay(&[
        "call",
        "query",
        "--base-url",
        &server.url(),
        "--api-key=7EE1",
        "--user-id=U000000013",
        "merchant_reference=22TEST",
    ]);
    no_key(&o, "7EE1");
    let expected = fixture("query_real_7EE1");
    assert_answer(&o, &expected);
    let last = last_line(&o);
    for kept in [
        r#""amount":0.01,"#,
        r#""amount_cny":null,"#,
        r#""rate":0.00000,"#,
    ] {
        assert!(last.contains(kept), "{kept}: {last}");
    }
    // The server's order, not alphabetical: `status` before `currency`, `signature` mid-way.
    let names: Vec<&str> = last
        .split(',')
        .filter_map(|m| m.trim_start_matches('{').split(':').next())
        .collect();
    assert_eq!(
        &names[..8],
        [
            r#""code""#,
            r#""message""#,
            r#""messageCN""#,
            r#""merchant_reference""#,
            r#""status""#,
            r#""currency""#,
            r#""amount""#,
            r#""amount_cny""#
        ]
    );
}

#[test]
fn transaction_and_gatewaydata_are_verified_by_rules_c_and_a() {
    let server = FixtureServer::start();
    let transaction = [
        "transaction",
        "--api-key",
        KEY,
        "--user-id",
        "U000334333",
        "--wallet-id",
        "W00000001",
        "amount=120.00",
        "payment_method=alipay",
        "merchant_reference=dsi39ej430sks03",
        "ip=122.122.122.1",
        "product_name=Pinot Noir, Otago",
        "return_url=https://merchantsite.com/checkout",
        "callback_url=https://merchantsite.com/confirm",
    ];
    let base = server.answering("transaction");
    let mut args = transaction.to_vec();
    args.extend(["--base-url", &base]);
    assert_answer(&call(&args), &fixture("transaction"));
    let sent = server.requests().pop().unwrap();
    assert!(
        sent.starts_with("POST /f/transaction/v2/transaction {")
            && sent.contains(
                r#""signature":"8d1bea078eaacdae8388852851ec39e2e8561cdce64f359421d85ed4844496ec""#
            ),
        "{sent}"
    );

    // The second step of merchant-hosted offline: an unsigned GET to host_url/nonce, wherever
    // the base URL points (here: production, never contacted).
    let host = format!("{}/v2/merchanthosted/gatewaydata", server.url());
    let nonce = "b395c00872c422230c46d0b6b9049dbfd32c6364eef068db13971b38bee7d56a";
    let o = call(&[
        "gatewaydata",
        "--api-key=111222333",
        &format!("host_url={host}"),
        &format!("nonce={nonce}"),
    ]);
    assert_answer(&o, &fixture("gatewaydata"));
    assert_eq!(
        server.requests().pop().unwrap(),
        format!("GET /v2/merchanthosted/gatewaydata/{nonce} ")
    );

    // Tampered: the rule and the message that should have been signed, key masked.
    let base = server.answering("transaction_tampered_nonce");
    let mut args = transaction.to_vec();
    args.extend(["--base-url", &base]);
    let o = call(&args);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("invalid") && e.contains("concatenation: nonce + host_url"),
        "{e}"
    );
    assert!(
        e.contains("expected message: 7d5a88119354301ad3fc250404493bd27abf4467283a061d1ed11860a46e1bf4https://pay.latipay.net/pay"),
        "{e}"
    );
    assert_eq!(stdout(&o), "", "no answer is printed");

    let host = server.answering("gatewaydata_tampered");
    let o = call(&[
        "gatewaydata",
        "--api-key",
        KEY,
        &format!("host_url={host}"),
        &format!("nonce={nonce}"),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("invalid") && e.contains("Rule A"), "{e}");
    assert!(
        e.contains("expected message: amount=0.02&amount_cny=0.05&") && e.contains("***"),
        "{e}"
    );
}

#[test]
fn a_signature_that_does_not_verify_exits_1() {
    let server = FixtureServer::start();
    let query = |base: &str, key: &str| {
        let o = latipay(&[
            "call",
            "query",
            "--base-url",
            base,
            "--api-key",
            key,
            "--user-id=U000000013",
            "merchant_reference=6000324",
        ]);
        no_key(&o, key);
        o
    };
    let o = query(&server.answering("query_tampered_amount"), KEY);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let e = stderr(&o);
    assert!(e.contains("invalid"), "{e}");
    assert!(
        e.contains(
            "rule: concatenation: merchant_reference + payment_method + status + currency + amount"
        ),
        "{e}"
    );
    assert!(
        e.contains("expected message: 6000324alipaypaidNZD120.01\n"),
        "{e}"
    );
    // The right answer with another key.
    let o = query(&server.url(), "another-key-0000");
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("expected message: 6000324alipaypaidNZD120.00\n"));
    // A signed member missing is a failed signature check too.
    server.add(
        "unsigned_query",
        &fixture("query").replace(
            r#","signature":"3149d48405bf8782b8b4ae816a91744c5eb6d4a0293f8bb9bc8f0d9f29fdfb40""#,
            "",
        ),
    );
    let o = query(&server.answering("unsigned_query"), KEY);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid") && stderr(&o).contains("`signature`"));
}

#[test]
fn a_failure_code_exits_3_with_the_code_and_message() {
    let server = FixtureServer::start();
    let o = call(&[
        "refund",
        "--base-url",
        &server.answering("error_206"),
        "--api-key",
        KEY,
        "--user-id=U000334333",
        "order_id=23479798sdf7987234",
        "refund_amount=1.00",
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let e = stderr(&o);
    assert!(
        e.contains("code 206") && e.contains("signature from merchant request is wrong"),
        "{e}"
    );
}

#[test]
fn nothing_usable_exits_4() {
    let server = FixtureServer::start();
    let query = |base: &str| {
        call(&[
            "query",
            "--base-url",
            base,
            "--api-key",
            KEY,
            "--user-id=U1",
            "merchant_reference=6000324",
        ])
    };
    for (body, says) in [("not_json", "HTTP 200"), ("not_object", "HTTP 200")] {
        let o = query(&server.answering(body));
        assert_eq!(code(&o), 4, "{body}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{body}: {}", stderr(&o));
        assert_eq!(stdout(&o), "");
    }
    // A create whose answer is unreadable may still have created: said, not retried.
    let before = server.requests().len();
    let o = call(&[
        "barcode",
        "--base-url",
        &server.answering("not_json"),
        "--api-key",
        KEY,
        "--user-id=U1",
        "--wallet-id=W1",
        "amount=0.05",
        "merchant_reference=bc-1",
        "pay_code=134588558514585062",
    ]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("may have reached Latipay"),
        "{}",
        stderr(&o)
    );
    assert_eq!(server.requests().len(), before + 1, "sent once");
    // The wrong shape: a transaction answer to a barcode request lacks `order_id`.
    let o = call(&[
        "barcode",
        "--base-url",
        &server.answering("transaction"),
        "--api-key",
        KEY,
        "--user-id=U1",
        "--wallet-id=W1",
        "amount=0.05",
        "merchant_reference=bc-1",
        "pay_code=134588558514585062",
    ]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("order_id"), "{}", stderr(&o));
    // Connection refused: nobody listens there.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let o = query(&closed);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("could not send"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2_before_anything_is_sent() {
    let server = FixtureServer::start();
    let base = server.url();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["querry", "--api-key", KEY, "merchant_reference=1"],
            "did you mean `query`",
        ),
        (
            vec![
                "query",
                "--api-key",
                KEY,
                "--user-id=U1",
                "merchant_reference",
            ],
            "NAME=VALUE",
        ),
        (
            vec!["query", "--user-id=U1", "merchant_reference=1"],
            "--api-key",
        ),
        (
            vec![
                "query",
                "--api-key",
                KEY,
                "--user-id=U1",
                "merchant_refrence=1",
            ],
            "did you mean `merchant_reference`",
        ),
        (vec!["transaction", "--api-key", KEY], "`callback_url`"),
        (
            vec![
                "refund",
                "--api-key",
                KEY,
                "--user-id=U1",
                "order_id=1",
                "refund_amount=1.234",
            ],
            "refund_amount",
        ),
        (
            vec!["gatewaydata", "--api-key", KEY, "nonce=abc"],
            "`host_url`",
        ),
        (
            vec![
                "query",
                "--api-key",
                KEY,
                "--spec",
                "/nonexistent.yaml",
                "merchant_reference=1",
            ],
            "/nonexistent.yaml",
        ),
        // The key pasted as a field is refused without being echoed.
        (
            vec!["query", "--api-key", KEY, "--user-id=U1", KEY],
            "not NAME=VALUE",
        ),
    ];
    for (args, says) in cases {
        let mut args = args;
        args.extend(["--base-url", &base]);
        let o = call(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    let o = call(&[
        "query",
        "--api-key",
        KEY,
        "--user-id=U1",
        "merchant_reference=1",
        "--base-url",
        "ftp://example.com",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--base-url"), "{}", stderr(&o));
    assert_eq!(server.requests(), Vec::<String>::new(), "nothing was sent");
}

#[test]
fn credentials_and_the_base_url_come_from_the_environment_as_for_sign() {
    let server = FixtureServer::start();
    let o = Command::new(env!("CARGO_BIN_EXE_latipay"))
        .args(["call", "query", "merchant_reference=6000324"])
        .env("LATIPAY_API_KEY", KEY)
        .env("LATIPAY_USER_ID", "U000000013")
        .env("LATIPAY_WALLET_ID", "W00000001")
        .env("LATIPAY_BASE_URL", server.url())
        .output()
        .unwrap();
    no_key(&o, KEY);
    assert_answer(&o, &fixture("query"));
    assert!(server.requests()[0].contains(QUERY_SIGNATURE));
}

/// A merchant's file: an endpoint of its own with its own model, and one answering with a
/// built-in model.
const MERCHANT_SPEC: &str = r#"version: 1
endpoints:
  loyalty_topup:
    doc: Top up a member's loyalty balance.
    method: POST
    path: /v2/loyalty/{member_id}/topup
    fields:
      user_id: { type: string, from: credentials }
      wallet_id: { type: string, from: credentials }
      member_id: { type: string, in: path }
      amount: { type: amount }
      note: { type: string, optional: true, signed: false }
    response: { model: loyalty_topup }
  loyalty_close:
    doc: Close a member's account.
    method: POST
    path: /v2/loyalty/{member_id}/close
    fields:
      user_id: { type: string, from: credentials }
      member_id: { type: string, in: path }
    response: { model: status }

models:
  loyalty_topup:
    doc: The member's balance after the top-up, signed over the member and the balance.
    signature: { rule: concat, fields: [member_id, balance] }
    fields:
      member_id: { type: string }
      balance: { type: amount }
      currency: { type: string, optional: true }
      signature: { type: string }
"#;

#[test]
fn a_merchant_spec_adds_an_endpoint_with_its_own_model() {
    let server = FixtureServer::start();
    let dir = std::env::temp_dir().join(format!("latipay-cli-call-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("loyalty.yaml");
    std::fs::write(&spec, MERCHANT_SPEC).unwrap();
    let spec = spec.to_str().unwrap();

    // Signed as the model says: member_id + balance, the balance's exact text.
    let signature = latipay_spec::SigningKey::new(latipay_spec::ApiKey::new(KEY))
        .sign_message(b"M-00112.50")
        .to_hex();
    let body = format!(
        r#"{{"code":0,"message":"SUCCESS","messageCN":"操作成功","member_id":"M-001","balance":12.50,"currency":"NZD","points":{{"z":1,"a":2}},"signature":"{signature}"}}"#
    );
    server.add("topup", &body);
    server.add("topup_tampered", &body.replace("12.50", "125.0"));
    let topup = |base: &str| {
        call(&[
            "loyalty_topup",
            "--spec",
            spec,
            "--base-url",
            base,
            "--api-key",
            KEY,
            "--user-id=U1",
            "--wallet-id=W1",
            "member_id=M-001",
            "amount=10",
            "note=birthday",
        ])
    };
    let o = topup(&server.answering("topup"));
    // `points` is not in the model: kept, its members in the server's order.
    assert_answer(&o, &body);
    let sent = server.requests().pop().unwrap();
    assert!(
        sent.starts_with("POST /f/topup/v2/loyalty/M-001/topup {")
            && sent.contains(r#""amount":"10.00""#)
            && sent.contains(r#""signature":""#),
        "{sent}"
    );
    let o = topup(&server.answering("topup_tampered"));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rule: concatenation: member_id + balance\n")
            && stderr(&o).contains("expected message: M-001125.0\n"),
        "{}",
        stderr(&o)
    );

    // An endpoint of the file answering with a built-in model.
    let o = call(&[
        "loyalty_close",
        "--spec",
        spec,
        "--base-url",
        &server.answering("refund"),
        "--api-key",
        KEY,
        "--user-id=U1",
        "member_id=M-001",
    ]);
    assert_answer(&o, &fixture("refund"));

    // The built-in endpoints stay; names of both are suggested.
    let o = call(&[
        "query",
        "--spec",
        spec,
        "--base-url",
        &server.url(),
        "--api-key",
        KEY,
        "--user-id=U000000013",
        "merchant_reference=6000324",
    ]);
    assert_answer(&o, &fixture("query"));
    let o = call(&["loyalty_topop", "--spec", spec, "--api-key", KEY]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `loyalty_topup`"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_transaction_against_the_sandbox() {
    let sb = SandboxProcess::start(&["--quiet"]);
    let reference = format!("cli-call-{}", std::process::id());
    let callback = format!("{}/nowhere", sb.url);
    let base = sb.url.clone();
    let create = |extra: &[&str], reference: &str| {
        let mut args = vec![
            "transaction",
            "--base-url",
            &base,
            "--api-key",
            KEY,
            "--user-id",
            USER,
            "--wallet-id",
            WALLET,
            "amount=1.00",
            "ip=127.0.0.1",
            "product_name=Pinot Noir, Otago",
        ];
        let reference = format!("merchant_reference={reference}");
        let callback = format!("callback_url={callback}");
        args.push(&reference);
        args.push(&callback);
        args.extend_from_slice(extra);
        call(&args)
    };
    let o = create(
        &[
            "payment_method=alipay",
            "return_url=https://merchantsite.com/checkout",
        ],
        &reference,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let answer: serde_json::Value = serde_json::from_str(&last_line(&o)).unwrap();
    assert_eq!(answer["code"], 0, "{answer}");
    assert!(
        answer["host_url"].as_str().unwrap().starts_with(&sb.url),
        "{answer}"
    );
    assert!(
        answer["nonce"].as_str().is_some_and(|n| !n.is_empty()),
        "{answer}"
    );

    // The order is there, pending, and its answer verifies.
    let o = call(&[
        "query",
        "--base-url",
        &base,
        "--api-key",
        KEY,
        "--user-id",
        USER,
        &format!("merchant_reference={reference}"),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let answer: serde_json::Value = serde_json::from_str(&last_line(&o)).unwrap();
    assert_eq!(answer["status"], "pending", "{answer}");
    // The amount as the sandbox wrote it (serde_json's Value would read it as 1.0).
    assert!(
        last_line(&o).contains(r#""amount":1.00,"#),
        "{}",
        last_line(&o)
    );
    assert_eq!(
        answer["merchant_reference"].as_str(),
        Some(reference.as_str()),
        "{answer}"
    );

    // Merchant-hosted offline: the transaction, then its QR code from host_url/nonce.
    let offline = format!("{reference}-offline");
    let o = create(&["payment_method=wechat", "host_type=1"], &offline);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let answer: serde_json::Value = serde_json::from_str(&last_line(&o)).unwrap();
    let o = call(&[
        "gatewaydata",
        "--api-key",
        KEY,
        &format!("host_url={}", answer["host_url"].as_str().unwrap()),
        &format!("nonce={}", answer["nonce"].as_str().unwrap()),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let data: serde_json::Value = serde_json::from_str(&last_line(&o)).unwrap();
    assert_eq!(
        data["data"]["merchant_reference"],
        offline.as_str(),
        "{data}"
    );
    assert!(
        data["data"]["qr_code"]
            .as_str()
            .is_some_and(|q| q.starts_with("data:image/png;base64,")),
        "{data}"
    );

    // A wrong key: the sandbox answers 206, as Latipay does.
    let o = latipay(&[
        "call",
        "query",
        "--base-url",
        &base,
        "--api-key",
        "not-the-key",
        "--user-id",
        USER,
        &format!("merchant_reference={reference}"),
    ]);
    no_key(&o, "not-the-key");
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stderr(&o).contains("code 206"), "{}", stderr(&o));
}
