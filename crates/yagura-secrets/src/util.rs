//! Small pure helpers: entropy, redaction, fingerprints, line lookup.

use sha2::{Digest, Sha256};

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f32 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let len = data.len() as f64;
    let mut h = 0.0f64;
    for &c in counts.iter().filter(|&&c| c > 0) {
        let p = c as f64 / len;
        h -= p * p.log2();
    }
    h as f32
}

/// Masks a secret: at most 4 characters kept at each end (fewer for short
/// secrets, none below 8 characters), so the output never reveals the secret.
pub fn redact(secret: &[u8]) -> String {
    // Whitespace inside multi-line secrets (PEM bodies) would make a useless mask.
    let chars: Vec<char> = secret
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
        .collect();
    let n = chars.len();
    let keep = if n >= 16 {
        4
    } else if n >= 8 {
        n / 4
    } else {
        0
    };
    let stars = (n - 2 * keep).clamp(4, 16);
    let mut out = String::with_capacity(2 * keep + stars);
    out.extend(&chars[..keep]);
    out.extend(std::iter::repeat_n('*', stars));
    out.extend(&chars[n - keep..]);
    out
}

/// Stable id of a (detector, secret) pair for de-duplication and baselines.
pub fn fingerprint(detector_id: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(detector_id.as_bytes());
    h.update([0u8]);
    h.update(secret);
    hex::encode(h.finalize())
}

/// Heuristic used by [`crate::Scanner::scan_path`]: a NUL byte early on means binary.
pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(8192)]).is_some()
}

/// Generic detectors see lots of code that assigns references, not literals.
/// True when the value looks like an identifier, a dotted path, a file path or a
/// call, or has no digit and no symbol at all.
pub fn looks_like_code_reference(v: &[u8]) -> bool {
    let all_ident = v
        .iter()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'.' | b'-' | b'/' | b':'));
    if all_ident {
        return true;
    }
    if v.starts_with(b"$") || v.starts_with(b"%") || v.ends_with(b"(") || v.ends_with(b")") {
        return true;
    }
    // Only lowercase letters and digits with an underscore or dash: snake/kebab ids.
    let ident_like = v
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.'))
        && v.iter().any(|b| matches!(b, b'_' | b'-' | b'.'))
        && v.iter().filter(|b| b.is_ascii_digit()).count() <= 2;
    if ident_like {
        return true;
    }
    // Several punctuation-separated runs that are each a plain word, a number or
    // a word with a version suffix ("api_key_id-790", "MSV1_0_TYPE"): a slug.
    let runs: Vec<&[u8]> = v
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|r| !r.is_empty())
        .collect();
    if runs.len() >= 2 && runs.iter().all(|r| simple_run(r)) {
        return true;
    }
    // Split into word-like segments at case changes, letter/digit changes and
    // punctuation. Identifiers ("SHA256_DIGEST_LENGTH", "EcPrivateKeyDer",
    // "api_key_id-4391") have long segments; random material averages under 2.
    let mut segments = 0usize;
    let mut alnum = 0usize;
    let mut prev: Option<u8> = None;
    for &b in v {
        if !b.is_ascii_alphanumeric() {
            prev = None;
            continue;
        }
        alnum += 1;
        let boundary = match prev {
            None => true,
            Some(p) => {
                p.is_ascii_digit() != b.is_ascii_digit()
                    || (p.is_ascii_lowercase() && b.is_ascii_uppercase())
            }
        };
        if boundary {
            segments += 1;
        }
        prev = Some(b);
    }
    if segments > 0 && alnum as f32 / segments as f32 >= 3.0 {
        return true;
    }
    let distinct = {
        let mut seen = [false; 256];
        v.iter()
            .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
            .count()
    };
    distinct <= 3
}

/// A word (lower, UPPER or Capitalised) optionally followed by digits, or digits.
fn simple_run(r: &[u8]) -> bool {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (word, digits) = r.split_at(letters);
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    word.is_empty()
        || word.iter().all(u8::is_ascii_lowercase)
        || word.iter().all(u8::is_ascii_uppercase)
        || (word[0].is_ascii_uppercase() && word[1..].iter().all(u8::is_ascii_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_bounds() {
        assert_eq!(shannon_entropy(b""), 0.0);
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-6);
    }

    #[test]
    fn redaction_keeps_at_most_four_each_side() {
        let s = b"ABCDEFGHIJKLMNOPQRSTUVWX";
        let r = redact(s);
        assert!(r.starts_with("ABCD") && r.ends_with("UVWX"), "{r}");
        assert!(!r.contains("EFGH"));
        assert_eq!(redact(b"short"), "*****");
        let r8 = redact(b"12345678");
        assert_eq!(r8, "12****78");
        assert!(!redact(b"abcdefghij").contains("abcdefghij"));
    }

    #[test]
    fn fingerprint_is_hex_and_depends_on_detector() {
        let a = fingerprint("a", b"s");
        assert_eq!(a.len(), 64);
        assert_ne!(a, fingerprint("b", b"s"));
        assert!(!a.contains('s') || a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn code_references_are_recognised() {
        assert!(looks_like_code_reference(b"config.database.password"));
        assert!(looks_like_code_reference(b"$DB_PASSWORD"));
        assert!(looks_like_code_reference(b"get_secret_value"));
        assert!(looks_like_code_reference(b"api_key_id-4391"));
        assert!(looks_like_code_reference(b"api_key_id-790"));
        assert!(!looks_like_code_reference(b"aB3_x9Kd-Qz7pLm"));
        assert!(looks_like_code_reference(b"Handler.Prod.MAIN"));
        assert!(!looks_like_code_reference(b"Zq3!vP9#rT2wLm8x"));
        assert!(looks_like_code_reference(b"SHA256_DIGEST_LENGTH"));
        assert!(looks_like_code_reference(b"EcPrivateKeyRfc5915Der"));
        assert!(!looks_like_code_reference(b"q7Ld9xVz2RkT4mWp0sNc"));
        assert!(!looks_like_code_reference(
            b"6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
        ));
    }
}
