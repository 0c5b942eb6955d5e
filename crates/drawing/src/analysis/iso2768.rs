//! ISO 2768 general tolerance notes (NORMS §2.5): "ISO 2768-mK", "ISO 2768-m", "ISO 2768-mK-E",
//! "DIN ISO 2768-1 m", "NF EN 22768-1", "ISO 2768 f H", and the linear table (§2.1).

use crate::model::GeneralTolerance;

/// Finds and parses the first ISO 2768 note in `text` (OCR noise tolerated: `2768 -mK`,
/// `2768-m K`, `2768-1 m`, `22768`). Returns the note and its byte range.
pub fn parse(text: &str) -> Option<(GeneralTolerance, usize, usize)> {
    let at = text.find("2768")?;
    let start = text[..at]
        .rfind(|c: char| c.is_ascii_digit())
        .filter(|&i| i + 1 == at)
        .map(|i| i.saturating_sub(0))
        .unwrap_or(at);
    let rest = &text[at + 4..];
    let mut chars = rest.char_indices().peekable();
    let mut linear = None;
    let mut geometric = None;
    let mut envelope = false;
    let mut end = at + 4;
    // Skip "-1", "-2", "- 1" (part numbers) and separators.
    let mut seen_part = false;
    while let Some(&(i, c)) = chars.peek() {
        if i > 16 {
            break;
        }
        match c {
            '-' | ' ' | ':' | '_' | '−' | '–' | '.' => {
                chars.next();
            }
            '1' | '2' if !seen_part && linear.is_none() => {
                seen_part = true;
                chars.next();
            }
            'f' | 'm' | 'c' | 'v' if linear.is_none() => {
                linear = Some(c);
                chars.next();
                end = at + 4 + i + c.len_utf8();
            }
            'F' | 'C' | 'V' if linear.is_none() => {
                // Upper-case class letters (some title blocks) are linear classes too, except
                // H/K/L which are geometric.
                linear = Some(c.to_ascii_lowercase());
                chars.next();
                end = at + 4 + i + c.len_utf8();
            }
            'M' if linear.is_none() => {
                linear = Some('m');
                chars.next();
                end = at + 4 + i + 1;
            }
            'H' | 'K' | 'L' | 'k' | 'h' | 'l' if geometric.is_none() && linear.is_some() => {
                geometric = Some(c.to_ascii_uppercase());
                chars.next();
                end = at + 4 + i + 1;
            }
            'E' if linear.is_some() => {
                envelope = true;
                chars.next();
                end = at + 4 + i + 1;
                break;
            }
            _ => break,
        }
    }
    if linear.is_none() && geometric.is_none() {
        return None;
    }
    Some((
        GeneralTolerance {
            linear,
            geometric,
            envelope,
        },
        start,
        end,
    ))
}

/// ISO 2768-1 linear tolerance (± mm) for a nominal size and class; `None` below 0.5 mm or
/// where the class has no value. The table lives once, in the engines (NORMS §2.1).
pub fn linear_tolerance(size: f64, class: char) -> Option<f64> {
    usinage_engines::estimate::formulas::iso2768_linear(class, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gt(s: &str) -> Option<(Option<char>, Option<char>, bool)> {
        parse(s).map(|(g, _, _)| (g.linear, g.geometric, g.envelope))
    }

    #[test]
    fn notes() {
        assert_eq!(gt("ISO 2768-mK"), Some((Some('m'), Some('K'), false)));
        assert_eq!(
            gt("Tolérances générales : ISO 2768-m"),
            Some((Some('m'), None, false))
        );
        assert_eq!(gt("ISO 2768-mK-E"), Some((Some('m'), Some('K'), true)));
        assert_eq!(gt("DIN ISO 2768-1 m"), Some((Some('m'), None, false)));
        assert_eq!(gt("ISO 2768 - f H"), Some((Some('f'), Some('H'), false)));
        assert_eq!(gt("ISO 2768-cL"), Some((Some('c'), Some('L'), false)));
        assert_eq!(gt("ISO2768-vK"), Some((Some('v'), Some('K'), false)));
        assert_eq!(gt("NF EN 22768-1 c"), Some((Some('c'), None, false)));
        assert_eq!(gt("ISO 2768"), None);
        assert_eq!(gt("2768-"), None);
        assert_eq!(parse("").map(|x| x.1), None);
        let g = parse("ISO 2768-mK").unwrap().0;
        assert_eq!(g.to_string(), "ISO 2768-mK");
    }

    #[test]
    fn linear_table_worked_example() {
        // NORMS §2.6: 85 and 120 in class m → ±0.3.
        assert_eq!(linear_tolerance(85.0, 'm'), Some(0.3));
        assert_eq!(linear_tolerance(120.0, 'm'), Some(0.3));
        assert_eq!(linear_tolerance(2.0, 'v'), None);
        assert_eq!(linear_tolerance(0.3, 'm'), None);
        assert_eq!(linear_tolerance(3000.0, 'f'), None);
        assert_eq!(linear_tolerance(10.0, 'f'), Some(0.1));
    }
}
