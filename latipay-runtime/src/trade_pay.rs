//! The Alipay mini app side: what the `resultCode` of `my.tradePay` means (its `orderStr` is
//! [`crate::response::MiniAlipay::order_str`]).

use std::fmt;
use std::str::FromStr;

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

/// Why a `resultCode` text is not a result code (see [`TradePayResult`]'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTradePayResultError {
    kind: ParseErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParseErrorKind {
    Empty,
    NotDigits,
    TooLarge,
}

impl fmt::Display for ParseTradePayResultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ParseErrorKind::Empty => "empty tradePay resultCode",
            ParseErrorKind::NotDigits => "tradePay resultCode is not made of ASCII digits only",
            ParseErrorKind::TooLarge => "tradePay resultCode is too large",
        })
    }
}

impl std::error::Error for ParseTradePayResultError {}

/// Reads a `resultCode` as the mini app reports it (`"9000"`): ASCII digits only, nothing trimmed,
/// no sign, no decimal point.
impl FromStr for TradePayResult {
    type Err = ParseTradePayResultError;

    fn from_str(s: &str) -> Result<TradePayResult, ParseTradePayResultError> {
        let kind = if s.is_empty() {
            ParseErrorKind::Empty
        } else if !s.bytes().all(|b| b.is_ascii_digit()) {
            ParseErrorKind::NotDigits
        } else {
            // Only digits are left, so the sole possible failure is overflow.
            return s
                .parse::<i64>()
                .map(TradePayResult::from_code)
                .map_err(|_| ParseTradePayResultError {
                    kind: ParseErrorKind::TooLarge,
                });
        };
        Err(ParseTradePayResultError { kind })
    }
}

impl TradePayResult {
    /// The result for a `resultCode` as JSON: a string of ASCII digits (`"9000"`, what `my.tradePay`
    /// reports) or a non-negative integer (`9000`, what some wrappers pass). Anything else (a
    /// fraction such as `9000.0` or `9000.5`, a negative number, `null`, a boolean, ...) is `None`.
    pub fn from_json(value: &serde_json::Value) -> Option<TradePayResult> {
        match value {
            serde_json::Value::String(s) => s.parse().ok(),
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|c| i64::try_from(c).ok())
                .map(TradePayResult::from_code),
            _ => None,
        }
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

    #[test]
    fn parses_result_code_text() {
        assert_eq!(
            "9000".parse::<TradePayResult>(),
            Ok(TradePayResult::Success)
        );
        assert_eq!(
            "6001".parse::<TradePayResult>(),
            Ok(TradePayResult::Cancelled)
        );
        assert_eq!(
            "99".parse::<TradePayResult>(),
            Ok(TradePayResult::ForgotPassword)
        );
        assert_eq!(
            "1234".parse::<TradePayResult>(),
            Ok(TradePayResult::Other(1234))
        );
        for bad in [
            "abc",
            "",
            "9000.0",
            " 9000",
            "9000 ",
            "+9000",
            "-9000",
            "9e3",
            "９０００",
        ] {
            assert!(
                bad.parse::<TradePayResult>().is_err(),
                "{bad:?} was accepted"
            );
        }
        let too_large = "99999999999999999999"
            .parse::<TradePayResult>()
            .unwrap_err();
        assert_eq!(too_large.to_string(), "tradePay resultCode is too large");
        let empty = "".parse::<TradePayResult>().unwrap_err();
        assert_eq!(empty.to_string(), "empty tradePay resultCode");
        let err: Box<dyn std::error::Error> =
            Box::new("abc".parse::<TradePayResult>().unwrap_err());
        assert_eq!(
            err.to_string(),
            "tradePay resultCode is not made of ASCII digits only"
        );
    }

    #[test]
    fn reads_result_code_from_json_string_or_integer() {
        use serde_json::json;
        assert_eq!(
            TradePayResult::from_json(&json!("9000")),
            Some(TradePayResult::Success)
        );
        assert_eq!(
            TradePayResult::from_json(&json!(9000)),
            Some(TradePayResult::Success)
        );
        assert_eq!(
            TradePayResult::from_json(&json!("6001")),
            Some(TradePayResult::Cancelled)
        );
        assert_eq!(
            TradePayResult::from_json(&json!("1234")),
            Some(TradePayResult::Other(1234))
        );
        assert_eq!(
            TradePayResult::from_json(&json!(1234)),
            Some(TradePayResult::Other(1234))
        );
        let parsed: serde_json::Value = serde_json::from_str("9000.0").unwrap();
        assert_eq!(TradePayResult::from_json(&parsed), None);
        for bad in [
            json!("abc"),
            json!(""),
            json!("9000.0"),
            json!(9000.5),
            json!(-9000),
            json!(u64::MAX),
            json!(null),
            json!(true),
            json!(["9000"]),
            json!({"resultCode": "9000"}),
        ] {
            assert_eq!(TradePayResult::from_json(&bad), None, "{bad} was accepted");
        }
    }

    /// Every documented `resultCode` (the table in Latipay's Alipay mini app guide, after
    /// Alipay's `my.tradePay` reference): its meaning in English and as Alipay writes it, whether
    /// only the server's word may settle it, and whether the customer may simply try again. A
    /// result that may have succeeded (9000, 8000, 6004) is never one to retry: paying again
    /// could charge twice.
    #[test]
    fn documented_codes_mean_what_the_table_says() {
        use TradePayResult::*;
        let table: [(i64, TradePayResult, &str, &str, bool, bool); 7] = [
            (
                9000,
                Success,
                "order processed successfully",
                "订单处理成功",
                true,
                false,
            ),
            (
                8000,
                Processing,
                "processing; the result is unknown (it may have succeeded)",
                "正在处理中。支付结果未知（有可能已经支付成功）。",
                true,
                false,
            ),
            (
                4000,
                Failed,
                "order processing failed",
                "订单处理失败。",
                false,
                false,
            ),
            (
                6001,
                Cancelled,
                "the customer cancelled midway",
                "用户中途取消。",
                false,
                true,
            ),
            (
                6002,
                NetworkError,
                "network error",
                "网络连接出错。",
                true,
                true,
            ),
            (
                6004,
                Unknown,
                "the result is unknown (it may have succeeded)",
                "处理结果未知（有可能已经成功）。",
                true,
                false,
            ),
            (
                99,
                ForgotPassword,
                "the customer tapped \"forgot password\" and left",
                "iOS 客户端用户点击忘记密码导致快捷界面退出。",
                true,
                true,
            ),
        ];
        for (code, result, meaning, meaning_cn, confirm, retry) in table {
            assert_eq!(TradePayResult::from_code(code), result);
            assert_eq!(code.to_string().parse::<TradePayResult>(), Ok(result));
            assert_eq!(result.code(), code);
            assert_eq!(result.meaning(), meaning, "{code}");
            assert_eq!(result.meaning_cn(), meaning_cn, "{code}");
            assert_eq!(result.must_confirm_by_query(), confirm, "{code}");
            assert_eq!(result.can_retry(), retry, "{code}");
            assert_eq!(result.to_string(), format!("{code} ({meaning})"));
        }
        // Any other code: kept, not documented, confirmed by the server, not retried blindly.
        for code in [0, 1, 9001, 6003, -1, i64::MAX] {
            let other = TradePayResult::from_code(code);
            assert_eq!(other, Other(code));
            assert_eq!(other.code(), code);
            assert_eq!(other.meaning(), "not a documented result code");
            assert_eq!(other.meaning_cn(), "未知结果码");
            assert!(other.must_confirm_by_query(), "{code}");
            assert!(!other.can_retry(), "{code}");
            assert_eq!(
                other.to_string(),
                format!("{code} (not a documented result code)")
            );
        }
        // Every meaning is its own: none says another code's words.
        let mut meanings: Vec<&str> = table.iter().map(|row| row.2).collect();
        meanings.push(Other(1).meaning());
        let count = meanings.len();
        meanings.sort_unstable();
        meanings.dedup();
        assert_eq!(meanings.len(), count);
    }
}
