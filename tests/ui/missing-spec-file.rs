use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "giftcard_redeem", spec = "specs/no-such-file.yaml")]
struct Redeem {
    card_number: String,
    amount: Amount,
}

fn main() {}
