//! Delivery notes (bons de livraison): ship all or part of an order's lines. Each note adds to
//! the lines' delivered quantities and moves the order to `livree_partielle` or `livree`.

use super::{date_field, find, lines_of, next_number, view};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::rights::{Action, Module};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{delivery, delivery_line, order, order_line};

/// Statuses from which parts can be shipped.
pub const SHIPPABLE: &[&str] = &["validee", "en_production", "livree_partielle"];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryLineView {
    pub order_line_id: i64,
    pub reference: Option<String>,
    pub designation: String,
    pub quantity: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub number: String,
    pub delivered_on: NaiveDate,
    pub packages: Option<i32>,
    pub weight_kg: Option<String>,
    pub notes: Option<String>,
    pub created_by: String,
    pub lines: Vec<DeliveryLineView>,
    pub pdf_url: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct DeliveryLineInput {
    pub order_line_id: i64,
    pub quantity: i64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DeliveryInput {
    /// `YYYY-MM-DD`, today by default.
    pub delivered_on: Option<String>,
    pub packages: Option<i64>,
    /// kg, e.g. "12.5".
    pub weight_kg: Option<String>,
    pub notes: Option<String>,
    #[serde(default)]
    pub lines: Vec<DeliveryLineInput>,
}

pub(crate) async fn views_of<C: ConnectionTrait>(
    db: &C,
    order_id: i64,
    lines: &[order_line::Model],
) -> Result<Vec<DeliveryView>, AppError> {
    let notes = delivery::Entity::find()
        .filter(delivery::Column::OrderId.eq(order_id))
        .order_by_asc(delivery::Column::Id)
        .all(db)
        .await?;
    if notes.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = notes.iter().map(|d| d.id).collect();
    let dl = delivery_line::Entity::find()
        .filter(delivery_line::Column::DeliveryId.is_in(ids))
        .order_by_asc(delivery_line::Column::Id)
        .all(db)
        .await?;
    Ok(notes
        .into_iter()
        .map(|d| DeliveryView {
            lines: dl
                .iter()
                .filter(|l| l.delivery_id == d.id)
                .map(|l| {
                    let ol = lines.iter().find(|x| x.id == l.order_line_id);
                    DeliveryLineView {
                        order_line_id: l.order_line_id,
                        reference: ol.and_then(|x| x.reference.clone()),
                        designation: ol.map(|x| x.designation.clone()).unwrap_or_default(),
                        quantity: l.quantity,
                    }
                })
                .collect(),
            pdf_url: format!("/api/v1/deliveries/{}/pdf", d.id),
            id: d.id,
            number: d.number,
            delivered_on: d.delivered_on,
            packages: d.packages,
            weight_kg: d.weight_kg,
            notes: d.notes,
            created_by: d.created_by,
        })
        .collect())
}

/// The order status after a delivery: everything shipped → `livree`.
pub fn status_after(lines: &[order_line::Model]) -> &'static str {
    if lines.iter().all(|l| l.delivered_quantity >= l.quantity) {
        "livree"
    } else {
        "livree_partielle"
    }
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    order_id: i64,
    i: DeliveryInput,
    english: bool,
) -> Result<super::OrderView, AppError> {
    ctx.require(Module::Orders, Action::Update)?;
    let mut v = Validator::default();
    let on = date_field(&mut v, "delivered_on", &i.delivered_on).unwrap_or_else(crate::paris_today);
    let notes = super::clean(&i.notes, 2000, "notes", &mut v);
    let packages = match i.packages {
        Some(p) if (1..=10_000).contains(&p) => Some(p as i32),
        Some(_) => {
            v.add(
                "packages",
                "out_of_range",
                "Le nombre de colis va de 1 à 10 000.",
                "Packages go from 1 to 10,000.",
            );
            None
        }
        None => None,
    };
    let weight = i
        .weight_kg
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| {
            crate::units::decimal_field(
                &mut v,
                "weight_kg",
                s,
                3,
                rust_decimal::Decimal::ZERO,
                rust_decimal::Decimal::from(100_000),
            )
        })
        .map(|d| d.normalize().to_string());
    if i.lines.iter().all(|l| l.quantity == 0) {
        v.add(
            "lines",
            "required",
            "Indiquez au moins une quantité à livrer.",
            "Enter at least one quantity to deliver.",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let o = find(&tx.tx, order_id).await?;
    if !SHIPPABLE.contains(&o.status.as_str()) {
        return Err(AppError::new(
            Kind::Conflict,
            "order_not_shippable",
            format!(
                "La commande {} est « {} » : on livre une commande validée, en production ou livrée partiellement.",
                o.number,
                crate::crm::label_of(super::STATUSES, &o.status, false)
            ),
            format!("Order {} cannot be delivered in its status.", o.number),
        ));
    }
    let lines = lines_of(&tx.tx, order_id).await?;
    let mut v = Validator::default();
    for (k, l) in i.lines.iter().enumerate() {
        let field = format!("lines[{k}].quantity");
        match lines.iter().find(|x| x.id == l.order_line_id) {
            None => v.add(
                &format!("lines[{k}].order_line_id"),
                "unknown_line",
                "Cette ligne n'appartient pas à la commande.",
                "This line is not in the order.",
            ),
            Some(ol) => {
                let remaining = i64::from(ol.quantity - ol.delivered_quantity);
                if l.quantity < 0 || l.quantity > remaining {
                    v.add(
                        &field,
                        "out_of_range",
                        format!(
                            "Ligne {} ({}) : reste {} pièce(s) à livrer, {} demandée(s).",
                            ol.position, ol.designation, remaining, l.quantity
                        ),
                        format!("Line {}: {remaining} part(s) left to deliver.", ol.position),
                    );
                }
            }
        }
    }
    v.finish()?;
    let number = next_number!(&tx.tx, delivery, "BL", chrono::Datelike::year(&on));
    let d = delivery::ActiveModel {
        number: Set(number),
        order_id: Set(order_id),
        delivered_on: Set(on),
        packages: Set(packages),
        weight_kg: Set(weight),
        notes: Set(notes),
        created_by: Set(ctx.actor_login().to_string()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    let mut shipped = Vec::new();
    for l in i.lines.iter().filter(|l| l.quantity > 0) {
        let ol = lines
            .iter()
            .find(|x| x.id == l.order_line_id)
            .ok_or_else(|| AppError::internal("ligne livrée"))?;
        delivery_line::ActiveModel {
            delivery_id: Set(d.id),
            order_line_id: Set(ol.id),
            quantity: Set(l.quantity as i32),
            ..Default::default()
        }
        .insert(&tx.tx)
        .await?;
        let mut am: order_line::ActiveModel = ol.clone().into();
        am.delivered_quantity = Set(ol.delivered_quantity + l.quantity as i32);
        am.updated_at = Set(crate::now());
        am.version = Set(ol.version + 1);
        am.update(&tx.tx).await?;
        shipped.push(serde_json::json!({"order_line_id": ol.id, "quantity": l.quantity}));
    }
    let lines = lines_of(&tx.tx, order_id).await?;
    let status = status_after(&lines);
    let mut am: order::ActiveModel = o.clone().into();
    am.status = Set(status.into());
    am.updated_at = Set(crate::now());
    am.version = Set(o.version + 1);
    let o2 = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "order",
        &order_id.to_string(),
        "delivery",
        Some(serde_json::json!({"status": o.status})),
        Some(serde_json::json!({
            "status": o2.status, "delivery": d.number, "delivered_on": d.delivered_on,
            "lines": shipped,
        })),
    )
    .await?;
    let out = view(&tx.tx, ctx, &o2, english).await?;
    tx.commit().await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(qty: i32, delivered: i32) -> order_line::Model {
        let now = chrono::Utc::now();
        order_line::Model {
            id: 1,
            order_id: 1,
            position: 1,
            quote_line_id: None,
            reference: None,
            revision: None,
            designation: "Axe".into(),
            grade_id: None,
            quantity: qty,
            delivered_quantity: delivered,
            unit_price_cents: None,
            requested_date: None,
            critical: false,
            certified_material: false,
            blob_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn partial_then_full() {
        assert_eq!(status_after(&[line(10, 4), line(5, 5)]), "livree_partielle");
        assert_eq!(status_after(&[line(10, 10), line(5, 5)]), "livree");
    }
}
