//! A client for code without an async runtime: the async client driven by a runtime of its own.

use crate::{Credentials, Environment, Error, LatipaySigned, SendOptions};

/// The blocking counterpart of [`crate::Client`]. Do not use it inside an async runtime; use the
/// async client there.
#[derive(Debug)]
pub struct Client {
    inner: crate::Client,
    runtime: tokio::runtime::Runtime,
}

impl Client {
    /// Wraps an async client built with [`crate::Client::builder`].
    pub fn from_async(inner: crate::Client) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        Ok(Client { inner, runtime })
    }

    /// A client with default settings.
    pub fn new(credentials: Credentials, environment: Environment) -> Result<Client, Error> {
        Client::from_async(crate::Client::new(credentials, environment)?)
    }

    /// Signs and sends `request`; see [`crate::Client::send`].
    pub fn send<R: LatipaySigned>(&self, request: &R) -> Result<R::Response, Error> {
        self.runtime.block_on(self.inner.send(request))
    }

    /// [`Client::send`] with per-request settings.
    pub fn send_with<R: LatipaySigned>(
        &self,
        request: &R,
        options: SendOptions,
    ) -> Result<R::Response, Error> {
        self.runtime
            .block_on(self.inner.send_with(request, options))
    }
}
