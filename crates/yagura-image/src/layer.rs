//! Streams one layer: the stored blob is hashed as it is read, decompressed
//! once (compression sniffed from magic bytes), hashed again for the diff ID,
//! and parsed as tar without ever holding a whole layer in memory.
//!
//! Reading, blob hashing and decompression run on a scoped helper thread that
//! hands 256 KiB chunks through a bounded channel (at most 8 in flight); the
//! calling thread hashes the tar stream, parses it and runs the callbacks, so
//! the callbacks need not be `Send`.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use flate2::bufread::MultiGzDecoder;
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use sha2::{Digest, Sha256};

use crate::manifest::LayerBlob;
use crate::overlay::{EntryKind, Overlay};
use crate::source::Source;
use crate::tar::{
    normalize, read_at, EntryData, FileInput, Kind, StreamInput, TarError, TarInput, TarReader,
};
use crate::{EntryMeta, Error};

/// Large enough that decompressors and hashers work on big slices.
const BUFFER: usize = 256 * 1024;

/// Hashes everything read through it.
struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(buf.get(..n).unwrap_or_default());
        }
        Ok(n)
    }
}

struct Produced {
    compressed: bool,
    blob_digest: Option<String>,
}

/// Chunks in flight between the reader thread and the tar parser: bounds memory.
const PIPE_DEPTH: usize = 8;

/// Reads the stored blob, hashes it, decompresses it and sends the tar bytes.
/// The first message tells the parser whether the blob was compressed (an
/// empty chunk marks "compressed", so the parser hashes the tar stream itself).
fn produce(
    raw: Box<dyn Read + Send + '_>,
    verify: bool,
    sender: SyncSender<io::Result<Vec<u8>>>,
) -> io::Result<Produced> {
    let mut stored = BufReader::with_capacity(
        BUFFER,
        Hashing {
            inner: raw,
            hasher: verify.then(Sha256::new),
        },
    );
    let head = match stored.fill_buf() {
        Ok(h) => h,
        Err(e) => {
            let _ = sender.send(Err(io::Error::new(e.kind(), e.to_string())));
            return Err(e);
        }
    };
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let zstd = head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    if head.starts_with(b"BZh") || head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        let e = io::Error::new(
            io::ErrorKind::Unsupported,
            "bzip2/xz compressed layers are not supported",
        );
        let _ = sender.send(Err(io::Error::new(e.kind(), e.to_string())));
        return Err(e);
    }
    let compressed = gzip || zstd;
    if compressed && sender.send(Ok(Vec::new())).is_err() {
        return Ok(Produced {
            compressed,
            blob_digest: None,
        });
    }
    let sent = if gzip {
        pump(MultiGzDecoder::new(&mut stored), &sender)
    } else if zstd {
        pump(ZstdReader::new(&mut stored), &sender)
    } else {
        pump(&mut stored, &sender)
    };
    if !sent {
        // The parser stopped early (broken tar) or the stream failed; either
        // way the digests are not meaningful.
        return Ok(Produced {
            compressed,
            blob_digest: None,
        });
    }
    // Bytes after the compressed stream are still part of the blob.
    let mut rest = [0u8; 8192];
    loop {
        match stored.read(&mut rest) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(e),
        }
    }
    let blob_digest = stored
        .into_inner()
        .hasher
        .map(|h| format!("sha256:{}", hex::encode(h.finalize())));
    Ok(Produced {
        compressed,
        blob_digest,
    })
}

/// Sends the whole stream; false when it failed or the parser hung up.
fn pump<R: Read>(mut from: R, sender: &SyncSender<io::Result<Vec<u8>>>) -> bool {
    loop {
        let mut chunk = vec![0u8; BUFFER];
        let mut filled = 0;
        // Fill whole chunks: decoders may return a few bytes at a time.
        while filled < chunk.len() {
            match from.read(chunk.get_mut(filled..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    if filled > 0 {
                        chunk.truncate(filled);
                        let _ = sender.send(Ok(chunk));
                    }
                    let _ = sender.send(Err(e));
                    return false;
                }
            }
        }
        if filled == 0 {
            return true;
        }
        chunk.truncate(filled);
        if sender.send(Ok(chunk)).is_err() {
            return false;
        }
    }
}

/// The parser's end of the pipe, hashing the tar stream when it was compressed.
struct Pipe {
    receiver: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
    hasher: Option<Sha256>,
    /// Known once the first message arrived.
    compressed: Option<bool>,
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(avail.get(..n).unwrap_or_default());
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Pipe {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.chunk.len() {
            match self.receiver.recv() {
                Ok(Ok(chunk)) => {
                    if self.compressed.is_none() {
                        self.compressed = Some(chunk.is_empty());
                    }
                    if let Some(h) = &mut self.hasher {
                        h.update(&chunk);
                    }
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                // Sender gone: end of stream.
                Err(_) => {
                    self.compressed.get_or_insert(false);
                    return Ok(&[]);
                }
            }
        }
        Ok(self.chunk.get(self.pos..).unwrap_or_default())
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.chunk.len());
    }
}

/// Decodes every frame of a zstd stream (ruzstd's own reader stops after one),
/// skipping skippable frames and checking frame checksums.
struct ZstdReader<R: BufRead> {
    src: R,
    dec: FrameDecoder,
    in_frame: bool,
}

fn zstd_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}"))
}

impl<R: BufRead> ZstdReader<R> {
    fn new(src: R) -> Self {
        ZstdReader {
            src,
            dec: FrameDecoder::new(),
            in_frame: false,
        }
    }
}

impl<R: BufRead> Read for ZstdReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if self.src.fill_buf()?.is_empty() {
                    return Ok(0);
                }
                match self.dec.reset(&mut self.src) {
                    Ok(()) => self.in_frame = true,
                    Err(FrameDecoderError::ReadFrameHeaderError(
                        ReadFrameHeaderError::SkipFrame { length, .. },
                    )) => {
                        let skipped = io::copy(
                            &mut (&mut self.src).take(u64::from(length)),
                            &mut io::sink(),
                        )?;
                        if skipped < u64::from(length) {
                            return Err(zstd_err("stream ends inside a skippable frame"));
                        }
                        continue;
                    }
                    Err(e) => return Err(zstd_err(e)),
                }
            }
            while self.dec.can_collect() < buf.len() && !self.dec.is_finished() {
                let need = buf.len() - self.dec.can_collect();
                self.dec
                    .decode_blocks(&mut self.src, BlockDecodingStrategy::UptoBytes(need))
                    .map_err(zstd_err)?;
            }
            let n = self.dec.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.dec.is_finished() && self.dec.can_collect() == 0 {
                if let (Some(stored), Some(computed)) = (
                    self.dec.get_checksum_from_data(),
                    self.dec.get_calculated_checksum(),
                ) {
                    if stored != computed {
                        return Err(zstd_err("frame checksum mismatch"));
                    }
                }
                self.in_frame = false;
                continue;
            }
            return Err(zstd_err("decoder made no progress"));
        }
    }
}

pub(crate) enum Failure {
    /// This layer is broken; the walk goes on with the next one.
    Layer(Error),
    /// The callback asked to stop.
    Abort(Error),
}

pub(crate) struct LayerWalk<'a, W, F> {
    pub source: &'a Source,
    pub image: &'a str,
    pub verify: bool,
    pub want: &'a mut W,
    pub on_file: &'a mut F,
    pub overlay: &'a mut Overlay,
}

impl<W, F, E> LayerWalk<'_, W, F>
where
    W: FnMut(&str, &EntryMeta) -> bool,
    F: FnMut(usize, &str, &EntryMeta, &mut dyn Read) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    pub fn walk(&mut self, index: usize, blob: &LayerBlob) -> Result<(), Failure> {
        let member = blob.member.as_str();
        let broken = |reason: String| {
            Failure::Layer(Error::CorruptLayer {
                layer: member.to_string(),
                reason,
            })
        };
        let raw = self
            .source
            .open_member(member)
            .map_err(|source| {
                Failure::Layer(Error::Io {
                    path: member.to_string(),
                    source,
                })
            })?
            .ok_or_else(|| {
                Failure::Layer(Error::Missing {
                    image: self.image.to_string(),
                    what: "layer blob",
                    name: member.to_string(),
                    note: self
                        .source
                        .problem()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default(),
                })
            })?;
        let verify = self.verify;
        if !verify {
            if let Some(done) = self.walk_uncompressed_in_place(index, member)? {
                return Ok(done);
            }
        }
        // Reading, hashing the blob and decompressing run on a second thread;
        // this one hashes the tar stream, parses it and runs the callbacks.
        let (sender, receiver) = sync_channel::<io::Result<Vec<u8>>>(PIPE_DEPTH);
        let (walked, produced) = std::thread::scope(|scope| {
            let producer = scope.spawn(move || produce(raw, verify, sender));
            let mut pipe = Pipe {
                receiver,
                chunk: Vec::new(),
                pos: 0,
                hasher: None,
                compressed: None,
            };
            // The first chunk says whether the stream was compressed.
            let first = pipe.fill_buf().map(|_| ());
            let walked = first
                .map_err(|e| broken(format!("cannot read layer: {e}")))
                .and_then(|()| {
                    if verify && pipe.compressed == Some(true) {
                        let mut h = Sha256::new();
                        h.update(pipe.chunk.get(pipe.pos..).unwrap_or_default());
                        pipe.hasher = Some(h);
                    }
                    self.walk_tar(index, member, &mut pipe)
                });
            let diff = pipe
                .hasher
                .take()
                .map(|h| format!("sha256:{}", hex::encode(h.finalize())));
            // Dropping the receiver stops a producer that is still sending.
            drop(pipe);
            let produced = producer.join();
            (walked.map(|()| diff), produced)
        });
        let diff = walked?;
        let produced = match produced {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => return Err(broken(e.to_string())),
            Err(_) => return Err(broken("layer reader thread panicked".into())),
        };
        if !verify {
            return Ok(());
        }
        let diff = if produced.compressed {
            diff
        } else {
            produced.blob_digest.clone()
        };
        let check = |expected: &Option<String>, actual: Option<String>, what: &str| match (
            expected, actual,
        ) {
            (Some(exp), Some(act)) if exp.starts_with("sha256:") && *exp != act => {
                Err(Failure::Layer(Error::DigestMismatch {
                    what: format!("{what} of layer {index} (`{member}`)"),
                    expected: exp.clone(),
                    actual: act,
                }))
            }
            _ => Ok(()),
        };
        check(&blob.blob_digest, produced.blob_digest, "blob digest")?;
        check(&blob.diff_id, diff, "diff ID (uncompressed)")?;
        Ok(())
    }

    /// An uncompressed layer in a seekable file, when digests are not being
    /// verified: only headers and wanted files are read, everything else is
    /// seeked over (a `docker save` archive is mostly content no scanner
    /// wants). `None` when the layer is compressed or not in a plain file.
    fn walk_uncompressed_in_place(
        &mut self,
        index: usize,
        member: &str,
    ) -> Result<Option<()>, Failure> {
        let io_failure = |source| {
            Failure::Layer(Error::Io {
                path: member.to_string(),
                source,
            })
        };
        let Some((span, start, end)) = self.source.member_span(member).map_err(io_failure)? else {
            return Ok(None);
        };
        let mut magic = [0u8; 6];
        let n = read_at(span.file(), &mut magic, start).map_err(io_failure)?;
        let head = magic.get(..n).unwrap_or_default();
        let compressed = head.starts_with(&[0x1f, 0x8b])
            || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
            || head.starts_with(b"BZh")
            || head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]);
        if compressed {
            return Ok(None);
        }
        let mut tar = TarReader::new(FileInput::new(span.file(), start, end));
        self.walk_entries(index, member, &mut tar)?;
        Ok(Some(()))
    }

    fn walk_tar<B: BufRead>(
        &mut self,
        index: usize,
        member: &str,
        input: B,
    ) -> Result<(), Failure> {
        let mut tar = TarReader::new(StreamInput(input));
        self.walk_entries(index, member, &mut tar)?;
        // Trailing bytes after the end marker are part of the hashed stream.
        let StreamInput(mut rest) = tar.into_input();
        drain(&mut rest).map_err(|e| {
            Failure::Layer(Error::CorruptLayer {
                layer: member.to_string(),
                reason: format!("cannot read layer: {e}"),
            })
        })
    }

    fn walk_entries<I: TarInput>(
        &mut self,
        index: usize,
        member: &str,
        tar: &mut TarReader<I>,
    ) -> Result<(), Failure> {
        let broken = |reason: String| {
            Failure::Layer(Error::CorruptLayer {
                layer: member.to_string(),
                reason,
            })
        };
        loop {
            let header = match tar.next_header() {
                Ok(Some(h)) => h,
                Ok(None) => break,
                Err(TarError::Io(e)) => return Err(broken(format!("cannot read layer: {e}"))),
                Err(e) => return Err(broken(e.to_string())),
            };
            let path = normalize(&header.path);
            if path.is_empty() {
                continue;
            }
            let (dir, name) = match path.rfind('/') {
                Some(i) => (&path[..i], &path[i + 1..]),
                None => ("", path.as_str()),
            };
            if let Some(deleted) = name.strip_prefix(".wh.") {
                if deleted == ".wh..opq" {
                    self.overlay.record(dir, index, EntryKind::Opaque, "");
                } else if !deleted.starts_with(".wh.") && !deleted.is_empty() {
                    let target = if dir.is_empty() {
                        deleted.to_string()
                    } else {
                        format!("{dir}/{deleted}")
                    };
                    self.overlay.record(&target, index, EntryKind::Whiteout, "");
                }
                // Other `.wh..wh.*` names are aufs bookkeeping, not image content.
                continue;
            }
            match header.kind {
                Kind::File => {
                    self.overlay.record(&path, index, EntryKind::File, "");
                    let meta = EntryMeta {
                        size: header.size,
                        mode: header.mode,
                        executable: header.mode & 0o111 != 0,
                    };
                    if (self.want)(&path, &meta) {
                        let result = (self.on_file)(index, &path, &meta, &mut EntryData(tar));
                        if let Some(e) = tar.failed.take() {
                            return Err(broken(format!("cannot read `{path}`: {e}")));
                        }
                        if let Err(e) = result {
                            return Err(Failure::Abort(Error::Callback {
                                layer: index,
                                path,
                                source: e.into(),
                            }));
                        }
                    }
                }
                Kind::Dir => self.overlay.record(&path, index, EntryKind::Dir, ""),
                Kind::Symlink => {
                    self.overlay
                        .record(&path, index, EntryKind::Symlink, &header.link)
                }
                Kind::Hardlink => {
                    self.overlay
                        .record(&path, index, EntryKind::Hardlink, &normalize(&header.link))
                }
                Kind::Other => self.overlay.record(&path, index, EntryKind::Other, ""),
            }
        }
        Ok(())
    }
}

fn drain<R: BufRead>(r: &mut R) -> io::Result<()> {
    loop {
        let n = r.fill_buf()?.len();
        if n == 0 {
            return Ok(());
        }
        r.consume(n);
    }
}
