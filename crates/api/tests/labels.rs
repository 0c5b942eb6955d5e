mod common;

use serde_json::json;

on_all_backends! {
    async fn a_label_sheet_is_a_pdf_with_each_records_code_and_url(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let r = app.post("/api/v1/labels", &admin, json!({"entity": "users", "ids": [1, 2, 3], "skip": 1})).await;
        r.assert(200);
        assert_eq!(r.content_type(), "application/pdf");
        let doc = lopdf::Document::load_mem(&r.bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("direction"), "{text}");
        assert!(text.contains(&format!("{}/users/3", common::BASE_URL)), "{text}");
        std::fs::create_dir_all("../../artifacts").ok();
        std::fs::write(format!("../../artifacts/labels-{}.pdf", app.backend), &r.bytes).ok();
        app.post("/api/v1/labels", &admin, json!({"entity": "users", "ids": [], "skip": 30})).await.problem(422, "validation");
        app.post("/api/v1/labels", &admin, json!({"entity": "fusees", "ids": [1]})).await.problem(404, "not_found");
        app.post("/api/v1/labels", &admin, json!({"entity": "users", "ids": [999]})).await.problem(404, "not_found");
        app.post("/api/v1/labels", &app.login("operateur").await, json!({"entity": "users", "ids": [1]})).await.problem(403, "forbidden");
        app
    }
}

on_all_backends! {
    async fn the_tool_labels_show_each_tools_code_type_and_diameter(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let tools = app.get("/api/v1/tools?per_page=2&sort=id", &admin).await.json();
        let items = tools["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        let ids: Vec<i64> = items.iter().map(|t| t["id"].as_i64().unwrap()).collect();
        let r = app.post("/api/v1/labels", &admin, json!({"entity": "tools", "ids": ids, "skip": 0})).await;
        r.assert(200);
        assert_eq!(r.content_type(), "application/pdf");
        let doc = lopdf::Document::load_mem(&r.bytes).unwrap();
        let text = doc.extract_text(&[1]).unwrap();
        for t in items {
            assert!(text.contains(t["code"].as_str().unwrap()), "{text}");
            assert!(text.contains(&format!("{}/tools/{}", common::BASE_URL, t["id"])), "{text}");
        }
        std::fs::create_dir_all("../../artifacts").ok();
        std::fs::write(format!("../../artifacts/labels-tools-{}.pdf", app.backend), &r.bytes).ok();
        // A tool that does not exist is a 404, and nothing is printed.
        app.post("/api/v1/labels", &admin, json!({"entity": "tools", "ids": [ids[0], 99999]})).await.problem(404, "not_found");
        app
    }
}

on_all_backends! {
    async fn the_offcut_labels_show_grade_dimensions_and_number(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let list = app.get("/api/v1/material-stock?is_offcut=true&per_page=3&sort=id", &admin).await.json();
        let items = list["items"].as_array().unwrap();
        assert!(!items.is_empty(), "demo has offcuts");
        let ids: Vec<i64> = items.iter().map(|t| t["id"].as_i64().unwrap()).collect();
        let r = app.post("/api/v1/labels", &admin, json!({"entity": "material-stock", "ids": ids, "skip": 3})).await;
        r.assert(200);
        let doc = lopdf::Document::load_mem(&r.bytes).unwrap();
        let text = doc.extract_text(&[1]).unwrap();
        for i in items {
            assert!(text.contains(&format!("Chute {}", i["grade_code"].as_str().unwrap())), "{text}");
            assert!(text.contains(&format!("#{}", i["id"])), "{text}");
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&format!("× {} mm", i["length_mm"].as_str().unwrap())), "{flat}");
        }
        std::fs::write(format!("../../artifacts/labels-offcuts-{}.pdf", app.backend), &r.bytes).ok();
        app
    }
}

on_all_backends! {
    async fn locations_lots_instruments_and_machines_have_labels_too(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        for (entity, field) in [("locations", "code"), ("material-lots", "heat_number"), ("instruments", "code"), ("machines", "code"), ("materials", "code")] {
            let list = app.get(&format!("/api/v1/{entity}?per_page=1&sort=id"), &admin).await.json();
            let first = &list["items"][0];
            let r = app.post("/api/v1/labels", &admin, json!({"entity": entity, "ids": [first["id"]]})).await;
            r.assert(200);
            let text = lopdf::Document::load_mem(&r.bytes).unwrap().extract_text(&[1]).unwrap();
            assert!(text.contains(first[field].as_str().unwrap()), "{entity}: {text}");
        }
        app
    }
}
