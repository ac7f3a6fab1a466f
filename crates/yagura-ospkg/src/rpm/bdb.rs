//! Read-only reader of BerkeleyDB's hash access method, as rpm ≤ 4.15 used
//! for `Packages`. rpm wrote the database in the byte order of the host, so
//! both orders are accepted (the metadata magic tells which).
//!
//! Layout used (BerkeleyDB 4.x/5.x, `db_page.h`):
//! * page 0 is the hash metadata page: generic header with the magic at
//!   byte 12, page size at 20, encryption at 24, page type at 25, flags at
//!   26 and the last page number at 32;
//! * every page starts with a 26-byte header: page number at 8, next page at
//!   16, entry count at 20, `hf_offset` at 22 (on overflow pages: the bytes
//!   used), page type at 25; then an array of 16-bit item offsets;
//! * on hash pages items alternate key, value. An item's first byte is its
//!   type: inline data (1) runs to the previous item's start; off-page (3)
//!   names the first overflow page (u32 at +4) and the total length (+8).
//!
//! Rather than walking buckets, every hash page is visited in file order:
//! each key/value pair lives on exactly one hash page, so this yields each
//! record once and survives a damaged bucket map.

use super::{BackendOutput, RawRecord};

const HASH_MAGIC: u32 = 0x0006_1561;
const BTREE_MAGIC: u32 = 0x0005_3162;
const PAGE_HEADER: usize = 26;

const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;

const H_KEYDATA: u8 = 1;
const H_DUPLICATE: u8 = 2;
const H_OFFPAGE: u8 = 3;
const H_OFFDUP: u8 = 4;

#[derive(Clone, Copy)]
enum Order {
    Little,
    Big,
}

struct Db<'a> {
    bytes: &'a [u8],
    order: Order,
    page_size: usize,
    pages: usize,
}

fn magic_at_12(bytes: &[u8]) -> Option<[u8; 4]> {
    let slice = bytes.get(12..16)?;
    Some([slice[0], slice[1], slice[2], slice[3]])
}

pub(crate) fn looks_like_bdb(bytes: &[u8]) -> bool {
    magic_at_12(bytes).is_some_and(|m| {
        [HASH_MAGIC, BTREE_MAGIC]
            .iter()
            .any(|magic| u32::from_le_bytes(m) == *magic || u32::from_be_bytes(m) == *magic)
    })
}

impl<'a> Db<'a> {
    fn u16_at(&self, at: usize) -> Option<u16> {
        let s = self.bytes.get(at..at.checked_add(2)?)?;
        Some(match self.order {
            Order::Little => u16::from_le_bytes([s[0], s[1]]),
            Order::Big => u16::from_be_bytes([s[0], s[1]]),
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        self.u32_in(self.bytes, at)
    }

    fn u32_in(&self, bytes: &[u8], at: usize) -> Option<u32> {
        let s = bytes.get(at..at.checked_add(4)?)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(match self.order {
            Order::Little => u32::from_le_bytes(a),
            Order::Big => u32::from_be_bytes(a),
        })
    }

    fn page(&self, pgno: u32) -> Option<&'a [u8]> {
        let pgno = pgno as usize;
        if pgno >= self.pages {
            return None;
        }
        let start = pgno.checked_mul(self.page_size)?;
        self.bytes.get(start..start.checked_add(self.page_size)?)
    }

    /// Follows an overflow chain from `first` and returns `total` bytes.
    fn overflow(&self, first: u32, total: usize) -> Result<Vec<u8>, String> {
        if total > self.bytes.len() {
            return Err(format!(
                "off-page item claims {total} bytes, more than the whole file"
            ));
        }
        let mut out = Vec::with_capacity(total);
        let mut pgno = first;
        let mut hops = 0usize;
        while out.len() < total {
            hops += 1;
            if hops > self.pages {
                return Err("overflow chain loops".to_string());
            }
            let page = self
                .page(pgno)
                .ok_or_else(|| format!("overflow page {pgno} is outside the file"))?;
            if page.get(25) != Some(&P_OVERFLOW) {
                return Err(format!(
                    "page {pgno} in an overflow chain is not an overflow page"
                ));
            }
            let base = pgno as usize * self.page_size;
            let used = self
                .u16_at(base + 22)
                .ok_or("overflow page header truncated")? as usize;
            let chunk = page.get(PAGE_HEADER..PAGE_HEADER + used).ok_or_else(|| {
                format!("overflow page {pgno} claims {used} bytes, more than a page")
            })?;
            out.extend_from_slice(chunk);
            let next = self
                .u32_at(base + 16)
                .ok_or("overflow page header truncated")?;
            if next == 0 {
                break;
            }
            pgno = next;
        }
        if out.len() != total {
            return Err(format!(
                "overflow chain holds {} bytes, expected {total}",
                out.len()
            ));
        }
        Ok(out)
    }

    /// An item's bytes on page `pgno` at index `index`, with its type byte.
    fn item(
        &self,
        pgno: u32,
        page: &[u8],
        index: usize,
        entries: usize,
    ) -> Result<(u8, &'a [u8]), String> {
        let base = pgno as usize * self.page_size;
        let offset_of = |i: usize| -> Result<usize, String> {
            let at = base + PAGE_HEADER + i * 2;
            let offset = self.u16_at(at).ok_or("item offset table truncated")? as usize;
            if offset < PAGE_HEADER + entries * 2 || offset >= self.page_size {
                return Err(format!(
                    "page {pgno} item {i} offset {offset} is outside the page"
                ));
            }
            Ok(offset)
        };
        let start = offset_of(index)?;
        let end = if index == 0 {
            self.page_size
        } else {
            offset_of(index - 1)?
        };
        if end <= start || end > page.len() {
            return Err(format!("page {pgno} item {index} has a bad length"));
        }
        let whole = self
            .bytes
            .get(base + start..base + end)
            .ok_or("item out of bounds")?;
        let (kind, _) = whole.split_first().ok_or("empty item")?;
        Ok((*kind, whole))
    }

    fn value(&self, pgno: u32, kind: u8, item: &[u8]) -> Result<Vec<u8>, String> {
        match kind {
            H_KEYDATA => Ok(item.get(1..).unwrap_or_default().to_vec()),
            H_OFFPAGE => {
                if item.len() < 12 {
                    return Err(format!("page {pgno}: off-page item truncated"));
                }
                let first = self.u32_in(item, 4).ok_or("off-page item truncated")?;
                let total = self.u32_in(item, 8).ok_or("off-page item truncated")? as usize;
                self.overflow(first, total)
            }
            H_DUPLICATE | H_OFFDUP => Err(format!(
                "page {pgno}: duplicate-key items are not used by rpm"
            )),
            other => Err(format!("page {pgno}: unknown hash item type {other}")),
        }
    }
}

pub(crate) fn read(bytes: &[u8]) -> BackendOutput {
    let mut out = BackendOutput::default();
    let fail = |message: String| {
        let mut o = BackendOutput::default();
        o.problems.push((None, message));
        o
    };
    let Some(magic) = magic_at_12(bytes) else {
        return fail("BerkeleyDB metadata page truncated".into());
    };
    let order = if u32::from_le_bytes(magic) == HASH_MAGIC {
        Order::Little
    } else if u32::from_be_bytes(magic) == HASH_MAGIC {
        Order::Big
    } else {
        return fail(
            "BerkeleyDB database is not a hash database (rpm's Packages is always hash)".into(),
        );
    };
    let mut db = Db {
        bytes,
        order,
        page_size: 0,
        pages: 0,
    };
    let Some(page_size) = db.u32_at(20) else {
        return fail("BerkeleyDB metadata page truncated".into());
    };
    let page_size = page_size as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return fail(format!("implausible BerkeleyDB page size {page_size}"));
    }
    if bytes.get(24).is_some_and(|alg| *alg != 0) {
        return fail("encrypted BerkeleyDB databases are not supported".into());
    }
    if bytes.get(25) != Some(&P_HASHMETA) {
        return fail("BerkeleyDB page 0 is not a hash metadata page".into());
    }
    if bytes.get(26).is_some_and(|flags| flags & 1 != 0) {
        return fail("checksummed BerkeleyDB databases are not supported".into());
    }
    let Some(last_pgno) = db.u32_at(32) else {
        return fail("BerkeleyDB metadata page truncated".into());
    };
    let declared_pages = last_pgno as usize + 1;
    let present_pages = bytes.len() / page_size;
    if present_pages < declared_pages {
        out.problems.push((
            None,
            format!("file is truncated: {present_pages} of {declared_pages} BerkeleyDB pages present; reading what is there"),
        ));
    }
    db.page_size = page_size;
    db.pages = declared_pages.min(present_pages);

    for pgno in 1..db.pages as u32 {
        let Some(page) = db.page(pgno) else { continue };
        let page_type = page.get(25).copied().unwrap_or(0);
        if page_type != P_HASH && page_type != P_HASH_UNSORTED {
            continue;
        }
        let base = pgno as usize * page_size;
        let Some(entries) = db.u16_at(base + 20).map(usize::from) else {
            continue;
        };
        if PAGE_HEADER + entries * 2 > page_size {
            out.problems.push((
                Some(format!("page {pgno}")),
                format!("{entries} entries do not fit in a page"),
            ));
            continue;
        }
        for pair in (0..entries.saturating_sub(1)).step_by(2) {
            let key = match db.item(pgno, page, pair, entries) {
                Ok((H_KEYDATA, item)) => item.get(1..).unwrap_or_default().to_vec(),
                Ok((kind, item)) => match db.value(pgno, kind, item) {
                    Ok(k) => k,
                    Err(e) => {
                        out.problems
                            .push((Some(format!("page {pgno} item {pair}")), e));
                        continue;
                    }
                },
                Err(e) => {
                    out.problems
                        .push((Some(format!("page {pgno} item {pair}")), e));
                    continue;
                }
            };
            let instance = match key.as_slice() {
                [a, b, c, d] => match order {
                    Order::Little => u32::from_le_bytes([*a, *b, *c, *d]),
                    Order::Big => u32::from_be_bytes([*a, *b, *c, *d]),
                },
                _ => {
                    out.problems.push((
                        Some(format!("page {pgno} item {pair}")),
                        format!("{}-byte key, expected 4", key.len()),
                    ));
                    continue;
                }
            };
            // Instance 0 holds rpm's next-instance counter, not a header.
            if instance == 0 {
                continue;
            }
            let blob = db
                .item(pgno, page, pair + 1, entries)
                .and_then(|(kind, item)| db.value(pgno, kind, item));
            out.records.push(RawRecord { instance, blob });
        }
    }
    out.records.sort_by_key(|r| r.instance);
    out
}
