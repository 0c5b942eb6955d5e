//! Measuring instruments (module `instruments`): calibration interval, last/next calibration,
//! calibration history, state computed at read time, and the blocking rule: an expired (or
//! non-conforming) instrument cannot be used unless a responsable (right
//! `instruments.validate`) has recorded an exception with a reason and an end date.

use super::{
    check_code, code_taken, double_option, label_of, opt_text, record_code, req_text, url,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use chrono::{Months, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{
    instrument, instrument_calibration, instrument_exception, instrument_use,
};

// ---------------------------------------------------------------------------------------------
// Pure rules (no I/O, `today` is a parameter).

/// State of an instrument on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentState {
    /// Calibrated, next calibration more than one month away.
    Valide,
    /// Next calibration within one month (J-30 alert); still usable.
    AEtalonner,
    /// Past its calibration date, or never calibrated: blocked.
    Expire,
    /// Last calibration found it non-conforming: blocked.
    NonConforme,
}

impl InstrumentState {
    pub fn code(self) -> &'static str {
        match self {
            InstrumentState::Valide => "valide",
            InstrumentState::AEtalonner => "a_etalonner",
            InstrumentState::Expire => "expire",
            InstrumentState::NonConforme => "non_conforme",
        }
    }
    pub fn label(self, english: bool) -> &'static str {
        match (self, english) {
            (InstrumentState::Valide, false) => "Valide",
            (InstrumentState::Valide, true) => "Valid",
            (InstrumentState::AEtalonner, false) => "À étalonner",
            (InstrumentState::AEtalonner, true) => "Calibration due",
            (InstrumentState::Expire, false) => "Expiré",
            (InstrumentState::Expire, true) => "Expired",
            (InstrumentState::NonConforme, false) => "Non conforme",
            (InstrumentState::NonConforme, true) => "Non-conforming",
        }
    }
    pub fn blocked(self) -> bool {
        matches!(self, InstrumentState::Expire | InstrumentState::NonConforme)
    }
}

/// Next calibration date: last calibration + interval in months (end of month clamped, e.g.
/// 31 January + 1 month = 28/29 February).
pub fn next_calibration(last: NaiveDate, interval_months: u32) -> Option<NaiveDate> {
    last.checked_add_months(Months::new(interval_months))
}

/// The state rule. The instrument is valid up to and including its next calibration date;
/// from one month before that date it is "à étalonner" (alert); the day after, it is expired.
pub fn instrument_state(
    next: Option<NaiveDate>,
    last_result: Option<&str>,
    today: NaiveDate,
) -> InstrumentState {
    if last_result == Some("non_conforme") {
        return InstrumentState::NonConforme;
    }
    let Some(next) = next else {
        return InstrumentState::Expire;
    };
    if today > next {
        InstrumentState::Expire
    } else if next
        .checked_sub_months(Months::new(1))
        .is_none_or(|alert| today >= alert)
    {
        InstrumentState::AEtalonner
    } else {
        InstrumentState::Valide
    }
}

/// An exception (derogation) as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionWindow {
    pub id: i64,
    /// Last day the exception covers (inclusive).
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseDecision {
    Allowed,
    /// Blocked instrument used under this exception.
    AllowedByException(i64),
    Refused(InstrumentState),
}

/// Whether an instrument in `state` may be used `today`, given its exceptions.
pub fn use_decision(
    state: InstrumentState,
    exceptions: &[ExceptionWindow],
    today: NaiveDate,
) -> UseDecision {
    if !state.blocked() {
        return UseDecision::Allowed;
    }
    exceptions
        .iter()
        .filter(|e| e.valid_until >= today)
        .max_by_key(|e| (e.valid_until, e.id))
        .map_or(UseDecision::Refused(state), |e| {
            UseDecision::AllowedByException(e.id)
        })
}

// ---------------------------------------------------------------------------------------------
// Records.

pub const SORTABLE: &[&str] = &[
    "code",
    "name",
    "instrument_type",
    "next_calibration",
    "last_calibration",
    "created_at",
    "updated_at",
    "id",
];

pub const TYPES: &[(&str, &str, &str)] = &[
    ("pied_a_coulisse", "Pied à coulisse", "Caliper"),
    ("micrometre", "Micromètre", "Micrometer"),
    ("comparateur", "Comparateur", "Dial indicator"),
    ("alesometre", "Alésomètre", "Bore gauge"),
    ("tampon_lisse", "Tampon lisse", "Plain plug gauge"),
    ("tampon_filete", "Tampon fileté", "Thread plug gauge"),
    ("bague", "Bague", "Ring gauge"),
    ("cale_etalon", "Cales étalons", "Gauge blocks"),
    ("colonne_mesure", "Colonne de mesure", "Height gauge"),
    ("rugosimetre", "Rugosimètre", "Roughness tester"),
    ("mmt", "MMT", "CMM"),
    ("autre", "Autre", "Other"),
];

pub const RESULTS: &[(&str, &str, &str)] = &[
    ("conforme", "Conforme", "Conforming"),
    ("non_conforme", "Non conforme", "Non-conforming"),
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExceptionView {
    pub id: i64,
    pub reason: String,
    pub valid_until: NaiveDate,
    pub granted_by_login: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Still covering today.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstrumentView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub instrument_type: String,
    pub instrument_type_label: String,
    pub range: Option<String>,
    pub resolution: Option<String>,
    pub serial: Option<String>,
    pub location: Option<String>,
    pub calibration_interval_months: i32,
    pub last_calibration: Option<NaiveDate>,
    pub next_calibration: Option<NaiveDate>,
    pub last_result: Option<String>,
    pub certificate_ref: Option<String>,
    /// `valide`, `a_etalonner`, `expire` or `non_conforme`, computed for today.
    pub state: String,
    pub state_label: String,
    /// Days until the next calibration (negative when overdue).
    pub days_to_due: Option<i64>,
    /// The exception covering today, if any.
    pub current_exception: Option<ExceptionView>,
    /// Whether a use would be accepted today.
    pub usable: bool,
    pub active: bool,
    /// `en_service` / `hors_service`
    pub status: String,
    pub status_label: String,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

fn exception_view(e: &instrument_exception::Model, today: NaiveDate) -> ExceptionView {
    ExceptionView {
        id: e.id,
        reason: e.reason.clone(),
        valid_until: e.valid_until,
        granted_by_login: e.granted_by_login.clone(),
        created_at: e.created_at,
        current: e.valid_until >= today,
    }
}

/// `exceptions` are this instrument's exceptions (any order).
pub fn view(
    m: &instrument::Model,
    exceptions: &[instrument_exception::Model],
    today: NaiveDate,
    base_url: &str,
    english: bool,
) -> InstrumentView {
    let state = instrument_state(m.next_calibration, m.last_result.as_deref(), today);
    let windows: Vec<ExceptionWindow> = exceptions
        .iter()
        .map(|e| ExceptionWindow {
            id: e.id,
            valid_until: e.valid_until,
        })
        .collect();
    let current = exceptions
        .iter()
        .filter(|e| e.valid_until >= today)
        .max_by_key(|e| (e.valid_until, e.id));
    let decision = use_decision(state, &windows, today);
    InstrumentView {
        id: m.id,
        code: m.code.clone(),
        name: m.name.clone(),
        instrument_type: m.instrument_type.clone(),
        instrument_type_label: label_of(TYPES, &m.instrument_type, english),
        range: m.range_text.clone(),
        resolution: m.resolution.clone(),
        serial: m.serial.clone(),
        location: m.location.clone(),
        calibration_interval_months: m.calibration_interval_months,
        last_calibration: m.last_calibration,
        next_calibration: m.next_calibration,
        last_result: m.last_result.clone(),
        certificate_ref: m.certificate_ref.clone(),
        state: state.code().into(),
        state_label: state.label(english).into(),
        days_to_due: m.next_calibration.map(|n| (n - today).num_days()),
        current_exception: current.map(|e| exception_view(e, today)),
        usable: m.active && !matches!(decision, UseDecision::Refused(_)),
        active: m.active,
        status: if m.active {
            "en_service"
        } else {
            "hors_service"
        }
        .into(),
        status_label: match (m.active, english) {
            (true, false) => "En service",
            (true, true) => "In service",
            (false, false) => "Hors service",
            (false, true) => "Out of service",
        }
        .into(),
        url: url(base_url, "instruments", m.id),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn snapshot(m: &instrument::Model) -> serde_json::Value {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("created_at");
        o.remove("updated_at");
    }
    v
}

/// Fields for creation (absent = empty) and PATCH (absent = unchanged, `null` = cleared).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InstrumentFields {
    pub code: Option<String>,
    pub name: Option<String>,
    pub instrument_type: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub range: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub resolution: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub serial: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
    pub calibration_interval_months: Option<i64>,
    /// `YYYY-MM-DD`; the next date is computed from it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub last_calibration: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub certificate_ref: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct InstrumentPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: InstrumentFields,
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

fn not_in_future(v: &mut Validator, field: &str, d: Option<NaiveDate>, today: NaiveDate) {
    if d.is_some_and(|d| d > today) {
        v.add(
            field,
            "in_future",
            "La date ne peut pas être dans le futur.",
            "The date cannot be in the future.",
        );
    }
}

fn build(
    cur: Option<&instrument::Model>,
    f: &InstrumentFields,
    today: NaiveDate,
) -> Result<instrument::ActiveModel, AppError> {
    let mut v = Validator::default();
    let code = record_code(
        &mut v,
        "code",
        f.code.as_deref().or(cur.map(|m| m.code.as_str())),
    );
    let name = req_text(
        &mut v,
        "name",
        f.name.as_deref().or(cur.map(|m| m.name.as_str())),
        200,
        "La désignation",
        "The name",
    );
    let itype = check_code(
        &mut v,
        "instrument_type",
        f.instrument_type
            .as_deref()
            .or(cur.map(|m| m.instrument_type.as_str())),
        TYPES,
        true,
    );
    let range = opt_text(
        &mut v,
        "range",
        pick(&f.range, cur.and_then(|m| m.range_text.clone())).as_deref(),
        100,
    );
    let resolution = opt_text(
        &mut v,
        "resolution",
        pick(&f.resolution, cur.and_then(|m| m.resolution.clone())).as_deref(),
        100,
    );
    let serial = opt_text(
        &mut v,
        "serial",
        pick(&f.serial, cur.and_then(|m| m.serial.clone())).as_deref(),
        100,
    );
    let location = opt_text(
        &mut v,
        "location",
        pick(&f.location, cur.and_then(|m| m.location.clone())).as_deref(),
        200,
    );
    let interval = match f
        .calibration_interval_months
        .or(cur.map(|m| i64::from(m.calibration_interval_months)))
    {
        Some(n) if (1..=120).contains(&n) => Some(n as u32),
        Some(_) => {
            v.add(
                "calibration_interval_months",
                "out_of_range",
                "La périodicité d'étalonnage doit être entre 1 et 120 mois.",
                "The calibration interval must be between 1 and 120 months.",
            );
            None
        }
        None => {
            v.add(
                "calibration_interval_months",
                "required",
                "La périodicité d'étalonnage (en mois) est obligatoire.",
                "The calibration interval (months) is required.",
            );
            None
        }
    };
    let last = match &f.last_calibration {
        Some(s) => {
            let d = date_field(&mut v, "last_calibration", s.as_deref());
            not_in_future(&mut v, "last_calibration", d, today);
            d
        }
        None => cur.and_then(|m| m.last_calibration),
    };
    let certificate_ref = opt_text(
        &mut v,
        "certificate_ref",
        pick(
            &f.certificate_ref,
            cur.and_then(|m| m.certificate_ref.clone()),
        )
        .as_deref(),
        100,
    );
    v.finish()?;
    let interval = interval.unwrap_or(12);
    Ok(instrument::ActiveModel {
        code: Set(code),
        name: Set(name),
        instrument_type: Set(itype.unwrap_or_default()),
        range_text: Set(range),
        resolution: Set(resolution),
        serial: Set(serial),
        location: Set(location),
        calibration_interval_months: Set(interval as i32),
        last_calibration: Set(last),
        next_calibration: Set(last.and_then(|l| next_calibration(l, interval))),
        certificate_ref: Set(certificate_ref),
        active: Set(f.active.or(cur.map(|m| m.active)).unwrap_or(true)),
        ..Default::default()
    })
}

#[derive(Debug, Clone, Default)]
pub struct InstrumentFilter {
    pub instrument_type: Option<String>,
    /// `valide`, `a_etalonner`, `expire`, `non_conforme`
    pub state: Option<String>,
    pub active: Option<bool>,
}

pub const STATES: &[(&str, &str, &str)] = &[
    ("valide", "Valide", "Valid"),
    ("a_etalonner", "À étalonner", "Calibration due"),
    ("expire", "Expiré", "Expired"),
    ("non_conforme", "Non conforme", "Non-conforming"),
];

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    q: &ListQuery,
    f: &InstrumentFilter,
) -> Result<Page<instrument::Model>, AppError> {
    ctx.require(Module::Instruments, Action::Read)?;
    let mut v = Validator::default();
    let itype = check_code(
        &mut v,
        "instrument_type",
        f.instrument_type.as_deref(),
        TYPES,
        false,
    );
    let state = check_code(&mut v, "state", f.state.as_deref(), STATES, false);
    v.finish()?;
    use instrument::Column as C;
    let mut s = instrument::Entity::find();
    if let Some(t) = itype {
        s = s.filter(C::InstrumentType.eq(t));
    }
    if let Some(a) = f.active {
        s = s.filter(C::Active.eq(a));
    }
    if let Some(st) = state {
        // Same rule as `instrument_state`, written as SQL on the stored dates.
        let nc = || {
            Condition::any()
                .add(C::LastResult.is_null())
                .add(C::LastResult.ne("non_conforme"))
        };
        let alert_from = today.checked_add_months(Months::new(1)).unwrap_or(today);
        s = match st.as_str() {
            "non_conforme" => s.filter(C::LastResult.eq("non_conforme")),
            "expire" => s.filter(nc()).filter(
                Condition::any()
                    .add(C::NextCalibration.is_null())
                    .add(C::NextCalibration.lt(today)),
            ),
            // today >= next − 1 month  ⇔  next <= today + 1 month (for month arithmetic on
            // real calendars this can differ by a day at month ends; the view recomputes).
            "a_etalonner" => s
                .filter(nc())
                .filter(C::NextCalibration.gte(today))
                .filter(C::NextCalibration.lte(alert_from)),
            _ => s.filter(nc()).filter(C::NextCalibration.gt(alert_from)),
        };
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: C| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(C::Code)
                .or(like(C::Name))
                .or(like(C::Serial))
                .or(like(C::RangeText))
                .or(like(C::Location)),
        );
    }
    let col = |f: &str| match f {
        "code" => C::Code,
        "name" => C::Name,
        "instrument_type" => C::InstrumentType,
        "next_calibration" => C::NextCalibration,
        "last_calibration" => C::LastCalibration,
        "created_at" => C::CreatedAt,
        "updated_at" => C::UpdatedAt,
        _ => C::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(C::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(C::Id),
        None => s.order_by_asc(C::Code),
    };
    fetch_page(s, q, &db.conn).await
}

/// Exceptions of these instruments (for views).
pub async fn exceptions_of(
    db: &Db,
    ids: &[i64],
) -> Result<Vec<instrument_exception::Model>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(instrument_exception::Entity::find()
        .filter(instrument_exception::Column::InstrumentId.is_in(ids.iter().copied()))
        .order_by_desc(instrument_exception::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<instrument::Model, AppError> {
    ctx.require(Module::Instruments, Action::Read)?;
    find(&db.conn, id).await
}

async fn find<C: sea_orm::ConnectionTrait>(c: &C, id: i64) -> Result<instrument::Model, AppError> {
    instrument::Entity::find_by_id(id)
        .one(c)
        .await?
        .ok_or_else(|| AppError::not_found("Instrument", "Instrument"))
}

async fn check_unique<C: sea_orm::ConnectionTrait>(
    c: &C,
    am: &instrument::ActiveModel,
    except: Option<i64>,
) -> Result<(), AppError> {
    let code = am.code.clone().unwrap();
    let serial = am.serial.clone().unwrap();
    let mut errors: Vec<FieldError> = vec![];
    let mut s = instrument::Entity::find().filter(instrument::Column::Code.eq(code.as_str()));
    if let Some(id) = except {
        s = s.filter(instrument::Column::Id.ne(id));
    }
    if s.one(c).await?.is_some() {
        errors.push(code_taken("code", &code));
    }
    if let Some(serial) = serial {
        let mut s =
            instrument::Entity::find().filter(instrument::Column::Serial.eq(serial.as_str()));
        if let Some(id) = except {
            s = s.filter(instrument::Column::Id.ne(id));
        }
        if s.one(c).await?.is_some() {
            errors.push(FieldError::new(
                "serial",
                "serial_taken",
                format!("Le numéro de série « {serial} » est déjà enregistré."),
                format!("The serial number “{serial}” is already recorded."),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(errors))
    }
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    f: InstrumentFields,
) -> Result<instrument::Model, AppError> {
    ctx.require(Module::Instruments, Action::Create)?;
    let am = build(None, &f, today)?;
    let tx = db.write().await?;
    let m = insert(&tx.tx, ctx, am).await?;
    tx.commit().await?;
    Ok(m)
}

async fn insert(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    mut am: instrument::ActiveModel,
) -> Result<instrument::Model, AppError> {
    check_unique(tx, &am, None).await?;
    let now = crate::now();
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let m = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        "instrument",
        &m.id.to_string(),
        "create",
        None,
        Some(snapshot(&m)),
    )
    .await?;
    Ok(m)
}

pub async fn update(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    id: i64,
    p: InstrumentPatch,
) -> Result<instrument::Model, AppError> {
    ctx.require(Module::Instruments, Action::Update)?;
    let current = find(&db.conn, id).await?;
    let am = build(Some(&current), &p.fields, today)?;
    if p.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    check_unique(&tx.tx, &am, Some(id)).await?;
    let m = save(&tx.tx, ctx, &current, am, p.version, "update").await?;
    tx.commit().await?;
    Ok(m)
}

async fn save(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    current: &instrument::Model,
    mut am: instrument::ActiveModel,
    version: i32,
    action: &str,
) -> Result<instrument::Model, AppError> {
    am.updated_at = Set(crate::now());
    am.version = Set(current.version + 1);
    let res = instrument::Entity::update_many()
        .set(am)
        .filter(instrument::Column::Id.eq(current.id))
        .filter(instrument::Column::Version.eq(version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let updated = find(tx, current.id).await?;
    audit::record(
        tx,
        ctx,
        "instrument",
        &current.id.to_string(),
        action,
        Some(snapshot(current)),
        Some(snapshot(&updated)),
    )
    .await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Calibrations.

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewCalibration {
    /// `YYYY-MM-DD`, not in the future.
    pub date: Option<String>,
    /// `conforme` or `non_conforme`
    pub result: Option<String>,
    pub certificate_no: Option<String>,
    /// Laboratory or person who calibrated.
    pub performed_by: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalibrationView {
    pub id: i64,
    pub instrument_id: i64,
    pub date: NaiveDate,
    pub result: String,
    pub result_label: String,
    pub certificate_no: Option<String>,
    pub performed_by: String,
    pub notes: Option<String>,
    pub recorded_by: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub fn calibration_view(c: &instrument_calibration::Model, english: bool) -> CalibrationView {
    CalibrationView {
        id: c.id,
        instrument_id: c.instrument_id,
        date: c.calibrated_on,
        result: c.result.clone(),
        result_label: label_of(RESULTS, &c.result, english),
        certificate_no: c.certificate_no.clone(),
        performed_by: c.performed_by.clone(),
        notes: c.notes.clone(),
        recorded_by: c.created_by.clone(),
        created_at: c.created_at,
    }
}

pub async fn calibrations(
    db: &Db,
    ctx: &Ctx,
    id: i64,
) -> Result<Vec<instrument_calibration::Model>, AppError> {
    get(db, ctx, id).await?;
    Ok(instrument_calibration::Entity::find()
        .filter(instrument_calibration::Column::InstrumentId.eq(id))
        .order_by_desc(instrument_calibration::Column::CalibratedOn)
        .order_by_desc(instrument_calibration::Column::Id)
        .all(&db.conn)
        .await?)
}

/// Records a calibration: history row, and last/next calibration, result and certificate of
/// the instrument (next = date + interval).
pub async fn record_calibration(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    id: i64,
    n: NewCalibration,
) -> Result<(instrument::Model, instrument_calibration::Model), AppError> {
    ctx.require(Module::Instruments, Action::Update)?;
    let current = find(&db.conn, id).await?;
    let mut v = Validator::default();
    let date = date_field(&mut v, "date", n.date.as_deref());
    if n.date.as_deref().is_none_or(|s| s.trim().is_empty()) {
        v.add(
            "date",
            "required",
            "La date d'étalonnage est obligatoire.",
            "The calibration date is required.",
        );
    }
    not_in_future(&mut v, "date", date, today);
    if let (Some(d), Some(last)) = (date, current.last_calibration)
        && d < last
    {
        v.add(
            "date",
            "before_last",
            format!(
                "La date est antérieure au dernier étalonnage ({}).",
                last.format("%d/%m/%Y")
            ),
            format!("The date is before the last calibration ({last})."),
        );
    }
    let result = check_code(&mut v, "result", n.result.as_deref(), RESULTS, true);
    let certificate_no = opt_text(&mut v, "certificate_no", n.certificate_no.as_deref(), 100);
    let performed_by = req_text(
        &mut v,
        "performed_by",
        n.performed_by.as_deref(),
        200,
        "L'organisme ou la personne",
        "The laboratory or person",
    );
    let notes = opt_text(&mut v, "notes", n.notes.as_deref(), 2_000);
    v.finish()?;
    let (date, result) = (date.unwrap(), result.unwrap());
    let tx = db.write().await?;
    let cal = instrument_calibration::ActiveModel {
        instrument_id: Set(id),
        calibrated_on: Set(date),
        result: Set(result.clone()),
        certificate_no: Set(certificate_no.clone()),
        performed_by: Set(performed_by),
        notes: Set(notes),
        created_by: Set(Some(ctx.actor_login().to_string())),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    let am = instrument::ActiveModel {
        last_calibration: Set(Some(date)),
        next_calibration: Set(next_calibration(
            date,
            current.calibration_interval_months as u32,
        )),
        last_result: Set(Some(result)),
        certificate_ref: Set(certificate_no.or(current.certificate_ref.clone())),
        ..Default::default()
    };
    let m = save(&tx.tx, ctx, &current, am, current.version, "calibration").await?;
    tx.commit().await?;
    Ok((m, cal))
}

// ---------------------------------------------------------------------------------------------
// Exceptions and uses.

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewException {
    pub reason: Option<String>,
    /// Last day covered, `YYYY-MM-DD` (today at the earliest, one year at most).
    pub valid_until: Option<String>,
}

pub async fn exceptions(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    id: i64,
) -> Result<Vec<ExceptionView>, AppError> {
    get(db, ctx, id).await?;
    Ok(exceptions_of(db, &[id])
        .await?
        .iter()
        .map(|e| exception_view(e, today))
        .collect())
}

/// A responsable (right `instruments.validate`) lets a blocked instrument be used until a date.
pub async fn grant_exception(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    id: i64,
    n: NewException,
) -> Result<ExceptionView, AppError> {
    ctx.require(Module::Instruments, Action::Validate)?;
    let inst = find(&db.conn, id).await?;
    let mut v = Validator::default();
    let reason = req_text(
        &mut v,
        "reason",
        n.reason.as_deref(),
        500,
        "Le motif de la dérogation",
        "The reason for the exception",
    );
    let until = date_field(&mut v, "valid_until", n.valid_until.as_deref());
    if n.valid_until.as_deref().is_none_or(|s| s.trim().is_empty()) {
        v.add(
            "valid_until",
            "required",
            "La date de fin de la dérogation est obligatoire.",
            "The end date of the exception is required.",
        );
    }
    if let Some(u) = until {
        let max = today.checked_add_months(Months::new(12)).unwrap_or(today);
        if u < today || u > max {
            v.add(
                "valid_until",
                "out_of_range",
                "La dérogation se termine entre aujourd'hui et dans un an au plus.",
                "The exception ends between today and one year from now.",
            );
        }
    }
    v.finish()?;
    let tx = db.write().await?;
    let e = instrument_exception::ActiveModel {
        instrument_id: Set(inst.id),
        reason: Set(reason),
        valid_until: Set(until.unwrap()),
        granted_by: Set(ctx.actor_id()),
        granted_by_login: Set(Some(ctx.actor_login().to_string())),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    audit::record(
        &tx.tx,
        ctx,
        "instrument",
        &id.to_string(),
        "exception",
        None,
        Some(serde_json::json!({
            "exception_id": e.id, "reason": e.reason, "valid_until": e.valid_until,
            "state": instrument_state(inst.next_calibration, inst.last_result.as_deref(), today).code(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(exception_view(&e, today))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUse {
    /// Job / operation reference, e.g. `OF-2026-0142 / OP20`.
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UseView {
    pub id: i64,
    pub instrument_id: i64,
    pub reference: String,
    pub used_on: NaiveDate,
    pub state: String,
    pub exception_id: Option<i64>,
    pub user_login: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub fn use_view(u: &instrument_use::Model) -> UseView {
    UseView {
        id: u.id,
        instrument_id: u.instrument_id,
        reference: u.reference.clone(),
        used_on: u.used_on,
        state: u.state.clone(),
        exception_id: u.exception_id,
        user_login: u.user_login.clone(),
        created_at: u.created_at,
    }
}

/// Records a use of the instrument today; refused (409 `instrument_blocked`) when the
/// instrument is expired or non-conforming without a current exception, or out of service.
/// Any reader of instruments may record a use (the shop floor scans the instrument's QR).
pub async fn record_use(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
    id: i64,
    n: NewUse,
) -> Result<instrument_use::Model, AppError> {
    ctx.require(Module::Instruments, Action::Read)?;
    let inst = find(&db.conn, id).await?;
    let mut v = Validator::default();
    let reference = req_text(
        &mut v,
        "reference",
        n.reference.as_deref(),
        200,
        "La référence de l'OF / opération",
        "The job/operation reference",
    );
    v.finish()?;
    let tx = db.write().await?;
    let u = record_use_in(&tx.tx, ctx, today, &inst, reference, None).await?;
    tx.commit().await?;
    Ok(u)
}

/// Records a use of `inst` in the caller's transaction (the rule of [`record_use`]); the shop
/// floor passes the operation the instrument was scanned for.
pub async fn record_use_in<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    today: NaiveDate,
    inst: &instrument::Model,
    reference: String,
    operation_id: Option<i64>,
) -> Result<instrument_use::Model, AppError> {
    if !inst.active {
        return Err(AppError::new(
            Kind::Conflict,
            "instrument_out_of_service",
            format!(
                "L'instrument {} est hors service : utilisation refusée.",
                inst.code
            ),
            format!("Instrument {} is out of service: use refused.", inst.code),
        ));
    }
    let exceptions: Vec<ExceptionWindow> = instrument_exception::Entity::find()
        .filter(instrument_exception::Column::InstrumentId.eq(inst.id))
        .all(tx)
        .await?
        .iter()
        .map(|e| ExceptionWindow {
            id: e.id,
            valid_until: e.valid_until,
        })
        .collect();
    let state = instrument_state(inst.next_calibration, inst.last_result.as_deref(), today);
    let exception_id = match use_decision(state, &exceptions, today) {
        UseDecision::Allowed => None,
        UseDecision::AllowedByException(e) => Some(e),
        UseDecision::Refused(s) => {
            let (fr, en) = match s {
                InstrumentState::NonConforme => (
                    format!(
                        "L'instrument {} est non conforme à son dernier étalonnage : utilisation refusée sans dérogation de la direction.",
                        inst.code
                    ),
                    format!(
                        "Instrument {} failed its last calibration: use refused without an exception granted by management.",
                        inst.code
                    ),
                ),
                _ => match inst.next_calibration {
                    Some(n) => (
                        format!(
                            "L'instrument {} n'est plus étalonné depuis le {} : utilisation refusée sans dérogation de la direction.",
                            inst.code,
                            n.format("%d/%m/%Y")
                        ),
                        format!(
                            "Instrument {}'s calibration expired on {n}: use refused without an exception granted by management.",
                            inst.code
                        ),
                    ),
                    None => (
                        format!(
                            "L'instrument {} n'a jamais été étalonné : utilisation refusée sans dérogation de la direction.",
                            inst.code
                        ),
                        format!(
                            "Instrument {} was never calibrated: use refused without an exception granted by management.",
                            inst.code
                        ),
                    ),
                },
            };
            return Err(AppError::new(Kind::Conflict, "instrument_blocked", fr, en));
        }
    };
    let u = instrument_use::ActiveModel {
        instrument_id: Set(inst.id),
        operation_id: Set(operation_id),
        reference: Set(reference),
        used_on: Set(today),
        state: Set(state.code().into()),
        exception_id: Set(exception_id),
        user_id: Set(ctx.actor_id()),
        user_login: Set(Some(ctx.actor_login().to_string())),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        "instrument",
        &inst.id.to_string(),
        "use",
        None,
        Some(serde_json::json!({
            "use_id": u.id, "reference": u.reference, "state": u.state, "exception_id": u.exception_id,
        })),
    )
    .await?;
    Ok(u)
}

pub async fn uses(db: &Db, ctx: &Ctx, id: i64) -> Result<Vec<instrument_use::Model>, AppError> {
    get(db, ctx, id).await?;
    Ok(instrument_use::Entity::find()
        .filter(instrument_use::Column::InstrumentId.eq(id))
        .order_by_desc(instrument_use::Column::Id)
        .all(&db.conn)
        .await?)
}

/// Demo loader: an instrument and its last calibration (conforming).
pub(crate) async fn insert_demo(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    today: NaiveDate,
    f: InstrumentFields,
    lab: &str,
    certificate: Option<String>,
) -> Result<instrument::Model, AppError> {
    let mut am = build(None, &f, today)?;
    let last = am.last_calibration.clone().unwrap();
    if last.is_some() {
        am.last_result = Set(Some("conforme".into()));
        am.certificate_ref = Set(certificate.clone());
    }
    let m = insert(tx, ctx, am).await?;
    if let Some(date) = last {
        instrument_calibration::ActiveModel {
            instrument_id: Set(m.id),
            calibrated_on: Set(date),
            result: Set("conforme".into()),
            certificate_no: Set(certificate),
            performed_by: Set(lab.into()),
            notes: Set(None),
            created_by: Set(Some(ctx.actor_login().to_string())),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn next_calibration_is_last_plus_interval_in_months() {
        assert_eq!(next_calibration(d("2025-06-10"), 12), Some(d("2026-06-10")));
        assert_eq!(next_calibration(d("2024-05-06"), 36), Some(d("2027-05-06")));
        assert_eq!(next_calibration(d("2026-01-31"), 1), Some(d("2026-02-28")));
    }

    #[test]
    fn an_instrument_is_due_one_month_before_and_expired_the_day_after_its_date() {
        let next = Some(d("2026-03-24"));
        assert_eq!(
            instrument_state(next, Some("conforme"), d("2026-02-23")),
            InstrumentState::Valide
        );
        assert_eq!(
            instrument_state(next, Some("conforme"), d("2026-02-24")),
            InstrumentState::AEtalonner
        );
        assert_eq!(
            instrument_state(next, None, d("2026-03-24")),
            InstrumentState::AEtalonner
        );
        assert_eq!(
            instrument_state(next, None, d("2026-03-25")),
            InstrumentState::Expire
        );
        assert_eq!(
            instrument_state(None, None, d("2026-03-25")),
            InstrumentState::Expire
        );
        assert_eq!(
            instrument_state(Some(d("2027-01-01")), Some("non_conforme"), d("2026-03-25")),
            InstrumentState::NonConforme
        );
    }

    #[test]
    fn an_expired_instrument_cannot_be_used_without_an_exception_and_the_exception_expires() {
        // I09 plug gauge: calibration due 2026-02-13.
        let next = Some(d("2026-02-13"));
        let on = |day: &str| instrument_state(next, Some("conforme"), d(day));
        assert_eq!(
            use_decision(on("2026-02-13"), &[], d("2026-02-13")),
            UseDecision::Allowed
        );
        let today = d("2026-03-02");
        assert_eq!(
            use_decision(on("2026-03-02"), &[], today),
            UseDecision::Refused(InstrumentState::Expire)
        );
        // Direction grants an exception until 2026-03-06.
        let ex = [ExceptionWindow {
            id: 7,
            valid_until: d("2026-03-06"),
        }];
        assert_eq!(
            use_decision(on("2026-03-02"), &ex, today),
            UseDecision::AllowedByException(7)
        );
        assert_eq!(
            use_decision(on("2026-03-06"), &ex, d("2026-03-06")),
            UseDecision::AllowedByException(7)
        );
        // The day after its end date the exception no longer covers the use.
        assert_eq!(
            use_decision(on("2026-03-07"), &ex, d("2026-03-07")),
            UseDecision::Refused(InstrumentState::Expire)
        );
        // Of several exceptions, the one reaching furthest is used.
        let ex2 = [
            ex[0],
            ExceptionWindow {
                id: 9,
                valid_until: d("2026-03-20"),
            },
        ];
        assert_eq!(
            use_decision(on("2026-03-07"), &ex2, d("2026-03-07")),
            UseDecision::AllowedByException(9)
        );
        // A valid instrument never needs one.
        assert_eq!(
            use_decision(InstrumentState::AEtalonner, &[], today),
            UseDecision::Allowed
        );
    }
}
