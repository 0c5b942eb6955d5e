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
