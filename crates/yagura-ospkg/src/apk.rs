//! apk's installed database (`lib/apk/db/installed`): records of one-letter
//! `X:value` lines separated by blank lines.

use crate::license::normalise_license;
use yagura_model::package::{FileInventory, InventoryIssue, Package, PackageSource, SourcePackage};

#[derive(Default)]
struct Record {
    line: u32,
    name: Option<String>,
    version: Option<String>,
    arch: Option<String>,
    origin: Option<String>,
    license: Option<String>,
}

pub(crate) fn parse_installed(path: &str, bytes: &[u8]) -> FileInventory {
    let mut inventory = FileInventory::default();
    let text = String::from_utf8_lossy(bytes);
    let mut current: Option<Record> = None;
    for (index, line) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            if let Some(record) = current.take() {
                finish(path, record, &mut inventory);
            }
            continue;
        }
        let record = current.get_or_insert_with(|| Record {
            line: line_no,
            ..Record::default()
        });
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "P" => record.name = Some(value.to_string()),
            "V" => record.version = Some(value.to_string()),
            "A" => record.arch = Some(value.to_string()),
            "o" => record.origin = Some(value.to_string()),
            "L" => record.license = Some(value.to_string()),
            _ => {}
        }
    }
    if let Some(record) = current.take() {
        finish(path, record, &mut inventory);
    }
    inventory
}

fn finish(path: &str, record: Record, inventory: &mut FileInventory) {
    let issue = |entry: String, message: &str| InventoryIssue {
        path: path.to_string(),
        entry: Some(entry),
        message: message.to_string(),
    };
    let Some(name) = record.name.filter(|n| !n.is_empty()) else {
        inventory.issues.push(issue(
            format!("line {}", record.line),
            "record without a P: (name) line",
        ));
        return;
    };
    let Some(version) = record.version.filter(|v| !v.is_empty()) else {
        inventory
            .issues
            .push(issue(name, "record without a V: (version) line"));
        return;
    };
    let mut package = Package::new("", &name, &version, PackageSource::Apk, path);
    package.line = Some(record.line);
    package.arch = record.arch.filter(|a| !a.is_empty());
    // Alpine's secdb names origin (source) packages; the origin is built at
    // the same version as its subpackages.
    let origin = record
        .origin
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| name.clone());
    package.source_package = Some(SourcePackage {
        name: origin,
        version: version.clone(),
    });
    if let Some(license) = record.license.as_deref().and_then(normalise_license) {
        package.licenses.push(license);
    }
    inventory.packages.push(package);
}
