//! Just enough shell parsing for RUN lines: split a script into simple commands
//! (on `;`, `&&`, `||`, `|`, `&`, newlines and parentheses), unquote words, drop
//! redirections and comments, and note which commands pipe into the next.

/// One simple command; `piped` when its output goes into the next command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cmd {
    pub words: Vec<String>,
    pub piped: bool,
}

struct Splitter {
    cmds: Vec<Cmd>,
    words: Vec<String>,
    cur: String,
    in_word: bool,
    /// The next word is a redirection target.
    skip_next: bool,
}

impl Splitter {
    fn end_word(&mut self) {
        if self.in_word {
            let w = std::mem::take(&mut self.cur);
            if self.skip_next {
                self.skip_next = false;
            } else {
                self.words.push(w);
            }
        }
        self.cur.clear();
        self.in_word = false;
    }

    fn end_cmd(&mut self, piped: bool) {
        self.end_word();
        self.skip_next = false;
        if !self.words.is_empty() {
            self.cmds.push(Cmd {
                words: std::mem::take(&mut self.words),
                piped,
            });
        }
    }
}

/// Copies a balanced `(...)` starting at `chars[i] == '('` into `out`; returns the
/// index after the closing parenthesis.
fn copy_balanced(chars: &[char], mut i: usize, out: &mut String) -> usize {
    let mut depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    i
}

pub(crate) fn commands(script: &str) -> Vec<Cmd> {
    let chars: Vec<char> = script.chars().collect();
    let n = chars.len();
    let mut s = Splitter {
        cmds: Vec::new(),
        words: Vec::new(),
        cur: String::new(),
        in_word: false,
        skip_next: false,
    };
    let mut i = 0;
    while i < n {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\'' => {
                i += 1;
                while i < n && chars[i] != '\'' {
                    s.cur.push(chars[i]);
                    i += 1;
                }
                i += 1;
                s.in_word = true;
            }
            '"' => {
                i += 1;
                while i < n && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < n {
                        i += 1;
                    }
                    s.cur.push(chars[i]);
                    i += 1;
                }
                i += 1;
                s.in_word = true;
            }
            '\\' => {
                if let Some(nc) = next {
                    if nc != '\n' {
                        s.cur.push(nc);
                        s.in_word = true;
                    }
                }
                i += 2;
            }
            '$' | '<' if next == Some('(') => {
                s.cur.push(c);
                i = copy_balanced(&chars, i + 1, &mut s.cur);
                s.in_word = true;
            }
            '`' => {
                s.cur.push(c);
                i += 1;
                while i < n && chars[i] != '`' {
                    s.cur.push(chars[i]);
                    i += 1;
                }
                s.cur.push('`');
                i += 1;
                s.in_word = true;
            }
            '#' if !s.in_word => {
                while i < n && chars[i] != '\n' {
                    i += 1;
                }
            }
            ' ' | '\t' | '\r' => {
                s.end_word();
                i += 1;
            }
            '\n' | ';' | '(' | ')' => {
                s.end_cmd(false);
                i += 1;
            }
            '|' if next == Some('|') => {
                s.end_cmd(false);
                i += 2;
            }
            '|' => {
                s.end_cmd(true);
                i += if next == Some('&') { 2 } else { 1 };
            }
            '&' if next == Some('&') => {
                s.end_cmd(false);
                i += 2;
            }
            '&' if next != Some('>') => {
                s.end_cmd(false);
                i += 1;
            }
            '>' | '<' | '&' => {
                // A redirection: drop a leading fd number, the operator and its target.
                if s.in_word && s.cur.chars().all(|d| d.is_ascii_digit()) {
                    s.cur.clear();
                    s.in_word = false;
                } else {
                    s.end_word();
                }
                while i < n && matches!(chars[i], '>' | '<' | '&' | '|') {
                    i += 1;
                }
                let mut fd_dup = false;
                while i < n && (chars[i].is_ascii_digit() || chars[i] == '-') {
                    fd_dup = true;
                    i += 1;
                }
                s.skip_next = !fd_dup;
            }
            _ => {
                s.cur.push(c);
                s.in_word = true;
                i += 1;
            }
        }
    }
    s.end_cmd(false);
    s.cmds
}

/// Groups commands into pipelines (`a | b | c`).
pub(crate) fn pipelines(cmds: &[Cmd]) -> Vec<&[Cmd]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in cmds.iter().enumerate() {
        if !c.piped {
            out.push(&cmds[start..=i]);
            start = i + 1;
        }
    }
    if start < cmds.len() {
        out.push(&cmds[start..]);
    }
    out
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The file name of a program path (`/usr/bin/apt-get` → `apt-get`).
pub(crate) fn base_name(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

/// The words from the program on: skips `VAR=x` prefixes and wrappers such as
/// `sudo`, `env`, `nohup`, `time`, `exec`.
pub(crate) fn program(words: &[String]) -> &[String] {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        if is_assignment(w) {
            i += 1;
            continue;
        }
        match base_name(w) {
            "sudo" | "doas" => {
                i += 1;
                while let Some(o) = words.get(i) {
                    if !o.starts_with('-') {
                        break;
                    }
                    let takes_arg = matches!(
                        o.as_str(),
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                    );
                    i += if takes_arg { 2 } else { 1 };
                }
            }
            "env" => {
                i += 1;
                while words
                    .get(i)
                    .is_some_and(|o| o.starts_with('-') || is_assignment(o))
                {
                    i += 1;
                }
            }
            "nohup" | "time" | "exec" | "command" | "nice" => i += 1,
            _ => return &words[i..],
        }
    }
    &words[words.len()..]
}

/// Options and operands of a command's arguments. Options listed in `with_arg`
/// take the next word as their value (unless written `--opt=value`).
pub(crate) fn split_args<'a>(
    args: &'a [String],
    with_arg: &[&str],
) -> (Vec<&'a str>, Vec<&'a str>) {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        if w.starts_with('-') && w.len() > 1 {
            opts.push(w.as_str());
            if with_arg.contains(&w.as_str()) {
                if let Some(v) = args.get(i) {
                    opts.push(v.as_str());
                }
                i += 1;
            }
        } else {
            operands.push(w.as_str());
        }
    }
    (opts, operands)
}

/// Whether a combined short-option word (`-fsSLk`) contains `letter`.
pub(crate) fn has_short(opts: &[&str], letter: char) -> bool {
    opts.iter()
        .any(|o| !o.starts_with("--") && o.starts_with('-') && o[1..].contains(letter))
}

/// The commands of a script with their program (after wrappers) and its name.
pub(crate) fn programs(script: &str) -> Vec<(String, Vec<String>)> {
    commands(script)
        .into_iter()
        .filter_map(|c| {
            let p = program(&c.words);
            let name = base_name(p.first()?).to_string();
            Some((name, p[1..].to_vec()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        commands(script).into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn splits_on_operators_and_drops_redirections() {
        assert_eq!(
            words("apt-get update && apt-get install -y 'a b' >/dev/null 2>&1; echo \"x y\""),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "a b"],
                vec!["echo", "x y"],
            ]
        );
        assert_eq!(
            words("make 2> err.log || true # comment | sh"),
            vec![vec!["make"], vec!["true"]]
        );
    }

    #[test]
    fn pipes_are_marked() {
        let c = commands("curl -fsSL https://x | sudo bash -s -- --yes");
        assert!(c[0].piped && !c[1].piped);
        assert_eq!(pipelines(&c).len(), 1);
        assert_eq!(program(&c[1].words)[0], "bash");
    }

    #[test]
    fn command_substitution_stays_one_word() {
        assert_eq!(
            words("sh -c \"$(curl -fsSL https://x)\" && bash <(wget -qO- y)"),
            vec![
                vec!["sh", "-c", "$(curl -fsSL https://x)"],
                vec!["bash", "<(wget -qO- y)"],
            ]
        );
    }

    #[test]
    fn wrappers_and_assignments_are_skipped() {
        let w: Vec<String> = [
            "DEBIAN_FRONTEND=noninteractive",
            "sudo",
            "-E",
            "/usr/bin/apt-get",
            "install",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(program(&w)[0], "/usr/bin/apt-get");
        let (o, ops) = split_args(&w[3..], &["-o"]);
        assert!(o.is_empty());
        assert_eq!(ops, vec!["/usr/bin/apt-get", "install"]);
        assert!(has_short(&["-fsSLk"], 'k'));
        assert!(!has_short(&["--insecure-x"], 'k'));
    }
}
