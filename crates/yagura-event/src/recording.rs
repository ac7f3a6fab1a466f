//! Recordings: events written one JSON document per line, so a recording can be
//! appended to while the sensor runs and read back line by line.
//!
//! The first line is a header naming the format and version; a reader stops at
//! the first damaged line and reports where, keeping what came before.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::Event;

pub const FORMAT: &str = "yagura-runtime-recording";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// Host name of the recording machine.
    #[serde(default)]
    pub hostname: String,
    /// ns since the epoch.
    #[serde(default)]
    pub started_ns: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    #[error("{file}: i/o error: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a yagura recording (line 1: {reason})")]
    NotARecording { file: String, reason: String },
    #[error("{file}: recording version {found} is newer than this build reads ({VERSION})")]
    Version { file: String, found: u32 },
}

/// Where a recording stops being readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// 1-based line number of the first unreadable line.
    pub line: usize,
    /// Byte offset of that line.
    pub offset: u64,
    pub reason: String,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} (byte {}): {}",
            self.line, self.offset, self.reason
        )
    }
}

/// Writes a recording.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W, header: &Header) -> std::io::Result<Self> {
        serde_json::to_writer(&mut out, header)?;
        out.write_all(b"\n")?;
        Ok(Writer { out })
    }

    pub fn write(&mut self, event: &Event) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, event)?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Reads a recording: the header, then events until the end or the first damage.
pub struct Reader<R: BufRead> {
    input: R,
    file: String,
    line: usize,
    offset: u64,
    damage: Option<Damage>,
    buf: String,
    pub header: Header,
}

impl<R: BufRead> Reader<R> {
    pub fn new(mut input: R, file: &str) -> Result<Self, RecordingError> {
        let mut buf = String::new();
        let n = input
            .read_line(&mut buf)
            .map_err(|source| RecordingError::Io {
                file: file.into(),
                source,
            })?;
        let header: Header =
            serde_json::from_str(buf.trim_end()).map_err(|e| RecordingError::NotARecording {
                file: file.into(),
                reason: e.to_string(),
            })?;
        if header.format != FORMAT {
            return Err(RecordingError::NotARecording {
                file: file.into(),
                reason: format!("format is {:?}", header.format),
            });
        }
        if header.version > VERSION {
            return Err(RecordingError::Version {
                file: file.into(),
                found: header.version,
            });
        }
        Ok(Reader {
            input,
            file: file.into(),
            line: 1,
            offset: n as u64,
            damage: None,
            buf,
            header,
        })
    }

    /// The damage that ended reading, if any (known once `next` returned `None`).
    pub fn damage(&self) -> Option<&Damage> {
        self.damage.as_ref()
    }

    pub fn file(&self) -> &str {
        &self.file
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.damage.is_some() {
            return None;
        }
        self.buf.clear();
        let start = self.offset;
        let n = match self.input.read_line(&mut self.buf) {
            Ok(n) => n,
            Err(e) => {
                self.damage = Some(Damage {
                    line: self.line + 1,
                    offset: start,
                    reason: e.to_string(),
                });
                return None;
            }
        };
        if n == 0 {
            return None;
        }
        self.line += 1;
        self.offset += n as u64;
        if !self.buf.ends_with('\n') {
            self.damage = Some(Damage {
                line: self.line,
                offset: start,
                reason: format!("truncated: last line has {n} bytes and no end"),
            });
            return None;
        }
        match serde_json::from_str::<Event>(self.buf.trim_end()) {
            Ok(ev) => Some(ev),
            Err(e) => {
                self.damage = Some(Damage {
                    line: self.line,
                    offset: start,
                    reason: e.to_string(),
                });
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Args, Container, EventType, Process};
    use std::sync::Arc;

    fn event(n: u64) -> Event {
        Event {
            num: n,
            ts_ns: 1_700_000_000_000_000_000 + n,
            kind: EventType::Openat,
            tid: 42,
            res: Some(3),
            args: Args {
                path: Some("/etc/shadow".into()),
                flags: Some(0),
                ..Default::default()
            },
            process: Arc::new(Process {
                pid: 42,
                name: "cat".into(),
                container_id: "host".into(),
                ..Default::default()
            }),
            container: Arc::new(Container::host()),
        }
    }

    fn record(events: &[Event]) -> Vec<u8> {
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            hostname: "t".into(),
            started_ns: 0,
        };
        let mut w = Writer::new(Vec::new(), &header).unwrap();
        for e in events {
            w.write(e).unwrap();
        }
        w.into_inner()
    }

    #[test]
    fn round_trip() {
        let events: Vec<Event> = (0..3).map(event).collect();
        let bytes = record(&events);
        let mut r = Reader::new(&bytes[..], "rec").unwrap();
        let back: Vec<Event> = r.by_ref().collect();
        assert_eq!(back, events);
        assert!(r.damage().is_none());
    }

    #[test]
    fn truncated_recording_keeps_the_events_before_the_damage() {
        let events: Vec<Event> = (0..3).map(event).collect();
        let mut bytes = record(&events);
        let cut = bytes.len() - 10;
        bytes.truncate(cut);
        let mut r = Reader::new(&bytes[..], "rec").unwrap();
        let back: Vec<Event> = r.by_ref().collect();
        assert_eq!(back.len(), 2);
        let d = r.damage().unwrap();
        assert_eq!(d.line, 4);
        assert!(d.reason.contains("truncated"), "{d}");
    }

    #[test]
    fn garbage_line_is_reported_with_its_line() {
        let events: Vec<Event> = (0..2).map(event).collect();
        let mut bytes = record(&events[..1]);
        bytes.extend_from_slice(b"{not json\n");
        bytes.extend_from_slice(&record(&events[1..])[..]);
        let mut r = Reader::new(&bytes[..], "rec").unwrap();
        assert_eq!(r.by_ref().count(), 1);
        assert_eq!(r.damage().unwrap().line, 3);
    }

    #[test]
    fn not_a_recording() {
        let err = Reader::new(&b"hello\n"[..], "x.txt").err().unwrap();
        assert!(err.to_string().contains("x.txt"), "{err}");
    }
}
