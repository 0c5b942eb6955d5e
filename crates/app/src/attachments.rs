//! Files attached to records: client and supplier documents, material certificates (EN 10204
//! 3.1/3.2) on lots, machine photos, instrument certificates, people's documents. The bytes are
//! stored once per SHA-256 in `file_blobs`; every upload and removal is audited on the record's
//! own history.

use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::records;
use crate::rights::Action;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use usinage_store::Db;
use usinage_store::entities::{attachment, file_blob};

/// Largest accepted file (a scanned certificate or drawing set stays well below).
pub const MAX_BYTES: usize = 25 * 1024 * 1024;

/// Attachment kinds: code, French label, English label.
pub const KINDS: crate::crm::CodeLabels = &[
    ("document", "Document", "Document"),
    ("certificat", "Certificat", "Certificate"),
    ("plan", "Plan", "Drawing"),
    ("photo", "Photo", "Photo"),
    (
        "fiche_securite",
        "Fiche de données de sécurité",
        "Safety data sheet",
    ),
    ("autre", "Autre", "Other"),
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub kind: String,
    pub kind_label: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub note: Option<String>,
    pub uploaded_by_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// An upload as the HTTP layer hands it over.
#[derive(Debug, Default)]
pub struct NewAttachment {
    pub entity: String,
    pub entity_id: Option<i64>,
    pub kind: Option<String>,
    pub note: Option<String>,
    pub filename: Option<String>,
    pub bytes: Option<Vec<u8>>,
}

pub fn view(a: &attachment::Model, sha256: &str, english: bool) -> AttachmentView {
    AttachmentView {
        id: a.id,
        entity: a.entity.clone(),
        entity_id: a.entity_id,
        kind: a.kind.clone(),
        kind_label: crate::crm::label_of(KINDS, &a.kind, english),
        filename: a.filename.clone(),
        content_type: a.content_type.clone(),
        size_bytes: a.size_bytes,
        sha256: sha256.to_string(),
        note: a.note.clone(),
        uploaded_by_name: a.uploaded_by.clone(),
        created_at: a.created_at,
    }
}

/// The content type from the bytes themselves (never trusted from the client): what the file
/// is decides how it is served back.
pub fn sniff(bytes: &[u8], filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match bytes {
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => "image/tiff",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => "image/webp",
        [b'P', b'K', 3, 4, ..] => match ext.as_str() {
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ => "application/zip",
        },
        _ if bytes.starts_with(b"ISO-10303-21") => "model/step",
        _ if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) => "text/plain",
        _ => "application/octet-stream",
    }
}

/// Keeps the last path component, drops control characters, caps the length.
pub fn clean_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "fichier".into()
    } else {
        cleaned
    }
}

fn module_for(entity: &str) -> Result<crate::rights::Module, AppError> {
    match (records::module_of(entity), records::audit_type(entity)) {
        (Some(m), Some(_)) if entity != "users" && entity != "locations" => Ok(m),
        _ => Err(AppError::field(
            "entity",
            "unknown_entity",
            format!("On ne peut pas joindre de fichier à « {entity} »."),
            format!("Files cannot be attached to “{entity}”."),
        )),
    }
}

async fn require_record(
    db: &Db,
    ctx: &Ctx,
    entity: &str,
    id: i64,
    action: Action,
) -> Result<(), AppError> {
    let module = module_for(entity)?;
    ctx.require(module, action)?;
    if !records::exists(db, ctx, entity, id).await? {
        return Err(AppError::not_found("Enregistrement", "Record"));
    }
    Ok(())
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    entity: &str,
    entity_id: i64,
    english: bool,
) -> Result<Vec<AttachmentView>, AppError> {
    require_record(db, ctx, entity, entity_id, Action::Read).await?;
    let rows = attachment::Entity::find()
        .filter(attachment::Column::Entity.eq(entity))
        .filter(attachment::Column::EntityId.eq(entity_id))
        .order_by_desc(attachment::Column::CreatedAt)
        .order_by_desc(attachment::Column::Id)
        .all(&db.conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in &rows {
        out.push(view(a, &blob_sha(db, a.blob_id).await?, english));
    }
    Ok(out)
}

async fn blob_sha(db: &Db, blob_id: i64) -> Result<String, AppError> {
    use sea_orm::QuerySelect;
    let sha: Option<String> = file_blob::Entity::find_by_id(blob_id)
        .select_only()
        .column(file_blob::Column::Sha256)
        .into_tuple()
        .one(&db.conn)
        .await?;
    sha.ok_or_else(|| AppError::internal("fichier joint sans contenu"))
}

/// Validates and stores one upload: all checks first, then blob + row + audit in one
/// transaction.
pub async fn upload(
    db: &Db,
    ctx: &Ctx,
    n: NewAttachment,
    english: bool,
) -> Result<AttachmentView, AppError> {
    let entity = n.entity.trim().to_string();
    let mut v = Validator::default();
    if entity.is_empty() {
        v.add(
            "entity",
            "required",
            "Indiquez à quel enregistrement joindre le fichier.",
            "Say which record the file belongs to.",
        );
    }
    let entity_id = match n.entity_id {
        Some(id) if id > 0 => id,
        _ => {
            v.add(
                "entity_id",
                "required",
                "Indiquez le numéro de l'enregistrement.",
                "Give the record's id.",
            );
            0
        }
    };
    let kind = n
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .unwrap_or("document")
        .to_string();
    if !KINDS.iter().any(|(c, _, _)| *c == kind) {
        v.add(
            "kind",
            "invalid_choice",
            format!(
                "Type de pièce jointe inconnu : {}.",
                KINDS
                    .iter()
                    .map(|(c, _, _)| *c)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "Unknown attachment kind.",
        );
    }
    let note = n
        .note
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if note.as_ref().is_some_and(|s| s.chars().count() > 2000) {
        v.add(
            "note",
            "too_long",
            "La note dépasse 2 000 caractères.",
            "The note exceeds 2,000 characters.",
        );
    }
    let bytes = n.bytes.unwrap_or_default();
    if bytes.is_empty() {
        v.add(
            "file",
            "required",
            "Choisissez un fichier non vide.",
            "Choose a non-empty file.",
        );
    } else if bytes.len() > MAX_BYTES {
        v.add(
            "file",
            "too_large",
            format!(
                "Le fichier dépasse la taille permise ({} Mo).",
                MAX_BYTES / 1024 / 1024
            ),
            format!(
                "The file exceeds the allowed size ({} MB).",
                MAX_BYTES / 1024 / 1024
            ),
        );
    }
    v.finish()?;
    require_record(db, ctx, &entity, entity_id, Action::Update).await?;
    let filename = clean_filename(n.filename.as_deref().unwrap_or(""));
    let content_type = sniff(&bytes, &filename);
    let sha = hex::encode(Sha256::digest(&bytes));
    let now = crate::now();
    let tx = db.write().await?;
    let blob = match file_blob::Entity::find()
        .filter(file_blob::Column::Sha256.eq(&sha))
        .one(&tx.tx)
        .await?
    {
        Some(b) => b,
        None => {
            file_blob::ActiveModel {
                sha256: Set(sha.clone()),
                size_bytes: Set(bytes.len() as i64),
                data: Set(bytes),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx.tx)
            .await?
        }
    };
    let a = attachment::ActiveModel {
        entity: Set(entity.clone()),
        entity_id: Set(entity_id),
        kind: Set(kind),
        filename: Set(filename),
        content_type: Set(content_type.into()),
        size_bytes: Set(blob.size_bytes),
        blob_id: Set(blob.id),
        note: Set(note),
        uploaded_by_id: Set(ctx.actor_id()),
        uploaded_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    audit::record(
        &tx.tx,
        ctx,
        records::audit_type(&entity).unwrap_or("attachment"),
        &entity_id.to_string(),
        "attachment_added",
        None,
        Some(audit_json(&a, &sha)),
    )
    .await?;
    tx.commit().await?;
    Ok(view(&a, &sha, english))
}

fn audit_json(a: &attachment::Model, sha: &str) -> serde_json::Value {
    serde_json::json!({
        "attachment_id": a.id, "kind": a.kind, "filename": a.filename,
        "content_type": a.content_type, "size_bytes": a.size_bytes, "sha256": sha, "note": a.note,
    })
}

async fn find(db: &Db, id: i64) -> Result<attachment::Model, AppError> {
    attachment::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Pièce jointe", "Attachment"))
}

/// The file itself, for download (read right on the record).
pub async fn content(
    db: &Db,
    ctx: &Ctx,
    id: i64,
) -> Result<(attachment::Model, Vec<u8>), AppError> {
    let a = find(db, id).await?;
    require_record(db, ctx, &a.entity, a.entity_id, Action::Read).await?;
    let blob = file_blob::Entity::find_by_id(a.blob_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("fichier joint sans contenu"))?;
    Ok((a, blob.data))
}

/// Removes an attachment (update right on the record); the bytes go when no other attachment
/// shares them.
pub async fn delete(db: &Db, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    let a = find(db, id).await?;
    require_record(db, ctx, &a.entity, a.entity_id, Action::Update).await?;
    let sha = blob_sha(db, a.blob_id).await?;
    let tx = db.write().await?;
    let gone = attachment::Entity::delete_by_id(a.id).exec(&tx.tx).await?;
    if gone.rows_affected == 0 {
        return Err(AppError::new(
            Kind::NotFound,
            "not_found",
            "Pièce jointe introuvable (déjà supprimée ?).",
            "Attachment not found (already deleted?).",
        ));
    }
    let others = attachment::Entity::find()
        .filter(attachment::Column::BlobId.eq(a.blob_id))
        .count(&tx.tx)
        .await?;
    if others == 0 {
        file_blob::Entity::delete_by_id(a.blob_id)
            .exec(&tx.tx)
            .await?;
    }
    audit::record(
        &tx.tx,
        ctx,
        records::audit_type(&a.entity).unwrap_or("attachment"),
        &a.entity_id.to_string(),
        "attachment_removed",
        Some(audit_json(&a, &sha)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// File names attached to a record (for documents that list them), oldest first.
pub async fn names_of(db: &Db, entity: &str, entity_id: i64) -> Result<Vec<String>, AppError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::Entity.eq(entity))
        .filter(attachment::Column::EntityId.eq(entity_id))
        .order_by_asc(attachment::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|a| match a.note {
            Some(n) if !n.trim().is_empty() => format!("{} — {}", a.filename, n.trim()),
            _ => a.filename,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_by_name() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "x.png"), "application/pdf");
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 13, 10], "a.pdf"),
            "image/png"
        );
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "scan"), "image/jpeg");
        assert_eq!(sniff(b"ISO-10303-21;\nHEADER;", "p.stp"), "model/step");
        assert_eq!(sniff(b"<html><script>", "a.pdf"), "text/plain");
        assert_eq!(sniff(&[0, 1, 2, 0xFE], "a.bin"), "application/octet-stream");
        assert_eq!(
            sniff(b"PK\x03\x04rest", "Liste.XLSX"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
    }

    #[test]
    fn filenames_lose_paths_and_controls() {
        assert_eq!(
            clean_filename("C:\\Users\\x\\certif 3.1.pdf"),
            "certif 3.1.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\u{0}b\"c.pdf"), "abc.pdf");
        assert_eq!(clean_filename(""), "fichier");
        assert_eq!(clean_filename(".."), "fichier");
        assert_eq!(clean_filename(&"é".repeat(300)).chars().count(), 200);
    }
}
