//! Falco output templates: `%field`, `%field[arg]` and `%(field)` placeholders.

use crate::condition::FieldRef;

/// One piece of an output template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    Lit(String),
    /// A placeholder: the field as written (`proc.aname[2]`) and parsed.
    Field(String, FieldRef),
}

/// Splits a template into literal text and `%field`, `%field[arg]` and
/// `%(field)` placeholders. `%%` is a literal percent sign.
pub fn parse_template(template: &str) -> Vec<TemplatePart> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = template;
    let push_field = |lit: &mut String, out: &mut Vec<TemplatePart>, text: &str| {
        if !lit.is_empty() {
            out.push(TemplatePart::Lit(std::mem::take(lit)));
        }
        let fref = match text.find('[') {
            Some(i) if text.ends_with(']') => FieldRef {
                name: text[..i].to_string(),
                arg: Some(text[i + 1..text.len() - 1].to_string()),
            },
            _ => FieldRef {
                name: text.to_string(),
                arg: None,
            },
        };
        out.push(TemplatePart::Field(text.to_string(), fref));
    };
    while let Some(i) = rest.find('%') {
        lit.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('%') {
            lit.push('%');
            rest = stripped;
            continue;
        }
        if let Some(inner) = after.strip_prefix('(') {
            if let Some(close) = inner.find(')') {
                push_field(&mut lit, &mut out, inner[..close].trim());
                rest = &inner[close + 1..];
                continue;
            }
        }
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(after.len());
        let name = after[..name_len].trim_end_matches('.');
        if name.is_empty() {
            lit.push('%');
            rest = after;
            continue;
        }
        let mut consumed = name.len();
        if after[consumed..].starts_with('[') {
            if let Some(close) = after[consumed..].find(']') {
                consumed += close + 1;
            }
        }
        push_field(&mut lit, &mut out, &after[..consumed]);
        rest = &after[consumed..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(TemplatePart::Lit(lit));
    }
    out
}

/// Substitute placeholders using `lookup(name, arg)`; missing values render as `<NA>`
/// like Falco does. `%%` is a literal percent sign.
pub fn render_output<F>(template: &str, mut lookup: F) -> String
where
    F: FnMut(&str, Option<&str>) -> Option<String>,
{
    let mut out = String::with_capacity(template.len());
    for part in parse_template(template) {
        match part {
            TemplatePart::Lit(l) => out.push_str(&l),
            TemplatePart::Field(_, f) => out
                .push_str(&lookup(&f.name, f.arg.as_deref()).unwrap_or_else(|| "<NA>".to_string())),
        }
    }
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

    #[test]
    fn parenthesised_fields_are_placeholders_too() {
        let s = render_output("a=%(proc.name)b", |name, _| {
            (name == "proc.name").then(|| "sh".to_string())
        });
        assert_eq!(s, "a=shb");
        let parts = parse_template("%fd.name");
        assert_eq!(
            parts,
            [TemplatePart::Field(
                "fd.name".into(),
                FieldRef {
                    name: "fd.name".into(),
                    arg: None
                }
            )]
        );
    }
}
