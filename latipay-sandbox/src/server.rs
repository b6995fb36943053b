//! The running sandbox: start on any port (opening the state file and resuming its deliveries),
//! the router, serving connections within limits, clean shutdown.
//!
//! Connections are served by hyper directly (not `axum::serve`) so the sandbox can bound what
//! one client can hold: a header read timeout (slowloris-style clients are dropped) and a cap
//! on open connections (a client over it gets a 503 and a close, the others keep being served).

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use crate::app::App;
use crate::codes::Code;
use crate::config::Config;
use crate::handlers::{admin, page, route};
use crate::ids::Ids;
use crate::lifecycle;
use crate::persist::Journal;
use crate::state::Store;

/// A running sandbox. Drop it or call [`Sandbox::shutdown`] to stop it.
pub struct Sandbox {
    addr: SocketAddr,
    url: String,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<io::Result<()>>>,
    /// Kept to close the state file when stopping, so the same file can be opened again.
    app: Arc<App>,
}

impl Sandbox {
    /// Opens the state file (`config.state`, if any: everything in it is loaded and its pending
    /// notifications resume), binds `config.addr` (port 0 picks a free port) and starts serving
    /// in the background. A state file that cannot be used is an error of kind `InvalidData`
    /// wrapping a [`StateError`](crate::StateError).
    pub async fn start(config: Config) -> io::Result<Sandbox> {
        let ids = Ids::new();
        let store = match &config.state {
            None => Store::default(),
            Some(path) => {
                let (journal, loaded) = Journal::open(path)?;
                ids.advance_to(loaded.next_id);
                Store::durable(journal, loaded)
            }
        };
        let listener = TcpListener::bind(config.addr).await.map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on {}: {e}", config.addr))
        })?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let client = reqwest::Client::builder()
            .user_agent(concat!("latipay-sandbox/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(io::Error::other)?;
        let (stop, shutdown) = watch::channel(false);
        let limits = Limits {
            header_read_timeout: config.header_read_timeout,
            max_connections: config.max_connections.max(1),
        };
        let app = Arc::new(App {
            config,
            base_url: url.clone(),
            store: Mutex::new(store),
            client,
            changed: watch::channel(0).0,
            shutdown: shutdown.clone(),
            ids,
            runtime: tokio::runtime::Handle::current(),
        });
        let resumed = lifecycle::resume(&app)?;
        let router = router(app.clone());
        let server = tokio::spawn(serve(listener, router, limits, shutdown));
        tracing::info!(%addr, resumed, "latipay sandbox listening");
        Ok(Sandbox {
            addr,
            url,
            stop,
            server: Some(server),
            app,
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

    /// The shared state, for the methods that drive the sandbox (`control`).
    pub(crate) fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Stops accepting requests, ends long polls and deliveries, waits (at most 5 s in all) for
    /// requests and notification attempts in flight, then closes the state file. Deliveries not
    /// done stay pending in the state file and resume at the next start.
    pub async fn shutdown(mut self) -> io::Result<()> {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        let result = match self.server.take() {
            None => Ok(()),
            Some(server) => {
                let abort = server.abort_handle();
                match tokio::time::timeout_at(deadline, server).await {
                    Ok(Ok(result)) => result,
                    Ok(Err(join)) if join.is_cancelled() => Ok(()),
                    Ok(Err(join)) => Err(io::Error::other(join)),
                    Err(_) => {
                        abort.abort();
                        Ok(())
                    }
                }
            }
        };
        // Delivery tasks hold the app until their attempt in flight is recorded.
        while Arc::strong_count(&self.app) > 1 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.app.lock().close();
        result
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            server.abort();
        }
        // Releases the state file's lock now; attempts still in flight are not recorded, so
        // those notifications are sent again after a restart (at least once, never lost).
        self.app.lock().close();
    }
}

/// What one client may hold.
#[derive(Clone, Copy)]
struct Limits {
    header_read_timeout: Duration,
    max_connections: usize,
}

/// The answer to a connection over the limit, in Latipay's error shape.
static BUSY: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let body = serde_json::json!({
        "code": Code::Fail.number(),
        "message": "the sandbox has reached its limit of open connections (Config::max_connections, --max-connections); try again",
        "messageCN": Code::Fail.message_cn(),
    })
    .to_string();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
});

/// Accepts connections until `shutdown`, each served by hyper with the header read timeout
/// and counted against the connection limit; then closes idle connections and waits for the
/// requests in flight (`Sandbox::shutdown` bounds that wait).
async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: watch::Receiver<bool>,
) -> io::Result<()> {
    let stop = stopped(shutdown);
    tokio::pin!(stop);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            refuse(stream);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // Errors here are the client's (reset, header timeout, malformed request line).
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Resolves once the sandbox is stopping (or its stop sender is gone).
async fn stopped(mut shutdown: watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stopping| *stopping).await;
}

/// Answers a connection over the limit: the 503 is written once without waiting (a fresh
/// socket's send buffer takes it), then the connection is closed, so refusing costs nothing.
fn refuse(stream: TcpStream) {
    tracing::warn!("connection refused: the connection limit is reached");
    let _ = stream.try_write(&BUSY);
}

/// The routes: the sandbox's own under `/sandbox` and `/pay`, every other path a spec endpoint.
pub(crate) fn router(app: Arc<App>) -> Router {
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
        .method_not_allowed_fallback(admin::method_not_allowed)
        .fallback(route::endpoint)
        .with_state(app)
}
