//! Package URLs (<https://github.com/package-url/purl-spec>): made from a
//! [`Package`] for SBOM output, and read back into OSV ecosystem, name and
//! version for SBOM input and VEX matching.

use crate::Error;
use yagura_model::package::{Distro, Package, PackageSource};

/// A package URL split into its parts, percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// Lowercase.
    pub ty: String,
    /// `/`-joined segments, if any.
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// Keys lowercase, sorted by key; empty values dropped.
    pub qualifiers: Vec<(String, String)>,
    pub subpath: Option<String>,
}

impl Purl {
    pub fn new(ty: &str, namespace: Option<&str>, name: &str, version: Option<&str>) -> Self {
        Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: namespace.filter(|n| !n.is_empty()).map(str::to_string),
            name: name.to_string(),
            version: version.filter(|v| !v.is_empty()).map(str::to_string),
            qualifiers: Vec::new(),
            subpath: None,
        }
    }

    /// Adds a qualifier, keeping keys sorted; empty values are not kept (the
    /// spec treats them as absent).
    pub fn with_qualifier(mut self, key: &str, value: &str) -> Self {
        if !value.is_empty() {
            let key = key.to_ascii_lowercase();
            self.qualifiers.retain(|(k, _)| *k != key);
            self.qualifiers.push((key, value.to_string()));
            self.qualifiers.sort();
        }
        self
    }

    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Parses per the purl spec; every part is percent-decoded.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let err = |message: &str| Error::Purl {
            purl: s.to_string(),
            message: message.to_string(),
        };
        let trimmed = s.trim();
        let (rest, subpath) = match trimmed.split_once('#') {
            Some((r, sp)) => {
                let segs: Vec<String> = sp
                    .split('/')
                    .filter(|seg| !seg.is_empty() && *seg != "." && *seg != "..")
                    .map(decode)
                    .collect();
                (
                    r,
                    if segs.is_empty() {
                        None
                    } else {
                        Some(segs.join("/"))
                    },
                )
            }
            None => (trimmed, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let scheme_end = rest.find(':').ok_or_else(|| err("no `pkg:` scheme"))?;
        let (scheme, rest) = rest.split_at(scheme_end);
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(err("the scheme is not `pkg:`"));
        }
        let rest = rest.trim_start_matches(':').trim_start_matches('/');
        let (ty, rest) = rest.split_once('/').ok_or_else(|| err("no type/name"))?;
        if ty.is_empty()
            || !ty
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
            || ty.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(err(
                "the type is empty or has characters other than letters, digits, `.`, `+`, `-`",
            ));
        }
        // The version separator is the last `@` that does not start a
        // segment: an unencoded npm scope (`@scope/name`) is not a version.
        let (path, version) = match rest.rfind('@') {
            Some(i) if i > 0 && !rest[..i].ends_with('/') => {
                (&rest[..i], Some(decode(&rest[i + 1..])))
            }
            _ => (rest, None),
        };
        let mut segments: Vec<String> = path
            .split('/')
            .filter(|seg| !seg.is_empty())
            .map(decode)
            .collect();
        let name = segments
            .pop()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| err("no name"))?;
        let namespace = if segments.is_empty() {
            None
        } else {
            Some(segments.join("/"))
        };
        let mut purl = Purl::new(ty, namespace.as_deref(), &name, version.as_deref());
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| err("a qualifier has no `=`"))?;
            purl = purl.with_qualifier(k, &decode(v));
        }
        purl.subpath = subpath;
        Ok(purl)
    }

    /// The same package, ignoring qualifiers and subpath; a side without a
    /// version matches any version. Names compare case-insensitively because
    /// producers disagree on case for the case-insensitive ecosystems.
    pub fn matches_ignoring_qualifiers(&self, other: &Purl) -> bool {
        let ns = |p: &Purl| p.namespace.clone().unwrap_or_default().to_ascii_lowercase();
        let name = |p: &Purl| {
            if p.ty == "pypi" {
                pypi_normalise(&p.name)
            } else {
                p.name.to_ascii_lowercase()
            }
        };
        self.ty == other.ty
            && ns(self) == ns(other)
            && name(self) == name(other)
            && match (&self.version, &other.version) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

impl std::fmt::Display for Purl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|s| !s.is_empty()) {
                write!(f, "{}/", encode(seg, false))?;
            }
        }
        f.write_str(&encode(&self.name, false))?;
        if let Some(v) = &self.version {
            write!(f, "@{}", encode(v, false))?;
        }
        for (i, (k, v)) in self.qualifiers.iter().enumerate() {
            write!(
                f,
                "{}{}={}",
                if i == 0 { '?' } else { '&' },
                k,
                encode(v, true)
            )?;
        }
        if let Some(sp) = &self.subpath {
            let segs: Vec<String> = sp
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| encode(s, false))
                .collect();
            write!(f, "#{}", segs.join("/"))?;
        }
        Ok(())
    }
}

/// Percent-encodes everything but unreserved characters and `:` (which the
/// spec leaves readable, e.g. a dpkg epoch); `/` too inside qualifier values.
fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'.' | b'-' | b'_' | b'~' | b':')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decodes; a malformed escape is kept as written rather than lost.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |k: usize| bytes.get(k).and_then(|c| (*c as char).to_digit(16));
            if let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// PEP 503 name normalisation, which the purl spec asks for `pypi`.
fn pypi_normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !last_dash {
                out.push('-');
            }
            last_dash = true;
        } else {
            out.push(c.to_ascii_lowercase());
            last_dash = false;
        }
    }
    out
}

/// Which OS package format a package is, from its reader or its ecosystem.
fn os_type(p: &Package) -> Option<&'static str> {
    match p.found_by {
        PackageSource::Dpkg => return Some("deb"),
        PackageSource::Apk => return Some("apk"),
        PackageSource::Rpm => return Some("rpm"),
        _ => {}
    }
    match p.ecosystem_base() {
        "Debian" | "Ubuntu" => Some("deb"),
        "Alpine" | "Wolfi" | "Chainguard" => Some("apk"),
        "Red Hat" | "Rocky Linux" | "AlmaLinux" | "openSUSE" | "SUSE" | "Mageia" | "openEuler" => {
            Some("rpm")
        }
        _ => None,
    }
}

/// The purl namespace of an os-release `ID`.
fn namespace_for_distro_id(id: &str) -> String {
    match id {
        "rhel" => "redhat".into(),
        "amzn" => "amazon".into(),
        "ol" => "oracle".into(),
        "sles" | "sled" | "sle-micro" => "suse".into(),
        i if i.starts_with("opensuse") => "opensuse".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// The purl namespace and `distro` qualifier implied by an OSV ecosystem, for
/// OS packages when no os-release is at hand.
fn namespace_from_ecosystem(ecosystem: &str) -> (Option<String>, Option<String>) {
    let mut parts = ecosystem.split(':');
    let base = parts.next().unwrap_or("");
    let release = parts.next().unwrap_or("");
    let ns = match base {
        "Debian" => "debian",
        "Ubuntu" => "ubuntu",
        "Alpine" => "alpine",
        "Wolfi" => "wolfi",
        "Chainguard" => "chainguard",
        "Red Hat" => "redhat",
        "Rocky Linux" => "rocky",
        "AlmaLinux" => "almalinux",
        "openSUSE" => "opensuse",
        "SUSE" => "suse",
        "Mageia" => "mageia",
        "openEuler" => "openeuler",
        _ => return (None, None),
    };
    let release = release.trim_start_matches('v');
    let distro = if release.is_empty() || base == "Red Hat" || base.contains("SUSE") {
        None
    } else {
        Some(format!("{ns}-{release}"))
    };
    (Some(ns.to_string()), distro)
}

/// The package URL of a package: the one its source gave (an SBOM), or one
/// computed from ecosystem, name and version. `None` for ecosystems that have
/// no purl type here (or an OS package of an unknown distribution with
/// nothing to tell its family).
pub fn purl(p: &Package, distro: Option<&Distro>) -> Option<String> {
    if let Some(given) = &p.purl {
        return Some(given.clone());
    }
    compute(p, distro).map(|u| u.to_string())
}

fn compute(p: &Package, distro: Option<&Distro>) -> Option<Purl> {
    if p.name.is_empty() {
        return None;
    }
    let version = Some(p.version.as_str());
    if let Some(ty) = os_type(p) {
        let (eco_ns, eco_distro) = namespace_from_ecosystem(&p.ecosystem);
        let (ns, distro_q) = match distro.filter(|d| !d.id.is_empty()) {
            Some(d) => {
                let ns = namespace_for_distro_id(&d.id);
                let q = if d.version_id.is_empty() {
                    None
                } else {
                    Some(format!("{ns}-{}", d.version_id))
                };
                (Some(ns), q)
            }
            None => (eco_ns, eco_distro),
        };
        let ns = ns.or_else(|| match ty {
            "deb" => Some("debian".to_string()),
            "apk" => Some("alpine".to_string()),
            _ => None,
        })?;
        let mut u = if ty == "rpm" {
            // rpm keeps the epoch in a qualifier, not in the version.
            match p.version.split_once(':') {
                Some((epoch, rest))
                    if !epoch.is_empty() && epoch.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Purl::new(ty, Some(&ns), &p.name, Some(rest)).with_qualifier("epoch", epoch)
                }
                _ => Purl::new(ty, Some(&ns), &p.name, version),
            }
        } else {
            Purl::new(ty, Some(&ns), &p.name, version)
        };
        if let Some(arch) = &p.arch {
            u = u.with_qualifier("arch", arch);
        }
        if let Some(q) = distro_q {
            u = u.with_qualifier("distro", &q);
        }
        if let Some(src) = &p.source_package {
            if src.name != p.name || src.version != p.version {
                let upstream = if src.version.is_empty() || src.version == p.version {
                    src.name.clone()
                } else {
                    format!("{}@{}", src.name, src.version)
                };
                u = u.with_qualifier("upstream", &upstream);
            }
        }
        return Some(u);
    }
    let u = match p.ecosystem_base() {
        "PyPI" => Purl::new("pypi", None, &pypi_normalise(&p.name), version),
        "npm" => match p.name.strip_prefix('@').and_then(|s| s.split_once('/')) {
            Some((scope, name)) => Purl::new("npm", Some(&format!("@{scope}")), name, version),
            None => Purl::new("npm", None, &p.name, version),
        },
        "crates.io" => Purl::new("cargo", None, &p.name, version),
        "Go" => match p.name.rsplit_once('/') {
            Some((ns, name)) => Purl::new("golang", Some(ns), name, version),
            None => Purl::new("golang", None, &p.name, version),
        },
        "Maven" => {
            let (group, artifact) = p.name.split_once(':')?;
            Purl::new("maven", Some(group), artifact, version)
        }
        "RubyGems" => Purl::new("gem", None, &p.name, version),
        "NuGet" => Purl::new("nuget", None, &p.name, version),
        "Packagist" => match p.name.split_once('/') {
            Some((vendor, name)) => Purl::new("composer", Some(vendor), name, version),
            None => Purl::new("composer", None, &p.name, version),
        },
        "Hex" => Purl::new("hex", None, &p.name, version),
        "Pub" => Purl::new("pub", None, &p.name, version),
        "Hackage" => Purl::new("hackage", None, &p.name, version),
        "CRAN" => Purl::new("cran", None, &p.name, version),
        _ => return None,
    };
    Some(u)
}

/// The OSV ecosystem of a distribution release (`debian`, `12.5` →
/// `Debian:12`), or `None` when OSV has no advisories for it or the release
/// is not known precisely enough.
pub fn osv_distro_ecosystem(id: &str, version_id: &str) -> Option<String> {
    let v = version_id.trim();
    let mut nums = v.split('.');
    let major = nums.next().unwrap_or("").trim_start_matches('v');
    let minor = nums.next();
    let major_ok = !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit());
    match id.to_ascii_lowercase().as_str() {
        "debian" if major_ok => Some(format!("Debian:{major}")),
        "ubuntu" if major_ok => {
            let minor = minor?;
            // LTS releases are the April releases of even years.
            let lts = major.parse::<u32>().ok()? % 2 == 0 && minor == "04";
            Some(format!(
                "Ubuntu:{major}.{minor}{}",
                if lts { ":LTS" } else { "" }
            ))
        }
        "alpine" if major_ok => Some(format!("Alpine:v{major}.{}", minor?)),
        "rocky" if major_ok => Some(format!("Rocky Linux:{major}")),
        "almalinux" if major_ok => Some(format!("AlmaLinux:{major}")),
        "wolfi" => Some("Wolfi".into()),
        "chainguard" => Some("Chainguard".into()),
        _ => None,
    }
}

/// Debian and Ubuntu release code names, as some `distro` qualifiers give
/// them instead of numbers.
fn codename_version(codename: &str) -> Option<(&'static str, &'static str)> {
    Some(match codename {
        "buster" => ("debian", "10"),
        "bullseye" => ("debian", "11"),
        "bookworm" => ("debian", "12"),
        "trixie" => ("debian", "13"),
        "forky" => ("debian", "14"),
        "bionic" => ("ubuntu", "18.04"),
        "focal" => ("ubuntu", "20.04"),
        "jammy" => ("ubuntu", "22.04"),
        "noble" => ("ubuntu", "24.04"),
        _ => return None,
    })
}

/// The distribution release a `distro` qualifier names: `debian-12`,
/// `ubuntu-22.04`, `alpine-3.20.1`, `3.20.1` (Trivy, apk), `bookworm`.
pub(crate) fn distro_from_qualifier(namespace: &str, q: &str) -> Option<(String, String)> {
    let q = q.trim();
    if let Some((id, v)) = codename_version(&q.to_ascii_lowercase()) {
        return Some((id.to_string(), v.to_string()));
    }
    match q.rsplit_once('-') {
        Some((id, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => {
            Some((id.to_ascii_lowercase(), v.to_string()))
        }
        _ if q.starts_with(|c: char| c.is_ascii_digit()) => {
            Some((namespace.to_ascii_lowercase(), q.to_string()))
        }
        _ => None,
    }
}

/// Reads a package URL into `(OSV ecosystem, name, version)`.
pub fn parse_purl(s: &str) -> Result<(String, String, String), Error> {
    let u = Purl::parse(s)?;
    let err = |message: String| Error::Purl {
        purl: s.to_string(),
        message,
    };
    let ns = u.namespace.clone().unwrap_or_default();
    let version = u.version.clone().unwrap_or_default();
    let with_ns = |sep: &str| {
        if ns.is_empty() {
            u.name.clone()
        } else {
            format!("{ns}{sep}{}", u.name)
        }
    };
    let release = |default_ns: &str| {
        let ns = if ns.is_empty() {
            default_ns
        } else {
            ns.as_str()
        };
        u.qualifier("distro")
            .and_then(|q| distro_from_qualifier(ns, q))
    };
    let eco = match u.ty.as_str() {
        "deb" => {
            let base = match ns.to_ascii_lowercase().as_str() {
                "" | "debian" => "Debian",
                "ubuntu" => "Ubuntu",
                other => return Err(err(format!("no OSV ecosystem for deb namespace `{other}`"))),
            };
            release(&base.to_ascii_lowercase())
                .filter(|(id, _)| id.eq_ignore_ascii_case(base))
                .and_then(|(id, v)| osv_distro_ecosystem(&id, &v))
                .unwrap_or_else(|| base.to_string())
        }
        "apk" => match ns.to_ascii_lowercase().as_str() {
            "" | "alpine" => release("alpine")
                .filter(|(id, _)| id == "alpine")
                .and_then(|(id, v)| osv_distro_ecosystem(&id, &v))
                .unwrap_or_else(|| "Alpine".to_string()),
            "wolfi" => "Wolfi".to_string(),
            "chainguard" => "Chainguard".to_string(),
            other => return Err(err(format!("no OSV ecosystem for apk namespace `{other}`"))),
        },
        "rpm" => {
            let base = match ns.to_ascii_lowercase().as_str() {
                "redhat" | "rhel" => "Red Hat",
                "rocky" | "rockylinux" => "Rocky Linux",
                "almalinux" | "alma" => "AlmaLinux",
                "opensuse" => "openSUSE",
                "suse" | "sles" => "SUSE",
                "mageia" => "Mageia",
                "openeuler" => "openEuler",
                other => return Err(err(format!("no OSV ecosystem for rpm namespace `{other}`"))),
            };
            let eco = match base {
                "Rocky Linux" | "AlmaLinux" => {
                    let id = if base == "AlmaLinux" {
                        "almalinux"
                    } else {
                        "rocky"
                    };
                    release(id)
                        .and_then(|(_, v)| osv_distro_ecosystem(id, &v))
                        .unwrap_or_else(|| base.to_string())
                }
                _ => base.to_string(),
            };
            let version = match u.qualifier("epoch") {
                Some(e) if !e.is_empty() && !version.contains(':') => format!("{e}:{version}"),
                _ => version.clone(),
            };
            return Ok((eco, u.name.clone(), version));
        }
        "pypi" => return Ok(("PyPI".into(), pypi_normalise(&u.name), version)),
        "npm" => return Ok(("npm".into(), with_ns("/"), version)),
        "cargo" => "crates.io".into(),
        "golang" => return Ok(("Go".into(), with_ns("/"), version)),
        "maven" => {
            if ns.is_empty() {
                return Err(err("a Maven purl needs the group as namespace".into()));
            }
            return Ok((
                "Maven".into(),
                format!("{}:{}", ns.replace('/', "."), u.name),
                version,
            ));
        }
        "gem" => "RubyGems".into(),
        "nuget" => "NuGet".into(),
        "composer" => return Ok(("Packagist".into(), with_ns("/"), version)),
        "hex" => "Hex".into(),
        "pub" => "Pub".into(),
        "hackage" => "Hackage".into(),
        "cran" => "CRAN".into(),
        other => return Err(err(format!("purl type `{other}` has no OSV ecosystem"))),
    };
    Ok((eco, u.name.clone(), version))
}
