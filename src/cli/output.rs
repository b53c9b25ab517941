//! Everything the command line writes: print macros safe on a closed pipe, the French panic
//! message, the shared ways of showing problems, and the exit codes.

use std::process::ExitCode;

use crate::diagnostics::Diagnostic;
use crate::text::plural;

/// Every `println!`, `print!`, `eprintln!` and `eprint!` of the `cli` module goes through
/// [`write_or_end`] (these macros shadow the standard ones): when the reader of our output went
/// away (`vitrine search … | head -1`), the standard macros panic on the broken pipe.
macro_rules! println {
    () => { $crate::cli::output::write_or_end($crate::cli::output::Stream::Out, format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_or_end($crate::cli::output::Stream::Out, format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::output::write_or_end($crate::cli::output::Stream::Out, format_args!($($arg)*)) };
}
macro_rules! eprintln {
    () => { $crate::cli::output::write_or_end($crate::cli::output::Stream::Err, format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_or_end($crate::cli::output::Stream::Err, format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::cli::output::write_or_end($crate::cli::output::Stream::Err, format_args!($($arg)*)) };
}

#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Stream {
    Out,
    Err,
}

static OUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static ERR_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to stdout or stderr. A stream that cannot be written any more (closed pipe, full
/// disk behind a redirection) is left alone from then on: the command still finishes its work
/// and returns its usual exit code, quietly, as `head` expects of the programs it reads.
#[doc(hidden)]
pub fn write_or_end(stream: Stream, args: std::fmt::Arguments) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    let closed = match stream {
        Stream::Out => &OUT_CLOSED,
        Stream::Err => &ERR_CLOSED,
    };
    if closed.load(Ordering::Relaxed) {
        return;
    }
    let written = match stream {
        Stream::Out => std::io::stdout().lock().write_fmt(args),
        Stream::Err => std::io::stderr().lock().write_fmt(args),
    };
    if written.is_err() {
        closed.store(true, Ordering::Relaxed);
    }
}

/// Exit code of a command line that cannot be run as written (unknown command, option or
/// filter value): 2, like clap and the usual Unix tools; 1 (`ExitCode::FAILURE`) is kept for
/// problems in the site itself.
pub(super) fn usage_error() -> ExitCode {
    ExitCode::from(2)
}

/// A panic is a bug of vitrine, never a fault of the user's files: it is said in French, with
/// the place in the code for the bug report, instead of Rust's English « thread … panicked ».
/// `RUST_BACKTRACE` set: Rust's own report follows, for developers.
pub(super) fn install_panic_message() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!("{}", panic_message(info.location()));
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default(info);
        }
    }));
}

fn panic_message(location: Option<&std::panic::Location>) -> String {
    let place = location
        .map(|l| format!(" ({}:{})", l.file(), l.line()))
        .unwrap_or_default();
    format!(
        "erreur interne de vitrine{place} : ce n'est pas dû à vos fichiers. Merci de la signaler \
         avec la commande lancée et ce message."
    )
}

/// Problems that did not stop the command, like `check` shows them.
pub(super) fn print_warnings(warnings: &[Diagnostic]) {
    for d in warnings {
        let mut place = d.file.display().to_string();
        if d.line > 0 {
            place.push_str(&format!(":{}", d.line));
        }
        let field = d
            .field
            .as_ref()
            .map(|f| format!(" [{f}]"))
            .unwrap_or_default();
        eprintln!("{place} : avertissement{field} : {}", d.message);
        if let Some(s) = &d.suggestion {
            eprintln!("    vouliez-vous dire « {s} » ?");
        }
    }
}

pub(super) fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let n = diagnostics.len();
    eprintln!("\n{n} erreur{}.", plural(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_is_reported_in_french_with_its_place() {
        let location =
            std::panic::catch_unwind(|| *std::panic::Location::caller()).expect("no panic");
        let message = panic_message(Some(&location));
        assert!(
            message.contains("erreur interne de vitrine (src/cli/output.rs:"),
            "{message}"
        );
        crate::testing::assert_french(&message);
    }
}
