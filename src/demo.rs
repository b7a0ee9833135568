//! What the `chat` and `server` examples share: the `--mode` names and the
//! way `main` runs an async program and turns its result into an exit code.

use std::future::Future;
use std::process::ExitCode;

use leadkit_core::Policy;

/// The names `--mode` accepts.
pub const MODES: &str = "off|after-first-query|on-interest|every-reply|before-chat";

/// The policy preset for a `--mode` name.
///
/// ```
/// use leadkit_workspace::demo::policy_for_mode;
///
/// assert!(!policy_for_mode("off").unwrap().enabled);
/// assert!(policy_for_mode("sometimes").is_err());
/// ```
pub fn policy_for_mode(mode: &str) -> Result<Policy, String> {
    Ok(match mode {
        "off" => Policy::disabled(),
        "after-first-query" => Policy::after_first_query(),
        "on-interest" => Policy::on_interest(),
        "every-reply" => Policy::every_reply(),
        "before-chat" => Policy::before_chat(),
        other => return Err(format!("unknown mode {other:?}; expected one of {MODES}")),
    })
}

/// Reports bad command-line arguments: the message (if any) and the usage
/// on stderr, exit code 2.
pub fn usage_error(program: &str, message: &str, usage: &str) -> ExitCode {
    if !message.is_empty() {
        eprintln!("{program}: {message}");
    }
    eprintln!("{usage}");
    ExitCode::from(2)
}

/// Runs an example's async body on a current-thread runtime and reports a
/// failure as `program: error` on stderr with exit code 1.
pub fn run_main<F>(program: &str, body: F) -> ExitCode
where
    F: Future<Output = Result<(), Box<dyn std::error::Error>>>,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("{program}: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(body) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{program}: {err}");
            ExitCode::FAILURE
        }
    }
}
