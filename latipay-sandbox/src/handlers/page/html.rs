//! The payment page's HTML, written out as text: one layout (`lang`, a viewport, inline CSS, one
//! inline script and nothing fetched from elsewhere, so it works offline and fits a 375 px phone) around
//! the page of a pending order, of a finished one and of a plain message. Every value shown or
//! put in an attribute goes through [`escape`]; links are only ever `http(s)` URLs or the page's
//! own path.

use std::fmt::Write as _;

/// The page's look: system fonts, one centred column, buttons a thumb can hit, long words wrapped
/// anywhere so that nothing makes the page wider than the phone.
const STYLE: &str = "\
*{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{margin:0;background:#eef1f5;color:#1c2431;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;overflow-wrap:anywhere}\
main{max-width:30rem;margin:0 auto;padding:1rem}\
.brand{margin:.25rem 0 .75rem;font-weight:700;color:#0b5cad}\
.brand span{font-weight:400;color:#5a6578}\
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}\
h1{margin:0;font-size:1.25rem;line-height:1.3}\
.product{margin:.25rem 0 0;color:#3b4556}\
.amount{margin:.75rem 0;font-size:2rem;font-weight:700;line-height:1.2}\
dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.25rem 1rem;margin:0 0 1rem}\
dt{color:#5a6578}\
dd{margin:0;min-width:0}\
figure{margin:0 0 1rem;text-align:center}\
figure img{display:block;width:100%;max-width:12rem;height:auto;margin:0 auto;image-rendering:pixelated}\
figcaption{font-size:.875rem;color:#5a6578}\
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:0}\
button,.button{flex:1 1 100%;display:block;min-height:44px;padding:.6rem 1rem;border:1px solid #b8c1cf;border-radius:8px;background:#fff;color:#1c2431;font:inherit;text-align:center;text-decoration:none;cursor:pointer}\
button.pay,.button{background:#0b5cad;border-color:#0b5cad;color:#fff;font-weight:700}\
button.fail,button.cancel{flex:1 1 8rem}\
button:focus-visible,.button:focus-visible{outline:3px solid #f5a623;outline-offset:2px}\
.note{margin:1rem 0 0;font-size:.875rem;color:#5a6578}\
.status{margin:0 0 .5rem;font-weight:700}\
.paid .status{color:#137333}\
.failed .status,.canceled .status{color:#a50e0e}\
";

/// The page's one script: a page restored from the browser's back-forward cache (which keeps
/// even `no-store` pages in memory) is loaded again, so Back never shows a Pay button for an
/// order that has moved on since.
const SCRIPT: &str =
    r#"addEventListener("pageshow",function(e){if(e.persisted)location.reload()})"#;

/// What the page allows itself: [`SCRIPT`] (by its SHA-256), its inline style, `data:` images;
/// nothing from elsewhere. A test checks the hash.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; \
     script-src 'sha256-N90wwlrycsdQpiYAtOJJ9n72nI9e+wvtNYJ3cLHuPLo='; \
     style-src 'unsafe-inline'; img-src data:; base-uri 'none'";

/// `text` safe in HTML text and in a quoted attribute value: `& < > " '` as entities.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `url` if a link may point there: only absolute `http(s)` URLs (the sandbox checked the
/// merchant's URLs as such; this holds even for an order loaded from an older state file).
fn http_url(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

/// What the page shows of an order, as text (escaped when written).
#[derive(Debug, Clone)]
pub(crate) struct OrderView<'a> {
    /// Who is paid.
    pub merchant: &'a str,
    /// What was sold.
    pub product: &'a str,
    /// The amount, `9.00`.
    pub amount: String,
    /// `NZD`.
    pub currency: &'a str,
    /// The merchant's reference.
    pub reference: &'a str,
    /// Latipay's order id.
    pub order_id: &'a str,
    /// `alipay`, `wechat`, ...
    pub method: &'a str,
}

/// The name of a payment method as a customer knows it; the method itself when the sandbox
/// has no nicer name for it.
pub(crate) fn method_name(method: &str) -> &str {
    match method {
        "alipay" => "Alipay",
        "wechat" => "WeChat Pay",
        "polipay" => "POLi",
        "payid" => "PayID",
        "upi_upop" => "UnionPay online",
        "moneymore" => "MoneyMore",
        "coin_payments" => "CoinPayments",
        other => other,
    }
}

/// The page of a pending order: what is paid, to whom, how, and the Pay, Fail and Cancel
/// buttons of one form posting to `action`. `qr` is the `data:` URL of the QR code to show (the
/// wallet methods).
pub(crate) fn payment(order: &OrderView<'_>, action: &str, qr: Option<&str>) -> String {
    let amount = format!("{} {}", order.amount, order.currency);
    let method = method_name(order.method);
    let mut body = String::new();
    let _ = write!(
        body,
        "<section class=\"card\" aria-labelledby=\"title\">\
         <h1 id=\"title\">{merchant}</h1>\
         <p class=\"product\">{product}</p>\
         <p class=\"amount\" id=\"amount\">{amount}</p>",
        merchant = escape(order.merchant),
        product = escape(order.product),
        amount = escape(&amount),
    );
    details(&mut body, order);
    if let Some(qr) = qr.filter(|q| q.starts_with("data:image/png;base64,")) {
        let _ = write!(
            body,
            "<figure><img src=\"{qr}\" alt=\"QR code to pay with {method}\" width=\"192\" height=\"192\">\
             <figcaption>Scan with {method} to pay. In the sandbox, the code opens this page.</figcaption></figure>",
            qr = escape(qr),
            method = escape(method),
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"{action}\" aria-label=\"Pay or cancel\">\
         <button type=\"submit\" name=\"action\" value=\"pay\" class=\"pay\">Pay {amount}</button>\
         <button type=\"submit\" name=\"action\" value=\"fail\" class=\"fail\">Fail the payment</button>\
         <button type=\"submit\" name=\"action\" value=\"cancel\" class=\"cancel\">Cancel</button>\
         </form></section>\
         <p class=\"note\">This is the Latipay sandbox: no money moves. Pay, Fail and Cancel do \
         what the customer's choice would, and tell the merchant as Latipay does.</p>",
        action = escape(action),
        amount = escape(&amount),
    );
    layout(&format!("Pay {amount} to {}", order.merchant), &body)
}

/// How an order ended, as the page of a finished order says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finished {
    /// Paid.
    Paid,
    /// The payment failed.
    Failed,
    /// Cancelled.
    Canceled,
}

/// The page of a finished order: what happened, the order, and `back` (where to, and its
/// label) to go on to the merchant. Never a button that moves the order.
pub(crate) fn finished(order: &OrderView<'_>, how: Finished, back: Option<&str>) -> String {
    let (class, title, says) = match how {
        Finished::Paid => (
            "paid",
            "Already paid",
            "This order has already been paid. There is nothing more to pay.",
        ),
        Finished::Failed => (
            "failed",
            "Payment failed",
            "The payment of this order failed. No money was taken; the merchant can start a new payment.",
        ),
        Finished::Canceled => (
            "canceled",
            "Payment cancelled",
            "This order was cancelled. No money was taken.",
        ),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<section class=\"card {class}\" aria-labelledby=\"title\">\
         <p class=\"status\" id=\"status\">{title}</p>\
         <h1 id=\"title\">{merchant}</h1>\
         <p class=\"product\">{product}</p>\
         <p class=\"amount\">{amount} {currency}</p>\
         <p>{says}</p>",
        merchant = escape(order.merchant),
        product = escape(order.product),
        amount = escape(&order.amount),
        currency = escape(order.currency),
    );
    details(&mut body, order);
    if let Some(url) = back.and_then(http_url) {
        let _ = write!(
            body,
            "<a class=\"button\" id=\"back\" href=\"{url}\">Back to {merchant}</a>",
            url = escape(url),
            merchant = escape(order.merchant),
        );
    }
    body.push_str("</section>");
    layout(&format!("{title}: {}", order.reference), &body)
}

/// A page that only says something: an unknown page, a request it cannot do.
pub(crate) fn message(title: &str, text: &str) -> String {
    let body = format!(
        "<section class=\"card\" aria-labelledby=\"title\"><h1 id=\"title\">{}</h1><p>{}</p></section>",
        escape(title),
        escape(text),
    );
    layout(title, &body)
}

/// The order's reference, Latipay order id and payment method, as a definition list.
fn details(body: &mut String, order: &OrderView<'_>) {
    let _ = write!(
        body,
        "<dl><dt>Order reference</dt><dd id=\"reference\">{reference}</dd>\
         <dt>Latipay order</dt><dd>{order_id}</dd>\
         <dt>Payment method</dt><dd id=\"method\">{method}</dd></dl>",
        reference = escape(order.reference),
        order_id = escape(order.order_id),
        method = escape(method_name(order.method)),
    );
}

/// The whole document around `body`.
fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>{title} · Latipay sandbox</title>\
         <link rel=\"icon\" href=\"data:,\">\
         <style>{STYLE}</style><script>{SCRIPT}</script></head>\
         <body><main><p class=\"brand\">Latipay <span>sandbox</span></p>{body}</main></body></html>\n",
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<script>alert('x')</script> & \"quoted\"";

    fn order(product: &'static str, reference: &'static str) -> OrderView<'static> {
        OrderView {
            merchant: "Sandbox merchant U1",
            product,
            amount: "9.00".to_owned(),
            currency: "NZD",
            reference,
            order_id: "2017232323345678",
            method: "wechat",
        }
    }

    /// No tag or attribute value is opened by a value: the hostile text appears only escaped.
    fn assert_escaped(html: &str) {
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("'x'"), "{html}");
        assert!(
            html.contains(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
            ),
            "{html}"
        );
    }

    #[test]
    fn the_policy_allows_the_script_by_its_hash() {
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SCRIPT));
        assert!(
            CONTENT_SECURITY_POLICY.contains(&format!("script-src 'sha256-{hash}';")),
            "update the hash in CONTENT_SECURITY_POLICY to {hash}"
        );
        assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'none'; "));
    }

    #[test]
    fn escape_covers_text_and_attributes() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("Pinot Noir, Otago 微信"), "Pinot Noir, Otago 微信");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn the_payment_page_escapes_every_value() {
        let html = payment(&order(HOSTILE, HOSTILE), "/pay/n\"1", None);
        assert_escaped(&html);
        assert!(html.contains("action=\"/pay/n&quot;1\""), "{html}");
        // Both the product and the reference, and the title.
        assert_eq!(html.matches("&lt;script&gt;").count(), 2, "{html}");
    }

    #[test]
    fn the_payment_page_has_its_parts() {
        let qr = "data:image/png;base64,iVBORw0KGgo=";
        let html = payment(&order("Pinot Noir", "ref-1"), "/pay/abc", Some(qr));
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"en\">"),
            "{html}"
        );
        assert!(
            html.contains(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            ),
            "{html}"
        );
        for part in [
            "Sandbox merchant U1",
            "Pinot Noir",
            "9.00 NZD",
            "ref-1",
            "WeChat Pay",
            "<form method=\"post\" action=\"/pay/abc\"",
            "<button type=\"submit\" name=\"action\" value=\"pay\" class=\"pay\">Pay 9.00 NZD</button>",
            "value=\"fail\"",
            "value=\"cancel\" class=\"cancel\">Cancel</button>",
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"QR code to pay with WeChat Pay\"",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        // Nothing from elsewhere: no script but the page's own, no stylesheet link, no remote
        // image.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{html}"
        );
        assert!(!html.contains("<link rel=\"stylesheet\""));
    }

    #[test]
    fn no_qr_code_but_a_data_url() {
        let html = payment(
            &order("p", "r"),
            "/pay/a",
            Some("https://evil.example/x.png"),
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(!payment(&order("p", "r"), "/pay/a", None).contains("<img"));
    }

    #[test]
    fn a_finished_order_has_no_buttons_and_a_link_back() {
        let back = "https://m.example/return?a=1&b=2";
        for how in [Finished::Paid, Finished::Failed, Finished::Canceled] {
            let html = finished(&order(HOSTILE, HOSTILE), how, Some(back));
            assert_escaped(&html);
            assert!(
                !html.contains("<form") && !html.contains("<button"),
                "{html}"
            );
            assert!(
                html.contains("href=\"https://m.example/return?a=1&amp;b=2\""),
                "{html}"
            );
            assert!(html.contains("<html lang=\"en\">"));
        }
        let paid = finished(&order("p", "r"), Finished::Paid, None);
        assert!(
            paid.contains("already been paid") && !paid.contains("<a "),
            "{paid}"
        );
        assert!(finished(&order("p", "r"), Finished::Canceled, None).contains("cancelled"));
        assert!(finished(&order("p", "r"), Finished::Failed, None).contains("failed"));
    }

    #[test]
    fn links_are_http_only() {
        for url in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "",
        ] {
            let html = finished(&order("p", "r"), Finished::Paid, Some(url));
            assert!(!html.contains("<a "), "{url}: {html}");
        }
        let html = finished(&order("p", "r"), Finished::Paid, Some("HTTP://m.example/"));
        assert!(html.contains("href=\"HTTP://m.example/\""), "{html}");
    }

    #[test]
    fn a_message_escapes_too() {
        let html = message(HOSTILE, HOSTILE);
        assert_escaped(&html);
        assert!(html.contains("<html lang=\"en\">") && html.contains("name=\"viewport\""));
    }
}
