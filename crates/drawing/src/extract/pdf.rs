//! PDF: `pdfinfo` (page count, encryption), `pdftotext -bbox-layout` (words with boxes), and for
//! pages without a text layer `pdftoppm -r 300` then OCR.

use super::process::{p, run};
use super::{Limits, ocr};
use crate::error::DrawingError;
use crate::model::{BBox, PageText, TextSource, Word};
use std::path::Path;
use std::time::Duration;

pub struct PdfInfo {
    pub pages: u32,
    pub encrypted: bool,
}

pub fn info(path: &Path, limits: &Limits) -> Result<PdfInfo, DrawingError> {
    let out = run(
        "pdfinfo",
        &[p(path)],
        Duration::from_secs(limits.page_timeout_secs),
        limits.memory_bytes,
        &[],
    )?;
    let text = String::from_utf8_lossy(&out.stdout);
    let low = out.stderr.to_lowercase();
    if low.contains("incorrect password") || low.contains("encrypt") && !out.success {
        return Err(DrawingError::EncryptedPdf);
    }
    if !out.success {
        return Err(DrawingError::CorruptPdf(out.stderr.trim().to_string()));
    }
    let mut pages = None;
    let mut encrypted = false;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("Pages:") {
            pages = v.trim().parse().ok();
        }
        if let Some(v) = line.strip_prefix("Encrypted:") {
            encrypted = v.trim().starts_with("yes");
        }
    }
    let pages = pages.ok_or_else(|| DrawingError::CorruptPdf("no page count".into()))?;
    if pages == 0 {
        return Err(DrawingError::CorruptPdf("no page".into()));
    }
    Ok(PdfInfo { pages, encrypted })
}

/// Words of every page from the text layer.
pub fn text_layer(path: &Path, pages: u32, limits: &Limits) -> Result<Vec<PageText>, DrawingError> {
    let out_path = path.with_extension("html");
    let last = pages.to_string();
    let out = run(
        "pdftotext",
        &[
            "-bbox-layout",
            "-f",
            "1",
            "-l",
            &last,
            p(path),
            p(&out_path),
        ],
        Duration::from_secs(limits.page_timeout_secs * pages as u64),
        limits.memory_bytes,
        &[],
    )?;
    if !out.success {
        let low = out.stderr.to_lowercase();
        if low.contains("password") || low.contains("encrypt") {
            return Err(DrawingError::EncryptedPdf);
        }
        return Err(DrawingError::CorruptPdf(out.stderr.trim().to_string()));
    }
    let html = std::fs::read_to_string(&out_path).unwrap_or_default();
    Ok(parse_bbox_layout(&html))
}

/// Parses poppler's `-bbox-layout` XHTML: `<page width height>` then `<word xMin ...>text</word>`.
pub fn parse_bbox_layout(html: &str) -> Vec<PageText> {
    let mut pages: Vec<PageText> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[1..end];
        if tag.starts_with("page ") {
            let w = attr(tag, "width").unwrap_or(1.0).max(1.0);
            let h = attr(tag, "height").unwrap_or(1.0).max(1.0);
            pages.push(PageText {
                number: pages.len() as u32 + 1,
                width: w,
                height: h,
                source: TextSource::Vector,
                words: vec![],
                deskew_degrees: None,
            });
            rest = &rest[end + 1..];
        } else if tag.starts_with("word ") {
            let after = &rest[end + 1..];
            let close = after.find("</word>").unwrap_or(after.len());
            let text = unescape(&after[..close]);
            if let Some(page) = pages.last_mut()
                && let (Some(x0), Some(y0), Some(x1), Some(y1)) = (
                    attr(tag, "xMin"),
                    attr(tag, "yMin"),
                    attr(tag, "xMax"),
                    attr(tag, "yMax"),
                )
                && !text.trim().is_empty()
            {
                page.words.push(Word {
                    text: text.trim().to_string(),
                    page: page.number,
                    bbox: BBox::new(
                        x0 / page.width,
                        y0 / page.height,
                        x1 / page.width,
                        y1 / page.height,
                    ),
                    conf: 1.0,
                });
            }
            rest = &after[close.min(after.len())..];
        } else {
            rest = &rest[end + 1..];
        }
    }
    pages
}

fn attr(tag: &str, name: &str) -> Option<f32> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')? + i;
    tag[i..j].parse().ok()
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(j) = rest.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..j];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16)
                .ok()
                .and_then(char::from_u32),
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rasterises one page at `dpi` and OCRs it.
pub fn ocr_page(
    path: &Path,
    page: u32,
    dir: &Path,
    limits: &Limits,
) -> Result<PageText, DrawingError> {
    let prefix = dir.join(format!("page{page}"));
    let n = page.to_string();
    let dpi = limits.raster_dpi.to_string();
    let out = run(
        "pdftoppm",
        &[
            "-r",
            &dpi,
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            p(path),
            p(&prefix),
        ],
        Duration::from_secs(limits.page_timeout_secs),
        limits.memory_bytes,
        &[],
    )?;
    if !out.success {
        return Err(DrawingError::CorruptPdf(out.stderr.trim().to_string()));
    }
    let png = prefix.with_extension("png");
    let bytes = std::fs::read(&png)?;
    let mut text = ocr::ocr_image_bytes(&bytes, dir, limits)?;
    text.number = page;
    for w in &mut text.words {
        w.page = page;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bbox_layout() {
        let html = r#"<doc><page width="842.000000" height="595.000000"><flow><block><line>
<word xMin="421.0" yMin="59.5" xMax="463.1" yMax="69.5">N&#176; plan</word>
<word xMin="10" yMin="10" xMax="20" yMax="20">A&amp;B</word></line></block></flow></page>
<page width="100" height="100"></page></doc>"#;
        let pages = parse_bbox_layout(html);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].words[0].text, "N° plan");
        assert_eq!(pages[0].words[1].text, "A&B");
        assert!((pages[0].words[0].bbox.x0 - 0.5).abs() < 1e-3);
        assert!(pages[1].words.is_empty());
        // Garbage never panics.
        let _ = parse_bbox_layout("<page width=\"x\"<word xMin=\"&#99999999;\">&#xZZ;&");
    }
}
