//! The HTTP/1.1 transport, written to survive faulty clients.
//!
//! - One thread per connection, at most `max_connections` at once; a connection over the
//!   cap gets 503 at once instead of waiting behind the others.
//! - One request per connection (`Connection: close` on every answer).
//! - A deadline per connection: the whole request (head and body) must arrive within
//!   `request_timeout_millis` of the accept, whatever the pace of the bytes, so a client
//!   that stalls or sends a byte per second holds its thread for that long at most.
//! - Size caps checked before anything is buffered: the head is at most
//!   [`MAX_HEAD_BYTES`] in at most [`MAX_HEADERS`] lines, and a body is refused with 413
//!   from its `Content-Length` (or, chunked, as soon as the chunks pass the limit),
//!   without reading it. Bodies being read share a memory budget
//!   (`body_memory_limit`); a body that would pass it gets 503.
//! - Malformed requests (request line, header syntax, framing, chunk syntax) get 400,
//!   505 or 501, and the connection is closed.
//!
//! Nothing here decides anything about the API: `http` routes and answers.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::http::{self, Reply};
use crate::Shared;

/// Largest request head (request line and header lines, with their line ends).
pub const MAX_HEAD_BYTES: usize = 32 * 1024;
/// Most header lines in a request.
pub const MAX_HEADERS: usize = 100;
/// Longest line of a chunked body's framing (chunk size and extensions, trailers).
const MAX_CHUNK_LINE: usize = 1024;
/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 64 * 1024;
/// How long writing an answer may take (answers are a few kilobytes).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// After the answer, what the client still sends is read and dropped, up to this many
/// bytes and for this long, so that a client still writing a body the server refused
/// reads the answer rather than a connection reset. Then the connection is closed.
const LINGER_BYTES: u64 = 1 << 20;
const LINGER_TIME: Duration = Duration::from_secs(2);

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

/// A request body, with its share of the memory budget.
pub(crate) struct Body<'a> {
    bytes: Vec<u8>,
    _reservation: Reservation<'a>,
}

impl std::ops::Deref for Body<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Longer than the endpoint's limit (declared, or found while reading chunks): 413.
    TooLarge,
    /// The connection ended (or failed) before the body did: 400.
    Incomplete,
    /// The chunked framing is not valid: 400.
    Malformed,
    /// The body did not arrive before the connection's deadline: 408.
    TimedOut,
    /// Other bodies hold the memory budget: 503.
    Busy,
}

/// How the body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Empty,
    Length(u64),
    Chunked,
}

/// What happened to the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyState {
    Unread,
    Read,
    Failed,
}

/// A socket with bytes read ahead and the connection's deadline.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    start: usize,
    deadline: Instant,
}

enum ReadError {
    TimedOut,
    Closed,
}

impl Conn {
    fn buffered(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.buf.len());
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    /// One read from the socket, waiting no later than the deadline. `Ok(0)` is EOF.
    fn read_socket(&mut self, out: &mut [u8]) -> Result<usize, ReadError> {
        read_before(&self.stream, self.deadline, out)
    }

    /// Appends one socket read to the read-ahead buffer; `Ok(0)` is EOF.
    fn fill(&mut self) -> Result<usize, ReadError> {
        let old = self.buf.len();
        self.buf.resize(old + READ_CHUNK.min(MAX_HEAD_BYTES), 0);
        let result = match self.buf.get_mut(old..) {
            Some(spare) => read_before(&self.stream, self.deadline, spare),
            None => Ok(0),
        };
        let n = *result.as_ref().unwrap_or(&0);
        self.buf.truncate(old + n);
        result
    }

    /// Reads into `out`: buffered bytes first, then the socket. `Ok(0)` is EOF.
    fn read_into(&mut self, out: &mut [u8]) -> Result<usize, ReadError> {
        let buffered = self.buffered();
        if !buffered.is_empty() {
            let n = buffered.len().min(out.len());
            if let (Some(dst), Some(src)) = (out.get_mut(..n), buffered.get(..n)) {
                dst.copy_from_slice(src);
            }
            self.consume(n);
            return Ok(n);
        }
        self.read_socket(out)
    }

    /// Appends exactly `n` bytes to `body`.
    fn read_exact_into(&mut self, body: &mut Vec<u8>, n: u64) -> Result<(), BodyError> {
        let mut left = n;
        while left > 0 {
            let want = usize::try_from(left.min(READ_CHUNK as u64)).unwrap_or(READ_CHUNK);
            let old = body.len();
            body.resize(old + want, 0);
            let got = match body.get_mut(old..) {
                Some(spare) => self.read_into(spare).map_err(body_error)?,
                None => 0,
            };
            body.truncate(old + got);
            if got == 0 {
                return Err(BodyError::Incomplete);
            }
            left -= got as u64;
        }
        Ok(())
    }

    /// A line of a chunked body's framing, without its CRLF.
    fn read_line(&mut self) -> Result<Vec<u8>, BodyError> {
        loop {
            if let Some(end) = find(self.buffered(), b"\r\n", 0) {
                let line = self.buffered().get(..end).unwrap_or_default().to_vec();
                self.consume(end + 2);
                return Ok(line);
            }
            if self.buffered().len() > MAX_CHUNK_LINE {
                return Err(BodyError::Malformed);
            }
            if self.fill().map_err(body_error)? == 0 {
                return Err(BodyError::Incomplete);
            }
        }
    }
}

/// One read, waiting no later than `deadline`. `Ok(0)` is EOF.
fn read_before(
    mut stream: &TcpStream,
    deadline: Instant,
    out: &mut [u8],
) -> Result<usize, ReadError> {
    loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(ReadError::TimedOut)?;
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| ReadError::Closed)?;
        match stream.read(out) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(ReadError::TimedOut)
            }
            Err(_) => return Err(ReadError::Closed),
        }
    }
}

fn body_error(e: ReadError) -> BodyError {
    match e {
        ReadError::TimedOut => BodyError::TimedOut,
        ReadError::Closed => BodyError::Incomplete,
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// One parsed request; the body is read on demand, with the caller's limit.
pub(crate) struct Request<'a> {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    framing: Framing,
    expects_continue: bool,
    conn: &'a mut Conn,
    budget: &'a Budget,
    body: BodyState,
}

impl<'a> Request<'a> {
    /// The method, as sent (methods are case-sensitive).
    pub(crate) fn method(&self) -> &str {
        &self.method
    }

    /// The request target, query included.
    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// The first header of this name (case-insensitive), without surrounding blanks.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Reads the whole body if it is at most `limit` bytes. A declared length over the
    /// limit is refused before a byte of the body is read; a chunked body is refused as
    /// soon as its chunks pass the limit. Reads once; a second call gets an empty body.
    pub(crate) fn read_body(&mut self, limit: u64) -> Result<Body<'a>, BodyError> {
        let mut reservation = Reservation::new(self.budget);
        if self.body != BodyState::Unread {
            return Ok(Body {
                bytes: Vec::new(),
                _reservation: reservation,
            });
        }
        let result = self.read_body_inner(limit, &mut reservation);
        self.body = if result.is_ok() {
            BodyState::Read
        } else {
            BodyState::Failed
        };
        result.map(|bytes| Body {
            bytes,
            _reservation: reservation,
        })
    }

    fn read_body_inner(
        &mut self,
        limit: u64,
        reservation: &mut Reservation<'a>,
    ) -> Result<Vec<u8>, BodyError> {
        match self.framing {
            Framing::Empty => Ok(Vec::new()),
            Framing::Length(n) if n > limit => Err(BodyError::TooLarge),
            Framing::Length(n) => {
                if !reservation.grow(n) {
                    return Err(BodyError::Busy);
                }
                self.send_continue();
                // n <= limit, which the caller keeps small enough to hold.
                let mut body = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
                self.conn.read_exact_into(&mut body, n)?;
                Ok(body)
            }
            Framing::Chunked => {
                self.send_continue();
                self.read_chunked(limit, reservation)
            }
        }
    }

    fn send_continue(&mut self) {
        if self.expects_continue {
            self.expects_continue = false;
            let _ = self.conn.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
    }

    fn read_chunked(
        &mut self,
        limit: u64,
        reservation: &mut Reservation<'a>,
    ) -> Result<Vec<u8>, BodyError> {
        let mut body = Vec::new();
        loop {
            let line = self.conn.read_line()?;
            let size_text = line.split(|b| *b == b';').next().unwrap_or_default();
            // Optional blanks before the extensions (RFC 9112 7.1.1, BWS).
            let size_text = size_text
                .iter()
                .rposition(|b| !matches!(b, b' ' | b'\t'))
                .and_then(|last| size_text.get(..=last))
                .unwrap_or_default();
            if size_text.is_empty() || !size_text.iter().all(u8::is_ascii_hexdigit) {
                return Err(BodyError::Malformed);
            }
            // More than 16 hex digits cannot be a size we would accept.
            if size_text.len() > 16 {
                return Err(BodyError::TooLarge);
            }
            let size = std::str::from_utf8(size_text)
                .ok()
                .and_then(|t| u64::from_str_radix(t, 16).ok())
                .ok_or(BodyError::Malformed)?;
            if size == 0 {
                // Trailer lines, then the empty line.
                for _ in 0..=MAX_HEADERS {
                    if self.conn.read_line()?.is_empty() {
                        return Ok(body);
                    }
                }
                return Err(BodyError::Malformed);
            }
            let total = (body.len() as u64).saturating_add(size);
            if total > limit {
                return Err(BodyError::TooLarge);
            }
            if !reservation.grow(size) {
                return Err(BodyError::Busy);
            }
            self.conn.read_exact_into(&mut body, size)?;
            if !self.conn.read_line()?.is_empty() {
                return Err(BodyError::Malformed);
            }
        }
    }
}

/// A request the transport refuses before routing.
struct Refusal {
    status: u16,
    detail: &'static str,
}

fn refuse(status: u16, detail: &'static str) -> Refusal {
    Refusal { status, detail }
}

/// RFC 9110 `tchar`: the characters of methods and header names.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// What the request head says.
struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    framing: Framing,
    expects_continue: bool,
}

/// Parses the request line and the header lines (`head` ends before the empty line).
fn parse_head(head: &[u8]) -> Result<Head, Refusal> {
    // Visible ASCII, spaces and tabs only: no control bytes (a lone CR or LF
    // included), no bytes above 0x7e.
    if head
        .iter()
        .any(|&b| !(b == b'\r' || b == b'\n' || b == b'\t' || (0x20..0x7f).contains(&b)))
    {
        return Err(refuse(
            400,
            "The request head holds bytes that are not allowed",
        ));
    }
    let text = std::str::from_utf8(head)
        .map_err(|_| refuse(400, "The request head holds bytes that are not allowed"))?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    if request_line.contains(['\r', '\n', '\t']) {
        return Err(refuse(400, "Malformed request line"));
    }
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts.as_slice() else {
        return Err(refuse(400, "Malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(is_tchar) || target.is_empty() {
        return Err(refuse(400, "Malformed request line"));
    }
    match *version {
        "HTTP/1.1" | "HTTP/1.0" => {}
        v if v.len() == 8
            && v.starts_with("HTTP/")
            && v.as_bytes().get(5).is_some_and(u8::is_ascii_digit)
            && v.as_bytes().get(6) == Some(&b'.')
            && v.as_bytes().get(7).is_some_and(u8::is_ascii_digit) =>
        {
            return Err(refuse(505, "HTTP version not supported: HTTP/1.1 only"))
        }
        _ => return Err(refuse(400, "Malformed request line")),
    }
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() >= MAX_HEADERS {
            return Err(refuse(431, "Too many header lines"));
        }
        if line.starts_with([' ', '\t']) {
            return Err(refuse(400, "Folded header lines are not accepted"));
        }
        if line.contains(['\r', '\n']) {
            return Err(refuse(400, "Malformed header line"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(refuse(400, "Malformed header line"));
        };
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(refuse(400, "Malformed header name"));
        }
        headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
    }
    let framing = framing(&headers)?;
    let expects_continue = match headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("expect"))
    {
        None => false,
        Some((_, v)) if v.eq_ignore_ascii_case("100-continue") => true,
        Some(_) => return Err(refuse(417, "Only Expect: 100-continue is supported")),
    };
    Ok(Head {
        method: (*method).to_owned(),
        target: (*target).to_owned(),
        headers,
        framing,
        expects_continue,
    })
}

/// `Transfer-Encoding: chunked`, one `Content-Length`, or no body. Both, several
/// different lengths, or a length that is not digits: 400 (a request whose end is
/// ambiguous cannot be answered safely).
fn framing(headers: &[(String, String)]) -> Result<Framing, Refusal> {
    let encodings: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
        .map(|(_, v)| v.as_str())
        .collect();
    let lengths: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_str())
        .collect();
    if !encodings.is_empty() {
        if !lengths.is_empty() {
            return Err(refuse(
                400,
                "Both Content-Length and Transfer-Encoding were sent",
            ));
        }
        return match encodings.as_slice() {
            [one] if one.eq_ignore_ascii_case("chunked") => Ok(Framing::Chunked),
            _ => Err(refuse(501, "Only the chunked transfer coding is supported")),
        };
    }
    let Some(first) = lengths.first() else {
        return Ok(Framing::Empty);
    };
    if lengths.iter().any(|l| l != first) {
        return Err(refuse(400, "Conflicting Content-Length headers"));
    }
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse(400, "Content-Length is not a number"));
    }
    // Too many digits for a u64 is simply too large.
    let length = first.parse::<u64>().unwrap_or(u64::MAX);
    Ok(if length == 0 {
        Framing::Empty
    } else {
        Framing::Length(length)
    })
}

/// Reads up to the end of the head. `Err(None)`: the client closed or stayed silent
/// before sending anything worth an answer.
fn read_head(conn: &mut Conn) -> Result<Vec<u8>, Option<Refusal>> {
    let mut searched = 0;
    loop {
        // Empty lines before the request line are ignored (RFC 9112 2.2).
        while conn.buffered().starts_with(b"\r\n") {
            conn.consume(2);
            searched = 0;
        }
        if let Some(end) = find(conn.buffered(), b"\r\n\r\n", searched) {
            let head = conn.buffered().get(..end).unwrap_or_default().to_vec();
            conn.consume(end + 4);
            return Ok(head);
        }
        if conn.buffered().len() >= MAX_HEAD_BYTES {
            return Err(Some(refuse(431, "The request head is too large")));
        }
        searched = conn.buffered().len().saturating_sub(3);
        match conn.fill() {
            Ok(0) | Err(ReadError::Closed) => return Err(None),
            Ok(_) => {}
            Err(ReadError::TimedOut) if conn.buffered().is_empty() => return Err(None),
            Err(ReadError::TimedOut) => {
                return Err(Some(refuse(408, "The request did not arrive in time")))
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        417 => "Expectation Failed",
        422 => "Unprocessable Entity",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    }
}

/// The answer, with `Connection: close`: one request per connection, so an idle
/// keep-alive connection never holds a thread another client needs.
fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    let body = serde_json::to_vec(&reply.body).unwrap_or_else(|_| b"{}".to_vec());
    let retry = if reply.status == 503 {
        "Retry-After: 1\r\n"
    } else {
        ""
    };
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{retry}Connection: close\r\n\r\n",
        reply.status,
        reason(reply.status),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    // The client may have gone away; nothing to do about it.
    let _ = stream.write_all(&out).and_then(|()| stream.flush());
}

/// Ends the connection: no more output, then what the client still sends is dropped
/// (bounded in bytes and time) so it can read the answer, then the socket closes.
fn close(mut conn: Conn) {
    let _ = conn.stream.shutdown(Shutdown::Write);
    let until = Instant::now() + LINGER_TIME;
    conn.deadline = until;
    let mut dropped = conn.buffered().len() as u64;
    let mut sink = vec![0u8; 16 * 1024];
    while dropped < LINGER_BYTES {
        match conn.read_socket(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => dropped += n as u64,
        }
    }
}

fn log(shared: &Shared, method: &str, target: &str, status: u16) {
    if shared.config.log_requests {
        // Method, path and status only: paths hold ids and enum tokens, never
        // personal data, and bodies are never logged.
        eprintln!("{} {} -> {}", method, http::path_of(target), status);
    }
}

/// Serves one connection: one request, one answer.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let timeout = Duration::from_millis(shared.config.request_timeout_millis.max(1));
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
        start: 0,
        deadline: Instant::now() + timeout,
    };
    let head = match read_head(&mut conn).map(|h| parse_head(&h)) {
        Ok(Ok(head)) => head,
        Ok(Err(refusal)) | Err(Some(refusal)) => {
            shared.requests.fetch_add(1, Ordering::Relaxed);
            write_reply(
                &mut conn.stream,
                &Reply::detail(refusal.status, refusal.detail),
            );
            log(shared, "-", "-", refusal.status);
            close(conn);
            return;
        }
        Err(None) => return,
    };
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let mut request = Request {
        method: head.method,
        target: head.target,
        headers: head.headers,
        framing: head.framing,
        expects_continue: head.expects_continue,
        conn: &mut conn,
        budget: &shared.budget,
        body: BodyState::Unread,
    };
    let reply = http::answer(shared, &mut request);
    let (method, target) = (
        std::mem::take(&mut request.method),
        std::mem::take(&mut request.target),
    );
    write_reply(&mut conn.stream, &reply);
    log(shared, &method, &target, reply.status);
    close(conn);
}

/// Counts the connections being served; the count drops with the guard.
struct Active(Arc<AtomicUsize>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accepts connections until `stop` is set (and the listener is woken by a
/// connection), each on its own thread, at most `max_connections` at once.
pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>, stop: Arc<AtomicBool>) {
    let active = Arc::new(AtomicUsize::new(0));
    let max = shared.config.max_connections.max(1);
    for stream in listener.incoming() {
        if stop.load(Ordering::Acquire) {
            break;
        }
        let mut stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // Out of descriptors or a connection reset before accept: let
                // connections finish, then go on.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if active.load(Ordering::Acquire) >= max {
            shared.requests.fetch_add(1, Ordering::Relaxed);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            write_reply(
                &mut stream,
                &Reply::detail(503, "Too many connections at once; retry"),
            );
            log(&shared, "-", "-", 503);
            let _ = stream.shutdown(Shutdown::Both);
            continue;
        }
        active.fetch_add(1, Ordering::AcqRel);
        let guard = Active(Arc::clone(&active));
        let shared = Arc::clone(&shared);
        // On failure the closure, its socket and its guard are dropped.
        let _ = std::thread::Builder::new()
            .name("jiko-sandbox-conn".to_owned())
            .spawn(move || {
                let _guard = guard;
                serve_connection(stream, &shared);
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, u16> {
        parse_head(text.as_bytes()).map_err(|r| r.status)
    }

    #[test]
    fn heads_parse() {
        let h =
            head("POST /api/v1/login/?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length:  12 \r\nX-Empty:")
                .unwrap();
        assert_eq!(h.method, "POST");
        assert_eq!(h.target, "/api/v1/login/?x=1");
        assert_eq!(h.framing, Framing::Length(12));
        assert_eq!(h.headers.len(), 3);
        assert!(!h.expects_continue);
        assert!(head("GET / HTTP/1.0").is_ok());
    }

    #[test]
    fn malformed_heads_are_refused() {
        for (text, status) in [
            ("", 400),
            ("GET", 400),
            ("GET /", 400),
            ("GET  / HTTP/1.1", 400),
            ("GET / HTTP/1.1 extra", 400),
            ("G(T / HTTP/1.1", 400),
            ("GET / HTTP/1.2x", 400),
            ("GET / HTTP/2.0", 505),
            ("PRI * HTTP/2.0", 505),
            ("GET / HTTP/1.1\r\nNoColon", 400),
            ("GET / HTTP/1.1\r\nBad Name: x", 400),
            ("GET / HTTP/1.1\r\n: x", 400),
            ("GET / HTTP/1.1\r\nA: b\r\n folded", 400),
            ("GET / HTTP/1.1\r\nA: b\nC: d", 400),
            ("GET / HTTP/1.1\r\nA: \u{e9}", 400),
            ("GET / HTTP/1.1\r\nA: \u{0}", 400),
            ("GET / HTTP/1.1\r\nContent-Length: -1", 400),
            ("GET / HTTP/1.1\r\nContent-Length: 1e3", 400),
            (
                "GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6",
                400,
            ),
            (
                "GET / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked",
                400,
            ),
            ("GET / HTTP/1.1\r\nTransfer-Encoding: gzip", 501),
            ("GET / HTTP/1.1\r\nExpect: teapot", 417),
        ] {
            assert_eq!(head(text).err(), Some(status), "{text:?}");
        }
        let many = format!("GET / HTTP/1.1{}", "\r\nA: b".repeat(MAX_HEADERS + 1));
        assert_eq!(head(&many).err(), Some(431));
    }

    #[test]
    fn lengths_beyond_u64_are_too_large_not_malformed() {
        let h = head("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999").unwrap();
        assert_eq!(h.framing, Framing::Length(u64::MAX));
        let h = head("POST / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0").unwrap();
        assert_eq!(h.framing, Framing::Empty);
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
}
