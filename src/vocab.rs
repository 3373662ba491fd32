//! The project's shared words, at the bottom of the module tree: every
//! stage may use them, they use nothing of the crate.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The bullet printed before every item.
pub const BULLET: &str = "・";
/// Mark printed before the bullet of an item that is new since last month.
pub const NEW_MARK: &str = "新";
/// Legend of the mark, printed with the handout when months are compared.
pub const NEW_LEGEND: &str = "新＝前回の資料にない項目";
/// Suffix of the 分野 label on a continuation page.
pub const CONTINUED: &str = "（続き）";
/// How many rows from the top of a sheet are searched for the header row.
pub const HEADER_SEARCH_ROWS: u32 = 30;
/// The department of the secretariat's own files (its corrections): it is
/// never on the roster and is never sent a return sheet.
pub const SECRETARIAT: &str = "事務局";
/// The corrections sheet every build writes; a file whose name starts with
/// its stem is the secretariat's even when it cannot be read.
pub const CORRECTIONS_FILE: &str = "事務局修正.xlsx";
/// The sheet of [`CORRECTIONS_FILE`].
pub const CORRECTIONS_SHEET: &str = "事務局修正";

/// True for a file named like the secretariat's corrections sheet
/// (`事務局修正.xlsx`, `事務局修正 (2).xlsx`, `事務局修正_11月.xlsx`).
pub fn is_corrections_file_name(name: &str) -> bool {
    name.starts_with(CORRECTIONS_SHEET)
}

/// The four statement kinds (区分) of the matrix, in handout order.
/// Their keys are fixed by the `matrix.json` schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKey {
    /// 審議会での主な意見
    Council,
    /// 現状と課題
    Issues,
    /// 想定される解決案
    Solutions,
    /// 既に取り組んでいる内容
    Ongoing,
}

impl ColumnKey {
    /// All keys in handout order.
    pub const ALL: [ColumnKey; 4] = [
        ColumnKey::Council,
        ColumnKey::Issues,
        ColumnKey::Solutions,
        ColumnKey::Ongoing,
    ];

    /// The key as written in `matrix.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKey::Council => "council",
            ColumnKey::Issues => "issues",
            ColumnKey::Solutions => "solutions",
            ColumnKey::Ongoing => "ongoing",
        }
    }

    /// Position of the column in the matrix (0-based).
    pub fn index(self) -> usize {
        self as usize
    }

    /// A short Japanese name used in reports and the 明細 sheet.
    pub fn short_label(self) -> &'static str {
        match self {
            ColumnKey::Council => "審議会意見",
            ColumnKey::Issues => "現状と課題",
            ColumnKey::Solutions => "解決案",
            ColumnKey::Ongoing => "取組済み",
        }
    }

    /// The key of its `matrix.json` name.
    pub fn parse(s: &str) -> Option<ColumnKey> {
        ColumnKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The state of an item compared with last month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemStatus {
    /// Not in last month's handout.
    #[serde(rename = "新規")]
    New,
    /// In last month's handout too.
    #[serde(rename = "継続")]
    Continued,
}

impl ItemStatus {
    /// The word used in reports, the 明細 sheet and matrix.json.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::New => "新規",
            ItemStatus::Continued => "継続",
        }
    }
}

/// Where an item came from: `{"department", "file", "sheet", "cell"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// Department (審議会 for the minutes).
    pub department: String,
    /// File, sheet (`None` for the minutes) and cell (`C5`, `¶12` for a
    /// paragraph of Word minutes, `p3` for a page of PDF minutes).
    #[serde(flatten)]
    pub at: Location,
}

/// Where something is in the input: a file, a sheet of it, a cell of that
/// sheet (`¶12` for a paragraph of Word minutes, `p3` for a page of PDF
/// minutes, which have no sheet).
/// Shown as `総務課.xlsx!提出!B7`; names exactly as on disk (SPEC §7.1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// File name.
    pub file: String,
    /// Sheet name; `None` for the minutes or the file as a whole.
    pub sheet: Option<String>,
    /// Cell reference; `None` for a whole file or sheet.
    pub cell: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(file: &str) -> Location {
        Location {
            file: file.to_string(),
            sheet: None,
            cell: None,
        }
    }

    /// A cell of a sheet (or a paragraph when `sheet` is `None`).
    pub fn cell(file: &str, sheet: Option<&str>, cell: &str) -> Location {
        Location {
            file: file.to_string(),
            sheet: sheet.map(String::from),
            cell: Some(cell.to_string()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        for part in [&self.sheet, &self.cell].into_iter().flatten() {
            write!(f, "!{part}")?;
        }
        Ok(())
    }
}

/// Paper size of the handouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperSize {
    /// 297 × 420 mm
    A3,
    /// 210 × 297 mm
    A4,
}

/// Paper size and orientation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// A3 or A4.
    pub size: PaperSize,
    /// Landscape (横) when true.
    pub landscape: bool,
}

impl Paper {
    /// Width and height in PDF points, orientation applied.
    pub fn size_pt(&self) -> (f64, f64) {
        let (w, h) = match self.size {
            PaperSize::A3 => (841.89, 1190.55),
            PaperSize::A4 => (595.28, 841.89),
        };
        if self.landscape { (h, w) } else { (w, h) }
    }
}

/// How a run ended, as the process exit code (SPEC §5). Ordered by
/// severity, so the worst of several runs is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: everything was read and used.
    Clean,
    /// 1: some input was rejected or failed, or an output has a problem;
    /// the outputs are written (unless `--strict`).
    Problems,
    /// 2: usage error or nothing could be written.
    Fatal,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Problems => 1,
            ExitStatus::Fatal => 2,
        }
    }

    /// Clean unless `problems`.
    pub fn problems_if(problems: bool) -> ExitStatus {
        if problems {
            ExitStatus::Problems
        } else {
            ExitStatus::Clean
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_the_report_writes_them() {
        assert_eq!(
            Location::cell("総務課.xlsx", Some("提出"), "B7").to_string(),
            "総務課.xlsx!提出!B7"
        );
        assert_eq!(
            Location::cell("会議録.docx", None, "¶12").to_string(),
            "会議録.docx!¶12"
        );
        assert_eq!(
            Location::cell("会議録.pdf", None, "p3").to_string(),
            "会議録.pdf!p3"
        );
        assert_eq!(Location::file("a.csv").to_string(), "a.csv");
    }

    #[test]
    fn column_keys_and_statuses_in_json() {
        assert_eq!(ColumnKey::parse("solutions"), Some(ColumnKey::Solutions));
        assert_eq!(serde_json::to_string(&ItemStatus::New).unwrap(), "\"新規\"");
    }
}
