//! Line ranges of the `items` of a `kind: List` document, found by reading the
//! text's layout. When the layout is unusual (flow style, odd indentation) the
//! caller falls back to the whole document's range; the item count is always
//! compared with the parsed document before a range is trusted.

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn is_dash(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")
}

/// Block-style YAML: the ranges of the entries of the top-level `items:`
/// sequence. `text` line `k` (0-based) is stream line `first_line + k`.
pub(crate) fn yaml_items(text: &str, first_line: u32) -> Option<Vec<(u32, u32)>> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| {
        l.strip_prefix("items:")
            .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#'))
    })?;
    let mut spans: Vec<(u32, u32)> = Vec::new();
    let mut seq_indent = None;
    for (k, l) in lines.iter().enumerate().skip(start + 1) {
        if is_blank_or_comment(l) {
            continue;
        }
        let n = first_line + k as u32;
        let ind = indent(l);
        let rest = &l[ind..];
        match seq_indent {
            None => {
                if !is_dash(rest) {
                    return None;
                }
                seq_indent = Some(ind);
                spans.push((n, n));
            }
            Some(si) => {
                if ind == si && is_dash(rest) {
                    spans.push((n, n));
                } else if ind > si {
                    if let Some(last) = spans.last_mut() {
                        last.1 = n;
                    }
                } else {
                    break;
                }
            }
        }
    }
    Some(spans)
}

/// JSON: the ranges of the objects in the top-level object's `items` array.
pub(crate) fn json_items(text: &str) -> Option<Vec<(u32, u32)>> {
    let bytes = text.as_bytes();
    let mut line = 1u32;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0usize;
    let mut last_string: Option<(usize, usize)> = None;
    // Whether the last string at depth 1 is a key: set when a ':' follows it.
    let mut key_at_depth1: Option<(usize, usize)> = None;
    let mut items_depth: Option<usize> = None;
    let mut item_start: Option<u32> = None;
    let mut spans = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                last_string = Some((string_start, i));
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b':' if depth == 1 => key_at_depth1 = last_string.take(),
            b',' if depth == 1 => key_at_depth1 = None,
            b'{' | b'[' => {
                depth += 1;
                if b == b'[' && depth == 2 && items_depth.is_none() {
                    if let Some((s, e)) = key_at_depth1 {
                        if &text[s..e] == "items" {
                            items_depth = Some(2);
                        }
                    }
                }
                if b == b'{' && depth == 3 && items_depth == Some(2) {
                    item_start = Some(line);
                }
            }
            b'}' | b']' => {
                if b == b'}' && depth == 3 && items_depth == Some(2) {
                    if let Some(s) = item_start.take() {
                        spans.push((s, line));
                    }
                }
                if b == b']' && depth == 2 && items_depth == Some(2) {
                    return Some(spans);
                }
                depth = depth.checked_sub(1)?;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_list_items() {
        let t = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: A\n\n  # note\n  - apiVersion: v1\n    kind: B\nmetadata: {}\n";
        assert_eq!(yaml_items(t, 10), Some(vec![(13, 14), (17, 18)]));
        let compact = "items:\n- a: 1\n  b: 2\n- c: 3\nkind: List\n";
        assert_eq!(yaml_items(compact, 1), Some(vec![(2, 3), (4, 4)]));
        assert_eq!(yaml_items("items: []\n", 1), None);
    }

    #[test]
    fn json_list_items() {
        let t = "{\n \"kind\": \"List\",\n \"x\": {\"items\": [{}]},\n \"items\": [\n  {\"a\": \"}\\\"\"},\n  {\n   \"b\": [1]\n  }\n ]\n}";
        assert_eq!(json_items(t), Some(vec![(5, 5), (6, 8)]));
        assert_eq!(json_items("{\"kind\": \"List\"}"), None);
    }
}
