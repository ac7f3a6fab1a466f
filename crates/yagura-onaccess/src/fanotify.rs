//! Thin, safe wrappers over the fanotify syscalls.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::Error;

/// One permission event; owns the event fd.
pub(crate) struct RawEvent {
    pub mask: u64,
    pub fd: OwnedFd,
    pub pid: i32,
}

pub(crate) fn init() -> Result<OwnedFd, Error> {
    // FAN_UNLIMITED_QUEUE: a bounded kernel queue silently allows overflowing
    // permission events; we prefer explicit fail modes in user space.
    let flags = libc::FAN_CLASS_CONTENT
        | libc::FAN_CLOEXEC
        | libc::FAN_NONBLOCK
        | libc::FAN_UNLIMITED_QUEUE;
    let event_flags = (libc::O_RDONLY | libc::O_LARGEFILE | libc::O_CLOEXEC) as libc::c_uint;
    // SAFETY: plain syscall with integer arguments.
    let fd = unsafe { libc::fanotify_init(flags, event_flags) };
    if fd < 0 {
        return Err(Error::Fanotify {
            op: "init".into(),
            source: io::Error::last_os_error(),
        });
    }
    // SAFETY: fd is a fresh descriptor we own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub(crate) fn mark(fan: &OwnedFd, path: &Path, mask: u64, filesystem: bool) -> Result<(), Error> {
    let c = CString::new(path.as_os_str().as_bytes()).map_err(|_| Error::Fanotify {
        op: format!("mark {}", path.display()),
        source: io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"),
    })?;
    let scope = if filesystem {
        libc::FAN_MARK_FILESYSTEM
    } else {
        libc::FAN_MARK_MOUNT
    };
    // SAFETY: valid fd and NUL-terminated path that outlives the call.
    let rc = unsafe {
        libc::fanotify_mark(
            fan.as_raw_fd(),
            libc::FAN_MARK_ADD | scope,
            mask,
            libc::AT_FDCWD,
            c.as_ptr(),
        )
    };
    if rc < 0 {
        return Err(Error::Fanotify {
            op: format!("mark {}", path.display()),
            source: io::Error::last_os_error(),
        });
    }
    Ok(())
}

/// Parse a buffer returned by read(2) on the group fd. Every event with an fd
/// is returned (so it is answered and closed); a malformed tail is an error.
pub(crate) fn parse(buf: &[u8], out: &mut Vec<RawEvent>) -> Result<(), String> {
    let meta_size = std::mem::size_of::<libc::fanotify_event_metadata>();
    let mut off = 0usize;
    while buf.len() - off >= meta_size {
        // SAFETY: at least meta_size bytes remain; read_unaligned copes with
        // any alignment and the struct is plain old data.
        let meta: libc::fanotify_event_metadata = unsafe {
            std::ptr::read_unaligned(buf[off..].as_ptr() as *const libc::fanotify_event_metadata)
        };
        let len = meta.event_len as usize;
        if len < meta_size || len > buf.len() - off {
            return Err(format!("bad event length {len} at offset {off}"));
        }
        if meta.fd >= 0 {
            // SAFETY: the kernel installed this fd for us; we own it now.
            let fd = unsafe { OwnedFd::from_raw_fd(meta.fd) };
            if meta.vers != libc::FANOTIFY_METADATA_VERSION {
                // Still hand the fd back so it is answered and closed.
                tracing::error!(vers = meta.vers, "unexpected fanotify metadata version");
            }
            out.push(RawEvent {
                mask: meta.mask,
                fd,
                pid: meta.pid,
            });
        } else if meta.mask & libc::FAN_Q_OVERFLOW != 0 {
            tracing::warn!("fanotify queue overflow");
        }
        off += len;
    }
    if off != buf.len() {
        return Err(format!("{} trailing bytes", buf.len() - off));
    }
    Ok(())
}

pub(crate) fn respond(fan: RawFd, event_fd: RawFd, allow: bool) -> io::Result<()> {
    let resp = libc::fanotify_response {
        fd: event_fd,
        response: if allow {
            libc::FAN_ALLOW
        } else {
            libc::FAN_DENY
        },
    };
    let size = std::mem::size_of::<libc::fanotify_response>();
    loop {
        // SAFETY: writes `size` bytes from a live stack value.
        let n = unsafe {
            libc::write(
                fan,
                &resp as *const libc::fanotify_response as *const libc::c_void,
                size,
            )
        };
        if n == size as isize {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if n < 0 && err.kind() == io::ErrorKind::Interrupted {
            continue;
        }
        return Err(if n < 0 {
            err
        } else {
            io::Error::new(io::ErrorKind::WriteZero, "short fanotify response write")
        });
    }
}

/// (dev, ino, mtime, ctime, size) of an event fd, and whether it is a
/// regular file.
pub(crate) fn stat_key(fd: &impl AsRawFd) -> io::Result<(crate::cache::Key, bool)> {
    // SAFETY: zeroed stat is a valid out-parameter.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid fd and pointer to a stat buffer.
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } < 0 {
        return Err(io::Error::last_os_error());
    }
    let key = crate::cache::Key {
        dev: st.st_dev,
        ino: st.st_ino,
        mtime: (st.st_mtime, st.st_mtime_nsec),
        ctime: (st.st_ctime, st.st_ctime_nsec),
        size: st.st_size,
    };
    Ok((key, st.st_mode & libc::S_IFMT == libc::S_IFREG))
}

/// Mount points strictly below `root`, from /proc/self/mountinfo.
pub(crate) fn submounts(root: &Path) -> Vec<std::path::PathBuf> {
    let Ok(text) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(field) = line.split(' ').nth(4) else {
            continue;
        };
        let mp = std::path::PathBuf::from(unescape_mountinfo(field));
        if mp != root && mp.starts_with(root) {
            out.push(mp);
        }
    }
    out
}

/// mountinfo escapes space, tab, newline and backslash as \ooo.
fn unescape_mountinfo(s: &str) -> std::ffi::OsString {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') as u32 * 64
                + (b[i + 2] - b'0') as u32 * 8
                + (b[i + 3] - b'0') as u32;
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    std::ffi::OsStr::from_bytes(&out).to_os_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_unescape() {
        assert_eq!(unescape_mountinfo("/a\\040b"), "/a b");
        assert_eq!(unescape_mountinfo("/plain"), "/plain");
        assert_eq!(unescape_mountinfo("/end\\04"), "/end\\04");
    }

    #[test]
    fn parse_rejects_bad_length() {
        let mut buf = vec![0u8; std::mem::size_of::<libc::fanotify_event_metadata>()];
        buf[0] = 4; // event_len shorter than the header
        let mut out = Vec::new();
        assert!(parse(&buf, &mut out).is_err());
        assert!(out.is_empty());
    }
}
