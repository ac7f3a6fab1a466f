//! Terraform HCL and plan JSON: parse, evaluate (variables, locals, modules,
//! count/for_each) into [`RawResource`]s.
//!
//! # Semantics
//!
//! * **Root module**: every `*.tf` and `*.tf.json` file of a directory
//!   ([`load_module_dir`]) or the given files ([`load_files`]). Files that do not parse
//!   (or are not UTF-8, or exceed 16 MiB) become [`ParseIssue`]s with file and line;
//!   the other files still load.
//! * **Variables**: default < `terraform.tfvars` < `terraform.tfvars.json` <
//!   `*.auto.tfvars(.json)` (lexical order) < [`Options::var_files`] < [`Options::vars`],
//!   like Terraform. A `-var` value is an HCL expression unless the variable is of type
//!   `string` (then the raw text). A variable without any value is
//!   `unknown("var.x")`, never guessed.
//! * **Expressions**: locals, templates (interpolation, `%{if}`/`%{for}`, strip
//!   markers, heredocs), conditionals, operators, for-expressions, splats, indexes and
//!   the common built-in functions (see `funcs.rs`). Any unknown input makes the
//!   result unknown, keeping the expression text and, when all unknown inputs come from
//!   one resource, its `$ref`. Evaluation errors become issues and the value unknown.
//! * **Resources and data sources**: one [`RawResource`] per instance; `count` gives
//!   `type.name[0]`, `for_each` gives `type.name["key"]` (maps, and sets of strings),
//!   an unknown `count`/`for_each` gives one instance `type.name[*]` whose
//!   `count.index`/`each.*` are unknown. Nested blocks (and `dynamic` blocks, with
//!   `iterator`) become arrays of objects. Meta-arguments (`count`, `for_each`,
//!   `provider`, `depends_on`, `lifecycle`, `provisioner`, `connection`) are not
//!   attributes. Data sources keep `type_name` = the data type and have an address
//!   starting with `data.`.
//! * **References**: `aws_s3_bucket.b.bucket` gives the evaluated argument when it is
//!   written; any other attribute (`id`, `arn`) is
//!   `unknown_ref("aws_s3_bucket.b.id", "aws_s3_bucket.b")` (module prefix in the
//!   address inside modules, instance key when indexed). References are evaluated
//!   on demand, so in dependency order; a cycle becomes an issue and the value unknown.
//! * **`data "aws_iam_policy_document"`**: `json` (and `minified_json`) is the policy
//!   rendered as the provider does (statement blocks, principals, conditions,
//!   `source_policy_documents`, `override_policy_documents`), unknown if any input is.
//! * **Modules**: local sources (`./`, `../`) and modules listed in
//!   `.terraform/modules/modules.json`; inputs are evaluated in the caller, outputs are
//!   read with `module.x.out`, resources inside are addressed `module.x.type.name`
//!   with their own files; module `count`/`for_each`. A module not downloaded, a
//!   cyclic source or nesting deeper than 32 is an issue and its outputs are unknown.
//! * **Providers**: a known `region` (and a single `allowed_account_ids` entry as
//!   `account`) of an `aws` provider block is copied onto the resources that use it
//!   (`provider = aws.alias` honoured; child modules inherit the default configuration
//!   or get the `providers` map).
//! * **Variable types**: values are converted to the declared type where Terraform
//!   would (`"5"` to a number, lists to sets) and missing `optional(type, default)`
//!   object attributes are filled.
//! * **Files**: `path.module` is relative to the root module directory (Terraform's
//!   working directory); `file()`/`templatefile()` resolve relative paths from the
//!   root, then from the module directory, and only read files inside those
//!   directories (anything else is unknown: a scanned configuration must not pull
//!   files of the scanning machine into a report).
//! * **JSON syntax** (`*.tf.json`): strings are templates; an object (or list of
//!   objects) inside a resource is a nested block unless its key is a usual map
//!   argument (`tags`, `labels`, ...). Resource lines are found textually.
//! * **Plan JSON** ([`load_plan_json`]): `planned_values` of the root and child
//!   modules; `resource_changes[].change.after_unknown` paths become unknown markers
//!   (`unknown("<address>.<path>")`), or `unknown_ref("<reference>", "<address>")`
//!   when the argument's `configuration` expression references exactly one resource
//!   (followed through module inputs/outputs and `each.value`; see `plan.rs`), so
//!   companions of new resources still join; a literal `region` of the `aws` provider in
//!   `configuration.provider_config` is copied; the location is the plan file
//!   without lines.
//! * **Output**: resources sorted by file and line; `files` lists every file read
//!   (configuration, tfvars, `modules.json`, module files), so a caller can avoid
//!   scanning module directories twice.
//! * **Limits** (each reported as an issue, never a panic or a hang): files over
//!   16 MiB, bracket nesting over 256 (the parser itself stops at 64), evaluation
//!   nesting over 400 (expressions plus followed references), values over about
//!   8 MiB, 10,000 instances per `count`/`for_each`, 200,000 instances per load,
//!   modules nested deeper than 32.
//!
//! * **Override files** (`override.tf`, `*_override.tf`): merged after the other
//!   files; their arguments replace the original's, their nested blocks replace all
//!   blocks of that type; locals, variable defaults/types and outputs are replaced.
//!
//! Not supported: type validation, `validation`/`precondition` blocks; `TF_VAR_`
//! environment variables; downloading remote modules (run `terraform init`);
//! `provider::` functions and the hashing, time, uuid and `formatdate`
//! functions (their results are unknown); `self` (provisioners are skipped);
//! attributes of data sources other than `aws_iam_policy_document.json` (unknown with
//! `$ref`); provider region/account for providers other than `aws`; a module input
//! that depends on one of the same module's outputs (reported as a cycle, Terraform
//! accepts it); `import`, `moved`, `removed` and `check` blocks (ignored). A
//! `for_each` over a list, which Terraform rejects, is taken as a set.

mod eval;
mod funcs;
mod iam;
mod json;
mod module;
mod plan;
mod types;
mod val;

use module::{Engine, FileSrc, Inst, Loader, ModuleDef, VarInput};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
pub use yagura_model::iac::{ParseIssue, RawResource};

/// Files larger than this are skipped with an issue.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
/// Bracket nesting beyond this is refused before parsing (the parser recurses).
const MAX_NESTING: usize = 256;
/// Stack for parsing and evaluation threads; deep (but capped) recursion stays safe.
const STACK_SIZE: usize = 64 * 1024 * 1024;

#[derive(Debug, Default, Clone)]
pub struct Options {
    /// `-var k=v`: the value is parsed like Terraform does (HCL expression, else string).
    pub vars: Vec<(String, String)>,
    /// `-var-file`, applied after the automatically loaded tfvars files.
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Default, Clone)]
pub struct Output {
    pub resources: Vec<RawResource>,
    pub issues: Vec<ParseIssue>,
    /// Files read (configuration, tfvars, module files).
    pub files: Vec<PathBuf>,
}

/// Loads the root module in `dir` (all `*.tf` and `*.tf.json`), its tfvars and modules.
pub fn load_module_dir(dir: &Path, opts: &Options) -> Output {
    with_big_stack(|| load_root(dir, None, opts))
}

/// Loads the given files as one root module (their directory is the module directory).
pub fn load_files(files: &[PathBuf], opts: &Options) -> Output {
    let dir = files
        .first()
        .and_then(|f| f.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    with_big_stack(|| load_root(&dir, Some(files), opts))
}

/// Loads `terraform show -json` plan output.
pub fn load_plan_json(path: &Path) -> Output {
    with_big_stack(|| plan::load(path))
}

/// True when `text` looks like `terraform show -json` plan output.
pub fn is_plan_json(text: &str) -> bool {
    plan::is_plan_json(text)
}

fn with_big_stack(f: impl FnOnce() -> Output + Send) -> Output {
    // The closure comes back when the thread cannot be created, to run here instead.
    let f = std::sync::Mutex::new(Some(f));
    let r = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, || f.lock().ok().and_then(|mut g| g.take()).map(|f| f()))
            .map(|h| h.join())
    });
    match r {
        Ok(Ok(Some(out))) => out,
        Err(_) => match f.into_inner().ok().flatten() {
            Some(f) => f(),
            None => Output::default(),
        },
        _ => Output {
            issues: vec![ParseIssue {
                file: String::new(),
                line: None,
                message: "internal error while loading Terraform".into(),
            }],
            ..Output::default()
        },
    }
}

fn issue(path: &Path, line: Option<u32>, message: impl Into<String>) -> ParseIssue {
    ParseIssue {
        file: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Reads a source file, refusing files over [`MAX_FILE_SIZE`], binary and
/// non-UTF-8 files with an issue naming the file (and the line of the first bad
/// byte). The IaC scanner reads every format through this.
pub fn read_source(path: &Path) -> Result<String, ParseIssue> {
    let meta = std::fs::metadata(path).map_err(|e| issue(path, None, e.to_string()))?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(issue(path, None, "file larger than 16 MiB, skipped"));
    }
    let bytes = std::fs::read(path).map_err(|e| issue(path, None, e.to_string()))?;
    if bytes.contains(&0) {
        return Err(issue(path, None, "binary file, skipped"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        issue(path, Some(line as u32), "file is not valid UTF-8, skipped")
    })
}

/// Deepest bracket nesting, roughly (strings are not skipped: this is only a cap).
fn nesting(src: &str) -> usize {
    let (mut d, mut max) = (0usize, 0usize);
    for b in src.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                d += 1;
                max = max.max(d);
            }
            b')' | b']' | b'}' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Parses one HCL or JSON configuration file.
fn parse_file(path: &Path) -> Result<(FileSrc, hcl_edit::structure::Body), ParseIssue> {
    let src = read_source(path)?;
    let display = path.display().to_string();
    if nesting(&src) > MAX_NESTING {
        return Err(issue(path, None, "nesting deeper than 256 levels, skipped"));
    }
    if path.to_string_lossy().ends_with(".json") {
        let (body, lines) = json::to_body(&src).map_err(|(line, m)| issue(path, line, m))?;
        let mut f = FileSrc::new(display, src);
        f.json_lines = Some(lines);
        return Ok((f, body));
    }
    match hcl_edit::parser::parse_body(&src) {
        Ok(body) => Ok((FileSrc::new(display, src), body)),
        Err(e) => {
            let msg = e.message().to_string();
            Err(issue(
                path,
                Some(e.location().line() as u32),
                format!("syntax error: {msg}"),
            ))
        }
    }
}

/// Parses files, in parallel when there are several.
fn parse_all(paths: &[PathBuf]) -> Vec<Result<(FileSrc, hcl_edit::structure::Body), ParseIssue>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(paths.len());
    if threads <= 1 || paths.len() < 4 {
        return paths.iter().map(|p| parse_file(p)).collect();
    }
    let chunk = paths.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|c| {
                let h = std::thread::Builder::new()
                    .stack_size(STACK_SIZE / 4)
                    .spawn_scoped(s, move || {
                        c.iter().map(|p| parse_file(p)).collect::<Vec<_>>()
                    });
                (c, h)
            })
            .collect();
        let mut out = Vec::with_capacity(paths.len());
        for (c, h) in handles {
            match h.map(|h| h.join()) {
                Ok(Ok(v)) => out.extend(v),
                _ => out.extend(c.iter().map(|p| Err(issue(p, None, "parser failed")))),
            }
        }
        out
    })
}

/// `*.tf` and `*.tf.json` files of a directory, sorted.
fn config_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            // Not `is_file()`: a dangling symlink must fail to read and be reported,
            // as Terraform itself fails, rather than vanish.
            (n.ends_with(".tf") || n.ends_with(".tf.json")) && !n.starts_with('.') && !p.is_dir()
        })
        .collect();
    files.sort();
    Ok(files)
}

struct DirLoader {
    cache: RefCell<HashMap<PathBuf, Rc<ModuleDef>>>,
    issues: RefCell<Vec<ParseIssue>>,
    files: RefCell<Vec<PathBuf>>,
}

impl DirLoader {
    fn build(&self, dir: &Path, paths: &[PathBuf]) -> Rc<ModuleDef> {
        let mut parsed = Vec::with_capacity(paths.len());
        let mut issues = Vec::new();
        for (p, r) in paths.iter().zip(parse_all(paths)) {
            self.files.borrow_mut().push(p.clone());
            match r {
                Ok(x) => parsed.push(x),
                Err(i) => issues.push(i),
            }
        }
        let def = ModuleDef::build(dir.to_path_buf(), parsed, &mut issues);
        self.issues.borrow_mut().extend(issues);
        Rc::new(def)
    }
}

impl Loader for DirLoader {
    fn load_dir(&self, dir: &Path) -> Result<Rc<ModuleDef>, String> {
        let key = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if let Some(d) = self.cache.borrow().get(&key) {
            return Ok(d.clone());
        }
        let files = config_files(dir)?;
        let def = self.build(dir, &files);
        self.cache.borrow_mut().insert(key, def.clone());
        Ok(def)
    }
}

/// `.terraform/modules/modules.json`: module key (`a.b`) → directory.
fn modules_json(
    root: &Path,
    issues: &mut Vec<ParseIssue>,
    files: &mut Vec<PathBuf>,
) -> HashMap<String, PathBuf> {
    let path = root.join(".terraform/modules/modules.json");
    let mut out = HashMap::new();
    if !path.is_file() {
        return out;
    }
    files.push(path.clone());
    let text = match read_source(&path) {
        Ok(t) => t,
        Err(i) => {
            issues.push(i);
            return out;
        }
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => {
            for m in v
                .get("Modules")
                .and_then(|m| m.as_array())
                .into_iter()
                .flatten()
            {
                if let (Some(k), Some(d)) = (
                    m.get("Key").and_then(|x| x.as_str()),
                    m.get("Dir").and_then(|x| x.as_str()),
                ) {
                    if !k.is_empty() {
                        out.insert(k.to_string(), root.join(d));
                    }
                }
            }
        }
        Err(e) => issues.push(issue(
            &path,
            Some(e.line() as u32),
            format!("invalid JSON: {e}"),
        )),
    }
    out
}

/// Values from a tfvars file (HCL or JSON).
fn read_tfvars(path: &Path, issues: &mut Vec<ParseIssue>) -> Vec<(String, serde_json::Value)> {
    let text = match read_source(path) {
        Ok(t) => t,
        Err(i) => {
            issues.push(i);
            return Vec::new();
        }
    };
    if path.to_string_lossy().ends_with(".json") {
        return match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(m)) => m.into_iter().collect(),
            Ok(_) => {
                issues.push(issue(path, None, "tfvars JSON must be an object"));
                Vec::new()
            }
            Err(e) => {
                issues.push(issue(
                    path,
                    Some(e.line() as u32),
                    format!("invalid JSON: {e}"),
                ));
                Vec::new()
            }
        };
    }
    if nesting(&text) > MAX_NESTING {
        issues.push(issue(path, None, "nesting deeper than 256 levels, skipped"));
        return Vec::new();
    }
    match hcl_edit::parser::parse_body(&text) {
        Ok(body) => {
            let f = FileSrc::new(path.display().to_string(), text.clone());
            module::eval_tfvars(&f, &body, issues)
        }
        Err(e) => {
            issues.push(issue(
                path,
                Some(e.location().line() as u32),
                format!("syntax error: {}", e.message()),
            ));
            Vec::new()
        }
    }
}

fn load_root(dir: &Path, files: Option<&[PathBuf]>, opts: &Options) -> Output {
    let loader = DirLoader {
        cache: RefCell::new(HashMap::new()),
        issues: RefCell::new(Vec::new()),
        files: RefCell::new(Vec::new()),
    };
    let mut issues = Vec::new();
    let mut read = Vec::new();
    let def = match files {
        Some(f) => loader.build(dir, f),
        None => match config_files(dir) {
            Ok(f) => {
                let def = loader.build(dir, &f);
                if let Ok(k) = std::fs::canonicalize(dir) {
                    loader.cache.borrow_mut().insert(k, def.clone());
                }
                def
            }
            Err(m) => {
                issues.push(issue(dir, None, m));
                loader.build(dir, &[])
            }
        },
    };

    // Variable values in Terraform's precedence order; later entries win.
    let mut tfvars: Vec<PathBuf> = Vec::new();
    if files.is_none() {
        for n in ["terraform.tfvars", "terraform.tfvars.json"] {
            let p = dir.join(n);
            if p.is_file() {
                tfvars.push(p);
            }
        }
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut auto: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default();
                    n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                })
                .collect();
            auto.sort();
            tfvars.extend(auto);
        }
    }
    tfvars.extend(opts.var_files.iter().cloned());
    let mut inputs: HashMap<String, VarInput> = HashMap::new();
    for p in &tfvars {
        read.push(p.clone());
        for (k, v) in read_tfvars(p, &mut issues) {
            inputs.insert(k, VarInput::Value(v));
        }
    }
    for (k, v) in &opts.vars {
        inputs.insert(k.clone(), VarInput::Raw(v.clone()));
    }

    let mj = modules_json(dir, &mut issues, &mut read);
    let engine = Engine::new(dir.to_path_buf(), &loader, mj);
    let stack = vec![std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())];
    let root = Inst::new(
        &engine,
        def,
        String::new(),
        String::new(),
        inputs,
        HashMap::new(),
        stack,
    );
    root.run();
    drop(root);

    let Engine {
        out,
        issues: eng_issues,
        ..
    } = engine;
    let mut resources = out.into_inner();
    resources.sort_by(|a, b| {
        (&a.location.file, a.location.start_line).cmp(&(&b.location.file, b.location.start_line))
    });
    let mut all_issues = loader.issues.into_inner();
    all_issues.extend(issues);
    all_issues.extend(eng_issues.into_inner());
    let mut files_read = loader.files.into_inner();
    files_read.extend(read);
    Output {
        resources,
        issues: all_issues,
        files: files_read,
    }
}
