//! `jiko-sandbox [OPTIONS]`: serves the simulator until killed. The first line on
//! stdout is `listening on http://127.0.0.1:PORT`; the seed and settings go to stderr.

use std::io::Write;
use std::process::ExitCode;

use jiko_sandbox::{
    Config, FaultRates, IdempotencyMode, Sandbox, DEFAULT_DECIDE_AFTER_MILLIS,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_PASSWORD, DEFAULT_REQUEST_TIMEOUT_MILLIS,
    DEFAULT_SIGNING_SECRET, DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_USERNAME,
    DEFAULT_WEBHOOK_ATTEMPTS, DEFAULT_WEBHOOK_RETRY_MILLIS,
};

fn usage() -> String {
    format!(
        "jiko-sandbox {version}: a local stand-in for Jiko's sandbox Partner API (HTTP on 127.0.0.1):
onboarding, customers, accounts and portals, webhooks, Fund Account, faults on demand.

Usage: jiko-sandbox [OPTIONS]

Options:
  --port N                      port on 127.0.0.1; 0 picks a free one [default: 0]
  --username U                  username Login accepts [default: {DEFAULT_USERNAME}]
  --password P                  password Login accepts [default: {DEFAULT_PASSWORD}]
  --signing-secret S            shared secret for x-jiko-signature [default: {DEFAULT_SIGNING_SECRET}]
  --outcome-after-polls N       the KYC outcome shows on the N-th Get Application after
                                Apply; 0 puts it in Apply's answer [default: 1]
  --outcome-after-ms N          ... and not before N ms after Apply [default: 0]
  --decide-after-ms N           the outcome also shows by itself N ms after Apply, polled
                                or not, with its webhook; 0: never [default: {DEFAULT_DECIDE_AFTER_MILLIS}]
  --token-lifetime-seconds N    bearer token lifetime; 0 issues already-expired tokens
                                [default: {DEFAULT_TOKEN_LIFETIME_SECONDS}]
  --idempotency MODE            replay: a repeated request (same key, method, path and
                                body within the hour) gets the first answer again, another
                                request under a used key gets 409; reject: 409 on any
                                reuse [default: replay]
  --faults KIND=P,...           inject faults with probability P (0 to 1) each, at most one
                                per request or delivery. Per API request: lost_response,
                                server_error, unavailable, rate_limit, reset, token_revoked.
                                Per webhook delivery: webhook_duplicate, webhook_delay,
                                webhook_reorder [default: none]
  --seed N                      seed of the faults and of the ids handed out; printed on
                                stderr at start-up [default: random]
  --webhook-attempts N          attempts per webhook delivery, the first included
                                [default: {DEFAULT_WEBHOOK_ATTEMPTS}]
  --webhook-retry-ms N          wait before a delivery's second attempt; it doubles for
                                each next one [default: {DEFAULT_WEBHOOK_RETRY_MILLIS}]
  --max-connections N           connections served at once; more get 503 at once
                                (--threads N is the same) [default: {DEFAULT_MAX_CONNECTIONS}]
  --request-timeout-ms N        time a request has to arrive whole (head and body);
                                then 408 [default: {DEFAULT_REQUEST_TIMEOUT_MILLIS}]
  --log                         print `METHOD path -> status` per request to stderr
  -h, --help                    print this help
  -V, --version                 print the version

The first line on stdout is `listening on http://127.0.0.1:PORT`. The process serves
until it is killed. GET /_simulator/stats answers what it did (no authentication).
Sandbox outcomes follow the SSN rules of Jiko's onboarding guide; the guide to the
simulator is docs/simulator.md in the jiko-onboarding repository.
",
        version = env!("CARGO_PKG_VERSION")
    )
}

fn parse<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag}: not a valid number"))
}

fn text(flag: &str, value: Option<String>) -> Result<String, String> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(format!("{flag} needs a non-empty value")),
    }
}

enum Command {
    Run(Box<Config>),
    Help,
    Version,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut config = Config::default();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, mut inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg, None),
        };
        let mut value = || inline.take().or_else(|| args.next());
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--port" => config.port = parse(&flag, value())?,
            "--username" => config.username = text(&flag, value())?,
            "--password" => config.password = text(&flag, value())?,
            "--signing-secret" => config.signing_secret = text(&flag, value())?,
            "--outcome-after-polls" => config.outcome_after_polls = parse(&flag, value())?,
            "--outcome-after-ms" => config.outcome_after_millis = parse(&flag, value())?,
            "--decide-after-ms" => config.decide_after_millis = parse(&flag, value())?,
            "--token-lifetime-seconds" => config.token_lifetime_seconds = parse(&flag, value())?,
            "--idempotency" => {
                let mode = text(&flag, value())?;
                config.idempotency = IdempotencyMode::parse(&mode)
                    .ok_or_else(|| format!("{flag}: {mode:?} is not replay or reject"))?;
            }
            "--faults" => {
                config.faults = FaultRates::parse(&value().unwrap_or_default())
                    .map_err(|e| format!("--faults: {e}"))?;
            }
            "--seed" => config.seed = Some(parse(&flag, value())?),
            "--webhook-attempts" => config.webhook_attempts = parse(&flag, value())?,
            "--webhook-retry-ms" => config.webhook_retry_millis = parse(&flag, value())?,
            "--max-connections" | "--threads" => config.max_connections = parse(&flag, value())?,
            "--request-timeout-ms" => config.request_timeout_millis = parse(&flag, value())?,
            "--log" => config.log_requests = true,
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    Ok(Command::Run(Box::new(config)))
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => *config,
        Ok(Command::Help) => {
            print!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("jiko-sandbox {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("jiko-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jiko-sandbox: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = sandbox.config();
    eprintln!(
        "jiko-sandbox: seed {} (--seed {} replays this run's faults and ids); idempotency {}; faults {}",
        sandbox.seed(),
        sandbox.seed(),
        config.idempotency.as_str(),
        config.faults
    );
    let mut out = std::io::stdout().lock();
    if writeln!(out, "listening on {}", sandbox.base_url())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    sandbox.wait();
    ExitCode::SUCCESS
}
