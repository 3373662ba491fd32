//! The domain model (SPEC §1, §4): 分野 × 区分 cells, alias resolution,
//! rejection, dedup, order and the reconciliation of counts. The only place
//! where those rules live.

use rayon::prelude::*;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ingest::{
    Failed, FileStatus, FillDown, Ingested, KindSpec, Located, RawEntry, RawRow, Skipped,
};
use crate::normalize;
pub use crate::review::{
    AppliedCorrection, DepartmentStatus, Editorial, Merge, PassRow, Similar, SimilarGroup,
    SubmissionStatus, SupersededCorrection, UnappliedCorrection,
};
use crate::template::{Resolver, Template};
pub use crate::vocab::Source;
use crate::vocab::{ColumnKey, ItemStatus, Location};

/// One bullet of a matrix cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Normalised text without bullet and examples.
    pub text: String,
    /// Other municipalities' examples (`宗像市、明石市など`).
    pub examples: Option<String>,
    /// Every source, first one first.
    pub sources: Vec<Source>,
    /// 新規 or 継続 when a previous month was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ItemStatus>,
    /// The submitted text, when the secretariat's correction replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// Left out of the handout by the secretariat (載せない).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// The submitted texts of other items that a correction gave this
    /// item's text and merged into it (the first one's is `original`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_originals: Vec<String>,
    /// The number of its similar-items group (SPEC §8.2), in matrix.json
    /// only: the groups are a value of their own ([`Similar`]) and the
    /// document writer copies the number onto the items it writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar: Option<u32>,
}

impl Item {
    /// An item from one source.
    pub fn new(text: String, examples: Option<String>, source: Source) -> Item {
        Item {
            text,
            examples,
            sources: vec![source],
            status: None,
            original: None,
            hidden: false,
            merged_originals: Vec::new(),
            similar: None,
        }
    }

    /// The line as printed: the text, then its examples in ＜＞.
    pub fn line(&self) -> String {
        match &self.examples {
            Some(ex) => format!("{}＜{}＞", self.text, ex),
            None => self.text.clone(),
        }
    }

    /// What was submitted: the text before a correction replaced it.
    pub fn submitted(&self) -> &str {
        self.original.as_deref().unwrap_or(&self.text)
    }

    /// Every submitted text the item stands for: its own, then those of
    /// the items a correction merged into it.
    pub fn submitted_texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.submitted()).chain(self.merged_originals.iter().map(String::as_str))
    }

    /// Takes in another item of the same text: its sources, the examples
    /// not yet listed, and what it submitted when that differs. It stays
    /// in the handout unless both are hidden; 継続 wins over 新規.
    pub fn absorb(&mut self, other: Item) {
        let submitted = other.submitted().to_string();
        self.sources.extend(other.sources);
        if let Some(ex) = other.examples {
            self.examples = Some(match self.examples.take() {
                Some(old) if old.contains(&ex) => old,
                Some(old) => format!("{old}、{ex}"),
                None => ex,
            });
        }
        self.hidden &= other.hidden;
        if self.status != Some(ItemStatus::Continued) && other.status.is_some() {
            self.status = other.status;
        }
        let key = |t: &str| normalize::dedup_key(t);
        let known: Vec<String> = self.submitted_texts().map(key).collect();
        let theirs = std::iter::once(submitted).chain(other.merged_originals);
        for text in theirs {
            if !known.contains(&key(&text)) && !self.merged_originals.contains(&text) {
                self.merged_originals.push(text);
            }
        }
    }
}

/// An item of last month's handout; listed as 削除 when it is no longer submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    /// 分野.
    pub field: String,
    /// 区分.
    pub column: ColumnKey,
    /// Text as printed last month.
    pub text: String,
    /// Examples last month.
    pub examples: Option<String>,
    /// Departments last month.
    pub departments: Vec<String>,
}

/// A column header of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Fixed key.
    pub key: ColumnKey,
    /// Label printed in the handout.
    pub label: String,
}

/// One 分野 row: a list of items per column.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRow {
    /// 分野 name.
    pub name: String,
    /// Items per column, indexed by [`ColumnKey::index`].
    pub cells: [Vec<Item>; 4],
}

/// A row that could not be used, with the cell to fix:
/// `{"file", "sheet", "cell", "department", "reason", "fix", "text"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    /// The offending cell (for a CSV the sheet is the file stem).
    #[serde(flatten)]
    pub at: Location,
    /// The department of the row (template name).
    pub department: String,
    /// What is wrong, in Japanese.
    pub reason: String,
    /// What the department should do, in Japanese.
    pub fix: String,
    /// The row's statement, so the secretariat recognises it.
    pub text: String,
}

impl Rejection {
    /// A row at `at` of `department` refused for `problem`; `text` is its
    /// statement.
    pub(crate) fn new(
        at: Location,
        department: String,
        problem: &RowProblem,
        text: String,
    ) -> Rejection {
        Rejection {
            at,
            department,
            reason: problem.reason(),
            fix: problem.fix(),
            text,
        }
    }
}

/// Which sheet a refused row is on: a department's submission, or the
/// secretariat's corrections (whose 分野 and 区分 shiryo wrote itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowSheet {
    /// A department's submission.
    Submission,
    /// 事務局修正.xlsx.
    Corrections,
}

/// Why a row cannot be used (SPEC §4): its reason and the fix the
/// department (or the secretariat) should make, worded in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowProblem {
    /// No 分野; the template's 分野 as candidates.
    FieldBlank {
        /// Every 分野, joined with 、.
        candidates: String,
    },
    /// A 分野 the template does not know.
    FieldUnknown {
        /// The value written.
        value: String,
        /// The nearest 分野 (or all), joined with 、.
        near: String,
        /// The sheet it is on.
        sheet: RowSheet,
    },
    /// No 区分.
    KindBlank,
    /// A 区分 the template does not know.
    KindUnknown {
        /// The value written.
        value: String,
        /// The nearest 区分 (or all), joined with 、.
        near: String,
        /// The sheet it is on.
        sheet: RowSheet,
    },
    /// No statement.
    ContentBlank,
    /// A 載せない mark other than ○ or blank.
    HideMark {
        /// The value written.
        value: String,
    },
    /// A correction row whose 現在の文 was emptied.
    CurrentBlank,
}

impl RowProblem {
    /// What is wrong.
    pub(crate) fn reason(&self) -> String {
        match self {
            RowProblem::FieldBlank { .. } => "分野が空欄です。".into(),
            RowProblem::FieldUnknown { value, .. } => {
                format!("分野「{value}」は登録されていません。")
            }
            RowProblem::KindBlank => "区分が空欄です。".into(),
            RowProblem::KindUnknown { value, .. } => {
                format!("区分「{value}」は登録されていません。")
            }
            RowProblem::ContentBlank => "内容が空欄です。".into(),
            RowProblem::HideMark { value } => format!("載せない「{value}」は使えません。"),
            RowProblem::CurrentBlank => "現在の文が空欄です。".into(),
        }
    }

    /// What to do about it.
    pub(crate) fn fix(&self) -> String {
        let keep = |sheet: &RowSheet, what: &str| match sheet {
            RowSheet::Submission => String::new(),
            RowSheet::Corrections => format!("（shiryo が書き出した{what}のままにしてください）"),
        };
        match self {
            RowProblem::FieldBlank { candidates } => {
                format!("{candidates} のいずれかを記入してください。")
            }
            RowProblem::FieldUnknown { near, sheet, .. } => {
                format!(
                    "候補: {near} のどれかに直してください{}。",
                    keep(sheet, "分野")
                )
            }
            RowProblem::KindBlank => "現状と課題・解決案・取組済み などを記入してください。".into(),
            RowProblem::KindUnknown { near, sheet, .. } => {
                format!(
                    "候補: {near} のどれかに直してください{}。",
                    keep(sheet, "区分")
                )
            }
            RowProblem::ContentBlank => {
                "意見や取組の内容を記入するか、不要なら行ごと削除してください。".into()
            }
            RowProblem::HideMark { .. } => {
                "載せない項目には ○ を選び、載せる項目は空欄にしてください。".into()
            }
            RowProblem::CurrentBlank => "shiryo が書き出した現在の文を消さないでください。".into(),
        }
    }
}

/// The 分野 a (normalised) value names, or why not.
pub(crate) fn field_of(
    value: &str,
    template: &Template,
    resolver: &Resolver,
    sheet: RowSheet,
) -> Result<usize, RowProblem> {
    resolver
        .field(value)
        .ok_or_else(|| RowProblem::FieldUnknown {
            value: value.to_string(),
            near: suggestion(value, &template.field_candidates()),
            sheet,
        })
}

/// The 区分 a (normalised) value names, or why not.
pub(crate) fn column_of(
    value: &str,
    template: &Template,
    resolver: &Resolver,
    sheet: RowSheet,
) -> Result<ColumnKey, RowProblem> {
    resolver
        .column(value)
        .ok_or_else(|| RowProblem::KindUnknown {
            value: value.to_string(),
            near: suggestion(value, &template.column_candidates()),
            sheet,
        })
}

/// The counts of SPEC §5 plus what the reconciliation needs (SPEC §7.4):
/// tallies taken at different places, so that a row or an item lost on
/// the way shows as a mismatch. The same record in matrix.json and the
/// manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Files in the input folder.
    pub files: usize,
    /// Input rows, as each reader counted them where it met them (the
    /// manifest's `rows` per file, summed).
    pub rows: usize,
    /// Items in the matrix.
    pub items: usize,
    /// Item sources merged into another item.
    pub duplicates_merged: usize,
    /// Skipped files, sheets and rows.
    pub skipped: usize,
    /// Rejected rows.
    pub rejected: usize,
    /// Failed files.
    pub failed: usize,
    /// Rows that became items.
    pub rows_with_items: usize,
    /// Rows that were skipped (example rows...).
    pub rows_skipped: usize,
    /// Items made from rows, before duplicates were merged.
    pub sources: usize,
    /// Rows of the secretariat's corrections that could be read (the
    /// others are rejected).
    #[serde(default)]
    pub correction_rows: usize,
    /// Sources listed on the items of the matrix, counted on the matrix.
    pub sources_listed: usize,
}

impl Counts {
    /// True when every input row and every source is accounted for: the
    /// readers' row tally against the fates of the rows, and the items made
    /// from rows against the sources the matrix lists.
    pub fn reconciles(&self) -> bool {
        self.rows_reconcile() && self.sources_reconcile()
    }

    /// Every input row became items, was skipped, rejected, or is a row
    /// of the secretariat's corrections.
    pub fn rows_reconcile(&self) -> bool {
        self.rows == self.rows_with_items + self.rows_skipped + self.rejected + self.correction_rows
    }

    /// Every item made from a row is listed as a source in the matrix.
    pub fn sources_reconcile(&self) -> bool {
        self.sources == self.sources_listed
    }
}

/// The built matrix with everything the renderers and the report need.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Handout title.
    pub title: String,
    /// 資料番号 label.
    pub document_number: String,
    /// Meeting number of the council column, if known.
    pub meeting_number: Option<u32>,
    /// Field column header (分野).
    pub field_label: String,
    /// The four columns in order.
    pub columns: Vec<Column>,
    /// Every 分野 of the template in order (empty ones included).
    pub fields: Vec<FieldRow>,
    /// Rejected rows.
    pub rejected: Vec<Rejection>,
    /// Skipped files, sheets and rows.
    pub skipped: Vec<Skipped>,
    /// Failed files.
    pub failed: Vec<Failed>,
    /// Fill-downs (report only).
    pub fill_downs: Vec<FillDown>,
    /// Merged duplicates (report only).
    pub merges: Vec<Merge>,
    /// Counts.
    pub counts: Counts,
    /// Last month's items that are gone, when a previous month was given.
    pub removed: Option<Vec<Removed>>,
    /// The 提出状況 table, when the template has a roster.
    pub departments: Option<Vec<DepartmentStatus>>,
    /// The secretariat's corrections and the next corrections sheet.
    pub editorial: Editorial,
}

impl FieldRow {
    /// The items of each column that the handout prints (not 載せない).
    pub fn printed(&self) -> [Vec<&Item>; 4] {
        self.cells
            .each_ref()
            .map(|c| c.iter().filter(|i| !i.hidden).collect())
    }

    /// True when the handout prints something of this 分野.
    pub fn has_printed(&self) -> bool {
        self.cells.iter().flatten().any(|i| !i.hidden)
    }
}

impl Matrix {
    /// True when the run must say 要確認 and exit 1: rejected rows, failed
    /// files, or counts that do not reconcile.
    pub fn has_problems(&self) -> bool {
        self.counts.rejected + self.counts.failed > 0 || !self.counts.reconciles()
    }

    /// The matrix with the roster's statuses.
    pub(crate) fn with_departments(mut self, departments: Option<Vec<DepartmentStatus>>) -> Matrix {
        self.departments = departments;
        self
    }

    /// The matrix with every item marked 新規 or 継続 and last month's
    /// items that are gone.
    pub(crate) fn with_history(mut self, h: crate::history::History) -> Matrix {
        for (f, cells) in self.fields.iter_mut().zip(h.statuses) {
            for (items, statuses) in f.cells.iter_mut().zip(cells) {
                for (it, status) in items.iter_mut().zip(statuses) {
                    it.status = Some(status);
                }
            }
        }
        self.removed = Some(h.removed);
        self
    }

    /// The matrix with the secretariat's corrections applied: new texts,
    /// items left out, and the items of a cell that a new text made the
    /// same merged (as duplicates are, SPEC §3).
    pub(crate) fn corrected(mut self, plan: crate::corrections::Plan) -> Matrix {
        let mut ed = plan.editorial;
        let mut changed = vec![[false; 4]; self.fields.len()];
        for c in plan.changes {
            let item = &mut self.fields[c.field].cells[c.column.index()][c.item];
            if let Some((text, examples)) = c.revised {
                item.original.get_or_insert_with(|| item.text.clone());
                item.text = text;
                item.examples = examples;
                changed[c.field][c.column.index()] = true;
            }
            item.hidden = c.hide;
        }
        for (f, changed) in self.fields.iter_mut().zip(changed) {
            for (ci, items) in f.cells.iter_mut().enumerate() {
                // Only a new text can make two items of a cell the same.
                if changed[ci] {
                    merge_equal(items, &f.name, ColumnKey::ALL[ci], &mut ed.merged);
                }
            }
        }
        self.counts.correction_rows = plan.rows;
        self.counts.rejected += plan.rejected.len();
        self.rejected.extend(plan.rejected);
        self.editorial = ed;
        self.recount();
        self
    }

    /// Counts again what is counted on the finished matrix (items and the
    /// sources they list), after a later stage changed it.
    pub(crate) fn recount(&mut self) {
        let all_items = || self.fields.iter().flat_map(|f| f.cells.iter().flatten());
        let items = all_items().count();
        let listed = all_items().map(|i| i.sources.len()).sum::<usize>();
        self.counts.items = items;
        self.counts.sources_listed = listed;
        self.counts.duplicates_merged = listed.saturating_sub(items);
    }
}

/// Merges the items of one cell that now have the same text: the first
/// keeps its place and takes in the others.
fn merge_equal(items: &mut Vec<Item>, field: &str, column: ColumnKey, merged: &mut Vec<Merge>) {
    let mut kept: Vec<Item> = Vec::with_capacity(items.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut absorbed = vec![false; items.len()];
    for item in items.drain(..) {
        let key = normalize::dedup_key(&item.text);
        match index.get(&key) {
            Some(&i) => {
                kept[i].absorb(item);
                absorbed[i] = true;
            }
            None => {
                index.insert(key, kept.len());
                kept.push(item);
            }
        }
    }
    for (item, _) in kept.iter().zip(absorbed).filter(|(_, a)| *a) {
        merged.push(Merge {
            field: field.to_string(),
            column,
            text: item.text.clone(),
            sources: item.sources.clone(),
        });
    }
    *items = kept;
}

struct Entry {
    field: usize,
    column: ColumnKey,
    text: String,
    examples: Option<String>,
    source: Source,
    order: (usize, String, usize, u32, usize),
}

/// Builds the matrix from ingested rows (SPEC §1, §3, §4).
pub fn build(ing: Ingested, template: &Template) -> Matrix {
    let resolver = Resolver::new(template);
    let (entries, rejected, rows_with_items) = read_rows(&ing.rows, template, &resolver);
    let sources = entries.len();
    let (fields, merges) = place(entries, template);
    let rows_counted = ing
        .files
        .iter()
        .map(|f| match f.status {
            FileStatus::Read { rows, .. } => rows,
            _ => 0,
        })
        .sum();
    let counts = Counts {
        files: ing.files.len(),
        rows: rows_counted,
        skipped: ing.skipped.len(),
        rejected: rejected.len(),
        failed: ing.failed.len(),
        rows_with_items,
        rows_skipped: ing.skipped_rows,
        sources,
        ..Counts::default()
    };
    let meeting_number = ing.meeting_number.or(template.council_meeting);
    let mut m = Matrix {
        title: template.title.clone(),
        document_number: template.document_number.clone(),
        meeting_number,
        field_label: template.field_label.clone(),
        columns: ColumnKey::ALL
            .iter()
            .map(|&key| Column {
                key,
                label: template.column_label(key, meeting_number),
            })
            .collect(),
        fields,
        rejected,
        skipped: ing.skipped,
        failed: ing.failed,
        fill_downs: ing.fill_downs,
        merges,
        counts,
        removed: None,
        departments: None,
        editorial: Editorial::default(),
    };
    m.recount();
    m
}

/// Every row's entries in handout order, the rows rejected, and how many
/// rows gave items. Rows are read independently: on every core, then taken
/// in order.
fn read_rows(
    rows: &[RawRow],
    template: &Template,
    resolver: &Resolver,
) -> (Vec<Entry>, Vec<Rejection>, usize) {
    let mut rejected = Vec::new();
    let mut entries = Vec::new();
    let mut rows_with_items = 0;
    let per_row: Vec<Result<Vec<Entry>, Box<Rejection>>> = rows
        .par_iter()
        .map(|row| row_entries(row, template, resolver))
        .collect();
    for result in per_row {
        match result {
            Ok(list) => {
                rows_with_items += 1;
                entries.extend(list);
            }
            Err(r) => rejected.push(*r),
        }
    }
    // A stable sort, as `sort_by`.
    entries.par_sort_by(|a, b| a.order.cmp(&b.order));
    (entries, rejected, rows_with_items)
}

/// Puts sorted entries into their cells, an item absorbing every later
/// entry of the same cell with the same text (SPEC §3); the merges made.
fn place(entries: Vec<Entry>, template: &Template) -> (Vec<FieldRow>, Vec<Merge>) {
    let keys: Vec<String> = entries
        .par_iter()
        .map(|e| normalize::dedup_key(&e.text))
        .collect();
    let mut fields: Vec<FieldRow> = template
        .fields
        .iter()
        .map(|f| FieldRow {
            name: f.name.clone(),
            cells: Default::default(),
        })
        .collect();
    let mut seen: HashMap<(usize, ColumnKey, String), usize> = HashMap::new();
    let mut merged_keys = Vec::new();
    let mut merged_seen = std::collections::HashSet::new();
    for (e, text_key) in entries.into_iter().zip(keys) {
        let key = (e.field, e.column, text_key);
        let cell = &mut fields[e.field].cells[e.column.index()];
        match seen.get(&key) {
            Some(&i) => {
                cell[i].absorb(Item::new(e.text, e.examples, e.source));
                if merged_seen.insert(key.clone()) {
                    merged_keys.push(key);
                }
            }
            None => {
                seen.insert(key, cell.len());
                cell.push(Item::new(e.text, e.examples, e.source));
            }
        }
    }
    let merges = merged_keys
        .iter()
        .map(|k| {
            let item = &fields[k.0].cells[k.1.index()][seen[k]];
            Merge {
                field: fields[k.0].name.clone(),
                column: k.1,
                text: item.text.clone(),
                sources: item.sources.clone(),
            }
        })
        .collect();
    (fields, merges)
}

/// Up to three candidates that look like `value`; every candidate when none
/// is close (short Japanese words make edit distance a weak guide).
pub(crate) fn suggestion(value: &str, candidates: &[&str]) -> String {
    let key = normalize::value_key(value);
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .map(|c| {
            (
                strsim::normalized_levenshtein(&key, &normalize::value_key(c)),
                *c,
            )
        })
        .filter(|(score, _)| *score >= 0.4)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let close: Vec<&str> = scored.iter().take(3).map(|(_, c)| *c).collect();
    if close.is_empty() {
        candidates.join("、")
    } else {
        close.join("、")
    }
}

/// Entries of one row, or the reason it is rejected.
fn row_entries(
    row: &RawRow,
    template: &Template,
    resolver: &Resolver,
) -> Result<Vec<Entry>, Box<Rejection>> {
    let department = resolver.department_name(&row.department);
    let reject = |at: &Located, problem: RowProblem| {
        Box::new(Rejection::new(
            Location::cell(&row.file, row.sheet.as_deref(), &at.cell),
            department.clone(),
            &problem,
            row.entries
                .iter()
                .map(|e| normalize::normalize_line(&e.content.value))
                .collect::<Vec<_>>()
                .join(" ／ "),
        ))
    };
    let field =
        row_field(&row.field.value, template, resolver).map_err(|r| reject(&row.field, r))?;
    let mut out = Vec::new();
    for entry in &row.entries {
        let column = match &entry.kind {
            KindSpec::Fixed(k) => *k,
            KindSpec::Cell(cell) => {
                entry_column(&cell.value, template, resolver).map_err(|r| reject(cell, r))?
            }
        };
        let items = entry_items(entry).map_err(|r| reject(&entry.content, r))?;
        for (n, (text, examples)) in items.into_iter().enumerate() {
            out.push(Entry {
                field,
                column,
                text,
                examples,
                source: Source {
                    department: department.clone(),
                    at: Location::cell(&row.file, row.sheet.as_deref(), &entry.content.cell),
                },
                order: (
                    template.department_rank(&department),
                    row.file.clone(),
                    row.sheet_index,
                    row.row,
                    n,
                ),
            });
        }
    }
    Ok(out)
}

/// The 分野 a row's cell names (SPEC §4).
fn row_field(value: &str, template: &Template, resolver: &Resolver) -> Result<usize, RowProblem> {
    let field_value = normalize::normalize_line(value);
    if field_value.is_empty() {
        return Err(RowProblem::FieldBlank {
            candidates: template.field_candidates().join("、"),
        });
    }
    field_of(&field_value, template, resolver, RowSheet::Submission)
}

/// The 区分 a cell names (SPEC §4).
fn entry_column(
    value: &str,
    template: &Template,
    resolver: &Resolver,
) -> Result<ColumnKey, RowProblem> {
    let v = normalize::normalize_line(value);
    if v.is_empty() {
        return Err(RowProblem::KindBlank);
    }
    column_of(&v, template, resolver, RowSheet::Submission)
}

/// An entry's items with their examples (SPEC §3): the content split into
/// statements, the examples column added to the last one.
fn entry_items(entry: &RawEntry) -> Result<Vec<(String, Option<String>)>, RowProblem> {
    let text = normalize::normalize_text(&entry.content.value);
    let mut items: Vec<(String, Option<String>)> = normalize::split_items(&text)
        .iter()
        .map(|i| normalize::split_examples(i))
        .filter(|(t, _)| !t.is_empty())
        .collect();
    if items.is_empty() {
        return Err(RowProblem::ContentBlank);
    }
    if let Some(extra) = entry
        .examples
        .as_ref()
        .and_then(|e| normalize::clean_examples(&e.value))
        && let Some(last) = items.last_mut()
    {
        last.1 = Some(match last.1.take() {
            Some(inline) => format!("{inline}、{extra}"),
            None => extra,
        });
    }
    Ok(items)
}

/// Values the unit tests of several stages build alike.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::ingest::RawEntry;

    /// A row of a submission sheet 提出 with one entry in columns A–D; the
    /// department is the file's name.
    pub(crate) fn row(
        file: &str,
        r: u32,
        field: &str,
        kind: &str,
        content: &str,
        ex: Option<&str>,
    ) -> RawRow {
        RawRow {
            file: file.into(),
            sheet: Some("提出".into()),
            sheet_index: 0,
            row: r,
            department: crate::ingest::file_stem(file).into(),
            field: Located {
                value: field.into(),
                cell: format!("A{r}"),
            },
            entries: vec![RawEntry {
                kind: KindSpec::Cell(Located {
                    value: kind.into(),
                    cell: format!("B{r}"),
                }),
                content: Located {
                    value: content.into(),
                    cell: format!("C{r}"),
                },
                examples: ex.map(|e| Located {
                    value: e.into(),
                    cell: format!("D{r}"),
                }),
            }],
        }
    }

    /// A line of the 提出状況 table: files, then (rows, items, rejected).
    pub(crate) fn department(
        name: &str,
        status: SubmissionStatus,
        files: &[&str],
        (rows, items, rejected): (usize, usize, usize),
    ) -> DepartmentStatus {
        DepartmentStatus {
            name: name.into(),
            status,
            files: files.iter().map(|f| f.to_string()).collect(),
            rows,
            items,
            rejected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_support::row;

    /// Rows as readers give them: each file's record counts its rows.
    fn ingested(rows: Vec<RawRow>) -> Ingested {
        let mut files: Vec<crate::ingest::FileRecord> = Vec::new();
        for r in &rows {
            match files.iter_mut().find(|f| f.name == r.file) {
                Some(f) => {
                    if let FileStatus::Read { rows, .. } = &mut f.status {
                        *rows += 1;
                    }
                }
                None => files.push(crate::ingest::FileRecord {
                    name: r.file.clone(),
                    size: 0,
                    sha256: String::new(),
                    corrections: false,
                    status: FileStatus::Read {
                        departments: vec![r.department.clone()],
                        rows: 1,
                        kind: "Excel",
                        note: None,
                    },
                }),
            }
        }
        Ingested {
            rows,
            files,
            ..Ingested::default()
        }
    }

    #[test]
    fn a_row_lost_between_reader_and_matrix_does_not_reconcile() {
        let mut ing = ingested(vec![
            row("a.xlsx", 2, "財務", "課題", "一", None),
            row("a.xlsx", 3, "財務", "課題", "二", None),
        ]);
        let good = build(ing.clone(), &Template::default());
        assert!(good.counts.reconciles());
        assert!(!good.has_problems());
        // The reader counted three rows; one never arrived.
        if let FileStatus::Read { rows, .. } = &mut ing.files[0].status {
            *rows = 3;
        }
        let broken = build(ing, &Template::default());
        assert!(!broken.counts.reconciles());
        assert!(broken.has_problems(), "a mismatch is a problem: exit 1");
        let mut lost_source = good;
        lost_source.fields[2].cells[1][0].sources.clear();
        lost_source.recount();
        assert!(!lost_source.counts.reconciles(), "an item lost its source");
    }

    #[test]
    fn unknown_values_are_rejected_with_suggestion() {
        let m = build(
            ingested(vec![
                row("a.xlsx", 2, "観光", "課題", "x", None),
                row("a.xlsx", 3, "DX推進", "要望", "y", None),
                row("a.xlsx", 4, "DX推進", "課題", "  ", None),
            ]),
            &Template::default(),
        );
        assert_eq!(m.rejected.len(), 3);
        assert_eq!(m.rejected[0].at.cell.as_deref(), Some("A2"));
        assert_eq!(m.rejected[0].reason, "分野「観光」は登録されていません。");
        assert!(
            m.rejected[0].fix.starts_with("候補: "),
            "{}",
            m.rejected[0].fix
        );
        assert_eq!(m.rejected[0].department, "a");
        assert_eq!(m.rejected[1].at.cell.as_deref(), Some("B3"));
        assert!(m.rejected[1].reason.contains("区分「要望」"));
        assert_eq!(m.rejected[2].at.cell.as_deref(), Some("C4"));
        assert!(m.counts.reconciles());
    }

    #[test]
    fn duplicates_merge_keeping_every_source_and_first_text() {
        let m = build(
            ingested(vec![
                row("総務課.xlsx", 2, "DX推進", "課題", "PCの仕様が異なる", None),
                row(
                    "情報政策課.xlsx",
                    5,
                    "ＤＸ",
                    "現状と課題",
                    "・ＰＣの仕様が異なる。",
                    None,
                ),
            ]),
            &Template::default(),
        );
        let cell = &m.fields[1].cells[ColumnKey::Issues.index()];
        assert_eq!(cell.len(), 1);
        assert_eq!(
            cell[0].text, "PCの仕様が異なる。",
            "情報政策課 comes first by file name"
        );
        assert_eq!(cell[0].sources.len(), 2);
        assert_eq!(m.counts.duplicates_merged, 1);
        assert_eq!(m.merges.len(), 1);
        assert!(m.counts.reconciles());
    }

    #[test]
    fn examples_column_goes_to_last_item() {
        let m = build(
            ingested(vec![row(
                "a.xlsx",
                2,
                "財務",
                "解決案",
                "・一つ目\n・二つ目＜柏市＞",
                Some("北九州市"),
            )]),
            &Template::default(),
        );
        let cell = &m.fields[2].cells[ColumnKey::Solutions.index()];
        assert_eq!(cell[0].examples, None);
        assert_eq!(cell[1].examples.as_deref(), Some("柏市、北九州市"));
    }

    #[test]
    fn department_order_from_template() {
        let t = Template {
            departments: ["b", "a"]
                .map(|n| crate::template::DepartmentDef {
                    name: n.into(),
                    aliases: vec![],
                })
                .to_vec(),
            ..Template::default()
        };
        let m = build(
            ingested(vec![
                row("a.xlsx", 2, "財務", "課題", "A", None),
                row("b.xlsx", 2, "財務", "課題", "B", None),
            ]),
            &t,
        );
        let texts: Vec<_> = m.fields[2].cells[1]
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(texts, vec!["B", "A"]);
    }
}
