mod common;

use serde_json::{Value, json};

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().unwrap().clone()
}

fn codes(v: &Value, key: &str) -> Vec<String> {
    items(v)
        .iter()
        .map(|m| m[key].as_str().unwrap().to_string())
        .collect()
}

fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
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

fn date_plus(d: &str, days: i64) -> String {
    let d: chrono::NaiveDate = d.parse().unwrap();
    (d + chrono::Duration::days(days)).to_string()
}

on_all_backends! {
    async fn the_demo_fleet_has_its_eight_machines_with_their_characteristics(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let p = app.get("/api/v1/machines?per_page=100", &chef).await.json();
        assert_eq!(p["total"], 8);
        assert_eq!(codes(&p, "code"), ["M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08"]);
        let m05 = items(&p).into_iter().find(|m| m["code"] == "M05").unwrap();
        assert_eq!(m05["kind"], "fraiseuse_5axes");
        assert_eq!(m05["kind_label"], "Fraiseuse 5 axes");
        assert_eq!(m05["cnc_controller"], "heidenhain");
        assert_eq!(m05["rotary_axes"], "B −35/+110°, C 360° continu");
        assert_eq!(m05["max_spindle_rpm"], 15000);
        assert_eq!(m05["machine_rate"], "105.00");
        assert_eq!(m05["status"], "disponible");
        assert_eq!(m05["status_label"], "Disponible");
        let p = app.get("/api/v1/machines?kind=tour_fraiseur&sort=-code", &chef).await.json();
        assert_eq!(codes(&p, "code"), ["M03", "M02"]);
        let p = app.get("/api/v1/machines?q=heidenhain", &chef).await.json();
        assert_eq!(p["total"], 0, "controller is not a search field");
        let p = app.get("/api/v1/machines?q=mazak", &chef).await.json();
        assert_eq!(codes(&p, "code"), ["M03"]);
        app.get("/api/v1/machines?kind=robot", &chef).await.problem(422, "validation");
        app.get("/api/v1/machines?sort=photo", &chef).await.problem(422, "validation");
        let csv = app.get("/api/v1/machines?format=csv", &chef).await;
        csv.assert(200);
        let text = String::from_utf8_lossy(&csv.bytes).to_string();
        assert!(text.contains("M04;Centre d'usinage vertical 3 axes;Fraiseuse 3 axes;Haas;VF-2;2018"), "{text}");
        app
    }

    async fn a_machine_is_created_edited_and_its_status_changed_with_history_and_qr(app) {
        let app = app.with_demo().await;
        let methode = app.login("methode").await;
        let r = app.post("/api/v1/machines", &methode, json!({
            "code": "m09", "name": "Tour CN 2 axes", "kind": "tour", "brand": "Doosan", "model": "Lynx 2100",
            "year": 2024, "cnc_controller": "fanuc", "travel_x_mm": "205", "travel_z_mm": "510,5",
            "max_spindle_rpm": 6000, "spindle_power_kw": "15", "spindle_torque_nm": "191",
            "max_bar_diameter_mm": "51", "bar_feeder": true, "chuck_table_size": "Mandrin 8\"",
            "tool_magazine_size": 12, "rapid_traverse_m_min": "30", "cam_software": "TopSolid 7",
            "post_processor_ref": "TopSolid — Fanuc 0i-TF", "hour_counter_h": "12.5",
            "machine_rate": "68,50", "operator_rate": "27", "location": "Cellule tournage",
            "photo": "data:image/png;base64,iVBORw0KGgo="
        })).await;
        r.assert(201);
        let m = r.json();
        let id = m["id"].as_i64().unwrap();
        assert_eq!(m["code"], "M09");
        assert_eq!(m["travel_z_mm"], "510.5");
        assert_eq!(m["machine_rate"], "68.50");
        assert_eq!(m["operator_rate"], "27.00");
        assert_eq!(m["status"], "disponible");
        assert_eq!(m["has_photo"], true);
        assert_eq!(m["url"], format!("{}/machines/{id}", common::BASE_URL));
        // The list does not carry photos; the record does.
        let p = app.get("/api/v1/machines?q=m09", &methode).await.json();
        assert_eq!(p["items"][0]["photo"], Value::Null);
        assert_eq!(p["items"][0]["has_photo"], true);

        // Edit: absent fields stay, null clears.
        let r = app.patch(&format!("/api/v1/machines/{id}"), &methode, json!({"version": 1, "name": "Tour CN Lynx", "photo": null, "hour_counter_h": "40"})).await;
        r.assert(200);
        let m = r.json();
        assert_eq!((m["name"].as_str(), m["brand"].as_str(), m["has_photo"].as_bool(), m["version"].as_i64()), (Some("Tour CN Lynx"), Some("Doosan"), Some(false), Some(2)));
        app.patch(&format!("/api/v1/machines/{id}"), &methode, json!({"version": 1, "name": "Autre"})).await.problem(409, "stale_version");

        // Status bar: methods may not change the status? they may (rcu on machines).
        let t = app.get(&format!("/api/v1/machines/{id}/transitions"), &methode).await.json();
        let tos: Vec<&str> = t.as_array().unwrap().iter().map(|x| x["to"].as_str().unwrap()).collect();
        assert_eq!(tos, ["en_maintenance", "en_panne"]);
        let r = app.post(&format!("/api/v1/machines/{id}/transitions"), &methode, json!({"to": "en_panne", "version": 2})).await;
        r.assert(200);
        assert_eq!(r.json()["status_label"], "En panne");
        app.post(&format!("/api/v1/machines/{id}/transitions"), &methode, json!({"to": "en_panne", "version": 3})).await.problem(409, "illegal_transition");
        app.post(&format!("/api/v1/machines/{id}/transitions"), &methode, json!({"to": "cassee", "version": 3})).await.problem(422, "validation");
        let p = app.get("/api/v1/machines?status=en_panne", &methode).await.json();
        assert_eq!(codes(&p, "code"), ["M09"]);

        let h = app.get(&format!("/api/v1/machines/{id}/history"), &methode).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["transition", "update", "create"]);
        assert_eq!(h["items"][0]["after"]["status"], "en_panne");
        assert!(h["items"][2]["after"].get("photo").is_none(), "the audit keeps no photo");

        let q = app.get(&format!("/api/v1/qr/machines/{id}.svg"), &methode).await;
        q.assert(200);
        assert_eq!(q.content_type(), "image/svg+xml");
        app.get("/api/v1/qr/machines/9999.svg", &methode).await.problem(404, "not_found");
        app
    }

    async fn invalid_machines_get_a_french_422_naming_each_field_and_nothing_is_written(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let machines = app.count("machines").await;
        let audits = app.count("audit_log").await;
        let p = app.post("/api/v1/machines", &admin, json!({
            "code": "M 10!", "kind": "robot", "year": 1949, "cnc_controller": "okuma",
            "travel_x_mm": "-5", "max_spindle_rpm": 100001, "spindle_power_kw": "0",
            "rapid_traverse_m_min": "abc", "tool_magazine_size": 0, "machine_rate": "-3",
            "photo": "https://example.com/p.png"
        })).await.problem(422, "validation");
        assert_eq!(fields(&p), ["code", "name", "kind", "year", "cnc_controller", "travel_x_mm", "max_spindle_rpm", "spindle_power_kw", "tool_magazine_size", "rapid_traverse_m_min", "photo", "machine_rate"]);
        assert_eq!(p["errors"][6]["message"], "La valeur doit être entre 1 et 100000.");
        // A photo over 300 kB.
        let big = format!("data:image/jpeg;base64,{}", "A".repeat(310 * 1024));
        let p = app.post("/api/v1/machines", &admin, json!({"code": "M10", "name": "X", "kind": "scie", "photo": big})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "photo_too_large");
        // Duplicate code; wrong JSON type names the field.
        let p = app.post("/api/v1/machines", &admin, json!({"code": "m04", "name": "Doublon", "kind": "scie"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "code_taken");
        let p = app.post("/api/v1/machines", &admin, json!({"code": "M10", "name": "X", "kind": "scie", "year": "deux mille"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "year");
        let id = id_of(&app, &admin, "/api/v1/machines", "M02").await;
        let p = app.patch(&format!("/api/v1/machines/{id}"), &admin, json!({"version": 1, "year": 2100, "name": ""})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["name", "year"]);
        assert_eq!(app.count("machines").await, machines);
        assert_eq!(app.count("audit_log").await, audits);
        app
    }

    async fn an_operator_reads_machines_and_instruments_but_cannot_change_them_nor_read_hr(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        app.get("/api/v1/machines", &op).await.assert(200);
        let id = id_of(&app, &op, "/api/v1/machines", "M03").await;
        app.post("/api/v1/machines", &op, json!({"code": "M10", "name": "X", "kind": "scie"})).await.problem(403, "forbidden");
        app.post(&format!("/api/v1/machines/{id}/transitions"), &op, json!({"to": "en_panne", "version": 1})).await.problem(403, "forbidden");
        assert_eq!(app.get(&format!("/api/v1/machines/{id}/transitions"), &op).await.json(), json!([]));
        app.get("/api/v1/instruments", &op).await.assert(200);
        app.post("/api/v1/instruments", &op, json!({"code": "I99", "name": "X", "instrument_type": "bague", "calibration_interval_months": 12})).await.problem(403, "forbidden");
        app.get("/api/v1/employees", &op).await.problem(403, "forbidden");
        app.get("/api/v1/employees/reminders", &op).await.problem(403, "forbidden");
        app
    }

    async fn the_demo_shows_today_one_expired_instrument_and_one_due_within_a_month(app) {
        let app = app.with_demo().await;
        let q = app.login("qualite").await;
        let p = app.get("/api/v1/instruments?per_page=100", &q).await.json();
        assert_eq!(p["total"], 17);
        let by = |c: &str| items(&p).into_iter().find(|m| m["code"] == c).unwrap();
        assert_eq!(by("I09")["state"], "expire");
        assert_eq!(by("I09")["state_label"], "Expiré");
        assert_eq!(by("I09")["usable"], false);
        assert_eq!(by("I05")["state"], "a_etalonner");
        let due = by("I05")["days_to_due"].as_i64().unwrap();
        assert!((20..=24).contains(&due), "I05 due in {due} days");
        assert_eq!(by("I01")["state"], "valide");
        assert_eq!(by("I16")["calibration_interval_months"], 36);
        // next = last + interval
        let i16 = by("I16");
        let last: chrono::NaiveDate = i16["last_calibration"].as_str().unwrap().parse().unwrap();
        assert_eq!(i16["next_calibration"].as_str().unwrap(), last.checked_add_months(chrono::Months::new(36)).unwrap().to_string());
        let p = app.get("/api/v1/instruments?state=expire", &q).await.json();
        assert_eq!(codes(&p, "code"), ["I09"]);
        let p = app.get("/api/v1/instruments?state=a_etalonner", &q).await.json();
        assert_eq!(codes(&p, "code"), ["I05"]);
        let p = app.get("/api/v1/instruments?state=valide&instrument_type=micrometre", &q).await.json();
        assert_eq!(codes(&p, "code"), ["I04", "I06"]);
        app.get("/api/v1/instruments?state=perime", &q).await.problem(422, "validation");
        let x = app.get("/api/v1/instruments?format=xlsx", &q).await;
        x.assert(200);
        assert!(x.content_type().contains("spreadsheetml"));
        let id = by("I09")["id"].as_i64().unwrap();
        app.get(&format!("/api/v1/qr/instruments/{id}.png"), &q).await.assert(200);
        app
    }

    async fn an_expired_instrument_cannot_be_used_without_an_exception_and_the_exception_expires(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let direction = app.login("direction").await;
        let i09 = id_of(&app, &op, "/api/v1/instruments", "I09").await;
        let i01 = id_of(&app, &op, "/api/v1/instruments", "I01").await;
        // A valid instrument is used freely by the shop floor.
        let r = app.post(&format!("/api/v1/instruments/{i01}/use"), &op, json!({"reference": "OF-2026-0142 / OP20"})).await;
        r.assert(201);
        assert_eq!(r.json()["state"], "valide");
        // The expired one is refused, in French, and nothing is recorded.
        let uses = app.count("instrument_uses").await;
        let p = app.post(&format!("/api/v1/instruments/{i09}/use"), &op, json!({"reference": "OF-2026-0142 / OP30"})).await.problem(409, "instrument_blocked");
        assert!(p["detail"].as_str().unwrap().starts_with("L'instrument I09 n'est plus étalonné depuis le "), "{p}");
        assert!(p["detail"].as_str().unwrap().ends_with("utilisation refusée sans dérogation de la direction."));
        assert_eq!(app.count("instrument_uses").await, uses);
        app.post(&format!("/api/v1/instruments/{i09}/use"), &op, json!({"reference": " "})).await.problem(422, "validation");
        // Only a holder of instruments.validate records an exception, with a reason and an end date.
        app.post(&format!("/api/v1/instruments/{i09}/exceptions"), &op, json!({"reason": "urgent", "valid_until": "2099-01-01"})).await.problem(403, "forbidden");
        let p = app.post(&format!("/api/v1/instruments/{i09}/exceptions"), &direction, json!({"reason": "", "valid_until": "2020-01-01"})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["reason", "valid_until"]);
        let inst = app.get(&format!("/api/v1/instruments/{i09}"), &direction).await.json();
        let next = inst["next_calibration"].as_str().unwrap().to_string();
        let today = date_plus(&next, inst["days_to_due"].as_i64().unwrap().abs());
        let until = date_plus(&today, 3);
        let r = app.post(&format!("/api/v1/instruments/{i09}/exceptions"), &direction, json!({"reason": "Tampon de remplacement commandé, contrôle croisé au micromètre I04", "valid_until": until})).await;
        r.assert(201);
        let ex = r.json();
        assert_eq!(ex["current"], true);
        assert_eq!(ex["granted_by_login"], "direction");
        let inst = app.get(&format!("/api/v1/instruments/{i09}"), &op).await.json();
        assert_eq!((inst["state"].as_str(), inst["usable"].as_bool()), (Some("expire"), Some(true)));
        assert_eq!(inst["current_exception"]["id"], ex["id"]);
        let r = app.post(&format!("/api/v1/instruments/{i09}/use"), &op, json!({"reference": "OF-2026-0142 / OP30"})).await;
        r.assert(201);
        assert_eq!(r.json()["exception_id"], ex["id"]);
        assert_eq!(r.json()["state"], "expire");
        // Once its end date has passed, the exception no longer covers a use.
        app.exec(&format!("UPDATE instrument_exceptions SET valid_until = '{}' WHERE id = {}", date_plus(&today, -1), ex["id"])).await;
        app.post(&format!("/api/v1/instruments/{i09}/use"), &op, json!({"reference": "OF-2026-0142 / OP40"})).await.problem(409, "instrument_blocked");
        let inst = app.get(&format!("/api/v1/instruments/{i09}"), &op).await.json();
        assert_eq!((inst["usable"].as_bool(), inst["current_exception"].is_null()), (Some(false), true));
        let u = app.get(&format!("/api/v1/instruments/{i09}/uses"), &op).await.json();
        assert_eq!(u.as_array().unwrap().len(), 1);
        let h = app.get(&format!("/api/v1/instruments/{i09}/history"), &op).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["use", "exception", "create"]);
        app
    }

    async fn recording_a_calibration_sets_last_and_next_dates_and_a_failed_one_blocks(app) {
        let app = app.with_demo().await;
        let q = app.login("qualite").await;
        let i09 = id_of(&app, &q, "/api/v1/instruments", "I09").await;
        let inst = app.get(&format!("/api/v1/instruments/{i09}"), &q).await.json();
        let today = date_plus(inst["next_calibration"].as_str().unwrap(), -inst["days_to_due"].as_i64().unwrap());
        let cals = app.count("instrument_calibrations").await;
        let p = app.post(&format!("/api/v1/instruments/{i09}/calibrations"), &q, json!({"date": date_plus(&today, 1), "result": "bon", "performed_by": ""})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["date", "result", "performed_by"]);
        assert_eq!(p["errors"][0]["message"], "La date ne peut pas être dans le futur.");
        assert_eq!(app.count("instrument_calibrations").await, cals);
        let r = app.post(&format!("/api/v1/instruments/{i09}/calibrations"), &q, json!({"date": today, "result": "conforme", "certificate_no": "CE-2026-118", "performed_by": "Nadia Belkacem"})).await;
        r.assert(201);
        let inst = r.json();
        assert_eq!(inst["last_calibration"], today.as_str());
        let d: chrono::NaiveDate = today.parse().unwrap();
        assert_eq!(inst["next_calibration"], d.checked_add_months(chrono::Months::new(12)).unwrap().to_string());
        assert_eq!(inst["state"], "valide");
        assert_eq!(inst["certificate_ref"], "CE-2026-118");
        assert_eq!(inst["version"], 2);
        let h = app.get(&format!("/api/v1/instruments/{i09}/calibrations"), &q).await.json();
        let h = h.as_array().unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!((h[0]["result_label"].as_str(), h[0]["recorded_by"].as_str()), (Some("Conforme"), Some("qualite")));
        // A calibration before the last one is refused.
        app.post(&format!("/api/v1/instruments/{i09}/calibrations"), &q, json!({"date": date_plus(&today, -400), "result": "conforme", "performed_by": "X"})).await.problem(422, "validation");
        // A non-conforming result blocks the instrument.
        let r = app.post(&format!("/api/v1/instruments/{i09}/calibrations"), &q, json!({"date": today, "result": "non_conforme", "performed_by": "Nadia Belkacem", "notes": "Côté n'entre pas usé"})).await;
        r.assert(201);
        assert_eq!((r.json()["state"].as_str(), r.json()["usable"].as_bool()), (Some("non_conforme"), Some(false)));
        app.post(&format!("/api/v1/instruments/{i09}/use"), &q, json!({"reference": "OF-1"})).await.problem(409, "instrument_blocked");
        app
    }

    async fn an_instrument_is_created_with_its_next_calibration_computed_and_bad_input_refused(app) {
        let app = app.with_demo().await;
        let q = app.login("qualite").await;
        let n = app.count("instruments").await;
        let p = app.post("/api/v1/instruments", &q, json!({"code": "i01", "instrument_type": "jauge", "calibration_interval_months": 0, "last_calibration": "31/01/2026", "serial": "SN-1105-0311"})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["name", "instrument_type", "calibration_interval_months", "last_calibration"]);
        let p = app.post("/api/v1/instruments", &q, json!({"code": "i01", "name": "Bague", "instrument_type": "bague", "calibration_interval_months": 12, "serial": "SN-1105-0311"})).await.problem(422, "validation");
        let codes: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["code_taken", "serial_taken"]);
        assert_eq!(app.count("instruments").await, n);
        let r = app.post("/api/v1/instruments", &q, json!({"code": "I18", "name": "Bague lisse", "instrument_type": "bague", "range": "Ø25 h6", "calibration_interval_months": 1, "last_calibration": "2026-01-31"})).await;
        r.assert(201);
        let i = r.json();
        assert_eq!(i["next_calibration"], "2026-02-28");
        assert_eq!(i["state"], "expire");
        assert_eq!(i["instrument_type_label"], "Bague");
        // Never calibrated = expired (blocked).
        let r = app.post("/api/v1/instruments", &q, json!({"code": "I19", "name": "Comparateur", "instrument_type": "comparateur", "calibration_interval_months": 12})).await;
        assert_eq!(r.json()["state"], "expire");
        // Out of service: PATCH active=false, and a use is refused.
        let id = r.json()["id"].as_i64().unwrap();
        let r = app.patch(&format!("/api/v1/instruments/{id}"), &q, json!({"version": 1, "active": false, "interval": 3})).await;
        r.assert(200);
        assert_eq!(r.json()["status"], "hors_service");
        app.post(&format!("/api/v1/instruments/{id}/use"), &q, json!({"reference": "OF-1"})).await.problem(409, "instrument_out_of_service");
        app
    }

    async fn the_demo_staff_has_its_skills_matrix_and_certifications(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let p = app.get("/api/v1/employees?per_page=100", &chef).await.json();
        assert_eq!(p["total"], 12);
        let by = |m: &str| items(&p).into_iter().find(|e| e["matricule"] == m).unwrap();
        let e04 = by("E04");
        assert_eq!(e04["full_name"], "Thierry Gonon");
        assert_eq!(e04["skills"], json!({"CAM": 2, "CMM": 2, "DEBURR": 2, "GRIND": 2, "LATHE_Y": 3, "MILL3": 3, "MILL5": 2, "SAW": 2, "WELD_TIG": 1}));
        assert_eq!(e04["weekly_hours"], json!(["8.5", "8.5", "8.5", "8.5", "5", "0", "0"]));
        assert_eq!(e04["weekly_total"], "39");
        assert_eq!(e04["certifications_state"], "expire");
        let hab = e04["certifications"].as_array().unwrap().iter().find(|c| c["kind"] == "habilitation_electrique").unwrap().clone();
        assert_eq!(hab["state"], "expire");
        assert_eq!(by("E05")["certifications_state"], "expire_bientot");
        assert_eq!(by("E07")["weekly_total"], "17.5");
        assert!(by("E08")["user_id"].is_i64());
        let p = app.get("/api/v1/employees?skill=mill5&min_level=3", &chef).await.json();
        assert_eq!(codes(&p, "matricule"), ["E03", "E10"]);
        let p = app.get("/api/v1/employees?skill=WELD_TIG", &chef).await.json();
        assert_eq!(codes(&p, "matricule"), ["E12"]);
        let p = app.get("/api/v1/employees?category=cadre", &chef).await.json();
        assert_eq!(codes(&p, "matricule"), ["E02"]);
        app.get("/api/v1/employees?skill=JUGGLING", &chef).await.problem(422, "validation");
        app.get("/api/v1/employees?skill=SAW&min_level=5", &chef).await.problem(422, "validation");
        let csv = app.get("/api/v1/employees?format=csv&sort=matricule", &chef).await;
        csv.assert(200);
        assert!(String::from_utf8_lossy(&csv.bytes).contains("E12;Pelletier;Sébastien"));
        app
    }

    async fn certification_reminders_fall_at_j30_and_j10_before_expiry(app) {
        let app = app.with_demo().await;
        let direction = app.login("direction").await;
        // Today: E05's SST in its J-30 window, E04's habilitation and E12's ISO 9606 FM5 expired;
        // E12's CACES (41 days) not yet.
        let r = app.get("/api/v1/employees/reminders", &direction).await.json();
        let r = r.as_array().unwrap();
        let stage_of = |m: &str, kind: &str| r.iter().find(|x| x["matricule"] == m && x["kind"] == kind).map(|x| x["stage"].as_str().unwrap().to_string());
        assert_eq!(stage_of("E05", "sst").as_deref(), Some("j30"));
        assert_eq!(stage_of("E04", "habilitation_electrique").as_deref(), Some("expire"));
        assert_eq!(stage_of("E12", "iso_9606").as_deref(), Some("expire"));
        assert_eq!(stage_of("E12", "caces_r489"), None);
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r[0]["days_left"].as_i64() < r[2]["days_left"].as_i64());
        // Moving the date: E12's CACES at J-31, J-30, J-11, J-10 and the day after expiry.
        let e12 = id_of(&app, &direction, "/api/v1/employees", "E12").await;
        let e = app.get(&format!("/api/v1/employees/{e12}"), &direction).await.json();
        let caces = e["certifications"].as_array().unwrap().iter().find(|c| c["kind"] == "caces_r489").unwrap().clone();
        let exp = caces["expires_on"].as_str().unwrap().to_string();
        for (offset, want) in [(-31, None), (-30, Some("j30")), (-11, Some("j30")), (-10, Some("j10")), (0, Some("j10")), (1, Some("expire"))] {
            let r = app.get(&format!("/api/v1/employees/reminders?date={}", date_plus(&exp, offset)), &direction).await.json();
            let got = r.as_array().unwrap().iter().find(|x| x["certification_id"] == caces["id"]).map(|x| x["stage"].as_str().unwrap().to_string());
            assert_eq!(got.as_deref(), want, "J{offset}");
        }
        app.get("/api/v1/employees/reminders?date=27/11/2026", &direction).await.problem(422, "validation");
        // Renewing the certification clears the reminder.
        let r = app.patch(&format!("/api/v1/employees/{e12}/certifications/{}", caces["id"]), &direction, json!({"version": 1, "issued_on": date_plus(&exp, -60), "expires_on": date_plus(&exp, 1765)})).await;
        r.assert(200);
        assert_eq!(r.json()["state"], "valide");
        let r = app.get(&format!("/api/v1/employees/reminders?date={}", date_plus(&exp, -10)), &direction).await.json();
        assert!(!r.as_array().unwrap().iter().any(|x| x["certification_id"] == caces["id"]));
        app
    }

    async fn an_employee_is_created_with_a_39_hour_week_and_invalid_input_is_refused(app) {
        let app = app.with_demo().await;
        let direction = app.login("direction").await;
        let employees = app.count("employees").await;
        let audits = app.count("audit_log").await;
        let p = app.post("/api/v1/employees", &direction, json!({
            "matricule": "", "first_name": "Léa", "category": "stagiaire", "hire_date": "2026-13-01",
            "weekly_hours": ["10", "10", "10", "10", "10", "0"], "hourly_cost": "12,345",
            "skills": {"MILL3": 4, "JUGGLING": 1}
        })).await.problem(422, "validation");
        assert_eq!(fields(&p), ["matricule", "last_name", "category", "hire_date", "weekly_hours", "hourly_cost", "skills", "skills"]);
        let p = app.post("/api/v1/employees", &direction, json!({"matricule": "E20", "first_name": "Léa", "last_name": "Martin", "category": "ouvrier", "weekly_hours": ["10", "10", "10", "10", "10", "0", "0"]})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "over_48h");
        let p = app.post("/api/v1/employees", &direction, json!({"matricule": "e01", "first_name": "Léa", "last_name": "Martin", "category": "ouvrier", "user_id": 9999})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["matricule", "user_id"]);
        assert_eq!(app.count("employees").await, employees);
        assert_eq!(app.count("audit_log").await, audits);

        let r = app.post("/api/v1/employees", &direction, json!({
            "matricule": "e13", "first_name": "Léa", "last_name": "Martin", "job_title": "Fraiseuse 3 axes",
            "category": "ouvrier", "hire_date": "2026-11-02", "weekly_hours": ["8.5", "8,5", "8.5", "8.5", "5", "0", "0"],
            "hourly_cost": "24.80", "skills": {"MILL3": 2, "DEBURR": 1, "SAW": 0}
        })).await;
        r.assert(201);
        let e = r.json();
        let id = e["id"].as_i64().unwrap();
        assert_eq!(e["matricule"], "E13");
        assert_eq!(e["weekly_total"], "39");
        assert_eq!(e["hourly_cost"], "24.80");
        assert_eq!(e["skills"], json!({"DEBURR": 1, "MILL3": 2}));
        assert_eq!(e["url"], format!("{}/employees/{id}", common::BASE_URL));
        let r = app.patch(&format!("/api/v1/employees/{id}"), &direction, json!({"version": 1, "skills": {"MILL3": 3}, "job_title": null})).await;
        r.assert(200);
        assert_eq!((r.json()["skills"].clone(), r.json()["job_title"].clone()), (json!({"MILL3": 3}), Value::Null));
        app.patch(&format!("/api/v1/employees/{id}"), &direction, json!({"version": 1, "first_name": "Lea"})).await.problem(409, "stale_version");
        // Certifications.
        let p = app.post(&format!("/api/v1/employees/{id}/certifications"), &direction, json!({"kind": "permis", "designation": "", "issued_on": "2026-01-10", "expires_on": "2025-01-10"})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["kind", "designation", "expires_on"]);
        let r = app.post(&format!("/api/v1/employees/{id}/certifications"), &direction, json!({"kind": "sst", "designation": "Sauveteur secouriste du travail", "issued_on": "2025-01-10", "expires_on": "2027-01-10"})).await;
        r.assert(201);
        assert_eq!(r.json()["kind_label"], "Sauveteur secouriste du travail (SST)");
        let h = app.get(&format!("/api/v1/employees/{id}/history"), &direction).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["certification_add", "update", "create"]);
        assert_eq!(h["items"][1]["before"]["skills"], json!({"DEBURR": 1, "MILL3": 2}));
        // Read-only roles cannot write HR.
        let compta = app.login("compta").await;
        app.get(&format!("/api/v1/employees/{id}"), &compta).await.assert(200);
        app.patch(&format!("/api/v1/employees/{id}"), &compta, json!({"version": 2, "first_name": "X"})).await.problem(403, "forbidden");
        app.post("/api/v1/employees", &compta, json!({})).await.problem(403, "forbidden");
        app
    }
}

on_all_backends! {
    async fn linking_an_employee_to_a_user_account_is_mirrored_on_the_account(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let direction = app.login("direction").await;
        let u = app.post("/api/v1/users", &admin, json!({"login": "lmartin", "full_name": "Léa Martin", "password": "Fraisage-3-axes!", "roles": ["operateur"]})).await;
        u.assert(201);
        let uid = u.json()["id"].as_i64().unwrap();
        let e = app.post("/api/v1/employees", &direction, json!({"matricule": "E40", "first_name": "Léa", "last_name": "Martin", "category": "ouvrier", "user_id": uid})).await;
        e.assert(201);
        let eid = e.json()["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/users/{uid}"), &admin).await.json()["employee_id"], eid);
        // Moving the link to another account clears it on the first one.
        let u2 = app.post("/api/v1/users", &admin, json!({"login": "lmartin2", "full_name": "Léa Martin", "password": "Fraisage-3-axes!", "roles": ["operateur"]})).await.json()["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/employees/{eid}"), &direction, json!({"version": 1, "user_id": u2})).await.assert(200);
        assert_eq!(app.get(&format!("/api/v1/users/{uid}"), &admin).await.json()["employee_id"], Value::Null);
        assert_eq!(app.get(&format!("/api/v1/users/{u2}"), &admin).await.json()["employee_id"], eid);
        app.patch(&format!("/api/v1/employees/{eid}"), &direction, json!({"version": 2, "user_id": null})).await.assert(200);
        assert_eq!(app.get(&format!("/api/v1/users/{u2}"), &admin).await.json()["employee_id"], Value::Null);
        // Creating an account for an employee links both ways; an employee already linked is refused.
        let u3 = app.post("/api/v1/users", &admin, json!({"login": "lmartin3", "full_name": "Léa Martin", "password": "Fraisage-3-axes!", "roles": ["operateur"], "employee_id": eid})).await;
        u3.assert(201);
        let u3 = u3.json()["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/employees/{eid}"), &direction).await.json()["user_id"], u3);
        let p = app.post("/api/v1/users", &admin, json!({"login": "lmartin4", "full_name": "Léa Martin", "password": "Fraisage-3-axes!", "roles": ["operateur"], "employee_id": eid})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "employee_linked");
        let p = app.post("/api/v1/users", &admin, json!({"login": "lmartin5", "full_name": "Léa Martin", "password": "Fraisage-3-axes!", "roles": ["operateur"], "employee_id": 999999})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "unknown_employee");
        app
    }
}
