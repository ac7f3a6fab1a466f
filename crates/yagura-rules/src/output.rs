//! Falco output templates: `%field` and `%field[arg]` placeholders.

/// Substitute placeholders using `lookup(name, arg)`; missing values render as `<NA>`
/// like Falco does. `%%` is a literal percent sign.
pub fn render_output<F>(template: &str, mut lookup: F) -> String
where
    F: FnMut(&str, Option<&str>) -> Option<String>,
{
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('%') {
            out.push('%');
            rest = stripped;
            continue;
        }
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(after.len());
        let name = after[..name_len].trim_end_matches('.');
        if name.is_empty() {
            out.push('%');
            rest = after;
            continue;
        }
        let mut consumed = name.len();
        let mut arg = None;
        if after[consumed..].starts_with('[') {
            if let Some(close) = after[consumed..].find(']') {
                arg = Some(&after[consumed + 1..consumed + close]);
                consumed += close + 1;
            }
        }
        out.push_str(&lookup(name, arg).unwrap_or_else(|| "<NA>".to_string()));
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_fields_and_args() {
        let s = render_output(
            "shell %proc.name (parent=%proc.aname[2] x=%evt.arg.flags) %missing 100%% done.",
            |name, arg| match (name, arg) {
                ("proc.name", None) => Some("bash".into()),
                ("proc.aname", Some("2")) => Some("sshd".into()),
                ("evt.arg.flags", None) => Some("O_RDONLY".into()),
                _ => None,
            },
        );
        assert_eq!(s, "shell bash (parent=sshd x=O_RDONLY) <NA> 100% done.");
    }
}
