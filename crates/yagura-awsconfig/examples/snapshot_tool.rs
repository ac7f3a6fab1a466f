//! Small driver for the collector, for benchmarks and for looking at output.
//!
//! ```text
//! cargo run -p yagura-awsconfig --example snapshot_tool -- synth N SEED OUT.json[.gz]
//! cargo run -p yagura-awsconfig --example snapshot_tool -- bench PATH
//! cargo run -p yagura-awsconfig --example snapshot_tool -- dump PATH
//! ```

use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["synth", n, seed, out] => synth(n, seed, out),
        ["bench", path] => bench(path),
        ["dump", path] => dump(path),
        _ => Err("usage: snapshot_tool synth N SEED OUT | bench PATH | dump PATH".into()),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

type Res = Result<(), Box<dyn std::error::Error>>;

fn synth(n: &str, seed: &str, out: &str) -> Res {
    let started = Instant::now();
    let doc = yagura_awsconfig::generate_synthetic_snapshot(n.parse()?, seed.parse()?);
    let text = serde_json::to_vec(&doc)?;
    let mut f = std::fs::File::create(out)?;
    if out.ends_with(".gz") {
        let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        gz.write_all(&text)?;
        gz.finish()?;
    } else {
        f.write_all(&text)?;
    }
    eprintln!(
        "wrote {out}: {} bytes of JSON in {:?}",
        text.len(),
        started.elapsed()
    );
    Ok(())
}

fn bench(path: &str) -> Res {
    if Path::new(path).is_file() {
        let t = Instant::now();
        let raw = std::fs::read(path)?;
        let _v: serde_json::Value = serde_json::from_slice(&raw)?;
        eprintln!(
            "(reference: plain serde_json::Value parse of the file: {:?})",
            t.elapsed()
        );
        let t = Instant::now();
        let items = yagura_awsconfig::parse_file(Path::new(path))?;
        eprintln!(
            "(parse_file alone: {} items in {:?})",
            items.len(),
            t.elapsed()
        );
    }
    let started = Instant::now();
    let c = yagura_awsconfig::collect(Path::new(path))?;
    let elapsed = started.elapsed();
    println!(
        "{} files, {} items -> {} resources, {} not assessed, {} errors in {:?}",
        c.files_read,
        c.items_read,
        c.resources.len(),
        c.not_assessed.len(),
        c.errors.len(),
        elapsed
    );
    Ok(())
}

fn dump(path: &str) -> Res {
    let c = yagura_awsconfig::collect(Path::new(path))?;
    let out = serde_json::json!({
        "resources": c.resources,
        "not_assessed": c.not_assessed,
        "errors": c.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        "files_read": c.files_read,
        "items_read": c.items_read,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
