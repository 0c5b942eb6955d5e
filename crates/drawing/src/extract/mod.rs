//! Extraction: words with boxes from PDFs (text layer, or OCR of pages without one), images
//! (OCR), DXF texts, STEP envelope. Every external tool runs under [`Limits`].

pub mod cad;
pub mod ocr;
pub mod pdf;
pub mod process;

use crate::error::DrawingError;
use crate::model::{FileKind, PageText};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Bounds for one drawing. Each violation is a French error for that drawing only.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_pages: u32,
    pub max_megapixels: f64,
    /// Wall time per page and per tool call; the child is killed beyond it.
    pub page_timeout_secs: u64,
    /// Wall time for the whole drawing.
    pub total_timeout_secs: u64,
    /// Address-space cap of each child process (bytes, 0 = none).
    pub memory_bytes: u64,
    /// Rasterisation resolution of PDF pages without text.
    pub raster_dpi: u32,
    /// A page with fewer words than this in its text layer is OCRed.
    pub min_words_for_text_layer: usize,
    pub deskew: bool,
    /// Otsu binarisation and despeckle before OCR.
    pub binarize: bool,
    /// Erase long straight lines (table borders, frames) before OCR.
    pub remove_lines: bool,
    /// Tesseract page segmentation mode (11 = sparse text, best on drawings here).
    pub tesseract_psm: u8,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 * 1024 * 1024,
            max_pages: 50,
            max_megapixels: 40.0,
            page_timeout_secs: 60,
            total_timeout_secs: 600,
            memory_bytes: 2 * 1024 * 1024 * 1024,
            raster_dpi: 300,
            min_words_for_text_layer: 5,
            deskew: true,
            binarize: true,
            remove_lines: true,
            tesseract_psm: 11,
        }
    }
}

/// What extraction gives the analysis.
pub struct Extracted {
    pub pages: Vec<PageText>,
    pub page_count: u32,
    pub format_note: Option<String>,
    /// Envelope (mm, largest first) read from CAD geometry.
    pub cad_envelope: Option<[f64; 3]>,
}

pub fn extract(bytes: &[u8], kind: FileKind, limits: &Limits) -> Result<Extracted, DrawingError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(DrawingError::FileTooLarge {
            bytes: bytes.len() as u64,
            max: limits.max_file_bytes,
        });
    }
    let start = Instant::now();
    match kind {
        FileKind::Pdf => {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("in.pdf");
            std::fs::write(&path, bytes)?;
            let info = pdf::info(&path, limits)?;
            // Encrypted with an empty user password (owner restrictions only): poppler reads
            // it; a real password makes `pdfinfo` fail above with `EncryptedPdf`.
            let _ = info.encrypted;
            if info.pages > limits.max_pages {
                return Err(DrawingError::TooManyPages {
                    pages: info.pages,
                    max: limits.max_pages,
                });
            }
            let mut pages = pdf::text_layer(&path, info.pages, limits)?;
            for page in &mut pages {
                if page.words.len() < limits.min_words_for_text_layer {
                    if start.elapsed().as_secs() > limits.total_timeout_secs {
                        return Err(DrawingError::TotalTimeout {
                            seconds: limits.total_timeout_secs,
                        });
                    }
                    *page = pdf::ocr_page(&path, page.number, dir.path(), limits)?;
                }
            }
            Ok(Extracted {
                page_count: info.pages,
                pages,
                format_note: None,
                cad_envelope: None,
            })
        }
        FileKind::Png | FileKind::Jpeg | FileKind::Tiff => {
            let dir = tempfile::tempdir()?;
            let page = ocr::ocr_image_bytes(bytes, dir.path(), limits)?;
            Ok(Extracted {
                pages: vec![page],
                page_count: 1,
                format_note: None,
                cad_envelope: None,
            })
        }
        FileKind::Dxf => {
            let text = String::from_utf8_lossy(bytes);
            let (page, _extent) = cad::dxf_text(&text);
            Ok(Extracted {
                pages: vec![page],
                page_count: 1,
                format_note: Some(
                    "DXF : textes lus (TEXT/MTEXT) ; géométrie lue au mieux (étendue du dessin, toutes vues confondues), à vérifier.".into(),
                ),
                cad_envelope: None,
            })
        }
        FileKind::Step => {
            let text = String::from_utf8_lossy(bytes);
            let env = cad::step_envelope(&text);
            Ok(Extracted {
                pages: vec![],
                page_count: 0,
                format_note: Some(if env.is_some() {
                    "STEP : encombrement calculé au mieux à partir des points du modèle (peut dépasser la pièce) ; pas de cartouche ni de tolérances dans un STEP.".into()
                } else {
                    "STEP : aucun point lisible, lecture manuelle.".into()
                }),
                cad_envelope: env,
            })
        }
        FileKind::Other => Ok(Extracted {
            pages: vec![],
            page_count: 0,
            format_note: Some("Format stocké, lecture manuelle : ce format (DWG, IGES, …) n'est pas lu automatiquement.".into()),
            cad_envelope: None,
        }),
    }
}

/// One page of a drawing as a PNG for the review screen (PDF pages rendered at `dpi`, images
/// re-encoded: TIFF scans are not shown by browsers). `page` is 1-based. DXF, STEP and other
/// formats have no preview.
pub fn preview_png(
    bytes: &[u8],
    kind: FileKind,
    page: u32,
    dpi: u32,
    limits: &Limits,
) -> Result<Vec<u8>, DrawingError> {
    match kind {
        FileKind::Pdf => {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("in.pdf");
            std::fs::write(&path, bytes)?;
            let prefix = dir.path().join("preview");
            let n = page.to_string();
            let dpi = dpi.to_string();
            let out = process::run(
                "pdftoppm",
                &[
                    "-r",
                    &dpi,
                    "-png",
                    "-singlefile",
                    "-f",
                    &n,
                    "-l",
                    &n,
                    path.to_str().unwrap_or_default(),
                    prefix.to_str().unwrap_or_default(),
                ],
                Duration::from_secs(limits.page_timeout_secs),
                limits.memory_bytes,
                &[],
            )?;
            let png = prefix.with_extension("png");
            if !out.success || !png.is_file() {
                return Err(DrawingError::CorruptPdf(out.stderr.trim().to_string()));
            }
            Ok(std::fs::read(&png)?)
        }
        FileKind::Png | FileKind::Jpeg | FileKind::Tiff if page == 1 => {
            let img = image::load_from_memory(bytes)
                .map_err(|e| DrawingError::CorruptImage(e.to_string()))?;
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png)
                .map_err(|e| DrawingError::CorruptImage(e.to_string()))?;
            Ok(out.into_inner())
        }
        _ => Err(DrawingError::NoPreview),
    }
}
