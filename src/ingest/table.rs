//! A sheet as a grid of texts → data rows (SPEC §2.1): header-row search,
//! long and wide layouts, header aliases, merged cells, fill-down, example
//! rows and the department.

use std::collections::BTreeMap;

use super::error::FileError;
use super::raw::{FileResult, FillDown, KindSpec, Located, RawEntry, RawRow, Skipped, cell_ref};
use crate::normalize::{self, header_key};
use crate::template::{Resolver, Template};
use crate::vocab::{ColumnKey, Location};

pub use crate::vocab::HEADER_SEARCH_ROWS;

const CONTENT_HEADERS: &[&str] = &["内容", "意見", "意見・内容", "記載内容", "主な意見"];
const EXAMPLE_HEADERS: &[&str] = &[
    "他自治体の事例",
    "他自治体事例",
    "先進事例",
    "参考事例",
    "事例",
];
const DEPARTMENT_HEADERS: &[&str] = &["担当課", "課名", "所属", "部署", "部署名", "提出課"];
const EXAMPLE_ROW_PREFIXES: &[&str] = &["記入例", "例）", "（例）", "【例】", "例)", "(例)"];

/// Most non-blank cells read from one sheet; a larger sheet fails its file.
pub const MAX_CELLS: usize = 200_000;
/// Most merged ranges read from one sheet.
pub const MAX_MERGES: usize = 20_000;

/// The non-blank cells of a sheet, sparse, with absolute 0-based positions
/// and merged ranges: a stray value at XFD1048576 costs one entry.
#[derive(Debug, Default)]
pub struct Grid {
    rows: BTreeMap<u32, BTreeMap<u32, String>>,
    cells: usize,
    /// Merged ranges larger than one cell by their first row: (first
    /// column, last row, last column), in the order they were read.
    merges: BTreeMap<u32, Vec<(u32, u32, u32)>>,
    /// How many merged ranges there are.
    merge_count: usize,
    /// The most rows one merged range spans beyond its first: a cell's
    /// range starts at most this far above it.
    merge_reach: u32,
}

/// A sheet as a workbook lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetMeta {
    /// Its name, exactly as in the workbook.
    pub name: String,
    /// Whether its cells are read.
    pub state: SheetState,
}

/// Whether a sheet's cells are read, and if not why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetState {
    /// A visible worksheet: read.
    Data,
    /// Hidden or very hidden: listed as skipped.
    Hidden,
    /// Not a sheet of cells (chart, macro or dialog sheet): skipped with
    /// this reason.
    NotCells(&'static str),
}

/// Rows of an Excel sheet; a cell below them can only be a damaged file's.
pub const MAX_ROWS: u32 = 1 << 20;
/// Columns of an Excel sheet (A to XFD).
pub const MAX_COLS: u32 = 1 << 14;

/// Why a cell cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridError {
    /// More than [`MAX_CELLS`] written cells.
    TooManyCells,
    /// A cell outside an Excel sheet's rows and columns.
    OutsideSheet,
}

impl GridError {
    /// The file's error, naming the sheet.
    pub fn in_sheet(self, sheet: &str) -> FileError {
        let sheet = sheet.to_string();
        match self {
            GridError::TooManyCells => FileError::TooManyCells {
                sheet,
                limit: MAX_CELLS,
            },
            GridError::OutsideSheet => FileError::OutsideSheet { sheet },
        }
    }
}

impl Grid {
    /// A grid from rows of texts whose first cell is at the absolute `origin`.
    pub fn from_rows(origin: (u32, u32), rows: Vec<Vec<String>>) -> Result<Grid, GridError> {
        let mut g = Grid::default();
        for (r, row) in rows.into_iter().enumerate() {
            for (c, v) in row.into_iter().enumerate() {
                let at =
                    |o: u32, i: usize| u32::try_from(i).map_or(u32::MAX, |i| o.saturating_add(i));
                g.set(at(origin.0, r), at(origin.1, c), v)?;
            }
        }
        Ok(g)
    }

    /// Stores a cell; blank (white space only) cells are not stored.
    pub fn set(&mut self, r: u32, c: u32, value: String) -> Result<(), GridError> {
        if value.trim().is_empty() {
            return Ok(());
        }
        if r >= MAX_ROWS || c >= MAX_COLS {
            return Err(GridError::OutsideSheet);
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(GridError::TooManyCells);
        }
        self.rows.entry(r).or_default().insert(c, value);
        Ok(())
    }

    /// Records a merged range (inclusive, absolute, 0-based); one reaching
    /// outside an Excel sheet is cut at its edge.
    pub fn add_merge(&mut self, start: (u32, u32), end: (u32, u32)) {
        let end = (end.0.min(MAX_ROWS - 1), end.1.min(MAX_COLS - 1));
        let inside = start.0 <= end.0 && start.1 <= end.1;
        if inside && start != end && self.merge_count < MAX_MERGES {
            self.merges
                .entry(start.0)
                .or_default()
                .push((start.1, end.0, end.1));
            self.merge_count += 1;
            self.merge_reach = self.merge_reach.max(end.0 - start.0);
        }
    }

    /// True when nothing is written in the sheet.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The merge origin covering this cell, if it is covered (not the origin).
    pub fn merge_origin_of(&self, r: u32, c: u32) -> Option<(u32, u32)> {
        self.merge_origin(r, c)
    }

    /// Looks only at the ranges that start in the rows a range can reach
    /// down from: a sheet of many one-row merges costs one row's worth per
    /// cell, not every merge of the sheet.
    fn merge_origin(&self, r: u32, c: u32) -> Option<(u32, u32)> {
        self.merges
            .range(r.saturating_sub(self.merge_reach)..=r)
            .flat_map(|(&sr, ranges)| ranges.iter().map(move |m| (sr, *m)))
            .find(|&(sr, (sc, er, ec))| r <= er && (sc..=ec).contains(&c) && (sr, sc) != (r, c))
            .map(|(sr, (sc, _, _))| (sr, sc))
    }

    /// The text written in this very cell (empty when covered by a merge).
    pub fn own(&self, r: u32, c: u32) -> &str {
        match self.rows.get(&r).and_then(|row| row.get(&c)) {
            Some(v) if self.merge_origin(r, c).is_none() => v,
            _ => "",
        }
    }

    /// The text of this very cell when it is not blank.
    pub fn own_nonblank(&self, r: u32, c: u32) -> Option<&str> {
        let v = self.own(r, c);
        (!v.trim().is_empty()).then_some(v)
    }

    /// The non-blank cells of a row that are not covered by a merge.
    pub fn row_cells(&self, r: u32) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.rows
            .get(&r)
            .into_iter()
            .flatten()
            .filter(move |(c, _)| self.merge_origin(r, **c).is_none())
            .map(|(c, v)| (*c, v.as_str()))
    }

    /// Rows with at least one stored cell, from `from` on.
    pub fn rows_from(&self, from: u32) -> impl Iterator<Item = u32> + '_ {
        self.rows.range(from..).map(|(r, _)| *r)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Field,
    Kind,
    Content,
    Examples,
    Department,
    Column(ColumnKey),
}

/// The header keys of the fixed header words, computed once.
struct HeaderKeys {
    content: Vec<String>,
    examples: Vec<String>,
    department: Vec<String>,
}

static HEADER_KEYS: std::sync::LazyLock<HeaderKeys> = std::sync::LazyLock::new(|| {
    let keys = |list: &[&str]| list.iter().map(|h| header_key(h)).collect();
    HeaderKeys {
        content: keys(CONTENT_HEADERS),
        examples: keys(EXAMPLE_HEADERS),
        department: keys(DEPARTMENT_HEADERS),
    }
});

fn header_role(text: &str, resolver: &Resolver) -> Result<Option<Role>, normalize::TooLarge> {
    let key = header_key(text);
    if key.is_empty() {
        return Ok(None);
    }
    let fixed = &*HEADER_KEYS;
    Ok(if key == "分野" {
        Some(Role::Field)
    } else if key == "区分" {
        Some(Role::Kind)
    } else if fixed.content.contains(&key) {
        Some(Role::Content)
    } else if fixed.examples.contains(&key) {
        Some(Role::Examples)
    } else if fixed.department.contains(&key) {
        Some(Role::Department)
    } else if is_council_label(&key)? {
        Some(Role::Column(ColumnKey::Council))
    } else {
        resolver.column(text).map(Role::Column)
    })
}

/// `第N回審議会での主な意見` (any N) or the label without a number; a
/// number too large to be one is an error, not a silent mismatch.
fn is_council_label(key: &str) -> Result<bool, normalize::TooLarge> {
    let numbered = key
        .strip_prefix('第')
        .and_then(|r| r.split_once('回'))
        .and_then(|(n, rest)| normalize::parse_number(n).map(|v| (v, rest)));
    Ok(match numbered {
        // Only the header's own number can fail the file, not a number in
        // another cell near it.
        Some((n, "審議会での主な意見")) => {
            n?;
            true
        }
        Some(_) => false,
        None => key == "審議会での主な意見",
    })
}

#[derive(Debug, Default)]
struct Header {
    row: u32,
    field: u32,
    kind: Option<u32>,
    content: Option<u32>,
    examples: Option<u32>,
    department: Option<u32>,
    columns: Vec<(u32, ColumnKey)>,
}

impl Header {
    fn is_long(&self) -> bool {
        self.kind.is_some() && self.content.is_some()
    }

    fn recognised_columns(&self) -> Vec<u32> {
        let mut cols = vec![self.field];
        cols.extend(self.department);
        if self.is_long() {
            cols.extend(self.kind);
            cols.extend(self.content);
            cols.extend(self.examples);
        } else {
            cols.extend(self.columns.iter().map(|(c, _)| *c));
            cols.extend(self.examples);
        }
        cols
    }
}

fn find_header(
    grid: &Grid,
    src: &SheetSource,
    template: &Template,
) -> Result<Option<Header>, FileError> {
    let resolver = Resolver::new(template);
    for r in grid.rows_from(0).take_while(|&r| r < HEADER_SEARCH_ROWS) {
        let mut h = Header {
            row: r,
            ..Header::default()
        };
        let mut field = None;
        for (c, text) in grid.row_cells(r) {
            let role = header_role(text, &resolver).map_err(|_| FileError::NumberTooLarge {
                place: format!("{}!{}", src.sheet, cell_ref(r, c)),
                text: text.to_string(),
            })?;
            match role {
                Some(Role::Field) => {
                    field.get_or_insert(c);
                }
                Some(Role::Kind) => {
                    h.kind.get_or_insert(c);
                }
                Some(Role::Content) => {
                    h.content.get_or_insert(c);
                }
                Some(Role::Examples) => {
                    h.examples.get_or_insert(c);
                }
                Some(Role::Department) => {
                    h.department.get_or_insert(c);
                }
                Some(Role::Column(k)) if !h.columns.iter().any(|(_, key)| *key == k) => {
                    h.columns.push((c, k));
                }
                _ => {}
            }
        }
        if let Some(f) = field
            && (h.is_long() || !h.columns.is_empty())
        {
            h.field = f;
            return Ok(Some(h));
        }
    }
    Ok(None)
}

/// Department from a label cell (担当課, 所属, …) above the header row.
fn department_label(grid: &Grid, header_row: u32) -> Option<String> {
    for r in grid.rows_from(0).take_while(|&r| r < header_row) {
        for (c, text) in grid.row_cells(r) {
            let key = header_key(text);
            if !HEADER_KEYS.department.contains(&key) {
                continue;
            }
            let right = grid.row_cells(r).find(|(cc, _)| *cc > c).map(|(_, v)| v);
            let below = (r + 1 < header_row)
                .then(|| grid.own_nonblank(r + 1, c))
                .flatten();
            if let Some(v) = right.or(below) {
                return Some(normalize::normalize_line(v));
            }
        }
    }
    None
}

fn is_example_row(text: &str) -> bool {
    let t = normalize::normalize_line(text);
    EXAMPLE_ROW_PREFIXES.iter().any(|p| t.starts_with(p))
}

/// Where a sheet's rows come from.
pub struct SheetSource<'a> {
    /// File name.
    pub file: &'a str,
    /// Sheet name.
    pub sheet: &'a str,
    /// Position of the sheet in the workbook.
    pub sheet_index: usize,
    /// Department from the file name, the last resort.
    pub file_department: &'a str,
}

impl SheetSource<'_> {
    /// A cell of this sheet.
    pub fn at(&self, r: u32, c: u32) -> Location {
        Location::cell(self.file, Some(self.sheet), &cell_ref(r, c))
    }
}

/// Why row `r` is no input row: an example row, or nothing written in the
/// columns shiryo reads.
fn skip_reason(grid: &Grid, r: u32, first_col: u32, recognised: &[u32]) -> Option<&'static str> {
    if is_example_row(grid.own(r, first_col)) {
        return Some("記入例の行です（資料には載せません）。");
    }
    if !recognised
        .iter()
        .any(|&c| grid.own_nonblank(r, c).is_some())
    {
        return Some(
            "分野・区分・内容の列に記入がない行です（備考などの列だけに記入があります）。",
        );
    }
    None
}

/// The value of cell (`r`, `col`): its own, else its merge's, else the
/// last value above in the column (`last`), recorded as a fill-down.
fn inherited(
    grid: &Grid,
    src: &SheetSource,
    (r, col): (u32, u32),
    last: &mut Option<String>,
    fill_downs: &mut Vec<FillDown>,
) -> Located {
    let cell = cell_ref(r, col);
    let own = grid.own(r, col).trim();
    let (value, merged) = if !own.is_empty() {
        (own.to_string(), None)
    } else if let Some((or, oc)) = grid.merge_origin(r, col) {
        (grid.own(or, oc).trim().to_string(), Some(true))
    } else if let Some(prev) = last.clone() {
        (prev, Some(false))
    } else {
        (String::new(), None)
    };
    if let Some(merged) = merged
        && !value.is_empty()
    {
        fill_downs.push(FillDown {
            at: src.at(r, col),
            value: value.clone(),
            merged,
        });
    }
    if !value.is_empty() {
        *last = Some(value.clone());
    }
    Located { value, cell }
}

/// The entries of row `r` of a wide sheet (one column per 区分): one per
/// written column, the examples going with the last; the first column's
/// (empty) entry when none is written.
fn wide_entries(grid: &Grid, header: &Header, r: u32, examples: Option<Located>) -> Vec<RawEntry> {
    let own_located = |col: u32| Located {
        value: grid.own(r, col).to_string(),
        cell: cell_ref(r, col),
    };
    let filled: Vec<&(u32, ColumnKey)> = header
        .columns
        .iter()
        .filter(|(c, _)| grid.own_nonblank(r, *c).is_some())
        .collect();
    let last_filled = filled.last().map(|(c, _)| *c);
    let mut entries = Vec::new();
    for &&(c, key) in &filled {
        entries.push(RawEntry {
            kind: KindSpec::Fixed(key),
            content: own_located(c),
            examples: if Some(c) == last_filled {
                examples.clone()
            } else {
                None
            },
        });
    }
    if entries.is_empty() {
        let (c, key) = header.columns[0];
        entries.push(RawEntry {
            kind: KindSpec::Fixed(key),
            content: own_located(c),
            examples,
        });
    }
    entries
}

/// Reads one sheet. `None` when it has no header row (not a data sheet).
pub fn read_grid(
    grid: &Grid,
    src: &SheetSource,
    template: &Template,
) -> Result<Option<FileResult>, FileError> {
    let Some(header) = find_header(grid, src, template)? else {
        return Ok(None);
    };
    let department =
        department_label(grid, header.row).unwrap_or_else(|| src.file_department.to_string());
    let recognised = header.recognised_columns();
    let mut out = FileResult {
        departments: vec![department.clone()],
        ..FileResult::default()
    };
    let mut last_field: Option<String> = None;
    let mut last_kind: Option<String> = None;
    let rows: Vec<u32> = grid.rows_from(header.row + 1).collect();
    for r in rows {
        let Some((first_col, _)) = grid.row_cells(r).next() else {
            // Covered only by merges from rows above: not an input row.
            continue;
        };
        out.rows_counted += 1;
        if let Some(reason) = skip_reason(grid, r, first_col, &recognised) {
            out.skipped.push(Skipped::new(src.at(r, first_col), reason));
            out.skipped_rows += 1;
            continue;
        }

        let mut inherit = |col: u32, last: &mut Option<String>| {
            inherited(grid, src, (r, col), last, &mut out.fill_downs)
        };
        let field = inherit(header.field, &mut last_field);
        let own_located = |col: u32| Located {
            value: grid.own(r, col).to_string(),
            cell: cell_ref(r, col),
        };
        let examples = header
            .examples
            .map(own_located)
            .filter(|l| !l.value.trim().is_empty());
        let mut entries = Vec::new();
        if header.is_long() {
            let kind = inherit(header.kind.unwrap_or_default(), &mut last_kind);
            entries.push(RawEntry {
                kind: KindSpec::Cell(kind),
                content: own_located(header.content.unwrap_or_default()),
                examples,
            });
        } else {
            entries = wide_entries(grid, &header, r, examples);
        }
        let department = header
            .department
            .and_then(|c| grid.own_nonblank(r, c))
            .map(normalize::normalize_line)
            .unwrap_or_else(|| department.clone());
        if !out.departments.contains(&department) {
            out.departments.push(department.clone());
        }
        out.rows.push(RawRow {
            file: src.file.to_string(),
            sheet: Some(src.sheet.to_string()),
            sheet_index: src.sheet_index,
            row: r + 1,
            department,
            field,
            entries,
        });
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::from_rows(
            (0, 0),
            rows.iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        )
        .unwrap()
    }

    fn src() -> SheetSource<'static> {
        SheetSource {
            file: "t.xlsx",
            sheet: "提出",
            sheet_index: 0,
            file_department: "ファイル課",
        }
    }

    #[test]
    fn long_layout_with_metadata_block_and_label_department() {
        let g = grid(&[
            &["回答票", "", ""],
            &["所属", "財政課", ""],
            &["", "", ""],
            &["分野", "区分", "記載内容（具体的に）"],
            &["財務", "課題", "一つ目"],
            &["", "解決案", "二つ目"],
        ]);
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].department, "財政課");
        assert_eq!(r.rows[1].field.value, "財務");
        assert_eq!(r.rows[1].field.cell, "A6");
        assert_eq!(r.fill_downs.len(), 1);
        assert_eq!(r.rows[1].entries[0].content.cell, "C6");
    }

    #[test]
    fn wide_layout_with_line_broken_headers() {
        let g = grid(&[
            &[
                "分野\n（選択）",
                "現状と\n課題",
                "想定される解決案（他自治体の事例含む）",
                "第3回審議会での主な意見",
            ],
            &["DX推進", "課題A", "", "意見"],
        ]);
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        let kinds: Vec<_> = r.rows[0].entries.iter().map(|e| e.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                KindSpec::Fixed(ColumnKey::Issues),
                KindSpec::Fixed(ColumnKey::Council)
            ]
        );
        assert_eq!(r.rows[0].department, "ファイル課");
    }

    #[test]
    fn example_rows_are_skipped_and_do_not_feed_fill_down() {
        let g = grid(&[
            &["分野", "区分", "内容"],
            &["記入例", "現状と課題", "〇〇"],
            &["", "現状と課題", "本文"],
        ]);
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        assert_eq!(r.skipped_rows, 1);
        assert_eq!(r.skipped[0].at.cell.as_deref(), Some("A2"));
        assert_eq!(r.rows[0].field.value, "");
    }

    #[test]
    fn merged_cells_apply_to_every_row_and_grid_paper_rows_fold() {
        // 方眼紙: 分野 in A:B, 内容 in C:E; row 3 is covered only by blocks of row 2.
        let mut g = grid(&[
            &["分野", "", "区分", "内容", ""],
            &["DX推進", "", "課題", "長い内容", ""],
            &["", "", "", "", ""],
            &["", "", "解決案", "別の内容", ""],
        ]);
        g.add_merge((0, 0), (0, 1));
        g.add_merge((1, 0), (3, 1));
        g.add_merge((1, 2), (2, 2));
        g.add_merge((1, 3), (2, 4));
        g.add_merge((3, 3), (3, 4));
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[1].field.value, "DX推進");
        assert!(r.fill_downs[0].merged);
    }

    #[test]
    fn a_stray_cell_far_away_costs_nothing() {
        let mut g = grid(&[&["分野", "区分", "内容"], &["経営", "課題", "本文"]]);
        g.set(1_048_575, 16_383, "x".into()).unwrap();
        g.set(500_000, 3, "  ".into()).unwrap();
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        assert_eq!(r.rows.len(), 1);
        assert_eq!(
            r.skipped_rows, 1,
            "the stray value is reported, not silently dropped"
        );
        assert_eq!(r.skipped[0].at.cell.as_deref(), Some("XFD1048576"));
    }

    #[test]
    fn merges_are_found_however_far_they_reach() {
        let mut g = Grid::default();
        g.add_merge((0, 0), (100, 0));
        for r in 1..50 {
            g.add_merge((r, 2), (r, 3));
        }
        assert_eq!(g.merge_origin_of(100, 0), Some((0, 0)));
        assert_eq!(g.merge_origin_of(0, 0), None, "the origin is not covered");
        assert_eq!(g.merge_origin_of(101, 0), None);
        assert_eq!(g.merge_origin_of(30, 3), Some((30, 2)));
        assert_eq!(g.merge_origin_of(30, 2), None);
        assert_eq!(g.merge_origin_of(30, 4), None);
    }

    #[test]
    fn too_many_cells_is_an_error() {
        let mut g = Grid::default();
        let mut result = Ok(());
        for i in 0..=MAX_CELLS as u32 {
            result = result.and(g.set(i, 0, "x".into()));
        }
        assert_eq!(result, Err(GridError::TooManyCells));
    }

    #[test]
    fn a_council_header_with_an_absurd_number_names_its_cell() {
        let g = grid(&[&["分野", "第九九九九九九九九九九九回審議会での主な意見"]]);
        let e = read_grid(&g, &src(), &Template::default()).unwrap_err();
        assert_eq!(
            e,
            FileError::NumberTooLarge {
                place: "提出!B1".into(),
                text: "第九九九九九九九九九九九回審議会での主な意見".into()
            }
        );
    }

    #[test]
    fn a_huge_number_in_another_cell_above_the_header_is_just_text() {
        let g = grid(&[
            &["第九九九九九九九九九九九回の照会です"],
            &["分野", "区分", "内容"],
            &["経営", "課題", "本文"],
        ]);
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        assert_eq!(r.rows.len(), 1);
    }

    #[test]
    fn every_input_row_is_counted_where_it_is_met() {
        let g = grid(&[
            &["分野", "区分", "内容", "備考"],
            &["記入例", "課題", "例"],
            &["経営", "課題", "本文"],
            &["", "", "", "備考だけ"],
        ]);
        let r = read_grid(&g, &src(), &Template::default())
            .unwrap()
            .unwrap();
        assert_eq!(r.rows_counted, 3);
        assert_eq!(r.rows.len() + r.skipped_rows, 3);
    }

    #[test]
    fn no_header_means_not_a_data_sheet() {
        let g = grid(&[&["記入方法"], &["・一行に一件"]]);
        assert!(
            read_grid(&g, &src(), &Template::default())
                .unwrap()
                .is_none()
        );
    }
}
