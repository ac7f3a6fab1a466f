//! File modes as written for `chmod` and `COPY --chmod`: octal (`0755`, `4755`)
//! or symbolic (`u+s,o+w`).

use super::common::{instructions, verdict};
use super::shell::programs;
use yagura_model::{Outcome, Resource};

/// What a mode grants that the checks care about.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grants {
    /// Others may write, without the sticky bit that makes shared dirs safe.
    pub world_writable: bool,
    pub setuid_or_setgid: bool,
}

pub(crate) fn grants(mode: &str) -> Grants {
    if !mode.is_empty() && mode.len() <= 5 && mode.chars().all(|c| ('0'..='7').contains(&c)) {
        let m = u32::from_str_radix(mode, 8).unwrap_or(0);
        return Grants {
            world_writable: m & 0o002 != 0 && m & 0o1000 == 0,
            setuid_or_setgid: m & 0o6000 != 0,
        };
    }
    let mut g = Grants::default();
    for clause in mode.split(',') {
        let who: String = clause.chars().take_while(|c| "ugoa".contains(*c)).collect();
        let rest = &clause[who.len()..];
        let Some(op) = rest.chars().next() else {
            continue;
        };
        if op != '+' && op != '=' {
            continue;
        }
        let perms = &rest[1..];
        let sticky = perms.contains('t');
        if perms.contains('w') && (who.contains('o') || who.contains('a')) && !sticky {
            g.world_writable = true;
        }
        if perms.contains('s') && !who.contains('o') {
            g.setuid_or_setgid = true;
        }
    }
    g
}

/// The modes a chmod command line sets (its first operand).
pub(crate) fn chmod_mode(args: &[String]) -> Option<&str> {
    args.iter().map(String::as_str).find(|a| {
        !(a.starts_with("--")
            || (a.starts_with('-') && a[1..].chars().all(|c| "RfvcH".contains(c))))
    })
}

/// FAIL for every `chmod` in a RUN script and every `COPY`/`ADD --chmod` whose
/// mode grants what `bad` looks for; `effect` ends each message ("sets setuid/setgid").
pub(crate) fn no_mode_grants(
    r: &Resource,
    bad: fn(&Grants) -> bool,
    effect: &str,
    pass: &str,
) -> Outcome {
    let all = match instructions(r) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    for i in &all {
        match i.keyword() {
            "RUN" => {
                for (name, args) in programs(&i.script()) {
                    if name != "chmod" {
                        continue;
                    }
                    if let Some(m) = chmod_mode(&args).filter(|m| bad(&grants(m))) {
                        fails.push(format!("line {}: chmod {m} {effect}", i.line()));
                    }
                }
            }
            "COPY" | "ADD" => {
                for m in i.flag("chmod") {
                    if bad(&grants(m)) {
                        fails.push(format!(
                            "line {}: {} --chmod={m} {effect}",
                            i.line(),
                            i.keyword()
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    verdict(fails, Vec::new(), pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_symbolic_modes() {
        assert!(grants("777").world_writable);
        assert!(grants("0666").world_writable);
        assert!(!grants("1777").world_writable);
        assert!(!grants("755").world_writable);
        assert!(grants("4755").setuid_or_setgid);
        assert!(grants("2755").setuid_or_setgid);
        assert!(!grants("0755").setuid_or_setgid);
        assert!(grants("a+rwx").world_writable);
        assert!(grants("u+rw,o+w").world_writable);
        assert!(!grants("+w").world_writable);
        assert!(!grants("o-w").world_writable);
        assert!(grants("u+s").setuid_or_setgid);
        assert!(grants("g+s").setuid_or_setgid);
        assert!(!grants("u-s").setuid_or_setgid);
        let args: Vec<String> = ["-R", "777", "/app"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(chmod_mode(&args), Some("777"));
    }
}
