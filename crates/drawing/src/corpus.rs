//! Synthetic drawing corpus with ground truth: machined parts (turned, prismatic, sheet metal,
//! welded), varied title blocks (four layouts, four positions, French or English labels with
//! synonyms, three DejaVu fonts), both projection symbols with their text, dimension lines with
//! tolerances and fits, threads, Ra, GD&T frames, treatments, critical notes. Rendered to vector
//! PDF by typst; [`scan`] turns a rasterised page into a "scan" (rotation, noise, blur).
//! Deterministic by seed.

use image::{GrayImage, Luma};
use serde::{Deserialize, Serialize};

/// Small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn f(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f()
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TruthDimension {
    pub nominal: f64,
    pub diameter: bool,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TruthEnvelope {
    pub diameter: Option<f64>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
}

/// Ground truth of one drawing (field names as in `DrawingAnalysis`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Truth {
    pub id: String,
    pub drawing_number: Option<String>,
    pub revision: Option<String>,
    pub part_name: Option<String>,
    pub material: Option<String>,
    pub material_grade: Option<String>,
    pub heat_treatment: Option<String>,
    pub surface_treatment: Option<String>,
    pub customer: Option<String>,
    pub scale: Option<String>,
    pub date: Option<String>,
    pub quantity: Option<u32>,
    pub general_tolerance: Option<String>,
    pub projection: Option<String>,
    pub shape_class: Option<String>,
    pub envelope: Option<TruthEnvelope>,
    pub dimensions: Vec<TruthDimension>,
    pub threads: Vec<String>,
    pub roughness: Vec<f64>,
    pub gdt: Vec<String>,
    pub critical_markers: Vec<String>,
    /// Generator details (not compared): layout, position, language, font.
    pub layout: String,
}

const FONTS: &[&str] = &["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"];

/// Extra fonts for typst: DejaVu Serif and Mono from Debian `fonts-dejavu-core` when present
/// (else drawings fall back to the vendored DejaVu Sans).
pub fn system_fonts() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new("/usr/share/fonts/truetype/dejavu");
    [
        "DejaVuSerif.ttf",
        "DejaVuSansMono.ttf",
        "DejaVuSerif-Bold.ttf",
    ]
    .iter()
    .filter_map(|f| std::fs::read(dir.join(f)).ok())
    .collect()
}

/// Typst string literal.
fn s(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

fn dec(v: f64, comma: bool) -> String {
    let mut t = format!("{v}");
    if t.contains('.') {
        t = t.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if comma { t.replace('.', ",") } else { t }
}

const PREAMBLE: &str = r#"
#set page(width: 297mm, height: 210mm, margin: 0mm)
#let P(x, y, body) = place(top + left, dx: x * 1mm, dy: y * 1mm, body)
#let L(x1, y1, x2, y2, w: 0.35pt, dash: none) = place(top + left, line(start: (x1 * 1mm, y1 * 1mm), end: (x2 * 1mm, y2 * 1mm), stroke: (thickness: w, dash: dash)))
#let R(x, y, w, h, th: 0.7pt) = P(x, y, rect(width: w * 1mm, height: h * 1mm, stroke: th))
#let C(cx, cy, r, th: 0.7pt) = P(cx - r, cy - r, circle(radius: r * 1mm, stroke: th))
#let T(x, y, body, size: 9pt) = P(x, y, text(size: size, body))
#let TC(x, y, w, body, size: 9pt) = P(x - w / 2, y, box(width: w * 1mm, align(center, text(size: size, body))))
#let ah(x, y, right) = if right { P(x - 2, y - 0.6, polygon(fill: black, (0mm, 0mm), (2mm, 0.6mm), (0mm, 1.2mm))) } else { P(x, y - 0.6, polygon(fill: black, (2mm, 0mm), (0mm, 0.6mm), (2mm, 1.2mm))) }
#let av(x, y, down) = if down { P(x - 0.6, y - 2, polygon(fill: black, (0mm, 0mm), (1.2mm, 0mm), (0.6mm, 2mm))) } else { P(x - 0.6, y, polygon(fill: black, (0.6mm, 0mm), (0mm, 2mm), (1.2mm, 2mm))) }
#let hdim(x1, x2, y, label, ext: 0) = {
  L(x1, y, x2, y, w: 0.3pt)
  ah(x1, y, false)
  ah(x2, y, true)
  if ext != 0 { L(x1, y, x1, y + ext, w: 0.25pt); L(x2, y, x2, y + ext, w: 0.25pt) }
  TC((x1 + x2) / 2, y - 4.3, 50, label)
}
#let vdim(x, y1, y2, label, ext: 0) = {
  L(x, y1, x, y2, w: 0.3pt)
  av(x, y1, false)
  av(x, y2, true)
  if ext != 0 { L(x, y1, x + ext, y1, w: 0.25pt); L(x, y2, x + ext, y2, w: 0.25pt) }
  T(x + 1.5, y1 + (y2 - y1) * 0.25 - 1.8, label)
}
#let fcf(sym, tol, datum) = box(stroke: 0.5pt, inset: (x: 1.2mm, y: 1mm), text(size: 9pt, if datum == "" { sym + "  " + tol } else { sym + "  " + tol + "  " + datum }))
"#;

struct Labels {
    number: &'static [&'static str],
    rev: &'static [&'static str],
    name: &'static [&'static str],
    material: &'static [&'static str],
    heat: &'static [&'static str],
    surface: &'static [&'static str],
    treatment: &'static [&'static str],
    customer: &'static [&'static str],
    scale: &'static [&'static str],
    date: &'static [&'static str],
    qty: &'static [&'static str],
    tol: &'static [&'static str],
    drawn: &'static [&'static str],
    sheet: &'static str,
    mass: &'static str,
    none: &'static [&'static str],
}

const FR: Labels = Labels {
    number: &["N° plan", "N° de plan", "Plan n°", "Numéro de plan"],
    rev: &["Indice", "Ind.", "Rév."],
    name: &["Désignation", "Dénomination"],
    material: &["Matière", "Matériau"],
    heat: &["Traitement thermique", "Trait. thermique"],
    surface: &["Traitement de surface", "Revêtement"],
    treatment: &["Traitement", "Traitements"],
    customer: &["Client", "Donneur d'ordre"],
    scale: &["Échelle", "Ech."],
    date: &["Date"],
    qty: &["Qté", "Quantité"],
    tol: &["Tolérances générales", "Tol. générales"],
    drawn: &["Dessiné par", "Dessiné"],
    sheet: "Feuille",
    mass: "Masse",
    none: &["Sans", "Néant", "—"],
};

const EN: Labels = Labels {
    number: &["Drawing No.", "Dwg No.", "Drawing number"],
    rev: &["Rev.", "Revision"],
    name: &["Title", "Part name", "Description"],
    material: &["Material"],
    heat: &["Heat treatment"],
    surface: &["Surface treatment", "Finish", "Coating"],
    treatment: &["Treatment"],
    customer: &["Customer"],
    scale: &["Scale"],
    date: &["Date"],
    qty: &["Qty", "Quantity"],
    tol: &["General tolerances"],
    drawn: &["Drawn by", "Drawn"],
    sheet: "Sheet",
    mass: "Weight",
    none: &["None", "—"],
};

/// (text as written, grade id)
const MATERIALS: &[(&str, &str)] = &[
    ("42CrMo4", "42CrMo4"),
    ("42CD4", "42CrMo4"),
    ("1.7225", "42CrMo4"),
    ("AISI 4140", "42CrMo4"),
    ("X2CrNi18-9", "X2CrNi18-9"),
    ("304L", "X2CrNi18-9"),
    ("1.4307", "X2CrNi18-9"),
    ("Z2CN18-10", "X2CrNi18-9"),
    ("AISI 304L", "X2CrNi18-9"),
    ("AU4G", "2017A"),
    ("EN AW-2017A", "2017A"),
    ("AlCu4MgSi", "2017A"),
    ("EN AW-7075 T6", "7075"),
    ("A-Z5GU", "7075"),
    ("C45", "C45"),
    ("XC48", "C45"),
    ("TA6V", "Ti-6Al-4V"),
    ("Ti-6Al-4V", "Ti-6Al-4V"),
    ("35NCD16", "35NiCrMo16"),
    ("316L", "X2CrNiMo17-12-2"),
    ("X2CrNiMo17-12-2", "X2CrNiMo17-12-2"),
    ("CuZn39Pb3", "CuZn39Pb3"),
    ("S235JR", "S235JR"),
    ("100Cr6", "100Cr6"),
    ("EN AW-6082", "6082"),
];

const HEAT_FR: &[&str] = &[
    "Trempe + revenu 40-45 HRC",
    "Cémentation 0,6 mm 58 HRC",
    "Nitruration",
    "Recuit de détente",
    "Trempe induction 52 HRC",
];
const HEAT_EN: &[&str] = &[
    "Quench and temper 30-35 HRC",
    "Case hardening 58 HRC",
    "Nitriding",
    "Stress relieved",
];
const SURF_FR: &[&str] = &[
    "Anodisation noire",
    "Anodisation dure 25 µm",
    "Zingage blanc",
    "Passivation",
    "Peinture époxy RAL 7035",
    "Chromage dur",
];
const SURF_EN: &[&str] = &[
    "Black anodizing",
    "Clear anodizing",
    "Zinc plating",
    "Passivation",
    "Black oxide",
];
const CUSTOMERS: &[&str] = &[
    "Atelier Berthier",
    "Nordic Pumps AB",
    "Valtech Aero",
    "Robotique Savoie",
    "Delta Hydraulics",
    "Cimes Énergie",
    "Mécanique Lorraine",
    "Orbital Drives Ltd",
];
const NAMES_FR: &[&str] = &[
    "Arbre de transmission",
    "Bride de fixation",
    "Support moteur",
    "Axe épaulé",
    "Entretoise",
    "Flasque arrière",
    "Platine",
    "Bague de guidage",
    "Corps de vérin",
    "Équerre",
];
const NAMES_EN: &[&str] = &[
    "Drive shaft",
    "Mounting flange",
    "Motor bracket",
    "Spacer",
    "Guide bushing",
    "Base plate",
    "Pivot pin",
    "Cover",
];

/// Drawing `index` of the corpus for `seed`: typst source and ground truth.
pub fn generate(seed: u64, index: usize) -> (String, Truth) {
    let mut r = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(index as u64));
    let fr = r.chance(0.55);
    let lb = if fr { &FR } else { &EN };
    let comma = fr && r.chance(0.8);
    let font = FONTS[index % FONTS.len()];
    let mut src = String::from(PREAMBLE);
    src.push_str(&format!("#set text(font: {}, size: 9pt)\n", s(font)));
    // Frame.
    src.push_str("#R(8, 8, 281, 194, th: 0.8pt)\n");

    let shape = match index % 8 {
        0..=3 => "turned",
        4..=6 => "prismatic",
        _ => {
            if r.chance(0.5) {
                "sheet_metal"
            } else {
                "welded"
            }
        }
    };
    let mut truth_dims: Vec<TruthDimension> = Vec::new();
    let mut threads: Vec<String> = Vec::new();
    let mut roughness: Vec<f64> = Vec::new();
    let mut gdt: Vec<String> = Vec::new();
    // Drawing area: x 15..185, y 15..120 (title block lives bottom or right side).
    let title_pos = r.below(4); // 0 bottom-right, 1 bottom-left, 2 top-right, 3 bottom strip
    let (ax, ay) = match title_pos {
        0 | 3 => (20.0, 22.0),
        1 => (110.0, 22.0),
        _ => (20.0, 30.0),
    };
    let ay = if title_pos == 2 { 80.0 } else { ay };
    let envelope = match shape {
        "turned" => {
            let length = (r.range(60.0, 240.0) / 5.0).round() * 5.0;
            let d_max = (r.range(20.0, 80.0) / 2.0).round() * 2.0;
            // Fit side view + end view in the free area (narrower when the title block
            // sits bottom-left), and the diameter within 60 mm.
            let avail = if title_pos == 1 { 150.0 } else { 230.0 };
            let scale = ((avail - 45.0) / (length + d_max))
                .min(60.0 / d_max)
                .min(1.0);
            let steps = 2 + r.below(2);
            let mut x = ax + 10.0;
            let cy = ay + 35.0;
            let fits = ["g6", "h6", "k6", "f7", "h7", "js6", "m6", "p6"];
            let mut remaining = length;
            let mut ds: Vec<f64> = vec![d_max];
            for i in 1..steps {
                let d = (ds[i - 1] * r.range(0.55, 0.85)).round().max(6.0);
                ds.push(d);
            }
            for (i, d) in ds.iter().enumerate() {
                let seg = if i + 1 == steps {
                    remaining
                } else {
                    ((length / steps as f64) * r.range(0.7, 1.2)).round()
                };
                remaining -= seg;
                let w = seg * scale;
                let h = d * scale;
                src.push_str(&format!(
                    "#R({x:.2}, {:.2}, {w:.2}, {h:.2})\n",
                    cy - h / 2.0
                ));
                // Diameter label above the step.
                let label = if i > 0 && r.chance(0.7) {
                    let f = *r.pick(&fits);
                    let (mn, mx) = crate::analysis::fits::limits(*d, f).unwrap_or((*d, *d));
                    truth_dims.push(TruthDimension {
                        nominal: *d,
                        diameter: true,
                        min: mn,
                        max: mx,
                    });
                    format!("Ø{} {f}", dec(*d, comma))
                } else if r.chance(0.3) {
                    let t = *r.pick(&[0.02, 0.05, 0.1]);
                    truth_dims.push(TruthDimension {
                        nominal: *d,
                        diameter: true,
                        min: round4(d - t),
                        max: round4(d + t),
                    });
                    format!("Ø{} ±{}", dec(*d, comma), dec(t, comma))
                } else {
                    format!("Ø{}", dec(*d, comma))
                };
                src.push_str(&format!(
                    "#vdim({:.2}, {:.2}, {:.2}, {})\n",
                    x + w / 2.0,
                    cy - h / 2.0,
                    cy + h / 2.0,
                    s(&label)
                ));
                if i == 0 && r.chance(0.5) {
                    let ra = *r.pick(&[0.8, 1.6, 3.2]);
                    roughness.push(ra);
                    src.push_str(&format!(
                        "#T({:.2}, {:.2}, {})\n",
                        x + 2.0,
                        cy - h / 2.0 - 9.0,
                        s(&format!("√ Ra {}", dec(ra, comma)))
                    ));
                }
                x += w;
            }
            // Axis.
            src.push_str(&format!(
                "#L({:.2}, {cy:.2}, {:.2}, {cy:.2}, w: 0.25pt, dash: \"dash-dotted\")\n",
                ax + 5.0,
                x + 5.0
            ));
            // Overall length.
            let y_dim = cy + d_max * scale / 2.0 + 10.0;
            src.push_str(&format!(
                "#hdim({:.2}, {x:.2}, {y_dim:.2}, {}, ext: -4)\n",
                ax + 10.0,
                s(&dec(length, comma))
            ));
            // End view: concentric circles.
            let ex = x + 25.0 + d_max * scale / 2.0;
            for d in &ds {
                src.push_str(&format!("#C({ex:.2}, {cy:.2}, {:.2})\n", d * scale / 2.0));
            }
            if r.chance(0.6) {
                let t = if r.chance(0.5) { "M8" } else { "M10×1,25" };
                let t = if !comma && t.contains(',') {
                    "M10x1.25"
                } else {
                    t
                };
                threads.push(if t.starts_with("M10") {
                    "M10x1.25".into()
                } else {
                    "M8".into()
                });
                src.push_str(&format!(
                    "#T({:.2}, {:.2}, {})\n",
                    ex - 5.0,
                    cy + d_max * scale / 2.0 + 4.0,
                    s(t)
                ));
            }
            if r.chance(0.5) {
                let (sym, kind) = *r.pick(&[
                    ("◎", "concentricity"),
                    ("↗", "runout"),
                    ("⊥", "perpendicularity"),
                ]);
                let tol = *r.pick(&[0.01, 0.02, 0.05]);
                gdt.push(kind.into());
                src.push_str(&format!(
                    "#P({:.2}, {:.2}, fcf({}, {}, \"A\"))\n",
                    ax + 12.0,
                    cy - d_max * scale / 2.0 - 14.0,
                    s(sym),
                    s(&dec(tol, comma))
                ));
            }
            TruthEnvelope {
                diameter: Some(d_max),
                length: Some(length),
                width: None,
                height: None,
            }
        }
        _ => {
            let l = (r.range(60.0, 220.0) / 5.0).round() * 5.0;
            let w = ((l * r.range(0.4, 0.8)) / 5.0).round() * 5.0;
            let h = if shape == "sheet_metal" {
                *r.pick(&[1.5, 2.0, 3.0])
            } else {
                ((w * r.range(0.2, 0.45)) / 2.0).round() * 2.0
            };
            let scale = (100.0 / l).min(1.0);
            let (vx, vy) = (ax + 10.0, ay + 8.0);
            let (vw, vh) = (l * scale, w * scale);
            // Top view.
            src.push_str(&format!("#R({vx:.2}, {vy:.2}, {vw:.2}, {vh:.2})\n"));
            // Front view under it (first angle: top view above front... simplified layout).
            let fy = vy + vh + 14.0;
            let fh = (h * scale).max(1.0);
            src.push_str(&format!("#R({vx:.2}, {fy:.2}, {vw:.2}, {fh:.2})\n"));
            // Holes.
            let hole_d = *r.pick(&[6.0, 8.0, 10.0, 12.0]);
            let fit = r.chance(0.6);
            let hx = [vx + vw * 0.2, vx + vw * 0.8];
            for x in hx {
                src.push_str(&format!(
                    "#C({x:.2}, {:.2}, {:.2})\n",
                    vy + vh * 0.3,
                    (hole_d * scale / 2.0).max(0.8)
                ));
            }
            let hole_label = if fit {
                let f = *r.pick(&["H7", "H8", "G7", "F7", "N7", "K7"]);
                let (mn, mx) = crate::analysis::fits::limits(hole_d, f).unwrap_or((hole_d, hole_d));
                truth_dims.push(TruthDimension {
                    nominal: hole_d,
                    diameter: true,
                    min: mn,
                    max: mx,
                });
                format!("2x Ø{} {f}", dec(hole_d, comma))
            } else {
                format!("2x Ø{}", dec(hole_d, comma))
            };
            src.push_str(&format!(
                "#T({:.2}, {:.2}, {})\n",
                hx[1] + 3.0,
                vy + vh * 0.3 - 7.0,
                s(&hole_label)
            ));
            // Hole spacing with a tolerance.
            let spacing = l * 0.6;
            let tol = *r.pick(&[0.02, 0.05, 0.1]);
            let asym = r.chance(0.4);
            let sp_label = if asym {
                truth_dims.push(TruthDimension {
                    nominal: spacing,
                    diameter: false,
                    min: round4(spacing - tol),
                    max: round4(spacing + 2.0 * tol),
                });
                format!(
                    "{} +{}/-{}",
                    dec(spacing, comma),
                    dec(2.0 * tol, comma),
                    dec(tol, comma)
                )
            } else {
                truth_dims.push(TruthDimension {
                    nominal: spacing,
                    diameter: false,
                    min: round4(spacing - tol),
                    max: round4(spacing + tol),
                });
                format!("{} ±{}", dec(spacing, comma), dec(tol, comma))
            };
            src.push_str(&format!(
                "#hdim({:.2}, {:.2}, {:.2}, {})\n",
                hx[0],
                hx[1],
                vy + vh * 0.3 + 8.0,
                s(&sp_label)
            ));
            // Overall dimensions.
            src.push_str(&format!(
                "#hdim({vx:.2}, {:.2}, {:.2}, {}, ext: 4)\n",
                vx + vw,
                vy - 6.0,
                s(&dec(l, comma))
            ));
            src.push_str(&format!(
                "#vdim({:.2}, {vy:.2}, {:.2}, {}, ext: -4)\n",
                vx + vw + 6.0,
                vy + vh,
                s(&dec(w, comma))
            ));
            src.push_str(&format!(
                "#vdim({:.2}, {fy:.2}, {:.2}, {}, ext: -4)\n",
                vx + vw + 6.0,
                fy + fh,
                s(&dec(h, comma))
            ));
            if shape != "sheet_metal" && r.chance(0.7) {
                let t = *r.pick(&["M6", "M8", "G1/4", "M10×1,25"]);
                let t = if !comma && t.contains(',') {
                    "M10x1.25"
                } else {
                    t
                };
                threads.push(match t {
                    "M10×1,25" | "M10x1.25" => "M10x1.25".into(),
                    x => x.to_string(),
                });
                src.push_str(&format!(
                    "#T({:.2}, {:.2}, {})\n",
                    vx + vw * 0.45,
                    vy + vh * 0.65,
                    s(&format!("4x {t}"))
                ));
            }
            if r.chance(0.6) {
                let ra = *r.pick(&[0.8, 1.6, 3.2, 6.3]);
                roughness.push(ra);
                src.push_str(&format!(
                    "#T({:.2}, {:.2}, {})\n",
                    vx + 2.0,
                    fy + fh + 3.0,
                    s(&format!("√ Ra {}", dec(ra, comma)))
                ));
            }
            if r.chance(0.6) {
                let (sym, kind) = *r.pick(&[
                    ("⏥", "flatness"),
                    ("∥", "parallelism"),
                    ("⊥", "perpendicularity"),
                ]);
                let tol = *r.pick(&[0.01, 0.02, 0.05]);
                let datum = if kind == "flatness" { "" } else { "A" };
                gdt.push(kind.into());
                src.push_str(&format!(
                    "#P({:.2}, {:.2}, fcf({}, {}, {}))\n",
                    vx + vw * 0.55,
                    fy + fh + 2.0,
                    s(sym),
                    s(&dec(tol, comma)),
                    s(datum)
                ));
            }
            if r.chance(0.3) {
                let tol = *r.pick(&[0.05, 0.1]);
                gdt.push("position".into());
                let word = if fr { "Localisation" } else { "Position" };
                src.push_str(&format!(
                    "#P({:.2}, {:.2}, fcf({}, {}, \"A B\"))\n",
                    hx[1] + 3.0,
                    vy + vh * 0.3 - 1.0,
                    s(word),
                    s(&format!("Ø{}", dec(tol, comma)))
                ));
            }
            let note = match shape {
                "sheet_metal" => Some(if fr {
                    format!(
                        "Tôle ép. {} mm, pliage à 90°, rayon intérieur 2",
                        dec(h, comma)
                    )
                } else {
                    format!(
                        "Sheet metal t = {} mm, bend 90°, inner radius 2",
                        dec(h, comma)
                    )
                }),
                "welded" => Some(if fr {
                    "Ensemble mécano-soudé : soudure MAG, cordons a4".to_string()
                } else {
                    "Welded assembly: MAG weld, fillet a4".to_string()
                }),
                _ => None,
            };
            if let Some(n) = note {
                src.push_str(&format!("#T({vx:.2}, {:.2}, {})\n", fy + fh + 12.0, s(&n)));
            }
            TruthEnvelope {
                diameter: None,
                length: Some(l),
                width: Some(w),
                height: Some(h),
            }
        }
    };

    // Title block values.
    let (mat_raw, grade) = *r.pick(MATERIALS);
    let number = match r.below(4) {
        0 => format!("PL-{}-{:04}", 2023 + r.below(3), r.below(10000)),
        1 => format!("D{}-{:04}", 20 + r.below(6), r.below(10000)),
        2 => format!("UDS-{:05}", r.below(100000)),
        _ => format!("{:04}-{:03}", r.below(10000), r.below(1000)),
    };
    let revision = if r.chance(0.8) {
        ((b'A' + r.below(6) as u8) as char).to_string()
    } else {
        format!("{:02}", r.below(10))
    };
    let part_name = (*r.pick(if fr { NAMES_FR } else { NAMES_EN })).to_string();
    let customer = (*r.pick(CUSTOMERS)).to_string();
    let scale = (*r.pick(&["1:1", "1:2", "2:1", "1:5"])).to_string();
    let scale_written = if r.chance(0.2) {
        scale.replace(':', "/")
    } else {
        scale.clone()
    };
    let (y, m, d) = (2023 + r.below(3), 1 + r.below(12), 1 + r.below(28));
    let date_iso = format!("{y:04}-{m:02}-{d:02}");
    let date_written = match r.below(3) {
        0 => format!("{d:02}/{m:02}/{y}"),
        1 => date_iso.clone(),
        _ => format!("{d:02}.{m:02}.{y}"),
    };
    let quantity = r
        .chance(0.6)
        .then(|| *r.pick(&[1u32, 2, 5, 10, 25, 50, 100, 250]));
    let heat = r
        .chance(0.5)
        .then(|| (*r.pick(if fr { HEAT_FR } else { HEAT_EN })).to_string());
    let surface = r
        .chance(0.6)
        .then(|| (*r.pick(if fr { SURF_FR } else { SURF_EN })).to_string());
    let gt_class = *r.pick(&["mK", "fH", "m", "cL", "mH"]);
    let general = format!("ISO 2768-{gt_class}");
    let gt_in_title = r.chance(0.5);
    let combined_treatment = r.chance(0.3);
    let none_word = *r.pick(lb.none);

    // Cells: (label, value).
    let mut cells: Vec<(String, String)> = vec![
        ((*r.pick(lb.number)).into(), number.clone()),
        ((*r.pick(lb.rev)).into(), revision.clone()),
        ((*r.pick(lb.name)).into(), part_name.clone()),
        ((*r.pick(lb.material)).into(), mat_raw.to_string()),
        ((*r.pick(lb.customer)).into(), customer.clone()),
        ((*r.pick(lb.scale)).into(), scale_written),
        ((*r.pick(lb.date)).into(), date_written),
    ];
    if combined_treatment {
        let v = match (&heat, &surface) {
            (Some(h), Some(s)) => format!("{h} / {s}"),
            (Some(h), None) => h.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => none_word.to_string(),
        };
        cells.push(((*r.pick(lb.treatment)).into(), v));
    } else {
        cells.push((
            (*r.pick(lb.heat)).into(),
            heat.clone().unwrap_or_else(|| none_word.into()),
        ));
        cells.push((
            (*r.pick(lb.surface)).into(),
            surface.clone().unwrap_or_else(|| none_word.into()),
        ));
    }
    if let Some(q) = quantity {
        cells.push(((*r.pick(lb.qty)).into(), q.to_string()));
    }
    if gt_in_title {
        cells.push(((*r.pick(lb.tol)).into(), general.clone()));
    }
    cells.push((
        (*r.pick(lb.drawn)).into(),
        (*r.pick(&["J. Martin", "C. Roux", "A. Petit", "L. Moreau"])).into(),
    ));
    if r.chance(0.5) {
        cells.push((
            lb.mass.into(),
            format!(
                "{} kg",
                dec((r.range(0.1, 5.0) * 100.0).round() / 100.0, comma)
            ),
        ));
    }
    cells.push((lb.sheet.into(), "1/1".into()));
    // Shuffle a little (keep the number first half the time).
    for i in (1..cells.len()).rev() {
        if r.chance(0.5) {
            let j = 1 + r.below(i);
            cells.swap(i, j);
        }
    }
    let layout = r.below(4); // 0 label|value, 1 stacked, 2 "label : value", 3 stacked strip
    let layout = if title_pos == 3 {
        3
    } else if layout == 3 {
        1
    } else {
        layout
    };
    let label_size = *r.pick(&["6.5pt", "7pt", "7.5pt"]);
    let value_size = *r.pick(&["9pt", "9.5pt", "10pt"]);
    let cell_src = |l: &str, v: &str, layout: usize| -> String {
        match layout {
            0 => format!(
                "[#text(size: {label_size}, {})], [#text(size: {value_size}, {})]",
                s(l),
                s(v)
            ),
            2 => format!("[#text(size: {value_size}, {} + \" : \" + {})]", s(l), s(v)),
            _ => format!(
                "[#text(size: {label_size}, {}) \\ #text(size: {value_size}, {})]",
                s(l),
                s(v)
            ),
        }
    };
    let company = "USINAGE DUPONT SAS";
    let (table, tw) = match layout {
        0 => {
            let body: Vec<String> = cells.iter().map(|(l, v)| cell_src(l, v, 0)).collect();
            (
                format!(
                    "table(columns: (24mm, 38mm, 24mm, 38mm), stroke: 0.5pt, inset: 1.4mm, align: horizon + left, table.cell(colspan: 4, text(size: 11pt, weight: \"bold\", {})), {})",
                    s(company),
                    body.join(", ")
                ),
                124.0,
            )
        }
        2 => {
            let body: Vec<String> = cells.iter().map(|(l, v)| cell_src(l, v, 2)).collect();
            (
                format!(
                    "table(columns: (60mm, 60mm), stroke: 0.5pt, inset: 1.6mm, align: horizon + left, table.cell(colspan: 2, text(size: 11pt, weight: \"bold\", {})), {})",
                    s(company),
                    body.join(", ")
                ),
                120.0,
            )
        }
        3 => {
            let body: Vec<String> = cells.iter().map(|(l, v)| cell_src(l, v, 1)).collect();
            let cols = cells.len().div_ceil(2);
            let w = (265.0 / cols as f64).floor();
            (
                format!(
                    "table(columns: ({}), stroke: 0.5pt, inset: 1.4mm, align: top + left, {})",
                    vec![format!("{w}mm"); cols].join(", "),
                    body.join(", ")
                ),
                w * cols as f64,
            )
        }
        _ => {
            let body: Vec<String> = cells.iter().map(|(l, v)| cell_src(l, v, 1)).collect();
            (
                format!(
                    "table(columns: (34mm, 34mm, 34mm, 34mm), stroke: 0.5pt, inset: 1.4mm, align: top + left, table.cell(colspan: 4, text(size: 11pt, weight: \"bold\", {})), {})",
                    s(company),
                    body.join(", ")
                ),
                136.0,
            )
        }
    };
    let rows_est = match layout {
        0 => cells.len().div_ceil(2) as f64 * 7.0 + 8.0,
        2 => cells.len().div_ceil(2) as f64 * 7.5 + 8.0,
        3 => 2.0 * 11.0,
        _ => cells.len().div_ceil(4) as f64 * 11.0 + 8.0,
    };
    let (tx, ty) = match title_pos {
        0 => (285.0 - tw, 200.0 - rows_est),
        1 => (12.0, 200.0 - rows_est),
        2 => (285.0 - tw, 12.0),
        _ => (12.0, 200.0 - rows_est),
    };
    src.push_str(&format!("#P({tx:.1}, {ty:.1}, {table})\n"));

    // Projection symbol and its text, next to the title block.
    let first = r.chance(0.6);
    let proj_text = match (fr, first, r.below(2)) {
        (true, true, 0) => "Projection européenne",
        (true, true, _) => "ISO-E",
        (true, false, 0) => "Projection américaine",
        (true, false, _) => "ISO-A",
        (false, true, 0) => "First angle projection",
        (false, true, _) => "ISO-E",
        (false, false, 0) => "Third angle projection",
        (false, false, _) => "ISO-A",
    };
    let (px, py) = match title_pos {
        2 => (tx, ty + rows_est + 16.0),
        3 => (240.0, ty - 22.0),
        _ => (tx, ty - 22.0),
    };
    let (cone_x, circ_x) = if first {
        (px, px + 20.0)
    } else {
        (px + 14.0, px + 4.0)
    };
    src.push_str(&format!(
        "#P({cone_x:.1}, {py:.1}, polygon(stroke: 0.6pt, (0mm, 1.5mm), (10mm, 0mm), (10mm, 8mm), (0mm, 6.5mm)))\n"
    ));
    src.push_str(&format!(
        "#C({circ_x:.1}, {:.1}, 4, th: 0.6pt)\n#C({circ_x:.1}, {:.1}, 2.2, th: 0.6pt)\n",
        py + 4.0,
        py + 4.0
    ));
    src.push_str(&format!(
        "#T({:.1}, {:.1}, {}, size: 7pt)\n",
        px + 27.0,
        py + 2.5,
        s(proj_text)
    ));

    // Notes.
    let mut notes: Vec<String> = Vec::new();
    if !gt_in_title {
        notes.push(if fr {
            format!("Tolérances générales : {general}")
        } else {
            format!("General tolerances: {general}")
        });
    }
    notes.push(if fr {
        "Casser les angles vifs".into()
    } else {
        "Break sharp edges".into()
    });
    let mut critical: Vec<String> = Vec::new();
    if r.chance(0.3) {
        if fr {
            notes.push("PIÈCE CRITIQUE - caractéristiques clés repérées KC".into());
            critical.push("pièce critique".into());
            critical.push("caractéristique clé".into());
        } else {
            notes.push("CRITICAL PART - key characteristics marked KC".into());
            critical.push("pièce critique".into());
            critical.push("caractéristique clé".into());
        }
        if r.chance(0.5) {
            notes.push(if fr {
                "Secteur aéronautique, EN 9100".into()
            } else {
                "Aerospace, EN 9100".into()
            });
            critical.push("secteur aéronautique".into());
            critical.push("EN 9100".into());
        }
    }
    let (nx, ny) = match title_pos {
        1 => (200.0, 130.0),
        2 => (20.0, 150.0),
        3 => (20.0, 140.0),
        _ => (20.0, 150.0),
    };
    for (i, n) in notes.iter().enumerate() {
        src.push_str(&format!(
            "#T({nx:.1}, {:.1}, {})\n",
            ny + i as f64 * 5.0,
            s(n)
        ));
    }

    let truth = Truth {
        id: format!("d{index:03}"),
        drawing_number: Some(number),
        revision: Some(revision),
        part_name: Some(part_name),
        material: Some(mat_raw.into()),
        material_grade: Some(grade.into()),
        heat_treatment: heat,
        surface_treatment: surface,
        customer: Some(customer),
        scale: Some(scale),
        date: Some(date_iso),
        quantity,
        general_tolerance: Some(general),
        projection: Some(if first { "first_angle" } else { "third_angle" }.into()),
        shape_class: Some(shape.into()),
        envelope: Some(envelope),
        dimensions: truth_dims,
        threads,
        roughness,
        gdt,
        critical_markers: critical,
        layout: format!(
            "layout={layout} pos={title_pos} lang={} font={font}",
            if fr { "fr" } else { "en" }
        ),
    };
    (src, truth)
}

fn round4(v: f64) -> f64 {
    (v * 10000.0).round() / 10000.0
}

/// Vector PDF of a generated drawing.
pub fn render_pdf(src: &str, fonts: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    usinage_documents::pdf::render_with_fonts(src, &serde_json::json!({}), today, fonts)
        .map_err(|e| e.to_string())
}

/// "Scan" of a grey page: rotation (±0.5–3°), slight blur, noise. Deterministic by seed.
pub fn scan(page: &GrayImage, seed: u64) -> (GrayImage, f32) {
    let mut r = Rng::new(seed);
    let sign = if r.chance(0.5) { 1.0 } else { -1.0 };
    let angle = sign * r.range(0.5, 3.0) as f32;
    let rotated = crate::extract::ocr::rotate(page, angle);
    let (w, h) = rotated.dimensions();
    let src = rotated.as_raw();
    let mut out = GrayImage::new(w, h);
    let blur = r.range(0.15, 0.35) as f32;
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) as usize;
            let c = src[i] as f32;
            let n = |dx: i32, dy: i32| -> f32 {
                let xx = (x as i32 + dx).clamp(0, w as i32 - 1) as u32;
                let yy = (y as i32 + dy).clamp(0, h as i32 - 1) as u32;
                src[(yy * w + xx) as usize] as f32
            };
            let avg = (n(-1, 0) + n(1, 0) + n(0, -1) + n(0, 1)) / 4.0;
            let mut v = c * (1.0 - blur) + avg * blur;
            // Noise: small grain everywhere plus rare specks.
            let z = r.next_u64();
            v += ((z & 0xFF) as f32 - 127.5) / 127.5 * 18.0;
            if (z >> 8).is_multiple_of(4000) {
                v = 40.0;
            }
            // Paper tone.
            v = v * 0.93 + 8.0;
            out.put_pixel(x, y, Luma([v.clamp(0.0, 255.0) as u8]));
        }
    }
    (out, angle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let (a, ta) = generate(7, 3);
        let (b, tb) = generate(7, 3);
        assert_eq!(a, b);
        assert_eq!(ta, tb);
        let layouts: std::collections::HashSet<String> =
            (0..40).map(|i| generate(7, i).1.layout).collect();
        assert!(layouts.len() > 10);
        for i in 0..40 {
            let (_, t) = generate(1, i);
            assert!(t.drawing_number.is_some() && t.material_grade.is_some());
        }
    }
}
