//! The secretariat's corrections workbook (事務局修正, SPEC §7.9), known
//! by its header — 分野, 区分, 現在の文, 修正後の文, 載せない — whatever its
//! name. Its rows are corrections, never a submission.

use super::raw::{CorrectionRow, FileResult, Located, cell_ref};
use super::table::{Grid, HEADER_SEARCH_ROWS, SheetSource};
use crate::normalize::{header_key, may_be_header};

/// The header of a corrections sheet, in the order shiryo writes it.
pub const HEADERS: [&str; 7] = [
    "分野",
    "区分",
    "現在の文",
    "修正後の文",
    "載せない",
    "出典",
    "状態",
];

/// The columns of the five cells a correction needs.
struct Columns {
    row: u32,
    field: u32,
    kind: u32,
    current: u32,
    revised: u32,
    hide: u32,
}

fn find_header(grid: &Grid) -> Option<Columns> {
    let longest = HEADERS[..5].iter().map(|h| h.chars().count()).max();
    for r in grid.rows_from(0).take_while(|&r| r < HEADER_SEARCH_ROWS) {
        // Each cell's key once; the first column of each header name.
        let mut found: [Option<u32>; 5] = [None; 5];
        for (c, text) in grid.row_cells(r) {
            // Most cells are submitted text, far longer than a header.
            if !may_be_header(text, longest.unwrap_or(0)) {
                continue;
            }
            let key = header_key(text);
            if let Some(i) = HEADERS[..5].iter().position(|h| *h == key) {
                found[i].get_or_insert(c);
            }
        }
        if let [
            Some(field),
            Some(kind),
            Some(current),
            Some(revised),
            Some(hide),
        ] = found
        {
            return Some(Columns {
                row: r,
                field,
                kind,
                current,
                revised,
                hide,
            });
        }
    }
    None
}

/// The corrections of a sheet with the corrections header; `None` for any
/// other sheet. Every non-empty row below the header is counted.
pub fn read_grid(grid: &Grid, src: &SheetSource) -> Option<FileResult> {
    let h = find_header(grid)?;
    let mut out = FileResult::default();
    for r in grid.rows_from(h.row + 1) {
        if grid.row_cells(r).next().is_none() {
            continue;
        }
        out.rows_counted += 1;
        let cell = |c: u32| Located {
            value: grid.own(r, c).to_string(),
            cell: cell_ref(r, c),
        };
        out.corrections.push(CorrectionRow {
            file: src.file.to_string(),
            sheet: src.sheet.to_string(),
            field: cell(h.field),
            kind: cell(h.kind),
            current: cell(h.current),
            revised: cell(h.revised),
            hide: cell(h.hide),
        });
    }
    Some(out)
}
