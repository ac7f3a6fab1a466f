//! Renders a [`ScanReport`] in every output format yagura supports: a terminal
//! table for humans, the report itself as JSON, OCSF and ASFF for security data
//! lakes and AWS Security Hub, SARIF for code scanning, CSV for spreadsheets and a
//! self-contained HTML page.
//!
//! Renderers never panic on report contents: every string in a finding may come
//! from a resource name, a tag or a policy author, so each format escapes it for
//! its own syntax (terminal control characters, CSV formulas, HTML markup).

mod asff;
mod csv_out;
mod html;
mod junit;
mod ocsf;
mod sarif;
mod summary;
mod table;
mod text;

pub use summary::{
    framework_summary, ControlStatus, ControlSummary, FrameworkSummary, StatusCounts,
};

use std::fmt;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use yagura_model::ScanReport;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Table,
    Json,
    Ocsf,
    Asff,
    Sarif,
    Csv,
    Html,
    Junit,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::Json,
        Format::Ocsf,
        Format::Asff,
        Format::Sarif,
        Format::Csv,
        Format::Html,
        Format::Junit,
    ];

    /// The name used on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Ocsf => "ocsf",
            Format::Asff => "asff",
            Format::Sarif => "sarif",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Junit => "junit",
        }
    }

    /// Every format name, in display order.
    pub fn names() -> Vec<&'static str> {
        Format::ALL.iter().map(Format::as_str).collect()
    }

    /// The file extension (without the dot) for files of this format.
    pub fn extension(&self) -> &str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Ocsf => "ocsf.jsonl",
            Format::Asff => "asff.json",
            Format::Sarif => "sarif",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Junit => "junit.xml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format `{0}` (expected one of: table, json, ocsf, asff, sarif, csv, html, junit)")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ParseFormatError(s.to_string()))
    }
}

/// How to render. The caller decides `color` (terminal detection, `NO_COLOR`).
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours in the table format; ignored by every other format.
    pub color: bool,
    /// List passing findings in the table and HTML findings lists. Machine formats
    /// (JSON, OCSF, ASFF, SARIF, CSV) always carry every finding they can express,
    /// because a PASS is the evidence that closes an earlier FAIL downstream.
    pub show_passed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write the report: {0}")]
    Io(#[from] io::Error),
    #[error("cannot encode the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Renders `report` in `format` to `out`.
pub fn render(
    format: Format,
    report: &ScanReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    match format {
        Format::Table => table::render(report, opts, out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")?;
        }
        Format::Ocsf => ocsf::render(report, out)?,
        Format::Asff => asff::render(report, out)?,
        Format::Sarif => sarif::render(report, out)?,
        Format::Csv => csv_out::render(report, out)?,
        Format::Html => html::render(report, opts, out)?,
        Format::Junit => junit::render(report, out)?,
    }
    out.flush()?;
    Ok(())
}

/// Renders several formats at once and returns the files written.
///
/// - `output` is `None`: every format goes to stdout, one after the other.
/// - one format and `output` is neither an existing directory nor ends with a
///   path separator: that file.
/// - otherwise `output` is a directory (created if needed) that receives one
///   `yagura-<scan id>.<extension>` file per format.
///
/// Files never get ANSI colours, whatever `opts.color` says.
pub fn render_multi(
    formats: &[Format],
    report: &ScanReport,
    opts: &RenderOptions,
    output: Option<&Path>,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut unique: Vec<Format> = Vec::new();
    for f in formats {
        if !unique.contains(f) {
            unique.push(*f);
        }
    }
    let Some(output) = output else {
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        for f in &unique {
            render(*f, report, opts, &mut lock)?;
        }
        return Ok(Vec::new());
    };

    let file_opts = RenderOptions {
        color: false,
        ..opts.clone()
    };
    // A trailing separator says "directory" even before it exists.
    let wants_dir = output.is_dir() || output.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    let targets: Vec<(Format, PathBuf)> = if unique.len() == 1 && !wants_dir {
        vec![(unique[0], output.to_path_buf())]
    } else {
        fs::create_dir_all(output).map_err(|source| ReportError::File {
            path: output.to_path_buf(),
            source,
        })?;
        unique
            .iter()
            .map(|f| (*f, output.join(file_name(report, *f))))
            .collect()
    };

    let mut written = Vec::with_capacity(targets.len());
    for (format, path) in targets {
        let file = fs::File::create(&path).map_err(|source| ReportError::File {
            path: path.clone(),
            source,
        })?;
        let mut w = BufWriter::new(file);
        render(format, report, &file_opts, &mut w)?;
        w.flush().map_err(|source| ReportError::File {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `yagura-<scan id>.<ext>`, with the scan id reduced to characters that are safe
/// in a file name on every platform (the id is data and could contain `/`).
pub fn file_name(report: &ScanReport, format: Format) -> String {
    let id: String = report
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let id = id.trim_matches('.');
    let id = if id.is_empty() { "scan" } else { id };
    format!("yagura-{id}.{}", format.extension())
}
