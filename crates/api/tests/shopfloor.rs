//! Shop floor on the demo's ready job (OF-2026-0002, 50 spacers, bar-fed on the lathe M02 from
//! a certified Ø40 bar reserved for it): start / pause / resume / report / finish, idempotent
//! replays, transfer batches, bar consumption and offcuts, declared time, instrument check,
//! broken tool, rights and bad input. Every test runs on SQLite and PostgreSQL.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use common::{Resp, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn post_key(app: &TestApp, path: &str, token: &str, key: &str, body: Value) -> Resp {
    app.request(
        Method::POST,
        path,
        Some(token),
        Some(body),
        &[("idempotency-key", key)],
    )
    .await
}

/// The ready job and its operations (turning, deburring, control, packaging).
async fn ready_job(app: &TestApp, token: &str) -> (Value, Vec<Value>) {
    let jobs = app.get("/api/v1/jobs?status=pret", token).await.json();
    let id = jobs["items"][0]["id"]
        .as_i64()
        .expect("a ready job in the demo");
    let j = app.get(&format!("/api/v1/jobs/{id}"), token).await.json();
    let ops = j["operations"].as_array().unwrap().clone();
    (j, ops)
}

fn num(v: &Value) -> f64 {
    v.as_str()
        .map(|s| s.parse::<f64>().unwrap())
        .or_else(|| v.as_f64())
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

async fn movements_of(app: &TestApp, token: &str, stock: i64) -> Vec<Value> {
    app.get(&format!("/api/v1/material-stock/{stock}/movements"), token)
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .clone()
}

on_all_backends! {
    async fn an_operator_runs_his_operation_and_stock_and_time_are_exact(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let op2 = app.login("operateur2").await;
        let chef = app.login("chef").await;
        let (job, ops) = ready_job(&app, &chef).await;
        let turning = ops[0]["id"].as_i64().unwrap();
        let deburr = ops[1]["id"].as_i64().unwrap();
        assert_eq!(ops[0]["process"], "tournage");
        // The job list finds it by the machine of one of its operations and by part reference.
        let by_machine = app.get(&format!("/api/v1/jobs?machine_id={}", ops[0]["machine_id"]), &chef).await.json();
        assert!(by_machine["items"].as_array().unwrap().iter().any(|x| x["id"] == job["id"]), "{by_machine}");
        let by_ref = app.get("/api/v1/jobs?q=avx-ent-2210", &chef).await.json();
        assert_eq!(by_ref["items"][0]["id"], job["id"], "{by_ref}");
        assert_eq!(by_ref["total"], 1);
        // Mes tâches: the operator's assigned operations, running first then by priority.
        let tasks = app.get("/api/v1/shop-floor/tasks", &op).await.json();
        assert_eq!(tasks[0]["operation_id"], turning, "{tasks}");
        assert_eq!(tasks[0]["input_available"], 51);
        // An operator only sees his own tasks.
        app.get("/api/v1/shop-floor/tasks?all=true", &op).await.problem(403, "forbidden");
        // The bar the lathe will consume: the certified Ø40 reserved for the job.
        let plan = app.get(&format!("/api/v1/shop-floor/operations/{turning}/saw-plan"), &op).await.json();
        assert_eq!(plan["pieces"], 51);
        let bar = plan["cuts"][0]["stock_id"].as_i64().unwrap();
        assert_eq!(plan["cuts"][0]["length_mm"], "3000");
        // Bad input first: nothing happens.
        let events = app.count("shop_events").await;
        let entries = app.count("time_entries").await;
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/finish"), &op, json!({"good": 5})).await.problem(409, "operation_not_started");
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/pause"), &op, json!({"reason": "reglage"})).await.problem(409, "operation_not_running");
        // Lucas may not take Kévin's operation.
        let e = app.post(&format!("/api/v1/shop-floor/operations/{turning}/start"), &op2, json!({})).await.problem(403, "operation_assigned_elsewhere");
        assert!(e["detail"].as_str().unwrap().contains("Kévin Dumas"), "{e}");
        // The next operation has nothing to work on yet.
        app.post(&format!("/api/v1/shop-floor/operations/{deburr}/start"), &op2, json!({})).await.problem(409, "nothing_to_process");
        let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
        let e = app.post(&format!("/api/v1/shop-floor/operations/{turning}/start"), &op, json!({"occurred_at": future})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "occurred_at");
        assert_eq!(app.count("shop_events").await, events);
        assert_eq!(app.count("time_entries").await, entries);

        // Start (queued on the phone one hour ago), replayed: one session, one clock-in.
        let base = chrono::Utc::now();
        let t0 = (base - chrono::Duration::minutes(60)).to_rfc3339();
        let r = post_key(&app, &format!("/api/v1/shop-floor/operations/{turning}/start"), &op, "k-start-1", json!({"occurred_at": t0})).await;
        r.assert(200);
        assert_eq!(r.json()["status"], "en_cours");
        assert!(r.headers.get("idempotency-replayed").is_none());
        let again = post_key(&app, &format!("/api/v1/shop-floor/operations/{turning}/start"), &op, "k-start-1", json!({"occurred_at": t0})).await;
        again.assert(200);
        assert_eq!(again.headers.get("idempotency-replayed").unwrap(), "true");
        assert_eq!(again.json()["replayed"], true);
        assert_eq!(app.count("time_entries").await, entries + 2, "one work session + the automatic clock-in");
        let j = app.get(&format!("/api/v1/jobs/{}", job["id"]), &chef).await.json();
        assert_eq!(j["status"], "en_cours");
        let o = app.get(&format!("/api/v1/orders/{}", job["order_id"]), &chef).await.json();
        assert_eq!(o["status"], "en_production");

        // Pause: the reason is required, "autre" needs a note.
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/pause"), &op, json!({})).await.problem(422, "validation");
        let e = app.post(&format!("/api/v1/shop-floor/operations/{turning}/pause"), &op, json!({"reason": "autre"})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "note");
        let t1 = (base - chrono::Duration::minutes(40)).to_rfc3339();
        let v = app.post(&format!("/api/v1/shop-floor/operations/{turning}/pause"), &op, json!({"reason": "attente_outil", "occurred_at": t1})).await.json();
        assert_eq!(v["status"], "en_pause");
        assert_eq!(v["sessions"][0]["end_reason_label"], "Attente outil");
        assert_eq!(num(&v["measured_min"]), 20.0);
        // A resume queued before the pause is a conflict shown to the operator.
        let early = (base - chrono::Duration::minutes(50)).to_rfc3339();
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/resume"), &op, json!({"occurred_at": early})).await.problem(409, "action_out_of_order");
        let t2 = (base - chrono::Duration::minutes(30)).to_rfc3339();
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/resume"), &op, json!({"occurred_at": t2})).await.assert(200);

        // Transfer batch: 20 good + 1 scrap declared; the lathe consumed the bar.
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/report"), &op, json!({"good": 20, "scrap": 1})).await.problem(422, "validation");
        let v = app.post(&format!("/api/v1/shop-floor/operations/{turning}/report"), &op, json!({"good": 20, "scrap": 1, "scrap_reason": "piece_reglage"})).await.json();
        assert_eq!((v["qty_good"].as_i64(), v["qty_scrap"].as_i64()), (Some(20), Some(1)));
        let mv = movements_of(&app, &chef, bar).await;
        assert_eq!(mv.len(), 1, "{mv:?} plan={plan}");
        assert_eq!(mv[0]["kind"], "sortie");
        assert_eq!((mv[0]["qty_before"].as_i64(), mv[0]["qty_after"].as_i64()), (Some(2), Some(1)));
        // 21 pieces × (46 + 3 kerf) + 2 trim = 1031 mm used: a 1969 mm offcut at the bar's place.
        let stock = app.get("/api/v1/material-stock?per_page=500", &chef).await.json();
        let offcut = stock["items"].as_array().unwrap().iter().find(|s| s["parent_id"] == bar).expect("offcut").clone();
        assert_eq!(offcut["length_mm"], "1969");
        assert_eq!(offcut["quantity"], 1);
        assert_eq!(offcut["certified"], true);
        assert_eq!(offcut["location_code"], "R1");
        // The next operation may start on the 20 good parts.
        let v = app.post(&format!("/api/v1/shop-floor/operations/{deburr}/start"), &op, json!({})).await.json();
        assert_eq!(v["input_available"], 20);
        // Absurd quantities: more than the parts available.
        let e = app.post(&format!("/api/v1/shop-floor/operations/{turning}/finish"), &op, json!({"good": 40})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["code"], "too_many");
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/report"), &op, json!({"good": -3})).await.problem(422, "validation");

        // Finish: 29 more good, 1 scrap, the operator declares 45 min (measured ≈ 30 + sessions).
        let v = app.post(&format!("/api/v1/shop-floor/operations/{turning}/finish"), &op, json!({
            "good": 29, "scrap": 1, "scrap_reason": "cote_hors_tolerance", "declared_min": "45",
            "tool_change": true, "comment": "Prévoir une plaquette de finition",
        })).await.json();
        assert_eq!(v["status"], "termine");
        assert_eq!((v["qty_good"].as_i64(), v["qty_scrap"].as_i64()), (Some(49), Some(2)));
        assert_eq!(v["time_status"], "en_attente");
        assert_eq!(v["tool_changes"], 1);
        assert!(num(&v["scrap_cost"]) > 0.0, "{}", v["scrap_cost"]);
        // Kévin tended the lathe and the deburring bench at once for the last minutes: the lathe
        // gets 20 min + 30 min shared; its labour is between 35 and 50 min.
        let measured = num(&v["measured_min"]);
        assert!(measured > 34.0 && measured < 50.5, "{measured}");
        // The offcuts it put back in stock, for their labels.
        let lengths: Vec<&str> = v["offcuts"].as_array().unwrap().iter().map(|o| o["length_mm"].as_str().unwrap()).collect();
        assert_eq!(lengths, ["1969", "497"]);
        // Real vs estimated and the scrap cost reach the job.
        let j = app.get(&format!("/api/v1/jobs/{}", job["id"]), &chef).await.json();
        assert_eq!(j["operations"][0]["actual_min"], v["measured_min"]);
        assert_eq!(j["operations"][0]["qty_good"], 49);
        assert_eq!(j["actual_min"], v["measured_min"]);
        assert_eq!(j["estimated_done_min"], v["estimated_min"]);
        assert_eq!(j["scrap_cost"], v["scrap_cost"]);
        assert!(num(&j["estimated_min"]) > num(&j["estimated_done_min"]));
        // The offcut was used first for the 30 pieces: 1969 − 2 − 30 × 49 = 497 mm left.
        let stock = app.get("/api/v1/material-stock?per_page=500", &chef).await.json();
        let second = stock["items"].as_array().unwrap().iter().find(|s| s["parent_id"] == offcut["id"]).expect("second offcut").clone();
        assert_eq!(second["length_mm"], "497");
        let mv = movements_of(&app, &chef, offcut["id"].as_i64().unwrap()).await;
        let kinds: Vec<&str> = mv.iter().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.len(), 2, "{kinds:?}");
        assert!(kinds.contains(&"chute") && kinds.contains(&"sortie"), "{kinds:?}");
        assert_eq!(movements_of(&app, &chef, bar).await.len(), 1, "the bar was not touched again");
        // The declaration waits for the chef d'atelier; the comment reaches méthode.
        let pending = app.count("time_entries WHERE kind = 'declaration' AND status = 'en_attente'").await;
        assert_eq!(pending, 1);
        let methode = app.login("methode").await;
        let c = app.get("/api/v1/shop-floor/comments", &methode).await.json();
        assert_eq!(c[0]["text"], "Prévoir une plaquette de finition");
        assert_eq!(app.count(&format!("material_movements WHERE operation_id = {turning}")).await, 4);
        // Finished: nothing more, on the floor or in the routing.
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/start"), &op, json!({})).await.problem(409, "operation_finished");
        let done = app.get(&format!("/api/v1/job-operations/{turning}"), &chef).await.json();
        app.patch(&format!("/api/v1/job-operations/{turning}"), &chef, json!({"run_min": "2", "version": done["operation"]["version"]})).await.problem(409, "operation_finished");
        app.request(Method::DELETE, &format!("/api/v1/job-operations/{turning}"), Some(&chef), None, &[]).await.problem(409, "operation_started");
        // The office view shows the deburring bench's operator at work.
        let b = app.get("/api/v1/shop-floor/board", &chef).await.json();
        let kevin = b["operators"].as_array().unwrap().iter().find(|o| o["name"] == "Kévin Dumas").unwrap().clone();
        assert_eq!(kevin["clocked_in"], true);
        assert_eq!(kevin["operations"], json!([deburr]));
        app.get("/api/v1/shop-floor/board", &op).await.problem(403, "forbidden");
        app
    }

    async fn control_checks_the_instrument_and_a_broken_tool_is_replaced_from_stock(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let chef = app.login("chef").await;
        let (job, ops) = ready_job(&app, &chef).await;
        let turning = ops[0]["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/start"), &op, json!({})).await.assert(200);
        // Broken insert T01: replacements of the same ISO geometry, the same reference first.
        let p = app.get(&format!("/api/v1/shop-floor/operations/{turning}/broken-tool?tool_id=1"), &op).await.json();
        let reps = p["replacements"].as_array().unwrap();
        assert_eq!(reps[0]["tool_id"], 1, "{p}");
        assert!(reps.iter().all(|r| r["name"].as_str().unwrap().contains("CNMG 120408")), "{p}");
        assert!(reps[0]["conditions"]["n_rpm"].as_f64().unwrap() > 0.0);
        let alt = reps.iter().find(|r| r["tool_id"] != 1).expect("another grade").clone();
        let sheet = ops[0]["method_sheet"]["id"].as_i64().unwrap();
        let v0 = app.get(&format!("/api/v1/method-sheets/{sheet}"), &chef).await.json()["version"].as_i64().unwrap();
        let r = app.post(&format!("/api/v1/shop-floor/operations/{turning}/broken-tool"), &op, json!({"tool_id": 1, "replacement_tool_id": alt["tool_id"]})).await;
        r.assert(200);
        let r = r.json();
        assert!(r["message"].as_str().unwrap().contains("remplacé"), "{r}");
        let s = app.get(&format!("/api/v1/method-sheets/{sheet}"), &chef).await.json();
        assert_eq!(s["version"].as_i64().unwrap(), v0 + 1);
        assert!(s["content"]["tools"].as_array().unwrap().iter().any(|t| t["tool_id"] == alt["tool_id"]), "{s}");
        assert_eq!(app.count(&format!("tool_movements WHERE operation_id = {turning} AND kind = 'sortie'")).await, 1);
        let o = app.get(&format!("/api/v1/shop-floor/operations/{turning}"), &op).await.json();
        assert!(o["operation"]["tools"].as_array().unwrap().iter().any(|t| t["tool_id"] == alt["tool_id"]));
        // A tool with nothing in stock: an urgent purchase request for direction.
        // With the alternative still in stock, declaring without choosing is refused.
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/broken-tool"), &op, json!({"tool_id": 1})).await.problem(422, "validation");
        // Nothing of that geometry left in stock: an urgent purchase request for direction.
        app.exec("UPDATE tool_stock SET quantity = 0, reserved = 0 WHERE tool_id IN (SELECT id FROM tools WHERE name LIKE '%CNMG 120408%')").await;
        let prs = app.count("tool_purchase_requests WHERE urgent = true AND status = 'demandee'").await;
        let p = app.get(&format!("/api/v1/shop-floor/operations/{turning}/broken-tool?tool_id=1"), &op).await.json();
        assert_eq!(p["purchase_request_needed"], true, "{p}");
        let r = app.post(&format!("/api/v1/shop-floor/operations/{turning}/broken-tool"), &op, json!({"tool_id": 1, "note": "Plaquette éclatée"})).await.json();
        assert!(r["purchase_request_id"].as_i64().is_some(), "{r}");
        assert!(r["message"].as_str().unwrap().contains("demande d'achat urgente"), "{r}");
        assert_eq!(app.count("tool_purchase_requests WHERE urgent = true AND status = 'demandee'").await, prs + 1);
        assert_eq!(app.count("tool_breakages").await, 2);
        // Control: the deburring and control operations after the turning.
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/finish"), &op, json!({"good": 50, "scrap": 0})).await.assert(200);
        let control = ops.iter().find(|o| o["process"] == "controle").unwrap()["id"].as_i64().unwrap();
        app.exec(&format!("UPDATE job_operations SET qty_good = 50, status = 'termine' WHERE job_id = {} AND position < 30 AND process <> 'tournage'", job["id"])).await;
        app.post(&format!("/api/v1/shop-floor/operations/{control}/start"), &chef, json!({})).await.assert(200);
        // The expired caliper I09 is refused; I01 is recorded with the operation.
        let uses = app.count("instrument_uses").await;
        let e = app.post(&format!("/api/v1/shop-floor/operations/{control}/instrument-check"), &chef, json!({"code": "I09"})).await.problem(409, "instrument_blocked");
        assert!(e["detail"].as_str().unwrap().contains("I09"), "{e}");
        assert_eq!(app.count("instrument_uses").await, uses);
        let v = app.post(&format!("/api/v1/shop-floor/operations/{control}/instrument-check"), &chef, json!({"instrument_id": 1})).await.json();
        assert_eq!(v["instruments_checked"][0]["code"], "I01");
        assert_eq!(app.count(&format!("instrument_uses WHERE operation_id = {control}")).await, 1);
        app.post(&format!("/api/v1/shop-floor/operations/{control}/instrument-check"), &chef, json!({})).await.problem(422, "validation");
        // The scrap reasons are qualité's list: an operator reads it but does not change it.
        let qual = app.login("qualite").await;
        app.post("/api/v1/shop-floor/scrap-reasons", &op, json!({"code": "bavure", "label": "Bavure"})).await.problem(403, "forbidden");
        let r = app.post("/api/v1/shop-floor/scrap-reasons", &qual, json!({"code": "bavure", "label": "Bavure non reprise"})).await;
        r.assert(201);
        let reason = r.json();
        let e = app.post("/api/v1/shop-floor/scrap-reasons", &qual, json!({"code": "bavure", "label": "x"})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "code");
        app.post("/api/v1/shop-floor/scrap-reasons", &qual, json!({"code": "Bavure!", "label": "x"})).await.problem(422, "validation");
        let r = app.patch(&format!("/api/v1/shop-floor/scrap-reasons/{}", reason["id"]), &qual, json!({"active": false, "version": reason["version"]})).await;
        r.assert(200);
        // A disabled reason is refused on the floor.
        let e = app.post(&format!("/api/v1/shop-floor/operations/{control}/report"), &chef, json!({"good": 1, "scrap": 1, "scrap_reason": "bavure"})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "scrap_reason");
        // A suggestion reaches méthode, who handles it once.
        let methode = app.login("methode").await;
        let c = app.post(&format!("/api/v1/shop-floor/operations/{control}/comments"), &chef, json!({"kind": "amelioration", "text": "Gabarit de contrôle à prévoir"})).await;
        c.assert(201);
        let id = c.json()["id"].as_i64().unwrap();
        app.get("/api/v1/shop-floor/comments", &op).await.problem(403, "forbidden");
        let h = app.post(&format!("/api/v1/shop-floor/comments/{id}/handle"), &methode, json!({"note": "Gabarit commandé"})).await.json();
        assert_eq!(h["status"], "traite");
        assert_eq!(h["handled_by"], "methode");
        app.post(&format!("/api/v1/shop-floor/comments/{id}/handle"), &methode, json!({})).await.problem(409, "already_handled");
        app
    }

    async fn two_operators_never_consume_the_same_bar(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let chef = app.login("chef").await;
        let (_, ops) = ready_job(&app, &chef).await;
        let turning = ops[0]["id"].as_i64().unwrap();
        let second = ops[1]["id"].as_i64().unwrap();
        // Both operations saw from the job's bars (the second one made a débit for the test).
        app.exec(&format!("UPDATE job_operations SET process = 'debit' WHERE id IN ({turning}, {second})")).await;
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/start"), &op, json!({})).await.assert(200);
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/report"), &op, json!({"good": 25})).await.assert(200);
        app.post(&format!("/api/v1/shop-floor/operations/{second}/start"), &chef, json!({})).await.assert(200);
        // Now one 1773 mm offcut holds 36 pieces; both ask for 25 at the same instant.
        let (pa, pb) = (
            format!("/api/v1/shop-floor/operations/{turning}/report"),
            format!("/api/v1/shop-floor/operations/{second}/report"),
        );
        let a = app.post(&pa, &op, json!({"good": 25}));
        let b = app.post(&pb, &chef, json!({"good": 25}));
        let (ra, rb) = tokio::join!(a, b);
        ra.assert(200);
        rb.assert(200);
        // Every stock line's movements chain (before = previous after) and none went below 0.
        let stock = app.get("/api/v1/material-stock?per_page=500", &chef).await.json();
        let mut sorties = 0;
        for s in stock["items"].as_array().unwrap() {
            let mv = movements_of(&app, &chef, s["id"].as_i64().unwrap()).await;
            let mut m: Vec<&Value> = mv.iter().collect();
            m.sort_by_key(|x| x["id"].as_i64());
            for w in m.windows(2) {
                assert_eq!(w[0]["qty_after"], w[1]["qty_before"], "{m:?}");
            }
            for x in &m {
                assert!(x["qty_after"].as_i64().unwrap() >= 0);
                if x["kind"] == "sortie" {
                    sorties += 1;
                }
            }
        }
        // Three bars cut in all (the first report, then one each), never the same bar twice.
        assert_eq!(sorties, 3);
        assert_eq!(app.count("material_movements WHERE kind = 'sortie' AND operation_id IS NOT NULL").await, 3);
        app
    }

    async fn the_office_view_receives_live_events(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let chef = app.login("chef").await;
        let (_, ops) = ready_job(&app, &chef).await;
        let turning = ops[0]["id"].as_i64().unwrap();
        // An operator reads time tracking, so he may listen too; nobody anonymous.
        let anon = Request::builder().uri("/api/v1/events").body(Body::empty()).unwrap();
        assert_eq!(app.router.clone().oneshot(anon).await.unwrap().status(), 401);
        let req = Request::builder()
            .uri("/api/v1/events")
            .header(header::AUTHORIZATION, format!("Bearer {chef}"))
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
        let mut body = res.into_body();
        let mut seen = String::new();
        let wait = std::time::Duration::from_secs(10);
        while !seen.contains("event: ready") {
            let f = tokio::time::timeout(wait, body.frame()).await.expect("ready event").unwrap().unwrap();
            seen.push_str(&String::from_utf8_lossy(&f.into_data().unwrap_or_default()));
        }
        app.post(&format!("/api/v1/shop-floor/operations/{turning}/start"), &op, json!({})).await.assert(200);
        while !seen.contains("event: shop_floor") {
            let f = tokio::time::timeout(wait, body.frame()).await.expect("shop_floor event").unwrap().unwrap();
            seen.push_str(&String::from_utf8_lossy(&f.into_data().unwrap_or_default()));
        }
        let data = seen.lines().find(|l| l.starts_with("data: {") && l.contains("\"kind\"")).expect("event data");
        let e: Value = serde_json::from_str(data.trim_start_matches("data: ")).unwrap();
        assert_eq!(e["kind"], "start");
        assert_eq!(e["operation_id"], turning);
        assert_eq!(e["status"], "en_cours");
        drop(body);
        app
    }
}
