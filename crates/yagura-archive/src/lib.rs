//! Expands nested archives (zip, tar) and compressed streams (gzip, bzip2, xz,
//! zstd) in memory so the malware scanner can match signatures against every
//! member, at every depth.
//!
//! Archives are attacker-controlled input, so every step is bounded
//! ([`Limits`]):
//!
//! * `max_member_bytes`: all decompression reads through a counting limiter
//!   and stops one byte past this size; a larger member is skipped and
//!   reported ([`Problem::LimitReached`]). At most one such buffer is held per
//!   nesting level, so memory is about `max_depth * max_member_bytes` at worst.
//! * `max_expanded_bytes`: the total decompressed from one top-level input,
//!   across all levels. Recursive bombs (42.zip) multiply small members into
//!   petabytes; exhausting this budget is reported as [`Problem::Bomb`].
//! * `max_ratio`: a member whose output passes 16 MiB while its output is more
//!   than `max_ratio` times the compressed input consumed so far is a bomb.
//!   The floor keeps small, very compressible files (logs, zeros) from being
//!   flagged, and ordinary data rarely compresses past 20:1.
//! * overlapping zip entries (several central directory records sharing
//!   compressed bytes, as in David Fifield's non-recursive bomb) are refused
//!   as a bomb before anything is inflated.
//! * `max_depth` and `max_files` bound recursion and the number of visits.
//!
//! A bomb stops the whole expansion (the input is hostile; carrying on only
//! burns CPU). Damaged archives yield the members read before the damage plus
//! a [`Problem::Corrupt`]. Nothing is ever written to disk.

use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::rc::Rc;

mod tar;

/// Archive and compression formats recognised by [`sniff`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Zip,
    Tar,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

/// Recognises a format from the first bytes of a file (512 are needed for tar).
pub fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(Format::Zip);
    }
    if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        return Some(Format::Gzip);
    }
    if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        // Block magic (pi) or end-of-stream magic (sqrt pi): rules out text starting "BZh1".
        && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
    {
        return Some(Format::Bzip2);
    }
    if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        return Some(Format::Xz);
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Some(Format::Zstd);
    }
    // Both ustar and old v7 headers must carry a valid checksum, which keeps
    // random binaries with "ustar" at offset 257 from being parsed as tar.
    if tar::header_checksum_ok(head) {
        return Some(Format::Tar);
    }
    None
}

/// Bounds applied to one top-level input.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Nesting levels below the top-level input.
    pub max_depth: u32,
    /// Total bytes decompressed from one top-level input.
    pub max_expanded_bytes: u64,
    /// Largest single member held in memory.
    pub max_member_bytes: u64,
    /// Members visited per top-level input.
    pub max_files: u64,
    /// Expanded:compressed ratio above which a large member is a bomb.
    pub max_ratio: u64,
    /// Output size below which the ratio is not checked.
    pub ratio_floor_bytes: u64,
    /// Memory an xz block decoder may allocate for its dictionary (xz -9 needs 64 MiB).
    pub max_xz_dict_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 6,
            max_expanded_bytes: 4 << 30,
            max_member_bytes: 256 << 20,
            max_files: 200_000,
            max_ratio: 200,
            ratio_floor_bytes: 16 << 20,
            max_xz_dict_bytes: 96 << 20,
        }
    }
}

/// A member handed to the visitor.
#[derive(Debug)]
pub struct Member<'a> {
    /// Chain of names, e.g. `outer.zip!inner.tar.gz!inner.tar!dir/file.txt`.
    pub path: &'a str,
    /// 1 for members of the top-level input, 2 for their members, ...
    pub depth: u32,
    pub data: &'a [u8],
}

/// Something that stopped (part of) an expansion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{path}: decompression bomb: {reason}")]
    Bomb { path: String, reason: String },
    #[error("{path}: limit {limit} reached")]
    LimitReached { path: String, limit: &'static str },
    #[error("{path}: corrupt archive: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("{path}: unsupported: {reason}")]
    Unsupported { path: String, reason: String },
}

impl Problem {
    pub fn path(&self) -> &str {
        match self {
            Problem::Bomb { path, .. }
            | Problem::LimitReached { path, .. }
            | Problem::Corrupt { path, .. }
            | Problem::Unsupported { path, .. } => path,
        }
    }
}

/// Outcome of [`expand`].
#[derive(Debug, Default)]
pub struct Expansion {
    /// At most [`MAX_PROBLEMS`] problems; `problems_dropped` counts the rest.
    pub problems: Vec<Problem>,
    pub problems_dropped: u64,
    /// Members visited.
    pub members: u64,
    /// Bytes produced by decompression (tar members are slices, not counted).
    pub expanded_bytes: u64,
}

impl Expansion {
    pub fn has_bomb(&self) -> bool {
        self.problems
            .iter()
            .any(|p| matches!(p, Problem::Bomb { .. }))
    }
}

/// A hostile archive can have a problem per member; keep the report small.
pub const MAX_PROBLEMS: usize = 1000;

/// Visitor limit names used in [`Problem::LimitReached`].
pub const LIMIT_DEPTH: &str = "max_depth";
pub const LIMIT_FILES: &str = "max_files";
pub const LIMIT_MEMBER_BYTES: &str = "max_member_bytes";

/// Expands `data` (the bytes of a top-level input called `name`) if it is an
/// archive or compressed stream, recursively, calling `visit` for every member
/// at every depth (archives too, before they are expanded, so a signature can
/// match the inner archive's own bytes). Non-archive input: `visit` is never
/// called. `visit` returns `ControlFlow::Break(())` to stop early.
pub fn expand(
    name: &str,
    data: &[u8],
    limits: &Limits,
    visit: &mut dyn FnMut(&Member<'_>) -> ControlFlow<()>,
) -> Expansion {
    let mut cx = Cx {
        limits,
        visit,
        out: Expansion::default(),
        halted: false,
    };
    if let Some(fmt) = sniff(data) {
        if limits.max_depth == 0 {
            cx.problem(Problem::LimitReached {
                path: name.to_string(),
                limit: LIMIT_DEPTH,
            });
        } else {
            cx.container(name, data, fmt, 0);
        }
    }
    cx.out
}

struct Cx<'l, 'v> {
    limits: &'l Limits,
    visit: &'v mut dyn FnMut(&Member<'_>) -> ControlFlow<()>,
    out: Expansion,
    /// Set by the visitor's Break, a bomb, the file limit or the byte budget.
    halted: bool,
}

/// How a bounded read ended.
enum End {
    Complete,
    Corrupt(String),
    TooBig,
    Bomb(String),
}

/// Reads a slice, publishing its position so decoders' input consumption can be
/// measured while they own the reader.
struct SliceReader<'a> {
    data: &'a [u8],
    pos: Rc<Cell<u64>>,
}

impl Read for SliceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pos = usize::try_from(self.pos.get()).unwrap_or(usize::MAX);
        let rest = self.data.get(pos..).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos.set(self.pos.get() + n as u64);
        Ok(n)
    }
}

impl Seek for SliceReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.data.len() as i128;
        let new = match to {
            SeekFrom::Start(n) => i128::from(n),
            SeekFrom::End(d) => len + i128::from(d),
            SeekFrom::Current(d) => i128::from(self.pos.get()) + i128::from(d),
        };
        if new < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before start",
            ));
        }
        let new = u64::try_from(new).unwrap_or(u64::MAX);
        self.pos.set(new);
        Ok(new)
    }
}

const CHUNK: usize = 64 * 1024;

impl Cx<'_, '_> {
    fn problem(&mut self, p: Problem) {
        if self.out.problems.len() < MAX_PROBLEMS {
            self.out.problems.push(p);
        } else {
            self.out.problems_dropped += 1;
        }
    }

    fn bomb(&mut self, path: &str, reason: String) {
        self.problem(Problem::Bomb {
            path: path.to_string(),
            reason,
        });
        self.halted = true;
    }

    fn corrupt(&mut self, path: &str, reason: impl Into<String>) {
        self.problem(Problem::Corrupt {
            path: path.to_string(),
            reason: reason.into(),
        });
    }

    fn unsupported(&mut self, path: &str, reason: impl Into<String>) {
        self.problem(Problem::Unsupported {
            path: path.to_string(),
            reason: reason.into(),
        });
    }

    /// Counts a member against `max_files`; false (and halt) when over.
    fn admit(&mut self, path: &str) -> bool {
        if self.halted {
            return false;
        }
        if self.out.members >= self.limits.max_files {
            self.problem(Problem::LimitReached {
                path: path.to_string(),
                limit: LIMIT_FILES,
            });
            self.halted = true;
            return false;
        }
        self.out.members += 1;
        true
    }

    /// Visits an admitted member, then expands it if it is itself an archive.
    fn member(&mut self, path: &str, depth: u32, data: &[u8]) {
        let flow = (self.visit)(&Member { path, depth, data });
        if flow.is_break() {
            self.halted = true;
            return;
        }
        if let Some(fmt) = sniff(data) {
            if depth >= self.limits.max_depth {
                self.problem(Problem::LimitReached {
                    path: path.to_string(),
                    limit: LIMIT_DEPTH,
                });
            } else {
                self.container(path, data, fmt, depth);
            }
        }
    }

    /// Expands a container found at `depth`; its members are at `depth + 1`.
    fn container(&mut self, path: &str, data: &[u8], fmt: Format, depth: u32) {
        if self.halted {
            return;
        }
        match fmt {
            Format::Zip => self.zip(path, data, depth),
            Format::Tar => self.tar(path, data, depth),
            _ => self.stream(path, data, fmt, depth),
        }
    }

    /// Reads `r` to its end into memory, bounded by the member size limit, the
    /// remaining byte budget and the ratio rule. `consumed` reports the
    /// compressed bytes taken from the input so far.
    fn read_bounded(&mut self, r: &mut dyn Read, consumed: &dyn Fn() -> u64) -> (Vec<u8>, End) {
        let l = self.limits;
        let mut out: Vec<u8> = Vec::new();
        let mut chunk = vec![0u8; CHUNK];
        loop {
            let n = match r.read(&mut chunk) {
                Ok(0) => return (out, End::Complete),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return (out, End::Corrupt(e.to_string())),
            };
            self.out.expanded_bytes += n as u64;
            if self.out.expanded_bytes > l.max_expanded_bytes {
                return (
                    out,
                    End::Bomb(format!(
                        "expanded more than {} bytes in total",
                        l.max_expanded_bytes
                    )),
                );
            }
            let produced = out.len() as u64 + n as u64;
            let input = consumed().max(1);
            if produced > l.ratio_floor_bytes
                && u128::from(produced) > u128::from(input) * u128::from(l.max_ratio)
            {
                return (
                    out,
                    End::Bomb(format!(
                        "{produced} bytes from {input} compressed (ratio over {})",
                        l.max_ratio
                    )),
                );
            }
            if produced > l.max_member_bytes {
                return (out, End::TooBig);
            }
            if out.capacity() - out.len() < n {
                // Grow by doubling but never past the member limit, so a member
                // near the limit does not reserve twice its size.
                let cap = usize::try_from(l.max_member_bytes).unwrap_or(usize::MAX);
                let want = out
                    .capacity()
                    .saturating_mul(2)
                    .max(CHUNK)
                    .min(cap)
                    .max(out.len() + n);
                out.reserve_exact(want - out.len());
            }
            out.extend_from_slice(&chunk[..n]);
        }
    }

    /// Handles the end of a bounded read of member `path`; returns the data to
    /// visit, if any.
    /// Decode errors are reported against `damaged`: the member for zip
    /// entries, the container for single-stream formats.
    fn finish_read(
        &mut self,
        path: &str,
        damaged: &str,
        data: Vec<u8>,
        end: End,
    ) -> Option<Vec<u8>> {
        match end {
            End::Complete => Some(data),
            End::Corrupt(reason) => {
                self.corrupt(damaged, reason);
                // What was decoded before the damage is still worth scanning.
                (!data.is_empty()).then_some(data)
            }
            End::TooBig => {
                self.problem(Problem::LimitReached {
                    path: path.to_string(),
                    limit: LIMIT_MEMBER_BYTES,
                });
                None
            }
            End::Bomb(reason) => {
                self.bomb(path, reason);
                None
            }
        }
    }

    fn stream(&mut self, path: &str, data: &[u8], fmt: Format, depth: u32) {
        let pos = Rc::new(Cell::new(0u64));
        let src = SliceReader {
            data,
            pos: pos.clone(),
        };
        let consumed = || pos.get();
        let child = format!("{path}!{}", strip_suffix(path, fmt));
        let (buf, end) = match fmt {
            Format::Gzip => {
                let mut d = flate2::read::MultiGzDecoder::new(src);
                self.read_bounded(&mut d, &consumed)
            }
            Format::Bzip2 => {
                let mut d = bzip2::read::MultiBzDecoder::new(src);
                self.read_bounded(&mut d, &consumed)
            }
            Format::Xz => {
                let kb = u32::try_from(self.limits.max_xz_dict_bytes / 1024).unwrap_or(u32::MAX);
                let mut d = lzma_rust2::XzReader::new_mem_limit(src, true, kb);
                self.read_bounded(&mut d, &consumed)
            }
            Format::Zstd => {
                let mut d = ZstdFrames { src, cur: None };
                self.read_bounded(&mut d, &consumed)
            }
            Format::Zip | Format::Tar => return,
        };
        if let Some(buf) = self.finish_read(&child, path, buf, end) {
            if self.admit(&child) {
                self.member(&child, depth + 1, &buf);
            }
        }
    }

    fn tar(&mut self, path: &str, data: &[u8], depth: u32) {
        let stop = tar::walk(data, &mut |e| {
            let child = format!("{path}!{}", e.name);
            if !self.admit(&child) {
                return false;
            }
            self.member(&child, depth + 1, e.data);
            !self.halted
        });
        if let Some(tar::Stop::Corrupt(reason)) = stop {
            self.corrupt(path, reason);
        }
    }

    fn zip(&mut self, path: &str, data: &[u8], depth: u32) {
        let pos = Rc::new(Cell::new(0u64));
        let src = SliceReader {
            data,
            pos: pos.clone(),
        };
        let mut ar = match zip::ZipArchive::new(src) {
            Ok(a) => a,
            Err(e) => {
                self.corrupt(path, format!("central directory: {e}"));
                self.zip_stream(path, data, depth);
                return;
            }
        };
        // Fifield-style bombs make many central records share one compressed
        // kernel; honest zips never overlap, so refuse before inflating anything.
        let mut spans = Vec::with_capacity(ar.len());
        for i in 0..ar.len() {
            match ar.by_index_raw(i) {
                Ok(f) => spans.push((
                    f.header_start(),
                    f.data_start().saturating_add(f.compressed_size()),
                )),
                Err(e) => {
                    self.corrupt(path, format!("entry {i}: {e}"));
                    return;
                }
            }
        }
        spans.sort_unstable();
        if let Some(w) = spans.windows(2).find(|w| w[0].1 > w[1].0) {
            self.bomb(
                path,
                format!(
                    "overlapping zip entries (local headers at {} and {})",
                    w[0].0, w[1].0
                ),
            );
            return;
        }
        if spans.last().is_some_and(|s| s.1 > data.len() as u64) {
            // Not fatal: earlier members may still be intact.
            self.corrupt(path, "entry data extends past the end of the file");
        }
        for i in 0..ar.len() {
            if self.halted {
                return;
            }
            let (name, is_dir, encrypted, data_start) = match ar.by_index_raw(i) {
                Ok(f) => (
                    f.name().to_string(),
                    f.is_dir(),
                    f.encrypted(),
                    f.data_start(),
                ),
                Err(e) => {
                    self.corrupt(path, format!("entry {i}: {e}"));
                    return;
                }
            };
            if is_dir {
                continue;
            }
            let child = format!("{path}!{name}");
            if encrypted {
                self.unsupported(&child, "encrypted zip entry");
                continue;
            }
            let mut f = match ar.by_index(i) {
                Ok(f) => f,
                Err(zip::result::ZipError::UnsupportedArchive(m)) => {
                    self.unsupported(&child, m);
                    continue;
                }
                Err(e) => {
                    self.corrupt(&child, e.to_string());
                    continue;
                }
            };
            if !self.admit(&child) {
                return;
            }
            let p = pos.clone();
            let consumed = move || p.get().saturating_sub(data_start);
            let (buf, end) = self.read_bounded(&mut f, &consumed);
            drop(f);
            if let Some(buf) = self.finish_read(&child, &child, buf, end) {
                self.member(&child, depth + 1, &buf);
            }
        }
    }

    /// Fallback for zips without a readable central directory (truncated
    /// downloads): walk local headers from the start.
    fn zip_stream(&mut self, path: &str, data: &[u8], depth: u32) {
        let pos = Rc::new(Cell::new(0u64));
        let mut src = SliceReader {
            data,
            pos: pos.clone(),
        };
        loop {
            if self.halted {
                return;
            }
            let start = pos.get();
            let mut f = match zip::read::read_zipfile_from_stream(&mut src) {
                Ok(Some(f)) => f,
                Ok(None) => return,
                Err(e) => {
                    self.corrupt(path, format!("local header at offset {start}: {e}"));
                    return;
                }
            };
            let child = format!("{path}!{}", f.name());
            if f.is_dir() {
                continue;
            }
            if f.encrypted() {
                self.unsupported(&child, "encrypted zip entry");
                continue;
            }
            if !self.admit(&child) {
                return;
            }
            let p = pos.clone();
            let consumed = move || p.get().saturating_sub(start);
            let (buf, end) = self.read_bounded(&mut f, &consumed);
            drop(f);
            let damaged = matches!(end, End::Corrupt(_));
            if let Some(buf) = self.finish_read(&child, &child, buf, end) {
                self.member(&child, depth + 1, &buf);
            }
            if damaged {
                return;
            }
        }
    }
}

/// Decodes concatenated zstd frames; ruzstd's streaming decoder handles one.
struct ZstdFrames<'a> {
    src: SliceReader<'a>,
    cur:
        Option<ruzstd::decoding::StreamingDecoder<SliceReader<'a>, ruzstd::decoding::FrameDecoder>>,
}

impl Read for ZstdFrames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(d) = self.cur.as_mut() {
                let n = d.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                self.cur = None;
            }
            let at = usize::try_from(self.src.pos.get()).unwrap_or(usize::MAX);
            let rest = self.src.data.get(at..).unwrap_or(&[]);
            // Trailing bytes that are not another frame (padding) end the stream.
            if !rest.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
                return Ok(0);
            }
            let src = SliceReader {
                data: self.src.data,
                pos: self.src.pos.clone(),
            };
            let d = ruzstd::decoding::StreamingDecoder::new(src)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            self.cur = Some(d);
        }
    }
}

/// Name of the single member of a compressed stream: the container's last
/// name without its compression suffix (`a.tar.gz` -> `a.tar`, `a.tgz` -> `a.tar`).
fn strip_suffix(path: &str, fmt: Format) -> String {
    let base = path.rsplit(['!', '/']).next().unwrap_or(path);
    let (plain, tarred): (&[&str], &[&str]) = match fmt {
        Format::Gzip => (&[".gz", ".gzip", ".z"], &[".tgz", ".taz"]),
        Format::Bzip2 => (&[".bz2", ".bzip2", ".bz"], &[".tbz", ".tbz2", ".tb2"]),
        Format::Xz => (&[".xz"], &[".txz"]),
        Format::Zstd => (&[".zst", ".zstd"], &[".tzst"]),
        Format::Zip | Format::Tar => (&[], &[]),
    };
    let lower = base.to_ascii_lowercase();
    for s in plain {
        if lower.len() > s.len() && lower.ends_with(s) {
            return base[..base.len() - s.len()].to_string();
        }
    }
    for s in tarred {
        if lower.len() > s.len() && lower.ends_with(s) {
            return format!("{}.tar", &base[..base.len() - s.len()]);
        }
    }
    base.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(strip_suffix("x.zip!a.tar.gz", Format::Gzip), "a.tar");
        assert_eq!(strip_suffix("dir/a.TGZ", Format::Gzip), "a.tar");
        assert_eq!(strip_suffix("a.tar.zst", Format::Zstd), "a.tar");
        assert_eq!(strip_suffix("blob", Format::Xz), "blob");
        assert_eq!(strip_suffix(".gz", Format::Gzip), ".gz");
    }

    #[test]
    fn sniff_rejects_text() {
        assert_eq!(sniff(b"BZh1 is not bzip2"), None);
        assert_eq!(sniff(b"hello world"), None);
        assert_eq!(sniff(&[0u8; 1024]), None);
        let mut fake = vec![b'a'; 600];
        fake[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff(&fake), None);
    }
}
