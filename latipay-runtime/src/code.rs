//! Latipay's result codes. Latipay answers HTTP 200 even for failures; `code` says what happened.

use std::fmt;

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $n:literal, $text:literal;)*) => {
        /// A Latipay result code other than 0 (success). Codes this crate does not know are kept
        /// as [`Code::Other`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $name,)*
            /// A code not in Latipay's documentation.
            Other(i64),
        }

        impl Code {
            /// The code for `n`.
            pub fn from_i64(n: i64) -> Code {
                match n {
                    $($n => Code::$name,)*
                    other => Code::Other(other),
                }
            }

            /// The number Latipay sends.
            pub fn as_i64(self) -> i64 {
                match self {
                    $(Code::$name => $n,)*
                    Code::Other(n) => n,
                }
            }

            /// What Latipay's documentation says the code means.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$name => $text,)*
                    Code::Other(_) => "not in Latipay's documentation",
                }
            }
        }
    };
}

codes! {
    /// 1: the operation failed.
    Fail = 1, "FAIL";
    /// 3: data error (cancel).
    DataError = 3, "data error";
    /// 110: the user does not exist (cancel).
    UserNotExist = 110, "user not exist";
    /// 201: the order does not exist.
    OrderNotExist = 201, "order not exist";
    /// 204: some required fields are null or missing.
    FieldsNull = 204, "some fields from input are null";
    /// 205: no key for the user, or the user is disabled or inactive.
    NoKeyOrUserInactive = 205, "no key for the user, or user disabled or inactive";
    /// 206: the request's signature is wrong.
    SignatureWrong = 206, "signature from merchant request is wrong";
    /// 207: a parameter is wrong.
    ParamWrong = 207, "param is wrong";
    /// 300: the gateway does not exist.
    GatewayNotExist = 300, "gateway not exist";
    /// 301: wrong account or currency information.
    WrongAccountOrCurrency = 301, "wrong account info or currency info";
    /// 302: the payment company does not exist.
    PayCompanyNotExist = 302, "pay company not exist";
    /// 303: wrong payment type.
    WrongPayType = 303, "wrong pay type from merchant";
    /// 304: the wallet does not support this payment method.
    MethodNotSupported = 304, "wallet does not support this payment method";
    /// 305: no margin plan for the merchant.
    NoMarginPlan = 305, "no margin plan for the merchant";
    /// 450: the wallet is not assigned to the user.
    WalletNotAssigned = 450, "wallet not assigned to user";
    /// 454: the amount exceeds the merchant's single payment limit.
    ExceedsLimit = 454, "exceeds the single payment limit of the merchant";
    /// 550: refund parameters are wrong.
    RefundParamsWrong = 550, "refund parameters wrong";
    /// 551: the order to refund does not exist.
    RefundOrderNotExist = 551, "refund related order does not exist";
    /// 556: creating the refund failed.
    RefundCreateFailed = 556, "create refund order failed";
    /// 558: the refund does not exist.
    RefundNotExist = 558, "refund order does not exist";
    /// 559: not enough money in the wallet (or nothing left to refund).
    InsufficientAmount = 559, "insufficient amount in wallet";
    /// 562: this refund has been done already.
    RefundAlreadyDone = 562, "this refund request has been done";
    /// 900: the transaction is already completed (cancel).
    AlreadyCompleted = 900, "transaction already completed";
    /// 901: the transaction already failed (cancel).
    AlreadyFailed = 901, "transaction already failed";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.as_i64(), self.meaning())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn round_trips_and_keeps_unknown_codes() {
        for n in [
            1, 3, 110, 201, 204, 205, 206, 207, 300, 301, 302, 303, 304, 305, 450, 454, 550, 551,
            556, 558, 559, 562, 900, 901,
        ] {
            let c = Code::from_i64(n);
            assert!(!matches!(c, Code::Other(_)), "{n}");
            assert_eq!(c.as_i64(), n);
        }
        assert_eq!(Code::from_i64(777), Code::Other(777));
        assert_eq!(
            Code::SignatureWrong.to_string(),
            "206 (signature from merchant request is wrong)"
        );
    }
}
