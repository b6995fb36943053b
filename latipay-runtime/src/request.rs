//! Enums for the `enum` fields of the built-in requests, usable as their types in a `LatipaySigned` struct: GENERATED from `spec/latipay.yaml` by `latipay_spec::codegen`; do not
//! edit. Regenerate with `LATIPAY_REGENERATE=1 cargo test -p latipay-runtime generated_models`.

/// `is_block` of `query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryIsBlock {
    /// `1`
    V1,
}
impl QueryIsBlock {
    /// The value as it is sent and signed.
    pub fn as_str(&self) -> &'static str {
        <Self as crate::LatipayEnum>::as_str(self)
    }
}
impl ::core::fmt::Display for QueryIsBlock {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::LatipayEnum for QueryIsBlock {
    const VALUES: &'static [&'static str] = &["1"];
    #[inline]
    fn as_str(&self) -> &'static str {
        match self {
            Self::V1 => "1",
        }
    }
}
#[automatically_derived]
impl crate::types::EnumField for QueryIsBlock {
    const __VALUES: &'static [&'static str] = <Self as crate::LatipayEnum>::VALUES;
}
#[automatically_derived]
#[doc(hidden)]
impl crate::__private::WireValue for QueryIsBlock {
    #[inline]
    fn wire_text(
        &self,
        __ty: crate::__private::WireType,
    ) -> ::core::result::Result<
        ::core::option::Option<crate::__private::Text<'_>>,
        crate::ValueError,
    > {
        <str as crate::__private::WireValue>::wire_text(
            <Self as crate::LatipayEnum>::as_str(self),
            __ty,
        )
    }
}
/// `payment_method` of `transaction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionPaymentMethod {
    /// `wechat`
    Wechat,
    /// `alipay`
    Alipay,
    /// `moneymore`
    Moneymore,
    /// `polipay`
    Polipay,
    /// `payid`
    Payid,
    /// `upi_upop`
    UpiUpop,
    /// `coin_payments`
    CoinPayments,
}
impl TransactionPaymentMethod {
    /// The value as it is sent and signed.
    pub fn as_str(&self) -> &'static str {
        <Self as crate::LatipayEnum>::as_str(self)
    }
}
impl ::core::fmt::Display for TransactionPaymentMethod {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::LatipayEnum for TransactionPaymentMethod {
    const VALUES: &'static [&'static str] = &[
        "wechat",
        "alipay",
        "moneymore",
        "polipay",
        "payid",
        "upi_upop",
        "coin_payments",
    ];
    #[inline]
    fn as_str(&self) -> &'static str {
        match self {
            Self::Wechat => "wechat",
            Self::Alipay => "alipay",
            Self::Moneymore => "moneymore",
            Self::Polipay => "polipay",
            Self::Payid => "payid",
            Self::UpiUpop => "upi_upop",
            Self::CoinPayments => "coin_payments",
        }
    }
}
#[automatically_derived]
impl crate::types::EnumField for TransactionPaymentMethod {
    const __VALUES: &'static [&'static str] = <Self as crate::LatipayEnum>::VALUES;
}
#[automatically_derived]
#[doc(hidden)]
impl crate::__private::WireValue for TransactionPaymentMethod {
    #[inline]
    fn wire_text(
        &self,
        __ty: crate::__private::WireType,
    ) -> ::core::result::Result<
        ::core::option::Option<crate::__private::Text<'_>>,
        crate::ValueError,
    > {
        <str as crate::__private::WireValue>::wire_text(
            <Self as crate::LatipayEnum>::as_str(self),
            __ty,
        )
    }
}
/// `present_qr` of `transaction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionPresentQr {
    /// `1`
    V1,
}
impl TransactionPresentQr {
    /// The value as it is sent and signed.
    pub fn as_str(&self) -> &'static str {
        <Self as crate::LatipayEnum>::as_str(self)
    }
}
impl ::core::fmt::Display for TransactionPresentQr {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::LatipayEnum for TransactionPresentQr {
    const VALUES: &'static [&'static str] = &["1"];
    #[inline]
    fn as_str(&self) -> &'static str {
        match self {
            Self::V1 => "1",
        }
    }
}
#[automatically_derived]
impl crate::types::EnumField for TransactionPresentQr {
    const __VALUES: &'static [&'static str] = <Self as crate::LatipayEnum>::VALUES;
}
#[automatically_derived]
#[doc(hidden)]
impl crate::__private::WireValue for TransactionPresentQr {
    #[inline]
    fn wire_text(
        &self,
        __ty: crate::__private::WireType,
    ) -> ::core::result::Result<
        ::core::option::Option<crate::__private::Text<'_>>,
        crate::ValueError,
    > {
        <str as crate::__private::WireValue>::wire_text(
            <Self as crate::LatipayEnum>::as_str(self),
            __ty,
        )
    }
}
/// `host_type` of `transaction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionHostType {
    /// `1`
    V1,
}
impl TransactionHostType {
    /// The value as it is sent and signed.
    pub fn as_str(&self) -> &'static str {
        <Self as crate::LatipayEnum>::as_str(self)
    }
}
impl ::core::fmt::Display for TransactionHostType {
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        __f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl crate::LatipayEnum for TransactionHostType {
    const VALUES: &'static [&'static str] = &["1"];
    #[inline]
    fn as_str(&self) -> &'static str {
        match self {
            Self::V1 => "1",
        }
    }
}
#[automatically_derived]
impl crate::types::EnumField for TransactionHostType {
    const __VALUES: &'static [&'static str] = <Self as crate::LatipayEnum>::VALUES;
}
#[automatically_derived]
#[doc(hidden)]
impl crate::__private::WireValue for TransactionHostType {
    #[inline]
    fn wire_text(
        &self,
        __ty: crate::__private::WireType,
    ) -> ::core::result::Result<
        ::core::option::Option<crate::__private::Text<'_>>,
        crate::ValueError,
    > {
        <str as crate::__private::WireValue>::wire_text(
            <Self as crate::LatipayEnum>::as_str(self),
            __ty,
        )
    }
}
