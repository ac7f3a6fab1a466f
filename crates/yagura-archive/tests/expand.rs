//! Archives are built at test time with real encoders (and, for hostile zips,
//! by hand) so every fixture is reproducible from this file.

use std::io::{Cursor, Read, Write};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, FlushCompress};
use yagura_archive::{expand, sniff, Expansion, Format, Limits, Problem};

// ---------- fixture builders ----------

fn tar_header(name: &str, size: usize, typeflag: u8) -> [u8; 512] {
    let mut h = [0u8; 512];
    let n = name.as_bytes();
    h[..n.len().min(100)].copy_from_slice(&n[..n.len().min(100)]);
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = typeflag;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    h
}

fn tar_push(out: &mut Vec<u8>, name: &str, data: &[u8], typeflag: u8) {
    out.extend_from_slice(&tar_header(name, data.len(), typeflag));
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in files {
        tar_push(&mut out, name, data, b'0');
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut w =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn zst(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[derive(Clone, Copy)]
/// One zip record for the hand-written zips (hostile layouts the writer refuses).
struct Rec<'a> {
    name: &'a str,
    method: u16,
    flags: u16,
    crc: u32,
    csize: u32,
    usize: u32,
    offset: u32,
}

fn local_header(r: &Rec<'_>) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    v.extend_from_slice(&20u16.to_le_bytes());
    v.extend_from_slice(&r.flags.to_le_bytes());
    v.extend_from_slice(&r.method.to_le_bytes());
    v.extend_from_slice(&[0; 4]); // time, date
    v.extend_from_slice(&r.crc.to_le_bytes());
    v.extend_from_slice(&r.csize.to_le_bytes());
    v.extend_from_slice(&r.usize.to_le_bytes());
    v.extend_from_slice(&(r.name.len() as u16).to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes());
    v.extend_from_slice(r.name.as_bytes());
    v
}

fn central_directory(out: &mut Vec<u8>, recs: &[Rec<'_>]) {
    let start = out.len() as u32;
    for r in recs {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&r.flags.to_le_bytes());
        out.extend_from_slice(&r.method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&r.crc.to_le_bytes());
        out.extend_from_slice(&r.csize.to_le_bytes());
        out.extend_from_slice(&r.usize.to_le_bytes());
        out.extend_from_slice(&(r.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 12]); // extra, comment, disk, attrs
        out.extend_from_slice(&r.offset.to_le_bytes());
        out.extend_from_slice(r.name.as_bytes());
    }
    let size = out.len() as u32 - start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(recs.len() as u16).to_le_bytes());
    out.extend_from_slice(&(recs.len() as u16).to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
}

/// A zip whose records are laid out one after another, each with its raw data.
fn hand_zip(entries: &mut [(Rec<'_>, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (r, data) in entries.iter_mut() {
        r.offset = out.len() as u32;
        out.extend_from_slice(&local_header(r));
        out.extend_from_slice(data);
    }
    let recs: Vec<Rec<'_>> = entries.iter().map(|(r, _)| *r).collect();
    central_directory(&mut out, &recs);
    out
}

fn crc(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

fn compress_all(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 16);
    let start = c.total_in();
    loop {
        let done = (c.total_in() - start) as usize;
        if out.capacity() - out.len() < 4096 {
            out.reserve(1 << 16);
        }
        let before_out = c.total_out();
        c.compress_vec(&input[done..], &mut out, flush).unwrap();
        if (c.total_in() - start) as usize == input.len() && c.total_out() == before_out {
            return out;
        }
    }
}

/// Raw deflate of `mib` MiB of zeros, built without compressing them all: after
/// a full flush the compressor forgets its history, so every further 1 MiB of
/// zeros compresses to the same bytes, which are simply repeated.
fn zeros_deflate(mib: usize) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let chunk = vec![0u8; 1 << 20];
    let mut out = compress_all(&mut c, &chunk, FlushCompress::Full);
    let piece = compress_all(&mut c, &chunk, FlushCompress::Full);
    for _ in 2..mib {
        out.extend_from_slice(&piece);
    }
    if mib >= 2 {
        out.extend_from_slice(&piece);
    }
    out.extend_from_slice(&compress_all(&mut c, &[], FlushCompress::Finish));
    out
}

fn gzip_wrap(deflate: &[u8], crc: u32, size: u32) -> Vec<u8> {
    let mut v = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    v.extend_from_slice(deflate);
    v.extend_from_slice(&crc.to_le_bytes());
    v.extend_from_slice(&size.to_le_bytes());
    v
}

/// Deterministic, poorly compressible bytes.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

// ---------- helpers ----------

#[derive(Debug)]
struct Seen {
    path: String,
    depth: u32,
    data: Vec<u8>,
}

fn run(name: &str, data: &[u8], limits: &Limits) -> (Vec<Seen>, Expansion) {
    let mut seen = Vec::new();
    let exp = expand(name, data, limits, &mut |m| {
        seen.push(Seen {
            path: m.path.to_string(),
            depth: m.depth,
            data: m.data.to_vec(),
        });
        ControlFlow::Continue(())
    });
    (seen, exp)
}

fn paths(seen: &[Seen]) -> Vec<&str> {
    seen.iter().map(|s| s.path.as_str()).collect()
}

fn find<'a>(seen: &'a [Seen], path: &str) -> &'a Seen {
    seen.iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("{path} not visited; saw {:?}", paths(seen)))
}

fn small_limits() -> Limits {
    Limits {
        max_depth: 6,
        max_expanded_bytes: 64 << 20,
        max_member_bytes: 32 << 20,
        max_files: 10_000,
        max_ratio: 200,
        ratio_floor_bytes: 16 << 20,
        ..Limits::default()
    }
}

// ---------- each format alone ----------

#[test]
fn sniffs_each_format() {
    let t = tar(&[("a", b"x")]);
    assert_eq!(sniff(&zip(&[("a", b"x")])), Some(Format::Zip));
    assert_eq!(sniff(&t), Some(Format::Tar));
    assert_eq!(sniff(&gz(b"x")), Some(Format::Gzip));
    assert_eq!(sniff(&bz2(b"x")), Some(Format::Bzip2));
    assert_eq!(sniff(&xz(b"x")), Some(Format::Xz));
    assert_eq!(sniff(&zst(b"x")), Some(Format::Zstd));
    // An old v7 header (no ustar magic) is still tar thanks to its checksum.
    let mut v7 = t.clone();
    v7[257..265].fill(0);
    v7[148..156].copy_from_slice(b"        ");
    let sum: u32 = v7[..512].iter().map(|&b| u32::from(b)).sum();
    v7[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    assert_eq!(sniff(&v7), Some(Format::Tar));
    v7[0] ^= 1; // checksum no longer matches
    assert_eq!(sniff(&v7), None);
}

#[test]
fn zip_alone() {
    let z = zip(&[("dir/a.txt", b"alpha"), ("b.bin", &[1, 2, 3])]);
    let (seen, exp) = run("x.zip", &z, &Limits::default());
    assert_eq!(paths(&seen), ["x.zip!dir/a.txt", "x.zip!b.bin"]);
    assert_eq!(find(&seen, "x.zip!dir/a.txt").data, b"alpha");
    assert_eq!(seen[0].depth, 1);
    assert!(exp.problems.is_empty(), "{:?}", exp.problems);
    assert_eq!(exp.members, 2);
}

#[test]
fn tar_alone_with_long_names_and_skipped_types() {
    let long = format!("{}/deep.txt", "d".repeat(150));
    let mut t = Vec::new();
    tar_push(&mut t, "dir/", b"", b'5');
    tar_push(&mut t, "link", b"", b'2');
    tar_push(
        &mut t,
        "././@LongLink",
        format!("{long}\0").as_bytes(),
        b'L',
    );
    tar_push(&mut t, "truncated-name", b"gnu", b'0');
    let pax = "27 path=pax/named/file.txt\n";
    tar_push(&mut t, "PaxHeaders/x", pax.as_bytes(), b'x');
    tar_push(&mut t, "short", b"pax", b'0');
    tar_push(&mut t, "plain.txt", b"plain", 0);
    // POSIX prefix field.
    let mut h = tar_header("name.txt", 6, b'0');
    h[345..351].copy_from_slice(b"prefix");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    t.extend_from_slice(&h);
    t.extend_from_slice(b"prefix");
    t.resize(t.len().div_ceil(512) * 512, 0);
    t.extend_from_slice(&[0; 1024]);

    let (seen, exp) = run("t.tar", &t, &Limits::default());
    assert_eq!(
        paths(&seen),
        [
            format!("t.tar!{long}").as_str(),
            "t.tar!pax/named/file.txt",
            "t.tar!plain.txt",
            "t.tar!prefix/name.txt"
        ]
    );
    assert_eq!(seen[0].data, b"gnu");
    assert_eq!(seen[1].data, b"pax");
    assert_eq!(seen[3].data, b"prefix");
    assert!(exp.problems.is_empty(), "{:?}", exp.problems);
    assert_eq!(
        exp.expanded_bytes, 0,
        "tar members are slices, not decompressed"
    );
}

#[test]
fn compressed_streams_alone() {
    let payload = b"the quick brown fox ".repeat(500);
    for (name, data, inner) in [
        ("f.txt.gz", gz(&payload), "f.txt.gz!f.txt"),
        ("f.txt.bz2", bz2(&payload), "f.txt.bz2!f.txt"),
        ("f.txt.xz", xz(&payload), "f.txt.xz!f.txt"),
        ("f.txt.zst", zst(&payload), "f.txt.zst!f.txt"),
        ("a.tgz", gz(&payload), "a.tgz!a.tar"),
    ] {
        let (seen, exp) = run(name, &data, &Limits::default());
        assert_eq!(paths(&seen), [inner], "{name}");
        assert_eq!(seen[0].data, payload, "{name}");
        assert_eq!(seen[0].depth, 1);
        assert!(exp.problems.is_empty(), "{name}: {:?}", exp.problems);
        assert_eq!(exp.expanded_bytes, payload.len() as u64, "{name}");
    }
}

#[test]
fn concatenated_streams_are_all_read() {
    let mut g = gz(b"one ");
    g.extend_from_slice(&gz(b"two"));
    let (seen, _) = run("c.gz", &g, &Limits::default());
    assert_eq!(seen[0].data, b"one two");
    let mut z = zst(b"one ");
    z.extend_from_slice(&zst(b"two"));
    let (seen, exp) = run("c.zst", &z, &Limits::default());
    assert_eq!(seen[0].data, b"one two");
    assert!(exp.problems.is_empty(), "{:?}", exp.problems);
}

#[test]
fn non_archive_is_not_visited() {
    let (seen, exp) = run("a.txt", b"just text, nothing packed", &Limits::default());
    assert!(seen.is_empty());
    assert_eq!(exp.members, 0);
    assert!(exp.problems.is_empty());
}

// ---------- nesting ----------

#[test]
fn member_three_archives_deep() {
    let inner = zip(&[("payload.exe", b"MZ evil")]);
    let t = tar(&[("README", b"hi"), ("lib/inner.zip", &inner)]);
    let outer = xz(&gz(&t));
    let (seen, exp) = run("bundle.tar.gz.xz", &outer, &Limits::default());
    let hit = find(
        &seen,
        "bundle.tar.gz.xz!bundle.tar.gz!bundle.tar!lib/inner.zip!payload.exe",
    );
    assert_eq!(hit.data, b"MZ evil");
    assert_eq!(hit.depth, 4);
    // Archives are visited with their own bytes before being expanded.
    let z = find(
        &seen,
        "bundle.tar.gz.xz!bundle.tar.gz!bundle.tar!lib/inner.zip",
    );
    assert_eq!(z.data, inner);
    let order = paths(&seen);
    let zi = order.iter().position(|p| p.ends_with("inner.zip")).unwrap();
    let pi = order
        .iter()
        .position(|p| p.ends_with("payload.exe"))
        .unwrap();
    assert!(zi < pi);
    assert!(exp.problems.is_empty(), "{:?}", exp.problems);
    assert_eq!(exp.members, 5);
}

#[test]
fn depth_limit_stops_recursion() {
    let nested = gz(&gz(&gz(b"core")));
    let limits = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    let (seen, exp) = run("n.gz.gz.gz", &nested, &limits);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].depth, 2);
    assert_eq!(
        exp.problems,
        [Problem::LimitReached {
            path: seen[1].path.clone(),
            limit: "max_depth"
        }]
    );
    let (seen, exp) = run("n.gz.gz.gz", &nested, &Limits::default());
    assert_eq!(seen.last().unwrap().data, b"core");
    assert!(exp.problems.is_empty());
}

#[test]
fn file_limit_stops_visits() {
    let files: Vec<(String, Vec<u8>)> = (0..10).map(|i| (format!("f{i}"), vec![i as u8])).collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let limits = Limits {
        max_files: 3,
        ..Limits::default()
    };
    for (name, data) in [("t.tar", tar(&refs)), ("t.zip", zip(&refs))] {
        let (seen, exp) = run(name, &data, &limits);
        assert_eq!(seen.len(), 3, "{name}");
        assert_eq!(exp.members, 3);
        assert_eq!(
            exp.problems,
            [Problem::LimitReached {
                path: format!("{name}!f3"),
                limit: "max_files"
            }]
        );
    }
}

#[test]
fn member_size_limit_skips_only_that_member() {
    let big = noise(300_000, 7);
    let z = zip(&[("big.bin", &big), ("small.txt", b"ok")]);
    let limits = Limits {
        max_member_bytes: 100_000,
        ..Limits::default()
    };
    let (seen, exp) = run("m.zip", &z, &limits);
    assert_eq!(paths(&seen), ["m.zip!small.txt"]);
    assert_eq!(
        exp.problems,
        [Problem::LimitReached {
            path: "m.zip!big.bin".into(),
            limit: "max_member_bytes"
        }]
    );
    assert!(exp.expanded_bytes <= 100_000 + 64 * 1024 + 2);
}

#[test]
fn visitor_break_stops_early() {
    let t = tar(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
    let mut n = 0;
    let exp = expand("t.tar", &t, &Limits::default(), &mut |_| {
        n += 1;
        if n == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert_eq!(n, 2);
    assert_eq!(exp.members, 2);
}

// ---------- damage ----------

#[test]
fn xz_dictionary_over_limit_is_refused() {
    // Preset 6 asks for an 8 MiB dictionary.
    let mut w =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6)).unwrap();
    w.write_all(b"small").unwrap();
    let data = w.finish().unwrap();
    let limits = Limits {
        max_xz_dict_bytes: 1 << 20,
        ..Limits::default()
    };
    let (seen, exp) = run("d.xz", &data, &limits);
    assert!(seen.is_empty());
    assert!(
        matches!(&exp.problems[..], [Problem::Corrupt { path, .. }] if path == "d.xz"),
        "{:?}",
        exp.problems
    );
    let (seen, _) = run("d.xz", &data, &Limits::default());
    assert_eq!(seen[0].data, b"small");
}

#[test]
fn truncated_streams_keep_partial_output() {
    let payload = noise(300_000, 11);
    for (name, data) in [
        ("p.bz2", bz2(&payload)),
        ("p.xz", xz(&payload)),
        ("p.zst", zst(&payload)),
        ("p.gz", gz(&payload)),
    ] {
        let cut = &data[..data.len() * 3 / 4];
        let (seen, exp) = run(name, cut, &Limits::default());
        assert!(
            matches!(&exp.problems[..], [Problem::Corrupt { path, .. }] if path == name),
            "{name}: {:?}",
            exp.problems
        );
        // gzip and xz hand out blocks as they decode; bzip2 (one 900 kB block
        // here) and ruzstd lose the unfinished block.
        if name == "p.gz" || name == "p.xz" {
            assert!(
                seen.first().is_some_and(|s| s.data.len() > 100_000),
                "{name}"
            );
        }
        // Whatever was decoded is a prefix of the original.
        if let Some(s) = seen.first() {
            assert!(payload.starts_with(&s.data), "{name}");
        }
    }
}

#[test]
fn truncated_tar_gz_keeps_earlier_members() {
    let first = b"first file survives".to_vec();
    let t = tar(&[("one.txt", &first), ("two.bin", &noise(200_000, 3))]);
    let g = gz(&t);
    let cut = &g[..g.len() / 2];
    let (seen, exp) = run("cut.tar.gz", cut, &Limits::default());
    assert_eq!(find(&seen, "cut.tar.gz!cut.tar!one.txt").data, first);
    assert!(
        exp.problems
            .iter()
            .any(|p| matches!(p, Problem::Corrupt { path, .. } if path == "cut.tar.gz!cut.tar")),
        "{:?}",
        exp.problems
    );
    // The gzip stream itself is reported too, and the partial two.bin is kept.
    assert!(exp
        .problems
        .iter()
        .any(|p| matches!(p, Problem::Corrupt { path, .. } if path == "cut.tar.gz")));
    let two = find(&seen, "cut.tar.gz!cut.tar!two.bin");
    assert!(!two.data.is_empty() && two.data.len() < 200_000);
    assert!(!exp.has_bomb());
}

#[test]
fn garbage_tar_header_is_corrupt() {
    let mut t = tar(&[("ok.txt", b"fine")]);
    t.truncate(1024);
    t.extend_from_slice(&noise(512, 9));
    let (seen, exp) = run("g.tar", &t, &Limits::default());
    assert_eq!(paths(&seen), ["g.tar!ok.txt"]);
    assert!(
        matches!(&exp.problems[..], [Problem::Corrupt { path, reason }]
        if path == "g.tar" && reason.contains("checksum"))
    );
}

#[test]
fn truncated_zip_recovers_leading_members() {
    let z = zip(&[("a.txt", b"alpha alpha"), ("b.txt", &noise(50_000, 5))]);
    // Cut inside b.txt: no central directory left.
    let cut = &z[..z.len() - 30_000];
    let (seen, exp) = run("cut.zip", cut, &Limits::default());
    assert_eq!(find(&seen, "cut.zip!a.txt").data, b"alpha alpha");
    assert!(exp
        .problems
        .iter()
        .any(|p| matches!(p, Problem::Corrupt { path, .. } if path == "cut.zip")));
}

#[test]
fn garbage_after_magic_never_panics() {
    for magic in [
        &b"PK\x03\x04"[..],
        &[0x1f, 0x8b, 8],
        &[0xfd, b'7', b'z', b'X', b'Z', 0],
        &[0x28, 0xb5, 0x2f, 0xfd],
        &[b'B', b'Z', b'h', b'9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
    ] {
        for seed in 1..20 {
            let mut d = magic.to_vec();
            d.extend_from_slice(&noise(seed * 37, seed as u64));
            let (_, exp) = run("junk", &d, &Limits::default());
            assert!(
                exp.problems
                    .iter()
                    .all(|p| matches!(p, Problem::Corrupt { .. } | Problem::Unsupported { .. })),
                "{:?}",
                exp.problems
            );
            assert!(!exp.problems.is_empty(), "magic {magic:?} seed {seed}");
        }
    }
}

#[test]
fn zip_crc_mismatch_is_corrupt() {
    let data = b"hello hello".to_vec();
    let rec = Rec {
        name: "h.txt",
        method: 0,
        flags: 0,
        crc: crc(&data) ^ 1,
        csize: data.len() as u32,
        usize: data.len() as u32,
        offset: 0,
    };
    let z = hand_zip(&mut [(rec, data)]);
    let (_, exp) = run("crc.zip", &z, &Limits::default());
    assert!(
        matches!(&exp.problems[..], [Problem::Corrupt { path, .. }] if path == "crc.zip!h.txt"),
        "{:?}",
        exp.problems
    );
}

// ---------- unsupported ----------

#[test]
fn encrypted_and_unknown_method_zip_entries_are_unsupported() {
    let secret = vec![0x55u8; 40]; // 12-byte ZipCrypto header + ciphertext stand-in
    let plain = b"visible".to_vec();
    let z = hand_zip(&mut [
        (
            Rec {
                name: "secret.txt",
                method: 0,
                flags: 1,
                crc: 0,
                csize: 40,
                usize: 28,
                offset: 0,
            },
            secret,
        ),
        (
            Rec {
                name: "odd.bin",
                method: 97, // WavPack: no decoder
                flags: 0,
                crc: 0,
                csize: 4,
                usize: 4,
                offset: 0,
            },
            vec![1, 2, 3, 4],
        ),
        (
            Rec {
                name: "plain.txt",
                method: 0,
                flags: 0,
                crc: crc(&plain),
                csize: 7,
                usize: 7,
                offset: 0,
            },
            plain.clone(),
        ),
    ]);
    let (seen, exp) = run("e.zip", &z, &Limits::default());
    assert_eq!(paths(&seen), ["e.zip!plain.txt"]);
    assert_eq!(seen[0].data, plain);
    assert_eq!(exp.problems.len(), 2, "{:?}", exp.problems);
    assert!(
        matches!(&exp.problems[0], Problem::Unsupported { path, reason }
        if path == "e.zip!secret.txt" && reason.contains("encrypted"))
    );
    assert!(
        matches!(&exp.problems[1], Problem::Unsupported { path, .. } if path == "e.zip!odd.bin")
    );
}

// ---------- bombs ----------

#[test]
fn zeros_deflate_generator_is_valid() {
    let d = zeros_deflate(4);
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&d[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out.len(), 4 << 20);
    assert!(out.iter().all(|&b| b == 0));
}

fn assert_quick_bomb(exp: &Expansion, took: Duration, limits: &Limits) {
    assert!(exp.has_bomb(), "{:?}", exp.problems);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        exp.expanded_bytes <= limits.max_expanded_bytes + 64 * 1024,
        "expanded {}",
        exp.expanded_bytes
    );
}

#[test]
fn ratio_bomb_zip_2gib_of_zeros() {
    let d = zeros_deflate(2048);
    assert!(d.len() < 4 << 20, "kernel is {} bytes", d.len());
    let rec = Rec {
        name: "zeros.bin",
        method: 8,
        flags: 0,
        crc: 0, // never reached: the reader stops long before the end
        csize: d.len() as u32,
        usize: 2048 << 20,
        offset: 0,
    };
    let z = hand_zip(&mut [(rec, d)]);
    let limits = Limits::default();
    let t = Instant::now();
    let (seen, exp) = run("bomb.zip", &z, &limits);
    assert_quick_bomb(&exp, t.elapsed(), &limits);
    assert!(seen.is_empty());
    assert!(matches!(&exp.problems[..], [Problem::Bomb { path, reason }]
        if path == "bomb.zip!zeros.bin" && reason.contains("ratio")));
    // Stopped right after the 16 MiB floor, not at the 256 MiB member limit.
    assert!(exp.expanded_bytes < 17 << 20, "{}", exp.expanded_bytes);
}

#[test]
fn ratio_bomb_gzip_inside_tar() {
    let g = gzip_wrap(&zeros_deflate(1024), 0, 0);
    let t = tar(&[("note.txt", b"hi"), ("disk.img.gz", &g)]);
    let limits = small_limits();
    let tm = Instant::now();
    let (seen, exp) = run("x.tar", &t, &limits);
    assert_quick_bomb(&exp, tm.elapsed(), &limits);
    assert_eq!(paths(&seen), ["x.tar!note.txt", "x.tar!disk.img.gz"]);
    assert!(matches!(&exp.problems[..], [Problem::Bomb { path, .. }]
        if path == "x.tar!disk.img.gz!disk.img"));
}

#[test]
fn overlapping_entries_bomb() {
    // Fifield's construction: many central records share one deflate kernel.
    let d = zeros_deflate(64);
    let names: Vec<String> = (0..200).map(|i| format!("f{i}")).collect();
    let kernel = Rec {
        name: "f0",
        method: 8,
        flags: 0,
        crc: 0,
        csize: d.len() as u32,
        usize: 64 << 20,
        offset: 0,
    };
    let mut z = local_header(&kernel);
    z.extend_from_slice(&d);
    let recs: Vec<Rec<'_>> = names
        .iter()
        .map(|n| Rec {
            name: n,
            method: 8,
            flags: 0,
            crc: 0,
            csize: d.len() as u32,
            usize: 64 << 20,
            offset: 0,
        })
        .collect();
    central_directory(&mut z, &recs);
    let limits = Limits::default();
    let t = Instant::now();
    let (seen, exp) = run("overlap.zip", &z, &limits);
    assert_quick_bomb(&exp, t.elapsed(), &limits);
    assert!(seen.is_empty());
    assert_eq!(exp.expanded_bytes, 0, "refused before inflating");
    assert!(matches!(&exp.problems[..], [Problem::Bomb { path, reason }]
        if path == "overlap.zip" && reason.contains("overlapping")));
}

#[test]
fn quoted_overlap_bomb() {
    // Fifield's "quoted" variant: entry A's data contains entry B's local
    // header and data, so the two ranges overlap without sharing a header.
    let inner = b"kernel".to_vec();
    let mut b = Rec {
        name: "b",
        method: 0,
        flags: 0,
        crc: crc(&inner),
        csize: inner.len() as u32,
        usize: inner.len() as u32,
        offset: 0,
    };
    let mut a_data = local_header(&b);
    a_data.extend_from_slice(&inner);
    let a = Rec {
        name: "a",
        crc: crc(&a_data),
        csize: a_data.len() as u32,
        usize: a_data.len() as u32,
        ..b
    };
    let mut z = local_header(&a);
    b.offset = z.len() as u32;
    z.extend_from_slice(&a_data);
    central_directory(&mut z, &[a, b]);
    let (seen, exp) = run("quoted.zip", &z, &Limits::default());
    assert!(seen.is_empty());
    assert!(
        matches!(&exp.problems[..], [Problem::Bomb { path, reason }]
            if path == "quoted.zip" && reason.contains("overlapping")),
        "{:?}",
        exp.problems
    );
}

#[test]
fn recursive_bomb_hits_expanded_budget() {
    // 42.zip in miniature: 1 MiB of zeros (below the ratio floor, so only the
    // total budget can catch it), 16 copies per level, 4 levels = 64 GiB.
    let mut layer = zip(&[("0.bin", &vec![0u8; 1 << 20])]);
    for level in 0..4 {
        let names: Vec<String> = (0..16).map(|i| format!("{level}-{i}.zip")).collect();
        let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &layer[..])).collect();
        layer = zip(&files);
    }
    assert!(layer.len() < 1 << 20, "fixture is {} bytes", layer.len());
    let limits = Limits {
        max_expanded_bytes: 48 << 20,
        ..Limits::default()
    };
    let t = Instant::now();
    let (_, exp) = run("42.zip", &layer, &limits);
    assert_quick_bomb(&exp, t.elapsed(), &limits);
    assert!(
        matches!(exp.problems.last(), Some(Problem::Bomb { reason, .. })
        if reason.contains("in total"))
    );
}

#[test]
fn ordinary_archives_are_not_bombs() {
    // Source-like text (compresses ~5-20:1) and a small file of zeros
    // (compresses ~1000:1 but stays under the 16 MiB floor).
    let mut files = Vec::new();
    for i in 0..150 {
        let mut s = String::new();
        for j in 0..800 {
            s.push_str(&format!(
                "fn handler_{i}_{j}(ctx: &Context, n: u64) -> Result<u64> {{ ctx.step({j} * n + {i}) }}\n"
            ));
        }
        files.push((format!("src/mod{i}.rs"), s.into_bytes()));
    }
    files.push(("assets/blank.img".into(), vec![0u8; 8 << 20]));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let total: usize = refs.iter().map(|(_, d)| d.len()).sum();
    let t = tar(&refs);
    for (name, data) in [
        ("src.tar.gz", gz(&t)),
        ("src.zip", zip(&refs)),
        ("src.tar.zst", zst(&t)),
    ] {
        let (seen, exp) = run(name, &data, &Limits::default());
        assert!(exp.problems.is_empty(), "{name}: {:?}", exp.problems);
        let members = seen.iter().filter(|s| !s.path.ends_with(".tar")).count();
        assert_eq!(members, refs.len(), "{name}");
        let bytes: usize = seen
            .iter()
            .filter(|s| !s.path.ends_with(".tar"))
            .map(|s| s.data.len())
            .sum();
        assert_eq!(bytes, total, "{name}");
    }
}
