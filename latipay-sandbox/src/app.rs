//! The shared context every handler and delivery task gets: the configuration, the locked
//! store (committed to the state file before the lock is released), the id source, the HTTP
//! client notifications go out with, and the change and shutdown signals.

use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};

use latipay_spec::SigningKey;
use tokio::sync::watch;

use crate::config::{Config, User};
use crate::ids::Ids;
use crate::persist::StateError;
use crate::state::Store;

/// Everything the handlers share.
pub(crate) struct App {
    pub config: Config,
    pub base_url: String,
    pub store: Mutex<Store>,
    pub client: reqwest::Client,
    /// Bumped on every state change, so long polls wake up.
    pub changed: watch::Sender<u64>,
    /// Becomes `true` when the sandbox stops.
    pub shutdown: watch::Receiver<bool>,
    pub ids: Ids,
    /// The runtime the sandbox was started on: notifications are delivered there even when a
    /// test moves an order from outside it (see `BlockingSandbox`).
    pub runtime: tokio::runtime::Handle,
}

/// The locked store. Whatever was changed through it is committed (written to the state file,
/// if there is one) before the lock is released: explicitly with [`StoreGuard::commit`], which
/// reports a failure to the client, or at the latest when the guard is dropped. Handlers build
/// their answer after the change, so a client is never told about a change that is not saved.
pub(crate) struct StoreGuard<'a> {
    guard: MutexGuard<'a, Store>,
    ids: &'a Ids,
}

impl StoreGuard<'_> {
    /// Saves the changes made so far.
    pub fn commit(&mut self) -> Result<(), StateError> {
        let next_id = self.ids.current();
        self.guard.commit(next_id)
    }
}

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.guard
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.guard
    }
}

impl Drop for StoreGuard<'_> {
    fn drop(&mut self) {
        if self.guard.has_changes()
            && let Err(e) = self.commit()
        {
            tracing::error!(error = %e, "sandbox state not saved; retried at the next change");
        }
    }
}

impl App {
    /// The store; a panic elsewhere while holding it must not take the sandbox down.
    pub fn lock(&self) -> StoreGuard<'_> {
        StoreGuard {
            guard: self.store.lock().unwrap_or_else(|e| e.into_inner()),
            ids: &self.ids,
        }
    }

    /// Wakes everyone waiting for a change.
    pub fn bump(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The user called `user_id`.
    pub fn user(&self, user_id: &str) -> Option<&User> {
        self.config.users.iter().find(|u| u.user_id == user_id)
    }

    /// The signing key of `user_id`.
    pub fn key(&self, user_id: &str) -> Option<SigningKey> {
        self.user(user_id)
            .map(|u| SigningKey::new(u.api_key.clone()))
    }

    /// Whether the sandbox is stopping.
    pub fn stopping(&self) -> bool {
        *self.shutdown.borrow()
    }
}
