//! Secret-scanning throughput, single-threaded.
//!
//! ```text
//! cargo run --release -p yagura-secrets --example throughput             # generate ~200 MB, scan
//! cargo run --release -p yagura-secrets --example throughput -- --generate DIR [MB]
//! cargo run --release -p yagura-secrets --example throughput -- PATH      # scan an existing tree
//! ```
//!
//! The generated tree mixes Rust, Python, TypeScript, Go, YAML and Terraform-like
//! lines; one line in 20 carries the credential-ish words real code has (token,
//! secret, password, api_key, URLs), so the keyword prefilter and the regexes fire
//! at a realistic rate. A few planted secrets are checked for detection.

use std::path::{Path, PathBuf};
use std::time::Instant;

use yagura_secrets::{builtin_detectors, Config, SampleKind, Scanner};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const IDENTS: &[&str] = &[
    "user", "account", "request", "response", "config", "buffer", "index", "value", "result",
    "handler", "session", "context", "client", "server", "bucket", "policy", "resource", "item",
    "node", "parser", "cache", "key", "entry", "span", "frame", "table", "schema", "record",
];
/// Ordinary code lines: no credential keyword.
const LINES: &[&str] = &[
    "    let {a} = {b}.get(&{c}).cloned().unwrap_or_default();",
    "    if {a}.len() > {n} {{ return Err(Error::TooLong({a}.len())); }}",
    "def {a}_{b}(self, {c}, timeout={n}):",
    "        return self.{a}.{b}({c}, retries={n})",
    "export function {a}({b}: string, {c}: number): Promise<{a}> {{",
    "func ({a} *{b}) Handle(ctx context.Context, {c} string) error {{",
    "\t{a}, err := {b}.Lookup({c})",
    "  {a}_{b}: \"{c}-{n}\"",
    "resource \"aws_s3_bucket\" \"{a}\" {{ bucket = \"{b}-{n}\" }}",
    "// {a} is the {b} used when the {c} expires after {n} seconds.",
    "    log.info(\"{a} {b} {c}\", {a}_key, {n})",
    "    assert_eq!({a}.{b}, {n});",
    "  - name: {a}-{b}\n    image: registry.internal/{c}:{n}",
    "    SELECT {a}, {b} FROM {c} WHERE id = {n};",
    "",
    "}}",
];
/// Lines with credential-ish words and URLs, as real code has them. One line in
/// 20 comes from here: about 2,000 keyword hits per MB, roughly 3x the density
/// measured on 636 MB of crates.io sources (~750 per MB), so the prefilter and
/// regexes get at least a realistic load.
const KEYWORD_LINES: &[&str] = &[
    "    let token = lexer.next_token()?; // {a}",
    "    {a}.password = hash_password({b}.password, salt={n})",
    "# Rotate the {a} secret via the {b} service; see https://docs.internal/{c}",
    "    url = \"https://{a}.example.com/{b}?page={n}\"",
    "  {a}_api_key: !Ref {b}ApiKeyParameter",
    "    secret_name = f\"{a}/{b}/{c}\"",
    "    headers[\"Authorization\"] = f\"Bearer {{{a}.access_token}}\"",
    "    tokens = tokenizer.tokenize({a}); next_token = tokens[{n}]",
];
fn gen_line(rng: &mut Rng, out: &mut String) {
    let tpl = if rng.next().is_multiple_of(20) {
        rng.pick(KEYWORD_LINES)
    } else {
        rng.pick(LINES)
    };
    let a = rng.pick(IDENTS);
    let b = rng.pick(IDENTS);
    let c = rng.pick(IDENTS);
    let n = (rng.next() % 10_000).to_string();
    // Manual substitution; `{{`/`}}` in the templates stand for literal braces.
    let mut s = tpl.replace("{{", "\u{1}").replace("}}", "\u{2}");
    s = s
        .replace("{a}", a)
        .replace("{b}", b)
        .replace("{c}", c)
        .replace("{n}", &n);
    out.push_str(&s.replace('\u{1}', "{").replace('\u{2}', "}"));
    out.push('\n');
}

const EXTS: &[&str] = &["rs", "py", "ts", "go", "yaml", "tf", "java", "md"];

/// Writes about `mb` megabytes; returns the planted secrets (file, detector id).
fn generate(root: &Path, mb: usize) -> std::io::Result<Vec<(String, &'static str)>> {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let target = mb * 1024 * 1024;
    let mut written = 0usize;
    let mut planted = Vec::new();
    let planted_ids = [
        "aws-access-key-id",
        "github-pat",
        "slack-bot-token",
        "stripe-live-secret-key",
        "private-key-openssh",
        "postgres-url-password",
        "gcp-api-key",
        "npm-access-token",
        "openai-api-key",
        "generic-secret-assignment",
    ];
    let mut file_no = 0usize;
    while written < target {
        let dir = root.join(format!(
            "pkg{:03}/src/mod{:02}",
            file_no / 200,
            (file_no / 20) % 10
        ));
        std::fs::create_dir_all(&dir)?;
        let ext = EXTS[file_no % EXTS.len()];
        let name = format!("file{file_no:05}.{ext}");
        let size = 8_000 + (rng.next() % 60_000) as usize;
        let mut text = String::with_capacity(size + 200);
        while text.len() < size {
            gen_line(&mut rng, &mut text);
        }
        if file_no % 500 == 7 && planted.len() < planted_ids.len() {
            let id = planted_ids[planted.len()];
            if let Some(d) = builtin_detectors().iter().find(|d| d.id == id) {
                let (s, _) = d.sample.render(SampleKind::TruePositive, file_no as u64);
                text.push_str(&s);
                let rel = dir.join(&name);
                let rel = rel
                    .strip_prefix(root)
                    .unwrap_or(&rel)
                    .to_string_lossy()
                    .into_owned();
                planted.push((rel, id));
            }
        }
        written += text.len();
        std::fs::write(dir.join(&name), text)?;
        file_no += 1;
    }
    Ok(planted)
}

fn scan(root: &Path, planted: &[(String, &str)]) -> Result<(), Box<dyn std::error::Error>> {
    let mut cfg = Config::builtin();
    cfg.threads = 1;
    let scanner = Scanner::new(cfg)?;
    // Warm the page cache so the timed run measures the scanner, not the disk.
    let _ = scanner.scan_path(root);
    let t = Instant::now();
    let out = scanner.scan_path(root);
    let secs = t.elapsed().as_secs_f64();
    let mb = out.bytes_scanned as f64 / 1e6;
    println!(
        "yagura scan_path (1 thread): {:.1} MB in {} files, {:.2} s -> {:.0} MB/s, {} findings, {} errors",
        mb,
        out.files_scanned,
        secs,
        mb / secs,
        out.findings.len(),
        out.errors.len()
    );

    // In-memory: pure scanning cost, no file system.
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(root)
        .hidden(false)
        .build()
        .flatten()
    {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            files.push((
                entry.path().display().to_string(),
                std::fs::read(entry.path())?,
            ));
        }
    }
    let total: usize = files.iter().map(|(_, d)| d.len()).sum();
    let t = Instant::now();
    let mut n = 0;
    for (label, data) in &files {
        n += scanner.scan_bytes(label, data).len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "yagura scan_bytes (in memory, 1 core): {:.1} MB, {:.2} s -> {:.0} MB/s, {} findings",
        total as f64 / 1e6,
        secs,
        total as f64 / 1e6 / secs,
        n
    );
    let mut missed = 0;
    for (file, id) in planted {
        if !out
            .findings
            .iter()
            .any(|f| &f.file == file && f.detector_id == *id)
        {
            println!("MISSED planted {id} in {file}");
            missed += 1;
        }
    }
    if !planted.is_empty() {
        println!(
            "planted secrets found: {}/{}",
            planted.len() - missed,
            planted.len()
        );
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mb_arg = |i: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(200usize);
    match args.first().map(String::as_str) {
        Some("--generate") => {
            let dir = PathBuf::from(args.get(1).ok_or("--generate DIR [MB]")?);
            let planted = generate(&dir, mb_arg(2))?;
            let list: Vec<String> = planted.iter().map(|(f, id)| format!("{f}\t{id}")).collect();
            std::fs::write(dir.join("PLANTED.tsv"), list.join("\n") + "\n")?;
            println!("generated {} MB corpus in {}", mb_arg(2), dir.display());
        }
        Some(path) => {
            let root = PathBuf::from(path);
            let planted: Vec<(String, &str)> = std::fs::read_to_string(root.join("PLANTED.tsv"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .filter_map(|(f, id)| {
                    builtin_detectors()
                        .iter()
                        .find(|d| d.id == id)
                        .map(|d| (f.to_string(), d.id))
                })
                .collect();
            scan(&root, &planted)?;
        }
        None => {
            let dir = tempfile::tempdir()?;
            let t = Instant::now();
            let planted = generate(dir.path(), 200)?;
            println!(
                "generated 200 MB corpus in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            scan(dir.path(), &planted)?;
        }
    }
    Ok(())
}
