//! The scanning engine: keyword prefilter, windowed regexes, filters, findings.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use memchr::memmem;
use regex::bytes::{Regex as BytesRegex, RegexBuilder};

use crate::config::{Allowlist, Condition, Config, PathPattern, RegexSyntax, RegexTarget, Rule};
use crate::util::{fingerprint, is_binary, looks_like_code_reference, redact, shannon_entropy};
use crate::{CommitInfo, ScanOutput, SecretFinding, SecretsError};

/// How far a single-line window reaches either side of a keyword hit; bounds the
/// work on minified files whose "line" is megabytes long.
const LINE_REACH: usize = 4096;
/// How far a multi-line window (PEM blocks) reaches past the keyword.
const MULTILINE_REACH: usize = 64 * 1024;
/// Windows of one rule closer than this are searched with a single regex call.
const MERGE_GAP: usize = 512;
const INLINE_ALLOW: [&[u8]; 2] = [b"gitleaks:allow", b"yagura:ignore-secret"];

struct CompiledRule {
    rule: Rule,
    regex: Option<BytesRegex>,
    path: Option<regex::Regex>,
    allowlists: Vec<CompiledAllowlist>,
    /// Decided per file: path filter or path allowlists are involved.
    path_dependent: bool,
}

enum PathMatcher {
    Glob(globset::GlobMatcher),
    Regex(regex::Regex),
}

impl PathMatcher {
    fn is_match(&self, path: &str) -> bool {
        match self {
            PathMatcher::Glob(g) => g.is_match(path),
            PathMatcher::Regex(r) => r.is_match(path),
        }
    }
}

struct CompiledAllowlist {
    condition: Condition,
    paths: Vec<PathMatcher>,
    regexes: Vec<BytesRegex>,
    target: RegexTarget,
    stopwords: Vec<Vec<u8>>,
    commits: Vec<String>,
    /// Indexes of the rules a global allowlist is limited to (None = all).
    target_rules: Option<HashSet<usize>>,
}

/// What an allowlist needs to know about one candidate finding.
struct Cand<'a> {
    path_hits: bool,
    commit: Option<&'a str>,
    secret: &'a [u8],
    secret_lower: &'a [u8],
    whole: &'a [u8],
    line: &'a [u8],
}

impl CompiledAllowlist {
    fn path_hit(&self, path: &str) -> bool {
        self.paths.iter().any(|p| p.is_match(path))
    }

    /// An OR allowlist whose path matches allows the whole file.
    fn allows_file(&self, path: &str, commit: Option<&str>) -> bool {
        self.condition == Condition::Or
            && (self.path_hit(path) || commit.is_some_and(|c| self.commit_hit(c)))
    }

    fn commit_hit(&self, commit: &str) -> bool {
        self.commits
            .iter()
            .any(|c| !c.is_empty() && commit.starts_with(c.as_str()))
    }

    fn allows(&self, c: &Cand<'_>) -> bool {
        let mut set = 0;
        let mut hit = 0;
        let mut check = |present: bool, matched: &dyn Fn() -> bool| {
            if present {
                set += 1;
                if matched() {
                    hit += 1;
                }
            }
        };
        check(!self.commits.is_empty(), &|| {
            c.commit.is_some_and(|id| self.commit_hit(id))
        });
        check(!self.paths.is_empty(), &|| c.path_hits);
        check(!self.regexes.is_empty(), &|| {
            let target = match self.target {
                RegexTarget::Secret => c.secret,
                RegexTarget::Match => c.whole,
                RegexTarget::Line => c.line,
            };
            self.regexes.iter().any(|r| r.is_match(target))
        });
        check(!self.stopwords.is_empty(), &|| {
            self.stopwords
                .iter()
                .any(|w| memmem::find(c.secret_lower, w).is_some())
        });
        match self.condition {
            Condition::Or => hit > 0,
            Condition::And => set > 0 && hit == set,
        }
    }
}

/// A compiled, thread-safe secret scanner.
pub struct Scanner {
    settings: Config,
    rules: Vec<CompiledRule>,
    global: Vec<CompiledAllowlist>,
    prefilter: Option<AhoCorasick>,
    /// Rule indexes per prefilter pattern.
    keyword_rules: Vec<Vec<u32>>,
    /// Rules without keywords: their regex runs over the whole input.
    unkeyed: Vec<u32>,
    /// Rules with only a path: they flag the file itself.
    path_only: Vec<u32>,
    any_path_dependent: bool,
    /// Rules skipped because their regex did not compile (id, reason).
    skipped_rules: Vec<(String, String)>,
}

/// Translates the Go RE2 constructs that Rust's `regex` spells differently:
/// `\Q...\E` literal quoting, and `{`/`}` that do not form a repetition (literal
/// in Go, a syntax error in Rust).
fn translate_go(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains("\\Q") && !pattern.contains('{') && !pattern.contains('}') {
        return Cow::Borrowed(pattern);
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            if chars.get(i + 1) == Some(&'Q') {
                let mut j = i + 2;
                let mut lit = String::new();
                while j < chars.len() && !(chars[j] == '\\' && chars.get(j + 1) == Some(&'E')) {
                    lit.push(chars[j]);
                    j += 1;
                }
                out.push_str(&regex::escape(&lit));
                i = (j + 2).min(chars.len().max(j));
                continue;
            }
            out.push(c);
            if let Some(n) = chars.get(i + 1) {
                out.push(*n);
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == '[' && chars.get(i + 1) == Some(&':') {
                // POSIX class like [:alpha:] inside a bracket expression.
                if let Some(end) = (i + 2..chars.len().saturating_sub(1))
                    .find(|&k| chars[k] == ':' && chars[k + 1] == ']')
                {
                    out.extend(&chars[i..end + 2]);
                    i = end + 2;
                    continue;
                }
            }
            if c == ']' {
                in_class = false;
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push(c);
                i += 1;
                // A leading ']' (after an optional '^') is a literal member.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            '{' => {
                let mut j = i + 1;
                let mut digits = 0;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                    digits += 1;
                }
                if digits > 0 && chars.get(j) == Some(&',') {
                    j += 1;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                }
                if digits > 0 && chars.get(j) == Some(&'}') {
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                } else {
                    out.push_str("\\{");
                    i += 1;
                }
            }
            '}' => {
                out.push_str("\\}");
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

fn compile_bytes(pattern: &str, syntax: RegexSyntax) -> Result<BytesRegex, String> {
    let pat = match syntax {
        RegexSyntax::Native => Cow::Borrowed(pattern),
        RegexSyntax::GoRe2 => translate_go(pattern),
    };
    // Unicode off gives Go's ASCII-only \w, \d, \s, \b and is faster.
    let build = |unicode: bool| {
        RegexBuilder::new(&pat)
            .unicode(unicode)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
    };
    match build(false) {
        Ok(r) => Ok(r),
        Err(first) if syntax == RegexSyntax::GoRe2 => build(true).map_err(|_| first.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn compile_str(pattern: &str, syntax: RegexSyntax) -> Result<regex::Regex, String> {
    let pat = match syntax {
        RegexSyntax::Native => Cow::Borrowed(pattern),
        RegexSyntax::GoRe2 => translate_go(pattern),
    };
    regex::RegexBuilder::new(&pat)
        .size_limit(64 << 20)
        .build()
        .map_err(|e| e.to_string())
}

fn compile_allowlist(
    al: &Allowlist,
    owner: &str,
    rule_index: &std::collections::HashMap<&str, usize>,
) -> Result<CompiledAllowlist, SecretsError> {
    let syntax = al.syntax.unwrap_or(RegexSyntax::Native);
    let err = |message: String| SecretsError::Rule {
        id: owner.to_string(),
        message,
    };
    let mut paths = Vec::new();
    for p in &al.paths {
        paths.push(match p {
            PathPattern::Glob(g) => PathMatcher::Glob(
                globset::GlobBuilder::new(g)
                    .literal_separator(false)
                    .build()
                    .map_err(|e| err(format!("allowlist path glob {g:?}: {e}")))?
                    .compile_matcher(),
            ),
            PathPattern::Regex(r) => PathMatcher::Regex(
                compile_str(r, syntax).map_err(|e| err(format!("allowlist path regex: {e}")))?,
            ),
        });
    }
    let mut regexes = Vec::new();
    for r in &al.regexes {
        regexes.push(compile_bytes(r, syntax).map_err(|e| err(format!("allowlist regex: {e}")))?);
    }
    let target_rules = if al.target_rules.is_empty() {
        None
    } else {
        Some(
            al.target_rules
                .iter()
                .filter_map(|id| rule_index.get(id.as_str()).copied())
                .collect(),
        )
    };
    Ok(CompiledAllowlist {
        condition: al.condition,
        paths,
        regexes,
        target: al.regex_target,
        stopwords: al
            .stopwords
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase().into_bytes())
            .collect(),
        commits: al.commits.clone(),
        target_rules,
    })
}

/// A regex hit that survived the filters, before line numbers are attached.
struct Hit {
    rule: usize,
    secret: (usize, usize),
    generic: bool,
    /// Length of the whole regex match: on equal secret spans the rule that
    /// matched more context (e.g. a full connection string) is the more specific.
    whole_len: usize,
}

impl Scanner {
    /// Compiles every rule. A rule that does not compile is an error naming it,
    /// unless `cfg.skip_invalid_rules` is set (then see [`Scanner::skipped_rules`]).
    pub fn new(cfg: Config) -> Result<Self, SecretsError> {
        let mut seen = HashSet::new();
        for r in &cfg.rules {
            if !seen.insert(r.id.as_str()) {
                return Err(SecretsError::Rule {
                    id: r.id.clone(),
                    message: "duplicate rule id".into(),
                });
            }
        }
        let mut rules = Vec::with_capacity(cfg.rules.len());
        let mut skipped_rules = Vec::new();
        for rule in &cfg.rules {
            match compile_rule(rule) {
                Ok(c) => rules.push(c),
                Err(SecretsError::Rule { id, message }) if cfg.skip_invalid_rules => {
                    tracing::warn!(rule = %id, "skipping secret rule: {message}");
                    skipped_rules.push((id, message));
                }
                Err(e) => return Err(e),
            }
        }
        let index: std::collections::HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.rule.id.as_str(), i))
            .collect();
        // Rule allowlists were compiled without the index; global ones need it.
        let mut global = Vec::new();
        for al in &cfg.allowlists {
            global.push(compile_allowlist(al, "global allowlist", &index)?);
        }

        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<u32>> = Vec::new();
        let mut pattern_ix: std::collections::HashMap<String, usize> = Default::default();
        let mut unkeyed = Vec::new();
        let mut path_only = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.regex.is_none() {
                path_only.push(i as u32);
                continue;
            }
            let kws: Vec<String> = r
                .rule
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .filter(|k| !k.is_empty())
                .collect();
            if kws.is_empty() {
                unkeyed.push(i as u32);
                continue;
            }
            for k in kws {
                let ix = *pattern_ix.entry(k.clone()).or_insert_with(|| {
                    patterns.push(k);
                    keyword_rules.push(Vec::new());
                    patterns.len() - 1
                });
                if !keyword_rules[ix].contains(&(i as u32)) {
                    keyword_rules[ix].push(i as u32);
                }
            }
        }
        // The prefilter search restarts one byte after each match start (see
        // scan_inner), which finds every keyword occurrence except those that
        // contain the reported keyword; so a keyword also triggers the rules of
        // every longer keyword containing it.
        let direct = keyword_rules.clone();
        for (i, a) in patterns.iter().enumerate() {
            for (j, b) in patterns.iter().enumerate() {
                if i != j && b.len() > a.len() && contains(b.as_bytes(), a.as_bytes()) {
                    for &r in &direct[j] {
                        if !keyword_rules[i].contains(&r) {
                            keyword_rules[i].push(r);
                        }
                    }
                }
            }
        }
        let prefilter = if patterns.is_empty() {
            None
        } else {
            let build = |kind: Option<AhoCorasickKind>| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(kind)
                    .build(&patterns)
            };
            // A full DFA is the fastest automaton for a few hundred short keywords;
            // fall back to the library's choice if it would be too large.
            Some(
                build(Some(AhoCorasickKind::DFA))
                    .or_else(|_| build(None))
                    .map_err(|e| SecretsError::Rule {
                        id: "keyword-prefilter".into(),
                        message: e.to_string(),
                    })?,
            )
        };
        let any_path_dependent = rules.iter().any(|r| r.path_dependent)
            || global.iter().any(|g| g.target_rules.is_some());
        Ok(Scanner {
            settings: Config {
                rules: Vec::new(),
                allowlists: Vec::new(),
                ..cfg
            },
            rules,
            global,
            prefilter,
            keyword_rules,
            unkeyed,
            path_only,
            any_path_dependent,
            skipped_rules,
        })
    }

    /// Number of compiled rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Rules left out by `skip_invalid_rules` (id, compiler message).
    pub fn skipped_rules(&self) -> &[(String, String)] {
        &self.skipped_rules
    }

    /// Ids of the compiled rules, in evaluation order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.rule.id.as_str())
    }

    /// Scans one buffer; `file_label` is used for path allowlists and in findings.
    pub fn scan_bytes(&self, file_label: &str, data: &[u8]) -> Vec<SecretFinding> {
        self.scan_inner(file_label, data, None, None)
    }

    pub(crate) fn settings(&self) -> &Config {
        &self.settings
    }

    /// Core scan. `added_lines` (git history) keeps only findings starting on those lines.
    pub(crate) fn scan_inner(
        &self,
        label: &str,
        data: &[u8],
        commit: Option<&CommitInfo>,
        added_lines: Option<&HashSet<u32>>,
    ) -> Vec<SecretFinding> {
        let commit_id = commit.map(|c| c.id.as_str());
        // Whole-file allowlisting (OR allowlists matching the path or commit).
        if self
            .global
            .iter()
            .any(|g| g.target_rules.is_none() && g.allows_file(label, commit_id))
        {
            return Vec::new();
        }
        let global_path_hits: Vec<bool> = self.global.iter().map(|g| g.path_hit(label)).collect();
        let disabled: Vec<bool> = if self.any_path_dependent {
            (0..self.rules.len())
                .map(|i| self.rule_disabled_for(i, label, commit_id))
                .collect()
        } else {
            Vec::new()
        };
        let is_disabled = |i: usize| disabled.get(i).copied().unwrap_or(false);

        // 1. Keyword prefilter -> per-rule windows, merged as hits stream in
        // (hits arrive in text order, so a rule's next window starts at or after
        // its open one).
        let mut windows: Vec<(u32, usize, usize)> = Vec::new();
        if let Some(ac) = &self.prefilter {
            let mut open: Vec<(usize, usize)> = Vec::new();
            let mut touched: Vec<u32> = Vec::new();
            let mut last: Option<(usize, usize, usize)> = None; // line start, end, multiline end
            let mut pos = 0;
            // Earliest-ending match, then restart just after its start: unlike a
            // non-overlapping iterator this also finds keywords that overlap the
            // previous one, and it is far cheaper than a full overlapping search.
            while let Some(m) = ac.find(aho_corasick::Input::new(data).span(pos..data.len())) {
                pos = m.start() + 1;
                let (ls, le, me) = match last {
                    Some((ls, le, me)) if m.start() >= ls && m.end() <= le => (ls, le, me),
                    _ => {
                        let lo = m.start().saturating_sub(LINE_REACH);
                        let hi = (m.end() + LINE_REACH).min(data.len());
                        let ls =
                            memchr::memrchr(b'\n', &data[lo..m.start()]).map_or(lo, |i| lo + i + 1);
                        let le =
                            memchr::memchr(b'\n', &data[m.end()..hi]).map_or(hi, |i| m.end() + i);
                        let me = (m.end() + MULTILINE_REACH).min(data.len());
                        last = Some((ls, le, me));
                        (ls, le, me)
                    }
                };
                if open.is_empty() {
                    open = vec![(usize::MAX, 0); self.rules.len()];
                }
                for &r in &self.keyword_rules[m.pattern().as_usize()] {
                    if is_disabled(r as usize) {
                        continue;
                    }
                    let end = if self.rules[r as usize].rule.multiline {
                        me
                    } else {
                        le
                    };
                    let w = &mut open[r as usize];
                    if w.0 == usize::MAX {
                        touched.push(r);
                        *w = (ls, end);
                    } else if ls <= w.1 + MERGE_GAP {
                        // Close enough: one regex call over both is cheaper.
                        w.0 = w.0.min(ls);
                        w.1 = w.1.max(end);
                    } else {
                        windows.push((r, w.0, w.1));
                        *w = (ls, end);
                    }
                }
            }
            for r in touched {
                let (s, e) = open[r as usize];
                windows.push((r, s, e));
            }
        }
        for &r in &self.unkeyed {
            if !is_disabled(r as usize) {
                windows.push((r, 0, data.len()));
            }
        }

        let mut hits: Vec<Hit> = Vec::new();
        for &(rule, ws, we) in &windows {
            self.run_rule(rule as usize, data, ws.min(we), we, &mut hits);
        }
        for &r in &self.path_only {
            let rule = &self.rules[r as usize];
            if !is_disabled(r as usize) && rule.path.as_ref().is_some_and(|p| p.is_match(label)) {
                hits.push(Hit {
                    rule: r as usize,
                    secret: (0, 0),
                    generic: false,
                    whole_len: 0,
                });
            }
        }
        if hits.is_empty() {
            return Vec::new();
        }

        // 2. One finding per secret span: provider rules beat generic ones, and on
        // an identical span the earlier rule wins.
        hits.sort_by_key(|h| {
            (
                h.secret.0,
                h.secret.1,
                h.generic,
                std::cmp::Reverse(h.whole_len),
                h.rule,
            )
        });
        hits.dedup_by(|b, a| a.secret == b.secret && a.secret.1 > a.secret.0);
        let specific: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| !h.generic && h.secret.1 > h.secret.0)
            .map(|h| h.secret)
            .collect();
        hits.retain(|h| {
            !h.generic
                || !specific
                    .iter()
                    .any(|&(s, e)| s < h.secret.1 && h.secret.0 < e)
        });

        // 3. Filters that need the line, then findings.
        // Hits are sorted by start, so line numbers and line starts advance once over
        // the data; per-hit work stays within LINE_REACH of the secret, so a long
        // minified line with many candidates costs linear, not quadratic, time.
        let mut out = Vec::new();
        let mut line_no: u32 = 1;
        let mut line_start = 0usize;
        let mut counted_to = 0usize;
        for h in hits {
            let rule = &self.rules[h.rule];
            let (ss, se) = h.secret;
            if ss > counted_to {
                let gap = &data[counted_to..ss];
                line_no += memchr::memchr_iter(b'\n', gap).count() as u32;
                if let Some(i) = memchr::memrchr(b'\n', gap) {
                    line_start = counted_to + i + 1;
                }
                counted_to = ss;
            }
            let path_only = rule.regex.is_none();
            let ls = line_start.max(ss.saturating_sub(LINE_REACH));
            let le = bounded_line_end(data, ss);
            let end_line = line_no + memchr::memchr_iter(b'\n', &data[ss..se]).count() as u32;
            if let Some(added) = added_lines {
                if !added.contains(&line_no) {
                    continue;
                }
            }
            let secret = if path_only {
                label.as_bytes()
            } else {
                &data[ss..se]
            };
            if !path_only {
                let last_le = bounded_line_end(data, se.saturating_sub(1).max(ss));
                let lines = &data[ls..last_le.max(le)];
                if INLINE_ALLOW
                    .iter()
                    .any(|m| memmem::find(lines, m).is_some())
                {
                    continue;
                }
                let lower = secret.to_ascii_lowercase();
                let cand = Cand {
                    path_hits: false,
                    commit: commit_id,
                    secret,
                    secret_lower: &lower,
                    whole: secret,
                    line: lines,
                };
                let global_allows = self.global.iter().zip(&global_path_hits).any(|(g, &ph)| {
                    g.target_rules.as_ref().is_none_or(|t| t.contains(&h.rule))
                        && g.allows(&Cand {
                            path_hits: ph,
                            ..cand_ref(&cand)
                        })
                });
                let rule_allows = rule.allowlists.iter().any(|a| {
                    a.allows(&Cand {
                        path_hits: a.path_hit(label),
                        ..cand_ref(&cand)
                    })
                });
                if global_allows || rule_allows {
                    continue;
                }
            }
            let col_start = (ss - line_start) as u32 + 1;
            let last_nl = memchr::memrchr(b'\n', &data[ss..se]).map_or(line_start, |i| ss + i + 1);
            let col_end = (se.max(last_nl) - last_nl) as u32 + 1;
            out.push(SecretFinding {
                detector_id: rule.rule.id.clone(),
                title: rule.rule.title.clone(),
                severity: rule.rule.severity,
                file: label.to_string(),
                line: line_no,
                end_line,
                column_start: col_start,
                column_end: col_end,
                redacted: if path_only {
                    String::new()
                } else {
                    redact(secret)
                },
                fingerprint: fingerprint(&rule.rule.id, secret),
                entropy: if path_only {
                    None
                } else {
                    Some(shannon_entropy(secret))
                },
                commit: commit.cloned(),
            });
        }
        out
    }

    fn rule_disabled_for(&self, i: usize, label: &str, commit: Option<&str>) -> bool {
        let r = &self.rules[i];
        if let Some(p) = &r.path {
            // A rule with both regex and path only applies to matching files.
            if r.regex.is_some() && !p.is_match(label) {
                return true;
            }
        }
        if r.allowlists.iter().any(|a| a.allows_file(label, commit)) {
            return true;
        }
        self.global.iter().any(|g| {
            g.target_rules.as_ref().is_some_and(|t| t.contains(&i)) && g.allows_file(label, commit)
        })
    }

    /// Runs one rule's regex over `data[s..e]` and keeps hits that pass the
    /// secret-only filters (entropy, generic heuristics).
    fn run_rule(&self, i: usize, data: &[u8], s: usize, e: usize, hits: &mut Vec<Hit>) {
        let rule = &self.rules[i];
        let Some(re) = &rule.regex else { return };
        let hay = &data[s..e];
        for caps in re.captures_iter(hay) {
            let Some(whole) = caps.get(0) else { continue };
            let group = if rule.rule.secret_group > 0 {
                caps.get(rule.rule.secret_group)
                    .or_else(|| (1..caps.len()).find_map(|g| caps.get(g)))
            } else if caps.len() > 1 {
                (1..caps.len()).find_map(|g| caps.get(g))
            } else {
                None
            };
            let m = group.unwrap_or(whole);
            if m.is_empty() {
                continue;
            }
            let secret = m.as_bytes();
            if let Some(min) = rule.rule.entropy {
                if shannon_entropy(secret) < min {
                    continue;
                }
            }
            // Generic values longer than this are blobs (certificates, data), not
            // credentials; the length cap lives here to keep the regex DFA small.
            if rule.rule.generic && (secret.len() > 128 || looks_like_code_reference(secret)) {
                continue;
            }
            hits.push(Hit {
                rule: i,
                secret: (s + m.start(), s + m.end()),
                generic: rule.rule.generic,
                whole_len: whole.len(),
            });
        }
    }

    /// Walks `root` (a file or a directory) in parallel and scans every text file.
    pub fn scan_path(&self, root: &Path) -> ScanOutput {
        let out = Mutex::new(ScanOutput::default());
        let cfg = &self.settings;
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                let mut o = ScanOutput::default();
                o.errors.push((root.display().to_string(), e.to_string()));
                return o;
            }
        };
        if meta.is_file() {
            self.scan_one(root, &root.display().to_string(), meta.len(), &out);
            return finish(out);
        }
        let mut wb = ignore::WalkBuilder::new(root);
        wb.hidden(false)
            .ignore(false)
            .git_ignore(cfg.respect_gitignore)
            .git_exclude(cfg.respect_gitignore)
            .git_global(false)
            .parents(cfg.respect_gitignore)
            .require_git(false)
            .follow_links(cfg.follow_symlinks)
            .threads(cfg.threads)
            .filter_entry(|e| e.file_name() != ".git");
        wb.build_parallel().run(|| {
            let out = &out;
            Box::new(move |entry| {
                match entry {
                    Ok(entry) => {
                        let is_file = entry.file_type().is_some_and(|t| t.is_file());
                        if is_file {
                            let label = relative_label(root, entry.path());
                            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                            self.scan_one(entry.path(), &label, size, out);
                        }
                    }
                    Err(err) => {
                        let path = error_path(&err).unwrap_or_else(|| root.display().to_string());
                        if let Ok(mut o) = out.lock() {
                            o.errors.push((path, err.to_string()));
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
        finish(out)
    }

    fn scan_one(&self, path: &Path, label: &str, size: u64, out: &Mutex<ScanOutput>) {
        let cap = self.settings.max_file_size;
        if size > cap {
            if let Ok(mut o) = out.lock() {
                o.files_skipped += 1;
                o.skipped.push((
                    label.to_string(),
                    format!("larger than {cap} bytes ({size})"),
                ));
            }
            return;
        }
        let data = match read_capped(path, cap) {
            Ok(d) => d,
            Err(e) => {
                if let Ok(mut o) = out.lock() {
                    o.errors.push((label.to_string(), e));
                }
                return;
            }
        };
        if is_binary(&data) {
            if let Ok(mut o) = out.lock() {
                o.files_skipped += 1;
            }
            return;
        }
        let findings = self.scan_inner(label, &data, None, None);
        if let Ok(mut o) = out.lock() {
            o.files_scanned += 1;
            o.bytes_scanned += data.len() as u64;
            o.findings.extend(findings);
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memmem::find(hay, needle).is_some()
}

/// Copies the fields of a candidate so allowlists can override `path_hits`.
fn cand_ref<'a>(c: &Cand<'a>) -> Cand<'a> {
    Cand {
        path_hits: c.path_hits,
        commit: c.commit,
        secret: c.secret,
        secret_lower: c.secret_lower,
        whole: c.whole,
        line: c.line,
    }
}

fn compile_rule(rule: &Rule) -> Result<CompiledRule, SecretsError> {
    let err = |message: String| SecretsError::Rule {
        id: rule.id.clone(),
        message,
    };
    let regex = match &rule.regex {
        Some(r) if !r.is_empty() => Some(compile_bytes(r, rule.syntax).map_err(err)?),
        _ => None,
    };
    let path = match &rule.path {
        Some(p) => Some(compile_str(p, rule.syntax).map_err(|e| err(format!("path: {e}")))?),
        None => None,
    };
    if regex.is_none() && path.is_none() {
        return Err(err("rule has neither regex nor path".into()));
    }
    if let Some(re) = &regex {
        if rule.secret_group > 0 && rule.secret_group >= re.captures_len() {
            return Err(err(format!(
                "secretGroup {} but the regex has only {} group(s)",
                rule.secret_group,
                re.captures_len() - 1
            )));
        }
    }
    let empty = std::collections::HashMap::new();
    let mut allowlists = Vec::new();
    for a in &rule.allowlists {
        allowlists.push(compile_allowlist(a, &rule.id, &empty)?);
    }
    let path_dependent = path.is_some()
        || allowlists.iter().any(|a| {
            a.condition == Condition::Or && (!a.paths.is_empty() || !a.commits.is_empty())
        });
    Ok(CompiledRule {
        rule: rule.clone(),
        regex,
        path,
        allowlists,
        path_dependent,
    })
}

fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut data = Vec::new();
    // The size was checked from metadata, but a file can grow while we read it.
    f.take(cap.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    if data.len() as u64 > cap {
        data.truncate(cap as usize);
    }
    Ok(data)
}

fn relative_label(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
        _ => None,
    }
}

fn finish(out: Mutex<ScanOutput>) -> ScanOutput {
    let mut o = out.into_inner().unwrap_or_else(|p| p.into_inner());
    o.findings.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.line,
            a.column_start,
            a.detector_id.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                b.line,
                b.column_start,
                b.detector_id.as_str(),
            ))
    });
    o.errors.sort();
    o.skipped.sort();
    o
}

/// The end of the line holding `pos`, looking at most LINE_REACH bytes ahead.
fn bounded_line_end(data: &[u8], pos: usize) -> usize {
    let pos = pos.min(data.len());
    let hi = (pos + LINE_REACH).min(data.len());
    memchr::memchr(b'\n', &data[pos..hi]).map_or(hi, |i| pos + i)
}

#[cfg(test)]
mod tests {
    use super::translate_go;

    #[test]
    fn go_literal_braces_and_quotes_translate() {
        assert_eq!(translate_go("a{2,3}b"), "a{2,3}b");
        assert_eq!(translate_go("x{{[^}]+}}"), "x\\{\\{[^}]+\\}\\}");
        assert_eq!(translate_go("[]a]{1}"), "[\\]a]{1}");
        assert_eq!(translate_go("\\Qa.b\\E"), "a\\.b");
        assert_eq!(translate_go("\\{x\\}"), "\\{x\\}");
        for p in ["x{{[^}]+}}", "[]a]{1}", "\\Qa.b\\E", "a{,3}", "{x}"] {
            assert!(regex::Regex::new(&translate_go(p)).is_ok(), "{p}");
        }
    }
}
