use std::process::ExitCode;

fn main() -> ExitCode {
    vitrine::cli::run()
}
