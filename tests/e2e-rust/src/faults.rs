//! Faulty clients for the simulator's fault tests and the soak: each opens a raw socket
//! to the simulator and misbehaves in one way (disconnects mid-request, malformed HTTP,
//! oversized bodies, slow or stalled sending), then reports what came back.
//!
//! Every socket operation has a timeout, so a fault never hangs its caller for longer
//! than about [`ANSWER_TIMEOUT`] past the simulator's own request deadline.

use std::fmt;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// How long a fault waits for the simulator's answer.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// The declared size of the oversized bodies: over the 50 MiB upload limit.
pub const OVERSIZED_BYTES: u64 = 60 << 20;
/// The slowloris sends one byte per this interval.
pub const SLOWLORIS_INTERVAL: Duration = Duration::from_secs(1);

/// Where the faults are aimed: a simulator, a valid token and an existing application,
/// so that upload faults pass the header checks and reach the body.
#[derive(Clone)]
pub struct Target {
    /// 127.0.0.1 and the simulator's port.
    pub addr: SocketAddr,
    /// A bearer token from Login.
    pub token: String,
    /// An application id the simulator knows.
    pub application_id: String,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("addr", &self.addr)
            .field("token", &"<redacted>")
            .field("application_id", &self.application_id)
            .finish()
    }
}

/// One way to misbehave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// Connects and closes at once.
    DisconnectAtOnce,
    /// Sends half a request head, then closes.
    DisconnectMidHead,
    /// Starts a 1,000,000-byte upload, sends 256 KiB of it, then closes.
    DisconnectMidUpload,
    /// Starts a chunked body, then closes in the middle of a chunk.
    DisconnectMidChunked,
    /// Declares a longer body than it sends, then half-closes and reads the answer.
    ShortBodyThenHalfClose,
    /// Connects and sends nothing, waiting for the simulator to close.
    IdleConnection,
    /// Sends part of a request head and waits.
    StalledHead,
    /// Sends a head declaring 500 bytes, then 20, and waits.
    StalledBody,
    /// Sends a valid request one byte per second.
    Slowloris,
    /// A request line that is not HTTP.
    GarbageRequestLine,
    /// 40 KiB of random bytes.
    BinaryNoise,
    /// Header lines that are not `name: value` (several variants).
    BadHeader,
    /// A 100 KiB header line.
    OversizedHead,
    /// 500 header lines.
    TooManyHeaders,
    /// A body length that is not a number, two lengths, a length and chunked, or an
    /// unknown transfer coding.
    BadFraming,
    /// A chunked body whose framing is not valid (several variants).
    ChunkedGarbage,
    /// Declares a 60 MiB body and sends only the head.
    OversizedDeclared,
    /// Declares a 1 TB body (`Content-Length: 1000000000000`).
    ContentLengthHuge,
    /// Declares a 60 MiB upload and tries to send all of it.
    OversizedStreamed,
    /// Sends a chunked body that never ends, 64 KiB a chunk.
    OversizedChunked,
    /// The HTTP/2 connection preface.
    Http2Preface,
}

/// What a faulty client saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The status of the answer; `None` when there was none (the client closed
    /// first, or the simulator closed without answering).
    pub status: Option<u16>,
    /// Bytes the client managed to send.
    pub sent: u64,
    /// How long it took.
    pub elapsed: Duration,
}

/// A small deterministic generator (xorshift64), so a run can be replayed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n.max(1) as u64)).unwrap_or(0)
    }
}

impl Fault {
    /// Every fault, in a fixed order.
    pub const ALL: [Fault; 21] = [
        Fault::DisconnectAtOnce,
        Fault::DisconnectMidHead,
        Fault::DisconnectMidUpload,
        Fault::DisconnectMidChunked,
        Fault::ShortBodyThenHalfClose,
        Fault::IdleConnection,
        Fault::StalledHead,
        Fault::StalledBody,
        Fault::Slowloris,
        Fault::GarbageRequestLine,
        Fault::BinaryNoise,
        Fault::BadHeader,
        Fault::OversizedHead,
        Fault::TooManyHeaders,
        Fault::BadFraming,
        Fault::ChunkedGarbage,
        Fault::OversizedDeclared,
        Fault::ContentLengthHuge,
        Fault::OversizedStreamed,
        Fault::OversizedChunked,
        Fault::Http2Preface,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Fault::DisconnectAtOnce => "disconnect at once",
            Fault::DisconnectMidHead => "disconnect mid-head",
            Fault::DisconnectMidUpload => "disconnect mid-upload",
            Fault::DisconnectMidChunked => "disconnect mid-chunk",
            Fault::ShortBodyThenHalfClose => "short body, half-close",
            Fault::IdleConnection => "idle connection",
            Fault::StalledHead => "stalled head",
            Fault::StalledBody => "stalled body",
            Fault::Slowloris => "slowloris (1 byte/s)",
            Fault::GarbageRequestLine => "garbage request line",
            Fault::BinaryNoise => "binary noise",
            Fault::BadHeader => "bad header",
            Fault::OversizedHead => "100 KiB header",
            Fault::TooManyHeaders => "500 headers",
            Fault::BadFraming => "bad framing headers",
            Fault::ChunkedGarbage => "chunked garbage",
            Fault::OversizedDeclared => "60 MiB declared",
            Fault::ContentLengthHuge => "1 TB declared",
            Fault::OversizedStreamed => "60 MiB upload streamed",
            Fault::OversizedChunked => "endless chunked body",
            Fault::Http2Preface => "HTTP/2 preface",
        }
    }

    /// The answers the simulator may give (`None`: no answer). A fault whose client
    /// closes first accepts anything.
    pub fn expected(self) -> &'static [Option<u16>] {
        match self {
            Fault::DisconnectAtOnce
            | Fault::DisconnectMidHead
            | Fault::DisconnectMidUpload
            | Fault::DisconnectMidChunked
            | Fault::IdleConnection => &[None],
            Fault::ShortBodyThenHalfClose | Fault::GarbageRequestLine | Fault::BadHeader => {
                &[Some(400)]
            }
            Fault::StalledHead | Fault::StalledBody | Fault::Slowloris => &[Some(408)],
            Fault::BinaryNoise => &[Some(400), Some(431)],
            Fault::OversizedHead | Fault::TooManyHeaders => &[Some(431)],
            Fault::BadFraming => &[Some(400), Some(501)],
            Fault::ChunkedGarbage => &[Some(400), Some(413)],
            Fault::OversizedDeclared
            | Fault::ContentLengthHuge
            | Fault::OversizedStreamed
            | Fault::OversizedChunked => &[Some(413)],
            Fault::Http2Preface => &[Some(505)],
        }
    }

    /// Whether the outcome is one the simulator may give (503, over the connection
    /// cap or the body memory budget, is always allowed).
    pub fn accepts(self, outcome: &Outcome) -> bool {
        outcome.status == Some(503) || self.expected().contains(&outcome.status)
    }

    /// Runs the fault once against `target`; `rng` picks variants and noise.
    pub fn run(self, target: &Target, rng: &mut Rng) -> Result<Outcome, String> {
        let started = Instant::now();
        let login_head = |extra: &str| {
            format!("POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}\r\n")
        };
        let (status, sent) = match self {
            Fault::DisconnectAtOnce => {
                drop(connect(target)?);
                (None, 0)
            }
            Fault::DisconnectMidHead => {
                let mut s = connect(target)?;
                let sent = send(
                    &mut s,
                    b"POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le",
                );
                (None, sent)
            }
            Fault::DisconnectMidUpload => {
                let mut s = connect(target)?;
                let head = upload_head(target, "ID_FRONT", 1_000_000)?;
                let mut sent = send(&mut s, head.as_bytes());
                let mut body = PNG_SIGNATURE.to_vec();
                body.resize(256 * 1024, 0);
                sent += send(&mut s, &body);
                (None, sent)
            }
            Fault::DisconnectMidChunked => {
                let mut s = connect(target)?;
                let head = login_head("Transfer-Encoding: chunked\r\n");
                let mut sent = send(&mut s, head.as_bytes());
                sent += send(&mut s, b"40\r\n{\"username\": \"sandbox-");
                (None, sent)
            }
            Fault::ShortBodyThenHalfClose => {
                let mut s = connect(target)?;
                let head = login_head("Content-Length: 500\r\n");
                let mut sent = send(&mut s, head.as_bytes());
                sent += send(&mut s, b"{\"username\": \"sandbo");
                let _ = s.shutdown(Shutdown::Write);
                (read_status(&mut s), sent)
            }
            Fault::IdleConnection => {
                let mut s = connect(target)?;
                (read_status(&mut s), 0)
            }
            Fault::StalledHead => {
                let mut s = connect(target)?;
                let sent = send(
                    &mut s,
                    b"POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                );
                (read_status(&mut s), sent)
            }
            Fault::StalledBody => {
                let mut s = connect(target)?;
                let head = login_head("Content-Length: 500\r\n");
                let mut sent = send(&mut s, head.as_bytes());
                sent += send(&mut s, b"{\"username\": \"sandbo");
                (read_status(&mut s), sent)
            }
            Fault::Slowloris => slowloris(target)?,
            Fault::GarbageRequestLine => {
                let lines: [&[u8]; 4] = [
                    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n",
                    b"GET\r\n\r\n",
                    b"HELLO WORLD\r\nHost: 127.0.0.1\r\n\r\n",
                    b"GET /api/v1/agreements/ HTTP/1.1 trailing\r\n\r\n",
                ];
                let line = lines
                    .get(rng.below(lines.len()))
                    .copied()
                    .unwrap_or_default();
                exchange(target, line)?
            }
            Fault::BinaryNoise => {
                let noise: Vec<u8> = (0..40 * 1024).map(|_| rng.next_u64() as u8).collect();
                exchange(target, &noise)?
            }
            Fault::BadHeader => {
                let variants: [&[u8]; 6] = [
                    b"GET /api/v1/agreements/ HTTP/1.1\r\nNo colon here\r\n\r\n",
                    b"GET /api/v1/agreements/ HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n",
                    b"GET /api/v1/agreements/ HTTP/1.1\r\nHost: 127.0.0.1\r\n folded: line\r\n\r\n",
                    b"GET /api/v1/agreements/ HTTP/1.1\r\nX-Nul: a\x00b\r\n\r\n",
                    b"GET /api/v1/agreements/ HTTP/1.1\r\nX-Latin: caf\xe9\r\n\r\n",
                    b"GET /api/v1/agreements/ HTTP/1.1\r\nX-Bare: lf\nX-Other: y\r\n\r\n",
                ];
                let v = variants
                    .get(rng.below(variants.len()))
                    .copied()
                    .unwrap_or_default();
                exchange(target, v)?
            }
            Fault::OversizedHead => {
                let mut req = b"GET /api/v1/agreements/ HTTP/1.1\r\nX-Big: ".to_vec();
                req.resize(req.len() + 100 * 1024, b'a');
                req.extend_from_slice(b"\r\n\r\n");
                exchange(target, &req)?
            }
            Fault::TooManyHeaders => {
                let mut req = String::from("GET /api/v1/agreements/ HTTP/1.1\r\n");
                for i in 0..500 {
                    req.push_str(&format!("X-H{i}: v\r\n"));
                }
                req.push_str("\r\n");
                exchange(target, req.as_bytes())?
            }
            Fault::BadFraming => {
                let variants = [
                    "Content-Length: abc\r\n",
                    "Content-Length: -1\r\n",
                    "Content-Length: 5\r\nContent-Length: 6\r\n",
                    "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                    "Transfer-Encoding: gzip\r\n",
                ];
                let v = variants
                    .get(rng.below(variants.len()))
                    .copied()
                    .unwrap_or_default();
                let mut req = login_head(v).into_bytes();
                req.extend_from_slice(b"hello");
                exchange(target, &req)?
            }
            Fault::ChunkedGarbage => {
                let variants: [&[u8]; 4] = [
                    b"zz\r\nhello\r\n0\r\n\r\n",
                    b"5\r\nhelloXX0\r\n\r\n",
                    b"fffffffffffffffffff\r\n",
                    b"5;ext=1\r\nhel",
                ];
                let v = variants
                    .get(rng.below(variants.len()))
                    .copied()
                    .unwrap_or_default();
                let mut req = login_head("Transfer-Encoding: chunked\r\n").into_bytes();
                req.extend_from_slice(v);
                exchange(target, &req)?
            }
            Fault::OversizedDeclared => {
                let head = login_head(&format!("Content-Length: {OVERSIZED_BYTES}\r\n"));
                let mut s = connect(target)?;
                let sent = send(&mut s, head.as_bytes());
                (read_status(&mut s), sent)
            }
            Fault::ContentLengthHuge => {
                let head = login_head("Content-Length: 1000000000000\r\n");
                let mut s = connect(target)?;
                let sent = send(&mut s, head.as_bytes());
                (read_status(&mut s), sent)
            }
            Fault::OversizedStreamed => {
                let head = upload_head(target, "ADDRESS_VERIFICATION", OVERSIZED_BYTES)?;
                stream_body(target, head.as_bytes(), false)?
            }
            Fault::OversizedChunked => {
                let head = login_head("Transfer-Encoding: chunked\r\n");
                stream_body(target, head.as_bytes(), true)?
            }
            Fault::Http2Preface => exchange(target, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")?,
        };
        Ok(Outcome {
            status,
            sent,
            elapsed: started.elapsed(),
        })
    }
}

const PNG_SIGNATURE: &[u8] = &[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

fn connect(target: &Target) -> Result<TcpStream, String> {
    let s = TcpStream::connect_timeout(&target.addr, Duration::from_secs(10))
        .map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(ANSWER_TIMEOUT))
        .and_then(|()| s.set_write_timeout(Some(ANSWER_TIMEOUT)))
        .map_err(|e| format!("socket options: {e}"))?;
    Ok(s)
}

/// Writes what it can; returns the bytes written (the simulator may close first).
fn send(s: &mut TcpStream, bytes: &[u8]) -> u64 {
    let mut sent = 0;
    for chunk in bytes.chunks(16 * 1024) {
        match s.write_all(chunk) {
            Ok(()) => sent += chunk.len() as u64,
            Err(_) => break,
        }
    }
    sent
}

/// The status of whatever answer arrives before EOF, an error or the timeout.
fn read_status(s: &mut TcpStream) -> Option<u16> {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                answer.extend_from_slice(buf.get(..n).unwrap_or_default());
                if answer.len() > 64 * 1024 {
                    break;
                }
            }
        }
    }
    parse_status(&answer)
}

/// `HTTP/1.1 NNN ...` -> NNN.
pub fn parse_status(answer: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(answer.get(..answer.len().min(64))?).ok()?;
    let rest = text.strip_prefix("HTTP/1.")?;
    rest.get(2..5)?.parse().ok()
}

/// Sends the bytes, half-closes, reads the answer.
fn exchange(target: &Target, bytes: &[u8]) -> Result<(Option<u16>, u64), String> {
    let mut s = connect(target)?;
    let sent = send(&mut s, bytes);
    let _ = s.shutdown(Shutdown::Write);
    Ok((read_status(&mut s), sent))
}

fn upload_head(target: &Target, document_type: &str, length: u64) -> Result<String, String> {
    let key = jiko_onboarding::new_idempotency_key().map_err(|e| e.to_string())?;
    Ok(format!(
        "POST /api/v1/applications/{}/documents/{document_type}/file/ HTTP/1.1\r\n\
         Host: 127.0.0.1\r\nAuthorization: Bearer {}\r\nx-jiko-idempotency: {key}\r\n\
         Content-Type: image/png\r\nContent-Length: {length}\r\n\r\n",
        target.application_id, target.token
    ))
}

/// One byte per [`SLOWLORIS_INTERVAL`] of a valid Login request, until an answer
/// comes (waiting for it is the pause between bytes) or the request is all sent.
fn slowloris(target: &Target) -> Result<(Option<u16>, u64), String> {
    let body = br#"{"username": "sandbox-user", "password": "sandbox-password"}"#;
    let mut req = format!(
        "POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    let mut s = connect(target)?;
    s.set_read_timeout(Some(SLOWLORIS_INTERVAL))
        .map_err(|e| format!("socket options: {e}"))?;
    let mut sent = 0u64;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    for byte in &req {
        if s.write_all(std::slice::from_ref(byte)).is_err() {
            break;
        }
        sent += 1;
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(buf.get(..n).unwrap_or_default());
                break;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    s.set_read_timeout(Some(ANSWER_TIMEOUT))
        .map_err(|e| format!("socket options: {e}"))?;
    if answer.is_empty() {
        return Ok((read_status(&mut s), sent));
    }
    Ok((parse_status(&answer), sent))
}

/// Sends `head`, then body bytes (raw, or as 64 KiB chunks) from another thread until
/// [`OVERSIZED_BYTES`] are sent or the simulator stops taking them (a write fails, or
/// blocks for [`ANSWER_TIMEOUT`]), while this thread reads the answer.
fn stream_body(target: &Target, head: &[u8], chunked: bool) -> Result<(Option<u16>, u64), String> {
    let mut s = connect(target)?;
    let mut writer = s.try_clone().map_err(|e| format!("clone: {e}"))?;
    let head = head.to_vec();
    let sender = std::thread::spawn(move || {
        let mut sent = send(&mut writer, &head);
        let chunk = vec![b'x'; 64 * 1024];
        let framed = if chunked {
            let mut c = format!("{:x}\r\n", chunk.len()).into_bytes();
            c.extend_from_slice(&chunk);
            c.extend_from_slice(b"\r\n");
            c
        } else {
            chunk
        };
        while sent < OVERSIZED_BYTES + head.len() as u64 {
            if writer.write_all(&framed).is_err() {
                break;
            }
            sent += framed.len() as u64;
        }
        sent
    });
    let status = read_status(&mut s);
    // The writer goes on until the simulator stops taking bytes (it closes the
    // connection) or all was sent: `sent` shows whether it stopped reading.
    let sent = sender
        .join()
        .map_err(|_| "the sending thread failed".to_owned())?;
    Ok((status, sent))
}
