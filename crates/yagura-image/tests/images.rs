//! Walks the committed fixture images (made by tests/fixtures/regen.sh with
//! python's tarfile, gzip, the zstd CLI and umoci) in every supported format.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use yagura_image::{EntryKind, EntryMeta, Error, Image, OpenOptions, Overlay, Platform};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/images")
        .join(name)
}

type Files = BTreeMap<(usize, String), (EntryMeta, Vec<u8>)>;

/// Reads every regular file of every layer.
fn walk_all(image: &Image) -> (Overlay, Files) {
    let mut files = Files::new();
    let overlay = image
        .walk(
            |_, _| true,
            |layer, path, meta, r: &mut dyn Read| -> Result<(), std::io::Error> {
                let mut data = Vec::new();
                r.read_to_end(&mut data)?;
                files.insert((layer, path.to_string()), (*meta, data));
                Ok(())
            },
        )
        .expect("walk");
    (overlay, files)
}

fn content<'a>(files: &'a Files, layer: usize, path: &str) -> &'a [u8] {
    &files
        .get(&(layer, path.to_string()))
        .unwrap_or_else(|| panic!("no {path} in layer {layer}"))
        .1
}

const LONG_METADATA: &str = "usr/lib/python3/dist-packages/a-very-long-directory-name-a-very-long-directory-name-a-very-long-directory-name-a-very-long-directory-name-/METADATA";

/// The three layers gen_images.py builds, whatever the packaging.
fn check_standard_image(image: &Image) {
    let info = image.info();
    assert_eq!(info.os.as_deref(), Some("linux"));
    assert_eq!(info.architecture.as_deref(), Some("amd64"));
    assert_eq!(info.user.as_deref(), Some("app"));
    assert!(info.env.iter().any(|e| e == "APP_ENV=test"));
    assert_eq!(
        info.labels.get("maintainer").map(String::as_str),
        Some("yagura")
    );
    let created: Vec<_> = info
        .layers
        .iter()
        .map(|l| l.created_by.clone().unwrap_or_default())
        .collect();
    // Empty-layer history entries (ENV, LABEL, USER) are skipped.
    assert_eq!(
        created,
        vec![
            "/bin/sh -c #(nop) ADD file:base in /",
            "RUN /bin/sh -c apt-get install -y curl # buildkit",
            "COPY big.txt /data/ # buildkit",
        ]
    );
    assert!(info
        .layers
        .iter()
        .enumerate()
        .all(|(i, l)| l.index == i && l.digest.starts_with("sha256:")));

    let (overlay, files) = walk_all(image);
    assert!(overlay.errors.is_empty(), "{:?}", overlay.errors);
    assert_eq!(overlay.layer_count(), 3);
    assert!(
        files.keys().all(|(_, p)| !p.contains(".wh.")),
        "whiteouts handed over"
    );
    assert!(files
        .keys()
        .all(|(_, p)| !p.starts_with('/') && !p.starts_with("./")));

    // Overwritten in a later layer.
    let status = "var/lib/dpkg/status";
    assert!(content(&files, 0, status).ends_with(b"2.36-9\n"));
    assert!(content(&files, 1, status).ends_with(b"7.88.1-10\n"));
    assert!(!overlay.visible(status, 0));
    assert!(overlay.visible(status, 1));
    assert_eq!(overlay.final_layer(status), Some(1));
    assert_eq!(overlay.final_layer("etc/passwd"), Some(2));

    // Whiteout of a file, an opaque directory, a whiteout of a directory.
    assert!(files.contains_key(&(0, "tmp/gone.txt".into())));
    assert_eq!(overlay.final_layer("tmp/gone.txt"), None);
    assert!(!overlay.visible("opt/app/old.txt", 0));
    assert_eq!(overlay.final_layer("opt/app/keep.txt"), None);
    assert_eq!(overlay.final_layer("opt/app/new.txt"), Some(1));
    assert_eq!(overlay.final_kind("opt/app"), Some(EntryKind::Dir));
    assert_eq!(overlay.final_layer("srv/data/x.txt"), None);

    // Symlinked os-release, hardlink, device, executable bit.
    let os_release = overlay
        .resolve("etc/os-release")
        .expect("os-release resolves");
    assert_eq!(os_release, "usr/lib/os-release");
    assert!(content(&files, 0, &os_release).starts_with(b"PRETTY_NAME=\"Debian GNU/Linux 12"));
    assert!(!files.contains_key(&(0, "etc/os-release".into())));
    assert!(!files.contains_key(&(0, "bin/sh-hardlink".into())));
    assert_eq!(
        overlay.final_kind("bin/sh-hardlink"),
        Some(EntryKind::Hardlink)
    );
    assert_eq!(
        overlay.resolve("bin/sh-hardlink").as_deref(),
        Some("bin/sh")
    );
    assert_eq!(overlay.final_kind("dev/null"), Some(EntryKind::Other));
    let (sh_meta, _) = &files[&(0, "bin/sh".to_string())];
    assert!(sh_meta.executable);
    assert_eq!(sh_meta.mode & 0o777, 0o755);
    assert!(!files[&(0, "etc/passwd".to_string())].0.executable);

    // GNU long name (layer 0 is GNU format) and a file spanning many blocks.
    assert!(content(&files, 0, LONG_METADATA).starts_with(b"Metadata-Version: 2.1"));
    let (big_meta, big) = &files[&(2, "data/big.txt".to_string())];
    assert_eq!(big_meta.size, 40000);
    assert_eq!(big.len(), 40000);
    assert!(big.starts_with(b"line 00000000 of the big file"));

    let finals: Vec<_> = overlay.final_files().collect();
    assert!(finals.contains(&("var/lib/dpkg/status", 1)));
    assert!(finals.contains(&("data/big.txt", 2)));
    assert!(!finals
        .iter()
        .any(|(p, _)| p.starts_with("tmp/") || p.starts_with("srv/")));
}

#[test]
fn docker_archive_legacy_layout() {
    let image = Image::open(&fixture("docker-legacy.tar")).unwrap();
    assert_eq!(image.info().reference, "example/app:1.0");
    check_standard_image(&image);
}

#[test]
fn docker_archive_blobs_layout() {
    let image = Image::open(&fixture("docker-blobs.tar")).unwrap();
    assert_eq!(image.info().reference, "example/app:2.0");
    check_standard_image(&image);
}

#[test]
fn oci_layout_folder_with_gzip_and_zstd_layers() {
    let image = Image::open(&fixture("oci-dir")).unwrap();
    assert_eq!(image.info().reference, "example/app:3.0");
    check_standard_image(&image);
}

#[test]
fn oci_layout_tar() {
    let image = Image::open(&fixture("oci.tar")).unwrap();
    assert_eq!(image.info().reference, "example/app:3.0");
    check_standard_image(&image);
}

#[test]
fn all_formats_agree_on_config_and_layers() {
    let infos: Vec<_> = [
        "docker-legacy.tar",
        "docker-blobs.tar",
        "oci-dir",
        "oci.tar",
    ]
    .iter()
    .map(|f| Image::open(&fixture(f)).unwrap().info().clone())
    .collect();
    for info in &infos[1..] {
        assert_eq!(info.config_digest, infos[0].config_digest);
        assert_eq!(info.layers, infos[0].layers);
    }
}

#[test]
fn callback_may_read_part_or_nothing() {
    let image = Image::open(&fixture("oci-dir")).unwrap();
    let mut seen = Vec::new();
    let overlay = image
        .walk(
            |path, _| path.ends_with(".txt") || path.ends_with("status"),
            |layer, path, _, r: &mut dyn Read| -> Result<(), std::io::Error> {
                let mut head = [0u8; 4];
                let n = if path == "data/big.txt" {
                    r.read(&mut head)?
                } else {
                    0
                };
                seen.push((layer, path.to_string(), head[..n].to_vec()));
                Ok(())
            },
        )
        .unwrap();
    assert!(overlay.errors.is_empty(), "{:?}", overlay.errors);
    assert!(seen.contains(&(2, "data/big.txt".into(), b"line".to_vec())));
    assert!(seen.contains(&(1, "var/lib/dpkg/status".into(), vec![])));
    assert!(!seen.iter().any(|(_, p, _)| p == "etc/passwd"));
}

#[test]
fn callback_error_stops_the_walk() {
    let image = Image::open(&fixture("docker-legacy.tar")).unwrap();
    let err = image
        .walk(
            |p, _| p == "etc/passwd",
            |_, _, _, _| Err("scanner gave up"),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Callback { layer: 0, .. }), "{err}");
    assert!(err.to_string().contains("etc/passwd"));
}

#[test]
fn multi_platform_index() {
    let read_arch = |image: &Image| {
        let mut arch = Vec::new();
        let overlay = image
            .walk(
                |p, _| p == "etc/arch",
                |_, _, _, r: &mut dyn Read| r.read_to_end(&mut arch).map(|_| ()),
            )
            .unwrap();
        assert!(overlay.errors.is_empty(), "{:?}", overlay.errors);
        String::from_utf8(arch).unwrap()
    };
    let default = Image::open(&fixture("oci-multi")).unwrap();
    assert_eq!(default.info().architecture.as_deref(), Some("amd64"));
    assert_eq!(read_arch(&default), "amd64\n");

    let options = OpenOptions {
        platform: Platform::parse("linux/arm64"),
        ..Default::default()
    };
    let arm = Image::open_with(&fixture("oci-multi"), &options).unwrap();
    assert_eq!(arm.info().architecture.as_deref(), Some("arm64"));
    assert_eq!(read_arch(&arm), "arm64\n");

    let options = OpenOptions {
        platform: Platform::parse("linux/s390x"),
        ..Default::default()
    };
    let err = Image::open_with(&fixture("oci-multi"), &options).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::PlatformNotFound { .. }), "{text}");
    assert!(
        text.contains("linux/arm64/v8")
            && text.contains("linux/amd64")
            && !text.contains("unknown"),
        "{text}"
    );
}

#[test]
fn choose_by_reference() {
    let options = OpenOptions {
        reference: Some("example/app:2.0".into()),
        ..Default::default()
    };
    assert!(Image::open_with(&fixture("docker-blobs.tar"), &options).is_ok());
    let options = OpenOptions {
        reference: Some("nope:1".into()),
        ..Default::default()
    };
    let err = Image::open_with(&fixture("docker-blobs.tar"), &options).unwrap_err();
    assert!(err.to_string().contains("example/app:2.0"), "{err}");
}

#[test]
fn umoci_made_layout() {
    let path = fixture("umoci-layout");
    if !path.exists() {
        eprintln!("skipping: no umoci-layout fixture (regen.sh needs umoci)");
        return;
    }
    let image = Image::open(&path).unwrap();
    let info = image.info();
    assert_eq!(info.reference, "1.0");
    assert_eq!(info.user.as_deref(), Some("app"));
    assert_eq!(
        info.labels.get("made.by").map(String::as_str),
        Some("umoci")
    );
    let created: Vec<_> = info
        .layers
        .iter()
        .map(|l| l.created_by.as_deref())
        .collect();
    assert_eq!(created, vec![Some("ADD rootfs /"), Some("RUN apk upgrade")]);
    let (overlay, files) = walk_all(&image);
    assert!(overlay.errors.is_empty(), "{:?}", overlay.errors);
    assert!(files.contains_key(&(0, "tmp/gone.txt".into())));
    assert_eq!(overlay.final_layer("tmp/gone.txt"), None);
    assert_eq!(overlay.final_layer("var/lib/dpkg/status"), Some(1));
    assert_eq!(
        content(&files, 1, "var/lib/dpkg/status"),
        b"P:musl\nV:1.2.5-r1\n\n"
    );
    assert_eq!(
        overlay.resolve("etc/os-release").as_deref(),
        Some("usr/lib/os-release")
    );
}

/// Without digest checks, uncompressed layers are read in place, seeking past
/// unwanted content; what the walk yields must not change.
#[test]
fn reading_in_place_without_digest_checks_yields_the_same_files() {
    let unverified = OpenOptions {
        verify_digests: false,
        ..Default::default()
    };
    for name in [
        "docker-legacy.tar",
        "docker-blobs.tar",
        "oci-dir",
        "oci.tar",
    ] {
        let checked = Image::open(&fixture(name)).unwrap();
        let fast = Image::open_with(&fixture(name), &unverified).unwrap();
        let (o1, f1) = walk_all(&checked);
        let (o2, f2) = walk_all(&fast);
        assert_eq!(f1, f2, "{name}: files differ");
        assert!(o2.errors.is_empty(), "{name}: {:?}", o2.errors);
        let finals1: Vec<_> = o1.final_files().collect();
        let finals2: Vec<_> = o2.final_files().collect();
        assert_eq!(finals1, finals2, "{name}: final view differs");
        check_standard_image(&fast);
        // Reading only some files (the rest skipped by seeking) gives the
        // same bytes for those.
        let mut some = Files::new();
        fast.walk(
            |path, _| path.ends_with("METADATA"),
            |layer, path, meta, r: &mut dyn Read| -> Result<(), std::io::Error> {
                let mut data = Vec::new();
                r.read_to_end(&mut data)?;
                some.insert((layer, path.to_string()), (*meta, data));
                Ok(())
            },
        )
        .unwrap();
        assert!(!some.is_empty());
        for (k, v) in &some {
            assert_eq!(f1.get(k), Some(v), "{name}: {k:?}");
        }
    }
}
