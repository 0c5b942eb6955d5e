//! From what was read on a drawing to the estimate engine's [`PartSpec`]. Pure: the quote
//! service calls it after analysis and again after every correction made by a person.
//!
//! A drawing does not say everything the estimate needs (which diameter is a bore, how long
//! each turned section is). Every such assumption is returned in [`SpecDraft::assumptions`]
//! so the review screen shows it; a missing value the estimate cannot do without (envelope,
//! material) is returned as a [`Missing`] field instead of being guessed.

use crate::model::{DrawingAnalysis, ShapeClass as DShape, Tolerance as DTol};
use usinage_engines::estimate::{
    Envelope, Feature, Material, PartSpec, ShapeClass, Tolerance, Treatment,
};

/// A field the person must fill in before the line can be estimated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Missing {
    pub field: &'static str,
    pub message_fr: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpecDraft {
    pub spec: Option<PartSpec>,
    pub missing: Vec<Missing>,
    /// Hypotheses made to fill the spec, in French, shown beside the estimate.
    pub assumptions: Vec<String>,
}

/// Engine tolerance from a drawing tolerance: a fit gives its IT grade, anything else its
/// half-width.
pub fn tolerance(t: &DTol) -> Option<Tolerance> {
    match t {
        DTol::Fit { class, .. } => {
            let digits: String = class.chars().filter(char::is_ascii_digit).collect();
            digits.parse().ok().map(|grade| Tolerance::It { grade })
        }
        DTol::Symmetric { plus_minus } => Some(Tolerance::PlusMinus { value: *plus_minus }),
        DTol::Deviations { upper, lower } => Some(Tolerance::PlusMinus {
            value: (upper - lower).abs() / 2.0,
        }),
        DTol::Limits { max, min } => Some(Tolerance::PlusMinus {
            value: (max - min).abs() / 2.0,
        }),
    }
}

/// Width of the tolerance band in mm, to compare tolerances of different kinds (`It` needs the
/// nominal size).
fn band(t: &Tolerance, nominal: f64) -> f64 {
    match *t {
        Tolerance::PlusMinus { value } => 2.0 * value,
        Tolerance::It { grade } => crate::analysis::fits::it(nominal, grade).unwrap_or(f64::MAX),
    }
}

fn is_bore(t: Option<&DTol>) -> bool {
    matches!(t, Some(DTol::Fit { class, .. }) if class.starts_with(|c: char| c.is_ascii_uppercase()))
}

fn shape(a: &DrawingAnalysis) -> ShapeClass {
    match a.shape_class.as_ref().map(|f| f.value) {
        Some(DShape::Turned) => ShapeClass::Turned,
        Some(DShape::Prismatic) => ShapeClass::Prismatic,
        Some(DShape::SheetMetal) => ShapeClass::SheetBent,
        Some(DShape::Welded) => ShapeClass::Welded,
        None => ShapeClass::Unknown,
    }
}

fn envelope(a: &DrawingAnalysis, shape: ShapeClass) -> Option<Envelope> {
    let e = &a.envelope.as_ref()?.value;
    let pos = |v: Option<f64>| v.filter(|x| x.is_finite() && *x > 0.0);
    match (shape, pos(e.diameter), pos(e.length)) {
        (ShapeClass::Turned, Some(diameter), Some(length)) => {
            Some(Envelope::Round { diameter, length })
        }
        _ => Some(Envelope::Block {
            length: pos(e.length)?,
            width: pos(e.width)?,
            height: pos(e.height)?,
        }),
    }
}

/// Builds the part spec from an analysis. `material` is the grade matched in the shop's
/// materials table (the analysis only knows its code); `quantities` the requested breaks, the
/// quantity written on the drawing when empty.
pub fn part_spec(a: &DrawingAnalysis, material: Option<Material>, quantities: &[u32]) -> SpecDraft {
    let mut missing = Vec::new();
    let mut assumptions = Vec::new();
    let shape = shape(a);
    if shape == ShapeClass::Unknown {
        assumptions
            .push("Forme de pièce non reconnue : à préciser (tournée, prismatique…).".into());
    }
    let env = envelope(a, shape);
    if env.is_none() {
        missing.push(Missing {
            field: "envelope",
            message_fr: "Encombrement de la pièce non lu sur le plan : indiquez ses dimensions."
                .into(),
        });
    }
    if material.is_none() {
        missing.push(Missing {
            field: "grade_id",
            message_fr: "Matière non reconnue : choisissez la nuance dans la liste des matières."
                .into(),
        });
    }
    let mut quantities: Vec<u32> = quantities.iter().copied().filter(|q| *q > 0).collect();
    if quantities.is_empty() {
        match a.quantity.as_ref().map(|q| q.value).filter(|q| *q > 0) {
            Some(q) => quantities.push(q),
            None => missing.push(Missing {
                field: "quantities",
                message_fr: "Aucune quantité demandée : indiquez au moins une quantité.".into(),
            }),
        }
    }
    quantities.sort_unstable();
    quantities.dedup();

    let best_ra = a
        .roughness
        .iter()
        .map(|r| r.value.value_um)
        .filter(|v| *v > 0.0)
        .min_by(f64::total_cmp);
    let mut features = Vec::new();
    let mut tightest: Option<(f64, Tolerance)> = None;
    let mut seen: Vec<(bool, i64)> = Vec::new();
    for d in &a.dimensions {
        let d = &d.value;
        let tol = d.tolerance.as_ref().and_then(tolerance);
        if let Some(t) = tol {
            let w = band(&t, d.nominal);
            if tightest.as_ref().is_none_or(|(bw, _)| w < *bw) {
                tightest = Some((w, t));
            }
        }
        if !d.diameter || d.nominal <= 0.0 {
            continue;
        }
        let Some(Envelope::Round { diameter, length }) = env else {
            continue;
        };
        let bore = is_bore(d.tolerance.as_ref());
        let key = (bore, (d.nominal * 100.0).round() as i64);
        if seen.contains(&key) || (!bore && d.nominal > diameter) {
            continue;
        }
        seen.push(key);
        if bore {
            features.push(Feature::Bore {
                diameter: d.nominal,
                depth: length / 2.0,
                tolerance: tol,
                ra: None,
            });
            assumptions.push(format!(
                "Alésage Ø{} (ajustement {}) : profondeur supposée {} mm (moitié de la longueur).",
                d.nominal,
                d.tolerance
                    .as_ref()
                    .map(|t| match t {
                        DTol::Fit { class, .. } => class.clone(),
                        _ => String::new(),
                    })
                    .unwrap_or_default(),
                length / 2.0
            ));
        } else if (d.nominal - diameter).abs() > 1e-6 || tol.is_some() {
            features.push(Feature::ExternalTurning {
                diameter: d.nominal,
                length: length / 2.0,
                tolerance: tol,
                ra: None,
            });
            assumptions.push(format!(
                "Diamètre Ø{} : longueur tournée supposée {} mm (moitié de la longueur).",
                d.nominal,
                length / 2.0
            ));
        }
    }
    // The best roughness goes to the feature carrying the tightest tolerance (usually the
    // functional surface); a part with no such feature gets a surface of its envelope face.
    if let Some(ra) = best_ra {
        let slot = features.iter_mut().find_map(|f| match f {
            Feature::ExternalTurning { tolerance, ra, .. }
            | Feature::Bore { tolerance, ra, .. }
                if tolerance.is_some() =>
            {
                Some(ra)
            }
            _ => None,
        });
        match slot {
            Some(r) => *r = Some(ra),
            None => {
                if let Some(Envelope::Block { length, width, .. }) = env {
                    features.push(Feature::Surface {
                        area_mm2: length * width,
                        ra,
                    });
                    assumptions.push(format!(
                        "Ra {ra} µm appliqué à une face de {length} × {width} mm."
                    ));
                }
            }
        }
    }
    for t in &a.threads {
        let t = &t.value;
        let Some(nominal) = t.nominal_mm.filter(|n| *n > 0.0) else {
            continue;
        };
        let external = matches!(env, Some(Envelope::Round { diameter, .. }) if (nominal - diameter).abs() < 0.5);
        features.push(Feature::Threads {
            count: 1,
            designation: t.designation.clone(),
            depth: 1.5 * nominal,
            external,
        });
        assumptions.push(format!(
            "Filetage {} : longueur supposée 1,5 × Ø = {} mm.",
            t.designation,
            1.5 * nominal
        ));
    }
    let mut treatments = Vec::new();
    for f in [&a.heat_treatment, &a.surface_treatment]
        .into_iter()
        .flatten()
    {
        let label = f.value.trim();
        if !label.is_empty() {
            treatments.push(Treatment {
                code: treatment_code(label),
                label_fr: label.to_string(),
            });
        }
    }
    let spec = match (env, material) {
        (Some(envelope), Some(material)) if missing.is_empty() => Some(PartSpec {
            shape,
            envelope,
            material,
            features,
            tightest_tolerance: tightest.map(|(_, t)| t),
            general_tolerance_class: a.general_tolerance.as_ref().and_then(|g| g.value.linear),
            gdt_count: a.gdt.len() as u32,
            treatments,
            critical: !a.critical_markers.is_empty(),
            allow_certified: true,
            net_mass_kg: None,
            setups: None,
            quantities,
        }),
        _ => None,
    };
    SpecDraft {
        spec,
        missing,
        assumptions,
    }
}

/// Code of a treatment from its wording on the drawing (the subcontract price list is keyed by
/// these codes).
pub fn treatment_code(label: &str) -> String {
    let l = label.to_lowercase();
    // First match wins: specific wordings before generic ones ("case hardening" is a
    // cementation, not a quench; "recuit de détente" is a stress relief).
    const CODES: &[(&str, &str)] = &[
        ("anodis", "anodisation"),
        ("anodiz", "anodisation"),
        ("oxydation anodique", "anodisation"),
        ("oxydation noire", "brunissage"),
        ("black oxide", "brunissage"),
        ("noirc", "brunissage"),
        ("brun", "brunissage"),
        ("zing", "zingage"),
        ("zinc", "zingage"),
        ("passiv", "passivation"),
        ("peint", "peinture"),
        ("paint", "peinture"),
        ("powder", "peinture"),
        ("nitrur", "nitruration"),
        ("nitrid", "nitruration"),
        ("cément", "cementation"),
        ("cement", "cementation"),
        ("case harden", "cementation"),
        ("carburi", "cementation"),
        ("détente", "detensionnement"),
        ("detente", "detensionnement"),
        ("stress reliev", "detensionnement"),
        ("revenu", "trempe_revenu"),
        ("tremp", "trempe_revenu"),
        ("quench", "trempe_revenu"),
        ("temper", "trempe_revenu"),
        ("harden", "trempe_revenu"),
        ("chrom", "chromage"),
        ("nickel", "nickelage"),
        ("phosphat", "phosphatation"),
    ];
    CODES
        .iter()
        .find(|(k, _)| l.contains(k))
        .map(|(_, c)| (*c).to_string())
        .unwrap_or_else(|| "autre".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        BBox, Dimension, Envelope as DEnv, FileKind, Found, GeneralTolerance, Roughness, Thread,
    };
    use usinage_engines::estimate::IsoGroup;

    fn found<T>(value: T) -> Found<T> {
        Found {
            value,
            confidence: 0.9,
            page: 1,
            bbox: BBox::default(),
        }
    }

    fn dim(nominal: f64, tol: Option<DTol>) -> Found<Dimension> {
        found(Dimension {
            text: format!("Ø{nominal}"),
            nominal,
            diameter: true,
            radius: false,
            tolerance: tol,
            min: None,
            max: None,
        })
    }

    fn steel() -> Material {
        Material {
            grade_id: 3,
            label: "42CrMo4".into(),
            iso_group: IsoGroup::P,
            density: 7.85,
        }
    }

    fn shaft() -> DrawingAnalysis {
        let mut a = DrawingAnalysis::empty(FileKind::Pdf);
        a.shape_class = Some(found(DShape::Turned));
        a.envelope = Some(found(DEnv {
            diameter: Some(45.0),
            length: Some(120.0),
            width: None,
            height: None,
        }));
        a.dimensions = vec![
            dim(45.0, None),
            dim(
                30.0,
                Some(DTol::Fit {
                    class: "h6".into(),
                    upper: Some(0.0),
                    lower: Some(-0.013),
                }),
            ),
            dim(
                20.0,
                Some(DTol::Fit {
                    class: "H7".into(),
                    upper: Some(0.021),
                    lower: Some(0.0),
                }),
            ),
            dim(30.0, None),
        ];
        a.roughness = vec![
            found(Roughness {
                parameter: "Ra".into(),
                value_um: 3.2,
            }),
            found(Roughness {
                parameter: "Ra".into(),
                value_um: 0.8,
            }),
        ];
        a.threads = vec![found(Thread {
            designation: "M10x1,25".into(),
            nominal_mm: Some(10.0),
            pitch_mm: Some(1.25),
        })];
        a.general_tolerance = Some(found(GeneralTolerance {
            linear: Some('m'),
            geometric: Some('K'),
            envelope: false,
        }));
        a.surface_treatment = Some(found("Zingage blanc".into()));
        a.quantity = Some(found(25));
        a
    }

    #[test]
    fn turned_shaft_becomes_a_complete_spec() {
        let d = part_spec(&shaft(), Some(steel()), &[]);
        assert!(d.missing.is_empty(), "{:?}", d.missing);
        let s = d.spec.expect("spec");
        assert_eq!(s.shape, ShapeClass::Turned);
        assert_eq!(
            s.envelope,
            Envelope::Round {
                diameter: 45.0,
                length: 120.0
            }
        );
        assert_eq!(s.quantities, vec![25]);
        assert_eq!(s.general_tolerance_class, Some('m'));
        // Ø30 h6 is IT6, band 13 µm; Ø20 H7 is IT7, band 21 µm: the tightest is IT6.
        assert_eq!(s.tightest_tolerance, Some(Tolerance::It { grade: 6 }));
        // Ø45 is the bar itself (no feature); Ø30 once (the untoleranced repeat is dropped);
        // Ø20 H7 is a bore; the thread is internal (M10 on a Ø45 part).
        assert_eq!(s.features.len(), 3, "{:?}", s.features);
        assert!(matches!(
            s.features[0],
            Feature::ExternalTurning { diameter, tolerance: Some(Tolerance::It { grade: 6 }), ra: Some(ra), .. }
                if diameter == 30.0 && ra == 0.8
        ));
        assert!(matches!(s.features[1], Feature::Bore { diameter, .. } if diameter == 20.0));
        assert!(matches!(
            s.features[2],
            Feature::Threads { external: false, depth, .. } if depth == 15.0
        ));
        assert_eq!(s.treatments[0].code, "zingage");
        assert!(!s.critical);
        assert_eq!(d.assumptions.len(), 3, "{:?}", d.assumptions);
    }

    #[test]
    fn requested_quantities_win_over_the_drawing_and_are_sorted() {
        let d = part_spec(&shaft(), Some(steel()), &[50, 10, 0, 10, 1]);
        assert_eq!(d.spec.unwrap().quantities, vec![1, 10, 50]);
    }

    #[test]
    fn missing_material_and_envelope_are_asked_not_guessed() {
        let mut a = shaft();
        a.envelope = None;
        a.quantity = None;
        let d = part_spec(&a, None, &[]);
        assert!(d.spec.is_none());
        let fields: Vec<_> = d.missing.iter().map(|m| m.field).collect();
        assert_eq!(fields, vec!["envelope", "grade_id", "quantities"]);
    }

    #[test]
    fn prismatic_part_puts_its_roughness_on_a_face() {
        let mut a = DrawingAnalysis::empty(FileKind::Pdf);
        a.shape_class = Some(found(DShape::Prismatic));
        a.envelope = Some(found(DEnv {
            diameter: None,
            length: Some(80.0),
            width: Some(50.0),
            height: Some(20.0),
        }));
        a.roughness = vec![found(Roughness {
            parameter: "Ra".into(),
            value_um: 1.6,
        })];
        a.dimensions = vec![found(Dimension {
            text: "50 ±0,02".into(),
            nominal: 50.0,
            diameter: false,
            radius: false,
            tolerance: Some(DTol::Symmetric { plus_minus: 0.02 }),
            min: None,
            max: None,
        })];
        a.critical_markers = vec![found("PIÈCE CRITIQUE".into())];
        let s = part_spec(&a, Some(steel()), &[10]).spec.unwrap();
        assert_eq!(
            s.envelope,
            Envelope::Block {
                length: 80.0,
                width: 50.0,
                height: 20.0
            }
        );
        assert_eq!(
            s.tightest_tolerance,
            Some(Tolerance::PlusMinus { value: 0.02 })
        );
        assert!(
            matches!(s.features[..], [Feature::Surface { area_mm2, ra }] if area_mm2 == 4000.0 && ra == 1.6)
        );
        assert!(s.critical);
    }

    #[test]
    fn tolerances_convert() {
        let Some(Tolerance::PlusMinus { value }) = tolerance(&DTol::Deviations {
            upper: 0.05,
            lower: -0.01,
        }) else {
            panic!("deviations give a ± band");
        };
        assert!((value - 0.03).abs() < 1e-12);
        assert_eq!(
            tolerance(&DTol::Fit {
                class: "g6".into(),
                upper: None,
                lower: None
            }),
            Some(Tolerance::It { grade: 6 })
        );
        assert_eq!(treatment_code("Anodisation dure noire"), "anodisation");
        assert_eq!(treatment_code("Cémentation 0,6 mm"), "cementation");
        assert_eq!(treatment_code("Sablage"), "autre");
        assert_eq!(treatment_code("Case hardening 58 HRC"), "cementation");
        assert_eq!(
            treatment_code("Quench and temper 30-35 HRC"),
            "trempe_revenu"
        );
        assert_eq!(treatment_code("Recuit de détente"), "detensionnement");
        assert_eq!(treatment_code("Black oxide"), "brunissage");
        assert_eq!(treatment_code("Zinc plating"), "zingage");
        assert_eq!(treatment_code("Chromage dur"), "chromage");
    }
}
