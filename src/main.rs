//! The `mojifix` command line: argument parsing, file walking, output and exit codes.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
