//! Latipay's result codes as the sandbox answers them, and its error body `{code, message,
//! messageCN}`, sent with HTTP 200 as the real API does (transport problems keep their HTTP status,
//! with the same body shape).
//!
//! The numbers and English messages are the built-in spec's (`codes:` in `spec/latipay.yaml`),
//! looked up by name once; the sandbox only names the codes it answers with. The Chinese messages
//! (`messageCN`) are the sandbox's own wording: the spec does not declare them.

use std::sync::LazyLock;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Declares [`Code`]: each variant with its name in the spec and the sandbox's `messageCN`.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $cn:literal;)*) => {
        /// A result code the sandbox answers with, named as in the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code the sandbox answers with, in declaration order (the index of a code's
            /// row in the looked-up table).
            pub(crate) const ALL: &[Code] = &[$(Code::$variant),*];

            /// Its name in the spec (`signature_wrong`).
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The Chinese message (`messageCN`): the sandbox's own wording.
            pub(crate) fn message_cn(self) -> &'static str {
                match self {
                    $(Code::$variant => $cn,)*
                }
            }
        }
    };
}

codes! {
    /// Generic failure (also: a merchant_reference used twice, transport-level problems).
    Fail = "fail", "操作失败";
    /// No such order (or invoice).
    OrderNotExist = "order_not_exist", "订单不存在";
    /// A required field is missing or null.
    FieldsNull = "fields_null", "输入字段为空";
    /// Unknown user, or user without a key.
    NoKey = "no_key_or_user_inactive", "用户无密钥或已停用";
    /// The request's signature is wrong.
    SignatureWrong = "signature_wrong", "商户请求签名错误";
    /// A value has the wrong type or is not allowed.
    ParamWrong = "param_wrong", "参数错误";
    /// The wallet does not belong to the user.
    WalletNotAssigned = "wallet_not_assigned", "钱包未分配给该用户";
    /// Over the merchant's single payment limit.
    ExceedsLimit = "exceeds_limit", "超过商户单笔支付限额";
    /// The refund's parameters are wrong (the order is not paid, the amount is zero).
    RefundParamsWrong = "refund_params_wrong", "退款参数错误";
    /// The order to refund does not exist.
    RefundOrderNotExist = "refund_order_not_exist", "退款关联订单不存在";
    /// More than what is left to refund.
    InsufficientAmount = "insufficient_amount", "钱包余额不足";
    /// This refund was already done.
    RefundAlreadyDone = "refund_already_done", "该退款请求已处理";
    /// Cancel: the transaction is already paid.
    AlreadyCompleted = "already_completed", "交易已完成";
    /// Cancel: the transaction already failed or was canceled.
    AlreadyFailed = "already_failed", "交易已失败";
}

/// The envelope of every successful answer: code, message, messageCN. The spec lists Latipay's
/// codes other than 0, so success is written here.
pub(crate) const SUCCESS: (i64, &str, &str) = (0, "SUCCESS", "操作成功");

/// The spec's number and message of each [`Code`], in [`Code::ALL`]'s order, looked up once.
static TABLE: LazyLock<Vec<(i64, &'static str)>> = LazyLock::new(|| {
    let spec = latipay_spec::builtin();
    Code::ALL
        .iter()
        .map(|code| match spec.code(code.name()) {
            Some(declared) => (declared.code, declared.message.as_str()),
            // A sandbox bug that `every_code_is_in_the_spec` catches: answered as Latipay's
            // generic failure, with the name as message so it cannot pass for Latipay's text.
            None => {
                tracing::error!(
                    code = code.name(),
                    "the built-in spec has no such result code"
                );
                (1, code.name())
            }
        })
        .collect()
});

impl Code {
    /// The spec's row for this code.
    fn row(self) -> (i64, &'static str) {
        TABLE
            .get(self as usize)
            .copied()
            .unwrap_or((1, self.name()))
    }

    /// The number Latipay sends (`206`).
    pub(crate) fn number(self) -> i64 {
        self.row().0
    }

    /// Latipay's English message (`signature from merchant request is wrong`).
    pub(crate) fn message(self) -> &'static str {
        self.row().1
    }
}

/// A refusal: a Latipay code, a message saying what to fix, and the HTTP status (200 for
/// everything Latipay itself answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Latipay's code.
    pub code: Code,
    /// What went wrong, starting with Latipay's message for the code.
    pub message: String,
}

impl ApiError {
    /// A Latipay answer with HTTP 200: the code's message, then `detail`.
    pub fn new(code: Code, detail: impl AsRef<str>) -> ApiError {
        let detail = detail.as_ref();
        let message = if detail.is_empty() {
            code.message().to_owned()
        } else {
            format!("{}: {detail}", code.message())
        };
        ApiError {
            status: StatusCode::OK,
            code,
            message,
        }
    }

    /// A transport-level problem (unknown path, wrong content type...) with its HTTP status.
    pub fn http(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: Code::Fail,
            message: message.into(),
        }
    }
}

/// The body Latipay sends with every failure.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorBody<'a> {
    /// The code.
    pub code: i64,
    /// English message.
    pub message: &'a str,
    /// Chinese message.
    #[serde(rename = "messageCN")]
    pub message_cn: &'a str,
}

impl ErrorBody<'_> {
    /// The body of a refusal with `code` and `message`.
    pub fn new(code: Code, message: &str) -> ErrorBody<'_> {
        ErrorBody {
            code: code.number(),
            message,
            message_cn: code.message_cn(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody::new(self.code, &self.message))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the sandbox answers with is declared by the built-in spec, so none falls back.
    #[test]
    fn every_code_is_in_the_spec() {
        let spec = latipay_spec::builtin();
        for (i, code) in Code::ALL.iter().enumerate() {
            assert_eq!(*code as usize, i, "Code::ALL is in declaration order");
            let declared = spec
                .code(code.name())
                .unwrap_or_else(|| panic!("the built-in spec has no code `{}`", code.name()));
            assert_eq!(code.number(), declared.code);
            assert_eq!(code.message(), declared.message);
            assert!(!code.message_cn().is_empty());
        }
    }

    #[test]
    fn the_error_body_is_latipays() {
        let e = ApiError::new(Code::SignatureWrong, "expected ...");
        assert_eq!(e.status, StatusCode::OK);
        let body = serde_json::to_string(&ErrorBody::new(e.code, &e.message)).unwrap();
        assert_eq!(
            body,
            r#"{"code":206,"message":"signature from merchant request is wrong: expected ...","messageCN":"商户请求签名错误"}"#
        );
        let e = ApiError::http(StatusCode::NOT_FOUND, "no such path");
        let body = serde_json::to_string(&ErrorBody::new(e.code, &e.message)).unwrap();
        assert_eq!(
            body,
            r#"{"code":1,"message":"no such path","messageCN":"操作失败"}"#
        );
    }
}
