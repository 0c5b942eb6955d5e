//! Orders and jobs at scale (issue 6): ten years of a busy shop on PostgreSQL — 20,000 orders,
//! ~30,000 order lines and jobs, ~150,000 routing operations with their method sheets, routing
//! versions and delivery notes — then the latency at the API (through the real router, bodies
//! fully read) of the order list with filters, an order, the job list, a job with its routing
//! and a method sheet; then the time to validate an order of 10 lines (jobs, routings and
//! method sheets generated), on PostgreSQL at scale and on a fresh SQLite file.
//!
//! Run with `bash scripts/orders-bench.sh` (release build; see docs/benchmarks.md).
//! Environment:
//! - `USINAGE_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
//! - `USINAGE_BENCH_ORDERS` (default 20000) — fewer for a quick try;
//! - `USINAGE_BENCH_KEEP_SCHEMA=1` keeps the PostgreSQL schema (its name is printed) to run
//!   `EXPLAIN ANALYZE` by hand; drop it afterwards;
//! - `USINAGE_BENCH_SKIP_SQLITE=1` skips the SQLite comparison.
//!
//! The data set is deterministic (fixed seed); dates are spread over the ten years before the
//! day of the run, so "late" and open orders keep the same shape whenever it runs.

use anyhow::{Context, anyhow, bail};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, QueryResult, Statement, TransactionTrait};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Instant;
use tower::ServiceExt;
use usinage_api::{ApiConfig, AppState};
use usinage_store::Db;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const DEMO_PASSWORD: &str = "usinage-demo";
const WARMUPS: usize = 5;
const SAMPLES: usize = 50;
const GENERATION_RUNS: usize = 5;
const LINES_PER_GENERATED_ORDER: usize = 10;
/// Clients in the data set (the demo's, then made-up ones).
const CLIENTS: usize = 60;
/// Rows per multi-row INSERT.
const BATCH: usize = 500;

type Res<T> = anyhow::Result<T>;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn flag(name: &str) -> bool {
    matches!(
        std::env::var(name).as_deref(),
        Ok("1" | "true" | "yes" | "oui")
    )
}

fn main() -> Res<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run())
}

async fn run() -> Res<()> {
    let url = env_or("USINAGE_BENCH_POSTGRES_URL", DEFAULT_URL);
    let orders: usize = env_or("USINAGE_BENCH_ORDERS", "20000")
        .parse()
        .context("USINAGE_BENCH_ORDERS")?;
    println!("# Orders and jobs at scale\n");
    println!(
        "PostgreSQL {url}, {orders} orders over 10 years, {SAMPLES} requests per case after {WARMUPS} warm-ups.\n"
    );
    let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let admin = Db::connect(&url, None).await.context("PostgreSQL")?;
    admin
        .conn
        .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await?;
    // The work runs in its own task so that a panic still drops the schema.
    let outcome = tokio::spawn(postgres_part(url.clone(), schema.clone(), orders)).await;
    if flag("USINAGE_BENCH_KEEP_SCHEMA") {
        println!(
            "\nSchema kept: {schema} (psql \"{url}\" -c 'SET search_path={schema}' …; DROP SCHEMA {schema} CASCADE when done)"
        );
    } else {
        admin
            .conn
            .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
            .await?;
    }
    admin.conn.close().await.ok();
    match outcome {
        Ok(r) => r?,
        Err(e) => bail!("the PostgreSQL part panicked: {e}"),
    }
    if !flag("USINAGE_BENCH_SKIP_SQLITE") {
        sqlite_part().await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The application under test
// ---------------------------------------------------------------------------------------------

struct App {
    db: Db,
    router: Router,
}

impl App {
    /// Migrated, bootstrapped database with the demo shop, and the real router.
    async fn new(db: Db) -> Res<App> {
        db.migrate().await.context("migrate")?;
        usinage_app::bootstrap::ensure_initialized(&db, false)
            .await
            .map_err(|e| anyhow!("bootstrap: {e:?}"))?;
        usinage_app::demo::load(&db)
            .await
            .map_err(|e| anyhow!("demo: {e:?}"))?;
        let state = AppState::new(
            db.clone(),
            ApiConfig {
                public_base_url: "http://atelier.bench:8080".into(),
                serve_ui: false,
                demo: true,
            },
        );
        let router = usinage_api::router(state);
        Ok(App { db, router })
    }

    /// One request through the router; the body is read to the end.
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Res<(StatusCode, bytes::Bytes)> {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(j) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(j.to_string()))?,
            None => b.body(Body::empty())?,
        };
        let res = self.router.clone().oneshot(req).await?;
        let status = res.status();
        let bytes = res.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }

    async fn json(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Res<Value> {
        let (status, bytes) = self
            .call(method.clone(), path, Some(token), body.as_ref())
            .await?;
        if !status.is_success() {
            bail!(
                "{method} {path} → {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        Ok(serde_json::from_slice(&bytes)?)
    }

    async fn get(&self, path: &str, token: &str) -> Res<Value> {
        self.json(Method::GET, path, token, None).await
    }

    async fn login(&self, login: &str) -> Res<String> {
        let (status, bytes) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(&json!({"login": login, "password": DEMO_PASSWORD})),
            )
            .await?;
        if status != StatusCode::OK {
            bail!(
                "login {login} → {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        let v: Value = serde_json::from_slice(&bytes)?;
        v["access_token"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("no access_token for {login}"))
    }

    async fn rows(&self, sql: &str) -> Res<Vec<QueryResult>> {
        self.db
            .conn
            .query_all_raw(Statement::from_string(
                self.db.db_backend(),
                sql.to_string(),
            ))
            .await
            .with_context(|| sql.to_string())
    }

    async fn int(&self, sql: &str) -> Res<i64> {
        let rows = self.rows(sql).await?;
        let row = rows.first().ok_or_else(|| anyhow!("no row: {sql}"))?;
        Ok(row.try_get_by_index::<i64>(0)?)
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic data
// ---------------------------------------------------------------------------------------------

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
    /// Index drawn with these weights.
    fn weighted(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut x = self.unit() * total;
        for (i, wi) in w.iter().enumerate() {
            if x < *wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }
}

/// SQL literals (PostgreSQL, standard_conforming_strings on).
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One `(…)` row of a multi-row INSERT.
#[derive(Default)]
struct Row(Vec<String>);

impl Row {
    fn s(mut self, v: &str) -> Self {
        self.0.push(q(v));
        self
    }
    fn os(mut self, v: Option<&str>) -> Self {
        self.0.push(v.map(q).unwrap_or_else(|| "NULL".into()));
        self
    }
    fn i(mut self, v: i64) -> Self {
        self.0.push(v.to_string());
        self
    }
    fn oi(mut self, v: Option<i64>) -> Self {
        self.0
            .push(v.map(|v| v.to_string()).unwrap_or_else(|| "NULL".into()));
        self
    }
    fn b(mut self, v: bool) -> Self {
        self.0.push(if v { "TRUE" } else { "FALSE" }.into());
        self
    }
    fn d(self, v: NaiveDate) -> Self {
        self.od(Some(v))
    }
    fn od(mut self, v: Option<NaiveDate>) -> Self {
        self.0
            .push(v.map(|d| format!("'{d}'")).unwrap_or_else(|| "NULL".into()));
        self
    }
    fn t(self, v: DateTime<Utc>) -> Self {
        self.ot(Some(v))
    }
    fn ot(mut self, v: Option<DateTime<Utc>>) -> Self {
        self.0.push(
            v.map(|t| format!("'{}+00'", t.format("%Y-%m-%d %H:%M:%S")))
                .unwrap_or_else(|| "NULL".into()),
        );
        self
    }
    fn done(self) -> String {
        format!("({})", self.0.join(","))
    }
}

/// Rows of one table, inserted in batches.
struct Table {
    name: &'static str,
    cols: &'static str,
    rows: Vec<String>,
}

impl Table {
    fn new(name: &'static str, cols: &'static str) -> Table {
        Table {
            name,
            cols,
            rows: Vec::new(),
        }
    }
    fn push(&mut self, r: Row) {
        self.rows.push(r.done());
    }
    async fn insert<C: ConnectionTrait>(&self, db: &C) -> Res<()> {
        for chunk in self.rows.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}",
                self.name,
                self.cols,
                chunk.join(",")
            );
            db.execute_unprepared(&sql)
                .await
                .with_context(|| format!("insert into {}", self.name))?;
        }
        Ok(())
    }
}

struct Client {
    id: i64,
    critical: bool,
    /// Prefix of the client's part references.
    prefix: String,
}

/// What the generated rows copy from the demo shop (its generated routings and sheets).
#[derive(Clone)]
struct OpTemplate {
    label: String,
    description: Option<String>,
    skills: String,
    tools_json: String,
    instruments_json: String,
    setup_min: String,
    run_min: String,
}

struct Refs {
    clients: Vec<Client>,
    client_weights: Vec<f64>,
    saws: Vec<i64>,
    lathes: Vec<i64>,
    mills: Vec<i64>,
    grinders: Vec<i64>,
    grades: Vec<i64>,
    commercial_id: Option<i64>,
    suppliers: Vec<(i64, String)>,
    ops: BTreeMap<String, Vec<OpTemplate>>,
    sheets: Vec<String>,
    parts: Vec<String>,
    debits: Vec<String>,
}

fn s(r: &QueryResult, col: &str) -> Res<String> {
    Ok(r.try_get::<String>("", col)?)
}
fn os(r: &QueryResult, col: &str) -> Res<Option<String>> {
    Ok(r.try_get::<Option<String>>("", col)?)
}
fn int(r: &QueryResult, col: &str) -> Res<i64> {
    Ok(r.try_get::<i64>("", col)?)
}

const CLIENT_HEADS: &[&str] = &[
    "Ateliers",
    "Mécanique",
    "Hydraulique",
    "Établissements",
    "Industries",
    "Société",
    "Groupe",
];
const CLIENT_NAMES: &[&str] = &[
    "du Dauphiné",
    "Moreau",
    "Lefèvre",
    "Rhône-Alpes",
    "de Savoie",
    "Bernard",
    "Girard",
    "du Jura",
    "Fontaine",
    "Roux",
];
const CLIENT_FORMS: &[&str] = &["SAS", "SARL", "SA", "Industrie"];
const SECTORS: &[&str] = &[
    "hydraulique",
    "machines_speciales",
    "agroalimentaire",
    "energie",
    "medical",
    "outillage",
    "ferroviaire",
    "aeronautique",
    "automobile",
];

/// Brings the client list to [`CLIENTS`] and reads what the data set copies from the demo.
async fn refs(app: &App) -> Res<Refs> {
    let existing = app
        .int("SELECT COUNT(*) FROM partners WHERE kind = 'client'")
        .await?;
    let mut rows = Table::new(
        "partners",
        "kind, name, payment_terms, sectors, supplier_kinds, critical, contacts, archived, created_at, updated_at, version",
    );
    let now = Utc::now();
    for i in existing as usize..CLIENTS {
        let name = format!(
            "{} {} {}",
            CLIENT_HEADS[i % CLIENT_HEADS.len()],
            CLIENT_NAMES[(i / CLIENT_HEADS.len()) % CLIENT_NAMES.len()],
            CLIENT_FORMS[i % CLIENT_FORMS.len()]
        );
        let sector = SECTORS[i % SECTORS.len()];
        rows.push(
            Row::default()
                .s("client")
                .s(&name)
                .s("45j_fdm")
                .s(sector)
                .s("")
                .b(sector == "aeronautique")
                .s("[]")
                .b(false)
                .t(now - Duration::days(3700))
                .t(now - Duration::days(3700))
                .i(1),
        );
    }
    rows.insert(&app.db.conn).await?;
    let mut clients = Vec::new();
    for r in app
        .rows("SELECT id, name, critical, sectors FROM partners WHERE kind = 'client' ORDER BY id")
        .await?
    {
        let name = s(&r, "name")?;
        let sectors = s(&r, "sectors")?;
        let critical: bool = r.try_get("", "critical")?;
        let prefix: String = name
            .split_whitespace()
            .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
            .filter(|c| c.is_uppercase())
            .take(3)
            .collect::<String>()
            .to_uppercase();
        clients.push(Client {
            id: int(&r, "id")?,
            critical: critical
                || sectors
                    .split_whitespace()
                    .any(|s| matches!(s, "aeronautique" | "spatial" | "defense" | "nucleaire")),
            prefix: if prefix.is_empty() {
                "PC".into()
            } else {
                prefix
            },
        });
    }
    // A few big customers, a long tail.
    let client_weights = (0..clients.len())
        .map(|k| 1.0 / ((k % 17) as f64 + 1.0).powf(0.9))
        .collect();
    let mut saws = Vec::new();
    let mut lathes = Vec::new();
    let mut mills = Vec::new();
    let mut grinders = Vec::new();
    for r in app
        .rows("SELECT id, kind FROM machines WHERE active ORDER BY id")
        .await?
    {
        let id = int(&r, "id")?;
        match s(&r, "kind")?.as_str() {
            "scie" => saws.push(id),
            "tour" => lathes.push(id),
            "tour_fraiseur" => {
                lathes.push(id);
                mills.push(id);
            }
            k if k.starts_with("fraiseuse") => mills.push(id),
            "rectifieuse" => grinders.push(id),
            _ => {}
        }
    }
    let grades = app
        .rows("SELECT id FROM material_grades ORDER BY id")
        .await?
        .iter()
        .map(|r| int(r, "id"))
        .collect::<Res<Vec<_>>>()?;
    if grades.is_empty() || (lathes.is_empty() && mills.is_empty()) {
        bail!("the demo shop has no grades or no machining machines");
    }
    let commercial_id = app
        .rows("SELECT id FROM users WHERE login = 'commercial'")
        .await?
        .first()
        .map(|r| int(r, "id"))
        .transpose()?;
    let suppliers = app
        .rows("SELECT id, name FROM partners WHERE kind <> 'client' ORDER BY id")
        .await?
        .iter()
        .map(|r| Ok((int(r, "id")?, s(r, "name")?)))
        .collect::<Res<Vec<_>>>()?;
    let mut ops: BTreeMap<String, Vec<OpTemplate>> = BTreeMap::new();
    for r in app
        .rows("SELECT process, label, description, skills, tools_json, instruments_json, setup_min, run_min FROM job_operations ORDER BY id")
        .await?
    {
        ops.entry(s(&r, "process")?).or_default().push(OpTemplate {
            label: s(&r, "label")?,
            description: os(&r, "description")?,
            skills: s(&r, "skills")?,
            tools_json: s(&r, "tools_json")?,
            instruments_json: s(&r, "instruments_json")?,
            setup_min: s(&r, "setup_min")?,
            run_min: s(&r, "run_min")?,
        });
    }
    let mut sheets = app
        .rows("SELECT content FROM method_sheets ORDER BY id")
        .await?
        .iter()
        .map(|r| s(r, "content"))
        .collect::<Res<Vec<_>>>()?;
    if sheets.is_empty() {
        sheets.push(FALLBACK_SHEET.to_string());
    }
    let mut parts = Vec::new();
    let mut debits = Vec::new();
    for r in app
        .rows("SELECT part_json, debit_json FROM jobs WHERE part_json IS NOT NULL ORDER BY id")
        .await?
    {
        parts.extend(os(&r, "part_json")?);
        debits.extend(os(&r, "debit_json")?);
    }
    Ok(Refs {
        clients,
        client_weights,
        saws,
        lathes,
        mills,
        grinders,
        grades,
        commercial_id,
        suppliers,
        ops,
        sheets,
        parts,
        debits,
    })
}

/// Used only if the demo shop has no method sheet (same shape as a generated one).
const FALLBACK_SHEET: &str = r#"{"setup":{"fixturing":"Mandrin 3 mors durs, serrage sur Ø brut, dépassement 75 mm","datums":"Référence A : axe de la pièce\nRéférence B : face d'appui","zero_point":"Face avant dressée, axe broche","notes":"C45 +N — matière certifiée non requise\nContrôler la première pièce avant la série"},"tools":[{"position":"T01","tool_id":null,"label":"Outil à charioter CNMG 120408 ébauche","kind":"tournage","diameter":null,"teeth":null,"nose_radius":0.8,"pitch":null,"intent":"ebauche","work_diameter":45.0,"ap":null,"ae":null,"vc":null,"feed":null,"conditions":{"vc":220.0,"feed_kind":"fz","feed":0.25,"ap":2.0,"ae":null,"n_rpm":1556,"vf_mm_min":389.0,"q_cm3_min":110.0,"power_kw":4.1,"machine_power_kw":15.0,"source":"Table matière P (acier non allié)","adjustments_fr":[],"warnings":[]}},{"position":"T02","tool_id":null,"label":"Outil de finition VBMT 160404","kind":"tournage","diameter":null,"teeth":null,"nose_radius":0.4,"pitch":null,"intent":"finition","work_diameter":45.0,"ap":null,"ae":null,"vc":null,"feed":null,"conditions":{"vc":260.0,"feed_kind":"fz","feed":0.1,"ap":0.5,"ae":null,"n_rpm":1839,"vf_mm_min":184.0,"q_cm3_min":13.0,"power_kw":0.6,"machine_power_kw":15.0,"source":"Table matière P (acier non allié)","adjustments_fr":[],"warnings":[]}}],"cam_steps":["Dresser la face avant","Charioter Ø45 en ébauche, surépaisseur 0,5 mm","Finir Ø45 h7","Chanfreins 1×45°","Tronçonner à 65,5 mm"],"inspection_points":[{"characteristic":"Ø45 h7","nominal":"45","tolerance":"0/-0,025","instrument_type":"micrometre","instrument_id":null,"frequency":"1re pièce puis 1/10"},{"characteristic":"Longueur 65","nominal":"65","tolerance":"±0,1","instrument_type":"pied_a_coulisse","instrument_id":null,"frequency":"1/10"}],"safety_notes":["Porter les lunettes de protection","Carter fermé pendant l'usinage"],"nc_program":null}"#;

fn op_template(refs: &Refs, rng: &mut Rng, process: &str, label: &str) -> OpTemplate {
    match refs.ops.get(process) {
        Some(v) if !v.is_empty() => rng.pick(v).clone(),
        _ => OpTemplate {
            label: label.to_string(),
            description: None,
            skills: String::new(),
            tools_json: "[]".into(),
            instruments_json: "[]".into(),
            setup_min: "15".into(),
            run_min: "2.5".into(),
        },
    }
}

/// One operation of a generated routing.
struct OpPlan {
    process: &'static str,
    machine_id: Option<i64>,
    work_centre: Option<&'static str>,
    supplier: Option<(Option<i64>, String)>,
    tpl: OpTemplate,
}

fn plan_routing(refs: &Refs, rng: &mut Rng) -> Vec<OpPlan> {
    let mut ops = Vec::new();
    let mut push = |rng: &mut Rng,
                    process: &'static str,
                    machine_id: Option<i64>,
                    work_centre: Option<&'static str>,
                    supplier: Option<(Option<i64>, String)>,
                    label: &str| {
        let tpl = op_template(refs, rng, process, label);
        ops.push(OpPlan {
            process,
            machine_id,
            work_centre,
            supplier,
            tpl,
        });
    };
    let turned = !refs.lathes.is_empty() && (refs.mills.is_empty() || rng.chance(0.55));
    if refs.saws.is_empty() {
        push(rng, "debit", None, Some("sciage"), None, "Débit");
    } else {
        let m = *rng.pick(&refs.saws);
        push(rng, "debit", Some(m), None, None, "Débit");
    }
    let mill = |rng: &mut Rng| (!refs.mills.is_empty()).then(|| *rng.pick(&refs.mills));
    if turned {
        let lathe = *rng.pick(&refs.lathes);
        push(rng, "tournage", Some(lathe), None, None, "Tournage phase 1");
        if rng.chance(0.4) {
            push(rng, "tournage", Some(lathe), None, None, "Tournage phase 2");
        }
        if rng.chance(0.25) {
            let m = mill(rng);
            push(
                rng,
                "fraisage",
                m,
                m.is_none().then_some("usinage"),
                None,
                "Fraisage méplats",
            );
        }
        if rng.chance(0.1) {
            let g = (!refs.grinders.is_empty()).then(|| *rng.pick(&refs.grinders));
            push(
                rng,
                "rectification",
                g,
                g.is_none().then_some("rectification"),
                None,
                "Rectification",
            );
        }
    } else {
        let m = mill(rng);
        let wc = m.is_none().then_some("usinage");
        push(rng, "fraisage", m, wc, None, "Fraisage phase 1");
        if rng.chance(0.5) {
            push(rng, "fraisage", m, wc, None, "Fraisage phase 2");
        }
        if rng.chance(0.35) {
            push(rng, "percage_taraudage", m, wc, None, "Perçage / taraudage");
        }
    }
    if rng.chance(0.25) {
        push(
            rng,
            "ebavurage",
            None,
            Some("ebavurage"),
            None,
            "Ébavurage / marquage",
        );
    }
    if rng.chance(0.1) {
        let supplier = if refs.suppliers.is_empty() {
            (None, "Thermi-Lyon".to_string())
        } else {
            let (id, name) = rng.pick(&refs.suppliers);
            (Some(*id), name.clone())
        };
        push(
            rng,
            "traitement_sous_traite",
            None,
            None,
            Some(supplier),
            "Traitement sous-traité",
        );
    }
    let control = if rng.chance(0.15) {
        "controle_mmt"
    } else {
        "controle"
    };
    push(rng, "controle", None, Some(control), None, "Contrôle final");
    push(
        rng,
        "emballage",
        None,
        Some("emballage"),
        None,
        "Emballage / expédition",
    );
    ops
}

const DESIGNATIONS: &[&str] = &[
    "Bague Ø45",
    "Axe épaulé Ø20",
    "Platine 120×80",
    "Bride de fixation",
    "Entretoise Ø30",
    "Support moteur",
    "Chape articulée",
    "Arbre de transmission",
    "Flasque Ø160",
    "Corps de vérin",
    "Noix de serrage",
    "Équerre renforcée",
    "Douille à collerette",
    "Came de positionnement",
    "Plaque d'usure",
];
const QUANTITIES: &[i64] = &[1, 2, 4, 5, 10, 12, 20, 25, 40, 50, 100, 150, 200, 500];
const QUANTITY_WEIGHTS: &[f64] = &[
    6.0, 8.0, 6.0, 10.0, 14.0, 5.0, 12.0, 10.0, 6.0, 9.0, 7.0, 2.0, 3.0, 2.0,
];
const NOTES: &[&str] = &[
    "Livraison en deux fois acceptée.",
    "Certificat matière 3.1 à joindre.",
    "Appeler M. Durand avant livraison.",
    "Emballage individuel sous film VCI.",
];

#[derive(Default)]
struct Counters(BTreeMap<(String, i32), u32>);

impl Counters {
    fn next(&mut self, prefix: &str, year: i32) -> String {
        let n = self.0.entry((prefix.to_string(), year)).or_insert(0);
        *n += 1;
        format!("{prefix}-{year}-{n:04}")
    }
    /// Starts after the numbers the demo already uses.
    fn seed(&mut self, numbers: &[String]) {
        for num in numbers {
            let mut it = num.splitn(3, '-');
            if let (Some(p), Some(y), Some(n)) = (it.next(), it.next(), it.next())
                && let (Ok(y), Ok(n)) = (y.parse::<i32>(), n.parse::<u32>())
            {
                let e = self.0.entry((p.to_string(), y)).or_insert(0);
                *e = (*e).max(n);
            }
        }
    }
}

/// Ten years of orders, lines, jobs, routings, method sheets and delivery notes.
async fn load(app: &App, n_orders: usize) -> Res<()> {
    let t0 = Instant::now();
    let refs = refs(app).await?;
    println!(
        "Reference data: {} clients, {} machines (saws {}, lathes {}, mills {}, grinders {}), {} grades, {} demo operations and {} demo method sheets used as templates.",
        refs.clients.len(),
        refs.saws.len() + refs.lathes.len() + refs.mills.len() + refs.grinders.len(),
        refs.saws.len(),
        refs.lathes.len(),
        refs.mills.len(),
        refs.grinders.len(),
        refs.grades.len(),
        refs.ops.values().map(Vec::len).sum::<usize>(),
        refs.sheets.len()
    );
    let mut counters = Counters::default();
    let mut numbers = Vec::new();
    for t in ["orders", "jobs", "deliveries"] {
        for r in app.rows(&format!("SELECT number FROM {t}")).await? {
            numbers.push(s(&r, "number")?);
        }
    }
    counters.seed(&numbers);
    let next_id = |t: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {t}");
    let mut order_id = app.int(&next_id("orders")).await?;
    let mut line_id = app.int(&next_id("order_lines")).await?;
    let mut job_id = app.int(&next_id("jobs")).await?;
    let mut op_id = app.int(&next_id("job_operations")).await?;
    let mut delivery_id = app.int(&next_id("deliveries")).await?;
    let mut dline_id = app.int(&next_id("delivery_lines")).await?;
    let first_job_id = job_id;
    let first_op_id = op_id;

    let mut orders = Table::new(
        "orders",
        "id, number, client_id, quote_id, customer_po_number, customer_po_date, po_blob_id, requested_date, promised_date, priority, status, critical, control_sheet, notes, status_comment, total_cents, created_by_id, created_by, validated_at, created_at, updated_at, version",
    );
    let mut lines = Table::new(
        "order_lines",
        "id, order_id, position, quote_line_id, reference, revision, designation, grade_id, quantity, delivered_quantity, unit_price_cents, requested_date, critical, certified_material, blob_id, created_at, updated_at, version",
    );
    let mut jobs = Table::new(
        "jobs",
        "id, number, order_id, order_line_id, quantity, status, routing_version, routing_source, routing_validated_by, routing_validated_at, due_date, critical, grade_id, part_json, debit_json, warnings_json, created_at, updated_at, version",
    );
    let mut ops = Table::new(
        "job_operations",
        "id, job_id, position, process, label, description, machine_id, work_centre, supplier_id, supplier_name, subcontract_po, send_date, return_date, setup_min, run_min, skills, tools_json, instruments_json, nc_program, status, created_at, updated_at, version",
    );
    let mut deliveries = Table::new(
        "deliveries",
        "id, number, order_id, delivered_on, packages, weight_kg, notes, created_by, created_at",
    );
    let mut dlines = Table::new("delivery_lines", "id, delivery_id, order_line_id, quantity");

    let mut rng = Rng(2026);
    let end = Utc::now() - Duration::hours(2);
    let today = end.date_naive();
    let span = Duration::days(3652);
    let start = end - span;
    let step = span.num_seconds() / n_orders.max(1) as i64;
    for i in 0..n_orders {
        let created = start + Duration::seconds(step * i as i64 + rng.range(0, step * 9 / 10));
        let age = (end - created).num_days();
        let status: &'static str = if age < 75 {
            [
                "en_attente",
                "validee",
                "en_production",
                "livree_partielle",
                "livree",
            ][rng.weighted(&[15.0, 20.0, 40.0, 12.0, 13.0])]
        } else if age < 400 && rng.chance(0.012) {
            // Forgotten orders: still open, long late.
            if rng.chance(0.5) {
                "en_production"
            } else {
                "livree_partielle"
            }
        } else if rng.chance(0.04) {
            "annulee"
        } else {
            "livree"
        };
        let ci = rng.weighted(&refs.client_weights);
        let client = &refs.clients[ci];
        let priority = ["normale", "haute", "urgente"][rng.weighted(&[80.0, 15.0, 5.0])];
        let cdate = created.date_naive();
        let requested = cdate + Duration::days(rng.range(15, 60));
        let promised = if status == "en_attente" && rng.chance(0.5) || rng.chance(0.05) {
            None
        } else if rng.chance(0.5) {
            Some(requested)
        } else {
            Some(requested + Duration::days(rng.range(1, 14)))
        };
        let po = if status == "en_attente" && rng.chance(0.4) {
            None
        } else if rng.chance(0.6) {
            Some(format!("45{:08}", rng.range(0, 99_999_999)))
        } else {
            Some(format!("CDE-{}-{:05}", client.prefix, rng.range(1, 99_999)))
        };
        let critical = client.critical || rng.chance(0.03);
        let control_sheet = critical || rng.chance(0.85);
        let cancelled_before_validation = status == "annulee" && rng.chance(0.5);
        let validated_at = (status != "en_attente" && !cancelled_before_validation)
            .then(|| created + Duration::hours(rng.range(2, 72)));
        let number = counters.next("CO", created.year());
        let this_order = order_id;
        order_id += 1;

        let n_lines =
            [1usize, 2, 3, 4, 5, 6, 8][rng.weighted(&[65.0, 25.0, 6.0, 1.6, 1.2, 0.8, 0.4])];
        let mut total: i64 = 0;
        // (line id, quantity, delivered) for the delivery notes.
        let mut shipped: Vec<(i64, i64, i64)> = Vec::new();
        for k in 0..n_lines {
            let mut qty = QUANTITIES[rng.weighted(QUANTITY_WEIGHTS)];
            if status == "livree_partielle" && k == 0 {
                qty = qty.max(2);
            }
            let delivered = match status {
                "livree" => qty,
                "livree_partielle" if k == 0 => qty - (qty / 3).max(1),
                "livree_partielle" if rng.chance(0.5) => qty,
                _ => 0,
            };
            // Unit price falls with the quantity (set-up spread over the batch).
            let unit = (rng.range(800, 9000) + 60_000 / (qty + 2)) * 10;
            total += unit * qty;
            let grade = *rng.pick(&refs.grades);
            let reference = format!("{}-{:04}", client.prefix, rng.range(1, 9999));
            let revision = ["A", "B", "C", "D"][rng.weighted(&[50.0, 30.0, 15.0, 5.0])];
            let designation = *rng.pick(DESIGNATIONS);
            let line_req = rng.chance(0.3).then_some(requested);
            let this_line = line_id;
            line_id += 1;
            lines.push(
                Row::default()
                    .i(this_line)
                    .i(this_order)
                    .i(k as i64 + 1)
                    .oi(None)
                    .s(&reference)
                    .s(revision)
                    .s(designation)
                    .i(grade)
                    .i(qty)
                    .i(delivered)
                    .i(unit)
                    .od(line_req)
                    .b(critical)
                    .b(critical)
                    .oi(None)
                    .t(created)
                    .t(created + Duration::days(rng.range(0, 40)))
                    .i(1),
            );
            shipped.push((this_line, qty, delivered));
            let Some(validated) = validated_at else {
                continue;
            };
            // The job of this line and its routing.
            let job_status = match status {
                "livree" => "termine",
                "livree_partielle" if delivered >= qty => "termine",
                "livree_partielle" => "en_cours",
                "en_production" => {
                    ["en_cours", "pret", "termine"][rng.weighted(&[50.0, 30.0, 20.0])]
                }
                "validee" => {
                    if rng.chance(0.5) {
                        "brouillon"
                    } else {
                        "pret"
                    }
                }
                _ => "annule",
            };
            let generated = rng.chance(0.85) && !refs.parts.is_empty();
            let routing_version = 1 + i64::from(rng.chance(0.3)) + i64::from(rng.chance(0.1));
            let reviewed = job_status != "brouillon" && job_status != "annule";
            let due = line_req.or(promised).or(Some(requested));
            let this_job = job_id;
            job_id += 1;
            let job_number = counters.next("OF", validated.year());
            let part = generated.then(|| rng.pick(&refs.parts).clone());
            let debit =
                (generated && !refs.debits.is_empty()).then(|| rng.pick(&refs.debits).clone());
            let warnings = if critical {
                r#"["Pièce critique : matière certifiée 3.1 obligatoire (lot avec certificat)."]"#
            } else if generated {
                "[]"
            } else {
                r#"["Ligne sans devis chiffré : gamme à construire à la main."]"#
            };
            jobs.push(
                Row::default()
                    .i(this_job)
                    .s(&job_number)
                    .i(this_order)
                    .i(this_line)
                    .i(qty)
                    .s(job_status)
                    .i(routing_version)
                    .s(if generated { "genere" } else { "manuel" })
                    .os(reviewed.then_some("methode"))
                    .ot(reviewed.then(|| validated + Duration::hours(rng.range(1, 30))))
                    .od(due)
                    .b(critical)
                    .i(grade)
                    .os(part.as_deref())
                    .os(debit.as_deref())
                    .s(warnings)
                    .t(validated)
                    .t(validated + Duration::days(rng.range(0, 30)))
                    .i(routing_version + i64::from(reviewed)),
            );
            let plan = plan_routing(&refs, &mut rng);
            let n_ops = plan.len();
            let done_ops = match job_status {
                "termine" => n_ops,
                "en_cours" => rng.range(1, n_ops as i64 - 1) as usize,
                _ => 0,
            };
            for (p, op) in plan.into_iter().enumerate() {
                let op_status = if p < done_ops {
                    "termine"
                } else if p == done_ops && job_status == "en_cours" {
                    "en_cours"
                } else {
                    "a_faire"
                };
                let (supplier_id, supplier_name) = match &op.supplier {
                    Some((id, name)) => (*id, Some(name.as_str())),
                    None => (None, None),
                };
                let label = if op.tpl.label.trim().is_empty() {
                    op.process.to_string()
                } else {
                    op.tpl.label.clone()
                };
                let nc = (op.machine_id.is_some() && op.process != "debit")
                    .then(|| format!("O{}", rng.range(1000, 9999)));
                let sub_po = op
                    .supplier
                    .as_ref()
                    .filter(|_| job_status != "brouillon")
                    .map(|_| format!("CF-{}-{:04}", validated.year(), rng.range(1, 2000)));
                ops.push(
                    Row::default()
                        .i(op_id)
                        .i(this_job)
                        .i((p as i64 + 1) * 10)
                        .s(op.process)
                        .s(&label)
                        .os(op.tpl.description.as_deref())
                        .oi(op.machine_id)
                        .os(op.work_centre)
                        .oi(supplier_id)
                        .os(supplier_name)
                        .os(sub_po.as_deref())
                        .od(sub_po
                            .as_ref()
                            .map(|_| validated.date_naive() + Duration::days(5)))
                        .od(sub_po
                            .as_ref()
                            .map(|_| validated.date_naive() + Duration::days(12)))
                        .s(&op.tpl.setup_min)
                        .s(&op.tpl.run_min)
                        .s(&op.tpl.skills)
                        .s(&op.tpl.tools_json)
                        .s(&op.tpl.instruments_json)
                        .os(nc.as_deref())
                        .s(op_status)
                        .t(validated)
                        .t(validated + Duration::days(rng.range(0, 30)))
                        .i(1),
                );
                op_id += 1;
            }
        }
        // Delivery notes: one (sometimes two) per delivered order.
        if matches!(status, "livree" | "livree_partielle") {
            let base = promised.unwrap_or(requested);
            let two = status == "livree" && rng.chance(0.15) && shipped.iter().any(|s| s.2 >= 2);
            let parts: &[f64] = if two { &[0.5, 1.0] } else { &[1.0] };
            let mut sent: Vec<i64> = vec![0; shipped.len()];
            for (k, share) in parts.iter().enumerate() {
                let on = (base + Duration::days(rng.range(-5, 10) + 10 * k as i64)).min(today);
                let number = counters.next("BL", on.year());
                let this_delivery = delivery_id;
                delivery_id += 1;
                deliveries.push(
                    Row::default()
                        .i(this_delivery)
                        .s(&number)
                        .i(this_order)
                        .d(on)
                        .i(rng.range(1, 6))
                        .s(&format!("{}.{}", rng.range(1, 180), rng.range(0, 9)))
                        .os(None)
                        .s("logistique")
                        .t(on.and_hms_opt(15, 0, 0).unwrap_or_default().and_utc()),
                );
                for (idx, (lid, _qty, delivered)) in shipped.iter().enumerate() {
                    let upto = ((*delivered as f64) * share).round() as i64;
                    let n = upto - sent[idx];
                    if n > 0 {
                        dlines.push(Row::default().i(dline_id).i(this_delivery).i(*lid).i(n));
                        dline_id += 1;
                        sent[idx] += n;
                    }
                }
            }
        }
        orders.push(
            Row::default()
                .i(this_order)
                .s(&number)
                .i(client.id)
                .oi(None)
                .os(po.as_deref())
                .od(po.as_ref().map(|_| cdate))
                .oi(None)
                .od(Some(requested))
                .od(promised)
                .s(priority)
                .s(status)
                .b(critical)
                .b(control_sheet)
                .os(rng.chance(0.1).then(|| *rng.pick(NOTES)))
                .os((status == "annulee").then_some("Annulée à la demande du client."))
                .i(total)
                .oi(refs.commercial_id)
                .s("commercial")
                .ot(validated_at)
                .t(created)
                .t(created + Duration::days(rng.range(0, 60)).min(end - created))
                .i(rng.range(1, 6)),
        );
    }
    let generated_in = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let tx = app.db.conn.begin().await?;
    for t in [&orders, &lines, &jobs, &ops, &deliveries, &dlines] {
        let t2 = Instant::now();
        t.insert(&tx).await?;
        println!(
            "  inserted {:>7} rows into {:<15} in {:>5.1} s",
            t.rows.len(),
            t.name,
            t2.elapsed().as_secs_f64()
        );
    }
    for t in [
        "orders",
        "order_lines",
        "jobs",
        "job_operations",
        "deliveries",
        "delivery_lines",
    ] {
        tx.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))"
        ))
        .await?;
    }
    // One method sheet (and its first version) per machine operation, copying the demo's
    // generated sheets; one routing version per job whose snapshot is built like the service
    // builds it (operations + sheet content). Done inside PostgreSQL: no need to ship ~300 MB of
    // JSON text through the connection.
    let t2 = Instant::now();
    tx.execute_unprepared(
        "CREATE TEMP TABLE bench_sheet_templates (k INT PRIMARY KEY, content TEXT NOT NULL) ON COMMIT DROP",
    )
    .await?;
    let mut tpl = Table::new("bench_sheet_templates", "k, content");
    for (k, c) in refs.sheets.iter().enumerate() {
        tpl.push(Row::default().i(k as i64).s(c));
    }
    tpl.insert(&tx).await?;
    tx.execute_unprepared(&format!(
        "INSERT INTO method_sheets (operation_id, job_id, version, content, updated_by, created_at, updated_at)
         SELECT o.id, o.job_id, 1, t.content, 'methode', o.created_at, o.updated_at
         FROM job_operations o JOIN bench_sheet_templates t ON t.k = o.id % {n}
         WHERE o.machine_id IS NOT NULL AND o.id >= {first_op_id}
         ORDER BY o.id",
        n = refs.sheets.len()
    ))
    .await?;
    tx.execute_unprepared(&format!(
        "INSERT INTO method_sheet_versions (method_sheet_id, version, content, summary, changed_by, created_at)
         SELECT s.id, 1, s.content, 'Générée avec la gamme', 'methode', s.created_at
         FROM method_sheets s WHERE s.operation_id >= {first_op_id} ORDER BY s.id"
    ))
    .await?;
    println!(
        "  method sheets and their versions in {:.1} s",
        t2.elapsed().as_secs_f64()
    );
    let t2 = Instant::now();
    tx.execute_unprepared(&format!(
        "INSERT INTO routing_versions (job_id, version, snapshot, comment, created_by, created_at)
         SELECT j.id, j.routing_version,
           COALESCE((SELECT json_agg(json_build_object(
               'id', o.id, 'position', o.position, 'process', o.process, 'label', o.label,
               'description', o.description, 'machine_id', o.machine_id,
               'work_centre', o.work_centre, 'supplier_id', o.supplier_id,
               'supplier_name', o.supplier_name, 'subcontract_po', o.subcontract_po,
               'send_date', o.send_date, 'return_date', o.return_date,
               'setup_min', o.setup_min, 'run_min', o.run_min, 'skills', o.skills,
               'tools_json', o.tools_json, 'instruments_json', o.instruments_json,
               'nc_program', o.nc_program, 'sheet', s.content) ORDER BY o.position, o.id)
             FROM job_operations o LEFT JOIN method_sheets s ON s.operation_id = o.id
             WHERE o.job_id = j.id), '[]'::json)::text,
           'Générée à la validation de la commande', 'methode', j.created_at
         FROM jobs j WHERE j.id >= {first_job_id} ORDER BY j.id"
    ))
    .await?;
    println!("  routing versions in {:.1} s", t2.elapsed().as_secs_f64());
    tx.commit().await?;
    // A database in use for years has been vacuumed and analysed by autovacuum: statistics and
    // visibility map as they would be.
    let t2 = Instant::now();
    app.db
        .conn
        .execute_unprepared(
            "VACUUM ANALYZE partners, orders, order_lines, jobs, job_operations, routing_versions, method_sheets, method_sheet_versions, deliveries, delivery_lines",
        )
        .await?;
    println!("  VACUUM ANALYZE in {:.1} s", t2.elapsed().as_secs_f64());
    // Flush the ~700 MB just written, so that the first measured case does not pay for the
    // checkpoint (needs a superuser or pg_checkpoint; skipped otherwise).
    let t2 = Instant::now();
    match app.db.conn.execute_unprepared("CHECKPOINT").await {
        Ok(_) => println!("  CHECKPOINT in {:.1} s", t2.elapsed().as_secs_f64()),
        Err(e) => println!("  (no CHECKPOINT: {e})"),
    }
    let seconds = t0.elapsed().as_secs_f64();
    println!(
        "Data set: rows generated in {generated_in:.1} s, written in {:.1} s, total {seconds:.1} s.\n",
        t1.elapsed().as_secs_f64()
    );
    println!("| table | rows | size on disk (with indexes and TOAST) |\n|---|---:|---:|");
    for t in [
        "partners",
        "orders",
        "order_lines",
        "jobs",
        "job_operations",
        "method_sheets",
        "method_sheet_versions",
        "routing_versions",
        "deliveries",
        "delivery_lines",
    ] {
        let n = app.int(&format!("SELECT COUNT(*) FROM {t}")).await?;
        let size = app
            .int(&format!("SELECT pg_total_relation_size('{t}'::regclass)"))
            .await?;
        println!("| {t} | {n} | {:.1} MiB |", size as f64 / 1_048_576.0);
    }
    let open = app
        .int("SELECT COUNT(*) FROM orders WHERE status IN ('en_attente','validee','en_production','livree_partielle')")
        .await?;
    println!("\nOpen orders: {open}.\n");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

struct Stats {
    min: f64,
    p50: f64,
    p95: f64,
    max: f64,
}

/// Nearest-rank percentiles of durations in ms.
fn stats(mut v: Vec<f64>) -> Stats {
    v.sort_by(f64::total_cmp);
    let rank = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Stats {
        min: v[0],
        p50: rank(0.50),
        p95: rank(0.95),
        max: v[v.len() - 1],
    }
}

struct Case {
    label: String,
    path: String,
    token: String,
}

/// 5 warm-ups then 50 timed requests, one at a time; returns the row for the table.
async fn measure(app: &App, c: &Case) -> Res<String> {
    let mut size = 0;
    let mut what = String::new();
    for k in 0..WARMUPS {
        let (status, bytes) = app.call(Method::GET, &c.path, Some(&c.token), None).await?;
        if status != StatusCode::OK {
            bail!(
                "GET {} → {status}: {}",
                c.path,
                String::from_utf8_lossy(&bytes)
            );
        }
        if k == 0 {
            size = bytes.len();
            let v: Value = serde_json::from_slice(&bytes)?;
            what = match (v.get("items"), v.get("total")) {
                (Some(items), Some(total)) => {
                    format!("{} of {}", items.as_array().map_or(0, Vec::len), total)
                }
                _ => match v.get("operations").and_then(Value::as_array) {
                    Some(ops) => format!("{} operations", ops.len()),
                    None => match v.get("lines").and_then(Value::as_array) {
                        Some(l) => format!(
                            "{} lines, {} deliveries",
                            l.len(),
                            v["deliveries"].as_array().map_or(0, Vec::len)
                        ),
                        None => "1 sheet".into(),
                    },
                },
            };
        }
    }
    let mut ms = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        let (status, bytes) = app.call(Method::GET, &c.path, Some(&c.token), None).await?;
        let elapsed = t.elapsed().as_secs_f64() * 1000.0;
        if status != StatusCode::OK || bytes.len() < 2 {
            bail!("GET {} → {status}", c.path);
        }
        ms.push(elapsed);
    }
    // Which sample was the slowest (an isolated spike at a random rank is the machine, not
    // the query).
    let slowest = ms
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i + 1);
    let st = stats(ms);
    Ok(format!(
        "| {} | `{}` | {} | {:.1} KiB | {:.1} | {:.1} | {:.1} | {:.1} (#{slowest}) |",
        c.label,
        c.path,
        what,
        size as f64 / 1024.0,
        st.min,
        st.p50,
        st.p95,
        st.max
    ))
}

async fn reads(app: &App) -> Res<()> {
    let sales = app.login("commercial").await?;
    let methode = app.login("methode").await?;
    let late_client = app
        .int(
            "SELECT client_id FROM orders
             WHERE status IN ('en_attente','validee','en_production','livree_partielle')
               AND COALESCE(promised_date, requested_date) < CURRENT_DATE
             GROUP BY client_id ORDER BY COUNT(*) DESC, client_id LIMIT 1",
        )
        .await?;
    let big_order = app
        .int(
            "SELECT l.order_id FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.status = 'livree'
             GROUP BY l.order_id ORDER BY COUNT(*) DESC, l.order_id DESC LIMIT 1",
        )
        .await?;
    let job = app
        .int(
            "SELECT o.job_id FROM job_operations o
             GROUP BY o.job_id HAVING COUNT(*) = 6 AND COUNT(o.machine_id) >= 3
             ORDER BY o.job_id DESC LIMIT 1",
        )
        .await?;
    let sheet = app
        .int(&format!(
            "SELECT id FROM method_sheets WHERE job_id = {job}
             ORDER BY ABS(LENGTH(content) - 3000), id LIMIT 1"
        ))
        .await?;
    let busy_machine = app
        .int(
            "SELECT machine_id FROM job_operations WHERE machine_id IS NOT NULL
             GROUP BY machine_id ORDER BY COUNT(*) DESC, machine_id LIMIT 1",
        )
        .await?;
    let case = |label: &str, path: String, token: &str| Case {
        label: label.to_string(),
        path,
        token: token.to_string(),
    };
    let cases = vec![
        case(
            "orders, first page",
            "/api/v1/orders?page=1&per_page=50".into(),
            &sales,
        ),
        case(
            "orders, delivered, page 200",
            "/api/v1/orders?status=livree&page=200".into(),
            &sales,
        ),
        case(
            "orders in production by promised date",
            "/api/v1/orders?status=en_production&sort=-promised_date".into(),
            &sales,
        ),
        case("orders, search", "/api/v1/orders?q=CO-2021".into(), &sales),
        case(
            "late orders of a client",
            format!("/api/v1/orders?client_id={late_client}&late=true"),
            &sales,
        ),
        case(
            "urgent orders by requested date",
            "/api/v1/orders?priority=urgente&sort=requested_date".into(),
            &sales,
        ),
        case(
            "an order with its lines",
            format!("/api/v1/orders/{big_order}"),
            &sales,
        ),
        case(
            "jobs, first page",
            "/api/v1/jobs?page=1&per_page=50".into(),
            &methode,
        ),
        case(
            "jobs of an order",
            format!("/api/v1/jobs?order_id={big_order}"),
            &methode,
        ),
        case(
            "a job with its routing",
            format!("/api/v1/jobs/{job}"),
            &methode,
        ),
        case(
            "a method sheet",
            format!("/api/v1/method-sheets/{sheet}"),
            &methode,
        ),
        case(
            "(extra) jobs of the busiest machine",
            format!("/api/v1/jobs?machine_id={busy_machine}"),
            &methode,
        ),
        case(
            "(extra) jobs, search",
            "/api/v1/jobs?q=bague".into(),
            &methode,
        ),
    ];
    println!("## Reads at the API (PostgreSQL, data set above)\n");
    println!(
        "| case | request | returns | body | min ms | p50 ms | p95 ms | max ms (sample #) |\n|---|---|---|---:|---:|---:|---:|---:|"
    );
    // A failing case is reported in its row; the run fails at the end if it was not an extra.
    let mut failed = Vec::new();
    for c in &cases {
        match measure(app, c).await {
            Ok(row) => println!("{row}"),
            Err(e) => {
                let msg = e.to_string().replace('|', "/");
                let msg: String = msg.chars().take(300).collect();
                println!(
                    "| {} | `{}` | **failed**: {msg} | | | | | |",
                    c.label, c.path
                );
                if !c.label.starts_with("(extra)") {
                    failed.push(c.label.clone());
                }
            }
        }
    }
    println!();
    if !failed.is_empty() {
        bail!("failed: {}", failed.join(", "));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Generation: validating an order of 10 lines
// ---------------------------------------------------------------------------------------------

struct Generated {
    jobs: i64,
    operations: i64,
    sheets: i64,
    ms: f64,
}

/// Quote with 10 reviewed lines (turned and prismatic parts, several grades) → sent →
/// accepted (creates the order) → PO number → timed `validee`.
async fn generate_once(app: &App, sales: &str, run: usize) -> Res<Generated> {
    let clients = app.get("/api/v1/clients?per_page=5", sales).await?;
    let client = clients["items"][run % 3]["id"]
        .as_i64()
        .or_else(|| clients["items"][0]["id"].as_i64())
        .ok_or_else(|| anyhow!("no client"))?;
    let grades = app.get("/api/v1/materials?per_page=100", sales).await?;
    let preferred = [
        "C45",
        "42CrMo4",
        "316L",
        "2017A",
        "S235",
        "304L",
        "6082",
        "11SMnPb30",
    ];
    let mut grade_ids: Vec<i64> = Vec::new();
    if let Some(items) = grades["items"].as_array() {
        for p in preferred {
            if let Some(g) = items.iter().find(|g| {
                g["code"]
                    .as_str()
                    .is_some_and(|c| c.to_lowercase().starts_with(&p.to_lowercase()))
            }) && let Some(id) = g["id"].as_i64()
            {
                grade_ids.push(id);
            }
        }
        if grade_ids.is_empty() {
            grade_ids.extend(items.iter().take(5).filter_map(|g| g["id"].as_i64()));
        }
    }
    if grade_ids.is_empty() {
        bail!("no material grade in the demo");
    }
    let quote = app
        .json(
            Method::POST,
            "/api/v1/quotes",
            sales,
            Some(json!({"client_id": client, "subject": format!("Banc de génération {run}")})),
        )
        .await?;
    let qid = quote["id"].as_i64().ok_or_else(|| anyhow!("no quote id"))?;
    for k in 0..LINES_PER_GENERATED_ORDER {
        let grade = grade_ids[(k + run) % grade_ids.len()];
        let qty = [5, 10, 20, 25, 50][(k + run) % 5];
        let body = if k % 2 == 0 {
            // Within the bar capacity of the demo lathes (Ø51).
            let d = 16 + 3 * ((k + run) % 10) as i64;
            let l = 30 + 9 * k as i64;
            json!({
                "part_name": format!("Axe Ø{d}"), "drawing_number": format!("BG-{run}{k:02}"),
                "drawing_revision": "A", "grade_id": grade, "quantities": [qty], "shape": "turned",
                "envelope": {"diameter": d, "length": l},
            })
        } else {
            let l = 60 + 14 * k as i64;
            let w = 40 + 5 * run as i64;
            let h = 15 + 3 * k as i64;
            json!({
                "part_name": format!("Platine {l}×{w}"), "drawing_number": format!("PL-{run}{k:02}"),
                "drawing_revision": "B", "grade_id": grade, "quantities": [qty], "shape": "prismatic",
                "envelope": {"length": l, "width": w, "height": h},
            })
        };
        let line = app
            .json(
                Method::POST,
                &format!("/api/v1/quotes/{qid}/lines"),
                sales,
                Some(body),
            )
            .await?;
        app.json(
            Method::PATCH,
            &format!("/api/v1/quote-lines/{}", line["id"]),
            sales,
            Some(json!({"reviewed": true, "version": line["version"]})),
        )
        .await?;
    }
    for st in ["a_valider", "envoye", "accepte"] {
        app.json(
            Method::POST,
            &format!("/api/v1/quotes/{qid}/status"),
            sales,
            Some(json!({"status": st})),
        )
        .await?;
    }
    let q = app.get(&format!("/api/v1/quotes/{qid}"), sales).await?;
    let order = q["order_id"]
        .as_i64()
        .ok_or_else(|| anyhow!("accepting the quote created no order: {q}"))?;
    let o = app.get(&format!("/api/v1/orders/{order}"), sales).await?;
    app.json(
        Method::PATCH,
        &format!("/api/v1/orders/{order}"),
        sales,
        Some(json!({
            "customer_po_number": format!("PO-BENCH-{run}"),
            "requested_date": "2027-02-15", "promised_date": "2027-02-15",
            "version": o["version"],
        })),
    )
    .await?;
    let body = json!({"status": "validee"});
    let t = Instant::now();
    let (status, bytes) = app
        .call(
            Method::POST,
            &format!("/api/v1/orders/{order}/status"),
            Some(sales),
            Some(&body),
        )
        .await?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if status != StatusCode::OK {
        bail!(
            "validating order {order} → {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let jobs = app
        .int(&format!(
            "SELECT COUNT(*) FROM jobs WHERE order_id = {order}"
        ))
        .await?;
    let operations = app
        .int(&format!(
            "SELECT COUNT(*) FROM job_operations o JOIN jobs j ON j.id = o.job_id WHERE j.order_id = {order}"
        ))
        .await?;
    let sheets = app
        .int(&format!(
            "SELECT COUNT(*) FROM method_sheets s JOIN jobs j ON j.id = s.job_id WHERE j.order_id = {order}"
        ))
        .await?;
    let manual = app
        .int(&format!(
            "SELECT COUNT(*) FROM jobs WHERE order_id = {order} AND routing_source <> 'genere'"
        ))
        .await?;
    if manual > 0 {
        println!("  (run {run}: {manual} job(s) without a generated routing)");
    }
    Ok(Generated {
        jobs,
        operations,
        sheets,
        ms,
    })
}

async fn generation(app: &App, backend: &str) -> Res<()> {
    let sales = app.login("commercial").await?;
    println!(
        "## Validating an order of {LINES_PER_GENERATED_ORDER} lines ({backend}): jobs, routings and method sheets generated\n"
    );
    println!(
        "| run | jobs | operations | method sheets | POST status=validee ms | ms per job |\n|---|---:|---:|---:|---:|---:|"
    );
    let mut per_job = Vec::new();
    let mut totals = Vec::new();
    for run in 1..=GENERATION_RUNS {
        let g = generate_once(app, &sales, run).await?;
        let pj = g.ms / g.jobs.max(1) as f64;
        println!(
            "| {run} | {} | {} | {} | {:.0} | {:.1} |",
            g.jobs, g.operations, g.sheets, g.ms, pj
        );
        per_job.push(pj);
        totals.push(g.ms);
    }
    let t = stats(totals);
    let p = stats(per_job);
    println!(
        "\nTotal: min {:.0} / median {:.0} / max {:.0} ms; per job: min {:.1} / median {:.1} / max {:.1} ms.\n",
        t.min, t.p50, t.max, p.min, p.p50, p.max
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The two parts
// ---------------------------------------------------------------------------------------------

async fn postgres_part(url: String, schema: String, orders: usize) -> Res<()> {
    let db = Db::connect(&url, Some(&schema))
        .await
        .context("PostgreSQL schema")?;
    let t = Instant::now();
    let app = App::new(db).await?;
    println!(
        "Schema {schema}: migrated, demo shop loaded in {:.1} s.\n",
        t.elapsed().as_secs_f64()
    );
    load(&app, orders).await?;
    reads(&app).await?;
    generation(&app, "PostgreSQL, at scale").await?;
    app.db.conn.clone().close().await.ok();
    Ok(())
}

async fn sqlite_part() -> Res<()> {
    let dir = std::env::temp_dir().join(format!(
        "usinage-orders-bench-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    let result = async {
        let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
        let db = Db::connect(&url, None).await.context("SQLite")?;
        let app = App::new(db).await?;
        generation(&app, "SQLite, demo database").await?;
        app.db.conn.clone().close().await.ok();
        Ok::<_, anyhow::Error>(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}
