use latipay_runtime::{Amount, LatipaySigned};

// In the builder a skipped field is optional, its type's `Default` when unset: a type without
// one is reported on the field's type.
struct Session(u64);

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    #[latipay(skip)]
    session: Session,
}

fn main() {}
