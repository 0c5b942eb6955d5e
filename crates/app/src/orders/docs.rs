//! Order documents: the acknowledgment (accusé de réception de commande) and the delivery
//! notes (bons de livraison), rendered by `usinage_documents::order_docs`.

use super::{OrderView, find, view};
use crate::crm::{PAYMENT_TERMS, label_of};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::quotes::doc::company_party;
use crate::rights::{Action, Module};
use crate::settings::{self, Company};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use usinage_documents::order_docs::{
    DeliveryLine, DeliveryNoteDoc, OrderAckDoc, OrderAckLine, render_acknowledgment,
    render_delivery_note,
};
use usinage_documents::quote::Party;
use usinage_engines::estimate::pricing::eur;
use usinage_store::Db;
use usinage_store::entities::{
    delivery, delivery_line, job, material_lot, material_stock, partner, stock_reservation,
};

fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn lines_of(a: &Option<String>) -> Vec<String> {
    a.as_deref()
        .map(|a| {
            a.lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn client_party(p: &partner::Model) -> Party {
    Party {
        name: p.name.clone(),
        address_lines: lines_of(&p.billing_address),
        siret: p.siret.clone(),
        vat_number: p.vat_number.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
    }
}

fn legal(c: &Company) -> Vec<String> {
    let mut l = vec![c.name.clone()];
    if let Some(s) = &c.siret {
        l.push(format!("SIRET {s}"));
    }
    if let Some(v) = &c.vat_number {
        l.push(format!("TVA intracommunautaire {v}"));
    }
    vec![l.join(" — ")]
}

async fn company(db: &Db) -> Result<Company, AppError> {
    Ok(settings::get(&db.conn, settings::COMPANY)
        .await?
        .unwrap_or(Company {
            name: "Gestion Usinage".into(),
            siret: None,
            vat_number: None,
            address: None,
        }))
}

/// Acknowledgment data (pure once the order is loaded). VAT 20 % (French B2B).
pub fn acknowledgment_doc(
    o: &OrderView,
    company: &Company,
    client: &partner::Model,
    public_url: &str,
    today: chrono::NaiveDate,
) -> OrderAckDoc {
    let s = &o.summary;
    let total: i64 = o
        .lines
        .iter()
        .filter_map(|l| {
            l.unit_price
                .as_deref()
                .and_then(crate::units::parse_decimal)
                .map(|p| (p * Decimal::from(100)).round())
                .and_then(|c| i64::try_from(c).ok())
                .map(|c| c * i64::from(l.quantity))
        })
        .sum();
    let vat = (Decimal::new(total, 2) * Decimal::new(20, 2)).round_dp(2);
    let ht = Decimal::new(total, 2);
    OrderAckDoc {
        company: company_party(company),
        company_legal: legal(company),
        client: client_party(client),
        number: s.number.clone(),
        date: date(today),
        customer_po: s.customer_po_number.clone(),
        customer_po_date: s.customer_po_date.map(date),
        quote_reference: s.quote_number.clone(),
        contact: Some(o.created_by_name.clone()),
        lines: o
            .lines
            .iter()
            .map(|l| OrderAckLine {
                position: l.position.max(0) as u32,
                reference: l.reference.clone().unwrap_or_default(),
                revision: l.revision.clone(),
                designation: l.designation.clone(),
                quantity: l.quantity.to_string(),
                unit_price: l
                    .unit_price
                    .as_deref()
                    .and_then(crate::units::parse_decimal)
                    .map(eur)
                    .unwrap_or_else(|| "à confirmer".into()),
                total: l
                    .total
                    .as_deref()
                    .and_then(crate::units::parse_decimal)
                    .map(eur)
                    .unwrap_or_else(|| "—".into()),
                requested_date: l.requested_date.or(s.requested_date).map(date),
                promised_date: s.promised_date.map(date),
                remarks: {
                    let mut r = Vec::new();
                    if l.critical {
                        r.push(
                            "Pièce critique : matière certifiée 3.1, contrôle 100 %.".to_string(),
                        );
                    }
                    r
                },
            })
            .collect(),
        total_ht: eur(ht),
        vat_label: "TVA 20 %".into(),
        total_vat: eur(vat),
        total_ttc: eur(ht + vat),
        conditions: {
            let mut c = vec![
                "Prix en euros hors taxes, TVA 20 % en sus.".to_string(),
                format!(
                    "Règlement : {}.",
                    label_of(PAYMENT_TERMS, &client.payment_terms, false)
                ),
                "Pénalités de retard : trois fois le taux d'intérêt légal ; indemnité forfaitaire pour frais de recouvrement : 40 €.".into(),
            ];
            if o.control_sheet {
                c.push("Une fiche de contrôle accompagne chaque livraison.".into());
            }
            c
        },
        notes: o.notes.clone(),
        url: Some(format!(
            "{}/orders/{}",
            public_url.trim_end_matches('/'),
            s.id
        )),
    }
}

pub async fn acknowledgment_pdf(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    public_url: &str,
    today: chrono::NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    ctx.require(Module::Orders, Action::Read)?;
    let o = find(&db.conn, id).await?;
    let v = view(&db.conn, ctx, &o, false).await?;
    let client = partner::Entity::find_by_id(o.client_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("client de la commande"))?;
    let doc = acknowledgment_doc(&v, &company(db).await?, &client, public_url, today);
    let bytes = tokio::task::spawn_blocking(move || render_acknowledgment(&doc, today))
        .await
        .map_err(|_| AppError::internal("accusé de réception"))?
        .map_err(|e| AppError::internal(&format!("accusé de réception : {e}")))?;
    Ok((format!("AR-{}.pdf", o.number), bytes))
}

pub async fn delivery_pdf(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    public_url: &str,
    today: chrono::NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    ctx.require(Module::Orders, Action::Read)?;
    let d = delivery::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Bon de livraison", "Delivery note"))?;
    let o = find(&db.conn, d.order_id).await?;
    let v = view(&db.conn, ctx, &o, false).await?;
    let client = partner::Entity::find_by_id(o.client_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("client de la commande"))?;
    let shipped = delivery_line::Entity::find()
        .filter(delivery_line::Column::DeliveryId.eq(d.id))
        .order_by_asc(delivery_line::Column::Id)
        .all(&db.conn)
        .await?;
    // Quantities already shipped on earlier notes.
    let earlier: Vec<delivery_line::Model> = {
        let ids: Vec<i64> = delivery::Entity::find()
            .filter(delivery::Column::OrderId.eq(o.id))
            .filter(delivery::Column::Id.lt(d.id))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|x| x.id)
            .collect();
        delivery_line::Entity::find()
            .filter(delivery_line::Column::DeliveryId.is_in(ids))
            .all(&db.conn)
            .await?
    };
    // Material traceability: the lots reserved for each line's job.
    let jobs = job::Entity::find()
        .filter(job::Column::OrderId.eq(o.id))
        .all(&db.conn)
        .await?;
    let mut lines = Vec::new();
    for s in &shipped {
        let Some(l) = v.lines.iter().find(|l| l.id == s.order_line_id) else {
            continue;
        };
        let before: i32 = earlier
            .iter()
            .filter(|e| e.order_line_id == l.id)
            .map(|e| e.quantity)
            .sum();
        let mut trace = Vec::new();
        if let Some(j) = jobs.iter().find(|j| j.order_line_id == l.id) {
            trace.push(format!("OF {}", j.number));
            let stock_ids: Vec<i64> = stock_reservation::Entity::find()
                .filter(stock_reservation::Column::JobRef.eq(j.number.clone()))
                .filter(stock_reservation::Column::ItemType.eq("matiere"))
                .all(&db.conn)
                .await?
                .into_iter()
                .map(|r| r.item_id)
                .collect();
            let lots: Vec<i64> = material_stock::Entity::find()
                .filter(material_stock::Column::Id.is_in(stock_ids))
                .all(&db.conn)
                .await?
                .into_iter()
                .filter_map(|m| m.lot_id)
                .collect();
            for lot in material_lot::Entity::find()
                .filter(material_lot::Column::Id.is_in(lots))
                .all(&db.conn)
                .await?
            {
                trace.push(format!(
                    "Matière : coulée {}{}",
                    lot.heat_number,
                    lot.certificate_ref
                        .as_deref()
                        .map(|c| format!(", certificat {c}"))
                        .unwrap_or_default()
                ));
            }
        }
        lines.push(DeliveryLine {
            reference: l.reference.clone().unwrap_or_default(),
            revision: l.revision.clone(),
            designation: l.designation.clone(),
            ordered: l.quantity.to_string(),
            delivered_now: s.quantity.to_string(),
            already_delivered: before.to_string(),
            remaining: (l.quantity - before - s.quantity).max(0).to_string(),
            traceability: trace,
            critical: l.critical,
        });
    }
    let c = company(db).await?;
    let doc = DeliveryNoteDoc {
        company: company_party(&c),
        company_legal: legal(&c),
        client: client_party(&client),
        ship_to: lines_of(&client.delivery_address),
        number: d.number.clone(),
        date: date(d.delivered_on),
        order_number: Some(o.number.clone()),
        customer_po: o.customer_po_number.clone(),
        lines,
        certificate_of_conformity: o.critical || o.control_sheet,
        packages: d.packages.map(|p| p.to_string()),
        weight: d
            .weight_kg
            .as_deref()
            .map(|w| format!("{} kg", w.replace('.', ","))),
        carrier: None,
        notes: d.notes.clone(),
        url: Some(format!(
            "{}/orders/{}",
            public_url.trim_end_matches('/'),
            o.id
        )),
    };
    let bytes = tokio::task::spawn_blocking(move || render_delivery_note(&doc, today))
        .await
        .map_err(|_| AppError::internal("bon de livraison"))?
        .map_err(|e| AppError::internal(&format!("bon de livraison : {e}")))?;
    Ok((format!("{}.pdf", d.number), bytes))
}
