//! Quoting estimate engine (issue 5 items 3–5; DOMAIN.md §3.5; NORMS.md §2–4).
//!
//! [`estimate`] turns a [`PartSpec`] (what the drawing says) and a [`ShopContext`] (the shop's
//! own machines, rates, cutting data, stock, prices, settings) into an [`Estimate`]: the draft
//! routing with the machine chosen for each operation and why, the raw stock, setup and cycle
//! times from documented formulas (+ the safety margin on times), costs per quantity break,
//! three priced scenarios that never go below the minimum margin, lead times, open questions,
//! and a trace of every number ("why this price").
//!
//! Pure and deterministic: no I/O, no clock, no hash-map iteration. Physics in `f64`, money in
//! [`Decimal`] rounded to cents. See `docs/estimate-engine.md`.

pub mod cutting;
pub mod formulas;
pub mod model;
pub mod pricing;
pub mod raw_stock;
pub mod times;

#[cfg(test)]
mod tests;

pub use model::*;
pub use pricing::{MarginError, check_price, margin_pct, min_price};

use rust_decimal::{Decimal, RoundingStrategy};
use times::{Op, Timing};

/// Rounds money to the cent, half away from zero.
pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds money up to the cent.
pub fn ceil_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity)
}

/// An `f64` quantity (hours, kg) as a decimal with 4 places (deterministic conversion).
pub fn dec(x: f64) -> Decimal {
    if !x.is_finite() {
        return Decimal::ZERO;
    }
    Decimal::new((x * 10_000.0).round() as i64, 4)
}

fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Collects trace items and issues.
#[derive(Debug, Default, Clone)]
pub struct Sink {
    pub trace: Vec<TraceItem>,
    pub issues: Vec<Issue>,
}

impl Sink {
    /// Adds an issue once (by code).
    pub fn issue(&mut self, level: IssueLevel, code: &str, message_fr: &str) {
        if !self.issues.iter().any(|i| i.code == code) {
            self.issues.push(Issue {
                level,
                code: code.to_string(),
                message_fr: message_fr.to_string(),
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn trace(
        &mut self,
        key: String,
        label_fr: &str,
        value: f64,
        unit: &str,
        formula: &str,
        inputs: &[(&str, String)],
        source: TraceSource,
    ) {
        self.push(key, label_fr, num(value), unit, formula, inputs, source);
    }

    pub fn trace_money(
        &mut self,
        key: String,
        label_fr: &str,
        value: Decimal,
        formula: &str,
        inputs: &[(&str, String)],
        source: TraceSource,
    ) {
        self.push(
            key,
            label_fr,
            format!("{:.2}", cents(value)),
            "€",
            formula,
            inputs,
            source,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        key: String,
        label_fr: &str,
        value: String,
        unit: &str,
        formula: &str,
        inputs: &[(&str, String)],
        source: TraceSource,
    ) {
        self.trace.push(TraceItem {
            key,
            label_fr: label_fr.to_string(),
            value,
            unit: unit.to_string(),
            formula: formula.to_string(),
            inputs: inputs
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            source,
        });
    }

    fn absorb(&mut self, other: Sink) {
        self.trace.extend(other.trace);
        for i in other.issues {
            self.issue(i.level, &i.code, &i.message_fr);
        }
    }
}

/// An operation before numbering: chosen timing and resource.
struct Planned {
    process: ProcessKind,
    description_fr: String,
    candidates: Vec<MachineCandidate>,
    resource: Resource,
    why_fr: String,
    timing: Timing,
}

/// Capability check of a machine: `Ok(reasons)` capable, `Err(reasons)` not capable (an empty
/// `Err` means "not this kind of machine": not listed).
type Check<'a> = &'a dyn Fn(&Machine) -> Result<Vec<String>, Vec<String>>;

/// Result of a machine choice.
struct Choice {
    candidates: Vec<MachineCandidate>,
    chosen: Option<(Machine, Timing, Sink)>,
    why_fr: String,
}

fn machine_rate(m: &Machine) -> Decimal {
    m.hourly_rate + m.operator_rate.unwrap_or_default()
}

/// Ranks the shop's machines for one process. `check` says whether a machine can do it (with
/// reasons); `timing` times the operation on a capable machine. The cheapest capable available
/// machine for the largest quantity wins; ties: lower load, then code.
fn choose(
    spec: &PartSpec,
    shop: &ShopContext,
    process: ProcessKind,
    prefix: &str,
    check: Check,
    timing: &dyn Fn(&Op, &mut Sink) -> Timing,
) -> Choice {
    let qmax = spec.quantities.iter().copied().max().unwrap_or(1).max(1);
    let mut candidates = Vec::new();
    let mut best: Option<(Decimal, f64, String, Machine, Timing, Sink, bool)> = None;
    for m in &shop.machines {
        let (mut capable, mut reasons) = match check(m) {
            Ok(r) => (true, r),
            Err(r) => (false, r),
        };
        if reasons.is_empty() && !capable {
            continue; // not the right kind: not listed
        }
        let mut cost = None;
        if capable {
            let op = Op {
                spec,
                shop,
                machine: Some(m),
                prefix: prefix.to_string(),
            };
            let mut sink = Sink::default();
            let t = timing(&op, &mut sink);
            if t.vc_ratio < 1.0 - 1e-9 {
                reasons.push(format!(
                    "vitesse de broche plafonnée à {} tr/min (Vc effective {} % de la Vc conseillée)",
                    m.max_rpm.unwrap_or(0.0),
                    (t.vc_ratio * 100.0).round()
                ));
            }
            if t.vc_ratio < 1.0 / 3.0 {
                capable = false;
                reasons.push("vitesse de broche insuffisante".into());
            }
            if let Some(p) = m.power_kw.filter(|p| t.power_kw > *p) {
                reasons.push(format!(
                    "puissance {} kW < {} kW requis en ébauche : passes réduites",
                    num(p),
                    num(t.power_kw)
                ));
            }
            if capable {
                let hours = t.setup_h + t.cycle_min * f64::from(qmax) / 60.0;
                let c = cents(dec(hours) * machine_rate(m));
                cost = Some(c);
                if !m.available {
                    reasons.push("machine actuellement indisponible".into());
                }
                let better = match &best {
                    None => true,
                    Some((bc, bl, bcode, _, _, _, bavail)) => {
                        (!m.available, c, m.load_hours, m.code.clone())
                            < (!*bavail, *bc, *bl, bcode.clone())
                    }
                };
                if better {
                    best = Some((
                        c,
                        m.load_hours,
                        m.code.clone(),
                        m.clone(),
                        t,
                        sink,
                        m.available,
                    ));
                }
            }
        }
        candidates.push(MachineCandidate {
            machine_id: m.id,
            code: m.code.clone(),
            name: m.name.clone(),
            capable,
            available: m.available,
            reasons_fr: reasons,
            cost_for_ranking: cost,
        });
    }
    match best {
        None => {
            let detail: Vec<String> = candidates
                .iter()
                .map(|c| format!("{} : {}", c.code, c.reasons_fr.join(", ")))
                .collect();
            Choice {
                why_fr: if detail.is_empty() {
                    format!(
                        "aucune machine de l'atelier ne peut réaliser l'opération « {} » (aucune machine de ce type)",
                        process.label_fr().to_lowercase()
                    )
                } else {
                    format!(
                        "aucune machine de l'atelier ne peut réaliser l'opération « {} » ({})",
                        process.label_fr().to_lowercase(),
                        detail.join(" ; ")
                    )
                },
                candidates,
                chosen: None,
            }
        }
        Some((c, _, _, m, t, sink, avail)) => {
            let n_capable = candidates.iter().filter(|c| c.capable).count();
            let why = if !avail {
                format!(
                    "{} est la seule machine capable mais elle est indisponible : délai à confirmer",
                    m.code
                )
            } else if n_capable == 1 {
                format!("{} est la seule machine capable de l'atelier", m.code)
            } else {
                format!(
                    "{} : coût le plus bas parmi {} machines capables ({} pour {} pièce(s), taux {}/h)",
                    m.code,
                    n_capable,
                    pricing::eur(c),
                    qmax,
                    pricing::eur(machine_rate(&m))
                )
            };
            Choice {
                candidates,
                chosen: Some((m, t, sink)),
                why_fr: why,
            }
        }
    }
}

fn kind_only(m: &Machine, kinds: &[MachineKind]) -> Result<Vec<String>, Vec<String>> {
    if kinds.contains(&m.kind) {
        Ok(vec![])
    } else {
        Err(vec![])
    }
}

/// Envelope dimensions sorted descending (a round part: length, Ø, Ø).
pub fn sorted_dims(e: &Envelope) -> [f64; 3] {
    let mut d = match *e {
        Envelope::Round { diameter, length } => [length, diameter, diameter],
        Envelope::Block {
            length,
            width,
            height,
        } => [length, width, height],
    };
    d.sort_by(|a, b| b.total_cmp(a));
    d
}

/// Milling capability: a milling machine with at least `axes` axes whose travels hold the part
/// envelope. `Ok(reasons)` capable, `Err(reasons)` not capable, `Err(vec![])` not a mill.
pub fn mill_check(m: &Machine, spec: &PartSpec, axes: u8) -> Result<Vec<String>, Vec<String>> {
    if m.kind.mill_axes() == 0 {
        return Err(vec![]);
    }
    let mut bad = Vec::new();
    if m.kind.mill_axes() < axes {
        bad.push(format!(
            "{} axes, la pièce demande {} axes simultanés",
            m.kind.mill_axes(),
            axes
        ));
    }
    let d = sorted_dims(&spec.envelope);
    let mut t = [
        m.travel_x.unwrap_or(f64::MAX),
        m.travel_y.unwrap_or(f64::MAX),
        m.travel_z.unwrap_or(f64::MAX),
    ];
    t.sort_by(|a, b| b.total_cmp(a));
    if d[0] > t[0] || d[1] > t[1] || d[2] > t[2] {
        bad.push(format!(
            "courses {}×{}×{} insuffisantes pour {}×{}×{}",
            fmt_mm(m.travel_x.unwrap_or(0.0)),
            fmt_mm(m.travel_y.unwrap_or(0.0)),
            fmt_mm(m.travel_z.unwrap_or(0.0)),
            fmt_mm(d[0]),
            fmt_mm(d[1]),
            fmt_mm(d[2])
        ));
    }
    if bad.is_empty() {
        Ok(vec![format!(
            "{} axes, courses suffisantes",
            m.kind.mill_axes()
        )])
    } else {
        Err(bad)
    }
}

/// How a lathe would hold the blank: `Some(true)` bar-fed, `Some(false)` sawn blank in the
/// chuck, `None` too large.
pub fn lathe_holding(m: &Machine, stock_d: f64) -> Option<bool> {
    let bar = m.max_bar_diameter.unwrap_or(0.0);
    if stock_d <= bar + 1e-9 {
        return Some(m.bar_feeder);
    }
    if stock_d <= m.max_chuck_diameter.unwrap_or(0.0) + 1e-9 {
        return Some(false);
    }
    None
}

/// Diameter of the stock a lathe holds: the round stock section, else the envelope Ø plus the
/// diameter allowance, else the larger side of a block.
pub fn turning_stock_diameter(spec: &PartSpec, stock_section: Option<Section>) -> f64 {
    match stock_section {
        Some(Section::Round { diameter }) => diameter,
        _ => match spec.envelope {
            Envelope::Round { diameter, .. } => diameter + raw_stock::diameter_allowance(diameter),
            Envelope::Block { width, height, .. } => width.max(height),
        },
    }
}

/// Lathe capability: the Ø`stock_d` stock goes through the bar capacity or in the chuck, and the
/// part `length` fits the Z travel. `has_mill` / `needs_5ax` only add an informative reason.
/// `Ok(reasons)` capable, `Err(reasons)` not capable, `Err(vec![])` not a lathe.
pub fn lathe_check(
    m: &Machine,
    stock_d: f64,
    length: f64,
    has_mill: bool,
    needs_5ax: bool,
) -> Result<Vec<String>, Vec<String>> {
    if !m.kind.is_lathe() {
        return Err(vec![]);
    }
    let mut bad = Vec::new();
    let mut ok = Vec::new();
    match lathe_holding(m, stock_d) {
        Some(true) => ok.push(format!(
            "barre Ø{} ≤ capacité barre Ø{} (embarreur)",
            fmt_mm(stock_d),
            fmt_mm(m.max_bar_diameter.unwrap_or(0.0))
        )),
        Some(false) => ok.push(format!("lopin Ø{} pris en mandrin", fmt_mm(stock_d))),
        None => bad.push(format!(
            "Ø{} dépasse la capacité barre Ø{}{}",
            fmt_mm(stock_d),
            fmt_mm(m.max_bar_diameter.unwrap_or(0.0)),
            m.max_chuck_diameter
                .map(|c| format!(" et mandrin Ø{}", fmt_mm(c)))
                .unwrap_or_default()
        )),
    }
    if let Some(z) = m.travel_z
        && length > z
    {
        bad.push(format!(
            "longueur {} > course Z {}",
            fmt_mm(length),
            fmt_mm(z)
        ));
    }
    if has_mill {
        if m.kind == MachineKind::TourFraiseur && !needs_5ax {
            ok.push("outils tournants : fraisage fait sur le tour".into());
        } else {
            ok.push("fraisage à faire sur une fraiseuse".into());
        }
    }
    if bad.is_empty() { Ok(ok) } else { Err(bad) }
}

/// Saw capability: the section fits the saw capacity (`max_bar_diameter`, else `travel_x`).
/// `Err(vec![])` not a saw.
pub fn saw_check(m: &Machine, sec: Section) -> Result<Vec<String>, Vec<String>> {
    if m.kind != MachineKind::Scie {
        return Err(vec![]);
    }
    let size = match sec {
        Section::Round { diameter } => diameter,
        Section::Flat { width, thickness } => width.max(thickness),
    };
    match m.max_bar_diameter.or(m.travel_x) {
        Some(cap) if size > cap => Err(vec![format!(
            "section {} > capacité {}",
            sec.label(),
            fmt_mm(cap)
        )]),
        _ => Ok(vec![format!("capacité suffisante pour {}", sec.label())]),
    }
}

/// Press-brake capability: the bend length `len` fits the bending length (`travel_x`).
/// `Err(vec![])` not a press brake.
pub fn bend_check(m: &Machine, len: f64) -> Result<Vec<String>, Vec<String>> {
    if m.kind != MachineKind::Plieuse {
        return Err(vec![]);
    }
    match m.travel_x {
        Some(x) if len > x => Err(vec![format!(
            "longueur de pliage {} > {}",
            fmt_mm(len),
            fmt_mm(x)
        )]),
        _ => Ok(vec!["longueur de pliage suffisante".into()]),
    }
}

fn feature_ra(f: &Feature) -> Option<f64> {
    match f {
        Feature::ExternalTurning { ra, .. }
        | Feature::Bore { ra, .. }
        | Feature::Pocket { ra, .. }
        | Feature::Face { ra, .. } => *ra,
        Feature::Surface { ra, .. } => Some(*ra),
        _ => None,
    }
}

/// Area (mm²) of a feature's finished surface, for grinding.
fn feature_area(f: &Feature) -> f64 {
    use std::f64::consts::PI;
    match f {
        Feature::ExternalTurning {
            diameter, length, ..
        } => PI * diameter * length,
        Feature::Bore {
            diameter, depth, ..
        } => PI * diameter * depth,
        Feature::Pocket { length, width, .. } | Feature::Face { length, width, .. } => {
            length * width
        }
        Feature::Surface { area_mm2, .. } => *area_mm2,
        _ => 0.0,
    }
}

/// Tightest IT grade of the part (features, drawing note, ISO 2768 general class), with how it
/// was found.
pub fn tightest_it(spec: &PartSpec) -> Option<(u8, String)> {
    let mut best: Option<(u8, String)> = None;
    let mut consider = |g: u8, why: String| {
        if best.as_ref().is_none_or(|(b, _)| g < *b) {
            best = Some((g, why));
        }
    };
    let nominal_of = |f: &Feature| match f {
        Feature::ExternalTurning { diameter, .. } | Feature::Bore { diameter, .. } => *diameter,
        _ => spec.envelope.max_dim(),
    };
    for f in &spec.features {
        let tol = match f {
            Feature::ExternalTurning { tolerance, .. } | Feature::Bore { tolerance, .. } => {
                *tolerance
            }
            _ => None,
        };
        match tol {
            Some(Tolerance::It { grade }) => consider(grade, format!("IT{grade} sur le plan")),
            Some(Tolerance::PlusMinus { value }) => {
                let nominal = nominal_of(f);
                let g = formulas::it_grade_for_width(nominal, 2000.0 * value);
                consider(g, format!("±{value} sur Ø{} → IT{g}", fmt_mm(nominal)));
            }
            None => {}
        }
    }
    match spec.tightest_tolerance {
        Some(Tolerance::It { grade }) => consider(grade, format!("IT{grade} sur le plan")),
        Some(Tolerance::PlusMinus { value }) => {
            let nominal = spec.envelope.max_dim();
            let g = formulas::it_grade_for_width(nominal, 2000.0 * value);
            consider(g, format!("±{value} sur {} mm → IT{g}", fmt_mm(nominal)));
        }
        None => {}
    }
    if let Some(class) = spec.general_tolerance_class {
        let size = spec.envelope.max_dim();
        if let Some(v) = formulas::iso2768_linear(class, size) {
            let g = formulas::it_grade_for_width(size, 2000.0 * v);
            consider(
                g,
                format!("ISO 2768-{class} : ±{v} sur {} mm → IT{g}", fmt_mm(size)),
            );
        }
    }
    best
}

/// Estimates one part. See the module documentation.
pub fn estimate(spec: &PartSpec, shop: &ShopContext) -> Estimate {
    let mut sink = Sink::default();
    let settings = &shop.settings;
    let ts = &shop.times;
    let time_factor = 1.0 + settings.time_margin_pct / 100.0;
    let mut quantities: Vec<u32> = spec.quantities.iter().copied().filter(|q| *q > 0).collect();
    quantities.sort_unstable();
    quantities.dedup();
    if quantities.is_empty() {
        quantities.push(1);
    }
    let spec_owned;
    let spec = if quantities != spec.quantities {
        spec_owned = PartSpec {
            quantities: quantities.clone(),
            ..spec.clone()
        };
        &spec_owned
    } else {
        spec
    };
    let group = spec.material.iso_group;
    let mut planned: Vec<Planned> = Vec::new();

    // ------------------------------------------------------------ raw stock and turning
    let need = raw_stock::need(spec);
    let turned = spec.shape == ShapeClass::Turned
        || spec
            .features
            .iter()
            .any(|f| matches!(f, Feature::ExternalTurning { .. }));
    let is_mill_feature = |f: &Feature| {
        matches!(
            f,
            Feature::Face { .. }
                | Feature::Pocket { .. }
                | Feature::Slot { .. }
                | Feature::Freeform5Axis { .. }
        ) || matches!(f, Feature::Surface { ra, .. } if *ra > 0.4 && spec.shape != ShapeClass::Turned)
    };
    let is_hole_feature = |f: &Feature| {
        matches!(
            f,
            Feature::Holes { .. }
                | Feature::Threads {
                    external: false,
                    ..
                }
                | Feature::Bore { .. }
        )
    };
    let mill_feats: Vec<&Feature> = spec
        .features
        .iter()
        .filter(|f| is_mill_feature(f))
        .collect();
    let needs_5ax = mill_feats
        .iter()
        .any(|f| matches!(f, Feature::Freeform5Axis { .. }));

    let mut ranked = need
        .as_ref()
        .map(|n| {
            raw_stock::ranked_stock(spec, shop, &n.section, n.blank_length + raw_stock::KERF_MM)
        })
        .unwrap_or_default();
    let stock_section = need.as_ref().map(|n| {
        ranked
            .first()
            .map(|(s, _)| s.section)
            .unwrap_or_else(|| raw_stock::buy_section(&n.section))
    });
    let mut bar_fed = false;
    let mut lathe_live = false;
    if turned {
        let stock_d = turning_stock_diameter(spec, stock_section);
        let length = match spec.envelope {
            Envelope::Round { length, .. } => length,
            Envelope::Block { length, .. } => length,
        };
        let live_feats: Vec<&Feature> = if needs_5ax {
            vec![]
        } else {
            mill_feats.clone()
        };
        let has_mill = !mill_feats.is_empty();
        let check = |m: &Machine| lathe_check(m, stock_d, length, has_mill, needs_5ax);
        let timing = |op: &Op, s: &mut Sink| -> Timing {
            let m = op.machine.expect("machine");
            let fed = lathe_holding(m, stock_d).unwrap_or(false);
            let live: Vec<&Feature> = if m.kind == MachineKind::TourFraiseur {
                live_feats.clone()
            } else {
                vec![]
            };
            times::turning(op, stock_d, fed, &live, s)
        };
        let choice = choose(
            spec,
            shop,
            ProcessKind::Tournage,
            "tournage",
            &check,
            &timing,
        );
        if let Some((m, _, _)) = &choice.chosen {
            bar_fed = lathe_holding(m, stock_d).unwrap_or(false);
            lathe_live = m.kind == MachineKind::TourFraiseur && !needs_5ax;
        }
        planned.push(planned_from(
            ProcessKind::Tournage,
            format!(
                "Tournage {}",
                if bar_fed {
                    format!("en barre Ø{}", fmt_mm(stock_d))
                } else {
                    format!("lopin Ø{} en mandrin", fmt_mm(stock_d))
                }
            ),
            choice,
            &mut sink,
        ));
    }

    // Raw stock final figures.
    let mut raw: Option<RawStock> = None;
    if let (Some(n), Some(sec)) = (&need, stock_section) {
        let (blank, consumed) = if bar_fed {
            let l = n.blank_length - raw_stock::FACING_MM;
            (
                l + raw_stock::BAR_FACING_MM,
                l + raw_stock::BAR_FACING_MM + raw_stock::PARTING_MM,
            )
        } else {
            (n.blank_length, n.blank_length + raw_stock::KERF_MM)
        };
        if bar_fed {
            ranked = raw_stock::ranked_stock(spec, shop, &n.section, consumed);
        }
        let mut allowances = n.allowances_fr.clone();
        if bar_fed {
            allowances = vec![
                allowances[0].clone(),
                format!(
                    "en barre : + {} mm dressage + {} mm largeur de tronçonnage",
                    raw_stock::BAR_FACING_MM,
                    raw_stock::PARTING_MM
                ),
            ];
        }
        let mass = raw_stock::mass_kg(&sec, consumed, spec.material.density);
        let debit_fr = if bar_fed {
            format!(
                "Barre {} en embarreur, {} mm par pièce",
                sec.label(),
                fmt_mm(consumed)
            )
        } else {
            format!("Débit {} × {}", sec.label(), fmt_mm(blank))
        };
        sink.trace(
            "matiere.masse".into(),
            "Masse de matière consommée par pièce",
            mass,
            "kg",
            "m = section × longueur consommée × ρ",
            &[
                ("section", sec.label()),
                ("longueur consommée", format!("{} mm", fmt_mm(consumed))),
                ("ρ", format!("{} g/cm³", spec.material.density)),
            ],
            TraceSource::Formule,
        );
        let proposed: Vec<StockAllocation> = ranked
            .iter()
            .map(|(s, _)| StockAllocation {
                stock_id: Some(s.id),
                label: s.label.clone(),
                is_offcut: s.is_offcut,
                certified: s.certified,
                parts: raw_stock::capacity(s, consumed),
                cost_per_kg: s.cost_per_kg,
            })
            .collect();
        raw = Some(RawStock {
            section: sec,
            blank_length: blank,
            consumed_length: consumed,
            bar_fed,
            debit_fr,
            mass_kg: mass,
            certified_required: spec.critical,
            allowances_fr: allowances,
            proposed,
        });
        if !bar_fed {
            let check = |m: &Machine| saw_check(m, sec);
            let timing = |op: &Op, s: &mut Sink| times::saw(op, sec, s);
            let choice = choose(spec, shop, ProcessKind::Debit, "debit", &check, &timing);
            let desc = raw.as_ref().map(|r| r.debit_fr.clone()).unwrap_or_default();
            planned.push(planned_from(ProcessKind::Debit, desc, choice, &mut sink));
        }
    } else if spec.net_mass_kg.is_none() {
        sink.issue(
            IssueLevel::Question,
            "debit_a_definir",
            "Débit à définir : saisir la nomenclature de débit (ensemble soudé ou forme inconnue) ou la masse de la pièce",
        );
    }

    // ------------------------------------------------------------ milling and holes
    let mill_remaining: Vec<&Feature> = if lathe_live {
        vec![]
    } else {
        mill_feats.clone()
    };
    let mut mill_machine: Option<Machine> = None;
    if !mill_remaining.is_empty() {
        let clampings = if turned {
            1
        } else {
            spec.setups.unwrap_or(2).max(1)
        };
        let axes = if needs_5ax { 5 } else { 3 };
        let check = |m: &Machine| mill_check(m, spec, axes);
        let feats = mill_remaining.clone();
        let timing = |op: &Op, s: &mut Sink| times::milling(op, &feats, clampings, true, s);
        let choice = choose(
            spec,
            shop,
            ProcessKind::Fraisage,
            "fraisage",
            &check,
            &timing,
        );
        mill_machine = choice.chosen.as_ref().map(|(m, _, _)| m.clone());
        let desc = if needs_5ax {
            "Fraisage 5 axes".to_string()
        } else {
            format!("Fraisage ({clampings} montage(s))")
        };
        planned.push(planned_from(ProcessKind::Fraisage, desc, choice, &mut sink));
    }
    let hole_feats: Vec<&Feature> = if turned {
        vec![]
    } else {
        spec.features
            .iter()
            .filter(|f| is_hole_feature(f))
            .collect()
    };
    if !hole_feats.is_empty() {
        let feats = hole_feats.clone();
        let same = mill_machine.clone();
        let check = |m: &Machine| -> Result<Vec<String>, Vec<String>> {
            if let Some(mm) = &same {
                return if m.id == mm.id {
                    Ok(vec!["même machine et même montage que le fraisage".into()])
                } else {
                    Err(vec![])
                };
            }
            mill_check(m, spec, 3)
        };
        let own = mill_machine.is_none();
        let timing = |op: &Op, s: &mut Sink| times::milling(op, &feats, 1, own, s);
        let mut choice = choose(
            spec,
            shop,
            ProcessKind::PercageTaraudage,
            "percage",
            &check,
            &timing,
        );
        if let (Some(mm), Some(_)) = (&same, &choice.chosen) {
            choice.why_fr = format!("{} : même machine et même montage que le fraisage", mm.code);
        }
        planned.push(planned_from(
            ProcessKind::PercageTaraudage,
            "Perçage / taraudage / alésage".into(),
            choice,
            &mut sink,
        ));
    }

    // ------------------------------------------------------------ welding, bending, grinding
    let weld_len: f64 = spec
        .features
        .iter()
        .map(|f| match f {
            Feature::Weld { length } => *length,
            _ => 0.0,
        })
        .sum();
    if weld_len > 0.0 {
        let check = |m: &Machine| {
            kind_only(m, &[MachineKind::Soudure]).map(|_| vec!["poste de soudure".into()])
        };
        let timing = |op: &Op, s: &mut Sink| times::welding(op, weld_len, s);
        let choice = choose(spec, shop, ProcessKind::Soudure, "soudure", &check, &timing);
        planned.push(planned_from(
            ProcessKind::Soudure,
            format!("Soudure TIG {} mm", fmt_mm(weld_len)),
            choice,
            &mut sink,
        ));
    }
    let bends: u32 = spec
        .features
        .iter()
        .map(|f| match f {
            Feature::Bends { count } => *count,
            _ => 0,
        })
        .sum();
    if bends > 0 {
        let len = sorted_dims(&spec.envelope)[0];
        let check = |m: &Machine| bend_check(m, len);
        let timing = |op: &Op, s: &mut Sink| times::bending(op, bends, s);
        let choice = choose(spec, shop, ProcessKind::Pliage, "pliage", &check, &timing);
        planned.push(planned_from(
            ProcessKind::Pliage,
            format!("Pliage {bends} pli(s)"),
            choice,
            &mut sink,
        ));
    }
    let grind_area: f64 = spec
        .features
        .iter()
        .filter(|f| feature_ra(f).is_some_and(|r| r <= 0.4))
        .map(feature_area)
        .sum();
    if grind_area > 0.0 {
        let check = |m: &Machine| {
            kind_only(m, &[MachineKind::Rectifieuse]).map(|_| vec!["rectifieuse".into()])
        };
        let timing = |op: &Op, s: &mut Sink| times::grinding(op, grind_area, s);
        let choice = choose(
            spec,
            shop,
            ProcessKind::Rectification,
            "rectification",
            &check,
            &timing,
        );
        planned.push(planned_from(
            ProcessKind::Rectification,
            "Rectification (Ra ≤ 0,4 µm)".into(),
            choice,
            &mut sink,
        ));
    }

    // ------------------------------------------------------------ labour: deburring
    let holes: u32 = spec
        .features
        .iter()
        .map(|f| match f {
            Feature::Holes { count, .. } | Feature::Threads { count, .. } => *count,
            Feature::Bore { .. } => 1,
            _ => 0,
        })
        .sum();
    let pockets = spec
        .features
        .iter()
        .filter(|f| {
            matches!(
                f,
                Feature::Pocket { .. } | Feature::Slot { .. } | Feature::Face { .. }
            )
        })
        .count() as f64;
    let deburr = ts.deburr_base_min
        + f64::from(holes) * ts.deburr_per_hole_min
        + pockets * ts.deburr_per_pocket_min
        + weld_len / 1000.0 * ts.deburr_per_weld_m_min;
    sink.trace(
        "ebavurage.t".into(),
        "Ébavurage par pièce",
        deburr,
        "min",
        "t = base + nb_trous × t_trou + nb_poches × t_poche + soudure_m × t_soudure",
        &[
            ("base", format!("{} min", ts.deburr_base_min)),
            ("nb_trous", holes.to_string()),
            ("nb_poches", pockets.to_string()),
            ("soudure", format!("{} m", num(weld_len / 1000.0))),
        ],
        TraceSource::StandardAtelier,
    );
    planned.push(labour(
        shop,
        ProcessKind::Ebavurage,
        "Ébavurage, cassage d'angles, marquage".into(),
        "ebavurage",
        None,
        0.0,
        deburr,
        &mut sink,
    ));

    // ------------------------------------------------------------ subcontracted treatments
    let net_mass = spec
        .net_mass_kg
        .unwrap_or_else(|| spec.envelope.volume_mm3() * spec.material.density / 1_000_000.0);
    if !spec.treatments.is_empty() {
        sink.trace(
            "piece.masse".into(),
            "Masse de la pièce (pour la sous-traitance au kg)",
            net_mass,
            "kg",
            if spec.net_mass_kg.is_some() {
                "masse donnée (volume du modèle 3D)"
            } else {
                "masse de l'enveloppe = volume × ρ (majorante)"
            },
            &[("ρ", format!("{} g/cm³", spec.material.density))],
            if spec.net_mass_kg.is_some() {
                TraceSource::Plan
            } else {
                TraceSource::Formule
            },
        );
    }
    for tr in &spec.treatments {
        let price = shop
            .subcontract_prices
            .iter()
            .find(|p| p.treatment == tr.code);
        let (resource, why) = match price {
            Some(p) => (
                Resource::Subcontract {
                    treatment: tr.code.clone(),
                    supplier: p.supplier.clone(),
                },
                format!("tarif du sous-traitant {}", p.supplier),
            ),
            None => {
                sink.issue(
                    IssueLevel::Question,
                    &format!("prix_sous_traitance_{}", tr.code),
                    &format!(
                        "Prix de sous-traitance manquant pour « {} » : saisir le prix (au kg ou à la pièce) et le minimum de facturation",
                        tr.label_fr
                    ),
                );
                (Resource::None, "prix de sous-traitance à saisir".into())
            }
        };
        planned.push(Planned {
            process: ProcessKind::TraitementSousTraite,
            description_fr: tr.label_fr.clone(),
            candidates: vec![],
            resource,
            why_fr: why,
            timing: Timing {
                vc_ratio: 1.0,
                ..Default::default()
            },
        });
    }

    // ------------------------------------------------------------ control
    let it = tightest_it(spec);
    let n_feat = spec.features.len() as f64;
    let tol_extra = match it.as_ref().map(|(g, _)| *g) {
        Some(g) if g <= 6 => ts.control_it6_min,
        Some(7) => ts.control_it7_min,
        Some(8) => ts.control_it8_min,
        _ => 0.0,
    };
    let per_part = ts.control_base_min
        + n_feat * ts.control_per_feature_min
        + tol_extra
        + f64::from(spec.gdt_count) * ts.control_per_gdt_min;
    let full = spec.critical || spec.gdt_count > 0 || it.as_ref().is_some_and(|(g, _)| *g <= 7);
    let freq = if full { 1.0 } else { 0.2 };
    let control_cycle = per_part * freq;
    let control_setup = if spec.critical {
        ts.control_fai_critical_h
    } else {
        ts.control_first_article_h
    };
    sink.trace(
        "controle.t".into(),
        "Contrôle par pièce (moyenne, fréquence comprise)",
        control_cycle,
        "min",
        "t = (base + nb_éléments × t_élément + supplément tolérance + nb_GD&T × t_GD&T) × fréquence",
        &[
            ("base", format!("{} min", ts.control_base_min)),
            ("nb_éléments", num(n_feat)),
            (
                "tolérance la plus serrée",
                it.as_ref().map(|(_, w)| w.clone()).unwrap_or_else(|| "générale".into()),
            ),
            ("supplément tolérance", format!("{tol_extra} min")),
            ("nb_GD&T", spec.gdt_count.to_string()),
            (
                "fréquence",
                if full {
                    "100 % (pièce critique, IT ≤ 7 ou GD&T)".into()
                } else {
                    "1 pièce sur 5".to_string()
                },
            ),
        ],
        TraceSource::StandardAtelier,
    );
    let use_cmm = spec.gdt_count >= 3 || spec.critical;
    let cmm = if use_cmm {
        shop.machines
            .iter()
            .filter(|m| m.kind == MachineKind::Mmt && m.available)
            .min_by(|a, b| {
                machine_rate(a)
                    .cmp(&machine_rate(b))
                    .then(a.code.cmp(&b.code))
            })
    } else {
        None
    };
    let control_desc = if spec.critical {
        "Contrôle 100 %, FAI (premier article) pièce critique".to_string()
    } else {
        "Contrôle dimensionnel".to_string()
    };
    match cmm {
        Some(m) => {
            let mut t = Timing {
                vc_ratio: 1.0,
                setup_h: control_setup,
                ..Default::default()
            };
            t.cycle_min = control_cycle;
            t.steps.push(Step {
                label_fr: "Mesure sur MMT".into(),
                minutes: control_cycle,
            });
            planned.push(Planned {
                process: ProcessKind::Controle,
                description_fr: control_desc,
                candidates: vec![],
                resource: Resource::Machine {
                    machine_id: m.id,
                    code: m.code.clone(),
                    rate: machine_rate(m),
                },
                why_fr: format!(
                    "MMT {} : {} cotes GD&T{}",
                    m.code,
                    spec.gdt_count,
                    if spec.critical {
                        ", pièce critique"
                    } else {
                        ""
                    }
                ),
                timing: t,
            });
        }
        None => planned.push(labour(
            shop,
            ProcessKind::Controle,
            control_desc,
            "controle",
            None,
            control_setup,
            control_cycle,
            &mut sink,
        )),
    }

    // ------------------------------------------------------------ packaging
    planned.push(labour(
        shop,
        ProcessKind::Emballage,
        "Emballage et préparation de l'expédition".into(),
        "emballage",
        Some("ebavurage"),
        ts.pack_per_lot_h,
        ts.pack_per_part_min,
        &mut sink,
    ));

    // ------------------------------------------------------------ numbering and time margin
    planned.sort_by_key(|p| p.process);
    let mut operations = Vec::new();
    for (i, p) in planned.iter().enumerate() {
        let number = (i as u32 + 1) * 10;
        let setup = p.timing.setup_h * time_factor;
        let cycle = p.timing.cycle_min * time_factor;
        if p.timing.setup_h > 0.0 || p.timing.cycle_min > 0.0 {
            sink.trace(
                format!("op{number}.cycle"),
                &format!(
                    "{} : temps de cycle par pièce avec marge",
                    p.process.label_fr()
                ),
                cycle,
                "min",
                "t = Σ étapes × (1 + marge temps)",
                &[
                    ("Σ étapes", num(p.timing.cycle_min)),
                    ("marge temps", format!("{} %", settings.time_margin_pct)),
                ],
                TraceSource::Parametres,
            );
            sink.trace(
                format!("op{number}.reglage"),
                &format!("{} : réglage par lot avec marge", p.process.label_fr()),
                setup,
                "h",
                "t = réglage × (1 + marge temps)",
                &[
                    ("réglage", num(p.timing.setup_h)),
                    ("marge temps", format!("{} %", settings.time_margin_pct)),
                ],
                TraceSource::Parametres,
            );
        }
        operations.push(Operation {
            number,
            process: p.process,
            description_fr: p.description_fr.clone(),
            candidates: p.candidates.clone(),
            resource: p.resource.clone(),
            why_fr: p.why_fr.clone(),
            setup_h_raw: p.timing.setup_h,
            setup_h: setup,
            cycle_min_raw: p.timing.cycle_min,
            cycle_min: cycle,
            steps: p.timing.steps.clone(),
        });
    }

    // ------------------------------------------------------------ programming
    let base = match spec.shape {
        ShapeClass::Turned => ts.prog_base_turned_h,
        ShapeClass::Prismatic => ts.prog_base_prismatic_h,
        _ => ts.prog_base_other_h,
    };
    let machined = spec
        .features
        .iter()
        .filter(|f| !matches!(f, Feature::Weld { .. } | Feature::Bends { .. }))
        .count() as f64;
    let prog_raw =
        base + machined * ts.prog_per_feature_h + if needs_5ax { ts.prog_5axis_h } else { 0.0 };
    let programming_h = prog_raw * time_factor;
    sink.trace(
        "programmation.t".into(),
        "Programmation FAO (par plan, avec marge)",
        programming_h,
        "h",
        "t = (base forme + nb_éléments × t_élément + supplément 5 axes) × (1 + marge temps)",
        &[
            ("base forme", format!("{base} h")),
            ("nb_éléments", num(machined)),
            ("t_élément", format!("{} h", ts.prog_per_feature_h)),
            (
                "5 axes",
                if needs_5ax {
                    format!("{} h", ts.prog_5axis_h)
                } else {
                    "non".into()
                },
            ),
            ("marge temps", format!("{} %", settings.time_margin_pct)),
        ],
        TraceSource::StandardAtelier,
    );
    let prog_rate = shop.activity_rate("programmation");
    if prog_rate.is_none() {
        sink.issue(
            IssueLevel::Question,
            "taux_programmation",
            "Taux horaire manquant pour l'activité « programmation » : le saisir dans la grille tarifaire",
        );
    }

    // ------------------------------------------------------------ tools to buy
    let mut tools_to_buy: Vec<ToolToBuy> = Vec::new();
    if !shop.tools.is_empty() {
        let mut needed: Vec<(ToolKind, f64)> = Vec::new();
        for p in &planned {
            for (k, d) in &p.timing.tools {
                if *d > 0.0
                    && matches!(
                        k,
                        ToolKind::Percage
                            | ToolKind::Taraudage
                            | ToolKind::Fraisage
                            | ToolKind::Alesage
                    )
                    && !needed
                        .iter()
                        .any(|(k2, d2)| k2 == k && (d2 - d).abs() < 0.01)
                {
                    needed.push((*k, *d));
                }
            }
        }
        needed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for (k, d) in needed {
            let matching: Vec<&ToolStock> = shop
                .tools
                .iter()
                .filter(|t| t.tool_kind == k && (t.diameter - d).abs() < 0.05)
                .collect();
            if matching.iter().any(|t| t.in_stock > 0) {
                continue;
            }
            let price = matching.iter().find_map(|t| t.unit_price);
            let label = format!("Outil de {} Ø{}", k.label_fr(), fmt_mm(d));
            if price.is_none() {
                sink.issue(
                    IssueLevel::Question,
                    &format!("prix_outil_{:?}_{}", k, fmt_mm(d)).to_lowercase(),
                    &format!("{label} absent du magasin : saisir son prix d'achat"),
                );
            }
            tools_to_buy.push(ToolToBuy {
                tool_kind: k,
                diameter: d,
                label_fr: label,
                unit_price: price,
            });
        }
    }
    let tools_cost: Decimal = cents(tools_to_buy.iter().filter_map(|t| t.unit_price).sum());

    // ------------------------------------------------------------ costs per quantity break
    let target = Decimal::ONE + settings.target_margin_pct / Decimal::ONE_HUNDRED;
    let hours_divisor = if settings.rates_include_target_margin {
        target
    } else {
        Decimal::ONE
    };
    let reglage_rate = shop.activity_rate("reglage");
    let queue_days = operations
        .iter()
        .filter_map(|o| match &o.resource {
            Resource::Machine { machine_id, .. } => shop
                .machines
                .iter()
                .find(|m| m.id == *machine_id)
                .map(|m| m.load_hours),
            _ => None,
        })
        .fold(0.0f64, f64::max)
        / settings.hours_per_day.max(0.1);
    let sub_lead: u32 = spec
        .treatments
        .iter()
        .filter_map(|t| {
            shop.subcontract_prices
                .iter()
                .find(|p| p.treatment == t.code)
        })
        .map(|p| p.lead_days)
        .sum();
    let mut breaks = Vec::new();
    for &q in &quantities {
        let key = format!("q{q}");
        let qd = Decimal::from(q);
        // Material.
        let (material_cost, material_sources, buy_lead) = match (&raw, &need) {
            (Some(r), Some(n)) => raw_stock::allocate(
                spec,
                shop,
                r,
                &n.section,
                &ranked,
                q,
                &mut sink,
                &format!("{key}.matiere"),
            ),
            _ => match (
                spec.net_mass_kg,
                shop.purchase_prices
                    .iter()
                    .find(|p| p.grade_id == spec.material.grade_id),
            ) {
                (Some(m), Some(p)) => {
                    let scrap = Decimal::ONE + settings.material_scrap_pct / Decimal::ONE_HUNDRED;
                    let c = cents(dec(m * 1.15 * f64::from(q)) * p.price_per_kg * scrap);
                    sink.trace_money(
                        format!("{key}.matiere.achat"),
                        "Matière achetée (masse de la pièce + 15 % de chutes de débit)",
                        c,
                        "masse × 1,15 × q × €/kg × (1 + chutes %)",
                        &[
                            ("masse", format!("{m} kg")),
                            ("€/kg", p.price_per_kg.to_string()),
                        ],
                        TraceSource::PrixAchat,
                    );
                    (c, vec![], Some(p.lead_days))
                }
                _ => (Decimal::ZERO, vec![], None),
            },
        };
        // Hours.
        let mut machine_value = Decimal::ZERO;
        let mut labour_value = Decimal::ZERO;
        let mut one_off = Decimal::ZERO;
        let mut job_hours = programming_h;
        for o in &operations {
            let hours_cycle = o.cycle_min * f64::from(q) / 60.0;
            job_hours += o.setup_h + hours_cycle;
            let (rate, setup_rate, is_machine) = match &o.resource {
                Resource::Machine { rate, .. } => {
                    (Some(*rate), Some(reglage_rate.unwrap_or(*rate)), true)
                }
                Resource::Activity { rate, .. } => (*rate, *rate, false),
                _ => (None, None, false),
            };
            let (Some(rate), Some(setup_rate)) = (rate, setup_rate) else {
                continue;
            };
            let setup_c = cents(dec(o.setup_h) * setup_rate);
            let cycle_c = cents(dec(hours_cycle) * rate);
            if is_machine {
                machine_value += setup_c + cycle_c;
            } else {
                labour_value += setup_c + cycle_c;
            }
            one_off += setup_c;
            sink.trace_money(
                format!("{key}.op{}", o.number),
                &format!(
                    "Op {} {} : réglage + {q} × cycle",
                    o.number,
                    o.process.label_fr()
                ),
                setup_c + cycle_c,
                "réglage_h × taux_réglage + q × cycle_min/60 × taux",
                &[
                    ("réglage", format!("{} h", num(o.setup_h))),
                    ("taux_réglage", setup_rate.to_string()),
                    ("cycle", format!("{} min", num(o.cycle_min))),
                    ("q", q.to_string()),
                    ("taux", rate.to_string()),
                ],
                TraceSource::GrilleTarifaire,
            );
        }
        if let Some(r) = prog_rate {
            let c = cents(dec(programming_h) * r);
            labour_value += c;
            one_off += c;
            sink.trace_money(
                format!("{key}.programmation"),
                "Programmation (amortie sur la quantité)",
                c,
                "t_prog × taux_programmation",
                &[
                    ("t_prog", format!("{} h", num(programming_h))),
                    ("taux", r.to_string()),
                ],
                TraceSource::GrilleTarifaire,
            );
        }
        // Subcontracting.
        let mut subcontract = Decimal::ZERO;
        for tr in &spec.treatments {
            if let Some(p) = shop
                .subcontract_prices
                .iter()
                .find(|p| p.treatment == tr.code)
            {
                let var = match p.basis {
                    SubcontractBasis::PerKg(k) => k * dec(net_mass) * qd,
                    SubcontractBasis::PerPiece(u) => u * qd,
                };
                let c = cents((p.lot_charge + var).max(p.min_charge));
                subcontract += c;
                sink.trace_money(
                    format!("{key}.sous_traitance.{}", tr.code),
                    &format!("Sous-traitance {} ({})", tr.label_fr, p.supplier),
                    c,
                    "max(minimum, forfait lot + q × prix unitaire)",
                    &[
                        ("q", q.to_string()),
                        (
                            "prix",
                            match p.basis {
                                SubcontractBasis::PerKg(k) => {
                                    format!("{k} €/kg × {} kg", num(net_mass))
                                }
                                SubcontractBasis::PerPiece(u) => format!("{u} €/pièce"),
                            },
                        ),
                        ("forfait lot", p.lot_charge.to_string()),
                        ("minimum", p.min_charge.to_string()),
                    ],
                    TraceSource::SousTraitance,
                );
            }
        }
        let hours_value = machine_value + labour_value;
        let hours_cost = cents(hours_value / hours_divisor);
        let other = material_cost + subcontract + tools_cost;
        let total_cost = hours_cost + other;
        let unit_cost = cents(total_cost / qd);
        sink.trace_money(
            format!("{key}.cout_revient"),
            &format!("Coût de revient pour {q} pièce(s)"),
            total_cost,
            if settings.rates_include_target_margin {
                "heures aux taux / (1 + marge cible) + matière + sous-traitance + outils"
            } else {
                "heures aux taux + matière + sous-traitance + outils"
            },
            &[
                ("heures aux taux", hours_value.to_string()),
                ("marge cible", format!("{} %", settings.target_margin_pct)),
                ("matière", material_cost.to_string()),
                ("sous-traitance", subcontract.to_string()),
                ("outils", tools_cost.to_string()),
            ],
            TraceSource::Formule,
        );
        // Lead times (working days).
        let hpd = settings.hours_per_day.max(0.1);
        let external = buy_lead.unwrap_or(0) + sub_lead;
        let std_days = (queue_days + job_hours / hpd).ceil() as u32 + external + 1;
        let exp_days = ((job_hours / (hpd * settings.express_capacity_factor.max(1.0))).ceil()
            as u32
            + external)
            .max(1);
        let eco_days = std_days.max(settings.economy_min_days);
        sink.trace(
            format!("{key}.delai"),
            "Délai standard (jours ouvrés)",
            f64::from(std_days),
            "j",
            "⌈charge max des machines / h_jour + heures du travail / h_jour⌉ + délai matière + sous-traitance + 1",
            &[
                ("charge", format!("{} j", num(queue_days))),
                ("heures du travail", format!("{} h", num(job_hours))),
                ("h_jour", num(hpd)),
                ("délais externes", format!("{external} j")),
            ],
            TraceSource::Formule,
        );
        let express_coef = if exp_days <= 2 {
            settings.express_48h_coef
        } else {
            settings.express_coef
        };
        let mk = |kind, coef, days| {
            pricing::price_scenario(
                &pricing::ScenarioInput {
                    kind,
                    hours_coef: coef,
                    quantity: q,
                    hours_cost,
                    other_cost: other,
                    total_cost,
                    lead_time_days: days,
                },
                settings,
            )
        };
        let scenarios = vec![
            mk(ScenarioKind::Economique, settings.economy_coef, eco_days),
            mk(ScenarioKind::Standard, Decimal::ONE, std_days),
            mk(ScenarioKind::Express, express_coef, exp_days),
        ];
        for s in &scenarios {
            let name = format!("{:?}", s.kind).to_lowercase();
            sink.trace_money(
                format!("{key}.prix.{name}"),
                &format!("Prix {name} pour {q} pièce(s)"),
                s.total_price,
                "max((coût heures × coef + autres coûts) × (1 + marge cible), coût × (1 + marge min)); prix unitaire arrondi au centime",
                &[
                    ("coût heures", hours_cost.to_string()),
                    ("coef", s.hours_coef.to_string()),
                    ("autres coûts", other.to_string()),
                    ("marge cible", format!("{} %", settings.target_margin_pct)),
                    ("marge min", format!("{} %", settings.min_margin_pct)),
                    ("prix unitaire", s.unit_price.to_string()),
                    ("marge obtenue", format!("{} %", s.margin_pct)),
                ],
                TraceSource::Parametres,
            );
        }
        breaks.push(QuantityBreak {
            quantity: q,
            material_cost,
            machine_cost: cents(machine_value / hours_divisor),
            labour_cost: cents(labour_value / hours_divisor),
            one_off_cost: cents(one_off / hours_divisor),
            subcontract_cost: subcontract,
            tools_cost,
            total_cost,
            unit_cost,
            job_hours,
            material_sources,
            scenarios,
        });
    }

    if group == IsoGroup::H {
        sink.issue(
            IssueLevel::Avertissement,
            "matiere_trempee",
            "Matière trempée (groupe H) : vérifier le procédé (CBN, rectification)",
        );
    }
    let complete = !sink
        .issues
        .iter()
        .any(|i| matches!(i.level, IssueLevel::Bloquant | IssueLevel::Question));
    Estimate {
        operations,
        raw_stock: raw,
        programming_h,
        tools_to_buy,
        breaks,
        issues: sink.issues,
        complete,
        trace: sink.trace,
    }
}

fn planned_from(
    process: ProcessKind,
    description_fr: String,
    choice: Choice,
    sink: &mut Sink,
) -> Planned {
    match choice.chosen {
        Some((m, timing, s)) => {
            sink.absorb(s);
            if timing.missing {
                sink.issue(
                    IssueLevel::Question,
                    &format!("temps_incomplet_{process:?}").to_lowercase(),
                    &format!(
                        "{} : temps incomplet faute de données de coupe",
                        process.label_fr()
                    ),
                );
            }
            if !m.available {
                sink.issue(
                    IssueLevel::Avertissement,
                    &format!("machine_indisponible_{}", m.code),
                    &format!(
                        "{} : {} est indisponible actuellement, délai à confirmer",
                        process.label_fr(),
                        m.code
                    ),
                );
            }
            Planned {
                process,
                description_fr,
                candidates: choice.candidates,
                resource: Resource::Machine {
                    machine_id: m.id,
                    code: m.code.clone(),
                    rate: machine_rate(&m),
                },
                why_fr: choice.why_fr,
                timing,
            }
        }
        None => {
            let msg = format!("{}{}", capitalize(&choice.why_fr), ".");
            sink.issue(
                IssueLevel::Bloquant,
                &format!("aucune_machine_{process:?}").to_lowercase(),
                &msg,
            );
            Planned {
                process,
                description_fr,
                candidates: choice.candidates,
                resource: Resource::None,
                why_fr: choice.why_fr,
                timing: Timing {
                    vc_ratio: 1.0,
                    ..Default::default()
                },
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A labour operation priced at an activity rate (with an optional fallback activity).
#[allow(clippy::too_many_arguments)]
fn labour(
    shop: &ShopContext,
    process: ProcessKind,
    description_fr: String,
    activity: &str,
    fallback: Option<&str>,
    setup_h: f64,
    cycle_min: f64,
    sink: &mut Sink,
) -> Planned {
    let direct = shop.activity_rate(activity);
    let (code, rate, why) = match (
        direct,
        fallback.and_then(|f| shop.activity_rate(f).map(|r| (f, r))),
    ) {
        (Some(r), _) => (
            activity.to_string(),
            Some(r),
            format!("taux de l'activité « {activity} »"),
        ),
        (None, Some((f, r))) => (
            f.to_string(),
            Some(r),
            format!("pas de taux « {activity} » : taux de l'activité « {f} »"),
        ),
        (None, None) => {
            sink.issue(
                IssueLevel::Question,
                &format!("taux_{activity}"),
                &format!(
                    "Taux horaire manquant pour l'activité « {activity} » : le saisir dans la grille tarifaire"
                ),
            );
            (activity.to_string(), None, "taux horaire à saisir".into())
        }
    };
    Planned {
        process,
        description_fr,
        candidates: vec![],
        resource: Resource::Activity { code, rate },
        why_fr: why,
        timing: Timing {
            setup_h,
            cycle_min,
            steps: vec![Step {
                label_fr: process.label_fr().into(),
                minutes: cycle_min,
            }],
            vc_ratio: 1.0,
            ..Default::default()
        },
    }
}
