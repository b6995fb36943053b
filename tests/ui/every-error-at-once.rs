use latipay_runtime::LatipaySigned;

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction", colour = "blue")]
struct Order {
    amount: f32,
    callback_url: Option<String>,
    #[latipay(rename = "callback_url")]
    notify: String,
    product: String,
}

fn main() {}
