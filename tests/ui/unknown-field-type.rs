use latipay_runtime::{Amount, LatipaySigned};

// A type the derive does not know (the merchant's own) is checked by the spec type's marker trait:
// an error on the field's type, naming what the spec type takes.
struct Url(String);

#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipay")]
struct MiniOrder {
    amount: Amount,
    callback_url: Url,
    merchant_reference: String,
    ip: String,
    product_name: String,
}

fn main() {}
