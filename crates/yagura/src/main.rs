//! The `yagura` command line. Data goes to stdout, logs and progress to stderr.
//! Exit codes: 0 done; 1 `--fail-on` threshold reached; 2 the run could not complete,
//! or completed only in part (unreadable input, broken policies: see the report's errors).

mod cli;
mod commands;
mod pipeline;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            // `yagura … | head` closing the pipe is not an error worth a message.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn,aws_config=error,aws_smithy_runtime=error",
        (false, 1) => "info,aws_config=warn,aws_smithy_runtime=warn",
        (false, 2) => "debug,aws_config=info,aws_smithy_runtime=info,hyper=info",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("YAGURA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(progress::color_enabled_stderr())
        .try_init();
}
