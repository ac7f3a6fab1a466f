//! Broken images: clear errors naming the file, member or layer, no panics,
//! and the layers that can still be read are still walked.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use yagura_image::{Error, Image, Overlay};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/images")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Layer blob paths of the single image in an OCI layout folder.
fn oci_layer_blobs(dir: &Path) -> Vec<PathBuf> {
    let blob = |digest: &str| {
        dir.join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:"))
    };
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("index.json")).unwrap()).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(
        &fs::read(blob(index["manifests"][0]["digest"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| blob(l["digest"].as_str().unwrap()))
        .collect()
}

fn walk_paths(image: &Image) -> (Overlay, Vec<(usize, String)>) {
    let mut seen = Vec::new();
    let overlay = image
        .walk(
            |_, _| true,
            |layer, path, _, r: &mut dyn Read| {
                let mut sink = Vec::new();
                let result = r.read_to_end(&mut sink).map(|_| ());
                seen.push((layer, path.to_string()));
                result
            },
        )
        .unwrap();
    (overlay, seen)
}

fn replace_once(data: &mut [u8], from: &[u8], to: &[u8]) {
    let at = data
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    data[at..at + to.len()].copy_from_slice(to);
}

#[test]
fn truncated_outer_tar_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = fs::read(fixture("docker-legacy.tar")).unwrap();
    let path = dir.path().join("cut.tar");
    fs::write(&path, &data[..data.len() / 2]).unwrap();
    let err = Image::open(&path).unwrap_err();
    let text = err.to_string();
    eprintln!("error: {text}");
    assert!(
        text.contains("truncated") && text.contains("cut.tar"),
        "{text}"
    );
}

/// Packs an OCI layout folder into a tar with the JSON first and the layer
/// blobs last (as some tools order it), so a cut keeps the manifest.
fn tar_layout_layers_last(layout: &Path, layers: &[PathBuf]) -> Vec<u8> {
    let mut files: Vec<PathBuf> = vec![layout.join("oci-layout"), layout.join("index.json")];
    for entry in fs::read_dir(layout.join("blobs/sha256")).unwrap() {
        let path = entry.unwrap().path();
        if !layers.contains(&path) {
            files.push(path);
        }
    }
    files.extend(layers.iter().cloned());
    let mut out = Vec::new();
    for file in files {
        let data = fs::read(&file).unwrap();
        let name = file
            .strip_prefix(layout)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        out.extend(ustar_header(&name, data.len() as u64));
        out.extend(&data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

#[test]
fn outer_tar_truncated_inside_the_last_layer() {
    let dir = tempfile::tempdir().unwrap();
    let layout = fixture("oci-dir");
    let blobs = oci_layer_blobs(&layout);
    let data = tar_layout_layers_last(&layout, &blobs);
    let whole = dir.path().join("whole.tar");
    fs::write(&whole, &data).unwrap();
    let (overlay, _) = walk_paths(&Image::open(&whole).unwrap());
    assert!(overlay.errors.is_empty(), "{:?}", overlay.errors);

    let last_len = fs::metadata(&blobs[2]).unwrap().len() as usize;
    let cut = dir.path().join("cut.tar");
    fs::write(&cut, &data[..data.len() - 1024 - last_len / 2]).unwrap();
    let image = Image::open(&cut).unwrap();
    let (overlay, seen) = walk_paths(&image);
    assert_eq!(overlay.errors.len(), 1, "{:?}", overlay.errors);
    assert_eq!(overlay.errors[0].index, 2);
    let text = overlay.errors[0].to_string();
    eprintln!("error: {text}");
    assert!(text.contains("truncated"), "{text}");
    assert!(seen.contains(&(1, "var/lib/dpkg/status".to_string())));
}

#[test]
fn truncated_gzip_layer_is_reported_and_the_rest_walked() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    copy_dir(&fixture("oci-dir"), &layout);
    let blobs = oci_layer_blobs(&layout);
    let first = fs::read(&blobs[0]).unwrap();
    fs::write(&blobs[0], &first[..first.len() * 6 / 10]).unwrap();

    let image = Image::open(&layout).unwrap();
    let (overlay, seen) = walk_paths(&image);
    assert_eq!(overlay.errors.len(), 1, "{:?}", overlay.errors);
    let error = &overlay.errors[0];
    assert_eq!(error.index, 0);
    let text = error.to_string();
    eprintln!("error: {text}");
    assert!(
        text.contains("layer 0") && text.contains(blobs[0].file_name().unwrap().to_str().unwrap()),
        "{text}"
    );
    // Layers 1 (zstd) and 2 (gzip) were still read.
    assert!(seen.contains(&(1, "var/lib/dpkg/status".to_string())));
    assert!(seen.contains(&(2, "data/big.txt".to_string())));
    assert_eq!(overlay.final_layer("data/big.txt"), Some(2));
}

#[test]
fn truncated_zstd_layer_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    copy_dir(&fixture("oci-dir"), &layout);
    let blobs = oci_layer_blobs(&layout);
    let second = fs::read(&blobs[1]).unwrap();
    fs::write(&blobs[1], &second[..second.len() / 2]).unwrap();
    let image = Image::open(&layout).unwrap();
    let (overlay, seen) = walk_paths(&image);
    assert_eq!(
        overlay.errors.iter().map(|e| e.index).collect::<Vec<_>>(),
        vec![1],
        "{:?}",
        overlay.errors
    );
    assert!(seen.contains(&(0, "etc/passwd".to_string())));
    assert!(seen.contains(&(2, "etc/passwd".to_string())));
}

#[test]
fn missing_layer_blob_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    copy_dir(&fixture("oci-dir"), &layout);
    let blobs = oci_layer_blobs(&layout);
    fs::remove_file(&blobs[1]).unwrap();
    let image = Image::open(&layout).unwrap();
    let (overlay, seen) = walk_paths(&image);
    assert_eq!(overlay.errors.len(), 1);
    assert!(
        matches!(overlay.errors[0].error, Error::Missing { .. }),
        "{}",
        overlay.errors[0]
    );
    assert!(seen.contains(&(2, "data/big.txt".to_string())));
}

#[test]
fn blob_digest_mismatch_in_docker_blobs_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = fs::read(fixture("docker-blobs.tar")).unwrap();
    replace_once(&mut data, b"keep me", b"KEEP ME");
    let path = dir.path().join("tampered.tar");
    fs::write(&path, &data).unwrap();
    let image = Image::open(&path).unwrap();
    let (overlay, seen) = walk_paths(&image);
    assert_eq!(overlay.errors.len(), 1, "{:?}", overlay.errors);
    assert_eq!(overlay.errors[0].index, 0);
    assert!(matches!(
        overlay.errors[0].error,
        Error::DigestMismatch { .. }
    ));
    assert!(overlay.errors[0]
        .to_string()
        .contains("blob digest of layer 0"));
    assert!(seen.contains(&(1, "opt/app/new.txt".to_string())));
}

#[test]
fn diff_id_mismatch_in_legacy_docker_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = fs::read(fixture("docker-legacy.tar")).unwrap();
    replace_once(&mut data, b"keep me", b"KEEP ME");
    let path = dir.path().join("tampered.tar");
    fs::write(&path, &data).unwrap();
    let image = Image::open(&path).unwrap();
    let (overlay, _) = walk_paths(&image);
    assert_eq!(overlay.errors.len(), 1, "{:?}", overlay.errors);
    let text = overlay.errors[0].to_string();
    eprintln!("error: {text}");
    assert!(
        text.contains("diff ID") && text.contains("layer.tar"),
        "{text}"
    );
}

#[test]
fn tampered_config_is_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    copy_dir(&fixture("oci-dir"), &layout);
    for entry in fs::read_dir(layout.join("blobs/sha256")).unwrap() {
        let path = entry.unwrap().path();
        let mut data = fs::read(&path).unwrap();
        if data.starts_with(b"{\"architecture\"") {
            replace_once(&mut data, b"APP_ENV=test", b"APP_ENV=prod");
            fs::write(&path, data).unwrap();
        }
    }
    let err = Image::open(&layout).unwrap_err();
    assert!(matches!(err, Error::DigestMismatch { .. }), "{err}");
    assert!(err.to_string().contains("config"), "{err}");
}

#[test]
fn missing_manifest_and_bad_json() {
    let dir = tempfile::tempdir().unwrap();
    let err = Image::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::NotAnImage { .. }), "{err}");

    let layout = dir.path().join("oci");
    copy_dir(&fixture("oci-dir"), &layout);
    fs::write(layout.join("index.json"), b"{\"manifests\": [").unwrap();
    let err = Image::open(&layout).unwrap_err();
    assert!(matches!(err, Error::Json { .. }), "{err}");
    assert!(err.to_string().contains("index.json"), "{err}");

    fs::write(
        layout.join("index.json"),
        br#"{"manifests":[{"digest":"sha256:../../../etc/passwd"}]}"#,
    )
    .unwrap();
    let err = Image::open(&layout).unwrap_err();
    assert!(err.to_string().contains("invalid digest"), "{err}");

    fs::write(
        layout.join("index.json"),
        br#"{"manifests":[{"digest":"sha256:0000"}]}"#,
    )
    .unwrap();
    let err = Image::open(&layout).unwrap_err();
    assert!(matches!(err, Error::Missing { .. }), "{err}");
}

#[test]
fn garbage_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bin");
    let bytes: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    fs::write(&garbage, bytes).unwrap();
    let err = Image::open(&garbage).unwrap_err();
    assert!(
        matches!(err, Error::NotAnImage { .. }) && err.to_string().contains("garbage.bin"),
        "{err}"
    );

    let empty = dir.path().join("empty.tar");
    fs::write(&empty, b"").unwrap();
    assert!(matches!(
        Image::open(&empty).unwrap_err(),
        Error::NotAnImage { .. }
    ));

    let gz = dir.path().join("image.tar.gz");
    fs::write(&gz, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]).unwrap();
    let err = Image::open(&gz).unwrap_err();
    assert!(err.to_string().contains("decompress"), "{err}");

    let not_image = dir.path().join("plain.tar");
    let mut data = ustar_header("hello.txt", 6);
    data.extend_from_slice(b"hello\n");
    data.resize(512 * 4, 0);
    fs::write(&not_image, data).unwrap();
    let err = Image::open(&not_image).unwrap_err();
    assert!(err.to_string().contains("no manifest.json"), "{err}");

    let mut bad_checksum = ustar_header("hello.txt", 0);
    bad_checksum[150] ^= 1;
    fs::write(&not_image, bad_checksum).unwrap();
    let err = Image::open(&not_image).unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");

    let missing = dir.path().join("nope.tar");
    let err = Image::open(&missing).unwrap_err();
    assert!(
        matches!(err, Error::Io { .. }) && err.to_string().contains("nope.tar"),
        "{err}"
    );
}

/// A minimal ustar header for a regular file.
fn ustar_header(name: &str, size: u64) -> Vec<u8> {
    let mut h = vec![0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}
