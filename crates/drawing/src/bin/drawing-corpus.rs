//! Generates the synthetic drawing corpus: for each drawing `dNNN.pdf` (vector), `dNNN.json`
//! (ground truth) and `dNNN-scan.png|jpg` (raster "scan").
//!
//! Usage: drawing-corpus [--out DIR] [--count N] [--seed S] [--dpi D] [--no-scans]
//! Needs poppler-utils (pdftoppm) for the scans; DejaVu Serif/Mono come from Debian
//! `fonts-dejavu-core` when installed.

use std::path::PathBuf;
use usinage_drawing::corpus;

fn main() {
    let mut out = PathBuf::from("target/drawing-corpus");
    let (mut count, mut seed, mut dpi, mut scans) = (48usize, 2026u64, 300u32, true);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--count" => count = args.next().and_then(|v| v.parse().ok()).unwrap_or(count),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--dpi" => dpi = args.next().and_then(|v| v.parse().ok()).unwrap_or(dpi),
            "--no-scans" => scans = false,
            other => {
                eprintln!("argument inconnu : {other}");
                std::process::exit(2);
            }
        }
    }
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("impossible de créer {}: {e}", out.display());
        std::process::exit(1);
    }
    let fonts = corpus::system_fonts();
    if fonts.is_empty() {
        eprintln!("fonts-dejavu-core absent : toutes les pièces en DejaVu Sans");
    }
    for i in 0..count {
        let (src, truth) = corpus::generate(seed, i);
        let pdf = match corpus::render_pdf(&src, &fonts) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}: rendu impossible: {e}", truth.id);
                std::process::exit(1);
            }
        };
        let base = out.join(&truth.id);
        let pdf_path = base.with_extension("pdf");
        std::fs::write(&pdf_path, &pdf).expect("write pdf");
        std::fs::write(
            base.with_extension("json"),
            serde_json::to_string_pretty(&truth).expect("json"),
        )
        .expect("write json");
        if scans {
            match corpus_scan(&pdf_path, dpi, seed.wrapping_add(i as u64)) {
                Ok(img) => {
                    let (png, ext) = if i % 2 == 0 {
                        (true, "png")
                    } else {
                        (false, "jpg")
                    };
                    let path = out.join(format!("{}-scan.{ext}", truth.id));
                    let res = if png {
                        img.save_with_format(&path, image::ImageFormat::Png)
                    } else {
                        let f = std::fs::File::create(&path).expect("create");
                        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(
                            std::io::BufWriter::new(f),
                            85,
                        );
                        enc.encode_image(&img)
                    };
                    if let Err(e) = res {
                        eprintln!("{}: scan: {e}", truth.id);
                    }
                }
                Err(e) => eprintln!("{}: scan: {e}", truth.id),
            }
        }
        println!("{} {}", truth.id, truth.layout);
    }
}

fn corpus_scan(pdf: &std::path::Path, dpi: u32, seed: u64) -> Result<image::GrayImage, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let prefix = dir.path().join("p");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .map_err(|e| format!("pdftoppm: {e}"))?;
    if !status.success() {
        return Err("pdftoppm a échoué".into());
    }
    let img = image::open(prefix.with_extension("png"))
        .map_err(|e| e.to_string())?
        .into_luma8();
    Ok(corpus::scan(&img, seed).0)
}
