//! Plain-std networking for the black-box tests: the `latipay sandbox` process, HTTP/1.1 requests
//! over a `TcpStream`, requests signed by the spec's dynamic signer, and a merchant that records
//! notifications. No async runtime: the binary under test is the only server that matters.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use latipay_spec::{ApiKey, SigningKey};

pub const USER: &str = "U000334333";
pub const WALLET: &str = "W00000001";

/// A running `latipay sandbox`; everything it writes is kept.
pub struct SandboxProcess {
    pub child: Child,
    pub url: String,
    pub addr: String,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

fn drain(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
}

impl SandboxProcess {
    /// `latipay sandbox --addr 127.0.0.1:0 ARGS...`, once it said where it listens.
    pub fn start(args: &[&str]) -> SandboxProcess {
        SandboxProcess::start_env(args, &[])
    }

    pub fn start_env(args: &[&str], env: &[(&str, &str)]) -> SandboxProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_latipay"))
            .args(["sandbox", "--addr", "127.0.0.1:0"])
            .args(args)
            .env_remove("LATIPAY_API_KEY")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        drain(child.stderr.take().unwrap(), stderr.clone());
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).expect("stdout");
        let Some(url) = first.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "no `listening on` line: {first:?}; stderr: {}",
                stderr.lock().unwrap()
            );
        };
        let url = url.to_owned();
        let stdout = Arc::new(Mutex::new(first.clone()));
        drain(out, stdout.clone());
        SandboxProcess {
            child,
            addr: url.trim_start_matches("http://").to_owned(),
            url,
            stdout,
            stderr,
        }
    }

    /// SIGKILL: no chance to save anything or say goodbye.
    pub fn kill(mut self) -> String {
        self.child.kill().expect("kill");
        self.child.wait().expect("reaped");
        self.stderr.lock().unwrap().clone()
    }

    /// SIGTERM, then the exit code and everything printed (stdout, stderr).
    pub fn terminate(mut self) -> (Option<i32>, String, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        // The drain threads end at EOF; give them a moment to copy the last lines.
        std::thread::sleep(Duration::from_millis(50));
        let out = self.stdout.lock().unwrap().clone();
        let err = self.stderr.lock().unwrap().clone();
        (exit.code(), out, err)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http(&self.addr, "GET", path, None, b"")
    }

    pub fn post(&self, path: &str) -> (u16, String) {
        http(&self.addr, "POST", path, None, b"")
    }

    pub fn json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    /// Signs `fields` for `endpoint` with `key` and sends it; the JSON answer (HTTP 200 expected).
    pub fn call(&self, endpoint: &str, key: &str, fields: &[(&str, &str)]) -> serde_json::Value {
        match self.try_call(endpoint, key, fields) {
            Ok(v) => v,
            Err(e) => panic!("{endpoint}: {e}"),
        }
    }

    /// The same, or why there was no JSON answer (the connection failed, another status).
    pub fn try_call(
        &self,
        endpoint: &str,
        key: &str,
        fields: &[(&str, &str)],
    ) -> Result<serde_json::Value, String> {
        let pairs: Vec<(String, String)> = fields
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let signed = latipay_spec::builtin()
            .endpoint(endpoint)
            .expect("endpoint")
            .sign_dynamic(&SigningKey::new(ApiKey::new(key)), USER, WALLET, &pairs)
            .expect("signable");
        let url = signed.request.url("");
        let (status, body) = try_http(
            &self.addr,
            signed.request.method.as_str(),
            &url,
            signed
                .request
                .body
                .as_ref()
                .map(|_| "application/json;charset=UTF-8"),
            signed.request.body.as_deref().unwrap_or("").as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        if status != 200 {
            return Err(format!("HTTP {status}: {body}"));
        }
        serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request with `Connection: close`; status and body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> (u16, String) {
    try_http(addr, method, path, content_type, body).expect("the sandbox answers")
}

pub fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_response(&raw).ok_or_else(|| {
        std::io::Error::other(format!("not HTTP: {:?}", String::from_utf8_lossy(&raw)))
    })
}

fn parse_response(raw: &[u8]) -> Option<(u16, String)> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

/// What the merchant answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Answer {
    /// HTTP 500.
    Fail = 0,
    /// HTTP 200 `sent`: delivered.
    Sent = 1,
}

/// A merchant notification endpoint on std threads: it records every body and what it answered.
pub struct Merchant {
    pub url: String,
    answer: Arc<AtomicU8>,
    /// Every request: the body and whether it was answered `sent`.
    pub log: Arc<Mutex<Vec<(String, bool)>>>,
}

impl Merchant {
    /// A free address on 127.0.0.1 where nobody listens (yet).
    pub fn reserve() -> SocketAddr {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
    }

    /// The notification URL of a merchant on `addr`.
    pub fn url_of(addr: SocketAddr) -> String {
        format!("http://{addr}/confirm")
    }

    /// Starts answering on `addr`.
    pub fn start_on(addr: SocketAddr, answer: Answer) -> Merchant {
        let listener = TcpListener::bind(addr).expect("the reserved port is still free");
        let answer = Arc::new(AtomicU8::new(answer as u8));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (a, l) = (answer.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (a, l) = (a.clone(), l.clone());
                std::thread::spawn(move || serve_one(stream, &a, &l));
            }
        });
        Merchant {
            url: Merchant::url_of(addr),
            answer,
            log,
        }
    }

    pub fn set(&self, answer: Answer) {
        self.answer.store(answer as u8, Ordering::SeqCst);
    }

    /// How many times each body was answered `sent`.
    pub fn sent_counts(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for (body, sent) in self.log.lock().unwrap().iter() {
            if *sent {
                *counts.entry(body.clone()).or_insert(0) += 1;
            }
        }
        counts
    }

    pub fn requests(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

fn serve_one(mut stream: TcpStream, answer: &AtomicU8, log: &Mutex<Vec<(String, bool)>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        // Keep-alive: serve requests until the sandbox closes the connection.
        let mut length = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((n, v)) = l.split_once(':')
                && n.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let sent = answer.load(Ordering::SeqCst) == Answer::Sent as u8;
        // Recorded before answering: the sandbox may count it delivered as soon as it reads it.
        log.lock()
            .unwrap()
            .push((String::from_utf8_lossy(&body).into_owned(), sent));
        let (status, text) = if sent {
            ("200 OK", "sent")
        } else {
            ("500 Internal Server Error", "not now")
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        );
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
