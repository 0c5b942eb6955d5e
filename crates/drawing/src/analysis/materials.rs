//! Material designations matched to the shop's grades through AFNOR / EN / AISI / DIN
//! synonyms (NORMS §5.1). Case, spaces, dashes, dots and usual prefixes (EN AW, AISI, DIN,
//! W.-Nr.) are ignored; OCR confusions (O/0, I/l/1) are tolerated at lower confidence.

use serde::{Deserialize, Serialize};

/// One grade of the shop with every name it is known by.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GradeSynonyms {
    pub grade_id: String,
    pub afnor: Vec<String>,
    pub en_number: Vec<String>,
    pub en_name: Vec<String>,
    pub aisi: Vec<String>,
    pub din: Vec<String>,
    pub synonyms: Vec<String>,
}

impl GradeSynonyms {
    fn names(&self) -> impl Iterator<Item = &String> {
        self.afnor
            .iter()
            .chain(&self.en_number)
            .chain(&self.en_name)
            .chain(&self.aisi)
            .chain(&self.din)
            .chain(&self.synonyms)
            .chain(std::iter::once(&self.grade_id))
    }
}

const PREFIXES: &[&str] = &[
    "ENAW", "ENAC", "AISI", "SAE", "UNS", "DIN", "WNR", "WSTNR", "NFEN", "EN", "NF", "ASTM",
    "MATIERE", "MATERIAL", "AA",
];

/// Comparison key: upper case ASCII letters and digits only, known prefixes removed.
pub fn material_key(s: &str) -> String {
    let mut k: String = s
        .chars()
        .map(crate::analysis::text::fold_char)
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    loop {
        let before = k.len();
        for p in PREFIXES {
            if k.len() > p.len() + 2 && k.starts_with(p) {
                k = k[p.len()..].to_string();
            }
        }
        if k.len() == before {
            break;
        }
    }
    k
}

/// OCR-confusable letters folded to digits (O→0, I/L→1).
fn ocr_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            _ => c,
        })
        .collect()
}

/// Best grade for a raw material text, with a confidence 0–1.
pub fn match_material(raw: &str, grades: &[GradeSynonyms]) -> Option<(String, f32)> {
    let raw_key = material_key(raw);
    if raw_key.len() < 2 {
        return None;
    }
    // Whole-text keys plus keys of each token / token pair (e.g. "Acier 42CrMo4 trempé").
    let tokens: Vec<&str> = raw
        .split(|c: char| {
            c.is_whitespace()
                || c == '('
                || c == ')'
                || c == ','
                || c == ';'
                || c == '/'
                || c == '+'
        })
        .filter(|t| !t.is_empty())
        .collect();
    let mut keys: Vec<String> = vec![raw_key.clone()];
    for i in 0..tokens.len() {
        keys.push(material_key(tokens[i]));
        if i + 1 < tokens.len() {
            keys.push(material_key(&format!("{}{}", tokens[i], tokens[i + 1])));
        }
        if i + 2 < tokens.len() {
            keys.push(material_key(&format!(
                "{}{}{}",
                tokens[i],
                tokens[i + 1],
                tokens[i + 2]
            )));
        }
    }
    keys.retain(|k| k.len() >= 2);
    let mut best: Option<(String, f32, usize)> = None;
    let mut consider = |id: &str, conf: f32, len: usize| {
        let better = match &best {
            None => true,
            Some((_, c, l)) => conf > *c + 1e-6 || ((conf - *c).abs() < 1e-6 && len > *l),
        };
        if better {
            best = Some((id.to_string(), conf, len));
        }
    };
    for g in grades {
        for name in g.names() {
            let nk = material_key(name);
            if nk.len() < 2 {
                continue;
            }
            for (ki, k) in keys.iter().enumerate() {
                let whole = ki == 0;
                if *k == nk {
                    consider(&g.grade_id, if whole { 0.97 } else { 0.92 }, nk.len());
                } else if ocr_fold(k) == ocr_fold(&nk) {
                    consider(&g.grade_id, 0.8, nk.len());
                } else if nk.len() >= 6
                    && k.len() >= 6
                    && crate::analysis::text::levenshtein(&ocr_fold(k), &ocr_fold(&nk)) == 1
                {
                    consider(&g.grade_id, 0.6, nk.len());
                }
            }
            // A long name inside the whole text ("ACIERX2CRNI189TREMPE").
            if nk.len() >= 5 && raw_key.contains(&nk) {
                consider(&g.grade_id, 0.75, nk.len());
            }
        }
    }
    best.map(|(id, c, _)| (id, c))
}

fn g(
    id: &str,
    afnor: &[&str],
    num: &[&str],
    en: &[&str],
    aisi: &[&str],
    din: &[&str],
    syn: &[&str],
) -> GradeSynonyms {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect();
    GradeSynonyms {
        grade_id: id.into(),
        afnor: v(afnor),
        en_number: v(num),
        en_name: v(en),
        aisi: v(aisi),
        din: v(din),
        synonyms: v(syn),
    }
}

/// The NORMS §5.1 table, for tests, the corpus and as a default for callers without grades.
pub fn builtin_grades() -> Vec<GradeSynonyms> {
    vec![
        g(
            "S235JR",
            &["E24-2"],
            &["1.0038", "1.0037"],
            &["S235JR"],
            &["A36", "1015"],
            &["St37-2", "RSt37-2"],
            &[],
        ),
        g(
            "C45",
            &["XC48", "XC45"],
            &["1.0503", "1.1191"],
            &["C45", "C45E"],
            &["1045"],
            &["Ck45"],
            &[],
        ),
        g(
            "42CrMo4",
            &["42CD4"],
            &["1.7225"],
            &["42CrMo4"],
            &["4140", "4142"],
            &[],
            &[],
        ),
        g(
            "35NiCrMo16",
            &["35NCD16"],
            &["1.6773"],
            &["35NiCrMo16"],
            &[],
            &[],
            &[],
        ),
        g(
            "100Cr6",
            &["100C6"],
            &["1.3505"],
            &["100Cr6"],
            &["52100"],
            &[],
            &[],
        ),
        g(
            "X5CrNi18-10",
            &["Z7CN18-09", "Z6CN18-09"],
            &["1.4301"],
            &["X5CrNi18-10"],
            &["304", "S30400"],
            &[],
            &["inox 304"],
        ),
        g(
            "X2CrNi18-9",
            &["Z3CN18-10", "Z2CN18-10"],
            &["1.4307", "1.4306"],
            &["X2CrNi18-9"],
            &["304L", "S30403"],
            &["X2CrNi19-11"],
            &["inox 304L"],
        ),
        g(
            "X2CrNiMo17-12-2",
            &["Z3CND17-12-02", "Z2CND17-12"],
            &["1.4404"],
            &["X2CrNiMo17-12-2"],
            &["316L", "S31603"],
            &[],
            &["inox 316L"],
        ),
        g(
            "X17CrNi16-2",
            &["Z15CN16-02"],
            &["1.4057"],
            &["X17CrNi16-2"],
            &["431", "S43100"],
            &["X20CrNi17-2", "X19CrNi17-2"],
            &[],
        ),
        g(
            "2017A",
            &["A-U4G", "AU4G"],
            &["AW-2017A"],
            &["AlCu4MgSi(A)", "AlCu4MgSi"],
            &["2017"],
            &["AlCuMg1", "3.1325"],
            &["dural"],
        ),
        g(
            "2024",
            &["A-U4G1", "AU4G1"],
            &["AW-2024"],
            &["AlCu4Mg1"],
            &["2024"],
            &["AlCuMg2", "3.1355"],
            &[],
        ),
        g(
            "5083",
            &["A-G4,5MC", "AG4.5MC"],
            &["AW-5083"],
            &["AlMg4,5Mn0,7"],
            &["5083"],
            &["AlMg4,5Mn", "3.3547"],
            &[],
        ),
        g(
            "6061",
            &["A-GSUC"],
            &["AW-6061"],
            &["AlMg1SiCu"],
            &["6061"],
            &["AlMgSiCu", "3.3211"],
            &[],
        ),
        g(
            "6082",
            &["A-SGM0,7"],
            &["AW-6082"],
            &["AlSi1MgMn"],
            &["6082"],
            &["AlMgSi1", "3.2315"],
            &[],
        ),
        g(
            "7075",
            &["A-Z5GU", "AZ5GU"],
            &["AW-7075"],
            &["AlZn5,5MgCu"],
            &["7075"],
            &["AlZnMgCu1,5", "3.4365"],
            &[],
        ),
        g(
            "Ti-6Al-4V",
            &["T-A6V", "TA6V"],
            &["3.7165", "3.7164"],
            &["Ti-6Al-4V", "TiAl6V4"],
            &["Grade 5", "R56400"],
            &[],
            &["titane grade 5", "Ti grade 5"],
        ),
        g(
            "CuZn39Pb3",
            &[],
            &["CW614N"],
            &["CuZn39Pb3"],
            &["C38500"],
            &["2.0401"],
            &["laiton décolletage"],
        ),
        g(
            "CuSn8",
            &["UE8P"],
            &["CW453K"],
            &["CuSn8"],
            &["C52100"],
            &["2.1030"],
            &["bronze phosphoreux"],
        ),
        g(
            "POM",
            &[],
            &[],
            &["POM-C", "POM-H", "POM"],
            &["Delrin"],
            &[],
            &["acétal", "polyacétal"],
        ),
        g(
            "PA6",
            &[],
            &[],
            &["PA6", "PA 6"],
            &["Nylon 6"],
            &[],
            &["polyamide 6"],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(raw: &str) -> Option<String> {
        match_material(raw, &builtin_grades()).map(|(id, _)| id)
    }

    #[test]
    fn synonyms() {
        for raw in [
            "X2CrNi18-9",
            "304 L",
            "AISI 304L",
            "1.4307",
            "Z2CN18-10",
            "x2 cr ni 18 9",
            "Inox 304L",
            "W.-Nr. 1.4307",
        ] {
            assert_eq!(m(raw).as_deref(), Some("X2CrNi18-9"), "{raw}");
        }
        assert_eq!(m("AISI 304").as_deref(), Some("X5CrNi18-10"));
        assert_eq!(m("AU4G").as_deref(), Some("2017A"));
        assert_eq!(m("A-U4G").as_deref(), Some("2017A"));
        assert_eq!(m("EN AW-2017A").as_deref(), Some("2017A"));
        assert_eq!(m("AlCu4MgSi").as_deref(), Some("2017A"));
        assert_eq!(m("AU4G1").as_deref(), Some("2024"));
        assert_eq!(m("42CD4").as_deref(), Some("42CrMo4"));
        assert_eq!(m("42 CD 4").as_deref(), Some("42CrMo4"));
        assert_eq!(m("Acier 42CrMo4 trempé revenu").as_deref(), Some("42CrMo4"));
        assert_eq!(m("35NCD16").as_deref(), Some("35NiCrMo16"));
        assert_eq!(m("TA6V").as_deref(), Some("Ti-6Al-4V"));
        assert_eq!(m("Ti-6Al-4V").as_deref(), Some("Ti-6Al-4V"));
        assert_eq!(m("EN AW-7075 T6").as_deref(), Some("7075"));
        assert_eq!(m("XC48").as_deref(), Some("C45"));
        assert_eq!(m("316L").as_deref(), Some("X2CrNiMo17-12-2"));
        assert_eq!(m("CW614N").as_deref(), Some("CuZn39Pb3"));
        assert_eq!(m("Bois"), None);
        assert_eq!(m(""), None);
    }

    #[test]
    fn ocr_noise() {
        // O for 0, l for 1.
        assert_eq!(m("l.43O7").as_deref(), Some("X2CrNi18-9"));
        let (_, c) = match_material("42CD4", &builtin_grades()).unwrap();
        let (_, c2) = match_material("42CD4", &builtin_grades()).unwrap();
        assert!(c >= c2);
        assert_eq!(m("42CrMo5").as_deref(), Some("42CrMo4"));
    }
}
