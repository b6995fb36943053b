//! The helpers every sandbox test shares, once: a sandbox per test (in memory, or on a state
//! file in a temporary directory), requests signed by the spec's dynamic signer (or by hand, for
//! values the signer would refuse), the admin routes, and a scripted merchant that records
//! notifications.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use latipay_sandbox::{Config, Sandbox, User};
use latipay_spec::inbound;
use latipay_spec::{ApiKey, SigningKey, SigningRule, Spec};
use serde_json::Value;

pub const USER: &str = "U000334333";
pub const WALLET: &str = "W00000001";
pub const KEY: &str = "111222333";
pub const OTHER_USER: &str = "U000000002";
pub const OTHER_WALLET: &str = "W00000009";
pub const OTHER_KEY: &str = "other-key";

/// A sandbox with the default user and a second one, notifications every 10 ms.
pub async fn sandbox() -> Sandbox {
    sandbox_with(|_| {}).await
}

pub async fn sandbox_with(adjust: impl FnOnce(&mut Config)) -> Sandbox {
    let mut config = Config::ephemeral();
    config
        .users
        .push(User::new(OTHER_USER, OTHER_KEY, OTHER_WALLET));
    config.notify_interval = Duration::from_millis(10);
    config.notify_timeout = Duration::from_secs(5);
    adjust(&mut config);
    Sandbox::start(config).await.expect("sandbox starts")
}

/// A fresh directory for state files, removed at the end (`tempfile`'s, named for the test).
pub fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("latipay-{name}-"))
        .tempdir()
        .expect("a temporary directory")
}

/// A sandbox like [`sandbox`] on the state file `path`.
pub async fn durable(path: &Path) -> Sandbox {
    sandbox_with(|c| c.state = Some(path.to_owned())).await
}

/// Why a sandbox on the state file `path` does not start (it must not).
pub async fn start_err(path: &Path) -> std::io::Error {
    let mut config = Config::ephemeral();
    config.state = Some(path.to_owned());
    match Sandbox::start(config).await {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e) => e,
    }
}

/// The key of [`USER`].
pub fn key() -> SigningKey {
    SigningKey::new(ApiKey::new(KEY))
}

pub fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// The fields of a hosted online transaction, with `callback_url` and `merchant_reference` given.
pub fn transaction_fields(reference: &str, amount: &str, callback: &str) -> Vec<(String, String)> {
    pairs(&[
        ("payment_method", "alipay"),
        ("amount", amount),
        ("return_url", "https://merchantsite.com/checkout"),
        ("callback_url", callback),
        ("merchant_reference", reference),
        ("ip", "122.122.122.1"),
        ("product_name", "Pinot Noir, Otago"),
    ])
}

/// The fields of a mini program payment (`minialipay`, `miniapppay`).
pub fn mini_fields(reference: &str) -> Vec<(String, String)> {
    pairs(&[
        ("amount", "0.01"),
        ("callback_url", "https://m.example/c"),
        ("merchant_reference", reference),
        ("ip", "122.122.122.1"),
        ("product_name", "ticket"),
    ])
}

/// Signs `fields` for `endpoint` with the spec's dynamic signer and sends it; the JSON answer.
pub async fn call(sb: &Sandbox, endpoint: &str, fields: &[(String, String)]) -> Value {
    call_as(sb, endpoint, &key(), USER, WALLET, fields).await
}

pub async fn call_as(
    sb: &Sandbox,
    endpoint: &str,
    key: &SigningKey,
    user: &str,
    wallet: &str,
    fields: &[(String, String)],
) -> Value {
    let text = call_text(sb, endpoint, key, user, wallet, fields).await;
    serde_json::from_str(&text).expect("JSON answer")
}

/// The same, returning the raw body text (to look at number texts and key order).
pub async fn call_text(
    sb: &Sandbox,
    endpoint: &str,
    key: &SigningKey,
    user: &str,
    wallet: &str,
    fields: &[(String, String)],
) -> String {
    send(
        sb,
        latipay_spec::builtin(),
        endpoint,
        key,
        user,
        wallet,
        fields,
    )
    .await
}

/// The answer's text to `fields` for `endpoint`, sent as [`USER`] by [`call`].
pub async fn text(sb: &Sandbox, endpoint: &str, fields: &[(String, String)]) -> String {
    call_text(sb, endpoint, &key(), USER, WALLET, fields).await
}

/// The answer's text to `fields` for `endpoint` of `spec` (a changed or merchant spec the
/// sandbox runs with), sent as [`USER`].
pub async fn spec_text(
    sb: &Sandbox,
    spec: &Spec,
    endpoint: &str,
    fields: &[(String, String)],
) -> String {
    send(sb, spec, endpoint, &key(), USER, WALLET, fields).await
}

/// Signs `fields` for `endpoint` of `spec` with its dynamic signer and sends it; the answer's
/// text, which Latipay sends with HTTP 200.
pub async fn send(
    sb: &Sandbox,
    spec: &Spec,
    endpoint: &str,
    key: &SigningKey,
    user: &str,
    wallet: &str,
    fields: &[(String, String)],
) -> String {
    let signed = spec
        .endpoint(endpoint)
        .expect("endpoint")
        .sign_dynamic(key, user, wallet, fields)
        .expect("signable");
    let method = reqwest::Method::from_bytes(signed.request.method.as_str().as_bytes()).unwrap();
    let mut req = reqwest::Client::new().request(method, signed.request.url(sb.url()));
    if let Some(body) = signed.request.body {
        req = req
            .header("content-type", "application/json;charset=UTF-8")
            .body(body);
    }
    let resp = req.send().await.expect("sandbox answers");
    assert_eq!(resp.status(), 200, "Latipay answers HTTP 200");
    resp.text().await.expect("body")
}

/// Rule A over `fields` as given (no checks, no normalisation), for bad values: the spec
/// crate's one Rule A writer.
pub fn sign_raw(key: &SigningKey, fields: &[(&str, &str)]) -> String {
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    let (signature, _) =
        inbound::sign(&SigningRule::SortedJoin, &pairs[..], key).expect("Rule A signs anything");
    signature.to_hex()
}

/// `fields` as a JSON body, plus a Rule A signature over them unless `signature` is given.
pub fn signed_json(fields: &[(&str, &str)]) -> String {
    let mut body = serde_json::Map::new();
    for (n, v) in fields {
        body.insert((*n).to_owned(), Value::String((*v).to_owned()));
    }
    if !body.contains_key("signature") {
        body.insert("signature".into(), Value::String(sign_raw(&key(), fields)));
    }
    Value::Object(body).to_string()
}

/// GETs `path` with `fields` in the query string and a Rule A signature over them (no checks:
/// for requests the dynamic signer refuses). The values are sent as they are, not encoded: plain
/// text only.
pub async fn get_raw(sb: &Sandbox, path: &str, fields: &[(&str, &str)]) -> Value {
    let mut query: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={v}")).collect();
    query.push(format!("signature={}", sign_raw(&key(), fields)));
    let resp = reqwest::Client::new()
        .get(format!("{}{path}?{}", sb.url(), query.join("&")))
        .send()
        .await
        .expect("sandbox answers");
    assert_eq!(resp.status(), 200);
    serde_json::from_str(&resp.text().await.expect("body")).expect("JSON")
}

/// POSTs `fields` as [`signed_json`].
pub async fn post_raw(sb: &Sandbox, path: &str, fields: &[(&str, &str)]) -> Value {
    post_text(sb, path, signed_json(fields)).await
}

pub async fn post_json(sb: &Sandbox, path: &str, body: &Value) -> Value {
    post_text(sb, path, body.to_string()).await
}

/// POSTs JSON text as it is (a `Value` would rewrite `120.00` as `120.0`).
pub async fn post_text(sb: &Sandbox, path: &str, body: String) -> Value {
    serde_json::from_str(&post_body(sb, path, body).await).expect("JSON")
}

/// The same; the answer's text.
pub async fn post_body(sb: &Sandbox, path: &str, body: String) -> String {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", sb.url()))
        .header("content-type", "application/json;charset=UTF-8")
        .body(body)
        .send()
        .await
        .expect("sandbox answers");
    assert_eq!(resp.status(), 200);
    resp.text().await.expect("body")
}

pub fn code(v: &Value) -> i64 {
    v["code"].as_i64().unwrap_or(-1)
}

/// `GET /sandbox/orders/{reference}`.
pub async fn order(sb: &Sandbox, reference: &str) -> Value {
    reqwest::get(format!("{}/sandbox/orders/{reference}", sb.url()))
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON")
}

/// `POST /sandbox/orders/{reference}/{action}`: status and body.
pub async fn admin(sb: &Sandbox, reference: &str, action: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}/sandbox/orders/{reference}/{action}", sb.url()))
        .send()
        .await
        .expect("admin answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("JSON"))
}

/// `GET /sandbox/orders`: every order.
pub async fn orders(sb: &Sandbox) -> Value {
    reqwest::get(format!("{}/sandbox/orders", sb.url()))
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON")
}

/// `GET /sandbox/invoices/{id}`: status and body.
pub async fn invoice(sb: &Sandbox, id: &str) -> (u16, Value) {
    let resp = reqwest::get(format!("{}/sandbox/invoices/{id}", sb.url()))
        .await
        .expect("admin answers");
    (resp.status().as_u16(), resp.json().await.expect("JSON"))
}

/// `POST /sandbox/invoices/{id}/pay[?payment_method=]`: the customer pays the invoice.
pub async fn pay_invoice(sb: &Sandbox, id: &str, payment_method: Option<&str>) {
    let query = payment_method.map_or(String::new(), |m| format!("?payment_method={m}"));
    let paid = reqwest::Client::new()
        .post(format!("{}/sandbox/invoices/{id}/pay{query}", sb.url()))
        .send()
        .await
        .expect("admin answers");
    assert_eq!(paid.status(), 200);
}

/// `POST /sandbox/reset`.
pub async fn reset(sb: &Sandbox) {
    let reset = reqwest::Client::new()
        .post(format!("{}/sandbox/reset", sb.url()))
        .send()
        .await
        .expect("admin answers");
    assert_eq!(reset.status(), 200);
}

/// Polls the order until `done` holds (bounded: fails after 10 s).
pub async fn wait_for(sb: &Sandbox, reference: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..2000 {
        let v = order(sb, reference).await;
        if done(&v) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("order {reference} never reached the expected state");
}

/// The first notification's state.
pub fn delivery_state(v: &Value) -> &str {
    v["notifications"][0]["state"].as_str().unwrap_or("")
}

/// A merchant answering notifications from a script (the last answer repeats), recording bodies.
pub struct Merchant {
    pub url: String,
    pub received: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct Script {
    answers: Arc<Vec<(u16, &'static str)>>,
    received: Arc<Mutex<Vec<String>>>,
}

async fn answer(State(s): State<Script>, body: String) -> (StatusCode, &'static str) {
    let n = {
        let mut r = s.received.lock().unwrap();
        r.push(body);
        r.len()
    };
    let (status, text) = s.answers[(n - 1).min(s.answers.len() - 1)];
    (StatusCode::from_u16(status).unwrap(), text)
}

impl Merchant {
    pub async fn start(answers: Vec<(u16, &'static str)>) -> Merchant {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Merchant::serve(listener, answers)
    }

    pub async fn start_on(addr: SocketAddr, answers: Vec<(u16, &'static str)>) -> Merchant {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        Merchant::serve(listener, answers)
    }

    fn serve(listener: tokio::net::TcpListener, answers: Vec<(u16, &'static str)>) -> Merchant {
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Script {
            answers: Arc::new(answers),
            received: received.clone(),
        };
        let app = Router::new()
            .route("/confirm", post(answer))
            .with_state(script);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Merchant {
            url: format!("http://{addr}/confirm"),
            received,
        }
    }

    pub fn bodies(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }
}
