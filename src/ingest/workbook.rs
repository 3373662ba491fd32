//! .xlsx .xlsm .xls .xlsb .ods through calamine.

use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible, Sheets, open_workbook};

use super::sniff::Format;
use super::table::{Grid, SheetSource, read_grid};
use super::{FileResult, Skipped, file_stem};
use crate::normalize;
use crate::template::Template;

/// Reads every visible sheet of a workbook.
pub fn read(
    path: &Path,
    name: &str,
    format: Format,
    template: &Template,
) -> Result<FileResult, String> {
    let err = |e: &dyn std::fmt::Display| explain(&e.to_string());
    let mut book: Sheets<_> = match format {
        Format::Xlsx => {
            Sheets::Xlsx(open_workbook(path).map_err(|e: calamine::XlsxError| err(&e))?)
        }
        Format::Xlsb => {
            Sheets::Xlsb(open_workbook(path).map_err(|e: calamine::XlsbError| err(&e))?)
        }
        Format::Xls => Sheets::Xls(open_workbook(path).map_err(|e: calamine::XlsError| err(&e))?),
        _ => Sheets::Ods(open_workbook(path).map_err(|e: calamine::OdsError| err(&e))?),
    };
    let file_department = normalize::department_from_stem(file_stem(name));
    let sheets = book.sheets_metadata().to_vec();
    let mut out = FileResult::default();
    if matches!(book, Sheets::Ods(_)) {
        out.note = Some("ODS の結合セルは、上の行からの引き継ぎとして読みました".into());
    }
    let mut data_sheets = 0;
    for (index, sheet) in sheets.iter().enumerate() {
        let skip = |reason: &str| Skipped {
            file: name.to_string(),
            sheet: Some(sheet.name.clone()),
            cell: None,
            reason: reason.to_string(),
        };
        if sheet.visible != SheetVisible::Visible {
            out.skipped
                .push(skip("非表示のシートです（読み込みません）。"));
            continue;
        }
        if sheet.typ != SheetType::WorkSheet {
            out.skipped
                .push(skip("表のシートではありません（グラフなど）。"));
            continue;
        }
        let mut grid = read_sheet(&mut book, &sheet.name)?;
        let merges = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet.name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet.name).unwrap_or_default(),
            _ => Vec::new(),
        };
        for m in merges {
            grid.add_merge(m.start, m.end);
        }
        let src = SheetSource {
            file: name,
            sheet: &sheet.name,
            sheet_index: index,
            file_department: &file_department,
        };
        match read_grid(&grid, &src, template) {
            Some(r) => {
                data_sheets += 1;
                out.rows.extend(r.rows);
                out.skipped.extend(r.skipped);
                out.skipped_rows += r.skipped_rows;
                out.fill_downs.extend(r.fill_downs);
            }
            None => out.skipped.push(skip(if grid.is_empty() {
                "空のシートです。"
            } else {
                "見出し行（分野・区分・内容、または分野と区分の列）が見つからないシートです（説明用のシートなど）。"
            })),
        }
    }
    if data_sheets == 0 {
        out.note = Some(
            "見出し行のあるシートがありません。1行目付近に「分野」「区分」「内容」の見出しがあるか確認してください"
                .into(),
        );
    }
    Ok(out)
}

/// The cells of one sheet. An .xlsx sheet is streamed cell by cell (a
/// range would allocate the whole rectangle up to the last used cell).
fn read_sheet<R: std::io::Read + std::io::Seek>(
    book: &mut Sheets<R>,
    name: &str,
) -> Result<Grid, String> {
    let mut grid = Grid::default();
    if let Sheets::Xlsx(x) = book {
        let mut cells = x
            .worksheet_cells_reader(name)
            .map_err(|e| explain(&e.to_string()))?;
        while let Some(cell) = cells.next_cell().map_err(|e| explain(&e.to_string()))? {
            let (r, c) = cell.get_position();
            let data: Data = cell.get_value().clone().into();
            grid.set(r, c, cell_text(&data))
                .map_err(|e| e.to_string())?;
        }
        return Ok(grid);
    }
    let range = book
        .worksheet_range(name)
        .map_err(|e| explain(&e.to_string()))?;
    for (r, c, d) in range.used_cells() {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        grid.set(r0 + r as u32, c0 + c as u32, cell_text(d))
            .map_err(|e| e.to_string())?;
    }
    Ok(grid)
}

/// A cell as text; formulas are read by their cached value.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) if dt.is_datetime() => {
            crate::date::Date::from_excel_serial(dt.as_f64()).to_string()
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A calamine error in words a secretariat can act on.
fn explain(err: &str) -> String {
    let lower = err.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "パスワードで保護されているため読み取れません。提出した課にパスワードを外して保存し直してもらってください。".into()
    } else {
        format!(
            "ブックを読み取れません（壊れているか、Excel 形式ではありません）。Excel で開けるか確認し、保存し直してから提出してもらってください。（詳細: {err}）"
        )
    }
}
