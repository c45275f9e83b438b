//! The HTTP/1.1 transport: hyper on a tokio runtime, with keep-alive, and the limits
//! that keep faulty clients (stalled, slow, malformed, oversized) from stopping the
//! simulator serving others.
//!
//! - At most `max_connections` connections at once; one over the cap gets 503 at once
//!   instead of waiting behind the others.
//! - Each request (head and body) must arrive within `request_timeout_millis`,
//!   counted from the accept for a connection's first request and from its first byte
//!   for the next ones; an idle keep-alive connection is closed after that time.
//! - The head is at most [`MAX_HEAD_BYTES`] in at most [`MAX_HEADERS`] lines (431), a
//!   body over the endpoint's limit is refused with 413 from its `Content-Length`
//!   before a byte of it is read (chunked: as soon as the chunks pass the limit), and
//!   the bodies being read share a memory budget (503 past it).
//!
//! hyper enforces the head's syntax and size, the header deadline and keep-alive. Four
//! things it does not do are kept here, small: the 408 for a request whose head
//! stalled and the 505 for the HTTP/2 preface (hyper closes those connections without
//! a word), a 400 for a head with a lone LF or bytes above 0x7e (hyper accepts both),
//! and, after an answer that leaves part of a request unread, reading and dropping
//! what the client still sends for a bounded time, so that it reads the answer rather
//! than a connection reset.

use std::io;
use std::net::Shutdown;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body as _, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE, EXPECT, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use socket2::SockRef;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use crate::api::{self, Abort, Endpoint, Reply, Route};
use crate::stats;
use crate::Shared;

/// Largest request head (request line and header lines, with their line ends).
pub const MAX_HEAD_BYTES: usize = 32 * 1024;
/// Most header lines in a request.
pub const MAX_HEADERS: usize = 100;
/// After the last answer on a connection, what the client still sends is read and
/// dropped, up to this many bytes and for this long, so that a client still writing
/// a body the simulator refused reads the answer rather than a connection reset.
const LINGER_BYTES: u64 = 1 << 20;
const LINGER_TIME: Duration = Duration::from_secs(2);
/// How long writing one of the transport's own answers may take.
const CANNED_WRITE_TIME: Duration = Duration::from_secs(2);
/// How long a connection over the cap may take to get its 503.
const REFUSAL_TIME: Duration = Duration::from_millis(200);

/// The bytes of request bodies being read or held, shared by all connections.
pub(crate) struct Budget {
    limit: u64,
    used: AtomicU64,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Budget {
            limit,
            used: AtomicU64::new(0),
        }
    }

    /// Bytes reserved right now.
    pub(crate) fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    fn try_add(&self, bytes: u64) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(bytes).filter(|total| *total <= self.limit)
            })
            .is_ok()
    }
}

/// A share of the [`Budget`], given back on drop.
pub(crate) struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl<'a> Reservation<'a> {
    fn new(budget: &'a Budget) -> Self {
        Reservation { budget, bytes: 0 }
    }

    fn grow(&mut self, bytes: u64) -> bool {
        let ok = self.budget.try_add(bytes);
        if ok {
            self.bytes += bytes;
        }
        ok
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyError {
    /// Longer than the endpoint's limit (declared, or found while reading chunks): 413.
    TooLarge,
    /// The connection ended before the body did, or its chunked framing is not valid:
    /// 400.
    Incomplete,
    /// The body did not arrive before the request's deadline: 408.
    TimedOut,
    /// Other bodies hold the memory budget: 503.
    Busy,
}

fn body_reply(e: BodyError) -> Reply {
    let mut reply = match e {
        BodyError::TooLarge => Reply::detail(413, "Request body too large"),
        BodyError::Incomplete => Reply::detail(
            400,
            "The request body is incomplete or its framing is not valid",
        ),
        BodyError::TimedOut => Reply::detail(408, "The request body did not arrive in time"),
        BodyError::Busy => {
            let mut r = Reply::detail(503, "Too many large request bodies at once; retry");
            r.retry_after = true;
            r
        }
    };
    reply.close = true;
    reply
}

/// Reads a whole body of at most `limit` bytes before `deadline`. A declared length
/// over the limit is refused before a byte of the body is read (and before
/// `Expect: 100-continue` is answered); chunks are refused as soon as they pass it.
async fn read_body(
    mut body: Incoming,
    limit: u64,
    budget: &Budget,
    deadline: Instant,
) -> Result<(Vec<u8>, Reservation<'_>), BodyError> {
    let mut reservation = Reservation::new(budget);
    let declared = body.size_hint().exact();
    if let Some(n) = declared {
        if n > limit {
            return Err(BodyError::TooLarge);
        }
        if !reservation.grow(n) {
            return Err(BodyError::Busy);
        }
    }
    // The declared length is at most the limit, which is small enough to hold.
    let mut bytes = Vec::with_capacity(usize::try_from(declared.unwrap_or(0)).unwrap_or(0));
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return Err(BodyError::TimedOut),
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(BodyError::Incomplete),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let total = bytes.len() as u64 + data.len() as u64;
        if total > limit {
            return Err(BodyError::TooLarge);
        }
        if declared.is_none() && !reservation.grow(data.len() as u64) {
            return Err(BodyError::Busy);
        }
        bytes.extend_from_slice(&data);
    }
    Ok((bytes, reservation))
}

/// Finds a lone LF in a request head (hyper accepts it as a line end, as RFC 9112
/// allows; the simulator refuses it, as it did before hyper). Stops at the head's end,
/// so body bytes read along with it are not looked at.
#[derive(Default)]
struct HeadScan {
    prev: u8,
    line_len: usize,
    seen_line: bool,
    done: bool,
}

impl HeadScan {
    /// Scans more bytes; true when a lone LF was found.
    fn feed(&mut self, data: &[u8]) -> bool {
        for &b in data {
            if self.done {
                return false;
            }
            if b == b'\n' {
                if self.prev != b'\r' {
                    self.done = true;
                    return true;
                }
                if self.line_len > 0 {
                    self.seen_line = true;
                } else if self.seen_line {
                    self.done = true;
                }
                self.line_len = 0;
            } else if b != b'\r' {
                self.line_len += 1;
            }
            self.prev = b;
        }
        false
    }
}

/// What the transport tracks of the request a connection is on.
struct CycleState {
    /// When the request's first byte came (the accept, for the first request).
    started: Instant,
    /// Bytes read since then.
    bytes: u64,
    /// Answers given on the connection, and how many of them the read side has seen
    /// (a difference means the next read starts a new request).
    answered: u64,
    seen_answered: u64,
    /// The head is complete and the request is being answered.
    in_service: bool,
    scan: HeadScan,
    lone_lf: bool,
    /// The `reset` fault: close with a reset.
    reset: bool,
}

struct Cycle(Mutex<CycleState>);

impl Cycle {
    fn new() -> Self {
        Cycle(Mutex::new(CycleState {
            started: Instant::now(),
            bytes: 0,
            answered: 0,
            seen_answered: 0,
            in_service: false,
            scan: HeadScan::default(),
            lone_lf: false,
            reset: false,
        }))
    }

    fn lock(&self) -> MutexGuard<'_, CycleState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn on_read(&self, data: &[u8]) {
        let mut c = self.lock();
        if c.seen_answered != c.answered {
            c.seen_answered = c.answered;
            c.started = Instant::now();
            c.bytes = 0;
            c.in_service = false;
            c.scan = HeadScan::default();
            c.lone_lf = false;
        }
        c.bytes += data.len() as u64;
        if !c.in_service && c.scan.feed(data) {
            c.lone_lf = true;
        }
    }

    /// The head is complete: returns the request's deadline and whether its head held
    /// a lone LF.
    fn enter_service(&self, timeout: Duration) -> (Instant, bool) {
        let mut c = self.lock();
        c.in_service = true;
        (c.started + timeout, c.lone_lf)
    }

    fn answered(&self) {
        self.lock().answered += 1;
    }

    /// Whether part of a request arrived and was not answered.
    fn partial_request(&self) -> bool {
        let c = self.lock();
        c.seen_answered == c.answered && c.bytes > 0 && !c.in_service
    }
}

/// The socket, shared with the code that runs after hyper is done with it, and
/// watched for the request cycle.
struct Socket {
    stream: Arc<TcpStream>,
    cycle: Arc<Cycle>,
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            ready!(self.stream.poll_read_ready(cx))?;
            let unfilled = buf.initialize_unfilled();
            match self.stream.try_read(unfilled) {
                Ok(n) => {
                    if let Some(data) = unfilled.get(..n) {
                        self.cycle.on_read(data);
                    }
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write(data) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                other => return Poll::Ready(other),
            }
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write_vectored(bufs) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                other => return Poll::Ready(other),
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // A peer that already went away is not an error worth reporting.
        let _ = SockRef::from(&*self.stream).shutdown(Shutdown::Write);
        Poll::Ready(Ok(()))
    }
}

/// The service's error: the connection ends without an answer (injected faults).
#[derive(Debug)]
struct Aborted;

impl std::fmt::Display for Aborted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed without an answer (injected fault)")
    }
}

impl std::error::Error for Aborted {}

/// Counts the connections being served; the count drops with the guard.
struct Active(Arc<AtomicUsize>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accepts connections until the runtime stops, at most `max_connections` at once.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let active = Arc::new(AtomicUsize::new(0));
    let max = shared.config.max_connections.max(1);
    let timeout = Duration::from_millis(shared.config.request_timeout_millis.max(1));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .keep_alive(true)
        // A client may half-close once its request is sent and still read the answer.
        .half_close(true)
        .max_headers(MAX_HEADERS)
        .max_header_size(MAX_HEAD_BYTES)
        .title_case_headers(true);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors or a connection reset before accept: let
                // connections finish, then go on.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if active.load(Ordering::Acquire) >= max {
            refused(&shared, 503);
            tokio::spawn(refuse_over_cap(stream));
            continue;
        }
        active.fetch_add(1, Ordering::AcqRel);
        let guard = Active(Arc::clone(&active));
        let shared = Arc::clone(&shared);
        let builder = builder.clone();
        tokio::spawn(async move {
            let _guard = guard;
            serve(stream, shared, builder).await;
        });
    }
}

/// A request the transport answered (or closed) before routing: counted and logged.
fn refused(shared: &Shared, status: u16) {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    shared
        .lock()
        .stats
        .request(stats::TRANSPORT, &status.to_string());
    if shared.config.log_requests {
        eprintln!("- - -> {status}");
    }
}

async fn refuse_over_cap(stream: TcpStream) {
    let _ = tokio::time::timeout(
        REFUSAL_TIME,
        write_canned(&stream, 503, "Too many connections at once; retry", true),
    )
    .await;
    let _ = SockRef::from(&stream).shutdown(Shutdown::Write);
    let _ = tokio::time::timeout(REFUSAL_TIME, drain(&stream, 64 * 1024)).await;
}

/// Serves one connection: hyper for its requests, then what hyper leaves undone.
async fn serve(stream: TcpStream, shared: Arc<Shared>, builder: http1::Builder) {
    let _ = stream.set_nodelay(true);
    let stream = Arc::new(stream);
    let cycle = Arc::new(Cycle::new());
    let io = TokioIo::new(Socket {
        stream: Arc::clone(&stream),
        cycle: Arc::clone(&cycle),
    });
    let service = {
        let (shared, cycle) = (Arc::clone(&shared), Arc::clone(&cycle));
        service_fn(move |request| handle(Arc::clone(&shared), Arc::clone(&cycle), request))
    };
    let result = builder.serve_connection(io, service).await;
    if cycle.lock().reset {
        // Zero linger: the close below sends a reset.
        let _ = SockRef::from(&*stream).set_linger(Some(Duration::ZERO));
        return;
    }
    if let Err(e) = result {
        if e.is_parse_version_h2() {
            refused(&shared, 505);
            write_canned(
                &stream,
                505,
                "HTTP version not supported: HTTP/1.1 only",
                false,
            )
            .await;
        } else if e.is_timeout() && cycle.partial_request() {
            refused(&shared, 408);
            write_canned(&stream, 408, "The request did not arrive in time", false).await;
        } else if e.is_parse_too_large() {
            refused(&shared, 431);
        } else if e.is_parse() {
            refused(&shared, 400);
        }
    }
    let _ = SockRef::from(&*stream).shutdown(Shutdown::Write);
    let _ = tokio::time::timeout(LINGER_TIME, drain(&stream, LINGER_BYTES)).await;
}

/// Reads and drops what the client sends, up to `limit` bytes or its EOF.
async fn drain(stream: &TcpStream, limit: u64) {
    let mut sink = vec![0u8; 16 * 1024];
    let mut dropped = 0u64;
    while dropped < limit {
        if stream.readable().await.is_err() {
            return;
        }
        match stream.try_read(&mut sink) {
            Ok(0) => return,
            Ok(n) => dropped += n as u64,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

/// One of the transport's own answers, written straight to the socket (hyper wrote
/// nothing for this request), with `Connection: close`.
async fn write_canned(stream: &TcpStream, status: u16, detail: &str, retry_after: bool) {
    let body = serde_json::json!({ "detail": detail }).to_string();
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let retry = if retry_after {
        "Retry-After: 1\r\n"
    } else {
        ""
    };
    let text = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{retry}Connection: close\r\n\r\n{body}",
        body.len()
    );
    let write = async {
        let mut rest = text.as_bytes();
        while !rest.is_empty() {
            if stream.writable().await.is_err() {
                return;
            }
            match stream.try_write(rest) {
                Ok(n) => rest = rest.get(n..).unwrap_or_default(),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    };
    let _ = tokio::time::timeout(CANNED_WRITE_TIME, write).await;
}

/// Whether every header value is visible ASCII, spaces and tabs (hyper also takes
/// bytes above 0x7e, which the simulator refuses as it did before hyper).
fn headers_are_plain(headers: &hyper::HeaderMap) -> bool {
    headers.values().all(|v| {
        v.as_bytes()
            .iter()
            .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
    })
}

/// The answer to one request, as hyper hands it over.
async fn handle(
    shared: Arc<Shared>,
    cycle: Arc<Cycle>,
    request: hyper::Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Aborted> {
    {
        let timeout = Duration::from_millis(shared.config.request_timeout_millis.max(1));
        let (deadline, lone_lf) = cycle.enter_service(timeout);
        shared.requests.fetch_add(1, Ordering::Relaxed);
        let (parts, body) = request.into_parts();
        let method = parts.method.as_str();
        let path = parts.uri.path();
        let unread_body = !body.is_end_stream();
        let mut body_read = false;
        let (key, mut reply) = if lone_lf || !headers_are_plain(&parts.headers) {
            (
                stats::TRANSPORT.to_owned(),
                Reply::detail(400, "The request head holds bytes that are not allowed"),
            )
        } else if parts
            .headers
            .get(EXPECT)
            .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"100-continue"))
        {
            (
                stats::TRANSPORT.to_owned(),
                Reply::detail(417, "Only Expect: 100-continue is supported"),
            )
        } else {
            // Methods are counted by name only when standard, so that a client sending
            // made-up methods cannot grow the stats without bound.
            let counted = match method {
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" => method,
                _ => "OTHER",
            };
            match api::route(method, path) {
                Route::NotFound => (
                    format!("{counted} (unknown path)"),
                    Reply::detail(404, "Not Found"),
                ),
                Route::MethodNotAllowed => (
                    format!("{counted} (method not allowed)"),
                    Reply::detail(405, "Method Not Allowed"),
                ),
                Route::Endpoint(endpoint) => {
                    body_read = true;
                    let key = endpoint.template().to_owned();
                    (
                        key,
                        answer(&shared, &endpoint, &parts, body, deadline).await,
                    )
                }
            }
        };
        if unread_body && !body_read {
            // hyper drains a short rest or closes; say so.
            reply.close = true;
        }
        let status_key = match reply.abort {
            Some(_) => stats::CLOSED.to_owned(),
            None => reply.status.to_string(),
        };
        // The inspection endpoint is not counted: polling it changes nothing.
        if key != Endpoint::Stats.template() {
            shared.lock().stats.request(&key, &status_key);
        }
        if shared.config.log_requests {
            // Method, path and status only: paths hold ids and enum tokens, never
            // personal data, and bodies are never logged.
            eprintln!("{method} {path} -> {status_key}");
        }
        cycle.answered();
        match reply.abort {
            Some(Abort::Reset) => {
                cycle.lock().reset = true;
                Err(Aborted)
            }
            Some(Abort::LostResponse) => Err(Aborted),
            None => Ok(response(&reply)),
        }
    }
}

/// Reads the body within the endpoint's limits, then lets the API answer.
async fn answer(
    shared: &Arc<Shared>,
    endpoint: &Endpoint,
    parts: &hyper::http::request::Parts,
    body: Incoming,
    deadline: Instant,
) -> Reply {
    match read_body(body, endpoint.body_limit(), &shared.budget, deadline).await {
        Err(e) => body_reply(e),
        Ok((bytes, _reservation)) => api::answer(
            shared,
            endpoint,
            &api::Request {
                method: parts.method.as_str(),
                path: parts.uri.path(),
                query: parts.uri.query(),
                headers: &parts.headers,
                body: &bytes,
            },
        ),
    }
}

fn response(reply: &Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(reply.body.clone()));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if !reply.body.is_empty() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if reply.retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    if reply.close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_line_feeds_are_found_in_the_head_only() {
        let mut s = HeadScan::default();
        assert!(!s.feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n{\n}"));
        let mut s = HeadScan::default();
        assert!(s.feed(b"GET / HTTP/1.1\r\nA: b\nC: d\r\n\r\n"));
        let mut s = HeadScan::default();
        assert!(!s.feed(b"\r\n\r\nGET / HTTP/1.1\r"));
        assert!(!s.feed(b"\nHost: a\r\n\r"));
        assert!(!s.feed(b"\nbody\nwith\nlines"));
        let mut s = HeadScan::default();
        assert!(s.feed(b"GET / HTTP/1.1\n\n"));
    }

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let budget = Budget::new(100);
        let mut a = Reservation::new(&budget);
        assert!(a.grow(60));
        let mut b = Reservation::new(&budget);
        assert!(!b.grow(41));
        assert!(b.grow(40));
        assert_eq!(budget.used(), 100);
        drop(a);
        assert_eq!(budget.used(), 40);
        drop(b);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn plain_headers() {
        let mut h = hyper::HeaderMap::new();
        h.insert("a", HeaderValue::from_static("b c\td"));
        assert!(headers_are_plain(&h));
        h.insert("e", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        assert!(!headers_are_plain(&h));
    }
}
