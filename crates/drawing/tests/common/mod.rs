//! Shared by the integration tests: external tools check.

use usinage_drawing::extract::process::has_tool;

/// True when poppler-utils and tesseract are installed. Without them, the test is skipped with
/// a message — except in CI (env `CI` set), where the scripts install them and a missing tool
/// is a failure.
pub fn tools_available(test: &str) -> bool {
    let missing: Vec<&str> = ["pdfinfo", "pdftotext", "pdftoppm", "tesseract"]
        .into_iter()
        .filter(|t| !has_tool(t))
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{test}: outils absents en CI : {missing:?} (apt-get install poppler-utils tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng)"
        );
    }
    eprintln!(
        "SKIP {test}: outils absents {missing:?} — apt-get install poppler-utils tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng"
    );
    false
}
