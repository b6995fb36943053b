//! A client for code without an async runtime: the async client driven by a runtime of its own.
//!
//! It blocks the calling thread until Latipay answers, so it is for code that runs outside any
//! Tokio runtime: a plain `fn main`, a thread of your own, a synchronous web framework. Inside a
//! Tokio runtime (an `async fn`, the body of `#[tokio::main]` or `#[tokio::test]`, a task, and
//! also the threads of Tokio's `spawn_blocking`, which carry the runtime's context) building or
//! using it is an [`Error::Config`] that says what to do instead, never a panic: blocking there
//! would stall the runtime, or deadlock it when the server it waits for runs on the same runtime.
//! Use the async [`crate::Client`] there and `.await` its calls.

use crate::{Credentials, Environment, Error, LatipaySigned, SendOptions};

/// The blocking counterpart of [`crate::Client`], for code outside any Tokio runtime; inside one,
/// building it and sending with it are an [`Error::Config`] (see the [module](self)).
#[derive(Debug)]
pub struct Client {
    inner: crate::Client,
    /// `None` only while dropping (see the `Drop` impl).
    runtime: Option<tokio::runtime::Runtime>,
}

/// Refuses to block inside a Tokio runtime, where Tokio would panic (or the runtime would stall);
/// `doing` is what the caller was about to do.
fn outside_a_runtime(doing: &str) -> Result<(), Error> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Ok(());
    }
    Err(Error::Config(format!(
        "latipay_runtime::blocking::Client cannot {doing} inside a Tokio runtime: it would block \
         the runtime's thread until Latipay answers. Inside a runtime use the async \
         latipay_runtime::Client and `.await` its calls (the same methods); keep the blocking \
         client for code outside any runtime (a plain `fn main`, or a thread of your own started \
         with std::thread::spawn)"
    )))
}

impl Client {
    /// Wraps an async client built with [`crate::Client::builder`]. Inside a Tokio runtime this
    /// is an [`Error::Config`] saying to use the async client there.
    pub fn from_async(inner: crate::Client) -> Result<Client, Error> {
        outside_a_runtime("be built")?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        Ok(Client {
            inner,
            runtime: Some(runtime),
        })
    }

    /// A client with default settings.
    pub fn new(credentials: Credentials, environment: Environment) -> Result<Client, Error> {
        Client::from_async(crate::Client::new(credentials, environment)?)
    }

    /// Signs and sends `request`; see [`crate::Client::send`]. Inside a Tokio runtime this is an
    /// [`Error::Config`] saying to use the async client there; nothing is sent.
    pub fn send<R: LatipaySigned>(&self, request: &R) -> Result<R::Response, Error> {
        self.block_on(self.inner.send(request))
    }

    /// [`Client::send`] with per-request settings.
    pub fn send_with<R: LatipaySigned>(
        &self,
        request: &R,
        options: SendOptions,
    ) -> Result<R::Response, Error> {
        self.block_on(self.inner.send_with(request, options))
    }

    fn block_on<T>(
        &self,
        future: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        outside_a_runtime("send a request")?;
        match &self.runtime {
            Some(runtime) => runtime.block_on(future),
            None => unreachable!("the runtime is taken only when the client is dropped"),
        }
    }
}

impl Drop for Client {
    /// A client built outside a runtime may be dropped inside one (moved into a task, say), where
    /// dropping its runtime the ordinary way would panic: it is then shut down without waiting.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}
