//! `jiko-sandbox`: a local stand-in for Jiko's sandbox Partner API, to develop and
//! test against.
//!
//! It serves the onboarding endpoints with the guide's paths (trailing slash) on
//! 127.0.0.1, then what follows an approval (customer, account, portal), webhook
//! subscriptions with signed deliveries to loopback receivers, the sandbox's Trigger
//! Webhook and Fund Account, idempotent replays, faults on demand (seeded, so a run
//! reproduces) and an inspection endpoint, `GET /_simulator/stats`. State is kept in
//! memory. Every onboarding rule comes from the core crate `jiko-onboarding`:
//! `Signer::verify` for signatures, `validate_application_json` for bodies,
//! `check_upload` for documents, `sandbox_scenario` for what each SSN leads to and
//! `required_documents` for what an application still needs.
//!
//! ```no_run
//! let sandbox = jiko_sandbox::Sandbox::start(jiko_sandbox::Config::default())?;
//! println!("{}", sandbox.base_url()); // http://127.0.0.1:PORT
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The guide to its behaviour, flags and endpoints is docs/simulator.md.

#![forbid(unsafe_code)]

mod api;
mod bank;
mod banking;
pub mod clock;
mod faults;
mod idempotency;
mod paging;
mod rng;
mod state;
mod stats;
mod transport;
mod webhooks;

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jiko_onboarding::Signer;

pub use api::{AGREEMENTS_VERSION, JSON_BODY_LIMIT, UPLOAD_BODY_LIMIT};
pub use banking::aba_routing_number_is_valid;
pub use faults::{FaultKind, FaultRates};
pub use idempotency::{IdempotencyMode, IDEMPOTENCY_KEY_CAPACITY, IDEMPOTENCY_WINDOW_MILLIS};
pub use transport::{MAX_HEADERS, MAX_HEAD_BYTES};
pub use webhooks::{webhook_signature, DELIVERY_TIMEOUT, EVENT_TYPES, MIN_SHARED_SECRET_CHARS};

/// Username the simulator accepts unless told otherwise.
pub const DEFAULT_USERNAME: &str = "sandbox-user";
/// Password the simulator accepts unless told otherwise.
pub const DEFAULT_PASSWORD: &str = "sandbox-password";
/// Shared signing secret the simulator verifies with unless told otherwise.
pub const DEFAULT_SIGNING_SECRET: &str = "sandbox-signing-secret";
/// Jiko's token lifetime: 60 minutes.
pub const DEFAULT_TOKEN_LIFETIME_SECONDS: u64 = 3_600;
/// Connections served at once; more get 503.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;
/// Time a request has to arrive whole (head and body), in ms.
pub const DEFAULT_REQUEST_TIMEOUT_MILLIS: u64 = 10_000;
/// Bytes of request bodies held at once, across connections; a body that would pass
/// it gets 503. Enough for five uploads at the API's largest size.
pub const DEFAULT_BODY_MEMORY_LIMIT: u64 = 256 << 20;
/// A pending KYC outcome reveals itself this long after Apply, polled or not.
pub const DEFAULT_DECIDE_AFTER_MILLIS: u64 = 2_000;
/// Attempts per webhook delivery (the first one included).
pub const DEFAULT_WEBHOOK_ATTEMPTS: u32 = 5;
/// Wait before a delivery's second attempt; it doubles for each next one.
pub const DEFAULT_WEBHOOK_RETRY_MILLIS: u64 = 500;

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
    /// The outcome also reveals itself this many milliseconds after Apply, polled or
    /// not, with its webhook (default 2000; 0: never, only polls reveal it).
    pub decide_after_millis: u64,
    /// Lifetime of bearer tokens (default 3600). 0 issues tokens that are already
    /// expired, for tests of the 401 path.
    pub token_lifetime_seconds: u64,
    /// What a repeated idempotency key gets (default: the first answer again).
    pub idempotency: IdempotencyMode,
    /// Faults to inject, with their probabilities (default: none).
    pub faults: FaultRates,
    /// Seed of the faults and of the ids handed out; `None` picks one at random (the
    /// binary prints it, and [`Sandbox::seed`] tells it).
    pub seed: Option<u64>,
    /// Attempts per webhook delivery, the first included (default 5).
    pub webhook_attempts: u32,
    /// Wait before a delivery's second attempt, doubling after (default 500 ms).
    pub webhook_retry_millis: u64,
    /// Connections served at once (default 64); one over the cap is answered 503 at
    /// once.
    pub max_connections: usize,
    /// Time a request has to arrive whole, head and body, however slowly the bytes
    /// come (default 10,000 ms): from the accept for a connection's first request,
    /// from its first byte for the next ones. Past it: 408 if anything arrived, else
    /// the connection is closed silently (an idle keep-alive connection too).
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
            decide_after_millis: DEFAULT_DECIDE_AFTER_MILLIS,
            token_lifetime_seconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
            idempotency: IdempotencyMode::Replay,
            faults: FaultRates::default(),
            seed: None,
            webhook_attempts: DEFAULT_WEBHOOK_ATTEMPTS,
            webhook_retry_millis: DEFAULT_WEBHOOK_RETRY_MILLIS,
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
            .field("decide_after_millis", &self.decide_after_millis)
            .field("token_lifetime_seconds", &self.token_lifetime_seconds)
            .field("idempotency", &self.idempotency)
            .field("faults", &self.faults.to_string())
            .field("seed", &self.seed)
            .field("webhook_attempts", &self.webhook_attempts)
            .field("webhook_retry_millis", &self.webhook_retry_millis)
            .field("max_connections", &self.max_connections)
            .field("request_timeout_millis", &self.request_timeout_millis)
            .field("body_memory_limit", &self.body_memory_limit)
            .field("log_requests", &self.log_requests)
            .finish()
    }
}

/// What the connections and timers share.
pub(crate) struct Shared {
    config: Config,
    signer: Signer,
    state: Mutex<state::State>,
    requests: AtomicU64,
    budget: transport::Budget,
    runtime: tokio::runtime::Handle,
}

impl Shared {
    /// The state; a task that panicked mid-update leaves it usable.
    fn lock(&self) -> MutexGuard<'_, state::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A seed from the OS random source (the clock if it fails).
fn random_seed() -> u64 {
    jiko_onboarding::new_idempotency_key()
        .ok()
        .and_then(|k| u64::from_str_radix(k.replace('-', "").get(..16)?, 16).ok())
        .unwrap_or_else(clock::now_millis)
}

/// A running simulator. Dropping it stops the server and closes the port.
pub struct Sandbox {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    port: u16,
    seed: u64,
}

impl Sandbox {
    /// Binds 127.0.0.1:`config.port` and starts serving, on a runtime of its own.
    pub fn start(config: Config) -> io::Result<Sandbox> {
        let signer = Signer::new(config.signing_secret.as_str())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .thread_name("jiko-sandbox")
            .enable_io()
            .enable_time()
            .build()?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let seed = config.seed.unwrap_or_else(random_seed);
        let shared = Arc::new(Shared {
            budget: transport::Budget::new(config.body_memory_limit),
            state: Mutex::new(state::State::new(seed, config.faults.clone())),
            config,
            signer,
            requests: AtomicU64::new(0),
            runtime: runtime.handle().clone(),
        });
        runtime.spawn(transport::accept_loop(listener, Arc::clone(&shared)));
        Ok(Sandbox {
            shared,
            runtime: Some(runtime),
            port,
            seed,
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

    /// The seed of its faults and ids (the configured one, or the one it picked).
    pub fn seed(&self) -> u64 {
        self.seed
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
    /// transport refused (malformed, too large, too slow, over the connection cap)
    /// included.
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Bytes of request bodies held right now (0 when no body is being read or used).
    pub fn body_bytes_held(&self) -> u64 {
        self.shared.budget.used()
    }

    /// The document `GET /_simulator/stats` answers.
    pub fn stats(&self) -> serde_json::Value {
        self.shared.lock().stats_json()
    }

    /// Serves until the process is killed (the binary's main loop).
    pub fn wait(self) {
        if let Some(runtime) = &self.runtime {
            runtime.block_on(std::future::pending::<()>());
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            // Inside another runtime a blocking shutdown is not allowed.
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(1));
            }
        }
    }
}
