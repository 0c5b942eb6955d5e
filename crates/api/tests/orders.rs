mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use common::{Resp, TestApp};
use serde_json::{Value, json};

const BOUNDARY: &str = "----usinage-po-boundary";

async fn upload_po(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> Resp {
    let mut b = Vec::new();
    b.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/orders/po-import")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(b))
        .unwrap();
    app.send(req).await
}

async fn first_id(app: &TestApp, token: &str, path: &str) -> i64 {
    app.get(path, token).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no item at {path}"))
}

fn num(v: &Value) -> f64 {
    v.as_str()
        .map(|s| s.parse::<f64>().unwrap())
        .or_else(|| v.as_f64())
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("pdf");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap_or_default()
}

/// A priced, reviewed, sent and accepted quote with one turned line: returns (quote, order id).
async fn accepted_quote(app: &TestApp, sales: &str, qty: u32) -> (Value, i64) {
    let client = first_id(app, sales, "/api/v1/clients?q=Hydrol").await;
    let q = app
        .post(
            "/api/v1/quotes",
            sales,
            json!({"client_id": client, "subject": "Bagues"}),
        )
        .await
        .json();
    let id = q["id"].as_i64().unwrap();
    let grade = first_id(app, sales, "/api/v1/materials?q=C45").await;
    let r = app
        .post(
            &format!("/api/v1/quotes/{id}/lines"),
            sales,
            json!({
                "part_name": "Bague Ø45", "drawing_number": "BG-45", "drawing_revision": "B",
                "grade_id": grade, "quantities": [qty], "shape": "turned",
                "envelope": {"diameter": 45.0, "length": 65.0},
            }),
        )
        .await;
    r.assert(201);
    let l = r.json();
    app.patch(
        &format!("/api/v1/quote-lines/{}", l["id"]),
        sales,
        json!({"reviewed": true, "version": l["version"]}),
    )
    .await
    .assert(200);
    for s in ["a_valider", "envoye", "accepte"] {
        app.post(
            &format!("/api/v1/quotes/{id}/status"),
            sales,
            json!({"status": s}),
        )
        .await
        .assert(200);
    }
    let q = app.get(&format!("/api/v1/quotes/{id}"), sales).await.json();
    let order = q["order_id"].as_i64().expect("accepting creates the order");
    (q, order)
}

on_all_backends! {
    async fn accepting_a_quote_creates_an_order_and_validating_it_generates_the_routing(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let methode = app.login("methode").await;
        let op = app.login("operateur").await;
        let (q, order) = accepted_quote(&app, &sales, 25).await;
        let o = app.get(&format!("/api/v1/orders/{order}"), &sales).await.json();
        assert_eq!(o["status"], "en_attente");
        assert_eq!(o["quote_number"], q["number"]);
        assert_eq!(o["lines"][0]["quantity"], 25);
        assert_eq!(o["lines"][0]["unit_price"], q["lines"][0]["unit_price"]);
        assert_eq!(o["lines"][0]["reference"], "BG-45");
        assert!(o["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("Bon de commande client non reçu")), "{o}");
        // No customer PO yet: validation refused, nothing generated.
        let jobs_before = app.count("jobs").await;
        let e = app.post(&format!("/api/v1/orders/{order}/status"), &sales, json!({"status": "validee"})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "customer_po_number");
        assert_eq!(app.count("jobs").await, jobs_before);
        // Méthode reads orders but does not validate them.
        app.post(&format!("/api/v1/orders/{order}/status"), &methode, json!({"status": "validee"})).await.problem(403, "forbidden");
        let r = app.patch(&format!("/api/v1/orders/{order}"), &sales, json!({
            "customer_po_number": "PO-7781", "customer_po_date": "2026-12-01",
            "requested_date": "2027-01-15", "promised_date": "2027-01-20", "version": o["version"],
        })).await;
        r.assert(200);
        let o = r.json();
        assert!(o["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("après la date souhaitée")), "{o}");
        let r = app.post(&format!("/api/v1/orders/{order}/status"), &sales, json!({"status": "validee"})).await;
        r.assert(200);
        let o = r.json();
        assert_eq!(o["status"], "validee");
        let job = o["lines"][0]["job"]["id"].as_i64().expect("one job per line");
        assert_eq!(o["lines"][0]["job"]["status"], "brouillon");
        // The generated routing: débit, turning on a lathe, control, packaging.
        let j = app.get(&format!("/api/v1/jobs/{job}"), &methode).await.json();
        assert_eq!(j["routing_source"], "genere");
        assert_eq!(j["quantity"], 25);
        // Due date: the date promised to the customer.
        assert_eq!(j["due_date"], "2027-01-20");
        let debit = &j["debit"];
        let label = debit["label"].as_str().unwrap();
        // Sawn blank ("Débit Ø50×68 — 26 pcs") or bar-fed ("Barre Ø60 en embarreur — 26 pcs × …").
        assert!((label.starts_with("Débit Ø") || label.starts_with("Barre Ø")) && label.contains("26 pcs"), "{debit}");
        // Cut length = part length + facing allowance; pieces = ordered + scrap allowance.
        assert!(num(&debit["cut_length_mm"]) > 65.0 && num(&debit["cut_length_mm"]) < 75.0, "{debit}");
        assert_eq!(debit["quantity"], 26, "25 ordered + 2 % scrap rounded up: {debit}");
        let ops = j["operations"].as_array().unwrap();
        let processes: Vec<&str> = ops.iter().map(|o| o["process"].as_str().unwrap()).collect();
        assert!(processes.contains(&"tournage"), "{processes:?}");
        assert_eq!(processes.last(), Some(&"emballage"), "{processes:?}");
        assert!(processes.contains(&"controle"), "{processes:?}");
        let positions: Vec<i64> = ops.iter().map(|o| o["position"].as_i64().unwrap()).collect();
        assert_eq!(positions, (1..=ops.len() as i64).map(|k| k * 10).collect::<Vec<_>>());
        let turning = ops.iter().find(|o| o["process"] == "tournage").unwrap();
        assert!(turning["machine_code"].as_str().is_some(), "{turning}");
        assert!(num(&turning["run_min"]) > 0.0 && num(&turning["setup_min"]) > 0.0, "{turning}");
        assert!(!turning["tools"].as_array().unwrap().is_empty(), "{turning}");
        // Its method sheet: every tool with cutting conditions for the lathe.
        let sheet_id = turning["method_sheet"]["id"].as_i64().expect("method sheet");
        let s = app.get(&format!("/api/v1/method-sheets/{sheet_id}"), &methode).await.json();
        assert_eq!(s["can_edit"], true);
        assert_eq!(s["version"], 1);
        let tools = s["content"]["tools"].as_array().unwrap();
        assert!(!tools.is_empty());
        for t in tools {
            let c = &t["conditions"];
            assert!(c.is_object(), "{t}");
            if t["kind"] == "tournage" {
                let n = num(&c["n_rpm"]);
                let vc = num(&c["vc_m_min"]);
                let d = num(&c["speed_diameter_mm"]);
                assert!((n * std::f64::consts::PI * d / 1000.0 - vc).abs() < 0.5, "{c}");
            }
        }
        // What a scanned traveler QR opens, for an operator too, with the crib's stock.
        let scanned = app.get(&format!("/api/v1/job-operations/{}", turning["id"]), &op).await;
        scanned.assert(200);
        let scanned = scanned.json();
        assert_eq!(scanned["job_id"], job);
        assert_eq!(scanned["operation"]["tools"], turning["tools"]);
        // An operator reads the sheet but cannot change it (403, French, nothing written).
        let so = app.get(&format!("/api/v1/method-sheets/{sheet_id}"), &op).await.json();
        assert_eq!(so["can_edit"], false);
        let versions = app.count("method_sheet_versions").await;
        let e = app.put(&format!("/api/v1/method-sheets/{sheet_id}"), &op, json!({"version": 1, "content": s["content"]})).await.problem(403, "forbidden");
        assert!(e["detail"].as_str().unwrap().contains("méthode"), "{e}");
        assert_eq!(app.count("method_sheet_versions").await, versions);
        // Méthode fills the set-up and saves a version; the history says who and what.
        let mut content = s["content"].clone();
        content["setup"]["fixturing"] = json!("Mandrin 3 mors doux Ø45, serrage 30 mm");
        content["setup"]["zero_point"] = json!("Face avant, axe broche");
        let r = app.put(&format!("/api/v1/method-sheets/{sheet_id}"), &methode, json!({"version": 1, "content": content})).await;
        r.assert(200);
        let s2 = r.json();
        assert_eq!(s2["version"], 2);
        assert_eq!(s2["updated_by"], "methode");
        assert!(!s2["missing"].as_array().unwrap().iter().any(|m| m == "Prise de pièce (montage)"));
        let hist = app.get(&format!("/api/v1/method-sheets/{sheet_id}/versions"), &methode).await.json();
        assert_eq!(hist[0]["version"], 2);
        assert!(hist[0]["summary"].as_str().unwrap().contains("Prise de pièce modifiée"), "{hist}");
        app.put(&format!("/api/v1/method-sheets/{sheet_id}"), &methode, json!({"version": 1, "content": content})).await.problem(409, "stale_version");
        let old = app.get(&format!("/api/v1/method-sheets/{sheet_id}/versions/1"), &methode).await.json();
        assert_eq!(old["history_version"], 1);
        assert_eq!(old["can_edit"], false);
        // A machine that cannot turn (the saw) is refused with the reason; nothing changes.
        let saw = app.get("/api/v1/machines?kind=scie", &methode).await.json()["items"][0]["id"].as_i64().unwrap();
        let before = app.get(&format!("/api/v1/jobs/{job}"), &methode).await.json();
        let e = app.patch(&format!("/api/v1/job-operations/{}", turning["id"]), &methode, json!({"machine_id": saw, "version": turning["version"]})).await.problem(422, "validation");
        assert_eq!(e["errors"][0]["field"], "machine_id");
        assert!(e["detail"].as_str().unwrap().contains("ne peut pas"), "{e}");
        let after = app.get(&format!("/api/v1/jobs/{job}"), &methode).await.json();
        assert_eq!(before["routing_version"], after["routing_version"]);
        // Edit, reorder, diff, restore.
        let r = app.patch(&format!("/api/v1/job-operations/{}", turning["id"]), &methode, json!({"run_min": "4.5", "nc_program": "BG45_OP20", "version": turning["version"]})).await;
        r.assert(200);
        let j2 = r.json();
        assert_eq!(j2["routing_version"], 2);
        let r = app.post(&format!("/api/v1/jobs/{job}/operations"), &methode, json!({"process": "ebavurage", "label": "Ébavurage manuel", "work_centre": "ebavurage", "run_min": "1", "after_id": turning["id"]})).await;
        r.assert(201);
        let j3 = r.json();
        assert_eq!(j3["operations"].as_array().unwrap().len(), ops.len() + 1);
        let mut ids: Vec<i64> = j3["operations"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
        let n = ids.len();
        ids.swap(n - 2, n - 3);
        app.post(&format!("/api/v1/jobs/{job}/routing/reorder"), &methode, json!({"operation_ids": [1, 2], "version": j3["version"]})).await.problem(422, "validation");
        let r = app.post(&format!("/api/v1/jobs/{job}/routing/reorder"), &methode, json!({"operation_ids": ids, "version": j3["version"]})).await;
        r.assert(200);
        let j4 = r.json();
        assert_eq!(j4["routing_version"], 4);
        let d = app.get(&format!("/api/v1/jobs/{job}/routing/versions/1/diff"), &methode).await.json();
        let kinds: Vec<&str> = d["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"ajoutee") && kinds.contains(&"modifiee") && kinds.contains(&"deplacee"), "{d}");
        let versions = app.get(&format!("/api/v1/jobs/{job}/routing/versions"), &methode).await.json();
        assert_eq!(versions.as_array().unwrap().len(), 4);
        let r = app.post(&format!("/api/v1/jobs/{job}/routing/versions/1/restore"), &methode, json!({"version": j4["version"]})).await;
        r.assert(200);
        let j5 = r.json();
        assert_eq!(j5["routing_version"], 5);
        assert_eq!(j5["operations"].as_array().unwrap().len(), ops.len());
        let d = app.get(&format!("/api/v1/jobs/{job}/routing/versions/1/diff"), &methode).await.json();
        assert!(d["changes"].as_array().unwrap().is_empty(), "{d}");
        // Commercial cannot validate a routing; méthode can.
        app.post(&format!("/api/v1/jobs/{job}/routing/validate"), &sales, json!({"version": j5["version"]})).await.problem(403, "forbidden");
        let r = app.post(&format!("/api/v1/jobs/{job}/routing/validate"), &methode, json!({"version": j5["version"]})).await;
        r.assert(200);
        let j6 = r.json();
        assert_eq!(j6["status"], "pret");
        assert_eq!(j6["routing_validated_by"], "methode");
        // Traveler, method sheet, acknowledgment: PDFs with the right numbers.
        let t = app.get(&format!("/api/v1/jobs/{job}/traveler.pdf"), &sales).await;
        t.assert(200);
        assert_eq!(t.content_type(), "application/pdf");
        assert!(pdf_text(&t.bytes).contains(j6["number"].as_str().unwrap()));
        let m = app.get(&format!("/api/v1/method-sheets/{sheet_id}/pdf"), &op).await;
        m.assert(200);
        assert!(m.bytes.starts_with(b"%PDF"));
        let a = app.get(&format!("/api/v1/orders/{order}/acknowledgment.pdf"), &sales).await;
        a.assert(200);
        let text = pdf_text(&a.bytes);
        assert!(text.contains("PO-7781"), "{text}");
        // Partial then full delivery.
        let line = o["lines"][0]["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/orders/{order}/deliveries"), &sales, json!({"lines": [{"order_line_id": line, "quantity": 26}]})).await.problem(422, "validation");
        let r = app.post(&format!("/api/v1/orders/{order}/deliveries"), &sales, json!({"lines": [{"order_line_id": line, "quantity": 10}], "packages": 1})).await;
        r.assert(201);
        let o = r.json();
        assert_eq!(o["status"], "livree_partielle");
        assert_eq!(o["lines"][0]["remaining"], 15);
        let r = app.post(&format!("/api/v1/orders/{order}/deliveries"), &sales, json!({"lines": [{"order_line_id": line, "quantity": 15}], "weight_kg": "12,5"})).await;
        r.assert(201);
        let o = r.json();
        assert_eq!(o["status"], "livree");
        assert_eq!(o["deliveries"].as_array().unwrap().len(), 2);
        let bl = app.get(o["deliveries"][1]["pdf_url"].as_str().unwrap(), &sales).await;
        bl.assert(200);
        assert!(pdf_text(&bl.bytes).contains(o["deliveries"][1]["number"].as_str().unwrap()));
        // Every step is in the audit trail.
        let h = app.get(&format!("/api/v1/orders/{order}/history"), &sales).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for a in ["create", "update", "status", "delivery"] {
            assert!(actions.contains(&a), "{actions:?}");
        }
        let h = app.get(&format!("/api/v1/jobs/{job}/history"), &methode).await.json();
        let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for a in ["create", "routing_update", "routing_add", "routing_reorder", "routing_restore", "routing_validate"] {
            assert!(actions.contains(&a), "{actions:?}");
        }
        app
    }

    async fn the_demo_po_is_read_and_matched_to_its_quote(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let client = first_id(&app, &sales, "/api/v1/clients?q=Hydrol").await;
        let files = app.get(&format!("/api/v1/attachments?entity=clients&entity_id={client}"), &sales).await.json();
        let po = files.as_array().or(files["items"].as_array()).unwrap().iter().find(|f| f["filename"].as_str().unwrap().starts_with("bon-de-commande")).expect("demo PO attached").clone();
        let pdf = app.get(&format!("/api/v1/attachments/{}/content", po["id"]), &sales).await;
        pdf.assert(200);
        let orders_before = app.count("orders").await;
        let r = upload_po(&app, &sales, "bdc.pdf", &pdf.bytes).await;
        r.assert(200);
        let v = r.json();
        assert!(v["po"]["po_number"]["value"].as_str().unwrap().ends_with("-0412"), "{}", v["po"]);
        assert_eq!(v["quote"]["client_name"], "Hydroléa Pompes SAS");
        assert!(v["order_id"].is_null());
        let m = v["matches"].as_array().unwrap();
        assert_eq!(m.len(), 2, "{v}");
        assert!(m.iter().all(|x| x["quote_line_id"].as_i64().is_some() && x["confidence"].as_f64().unwrap() >= 0.8), "{m:?}");
        // 40 shafts ordered where 20 were quoted: flagged.
        let shafts = m.iter().find(|x| x["quote_reference"] == "HP-ARB-310").unwrap();
        assert_eq!(shafts["quantity_differs"], true);
        assert!(shafts["flags_fr"][0].as_str().unwrap().contains("Quantité différente"), "{shafts}");
        assert_eq!(app.count("orders").await, orders_before);
        // The person confirms (keeps 40): the quote is accepted, its order carries the PO.
        let lines: Vec<Value> = m.iter().map(|x| {
            let l = &v["po"]["lines"][x["po_line"].as_u64().unwrap() as usize];
            json!({"quote_line_id": x["quote_line_id"], "quantity": l["quantity"]["value"], "unit_price": l["unit_price"]["value"]})
        }).collect();
        let r = app.post("/api/v1/orders/po-import/confirm", &sales, json!({
            "blob_id": v["blob_id"], "quote_id": v["quote"]["id"],
            "customer_po_number": v["po"]["po_number"]["value"], "customer_po_date": v["po"]["po_date"]["value"],
            "lines": lines,
        })).await;
        r.assert(200);
        let o = r.json();
        assert_eq!(o["status"], "en_attente");
        assert_eq!(o["customer_po_number"], v["po"]["po_number"]["value"]);
        assert_eq!(o["has_po_file"], true);
        assert!(o["lines"].as_array().unwrap().iter().any(|l| l["quantity"] == 40));
        let q = app.get(&format!("/api/v1/quotes/{}", v["quote"]["id"]), &sales).await.json();
        assert_eq!(q["status"], "accepte");
        assert_eq!(q["order_id"], o["id"]);
        let f = app.get(&format!("/api/v1/orders/{}/po-file", o["id"]), &sales).await;
        f.assert(200);
        assert_eq!(f.bytes, pdf.bytes);
        // A PO for parts nobody quoted: refused in French, nothing written.
        let stranger = usinage_drawing::po::corpus::generate(99, 3);
        let stranger_pdf = usinage_drawing::po::demo_po_pdf(&stranger).expect("po pdf");
        let blobs = app.count("file_blobs").await;
        let orders = app.count("orders").await;
        let e = upload_po(&app, &sales, "autre.pdf", &stranger_pdf).await.problem(422, "po_no_match");
        assert!(e["detail"].as_str().unwrap().contains("ne correspond à aucun devis"), "{e}");
        assert_eq!(app.count("file_blobs").await, blobs);
        assert_eq!(app.count("orders").await, orders);
        app
    }

    async fn demo_orders_have_jobs_routings_and_sheets(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let sales = app.login("commercial").await;
        // The aerospace order, and the rail order the planning demo works on.
        let list = app.get("/api/v1/orders?status=validee", &sales).await.json();
        assert_eq!(list["total"], 2, "{list}");
        let o = &list["items"][0];
        assert_eq!(o["customer_po_number"], "4500123456");
        let rail = &list["items"][1];
        assert_eq!(rail["client_name"], "Ferrovia Forez Maintenance SAS");
        assert_eq!(rail["late"], true, "its requested date is past: {rail}");
        assert_eq!(rail["line_count"], 5);
        assert_eq!(o["critical"], true);
        let o = app.get(&format!("/api/v1/orders/{}", o["id"]), &sales).await.json();
        assert_eq!(o["control_sheet"], true);
        let lines = o["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l["certified_material"] == true && l["job"].is_object()), "{o}");
        // The drawing line: threads read on the drawing → tapping tool with its pitch.
        let drawn = lines.iter().find(|l| l["reference"] != "AVX-ENT-2210").unwrap();
        let j = app.get(&format!("/api/v1/jobs/{}", drawn["job"]["id"]), &chef).await.json();
        assert_eq!(j["critical"], true);
        assert!(j["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("3.1")), "{j}");
        let ops = j["operations"].as_array().unwrap();
        let controle = ops.iter().find(|o| o["process"] == "controle").expect("control");
        assert!(!controle["instruments"].as_array().unwrap().is_empty(), "{controle}");
        let turning = ops.iter().find(|o| o["process"] == "tournage").expect("turning");
        let s = app.get(&format!("/api/v1/method-sheets/{}", turning["method_sheet"]["id"]), &chef).await.json();
        let tap = s["content"]["tools"].as_array().unwrap().iter().find(|t| t["kind"] == "taraudage");
        if let Some(tap) = tap {
            assert!(tap["pitch"].as_f64().is_some(), "{tap}");
            assert_eq!(tap["conditions"]["feed_kind"], "pas");
        }
        assert!(!s["content"]["cam_steps"].as_array().unwrap().is_empty());
        // Jobs list with filters; the second job's routing was validated by méthode.
        let jobs = app.get(&format!("/api/v1/jobs?order_id={}", o["id"]), &chef).await.json();
        assert_eq!(jobs["total"], 2);
        let ready = app.get(&format!("/api/v1/jobs?status=pret&order_id={}", o["id"]), &chef).await.json();
        assert_eq!(ready["total"], 1);
        // With the rail order's five jobs, ready for the planner.
        let ready = app.get("/api/v1/jobs?status=pret", &chef).await.json();
        assert_eq!(ready["total"], 6);
        // Lists: late filter, search, CSV export, bad filters.
        app.get("/api/v1/orders?late=true", &sales).await.assert(200);
        let csv = app.get("/api/v1/orders?format=csv&q=4500123456", &sales).await;
        csv.assert(200);
        assert!(String::from_utf8_lossy(&csv.bytes).contains("4500123456"));
        app.get("/api/v1/orders?status=perdue", &sales).await.problem(422, "validation");
        app.get("/api/v1/jobs?order_id=abc", &chef).await.problem(422, "validation");
        // QR codes of orders and jobs.
        let qr = app.get(&format!("/api/v1/qr/orders/{}.svg", o["id"]), &sales).await;
        qr.assert(200);
        let qr = app.get(&format!("/api/v1/qr/jobs/{}.svg", j["id"]), &chef).await;
        qr.assert(200);
        app
    }

    async fn bad_orders_are_refused_in_french_and_change_nothing(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let op = app.login("operateur").await;
        app.get("/api/v1/orders", &op).await.problem(403, "forbidden");
        let client = first_id(&app, &sales, "/api/v1/clients?q=Agroval").await;
        let orders = app.count("orders").await;
        let lines = app.count("order_lines").await;
        let e = app.post("/api/v1/orders", &sales, json!({"client_id": client, "lines": [
            {"designation": "", "quantity": 0, "unit_price": "douze", "requested_date": "31/12/2026"},
        ]})).await.problem(422, "validation");
        let fields: Vec<&str> = e["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"lines[0].quantity") && fields.contains(&"lines[0].unit_price") && fields.contains(&"lines[0].requested_date") && fields.contains(&"lines[0].designation"), "{fields:?}");
        app.post("/api/v1/orders", &sales, json!({"client_id": 999999, "lines": []})).await.problem(422, "validation");
        app.post("/api/v1/orders", &sales, json!({"client_id": client, "priority": "tres_urgente"})).await.problem(422, "validation");
        assert_eq!(app.count("orders").await, orders);
        assert_eq!(app.count("order_lines").await, lines);
        // A hand-made order: created, validated, its job has an empty routing built by hand.
        let r = app.post("/api/v1/orders", &sales, json!({"client_id": client, "customer_po_number": "X-1", "control_sheet": false, "lines": [
            {"reference": "PL-9", "designation": "Plaque", "quantity": 4, "unit_price": "85,50"},
        ]})).await;
        r.assert(201);
        let o = r.json();
        assert_eq!(o["total"], "342.00");
        assert_eq!(o["control_sheet"], false);
        let r = app.post(&format!("/api/v1/orders/{}/status", o["id"]), &sales, json!({"status": "validee"})).await;
        r.assert(200);
        let job = r.json()["lines"][0]["job"]["id"].as_i64().unwrap();
        let methode = app.login("methode").await;
        let j = app.get(&format!("/api/v1/jobs/{job}"), &methode).await.json();
        assert_eq!(j["routing_source"], "manuel");
        assert!(j["operations"].as_array().unwrap().is_empty());
        app.post(&format!("/api/v1/jobs/{job}/routing/validate"), &methode, json!({"version": j["version"]})).await.problem(422, "validation");
        app.post(&format!("/api/v1/jobs/{job}/operations"), &methode, json!({"label": "x"})).await.problem(422, "validation");
        app.post(&format!("/api/v1/jobs/{job}/operations"), &methode, json!({"process": "fraisage", "setup_min": "-3"})).await.problem(422, "validation");
        let mill = app.get("/api/v1/machines?kind=fraiseuse_3axes", &methode).await.json()["items"][0]["id"].as_i64().unwrap();
        let r = app.post(&format!("/api/v1/jobs/{job}/operations"), &methode, json!({"process": "fraisage", "machine_id": mill, "setup_min": "30", "run_min": "12"})).await;
        r.assert(201);
        let j = r.json();
        assert!(j["operations"][0]["method_sheet"]["id"].as_i64().is_some());
        // Orders that left "en attente" cannot be deleted, nor move by hand to delivered.
        app.post(&format!("/api/v1/orders/{}/status", o["id"]), &sales, json!({"status": "livree"})).await.problem(409, "invalid_transition");
        app.request(Method::DELETE, &format!("/api/v1/orders/{}", o["id"]), Some(&app.login("admin").await), None, &[]).await.problem(409, "order_not_pending");
        // Cancelling cancels the jobs.
        let r = app.post(&format!("/api/v1/orders/{}/status", o["id"]), &sales, json!({"status": "annulee", "comment": "Client a annulé"})).await;
        r.assert(200);
        let j = app.get(&format!("/api/v1/jobs/{job}"), &methode).await.json();
        assert_eq!(j["status"], "annule");
        app
    }

    async fn numbers_keep_counting_past_9999(app) {
        let app = app.with_demo().await;
        let sales = app.login("commercial").await;
        let client = first_id(&app, &sales, "/api/v1/clients?q=Hydrol").await;
        let body = json!({"client_id": client, "lines": [{"designation": "Plaque", "quantity": 1, "unit_price": "10"}]});
        let first = app.post("/api/v1/orders", &sales, body.clone()).await.json();
        let number = first["number"].as_str().unwrap().to_string();
        let prefix = &number[..number.rfind('-').unwrap() + 1];
        app.exec(&format!("UPDATE orders SET number = '{prefix}9999' WHERE id = {}", first["id"])).await;
        let a = app.post("/api/v1/orders", &sales, body.clone()).await.json();
        assert_eq!(a["number"].as_str().unwrap(), format!("{prefix}10000"));
        let b = app.post("/api/v1/orders", &sales, body).await.json();
        assert_eq!(b["number"].as_str().unwrap(), format!("{prefix}10001"));
        app
    }
}
