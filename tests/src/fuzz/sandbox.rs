//! Target `sandbox_http`: the sandbox's HTTP surface in process (its router, no socket), with
//! any method, path, query, headers and body, for every Latipay endpoint and every route of its
//! own; after each request, its store must still hold together, and at the end the admin routes
//! must list and find exactly the orders it holds.
//!
//! An input is up to [`MAX_REQUESTS`] requests, separated by lines that are exactly `---`. A
//! request is either
//!
//! - raw: a first line `METHOD TARGET` (the path and query), header lines `Name: value`, an empty
//!   line, then the body, all as bytes; or
//! - signed: a first line `sign ENDPOINT` (or `sign ENDPOINT as USER_ID`), then `name=value`
//!   lines, which the dynamic signer signs for that user as a merchant's client would (the
//!   credentials' fields filled in), so the fuzzer reaches what lies past the signature check.
//!
//! `{nonce}`, `{order_id}`, `{invoice_id}` and `{reference}` anywhere in a request stand for the
//! last of each that an answer carried, so a later request can pay, refund or look up what an
//! earlier one created.
//!
//! The oracle: no panic; every answer a status below 500 (500 is the sandbox's own failure) with
//! a body when it is an error; the store's invariants (`InProcess::check`) after each request;
//! then `GET /sandbox/orders` lists as many orders as the store holds, and each is found by
//! `GET /sandbox/orders/{reference}?user_id=`.

use std::cell::RefCell;
use std::time::Duration;

use latipay_sandbox::__private::InProcess;
use latipay_sandbox::{Config, User};
use latipay_spec::SigningKey;

/// Requests read from one input; the rest is ignored.
pub const MAX_REQUESTS: usize = 12;

/// The second merchant the sandbox knows, besides the default one.
const OTHER_USER: &str = "U000000002";
const OTHER_KEY: &str = "other-key";

thread_local! {
    /// One runtime per thread for every input: notifications are delivered on it.
    static RUNTIME: RefCell<Option<tokio::runtime::Runtime>> = const { RefCell::new(None) };
}

/// The sandbox every input starts from: the default users and a second one, notifications
/// tried once (to a port where nothing listens, see `InProcess`), no long poll.
fn config() -> Config {
    let mut config = Config::ephemeral();
    config
        .users
        .push(User::new(OTHER_USER, OTHER_KEY, "W00000009").with_wallet("W00000010", "AUD"));
    config.notify_interval = Duration::from_secs(3600);
    config.max_attempts = Some(1);
    config.notify_timeout = Duration::from_millis(200);
    config.long_poll = Duration::ZERO;
    config.body_limit = 64 * 1024;
    config
}

/// One request, as the input describes it.
struct Request {
    method: Vec<u8>,
    target: String,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
}

/// The last value of each placeholder seen in an answer.
struct Seen {
    values: [(&'static str, Option<String>); 4],
}

impl Seen {
    fn new() -> Seen {
        Seen {
            values: [
                ("nonce", None),
                ("order_id", None),
                ("invoice_id", None),
                ("merchant_reference", None),
            ],
        }
    }

    /// `{nonce}` and the like replaced by what was seen (an empty text before anything was).
    fn fill(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for (name, value) in &self.values {
            if !out.contains(&b'{') {
                break;
            }
            let placeholder = match *name {
                "merchant_reference" => "{reference}".to_owned(),
                other => format!("{{{other}}}"),
            };
            out = replace(
                &out,
                placeholder.as_bytes(),
                value.as_deref().unwrap_or("").as_bytes(),
            );
        }
        out
    }

    /// Notes the placeholders' values an answer carries, at any depth up to 4.
    fn note(&mut self, answer: &[u8]) {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(answer) else {
            return;
        };
        self.walk(&json, 0);
    }

    fn walk(&mut self, value: &serde_json::Value, depth: usize) {
        if depth > 4 {
            return;
        }
        match value {
            serde_json::Value::Object(members) => {
                for (name, v) in members {
                    if let (Some(slot), Some(text)) =
                        (self.values.iter_mut().find(|(n, _)| n == name), v.as_str())
                    {
                        slot.1 = Some(text.to_owned());
                    }
                    self.walk(v, depth + 1);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items.iter().take(16) {
                    self.walk(item, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The requests of an input, at most [`MAX_REQUESTS`].
fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < MAX_REQUESTS {
        match rest.windows(5).position(|w| w == b"\n---\n") {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + 5..];
            }
            None => {
                parts.push(rest);
                break;
            }
        }
    }
    parts
}

/// The first line and the rest.
fn first_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&b| b == b'\n') {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &[]),
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A raw request: `METHOD TARGET`, headers, an empty line, the body.
fn raw(bytes: &[u8]) -> Request {
    let (line, mut rest) = first_line(bytes);
    let line = trim_cr(line);
    let (method, target) = match line.iter().position(|&b| b == b' ') {
        Some(at) => (&line[..at], &line[at + 1..]),
        None => (line, &b"/"[..]),
    };
    let mut headers = Vec::new();
    loop {
        if rest.is_empty() {
            break;
        }
        let (line, after) = first_line(rest);
        rest = after;
        let line = trim_cr(line);
        if line.is_empty() {
            break;
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(at) => (&line[..at], line[at + 1..].trim_ascii_start()),
            None => (line, &b""[..]),
        };
        headers.push((name.to_vec(), value.to_vec()));
    }
    Request {
        method: method.to_vec(),
        target: String::from_utf8_lossy(target).into_owned(),
        headers,
        body: rest.to_vec(),
    }
}

/// A signed request: `sign ENDPOINT [as USER_ID]`, then `name=value` lines, signed by the
/// dynamic signer with that user's key and first wallet. `None` when the spec has no such
/// endpoint or user, or the signer refuses the values (a client would not send them).
fn signed(config: &Config, bytes: &[u8]) -> Option<Request> {
    let (line, rest) = first_line(bytes);
    let line = String::from_utf8_lossy(trim_cr(line));
    let mut words = line.split(' ').skip(1);
    let endpoint = config.spec.endpoint(words.next()?)?;
    let user = match (words.next(), words.next()) {
        (Some("as"), Some(user_id)) => config.users.iter().find(|u| u.user_id == user_id)?,
        _ => config.users.first()?,
    };
    let pairs: Vec<(String, String)> = rest
        .split(|&b| b == b'\n')
        .map(trim_cr)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = String::from_utf8_lossy(l);
            match l.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => (l.into_owned(), String::new()),
            }
        })
        .collect();
    let key = SigningKey::new(user.api_key.clone());
    let wallet = user.wallets.first()?;
    let signed = endpoint
        .sign_dynamic(&key, &user.user_id, &wallet.wallet_id, &pairs)
        .ok()?;
    let http = signed.request;
    // An endpoint whose path starts with a URL (gatewaydata) goes to that URL's path here.
    let mut target = http.path_and_query();
    if !target.starts_with('/') {
        let path_at = target
            .match_indices('/')
            .nth(2)
            .map_or(target.len(), |(at, _)| at);
        target = target[path_at..].to_owned();
    }
    let mut headers = Vec::new();
    if http.body.is_some() {
        headers.push((
            b"content-type".to_vec(),
            b"application/json;charset=UTF-8".to_vec(),
        ));
    }
    Some(Request {
        method: http.method.as_str().as_bytes().to_vec(),
        target,
        headers,
        body: http.body.unwrap_or_default().into_bytes(),
    })
}

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Target `sandbox_http`: see the module's documentation.
pub fn sandbox_http(data: &[u8]) {
    RUNTIME.with(|cell| {
        let mut cell = cell.borrow_mut();
        let runtime = cell.get_or_insert_with(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a Tokio runtime")
        });
        runtime.block_on(run(data));
    });
}

async fn run(data: &[u8]) {
    let config = config();
    let sandbox = InProcess::new(config.clone()).expect("the in-process sandbox starts");
    let mut seen = Seen::new();
    for part in split(data) {
        let part = seen.fill(part);
        let request = if part.starts_with(b"sign ") {
            match signed(&config, &part) {
                Some(request) => request,
                None => continue,
            }
        } else {
            raw(&part)
        };
        let Ok((status, body)) = sandbox
            .request(
                &request.method,
                &request.target,
                &request.headers,
                request.body,
            )
            .await
        else {
            // Not an HTTP request (a method or header that is not a token, a bad target).
            continue;
        };
        let shown = || {
            format!(
                "{} {} -> {status} {}",
                String::from_utf8_lossy(&request.method),
                request.target,
                String::from_utf8_lossy(&body[..body.len().min(600)])
            )
        };
        assert!(
            (100..500).contains(&status),
            "the sandbox failed: {}",
            shown()
        );
        // An answer to HEAD has no body (RFC 9110, 9.3.2), an error's included; any other error
        // says what went wrong.
        if request.method == b"HEAD" {
            assert!(body.is_empty(), "a body in an answer to HEAD: {}", shown());
        } else {
            assert!(
                status < 400 || !body.is_empty(),
                "an error without a word: {}",
                shown()
            );
        }
        if let Err(broken) = sandbox.check() {
            panic!(
                "the store no longer holds together: {broken}\nafter {}",
                shown()
            );
        }
        seen.note(&body);
    }
    admin_agrees(&sandbox).await;
}

/// The admin routes list as many orders as the store holds, and find each by its reference.
async fn admin_agrees(sandbox: &InProcess) {
    let held = sandbox.references();
    let (status, body) = sandbox
        .request(b"GET", "/sandbox/orders", &[], Vec::new())
        .await
        .expect("a plain GET");
    assert_eq!(status, 200);
    let listed: serde_json::Value = serde_json::from_slice(&body).expect("the order list is JSON");
    let listed = listed["orders"].as_array().expect("`orders` is a list");
    assert_eq!(listed.len(), held.len(), "orders listed and held differ");
    for ((user_id, reference), view) in held.iter().zip(listed) {
        assert_eq!(
            view["merchant_reference"].as_str(),
            Some(reference.as_str())
        );
        assert_eq!(view["user_id"].as_str(), Some(user_id.as_str()));
        let amount = view["amount"].as_str().unwrap_or_default();
        assert!(
            latipay_spec::Amount::parse(amount).is_ok(),
            "the amount `{amount}` of `{reference}` is not money"
        );
        let path = format!(
            "/sandbox/orders/{}?user_id={}",
            segment(reference),
            segment(user_id)
        );
        let (status, body) = sandbox
            .request(b"GET", &path, &[], Vec::new())
            .await
            .expect("a plain GET");
        assert_eq!(
            status,
            200,
            "`{reference}` of {user_id} is listed but not found: {}",
            String::from_utf8_lossy(&body)
        );
        let found: serde_json::Value = serde_json::from_slice(&body).expect("an order is JSON");
        assert_eq!(
            found["merchant_reference"].as_str(),
            Some(reference.as_str())
        );
        let refunded = found["refunded"]
            .as_str()
            .and_then(|t| latipay_spec::Amount::parse(t).ok());
        let amount = latipay_spec::Amount::parse(amount).ok();
        assert!(
            refunded.is_some() && refunded <= amount,
            "`{reference}` refunded {refunded:?} of {amount:?}"
        );
    }
}
