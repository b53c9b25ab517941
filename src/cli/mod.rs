//! The command line: a thin layer over the library, in French. Each command's file only turns
//! its arguments into a library call and the answer into French lines and an exit code.
//!
//! - `args`: the commands and options clap reads, their French help, clap's errors in French;
//! - `output`: printing safe on a closed pipe, the panic message, shared problem lists, exit codes;
//! - one file per command group: `build`, `serve`, `check`, `search`, `harvest`, `paquet`,
//!   `vocabulaires`, `schema`, and `create` (`init` and `new`).

// First: the print macros of `output` shadow the standard ones in every file below.
#[macro_use]
mod output;

mod args;
mod build;
mod check;
mod create;
mod harvest;
mod paquet;
mod schema;
mod search;
mod serve;
mod vocabulaires;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use args::{clap_error, Command};
pub use args::{suggest_command, Cli};

/// Entry point of the binary.
pub fn run() -> ExitCode {
    output::install_panic_message();
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    match cli.command {
        Command::Build(args) => build::build(args),
        Command::Serve(args) => serve::serve(args),
        Command::Check(args) => check::check(args),
        Command::Search(args) => search::search(args),
        Command::Init(args) => create::init(args),
        Command::New(args) => create::new_scenario(args),
        Command::Harvest(args) => harvest::harvest(args),
        Command::Paquet(args) => paquet::paquet(args),
        Command::Vocabulaires(args) => vocabulaires::vocabulaires(args),
        Command::Schema(args) => schema::schema(args),
    }
}
