//! `make soak`: the simulator under a few minutes of load and faults.
//!
//! Starts the simulator binary (`jiko-sandbox --port 0`, next to this one, or
//! `SOAK_SANDBOX`) on 127.0.0.1, then for `SOAK_SECONDS` (default 180) runs
//! `SOAK_CLIENTS` (default 6) clients doing complete onboarding flows through the SDK
//! (each on its own keep-alive connection) and `SOAK_FAULTY` (default 3) faulty
//! clients, each running faults picked at random (seed `SOAK_SEED`, printed) from
//! `jiko_e2e::faults`. Then prints the requests the simulator served (from
//! `GET /_simulator/stats`) by status, requests per second, the normal clients' errors
//! by kind, the faults by kind with their answers, and the simulator's resident memory
//! (start, end, peak) and thread count.
//!
//! Exits 1 if a normal flow failed, a fault got an answer it should not have, or the
//! simulator died; it asserts no timing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiko_e2e::driver::{Credentials as DriverCredentials, Event, Onboarding};
use jiko_e2e::faults::{Fault, Rng, Target};
use jiko_e2e::{fixtures, Caller, Client, Credentials};
use jiko_onboarding::ClientConfig;

const MAX_SECONDS: u64 = 3_600;
const MAX_CLIENTS: usize = 32;
const MAX_FAULTY: usize = 16;

fn env_number(name: &str, default: u64, max: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(default)
        .min(max)
}

/// The simulator process; killed on drop.
struct Simulator {
    child: Child,
    base_url: String,
    pid: u32,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A field of /proc/PID/status, in kB or a count.
fn proc_status(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn start_simulator(exe: &std::path::Path) -> Result<Simulator, String> {
    let mut child = Command::new(exe)
        .args(["--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let pid = child.id();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading the simulator's first line: {e}"))?;
    let base_url = line
        .trim_end()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected first line {line:?}"))?
        .to_owned();
    // The start-up line (seed and settings), echoed; nothing else is written there.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            println!("  {line}");
        }
    });
    Ok(Simulator {
        child,
        base_url,
        pid,
    })
}

fn caller(base_url: &str) -> Result<Caller, String> {
    let client = Client::new(
        ClientConfig::BaseUrl(base_url.to_owned()),
        jiko_sandbox::DEFAULT_SIGNING_SECRET,
    )
    .map_err(|e| e.to_string())?;
    Ok(Caller::new(
        client,
        Credentials {
            username: jiko_sandbox::DEFAULT_USERNAME.to_owned(),
            password: jiko_sandbox::DEFAULT_PASSWORD.into(),
        },
    ))
}

fn onboarding(base_url: &str) -> Result<Onboarding, String> {
    Onboarding::new(
        ClientConfig::BaseUrl(base_url.to_owned()),
        DriverCredentials::new(
            jiko_sandbox::DEFAULT_USERNAME,
            jiko_sandbox::DEFAULT_PASSWORD,
            jiko_sandbox::DEFAULT_SIGNING_SECRET,
        ),
    )
    .map(|o| o.with_flow_config(jiko_e2e::quick_flow_config()))
    .map_err(|e| e.to_string())
}

#[derive(Default)]
struct ClientReport {
    flows: u64,
    requests: u64,
    errors: BTreeMap<String, u64>,
    flow_millis: Vec<u64>,
}

fn normal_client(
    index: usize,
    base_url: &str,
    deadline: Instant,
    stop: &AtomicBool,
) -> ClientReport {
    let mut report = ClientReport::default();
    let onboarding = match onboarding(base_url) {
        Ok(o) => o,
        Err(_) => {
            report.errors.insert("client set-up".to_owned(), 1);
            return report;
        }
    };
    let mut flow = 0usize;
    while Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
        let mix = fixtures::OUTCOME_MIX;
        let (ssn, expected) = mix
            .get((index * 7 + flow) % mix.len())
            .copied()
            .unwrap_or(("412345678", "APPROVED"));
        let tag = format!("soak-c{index}-f{flow}");
        let started = Instant::now();
        let result = jiko_e2e::journey(
            &onboarding,
            &fixtures::applicant(ssn, &tag),
            Duration::from_secs(5),
        );
        report
            .flow_millis
            .push(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        match result {
            Ok(journey) => {
                report.requests += journey
                    .events
                    .iter()
                    .filter(|e| matches!(e, Event::Sent { .. }))
                    .count() as u64;
                let problem = match (&journey.result.error, &journey.result.application) {
                    (Some(e), _) => Some(format!("flow error {}", e.code())),
                    (None, Some(app)) if app.status.as_str() != expected => {
                        Some("wrong final status".to_owned())
                    }
                    (None, Some(app)) if app.email != Some(fixtures::email(&tag)) => {
                        Some("another applicant's data".to_owned())
                    }
                    (None, Some(_)) => None,
                    (None, None) => Some("no application".to_owned()),
                };
                match problem {
                    Some(p) => *report.errors.entry(p).or_default() += 1,
                    None => report.flows += 1,
                }
            }
            Err(e) => {
                *report
                    .errors
                    .entry(format!("sdk error {}", e.code()))
                    .or_default() += 1
            }
        }
        flow += 1;
    }
    report
}

#[derive(Default)]
struct FaultReport {
    /// fault -> answer -> count
    answers: BTreeMap<Fault, BTreeMap<String, u64>>,
    unexpected: BTreeMap<Fault, u64>,
    errors: BTreeMap<String, u64>,
    bytes_sent: u64,
}

fn faulty_client(base_url: &str, seed: u64, deadline: Instant, stop: &AtomicBool) -> FaultReport {
    let mut report = FaultReport::default();
    let target = (|| -> Result<Target, String> {
        let addr: SocketAddr = base_url
            .strip_prefix("http://")
            .ok_or("base URL")?
            .parse()
            .map_err(|_| "address")?;
        let mut o = caller(base_url)?;
        let token = o.token().map_err(|e| e.to_string())?;
        let app = o
            .create(&fixtures::applicant("412345678", "soak-fault-target"))
            .map_err(|e| e.to_string())?;
        Ok(Target {
            addr,
            token,
            application_id: app.id,
        })
    })();
    let target = match target {
        Ok(t) => t,
        Err(e) => {
            report.errors.insert(format!("set-up: {e}"), 1);
            return report;
        }
    };
    let mut rng = Rng::new(seed);
    while Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
        let fault = Fault::ALL
            .get(rng.below(Fault::ALL.len()))
            .copied()
            .unwrap_or(Fault::GarbageRequestLine);
        match fault.run(&target, &mut rng) {
            Ok(outcome) => {
                report.bytes_sent += outcome.sent;
                let answer = outcome
                    .status
                    .map_or_else(|| "none".to_owned(), |s| s.to_string());
                *report
                    .answers
                    .entry(fault)
                    .or_default()
                    .entry(answer)
                    .or_default() += 1;
                if !fault.accepts(&outcome) {
                    *report.unexpected.entry(fault).or_default() += 1;
                }
            }
            Err(e) => *report.errors.entry(e).or_default() += 1,
        }
    }
    report
}

/// `GET /_simulator/stats`, or `None` if the simulator did not answer.
fn simulator_stats(base_url: &str) -> Option<serde_json::Value> {
    let mut response = ureq::get(&format!("{base_url}/_simulator/stats"))
        .call()
        .ok()?;
    let text = response.body_mut().read_to_string().ok()?;
    serde_json::from_str(&text).ok()
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted.get(rank).copied().unwrap_or(0)
}

fn mib(kb: Option<u64>) -> String {
    kb.map_or_else(
        || "n/a".to_owned(),
        |kb| format!("{:.1} MiB", kb as f64 / 1024.0),
    )
}

fn run() -> Result<bool, String> {
    let seconds = env_number("SOAK_SECONDS", 180, MAX_SECONDS).max(1);
    let clients = usize::try_from(env_number("SOAK_CLIENTS", 6, MAX_CLIENTS as u64)).unwrap_or(6);
    let faulty = usize::try_from(env_number("SOAK_FAULTY", 3, MAX_FAULTY as u64)).unwrap_or(3);
    let seed = env_number("SOAK_SEED", 20_260_101, u64::MAX);
    let exe = match std::env::var_os("SOAK_SANDBOX") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name(format!("jiko-sandbox{}", std::env::consts::EXE_SUFFIX)),
    };
    let sim = start_simulator(&exe)?;
    println!(
        "soak: {seconds} s, {clients} clients doing complete flows, {faulty} faulty clients \
         (seed {seed}), against {} (pid {}, {})",
        sim.base_url,
        sim.pid,
        exe.display()
    );

    let rss_start = proc_status(sim.pid, "VmRSS");
    let peak_rss_sampled = Arc::new(AtomicU64::new(rss_start.unwrap_or(0)));
    let peak_threads = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);

    let sampler = {
        let (pid, stop) = (sim.pid, Arc::clone(&stop));
        let (peak, threads) = (Arc::clone(&peak_rss_sampled), Arc::clone(&peak_threads));
        std::thread::spawn(move || {
            let mut last_print = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                if let Some(kb) = proc_status(pid, "VmRSS") {
                    peak.fetch_max(kb, Ordering::Relaxed);
                    if last_print.elapsed() >= Duration::from_secs(30) {
                        last_print = Instant::now();
                        println!(
                            "  t={:>4} s  simulator RSS {}, {} threads",
                            started.elapsed().as_secs(),
                            mib(Some(kb)),
                            proc_status(pid, "Threads").unwrap_or(0)
                        );
                    }
                }
                if let Some(t) = proc_status(pid, "Threads") {
                    threads.fetch_max(t, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };

    let (client_reports, fault_reports) = std::thread::scope(|scope| {
        let normal: Vec<_> = (0..clients)
            .map(|i| {
                let (url, stop) = (sim.base_url.as_str(), &*stop);
                scope.spawn(move || normal_client(i, url, deadline, stop))
            })
            .collect();
        let faults: Vec<_> = (0..faulty)
            .map(|i| {
                let (url, stop) = (sim.base_url.as_str(), &*stop);
                scope.spawn(move || faulty_client(url, seed.wrapping_add(i as u64), deadline, stop))
            })
            .collect();
        let clients: Vec<ClientReport> = normal
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect();
        let faults: Vec<FaultReport> = faults
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect();
        (clients, faults)
    });
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();

    let alive = proc_status(sim.pid, "VmRSS").is_some();
    let rss_end = proc_status(sim.pid, "VmRSS");
    let hwm = proc_status(sim.pid, "VmHWM");
    let threads_end = proc_status(sim.pid, "Threads");
    let stats = simulator_stats(&sim.base_url);
    drop(sim);

    // Answers by status, from the simulator's own count (`closed`: no answer).
    let mut served: BTreeMap<String, u64> = BTreeMap::new();
    if let Some(requests) = stats
        .as_ref()
        .and_then(|s| s.get("requests")?.as_object().cloned())
    {
        for (endpoint, by_status) in requests {
            for (status, n) in by_status.as_object().into_iter().flatten() {
                let key = if endpoint == "(transport)" {
                    format!("{status} (transport)")
                } else {
                    status.clone()
                };
                *served.entry(key).or_default() += n.as_u64().unwrap_or(0);
            }
        }
    }
    let total_served: u64 = served.values().sum();
    let flows: u64 = client_reports.iter().map(|r| r.flows).sum();
    let flow_requests: u64 = client_reports.iter().map(|r| r.requests).sum();
    let mut client_errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut flow_millis: Vec<u64> = Vec::new();
    for r in &client_reports {
        for (k, v) in &r.errors {
            *client_errors.entry(k.clone()).or_default() += v;
        }
        flow_millis.extend(&r.flow_millis);
    }
    flow_millis.sort_unstable();
    let mut answers: BTreeMap<Fault, BTreeMap<String, u64>> = BTreeMap::new();
    let mut unexpected: BTreeMap<Fault, u64> = BTreeMap::new();
    let mut fault_errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut fault_bytes = 0u64;
    for r in &fault_reports {
        for (fault, by) in &r.answers {
            for (answer, n) in by {
                *answers
                    .entry(*fault)
                    .or_default()
                    .entry(answer.clone())
                    .or_default() += n;
            }
        }
        for (fault, n) in &r.unexpected {
            *unexpected.entry(*fault).or_default() += n;
        }
        for (k, v) in &r.errors {
            *fault_errors.entry(k.clone()).or_default() += v;
        }
        fault_bytes += r.bytes_sent;
    }
    let fault_runs: u64 = answers.values().flat_map(|m| m.values()).sum();

    let secs = elapsed.as_secs_f64().max(1e-9);
    println!();
    println!("soak results ({:.1} s):", secs);
    println!(
        "  requests served by the simulator: {total_served} ({:.0} requests/s)",
        total_served as f64 / secs
    );
    let by_status: Vec<String> = served.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    println!("    by status: {}", by_status.join(", "));
    println!(
        "  normal clients: {flows} complete flows ({flow_requests} requests, {:.0} requests/s); \
         flow time p50 {} ms, p99 {} ms, max {} ms",
        flow_requests as f64 / secs,
        percentile(&flow_millis, 0.5),
        percentile(&flow_millis, 0.99),
        flow_millis.last().copied().unwrap_or(0)
    );
    if client_errors.is_empty() {
        println!("    errors by kind: none");
    } else {
        let e: Vec<String> = client_errors
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        println!("    errors by kind: {}", e.join(", "));
    }
    println!(
        "  faulty clients: {fault_runs} faults run, {:.1} MiB sent; by kind (answers):",
        fault_bytes as f64 / 1048576.0
    );
    for (fault, by) in &answers {
        let a: Vec<String> = by.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let bad = unexpected.get(fault).copied().unwrap_or(0);
        println!(
            "    {:<26} {:>5}  [{}]{}",
            fault.name(),
            by.values().sum::<u64>(),
            a.join(", "),
            if bad > 0 {
                format!("  UNEXPECTED: {bad}")
            } else {
                String::new()
            }
        );
    }
    if !fault_errors.is_empty() {
        let e: Vec<String> = fault_errors
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        println!("    faulty-client errors: {}", e.join(", "));
    }
    println!(
        "  simulator memory: RSS at start {}, at end {}, peak (VmHWM) {}; sampled peak {}",
        mib(rss_start),
        mib(rss_end),
        mib(hwm),
        mib(Some(peak_rss_sampled.load(Ordering::Relaxed)))
    );
    if let (Some(start), Some(end), true) = (rss_start, rss_end, flows > 0) {
        // The simulator keeps every application, and every idempotency key for an hour,
        // in memory: RSS grows with the flows served, not with time.
        println!(
            "  RSS growth per request served: {:.0} bytes ({:.1} KiB per complete flow); \
             the simulator keeps every application and, for an hour, every idempotency key",
            end.saturating_sub(start) as f64 * 1024.0 / total_served.max(1) as f64,
            end.saturating_sub(start) as f64 / flows.max(1) as f64
        );
    }
    println!(
        "  simulator threads: peak sampled {}, at end {}",
        peak_threads.load(Ordering::Relaxed),
        threads_end.map_or_else(|| "n/a".to_owned(), |t| t.to_string())
    );

    let unexpected_total: u64 = unexpected.values().sum();
    let ok =
        alive && client_errors.is_empty() && unexpected_total == 0 && (clients == 0 || flows > 0);
    if !alive {
        println!("  FAILED: the simulator was not running at the end");
    }
    println!("soak: {}", if ok { "passed" } else { "FAILED (see above)" });
    Ok(ok)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::from(2)
        }
    }
}
