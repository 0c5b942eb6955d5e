//! Demo and test purchase orders: a customer's PO rendered to PDF with typst (letterhead,
//! "BON DE COMMANDE N° …", date, "Votre devis n° DV-…", a lines table, totals, delivery
//! address, conditions), in varied styles (labels, column sets, number and date formats,
//! fonts, French or English), and a "scanned" variant (rasterised with pdftoppm, rotated and
//! noised by [`crate::corpus::scan`], saved as PNG or as an image-only PDF). Deterministic.

use crate::corpus::Rng;
use crate::error::DrawingError;
use crate::extract::{Limits, process};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A company block: name (with legal form) and address lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoParty {
    pub name: String,
    pub address_lines: Vec<String>,
    /// Small print: SIRET, VAT number, phone…
    pub legal: Vec<String>,
}

/// One ordered line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoPoLine {
    pub reference: String,
    pub revision: Option<String>,
    pub designation: String,
    pub quantity: u32,
    pub unit_price: Decimal,
    pub requested_date: Option<NaiveDate>,
}

impl DemoPoLine {
    pub fn total(&self) -> Decimal {
        (self.unit_price * Decimal::from(self.quantity)).round_dp(2)
    }
}

/// Look of the generated PO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoStyle {
    pub english: bool,
    /// 0 "1 234,50 €", 1 "1.234,50", 2 "1 234,50" with no-break spaces, 3 "1,234.50".
    pub number_format: u8,
    /// 0 "06/12/2026", 1 "6 décembre 2026" / "December 6, 2026", 2 "2026-12-06", 3 "06.12.2026".
    pub date_format: u8,
    /// Requested dates as ISO weeks ("S50/2026"): dates must then be Mondays.
    pub week_dates: bool,
    /// 0..=3 French column sets, English uses its own.
    pub columns: u8,
    /// 0 "BON DE COMMANDE N° X", 1 title then "N° X", 2 "Commande n° X", 3 label boxes.
    pub title: u8,
    /// 0 "Votre devis n° …", 1 "Réf. devis : …", 2 "Suivant votre offre …".
    pub quote_label: u8,
    pub font: String,
    pub font_size: f32,
    /// Header cells vertically centred instead of top-aligned.
    pub header_centered: bool,
}

impl Default for PoStyle {
    fn default() -> Self {
        Self {
            english: false,
            number_format: 0,
            date_format: 0,
            week_dates: false,
            columns: 0,
            title: 0,
            quote_label: 0,
            font: "DejaVu Sans".into(),
            font_size: 9.0,
            header_centered: false,
        }
    }
}

/// Everything printed on a demo PO; also the ground truth of the parser tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoPo {
    pub buyer: DemoParty,
    pub buyer_city: String,
    pub buyer_contact: Option<String>,
    pub supplier: DemoParty,
    pub po_number: String,
    pub date: NaiveDate,
    pub quote_reference: Option<String>,
    pub quote_date: Option<NaiveDate>,
    pub lines: Vec<DemoPoLine>,
    pub delivery_address: Vec<String>,
    pub conditions: Vec<String>,
    pub style: PoStyle,
}

/// Demo-shop clients (DEMO-SHOP.md §8): name, street, postcode and city, buyer.
const CLIENTS: &[(&str, &str, &str, &str)] = &[
    (
        "Aviaxe Structures SAS",
        "ZI de l'Aiguille, 14 avenue Bernard Fontanges",
        "46100 Figeac",
        "Laurent Delmas",
    ),
    (
        "Pyréos Défense SAS",
        "8 rue de l'Arsenal",
        "18000 Bourges",
        "Hélène Marchand",
    ),
    (
        "Orthalis Implants SAS",
        "27 rue du Dauphiné",
        "69800 Saint-Priest",
        "Claire Vidal",
    ),
    (
        "Moulinox Outillages Bresse SARL",
        "5 rue du Plastique",
        "01100 Oyonnax",
        "Pascal Jacquet",
    ),
    (
        "Agroval Process SAS",
        "42 boulevard de Belgique",
        "42300 Roanne",
        "Sophie Tissier",
    ),
    (
        "Dauphilec Automatismes SAS",
        "3 chemin du Vieux Chêne",
        "38240 Meylan",
        "Nicolas Brun",
    ),
    (
        "Ferrovia Forez Maintenance SAS",
        "110 rue de la Montat",
        "42100 Saint-Étienne",
        "Yannick Roche",
    ),
    (
        "Hydroléa Pompes SAS",
        "19 rue de l'Industrie",
        "63100 Clermont-Ferrand",
        "Élodie Fabre",
    ),
    (
        "Savoie Optronique SA",
        "6 avenue du Pré-Félin",
        "74940 Annecy",
        "Marc Perrin",
    ),
    (
        "Vercors Énergie Équipements SAS",
        "31 rue Faventines",
        "26000 Valence",
        "Julie Arnaud",
    ),
];

/// A demo-shop client (DEMO-SHOP.md §8) by name, else a generic address.
pub fn demo_party(name: &str) -> DemoParty {
    let key = crate::analysis::text::key(name);
    let found = CLIENTS
        .iter()
        .find(|c| crate::analysis::text::key(c.0) == key);
    match found {
        Some((n, street, city, _)) => DemoParty {
            name: (*n).into(),
            address_lines: vec![(*street).into(), (*city).into()],
            legal: vec![format!(
                "{} au capital de 500 000 € – RCS {}",
                n.rsplit(' ').next().unwrap_or("SAS"),
                city.split_once(' ').map_or(*city, |x| x.1)
            )],
        },
        None => DemoParty {
            name: name.into(),
            address_lines: vec!["1 rue de l'Usine".into(), "42000 Saint-Étienne".into()],
            legal: vec![],
        },
    }
}

/// Our company (DEMO-SHOP.md §1).
pub fn demo_supplier() -> DemoParty {
    DemoParty {
        name: "Usinage Démo SARL".into(),
        address_lines: vec![
            "12 rue des Tourneurs, ZA du Bois-Joli".into(),
            "42160 Andrézieux-Bouthéon".into(),
        ],
        legal: vec![],
    }
}

impl DemoPo {
    /// A French PO with sensible defaults (supplier: Usinage Démo SARL, delivery to the buyer,
    /// usual conditions) for `buyer` (a demo-shop client name gets its address).
    pub fn new(buyer: &str, po_number: &str, date: NaiveDate, lines: Vec<DemoPoLine>) -> Self {
        let party = demo_party(buyer);
        let contact = CLIENTS
            .iter()
            .find(|c| crate::analysis::text::key(c.0) == crate::analysis::text::key(buyer))
            .map(|c| c.3.to_string());
        let city = party
            .address_lines
            .last()
            .and_then(|l| l.split_once(' ').map(|x| x.1.to_string()))
            .unwrap_or_default();
        Self {
            delivery_address: {
                let mut v = vec![format!("{} – Magasin réception", party.name)];
                v.extend(party.address_lines.iter().cloned());
                v
            },
            buyer_city: city,
            buyer: party,
            buyer_contact: contact,
            supplier: demo_supplier(),
            po_number: po_number.into(),
            date,
            quote_reference: None,
            quote_date: None,
            lines,
            conditions: vec![
                "Paiement : 45 jours fin de mois, par virement.".into(),
                "Certificat matière 3.1 (EN 10204) et procès-verbal de contrôle à joindre à la livraison.".into(),
                "Merci de nous retourner l'accusé de réception de commande sous 48 heures.".into(),
            ],
            style: PoStyle::default(),
        }
    }

    /// The demo PO: Agroval Process orders two parts of DEMO-SHOP §9 (P1 and P3) against
    /// quote DV-2026-0001, dated 2026-03-02.
    pub fn example() -> Self {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        let mut po = Self::new(
            "Agroval Process SAS",
            "BC-2026-0456",
            d(2026, 3, 2),
            vec![
                DemoPoLine {
                    reference: "AFZ-24-0117".into(),
                    revision: Some("B".into()),
                    designation: "Arbre de transmission Ø30×120".into(),
                    quantity: 100,
                    unit_price: Decimal::new(2170, 2),
                    requested_date: Some(d(2026, 4, 13)),
                },
                DemoPoLine {
                    reference: "AGV-25-0043".into(),
                    revision: Some("C".into()),
                    designation: "Bride 316L Ø120×20, 6 trous".into(),
                    quantity: 10,
                    unit_price: Decimal::new(8990, 2),
                    requested_date: Some(d(2026, 4, 20)),
                },
            ],
        );
        po.quote_reference = Some("DV-2026-0001".into());
        po.quote_date = Some(d(2026, 2, 16));
        po
    }

    pub fn total(&self) -> Decimal {
        self.lines.iter().map(DemoPoLine::total).sum()
    }
}

const REFS: &[&str] = &[
    "AFZ-24-0117",
    "AGV-25-0043",
    "DAU-23-0882",
    "AVX-F-3120",
    "FER-22-0310",
    "PL-4471",
    "D24-0312",
    "UDS-00421",
    "4471-002",
    "ODL-5521",
    "HYD-2207-01",
    "SO-31.118",
    "PL-2025-0087",
    "VEE-7730",
];
const NAMES_FR: &[&str] = &[
    "Arbre de transmission",
    "Bride de fixation",
    "Support capteur",
    "Axe épaulé",
    "Entretoise",
    "Flasque arrière",
    "Platine",
    "Bague de guidage",
    "Corps de vérin",
    "Ferrure de fixation",
    "Cadre mécano-soudé",
    "Axe de vérin",
];
const NAMES_EN: &[&str] = &[
    "Drive shaft",
    "Mounting flange",
    "Sensor bracket",
    "Spacer",
    "Guide bushing",
    "Base plate",
    "Pivot pin",
    "Cover",
];
const FONTS: &[&str] = &["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"];

/// PO `index` of the test corpus for `seed`.
pub fn generate(seed: u64, index: usize) -> DemoPo {
    let mut r = Rng::new(seed.wrapping_mul(7_000_003).wrapping_add(index as u64));
    let english = r.chance(0.2);
    let client = *r.pick(CLIENTS);
    let (y, m, d) = (2026, 1 + r.below(12) as u32, 1 + r.below(28) as u32);
    let date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let po_number = match r.below(5) {
        0 => format!("BC-{y}-{:04}", r.below(10000)),
        1 => format!("45000{:05}", r.below(100000)),
        2 => format!("CDE{}-{:04}", y % 100, r.below(10000)),
        3 => format!("AC/{y}/{:04}", r.below(10000)),
        _ => format!("PO-{:05}", r.below(100000)),
    };
    let week_dates = !english && r.chance(0.15);
    let n = 1 + r.below(6);
    let mut refs: Vec<&str> = REFS.to_vec();
    let mut lines = Vec::new();
    for _ in 0..n {
        let k = r.below(refs.len());
        let reference = refs.remove(k).to_string();
        let revision = if r.chance(0.85) {
            Some(if r.chance(0.85) {
                ((b'A' + r.below(6) as u8) as char).to_string()
            } else {
                format!("{:02}", r.below(10))
            })
        } else {
            None
        };
        let designation = (*r.pick(if english { NAMES_EN } else { NAMES_FR })).to_string();
        // Series of cheap parts, few expensive ones.
        let cents = match r.below(3) {
            0 => 300 + r.below(5000),
            1 => 5000 + r.below(50000),
            _ => 30000 + r.below(300000),
        };
        let quantity = if cents > 50000 {
            *r.pick(&[1u32, 2, 5, 10, 12, 20])
        } else if cents > 10000 {
            *r.pick(&[1u32, 2, 5, 10, 12, 20, 25, 50, 100])
        } else {
            *r.pick(&[10u32, 25, 50, 100, 250, 1000])
        };
        let unit_price = Decimal::new(cents as i64, 2);
        let mut req = date + chrono::Days::new(21 + 7 * r.below(8) as u64);
        if week_dates {
            req = req - chrono::Days::new(req.weekday().num_days_from_monday() as u64);
        }
        lines.push(DemoPoLine {
            reference,
            revision,
            designation,
            quantity,
            unit_price,
            requested_date: r.chance(0.9).then_some(req),
        });
    }
    let mut po = DemoPo::new(client.0, &po_number, date, lines);
    if r.chance(0.8) {
        po.quote_reference = Some(format!(
            "DV-{}-{:04}",
            y - i32::from(m == 1),
            1 + r.below(200)
        ));
        po.quote_date = Some(date - chrono::Days::new(7 + r.below(30) as u64));
    }
    if english {
        po.conditions = vec![
            "Payment: 45 days end of month.".into(),
            "Material certificate 3.1 (EN 10204) and inspection report required.".into(),
            "Please acknowledge this order within 48 hours.".into(),
        ];
        po.delivery_address[0] = format!("{} – Goods receiving", po.buyer.name);
    }
    po.style = PoStyle {
        english,
        number_format: if english { 3 } else { r.below(3) as u8 },
        date_format: r.below(4) as u8,
        week_dates,
        columns: r.below(4) as u8,
        title: r.below(4) as u8,
        quote_label: r.below(3) as u8,
        font: FONTS[index % FONTS.len()].into(),
        font_size: *r.pick(&[8.5f32, 9.0, 9.5]),
        header_centered: r.chance(0.3),
    };
    po
}

/// Typst string literal.
fn lit(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

const MONTHS_FR: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn fmt_date(d: NaiveDate, st: &PoStyle) -> String {
    match st.date_format {
        1 if st.english => format!(
            "{} {}, {}",
            MONTHS_EN[d.month0() as usize],
            d.day(),
            d.year()
        ),
        1 => format!(
            "{} {} {}",
            d.day(),
            MONTHS_FR[d.month0() as usize],
            d.year()
        ),
        2 => d.format("%Y-%m-%d").to_string(),
        3 => d.format("%d.%m.%Y").to_string(),
        _ => d.format("%d/%m/%Y").to_string(),
    }
}

fn fmt_requested(d: NaiveDate, st: &PoStyle) -> String {
    if st.week_dates {
        let w = d.iso_week();
        format!("S{:02}/{}", w.week(), w.year())
    } else {
        // Requested dates stay numeric in narrow columns.
        let mut s = st.clone();
        if s.date_format == 1 {
            s.date_format = 0;
        }
        fmt_date(d, &s)
    }
}

fn group(int: &str, sep: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

fn fmt_money(d: Decimal, st: &PoStyle) -> String {
    let s = super::formats::money_string(d);
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    match st.number_format {
        1 => format!("{},{frac}", group(int, ".")),
        2 => format!("{},{frac}", group(int, "\u{a0}")),
        3 => format!("{}.{frac}", group(int, ",")),
        _ => format!("{},{frac} €", group(int, " ")),
    }
}

fn fmt_qty(q: u32, st: &PoStyle) -> String {
    let s = q.to_string();
    match st.number_format {
        3 => group(&s, ","),
        1 => group(&s, "."),
        _ => group(&s, " "),
    }
}

/// Typst source of the PO.
pub fn typst_source(po: &DemoPo) -> String {
    let st = &po.style;
    let en = st.english;
    let mut src = String::new();
    src.push_str(&format!(
        "#set page(paper: \"a4\", margin: (x: 15mm, top: 14mm, bottom: 20mm), footer: align(center, text(size: 6.5pt, fill: luma(90), {})))\n",
        lit(&format!(
            "{} – {} – {}",
            po.buyer.name,
            po.buyer.address_lines.join(", "),
            po.buyer.legal.join(" – ")
        ))
    ));
    src.push_str(&format!(
        "#set text(font: {}, size: {}pt, lang: \"{}\")\n#set par(leading: 0.5em)\n",
        lit(&st.font),
        st.font_size,
        if en { "en" } else { "fr" }
    ));
    // Letterhead (left) and title block (right).
    let mut left = format!(
        "text(size: 15pt, weight: \"bold\", {})",
        lit(&po.buyer.name)
    );
    for l in &po.buyer.address_lines {
        left.push_str(&format!(" + linebreak() + text(size: 8.5pt, {})", lit(l)));
    }
    let title_word = if en {
        "PURCHASE ORDER"
    } else {
        "BON DE COMMANDE"
    };
    let date_s = fmt_date(po.date, st);
    let date_line = if en {
        format!("Order date: {date_s}")
    } else if st.date_format == 1 {
        format!("{}, le {date_s}", po.buyer_city)
    } else {
        format!("Date : {date_s}")
    };
    let right = match (st.title, en) {
        (3, _) => {
            let (l1, l2) = if en {
                ("PO number", "Date")
            } else {
                ("N° de commande", "Date")
            };
            format!(
                "text(size: 14pt, weight: \"bold\", {}) + v(2mm) + table(columns: (38mm, 32mm), stroke: 0.5pt, inset: 1.6mm, align: left, text(size: 7pt, {}), text(size: 7pt, {}), text(size: 10pt, {}), text(size: 10pt, {}))",
                lit(title_word),
                lit(l1),
                lit(l2),
                lit(&po.po_number),
                lit(&date_s)
            )
        }
        (1, _) => format!(
            "text(size: 14pt, weight: \"bold\", {}) + linebreak() + text(size: 11pt, {}) + linebreak() + {}",
            lit(title_word),
            lit(&format!(
                "{} {}",
                if en { "No." } else { "N°" },
                po.po_number
            )),
            lit(&date_line)
        ),
        (2, false) => format!(
            "text(size: 14pt, weight: \"bold\", {}) + linebreak() + text(size: 11pt, {}) + linebreak() + {}",
            lit("COMMANDE FOURNISSEUR"),
            lit(&format!("Commande n° {}", po.po_number)),
            lit(&date_line)
        ),
        _ => format!(
            "text(size: 13pt, weight: \"bold\", {}) + linebreak() + {}",
            lit(&format!(
                "{title_word} {} {}",
                if en { "No." } else { "N°" },
                po.po_number
            )),
            lit(&date_line)
        ),
    };
    src.push_str(&format!(
        "#grid(columns: (1fr, 1fr), column-gutter: 8mm, align(left, {left}), align(right, {right}))\n#v(7mm)\n"
    ));
    // Buyer contact + quote reference (left), supplier box (right).
    let mut info: Vec<String> = Vec::new();
    if let Some(c) = &po.buyer_contact {
        info.push(format!("{} {c}", if en { "Buyer:" } else { "Acheteur :" }));
    }
    if let Some(q) = &po.quote_reference {
        let date = po
            .quote_date
            .map(|d| {
                if en {
                    format!(" dated {}", fmt_date(d, st))
                } else {
                    format!(" du {}", fmt_date(d, st))
                }
            })
            .unwrap_or_default();
        info.push(match (en, st.quote_label) {
            (true, _) => format!("Your quotation: {q}{date}"),
            (false, 1) => format!("Réf. devis : {q}"),
            (false, 2) => format!("Suivant votre offre {q}{date}"),
            _ => format!("Votre devis n° {q}{date}"),
        });
    }
    info.push(if en {
        "Currency: EUR – prices excl. VAT".into()
    } else {
        "Prix en euros hors taxes".into()
    });
    let info_src = info
        .iter()
        .map(|l| format!("text({})", lit(l)))
        .collect::<Vec<_>>()
        .join(" + linebreak() + ");
    let mut sup = format!(
        "text(size: 7.5pt, {}) + linebreak() + text(weight: \"bold\", {})",
        lit(if en { "Supplier:" } else { "Fournisseur :" }),
        lit(&po.supplier.name)
    );
    for l in &po.supplier.address_lines {
        sup.push_str(&format!(" + linebreak() + {}", lit(l)));
    }
    src.push_str(&format!(
        "#grid(columns: (1fr, 1fr), column-gutter: 8mm, align(left + bottom, {info_src}), rect(width: 100%, inset: 3mm, stroke: 0.6pt, {sup}))\n#v(7mm)\n"
    ));
    // Lines table.
    struct C {
        label: &'static str,
        width: &'static str,
        right: bool,
    }
    let c = |label, width, right| C {
        label,
        width,
        right,
    };
    let (cols, kind): (Vec<C>, u8) = if en {
        (
            vec![
                c("Item", "9mm", false),
                c("Part number", "27mm", false),
                c("Rev", "9mm", false),
                c("Description", "1fr", false),
                c("Qty", "12mm", true),
                c("Unit price", "21mm", true),
                c("Amount", "24mm", true),
                c("Delivery date", "21mm", false),
            ],
            10,
        )
    } else {
        match st.columns {
            1 => (
                vec![
                    c("Référence article", "30mm", false),
                    c("Désignation", "1fr", false),
                    c("Quantité", "16mm", true),
                    c("Prix unitaire HT", "22mm", true),
                    c("Montant HT", "25mm", true),
                    c("Date de livraison souhaitée", "24mm", false),
                ],
                1,
            ),
            2 => (
                vec![
                    c("N°", "8mm", false),
                    c("Réf. client", "32mm", false),
                    c("Désignation", "1fr", false),
                    c("Qté", "12mm", true),
                    c("Unité", "11mm", false),
                    c("PU HT", "20mm", true),
                    c("Total HT", "24mm", true),
                    c("Date livraison", "21mm", false),
                ],
                2,
            ),
            3 => (
                vec![
                    c("Ligne", "11mm", false),
                    c("Article", "27mm", false),
                    c("Description", "1fr", false),
                    c("Rév.", "9mm", false),
                    c("Qté cdée", "13mm", true),
                    c("Prix unit.", "20mm", true),
                    c("Montant", "24mm", true),
                    c("Délai", "20mm", false),
                ],
                3,
            ),
            _ => (
                vec![
                    c("Pos.", "9mm", false),
                    c("Réf.", "27mm", false),
                    c("Ind.", "9mm", false),
                    c("Désignation", "1fr", false),
                    c("Qté", "12mm", true),
                    c("P.U. HT", "20mm", true),
                    c("Montant HT", "24mm", true),
                    c("Délai", "20mm", false),
                ],
                0,
            ),
        }
    };
    let widths: Vec<&str> = cols.iter().map(|c| c.width).collect();
    let aligns: Vec<&str> = cols
        .iter()
        .map(|c| if c.right { "right" } else { "left" })
        .collect();
    let valign = if st.header_centered { "horizon" } else { "top" };
    // Table text: monospace runs wide, keep it in its cells.
    let table_size = if st.font.contains("Mono") {
        7.5
    } else {
        st.font_size.min(9.0)
    };
    let mut cells: Vec<String> = cols
        .iter()
        .map(|c| format!("text(weight: \"bold\", size: 8pt, {})", lit(c.label)))
        .collect();
    for (i, l) in po.lines.iter().enumerate() {
        let pos = ((i + 1) * if kind == 3 { 10 } else { 1 }).to_string();
        let rev = l.revision.clone().unwrap_or_default();
        let date = l
            .requested_date
            .map(|d| fmt_requested(d, st))
            .unwrap_or_default();
        let qty = fmt_qty(l.quantity, st);
        let pu = fmt_money(l.unit_price, st);
        let tot = fmt_money(l.total(), st);
        let row: Vec<String> = match kind {
            1 => {
                let des = match &l.revision {
                    Some(r) => format!("{} – ind. {r}", l.designation),
                    None => l.designation.clone(),
                };
                vec![l.reference.clone(), des, qty, pu, tot, date]
            }
            2 => {
                let r = match &l.revision {
                    Some(r) => format!("{} rév. {r}", l.reference),
                    None => l.reference.clone(),
                };
                vec![
                    pos,
                    r,
                    l.designation.clone(),
                    qty,
                    "pce".into(),
                    pu,
                    tot,
                    date,
                ]
            }
            3 => vec![
                pos,
                l.reference.clone(),
                l.designation.clone(),
                rev,
                qty,
                pu,
                tot,
                date,
            ],
            _ => vec![
                pos,
                l.reference.clone(),
                rev,
                l.designation.clone(),
                qty,
                pu,
                tot,
                date,
            ],
        };
        cells.extend(row.iter().map(|v| lit(v)));
    }
    src.push_str(&format!(
        "#{{ set text(size: {table_size}pt); table(columns: ({}), stroke: 0.5pt, inset: (x: 1.6mm, y: 1.8mm), fill: (x, y) => if y == 0 {{ luma(235) }}, align: (x, y) => (({}).at(x)) + (if y == 0 {{ {valign} }} else {{ top }}), {}) }}\n",
        widths.join(", "),
        aligns.join(", "),
        cells.join(", ")
    ));
    // Totals.
    let total = po.total();
    let vat = (total * Decimal::new(20, 2)).round_dp(2);
    let (l_ht, l_vat, l_ttc) = if en {
        ("Subtotal excl. VAT", "VAT 20 %", "Total incl. VAT")
    } else {
        ("Total HT", "TVA 20 %", "Total TTC")
    };
    src.push_str(&format!(
        "#v(2mm)\n#align(right, table(columns: (38mm, 28mm), stroke: 0.5pt, inset: 1.6mm, align: (left, right), {}, {}, {}, {}, text(weight: \"bold\", {}), text(weight: \"bold\", {})))\n#v(6mm)\n",
        lit(l_ht),
        lit(&fmt_money(total, st)),
        lit(l_vat),
        lit(&fmt_money(vat, st)),
        lit(l_ttc),
        lit(&fmt_money(total + vat, st))
    ));
    // Delivery address and conditions.
    src.push_str(&format!(
        "#text(weight: \"bold\", {})\\\n",
        lit(if en {
            "Delivery address:"
        } else {
            "Adresse de livraison :"
        })
    ));
    for l in &po.delivery_address {
        src.push_str(&format!("#{}\\\n", lit(l)));
    }
    src.push_str(&format!(
        "#v(4mm)\n#text(weight: \"bold\", {})\\\n",
        lit(if en { "Terms:" } else { "Conditions :" })
    ));
    for l in &po.conditions {
        src.push_str(&format!("#{}\\\n", lit(l)));
    }
    src.push_str(&format!(
        "#v(10mm)\n#align(right, {})\n",
        lit(&match (&po.buyer_contact, en) {
            (Some(c), true) => format!("Buyer: {c}"),
            (Some(c), false) => format!("Le responsable des achats, {c}"),
            (None, true) => "Purchasing department".into(),
            (None, false) => "Le service achats".into(),
        })
    ));
    src
}

fn fonts() -> &'static [Vec<u8>] {
    static F: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    F.get_or_init(crate::corpus::system_fonts)
}

/// Vector PDF of the PO (typst, in process). Errors only on a template bug.
pub fn demo_po_pdf(po: &DemoPo) -> Result<Vec<u8>, String> {
    let today = po.date;
    usinage_documents::pdf::render_with_fonts(
        &typst_source(po),
        &serde_json::json!({}),
        today,
        fonts(),
    )
    .map_err(|e| e.to_string())
}

/// Page `page` (1-based) of a PDF as a "scan": rasterised at `dpi` in grey by pdftoppm, then
/// rotated, blurred and noised by [`crate::corpus::scan`] (deterministic by `seed`).
pub fn scan_page(
    pdf: &[u8],
    page: u32,
    dpi: u32,
    seed: u64,
    limits: &Limits,
) -> Result<image::GrayImage, DrawingError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("po.pdf");
    std::fs::write(&path, pdf)?;
    let prefix = dir.path().join("page");
    let n = page.to_string();
    let out = process::run(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            process::p(&path),
            process::p(&prefix),
        ],
        Duration::from_secs(limits.page_timeout_secs),
        limits.memory_bytes,
        &[],
    )?;
    let png = prefix.with_extension("png");
    if !out.success || !png.is_file() {
        return Err(DrawingError::CorruptPdf(out.stderr.trim().to_string()));
    }
    let img = image::open(&png)
        .map_err(|e| DrawingError::CorruptImage(e.to_string()))?
        .into_luma8();
    Ok(crate::corpus::scan(&img, seed).0)
}

/// First page of the PO as a scanned PNG.
pub fn demo_po_scan_png(pdf: &[u8], dpi: u32, seed: u64) -> Result<Vec<u8>, DrawingError> {
    let img = scan_page(pdf, 1, dpi, seed, &Limits::default())?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| DrawingError::CorruptImage(e.to_string()))?;
    Ok(out.into_inner())
}

/// The PO as a scanned PDF: every page rasterised, "scanned", JPEG-compressed and wrapped in
/// an image-only PDF (no text layer, as from an office scanner).
pub fn demo_po_scan_pdf(pdf: &[u8], dpi: u32, seed: u64) -> Result<Vec<u8>, DrawingError> {
    let limits = Limits::default();
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("po.pdf");
    std::fs::write(&path, pdf)?;
    let pages = crate::extract::pdf::info(&path, &limits)?.pages;
    let mut jpegs = Vec::new();
    for p in 1..=pages {
        let img = scan_page(pdf, p, dpi, seed.wrapping_add(p as u64), &limits)?;
        let mut buf = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 80)
            .encode_image(&img)
            .map_err(|e| DrawingError::CorruptImage(e.to_string()))?;
        jpegs.push((img.width(), img.height(), buf));
    }
    Ok(image_pdf(&jpegs, dpi))
}

/// Minimal PDF with one grey JPEG per page, page size from the pixel size and `dpi`.
pub fn image_pdf(pages: &[(u32, u32, Vec<u8>)], dpi: u32) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, then per page: page, content, image.
    let obj = |out: &mut Vec<u8>, offsets: &mut Vec<usize>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, &mut offsets, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    obj(
        &mut out,
        &mut offsets,
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).as_bytes(),
    );
    for (i, (w, h, jpeg)) in pages.iter().enumerate() {
        let (pw, ph) = (*w as f64 * 72.0 / dpi as f64, *h as f64 * 72.0 / dpi as f64);
        let (content_id, image_id) = (4 + 3 * i, 5 + 3 * i);
        obj(
            &mut out,
            &mut offsets,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
            )
            .as_bytes(),
        );
        let content = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q");
        obj(
            &mut out,
            &mut offsets,
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            )
            .as_bytes(),
        );
        let mut body = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .into_bytes();
        body.extend_from_slice(jpeg);
        body.extend_from_slice(b"\nendstream");
        obj(&mut out, &mut offsets, &body);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        assert_eq!(generate(3, 4), generate(3, 4));
        let pos: Vec<DemoPo> = (0..40).map(|i| generate(11, i)).collect();
        let mut styles: Vec<(u8, u8, u8, bool)> = pos
            .iter()
            .map(|p| {
                (
                    p.style.columns,
                    p.style.number_format,
                    p.style.title,
                    p.style.english,
                )
            })
            .collect();
        styles.sort();
        styles.dedup();
        assert!(styles.len() > 15, "{}", styles.len());
        for p in &pos {
            assert!(!p.lines.is_empty() && p.lines.len() <= 6);
            if p.style.week_dates {
                for l in &p.lines {
                    if let Some(d) = l.requested_date {
                        assert_eq!(d.weekday(), chrono::Weekday::Mon);
                    }
                }
            }
        }
    }

    #[test]
    fn formats() {
        let mut st = PoStyle::default();
        let d = Decimal::new(123450, 2);
        assert_eq!(fmt_money(d, &st), "1 234,50 €");
        st.number_format = 1;
        assert_eq!(fmt_money(d, &st), "1.234,50");
        st.number_format = 3;
        assert_eq!(fmt_money(Decimal::new(123456789, 2), &st), "1,234,567.89");
        assert_eq!(fmt_qty(1000, &st), "1,000");
        let date = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        st.date_format = 1;
        assert_eq!(fmt_date(date, &st), "6 décembre 2026");
        st.english = true;
        assert_eq!(fmt_date(date, &st), "December 6, 2026");
        st.week_dates = true;
        assert_eq!(fmt_requested(date, &st), "S49/2026");
        let l = DemoPoLine {
            reference: "X".into(),
            revision: None,
            designation: "Y".into(),
            quantity: 3,
            unit_price: Decimal::new(3333, 2),
            requested_date: None,
        };
        assert_eq!(l.total().to_string(), "99.99");
    }

    #[test]
    fn example_po_is_the_demo_shop_one() {
        let po = DemoPo::example();
        assert_eq!(po.buyer.name, "Agroval Process SAS");
        assert_eq!(po.buyer.address_lines[1], "42300 Roanne");
        // 100 × 21,70 + 10 × 89,90 = 2 170,00 + 899,00 = 3 069,00
        assert_eq!(po.total().to_string(), "3069.00");
        let src = typst_source(&po);
        assert!(src.contains("BON DE COMMANDE N° BC-2026-0456"), "{src}");
        assert!(src.contains("Votre devis n° DV-2026-0001 du 16/02/2026"));
    }

    #[test]
    fn image_pdf_structure() {
        let pdf = image_pdf(&[(10, 20, vec![0xFF, 0xD8, 0xFF, 0xD9])], 72);
        let find = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(find(b"/MediaBox [0 0 10.00 20.00]").is_some());
        // The startxref offset points at "xref", each xref entry at "N 0 obj".
        let sx = find(b"startxref\n").unwrap() + 10;
        let end = sx + pdf[sx..].iter().position(|b| *b == b'\n').unwrap();
        let xref_at: usize = std::str::from_utf8(&pdf[sx..end]).unwrap().parse().unwrap();
        assert!(pdf[xref_at..].starts_with(b"xref\n0 6\n"));
        let table = std::str::from_utf8(&pdf[xref_at..sx]).unwrap();
        let offs: Vec<usize> = table
            .lines()
            .skip(3)
            .take(5)
            .map(|l| l[..10].parse().unwrap())
            .collect();
        assert_eq!(offs.len(), 5);
        for (i, o) in offs.iter().enumerate() {
            assert!(pdf[*o..].starts_with(format!("{} 0 obj", i + 1).as_bytes()));
        }
    }
}
