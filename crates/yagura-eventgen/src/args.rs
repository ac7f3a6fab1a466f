//! Command-line parsing (hand-written: the grammar is tiny and a helper
//! subcommand must accept arbitrary trailing words such as `stratum+tcp://`).

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::cgroup::CgroupLayout;
use crate::{action, Error, Result};

pub const USAGE: &str = "\
usage:
  yagura-eventgen list [--json]
  yagura-eventgen run ACTION [PARAMS...] [--in-container ID64] [--workdir DIR]
                      [--cgroup-layout docker|systemd] [--remote IP:PORT]
  yagura-eventgen connect HOST PORT [WORDS...]   (helper used by miner-pool-connect)";

/// Options of `run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    pub action: String,
    /// Numeric positional parameters (`N`, `RATE SECONDS`), checked against the action.
    pub params: Vec<u64>,
    /// 64-hex-digit container id: run the action inside a docker-named cgroup.
    pub container_id: Option<String>,
    pub workdir: Option<PathBuf>,
    pub cgroup_layout: CgroupLayout,
    /// Non-loopback target for the connect actions (connects non-blocking, no listener needed).
    pub remote: Option<SocketAddr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    List {
        json: bool,
    },
    Run(RunOptions),
    /// Helper: connect to HOST:PORT, send a stratum subscribe line, exit. The
    /// extra words only exist to appear in argv.
    Connect {
        host: String,
        port: u16,
        extra: Vec<String>,
    },
}

/// Validates a docker-style container id: exactly 64 lowercase hex digits.
pub fn validate_container_id(id: &str) -> Result<()> {
    if id.len() == 64
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "container id must be 64 lowercase hex digits, got {id:?}"
        )))
    }
}

fn value<'a>(it: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<&'a String> {
    it.next()
        .ok_or_else(|| Error::Usage(format!("{flag} needs a value")))
}

/// Parses the arguments after the program name.
pub fn parse_args(args: &[String]) -> Result<Command> {
    let Some((sub, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    match sub.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "list" => match rest {
            [] => Ok(Command::List { json: false }),
            [j] if j == "--json" => Ok(Command::List { json: true }),
            _ => Err(Error::Usage(format!("unexpected list arguments {rest:?}"))),
        },
        "connect" => {
            let [host, port, extra @ ..] = rest else {
                return Err(Error::Usage("connect HOST PORT [WORDS...]".into()));
            };
            let port = port
                .parse::<u16>()
                .map_err(|_| Error::Usage(format!("bad port {port:?}")))?;
            Ok(Command::Connect {
                host: host.clone(),
                port,
                extra: extra.to_vec(),
            })
        }
        "run" => parse_run(rest).map(Command::Run),
        other => Err(Error::Usage(format!("unknown subcommand {other:?}"))),
    }
}

fn parse_run(rest: &[String]) -> Result<RunOptions> {
    let mut it = rest.iter();
    let name = it
        .next()
        .ok_or_else(|| Error::Usage("run needs an ACTION (see `list`)".into()))?;
    let info = action(name).ok_or_else(|| Error::Usage(format!("unknown action {name:?}")))?;
    let mut opts = RunOptions {
        action: name.clone(),
        params: Vec::new(),
        container_id: None,
        workdir: None,
        cgroup_layout: CgroupLayout::Docker,
        remote: None,
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--in-container" => {
                let id = value(&mut it, arg)?;
                validate_container_id(id)?;
                opts.container_id = Some(id.clone());
            }
            "--workdir" => opts.workdir = Some(PathBuf::from(value(&mut it, arg)?)),
            "--cgroup-layout" => {
                opts.cgroup_layout = match value(&mut it, arg)?.as_str() {
                    "docker" => CgroupLayout::Docker,
                    "systemd" => CgroupLayout::Systemd,
                    other => return Err(Error::Usage(format!("unknown cgroup layout {other:?}"))),
                }
            }
            "--remote" => {
                let v = value(&mut it, arg)?;
                opts.remote = Some(
                    v.parse()
                        .map_err(|_| Error::Usage(format!("--remote wants IP:PORT, got {v:?}")))?,
                );
            }
            flag if flag.starts_with("--") => {
                return Err(Error::Usage(format!("unknown option {flag:?}")))
            }
            num => opts.params.push(
                num.parse()
                    .map_err(|_| Error::Usage(format!("{name}: bad number {num:?}")))?,
            ),
        }
    }
    if opts.params.len() != info.params.len() {
        return Err(Error::Usage(format!(
            "{name} takes {} parameter(s) {:?}, got {}",
            info.params.len(),
            info.params,
            opts.params.len()
        )));
    }
    Ok(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn parses_run_with_options() {
        let cmd = parse_args(&argv(&format!(
            "run shell-in-container --in-container {ID} --workdir /tmp/x --cgroup-layout systemd"
        )))
        .unwrap();
        let Command::Run(o) = cmd else {
            panic!("not run: {cmd:?}")
        };
        assert_eq!(o.action, "shell-in-container");
        assert_eq!(o.container_id.as_deref(), Some(ID));
        assert_eq!(o.workdir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(o.cgroup_layout, CgroupLayout::Systemd);
        assert!(o.params.is_empty());
    }

    #[test]
    fn parses_numeric_params() {
        let Command::Run(o) = parse_args(&argv("run syscall-rate 200000 3")).unwrap() else {
            panic!("not run")
        };
        assert_eq!(o.params, vec![200_000, 3]);
        let Command::Run(o) = parse_args(&argv(
            "run outbound-connect-untrusted --remote 192.0.2.9:443",
        ))
        .unwrap() else {
            panic!("not run")
        };
        assert_eq!(o.remote, Some("192.0.2.9:443".parse().unwrap()));
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "run",
            "run no-such-action",
            "run syscall-rate 10",
            "run open-close-loop ten",
            "run read-shadow 5",
            "run read-shadow --in-container abc",
            "run read-shadow --in-container",
            "run read-shadow --bogus",
            "run read-shadow --cgroup-layout k8s",
            "connect 127.0.0.1 99999",
            "list extra",
            "frobnicate",
        ] {
            assert!(parse_args(&argv(bad)).is_err(), "accepted {bad:?}");
        }
        // Upper-case hex is not a docker id.
        assert!(validate_container_id(&ID.to_uppercase()).is_err());
        assert!(validate_container_id(&ID[..63]).is_err());
        assert!(validate_container_id(ID).is_ok());
    }

    #[test]
    fn parses_connect_and_list() {
        assert_eq!(
            parse_args(&argv("connect 127.0.0.1 3333 stratum+tcp://127.0.0.1:3333")).unwrap(),
            Command::Connect {
                host: "127.0.0.1".into(),
                port: 3333,
                extra: vec!["stratum+tcp://127.0.0.1:3333".into()],
            }
        );
        assert_eq!(
            parse_args(&argv("list --json")).unwrap(),
            Command::List { json: true }
        );
        assert_eq!(parse_args(&[]).unwrap(), Command::Help);
    }
}
