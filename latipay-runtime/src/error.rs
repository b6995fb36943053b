//! The one error type of the runtime.

use std::fmt;

use latipay_spec::ValueError;

/// Everything that can go wrong preparing, sending or checking a Latipay request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request cannot be signed as it is: a required field is empty, or a value is not what
    /// its spec type accepts. Nothing was sent.
    InvalidRequest(InvalidRequest),
}

/// Why a request cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The endpoint.
    pub endpoint: &'static str,
    /// The field's wire name.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It is required, and empty or `None`.
    Missing,
    /// Its value is not of the field's type.
    Invalid(ValueError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::Missing => write!(
                f,
                "invalid `{}` request: required field `{}` is empty",
                self.endpoint, self.field
            ),
            Problem::Invalid(e) => write!(
                f,
                "invalid `{}` request: field `{}`: {e}",
                self.endpoint, self.field
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<InvalidRequest> for Error {
    fn from(e: InvalidRequest) -> Error {
        Error::InvalidRequest(e)
    }
}
