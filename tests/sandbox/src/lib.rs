//! `jiko-sandbox`: a local stand-in for Jiko's sandbox onboarding API.
//!
//! It serves the onboarding endpoints with the guide's paths (trailing slash) on
//! 127.0.0.1, keeps its state in memory and answers concurrent clients from a small
//! thread pool. Every rule it applies comes from the core crate `jiko-onboarding`:
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
mod state;

use std::io;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use jiko_onboarding::Signer;

pub use http::AGREEMENTS_VERSION;
pub use state::IDEMPOTENCY_WINDOW_MILLIS;

/// Username the simulator accepts unless told otherwise.
pub const DEFAULT_USERNAME: &str = "sandbox-user";
/// Password the simulator accepts unless told otherwise.
pub const DEFAULT_PASSWORD: &str = "sandbox-password";
/// Shared signing secret the simulator verifies with unless told otherwise.
pub const DEFAULT_SIGNING_SECRET: &str = "sandbox-signing-secret";
/// Jiko's token lifetime: 60 minutes.
pub const DEFAULT_TOKEN_LIFETIME_SECONDS: u64 = 3_600;
/// Worker threads answering requests.
pub const DEFAULT_THREADS: usize = 4;

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
    /// Worker threads (default 4).
    pub threads: usize,
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
            threads: DEFAULT_THREADS,
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
            .field("threads", &self.threads)
            .finish()
    }
}

/// What the worker threads share.
pub(crate) struct Shared {
    config: Config,
    signer: Signer,
    state: Mutex<state::State>,
    requests: AtomicU64,
}

impl Shared {
    /// The state; a worker that panicked mid-update leaves it usable.
    fn lock(&self) -> MutexGuard<'_, state::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running simulator. Dropping it stops the workers and closes the port.
pub struct Sandbox {
    server: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
    port: u16,
}

impl Sandbox {
    /// Binds 127.0.0.1:`config.port` and starts the worker threads.
    pub fn start(config: Config) -> io::Result<Sandbox> {
        let signer = Signer::new(config.signing_secret.as_str())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let port = listener.local_addr()?.port();
        let server = tiny_http::Server::from_listener(listener, None)
            .map(Arc::new)
            .map_err(|e| io::Error::other(e.to_string()))?;
        let threads = config.threads.max(1);
        let shared = Arc::new(Shared {
            config,
            signer,
            state: Mutex::new(state::State::default()),
            requests: AtomicU64::new(0),
        });
        let mut workers = Vec::with_capacity(threads);
        for i in 0..threads {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            let worker = std::thread::Builder::new()
                .name(format!("jiko-sandbox-{i}"))
                .spawn(move || {
                    // recv fails when the server is unblocked for shutdown.
                    while let Ok(request) = server.recv() {
                        shared.requests.fetch_add(1, Ordering::Relaxed);
                        http::handle(&shared, request);
                    }
                })?;
            workers.push(worker);
        }
        Ok(Sandbox {
            server,
            shared,
            workers,
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

    /// How many HTTP requests were answered (or are being answered).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Blocks until the workers stop (they stop only when the sandbox is dropped from
    /// another thread, so for the binary this is "forever").
    pub fn wait(mut self) {
        for worker in std::mem::take(&mut self.workers) {
            let _ = worker.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
