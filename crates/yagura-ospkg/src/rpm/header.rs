//! rpm's header blob as stored in the database (no lead, no magic):
//! `be32 index_count, be32 data_length`, then `index_count` 16-byte index
//! entries (`tag, type, offset, count`, big-endian), then the data store.
//! Entries whose tag is a region marker (61–63) describe signature and
//! immutable regions and carry no package data; later entries for the
//! same tag (the "dribble" added at install time) replace earlier ones.

pub(crate) const TAG_NAME: u32 = 1000;
pub(crate) const TAG_VERSION: u32 = 1001;
pub(crate) const TAG_RELEASE: u32 = 1002;
pub(crate) const TAG_EPOCH: u32 = 1003;
pub(crate) const TAG_LICENSE: u32 = 1014;
pub(crate) const TAG_ARCH: u32 = 1022;
pub(crate) const TAG_SOURCERPM: u32 = 1044;

const REGION_TAGS: [u32; 3] = [61, 62, 63];

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// Large enough for any real header (rpm itself caps headers at 256 MiB
/// of data and 64 Ki entries), small enough to reject garbage early.
const MAX_INDEX_ENTRIES: usize = 0x10000;

#[derive(Clone, Copy)]
struct Entry {
    tag: u32,
    kind: u32,
    offset: usize,
    count: u32,
}

pub(crate) struct Header<'a> {
    entries: Vec<Entry>,
    data: &'a [u8],
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let slice = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

impl<'a> Header<'a> {
    pub fn parse(blob: &'a [u8]) -> Result<Header<'a>, String> {
        let index_count = be32(blob, 0).ok_or("shorter than the 8-byte preamble")? as usize;
        let data_len = be32(blob, 4).ok_or("shorter than the 8-byte preamble")? as usize;
        if index_count == 0 || index_count > MAX_INDEX_ENTRIES {
            return Err(format!("implausible index entry count {index_count}"));
        }
        let data_start = 8 + index_count * 16;
        let data_end = data_start
            .checked_add(data_len)
            .filter(|end| *end <= blob.len())
            .ok_or_else(|| {
                format!(
                    "{index_count} entries and {data_len} data bytes do not fit in {} bytes",
                    blob.len()
                )
            })?;
        let data = blob
            .get(data_start..data_end)
            .ok_or("data store out of bounds")?;
        let mut entries = Vec::with_capacity(index_count);
        for i in 0..index_count {
            let at = 8 + i * 16;
            let field = |n: usize| {
                be32(blob, at + n * 4).ok_or_else(|| format!("index entry {i} truncated"))
            };
            let entry = Entry {
                tag: field(0)?,
                kind: field(1)?,
                offset: field(2)? as usize,
                count: field(3)?,
            };
            if REGION_TAGS.contains(&entry.tag) {
                continue;
            }
            if entry.offset > data.len() {
                return Err(format!(
                    "tag {} points at offset {} past the {}-byte data store",
                    entry.tag,
                    entry.offset,
                    data.len()
                ));
            }
            entries.push(entry);
        }
        Ok(Header { entries, data })
    }

    fn find(&self, tag: u32) -> Option<Entry> {
        self.entries.iter().rev().find(|e| e.tag == tag).copied()
    }

    /// A string tag (for arrays and i18n strings, the first element).
    pub fn string(&self, tag: u32) -> Result<Option<String>, String> {
        let Some(entry) = self.find(tag) else {
            return Ok(None);
        };
        if !matches!(
            entry.kind,
            TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING
        ) {
            return Err(format!(
                "tag {tag} has type {} where a string was expected",
                entry.kind
            ));
        }
        if entry.count == 0 {
            return Ok(None);
        }
        let rest = self
            .data
            .get(entry.offset..)
            .ok_or_else(|| format!("tag {tag} out of bounds"))?;
        let end = rest
            .iter()
            .position(|b| *b == 0)
            .ok_or_else(|| format!("tag {tag}: string not terminated"))?;
        let text = rest
            .get(..end)
            .ok_or_else(|| format!("tag {tag} out of bounds"))?;
        Ok(Some(String::from_utf8_lossy(text).into_owned()))
    }

    /// An INT32 tag's first value.
    pub fn int32(&self, tag: u32) -> Result<Option<u32>, String> {
        let Some(entry) = self.find(tag) else {
            return Ok(None);
        };
        if entry.kind != TYPE_INT32 {
            return Err(format!(
                "tag {tag} has type {} where INT32 was expected",
                entry.kind
            ));
        }
        if entry.count == 0 {
            return Ok(None);
        }
        be32(self.data, entry.offset)
            .map(Some)
            .ok_or_else(|| format!("tag {tag} out of bounds"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header with a string tag, an int tag and a region marker.
    fn sample() -> Vec<u8> {
        let mut data = Vec::new();
        data.extend_from_slice(b"hello\0");
        while data.len() % 4 != 0 {
            data.push(0);
        }
        let epoch_at = data.len() as u32;
        data.extend_from_slice(&7u32.to_be_bytes());
        let region_at = data.len() as u32;
        data.extend_from_slice(&[0u8; 16]);
        let entries = [
            (63u32, 7u32, region_at, 16u32),
            (TAG_NAME, TYPE_STRING, 0, 1),
            (TAG_EPOCH, TYPE_INT32, epoch_at, 1),
        ];
        let mut blob = Vec::new();
        blob.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
        for (tag, kind, offset, count) in entries {
            for v in [tag, kind, offset, count] {
                blob.extend_from_slice(&v.to_be_bytes());
            }
        }
        blob.extend_from_slice(&data);
        blob
    }

    #[test]
    fn reads_tags() {
        let blob = sample();
        let header = Header::parse(&blob).unwrap();
        assert_eq!(header.string(TAG_NAME).unwrap().as_deref(), Some("hello"));
        assert_eq!(header.int32(TAG_EPOCH).unwrap(), Some(7));
        assert_eq!(header.string(TAG_VERSION).unwrap(), None);
        assert!(header.int32(TAG_NAME).is_err());
    }

    #[test]
    fn rejects_out_of_bounds() {
        let mut blob = sample();
        // Point NAME past the data store.
        blob[8 + 16 + 8..8 + 16 + 12].copy_from_slice(&1000u32.to_be_bytes());
        assert!(Header::parse(&blob).is_err());
        for cut in 0..sample().len() {
            let _ =
                Header::parse(&sample()[..cut]).map(|h| (h.string(TAG_NAME), h.int32(TAG_EPOCH)));
        }
        // Unterminated string at the end of the data store.
        let mut blob = sample();
        let len = blob.len();
        blob[8 + 16 + 8..8 + 16 + 12].copy_from_slice(&((len - 8 - 48 - 1) as u32).to_be_bytes());
        blob[len - 1] = b'x';
        let header = Header::parse(&blob).unwrap();
        assert!(header.string(TAG_NAME).is_err());
    }
}
