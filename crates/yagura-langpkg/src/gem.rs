//! Installed gem specifications (`specifications/*.gemspec`). These are Ruby
//! code written by RubyGems; a tolerant line reader picks out the string
//! literals assigned to `name`, `version`, `license` and `licenses` rather
//! than evaluating anything.

use yagura_model::package::{FileInventory, Package, PackageSource};

use crate::license::{normalize, push_unique};
use crate::split_name_version;

pub(crate) fn parse_gemspec(path: &str, bytes: &[u8]) -> FileInventory {
    let text = String::from_utf8_lossy(bytes);
    let mut name = None;
    let mut version = None;
    let mut licenses = Vec::new();
    for line in text.lines() {
        let Some((attr, rhs)) = assignment(line) else {
            continue;
        };
        match attr {
            "name" if name.is_none() => name = string_literals(rhs).into_iter().next(),
            "version" if version.is_none() => version = string_literals(rhs).into_iter().next(),
            "license" | "licenses" => {
                for l in string_literals(rhs) {
                    push_unique(&mut licenses, normalize(&l));
                }
            }
            _ => {}
        }
    }
    // RubyGems names the file `<name>-<version>[-<platform>].gemspec`.
    let file_stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".gemspec");
    let from_file = split_name_version(file_stem)
        .map(|(n, v)| (n.to_string(), v.split('-').next().unwrap_or(v).to_string()));
    let name = name.or_else(|| from_file.as_ref().map(|(n, _)| n.clone()));
    let version = version.or_else(|| from_file.map(|(_, v)| v));
    let (Some(name), Some(version)) = (name, version) else {
        return FileInventory::issue(path, None, "gemspec without a readable name and version");
    };
    let mut pkg = Package::new("RubyGems", name, version, PackageSource::Gemspec, path);
    pkg.licenses = licenses;
    FileInventory {
        packages: vec![pkg],
        issues: Vec::new(),
    }
}

/// `  s.version = "1.0".freeze` → `("version", "\"1.0\".freeze")`.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let eq = line.find('=')?;
    if line.get(eq + 1..eq + 2) == Some("=") {
        return None;
    }
    let lhs = line.get(..eq)?.trim();
    let rhs = line.get(eq + 1..)?.trim();
    let (receiver, attr) = lhs.split_once('.')?;
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (ident(receiver) && ident(attr)).then_some((attr, rhs))
}

/// The string literals in a Ruby expression: `"…"`, `'…'`, `%q{…}` and
/// friends. Enough for what RubyGems writes (`"x".freeze`,
/// `Gem::Version.new("1.0")`, `["MIT".freeze, "Ruby".freeze]`).
fn string_literals(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => break,
            '"' | '\'' => {
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        d if d == c => break,
                        d => s.push(d),
                    }
                }
                out.push(s);
            }
            '%' if matches!(chars.peek(), Some('q' | 'Q')) => {
                chars.next();
                let close = match chars.next() {
                    Some('{') => '}',
                    Some('(') => ')',
                    Some('[') => ']',
                    Some('<') => '>',
                    Some(other) => other,
                    None => break,
                };
                out.push(chars.by_ref().take_while(|&d| d != close).collect());
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_gemspec_forms() {
        let spec = "Gem::Specification.new do |spec|\n  spec.name = %q{rack}\n  spec.version = Gem::Version.new(\"2.2.3\")\n  spec.license = 'MIT' # comment \"x\"\n  spec.files == [\"a\"]\nend\n";
        let inv = parse_gemspec("specifications/rack-2.2.3.gemspec", spec.as_bytes());
        let p = &inv.packages[0];
        assert_eq!((p.name.as_str(), p.version.as_str()), ("rack", "2.2.3"));
        assert_eq!(p.licenses, vec!["MIT"]);
    }

    #[test]
    fn file_name_fallback() {
        let inv = parse_gemspec(
            "specifications/nokogiri-1.15.4-x86_64-linux.gemspec",
            b"garbage",
        );
        let p = &inv.packages[0];
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("nokogiri", "1.15.4")
        );
        let inv = parse_gemspec("specifications/broken.gemspec", b"\xff\xfe");
        assert_eq!(inv.issues.len(), 1);
    }
}
