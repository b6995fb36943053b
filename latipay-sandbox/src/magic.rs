//! Magic amounts: the cents of an amount pick a scenario, so a test reaches it with one request
//! and no admin call. Every other amount behaves normally (the order waits for the admin routes).

use latipay_spec::Amount;

/// What an amount asks the sandbox to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Magic {
    /// No scenario: normal behaviour.
    #[default]
    None,
    /// `.06`: the request is refused with code 206, even when its signature is right.
    RejectSignature,
    /// `.51`: the order is created and its payment fails at once.
    Fail,
    /// `.52`: the order is created and paid at once.
    Pay,
    /// `.54`: refused with code 454, over the merchant's single payment limit.
    OverLimit,
    /// `.56`: paid at once, but the notification carries a wrong signature.
    PayBadNotification,
    /// `.57`: paid at once, and the notification is delivered twice (test idempotency).
    PayDuplicateNotification,
}

/// Every magic ending, what it does, for the docs and `GET /sandbox`.
pub const MAGIC_AMOUNTS: &[(&str, &str)] = &[
    (
        ".06",
        "request refused with code 206 (signature wrong), whatever its signature",
    ),
    (
        ".51",
        "order created, then its payment fails at once (notification status failed)",
    ),
    (
        ".52",
        "order created and paid at once (notification status paid)",
    ),
    (
        ".54",
        "request refused with code 454 (exceeds the single payment limit)",
    ),
    (
        ".56",
        "paid at once, but the notification's signature is wrong",
    ),
    (
        ".57",
        "paid at once, and the same notification is delivered twice",
    ),
];

impl Magic {
    /// The scenario an amount selects.
    pub fn of(amount: Amount) -> Magic {
        match amount.cents() % 100 {
            6 => Magic::RejectSignature,
            51 => Magic::Fail,
            52 => Magic::Pay,
            54 => Magic::OverLimit,
            56 => Magic::PayBadNotification,
            57 => Magic::PayDuplicateNotification,
            _ => Magic::None,
        }
    }

    /// The same for an amount text; texts that are not amounts select nothing.
    pub fn of_text(text: &str) -> Magic {
        Amount::parse(text).map(Magic::of).unwrap_or(Magic::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_pick_the_scenario() {
        assert_eq!(Magic::of_text("120.00"), Magic::None);
        assert_eq!(Magic::of_text("1.06"), Magic::RejectSignature);
        assert_eq!(Magic::of_text("0.51"), Magic::Fail);
        assert_eq!(Magic::of_text("10.52"), Magic::Pay);
        assert_eq!(Magic::of_text("10.5"), Magic::None);
        assert_eq!(Magic::of_text("x"), Magic::None);
        assert_eq!(MAGIC_AMOUNTS.len(), 6);
    }
}
