//! The simulator under faults (issue 8, item 6): clients that disconnect mid-request,
//! send malformed HTTP, oversized bodies, or send slowly or not at all must not stop it
//! serving others. During each fault a normal client (login, create application, get
//! application over the SDK's HTTP client) must finish within a deadline: a hang guard,
//! not a benchmark. Each fault's own answer is checked too (400, 408, 413, 431, ...).
//!
//! With the former tiny_http transport, four clients stalled mid-body blocked every
//! worker (no answer to anyone), one `Content-Length: 1000000000000` aborted the process,
//! and a truncated upload was recorded as a complete one; these tests fail on it.

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use common::*;
use jiko_e2e::faults::{Fault, Outcome, Rng, Target, OVERSIZED_BYTES};
use jiko_e2e::{fixtures, FlowError};
use jiko_onboarding::Error;
use jiko_sandbox::{Config, Sandbox};

/// The hang guard: a normal round trip must finish within this.
const GUARD: Duration = Duration::from_secs(20);
/// The simulator's request deadline in these tests (stalled faults end after it).
const TEST_REQUEST_TIMEOUT_MS: u64 = 2_000;

fn quick_sandbox() -> Sandbox {
    sandbox_with(Config {
        request_timeout_millis: TEST_REQUEST_TIMEOUT_MS,
        ..Config::default()
    })
}

fn addr(sandbox: &Sandbox) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], sandbox.port()))
}

/// A token and a fresh application to aim the upload faults at.
fn target(sandbox: &Sandbox) -> Target {
    let (mut o, token) = logged_in(sandbox);
    let app = o
        .create(&fixtures::applicant("412345678", "fault-target"))
        .unwrap();
    Target {
        addr: addr(sandbox),
        token,
        application_id: app.id,
    }
}

/// Login, create application, get application, through the SDK's client, on another
/// thread; fails the test if it errs or does not finish within [`GUARD`].
///
/// A 503 is the simulator's answer, at once, when faulty clients hold all its
/// connections (`max_connections`): not a hang, and retryable by the SDK's own
/// classification, so the round trip starts again after a pause, within the guard. On a
/// loaded machine the faulty clients of `disconnect_mid_upload` can briefly outrun the
/// threads that notice their disconnections.
fn round_trip_within_guard(sandbox: &Sandbox, what: &str) {
    let mut o = caller(sandbox);
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let result = loop {
            let result = (|| {
                o.login()?;
                let app = o.create(&fixtures::applicant("412345678", "guard"))?;
                o.get(&app.id)
            })();
            match result {
                Err(FlowError::Sdk(Error::Api(ref e))) if e.status == 503 => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => break other,
            }
        };
        let _ = tx.send(result.map(|a| a.status.to_string()));
    });
    match rx.recv_timeout(GUARD) {
        Ok(Ok(status)) => assert_eq!(status, "CREATED", "{what}"),
        Ok(Err(e)) => panic!("{what}: the normal client failed: {e}"),
        Err(_) => panic!(
            "{what}: the normal client did not finish within {GUARD:?} (hang) after {:?}",
            started.elapsed()
        ),
    }
}

/// Runs `fault` over and over on `clients` threads; while they run, normal round
/// trips must finish within the guard. Then checks every outcome of the fault.
fn during_fault(fault: Fault, clients: usize) {
    let sandbox = quick_sandbox();
    let target = target(&sandbox);
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let target = target.clone();
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut rng = Rng::new(0x5eed_0000 + c as u64);
                let mut outcomes: Vec<Outcome> = Vec::new();
                while !stop.load(Ordering::Acquire) {
                    outcomes.push(fault.run(&target, &mut rng).unwrap());
                }
                outcomes
            })
        })
        .collect();
    // Let the faulty clients get going, then do the round trips during the fault.
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..3 {
        round_trip_within_guard(&sandbox, &format!("{} (round trip {i})", fault.name()));
    }
    stop.store(true, Ordering::Release);
    let outcomes: Vec<Outcome> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("a faulty client panicked"))
        .collect();
    assert!(
        !outcomes.is_empty(),
        "{}: the fault never ran",
        fault.name()
    );
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for o in &outcomes {
        *seen.entry(format!("{:?}", o.status)).or_default() += 1;
        assert!(
            fault.accepts(o),
            "{}: unexpected answer {:?} (expected one of {:?})",
            fault.name(),
            o.status,
            fault.expected()
        );
        // Every fault ends within the simulator's deadline plus its linger, with room
        // for a loaded machine; nothing waits for the client's 30 s timeout.
        assert!(
            o.elapsed < Duration::from_secs(15),
            "{}: took {:?}",
            fault.name(),
            o.elapsed
        );
    }
    // No body memory is held once the faults are over.
    let deadline = Instant::now() + Duration::from_secs(10);
    while sandbox.body_bytes_held() != 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(sandbox.body_bytes_held(), 0, "{}", fault.name());
    println!(
        "{}: {} runs, answers {seen:?}",
        fault.name(),
        outcomes.len()
    );
}

macro_rules! fault_tests {
    ($($test:ident: $fault:expr, $clients:expr;)*) => {
        $(
            #[test]
            fn $test() {
                during_fault($fault, $clients);
            }
        )*
        /// Every fault has its test above.
        #[test]
        fn every_fault_is_tested() {
            let tested = [$($fault),*];
            for fault in Fault::ALL {
                assert!(tested.contains(&fault), "{} has no test", fault.name());
            }
        }
    };
}

fault_tests! {
    disconnect_at_once: Fault::DisconnectAtOnce, 4;
    disconnect_mid_head: Fault::DisconnectMidHead, 4;
    disconnect_mid_upload: Fault::DisconnectMidUpload, 4;
    disconnect_mid_chunk: Fault::DisconnectMidChunked, 4;
    short_body_then_half_close: Fault::ShortBodyThenHalfClose, 4;
    idle_connections: Fault::IdleConnection, 8;
    stalled_heads: Fault::StalledHead, 8;
    stalled_bodies: Fault::StalledBody, 8;
    slowloris: Fault::Slowloris, 8;
    garbage_request_lines: Fault::GarbageRequestLine, 4;
    binary_noise: Fault::BinaryNoise, 4;
    bad_headers: Fault::BadHeader, 4;
    oversized_heads: Fault::OversizedHead, 4;
    too_many_headers: Fault::TooManyHeaders, 4;
    bad_framing: Fault::BadFraming, 4;
    chunked_garbage: Fault::ChunkedGarbage, 4;
    oversized_declared: Fault::OversizedDeclared, 4;
    content_length_huge: Fault::ContentLengthHuge, 4;
    oversized_streamed: Fault::OversizedStreamed, 2;
    oversized_chunked: Fault::OversizedChunked, 2;
    http2_preface: Fault::Http2Preface, 4;
}

/// Many connections stalled at once, in every way, outlive the round trip: the normal
/// client does not need them to time out (the deadline here is a minute).
#[test]
fn forty_stalled_connections_do_not_block_a_normal_client() {
    let sandbox = sandbox_with(Config {
        request_timeout_millis: 60_000,
        ..Config::default()
    });
    let target = target(&sandbox);
    let partial: [&[u8]; 5] = [
        b"",
        b"POST /api/v1/lo",
        b"POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        b"POST /api/v1/login/ HTTP/1.1\r\nContent-Length: 500\r\n\r\n{\"user",
        b"POST /api/v1/login/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n{\"u",
    ];
    let held: Vec<TcpStream> = (0..40)
        .map(|i| {
            let mut s = TcpStream::connect(target.addr).unwrap();
            s.write_all(partial[i % partial.len()]).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    round_trip_within_guard(&sandbox, "40 stalled connections");
    // The stalled connections are still open: nobody answered them.
    for s in &held {
        s.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 16];
        let r = std::io::Read::read(&mut &*s, &mut buf);
        assert!(
            matches!(&r, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a stalled connection was answered or closed early: {r:?}"
        );
    }
    drop(held);
}

/// A truncated upload is refused (400) and not recorded: the application still has no
/// document (tiny_http passed the truncated bytes on as a complete body).
#[test]
fn truncated_uploads_are_not_recorded() {
    let sandbox = quick_sandbox();
    let target = target(&sandbox);
    let mut rng = Rng::new(1);
    for _ in 0..10 {
        Fault::DisconnectMidUpload.run(&target, &mut rng).unwrap();
    }
    // The same, half-closed so the answer can be read: 400.
    let key = jiko_onboarding::new_idempotency_key().unwrap();
    let mut s = TcpStream::connect(target.addr).unwrap();
    write!(
        s,
        "POST /api/v1/applications/{}/documents/ID_FRONT/file/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {}\r\nx-jiko-idempotency: {key}\r\nContent-Type: image/png\r\n\
         Content-Length: {}\r\n\r\n",
        target.application_id,
        target.token,
        fixtures::PNG_1X1.len() + 100
    )
    .unwrap();
    s.write_all(fixtures::PNG_1X1).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = Vec::new();
    std::io::Read::read_to_end(&mut s, &mut answer).unwrap();
    assert_eq!(jiko_e2e::faults::parse_status(&answer), Some(400));

    let (mut o, _) = logged_in(&sandbox);
    let app = o.get(&target.application_id).unwrap();
    assert!(
        app.documents.is_empty(),
        "a truncated upload was recorded: {} document(s)",
        app.documents.len()
    );
    // A complete upload still is.
    o.upload(
        &target.application_id,
        &jiko_onboarding::DocumentType::IdFront,
        "image/png",
        fixtures::PNG_1X1,
    )
    .unwrap();
    let app = o.get(&target.application_id).unwrap();
    assert_eq!(app.documents.len(), 1);
}

/// Oversized bodies: 413 as soon as the head is read (nothing of the body was sent),
/// and a client that keeps sending is cut off long before its 60 MiB.
#[test]
fn oversized_bodies_are_refused_without_being_read() {
    let sandbox = quick_sandbox();
    let target = target(&sandbox);
    let mut rng = Rng::new(2);
    for fault in [Fault::OversizedDeclared, Fault::ContentLengthHuge] {
        // The body never comes: a simulator waiting for it would answer 408 at its
        // 2 s deadline, so 413 shows it answered from the declared length alone.
        let o = fault.run(&target, &mut rng).unwrap();
        assert_eq!(o.status, Some(413), "{}", fault.name());
    }
    for fault in [Fault::OversizedStreamed, Fault::OversizedChunked] {
        let o = fault.run(&target, &mut rng).unwrap();
        assert_eq!(o.status, Some(413), "{}", fault.name());
        assert!(
            o.sent < OVERSIZED_BYTES / 2,
            "{}: the simulator took {} of {OVERSIZED_BYTES} bytes",
            fault.name(),
            o.sent
        );
        println!(
            "{}: 413 after the client got {} KiB through (socket buffers and the 1 MiB linger)",
            fault.name(),
            o.sent / 1024
        );
    }
    // The simulator is still there, and holds no body memory.
    round_trip_within_guard(&sandbox, "after oversized bodies");
    assert_eq!(sandbox.body_bytes_held(), 0);
}

/// A slowloris sending a byte per second is cut at the request deadline with 408, after
/// a handful of bytes; normal clients are served meanwhile.
#[test]
fn a_slowloris_is_cut_at_the_deadline() {
    let sandbox = sandbox_with(Config {
        request_timeout_millis: 3_000,
        ..Config::default()
    });
    let target = target(&sandbox);
    let slow = {
        let target = target.clone();
        std::thread::spawn(move || Fault::Slowloris.run(&target, &mut Rng::new(3)).unwrap())
    };
    std::thread::sleep(Duration::from_millis(500));
    round_trip_within_guard(&sandbox, "slowloris");
    let o = slow.join().unwrap();
    assert_eq!(o.status, Some(408));
    // A handful of bytes of a request of about 150: cut long before the end.
    assert!((1..=10).contains(&o.sent), "sent {} bytes", o.sent);
    assert!(
        o.elapsed >= Duration::from_millis(2_500) && o.elapsed < Duration::from_secs(10),
        "{:?}",
        o.elapsed
    );
}

/// Over the connection cap: 503 at once, not a wait; below it again, normal service.
#[test]
fn connections_over_the_cap_get_503_at_once() {
    let sandbox = sandbox_with(Config {
        max_connections: 4,
        request_timeout_millis: 60_000,
        ..Config::default()
    });
    let held: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(addr(&sandbox)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let mut s = TcpStream::connect(addr(&sandbox)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(b"GET /api/v1/agreements/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let mut answer = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut answer);
    assert_eq!(jiko_e2e::faults::parse_status(&answer), Some(503));
    assert!(String::from_utf8_lossy(&answer).contains("Retry-After: 1"));
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(held);
    // The held connections close; their threads end and the cap frees up.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut o = caller(&sandbox);
        match o.login() {
            Ok(()) => break,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("still refused after the cap freed: {e}"),
        }
    }
    round_trip_within_guard(&sandbox, "after the cap");
}

/// Bodies share a memory budget: one that would pass it gets 503 before it is read,
/// a small one still passes, and the budget comes back when the holder goes.
#[test]
fn body_memory_is_capped_across_connections() {
    let sandbox = sandbox_with(Config {
        body_memory_limit: 1 << 20,
        request_timeout_millis: 60_000,
        ..Config::default()
    });
    let target = target(&sandbox);
    // An upload declaring 900 KB, stalled after a few bytes, holds 900 KB of budget.
    let key = jiko_onboarding::new_idempotency_key().unwrap();
    let mut holder = TcpStream::connect(target.addr).unwrap();
    write!(
        holder,
        "POST /api/v1/applications/{}/documents/ADDRESS_VERIFICATION/file/ HTTP/1.1\r\n\
         Host: 127.0.0.1\r\nAuthorization: Bearer {}\r\nx-jiko-idempotency: {key}\r\n\
         Content-Type: image/png\r\nContent-Length: 900000\r\n\r\nPNG",
        target.application_id, target.token
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while sandbox.body_bytes_held() != 900_000 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sandbox.body_bytes_held(), 900_000);
    // 200 KB more would pass the 1 MiB budget: 503, unread.
    let mut s = TcpStream::connect(target.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(
        b"POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200000\r\n\r\n",
    )
    .unwrap();
    let mut answer = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut answer);
    assert_eq!(jiko_e2e::faults::parse_status(&answer), Some(503));
    // A small body still fits.
    round_trip_within_guard(&sandbox, "body budget nearly used");
    drop(holder);
    let deadline = Instant::now() + Duration::from_secs(10);
    while sandbox.body_bytes_held() != 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sandbox.body_bytes_held(), 0);
}

/// Expect: 100-continue is answered before the body is read, and not when the body
/// is refused from its declared length.
#[test]
fn expect_continue_is_honoured() {
    let sandbox = quick_sandbox();
    let body = br#"{"username": "sandbox-user", "password": "sandbox-password"}"#;
    let mut s = TcpStream::connect(addr(&sandbox)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut interim = [0u8; 25];
    std::io::Read::read_exact(&mut s, &mut interim).unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(body).unwrap();
    let mut answer = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut answer);
    assert_eq!(jiko_e2e::faults::parse_status(&answer), Some(200));

    let mut s = TcpStream::connect(addr(&sandbox)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: {OVERSIZED_BYTES}\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut answer);
    assert_eq!(jiko_e2e::faults::parse_status(&answer), Some(413));
}
