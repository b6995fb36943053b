use latipay_runtime::LatipayEnum;

// The enum names one `enum` field of an endpoint; every mistake in naming it is reported.
#[derive(LatipayEnum)]
enum Unnamed {
    Wechat,
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction")]
enum NoField {
    Wechat,
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "transactoin", field = "payment_method")]
enum UnknownEndpoint {
    Wechat,
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_methd")]
enum UnknownField {
    Wechat,
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "amount")]
enum NotAnEnumField {
    Wechat,
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "minialipay", field = "payment_method")]
enum FixedField {
    Alipay,
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method", rename = "wechat")]
enum Misplaced {
    #[latipay(field = "payment_method", skip)]
    Wechat,
}

fn main() {}
