//! Latipay's result codes and its error body, `{code, message, messageCN}`, sent with HTTP 200
//! as the real API does (transport problems keep their HTTP status, with the same body shape).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Success.
pub const OK: u32 = 0;
/// Generic failure (also: a merchant_reference used twice, transport-level problems).
pub const FAIL: u32 = 1;
/// No such order (or invoice).
pub const ORDER_NOT_EXIST: u32 = 201;
/// A required field is missing or null.
pub const FIELD_NULL: u32 = 204;
/// Unknown user, or user without a key.
pub const NO_KEY: u32 = 205;
/// The request's signature is wrong.
pub const BAD_SIGNATURE: u32 = 206;
/// A value has the wrong type or is not allowed.
pub const PARAM_WRONG: u32 = 207;
/// The wallet does not belong to the user.
pub const WALLET_NOT_ASSIGNED: u32 = 450;
/// Over the merchant's single payment limit.
pub const OVER_LIMIT: u32 = 454;
/// The refund's parameters are wrong (the order is not paid, the amount is zero).
pub const REFUND_PARAMS: u32 = 550;
/// The order to refund does not exist.
pub const REFUND_ORDER_NOT_EXIST: u32 = 551;
/// More than what is left to refund.
pub const INSUFFICIENT: u32 = 559;
/// This refund was already done.
pub const REFUND_DONE: u32 = 562;
/// Cancel: the transaction is already paid.
pub const ALREADY_COMPLETED: u32 = 900;
/// Cancel: the transaction already failed or was canceled.
pub const ALREADY_FAILED: u32 = 901;

/// Latipay's English summary of a code.
pub fn summary(code: u32) -> &'static str {
    match code {
        OK => "SUCCESS",
        ORDER_NOT_EXIST => "order not exist",
        FIELD_NULL => "some fields from input are null",
        NO_KEY => "no key for the user, or user disabled or inactive",
        BAD_SIGNATURE => "signature from merchant request is wrong",
        PARAM_WRONG => "param is wrong",
        WALLET_NOT_ASSIGNED => "wallet not assigned to user",
        OVER_LIMIT => "exceeds the single payment limit of the merchant",
        REFUND_PARAMS => "refund parameters wrong",
        REFUND_ORDER_NOT_EXIST => "refund related order does not exist",
        INSUFFICIENT => "insufficient amount in wallet",
        REFUND_DONE => "this refund request has been done",
        ALREADY_COMPLETED => "transaction already completed",
        ALREADY_FAILED => "transaction already failed",
        _ => "FAIL",
    }
}

/// The Chinese message for a code (`messageCN`).
pub fn message_cn(code: u32) -> &'static str {
    match code {
        OK => "操作成功",
        ORDER_NOT_EXIST => "订单不存在",
        FIELD_NULL => "输入字段为空",
        NO_KEY => "用户无密钥或已停用",
        BAD_SIGNATURE => "商户请求签名错误",
        PARAM_WRONG => "参数错误",
        WALLET_NOT_ASSIGNED => "钱包未分配给该用户",
        OVER_LIMIT => "超过商户单笔支付限额",
        REFUND_PARAMS => "退款参数错误",
        REFUND_ORDER_NOT_EXIST => "退款关联订单不存在",
        INSUFFICIENT => "钱包余额不足",
        REFUND_DONE => "该退款请求已处理",
        ALREADY_COMPLETED => "交易已完成",
        ALREADY_FAILED => "交易已失败",
        _ => "操作失败",
    }
}

/// A refusal: a Latipay code, a message saying what to fix, and the HTTP status (200 for
/// everything Latipay itself answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Latipay's code.
    pub code: u32,
    /// What went wrong, starting with Latipay's summary of the code.
    pub message: String,
}

impl ApiError {
    /// A Latipay answer with HTTP 200: the code's summary, then `detail`.
    pub fn new(code: u32, detail: impl AsRef<str>) -> ApiError {
        let detail = detail.as_ref();
        let message = if detail.is_empty() {
            summary(code).to_owned()
        } else {
            format!("{}: {detail}", summary(code))
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
            code: FAIL,
            message: message.into(),
        }
    }
}

/// The body Latipay sends with every failure.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The code.
    pub code: u32,
    /// English message.
    pub message: &'a str,
    /// Chinese message.
    #[serde(rename = "messageCN")]
    pub message_cn: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
            message_cn: message_cn(self.code),
        };
        (self.status, Json(body)).into_response()
    }
}
