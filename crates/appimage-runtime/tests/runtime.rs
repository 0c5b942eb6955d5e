//! The runtime on real images: one written by backhand, one by Debian's `mksquashfs` (the tool
//! `scripts/desktop-build.sh` packs the AppDir with), and the built runtime program itself
//! starting an `AppRun`.

use std::fs;
use std::io::Cursor;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use backhand::compression::Compressor;
use backhand::{FilesystemCompressor, FilesystemWriter, NodeHeader};
use usinage_appimage_runtime::{
    COMPLETE_MARKER, ensure_extracted, extract, payload_key, payload_offset,
};

const RUNTIME: &str = env!("CARGO_BIN_EXE_usinage-appimage-runtime");

/// A file of several blocks (128 KiB each) and a tail, not compressible to nothing.
fn big_content() -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..300_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 61) as u8 + b' '
        })
        .collect()
}

fn header(mode: u16) -> NodeHeader {
    NodeHeader::new(mode, 0, 0, 0)
}

/// The image of a small AppDir, as backhand writes it.
fn backhand_image(app_run: &str) -> Vec<u8> {
    let mut fs = FilesystemWriter::default();
    fs.set_compressor(FilesystemCompressor::new(Compressor::Gzip, None).unwrap());
    fs.push_file(
        Cursor::new(app_run.as_bytes().to_vec()),
        "AppRun",
        header(0o755),
    )
    .unwrap();
    fs.push_dir_all("usr/bin", header(0o755)).unwrap();
    fs.push_file(
        Cursor::new(b"#!/bin/sh\n".to_vec()),
        "usr/bin/app",
        header(0o4755),
    )
    .unwrap();
    fs.push_dir_all("usr/lib", header(0o755)).unwrap();
    fs.push_file(
        Cursor::new(b"ELF?".to_vec()),
        "usr/lib/libfoo.so.1",
        header(0o644),
    )
    .unwrap();
    fs.push_symlink("libfoo.so.1", "usr/lib/libfoo.so", header(0o777))
        .unwrap();
    fs.push_dir_all("usr/share/doc", header(0o555)).unwrap();
    fs.push_file(
        Cursor::new(big_content()),
        "usr/share/doc/big.txt",
        header(0o444),
    )
    .unwrap();
    let mut out = Cursor::new(Vec::new());
    fs.write(&mut out).unwrap();
    out.into_inner()
}

/// runtime ELF + image, as `scripts/desktop-build.sh` assembles the AppImage.
fn appimage(dir: &Path, image: &[u8]) -> PathBuf {
    let mut bytes = fs::read(RUNTIME).unwrap();
    let runtime_len = bytes.len();
    bytes[8..11].copy_from_slice(b"AI\x02");
    bytes.extend_from_slice(image);
    let path = dir.join("Test-x86_64.AppImage");
    fs::write(&path, bytes).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(payload_offset(&path).unwrap(), runtime_len as u64);
    path
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn backhand_image_is_extracted_with_modes_and_links() {
    let tmp = tempfile::tempdir().unwrap();
    let app = appimage(tmp.path(), &backhand_image("#!/bin/sh\necho hi\n"));
    let dest = tmp.path().join("out");
    let stats = extract(&app, payload_offset(&app).unwrap(), &dest).unwrap();
    assert_eq!((stats.files, stats.symlinks), (4, 1));
    assert_eq!(
        stats.bytes,
        300_000 + 4 + 10 + "#!/bin/sh\necho hi\n".len() as u64
    );
    assert_eq!(
        fs::read(dest.join("usr/share/doc/big.txt")).unwrap(),
        big_content()
    );
    assert_eq!(
        fs::read_link(dest.join("usr/lib/libfoo.so")).unwrap(),
        PathBuf::from("libfoo.so.1")
    );
    assert_eq!(fs::read(dest.join("usr/lib/libfoo.so")).unwrap(), b"ELF?");
    assert_eq!(mode(&dest.join("AppRun")), 0o755);
    // Never set-uid, whatever the image says.
    assert_eq!(mode(&dest.join("usr/bin/app")), 0o755);
    assert_eq!(mode(&dest.join("usr/share/doc/big.txt")), 0o444);
    // Read-only directories stay removable by their owner.
    assert_eq!(mode(&dest.join("usr/share/doc")), 0o755);
    fs::remove_dir_all(&dest).unwrap();
}

#[test]
fn a_build_is_extracted_once_and_an_interrupted_one_is_redone() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let app = appimage(tmp.path(), &backhand_image("#!/bin/sh\n"));
    let offset = payload_offset(&app).unwrap();

    let (dir, first) = ensure_extracted(&app, offset, &cache).unwrap();
    assert_eq!(first.unwrap().files, 4);
    assert!(dir.join(COMPLETE_MARKER).is_file());
    let (again, second) = ensure_extracted(&app, offset, &cache).unwrap();
    assert_eq!((again.clone(), second), (dir.clone(), None));

    // A start killed in the middle left the folder without its marker: extracted again.
    fs::remove_file(dir.join(COMPLETE_MARKER)).unwrap();
    fs::remove_file(dir.join("usr/lib/libfoo.so.1")).unwrap();
    let (redone, stats) = ensure_extracted(&app, offset, &cache).unwrap();
    assert_eq!(redone, dir);
    assert!(stats.is_some());
    assert_eq!(fs::read(dir.join("usr/lib/libfoo.so.1")).unwrap(), b"ELF?");
    // No temporary folder left behind.
    let names: Vec<_> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // Another build (another AppRun) gets its own folder; the first one is kept (recent).
    let v2 = tmp.path().join("v2");
    fs::create_dir_all(&v2).unwrap();
    let app2 = appimage(&v2, &backhand_image("#!/bin/sh\nexit 3\n"));
    assert_ne!(
        payload_key(&app2, offset).unwrap(),
        payload_key(&app, offset).unwrap()
    );
    let (dir2, _) = ensure_extracted(&app2, offset, &cache).unwrap();
    assert_ne!(dir2, dir);
    assert!(dir.is_dir());
}

#[test]
fn a_runtime_without_image_says_so_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let bare = tmp.path().join("bare");
    fs::copy(RUNTIME, &bare).unwrap();
    let err = payload_offset(&bare).unwrap_err().to_string();
    assert!(err.contains("aucune image SquashFS"), "{err}");
    let out = Command::new(&bare).output().unwrap();
    assert_eq!(out.status.code(), Some(127));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Gestion Usinage : aucune image SquashFS"),
        "{stderr}"
    );
}

#[test]
fn the_runtime_starts_app_run_with_the_appimage_variables() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.txt");
    let app_run = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$APPDIR\" \"$APPIMAGE\" \"$OWD\" \"$*\" > '{}'\nexit 7\n",
        report.display()
    );
    let app = appimage(tmp.path(), &backhand_image(&app_run));
    let cache = tmp.path().join("c");
    let run = || {
        Command::new(&app)
            .args(["--serveur", "un deux"])
            .current_dir(tmp.path())
            .env("USINAGE_APPIMAGE_CACHE", &cache)
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("première ouverture de cette version"));
    let lines: Vec<String> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert!(lines[0].starts_with(cache.to_str().unwrap()), "{lines:?}");
    assert_eq!(lines[1], app.to_str().unwrap());
    assert_eq!(lines[2], tmp.path().to_str().unwrap());
    assert_eq!(lines[3], "--serveur un deux");
    // Second start: nothing extracted, nothing said.
    let out = run();
    assert_eq!(out.status.code(), Some(7));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = Command::new(&app)
        .arg("--appimage-offset")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        fs::metadata(RUNTIME).unwrap().len().to_string()
    );
    let out = Command::new(&app)
        .arg("--appimage-extract")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        tmp.path()
            .join("squashfs-root/usr/share/doc/big.txt")
            .is_file()
    );
    let out = Command::new(&app)
        .arg("--appimage-inconnue")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert!(String::from_utf8_lossy(&out.stderr).contains("option inconnue"));
}

/// The image the build script makes: Debian's mksquashfs, gzip, owned by root.
#[test]
fn mksquashfs_image_is_extracted_identically() {
    let mksquashfs = ["/usr/bin/mksquashfs", "/usr/sbin/mksquashfs"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("mksquashfs absent: install squashfs-tools (scripts/test.sh does)");
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("AppDir");
    fs::create_dir_all(src.join("usr/lib/sub")).unwrap();
    fs::write(src.join("AppRun"), "#!/bin/sh\n").unwrap();
    fs::set_permissions(src.join("AppRun"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(src.join("usr/lib/big.bin"), big_content()).unwrap();
    // Same content twice: mksquashfs stores it once.
    fs::write(src.join("usr/lib/sub/copy.bin"), big_content()).unwrap();
    fs::write(src.join("usr/lib/empty"), b"").unwrap();
    std::os::unix::fs::symlink("../AppRun", src.join("usr/run")).unwrap();
    let image = tmp.path().join("app.squashfs");
    let status = Command::new(mksquashfs)
        .arg(&src)
        .arg(&image)
        .args([
            "-root-owned",
            "-noappend",
            "-comp",
            "gzip",
            "-quiet",
            "-no-progress",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let app = appimage(tmp.path(), &fs::read(&image).unwrap());
    let dest = tmp.path().join("out");
    let stats = extract(&app, payload_offset(&app).unwrap(), &dest).unwrap();
    assert_eq!((stats.files, stats.symlinks), (4, 1));
    assert_eq!(
        fs::read(dest.join("usr/lib/sub/copy.bin")).unwrap(),
        big_content()
    );
    assert_eq!(fs::read(dest.join("usr/lib/empty")).unwrap(), b"");
    assert_eq!(
        fs::read_link(dest.join("usr/run")).unwrap(),
        PathBuf::from("../AppRun")
    );
    assert_eq!(mode(&dest.join("AppRun")), 0o755);
}
