//! QR codes of record URLs. Error correction level M (15 %): labels on a shop floor get oily
//! and scratched, and M keeps a URL of ~40 characters at version 3–4, large enough modules for
//! a phone camera at arm's length.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("texte trop long pour un QR code")]
    TooLong,
    #[error("encodage PNG impossible")]
    Png,
}

fn code(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| QrError::TooLong)
}

pub fn svg(text: &str) -> Result<String, QrError> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

pub fn png(text: &str, module_px: u32) -> Result<Vec<u8>, QrError> {
    let img = code(text)?
        .render::<image::Luma<u8>>()
        .module_dimensions(module_px, module_px)
        .quiet_zone(true)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|_| QrError::Png)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_and_png_are_produced_for_a_record_url() {
        let url = "http://atelier.local:8080/users/42";
        let s = svg(url).unwrap();
        assert!(s.starts_with("<?xml") && s.contains("<svg"));
        let p = png(url, 8).unwrap();
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
        let img = image::load_from_memory(&p).unwrap();
        assert!(img.width() >= 200);
    }
}
