//! `os-release` (systemd's format: shell-style `KEY=value` lines) and the
//! OSV ecosystem name of the release it describes.

use crate::Error;
use yagura_model::package::Distro;

/// Reads an os-release file. The OSV ecosystem is filled for distributions
/// OSV publishes advisories for; `None` otherwise.
pub fn parse_os_release(path: &str, bytes: &[u8]) -> Result<Distro, Error> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::NotText {
        path: path.to_string(),
    })?;
    let mut fields = std::collections::HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        fields.insert(key.to_string(), unquote(value.trim()));
    }
    let id = fields
        .get("ID")
        .map(|s| s.to_ascii_lowercase())
        .filter(|s| !s.is_empty());
    let Some(id) = id else {
        return Err(Error::NotOsRelease {
            path: path.to_string(),
        });
    };
    let non_empty = |key: &str| fields.get(key).filter(|v| !v.is_empty()).cloned();
    let mut distro = Distro {
        id,
        version_id: non_empty("VERSION_ID").unwrap_or_default(),
        version_codename: non_empty("VERSION_CODENAME"),
        pretty_name: non_empty("PRETTY_NAME"),
        osv_ecosystem: None,
        path: path.to_string(),
    };
    distro.osv_ecosystem = osv_ecosystem(&distro, non_empty("VERSION").as_deref());
    Ok(distro)
}

/// Strips shell quoting: `"a \"b\""` → `a "b"`, `'x'` → `x`.
fn unquote(value: &str) -> String {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'\'' && bytes[bytes.len() - 1] == b'\'' {
        return value[1..value.len() - 1].to_string();
    }
    if bytes.len() >= 2 && bytes[0] == b'"' && bytes[bytes.len() - 1] == b'"' {
        let inner = &value[1..value.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    value.to_string()
}

fn major(version_id: &str) -> Option<&str> {
    let major = version_id.split('.').next()?;
    (!major.is_empty() && major.chars().all(|c| c.is_ascii_digit())).then_some(major)
}

fn major_minor(version_id: &str) -> Option<(&str, &str)> {
    let mut parts = version_id.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    let minor: &str = minor.split(|c: char| !c.is_ascii_digit()).next()?;
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (numeric(major) && numeric(minor)).then_some((major, minor))
}

/// Debian testing and unstable have no VERSION_ID; the codename of the
/// upcoming release still names its OSV ecosystem.
fn debian_codename_major(codename: &str) -> Option<&'static str> {
    Some(match codename {
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "duke" => "15",
        _ => return None,
    })
}

/// OSV ecosystem names (<https://ossf.github.io/osv-schema/#affectedpackage-field>).
fn osv_ecosystem(distro: &Distro, version: Option<&str>) -> Option<String> {
    let v = distro.version_id.as_str();
    match distro.id.as_str() {
        "debian" => {
            let major = major(v).or_else(|| {
                distro
                    .version_codename
                    .as_deref()
                    .and_then(debian_codename_major)
            })?;
            Some(format!("Debian:{major}"))
        }
        "ubuntu" => {
            major_minor(v)?;
            let lts = version.is_some_and(|ver| ver.contains("LTS"));
            Some(if lts {
                format!("Ubuntu:{v}:LTS")
            } else {
                format!("Ubuntu:{v}")
            })
        }
        "alpine" => {
            let (major, minor) = major_minor(v)?;
            Some(format!("Alpine:v{major}.{minor}"))
        }
        "rocky" => Some(format!("Rocky Linux:{}", major(v)?)),
        "almalinux" => Some(format!("AlmaLinux:{}", major(v)?)),
        // OSV splits Red Hat advisories per product stream
        // (`Red Hat:enterprise_linux:9::baseos`); the matcher narrows by
        // VERSION_ID, so only the base name is given here.
        "rhel" => Some("Red Hat".to_string()),
        "opensuse-leap" => {
            let (major, minor) = major_minor(v)?;
            Some(format!("openSUSE:Leap {major}.{minor}"))
        }
        "opensuse-tumbleweed" => Some("openSUSE:Tumbleweed".to_string()),
        "opensuse-leap-micro" => Some(format!("openSUSE:Leap Micro {v}")),
        "sles" | "sled" | "sles_sap" => {
            let product = match distro.id.as_str() {
                "sled" => "Linux Enterprise Desktop",
                "sles_sap" => "Linux Enterprise Server for SAP Applications",
                _ => "Linux Enterprise Server",
            };
            match major_minor(v) {
                Some((major, "0")) => Some(format!("SUSE:{product} {major}")),
                Some((major, sp)) => Some(format!("SUSE:{product} {major} SP{sp}")),
                None => Some(format!("SUSE:{product} {}", major(v)?)),
            }
        }
        "sle-micro" | "suse-microos" => Some(format!("SUSE:Linux Enterprise Micro {v}")),
        "wolfi" => Some("Wolfi".to_string()),
        "chainguard" => Some("Chainguard".to_string()),
        "photon" => {
            let (major, minor) = major_minor(v)?;
            Some(format!("Photon OS:{major}.{minor}"))
        }
        "mageia" => Some(format!("Mageia:{}", major(v)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eco(text: &str) -> Option<String> {
        parse_os_release("etc/os-release", text.as_bytes())
            .ok()
            .and_then(|d| d.osv_ecosystem)
    }

    #[test]
    fn ecosystems() {
        assert_eq!(
            eco("ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n").as_deref(),
            Some("Debian:12")
        );
        assert_eq!(
            eco("ID=debian\nVERSION_CODENAME=trixie\n").as_deref(),
            Some("Debian:13")
        );
        assert_eq!(eco("ID=debian\nVERSION_CODENAME=sid\n"), None);
        assert_eq!(
            eco("ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\n")
                .as_deref(),
            Some("Ubuntu:22.04:LTS")
        );
        assert_eq!(
            eco("ID=ubuntu\nVERSION_ID=\"23.10\"\nVERSION=\"23.10 (Mantic Minotaur)\"\n")
                .as_deref(),
            Some("Ubuntu:23.10")
        );
        assert_eq!(
            eco("ID=alpine\nVERSION_ID=3.20.1\n").as_deref(),
            Some("Alpine:v3.20")
        );
        assert_eq!(
            eco("ID=\"rocky\"\nVERSION_ID=\"9.3\"\n").as_deref(),
            Some("Rocky Linux:9")
        );
        assert_eq!(
            eco("ID=\"almalinux\"\nVERSION_ID=\"8.9\"\n").as_deref(),
            Some("AlmaLinux:8")
        );
        assert_eq!(
            eco("ID=\"rhel\"\nVERSION_ID=\"9.4\"\n").as_deref(),
            Some("Red Hat")
        );
        assert_eq!(
            eco("ID=\"opensuse-leap\"\nVERSION_ID=\"15.5\"\n").as_deref(),
            Some("openSUSE:Leap 15.5")
        );
        assert_eq!(
            eco("ID=\"sles\"\nVERSION_ID=\"15.5\"\n").as_deref(),
            Some("SUSE:Linux Enterprise Server 15 SP5")
        );
        assert_eq!(
            eco("ID=wolfi\nVERSION_ID=20230201\n").as_deref(),
            Some("Wolfi")
        );
        assert_eq!(
            eco("ID=photon\nVERSION_ID=5.0\n").as_deref(),
            Some("Photon OS:5.0")
        );
        assert_eq!(
            eco("ID=mageia\nVERSION_ID=9\n").as_deref(),
            Some("Mageia:9")
        );
        assert_eq!(eco("ID=arch\n"), None);
        assert!(parse_os_release("etc/os-release", b"NAME=x\n").is_err());
        assert!(parse_os_release("etc/os-release", &[0xff, 0xfe]).is_err());
    }

    #[test]
    fn quoting() {
        let d = parse_os_release(
            "x",
            b"ID='alpine'\nPRETTY_NAME=\"Alpine \\\"Linux\\\" v3.20\"\n",
        )
        .unwrap();
        assert_eq!(d.id, "alpine");
        assert_eq!(d.pretty_name.as_deref(), Some("Alpine \"Linux\" v3.20"));
    }
}
