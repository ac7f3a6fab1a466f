//! Thin wrappers over the raw syscalls the actions make on purpose.

use std::ffi::CString;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

pub fn cpath(p: &Path) -> Result<CString> {
    CString::new(p.as_os_str().as_bytes())
        .map_err(|_| Error::Failed(format!("path {} contains a NUL byte", p.display())))
}

pub fn cstr(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::Failed(format!("{s:?} contains a NUL byte")))
}

/// Forks; the child runs `f` and exits with its return value (by convention
/// 0 or the errno of the syscall that failed). The process is
/// single-threaded, so running Rust code in the child is sound.
pub fn fork_child(f: impl FnOnce() -> i32) -> Result<libc::pid_t> {
    // SAFETY: fork in a single-threaded process; the child never returns
    // into the caller's frames (it `_exit`s).
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(Error::last_os("fork"));
    }
    if pid == 0 {
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(250);
        // SAFETY: terminates the child without running the parent's atexit/destructors.
        unsafe { libc::_exit(code) }
    }
    Ok(pid)
}

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    /// Ok on exit code 0; otherwise an error naming `what` and, for codes
    /// that are errnos, the errno text.
    pub fn check(self, what: &str) -> Result<()> {
        match self {
            Exit::Code(0) => Ok(()),
            Exit::Code(c) if c < 200 => Err(Error::io(
                format!("{what} (child exit code {c})"),
                std::io::Error::from_raw_os_error(c),
            )),
            Exit::Code(c) => Err(Error::Failed(format!("{what}: child exited with {c}"))),
            Exit::Signal(s) => Err(Error::Failed(format!("{what}: child killed by signal {s}"))),
        }
    }

    pub fn code(self) -> Option<i32> {
        match self {
            Exit::Code(c) => Some(c),
            Exit::Signal(_) => None,
        }
    }
}

pub fn wait(pid: libc::pid_t) -> Result<Exit> {
    let mut status = 0;
    loop {
        // SAFETY: plain waitpid on our own child.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::__WALL) };
        if r == pid {
            break;
        }
        if r < 0 && errno() != libc::EINTR {
            return Err(Error::last_os(format!("waitpid {pid}")));
        }
    }
    if libc::WIFEXITED(status) {
        Ok(Exit::Code(libc::WEXITSTATUS(status)))
    } else {
        Ok(Exit::Signal(libc::WTERMSIG(status)))
    }
}

/// Sets the calling thread's comm (what `proc.name` shows); 0 or errno.
pub fn set_comm(name: &std::ffi::CStr) -> i32 {
    // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes.
    let r = unsafe { libc::prctl(libc::PR_SET_NAME, name.as_ptr() as libc::c_ulong, 0, 0, 0) };
    if r == 0 {
        0
    } else {
        errno()
    }
}

/// open(2) + close(2); 0 or errno.
pub fn open_close(path: &std::ffi::CStr, flags: libc::c_int) -> i32 {
    // SAFETY: valid NUL-terminated path.
    let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC, 0o644) };
    if fd < 0 {
        return errno();
    }
    // SAFETY: fd was just opened by us.
    unsafe { libc::close(fd) };
    0
}

/// Points the child's stdout at /dev/null so only our JSON line reaches stdout.
pub fn null_stdout() {
    // SAFETY: open/dup2/close on fds we own.
    unsafe {
        let fd = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if fd >= 0 {
            libc::dup2(fd, 1);
            libc::close(fd);
        }
    }
}

/// First existing path among candidates.
pub fn first_existing(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

/// Finds an executable by name in the usual system directories.
pub fn which(name: &str) -> Option<PathBuf> {
    [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ]
    .iter()
    .map(|d| Path::new(d).join(name))
    .find(|p| p.is_file())
}

/// Copies an executable to a new file (never overwrites) with mode 0755.
pub fn copy_executable(src: &Path, dst: &Path) -> Result<()> {
    let bytes = fs::read(src).map_err(|e| Error::io(format!("reading {}", src.display()), e))?;
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o755)
        .open(dst)
        .map_err(|e| Error::io(format!("creating {}", dst.display()), e))?;
    f.write_all(&bytes)
        .map_err(|e| Error::io(format!("writing {}", dst.display()), e))?;
    // The umask may have cleared bits of 0755.
    f.set_permissions(fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io(format!("chmod {}", dst.display()), e))?;
    Ok(())
}

/// Creates a new file (O_CREAT|O_EXCL) with content; refuses to touch an existing one.
pub fn create_new_file(path: &Path, content: &[u8], mode: u32) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists {
                    path: path.to_path_buf(),
                }
            } else {
                Error::io(format!("creating {}", path.display()), e)
            }
        })?;
    f.write_all(content)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// Removes, on drop, the files and directories it was told this run created
/// (files first, then directories, newest first), so error paths clean up too.
#[derive(Debug, Default)]
pub struct Cleanup {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Cleanup {
    pub fn file(&mut self, p: impl Into<PathBuf>) {
        self.files.push(p.into());
    }

    pub fn dir(&mut self, p: impl Into<PathBuf>) {
        self.dirs.push(p.into());
    }

    /// Creates `dir` (mode `mode`) if absent and registers it for removal.
    pub fn create_dir_if_absent(&mut self, dir: &Path, mode: u32) -> Result<bool> {
        if dir.exists() {
            return Ok(false);
        }
        std::fs::DirBuilder::new()
            .mode(mode)
            .create(dir)
            .map_err(|e| Error::io(format!("creating directory {}", dir.display()), e))?;
        self.dir(dir);
        Ok(true)
    }

    /// Removes everything now; reports the first failure.
    pub fn finish(mut self) -> Result<()> {
        self.run()
    }

    fn run(&mut self) -> Result<()> {
        let mut first = None;
        for f in self.files.drain(..).rev() {
            match fs::symlink_metadata(&f) {
                Ok(_) => {
                    if let Err(e) = fs::remove_file(&f) {
                        first.get_or_insert(Error::io(format!("removing {}", f.display()), e));
                    }
                }
                Err(_) => continue,
            }
        }
        for d in self.dirs.drain(..).rev() {
            if let Err(e) = fs::remove_dir(&d) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    first.get_or_insert(Error::io(format!("removing {}", d.display()), e));
                }
            }
        }
        first.map_or(Ok(()), Err)
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Err(e) = self.run() {
            eprintln!("yagura-eventgen: cleanup: {e}");
        }
    }
}
