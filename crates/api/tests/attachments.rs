mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use common::{Resp, TestApp};
use serde_json::Value;

const BOUNDARY: &str = "----usinage-test-boundary";

/// A multipart/form-data body: text fields, then the file.
fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
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

async fn upload(app: &TestApp, token: &str, body: Vec<u8>) -> Resp {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/attachments")
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

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

on_all_backends! {
    async fn a_certificate_is_attached_to_a_lot_downloaded_listed_audited_and_deleted(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let sales = app.login("direction").await;
        let lot = first_id(&app, &chef, "/api/v1/material-lots").await;
        let audits = app.count("audit_log").await;
        // The demo quote's drawing is already a blob.
        let blobs = app.count("file_blobs").await;
        // The demo already holds files (a customer's PO received by e-mail).
        let files0 = app.count("attachments").await;
        let r = upload(&app, &chef, form(&[("entity", "material-lots"), ("entity_id", &lot.to_string()), ("kind", "certificat"), ("note", "EN 10204 3.1")], Some(("C:\\scans\\Certificat coulée 4521.png", PDF)))).await;
        r.assert(201);
        let a = r.json();
        // The type comes from the bytes (a PDF named .png), the path is dropped.
        assert_eq!(a["content_type"], "application/pdf");
        assert_eq!(a["filename"], "Certificat coulée 4521.png");
        assert_eq!(a["kind_label"], "Certificat");
        assert_eq!(a["size_bytes"], PDF.len());
        assert_eq!(a["uploaded_by_name"], "chef");
        assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
        let id = a["id"].as_i64().unwrap();
        let list = app.get(&format!("/api/v1/attachments?entity=material-lots&entity_id={lot}"), &chef).await;
        list.assert(200);
        assert_eq!(list.json().as_array().unwrap().len(), 1);
        let d = app.get(&format!("/api/v1/attachments/{id}/content"), &chef).await;
        d.assert(200);
        assert_eq!(d.bytes, PDF);
        assert_eq!(d.content_type(), "application/pdf");
        let disp = d.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().to_string();
        assert!(disp.starts_with("inline;") && disp.contains("filename*=UTF-8''Certificat%20coul%C3%A9e"), "{disp}");
        assert_eq!(d.headers.get("x-content-type-options").unwrap(), "nosniff");
        // The same bytes on a second record share one blob.
        let client = first_id(&app, &sales, "/api/v1/clients").await;
        upload(&app, &sales, form(&[("entity", "clients"), ("entity_id", &client.to_string())], Some(("cdc.pdf", PDF)))).await.assert(201);
        assert_eq!(app.count("file_blobs").await, blobs + 1);
        assert_eq!(app.count("attachments").await, files0 + 2);
        // Audited on the record's own history.
        let h = app.get(&format!("/api/v1/material-lots/{lot}/history"), &chef).await.json();
        assert_eq!(h["items"][0]["action"], "attachment_added");
        assert_eq!(app.count("audit_log").await, audits + 2);
        app.request(Method::DELETE, &format!("/api/v1/attachments/{id}"), Some(&chef), None, &[]).await.assert(204);
        assert_eq!(app.count("file_blobs").await, blobs + 1, "still used by the client's attachment");
        app.get(&format!("/api/v1/attachments/{id}/content"), &chef).await.problem(404, "not_found");
        let other = app.get(&format!("/api/v1/attachments?entity=clients&entity_id={client}"), &sales).await.json()[0]["id"].as_i64().unwrap();
        app.request(Method::DELETE, &format!("/api/v1/attachments/{other}"), Some(&chef), None, &[]).await.problem(403, "forbidden");
        app.request(Method::DELETE, &format!("/api/v1/attachments/{other}"), Some(&sales), None, &[]).await.assert(204);
        assert_eq!((app.count("file_blobs").await, app.count("attachments").await), (blobs, files0));
        let h = app.get(&format!("/api/v1/material-lots/{lot}/history"), &chef).await.json();
        assert_eq!(h["items"][0]["action"], "attachment_removed");
        app
    }

    async fn bad_uploads_get_french_errors_and_write_nothing(app) {
        let app = app.with_demo().await;
        let chef = app.login("direction").await;
        let audits = app.count("audit_log").await;
        let blobs = app.count("file_blobs").await;
        // The demo already holds files (a customer's PO received by e-mail).
        let files0 = app.count("attachments").await;
        let p = upload(&app, &chef, form(&[("entity", "clients"), ("entity_id", "999999")], Some(("a.pdf", PDF)))).await.problem(404, "not_found");
        assert!(p["detail"].as_str().unwrap().contains("introuvable"), "{p}");
        let p = upload(&app, &chef, form(&[("entity", "planetes"), ("entity_id", "1"), ("kind", "magie")], Some(("a.pdf", b"")))).await.problem(422, "validation");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["kind", "file"]);
        let p = upload(&app, &chef, form(&[("entity", "planetes"), ("entity_id", "1")], Some(("a.pdf", PDF)))).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "unknown_entity");
        let p = upload(&app, &chef, form(&[("entity", "clients"), ("entity_id", "abc")], Some(("a.pdf", PDF)))).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "entity_id");
        // Not multipart at all.
        let p = app.post("/api/v1/attachments", &chef, serde_json::json!({"entity": "clients"})).await.problem(400, "bad_request");
        assert!(p["detail"].as_str().unwrap().contains("multipart"), "{p}");
        // Too large: 25 MB + 1 byte.
        let client = first_id(&app, &chef, "/api/v1/clients").await;
        let big = vec![b'x'; usinage_app::attachments::MAX_BYTES + 1];
        let r = upload(&app, &chef, form(&[("entity", "clients"), ("entity_id", &client.to_string())], Some(("gros.bin", &big)))).await;
        assert!(r.status == 422 || r.status == 413, "{}", r.status);
        let p: Value = r.json();
        assert!(p["detail"].as_str().unwrap().contains("25 Mo"), "{p}");
        assert_eq!((app.count("attachments").await, app.count("file_blobs").await), (files0, blobs));
        assert_eq!(app.count("audit_log").await, audits);
        app
    }

    async fn rights_of_the_record_apply_to_its_files(app) {
        let app = app.with_demo().await;
        let chef = app.login("chef").await;
        let op = app.login("operateur").await;
        let machine = first_id(&app, &chef, "/api/v1/machines").await;
        let employee = first_id(&app, &chef, "/api/v1/employees").await;
        let r = upload(&app, &chef, form(&[("entity", "machines"), ("entity_id", &machine.to_string()), ("kind", "photo")], Some(("tour.png", &[0x89, b'P', b'N', b'G', 13, 10, 26, 10])))).await;
        r.assert(201);
        let id = r.json()["id"].as_i64().unwrap();
        // An operator reads machines (and their photos) but may not add or remove files.
        let d = app.get(&format!("/api/v1/attachments/{id}/content"), &op).await;
        d.assert(200);
        assert_eq!(d.content_type(), "image/png");
        upload(&app, &op, form(&[("entity", "machines"), ("entity_id", &machine.to_string())], Some(("x.pdf", PDF)))).await.problem(403, "forbidden");
        app.request(Method::DELETE, &format!("/api/v1/attachments/{id}"), Some(&op), None, &[]).await.problem(403, "forbidden");
        // An operator cannot read HR records, hence not their files either.
        app.get(&format!("/api/v1/attachments?entity=employees&entity_id={employee}"), &op).await.problem(403, "forbidden");
        // Backup carries the files.
        let b = usinage_app::backup::dump(&app.db).await.unwrap();
        let photo = b.tables.files.attachments.iter().find(|a| a.id == id).expect("photo in the backup").blob_id;
        let blob = b.tables.files.file_blobs.iter().find(|f| f.id == photo).unwrap();
        assert_eq!(blob.data[..4], [0x89, b'P', b'N', b'G']);
        let json = serde_json::to_string(&b).unwrap();
        assert!(json.contains("iVBORw0KGgo"), "bytes travel as base64");
        app
    }
}
