//! The merchant as the handlers see it: the amount and wallet a new order or invoice takes from
//! a checked request, and who the sandbox says a merchant is where Latipay's answers name it
//! (organisation, user and wallet names: made up, the sandbox has users only).

use latipay_spec::Amount;

use crate::app::App;
use crate::check::Checked;
use crate::codes::{ApiError, Code};
use crate::config::Wallet;

/// The amount in the required field `name`: `check` made sure it is there, and more than 0.00
/// where the spec says `positive`.
pub(crate) fn required_amount(c: &Checked, name: &str) -> Result<Amount, ApiError> {
    c.amount(name)
        .ok_or_else(|| ApiError::new(Code::FieldsNull, format!("`{name}`")))
}

/// The wallet the request names, or else the user's first.
pub(crate) fn wallet(c: &Checked) -> Result<Wallet, ApiError> {
    c.wallet
        .clone()
        .or_else(|| c.user.wallets.first().cloned())
        .ok_or_else(|| ApiError::new(Code::WalletNotAssigned, "the user has no wallet"))
}

/// The organisation (its id, an integer, and name) and the user name of `user_id`.
pub(crate) fn organisation(app: &App, user_id: &str) -> (String, String, String) {
    let index = app
        .config
        .users
        .iter()
        .position(|u| u.user_id == user_id)
        .unwrap_or(0);
    (
        (index + 1).to_string(),
        "Latipay Sandbox".to_owned(),
        format!("Sandbox merchant {user_id}"),
    )
}

/// The name Latipay gives a wallet; the sandbox's are named by their currency.
pub(crate) fn wallet_name(currency: &str) -> String {
    format!("{currency} Wallet")
}
