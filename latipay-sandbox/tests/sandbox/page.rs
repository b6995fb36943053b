//! The hosted payment page over HTTP, without a browser (the browser test is latipay-tests'
//! `browser.rs`): its HTML escapes what the merchant sent, is never cached, says how a finished
//! order ended (never JSON), and each button sends the browser where Latipay would.

use latipay_sandbox::Sandbox;
use latipay_spec::inbound::FormPairs;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION};
use reqwest::{Response, StatusCode};

use super::common::*;

const HOSTILE_PRODUCT: &str = "<script>alert(\"product\")</script> & 'Pinot'";
const HOSTILE_REFERENCE: &str = "ref-<img src=x onerror=alert(1)>\"&'";

/// A client that shows redirects instead of following them.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Creates a hosted transaction with `fields` changed or added; the page's URL.
async fn page_url(sb: &Sandbox, reference: &str, changes: &[(&str, &str)]) -> String {
    let mut fields = transaction_fields(reference, "9.00", "https://m.example/c");
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    let v = call(sb, "transaction", &fields).await;
    assert_eq!(code(&v), 0, "{v}");
    format!(
        "{}/{}",
        v["host_url"].as_str().unwrap(),
        v["nonce"].as_str().unwrap()
    )
}

async fn press(url: &str, action: &str) -> Response {
    browser()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("action={action}"))
        .send()
        .await
        .unwrap()
}

fn header(r: &Response, name: reqwest::header::HeaderName) -> &str {
    r.headers()
        .get(&name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
}

/// A page of the sandbox's own: HTML, never cached, nothing from elsewhere.
fn assert_html_page(r: &Response) {
    assert_eq!(header(r, CONTENT_TYPE), "text/html; charset=utf-8");
    assert_eq!(header(r, CACHE_CONTROL), "no-store");
    assert!(header(r, CONTENT_SECURITY_POLICY).starts_with("default-src 'none'"));
}

async fn html(r: Response) -> String {
    let text = r.text().await.unwrap();
    assert!(
        text.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{text}"
    );
    assert!(
        text.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
        "{text}"
    );
    assert!(!text.trim_start().starts_with('{'), "JSON: {text}");
    text
}

/// The `href` of the page's link back to the merchant, unescaped.
fn back_link(html: &str) -> Option<String> {
    let start = html.find("id=\"back\" href=\"")? + "id=\"back\" href=\"".len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&amp;", "&"))
}

/// The signed redirect query of `url`, verified with the merchant's key: its status.
fn verified_status(url: &str) -> String {
    let form = FormPairs::parse_query(url).unwrap();
    form.verify(latipay_spec::builtin().inbound("redirect").unwrap(), &key())
        .expect("a redirect signed by the merchant's key");
    form.get("status").unwrap().into_owned()
}

#[tokio::test]
async fn the_page_shows_the_order_escaped_and_is_never_cached() {
    let sb = sandbox().await;
    let url = page_url(&sb, HOSTILE_REFERENCE, &[("product_name", HOSTILE_PRODUCT)]).await;
    let r = reqwest::get(&url).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_html_page(&r);
    let page = html(r).await;
    for part in [
        "&lt;script&gt;alert(&quot;product&quot;)&lt;/script&gt; &amp; &#39;Pinot&#39;",
        "ref-&lt;img src=x onerror=alert(1)&gt;&quot;&amp;&#39;",
        "9.00 NZD",
        "Alipay",
        &format!("Sandbox merchant {USER}"),
        "<button type=\"submit\" name=\"action\" value=\"pay\" class=\"pay\">Pay 9.00 NZD</button>",
        "value=\"fail\"",
        "value=\"cancel\"",
        "<img src=\"data:image/png;base64,",
    ] {
        assert!(page.contains(part), "{part} in {page}");
    }
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("onerror=alert(1)>"), "{page}");
    // The form posts back to the page itself.
    let path = url.strip_prefix(sb.url()).unwrap();
    assert!(
        page.contains(&format!("<form method=\"post\" action=\"{path}\"")),
        "{page}"
    );
}

#[tokio::test]
async fn only_wallet_methods_show_a_qr_code() {
    let sb = sandbox().await;
    for (reference, method, qr) in [("qr-wechat", "wechat", true), ("qr-poli", "polipay", false)] {
        let url = page_url(&sb, reference, &[("payment_method", method)]).await;
        let page = html(reqwest::get(&url).await.unwrap()).await;
        assert_eq!(
            page.contains("<img src=\"data:image/png;base64,"),
            qr,
            "{page}"
        );
    }
}

#[tokio::test]
async fn pay_goes_to_return_url_signed_and_then_the_page_says_paid() {
    let sb = sandbox().await;
    let url = page_url(&sb, "page-pay", &[]).await;
    let r = press(&url, "pay").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&r, CACHE_CONTROL), "no-store");
    let location = header(&r, LOCATION).to_owned();
    assert!(
        location.starts_with("https://merchantsite.com/checkout?merchant_reference=page-pay&"),
        "{location}"
    );
    assert_eq!(verified_status(&location), "paid");

    // A second visit: a human page saying so, with a link back and no button.
    let r = reqwest::get(&url).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_html_page(&r);
    let page = html(r).await;
    assert!(page.contains("already been paid"), "{page}");
    assert!(
        !page.contains("<form") && !page.contains("<button"),
        "{page}"
    );
    assert_eq!(back_link(&page).as_deref(), Some(location.as_str()));

    // Pressing Pay again (a stale tab): the same page, 409, still HTML.
    let r = press(&url, "pay").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_html_page(&r);
    assert!(html(r).await.contains("already been paid"));
    assert_eq!(order(&sb, "page-pay").await["status"], "paid");
}

#[tokio::test]
async fn cancel_goes_to_back_page_url_when_given() {
    let sb = sandbox().await;
    let back = "https://merchantsite.com/cart?step=2&from=latipay";
    let url = page_url(&sb, "page-cancel-back", &[("backPage_url", back)]).await;
    let r = press(&url, "cancel").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&r, LOCATION), back);

    let page = html(reqwest::get(&url).await.unwrap()).await;
    assert!(page.contains("Payment cancelled"), "{page}");
    assert!(!page.contains("<button"), "{page}");
    assert_eq!(back_link(&page).as_deref(), Some(back));
}

#[tokio::test]
async fn cancel_without_back_page_url_shows_that_it_is_cancelled() {
    let sb = sandbox().await;
    let url = page_url(&sb, "page-cancel", &[]).await;
    let r = press(&url, "cancel").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let path = url.strip_prefix(sb.url()).unwrap();
    assert_eq!(header(&r, LOCATION), path);

    let r = reqwest::get(&url).await.unwrap();
    assert_html_page(&r);
    let page = html(r).await;
    assert!(page.contains("Payment cancelled"), "{page}");
    // The link back is the signed return_url redirect.
    let link = back_link(&page).expect("a link back");
    assert!(
        link.starts_with("https://merchantsite.com/checkout?"),
        "{link}"
    );
    assert_eq!(verified_status(&link), "cancel_or_fail");
}

#[tokio::test]
async fn fail_shows_a_failure_page() {
    let sb = sandbox().await;
    let url = page_url(&sb, "page-fail", &[]).await;
    let r = press(&url, "fail").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&r, LOCATION), url.strip_prefix(sb.url()).unwrap());
    let page = html(reqwest::get(&url).await.unwrap()).await;
    assert!(page.contains("Payment failed"), "{page}");
    assert!(!page.contains("<button"), "{page}");
    assert_eq!(
        verified_status(&back_link(&page).unwrap()),
        "cancel_or_fail"
    );
    assert_eq!(order(&sb, "page-fail").await["status"], "failed");
}

#[tokio::test]
async fn unknown_pages_and_bad_forms_are_human_pages_too() {
    let sb = sandbox().await;
    let r = reqwest::get(format!("{}/pay/unknown", sb.url()))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_html_page(&r);
    assert!(html(r).await.contains("No such payment"));

    let r = press(&format!("{}/pay/unknown", sb.url()), "pay").await;
    assert_eq!(r.status(), 404);
    assert_html_page(&r);

    let url = page_url(&sb, "page-bad", &[]).await;
    let r = press(&url, "refund").await;
    assert_eq!(r.status(), 400);
    assert_html_page(&r);
    assert!(html(r).await.contains("Choose Pay, Fail or Cancel"));
    assert_eq!(order(&sb, "page-bad").await["status"], "pending");
}
