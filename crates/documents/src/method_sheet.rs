//! The method sheet (fiche méthode) of one operation: how the part is held, where the zero is,
//! which tools run at which cutting data, the programming steps, what is inspected and how
//! often, safety notes, attachments and the NC program. A4 portrait, French.
//!
//! What the methods office has not yet filled in is printed "à renseigner" (orange) in place,
//! and listed again in a "Données manquantes" box so that nobody starts a setup on a sheet with
//! holes. Every text arrives already formatted and travels to the template as JSON data.

use crate::pdf::{PdfError, render as render_pdf};
use crate::qr;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../templates/method_sheet.typ");

/// One tool of the operation with its cutting data. Units are in the table header (Ø mm,
/// Vc m/min, f mm/tr or fz mm/dent, ap/ae mm, n tr/min, Vf mm/min, Q cm³/min, P kW), so the
/// values carry none: "160", "0,05", "8 100".
#[derive(Debug, Clone, Default)]
pub struct MethodTool {
    /// "T01"
    pub position: String,
    /// "Fraise carbure Ø10 Z4 TiAlN"
    pub designation: String,
    pub diameter: Option<String>,
    /// Number of teeth (z).
    pub teeth: Option<String>,
    pub cutting_speed: Option<String>,
    /// "f 0,25" (turning, drilling) or "fz 0,05" (milling).
    pub feed: Option<String>,
    pub depth_of_cut: Option<String>,
    pub width_of_cut: Option<String>,
    pub spindle_speed: Option<String>,
    pub feed_rate: Option<String>,
    pub removal_rate: Option<String>,
    /// Power needed against the machine's: "3,2 / 22,4".
    pub power: Option<String>,
    /// The needed power exceeds what the machine can give (or comes close): marked cell.
    pub power_warning: bool,
    /// "n plafonnée à 8 100 tr/min : Vc effective 76 m/min" — printed under the tool's row.
    pub warnings: Vec<String>,
}

/// One characteristic to inspect.
#[derive(Debug, Clone)]
pub struct InspectionPoint {
    /// "Portée Ø25 h6"
    pub characteristic: String,
    /// "Ø25 0/−0,013"
    pub nominal: String,
    /// "I04 micromètre 0–25"
    pub instrument: Option<String>,
    /// "100 %", "1 pièce sur 10"
    pub frequency: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MethodSheetDoc {
    pub company_name: String,
    /// "OF-2026-0042"; `None` for a sheet printed from the part's routing, outside any job.
    pub job_number: Option<String>,
    /// 10, 20, 30…
    pub operation_number: u32,
    /// "Tournage OP2 — finition portées Ø25 h6"
    pub operation_label: String,
    /// "M02 — Haas ST-20Y (Haas NGC)"
    pub work_center: String,
    pub part_name: String,
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    pub material: Option<String>,
    /// "v3 — modifiée le 27/02/2026 par Julien Ravel"
    pub version: String,
    /// Fixturing (montage, bridage).
    pub fixturing: Option<String>,
    /// Datums / references (références, appuis).
    pub datums: Option<String>,
    /// Part zero (origine pièce).
    pub zero_point: Option<String>,
    pub tools: Vec<MethodTool>,
    /// CAM / programming steps, in order.
    pub steps: Vec<String>,
    pub inspection: Vec<InspectionPoint>,
    pub safety: Vec<String>,
    /// Names of the attached files and photos.
    pub attachments: Vec<String>,
    /// "O2030 — AFZ-24-0117_OP30.nc (TopSolid'Cam, post Haas NGC)"
    pub nc_program: Option<String>,
    /// Further missing items the caller knows of ("Vc de T05 non validée").
    pub missing: Vec<String>,
    /// Address opened by the operation's QR code.
    pub url: Option<String>,
}

/// Renders the method sheet. `today` is the date typst sees.
pub fn render(doc: &MethodSheetDoc, today: chrono::NaiveDate) -> Result<Vec<u8>, PdfError> {
    render_pdf(TEMPLATE, &to_json(doc)?, today)
}

/// Non-empty, trimmed text, or `None`.
fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Trimmed, non-empty items.
fn texts(v: &[String]) -> Vec<&str> {
    v.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Numbers must not wrap inside the narrow cutting-data cells ("8 100").
fn cell(s: &Option<String>) -> Option<String> {
    opt(s).map(|s| s.replace(' ', "\u{a0}"))
}

/// Everything the sheet lacks before a setup can start, in the order of the sheet, without
/// duplicates: the empty setup fields and sections, then the caller's own items.
pub fn missing_items(d: &MethodSheetDoc) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    for (value, label) in [
        (&d.fixturing, "Montage / bridage"),
        (&d.datums, "Références / appuis"),
        (&d.zero_point, "Origine pièce"),
    ] {
        if opt(value).is_none() {
            push(label);
        }
    }
    if d.tools.is_empty() {
        push("Outils et conditions de coupe");
    }
    if d.steps.iter().all(|s| s.trim().is_empty()) {
        push("Étapes de programmation");
    }
    if d.inspection.is_empty() {
        push("Points de contrôle");
    }
    if opt(&d.nc_program).is_none() {
        push("Programme CN");
    }
    for m in texts(&d.missing) {
        push(m);
    }
    out
}

fn tool_json(t: &MethodTool) -> Value {
    json!({
        "position": t.position.trim(),
        "designation": t.designation.trim(),
        "diameter": cell(&t.diameter),
        "teeth": cell(&t.teeth),
        "cutting_speed": cell(&t.cutting_speed),
        "feed": cell(&t.feed),
        "depth_of_cut": cell(&t.depth_of_cut),
        "width_of_cut": cell(&t.width_of_cut),
        "spindle_speed": cell(&t.spindle_speed),
        "feed_rate": cell(&t.feed_rate),
        "removal_rate": cell(&t.removal_rate),
        "power": cell(&t.power),
        "power_warning": t.power_warning,
        "warnings": texts(&t.warnings),
    })
}

fn to_json(d: &MethodSheetDoc) -> Result<Value, PdfError> {
    let qr_svg = opt(&d.url)
        .map(|u| qr::svg(u).map_err(|e| PdfError::Layout(e.to_string())))
        .transpose()?;
    let drawing = opt(&d.drawing_number).map(|n| match opt(&d.drawing_revision) {
        Some(r) => format!("{n} ind.\u{a0}{r}"),
        None => n.to_string(),
    });
    Ok(json!({
        "company_name": d.company_name.trim(),
        "job_number": opt(&d.job_number),
        "operation_number": d.operation_number.to_string(),
        "operation_label": d.operation_label.trim(),
        "work_center": d.work_center.trim(),
        "part_name": d.part_name.trim(),
        "drawing": drawing,
        "material": opt(&d.material),
        "version": d.version.trim(),
        "fixturing": opt(&d.fixturing),
        "datums": opt(&d.datums),
        "zero_point": opt(&d.zero_point),
        "tools": d.tools.iter().map(tool_json).collect::<Vec<_>>(),
        "steps": texts(&d.steps),
        "inspection": d.inspection.iter().map(|p| json!({
            "characteristic": p.characteristic.trim(),
            "nominal": p.nominal.trim(),
            "instrument": opt(&p.instrument),
            "frequency": opt(&p.frequency),
        })).collect::<Vec<_>>(),
        "safety": texts(&d.safety),
        "attachments": texts(&d.attachments),
        "nc_program": opt(&d.nc_program),
        "missing": missing_items(d),
        "qr_svg": qr_svg,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn text_of(pdf: &[u8]) -> (usize, String) {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        (pages.len(), doc.extract_text(&pages).unwrap())
    }

    fn save(name: &str, pdf: &[u8]) {
        if let Ok(dir) = std::env::var("DOCS_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/{name}.pdf"), pdf).unwrap();
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn tool(
        pos: &str,
        des: &str,
        d: &str,
        z: &str,
        vc: &str,
        f: &str,
        ap: &str,
        ae: &str,
        n: &str,
        vf: &str,
        q: &str,
        p: &str,
    ) -> MethodTool {
        let o = |s: &str| (!s.is_empty()).then(|| s.to_string());
        MethodTool {
            position: pos.into(),
            designation: des.into(),
            diameter: o(d),
            teeth: o(z),
            cutting_speed: o(vc),
            feed: o(f),
            depth_of_cut: o(ap),
            width_of_cut: o(ae),
            spindle_speed: o(n),
            feed_rate: o(vf),
            removal_rate: o(q),
            power: o(p),
            power_warning: false,
            warnings: vec![],
        }
    }

    /// P2 of the demo shop, OP20 on the Haas VF-2: 7075-T651 sensor bracket, first side.
    /// Cutting data worked by hand (n = 1000·Vc / (π·D), Vf = n·z·fz, Q = ap·ae·Vf / 1000,
    /// P = Q·kc / (60 000·η) with kc 800 N/mm² for 7075 and η 0,8): T03 Ø10 Z3 at Vc 550 →
    /// n = 17 507 tr/min > 8 100 of M04 → capped at 8 100 (Vc effective 254 m/min); Vf = 8 100 ×
    /// 3 × 0,06 = 1 458 mm/min; Q = 10 × 3 × 1 458 / 1000 = 43,7 cm³/min; P = 0,7 kW. T08 Ø20 Z4
    /// at Vc 450 → n = 7 162, Vf = 2 865, Q = 25 × 20 × 2 865 / 1000 = 1 432 cm³/min, P = 23,9 kW
    /// > 22,4 kW of the spindle → marked.
    fn p2_sheet() -> MethodSheetDoc {
        let mut tools = vec![
            tool(
                "T01",
                "Surfaceuse Ø50 45° 4 plaquettes",
                "50",
                "4",
                "250",
                "fz 0,15",
                "1",
                "40",
                "1 592",
                "955",
                "38,2",
                "0,6 / 22,4",
            ),
            tool(
                "T02",
                "Fraise carbure Ø16 Z3 ébauche alu",
                "16",
                "3",
                "600",
                "fz 0,10",
                "8",
                "6",
                "8 100",
                "2 430",
                "116,6",
                "1,9 / 22,4",
            ),
            tool(
                "T03",
                "Fraise carbure Ø10 Z3 alu",
                "10",
                "3",
                "550",
                "fz 0,06",
                "10",
                "3",
                "8 100",
                "1 458",
                "43,7",
                "0,7 / 22,4",
            ),
            tool(
                "T04",
                "Foret à centrer 90° Ø10",
                "10",
                "2",
                "150",
                "f 0,10",
                "",
                "",
                "4 775",
                "478",
                "",
                "",
            ),
            tool(
                "T05",
                "Foret carbure Ø5,8 5×D",
                "5,8",
                "2",
                "140",
                "f 0,14",
                "",
                "",
                "7 683",
                "1 076",
                "",
                "",
            ),
            tool(
                "T06",
                "Alésoir carbure Ø6 H7 6 dents",
                "6",
                "6",
                "150",
                "f 0,25",
                "0,1",
                "",
                "7 958",
                "1 990",
                "",
                "",
            ),
            tool(
                "T07",
                "Fraise à chanfreiner 90° Ø10 Z4",
                "10",
                "4",
                "250",
                "fz 0,04",
                "0,5",
                "",
                "7 958",
                "1 273",
                "",
                "",
            ),
        ];
        tools[1].warnings = vec![
            "n plafonnée à 8 100 tr/min (M04) : Vc effective 407 m/min au lieu de 600.".into(),
        ];
        tools[2].warnings = vec![
            "n plafonnée à 8 100 tr/min (M04) : Vc effective 254 m/min au lieu de 550.".into(),
        ];
        let mut big = tool(
            "T08",
            "Fraise carbure Ø20 Z4 pleine matière",
            "20",
            "4",
            "450",
            "fz 0,10",
            "25",
            "20",
            "7 162",
            "2 865",
            "1 432",
            "23,9 / 22,4",
        );
        big.power_warning = true;
        big.warnings = vec!["Puissance nécessaire 23,9 kW > 22,4 kW de la broche : réduire ap à 15 mm ou passer en trochoïdal.".into()];
        tools.push(big);
        MethodSheetDoc {
            company_name: "Usinage Démo SARL".into(),
            job_number: Some("OF-2026-0043".into()),
            operation_number: 20,
            operation_label: "Fraisage OP1 en étau — surfaçage, contour, poche, perçage/alésage 2 × Ø6 H7".into(),
            work_center: "M04 — Haas VF-2 (Haas NGC)".into(),
            part_name: "Support capteur 80×50×20".into(),
            drawing_number: Some("DAU-23-0882".into()),
            drawing_revision: Some("A".into()),
            material: Some("EN AW-7075 T651 — plat 60×25 débité à 86,6".into()),
            version: "v3 — modifiée le 27/02/2026 par Julien Ravel".into(),
            fixturing: Some("Étau Kurt 150 mors doux usinés, cales parallèles 15 mm, butée côté gauche.".into()),
            datums: Some("Appui plan A (face brute inférieure), butée B côté gauche, mors fixe C.".into()),
            zero_point: None,
            tools,
            steps: vec![
                "Surfacer la face supérieure à 21,0 (surépaisseur 1 mm pour OP2).".into(),
                "Ébaucher le contour extérieur 80 × 50, surépaisseur 0,3 mm.".into(),
                "Ébaucher la poche 60 × 30 × 12 en trochoïdal, surépaisseur 0,2 mm.".into(),
                "Finir contour et poche (tolérance ±0,05) en une passe latérale.".into(),
                "Centrer, percer Ø5,8 puis aléser les 2 × Ø6 H7 (alésage à sec interdit : arrosage).".into(),
                "Chanfreiner 0,5 × 45° toutes arêtes accessibles.".into(),
                "Souffler, démonter, contrôler la première pièce avant de lancer la série.".into(),
            ],
            inspection: vec![
                InspectionPoint { characteristic: "Alésages 2 × Ø6 H7".into(), nominal: "Ø6 +0,012/0".into(), instrument: Some("Tampon lisse Ø6 H7".into()), frequency: Some("100 %".into()) },
                InspectionPoint { characteristic: "Poche".into(), nominal: "60 × 30 ±0,05".into(), instrument: Some("I02 pied à coulisse 0–150".into()), frequency: Some("1 pièce sur 5".into()) },
                InspectionPoint { characteristic: "Planéité face A".into(), nominal: "0,05".into(), instrument: Some("I15 comparateur + marbre".into()), frequency: Some("1re pièce et dernière".into()) },
                InspectionPoint { characteristic: "Entraxe alésages".into(), nominal: "40 ±0,02".into(), instrument: Some("I13 colonne de mesure".into()), frequency: Some("1 pièce sur 10".into()) },
            ],
            safety: vec![
                "Portes fermées pendant l'usinage, copeaux d'aluminium tranchants : gants pour l'évacuation.".into(),
                "Vérifier le serrage de l'étau au couple (60 N·m) avant chaque départ cycle.".into(),
            ],
            attachments: vec!["Photo montage OP20.jpg".into(), "DAU-23-0882_A.pdf".into(), "Simulation TopSolid OP20.mp4".into()],
            nc_program: Some("O3020 — DAU-23-0882_OP20.nc (TopSolid'Cam, post Haas NGC)".into()),
            missing: vec!["Vc de T05 à valider sur 7075".into()],
            url: Some("http://atelier.local:8080/o/op/1320".into()),
        }
    }

    #[test]
    fn method_sheet_shows_header_tools_warnings_and_missing_zero_point() {
        let pdf = render(&p2_sheet(), today()).unwrap();
        save("method-sheet-p2", &pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1, "{text}");
        assert!(text.contains("OF-2026-0043"), "{text}");
        assert!(
            text.contains("v3 — modifiée le 27/02/2026 par Julien Ravel"),
            "{text}"
        );
        assert!(text.contains("DAU-23-0882"), "{text}");
        assert!(text.contains("T08"), "{text}");
        assert!(text.contains("23,9 kW > 22,4 kW"), "{text}");
        assert!(text.contains("à renseigner"), "{text}");
        assert!(text.contains("Données manquantes"), "{text}");
        assert!(text.contains("Vc de T05 à valider"), "{text}");
        assert!(text.contains("Photo montage OP20.jpg"), "{text}");
        assert!(text.contains("O3020"), "{text}");
        assert!(text.contains("Page 1 / 1"), "{text}");
    }

    #[test]
    fn a_long_method_sheet_spans_two_pages_and_page_2_restates_the_operation() {
        let mut doc = p2_sheet();
        let base = doc.tools.clone();
        for t in base.iter().chain(&base) {
            let mut t = t.clone();
            t.position = format!("T{:02}", doc.tools.len() + 1);
            doc.tools.push(t);
        }
        for i in 1..=8 {
            doc.steps.push(format!("Étape complémentaire {i} : reprise de la poche en finition, contrôle de la cote et report sur la fiche de contrôle."));
        }
        let pdf = render(&doc, today()).unwrap();
        save("method-sheet-long", &pdf);
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 2, "{text}");
        assert!(text.contains("Page 2 / 2"), "{text}");
        let lo = lopdf::Document::load_mem(&pdf).unwrap();
        let page2 = lo.extract_text(&[2]).unwrap();
        // Page 2 restates which operation it belongs to.
        assert!(
            page2.contains("OF-2026-0043") && page2.contains("Op. 20"),
            "{page2}"
        );
        assert!(text.contains("Étape complémentaire 8"), "{text}");
    }

    #[test]
    fn missing_items_follow_the_sheet_order_without_duplicates() {
        let mut doc = p2_sheet();
        assert_eq!(
            missing_items(&doc),
            vec!["Origine pièce", "Vc de T05 à valider sur 7075"]
        );
        doc.fixturing = Some("  ".into());
        doc.tools.clear();
        doc.steps = vec![" ".into()];
        doc.inspection.clear();
        doc.nc_program = None;
        doc.missing = vec!["Programme CN".into(), "Photo du montage".into(), "".into()];
        assert_eq!(
            missing_items(&doc),
            vec![
                "Montage / bridage",
                "Origine pièce",
                "Outils et conditions de coupe",
                "Étapes de programmation",
                "Points de contrôle",
                "Programme CN",
                "Photo du montage",
            ]
        );
    }

    #[test]
    fn an_empty_method_sheet_renders_with_every_section_to_fill_in() {
        let doc = MethodSheetDoc {
            company_name: "Atelier".into(),
            job_number: None,
            operation_number: 10,
            operation_label: "Débit".into(),
            work_center: "M01".into(),
            part_name: "Pièce".into(),
            drawing_number: None,
            drawing_revision: None,
            material: None,
            version: "v1".into(),
            fixturing: None,
            datums: None,
            zero_point: None,
            tools: vec![],
            steps: vec![],
            inspection: vec![],
            safety: vec![],
            attachments: vec![],
            nc_program: None,
            missing: vec![],
            url: None,
        };
        let pdf = render(&doc, today()).unwrap();
        save("method-sheet-empty", &pdf);
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1);
        assert!(text.contains("Points de contrôle"), "{text}");
        assert!(text.matches("à renseigner").count() >= 3, "{text}");
    }
}
