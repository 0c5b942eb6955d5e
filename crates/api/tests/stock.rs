mod common;

use serde_json::{Value, json};

async fn first_id(app: &common::TestApp, token: &str, path: &str) -> i64 {
    let r = app.get(path, token).await;
    r.assert(200);
    r.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no item at {path}"))
}

async fn location(app: &common::TestApp, token: &str, code: &str) -> i64 {
    first_id(app, token, &format!("/api/v1/locations?q={code}")).await
}

/// A fresh stock item of grade MA02 (C45, not certified) with `qty` bars.
async fn c45_bars(app: &common::TestApp, token: &str, qty: i64) -> Value {
    let grade = first_id(app, token, "/api/v1/materials?q=MA02").await;
    let r = app.post("/api/v1/material-stock", token, json!({"grade_id": grade, "shape": "rond", "diameter_mm": "45", "length_mm": "3000", "quantity": qty, "cost_per_kg": "2.30"})).await;
    r.assert(201);
    r.json()
}

on_all_backends! {
    async fn a_tool_is_created_with_cutting_data_stock_history_and_qr(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let loc = app.post("/api/v1/locations", &chef, json!({"code": "a3-t1-c4", "name": "Armoire A3, tiroir 1, case 4", "kind": "case", "saw_distance_m": "30"})).await;
        loc.assert(201);
        let loc = loc.json();
        assert_eq!(loc["code"], "A3-T1-C4");
        assert_eq!(loc["kind_label"], "Case");
        let loc_id = loc["id"].as_i64().unwrap();
        let r = app.post("/api/v1/tools", &chef, json!({"code": "T90", "name": "Fraise Ø12 Z3 alu", "type": "fraise", "diameter_mm": "12", "flutes": 3, "coating": "DLC", "supplier_name": "Outillage Forézien", "supplier_id": 42, "supplier_ref": "F12-Z3", "unit_price": "61,50", "min_stock": 2, "life_unit": "minutes", "life_limit": 300})).await;
        r.assert(201);
        let t = r.json();
        let id = t["id"].as_i64().unwrap();
        assert_eq!(t["type"], "fraise");
        assert_eq!(t["type_label"], "Fraise");
        assert_eq!(t["unit_price"], "61.50");
        assert_eq!(t["supplier_id"], 42);
        assert_eq!(t["on_hand"], 0);
        assert_eq!(t["below_min"], true);
        assert_eq!(t["url"], format!("{}/tools/{id}", common::BASE_URL));
        let c = app.post(&format!("/api/v1/tools/{id}/cutting-data"), &chef, json!({"iso_group": "N", "vc_min": "450", "vc_max": "650", "feed_kind": "fz", "feed_min": "0.05", "feed_max": "0.09", "ap_min": "0.5", "ap_max": "12", "ae_min": "1", "ae_max": "6", "source": "fournisseur"})).await;
        c.assert(201);
        assert_eq!(c.json()["iso_group_label"], "N — non ferreux");
        let p = app.post(&format!("/api/v1/tools/{id}/cutting-data"), &chef, json!({"iso_group": "X", "vc_min": "500", "vc_max": "400", "feed_kind": "fz", "source": "devine"})).await.problem(422, "validation");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["iso_group", "source", "vc_max"]);
        assert_eq!(app.get(&format!("/api/v1/tools/{id}/cutting-data"), &chef).await.json().as_array().unwrap().len(), 1);
        let m = app.post(&format!("/api/v1/tools/{id}/movements"), &chef, json!({"kind": "entree", "location_id": loc_id, "quantity": 5, "reason": "Réception BL 2611"})).await;
        m.assert(201);
        assert_eq!((m.json()["qty_before"].as_i64(), m.json()["qty_after"].as_i64()), (Some(0), Some(5)));
        let t = app.get(&format!("/api/v1/tools/{id}"), &chef).await.json();
        assert_eq!((t["on_hand"].as_i64(), t["available"].as_i64(), t["below_min"].as_bool()), (Some(5), Some(5), Some(false)));
        let lines = app.get(&format!("/api/v1/tools/{id}/stock"), &chef).await.json();
        assert_eq!(lines[0]["location_code"], "A3-T1-C4");
        // Edit with the version read; a stale version is refused.
        app.patch(&format!("/api/v1/tools/{id}"), &chef, json!({"version": 1, "coating": "", "life_used": 120})).await.assert(200);
        app.patch(&format!("/api/v1/tools/{id}"), &chef, json!({"version": 1, "name": "X"})).await.problem(409, "stale_version");
        let t = app.get(&format!("/api/v1/tools/{id}"), &chef).await.json();
        assert_eq!(t["coating"], Value::Null);
        assert_eq!(t["life_used"], 120);
        // A regrind resets the life counter.
        app.post(&format!("/api/v1/tools/{id}/movements"), &chef, json!({"kind": "reaffutage", "location_id": loc_id, "quantity": 1})).await.assert(201);
        let t = app.get(&format!("/api/v1/tools/{id}"), &chef).await.json();
        assert_eq!((t["life_used"].as_i64(), t["regrind_count"].as_i64(), t["on_hand"].as_i64()), (Some(0), Some(1), Some(4)));
        let h = app.get(&format!("/api/v1/tools/{id}/history"), &chef).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"create") && actions.contains(&"movement") && actions.contains(&"update") && actions.contains(&"cutting_data_add"), "{actions:?}");
        let q = app.get(&format!("/api/v1/qr/tools/{id}.svg"), &chef).await;
        q.assert(200);
        assert!(q.content_type().starts_with("image/svg"));
        app.get(&format!("/api/v1/qr/locations/{loc_id}.svg"), &chef).await.assert(200);
        app.get("/api/v1/qr/material-stock/999999.svg", &chef).await.problem(404, "not_found");
        let movements = app.get(&format!("/api/v1/tools/{id}/movements"), &chef).await.json();
        assert_eq!(movements["total"], 2);
        assert_eq!(movements["items"][0]["kind_label"], "Envoi en réaffûtage");
        app
    }

    async fn a_tool_without_type_gets_a_french_422_naming_type_and_nothing_is_written(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let tools = app.count("tools").await;
        let audits = app.count("audit_log").await;
        let p = app.post("/api/v1/tools", &chef, json!({"code": "T91", "name": "Foret sans type"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "type");
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("obligatoire"), "{p}");
        let p = app.post("/api/v1/tools", &chef, json!({"code": "T91", "name": "Foret", "type": "perceuse", "diameter_mm": "-3", "unit_price": "abc", "min_stock": -1})).await.problem(422, "validation");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["type", "diameter_mm", "unit_price", "min_stock"]);
        // Duplicate code.
        app.post("/api/v1/tools", &chef, json!({"code": "t01", "name": "Doublon", "type": "plaquette"})).await.problem(422, "validation");
        assert_eq!(app.count("tools").await, tools);
        assert_eq!(app.count("audit_log").await, audits);
        // An operator reads the crib but cannot create tools.
        let op = app.login("operateur").await;
        app.get("/api/v1/tools", &op).await.assert(200);
        app.post("/api/v1/tools", &op, json!({"code": "T92", "name": "X", "type": "foret"})).await.problem(403, "forbidden");
        app
    }

    async fn a_negative_stock_quantity_gets_a_french_422_and_nothing_is_written(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let grade = first_id(&app, &chef, "/api/v1/materials?q=MA02").await;
        let (items, moves, audits) = (app.count("material_stock").await, app.count("material_movements").await, app.count("audit_log").await);
        let p = app.post("/api/v1/material-stock", &chef, json!({"grade_id": grade, "shape": "rond", "diameter_mm": "45", "length_mm": "3000", "quantity": -5})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "quantity");
        assert_eq!(p["errors"][0]["message"], "La quantité ne peut pas être négative.");
        let tool = first_id(&app, &chef, "/api/v1/tools?q=T01").await;
        let loc = location(&app, &chef, "A1-T1").await;
        let tool_moves = app.count("tool_movements").await;
        let p = app.post(&format!("/api/v1/tools/{tool}/movements"), &chef, json!({"kind": "sortie", "location_id": loc, "quantity": -2, "destination": "Tour DMG"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "quantity");
        let item = c45_bars(&app, &chef, 3).await["id"].as_i64().unwrap();
        let p = app.post(&format!("/api/v1/material-stock/{item}/movements"), &chef, json!({"kind": "inventaire", "quantity": -1})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "quantity");
        assert_eq!(app.count("material_stock").await, items + 1);
        assert_eq!(app.count("material_movements").await, moves + 1);
        assert_eq!(app.count("tool_movements").await, tool_moves);
        assert!(app.count("audit_log").await > audits);
        // Taking more than available is a 409 and leaves the stock as it was.
        app.post(&format!("/api/v1/material-stock/{item}/movements"), &chef, json!({"kind": "sortie", "quantity": 4, "job_ref": "AF-2611"})).await.problem(409, "insufficient_stock");
        assert_eq!(app.get(&format!("/api/v1/material-stock/{item}"), &chef).await.json()["quantity"], 3);
        app
    }

    async fn fifty_concurrent_withdrawals_leave_exactly_the_expected_quantity(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        // Tool line: 45 inserts, 5 reserved for another job → 40 can go, 10 withdrawals must fail.
        let tool = first_id(&app, &chef, "/api/v1/tools?q=T34").await;
        let loc = location(&app, &chef, "R2").await;
        app.post(&format!("/api/v1/tools/{tool}/movements"), &chef, json!({"kind": "entree", "location_id": loc, "quantity": 45})).await.assert(201);
        let line = app.get(&format!("/api/v1/tools/{tool}/stock"), &chef).await.json().as_array().unwrap().iter().find(|l| l["location_id"] == loc).unwrap()["id"].as_i64().unwrap();
        let r = app.post("/api/v1/reservations", &chef, json!({"item_type": "outil", "item_id": line, "job_ref": "AF-RES", "quantity": 5})).await;
        r.assert(201);
        assert!(r.json()["item_label"].as_str().unwrap().starts_with("T34 ") && r.json()["item_label"].as_str().unwrap().ends_with("— R2"), "{}", r.json());
        // Material item: 30 bars, 50 withdrawals of one bar.
        let item = c45_bars(&app, &chef, 30).await["id"].as_i64().unwrap();
        let mut handles = Vec::new();
        for i in 0..50 {
            for (path, body) in [
                (format!("/api/v1/tools/{tool}/movements"), json!({"kind": "sortie", "location_id": loc, "quantity": 1, "destination": "Centre d'usinage", "job_ref": format!("AF-{i}")})),
                (format!("/api/v1/material-stock/{item}/movements"), json!({"kind": "sortie", "quantity": 1, "job_ref": format!("AF-{i}")})),
            ] {
                let router = app.router.clone();
                let token = chef.clone();
                handles.push(tokio::spawn(async move {
                    use tower::ServiceExt;
                    let req = axum::http::Request::post(path.as_str()).header("authorization", format!("Bearer {token}")).header("content-type", "application/json").body(axum::body::Body::from(body.to_string())).unwrap();
                    let res = router.oneshot(req).await.unwrap();
                    (path.contains("tools"), res.status().as_u16())
                }));
            }
        }
        let (mut tool_ok, mut tool_409, mut mat_ok, mut mat_409) = (0, 0, 0, 0);
        for h in handles {
            match h.await.unwrap() {
                (true, 201) => tool_ok += 1,
                (true, 409) => tool_409 += 1,
                (false, 201) => mat_ok += 1,
                (false, 409) => mat_409 += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((tool_ok, tool_409), (40, 10));
        assert_eq!((mat_ok, mat_409), (30, 20));
        let l = app.get(&format!("/api/v1/tools/{tool}/stock"), &chef).await.json().as_array().unwrap().iter().find(|l| l["id"] == line).unwrap().clone();
        assert_eq!((l["quantity"].as_i64(), l["reserved"].as_i64(), l["available"].as_i64()), (Some(5), Some(5), Some(0)));
        let it = app.get(&format!("/api/v1/material-stock/{item}"), &chef).await.json();
        assert_eq!((it["quantity"].as_i64(), it["available"].as_i64()), (Some(0), Some(0)));
        // Every change has its movement row, and the ledger adds up.
        let moves = app.get(&format!("/api/v1/material-stock/{item}/movements?per_page=500"), &chef).await.json();
        assert_eq!(moves["total"], 31);
        let mut afters: Vec<i64> = moves["items"].as_array().unwrap().iter().filter(|m| m["kind"] == "sortie").map(|m| m["qty_after"].as_i64().unwrap()).collect();
        afters.sort();
        assert_eq!(afters, (0..30).collect::<Vec<i64>>());
        let v = app.get("/api/v1/audit/verify", &app.login("admin").await).await.json();
        assert_eq!(v["ok"], true, "{v}");
        app
    }

    async fn reserved_stock_cannot_be_consumed_by_another_job(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let item = c45_bars(&app, &chef, 3).await["id"].as_i64().unwrap();
        let r = app.post("/api/v1/reservations", &chef, json!({"item_type": "matiere", "item_id": item, "job_ref": "AF-100", "quantity": 2})).await;
        r.assert(201);
        assert_eq!(r.json()["item_label"], "MA02 rond Ø45 × 3000");
        let res_id = r.json()["id"].as_i64().unwrap();
        let it = app.get(&format!("/api/v1/material-stock/{item}"), &chef).await.json();
        assert_eq!((it["quantity"].as_i64(), it["reserved"].as_i64(), it["available"].as_i64()), (Some(3), Some(2), Some(1)));
        // Another job cannot take the reserved bars…
        let p = app.post(&format!("/api/v1/material-stock/{item}/movements"), &chef, json!({"kind": "sortie", "quantity": 2, "job_ref": "AF-200"})).await.problem(409, "insufficient_stock");
        assert!(p["detail"].as_str().unwrap().contains("réservé(s) pour d'autres affaires"), "{p}");
        // …nor reserve them.
        app.post("/api/v1/reservations", &chef, json!({"item_type": "matiere", "item_id": item, "job_ref": "AF-200", "quantity": 2})).await.problem(409, "insufficient_stock");
        // It may take the free one.
        app.post(&format!("/api/v1/material-stock/{item}/movements"), &chef, json!({"kind": "sortie", "quantity": 1, "job_ref": "AF-200"})).await.assert(201);
        // The job that reserved takes its bars; the reservation is used up.
        app.post(&format!("/api/v1/material-stock/{item}/movements"), &chef, json!({"kind": "sortie", "quantity": 2, "job_ref": "AF-100"})).await.assert(201);
        let r = app.get(&format!("/api/v1/reservations/{res_id}"), &chef).await.json();
        assert_eq!((r["status"].as_str(), r["consumed"].as_i64(), r["remaining"].as_i64()), (Some("soldee"), Some(2), Some(0)));
        let it = app.get(&format!("/api/v1/material-stock/{item}"), &chef).await.json();
        assert_eq!((it["quantity"].as_i64(), it["reserved"].as_i64()), (Some(0), Some(0)));
        // Releasing a reservation gives the pieces back to everybody.
        let item2 = c45_bars(&app, &chef, 2).await["id"].as_i64().unwrap();
        let r = app.post("/api/v1/reservations", &chef, json!({"item_type": "matiere", "item_id": item2, "job_ref": "AF-300", "quantity": 2})).await.json();
        app.post(&format!("/api/v1/material-stock/{item2}/movements"), &chef, json!({"kind": "inventaire", "quantity": 1})).await.problem(409, "below_reserved");
        app.post(&format!("/api/v1/reservations/{}/release", r["id"]), &chef, json!({"version": r["version"], "reason": "Affaire annulée"})).await.assert(200);
        app.post(&format!("/api/v1/material-stock/{item2}/movements"), &chef, json!({"kind": "sortie", "quantity": 2, "job_ref": "AF-400"})).await.assert(201);
        let csv = app.get("/api/v1/reservations?job_ref=AF-300&format=csv", &chef).await;
        csv.assert(200);
        assert!(csv.content_type().starts_with("text/csv"));
        assert!(String::from_utf8_lossy(&csv.bytes).contains("AF-300"));
        let list = app.get("/api/v1/reservations?job_ref=AF-300", &chef).await.json();
        assert_eq!(list["items"][0]["status"], "liberee");
        app
    }

    async fn certified_stock_is_kept_for_parts_that_require_it(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let direction = app.login("direction").await;
        // The 42CrMo4 offcut CH-0112 comes from a 3.1-certified heat.
        let it = app.get("/api/v1/material-stock?q=CH-0112", &chef).await.json()["items"][0].clone();
        assert_eq!(it["certified"], true);
        assert_eq!(it["heat_number"], "24-K7731");
        let id = it["id"].as_i64().unwrap();
        let path = format!("/api/v1/material-stock/{id}/movements");
        app.post(&path, &chef, json!({"kind": "sortie", "quantity": 1, "job_ref": "AF-STD"})).await.problem(409, "certified_stock_reserved");
        // Only direction may allow a standard job to use it.
        app.post(&path, &chef, json!({"kind": "sortie", "quantity": 1, "job_ref": "AF-STD", "allow_certified": true})).await.problem(403, "forbidden");
        assert_eq!(app.get(&format!("/api/v1/material-stock/{id}"), &chef).await.json()["quantity"], 1);
        app.post(&path, &direction, json!({"kind": "sortie", "quantity": 1, "job_ref": "AF-STD", "allow_certified": true})).await.assert(201);
        // A job whose part requires certified material uses it without approval.
        let it = app.get("/api/v1/material-stock?q=CH-0118", &chef).await.json()["items"][0].clone();
        app.post(&format!("/api/v1/material-stock/{}/movements", it["id"]), &chef, json!({"kind": "sortie", "quantity": 1, "job_ref": "AF-AERO", "certified_job": true})).await.assert(201);
        // A lot cannot be declared certified without a 3.1/3.2 certificate.
        let grade = first_id(&app, &chef, "/api/v1/materials?q=MA12").await;
        let p = app.post("/api/v1/material-lots", &chef, json!({"grade_id": grade, "heat_number": "26-T0001", "certificate_type": "2.2", "certified": true})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "certified");
        let l = app.post("/api/v1/material-lots", &chef, json!({"grade_id": grade, "heat_number": "26-T0001", "certificate_type": "3.1", "certificate_ref": "CQ-26-118"})).await;
        l.assert(201);
        assert_eq!(l.json()["certified"], true);
        app
    }

    async fn a_foreman_cannot_validate_an_urgent_purchase_request_but_direction_can(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let direction = app.login("direction").await;
        let tool = first_id(&app, &chef, "/api/v1/tools?q=T39").await;
        let r = app.post("/api/v1/tool-purchase-requests", &chef, json!({"tool_id": tool, "quantity": 5, "urgent": true, "reason": "Casse en production"})).await;
        r.assert(201);
        let pr = r.json();
        assert_eq!(pr["status"], "brouillon");
        let id = pr["id"].as_i64().unwrap();
        let path = format!("/api/v1/tool-purchase-requests/{id}/transitions");
        app.post(&path, &chef, json!({"to": "validee", "version": 1})).await.problem(409, "illegal_transition");
        app.post(&path, &chef, json!({"to": "demandee", "version": 1})).await.assert(200);
        // The foreman is offered nothing more; direction is offered validate and refuse.
        assert_eq!(app.get(&path, &chef).await.json(), json!([]));
        let offered: Vec<String> = app.get(&path, &direction).await.json().as_array().unwrap().iter().map(|t| t["to"].as_str().unwrap().to_string()).collect();
        assert_eq!(offered, ["validee", "refusee"]);
        let p = app.post(&path, &chef, json!({"to": "validee", "version": 2})).await.problem(403, "forbidden");
        assert!(p["detail"].as_str().unwrap().contains("urgente"), "{p}");
        assert_eq!(app.get(&format!("/api/v1/tool-purchase-requests/{id}"), &chef).await.json()["status"], "demandee");
        let v = app.post(&path, &direction, json!({"to": "validee", "version": 2})).await;
        v.assert(200);
        assert_eq!(v.json()["decided_by"], "direction");
        app.post(&path, &chef, json!({"to": "commandee", "version": 3})).await.assert(200);
        // A non-urgent request is validated by the foreman.
        let r = app.post("/api/v1/tool-purchase-requests", &chef, json!({"tool_id": tool, "quantity": 2})).await.json();
        let path = format!("/api/v1/tool-purchase-requests/{}/transitions", r["id"]);
        app.post(&path, &chef, json!({"to": "demandee", "version": 1})).await.assert(200);
        app.post(&path, &chef, json!({"to": "validee", "version": 2})).await.assert(200);
        let h = app.get(&format!("/api/v1/tool-purchase-requests/{id}/history"), &chef).await.json();
        assert_eq!(h["total"], 4);
        app
    }

    async fn falling_under_minimum_stock_proposes_a_purchase_request(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        // T01: min 20, 34 in A1-T1.
        let tool = first_id(&app, &chef, "/api/v1/tools?q=T01").await;
        let loc = location(&app, &chef, "A1-T1").await;
        let before = app.get(&format!("/api/v1/tool-purchase-requests?tool_id={tool}"), &chef).await.json()["total"].as_i64().unwrap();
        assert_eq!(before, 0);
        app.post(&format!("/api/v1/tools/{tool}/movements"), &chef, json!({"kind": "sortie", "location_id": loc, "quantity": 10, "destination": "Tour Mazak", "job_ref": "AF-2611-OP20"})).await.assert(201);
        assert_eq!(app.get(&format!("/api/v1/tool-purchase-requests?tool_id={tool}"), &chef).await.json()["total"], 0);
        app.post(&format!("/api/v1/tools/{tool}/movements"), &chef, json!({"kind": "casse", "location_id": loc, "quantity": 5, "job_ref": "AF-2611-OP20", "reason": "Bris d'arête"})).await.assert(201);
        let prs = app.get(&format!("/api/v1/tool-purchase-requests?tool_id={tool}"), &chef).await.json();
        assert_eq!(prs["total"], 1);
        assert_eq!((prs["items"][0]["quantity"].as_i64(), prs["items"][0]["urgent"].as_bool()), (Some(1), Some(false)));
        let t = app.get(&format!("/api/v1/tools/{tool}"), &chef).await.json();
        assert_eq!((t["on_hand"].as_i64(), t["below_min"].as_bool()), (Some(19), Some(true)));
        let below: Vec<String> = app.get("/api/v1/tools?below_min=true&per_page=500", &chef).await.json()["items"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap().to_string()).collect();
        assert!(below.contains(&"T01".to_string()) && below.contains(&"T02".to_string()) && below.contains(&"T39".to_string()), "{below:?}");
        assert!(!below.contains(&"T03".to_string()));
        // A withdrawal needs a destination.
        let p = app.post(&format!("/api/v1/tools/{tool}/movements"), &chef, json!({"kind": "sortie", "location_id": loc, "quantity": 1})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "destination");
        app
    }

    async fn a_cut_creates_an_offcut_that_is_offered_first_when_it_fits(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let grade = first_id(&app, &chef, "/api/v1/materials?q=MA02").await;
        let bar = c45_bars(&app, &chef, 2).await["id"].as_i64().unwrap();
        let r3 = location(&app, &chef, "R3").await;
        let r = app.post(&format!("/api/v1/material-stock/{bar}/movements"), &chef, json!({"kind": "sortie", "quantity": 1, "job_ref": "AF-2611", "offcut_length_mm": "420", "offcut_location_id": r3})).await;
        r.assert(201);
        let off = r.json()["offcut"].clone();
        assert_eq!((off["is_offcut"].as_bool(), off["length_mm"].as_str(), off["location_code"].as_str(), off["parent_id"].as_i64()), (Some(true), Some("420"), Some("R3"), Some(bar)));
        let off_id = off["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/material-stock/{off_id}/movements"), &chef).await.json()["items"][0]["kind"], "chute");
        // Four blanks of 95 mm fit in the offcut: offered before the full bars.
        let s = app.get(&format!("/api/v1/material-stock/suggest?grade_id={grade}&shape=rond&diameter=45&length=95&qty=4"), &chef).await.json();
        assert_eq!(s[0]["item"]["id"].as_i64(), Some(off_id));
        assert_eq!((s[0]["blanks"].as_i64(), s[0]["waste_length_mm"].as_str(), s[0]["covers_need"].as_bool()), (Some(4), Some("40"), Some(true)));
        assert!(s.as_array().unwrap().iter().skip(1).all(|c| c["item"]["is_offcut"] == false));
        // 500 mm blanks do not fit in it: not offered.
        let s = app.get(&format!("/api/v1/material-stock/suggest?grade_id={grade}&shape=rond&diameter=45&length=500"), &chef).await.json();
        assert!(s.as_array().unwrap().iter().all(|c| c["item"]["id"].as_i64() != Some(off_id)));
        app.get("/api/v1/material-stock/suggest?shape=ovale&diameter=-1&length=0", &chef).await.problem(422, "validation");
        let offcuts = app.get("/api/v1/material-stock?is_offcut=true&per_page=500", &chef).await.json();
        assert_eq!(offcuts["total"], 7);
        app
    }

    async fn demo_stock_matches_the_demo_shop(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let tools = app.get("/api/v1/tools?per_page=1", &admin).await.json();
        assert!(tools["total"].as_u64().unwrap() >= 40, "{}", tools["total"]);
        assert_eq!(app.get("/api/v1/materials?per_page=1", &admin).await.json()["total"], 15);
        let cd = app.get(&format!("/api/v1/tools/{}/cutting-data", first_id(&app, &admin, "/api/v1/tools?q=T08").await), &admin).await.json();
        assert_eq!(cd.as_array().unwrap().len(), 4);
        assert_eq!(cd[0]["source"], "fournisseur");
        let g = app.get("/api/v1/materials?q=1.4307", &admin).await.json();
        assert_eq!(g["items"][0]["aisi"], "304L");
        assert_eq!(g["items"][0]["iso_group"], "M");
        assert!(app.get("/api/v1/material-lots?certified=true", &admin).await.json()["total"].as_u64().unwrap() >= 5);
        let alerts = app.get("/api/v1/material-stock/alerts?below_only=false", &admin).await.json();
        assert!(alerts.as_array().unwrap().len() >= 10);
        // The most cut grade is stored nearest the saw (rack R1 at 2 m).
        let ti = first_id(&app, &admin, "/api/v1/materials?q=MA06").await;
        let item = app.get(&format!("/api/v1/material-stock?grade_id={ti}"), &admin).await.json()["items"][0]["id"].as_i64().unwrap();
        for k in 0..3 {
            app.post(&format!("/api/v1/material-stock/{item}/movements"), &admin, json!({"kind": "sortie", "quantity": 1, "job_ref": format!("AF-{k}"), "allow_certified": true})).await.assert(201);
        }
        let s = app.get(&format!("/api/v1/materials/{ti}/storage-suggestion"), &admin).await.json();
        assert_eq!(s[0]["location"]["code"], "R1");
        let csv = app.get("/api/v1/tools?format=csv&q=T0", &admin).await;
        csv.assert(200);
        assert!(String::from_utf8_lossy(&csv.bytes).contains("Sous minimum"));
        app.get("/api/v1/material-stock?format=xlsx", &admin).await.assert(200);
        app
    }
}

on_all_backends! {
    async fn cutting_data_rows_are_edited_with_their_version_and_deleted_with_history(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let tool = first_id(&app, &chef, "/api/v1/tools?q=T01").await;
        let c = app.post(&format!("/api/v1/tools/{tool}/cutting-data"), &chef, json!({"iso_group": "S", "vc_min": "40", "vc_max": "60", "feed_kind": "fz", "source": "saisie_manuelle"})).await;
        c.assert(201);
        let cd = c.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/tools/{tool}/cutting-data/{cd}");
        let r = app.patch(&path, &chef, json!({"version": 1, "iso_group": "S", "vc_min": "45", "vc_max": "70", "feed_kind": "fz", "feed_min": "0,04", "source": "base_interne"})).await;
        r.assert(200);
        let v = r.json();
        assert_eq!((v["vc_min"].as_str(), v["feed_min"].as_str(), v["source"].as_str(), v["version"].as_i64()), (Some("45"), Some("0.04"), Some("base_interne"), Some(2)));
        app.patch(&path, &chef, json!({"version": 1, "iso_group": "S", "vc_min": "50", "feed_kind": "fz", "source": "base_interne"})).await.problem(409, "stale_version");
        let p = app.patch(&path, &chef, json!({"version": 2, "iso_group": "S", "vc_min": "90", "vc_max": "50", "feed_kind": "fz", "source": "base_interne"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "vc_max");
        // A row of another tool is not reachable through this tool.
        let other = first_id(&app, &chef, "/api/v1/tools?q=T02").await;
        app.patch(&format!("/api/v1/tools/{other}/cutting-data/{cd}"), &chef, json!({"version": 2, "iso_group": "S", "vc_min": "50", "feed_kind": "fz", "source": "base_interne"})).await.problem(404, "not_found");
        let op = app.login("operateur").await;
        app.request(axum::http::Method::DELETE, &path, Some(&op), None, &[]).await.problem(403, "forbidden");
        app.request(axum::http::Method::DELETE, &path, Some(&chef), None, &[]).await.assert(204);
        app.request(axum::http::Method::DELETE, &path, Some(&chef), None, &[]).await.problem(404, "not_found");
        let h = app.get(&format!("/api/v1/tools/{tool}/history"), &chef).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(&actions[..3], ["cutting_data_delete", "cutting_data_update", "cutting_data_add"]);
        app
    }

    async fn the_tool_life_counter_adds_use_concurrently_and_resets_with_a_reason(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let r = app.post("/api/v1/tools", &chef, json!({"code": "T95", "name": "Plaquette CNMG", "type": "plaquette", "life_unit": "pieces", "life_limit": 200})).await;
        r.assert(201);
        let id = r.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/tools/{id}/life");
        let mut handles = Vec::new();
        for _ in 0..20 {
            let (router, token, path) = (app.router.clone(), chef.clone(), path.clone());
            handles.push(tokio::spawn(async move {
                use tower::ServiceExt;
                let req = axum::http::Request::post(path.as_str()).header("authorization", format!("Bearer {token}")).header("content-type", "application/json").body(axum::body::Body::from(json!({"add": 10}).to_string())).unwrap();
                router.oneshot(req).await.unwrap().status().as_u16()
            }));
        }
        for h in handles {
            assert_eq!(h.await.unwrap(), 200);
        }
        let t = app.get(&format!("/api/v1/tools/{id}"), &chef).await.json();
        assert_eq!((t["life_used"].as_i64(), t["life_exhausted"].as_bool()), (Some(200), Some(true)));
        let p = app.post(&path, &chef, json!({"reset": true})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "reason");
        for bad in [json!({}), json!({"add": 0}), json!({"add": 5, "reset": true, "reason": "x"})] {
            app.post(&path, &chef, bad).await.problem(422, "validation");
        }
        let t = app.post(&path, &chef, json!({"reset": true, "reason": "Arête changée"})).await.json();
        assert_eq!((t["life_used"].as_i64(), t["life_exhausted"].as_bool()), (Some(0), Some(false)));
        let h = app.get(&format!("/api/v1/tools/{id}/history"), &chef).await.json();
        assert_eq!(h["items"][0]["action"], "life_reset");
        assert_eq!(h["items"][0]["after"]["reason"], "Arête changée");
        // A tool without a life unit has nothing to count.
        let t1 = first_id(&app, &chef, "/api/v1/tools?q=T01").await;
        let unit = app.get(&format!("/api/v1/tools/{t1}"), &chef).await.json()["life_unit"].clone();
        if unit.is_null() {
            app.post(&format!("/api/v1/tools/{t1}/life"), &chef, json!({"add": 3})).await.problem(422, "validation");
        }
        app
    }

    async fn material_minimums_are_edited_and_deleted(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let grade = first_id(&app, &chef, "/api/v1/materials?q=MA02").await;
        let r = app.post("/api/v1/material-minimums", &chef, json!({"grade_id": grade, "shape": "rond", "diameter_mm": "77", "min_quantity": 4})).await;
        r.assert(201);
        let m = r.json();
        assert_eq!((m["below_min"].as_bool(), m["version"].as_i64()), (Some(true), Some(1)));
        let id = m["minimum_id"].as_i64().unwrap();
        let path = format!("/api/v1/material-minimums/{id}");
        let r = app.patch(&path, &chef, json!({"version": 1, "grade_id": grade, "shape": "rond", "diameter_mm": "77", "min_quantity": 0})).await;
        r.assert(200);
        assert_eq!((r.json()["below_min"].as_bool(), r.json()["min_quantity"].as_i64()), (Some(false), Some(0)));
        app.patch(&path, &chef, json!({"version": 1, "grade_id": grade, "shape": "rond", "diameter_mm": "77", "min_quantity": 2})).await.problem(409, "stale_version");
        let p = app.patch(&path, &chef, json!({"version": 2, "grade_id": grade, "shape": "rond", "diameter_mm": "77", "min_quantity": -2})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "min_quantity");
        app.request(axum::http::Method::DELETE, &path, Some(&chef), None, &[]).await.assert(204);
        let all = app.get("/api/v1/material-stock/alerts?below_only=false", &chef).await.json();
        assert!(all.as_array().unwrap().iter().all(|a| a["minimum_id"] != id));
        app.request(axum::http::Method::DELETE, &path, Some(&chef), None, &[]).await.problem(404, "not_found");
        app
    }
}
