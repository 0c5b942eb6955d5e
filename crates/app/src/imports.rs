//! Spreadsheet imports (CSV `;`/`,` UTF-8 with or without BOM, XLSX) of master data.
//!
//! Every row goes through the same validation and insert as the create endpoint
//! (`create_in` of each service), all rows in ONE write transaction: one bad row imports
//! nothing. A dry run runs the same work and rolls back.

use crate::crm::{self, NewPartner, PartnerKind};
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::resources::{employees, machines};
use crate::rights::{Action, Module};
use crate::stock::{materials, tools};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use usinage_store::Db;

/// At most this many data rows per file.
pub const MAX_ROWS: usize = 5000;
const PREVIEW_ROWS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Clients,
    Suppliers,
    Machines,
    Tools,
    Materials,
    MaterialStock,
    Employees,
}

impl ImportKind {
    pub const ALL: [ImportKind; 7] = [
        ImportKind::Clients,
        ImportKind::Suppliers,
        ImportKind::Machines,
        ImportKind::Tools,
        ImportKind::Materials,
        ImportKind::MaterialStock,
        ImportKind::Employees,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Clients => "clients",
            ImportKind::Suppliers => "suppliers",
            ImportKind::Machines => "machines",
            ImportKind::Tools => "tools",
            ImportKind::Materials => "materials",
            ImportKind::MaterialStock => "material-stock",
            ImportKind::Employees => "employees",
        }
    }

    pub fn parse(s: &str) -> Result<Self, AppError> {
        let s = s.replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| {
                AppError::field(
                    "kind",
                    "unknown_kind",
                    format!(
                        "Type d'import inconnu : « {s} » (attendu : {}).",
                        Self::ALL.map(|k| k.code()).join(", ")
                    ),
                    format!("Unknown import kind: “{s}”."),
                )
            })
    }

    pub fn module(self) -> Module {
        match self {
            ImportKind::Clients | ImportKind::Suppliers => Module::Crm,
            ImportKind::Machines => Module::Machines,
            ImportKind::Tools => Module::Tools,
            ImportKind::Materials | ImportKind::MaterialStock => Module::Materials,
            ImportKind::Employees => Module::Hr,
        }
    }

    pub fn columns(self) -> &'static [Col] {
        match self {
            ImportKind::Clients | ImportKind::Suppliers => PARTNER_COLS,
            ImportKind::Machines => MACHINE_COLS,
            ImportKind::Tools => TOOL_COLS,
            ImportKind::Materials => GRADE_COLS,
            ImportKind::MaterialStock => STOCK_COLS,
            ImportKind::Employees => EMPLOYEE_COLS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Text,
    /// Decimal typed the French way too (`12,5`).
    Dec,
    Int,
    Bool,
    /// `a, b` or `a | b` → a JSON array of codes.
    List,
    /// `JJ/MM/AAAA` or `AAAA-MM-JJ` (or an Excel date) → `AAAA-MM-JJ`.
    Date,
}

#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// JSON field name of the create endpoint.
    pub field: &'static str,
    /// French column label (template header; also accepted on import).
    pub label: &'static str,
    pub ty: Ty,
}

const fn c(field: &'static str, label: &'static str, ty: Ty) -> Col {
    Col { field, label, ty }
}

use Ty::*;

const PARTNER_COLS: &[Col] = &[
    c("name", "Raison sociale", Text),
    c("siren", "SIREN", Text),
    c("siret", "SIRET", Text),
    c("vat_number", "N° TVA", Text),
    c("billing_address", "Adresse de facturation", Text),
    c("delivery_address", "Adresse de livraison", Text),
    c("email", "E-mail", Text),
    c("phone", "Téléphone", Text),
    c("website", "Site web", Text),
    c("payment_terms", "Conditions de paiement", Text),
    c("sectors", "Secteurs", List),
    c("supplier_kinds", "Types", List),
    c("critical", "Critique", Bool),
    c("notes", "Notes", Text),
];

const TOOL_COLS: &[Col] = &[
    c("code", "Code", Text),
    c("name", "Désignation", Text),
    c("type", "Type", Text),
    c("iso_designation", "Désignation ISO", Text),
    c("diameter_mm", "Diamètre (mm)", Dec),
    c("cutting_length_mm", "Longueur de coupe (mm)", Dec),
    c("overall_length_mm", "Longueur totale (mm)", Dec),
    c("flutes", "Dents", Int),
    c("coating", "Revêtement", Text),
    c("grade", "Nuance", Text),
    c("supplier_id", "Id fournisseur", Int),
    c("supplier_name", "Fournisseur", Text),
    c("supplier_ref", "Référence fournisseur", Text),
    c("unit_price", "Prix unitaire €", Dec),
    c("min_stock", "Stock mini", Int),
    c("life_unit", "Unité de durée de vie", Text),
    c("life_limit", "Durée de vie", Int),
    c("life_used", "Vie consommée", Int),
    c("active", "Actif", Bool),
    c("notes", "Notes", Text),
];

const GRADE_COLS: &[Col] = &[
    c("code", "Code", Text),
    c("afnor", "AFNOR", Text),
    c("en_number", "N° EN", Text),
    c("en_name", "Désignation EN", Text),
    c("aisi", "AISI", Text),
    c("din", "DIN", Text),
    c("iso_group", "Groupe ISO", Text),
    c("density", "Densité", Dec),
    c("hardness", "Dureté", Text),
    c("machinability", "Usinabilité", Text),
    c("active", "Actif", Bool),
    c("notes", "Notes", Text),
];

const STOCK_COLS: &[Col] = &[
    c("label", "Repère", Text),
    c("grade_id", "Id matière", Int),
    c("lot_id", "Id lot", Int),
    c("shape", "Forme", Text),
    c("diameter_mm", "Diamètre (mm)", Dec),
    c("width_mm", "Largeur (mm)", Dec),
    c("wall_mm", "Paroi (mm)", Dec),
    c("length_mm", "Longueur (mm)", Dec),
    c("quantity", "Quantité", Int),
    c("location_id", "Id emplacement", Int),
    c("cost_per_kg", "Coût €/kg", Dec),
    c("is_offcut", "Chute", Bool),
    c("notes", "Notes", Text),
];

const MACHINE_COLS: &[Col] = &[
    c("code", "Code", Text),
    c("name", "Nom", Text),
    c("kind", "Type", Text),
    c("brand", "Marque", Text),
    c("model", "Modèle", Text),
    c("year", "Année", Int),
    c("serial", "N° de série", Text),
    c("cnc_controller", "Commande", Text),
    c("travel_x_mm", "X mm", Dec),
    c("travel_y_mm", "Y mm", Dec),
    c("travel_z_mm", "Z mm", Dec),
    c("rotary_axes", "Axes rotatifs", Text),
    c("max_spindle_rpm", "Vitesse broche max", Int),
    c("spindle_power_kw", "Puissance kW", Dec),
    c("spindle_torque_nm", "Couple Nm", Dec),
    c("max_bar_diameter_mm", "Passage de barre (mm)", Dec),
    c("bar_feeder", "Ravitailleur", Bool),
    c("chuck_table_size", "Mandrin / table", Text),
    c("max_part_mass_kg", "Masse pièce max (kg)", Dec),
    c("tool_magazine_size", "Magasin d'outils", Int),
    c("rapid_traverse_m_min", "Avance rapide (m/min)", Dec),
    c("cam_software", "Logiciel FAO", Text),
    c("post_processor_ref", "Post-processeur", Text),
    c("hour_counter_h", "Heures", Dec),
    c("location", "Emplacement", Text),
    c("machine_rate", "Machine €/h", Dec),
    c("operator_rate", "Opérateur €/h", Dec),
    c("active", "Actif", Bool),
    c("notes", "Notes", Text),
];

const EMPLOYEE_COLS: &[Col] = &[
    c("matricule", "Matricule", Text),
    c("last_name", "Nom", Text),
    c("first_name", "Prénom", Text),
    c("job_title", "Poste", Text),
    c("category", "Catégorie", Text),
    c("hire_date", "Embauche", Date),
    c("hourly_cost", "Coût horaire €", Dec),
    c("active", "Actif", Bool),
];

/// Columns whose cells are codes: the code itself or its French/English label is accepted
/// (exports write labels, so an exported file imports back).
fn codes_of(kind: ImportKind, field: &str) -> Option<crate::crm::CodeLabels> {
    use crate::resources::{employees, machines};
    use crate::stock::{ISO_GROUPS, materials, tools};
    Some(match (kind, field) {
        (ImportKind::Clients | ImportKind::Suppliers, "sectors") => crate::crm::SECTORS,
        (ImportKind::Clients | ImportKind::Suppliers, "payment_terms") => crate::crm::PAYMENT_TERMS,
        (ImportKind::Clients | ImportKind::Suppliers, "supplier_kinds") => {
            crate::crm::SUPPLIER_KINDS
        }
        (ImportKind::Tools, "type") => tools::TYPES,
        (ImportKind::Tools, "life_unit") => tools::LIFE_UNITS,
        (ImportKind::Materials, "iso_group") => ISO_GROUPS,
        (ImportKind::MaterialStock, "shape") => materials::SHAPES,
        (ImportKind::Machines, "kind") => machines::KINDS,
        (ImportKind::Machines, "cnc_controller") => machines::CONTROLLERS,
        (ImportKind::Employees, "category") => employees::CATEGORIES,
        _ => return None,
    })
}

/// Other names a column goes by in the list exports (header → field).
const ALIASES: &[(&str, &str)] = &[
    ("Ø (mm)", "diameter_mm"),
    ("Ø / côté (mm)", "diameter_mm"),
    ("Prix (€)", "unit_price"),
    ("Minimum", "min_stock"),
    ("Désignation AFNOR", "afnor"),
    ("Nom EN", "en_name"),
    ("Masse volumique (kg/dm³)", "density"),
    ("Commande", "cnc_controller"),
    ("Coût horaire €", "hourly_cost"),
    ("Date d'embauche", "hire_date"),
];

/// Computed or read-only columns of the list exports: skipped on import (and reported), so a
/// file exported, corrected and re-imported goes through.
const IGNORED: &[&str] = &[
    "Id",
    "Statut",
    "Modifié le",
    "Stock",
    "Réservé",
    "Disponible",
    "Sous minimum",
    "Qualité",
    "Délai",
    "Prix",
    "Note globale",
    "Habilitations",
    "Heures/semaine",
    "Certifiée",
    "Lot",
    "Emplacement",
    "Heures",
    "Updated",
    "Status",
    "On hand",
    "Reserved",
    "Available",
    "Below minimum",
];

/// French header labels of the template of one kind.
pub fn template_headers(kind: ImportKind) -> Vec<String> {
    kind.columns().iter().map(|c| c.label.to_string()).collect()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// 1-based row as in the spreadsheet (the header is row 1).
    pub row: usize,
    /// JSON field name (empty when the whole row is concerned).
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub kind: String,
    pub dry_run: bool,
    pub total_rows: usize,
    pub valid_rows: usize,
    pub imported: usize,
    pub errors: Vec<RowError>,
    /// The first 20 parsed rows, as sent to the create validation.
    #[schema(value_type = Vec<Object>)]
    pub preview: Vec<Value>,
    /// Export-only columns found in the file and skipped (Id, Statut, Modifié le…).
    pub ignored_columns: Vec<String>,
}

// ---------------------------------------------------------------- parsing

fn file_error(code: &str, fr: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::field("file", code, fr, en)
}

/// Reads a CSV or XLSX file into rows of text cells (header included).
pub fn read_table(bytes: &[u8], xlsx: bool) -> Result<Vec<Vec<String>>, AppError> {
    if bytes.is_empty() {
        return Err(file_error(
            "empty_file",
            "Le fichier est vide.",
            "The file is empty.",
        ));
    }
    if xlsx || bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        file_error(
            "not_utf8",
            "Le fichier CSV n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».",
            "The CSV file is not UTF-8: save it as “CSV UTF-8”.",
        )
    })?;
    let first = text.lines().next().unwrap_or("");
    let delim = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            file_error(
                "invalid_csv",
                format!("Fichier CSV illisible : {e}."),
                format!("Unreadable CSV file: {e}."),
            )
        })?;
        rows.push(rec.iter().map(|s| s.trim().to_string()).collect());
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || {
        file_error(
            "invalid_xlsx",
            "Fichier XLSX illisible.",
            "Unreadable XLSX file.",
        )
    };
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    let excel_epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Empty | Data::Error(_) => String::new(),
                    Data::String(s) => s.trim().to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
                    Data::DateTime(dt) => {
                        let days = dt.as_f64().floor() as i64;
                        (excel_epoch + chrono::Duration::days(days))
                            .format("%Y-%m-%d")
                            .to_string()
                    }
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                })
                .collect()
        })
        .collect())
}

/// Lower case, accents and punctuation removed: `N° TVA` → `ntva`.
pub fn normalize(h: &str) -> String {
    h.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'œ' => 'o',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Maps the header cells to the columns of `kind`; export-only columns are skipped (returned
/// as the second value); unknown or duplicated columns are errors.
pub fn map_headers(
    kind: ImportKind,
    header: &[String],
) -> Result<(Vec<Option<Col>>, Vec<String>), AppError> {
    let cols = kind.columns();
    let mut out = Vec::new();
    let mut ignored = Vec::new();
    let mut unknown = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut dup = Vec::new();
    for h in header {
        let n = normalize(h);
        if n.is_empty() {
            out.push(None);
            continue;
        }
        let alias = ALIASES
            .iter()
            .find(|(a, _)| normalize(a) == n)
            .map(|(_, f)| *f);
        let found = cols
            .iter()
            .find(|c| normalize(c.field) == n || normalize(c.label) == n || alias == Some(c.field));
        if found.is_none() && IGNORED.iter().any(|i| normalize(i) == n) {
            ignored.push(h.clone());
            out.push(None);
            continue;
        }
        match found {
            Some(c) => {
                if seen.contains(&c.field) {
                    dup.push(h.clone());
                }
                seen.push(c.field);
                out.push(Some(*c));
            }
            None => unknown.push(h.clone()),
        }
    }
    let mut v = crate::error::Validator::default();
    if !unknown.is_empty() {
        let expected = cols.iter().map(|c| c.label).collect::<Vec<_>>().join(", ");
        v.add(
            "columns",
            "unknown_column",
            format!(
                "Colonne(s) inconnue(s) : « {} ». Colonnes acceptées : {expected}.",
                unknown.join(" », « ")
            ),
            format!(
                "Unknown column(s): “{}”. Accepted columns: {}.",
                unknown.join("”, “"),
                cols.iter().map(|c| c.field).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    if !dup.is_empty() {
        v.add(
            "columns",
            "duplicate_column",
            format!("Colonne(s) en double : « {} ».", dup.join(" », « ")),
            format!("Duplicated column(s): “{}”.", dup.join("”, “")),
        );
    }
    v.finish()?;
    Ok((out, ignored))
}

fn to_date(s: &str) -> String {
    chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| s.to_string())
}

/// One data row to the JSON object of the create endpoint; cells that cannot be typed are
/// reported (field, code, French/English message).
fn row_to_json(
    kind: ImportKind,
    cols: &[Option<Col>],
    cells: &[String],
) -> (Map<String, Value>, Vec<FieldError>) {
    let mut m = Map::new();
    let mut errs = Vec::new();
    for (i, col) in cols.iter().enumerate() {
        let Some(col) = col else { continue };
        let s = cells.get(i).map(|s| s.trim()).unwrap_or("");
        if s.is_empty() {
            continue;
        }
        let code = |x: &str| match codes_of(kind, col.field) {
            Some(list) => to_code(list, x),
            None => x.to_string(),
        };
        let v = match col.ty {
            Text => Value::String(code(s)),
            Dec => Value::String(s.replace(',', ".")),
            Date => Value::String(to_date(s)),
            Int => match s.replace([' ', '\u{a0}'], "").parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    errs.push(FieldError::new(
                        col.field,
                        "invalid_integer",
                        format!("« {s} » n'est pas un nombre entier ({}).", col.label),
                        format!("“{s}” is not a whole number ({}).", col.field),
                    ));
                    continue;
                }
            },
            Bool => match normalize(s).as_str() {
                "oui" | "o" | "yes" | "y" | "true" | "vrai" | "1" | "x" => Value::Bool(true),
                "non" | "n" | "no" | "false" | "faux" | "0" => Value::Bool(false),
                _ => {
                    errs.push(FieldError::new(
                        col.field,
                        "invalid_boolean",
                        format!("« {s} » : répondez oui ou non ({}).", col.label),
                        format!("“{s}”: answer yes or no ({}).", col.field),
                    ));
                    continue;
                }
            },
            List => Value::Array(
                s.split([',', '|', ';'])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(|x| Value::String(code(x)))
                    .collect(),
            ),
        };
        m.insert(col.field.to_string(), v);
    }
    (m, errs)
}

/// A cell to its code when it is the code or one of its labels (accents and case ignored);
/// otherwise unchanged, for the create validation to report.
fn to_code(list: crate::crm::CodeLabels, cell: &str) -> String {
    let n = normalize(cell);
    list.iter()
        .find(|(c, fr, en)| normalize(c) == n || normalize(fr) == n || normalize(en) == n)
        .map(|(c, _, _)| c.to_string())
        .unwrap_or_else(|| cell.to_string())
}

fn from_json<T: DeserializeOwned>(m: &Map<String, Value>) -> Result<T, AppError> {
    serde_json::from_value(Value::Object(m.clone())).map_err(|e| {
        AppError::field(
            "",
            "invalid_row",
            format!("Ligne illisible : {e}."),
            format!("Unreadable row: {e}."),
        )
    })
}

// ---------------------------------------------------------------- run

/// Validates (and unless `dry_run`, imports) every row of the file in one write transaction.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    db: &Db,
    ctx: &Ctx,
    today: chrono::NaiveDate,
    kind: ImportKind,
    bytes: &[u8],
    xlsx: bool,
    dry_run: bool,
    english: bool,
) -> Result<ImportReport, AppError> {
    ctx.require(kind.module(), Action::Create)?;
    let table = read_table(bytes, xlsx)?;
    let Some((header, data)) = table.split_first() else {
        return Err(file_error(
            "empty_file",
            "Le fichier est vide.",
            "The file is empty.",
        ));
    };
    let (cols, ignored_columns) = map_headers(kind, header)?;
    // (spreadsheet row, cells); blank lines are skipped.
    let rows: Vec<(usize, &Vec<String>)> = data
        .iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 2, r))
        .collect();
    if rows.len() > MAX_ROWS {
        return Err(file_error(
            "too_many_rows",
            format!("{} lignes : {MAX_ROWS} au plus par import.", rows.len()),
            format!("{} rows: at most {MAX_ROWS} per import.", rows.len()),
        ));
    }
    let mut errors = Vec::new();
    let mut preview = Vec::new();
    let mut valid = 0;
    let tx = db.write().await?;
    for (row, cells) in &rows {
        let (mut m, cell_errs) = row_to_json(kind, &cols, cells);
        if preview.len() < PREVIEW_ROWS {
            preview.push(Value::Object(m.clone()));
        }
        let msg = |e: &FieldError| e.message.get(english).to_string();
        if !cell_errs.is_empty() {
            errors.extend(cell_errs.iter().map(|e| RowError {
                row: *row,
                field: e.field.clone(),
                code: e.code.clone(),
                message: msg(e),
            }));
            continue;
        }
        let res: Result<(), AppError> = async {
            match kind {
                ImportKind::Clients | ImportKind::Suppliers => {
                    m.entry("name").or_insert(Value::String(String::new()));
                    let n: NewPartner = from_json(&m)?;
                    let pk = if kind == ImportKind::Clients {
                        PartnerKind::Client
                    } else {
                        PartnerKind::Supplier
                    };
                    crm::create_in(&tx.tx, ctx, pk, &n).await?;
                }
                ImportKind::Tools => {
                    tools::create_in(&tx.tx, ctx, &from_json(&m)?).await?;
                }
                ImportKind::Materials => {
                    materials::create_grade_in(&tx.tx, ctx, &from_json(&m)?).await?;
                }
                ImportKind::MaterialStock => {
                    materials::create_stock_in(&tx.tx, ctx, &from_json(&m)?).await?;
                }
                ImportKind::Machines => {
                    machines::create_in(&tx.tx, ctx, today, &from_json(&m)?).await?;
                }
                ImportKind::Employees => {
                    employees::create_in(&tx.tx, ctx, today, &from_json(&m)?).await?;
                }
            }
            Ok(())
        }
        .await;
        match res {
            Ok(()) => valid += 1,
            Err(e) if matches!(e.kind, crate::error::Kind::Validation) || !e.errors.is_empty() => {
                errors.extend(e.errors.iter().map(|fe| RowError {
                    row: *row,
                    field: fe.field.clone(),
                    code: fe.code.clone(),
                    message: msg(fe),
                }));
            }
            Err(e) => {
                // Any other failure (database…) may have aborted the transaction: stop here.
                errors.push(RowError {
                    row: *row,
                    field: String::new(),
                    code: e.code.to_string(),
                    message: e.detail.get(english).to_string(),
                });
                break;
            }
        }
    }
    let imported = if errors.is_empty() && !dry_run {
        tx.commit().await?;
        valid
    } else {
        // Dropping the transaction rolls everything back.
        drop(tx);
        0
    };
    Ok(ImportReport {
        kind: kind.code().to_string(),
        dry_run,
        total_rows: rows.len(),
        valid_rows: valid,
        imported,
        errors,
        preview,
        ignored_columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_json_names_and_french_labels_without_accents_or_case() {
        let h: Vec<String> = ["NAME", "n° tva", "Téléphone", "telephone"]
            .map(String::from)
            .to_vec();
        let e = map_headers(ImportKind::Clients, &h).unwrap_err();
        assert_eq!(e.errors[0].code, "duplicate_column");
        let h: Vec<String> = ["name", "N° TVA", "TELEPHONE", ""]
            .map(String::from)
            .to_vec();
        let (m, _) = map_headers(ImportKind::Clients, &h).unwrap();
        assert_eq!(m[0].unwrap().field, "name");
        assert_eq!(m[1].unwrap().field, "vat_number");
        assert_eq!(m[2].unwrap().field, "phone");
        assert!(m[3].is_none());
    }

    #[test]
    fn unknown_column_is_named_in_the_error() {
        let h: Vec<String> = ["name", "Couleur"].map(String::from).to_vec();
        let e = map_headers(ImportKind::Clients, &h).unwrap_err();
        assert_eq!(e.errors[0].code, "unknown_column");
        assert!(e.errors[0].message.fr.contains("Couleur"));
    }

    #[test]
    fn csv_with_bom_and_either_separator() {
        let t = read_table("\u{feff}a;b\n1,5;x\n".as_bytes(), false).unwrap();
        assert_eq!(t, vec![vec!["a", "b"], vec!["1,5", "x"]]);
        let t = read_table(b"a,b\n\"1,5\",x\n", false).unwrap();
        assert_eq!(t[1], vec!["1,5", "x"]);
    }

    #[test]
    fn cells_are_typed_and_bad_numbers_reported() {
        let (cols, _) = map_headers(
            ImportKind::Tools,
            &["code", "Dents", "Actif", "Diamètre (mm)"].map(String::from),
        )
        .unwrap();
        let (m, e) = row_to_json(
            ImportKind::Tools,
            &cols,
            &["F1".into(), "4".into(), "oui".into(), "12,5".into()],
        );
        assert!(e.is_empty());
        assert_eq!(m["flutes"], Value::from(4));
        assert_eq!(m["active"], Value::Bool(true));
        assert_eq!(m["diameter_mm"], Value::from("12.5"));
        let (_, e) = row_to_json(ImportKind::Tools, &cols, &["F1".into(), "quatre".into()]);
        assert_eq!(e[0].field, "flutes");
        assert_eq!(e[0].code, "invalid_integer");
    }

    #[test]
    fn export_headers_and_labels_import_back() {
        let h: Vec<String> = [
            "Id",
            "Raison sociale",
            "Secteurs",
            "Conditions de paiement",
            "Statut",
            "Modifié le",
        ]
        .map(String::from)
        .to_vec();
        let (cols, ignored) = map_headers(ImportKind::Clients, &h).unwrap();
        assert_eq!(ignored, vec!["Id", "Statut", "Modifié le"]);
        let (m, e) = row_to_json(
            ImportKind::Clients,
            &cols,
            &[
                "7".into(),
                "ACME".into(),
                "Aéronautique, défense, Inconnu".into(),
                "30 jours fin de mois".into(),
                "Actif".into(),
                "01/12/2026 10:00".into(),
            ],
        );
        assert!(e.is_empty());
        assert_eq!(m.get("id"), None);
        assert_eq!(m["payment_terms"], Value::from("30j_fdm"));
        assert_eq!(
            m["sectors"],
            serde_json::json!(["aeronautique", "defense", "Inconnu"])
        );
        let (cols, _) =
            map_headers(ImportKind::Tools, &["Type", "Ø (mm)"].map(String::from)).unwrap();
        let (m, _) = row_to_json(ImportKind::Tools, &cols, &["Fraise".into(), "10".into()]);
        assert_eq!(m["type"], Value::from("fraise"));
        assert_eq!(m["diameter_mm"], Value::from("10"));
    }
}
