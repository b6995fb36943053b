use latipay_runtime::LatipaySigned;

#[derive(LatipaySigned)]
#[latipay(endpoint = "invoice_get", builder)]
struct InvoiceLookup {
    invoice_id: Option<String>,
    customer_order_id: Option<String>,
}

fn main() {
    // Neither is set: Latipay would answer that it cannot find the invoice.
    let _ = InvoiceLookup::builder().build();
    // `maybe_` may pass `None`, so it does not count.
    let _ = InvoiceLookup::builder().maybe_invoice_id(None).build();
}
