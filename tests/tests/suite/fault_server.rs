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
    /// Writes `head` (the status line and headers, as given), then `chunk` `times` times, `pause`
    /// apart, then closes: a huge body, a body that drips, bytes that are not HTTP. Stops early
    /// when the client stops reading.
    Stream {
        head: String,
        chunk: Vec<u8>,
        times: usize,
        pause: Duration,
    },
}

pub struct FaultServer {
    pub url: String,
    hits: Arc<AtomicUsize>,
    /// Bytes of `Fault::Stream` bodies the client took (written before it closed).
    streamed: Arc<AtomicUsize>,
}

impl FaultServer {
    /// Serves `script` in order, one entry per request; the last entry repeats.
    pub async fn start(script: Vec<Fault>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let streamed = Arc::new(AtomicUsize::new(0));
        let (counter, written) = (hits.clone(), streamed.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let fault = script[n.min(script.len() - 1)].clone();
                n += 1;
                let (counter, written) = (counter.clone(), written.clone());
                tokio::spawn(serve(stream, fault, counter, written));
            }
        });
        FaultServer {
            url,
            hits,
            streamed,
        }
    }

    /// Bytes of streamed bodies the client took before it closed (or all of them).
    pub fn streamed(&self) -> usize {
        self.streamed.load(Ordering::SeqCst)
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

async fn serve(
    mut stream: TcpStream,
    fault: Fault,
    hits: Arc<AtomicUsize>,
    streamed: Arc<AtomicUsize>,
) {
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
        Fault::Stream {
            head,
            chunk,
            times,
            pause,
        } => {
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for i in 0..times {
                if i > 0 && !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
                // A client that stopped reading fills the socket's buffers: give up on it.
                let write = tokio::time::timeout(Duration::from_secs(2), stream.write_all(&chunk));
                if !matches!(write.await, Ok(Ok(()))) {
                    return;
                }
                streamed.fetch_add(chunk.len(), Ordering::SeqCst);
            }
            let _ = stream.shutdown().await;
            return;
        }
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
