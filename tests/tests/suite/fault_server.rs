//! A scripted HTTP server on 127.0.0.1 that misbehaves on purpose, and counts the requests that
//! reached it, so tests can prove a create was never sent twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Closes the connection without reading the request.
    CloseBeforeReading,
    /// Reads the whole request, then closes without answering.
    CloseAfterReading,
    /// Answers with this status and body.
    Answer(u16, String),
    /// Reads the request and answers only after this long.
    Stall(Duration),
    /// Sends headers announcing more body than it sends, then closes.
    Truncated(String),
}

pub struct FaultServer {
    pub url: String,
    hits: Arc<AtomicUsize>,
}

impl FaultServer {
    /// Serves `script` in order, one entry per request; the last entry repeats.
    pub async fn start(script: Vec<Fault>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let fault = script[n.min(script.len() - 1)].clone();
                n += 1;
                let counter = counter.clone();
                tokio::spawn(serve(stream, fault, counter));
            }
        });
        FaultServer { url, hits }
    }

    /// Requests that reached the server (read in full, or at least connected for
    /// `CloseBeforeReading`).
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

pub async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Some(buf);
            }
        }
    }
}

async fn serve(mut stream: TcpStream, fault: Fault, hits: Arc<AtomicUsize>) {
    if let Fault::CloseBeforeReading = fault {
        hits.fetch_add(1, Ordering::SeqCst);
        reset(stream);
        return;
    }
    if read_request(&mut stream).await.is_none() {
        return;
    }
    hits.fetch_add(1, Ordering::SeqCst);
    let answer = |status: u16, content_type: &str, body: &str, announced: usize| {
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {announced}\r\nconnection: close\r\n\r\n{body}"
        )
    };
    let text = match fault {
        Fault::CloseBeforeReading => unreachable!(),
        Fault::CloseAfterReading => {
            reset(stream);
            return;
        }
        Fault::Answer(status, body) => {
            let ct = if body.starts_with('<') {
                "text/html"
            } else {
                "application/json"
            };
            answer(status, ct, &body, body.len())
        }
        Fault::Stall(d) => {
            tokio::time::sleep(d).await;
            answer(200, "application/json", "{\"code\":0}", 10)
        }
        Fault::Truncated(body) => answer(200, "application/json", &body, body.len() + 100),
    };
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Closes with a reset (RST) rather than an orderly close: what a crashed peer or proxy does.
/// Linger 0 makes the close immediate, so tokio's warning about blocking on drop does not apply.
#[allow(deprecated)]
pub fn reset(stream: TcpStream) {
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// A base URL where nothing listens: connections are refused.
pub async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
