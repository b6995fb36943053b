use latipay_runtime::{Amount, LatipaySigned};

// `wallet_id` may be given per order (`provides_credentials`), falling back to the credentials'
// own: a wrong type for it is reported on the field's type, as for any other field.
#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipay")]
struct MiniOrder {
    amount: Amount,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
    #[latipay(provides_credentials)]
    wallet_id: Option<u32>,
}

fn main() {}
