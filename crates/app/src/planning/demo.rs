//! Demo planning data: bar-fed lathes run unattended once set up, the shop closes on
//! 24 and 31 December, and Mehdi Aït-Ali is in training one day next week (so the Gantt shows
//! an absence). No plan is computed: the first proposal is the user's to ask for and accept.

use super::utc;
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use usinage_store::entities::{employee, machine, shop_closure, unavailability};

pub async fn load_demo<C: ConnectionTrait>(tx: &C) -> Result<(), AppError> {
    let now = crate::now();
    for m in machine::Entity::find()
        .filter(machine::Column::BarFeeder.eq(true))
        .all(tx)
        .await?
    {
        let mut a: machine::ActiveModel = m.into();
        a.unattended_run = Set(true);
        a.update(tx).await?;
    }
    let today = crate::paris_today();
    for (m, d, label) in [
        (12, 24, "Veille de Noël : atelier fermé"),
        (12, 31, "Veille du jour de l'an : atelier fermé"),
    ] {
        let Some(day) = NaiveDate::from_ymd_opt(today.year(), m, d) else {
            continue;
        };
        if day < today {
            continue;
        }
        shop_closure::ActiveModel {
            day: Set(day),
            label: Set(label.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    if let Some(e) = employee::Entity::find()
        .filter(employee::Column::Matricule.eq("E11"))
        .one(tx)
        .await?
    {
        // Wednesday of next week.
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let day = monday + Duration::days(9);
        let (Some(from), Some(to)) = (day.and_hms_opt(7, 30, 0), day.and_hms_opt(17, 0, 0)) else {
            return Ok(());
        };
        unavailability::ActiveModel {
            resource_kind: Set("employee".into()),
            resource_id: Set(e.id),
            starts_at: Set(utc(from)),
            ends_at: Set(utc(to)),
            kind: Set("formation".into()),
            reason: Set(Some("Formation rectification (organisme extérieur)".into())),
            created_by: Set("chef".into()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}
