//! Alert outputs: JSON lines to stdout or a file, an HTTP webhook, syslog.
//!
//! The webhook and syslog run on their own threads behind bounded queues so a
//! slow receiver never stalls event processing; what they cannot keep up with
//! is counted as dropped.

use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::alert::Alert;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{target}: {source}")]
    Io {
        target: String,
        #[source]
        source: std::io::Error,
    },
    #[error("syslog target {0:?} is not unix:PATH or udp:HOST:PORT")]
    SyslogTarget(String),
}

/// Where syslog messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyslogTarget {
    Unix(String),
    Udp(String),
}

impl SyslogTarget {
    pub fn parse(s: &str) -> Result<SyslogTarget, OutputError> {
        if let Some(p) = s.strip_prefix("unix:") {
            Ok(SyslogTarget::Unix(p.into()))
        } else if let Some(a) = s.strip_prefix("udp:") {
            Ok(SyslogTarget::Udp(a.into()))
        } else {
            Err(OutputError::SyslogTarget(s.into()))
        }
    }
}

/// syslog severity for a Falco priority.
fn severity(priority: &str) -> u8 {
    match priority.to_ascii_lowercase().as_str() {
        "emergency" => 0,
        "alert" => 1,
        "critical" => 2,
        "error" => 3,
        "warning" => 4,
        "notice" => 5,
        "informational" | "info" => 6,
        _ => 7,
    }
}

/// An RFC 5424 message (facility auth, 4) carrying the alert JSON.
pub fn syslog_line(a: &Alert) -> String {
    let pri = 4 * 8 + severity(&a.priority) as u32;
    let json = serde_json::to_string(a).unwrap_or_default();
    format!(
        "<{pri}>1 {} {} yagura-runtime {} - - {}",
        a.time,
        if a.hostname.is_empty() {
            "-"
        } else {
            &a.hostname
        },
        std::process::id(),
        json
    )
}

/// Sends one datagram to the syslog receiver.
type DatagramSender = Box<dyn Fn(&[u8]) -> std::io::Result<usize> + Send>;

/// What a background output sends: the alert JSON, or an RFC 5424 line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wire {
    Json,
    Syslog,
}

struct Worker {
    wire: Wire,
    tx: Option<SyncSender<String>>,
    handle: Option<JoinHandle<()>>,
}

pub struct Outputs {
    json: Option<Box<dyn Write + Send>>,
    json_target: String,
    workers: Vec<Worker>,
    pub dropped: Arc<AtomicU64>,
    pub failed: Arc<AtomicU64>,
}

impl Outputs {
    /// JSON lines to `file`, or to stdout when `None`.
    pub fn new(file: Option<&std::path::Path>) -> Result<Outputs, OutputError> {
        let (json, json_target): (Box<dyn Write + Send>, String) = match file {
            Some(p) => {
                let f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|source| OutputError::Io {
                        target: p.display().to_string(),
                        source,
                    })?;
                (
                    Box::new(std::io::LineWriter::new(f)),
                    p.display().to_string(),
                )
            }
            None => (Box::new(std::io::stdout()), "stdout".into()),
        };
        Ok(Outputs {
            json: Some(json),
            json_target,
            workers: Vec::new(),
            dropped: Arc::default(),
            failed: Arc::default(),
        })
    }

    pub fn add_webhook(&mut self, url: &str) {
        let url = url.to_string();
        let failed = self.failed.clone();
        let (tx, rx) = sync_channel::<String>(1024);
        let handle = std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .timeout_global(Some(std::time::Duration::from_secs(5)))
                .build()
                .into();
            for body in rx {
                let r = agent
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .send(body.as_bytes());
                if let Err(e) = r {
                    failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(webhook = %url, error = %e, "webhook delivery failed");
                }
            }
        });
        self.workers.push(Worker {
            wire: Wire::Json,
            tx: Some(tx),
            handle: Some(handle),
        });
    }

    pub fn add_syslog(&mut self, target: SyslogTarget) -> Result<(), OutputError> {
        let (tx, rx) = sync_channel::<String>(1024);
        let failed = self.failed.clone();
        let sender: DatagramSender = match &target {
            SyslogTarget::Unix(path) => {
                let sock = UnixDatagram::unbound().map_err(|source| OutputError::Io {
                    target: path.clone(),
                    source,
                })?;
                let path = path.clone();
                Box::new(move |b| sock.send_to(b, &path))
            }
            SyslogTarget::Udp(addr) => {
                let sock =
                    std::net::UdpSocket::bind("0.0.0.0:0").map_err(|source| OutputError::Io {
                        target: addr.clone(),
                        source,
                    })?;
                let addr = addr.clone();
                Box::new(move |b| sock.send_to(b, &addr))
            }
        };
        let handle = std::thread::spawn(move || {
            for line in rx {
                if let Err(e) = sender(line.as_bytes()) {
                    failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(error = %e, "syslog delivery failed");
                }
            }
        });
        self.workers.push(Worker {
            wire: Wire::Syslog,
            tx: Some(tx),
            handle: Some(handle),
        });
        Ok(())
    }

    pub fn emit(&mut self, alert: &Alert) -> Result<(), OutputError> {
        let line = serde_json::to_string(alert).unwrap_or_default();
        if let Some(out) = self.json.as_mut() {
            writeln!(out, "{line}").map_err(|source| OutputError::Io {
                target: self.json_target.clone(),
                source,
            })?;
        }
        for w in &self.workers {
            let msg = match w.wire {
                Wire::Json => line.clone(),
                Wire::Syslog => syslog_line(alert),
            };
            if let Some(tx) = &w.tx {
                if let Err(TrySendError::Full(_)) = tx.try_send(msg) {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }

    pub fn flush(&mut self) {
        if let Some(out) = self.json.as_mut() {
            let _ = out.flush();
        }
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        self.flush();
        for w in &mut self.workers {
            w.tx.take();
            if let Some(h) = w.handle.take() {
                let _ = h.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn alert() -> Alert {
        Alert {
            time: "2026-11-28T00:00:00.000000000Z".into(),
            rule: "r".into(),
            priority: "Warning".into(),
            output: "o".into(),
            output_fields: BTreeMap::new(),
            tags: vec![],
            source: "syscall".into(),
            hostname: "h".into(),
            evt_num: 1,
            evt_type: "openat".into(),
            response: None,
        }
    }

    #[test]
    fn syslog_messages_reach_a_unix_socket_in_rfc5424() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.sock");
        let server = UnixDatagram::bind(&path).unwrap();
        server
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        {
            let mut o = Outputs::new(Some(&dir.path().join("alerts.jsonl"))).unwrap();
            o.add_syslog(SyslogTarget::Unix(path.display().to_string()))
                .unwrap();
            o.emit(&alert()).unwrap();
        }
        let mut buf = [0u8; 4096];
        let n = server.recv(&mut buf).unwrap();
        let msg = String::from_utf8_lossy(&buf[..n]);
        assert!(
            msg.starts_with("<36>1 2026-11-28T00:00:00.000000000Z h yagura-runtime "),
            "{msg}"
        );
        assert!(msg.contains("\"rule\":\"r\""), "{msg}");
        let lines = std::fs::read_to_string(dir.path().join("alerts.jsonl")).unwrap();
        assert_eq!(lines.lines().count(), 1);
    }

    #[test]
    fn webhook_receives_the_alert_json() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Read};
            let (mut s, _) = listener.accept().unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut len = 0usize;
            let mut first = String::new();
            r.read_line(&mut first).unwrap();
            loop {
                let mut l = String::new();
                r.read_line(&mut l).unwrap();
                if l.trim().is_empty() {
                    break;
                }
                if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0u8; len];
            r.read_exact(&mut body).unwrap();
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .unwrap();
            (first, String::from_utf8(body).unwrap())
        });
        let dir = tempfile::tempdir().unwrap();
        {
            let mut o = Outputs::new(Some(&dir.path().join("a.jsonl"))).unwrap();
            o.add_webhook(&format!("http://{addr}/hook"));
            o.emit(&alert()).unwrap();
        }
        let (first, body) = server.join().unwrap();
        assert!(first.starts_with("POST /hook "), "{first}");
        let back: Alert = serde_json::from_str(&body).unwrap();
        assert_eq!(back, alert());
    }
}
