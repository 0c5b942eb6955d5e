//! Clients and suppliers (module `crm`): one `partners` table with a `kind`, contacts embedded
//! in the record (audited with it), payment terms, sector tags, the `critical` flag, an
//! `actif`/`archive` status, and for suppliers their kinds and dated evaluations.
//!
//! Supplier evaluation scale: three scores from 0 to 100 (quality, delivery, price); the
//! overall score is their rounded mean; the current score is the latest evaluation (by date,
//! then by id). [`record_outcome`] is the hook later modules (goods receipt, non-conformities)
//! call to add an automatic evaluation. Attached documents are not handled here.

use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_engines::identifiers::{self, IdError};
use usinage_store::Db;
use usinage_store::entities::{partner, supplier_evaluation};

pub const SORTABLE: &[&str] = &["name", "siret", "created_at", "updated_at", "id"];
pub const EVALUATION_SORTABLE: &[&str] = &["evaluated_on", "id"];

/// (code, French label, English label)
pub type CodeLabels = &'static [(&'static str, &'static str, &'static str)];

pub const PAYMENT_TERMS: CodeLabels = &[
    ("comptant", "Comptant", "Cash"),
    (
        "30j",
        "30 jours date de facture",
        "30 days from invoice date",
    ),
    ("30j_fdm", "30 jours fin de mois", "30 days end of month"),
    (
        "45j_fdm",
        "45 jours fin de mois (date + 45 j, puis fin de mois)",
        "45 days end of month (date + 45 days, then end of month)",
    ),
    (
        "fdm_45j",
        "Fin de mois + 45 jours",
        "End of month + 45 days",
    ),
    (
        "60j",
        "60 jours date de facture",
        "60 days from invoice date",
    ),
];

/// Legal default when nothing was agreed: 30 days.
pub const DEFAULT_PAYMENT_TERMS: &str = "30j";

pub const SECTORS: CodeLabels = &[
    ("aeronautique", "Aéronautique", "Aerospace"),
    ("spatial", "Spatial", "Space"),
    ("defense", "Défense", "Defence"),
    ("medical", "Médical", "Medical"),
    ("automobile", "Automobile", "Automotive"),
    ("energie", "Énergie", "Energy"),
    ("nucleaire", "Nucléaire", "Nuclear"),
    ("ferroviaire", "Ferroviaire", "Rail"),
    ("agroalimentaire", "Agroalimentaire", "Food processing"),
    ("outillage", "Outillage / moules", "Tooling / moulds"),
    (
        "machines_speciales",
        "Machines spéciales",
        "Special machines",
    ),
    ("hydraulique", "Pompes et hydraulique", "Pumps & hydraulics"),
    ("optronique", "Optronique", "Optronics"),
    ("divers", "Divers", "Miscellaneous"),
];

pub const SUPPLIER_KINDS: CodeLabels = &[
    ("matiere", "Matière", "Material"),
    ("outillage", "Outillage", "Tooling"),
    (
        "traitement_thermique",
        "Sous-traitance traitement thermique",
        "Subcontract heat treatment",
    ),
    (
        "traitement_surface",
        "Sous-traitance traitement de surface",
        "Subcontract surface treatment",
    ),
    (
        "sous_traitance_usinage",
        "Sous-traitance usinage",
        "Subcontract machining",
    ),
    (
        "metrologie",
        "Métrologie / étalonnage",
        "Metrology / calibration",
    ),
    ("consommables", "Consommables", "Consumables"),
    ("transport", "Transport", "Transport"),
    ("divers", "Divers", "Miscellaneous"),
];

pub fn label_of(list: CodeLabels, code: &str, english: bool) -> String {
    list.iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, fr, en)| if english { *en } else { *fr })
        .unwrap_or(code)
        .to_string()
}

/// Client or supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerKind {
    Client,
    Supplier,
}

impl PartnerKind {
    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::Client => "client",
            PartnerKind::Supplier => "supplier",
        }
    }
    /// URL segment of the record (UI route and QR).
    pub fn path(self) -> &'static str {
        match self {
            PartnerKind::Client => "clients",
            PartnerKind::Supplier => "suppliers",
        }
    }
    fn what(self) -> (&'static str, &'static str) {
        match self {
            PartnerKind::Client => ("Client", "Client"),
            PartnerKind::Supplier => ("Fournisseur", "Supplier"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub function: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Current score of a supplier (its latest evaluation).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Score {
    pub quality: i32,
    pub delivery: i32,
    pub price: i32,
    /// Rounded mean of the three scores.
    pub overall: i32,
    pub evaluated_on: chrono::NaiveDate,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartnerView {
    pub id: i64,
    /// `client` or `supplier`
    pub kind: String,
    pub name: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub billing_address: Option<String>,
    pub delivery_address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub payment_terms: String,
    pub payment_terms_label: String,
    pub sectors: Vec<String>,
    pub sector_labels: Vec<String>,
    /// Suppliers only (empty for clients).
    pub supplier_kinds: Vec<String>,
    pub supplier_kind_labels: Vec<String>,
    /// Critical client/supplier: certified material, safety sheets and e-signature later.
    pub critical: bool,
    pub contacts: Vec<Contact>,
    pub notes: Option<String>,
    /// Suppliers: latest evaluation; `null` for clients or before the first evaluation.
    pub score: Option<Score>,
    /// `actif` or `archive`
    pub status: String,
    pub status_label: String,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

fn codes(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn contacts_of(p: &partner::Model) -> Vec<Contact> {
    serde_json::from_str(&p.contacts).unwrap_or_default()
}

pub fn score_of(e: &supplier_evaluation::Model) -> Score {
    Score {
        quality: e.quality,
        delivery: e.delivery,
        price: e.price,
        overall: (e.quality + e.delivery + e.price + 1) / 3,
        evaluated_on: e.evaluated_on,
    }
}

pub fn view(
    p: &partner::Model,
    latest: Option<&supplier_evaluation::Model>,
    base_url: &str,
    english: bool,
) -> PartnerView {
    let kind = if p.kind == "supplier" {
        PartnerKind::Supplier
    } else {
        PartnerKind::Client
    };
    let sectors = codes(&p.sectors);
    let kinds = codes(&p.supplier_kinds);
    let (status, label) = match (p.archived, english) {
        (false, false) => ("actif", "Actif"),
        (false, true) => ("actif", "Active"),
        (true, false) => ("archive", "Archivé"),
        (true, true) => ("archive", "Archived"),
    };
    PartnerView {
        id: p.id,
        kind: p.kind.clone(),
        name: p.name.clone(),
        siren: p.siren.clone(),
        siret: p.siret.clone(),
        vat_number: p.vat_number.clone(),
        billing_address: p.billing_address.clone(),
        delivery_address: p.delivery_address.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        website: p.website.clone(),
        payment_terms_label: label_of(PAYMENT_TERMS, &p.payment_terms, english),
        payment_terms: p.payment_terms.clone(),
        sector_labels: sectors
            .iter()
            .map(|c| label_of(SECTORS, c, english))
            .collect(),
        sectors,
        supplier_kind_labels: kinds
            .iter()
            .map(|c| label_of(SUPPLIER_KINDS, c, english))
            .collect(),
        supplier_kinds: kinds,
        critical: p.critical,
        contacts: contacts_of(p),
        notes: p.notes.clone(),
        score: latest.map(score_of),
        status: status.into(),
        status_label: label.into(),
        url: format!(
            "{}/{}/{}",
            base_url.trim_end_matches('/'),
            kind.path(),
            p.id
        ),
        created_at: p.created_at,
        updated_at: p.updated_at,
        version: p.version,
    }
}

fn snapshot(p: &partner::Model) -> serde_json::Value {
    serde_json::json!({
        "name": p.name, "siren": p.siren, "siret": p.siret, "vat_number": p.vat_number,
        "billing_address": p.billing_address, "delivery_address": p.delivery_address,
        "email": p.email, "phone": p.phone, "website": p.website,
        "payment_terms": p.payment_terms, "sectors": codes(&p.sectors),
        "supplier_kinds": codes(&p.supplier_kinds), "critical": p.critical,
        "contacts": contacts_of(p), "notes": p.notes, "archived": p.archived,
    })
}

#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    /// `actif` or `archive`
    pub status: Option<String>,
    pub sector: Option<String>,
    pub supplier_kind: Option<String>,
    pub critical: Option<bool>,
}

fn check_code_filter(field: &str, list: CodeLabels, v: &Option<String>) -> Result<(), AppError> {
    match v {
        Some(c) if !list.iter().any(|(x, _, _)| x == c) => Err(AppError::field(
            field,
            "unknown_code",
            format!("Valeur inconnue : « {c} »."),
            format!("Unknown value: “{c}”."),
        )),
        _ => Ok(()),
    }
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    kind: PartnerKind,
    q: &ListQuery,
    f: &PartnerFilter,
) -> Result<Page<partner::Model>, AppError> {
    ctx.require(Module::Crm, Action::Read)?;
    let mut s = partner::Entity::find().filter(partner::Column::Kind.eq(kind.code()));
    match f.status.as_deref() {
        None => {}
        Some("actif") => s = s.filter(partner::Column::Archived.eq(false)),
        Some("archive") => s = s.filter(partner::Column::Archived.eq(true)),
        Some(other) => {
            return Err(AppError::field(
                "status",
                "unknown_status",
                format!("Statut inconnu : « {other} » (actif ou archive)."),
                format!("Unknown status: “{other}” (actif or archive)."),
            ));
        }
    }
    check_code_filter("sector", SECTORS, &f.sector)?;
    check_code_filter("supplier_kind", SUPPLIER_KINDS, &f.supplier_kind)?;
    if let Some(c) = &f.sector {
        s = s.filter(Expr::cust("(' ' || sectors || ' ')").like(format!("% {c} %")));
    }
    if let Some(c) = &f.supplier_kind {
        s = s.filter(Expr::cust("(' ' || supplier_kinds || ' ')").like(format!("% {c} %")));
    }
    if let Some(c) = f.critical {
        s = s.filter(partner::Column::Critical.eq(c));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: partner::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        // Identifiers are stored without spaces: search them without spaces too.
        let compact = format!("%{}%", identifiers::normalize(q.q.as_deref().unwrap_or("")));
        s = s.filter(
            like(partner::Column::Name)
                .or(like(partner::Column::Email))
                .or(like(partner::Column::BillingAddress))
                .or(like(partner::Column::Contacts))
                .or(partner::Column::Siret.like(compact.clone()))
                .or(partner::Column::VatNumber.like(compact)),
        );
    }
    let col = |f: &str| match f {
        "name" => partner::Column::Name,
        "siret" => partner::Column::Siret,
        "created_at" => partner::Column::CreatedAt,
        "updated_at" => partner::Column::UpdatedAt,
        _ => partner::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(partner::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(partner::Column::Id),
        None => s
            .order_by_asc(partner::Column::Name)
            .order_by_asc(partner::Column::Id),
    };
    fetch_page(s, q, &db.conn).await
}

/// Latest evaluation of each of these suppliers (one query for a whole list page).
pub async fn latest_evaluations<C: ConnectionTrait>(
    db: &C,
    supplier_ids: &[i64],
) -> Result<std::collections::HashMap<i64, supplier_evaluation::Model>, AppError> {
    let mut out = std::collections::HashMap::new();
    if supplier_ids.is_empty() {
        return Ok(out);
    }
    let rows = supplier_evaluation::Entity::find()
        .filter(supplier_evaluation::Column::SupplierId.is_in(supplier_ids.iter().copied()))
        .order_by_asc(supplier_evaluation::Column::EvaluatedOn)
        .order_by_asc(supplier_evaluation::Column::Id)
        .all(db)
        .await?;
    for r in rows {
        out.insert(r.supplier_id, r);
    }
    Ok(out)
}

pub async fn get(
    db: &Db,
    ctx: &Ctx,
    kind: PartnerKind,
    id: i64,
) -> Result<partner::Model, AppError> {
    ctx.require(Module::Crm, Action::Read)?;
    find(&db.conn, kind, id).await
}

async fn find<C: ConnectionTrait>(
    db: &C,
    kind: PartnerKind,
    id: i64,
) -> Result<partner::Model, AppError> {
    let (fr, en) = kind.what();
    partner::Entity::find_by_id(id)
        .filter(partner::Column::Kind.eq(kind.code()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(fr, en))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewPartner {
    pub name: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub billing_address: Option<String>,
    pub delivery_address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Default `30j` (legal default when nothing was agreed).
    pub payment_terms: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Suppliers only.
    #[serde(default)]
    pub supplier_kinds: Vec<String>,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    pub notes: Option<String>,
}

/// Absent field: unchanged; `null`: cleared.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PartnerPatch {
    pub version: i32,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub siren: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub siret: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub vat_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub billing_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub delivery_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    pub payment_terms: Option<String>,
    pub sectors: Option<Vec<String>>,
    pub supplier_kinds: Option<Vec<String>>,
    pub critical: Option<bool>,
    pub contacts: Option<Vec<Contact>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn check_text(v: &mut Validator, field: &str, s: Option<String>, max: usize) -> Option<String> {
    if s.as_ref().is_some_and(|s| s.chars().count() > max) {
        v.add(
            field,
            "too_long",
            format!("{max} caractères au plus."),
            format!("At most {max} characters."),
        );
    }
    s
}

pub fn check_name(v: &mut Validator, field: &str, name: &str) -> String {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 200 {
        v.add(
            field,
            "invalid_name",
            "La raison sociale est obligatoire (200 caractères au plus).",
            "The company name is required (at most 200 characters).",
        );
    }
    n.to_string()
}

/// SIRET: 14 digits, Luhn key (La Poste exception). Spaces typed by people are removed.
pub fn check_siret(v: &mut Validator, field: &str, s: Option<String>) -> Option<String> {
    let s = s?;
    match identifiers::check_siret(&s) {
        Ok(ok) => Some(ok),
        Err(IdError::Checksum) => {
            v.add(
                field,
                "invalid_siret_key",
                format!("SIRET « {s} » invalide : la clé de contrôle (Luhn) ne correspond pas. Vérifiez les 14 chiffres."),
                format!("Invalid SIRET “{s}”: the check key (Luhn) does not match. Check the 14 digits."),
            );
            None
        }
        Err(_) => {
            v.add(
                field,
                "invalid_siret",
                format!("SIRET « {s} » invalide : 14 chiffres attendus."),
                format!("Invalid SIRET “{s}”: 14 digits expected."),
            );
            None
        }
    }
}

pub fn check_siren(v: &mut Validator, field: &str, s: Option<String>) -> Option<String> {
    let s = s?;
    match identifiers::check_siren(&s) {
        Ok(ok) => Some(ok),
        Err(IdError::Checksum) => {
            v.add(
                field,
                "invalid_siren_key",
                format!("SIREN « {s} » invalide : la clé de contrôle (Luhn) ne correspond pas."),
                format!("Invalid SIREN “{s}”: the check key (Luhn) does not match."),
            );
            None
        }
        Err(_) => {
            v.add(
                field,
                "invalid_siren",
                format!("SIREN « {s} » invalide : 9 chiffres attendus."),
                format!("Invalid SIREN “{s}”: 9 digits expected."),
            );
            None
        }
    }
}

/// Intra-EU VAT number. French numbers have their key checked and must match the SIREN when
/// one is known; other EU numbers are checked for shape only (2-letter country + 2–13 chars).
pub fn check_vat(
    v: &mut Validator,
    field: &str,
    s: Option<String>,
    siren: Option<&str>,
) -> Option<String> {
    let s = s?;
    let n = identifiers::normalize(&s);
    if n.starts_with("FR") {
        match identifiers::check_vat_fr(&n) {
            Ok(ok) => {
                if let Some(siren) = siren
                    && !ok.ends_with(siren)
                {
                    v.add(
                        field,
                        "vat_siren_mismatch",
                        format!("Le numéro de TVA « {ok} » ne correspond pas au SIREN {siren}."),
                        format!("The VAT number “{ok}” does not match SIREN {siren}."),
                    );
                    return None;
                }
                Some(ok)
            }
            Err(IdError::Checksum) => {
                v.add(
                    field,
                    "invalid_vat_key",
                    format!("Numéro de TVA « {s} » invalide : la clé ne correspond pas au SIREN (clé = (12 + 3 × (SIREN mod 97)) mod 97)."),
                    format!("Invalid VAT number “{s}”: the key does not match the SIREN (key = (12 + 3 × (SIREN mod 97)) mod 97)."),
                );
                None
            }
            Err(_) => {
                v.add(
                    field,
                    "invalid_vat",
                    format!("Numéro de TVA « {s} » invalide : FR + 2 caractères de clé + 9 chiffres du SIREN attendus."),
                    format!("Invalid VAT number “{s}”: FR + 2 key characters + the 9 SIREN digits expected."),
                );
                None
            }
        }
    } else {
        // `is_ascii` first: byte slicing below must never split a multi-byte character.
        let ok = n.is_ascii()
            && n.len() >= 4
            && n.len() <= 15
            && n[..2].bytes().all(|b| b.is_ascii_uppercase())
            && n[2..].bytes().all(|b| b.is_ascii_alphanumeric());
        if !ok {
            v.add(
                field,
                "invalid_vat",
                format!("Numéro de TVA « {s} » invalide : code pays à 2 lettres suivi du numéro."),
                format!("Invalid VAT number “{s}”: 2-letter country code followed by the number."),
            );
            return None;
        }
        Some(n)
    }
}

pub fn check_email(v: &mut Validator, field: &str, email: Option<String>) -> Option<String> {
    let e = email?;
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(a, d)| {
            !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        && !e.contains(char::is_whitespace);
    if !valid {
        v.add(
            field,
            "invalid_email",
            format!("Adresse e-mail invalide : « {e} »."),
            format!("Invalid e-mail address: “{e}”."),
        );
    }
    Some(e.to_lowercase())
}

pub fn check_phone(v: &mut Validator, field: &str, phone: Option<String>) -> Option<String> {
    let p = phone?;
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let ok_chars = p
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'));
    if !ok_chars || !(6..=20).contains(&digits) || p.len() > 40 {
        v.add(
            field,
            "invalid_phone",
            format!("Numéro de téléphone invalide : « {p} »."),
            format!("Invalid phone number: “{p}”."),
        );
    }
    Some(p)
}

fn check_codes(v: &mut Validator, field: &str, list: CodeLabels, given: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in given {
        match list.iter().find(|(x, _, _)| *x == c.trim()) {
            Some((x, _, _)) if !out.contains(x) => out.push(x),
            Some(_) => {}
            None => v.add(
                field,
                "unknown_code",
                format!(
                    "Valeur inconnue : « {c} » (valeurs possibles : {}).",
                    list.iter()
                        .map(|(x, _, _)| *x)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("Unknown value: “{c}”."),
            ),
        }
    }
    out.join(" ")
}

fn check_payment_terms(v: &mut Validator, terms: &str) {
    if !PAYMENT_TERMS.iter().any(|(c, _, _)| *c == terms) {
        v.add(
            "payment_terms",
            "unknown_payment_terms",
            format!(
                "Conditions de paiement inconnues : « {terms} » ({}).",
                PAYMENT_TERMS
                    .iter()
                    .map(|(c, _, _)| *c)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("Unknown payment terms: “{terms}”."),
        );
    }
}

fn check_contacts(v: &mut Validator, contacts: &[Contact]) -> String {
    if contacts.len() > 50 {
        v.add(
            "contacts",
            "too_many",
            "50 contacts au plus.",
            "At most 50 contacts.",
        );
    }
    let mut out = Vec::new();
    for (i, c) in contacts.iter().enumerate() {
        let name = c.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            v.add(
                &format!("contacts[{i}].name"),
                "invalid_name",
                "Le nom du contact est obligatoire (200 caractères au plus).",
                "The contact name is required (at most 200 characters).",
            );
        }
        let function = check_text(
            v,
            &format!("contacts[{i}].function"),
            trimmed(&c.function),
            100,
        );
        let email = check_email(v, &format!("contacts[{i}].email"), trimmed(&c.email));
        let phone = check_phone(v, &format!("contacts[{i}].phone"), trimmed(&c.phone));
        out.push(Contact {
            name: name.to_string(),
            function,
            email,
            phone,
        });
    }
    serde_json::to_string(&out).unwrap_or_else(|_| "[]".into())
}

/// SIREN and SIRET together: the SIREN is the first 9 digits of the SIRET (derived if absent).
fn check_ids(
    v: &mut Validator,
    siren: Option<String>,
    siret: Option<String>,
    vat: Option<String>,
) -> (Option<String>, Option<String>, Option<String>) {
    let siret = check_siret(v, "siret", siret);
    let siren_given = siren.is_some();
    let mut siren = check_siren(v, "siren", siren);
    if let Some(st) = &siret {
        match &siren {
            Some(sn) if !st.starts_with(sn.as_str()) => v.add(
                "siret",
                "siret_siren_mismatch",
                format!("Le SIRET {st} ne commence pas par le SIREN {sn}."),
                format!("The SIRET {st} does not start with the SIREN {sn}."),
            ),
            None if !siren_given => siren = Some(st[..9].to_string()),
            _ => {}
        }
    }
    let vat = check_vat(v, "vat_number", vat, siren.as_deref());
    (siren, siret, vat)
}

async fn ensure_unique_siret<C: ConnectionTrait>(
    db: &C,
    kind: PartnerKind,
    siret: &Option<String>,
    except: Option<i64>,
) -> Result<(), AppError> {
    let Some(s) = siret else { return Ok(()) };
    let mut q = partner::Entity::find()
        .filter(partner::Column::Kind.eq(kind.code()))
        .filter(partner::Column::Siret.eq(s.as_str()));
    if let Some(id) = except {
        q = q.filter(partner::Column::Id.ne(id));
    }
    if let Some(other) = q.one(db).await? {
        return Err(AppError::field(
            "siret",
            "siret_taken",
            format!("Le SIRET {s} est déjà celui de « {} ».", other.name),
            format!("SIRET {s} already belongs to “{}”.", other.name),
        ));
    }
    Ok(())
}

fn supplier_kinds_for(v: &mut Validator, kind: PartnerKind, given: &[String]) -> String {
    if kind == PartnerKind::Client && !given.is_empty() {
        v.add(
            "supplier_kinds",
            "not_a_supplier",
            "Un client n'a pas de type de fournisseur.",
            "A client has no supplier kind.",
        );
        return String::new();
    }
    check_codes(v, "supplier_kinds", SUPPLIER_KINDS, given)
}

/// Validates a new client/supplier; shared by the API and the demo loader.
fn validate_new(kind: PartnerKind, n: &NewPartner) -> Result<partner::ActiveModel, AppError> {
    let mut v = Validator::default();
    let name = check_name(&mut v, "name", &n.name);
    let (siren, siret, vat) = check_ids(
        &mut v,
        trimmed(&n.siren),
        trimmed(&n.siret),
        trimmed(&n.vat_number),
    );
    let billing = check_text(&mut v, "billing_address", trimmed(&n.billing_address), 1000);
    let delivery = check_text(
        &mut v,
        "delivery_address",
        trimmed(&n.delivery_address),
        1000,
    );
    let email = check_email(&mut v, "email", trimmed(&n.email));
    let phone = check_phone(&mut v, "phone", trimmed(&n.phone));
    let website = check_text(&mut v, "website", trimmed(&n.website), 300);
    let terms = trimmed(&n.payment_terms).unwrap_or_else(|| DEFAULT_PAYMENT_TERMS.into());
    check_payment_terms(&mut v, &terms);
    let sectors = check_codes(&mut v, "sectors", SECTORS, &n.sectors);
    let kinds = supplier_kinds_for(&mut v, kind, &n.supplier_kinds);
    let contacts = check_contacts(&mut v, &n.contacts);
    let notes = check_text(&mut v, "notes", trimmed(&n.notes), 5000);
    v.finish()?;
    let now = crate::now();
    Ok(partner::ActiveModel {
        kind: Set(kind.code().into()),
        name: Set(name),
        siren: Set(siren),
        siret: Set(siret),
        vat_number: Set(vat),
        billing_address: Set(billing),
        delivery_address: Set(delivery),
        email: Set(email),
        phone: Set(phone),
        website: Set(website),
        payment_terms: Set(terms),
        sectors: Set(sectors),
        supplier_kinds: Set(kinds),
        critical: Set(n.critical),
        contacts: Set(contacts),
        notes: Set(notes),
        archived: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
}

async fn insert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    kind: PartnerKind,
    am: partner::ActiveModel,
) -> Result<partner::Model, AppError> {
    let siret = am.siret.clone().unwrap();
    ensure_unique_siret(tx, kind, &siret, None).await?;
    let p = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        kind.code(),
        &p.id.to_string(),
        "create",
        None,
        Some(snapshot(&p)),
    )
    .await?;
    Ok(p)
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    kind: PartnerKind,
    n: NewPartner,
) -> Result<partner::Model, AppError> {
    ctx.require(Module::Crm, Action::Create)?;
    let am = validate_new(kind, &n)?;
    let tx = db.write().await?;
    let p = insert(&tx.tx, ctx, kind, am).await?;
    tx.commit().await?;
    Ok(p)
}

/// Validates and inserts one client/supplier inside the caller's transaction (imports); the
/// caller checks the right.
pub async fn create_in<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    kind: PartnerKind,
    n: &NewPartner,
) -> Result<partner::Model, AppError> {
    let am = validate_new(kind, n)?;
    insert(tx, ctx, kind, am).await
}

pub async fn update(
    db: &Db,
    ctx: &Ctx,
    kind: PartnerKind,
    id: i64,
    p: PartnerPatch,
) -> Result<partner::Model, AppError> {
    ctx.require(Module::Crm, Action::Update)?;
    let current = find(&db.conn, kind, id).await?;
    let mut v = Validator::default();
    let name = p.name.as_ref().map(|n| check_name(&mut v, "name", n));
    // Identifiers are checked together, from the merged values.
    let merged = |patch: &Option<Option<String>>, cur: &Option<String>| match patch {
        Some(x) => trimmed(x),
        None => cur.clone(),
    };
    let ids_touched = p.siren.is_some() || p.siret.is_some() || p.vat_number.is_some();
    let siret_in = merged(&p.siret, &current.siret);
    // A changed SIRET re-derives the SIREN unless the SIREN is sent too.
    let siren_in = if p.siret.is_some() && p.siren.is_none() {
        None
    } else {
        merged(&p.siren, &current.siren)
    };
    let (siren, siret, vat) = if ids_touched {
        check_ids(
            &mut v,
            siren_in,
            siret_in,
            merged(&p.vat_number, &current.vat_number),
        )
    } else {
        (
            current.siren.clone(),
            current.siret.clone(),
            current.vat_number.clone(),
        )
    };
    let billing = p
        .billing_address
        .as_ref()
        .map(|x| check_text(&mut v, "billing_address", trimmed(x), 1000));
    let delivery = p
        .delivery_address
        .as_ref()
        .map(|x| check_text(&mut v, "delivery_address", trimmed(x), 1000));
    let email = p
        .email
        .as_ref()
        .map(|x| check_email(&mut v, "email", trimmed(x)));
    let phone = p
        .phone
        .as_ref()
        .map(|x| check_phone(&mut v, "phone", trimmed(x)));
    let website = p
        .website
        .as_ref()
        .map(|x| check_text(&mut v, "website", trimmed(x), 300));
    let terms = p.payment_terms.as_ref().map(|t| t.trim().to_string());
    if let Some(t) = &terms {
        check_payment_terms(&mut v, t);
    }
    let sectors = p
        .sectors
        .as_ref()
        .map(|s| check_codes(&mut v, "sectors", SECTORS, s));
    let kinds = p
        .supplier_kinds
        .as_ref()
        .map(|s| supplier_kinds_for(&mut v, kind, s));
    let contacts = p.contacts.as_ref().map(|c| check_contacts(&mut v, c));
    let notes = p
        .notes
        .as_ref()
        .map(|x| check_text(&mut v, "notes", trimmed(x), 5000));
    v.finish()?;
    if p.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    if ids_touched {
        ensure_unique_siret(&tx.tx, kind, &siret, Some(id)).await?;
    }
    let before = snapshot(&current);
    let mut am: partner::ActiveModel = current.clone().into();
    if let Some(n) = name {
        am.name = Set(n);
    }
    am.siren = Set(siren);
    am.siret = Set(siret);
    am.vat_number = Set(vat);
    if let Some(x) = billing {
        am.billing_address = Set(x);
    }
    if let Some(x) = delivery {
        am.delivery_address = Set(x);
    }
    if let Some(x) = email {
        am.email = Set(x);
    }
    if let Some(x) = phone {
        am.phone = Set(x);
    }
    if let Some(x) = website {
        am.website = Set(x);
    }
    if let Some(x) = terms {
        am.payment_terms = Set(x);
    }
    if let Some(x) = sectors {
        am.sectors = Set(x);
    }
    if let Some(x) = kinds {
        am.supplier_kinds = Set(x);
    }
    if let Some(x) = p.critical {
        am.critical = Set(x);
    }
    if let Some(x) = contacts {
        am.contacts = Set(x);
    }
    if let Some(x) = notes {
        am.notes = Set(x);
    }
    let updated = save(&tx.tx, kind, id, p.version, am).await?;
    audit::record(
        &tx.tx,
        ctx,
        kind.code(),
        &id.to_string(),
        "update",
        Some(before),
        Some(snapshot(&updated)),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

/// The UPDATE with the optimistic lock in its WHERE clause.
async fn save<C: ConnectionTrait>(
    tx: &C,
    kind: PartnerKind,
    id: i64,
    version: i32,
    mut am: partner::ActiveModel,
) -> Result<partner::Model, AppError> {
    am.updated_at = Set(crate::now());
    am.version = Set(version + 1);
    let res = partner::Entity::update_many()
        .set(am)
        .filter(partner::Column::Id.eq(id))
        .filter(partner::Column::Version.eq(version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    find(tx, kind, id).await
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Transition {
    pub to: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// `actif` or `archive`
    pub to: String,
    pub version: i32,
}

pub async fn transitions(
    db: &Db,
    ctx: &Ctx,
    kind: PartnerKind,
    id: i64,
    english: bool,
) -> Result<Vec<Transition>, AppError> {
    let p = get(db, ctx, kind, id).await?;
    if !ctx
        .principal
        .as_ref()
        .is_none_or(|p| p.can(Module::Crm, Action::Update))
    {
        return Ok(vec![]);
    }
    Ok(vec![if p.archived {
        Transition {
            to: "actif".into(),
            label: if english { "Reactivate" } else { "Réactiver" }.into(),
        }
    } else {
        Transition {
            to: "archive".into(),
            label: if english { "Archive" } else { "Archiver" }.into(),
        }
    }])
}

/// The one function that changes the status of a client/supplier.
pub async fn transition(
    db: &Db,
    ctx: &Ctx,
    kind: PartnerKind,
    id: i64,
    req: TransitionRequest,
) -> Result<partner::Model, AppError> {
    ctx.require(Module::Crm, Action::Update)?;
    let current = find(&db.conn, kind, id).await?;
    let archive = match req.to.as_str() {
        "actif" => false,
        "archive" => true,
        other => {
            return Err(AppError::field(
                "to",
                "unknown_status",
                format!("Statut inconnu : « {other} » (actif ou archive)."),
                format!("Unknown status: “{other}” (actif or archive)."),
            ));
        }
    };
    if current.archived == archive {
        return Err(AppError::new(
            Kind::Conflict,
            "illegal_transition",
            format!(
                "La fiche est déjà {}.",
                if archive { "archivée" } else { "active" }
            ),
            format!(
                "The record is already {}.",
                if archive { "archived" } else { "active" }
            ),
        ));
    }
    if req.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let mut am: partner::ActiveModel = current.clone().into();
    am.archived = Set(archive);
    let updated = save(&tx.tx, kind, id, req.version, am).await?;
    audit::record(
        &tx.tx,
        ctx,
        kind.code(),
        &id.to_string(),
        "transition",
        Some(serde_json::json!({"status": if current.archived {"archive"} else {"actif"}})),
        Some(serde_json::json!({"status": req.to})),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Supplier evaluations

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvaluationView {
    pub id: i64,
    pub supplier_id: i64,
    pub evaluated_on: chrono::NaiveDate,
    /// 0–100
    pub quality: i32,
    /// 0–100
    pub delivery: i32,
    /// 0–100
    pub price: i32,
    pub overall: i32,
    pub comment: Option<String>,
    /// `manuel` or `auto`
    pub source: String,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn evaluation_view(e: &supplier_evaluation::Model) -> EvaluationView {
    EvaluationView {
        id: e.id,
        supplier_id: e.supplier_id,
        evaluated_on: e.evaluated_on,
        quality: e.quality,
        delivery: e.delivery,
        price: e.price,
        overall: score_of(e).overall,
        comment: e.comment.clone(),
        source: e.source.clone(),
        created_by: e.created_by.clone(),
        created_at: e.created_at,
        updated_at: e.updated_at,
        version: e.version,
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewEvaluation {
    /// `YYYY-MM-DD`, default today; not in the future.
    pub evaluated_on: Option<String>,
    /// 0–100
    pub quality: i64,
    /// 0–100
    pub delivery: i64,
    /// 0–100
    pub price: i64,
    pub comment: Option<String>,
}

pub async fn evaluations(
    db: &Db,
    ctx: &Ctx,
    supplier_id: i64,
    q: &ListQuery,
) -> Result<Page<supplier_evaluation::Model>, AppError> {
    ctx.require(Module::Crm, Action::Read)?;
    find(&db.conn, PartnerKind::Supplier, supplier_id).await?;
    let s = supplier_evaluation::Entity::find()
        .filter(supplier_evaluation::Column::SupplierId.eq(supplier_id));
    let s = match &q.sort {
        Some((f, false)) if f == "evaluated_on" => s
            .order_by_asc(supplier_evaluation::Column::EvaluatedOn)
            .order_by_asc(supplier_evaluation::Column::Id),
        Some((f, false)) if f == "id" => s.order_by_asc(supplier_evaluation::Column::Id),
        Some((f, true)) if f == "id" => s.order_by_desc(supplier_evaluation::Column::Id),
        _ => s
            .order_by_desc(supplier_evaluation::Column::EvaluatedOn)
            .order_by_desc(supplier_evaluation::Column::Id),
    };
    fetch_page(s, q, &db.conn).await
}

fn check_score(v: &mut Validator, field: &str, value: i64) -> i32 {
    if !(0..=100).contains(&value) {
        v.add(
            field,
            "out_of_range",
            "La note va de 0 à 100.",
            "The score ranges from 0 to 100.",
        );
        return 0;
    }
    value as i32
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn insert_evaluation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    supplier_id: i64,
    on: chrono::NaiveDate,
    scores: (i32, i32, i32),
    comment: Option<String>,
    source: &str,
) -> Result<supplier_evaluation::Model, AppError> {
    let now = crate::now();
    let e = supplier_evaluation::ActiveModel {
        supplier_id: Set(supplier_id),
        evaluated_on: Set(on),
        quality: Set(scores.0),
        delivery: Set(scores.1),
        price: Set(scores.2),
        comment: Set(comment),
        source: Set(source.into()),
        created_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        "supplier",
        &supplier_id.to_string(),
        "evaluation",
        None,
        Some(serde_json::json!({
            "evaluation_id": e.id, "evaluated_on": e.evaluated_on, "quality": e.quality,
            "delivery": e.delivery, "price": e.price, "comment": e.comment, "source": e.source,
        })),
    )
    .await?;
    Ok(e)
}

pub async fn add_evaluation(
    db: &Db,
    ctx: &Ctx,
    supplier_id: i64,
    n: NewEvaluation,
) -> Result<supplier_evaluation::Model, AppError> {
    ctx.require(Module::Crm, Action::Update)?;
    find(&db.conn, PartnerKind::Supplier, supplier_id).await?;
    let mut v = Validator::default();
    let on = match trimmed(&n.evaluated_on) {
        None => Some(today()),
        Some(s) => match chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
            Ok(d) if d > today() => {
                v.add(
                    "evaluated_on",
                    "future_date",
                    "La date d'évaluation ne peut pas être dans le futur.",
                    "The evaluation date cannot be in the future.",
                );
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                v.add(
                    "evaluated_on",
                    "invalid_date",
                    format!("Date « {s} » invalide : format AAAA-MM-JJ attendu."),
                    format!("Invalid date “{s}”: YYYY-MM-DD expected."),
                );
                None
            }
        },
    };
    let q = check_score(&mut v, "quality", n.quality);
    let d = check_score(&mut v, "delivery", n.delivery);
    let p = check_score(&mut v, "price", n.price);
    let comment = check_text(&mut v, "comment", trimmed(&n.comment), 2000);
    v.finish()?;
    let tx = db.write().await?;
    let e = insert_evaluation(
        &tx.tx,
        ctx,
        supplier_id,
        on.unwrap_or_else(today),
        (q, d, p),
        comment,
        "manuel",
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

/// What a later module reports about a supplier: a goods receipt (how late, conforming or
/// not) or a non-conformity on what he delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplierOutcome {
    Receipt { days_late: i32, conforming: bool },
    NonConformity { major: bool },
}

/// Pure rule of the automatic score: each outcome gives an observation (quality 100 if
/// conforming, 40 for a minor NC, 0 for a non-conforming receipt or a major NC; delivery 100
/// on time, minus 10 per day late, floored at 0), blended into the current score with a weight
/// of 1/5 (`new = (4 × old + observation) / 5`, rounded). Price is not observed and kept.
/// Without any previous evaluation the observation is the score and price starts at 50.
pub fn next_scores(current: Option<(i32, i32, i32)>, outcome: SupplierOutcome) -> (i32, i32, i32) {
    let (obs_quality, obs_delivery) = match outcome {
        SupplierOutcome::Receipt {
            days_late,
            conforming,
        } => (
            if conforming { 100 } else { 0 },
            Some(std::cmp::max(100 - 10 * std::cmp::max(days_late, 0), 0)),
        ),
        SupplierOutcome::NonConformity { major } => (if major { 0 } else { 40 }, None),
    };
    let blend = |old: i32, obs: i32| (4 * old + obs + 2) / 5;
    match current {
        None => (obs_quality, obs_delivery.unwrap_or(100), 50),
        Some((q, d, p)) => (
            blend(q, obs_quality),
            obs_delivery.map_or(d, |o| blend(d, o)),
            p,
        ),
    }
}

/// Hook for goods receipts and non-conformities (modules to come): records an automatic
/// evaluation (`source = auto`) from the outcome, inside the caller's transaction.
pub async fn record_outcome<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    supplier_id: i64,
    outcome: SupplierOutcome,
) -> Result<supplier_evaluation::Model, AppError> {
    find(tx, PartnerKind::Supplier, supplier_id).await?;
    let current = latest_evaluations(tx, &[supplier_id])
        .await?
        .remove(&supplier_id)
        .map(|e| (e.quality, e.delivery, e.price));
    let scores = next_scores(current, outcome);
    let comment = match outcome {
        SupplierOutcome::Receipt {
            days_late,
            conforming,
        } => format!(
            "Réception {}, retard {} j",
            if conforming {
                "conforme"
            } else {
                "non conforme"
            },
            std::cmp::max(days_late, 0)
        ),
        SupplierOutcome::NonConformity { major } => format!(
            "Non-conformité {}",
            if major { "majeure" } else { "mineure" }
        ),
    };
    insert_evaluation(tx, ctx, supplier_id, today(), scores, Some(comment), "auto").await
}

// ---------------------------------------------------------------------------------------------
// Demo (DEMO-SHOP.md §8)

/// (name, sectors, city line, SIRET, VAT, payment terms, critical, contact)
type DemoRow = (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    (&'static str, &'static str, &'static str),
);

const DEMO_CLIENTS: &[DemoRow] = &[
    (
        "Aviaxe Structures SAS",
        &["aeronautique"],
        "ZI de l'Aiguille, 46100 Figeac",
        "76568732200212",
        "FR31765687322",
        "45j_fdm",
        true,
        (
            "Julien Marty",
            "Acheteur pièces élémentaires",
            "j.marty@aviaxe-structures.fr",
        ),
    ),
    (
        "Pyréos Défense SAS",
        &["defense"],
        "Route de Vierzon, 18000 Bourges",
        "84602390100214",
        "FR76846023901",
        "60j",
        true,
        (
            "Claire Depardieu",
            "Responsable achats",
            "c.depardieu@pyreos-defense.fr",
        ),
    ),
    (
        "Orthalis Implants SAS",
        &["medical"],
        "Parc Technologique, 69800 Saint-Priest",
        "78616926800012",
        "FR55786169268",
        "45j_fdm",
        true,
        (
            "Dr Amélie Roux",
            "Ingénieure qualité fournisseurs",
            "a.roux@orthalis.fr",
        ),
    ),
    (
        "Moulinox Outillages Bresse SARL",
        &["outillage", "automobile"],
        "Rue de la Plasturgie, 01100 Oyonnax",
        "77736083500014",
        "FR78777360835",
        "30j",
        false,
        ("Patrick Bourdon", "Gérant", "p.bourdon@moulinox.fr"),
    ),
    (
        "Agroval Process SAS",
        &["agroalimentaire"],
        "Boulevard de l'Industrie, 42300 Roanne",
        "79375105800017",
        "FR89793751058",
        "60j",
        false,
        ("Sophie Gaillard", "Acheteuse", "s.gaillard@agroval.fr"),
    ),
    (
        "Dauphilec Automatismes SAS",
        &["machines_speciales"],
        "Chemin du Vieux-Chêne, 38240 Meylan",
        "84516387200011",
        "FR92845163872",
        "45j_fdm",
        false,
        (
            "Nicolas Berthier",
            "Chef de projet",
            "n.berthier@dauphilec.fr",
        ),
    ),
    (
        "Ferrovia Forez Maintenance SAS",
        &["ferroviaire"],
        "Rue de la Montat, 42100 Saint-Étienne",
        "40506431200011",
        "FR34405064312",
        "60j",
        false,
        (
            "Jean-Luc Tardy",
            "Responsable maintenance",
            "jl.tardy@ferrovia-forez.fr",
        ),
    ),
    (
        "Hydroléa Pompes SAS",
        &["hydraulique"],
        "Avenue du Brézet, 63100 Clermont-Ferrand",
        "81592245500010",
        "FR22815922455",
        "45j_fdm",
        false,
        ("Laure Chambon", "Approvisionneuse", "l.chambon@hydrolea.fr"),
    ),
    (
        "Savoie Optronique SA",
        &["optronique", "defense"],
        "Rue des Glaisins, 74940 Annecy",
        "97203115700035",
        "FR40972031157",
        "60j",
        true,
        (
            "Éric Vuillermoz",
            "Acheteur",
            "e.vuillermoz@savoie-optronique.fr",
        ),
    ),
    (
        "Vercors Énergie Équipements SAS",
        &["energie", "nucleaire"],
        "Rue Barthélémy de Laffemas, 26000 Valence",
        "38750745200051",
        "FR66387507452",
        "30j_fdm",
        true,
        (
            "Hélène Faure",
            "Responsable qualité",
            "h.faure@vercors-energie.fr",
        ),
    ),
];

/// (row, supplier kinds, evaluations (days before today, quality, delivery, price, comment))
type DemoSupplier = (
    DemoRow,
    &'static [&'static str],
    &'static [(i64, i32, i32, i32, &'static str)],
);

const DEMO_SUPPLIERS: &[DemoSupplier] = &[
    (
        (
            "Négoce Aciers Rhône SAS",
            &["divers"],
            "Rue de l'Industrie, 69200 Vénissieux",
            "43170466700010",
            "FR83431704667",
            "45j_fdm",
            false,
            (
                "Bruno Ferrand",
                "Commercial sédentaire",
                "b.ferrand@negoce-aciers-rhone.fr",
            ),
        ),
        &["matiere"],
        &[
            (300, 85, 70, 75, "Bilan annuel"),
            (120, 88, 78, 74, "Bilan semestriel"),
        ],
    ),
    (
        (
            "Inox Distribution Loire SARL",
            &["agroalimentaire"],
            "Rue Vaucanson, 42400 Saint-Chamond",
            "79895388100215",
            "FR94798953881",
            "60j",
            false,
            ("Isabelle Perrin", "Commerciale", "i.perrin@inox-loire.fr"),
        ),
        &["matiere"],
        &[(200, 90, 85, 68, "Certificats 3.1 toujours fournis")],
    ),
    (
        (
            "Alu Métaux Alpes SAS",
            &["divers"],
            "Avenue des Landiers, 73000 Chambéry",
            "99792498000029",
            "FR29997924980",
            "45j_fdm",
            false,
            (
                "Romain Blanc",
                "Technico-commercial",
                "r.blanc@alu-metaux-alpes.fr",
            ),
        ),
        &["matiere"],
        &[(180, 82, 65, 80, "Retards répétés sur les barres 7075")],
    ),
    (
        (
            "Titane & Alliages Aéro SAS",
            &["aeronautique"],
            "Rue du Mont-Blanc, 74100 Annemasse",
            "83190156600016",
            "FR52831901566",
            "30j",
            true,
            (
                "Valérie Dunand",
                "Responsable qualité",
                "v.dunand@titane-aero.fr",
            ),
        ),
        &["matiere"],
        &[(150, 95, 80, 55, "Qualifié EN 9100, prix élevés")],
    ),
    (
        (
            "Outillage Coupe Centre SAS",
            &["divers"],
            "Rue de l'Ancienne Gare, 63000 Clermont-Ferrand",
            "92070205700018",
            "FR46920702057",
            "45j_fdm",
            false,
            (
                "Damien Morel",
                "Commercial itinérant",
                "d.morel@outillage-coupe-centre.fr",
            ),
        ),
        &["outillage"],
        &[(90, 88, 92, 78, "Livraison J+1 sur stock")],
    ),
    (
        (
            "Calor'Trempe Loire SAS",
            &["divers"],
            "ZA du Bois-Joli, 42160 Andrézieux-Bouthéon",
            "89184875600013",
            "FR33891848756",
            "60j",
            true,
            (
                "Gilles Vacher",
                "Responsable atelier",
                "g.vacher@calortrempe.fr",
            ),
        ),
        &["traitement_thermique"],
        &[
            (240, 80, 72, 70, "Dureté hors tolérance sur un lot"),
            (60, 86, 75, 70, "Plan d'action efficace"),
        ],
    ),
    (
        (
            "Anodia Surfaces SAS",
            &["aeronautique"],
            "Rue Francis de Pressensé, 69150 Décines-Charpieu",
            "68092450300021",
            "FR81680924503",
            "45j_fdm",
            true,
            (
                "Karima Benali",
                "Service clients",
                "k.benali@anodia-surfaces.fr",
            ),
        ),
        &["traitement_surface"],
        &[(100, 92, 70, 72, "Nadcap, délais à surveiller")],
    ),
    (
        (
            "Métrologie Étalonnage Rhône-Alpes SARL",
            &["divers"],
            "Rue Léon Blum, 69100 Villeurbanne",
            "66765553400010",
            "FR34667655534",
            "30j",
            false,
            (
                "Olivier Guichard",
                "Technicien métrologue",
                "o.guichard@metrologie-ra.fr",
            ),
        ),
        &["metrologie"],
        &[(45, 95, 90, 82, "Accréditation COFRAC à jour")],
    ),
];

fn demo_partner(r: &DemoRow, kinds: &[&str]) -> NewPartner {
    let (name, sectors, address, siret, vat, terms, critical, (cname, cfunc, cmail)) = *r;
    NewPartner {
        name: name.into(),
        siret: Some(siret.into()),
        vat_number: Some(vat.into()),
        billing_address: Some(address.into()),
        delivery_address: Some(address.into()),
        email: Some(cmail.into()),
        phone: Some("04 77 00 00 00".into()),
        payment_terms: Some(terms.into()),
        sectors: sectors.iter().map(|s| s.to_string()).collect(),
        supplier_kinds: kinds.iter().map(|s| s.to_string()).collect(),
        critical,
        contacts: vec![Contact {
            name: cname.into(),
            function: Some(cfunc.into()),
            email: Some(cmail.into()),
            phone: None,
        }],
        ..Default::default()
    }
}

/// Demo clients, suppliers and their evaluations (dated relative to today).
pub async fn load_demo<C: ConnectionTrait>(tx: &C, ctx: &Ctx) -> Result<(), AppError> {
    for r in DEMO_CLIENTS {
        let am = validate_new(PartnerKind::Client, &demo_partner(r, &[]))?;
        insert(tx, ctx, PartnerKind::Client, am).await?;
    }
    for (r, kinds, evals) in DEMO_SUPPLIERS {
        let am = validate_new(PartnerKind::Supplier, &demo_partner(r, kinds))?;
        let s = insert(tx, ctx, PartnerKind::Supplier, am).await?;
        for (days, q, d, p, c) in evals.iter() {
            insert_evaluation(
                tx,
                ctx,
                s.id,
                today() - chrono::Duration::days(*days),
                (*q, *d, *p),
                Some(c.to_string()),
                "manuel",
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_siret_with_a_wrong_key_is_refused_and_the_siren_is_derived() {
        let mut v = Validator::default();
        let (siren, siret, vat) = check_ids(
            &mut v,
            None,
            Some("765 687 322 00212".into()),
            Some("FR31 765687322".into()),
        );
        assert!(v.errors.is_empty(), "{:?}", v.errors);
        assert_eq!(siren.as_deref(), Some("765687322"));
        assert_eq!(siret.as_deref(), Some("76568732200212"));
        assert_eq!(vat.as_deref(), Some("FR31765687322"));
        let mut v = Validator::default();
        check_ids(&mut v, None, Some("76568732200213".into()), None);
        assert_eq!(v.errors[0].field, "siret");
        assert_eq!(v.errors[0].code, "invalid_siret_key");
    }

    #[test]
    fn a_vat_number_with_non_ascii_characters_is_refused_not_a_crash() {
        let mut v = Validator::default();
        assert_eq!(
            check_vat(&mut v, "vat_number", Some("0\u{80}0".into()), None),
            None
        );
        assert_eq!(
            check_vat(&mut v, "vat_number", Some("FRé\u{80}35840530".into()), None),
            None
        );
        assert_eq!(v.errors.len(), 2);
    }

    #[test]
    fn a_french_vat_number_must_match_the_siren() {
        let mut v = Validator::default();
        check_ids(
            &mut v,
            None,
            Some("76568732200212".into()),
            Some("FR76846023901".into()),
        );
        assert_eq!(v.errors[0].code, "vat_siren_mismatch");
        let mut v = Validator::default();
        assert_eq!(
            check_vat(&mut v, "vat_number", Some("DE 123456789".into()), None).as_deref(),
            Some("DE123456789")
        );
        assert!(v.errors.is_empty());
    }

    #[test]
    fn automatic_scores_move_one_fifth_towards_each_outcome() {
        let late = SupplierOutcome::Receipt {
            days_late: 3,
            conforming: true,
        };
        assert_eq!(next_scores(None, late), (100, 70, 50));
        assert_eq!(next_scores(Some((80, 90, 60)), late), (84, 86, 60));
        let nc = SupplierOutcome::NonConformity { major: true };
        assert_eq!(next_scores(Some((80, 90, 60)), nc), (64, 90, 60));
        let very_late = SupplierOutcome::Receipt {
            days_late: 30,
            conforming: false,
        };
        assert_eq!(next_scores(Some((0, 0, 0)), very_late), (0, 0, 0));
    }

    #[test]
    fn every_demo_identifier_passes_the_checks() {
        for r in DEMO_CLIENTS {
            validate_new(PartnerKind::Client, &demo_partner(r, &[]))
                .unwrap_or_else(|e| panic!("{}: {e:?}", r.0));
        }
        for (r, k, _) in DEMO_SUPPLIERS {
            validate_new(PartnerKind::Supplier, &demo_partner(r, k))
                .unwrap_or_else(|e| panic!("{}: {e:?}", r.0));
        }
    }
}
