//! Cutting conditions engine for the method sheet (fiche méthode), issue 6.
//!
//! [`compute`] turns one tool of one operation (kind, Ø, teeth, pitch…), the ISO material group,
//! the cutting-data rows the shop has for it (each with its source) and the machine limits into
//! the [`CuttingConditions`] printed on the sheet: Vc, f / fz / pitch, ap, ae, n, Vf, Q, kc, the
//! power needed and available, the source used, what was adjusted and why, and warnings.
//!
//! Formulas: NORMS.md §4.1 (through [`crate::estimate::formulas`]); material constants and
//! starting values: NORMS.md §4.2 (through [`crate::estimate::cutting`]). Adjustments: feed ∝ Ø
//! for drills and end mills, ap/ae caps relative to Ø, radial chip thinning, machine speed cap and
//! power check. Pure and deterministic; never panics: NaN, infinite, zero or negative inputs give
//! an `entree_invalide` warning and the values that depend on them stay `None` ("à renseigner").
//! See `docs/cutting-engine.md`.

pub mod model;
pub mod rules;

#[cfg(test)]
mod tests;

pub use model::*;

use crate::estimate::cutting::{kc_constants, norm_default};
use crate::estimate::formulas as f;
use crate::estimate::{IsoGroup, ToolKind};
use rules::{fr, valid};

/// The candidate the priority rule keeps: the first row (in `candidates` order) whose source
/// comes first in `priority`, among the rows that are usable for `kind` / `group`.
///
/// A row is usable when its `tool_kind` / `iso_group` (when given) match, it has a valid Vc and
/// — except for taps, whose feed is the pitch — a valid feed. Rows whose source is not in
/// `priority` are never taken.
pub fn pick_source<'a>(
    candidates: &'a [CuttingDataCandidate],
    priority: &[DataSource],
    kind: ToolKind,
    group: IsoGroup,
) -> Option<&'a CuttingDataCandidate> {
    pick_index(candidates, priority, kind, group).map(|i| &candidates[i])
}

fn pick_index(
    candidates: &[CuttingDataCandidate],
    priority: &[DataSource],
    kind: ToolKind,
    group: IsoGroup,
) -> Option<usize> {
    priority.iter().find_map(|src| {
        candidates
            .iter()
            .position(|c| c.source == *src && applies(c, kind, group) && usable(c, kind))
    })
}

fn applies(c: &CuttingDataCandidate, kind: ToolKind, group: IsoGroup) -> bool {
    c.tool_kind.is_none_or(|k| k == kind) && c.iso_group.is_none_or(|g| g == group)
}

fn usable(c: &CuttingDataCandidate, kind: ToolKind) -> bool {
    let vc = rules::range_point(c.vc_min, c.vc_max, 0.5).is_some();
    let feed =
        kind == ToolKind::Taraudage || rules::range_point(c.feed_min, c.feed_max, 0.5).is_some();
    vc && feed
}

/// NORMS §4.2 starting values as a candidate row.
fn norm_candidate(kind: ToolKind, group: IsoGroup) -> CuttingDataCandidate {
    let (vc, k, per_d) = norm_default(kind, group);
    let feed = (k > 0.0).then_some(k);
    CuttingDataCandidate {
        source: DataSource::DefautNorme,
        label: Some("NORMS §4.2".into()),
        tool_kind: Some(kind),
        iso_group: Some(group),
        vc_min: Some(vc),
        vc_max: Some(vc),
        feed_min: feed,
        feed_max: feed,
        feed_per_diameter: per_d,
        reference_diameter_mm: None,
        ap_max: None,
        ae_max: None,
    }
}

fn row_name(c: &CuttingDataCandidate) -> String {
    match &c.label {
        Some(l) if !l.trim().is_empty() && c.source != DataSource::DefautNorme => {
            format!("{} « {} »", c.source.label_fr(), l.trim())
        }
        _ => c.source.label_fr().to_string(),
    }
}

/// Messages collected while computing.
#[derive(Default)]
struct Notes {
    adjustments: Vec<String>,
    warnings: Vec<CuttingWarning>,
    to_fill: Vec<String>,
}

impl Notes {
    fn adjust(&mut self, s: String) {
        self.adjustments.push(s);
    }

    fn warn(&mut self, code: &str, message_fr: String) {
        self.warnings.push(CuttingWarning {
            code: code.to_string(),
            message_fr,
        });
    }

    /// A value the engine cannot compute without a person.
    fn missing(&mut self, item: &str, why: &str) {
        if !self.to_fill.iter().any(|t| t == item) {
            self.to_fill.push(item.to_string());
            self.warn(
                codes::DONNEES_MANQUANTES,
                format!("{item} à renseigner : {why}"),
            );
        }
    }

    /// A positive finite input; anything else given is reported and treated as absent.
    fn positive(&mut self, x: Option<f64>, name: &str) -> Option<f64> {
        match x {
            None => None,
            Some(v) if v.is_finite() && v > 0.0 => Some(v),
            Some(v) => {
                self.warn(
                    codes::ENTREE_INVALIDE,
                    format!("{name} invalide ({v}) : ignoré"),
                );
                None
            }
        }
    }

    /// An angle in ]0°, 180°], else the default (reported when a bad value was given).
    fn angle(&mut self, x: Option<f64>, name: &str, default: f64) -> f64 {
        match self.positive(x, name) {
            Some(a) if a <= 180.0 => a,
            Some(a) => {
                self.warn(
                    codes::ENTREE_INVALIDE,
                    format!("{name} invalide ({a}°) : {}° retenu", fr(default, 1)),
                );
                default
            }
            None => default,
        }
    }
}

/// Computes the cutting conditions of one tool. Never panics; see the module documentation.
pub fn compute(req: &CuttingRequest) -> CuttingConditions {
    let mut nt = Notes::default();
    let kind = req.tool.kind;
    let g = req.iso_group;
    let feed_kind = FeedKind::for_tool(kind);
    let turning = rules::is_turning(kind);
    let milling = rules::is_milling(kind);

    // 1. Inputs.
    let tool_d = nt.positive(req.tool.diameter_mm, "Diamètre outil");
    let work_d = nt.positive(req.work_diameter_mm, "Diamètre pièce");
    let speed_d = if turning { work_d } else { tool_d };
    if speed_d.is_none() {
        if turning {
            nt.missing(
                "Ø pièce",
                "Vc s'applique au diamètre de la pièce, n ne peut pas être calculée",
            );
        } else {
            nt.missing("Ø outil", "n ne peut pas être calculée");
        }
    }
    let teeth = if milling {
        match req.tool.teeth {
            Some(z) if z > 0 => Some(z),
            other => {
                if other == Some(0) {
                    nt.warn(
                        codes::ENTREE_INVALIDE,
                        "Nombre de dents invalide (0) : ignoré".into(),
                    );
                }
                nt.missing(
                    "z (nombre de dents)",
                    "Vf = fz·z·n ne peut pas être calculée",
                );
                None
            }
        }
    } else {
        None
    };

    // 2. Cutting data by the priority rule.
    let cand = choose(req, &mut nt);
    let (vc_pos, feed_pos) = rules::range_positions(req.intent);
    let vc_data = cand
        .as_ref()
        .and_then(|c| rules::range_point(c.vc_min, c.vc_max, vc_pos));
    if let (Some(c), Some(vc)) = (&cand, vc_data)
        && let (Some(a), Some(b)) = (valid(c.vc_min), valid(c.vc_max))
        && (a - b).abs() > 1e-9
    {
        nt.adjust(format!(
            "Vc = {} m/min : point {} % de la plage {}–{} m/min ({})",
            fr(vc, 0),
            fr(vc_pos * 100.0, 0),
            fr(a.min(b), 0),
            fr(a.max(b), 0),
            req.intent.label_fr()
        ));
    }

    // 3. Feed: data point, Ø rule, Ra (turning finish).
    let (feed_data, mut feed) = if kind == ToolKind::Taraudage {
        let p = nt.positive(req.tool.thread_pitch_mm, "Pas du taraud");
        if p.is_none() {
            nt.missing("pas", "le pas du taraud donne l'avance (Vf = n·P)");
        }
        (p, p)
    } else {
        let fd = cand
            .as_ref()
            .and_then(|c| diameter_feed(c, kind, feed_pos, tool_d, &mut nt));
        (fd, fd)
    };
    if req.intent == Intent::Finition
        && matches!(kind, ToolKind::Tournage | ToolKind::Alesage)
        && let Some(ra) = nt.positive(req.target_ra_um, "Ra visé")
    {
        feed = feed.map(|fv| ra_feed(fv, ra, &req.tool, &mut nt));
    }

    // 4. Engagement (ap, ae) with the Ø caps.
    let (ap, ae) = engagement(req, tool_d, cand.as_ref(), &mut nt);
    if milling && (ap.is_none() || ae.is_none()) && tool_d.is_some() {
        // Only reachable with a valid Ø when a requested value was refused and no default applies.
        if ap.is_none() {
            nt.missing("ap", "Q et la puissance ne peuvent pas être calculées");
        }
        if ae.is_none() {
            nt.missing("ae", "Q et la puissance ne peuvent pas être calculées");
        }
    }

    // 5. Radial chip thinning (milling, ae < D/2).
    let mut thinning = None;
    if milling {
        thinning = Some(1.0);
        if req.settings.chip_thinning
            && let (Some(fz), Some(a), Some(d)) = (feed, ae, tool_d)
            && a < d / 2.0
        {
            let raw = rules::thinning_factor(a, d);
            let cap = valid(Some(req.settings.max_thinning_factor))
                .map(|x| x.max(1.0))
                .unwrap_or(2.0);
            let k = raw.min(cap);
            let capped = if raw > cap {
                format!(" ; facteur {} plafonné à {}", fr(raw, 2), fr(cap, 2))
            } else {
                String::new()
            };
            nt.adjust(format!(
                "Amincissement radial des copeaux : ae = {} mm < D/2 = {} mm, hex = fz·√(1 − (1 − 2·ae/D)²) = {}·fz ; fz corrigé ×{} : {} → {} mm/dent pour garder l'épaisseur visée{capped}",
                fr(a, 2),
                fr(d / 2.0, 2),
                fr(1.0 / raw, 3),
                fr(k, 3),
                fr(fz, 4),
                fr(fz * k, 4)
            ));
            feed = Some(fz * k);
            thinning = Some(k);
        }
    }

    // 6. Spindle speed, capped at the machine maximum (Vc recomputed).
    let machine = req.machine.as_ref();
    let n_max = machine.and_then(|m| nt.positive(m.max_rpm, "Vitesse maxi machine"));
    let (n, vc) = match (vc_data, speed_d) {
        (Some(vcd), Some(d)) => {
            let (n, capped) = f::capped_speed(vcd, d, n_max);
            if capped {
                let vc = f::cutting_speed(d, n);
                nt.warn(
                    codes::N_MAX_DEPASSE,
                    format!(
                        "n calculée {} tr/min > n maxi machine {} tr/min : n limitée à {} tr/min, Vc réduite de {} à {} m/min (Vc = π·D·n/1000, D = {} mm) ; Vf réduite d'autant",
                        fr(f::spindle_speed(vcd, d), 0),
                        fr(n, 0),
                        fr(n, 0),
                        fr(vcd, 0),
                        fr(vc, 1),
                        fr(d, 2)
                    ),
                );
                (Some(n), Some(vc))
            } else {
                (Some(n), Some(vcd))
            }
        }
        _ => (None, vc_data),
    };

    // 7. Feed rate and removal rate.
    let vf = match (feed, n) {
        (Some(fv), Some(n)) if milling => teeth.map(|z| f::feed_rate_milling(fv, z, n)),
        (Some(fv), Some(n)) => Some(f::feed_rate_turning(fv, n)),
        _ => None,
    };
    let q = match kind {
        ToolKind::Taraudage => None,
        ToolKind::Percage => match (vc, feed, tool_d) {
            (Some(v), Some(fv), Some(d)) => Some(f::mrr_drilling(v, fv, d)),
            _ => None,
        },
        _ if milling => match (ap, ae, vf) {
            (Some(p), Some(e), Some(v)) => Some(f::mrr_milling(p, e, v)),
            _ => None,
        },
        _ => match (vc, ap, feed) {
            (Some(v), Some(p), Some(fv)) => Some(f::mrr_turning(v, p, fv)),
            _ => None,
        },
    };

    // 8. Chip thickness, kc, power, torque.
    let (kc11, mc) = kc_constants(g);
    let hm = chip_thickness(req, feed, ae, tool_d, &mut nt).filter(|h| *h > 0.0);
    let kc = hm.map(|h| f::specific_cutting_force(kc11, h, mc));
    let pc = match (kind, kc) {
        (ToolKind::Taraudage, _) | (_, None) => None,
        (ToolKind::Percage, Some(k)) => match (feed, vc, tool_d) {
            (Some(fv), Some(v), Some(d)) => Some(f::power_drilling(fv, v, d, k)),
            _ => None,
        },
        (_, Some(k)) if milling => match (ap, ae, vf) {
            (Some(p), Some(e), Some(v)) => Some(f::power_milling(p, e, v, k)),
            _ => None,
        },
        (_, Some(k)) => match (vc, ap, feed) {
            (Some(v), Some(p), Some(fv)) => Some(f::power_turning(v, p, fv, k)),
            _ => None,
        },
    };
    if kind == ToolKind::Taraudage {
        nt.adjust(
            "Taraudage : puissance et Q non calculés (pas de formule en NORMS §4.1) ; vérifier le couple du taraud".into(),
        );
    }
    let efficiency = match machine.and_then(|m| m.efficiency) {
        None => rules::DEFAULT_EFFICIENCY,
        Some(e) if e.is_finite() && e > 0.0 && e <= 1.0 => e,
        Some(e) => {
            nt.warn(
                codes::ENTREE_INVALIDE,
                format!(
                    "Rendement machine invalide ({e}) : {} retenu",
                    fr(rules::DEFAULT_EFFICIENCY, 2)
                ),
            );
            rules::DEFAULT_EFFICIENCY
        }
    };
    let p_req = pc.map(|p| p / efficiency);
    let torque = match (pc, n) {
        (Some(p), Some(n)) => Some(f::spindle_torque(p, n)),
        _ => None,
    };

    // 9. Machine checks.
    let p_machine = machine.and_then(|m| nt.positive(m.power_kw, "Puissance broche"));
    match machine {
        None => nt.warn(
            codes::MACHINE_A_RENSEIGNER,
            "Machine à renseigner : vitesse maxi et puissance broche inconnues, n et puissance non vérifiées".into(),
        ),
        Some(_) => {
            if n_max.is_none() {
                nt.warn(
                    codes::MACHINE_A_RENSEIGNER,
                    "Vitesse maxi de la machine à renseigner : n non vérifiée".into(),
                );
            }
            if p_machine.is_none() && kind != ToolKind::Taraudage {
                nt.warn(
                    codes::MACHINE_A_RENSEIGNER,
                    "Puissance broche à renseigner : puissance non vérifiée".into(),
                );
            }
        }
    }
    let mut ap_for_power = None;
    let mut feed_for_power = None;
    if let (Some(pm), Some(pr), Some(pcv)) = (p_machine, p_req, pc)
        && pr > pm
    {
        let ratio = pm / pr;
        let head = format!(
            "Puissance nécessaire {} kW (Pc {} kW / η {}) > puissance broche {} kW",
            fr(pr, 2),
            fr(pcv, 2),
            fr(efficiency, 2),
            fr(pm, 2)
        );
        let proposal = if kind == ToolKind::Percage {
            // Pc ∝ f·kc(f) ∝ f^(1 − mc): the feed that fits.
            let fit = feed.map(|fv| rules::floor_to(fv * ratio.powf(1.0 / (1.0 - mc)), 0.001));
            match fit.filter(|x| *x > 0.0) {
                Some(x) => {
                    feed_for_power = Some(x);
                    format!(
                        "réduire f à {} mm/tr (au lieu de {}) ou choisir une autre machine",
                        fr(x, 3),
                        fr(feed.unwrap_or(0.0), 3)
                    )
                }
                None => "choisir une autre machine".into(),
            }
        } else {
            // Pc ∝ ap (kc does not depend on ap): the ap that fits, rounded down to 0.1 mm.
            match ap
                .map(|a| rules::floor_to(a * ratio, 0.1))
                .filter(|x| *x > 0.0)
            {
                Some(x) => {
                    ap_for_power = Some(x);
                    format!(
                        "ap proposé {} mm (au lieu de {} mm) ou plusieurs passes",
                        fr(x, 1),
                        fr(ap.unwrap_or(0.0), 2)
                    )
                }
                None => "réduire l'avance ou choisir une autre machine".into(),
            }
        };
        nt.warn(codes::PUISSANCE_DEPASSEE, format!("{head} : {proposal}"));
    }

    let rounded = RoundedConditions {
        vc_m_min: vc.map(|v| rules::round_to(v, 1.0)),
        feed: feed.map(rules::round_feed),
        ap_mm: ap.map(|v| rules::round_to(v, 0.01)),
        ae_mm: ae.map(|v| rules::round_to(v, 0.01)),
        n_rpm: n.map(rules::round_rpm),
        vf_mm_min: vf.map(|v| rules::round_to(v, 1.0)),
        q_cm3_min: q.map(|v| rules::round_to(v, 0.1)),
        kc_n_mm2: kc.map(|v| rules::round_to(v, 1.0)),
        power_required_kw: p_req.map(|v| rules::round_to(v, 0.01)),
        torque_nm: torque.map(|v| rules::round_to(v, 0.1)),
    };
    CuttingConditions {
        tool_kind: kind,
        tool_id: req.tool.tool_id,
        tool_label: req.tool.label.clone(),
        intent: req.intent,
        speed_diameter_mm: speed_d,
        vc_m_min: vc,
        vc_data_m_min: vc_data,
        feed_kind,
        feed,
        feed_data,
        teeth,
        ap_mm: ap,
        ae_mm: ae,
        n_rpm: n,
        vf_mm_min: vf,
        q_cm3_min: q,
        hm_mm: hm,
        kc_n_mm2: kc,
        cutting_power_kw: pc,
        power_required_kw: p_req,
        torque_nm: torque,
        machine_power_kw: p_machine,
        efficiency,
        ap_for_power_mm: ap_for_power,
        feed_for_power,
        thinning_factor: thinning,
        source: cand.as_ref().map(|c| c.source),
        source_label: cand.as_ref().and_then(|c| c.label.clone()),
        rounded,
        complete: nt.to_fill.is_empty(),
        to_fill_fr: nt.to_fill,
        adjustments_fr: nt.adjustments,
        warnings: nt.warnings,
    }
}

/// Applies the priority rule (with the NORMS defaults when allowed) and explains the choice.
fn choose(req: &CuttingRequest, nt: &mut Notes) -> Option<CuttingDataCandidate> {
    let kind = req.tool.kind;
    let g = req.iso_group;
    let s = &req.settings;
    let mut priority: Vec<DataSource> = Vec::new();
    for src in &s.source_priority {
        if (*src != DataSource::DefautNorme || s.use_norm_defaults) && !priority.contains(src) {
            priority.push(*src);
        }
    }
    let mut pool = req.candidates.clone();
    if s.use_norm_defaults {
        if !priority.contains(&DataSource::DefautNorme) {
            priority.push(DataSource::DefautNorme);
        }
        pool.push(norm_candidate(kind, g));
    }
    let picked = pick_index(&pool, &priority, kind, g);

    // Why the other rows of this tool / group were not taken.
    for (i, c) in req.candidates.iter().enumerate() {
        if Some(i) == picked || !applies(c, kind, g) {
            continue;
        }
        let name = row_name(c);
        if !usable(c, kind) {
            let what = if kind == ToolKind::Taraudage {
                "Vc".to_string()
            } else {
                format!("Vc ou {}", kind.feed_name())
            };
            nt.adjust(format!(
                "Ligne {name} ignorée : {what} manquante ou invalide"
            ));
        } else if !priority.contains(&c.source) {
            let why = if c.source == DataSource::DefautNorme {
                "valeurs NORMS désactivées dans les réglages"
            } else {
                "source absente de la liste de priorité"
            };
            nt.adjust(format!("Ligne {name} ignorée : {why}"));
        } else if let Some(p) = picked {
            let why = if pool[p].source == c.source {
                "une ligne de même source la précède".to_string()
            } else {
                format!("{} prioritaire", pool[p].source.label_fr())
            };
            nt.adjust(format!("Ligne {name} non retenue : {why}"));
        }
    }

    let Some(p) = picked else {
        let what = if kind == ToolKind::Taraudage {
            "Vc".to_string()
        } else {
            format!("Vc et {}", kind.feed_name())
        };
        nt.to_fill.push("Vc".into());
        if kind != ToolKind::Taraudage {
            nt.to_fill.push(kind.feed_name().into());
        }
        nt.warn(
            codes::DONNEES_MANQUANTES,
            format!(
                "Données de coupe manquantes pour {} en groupe {} : saisir {what} (base interne, fournisseur ou saisie manuelle) ; valeurs à renseigner",
                kind.label_fr(),
                g.code()
            ),
        );
        return None;
    };
    let c = pool.swap_remove(p);
    if c.source == DataSource::DefautNorme {
        nt.warn(
            codes::DEFAUT_NORME,
            format!(
                "Aucune donnée de coupe de l'atelier pour {} en groupe {} : valeurs de départ NORMS §4.2 utilisées, à confirmer avec les données de l'outil",
                kind.label_fr(),
                g.code()
            ),
        );
    }
    nt.adjust(format!("Données retenues : {}", row_name(&c)));
    Some(c)
}

/// Feed of the data at `pos`, with the Ø rule: `f = k·D` for per-Ø rows, `f·D/D_ref` for drills
/// and end mills when the row was given for another Ø.
fn diameter_feed(
    c: &CuttingDataCandidate,
    kind: ToolKind,
    pos: f64,
    tool_d: Option<f64>,
    nt: &mut Notes,
) -> Option<f64> {
    let k = rules::range_point(c.feed_min, c.feed_max, pos)?;
    let name = kind.feed_name();
    let unit = FeedKind::for_tool(kind).unit_fr();
    if let (Some(a), Some(b)) = (valid(c.feed_min), valid(c.feed_max))
        && (a - b).abs() > 1e-12
    {
        nt.adjust(format!(
            "{name} = {} : point {} % de la plage {}–{}",
            fr(k, 4),
            fr(pos * 100.0, 0),
            fr(a.min(b), 4),
            fr(a.max(b), 4)
        ));
    }
    if c.feed_per_diameter {
        let d = tool_d?;
        let v = k * d;
        nt.adjust(format!(
            "{name} proportionnelle au Ø : {name} = {} × D = {} × {} = {} {unit}",
            fr(k, 4),
            fr(k, 4),
            fr(d, 2),
            fr(v, 4)
        ));
        return Some(v);
    }
    if matches!(kind, ToolKind::Percage | ToolKind::Fraisage)
        && let (Some(dref), Some(d)) = (valid(c.reference_diameter_mm), tool_d)
        && (d - dref).abs() > 1e-9
    {
        let v = k * d / dref;
        nt.adjust(format!(
            "{name} proportionnelle au Ø : données pour Ø{} mm, {name} = {} × {}/{} = {} {unit}",
            fr(dref, 2),
            fr(k, 4),
            fr(d, 2),
            fr(dref, 2),
            fr(v, 4)
        ));
        return Some(v);
    }
    Some(k)
}

/// Turning finishing feed limited by the target Ra (NORMS §3.3).
fn ra_feed(feed: f64, ra: f64, tool: &CuttingTool, nt: &mut Notes) -> f64 {
    let finish = f::finish_for_ra(ra);
    if finish == f::Finish::Normale {
        nt.adjust(format!(
            "Ra {} µm ≥ 3,2 : avance de finition normale",
            fr(ra, 2)
        ));
        return feed;
    }
    let re = match nt.positive(tool.nose_radius_mm, "Rayon de bec") {
        Some(r) => r,
        None => {
            nt.adjust(format!(
                "Rayon de bec non renseigné : rε = {} mm supposé",
                fr(rules::DEFAULT_NOSE_RADIUS_MM, 2)
            ));
            rules::DEFAULT_NOSE_RADIUS_MM
        }
    };
    if finish == f::Finish::Rectification {
        nt.warn(
            codes::RECTIFICATION,
            format!(
                "Ra {} µm ≤ 0,4 : prévoir rectification ou rodage ; avance de tournage indicative",
                fr(ra, 2)
            ),
        );
    }
    let f_ra = f::feed_for_ra(ra, re);
    if f_ra < feed {
        nt.adjust(format!(
            "f limitée à {} mm/tr (au lieu de {}) pour Ra {} µm avec rε {} mm : f = √(Ra·32·rε/1000)/1,4 (NORMS §3.3)",
            fr(f_ra, 3),
            fr(feed, 3),
            fr(ra, 2),
            fr(re, 2)
        ));
        f_ra
    } else {
        feed
    }
}

/// ap and ae: requested, else from the data, else the engine's defaults; then the caps.
fn engagement(
    req: &CuttingRequest,
    tool_d: Option<f64>,
    cand: Option<&CuttingDataCandidate>,
    nt: &mut Notes,
) -> (Option<f64>, Option<f64>) {
    use rules::*;
    let kind = req.tool.kind;
    let ap_req = nt.positive(req.ap_mm, "ap demandé");
    let ae_req = nt.positive(req.ae_mm, "ae demandé");
    let ap_data = cand.and_then(|c| valid(c.ap_max));
    let ae_data = cand.and_then(|c| valid(c.ae_max));
    let finish = req.intent == Intent::Finition;

    // Caps a value and says so.
    let cap = |nt: &mut Notes, v: f64, limit: Option<f64>, what: &str, why: &str| -> f64 {
        match limit {
            Some(l) if v > l + 1e-9 => {
                nt.adjust(format!(
                    "{what} {} mm limité à {} mm ({why})",
                    fr(v, 2),
                    fr(l, 2)
                ));
                l
            }
            _ => v,
        }
    };

    match kind {
        ToolKind::Tournage | ToolKind::Alesage => {
            let ap = match ap_req {
                Some(a) => cap(nt, a, ap_data, "ap demandé", "ap maxi des données"),
                None => {
                    let (v, why) = if finish {
                        (
                            FINISH_AP_MM.min(ap_data.unwrap_or(f64::INFINITY)),
                            "finition : surépaisseur laissée par l'ébauche",
                        )
                    } else if let Some(a) = ap_data {
                        (a, "ap maxi des données")
                    } else if kind == ToolKind::Alesage {
                        (BORING_AP_ROUGH_MM, "valeur par défaut d'ébauche en alésage")
                    } else {
                        (
                            TURNING_AP_ROUGH_MM,
                            "valeur par défaut d'ébauche en tournage",
                        )
                    };
                    nt.adjust(format!("ap = {} mm ({why})", fr(v, 2)));
                    v
                }
            };
            if let Some(wd) = valid(req.work_diameter_mm)
                && kind == ToolKind::Tournage
                && ap >= wd / 2.0
            {
                nt.warn(
                    codes::ENTREE_INVALIDE,
                    format!(
                        "ap {} mm ≥ rayon de la pièce ({} mm) : à vérifier",
                        fr(ap, 2),
                        fr(wd / 2.0, 2)
                    ),
                );
            }
            (Some(ap), None)
        }
        ToolKind::Tronconnage => {
            let ap = match ap_req.or(ap_data) {
                Some(a) => a,
                None => {
                    nt.adjust(format!(
                        "ap = largeur de lame, {} mm supposée (à confirmer)",
                        fr(PARTING_WIDTH_MM, 2)
                    ));
                    PARTING_WIDTH_MM
                }
            };
            (Some(ap), None)
        }
        ToolKind::Fraisage | ToolKind::Surfacage => {
            let Some(d) = tool_d else {
                return (ap_req, ae_req);
            };
            let face = kind == ToolKind::Surfacage;
            // ae.
            let ae = match ae_req {
                Some(a) => cap(nt, a, ae_data, "ae demandé", "ae maxi des données"),
                None => {
                    let (v, why) = if face {
                        match ae_data {
                            Some(a) => (a, "ae maxi des données".to_string()),
                            None => (FACE_MILL_AE_RATIO * d, "75 % de D en surfaçage".to_string()),
                        }
                    } else if finish {
                        (
                            (END_MILL_AE_FINISH_RATIO * d).min(ae_data.unwrap_or(f64::INFINITY)),
                            "10 % de D en finition".to_string(),
                        )
                    } else {
                        match ae_data {
                            Some(a) => (a, "ae maxi des données".to_string()),
                            None => (
                                END_MILL_AE_ROUGH_RATIO * d,
                                "40 % de D en ébauche".to_string(),
                            ),
                        }
                    };
                    nt.adjust(format!("ae = {} mm ({why})", fr(v, 2)));
                    v
                }
            };
            let ae = cap(nt, ae, Some(d), "ae", "ae ne peut dépasser le Ø de l'outil");
            // ap.
            let mut ap = match ap_req {
                Some(a) => a,
                None => {
                    let (v, why) = if face {
                        if finish {
                            (
                                FINISH_AP_MM.min(ap_data.unwrap_or(f64::INFINITY)),
                                "finition".to_string(),
                            )
                        } else {
                            match ap_data {
                                Some(a) => (a, "ap maxi des données".to_string()),
                                None => (
                                    FACE_MILL_AP_ROUGH_MM,
                                    "valeur par défaut d'ébauche en surfaçage".to_string(),
                                ),
                            }
                        }
                    } else {
                        match ap_data {
                            Some(a) => (a, "ap maxi des données".to_string()),
                            None => (END_MILL_AP_RATIO * d, "1×D par défaut".to_string()),
                        }
                    };
                    nt.adjust(format!("ap = {} mm ({why})", fr(v, 2)));
                    v
                }
            };
            ap = cap(nt, ap, ap_data, "ap", "ap maxi des données");
            if let Some(lc) = nt.positive(req.tool.cutting_length_mm, "Longueur de coupe") {
                ap = cap(nt, ap, Some(lc), "ap", "longueur de coupe de l'outil");
            }
            if !face {
                let (k, why) = if ae > d / 2.0 {
                    (
                        END_MILL_AP_CAP_SLOT,
                        "1×D en rainurage / prise radiale > D/2",
                    )
                } else {
                    (END_MILL_AP_CAP_SIDE, "2×D en contournage")
                };
                ap = cap(nt, ap, Some(k * d), "ap", why);
            }
            (Some(ap), Some(ae))
        }
        ToolKind::Percage => {
            if ap_req.is_some() || ae_req.is_some() {
                nt.adjust("Perçage : ap = D/2 par définition, ap/ae demandés ignorés".into());
            }
            (tool_d.map(|d| d / 2.0), None)
        }
        ToolKind::Taraudage => (None, None),
    }
}

/// Chip thickness used for kc (NORMS §4.1).
fn chip_thickness(
    req: &CuttingRequest,
    feed: Option<f64>,
    ae: Option<f64>,
    tool_d: Option<f64>,
    nt: &mut Notes,
) -> Option<f64> {
    let t = &req.tool;
    let feed = feed?;
    match t.kind {
        ToolKind::Tournage | ToolKind::Alesage => {
            let kr = nt.angle(
                t.entering_angle_deg,
                "Angle d'attaque κr",
                rules::TURNING_KAPPA_DEG,
            );
            Some(f::chip_thickness_turning(feed, kr))
        }
        ToolKind::Tronconnage => {
            let kr = nt.angle(
                t.entering_angle_deg,
                "Angle d'attaque κr",
                rules::SQUARE_KAPPA_DEG,
            );
            Some(f::chip_thickness_turning(feed, kr))
        }
        ToolKind::Fraisage | ToolKind::Surfacage => {
            let (a, d) = (ae?, tool_d?);
            let kr = nt.angle(
                t.entering_angle_deg,
                "Angle d'attaque κr",
                rules::SQUARE_KAPPA_DEG,
            );
            if t.kind == ToolKind::Surfacage && a >= d / 2.0 {
                Some(f::mean_chip_thickness_face_milling(feed, kr, a, d))
            } else {
                Some(f::mean_chip_thickness_side_milling(feed, a, d) * kr.to_radians().sin())
            }
        }
        ToolKind::Percage => {
            let sigma = nt.angle(
                t.point_angle_deg,
                "Angle de pointe σ",
                rules::DRILL_POINT_DEG,
            );
            Some(f::chip_thickness_drilling(feed, sigma))
        }
        ToolKind::Taraudage => None,
    }
}
