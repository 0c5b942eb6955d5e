//! Bad input: each gives a French error for that drawing, in bounded time.

mod common;

use std::time::{Duration, Instant};
use usinage_drawing::{DrawingError, Limits, analyze_file, builtin_grades};

fn run(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
) -> (
    Result<usinage_drawing::DrawingAnalysis, DrawingError>,
    Duration,
) {
    let start = Instant::now();
    let r = analyze_file(bytes, name, limits, &builtin_grades());
    (r, start.elapsed())
}

fn small_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(w, h, image::Luma([255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn png_named_pdf_is_refused_in_french() {
    let (r, t) = run(&small_png(20, 20), "plan.pdf", &Limits::default());
    let e = r.unwrap_err();
    assert!(matches!(e, DrawingError::ExtensionMismatch { .. }));
    assert!(
        e.message_fr().contains("extension « .pdf »"),
        "{}",
        e.message_fr()
    );
    assert!(e.message_fr().contains("PNG"));
    assert!(t < Duration::from_secs(1));
}

#[test]
fn unknown_and_empty_files() {
    for (bytes, name) in [
        (&b""[..], "a.pdf"),
        (b"hello world", "notes.txt"),
        (b"\x00\x01\x02", "x"),
    ] {
        let (r, _) = run(bytes, name, &Limits::default());
        let e = r.unwrap_err();
        assert!(!e.message_fr().is_empty());
    }
    // A DWG is stored for manual reading, not an error.
    let (r, _) = run(
        b"AC1027\0\0\0\0\0\0garbage",
        "piece.dwg",
        &Limits::default(),
    );
    let a = r.unwrap();
    assert!(a.format_note.unwrap().contains("lecture manuelle"));
}

#[test]
fn oversized_image_is_refused_before_decoding() {
    // 8000 × 6000 = 48 MP, over the default 40 MP; the check reads only the header.
    let png = small_png(8000, 6000);
    let (r, t) = run(&png, "scan.png", &Limits::default());
    let e = r.unwrap_err();
    assert!(matches!(e, DrawingError::ImageTooLarge { .. }), "{e:?}");
    assert!(e.message_fr().contains("mégapixels"));
    assert!(t < Duration::from_secs(2), "{t:?}");
}

#[test]
fn file_size_limit() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let (r, _) = run(b"%PDF-1.7 more than ten bytes", "a.pdf", &limits);
    assert!(r.unwrap_err().message_fr().contains("trop volumineux"));
}

#[test]
fn encrypted_pdf() {
    if !common::tools_available("encrypted_pdf") {
        return;
    }
    let bytes = include_bytes!("fixtures/encrypted.pdf");
    let (r, t) = run(bytes, "chiffre.pdf", &Limits::default());
    let e = r.unwrap_err();
    assert!(matches!(e, DrawingError::EncryptedPdf), "{e:?}");
    assert!(e.message_fr().contains("chiffré"));
    assert!(t < Duration::from_secs(5));
}

#[test]
fn corrupt_pdf() {
    if !common::tools_available("corrupt_pdf") {
        return;
    }
    let (r, t) = run(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage \x00\xff",
        "abime.pdf",
        &Limits::default(),
    );
    let e = r.unwrap_err();
    assert!(matches!(e, DrawingError::CorruptPdf(_)), "{e:?}");
    assert!(e.message_fr().contains("endommagé"));
    assert!(t < Duration::from_secs(5));
}

#[test]
fn too_many_pages() {
    if !common::tools_available("too_many_pages") {
        return;
    }
    let src = "#set page(width: 50mm, height: 50mm)\n".to_string()
        + &(0..60)
            .map(|i| format!("Page {i}"))
            .collect::<Vec<_>>()
            .join("\n#pagebreak()\n");
    let pdf = usinage_drawing::corpus::render_pdf(&src, &[]).unwrap();
    let (r, t) = run(&pdf, "gros.pdf", &Limits::default());
    let e = r.unwrap_err();
    assert!(
        matches!(e, DrawingError::TooManyPages { pages: 60, max: 50 }),
        "{e:?}"
    );
    assert!(e.message_fr().contains("60 pages"));
    assert!(t < Duration::from_secs(5));
}

#[test]
fn per_page_timeout_kills_the_tool() {
    if !common::tools_available("per_page_timeout_kills_the_tool") {
        return;
    }
    // OCR of a real page with a zero timeout: the child is killed at once.
    let png = small_png(2000, 1500);
    let limits = Limits {
        page_timeout_secs: 0,
        ..Limits::default()
    };
    let (r, t) = run(&png, "scan.png", &limits);
    let e = r.unwrap_err();
    assert!(matches!(e, DrawingError::Timeout { .. }), "{e:?}");
    assert!(e.message_fr().contains("temps maximal"));
    assert!(t < Duration::from_secs(5));
}

#[test]
fn memory_cap_stops_the_tool() {
    if !common::tools_available("memory_cap_stops_the_tool") {
        return;
    }
    // 16 MB of address space is far too little for tesseract.
    let png = small_png(400, 300);
    let limits = Limits {
        memory_bytes: 16 * 1024 * 1024,
        ..Limits::default()
    };
    let (r, _) = run(&png, "scan.png", &limits);
    let e = r.unwrap_err();
    assert!(
        matches!(
            e,
            DrawingError::OutOfMemory { .. } | DrawingError::ToolFailed { .. }
        ),
        "{e:?}"
    );
    assert!(!e.message_fr().is_empty());
}

#[test]
fn random_bytes_with_drawing_extensions_never_panic() {
    let mut x: u64 = 42;
    for (i, ext) in ["dxf", "step", "png", "jpg", "tif"]
        .iter()
        .cycle()
        .take(60)
        .enumerate()
    {
        let mut v: Vec<u8> = (0..(i * 37 % 700))
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        // Give some of them a valid magic so the parsers run on garbage.
        match *ext {
            "dxf" => v.splice(0..0, b"0\nSECTION\n2\nENTITIES\n0\nTEXT\n".iter().copied()),
            "step" => v.splice(
                0..0,
                b"ISO-10303-21;CARTESIAN_POINT('',(1.,".iter().copied(),
            ),
            "png" => v.splice(0..0, b"\x89PNG\r\n\x1a\n".iter().copied()),
            "jpg" => v.splice(0..0, [0xFFu8, 0xD8, 0xFF].iter().copied()),
            _ => v.splice(0..0, b"II*\0".iter().copied()),
        };
        let _ = analyze_file(
            &v,
            &format!("f.{ext}"),
            &Limits::default(),
            &builtin_grades(),
        );
    }
}
