//! Reading one file: gzip detection, JSON sniffing, and a streaming parse of the
//! `configurationItems` array that keeps every item read before an error.

use crate::value::{decode_json_text, parse_time, to_i64};
use crate::SnapshotError;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One AWS Config configuration item, as read from a snapshot, history file or
/// change notification. `configuration` and the values of `supplementary` are
/// already decoded when Config stored them as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigItem {
    /// `AWS::S3::Bucket`, …
    pub resource_type: String,
    pub resource_id: String,
    pub resource_name: Option<String>,
    pub arn: Option<String>,
    pub account: Option<String>,
    /// The item's `awsRegion`; `global` for IAM.
    pub region: Option<String>,
    /// `configurationItemCaptureTime` as written.
    pub capture_time: Option<String>,
    pub state_id: Option<i64>,
    /// `configurationItemStatus`: `OK`, `ResourceDiscovered`, `ResourceDeleted`, …
    pub status: Option<String>,
    /// The item's configuration (an object, or `null` when not recorded).
    pub configuration: Value,
    /// The supplementary configuration, always an object.
    pub supplementary: Value,
    pub tags: BTreeMap<String, String>,
    pub relationships: Vec<Relationship>,
    /// The file the item was read from, and its position in the items array.
    pub file: Arc<PathBuf>,
    pub index: usize,
}

/// One entry of an item's `relationships`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub name: Option<String>,
}

impl ConfigItem {
    /// Whether the item says the resource no longer exists.
    pub fn is_deleted(&self) -> bool {
        matches!(
            self.status.as_deref(),
            Some("ResourceDeleted") | Some("ResourceDeletedNotRecorded")
        )
    }

    /// Whether Config recorded this resource type when it wrote the item (not the
    /// `…NotRecorded` placeholders for types outside the recording group).
    pub fn is_recorded(&self) -> bool {
        !matches!(
            self.status.as_deref(),
            Some("ResourceNotRecorded") | Some("ResourceDeletedNotRecorded")
        )
    }

    /// Capture time in milliseconds, for ordering history (unknown sorts first).
    pub(crate) fn capture_millis(&self) -> i64 {
        self.capture_time
            .as_deref()
            .and_then(|t| parse_time(&Value::String(t.to_string())))
            .map(|t| t.timestamp_millis())
            .unwrap_or(i64::MIN)
    }
}

/// What reading one file produced.
#[derive(Debug, Default)]
pub(crate) struct ParsedFile {
    pub items: Vec<ConfigItem>,
    pub errors: Vec<SnapshotError>,
    pub kind: FileKind,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// An AWS Config document (possibly damaged: see `errors`).
    #[default]
    Config,
    /// Not JSON; the text says why, for the skip note.
    NotJson(&'static str),
    /// JSON, but not a Config document.
    OtherJson,
}

const SNIFF: usize = 512;

/// Decompressed size limit per file. Config's own files are far smaller; the
/// limit keeps a hostile archive in a scanned folder from exhausting memory.
const MAX_DECOMPRESSED: u64 = 4 << 30;

/// The skip reason for an empty file.
pub(crate) const EMPTY: &str = "empty file";

/// Reads and parses one file, keeping whatever could be read.
pub(crate) fn read_file(path: &Path) -> ParsedFile {
    let file = Arc::new(path.to_path_buf());
    let mut out = ParsedFile::default();
    let io_err = |source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.errors.push(io_err(e));
            return out;
        }
    };
    // Sniff the head first so large non-JSON files in a folder are not read whole.
    let mut head = Vec::with_capacity(SNIFF);
    if let Err(e) = (&mut f).take(SNIFF as u64).read_to_end(&mut head) {
        out.errors.push(io_err(e));
        return out;
    }
    let gzipped = head.starts_with(&[0x1f, 0x8b]);
    if !gzipped && !looks_like_json(&head) {
        out.kind = not_json(path, head.is_empty(), &mut out.errors);
        return out;
    }
    let mut raw = head;
    if let Err(e) = f.read_to_end(&mut raw) {
        out.errors.push(io_err(e));
        return out;
    }
    let (bytes, gzip_error) = if gzipped {
        let mut dec = Vec::with_capacity(raw.len().saturating_mul(6).min(256 << 20));
        // On error, `read_to_end` keeps what was decoded so far: parse that too.
        let mut err = flate2::read::MultiGzDecoder::new(raw.as_slice())
            .take(MAX_DECOMPRESSED + 1)
            .read_to_end(&mut dec)
            .err();
        if dec.len() as u64 > MAX_DECOMPRESSED {
            // A gzip bomb, or a file no Config delivery produces: keep what fits.
            dec.truncate(MAX_DECOMPRESSED as usize);
            err = Some(std::io::Error::other(format!(
                "more than {} GiB once decompressed; only the start was read",
                MAX_DECOMPRESSED >> 30
            )));
        }
        (dec, err)
    } else {
        (raw, None)
    };
    if !looks_like_json(&bytes) {
        if let Some(e) = gzip_error {
            out.errors.push(SnapshotError::Gzip {
                path: path.to_path_buf(),
                message: e.to_string(),
                items_kept: 0,
            });
        } else {
            out.kind = not_json(path, bytes.is_empty(), &mut out.errors);
        }
        return out;
    }
    let json_error = parse_bytes(&bytes, &file, &mut out);
    if let Some(e) = gzip_error {
        // The JSON error that follows a cut gzip stream is only its symptom.
        out.errors.push(SnapshotError::Gzip {
            path: path.to_path_buf(),
            message: e.to_string(),
            items_kept: out.items.len(),
        });
    } else if let Some(e) = json_error {
        out.errors.push(e);
    }
    out
}

fn not_json(path: &Path, empty: bool, errors: &mut Vec<SnapshotError>) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".json") || name.ends_with(".json.gz") {
        errors.push(SnapshotError::NotJson {
            path: path.to_path_buf(),
            empty,
        });
        FileKind::Config
    } else if empty {
        FileKind::NotJson(EMPTY)
    } else {
        FileKind::NotJson("not a JSON file")
    }
}

fn looks_like_json(b: &[u8]) -> bool {
    let b = b.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(b);
    matches!(
        b.iter().find(|c| !c.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

/// Parses a whole JSON document into `out`; returns the syntax error, if any.
pub(crate) fn parse_bytes(
    bytes: &[u8],
    file: &Arc<PathBuf>,
    out: &mut ParsedFile,
) -> Option<SnapshotError> {
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    let mut sink = Sink {
        file: file.clone(),
        items: std::mem::take(&mut out.items),
        errors: Vec::new(),
        next_index: 0,
        in_items: false,
        found: false,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = DocSeed { sink: &mut sink }
        .deserialize(&mut de)
        .and_then(|_| de.end());
    let error = result.err().map(|e| {
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map(|(m, _)| m.to_string())
            .unwrap_or(text);
        SnapshotError::Json {
            path: file.to_path_buf(),
            line: e.line(),
            column: e.column(),
            item: sink.in_items.then_some(sink.next_index),
            message,
            items_kept: sink.items.len(),
        }
    });
    out.items = sink.items;
    out.errors.append(&mut sink.errors);
    if error.is_none() && !sink.found {
        out.kind = FileKind::OtherJson;
    }
    error
}

/// Collects items as the parser reaches them, so an error later in the file
/// loses nothing before it.
struct Sink {
    file: Arc<PathBuf>,
    items: Vec<ConfigItem>,
    errors: Vec<SnapshotError>,
    next_index: usize,
    in_items: bool,
    /// Whether the document had the shape of a Config document.
    found: bool,
}

impl Sink {
    fn push(&mut self, raw: Option<RawItem>) {
        let index = self.next_index;
        self.next_index += 1;
        let Some(raw) = raw else {
            self.errors
                .push(self.item_error(index, "", "", "not a JSON object"));
            return;
        };
        match raw.into_item(self.file.clone(), index) {
            Ok((item, warning)) => {
                if let Some(w) = warning {
                    self.errors.push(self.item_error(
                        index,
                        &item.resource_type,
                        &item.resource_id,
                        &w,
                    ));
                }
                self.items.push(item);
            }
            Err((rt, id, msg)) => self.errors.push(self.item_error(index, &rt, &id, &msg)),
        }
    }

    fn item_error(&self, index: usize, rt: &str, id: &str, msg: &str) -> SnapshotError {
        SnapshotError::Item {
            path: self.file.to_path_buf(),
            index,
            resource_type: if rt.is_empty() { "?".into() } else { rt.into() },
            resource_id: if id.is_empty() { "?".into() } else { id.into() },
            message: msg.to_string(),
        }
    }
}

/// The fields of an item that yagura reads. Every field is a `Value` so a wrong
/// type in one item never aborts the file; unknown fields are skipped unparsed.
#[derive(Deserialize)]
struct RawItem {
    #[serde(rename = "resourceType", default)]
    resource_type: Value,
    #[serde(rename = "resourceId", default)]
    resource_id: Value,
    #[serde(rename = "resourceName", default)]
    resource_name: Value,
    #[serde(rename = "ARN", default)]
    arn_upper: Value,
    #[serde(default)]
    arn: Value,
    #[serde(rename = "awsAccountId", default)]
    aws_account_id: Value,
    #[serde(rename = "accountId", default)]
    account_id: Value,
    #[serde(rename = "awsRegion", default)]
    aws_region: Value,
    #[serde(rename = "configurationItemCaptureTime", default)]
    capture_time: Value,
    #[serde(rename = "configurationStateId", default)]
    state_id: Value,
    #[serde(rename = "configurationItemStatus", default)]
    status: Value,
    #[serde(default)]
    configuration: Value,
    #[serde(rename = "supplementaryConfiguration", default)]
    supplementary: Value,
    #[serde(default)]
    tags: Value,
    #[serde(default)]
    relationships: Value,
}

fn text(v: Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

type ItemResult = Result<(ConfigItem, Option<String>), (String, String, String)>;

impl RawItem {
    fn into_item(self, file: Arc<PathBuf>, index: usize) -> ItemResult {
        let resource_type = text(self.resource_type).unwrap_or_default();
        let resource_id = text(self.resource_id).unwrap_or_default();
        if resource_type.is_empty() || resource_id.is_empty() {
            return Err((
                resource_type,
                resource_id,
                "missing resourceType or resourceId; item skipped".into(),
            ));
        }
        let mut warning = None;
        let configuration = match self.configuration {
            Value::String(s) if s.trim().is_empty() => Value::Null,
            Value::String(s) => match decode_json_text(Value::String(s)) {
                v @ Value::Object(_) => v,
                _ => {
                    warning = Some(
                        "`configuration` is text that is not a JSON object; its attributes are treated as not observed"
                            .to_string(),
                    );
                    Value::Null
                }
            },
            v @ (Value::Object(_) | Value::Null) => v,
            _ => {
                warning = Some(
                    "`configuration` is not an object; its attributes are treated as not observed"
                        .into(),
                );
                Value::Null
            }
        };
        let supplementary = match decode_json_text(self.supplementary) {
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k, decode_json_text(v)))
                    .collect(),
            ),
            _ => Value::Object(Map::new()),
        };
        let arn = text(self.arn_upper).or_else(|| text(self.arn));
        let account = text(self.aws_account_id)
            .or_else(|| text(self.account_id))
            .or_else(|| {
                arn.as_deref()
                    .and_then(|a| a.split(':').nth(4))
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            });
        let tags = parse_tags(&self.tags)
            .or_else(|| configuration.get("tags").and_then(parse_tags))
            .or_else(|| configuration.get("Tags").and_then(parse_tags))
            .unwrap_or_default();
        let relationships = self
            .relationships
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| Relationship {
                        resource_type: r
                            .get("resourceType")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        resource_id: r
                            .get("resourceId")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        name: r
                            .get("relationshipName")
                            .or_else(|| r.get("name"))
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let item = ConfigItem {
            resource_type,
            resource_id,
            resource_name: text(self.resource_name),
            arn,
            account,
            region: text(self.aws_region),
            capture_time: match self.capture_time {
                Value::Number(n) => Some(n.to_string()),
                v => text(v),
            },
            state_id: to_i64(&self.state_id),
            status: text(self.status),
            configuration,
            supplementary,
            tags,
            relationships,
            file,
            index,
        };
        Ok((item, warning))
    }
}

/// Tags as Config writes them: `{"k": "v"}`, or `[{"key": "k", "value": "v"}]`.
fn parse_tags(v: &Value) -> Option<BTreeMap<String, String>> {
    let scalar = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    match v {
        Value::Object(m) if !m.is_empty() => Some(
            m.iter()
                .filter_map(|(k, x)| scalar(x).or(Some(String::new())).map(|s| (k.clone(), s)))
                .collect(),
        ),
        Value::Array(a) if !a.is_empty() => Some(
            a.iter()
                .filter_map(|t| {
                    let k = t.get("key").or_else(|| t.get("Key"))?.as_str()?.to_string();
                    let val = t
                        .get("value")
                        .or_else(|| t.get("Value"))
                        .and_then(scalar)
                        .unwrap_or_default();
                    Some((k, val))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// An array element that may or may not be an item object.
struct MaybeItem(Option<RawItem>);

impl<'de> Deserialize<'de> for MaybeItem {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a configuration item")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MaybeItem, A::Error> {
                RawItem::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|r| MaybeItem(Some(r)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeItem, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeItem(None))
            }
            fn visit_unit<E>(self) -> Result<MaybeItem, E> {
                Ok(MaybeItem(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybeItem, E> {
                Ok(MaybeItem(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeItem, E> {
                Ok(MaybeItem(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeItem, E> {
                Ok(MaybeItem(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeItem, E> {
                Ok(MaybeItem(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<MaybeItem, E> {
                Ok(MaybeItem(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The top-level document: `{"configurationItems": [...]}` (snapshot, history,
/// GetResourceConfigHistory output), `{"baseConfigurationItems": [...]}`
/// (BatchGetResourceConfig), `{"configurationItem": {...}}` (change notification),
/// or a bare array of items.
struct DocSeed<'a> {
    sink: &'a mut Sink,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an AWS Config snapshot or history document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "configurationItems" | "baseConfigurationItems" => {
                    self.sink.found = true;
                    map.next_value_seed(ItemsSeed { sink: self.sink })?;
                }
                "configurationItem" => {
                    self.sink.found = true;
                    self.sink.in_items = true;
                    let item: MaybeItem = map.next_value()?;
                    self.sink.in_items = false;
                    if item.0.is_some() {
                        self.sink.push(item.0);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let (items_before, errors_before) = (self.sink.items.len(), self.sink.errors.len());
        ItemsSeed { sink: self.sink }.visit_seq(seq)?;
        // A bare array counts as Config data only if it held items; an array of
        // something else is just another JSON file, not a pile of broken items.
        if self.sink.items.len() > items_before {
            self.sink.found = true;
        } else {
            self.sink.errors.truncate(errors_before);
        }
        Ok(())
    }
}

struct ItemsSeed<'a> {
    sink: &'a mut Sink,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of configuration items")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.sink.in_items = true;
        while let Some(MaybeItem(raw)) = seq.next_element()? {
            self.sink.push(raw);
        }
        self.sink.in_items = false;
        Ok(())
    }
}
