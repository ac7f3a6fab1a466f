//! Where image files come from: a folder, or a tar archive indexed once so
//! that members are read by offset without re-reading the archive.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::tar::{normalize, read_at, FileInput, Kind, TarError, TarReader};
use crate::Error;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Member {
    offset: u64,
    /// Bytes present in the file (less than the header's size when truncated).
    available: u64,
    truncated: bool,
}

pub(crate) enum Source {
    Dir(PathBuf),
    Tar {
        file: File,
        members: HashMap<String, Member>,
        /// Why indexing stopped early (truncated or corrupt outer archive).
        problem: Option<String>,
    },
}

/// A file handle either shared with the source (outer tar) or opened for
/// one member (a blob in an OCI folder).
pub(crate) enum SpanFile<'a> {
    Borrowed(&'a File),
    Owned(File),
}

impl SpanFile<'_> {
    pub fn file(&self) -> &File {
        match self {
            SpanFile::Borrowed(f) => f,
            SpanFile::Owned(f) => f,
        }
    }
}

pub(crate) fn display(path: &Path) -> String {
    path.display().to_string()
}

impl Source {
    pub fn open(path: &Path) -> Result<Source, Error> {
        let io_err = |source| Error::Io {
            path: display(path),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            return Ok(Source::Dir(path.to_path_buf()));
        }
        let file = File::open(path).map_err(io_err)?;
        let len = meta.len();
        let mut head = [0u8; 512];
        let n = read_at(&file, &mut head, 0).map_err(io_err)?;
        if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            return Err(Error::NotAnImage {
                path: display(path),
                reason: "compressed archive; decompress it first (docker save writes a plain tar)"
                    .into(),
            });
        }
        let mut reader = TarReader::new(FileInput::new(&file, 0, len));
        let mut members = HashMap::new();
        let mut problem = None;
        loop {
            match reader.next_header() {
                Ok(None) => break,
                Ok(Some(h)) => {
                    if h.kind != Kind::File {
                        continue;
                    }
                    let offset = reader.position();
                    let available = h.size.min(len.saturating_sub(offset));
                    let truncated = available < h.size;
                    members.insert(
                        normalize(&h.path),
                        Member {
                            offset,
                            available,
                            truncated,
                        },
                    );
                    if truncated {
                        problem = Some(format!(
                            "archive is truncated inside member `{}` ({} of {} bytes present)",
                            h.path, available, h.size
                        ));
                        break;
                    }
                }
                Err(TarError::Io(e)) => return Err(io_err(e)),
                Err(e) => {
                    if members.is_empty() {
                        return Err(Error::NotAnImage {
                            path: display(path),
                            reason: format!("not a directory or tar archive ({e})"),
                        });
                    }
                    problem = Some(e.to_string());
                    break;
                }
            }
        }
        if members.is_empty() && problem.is_none() {
            let reason = if n == 0 {
                "empty file"
            } else {
                "tar archive without files"
            };
            return Err(Error::NotAnImage {
                path: display(path),
                reason: reason.into(),
            });
        }
        Ok(Source::Tar {
            file,
            members,
            problem,
        })
    }

    pub fn problem(&self) -> Option<&str> {
        match self {
            Source::Dir(_) => None,
            Source::Tar { problem, .. } => problem.as_deref(),
        }
    }

    fn dir_path(root: &Path, name: &str) -> Option<PathBuf> {
        // Names come from manifests: never let them leave the image folder.
        if name.split('/').any(|c| c == "..") {
            return None;
        }
        Some(root.join(normalize(name)))
    }

    pub fn exists(&self, name: &str) -> bool {
        match self {
            Source::Dir(root) => Self::dir_path(root, name).is_some_and(|p| p.is_file()),
            Source::Tar { members, .. } => members.contains_key(&normalize(name)),
        }
    }

    /// A member's bytes as a stream, or `None` when it is absent.
    pub fn open_member(&self, name: &str) -> io::Result<Option<Box<dyn Read + Send + '_>>> {
        match self {
            Source::Dir(root) => {
                let Some(path) = Self::dir_path(root, name) else {
                    return Ok(None);
                };
                match File::open(path) {
                    Ok(f) => Ok(Some(Box::new(f))),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Source::Tar { file, members, .. } => {
                let Some(m) = members.get(&normalize(name)) else {
                    return Ok(None);
                };
                Ok(Some(Box::new(Section {
                    file,
                    pos: m.offset,
                    end: m.offset + m.available,
                    truncated: m.truncated,
                })))
            }
        }
    }

    /// Where a member's bytes lie in a file, for positional reads that can
    /// seek past content nobody wants: the file, the start offset and the
    /// end offset (exclusive; short of the header's size when truncated).
    pub fn member_span(&self, name: &str) -> io::Result<Option<(SpanFile<'_>, u64, u64)>> {
        match self {
            Source::Dir(root) => {
                let Some(path) = Self::dir_path(root, name) else {
                    return Ok(None);
                };
                match File::open(path) {
                    Ok(f) => {
                        let len = f.metadata()?.len();
                        Ok(Some((SpanFile::Owned(f), 0, len)))
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Source::Tar { file, members, .. } => Ok(members
                .get(&normalize(name))
                .map(|m| (SpanFile::Borrowed(file), m.offset, m.offset + m.available))),
        }
    }

    /// A small member (manifest, config) read whole, bounded so a hostile
    /// archive cannot make us allocate without limit.
    pub fn read_small(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, Error> {
        let err = |source| Error::Io {
            path: name.to_string(),
            source,
        };
        let Some(reader) = self.open_member(name).map_err(err)? else {
            return Ok(None);
        };
        let mut data = Vec::new();
        reader.take(limit + 1).read_to_end(&mut data).map_err(err)?;
        if data.len() as u64 > limit {
            return Err(Error::InvalidManifest {
                file: name.to_string(),
                reason: format!("larger than {limit} bytes"),
            });
        }
        Ok(Some(data))
    }
}

/// One member of the outer tar, read by offset.
struct Section<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
    truncated: bool,
}

impl Read for Section<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.end.saturating_sub(self.pos);
        if left == 0 {
            if self.truncated {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the image archive is truncated inside this member",
                ));
            }
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = read_at(self.file, buf.get_mut(..want).unwrap_or_default(), self.pos)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "file shrank while reading",
            ));
        }
        self.pos += n as u64;
        Ok(n)
    }
}
