//! Loads every directory with `.tf` files under a root and prints files per second.
use std::path::{Path, PathBuf};

fn dirs(p: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(p) else { return };
    let mut has_tf = false;
    for e in rd.flatten() {
        let path = e.path();
        if path.is_dir() {
            dirs(&path, out);
        } else if path.extension().is_some_and(|x| x == "tf") {
            has_tf = true;
        }
    }
    if has_tf {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: bench <root>");
        return;
    };
    let mut ds = Vec::new();
    dirs(Path::new(&root), &mut ds);
    let t = std::time::Instant::now();
    let (mut files, mut resources, mut issues) = (0, 0, 0);
    for d in &ds {
        let out = yagura_terraform::load_module_dir(d, &Default::default());
        files += out.files.len();
        resources += out.resources.len();
        issues += out.issues.len();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{} dirs, {files} files read, {resources} resources, {issues} issues in {s:.3}s = {:.0} files/s",
        ds.len(),
        files as f64 / s
    );
}
