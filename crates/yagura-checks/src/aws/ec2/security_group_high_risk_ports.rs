use super::rules::world_sources;
use crate::util::rule_covers_port;
use crate::{Check, Ctx, Fixtures};
use std::collections::BTreeMap;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-011",
    title: "Security group does not allow internet ingress to high-risk service ports",
    severity: Severity::High,
    kind: "aws.ec2.security_group",
    rationale: "Databases, caches, search engines, file sharing, mail and legacy cleartext \
        protocols are routinely scanned for on the internet and are frequent targets of data \
        theft, ransom and brute force. They should never be reachable from 0.0.0.0/0 or ::/0.",
    remediation: "Remove the 0.0.0.0/0 and ::/0 sources from rules covering these ports and \
        allow only the security groups or private ranges of the clients that need them; expose \
        web applications through a load balancer on 443 instead.",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "nist-800-53-r5:CM-7",
        "pci-dss-4.0:1.2.5",
        "pci-dss-4.0:1.3.1",
        "pci-dss-4.0:2.2.5",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": ["::/0"]}, {"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidrs_v4": ["10.0.0.0/16"], "cidrs_v6": [], "source_groups": ["sg-app"]}]}"#,
            r#"{"ingress": []}"#,
        ],
        fail: &[
            r#"{"ingress": [{"protocol": "tcp", "from_port": 3306, "to_port": 3306, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
            r#"{"ingress": [{"protocol": "tcp", "from_port": 6000, "to_port": 7000, "cidrs_v4": [], "cidrs_v6": ["::/0"]}]}"#,
        ],
    },
    notes: "SSH and RDP are covered by AWS-EC2-001 and AWS-EC2-003.",
};

/// Ports whose services should never face the internet (SSH/RDP have their own checks).
const HIGH_RISK_PORTS: &[(i64, &str)] = &[
    (20, "FTP data"),
    (21, "FTP"),
    (23, "Telnet"),
    (25, "SMTP"),
    (110, "POP3"),
    (135, "MS RPC"),
    (137, "NetBIOS name"),
    (138, "NetBIOS datagram"),
    (139, "NetBIOS session"),
    (143, "IMAP"),
    (161, "SNMP"),
    (389, "LDAP"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1434, "SQL Server browser"),
    (1521, "Oracle"),
    (2049, "NFS"),
    (2375, "Docker API"),
    (2376, "Docker API (TLS)"),
    (3000, "development web servers"),
    (3306, "MySQL"),
    (4333, "mSQL"),
    (5432, "PostgreSQL"),
    (5500, "VNC"),
    (5601, "Kibana"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (8080, "HTTP alternate / proxies"),
    (8088, "Hadoop YARN"),
    (8888, "Jupyter / admin consoles"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch transport"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
    (27018, "MongoDB"),
];

/// How many ports to name before summarising, to keep messages readable.
const MAX_LISTED: usize = 8;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let rules = match r.attr("ingress").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    // port -> the internet sources that reach it
    let mut open: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for rule in rules {
        let world = world_sources(rule);
        if world.is_empty() {
            continue;
        }
        for &(port, _) in HIGH_RISK_PORTS {
            if rule_covers_port(rule, port) {
                let srcs = open.entry(port).or_default();
                for w in &world {
                    if !srcs.contains(w) {
                        srcs.push(w);
                    }
                }
            }
        }
    }
    if open.is_empty() {
        return Outcome::Pass("no high-risk service port is open to 0.0.0.0/0 or ::/0".into());
    }
    let mut parts: Vec<String> = open
        .iter()
        .take(MAX_LISTED)
        .map(|(port, srcs)| {
            let name = HIGH_RISK_PORTS
                .iter()
                .find(|(p, _)| p == port)
                .map_or("", |(_, n)| *n);
            format!("{port} ({name}) from {}", srcs.join(" and "))
        })
        .collect();
    if open.len() > MAX_LISTED {
        parts.push(format!("and {} more", open.len() - MAX_LISTED));
    }
    Outcome::Fail(format!(
        "internet ingress allowed to high-risk port(s): {}",
        parts.join(", ")
    ))
}
