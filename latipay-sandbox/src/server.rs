//! The running sandbox: shared state, the router, start on any port, clean shutdown.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use latipay_spec::SigningKey;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, User};
use crate::ids::Ids;
use crate::state::Store;
use crate::{admin, api, page};

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
}

impl App {
    /// The store; a panic elsewhere while holding it must not take the sandbox down.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
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

/// A running sandbox. Drop it or call [`Sandbox::shutdown`] to stop it.
pub struct Sandbox {
    addr: SocketAddr,
    url: String,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<io::Result<()>>>,
}

impl Sandbox {
    /// Binds `config.addr` (port 0 picks a free port) and starts serving in the background.
    pub async fn start(config: Config) -> io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let client = reqwest::Client::builder()
            .user_agent(concat!("latipay-sandbox/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(io::Error::other)?;
        let (stop, shutdown) = watch::channel(false);
        let app = Arc::new(App {
            config,
            base_url: url.clone(),
            store: Mutex::new(Store::default()),
            client,
            changed: watch::channel(0).0,
            shutdown: shutdown.clone(),
            ids: Ids::new(),
        });
        let router = router(app);
        let mut signal = shutdown;
        let server = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = signal.wait_for(|stopping| *stopping).await;
                })
                .await
        });
        tracing::info!(%addr, "latipay sandbox listening");
        Ok(Sandbox {
            addr,
            url,
            stop,
            server: Some(server),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests, ends long polls and deliveries, and waits (at most 5 s) for
    /// requests in flight.
    pub async fn shutdown(mut self) -> io::Result<()> {
        let _ = self.stop.send(true);
        let Some(server) = self.server.take() else {
            return Ok(());
        };
        let abort = server.abort_handle();
        match tokio::time::timeout(Duration::from_secs(5), server).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) if join.is_cancelled() => Ok(()),
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_) => {
                abort.abort();
                Ok(())
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/sandbox", get(admin::index))
        .route("/sandbox/reset", post(admin::reset))
        .route("/sandbox/orders", get(admin::list))
        .route("/sandbox/orders/{reference}", get(admin::show))
        .route("/sandbox/orders/{reference}/{action}", post(admin::act))
        .route("/sandbox/invoices/{invoice_id}", get(admin::show_invoice))
        .route(
            "/sandbox/invoices/{invoice_id}/pay",
            post(admin::pay_invoice),
        )
        .route("/pay/{nonce}", get(page::show).post(page::act))
        .fallback(api::handle)
        .with_state(app)
}
