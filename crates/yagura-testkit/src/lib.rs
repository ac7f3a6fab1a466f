//! Test helpers shared by yagura's crates (used only as a dev-dependency).
//!
//! [`Moto`] runs the AWS emulator [moto](https://github.com/getmoto/moto) in server
//! mode as a child process on a free port of 127.0.0.1, waits until it answers,
//! and kills it when dropped, so each test gets its own empty emulated AWS.
//! [`Moto::seed`] runs a Python (boto3) script that creates resources in it.
//!
//! When `moto_server` or boto3 is missing, [`Moto::start_or_skip`] prints why and
//! returns `None` so the test can return early. Set `YAGURA_REQUIRE_MOTO=1` (as CI
//! does) to make a missing emulator fail the test instead of skipping it. Set
//! `YAGURA_MOTO_LOG=DIR` to keep each server's request log in `DIR/moto-PORT.log`.

pub mod samples;

use serde_json::Value;
use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long moto may take to answer after it was started.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Starts tried before giving up (another process may take the free port first).
const START_ATTEMPTS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum MotoError {
    /// The emulator cannot run on this machine: the test should be skipped.
    #[error("{0}")]
    Unavailable(String),
    /// The emulator is installed but did not come up.
    #[error("moto_server did not start: {0}")]
    Failed(String),
    /// A seed script failed or printed something other than JSON.
    #[error("seed script {script} failed: {detail}")]
    Seed { script: PathBuf, detail: String },
}

/// A moto server child process, killed when dropped.
#[derive(Debug)]
pub struct Moto {
    child: Child,
    port: u16,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        // Already gone is fine: nothing to clean up then.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn on_path(bin: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(bin))
        .find(|p| p.is_file())
}

fn free_port() -> Result<u16, MotoError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| MotoError::Failed(format!("no free local port: {e}")))
}

/// Whether an HTTP server answers on the port.
fn answers(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 12];
    matches!(s.read(&mut buf), Ok(n) if n >= 5 && buf.starts_with(b"HTTP/"))
}

/// Where the server's output goes (stdout, stderr): one log file when
/// `YAGURA_MOTO_LOG` names a folder, else nowhere (an unread pipe would fill up
/// and stall the server).
fn server_output(port: u16) -> Result<(Stdio, Stdio), MotoError> {
    let Some(dir) = std::env::var_os("YAGURA_MOTO_LOG") else {
        return Ok((Stdio::null(), Stdio::null()));
    };
    let path = PathBuf::from(dir).join(format!("moto-{port}.log"));
    let cannot =
        |e: std::io::Error| MotoError::Failed(format!("cannot create {}: {e}", path.display()));
    let out = File::create(&path).map_err(cannot)?;
    let err = out.try_clone().map_err(cannot)?;
    Ok((Stdio::from(out), Stdio::from(err)))
}

/// A path that does not exist, so the AWS SDKs read no user configuration.
fn no_aws_config() -> OsString {
    std::env::temp_dir()
        .join("yagura-testkit-no-aws-config")
        .into_os_string()
}

impl Moto {
    /// Starts moto and waits until it answers.
    pub fn start() -> Result<Moto, MotoError> {
        let bin = on_path("moto_server").ok_or_else(|| {
            MotoError::Unavailable("moto_server is not on PATH (pip install 'moto[server]')".into())
        })?;
        let boto = Command::new("python3")
            .args(["-c", "import boto3"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| MotoError::Unavailable(format!("python3 cannot run: {e}")))?;
        if !boto.success() {
            return Err(MotoError::Unavailable(
                "python3 cannot import boto3 (pip install boto3)".into(),
            ));
        }
        let mut last = String::new();
        for _ in 0..START_ATTEMPTS {
            match Self::start_on(&bin, free_port()?) {
                Ok(m) => return Ok(m),
                Err(MotoError::Failed(why)) => last = why,
                Err(e) => return Err(e),
            }
        }
        Err(MotoError::Failed(last))
    }

    fn start_on(bin: &Path, port: u16) -> Result<Moto, MotoError> {
        let (out, err) = server_output(port)?;
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // AWS-managed policies (AWSSupportAccess, …) exist only when loaded.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| MotoError::Failed(format!("cannot run {}: {e}", bin.display())))?;
        let mut moto = Moto {
            child,
            port,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        while !answers(port) {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(MotoError::Failed(format!(
                    "it exited with {status} before answering on port {port}"
                )));
            }
            if Instant::now() > deadline {
                return Err(MotoError::Failed(format!(
                    "no answer on port {port} within {} s",
                    READY_TIMEOUT.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(moto)
    }

    /// Starts moto, or prints why `test` is skipped and returns `None`. With
    /// `YAGURA_REQUIRE_MOTO` set, a missing emulator panics instead.
    ///
    /// # Panics
    /// When moto is installed but does not start, or is required and missing.
    pub fn start_or_skip(test: &str) -> Option<Moto> {
        match Self::start() {
            Ok(m) => Some(m),
            Err(MotoError::Unavailable(why))
                if std::env::var_os("YAGURA_REQUIRE_MOTO").is_none() =>
            {
                println!("skipping {test}: {why}");
                None
            }
            Err(e) => panic!("{test}: {e}"),
        }
    }

    /// The endpoint URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs `python3 SCRIPT URL ARGS…` and parses what it prints as JSON. The
    /// script gets no user AWS configuration, so only what it says applies.
    pub fn seed(&self, script: &Path, args: &[&str]) -> Result<Value, MotoError> {
        let fail = |detail: String| MotoError::Seed {
            script: script.to_path_buf(),
            detail,
        };
        let out = Command::new("python3")
            .arg(script)
            .arg(&self.url)
            .args(args)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_DEFAULT_PROFILE")
            .env_remove("AWS_ENDPOINT_URL")
            .env("AWS_CONFIG_FILE", no_aws_config())
            .env("AWS_SHARED_CREDENTIALS_FILE", no_aws_config())
            .output()
            .map_err(|e| fail(format!("cannot run python3: {e}")))?;
        if !out.status.success() {
            return Err(fail(format!(
                "{}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        serde_json::from_slice(&out.stdout).map_err(|e| {
            fail(format!(
                "its output is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_port_does_not_answer() {
        let port = free_port().unwrap();
        assert!(!answers(port));
    }

    #[test]
    fn a_started_server_answers_and_is_gone_after_drop() {
        let Some(moto) = Moto::start_or_skip("a_started_server_answers_and_is_gone_after_drop")
        else {
            return;
        };
        let port = moto.port();
        assert!(answers(port));
        assert_eq!(moto.url(), format!("http://127.0.0.1:{port}"));
        drop(moto);
        assert!(!answers(port));
    }

    #[test]
    fn a_failing_seed_reports_its_stderr() {
        let Some(moto) = Moto::start_or_skip("a_failing_seed_reports_its_stderr") else {
            return;
        };
        let dir = std::env::temp_dir().join(format!("yagura-testkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("bad_seed.py");
        std::fs::write(
            &script,
            "import sys\nsys.exit('no such bucket: ' + sys.argv[2])\n",
        )
        .unwrap();
        let err = moto.seed(&script, &["b1"]).unwrap_err().to_string();
        assert!(err.contains("no such bucket: b1"), "{err}");
        std::fs::write(
            &script,
            "import json, sys\nprint(json.dumps({'url': sys.argv[1]}))\n",
        )
        .unwrap();
        let v = moto.seed(&script, &[]).unwrap();
        assert_eq!(v["url"], moto.url());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
