//! The typed template (SPEC §6): what the XML says, checked.

use crate::vocab::{ColumnKey, Paper};

/// One 分野 (matrix row) with the aliases departments may write.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// Canonical name printed in the handout.
    pub name: String,
    /// Accepted alternative spellings.
    pub aliases: Vec<String>,
}

/// One 区分 (matrix column).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// Fixed key of the column.
    pub key: ColumnKey,
    /// Handout label; for the council column it may contain `{N}`.
    pub label: String,
    /// Accepted 区分 values in submissions.
    pub aliases: Vec<String>,
    /// Relative column width.
    pub width: f64,
}

/// The typed template every stage receives.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Handout title.
    pub title: String,
    /// 資料番号 label printed top right (資料２).
    pub document_number: String,
    /// Meeting number used when no minutes give one.
    pub council_meeting: Option<u32>,
    /// Paper for the xlsx print setup and the PDF.
    pub paper: Paper,
    /// Body font size in points.
    pub font_size: f64,
    /// Font family preferences for the PDF, first match wins.
    pub font_families: Vec<String>,
    /// Header of the 分野 column.
    pub field_label: String,
    /// Relative width of the 分野 column.
    pub field_width: f64,
    /// 分野 rows in order.
    pub fields: Vec<FieldDef>,
    /// The four 区分 columns, in handout order: `columns[key.index()]`.
    pub columns: [ColumnDef; 4],
    /// Department order inside a cell (empty means by file name), with the
    /// other names a department may appear under.
    pub departments: Vec<DepartmentDef>,
    /// Page margins in millimetres.
    pub margins: Margins,
    /// The secretariat's groups of words that say the same thing, added to
    /// the built-in table for similar items (SPEC §8.2); words after §3.
    pub synonyms: Vec<Vec<String>>,
    /// The name of the file it was read from (`None`: the built-in default).
    pub source_file: Option<String>,
    /// SHA-256 of the template text, hex.
    pub source_sha256: String,
}

/// A department of the template's order, with its aliases.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentDef {
    /// Name printed in reports (総務課).
    pub name: String,
    /// Other spellings (総務部総務課).
    pub aliases: Vec<String>,
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top.
    pub top: f64,
    /// Bottom.
    pub bottom: f64,
    /// Left.
    pub left: f64,
    /// Right.
    pub right: f64,
}

impl Default for Margins {
    fn default() -> Self {
        Margins {
            top: 10.0,
            bottom: 10.0,
            left: 10.0,
            right: 10.0,
        }
    }
}

/// A template that cannot be used, with the line it failed at.
#[derive(Debug, thiserror::Error)]
#[error("テンプレート {file}{}: {message}", .line.map(|l| format!(" の {l} 行目")).unwrap_or_default())]
pub struct TemplateError {
    /// The template file.
    pub file: String,
    /// 1-based line number of the problem (none when the file cannot be
    /// read at all).
    pub line: Option<usize>,
    /// What is wrong, in Japanese.
    pub message: String,
}
