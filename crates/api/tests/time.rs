mod common;

use axum::http::Method;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use common::{Resp, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use usinage_documents::time::ParisTz;
use usinage_store::entities::{job_operation, time_entry};

async fn me(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/auth/me", token).await.json()["id"]
        .as_i64()
        .expect("id")
}

async fn clock(app: &TestApp, token: &str, body: Value, key: Option<&str>) -> Resp {
    let extra: Vec<(&str, &str)> = key.map(|k| ("Idempotency-Key", k)).into_iter().collect();
    app.request(
        Method::POST,
        "/api/v1/time/clock",
        Some(token),
        Some(body),
        &extra,
    )
    .await
}

fn replayed(r: &Resp) -> bool {
    r.headers
        .get("idempotency-replayed")
        .is_some_and(|v| v == "true")
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// Monday of the ISO week two weeks before the current one (Paris): a week entirely in the past.
fn past_monday() -> NaiveDate {
    let today = Utc::now().with_timezone(&ParisTz).date_naive();
    today - Duration::days(i64::from(today.weekday().num_days_from_monday())) - Duration::weeks(2)
}

fn week_label(monday: NaiveDate) -> String {
    let w = monday.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// `h:m` UTC on `d` (07:00 UTC is 08:00 or 09:00 in Paris: same date).
fn at(d: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(h, m, 0).unwrap())
}

async fn entry(
    app: &TestApp,
    token: &str,
    user_id: Option<i64>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Resp {
    let mut body = json!({
        "kind": "presence", "started_at": iso(start), "ended_at": iso(end),
        "reason": "Oubli de pointage",
    });
    if let Some(u) = user_id {
        body["user_id"] = json!(u);
    }
    app.post("/api/v1/time/entries", token, body).await
}

async fn approve(app: &TestApp, chef: &str, id: &Value) -> Value {
    let r = app
        .post(
            &format!("/api/v1/time/requests/{id}/decision"),
            chef,
            json!({"approve": true}),
        )
        .await;
    r.assert(200);
    r.json()
}

fn day(ts: &Value, d: NaiveDate) -> &Value {
    ts["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["date"] == d.to_string())
        .unwrap_or_else(|| panic!("no day {d} in {ts}"))
}

/// A validated order with one turned line: returns its job and the job's first operation.
async fn an_operation(app: &TestApp) -> (i64, i64) {
    let sales = app.login("commercial").await;
    let first = |path: String| {
        let sales = sales.clone();
        async move {
            app.get(&path, &sales).await.json()["items"][0]["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("no item at {path}"))
        }
    };
    let client = first("/api/v1/clients?q=Hydrol".into()).await;
    let grade = first("/api/v1/materials?q=C45".into()).await;
    let q = app
        .post(
            "/api/v1/quotes",
            &sales,
            json!({"client_id": client, "subject": "Bagues"}),
        )
        .await
        .json();
    let id = q["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/quotes/{id}/lines"),
            &sales,
            json!({
                "part_name": "Bague Ø45", "drawing_number": "BG-45", "drawing_revision": "B",
                "grade_id": grade, "quantities": [10], "shape": "turned",
                "envelope": {"diameter": 45.0, "length": 65.0},
            }),
        )
        .await;
    r.assert(201);
    let l = r.json();
    app.patch(
        &format!("/api/v1/quote-lines/{}", l["id"]),
        &sales,
        json!({"reviewed": true, "version": l["version"]}),
    )
    .await
    .assert(200);
    for s in ["a_valider", "envoye", "accepte"] {
        app.post(
            &format!("/api/v1/quotes/{id}/status"),
            &sales,
            json!({"status": s}),
        )
        .await
        .assert(200);
    }
    let q = app
        .get(&format!("/api/v1/quotes/{id}"), &sales)
        .await
        .json();
    let order = q["order_id"].as_i64().expect("order");
    let o = app
        .get(&format!("/api/v1/orders/{order}"), &sales)
        .await
        .json();
    app.patch(
        &format!("/api/v1/orders/{order}"),
        &sales,
        json!({"customer_po_number": "PO-1", "customer_po_date": "2026-12-01", "version": o["version"]}),
    )
    .await
    .assert(200);
    let r = app
        .post(
            &format!("/api/v1/orders/{order}/status"),
            &sales,
            json!({"status": "validee"}),
        )
        .await;
    r.assert(200);
    let job = r.json()["lines"][0]["job"]["id"].as_i64().expect("job");
    let methode = app.login("methode").await;
    let j = app
        .get(&format!("/api/v1/jobs/{job}"), &methode)
        .await
        .json();
    (job, j["operations"][0]["id"].as_i64().expect("operation"))
}

on_all_backends! {
    async fn clock_in_and_out_refuses_double_clocking(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let c = app.get("/api/v1/time/clock", &op).await;
        c.assert(200);
        assert_eq!(c.json()["clocked_in"], false);
        // Arrived 30 minutes ago (a queued scan), leaves now.
        let arrival = Utc::now() - Duration::minutes(30);
        let r = clock(&app, &op, json!({"action": "in", "occurred_at": iso(arrival)}), None).await;
        r.assert(200);
        let v = r.json();
        assert_eq!(v["clocked_in"], true);
        assert!(v["since"].as_str().is_some());
        assert!(!replayed(&r));
        let e = clock(&app, &op, json!({"action": "in"}), None).await.problem(409, "already_clocked_in");
        assert!(e["detail"].as_str().unwrap().starts_with("Vous êtes déjà pointé depuis "), "{e}");
        let g = app.get("/api/v1/time/clock", &op).await.json();
        assert_eq!(g["clocked_in"], true);
        assert!(g["today_min"].as_i64().unwrap() <= 31);
        let r = clock(&app, &op, json!({"action": "out"}), None).await;
        r.assert(200);
        assert_eq!(r.json()["clocked_in"], false);
        let e = clock(&app, &op, json!({"action": "out"}), None).await.problem(409, "not_clocked_in");
        assert!(e["detail"].as_str().unwrap().contains("pas pointé"), "{e}");
        assert_eq!(app.count("time_entries").await, 1);
        let list = app.get("/api/v1/time/entries?kind=presence", &op).await.json();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1);
        let m: f64 = list[0]["minutes"].as_str().unwrap().parse().unwrap();
        assert!((30.0..30.2).contains(&m), "{m}");
        assert_eq!(list[0]["status"], "valide");
        assert_eq!(list[0]["source"], "scan");
        assert_eq!(list[0]["user_name"], app.get("/api/v1/auth/me", &op).await.json()["full_name"]);
        // A queued arrival inside the recorded period is refused.
        clock(&app, &op, json!({"action": "in", "occurred_at": iso(arrival + Duration::minutes(10))}), None)
            .await
            .problem(409, "overlapping_entry");
        // Bad action and out-of-range device times.
        clock(&app, &op, json!({"action": "pause"}), None).await.problem(422, "validation");
        let e = clock(&app, &op, json!({"action": "in", "occurred_at": iso(Utc::now() + Duration::minutes(10))}), None)
            .await
            .problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "occurred_at");
        let e = clock(&app, &op, json!({"action": "in", "occurred_at": iso(Utc::now() - Duration::days(8))}), None)
            .await
            .problem(422, "validation");
        assert!(e["detail"].as_str().unwrap().contains("7 jours"), "{e}");
        assert_eq!(app.count("time_entries").await, 1);
        app
    }

    async fn a_replayed_clock_in_changes_nothing(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let r = clock(&app, &op, json!({"action": "in"}), Some("tap-0001")).await;
        r.assert(200);
        assert!(!replayed(&r));
        assert_eq!(r.json()["replayed"], false);
        let entries = app.count("time_entries").await;
        let events = app.count("shop_events").await;
        let audit = app.count("audit_log").await;
        let r = clock(&app, &op, json!({"action": "in"}), Some("tap-0001")).await;
        r.assert(200);
        assert!(replayed(&r));
        let v = r.json();
        assert_eq!(v["replayed"], true);
        assert_eq!(v["clocked_in"], true);
        assert_eq!(app.count("time_entries").await, entries);
        assert_eq!(app.count("shop_events").await, events);
        assert_eq!(app.count("audit_log").await, audit);
        // Another person may use the same key: keys are per user.
        let op2 = app.login("operateur2").await;
        let r = clock(&app, &op2, json!({"action": "in"}), Some("tap-0001")).await;
        r.assert(200);
        assert!(!replayed(&r));
        // A new key is a new action.
        clock(&app, &op, json!({"action": "in"}), Some("tap-0002")).await.problem(409, "already_clocked_in");
        // Manual entries are idempotent too.
        let d = past_monday();
        let body = json!({"kind": "presence", "started_at": iso(at(d, 7, 0)), "ended_at": iso(at(d, 15, 0)), "reason": "Oubli"});
        let r = app.request(Method::POST, "/api/v1/time/entries", Some(&op), Some(body.clone()), &[("Idempotency-Key", "entry-1")]).await;
        r.assert(201);
        let id = r.json()["id"].clone();
        let n = app.count("time_entries").await;
        let r = app.request(Method::POST, "/api/v1/time/entries", Some(&op), Some(body), &[("Idempotency-Key", "entry-1")]).await;
        r.assert(201);
        assert!(replayed(&r));
        assert_eq!(r.json()["id"], id);
        assert_eq!(app.count("time_entries").await, n);
        // An over-long key is refused.
        let long = "k".repeat(101);
        clock(&app, &op, json!({"action": "out"}), Some(&long)).await.problem(422, "validation");
        app
    }

    async fn an_operator_reads_only_his_own_time(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let op2 = app.login("operateur2").await;
        let chef = app.login("chef").await;
        let me_id = me(&app, &op).await;
        let other = me(&app, &op2).await;
        let e = app.get(&format!("/api/v1/time/timesheet?user_id={other}"), &op).await.problem(403, "forbidden");
        assert_eq!(e["detail"], "Vous ne pouvez consulter que vos propres pointages.");
        app.get(&format!("/api/v1/time/entries?user_id={other}"), &op).await.problem(403, "forbidden");
        let own = app.get("/api/v1/time/timesheet", &op).await;
        own.assert(200);
        assert_eq!(own.json()["user_id"], me_id);
        assert_eq!(own.json()["days"].as_array().unwrap().len(), 7);
        let r = app.get(&format!("/api/v1/time/timesheet?user_id={other}"), &chef).await;
        r.assert(200);
        assert_eq!(r.json()["user_id"], other);
        // An operator cannot enter time for someone else either.
        let d = past_monday();
        entry(&app, &op, Some(other), at(d, 7, 0), at(d, 9, 0)).await.problem(403, "forbidden");
        // Bad week.
        let e = app.get("/api/v1/time/timesheet?week=2026-49", &op).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "week");
        app.get("/api/v1/time/timesheet?week=262143-W01", &op)
            .await
            .problem(422, "validation");
        app.get("/api/v1/time/entries?to=262143-12-31", &op)
            .await
            .problem(422, "validation");
        // Every route is in the OpenAPI document.
        let doc = app
            .request(Method::GET, "/api/v1/openapi.json", None, None, &[])
            .await
            .json();
        for path in [
            "/api/v1/time/clock",
            "/api/v1/time/entries",
            "/api/v1/time/requests",
            "/api/v1/time/requests/{id}/decision",
            "/api/v1/time/timesheet",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from the spec");
        }
        app
    }

    async fn a_manual_entry_waits_for_the_chef_and_then_counts(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let chef = app.login("chef").await;
        let me_id = me(&app, &op).await;
        let monday = past_monday();
        let wed = monday + Duration::days(2);
        let r = entry(&app, &op, None, at(wed, 7, 0), at(wed, 15, 0)).await;
        r.assert(201);
        let e = r.json();
        assert_eq!(e["status"], "en_attente");
        assert_eq!(e["status_label"], "En attente");
        assert_eq!(e["source"], "manuel");
        assert_eq!(e["minutes"], "480.00");
        assert_eq!(e["user_id"], me_id);
        assert_eq!(e["requested_by"], "operateur");
        let week = week_label(monday);
        let ts = app.get(&format!("/api/v1/time/timesheet?week={week}"), &op).await.json();
        assert_eq!(ts["week"], week);
        assert_eq!(ts["monday"], monday.to_string());
        assert_eq!(ts["pending"], 1);
        assert_eq!(ts["total_min"], 0);
        assert_eq!(day(&ts, wed)["entries"][0]["id"], e["id"]);
        // The operator has time_tracking:validate (his operations) but does not decide on time.
        let f = app.post(&format!("/api/v1/time/requests/{}/decision", e["id"]), &op, json!({"approve": true})).await.problem(403, "forbidden");
        assert!(f["detail"].as_str().unwrap().contains("chef d'atelier"), "{f}");
        app.get("/api/v1/time/requests", &op).await.problem(403, "forbidden");
        let reqs = app.get("/api/v1/time/requests", &chef).await.json();
        assert_eq!(reqs.as_array().unwrap().len(), 1);
        assert_eq!(reqs[0]["id"], e["id"]);
        // Overlapping another request: 409 naming its times.
        let c = entry(&app, &op, None, at(wed, 14, 0), at(wed, 16, 0)).await.problem(409, "overlapping_entry");
        assert!(c["detail"].as_str().unwrap().contains("chevauche"), "{c}");
        // Refusing needs a note.
        let v = app.post(&format!("/api/v1/time/requests/{}/decision", e["id"]), &chef, json!({"approve": false})).await.problem(422, "validation");
        assert_eq!(v["errors"][0]["field"], "note");
        let a = approve(&app, &chef, &e["id"]).await;
        assert_eq!(a["status"], "approuvee");
        assert_eq!(a["decided_by"], "chef");
        assert!(a["decided_at"].as_str().is_some());
        app.post(&format!("/api/v1/time/requests/{}/decision", e["id"]), &chef, json!({"approve": false, "note": "non"})).await.problem(409, "already_decided");
        let ts = app.get(&format!("/api/v1/time/timesheet?week={week}"), &op).await.json();
        assert_eq!(ts["pending"], 0);
        assert_eq!(ts["total_min"], 480);
        assert_eq!(day(&ts, wed)["presence_min"], 480);
        assert_eq!(day(&ts, wed)["worked_min"], 480);
        assert_eq!(ts["overtime_25_min"], 0);
        // A refused request does not count.
        let thu = wed + Duration::days(1);
        let r = entry(&app, &op, None, at(thu, 7, 0), at(thu, 9, 0)).await.json();
        let d = app.post(&format!("/api/v1/time/requests/{}/decision", r["id"]), &chef, json!({"approve": false, "note": "Vous étiez en congé."})).await;
        d.assert(200);
        assert_eq!(d.json()["status"], "refusee");
        assert_eq!(d.json()["decision_note"], "Vous étiez en congé.");
        let ts = app.get(&format!("/api/v1/time/timesheet?week={week}"), &op).await.json();
        assert_eq!(ts["total_min"], 480);
        assert_eq!(day(&ts, thu)["entries"][0]["status"], "refusee");
        // Decided requests are listed on demand.
        let done = app.get("/api/v1/time/requests?status=refusee", &chef).await.json();
        assert_eq!(done.as_array().unwrap().len(), 1);
        // The list filter.
        let l = app.get(&format!("/api/v1/time/entries?from={monday}&to={}&status=approuvee", monday + Duration::days(6)), &chef).await.json();
        assert_eq!(l.as_array().unwrap().len(), 1);
        app.get("/api/v1/time/entries?from=hier", &chef).await.problem(422, "validation");
        app
    }

    async fn a_long_week_gives_the_limits_and_overtime_tiers(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let chef = app.login("chef").await;
        let uid = me(&app, &op).await;
        let monday = past_monday();
        // Monday to Friday 10 h, Saturday 2 h, entered by the chef and approved: 52 h.
        for i in 0..6 {
            let d = monday + Duration::days(i);
            let (s, e) = if i == 5 { (at(d, 7, 0), at(d, 9, 0)) } else { (at(d, 7, 0), at(d, 17, 0)) };
            let r = entry(&app, &chef, Some(uid), s, e).await;
            r.assert(201);
            let v = r.json();
            approve(&app, &chef, &v["id"]).await;
        }
        let week = week_label(monday);
        let ts = app.get(&format!("/api/v1/time/timesheet?user_id={uid}&week={week}"), &chef).await.json();
        let worked: Vec<i64> = ts["days"].as_array().unwrap().iter().map(|d| d["worked_min"].as_i64().unwrap()).collect();
        assert_eq!(worked, vec![600, 600, 600, 600, 600, 120, 0]);
        assert_eq!(ts["total_min"], 52 * 60);
        // 17 h above 35 h: 8 h at +25 %, 9 h at +50 %.
        assert_eq!(ts["overtime_25_min"], 8 * 60);
        assert_eq!(ts["overtime_50_min"], 9 * 60);
        assert_eq!(ts["average_12w_min"], 260);
        // 10 h a day is the maximum, not above it: only the week passes 48 h.
        let w = ts["warnings"].as_array().unwrap();
        assert_eq!(w.len(), 1, "{ts}");
        let fr = w[0].as_str().unwrap();
        assert!(fr.starts_with(&format!("52 h travaillées la semaine {week}")), "{fr}");
        assert!(fr.contains("maximum de 48 h par semaine (art. L3121-20)"), "{fr}");
        // Half an hour more on Monday: the request already shows both limits it would pass.
        let r = entry(&app, &chef, Some(uid), at(monday, 17, 0), at(monday, 17, 30)).await;
        r.assert(201);
        let v = r.json();
        let w: Vec<&str> = v["warnings"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
        assert_eq!(w.len(), 2, "{v}");
        assert!(w[0].starts_with("10 h 30 travaillées le "), "{w:?}");
        assert!(w[0].contains("maximum de 10 h par jour (art. L3121-18)"), "{w:?}");
        assert!(w[1].starts_with("52 h 30 travaillées la semaine"), "{w:?}");
        approve(&app, &chef, &v["id"]).await;
        let ts = app.get(&format!("/api/v1/time/timesheet?user_id={uid}&week={week}"), &chef).await.json();
        assert_eq!(ts["total_min"], 52 * 60 + 30);
        assert_eq!(ts["overtime_25_min"], 8 * 60);
        assert_eq!(ts["overtime_50_min"], 9 * 60 + 30);
        assert_eq!(ts["warnings"].as_array().unwrap().len(), 2);
        // English on request.
        let en = app.request(Method::GET, &format!("/api/v1/time/timesheet?user_id={uid}&week={week}"), Some(&chef), None, &[("Accept-Language", "en")]).await.json();
        assert!(en["warnings"][0].as_str().unwrap().starts_with("10 h 30 worked on "), "{en}");
        app
    }

    async fn bad_manual_entries_are_refused_and_write_nothing(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let entries = app.count("time_entries").await;
        let audit = app.count("audit_log").await;
        let d = past_monday();
        let cases = [
            (json!({"kind": "presence", "started_at": iso(at(d, 15, 0)), "ended_at": iso(at(d, 7, 0)), "reason": "Oubli"}), "ended_at", "La fin doit être après le début."),
            (json!({"kind": "presence", "started_at": iso(Utc::now() + Duration::hours(1)), "ended_at": iso(Utc::now() + Duration::hours(3)), "reason": "Oubli"}), "ended_at", "On ne peut pas saisir un temps dans le futur."),
            (json!({"kind": "presence", "started_at": iso(at(d, 4, 0)), "ended_at": iso(at(d, 4, 0) + Duration::hours(20)), "reason": "Oubli"}), "ended_at", "Une saisie ne peut pas dépasser 16 h (ici 20 h 00)."),
            (json!({"kind": "presence", "started_at": iso(at(d, 7, 0)), "ended_at": iso(at(d, 9, 0))}), "reason", "Indiquez le motif de la saisie manuelle"),
            (json!({"kind": "presence", "started_at": iso(at(d, 7, 0)), "ended_at": iso(at(d, 9, 0)), "reason": "   "}), "reason", "Indiquez le motif de la saisie manuelle"),
            (json!({"kind": "operation", "started_at": iso(at(d, 7, 0)), "ended_at": iso(at(d, 9, 0)), "reason": "Oubli"}), "operation_id", "Choisissez l'opération"),
            (json!({"kind": "operation", "operation_id": 999999, "started_at": iso(at(d, 7, 0)), "ended_at": iso(at(d, 9, 0)), "reason": "Oubli"}), "operation_id", "Opération n° 999999 introuvable."),
            (json!({"kind": "conge", "started_at": iso(at(d, 7, 0)), "ended_at": iso(at(d, 9, 0)), "reason": "Oubli"}), "kind", "Type de saisie inconnu"),
            (json!({"kind": "presence", "started_at": "hier", "ended_at": iso(at(d, 9, 0)), "reason": "Oubli"}), "started_at", "started_at"),
        ];
        for (body, field, fr) in cases {
            let e = app.post("/api/v1/time/entries", &op, body.clone()).await.problem(422, "validation");
            let errs = e["errors"].as_array().unwrap();
            let hit = errs.iter().find(|x| x["field"] == field).unwrap_or_else(|| panic!("{field} not in {e}"));
            assert!(hit["message"].as_str().unwrap().contains(fr), "{body} → {e}");
        }
        assert_eq!(app.count("time_entries").await, entries);
        assert_eq!(app.count("audit_log").await, audit);
        app
    }

    async fn decisions_update_the_operation_time(app) {
        let app = app.with_demo().await;
        let (_, op_id) = an_operation(&app).await;
        let op = app.login("operateur").await;
        let chef = app.login("chef").await;
        let uid = me(&app, &op).await;
        // A finished operation: 100 min measured, the operator declared 130 (the shop-floor
        // service writes this row at finish).
        let now = Utc::now();
        use chrono::SubsecRound;
        let now = now.trunc_subsecs(6);
        let o = job_operation::Entity::find_by_id(op_id).one(&app.db.conn).await.unwrap().unwrap();
        let mut am: job_operation::ActiveModel = o.into();
        am.actual_min = Set(Some("100.00".into()));
        am.time_status = Set(Some("en_attente".into()));
        am.update(&app.db.conn).await.unwrap();
        let declaration = |declared: &str| time_entry::ActiveModel {
            user_id: Set(uid),
            kind: Set("declaration".into()),
            operation_id: Set(Some(op_id)),
            started_at: Set(now - Duration::hours(2)),
            ended_at: Set(Some(now)),
            minutes: Set(Some(declared.into())),
            measured_min: Set(Some("100.00".into())),
            source: Set("correction".into()),
            status: Set("en_attente".into()),
            reason: Set(Some("Réglage long non scanné".into())),
            requested_by: Set("operateur".into()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        let d1 = declaration("130.00").insert(&app.db.conn).await.unwrap();
        let reqs = app.get("/api/v1/time/requests", &chef).await.json();
        assert_eq!(reqs[0]["kind"], "declaration");
        assert_eq!(reqs[0]["measured_min"], "100.00");
        assert!(reqs[0]["job_number"].as_str().unwrap().starts_with("OF-"), "{reqs}");
        approve(&app, &chef, &json!(d1.id)).await;
        let o = job_operation::Entity::find_by_id(op_id).one(&app.db.conn).await.unwrap().unwrap();
        assert_eq!(o.actual_min.as_deref(), Some("130.00"));
        assert_eq!(o.time_status.as_deref(), Some("approuve"));
        // A refused declaration leaves the time as it is.
        let d2 = declaration("200.00").insert(&app.db.conn).await.unwrap();
        app.post(&format!("/api/v1/time/requests/{}/decision", d2.id), &chef, json!({"approve": false, "note": "Temps mesuré cohérent."})).await.assert(200);
        let o = job_operation::Entity::find_by_id(op_id).one(&app.db.conn).await.unwrap().unwrap();
        assert_eq!(o.actual_min.as_deref(), Some("130.00"));
        assert_eq!(o.time_status.as_deref(), Some("refuse"));
        // A manual operation entry, once approved, adds its minutes.
        let d = past_monday();
        let r = app.post("/api/v1/time/entries", &op, json!({
            "kind": "operation", "operation_id": op_id, "started_at": iso(at(d, 7, 0)),
            "ended_at": iso(at(d, 7, 45)), "reason": "Ébavurage fait sans scanner",
        })).await;
        r.assert(201);
        let v = r.json();
        assert_eq!(v["operation_id"], op_id);
        assert_eq!(v["minutes"], "45.00");
        approve(&app, &chef, &v["id"]).await;
        let o = job_operation::Entity::find_by_id(op_id).one(&app.db.conn).await.unwrap().unwrap();
        assert_eq!(o.actual_min.as_deref(), Some("175.00"));
        // Without presence that day, the operation minutes count.
        let ts = app.get(&format!("/api/v1/time/timesheet?week={}", week_label(d)), &op).await.json();
        assert_eq!(day(&ts, d)["operation_min"], 45);
        assert_eq!(day(&ts, d)["worked_min"], 45);
        app
    }

    async fn clocking_out_closes_the_open_work_sessions(app) {
        let app = app.with_demo().await;
        let (job, op_id) = an_operation(&app).await;
        let methode = app.login("methode").await;
        let j = app.get(&format!("/api/v1/jobs/{job}"), &methode).await.json();
        app.post(&format!("/api/v1/jobs/{job}/routing/validate"), &methode, json!({"version": j["version"]})).await.assert(200);
        let op = app.login("operateur").await;
        clock(&app, &op, json!({"action": "in"}), None).await.assert(200);
        app.post(&format!("/api/v1/shop-floor/operations/{op_id}/start"), &op, json!({})).await.assert(200);
        let open = app.get("/api/v1/time/entries?kind=operation", &op).await.json();
        assert_eq!(open[0]["ended_at"], Value::Null, "{open}");
        let r = clock(&app, &op, json!({"action": "out"}), None).await;
        r.assert(200);
        assert_eq!(r.json()["clocked_in"], false);
        let sessions = app.get("/api/v1/time/entries?kind=operation", &op).await.json();
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 1);
        assert!(sessions[0]["ended_at"].as_str().is_some(), "{sessions:?}");
        let o = job_operation::Entity::find_by_id(op_id).one(&app.db.conn).await.unwrap().unwrap();
        assert_eq!(o.status, "en_pause");
        let e = time_entry::Entity::find_by_id(sessions[0]["id"].as_i64().unwrap()).one(&app.db.conn).await.unwrap().unwrap();
        assert_eq!(e.end_reason.as_deref(), Some("fin_de_poste"));
        app
    }
}
