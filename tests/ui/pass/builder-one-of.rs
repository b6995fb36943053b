use latipay_runtime::{Credentials, LatipaySigned};

// Invoice get takes `invoice_id` or `customer_order_id`: the builder compiles with either or
// both set by its plain setter, and a required field of the group is met whenever it is set.
#[derive(LatipaySigned)]
#[latipay(endpoint = "invoice_get", builder)]
struct InvoiceLookup {
    invoice_id: Option<String>,
    customer_order_id: Option<String>,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "invoice_delete", builder)]
struct InvoiceDelete {
    invoice_id: String,
    customer_order_id: Option<String>,
}

fn main() {
    let credentials = Credentials::new("U000000013", "W000000014", "111222333");
    let by_id = InvoiceLookup::builder().invoice_id("INV123").build();
    assert_eq!(by_id.invoice_id.as_deref(), Some("INV123"));
    assert!(by_id.sign(&credentials).is_ok());
    let by_order = InvoiceLookup::builder()
        .maybe_invoice_id(None)
        .customer_order_id("ORD-7")
        .build();
    assert_eq!(by_order.customer_order_id.as_deref(), Some("ORD-7"));
    let both = InvoiceLookup::builder()
        .customer_order_id("ORD-7")
        .invoice_id("INV123")
        .build();
    assert!(both.sign(&credentials).is_ok());
    let delete = InvoiceDelete::builder().invoice_id("INV123").build();
    assert!(delete.sign(&credentials).is_ok());
}
