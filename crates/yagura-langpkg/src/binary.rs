//! Executables: Go build information and cargo-auditable dependency lists.
//!
//! Most executables on a file system are neither, so the magic bytes are
//! checked first and anything that is not ELF, Mach-O or PE returns an empty
//! inventory at once.

use std::io::Read;

use object::{Object, ObjectSection};
use serde_json::Value;
use yagura_model::package::{FileInventory, InventoryIssue, Package, PackageSource};

/// Start of the Go build information blob, 16-byte aligned.
const GO_MAGIC: &[u8] = b"\xff Go buildinf:";
const GO_ALIGN: usize = 16;
/// Sections Go writes the blob into (ELF, Mach-O); PE puts it in `.data`.
const GO_SECTIONS: &[&str] = &[".go.buildinfo", "__go_buildinfo"];
const DATA_SECTIONS: &[&str] = &[".data", "__data"];
/// Go ≥ 1.18 stores the strings inline after the header.
const GO_FLAG_INLINE: u8 = 0x2;
const GO_FLAG_BIG_ENDIAN: u8 = 0x1;
/// Longer version or modinfo strings are not real build information.
const MAX_GO_STRING: u64 = 4 << 20;
/// The section cargo-auditable writes its zlib-compressed JSON into.
const AUDITABLE_SECTION: &str = ".dep-v0";
const MAX_AUDITABLE_JSON: u64 = 16 << 20;

pub(crate) fn parse_binary(path: &str, bytes: &[u8]) -> FileInventory {
    let mut inv = FileInventory::default();
    if !is_native_executable(bytes) {
        return inv;
    }
    let file = match object::File::parse(bytes) {
        Ok(f) => f,
        Err(e) => return FileInventory::issue(path, None, format!("unreadable executable: {e}")),
    };
    match go_build_info(&file, bytes) {
        Ok(Some(info)) => go_packages(path, &info, &mut inv),
        Ok(None) => {}
        Err(message) => inv.issues.push(issue(path, "Go build info", message)),
    }
    if let Err(message) = cargo_auditable(&file, path, &mut inv) {
        inv.issues.push(issue(path, AUDITABLE_SECTION, message));
    }
    inv
}

fn issue(path: &str, entry: &str, message: String) -> InventoryIssue {
    InventoryIssue {
        path: path.to_string(),
        entry: Some(entry.to_string()),
        message,
    }
}

fn is_native_executable(bytes: &[u8]) -> bool {
    const MACHO: &[[u8; 4]] = &[
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
    ];
    if bytes.starts_with(b"\x7fELF") || MACHO.iter().any(|m| bytes.starts_with(m)) {
        return true;
    }
    // `MZ` alone is too weak; require the PE signature it points to.
    if bytes.starts_with(b"MZ") {
        let pe_offset = bytes
            .get(0x3c..0x40)
            .and_then(|b| b.try_into().ok())
            .map(|b: [u8; 4]| u32::from_le_bytes(b) as usize);
        return pe_offset.and_then(|o| bytes.get(o..o.checked_add(4)?))
            == Some(b"PE\0\0".as_slice());
    }
    false
}

/// The toolchain version and the module information text.
struct GoBuildInfo {
    go_version: String,
    modinfo: String,
}

fn go_build_info(file: &object::File<'_>, bytes: &[u8]) -> Result<Option<GoBuildInfo>, String> {
    let header = GO_SECTIONS
        .iter()
        .chain(DATA_SECTIONS)
        .filter_map(|name| file.section_by_name(name)?.data().ok())
        .find_map(find_aligned_magic)
        // Section headers can be stripped (sstrip, some packers): then the
        // whole file is searched.
        .or_else(|| {
            if file.sections().next().is_none() {
                find_aligned_magic(bytes)
            } else {
                None
            }
        });
    let Some(header) = header else {
        return Ok(None);
    };
    let ptr_size = usize::from(*header.get(14).ok_or("truncated header")?);
    let flags = *header.get(15).ok_or("truncated header")?;
    let (version, modinfo) = if flags & GO_FLAG_INLINE != 0 {
        let rest = header.get(32..).ok_or("truncated header")?;
        let (version, rest) = varint_string(rest).ok_or("truncated Go version string")?;
        let (modinfo, _) = varint_string(rest).ok_or("truncated module information")?;
        (version.to_vec(), modinfo.to_vec())
    } else {
        if ptr_size != 4 && ptr_size != 8 {
            return Err(format!("unexpected pointer size {ptr_size}"));
        }
        let big_endian = flags & GO_FLAG_BIG_ENDIAN != 0;
        let read_ptr = |at: usize| header.get(at..at + ptr_size).map(|b| uint(b, big_endian));
        let version_addr = read_ptr(16).ok_or("truncated header")?;
        let modinfo_addr = read_ptr(16 + ptr_size).ok_or("truncated header")?;
        let version = go_string_at(file, version_addr, ptr_size, big_endian)
            .ok_or("Go version string points outside the file")?;
        let modinfo = go_string_at(file, modinfo_addr, ptr_size, big_endian)
            .ok_or("module information points outside the file")?;
        (version, modinfo)
    };
    Ok(Some(GoBuildInfo {
        go_version: String::from_utf8_lossy(&version).into_owned(),
        modinfo: String::from_utf8_lossy(strip_modinfo_sentinels(&modinfo)).into_owned(),
    }))
}

fn find_aligned_magic(data: &[u8]) -> Option<&[u8]> {
    (0..data.len())
        .step_by(GO_ALIGN)
        .find(|&i| data.get(i..).is_some_and(|d| d.starts_with(GO_MAGIC)))
        .and_then(|i| data.get(i..))
}

/// A uvarint length followed by that many bytes.
fn varint_string(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut len: u64 = 0;
    for (i, b) in data.iter().enumerate().take(10) {
        len |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let start = i + 1;
            let end = start.checked_add(usize::try_from(len).ok()?)?;
            return Some((data.get(start..end)?, data.get(end..)?));
        }
    }
    None
}

fn uint(bytes: &[u8], big_endian: bool) -> u64 {
    let fold = |acc: u64, b: &u8| (acc << 8) | u64::from(*b);
    if big_endian {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    }
}

/// Reads a Go string header (data pointer, length) at a virtual address and
/// then the string (pre-1.18 build info stores pointers).
fn go_string_at(
    file: &object::File<'_>,
    addr: u64,
    ptr_size: usize,
    big_endian: bool,
) -> Option<Vec<u8>> {
    let header = read_virtual(file, addr, 2 * ptr_size as u64)?;
    let data_addr = uint(header.get(..ptr_size)?, big_endian);
    let len = uint(header.get(ptr_size..2 * ptr_size)?, big_endian);
    if len > MAX_GO_STRING {
        return None;
    }
    Some(read_virtual(file, data_addr, len)?.to_vec())
}

fn read_virtual<'a>(file: &object::File<'a>, addr: u64, len: u64) -> Option<&'a [u8]> {
    file.sections().find_map(|s| {
        let start = addr.checked_sub(s.address())?;
        let end = start.checked_add(len)?;
        if end > s.size() {
            return None;
        }
        s.data()
            .ok()?
            .get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    })
}

/// Go wraps the module information in 16 bytes of sentinel on each side.
fn strip_modinfo_sentinels(modinfo: &[u8]) -> &[u8] {
    let n = modinfo.len();
    if n >= 33 && modinfo.get(n - 17) == Some(&b'\n') {
        modinfo.get(16..n - 16).unwrap_or(&[])
    } else {
        &[]
    }
}

/// A `mod` or `dep` line and the `=>` replacement that may follow it.
struct GoModule<'a> {
    path: &'a str,
    version: &'a str,
    replacement: Option<(&'a str, &'a str)>,
    is_main: bool,
}

/// The main module (unless `(devel)`), every dependency (a replaced one
/// under its replacement, as `go.mod` readers do; a directory replacement is
/// not a published module and is left out, like in `yagura-lockfiles`), and
/// the standard library as `stdlib`.
fn go_packages(path: &str, info: &GoBuildInfo, inv: &mut FileInventory) {
    let mut modules: Vec<GoModule<'_>> = Vec::new();
    for line in info.modinfo.lines() {
        let mut fields = line.split('\t');
        let kind = fields.next().unwrap_or("");
        let module_path = fields.next().unwrap_or("");
        let version = fields.next().unwrap_or("");
        match kind {
            "mod" | "dep" => modules.push(GoModule {
                path: module_path,
                version,
                replacement: None,
                is_main: kind == "mod",
            }),
            "=>" => {
                if let Some(last) = modules.last_mut() {
                    last.replacement = Some((module_path, version));
                }
            }
            _ => {}
        }
    }
    let mut add = |name: &str, version: &str| {
        inv.packages.push(Package::new(
            "Go",
            name,
            version,
            PackageSource::GoBinary,
            path,
        ));
    };
    for m in &modules {
        let (name, version) = m.replacement.unwrap_or((m.path, m.version));
        if name.is_empty() || version.is_empty() || version == "(devel)" {
            continue;
        }
        if m.is_main && m.replacement.is_some() {
            continue;
        }
        add(name, version.strip_prefix('v').unwrap_or(version));
    }
    if let Some(version) = stdlib_version(&info.go_version) {
        add("stdlib", &version);
    }
}

/// `go1.22.3` → `1.22.3`, `go1.20` → `1.20.0`, `go1.21rc2` → `1.21.0-rc.2`
/// (the semver form OSV's `stdlib` records use); `devel …` → `None`.
fn stdlib_version(go_version: &str) -> Option<String> {
    let v = go_version.split_whitespace().next()?.strip_prefix("go")?;
    let numeric_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (numeric, pre) = v.split_at(numeric_end);
    let mut parts: Vec<&str> = numeric.split('.').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    let mut out = parts.join(".");
    let pre = pre.split(['-', '+']).next().unwrap_or("");
    if !pre.is_empty() {
        let digits = pre.find(|c: char| c.is_ascii_digit()).unwrap_or(pre.len());
        let (word, number) = pre.split_at(digits);
        out.push('-');
        out.push_str(word);
        if !number.is_empty() {
            out.push('.');
            out.push_str(number);
        }
    }
    Some(out)
}

/// Packages from the cargo-auditable section. Only `crates.io` packages are
/// listed: local (workspace, the root crate), git and alternative-registry
/// crates are not crates.io releases, so advisories for a crates.io crate of
/// the same name would not apply to them. Build-time dependencies are listed
/// too; they ran during the build.
fn cargo_auditable(
    file: &object::File<'_>,
    path: &str,
    inv: &mut FileInventory,
) -> Result<(), String> {
    let Some(section) = file.section_by_name(AUDITABLE_SECTION) else {
        return Ok(());
    };
    let compressed = section
        .data()
        .map_err(|e| format!("unreadable section: {e}"))?;
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_AUDITABLE_JSON + 1)
        .read_to_end(&mut json)
        .map_err(|e| format!("cannot inflate: {e}"))?;
    if json.len() as u64 > MAX_AUDITABLE_JSON {
        return Err(format!(
            "dependency list larger than {MAX_AUDITABLE_JSON} bytes"
        ));
    }
    let doc: Value =
        serde_json::from_slice(&json).map_err(|e| format!("invalid dependency JSON: {e}"))?;
    let packages = doc
        .get("packages")
        .and_then(Value::as_array)
        .ok_or("no `packages` array")?;
    for (i, p) in packages.iter().enumerate() {
        let text = |k: &str| p.get(k).and_then(Value::as_str);
        let (Some(name), Some(version)) = (text("name"), text("version")) else {
            inv.issues.push(issue(
                path,
                &format!("{AUDITABLE_SECTION} package #{i}"),
                "package without name and version".into(),
            ));
            continue;
        };
        if text("source") == Some("crates.io") {
            inv.packages.push(Package::new(
                "crates.io",
                name,
                version,
                PackageSource::RustBinary,
                path,
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdlib_versions() {
        assert_eq!(stdlib_version("go1.22.3").as_deref(), Some("1.22.3"));
        assert_eq!(stdlib_version("go1.20").as_deref(), Some("1.20.0"));
        assert_eq!(stdlib_version("go1.21rc2").as_deref(), Some("1.21.0-rc.2"));
        assert_eq!(
            stdlib_version("go1.22.3 X:boringcrypto").as_deref(),
            Some("1.22.3")
        );
        assert_eq!(stdlib_version("devel go1.23-abc"), None);
    }

    #[test]
    fn varints() {
        assert_eq!(varint_string(b"\x02abc"), Some((&b"ab"[..], &b"c"[..])));
        assert_eq!(varint_string(b"\x05ab"), None);
        assert_eq!(
            varint_string(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
            None
        );
    }

    #[test]
    fn non_executables_are_skipped_quietly() {
        assert_eq!(
            parse_binary("usr/bin/x", b"#!/bin/sh\necho hi\n"),
            FileInventory::default()
        );
        assert_eq!(
            parse_binary("usr/bin/x", b"MZ not a pe"),
            FileInventory::default()
        );
        let garbage = parse_binary("usr/bin/bad", b"\x7fELF\x02\x01\x01garbage");
        assert_eq!(garbage.issues.len(), 1);
        assert_eq!(garbage.issues[0].path, "usr/bin/bad");
    }
}
