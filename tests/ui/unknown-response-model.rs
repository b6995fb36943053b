use latipay_runtime::LatipaySigned;

// An endpoint of a merchant's spec whose answer names a model nobody declared: no silent
// fallback to an untyped answer, a compile error on the attribute. (The path climbs back from
// target/tests/trybuild/latipay-tests/ to the tests crate's own `specs/`.)
#[derive(LatipaySigned)]
#[latipay(endpoint = "giftcard_balance", spec = "../../../../tests/specs/unknown-model.yaml")]
struct Balance {
    card_number: String,
}

fn main() {}
