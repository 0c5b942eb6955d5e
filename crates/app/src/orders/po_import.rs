//! Customer PO import: the PO file (PDF with text, scan, image) is read by
//! `usinage_drawing::po` (the drawing engine's text/OCR), matched to the lines of the quotes the
//! shop has sent, and shown to a person who confirms or corrects; [`confirm`] then completes (or
//! creates) the quote's order with the PO number, date, quantities and prices, and keeps the file.
//! A PO that matches no quote is refused with a French message and nothing is written.

use super::{
    NewLine, OrderView, date_field, find, line_audit, lines_of, set_total, view, write_lines,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::rights::{Action, Module};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use usinage_drawing::Limits;
use usinage_drawing::po::{self, PoParseOptions, PurchaseOrder, QuoteBreakRef, QuoteLineRef};
use usinage_store::Db;
use usinage_store::entities::{file_blob, order, order_line, partner, quote, quote_line};

/// Quote statuses a PO may answer.
pub const ANSWERABLE: &[&str] = &["envoye", "accepte"];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuoteRefView {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub client_name: String,
    pub status: String,
}

/// One quote line the person may match a PO line to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuoteLineOption {
    pub id: i64,
    pub position: i32,
    pub reference: Option<String>,
    pub revision: Option<String>,
    pub designation: Option<String>,
    pub quantity: Option<i32>,
    pub unit_price: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoMatchView {
    /// Index in `po.lines`.
    pub po_line: usize,
    pub quote_line_id: Option<i64>,
    /// 0–1.
    pub confidence: f32,
    pub reasons_fr: Vec<String>,
    pub quantity_differs: bool,
    pub price_differs: bool,
    pub revision_differs: bool,
    pub quote_quantity: Option<i32>,
    pub quote_unit_price: Option<String>,
    pub quote_revision: Option<String>,
    pub quote_reference: Option<String>,
    pub quote_designation: Option<String>,
    /// French sentences for the flags ("Quantité différente : 30 sur la commande, 25 au devis").
    pub flags_fr: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoImportView {
    /// The stored file, to send back with the confirmation.
    pub blob_id: i64,
    pub filename: String,
    /// The PO as read (values with confidence and box).
    #[schema(value_type = Object)]
    pub po: PurchaseOrder,
    pub quote: QuoteRefView,
    /// Confidence of the quote chosen (0–1).
    pub quote_confidence: f32,
    pub quote_reasons_fr: Vec<String>,
    /// Other quotes that fit as well.
    pub ambiguous_with: Vec<String>,
    /// The quote's order when there is one (the confirmation completes it).
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub matches: Vec<PoMatchView>,
    pub quote_lines: Vec<QuoteLineOption>,
    pub warnings_fr: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PoConfirmLine {
    pub quote_line_id: i64,
    pub quantity: i64,
    /// € HT; the quote's price when absent.
    pub unit_price: Option<String>,
    /// `YYYY-MM-DD`
    pub requested_date: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PoConfirm {
    pub blob_id: Option<i64>,
    pub quote_id: i64,
    pub customer_po_number: Option<String>,
    /// `YYYY-MM-DD`
    pub customer_po_date: Option<String>,
    /// `YYYY-MM-DD`
    pub requested_date: Option<String>,
    #[serde(default)]
    pub lines: Vec<PoConfirmLine>,
}

fn money(c: Option<i64>) -> Option<String> {
    c.map(crate::units::cents_to_string)
}

/// Unit price of each quantity break of a quote line, in its selected scenario.
fn breaks_of(l: &quote_line::Model) -> Vec<QuoteBreakRef> {
    let Some(est) = l
        .estimate_json
        .as_deref()
        .and_then(|e| serde_json::from_str::<serde_json::Value>(e).ok())
    else {
        return Vec::new();
    };
    est["breaks"]
        .as_array()
        .map(|bs| {
            bs.iter()
                .filter_map(|b| {
                    let q = b["quantity"].as_u64()? as u32;
                    let s = b["scenarios"]
                        .as_array()?
                        .iter()
                        .find(|s| s["kind"] == l.selected_scenario.as_str())?;
                    let price = s["unit_price"].as_str()?.parse::<Decimal>().ok()?;
                    Some(QuoteBreakRef {
                        quantity: q,
                        unit_price: price,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn unit_cents(l: &quote_line::Model) -> Option<i64> {
    l.unit_price_override_cents.or(l.unit_price_cents)
}

fn line_ref(q: &quote::Model, l: &quote_line::Model) -> QuoteLineRef {
    QuoteLineRef {
        quote_line_id: l.id,
        quote_number: q.number.clone(),
        drawing_number: l.drawing_number.clone(),
        drawing_revision: l.drawing_revision.clone(),
        part_name: l.part_name.clone(),
        quantity: l.selected_quantity.and_then(|x| u32::try_from(x).ok()),
        unit_price: unit_cents(l).map(|c| Decimal::new(c, 2)),
        breaks: breaks_of(l),
    }
}

/// Reads the PO and matches it to the quotes sent (nothing written but the file's bytes).
pub async fn import(
    db: &Db,
    ctx: &Ctx,
    filename: &str,
    bytes: Vec<u8>,
    english: bool,
) -> Result<PoImportView, AppError> {
    ctx.require(Module::Orders, Action::Create)?;
    if bytes.is_empty() {
        return Err(AppError::field(
            "file",
            "empty",
            "Le fichier est vide.",
            "The file is empty.",
        ));
    }
    let company: Option<crate::setup::CompanyIdentity> =
        crate::settings::get(&db.conn, crate::settings::COMPANY).await?;
    let options = PoParseOptions {
        own_names: company.map(|c| vec![c.name]).unwrap_or_default(),
        ..PoParseOptions::default()
    };
    let data = bytes.clone();
    let read =
        tokio::task::spawn_blocking(move || po::read_po_with(&data, &Limits::default(), &options))
            .await
            .map_err(|_| AppError::internal("lecture du bon de commande"))?;
    let po = read.map_err(|e| {
        AppError::field(
            "file",
            "unreadable_po",
            format!("Bon de commande illisible : {}", e.message_fr()),
            "Unreadable purchase order.",
        )
    })?;
    let quotes = quote::Entity::find()
        .filter(quote::Column::Status.is_in(ANSWERABLE.iter().copied()))
        .order_by_asc(quote::Column::Id)
        .all(&db.conn)
        .await?;
    let qlines = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.is_in(quotes.iter().map(|q| q.id)))
        .order_by_asc(quote_line::Column::Position)
        .all(&db.conn)
        .await?;
    let candidates: Vec<QuoteLineRef> = qlines
        .iter()
        .filter_map(|l| {
            quotes
                .iter()
                .find(|q| q.id == l.quote_id)
                .map(|q| line_ref(q, l))
        })
        .collect();
    let choice = po::best_quote(&po, &candidates).map_err(|e| {
        AppError::new(
            Kind::Validation,
            "po_no_match",
            e.message_fr(),
            "The purchase order matches no quote: check the client or enter the order by hand.",
        )
    })?;
    let q = quotes
        .iter()
        .find(|q| q.number == choice.quote_number)
        .ok_or_else(|| AppError::internal("devis choisi"))?;
    let client = partner::Entity::find_by_id(q.client_id)
        .one(&db.conn)
        .await?;
    let existing = order::Entity::find()
        .filter(order::Column::QuoteId.eq(q.id))
        .filter(order::Column::Status.ne("annulee"))
        .one(&db.conn)
        .await?;
    let mine: Vec<&quote_line::Model> = qlines.iter().filter(|l| l.quote_id == q.id).collect();
    let matches = choice
        .matches
        .iter()
        .map(|m| {
            let ql = m
                .quote_line_id
                .and_then(|id| mine.iter().find(|l| l.id == id));
            let mut flags = Vec::new();
            if let Some(d) = &m.quantity_differs {
                flags.push(format!(
                    "Quantité différente : {} sur la commande, {} au devis",
                    d.po, d.quote
                ));
            }
            if let Some(d) = &m.price_differs {
                flags.push(format!(
                    "Prix différent : {} sur la commande, {} au devis",
                    po::matching::euros_fr(d.po),
                    po::matching::euros_fr(d.quote)
                ));
            }
            if let Some(d) = &m.revision_differs {
                flags.push(format!(
                    "Indice différent : {} sur la commande, {} au devis",
                    d.po, d.quote
                ));
            }
            PoMatchView {
                po_line: m.po_line,
                quote_line_id: m.quote_line_id,
                confidence: m.confidence,
                reasons_fr: m.reasons_fr.clone(),
                quantity_differs: m.quantity_differs.is_some(),
                price_differs: m.price_differs.is_some(),
                revision_differs: m.revision_differs.is_some(),
                quote_quantity: ql.and_then(|l| l.selected_quantity),
                quote_unit_price: ql.and_then(|l| money(unit_cents(l))),
                quote_revision: ql.and_then(|l| l.drawing_revision.clone()),
                quote_reference: ql.and_then(|l| l.drawing_number.clone()),
                quote_designation: ql.and_then(|l| l.part_name.clone()),
                flags_fr: flags,
            }
        })
        .collect();
    let mut warnings = po.warnings_fr.clone();
    if let Some(o) = &existing
        && o.status != "en_attente"
    {
        warnings.push(format!(
            "La commande {} de ce devis est déjà « {} » : la confirmation ne pourra pas la modifier.",
            o.number,
            crate::crm::label_of(super::STATUSES, &o.status, english)
        ));
    }
    let tx = db.write().await?;
    let blob = crate::quotes::lines::store_blob(&tx.tx, bytes).await?;
    tx.commit().await?;
    Ok(PoImportView {
        blob_id: blob.id,
        filename: crate::attachments::clean_filename(filename),
        po,
        quote: QuoteRefView {
            id: q.id,
            number: q.number.clone(),
            client_id: q.client_id,
            client_name: client.map(|c| c.name).unwrap_or_default(),
            status: q.status.clone(),
        },
        quote_confidence: choice.confidence,
        quote_reasons_fr: choice.reasons_fr,
        ambiguous_with: choice.ambiguous_with,
        order_id: existing.as_ref().map(|o| o.id),
        order_number: existing.map(|o| o.number),
        matches,
        quote_lines: mine
            .iter()
            .map(|l| QuoteLineOption {
                id: l.id,
                position: l.position,
                reference: l.drawing_number.clone(),
                revision: l.drawing_revision.clone(),
                designation: l.part_name.clone(),
                quantity: l.selected_quantity,
                unit_price: money(unit_cents(l)),
            })
            .collect(),
        warnings_fr: warnings,
    })
}

/// The person confirmed: the quote is accepted (if it was only sent) and its order carries the
/// PO's number, date, quantities and prices, with the PO file.
pub async fn confirm(
    db: &Db,
    ctx: &Ctx,
    c: PoConfirm,
    english: bool,
) -> Result<OrderView, AppError> {
    ctx.require(Module::Orders, Action::Create)?;
    let mut v = Validator::default();
    let po_number = super::clean(&c.customer_po_number, 100, "customer_po_number", &mut v);
    if po_number.is_none() {
        v.add(
            "customer_po_number",
            "required",
            "Saisissez le numéro de commande du client.",
            "Enter the customer's PO number.",
        );
    }
    let po_date = date_field(&mut v, "customer_po_date", &c.customer_po_date);
    let requested = date_field(&mut v, "requested_date", &c.requested_date);
    if c.lines.is_empty() {
        v.add(
            "lines",
            "required",
            "Confirmez au moins une ligne commandée.",
            "Confirm at least one ordered line.",
        );
    }
    let mut parsed = Vec::new();
    for (i, l) in c.lines.iter().enumerate() {
        if !(1..=1_000_000).contains(&l.quantity) {
            v.add(
                &format!("lines[{i}].quantity"),
                "out_of_range",
                format!("Ligne {} : la quantité va de 1 à 1 000 000.", i + 1),
                format!("Line {}: quantity from 1 to 1,000,000.", i + 1),
            );
        }
        let price = l
            .unit_price
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| {
                crate::units::money_field(&mut v, &format!("lines[{i}].unit_price"), s, false)
            });
        let date = date_field(
            &mut v,
            &format!("lines[{i}].requested_date"),
            &l.requested_date,
        );
        parsed.push((l.quote_line_id, l.quantity as i32, price, date));
    }
    let mut ids: Vec<i64> = c.lines.iter().map(|l| l.quote_line_id).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        v.add(
            "lines",
            "duplicate",
            "Une ligne de devis est confirmée deux fois.",
            "A quote line is confirmed twice.",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let q = quote::Entity::find_by_id(c.quote_id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "quote_id",
                "unknown_quote",
                "Devis inconnu.",
                "Unknown quote.",
            )
        })?;
    if !ANSWERABLE.contains(&q.status.as_str()) {
        return Err(AppError::new(
            Kind::Conflict,
            "quote_not_sent",
            format!(
                "Le devis {} est « {} » : une commande répond à un devis envoyé ou accepté.",
                q.number,
                crate::crm::label_of(crate::quotes::STATUSES, &q.status, false)
            ),
            format!("Quote {} was not sent.", q.number),
        ));
    }
    if let Some(b) = c.blob_id
        && file_blob::Entity::find_by_id(b)
            .one(&tx.tx)
            .await?
            .is_none()
    {
        return Err(AppError::field(
            "blob_id",
            "unknown_file",
            "Fichier du bon de commande introuvable : importez-le à nouveau.",
            "PO file not found: import it again.",
        ));
    }
    let qlines = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q.id))
        .all(&tx.tx)
        .await?;
    let mut lines = Vec::new();
    let mut v = Validator::default();
    for (i, (ql_id, qty, price, date)) in parsed.into_iter().enumerate() {
        match qlines.iter().find(|l| l.id == ql_id) {
            None => v.add(
                &format!("lines[{i}].quote_line_id"),
                "unknown_quote_line",
                format!(
                    "Ligne {} : la ligne de devis n'appartient pas au devis {}.",
                    i + 1,
                    q.number
                ),
                "The quote line is not in this quote.",
            ),
            Some(l) => lines.push(NewLine {
                quote_line_id: Some(l.id),
                reference: l.drawing_number.clone(),
                revision: l.drawing_revision.clone(),
                designation: l
                    .part_name
                    .clone()
                    .or_else(|| l.drawing_number.clone())
                    .unwrap_or_else(|| format!("Ligne {}", l.position)),
                grade_id: l.grade_id,
                quantity: qty,
                unit_price_cents: price.or(unit_cents(l)),
                requested_date: date.or(requested),
                critical: l.critical,
                blob_id: l.blob_id,
            }),
        }
    }
    v.finish()?;
    if q.status == "envoye" {
        let mut am: quote::ActiveModel = q.clone().into();
        am.status = Set("accepte".into());
        am.status_comment = Set(Some(format!(
            "Bon de commande client {} reçu",
            po_number.clone().unwrap_or_default()
        )));
        am.updated_at = Set(crate::now());
        am.version = Set(q.version + 1);
        am.update(&tx.tx).await?;
        audit::record(
            &tx.tx,
            ctx,
            "quote",
            &q.id.to_string(),
            "status",
            Some(serde_json::json!({"status": q.status})),
            Some(serde_json::json!({"status": "accepte", "by_po": po_number})),
        )
        .await?;
    }
    let o = super::create_from_quote(&tx.tx, ctx, &q).await?;
    if o.status != "en_attente" {
        return Err(AppError::new(
            Kind::Conflict,
            "order_not_pending",
            format!(
                "La commande {} de ce devis est déjà « {} » : modifiez-la à la main.",
                o.number,
                crate::crm::label_of(super::STATUSES, &o.status, false)
            ),
            format!("Order {} is no longer pending.", o.number),
        ));
    }
    let old = lines_of(&tx.tx, o.id).await?;
    order_line::Entity::delete_many()
        .filter(order_line::Column::OrderId.eq(o.id))
        .exec(&tx.tx)
        .await?;
    let mut am: order::ActiveModel = o.clone().into();
    am.customer_po_number = Set(po_number);
    am.customer_po_date = Set(po_date);
    if requested.is_some() {
        am.requested_date = Set(requested);
    }
    if c.blob_id.is_some() {
        am.po_blob_id = Set(c.blob_id);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(o.version + 1);
    let o2 = am.update(&tx.tx).await?;
    let written = write_lines(&tx.tx, &o2, lines).await?;
    let o2 = set_total(&tx.tx, o2).await?;
    audit::record(
        &tx.tx,
        ctx,
        "order",
        &o2.id.to_string(),
        "po_import",
        Some(serde_json::json!({
            "customer_po_number": o.customer_po_number, "lines": old.iter().map(line_audit).collect::<Vec<_>>(),
        })),
        Some(serde_json::json!({
            "customer_po_number": o2.customer_po_number, "customer_po_date": o2.customer_po_date,
            "po_blob_id": o2.po_blob_id, "total_cents": o2.total_cents,
            "lines": written.iter().map(line_audit).collect::<Vec<_>>(),
        })),
    )
    .await?;
    let out = view(&tx.tx, ctx, &o2, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// The customer's PO file of an order.
pub async fn po_file(
    db: &Db,
    ctx: &Ctx,
    order_id: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    ctx.require(Module::Orders, Action::Read)?;
    let o = find(&db.conn, order_id).await?;
    let blob = match o.po_blob_id {
        Some(b) => file_blob::Entity::find_by_id(b).one(&db.conn).await?,
        None => None,
    }
    .ok_or_else(|| AppError::not_found("Bon de commande client", "Customer PO"))?;
    let ext = match crate::attachments::sniff(&blob.data, "") {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/tiff" => "tif",
        _ => "bin",
    };
    let name = format!("bon-de-commande-{}.{ext}", o.number);
    let ct = crate::attachments::sniff(&blob.data, &name).to_string();
    Ok((name, ct, blob.data))
}
