//! Minimal HTTP/1.1 GET over a unix socket: enough for the Docker, Podman and
//! CRI-O APIs (Content-Length, chunked, or read-to-close bodies) without an
//! async runtime.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::LookupError;

/// Longest status or header line we accept.
const MAX_LINE: usize = 8 * 1024;
/// Most header lines we accept.
const MAX_HEADERS: usize = 100;

#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// `GET <target>` on the unix socket at `socket`.
///
/// `timeout` bounds the whole exchange, not only each read, so a server that
/// trickles bytes cannot hold the resolver thread. Connection failures that
/// mean "no runtime here" come back as [`LookupError::Unavailable`].
pub(crate) fn get(
    runtime: &'static str,
    socket: &Path,
    target: &str,
    timeout: Duration,
    max_body: usize,
) -> Result<Response, LookupError> {
    let io_err = |source: io::Error| LookupError::Io {
        resource: socket.display().to_string(),
        source,
    };
    // A zero timeout would be rejected by set_read_timeout.
    let timeout = timeout.max(Duration::from_millis(1));
    let deadline = Instant::now() + timeout;
    let mut stream = UnixStream::connect(socket).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound
        | io::ErrorKind::ConnectionRefused
        | io::ErrorKind::PermissionDenied => LookupError::Unavailable {
            runtime,
            socket: socket.to_path_buf(),
            source,
        },
        _ => io_err(source),
    })?;
    stream.set_read_timeout(Some(timeout)).map_err(io_err)?;
    stream.set_write_timeout(Some(timeout)).map_err(io_err)?;
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: yagura\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(io_err)?;
    let mut reader = Reader {
        inner: stream,
        buf: Vec::new(),
        pos: 0,
        deadline,
    };
    read_response(&mut reader, max_body).map_err(|e| match e {
        ReadError::Io(source) => io_err(source),
        ReadError::Malformed(reason) => LookupError::Http {
            resource: socket.display().to_string(),
            reason,
        },
    })
}

#[derive(Debug)]
enum ReadError {
    Io(io::Error),
    Malformed(String),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

fn malformed<T>(reason: impl Into<String>) -> Result<T, ReadError> {
    Err(ReadError::Malformed(reason.into()))
}

struct Reader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    deadline: Instant,
}

impl<R: Read> Reader<R> {
    /// Reads more bytes into the buffer; returns how many (0 at end of stream).
    fn fill(&mut self) -> Result<usize, ReadError> {
        if Instant::now() >= self.deadline {
            return Err(ReadError::Io(io::Error::new(
                io::ErrorKind::TimedOut,
                "response not complete before the deadline",
            )));
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 8192];
        let n = loop {
            match self.inner.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // A socket read timeout surfaces as WouldBlock on Unix.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return Err(ReadError::Io(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "no response within the timeout",
                    )))
                }
                Err(e) => return Err(e.into()),
            }
        };
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// One CRLF- (or LF-) terminated line, without the terminator.
    fn line(&mut self) -> Result<String, ReadError> {
        loop {
            if let Some(nl) = self.available().iter().position(|&b| b == b'\n') {
                let raw = &self.available()[..nl];
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                let line = String::from_utf8_lossy(raw).into_owned();
                self.pos += nl + 1;
                return Ok(line);
            }
            if self.available().len() > MAX_LINE {
                return malformed("line too long");
            }
            if self.fill()? == 0 {
                return malformed("connection closed mid-line");
            }
        }
    }

    fn exact(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), ReadError> {
        while self.available().len() < n {
            if self.fill()? == 0 {
                return malformed("connection closed before the end of the body");
            }
        }
        out.extend_from_slice(&self.available()[..n]);
        self.pos += n;
        Ok(())
    }

    fn until_close(&mut self, max: usize, out: &mut Vec<u8>) -> Result<(), ReadError> {
        loop {
            out.extend_from_slice(self.available());
            self.pos = self.buf.len();
            if out.len() > max {
                return malformed(format!("body larger than {max} bytes"));
            }
            if self.fill()? == 0 {
                return Ok(());
            }
        }
    }
}

fn read_response<R: Read>(r: &mut Reader<R>, max_body: usize) -> Result<Response, ReadError> {
    let status = loop {
        let line = r.line()?;
        let mut parts = line.split_whitespace();
        let version = parts.next().unwrap_or_default();
        if !version.starts_with("HTTP/1.") {
            return malformed(format!("bad status line {line:?}"));
        }
        let Some(status) = parts.next().and_then(|s| s.parse::<u16>().ok()) else {
            return malformed(format!("bad status line {line:?}"));
        };
        // 1xx interim responses are followed by headers and the real response.
        if (100..200).contains(&status) {
            while !r.line()?.is_empty() {}
            continue;
        }
        break status;
    };

    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut count = 0;
    loop {
        let line = r.line()?;
        if line.is_empty() {
            break;
        }
        count += 1;
        if count > MAX_HEADERS {
            return malformed("too many headers");
        }
        let Some((name, value)) = line.split_once(':') else {
            return malformed(format!("bad header line {line:?}"));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            match value.parse::<usize>() {
                Ok(n) => content_length = Some(n),
                Err(_) => return malformed(format!("bad Content-Length {value:?}")),
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        }
    }

    let mut body = Vec::new();
    if status == 204 || status == 304 {
        // No body by definition.
    } else if chunked {
        // Transfer-Encoding wins over Content-Length (RFC 9112 6.3).
        loop {
            let size_line = r.line()?;
            let hex = size_line.split(';').next().unwrap_or_default().trim();
            let Ok(size) = usize::from_str_radix(hex, 16) else {
                return malformed(format!("bad chunk size {size_line:?}"));
            };
            if size == 0 {
                // Trailer fields, then the blank line.
                while !r.line()?.is_empty() {}
                break;
            }
            if body.len().saturating_add(size) > max_body {
                return malformed(format!("body larger than {max_body} bytes"));
            }
            r.exact(size, &mut body)?;
            if !r.line()?.is_empty() {
                return malformed("chunk not followed by CRLF");
            }
        }
    } else if let Some(n) = content_length {
        if n > max_body {
            return malformed(format!("body larger than {max_body} bytes"));
        }
        r.exact(n, &mut body)?;
    } else {
        r.until_close(max_body, &mut body)?;
    }
    Ok(Response { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8], max: usize) -> Result<Response, ReadError> {
        let mut r = Reader {
            inner: raw,
            buf: Vec::new(),
            pos: 0,
            deadline: Instant::now() + Duration::from_secs(5),
        };
        read_response(&mut r, max)
    }

    #[test]
    fn content_length_body() {
        let r = parse(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}trailing",
            1024,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"{\"a\":1}");
    }

    #[test]
    fn chunked_body_with_extension_and_trailer() {
        let r = parse(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\nA\r\n:\"0123456\"\r\n1\r\n}\r\n0\r\nX-Trailer: y\r\n\r\n",
            1024,
        )
        .unwrap();
        assert_eq!(r.body, b"{\"a\":\"0123456\"}");
    }

    #[test]
    fn body_until_close_and_interim_response() {
        let r = parse(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\n\r\nno such container",
            1024,
        )
        .unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.body, b"no such container");
    }

    #[test]
    fn rejects_oversized_and_truncated_bodies() {
        let big = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n", 1024);
        assert!(matches!(big, Err(ReadError::Malformed(m)) if m.contains("larger")));
        let short = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1024);
        assert!(matches!(short, Err(ReadError::Malformed(m)) if m.contains("closed")));
        let chunk = parse(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            1024,
        );
        assert!(matches!(chunk, Err(ReadError::Malformed(m)) if m.contains("chunk size")));
        let status = parse(b"SSH-2.0-OpenSSH\r\n\r\n", 1024);
        assert!(matches!(status, Err(ReadError::Malformed(m)) if m.contains("status line")));
    }
}
