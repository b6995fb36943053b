use latipay_runtime::LatipaySigned;

// Latipay looks an invoice up by `invoice_id` or `customer_order_id`: a struct with neither can
// never name one.
#[derive(LatipaySigned)]
#[latipay(endpoint = "invoice_get")]
struct InvoiceLookup {
    #[latipay(skip)]
    invoice_id: Option<String>,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "invoice_refund")]
struct InvoiceRefund {
    reference: Option<String>,
}

fn main() {}
