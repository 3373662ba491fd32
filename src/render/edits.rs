//! The next corrections sheet, 事務局修正.xlsx (SPEC §7.9): one row per
//! submitted item — 分野, 区分, 現在の文 (locked), 修正後の文 and 載せない
//! (the two cells to fill in), 出典, 状態, 似ている項目 — with this month's
//! applied corrections already filled in, so the next month starts from
//! them. The rows of a group of similar items (SPEC §8.2) stand together,
//! at the place of the group's first row, so that one 修正後の文 written
//! for all of them merges them.

use std::collections::HashMap;

use rust_xlsxwriter::{DataValidation, Format, FormatAlign, XlsxError};

use crate::date::Date;
use crate::ingest::corrections::HEADERS;
use crate::matrix::{Matrix, PassRow, Similar};
use crate::normalize;
use crate::render::xlsx::style;
use crate::vocab::CORRECTIONS_SHEET as SHEET;

/// The row of the header (0-based).
const HEADER_ROW: u32 = 3;
/// The column after the corrections reader's: the group of similar items.
const SIMILAR_HEADER: &str = "似ている項目";

/// The label of a group of similar items in the sheet and the report.
pub fn similar_label(number: u32) -> String {
    format!("似{number}")
}

/// The sheet's rows in the order written, each with its group of similar
/// items: a group's rows moved up to its first row.
fn ordered_rows<'a>(m: &'a Matrix, similar: &Similar) -> Vec<(&'a PassRow, Option<u32>)> {
    // The groups by (分野, 区分, submitted text): a row is an item before
    // corrections merged any, so every submitted text of a grouped item
    // carries its number.
    let mut by_text: HashMap<(&str, crate::vocab::ColumnKey, String), u32> = HashMap::new();
    for g in &similar.groups {
        let field = &m.fields[g.field];
        for &i in &g.items {
            for text in field.cells[g.column.index()][i].submitted_texts() {
                by_text.insert(
                    (field.name.as_str(), g.column, normalize::dedup_key(text)),
                    g.number,
                );
            }
        }
    }
    let numbers: Vec<Option<u32>> = m
        .editorial
        .sheet
        .iter()
        .map(|r| {
            let key = (
                r.field.as_str(),
                r.column,
                normalize::dedup_key(&r.submitted),
            );
            by_text.get(&key).copied()
        })
        .collect();
    let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, n) in numbers.iter().enumerate() {
        if let Some(n) = n {
            members.entry(*n).or_default().push(i);
        }
    }
    let mut out = Vec::with_capacity(numbers.len());
    for (i, row) in m.editorial.sheet.iter().enumerate() {
        match numbers[i] {
            None => out.push((row, None)),
            Some(n) => {
                // Written once, at the group's first row.
                if let Some(rows) = members.remove(&n) {
                    out.extend(rows.into_iter().map(|j| (&m.editorial.sheet[j], Some(n))));
                }
            }
        }
    }
    out
}

/// The workbook's bytes.
pub fn render(m: &Matrix, similar: &Similar, font: &str, date: Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = style::workbook(font, SHEET, &m.document_number, date)?;
    // One row per item, written in order: streamed, not held (100,000
    // items make a large sheet).
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(SHEET)?;
    let locked = style::border(Format::new(), font)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let open = locked.clone().set_unlocked().set_background_color("FFF2CC");
    let head = style::head(font)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Center);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "事務局修正（{} {}）",
            m.document_number,
            date.wareki_month()
        ),
        &style::title(font),
    )?;
    ws.write_string(
        1,
        0,
        "「修正後の文」に直した文を書くと、資料にはその文を載せます（文末の＜…＞は他自治体の事例）。「載せない」で ○ を選ぶと資料に載せません。同じ区分で同じ修正後の文にした項目は一つにまとめます。「似ている項目」が同じ番号（似1 など）の行は、同じことを別の言葉で書いた項目の候補で、並べてあります。まとめるときは、それらの行に同じ修正後の文を書いてください。このファイルを次の提出フォルダに入れて実行すると、同じ修正がもう一度使われます。",
    )?;
    let widths = [12.0, 12.0, 60.0, 60.0, 9.0, 36.0, 8.0, 10.0];
    let headers: Vec<&str> = HEADERS.iter().copied().chain([SIMILAR_HEADER]).collect();
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    let first = HEADER_ROW + 1;
    for (i, (row, group)) in ordered_rows(m, similar).into_iter().enumerate() {
        let r = first + i as u32;
        ws.write_string_with_format(r, 0, &row.field, &locked)?;
        ws.write_string_with_format(r, 1, row.column.short_label(), &locked)?;
        ws.write_string_with_format(r, 2, row.current(), &locked)?;
        match &row.revised {
            Some(text) => ws.write_string_with_format(r, 3, text, &open)?,
            None => ws.write_blank(r, 3, &open)?,
        };
        if row.hidden {
            ws.write_string_with_format(r, 4, "○", &open)?;
        } else {
            ws.write_blank(r, 4, &open)?;
        }
        let sources: Vec<String> = row
            .sources
            .iter()
            .map(|s| format!("{} {}", s.department, s.at))
            .collect();
        ws.write_string_with_format(r, 5, sources.join("\n"), &locked)?;
        ws.write_string_with_format(r, 6, row.status.map_or("", |s| s.label()), &locked)?;
        let label = group.map(similar_label).unwrap_or_default();
        ws.write_string_with_format(r, 7, label, &locked)?;
    }
    let last = (first + m.editorial.sheet.len() as u32).max(first + 1) - 1;
    let mark = DataValidation::new()
        .allow_list_strings(&["○"])?
        .set_error_title("載せない")?
        .set_error_message("載せない項目には ○ を選んでください。")?;
    ws.add_data_validation(first, 4, last, 4, &mark)?;
    ws.autofilter(HEADER_ROW, 0, last, headers.len() as u16 - 1)?;
    ws.set_freeze_panes(first, 0)?;
    ws.protect();
    ws.set_landscape();
    ws.set_paper_size(8);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    wb.save_to_buffer().map(super::same_on_every_os)
}
