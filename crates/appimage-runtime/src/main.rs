//! The program at the head of `Gestion_Usinage-x86_64.AppImage`.
//!
//! Without option: extracts the image into the user's cache on the first start of a build
//! (`~/.cache/usinage-appimage/<build>`), then runs its `AppRun` with the given arguments and
//! the variables of the AppImage convention (`APPIMAGE`, `APPDIR`, `ARGV0`, `OWD`).
//! Options of the standard runtime kept: `--appimage-extract` (to `./squashfs-root`),
//! `--appimage-offset`, `--appimage-version`, `--appimage-help`; `--appimage-extract-and-run`
//! is what it always does.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use usinage_appimage_runtime::{
    Error, default_cache_root, ensure_extracted, extract, payload_offset,
};

const NAME: &str = "Gestion Usinage";

fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let rest: Vec<_> = args.collect();
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => return fail(&format!("chemin du programme introuvable : {e}")),
    };
    let first = rest.first().and_then(|a| a.to_str()).unwrap_or("");
    if first.starts_with("--appimage-") && first != "--appimage-extract-and-run" {
        return option(first, &rest[1..], &exe);
    }
    let rest = if first == "--appimage-extract-and-run" {
        &rest[1..]
    } else {
        &rest[..]
    };

    let offset = match payload_offset(&exe) {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    let started = Instant::now();
    let root = default_cache_root(|k| std::env::var(k).ok());
    let dir = match ensure_extracted(&exe, offset, &root) {
        Ok((dir, stats)) => {
            if let Some(s) = stats {
                eprintln!(
                    "{NAME} : première ouverture de cette version, {} fichiers ({} Mo) préparés dans {} en {:.1} s",
                    s.files,
                    s.bytes / 1_000_000,
                    dir.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            dir
        }
        Err(Error::Io(e)) => {
            // A home folder that cannot be written (read-only, full): the temporary folder.
            let fallback = std::env::temp_dir().join(format!("usinage-appimage-{}", uid()));
            eprintln!(
                "{NAME} : cache {} inutilisable ({e}), essai dans {}",
                root.display(),
                fallback.display()
            );
            match ensure_extracted(&exe, offset, &fallback) {
                Ok((dir, _)) => dir,
                Err(e) => return fail(&e.to_string()),
            }
        }
        Err(e) => return fail(&e.to_string()),
    };

    let app_run = dir.join("AppRun");
    let mut cmd = Command::new(&app_run);
    cmd.args(rest)
        .env("APPIMAGE", &exe)
        .env("APPDIR", &dir)
        .env("ARGV0", &argv0);
    if let Ok(owd) = std::env::current_dir() {
        cmd.env("OWD", owd);
    }
    let e = cmd.exec();
    fail(&format!("impossible de lancer {} : {e}", app_run.display()))
}

fn option(name: &str, args: &[std::ffi::OsString], exe: &Path) -> ExitCode {
    match name {
        "--appimage-offset" => match payload_offset(exe) {
            Ok(o) => {
                println!("{o}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
        "--appimage-extract" => {
            if !args.is_empty() {
                return fail(
                    "--appimage-extract n'accepte pas de motif : tout le contenu est extrait",
                );
            }
            let dest = PathBuf::from("squashfs-root");
            match payload_offset(exe).and_then(|o| extract(exe, o, &dest)) {
                Ok(s) => {
                    println!(
                        "{} fichiers, {} dossiers, {} liens extraits dans squashfs-root",
                        s.files, s.dirs, s.symlinks
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            }
        }
        "--appimage-version" => {
            println!("usinage-appimage-runtime {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        "--appimage-help" => {
            println!(
                "{NAME} (AppImage)\n\n\
                 Sans option : prépare l'application dans ~/.cache/usinage-appimage au premier lancement\n\
                 de cette version (ou $USINAGE_APPIMAGE_CACHE), puis la démarre.\n\n\
                 --appimage-extract          extrait le contenu dans ./squashfs-root\n\
                 --appimage-extract-and-run  comportement par défaut\n\
                 --appimage-offset           position de l'image SquashFS dans le fichier\n\
                 --appimage-version          version de ce programme de lancement\n\
                 --appimage-help             cette aide"
            );
            ExitCode::SUCCESS
        }
        other => fail(&format!("option inconnue : {other} (voir --appimage-help)")),
    }
}

fn uid() -> u32 {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(0)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{NAME} : {message}");
    ExitCode::from(127)
}
