//! Demo shop floor: the ready job's operations are handed to the demo operators (Kévin Dumas,
//! `operateur`, on the saw and the lathe; Lucas Brunel, `operateur2`, on the other machines),
//! so "Mes tâches" is not empty on a fresh demo; the job's certified bar (3.1, the part is
//! for aerospace) is in stock and reserved for it, so the lathe can consume it.

use crate::error::AppError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use usinage_store::entities::{
    job, job_operation, material_lot, material_stock, stock_reservation, storage_location, user,
};

pub(crate) async fn prepare<C: ConnectionTrait>(tx: &C, j: &job::Model) -> Result<(), AppError> {
    certified_bar(tx, j).await?;
    let job_id = j.id;
    let find = |login: &'static str| async move {
        user::Entity::find()
            .filter(user::Column::Login.eq(login))
            .one(tx)
            .await
    };
    let (Some(kevin), Some(lucas)) = (find("operateur").await?, find("operateur2").await?) else {
        return Ok(());
    };
    let ops = job_operation::Entity::find()
        .filter(job_operation::Column::JobId.eq(job_id))
        .order_by_asc(job_operation::Column::Position)
        .all(tx)
        .await?;
    for op in ops {
        let who = match op.process.as_str() {
            "debit" | "tournage" => kevin.id,
            _ if op.machine_id.is_some() => lucas.id,
            _ => continue,
        };
        let mut am: job_operation::ActiveModel = op.into();
        am.assigned_user_id = Set(Some(who));
        am.update(tx).await?;
    }
    Ok(())
}

/// A certified bar of the job's grade and section, reserved for it.
async fn certified_bar<C: ConnectionTrait>(tx: &C, j: &job::Model) -> Result<(), AppError> {
    let (Some(grade), Some(d)) = (j.grade_id, super::debit_of(j)) else {
        return Ok(());
    };
    let Some(dia) = super::sawing::section_diameter(&d.section) else {
        return Ok(());
    };
    let now = crate::now();
    let lot = material_lot::ActiveModel {
        grade_id: Set(grade),
        heat_number: Set("26-A0412".into()),
        supplier_name: Set(Some("Aciers du Forez".into())),
        certificate_type: Set("3.1".into()),
        certificate_ref: Set(Some("3.1-26-A0412".into())),
        certified: Set(true),
        notes: Set(Some(format!("Acheté pour l'OF {}", j.number))),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let location = storage_location::Entity::find()
        .filter(storage_location::Column::Code.eq("R1"))
        .one(tx)
        .await?
        .map(|l| l.id);
    let bar = material_stock::ActiveModel {
        label: Set(None),
        grade_id: Set(grade),
        lot_id: Set(Some(lot.id)),
        shape: Set("rond".into()),
        diameter_mm: Set(dia.normalize().to_string()),
        width_mm: Set(None),
        wall_mm: Set(None),
        length_mm: Set("3000".into()),
        quantity: Set(2),
        reserved: Set(1),
        location_id: Set(location),
        cost_per_kg_cents: Set(Some(260)),
        is_offcut: Set(false),
        parent_id: Set(None),
        active: Set(true),
        notes: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    stock_reservation::ActiveModel {
        item_type: Set("matiere".into()),
        item_id: Set(bar.id),
        job_ref: Set(j.number.clone()),
        quantity: Set(1),
        consumed: Set(0),
        status: Set("active".into()),
        created_by: Set("methode".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}
