//! Malware test samples, assembled at run time from fragments so the
//! repository never holds a file that a malware scanner would flag, and the
//! small archive and image writers the malware tests build them into.

use std::io::Write;

use sha2::{Digest, Sha256};

pub fn eicar() -> Vec<u8> {
    let parts = [
        "X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        "EICAR-STANDARD-ANTIVIRUS-",
        "TEST-FILE!$H+H*",
    ];
    parts.concat().into_bytes()
}

pub fn marker() -> Vec<u8> {
    ["YAGURA-MALWARE-", "TEST-SIGNATURE-", "7f3a"]
        .concat()
        .into_bytes()
}

/// A file of `size` bytes of text with the marker at `at`.
pub fn with_marker(size: usize, at: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..size).map(|i| b"abcdefghij\n"[i % 11]).collect();
    let m = marker();
    v[at..at + m.len()].copy_from_slice(&m);
    v
}

/// A minimal ustar archive of regular files (and whiteouts, by name).
pub fn tar(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in entries {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| b as u32).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip in memory");
    e.finish().expect("gzip in memory")
}

pub fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A docker-archive image whose layers are the given tars (uncompressed).
pub fn docker_archive(layers: &[Vec<u8>]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| format!("sha256:{}", sha256(l)))
        .collect();
    let history: Vec<String> = (0..layers.len())
        .map(|i| format!(r#"{{"created_by":"layer {i}"}}"#))
        .collect();
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{}},"rootfs":{{"type":"layers","diff_ids":[{}]}},"history":[{}]}}"#,
        diff_ids
            .iter()
            .map(|d| format!("\"{d}\""))
            .collect::<Vec<_>>()
            .join(","),
        history.join(",")
    );
    let names: Vec<String> = (0..layers.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let manifest = format!(
        r#"[{{"Config":"config.json","RepoTags":["malware-test:1"],"Layers":[{}]}}]"#,
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("manifest.json", manifest.as_bytes()),
        ("config.json", config.as_bytes()),
    ];
    for (n, l) in names.iter().zip(layers) {
        entries.push((n.as_str(), l.as_slice()));
    }
    tar(&entries)
}
