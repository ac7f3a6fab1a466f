//! Variable substitution as Docker does it for FROM, USER, EXPOSE, ADD, COPY,
//! ENV, LABEL, WORKDIR and friends: `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`; the escape character before
//! `$` makes it literal.
//!
//! A variable whose value cannot be known from the file (an ARG without a
//! default, set only by `--build-arg`, or one that may come from the base image)
//! is replaced by [`UNKNOWN_MARK`], so callers can tell which parts are unknown.

use std::collections::HashMap;

/// Stands for the value of a variable that is unknown before the build.
pub(crate) const UNKNOWN_MARK: char = '\u{1}';

/// Variables in scope: `Some(value)` known, `None` declared without a value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub args: HashMap<String, Option<String>>,
    pub env: HashMap<String, Option<String>>,
}

impl Scope {
    /// ENV wins over ARG of the same name, as in Docker. `None` is unknown.
    fn lookup(&self, name: &str) -> Option<Option<&str>> {
        self.env
            .get(name)
            .or_else(|| self.args.get(name))
            .map(|v| v.as_deref())
    }
}

/// Expands `s`; unknown variables become [`UNKNOWN_MARK`].
pub(crate) fn expand(s: &str, scope: &Scope, escape: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == escape && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('{') => {
                let Some(close) = chars[i + 2..].iter().position(|&c| c == '}') else {
                    // Unterminated: keep the text as written.
                    out.extend(&chars[i..]);
                    break;
                };
                let inner: String = chars[i + 2..i + 2 + close].iter().collect();
                out.push_str(&braced(&inner, scope, escape));
                i += 3 + close;
            }
            Some(&n) if n.is_ascii_alphabetic() || n == '_' => {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .collect();
                i += 1 + name.chars().count();
                push_value(&mut out, scope.lookup(&name));
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
    out
}

fn push_value(out: &mut String, v: Option<Option<&str>>) {
    match v {
        Some(Some(v)) => out.push_str(v),
        _ => out.push(UNKNOWN_MARK),
    }
}

fn braced(inner: &str, scope: &Scope, escape: char) -> String {
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, op) = inner.split_at(name_len);
    let value = scope.lookup(name);
    let known = matches!(value, Some(Some(_)));
    let non_empty = matches!(value, Some(Some(v)) if !v.is_empty());
    let mut out = String::new();
    if op.is_empty() {
        push_value(&mut out, value);
    } else if let Some(word) = op.strip_prefix(":-") {
        match (known, non_empty) {
            (true, true) => push_value(&mut out, value),
            (true, false) => out.push_str(&expand(word, scope, escape)),
            _ => out.push(UNKNOWN_MARK),
        }
    } else if let Some(word) = op.strip_prefix(":+") {
        match (known, non_empty) {
            (true, true) => out.push_str(&expand(word, scope, escape)),
            (true, false) => {}
            _ => out.push(UNKNOWN_MARK),
        }
    } else if op.starts_with('-') {
        // Unset here may still be set by the base image: unknown.
        push_value(&mut out, value);
    } else if let Some(word) = op.strip_prefix('+') {
        if known {
            out.push_str(&expand(word, scope, escape));
        } else {
            out.push(UNKNOWN_MARK);
        }
    } else {
        // Other modifiers (`?`, `#`, `%`) are rare; their result stays unknown.
        out.push(UNKNOWN_MARK);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        let mut s = Scope::default();
        s.args.insert("TAG".into(), Some("1.2".into()));
        s.args.insert("EMPTY".into(), Some(String::new()));
        s.args.insert("FREE".into(), None);
        s.env.insert("TAG".into(), Some("env-wins".into()));
        s
    }

    #[test]
    fn expands_known_and_marks_unknown() {
        let s = scope();
        assert_eq!(expand("img:$TAG", &s, '\\'), "img:env-wins");
        assert_eq!(expand("img:${TAG}x", &s, '\\'), "img:env-winsx");
        assert_eq!(expand("${EMPTY:-dflt}", &s, '\\'), "dflt");
        assert_eq!(expand("${FREE:-dflt}", &s, '\\'), "\u{1}");
        assert_eq!(expand("${NOPE}", &s, '\\'), "\u{1}");
        assert_eq!(expand("${TAG:+yes}", &s, '\\'), "yes");
        assert_eq!(expand("cost \\$5", &s, '\\'), "cost $5");
        assert_eq!(expand("a$ b ${open", &s, '\\'), "a$ b ${open");
    }
}
