mod common;

use serde_json::json;
use usinage_app::backup;

on_all_backends! {
    async fn a_backup_restored_into_an_empty_database_gives_the_same_data(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        app.post("/api/v1/users", &admin, json!({"login": "r.tissot", "full_name": "Romain Tissot", "password": "Fraisage-5axes!", "roles": ["operateur", "chef_atelier"]})).await.assert(201);
        let mut m = app.get("/api/v1/rights", &admin).await.json();
        m["grants"]["qualite"]["users"] = json!(["read"]);
        app.put("/api/v1/rights", &admin, json!({"grants": m["grants"]})).await.assert(200);
        let dumped = backup::dump(&app.db).await.unwrap();
        let text = serde_json::to_string(&dumped).unwrap();

        // Restore into a fresh database of each backend (SQLite → PostgreSQL crosses too).
        for target in common::TestApp::all().await {
            let b: backup::Backup = serde_json::from_str(&text).unwrap();
            backup::restore(&target.db, b).await.unwrap();
            let again = backup::dump(&target.db).await.unwrap();
            assert_eq!(again.tables, dumped.tables, "{} → {}", app.backend, target.backend);
            assert!(usinage_app::audit::verify(&target.db).await.unwrap().ok);
            // The restored shop works: log in, and new ids do not collide.
            let t = target.login("admin").await;
            target.post("/api/v1/users", &t, json!({"login": "apres.restauration", "full_name": "Après", "password": "Restauration-OK1", "roles": ["operateur"]})).await.assert(201);
            assert!(usinage_app::audit::verify(&target.db).await.unwrap().ok);
            // A second restore into a non-empty database is refused.
            let b: backup::Backup = serde_json::from_str(&text).unwrap();
            assert_eq!(backup::restore(&target.db, b).await.unwrap_err().code, "database_not_empty");
            target.close().await;
        }
        app
    }
}
