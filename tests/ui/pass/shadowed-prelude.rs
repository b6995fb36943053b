// A module with its own `Result`, `Option`, `String`, `Vec`, `Some`, `Ok`, `Default`, `Into`,
// `Box`: the expansion reaches std by absolute paths, so it compiles all the same.
#![allow(dead_code)]

mod merchant {
    pub struct Result;
    pub struct Option;
    pub struct String;
    pub struct Vec;
    pub struct Box;
    pub struct PhantomData;
    pub trait Default {}
    pub trait Into {}
    pub trait Sized {}
    pub trait From {}
    #[allow(non_upper_case_globals)]
    pub const Some: () = ();
    #[allow(non_upper_case_globals)]
    pub const Ok: () = ();
    #[allow(non_upper_case_globals)]
    pub const None: () = ();
    pub mod core {}
    pub mod std {}
    pub mod latipay_runtime {}

    use ::latipay_runtime::LatipaySigned;

    #[derive(LatipaySigned)]
    #[latipay(endpoint = "refund", builder)]
    pub struct Refund {
        pub order_id: ::std::string::String,
        pub refund_amount: ::latipay_runtime::Amount,
        pub reference: ::std::option::Option<::std::string::String>,
        #[latipay(skip)]
        pub note: ::std::string::String,
    }

    // Fields named like the types the struct uses: the builder's state for each is not named
    // after it.
    #[allow(non_snake_case)]
    #[derive(LatipaySigned)]
    #[latipay(endpoint = "refund", builder)]
    pub struct Named<'a> {
        #[latipay(rename = "order_id")]
        pub str: &'a str,
        #[latipay(rename = "refund_amount")]
        pub Amount: ::latipay_runtime::Amount,
    }
}

fn main() {
    use latipay_runtime::LatipaySigned;
    let credentials = latipay_runtime::Credentials::new("U000000001", "W000000001", "0123456789abcdef");
    let amount = latipay_runtime::Amount::parse("1.00").unwrap();
    let r = merchant::Refund::builder()
        .order_id("o1")
        .refund_amount(amount)
        .reference("partial")
        .build();
    assert!(r.sign(&credentials).is_ok());
    let n = merchant::Named::builder().str("o1").Amount(amount).build();
    let plain = merchant::Refund::builder()
        .order_id("o1")
        .refund_amount(amount)
        .build();
    assert_eq!(n.sign(&credentials).unwrap(), plain.sign(&credentials).unwrap());
}
