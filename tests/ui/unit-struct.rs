use latipay_runtime::LatipaySigned;

#[derive(LatipaySigned)]
#[latipay(endpoint = "cancel")]
struct Cancel;

fn main() {}
