//! People (module `hr`): employee records, skills (level 0–3 per process), certifications and
//! authorisations with their validity, weekly working calendar, hourly cost; reminders at J-30
//! and J-10 before a certification expires.

use super::{check_code, code_taken, double_option, label_of, opt_money, opt_text, req_text, url};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use crate::units;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use usinage_store::Db;
use usinage_store::entities::{employee, employee_certification, employee_skill, user};

// ---------------------------------------------------------------------------------------------
// Pure rules.

/// State of a certification on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificationState {
    Valide,
    /// Expires within 30 days (inclusive of its last valid day).
    ExpireBientot,
    Expire,
}

impl CertificationState {
    pub fn code(self) -> &'static str {
        match self {
            CertificationState::Valide => "valide",
            CertificationState::ExpireBientot => "expire_bientot",
            CertificationState::Expire => "expire",
        }
    }
    pub fn label(self, english: bool) -> &'static str {
        match (self, english) {
            (CertificationState::Valide, false) => "Valide",
            (CertificationState::Valide, true) => "Valid",
            (CertificationState::ExpireBientot, false) => "Expire bientôt",
            (CertificationState::ExpireBientot, true) => "Expiring soon",
            (CertificationState::Expire, false) => "Expirée",
            (CertificationState::Expire, true) => "Expired",
        }
    }
}

/// A certification is valid up to and including its `expires_on` date; none = no expiry.
pub fn certification_state(expires_on: Option<NaiveDate>, today: NaiveDate) -> CertificationState {
    match expires_on.map(|e| (e - today).num_days()) {
        None => CertificationState::Valide,
        Some(d) if d < 0 => CertificationState::Expire,
        Some(d) if d <= 30 => CertificationState::ExpireBientot,
        Some(_) => CertificationState::Valide,
    }
}

/// Reminder stage of a certification on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStage {
    /// From J-30 to J-11.
    J30,
    /// From J-10 to the last valid day (J).
    J10,
    /// After expiry.
    Expire,
}

impl ReminderStage {
    pub fn code(self) -> &'static str {
        match self {
            ReminderStage::J30 => "j30",
            ReminderStage::J10 => "j10",
            ReminderStage::Expire => "expire",
        }
    }
}

/// Which reminder is due on `date` for a certification expiring on `expires_on`.
///
/// DOMAIN §3.3/W4: reminders at J-30 and J-10 before expiry. A reminder stays due until the
/// next one replaces it (J-30 from 30 to 11 days before, J-10 from 10 days before to the last
/// valid day), so a day when nobody opens the alerts page loses nothing; after expiry the
/// stage is `expire`.
pub fn reminder_stage(expires_on: NaiveDate, date: NaiveDate) -> Option<ReminderStage> {
    let days = (expires_on - date).num_days();
    match days {
        d if d < 0 => Some(ReminderStage::Expire),
        0..=10 => Some(ReminderStage::J10),
        11..=30 => Some(ReminderStage::J30),
        _ => None,
    }
}

/// Plain input of the reminder rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificationDue {
    pub certification_id: i64,
    pub expires_on: NaiveDate,
}

/// The reminders due on `date` among `certs`, soonest expiry first: (certification id, stage,
/// days left — negative once expired).
pub fn due_reminders(
    certs: &[CertificationDue],
    date: NaiveDate,
) -> Vec<(i64, ReminderStage, i64)> {
    let mut out: Vec<(i64, ReminderStage, i64, NaiveDate)> = certs
        .iter()
        .filter_map(|c| {
            reminder_stage(c.expires_on, date).map(|s| {
                (
                    c.certification_id,
                    s,
                    (c.expires_on - date).num_days(),
                    c.expires_on,
                )
            })
        })
        .collect();
    out.sort_by_key(|(id, _, _, e)| (*e, *id));
    out.into_iter().map(|(i, s, d, _)| (i, s, d)).collect()
}

/// Weekly hours: sum of the 7 days.
pub fn weekly_total(hours: &[Decimal]) -> Decimal {
    hours.iter().copied().sum()
}

// ---------------------------------------------------------------------------------------------
// Reference tables.

pub const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "tns",
        "Travailleur non salarié (gérant)",
        "Self-employed (manager)",
    ),
    ("cadre", "Cadre", "Executive"),
    ("etam", "ETAM", "Technician / supervisor"),
    ("employe", "Employé", "Clerical employee"),
    ("ouvrier", "Ouvrier", "Worker"),
    ("apprenti", "Apprenti", "Apprentice"),
    ("interimaire", "Intérimaire", "Temporary worker"),
];

/// Skill codes (DEMO-SHOP §4), process or machine kind.
pub const SKILLS: &[(&str, &str, &str)] = &[
    ("SAW", "Sciage", "Sawing"),
    ("LATHE", "Tournage CN 2 axes", "CNC turning"),
    (
        "LATHE_Y",
        "Tournage axe Y / C, outils tournants",
        "Y/C-axis turning",
    ),
    ("MILL3", "Fraisage 3 axes", "3-axis milling"),
    ("MILL4", "Fraisage 4 axes", "4-axis milling"),
    ("MILL5", "Fraisage 5 axes", "5-axis milling"),
    ("WELD_TIG", "Soudure TIG", "TIG welding"),
    ("WELD_MIG", "Soudure MIG/MAG", "MIG/MAG welding"),
    ("BEND", "Pliage", "Bending"),
    ("GRIND", "Rectification", "Grinding"),
    ("EDM", "Électroérosion", "EDM"),
    ("CMM", "Mesure MMT", "CMM measuring"),
    ("CAM", "Programmation FAO", "CAM programming"),
    ("DEBURR", "Ébavurage", "Deburring"),
];

pub const LEVELS: &[(i32, &str, &str)] = &[
    (0, "Aucune", "None"),
    (1, "Sous supervision", "Under supervision"),
    (2, "Autonome", "Autonomous"),
    (3, "Expert / formateur", "Expert / trainer"),
];

pub const CERT_KINDS: &[(&str, &str, &str)] = &[
    (
        "caces_r489",
        "CACES® R489 (chariots)",
        "CACES R489 (forklifts)",
    ),
    ("caces_r484", "Pont roulant (R484)", "Overhead crane (R484)"),
    (
        "habilitation_electrique",
        "Habilitation électrique",
        "Electrical authorisation",
    ),
    (
        "iso_9606",
        "Qualification soudeur ISO 9606",
        "ISO 9606 welder qualification",
    ),
    (
        "sst",
        "Sauveteur secouriste du travail (SST)",
        "Workplace first aid (SST)",
    ),
    ("formation", "Formation", "Training"),
    ("autre", "Autre", "Other"),
];

// ---------------------------------------------------------------------------------------------
// Views.

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CertificationView {
    pub id: i64,
    pub employee_id: i64,
    pub kind: String,
    pub kind_label: String,
    pub designation: String,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// `valide`, `expire_bientot`, `expire`
    pub state: String,
    pub state_label: String,
    pub days_left: Option<i64>,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn certification_view(
    c: &employee_certification::Model,
    today: NaiveDate,
    english: bool,
) -> CertificationView {
    let st = certification_state(c.expires_on, today);
    CertificationView {
        id: c.id,
        employee_id: c.employee_id,
        kind: c.kind.clone(),
        kind_label: label_of(CERT_KINDS, &c.kind, english),
        designation: c.designation.clone(),
        issued_on: c.issued_on,
        expires_on: c.expires_on,
        state: st.code().into(),
        state_label: st.label(english).into(),
        days_left: c.expires_on.map(|e| (e - today).num_days()),
        active: c.active,
        created_at: c.created_at,
        updated_at: c.updated_at,
        version: c.version,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmployeeView {
    pub id: i64,
    pub matricule: String,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub job_title: Option<String>,
    pub category: String,
    pub category_label: String,
    pub hire_date: Option<NaiveDate>,
    pub user_id: Option<i64>,
    pub active: bool,
    pub status: String,
    pub status_label: String,
    /// Hours per weekday, Monday first (7 decimal strings).
    pub weekly_hours: Vec<String>,
    pub weekly_total: String,
    /// Euros per hour (loaded cost), `"28.50"`.
    pub hourly_cost: Option<String>,
    /// Skill code → level 1–3 (absent = 0).
    pub skills: BTreeMap<String, i32>,
    pub certifications: Vec<CertificationView>,
    /// Worst certification state (`valide` when none).
    pub certifications_state: String,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn parse_hours(s: &str) -> Vec<Decimal> {
    serde_json::from_str::<Vec<String>>(s)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| h.parse().ok())
        .collect()
}

pub fn view(
    e: &employee::Model,
    skills: &[employee_skill::Model],
    certs: &[employee_certification::Model],
    today: NaiveDate,
    base_url: &str,
    english: bool,
) -> EmployeeView {
    let hours = parse_hours(&e.weekly_hours);
    let certifications: Vec<CertificationView> = certs
        .iter()
        .filter(|c| c.employee_id == e.id)
        .map(|c| certification_view(c, today, english))
        .collect();
    let worst = certs
        .iter()
        .filter(|c| c.employee_id == e.id && c.active)
        .map(|c| certification_state(c.expires_on, today))
        .max_by_key(|s| match s {
            CertificationState::Valide => 0,
            CertificationState::ExpireBientot => 1,
            CertificationState::Expire => 2,
        })
        .unwrap_or(CertificationState::Valide);
    EmployeeView {
        id: e.id,
        matricule: e.matricule.clone(),
        first_name: e.first_name.clone(),
        last_name: e.last_name.clone(),
        full_name: format!("{} {}", e.first_name, e.last_name),
        job_title: e.job_title.clone(),
        category: e.category.clone(),
        category_label: label_of(CATEGORIES, &e.category, english),
        hire_date: e.hire_date,
        user_id: e.user_id,
        active: e.active,
        status: if e.active { "actif" } else { "inactif" }.into(),
        status_label: match (e.active, english) {
            (true, false) => "Actif",
            (true, true) => "Active",
            (false, false) => "Inactif",
            (false, true) => "Inactive",
        }
        .into(),
        weekly_hours: hours.iter().map(|h| h.normalize().to_string()).collect(),
        weekly_total: weekly_total(&hours).normalize().to_string(),
        hourly_cost: e.hourly_cost_cents.map(units::cents_to_string),
        skills: skills
            .iter()
            .filter(|s| s.employee_id == e.id)
            .map(|s| (s.skill.clone(), s.level))
            .collect(),
        certifications,
        certifications_state: worst.code().into(),
        url: url(base_url, "employees", e.id),
        created_at: e.created_at,
        updated_at: e.updated_at,
        version: e.version,
    }
}

fn snapshot(e: &employee::Model, skills: &BTreeMap<String, i32>) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("created_at");
        o.remove("updated_at");
        o.insert(
            "skills".into(),
            serde_json::to_value(skills).unwrap_or_default(),
        );
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Employees.

/// Fields for creation (absent = empty) and PATCH (absent = unchanged, `null` = cleared).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EmployeeFields {
    pub matricule: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub job_title: Option<Option<String>>,
    /// `tns`, `cadre`, `etam`, `employe`, `ouvrier`, `apprenti`, `interimaire`
    pub category: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub hire_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<Option<i64>>,
    pub active: Option<bool>,
    /// 7 decimal strings, Monday first, each 0–12 h, total ≤ 48 h.
    pub weekly_hours: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub hourly_cost: Option<Option<String>>,
    /// Skill code → level 0–3; replaces the whole set when present.
    pub skills: Option<BTreeMap<String, i64>>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct EmployeePatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: EmployeeFields,
}

fn pick<T: Clone>(p: &Option<Option<T>>, cur: Option<T>) -> Option<T> {
    match p {
        Some(x) => x.clone(),
        None => cur,
    }
}

fn date_field(v: &mut Validator, field: &str, s: Option<&str>) -> Option<NaiveDate> {
    let s = s.map(str::trim).filter(|s| !s.is_empty())?;
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            v.add(
                field,
                "invalid_date",
                format!("Date « {s} » invalide : format AAAA-MM-JJ attendu."),
                format!("Invalid date “{s}”: YYYY-MM-DD expected."),
            );
            None
        }
    }
}

pub const DEFAULT_HOURS: [&str; 7] = ["7", "7", "7", "7", "7", "0", "0"];

#[derive(Debug)]
struct Built {
    am: employee::ActiveModel,
    skills: Option<BTreeMap<String, i32>>,
}

fn build(
    cur: Option<&employee::Model>,
    f: &EmployeeFields,
    today: NaiveDate,
) -> Result<Built, AppError> {
    let mut v = Validator::default();
    let matricule = super::record_code(
        &mut v,
        "matricule",
        f.matricule.as_deref().or(cur.map(|m| m.matricule.as_str())),
    );
    let first_name = req_text(
        &mut v,
        "first_name",
        f.first_name
            .as_deref()
            .or(cur.map(|m| m.first_name.as_str())),
        100,
        "Le prénom",
        "The first name",
    );
    let last_name = req_text(
        &mut v,
        "last_name",
        f.last_name.as_deref().or(cur.map(|m| m.last_name.as_str())),
        100,
        "Le nom",
        "The last name",
    );
    let job_title = opt_text(
        &mut v,
        "job_title",
        pick(&f.job_title, cur.and_then(|m| m.job_title.clone())).as_deref(),
        200,
    );
    let category = check_code(
        &mut v,
        "category",
        f.category.as_deref().or(cur.map(|m| m.category.as_str())),
        CATEGORIES,
        true,
    );
    let hire_date = match &f.hire_date {
        Some(s) => {
            let d = date_field(&mut v, "hire_date", s.as_deref());
            let latest = today
                .checked_add_months(chrono::Months::new(12))
                .unwrap_or(today);
            let earliest = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(today);
            if d.is_some_and(|d| d > latest || d < earliest) {
                v.add(
                    "hire_date",
                    "out_of_range",
                    "La date d'embauche doit être entre 1950 et dans un an au plus.",
                    "The hire date must be between 1950 and one year from now.",
                );
            }
            d
        }
        None => cur.and_then(|m| m.hire_date),
    };
    let user_id = pick(&f.user_id, cur.and_then(|m| m.user_id));
    let hours: Vec<String> = match &f.weekly_hours {
        Some(h) => h.clone(),
        None => cur
            .map(|m| {
                parse_hours(&m.weekly_hours)
                    .iter()
                    .map(|d| d.to_string())
                    .collect()
            })
            .unwrap_or_else(|| DEFAULT_HOURS.iter().map(|s| s.to_string()).collect()),
    };
    let mut parsed = vec![];
    if hours.len() != 7 {
        v.add(
            "weekly_hours",
            "seven_days",
            "Le calendrier hebdomadaire donne les heures des 7 jours, du lundi au dimanche.",
            "The weekly calendar gives the hours of the 7 days, Monday to Sunday.",
        );
    } else {
        let mut sub = Validator::default();
        for h in &hours {
            if let Some(d) = units::decimal_field(
                &mut sub,
                "weekly_hours",
                h,
                2,
                Decimal::ZERO,
                Decimal::from(12),
            ) {
                parsed.push(d);
            }
        }
        if let Some(e) = sub.errors.into_iter().next() {
            v.add(
                "weekly_hours",
                &e.code,
                format!("Heures par jour : {}", e.message.fr),
                format!("Hours per day: {}", e.message.en),
            );
        } else if weekly_total(&parsed) > Decimal::from(48) {
            v.add(
                "weekly_hours",
                "over_48h",
                "La durée hebdomadaire dépasse 48 h (maximum légal, Code du travail L3121-20).",
                "Weekly hours exceed 48 h (legal maximum in France).",
            );
        }
    }
    let hourly_cost = opt_money(
        &mut v,
        "hourly_cost",
        pick(
            &f.hourly_cost,
            cur.and_then(|m| m.hourly_cost_cents.map(units::cents_to_string)),
        )
        .as_deref(),
    );
    let skills = f.skills.as_ref().map(|map| {
        let mut out = BTreeMap::new();
        for (code, level) in map {
            let code = code.trim().to_uppercase();
            if !SKILLS.iter().any(|(c, _, _)| *c == code) {
                let list: Vec<&str> = SKILLS.iter().map(|(c, _, _)| *c).collect();
                v.add(
                    "skills",
                    "unknown_skill",
                    format!(
                        "Compétence inconnue « {code} » (possibles : {}).",
                        list.join(", ")
                    ),
                    format!("Unknown skill “{code}” (allowed: {}).", list.join(", ")),
                );
            } else if !(0..=3).contains(level) {
                v.add(
                    "skills",
                    "invalid_level",
                    format!("Niveau {level} invalide pour {code} : 0 à 3."),
                    format!("Invalid level {level} for {code}: 0 to 3."),
                );
            } else if *level > 0 {
                out.insert(code, *level as i32);
            }
        }
        out
    });
    v.finish()?;
    let hours_json = serde_json::to_string(
        &parsed
            .iter()
            .map(|d| d.normalize().to_string())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into());
    Ok(Built {
        am: employee::ActiveModel {
            matricule: Set(matricule),
            first_name: Set(first_name),
            last_name: Set(last_name),
            job_title: Set(job_title),
            category: Set(category.unwrap_or_default()),
            hire_date: Set(hire_date),
            user_id: Set(user_id),
            active: Set(f.active.or(cur.map(|m| m.active)).unwrap_or(true)),
            weekly_hours: Set(hours_json),
            hourly_cost_cents: Set(hourly_cost),
            ..Default::default()
        },
        skills,
    })
}

/// Uniqueness of the matricule and validity of the linked account, checked in the write
/// transaction.
async fn check_links<C: sea_orm::ConnectionTrait>(
    c: &C,
    am: &employee::ActiveModel,
    except: Option<i64>,
) -> Result<(), AppError> {
    let mut errors = vec![];
    let matricule = am.matricule.clone().unwrap();
    let mut s = employee::Entity::find().filter(employee::Column::Matricule.eq(matricule.as_str()));
    if let Some(id) = except {
        s = s.filter(employee::Column::Id.ne(id));
    }
    if s.one(c).await?.is_some() {
        errors.push(code_taken("matricule", &matricule));
    }
    if let Some(uid) = am.user_id.clone().unwrap() {
        if user::Entity::find_by_id(uid).one(c).await?.is_none() {
            errors.push(crate::error::FieldError::new(
                "user_id",
                "unknown_user",
                format!("Le compte utilisateur n° {uid} n'existe pas."),
                format!("User account #{uid} does not exist."),
            ));
        } else {
            let mut s = employee::Entity::find().filter(employee::Column::UserId.eq(uid));
            if let Some(id) = except {
                s = s.filter(employee::Column::Id.ne(id));
            }
            if let Some(other) = s.one(c).await? {
                errors.push(crate::error::FieldError::new(
                    "user_id",
                    "user_linked",
                    format!(
                        "Ce compte est déjà lié à la fiche {} ({} {}).",
                        other.matricule, other.first_name, other.last_name
                    ),
                    format!(
                        "This account is already linked to record {} ({} {}).",
                        other.matricule, other.first_name, other.last_name
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(errors))
    }
}

/// The employee record owns the link to a user account; `users.employee_id` mirrors it so a
/// logged-in operator is his employee record (skills, clocking). Called in the writer's
/// transaction.
pub async fn sync_user_link<C: sea_orm::ConnectionTrait>(
    c: &C,
    employee_id: i64,
    user_id: Option<i64>,
) -> Result<(), AppError> {
    let mut unlink = user::Entity::update_many()
        .col_expr(user::Column::EmployeeId, Expr::value(Option::<i64>::None))
        .filter(user::Column::EmployeeId.eq(employee_id));
    if let Some(uid) = user_id {
        unlink = unlink.filter(user::Column::Id.ne(uid));
    }
    unlink.exec(c).await?;
    if let Some(uid) = user_id {
        user::Entity::update_many()
            .col_expr(user::Column::EmployeeId, Expr::value(employee_id))
            .filter(user::Column::Id.eq(uid))
            .exec(c)
            .await?;
    }
    Ok(())
}

async fn write_skills<C: sea_orm::ConnectionTrait>(
    c: &C,
    employee_id: i64,
    skills: &BTreeMap<String, i32>,
) -> Result<(), AppError> {
    employee_skill::Entity::delete_many()
        .filter(employee_skill::Column::EmployeeId.eq(employee_id))
        .exec(c)
        .await?;
    let rows: Vec<employee_skill::ActiveModel> = skills
        .iter()
        .map(|(k, l)| employee_skill::ActiveModel {
            employee_id: Set(employee_id),
            skill: Set(k.clone()),
            level: Set(*l),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        employee_skill::Entity::insert_many(rows)
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

async fn skills_map<C: sea_orm::ConnectionTrait>(
    c: &C,
    employee_id: i64,
) -> Result<BTreeMap<String, i32>, AppError> {
    Ok(employee_skill::Entity::find()
        .filter(employee_skill::Column::EmployeeId.eq(employee_id))
        .all(c)
        .await?
        .into_iter()
        .map(|s| (s.skill, s.level))
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct EmployeeFilter {
    pub category: Option<String>,
    pub active: Option<bool>,
    /// Only employees with at least `min_level` (default 2, autonomous) on this skill.
    pub skill: Option<String>,
    pub min_level: Option<i32>,
}

pub const SORTABLE: &[&str] = &[
    "matricule",
    "last_name",
    "first_name",
    "category",
    "hire_date",
    "created_at",
    "updated_at",
    "id",
];

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &EmployeeFilter,
) -> Result<Page<employee::Model>, AppError> {
    ctx.require(Module::Hr, Action::Read)?;
    let mut v = Validator::default();
    let category = check_code(&mut v, "category", f.category.as_deref(), CATEGORIES, false);
    let skill = f.skill.as_deref().map(|s| s.trim().to_uppercase());
    let skill = check_code(&mut v, "skill", skill.as_deref(), SKILLS, false);
    if f.min_level.is_some_and(|l| !(1..=3).contains(&l)) {
        v.add(
            "min_level",
            "invalid_level",
            "Le niveau minimal va de 1 à 3.",
            "The minimum level is 1 to 3.",
        );
    }
    v.finish()?;
    use employee::Column as C;
    let mut s = employee::Entity::find();
    if let Some(cat) = category {
        s = s.filter(C::Category.eq(cat));
    }
    if let Some(a) = f.active {
        s = s.filter(C::Active.eq(a));
    }
    if let Some(sk) = skill {
        let min = f.min_level.unwrap_or(2);
        s = s.filter(
            C::Id.in_subquery(
                Query::select()
                    .column(employee_skill::Column::EmployeeId)
                    .from(employee_skill::Entity)
                    .and_where(employee_skill::Column::Skill.eq(sk))
                    .and_where(employee_skill::Column::Level.gte(min))
                    .to_owned(),
            ),
        );
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: C| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(C::Matricule)
                .or(like(C::FirstName))
                .or(like(C::LastName))
                .or(like(C::JobTitle)),
        );
    }
    let col = |f: &str| match f {
        "matricule" => C::Matricule,
        "last_name" => C::LastName,
        "first_name" => C::FirstName,
        "category" => C::Category,
        "hire_date" => C::HireDate,
        "created_at" => C::CreatedAt,
        "updated_at" => C::UpdatedAt,
        _ => C::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(C::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(C::Id),
        None => s.order_by_asc(C::Matricule),
    };
    fetch_page(s, q, &db.conn).await
}

/// Skills and certifications of these employees (for views).
pub async fn details_of(
    db: &Db,
    ids: &[i64],
) -> Result<
    (
        Vec<employee_skill::Model>,
        Vec<employee_certification::Model>,
    ),
    AppError,
> {
    if ids.is_empty() {
        return Ok((vec![], vec![]));
    }
    let skills = employee_skill::Entity::find()
        .filter(employee_skill::Column::EmployeeId.is_in(ids.iter().copied()))
        .all(&db.conn)
        .await?;
    let certs = employee_certification::Entity::find()
        .filter(employee_certification::Column::EmployeeId.is_in(ids.iter().copied()))
        .order_by_asc(employee_certification::Column::ExpiresOn)
        .order_by_asc(employee_certification::Column::Id)
        .all(&db.conn)
        .await?;
    Ok((skills, certs))
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<employee::Model, AppError> {
    ctx.require(Module::Hr, Action::Read)?;
    find(&db.conn, id).await
}

async fn find<C: sea_orm::ConnectionTrait>(c: &C, id: i64) -> Result<employee::Model, AppError> {
    employee::Entity::find_by_id(id)
        .one(c)
        .await?
        .ok_or_else(|| AppError::not_found("Salarié", "Employee"))
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    f: EmployeeFields,
) -> Result<employee::Model, AppError> {
    ctx.require(Module::Hr, Action::Create)?;
    let b = build(None, &f, today)?;
    let tx = db.write().await?;
    let e = insert(&tx.tx, ctx, b).await?;
    tx.commit().await?;
    Ok(e)
}

/// Validates and inserts one employee inside the caller's transaction (imports); the caller
/// checks the right.
pub async fn create_in(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
    f: &EmployeeFields,
) -> Result<employee::Model, AppError> {
    let b = build(None, f, today)?;
    insert(tx, ctx, b).await
}

async fn insert(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    b: Built,
) -> Result<employee::Model, AppError> {
    let mut am = b.am;
    check_links(tx, &am, None).await?;
    let now = crate::now();
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let e = am.insert(tx).await?;
    sync_user_link(tx, e.id, e.user_id).await?;
    let skills = b.skills.unwrap_or_default();
    write_skills(tx, e.id, &skills).await?;
    audit::record(
        tx,
        ctx,
        "employee",
        &e.id.to_string(),
        "create",
        None,
        Some(snapshot(&e, &skills)),
    )
    .await?;
    Ok(e)
}

pub async fn update(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    id: i64,
    p: EmployeePatch,
) -> Result<employee::Model, AppError> {
    ctx.require(Module::Hr, Action::Update)?;
    let current = find(&db.conn, id).await?;
    let b = build(Some(&current), &p.fields, today)?;
    if p.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let mut am = b.am;
    check_links(&tx.tx, &am, Some(id)).await?;
    let before_skills = skills_map(&tx.tx, id).await?;
    am.updated_at = Set(crate::now());
    am.version = Set(current.version + 1);
    let res = employee::Entity::update_many()
        .set(am)
        .filter(employee::Column::Id.eq(id))
        .filter(employee::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let after_skills = match &b.skills {
        Some(s) => {
            write_skills(&tx.tx, id, s).await?;
            s.clone()
        }
        None => before_skills.clone(),
    };
    let updated = find(&tx.tx, id).await?;
    if updated.user_id != current.user_id {
        sync_user_link(&tx.tx, id, updated.user_id).await?;
    }
    audit::record(
        &tx.tx,
        ctx,
        "employee",
        &id.to_string(),
        "update",
        Some(snapshot(&current, &before_skills)),
        Some(snapshot(&updated, &after_skills)),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Certifications.

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CertificationFields {
    pub kind: Option<String>,
    pub designation: Option<String>,
    /// `YYYY-MM-DD`
    pub issued_on: Option<String>,
    /// `YYYY-MM-DD`, or null for no expiry.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub expires_on: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CertificationPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: CertificationFields,
}

fn build_cert(
    cur: Option<&employee_certification::Model>,
    f: &CertificationFields,
    today: NaiveDate,
) -> Result<employee_certification::ActiveModel, AppError> {
    let mut v = Validator::default();
    let kind = check_code(
        &mut v,
        "kind",
        f.kind.as_deref().or(cur.map(|c| c.kind.as_str())),
        CERT_KINDS,
        true,
    );
    let designation = req_text(
        &mut v,
        "designation",
        f.designation
            .as_deref()
            .or(cur.map(|c| c.designation.as_str())),
        300,
        "L'intitulé",
        "The designation",
    );
    let issued = match &f.issued_on {
        Some(s) => date_field(&mut v, "issued_on", Some(s)),
        None => cur.map(|c| c.issued_on),
    };
    if issued.is_none() && !v.errors.iter().any(|e| e.field == "issued_on") {
        v.add(
            "issued_on",
            "required",
            "La date d'obtention est obligatoire.",
            "The issue date is required.",
        );
    }
    if issued.is_some_and(|d| d > today) {
        v.add(
            "issued_on",
            "in_future",
            "La date d'obtention ne peut pas être dans le futur.",
            "The issue date cannot be in the future.",
        );
    }
    let expires = match &f.expires_on {
        Some(s) => date_field(&mut v, "expires_on", s.as_deref()),
        None => cur.and_then(|c| c.expires_on),
    };
    if let (Some(i), Some(e)) = (issued, expires)
        && e <= i
    {
        v.add(
            "expires_on",
            "before_issue",
            "La date de fin de validité doit suivre la date d'obtention.",
            "The expiry date must come after the issue date.",
        );
    }
    v.finish()?;
    Ok(employee_certification::ActiveModel {
        kind: Set(kind.unwrap_or_default()),
        designation: Set(designation),
        issued_on: Set(issued.unwrap_or(today)),
        expires_on: Set(expires),
        active: Set(f.active.or(cur.map(|c| c.active)).unwrap_or(true)),
        ..Default::default()
    })
}

fn cert_snapshot(c: &employee_certification::Model) -> serde_json::Value {
    serde_json::json!({
        "certification_id": c.id, "kind": c.kind, "designation": c.designation,
        "issued_on": c.issued_on, "expires_on": c.expires_on, "active": c.active,
    })
}

pub async fn add_certification(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    employee_id: i64,
    f: CertificationFields,
) -> Result<employee_certification::Model, AppError> {
    ctx.require(Module::Hr, Action::Update)?;
    find(&db.conn, employee_id).await?;
    let am = build_cert(None, &f, today)?;
    let tx = db.write().await?;
    let c = insert_cert(&tx.tx, ctx, employee_id, am).await?;
    tx.commit().await?;
    Ok(c)
}

async fn insert_cert(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    employee_id: i64,
    mut am: employee_certification::ActiveModel,
) -> Result<employee_certification::Model, AppError> {
    let now = crate::now();
    am.employee_id = Set(employee_id);
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let c = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        "employee",
        &employee_id.to_string(),
        "certification_add",
        None,
        Some(cert_snapshot(&c)),
    )
    .await?;
    Ok(c)
}

pub async fn update_certification(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    employee_id: i64,
    cert_id: i64,
    p: CertificationPatch,
) -> Result<employee_certification::Model, AppError> {
    ctx.require(Module::Hr, Action::Update)?;
    let current = employee_certification::Entity::find_by_id(cert_id)
        .filter(employee_certification::Column::EmployeeId.eq(employee_id))
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Habilitation", "Certification"))?;
    let mut am = build_cert(Some(&current), &p.fields, today)?;
    if p.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    am.updated_at = Set(crate::now());
    am.version = Set(current.version + 1);
    let res = employee_certification::Entity::update_many()
        .set(am)
        .filter(employee_certification::Column::Id.eq(cert_id))
        .filter(employee_certification::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let updated = employee_certification::Entity::find_by_id(cert_id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Habilitation", "Certification"))?;
    audit::record(
        &tx.tx,
        ctx,
        "employee",
        &employee_id.to_string(),
        "certification_update",
        Some(cert_snapshot(&current)),
        Some(cert_snapshot(&updated)),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Reminders (for the central alerts page).

/// One certification reminder, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CertificationReminder {
    /// `j30`, `j10` or `expire`
    pub stage: String,
    pub days_left: i64,
    pub employee_id: i64,
    pub matricule: String,
    pub employee_name: String,
    pub certification_id: i64,
    pub kind: String,
    pub kind_label: String,
    pub designation: String,
    pub expires_on: NaiveDate,
    /// UI address of the employee record.
    pub url: String,
}

/// Reminders due on `date` for the active certifications of active employees (J-30, J-10,
/// expired), soonest expiry first. Public for the alerts page.
pub async fn reminders(
    db: &Db,
    ctx: &Ctx,
    date: NaiveDate,
    base_url: &str,
    english: bool,
) -> Result<Vec<CertificationReminder>, AppError> {
    ctx.require(Module::Hr, Action::Read)?;
    let employees: BTreeMap<i64, employee::Model> = employee::Entity::find()
        .filter(employee::Column::Active.eq(true))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let certs: BTreeMap<i64, employee_certification::Model> =
        employee_certification::Entity::find()
            .filter(employee_certification::Column::Active.eq(true))
            .filter(employee_certification::Column::ExpiresOn.is_not_null())
            .all(&db.conn)
            .await?
            .into_iter()
            .filter(|c| employees.contains_key(&c.employee_id))
            .map(|c| (c.id, c))
            .collect();
    let input: Vec<CertificationDue> = certs
        .values()
        .filter_map(|c| {
            c.expires_on.map(|e| CertificationDue {
                certification_id: c.id,
                expires_on: e,
            })
        })
        .collect();
    Ok(due_reminders(&input, date)
        .into_iter()
        .filter_map(|(cid, stage, days)| {
            let c = certs.get(&cid)?;
            let e = employees.get(&c.employee_id)?;
            Some(CertificationReminder {
                stage: stage.code().into(),
                days_left: days,
                employee_id: e.id,
                matricule: e.matricule.clone(),
                employee_name: format!("{} {}", e.first_name, e.last_name),
                certification_id: c.id,
                kind: c.kind.clone(),
                kind_label: label_of(CERT_KINDS, &c.kind, english),
                designation: c.designation.clone(),
                expires_on: c.expires_on?,
                url: url(base_url, "employees", e.id),
            })
        })
        .collect())
}

/// Demo loader helpers.
pub(crate) async fn insert_demo(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
    f: EmployeeFields,
) -> Result<employee::Model, AppError> {
    let b = build(None, &f, today)?;
    insert(tx, ctx, b).await
}

pub(crate) async fn insert_demo_cert(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
    employee_id: i64,
    f: CertificationFields,
) -> Result<employee_certification::Model, AppError> {
    let am = build_cert(None, &f, today)?;
    insert_cert(tx, ctx, employee_id, am).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reminders_fall_at_j30_then_j10_then_expiry() {
        let exp = d("2026-04-12");
        assert_eq!(reminder_stage(exp, d("2026-03-12")), None); // J-31
        assert_eq!(
            reminder_stage(exp, d("2026-03-13")),
            Some(ReminderStage::J30)
        ); // J-30
        assert_eq!(
            reminder_stage(exp, d("2026-04-01")),
            Some(ReminderStage::J30)
        ); // J-11
        assert_eq!(
            reminder_stage(exp, d("2026-04-02")),
            Some(ReminderStage::J10)
        ); // J-10
        assert_eq!(
            reminder_stage(exp, d("2026-04-12")),
            Some(ReminderStage::J10)
        ); // last valid day
        assert_eq!(
            reminder_stage(exp, d("2026-04-13")),
            Some(ReminderStage::Expire)
        );
    }

    #[test]
    fn due_reminders_on_demo_day_j0() {
        // DEMO-SHOP §4 at J0 2026-03-02: E05 SST due in 16 days (J-30 window), E04
        // habilitation expired, E12 CACES in 41 days (nothing yet), E11 CACES valid.
        let certs = [
            CertificationDue {
                certification_id: 1,
                expires_on: d("2026-04-12"),
            },
            CertificationDue {
                certification_id: 2,
                expires_on: d("2026-02-06"),
            },
            CertificationDue {
                certification_id: 3,
                expires_on: d("2026-03-18"),
            },
            CertificationDue {
                certification_id: 4,
                expires_on: d("2028-06-05"),
            },
        ];
        assert_eq!(
            due_reminders(&certs, d("2026-03-02")),
            vec![(2, ReminderStage::Expire, -24), (3, ReminderStage::J30, 16)]
        );
        // Eight days later the SST enters its J-10 window.
        assert_eq!(
            due_reminders(&certs, d("2026-03-10"))[1],
            (3, ReminderStage::J10, 8)
        );
    }

    #[test]
    fn certification_state_follows_its_expiry() {
        let t = d("2026-03-02");
        assert_eq!(certification_state(None, t), CertificationState::Valide);
        assert_eq!(
            certification_state(Some(d("2026-04-02")), t),
            CertificationState::Valide
        );
        assert_eq!(
            certification_state(Some(d("2026-04-01")), t),
            CertificationState::ExpireBientot
        );
        assert_eq!(
            certification_state(Some(t), t),
            CertificationState::ExpireBientot
        );
        assert_eq!(
            certification_state(Some(d("2026-03-01")), t),
            CertificationState::Expire
        );
    }

    #[test]
    fn a_39_hour_week_is_accepted_and_over_48_hours_refused() {
        let mut f = EmployeeFields {
            matricule: Some("E20".into()),
            first_name: Some("Léa".into()),
            last_name: Some("Martin".into()),
            category: Some("ouvrier".into()),
            weekly_hours: Some(
                ["8.5", "8,5", "8.5", "8.5", "5", "0", "0"]
                    .map(String::from)
                    .to_vec(),
            ),
            skills: Some(BTreeMap::from([("mill3".into(), 2), ("SAW".into(), 0)])),
            ..Default::default()
        };
        let b = build(None, &f, d("2026-11-27")).unwrap();
        assert_eq!(
            b.skills.unwrap(),
            BTreeMap::from([("MILL3".to_string(), 2)])
        );
        assert_eq!(
            parse_hours(&b.am.weekly_hours.unwrap())
                .iter()
                .copied()
                .sum::<Decimal>(),
            Decimal::from(39)
        );
        f.weekly_hours = Some(["10"; 7].map(String::from).to_vec());
        let e = build(None, &f, d("2026-11-27")).unwrap_err();
        assert_eq!(e.errors[0].code, "over_48h");
    }
}
