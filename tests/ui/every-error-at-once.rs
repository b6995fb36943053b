use latipay_runtime::LatipaySigned;

// Every kind of mistake in one struct: all of them are reported in one round, and the builder and
// the trait still exist, so `Order::builder()` and `sign` add no errors of their own.
#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction", colour = "blue", builder)]
struct Order {
    amount: f32,
    callback_url: Option<String>,
    #[latipay(rename = "callback_url")]
    notify: String,
    return_url: Vec<u8>,
    product: String,
    #[latipay(skp)]
    merchant_reference: String,
    present_qr: u8,
}

fn main() {
    let order = Order::builder()
        .amount(10.5)
        .callback_url("https://merchant.example/cb")
        .return_url(vec![1, 2])
        .build();
    let _ = <Order as LatipaySigned>::ENDPOINT;
    let _ = &order;
}
