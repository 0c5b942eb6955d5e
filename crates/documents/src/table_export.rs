//! Exports of list screens to CSV (French Excel friendly: `;` separator, UTF-8 BOM) and XLSX.

use rust_xlsxwriter::{Format, Workbook};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("export CSV impossible")]
    Csv,
    #[error("export XLSX impossible")]
    Xlsx,
}

/// A table: header labels and rows of cells already formatted as text or numbers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.into())
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        v.map(Cell::Text).unwrap_or(Cell::Empty)
    }
}

/// CSV for French spreadsheets: `;` separator (`,` is the decimal mark in France) and a BOM so
/// Excel reads accents as UTF-8. Cells starting with `= + - @` are prefixed with `'` against
/// formula injection (OWASP CSV injection).
pub fn to_csv(t: &Table) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::from(&b"\xEF\xBB\xBF"[..]));
    w.write_record(&t.headers).map_err(|_| ExportError::Csv)?;
    for row in &t.rows {
        let rec: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) if s.starts_with(['=', '+', '-', '@']) => format!("'{s}"),
                Cell::Text(s) => s.clone(),
                Cell::Int(i) => i.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        w.write_record(&rec).map_err(|_| ExportError::Csv)?;
    }
    w.into_inner().map_err(|_| ExportError::Csv)
}

pub fn to_xlsx(t: &Table, sheet: &str) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet.chars().take(31).collect::<String>())
        .map_err(|_| ExportError::Xlsx)?;
    let bold = Format::new().set_bold();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(|_| ExportError::Xlsx)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(|_| ExportError::Xlsx)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(|_| ExportError::Xlsx)?;
    ws.autofit();
    wb.save_to_buffer().map_err(|_| ExportError::Xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            headers: vec!["Identifiant".into(), "Nom".into(), "N°".into()],
            rows: vec![
                vec!["kdumas".into(), "Kévin Dumas".into(), Cell::Int(7)],
                vec!["=cmd".into(), Cell::Empty, Cell::Int(8)],
            ],
        }
    }

    #[test]
    fn csv_is_semicolon_separated_with_bom_and_defuses_formulas() {
        let s = String::from_utf8(to_csv(&table()).unwrap()).unwrap();
        assert!(s.starts_with('\u{feff}'));
        let lines: Vec<&str> = s.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines,
            ["Identifiant;Nom;N°", "kdumas;Kévin Dumas;7", "'=cmd;;8"]
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let b = to_xlsx(&table(), "Utilisateurs").unwrap();
        assert_eq!(&b[..2], b"PK");
        assert!(b.len() > 1000);
    }
}
