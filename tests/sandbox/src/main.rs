//! `jiko-sandbox [--port N] [--username U] [--password P] [--signing-secret S]
//! [--outcome-after-polls N] ...`: serves the simulator until killed. The first line
//! on stdout is `listening on http://127.0.0.1:PORT`.

use std::io::Write;
use std::process::ExitCode;

use jiko_sandbox::{
    Config, Sandbox, DEFAULT_MAX_CONNECTIONS, DEFAULT_PASSWORD, DEFAULT_REQUEST_TIMEOUT_MILLIS,
    DEFAULT_SIGNING_SECRET, DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_USERNAME,
};

fn usage() -> String {
    format!(
        "jiko-sandbox: a local stand-in for Jiko's sandbox onboarding API (HTTP on 127.0.0.1).

Usage: jiko-sandbox [OPTIONS]

Options:
  --port N                      port on 127.0.0.1; 0 picks a free one [default: 0]
  --username U                  username Login accepts [default: {DEFAULT_USERNAME}]
  --password P                  password Login accepts [default: {DEFAULT_PASSWORD}]
  --signing-secret S            shared secret for x-jiko-signature [default: {DEFAULT_SIGNING_SECRET}]
  --outcome-after-polls N       the KYC outcome shows on the N-th Get Application after
                                Apply; 0 puts it in Apply's answer [default: 1]
  --outcome-after-ms N          ... and not before N ms after Apply [default: 0]
  --token-lifetime-seconds N    bearer token lifetime; 0 issues already-expired tokens
                                [default: {DEFAULT_TOKEN_LIFETIME_SECONDS}]
  --max-connections N           connections served at once, one thread each; more get
                                503 (--threads N is the same) [default: {DEFAULT_MAX_CONNECTIONS}]
  --request-timeout-ms N        time a connection has to send its whole request
                                (head and body); then 408 [default: {DEFAULT_REQUEST_TIMEOUT_MILLIS}]
  --log                         print `METHOD path -> status` per request to stderr
  -h, --help                    print this help

The first line on stdout is `listening on http://127.0.0.1:PORT`. The process serves
until it is killed. Sandbox outcomes follow the SSN rules of Jiko's onboarding guide
(see tests/sandbox/README.md).
"
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
    Run(Config),
    Help,
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
            "--port" => config.port = parse(&flag, value())?,
            "--username" => config.username = text(&flag, value())?,
            "--password" => config.password = text(&flag, value())?,
            "--signing-secret" => config.signing_secret = text(&flag, value())?,
            "--outcome-after-polls" => config.outcome_after_polls = parse(&flag, value())?,
            "--outcome-after-ms" => config.outcome_after_millis = parse(&flag, value())?,
            "--token-lifetime-seconds" => config.token_lifetime_seconds = parse(&flag, value())?,
            "--max-connections" | "--threads" => config.max_connections = parse(&flag, value())?,
            "--request-timeout-ms" => config.request_timeout_millis = parse(&flag, value())?,
            "--log" => config.log_requests = true,
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    Ok(Command::Run(config))
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{}", usage());
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
