//! A minimal ustar/GNU/pax tar reader that works on a stream (a layer being
//! decompressed) and on a file read by offset (the outer archive, indexed once).
//!
//! Written here rather than taken from a crate so that member data offsets,
//! truncation and corruption are reported precisely and never panic.

use std::fs::File;
use std::io::{self, BufRead, Read};

const BLOCK: usize = 512;
/// GNU long names and pax headers are held in memory; a sane archive keeps them small.
const MAX_META: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    Hardlink,
    /// Devices, fifos, GNU sparse files and anything else without plain content.
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub path: String,
    pub link: String,
    pub kind: Kind,
    pub size: u64,
    pub mode: u32,
}

#[derive(Debug)]
pub(crate) enum TarError {
    /// The archive ends inside a header or member data.
    Truncated {
        offset: u64,
        member: Option<String>,
    },
    Corrupt {
        offset: u64,
        reason: String,
    },
    Io(io::Error),
}

impl std::fmt::Display for TarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TarError::Truncated {
                offset,
                member: Some(m),
            } => {
                write!(
                    f,
                    "archive is truncated inside member `{m}` (at byte {offset})"
                )
            }
            TarError::Truncated {
                offset,
                member: None,
            } => {
                write!(
                    f,
                    "archive is truncated inside a tar header (at byte {offset})"
                )
            }
            TarError::Corrupt { offset, reason } => {
                write!(f, "corrupt tar header at byte {offset}: {reason}")
            }
            TarError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Where tar bytes come from: a stream (skipping reads) or a file (skipping seeks).
pub(crate) trait TarInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;
    /// Skips up to `n` bytes; returns how many were skipped (fewer only at end of input).
    fn skip(&mut self, n: u64) -> io::Result<u64>;
}

pub(crate) struct StreamInput<B: BufRead>(pub B);

impl<B: BufRead> TarInput for StreamInput<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail = self.0.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            let take = avail.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            self.0.consume(take);
            left -= take as u64;
        }
        Ok(n - left)
    }
}

/// Positional reads on a shared file handle: no cursor, so several readers may coexist.
pub(crate) fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_at(file, buf, pos)
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::FileExt::seek_read(file, buf, pos)
    }
}

/// Positional reads through a small buffer: a layer read in place is mostly
/// 512-byte headers, and one `pread` per header would dominate.
pub(crate) struct FileInput<'a> {
    file: &'a File,
    pos: u64,
    /// End of the readable span (exclusive).
    len: u64,
    buf: Vec<u8>,
    /// Valid bytes in `buf`.
    buf_len: usize,
    /// File offset of `buf[0]`.
    buf_start: u64,
}

/// A header plus a small file's content per read, but not so much that
/// skipping over large files (the common case) copies data nobody wants.
const FILE_INPUT_BUFFER: usize = 8 * 1024;

impl<'a> FileInput<'a> {
    pub fn new(file: &'a File, pos: u64, len: u64) -> Self {
        FileInput {
            file,
            pos,
            len,
            buf: Vec::new(),
            buf_len: 0,
            buf_start: 0,
        }
    }
}

impl TarInput for FileInput<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let want = out.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let buffered_end = self.buf_start + self.buf_len as u64;
        if self.pos < self.buf_start || self.pos >= buffered_end {
            if want >= FILE_INPUT_BUFFER {
                // Large reads go straight to the caller.
                let n = read_at(self.file, out.get_mut(..want).unwrap_or_default(), self.pos)?;
                self.pos += n as u64;
                return Ok(n);
            }
            let fill = FILE_INPUT_BUFFER.min(usize::try_from(left).unwrap_or(usize::MAX));
            if self.buf.len() < FILE_INPUT_BUFFER {
                self.buf = vec![0; FILE_INPUT_BUFFER];
            }
            let n = read_at(
                self.file,
                self.buf.get_mut(..fill).unwrap_or_default(),
                self.pos,
            )?;
            self.buf_len = n;
            self.buf_start = self.pos;
            if n == 0 {
                return Ok(0);
            }
        }
        let offset = usize::try_from(self.pos - self.buf_start).unwrap_or(usize::MAX);
        let avail = self.buf.get(offset..self.buf_len).unwrap_or_default();
        let n = avail.len().min(want);
        out.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(avail.get(..n).unwrap_or_default());
        self.pos += n as u64;
        Ok(n)
    }
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let take = n.min(self.len.saturating_sub(self.pos));
        self.pos += take;
        Ok(take)
    }
}

pub(crate) struct TarReader<I: TarInput> {
    input: I,
    pos: u64,
    data_left: u64,
    pad_left: u64,
    current: Option<String>,
    /// Set when reading member data failed, so the caller can tell a broken
    /// stream from a callback that gave up.
    pub failed: Option<io::Error>,
}

fn padding(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

impl<I: TarInput> TarReader<I> {
    pub fn new(input: I) -> Self {
        TarReader {
            input,
            pos: 0,
            data_left: 0,
            pad_left: 0,
            current: None,
            failed: None,
        }
    }

    pub fn into_input(self) -> I {
        self.input
    }

    /// Byte offset of the current member's data (valid right after `next`).
    pub fn position(&self) -> u64 {
        self.pos
    }

    fn read_full(&mut self, buf: &mut [u8]) -> Result<usize, TarError> {
        let mut filled = 0;
        while filled < buf.len() {
            let rest = buf.get_mut(filled..).unwrap_or_default();
            match self.input.read(rest) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(TarError::Io(e)),
            }
        }
        self.pos += filled as u64;
        Ok(filled)
    }

    fn skip_exact(&mut self, n: u64) -> Result<(), TarError> {
        if n == 0 {
            return Ok(());
        }
        let skipped = self.input.skip(n).map_err(TarError::Io)?;
        self.pos += skipped;
        if skipped < n {
            return Err(TarError::Truncated {
                offset: self.pos,
                member: self.current.clone(),
            });
        }
        Ok(())
    }

    fn read_meta(&mut self, size: u64, offset: u64) -> Result<Vec<u8>, TarError> {
        if size > MAX_META {
            return Err(TarError::Corrupt {
                offset,
                reason: format!("extended header of {size} bytes is too large"),
            });
        }
        let mut data = vec![0u8; size as usize];
        if self.read_full(&mut data)? < data.len() {
            return Err(TarError::Truncated {
                offset: self.pos,
                member: None,
            });
        }
        self.skip_exact(padding(size))?;
        Ok(data)
    }

    /// The next member header, after skipping whatever is left of the previous
    /// member's data. `None` at the end-of-archive marker or a clean end of input.
    pub fn next_header(&mut self) -> Result<Option<Header>, TarError> {
        self.skip_exact(self.data_left + self.pad_left)?;
        self.data_left = 0;
        self.pad_left = 0;
        self.current = None;
        let mut long_name: Option<String> = None;
        let mut long_link: Option<String> = None;
        let mut pax_size: Option<u64> = None;
        let mut block = [0u8; BLOCK];
        loop {
            let offset = self.pos;
            let n = self.read_full(&mut block)?;
            if n == 0 {
                return Ok(None);
            }
            if n < BLOCK {
                return Err(TarError::Truncated {
                    offset: self.pos,
                    member: None,
                });
            }
            if block.iter().all(|&b| b == 0) {
                return Ok(None);
            }
            verify_checksum(&block).map_err(|reason| TarError::Corrupt { offset, reason })?;
            let size = parse_number(&block[124..136]).ok_or_else(|| TarError::Corrupt {
                offset,
                reason: "invalid size field".into(),
            })?;
            let typeflag = block[156];
            match typeflag {
                b'L' | b'K' | b'x' | b'g' => {
                    let data = self.read_meta(size, offset)?;
                    match typeflag {
                        b'L' => long_name = Some(c_string(&data)),
                        b'K' => long_link = Some(c_string(&data)),
                        b'x' => {
                            for (key, value) in parse_pax(&data) {
                                match key {
                                    "path" => long_name = Some(value.to_string()),
                                    "linkpath" => long_link = Some(value.to_string()),
                                    "size" => pax_size = value.parse().ok(),
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                _ => {}
            }
            let size = pax_size.unwrap_or(size);
            let mode = parse_number(&block[100..108]).unwrap_or(0) as u32;
            let path = long_name.take().unwrap_or_else(|| ustar_name(&block));
            let link = long_link
                .take()
                .unwrap_or_else(|| c_string(&block[157..257]));
            let kind = match typeflag {
                b'0' | 0 | b'7' if path.ends_with('/') => Kind::Dir,
                b'0' | 0 | b'7' => Kind::File,
                b'1' => Kind::Hardlink,
                b'2' => Kind::Symlink,
                b'5' => Kind::Dir,
                _ => Kind::Other,
            };
            self.data_left = size;
            self.pad_left = padding(size);
            self.current = Some(path.clone());
            return Ok(Some(Header {
                path,
                link,
                kind,
                size,
                mode,
            }));
        }
    }

    /// Reads the current member's data; errors are remembered in `failed`.
    pub fn read_data(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data_left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.data_left).unwrap_or(usize::MAX));
        let slice = buf.get_mut(..want).unwrap_or_default();
        match self.input.read(slice) {
            Ok(0) => {
                let e = io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "layer ends inside `{}`",
                        self.current.as_deref().unwrap_or_default()
                    ),
                );
                self.failed = Some(io::Error::new(e.kind(), e.to_string()));
                Err(e)
            }
            Ok(n) => {
                self.data_left -= n as u64;
                self.pos += n as u64;
                Ok(n)
            }
            Err(e) => {
                self.failed = Some(io::Error::new(e.kind(), e.to_string()));
                Err(e)
            }
        }
    }
}

/// `Read` over the current member's data only.
pub(crate) struct EntryData<'a, I: TarInput>(pub &'a mut TarReader<I>);

impl<I: TarInput> Read for EntryData<'_, I> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read_data(buf)
    }
}

fn verify_checksum(block: &[u8; BLOCK]) -> Result<(), String> {
    let stored = parse_number(&block[148..156]).ok_or("invalid checksum field")?;
    // The checksum field itself counts as eight spaces. Summing the whole
    // block first keeps the loop branch-free (it runs once per member).
    let field: u64 = block[148..156].iter().map(|&b| u64::from(b)).sum();
    let all: u64 = block.iter().map(|&b| u64::from(b)).sum();
    let unsigned = all - field + 8 * u64::from(b' ');
    if stored == unsigned {
        return Ok(());
    }
    // Some old tars summed signed bytes.
    let signed: i64 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                i64::from(b' ')
            } else {
                i64::from(b as i8)
            }
        })
        .sum();
    if i64::try_from(stored).ok() == Some(signed) {
        Ok(())
    } else {
        Err(format!(
            "checksum mismatch (stored {stored}, computed {unsigned})"
        ))
    }
}

/// Octal (NUL/space padded) or GNU base-256 for values that do not fit.
fn parse_number(field: &[u8]) -> Option<u64> {
    let first = *field.first()?;
    if first & 0x80 != 0 {
        if first == 0xff {
            return None;
        }
        let mut v: u64 = u64::from(first & 0x7f);
        for &b in field.get(1..)? {
            v = v.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(v);
    }
    let text = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ' || b == 0)
        .take_while(|&b| b != b' ' && b != 0);
    let mut v: u64 = 0;
    for b in text {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(v)
}

fn c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(bytes.get(..end).unwrap_or_default()).into_owned()
}

fn ustar_name(block: &[u8; BLOCK]) -> String {
    let name = c_string(&block[0..100]);
    if &block[257..263] == b"ustar\0" {
        let prefix = c_string(&block[345..500]);
        if !prefix.is_empty() {
            return format!("{prefix}/{name}");
        }
    }
    name
}

/// pax records: `<len> <key>=<value>\n`.
fn parse_pax(data: &[u8]) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let Some(space) = rest.iter().position(|&b| b == b' ') else {
            break;
        };
        let Some(len) = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            break;
        };
        let Some(record) = rest.get(space + 1..len) else {
            break;
        };
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Ok(text) = std::str::from_utf8(record) {
            if let Some((k, v)) = text.split_once('=') {
                out.push((k, v));
            }
        }
        rest = rest.get(len..).unwrap_or_default();
    }
    out
}

/// Relative, `/`-separated, without `.`, empty components or a leading `/`;
/// `..` pops (never above the root), as an unpacker would resolve it.
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number(b"0000644\0"), Some(0o644));
        assert_eq!(parse_number(b"     12 "), Some(0o12));
        assert_eq!(
            parse_number(&[0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
            Some(256)
        );
        assert_eq!(parse_number(b"12x"), None);
    }

    #[test]
    fn pax_records() {
        let data = b"28 path=some/very/long/name\n11 size=42\n";
        let recs = parse_pax(data);
        assert_eq!(recs, vec![("path", "some/very/long/name"), ("size", "42")]);
    }

    #[test]
    fn normalizes() {
        assert_eq!(normalize("./usr/lib/"), "usr/lib");
        assert_eq!(normalize("/etc//os-release"), "etc/os-release");
        assert_eq!(normalize("../../a/./b/../c"), "a/c");
        assert_eq!(normalize("./"), "");
    }
}
