//! Readers of INSTALLED language package metadata: Python `dist-info` /
//! `egg-info`, `node_modules/**/package.json`, RubyGems `specifications/`,
//! Java archives (nested ones included), Go build info and cargo-auditable
//! data in binaries.
//!
//! Lockfiles are read by `yagura-lockfiles`; this crate sees what is actually
//! installed. The caller walks a directory tree, an image layer or a root file
//! system, asks [`classify`] about each file and hands the bytes of the
//! interesting ones to [`parse`]. Nothing here does I/O.
//!
//! Ecosystem names follow OSV (`PyPI`, `npm`, `RubyGems`, `Maven`, `Go`,
//! `crates.io`) so that packages match advisories without translation.

mod binary;
mod gem;
mod java;
mod license;
mod node;
mod python;

use yagura_model::package::FileInventory;

/// Which reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LangFileKind {
    /// `*.dist-info/METADATA`.
    PythonMetadata,
    /// `*.egg-info/PKG-INFO`, a `*.egg-info` file, `EGG-INFO/PKG-INFO`.
    PythonPkgInfo,
    /// A package's own `package.json` directly under `node_modules/`.
    NodePackageJson,
    /// `specifications/*.gemspec` of an installed gem.
    Gemspec,
    /// `*.jar`, `*.war`, `*.ear`, `*.jpi`, `*.hpi`.
    JavaArchive,
    /// An executable that may be a Go or cargo-auditable binary.
    Binary,
}

/// Java archive extensions (Jenkins plugins are `.jpi` / `.hpi`).
const JAVA_EXTENSIONS: &[&str] = &["jar", "war", "ear", "jpi", "hpi"];

/// Extensions of executable files that are surely not ELF / Mach-O / PE,
/// so the caller need not read them.
const NON_BINARY_EXTENSIONS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "fish",
    "csh",
    "ksh",
    "py",
    "pyc",
    "pl",
    "pm",
    "rb",
    "js",
    "mjs",
    "cjs",
    "ts",
    "php",
    "lua",
    "tcl",
    "awk",
    "sed",
    "txt",
    "md",
    "rst",
    "json",
    "yaml",
    "yml",
    "toml",
    "xml",
    "html",
    "htm",
    "css",
    "conf",
    "cfg",
    "ini",
    "properties",
    "csv",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "ico",
    "gz",
    "tgz",
    "xz",
    "bz2",
    "zst",
    "zip",
    "tar",
    "bat",
    "cmd",
    "ps1",
    "h",
    "c",
    "cc",
    "cpp",
    "rs",
    "go",
    "java",
    "class",
    "jar",
    "war",
    "el",
    "vim",
    "desktop",
    "service",
    "policy",
    "pem",
    "crt",
    "key",
    "mo",
    "po",
    "gemspec",
    "lock",
];

/// Decides from the path (and the executable bit) whether a file holds
/// installed package metadata, and which reader it needs.
pub fn classify(path: &str, executable: bool) -> Option<LangFileKind> {
    let path = path.trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (file_name, dirs) = parts.split_last()?;
    let parent = dirs.last().copied().unwrap_or("");

    if *file_name == "METADATA" && parent.ends_with(".dist-info") {
        return Some(LangFileKind::PythonMetadata);
    }
    if *file_name == "PKG-INFO" && (parent.ends_with(".egg-info") || parent == "EGG-INFO") {
        return Some(LangFileKind::PythonPkgInfo);
    }
    if file_name.ends_with(".egg-info") && file_name.len() > ".egg-info".len() {
        return Some(LangFileKind::PythonPkgInfo);
    }
    if *file_name == "package.json" && is_node_package_dir(dirs) {
        return Some(LangFileKind::NodePackageJson);
    }
    if file_name.ends_with(".gemspec") && is_gem_specifications_dir(dirs) {
        return Some(LangFileKind::Gemspec);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    if let Some(ext) = &extension {
        if JAVA_EXTENSIONS.contains(&ext.as_str()) {
            return Some(LangFileKind::JavaArchive);
        }
    }
    if executable
        && extension
            .as_deref()
            .is_none_or(|e| !NON_BINARY_EXTENSIONS.contains(&e))
    {
        return Some(LangFileKind::Binary);
    }
    None
}

/// `…/node_modules/<name>` or `…/node_modules/@scope/<name>`.
fn is_node_package_dir(dirs: &[&str]) -> bool {
    match dirs {
        [.., "node_modules", scope, name] if scope.starts_with('@') && !name.starts_with('.') => {
            true
        }
        [.., "node_modules", name] => !name.starts_with('@') && !name.starts_with('.'),
        _ => false,
    }
}

/// `…/specifications/x.gemspec` or `…/specifications/default/x.gemspec`
/// (default gems shipped with Ruby).
fn is_gem_specifications_dir(dirs: &[&str]) -> bool {
    matches!(
        dirs,
        [.., "specifications"] | [.., "specifications", "default"]
    )
}

/// Reads one file. `path` is relative to the scanned root and is recorded
/// on every package and issue.
pub fn parse(kind: LangFileKind, path: &str, bytes: &[u8]) -> FileInventory {
    match kind {
        LangFileKind::PythonMetadata | LangFileKind::PythonPkgInfo => {
            python::parse_metadata(path, bytes)
        }
        LangFileKind::NodePackageJson => node::parse_package_json(path, bytes),
        LangFileKind::Gemspec => gem::parse_gemspec(path, bytes),
        LangFileKind::JavaArchive => java::parse_archive(path, bytes),
        LangFileKind::Binary => binary::parse_binary(path, bytes),
    }
}

/// Splits `name-1.2.3` at the version: the last `-` followed by a digit whose
/// remainder has a dot (so `log4j-1.2-api-2.17.1` keeps its name), else the
/// last `-` followed by a digit.
pub(crate) fn split_name_version(stem: &str) -> Option<(&str, &str)> {
    let candidates: Vec<usize> = stem
        .char_indices()
        .filter(|&(i, c)| {
            c == '-'
                && i > 0
                && stem
                    .get(i + 1..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(|n| n.is_ascii_digit())
        })
        .map(|(i, _)| i)
        .collect();
    let pick = candidates
        .iter()
        .rev()
        .find(|&&i| stem.get(i + 1..).is_some_and(|v| v.contains('.')))
        .or(candidates.last())?;
    Some((stem.get(..*pick)?, stem.get(*pick + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        use LangFileKind::*;
        let cases: &[(&str, bool, Option<LangFileKind>)] = &[
            (
                "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
                false,
                Some(PythonMetadata),
            ),
            (
                "site-packages/foo.egg-info/PKG-INFO",
                false,
                Some(PythonPkgInfo),
            ),
            (
                "site-packages/foo-1.0-py3.11.egg-info",
                false,
                Some(PythonPkgInfo),
            ),
            (
                "site-packages/foo-1.0.egg/EGG-INFO/PKG-INFO",
                false,
                Some(PythonPkgInfo),
            ),
            ("site-packages/six-1.16.0.dist-info/RECORD", false, None),
            (
                "app/node_modules/ms/package.json",
                false,
                Some(NodePackageJson),
            ),
            (
                "app/node_modules/@isaacs/x/package.json",
                false,
                Some(NodePackageJson),
            ),
            (
                "app/node_modules/a/node_modules/b/package.json",
                false,
                Some(NodePackageJson),
            ),
            ("app/node_modules/a/lib/package.json", false, None),
            ("app/node_modules/@scope/package.json", false, None),
            ("app/package.json", false, None),
            ("app/node_modules/.package-lock.json", false, None),
            (
                "var/lib/gems/3.1.0/specifications/rake-13.0.6.gemspec",
                false,
                Some(Gemspec),
            ),
            (
                "usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
                false,
                Some(Gemspec),
            ),
            ("src/rake.gemspec", false, None),
            ("opt/app/app.jar", false, Some(JavaArchive)),
            ("opt/app/APP.WAR", false, Some(JavaArchive)),
            ("var/jenkins/plugins/git.hpi", false, Some(JavaArchive)),
            ("usr/bin/kubectl", true, Some(Binary)),
            ("usr/lib/libfoo.so.1", true, Some(Binary)),
            ("usr/bin/kubectl", false, None),
            ("usr/bin/script.sh", true, None),
            ("usr/bin/tool.py", true, None),
        ];
        for (path, exec, want) in cases {
            assert_eq!(classify(path, *exec), *want, "{path}");
        }
    }

    #[test]
    fn splits_file_names() {
        assert_eq!(
            split_name_version("jackson-databind-2.15.2"),
            Some(("jackson-databind", "2.15.2"))
        );
        assert_eq!(
            split_name_version("log4j-1.2-api-2.17.1"),
            Some(("log4j-1.2-api", "2.17.1"))
        );
        assert_eq!(
            split_name_version("guava-31.1-jre"),
            Some(("guava", "31.1-jre"))
        );
        assert_eq!(split_name_version("foo-7"), Some(("foo", "7")));
        assert_eq!(split_name_version("no_version"), None);
    }
}
