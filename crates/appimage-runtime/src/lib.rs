//! The runtime of the desktop app's AppImage.
//!
//! An AppImage (type 2) is an ELF program followed by a SquashFS image of the application
//! folder (`AppDir`); the bytes `AI\x02` at offset 8 of the ELF mark the format. The official
//! runtime mounts the image with FUSE; this one extracts it once into the user's cache folder
//! and starts `AppRun` from there. It needs no FUSE (absent from many desktops since libfuse2
//! was dropped), and the second start finds the extracted folder ready.
//!
//! The extraction is made safe against two starts at the same time and against an interrupted
//! first start: files go to a temporary folder that is renamed to its final name only once
//! complete, and a folder without its completion marker is never used.

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use backhand::{FilesystemReader, InnerNode};
use sha2::{Digest, Sha256};

/// Bytes 8..11 of an AppImage of type 2.
pub const MAGIC: [u8; 3] = *b"AI\x02";
/// Written last in an extracted folder: without it the folder is incomplete.
pub const COMPLETE_MARKER: &str = ".usinage-extraction-complete";
/// Extracted versions not started for this long are removed by a newer one.
pub const KEEP_UNUSED: Duration = Duration::from_secs(7 * 24 * 3600);

/// What can go wrong, worded for the person who started the application.
#[derive(Debug)]
pub enum Error {
    Io(io::Error),
    NotElf(&'static str),
    NoPayload,
    Squashfs(String),
    UnsafePath(PathBuf),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => write!(f, "erreur d'entrée/sortie : {e}"),
            Error::NotElf(why) => {
                write!(f, "le programme n'est pas un ELF 64 bits lisible ({why})")
            }
            Error::NoPayload => write!(
                f,
                "aucune image SquashFS après le programme : le fichier AppImage est tronqué ou n'en est pas un"
            ),
            Error::Squashfs(e) => write!(f, "image SquashFS illisible : {e}"),
            Error::UnsafePath(p) => {
                write!(
                    f,
                    "chemin refusé dans l'image (sort du dossier) : {}",
                    p.display()
                )
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// End of an ELF64 little-endian file's own bytes: the section header table comes last, so
/// the end is `e_shoff + e_shnum * e_shentsize`. That is where the SquashFS image starts.
pub fn elf_end(header: &[u8]) -> Result<u64, Error> {
    if header.len() < 64 {
        return Err(Error::NotElf("en-tête trop court"));
    }
    if header[..4] != *b"\x7fELF" {
        return Err(Error::NotElf("signature ELF absente"));
    }
    if header[4] != 2 {
        return Err(Error::NotElf("pas un ELF 64 bits"));
    }
    if header[5] != 1 {
        return Err(Error::NotElf("pas petit-boutiste"));
    }
    let u64_at = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
    let u16_at = |at: usize| u16::from_le_bytes(header[at..at + 2].try_into().expect("2 bytes"));
    let shoff = u64_at(0x28);
    let shentsize = u64::from(u16_at(0x3A));
    let shnum = u64::from(u16_at(0x3C));
    shoff
        .checked_add(shentsize * shnum)
        .ok_or(Error::NotElf("table des sections hors limites"))
}

/// Offset of the SquashFS image in an AppImage file, checked: it must start with `hsqs`.
pub fn payload_offset(appimage: &Path) -> Result<u64, Error> {
    let mut file = File::open(appimage)?;
    let mut header = [0u8; 64];
    file.read_exact(&mut header)?;
    let offset = elf_end(&header)?;
    let mut magic = [0u8; 4];
    file.seek(SeekFrom::Start(offset))?;
    if file.read_exact(&mut magic).is_err() || magic != *b"hsqs" {
        return Err(Error::NoPayload);
    }
    Ok(offset)
}

/// Names one build of the image: SHA-256 of its superblock and of its last 64 KiB, which hold
/// the inode and directory tables (any change of a file moves them). Reading the whole
/// image (about 100 MB) on every start would cost more than the check is worth.
pub fn payload_key(appimage: &Path, offset: u64) -> Result<String, Error> {
    let mut file = File::open(appimage)?;
    let len = file.metadata()?.len();
    if len < offset + 96 {
        return Err(Error::NoPayload);
    }
    let mut hasher = Sha256::new();
    let mut superblock = [0u8; 96];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut superblock)?;
    hasher.update(superblock);
    let tail_start = (len - 65536).max(offset);
    file.seek(SeekFrom::Start(tail_start))?;
    let mut tail = Vec::with_capacity(65536);
    file.read_to_end(&mut tail)?;
    hasher.update(&tail);
    hasher.update(len.to_le_bytes());
    Ok(hex::encode(&hasher.finalize()[..12]))
}

/// What an extraction wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub files: u64,
    pub dirs: u64,
    pub symlinks: u64,
    pub bytes: u64,
    /// Device nodes, pipes and sockets: never needed by an application, not created.
    pub skipped: u64,
}

/// The path of a node inside `dest`, refusing anything that would leave it.
fn target_path(dest: &Path, fullpath: &Path) -> Result<PathBuf, Error> {
    let mut out = dest.to_path_buf();
    for part in fullpath.components() {
        match part {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(name) => out.push(name),
            Component::ParentDir | Component::Prefix(_) => {
                return Err(Error::UnsafePath(fullpath.to_path_buf()));
            }
        }
    }
    Ok(out)
}

/// Extracts the SquashFS image found at `offset` in `image` into `dest` (created if needed).
/// Permissions keep their rwx bits (never set-uid/set-gid); directories get theirs last so a
/// read-only directory can still be filled.
pub fn extract(image: &Path, offset: u64, dest: &Path) -> Result<Extracted, Error> {
    let reader = BufReader::with_capacity(1 << 20, File::open(image)?);
    let fs = FilesystemReader::from_reader_with_offset(reader, offset)
        .map_err(|e| Error::Squashfs(e.to_string()))?;
    fs::create_dir_all(dest)?;
    let mut done = Extracted::default();
    let mut dir_modes = Vec::new();
    for node in fs.files() {
        let path = target_path(dest, &node.fullpath)?;
        let mode = u32::from(node.header.permissions) & 0o777;
        match &node.inner {
            InnerNode::Dir(_) => {
                fs::create_dir_all(&path)?;
                dir_modes.push((path, mode));
                done.dirs += 1;
            }
            InnerNode::File(file) => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                let mut out = File::create(&path)?;
                let mut data = fs
                    .file(file)
                    .reader_checked()
                    .map_err(|e| Error::Squashfs(e.to_string()))?;
                done.bytes += io::copy(&mut data, &mut out)?;
                out.set_permissions(fs::Permissions::from_mode(mode))?;
                done.files += 1;
            }
            InnerNode::Symlink(link) => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                symlink(&link.link, &path)?;
                done.symlinks += 1;
            }
            _ => done.skipped += 1,
        }
    }
    // Deepest first, so a parent turned read-only does not stop its children.
    for (path, mode) in dir_modes.into_iter().rev() {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode | 0o700))?;
    }
    Ok(done)
}

/// The folder where the running build is extracted, extracting it first when needed.
/// Returns the folder and, when this call extracted it, what was written.
pub fn ensure_extracted(
    image: &Path,
    offset: u64,
    cache_root: &Path,
) -> Result<(PathBuf, Option<Extracted>), Error> {
    let key = payload_key(image, offset)?;
    let dir = cache_root.join(&key);
    let marker = dir.join(COMPLETE_MARKER);
    if marker.is_file() {
        touch(&marker);
        return Ok((dir, None));
    }
    fs::create_dir_all(cache_root)?;
    if dir.exists() {
        // An older start was interrupted before the rename could happen: never reuse it.
        fs::remove_dir_all(&dir)?;
    }
    let tmp = cache_root.join(format!(".tmp-{key}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let stats = match extract(image, offset, &tmp) {
        Ok(stats) => stats,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    fs::write(tmp.join(COMPLETE_MARKER), b"")?;
    if let Err(e) = fs::rename(&tmp, &dir) {
        // Another start of the same build finished first: use its folder.
        let _ = fs::remove_dir_all(&tmp);
        if !marker.is_file() {
            return Err(e.into());
        }
        return Ok((dir, None));
    }
    prune(cache_root, &key, KEEP_UNUSED);
    Ok((dir, Some(stats)))
}

fn touch(path: &Path) {
    if let Ok(file) = File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Removes, next to the current build `keep`, the extracted builds not started for `unused`
/// and the temporary folders of extractions older than an hour (interrupted ones).
/// Returns the names removed. Best effort: a folder that cannot be removed stays.
pub fn prune(cache_root: &Path, keep: &str, unused: Duration) -> Vec<String> {
    let now = SystemTime::now();
    let age = |p: &Path| {
        fs::metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
    };
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(cache_root) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name == keep || !path.is_dir() {
            continue;
        }
        let stale = if name.starts_with(".tmp-") {
            age(&path).is_some_and(|a| a > Duration::from_secs(3600))
        } else {
            match age(&path.join(COMPLETE_MARKER)) {
                Some(a) => a > unused,
                // Not one of ours, or an interrupted extraction: only when old.
                None => age(&path).is_some_and(|a| a > unused),
            }
        };
        if stale && fs::remove_dir_all(&path).is_ok() {
            removed.push(name);
        }
    }
    removed
}

/// Where extracted builds live: `$USINAGE_APPIMAGE_CACHE`, else `$XDG_CACHE_HOME` or
/// `~/.cache`, under `usinage-appimage`.
pub fn default_cache_root(env: impl Fn(&str) -> Option<String>) -> PathBuf {
    if let Some(dir) = env("USINAGE_APPIMAGE_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = env("XDG_CACHE_HOME")
        .filter(|d| Path::new(d).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            env("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| Path::new(&h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("usinage-appimage")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf_header(shoff: u64, shentsize: u16, shnum: u16) -> Vec<u8> {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        h[0x28..0x30].copy_from_slice(&shoff.to_le_bytes());
        h[0x3A..0x3C].copy_from_slice(&shentsize.to_le_bytes());
        h[0x3C..0x3E].copy_from_slice(&shnum.to_le_bytes());
        h
    }

    #[test]
    fn elf_end_is_after_the_section_headers() {
        assert_eq!(elf_end(&elf_header(1000, 64, 3)).unwrap(), 1192);
    }

    #[test]
    fn elf_end_of_a_real_program_is_its_length() {
        let exe = std::env::current_exe().unwrap();
        let bytes = fs::read(&exe).unwrap();
        assert_eq!(elf_end(&bytes[..64]).unwrap(), bytes.len() as u64);
    }

    #[test]
    fn not_an_elf_is_refused_in_french() {
        let mut h = elf_header(1, 1, 1);
        h[0] = b'M';
        assert!(
            elf_end(&h)
                .unwrap_err()
                .to_string()
                .contains("signature ELF absente")
        );
        let mut h = elf_header(1, 1, 1);
        h[4] = 1;
        assert!(elf_end(&h).unwrap_err().to_string().contains("64 bits"));
        assert!(matches!(elf_end(&[0u8; 10]), Err(Error::NotElf(_))));
        assert!(matches!(
            elf_end(&elf_header(u64::MAX, 64, 2)),
            Err(Error::NotElf(_))
        ));
    }

    #[test]
    fn paths_cannot_leave_the_destination() {
        let dest = Path::new("/cache/x");
        assert_eq!(
            target_path(dest, Path::new("/usr/bin/app")).unwrap(),
            dest.join("usr/bin/app")
        );
        assert_eq!(target_path(dest, Path::new("/")).unwrap(), dest);
        assert!(matches!(
            target_path(dest, Path::new("/usr/../../etc")),
            Err(Error::UnsafePath(_))
        ));
    }

    #[test]
    fn cache_root_follows_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            default_cache_root(env(&[
                ("USINAGE_APPIMAGE_CACHE", "/srv/c"),
                ("HOME", "/home/a")
            ])),
            PathBuf::from("/srv/c")
        );
        assert_eq!(
            default_cache_root(env(&[("XDG_CACHE_HOME", "/x/cache"), ("HOME", "/home/a")])),
            PathBuf::from("/x/cache/usinage-appimage")
        );
        // A relative XDG_CACHE_HOME is invalid by the XDG spec: ignored.
        assert_eq!(
            default_cache_root(env(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/home/a")])),
            PathBuf::from("/home/a/.cache/usinage-appimage")
        );
    }

    #[test]
    fn prune_keeps_current_and_recent_builds() {
        let root = tempfile::tempdir().unwrap();
        let mk = |name: &str, age_secs: u64| {
            let dir = root.path().join(name);
            fs::create_dir_all(&dir).unwrap();
            let marker = dir.join(COMPLETE_MARKER);
            fs::write(&marker, b"").unwrap();
            let t = SystemTime::now() - Duration::from_secs(age_secs);
            File::options()
                .append(true)
                .open(&marker)
                .unwrap()
                .set_modified(t)
                .unwrap();
        };
        mk("current", 30 * 24 * 3600);
        mk("recent", 3600);
        mk("old", 8 * 24 * 3600);
        fs::create_dir(root.path().join(".tmp-fresh-1")).unwrap();
        let mut removed = prune(root.path(), "current", KEEP_UNUSED);
        removed.sort();
        assert_eq!(removed, vec!["old".to_string()]);
        assert!(root.path().join("current").is_dir());
        assert!(root.path().join("recent").is_dir());
        assert!(root.path().join(".tmp-fresh-1").is_dir());
    }
}
