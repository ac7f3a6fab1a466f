//! Package-manager invocations found in RUN scripts: apt, apk and pip.

use super::common::{of_keyword, verdict};
use super::shell::{programs, split_args};
use yagura_model::{Outcome, Resource};

/// A package-manager call: its subcommand, options and the operands after it.
pub(crate) struct Call<'a> {
    pub tool: &'a str,
    pub sub: &'a str,
    pub opts: Vec<&'a str>,
    pub operands: Vec<&'a str>,
}

const APT_WITH_ARG: &[&str] = &[
    "-o",
    "--option",
    "-t",
    "--target-release",
    "--default-release",
    "-c",
    "--config-file",
];

const APK_WITH_ARG: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--keys-dir",
    "--cache-dir",
    "--repositories-file",
];

const PIP_WITH_ARG: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--trusted-host",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--src",
    "--cache-dir",
    "--log",
    "--timeout",
    "--retries",
    "--proxy",
    "--cert",
    "--client-cert",
    "-C",
    "--config-settings",
    "--global-option",
    "--no-binary",
    "--only-binary",
    "--upgrade-strategy",
    "--root-user-action",
    "--report",
    "--progress-bar",
    "-e",
    "--editable",
];

fn call<'a>(tool: &'a str, args: &'a [String], with_arg: &[&str]) -> Option<Call<'a>> {
    let (opts, operands) = split_args(args, with_arg);
    let (sub, rest) = operands.split_first()?;
    Some(Call {
        tool,
        sub,
        opts,
        operands: rest.to_vec(),
    })
}

/// `apt-get`, `apt` or `aptitude`.
pub(crate) fn apt<'a>(name: &'a str, args: &'a [String]) -> Option<Call<'a>> {
    matches!(name, "apt-get" | "apt" | "aptitude")
        .then(|| call(name, args, APT_WITH_ARG))
        .flatten()
}

pub(crate) fn apk<'a>(name: &'a str, args: &'a [String]) -> Option<Call<'a>> {
    (name == "apk")
        .then(|| call(name, args, APK_WITH_ARG))
        .flatten()
}

/// `pip`, `pip3`, `pip3.12`, or `python[3] -m pip`.
pub(crate) fn pip<'a>(name: &'a str, args: &'a [String]) -> Option<Call<'a>> {
    let is_pip = name
        .strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if is_pip {
        return call(name, args, PIP_WITH_ARG);
    }
    let is_python = name
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if !is_python {
        return None;
    }
    let m = args.iter().position(|a| a == "-m")?;
    if args.get(m + 1).map(String::as_str) != Some("pip") {
        return None;
    }
    call("pip", &args[m + 2..], PIP_WITH_ARG)
}

/// `yum`, `dnf`, `microdnf`, `zypper`, `rpm`: used only for option checks.
pub(crate) fn rpm_family(name: &str) -> bool {
    matches!(name, "yum" | "dnf" | "microdnf" | "zypper" | "rpm" | "tdnf")
}

/// An operand that is a variable expansion, so its value is not in the file.
pub(crate) fn is_variable(op: &str) -> bool {
    op.contains('$')
}

/// How one package manager pins versions, for the "unpinned install" checks.
pub(crate) struct Pinning {
    /// Recognizes a call of the package manager.
    pub parse: for<'a> fn(&'a str, &'a [String]) -> Option<Call<'a>>,
    /// The subcommand that installs packages.
    pub sub: &'static str,
    /// The tool's name in messages; `None` names it as invoked (`apt-get`, `apt`).
    pub label: Option<&'static str>,
    /// Calls whose versions are decided elsewhere (a constraints file).
    pub skip: fn(&Call) -> bool,
    /// Whether an operand names a version or a local file.
    pub pinned: fn(&str) -> bool,
    /// What a loose operand lacks, after "without" ("a version").
    pub missing: &'static str,
    /// The PASS message.
    pub pass: &'static str,
}

/// FAIL for every install of a package without a version in the RUN scripts;
/// NOT_ASSESSED when an operand is a variable, since its value is not in the file.
pub(crate) fn unpinned_installs(r: &Resource, how: &Pinning) -> Outcome {
    let runs = match of_keyword(r, "RUN") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    let mut unknown = Vec::new();
    for run in &runs {
        for (name, args) in programs(&run.script()) {
            let Some(call) = (how.parse)(&name, &args) else {
                continue;
            };
            if call.sub != how.sub || (how.skip)(&call) {
                continue;
            }
            let tool = how.label.unwrap_or(call.tool);
            let mut loose = Vec::new();
            for p in &call.operands {
                if is_variable(p) {
                    unknown.push(format!(
                        "line {}: {tool} {} of `{p}` depends on a variable",
                        run.line(),
                        how.sub
                    ));
                } else if !(how.pinned)(p) {
                    loose.push(*p);
                }
            }
            if !loose.is_empty() {
                fails.push(format!(
                    "line {}: {tool} {} without {} for {}",
                    run.line(),
                    how.sub,
                    how.missing,
                    loose.join(", ")
                ));
            }
        }
    }
    verdict(fails, unknown, how.pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn calls_are_recognised() {
        let a = words("-y -o Dpkg::Options::=--force-confold install curl=1 git");
        let c = apt("apt-get", &a).unwrap();
        assert_eq!(
            (c.sub, c.operands.clone()),
            ("install", vec!["curl=1", "git"])
        );
        let a = words("add --no-cache --virtual .deps gcc");
        assert_eq!(apk("apk", &a).unwrap().operands, vec!["gcc"]);
        let a = words("-u -m pip install -r req.txt flask");
        let c = pip("python3.12", &a).unwrap();
        assert_eq!((c.sub, c.operands.clone()), ("install", vec!["flask"]));
        assert!(pip("pip3", &words("install x")).is_some());
        assert!(pip("pipx", &words("install x")).is_none());
        assert!(pip("python3", &words("-m venv /v")).is_none());
    }
}
