//! Purchase-order import end to end: generated customer POs (vector PDF, scanned PNG, scanned
//! image-only PDF) through `read_po`, then matching against quote lines.

mod common;

use rust_decimal::Decimal;
use usinage_drawing::Limits;
use usinage_drawing::po::{
    self, DemoPo, LineLayout, PurchaseOrder, QuoteLineRef, best_quote, corpus, demo_po_pdf,
    demo_po_scan_pdf, demo_po_scan_png, match_lines, read_po,
};

/// Field-by-field comparison with the generator's truth: (right, total, what was wrong).
fn score(po: &PurchaseOrder, t: &DemoPo, ocr: bool) -> (usize, usize, Vec<String>) {
    let mut ok = 0;
    let mut total = 0;
    let mut wrong = Vec::new();
    let mut check = |name: &str, got: Option<String>, want: Option<String>| {
        total += 1;
        if got == want {
            ok += 1;
        } else {
            wrong.push(format!("{name}: {got:?} ≠ {want:?}"));
        }
    };
    check(
        "po_number",
        po.po_number.as_ref().map(|f| f.value.clone()),
        Some(t.po_number.clone()),
    );
    check(
        "po_date",
        po.po_date.as_ref().map(|f| f.value.to_string()),
        Some(t.date.to_string()),
    );
    check(
        "quote_reference",
        po.quote_reference.as_ref().map(|f| f.value.clone()),
        t.quote_reference.clone(),
    );
    if !ocr {
        check(
            "buyer",
            po.buyer.as_ref().map(|f| f.value.clone()),
            Some(t.buyer.name.clone()),
        );
    } else {
        // OCR may drop accents or merge letters: a close name is good enough for a person.
        let got = po
            .buyer
            .as_ref()
            .map(|f| f.value.clone())
            .unwrap_or_default();
        let sim = usinage_drawing::analysis::text::similarity(
            &usinage_drawing::analysis::text::key(&got),
            &usinage_drawing::analysis::text::key(&t.buyer.name),
        );
        check(
            "buyer",
            Some((sim >= 0.85).to_string()),
            Some("true".into()),
        );
    }
    check(
        "currency",
        po.currency.as_ref().map(|f| f.value.clone()),
        Some("EUR".into()),
    );
    check(
        "total_ht",
        po.total_ht.as_ref().map(|f| f.value.to_string()),
        Some(t.total().to_string()),
    );
    check(
        "line_count",
        Some(po.lines.len().to_string()),
        Some(t.lines.len().to_string()),
    );
    for (i, want) in t.lines.iter().enumerate() {
        let got = po.lines.get(i);
        let g = |f: &dyn Fn(&po::PoLine) -> Option<String>| got.and_then(f);
        check(
            &format!("l{i}.reference"),
            g(&|l| l.reference.as_ref().map(|f| f.value.clone())),
            Some(want.reference.clone()),
        );
        check(
            &format!("l{i}.revision"),
            g(&|l| l.revision.as_ref().map(|f| f.value.clone())),
            want.revision.clone(),
        );
        if !ocr {
            check(
                &format!("l{i}.designation"),
                g(&|l| l.designation.as_ref().map(|f| f.value.clone())),
                Some(want.designation.clone()),
            );
        }
        check(
            &format!("l{i}.quantity"),
            g(&|l| l.quantity.as_ref().map(|f| f.value.to_string())),
            Some(want.quantity.to_string()),
        );
        check(
            &format!("l{i}.unit_price"),
            g(&|l| l.unit_price.as_ref().map(|f| f.value.to_string())),
            Some(po::formats::money_string(want.unit_price)),
        );
        check(
            &format!("l{i}.line_total"),
            g(&|l| l.line_total.as_ref().map(|f| f.value.to_string())),
            Some(po::formats::money_string(want.total())),
        );
        check(
            &format!("l{i}.requested_date"),
            g(&|l| l.requested_date.as_ref().map(|f| f.value.to_string())),
            want.requested_date.map(|d| d.to_string()),
        );
    }
    (ok, total, wrong)
}

fn dump(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("PO_SAMPLE_DIR") {
        let _ = std::fs::write(format!("{dir}/{name}"), bytes);
    }
}

#[test]
fn vector_po_every_field_exact() {
    if !common::tools_available("vector_po_every_field_exact") {
        return;
    }
    let mut pos = vec![DemoPo::example()];
    pos.extend((0..8).map(|i| corpus::generate(2026, i)));
    for (i, t) in pos.iter().enumerate() {
        let pdf = demo_po_pdf(t).unwrap();
        dump(&format!("po{i}.pdf"), &pdf);
        let po = read_po(&pdf, &Limits::default()).unwrap();
        let (ok, total, wrong) = score(&po, t, false);
        assert_eq!(
            ok, total,
            "PO {i} ({:?}): {wrong:#?}\n{:#?}",
            t.style, po.lines
        );
        assert_eq!(po.layout, LineLayout::Table);
        assert_eq!(po.text_source, Some(usinage_drawing::TextSource::Vector));
        assert!(po.warnings_fr.is_empty(), "PO {i}: {:?}", po.warnings_fr);
        for l in &po.lines {
            assert!(l.confidence >= 0.9, "PO {i}: {l:?}");
        }
    }
}

#[test]
fn scanned_po_png_is_read_by_ocr() {
    if !common::tools_available("scanned_po_png_is_read_by_ocr") {
        return;
    }
    let t = DemoPo::example();
    let pdf = demo_po_pdf(&t).unwrap();
    let png = demo_po_scan_png(&pdf, 300, 7).unwrap();
    dump("po-scan.png", &png);
    let po = read_po(&png, &Limits::default()).unwrap();
    assert_eq!(po.text_source, Some(usinage_drawing::TextSource::Ocr));
    let (ok, total, wrong) = score(&po, &t, true);
    eprintln!("scan PNG: {ok}/{total} {wrong:?}");
    assert_eq!(po.po_number.as_ref().unwrap().value, "BC-2026-0456");
    assert_eq!(po.po_date.as_ref().unwrap().value.to_string(), "2026-03-02");
    assert_eq!(po.lines.len(), 2, "{:#?}", po.lines);
    for (l, want) in po.lines.iter().zip(&t.lines) {
        assert_eq!(l.reference.as_ref().unwrap().value, want.reference);
        assert_eq!(l.quantity.as_ref().unwrap().value, want.quantity);
    }
    assert!(po.warnings_fr.iter().any(|w| w.contains("OCR")));
}

#[test]
fn scanned_po_pdf_without_text_layer_is_ocred() {
    if !common::tools_available("scanned_po_pdf_without_text_layer_is_ocred") {
        return;
    }
    let t = corpus::generate(2026, 3);
    let pdf = demo_po_pdf(&t).unwrap();
    let scan = demo_po_scan_pdf(&pdf, 300, 3).unwrap();
    dump("po-scan.pdf", &scan);
    let po = read_po(&scan, &Limits::default()).unwrap();
    assert_eq!(po.text_source, Some(usinage_drawing::TextSource::Ocr));
    let (ok, total, wrong) = score(&po, &t, true);
    eprintln!("scan PDF: {ok}/{total} {wrong:?}");
    assert_eq!(
        po.po_number.as_ref().map(|f| f.value.as_str()),
        Some(t.po_number.as_str())
    );
    assert_eq!(po.lines.len(), t.lines.len(), "{:#?}", po.lines);
    for (l, want) in po.lines.iter().zip(&t.lines) {
        // OCR cannot tell O from 0 inside a code ("SO-31.118" read "S0-31.118"): the
        // reference must be the same for the matcher, which folds those confusions.
        let got = l
            .reference
            .as_ref()
            .map(|f| f.value.clone())
            .unwrap_or_default();
        let (s, why) = po::matching::reference_score(&got, &want.reference);
        assert!(s >= 0.85, "{got} vs {}: {s} {why}", want.reference);
        assert_eq!(l.quantity.as_ref().map(|f| f.value), Some(want.quantity));
    }
}

fn quote_lines(number: &str, t: &DemoPo) -> Vec<QuoteLineRef> {
    t.lines
        .iter()
        .enumerate()
        .map(|(i, l)| QuoteLineRef {
            quote_line_id: 100 + i as i64,
            quote_number: number.into(),
            drawing_number: Some(l.reference.clone()),
            drawing_revision: l.revision.clone(),
            part_name: Some(l.designation.clone()),
            quantity: Some(l.quantity),
            unit_price: Some(l.unit_price),
            breaks: vec![],
        })
        .collect()
}

#[test]
fn demo_po_matches_its_quote_and_flags_differences() {
    if !common::tools_available("demo_po_matches_its_quote_and_flags_differences") {
        return;
    }
    let t = DemoPo::example();
    let pdf = demo_po_pdf(&t).unwrap();
    let po = read_po(&pdf, &Limits::default()).unwrap();
    // The quote as sent: line 1 quoted at 10 pcs / 46,40 €, line 2 at rev B and 92,00 €.
    let mut q = quote_lines("DV-2026-0001", &t);
    q[0].quantity = Some(10);
    q[0].unit_price = Some(Decimal::new(4640, 2));
    q[1].drawing_revision = Some("B".into());
    q[1].unit_price = Some(Decimal::new(9200, 2));
    // Another quote of the same customer with one of the drawings.
    let mut other = quote_lines("DV-2026-0007", &t);
    other.truncate(1);
    other[0].quote_line_id = 900;
    let all: Vec<QuoteLineRef> = q.iter().chain(other.iter()).cloned().collect();
    let choice = best_quote(&po, &all).unwrap();
    assert_eq!(choice.quote_number, "DV-2026-0001");
    assert!(choice.ambiguous_with.is_empty());
    let m = &choice.matches;
    assert_eq!(m[0].quote_line_id, Some(100));
    assert_eq!(
        m[0].quantity_differs.as_ref().map(|d| (d.po, d.quote)),
        Some((100, 10))
    );
    assert_eq!(
        m[0].price_differs
            .as_ref()
            .map(|d| (d.po.to_string(), d.quote.to_string())),
        Some(("21.70".into(), "46.40".into()))
    );
    assert_eq!(m[1].quote_line_id, Some(101));
    assert_eq!(
        m[1].revision_differs
            .as_ref()
            .map(|d| (d.po.as_str(), d.quote.as_str())),
        Some(("C", "B"))
    );
    assert!(
        m[1].reasons_fr
            .iter()
            .any(|r| r.contains("commande 89,90 €, devis 92,00 €"))
    );
    // Without the quote number on the PO, the lines still pick DV-2026-0001 (2 lines vs 1).
    let mut anonymous = po.clone();
    anonymous.quote_reference = None;
    let c = best_quote(&anonymous, &all).unwrap();
    assert_eq!(c.quote_number, "DV-2026-0001");
    // A PO for nothing we quoted: a clear French error.
    let unrelated = QuoteLineRef {
        quote_line_id: 500,
        quote_number: "DV-2026-0099".into(),
        drawing_number: Some("ZZ-99-9999".into()),
        drawing_revision: Some("A".into()),
        part_name: Some("Pignon conique".into()),
        quantity: Some(5),
        unit_price: Some(Decimal::new(1200, 2)),
        breaks: vec![],
    };
    let e = best_quote(&po, &[unrelated]).unwrap_err();
    assert_eq!(
        e.message_fr(),
        "Le bon de commande n° BC-2026-0456 ne correspond à aucun devis : aucune de ses lignes ne reprend un plan ou une désignation des devis du client (devis cité : DV-2026-0001, introuvable). Vérifiez le client, ou saisissez la commande à la main."
    );
    // No candidate at all: empty matches, confidence 0.
    let none = match_lines(&po, &[]);
    assert!(
        none.iter()
            .all(|m| m.quote_line_id.is_none() && m.confidence == 0.0)
    );
}

#[test]
fn not_a_po_file_is_a_french_error() {
    let e = read_po(b"hello", &Limits::default()).unwrap_err();
    assert!(e.message_fr().contains("Format de fichier non reconnu"));
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let e = read_po(b"%PDF-1.7 0123456789", &limits).unwrap_err();
    assert!(e.message_fr().contains("trop volumineux"));
}

/// Accuracy on generated POs, vector and scanned:
/// `cargo test -p usinage-drawing --test po -- --ignored --nocapture po_accuracy`
#[test]
#[ignore]
fn po_accuracy() {
    if !common::tools_available("po_accuracy") {
        return;
    }
    let n: usize = std::env::var("PO_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let (mut v_ok, mut v_tot, mut s_ok, mut s_tot) = (0, 0, 0, 0);
    let (mut v_perfect, mut s_perfect) = (0, 0);
    // PO lines matched to the right quote line (quote built from the truth).
    let (mut v_match, mut s_match, mut n_lines) = (0, 0, 0);
    let right = |po: &PurchaseOrder, t: &DemoPo| {
        match_lines(po, &quote_lines("DV-TEST", t))
            .iter()
            .filter(|m| {
                m.quote_line_id == Some(100 + m.po_line as i64)
                    && m.quantity_differs.is_none()
                    && m.price_differs.is_none()
                    && m.revision_differs.is_none()
            })
            .count()
    };
    let (mut v_secs, mut s_secs) = (0.0, 0.0);
    let mut options = po::PoParseOptions::default();
    if let Some(psm) = std::env::var("PO_PSM").ok().and_then(|v| v.parse().ok()) {
        options.tesseract_psm = psm;
    }
    let seed: u64 = std::env::var("PO_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4242);
    for i in 0..n {
        let t = corpus::generate(seed, i);
        let pdf = demo_po_pdf(&t).unwrap();
        let start = std::time::Instant::now();
        let po = read_po(&pdf, &Limits::default()).unwrap();
        v_secs += start.elapsed().as_secs_f64();
        n_lines += t.lines.len();
        v_match += right(&po, &t);
        let (ok, total, wrong) = score(&po, &t, false);
        v_ok += ok;
        v_tot += total;
        v_perfect += usize::from(ok == total);
        println!("vector {i:02} {ok}/{total} {wrong:?}");
        if std::env::var_os("PO_NO_SCAN").is_some() {
            continue;
        }
        let png = demo_po_scan_png(&pdf, 300, i as u64).unwrap();
        let start = std::time::Instant::now();
        let po = po::read_po_with(&png, &Limits::default(), &options).unwrap();
        s_secs += start.elapsed().as_secs_f64();
        s_match += right(&po, &t);
        let (ok, total, wrong) = score(&po, &t, true);
        s_ok += ok;
        s_tot += total;
        s_perfect += usize::from(ok == total);
        println!("scan   {i:02} {ok}/{total} {wrong:?}");
    }
    println!(
        "vector: {v_ok}/{v_tot} fields ({:.1} %), {v_perfect}/{n} POs perfect, {v_match}/{n_lines} lines matched to their quote line without false flag, {:.2} s/PO",
        100.0 * v_ok as f64 / v_tot as f64,
        v_secs / n as f64
    );
    if s_tot == 0 {
        return;
    }
    println!(
        "scan:   {s_ok}/{s_tot} fields ({:.1} %), {s_perfect}/{n} POs perfect, {s_match}/{n_lines} lines matched to their quote line without false flag, {:.2} s/PO",
        100.0 * s_ok as f64 / s_tot as f64,
        s_secs / n as f64
    );
}

/// Development aid: rows and parse of one PO. `PO_GEN=seed:index` (add `PO_SCAN=1` for the
/// scan) or `PO_FILE=path`; `PO_PSM`, `PO_WORDS=1`, `PO_SAMPLE_DIR` to keep the files.
/// `cargo test -p usinage-drawing --test po -- --ignored --nocapture debug_rows`
#[test]
#[ignore]
fn debug_rows() {
    let bytes = match std::env::var("PO_GEN") {
        Ok(g) => {
            let (seed, i) = g.split_once(':').unwrap();
            let t = corpus::generate(seed.parse().unwrap(), i.parse().unwrap());
            println!("{:?}", t.style);
            let pdf = demo_po_pdf(&t).unwrap();
            dump("gen.pdf", &pdf);
            if std::env::var("PO_SCAN").is_ok() {
                let png = demo_po_scan_png(&pdf, 300, i.parse().unwrap()).unwrap();
                dump("gen.png", &png);
                png
            } else {
                pdf
            }
        }
        Err(_) => std::fs::read(std::env::var("PO_FILE").unwrap()).unwrap(),
    };
    let kind = usinage_drawing::sniff::sniff(&bytes).unwrap();
    let mut limits = Limits {
        tesseract_psm: 4,
        ..Limits::default()
    };
    if let Some(psm) = std::env::var("PO_PSM").ok().and_then(|v| v.parse().ok()) {
        limits.tesseract_psm = psm;
    }
    let ex = usinage_drawing::extract::extract(&bytes, kind, &limits).unwrap();
    for p in &ex.pages {
        if std::env::var_os("PO_WORDS").is_some() {
            for w in p.words.iter().filter(|w| w.bbox.y0 < 0.09) {
                println!("W {:?} {:?}", w.text, w.bbox);
            }
        }
        for r in usinage_drawing::analysis::text::rows(p) {
            let t = usinage_drawing::analysis::text::RowText::new(&r);
            println!(
                "{:.3} {:.3}-{:.3} h={:.4} | {}",
                r.bbox.y0, r.bbox.x0, r.bbox.x1, r.h, t.text
            );
        }
    }
    let po = usinage_drawing::po::parse_po(&ex.pages);
    println!("{}", serde_json::to_string_pretty(&po).unwrap());
}
