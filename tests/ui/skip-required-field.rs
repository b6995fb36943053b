use latipay_runtime::{Amount, LatipaySigned};

// A skipped field is not sent: skipping one the endpoint requires is reported on the `skip`, not
// as a missing field.
#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    #[latipay(skip)]
    order_id: String,
    refund_amount: Amount,
}

fn main() {}
