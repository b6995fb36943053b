//! The invoice endpoints: create, get, list, delete and refund invoices, looked up by
//! `invoice_id` or `customer_order_id`. Paying an invoice is the customer's (the admin route,
//! `lifecycle::pay_invoice`).

use std::sync::Arc;

use axum::response::Response;
use latipay_spec::{Amount, Endpoint};

use super::merchant::{organisation, required_amount, wallet, wallet_name};
use super::reply::{answer, internal, not_saved};
use crate::answer::Members;
use crate::app::App;
use crate::check::Checked;
use crate::codes::{ApiError, Code};
use crate::ids::Time;
use crate::lifecycle;
use crate::magic::Magic;
use crate::qr;
use crate::state::{Invoice, Store};

/// Where an invoice is paid: the sandbox's invoice route.
fn invoice_url(app: &App, invoice: &Invoice) -> String {
    format!("{}/sandbox/invoices/{}", app.base_url, invoice.invoice_id)
}

/// An invoice as Latipay answers it (created or looked up): `invoice_id`, `qrcode_pic` (a PNG
/// of the QR code of `invoice_url`), `invoice_url` at the top level, and for a paid invoice the
/// `return_query` a point-of-sale integration reads (a redirect query, signed by its rule).
fn invoice_members(app: &App, endpoint: &Endpoint, invoice: &Invoice) -> Result<Members, ApiError> {
    let url = invoice_url(app, invoice);
    let qrcode_pic = qr::png_data_url(&url).map_err(|e| internal(&endpoint.name, &e))?;
    let mut members = Members::new()
        .text("invoice_id", &invoice.invoice_id)
        .text("qrcode_pic", qrcode_pic)
        .text("invoice_url", url);
    if let Some(query) =
        lifecycle::invoice_return_query(app, invoice).map_err(|e| internal(&endpoint.name, &e))?
    {
        members = members.text("return_query", query);
    }
    Ok(members)
}

/// Creates an unpaid invoice; a `customer_order_id` is unique per user.
pub(super) fn invoice_create(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    let amount = required_amount(c, "amount")?;
    if Magic::of(amount) == Magic::OverLimit {
        return Err(ApiError::new(
            Code::ExceedsLimit,
            "magic amount ending in .54",
        ));
    }
    let wallet = wallet(c)?;
    let get = |n: &str| c.get(n).map(str::to_owned);
    let invoice = Invoice {
        invoice_id: app.ids.prefixed("INV"),
        user_id: c.user.user_id.clone(),
        wallet_id: wallet.wallet_id,
        currency: wallet.currency,
        amount: c.get("amount").unwrap_or_default().to_owned(),
        product_name: get("product_name"),
        customer_order_id: get("customer_order_id"),
        customer_reference: get("customer_reference"),
        return_url: get("return_url"),
        notify_url: get("notify_url"),
        status: "unpaid".into(),
        create_time: Time::now().text(),
        pay_time: None,
        period_time: get("period_time"),
        paid_method: None,
    };
    {
        let mut store = app.lock();
        if let Some(id) = &invoice.customer_order_id
            && store
                .invoices()
                .iter()
                .any(|i| i.user_id == invoice.user_id && i.customer_order_id.as_ref() == Some(id))
        {
            return Err(ApiError::new(
                Code::Fail,
                format!("customer_order_id `{id}` is already used by another invoice"),
            ));
        }
        store.push_invoice(invoice.clone());
        store.commit().map_err(not_saved)?;
    }
    let members = invoice_members(app, endpoint, &invoice)?;
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

/// The invoice named by invoice_id or customer_order_id, of the requesting user.
fn find_invoice(store: &Store, c: &Checked) -> Result<usize, ApiError> {
    // `check` refused a request with neither (the endpoints' `one_of`); without a name, no
    // invoice is the one named.
    let by_id = c.get("invoice_id");
    let by_order = c.get("customer_order_id");
    let named = by_id.is_some() || by_order.is_some();
    store
        .invoices()
        .iter()
        .position(|i| {
            named
                && i.user_id == c.user.user_id
                && by_id.is_none_or(|id| i.invoice_id == id)
                && by_order.is_none_or(|o| i.customer_order_id.as_deref() == Some(o))
        })
        .ok_or_else(|| ApiError::new(Code::OrderNotExist, "no such invoice"))
}

/// An invoice by invoice_id or customer_order_id.
pub(super) fn invoice_get(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    let invoice = {
        let store = app.lock();
        let i = find_invoice(&store, c)?;
        store.invoices()[i].clone()
    };
    let members = invoice_members(app, endpoint, &invoice)?;
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

/// The status an invoice list reports (`success`, `pending`, `paid`, `failed`): a refunded
/// invoice was paid, and the list has no word for the refund.
fn list_status(invoice: &Invoice) -> &'static str {
    match invoice.status.as_str() {
        "unpaid" => "pending",
        _ => "paid",
    }
}

/// One invoice of a list, with the item fields Latipay documents.
fn invoice_item(app: &App, invoice: &Invoice) -> Members {
    let amount =
        Amount::parse(&invoice.amount).map_or_else(|_| invoice.amount.clone(), |a| a.to_string());
    let (organisation_id, organisation, _) = organisation(app, &invoice.user_id);
    let period_time = invoice
        .period_time
        .as_deref()
        .filter(|p| p.parse::<i64>().is_ok());
    Members::new()
        .text("user_id", &invoice.user_id)
        .text("wallet_id", &invoice.wallet_id)
        .text("wallet_name", wallet_name(&invoice.currency))
        .number("amount", amount)
        .text("currency", &invoice.currency)
        .number("organisation_id", organisation_id)
        .text("organisation", organisation)
        .text_or_null("product_name", invoice.product_name.as_deref())
        .number_or_null("period_time", period_time)
        .number("open_count", "0")
        .text_or_null("customer_order_id", invoice.customer_order_id.as_deref())
        .text_or_null("customer_reference", invoice.customer_reference.as_deref())
        .text("created_time", &invoice.create_time)
        .text_or_null("paid_time", invoice.pay_time.as_deref())
        .text("invoice_id", &invoice.invoice_id)
        .text("invoice_url", invoice_url(app, invoice))
        .text_or_null("return_url", invoice.return_url.as_deref())
        .text_or_null("notify_url", invoice.notify_url.as_deref())
        .null("token")
        .text("status", list_status(invoice))
        .text_or_null("paid_method", invoice.paid_method.as_deref())
        .value("payment_methods", &lifecycle::INVOICE_PAYMENT_METHODS)
        .null("payer")
}

/// Times are compared as text; a date alone as an end means the end of that day.
pub(super) fn invoice_list(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    let start = c.get("start_time").unwrap_or_default();
    let end = c.get("end_time").map(|e| {
        if e.len() == 10 {
            format!("{e} 23:59:59")
        } else {
            e.to_owned()
        }
    });
    for (name, t) in [("start_time", Some(start)), ("end_time", c.get("end_time"))] {
        if let Some(t) = t
            && !looks_like_time(t)
        {
            return Err(ApiError::new(
                Code::ParamWrong,
                format!("`{name}` is written YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, got `{t}`"),
            ));
        }
    }
    let wallet = c.get("wallet_id");
    let items: Vec<Members> = {
        let store = app.lock();
        store
            .invoices()
            .iter()
            .filter(|i| i.user_id == c.user.user_id)
            .filter(|i| wallet.is_none_or(|w| i.wallet_id == w))
            .filter(|i| i.create_time.as_str() >= start)
            .filter(|i| end.as_deref().is_none_or(|e| i.create_time.as_str() <= e))
            .map(|i| invoice_item(app, i))
            .collect()
    };
    let members = Members::new().objects("data", items);
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

fn looks_like_time(t: &str) -> bool {
    let b = t.as_bytes();
    let date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    date && (b.len() == 10 || (b.len() == 19 && b[10] == b' '))
}

/// Deletes an unpaid invoice.
pub(super) fn invoice_delete(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    {
        let mut store = app.lock();
        let i = find_invoice(&store, c)?;
        let invoice = &store.invoices()[i];
        if invoice.status != "unpaid" {
            return Err(ApiError::new(
                Code::Fail,
                format!(
                    "invoice {} is {}; only unpaid invoices can be deleted",
                    invoice.invoice_id, invoice.status
                ),
            ));
        }
        store.remove_invoice(i);
        store.commit().map_err(not_saved)?;
    }
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}

/// Refunds a paid invoice (wholly: invoices have no partial refund).
pub(super) fn invoice_refund(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    {
        let mut store = app.lock();
        let i = find_invoice(&store, c)?;
        let invoice = &store.invoices()[i];
        match invoice.status.as_str() {
            "paid" => {
                store.invoice_mut(i).status = "refunded".into();
                store.commit().map_err(not_saved)?;
            }
            "refunded" => {
                return Err(ApiError::new(
                    Code::RefundAlreadyDone,
                    format!("invoice {} is already refunded", invoice.invoice_id),
                ));
            }
            other => {
                return Err(ApiError::new(
                    Code::RefundParamsWrong,
                    format!(
                        "invoice {} is {other}; only paid invoices can be refunded",
                        invoice.invoice_id
                    ),
                ));
            }
        }
    }
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}
