//! Runs the corpus (made by `drawing-corpus`) through extraction + analysis and prints, per
//! field, precision and recall for vector PDFs and raster scans separately, plus seconds per
//! page (mean, p95). Writes every mismatch to `DIR/bench-report.json`.
//!
//! Usage: drawing-bench [--dir DIR] [--vector-only] [--raster-only] [--limit N]

use std::collections::BTreeMap;
use std::path::PathBuf;
use usinage_drawing::analysis::text::key;
use usinage_drawing::corpus::Truth;
use usinage_drawing::{DrawingAnalysis, Limits, analyze_file, builtin_grades};

const TITLE_FIELDS: &[&str] = &[
    "drawing_number",
    "revision",
    "part_name",
    "material",
    "material_grade",
    "heat_treatment",
    "surface_treatment",
    "customer",
    "scale",
    "date",
    "quantity",
    "general_tolerance",
];
const OTHER_FIELDS: &[&str] = &["projection", "shape_class", "envelope"];
const LIST_FIELDS: &[&str] = &[
    "toleranced_dimensions",
    "threads",
    "roughness",
    "gdt",
    "critical_markers",
];

#[derive(Default, Clone)]
struct Counts {
    tp: usize,
    predicted: usize,
    truth: usize,
    both_none: usize,
    total: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.tp as f64 / self.predicted as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.truth == 0 {
            1.0
        } else {
            self.tp as f64 / self.truth as f64
        }
    }
    fn accuracy(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.tp + self.both_none) as f64 / self.total as f64
        }
    }
}

fn scalar(a: &DrawingAnalysis, f: &str) -> Option<String> {
    let v = |o: &Option<usinage_drawing::Found<String>>| o.as_ref().map(|x| key(&x.value));
    match f {
        "drawing_number" => v(&a.drawing_number),
        "revision" => v(&a.revision),
        "part_name" => v(&a.part_name),
        "material" => v(&a.material),
        "material_grade" => a.material_grade.as_ref().map(|m| m.value.grade_id.clone()),
        "heat_treatment" => v(&a.heat_treatment),
        "surface_treatment" => v(&a.surface_treatment),
        "customer" => v(&a.customer),
        "scale" => a.scale.as_ref().map(|x| x.value.clone()),
        "date" => a.date.as_ref().map(|x| x.value.clone()),
        "quantity" => a.quantity.as_ref().map(|x| x.value.to_string()),
        "general_tolerance" => a.general_tolerance.as_ref().map(|x| x.value.to_string()),
        "projection" => a.projection.as_ref().map(|x| {
            serde_json::to_value(x.value)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        }),
        "shape_class" => a.shape_class.as_ref().map(|x| {
            serde_json::to_value(x.value)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        }),
        "envelope" => a.envelope.as_ref().map(|e| {
            env_key(
                e.value.diameter,
                e.value.length,
                e.value.width,
                e.value.height,
            )
        }),
        _ => None,
    }
}

fn env_key(d: Option<f64>, l: Option<f64>, w: Option<f64>, h: Option<f64>) -> String {
    let f = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "-".into());
    format!("d{} l{} w{} h{}", f(d), f(l), f(w), f(h))
}

fn truth_scalar(t: &Truth, f: &str) -> Option<String> {
    let k = |o: &Option<String>| o.as_ref().map(|x| key(x));
    match f {
        "drawing_number" => k(&t.drawing_number),
        "revision" => k(&t.revision),
        "part_name" => k(&t.part_name),
        "material" => k(&t.material),
        "material_grade" => t.material_grade.clone(),
        "heat_treatment" => k(&t.heat_treatment),
        "surface_treatment" => k(&t.surface_treatment),
        "customer" => k(&t.customer),
        "scale" => t.scale.clone(),
        "date" => t.date.clone(),
        "quantity" => t.quantity.map(|q| q.to_string()),
        "general_tolerance" => t.general_tolerance.clone(),
        "projection" => t.projection.clone(),
        "shape_class" => t.shape_class.clone(),
        "envelope" => t
            .envelope
            .as_ref()
            .map(|e| env_key(e.diameter, e.length, e.width, e.height)),
        _ => None,
    }
}

fn list(a: &DrawingAnalysis, t: &Truth, f: &str) -> (Vec<String>, Vec<String>) {
    match f {
        "toleranced_dimensions" => (
            a.dimensions
                .iter()
                .filter(|d| d.value.tolerance.is_some())
                .filter_map(|d| Some(format!("{:.3}-{:.3}", d.value.min?, d.value.max?)))
                .collect(),
            t.dimensions
                .iter()
                .map(|d| format!("{:.3}-{:.3}", d.min, d.max))
                .collect(),
        ),
        "threads" => (
            a.threads
                .iter()
                .map(|x| x.value.designation.clone())
                .collect(),
            t.threads.clone(),
        ),
        "roughness" => (
            a.roughness
                .iter()
                .map(|x| format!("{}", x.value.value_um))
                .collect(),
            t.roughness.iter().map(|x| format!("{x}")).collect(),
        ),
        "gdt" => (
            a.gdt
                .iter()
                .map(|x| {
                    serde_json::to_value(x.value.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                })
                .collect(),
            t.gdt.clone(),
        ),
        "critical_markers" => (
            a.critical_markers.iter().map(|x| x.value.clone()).collect(),
            t.critical_markers.clone(),
        ),
        _ => (vec![], vec![]),
    }
}

fn multiset_tp(pred: &[String], truth: &[String]) -> usize {
    let mut left: Vec<&String> = truth.iter().collect();
    let mut tp = 0;
    for p in pred {
        if let Some(i) = left.iter().position(|t| *t == p) {
            left.remove(i);
            tp += 1;
        }
    }
    tp
}

struct Run {
    counts: BTreeMap<String, Counts>,
    seconds: Vec<f64>,
    errors: usize,
    mismatches: Vec<serde_json::Value>,
}

fn evaluate(run: &mut Run, id: &str, a: &DrawingAnalysis, t: &Truth) {
    for f in TITLE_FIELDS.iter().chain(OTHER_FIELDS) {
        let p = scalar(a, f);
        let tr = truth_scalar(t, f);
        let c = run.counts.entry(f.to_string()).or_default();
        c.total += 1;
        if p.is_some() {
            c.predicted += 1;
        }
        if tr.is_some() {
            c.truth += 1;
        }
        match (&p, &tr) {
            (Some(x), Some(y)) if x == y => c.tp += 1,
            (None, None) => c.both_none += 1,
            _ => run
                .mismatches
                .push(serde_json::json!({"id": id, "field": f, "predicted": p, "truth": tr})),
        }
    }
    for f in LIST_FIELDS {
        let (p, tr) = list(a, t, f);
        let tp = multiset_tp(&p, &tr);
        let c = run.counts.entry(f.to_string()).or_default();
        c.tp += tp;
        c.predicted += p.len();
        c.truth += tr.len();
        c.total += 1;
        if tp != p.len() || tp != tr.len() {
            run.mismatches
                .push(serde_json::json!({"id": id, "field": f, "predicted": p, "truth": tr}));
        }
    }
}

/// CPU seconds used so far by this process and its waited-for children (/proc/self/stat), so
/// the per-page cost can be read independently of the machine's load.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // After the command name: state(skipped, not numeric) ppid pgrp session tty tpgid flags
    // minflt cminflt majflt cmajflt utime stime cutime cstime → indices 10..=13 here.
    if f.len() > 13 {
        (f[10] + f[11] + f[12] + f[13]) / 100.0
    } else {
        0.0
    }
}

fn pct(v: f64) -> String {
    format!("{:5.1}%", 100.0 * v)
}

fn main() {
    let mut dir = PathBuf::from("target/drawing-corpus");
    let (mut vector, mut raster, mut limit) = (true, true, usize::MAX);
    let mut limits = Limits::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = args.next().map(PathBuf::from).unwrap_or(dir),
            "--vector-only" => raster = false,
            "--psm" => {
                limits.tesseract_psm = args.next().and_then(|v| v.parse().ok()).unwrap_or(11)
            }
            "--no-deskew" => limits.deskew = false,
            "--no-binarize" => limits.binarize = false,
            "--keep-lines" => limits.remove_lines = false,
            "--raster-only" => vector = false,
            "--limit" => limit = args.next().and_then(|v| v.parse().ok()).unwrap_or(limit),
            "--dump" => {
                // Prints the rows read from one file (debugging aid).
                let file = args.next().unwrap_or_default();
                let bytes = std::fs::read(&file).unwrap_or_default();
                let kind = usinage_drawing::sniff::detect(&bytes, &file).expect("type");
                let ex = usinage_drawing::extract::extract(&bytes, kind, &Limits::default())
                    .expect("extract");
                for p in &ex.pages {
                    println!("page {} deskew {:?}", p.number, p.deskew_degrees);
                    for r in usinage_drawing::analysis::text::rows(p) {
                        let t = usinage_drawing::analysis::text::RowText::new(&r);
                        println!("{:.3} {:.3} | {}", r.bbox.x0, r.bbox.y0, t.text);
                    }
                }
                return;
            }
            other => {
                eprintln!("argument inconnu : {other}");
                std::process::exit(2);
            }
        }
    }
    let mut truths: Vec<(PathBuf, Truth)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            eprintln!("{}: {e} (lancez d'abord drawing-corpus)", dir.display());
            std::process::exit(1)
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("bench-report.json"))
        .filter_map(|p| {
            let t: Truth = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            Some((p, t))
        })
        .collect();
    truths.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    truths.truncate(limit);
    let grades = builtin_grades();
    let mut report = serde_json::Map::new();
    for (kind, enabled) in [("vector", vector), ("raster", raster)] {
        if !enabled {
            continue;
        }
        let mut run = Run {
            counts: BTreeMap::new(),
            seconds: vec![],
            errors: 0,
            mismatches: vec![],
        };
        let mut cpu: Vec<f64> = Vec::new();
        for (path, t) in &truths {
            let file = if kind == "vector" {
                Some(path.with_extension("pdf"))
            } else {
                ["png", "jpg"]
                    .iter()
                    .map(|e| dir.join(format!("{}-scan.{e}", t.id)))
                    .find(|p| p.exists())
            };
            let Some(file) = file.filter(|f| f.exists()) else {
                continue;
            };
            let bytes = std::fs::read(&file).unwrap_or_default();
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("x");
            let start = std::time::Instant::now();
            let cpu0 = cpu_seconds();
            match analyze_file(&bytes, name, &limits, &grades) {
                Ok(a) => {
                    let secs = start.elapsed().as_secs_f64();
                    run.seconds.push(secs / a.pages.max(1) as f64);
                    cpu.push((cpu_seconds() - cpu0) / a.pages.max(1) as f64);
                    evaluate(&mut run, &t.id, &a, t);
                }
                Err(e) => {
                    run.errors += 1;
                    eprintln!("{}: {}", t.id, e.message_fr());
                }
            }
        }
        let n = run.seconds.len();
        println!(
            "\n== {kind}: {n} drawings, {} errors (psm {}, deskew {}, binarize {}, remove lines {}) ==",
            run.errors, limits.tesseract_psm, limits.deskew, limits.binarize, limits.remove_lines
        );
        println!(
            "{:<24} {:>9} {:>9} {:>9}",
            "field", "precision", "recall", "accuracy"
        );
        let mut title_acc = 0.0;
        for f in TITLE_FIELDS.iter().chain(OTHER_FIELDS).chain(LIST_FIELDS) {
            let c = run.counts.get(*f).cloned().unwrap_or_default();
            let acc = if LIST_FIELDS.contains(f) {
                "      -".to_string()
            } else {
                pct(c.accuracy())
            };
            println!(
                "{f:<24} {:>9} {:>9} {:>9}",
                pct(c.precision()),
                pct(c.recall()),
                acc
            );
            if TITLE_FIELDS.contains(f) {
                title_acc += c.accuracy();
            }
        }
        title_acc /= TITLE_FIELDS.len() as f64;
        let mut s = run.seconds.clone();
        s.sort_by(f64::total_cmp);
        let mean = s.iter().sum::<f64>() / n.max(1) as f64;
        let p95 = s
            .get(((n as f64 * 0.95).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0);
        println!(
            "title-block field accuracy (mean of {} fields): {}",
            TITLE_FIELDS.len(),
            pct(title_acc)
        );
        println!("seconds per page (wall): mean {mean:.3}, p95 {p95:.3}");
        cpu.sort_by(f64::total_cmp);
        let cmean = cpu.iter().sum::<f64>() / cpu.len().max(1) as f64;
        let cp95 = cpu
            .get(((cpu.len() as f64 * 0.95).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0);
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!(
            "CPU seconds per page (process + tools): mean {cmean:.3}, p95 {cp95:.3}; load average {}",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
        report.insert(
            kind.into(),
            serde_json::json!({"title_accuracy": title_acc, "mean_s": mean, "p95_s": p95, "mismatches": run.mismatches}),
        );
    }
    let _ = std::fs::write(
        dir.join("bench-report.json"),
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    );
}
