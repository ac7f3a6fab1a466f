//! A small, bounded tar reader (v7, ustar, GNU long names, pax `path`).
//!
//! It works on a slice that is already in memory, so member data is handed
//! out as sub-slices and never copied; every length read from a header is
//! checked against what is left of the slice before use.

const BLOCK: usize = 512;
/// GNU long names and pax headers are metadata: anything larger is hostile.
const MAX_META: usize = 1 << 20;

/// One regular file found in the tar.
pub(crate) struct Entry<'a> {
    pub name: String,
    /// Cut short when the archive ends before the declared size.
    pub data: &'a [u8],
}

/// Why the walk stopped early.
pub(crate) enum Stop {
    Corrupt(String),
}

/// True when the 512-byte block is a tar header with a valid checksum.
pub(crate) fn header_checksum_ok(h: &[u8]) -> bool {
    if h.len() < BLOCK || h[..BLOCK].iter().all(|&b| b == 0) {
        return false;
    }
    let Some(stored) = parse_octal(&h[148..156]) else {
        return false;
    };
    let (unsigned, signed) = checksums(&h[..BLOCK]);
    stored == unsigned || stored as i64 == signed
}

fn checksums(h: &[u8]) -> (u64, i64) {
    let mut u = 0u64;
    let mut s = 0i64;
    for (i, &b) in h.iter().enumerate() {
        // The checksum field itself counts as eight spaces.
        let b = if (148..156).contains(&i) { b' ' } else { b };
        u += u64::from(b);
        s += i64::from(b as i8);
    }
    (u, s)
}

fn parse_octal(field: &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    let mut seen = false;
    for &b in field {
        match b {
            b'0'..=b'7' => {
                v = v.checked_mul(8)?.checked_add(u64::from(b - b'0'))?;
                seen = true;
            }
            b' ' if !seen => {}
            b' ' | 0 => break,
            _ => return None,
        }
    }
    Some(v)
}

/// Size field: octal, or GNU base-256 when the high bit of the first byte is set.
fn parse_size(field: &[u8]) -> Option<u64> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        if field[0] & 0x40 != 0 {
            return None; // negative
        }
        let mut v: u64 = u64::from(field[0] & 0x3f);
        for &b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(v);
    }
    parse_octal(field)
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// Extracts `path` from pax extended header records ("<len> key=value\n").
fn pax_path(mut rec: &[u8]) -> Option<String> {
    let mut path = None;
    while !rec.is_empty() {
        let sp = rec.iter().position(|&b| b == b' ')?;
        let len: usize = std::str::from_utf8(&rec[..sp]).ok()?.parse().ok()?;
        if len <= sp + 1 || len > rec.len() {
            return path;
        }
        let kv = &rec[sp + 1..len];
        let kv = kv.strip_suffix(b"\n").unwrap_or(kv);
        if let Some(v) = kv.strip_prefix(b"path=") {
            path = Some(String::from_utf8_lossy(v).into_owned());
        }
        rec = &rec[len..];
    }
    path
}

/// Walks `data`, calling `f` for each regular file. `f` returns false to stop.
/// Returns why the walk ended early when the archive is damaged.
pub(crate) fn walk<'a>(data: &'a [u8], f: &mut dyn FnMut(Entry<'a>) -> bool) -> Option<Stop> {
    let mut off = 0usize;
    let mut long_name: Option<String> = None;
    let mut pax_name: Option<String> = None;
    loop {
        if off >= data.len() {
            // A missing end-of-archive marker is common (tar streams cut at the last
            // member), so running out exactly at a block boundary is not damage.
            return None;
        }
        let Some(h) = data.get(off..off + BLOCK) else {
            return Some(Stop::Corrupt(format!("truncated header at offset {off}")));
        };
        if h.iter().all(|&b| b == 0) {
            return None;
        }
        if !header_checksum_ok(h) {
            return Some(Stop::Corrupt(format!(
                "bad header checksum at offset {off}"
            )));
        }
        let Some(size) = parse_size(&h[124..136]) else {
            return Some(Stop::Corrupt(format!("bad size field at offset {off}")));
        };
        let start = off + BLOCK;
        let avail = data.len().saturating_sub(start);
        let truncated = size > avail as u64;
        let take = if truncated { avail } else { size as usize };
        let body = &data[start..start + take];
        // Next header: the body is padded to a whole block.
        let next = (size as u128)
            .div_ceil(BLOCK as u128)
            .saturating_mul(BLOCK as u128)
            .saturating_add(start as u128);
        let typeflag = h[156];
        match typeflag {
            b'L' | b'x' => {
                if truncated || body.len() > MAX_META {
                    return Some(Stop::Corrupt(format!(
                        "oversized or truncated metadata header at offset {off}"
                    )));
                }
                if typeflag == b'L' {
                    long_name = Some(cstr(body));
                } else {
                    pax_name = pax_path(body);
                }
            }
            b'0' | 0 | b'7' => {
                let name = pax_name
                    .take()
                    .or_else(|| long_name.take())
                    .unwrap_or_else(|| header_name(h));
                long_name = None;
                if !f(Entry { name, data: body }) {
                    return None;
                }
                if truncated {
                    return Some(Stop::Corrupt(format!(
                        "member at offset {off} declares {size} bytes, only {avail} present"
                    )));
                }
            }
            _ => {
                // Directories, links, devices, fifos, global pax, GNU sparse: no file data
                // to scan (sparse members are rare and their map format is not parsed).
                pax_name = None;
                long_name = None;
            }
        }
        if truncated {
            return Some(Stop::Corrupt(format!("truncated member at offset {off}")));
        }
        match usize::try_from(next) {
            Ok(n) => off = n,
            Err(_) => return None,
        }
    }
}

fn header_name(h: &[u8]) -> String {
    let name = cstr(&h[0..100]);
    // POSIX ustar splits long paths into prefix/name; GNU ("ustar  ") uses that
    // area for other fields, so only join for the POSIX magic.
    if &h[257..263] == b"ustar\0" {
        let prefix = cstr(&h[345..500]);
        if !prefix.is_empty() {
            return format!("{prefix}/{name}");
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_base256_sizes() {
        assert_eq!(parse_size(b"00000000012\0"), Some(10));
        assert_eq!(parse_size(b"  12 \0\0\0\0\0\0\0"), Some(10));
        let mut b = [0u8; 12];
        b[0] = 0x80;
        b[11] = 5;
        b[10] = 1;
        assert_eq!(parse_size(&b), Some(261));
        assert_eq!(parse_size(b"0000x000012\0"), None);
    }

    #[test]
    fn pax_records() {
        let rec = b"30 mtime=1234567890.123456789\n20 path=a/long/name\n";
        assert_eq!(pax_path(rec).as_deref(), Some("a/long/name"));
        assert_eq!(pax_path(b"99 path=x\n"), None);
    }
}
