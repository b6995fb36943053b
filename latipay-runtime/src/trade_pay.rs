//! The Alipay mini app side: what the `resultCode` of `my.tradePay` means (its `orderStr` is
//! [`crate::response::MiniAlipay::order_str`]).

use std::fmt;

/// The `resultCode` of Alipay's `my.tradePay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TradePayResult {
    /// 9000: the order was processed successfully.
    Success,
    /// 8000: still processing; the result is unknown and it may have succeeded.
    Processing,
    /// 4000: the order failed.
    Failed,
    /// 6001: the customer cancelled.
    Cancelled,
    /// 6002: network error.
    NetworkError,
    /// 6004: the result is unknown; it may have succeeded.
    Unknown,
    /// 99: the customer tapped "forgot password" (iOS) and left.
    ForgotPassword,
    /// Any other code.
    Other(i64),
}

impl TradePayResult {
    /// The result for a `resultCode`.
    pub fn from_code(code: i64) -> TradePayResult {
        match code {
            9000 => TradePayResult::Success,
            8000 => TradePayResult::Processing,
            4000 => TradePayResult::Failed,
            6001 => TradePayResult::Cancelled,
            6002 => TradePayResult::NetworkError,
            6004 => TradePayResult::Unknown,
            99 => TradePayResult::ForgotPassword,
            other => TradePayResult::Other(other),
        }
    }

    /// The code.
    pub fn code(self) -> i64 {
        match self {
            TradePayResult::Success => 9000,
            TradePayResult::Processing => 8000,
            TradePayResult::Failed => 4000,
            TradePayResult::Cancelled => 6001,
            TradePayResult::NetworkError => 6002,
            TradePayResult::Unknown => 6004,
            TradePayResult::ForgotPassword => 99,
            TradePayResult::Other(c) => c,
        }
    }

    /// What it means, in English.
    pub fn meaning(self) -> &'static str {
        match self {
            TradePayResult::Success => "order processed successfully",
            TradePayResult::Processing => {
                "processing; the result is unknown (it may have succeeded)"
            }
            TradePayResult::Failed => "order processing failed",
            TradePayResult::Cancelled => "the customer cancelled midway",
            TradePayResult::NetworkError => "network error",
            TradePayResult::Unknown => "the result is unknown (it may have succeeded)",
            TradePayResult::ForgotPassword => "the customer tapped \"forgot password\" and left",
            TradePayResult::Other(_) => "not a documented result code",
        }
    }

    /// What it means, as Alipay's documentation says it.
    pub fn meaning_cn(self) -> &'static str {
        match self {
            TradePayResult::Success => "订单处理成功",
            TradePayResult::Processing => "正在处理中。支付结果未知（有可能已经支付成功）。",
            TradePayResult::Failed => "订单处理失败。",
            TradePayResult::Cancelled => "用户中途取消。",
            TradePayResult::NetworkError => "网络连接出错。",
            TradePayResult::Unknown => "处理结果未知（有可能已经成功）。",
            TradePayResult::ForgotPassword => "iOS 客户端用户点击忘记密码导致快捷界面退出。",
            TradePayResult::Other(_) => "未知结果码",
        }
    }

    /// Whether the payment's outcome must be confirmed with the `query` endpoint (or the
    /// notification) before the order is treated as paid or not. Only the server's word counts:
    /// even 9000 is confirmed, since the app's report is not signed.
    pub fn must_confirm_by_query(self) -> bool {
        !matches!(self, TradePayResult::Cancelled | TradePayResult::Failed)
    }

    /// Whether the customer may simply try again.
    pub fn can_retry(self) -> bool {
        matches!(
            self,
            TradePayResult::Cancelled
                | TradePayResult::NetworkError
                | TradePayResult::ForgotPassword
        )
    }
}

impl fmt::Display for TradePayResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.meaning())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in [9000, 8000, 4000, 6001, 6002, 6004, 99, 12] {
            assert_eq!(TradePayResult::from_code(c).code(), c);
        }
        assert!(TradePayResult::Processing.must_confirm_by_query());
        assert!(TradePayResult::Unknown.must_confirm_by_query());
        assert!(!TradePayResult::Cancelled.must_confirm_by_query());
        assert_eq!(
            TradePayResult::from_code(6004).meaning_cn(),
            "处理结果未知（有可能已经成功）。"
        );
    }
}
