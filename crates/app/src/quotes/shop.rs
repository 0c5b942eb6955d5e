//! The estimate engine's view of the shop ([`ShopContext`]), read from the database: machines
//! with their rates, the activity rate grid, cutting data of the tool crib, bars and offcuts in
//! stock, purchase and subcontract prices, pricing parameters.
//!
//! Purchase prices of material and subcontracted treatment prices have no table of their own
//! yet: they live in the `quote_prices` setting ([`QuotePrices`]), editable through
//! `GET/PUT /api/v1/quote-prices`.

use crate::error::{AppError, Validator};
use crate::rates::Pricing;
use crate::settings;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use usinage_engines::estimate::{
    CuttingData, IsoGroup, Machine, MachineKind, Material, PricingSettings, PurchasePrice, Section,
    ShopContext, StockCandidate, SubcontractBasis, SubcontractPrice, ToolKind, ToolStock,
};
use usinage_store::entities::{
    machine, material_grade, material_stock, rate, tool, tool_cutting_data, tool_stock,
};

/// Settings key of [`QuotePrices`].
pub const QUOTE_PRICES: &str = "quote_prices";

/// Buying price of a grade, by grade code (e.g. `C45`). Decimal strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GradePrice {
    pub grade_code: String,
    /// € HT per kg.
    pub price_per_kg: String,
    /// € HT per kg with an EN 10204 3.1 certificate.
    #[serde(default)]
    pub certified_price_per_kg: Option<String>,
    /// Fixed certificate fee per order (€ HT).
    #[serde(default)]
    pub certificate_fee: Option<String>,
    #[serde(default)]
    pub lead_days: u32,
}

/// A subcontractor's price for a treatment (codes as in `usinage_drawing::spec::treatment_code`:
/// anodisation, zingage, passivation, peinture, nitruration, cementation, trempe_revenu, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TreatmentPrice {
    pub treatment: String,
    pub supplier: String,
    /// `per_kg` or `per_piece`.
    pub basis: String,
    /// € HT per kg or per piece.
    pub price: String,
    #[serde(default)]
    pub lot_charge: Option<String>,
    #[serde(default)]
    pub min_charge: Option<String>,
    #[serde(default)]
    pub lead_days: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuotePrices {
    #[serde(default)]
    pub materials: Vec<GradePrice>,
    #[serde(default)]
    pub treatments: Vec<TreatmentPrice>,
}

fn dec(s: &str) -> Option<Decimal> {
    crate::units::parse_decimal(s)
}

fn num(s: Option<&str>) -> Option<f64> {
    s.and_then(|s| f64::from_str(s.trim().replace(',', ".").as_str()).ok())
        .filter(|v| v.is_finite() && *v > 0.0)
}

impl QuotePrices {
    /// Checks every number; French messages name the row.
    pub fn validate(&self) -> Result<(), AppError> {
        let mut v = Validator::default();
        let money = |v: &mut Validator, field: String, s: &str| {
            if dec(s).is_none_or(|d| d < Decimal::ZERO) {
                v.add(
                    &field,
                    "invalid_amount",
                    format!("« {s} » n'est pas un montant valide."),
                    format!("“{s}” is not a valid amount."),
                );
            }
        };
        for (i, m) in self.materials.iter().enumerate() {
            if m.grade_code.trim().is_empty() {
                v.add(
                    &format!("materials[{i}].grade_code"),
                    "required",
                    "Indiquez la nuance.",
                    "Give the grade.",
                );
            }
            money(
                &mut v,
                format!("materials[{i}].price_per_kg"),
                &m.price_per_kg,
            );
            for (f, s) in [
                ("certified_price_per_kg", &m.certified_price_per_kg),
                ("certificate_fee", &m.certificate_fee),
            ] {
                if let Some(s) = s {
                    money(&mut v, format!("materials[{i}].{f}"), s);
                }
            }
        }
        for (i, t) in self.treatments.iter().enumerate() {
            if t.treatment.trim().is_empty() || t.supplier.trim().is_empty() {
                v.add(
                    &format!("treatments[{i}].treatment"),
                    "required",
                    "Indiquez le traitement et le sous-traitant.",
                    "Give the treatment and the subcontractor.",
                );
            }
            if t.basis != "per_kg" && t.basis != "per_piece" {
                v.add(
                    &format!("treatments[{i}].basis"),
                    "invalid_choice",
                    "Base de prix : per_kg (au kilo) ou per_piece (à la pièce).",
                    "Price basis: per_kg or per_piece.",
                );
            }
            money(&mut v, format!("treatments[{i}].price"), &t.price);
            for (f, s) in [("lot_charge", &t.lot_charge), ("min_charge", &t.min_charge)] {
                if let Some(s) = s {
                    money(&mut v, format!("treatments[{i}].{f}"), s);
                }
            }
        }
        v.finish()
    }
}

/// Replaces the purchase and treatment prices (validate right on quotes: they set every
/// quote's material and subcontract costs).
pub async fn save_prices(
    db: &usinage_store::Db,
    ctx: &crate::ctx::Ctx,
    p: QuotePrices,
) -> Result<QuotePrices, AppError> {
    use crate::rights::{Action, Module};
    ctx.require(Module::Quotes, Action::Validate)?;
    p.validate()?;
    let tx = db.write().await?;
    let before: Option<QuotePrices> = settings::get(&tx.tx, QUOTE_PRICES).await?;
    settings::put(&tx.tx, QUOTE_PRICES, &p).await?;
    crate::audit::record(
        &tx.tx,
        ctx,
        "setting",
        QUOTE_PRICES,
        "update",
        before.and_then(|b| serde_json::to_value(b).ok()),
        serde_json::to_value(&p).ok(),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

/// Engine pricing settings from the rate grid's pricing parameters (the rest keeps the engine's
/// documented defaults: +10 % on times, 5 % material scrap, 7.8 h/day…).
pub fn pricing_settings(p: &Pricing) -> PricingSettings {
    let mut s = PricingSettings::default();
    let set = |target: &mut Decimal, v: &str| {
        if let Some(d) = dec(v) {
            *target = d;
        }
    };
    set(&mut s.min_margin_pct, &p.min_margin_pct);
    set(&mut s.target_margin_pct, &p.target_margin_pct);
    set(&mut s.express_coef, &p.express_coef);
    set(&mut s.express_48h_coef, &p.express_48h_coef);
    set(&mut s.economy_coef, &p.economy_coef);
    s
}

/// The engine's material from a grade row.
pub fn material_of(g: &material_grade::Model) -> Material {
    Material {
        grade_id: g.id,
        label: g.code.clone(),
        iso_group: IsoGroup::from_code(&g.iso_group).unwrap_or(IsoGroup::P),
        density: num(Some(&g.density)).unwrap_or(7.85),
    }
}

fn tool_kind(tool_type: &str) -> Option<ToolKind> {
    Some(match tool_type {
        "fraise" | "fraise_a_chanfreiner" => ToolKind::Fraisage,
        "fraise_a_surfacer" => ToolKind::Surfacage,
        "foret" | "foret_a_centrer" => ToolKind::Percage,
        "taraud" | "fraise_a_fileter" => ToolKind::Taraudage,
        "alesoir" | "barre_d_alesage" => ToolKind::Alesage,
        "plaquette" => ToolKind::Tournage,
        "outil_a_saigner" => ToolKind::Tronconnage,
        _ => return None,
    })
}

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

/// Reads the whole shop context (a few hundred rows for a 50-person shop).
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<ShopContext, AppError> {
    let rates = rate::Entity::find().all(db).await?;
    let kind_rate = |code: &str| {
        rates
            .iter()
            .find(|r| r.kind == "machine_kind" && r.code == code)
            .map(|r| cents(r.rate_cents))
    };
    let activity_rates = rates
        .iter()
        .filter(|r| r.kind == "activity")
        .map(|r| (r.code.clone(), cents(r.rate_cents)))
        .collect();
    let machines = machine::Entity::find()
        .filter(machine::Column::Active.eq(true))
        .order_by_asc(machine::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let kind = MachineKind::from_code(&m.kind);
            let hourly_rate = m
                .machine_rate_cents
                .map(cents)
                .or_else(|| kind_rate(&m.kind))
                .unwrap_or_default();
            let chuck = num(m.chuck_table_size.as_deref());
            Machine {
                id: m.id,
                code: m.code.clone(),
                name: m.name.clone(),
                kind,
                travel_x: num(m.travel_x_mm.as_deref()),
                travel_y: num(m.travel_y_mm.as_deref()),
                travel_z: num(m.travel_z_mm.as_deref()),
                max_bar_diameter: num(m.max_bar_diameter_mm.as_deref()),
                max_chuck_diameter: if kind.is_lathe() { chuck } else { None },
                bar_feeder: m.bar_feeder,
                max_rpm: m.max_spindle_rpm.map(f64::from).filter(|v| *v > 0.0),
                power_kw: num(m.spindle_power_kw.as_deref()),
                available: m.status != "hors_service" && m.status != "en_panne",
                hourly_rate,
                operator_rate: m.operator_rate_cents.map(cents),
                // Machine load arrives with the planning module; until then the lead time is
                // computed on an empty shop.
                load_hours: 0.0,
            }
        })
        .collect();

    let tools = tool::Entity::find()
        .filter(tool::Column::Active.eq(true))
        .all(db)
        .await?;
    let kinds: HashMap<i64, ToolKind> = tools
        .iter()
        .filter_map(|t| tool_kind(&t.tool_type).map(|k| (t.id, k)))
        .collect();
    let mut cutting_data = Vec::new();
    for c in tool_cutting_data::Entity::find()
        .order_by_asc(tool_cutting_data::Column::Id)
        .all(db)
        .await?
    {
        let (Some(kind), Some(group)) = (kinds.get(&c.tool_id), IsoGroup::from_code(&c.iso_group))
        else {
            continue;
        };
        let (Some(vc_min), Some(vc_max)) = (
            num(c.vc_min.as_deref()).or(num(c.vc_max.as_deref())),
            num(c.vc_max.as_deref()).or(num(c.vc_min.as_deref())),
        ) else {
            continue;
        };
        let feed_min = num(c.feed_min.as_deref()).or(num(c.feed_max.as_deref()));
        let feed_max = num(c.feed_max.as_deref()).or(feed_min);
        cutting_data.push(CuttingData {
            tool_kind: *kind,
            iso_group: group,
            vc_min,
            vc_max,
            feed_min: feed_min.unwrap_or(0.0),
            feed_max: feed_max.unwrap_or(0.0),
            ap_max: num(c.ap_max.as_deref()),
            ae_max: num(c.ae_max.as_deref()),
            source: c.source.clone(),
        });
    }
    let mut in_stock: HashMap<i64, i64> = HashMap::new();
    for s in tool_stock::Entity::find().all(db).await? {
        *in_stock.entry(s.tool_id).or_default() += (s.quantity - s.reserved).max(0);
    }
    let tool_crib = tools
        .iter()
        .filter_map(|t| {
            Some(ToolStock {
                tool_kind: *kinds.get(&t.id)?,
                diameter: num(t.diameter_mm.as_deref()).unwrap_or(0.0),
                in_stock: u32::try_from(*in_stock.get(&t.id).unwrap_or(&0)).unwrap_or(u32::MAX),
                unit_price: t.unit_price_cents.map(cents),
                label: format!("{} — {}", t.code, t.name),
            })
        })
        .collect();

    let stock = material_stock::Entity::find()
        .filter(material_stock::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let d = num(Some(&s.diameter_mm))?;
            let section = match s.shape.as_str() {
                "rond" | "hexagone" | "tube" => Section::Round { diameter: d },
                "plat" | "tole" | "carre" => Section::Flat {
                    width: num(s.width_mm.as_deref()).unwrap_or(d),
                    thickness: d,
                },
                _ => return None,
            };
            let pieces = u32::try_from((s.quantity - s.reserved).max(0)).unwrap_or(0);
            Some(StockCandidate {
                id: s.id,
                label: s
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("{} × {} mm", section.label(), s.length_mm)),
                grade_id: s.grade_id,
                section,
                length: num(Some(&s.length_mm))?,
                pieces,
                // Lots carry the EN 10204 certificate: a bar from a lot is certified.
                certified: s.lot_id.is_some(),
                is_offcut: s.is_offcut,
                cost_per_kg: s.cost_per_kg_cents.map(cents).unwrap_or_default(),
            })
        })
        .filter(|c| c.pieces > 0)
        .collect();

    let prices: QuotePrices = settings::get(db, QUOTE_PRICES).await?.unwrap_or_default();
    let grades = material_grade::Entity::find().all(db).await?;
    let purchase_prices = prices
        .materials
        .iter()
        .filter_map(|p| {
            let g = grades
                .iter()
                .find(|g| g.code.eq_ignore_ascii_case(p.grade_code.trim()))?;
            Some(PurchasePrice {
                grade_id: g.id,
                price_per_kg: dec(&p.price_per_kg)?,
                certified_price_per_kg: p.certified_price_per_kg.as_deref().and_then(dec),
                certificate_fee: p
                    .certificate_fee
                    .as_deref()
                    .and_then(dec)
                    .unwrap_or_default(),
                lead_days: p.lead_days,
            })
        })
        .collect();
    let subcontract_prices = prices
        .treatments
        .iter()
        .filter_map(|t| {
            let price = dec(&t.price)?;
            Some(SubcontractPrice {
                treatment: t.treatment.trim().to_string(),
                supplier: t.supplier.trim().to_string(),
                basis: if t.basis == "per_kg" {
                    SubcontractBasis::PerKg(price)
                } else {
                    SubcontractBasis::PerPiece(price)
                },
                lot_charge: t.lot_charge.as_deref().and_then(dec).unwrap_or_default(),
                min_charge: t.min_charge.as_deref().and_then(dec).unwrap_or_default(),
                lead_days: t.lead_days,
            })
        })
        .collect();
    let pricing: Pricing = settings::get(db, crate::rates::PRICING)
        .await?
        .unwrap_or_default();
    Ok(ShopContext {
        machines,
        activity_rates,
        cutting_data,
        stock,
        purchase_prices,
        subcontract_prices,
        tools: tool_crib,
        settings: pricing_settings(&pricing),
        times: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pricing_parameters_reach_the_engine() {
        let p = Pricing {
            min_margin_pct: "12".into(),
            target_margin_pct: "20".into(),
            express_coef: "1.4".into(),
            express_48h_coef: "1.6".into(),
            economy_coef: "0.9".into(),
            version: 3,
        };
        let s = pricing_settings(&p);
        assert_eq!(s.min_margin_pct, Decimal::new(12, 0));
        assert_eq!(s.express_coef, Decimal::new(14, 1));
        assert_eq!(s.economy_coef, Decimal::new(9, 1));
        assert_eq!(s.time_margin_pct, 10.0);
    }

    #[test]
    fn tool_types_map_to_engine_kinds() {
        assert_eq!(tool_kind("foret"), Some(ToolKind::Percage));
        assert_eq!(tool_kind("fraise_a_surfacer"), Some(ToolKind::Surfacage));
        assert_eq!(tool_kind("porte_outil"), None);
    }

    #[test]
    fn quote_prices_are_validated_with_row_names() {
        let p = QuotePrices {
            materials: vec![GradePrice {
                grade_code: "C45".into(),
                price_per_kg: "abc".into(),
                certified_price_per_kg: None,
                certificate_fee: Some("-3".into()),
                lead_days: 5,
            }],
            treatments: vec![TreatmentPrice {
                treatment: "zingage".into(),
                supplier: "Galva Est".into(),
                basis: "per_litre".into(),
                price: "2.5".into(),
                lot_charge: None,
                min_charge: None,
                lead_days: 7,
            }],
        };
        let e = p.validate().unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "materials[0].price_per_kg",
                "materials[0].certificate_fee",
                "treatments[0].basis"
            ]
        );
    }
}
