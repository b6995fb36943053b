//! The hosted payment page in a real browser: Debian's headless Chromium, driven through
//! WebDriver by fantoccini, against the sandbox in process and a small merchant server (both on
//! 127.0.0.1) whose return page verifies the redirect with [`Redirect::verify`].
//!
//! It clicks Pay and arrives at the merchant's return_url with a redirect that verifies; pays a
//! second time from a stale tab and goes Back, and sees the page say the order is paid with no
//! Pay button (`Cache-Control: no-store` at work); cancels to the merchant's backPage_url; fails
//! a payment; and checks on a 375 px wide phone screen (Chrome's mobile emulation, which honours
//! the viewport meta tag) that no page scrolls sideways.
//!
//! chromedriver is started here on a free port and killed at the end, also when the test fails
//! (a guard that kills its process group on drop). Without Chromium and chromedriver the test
//! says on stderr how to install them and passes, unless `LATIPAY_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), which makes a missing browser a failure.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener, TcpStream as StdStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use axum::routing::{get, post};
use fantoccini::wd::Capabilities;
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{Client, Credentials, Environment, Redirect};
use latipay_sandbox::{Config, Sandbox};
use latipay_tests::HostedOrder;
use serde_json::json;

/// The phone's width, in CSS pixels.
const PHONE_WIDTH: u64 = 375;

/// How long the whole browser run may take (it takes a few seconds).
const WHOLE_RUN: Duration = Duration::from_secs(120);

/// How long one page may take to show what is expected.
const PAGE_WAIT: Duration = Duration::from_secs(15);

/// How to get the browser, in the words of the message that says it is missing.
const INSTALL: &str = "apt-get install chromium chromium-driver";

/// A program on `PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// chromedriver and Chromium, or `None` (with the reason on stderr) when the test should skip;
/// a panic when a browser is required.
fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    let driver = on_path(&["chromedriver"]);
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    if let (Some(driver), Some(chromium)) = (&driver, &chromium) {
        return Some((driver.clone(), chromium.clone()));
    }
    let missing: Vec<&str> = [
        ("chromedriver", driver.is_none()),
        ("chromium", chromium.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, gone)| gone.then_some(name))
    .collect();
    let message = format!(
        "the hosted payment page's browser test needs {} on PATH: install them with `{INSTALL}` (Debian, as root)",
        missing.join(" and ")
    );
    if std::env::var("LATIPAY_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("{message}; LATIPAY_REQUIRE_BROWSER=1 makes this a failure");
    }
    // Straight to the process's stderr: libtest captures `eprintln!` of a passing test, and
    // this must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED the browser test: {message}. Set LATIPAY_REQUIRE_BROWSER=1 to make this a failure."
    );
    None
}

/// A running chromedriver, killed with everything it started when dropped.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    /// Starts `program` on a free port of 127.0.0.1 and waits until it accepts connections.
    fn start(program: &Path) -> Chromedriver {
        let port = StdListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .arg("--log-level=SEVERE")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            // Its own process group, so the guard can end Chromium with it.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + Duration::from_secs(15);
        while StdStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 15 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The process group the child leads (see `start`): chromedriver and the Chromium it
        // started, should a failed test not have ended its session.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the merchant's return page saw: each redirect, verified or why not.
type Seen = Arc<Mutex<Vec<Result<Redirect, String>>>>;

/// The merchant: `/return` verifies the redirect and says what it got, `/back` is the page a
/// cancelled customer comes back to, `/notify` acknowledges notifications.
async fn merchant(credentials: Credentials) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = (credentials, seen.clone());
    let router = Router::new()
        .route(
            "/return",
            get(
                |State((credentials, seen)): State<(Credentials, Seen)>,
                 RawQuery(query): RawQuery| async move {
                    let verified = Redirect::verify(query.as_deref().unwrap_or(""), &credentials)
                        .map_err(|e| e.to_string());
                    let text = match &verified {
                        Ok(r) => format!(
                            "<p id=\"merchant-return\">verified {} {} {} {}</p>",
                            r.status, r.merchant_reference, r.amount, r.currency
                        ),
                        Err(_) => "<p id=\"merchant-return\">refused</p>".to_owned(),
                    };
                    seen.lock().unwrap().push(verified);
                    Html(text)
                },
            ),
        )
        .route(
            "/back",
            get(|| async { Html("<p id=\"merchant-back\">back at the shop</p>") }),
        )
        .route("/notify", post(|| async { "sent" }))
        .with_state(state);
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, seen)
}

/// A Chromium session: headless, as root (`--no-sandbox`), with a small /dev/shm, emulating a
/// phone 375 px wide.
async fn session(driver: &Chromedriver, chromium: &Path) -> Browser {
    let mut capabilities = Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-extensions",
                "--no-first-run",
                format!("--window-size={PHONE_WIDTH},812"),
            ],
            "mobileEmulation": {
                "deviceMetrics": { "width": PHONE_WIDTH, "height": 812, "pixelRatio": 2.0, "touch": true }
            },
        }),
    );
    capabilities.insert(
        "timeouts".into(),
        json!({ "pageLoad": 20_000, "script": 10_000, "implicit": 0 }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("no WebDriver session from chromedriver: {e}"))
}

/// Creates a hosted transaction; the payment page's URL.
async fn create(client: &Client, merchant: &str, reference: &str, back_page: bool) -> String {
    let mut order = HostedOrder::builder()
        .amount("9.00")
        .payment_method("wechat")
        .return_url(format!("{merchant}/return"))
        .callback_url(format!("{merchant}/notify"))
        .merchant_reference(reference)
        .ip("122.122.122.1")
        // A long word with no place to break: the page must still fit the phone.
        .product_name("Pinot Noir, Central Otago, 2019 — Gewürztraminer-Riesling-Chardonnay-blend-no-spaces-at-all");
    if back_page {
        order = order.back_page_url(format!("{merchant}/back"));
    }
    client.send(&order.build()).await.unwrap().payment_url()
}

/// Waits for `css` on the current page.
async fn wait_for(browser: &Browser, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("`{css}` did not appear within {PAGE_WAIT:?}: {e}"))
}

async fn text_of(browser: &Browser, css: &str) -> String {
    wait_for(browser, css).await.text().await.unwrap()
}

async fn click(browser: &Browser, css: &str) {
    wait_for(browser, css).await.click().await.unwrap();
}

async fn count(browser: &Browser, css: &str) -> usize {
    browser.find_all(Locator::Css(css)).await.unwrap().len()
}

async fn current_url(browser: &Browser) -> String {
    browser.current_url().await.unwrap().to_string()
}

/// The page is laid out for the phone (the viewport meta tag took effect) and does not scroll
/// sideways.
async fn assert_fits_the_phone(browser: &Browser, what: &str) {
    let widths = browser
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth, document.body.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    let widths: Vec<u64> = serde_json::from_value(widths).unwrap();
    assert_eq!(
        widths[0], PHONE_WIDTH,
        "{what}: the layout viewport is the phone's"
    );
    assert!(
        widths[1] <= PHONE_WIDTH && widths[2] <= PHONE_WIDTH,
        "{what}: the page is wider than the phone ({widths:?}): it scrolls sideways"
    );
}

/// The verified redirect the merchant saw last.
fn last_redirect(seen: &Seen) -> Redirect {
    let seen = seen.lock().unwrap();
    match seen.last() {
        Some(Ok(redirect)) => redirect.clone(),
        Some(Err(e)) => panic!("the merchant refused the redirect: {e}"),
        None => panic!("the merchant saw no redirect"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hosted_page_in_a_real_browser() {
    let Some((driver_program, chromium)) = browser_programs() else {
        return;
    };
    let started = Instant::now();
    let driver = Chromedriver::start(&driver_program);
    let run = async {
        let mut config = Config::ephemeral();
        config.notify_interval = Duration::from_millis(50);
        let sandbox = Sandbox::start(config).await.unwrap();
        let credentials = Credentials::new(
            latipay_sandbox::DEFAULT_USER_ID,
            latipay_sandbox::DEFAULT_WALLET_ID,
            latipay_sandbox::DEFAULT_API_KEY,
        );
        let (merchant, seen) = merchant(credentials.clone()).await;
        let client =
            Client::new(credentials, Environment::Custom(sandbox.url().to_owned())).unwrap();
        let browser = session(&driver, &chromium).await;
        let outcome = scenarios(&browser, &client, &merchant, &seen).await;
        // Closed whether or not a scenario failed; the guard ends chromedriver either way.
        let _ = browser.close().await;
        sandbox.shutdown().await.unwrap();
        outcome
    };
    match tokio::time::timeout(WHOLE_RUN, run).await {
        Ok(()) => {}
        Err(_) => panic!("the browser test did not finish within {WHOLE_RUN:?}"),
    }
    drop(driver);
    eprintln!("browser test: {:.1} s", started.elapsed().as_secs_f64());
}

async fn scenarios(browser: &Browser, client: &Client, merchant: &str, seen: &Seen) {
    pay_then_back(browser, client, merchant, seen).await;
    pay_twice_from_a_stale_tab(browser, client, merchant, seen).await;
    cancel_to_back_page(browser, client, merchant).await;
    fail(browser, client, merchant, seen).await;
}

/// Pay arrives at the return_url with a redirect that verifies; Back shows the page again,
/// fetched anew: paid, with no Pay button.
async fn pay_then_back(browser: &Browser, client: &Client, merchant: &str, seen: &Seen) {
    let page = create(client, merchant, "browser-pay", false).await;
    browser.goto(&page).await.unwrap();
    assert_eq!(text_of(browser, "button[value=pay]").await, "Pay 9.00 NZD");
    assert!(text_of(browser, "#reference").await.contains("browser-pay"));
    assert_eq!(text_of(browser, "#method").await, "WeChat Pay");
    // The QR code is drawn: a data: image the page's policy allows, decoded by the browser.
    let qr_width = browser
        .execute(
            "return document.querySelector('figure img').naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        qr_width.as_u64().unwrap_or(0) > 0,
        "the QR code is not drawn"
    );
    let lang = browser
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    assert_eq!(lang, "en");
    assert_fits_the_phone(browser, "the payment page").await;

    click(browser, "button[value=pay]").await;
    let arrived = text_of(browser, "#merchant-return").await;
    assert_eq!(arrived, "verified paid browser-pay 9.00 NZD");
    assert!(
        current_url(browser).await.starts_with(&format!(
            "{merchant}/return?merchant_reference=browser-pay&"
        )),
        "{}",
        current_url(browser).await
    );
    let redirect = last_redirect(seen);
    assert_eq!(redirect.status, PaymentStatus::Paid);
    assert_eq!(redirect.merchant_reference, "browser-pay");
    assert_eq!(
        (redirect.amount.as_str(), redirect.currency.as_str()),
        ("9.00", "NZD")
    );

    // Back: the page as the sandbox has it now, never the live Pay button of the page as it was
    // (`no-store`, and the page's reload when Chrome restores it from its back-forward cache).
    browser.back().await.unwrap();
    let status = browser
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(Locator::Css("#status"))
        .await
        .unwrap_or_else(|e| {
            panic!("Back did not show the paid page (a cached Pay button instead?): {e}")
        });
    assert_eq!(status.text().await.unwrap(), "Already paid");
    assert_eq!(current_url(browser).await, page);
    assert_eq!(count(browser, "button").await, 0);
    assert_fits_the_phone(browser, "the paid page").await;

    // A second visit says the same, with a link back to the merchant's return page.
    browser.goto(&page).await.unwrap();
    assert_eq!(text_of(browser, "#status").await, "Already paid");
    assert_eq!(count(browser, "button, form").await, 0);
    let source = browser.source().await.unwrap();
    assert!(!source.contains("\"error\""), "{source}");
    click(browser, "#back").await;
    assert_eq!(
        text_of(browser, "#merchant-return").await,
        "verified paid browser-pay 9.00 NZD"
    );
}

/// Paying a second time, from a tab opened before the first payment: the page says the order
/// is already paid (not JSON), and the order was paid once.
async fn pay_twice_from_a_stale_tab(
    browser: &Browser,
    client: &Client,
    merchant: &str,
    seen: &Seen,
) {
    let page = create(client, merchant, "browser-twice", false).await;
    browser.goto(&page).await.unwrap();
    wait_for(browser, "button[value=pay]").await;
    let stale = browser.window().await.unwrap();

    let fresh = browser.new_window(true).await.unwrap().handle;
    browser.switch_to_window(fresh).await.unwrap();
    browser.goto(&page).await.unwrap();
    click(browser, "button[value=pay]").await;
    assert_eq!(
        text_of(browser, "#merchant-return").await,
        "verified paid browser-twice 9.00 NZD"
    );
    let redirects = seen.lock().unwrap().len();
    browser.close_window().await.unwrap();

    browser.switch_to_window(stale).await.unwrap();
    click(browser, "button[value=pay]").await;
    assert_eq!(text_of(browser, "#status").await, "Already paid");
    assert_eq!(count(browser, "button").await, 0);
    assert_eq!(seen.lock().unwrap().len(), redirects, "no second redirect");
}

/// Cancel goes to the merchant's backPage_url; the page then says the order is cancelled.
async fn cancel_to_back_page(browser: &Browser, client: &Client, merchant: &str) {
    let page = create(client, merchant, "browser-cancel", true).await;
    browser.goto(&page).await.unwrap();
    click(browser, "button[value=cancel]").await;
    assert_eq!(text_of(browser, "#merchant-back").await, "back at the shop");
    assert_eq!(current_url(browser).await, format!("{merchant}/back"));

    browser.back().await.unwrap();
    assert_eq!(text_of(browser, "#status").await, "Payment cancelled");
    assert_eq!(count(browser, "button").await, 0);
    assert_fits_the_phone(browser, "the cancelled page").await;
    click(browser, "#back").await;
    assert_eq!(text_of(browser, "#merchant-back").await, "back at the shop");
}

/// Fail shows the failure page, whose link goes to the return_url with `cancel_or_fail`.
async fn fail(browser: &Browser, client: &Client, merchant: &str, seen: &Seen) {
    let page = create(client, merchant, "browser-fail", false).await;
    browser.goto(&page).await.unwrap();
    click(browser, "button[value=fail]").await;
    assert_eq!(text_of(browser, "#status").await, "Payment failed");
    assert_eq!(current_url(browser).await, page);
    assert_eq!(count(browser, "button").await, 0);
    assert_fits_the_phone(browser, "the failure page").await;
    click(browser, "#back").await;
    assert_eq!(
        text_of(browser, "#merchant-return").await,
        "verified cancel_or_fail browser-fail 9.00 NZD"
    );
    assert_eq!(last_redirect(seen).status, PaymentStatus::CancelOrFail);
}
