//! pom.xml: declared dependency versions only (no parent POMs, no BOM
//! imports, no transitive resolution). `${property}` versions are resolved
//! from the POM's own `<properties>`; anything else is skipped.

use std::collections::HashMap;

use crate::{line_of, Collector};

pub(crate) fn pom_xml(out: &mut Collector, text: &str) {
    let text = &blank_comments(text);
    let mut props: HashMap<String, String> = HashMap::new();
    if let Some(body) = element_body(text, "properties", 0).map(|(_, b)| b) {
        for (name, value) in children(body) {
            props.insert(name.to_string(), value.trim().to_string());
        }
    }
    if let Some(v) = project_version(text) {
        props.insert("project.version".to_string(), v);
    }
    let mut from = 0;
    while let Some((start, body)) = element_body(text, "dependency", from) {
        from = start + 1;
        let line = Some(line_of(text, start));
        let get = |tag: &str| {
            children(body)
                .into_iter()
                .find(|(n, _)| *n == tag)
                .map(|(_, v)| v.trim())
        };
        let (Some(group), Some(artifact)) = (get("groupId"), get("artifactId")) else {
            out.issue(line, "dependency without groupId or artifactId");
            continue;
        };
        // Versions managed elsewhere (parent, BOM) are not in this file.
        let Some(raw) = get("version") else {
            continue;
        };
        let Some(version) = resolve(raw, &props) else {
            continue;
        };
        // `[1.0,2.0)` is a range, not a version.
        if version.starts_with(['[', '(']) || version.contains('$') {
            continue;
        }
        let dev = get("scope") == Some("test");
        out.add("Maven", &format!("{group}:{artifact}"), &version, line, dev);
    }
    if text.contains("<dependency>") && !text.contains("</dependency>") {
        out.issue(None, "unterminated <dependency> element");
    }
}

/// Replaces comments with spaces of the same length (newlines kept) so byte
/// offsets, and thus line numbers, stay valid.
fn blank_comments(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        s.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find("-->").map_or(after.len(), |e| e + 3);
        s.extend(
            after[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        // Multi-byte characters became one space each; pad to keep offsets.
        let blanked = after[..end].chars().count();
        s.extend(std::iter::repeat_n(' ', end - blanked));
        rest = &after[end..];
    }
    s.push_str(rest);
    s
}

/// Finds the first `<tag>...</tag>` at or after `from`; returns the offset of
/// the opening tag and the inner text.
fn element_body<'a>(text: &'a str, tag: &str, from: usize) -> Option<(usize, &'a str)> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = from + text.get(from..)?.find(&open)?;
    let inner_start = start + open.len();
    let inner_len = text[inner_start..].find(&close)?;
    Some((start, &text[inner_start..inner_start + inner_len]))
}

/// Direct child elements `<name>value</name>` of an element body; nested
/// elements are returned whole and are simply never asked for.
fn children(body: &str) -> Vec<(&str, &str)> {
    let mut v = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else { break };
        let name = &after[..gt];
        if name.starts_with(['/', '?', '!']) || name.ends_with('/') || name.contains(' ') {
            rest = &after[gt + 1..];
            continue;
        }
        let close = format!("</{name}>");
        let inner = &after[gt + 1..];
        let Some(end) = inner.find(&close) else { break };
        v.push((name, &inner[..end]));
        rest = &inner[end + close.len()..];
    }
    v
}

/// The project's own `<version>`, ignoring the one inside `<parent>`.
fn project_version(text: &str) -> Option<String> {
    let (_, project) = element_body(text, "project", 0).or_else(|| {
        // `<project xmlns=...>` carries attributes; take everything after it.
        let start = text.find("<project")?;
        let gt = text[start..].find('>')? + start + 1;
        Some((start, &text[gt..]))
    })?;
    children(project)
        .into_iter()
        .find(|(n, _)| *n == "version")
        .map(|(_, v)| v.trim().to_string())
}

fn resolve(raw: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut s = raw.to_string();
    // A few rounds cover properties defined via other properties, while
    // bounding self-referential definitions.
    for _ in 0..5 {
        let Some(open) = s.find("${") else {
            return Some(s);
        };
        let close = open + s[open..].find('}')?;
        let value = props.get(&s[open + 2..close])?;
        s.replace_range(open..=close, value);
    }
    (!s.contains("${")).then_some(s)
}
