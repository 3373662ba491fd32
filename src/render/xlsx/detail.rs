//! Sheet 明細: one row per item source, with the file, sheet and cell it
//! came from as a link that opens the submission at that cell.

use rust_xlsxwriter::{Format, FormatAlign, Url, Worksheet, XlsxError};

use super::style::border;
use crate::matrix::{Matrix, Source};
use crate::template::PaperSize;

/// Excel's limit of hyperlinks in one worksheet.
const MAX_LINKS: u32 = 65_530;

/// A link from the 明細 sheet to the cell a source came from: the input
/// folder as seen from the output folder (`../提出`), the file, and for a
/// workbook the sheet and cell.
pub fn source_link(input_from_output: &str, s: &Source) -> String {
    let path = format!("file:///{input_from_output}/{}", s.at.file);
    match (&s.at.sheet, &s.at.cell) {
        (Some(sheet), Some(cell)) if is_workbook(&s.at.file) => {
            format!("{path}#'{}'!{cell}", sheet.replace('\'', "''"))
        }
        _ => path,
    }
}

/// Whether Excel can jump to a cell of the file (CSV and Word: the file only).
fn is_workbook(file: &str) -> bool {
    let lower = file.to_lowercase();
    [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Writes the 明細 sheet, printed landscape on the handout's paper.
pub fn detail_sheet(
    ws: &mut Worksheet,
    m: &Matrix,
    font: &str,
    paper: PaperSize,
    links: Option<&str>,
) -> Result<(), XlsxError> {
    ws.set_name("明細")?;
    let head = super::style::head(font);
    let cell = border(Format::new(), font)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let link = cell
        .clone()
        .set_font_color("0563C1")
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    let compare = m.removed.is_some();
    let edited = !m.editorial.applied.is_empty();
    let mut heads = vec![
        "分野",
        "区分",
        "内容",
        "他自治体の事例",
        "担当課",
        "ファイル",
        "シート",
        "セル",
    ];
    let mut widths = vec![12.0, 12.0, 70.0, 30.0, 14.0, 28.0, 12.0, 8.0];
    if compare {
        heads.push("状態");
        widths.push(8.0);
    }
    if edited {
        heads.push("提出された文");
        widths.push(70.0);
        heads.push("載せない");
        widths.push(8.0);
    }
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    let mut r = 1u32;
    for f in &m.fields {
        for col in &m.columns {
            for item in &f.cells[col.key.index()] {
                let submitted = match edited {
                    true => item.submitted_texts().collect::<Vec<_>>().join("\n"),
                    false => String::new(),
                };
                for s in &item.sources {
                    let mut values = vec![
                        f.name.as_str(),
                        col.key.short_label(),
                        &item.text,
                        item.examples.as_deref().unwrap_or(""),
                        &s.department,
                        &s.at.file,
                        s.at.sheet.as_deref().unwrap_or(""),
                        s.at.cell.as_deref().unwrap_or(""),
                    ];
                    if compare {
                        values.push(item.status.map(|s| s.label()).unwrap_or(""));
                    }
                    if edited {
                        values.push(&submitted);
                        values.push(if item.hidden { "○" } else { "" });
                    }
                    for (c, v) in values.iter().enumerate() {
                        ws.write_string_with_format(r, c as u16, *v, &cell)?;
                    }
                    // The file column opens the submission at the cell (Excel
                    // takes at most 65,530 links per sheet; a path too long
                    // for a link stays text).
                    if let Some(dir) = links
                        && r <= MAX_LINKS
                    {
                        let url = Url::new(source_link(dir, s)).set_text(&s.at.file);
                        match ws.write_url_with_format(r, 5, url, &link) {
                            Err(XlsxError::MaxUrlLengthExceeded) => {}
                            other => {
                                other?;
                            }
                        }
                    }
                    r += 1;
                }
            }
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_paper_size(super::style::paper_code(paper));
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
