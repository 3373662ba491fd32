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
/// workbook the sheet and cell, for a PDF the page (`#page=3`).
pub fn source_link(input_from_output: &str, s: &Source) -> String {
    let path = format!("file:///{input_from_output}/{}", s.at.file);
    match (&s.at.sheet, &s.at.cell) {
        (Some(sheet), Some(cell)) if is_workbook(&s.at.file) => {
            format!("{path}#'{}'!{cell}", sheet.replace('\'', "''"))
        }
        (None, Some(cell)) if s.at.file.to_lowercase().ends_with(".pdf") => match pdf_page(cell) {
            Some(page) => format!("{path}#page={page}"),
            None => path,
        },
        _ => path,
    }
}

/// The page of a PDF source's cell (`p3` → 3).
fn pdf_page(cell: &str) -> Option<u32> {
    cell.strip_prefix('p')?.parse().ok().filter(|p| *p > 0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Location;

    fn source(file: &str, sheet: Option<&str>, cell: &str) -> Source {
        Source {
            department: "審議会".into(),
            at: Location::cell(file, sheet, cell),
        }
    }

    #[test]
    fn links_open_the_cell_of_a_workbook_and_the_page_of_a_pdf() {
        assert_eq!(
            source_link("../提出", &source("総務課.xlsx", Some("回答'1"), "B7")),
            "file:///../提出/総務課.xlsx#'回答''1'!B7"
        );
        assert_eq!(
            source_link("../提出", &source("第2回審議会_会議録.pdf", None, "p3")),
            "file:///../提出/第2回審議会_会議録.pdf#page=3"
        );
        assert_eq!(
            source_link("../提出", &source("会議録.PDF", None, "p12")),
            "file:///../提出/会議録.PDF#page=12"
        );
        // A Word paragraph has no place a link can open.
        assert_eq!(
            source_link("../提出", &source("会議録.docx", None, "¶22")),
            "file:///../提出/会議録.docx"
        );
    }
}
