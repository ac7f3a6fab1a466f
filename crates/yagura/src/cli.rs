use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "yagura",
    version,
    about = "Cloud-native application protection: cloud posture, IaC and workloads in one tool"
)]
pub struct Cli {
    /// More logs on stderr (-v, -vv, -vvv). `YAGURA_LOG` takes a tracing filter.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The advisory database (separate from the findings store `--db`).
    /// Default: advisories.db in the user's data folder.
    #[arg(long, env = "YAGURA_VULN_DB", global = true, value_name = "PATH")]
    pub vuln_db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan targets. With no target: everything found on this machine.
    Scan(ScanCmd),
    /// The built-in check catalogue.
    #[command(subcommand)]
    Checks(ChecksCmd),
    /// Stored findings and scans.
    #[command(subcommand)]
    Findings(FindingsCmd),
    /// Compliance frameworks and their pass rates.
    #[command(subcommand)]
    Frameworks(FrameworksCmd),
    /// Apply remediations for allowlisted checks (never without an allowlist).
    Fix(FixCmd),
    /// The packages of a folder, root file system, image or the host, as an SBOM.
    Sbom(SbomCmd),
    /// The advisory database used by vulnerability scans.
    #[command(subcommand)]
    Db(DbCmd),
    /// Agents that run on a host: the runtime sensor.
    #[command(subcommand)]
    Agent(AgentCmd),
    /// Runtime rule tools: replay recordings, list rules.
    #[command(subcommand)]
    Runtime(RuntimeCmd),
    /// Files the malware agent moved aside: list them, or put one back.
    #[command(subcommand)]
    Quarantine(QuarantineCmd),
}

#[derive(Subcommand, Debug)]
pub enum QuarantineCmd {
    /// Quarantined files with their original path, hash, rule and time.
    List {
        /// The quarantine folder (default: /var/lib/yagura/quarantine as root,
        /// else yagura/quarantine in the user's data folder).
        #[arg(long, env = "YAGURA_QUARANTINE")]
        dir: Option<PathBuf>,
        /// table or json
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
    },
    /// Moves a quarantined file back (to its original path unless --to is given)
    /// with its original mode and owner; never overwrites an existing file.
    Restore {
        id: String,
        #[arg(long)]
        to: Option<PathBuf>,
        #[arg(long, env = "YAGURA_QUARANTINE")]
        dir: Option<PathBuf>,
    },
}

/// Signatures and limits shared by `scan malware` and `agent malware`.
#[derive(Args, Debug, Clone, Default)]
pub struct MalwareArgs {
    /// Folders or files of signatures: YARA rules (.yar, .yara) and hash
    /// signatures (ClamAV .hdb/.hsb, SHA-256 lists .sha256). Repeatable.
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Leave out yagura's own signatures.
    #[arg(long)]
    pub no_builtin_rules: bool,
    /// Compile rules every time instead of using the on-disk cache.
    #[arg(long)]
    pub no_rule_cache: bool,
    /// Scanning threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Files up to this size are scanned whole; larger ones in blocks with the
    /// rules that allow it (patterns only).
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_file_size: u64,
    /// Files larger than this are skipped (and listed as not scanned).
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 30)]
    pub max_scan_size: u64,
    /// Scan time limit per file or archive member.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Do not look inside archives (zip, tar, gz, bz2, xz, zstd).
    #[arg(long)]
    pub no_archives: bool,
    /// Archive nesting depth.
    #[arg(long, default_value_t = 6)]
    pub max_depth: u32,
    /// Bytes expanded from one archive before it is reported as a bomb.
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 30)]
    pub max_expanded: u64,
    /// Members visited per archive.
    #[arg(long, default_value_t = 200_000)]
    pub max_files: u64,
}

#[derive(Args, Debug)]
pub struct AgentMalwareArgs {
    /// Folders (or files) to protect, recursively. Repeatable.
    #[arg(long = "watch", value_name = "PATH", required = true)]
    pub watch: Vec<PathBuf>,
    #[command(flatten)]
    pub malware: MalwareArgs,
    /// Deny access when the scanner is behind or cannot decide (default: allow and alert).
    #[arg(long)]
    pub fail_closed: bool,
    /// Check program execution only, not every open.
    #[arg(long)]
    pub exec_only: bool,
    /// Move denied files to the quarantine folder.
    #[arg(long)]
    pub quarantine: bool,
    /// The quarantine folder (see `yagura quarantine list --help`).
    #[arg(long, env = "YAGURA_QUARANTINE")]
    pub quarantine_dir: Option<PathBuf>,
    /// Scan queue length; beyond it the agent fails open (or closed).
    #[arg(long, default_value_t = 256)]
    pub queue: usize,
    /// Also report clean verdicts (each first scan of a file).
    #[arg(long)]
    pub report_clean: bool,
    /// Decisions as JSON lines to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Stop after this many seconds.
    #[arg(long)]
    pub duration: Option<f64>,
    /// The findings store (SQLite).
    #[arg(long, env = "YAGURA_DB")]
    pub db: Option<PathBuf>,
    /// Do not save the run's detections to the store.
    #[arg(long)]
    pub no_store: bool,
}

#[derive(Subcommand, Debug)]
pub enum AgentCmd {
    /// On-access malware protection with fanotify: opens and execs of files
    /// that match a signature are denied (needs root).
    Malware(AgentMalwareArgs),
    /// Runtime threat detection and response with eBPF (root; Linux with BTF).
    Runtime(AgentRuntimeArgs),
}

/// Which rules to load.
#[derive(Args, Debug, Clone)]
pub struct RuleArgs {
    /// Falco-format rule files or folders of them (loaded after the default ruleset,
    /// so they can append to or override its items).
    #[arg(long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not load yagura's default ruleset.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Load the rules that parse and list the ones that do not, instead of refusing to start.
    #[arg(long)]
    pub skip_invalid_rules: bool,
    /// Leave out rules less severe than this (emergency … debug).
    #[arg(long, default_value = "debug")]
    pub min_priority: String,
    /// Leave out a rule by name (repeatable).
    #[arg(long = "disable-rule", value_name = "NAME")]
    pub disable_rules: Vec<String>,
    /// Set a rule's response: `RULE=kill` (SIGKILL in the kernel at syscall entry),
    /// `RULE=kill-process` (from user space) or `RULE=log` (repeatable).
    #[arg(long = "response", value_name = "RULE=ACTION")]
    pub responses: Vec<String>,
}

#[derive(Args, Debug)]
pub struct AgentRuntimeArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Write alerts (JSON lines) to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// POST each alert as JSON to this URL (repeatable).
    #[arg(long = "webhook", value_name = "URL")]
    pub webhooks: Vec<String>,
    /// Send alerts to syslog (RFC 5424): `unix:/dev/log` or `udp:HOST:PORT` (repeatable).
    #[arg(long = "syslog", value_name = "TARGET")]
    pub syslog: Vec<String>,
    /// Serve Prometheus metrics on this address, e.g. 127.0.0.1:9464.
    #[arg(long)]
    pub metrics_addr: Option<String>,
    /// Record every event to this file, for `yagura runtime replay`.
    #[arg(long)]
    pub record: Option<PathBuf>,
    /// Show what responses would do; kill nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop after this many seconds (default: until SIGINT/SIGTERM).
    #[arg(long)]
    pub duration: Option<f64>,
    /// The findings store (SQLite): when the agent stops, its alerts are saved there
    /// as findings of a `runtime` scan. Default: yagura.db in the user's data folder.
    #[arg(long, env = "YAGURA_DB")]
    pub db: Option<PathBuf>,
    /// Do not save findings to the store.
    #[arg(long)]
    pub no_store: bool,
    /// Kernel ring buffer size in bytes (power of two; default 16777216). Larger
    /// absorbs longer bursts; lost records are counted and alerted on.
    #[arg(long, value_name = "BYTES")]
    pub ring_buffer_size: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum RuntimeCmd {
    /// Evaluate the rules over a recording made with `agent runtime --record`.
    Replay {
        /// The recording.
        file: PathBuf,
        #[command(flatten)]
        rules: RuleArgs,
        /// Write alerts to this file instead of stdout.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Measure the engine instead: evaluate the events in memory this many
        /// times on one thread, print events/s, write no alerts.
        #[arg(long, value_name = "PASSES")]
        bench: Option<u32>,
    },
    /// List the rules that load, and those skipped with why.
    Rules {
        #[command(flatten)]
        rules: RuleArgs,
        /// table or json
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
    },
}

#[derive(Args, Debug)]
pub struct SbomCmd {
    /// A folder, root file system, image (docker-archive or OCI layout), lockfile, or `host`.
    #[arg(default_value = ".")]
    pub target: PathBuf,
    /// cyclonedx (CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON).
    #[arg(long, short = 'f', default_value = "cyclonedx")]
    pub format: String,
    /// Output file. Default: stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Project configuration (for exclude_paths; default ./yagura.yaml).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum DbCmd {
    /// Download OSV's advisory exports for the ecosystems in use and swap the
    /// new database in atomically.
    Update {
        /// Ecosystems to fetch (OSV names: PyPI, npm, crates.io, Debian, Alpine…).
        /// Default: those already in the database, else those found on this host
        /// and in the current folder.
        #[arg(long = "ecosystem", value_delimiter = ',')]
        ecosystems: Vec<String>,
        /// Base URL of the export bucket or a mirror (`<base>/<ecosystem>/all.zip`).
        #[arg(
            long,
            env = "YAGURA_OSV_URL",
            default_value = "https://osv-vulnerabilities.storage.googleapis.com"
        )]
        url: String,
    },
    /// Import OSV export zips, folders of OSV JSON/YAML, or a RustSec advisory-db
    /// checkout (offline and air-gapped machines).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// The database's age and its record counts per ecosystem.
    Status {
        /// table or json
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
    },
}

#[derive(Args, Debug)]
pub struct ScanCmd {
    #[command(subcommand)]
    pub target: Option<ScanTarget>,
    #[command(flatten)]
    pub common: CommonScanArgs,
}

#[derive(Subcommand, Debug)]
pub enum ScanTarget {
    /// A live AWS account (or an organization) through the AWS API.
    Aws {
        #[command(flatten)]
        aws: AwsArgs,
    },
    /// AWS Config snapshot / configuration-history files (.json or .json.gz; a file or a folder).
    AwsConfig { path: PathBuf },
    /// Infrastructure as code before deploy: Terraform (HCL and plan JSON),
    /// CloudFormation, Kubernetes manifests (and Helm output on stdin), Dockerfiles.
    /// Secrets in the same files are scanned too.
    Iac {
        /// Files or folders; `-` reads one document from stdin (e.g. `helm template . | yagura scan iac -`).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        iac: IacArgs,
        #[command(flatten)]
        secrets: SecretsArgs,
        /// Do not scan for secrets.
        #[arg(long)]
        no_secrets: bool,
    },
    /// Malware: YARA rules and hash signatures over files and folders (into
    /// archives), the host (--host) and container images (docker-archive or OCI).
    Malware {
        /// Files, folders or images. Default: the current folder (unless --host).
        targets: Vec<PathBuf>,
        /// Scan this host from / (pseudo file systems such as /proc are skipped).
        #[arg(long)]
        host: bool,
        #[command(flatten)]
        malware: MalwareArgs,
    },
    /// Vulnerable packages in folders, root file systems, images (docker-archive
    /// or OCI layout), lockfiles and SBOM documents (CycloneDX, SPDX).
    Vuln {
        #[arg(default_value = ".")]
        targets: Vec<PathBuf>,
        #[command(flatten)]
        vuln: VulnArgs,
    },
    /// Every scanner that applies to a container image (docker-archive tar or
    /// OCI layout): vulnerabilities and secrets.
    Image {
        image: PathBuf,
        #[command(flatten)]
        vuln: VulnArgs,
        /// Do not scan the image's files for secrets.
        #[arg(long)]
        no_secrets: bool,
    },
    /// The running host: its OS and language packages.
    Host {
        #[command(flatten)]
        vuln: VulnArgs,
    },
    /// Secrets (API keys, tokens, private keys, passwords) in files, and with
    /// `--git-history` in every commit of a git repository.
    Secrets {
        /// Files or folders (default: the current folder).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        secrets: SecretsArgs,
    },
}

#[derive(Args, Debug, Clone, Default)]
pub struct IacArgs {
    /// Terraform variable, as with `terraform plan -var` (repeatable): `-var region=eu-west-1`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Terraform variable file, as with `-var-file` (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// CloudFormation parameter value (repeatable): `--cfn-parameter Env=prod`.
    #[arg(long = "cfn-parameter", value_name = "NAME=VALUE")]
    pub cfn_parameters: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct VulnArgs {
    /// Leave out vulnerabilities that no released version fixes yet.
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// OpenVEX or CycloneDX VEX documents marking vulnerabilities not_affected or fixed (repeatable).
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// Check every image layer's blob digest and diff ID while reading (reads
    /// every byte of every layer; off by default for speed).
    #[arg(long)]
    pub verify_layers: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct SecretsArgs {
    /// A gitleaks-format TOML rule file to use instead of the built-in detectors
    /// (`[extend] useDefault = true` adds the built-ins back).
    #[arg(long, value_name = "FILE")]
    pub secrets_config: Option<PathBuf>,
    /// Scan every commit of the git repository at each path, not only the files.
    #[arg(long)]
    pub git_history: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct AwsArgs {
    /// AWS CLI profile to use (default: the AWS CLI's own resolution).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Regions to scan (default: every enabled region).
    #[arg(long, value_delimiter = ',')]
    pub region: Vec<String>,
    /// Send API calls here instead of AWS (an emulator, a VPC endpoint…).
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    pub endpoint_url: Option<String>,
    /// Scan every active account of the AWS Organization.
    #[arg(long)]
    pub org: bool,
    /// The role assumed in each member account.
    #[arg(long, default_value = "OrganizationAccountAccessRole")]
    pub role_name: String,
    /// Scan these accounts (assuming --role-name in each) instead of listing the organization.
    #[arg(long, value_delimiter = ',')]
    pub accounts: Vec<String>,
    /// Concurrent API calls per service and account.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Attempts per API call, the first included (adaptive retry with backoff on throttling).
    #[arg(long, default_value_t = 3)]
    pub max_attempts: u32,
}

#[derive(Args, Debug, Clone, Default)]
pub struct CommonScanArgs {
    /// Output formats, comma-separated: table, json, ocsf, asff, sarif, csv, html, junit;
    /// vulnerability scans also cyclonedx (CycloneDX 1.6 with vulnerabilities).
    #[arg(long, short = 'f', value_delimiter = ',', global = true)]
    pub format: Vec<String>,
    /// Output file (one format) or folder (several). Default: stdout.
    #[arg(long, short = 'o', global = true)]
    pub output: Option<PathBuf>,
    /// Exit 1 when an open (unmuted) failure has at least this severity.
    #[arg(long, global = true)]
    pub fail_on: Option<String>,
    /// The findings store (SQLite). Default: yagura.db in the user's data folder.
    #[arg(long, env = "YAGURA_DB", global = true)]
    pub db: Option<PathBuf>,
    /// Do not write the scan to the store.
    #[arg(long, global = true)]
    pub no_store: bool,
    /// Project configuration (default: ./yagura.yaml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Folders of Rego policies to evaluate as well.
    #[arg(long, global = true)]
    pub policy_dir: Vec<PathBuf>,
    /// Only these checks (codes or globs, comma-separated).
    #[arg(long, value_delimiter = ',', global = true)]
    pub checks: Vec<String>,
    /// Skip these checks (codes or globs, comma-separated).
    #[arg(long, value_delimiter = ',', global = true)]
    pub skip_checks: Vec<String>,
    /// List passing findings in the table too.
    #[arg(long, global = true)]
    pub show_passed: bool,
}

#[derive(Subcommand, Debug)]
pub enum ChecksCmd {
    /// Every check: code, severity, resource kind, title.
    List {
        /// table or json
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
        /// Only checks whose code matches this glob (AWS-S3-*).
        #[arg(long)]
        filter: Option<String>,
    },
    /// One check in full: rationale, remediation, frameworks.
    Show { code: String },
}

#[derive(Subcommand, Debug)]
pub enum FindingsCmd {
    /// New, resolved and unchanged failures between two scans of the same scope.
    Diff {
        /// Older scan id (or prefix). Default: the second-latest scan of --scope.
        from: Option<String>,
        /// Newer scan id (or prefix). Default: the latest scan of --scope.
        to: Option<String>,
        /// The scope to compare (e.g. aws:123456789012). Default: the latest scan's scope.
        #[arg(long)]
        scope: Option<String>,
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
        #[arg(long, env = "YAGURA_DB")]
        db: Option<PathBuf>,
    },
    /// Stored scans, newest first.
    Scans {
        #[arg(long)]
        scope: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, env = "YAGURA_DB")]
        db: Option<PathBuf>,
    },
    /// Render a stored scan again, in any format.
    Show {
        /// Scan id or prefix (default: the latest).
        scan: Option<String>,
        #[command(flatten)]
        common: CommonScanArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum FrameworksCmd {
    /// The embedded frameworks.
    List,
    /// Pass rate per control of one framework, from a stored scan.
    Report {
        /// Framework id (cis-aws-3.0, nist-800-53-r5, pci-dss-4.0).
        framework: String,
        /// Scan id or prefix (default: the latest).
        #[arg(long)]
        scan: Option<String>,
        #[arg(long, env = "YAGURA_DB")]
        db: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct FixCmd {
    /// Checks to remediate (also taken from `fix.allow` in yagura.yaml). Only these are touched.
    #[arg(long = "check", value_delimiter = ',')]
    pub checks: Vec<String>,
    /// Print the exact API calls; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Fix the failures of this stored scan (default: scan the account now).
    #[arg(long)]
    pub scan: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long, env = "YAGURA_DB")]
    pub db: Option<PathBuf>,
}
