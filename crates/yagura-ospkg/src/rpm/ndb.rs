//! Read-only reader of rpm's NDB package database (`Packages.db`, used by
//! SUSE). All integers are little-endian.
//!
//! * The file starts with slot pages of 4096 bytes. Page 0 begins with a
//!   32-byte header: magic `RpmP`, version (0), generation, number of slot
//!   pages, next package index.
//! * The rest of the slot pages are 16-byte slots: magic `Slot`, package
//!   index, block offset, block count (blocks are 16 bytes). A zero block
//!   offset marks a free slot.
//! * A blob starts at `block offset × 16`: magic `BlbS`, package index,
//!   timestamp, length, then the header bytes; it ends, at the end of its
//!   blocks, with an Adler-32 of everything before it, the length again and
//!   magic `BlbE`.

use super::{BackendOutput, RawRecord};

const PAGE_SIZE: usize = 4096;
const SLOT_SIZE: usize = 16;
const BLOCK_SIZE: usize = 16;
const HEADER_SIZE: usize = 32;
const BLOB_HEAD: usize = 16;
const BLOB_TAIL: usize = 12;

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let s = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for byte in chunk {
            a += u32::from(*byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

pub(crate) fn read(bytes: &[u8]) -> BackendOutput {
    let mut out = BackendOutput::default();
    if bytes.len() < HEADER_SIZE {
        out.problems.push((None, "NDB header truncated".into()));
        return out;
    }
    let version = le32(bytes, 4).unwrap_or(u32::MAX);
    if version != 0 {
        out.problems
            .push((None, format!("unsupported NDB version {version}")));
        return out;
    }
    let slot_pages = le32(bytes, 12).unwrap_or(0) as usize;
    let present_pages = bytes.len().div_ceil(PAGE_SIZE);
    if slot_pages == 0 || slot_pages > present_pages {
        out.problems.push((
            None,
            format!(
                "NDB header names {slot_pages} slot pages but the file holds {present_pages} pages"
            ),
        ));
        if slot_pages == 0 {
            return out;
        }
    }
    let slots_end = (slot_pages.min(present_pages) * PAGE_SIZE).min(bytes.len());
    let first_data_block = slot_pages * (PAGE_SIZE / BLOCK_SIZE);
    let mut at = HEADER_SIZE;
    while at + SLOT_SIZE <= slots_end {
        let slot_no = at / SLOT_SIZE;
        let slot = at;
        at += SLOT_SIZE;
        if bytes.get(slot..slot + 4) != Some(b"Slot".as_slice()) {
            out.problems
                .push((Some(format!("slot {slot_no}")), "bad slot magic".into()));
            continue;
        }
        let (Some(index), Some(block_offset), Some(block_count)) = (
            le32(bytes, slot + 4),
            le32(bytes, slot + 8),
            le32(bytes, slot + 12),
        ) else {
            continue;
        };
        if block_offset == 0 {
            continue;
        }
        let blob = read_blob(
            bytes,
            index,
            block_offset as usize,
            block_count as usize,
            first_data_block,
        );
        out.records.push(RawRecord {
            instance: index,
            blob,
        });
    }
    out.records.sort_by_key(|r| r.instance);
    out
}

fn read_blob(
    bytes: &[u8],
    index: u32,
    block_offset: usize,
    block_count: usize,
    first_data_block: usize,
) -> Result<Vec<u8>, String> {
    if index == 0 || block_count == 0 || block_offset < first_data_block {
        return Err(format!(
            "slot has bad values (blocks {block_offset}+{block_count})"
        ));
    }
    let start = block_offset
        .checked_mul(BLOCK_SIZE)
        .ok_or("block offset overflows")?;
    let end = block_offset
        .checked_add(block_count)
        .and_then(|b| b.checked_mul(BLOCK_SIZE))
        .ok_or("block range overflows")?;
    let area = bytes.get(start..end).ok_or_else(|| {
        format!("blob at blocks {block_offset}+{block_count} lies past the end of the file")
    })?;
    if area.get(..4) != Some(b"BlbS".as_slice()) {
        return Err("bad blob magic".into());
    }
    if le32(area, 4) != Some(index) {
        return Err("blob belongs to another package index".into());
    }
    let length = le32(area, 12).ok_or("blob header truncated")? as usize;
    if (BLOB_HEAD + length + BLOB_TAIL).div_ceil(BLOCK_SIZE) != block_count {
        return Err(format!(
            "blob length {length} does not match its {block_count} blocks"
        ));
    }
    let tail_at = area.len() - BLOB_TAIL;
    if area.get(tail_at + 8..tail_at + 12) != Some(b"BlbE".as_slice())
        || le32(area, tail_at + 4) != Some(length as u32)
    {
        return Err("bad blob trailer".into());
    }
    let checksum = le32(area, tail_at).ok_or("blob trailer truncated")?;
    if adler32(area.get(..tail_at).unwrap_or_default()) != checksum {
        return Err("blob checksum mismatch".into());
    }
    area.get(BLOB_HEAD..BLOB_HEAD + length)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| "blob data out of bounds".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler_matches_reference() {
        // RFC 1950 example value for "Wikipedia".
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}
