// Structs named like the runtime's own types: the expansion names the runtime's by path, never
// by a bare name the merchant's struct could shadow.
use latipay_runtime::LatipaySigned;

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Amount {
    order_id: String,
    refund_amount: latipay_runtime::Amount,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Credentials {
    order_id: String,
    refund_amount: latipay_runtime::Amount,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "query")]
struct Status {
    merchant_reference: String,
}

#[allow(dead_code)]
#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct AmountValue {
    order_id: String,
    refund_amount: latipay_runtime::Amount,
}

fn main() {
    let credentials = latipay_runtime::Credentials::new("U000000001", "W000000001", "0123456789abcdef");
    let amount = latipay_runtime::Amount::parse("1.00").unwrap();
    let a = Amount::builder().order_id("o1").refund_amount(amount).build();
    let c = Credentials::builder().order_id("o1").refund_amount(amount).build();
    assert_eq!(a.sign(&credentials).unwrap(), c.sign(&credentials).unwrap());
    let s = Status { merchant_reference: "m1".to_owned() };
    assert!(s.sign(&credentials).is_ok());
}
