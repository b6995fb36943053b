use latipay_runtime::{Amount, LatipaySigned};

// trybuild compiles this case in target/tests/trybuild/latipay-tests/, so the path climbs back to
// the tests crate's own `specs/broken.yaml`.
#[derive(LatipaySigned)]
#[latipay(endpoint = "giftcard_redeem", spec = "../../../../tests/specs/broken.yaml")]
struct Redeem {
    card_number: String,
    amount: Amount,
}

fn main() {}
