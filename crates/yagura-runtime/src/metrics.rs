//! Prometheus metrics and the endpoint that serves them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use yagura_event::EventType;

#[derive(Default)]
pub struct Metrics {
    events: Vec<AtomicU64>,
    pub kernel_ring_full: AtomicU64,
    pub kernel_inflight_full: AtomicU64,
    pub kernel_filtered: AtomicU64,
    pub decode_errors: AtomicU64,
    pub eval_ns: AtomicU64,
    pub evaluations: AtomicU64,
    pub output_dropped: AtomicU64,
    pub responses: AtomicU64,
    alerts: Mutex<BTreeMap<String, u64>>,
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics {
            events: EventType::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
            ..Default::default()
        }
    }

    pub fn event(&self, t: EventType) {
        if let Some(i) = EventType::ALL.iter().position(|x| *x == t) {
            if let Some(c) = self.events.get(i) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn alert(&self, rule: &str) {
        if let Ok(mut m) = self.alerts.lock() {
            *m.entry(rule.to_string()).or_default() += 1;
        }
    }

    pub fn events_total(&self) -> u64 {
        self.events.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP yagura_runtime_events_total Events processed, by type."
        );
        let _ = writeln!(s, "# TYPE yagura_runtime_events_total counter");
        for (t, c) in EventType::ALL.iter().zip(&self.events) {
            let v = c.load(Ordering::Relaxed);
            if v > 0 {
                let _ = writeln!(
                    s,
                    "yagura_runtime_events_total{{type=\"{}\"}} {v}",
                    t.name()
                );
            }
        }
        let counters = [
            (
                "yagura_runtime_kernel_drops_total{reason=\"ring_buffer_full\"}",
                &self.kernel_ring_full,
                "Records the kernel could not queue.",
            ),
            (
                "yagura_runtime_kernel_drops_total{reason=\"inflight_full\"}",
                &self.kernel_inflight_full,
                "",
            ),
            (
                "yagura_runtime_kernel_filtered_total",
                &self.kernel_filtered,
                "Opens dropped in the kernel because no rule can match them.",
            ),
            (
                "yagura_runtime_decode_errors_total",
                &self.decode_errors,
                "Malformed records from the kernel.",
            ),
            (
                "yagura_runtime_output_dropped_total",
                &self.output_dropped,
                "Alerts a slow output could not take.",
            ),
            (
                "yagura_runtime_responses_total",
                &self.responses,
                "Response actions taken.",
            ),
        ];
        let mut helped = std::collections::BTreeSet::new();
        for (name, c, help) in counters {
            let base = name.split('{').next().unwrap_or(name);
            if helped.insert(base) {
                if !help.is_empty() {
                    let _ = writeln!(s, "# HELP {base} {help}");
                }
                let _ = writeln!(s, "# TYPE {base} counter");
            }
            let _ = writeln!(s, "{name} {}", c.load(Ordering::Relaxed));
        }
        let _ = writeln!(
            s,
            "# HELP yagura_runtime_alerts_total Alerts raised, by rule."
        );
        let _ = writeln!(s, "# TYPE yagura_runtime_alerts_total counter");
        if let Ok(m) = self.alerts.lock() {
            for (rule, n) in m.iter() {
                let rule = rule.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = writeln!(s, "yagura_runtime_alerts_total{{rule=\"{rule}\"}} {n}");
            }
        }
        let _ = writeln!(
            s,
            "# HELP yagura_runtime_rule_eval_seconds Time spent evaluating rules."
        );
        let _ = writeln!(s, "# TYPE yagura_runtime_rule_eval_seconds summary");
        let _ = writeln!(
            s,
            "yagura_runtime_rule_eval_seconds_sum {}",
            self.eval_ns.load(Ordering::Relaxed) as f64 / 1e9
        );
        let _ = writeln!(
            s,
            "yagura_runtime_rule_eval_seconds_count {}",
            self.evaluations.load(Ordering::Relaxed)
        );
        s
    }
}

/// Serves `GET /metrics` until `stop` is set. Returns the bound address.
pub fn serve(
    addr: &str,
    metrics: Arc<Metrics>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((mut s, _)) => {
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut buf = [0u8; 1024];
                    let n = s.read(&mut buf).unwrap_or(0);
                    let req = String::from_utf8_lossy(&buf[..n]);
                    let (status, body) = if req.starts_with("GET /metrics") {
                        ("200 OK", metrics.render())
                    } else {
                        ("404 Not Found", "not found\n".to_string())
                    };
                    let _ = write!(
                        s,
                        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    });
    Ok(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_serves_counters() {
        let m = Arc::new(Metrics::new());
        m.event(EventType::Openat);
        m.event(EventType::Openat);
        m.alert("Shell in container");
        let stop = Arc::new(AtomicBool::new(false));
        let addr = serve("127.0.0.1:0", m, stop.clone()).unwrap();
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        stop.store(true, Ordering::Relaxed);
        assert!(
            body.contains("yagura_runtime_events_total{type=\"openat\"} 2"),
            "{body}"
        );
        assert!(body.contains("yagura_runtime_alerts_total{rule=\"Shell in container\"} 1"));
        assert!(body.contains("yagura_runtime_kernel_drops_total{reason=\"ring_buffer_full\"} 0"));
    }
}
