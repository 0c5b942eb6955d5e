//! Routing (gamme) generation engine (issue 6; DOMAIN.md §3.7–3.8).
//!
//! When an order is validated, each order line gets a job (OF) whose routing is generated here
//! from the line's estimate (re-run for the ordered quantity) and reviewed by méthodes:
//! [`generate`] turns the estimate's operations into numbered routing operations (10, 20, 30…)
//! with their work centre, skills, tools matched against the crib, measuring instruments
//! matched against the instrument park, suggested NC program name, times, and a draft method
//! sheet (fixturing, tool positions, CAM steps, inspection points, safety, what is "à
//! renseigner"); the débit line with the scrap allowance; the subcontracted treatment as one
//! operation before the final control; control and packaging always; the industry templates of
//! the shop's activities. [`check_machine`] says why a machine cannot do an operation.
//!
//! Pure and deterministic: no I/O, no clock, no hash-map iteration. Cutting conditions are not
//! computed here (the app calls the cutting-conditions engine per tool). See
//! `docs/routing-engine.md`.

pub mod checks;
pub mod example;
pub mod model;
pub mod sheets;
pub mod templates;

#[cfg(test)]
mod tests;

pub use checks::check_machine;
pub use model::*;

use crate::estimate::{
    Feature, Machine, MachineKind, Operation, PartSpec, ProcessKind, RawStock, Resource,
    ShapeClass, ToolKind, fmt_mm,
};
use sheets::Built;
use templates::ActivityTemplate;

/// Extra blanks for scrap: none below `scrap_min_qty` pieces or when `scrap_pct` is 0; else
/// ⌈quantity × scrap_pct / 100⌉, at least 1. Default 2 % from 10 pieces: 25 → 1, 100 → 2,
/// 160 → 4 (3.2 rounded up), 9 → 0.
pub fn scrap_extra(quantity: u32, settings: &RoutingSettings) -> u32 {
    if quantity == 0 || quantity < settings.scrap_min_qty || settings.scrap_pct <= 0.0 {
        return 0;
    }
    let x = (f64::from(quantity) * settings.scrap_pct / 100.0 - 1e-9).ceil();
    (x.max(1.0)) as u32
}

/// Suggested NC program name: the drawing reference (letters, digits, `-`, `_`; spaces → `-`,
/// upper case) + `_OP` + operation number.
pub fn nc_program_name(drawing_ref: &str, number: u32) -> String {
    let mut base: String = drawing_ref
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_ascii_uppercase())
            } else if c.is_whitespace() || c == '/' || c == '.' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    if base.is_empty() {
        base = "PIECE".into();
    }
    format!("{base}_OP{number}")
}

/// What an operation is, for its sheet.
#[derive(Debug, Clone)]
enum Kind<'a> {
    Debit {
        sheet_metal: bool,
    },
    Lathe {
        live: Vec<&'a Feature>,
    },
    Mill {
        feats: Vec<&'a Feature>,
        turned: bool,
    },
    Weld,
    Bend,
    Grind,
    Deburr,
    Treatment(TreatmentPlan),
    WeldControl,
    Control,
    Pack,
}

#[derive(Debug, Clone)]
struct TreatmentPlan {
    code: String,
    label_fr: String,
    supplier: Option<String>,
    in_house: bool,
}

#[derive(Debug, Clone)]
struct Plan<'a> {
    process: ProcessKind,
    kind: Kind<'a>,
    label_fr: String,
    description_fr: String,
    work_centre: WorkCentre,
    machine: Option<&'a Machine>,
    setup_min: f64,
    run_min: f64,
    origin_fr: String,
    warnings: Vec<String>,
    /// No time from the estimate: "temps à renseigner".
    untimed: bool,
}

impl<'a> Plan<'a> {
    fn new(process: ProcessKind, kind: Kind<'a>, label_fr: String, origin_fr: &str) -> Self {
        Plan {
            process,
            kind,
            description_fr: label_fr.clone(),
            label_fr,
            work_centre: WorkCentre::None,
            machine: None,
            setup_min: 0.0,
            run_min: 0.0,
            origin_fr: origin_fr.into(),
            warnings: Vec::new(),
            untimed: false,
        }
    }
}

fn is_mill_feature(spec: &PartSpec, f: &Feature) -> bool {
    matches!(
        f,
        Feature::Face { .. }
            | Feature::Pocket { .. }
            | Feature::Slot { .. }
            | Feature::Freeform5Axis { .. }
    ) || matches!(f, Feature::Surface { ra, .. } if *ra > 0.4 && spec.shape != ShapeClass::Turned)
}

fn is_hole_feature(f: &Feature) -> bool {
    matches!(
        f,
        Feature::Holes { .. }
            | Feature::Threads {
                external: false,
                ..
            }
            | Feature::Bore { .. }
    )
}

fn ground_features(spec: &PartSpec) -> Vec<&Feature> {
    spec.features
        .iter()
        .filter(|f| {
            let ra = match f {
                Feature::ExternalTurning { ra, .. }
                | Feature::Bore { ra, .. }
                | Feature::Pocket { ra, .. }
                | Feature::Face { ra, .. } => *ra,
                Feature::Surface { ra, .. } => Some(*ra),
                _ => None,
            };
            ra.is_some_and(|r| r <= 0.4)
        })
        .collect()
}

/// Features machined by the turning operation of a turned part.
fn turning_features(spec: &PartSpec) -> Vec<&Feature> {
    spec.features
        .iter()
        .filter(|f| {
            matches!(
                f,
                Feature::ExternalTurning { .. }
                    | Feature::Bore { .. }
                    | Feature::Holes { .. }
                    | Feature::Threads { .. }
            ) || matches!(f, Feature::Surface { ra, .. } if *ra > 0.4)
        })
        .collect()
}

fn op_times(o: &Operation) -> (f64, f64) {
    (o.setup_h * 60.0, o.cycle_min)
}

/// Resolves the estimate's machine against the park and re-checks it.
fn machine_plan<'a>(
    input: &RoutingInput<'a>,
    o: &Operation,
    plan: &mut Plan<'a>,
    raw: Option<&RawStock>,
) {
    match &o.resource {
        Resource::Machine {
            machine_id, code, ..
        } => {
            plan.work_centre = WorkCentre::Machine {
                machine_id: *machine_id,
                code: code.clone(),
            };
            match input.machines.iter().find(|m| m.id == *machine_id) {
                Some(m) => {
                    plan.machine = Some(m);
                    plan.description_fr = if m.name.is_empty() || m.name == m.code {
                        format!("{} — {}", o.description_fr, m.code)
                    } else {
                        format!("{} — {} {}", o.description_fr, m.code, m.name)
                    };
                    if let Err(reasons) = checks::check_machine(o.process, m, input.spec, raw) {
                        plan.warnings.extend(reasons);
                    }
                }
                None => plan.warnings.push(format!(
                    "la machine {code} choisie au devis n'est plus dans le parc : choisir une machine"
                )),
            }
        }
        _ => {
            plan.work_centre = WorkCentre::None;
            plan.warnings
                .push(format!("aucune machine retenue : {}", o.why_fr));
        }
    }
}

/// Generates the draft routing of one job. See the module documentation and
/// docs/routing-engine.md for every rule.
pub fn generate(input: &RoutingInput) -> RoutingDraft {
    let spec = input.spec;
    let est = input.estimate;
    let raw = est.raw_stock.as_ref();
    let critical = input.critical || spec.critical;
    let (active, unknown) = templates::effective(input.activities);
    let mut warnings: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for u in &unknown {
        warnings.push(format!("Activité « {u} » inconnue : ignorée"));
    }
    if input.activities.is_empty() {
        warnings.push("Aucune activité déclarée : gamme type « usinage » utilisée".into());
    }
    for i in est.blocking() {
        warnings.push(format!("Devis : {}", i.message_fr));
    }
    if input.drawing_ref.trim().is_empty() {
        missing.push("Numéro de plan à renseigner (noms des programmes CN)".into());
    }
    let scrap = scrap_extra(input.quantity, input.settings);
    let launched = input.quantity + scrap;
    let has = |code: &str| templates::has(&active, code);

    // ------------------------------------------------------------ débit line
    let sheet_metal =
        spec.shape == ShapeClass::SheetBent && (has("tolerie") || has("chaudronnerie"));
    let debit = raw.map(|r| debit_line(spec, r, launched, input.settings, sheet_metal));
    if let Some(d) = &debit {
        if d.parts_per_bar == 0 {
            warnings.push(format!(
                "Barre de {} mm trop courte pour une pièce de {} mm : longueur de barre à vérifier",
                fmt_mm(d.bar_length),
                fmt_mm(d.consumed_length)
            ));
        }
    } else {
        missing.push(
            "Débit à définir : nomenclature de débit (ensemble soudé ou forme inconnue)".into(),
        );
    }

    // ------------------------------------------------------------ plans from the estimate
    let turned = checks::is_turned(spec);
    let has_mill_op = est
        .operations
        .iter()
        .any(|o| o.process == ProcessKind::Fraisage);
    let mut plans: Vec<Plan> = Vec::new();
    let mut est_treatments: Vec<&Operation> = Vec::new();
    for o in &est.operations {
        let origin = format!("devis OP{}", o.number);
        let (setup, run) = op_times(o);
        let mut plan = match o.process {
            ProcessKind::Debit => {
                let label = debit
                    .as_ref()
                    .map(|d| d.label_fr.clone())
                    .unwrap_or_else(|| o.description_fr.clone());
                let mut p = Plan::new(o.process, Kind::Debit { sheet_metal }, label, &origin);
                if sheet_metal {
                    p.work_centre = WorkCentre::Activity {
                        code: "decoupe".into(),
                    };
                    p.description_fr = format!(
                        "Découpe laser / cisaille ({})",
                        raw.map(|r| r.debit_fr.clone()).unwrap_or_default()
                    );
                } else {
                    machine_plan(input, o, &mut p, raw);
                }
                p
            }
            ProcessKind::Tournage => {
                let mut p = Plan::new(
                    o.process,
                    Kind::Lathe { live: vec![] },
                    "Tournage".into(),
                    &origin,
                );
                machine_plan(input, o, &mut p, raw);
                if !has_mill_op
                    && p.machine
                        .is_some_and(|m| m.kind == MachineKind::TourFraiseur)
                {
                    p.kind = Kind::Lathe {
                        live: spec
                            .features
                            .iter()
                            .filter(|f| is_mill_feature(spec, f))
                            .collect(),
                    };
                }
                p
            }
            ProcessKind::Fraisage => {
                let feats: Vec<&Feature> = spec
                    .features
                    .iter()
                    .filter(|f| is_mill_feature(spec, f))
                    .collect();
                let mut p = Plan::new(
                    o.process,
                    Kind::Mill { feats, turned },
                    "Fraisage".into(),
                    &origin,
                );
                machine_plan(input, o, &mut p, raw);
                p
            }
            ProcessKind::PercageTaraudage => {
                let holes: Vec<&Feature> = spec
                    .features
                    .iter()
                    .filter(|f| is_hole_feature(f))
                    .collect();
                // Same machine and clamping as the milling: one operation, one program.
                if let Some(prev) = plans.last_mut()
                    && prev.process == ProcessKind::Fraisage
                    && let Resource::Machine { machine_id, .. } = &o.resource
                    && matches!(&prev.work_centre, WorkCentre::Machine { machine_id: id, .. } if id == machine_id)
                    && let Kind::Mill { feats, .. } = &mut prev.kind
                {
                    feats.extend(holes);
                    prev.label_fr = "Fraisage / perçage / taraudage".into();
                    prev.description_fr = format!(
                        "{} + perçage / taraudage / alésage (même montage)",
                        prev.description_fr
                    );
                    prev.setup_min += setup;
                    prev.run_min += run;
                    prev.origin_fr = format!("{} + {origin}", prev.origin_fr);
                    continue;
                }
                let mut p = Plan::new(
                    o.process,
                    Kind::Mill {
                        feats: holes,
                        turned,
                    },
                    "Perçage / taraudage".into(),
                    &origin,
                );
                machine_plan(input, o, &mut p, raw);
                p
            }
            ProcessKind::Soudure => {
                let mut p = Plan::new(o.process, Kind::Weld, "Soudure".into(), &origin);
                machine_plan(input, o, &mut p, raw);
                p
            }
            ProcessKind::Pliage => {
                let mut p = Plan::new(o.process, Kind::Bend, "Pliage".into(), &origin);
                machine_plan(input, o, &mut p, raw);
                p
            }
            ProcessKind::Rectification => {
                let mut p = Plan::new(o.process, Kind::Grind, "Rectification".into(), &origin);
                machine_plan(input, o, &mut p, raw);
                p
            }
            ProcessKind::Ebavurage => {
                let wash = has("decolletage");
                let mut p = Plan::new(
                    o.process,
                    Kind::Deburr,
                    if wash {
                        "Ébavurage / lavage".into()
                    } else {
                        "Ébavurage".into()
                    },
                    &origin,
                );
                p.description_fr = if wash {
                    format!("{}, lavage / dégraissage", o.description_fr)
                } else {
                    o.description_fr.clone()
                };
                p.work_centre = WorkCentre::Activity {
                    code: "ebavurage".into(),
                };
                p
            }
            ProcessKind::TraitementSousTraite => {
                est_treatments.push(o);
                continue;
            }
            ProcessKind::Controle => {
                let mut p = Plan::new(
                    o.process,
                    Kind::Control,
                    if critical {
                        "Contrôle 100 %".into()
                    } else {
                        "Contrôle".into()
                    },
                    &origin,
                );
                p.description_fr = o.description_fr.clone();
                p.work_centre = match &o.resource {
                    Resource::Machine {
                        machine_id, code, ..
                    } => WorkCentre::Machine {
                        machine_id: *machine_id,
                        code: code.clone(),
                    },
                    _ => WorkCentre::Activity {
                        code: "controle".into(),
                    },
                };
                p.machine = match &o.resource {
                    Resource::Machine { machine_id, .. } => {
                        input.machines.iter().find(|m| m.id == *machine_id)
                    }
                    _ => None,
                };
                p
            }
            ProcessKind::Emballage => {
                let mut p = Plan::new(o.process, Kind::Pack, "Emballage".into(), &origin);
                p.description_fr = o.description_fr.clone();
                p.work_centre = WorkCentre::Activity {
                    code: "emballage".into(),
                };
                p
            }
        };
        plan.setup_min = setup;
        plan.run_min = run;
        plans.push(plan);
    }

    // ------------------------------------------------------------ control and packaging always
    if !plans.iter().any(|p| matches!(p.kind, Kind::Control)) {
        let mut p = Plan::new(
            ProcessKind::Controle,
            Kind::Control,
            if critical {
                "Contrôle 100 %".into()
            } else {
                "Contrôle".into()
            },
            "gamme type",
        );
        p.work_centre = WorkCentre::Activity {
            code: "controle".into(),
        };
        p.untimed = true;
        plans.push(p);
    }
    if critical && let Some(p) = plans.iter_mut().find(|p| matches!(p.kind, Kind::Control)) {
        p.description_fr = format!(
            "{} — fiche de contrôle / sécurité, 100 % des pièces",
            p.description_fr
        );
    }
    plans.retain(|p| !matches!(p.kind, Kind::Pack));
    {
        let mut p = Plan::new(
            ProcessKind::Emballage,
            Kind::Pack,
            "Emballage".into(),
            "gamme type",
        );
        let from_est = est
            .operations
            .iter()
            .find(|o| o.process == ProcessKind::Emballage);
        match from_est {
            Some(o) => {
                p.description_fr = o.description_fr.clone();
                let (s, r) = op_times(o);
                p.setup_min = s;
                p.run_min = r;
                p.origin_fr = format!("devis OP{}", o.number);
            }
            None => {
                p.description_fr = "Emballage et préparation de l'expédition".into();
                p.untimed = true;
            }
        }
        p.work_centre = WorkCentre::Activity {
            code: "emballage".into(),
        };
        plans.push(p);
    }

    // ------------------------------------------------------------ treatments
    let treatments: Vec<TreatmentPlan> = if input.treatments.is_empty() {
        spec.treatments
            .iter()
            .map(|t| TreatmentPlan {
                code: t.code.clone(),
                label_fr: t.label_fr.clone(),
                supplier: est_treatments.iter().find_map(|o| match &o.resource {
                    Resource::Subcontract {
                        treatment,
                        supplier,
                    } if *treatment == t.code => Some(supplier.clone()),
                    _ => None,
                }),
                in_house: false,
            })
            .collect()
    } else {
        input
            .treatments
            .iter()
            .map(|t| TreatmentPlan {
                code: t.treatment.code.clone(),
                label_fr: t.treatment.label_fr.clone(),
                supplier: t.supplier.clone(),
                in_house: false,
            })
            .collect()
    };
    let control_at = plans
        .iter()
        .position(|p| matches!(p.kind, Kind::Control))
        .unwrap_or(plans.len() - 1);
    let mut treatment_plans: Vec<Plan> = Vec::new();
    for mut t in treatments {
        t.in_house = has("traitement_surface") && !templates::is_heat_treatment(&t.code);
        let mut p = Plan::new(
            ProcessKind::TraitementSousTraite,
            Kind::Treatment(t.clone()),
            if t.in_house {
                format!("Traitement : {} (interne)", t.label_fr)
            } else {
                format!("Traitement sous-traité : {}", t.label_fr)
            },
            "devis (traitement)",
        );
        p.description_fr = if t.in_house {
            format!("{} en interne (activité traitement de surface)", t.label_fr)
        } else {
            match &t.supplier {
                Some(s) => format!("{} chez {s}", t.label_fr),
                None => format!("{} — sous-traitant à choisir", t.label_fr),
            }
        };
        p.work_centre = if t.in_house {
            WorkCentre::Activity {
                code: "traitement_surface".into(),
            }
        } else {
            WorkCentre::Subcontract {
                treatment: t.code.clone(),
                supplier: t.supplier.clone(),
            }
        };
        if t.in_house {
            p.untimed = true;
        }
        treatment_plans.push(p);
    }
    let n_treat = treatment_plans.len();
    plans.splice(control_at..control_at, treatment_plans);

    // Grinding after a hardening treatment.
    let last_hardening = plans
        .iter()
        .rposition(|p| matches!(&p.kind, Kind::Treatment(t) if templates::is_hardening(&t.code)));
    if n_treat > 0
        && let Some(h) = last_hardening
        && let Some(g) = plans.iter().position(|p| matches!(p.kind, Kind::Grind))
        && g < h
    {
        let mut grind = plans.remove(g);
        grind.origin_fr = format!("{} (placée après le traitement thermique)", grind.origin_fr);
        plans.insert(h, grind);
    }

    // Weld control after welding (soudure / chaudronnerie templates).
    if (has("soudure") || has("chaudronnerie"))
        && let Some(w) = plans.iter().position(|p| matches!(p.kind, Kind::Weld))
    {
        let mut p = Plan::new(
            ProcessKind::Controle,
            Kind::WeldControl,
            "Contrôle des soudures".into(),
            if has("soudure") {
                "modèle soudure"
            } else {
                "modèle chaudronnerie"
            },
        );
        p.description_fr =
            "Contrôle visuel des cordons (EN ISO 17637) avant la suite de la gamme".into();
        p.work_centre = WorkCentre::Activity {
            code: "controle".into(),
        };
        p.untimed = true;
        plans.insert(w + 1, p);
    }

    // Activities.
    let names: Vec<&str> = active.iter().map(|t| t.label_fr).collect();
    for p in &mut plans {
        let allowed = templates::allows(&active, p.process)
            || matches!(&p.kind, Kind::Debit { .. }) && sheet_metal;
        if !allowed {
            p.warnings.push(format!(
                "procédé hors des activités déclarées ({}) : conservé, à valider ou à sous-traiter",
                names.join(", ").to_lowercase()
            ));
        }
    }

    // ------------------------------------------------------------ numbering and sheets
    let mut operations = Vec::with_capacity(plans.len());
    let mut instrument_warnings: Vec<String> = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        let number = (i as u32 + 1) * 10;
        let op = build_operation(
            input,
            &active,
            p,
            number,
            critical,
            launched,
            debit.as_ref(),
            &mut instrument_warnings,
        );
        let outside = p
            .warnings
            .iter()
            .any(|w| w.starts_with("procédé hors des activités"));
        for w in &p.warnings {
            warnings.push(format!("OP{number} {} : {w}", p.label_fr));
        }
        for t in &op.tools {
            if !t.in_stock {
                warnings.push(format!(
                    "OP{number} {} : {} {} {}",
                    p.label_fr,
                    t.position,
                    t.label_fr,
                    if t.tool_id.is_some() {
                        "en rupture au magasin (à commander)"
                    } else {
                        "absent du magasin (à acheter)"
                    }
                ));
            }
        }
        for m in &op.method_sheet.missing_fr {
            missing.push(format!("OP{number} : {m}"));
        }
        operations.push(RoutingOperation {
            outside_activities: outside,
            ..op
        });
    }
    for w in instrument_warnings {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }

    RoutingDraft {
        operations,
        debit,
        ordered_quantity: input.quantity,
        scrap_extra: scrap,
        launched_quantity: launched,
        critical,
        activities: active.iter().map(|t| t.code.to_string()).collect(),
        warnings_fr: warnings,
        missing_fr: missing,
    }
}

fn debit_line(
    spec: &PartSpec,
    r: &RawStock,
    launched: u32,
    settings: &RoutingSettings,
    sheet_metal: bool,
) -> DebitLine {
    let usable = if r.bar_fed {
        settings.bar_length_mm - settings.bar_end_mm
    } else {
        settings.bar_length_mm
    };
    let per_bar = if r.consumed_length > 0.0 && usable > 0.0 {
        (usable / r.consumed_length + 1e-9).floor() as u32
    } else {
        0
    };
    let bars = if per_bar == 0 {
        0
    } else {
        launched.div_ceil(per_bar)
    };
    let section_label = r.section.label();
    let label_fr = if r.bar_fed {
        format!(
            "Barre {section_label} en embarreur — {launched} pcs × {} mm ({bars} barre(s) de {} mm)",
            fmt_mm(r.consumed_length),
            fmt_mm(settings.bar_length_mm)
        )
    } else if sheet_metal {
        format!(
            "Découpe {section_label}×{} — {launched} pcs",
            fmt_mm(r.blank_length)
        )
    } else {
        format!(
            "Débit {section_label}×{} — {launched} pcs",
            fmt_mm(r.blank_length)
        )
    };
    DebitLine {
        grade_id: spec.material.grade_id,
        grade: spec.material.label.clone(),
        section: r.section,
        section_label,
        cut_length: r.blank_length,
        consumed_length: r.consumed_length,
        quantity: launched,
        bar_fed: r.bar_fed,
        bar_length: settings.bar_length_mm,
        parts_per_bar: per_bar,
        bars,
        total_length: f64::from(launched) * r.consumed_length,
        certified_required: r.certified_required,
        label_fr,
        allowances_fr: r.allowances_fr.clone(),
        proposed: r.proposed.clone(),
    }
}

fn skills(p: &Plan, spec: &PartSpec) -> Vec<String> {
    let mk = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mkind = p.machine.map(|m| m.kind);
    match &p.kind {
        Kind::Debit { sheet_metal: true } => mk(&["decoupe"]),
        Kind::Debit { .. } => mk(&["sciage"]),
        Kind::Lathe { .. } => mk(&["tournage_cn"]),
        Kind::Mill { .. } => {
            if mkind.is_some_and(MachineKind::is_lathe) {
                mk(&["tournage_cn"])
            } else if mkind == Some(MachineKind::Fraiseuse5Axes) || checks::needs_5_axes(spec) {
                mk(&["fraisage_cn", "fraisage_5axes"])
            } else {
                mk(&["fraisage_cn"])
            }
        }
        Kind::Weld => mk(&["soudure"]),
        Kind::Bend => mk(&["pliage"]),
        Kind::Grind => mk(&["rectification"]),
        Kind::Deburr => mk(&["ebavurage"]),
        Kind::Treatment(t) if t.in_house => mk(&["traitement_surface"]),
        Kind::Treatment(_) => vec![],
        Kind::WeldControl => mk(&["controle", "controle_soudure"]),
        Kind::Control => {
            if mkind == Some(MachineKind::Mmt) || spec.gdt_count > 0 {
                mk(&["controle", "controle_mmt"])
            } else {
                mk(&["controle"])
            }
        }
        Kind::Pack => mk(&["emballage"]),
    }
}

fn material_fr(spec: &PartSpec, debit: Option<&DebitLine>, critical: bool) -> String {
    let mut s = format!(
        "{} (groupe ISO {})",
        spec.material.label,
        spec.material.iso_group.code()
    );
    if let Some(d) = debit {
        if d.bar_fed {
            s.push_str(&format!(" — barre {}", d.section_label));
        } else {
            s.push_str(&format!(
                " — brut {}×{}",
                d.section_label,
                fmt_mm(d.cut_length)
            ));
        }
    }
    if critical {
        s.push_str(" — matière certifiée EN 10204 3.1 exigée");
    }
    s
}

#[allow(clippy::too_many_arguments)]
fn build_operation(
    input: &RoutingInput,
    active: &[&ActivityTemplate],
    p: &Plan,
    number: u32,
    critical: bool,
    launched: u32,
    debit: Option<&DebitLine>,
    instrument_warnings: &mut Vec<String>,
) -> RoutingOperation {
    let spec = input.spec;
    let raw = input.estimate.raw_stock.as_ref();
    let mut sheet = MethodSheetDraft {
        material_fr: material_fr(spec, debit, critical),
        ..Default::default()
    };
    let mut built = Built::default();
    let mut points: Vec<InspectionPoint> = Vec::new();
    let mut documents: Vec<String> = Vec::new();
    let mut subcontract = None;
    let mut nc = false;
    match &p.kind {
        Kind::Debit { sheet_metal } => {
            let (qty, blank) = debit
                .map(|d| (d.quantity, d.cut_length))
                .unwrap_or((launched, 0.0));
            if *sheet_metal {
                sheet.setup_fr.push(
                    "Découpe laser / cisaille : programme d'imbrication ou butée arrière réglée"
                        .into(),
                );
                sheet.instructions_fr.push(format!(
                    "Découper {qty} flans {} (développé à vérifier)",
                    debit.map(|d| d.label_fr.clone()).unwrap_or_default()
                ));
                sheet
                    .missing_fr
                    .push("Développé de la pièce et imbrication à renseigner".into());
                sheet.safety_fr.push(
                    "Gants anti-coupure pour manipuler les tôles ; carters / barrages de la machine actifs"
                        .into(),
                );
            } else {
                let sec = debit.map(|d| d.section_label.clone()).unwrap_or_default();
                sheet.setup_fr.push(format!(
                    "Scie : étau serré sur la barre {sec}, butée de longueur réglée à {} mm",
                    fmt_mm(blank)
                ));
                sheet.instructions_fr.push(format!(
                    "Débiter {qty} lopins {sec}×{} (trait de scie compris dans la longueur consommée)",
                    fmt_mm(blank)
                ));
                sheet
                    .instructions_fr
                    .push("Contrôler la longueur de la 1re coupe avant la série".into());
                sheet
                    .instructions_fr
                    .push("Déclarer la chute restante au stock (section, longueur)".into());
                if critical {
                    sheet.instructions_fr.push(
                        "Reporter le n° de coulée (certificat 3.1) sur le lot de lopins".into(),
                    );
                }
                sheet.safety_fr.push(
                    "Carter de lame réglé au plus près de la barre ; barre serrée, servante pour les barres longues"
                        .into(),
                );
                sheet
                    .safety_fr
                    .push("Lunettes ; ne pas dégager les copeaux à la main".into());
                sheets::extra_safety(spec, raw, &mut sheet.safety_fr);
            }
            if debit.is_some_and(|d| d.proposed.is_empty()) {
                sheet.missing_fr.push(format!(
                    "Matière à approvisionner : {} {} ({} × {} mm)",
                    spec.material.label,
                    debit.map(|d| d.section_label.clone()).unwrap_or_default(),
                    qty,
                    fmt_mm(debit.map(|d| d.consumed_length).unwrap_or(0.0))
                ));
            }
            points.push(InspectionPoint {
                characteristic_fr: format!("Longueur de débit {}", fmt_mm(blank)),
                nominal: Some(blank),
                tolerance_fr: "±1".into(),
                instrument_type: "pied_a_coulisse".into(),
                frequency_fr: sheets::FREQ_SAMPLE.into(),
            });
        }
        Kind::Lathe { live } => {
            nc = true;
            let grind = !ground_features(spec).is_empty()
                && input
                    .estimate
                    .operations
                    .iter()
                    .any(|o| o.process == ProcessKind::Rectification);
            built = sheets::lathe(spec, raw, raw.is_some_and(|r| r.bar_fed), live, grind);
            let mut feats = turning_features(spec);
            feats.extend(live.iter().copied());
            points = sheets::feature_points(spec, &feats, critical);
            points.extend(sheets::general_points(spec, critical).into_iter().take(1));
            sheet.safety_fr = sheets::safety_machining(spec, raw, true);
        }
        Kind::Mill { feats, turned } => {
            nc = true;
            let five = p
                .machine
                .is_some_and(|m| m.kind == MachineKind::Fraiseuse5Axes)
                && checks::needs_5_axes(spec);
            built = sheets::mill(spec, raw, feats, *turned, five);
            points = sheets::feature_points(spec, feats, critical);
            if !turned {
                points.extend(sheets::general_points(spec, critical).into_iter().take(1));
            }
            sheet.safety_fr = sheets::safety_machining(spec, raw, false);
        }
        Kind::Weld => {
            let feats: Vec<&Feature> = spec
                .features
                .iter()
                .filter(|f| matches!(f, Feature::Weld { .. }))
                .collect();
            sheet
                .setup_fr
                .push("Pointage sur marbre ou montage de soudage, bridage des éléments".into());
            sheet.instructions_fr = vec![
                "Préparer et dégraisser les bords à souder".into(),
                "Pointer puis contrôler l'équerrage avant soudure".into(),
                "Souder dans l'ordre prévu pour limiter les déformations".into(),
                "Brosser / décalaminer les cordons".into(),
            ];
            sheet
                .missing_fr
                .push("Mode opératoire (DMOS / QMOS) et métal d'apport à renseigner".into());
            sheet.safety_fr = vec![
                "Écran, gants et tablier de soudeur ; écrans de protection pour les voisins".into(),
                "Aspiration des fumées en marche".into(),
                "Pièces chaudes : refroidir ou signaler avant manipulation".into(),
            ];
            points = sheets::feature_points(spec, &feats, critical);
        }
        Kind::WeldControl => {
            let feats: Vec<&Feature> = spec
                .features
                .iter()
                .filter(|f| matches!(f, Feature::Weld { .. }))
                .collect();
            sheet.instructions_fr = vec![
                "Contrôle visuel de tous les cordons : aspect, gorge, caniveaux, porosités, fissures"
                    .into(),
                "Pièce non conforme : isoler et ouvrir une non-conformité".into(),
            ];
            points = sheets::feature_points(spec, &feats, critical);
        }
        Kind::Bend => {
            let feats: Vec<&Feature> = spec
                .features
                .iter()
                .filter(|f| matches!(f, Feature::Bends { .. }))
                .collect();
            sheet.setup_fr.push(
                "Poinçon et matrice (Vé) adaptés à l'épaisseur, butées arrière réglées".into(),
            );
            sheet.instructions_fr = vec![
                "Plier dans l'ordre du plan (plis intérieurs d'abord)".into(),
                "Contrôler les angles et les cotes sur la 1re pièce".into(),
            ];
            sheet
                .missing_fr
                .push("Outillage de pliage (poinçon, Vé) et développé à renseigner".into());
            sheet.safety_fr = vec![
                "Dispositifs de sécurité de la presse plieuse actifs (barrages, pédale)".into(),
                "Mains hors de la zone de pliage ; supports pour les grandes tôles".into(),
            ];
            points = sheets::feature_points(spec, &feats, critical);
        }
        Kind::Grind => {
            let feats = ground_features(spec);
            sheet
                .setup_fr
                .push("Plateau magnétique ou entre-pointes selon la forme".into());
            sheet.instructions_fr = vec![
                "Rectifier les surfaces Ra ≤ 0,4 µm à la cote finie".into(),
                "Mesurer à la pièce chaude / froide : attendre la stabilisation".into(),
            ];
            sheet
                .missing_fr
                .push("Meule (spécification) et surépaisseur à renseigner".into());
            sheet.safety_fr = vec![
                "Meule vérifiée (essai au son, vitesse maxi) et carter en place".into(),
                "Lunettes ; meule à vide 1 min au démarrage".into(),
            ];
            points = sheets::feature_points(spec, &feats, critical);
        }
        Kind::Deburr => {
            sheet.instructions_fr = vec![
                "Ébavurer toutes les arêtes, casser les angles 0,2 × 45° sauf indication du plan"
                    .into(),
                "Marquer la pièce (référence, lot) si le plan ou le client le demande".into(),
            ];
            if templates::has(active, "decolletage") {
                sheet
                    .instructions_fr
                    .push("Lavage / dégraissage (huile de coupe) puis séchage".into());
            }
            sheet
                .safety_fr
                .push("Gants anti-coupure et lunettes".into());
        }
        Kind::Treatment(t) => {
            if t.in_house {
                sheet.instructions_fr = vec![
                    format!("{} en interne selon la spécification du plan", t.label_fr),
                    "Contrôle après traitement : aspect, épaisseur / dureté selon la spécification"
                        .into(),
                ];
                sheet.missing_fr.push(
                    "Spécification du traitement (norme, épaisseur, couleur) à renseigner".into(),
                );
                sheet.safety_fr = vec![
                    "Bains et produits : EPI (gants, lunettes, tablier), fiches de données de sécurité au poste"
                        .into(),
                ];
            } else {
                sheet.instructions_fr = vec![
                    format!(
                        "Envoyer les pièces chez {} avec le bon de commande, le plan et la spécification",
                        t.supplier.clone().unwrap_or_else(|| "le sous-traitant".into())
                    ),
                    "Au retour : contrôle de réception (quantité, aspect, certificat du traitement)"
                        .into(),
                ];
                if t.supplier.is_none() {
                    sheet.missing_fr.push("Sous-traitant à choisir".into());
                }
                sheet.missing_fr.extend([
                    "N° de bon de commande sous-traitant à renseigner".to_string(),
                    "Date d'envoi à renseigner".to_string(),
                    "Date de retour prévue à renseigner".to_string(),
                    "Spécification du traitement (norme, épaisseur / dureté, couleur) à renseigner"
                        .to_string(),
                ]);
                sheet.safety_fr = vec![
                    "Pièces propres, sèches, protégées individuellement pour le transport ; gants propres (pas de traces avant traitement)"
                        .into(),
                ];
                subcontract = Some(SubcontractDraft {
                    treatment_code: t.code.clone(),
                    treatment_fr: t.label_fr.clone(),
                    supplier: t.supplier.clone(),
                    purchase_order: None,
                    send_date: None,
                    return_date: None,
                });
            }
            if critical {
                documents.push("Certificat de traitement du sous-traitant / procès-verbal".into());
            }
        }
        Kind::Control => {
            let all: Vec<&Feature> = spec.features.iter().collect();
            points = sheets::feature_points(spec, &all, critical);
            points.extend(sheets::general_points(spec, critical));
            sheet.instructions_fr.push(if critical {
                "Pièce critique : 100 % des pièces, toutes les caractéristiques, relevées sur la fiche de contrôle / sécurité"
                    .into()
            } else {
                "Contrôler selon les fréquences du plan de contrôle ; 1re pièce complète".into()
            });
            if let Some(m) = p.machine {
                sheet.setup_fr.push(format!(
                    "MMT {} : programme de mesure, pièce à 20 ± 1 °C",
                    m.code
                ));
            }
            if critical {
                documents.push("Fiche de contrôle / sécurité (pièce critique, 100 %)".into());
                documents.push("Rapport de premier article (FAI)".into());
                documents.push("Certificat matière EN 10204 3.1 (n° de coulée)".into());
                sheet
                    .missing_fr
                    .push("N° de coulée et certificat 3.1 à rattacher au lot".into());
                sheet
                    .safety_fr
                    .push("Poste propre, pièces protégées (prévention des corps étrangers)".into());
            }
            if input.control_sheet_required {
                documents.push("Fiche de contrôle client (relevé de cotes)".into());
            }
        }
        Kind::Pack => {
            sheet.instructions_fr = vec![
                "Emballer les pièces propres et protégées (portées et filetages protégés)".into(),
                "Étiqueter : référence, quantité, n° d'OF / de lot".into(),
            ];
            documents.push("Bon de livraison".into());
            if critical || input.control_sheet_required {
                documents.push("Certificat de conformité".into());
            }
            if critical {
                documents.push("Copie des certificats matière 3.1 et de traitement".into());
            }
        }
    }
    if p.untimed {
        sheet
            .missing_fr
            .push("Temps à renseigner (non chiffré au devis)".into());
    }

    // Tools.
    let tools: Vec<ToolNeed> = built
        .tools
        .0
        .iter()
        .enumerate()
        .map(|(i, (kind, d, label))| {
            let m = sheets::match_tool(input.tools, *kind, *d);
            ToolNeed {
                position: format!("T{:02}", i + 1),
                kind: *kind,
                diameter: *d,
                label_fr: label.clone(),
                tool_id: m.map(|t| t.id),
                tool_code: m.map(|t| t.code.clone()),
                in_stock: m.is_some_and(|t| t.quantity > 0),
                available_qty: m.map(|t| t.quantity).unwrap_or(0),
            }
        })
        .collect();
    for t in &tools {
        if !t.in_stock {
            sheet.missing_fr.push(format!(
                "{} {} : {}",
                t.position,
                t.label_fr,
                if t.tool_id.is_some() {
                    "en rupture au magasin (à commander)"
                } else {
                    "absent du magasin (à acheter)"
                }
            ));
        }
    }
    if tools.iter().any(|t| t.kind == ToolKind::Tournage) {
        // Inserts are matched by kind only: the grade must suit the ISO group.
        sheet.missing_fr.push(format!(
            "Nuance des plaquettes à vérifier pour le groupe ISO {}",
            spec.material.iso_group.code()
        ));
    }

    // Instruments.
    let mut instruments = Vec::new();
    for pt in &points {
        if pt.instrument_type == "controle_visuel" {
            continue;
        }
        let m = sheets::match_instrument(input.instruments, pt);
        let ty = sheets::instrument_fr(&pt.instrument_type);
        match m {
            None => instrument_warnings.push(format!(
                "Instrument : aucun {ty} adapté à « {} » dans le parc d'instruments",
                pt.characteristic_fr
            )),
            Some(i) if !i.usable => instrument_warnings.push(format!(
                "Instrument : {} ({}) prévu pour « {} » n'est pas utilisable (étalonnage non valide) : ré-étalonner ou remplacer",
                i.code, i.name, pt.characteristic_fr
            )),
            _ => {}
        }
        if m.is_none_or(|i| !i.usable) && matches!(p.kind, Kind::Control) {
            sheet.missing_fr.push(format!(
                "Instrument à prévoir : {ty} pour « {} »",
                pt.characteristic_fr
            ));
        }
        instruments.push(InstrumentNeed {
            characteristic_fr: pt.characteristic_fr.clone(),
            instrument_type: pt.instrument_type.clone(),
            instrument_id: m.map(|i| i.id),
            instrument_code: m.map(|i| i.code.clone()),
            usable: m.is_some_and(|i| i.usable),
        });
    }

    let nc_program = nc.then(|| nc_program_name(input.drawing_ref, number));
    if let Some(n) = &nc_program {
        sheet
            .missing_fr
            .push(format!("Programme CN {n} à écrire et valider"));
    }
    let mut missing_fr = built.missing_fr;
    missing_fr.append(&mut sheet.missing_fr);
    if nc {
        sheet.setup_fr = built.setup_fr;
        sheet.zero_point_fr = built.zero_point_fr;
        sheet.cam_steps = built.steps;
    }
    if sheet.zero_point_fr.is_empty() {
        sheet.zero_point_fr = "sans objet".into();
    }
    sheet.tools = tools.clone();
    sheet.inspection_points = points;
    sheet.missing_fr = missing_fr;
    let quantity = if matches!(p.kind, Kind::Pack) {
        input.quantity
    } else {
        launched
    };
    RoutingOperation {
        number,
        process: p.process,
        label_fr: p.label_fr.clone(),
        description_fr: p.description_fr.clone(),
        work_centre: p.work_centre.clone(),
        skills: skills(p, spec),
        quantity,
        tools,
        instruments,
        nc_program,
        setup_min: p.setup_min,
        run_min_per_part: p.run_min,
        subcontract,
        documents_fr: documents,
        outside_activities: false,
        origin_fr: p.origin_fr.clone(),
        method_sheet: sheet,
    }
}
