//! The HTTP handlers, one file per endpoint group. `route` finds the spec endpoint of a request
//! to Latipay's API and hands it to its group; `admin` and `page` are the sandbox's own routes.
//! What they share is in `reply` (body, answer, refusals) and `merchant` (values from the
//! merchant's account).

pub(crate) mod admin;
mod gatewaydata;
mod invoice;
mod merchant;
mod mini;
pub(crate) mod page;
mod query;
mod refund_cancel;
mod reply;
pub(crate) mod route;
mod transaction;
