//! Demo resources (DEMO-SHOP.md §2 machines, §4 people, §7 instruments).
//!
//! Date shift: DEMO-SHOP gives its dates against J0 = 2026-03-02. Every calibration,
//! certification and hire date below is moved by (today − J0) days when the demo is loaded, so
//! the states of J0 hold on the day of loading. Loaded on 2026-11-27 (shift = 270 days):
//! I09 plug gauge expired (due 2026-11-11), I05 micrometer due within a month (2026-12-20),
//! E04's habilitation électrique expired (2026-11-03), E05's SST due in 16 days (2026-12-13,
//! J-30 reminder), E12's CACES due in 41 days, E12's ISO 9606-1 FM5 expired.

use super::employees::{self, CertificationFields, EmployeeFields};
use super::instruments::{self, InstrumentFields};
use super::machines::{self, MachineFields};
use crate::ctx::Ctx;
use crate::error::AppError;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::BTreeMap;
use usinage_store::entities::user;

/// (code, name, type, range, resolution, location, interval months, last calibration at J0)
type InstrumentRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
);

/// (matricule, first, last, job, category, hire date, login, hours Mon–Sun, loaded €/h)
type PersonRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 7],
    &'static str,
);

/// DEMO-SHOP reference date.
pub const J0: (i32, u32, u32) = (2026, 3, 2);

fn j0() -> NaiveDate {
    NaiveDate::from_ymd_opt(J0.0, J0.1, J0.2).expect("valid J0")
}

/// Moves a DEMO-SHOP date (`YYYY-MM-DD` against J0) to the same distance from `today`.
pub fn shift(date: &str, today: NaiveDate) -> NaiveDate {
    let d: NaiveDate = date.parse().expect("demo date");
    d + (today - j0())
}

fn s(v: &str) -> Option<Option<String>> {
    Some(Some(v.to_string()))
}

fn i(v: i64) -> Option<Option<i64>> {
    Some(Some(v))
}

/// Machines, instruments, employees with skills and certifications; in the demo transaction.
pub async fn load_demo(tx: &DatabaseTransaction, ctx: &Ctx) -> Result<(), AppError> {
    // Paris is UTC+1/+2: one hour ahead is close enough for the demo's calendar day.
    let today = (chrono::Utc::now() + chrono::Duration::hours(1)).date_naive();
    load_demo_at(tx, ctx, today).await
}

pub async fn load_demo_at(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<(), AppError> {
    load_machines(tx, ctx, today).await?;
    load_instruments(tx, ctx, today).await?;
    load_people(tx, ctx, today).await?;
    Ok(())
}

async fn load_machines(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<(), AppError> {
    // Machine rate = DEMO-SHOP §2 selling rate; operator rate = labour €/h of §3's build-up
    // (27 €/h where §3 gives none).
    let base =
        |code: &str, name: &str, kind: &str, brand: &str, model: &str, year: i64| MachineFields {
            code: Some(code.into()),
            name: Some(name.into()),
            kind: Some(kind.into()),
            brand: s(brand),
            model: s(model),
            year: i(year),
            ..Default::default()
        };
    let list = vec![
        MachineFields {
            max_bar_diameter_mm: s("260"),
            bar_feeder: Some(true),
            chuck_table_size: s("Étau 260 × 260 mm"),
            cnc_controller: s("autre"),
            location: s("Zone débit"),
            machine_rate: s("45.00"),
            operator_rate: s("26.00"),
            hour_counter_h: s("9850"),
            notes: s(
                "Ruban bimétal 27 × 0,9 mm, avance barre automatique, vitesse de ruban 20–150 m/min.",
            ),
            ..base(
                "M01",
                "Scie à ruban automatique",
                "scie",
                "Behringer",
                "HBP 263A",
                2016,
            )
        },
        MachineFields {
            cnc_controller: s("haas"),
            travel_x_mm: s("262"),
            travel_y_mm: s("102"),
            travel_z_mm: s("533"),
            rotary_axes: s("Y ±51 mm, C 360°"),
            max_spindle_rpm: i(4_000),
            spindle_power_kw: s("14.9"),
            max_bar_diameter_mm: s("51"),
            bar_feeder: Some(true),
            chuck_table_size: s("Mandrin 210 mm"),
            tool_magazine_size: i(12),
            cam_software: s("TopSolid 7"),
            post_processor_ref: s("TopSolid — Haas NGC tour"),
            location: s("Cellule tournage"),
            machine_rate: s("75.00"),
            operator_rate: s("27.00"),
            hour_counter_h: s("11240"),
            ..base(
                "M02",
                "Centre de tournage axe Y",
                "tour_fraiseur",
                "Haas",
                "ST-20Y",
                2021,
            )
        },
        MachineFields {
            cnc_controller: s("mazak"),
            travel_y_mm: s("100"),
            rotary_axes: s("Y ±50 mm, C 360°"),
            max_spindle_rpm: i(4_000),
            spindle_power_kw: s("26"),
            max_bar_diameter_mm: s("76"),
            bar_feeder: Some(true),
            chuck_table_size: s("Mandrin 254 mm (10\")"),
            tool_magazine_size: i(12),
            cam_software: s("TopSolid 7"),
            post_processor_ref: s("TopSolid — Mazak EIA/ISO"),
            location: s("Cellule tournage"),
            machine_rate: s("75.00"),
            operator_rate: s("27.00"),
            hour_counter_h: s("18760"),
            ..base(
                "M03",
                "Centre de tournage axe Y",
                "tour_fraiseur",
                "Mazak",
                "QUICK TURN 250MY",
                2019,
            )
        },
        MachineFields {
            cnc_controller: s("haas"),
            travel_x_mm: s("762"),
            travel_y_mm: s("406"),
            travel_z_mm: s("508"),
            max_spindle_rpm: i(8_100),
            spindle_power_kw: s("22.4"),
            chuck_table_size: s("Table 914 × 356 mm"),
            max_part_mass_kg: s("1361"),
            tool_magazine_size: i(21),
            rapid_traverse_m_min: s("25.4"),
            cam_software: s("TopSolid 7"),
            post_processor_ref: s("TopSolid — Haas NGC fraisage"),
            location: s("Cellule fraisage"),
            machine_rate: s("70.00"),
            operator_rate: s("27.00"),
            hour_counter_h: s("14320"),
            notes: s(
                "Cône BT40. Ø3 à Vc 150 m/min demande 15 915 tr/min : plafonné à 8 100 tr/min.",
            ),
            ..base(
                "M04",
                "Centre d'usinage vertical 3 axes",
                "fraiseuse_3axes",
                "Haas",
                "VF-2",
                2018,
            )
        },
        MachineFields {
            cnc_controller: s("heidenhain"),
            travel_x_mm: s("650"),
            travel_y_mm: s("520"),
            travel_z_mm: s("475"),
            rotary_axes: s("B −35/+110°, C 360° continu"),
            max_spindle_rpm: i(15_000),
            tool_magazine_size: i(30),
            cam_software: s("TopSolid 7"),
            post_processor_ref: s("TopSolid — Heidenhain TNC 640"),
            location: s("Cellule fraisage"),
            machine_rate: s("105.00"),
            operator_rate: s("30.00"),
            hour_counter_h: s("6120"),
            notes: s("Broche HSK-A63."),
            ..base(
                "M05",
                "Centre d'usinage 5 axes",
                "fraiseuse_5axes",
                "DMG MORI",
                "DMU 50 (3e génération)",
                2023,
            )
        },
        MachineFields {
            chuck_table_size: s("Table de bridage 1 200 × 800 mm"),
            location: s("Zone soudure"),
            machine_rate: s("58.00"),
            operator_rate: s("27.00"),
            notes: s("TIG AC/DC 3–230 A, torche refroidie eau ; acier, inox, aluminium."),
            ..base(
                "M06",
                "Poste TIG AC/DC",
                "soudure",
                "Fronius",
                "MagicWave 230i",
                2020,
            )
        },
        MachineFields {
            travel_x_mm: s("500"),
            travel_y_mm: s("400"),
            travel_z_mm: s("400"),
            cam_software: s("MCOSMOS"),
            location: s("Salle de contrôle (20 ± 1 °C)"),
            machine_rate: s("85.00"),
            operator_rate: s("35.00"),
            notes: s("MPE_E0 = (1,7 + 3L/1000) µm ; tête motorisée, palpeur à déclenchement."),
            ..base(
                "M07",
                "Machine à mesurer tridimensionnelle",
                "mmt",
                "Mitutoyo",
                "CRYSTA-Apex V 544",
                2022,
            )
        },
        MachineFields {
            cnc_controller: s("autre"),
            chuck_table_size: s("Table 460 × 150 mm"),
            location: s("Cellule fraisage"),
            machine_rate: s("68.00"),
            operator_rate: s("27.00"),
            notes: s("Manuelle/hydraulique, visualisation seule. Meule Ø180. Achetée d'occasion."),
            ..base(
                "M08",
                "Rectifieuse plane",
                "rectifieuse",
                "Chevalier",
                "FSG-618M",
                2009,
            )
        },
    ];
    for f in list {
        machines::insert_demo(tx, ctx, today, f).await?;
    }
    Ok(())
}

async fn load_instruments(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<(), AppError> {
    // (code, name, type, range, resolution, location, interval months, last calibration at J0)
    #[rustfmt::skip]
    let rows: &[InstrumentRow] = &[
        ("I01", "Pied à coulisse numérique", "pied_a_coulisse", "0–150 mm", "0,01 mm", "Cellule tournage", 12, "2025-06-10"),
        ("I02", "Pied à coulisse numérique", "pied_a_coulisse", "0–150 mm", "0,01 mm", "Cellule fraisage", 12, "2025-06-10"),
        ("I03", "Pied à coulisse numérique", "pied_a_coulisse", "0–300 mm", "0,01 mm", "Zone soudure / débit", 12, "2025-09-02"),
        ("I04", "Micromètre d'extérieur", "micrometre", "0–25 mm", "0,001 mm", "Cellule tournage", 12, "2025-05-20"),
        ("I05", "Micromètre d'extérieur", "micrometre", "25–50 mm", "0,001 mm", "Cellule tournage", 12, "2025-03-24"),
        ("I06", "Micromètre d'extérieur", "micrometre", "50–75 mm", "0,001 mm", "Salle de contrôle", 12, "2025-10-07"),
        ("I07", "Alésomètre à comparateur", "alesometre", "18–35 mm", "0,001 mm", "Salle de contrôle", 12, "2025-07-15"),
        ("I08", "Alésomètre à comparateur", "alesometre", "50–100 mm", "0,001 mm", "Salle de contrôle", 12, "2025-07-15"),
        ("I09", "Tampon lisse entre/n'entre pas", "tampon_lisse", "Ø10 H7", "", "Cellule fraisage", 12, "2025-02-13"),
        ("I10", "Tampon lisse entre/n'entre pas", "tampon_lisse", "Ø20 H7", "", "Cellule fraisage", 12, "2025-11-04"),
        ("I11", "Tampon fileté", "tampon_filete", "M6-6H", "", "Cellule fraisage", 12, "2025-08-26"),
        ("I12", "Tampon fileté", "tampon_filete", "M8-6H", "", "Cellule fraisage", 12, "2025-08-26"),
        ("I13", "Colonne de mesure numérique", "colonne_mesure", "0–600 mm", "0,001 mm", "Salle de contrôle", 12, "2025-12-01"),
        ("I14", "Rugosimètre portable", "rugosimetre", "Ra 0,05–16 µm", "", "Salle de contrôle", 12, "2025-04-28"),
        ("I15", "Comparateur à levier + support", "comparateur", "±0,4 mm", "0,002 mm", "Partagé", 12, "2025-09-15"),
        ("I16", "Coffret de cales étalons 87 pièces", "cale_etalon", "acier, classe 1", "", "Salle de contrôle", 36, "2024-05-06"),
        ("I17", "MMT M07 (vérification ISO 10360-2)", "mmt", "500/400/400 mm", "MPE_E0 (1,7 + 3L/1000) µm", "Salle de contrôle, 20 ± 1 °C", 12, "2025-09-29"),
    ];
    for (n, (code, name, kind, range, res, loc, months, last)) in rows.iter().enumerate() {
        let last = shift(last, today);
        let lab = match *code {
            "I16" => "Laboratoire accrédité COFRAC",
            "I17" => "Mitutoyo France (ISO 10360-2)",
            _ => "Nadia Belkacem (qualité, étalonnage interne)",
        };
        let f = InstrumentFields {
            code: Some(code.to_string()),
            name: Some(name.to_string()),
            instrument_type: Some(kind.to_string()),
            range: s(range),
            resolution: s(res),
            serial: s(&format!("SN-{}-{:04}", kind.len() * 7 + 1000, 311 + n * 17)),
            location: s(loc),
            calibration_interval_months: Some(*months),
            last_calibration: Some(Some(last.to_string())),
            ..Default::default()
        };
        let cert = format!("CE-{}-{code}", last.format("%Y%m"));
        instruments::insert_demo(tx, ctx, today, f, lab, Some(cert)).await?;
    }
    Ok(())
}

async fn load_people(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<(), AppError> {
    const H39: [&str; 7] = ["8.5", "8.5", "8.5", "8.5", "5", "0", "0"];
    // (matricule, first, last, job, category, hire date (against J0), login, hours, €/h loaded)
    #[rustfmt::skip]
    let people: &[PersonRow] = &[
        ("E01", "Marc", "Fayolle", "Gérant, grands comptes, investissements", "tns", "2008-09-01", "direction", ["9", "9", "9", "9", "9", "0", "0"], "50.00"),
        ("E02", "Sandrine", "Bessenay", "Responsable méthodes & devis", "cadre", "2012-01-09", "methode", H39, "39.50"),
        ("E03", "Julien", "Ravel", "Programmeur CN / FAO (TopSolid, 5 axes)", "etam", "2016-04-04", "", H39, "35.00"),
        ("E04", "Thierry", "Gonon", "Chef d'atelier", "etam", "2010-03-01", "chef", H39, "36.50"),
        ("E05", "Nadia", "Belkacem", "Responsable qualité & métrologie", "etam", "2018-09-03", "qualite", H39, "35.00"),
        ("E06", "Camille", "Perret", "Commerciale / ADV", "etam", "2020-02-03", "commercial", H39, "31.00"),
        ("E07", "Martine", "Chorain", "Comptable (mi-temps)", "employe", "2015-06-01", "compta", ["7", "7", "0", "3.5", "0", "0", "0"], "32.00"),
        ("E08", "Kévin", "Dumas", "Tourneur-régleur CN (référent M03)", "ouvrier", "2014-10-06", "operateur", H39, "28.50"),
        ("E09", "Lucas", "Brunel", "Tourneur CN (M02)", "ouvrier", "2024-03-04", "operateur2", H39, "23.50"),
        ("E10", "Romain", "Tissot", "Fraiseur-régleur 5 axes (M05)", "ouvrier", "2013-05-13", "", H39, "30.00"),
        ("E11", "Mehdi", "Aït-Ali", "Fraiseur 3 axes, scieur, rectifieur", "ouvrier", "2019-01-07", "", H39, "26.00"),
        ("E12", "Sébastien", "Pelletier", "Soudeur TIG / chaudronnier, débit", "ouvrier", "2017-11-06", "", H39, "27.50"),
    ];
    const SKILLS: [&str; 9] = [
        "SAW", "LATHE_Y", "MILL3", "MILL5", "WELD_TIG", "GRIND", "CMM", "CAM", "DEBURR",
    ];
    #[rustfmt::skip]
    let matrix: &[(&str, [i64; 9])] = &[
        ("E02", [1, 2, 2, 1, 0, 0, 2, 3, 1]),
        ("E03", [1, 2, 3, 3, 0, 0, 2, 3, 1]),
        ("E04", [2, 3, 3, 2, 1, 2, 2, 2, 2]),
        ("E05", [0, 0, 0, 0, 0, 0, 3, 1, 1]),
        ("E08", [2, 3, 2, 0, 0, 1, 1, 1, 2]),
        ("E09", [2, 2, 1, 0, 0, 0, 1, 0, 2]),
        ("E10", [1, 1, 3, 3, 0, 0, 2, 2, 2]),
        ("E11", [3, 1, 2, 1, 0, 2, 1, 0, 2]),
        ("E12", [3, 0, 1, 0, 3, 1, 0, 0, 3]),
    ];
    #[rustfmt::skip]
    let certs: &[(&str, &str, &str, &str, Option<&str>)] = &[
        ("E12", "caces_r489", "CACES® R489 cat. 3 — chariot frontal ≤ 6 t", "2021-04-12", Some("2026-04-12")),
        ("E11", "caces_r489", "CACES® R489 cat. 3 — chariot frontal ≤ 6 t", "2023-06-05", Some("2028-06-05")),
        ("E04", "caces_r489", "CACES® R489 cat. 3 — chariot frontal ≤ 6 t", "2022-09-19", Some("2027-09-19")),
        ("E04", "habilitation_electrique", "Habilitation BS + BE Manœuvre", "2023-02-06", Some("2026-02-06")),
        ("E08", "habilitation_electrique", "Habilitation BS + BE Manœuvre", "2024-10-03", Some("2027-10-03")),
        ("E10", "habilitation_electrique", "Habilitation BE Manœuvre", "2025-01-15", Some("2028-01-15")),
        ("E12", "iso_9606", "ISO 9606-1 141 P BW FM1 S t3.0 PA ss nb (acier, bout à bout)", "2024-05-14", Some("2027-05-14")),
        ("E12", "iso_9606", "ISO 9606-1 141 P FW FM5 S t3.0 PB ml (inox, angle)", "2023-09-20", Some("2025-09-20")),
        ("E12", "iso_9606", "ISO 9606-2 141 P FW 23 S t3.0 PB ml (aluminium 6xxx)", "2025-06-02", Some("2027-06-02")),
        ("E05", "sst", "Sauveteur secouriste du travail", "2024-03-18", Some("2026-03-18")),
        ("E10", "sst", "Sauveteur secouriste du travail", "2025-03-10", Some("2027-03-10")),
        ("E05", "formation", "Auditeur interne EN 9100 / EN 9102 (FAI)", "2025-06-12", None),
        ("E01", "caces_r484", "Pont roulant R484 cat. 1 — 3,2 t, boîte à boutons", "2024-01-22", Some("2029-01-22")),
        ("E04", "caces_r484", "Pont roulant R484 cat. 1 — 3,2 t, boîte à boutons", "2024-01-22", Some("2029-01-22")),
    ];
    let mut ids = BTreeMap::new();
    for (mat, first, last, job, cat, hire, login, hours, cost) in people {
        let user_id = if login.is_empty() {
            None
        } else {
            user::Entity::find()
                .filter(user::Column::Login.eq(*login))
                .one(tx)
                .await?
                .map(|u| u.id)
        };
        let skills = matrix.iter().find(|(m, _)| m == mat).map(|(_, levels)| {
            SKILLS
                .iter()
                .zip(levels)
                .map(|(k, l)| (k.to_string(), *l))
                .collect::<BTreeMap<_, _>>()
        });
        let f = EmployeeFields {
            matricule: Some(mat.to_string()),
            first_name: Some(first.to_string()),
            last_name: Some(last.to_string()),
            job_title: s(job),
            category: Some(cat.to_string()),
            hire_date: Some(Some(shift(hire, today).to_string())),
            user_id: Some(user_id),
            weekly_hours: Some(hours.iter().map(|h| h.to_string()).collect()),
            hourly_cost: s(cost),
            skills,
            ..Default::default()
        };
        let e = employees::insert_demo(tx, ctx, today, f).await?;
        ids.insert(*mat, e.id);
    }
    for (mat, kind, designation, issued, expires) in certs {
        let f = CertificationFields {
            kind: Some(kind.to_string()),
            designation: Some(designation.to_string()),
            issued_on: Some(shift(issued, today).to_string()),
            expires_on: Some(expires.map(|e| shift(e, today).to_string())),
            active: Some(true),
        };
        employees::insert_demo_cert(tx, ctx, today, ids[mat], f).await?;
    }
    Ok(())
}
