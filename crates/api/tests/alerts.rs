mod common;

use serde_json::{Value, json};
use std::collections::BTreeSet;
use usinage_api::routes::instruments::paris_today;

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().unwrap().clone()
}

fn of_kind(v: &Value, kind: &str) -> Vec<Value> {
    items(v).into_iter().filter(|a| a["kind"] == kind).collect()
}

fn ids(list: &[Value], key: &str) -> BTreeSet<i64> {
    list.iter().map(|a| a[key].as_i64().unwrap()).collect()
}

async fn id_of(app: &common::TestApp, token: &str, path: &str, code: &str) -> i64 {
    let p = app.get(&format!("{path}?q={code}"), token).await.json();
    items(&p)
        .iter()
        .find(|m| m["code"] == code || m["matricule"] == code)
        .unwrap_or_else(|| panic!("{code} in {p}"))["id"]
        .as_i64()
        .unwrap()
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "critique" => 0,
        "attention" => 1,
        _ => 2,
    }
}

on_all_backends! {
    async fn the_demo_alerts_show_the_expired_and_due_instruments_the_certifications_and_the_stock_under_minimum(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        // Before the first run the snapshot is empty.
        assert_eq!(app.get("/api/v1/alerts/count", &admin).await.json()["total"], 0);
        let n = usinage_app::alerts::recompute(&app.db, paris_today()).await.unwrap();
        assert_eq!(app.count("alerts").await, n as i64);
        let all = app.get("/api/v1/alerts", &admin).await.json();
        assert_eq!(all["total"].as_u64(), Some(n as u64));
        assert!(all["computed_at"].is_string());

        // Instruments: I09 expired (critical, blocked), I05 due within a month (warning).
        let i09 = id_of(&app, &admin, "/api/v1/instruments", "I09").await;
        let i05 = id_of(&app, &admin, "/api/v1/instruments", "I05").await;
        let cal = of_kind(&all, "etalonnage");
        let by_id = |id: i64| cal.iter().find(|a| a["entity_id"] == id).cloned().unwrap_or_else(|| panic!("{id} in {cal:?}"));
        let a = by_id(i09);
        assert_eq!(a["severity"], "critique");
        assert_eq!(a["severity_label"], "Critique");
        assert_eq!(a["kind_label"], "Étalonnage");
        assert_eq!(a["entity_type"], "instruments");
        assert_eq!(a["url"], format!("{}/instruments/{i09}", common::BASE_URL));
        assert!(a["title"].as_str().unwrap().starts_with("Étalonnage expiré : I09"), "{a}");
        assert!(a["due_date"].is_string());
        let a = by_id(i05);
        assert_eq!(a["severity"], "attention");
        assert!(a["title"].as_str().unwrap().starts_with("Étalonnage à prévoir : I05"), "{a}");

        // Certifications: E04 expired (critical), E05 at J-30 (information), E12's FM5 expired.
        let hab = of_kind(&all, "habilitation");
        let e04 = id_of(&app, &admin, "/api/v1/employees", "E04").await;
        let e05 = id_of(&app, &admin, "/api/v1/employees", "E05").await;
        let e12 = id_of(&app, &admin, "/api/v1/employees", "E12").await;
        let sev = |id: i64| hab.iter().filter(|a| a["entity_id"] == id).map(|a| a["severity"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(sev(e04), ["critique"]);
        assert_eq!(sev(e05), ["info"]);
        assert_eq!(sev(e12), ["critique"]);
        assert_eq!(hab.len(), 3, "{hab:?}");
        let e05a = hab.iter().find(|a| a["entity_id"] == e05).unwrap();
        assert!(e05a["detail"].as_str().unwrap().contains("(J-"), "{e05a}");
        assert_eq!(e05a["url"], format!("{}/employees/{e05}", common::BASE_URL));

        // Tools: exactly the tools the stock service says are under their minimum.
        let below = app.get("/api/v1/tools?below_min=true&active=true&per_page=500", &admin).await.json();
        let want = ids(&items(&below), "id");
        assert!(!want.is_empty());
        assert_eq!(ids(&of_kind(&all, "stock_outil"), "entity_id"), want);
        // Materials: one alert per minimum rule under its minimum, pointing at the grade.
        let mat = app.get("/api/v1/material-stock/alerts", &admin).await.json();
        let mat = mat.as_array().unwrap();
        assert!(!mat.is_empty());
        let ours = of_kind(&all, "stock_matiere");
        assert_eq!(ours.len(), mat.len());
        assert_eq!(ids(&ours, "entity_id"), ids(mat, "grade_id"));
        assert!(ours.iter().all(|a| a["entity_type"] == "materials"));

        // Critical first.
        let ranks: Vec<u8> = items(&all).iter().map(|a| severity_rank(a["severity"].as_str().unwrap())).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
        // Filters and export.
        let f = app.get("/api/v1/alerts?kind=etalonnage&severity=critique", &admin).await.json();
        assert!(items(&f).iter().all(|a| a["kind"] == "etalonnage" && a["severity"] == "critique"));
        assert!(ids(&items(&f), "entity_id").contains(&i09));
        let p = app.get("/api/v1/alerts?kind=meteo&severity=grave", &admin).await.problem(422, "validation");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["kind", "severity"]);
        let csv = app.get("/api/v1/alerts?format=csv", &admin).await;
        assert!(csv.content_type().starts_with("text/csv"));
        app
    }

    async fn an_operator_without_hr_read_sees_no_certification_alerts(app) {
        let app = app.with_demo().await;
        usinage_app::alerts::recompute(&app.db, paris_today()).await.unwrap();
        let op = app.login("operateur").await;
        let mine = app.get("/api/v1/alerts", &op).await.json();
        assert!(of_kind(&mine, "habilitation").is_empty());
        assert!(!of_kind(&mine, "etalonnage").is_empty());
        assert!(!of_kind(&mine, "stock_outil").is_empty());
        let c = app.get("/api/v1/alerts/count", &op).await.json();
        assert_eq!(c["total"].as_u64(), mine["total"].as_u64());
        // Even asking for them by kind gives nothing.
        assert_eq!(app.get("/api/v1/alerts?kind=habilitation", &op).await.json()["total"], 0);
        // The accountant reads hr but none of tools, materials, instruments.
        let compta = app.login("compta").await;
        let his = app.get("/api/v1/alerts", &compta).await.json();
        assert!(!items(&his).is_empty());
        assert!(items(&his).iter().all(|a| a["kind"] == "habilitation"));
        // Anonymous callers get nothing.
        app.request(axum::http::Method::GET, "/api/v1/alerts", None, None, &[]).await.problem(401, "unauthenticated");
        app
    }

    async fn recording_a_calibration_of_the_expired_instrument_removes_its_alert(app) {
        let app = app.with_demo().await;
        let q = app.login("qualite").await;
        let i09 = id_of(&app, &q, "/api/v1/instruments", "I09").await;
        app.post("/api/v1/alerts/refresh", &q, json!({})).await.assert(200);
        let before = app.get("/api/v1/alerts?kind=etalonnage", &q).await.json();
        assert!(ids(&items(&before), "entity_id").contains(&i09));
        let inst = app.get(&format!("/api/v1/instruments/{i09}"), &q).await.json();
        let today = paris_today().to_string();
        assert_eq!(inst["state"], "expire", "{inst}");
        app.post(&format!("/api/v1/instruments/{i09}/calibrations"), &q, json!({"date": today, "result": "conforme", "certificate_no": "CE-2026-118", "performed_by": "Nadia Belkacem"})).await.assert(201);
        // The snapshot is unchanged until the next run…
        let still = app.get("/api/v1/alerts?kind=etalonnage", &q).await.json();
        assert!(ids(&items(&still), "entity_id").contains(&i09));
        // …which drops it.
        let c = app.post("/api/v1/alerts/refresh", &q, json!({})).await.json();
        let after = app.get("/api/v1/alerts?kind=etalonnage", &q).await.json();
        assert!(!ids(&items(&after), "entity_id").contains(&i09));
        assert_eq!(items(&after).len(), items(&before).len() - 1);
        let all = app.get("/api/v1/alerts", &q).await.json();
        assert_eq!(c["total"].as_u64(), all["total"].as_u64());
        app
    }

    async fn the_count_badge_matches_the_list_for_every_role(app) {
        let app = app.with_demo().await;
        usinage_app::alerts::recompute(&app.db, paris_today()).await.unwrap();
        for login in ["admin", "direction", "chef", "methode", "qualite", "commercial", "compta", "operateur"] {
            let t = app.login(login).await;
            let list = app.get("/api/v1/alerts", &t).await.json();
            let c = app.get("/api/v1/alerts/count", &t).await.json();
            let n = |s: &str| items(&list).iter().filter(|a| a["severity"] == s).count() as u64;
            assert_eq!(c["total"].as_u64(), list["total"].as_u64(), "{login}");
            assert_eq!(c["critique"].as_u64(), Some(n("critique")), "{login}");
            assert_eq!(c["attention"].as_u64(), Some(n("attention")), "{login}");
            assert_eq!(c["info"].as_u64(), Some(n("info")), "{login}");
        }
        // Recomputing replaces the snapshot, it does not add to it.
        let before = app.count("alerts").await;
        usinage_app::alerts::recompute(&app.db, paris_today()).await.unwrap();
        assert_eq!(app.count("alerts").await, before);
        app
    }

    async fn alerts_move_with_the_date_a_certification_expired_a_year_later(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let later = paris_today() + chrono::Duration::days(400);
        usinage_app::alerts::recompute(&app.db, later).await.unwrap();
        let all = app.get("/api/v1/alerts", &admin).await.json();
        let e05 = id_of(&app, &admin, "/api/v1/employees", "E05").await;
        let a = of_kind(&all, "habilitation").into_iter().find(|a| a["entity_id"] == e05).unwrap();
        assert_eq!(a["severity"], "critique");
        assert!(a["title"].as_str().unwrap().starts_with("Habilitation expirée"));
        app
    }
}
