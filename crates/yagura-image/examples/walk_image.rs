//! Throughput check: walks an image the way a package scanner does and prints
//! timings, counts and peak memory.
//!
//! ```text
//! cargo run --release -p yagura-image --example walk_image -- IMAGE [--all] [--no-verify] [--platform os/arch]
//! ```
//! `--all` reads every file's bytes (as a secret scanner would); by default
//! only package metadata paths are read. `make_bench_image.py` beside this
//! file builds a large test image from the host's own files.

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use yagura_image::{Image, OpenOptions, Platform};

/// Paths whose content a package inventory needs.
fn is_package_metadata(path: &str) -> bool {
    path == "var/lib/dpkg/status"
        || path.starts_with("var/lib/dpkg/status.d/")
        || path == "lib/apk/db/installed"
        || path.ends_with("os-release")
        || (path.ends_with("/METADATA") && path.contains(".dist-info/"))
        || (path.ends_with("/PKG-INFO") && path.contains(".egg-info"))
        || (path.ends_with("/package.json") && path.contains("node_modules/"))
        || path.ends_with(".gemspec")
        || path.ends_with(".jar")
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut read_all = false;
    let mut options = OpenOptions::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--all" => read_all = true,
            "--no-verify" => options.verify_digests = false,
            "--platform" => options.platform = args.next().as_deref().and_then(Platform::parse),
            _ => path = Some(PathBuf::from(arg)),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: walk_image IMAGE [--all] [--no-verify] [--platform os/arch]");
        std::process::exit(2);
    };

    let start = Instant::now();
    let image = match Image::open_with(&path, &options) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let opened = start.elapsed();
    let (mut files, mut file_bytes, mut wanted, mut wanted_bytes) = (0u64, 0u64, 0u64, 0u64);
    let mut buf = vec![0u8; 64 * 1024];
    let overlay = image
        .walk(
            |p, meta| {
                files += 1;
                file_bytes += meta.size;
                read_all || is_package_metadata(p)
            },
            |_, _, _, r: &mut dyn Read| -> std::io::Result<()> {
                wanted += 1;
                loop {
                    let n = r.read(&mut buf)?;
                    if n == 0 {
                        return Ok(());
                    }
                    wanted_bytes += n as u64;
                }
            },
        )
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1);
        });
    let elapsed = start.elapsed();
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!("image        {}", image.info().reference);
    println!("layers       {}", image.info().layers.len());
    println!("open         {:.1} ms", opened.as_secs_f64() * 1000.0);
    println!("walk total   {:.1} ms", secs * 1000.0);
    println!(
        "files        {files} ({:.1} MiB of file data)",
        file_bytes as f64 / 1048576.0
    );
    println!(
        "read         {wanted} files, {:.1} MiB",
        wanted_bytes as f64 / 1048576.0
    );
    println!(
        "throughput   {:.0} MiB/s of file data",
        file_bytes as f64 / 1048576.0 / secs
    );
    println!(
        "overlay      {} events, {} visible files",
        overlay.len(),
        overlay.final_files().count()
    );
    println!("layer errors {}", overlay.errors.len());
    for e in &overlay.errors {
        println!("  {e}");
    }
    if let Some(kib) = peak_rss_kib() {
        println!("peak RSS     {:.1} MiB", kib as f64 / 1024.0);
    }
}
