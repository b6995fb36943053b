use latipay_runtime::LatipaySigned;

// `gatewaydata` (the merchant-hosted offline step) is a GET that Latipay takes unsigned: it is
// not a `LatipaySigned` request; the client sends it from the transaction answer.
#[derive(LatipaySigned)]
#[latipay(endpoint = "gatewaydata")]
struct Qr {
    host_url: String,
    nonce: String,
}

fn main() {}
