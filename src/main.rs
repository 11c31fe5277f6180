//! The `tournee` command: `serve`, `solve`, `demo`, `bench`. Argument parsing and IO
//! only; every solve goes through `tournee::pipeline`. Errors print as one line naming
//! the field, with a non-zero exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    match cli::run(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        // `tournee vroom` has written VROOM's error object already: only its status.
        Err(error) if error.downcast_ref::<cli::ExitStatus>().is_some() => {
            ExitCode::from(error.downcast_ref::<cli::ExitStatus>().map_or(2, |s| s.0))
        }
        Err(error) => {
            let message = format!("{error:#}").replace('\n', " ");
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
