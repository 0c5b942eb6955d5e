//! Setup and cycle times per operation, from the features, the cutting data and the formulas of
//! [`super::formulas`]. Each function fills a [`Timing`] (raw times, before the safety margin)
//! and traces every computed number under `prefix`.

use super::Sink;
use super::cutting::{self, Resolved};
use super::formulas as f;
use super::model::*;

/// Raw times of one operation on one machine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timing {
    pub setup_h: f64,
    pub cycle_min: f64,
    pub steps: Vec<Step>,
    /// Distinct tools used (kind, Ø).
    pub tools: Vec<(ToolKind, f64)>,
    /// Lowest ratio effective Vc / recommended Vc (1 = never capped).
    pub vc_ratio: f64,
    /// Largest motor power needed (kW).
    pub power_kw: f64,
    /// A time could not be computed (missing data without defaults).
    pub missing: bool,
}

impl Timing {
    fn new() -> Timing {
        Timing {
            vc_ratio: 1.0,
            ..Default::default()
        }
    }

    fn step(&mut self, label: String, minutes: f64) {
        self.cycle_min += minutes;
        self.steps.push(Step {
            label_fr: label,
            minutes,
        });
    }

    fn tool(&mut self, kind: ToolKind, d: f64) {
        if !self
            .tools
            .iter()
            .any(|(k, x)| *k == kind && (x - d).abs() < 0.01)
        {
            self.tools.push((kind, d));
        }
    }

    /// Tool changes and rapid moves for `features` features.
    fn allowances(&mut self, shop: &ShopContext, features: usize, sink: &mut Sink, prefix: &str) {
        let t = &shop.times;
        let changes = self.tools.len() as f64 * t.tool_change_s / 60.0;
        let rapids = features as f64 * t.rapid_per_feature_s / 60.0;
        if changes + rapids > 0.0 {
            sink.trace(
                format!("{prefix}.allowances"),
                "Changements d'outil et déplacements rapides",
                changes + rapids,
                "min",
                "nb_outils × t_changement + nb_éléments × t_rapide",
                &[
                    ("nb_outils", self.tools.len().to_string()),
                    ("t_changement", format!("{} s", t.tool_change_s)),
                    ("nb_éléments", features.to_string()),
                    ("t_rapide", format!("{} s", t.rapid_per_feature_s)),
                ],
                TraceSource::StandardAtelier,
            );
            self.step(
                "Changements d'outil et déplacements rapides".into(),
                changes + rapids,
            );
        }
    }
}

/// Context shared by the timing functions.
pub struct Op<'a> {
    pub spec: &'a PartSpec,
    pub shop: &'a ShopContext,
    pub machine: Option<&'a Machine>,
    pub prefix: String,
}

impl Op<'_> {
    fn nmax(&self) -> Option<f64> {
        self.machine.and_then(|m| m.max_rpm)
    }

    fn group(&self) -> IsoGroup {
        self.spec.material.iso_group
    }

    fn data(&self, kind: ToolKind, d: f64, sink: &mut Sink, t: &mut Timing) -> Option<Resolved> {
        let r = cutting::resolve(self.shop, kind, self.group(), d, sink);
        if r.is_none() {
            t.missing = true;
        }
        r
    }

    /// Spindle speed for Vc on Ø d, capped; records the Vc ratio and traces.
    fn speed(
        &self,
        key: &str,
        vc: f64,
        d: f64,
        src: TraceSource,
        sink: &mut Sink,
        t: &mut Timing,
    ) -> f64 {
        let (n, capped) = f::capped_speed(vc, d, self.nmax());
        let mut inputs = vec![("Vc", format!("{vc:.0} m/min")), ("D", format!("{d} mm"))];
        if capped {
            let vc_eff = f::cutting_speed(d, n);
            t.vc_ratio = t.vc_ratio.min(vc_eff / vc);
            inputs.push(("n_max machine", format!("{n:.0} tr/min")));
            inputs.push(("Vc effective", format!("{vc_eff:.0} m/min")));
        }
        sink.trace(
            format!("{}.{key}.n", self.prefix),
            "Vitesse de broche",
            n,
            "tr/min",
            if capped {
                "n = min(1000·Vc/(π·D), n_max)"
            } else {
                "n = 1000·Vc/(π·D)"
            },
            &inputs,
            src,
        );
        n
    }
}

/// Largest standard end-mill diameter (3…25 mm) not above `max`.
pub fn std_mill_diameter(max: f64) -> f64 {
    const STD: [f64; 9] = [3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 25.0];
    STD.iter()
        .rev()
        .copied()
        .find(|d| *d <= max + 1e-9)
        .unwrap_or(3.0)
}

/// Metric coarse (or fine "M10x1.25") and G pipe threads: `(major Ø, pitch)`.
pub fn parse_thread(designation: &str) -> Option<(f64, f64)> {
    let s = designation
        .trim()
        .to_ascii_uppercase()
        .replace(['×', '*'], "X")
        .replace(',', ".")
        .replace(' ', "");
    if let Some(rest) = s.strip_prefix('G') {
        return match rest {
            "1/8" => Some((9.728, 0.907)),
            "1/4" => Some((13.157, 1.337)),
            "3/8" => Some((16.662, 1.337)),
            "1/2" => Some((20.955, 1.814)),
            "3/4" => Some((26.441, 1.814)),
            "1" => Some((33.249, 2.309)),
            _ => None,
        };
    }
    let rest = s.strip_prefix('M')?;
    let rest = rest.split('-').next()?;
    let (d, p) = match rest.split_once('X') {
        Some((d, p)) => (d.parse::<f64>().ok()?, Some(p.parse::<f64>().ok()?)),
        None => (rest.parse::<f64>().ok()?, None),
    };
    let coarse = match d as u32 {
        _ if (d - 2.5).abs() < 1e-9 => 0.45,
        2 => 0.4,
        3 => 0.5,
        4 => 0.7,
        5 => 0.8,
        6 => 1.0,
        8 => 1.25,
        10 => 1.5,
        12 => 1.75,
        14 | 16 => 2.0,
        18..=22 => 2.5,
        24 | 27 => 3.0,
        30 | 33 => 3.5,
        36 | 39 => 4.0,
        42 | 45 => 4.5,
        48 => 5.0,
        _ => return p.map(|p| (d, p)),
    };
    Some((d, p.unwrap_or(coarse)))
}

/// Débit on the band saw: cut area / cutting rate + handling, one cut per part.
pub fn saw(op: &Op, section: Section, sink: &mut Sink) -> Timing {
    let ts = &op.shop.times;
    let mut t = Timing::new();
    t.setup_h = ts.setup_saw_h;
    let area_cm2 = section.area_mm2() / 100.0;
    let rate = ts.saw_rate_cm2_min[op.group() as usize];
    let cut = area_cm2 / rate;
    sink.trace(
        format!("{}.coupe", op.prefix),
        "Temps de coupe à la scie",
        cut,
        "min",
        "t = section / débit de coupe",
        &[
            ("section", format!("{area_cm2:.2} cm²")),
            (
                "débit de coupe",
                format!("{rate} cm²/min (groupe {})", op.group().code()),
            ),
        ],
        TraceSource::StandardAtelier,
    );
    t.step(format!("Coupe {}", section.label()), cut);
    t.step("Manutention, avance barre".into(), ts.saw_handling_min);
    t
}

/// Drilling `count` holes Ø d × depth (through the formula of NORMS §4.5).
fn drill(op: &Op, key: &str, count: u32, d: f64, depth: f64, sink: &mut Sink, t: &mut Timing) {
    let ts = &op.shop.times;
    let Some(cd) = op.data(ToolKind::Percage, d, sink, t) else {
        return;
    };
    t.tool(ToolKind::Percage, d);
    let n = op.speed(key, cd.vc, d, cd.source, sink, t);
    let lp = f::drill_point_length(d, ts.drill_point_deg);
    let vf = f::feed_rate_turning(cd.feed, n);
    let one = f::drilling_time(depth, lp, ts.approach_mm, cd.feed, n);
    let total = one * f64::from(count);
    sink.trace(
        format!("{}.{key}.t", op.prefix),
        &format!("Perçage {count} × Ø{} prof. {}", fmt_mm(d), fmt_mm(depth)),
        total,
        "min",
        "t = nb × (H + lp + la) / (f·n), lp = D/(2·tan(σ/2)), Vf = f·n",
        &[
            ("nb", count.to_string()),
            ("H", format!("{depth} mm")),
            ("lp", format!("{lp:.2} mm")),
            ("la", format!("{} mm", ts.approach_mm)),
            ("f", format!("{:.3} mm/tr", cd.feed)),
            ("n", format!("{n:.0} tr/min")),
            ("Vf", format!("{vf:.0} mm/min")),
        ],
        cd.source,
    );
    t.step(
        format!("Perçage {count} × Ø{} × {}", fmt_mm(d), fmt_mm(depth)),
        total,
    );
}

/// Tapping: tap drill (D − P) then rigid tapping in and out (NORMS §4.5).
fn tap(
    op: &Op,
    key: &str,
    count: u32,
    designation: &str,
    depth: f64,
    sink: &mut Sink,
    t: &mut Timing,
) {
    let ts = &op.shop.times;
    let Some((d, p)) = parse_thread(designation) else {
        sink.issue(
            IssueLevel::Question,
            &format!("filetage_inconnu_{designation}"),
            &format!("Filetage « {designation} » non reconnu : saisir le diamètre et le pas"),
        );
        t.missing = true;
        return;
    };
    drill(
        op,
        &format!("{key}.avant_trou"),
        count,
        d - p,
        depth + 0.5 * d,
        sink,
        t,
    );
    let Some(cd) = op.data(ToolKind::Taraudage, d, sink, t) else {
        return;
    };
    t.tool(ToolKind::Taraudage, d);
    let n = op.speed(key, cd.vc, d, cd.source, sink, t);
    let one = f::tapping_time(depth, 3.0, n, p) + ts.tap_reversal_s / 60.0;
    let total = one * f64::from(count);
    sink.trace(
        format!("{}.{key}.t", op.prefix),
        &format!("Taraudage {count} × {designation}"),
        total,
        "min",
        "t = nb × (2·(H + la)/(n·P) + inversion broche), Vf = n·P",
        &[
            ("nb", count.to_string()),
            ("H", format!("{depth} mm")),
            ("la", "3 mm".into()),
            ("P", format!("{p} mm")),
            ("n", format!("{n:.0} tr/min")),
            ("inversion", format!("{} s", ts.tap_reversal_s)),
        ],
        cd.source,
    );
    t.step(format!("Taraudage {count} × {designation}"), total);
}

/// Turning passes over one segment: roughing passes of depth ap from `from_d` down to `to_d`
/// leaving 0.5 mm radial for finishing, then one finishing pass at the feed the Ra needs.
#[allow(clippy::too_many_arguments)]
fn turn_segment(
    op: &Op,
    key: &str,
    kind: ToolKind,
    from_d: f64,
    to_d: f64,
    length: f64,
    ra: Option<f64>,
    internal: bool,
    sink: &mut Sink,
    t: &mut Timing,
) {
    let ts = &op.shop.times;
    let Some(cd) = op.data(kind, to_d, sink, t) else {
        return;
    };
    t.tool(kind, 0.0);
    let ap = cd.ap_max.unwrap_or(ts.ap_turning_mm).max(0.1);
    let radial = ((from_d - to_d) / 2.0).abs();
    let rough = (radial - 0.5).max(0.0);
    let passes = (rough / ap).ceil() as u32;
    let mut rough_t = 0.0;
    let mut first_n = 0.0;
    for i in 0..passes {
        let d_pass = if internal {
            from_d + 2.0 * ap * f64::from(i)
        } else {
            from_d - 2.0 * ap * f64::from(i)
        };
        let (n, capped) = f::capped_speed(cd.vc, d_pass.max(1.0), op.nmax());
        if capped {
            t.vc_ratio = t.vc_ratio.min(f::cutting_speed(d_pass, n) / cd.vc);
        }
        if i == 0 {
            first_n = n;
        }
        rough_t += f::turning_pass_time(length, ts.approach_mm, cd.feed, n);
    }
    if passes > 0 {
        let (kc11, mc) = cutting::kc_constants(op.group());
        let hm = cd.feed * 95f64.to_radians().sin();
        let kc = f::specific_cutting_force(kc11, hm, mc);
        let pc = f::power_turning(cd.vc, ap.min(rough), cd.feed, kc);
        let pmot = pc / 0.8;
        t.power_kw = t.power_kw.max(pmot);
        if let Some(p) = op
            .machine
            .and_then(|m| m.power_kw)
            .filter(|p| *p > 0.0 && pmot > *p)
        {
            // Not enough power: the depth of cut is reduced, the time grows in proportion.
            rough_t *= pmot / p;
        }
        sink.trace(
            format!("{}.{key}.ebauche", op.prefix),
            &format!(
                "Ébauche Ø{} → Ø{} sur {}",
                fmt_mm(from_d),
                fmt_mm(to_d),
                fmt_mm(length)
            ),
            rough_t,
            "min",
            "Σ passes (L + la)/(f·n_i), n_i = 1000·Vc/(π·D_i), D_i = D − 2·ap·i; Q = Vc·ap·f",
            &[
                ("passes", passes.to_string()),
                ("ap", format!("{ap} mm")),
                ("L", format!("{length} mm")),
                ("la", format!("{} mm", ts.approach_mm)),
                ("Vc", format!("{:.0} m/min", cd.vc)),
                ("f", format!("{:.3} mm/tr", cd.feed)),
                ("n 1re passe", format!("{first_n:.0} tr/min")),
                (
                    "Q",
                    format!("{:.1} cm³/min", f::mrr_turning(cd.vc, ap, cd.feed)),
                ),
                ("P moteur", format!("{pmot:.2} kW")),
            ],
            cd.source,
        );
        t.step(
            format!("Ébauche Ø{} ({passes} passes)", fmt_mm(to_d)),
            rough_t,
        );
    }
    // Finishing pass.
    let ra = ra.unwrap_or(3.2);
    let finish = f::finish_for_ra(ra);
    let f_fin = match finish {
        f::Finish::Normale => cd.feed,
        _ => f::feed_for_ra(ra, ts.nose_radius_mm).min(cd.feed),
    };
    let (n, _) = f::capped_speed(cd.vc, to_d.max(1.0), op.nmax());
    let fin_t = f::turning_pass_time(length, ts.approach_mm, f_fin, n);
    sink.trace(
        format!("{}.{key}.finition", op.prefix),
        &format!("Finition Ø{} Ra {}", fmt_mm(to_d), ra),
        fin_t,
        "min",
        "t = (L + la)/(f·n); f = f données si Ra ≥ 3,2 sinon √(Ra·32·rε/1000)/1,4",
        &[
            ("Ra", format!("{ra} µm")),
            ("rε", format!("{} mm", ts.nose_radius_mm)),
            ("f", format!("{f_fin:.3} mm/tr")),
            ("n", format!("{n:.0} tr/min")),
            ("L", format!("{length} mm")),
        ],
        cd.source,
    );
    t.step(format!("Finition Ø{} (Ra {ra})", fmt_mm(to_d)), fin_t);
}

/// Turning operation: facing, external diameters, bores, axial holes and threads, parting when
/// bar-fed, and the milling features when the lathe has live tools (`live`).
pub fn turning(
    op: &Op,
    stock_d: f64,
    bar_fed: bool,
    live_features: &[&Feature],
    sink: &mut Sink,
) -> Timing {
    let ts = &op.shop.times;
    let mut t = Timing::new();
    let clampings = if bar_fed { 1.0 } else { 2.0 };
    // Facing (one end when bar-fed — the other is parted off; both ends for a sawn blank).
    if let Some(cd) = op.data(ToolKind::Tournage, stock_d, sink, &mut t) {
        t.tool(ToolKind::Tournage, 0.0);
        let (one, r_lim) = f::facing_time(stock_d / 2.0, 0.0, cd.vc, cd.feed.min(0.2), op.nmax());
        let total = one * clampings;
        sink.trace(
            format!("{}.dressage", op.prefix),
            "Dressage des faces",
            total,
            "min",
            "t = π·(R² − r_lim²)/(1000·Vc·f) + r_lim/(f·n_max), par face",
            &[
                ("R", format!("{} mm", stock_d / 2.0)),
                ("r_lim", format!("{r_lim:.2} mm")),
                ("Vc", format!("{:.0} m/min", cd.vc)),
                ("f", format!("{:.2} mm/tr", cd.feed.min(0.2))),
                ("faces", format!("{clampings}")),
            ],
            cd.source,
        );
        t.step("Dressage des faces".into(), total);
    }
    let mut n_features = 0usize;
    for (i, feat) in op.spec.features.iter().enumerate() {
        let key = format!("f{}", i + 1);
        match feat {
            Feature::ExternalTurning {
                diameter,
                length,
                ra,
                ..
            } => {
                n_features += 1;
                turn_segment(
                    op,
                    &key,
                    ToolKind::Tournage,
                    stock_d,
                    *diameter,
                    *length,
                    *ra,
                    false,
                    sink,
                    &mut t,
                );
            }
            Feature::Bore {
                diameter,
                depth,
                ra,
                ..
            } => {
                n_features += 1;
                let pilot = if *diameter <= 13.0 {
                    (diameter - 0.3).max(1.0)
                } else {
                    (diameter - 2.0).min(30.0)
                };
                drill(op, &format!("{key}.pilote"), 1, pilot, *depth, sink, &mut t);
                turn_segment(
                    op,
                    &key,
                    ToolKind::Alesage,
                    pilot,
                    *diameter,
                    *depth,
                    *ra,
                    true,
                    sink,
                    &mut t,
                );
            }
            Feature::Holes {
                count,
                diameter,
                depth,
            } => {
                n_features += *count as usize;
                drill(op, &key, *count, *diameter, *depth, sink, &mut t);
            }
            Feature::Threads {
                count,
                designation,
                depth,
                external,
            } => {
                n_features += *count as usize;
                if *external {
                    thread_external(op, &key, *count, designation, *depth, sink, &mut t);
                } else {
                    tap(op, &key, *count, designation, *depth, sink, &mut t);
                }
            }
            Feature::Surface { area_mm2, ra } if *ra > 0.4 => {
                // Extra finishing over a turned surface: surface rate = 1000·Vc·f (mm²/min).
                if let Some(cd) = op.data(ToolKind::Tournage, stock_d, sink, &mut t) {
                    let f_fin = f::feed_for_ra(*ra, ts.nose_radius_mm).min(cd.feed);
                    let tt = area_mm2 / (1000.0 * cd.vc * f_fin);
                    sink.trace(
                        format!("{}.{key}.t", op.prefix),
                        "Finition de surface",
                        tt,
                        "min",
                        "t = A / (1000·Vc·f)",
                        &[
                            ("A", format!("{area_mm2} mm²")),
                            ("Vc", format!("{:.0} m/min", cd.vc)),
                            ("f", format!("{f_fin:.3} mm/tr")),
                        ],
                        cd.source,
                    );
                    t.step(format!("Finition de surface Ra {ra}"), tt);
                }
            }
            _ => {}
        }
    }
    if !live_features.is_empty() {
        let m = milling_features(op, live_features, sink, &mut t);
        n_features += m;
    }
    if bar_fed && let Some(cd) = op.data(ToolKind::Tronconnage, stock_d, sink, &mut t) {
        t.tool(ToolKind::Tronconnage, 0.0);
        let (tt, _) = f::facing_time(stock_d / 2.0, 0.0, cd.vc, cd.feed, op.nmax());
        sink.trace(
            format!("{}.tronconnage", op.prefix),
            "Tronçonnage",
            tt,
            "min",
            "t = π·(R² − r_lim²)/(1000·Vc·f) + r_lim/(f·n_max)",
            &[
                ("R", format!("{} mm", stock_d / 2.0)),
                ("Vc", format!("{:.0} m/min", cd.vc)),
                ("f", format!("{:.2} mm/tr", cd.feed)),
            ],
            cd.source,
        );
        t.step("Tronçonnage".into(), tt);
    }
    let load = if bar_fed {
        ts.load_bar_min
    } else {
        ts.load_chuck_min * clampings
    };
    t.step(
        if bar_fed {
            "Avance barre".into()
        } else {
            "Chargement / retournement en mandrin".into()
        },
        load,
    );
    t.allowances(op.shop, n_features, sink, &op.prefix);
    t.setup_h = ts.setup_lathe_h * clampings + ts.setup_per_tool_h * t.tools.len() as f64;
    trace_setup(
        op,
        &t,
        sink,
        &format!("réglage_tour × {clampings} montage(s) + réglage_par_outil × nb_outils"),
    );
    t
}

fn trace_setup(op: &Op, t: &Timing, sink: &mut Sink, formula: &str) {
    sink.trace(
        format!("{}.reglage", op.prefix),
        "Réglage (par lot, sans marge)",
        t.setup_h,
        "h",
        formula,
        &[("nb_outils", t.tools.len().to_string())],
        TraceSource::StandardAtelier,
    );
}

/// Single-point external threading: passes = max(6, ⌈0.613·P / 0.1⌉), t = passes·(L + la)/(P·n).
fn thread_external(
    op: &Op,
    key: &str,
    count: u32,
    designation: &str,
    length: f64,
    sink: &mut Sink,
    t: &mut Timing,
) {
    let ts = &op.shop.times;
    let Some((d, p)) = parse_thread(designation) else {
        sink.issue(
            IssueLevel::Question,
            &format!("filetage_inconnu_{designation}"),
            &format!("Filetage « {designation} » non reconnu : saisir le diamètre et le pas"),
        );
        t.missing = true;
        return;
    };
    let Some(cd) = op.data(ToolKind::Tournage, d, sink, t) else {
        return;
    };
    t.tool(ToolKind::Tournage, -1.0);
    let vc = cd.vc * 0.5;
    let (n, _) = f::capped_speed(vc, d, op.nmax());
    let passes = ((0.613 * p / 0.1).ceil()).max(6.0);
    let tt = passes * f::turning_pass_time(length, ts.approach_mm * 2.0, p, n) * f64::from(count);
    sink.trace(
        format!("{}.{key}.t", op.prefix),
        &format!("Filetage extérieur {designation}"),
        tt,
        "min",
        "t = passes·(L + 2·la)/(P·n), passes = max(6, ⌈0,613·P/0,1⌉), Vc = 0,5·Vc tournage",
        &[
            ("P", format!("{p} mm")),
            ("passes", format!("{passes}")),
            ("n", format!("{n:.0} tr/min")),
            ("L", format!("{length} mm")),
        ],
        cd.source,
    );
    t.step(format!("Filetage {designation}"), tt);
}

/// Milling-type features (faces, pockets, slots, free-form, surfaces, and the hole-making
/// features when `op` is a milling op). Returns the number of features timed.
fn milling_features(op: &Op, features: &[&Feature], sink: &mut Sink, t: &mut Timing) -> usize {
    let ts = &op.shop.times;
    let g = op.group();
    let z: u32 = if g == IsoGroup::N { 3 } else { 4 };
    let mut count = 0usize;
    for (i, feat) in features.iter().enumerate() {
        let key = format!("m{}", i + 1);
        match feat {
            Feature::Face {
                length,
                width,
                stock,
                ra,
            } => {
                count += 1;
                let d = 50.0;
                let Some(cd) = op.data(ToolKind::Surfacage, d, sink, t) else {
                    continue;
                };
                t.tool(ToolKind::Surfacage, d);
                let n = op.speed(&key, cd.vc, d, cd.source, sink, t);
                let vf = f::feed_rate_milling(cd.feed, 4, n);
                let ap = cd.ap_max.unwrap_or(2.0);
                let passes = (stock / ap).ceil().max(1.0);
                let rows = (width / (0.75 * d)).ceil().max(1.0);
                let mut tt =
                    passes * rows * f::milling_time(*length, d / 2.0, d / 2.0 + ts.approach_mm, vf);
                if ra.is_some_and(|r| r < 3.2) {
                    tt += rows
                        * f::milling_time(*length, d / 2.0, d / 2.0 + ts.approach_mm, vf * 0.5);
                }
                sink.trace(
                    format!("{}.{key}.t", op.prefix),
                    &format!("Surfaçage {}×{}", fmt_mm(*length), fmt_mm(*width)),
                    tt,
                    "min",
                    "t = passes·rangées·(L + D/2 + D/2 + la)/Vf, Vf = fz·z·n; + finition à Vf/2 si Ra < 3,2",
                    &[
                        ("D", format!("{d} mm, z 4")),
                        ("fz", format!("{:.3} mm", cd.feed)),
                        ("Vf", format!("{vf:.0} mm/min")),
                        ("passes", format!("{passes}")),
                        ("rangées", format!("{rows}")),
                    ],
                    cd.source,
                );
                t.step(
                    format!("Surfaçage {}×{}", fmt_mm(*length), fmt_mm(*width)),
                    tt,
                );
            }
            Feature::Pocket {
                length,
                width,
                depth,
                ra,
            } => {
                count += 1;
                let d = std_mill_diameter((length.min(*width) / 2.0).clamp(3.0, 20.0));
                let Some(cd) = op.data(ToolKind::Fraisage, d, sink, t) else {
                    continue;
                };
                t.tool(ToolKind::Fraisage, d);
                let n = op.speed(&key, cd.vc, d, cd.source, sink, t);
                let vf = f::feed_rate_milling(cd.feed, z, n);
                let ap = depth.min(cd.ap_max.unwrap_or(d));
                let ae = cd.ae_max.unwrap_or(0.4 * d);
                let q = f::mrr_milling(ap, ae, vf);
                let vol_cm3 = length * width * depth / 1000.0;
                let rough = if q > 0.0 { vol_cm3 / q } else { 0.0 };
                let levels = (depth / (2.0 * d)).ceil().max(1.0);
                let fin_factor = match f::finish_for_ra(ra.unwrap_or(3.2)) {
                    f::Finish::Normale => 1.0,
                    f::Finish::Reduite => 0.7,
                    _ => 0.5,
                };
                let walls = levels * 2.0 * (length + width) / (vf * 0.8 * fin_factor);
                let floor = if ra.is_some_and(|r| r < 3.2) {
                    length * width / (0.7 * d) / (vf * fin_factor)
                } else {
                    0.0
                };
                let tt = rough + walls + floor;
                sink.trace(
                    format!("{}.{key}.t", op.prefix),
                    &format!("Poche {}×{}×{}", fmt_mm(*length), fmt_mm(*width), fmt_mm(*depth)),
                    tt,
                    "min",
                    "ébauche V/Q, Q = ap·ae·Vf/1000, Vf = fz·z·n; finition parois niveaux·périmètre/(0,8·Vf·k_Ra); fond L·W/(0,7·D)/(Vf·k_Ra) si Ra < 3,2",
                    &[
                        ("D", format!("{d} mm, z {z}")),
                        ("fz", format!("{:.4} mm", cd.feed)),
                        ("Vf", format!("{vf:.0} mm/min")),
                        ("ap", format!("{ap} mm")),
                        ("ae", format!("{ae:.1} mm")),
                        ("Q", format!("{q:.1} cm³/min")),
                        ("V", format!("{vol_cm3:.1} cm³")),
                    ],
                    cd.source,
                );
                t.step(
                    format!(
                        "Poche {}×{}×{}",
                        fmt_mm(*length),
                        fmt_mm(*width),
                        fmt_mm(*depth)
                    ),
                    tt,
                );
            }
            Feature::Slot {
                length,
                width,
                depth,
            } => {
                count += 1;
                let d = std_mill_diameter(*width);
                let Some(cd) = op.data(ToolKind::Fraisage, d, sink, t) else {
                    continue;
                };
                t.tool(ToolKind::Fraisage, d);
                let n = op.speed(&key, cd.vc, d, cd.source, sink, t);
                let vf = f::feed_rate_milling(cd.feed, z, n) * 0.7;
                let passes = (depth / (0.5 * d)).ceil().max(1.0);
                let rows = if *width > d + 0.01 {
                    ((width - d) / (0.4 * d)).ceil() + 1.0
                } else {
                    1.0
                };
                let tt = passes * rows * f::milling_time(*length, d / 2.0, ts.approach_mm, vf);
                sink.trace(
                    format!("{}.{key}.t", op.prefix),
                    &format!("Rainure {}×{}×{}", fmt_mm(*length), fmt_mm(*width), fmt_mm(*depth)),
                    tt,
                    "min",
                    "t = passes·rangées·(L + D/2 + la)/Vf, Vf = 0,7·fz·z·n (pleine matière), passes = ⌈prof/(0,5·D)⌉",
                    &[
                        ("D", format!("{d} mm")),
                        ("Vf", format!("{vf:.0} mm/min")),
                        ("passes", format!("{passes}")),
                        ("rangées", format!("{rows}")),
                    ],
                    cd.source,
                );
                t.step(
                    format!("Rainure {}×{}", fmt_mm(*length), fmt_mm(*width)),
                    tt,
                );
            }
            Feature::Freeform5Axis { area_mm2, depth } => {
                count += 1;
                // Roughing with a Ø10 end mill by removal rate, finishing with a Ø6 ball nose at a
                // step-over giving a 5 µm scallop: h = ae²/(8·R) → ae = √(8·R·h).
                let d = 10.0;
                let Some(cd) = op.data(ToolKind::Fraisage, d, sink, t) else {
                    continue;
                };
                t.tool(ToolKind::Fraisage, d);
                t.tool(ToolKind::Fraisage, 6.1);
                let n = op.speed(&key, cd.vc, d, cd.source, sink, t);
                let vf = f::feed_rate_milling(cd.feed, z, n);
                let q = f::mrr_milling(depth.min(d), 0.4 * d, vf);
                let rough = if q > 0.0 {
                    area_mm2 * depth / 1000.0 / q
                } else {
                    0.0
                };
                let (n6, _) = f::capped_speed(cd.vc, 6.0, op.nmax());
                let vf6 = f::feed_rate_milling(cd.feed * 0.6, 2, n6);
                let ae = (8.0 * 3.0 * 0.005f64).sqrt();
                let fin = area_mm2 / ae / vf6.max(1.0);
                let tt = rough + fin;
                sink.trace(
                    format!("{}.{key}.t", op.prefix),
                    "Surface gauche 5 axes",
                    tt,
                    "min",
                    "ébauche A·prof/Q; finition A/ae/Vf, ae = √(8·R·h), h = 0,005 mm, fraise boule Ø6",
                    &[
                        ("A", format!("{area_mm2} mm²")),
                        ("Q", format!("{q:.1} cm³/min")),
                        ("ae", format!("{ae:.3} mm")),
                        ("Vf finition", format!("{vf6:.0} mm/min")),
                    ],
                    cd.source,
                );
                t.step("Surface gauche 5 axes".into(), tt);
            }
            Feature::Surface { area_mm2, ra } if *ra > 0.4 => {
                count += 1;
                let d = 10.0;
                let Some(cd) = op.data(ToolKind::Fraisage, d, sink, t) else {
                    continue;
                };
                t.tool(ToolKind::Fraisage, d);
                let n = op.speed(&key, cd.vc, d, cd.source, sink, t);
                let k = if *ra >= 3.2 {
                    1.0
                } else if *ra > 0.8 {
                    0.7
                } else {
                    0.5
                };
                let vf = f::feed_rate_milling(cd.feed, z, n) * k;
                let tt = area_mm2 / (0.7 * d) / vf.max(1.0);
                sink.trace(
                    format!("{}.{key}.t", op.prefix),
                    &format!("Finition de surface Ra {ra}"),
                    tt,
                    "min",
                    "t = A/(0,7·D)/(k_Ra·Vf)",
                    &[
                        ("A", format!("{area_mm2} mm²")),
                        ("Vf", format!("{vf:.0} mm/min")),
                    ],
                    cd.source,
                );
                t.step(format!("Finition de surface Ra {ra}"), tt);
            }
            Feature::Holes {
                count: c,
                diameter,
                depth,
            } => {
                count += *c as usize;
                drill(op, &key, *c, *diameter, *depth, sink, t);
            }
            Feature::Threads {
                count: c,
                designation,
                depth,
                ..
            } => {
                count += *c as usize;
                tap(op, &key, *c, designation, *depth, sink, t);
            }
            Feature::Bore {
                diameter,
                depth,
                tolerance,
                ra,
            } => {
                count += 1;
                let precise = ra.is_some_and(|r| r < 3.2)
                    || matches!(tolerance, Some(Tolerance::It { grade }) if *grade <= 8)
                    || matches!(tolerance, Some(Tolerance::PlusMinus { value }) if *value <= 0.02);
                if *diameter <= 20.0 {
                    let pilot = if precise { diameter - 0.2 } else { *diameter };
                    drill(op, &format!("{key}.pilote"), 1, pilot, *depth, sink, t);
                    if precise {
                        // Reaming: drill data at 60 % Vc and twice the feed.
                        if let Some(cd) = op.data(ToolKind::Percage, *diameter, sink, t) {
                            t.tool(ToolKind::Alesage, *diameter);
                            let (n, _) = f::capped_speed(cd.vc * 0.6, *diameter, op.nmax());
                            let tt = 2.0
                                * f::drilling_time(*depth, 0.0, ts.approach_mm, cd.feed * 2.0, n);
                            sink.trace(
                                format!("{}.{key}.alesoir", op.prefix),
                                &format!("Alésage à l'alésoir Ø{}", fmt_mm(*diameter)),
                                tt,
                                "min",
                                "t = 2·(H + la)/(f·n), Vc = 0,6·Vc perçage, f = 2·f perçage (aller-retour)",
                                &[("n", format!("{n:.0} tr/min")), ("H", format!("{depth} mm"))],
                                cd.source,
                            );
                            t.step(format!("Alésoir Ø{}", fmt_mm(*diameter)), tt);
                        }
                    }
                } else {
                    let pilot = 16.0f64.min(diameter - 2.0);
                    drill(op, &format!("{key}.pilote"), 1, pilot, *depth, sink, t);
                    if let Some(cd) = op.data(ToolKind::Fraisage, 10.0, sink, t) {
                        t.tool(ToolKind::Fraisage, 10.0);
                        let (n, _) = f::capped_speed(cd.vc, 10.0, op.nmax());
                        let vf = f::feed_rate_milling(cd.feed, z, n);
                        let q = f::mrr_milling(depth.min(10.0), 3.0, vf);
                        let v = std::f64::consts::PI / 4.0
                            * (diameter * diameter - pilot * pilot)
                            * depth
                            / 1000.0;
                        let tt = if q > 0.0 { v / q } else { 0.0 };
                        sink.trace(
                            format!("{}.{key}.interpolation", op.prefix),
                            &format!("Interpolation Ø{}", fmt_mm(*diameter)),
                            tt,
                            "min",
                            "t = V/Q, V = π/4·(D² − d²)·H, Q = ap·ae·Vf/1000",
                            &[
                                ("V", format!("{v:.1} cm³")),
                                ("Q", format!("{q:.1} cm³/min")),
                            ],
                            cd.source,
                        );
                        t.step(format!("Interpolation Ø{}", fmt_mm(*diameter)), tt);
                    }
                    if precise && let Some(cd) = op.data(ToolKind::Alesage, *diameter, sink, t) {
                        t.tool(ToolKind::Alesage, *diameter);
                        let (n, _) = f::capped_speed(cd.vc, *diameter, op.nmax());
                        let tt = f::turning_pass_time(*depth, ts.approach_mm, cd.feed, n);
                        sink.trace(
                            format!("{}.{key}.finition", op.prefix),
                            &format!("Alésage de finition Ø{}", fmt_mm(*diameter)),
                            tt,
                            "min",
                            "t = (H + la)/(f·n)",
                            &[("n", format!("{n:.0} tr/min"))],
                            cd.source,
                        );
                        t.step(format!("Alésage finition Ø{}", fmt_mm(*diameter)), tt);
                    }
                }
            }
            _ => {}
        }
    }
    count
}

/// Milling operation (or hole-making op when `features` holds only holes) with `clampings`
/// clampings; `own_setup` false when done in the clamping of the previous milling op.
pub fn milling(
    op: &Op,
    features: &[&Feature],
    clampings: u32,
    own_setup: bool,
    sink: &mut Sink,
) -> Timing {
    let ts = &op.shop.times;
    let mut t = Timing::new();
    let n = milling_features(op, features, sink, &mut t);
    let five = op
        .machine
        .is_some_and(|m| m.kind == MachineKind::Fraiseuse5Axes);
    let per_clamp = if five {
        ts.setup_mill5_h
    } else {
        ts.setup_mill3_h
    };
    if own_setup {
        t.step(
            format!("Bridage / débridage ({clampings} montage(s))"),
            ts.load_mill_min * f64::from(clampings),
        );
    }
    t.allowances(op.shop, n, sink, &op.prefix);
    t.setup_h = if own_setup {
        per_clamp * f64::from(clampings)
    } else {
        0.0
    } + ts.setup_per_tool_h * t.tools.len() as f64;
    trace_setup(
        op,
        &t,
        sink,
        if own_setup {
            "réglage_fraiseuse × nb_montages + réglage_par_outil × nb_outils"
        } else {
            "même montage que le fraisage : réglage_par_outil × nb_outils"
        },
    );
    t
}

/// TIG welding: t = L / (v_soudage · taux d'arc).
pub fn welding(op: &Op, length: f64, sink: &mut Sink) -> Timing {
    let ts = &op.shop.times;
    let mut t = Timing::new();
    let tt = length / (ts.weld_speed_mm_min * ts.weld_arc_ratio);
    sink.trace(
        format!("{}.t", op.prefix),
        "Soudure TIG",
        tt,
        "min",
        "t = L / (v_soudage × taux_arc)",
        &[
            ("L", format!("{length} mm")),
            ("v_soudage", format!("{} mm/min", ts.weld_speed_mm_min)),
            ("taux_arc", format!("{}", ts.weld_arc_ratio)),
        ],
        TraceSource::StandardAtelier,
    );
    t.step(
        format!("Soudure {} mm (pointage compris)", fmt_mm(length)),
        tt,
    );
    t.setup_h = ts.setup_weld_h;
    t
}

/// Press brake: minutes per bend.
pub fn bending(op: &Op, bends: u32, sink: &mut Sink) -> Timing {
    let ts = &op.shop.times;
    let mut t = Timing::new();
    let tt = f64::from(bends) * ts.bend_min;
    sink.trace(
        format!("{}.t", op.prefix),
        "Pliage",
        tt,
        "min",
        "t = nb_plis × t_pli",
        &[
            ("nb_plis", bends.to_string()),
            ("t_pli", format!("{} min", ts.bend_min)),
        ],
        TraceSource::StandardAtelier,
    );
    t.step(format!("{bends} pli(s)"), tt);
    t.setup_h = ts.setup_bend_h + 0.05 * f64::from(bends);
    t
}

/// Grinding of the surfaces with Ra ≤ 0.4: 1 min per 2 000 mm² + 2 min handling.
pub fn grinding(op: &Op, area_mm2: f64, sink: &mut Sink) -> Timing {
    let ts = &op.shop.times;
    let mut t = Timing::new();
    let tt = area_mm2 / 2000.0 + 2.0;
    sink.trace(
        format!("{}.t", op.prefix),
        "Rectification",
        tt,
        "min",
        "t = A / 2000 mm²/min + 2 min de manutention",
        &[("A", format!("{area_mm2:.0} mm²"))],
        TraceSource::StandardAtelier,
    );
    t.step("Rectification Ra ≤ 0,4".into(), tt);
    t.setup_h = ts.setup_grind_h;
    t
}
