//! Shop floor under load (issue 7): 100 operators scan at the same time. Each one (his own
//! tokio task, his own keep-alive HTTP/1.1 connection, logged in through the API) starts then
//! finishes each of his 5 operations; every task is released at the same instant. The server
//! is the real router (`usinage_api::router`) behind `axum::serve` on a loopback listener in
//! this process, as the binary serves it. Latency is measured per request, from the first byte
//! written to the last byte of the body read; every answer must be 200. Then 100 finishes are
//! replayed with their Idempotency-Key: each must answer 200 `idempotency-replayed: true` and
//! change nothing (`time_entries`, `shop_events`). On a fresh SQLite file (WAL, as the app
//! opens it) and on PostgreSQL (a fresh schema, dropped at the end). The 100 logins before
//! (all at once, as at the start of a shift) are timed too but not checked: a failed one is
//! retried alone once the others are done.
//!
//! Run with `bash scripts/shopfloor-bench.sh` (release build; see docs/benchmarks.md).
//! Environment:
//! - `USINAGE_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
//! - `USINAGE_BENCH_OPERATORS` (default 100), `USINAGE_BENCH_OPS_PER_OPERATOR` (default 5);
//! - `USINAGE_BENCH_SKIP_SQLITE=1`, `USINAGE_BENCH_SKIP_POSTGRES=1`.
//!
//! Data (deterministic, by SQL after the demo shop): operators `op001`… (the demo
//! `operateur`'s password hash and roles), jobs `OF-9999-00001`… copied from the demo's ready
//! job OF-2026-0002 (status `pret`, quantity 10, each with its own copy of the template's order
//! line, on the same order), one deburring operation each (no machine, setup 0, run 1 min),
//! assigned to its operator.

use anyhow::{Context, anyhow, bail};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Barrier;
use usinage_api::{ApiConfig, AppState};
use usinage_store::Db;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const DEMO_PASSWORD: &str = "usinage-demo";
const TEMPLATE_JOB: &str = "OF-2026-0002";
const TEMPLATE_USER: &str = "operateur";

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

#[derive(Clone, Copy)]
struct Shape {
    operators: usize,
    ops_per_operator: usize,
}

async fn run() -> Res<()> {
    let url = env_or("USINAGE_BENCH_POSTGRES_URL", DEFAULT_URL);
    let shape = Shape {
        operators: env_or("USINAGE_BENCH_OPERATORS", "100")
            .parse()
            .context("USINAGE_BENCH_OPERATORS")?,
        ops_per_operator: env_or("USINAGE_BENCH_OPS_PER_OPERATOR", "5")
            .parse()
            .context("USINAGE_BENCH_OPS_PER_OPERATOR")?,
    };
    if shape.operators == 0 || shape.operators > 999 || shape.ops_per_operator == 0 {
        bail!("1..=999 operators and at least one operation each");
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("# Shop floor under load\n");
    println!(
        "{} operators × {} operations (start + finish each), all released at once, one keep-alive \
         HTTP/1.1 connection per operator, loopback; {build} build; {cores} cores (nproc); \
         tokio 2 worker threads shared by server and clients; load average {}.\n",
        shape.operators,
        shape.ops_per_operator,
        loadavg()
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut failures = 0usize;
    if !flag("USINAGE_BENCH_SKIP_SQLITE") {
        let (r, f) = sqlite_part(shape).await?;
        rows.extend(r);
        failures += f;
    }
    if !flag("USINAGE_BENCH_SKIP_POSTGRES") {
        let (r, f) = postgres_part(&url, shape).await?;
        rows.extend(r);
        failures += f;
    }
    println!(
        "\n## Results ({build} build, {cores} cores, load average now {})\n",
        loadavg()
    );
    print_table(&rows);
    if failures > 0 {
        bail!("{failures} failed request(s) or check(s)");
    }
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

async fn sqlite_part(shape: Shape) -> Res<(Vec<Row>, usize)> {
    let dir = std::env::temp_dir().join(format!(
        "usinage-shopfloor-bench-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    let result = async {
        let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
        let db = Db::connect(&url, None).await.context("SQLite")?;
        let r = scenario(db.clone(), "SQLite", shape).await;
        db.conn.close().await.ok();
        r
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn postgres_part(url: &str, shape: Shape) -> Res<(Vec<Row>, usize)> {
    let schema = format!("sfbench_{}", uuid::Uuid::new_v4().simple());
    let admin = Db::connect(url, None).await.context("PostgreSQL")?;
    admin
        .conn
        .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await?;
    // In its own task so that a panic still drops the schema.
    let (u, s) = (url.to_string(), schema.clone());
    let outcome = tokio::spawn(async move {
        let db = Db::connect(&u, Some(&s))
            .await
            .context("PostgreSQL schema")?;
        let r = scenario(db.clone(), "PostgreSQL", shape).await;
        db.conn.close().await.ok();
        r
    })
    .await;
    admin
        .conn
        .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await?;
    admin.conn.close().await.ok();
    match outcome {
        Ok(r) => r,
        Err(e) => bail!("the PostgreSQL part panicked: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

async fn exec(db: &Db, sql: &str) -> Res<()> {
    db.conn
        .execute_raw(Statement::from_string(db.db_backend(), sql.to_string()))
        .await
        .with_context(|| sql.to_string())?;
    Ok(())
}

async fn count(db: &Db, sql: &str) -> Res<i64> {
    let row = db
        .conn
        .query_one_raw(Statement::from_string(db.db_backend(), sql.to_string()))
        .await
        .with_context(|| sql.to_string())?
        .ok_or_else(|| anyhow!("no row: {sql}"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

fn login_of(i: usize) -> String {
    format!("op{:03}", i + 1)
}

fn job_number(i: usize) -> String {
    format!("OF-9999-{:05}", i + 1)
}

/// Migrates, loads the demo, then adds the operators, their jobs and operations.
async fn prepare(db: &Db, shape: Shape) -> Res<Vec<Vec<i64>>> {
    db.migrate().await.context("migrate")?;
    usinage_app::bootstrap::ensure_initialized(db, false)
        .await
        .map_err(|e| anyhow!("bootstrap: {e:?}"))?;
    usinage_app::demo::load(db)
        .await
        .map_err(|e| anyhow!("demo: {e:?}"))?;
    if count(
        db,
        &format!("SELECT COUNT(*) FROM jobs WHERE number = '{TEMPLATE_JOB}'"),
    )
    .await?
        != 1
    {
        bail!("the demo has no job {TEMPLATE_JOB}");
    }
    let mut sql = Vec::new();
    for o in 0..shape.operators {
        let login = login_of(o);
        sql.push(format!(
            "INSERT INTO users (login, full_name, email, password_hash, active, roles, \
             must_change_password, employee_id, created_at, updated_at, version) \
             SELECT '{login}', 'Opérateur {n:03}', NULL, password_hash, active, roles, \
             must_change_password, NULL, created_at, updated_at, 1 \
             FROM users WHERE login = '{TEMPLATE_USER}'",
            n = o + 1
        ));
        for k in 0..shape.ops_per_operator {
            let i = o * shape.ops_per_operator + k;
            let number = job_number(i);
            // A job has its own order line (unique): a copy of the template's, on its order.
            let position = 10_000 + i;
            sql.push(format!(
                "INSERT INTO order_lines (order_id, position, quote_line_id, reference, revision, \
                 designation, grade_id, quantity, delivered_quantity, unit_price_cents, \
                 requested_date, critical, certified_material, blob_id, created_at, updated_at, \
                 version) \
                 SELECT l.order_id, {position}, NULL, l.reference, l.revision, l.designation, \
                 l.grade_id, 10, 0, l.unit_price_cents, l.requested_date, l.critical, \
                 l.certified_material, NULL, l.created_at, l.updated_at, 1 \
                 FROM order_lines l JOIN jobs j ON j.order_line_id = l.id \
                 WHERE j.number = '{TEMPLATE_JOB}'"
            ));
            sql.push(format!(
                "INSERT INTO jobs (number, order_id, order_line_id, quantity, status, \
                 routing_version, routing_source, routing_validated_by, routing_validated_at, \
                 due_date, critical, grade_id, part_json, debit_json, warnings_json, created_at, \
                 updated_at, version) \
                 SELECT '{number}', j.order_id, \
                 (SELECT l.id FROM order_lines l WHERE l.order_id = j.order_id \
                 AND l.position = {position}), 10, 'pret', j.routing_version, j.routing_source, \
                 j.routing_validated_by, j.routing_validated_at, j.due_date, j.critical, \
                 j.grade_id, j.part_json, j.debit_json, j.warnings_json, j.created_at, \
                 j.updated_at, 1 \
                 FROM jobs j WHERE j.number = '{TEMPLATE_JOB}'"
            ));
            sql.push(format!(
                "INSERT INTO job_operations (job_id, position, process, label, description, \
                 machine_id, work_centre, supplier_id, supplier_name, subcontract_po, send_date, \
                 return_date, setup_min, run_min, skills, tools_json, instruments_json, \
                 nc_program, status, created_at, updated_at, version, assigned_user_id) \
                 SELECT j.id, 10, 'ebavurage', 'Ébavurage', NULL, NULL, 'ebavurage', NULL, NULL, \
                 NULL, NULL, NULL, '0', '1', '', '[]', '[]', NULL, 'a_faire', j.created_at, \
                 j.updated_at, 1, (SELECT id FROM users WHERE login = '{login}') \
                 FROM jobs j WHERE j.number = '{number}'"
            ));
        }
    }
    let tx = db.conn.begin().await?;
    for s in &sql {
        tx.execute_raw(Statement::from_string(db.db_backend(), s.clone()))
            .await
            .with_context(|| s.clone())?;
    }
    tx.commit().await?;
    if db.backend() == usinage_store::Backend::Postgres {
        exec(db, "ANALYZE").await?;
    }
    // Operation ids per operator, in job order.
    let mut ids = Vec::with_capacity(shape.operators);
    for o in 0..shape.operators {
        let rows = db
            .conn
            .query_all_raw(Statement::from_string(
                db.db_backend(),
                format!(
                    "SELECT op.id FROM job_operations op JOIN jobs j ON j.id = op.job_id \
                     JOIN users u ON u.id = op.assigned_user_id \
                     WHERE u.login = '{}' AND j.number LIKE 'OF-9999-%' ORDER BY j.number",
                    login_of(o)
                ),
            ))
            .await?;
        let v = rows
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        if v.len() != shape.ops_per_operator {
            bail!("{}: {} operations", login_of(o), v.len());
        }
        ids.push(v);
    }
    Ok(ids)
}

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 keep-alive client
// ---------------------------------------------------------------------------------------------

struct Conn {
    io: BufReader<TcpStream>,
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        let s = String::from_utf8_lossy(&self.body);
        s.chars().take(400).collect()
    }
}

impl Conn {
    async fn open(addr: SocketAddr) -> Res<Conn> {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        Ok(Conn {
            io: BufReader::with_capacity(64 * 1024, s),
        })
    }

    async fn post(
        &mut self,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: &Value,
    ) -> Res<Resp> {
        let body = body.to_string();
        let mut req = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(t) = token {
            req.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        if let Some(k) = key {
            req.push_str(&format!("Idempotency-Key: {k}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(&body);
        self.io.get_mut().write_all(req.as_bytes()).await?;
        self.read_response().await
    }

    async fn line(&mut self) -> Res<String> {
        let mut l = String::new();
        if self.io.read_line(&mut l).await? == 0 {
            bail!("connection closed by the server");
        }
        Ok(l.trim_end_matches(['\r', '\n']).to_string())
    }

    async fn read_response(&mut self) -> Res<Resp> {
        let status_line = self.line().await?;
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("bad status line: {status_line}"))?;
        let mut headers = Vec::new();
        loop {
            let l = self.line().await?;
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let mut r = Resp {
            status,
            headers,
            body: Vec::new(),
        };
        if let Some(n) = r.header("content-length") {
            let n: usize = n.parse().context("content-length")?;
            r.body.resize(n, 0);
            self.io.read_exact(&mut r.body).await?;
        } else if r
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let size_line = self.line().await?;
                let size =
                    usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                        .with_context(|| format!("chunk size {size_line}"))?;
                if size == 0 {
                    while !self.line().await?.is_empty() {}
                    break;
                }
                let start = r.body.len();
                r.body.resize(start + size, 0);
                self.io.read_exact(&mut r.body[start..]).await?;
                let _ = self.line().await?;
            }
        }
        Ok(r)
    }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

async fn login(conn: &mut Conn, o: usize) -> Res<String> {
    let r = conn
        .post(
            "/api/v1/auth/login",
            None,
            None,
            &json!({"login": login_of(o), "password": DEMO_PASSWORD}),
        )
        .await?;
    if r.status != 200 {
        bail!("login {} → {}: {}", login_of(o), r.status, r.text());
    }
    let v: Value = serde_json::from_slice(&r.body)?;
    Ok(v["access_token"]
        .as_str()
        .ok_or_else(|| anyhow!("no access_token"))?
        .to_string())
}

#[derive(Clone, Copy, PartialEq)]
enum Act {
    Start,
    Finish,
    Replay,
}

struct Sample {
    act: Act,
    ms: f64,
}

struct Failure {
    what: String,
}

struct Operator {
    conn: Conn,
    token: String,
    ops: Vec<i64>,
}

struct Row {
    backend: &'static str,
    action: &'static str,
    n: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    throughput: f64,
}

fn key(backend: &str, op_id: i64, act: &str) -> String {
    format!("bench-{backend}-{op_id}-{act}")
}

async fn scenario(db: Db, backend: &'static str, shape: Shape) -> Res<(Vec<Row>, usize)> {
    println!("## {backend}\n");
    let t = Instant::now();
    let ids = prepare(&db, shape).await?;
    println!(
        "Migrated, demo loaded, {} operators and {} jobs / operations added in {:.1} s.",
        shape.operators,
        shape.operators * shape.ops_per_operator,
        t.elapsed().as_secs_f64()
    );
    let state = AppState::new(
        db.clone(),
        ApiConfig {
            public_base_url: "http://atelier.bench:8080".into(),
            serve_ui: false,
            demo: true,
        },
    );
    let app = usinage_api::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    let result = drive(&db, backend, shape, addr, ids).await;
    server.abort();
    let _ = server.await;
    result
}

async fn drive(
    db: &Db,
    backend: &'static str,
    shape: Shape,
    addr: SocketAddr,
    ids: Vec<Vec<i64>>,
) -> Res<(Vec<Row>, usize)> {
    let tag = backend.to_lowercase();
    // Logins (argon2id each), everyone at once as at the start of a shift: their latency is
    // reported, not checked; a login that fails is retried alone (the run needs the tokens).
    let t = Instant::now();
    let mut operators = Vec::with_capacity(shape.operators);
    let mut login_ms = Vec::with_capacity(shape.operators);
    let mut login_failures: Vec<String> = Vec::new();
    let barrier = Arc::new(Barrier::new(shape.operators));
    let mut logins = tokio::task::JoinSet::new();
    for (o, ops) in ids.into_iter().enumerate() {
        let barrier = barrier.clone();
        logins.spawn(async move {
            let mut conn = Conn::open(addr).await?;
            barrier.wait().await;
            let t = Instant::now();
            let r = login(&mut conn, o).await;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            Ok::<_, anyhow::Error>((o, ops, conn, ms, r))
        });
    }
    let mut first = Vec::with_capacity(shape.operators);
    while let Some(r) = logins.join_next().await {
        first.push(r??);
    }
    // Failed ones again, one at a time, once the others are done.
    for (o, ops, mut conn, ms, r) in first {
        login_ms.push(ms);
        let token = match r {
            Ok(token) => token,
            Err(e) => {
                login_failures.push(format!("{e:#}"));
                conn = Conn::open(addr).await?;
                login(&mut conn, o).await?
            }
        };
        operators.push((o, Operator { conn, token, ops }));
    }
    operators.sort_by_key(|(o, _)| *o);
    println!(
        "{} operators logged in, all at once, in {:.1} s (one connection each); {} login(s) failed \
         and were retried alone.",
        operators.len(),
        t.elapsed().as_secs_f64(),
        login_failures.len()
    );
    for f in login_failures.iter().take(5) {
        println!("  - {f}");
    }

    // Phase 1: everyone starts and finishes his operations, released at the same instant.
    let barrier = Arc::new(Barrier::new(shape.operators + 1));
    let mut tasks = Vec::with_capacity(shape.operators);
    for (_, mut op) in operators {
        let barrier = barrier.clone();
        let tag = tag.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut failures = Vec::new();
            barrier.wait().await;
            for &id in &op.ops.clone() {
                for (act, name, body) in [
                    (Act::Start, "start", json!({})),
                    (Act::Finish, "finish", json!({"good": 10, "scrap": 0})),
                ] {
                    let path = format!("/api/v1/shop-floor/operations/{id}/{name}");
                    let k = key(&tag, id, name);
                    let t = Instant::now();
                    let r = op.conn.post(&path, Some(&op.token), Some(&k), &body).await;
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    match r {
                        Ok(r) if r.status == 200 => {
                            samples.push(Sample { act, ms });
                            let want = if act == Act::Start {
                                "en_cours"
                            } else {
                                "termine"
                            };
                            let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                            if v["status"] != want || r.header("idempotency-replayed").is_some() {
                                failures.push(Failure {
                                    what: format!(
                                        "{name} {id}: status {} (want {want})",
                                        v["status"]
                                    ),
                                });
                            }
                        }
                        Ok(r) => {
                            samples.push(Sample { act, ms });
                            failures.push(Failure {
                                what: format!("{name} {id} → {}: {}", r.status, r.text()),
                            });
                        }
                        Err(e) => {
                            failures.push(Failure {
                                what: format!("{name} {id}: {e:#}"),
                            });
                            // The connection may be unusable: reopen it.
                            match Conn::open(addr).await {
                                Ok(c) => op.conn = c,
                                Err(_) => return (op, samples, failures),
                            }
                        }
                    }
                }
            }
            (op, samples, failures)
        }));
    }
    barrier.wait().await;
    let t0 = Instant::now();
    let mut operators = Vec::with_capacity(shape.operators);
    let mut samples = Vec::new();
    let mut failures = Vec::new();
    for t in tasks {
        let (op, s, f) = t.await?;
        operators.push(op);
        samples.extend(s);
        failures.extend(f);
    }
    let wall = t0.elapsed().as_secs_f64();
    let total = shape.operators * shape.ops_per_operator;
    let done_ops = count(
        db,
        "SELECT COUNT(*) FROM job_operations op JOIN jobs j ON j.id = op.job_id \
         WHERE j.number LIKE 'OF-9999-%' AND op.status = 'termine'",
    )
    .await?;
    let done_jobs = count(
        db,
        "SELECT COUNT(*) FROM jobs WHERE number LIKE 'OF-9999-%' AND status = 'termine'",
    )
    .await?;
    if done_ops != total as i64 || done_jobs != total as i64 {
        failures.push(Failure {
            what: format!(
                "after the run: {done_ops} operations and {done_jobs} jobs finished, {total} expected"
            ),
        });
    }
    println!(
        "{} requests in {wall:.2} s; {done_ops}/{total} operations and {done_jobs}/{total} jobs finished.",
        samples.len()
    );

    // Phase 2: each operator replays his first finish (same key), all at once.
    let entries = count(db, "SELECT COUNT(*) FROM time_entries").await?;
    let events = count(db, "SELECT COUNT(*) FROM shop_events").await?;
    let barrier = Arc::new(Barrier::new(shape.operators + 1));
    let mut tasks = Vec::with_capacity(shape.operators);
    for mut op in operators {
        let barrier = barrier.clone();
        let tag = tag.clone();
        tasks.push(tokio::spawn(async move {
            let id = op.ops[0];
            let path = format!("/api/v1/shop-floor/operations/{id}/finish");
            let k = key(&tag, id, "finish");
            barrier.wait().await;
            let t = Instant::now();
            let r = op
                .conn
                .post(
                    &path,
                    Some(&op.token),
                    Some(&k),
                    &json!({"good": 10, "scrap": 0}),
                )
                .await;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            match r {
                Ok(r) if r.status == 200 && r.header("idempotency-replayed") == Some("true") => {
                    (Some(ms), None)
                }
                Ok(r) => (
                    Some(ms),
                    Some(format!(
                        "replay finish {id} → {} (idempotency-replayed: {:?}): {}",
                        r.status,
                        r.header("idempotency-replayed"),
                        r.text()
                    )),
                ),
                Err(e) => (None, Some(format!("replay finish {id}: {e:#}"))),
            }
        }));
    }
    barrier.wait().await;
    let t1 = Instant::now();
    let mut replays = Vec::new();
    for t in tasks {
        let (ms, f) = t.await?;
        if let Some(ms) = ms {
            replays.push(Sample {
                act: Act::Replay,
                ms,
            });
        }
        if let Some(what) = f {
            failures.push(Failure { what });
        }
    }
    let replay_wall = t1.elapsed().as_secs_f64();
    let entries_after = count(db, "SELECT COUNT(*) FROM time_entries").await?;
    let events_after = count(db, "SELECT COUNT(*) FROM shop_events").await?;
    if entries_after != entries || events_after != events {
        failures.push(Failure {
            what: format!(
                "the replays changed data: time_entries {entries} → {entries_after}, shop_events {events} → {events_after}"
            ),
        });
    }
    println!(
        "{} finishes replayed in {replay_wall:.2} s; time_entries {entries} → {entries_after}, shop_events {events} → {events_after}.",
        replays.len()
    );
    if failures.is_empty() {
        println!("Failures: 0.\n");
    } else {
        println!("Failures: {}", failures.len());
        for f in failures.iter().take(20) {
            println!("  - {}", f.what);
        }
        println!();
    }

    let login_wall = login_ms.iter().copied().fold(0.0, f64::max) / 1000.0;
    let mut rows = vec![row(
        backend,
        "login, all at once (not checked)",
        login_ms,
        login_wall,
    )];
    for (act, name) in [(Act::Start, "start"), (Act::Finish, "finish")] {
        let v: Vec<f64> = samples
            .iter()
            .filter(|s| s.act == act)
            .map(|s| s.ms)
            .collect();
        rows.push(row(backend, name, v, wall));
    }
    rows.push(row(
        backend,
        "start + finish",
        samples.iter().map(|s| s.ms).collect(),
        wall,
    ));
    rows.push(row(
        backend,
        "finish, replayed",
        replays.iter().map(|s| s.ms).collect(),
        replay_wall,
    ));
    Ok((rows, failures.len()))
}

/// Nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn row(backend: &'static str, action: &'static str, mut v: Vec<f64>, wall_s: f64) -> Row {
    v.sort_by(|a, b| a.total_cmp(b));
    Row {
        backend,
        action,
        n: v.len(),
        p50: pct(&v, 50.0),
        p95: pct(&v, 95.0),
        p99: pct(&v, 99.0),
        max: v.last().copied().unwrap_or(f64::NAN),
        throughput: if wall_s > 0.0 {
            v.len() as f64 / wall_s
        } else {
            f64::NAN
        },
    }
}

fn print_table(rows: &[Row]) {
    println!("| backend | action | n | p50 ms | p95 ms | p99 ms | max ms | throughput req/s |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |",
            r.backend, r.action, r.n, r.p50, r.p95, r.p99, r.max, r.throughput
        );
    }
    println!(
        "\nThroughput: requests of that kind / wall time of their phase (starts and finishes \
         interleave in one phase; the replays are a phase of their own)."
    );
}
