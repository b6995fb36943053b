use latipay_runtime::{Amount, LatipaySigned};

// The merchant's file defines `refund`, a built-in endpoint's name, without `replaces: true`.
#[derive(LatipaySigned)]
#[latipay(
    endpoint = "refund",
    spec = "../../../../tests/specs/replaces-unmarked.yaml"
)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
}

fn main() {}
