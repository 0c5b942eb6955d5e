//! Real file type from the first bytes, checked against the extension.

use crate::error::DrawingError;
use crate::model::FileKind;

/// Extensions of CAD formats we store without reading (manual reading).
const STORED_ONLY: &[&str] = &[
    "dwg",
    "igs",
    "iges",
    "sldprt",
    "slddrw",
    "x_t",
    "x_b",
    "catpart",
    "catdrawing",
    "prt",
    "ipt",
    "idw",
    "3dm",
    "sat",
    "stl",
    "jt",
    "par",
    "psm",
    "dft",
];

/// Content type from magic bytes only.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some(FileKind::Tiff);
    }
    if find(head, b"%PDF-").is_some() {
        return Some(FileKind::Pdf);
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("ISO-10303-21") {
        return Some(FileKind::Step);
    }
    if head.starts_with(b"AutoCAD Binary DXF") {
        return Some(FileKind::Other);
    }
    // ASCII DXF: group code 0 then SECTION (comments 999 may come first).
    let mut lines = trimmed.lines().map(str::trim);
    let mut first = lines.next();
    if first == Some("999") {
        lines.next();
        first = lines.next();
    }
    if first == Some("0") && lines.next() == Some("SECTION") {
        return Some(FileKind::Dxf);
    }
    // DWG ("AC1015"...), IGES (column 73 = 'S' on the first line).
    if head.len() >= 6 && head.starts_with(b"AC10") {
        return Some(FileKind::Other);
    }
    if let Some(line) = text.lines().next()
        && line.len() >= 73
        && line.as_bytes()[72] == b'S'
    {
        return Some(FileKind::Other);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn kind_of_extension(ext: &str) -> Option<FileKind> {
    Some(match ext {
        "pdf" => FileKind::Pdf,
        "png" => FileKind::Png,
        "jpg" | "jpeg" | "jpe" => FileKind::Jpeg,
        "tif" | "tiff" => FileKind::Tiff,
        "dxf" => FileKind::Dxf,
        "stp" | "step" | "p21" => FileKind::Step,
        e if STORED_ONLY.contains(&e) => FileKind::Other,
        _ => return None,
    })
}

/// Type to process: content decides; a known extension that disagrees is an error, content
/// we cannot recognise is an error unless the extension names a stored-only CAD format.
pub fn detect(bytes: &[u8], filename: &str) -> Result<FileKind, DrawingError> {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let by_ext = kind_of_extension(&ext);
    match (sniff(bytes), by_ext) {
        (Some(actual), Some(expected)) if actual != expected => {
            if expected == FileKind::Other && actual == FileKind::Other {
                Ok(FileKind::Other)
            } else {
                Err(DrawingError::ExtensionMismatch {
                    extension: ext,
                    actual,
                })
            }
        }
        (Some(actual), _) => Ok(actual),
        (None, Some(FileKind::Other)) => Ok(FileKind::Other),
        (None, _) => Err(DrawingError::UnknownFormat),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"II*\0...."), Some(FileKind::Tiff));
        assert_eq!(sniff(b"ISO-10303-21;\nHEADER;"), Some(FileKind::Step));
        assert_eq!(sniff(b"  0\nSECTION\n  2\nHEADER\n"), Some(FileKind::Dxf));
        assert_eq!(sniff(b"AC1027\0\0\0\0"), Some(FileKind::Other));
        assert_eq!(sniff(b"hello"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn extension_must_agree() {
        let png = b"\x89PNG\r\n\x1a\n....";
        assert!(matches!(
            detect(png, "plan.pdf"),
            Err(DrawingError::ExtensionMismatch { .. })
        ));
        assert_eq!(detect(png, "plan.PNG").unwrap(), FileKind::Png);
        assert_eq!(detect(png, "sans_extension").unwrap(), FileKind::Png);
        assert_eq!(detect(b"garbage", "piece.dwg").unwrap(), FileKind::Other);
        assert!(matches!(
            detect(b"garbage", "x.pdf"),
            Err(DrawingError::UnknownFormat)
        ));
        assert!(matches!(
            detect(b"garbage", "x.txt"),
            Err(DrawingError::UnknownFormat)
        ));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u64 = 0x9E3779B97F4A7C15;
        for len in 0..400 {
            let v: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = sniff(&v);
            let _ = detect(&v, "a.pdf");
        }
    }
}
