//! gitleaks TOML compatibility: our own small configs, plus the full upstream
//! rule file from ../shared when it is present.

use std::path::PathBuf;

use yagura_secrets::{Condition, Config, RegexTarget, Scanner, SecretsError};

fn upstream_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/gitleaks/gitleaks.toml")
}

#[test]
fn upstream_gitleaks_config_loads_and_detects() {
    let path = upstream_path();
    if !path.exists() {
        println!("skipped: {} not present", path.display());
        return;
    }
    let cfg = Config::from_gitleaks_toml(&path).expect("config parses");
    let declared = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| l.trim() == "[[rules]]")
        .count();
    assert_eq!(cfg.rules.len(), declared);
    let sc = Scanner::new(cfg).expect("every rule compiles");
    println!(
        "gitleaks rules: {declared} declared, {} compiled, {} skipped",
        sc.rule_count(),
        sc.skipped_rules().len()
    );
    assert_eq!(sc.rule_count(), declared);
    assert!(sc.skipped_rules().is_empty());

    // Known shapes, assembled at run time.
    let ghp = format!("{}{}", "ghp_", "R7hQmT2vXk9LpZ4sWc8NbY3dFg6JaE1uKo5i");
    let akia = format!("{}{}", "AKIA", "Q3EGT7ZLW2MPXD6R");
    let slack = format!(
        "{}{}-{}-{}",
        "xoxb-", "482910375612", "5839201746381", "Hq8ZtLw2Vn4KpRx7Ym3Jc9Ds"
    );
    let text = format!("gh = \"{ghp}\"\naws_access_key_id = {akia}\nslack_token = \"{slack}\"\n");
    let found = sc.scan_bytes("src/app.py", text.as_bytes());
    let ids: Vec<&str> = found.iter().map(|f| f.detector_id.as_str()).collect();
    assert!(ids.contains(&"github-pat"), "{ids:?}");
    assert!(ids.contains(&"aws-access-token"), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("slack")), "{ids:?}");
    for f in &found {
        assert!(!f.redacted.contains(&ghp) && !f.redacted.contains(&akia));
    }
    // The file's global allowlist paths apply (lock files are never scanned).
    assert!(sc
        .scan_bytes("web/package-lock.json", text.as_bytes())
        .is_empty());
}

#[test]
fn upstream_config_with_use_default_adds_builtins() {
    let path = upstream_path();
    if !path.exists() {
        println!("skipped: {} not present", path.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("custom.toml");
    std::fs::write(
        &p,
        format!(
            "[extend]\npath = {:?}\nuseDefault = true\ndisabledRules = [\"github-pat\"]\n",
            path.display().to_string()
        ),
    )
    .unwrap();
    let cfg = Config::from_gitleaks_toml(&p).unwrap();
    assert!(cfg
        .rules
        .iter()
        .any(|r| r.id == "generic-secret-assignment"));
    assert!(!cfg.rules.iter().any(|r| r.id == "github-pat"));
    Scanner::new(cfg).expect("combined rules compile");
}

const CUSTOM: &str = r#"
title = "custom"

[allowlist]
description = "global"
paths = ['''(^|/)fixtures/''']
stopwords = ["notsecret"]

[[rules]]
id = "acme-key"
description = "ACME internal key"
regex = '''(?i)\b(acme_[a-z0-9]{16})\b'''
keywords = ["acme_"]
tags = ["internal"]
entropy = 2.5

  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''# test-only''']

  [[rules.allowlists]]
  condition = "AND"
  paths = ['''\.md$''']
  stopwords = ["demo"]

[[rules]]
id = "acme-password"
regex = '''acme_password\s*=\s*"([^"]+)"'''
secretGroup = 1
keywords = ["acme_password"]
  [rules.allowlist]
  regexes = ['''^hunter''']

[[rules]]
id = "keystore-file"
description = "Java keystore"
path = '''\.jks$'''
"#;

#[test]
fn custom_rules_allowlists_and_conditions() {
    let cfg = Config::from_gitleaks_str(CUSTOM, None).unwrap();
    assert_eq!(cfg.rules.len(), 3);
    let acme = &cfg.rules[0];
    assert_eq!(acme.tags, vec!["internal".to_string()]);
    assert_eq!(acme.allowlists.len(), 2);
    assert_eq!(acme.allowlists[0].regex_target, RegexTarget::Line);
    assert_eq!(acme.allowlists[1].condition, Condition::And);
    let sc = Scanner::new(cfg).unwrap();

    let key = format!("{}{}", "acme_", "k3j9x2m7q1w8z5r4");
    let hit = |file: &str, text: &str| -> Vec<String> {
        sc.scan_bytes(file, text.as_bytes())
            .into_iter()
            .map(|f| f.detector_id)
            .collect()
    };
    assert_eq!(
        hit("src/a.rs", &format!("k = \"{key}\"\n")),
        vec!["acme-key"]
    );
    // Line-target allowlist.
    assert!(hit("src/a.rs", &format!("k = \"{key}\" # test-only\n")).is_empty());
    // Global path allowlist (regex, gitleaks style).
    assert!(hit("tests/fixtures/a.rs", &format!("k = \"{key}\"\n")).is_empty());
    // AND: needs both the .md path and the stopword.
    let demo = format!("{}{}", "acme_", "demo12345678abcd");
    assert!(hit("README.md", &format!("{demo}\n")).is_empty());
    assert_eq!(hit("src/a.rs", &format!("{demo}\n")), vec!["acme-key"]);
    assert_eq!(hit("README.md", &format!("{key}\n")), vec!["acme-key"]);
    // Global stopword.
    assert!(hit("src/a.rs", "acme_notsecret1234abcd\n").is_empty());
    // Entropy threshold: a repetitive value is dropped.
    assert!(hit("src/a.rs", "acme_aaaaaaaaaaaaaaaa\n").is_empty());
    // secretGroup and the legacy [rules.allowlist] table.
    let f = sc.scan_bytes("a.ini", b"acme_password = \"Zx81!kq\"\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].column_start, 18);
    assert!(hit("a.ini", "acme_password = \"hunter2\"\n").is_empty());
    // Path-only rule flags the file.
    assert_eq!(hit("certs/prod.jks", "binaryish"), vec!["keystore-file"]);
}

#[test]
fn bad_rule_is_named_in_the_error() {
    let bad = "[[rules]]\nid = \"broken-rule\"\nregex = '''(unclosed'''\nkeywords = [\"x\"]\n";
    let cfg = Config::from_gitleaks_str(bad, None).unwrap();
    match Scanner::new(cfg.clone()) {
        Err(SecretsError::Rule { id, .. }) => assert_eq!(id, "broken-rule"),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("invalid regex accepted"),
    }
    let mut lenient = cfg;
    lenient.skip_invalid_rules = true;
    let sc = Scanner::new(lenient).unwrap();
    assert_eq!(sc.skipped_rules().len(), 1);
    assert_eq!(sc.rule_count(), 0);

    let err = Config::from_gitleaks_str("[[rules]]\nid = \"x\"\n", None).unwrap_err();
    assert!(err.to_string().contains("\"x\""), "{err}");
    let err = Config::from_gitleaks_str("not toml [", None).unwrap_err();
    assert!(matches!(err, SecretsError::Config { .. }));
}

#[test]
fn go_quoting_is_translated() {
    let t =
        "[[rules]]\nid = \"quoted\"\nregex = '''\\Qa.b+c\\E([0-9]{6})'''\nkeywords = [\"a.b\"]\n";
    let sc = Scanner::new(Config::from_gitleaks_str(t, None).unwrap()).unwrap();
    assert_eq!(sc.scan_bytes("f", b"x a.b+c123456\n").len(), 1);
    assert!(sc.scan_bytes("f", b"x aXbbc123456\n").is_empty());
}

#[test]
fn overlapping_keywords_each_trigger_their_rule() {
    // "abcdef" ends first and hides "cdefgh" from a non-overlapping keyword search;
    // the rule behind "cdefgh" must still run.
    let t = r#"
[[rules]]
id = "first"
regex = '''abcdef=([0-9]{6})'''
keywords = ["abcdef"]

[[rules]]
id = "second"
regex = '''cdefgh:([0-9]{6})'''
keywords = ["CDEFGH"]
"#;
    let sc = Scanner::new(Config::from_gitleaks_str(t, None).unwrap()).unwrap();
    let f = sc.scan_bytes("f", b"x = xabcdefgh:493817\n");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].detector_id, "second");
    let f = sc.scan_bytes("f", b"x = abcdef=493817\n");
    assert_eq!(f[0].detector_id, "first");

    // A keyword containing a shorter one that ends first.
    let t = r#"
[[rules]]
id = "short"
regex = '''secret=([0-9]{6})'''
keywords = ["secret"]

[[rules]]
id = "long"
regex = '''my_secret_key=([0-9]{6})'''
keywords = ["my_secret_key"]
"#;
    let sc = Scanner::new(Config::from_gitleaks_str(t, None).unwrap()).unwrap();
    let f = sc.scan_bytes("f", b"my_secret_key=493817\n");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].detector_id, "long");
}
