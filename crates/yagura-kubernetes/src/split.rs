//! Splitting a YAML stream into documents by hand, so each document keeps its
//! line range and one malformed document does not hide the others.

/// One document of a YAML stream: its text and where it sits in the stream.
#[derive(Debug, Clone)]
pub(crate) struct Chunk {
    /// 0-based position of the document in the stream (empty documents count too,
    /// so indexes stay stable when a document is emptied).
    pub index: usize,
    /// 1-based line of the chunk's first line in the stream.
    pub first_line: u32,
    /// The document text; line `k` (0-based) is stream line `first_line + k`.
    pub text: String,
    /// 1-based stream lines of the first and last non-blank line (comments included
    /// at the start, so a suppression comment above `apiVersion` belongs to it).
    pub span: Option<(u32, u32)>,
    /// The path from a Helm `# Source: chart/templates/x.yaml` comment.
    pub helm_source: Option<String>,
}

fn is_separator(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("---")?;
    if rest.is_empty() || rest.starts_with([' ', '\t']) {
        Some(rest)
    } else {
        None
    }
}

fn is_end_marker(line: &str) -> bool {
    line.strip_prefix("...")
        .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#'))
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

struct Builder {
    index: usize,
    first_line: u32,
    lines: Vec<String>,
}

impl Builder {
    fn finish(self) -> Chunk {
        let mut first = None;
        let mut last_content = None;
        let mut helm_source = None;
        let mut seen_content = false;
        for (k, l) in self.lines.iter().enumerate() {
            let n = self.first_line + k as u32;
            let t = l.trim();
            if t.is_empty() {
                continue;
            }
            first.get_or_insert(n);
            if is_content(l) {
                seen_content = true;
                last_content = Some(n);
            } else if !seen_content && helm_source.is_none() {
                // Helm writes `# Source: <chart>/templates/<file>` as the first
                // line of every rendered document.
                if let Some(src) = t.strip_prefix("# Source:") {
                    let src = src.trim();
                    if !src.is_empty() {
                        helm_source = Some(src.to_string());
                    }
                }
            }
        }
        let span = match (first, last_content) {
            (Some(f), Some(l)) => Some((f, l)),
            _ => None,
        };
        Chunk {
            index: self.index,
            first_line: self.first_line,
            text: self.lines.join("\n"),
            span,
            helm_source,
        }
    }
}

/// The documents of a YAML stream, in order. Directives (`%YAML`) are dropped,
/// `...` ends a document, `--- <content>` starts one with that content.
pub(crate) fn split_documents(text: &str) -> Vec<Chunk> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut cur = Builder {
        index: 0,
        first_line: 1,
        lines: Vec::new(),
    };
    let mut ended = false;
    for (k, line) in text.lines().enumerate() {
        let n = k as u32 + 1;
        if let Some(rest) = is_separator(line) {
            let had_content = cur.lines.iter().any(|l| is_content(l));
            // A `---` at the very top opens the first document rather than
            // closing an empty one; anything else closes the current document.
            if had_content
                || !out.is_empty()
                || ended
                || cur.lines.iter().any(|l| !l.trim().is_empty())
            {
                let next = cur.index + 1;
                out.push(cur.finish());
                cur = Builder {
                    index: next,
                    first_line: n,
                    lines: Vec::new(),
                };
            } else {
                cur.first_line = n;
                cur.lines.clear();
            }
            ended = false;
            // Keep the separator line so line numbers stay aligned; its own
            // content (`--- {a: 1}`) is part of the new document.
            if is_content(rest) {
                cur.lines.push(format!("   {rest}"));
            } else {
                cur.lines.push(String::new());
            }
            continue;
        }
        if is_end_marker(line) {
            ended = true;
            cur.lines.push(String::new());
            continue;
        }
        if ended || (line.starts_with('%') && !cur.lines.iter().any(|l| is_content(l))) {
            // After `...` only directives and comments may follow until `---`.
            cur.lines.push(String::new());
            continue;
        }
        cur.lines.push(line.to_string());
    }
    out.push(cur.finish());
    out.retain(|c| c.span.is_some());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_their_lines() {
        let t = "---\na: 1\n---\n# c\nb: 2\n\n---\n\n---\nc: 3\n...\n";
        let d = split_documents(t);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].span, Some((2, 2)));
        assert_eq!(d[1].span, Some((4, 5)));
        assert_eq!(d[2].span, Some((10, 10)));
        assert_eq!(d[0].index, 0);
        assert_eq!(d[1].index, 1);
        assert_eq!(d[2].index, 3);
        // The text is aligned so parser errors map back to stream lines.
        let l: Vec<&str> = d[1].text.lines().collect();
        assert_eq!(l[(5 - d[1].first_line) as usize], "b: 2");
    }

    #[test]
    fn helm_source_and_inline_content() {
        let t = "--- {a: 1}\n---\n# Source: app/templates/dep.yaml\nkind: X\n";
        let d = split_documents(t);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].span, Some((1, 1)));
        assert!(d[0].text.contains("{a: 1}"));
        assert_eq!(d[1].helm_source.as_deref(), Some("app/templates/dep.yaml"));
        assert_eq!(d[1].span, Some((3, 4)));
    }

    #[test]
    fn no_separator_is_one_document() {
        let d = split_documents("\u{feff}a: 1\nb: 2\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span, Some((1, 2)));
        assert!(split_documents("").is_empty());
        assert!(split_documents("# only a comment\n").is_empty());
    }
}
