//! The binary's commands, run as a shop's admin would run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn usinage(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_usinage"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("USINAGE_DATABASE_URL")
        .env_remove("USINAGE_CONFIG")
        .output()
        .expect("run usinage")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Dir(PathBuf);
impl Dir {
    fn new() -> Dir {
        let p = std::env::temp_dir().join(format!("usinage-cli-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn demo_backup_restore_and_audit_verify_through_the_cli() {
    let a = Dir::new();
    let o = usinage(&a.0, &["demo"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("9 comptes"), "{}", text(&o));
    let o = usinage(
        &a.0,
        &[
            "admin",
            "create-user",
            "--login",
            "j.ravel",
            "--full-name",
            "Julien Ravel",
            "--roles",
            "methode,chef_atelier",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Mot de passe provisoire"));
    let bad = usinage(
        &a.0,
        &[
            "admin",
            "create-user",
            "--login",
            "x",
            "--full-name",
            "X",
            "--roles",
            "patron",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("Rôle inconnu"), "{}", text(&bad));

    let file = a.0.join("sauvegarde.json");
    let o = usinage(&a.0, &["backup", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("10 utilisateurs"), "{}", text(&o));

    let b = Dir::new();
    let o = usinage(&b.0, &["restore", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("intègre"));
    // Same data: a backup of the restored database has the same tables.
    let file2 = b.0.join("sauvegarde2.json");
    assert!(
        usinage(&b.0, &["backup", file2.to_str().unwrap()])
            .status
            .success()
    );
    let t1: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let t2: serde_json::Value = serde_json::from_slice(&std::fs::read(&file2).unwrap()).unwrap();
    assert_eq!(t1["tables"], t2["tables"]);
    // Restoring twice is refused.
    let o = usinage(&b.0, &["restore", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let o = usinage(&b.0, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("OK"));
}

#[test]
fn help_and_version_are_consistent() {
    let d = Dir::new();
    let o = usinage(&d.0, &["--help"]);
    assert!(o.status.success());
    let help = text(&o);
    for cmd in [
        "serve", "migrate", "demo", "admin", "backup", "restore", "audit",
    ] {
        assert!(help.contains(cmd), "{cmd} missing from --help");
    }
    assert!(help.contains("Démarre le serveur"));
    let o = usinage(&d.0, &["--version"]);
    assert!(text(&o).starts_with("usinage "));
}
