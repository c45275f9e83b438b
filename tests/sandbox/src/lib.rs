//! `jiko-sandbox`: a local stand-in for Jiko's sandbox onboarding API.
//!
//! It serves the onboarding endpoints with the guide's paths (trailing slash) on
//! 127.0.0.1, keeps its state in memory and answers each connection on its own thread,
//! with a deadline, size caps and a connection cap that keep faulty clients (stalled,
//! slow, malformed, oversized) from stopping it serving others (see `server`). Every
//! rule it applies comes from the core crate `jiko-onboarding`:
//! `Signer::verify` for signatures, `validate_application_value` for bodies,
//! `check_upload` for documents, `sandbox_scenario` for what each SSN leads to and
//! `required_documents` for what an application still needs.
//!
//! ```no_run
//! let sandbox = jiko_sandbox::Sandbox::start(jiko_sandbox::Config::default())?;
//! println!("{}", sandbox.base_url()); // http://127.0.0.1:PORT
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! See the crate's README for the behaviour where the guide is silent.

#![forbid(unsafe_code)]

pub mod clock;
mod http;
mod server;
mod state;

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use jiko_onboarding::Signer;

pub use http::{AGREEMENTS_VERSION, JSON_BODY_LIMIT, UPLOAD_BODY_LIMIT};
pub use server::{MAX_HEADERS, MAX_HEAD_BYTES};
pub use state::IDEMPOTENCY_WINDOW_MILLIS;

/// Username the simulator accepts unless told otherwise.
pub const DEFAULT_USERNAME: &str = "sandbox-user";
/// Password the simulator accepts unless told otherwise.
pub const DEFAULT_PASSWORD: &str = "sandbox-password";
/// Shared signing secret the simulator verifies with unless told otherwise.
pub const DEFAULT_SIGNING_SECRET: &str = "sandbox-signing-secret";
/// Jiko's token lifetime: 60 minutes.
pub const DEFAULT_TOKEN_LIFETIME_SECONDS: u64 = 3_600;
/// Connections served at once, each on its own thread; more get 503.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;
/// Time a connection has to deliver its whole request (head and body), in ms.
pub const DEFAULT_REQUEST_TIMEOUT_MILLIS: u64 = 10_000;
/// Bytes of request bodies held at once, across connections; a body that would pass
/// it gets 503. Enough for five uploads at the API's largest size.
pub const DEFAULT_BODY_MEMORY_LIMIT: u64 = 256 << 20;

/// How the simulator behaves.
#[derive(Clone)]
pub struct Config {
    /// 127.0.0.1 port; 0 picks any free port.
    pub port: u16,
    /// The username Login accepts.
    pub username: String,
    /// The password Login accepts.
    pub password: String,
    /// The shared secret signatures are verified with.
    pub signing_secret: String,
    /// The KYC outcome appears on the N-th Get Application after Apply (default 1: the
    /// next poll). 0 puts the outcome in Apply's own answer.
    pub outcome_after_polls: u32,
    /// ... and not before this many milliseconds after Apply (default 0).
    pub outcome_after_millis: u64,
    /// Lifetime of bearer tokens (default 3600). 0 issues tokens that are already
    /// expired, for tests of the 401 path.
    pub token_lifetime_seconds: u64,
    /// Connections served at once, each on its own thread (default 64); a connection
    /// over the cap is answered 503 at once.
    pub max_connections: usize,
    /// Time a connection has from its accept to deliver its whole request, head and
    /// body, however slowly the bytes come (default 10,000 ms). Past it: 408 if
    /// anything arrived, else the connection is closed silently.
    pub request_timeout_millis: u64,
    /// Bytes of request bodies held at once across connections (default 256 MiB); a
    /// body that would pass it is refused with 503 before it is read.
    pub body_memory_limit: u64,
    /// Print `METHOD path -> status` to stderr for every request (never bodies).
    pub log_requests: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            username: DEFAULT_USERNAME.to_owned(),
            password: DEFAULT_PASSWORD.to_owned(),
            signing_secret: DEFAULT_SIGNING_SECRET.to_owned(),
            outcome_after_polls: 1,
            outcome_after_millis: 0,
            token_lifetime_seconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            request_timeout_millis: DEFAULT_REQUEST_TIMEOUT_MILLIS,
            body_memory_limit: DEFAULT_BODY_MEMORY_LIMIT,
            log_requests: false,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("signing_secret", &"<redacted>")
            .field("outcome_after_polls", &self.outcome_after_polls)
            .field("outcome_after_millis", &self.outcome_after_millis)
            .field("token_lifetime_seconds", &self.token_lifetime_seconds)
            .field("max_connections", &self.max_connections)
            .field("request_timeout_millis", &self.request_timeout_millis)
            .field("body_memory_limit", &self.body_memory_limit)
            .finish()
    }
}

/// What the connection threads share.
pub(crate) struct Shared {
    config: Config,
    signer: Signer,
    state: Mutex<state::State>,
    requests: AtomicU64,
    budget: server::Budget,
}

impl Shared {
    /// The state; a thread that panicked mid-update leaves it usable.
    fn lock(&self) -> MutexGuard<'_, state::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running simulator. Dropping it stops accepting connections and closes the port;
/// connections being served finish within their deadline.
pub struct Sandbox {
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    port: u16,
}

impl Sandbox {
    /// Binds 127.0.0.1:`config.port` and starts accepting connections.
    pub fn start(config: Config) -> io::Result<Sandbox> {
        let signer = Signer::new(config.signing_secret.as_str())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            budget: server::Budget::new(config.body_memory_limit),
            config,
            signer,
            state: Mutex::new(state::State::default()),
            requests: AtomicU64::new(0),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("jiko-sandbox-accept".to_owned())
                .spawn(move || server::accept_loop(listener, shared, stop))?
        };
        Ok(Sandbox {
            shared,
            stop,
            acceptor: Some(acceptor),
            port,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, the base URL for the core's `ClientConfig::BaseUrl`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Test hook: every token issued so far is expired from now on.
    pub fn expire_tokens(&self) {
        self.shared.lock().expire_tokens(clock::now_millis());
    }

    /// How many applications were created.
    pub fn application_count(&self) -> usize {
        self.shared.lock().application_count()
    }

    /// How many HTTP requests were answered (or are being answered), the ones the
    /// transport refused (malformed, too large, over the connection cap) included.
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Bytes of request bodies held right now (0 when no body is being read or used).
    pub fn body_bytes_held(&self) -> u64 {
        self.shared.budget.used()
    }

    /// Blocks until the simulator stops accepting (it stops only when the sandbox is
    /// dropped from another thread, so for the binary this is "forever").
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accept loop with a connection of our own, which it drops unserved.
        let woken = TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], self.port)),
            Duration::from_secs(1),
        )
        .is_ok();
        if let Some(acceptor) = self.acceptor.take() {
            if woken {
                let _ = acceptor.join();
            }
        }
    }
}
