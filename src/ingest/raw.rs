//! What the readers produce: raw rows with their provenance, skipped and
//! failed inputs, fill-downs. Strings as written in the files; the text
//! rules of SPEC §3 come later.

use serde::{Deserialize, Serialize};

use super::error::FileError;
use crate::vocab::{ColumnKey, Location};

/// A cell value with the reference of the cell it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Located {
    /// The raw text (possibly empty).
    pub value: String,
    /// Cell reference such as `B7`, `¶12` for a paragraph of Word minutes,
    /// `p3` for the page of PDF minutes where a paragraph starts.
    pub cell: String,
}

/// Which 区分 an entry belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum KindSpec {
    /// A 区分 cell of the long layout, still to be resolved.
    Cell(Located),
    /// A column of the wide layout or the minutes: already known.
    Fixed(ColumnKey),
}

/// One statement cell of a row: its 区分, its text and the examples cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawEntry {
    /// The 区分.
    pub kind: KindSpec,
    /// The 内容 cell (may hold several items).
    pub content: Located,
    /// The 他自治体の事例 cell of the row, if any.
    pub examples: Option<Located>,
}

/// One input row of a data sheet (or one paragraph of the minutes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRow {
    /// File name (no directory).
    pub file: String,
    /// Sheet name; `None` for the minutes.
    pub sheet: Option<String>,
    /// Position of the sheet in its workbook, for ordering.
    pub sheet_index: usize,
    /// 1-based row number (paragraph number for the minutes).
    pub row: u32,
    /// Department the row is attributed to.
    pub department: String,
    /// The 分野 cell (value may be empty, reference always set).
    pub field: Located,
    /// The statements of the row (one in the long layout).
    pub entries: Vec<RawEntry>,
}

/// An input that was deliberately not used, with the reason. In
/// matrix.json: `{"file", "sheet", "cell", "reason"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file, the sheet of a skipped sheet, the cell of a skipped row.
    #[serde(flatten)]
    pub at: Location,
    /// Why, in Japanese.
    pub reason: String,
}

impl Skipped {
    /// A skipped file, sheet or row.
    pub fn new(at: Location, reason: impl Into<String>) -> Skipped {
        Skipped {
            at,
            reason: reason.into(),
        }
    }
}

/// A file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failed {
    /// File name.
    pub file: String,
    /// The department it speaks for: the one in its name (as the roster
    /// names it), or the secretariat for its corrections.
    pub department: String,
    /// Why, with what to do (shown in Japanese).
    pub reason: FileError,
}

/// A blank or merged 分野/区分 cell that took the value of the row above.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FillDown {
    /// The blank cell.
    pub at: Location,
    /// The value it received.
    pub value: String,
    /// True when the cell is part of a merged range (not a blank).
    pub merged: bool,
}

/// What one reader returns for one file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FileResult {
    /// Data rows.
    pub rows: Vec<RawRow>,
    /// Skipped sheets and rows of this file.
    pub skipped: Vec<Skipped>,
    /// Number of skipped input rows.
    pub skipped_rows: usize,
    /// Input rows the reader met, counted where it meets them, apart from
    /// what it then does with them (SPEC §7.4).
    pub rows_counted: usize,
    /// Fill-downs.
    pub fill_downs: Vec<FillDown>,
    /// Meeting number (minutes only).
    pub meeting_number: Option<u32>,
    /// A note for the report.
    pub note: Option<String>,
    /// Set when the file turned out not to be a submission at all (a Word
    /// file that is not minutes): the reason it is skipped.
    pub not_used: Option<String>,
    /// The departments the file speaks for, as written: each data sheet's
    /// (label cell or file name) and each 担当課 cell's, even without rows
    /// (a department with nothing to report has still submitted).
    pub departments: Vec<String>,
    /// Rows of a secretariat's corrections sheet (事務局修正), when the
    /// file is one: it is then not a submission.
    pub corrections: Vec<CorrectionRow>,
}

/// One row of the secretariat's corrections (SPEC §7.9), cells as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionRow {
    /// File name.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// 分野.
    pub field: Located,
    /// 区分.
    pub kind: Located,
    /// 現在の文: the submitted text (the key).
    pub current: Located,
    /// 修正後の文: the text to print instead (empty: keep).
    pub revised: Located,
    /// 載せない: ○ to leave the item out of the handout.
    pub hide: Located,
}

impl FileResult {
    /// Adds the rows of one more sheet of the same file.
    pub fn absorb(&mut self, other: FileResult) {
        self.rows.extend(other.rows);
        self.skipped.extend(other.skipped);
        self.skipped_rows += other.skipped_rows;
        self.rows_counted += other.rows_counted;
        self.fill_downs.extend(other.fill_downs);
        for d in other.departments {
            if !self.departments.contains(&d) {
                self.departments.push(d);
            }
        }
        self.corrections.extend(other.corrections);
    }
}

/// The text of an XML entity reference in a document's text (`&amp;`,
/// `&#x3042;`); an unknown entity gives nothing.
pub fn entity_text(r: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    let name = r.clone().into_inner();
    quick_xml::escape::resolve_predefined_entity(name.as_ref())
        .map(String::from)
        .or_else(|| r.resolve_char_ref().ok().flatten().map(String::from))
}

/// A number as Excel shows it without a format: integers without `.0`.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// `B7`-style reference from 0-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut col = col + 1;
    let mut letters = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        col = (col - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The file name without its extension.
pub fn file_stem(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 1), "B7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1048575, 16383), "XFD1048576");
    }
}
