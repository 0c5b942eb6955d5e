//! Raster pages: size check from the header, grey conversion, deskew by projection profile,
//! then `tesseract … tsv` → words with boxes and confidences.

use super::Limits;
use super::process::{p, run};
use crate::error::DrawingError;
use crate::model::{BBox, PageText, TextSource, Word};
use image::{GrayImage, ImageFormat, Luma};
use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

/// Width × height from the header without decoding pixels (PNG, JPEG via `image`; TIFF by hand).
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), DrawingError> {
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return tiff_dimensions(bytes)
            .ok_or_else(|| DrawingError::CorruptImage("TIFF header".into()));
    }
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DrawingError::CorruptImage(e.to_string()))?
        .into_dimensions()
        .map_err(|e| DrawingError::CorruptImage(e.to_string()))
}

fn tiff_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let le = b.starts_with(b"II");
    let u16_at = |i: usize| -> Option<u32> {
        let s = b.get(i..i + 2)?;
        Some(if le {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        } as u32)
    };
    let u32_at = |i: usize| -> Option<u32> {
        let s = b.get(i..i + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    };
    let ifd = u32_at(4)? as usize;
    let n = u16_at(ifd)? as usize;
    let (mut w, mut h) = (None, None);
    for k in 0..n.min(500) {
        let e = ifd + 2 + k * 12;
        let tag = u16_at(e)?;
        let typ = u16_at(e + 2)?;
        let val = if typ == 3 {
            u16_at(e + 8)?
        } else {
            u32_at(e + 8)?
        };
        match tag {
            256 => w = Some(val),
            257 => h = Some(val),
            _ => {}
        }
    }
    Some((w?, h?))
}

pub fn check_size(bytes: &[u8], limits: &Limits) -> Result<(u32, u32), DrawingError> {
    let (w, h) = dimensions(bytes)?;
    let mp = w as f64 * h as f64 / 1e6;
    if mp > limits.max_megapixels {
        return Err(DrawingError::ImageTooLarge {
            megapixels: mp,
            max: limits.max_megapixels,
        });
    }
    Ok((w, h))
}

/// OCR of an encoded image (PNG/JPEG: deskewed first; TIFF: given to tesseract as is).
pub fn ocr_image_bytes(
    bytes: &[u8],
    dir: &Path,
    limits: &Limits,
) -> Result<PageText, DrawingError> {
    let (w, h) = check_size(bytes, limits)?;
    let is_tiff = bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*");
    let (input, angle) = if is_tiff {
        let path = dir.join("page.tif");
        std::fs::write(&path, bytes)?;
        (path, None)
    } else {
        let img = image::load_from_memory(bytes)
            .map_err(|e| DrawingError::CorruptImage(e.to_string()))?
            .into_luma8();
        let angle = if limits.deskew {
            estimate_skew(&img)
        } else {
            0.0
        };
        let img = if angle.abs() >= 0.1 {
            rotate(&img, -angle)
        } else {
            img
        };
        // Scanner grain makes tesseract's layout analysis drop whole text blocks: binarise
        // (Otsu) and remove isolated dark specks first.
        let img = if limits.binarize { binarize(&img) } else { img };
        // Table borders, frames and dimension lines confuse the page segmentation: erase
        // straight dark runs longer than 1/50 of the page width (letters are shorter).
        let img = if limits.remove_lines {
            let min = (img.width().max(img.height()) / 50).max(20);
            remove_lines(img, min)
        } else {
            img
        };
        if let Some(debug) = std::env::var_os("USINAGE_DRAWING_DEBUG_DIR") {
            // Debugging aid: keep the image given to tesseract.
            let _ = img.save_with_format(
                std::path::Path::new(&debug).join("ocr-input.png"),
                ImageFormat::Png,
            );
            let (w, h) = img.dimensions();
            let _ = image::imageops::thumbnail(&img, w / 3, h / 3).save_with_format(
                std::path::Path::new(&debug).join("ocr-input-small.png"),
                ImageFormat::Png,
            );
        }
        let path = dir.join("page-ocr.png");
        img.save_with_format(&path, ImageFormat::Png)
            .map_err(|e| DrawingError::Io(e.to_string()))?;
        (path, Some(angle))
    };
    let psm = limits.tesseract_psm.to_string();
    let out = run(
        "tesseract",
        &[p(&input), "-", "-l", "fra+eng", "--psm", &psm, "tsv"],
        Duration::from_secs(limits.page_timeout_secs),
        limits.memory_bytes,
        &[("OMP_THREAD_LIMIT", "1")],
    )?;
    if !out.success {
        return Err(DrawingError::ToolFailed {
            tool: "tesseract".into(),
            detail: out.stderr.trim().to_string(),
        });
    }
    let tsv = String::from_utf8_lossy(&out.stdout);
    Ok(PageText {
        number: 1,
        width: w as f32,
        height: h as f32,
        source: TextSource::Ocr,
        words: parse_tsv(&tsv, w as f32, h as f32, 1),
        deskew_degrees: angle,
    })
}

/// Otsu threshold to black/white, then isolated dark pixels (no dark 8-neighbour) removed.
pub fn binarize(img: &GrayImage) -> GrayImage {
    let mut hist = [0u64; 256];
    for p in img.as_raw() {
        hist[*p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w_b, mut sum_b, mut best, mut thr) = (0u64, 0.0f64, 0.0f64, 128u8);
    for (t, &c) in hist.iter().enumerate() {
        w_b += c;
        if w_b == 0 {
            continue;
        }
        let w_f = total - w_b;
        if w_f == 0 {
            break;
        }
        sum_b += t as f64 * c as f64;
        let m_b = sum_b / w_b as f64;
        let m_f = (sum_all - sum_b) / w_f as f64;
        let between = w_b as f64 * w_f as f64 * (m_b - m_f) * (m_b - m_f);
        if between > best {
            best = between;
            thr = t as u8;
        }
    }
    let (w, h) = img.dimensions();
    let src = img.as_raw();
    let dark: Vec<bool> = src.iter().map(|&p| p <= thr).collect();
    let mut out = vec![255u8; src.len()];
    for y in 0..h as usize {
        for x in 0..w as usize {
            let i = y * w as usize + x;
            if !dark[i] {
                continue;
            }
            let mut n = 0;
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    if dx == 0 && dy == 0 {
                        continue;
                    }
                    let (xx, yy) = (x as i64 + dx, y as i64 + dy);
                    if xx >= 0
                        && yy >= 0
                        && (xx as u32) < w
                        && (yy as u32) < h
                        && dark[yy as usize * w as usize + xx as usize]
                    {
                        n += 1;
                    }
                }
            }
            if n > 0 {
                out[i] = 0;
            }
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_else(|| img.clone())
}

/// Whitens horizontal and vertical runs of dark pixels of at least `min` pixels.
pub fn remove_lines(mut img: GrayImage, min: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let (w, h) = (w as usize, h as usize);
    let src = img.as_raw().clone();
    let dark = |i: usize| src[i] < 128;
    let out: &mut [u8] = &mut img;
    for y in 0..h {
        let mut x = 0;
        while x < w {
            if dark(y * w + x) {
                let s = x;
                while x < w && dark(y * w + x) {
                    x += 1;
                }
                if x - s >= min as usize {
                    // The anti-aliased edge rows of the line go too.
                    for yy in y.saturating_sub(1)..(y + 2).min(h) {
                        for xx in s..x {
                            out[yy * w + xx] = 255;
                        }
                    }
                }
            } else {
                x += 1;
            }
        }
    }
    for x in 0..w {
        let mut y = 0;
        while y < h {
            if dark(y * w + x) {
                let s = y;
                while y < h && dark(y * w + x) {
                    y += 1;
                }
                if y - s >= min as usize {
                    for xx in x.saturating_sub(1)..(x + 2).min(w) {
                        for yy in s..y {
                            out[yy * w + xx] = 255;
                        }
                    }
                }
            } else {
                y += 1;
            }
        }
    }
    img
}

/// Tesseract TSV (level 5 rows are words).
pub fn parse_tsv(tsv: &str, w: f32, h: f32, page: u32) -> Vec<Word> {
    let mut words = Vec::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<f32>().unwrap_or(0.0);
        let text = cols[11].trim();
        let conf = num(10);
        if text.is_empty() || conf < 0.0 {
            continue;
        }
        let (l, t, ww, hh) = (num(6), num(7), num(8), num(9));
        words.push(Word {
            text: text.to_string(),
            page,
            bbox: BBox::new(l / w, t / h, (l + ww) / w, (t + hh) / h),
            conf: (conf / 100.0).clamp(0.0, 1.0),
        });
    }
    words
}

/// Skew angle in degrees (positive: text lines go down to the right), searched in ±5° by
/// maximising the variance of the horizontal projection profile of dark pixels.
pub fn estimate_skew(img: &GrayImage) -> f32 {
    let (w, h) = img.dimensions();
    if w < 16 || h < 16 {
        return 0.0;
    }
    let step = ((w.max(h) as f32) / 1200.0).ceil().max(1.0) as u32;
    let mut pts: Vec<(f32, f32)> = Vec::new();
    for y in (0..h).step_by(step as usize) {
        for x in (0..w).step_by(step as usize) {
            if img.get_pixel(x, y)[0] < 128 {
                pts.push((x as f32, y as f32));
            }
        }
    }
    if pts.len() < 50 {
        return 0.0;
    }
    if pts.len() > 150_000 {
        let keep = pts.len() / 150_000 + 1;
        pts = pts.into_iter().step_by(keep).collect();
    }
    let bin = step as f32;
    let diag = ((w * w + h * h) as f32).sqrt();
    let score = |deg: f32| -> f64 {
        let (s, c) = deg.to_radians().sin_cos();
        let n = (2.0 * diag / bin) as usize + 2;
        let mut hist = vec![0u32; n];
        for &(x, y) in &pts {
            let yr = y * c - x * s + diag;
            let i = (yr / bin) as usize;
            if i < n {
                hist[i] += 1;
            }
        }
        hist.iter().map(|&v| (v as f64) * (v as f64)).sum()
    };
    let search = |lo: f32, hi: f32, st: f32| -> f32 {
        let mut best = (f64::MIN, 0.0f32);
        let mut a = lo;
        while a <= hi + 1e-4 {
            let s = score(a);
            if s > best.0 {
                best = (s, a);
            }
            a += st;
        }
        best.1
    };
    let coarse = search(-5.0, 5.0, 0.25);
    // The best angle straightens the lines; the skew is its opposite.
    -search(coarse - 0.25, coarse + 0.25, 0.05)
}

/// Rotates by `deg` degrees (positive: counter-clockwise on screen, y down) around the centre,
/// bilinear, white background.
pub fn rotate(img: &GrayImage, deg: f32) -> GrayImage {
    let (w, h) = img.dimensions();
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = GrayImage::from_pixel(w, h, Luma([255]));
    let src = img.as_raw();
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            // Inverse mapping: source = R(-deg) · dest.
            let sx = c * dx - s * dy + cx;
            let sy = s * dx + c * dy + cy;
            if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
                continue;
            }
            let (x0, y0) = (sx as u32, sy as u32);
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let i = (y0 * w + x0) as usize;
            let p00 = src[i] as f32;
            let p10 = src[i + 1] as f32;
            let p01 = src[i + w as usize] as f32;
            let p11 = src[i + w as usize + 1] as f32;
            let v = p00 * (1.0 - fx) * (1.0 - fy)
                + p10 * fx * (1.0 - fy)
                + p01 * (1.0 - fx) * fy
                + p11 * fx * fy;
            out.put_pixel(x, y, Luma([v.round() as u8]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_image() -> GrayImage {
        let mut img = GrayImage::from_pixel(800, 600, Luma([255]));
        for row in (60..540).step_by(30) {
            for x in 100..700 {
                if (x / 7) % 3 != 0 {
                    for dy in 0..6 {
                        img.put_pixel(x, row + dy, Luma([0]));
                    }
                }
            }
        }
        img
    }

    #[test]
    fn deskew_finds_the_rotation_back() {
        let img = lines_image();
        assert!(estimate_skew(&img).abs() < 0.1);
        for angle in [-3.0f32, -1.2, 0.8, 2.5] {
            let rotated = rotate(&img, angle);
            let found = estimate_skew(&rotated);
            // Undoing the found skew must give level lines again.
            let fixed = rotate(&rotated, -found);
            assert!(
                estimate_skew(&fixed).abs() <= 0.15,
                "angle {angle}: found {found}"
            );
            assert!(
                (found.abs() - angle.abs()).abs() < 0.2,
                "angle {angle}: found {found}"
            );
        }
    }

    #[test]
    fn tsv_rows() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t1000\t500\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t100\t50\t200\t20\t91.5\tMatière\n\
                   5\t1\t1\t1\t1\t2\t100\t50\t200\t20\tbad\t\n";
        let w = parse_tsv(tsv, 1000.0, 500.0, 1);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].text, "Matière");
        assert!((w[0].conf - 0.915).abs() < 1e-3);
        assert!((w[0].bbox.x1 - 0.3).abs() < 1e-3);
    }

    #[test]
    fn tiff_header() {
        // Little-endian TIFF, one IFD with width 640 and height 480 (SHORT).
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&2u16.to_le_bytes());
        for (tag, v) in [(256u16, 640u16), (257, 480)] {
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&3u16.to_le_bytes());
            b.extend_from_slice(&1u32.to_le_bytes());
            b.extend_from_slice(&v.to_le_bytes());
            b.extend_from_slice(&[0, 0]);
        }
        assert_eq!(dimensions(&b).unwrap(), (640, 480));
        assert!(dimensions(b"II*\0\xff\xff\xff\xff").is_err());
    }
}
