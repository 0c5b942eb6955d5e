//! Why a machine cannot do an operation. Reuses the estimate engine's capability rules
//! ([`estimate::lathe_check`], [`estimate::mill_check`], [`estimate::saw_check`],
//! [`estimate::bend_check`], [`estimate::lathe_holding`]) so that the routing and the quote
//! never disagree.

use crate::estimate::{
    self, Envelope, Feature, Machine, MachineKind, PartSpec, ProcessKind, RawStock, Section,
    ShapeClass, fmt_mm, raw_stock,
};

/// French name of a machine kind (for messages).
pub fn kind_fr(k: MachineKind) -> &'static str {
    match k {
        MachineKind::Scie => "scie",
        MachineKind::Tour => "tour",
        MachineKind::TourFraiseur => "tour à outils tournants",
        MachineKind::Fraiseuse3Axes => "fraiseuse 3 axes",
        MachineKind::Fraiseuse4Axes => "fraiseuse 4 axes",
        MachineKind::Fraiseuse5Axes => "fraiseuse 5 axes",
        MachineKind::Soudure => "poste de soudure",
        MachineKind::Plieuse => "presse plieuse",
        MachineKind::Rectifieuse => "rectifieuse",
        MachineKind::Electroerosion => "machine d'électroérosion",
        MachineKind::Mmt => "MMT",
        MachineKind::Autre => "machine",
    }
}

fn required_fr(p: ProcessKind) -> &'static str {
    match p {
        ProcessKind::Debit => "une scie",
        ProcessKind::Tournage => "un tour",
        ProcessKind::Fraisage => {
            "une fraiseuse (ou un tour à outils tournants pour une pièce tournée)"
        }
        ProcessKind::PercageTaraudage => "une fraiseuse (ou un tour pour une pièce tournée)",
        ProcessKind::Soudure => "un poste de soudure",
        ProcessKind::Pliage => "une presse plieuse",
        ProcessKind::Rectification => "une rectifieuse",
        ProcessKind::Controle => "une MMT (sinon contrôle manuel)",
        ProcessKind::Ebavurage | ProcessKind::Emballage | ProcessKind::TraitementSousTraite => {
            "aucune machine"
        }
    }
}

/// Same rule as the estimate: a turned part has the turned shape or an external diameter.
pub fn is_turned(spec: &PartSpec) -> bool {
    spec.shape == ShapeClass::Turned
        || spec
            .features
            .iter()
            .any(|f| matches!(f, Feature::ExternalTurning { .. }))
}

pub fn needs_5_axes(spec: &PartSpec) -> bool {
    spec.features
        .iter()
        .any(|f| matches!(f, Feature::Freeform5Axis { .. }))
}

fn part_length(spec: &PartSpec) -> f64 {
    match spec.envelope {
        Envelope::Round { length, .. } | Envelope::Block { length, .. } => length,
    }
}

/// Section sawn for the part: the raw stock's, else the standard section the estimate buys.
fn saw_section(spec: &PartSpec, raw: Option<&RawStock>) -> Option<Section> {
    raw.map(|r| r.section)
        .or_else(|| raw_stock::need(spec).map(|n| raw_stock::buy_section(&n.section)))
}

/// Why `machine` cannot do `process` on this part (French, each reason prefixed by the machine
/// code): wrong kind, bar or chuck capacity, travels, bar feeding, availability. `Ok(())` when
/// it can.
pub fn check_machine(
    process: ProcessKind,
    machine: &Machine,
    spec: &PartSpec,
    raw: Option<&RawStock>,
) -> Result<(), Vec<String>> {
    let code = &machine.code;
    let wrong_kind = || {
        vec![format!(
            "{code} ({}) ne peut pas faire l'opération « {} » : il faut {}",
            kind_fr(machine.kind),
            process.label_fr().to_lowercase(),
            required_fr(process)
        )]
    };
    let turned = is_turned(spec);
    let stock_d = || estimate::turning_stock_diameter(spec, raw.map(|r| r.section));
    let result: Result<Vec<String>, Vec<String>> = match process {
        ProcessKind::Debit => match saw_section(spec, raw) {
            Some(sec) => estimate::saw_check(machine, sec),
            None if machine.kind == MachineKind::Scie => Ok(vec![]),
            None => Err(vec![]),
        },
        ProcessKind::Tournage => {
            let d = stock_d();
            estimate::lathe_check(machine, d, part_length(spec), false, false).and_then(|ok| {
                // The routing feeds the bar: the lathe must take it through its bar feeder.
                if raw.is_some_and(|r| r.bar_fed)
                    && estimate::lathe_holding(machine, d) != Some(true)
                {
                    let why = if d > machine.max_bar_diameter.unwrap_or(0.0) + 1e-9 {
                        format!(
                            "barre Ø{} > capacité barre Ø{}",
                            fmt_mm(d),
                            fmt_mm(machine.max_bar_diameter.unwrap_or(0.0))
                        )
                    } else {
                        "pas d'embarreur".to_string()
                    };
                    Err(vec![format!(
                        "la gamme prévoit la barre en embarreur : {why} (il faudrait ajouter un débit)"
                    )])
                } else {
                    Ok(ok)
                }
            })
        }
        ProcessKind::Fraisage => {
            if machine.kind == MachineKind::TourFraiseur && turned && !needs_5_axes(spec) {
                estimate::lathe_check(machine, stock_d(), part_length(spec), true, false)
            } else {
                let axes = if needs_5_axes(spec) { 5 } else { 3 };
                estimate::mill_check(machine, spec, axes)
            }
        }
        ProcessKind::PercageTaraudage => {
            if machine.kind.is_lathe() && turned {
                estimate::lathe_check(machine, stock_d(), part_length(spec), false, false)
            } else {
                estimate::mill_check(machine, spec, 3)
            }
        }
        ProcessKind::Soudure => {
            if machine.kind == MachineKind::Soudure {
                Ok(vec![])
            } else {
                Err(vec![])
            }
        }
        ProcessKind::Pliage => {
            estimate::bend_check(machine, estimate::sorted_dims(&spec.envelope)[0])
        }
        ProcessKind::Rectification => {
            if machine.kind == MachineKind::Rectifieuse {
                Ok(vec![])
            } else {
                Err(vec![])
            }
        }
        ProcessKind::Controle => {
            if machine.kind == MachineKind::Mmt {
                Ok(vec![])
            } else {
                Err(vec![])
            }
        }
        ProcessKind::Ebavurage | ProcessKind::Emballage | ProcessKind::TraitementSousTraite => {
            return Err(vec![format!(
                "{code} : l'opération « {} » ne se fait pas sur une machine",
                process.label_fr().to_lowercase()
            )]);
        }
    };
    let mut bad = match result {
        Ok(_) => Vec::new(),
        Err(r) if r.is_empty() => wrong_kind(),
        Err(r) => r.into_iter().map(|x| format!("{code} : {x}")).collect(),
    };
    if !machine.available {
        bad.push(format!("{code} : machine indisponible"));
    }
    if bad.is_empty() { Ok(()) } else { Err(bad) }
}
