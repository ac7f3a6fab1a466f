//! Physical lines to logical instructions: parser directives, comments, line
//! continuations (with the file's escape character) and heredoc bodies.

/// A heredoc body that follows an instruction (`RUN <<EOF ... EOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heredoc {
    pub name: String,
    pub body: String,
    /// First and last line of the body including its terminator line.
    pub start_line: u32,
    pub end_line: u32,
}

/// One instruction with its continuation lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Logical {
    pub text: String,
    pub start_line: u32,
    pub end_line: u32,
    pub heredocs: Vec<Heredoc>,
}

#[derive(Debug, Default)]
pub(crate) struct Lexed {
    pub syntax: Option<String>,
    pub escape: char,
    pub logical: Vec<Logical>,
    pub issues: Vec<(u32, String)>,
    /// Number of physical lines (a final newline does not start a new line).
    pub line_count: u32,
}

/// Instructions whose arguments may open heredocs.
const HEREDOC_INSTRUCTIONS: &[&str] = &["RUN", "COPY", "ADD"];

pub(crate) fn lex(text: &str) -> Lexed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    let n = lines.len();
    let mut out = Lexed {
        escape: '\\',
        line_count: u32::try_from(n).unwrap_or(u32::MAX),
        ..Lexed::default()
    };

    // Parser directives: only at the very top, before any blank line, comment
    // or instruction.
    let mut i = 0;
    while i < n {
        let Some((key, value)) = directive(lines[i]) else {
            break;
        };
        match key.as_str() {
            "escape" => match value.as_str() {
                "\\" => out.escape = '\\',
                "`" => out.escape = '`',
                other => out.issues.push((
                    line_no(i),
                    format!("invalid escape directive `{other}` (must be \\ or `)"),
                )),
            },
            "syntax" => out.syntax = Some(value),
            _ => {}
        }
        i += 1;
    }

    while i < n {
        let first = lines[i].trim_start();
        if first.is_empty() || first.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut joined = String::new();
        loop {
            let line = lines[i];
            let t = line.trim_start();
            // Inside a continuation, comment and blank lines are dropped.
            if i > start && (t.is_empty() || t.starts_with('#')) {
                if i + 1 >= n {
                    break;
                }
                i += 1;
                continue;
            }
            let trimmed = line.trim_end();
            match trimmed.strip_suffix(out.escape) {
                Some(content) => {
                    joined.push_str(content);
                    if i + 1 >= n {
                        break;
                    }
                    i += 1;
                }
                None => {
                    joined.push_str(line);
                    break;
                }
            }
        }
        let end = i;
        i += 1;
        let mut logical = Logical {
            text: joined,
            start_line: line_no(start),
            end_line: line_no(end),
            heredocs: Vec::new(),
        };
        let keyword = logical
            .text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if HEREDOC_INSTRUCTIONS.contains(&keyword.as_str()) {
            for (name, strip_tabs) in heredoc_names(&logical.text) {
                let body_start = i;
                let mut body = String::new();
                let mut closed = false;
                while i < n {
                    let l = lines[i];
                    let cmp = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    i += 1;
                    if cmp == name {
                        closed = true;
                        break;
                    }
                    body.push_str(cmp);
                    body.push('\n');
                }
                if !closed {
                    out.issues.push((
                        logical.start_line,
                        format!("heredoc <<{name} is never closed"),
                    ));
                }
                let last = i.saturating_sub(1).max(body_start);
                logical.end_line = line_no(last.min(n.saturating_sub(1)));
                logical.heredocs.push(Heredoc {
                    name,
                    body,
                    start_line: line_no(body_start.min(n.saturating_sub(1))),
                    end_line: logical.end_line,
                });
            }
        }
        out.logical.push(logical);
    }
    out
}

fn line_no(idx: usize) -> u32 {
    u32::try_from(idx + 1).unwrap_or(u32::MAX)
}

/// `# key=value` at the top of the file, for the directives Docker knows.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix('#')?;
    let (key, value) = rest.split_once('=')?;
    let key = key.trim().to_ascii_lowercase();
    if !matches!(key.as_str(), "escape" | "syntax" | "check") {
        return None;
    }
    Some((key, value.trim().to_string()))
}

/// The heredoc words of an instruction line, in order: `<<EOF`, `<<-EOF`,
/// `<<"EOF"`, `3<<EOF`. Here-strings (`<<<`) are not heredocs.
fn heredoc_names(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let w = word.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(rest) = w.strip_prefix("<<") else {
            continue;
        };
        if rest.starts_with('<') {
            continue;
        }
        let (rest, strip_tabs) = match rest.strip_prefix('-') {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let rest = rest.trim_start_matches(['"', '\'']);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        if !name.is_empty() {
            out.push((name, strip_tabs));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_joins_lines_and_skips_comments() {
        let l = lex("FROM a\nRUN one \\\n# note\n  two \\\n\n  three\nCMD x\n");
        assert_eq!(l.logical.len(), 3);
        assert_eq!(l.logical[1].text, "RUN one   two   three");
        assert_eq!((l.logical[1].start_line, l.logical[1].end_line), (2, 6));
        assert_eq!(l.logical[2].start_line, 7);
        assert_eq!(l.line_count, 7);
    }

    #[test]
    fn heredoc_names_are_found() {
        assert_eq!(
            heredoc_names("RUN <<EOF cat <<-\"OTHER\" x <<<here"),
            vec![("EOF".to_string(), false), ("OTHER".to_string(), true)]
        );
    }
}
