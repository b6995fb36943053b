//! The `return_url` redirect: where the customer's browser goes after paying, with the result
//! signed by Rule B. Latipay says not to trust it; the sandbox makes it available to test that.

use crate::notify::{encode, sign_pairs};
use crate::server::App;
use crate::state::{Order, Status};

/// The redirect URL for a settled order (status `paid`, or `cancel_or_fail`); `None` while it
/// is pending or when it has no return_url.
pub(crate) fn redirect_url(app: &App, order: &Order) -> Option<String> {
    let return_url = order.return_url.as_deref()?;
    let status = match order.status {
        Status::Pending => return None,
        Status::Paid => "paid",
        Status::Failed | Status::Canceled => "cancel_or_fail",
    };
    let key = app.key(&order.user_id)?;
    let mut pairs: Vec<(String, String)> = [
        ("merchant_reference", order.merchant_reference.clone()),
        ("payment_method", order.payment_method.clone()),
        ("status", status.to_owned()),
        ("currency", order.currency.clone()),
        ("amount", order.amount.to_string()),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect();
    // Not signable (a spec whose redirect rule names other fields): no redirect, logged.
    sign_pairs(app, "redirect", &key, &mut pairs).ok()?;
    let sep = if return_url.contains('?') { '&' } else { '?' };
    Some(format!("{return_url}{sep}{}", encode(&pairs)))
}
