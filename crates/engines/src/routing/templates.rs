//! Industry templates: per activity checked in the setup wizard, the processes and work
//! centres it brings and its default extra operations. The table is documented in
//! docs/routing-engine.md §3.

use crate::estimate::ProcessKind;

/// One activity of the setup wizard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActivityTemplate {
    pub code: &'static str,
    pub label_fr: &'static str,
    /// Processes the activity can generate.
    pub processes: &'static [ProcessKind],
    /// Manual work centres (activity codes) it brings.
    pub work_centres: &'static [&'static str],
    /// Default extra rules, in words (applied in `super::generate`).
    pub extras_fr: &'static [&'static str],
}

use ProcessKind::*;

/// Processes every shop has, whatever its activities: deburring, subcontracted treatments,
/// control and packaging.
pub const UNIVERSAL: &[ProcessKind] = &[Ebavurage, TraitementSousTraite, Controle, Emballage];

/// The activity table (setup-wizard codes).
pub const TEMPLATES: &[ActivityTemplate] = &[
    ActivityTemplate {
        code: "usinage",
        label_fr: "Usinage",
        processes: &[Debit, Tournage, Fraisage, PercageTaraudage],
        work_centres: &["sciage", "ebavurage", "controle", "emballage"],
        extras_fr: &["débit à la scie puis tournage / fraisage (gamme type)"],
    },
    ActivityTemplate {
        code: "decolletage",
        label_fr: "Décolletage",
        processes: &[Tournage, PercageTaraudage],
        work_centres: &["ebavurage", "lavage", "controle", "emballage"],
        extras_fr: &[
            "tour en barre (embarreur) : pas d'opération de sciage",
            "lavage / dégraissage ajouté à l'ébavurage (huile de coupe)",
        ],
    },
    ActivityTemplate {
        code: "tolerie",
        label_fr: "Tôlerie",
        processes: &[Debit, Pliage, PercageTaraudage],
        work_centres: &["decoupe", "ebavurage", "controle", "emballage"],
        extras_fr: &["pièce de tôle : débit par découpe laser / cisaille au lieu de la scie"],
    },
    ActivityTemplate {
        code: "soudure",
        label_fr: "Soudure",
        processes: &[Soudure],
        work_centres: &["soudure", "controle"],
        extras_fr: &["contrôle des soudures (visuel) juste après la soudure"],
    },
    ActivityTemplate {
        code: "chaudronnerie",
        label_fr: "Chaudronnerie",
        processes: &[Debit, Pliage, Soudure, PercageTaraudage],
        work_centres: &["decoupe", "soudure", "ebavurage", "controle", "emballage"],
        extras_fr: &["contrôle des soudures (visuel) juste après la soudure"],
    },
    ActivityTemplate {
        code: "rectification",
        label_fr: "Rectification",
        processes: &[Rectification],
        work_centres: &["controle"],
        extras_fr: &["rectification après le traitement thermique (trempe, cémentation…)"],
    },
    ActivityTemplate {
        code: "electroerosion",
        label_fr: "Électroérosion",
        processes: &[],
        work_centres: &["electroerosion"],
        extras_fr: &["aucune opération générée automatiquement (le devis ne chiffre pas l'EDM)"],
    },
    ActivityTemplate {
        code: "plasturgie",
        label_fr: "Plasturgie",
        processes: &[],
        work_centres: &["ebavurage", "controle", "emballage"],
        extras_fr: &["aucune opération d'usinage : ébavurage, contrôle, emballage"],
    },
    ActivityTemplate {
        code: "traitement_surface",
        label_fr: "Traitement de surface",
        processes: &[TraitementSousTraite],
        work_centres: &["traitement_surface"],
        extras_fr: &["traitements de surface faits en interne (pas de sous-traitance)"],
    },
    ActivityTemplate {
        code: "assemblage",
        label_fr: "Assemblage",
        processes: &[],
        work_centres: &["montage", "controle", "emballage"],
        extras_fr: &["poste de montage disponible (opération ajoutée par méthodes)"],
    },
    ActivityTemplate {
        code: "impression_3d",
        label_fr: "Impression 3D",
        processes: &[],
        work_centres: &["impression_3d", "ebavurage", "controle", "emballage"],
        extras_fr: &["aucune opération générée automatiquement"],
    },
];

pub fn template(code: &str) -> Option<&'static ActivityTemplate> {
    TEMPLATES.iter().find(|t| t.code == code)
}

/// The activities in effect: the given known codes (deduplicated, in table order), or
/// `usinage` when none is given. Unknown codes are returned separately.
pub fn effective(activities: &[String]) -> (Vec<&'static ActivityTemplate>, Vec<String>) {
    let mut unknown = Vec::new();
    for a in activities {
        if template(a.trim()).is_none() && !unknown.contains(a) {
            unknown.push(a.clone());
        }
    }
    let mut out: Vec<&'static ActivityTemplate> = TEMPLATES
        .iter()
        .filter(|t| activities.iter().any(|a| a.trim() == t.code))
        .collect();
    if out.is_empty() {
        out.push(&TEMPLATES[0]);
    }
    (out, unknown)
}

pub fn has(active: &[&ActivityTemplate], code: &str) -> bool {
    active.iter().any(|t| t.code == code)
}

/// Whether the active activities allow a process.
pub fn allows(active: &[&ActivityTemplate], process: ProcessKind) -> bool {
    UNIVERSAL.contains(&process) || active.iter().any(|t| t.processes.contains(&process))
}

/// Heat treatments that harden the part: a grinding operation comes after them, and they are
/// never done by the in-house surface-treatment activity.
pub fn is_hardening(code: &str) -> bool {
    let c = code.to_lowercase();
    [
        "trempe",
        "cementation",
        "cémentation",
        "carbonitruration",
        "induction",
        "traitement_thermique",
        "chromage_dur",
        "tth",
    ]
    .iter()
    .any(|k| c.contains(k))
}

/// Heat treatments in general (hardening, tempering, annealing, nitriding…): never done by the
/// in-house surface-treatment activity. Hard chrome is plating (surface), ground afterwards.
pub fn is_heat_treatment(code: &str) -> bool {
    let c = code.to_lowercase();
    (is_hardening(&c) && !c.contains("chromage"))
        || ["revenu", "recuit", "nitruration", "detente", "détente"]
            .iter()
            .any(|k| c.contains(k))
}
