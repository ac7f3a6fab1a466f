//! Loads every directory with `.tf` files under a root and prints files per second.
//!
//! `bench <root>` measures an existing tree; `bench --generate <dir> <projects>` first
//! writes a synthetic tree (per project: 9 files of 6 buckets, public access blocks and
//! security groups with dynamic blocks, variables, locals and a local module).
use std::fmt::Write as _;
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

fn generate(root: &Path, projects: usize) -> std::io::Result<()> {
    for d in 0..projects {
        let dir = root.join(format!("proj{d}"));
        std::fs::create_dir_all(dir.join("modules/net"))?;
        let mut vars = String::new();
        for i in 0..20 {
            let _ = writeln!(vars, "variable \"v{i}\" {{\n  default = \"val{i}\"\n}}");
        }
        vars.push_str("variable \"env\" {\n  default = \"prod\"\n}\n");
        std::fs::write(dir.join("variables.tf"), vars)?;
        std::fs::write(
            dir.join("locals.tf"),
            "locals {\n  tags = { env = var.env, owner = \"team\" }\n  m = merge(local.tags, { x = upper(var.v1) })\n}\n",
        )?;
        std::fs::write(
            dir.join("modules/net/main.tf"),
            "variable \"cidr\" {}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = var.cidr\n}\nresource \"aws_subnet\" \"s\" {\n  count      = 3\n  vpc_id     = aws_vpc.v.id\n  cidr_block = cidrsubnet(var.cidr, 8, count.index)\n}\noutput \"id\" {\n  value = aws_vpc.v.id\n}\n",
        )?;
        std::fs::write(
            dir.join("mod.tf"),
            format!("module \"net\" {{\n  source = \"./modules/net\"\n  cidr   = \"10.{}.0.0/16\"\n}}\n", d % 250),
        )?;
        for f in 0..9 {
            let mut s = String::new();
            for r in 0..6 {
                let n = format!("b{f}_{r}");
                let _ = write!(
                    s,
                    r#"resource "aws_s3_bucket" "{n}" {{
  bucket = "${{var.v{r}}}-{n}-${{local.tags.env}}"
  tags   = merge(local.tags, {{ Name = "{n}" }})
  versioning {{
    enabled = {ver}
  }}
  server_side_encryption_configuration {{
    rule {{
      apply_server_side_encryption_by_default {{
        sse_algorithm = "aws:kms"
      }}
    }}
  }}
}}
resource "aws_s3_bucket_public_access_block" "{n}" {{
  bucket                  = aws_s3_bucket.{n}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = {ver}
}}
resource "aws_security_group" "{n}" {{
  name   = "sg-{n}"
  vpc_id = module.net.id
  dynamic "ingress" {{
    for_each = [22, 443, 8080]
    content {{
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }}
  }}
}}
"#,
                    ver = (f + r) % 2 == 0
                );
            }
            std::fs::write(dir.join(format!("main{f}.tf")), s)?;
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = match args.get(1).map(String::as_str) {
        Some("--generate") => {
            let (Some(dir), Some(n)) = (args.get(2), args.get(3).and_then(|n| n.parse().ok()))
            else {
                eprintln!("usage: bench --generate <dir> <projects>");
                return;
            };
            if let Err(e) = generate(Path::new(dir), n) {
                eprintln!("generate: {e}");
                return;
            }
            dir.clone()
        }
        Some(r) => r.to_string(),
        None => {
            eprintln!("usage: bench <root> | bench --generate <dir> <projects>");
            return;
        }
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
