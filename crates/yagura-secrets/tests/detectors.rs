//! Table-driven true/false-positive tests for every built-in detector. Samples are
//! assembled at run time from each detector's recipe (fixed seeds), so no
//! secret-looking literal exists in the repository.

use std::collections::HashSet;

use yagura_secrets::{builtin_detectors, Config, SampleKind, Scanner};

fn scanner() -> Scanner {
    Scanner::new(Config::builtin()).expect("built-in rules compile")
}

#[test]
fn detector_table_is_well_formed() {
    let ds = builtin_detectors();
    let mut ids = HashSet::new();
    for d in ds {
        assert!(ids.insert(d.id), "duplicate id {}", d.id);
        assert!(
            d.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id not kebab-case: {}",
            d.id
        );
        assert!(!d.keywords.is_empty(), "{} has no keywords", d.id);
        assert!(!d.title.is_empty() && !d.description.is_empty(), "{}", d.id);
        assert!(!d.sample.parts.is_empty(), "{} has no sample", d.id);
    }
    let specific = ds.iter().filter(|d| !d.generic).count();
    println!("{} detectors, {specific} provider-specific", ds.len());
    assert!(
        specific >= 100,
        "only {specific} provider-specific detectors"
    );
}

#[test]
fn every_detector_finds_its_true_positive() {
    let sc = scanner();
    let mut failures = Vec::new();
    for (i, d) in builtin_detectors().iter().enumerate() {
        let (text, range) = d.sample.render(SampleKind::TruePositive, 1000 + i as u64);
        let secret = &text[range.clone()];
        let found = sc.scan_bytes("src/settings.conf", text.as_bytes());
        let Some(f) = found.iter().find(|f| f.detector_id == d.id) else {
            failures.push(format!(
                "{}: not found (got {:?})",
                d.id,
                found.iter().map(|f| &f.detector_id).collect::<Vec<_>>()
            ));
            continue;
        };
        // The reported span lies inside the sample's secret material.
        let first_line = text[..range.start].matches('\n').count() + 1;
        let last_line = text[..range.end].matches('\n').count() + 1;
        assert!(
            (first_line..=last_line).contains(&(f.line as usize)),
            "{}: line",
            d.id
        );
        if first_line == last_line {
            let line_start = text[..range.start].rfind('\n').map_or(0, |p| p + 1);
            assert!(
                f.column_start as usize > range.start - line_start,
                "{}: column",
                d.id
            );
            assert!(
                f.column_end as usize <= range.end - line_start + 1,
                "{}: column end",
                d.id
            );
        }
        assert!(!f.redacted.contains(secret), "{}: redaction leaks", d.id);
        assert!(f.redacted.contains('*'), "{}: not masked", d.id);
        assert_eq!(f.fingerprint.len(), 64, "{}", d.id);
        assert!(!f.fingerprint.contains(secret));
        assert_eq!(f.severity, d.severity);
        assert!(f.entropy.is_some());
    }
    assert!(
        failures.is_empty(),
        "true positives missed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_detector_ignores_placeholders_and_truncated_values() {
    let sc = scanner();
    let mut failures = Vec::new();
    for (i, d) in builtin_detectors().iter().enumerate() {
        for kind in [SampleKind::Placeholder, SampleKind::Truncated] {
            let (text, _) = d.sample.render(kind, 2000 + i as u64);
            let found = sc.scan_bytes("src/settings.conf", text.as_bytes());
            if found.iter().any(|f| f.detector_id == d.id) {
                failures.push(format!("{} {kind:?}: reported {text:?}", d.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "false positives:\n{}",
        failures.join("\n")
    );
}

#[test]
fn all_samples_in_one_file_are_each_found_on_their_line() {
    let sc = scanner();
    let mut text = String::new();
    let mut expect = Vec::new();
    for (i, d) in builtin_detectors().iter().enumerate() {
        text.push_str("fn filler() { let x = compute(1, 2); }\n");
        let line = text.matches('\n').count() as u32 + 1;
        let (sample, _) = d.sample.render(SampleKind::TruePositive, 3000 + i as u64);
        text.push_str(&sample);
        if !sample.ends_with('\n') {
            text.push('\n');
        }
        let span = sample.trim_end().matches('\n').count() as u32;
        expect.push((d.id, line, line + span));
    }
    let found = sc.scan_bytes("all.txt", text.as_bytes());
    for (id, first, last) in expect {
        assert!(
            found
                .iter()
                .any(|f| f.detector_id == id && (first..=last).contains(&f.line)),
            "{id} not found at lines {first}..={last}"
        );
    }
}

#[test]
fn inline_allow_comments_suppress() {
    let sc = scanner();
    let d = builtin_detectors()
        .iter()
        .find(|d| d.id == "github-pat")
        .unwrap();
    let (text, _) = d.sample.render(SampleKind::TruePositive, 7);
    let line = text.trim_end();
    assert_eq!(sc.scan_bytes("a.py", text.as_bytes()).len(), 1);
    for marker in ["# gitleaks:allow", "# yagura:ignore-secret"] {
        let t = format!("{line} {marker}\n");
        assert!(sc.scan_bytes("a.py", t.as_bytes()).is_empty(), "{marker}");
    }
    // The marker only covers its own line.
    let t = format!("# yagura:ignore-secret\n{line}\n");
    assert_eq!(sc.scan_bytes("a.py", t.as_bytes()).len(), 1);
}

#[test]
fn template_references_are_not_secrets() {
    let sc = scanner();
    for line in [
        "password = \"${DB_PASSWORD}\"\n",
        "api_key: {{ .Values.apiKey }}\n",
        "secret = os.getenv(\"APP_SECRET\")\n",
        "token = config.auth.token_value\n",
        "password: <your-password-here>\n",
        "DATABASE_URL=postgres://user:${PGPASSWORD}@db:5432/app\n",
        "DATABASE_URL=postgres://user:password@localhost:5432/app\n",
        "aws_secret_access_key = \"************************\"\n",
    ] {
        let f = sc.scan_bytes("x.cfg", line.as_bytes());
        assert!(
            f.is_empty(),
            "{line:?} -> {:?}",
            f.iter().map(|f| &f.detector_id).collect::<Vec<_>>()
        );
    }
}

#[test]
fn generic_detector_fires_on_random_literal_and_respects_entropy() {
    let sc = scanner();
    let value = format!("{}{}{}", "q7Ld", "9xVz2Rk", "T4mWp0sNc");
    let t = format!("const apiKey = \"{value}\";\n");
    let f = sc.scan_bytes("app.js", t.as_bytes());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].detector_id, "generic-secret-assignment");
    assert_eq!(f[0].column_start as usize, t.find(&value).unwrap() + 1);
    assert_eq!(
        f[0].column_end as usize,
        t.find(&value).unwrap() + value.len() + 1
    );
    // Low entropy: a repetitive value is not reported.
    let t = "const apiKey = \"aabbaabbaabb1\";\n";
    assert!(sc.scan_bytes("app.js", t.as_bytes()).is_empty());
}

#[test]
fn invalid_utf8_does_not_panic() {
    let sc = scanner();
    let mut data = vec![0xff, 0xfe, b'\n'];
    data.extend_from_slice(b"password = \"");
    data.extend_from_slice(&[0xc3, 0x28, 0xa0, 0xa1]);
    data.extend_from_slice(b"Zq3vP9rT2wLm8x\"\n");
    data.extend_from_slice(&[0xf0, 0x28, 0x8c, 0x28]);
    let _ = sc.scan_bytes("weird.bin", &data);
    // Random byte soup, including keywords, must not panic either.
    let mut x: u64 = 42;
    let mut soup = Vec::new();
    for i in 0..200_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        soup.push((x >> 24) as u8);
        if i % 997 == 0 {
            soup.extend_from_slice(b"token=ghp_ AKIA -----BEGIN RSA PRIVATE KEY-----\n");
        }
    }
    let _ = sc.scan_bytes("soup", &soup);
}
