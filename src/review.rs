//! What the secretariat reviews besides the matrix itself: the roster's
//! submission statuses (SPEC §7.7), the editorial pass (SPEC §7.9) and
//! the similar items (SPEC §8.2). Plain records; the roster, corrections
//! and similar stages fill them.

use serde::{Deserialize, Serialize};

use crate::vocab::{ColumnKey, ItemStatus, Location, Source};

/// Items merged into one: duplicates of one text, or items a correction
/// gave the same text.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// 分野.
    pub field: String,
    /// 区分.
    pub column: ColumnKey,
    /// The kept text.
    pub text: String,
    /// All sources of the merged item.
    pub sources: Vec<Source>,
}

/// One correction that changed the matrix (SPEC §7.9), for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedCorrection {
    /// 分野.
    pub field: String,
    /// 区分.
    pub column: ColumnKey,
    /// The submitted text.
    pub before: String,
    /// The printed text, when it changed.
    pub after: Option<String>,
    /// Left out of the handout.
    pub hidden: bool,
    /// The row of the corrections file.
    pub at: Location,
}

/// A correction whose submitted text is no longer submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct UnappliedCorrection {
    /// 分野.
    pub field: String,
    /// 区分.
    pub column: ColumnKey,
    /// The submitted text it was made for.
    pub text: String,
    /// The row of the corrections file.
    pub at: Location,
}

/// A correction row that a later row for the same item replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct SupersededCorrection {
    /// 分野.
    pub field: String,
    /// 区分.
    pub column: ColumnKey,
    /// The submitted text both rows were made for.
    pub text: String,
    /// The row that was not used.
    pub at: Location,
    /// The later row that was used.
    pub by: Location,
}

/// A row of the next corrections sheet (事務局修正.xlsx): one per submitted
/// item, with its correction when one was applied.
#[derive(Debug, Clone, PartialEq)]
pub struct PassRow {
    /// 分野.
    pub field: String,
    /// 区分.
    pub column: ColumnKey,
    /// The submitted text (without examples), which keys the item.
    pub submitted: String,
    /// Its examples, printed after it in ＜＞.
    pub examples: Option<String>,
    /// The applied 修正後の文, if any.
    pub revised: Option<String>,
    /// 載せない.
    pub hidden: bool,
    /// The item's sources.
    pub sources: Vec<Source>,
    /// 新規 or 継続 with a previous month.
    pub status: Option<ItemStatus>,
}

impl PassRow {
    /// The submitted text as printed (with ＜examples＞): the sheet's
    /// 現在の文. Made when it is written, not held for every item.
    pub fn current(&self) -> std::borrow::Cow<'_, str> {
        match &self.examples {
            Some(ex) => format!("{}＜{}＞", self.submitted, ex).into(),
            None => self.submitted.as_str().into(),
        }
    }
}

/// The secretariat's editorial pass over this month's matrix.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Editorial {
    /// The corrections files read (name and SHA-256).
    pub files: Vec<(String, String)>,
    /// Corrections that changed the matrix.
    pub applied: Vec<AppliedCorrection>,
    /// Corrections that matched no item.
    pub unapplied: Vec<UnappliedCorrection>,
    /// Corrections replaced by a later row for the same item.
    pub superseded: Vec<SupersededCorrection>,
    /// Items that the same 修正後の文 merged.
    pub merged: Vec<Merge>,
    /// The rows of the next corrections sheet.
    pub sheet: Vec<PassRow>,
}

/// Where a roster department stands this month (SPEC §7.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionStatus {
    /// Read, nothing rejected.
    #[serde(rename = "提出済")]
    Submitted,
    /// Read, some rows rejected.
    #[serde(rename = "一部却下")]
    PartlyRejected,
    /// A file of it could not be read.
    #[serde(rename = "読込失敗")]
    Failed,
    /// No file of it.
    #[serde(rename = "未提出")]
    Missing,
    /// Submitted, but not on the roster (usually a missing alias).
    #[serde(rename = "名簿外")]
    NotOnRoster,
}

impl SubmissionStatus {
    /// The word in the report and the workbook.
    pub fn label(self) -> &'static str {
        match self {
            SubmissionStatus::Submitted => "提出済",
            SubmissionStatus::PartlyRejected => "一部却下",
            SubmissionStatus::Failed => "読込失敗",
            SubmissionStatus::Missing => "未提出",
            SubmissionStatus::NotOnRoster => "名簿外",
        }
    }

    /// Every status, in the order the report counts them.
    pub const ALL: [SubmissionStatus; 5] = [
        SubmissionStatus::Submitted,
        SubmissionStatus::PartlyRejected,
        SubmissionStatus::Failed,
        SubmissionStatus::Missing,
        SubmissionStatus::NotOnRoster,
    ];
}

/// One department of the 提出状況 table:
/// `{"name", "status", "files", "rows", "items", "rejected"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentStatus {
    /// Department (the roster's name).
    pub name: String,
    /// Where it stands.
    pub status: SubmissionStatus,
    /// Its files, by name.
    pub files: Vec<String>,
    /// Its data rows.
    pub rows: usize,
    /// Items made from its rows (before duplicates were merged).
    pub items: usize,
    /// Its rejected rows.
    pub rejected: usize,
}

/// One suggested group: items of one cell, by their index in the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimilarGroup {
    /// 1-based number in matrix order (似1, 似2 …).
    pub number: u32,
    /// Index of the 分野 in the matrix.
    pub field: usize,
    /// 区分.
    pub column: ColumnKey,
    /// Indices into the cell's items, ascending (two or more).
    pub items: Vec<usize>,
}

/// Every suggested group of a month, numbered in matrix order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Similar {
    /// The groups, by number.
    pub groups: Vec<SimilarGroup>,
}

impl Similar {
    /// The group number of the item at `index` of a cell, if it is in one.
    pub fn number_of(&self, field: usize, column: ColumnKey, index: usize) -> Option<u32> {
        self.groups
            .iter()
            .find(|g| g.field == field && g.column == column && g.items.contains(&index))
            .map(|g| g.number)
    }

    /// Group numbers of one cell's items (`None`: in no group).
    pub fn cell_numbers(&self, field: usize, column: ColumnKey, len: usize) -> Vec<Option<u32>> {
        let mut out = vec![None; len];
        for g in self
            .groups
            .iter()
            .filter(|g| g.field == field && g.column == column)
        {
            for &i in &g.items {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(g.number);
                }
            }
        }
        out
    }
}
