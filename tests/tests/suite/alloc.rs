//! Signing allocates nothing but the returned hex string; verifying a notification and decoding
//! an answer allocate the counts pinned here. Counted exactly, per thread, by a counting global
//! allocator.

use latipay_runtime::{Credentials, LatipaySigned};
use latipay_tests::counting::{Counting, allocations};
use latipay_tests::*;

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn signing_allocates_only_the_returned_string() {
    let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    let mini = doc_mini_order();
    let hosted = HostedOrder::builder()
        .amount("120")
        .payment_method("alipay")
        .return_url("https://merchantsite.com/checkout")
        .callback_url("https://merchantsite.com/confirm")
        .merchant_reference("dsi39ej430sks03")
        .ip("122.122.122.1")
        .product_name("Pinot Noir, Otago")
        .build();
    let mut buf = [0u8; 64];
    let (n, sig) = allocations(|| mini.signature(&credentials).unwrap());
    assert_eq!(n, 0, "signature() allocated");
    let (n, _) = allocations(|| hosted.signature(&credentials).unwrap());
    assert_eq!(
        n, 0,
        "signature() with a string amount normalised on the fly allocated"
    );
    let (n, hex) = allocations(|| mini.write_signature(&credentials, &mut buf).map(str::len));
    assert_eq!((n, hex.unwrap()), (0, 64), "write_signature() allocated");
    let (n, s) = allocations(|| mini.sign(&credentials).unwrap());
    assert_eq!(n, 1, "sign() allocates exactly the returned String");
    assert_eq!(s, sig.to_hex());
}

#[test]
fn verifying_a_notification_in_place_allocates_a_pinned_count() {
    use latipay_runtime::NotificationRef;
    let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    let body = "merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&order_id=2017232323345678&pay_time=2017-07-07+10%3A53%3A40&amount_cny=551.20&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";
    // The first call reads the built-in spec, once per process.
    assert!(NotificationRef::verify(body.as_bytes(), &credentials).is_ok());
    let (n, verified) = allocations(|| NotificationRef::verify(body.as_bytes(), &credentials));
    let verified = verified.unwrap();
    // 4, measured, pinned so that a change is seen. They are the list of the parts as received,
    // the one verifier's tally of the six names it needs, and the check that the escaped
    // `pay_time` decodes to UTF-8. No signed value has escapes here, so none is decoded, and the
    // signed message is written out only on a mismatch. It was 0 with the hand-written reader that
    // issue 14 removed, and 53 while the verifier copied every member.
    assert_eq!(n, 4, "verification allocated");
    let (n, reference) = allocations(|| verified.merchant_reference());
    assert_eq!((n, reference.as_ref()), (0, "dsi39ej430sks03"));
    // Reading an escaped value decodes it into one new text (1 allocation, measured; 3 through
    // `form_urlencoded`, which cut a value at a second `=`).
    let (n, paid) = allocations(|| verified.pay_time());
    assert_eq!(
        (n, paid.unverified().as_deref()),
        (1, Some("2017-07-07 10:53:40"))
    );
}

#[test]
fn building_a_request_allocates_its_own_texts_only() {
    let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    let mini = doc_mini_order();
    assert!(mini.to_request(&credentials).is_ok());
    let (n, request) = allocations(|| mini.to_request(&credentials).unwrap());
    assert_eq!(request.query, "", "minialipay sends everything in the body");
    assert!(
        request
            .body
            .as_deref()
            .unwrap()
            .starts_with(r#"{"amount":"120.00","#)
    );
    // The path and the body: the body's bytes are reserved once, serde_json writes each string
    // into them (no string per value), and they become the `String` in place.
    assert_eq!(n, 2, "to_request() allocated");
}

/// A minialipay answer as Latipay documents it: `gatewaydata` in Alipay's order, `paydata`.
const MINI_ANSWER: &str = r#"{"code":0,"message":"SUCCESS","messageCN":"操作成功","gatewaydata":{"service":"create_forex_trade_wap","partner":"2088121611339960","_input_charset":"UTF-8","sign_type":"MD5","sign":"7d4b8e32f5b0a1c9e6d2f8a4b3c5e7d1","notify_url":"https://api.latipay.net/notify/alipay","return_url":"https://api.latipay.net/notify/sync/alipay","subject":"Pinot Noir, Otago","body":"5399","out_trade_no":"2017232323345678","currency":"NZD","total_fee":"120.00","supplier":"Latipay","secondary_merchant_id":"W00000001","secondary_merchant_name":"Latipay","secondary_merchant_industry":"5399","product_code":"NEW_WAP_OVERSEAS_SELLER","app_pay":"Y"},"paydata":{"orderId":"2017232323345678","customerOrderId":"dsi39ej430sks03","currency":"NZD","amount":"120.00"}}"#;

#[test]
fn decoding_a_minialipay_answer_allocates_a_pinned_count() {
    use latipay_runtime::__private::decode_response;
    let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    assert!(decode_response::<MiniOrder>(200, MINI_ANSWER, &credentials).is_ok());
    let (n, answer) =
        allocations(|| decode_response::<MiniOrder>(200, MINI_ANSWER, &credentials).unwrap());
    assert_eq!((answer.gatewaydata.len(), answer.paydata.len()), (18, 4));
    assert_eq!(answer.order_id(), Some("2017232323345678"));
    let order_str = answer.order_str();
    assert!(order_str.starts_with("service=create_forex_trade_wap&partner=2088121611339960&"));
    assert!(order_str.ends_with("&product_code=NEW_WAP_OVERSEAS_SELLER&app_pay=Y"));
    assert_eq!(order_str.len(), 488, "{order_str}");
    // 10, measured, pinned so that a change is seen: 1 for serde_json reading the answer into
    // a `RawObject` (its list of the 5 members; names and raw values are borrowed from the
    // answer), 9 for decoding it (`message` and `messageCN`, and `gatewaydata` and `paydata` read
    // straight into `Params`, each a text buffer and a list of ends). Nothing is verified: the
    // answer is unsigned. It was 21 while `RawObject` copied each member's name and value, 6 with
    // the one-pass reader of a plain success that issue 14 removed, and 109 while `Params` was
    // built from a second `RawObject`.
    assert_eq!(n, 1 + 9, "decoding allocated");
}
