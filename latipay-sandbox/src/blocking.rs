//! The sandbox for tests without an async runtime: it runs on a runtime of its own, and every
//! method of [`Sandbox`] is reachable through it (the waits block).

use std::io;
use std::ops::Deref;
use std::time::Duration;

use crate::config::Config;
use crate::control::ControlError;
use crate::server::Sandbox;
use crate::state::Delivery;

/// A [`Sandbox`] running on its own runtime, for tests that have none (a plain `#[test]`, the
/// blocking client). It stops when dropped.
///
/// ```no_run
/// use latipay_sandbox::{BlockingSandbox, Config};
///
/// let sandbox = BlockingSandbox::start(Config::ephemeral())?;
/// println!("Latipay is at {}", sandbox.url());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct BlockingSandbox {
    // Dropped before the runtime it runs on.
    sandbox: Option<Sandbox>,
    // Only taken when dropped.
    runtime: Option<tokio::runtime::Runtime>,
}

/// The error of a blocking call made where it would stall an async runtime.
fn inside_runtime(what: &str) -> String {
    format!(
        "BlockingSandbox::{what} was called inside an async runtime, where blocking would stall \
         it; in async code use `Sandbox::start(config).await` and its async methods"
    )
}

impl BlockingSandbox {
    /// Starts the sandbox on a runtime of its own (two worker threads), as [`Sandbox::start`]
    /// does. Called inside an async runtime it is an error: use [`Sandbox::start`] there.
    pub fn start(config: Config) -> io::Result<BlockingSandbox> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(io::Error::other(inside_runtime("start")));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("latipay-sandbox")
            .enable_all()
            .build()?;
        let sandbox = runtime.block_on(Sandbox::start(config))?;
        Ok(BlockingSandbox {
            sandbox: Some(sandbox),
            runtime: Some(runtime),
        })
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime
            .as_ref()
            .unwrap_or_else(|| unreachable!("the runtime is only taken when dropped"))
    }

    fn sandbox(&self) -> &Sandbox {
        self.sandbox
            .as_ref()
            .unwrap_or_else(|| unreachable!("the sandbox is only taken when stopping"))
    }

    /// [`Sandbox::wait_for_notification`], blocking.
    pub fn wait_for_notification(
        &self,
        merchant_reference: &str,
        timeout: Duration,
    ) -> Result<Delivery, ControlError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(ControlError::InsideRuntime(inside_runtime(
                "wait_for_notification",
            )));
        }
        self.runtime().block_on(
            self.sandbox()
                .wait_for_notification(merchant_reference, timeout),
        )
    }

    /// Stops it as [`Sandbox::shutdown`] does, waiting for what is in flight.
    pub fn shutdown(mut self) -> io::Result<()> {
        match self.sandbox.take() {
            Some(sandbox) if tokio::runtime::Handle::try_current().is_err() => {
                self.runtime().block_on(sandbox.shutdown())
            }
            // Inside a runtime: stopped without waiting (as when dropped).
            _ => Ok(()),
        }
    }
}

impl Deref for BlockingSandbox {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        self.sandbox()
    }
}

impl Drop for BlockingSandbox {
    fn drop(&mut self) {
        // The sandbox stops (its own `Drop`) while its runtime still runs; the runtime is shut
        // down without waiting, which is allowed even inside another runtime.
        drop(self.sandbox.take());
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
