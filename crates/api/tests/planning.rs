//! Planning on the demo shop: the planner's proposal, accepted by the chef d'atelier, fills the
//! plan (capacity, precedence, skills and calendars respected); a drag onto an unskilled
//! person is refused with the reason; an absence produces a repair proposal; an urgent job's
//! priority waits for a manager; stale proposals cannot be accepted; bad input changes
//! nothing. Every test runs on SQLite and PostgreSQL.

mod common;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use common::TestApp;
use serde_json::{Value, json};
use std::collections::HashMap;

fn t(v: &Value) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(v.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|_| panic!("not a shop time: {v}"))
}

const WIDE: &str = "/api/v1/planning/board?from=2026-12-01&to=2027-06-30";

fn wide_board() -> String {
    // Wide enough for any plan computed from today (the horizon is 30 days).
    let today = chrono::Utc::now().date_naive();
    format!(
        "/api/v1/planning/board?from={}&to={}",
        today - chrono::Days::new(3),
        today + chrono::Days::new(120)
    )
}

/// Every rule a plan must keep, checked on the bars and the board's people.
fn check_plan(ops: &[Value], board: &Value) {
    assert!(!ops.is_empty());
    let skills: HashMap<i64, Vec<(String, i64)>> = board["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["skills"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| {
                        (
                            s["skill"].as_str().unwrap().to_string(),
                            s["level"].as_i64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let closed: Vec<NaiveDate> = board["closed_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| NaiveDate::parse_from_str(d.as_str().unwrap(), "%Y-%m-%d").unwrap())
        .collect();
    for (i, a) in ops.iter().enumerate() {
        let (sa, ea) = (t(&a["start"]), t(&a["end"]));
        assert!(sa <= ea, "{a}");
        if !a["subcontract"].as_bool().unwrap() && a["status"] == "a_faire" {
            let wd = sa.date().weekday();
            assert!(
                wd != Weekday::Sat && wd != Weekday::Sun,
                "starts on a week-end: {a}"
            );
            assert!(!closed.contains(&sa.date()), "starts on a closed day: {a}");
        }
        // Skill and level of the person.
        if let (Some(p), Some(s)) = (a["person_id"].as_i64(), a["skill"].as_object()) {
            let need = (s["skill"].as_str().unwrap(), s["level"].as_i64().unwrap());
            let has = skills[&p].iter().any(|(k, l)| k == need.0 && *l >= need.1);
            assert!(has, "unskilled person on {a}");
        }
        for b in &ops[i + 1..] {
            let (sb, eb) = (t(&b["start"]), t(&b["end"]));
            let overlap = sa < eb && sb < ea;
            if overlap && a["machine_id"].is_i64() && a["machine_id"] == b["machine_id"] {
                panic!("two operations at once on a machine: {a} / {b}");
            }
            if overlap && a["person_id"].is_i64() && a["person_id"] == b["person_id"] {
                // A person may watch an unattended run while setting up another machine;
                // otherwise one operation at a time.
                let attended = |x: &Value| x["unattended"] == false;
                assert!(
                    !(attended(a) && attended(b)),
                    "one person on two attended operations at once: {a} / {b}"
                );
            }
            // Precedence inside a job.
            if a["job_id"] == b["job_id"] {
                let (first, second) = if a["position"].as_i64() < b["position"].as_i64() {
                    (a, b)
                } else {
                    (b, a)
                };
                assert!(
                    t(&first["end"]) <= t(&second["start"]),
                    "precedence broken: {first} / {second}"
                );
            }
        }
    }
}

async fn accepted_plan(app: &TestApp, chef: &str) -> (Value, Value) {
    let p = app
        .post("/api/v1/planning/proposals", chef, json!({}))
        .await;
    p.assert(201);
    let p = p.json();
    let id = p["id"].as_i64().unwrap();
    let a = app
        .post(
            &format!("/api/v1/planning/proposals/{id}/accept"),
            chef,
            json!({"note": "OK pour la semaine"}),
        )
        .await;
    a.assert(200);
    let board = app.get(&wide_board(), chef).await.json();
    (a.json(), board)
}

on_all_backends! {
    async fn the_planner_proposes_and_a_manager_accepts(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let op = app.login("operateur").await;
        let direction = app.login("direction").await;
        // Before: nothing planned, the shop's people and machines, holidays known.
        let board = app.get(WIDE, &chef).await.json();
        assert_eq!(board["ops"].as_array().unwrap().len(), 0);
        assert!(board["unplanned_ops"].as_u64().unwrap() > 0, "{board}");
        assert!(board["machines"].as_array().unwrap().len() >= 5);
        let names: Vec<&str> = board["people"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"Kévin Dumas"), "{names:?}");
        assert!(!names.contains(&"Martine Chorain"), "office staff are not planned: {names:?}");
        let closed: Vec<&str> = board["closed_days"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
        assert!(closed.contains(&"2026-12-25") && closed.contains(&"2027-01-01") && closed.contains(&"2027-05-06"), "{closed:?}");
        // An operator reads the plan but cannot compute or validate.
        app.get("/api/v1/planning/board", &op).await.assert(200);
        app.post("/api/v1/planning/proposals", &op, json!({})).await.problem(403, "forbidden");

        let p = app.post("/api/v1/planning/proposals", &chef, json!({"trigger": "manuel"})).await;
        p.assert(201);
        let p = p.json();
        assert_eq!(p["status"], "en_attente");
        assert_eq!(p["trigger"], "manuel");
        assert!(p["requires_validation"].as_bool().unwrap());
        assert!(p["number"].as_str().unwrap().starts_with("PROP-"), "{p}");
        let ops = p["ops"].as_array().unwrap();
        assert_eq!(p["moves_count"].as_u64().unwrap() as usize, p["moves"].as_array().unwrap().len());
        assert!(p["kpis"]["planned_ops"].as_u64().unwrap() as usize >= ops.len().min(1));
        // The overdue rail job is sur-urgent, and said so.
        assert!(ops.iter().any(|o| o["sur_urgent"] == true && o["job_number"].is_string()), "{p}");
        assert!(p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "sur_urgent" || d["code"] == "late"), "{}", p["diagnostics"]);
        // The proposal changes nothing until accepted.
        assert_eq!(app.get(WIDE, &chef).await.json()["ops"].as_array().unwrap().len(), 0);
        let id = p["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/planning/proposals/{id}/accept"), &op, json!({})).await.problem(403, "forbidden");
        let a = app.post(&format!("/api/v1/planning/proposals/{id}/accept"), &chef, json!({"note": "Vu"})).await;
        a.assert(200);
        let a = a.json();
        assert_eq!(a["status"], "acceptee");
        assert_eq!(a["decided_by"], "chef");
        let board = app.get(&wide_board(), &chef).await.json();
        let planned = board["ops"].as_array().unwrap();
        assert_eq!(planned.len(), ops.len(), "{board}");
        check_plan(planned, &board);
        assert_eq!(board["revision"], 1);
        // Decided once.
        app.post(&format!("/api/v1/planning/proposals/{id}/accept"), &direction, json!({})).await.problem(409, "planning_proposal_decided");
        app.post(&format!("/api/v1/planning/proposals/{id}/reject"), &direction, json!({})).await.problem(409, "planning_proposal_decided");
        // A new full plan supersedes the one still waiting; a rejected one stays rejected.
        let p1 = app.post("/api/v1/planning/proposals", &chef, json!({})).await.json();
        let p2 = app.post("/api/v1/planning/proposals", &direction, json!({})).await.json();
        let p1v = app.get(&format!("/api/v1/planning/proposals/{}", p1["id"]), &chef).await.json();
        assert_eq!(p1v["status"], "perimee");
        let r = app.post(&format!("/api/v1/planning/proposals/{}/reject", p2["id"]), &direction, json!({"note": "On garde le plan actuel"})).await.json();
        assert_eq!(r["status"], "refusee");
        assert_eq!(r["decision_note"], "On garde le plan actuel");
        let list = app.get("/api/v1/planning/proposals?status=refusee", &op).await.json();
        assert_eq!(list.as_array().unwrap().len(), 1);
        app.get("/api/v1/planning/proposals?status=nimporte", &op).await.problem(422, "validation");
        app.get("/api/v1/planning/proposals/999999", &op).await.problem(404, "not_found");
        // Stale: the plan changes after a proposal was computed (a manual move) → 409.
        let p3 = app.post("/api/v1/planning/proposals", &chef, json!({})).await.json();
        let any = &planned[0];
        app.post("/api/v1/planning/moves", &chef, json!({"op_id": any["op_id"], "start": any["start"]})).await.assert(200);
        app.post(&format!("/api/v1/planning/proposals/{}/accept", p3["id"]), &chef, json!({})).await.problem(409, "planning_proposal_stale");
        let p3v = app.get(&format!("/api/v1/planning/proposals/{}", p3["id"]), &chef).await.json();
        assert_eq!(p3v["status"], "perimee");
        app
    }

    async fn a_drag_onto_an_unskilled_person_is_refused_with_the_reason(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let (_, board) = accepted_plan(&app, &chef).await;
        let rev = board["revision"].as_i64().unwrap();
        let ops = board["ops"].as_array().unwrap();
        let people = board["people"].as_array().unwrap();
        // A turning operation and a person with no turning skill.
        let turning = ops.iter().find(|o| o["skill"]["skill"] == "LATHE" && o["status"] == "a_faire").expect("a planned turning operation");
        let unskilled = people.iter().find(|p| !p["skills"].as_array().unwrap().iter().any(|s| s["skill"] == "LATHE" && s["level"].as_i64().unwrap() >= 2)).expect("someone who does not turn");
        let name = unskilled["name"].as_str().unwrap();
        let body = json!({"op_id": turning["op_id"], "person_id": unskilled["id"], "start": turning["start"]});
        let c = app.post("/api/v1/planning/check-move", &chef, body.clone()).await.json();
        assert_eq!(c["ok"], false);
        let v = c["violations"].as_array().unwrap();
        assert!(v.iter().any(|x| x["code"] == "skill" && x["message"].as_str().unwrap().contains(name)), "{c}");
        let e = app.post("/api/v1/planning/moves", &chef, body).await.problem(422, "planning_move_refused");
        assert!(e["detail"].as_str().unwrap().contains(name), "{e}");
        assert!(e["errors"].as_array().unwrap().iter().any(|x| x["code"] == "skill"), "{e}");
        // Nothing changed.
        let after = app.get(&wide_board(), &chef).await.json();
        assert_eq!(after["revision"].as_i64().unwrap(), rev);
        // A machine the operation cannot run on.
        let other_kind = board["machines"].as_array().unwrap().iter().find(|m| !turning["allowed_machine_ids"].as_array().unwrap().contains(&m["id"])).unwrap();
        let c = app.post("/api/v1/planning/check-move", &chef, json!({"op_id": turning["op_id"], "machine_id": other_kind["id"], "start": turning["start"]})).await.json();
        assert!(c["violations"].as_array().unwrap().iter().any(|x| x["code"] == "machine_not_allowed"), "{c}");
        // A Sunday.
        let start = t(&turning["start"]);
        let sunday = start.date() + chrono::Days::new(u64::from(6 - start.date().weekday().num_days_from_monday()));
        let c = app.post("/api/v1/planning/check-move", &chef, json!({"op_id": turning["op_id"], "start": format!("{sunday}T09:00:00")})).await.json();
        assert!(c["violations"].as_array().unwrap().iter().any(|x| x["code"] == "calendar"), "{c}");
        // Bad input: clear French errors, nothing changes.
        let e = app.post("/api/v1/planning/moves", &chef, json!({"op_id": turning["op_id"], "start": "demain"})).await.problem(422, "validation");
        assert!(e["detail"].as_str().unwrap().contains("Début"), "{e}");
        app.post("/api/v1/planning/moves", &chef, json!({"start": "2026-12-08T08:00"})).await.problem(422, "validation");
        let e = app.post("/api/v1/planning/moves", &chef, json!({"op_id": 99999999, "start": "2026-12-08T08:00"})).await.problem(422, "planning_move_refused");
        assert!(e["errors"][0]["code"] == "unknown_operation", "{e}");
        assert_eq!(app.get(&wide_board(), &chef).await.json()["revision"].as_i64().unwrap(), rev);
        // The same place is accepted: the operation is pinned there; unpin gives it back.
        let m = app.post("/api/v1/planning/moves", &chef, json!({"op_id": turning["op_id"], "start": turning["start"]})).await;
        m.assert(200);
        let m = m.json();
        assert_eq!(m["revision"].as_i64().unwrap(), rev + 1);
        assert_eq!(m["op"]["pinned"], true);
        assert_eq!(m["op"]["start"], turning["start"]);
        let pinned = app.get(&wide_board(), &chef).await.json();
        assert!(pinned["ops"].as_array().unwrap().iter().any(|o| o["op_id"] == turning["op_id"] && o["pinned"] == true));
        let u = app.post(&format!("/api/v1/planning/moves/{}/unpin", turning["op_id"]), &chef, json!({})).await.json();
        assert_eq!(u["revision"].as_i64().unwrap(), rev + 2);
        // Operators cannot move.
        let op = app.login("operateur").await;
        app.post("/api/v1/planning/moves", &op, json!({"op_id": turning["op_id"], "start": turning["start"]})).await.problem(403, "forbidden");
        app
    }

    async fn an_absence_produces_a_repair_and_downtime_may_apply_at_once(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let op = app.login("operateur").await;
        let (_, board) = accepted_plan(&app, &chef).await;
        let ops = board["ops"].as_array().unwrap();
        // The person with the most planned operations is absent on the day of their first one.
        let mut count: HashMap<i64, usize> = HashMap::new();
        for o in ops.iter().filter(|o| o["status"] == "a_faire") {
            if let Some(p) = o["person_id"].as_i64() {
                *count.entry(p).or_default() += 1;
            }
        }
        let (&person, _) = count.iter().max_by_key(|(id, n)| (**n, -**id)).expect("someone planned");
        let first = ops.iter().filter(|o| o["person_id"] == person && o["status"] == "a_faire").min_by_key(|o| t(&o["start"])).unwrap();
        let day = t(&first["start"]).date();
        let from = format!("{day}T00:00:00");
        let to = format!("{}T23:59:00", day + chrono::Days::new(1));
        // Bad input first.
        app.post("/api/v1/planning/unavailability", &chef, json!({"resource": "person", "resource_id": person, "kind": "absence", "from": to, "to": from})).await.problem(422, "validation");
        app.post("/api/v1/planning/unavailability", &chef, json!({"resource": "robot", "resource_id": person, "kind": "absence", "from": from, "to": to})).await.problem(422, "validation");
        app.post("/api/v1/planning/unavailability", &chef, json!({"resource": "person", "resource_id": person, "kind": "panne", "from": from, "to": to})).await.problem(422, "validation");
        app.post("/api/v1/planning/unavailability", &chef, json!({"resource": "person", "resource_id": 999999, "kind": "absence", "from": from, "to": to})).await.problem(422, "validation");
        app.post("/api/v1/planning/unavailability", &op, json!({"resource": "person", "resource_id": person, "kind": "absence", "from": from, "to": to})).await.problem(403, "forbidden");
        assert_eq!(app.get("/api/v1/planning/unavailability?resource=person", &chef).await.json().as_array().unwrap().len(), 1, "only the demo's training day");

        let r = app.post("/api/v1/planning/unavailability", &chef, json!({"resource": "person", "resource_id": person, "kind": "maladie", "from": from, "to": to, "reason": "Arrêt 2 jours"})).await;
        r.assert(201);
        let r = r.json();
        assert_eq!(r["applied"], false, "default: wait for validation");
        // The list's period filter: what overlaps the period, a day included whole.
        let listed = |q: String| {
            let app = &app;
            let chef = &chef;
            async move { app.get(&format!("/api/v1/planning/unavailability?resource=person&id={person}&{q}"), chef).await.json().as_array().unwrap().iter().map(|u| u["reason"].clone()).collect::<Vec<_>>() }
        };
        let next = day + chrono::Days::new(1);
        assert_eq!(listed(format!("from={next}&to={next}")).await, vec![json!("Arrêt 2 jours")]);
        assert_eq!(listed(format!("to={day}T00:30")).await, vec![json!("Arrêt 2 jours")]);
        assert!(listed(format!("from={}", day + chrono::Days::new(2))).await.is_empty());
        assert!(listed(format!("to={}", day - chrono::Days::new(1))).await.is_empty());
        app.get("/api/v1/planning/unavailability?from=31/12/2026", &chef).await.problem(422, "validation");
        app.get(&format!("/api/v1/planning/unavailability?from={next}&to={day}"), &chef).await.problem(422, "validation");
        // All bad filters in one answer; blank bounds are no bounds.
        let p = app.get("/api/v1/planning/unavailability?resource=robot&from=hier&to=demain", &chef).await.problem(422, "validation");
        let mut fields: Vec<_> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        fields.sort();
        assert_eq!(fields, ["from", "resource", "to"], "{p}");
        let all = listed(String::new()).await;
        assert!(all.contains(&json!("Arrêt 2 jours")), "{all:?}");
        assert_eq!(listed("from=&to=%20".into()).await, all);
        let p = &r["proposal"];
        assert_eq!(p["trigger"], "absence");
        assert_eq!(p["status"], "en_attente");
        assert!(p["trigger_ref"].as_str().unwrap().contains(&format!("{:02}/{:02}/{}", day.day(), day.month(), day.year())), "{p}");
        // In the repair, nothing of that person's overlaps the absence.
        let (af, at) = (t(&json!(from)), t(&json!(to)));
        for o in p["ops"].as_array().unwrap() {
            if o["person_id"] == person && o["status"] == "a_faire" {
                assert!(!(t(&o["start"]) < at && af < t(&o["end"])), "planned during the absence: {o}");
            }
        }
        assert!(p["moves"].as_array().unwrap().iter().any(|m| m["before"]["person_id"] == person), "{}", p["moves"]);
        let b = app.get(&wide_board(), &chef).await.json();
        assert!(b["unavailability"].as_array().unwrap().iter().any(|u| u["resource"] == "person" && u["id"] == person && u["reason"] == "Arrêt 2 jours"));
        // Accepted, the plan keeps every rule.
        let a = app.post(&format!("/api/v1/planning/proposals/{}/accept", p["id"]), &chef, json!({})).await;
        a.assert(200);
        let b = app.get(&wide_board(), &chef).await.json();
        check_plan(b["ops"].as_array().unwrap(), &b);

        // Settings: "apply at once and notify" for re-balancing; an operator cannot change it.
        app.put("/api/v1/planning/settings", &op, json!({"rebalance_mode": "appliquer"})).await.problem(403, "forbidden");
        app.put("/api/v1/planning/settings", &chef, json!({"rebalance_mode": "toujours"})).await.problem(422, "validation");
        let s = app.put("/api/v1/planning/settings", &chef, json!({"rebalance_mode": "appliquer"})).await.json();
        assert_eq!(s["rebalance_mode"], "appliquer");
        let machine = b["ops"].as_array().unwrap().iter().find_map(|o| o["machine_id"].as_i64()).unwrap();
        let rev = b["revision"].as_i64().unwrap();
        let r = app.post("/api/v1/planning/unavailability", &chef, json!({"resource": "machine", "resource_id": machine, "kind": "panne", "from": from, "to": to})).await.json();
        assert_eq!(r["applied"], true, "{r}");
        assert_eq!(r["proposal"]["status"], "appliquee");
        assert_eq!(r["proposal"]["decided_by"], "auto");
        let b = app.get(&wide_board(), &chef).await.json();
        assert_eq!(b["revision"].as_i64().unwrap(), rev + 1);
        for o in b["ops"].as_array().unwrap() {
            if o["machine_id"] == machine && o["status"] == "a_faire" {
                assert!(!(t(&o["start"]) < at && af < t(&o["end"])), "planned on the broken machine: {o}");
            }
        }
        // Deleting the downtime is recorded; a missing one is 404.
        let id = r["unavailability"]["id"].as_i64().unwrap();
        app.request(axum::http::Method::DELETE, &format!("/api/v1/planning/unavailability/{id}"), Some(&chef), None, &[]).await.assert(204);
        app.request(axum::http::Method::DELETE, &format!("/api/v1/planning/unavailability/{id}"), Some(&chef), None, &[]).await.problem(404, "not_found");
        app
    }

    async fn an_urgent_job_waits_for_a_manager_and_then_rises(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let jobs = app.get("/api/v1/jobs?status=pret", &chef).await.json();
        let job = jobs["items"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap();
        app.post("/api/v1/planning/proposals", &chef, json!({"trigger": "urgence"})).await.problem(422, "validation");
        app.post("/api/v1/planning/proposals", &chef, json!({"trigger": "urgence", "job_id": 999999})).await.problem(404, "not_found");
        app.post("/api/v1/planning/proposals", &chef, json!({"trigger": "au_hasard"})).await.problem(422, "validation");
        let p = app.post("/api/v1/planning/proposals", &chef, json!({"trigger": "urgence", "job_id": job})).await;
        p.assert(201);
        let p = p.json();
        assert_eq!(p["trigger"], "urgence");
        assert!(p["requires_validation"].as_bool().unwrap());
        assert!(p["ops"].as_array().unwrap().iter().filter(|o| o["job_id"] == job).all(|o| o["priority"] == 2), "{}", p["ops"]);
        // Not accepted yet: the job keeps its priority. The managers are told (alerts): the
        // urgent proposal waits (critical), and the rail job is past its requested date.
        let b = app.get(&wide_board(), &chef).await.json();
        assert_eq!(b["ops"].as_array().unwrap().len(), 0);
        usinage_app::alerts::recompute(&app.db, usinage_app::paris_today()).await.unwrap();
        let al = app.get("/api/v1/alerts?kind=planning", &chef).await.json();
        let items = al["items"].as_array().unwrap();
        let waiting = items.iter().find(|a| a["entity_type"] == "planning/propositions" && a["entity_id"] == p["id"]).unwrap_or_else(|| panic!("{al}"));
        assert_eq!(waiting["severity"], "critique");
        assert!(waiting["title"].as_str().unwrap().contains("à valider"), "{waiting}");
        assert!(items.iter().any(|a| a["entity_type"] == "jobs" && a["title"].as_str().unwrap().contains("sur-urgent")), "{al}");
        let dir = app.login("direction").await;
        app.post(&format!("/api/v1/planning/proposals/{}/accept", p["id"]), &dir, json!({})).await.assert(200);
        // (A refresh started by an earlier request may still land: the last recompute wins.)
        let mut waiting_left = true;
        for _ in 0..20 {
            usinage_app::alerts::recompute(&app.db, usinage_app::paris_today()).await.unwrap();
            let al = app.get("/api/v1/alerts?kind=planning", &chef).await.json();
            waiting_left = al["items"].as_array().unwrap().iter().any(|a| a["entity_type"] == "planning/propositions");
            if !waiting_left {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(!waiting_left, "decided: no longer waiting");
        let b = app.get(&wide_board(), &chef).await.json();
        let mine: Vec<&Value> = b["ops"].as_array().unwrap().iter().filter(|o| o["job_id"] == job).collect();
        assert!(!mine.is_empty());
        assert!(mine.iter().all(|o| o["priority"] == 2));
        app
    }

    async fn load_working_time_settings_and_calendars(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let op = app.login("operateur").await;
        accepted_plan(&app, &chef).await;
        let l = app.get("/api/v1/planning/load?weeks=6", &op).await.json();
        assert_eq!(l["weeks"].as_array().unwrap().len(), 6);
        let cells: Vec<&Value> = l["machines"].as_array().unwrap().iter().flat_map(|m| m["cells"].as_array().unwrap()).collect();
        assert!(cells.iter().any(|c| c["planned_min"].as_i64().unwrap() > 0), "{l}");
        assert!(cells.iter().all(|c| c["capacity_min"].as_i64().unwrap() <= 7 * 24 * 60 * 2));
        app.get("/api/v1/planning/load?weeks=0", &op).await.problem(422, "validation");
        app.get("/api/v1/planning/load?weeks=abc", &op).await.assert(400);
        let w = app.get("/api/v1/planning/working-time", &op).await.json();
        assert_eq!(w["limits"]["day_min"], 600);
        assert_eq!(w["limits"]["week_min"], 2880);
        assert_eq!(w["limits"]["avg_week_min"], 2640);
        let kevin = w["people"].as_array().unwrap().iter().find(|p| p["name"] == "Kévin Dumas").unwrap();
        assert_eq!(kevin["contract_week_min"], 39 * 60);
        assert_eq!(kevin["days"].as_array().unwrap().len(), 7);
        // The minutes shown are those the limits are checked on: over 10 h a day means an alert.
        for p in w["people"].as_array().unwrap() {
            for d in p["days"].as_array().unwrap() {
                if d["planned_min"].as_i64().unwrap() > 600 {
                    assert!(p["alerts"].as_array().unwrap().iter().any(|a| a["code"] == "working_time_day"), "{p}");
                }
            }
        }
        app.get("/api/v1/planning/working-time?week=semaine-12", &op).await.problem(422, "validation");
        // Settings.
        let s = app.get("/api/v1/planning/settings", &op).await.json();
        assert_eq!(s["rebalance_mode"], "attendre");
        assert_eq!(s["horizon_days"], 30);
        let minutes: i64 = s["shop_shifts"].as_array().unwrap().iter().map(|x| x["end_min"].as_i64().unwrap() - x["start_min"].as_i64().unwrap()).sum();
        assert_eq!(minutes, 39 * 60);
        app.put("/api/v1/planning/settings", &chef, json!({"shop_shifts": [{"weekday": 0, "start_min": 480, "end_min": 1000}, {"weekday": 0, "start_min": 900, "end_min": 1020}]})).await.problem(422, "validation");
        app.put("/api/v1/planning/settings", &chef, json!({"horizon_days": 0})).await.problem(422, "validation");
        app.put("/api/v1/planning/settings", &chef, json!({"same_family_setup_factor": "1,5"})).await.problem(422, "validation");
        app.put("/api/v1/planning/settings", &chef, json!({"closures": [{"day": "2026-12-24", "label": "A"}, {"day": "2026-12-24", "label": "B"}]})).await.problem(422, "validation");
        // Two screens opened on the same version: the first save wins, the second is refused
        // (409) and changes nothing, instead of silently undoing the first.
        let v = s["version"].as_i64().unwrap();
        let s = app.put("/api/v1/planning/settings", &chef, json!({"version": v, "horizon_days": 45, "same_family_setup_factor": "0,25", "closures": [{"day": "2027-08-09", "label": "Fermeture d'été"}]})).await.json();
        assert_eq!(s["version"].as_i64().unwrap(), v + 1);
        app.put("/api/v1/planning/settings", &chef, json!({"version": v, "horizon_days": 60, "closures": []})).await.problem(409, "stale_version");
        let s = app.get("/api/v1/planning/settings", &chef).await.json();
        assert_eq!(s["horizon_days"], 45);
        assert_eq!(s["same_family_setup_factor"], "0.25");
        assert_eq!(s["closures"][0]["label"], "Fermeture d'été");
        let b = app.get("/api/v1/planning/board?from=2027-08-01&to=2027-08-31", &chef).await.json();
        assert!(b["closed_days"].as_array().unwrap().contains(&json!("2027-08-09")));
        // Calendars: a machine on two shifts, a person's own week; unknown → 404.
        let m = b["machines"][0]["id"].as_i64().unwrap();
        let two = json!({"shifts": [{"weekday": 0, "start_min": 300, "end_min": 780}, {"weekday": 0, "start_min": 780, "end_min": 1260}]});
        app.put(&format!("/api/v1/planning/calendars/machines/{m}"), &op, two.clone()).await.problem(403, "forbidden");
        let url = format!("/api/v1/planning/calendars/machines/{m}");
        assert_eq!(app.get(&url, &chef).await.json()["version"], 0, "no own week yet");
        let mut with_version = two;
        with_version["version"] = json!(0);
        let c = app.put(&url, &chef, with_version).await.json();
        assert_eq!(c["shifts"].as_array().unwrap().len(), 2);
        assert_eq!(c["version"], 1);
        // The same screen saved again from version 0: refused, the two shifts stay.
        app.put(&url, &chef, json!({"version": 0, "shifts": null})).await.problem(409, "stale_version");
        assert_eq!(app.get(&url, &chef).await.json()["shifts"].as_array().unwrap().len(), 2);
        app.put(&url, &chef, json!({"shifts": [{"weekday": 9, "start_min": 0, "end_min": 60}]})).await.problem(422, "validation");
        let c = app.put(&url, &chef, json!({"version": 1, "shifts": null})).await.json();
        assert!(c["shifts"].is_null());
        assert_eq!(c["version"], 0);
        app.get("/api/v1/planning/calendars/people/999999", &chef).await.problem(404, "not_found");
        app.get("/api/v1/planning/board?from=2026-12-10&to=2026-12-01", &chef).await.problem(422, "validation");
        app
    }

    async fn bad_shop_data_is_explained_in_french_in_the_proposal(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let admin = app.login("admin").await;
        // A shop-floor person with no hours at all, and the CMM taken out of service.
        let e = app.get("/api/v1/employees?q=Pelletier", &admin).await.json();
        let e = &e["items"][0];
        app.patch(&format!("/api/v1/employees/{}", e["id"]), &admin, json!({"weekly_hours": ["0", "0", "0", "0", "0", "0", "0"], "version": e["version"]})).await.assert(200);
        let ms = app.get("/api/v1/machines?q=M07", &admin).await.json();
        let m = &ms["items"][0];
        assert_eq!(m["code"], "M07");
        app.patch(&format!("/api/v1/machines/{}", m["id"]), &admin, json!({"active": false, "version": m["version"]})).await.assert(200);
        let p = app.post("/api/v1/planning/proposals", &chef, json!({})).await;
        p.assert(201);
        let p = p.json();
        let d = p["diagnostics"].as_array().unwrap();
        let no_cal = d.iter().find(|x| x["code"] == "no_calendar").unwrap_or_else(|| panic!("{d:?}"));
        assert!(no_cal["message"].as_str().unwrap().contains("Sébastien Pelletier"), "{no_cal}");
        let no_machine = d.iter().find(|x| x["code"] == "no_machine").unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(no_machine["severity"], "error");
        let op = no_machine["op_id"].as_i64().unwrap();
        // That operation (and what follows it in its job) is not planned; the rest is.
        assert!(!p["ops"].as_array().unwrap().iter().any(|o| o["op_id"] == op));
        assert!(p["kpis"]["unplanned_ops"].as_u64().unwrap() >= 1);
        assert!(p["kpis"]["planned_ops"].as_u64().unwrap() > 0);
        assert!(p["summary"].as_str().unwrap().contains("problème"), "{}", p["summary"]);
        app
    }
}
