//! Latipay's result codes (HTTP 200 even for failures; `code` says what happened): GENERATED from `spec/latipay.yaml` by `latipay_spec::codegen`; do not
//! edit. Regenerate with `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models`.

/// A Latipay result code other than 0 (success). Codes the spec does not list are kept
/// as [`Code::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// 1: FAIL (the operation failed).
    Fail,
    /// 3: data error (cancel).
    DataError,
    /// 110: user not exist (cancel).
    UserNotExist,
    /// 201: order not exist.
    OrderNotExist,
    /// 204: some fields from input are null (a required field is missing or null).
    FieldsNull,
    /// 205: no key for the user, or user disabled or inactive.
    NoKeyOrUserInactive,
    /// 206: signature from merchant request is wrong (compare the request's canonical message).
    SignatureWrong,
    /// 207: param is wrong.
    ParamWrong,
    /// 300: gateway not exist.
    GatewayNotExist,
    /// 301: wrong account info or currency info.
    WrongAccountOrCurrency,
    /// 302: pay company not exist.
    PayCompanyNotExist,
    /// 303: wrong pay type from merchant.
    WrongPayType,
    /// 304: wallet does not support this payment method.
    MethodNotSupported,
    /// 305: no margin plan for the merchant.
    NoMarginPlan,
    /// 450: wallet not assigned to user.
    WalletNotAssigned,
    /// 454: exceeds the single payment limit of the merchant.
    ExceedsLimit,
    /// 550: refund parameters wrong.
    RefundParamsWrong,
    /// 551: refund related order does not exist.
    RefundOrderNotExist,
    /// 556: create refund order failed.
    RefundCreateFailed,
    /// 558: refund order does not exist.
    RefundNotExist,
    /// 559: insufficient amount in wallet (or nothing left to refund).
    InsufficientAmount,
    /// 562: this refund request has been done.
    RefundAlreadyDone,
    /// 900: transaction already completed (cancel).
    AlreadyCompleted,
    /// 901: transaction already failed (cancel).
    AlreadyFailed,
    /// A code not in Latipay's documentation.
    Other(i64),
}
impl Code {
    /// The code for `n`.
    pub fn from_i64(n: i64) -> Code {
        match n {
            1i64 => Code::Fail,
            3i64 => Code::DataError,
            110i64 => Code::UserNotExist,
            201i64 => Code::OrderNotExist,
            204i64 => Code::FieldsNull,
            205i64 => Code::NoKeyOrUserInactive,
            206i64 => Code::SignatureWrong,
            207i64 => Code::ParamWrong,
            300i64 => Code::GatewayNotExist,
            301i64 => Code::WrongAccountOrCurrency,
            302i64 => Code::PayCompanyNotExist,
            303i64 => Code::WrongPayType,
            304i64 => Code::MethodNotSupported,
            305i64 => Code::NoMarginPlan,
            450i64 => Code::WalletNotAssigned,
            454i64 => Code::ExceedsLimit,
            550i64 => Code::RefundParamsWrong,
            551i64 => Code::RefundOrderNotExist,
            556i64 => Code::RefundCreateFailed,
            558i64 => Code::RefundNotExist,
            559i64 => Code::InsufficientAmount,
            562i64 => Code::RefundAlreadyDone,
            900i64 => Code::AlreadyCompleted,
            901i64 => Code::AlreadyFailed,
            other => Code::Other(other),
        }
    }
    /// The number Latipay sends.
    pub fn as_i64(self) -> i64 {
        match self {
            Code::Fail => 1i64,
            Code::DataError => 3i64,
            Code::UserNotExist => 110i64,
            Code::OrderNotExist => 201i64,
            Code::FieldsNull => 204i64,
            Code::NoKeyOrUserInactive => 205i64,
            Code::SignatureWrong => 206i64,
            Code::ParamWrong => 207i64,
            Code::GatewayNotExist => 300i64,
            Code::WrongAccountOrCurrency => 301i64,
            Code::PayCompanyNotExist => 302i64,
            Code::WrongPayType => 303i64,
            Code::MethodNotSupported => 304i64,
            Code::NoMarginPlan => 305i64,
            Code::WalletNotAssigned => 450i64,
            Code::ExceedsLimit => 454i64,
            Code::RefundParamsWrong => 550i64,
            Code::RefundOrderNotExist => 551i64,
            Code::RefundCreateFailed => 556i64,
            Code::RefundNotExist => 558i64,
            Code::InsufficientAmount => 559i64,
            Code::RefundAlreadyDone => 562i64,
            Code::AlreadyCompleted => 900i64,
            Code::AlreadyFailed => 901i64,
            Code::Other(n) => n,
        }
    }
    /// What Latipay's documentation says the code means.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::Fail => "FAIL",
            Code::DataError => "data error",
            Code::UserNotExist => "user not exist",
            Code::OrderNotExist => "order not exist",
            Code::FieldsNull => "some fields from input are null",
            Code::NoKeyOrUserInactive => {
                "no key for the user, or user disabled or inactive"
            }
            Code::SignatureWrong => "signature from merchant request is wrong",
            Code::ParamWrong => "param is wrong",
            Code::GatewayNotExist => "gateway not exist",
            Code::WrongAccountOrCurrency => "wrong account info or currency info",
            Code::PayCompanyNotExist => "pay company not exist",
            Code::WrongPayType => "wrong pay type from merchant",
            Code::MethodNotSupported => "wallet does not support this payment method",
            Code::NoMarginPlan => "no margin plan for the merchant",
            Code::WalletNotAssigned => "wallet not assigned to user",
            Code::ExceedsLimit => "exceeds the single payment limit of the merchant",
            Code::RefundParamsWrong => "refund parameters wrong",
            Code::RefundOrderNotExist => "refund related order does not exist",
            Code::RefundCreateFailed => "create refund order failed",
            Code::RefundNotExist => "refund order does not exist",
            Code::InsufficientAmount => "insufficient amount in wallet",
            Code::RefundAlreadyDone => "this refund request has been done",
            Code::AlreadyCompleted => "transaction already completed",
            Code::AlreadyFailed => "transaction already failed",
            Code::Other(_) => "not in Latipay's documentation",
        }
    }
}
impl ::core::fmt::Display for Code {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        write!(f, "{} ({})", self.as_i64(), self.meaning())
    }
}
