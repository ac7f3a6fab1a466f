//! Prints what the loader makes of a directory or a plan file (a debugging aid).
fn main() {
    let Some(p) = std::env::args().nth(1) else {
        eprintln!("usage: dump <dir|plan.json>");
        return;
    };
    let path = std::path::Path::new(&p);
    let out = if path.is_dir() {
        yagura_terraform::load_module_dir(path, &Default::default())
    } else {
        yagura_terraform::load_plan_json(path)
    };
    for r in &out.resources {
        println!(
            "{} {}:{:?}-{:?} region={:?}\n  {}",
            r.address,
            r.location.file,
            r.location.start_line,
            r.location.end_line,
            r.region,
            serde_json::Value::Object(r.attributes.clone())
        );
    }
    for i in &out.issues {
        println!("ISSUE {i}");
    }
}
