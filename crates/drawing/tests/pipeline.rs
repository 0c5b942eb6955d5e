//! End to end on generated drawings: vector PDF and raster scan through `analyze_file`.

mod common;

use usinage_drawing::analysis::text::key;
use usinage_drawing::corpus::{self, Truth};
use usinage_drawing::{DrawingAnalysis, Limits, Projection, analyze_file, builtin_grades};

fn title_score(a: &DrawingAnalysis, t: &Truth) -> (usize, usize, Vec<String>) {
    let k = |o: &Option<usinage_drawing::Found<String>>| o.as_ref().map(|f| key(&f.value));
    let tk = |o: &Option<String>| o.as_ref().map(|v| key(v));
    let pairs = [
        (
            "drawing_number",
            k(&a.drawing_number),
            tk(&t.drawing_number),
        ),
        ("revision", k(&a.revision), tk(&t.revision)),
        ("part_name", k(&a.part_name), tk(&t.part_name)),
        ("material", k(&a.material), tk(&t.material)),
        ("customer", k(&a.customer), tk(&t.customer)),
        (
            "heat_treatment",
            k(&a.heat_treatment),
            tk(&t.heat_treatment),
        ),
        (
            "surface_treatment",
            k(&a.surface_treatment),
            tk(&t.surface_treatment),
        ),
        (
            "scale",
            a.scale.as_ref().map(|f| f.value.clone()),
            t.scale.clone(),
        ),
        (
            "date",
            a.date.as_ref().map(|f| f.value.clone()),
            t.date.clone(),
        ),
        (
            "quantity",
            a.quantity.as_ref().map(|f| f.value.to_string()),
            t.quantity.map(|q| q.to_string()),
        ),
        (
            "general_tolerance",
            a.general_tolerance.as_ref().map(|f| f.value.to_string()),
            t.general_tolerance.clone(),
        ),
        (
            "material_grade",
            a.material_grade.as_ref().map(|f| f.value.grade_id.clone()),
            t.material_grade.clone(),
        ),
    ];
    let mut wrong = vec![];
    let ok = pairs
        .iter()
        .filter(|(f, p, t)| {
            let good = p == t;
            if !good {
                wrong.push(format!("{f}: {p:?} != {t:?}"));
            }
            good
        })
        .count();
    (ok, pairs.len(), wrong)
}

#[test]
fn vector_pdfs_read_the_title_block() {
    if !common::tools_available("vector_pdfs_read_the_title_block") {
        return;
    }
    let fonts = corpus::system_fonts();
    let (mut ok, mut total) = (0, 0);
    for i in 0..6 {
        let (src, truth) = corpus::generate(99, i);
        let pdf = corpus::render_pdf(&src, &fonts).unwrap();
        let a = analyze_file(&pdf, "plan.pdf", &Limits::default(), &builtin_grades()).unwrap();
        assert_eq!(a.pages, 1);
        let (o, t, wrong) = title_score(&a, &truth);
        eprintln!("{} {}: {o}/{t} {wrong:?}", truth.id, truth.layout);
        ok += o;
        total += t;
        let expected = match truth.projection.as_deref() {
            Some("first_angle") => Projection::FirstAngle,
            _ => Projection::ThirdAngle,
        };
        assert_eq!(a.projection.map(|p| p.value), Some(expected));
        // Every found value carries a page and a box on it.
        if let Some(n) = &a.drawing_number {
            assert_eq!(n.page, 1);
            assert!(n.bbox.x1 > n.bbox.x0 && n.bbox.x1 <= 1.0);
        }
    }
    assert!(ok * 100 >= total * 90, "{ok}/{total}");
}

#[test]
fn raster_scan_is_deskewed_and_read() {
    if !common::tools_available("raster_scan_is_deskewed_and_read") {
        return;
    }
    let (src, truth) = corpus::generate(99, 1);
    let pdf = corpus::render_pdf(&src, &corpus::system_fonts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("p.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let prefix = dir.path().join("p");
    let st = std::process::Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png", "-singlefile"])
        .arg(&pdf_path)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(st.success());
    let page = image::open(prefix.with_extension("png"))
        .unwrap()
        .into_luma8();
    let (scan, angle) = corpus::scan(&page, 5);
    let mut png = std::io::Cursor::new(Vec::new());
    scan.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let a = analyze_file(
        png.get_ref(),
        "scan.png",
        &Limits::default(),
        &builtin_grades(),
    )
    .unwrap();
    let found = a.text_source;
    assert_eq!(found, Some(usinage_drawing::TextSource::Ocr));
    let (ok, total, wrong) = title_score(&a, &truth);
    eprintln!("scan angle {angle:.2}: {ok}/{total} {wrong:?}");
    assert!(ok * 100 >= total * 75, "{ok}/{total} {wrong:?}");
}

#[test]
fn scanned_pdf_page_without_text_is_ocred() {
    if !common::tools_available("scanned_pdf_page_without_text_is_ocred") {
        return;
    }
    // A PDF whose only content is an image: typst embeds a PNG given as bytes.
    let img = image::GrayImage::from_fn(600, 200, |x, y| {
        image::Luma([if (20..180).contains(&y) && x % 50 < 3 {
            0
        } else {
            255
        }])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let b64: String = png.get_ref().iter().map(|b| format!("{b},")).collect();
    let src = format!(
        "#set page(width: 100mm, height: 40mm, margin: 0mm)\n#image(bytes(({b64})), width: 100mm)"
    );
    let pdf = corpus::render_pdf(&src, &[]).unwrap();
    let a = analyze_file(&pdf, "scan.pdf", &Limits::default(), &builtin_grades()).unwrap();
    assert_eq!(a.text_source, Some(usinage_drawing::TextSource::Ocr));
}

#[test]
fn dxf_and_step_best_effort() {
    let dxf = "0\nSECTION\n2\nENTITIES\n0\nTEXT\n10\n150\n20\n10\n40\n3.5\n1\nMatière : 42CD4\n0\nTEXT\n10\n150\n20\n20\n40\n3.5\n1\nN° plan : PL-77\n0\nLINE\n10\n0\n20\n0\n11\n200\n21\n100\n0\nENDSEC\n0\nEOF\n";
    let a = analyze_file(
        dxf.as_bytes(),
        "piece.dxf",
        &Limits::default(),
        &builtin_grades(),
    )
    .unwrap();
    assert_eq!(a.material_grade.unwrap().value.grade_id, "42CrMo4");
    assert_eq!(a.drawing_number.unwrap().value, "PL-77");
    assert!(a.format_note.is_some());
    let step = "ISO-10303-21;\nDATA;\n#1=CARTESIAN_POINT('',(0.,0.,0.));\n#2=CARTESIAN_POINT('',(120.,85.,30.));\nENDSEC;\n";
    let a = analyze_file(
        step.as_bytes(),
        "piece.step",
        &Limits::default(),
        &builtin_grades(),
    )
    .unwrap();
    let e = a.envelope.clone().unwrap().value;
    assert_eq!(
        (e.length, e.width, e.height),
        (Some(120.0), Some(85.0), Some(30.0))
    );
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("\"format_note\""));
}
