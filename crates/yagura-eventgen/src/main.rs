//! `yagura-eventgen`: performs runtime attack behaviours for real and prints
//! one JSON line per action on stdout.

use std::process::ExitCode;

use yagura_eventgen::{actions, args::USAGE, parse_args, run, Command, Error};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ Error::Usage(_)) => {
            eprintln!("yagura-eventgen: {e}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("yagura-eventgen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(argv: &[String]) -> Result<(), Error> {
    match parse_args(argv)? {
        Command::Help => println!("{USAGE}"),
        Command::List { json: true } => {
            let v = serde_json::to_string(yagura_eventgen::actions())
                .map_err(|e| Error::Failed(format!("encoding the action list: {e}")))?;
            println!("{v}");
        }
        Command::List { json: false } => {
            for a in yagura_eventgen::actions() {
                let params = a.params.join(" ");
                let container = match a.container {
                    yagura_eventgen::ContainerUse::Expected => " [--in-container]",
                    yagura_eventgen::ContainerUse::Any => "",
                };
                println!("{:<30} {params:<14} {}{container}", a.name, a.description);
            }
        }
        Command::Connect { host, port, .. } => actions::connect_helper(&host, port)?,
        Command::Run(opts) => {
            let v = run(&opts)?;
            println!("{v}");
        }
    }
    Ok(())
}
