mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use common::{Resp, TestApp};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const BOUNDARY: &str = "----usinage-quote-boundary";

/// multipart/form-data with optional quantities and any number of files.
fn form(quantities: Option<&str>, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    if let Some(q) = quantities {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"quantities\"\r\n\r\n{q}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, bytes) in files {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn upload(app: &TestApp, token: &str, quote: i64, body: Vec<u8>) -> Resp {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/quotes/{quote}/drawings"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn first_id(app: &TestApp, token: &str, path: &str) -> i64 {
    app.get(path, token).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no item at {path}"))
}

async fn new_quote(app: &TestApp, token: &str) -> Value {
    let client = first_id(app, token, "/api/v1/clients").await;
    let r = app
        .post(
            "/api/v1/quotes",
            token,
            json!({"client_id": client, "subject": "Axes lot 12", "customer_reference": "RFQ-77"}),
        )
        .await;
    r.assert(201);
    r.json()
}

/// Waits for the background worker to finish every line of the quote.
async fn wait_analysed(app: &TestApp, token: &str, quote: i64) -> Value {
    let start = Instant::now();
    loop {
        let q = app
            .get(&format!("/api/v1/quotes/{quote}"), token)
            .await
            .json();
        if q["lines_pending"] == 0 {
            return q;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "analysis still pending: {q}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn manual_line(grade: i64) -> Value {
    json!({
        "part_name": "Axe Ø40", "drawing_number": "AX-40", "drawing_revision": "A",
        "grade_id": grade, "quantities": [50, 1, 10], "shape": "turned",
        "envelope": {"diameter": 40.0, "length": 120.0},
    })
}

on_all_backends! {
    async fn drawings_are_analysed_in_the_background_one_failure_does_not_stop_the_others(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let q = new_quote(&app, &sales).await;
        let id = q["id"].as_i64().unwrap();
        assert!(q["number"].as_str().unwrap().starts_with("DV-"));
        let (src, truth) = usinage_drawing::corpus::generate(7, 1);
        let pdf = usinage_drawing::corpus::render_pdf(&src, &usinage_drawing::corpus::system_fonts()).expect("corpus pdf");
        let r = upload(&app, &sales, id, form(Some("1, 10,50"), &[("plan A.pdf", &pdf), ("abime.pdf", b"ceci n'est pas un plan"), ("modele.dwg", b"AC1032\x00\x01binary")])).await;
        r.assert(202);
        let lines = r.json();
        assert_eq!(lines.as_array().unwrap().len(), 3);
        assert_eq!(lines[0]["quantities"], json!([1, 10, 50]));
        let q = wait_analysed(&app, &sales, id).await;
        let l = &q["lines"];
        assert_eq!(l[0]["analysis_status"], "termine", "{}", l[0]);
        assert_eq!(l[0]["drawing_number"].as_str(), truth.drawing_number.as_deref());
        assert_eq!(l[0]["drawing"]["pages"], 1);
        let fields = l[0]["extracted"].as_array().unwrap();
        let number = fields.iter().find(|f| f["key"] == "drawing_number").expect("drawing number located");
        let b = &number["bbox"];
        assert!(b["x1"].as_f64().unwrap() > b["x0"].as_f64().unwrap() && b["x1"].as_f64().unwrap() <= 1.0);
        assert_eq!(l[1]["analysis_status"], "echec");
        assert!(l[1]["analysis_error"].as_str().unwrap().contains("Format de fichier non reconnu"), "{}", l[1]);
        assert_eq!(l[2]["analysis_status"], "manuel");
        assert!(l[2]["warnings"][0].as_str().unwrap().contains("lecture manuelle"), "{}", l[2]);
        // Page image for the review screen.
        let line = l[0]["id"].as_i64().unwrap();
        let png = app.get(&format!("/api/v1/quote-lines/{line}/pages/1"), &sales).await;
        png.assert(200);
        assert_eq!(png.content_type(), "image/png");
        assert!(png.bytes.starts_with(&[0x89, b'P', b'N', b'G']));
        app.get(&format!("/api/v1/quote-lines/{line}/pages/2"), &sales).await.problem(404, "not_found");
        let d = app.get(&format!("/api/v1/quote-lines/{line}/drawing"), &sales).await;
        d.assert(200);
        assert_eq!(d.bytes, pdf);
        // The person fixes the material and the envelope: the line is estimated.
        let grade = first_id(&app, &sales, "/api/v1/materials?q=C45").await;
        let r = app.patch(&format!("/api/v1/quote-lines/{line}"), &sales, json!({
            "grade_id": grade, "shape": "turned", "envelope": {"diameter": 50.0, "length": 90.0},
            "version": l[0]["version"],
        })).await;
        r.assert(200);
        let v = r.json();
        assert!(v["estimate"]["breaks"].as_array().unwrap().len() == 3, "{v}");
        assert_eq!(v["grade_code"], "MA02");
        // Reanalysis queues it again and replaces the corrections by what is read.
        let r = app.request(Method::POST, &format!("/api/v1/quote-lines/{line}/reanalyze"), Some(&sales), None, &[]).await;
        r.assert(202);
        assert_eq!(r.json()["analysis_status"], "en_attente");
        wait_analysed(&app, &sales, id).await;
        app
    }

    async fn a_manual_line_is_priced_reviewed_sent_and_reopened_as_a_revision(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let methode = app.login("methode").await;
        let q = new_quote(&app, &sales).await;
        let id = q["id"].as_i64().unwrap();
        let grade = first_id(&app, &sales, "/api/v1/materials?q=C45").await;
        let r = app.post(&format!("/api/v1/quotes/{id}/lines"), &sales, manual_line(grade)).await;
        r.assert(201);
        let l = r.json();
        assert_eq!(l["analysis_status"], "manuel");
        assert_eq!(l["quantities"], json!([1, 10, 50]));
        let est = &l["estimate"];
        let breaks = est["breaks"].as_array().unwrap();
        assert_eq!(breaks.len(), 3);
        for b in breaks {
            let s = b["scenarios"].as_array().unwrap();
            let kinds: Vec<_> = s.iter().map(|x| x["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds, ["economique", "standard", "express"]);
            for x in s {
                // Never below the minimum margin (8 % in the demo's rate grid).
                let m: f64 = x["margin_pct"].as_str().unwrap().parse().unwrap();
                assert!(m >= 8.0, "{x}");
            }
            let unit = |i: usize| s[i]["unit_price"].as_str().unwrap().parse::<f64>().unwrap();
            assert!(unit(0) <= unit(1) && unit(1) <= unit(2), "{b}");
        }
        // Unit price falls with quantity (setup spread).
        let u = |i: usize| breaks[i]["scenarios"][1]["unit_price"].as_str().unwrap().parse::<f64>().unwrap();
        assert!(u(0) > u(1) && u(1) > u(2));
        // Débit, tournage… on the shop's own machines, every number traced.
        let ops: Vec<_> = est["operations"].as_array().unwrap().iter().map(|o| o["process"].as_str().unwrap().to_string()).collect();
        assert!(ops.contains(&"tournage".to_string()) && ops.contains(&"controle".to_string()), "{ops:?}");
        assert!(est["raw_stock"]["debit_fr"].as_str().unwrap().contains("Ø"), "{}", est["raw_stock"]);
        assert!(!est["trace"].as_array().unwrap().is_empty());
        // Selected price = first quantity, Standard.
        assert_eq!(l["selected_quantity"], 1);
        let std1 = breaks[0]["scenarios"][1]["unit_price"].as_str().unwrap().parse::<f64>().unwrap();
        assert!((l["unit_price"].as_str().unwrap().parse::<f64>().unwrap() - std1).abs() < 0.005);
        let line = l["id"].as_i64().unwrap();
        // Choose 10 pieces Express.
        let r = app.patch(&format!("/api/v1/quote-lines/{line}"), &sales, json!({"selected_quantity": 10, "selected_scenario": "express", "version": l["version"]})).await;
        r.assert(200);
        let l = r.json();
        assert_eq!(l["selected_scenario"], "express");
        let express10 = breaks[1]["scenarios"][2]["total_price"].as_str().unwrap().parse::<f64>().unwrap();
        assert!((l["total"].as_str().unwrap().parse::<f64>().unwrap() - express10).abs() < 0.005);
        // A negotiated price below the minimum margin is refused with the floor, and changes
        // nothing; above it, it replaces the scenario's price for that quantity.
        let cost10 = breaks[1]["unit_cost"].as_str().unwrap().parse::<f64>().unwrap();
        let e = app.patch(&format!("/api/v1/quote-lines/{line}"), &sales, json!({"unit_price": format!("{:.2}", cost10 * 1.02).replace('.', ","), "version": l["version"]})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["code"], "below_min_margin", "{e}");
        assert!(e["detail"].as_str().unwrap().contains("marge minimum de 8 %"), "{e}");
        let still = app.get(&format!("/api/v1/quote-lines/{line}"), &sales).await.json();
        assert_eq!(still["version"], l["version"]);
        assert!(still["unit_price_override"].is_null());
        let agreed = (cost10 * 1.20 * 100.0).round() / 100.0;
        let r = app.patch(&format!("/api/v1/quote-lines/{line}"), &sales, json!({"unit_price": format!("{agreed:.2}"), "version": l["version"]})).await;
        r.assert(200);
        let l = r.json();
        assert_eq!(l["unit_price_override"].as_str().unwrap().parse::<f64>().unwrap(), agreed);
        assert!((l["total"].as_str().unwrap().parse::<f64>().unwrap() - agreed * 10.0).abs() < 0.005);
        // Not reviewed yet: the quote cannot be submitted.
        app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "a_valider"})).await.problem(409, "lines_not_reviewed");
        let r = app.patch(&format!("/api/v1/quote-lines/{line}"), &sales, json!({"reviewed": true, "version": l["version"]})).await;
        r.assert(200);
        let l = r.json();
        assert_eq!(l["reviewed"], true);
        assert_eq!(l["reviewed_by_name"], "commercial");
        let r = app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "a_valider"})).await;
        r.assert(200);
        let q = r.json();
        assert!(q["total_standard"].as_str().is_some());
        // Locked while not a draft.
        app.patch(&format!("/api/v1/quote-lines/{line}"), &sales, json!({"part_name": "x", "version": l["version"]})).await.problem(409, "quote_not_draft");
        // Méthode may prepare but not send.
        app.post(&format!("/api/v1/quotes/{id}/status"), &methode, json!({"status": "envoye"})).await.problem(403, "forbidden");
        let r = app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "envoye"})).await;
        r.assert(200);
        assert!(r.json()["sent_at"].as_str().is_some());
        let pdf = app.get(&format!("/api/v1/quotes/{id}/pdf"), &sales).await;
        pdf.assert(200);
        assert_eq!(pdf.content_type(), "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF"));
        let doc = lopdf::Document::load_mem(&pdf.bytes).expect("pdf");
        let text = doc.extract_text(&[1]).unwrap_or_default();
        assert!(text.contains(q["number"].as_str().unwrap()), "{text}");
        // Reopen: new revision, the sent one is kept.
        let r = app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "brouillon", "comment": "Client demande 100 pièces"})).await;
        r.assert(200);
        let q = r.json();
        assert_eq!(q["revision"], 1);
        assert_eq!(q["revisions"][0]["revision"], 0);
        assert_eq!(q["revisions"][0]["status"], "envoye");
        // Accepted only from sent.
        app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "accepte"})).await.problem(409, "invalid_transition");
        // A sent quote cannot be deleted.
        app.request(Method::DELETE, &format!("/api/v1/quotes/{id}"), Some(&app.login("admin").await), None, &[]).await.problem(409, "quote_was_sent");
        app
    }

    async fn bad_input_is_refused_in_french_and_changes_nothing(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let op = app.login("operateur").await;
        app.get("/api/v1/quotes", &op).await.problem(403, "forbidden");
        let e = app.post("/api/v1/quotes", &sales, json!({"client_id": 999999})).await.problem(422, "validation");
        assert!(e["detail"].as_str().unwrap().contains("Client inconnu"), "{e}");
        app.post("/api/v1/quotes", &sales, json!({})).await.problem(422, "validation");
        app.post("/api/v1/quotes", &sales, json!({"client_id": 1, "valid_until": "2020-01-01"})).await.problem(422, "validation");
        let quotes_before = app.count("quotes").await;
        let q = new_quote(&app, &sales).await;
        let id = q["id"].as_i64().unwrap();
        assert_eq!(app.count("quotes").await, quotes_before + 1);
        let lines = app.count("quote_lines").await;
        let blobs = app.count("file_blobs").await;
        upload(&app, &sales, id, form(None, &[])).await.problem(422, "validation");
        upload(&app, &sales, id, form(Some("1, dix"), &[("a.pdf", b"%PDF-1.4")])).await.problem(422, "validation");
        upload(&app, &sales, id, form(None, &[("vide.pdf", b"")])).await.problem(422, "validation");
        assert_eq!(app.count("quote_lines").await, lines);
        assert_eq!(app.count("file_blobs").await, blobs);
        let grade = first_id(&app, &sales, "/api/v1/materials").await;
        let mut bad = manual_line(grade);
        bad["quantities"] = json!([0, 10]);
        app.post(&format!("/api/v1/quotes/{id}/lines"), &sales, bad).await.problem(422, "validation");
        let mut bad = manual_line(grade);
        bad["shape"] = json!("ovale");
        bad["envelope"] = json!({"diameter": -4.0});
        let e = app.post(&format!("/api/v1/quotes/{id}/lines"), &sales, bad).await.problem(422, "validation");
        assert_eq!(e["errors"].as_array().unwrap().len(), 2, "{e}");
        let mut bad = manual_line(grade);
        bad["grade_id"] = json!(424242);
        app.post(&format!("/api/v1/quotes/{id}/lines"), &sales, bad).await.problem(422, "validation");
        assert_eq!(app.count("quote_lines").await, lines);
        // A line without material or envelope is created but asks instead of guessing.
        let r = app.post(&format!("/api/v1/quotes/{id}/lines"), &sales, json!({"part_name": "Bride", "quantities": [5]})).await;
        r.assert(201);
        let l = r.json();
        assert!(l["estimate"].is_null());
        let fields: Vec<_> = l["missing"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["envelope", "grade_id"]);
        let e = app.patch(&format!("/api/v1/quote-lines/{}", l["id"]), &sales, json!({"reviewed": true, "version": l["version"]})).await.problem(409, "line_not_ready");
        assert!(e["detail"].as_str().unwrap().contains("Encombrement"), "{e}");
        // Stale version.
        app.patch(&format!("/api/v1/quote-lines/{}", l["id"]), &sales, json!({"part_name": "Bride 2", "version": 99})).await.problem(409, "stale_version");
        app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "envoye"})).await.problem(409, "invalid_transition");
        app.post(&format!("/api/v1/quotes/{id}/status"), &sales, json!({"status": "perdu"})).await.problem(422, "validation");
        let e = app.put("/api/v1/quote-prices", &app.login("direction").await, json!({"materials": [{"grade_code": "MA02", "price_per_kg": "deux"}], "treatments": []})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "materials[0].price_per_kg");
        // Draft quotes can be deleted with their lines (delete right: direction, admin).
        app.request(Method::DELETE, &format!("/api/v1/quotes/{id}"), Some(&sales), None, &[]).await.problem(403, "forbidden");
        app.request(Method::DELETE, &format!("/api/v1/quotes/{id}"), Some(&app.login("admin").await), None, &[]).await.assert(204);
        assert_eq!(app.count("quotes").await, quotes_before);
        app
    }

    async fn demo_quote_is_priced_and_prices_drive_the_treatment_cost(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let list = app.get("/api/v1/quotes?q=RFQ-2026", &sales).await;
        list.assert(200);
        let l = list.json();
        assert_eq!(l["total"], 1);
        let id = l["items"][0]["id"].as_i64().unwrap();
        let q = app.get(&format!("/api/v1/quotes/{id}"), &sales).await.json();
        let line = &q["lines"][0];
        assert_eq!(line["part_name"], "Axe de vérin");
        let est = &line["estimate"];
        assert_eq!(est["breaks"].as_array().unwrap().len(), 4);
        let zingage = est["operations"].as_array().unwrap().iter().find(|o| o["process"] == "traitement_sous_traite").expect("subcontracted treatment");
        assert_eq!(zingage["resource"]["supplier"], "Anodia Surfaces SAS");
        assert_eq!(line["selected_quantity"], 50);
        // The three demo drawings are read by the worker: title block, material matched to the
        // materials table, operations on the shop's machines, three offers per quantity.
        let q = wait_analysed(&app, &sales, id).await;
        let drawings: Vec<&Value> = q["lines"].as_array().unwrap().iter().filter(|l| !l["drawing"].is_null()).collect();
        assert_eq!(drawings.len(), 3);
        for l in drawings {
            assert_eq!(l["analysis_status"], "termine", "{l}");
            assert!(l["drawing_number"].as_str().is_some_and(|n| !n.is_empty()), "{l}");
            assert!(l["grade_code"].as_str().is_some(), "material matched: {l}");
            let e = &l["estimate"];
            assert!(e["operations"].as_array().unwrap().iter().any(|o| o["resource"]["kind"] == "machine"), "{e}");
            for b in e["breaks"].as_array().unwrap() {
                assert_eq!(b["scenarios"].as_array().unwrap().len(), 3);
            }
        }
        let pdf = app.get(&format!("/api/v1/quotes/{id}/pdf"), &sales).await;
        pdf.assert(200);
        assert!(!lopdf::Document::load_mem(&pdf.bytes).unwrap().get_pages().is_empty());
        let prices = app.get("/api/v1/quote-prices", &sales).await.json();
        assert!(prices["materials"].as_array().unwrap().len() >= 10);
        app
    }
}
