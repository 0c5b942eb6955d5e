//! The hourly rate grid (Paramètres généraux → grille tarifaire): a rate per activity and per
//! machine kind (cents per hour, HT), and the pricing parameters (minimum margin, target
//! margin, Express and Economy coefficients) kept in the `pricing` setting.
//!
//! Rights: reading needs `system`, `quotes` or `finance` read (whoever prices or checks
//! prices); writing needs `system` × `validate`, which the default matrix gives to the
//! administrator and the direction only (a business parameter of the whole shop, but not the
//! rights matrix, which stays `system` × `update`, admin only).

use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::rights::{Action, Module};
use crate::settings;
use crate::units::{self, cents_to_string};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use usinage_store::Db;
use usinage_store::entities::{rate, setting};

pub const PRICING: &str = settings::PRICING;

/// Activities priced per hour. `reglage` left empty means "rate of the machine being set up".
pub const ACTIVITIES: crate::crm::CodeLabels = &[
    ("programmation", "Programmation / FAO", "Programming / CAM"),
    ("reglage", "Réglage", "Setup"),
    ("usinage", "Usinage", "Machining"),
    ("sciage", "Sciage", "Sawing"),
    ("soudure", "Soudure", "Welding"),
    ("rectification", "Rectification", "Grinding"),
    ("controle", "Contrôle / FAI", "Inspection / FAI"),
    ("controle_mmt", "Contrôle MMT", "CMM inspection"),
    ("ebavurage", "Ébavurage / marquage", "Deburring / marking"),
    ("montage", "Montage / assemblage", "Assembly"),
];

/// Machine kinds (the machines module references the same codes).
pub const MACHINE_KINDS: crate::crm::CodeLabels = &[
    ("scie", "Scie", "Saw"),
    ("tour", "Tour CN", "CNC lathe"),
    (
        "tour_fraiseur",
        "Tour-fraiseur (axe Y / outils tournants)",
        "Mill-turn (Y axis / live tools)",
    ),
    ("fraiseuse_3axes", "Fraiseuse 3 axes", "3-axis mill"),
    ("fraiseuse_5axes", "Fraiseuse 5 axes", "5-axis mill"),
    ("soudure", "Poste de soudure", "Welding station"),
    ("plieuse", "Plieuse", "Press brake"),
    ("rectifieuse", "Rectifieuse", "Grinder"),
    ("electroerosion", "Électroérosion", "EDM"),
    ("mmt", "Machine à mesurer tridimensionnelle", "CMM"),
];

const KINDS: &[(&str, crate::crm::CodeLabels)] =
    &[("activity", ACTIVITIES), ("machine_kind", MACHINE_KINDS)];

/// Pricing parameters, stored as canonical decimal strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pricing {
    pub min_margin_pct: String,
    pub target_margin_pct: String,
    pub express_coef: String,
    pub express_48h_coef: String,
    pub economy_coef: String,
    #[serde(default)]
    pub version: i32,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            min_margin_pct: "8".into(),
            target_margin_pct: "15".into(),
            express_coef: "1.3".into(),
            express_48h_coef: "1.5".into(),
            economy_coef: "0.93".into(),
            version: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateLine {
    pub code: String,
    pub label: String,
    /// `"72.00"` € HT per hour, or `null` when not set.
    pub rate: Option<String>,
    pub id: Option<i64>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateGrid {
    pub activities: Vec<RateLine>,
    pub machine_kinds: Vec<RateLine>,
    /// Floor: no quote scenario may go below it (%).
    pub min_margin_pct: String,
    /// Margin already inside the rates (%).
    pub target_margin_pct: String,
    /// Multiplier on hours for delivery ≤ 5 working days (e.g. `"1.3"`).
    pub express_coef: String,
    /// Multiplier on hours for delivery ≤ 48 h.
    pub express_48h_coef: String,
    /// Multiplier on hours for long lead times with free scheduling (e.g. `"0.93"`).
    pub economy_coef: String,
    /// `false` until the grid was saved once (the wizard shows the proposed values).
    pub configured: bool,
    /// Version of the whole grid, to send back with `PUT`.
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RateGridUpdate {
    pub version: i32,
    /// activity code → rate (`"72.00"`, `"72,5"`) or `null` to clear.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub activities: BTreeMap<String, Option<String>>,
    /// machine kind code → rate or `null`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub machine_kinds: BTreeMap<String, Option<String>>,
    pub min_margin_pct: String,
    pub target_margin_pct: String,
    pub express_coef: String,
    pub express_48h_coef: String,
    pub economy_coef: String,
}

fn require_read(ctx: &Ctx) -> Result<(), AppError> {
    match &ctx.principal {
        Some(p)
            if !(p.can(Module::System, Action::Read)
                || p.can(Module::Quotes, Action::Read)
                || p.can(Module::Finance, Action::Read)) =>
        {
            p.require(Module::Quotes, Action::Read)
        }
        _ => Ok(()),
    }
}

async fn stored_pricing<C: ConnectionTrait>(db: &C) -> Result<(Option<String>, Pricing), AppError> {
    let raw = setting::Entity::find_by_id(PRICING.to_string())
        .one(db)
        .await?
        .map(|s| s.value);
    let p = raw
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    Ok((raw, p))
}

pub async fn get(db: &Db, ctx: &Ctx, english: bool) -> Result<RateGrid, AppError> {
    require_read(ctx)?;
    grid(&db.conn, english).await
}

async fn grid<C: ConnectionTrait>(db: &C, english: bool) -> Result<RateGrid, AppError> {
    let (raw, p) = stored_pricing(db).await?;
    let rows = rate::Entity::find()
        .order_by_asc(rate::Column::Id)
        .all(db)
        .await?;
    let lines = |kind: &str, list: crate::crm::CodeLabels| -> Vec<RateLine> {
        list.iter()
            .map(|(code, fr, en)| {
                let row = rows.iter().find(|r| r.kind == kind && r.code == *code);
                RateLine {
                    code: code.to_string(),
                    label: if english { en } else { fr }.to_string(),
                    rate: row.map(|r| cents_to_string(r.rate_cents)),
                    id: row.map(|r| r.id),
                    updated_at: row.map(|r| r.updated_at),
                    version: row.map(|r| r.version),
                }
            })
            .collect()
    };
    Ok(RateGrid {
        activities: lines("activity", ACTIVITIES),
        machine_kinds: lines("machine_kind", MACHINE_KINDS),
        min_margin_pct: p.min_margin_pct,
        target_margin_pct: p.target_margin_pct,
        express_coef: p.express_coef,
        express_48h_coef: p.express_48h_coef,
        economy_coef: p.economy_coef,
        configured: raw.is_some(),
        version: p.version,
    })
}

/// Hourly rate of a machine kind in cents, for the quoting module (None if not set).
pub async fn machine_kind_rate<C: ConnectionTrait>(
    db: &C,
    code: &str,
) -> Result<Option<i64>, AppError> {
    Ok(rate::Entity::find()
        .filter(rate::Column::Kind.eq("machine_kind"))
        .filter(rate::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|r| r.rate_cents))
}

fn pct(v: &mut Validator, field: &str, s: &str) -> Option<Decimal> {
    units::decimal_field(v, field, s, 2, Decimal::ZERO, Decimal::from(100))
}

fn coef(v: &mut Validator, field: &str, s: &str, min: &str, max: &str) -> Option<Decimal> {
    units::decimal_field(
        v,
        field,
        s,
        3,
        min.parse().unwrap_or_default(),
        max.parse().unwrap_or_default(),
    )
}

fn check_lines(
    v: &mut Validator,
    kind: &str,
    list: crate::crm::CodeLabels,
    given: &BTreeMap<String, Option<String>>,
) -> Vec<(String, Option<i64>)> {
    let field_root = if kind == "activity" {
        "activities"
    } else {
        "machine_kinds"
    };
    let mut out = Vec::new();
    for (code, value) in given {
        let field = format!("{field_root}.{code}");
        if !list.iter().any(|(c, _, _)| c == code) {
            v.add(
                &field,
                "unknown_code",
                format!("Code inconnu : « {code} »."),
                format!("Unknown code: “{code}”."),
            );
            continue;
        }
        match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => out.push((code.clone(), None)),
            Some(s) => {
                if let Some(c) = units::money_field(v, &field, s, false) {
                    if c > 10_000_000 {
                        v.add(
                            &field,
                            "too_large",
                            "Un taux horaire dépasse rarement 100 000 € : vérifiez la saisie.",
                            "An hourly rate rarely exceeds 100,000 €: check the value.",
                        );
                    } else {
                        out.push((code.clone(), Some(c)));
                    }
                }
            }
        }
    }
    out
}

/// Replaces the grid (the lines sent; lines not sent stay as they are) and the pricing
/// parameters, in one transaction, with the grid version checked in the UPDATE.
pub async fn put(
    db: &Db,
    ctx: &Ctx,
    u: RateGridUpdate,
    english: bool,
) -> Result<RateGrid, AppError> {
    ctx.require(Module::System, Action::Validate)?;
    let mut v = Validator::default();
    let acts = check_lines(&mut v, "activity", ACTIVITIES, &u.activities);
    let machines = check_lines(&mut v, "machine_kind", MACHINE_KINDS, &u.machine_kinds);
    let min = pct(&mut v, "min_margin_pct", &u.min_margin_pct);
    let target = pct(&mut v, "target_margin_pct", &u.target_margin_pct);
    if let (Some(min), Some(target)) = (min, target)
        && target < min
    {
        v.add(
            "target_margin_pct",
            "below_minimum",
            "La marge visée ne peut pas être inférieure à la marge minimum.",
            "The target margin cannot be below the minimum margin.",
        );
    }
    let express = coef(&mut v, "express_coef", &u.express_coef, "1", "5");
    let express48 = coef(&mut v, "express_48h_coef", &u.express_48h_coef, "1", "5");
    if let (Some(e), Some(e48)) = (express, express48)
        && e48 < e
    {
        v.add(
            "express_48h_coef",
            "below_express",
            "Le coefficient Express 48 h ne peut pas être inférieur au coefficient Express.",
            "The 48 h Express coefficient cannot be below the Express coefficient.",
        );
    }
    let economy = coef(&mut v, "economy_coef", &u.economy_coef, "0.5", "1");
    v.finish()?;
    let tx = db.write().await?;
    let (raw, current) = stored_pricing(&tx.tx).await?;
    if u.version != current.version {
        return Err(AppError::stale_version());
    }
    let before = serde_json::json!({"pricing": current, "rates": rate_snapshot(&tx.tx).await?});
    let next = Pricing {
        min_margin_pct: min.unwrap_or_default().to_string(),
        target_margin_pct: target.unwrap_or_default().to_string(),
        express_coef: express.unwrap_or_default().to_string(),
        express_48h_coef: express48.unwrap_or_default().to_string(),
        economy_coef: economy.unwrap_or_default().to_string(),
        version: current.version + 1,
    };
    compare_and_set(&tx.tx, PRICING, raw.as_deref(), &next).await?;
    let now = crate::now();
    for (kind, lines) in [("activity", acts), ("machine_kind", machines)] {
        for (code, cents) in lines {
            let row = rate::Entity::find()
                .filter(rate::Column::Kind.eq(kind))
                .filter(rate::Column::Code.eq(code.as_str()))
                .one(&tx.tx)
                .await?;
            match (row, cents) {
                (None, None) => {}
                (Some(r), None) => {
                    rate::Entity::delete_by_id(r.id).exec(&tx.tx).await?;
                }
                (Some(r), Some(c)) if r.rate_cents != c => {
                    rate::Entity::update_many()
                        .set(rate::ActiveModel {
                            rate_cents: Set(c),
                            updated_at: Set(now),
                            version: Set(r.version + 1),
                            ..Default::default()
                        })
                        .filter(rate::Column::Id.eq(r.id))
                        .filter(rate::Column::Version.eq(r.version))
                        .exec(&tx.tx)
                        .await?;
                }
                (Some(_), Some(_)) => {}
                (None, Some(c)) => {
                    rate::ActiveModel {
                        kind: Set(kind.into()),
                        code: Set(code),
                        rate_cents: Set(c),
                        created_at: Set(now),
                        updated_at: Set(now),
                        version: Set(1),
                        ..Default::default()
                    }
                    .insert(&tx.tx)
                    .await?;
                }
            }
        }
    }
    let after = serde_json::json!({"pricing": next, "rates": rate_snapshot(&tx.tx).await?});
    audit::record(
        &tx.tx,
        ctx,
        "rate_grid",
        "1",
        "update",
        Some(before),
        Some(after),
    )
    .await?;
    let out = grid(&tx.tx, english).await?;
    tx.commit().await?;
    Ok(out)
}

async fn rate_snapshot<C: ConnectionTrait>(db: &C) -> Result<serde_json::Value, AppError> {
    let rows = rate::Entity::find()
        .order_by_asc(rate::Column::Id)
        .all(db)
        .await?;
    let mut m = serde_json::Map::new();
    for r in rows {
        m.insert(
            format!("{}.{}", r.kind, r.code),
            serde_json::Value::String(cents_to_string(r.rate_cents)),
        );
    }
    Ok(serde_json::Value::Object(m))
}

/// Writes a setting only if it still holds `expected` (optimistic lock on a JSON setting):
/// `UPDATE settings SET value = ? WHERE key = ? AND value = <what was read>`.
pub async fn compare_and_set<C: ConnectionTrait, T: Serialize>(
    tx: &C,
    key: &str,
    expected: Option<&str>,
    value: &T,
) -> Result<(), AppError> {
    let text = serde_json::to_string(value).map_err(|_| AppError::internal("paramètre"))?;
    match expected {
        None => {
            setting::Entity::insert(setting::ActiveModel {
                key: Set(key.into()),
                value: Set(text),
                updated_at: Set(crate::now()),
            })
            .exec_without_returning(tx)
            .await
            .map_err(|_| AppError::stale_version())?;
        }
        Some(old) => {
            let res = setting::Entity::update_many()
                .set(setting::ActiveModel {
                    value: Set(text),
                    updated_at: Set(crate::now()),
                    ..Default::default()
                })
                .filter(setting::Column::Key.eq(key))
                .filter(setting::Column::Value.eq(old))
                .exec(tx)
                .await?;
            if res.rows_affected != 1 {
                return Err(AppError::new(
                    Kind::Conflict,
                    "stale_version",
                    AppError::stale_version().detail.fr,
                    AppError::stale_version().detail.en,
                ));
            }
        }
    }
    Ok(())
}

/// Demo grid (DEMO-SHOP.md §3): selling rates € HT/h, margin floor 8 %, Express +30 % / +50 %,
/// Economy −7 %. Setup (réglage) is left empty: it is billed at the machine's rate.
pub async fn load_demo<C: ConnectionTrait>(tx: &C, ctx: &Ctx) -> Result<(), AppError> {
    let lines: &[(&str, &str, i64)] = &[
        ("activity", "programmation", 7200),
        ("activity", "usinage", 7000),
        ("activity", "sciage", 4500),
        ("activity", "soudure", 5800),
        ("activity", "rectification", 6800),
        ("activity", "controle", 5800),
        ("activity", "controle_mmt", 8500),
        ("activity", "ebavurage", 4200),
        ("machine_kind", "scie", 4500),
        ("machine_kind", "tour", 6500),
        ("machine_kind", "tour_fraiseur", 7500),
        ("machine_kind", "fraiseuse_3axes", 7000),
        ("machine_kind", "fraiseuse_5axes", 10500),
        ("machine_kind", "soudure", 5800),
        ("machine_kind", "rectifieuse", 6800),
        ("machine_kind", "mmt", 8500),
    ];
    let now = crate::now();
    for (kind, code, cents) in lines {
        debug_assert!(
            KINDS
                .iter()
                .any(|(k, l)| k == kind && l.iter().any(|(c, _, _)| c == code))
        );
        rate::ActiveModel {
            kind: Set(kind.to_string()),
            code: Set(code.to_string()),
            rate_cents: Set(*cents),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    let p = Pricing {
        version: 1,
        ..Pricing::default()
    };
    settings::put(tx, PRICING, &p).await?;
    audit::record(
        tx,
        ctx,
        "rate_grid",
        "1",
        "update",
        None,
        Some(serde_json::json!({"pricing": p, "rates": rate_snapshot(tx).await?})),
    )
    .await?;
    Ok(())
}
