//! The HTTP client: sends any [`LatipaySigned`] request and returns the endpoint's verified,
//! typed response.
//!
//! Retries follow one rule: a request is sent again only when doing it twice is harmless. Queries
//! (GET) are retried on connection errors, timeouts and 5xx answers, with exponential backoff and
//! jitter. Creates, refunds and cancels are retried only when they provably never left (the
//! connection was refused or the host not found); once they may have reached Latipay, which has
//! no idempotency key, a failure is [`Error::Ambiguous`] and the merchant reconciles with a query.

use std::sync::Arc;
use std::time::{Duration, Instant};

use latipay_spec::inbound::RawObject;
use latipay_spec::{HttpRequest, Method};
use tracing::Instrument;

use crate::error::{ApiError, Error, excerpt, signature_error};
use crate::response::Decode;
use crate::{Code, Credentials, LatipaySigned};

/// Where Latipay is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://api.latipay.net`
    Production,
    /// `https://api-staging.latipay.net`
    Staging,
    /// Any other base URL, such as a local sandbox.
    Custom(String),
}

impl Environment {
    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => "https://api.latipay.net",
            Environment::Staging => "https://api-staging.latipay.net",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// `production`, `staging`, or an absolute `http://` or `https://` base URL, exactly: an empty
    /// or mistyped name (`prod`, `Staging `) is an error, never production or a URL.
    pub fn parse(text: &str) -> Result<Environment, ParseEnvironmentError> {
        match text {
            "production" => Ok(Environment::Production),
            "staging" => Ok(Environment::Staging),
            url if latipay_spec::value::check_url(url).is_ok() => {
                Ok(Environment::Custom(url.to_owned()))
            }
            _ => Err(ParseEnvironmentError {
                text: text.to_owned(),
            }),
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = ParseEnvironmentError;

    /// [`Environment::parse`].
    fn from_str(text: &str) -> Result<Environment, ParseEnvironmentError> {
        Environment::parse(text)
    }
}

/// Why a text does not name an [`Environment`]: it is neither `production`, `staging` nor an
/// absolute `http://` or `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnvironmentError {
    /// The text, as given.
    pub text: String,
}

impl std::fmt::Display for ParseEnvironmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not `production`, `staging` or an absolute http:// or https:// URL",
            self.text.escape_debug()
        )
    }
}

impl std::error::Error for ParseEnvironmentError {}

/// How idempotent requests are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retrying off).
    pub max_retries: u32,
    /// The wait before the first retry; it doubles each time, with jitter.
    pub initial_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (from 0): exponential, then jittered to 50–100 % so
    /// that many clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX));
        exp.min(self.max_backoff)
            .mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

/// Per-request settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// Overrides the client's request timeout for this request.
    pub timeout: Option<Duration>,
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    environment: Environment,
    connect_timeout: Duration,
    request_timeout: Duration,
    long_poll_timeout: Duration,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// Where to send requests (production by default).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// How long to wait for a connection (10 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for a whole answer (30 s by default).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long to wait for a long-polling query (`is_block=1`, which Latipay holds for up to
    /// 180 s): 200 s by default.
    pub fn long_poll_timeout(mut self, timeout: Duration) -> Self {
        self.long_poll_timeout = timeout;
        self
    }

    /// How queries are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client, Error> {
        // The request timeout is the client's default, so a request that keeps it needs no
        // setting of its own; reqwest applies it exactly as a per-request one.
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(concat!("latipay-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot build the HTTP client: {}", e.without_url()))
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.environment.base_url().to_owned(),
                credentials: self.credentials,
                request_timeout: self.request_timeout,
                long_poll_timeout: self.long_poll_timeout,
                retry: self.retry,
            }),
        })
    }
}

/// Why [`Client::credentials_from_env`] (and so [`Client::from_env`]) could not read the
/// `LATIPAY_*` variables.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvError {
    /// Some of the credential variables are set, and these are not (or are empty).
    Missing(Vec<&'static str>),
    /// `LATIPAY_BASE_URL` is set, but does not name an environment.
    BaseUrl(ParseEnvironmentError),
}

impl std::fmt::Display for EnvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnvError::Missing(names) => write!(f, "not set: {}", names.join(", ")),
            EnvError::BaseUrl(e) => write!(f, "LATIPAY_BASE_URL: {e}"),
        }
    }
}

impl std::error::Error for EnvError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EnvError::Missing(_) => None,
            EnvError::BaseUrl(e) => Some(e),
        }
    }
}

/// The variables that hold the credentials.
const CREDENTIAL_VARS: [&str; 3] = ["LATIPAY_USER_ID", "LATIPAY_WALLET_ID", "LATIPAY_API_KEY"];

/// [`Client::credentials_from_env`], reading the variables through `var`.
fn credentials_from(
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<Option<(Credentials, Environment)>, EnvError> {
    let text = |name: &str| {
        var(name)
            .and_then(|v| v.into_string().ok())
            .filter(|v| !v.is_empty())
    };
    let (user, wallet, key) = match CREDENTIAL_VARS.map(text) {
        [None, None, None] => return Ok(None),
        [Some(user), Some(wallet), Some(key)] => (user, wallet, key),
        values => {
            let missing = CREDENTIAL_VARS
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_none());
            return Err(EnvError::Missing(missing.map(|(n, _)| *n).collect()));
        }
    };
    let environment = match var("LATIPAY_BASE_URL") {
        None => Environment::Production,
        Some(base) => Environment::parse(&base.to_string_lossy()).map_err(EnvError::BaseUrl)?,
    };
    Ok(Some((Credentials::new(user, wallet, key), environment)))
}

/// Sends Latipay requests. Cheap to clone (one reference count); share one per set of
/// credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What a [`Client`] and its clones share.
struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    request_timeout: Duration,
    long_poll_timeout: Duration,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Inner {
            http,
            base_url,
            credentials,
            request_timeout,
            long_poll_timeout,
            retry,
        } = &*self.inner;
        f.debug_struct("Client")
            .field("http", http)
            .field("base_url", base_url)
            .field("credentials", credentials)
            .field("request_timeout", request_timeout)
            .field("long_poll_timeout", long_poll_timeout)
            .field("retry", retry)
            .finish()
    }
}

/// The most bytes of an answer the client reads. Latipay's answers are a few KiB (an invoice list
/// of a thousand invoices is well under a MiB); a server sending more is not Latipay, and may not
/// fill the merchant's memory: the rest is not read, and the answer is an error.
const MAX_ANSWER_BYTES: usize = 4 << 20;

/// What one attempt came to.
enum Attempt {
    /// An answer to decode.
    Answer { status: u16, body: bytes::Bytes },
    /// An answer longer than [`MAX_ANSWER_BYTES`]: its start (what was read of it, if anything).
    TooLarge { status: u16, head: bytes::Bytes },
    /// Nothing left this machine: safe to send again.
    NotSent(String),
    /// It may have reached Latipay.
    MaybeSent { timeout: bool, cause: String },
    /// A 5xx answer.
    ServerError { status: u16, body: bytes::Bytes },
}

/// A body as text: borrowed when it is UTF-8 (always, from Latipay), with U+FFFD for invalid
/// bytes otherwise, as reqwest's `Response::text` would read it, but without its copy.
fn body_text(body: &[u8]) -> std::borrow::Cow<'_, str> {
    // `from_utf8` checks ASCII runs many bytes at a time; `from_utf8_lossy` goes byte by byte.
    match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    }
}

impl Client {
    /// A builder for a client with these credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            environment: Environment::Production,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            long_poll_timeout: Duration::from_secs(200),
            retry: RetryPolicy::default(),
        }
    }

    /// A client with default settings.
    pub fn new(credentials: Credentials, environment: Environment) -> Result<Client, Error> {
        Client::builder(credentials)
            .environment(environment)
            .build()
    }

    /// Credentials and environment from `LATIPAY_USER_ID`, `LATIPAY_WALLET_ID`, `LATIPAY_API_KEY`
    /// and `LATIPAY_BASE_URL` (see [`Environment::parse`]; production when unset, an error when
    /// set to anything else, empty included). `Ok(None)` when none of the credential variables
    /// is set; an empty one counts as not set.
    pub fn credentials_from_env() -> Result<Option<(Credentials, Environment)>, EnvError> {
        credentials_from(|name| std::env::var_os(name))
    }

    /// A client from the `LATIPAY_*` variables (see [`Client::credentials_from_env`]); an error
    /// names the variables that are missing, or says what is wrong with `LATIPAY_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        match Client::credentials_from_env() {
            Ok(Some((credentials, environment))) => Client::new(credentials, environment),
            Ok(None) => Err(Error::Config(
                EnvError::Missing(CREDENTIAL_VARS.to_vec()).to_string(),
            )),
            Err(e) => Err(Error::Config(e.to_string())),
        }
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Signs and sends `request`, and returns the endpoint's response once its code is 0 and its
    /// signature (where Latipay signs it) is verified.
    pub async fn send<R: LatipaySigned>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_with(request, SendOptions::default()).await
    }

    /// [`Client::send`] with per-request settings.
    pub async fn send_with<R: LatipaySigned>(
        &self,
        request: &R,
        options: SendOptions,
    ) -> Result<R::Response, Error> {
        let endpoint = R::ENDPOINT;
        let (http, reference) = crate::signed::describe(request, &self.inner.credentials, true)?;
        let span = tracing::info_span!(
            "latipay",
            endpoint = endpoint.name,
            merchant_reference = reference.as_deref(),
        );
        let credentials = &self.inner.credentials;
        self.execute(endpoint.name, http, reference, options, |status, body| {
            decode::<R>(status, body, credentials)
        })
        .instrument(span)
        .await
    }

    /// The merchant-hosted offline step: the QR code to show for a `transaction` answered for
    /// `host_type` "1", from its `host_url` and `nonce` (an unsigned GET there). Its `data` is
    /// verified by Rule A before it is returned.
    pub async fn gateway_data(
        &self,
        transaction: &crate::response::Transaction,
    ) -> Result<crate::response::Gatewaydata, Error> {
        let pairs = [
            ("host_url".to_owned(), transaction.host_url.clone()),
            ("nonce".to_owned(), transaction.nonce.clone()),
        ];
        let spec = latipay_spec::builtin();
        let endpoint = spec.endpoint("gatewaydata").ok_or_else(|| {
            Error::Config("the built-in spec has no `gatewaydata` endpoint".to_owned())
        })?;
        let http = self.describe_dynamic(endpoint, &pairs)?;
        let credentials = &self.inner.credentials;
        self.execute(
            "gatewaydata",
            http,
            None,
            SendOptions::default(),
            |status, body| {
                read_answer("gatewaydata", status, body, |object| {
                    use crate::response::Decode;
                    crate::response::Gatewaydata::verify(object, credentials.signing_key())
                        .map_err(|e| signature_error("`gatewaydata` answer", e))?;
                    Ok(crate::response::Gatewaydata::decode(object).map_err(|e| e.to_string()))
                })
            },
        )
        .await
    }

    /// Signs a request to any endpoint of `spec` from wire-name/value pairs (as `latipay call`
    /// does), sends it like [`Client::send`] (same retries, same timeouts), and returns the
    /// answer's members once its `code` is 0, its signatures (as its model declares them)
    /// verify and its members have the model's types. Members the model does not declare are
    /// kept.
    pub async fn send_dynamic(
        &self,
        spec: &latipay_spec::Spec,
        endpoint: &latipay_spec::Endpoint,
        pairs: &[(String, String)],
    ) -> Result<RawObject<'static>, Error> {
        let http = self.describe_dynamic(endpoint, pairs)?;
        let name = intern(&endpoint.name);
        let reference = pairs
            .iter()
            .find(|(n, _)| n == "merchant_reference")
            .map(|(_, v)| v.clone());
        let model = spec.response_model(endpoint).ok_or_else(|| {
            Error::Config(format!(
                "the spec has no model `{}`",
                endpoint.response.model
            ))
        })?;
        let key = self.inner.credentials.signing_key();
        self.execute(
            name,
            http,
            reference,
            SendOptions::default(),
            |status, body| {
                read_answer(name, status, body, |object| {
                    latipay_spec::inbound::verify_model(spec, model, object, key)
                        .map_err(|e| signature_error(&format!("`{name}` answer"), e))?;
                    Ok(latipay_spec::shape::check(spec, model, object)
                        .map(|()| object.clone().into_owned())
                        .map_err(|e| e.to_string()))
                })
            },
        )
        .await
    }

    fn describe_dynamic(
        &self,
        endpoint: &latipay_spec::Endpoint,
        pairs: &[(String, String)],
    ) -> Result<HttpRequest, Error> {
        let c = &self.inner.credentials;
        endpoint
            .sign_dynamic(c.signing_key(), c.user_id(), c.wallet_id(), pairs)
            .map(|signed| signed.request)
            .map_err(|e| Error::Config(format!("invalid `{}` request: {e}", endpoint.name)))
    }

    async fn execute<T>(
        &self,
        endpoint: &'static str,
        http: HttpRequest,
        reference: Option<String>,
        options: SendOptions,
        read: impl FnOnce(u16, &str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let idempotent = http.method == Method::Get;
        let long_poll = http.query.split('&').any(|p| p == "is_block=1");
        let timeout = options.timeout.unwrap_or(if long_poll {
            self.inner.long_poll_timeout
        } else {
            self.inner.request_timeout
        });
        let ambiguous = |cause: String| Error::Ambiguous {
            endpoint,
            merchant_reference: reference.clone(),
            cause,
        };
        // Built once: every attempt sends the same bytes to the same URL.
        let url = http.url(&self.inner.base_url);
        let body = http.body.map(bytes::Bytes::from);
        let mut attempt = 0;
        let mut read = Some(read);
        loop {
            let started = Instant::now();
            let outcome = self.attempt(http.method, &url, body.clone(), timeout).await;
            let latency_ms = started.elapsed().as_millis() as u64;
            let retries_left = attempt < self.inner.retry.max_retries;
            let retry = match outcome {
                Attempt::Answer { status, body } => {
                    tracing::debug!(attempt, status, latency_ms, "answer");
                    let Some(read) = read.take() else {
                        unreachable!("an answer ends the loop");
                    };
                    return match read(status, &body_text(&body)) {
                        // An unreadable answer to a create may still mean it was created.
                        Err(Error::Decode { reason, .. }) if !idempotent => Err(ambiguous(
                            format!("HTTP {status}, and the answer could not be read: {reason}"),
                        )),
                        other => other,
                    };
                }
                Attempt::TooLarge { status, head } => {
                    tracing::debug!(attempt, status, latency_ms, "answer too large");
                    let reason = format!(
                        "the answer is larger than the client's limit of {MAX_ANSWER_BYTES} bytes"
                    );
                    return Err(if idempotent {
                        Error::Decode {
                            endpoint,
                            status,
                            reason,
                            body_excerpt: excerpt(&body_text(&head)),
                        }
                    } else {
                        // It was answered, so it reached Latipay (or what stands for it).
                        ambiguous(format!("HTTP {status}, and {reason}"))
                    });
                }
                Attempt::NotSent(cause) => {
                    tracing::debug!(attempt, latency_ms, cause = cause.as_str(), "not sent");
                    if !retries_left {
                        return Err(Error::Transport { endpoint, cause });
                    }
                    true
                }
                Attempt::MaybeSent { timeout, cause } => {
                    tracing::debug!(attempt, latency_ms, cause = cause.as_str(), "no answer");
                    if !idempotent {
                        return Err(ambiguous(cause));
                    }
                    if !retries_left {
                        return Err(if timeout {
                            Error::Timeout { endpoint }
                        } else {
                            Error::Transport { endpoint, cause }
                        });
                    }
                    true
                }
                Attempt::ServerError { status, body } => {
                    tracing::debug!(attempt, status, latency_ms, "server error");
                    if !idempotent {
                        return Err(ambiguous(format!("HTTP {status}")));
                    }
                    if !retries_left {
                        return Err(Error::Decode {
                            endpoint,
                            status,
                            reason: "server error".to_owned(),
                            body_excerpt: excerpt(&body_text(&body)),
                        });
                    }
                    true
                }
            };
            if retry {
                tokio::time::sleep(self.inner.retry.backoff(attempt)).await;
                attempt += 1;
            }
        }
    }

    async fn attempt(
        &self,
        method: Method,
        url: &str,
        body: Option<bytes::Bytes>,
        timeout: Duration,
    ) -> Attempt {
        let method = match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .inner
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if timeout != self.inner.request_timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(body) = body {
            builder = builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/json;charset=UTF-8",
                )
                .body(body);
        }
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => return classify(e),
        };
        let status = response.status().as_u16();
        match read_bounded(response).await {
            Ok(Ok(body)) if status >= 500 => Attempt::ServerError { status, body },
            Ok(Ok(body)) => Attempt::Answer { status, body },
            Ok(Err(head)) => Attempt::TooLarge { status, head },
            Err(e) => Attempt::MaybeSent {
                timeout: e.is_timeout(),
                cause: format!("the answer was cut off: {}", e.without_url()),
            },
        }
    }
}

/// Reads an answer's body, at most [`MAX_ANSWER_BYTES`] of it (within the request's timeout,
/// which covers the body too): `Err` with its start when there is more, announced or sent. A
/// body that comes in one piece is kept as it came, without a copy.
async fn read_bounded(
    mut response: reqwest::Response,
) -> Result<Result<bytes::Bytes, bytes::Bytes>, reqwest::Error> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Ok(Err(bytes::Bytes::new()));
    }
    let mut first: Option<bytes::Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let read = first.as_ref().map_or(joined.len(), bytes::Bytes::len);
        if read + chunk.len() > MAX_ANSWER_BYTES {
            // Only the start is kept, for the error's excerpt.
            let mut head = first.unwrap_or_else(|| bytes::Bytes::from(joined));
            if head.is_empty() {
                head = chunk;
            }
            head.truncate(1024);
            return Ok(Err(head));
        }
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            Some(previous) => {
                joined.extend_from_slice(&previous);
                joined.extend_from_slice(&chunk);
            }
            None => joined.extend_from_slice(&chunk),
        }
    }
    Ok(Ok(first.unwrap_or_else(|| bytes::Bytes::from(joined))))
}

/// `name` as a `&'static str` for [`Error`]'s endpoint: each distinct name of a dynamic
/// endpoint is kept once for the life of the process (a spec has a handful).
fn intern(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|p| p.into_inner());
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// Sorts a reqwest failure by whether the request may have left. Its URL is dropped: for a GET it
/// carries the signature.
fn classify(e: reqwest::Error) -> Attempt {
    let e = e.without_url();
    let cause = match std::error::Error::source(&e) {
        Some(source) => format!("{e}: {source}"),
        None => e.to_string(),
    };
    if e.is_connect() && !e.is_timeout() {
        Attempt::NotSent(cause)
    } else {
        Attempt::MaybeSent {
            timeout: e.is_timeout(),
            cause,
        }
    }
}

/// Reads an answer: Latipay's failure codes, then the signatures its model declares, then the
/// typed body.
pub(crate) fn decode<R: LatipaySigned>(
    status: u16,
    body: &str,
    credentials: &Credentials,
) -> Result<R::Response, Error> {
    read_answer(R::ENDPOINT.name, status, body, |object| {
        R::Response::verify(object, credentials.signing_key())
            .map_err(|e| signature_error(&format!("`{}` answer", R::ENDPOINT.name), e))?;
        Ok(R::Response::decode(object).map_err(|e| e.to_string()))
    })
}

/// An answer's JSON object once its `code` is 0 and its HTTP status a success, handed to `read`
/// (whose `Err(String)` is a decoding error, and whose `Err(Error)` is passed on).
pub(crate) fn read_answer<T>(
    endpoint: &'static str,
    status: u16,
    body: &str,
    read: impl FnOnce(&RawObject<'_>) -> Result<Result<T, String>, Error>,
) -> Result<T, Error> {
    let decode_error = |reason: String| Error::Decode {
        endpoint,
        status,
        reason,
        body_excerpt: excerpt(body),
    };
    let object = RawObject::parse(body).map_err(|e| decode_error(e.0))?;
    let code = match object.text("code").map(|c| c.parse::<i64>()) {
        Some(Ok(code)) => code,
        _ => return Err(decode_error("no numeric `code`".to_owned())),
    };
    if code != 0 {
        return Err(Error::Api(ApiError {
            endpoint,
            code: Code::from_i64(code),
            message: object.text("message").unwrap_or_default().into_owned(),
            message_cn: object.text("messageCN").unwrap_or_default().into_owned(),
            status,
            body_excerpt: excerpt(body),
        }));
    }
    if !(200..300).contains(&status) {
        return Err(decode_error("not a success status".to_owned()));
    }
    read(&object)?.map_err(decode_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_are_named_exactly_or_given_as_absolute_urls() {
        assert_eq!(
            Environment::parse("production"),
            Ok(Environment::Production)
        );
        assert_eq!(Environment::parse("staging"), Ok(Environment::Staging));
        for url in ["http://127.0.0.1:8080", "https://sandbox.example/latipay/"] {
            assert_eq!(
                Environment::parse(url),
                Ok(Environment::Custom(url.to_owned()))
            );
            assert_eq!(url.parse(), Ok(Environment::Custom(url.to_owned())));
        }
        for text in [
            "",
            " ",
            "prod",
            "Production",
            "Staging ",
            " staging",
            "api.latipay.net",
            "ftp://example.com",
            "http://",
            "https:///path",
            "https://exa mple.com",
        ] {
            let error = ParseEnvironmentError {
                text: text.to_owned(),
            };
            assert_eq!(Environment::parse(text), Err(error.clone()), "{text:?}");
            assert_eq!(text.parse::<Environment>(), Err(error), "{text:?}");
        }
        assert_eq!(
            Environment::parse("Staging ").unwrap_err().to_string(),
            "`Staging ` is not `production`, `staging` or an absolute http:// or https:// URL"
        );
    }

    /// `credentials_from` with these variables set.
    fn from(vars: &[(&str, &str)]) -> Result<Option<(Credentials, Environment)>, EnvError> {
        credentials_from(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).into())
        })
    }

    const ALL: [(&str, &str); 3] = [
        ("LATIPAY_USER_ID", "U1"),
        ("LATIPAY_WALLET_ID", "W1"),
        ("LATIPAY_API_KEY", "k"),
    ];

    #[test]
    fn credentials_from_the_environment() {
        assert!(matches!(from(&[]), Ok(None)));
        let environment = |vars: &[(&str, &str)]| {
            from(vars).map(|found| {
                let (credentials, environment) = found.unwrap();
                assert_eq!(
                    (credentials.user_id(), credentials.wallet_id()),
                    ("U1", "W1")
                );
                environment
            })
        };
        assert_eq!(environment(&ALL), Ok(Environment::Production));
        let with_base = |base: &str| {
            let mut vars = ALL.to_vec();
            vars.push(("LATIPAY_BASE_URL", base));
            environment(&vars)
        };
        assert_eq!(with_base("staging"), Ok(Environment::Staging));
        assert_eq!(
            with_base("http://127.0.0.1:9"),
            Ok(Environment::Custom("http://127.0.0.1:9".to_owned()))
        );
        // Set is set: an empty or mistyped name is an error, not production.
        for base in ["", "prod", "Staging "] {
            assert_eq!(
                with_base(base),
                Err(EnvError::BaseUrl(ParseEnvironmentError {
                    text: base.to_owned()
                })),
                "{base:?}"
            );
        }
        // Some credential variables but not all (an empty one is not set): the rest are named.
        assert_eq!(
            from(&[("LATIPAY_WALLET_ID", "W1"), ("LATIPAY_API_KEY", "")]).map(|_| ()),
            Err(EnvError::Missing(vec![
                "LATIPAY_USER_ID",
                "LATIPAY_API_KEY"
            ]))
        );
        assert_eq!(
            EnvError::Missing(vec!["LATIPAY_USER_ID", "LATIPAY_API_KEY"]).to_string(),
            "not set: LATIPAY_USER_ID, LATIPAY_API_KEY"
        );
        assert_eq!(
            with_base("prod").unwrap_err().to_string(),
            "LATIPAY_BASE_URL: `prod` is not `production`, `staging` or an absolute http:// or \
             https:// URL"
        );
    }
}
