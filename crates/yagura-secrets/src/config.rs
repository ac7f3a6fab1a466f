//! Scanner configuration: the rule set and allowlists, built in or loaded from a
//! gitleaks-format TOML file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use yagura_model::Severity;

use crate::builtin::BUILTIN;
use crate::detector::Detector;
use crate::SecretsError;

/// Default cap on the size of a file scanned by [`crate::Scanner::scan_path`].
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// One detection rule in owned form (built-in detectors and gitleaks rules alike).
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    /// Case-insensitive keywords. Empty: the regex runs over the whole input.
    pub keywords: Vec<String>,
    /// Detection regex. `None` with `path` set makes a path-only rule that flags
    /// the file itself (e.g. a keystore).
    pub regex: Option<String>,
    pub syntax: RegexSyntax,
    pub secret_group: usize,
    pub entropy: Option<f32>,
    /// Regex on the file path; the rule only applies to matching files.
    pub path: Option<String>,
    pub tags: Vec<String>,
    pub allowlists: Vec<Allowlist>,
    pub multiline: bool,
    pub generic: bool,
}

/// Which dialect a rule's regexes are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexSyntax {
    /// Rust `regex` with Unicode off (built-in detectors).
    Native,
    /// Go RE2 as used by gitleaks; translated before compiling.
    GoRe2,
}

/// How the criteria of an allowlist combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Condition {
    /// Any criterion that matches allows the finding.
    #[default]
    Or,
    /// Every criterion that is set must match.
    And,
}

/// What an allowlist regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegexTarget {
    #[default]
    Secret,
    /// The whole regex match.
    Match,
    /// The full line(s) of the match.
    Line,
}

/// A path pattern: glob (yagura) or regex (gitleaks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPattern {
    Glob(String),
    Regex(String),
}

/// An allowlist: matching findings are dropped.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    pub description: String,
    pub condition: Condition,
    pub paths: Vec<PathPattern>,
    pub regexes: Vec<String>,
    pub regex_target: RegexTarget,
    /// Case-insensitive substrings of the secret.
    pub stopwords: Vec<String>,
    /// Commit ids (or prefixes) whose findings are allowed (git history only).
    pub commits: Vec<String>,
    /// Global allowlists only: restrict to these rule ids (empty = all rules).
    pub target_rules: Vec<String>,
    pub syntax: Option<RegexSyntax>,
}

impl Allowlist {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
            && self.regexes.is_empty()
            && self.stopwords.is_empty()
            && self.commits.is_empty()
    }
}

/// The whole scanner configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub rules: Vec<Rule>,
    /// Global allowlists, applied to every rule (or to their `target_rules`).
    pub allowlists: Vec<Allowlist>,
    /// Files larger than this are skipped (and listed in `ScanOutput::skipped`).
    pub max_file_size: u64,
    /// Honour `.gitignore` / `.ignore` files while walking. `.git` is always skipped.
    pub respect_gitignore: bool,
    pub follow_symlinks: bool,
    /// Walker threads; 0 = one per CPU.
    pub threads: usize,
    /// Skip (with a warning) rules whose regex does not compile instead of failing.
    pub skip_invalid_rules: bool,
    /// Notes produced while loading (unsupported keys, ignored rules).
    pub warnings: Vec<String>,
}

impl Rule {
    /// Owned form of a built-in detector.
    pub fn from_detector(d: &Detector) -> Rule {
        let mut allowlists = Vec::new();
        if !d.allowlist.is_empty() {
            allowlists.push(Allowlist {
                description: format!("{} built-in allowlist", d.id),
                paths: d
                    .allowlist
                    .paths
                    .iter()
                    .map(|p| PathPattern::Glob((*p).to_string()))
                    .collect(),
                regexes: d.allowlist.regexes.iter().map(|s| s.to_string()).collect(),
                stopwords: d
                    .allowlist
                    .stopwords
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                syntax: Some(RegexSyntax::Native),
                ..Allowlist::default()
            });
        }
        Rule {
            id: d.id.to_string(),
            title: d.title.to_string(),
            description: d.description.to_string(),
            severity: d.severity,
            keywords: d.keywords.iter().map(|k| k.to_string()).collect(),
            regex: Some(d.regex.to_string()),
            syntax: RegexSyntax::Native,
            secret_group: d.secret_group,
            entropy: d.entropy,
            path: None,
            tags: Vec::new(),
            allowlists,
            multiline: d.multiline,
            generic: d.generic,
        }
    }
}

/// The global allowlist of the built-in configuration: placeholders, templates,
/// lock files and media that never hold real credentials.
pub fn default_allowlist() -> Allowlist {
    Allowlist {
        description: "yagura built-in placeholders and generated files".into(),
        paths: [
            "**/package-lock.json",
            "**/npm-shrinkwrap.json",
            "**/yarn.lock",
            "**/pnpm-lock.yaml",
            "**/go.sum",
            "**/Cargo.lock",
            "**/poetry.lock",
            "**/Pipfile.lock",
            "**/composer.lock",
            "**/*.{png,jpg,jpeg,gif,bmp,ico,webp,tif,tiff,woff,woff2,ttf,otf,eot,pdf}",
        ]
        .iter()
        .map(|p| PathPattern::Glob((*p).to_string()))
        .collect(),
        regexes: vec![
            // Template and variable references rather than values.
            r"\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|%\([A-Za-z_]+\)s".into(),
            r"^(?:<[^>]*>|\$[A-Za-z_][A-Za-z0-9_]*|\[[A-Za-z_ \-]+\])$".into(),
            // Masked values.
            r"\*{4,}|•{3,}".into(),
        ],
        stopwords: [
            "example",
            "xxxxxx",
            "placeholder",
            "changeme",
            "change_me",
            "change-me",
            "your_",
            "your-",
            "dummy",
            "redacted",
            "notreal",
            "not_a_real",
            "replace_me",
            "replaceme",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        syntax: Some(RegexSyntax::Native),
        ..Allowlist::default()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::builtin()
    }
}

impl Config {
    /// All built-in detectors with the built-in global allowlist.
    pub fn builtin() -> Self {
        Config {
            rules: BUILTIN.iter().map(Rule::from_detector).collect(),
            allowlists: vec![default_allowlist()],
            ..Config::empty()
        }
    }

    /// No rules and no allowlists; scanner settings at their defaults.
    pub fn empty() -> Self {
        Config {
            rules: Vec::new(),
            allowlists: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            respect_gitignore: false,
            follow_symlinks: false,
            threads: 0,
            skip_invalid_rules: false,
            warnings: Vec::new(),
        }
    }

    /// Loads a gitleaks-format configuration file.
    ///
    /// `[extend] useDefault = true` adds yagura's built-in detectors (a file rule
    /// with the same id replaces the built-in one); `[extend] path` loads another
    /// file first; `disabledRules` removes inherited rules.
    pub fn from_gitleaks_toml(path: &Path) -> Result<Self, SecretsError> {
        load_file(path, 0)
    }

    /// Parses gitleaks TOML text; `base_dir` resolves a relative `[extend] path`.
    pub fn from_gitleaks_str(text: &str, base_dir: Option<&Path>) -> Result<Self, SecretsError> {
        parse_gitleaks(text, base_dir, "<string>", 0)
    }
}

fn load_file(path: &Path, depth: usize) -> Result<Config, SecretsError> {
    let text = std::fs::read_to_string(path).map_err(|e| SecretsError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let base = path.parent().map(Path::to_path_buf);
    parse_gitleaks(&text, base.as_deref(), &path.display().to_string(), depth)
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GlFile {
    #[serde(default)]
    extend: Option<GlExtend>,
    #[serde(default)]
    allowlist: Option<GlAllowlist>,
    #[serde(default)]
    allowlists: Vec<GlAllowlist>,
    #[serde(default)]
    rules: Vec<GlRule>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GlExtend {
    #[serde(default)]
    use_default: bool,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    disabled_rules: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GlAllowlist {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    regex_target: Option<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    target_rules: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GlRule {
    id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    secret_group: Option<usize>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    allowlist: Option<GlAllowlist>,
    #[serde(default)]
    allowlists: Vec<GlAllowlist>,
}

fn parse_gitleaks(
    text: &str,
    base_dir: Option<&Path>,
    origin: &str,
    depth: usize,
) -> Result<Config, SecretsError> {
    let file: GlFile = toml::from_str(text).map_err(|e| SecretsError::Config {
        path: origin.to_string(),
        message: e.to_string(),
    })?;
    let mut cfg = Config::empty();
    if let Some(ext) = &file.extend {
        if let Some(p) = &ext.path {
            // A cycle of extends would recurse forever; gitleaks itself stops at 2.
            if depth >= 4 {
                return Err(SecretsError::Config {
                    path: origin.to_string(),
                    message: "[extend] nesting deeper than 4 files (cycle?)".into(),
                });
            }
            let p = PathBuf::from(p);
            let full = match base_dir {
                Some(b) if p.is_relative() => b.join(p),
                _ => p,
            };
            cfg = load_file(&full, depth + 1)?;
        }
        if ext.use_default {
            let base = Config::builtin();
            let mut ids: HashSet<String> = cfg.rules.iter().map(|r| r.id.clone()).collect();
            for r in base.rules {
                if ids.insert(r.id.clone()) {
                    cfg.rules.push(r);
                }
            }
            cfg.allowlists.extend(base.allowlists);
        }
        if !ext.disabled_rules.is_empty() {
            let disabled: HashSet<&str> = ext.disabled_rules.iter().map(String::as_str).collect();
            cfg.rules.retain(|r| !disabled.contains(r.id.as_str()));
        }
    }
    for al in file.allowlist.iter().chain(file.allowlists.iter()) {
        cfg.allowlists
            .push(convert_allowlist(al, origin, &mut cfg.warnings)?);
    }
    for r in &file.rules {
        if r.id.trim().is_empty() {
            return Err(SecretsError::Config {
                path: origin.to_string(),
                message: "a [[rules]] entry has no id".into(),
            });
        }
        if r.regex.is_none() && r.path.is_none() {
            return Err(SecretsError::Rule {
                id: r.id.clone(),
                message: "rule has neither regex nor path".into(),
            });
        }
        let mut allowlists = Vec::new();
        for al in r.allowlist.iter().chain(r.allowlists.iter()) {
            allowlists.push(convert_allowlist(al, origin, &mut cfg.warnings)?);
        }
        let regex = r.regex.clone();
        let multiline = regex.as_deref().map(looks_multiline).unwrap_or(false);
        let rule = Rule {
            id: r.id.clone(),
            title: r.description.clone().unwrap_or_else(|| r.id.clone()),
            description: r.description.clone().unwrap_or_default(),
            severity: Severity::High,
            keywords: r.keywords.clone(),
            regex,
            syntax: RegexSyntax::GoRe2,
            secret_group: r.secret_group.unwrap_or(0),
            entropy: r.entropy.map(|e| e as f32),
            path: r.path.clone(),
            tags: r.tags.clone(),
            allowlists,
            multiline,
            generic: r.id.starts_with("generic"),
        };
        // A later definition of the same id replaces an inherited one, keeping its slot.
        if let Some(slot) = cfg.rules.iter_mut().find(|x| x.id == rule.id) {
            *slot = rule;
        } else {
            cfg.rules.push(rule);
        }
    }
    Ok(cfg)
}

/// Rules whose pattern can cross a newline (PEM blocks) get a multi-line window.
fn looks_multiline(re: &str) -> bool {
    re.contains("-----BEGIN") || re.contains("[\\s\\S]") || re.contains("(?s")
}

fn convert_allowlist(
    al: &GlAllowlist,
    origin: &str,
    warnings: &mut Vec<String>,
) -> Result<Allowlist, SecretsError> {
    let condition = match al
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("OR") => Condition::Or,
        Some("AND") => Condition::And,
        Some(other) => {
            return Err(SecretsError::Config {
                path: origin.to_string(),
                message: format!("allowlist condition must be OR or AND, got {other:?}"),
            })
        }
    };
    let regex_target = match al
        .regex_target
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("") | Some("secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            warnings.push(format!(
                "{origin}: unknown regexTarget {other:?}, using \"secret\""
            ));
            RegexTarget::Secret
        }
    };
    Ok(Allowlist {
        description: al.description.clone().unwrap_or_default(),
        condition,
        paths: al
            .paths
            .iter()
            .map(|p| PathPattern::Regex(p.clone()))
            .collect(),
        regexes: al.regexes.clone(),
        regex_target,
        stopwords: al.stopwords.clone(),
        commits: al.commits.clone(),
        target_rules: al.target_rules.clone(),
        syntax: Some(RegexSyntax::GoRe2),
    })
}
