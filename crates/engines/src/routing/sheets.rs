//! Method-sheet content: tools with positions, CAM steps, fixturing, inspection points, and the
//! matching of tools and instruments against the shop's crib and instrument park.
//!
//! The tool choices follow the estimate's timing rules (`estimate::times`): a turned bore is
//! drilled Ø−0.3 (≤ Ø13) or Ø−2 (max Ø30) then bored; a tapped hole is drilled D − P then
//! tapped; a milled bore ≤ Ø20 is drilled Ø−0.2 then reamed when precise, larger bores are
//! drilled Ø16, interpolated with a Ø10 end mill and finish-bored when precise; pockets use the
//! standard end mill ≤ half the smaller side; faces a Ø50 face mill.

use super::model::*;
use crate::estimate::{
    Envelope, Feature, IsoGroup, PartSpec, RawStock, Tolerance, ToolKind, fmt_mm, formulas,
    times::{parse_thread, std_mill_diameter},
};

pub const FREQ_FULL: &str = "100 %";
pub const FREQ_SAMPLE: &str = "1re pièce + 1 pièce sur 10";
/// Length held in the chuck jaws for a sawn blank (mm).
pub const GRIP_MM: f64 = 15.0;
/// Vice opening above which a prismatic blank is clamped on the table (mm); a blank longer than
/// twice this needs two aligned vices or table clamping.
pub const VICE_MAX_MM: f64 = 150.0;

/// Tools collected in order of first use; the position is the index (T01…).
#[derive(Debug, Default)]
pub struct Tools(pub Vec<(ToolKind, f64, String)>);

impl Tools {
    /// Position of a tool, adding it when new. Tools with a Ø are the same tool when kind and Ø
    /// match; tools without a Ø (inserts) when the label matches.
    pub fn pos(&mut self, kind: ToolKind, d: f64, label: String) -> String {
        let found = self
            .0
            .iter()
            .position(|(k, x, l)| *k == kind && (x - d).abs() < 0.01 && (d > 0.0 || *l == label));
        let i = match found {
            Some(i) => i,
            None => {
                self.0.push((kind, d, label));
                self.0.len() - 1
            }
        };
        format!("T{:02}", i + 1)
    }
}

/// What a machine operation's sheet needs besides matching.
#[derive(Debug, Default)]
pub struct Built {
    pub tools: Tools,
    pub steps: Vec<String>,
    pub setup_fr: Vec<String>,
    pub zero_point_fr: String,
    pub missing_fr: Vec<String>,
}

impl Built {
    /// Renumbers the tools in the order of their first use in the steps (T01 = first tool of
    /// the cycle) and rewrites the positions quoted in the steps.
    pub fn renumber(&mut self) {
        let n = self.tools.0.len();
        let mut order: Vec<usize> = Vec::with_capacity(n);
        for s in &self.steps {
            for i in positions_in(s) {
                if i < n && !order.contains(&i) {
                    order.push(i);
                }
            }
        }
        for i in 0..n {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        // new index of old tool i
        let mut new_of = vec![0usize; n];
        for (new, old) in order.iter().enumerate() {
            new_of[*old] = new;
        }
        for s in &mut self.steps {
            let mut out = String::with_capacity(s.len());
            let mut rest = s.as_str();
            while let Some(at) = rest.find("(T") {
                out.push_str(&rest[..at]);
                let tail = &rest[at..];
                match parse_pos(tail) {
                    Some(i) if i < n => {
                        out.push_str(&format!("(T{:02})", new_of[i] + 1));
                        rest = &tail[5..];
                    }
                    _ => {
                        out.push_str("(T");
                        rest = &tail[2..];
                    }
                }
            }
            out.push_str(rest);
            *s = out;
        }
        let old = std::mem::take(&mut self.tools.0);
        self.tools.0 = order.iter().map(|i| old[*i].clone()).collect();
    }
}

/// "(T03)…" → Some(2).
fn parse_pos(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() >= 5
        && b[0] == b'('
        && b[1] == b'T'
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b[4] == b')'
    {
        let n = usize::from(b[2] - b'0') * 10 + usize::from(b[3] - b'0');
        n.checked_sub(1)
    } else {
        None
    }
}

fn positions_in(s: &str) -> Vec<usize> {
    s.match_indices("(T")
        .filter_map(|(i, _)| parse_pos(&s[i..]))
        .collect()
}

/// IT grade of a tolerance at a nominal size (± values converted like the estimate does).
pub fn tol_it(nominal: f64, t: Option<Tolerance>) -> Option<u8> {
    match t? {
        Tolerance::It { grade } => Some(grade),
        Tolerance::PlusMinus { value } => {
            Some(formulas::it_grade_for_width(nominal, 2000.0 * value))
        }
    }
}

/// " IT7", " ±0.02" or "".
pub fn tol_suffix(t: Option<Tolerance>) -> String {
    match t {
        Some(Tolerance::It { grade }) => format!(" IT{grade}"),
        Some(Tolerance::PlusMinus { value }) => format!(" ±{}", fmt_tol(value)),
        None => String::new(),
    }
}

fn fmt_tol(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn ra_suffix(ra: Option<f64>) -> String {
    ra.map(|r| format!(" Ra {r}")).unwrap_or_default()
}

pub fn part_length(spec: &PartSpec) -> f64 {
    match spec.envelope {
        Envelope::Round { length, .. } | Envelope::Block { length, .. } => length,
    }
}

/// Tap drill and label of an internal thread, `None` when the designation is unknown.
fn tap_drill(designation: &str) -> Option<(f64, f64)> {
    parse_thread(designation).map(|(d, p)| (d, ((d - p) * 100.0).round() / 100.0))
}

// ------------------------------------------------------------------------------------ lathe

/// Turning operation: fixturing, tools and CAM steps. `live` are milling features done with the
/// lathe's live tools; `grind` = some surface is left for grinding.
pub fn lathe(
    spec: &PartSpec,
    raw: Option<&RawStock>,
    bar_fed: bool,
    live: &[&Feature],
    grind: bool,
) -> Built {
    let mut b = Built::default();
    let len = part_length(spec);
    let stock = raw
        .map(|r| r.section.label())
        .unwrap_or_else(|| "brut".into());
    let rough_l = "Outil d'ébauche extérieur (dressage, ébauche)".to_string();
    let fin_l = "Outil de finition extérieur".to_string();
    let externals: Vec<(f64, f64, Option<Tolerance>, Option<f64>)> = spec
        .features
        .iter()
        .filter_map(|f| match f {
            Feature::ExternalTurning {
                diameter,
                length,
                tolerance,
                ra,
            } => Some((*diameter, *length, *tolerance, *ra)),
            _ => None,
        })
        .collect();
    let main_d = externals
        .iter()
        .map(|e| e.0)
        .fold(0.0f64, f64::max)
        .max(match spec.envelope {
            Envelope::Round { diameter, .. } => diameter,
            Envelope::Block { width, height, .. } => width.max(height),
        });

    // Fixturing.
    if bar_fed {
        b.setup_fr.push(format!(
            "Barre {stock} en embarreur, serrage en pince / mandrin de barre"
        ));
        b.setup_fr.push(format!(
            "Butée de barre : sortie {} mm (longueur pièce + tronçonnage + dégagement)",
            fmt_mm(len + 10.0)
        ));
        b.setup_fr
            .push("Récupérateur de pièces en fin de cycle (tronçonnage)".into());
    } else {
        let blank = raw.map(|r| r.blank_length).unwrap_or(len);
        b.setup_fr.push(format!(
            "Prise 1 : mandrin 3 mors durs sur le lopin {stock}×{}, serrage sur {} mm, sortie {} mm",
            fmt_mm(blank),
            fmt_mm(GRIP_MM),
            fmt_mm(blank - GRIP_MM)
        ));
        b.setup_fr.push(format!(
            "Prise 2 : retournement en mandrin 3 mors doux usinés au Ø{}, appui sur la face finie (référence longueur)",
            fmt_mm(main_d)
        ));
    }
    b.setup_fr.push(format!(
        "Références : axe de la portée Ø{} et face avant{}",
        fmt_mm(main_d),
        if spec.gdt_count > 0 {
            " — reporter les références du plan"
        } else {
            ""
        }
    ));
    if spec.gdt_count > 0 {
        b.missing_fr.push(format!(
            "Références (A, B, C) des {} tolérance(s) géométrique(s) à reporter sur la mise en position",
            spec.gdt_count
        ));
    }
    b.zero_point_fr = "X0 axe de broche, Z0 face avant finie (à confirmer)".into();

    // Prise 1 (or the whole cycle when bar-fed).
    let p = b.tools.pos(ToolKind::Tournage, 0.0, rough_l.clone());
    b.steps.push(if bar_fed {
        format!("Dressage face avant, 1 mm ({p})")
    } else {
        format!("Prise 1 — dressage face avant ({p})")
    });
    for (d, l, _, _) in &externals {
        let usable = if bar_fed { *l } else { l.min(len - GRIP_MM) };
        b.steps.push(format!(
            "Ébauche Ø{} sur {} mm, surépaisseur 0,5 mm au rayon ({p})",
            fmt_mm(*d),
            fmt_mm(usable)
        ));
    }
    if !externals.is_empty() {
        let pf = b.tools.pos(ToolKind::Tournage, 0.0, fin_l.clone());
        for (d, l, t, ra) in &externals {
            let usable = if bar_fed { *l } else { l.min(len - GRIP_MM) };
            b.steps.push(format!(
                "Finition Ø{}{}{} sur {} mm ({pf})",
                fmt_mm(*d),
                tol_suffix(*t),
                ra_suffix(*ra),
                fmt_mm(usable)
            ));
        }
    }
    let mut drills: Vec<String> = Vec::new();
    let mut finish: Vec<String> = Vec::new();
    let mut taps: Vec<String> = Vec::new();
    let mut off_axis = false;
    for f in &spec.features {
        match f {
            Feature::Threads {
                count,
                designation,
                depth,
                external: true,
            } => {
                let pt = b.tools.pos(
                    ToolKind::Tournage,
                    0.0,
                    format!("Outil à fileter extérieur ({designation})"),
                );
                b.steps.push(format!(
                    "Filetage {}{designation} sur {} mm ({pt})",
                    if *count > 1 {
                        format!("{count} × ")
                    } else {
                        String::new()
                    },
                    fmt_mm(*depth)
                ));
            }
            Feature::Surface { ra, .. } if *ra > 0.4 => {
                let pf = b.tools.pos(ToolKind::Tournage, 0.0, fin_l.clone());
                b.steps.push(format!(
                    "Finition de surface Ra {ra} (avance réduite) ({pf})"
                ));
            }
            _ => {}
        }
    }
    for f in &spec.features {
        match f {
            Feature::Bore {
                diameter,
                depth,
                tolerance,
                ra,
            } => {
                let pilot = if *diameter <= 13.0 {
                    (diameter - 0.3).max(1.0)
                } else {
                    (diameter - 2.0).min(30.0)
                };
                let pd = b.tools.pos(
                    ToolKind::Percage,
                    pilot,
                    format!(
                        "Foret Ø{} (avant-trou Ø{})",
                        fmt_mm(pilot),
                        fmt_mm(*diameter)
                    ),
                );
                drills.push(format!(
                    "Perçage Ø{} prof. {} ({pd})",
                    fmt_mm(pilot),
                    fmt_mm(*depth)
                ));
                let pb = b.tools.pos(
                    ToolKind::Alesage,
                    0.0,
                    format!(
                        "Outil à aléser (barre d'alésage, entrée mini Ø{})",
                        fmt_mm(pilot)
                    ),
                );
                finish.push(format!(
                    "Alésage Ø{}{}{} prof. {} : ébauche + finition ({pb})",
                    fmt_mm(*diameter),
                    tol_suffix(*tolerance),
                    ra_suffix(*ra),
                    fmt_mm(*depth)
                ));
            }
            Feature::Holes {
                count,
                diameter,
                depth,
            } => {
                off_axis |= *count > 1;
                let pd = b.tools.pos(
                    ToolKind::Percage,
                    *diameter,
                    format!("Foret Ø{}", fmt_mm(*diameter)),
                );
                drills.push(format!(
                    "Perçage {count} × Ø{} prof. {} ({pd})",
                    fmt_mm(*diameter),
                    fmt_mm(*depth)
                ));
            }
            Feature::Threads {
                count,
                designation,
                depth,
                external: false,
            } => {
                off_axis |= *count > 1;
                match tap_drill(designation) {
                    Some((d, drill)) => {
                        let pd = b.tools.pos(
                            ToolKind::Percage,
                            drill,
                            format!("Foret Ø{} (avant-trou {designation})", fmt_mm(drill)),
                        );
                        drills.push(format!(
                            "Perçage {}Ø{} prof. {} (avant-trou {designation}) ({pd})",
                            if *count > 1 {
                                format!("{count} × ")
                            } else {
                                String::new()
                            },
                            fmt_mm(drill),
                            fmt_mm(depth + 0.5 * d)
                        ));
                        let pt = b.tools.pos(
                            ToolKind::Taraudage,
                            d,
                            format!("Taraud {designation}"),
                        );
                        taps.push(format!(
                            "Taraudage {}{designation} prof. {} ({pt})",
                            if *count > 1 {
                                format!("{count} × ")
                            } else {
                                String::new()
                            },
                            fmt_mm(*depth)
                        ));
                    }
                    None => b.missing_fr.push(format!(
                        "Filetage « {designation} » non reconnu : diamètre, pas et outils à renseigner"
                    )),
                }
            }
            _ => {}
        }
    }
    b.steps.extend(drills);
    b.steps.extend(finish);
    b.steps.extend(taps);
    if off_axis {
        b.steps.push(
            "Perçages / taraudages hors axe : outils tournants et axe C (sinon reprise sur fraiseuse)"
                .into(),
        );
    }
    if !live.is_empty() {
        mill_features(&mut b, live, " (outils tournants)");
    }
    if grind {
        b.steps
            .push("Laisser la surépaisseur de rectification sur les portées Ra ≤ 0,4".into());
        b.missing_fr
            .push("Surépaisseur de rectification à définir (portées Ra ≤ 0,4)".into());
    }
    let pf = if externals.is_empty() {
        p.clone()
    } else {
        b.tools.pos(ToolKind::Tournage, 0.0, fin_l.clone())
    };
    if bar_fed {
        b.steps
            .push(format!("Chanfreins et cassage d'angles ({pf})"));
        let pt = b
            .tools
            .pos(ToolKind::Tronconnage, 0.0, "Lame de tronçonnage".into());
        b.steps
            .push(format!("Tronçonnage à la longueur {} ({pt})", fmt_mm(len)));
    } else {
        b.steps.push(format!("Chanfreins face avant ({pf})"));
        b.steps.push(format!(
            "Prise 2 — dressage face arrière à la longueur {} ({p})",
            fmt_mm(len)
        ));
        for (d, l, t, ra) in &externals {
            if *l > len - GRIP_MM + 1e-9 {
                let rest = l - (len - GRIP_MM);
                b.steps.push(format!(
                    "Prise 2 — ébauche Ø{} sur {} mm (partie tenue en prise 1) ({p})",
                    fmt_mm(*d),
                    fmt_mm(rest)
                ));
                b.steps.push(format!(
                    "Prise 2 — finition Ø{}{}{} sur {} mm, raccordement sans marche ({pf})",
                    fmt_mm(*d),
                    tol_suffix(*t),
                    ra_suffix(*ra),
                    fmt_mm(rest)
                ));
            }
        }
        b.steps
            .push(format!("Prise 2 — chanfreins face arrière ({pf})"));
        let internal = spec
            .features
            .iter()
            .filter(|f| {
                matches!(
                    f,
                    Feature::Bore { .. }
                        | Feature::Holes { .. }
                        | Feature::Threads {
                            external: false,
                            ..
                        }
                )
            })
            .count();
        if internal > 1 {
            b.missing_fr.push(
                "Répartition des perçages / alésages / taraudages entre prise 1 et prise 2 à confirmer selon le plan"
                    .into(),
            );
        }
    }
    b.renumber();
    b
}

// ------------------------------------------------------------------------------------ mill

/// Milling steps and tools of `feats` (faces, pockets, slots, free-form, surfaces, holes,
/// threads, bores), ordered: milling, drilling, bore finishing, tapping.
fn mill_features(b: &mut Built, feats: &[&Feature], note: &str) {
    let mut drills: Vec<String> = Vec::new();
    let mut finish: Vec<String> = Vec::new();
    let mut taps: Vec<String> = Vec::new();
    let times = |count: u32| {
        if count > 1 {
            format!("{count} × ")
        } else {
            String::new()
        }
    };
    for f in feats {
        match f {
            Feature::Face {
                length,
                width,
                stock,
                ra,
            } => {
                let p = b
                    .tools
                    .pos(ToolKind::Surfacage, 50.0, "Fraise à surfacer Ø50".into());
                b.steps.push(format!(
                    "Surfaçage {}×{}, surépaisseur {} mm{}{note} ({p})",
                    fmt_mm(*length),
                    fmt_mm(*width),
                    fmt_mm(*stock),
                    ra_suffix(*ra)
                ));
            }
            Feature::Pocket {
                length,
                width,
                depth,
                ra,
            } => {
                let d = std_mill_diameter((length.min(*width) / 2.0).clamp(3.0, 20.0));
                let p = b.tools.pos(
                    ToolKind::Fraisage,
                    d,
                    format!("Fraise 2 tailles Ø{}", fmt_mm(d)),
                );
                b.steps.push(format!(
                    "Ébauche poche {}×{}×{}{note} ({p})",
                    fmt_mm(*length),
                    fmt_mm(*width),
                    fmt_mm(*depth)
                ));
                b.steps.push(format!(
                    "Finition poche, parois et fond{}{note} ({p})",
                    ra_suffix(*ra)
                ));
            }
            Feature::Slot {
                length,
                width,
                depth,
            } => {
                let d = std_mill_diameter(*width);
                let p = b.tools.pos(
                    ToolKind::Fraisage,
                    d,
                    format!("Fraise 2 tailles Ø{}", fmt_mm(d)),
                );
                b.steps.push(format!(
                    "Rainure {}×{}×{}{note} ({p})",
                    fmt_mm(*length),
                    fmt_mm(*width),
                    fmt_mm(*depth)
                ));
            }
            Feature::Freeform5Axis { .. } => {
                let p = b
                    .tools
                    .pos(ToolKind::Fraisage, 10.0, "Fraise 2 tailles Ø10".into());
                b.steps
                    .push(format!("Ébauche de la surface gauche en 3+2{note} ({p})"));
                let pb = b
                    .tools
                    .pos(ToolKind::Fraisage, 6.0, "Fraise boule Ø6".into());
                b.steps.push(format!(
                    "Finition 5 axes continus, hauteur de crête 5 µm{note} ({pb})"
                ));
            }
            Feature::Surface { ra, .. } if *ra > 0.4 => {
                let p = b
                    .tools
                    .pos(ToolKind::Fraisage, 10.0, "Fraise 2 tailles Ø10".into());
                b.steps
                    .push(format!("Finition de surface Ra {ra}{note} ({p})"));
            }
            Feature::Holes {
                count,
                diameter,
                depth,
            } => {
                let p = b.tools.pos(
                    ToolKind::Percage,
                    *diameter,
                    format!("Foret Ø{}", fmt_mm(*diameter)),
                );
                drills.push(format!(
                    "Perçage {}Ø{} prof. {}{note} ({p})",
                    times(*count),
                    fmt_mm(*diameter),
                    fmt_mm(*depth)
                ));
            }
            Feature::Threads {
                count,
                designation,
                depth,
                ..
            } => match tap_drill(designation) {
                Some((d, drill)) => {
                    let p = b.tools.pos(
                        ToolKind::Percage,
                        drill,
                        format!("Foret Ø{} (avant-trou {designation})", fmt_mm(drill)),
                    );
                    drills.push(format!(
                        "Perçage {}Ø{} prof. {} (avant-trou {designation}){note} ({p})",
                        times(*count),
                        fmt_mm(drill),
                        fmt_mm(depth + 0.5 * d)
                    ));
                    let pt = b
                        .tools
                        .pos(ToolKind::Taraudage, d, format!("Taraud {designation}"));
                    taps.push(format!(
                        "Taraudage {}{designation} prof. {}{note} ({pt})",
                        times(*count),
                        fmt_mm(*depth)
                    ));
                }
                None => b.missing_fr.push(format!(
                    "Filetage « {designation} » non reconnu : diamètre, pas et outils à renseigner"
                )),
            },
            Feature::Bore {
                diameter,
                depth,
                tolerance,
                ra,
            } => {
                let precise = ra.is_some_and(|r| r < 3.2)
                    || matches!(tolerance, Some(Tolerance::It { grade }) if *grade <= 8)
                    || matches!(tolerance, Some(Tolerance::PlusMinus { value }) if *value <= 0.02);
                let tol = format!("{}{}", tol_suffix(*tolerance), ra_suffix(*ra));
                if *diameter <= 20.0 {
                    let pilot = if precise { diameter - 0.2 } else { *diameter };
                    let p = b.tools.pos(
                        ToolKind::Percage,
                        pilot,
                        if precise {
                            format!(
                                "Foret Ø{} (avant-trou Ø{})",
                                fmt_mm(pilot),
                                fmt_mm(*diameter)
                            )
                        } else {
                            format!("Foret Ø{}", fmt_mm(pilot))
                        },
                    );
                    drills.push(format!(
                        "Perçage Ø{} prof. {}{note} ({p})",
                        fmt_mm(pilot),
                        fmt_mm(*depth)
                    ));
                    if precise {
                        let pa = b.tools.pos(
                            ToolKind::Alesage,
                            *diameter,
                            format!("Alésoir Ø{}{}", fmt_mm(*diameter), tol_suffix(*tolerance)),
                        );
                        finish.push(format!(
                            "Alésage à l'alésoir Ø{}{tol} prof. {}{note} ({pa})",
                            fmt_mm(*diameter),
                            fmt_mm(*depth)
                        ));
                    }
                } else {
                    let pilot = 16.0f64.min(diameter - 2.0);
                    let p = b.tools.pos(
                        ToolKind::Percage,
                        pilot,
                        format!(
                            "Foret Ø{} (avant-trou Ø{})",
                            fmt_mm(pilot),
                            fmt_mm(*diameter)
                        ),
                    );
                    drills.push(format!(
                        "Perçage Ø{} prof. {}{note} ({p})",
                        fmt_mm(pilot),
                        fmt_mm(*depth)
                    ));
                    let pm = b
                        .tools
                        .pos(ToolKind::Fraisage, 10.0, "Fraise 2 tailles Ø10".into());
                    finish.push(format!(
                        "Interpolation hélicoïdale Ø{}{}{note} ({pm})",
                        fmt_mm(*diameter),
                        if precise {
                            " (surépaisseur 0,2 mm)".to_string()
                        } else {
                            tol.clone()
                        }
                    ));
                    if precise {
                        let pa = b.tools.pos(
                            ToolKind::Alesage,
                            *diameter,
                            format!("Outil à aléser (tête d'alésage) Ø{}", fmt_mm(*diameter)),
                        );
                        finish.push(format!(
                            "Alésage de finition Ø{}{tol}{note} ({pa})",
                            fmt_mm(*diameter)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    b.steps.extend(drills);
    b.steps.extend(finish);
    b.steps.extend(taps);
}

/// Milling (with its drilling) on a milling machine: fixturing, tools, CAM steps.
pub fn mill(
    spec: &PartSpec,
    raw: Option<&RawStock>,
    feats: &[&Feature],
    turned_part: bool,
    five_axis: bool,
) -> Built {
    let mut b = Built::default();
    let clampings = if turned_part {
        1
    } else {
        spec.setups.unwrap_or(2).max(1)
    };
    let blank = raw
        .map(|r| format!("{}×{}", r.section.label(), fmt_mm(r.blank_length)))
        .unwrap_or_else(|| "brut".into());
    let (l, w, h) = match spec.envelope {
        Envelope::Block {
            length,
            width,
            height,
        } => (length, width, height),
        Envelope::Round { diameter, length } => (length, diameter, diameter),
    };
    if turned_part {
        b.setup_fr.push(format!(
            "Étau à mors en V (ou vés) sur le Ø{}, orientation angulaire selon le plan",
            fmt_mm(w)
        ));
    } else if five_axis {
        b.setup_fr.push(format!(
            "Étau autocentrant 5 axes (prise en queue d'aronde) sur le brut {blank}, dégagement des outils vérifié"
        ));
    } else {
        let mut d = [l, w, h];
        d.sort_by(|a, b| b.total_cmp(a));
        if d[1] + 6.0 > VICE_MAX_MM {
            b.setup_fr.push(format!(
                "Bridage direct sur table ou montage d'usinage dédié (largeur {} mm > ouverture d'étau {} mm), brut {blank}",
                fmt_mm(d[1] + 6.0),
                fmt_mm(VICE_MAX_MM)
            ));
        } else if d[0] + 6.0 > 2.0 * VICE_MAX_MM {
            b.setup_fr.push(format!(
                "Montage 1 : deux étaux alignés ou bridage sur table (longueur {} mm), brut {blank}",
                fmt_mm(d[0] + 6.0)
            ));
        } else {
            b.setup_fr.push(format!(
                "Montage 1 : étau, mors durs, cales parallèles, brut {blank}"
            ));
        }
        if clampings >= 2 {
            b.setup_fr.push(
                "Montage 2 : retournement, appui sur la face usinée (mors doux ou cales rectifiées)"
                    .into(),
            );
        }
    }
    b.setup_fr.push(format!(
        "Références : face d'appui et mors fixe (équerrage){}",
        if spec.gdt_count > 0 {
            " — reporter les références du plan"
        } else {
            ""
        }
    ));
    if spec.gdt_count > 0 {
        b.missing_fr.push(format!(
            "Références (A, B, C) des {} tolérance(s) géométrique(s) à reporter sur le montage",
            spec.gdt_count
        ));
    }
    b.zero_point_fr = "à renseigner".into();
    b.missing_fr.push("Origine pièce (G54) à renseigner".into());
    if !turned_part {
        // The blank is oversized (+3 mm per side, +2 mm per face): face and outline it first.
        let faces: Vec<&Feature> = feats
            .iter()
            .copied()
            .filter(|f| matches!(f, Feature::Face { .. }))
            .collect();
        if faces.is_empty() {
            let pf = b
                .tools
                .pos(ToolKind::Surfacage, 50.0, "Fraise à surfacer Ø50".into());
            b.steps
                .push(format!("Surfaçage de la face supérieure du brut ({pf})"));
        }
        mill_features(&mut b, &faces, "");
        let p = b.tools.pos(
            ToolKind::Fraisage,
            16.0,
            "Fraise 2 tailles Ø16 (contournage)".into(),
        );
        b.steps.push(format!(
            "Contournage extérieur aux cotes {}×{} ({p})",
            fmt_mm(l),
            fmt_mm(w)
        ));
        b.missing_fr.push(
            "Mise aux cotes du brut (surfaçage, contournage : +3 mm par côté, +2 mm par face) non comptée dans le temps du devis : à vérifier"
                .into(),
        );
        let others: Vec<&Feature> = feats
            .iter()
            .copied()
            .filter(|f| !matches!(f, Feature::Face { .. }))
            .collect();
        mill_features(&mut b, &others, "");
        b.steps.push("Chanfreins / cassage d'angles".into());
        if clampings >= 2 {
            let ps = if b.tools.0.iter().any(|t| t.0 == ToolKind::Surfacage) {
                b.tools
                    .pos(ToolKind::Surfacage, 50.0, "Fraise à surfacer Ø50".into())
            } else {
                p
            };
            b.steps.push(format!(
                "Montage 2 — surfaçage de la face opposée à l'épaisseur {} ({ps})",
                fmt_mm(h)
            ));
            b.steps
                .push("Montage 2 — chanfreins / cassage d'angles".into());
            if clampings > 2 {
                b.missing_fr.push(format!(
                    "Usinages des montages 3 à {clampings} à répartir selon le plan"
                ));
            }
        }
    } else {
        mill_features(&mut b, feats, "");
        b.steps.push("Chanfreins / cassage d'angles".into());
    }
    b.renumber();
    b
}

// ------------------------------------------------------------------------------------ safety

pub fn safety_machining(spec: &PartSpec, raw: Option<&RawStock>, lathe: bool) -> Vec<String> {
    let mut s = vec![
        "Porte / carter fermé pendant le cycle".to_string(),
        if lathe {
            "Clé de mandrin retirée, serrage des mors vérifié avant le départ cycle".to_string()
        } else {
            "Serrage de l'étau / des brides vérifié avant le départ cycle".to_string()
        },
        "Copeaux chauds et coupants : crochet ou pince, jamais à la main ; lunettes".to_string(),
    ];
    if lathe && raw.is_some_and(|r| r.bar_fed) {
        s.push("Embarreur : barre chargée machine à l'arrêt, tube guide fermé".into());
    }
    extra_safety(spec, raw, &mut s);
    s
}

pub fn extra_safety(spec: &PartSpec, raw: Option<&RawStock>, s: &mut Vec<String>) {
    if spec.material.iso_group == IsoGroup::S {
        s.push(
            "Copeaux et fines de titane inflammables : pas de flamme, extincteur classe D à proximité"
                .into(),
        );
    }
    if let Some(r) = raw
        && r.mass_kg > 15.0
    {
        s.push(format!(
            "Brut de {} kg : moyen de levage pour la manutention",
            fmt_mm(r.mass_kg)
        ));
    }
}

// ------------------------------------------------------------------------------------ inspection

/// Frequency rule: 100 % for a critical part, a characteristic at IT ≤ 7 or a geometric
/// tolerance; otherwise the first part then one part in ten.
pub fn frequency(critical: bool, it: Option<u8>, gdt: bool) -> String {
    if critical || gdt || it.is_some_and(|g| g <= 7) {
        FREQ_FULL.into()
    } else {
        FREQ_SAMPLE.into()
    }
}

fn general_tol(spec: &PartSpec, size: f64) -> String {
    match spec
        .general_tolerance_class
        .and_then(|c| formulas::iso2768_linear(c, size).map(|v| (c, v)))
    {
        Some((c, v)) => format!("±{} (ISO 2768-{c})", fmt_tol(v)),
        None => "tolérance générale du plan".into(),
    }
}

fn point(
    characteristic: String,
    nominal: Option<f64>,
    tolerance_fr: String,
    instrument: &str,
    freq: String,
) -> InspectionPoint {
    InspectionPoint {
        characteristic_fr: characteristic,
        nominal,
        tolerance_fr,
        instrument_type: instrument.into(),
        frequency_fr: freq,
    }
}

fn tol_fr(spec: &PartSpec, nominal: f64, t: Option<Tolerance>) -> String {
    match t {
        Some(Tolerance::It { grade }) => format!("IT{grade} (ISO 286, écarts selon le plan)"),
        Some(Tolerance::PlusMinus { value }) => format!("±{}", fmt_tol(value)),
        None => general_tol(spec, nominal),
    }
}

/// Inspection points of features (in the spec's order).
pub fn feature_points(spec: &PartSpec, feats: &[&Feature], critical: bool) -> Vec<InspectionPoint> {
    let mut out = Vec::new();
    let ra_point = |out: &mut Vec<InspectionPoint>, what: String, ra: Option<f64>| {
        if let Some(r) = ra {
            out.push(point(
                format!("Ra {r} sur {what}"),
                Some(r),
                format!("Ra ≤ {r} µm"),
                "rugosimetre",
                frequency(critical, None, false),
            ));
        }
    };
    for f in feats {
        match f {
            Feature::ExternalTurning {
                diameter,
                tolerance,
                ra,
                ..
            } => {
                let it = tol_it(*diameter, *tolerance);
                let name = format!("Ø{}{}", fmt_mm(*diameter), tol_suffix(*tolerance));
                out.push(point(
                    name.clone(),
                    Some(*diameter),
                    tol_fr(spec, *diameter, *tolerance),
                    if it.is_some_and(|g| g <= 9) {
                        "micrometre"
                    } else {
                        "pied_a_coulisse"
                    },
                    frequency(critical, it, false),
                ));
                ra_point(&mut out, name, *ra);
            }
            Feature::Bore {
                diameter,
                tolerance,
                ra,
                ..
            } => {
                let it = tol_it(*diameter, *tolerance);
                let name = format!("Alésage Ø{}{}", fmt_mm(*diameter), tol_suffix(*tolerance));
                out.push(point(
                    name.clone(),
                    Some(*diameter),
                    tol_fr(spec, *diameter, *tolerance),
                    match it {
                        Some(g) if g <= 7 => "tampon_lisse",
                        Some(g) if g <= 9 => "alesometre",
                        _ => "pied_a_coulisse",
                    },
                    frequency(critical, it, false),
                ));
                ra_point(&mut out, name, *ra);
            }
            Feature::Holes {
                count, diameter, ..
            } => out.push(point(
                format!("Perçages {count} × Ø{}", fmt_mm(*diameter)),
                Some(*diameter),
                general_tol(spec, *diameter),
                "pied_a_coulisse",
                frequency(critical, None, false),
            )),
            Feature::Threads {
                count,
                designation,
                external,
                ..
            } => out.push(point(
                if *external {
                    format!("Filetage {designation}")
                } else if *count > 1 {
                    format!("Taraudages {count} × {designation}")
                } else {
                    format!("Taraudage {designation}")
                },
                parse_thread(designation).map(|(d, _)| d),
                if *external { "6g" } else { "6H" }.to_string() + " (sauf indication du plan)",
                if *external {
                    "bague_filetee"
                } else {
                    "tampon_filete"
                },
                frequency(critical, None, false),
            )),
            Feature::Pocket {
                length,
                width,
                depth,
                ra,
            } => {
                let name = format!(
                    "Poche {}×{}×{}",
                    fmt_mm(*length),
                    fmt_mm(*width),
                    fmt_mm(*depth)
                );
                out.push(point(
                    name.clone(),
                    Some(*length),
                    general_tol(spec, *length),
                    "pied_a_coulisse",
                    frequency(critical, None, false),
                ));
                ra_point(&mut out, name, *ra);
            }
            Feature::Face {
                length, width, ra, ..
            } => ra_point(
                &mut out,
                format!("face {}×{}", fmt_mm(*length), fmt_mm(*width)),
                *ra,
            ),
            Feature::Slot { width, length, .. } => out.push(point(
                format!("Rainure {}×{}", fmt_mm(*length), fmt_mm(*width)),
                Some(*width),
                general_tol(spec, *width),
                "pied_a_coulisse",
                frequency(critical, None, false),
            )),
            Feature::Surface { ra, .. } => ra_point(&mut out, "surface".into(), Some(*ra)),
            Feature::Freeform5Axis { .. } => out.push(point(
                "Surface gauche (profil)".into(),
                None,
                "profil selon le modèle 3D".into(),
                "mmt",
                frequency(critical, None, true),
            )),
            Feature::Weld { length } => out.push(point(
                format!("Cordons de soudure ({} mm)", fmt_mm(*length)),
                None,
                "aspect, gorge, absence de caniveaux / porosités (EN ISO 5817)".into(),
                "controle_visuel",
                frequency(critical, None, false),
            )),
            Feature::Bends { count } => out.push(point(
                format!("Angles de pliage ({count})"),
                None,
                "selon le plan".into(),
                "rapporteur",
                frequency(critical, None, false),
            )),
        }
    }
    out
}

/// Part-level points: overall length / envelope, tightest drawing tolerance, GD&T.
pub fn general_points(spec: &PartSpec, critical: bool) -> Vec<InspectionPoint> {
    let mut out = Vec::new();
    match spec.envelope {
        Envelope::Round { length, .. } => out.push(point(
            format!("Longueur totale {}", fmt_mm(length)),
            Some(length),
            general_tol(spec, length),
            "pied_a_coulisse",
            frequency(critical, None, false),
        )),
        Envelope::Block {
            length,
            width,
            height,
        } => out.push(point(
            format!(
                "Encombrement {}×{}×{}",
                fmt_mm(length),
                fmt_mm(width),
                fmt_mm(height)
            ),
            Some(length),
            general_tol(spec, length),
            "pied_a_coulisse",
            frequency(critical, None, false),
        )),
    }
    if let Some(t) = spec.tightest_tolerance {
        let size = spec.envelope.max_dim();
        let it = tol_it(size, Some(t));
        out.push(point(
            format!("Cote la plus serrée du plan{}", tol_suffix(Some(t))),
            None,
            tol_fr(spec, size, Some(t)),
            if it.is_some_and(|g| g <= 9) {
                "micrometre"
            } else {
                "pied_a_coulisse"
            },
            frequency(critical, it, false),
        ));
    }
    if spec.gdt_count > 0 {
        out.push(point(
            format!("Tolérances géométriques ({} cadre(s))", spec.gdt_count),
            None,
            "selon les cadres du plan".into(),
            "mmt",
            frequency(critical, None, true),
        ));
    }
    out
}

// ------------------------------------------------------------------------------------ matching

/// Crib tool for a need: same kind; drills, taps and reamers at the same Ø (±0.05 mm); end
/// mills the nearest Ø between half the need and the need; face mills, inserts, blades and
/// boring bars (need Ø 0) any. Preference: in stock, nearest Ø, lowest id.
pub fn match_tool(crib: &[CribTool], kind: ToolKind, d: f64) -> Option<&CribTool> {
    let ok = |t: &CribTool| -> bool {
        if t.kind != kind {
            return false;
        }
        if d <= 0.0 {
            return true;
        }
        match kind {
            ToolKind::Percage | ToolKind::Taraudage | ToolKind::Alesage => {
                (t.diameter - d).abs() <= 0.05
            }
            ToolKind::Fraisage => t.diameter <= d + 0.05 && t.diameter >= 0.5 * d - 1e-9,
            _ => true,
        }
    };
    crib.iter().filter(|t| ok(t)).min_by(|a, b| {
        (a.quantity == 0)
            .cmp(&(b.quantity == 0))
            .then((a.diameter - d).abs().total_cmp(&(b.diameter - d).abs()))
            .then(a.id.cmp(&b.id))
    })
}

/// First number of a gauge size "Ø20 H7" → 20.
fn size_number(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    t.replace(',', ".").parse().ok()
}

fn norm_type(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .replace(['é', 'è'], "e")
        .replace(['à', 'â'], "a")
        .replace([' ', '-'], "_")
}

/// Instrument for a point: same type, range covering the nominal (calipers, micrometers, bore
/// gauges), same size (plain gauges) or thread (thread gauges); any for roughness testers and
/// CMMs. Preference: usable, then code.
pub fn match_instrument<'a>(park: &'a [Instrument], p: &InspectionPoint) -> Option<&'a Instrument> {
    let ty = norm_type(&p.instrument_type);
    let thread = if ty == "tampon_filete" || ty == "bague_filetee" {
        p.characteristic_fr
            .split_whitespace()
            .last()
            .and_then(parse_thread)
    } else {
        None
    };
    let fits = |i: &Instrument| -> bool {
        if norm_type(&i.instrument_type) != ty {
            return false;
        }
        match ty.as_str() {
            "pied_a_coulisse" => match (p.nominal, i.range_max) {
                (Some(n), Some(max)) => n <= max + 1e-9,
                _ => true,
            },
            "micrometre" | "alesometre" => match p.nominal {
                Some(n) => {
                    i.range_min.is_none_or(|m| n + 1e-9 >= m)
                        && i.range_max.is_none_or(|m| n <= m + 1e-9)
                }
                None => true,
            },
            "tampon_lisse" | "bague_lisse" => {
                match (p.nominal, i.size.as_deref().and_then(size_number)) {
                    (Some(n), Some(s)) => (n - s).abs() < 1e-6,
                    _ => false,
                }
            }
            "tampon_filete" | "bague_filetee" => {
                let have = i
                    .size
                    .as_deref()
                    .map(|s| s.split(['-', ' ']).next().unwrap_or(s).to_string())
                    .and_then(|s| parse_thread(&s));
                match (thread, have) {
                    (Some((d1, p1)), Some((d2, p2))) => {
                        (d1 - d2).abs() < 1e-6 && (p1 - p2).abs() < 1e-6
                    }
                    _ => false,
                }
            }
            _ => true,
        }
    };
    park.iter()
        .filter(|i| fits(i))
        .min_by(|a, b| (!a.usable).cmp(&!b.usable).then(a.code.cmp(&b.code)))
}

/// French name of an instrument type.
pub fn instrument_fr(ty: &str) -> String {
    match norm_type(ty).as_str() {
        "pied_a_coulisse" => "pied à coulisse".into(),
        "micrometre" => "micromètre".into(),
        "alesometre" => "alésomètre".into(),
        "tampon_lisse" => "tampon lisse".into(),
        "bague_lisse" => "bague lisse".into(),
        "tampon_filete" => "tampon fileté".into(),
        "bague_filetee" => "bague filetée".into(),
        "rugosimetre" => "rugosimètre".into(),
        "mmt" => "MMT".into(),
        "rapporteur" => "rapporteur d'angle".into(),
        other => other.replace('_', " "),
    }
}
