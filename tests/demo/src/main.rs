//! `make demo`: see the crate documentation. Exits 0 only if every flow ended as the
//! onboarding guide says; 2 when the Jiko credentials are only partly given.

use std::process::ExitCode;

fn main() -> ExitCode {
    let target = match jiko_demo::Target::from_env() {
        Ok(t) => t,
        Err(message) => {
            eprintln!("jiko-onboarding-demo: {message}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    match jiko_demo::run(&mut out, target) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("jiko-onboarding-demo: {e}");
            ExitCode::FAILURE
        }
    }
}
