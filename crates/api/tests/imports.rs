mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use common::{Resp, TestApp};
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn upload(
    app: &TestApp,
    token: &str,
    kind: &str,
    dry: bool,
    ct: &str,
    body: Vec<u8>,
) -> Resp {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/imports/{kind}?dry_run={dry}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// A workbook of `n` tools (French headers); `bad` = spreadsheet row whose type is left empty.
fn tools_xlsx(n: usize, bad: Option<u32>) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Code",
        "Désignation",
        "Type",
        "Diamètre (mm)",
        "Dents",
        "Stock mini",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        let r = (i + 1) as u32;
        ws.write_string(r, 0, format!("IMP-{i:04}")).unwrap();
        ws.write_string(r, 1, format!("Fraise carbure import {i}"))
            .unwrap();
        if bad != Some(r + 1) {
            ws.write_string(r, 2, "fraise").unwrap();
        }
        ws.write_number(r, 3, 6.5).unwrap();
        ws.write_number(r, 4, 4).unwrap();
        ws.write_number(r, 5, 2).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

on_all_backends! {
    async fn one_bad_row_in_1000_tools_imports_nothing_and_names_the_row_and_field(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let tools = app.count("tools").await;
        let audits = app.count("audit_log").await;
        let r = upload(&app, &admin, "tools", false, XLSX, tools_xlsx(1000, Some(501))).await;
        r.assert(200);
        let rep = r.json();
        assert_eq!(rep["total_rows"], 1000);
        assert_eq!(rep["valid_rows"], 999);
        assert_eq!(rep["imported"], 0);
        let errs = rep["errors"].as_array().unwrap();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0]["row"], 501);
        assert_eq!(errs[0]["field"], "type");
        assert!(!errs[0]["message"].as_str().unwrap().is_empty());
        assert_eq!(app.count("tools").await, tools);
        assert_eq!(app.count("audit_log").await, audits);
        app
    }

    async fn a_clean_1000_tool_workbook_is_imported_in_one_go_with_one_audit_row_each(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let tools = app.count("tools").await;
        let audits = app.count("audit_log").await;
        let t0 = std::time::Instant::now();
        let r = upload(&app, &admin, "tools", false, XLSX, tools_xlsx(1000, None)).await;
        let elapsed = t0.elapsed();
        eprintln!("IMPORT 1000 tools on {}: {:?}", app.backend, elapsed);
        r.assert(200);
        let rep = r.json();
        assert_eq!(rep["errors"], Value::Array(vec![]));
        assert_eq!(rep["imported"], 1000);
        assert_eq!(rep["preview"].as_array().unwrap().len(), 20);
        assert_eq!(rep["preview"][0]["code"], "IMP-0000");
        assert_eq!(rep["preview"][0]["flutes"], 4);
        assert_eq!(app.count("tools").await, tools + 1000);
        assert_eq!(app.count("audit_log").await, audits + 1000);
        let l = app.get("/api/v1/tools?q=IMP-0999", &admin).await;
        l.assert(200);
        assert_eq!(l.json()["items"][0]["diameter_mm"], "6.5");
        // The chain stays valid.
        let v = app.get("/api/v1/audit/verify", &admin).await;
        v.assert(200);
        assert_eq!(v.json()["ok"], true);
        app
    }

    async fn a_client_csv_with_a_wrong_siret_key_imports_nothing(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let partners = app.count("partners").await;
        let csv = "\u{feff}Raison sociale;SIRET;E-mail;Secteurs\n\
                   Mécanique Import SA;73282932000074;achats@mi.fr;aeronautique\n\
                   Usinage Faux SIRET;73282932000075;;\n";
        let r = upload(&app, &admin, "clients", false, "text/csv", csv.as_bytes().to_vec()).await;
        r.assert(200);
        let rep = r.json();
        assert_eq!(rep["total_rows"], 2);
        assert_eq!(rep["imported"], 0);
        let errs = rep["errors"].as_array().unwrap();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0]["row"], 3);
        assert_eq!(errs[0]["field"], "siret");
        assert_eq!(app.count("partners").await, partners);

        // Without the bad row, and with `,` separators and JSON names: imported.
        let csv = "name,siret,email\nMécanique Import SA,73282932000074,achats@mi.fr\n";
        let r = upload(&app, &admin, "clients", false, "text/csv", csv.as_bytes().to_vec()).await;
        r.assert(200);
        assert_eq!(r.json()["imported"], 1, "{}", r.json());
        assert_eq!(app.count("partners").await, partners + 1);
        // Importing it again: the SIRET is taken.
        let r = upload(&app, &admin, "clients", true, "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!(r.json()["errors"][0]["code"], "siret_taken");
        app
    }

    async fn a_dry_run_validates_everything_and_writes_nothing(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let tools = app.count("tools").await;
        let audits = app.count("audit_log").await;
        let r = upload(&app, &admin, "tools", true, XLSX, tools_xlsx(30, None)).await;
        r.assert(200);
        let rep = r.json();
        assert_eq!(rep["dry_run"], true);
        assert_eq!(rep["valid_rows"], 30);
        assert_eq!(rep["imported"], 0);
        assert_eq!(rep["errors"], Value::Array(vec![]));
        assert_eq!(app.count("tools").await, tools);
        assert_eq!(app.count("audit_log").await, audits);
        app
    }

    async fn an_unknown_column_is_a_422_naming_it(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let csv = "Code;Désignation;Couleur\nX1;Fraise;rouge\n";
        let r = upload(&app, &admin, "tools", true, "text/csv", csv.as_bytes().to_vec()).await;
        let p = r.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "columns");
        assert_eq!(p["errors"][0]["code"], "unknown_column");
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("Couleur"));
        // Unknown kind too.
        let r = upload(&app, &admin, "vaisseaux", true, "text/csv", csv.as_bytes().to_vec()).await;
        r.assert(422);
        app
    }

    async fn importing_needs_the_create_right_of_the_target_module(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let r = app.post("/api/v1/users", &admin, serde_json::json!({"login": "op.import", "full_name": "Op Import", "password": "Fraisage-3axes!", "roles": ["operateur"]})).await;
        r.assert(201);
        let op = app.login_with("op.import", "Fraisage-3axes!").await.json()["access_token"].as_str().unwrap().to_string();
        let csv = "name\nX\n";
        let r = upload(&app, &op, "clients", true, "text/csv", csv.as_bytes().to_vec()).await;
        r.assert(403);
        app
    }

    async fn templates_have_the_french_header_row_only(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let r = app.get("/api/v1/imports/clients/template.csv", &admin).await;
        r.assert(200);
        let text = String::from_utf8(r.bytes.clone()).unwrap();
        assert!(text.starts_with("\u{feff}Raison sociale;SIREN;SIRET"), "{text}");
        assert_eq!(text.trim_end().lines().count(), 1);
        let r = app.get("/api/v1/imports/employees/template.xlsx", &admin).await;
        r.assert(200);
        assert!(r.bytes.starts_with(b"PK"));
        // The template imports back (an empty file of the right shape).
        let r = upload(&app, &admin, "employees", true, XLSX, r.bytes.clone()).await;
        r.assert(200);
        assert_eq!(r.json()["total_rows"], 0);
        app
    }
}

on_all_backends! {
    async fn an_exported_client_list_imports_back_with_labels_and_export_only_columns_skipped(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let r = app.get("/api/v1/clients?format=csv&per_page=5", &admin).await;
        r.assert(200);
        let text = String::from_utf8(r.bytes.clone()).unwrap();
        let mut rdr = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        assert!(rows.iter().any(|r| r.iter().any(|c| c.contains("Aéronautique"))), "the export writes sector labels: {text}");
        // Same file, names changed and identifiers emptied so that they are new clients.
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![]);
        w.write_record(&headers).unwrap();
        let name = headers.iter().position(|h| h == "Raison sociale").unwrap();
        for r in &rows {
            let mut r = r.clone();
            r[name] = format!("{} (copie)", r[name]);
            for (i, h) in headers.iter().enumerate() {
                if h == "SIRET" || h == "N° TVA" {
                    r[i].clear();
                }
            }
            w.write_record(&r).unwrap();
        }
        let body = w.into_inner().unwrap();
        let partners = app.count("partners").await;
        let r = upload(&app, &admin, "clients", false, "text/csv", body).await;
        r.assert(200);
        let rep = r.json();
        assert_eq!(rep["errors"], serde_json::json!([]), "{rep}");
        assert_eq!(rep["imported"].as_u64().unwrap() as usize, rows.len());
        assert_eq!(rep["ignored_columns"], serde_json::json!(["Id", "Statut", "Modifié le"]));
        assert_eq!(app.count("partners").await, partners + rows.len() as i64);
        let copy = app.get("/api/v1/clients?q=(copie)&per_page=50", &admin).await.json();
        assert!(copy["items"].as_array().unwrap().iter().any(|c| c["sectors"].as_array().is_some_and(|s| s.contains(&Value::from("aeronautique")))), "{copy}");
        app
    }
}

on_all_backends! {
    async fn every_import_kind_takes_a_small_csv_with_french_labels(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let grade = app.get("/api/v1/materials?q=MA02", &admin).await.json()["items"][0]["id"].as_i64().unwrap();
        let cases: Vec<(&str, &str, String)> = vec![
            ("suppliers", "partners", "Raison sociale;Types;Critique\nAciers du Forez;Matière, outillage;non\n".into()),
            ("machines", "machines", "Code;Nom;Type;Commande;X mm;Machine €/h\nM99;Tour d'essai;Tour;Fanuc;400;55,00\n".into()),
            ("materials", "material_grades", "Code;AFNOR;N° EN;Groupe ISO;Densité\nMA99;X2CrNiMo17-12-2;1.4404;M;7,98\n".into()),
            ("material-stock", "material_stock", format!("Id matière;Forme;Diamètre (mm);Longueur (mm);Quantité;Coût €/kg\n{grade};Rond;62;3000;4;2,10\n")),
            ("employees", "employees", "Matricule;Nom;Prénom;Catégorie;Embauche;Coût horaire €\nE77;Durand;Paul;Ouvrier;02/11/2026;23,50\n".into()),
        ];
        for (kind, table, csv) in cases {
            let before = app.count(table).await;
            let r = upload(&app, &admin, kind, false, "text/csv", csv.into_bytes()).await;
            r.assert(200);
            let rep = r.json();
            assert_eq!((rep["imported"].as_u64(), rep["errors"].as_array().map(Vec::len)), (Some(1), Some(0)), "{kind}: {rep}");
            assert_eq!(app.count(table).await, before + 1, "{kind}");
        }
        // The imported stock line went in through an `entree` movement.
        let it = app.get("/api/v1/material-stock?per_page=500", &admin).await.json();
        let bar = it["items"].as_array().unwrap().iter().find(|i| i["diameter_mm"] == "62").unwrap().clone();
        assert_eq!((bar["quantity"].as_i64(), bar["shape"].as_str()), (Some(4), Some("rond")));
        let moves = app.get(&format!("/api/v1/material-stock/{}/movements", bar["id"]), &admin).await.json();
        assert_eq!(moves["items"][0]["kind"], "entree");
        app
    }
}
