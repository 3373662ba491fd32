//! Return sheets (差し戻し, SPEC §7.8): for each department with rejected
//! rows or failed files, one workbook listing every problem — file, sheet,
//! cell, content, reason, how to fix — to attach to an email.

use rust_xlsxwriter::{Format, FormatAlign, XlsxError};

use crate::date::Date;
use crate::matrix::Matrix;
use crate::render::xlsx::style;

/// The folder of the return sheets in the output folder.
pub const FOLDER: &str = "差し戻し";

/// One problem to send back.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// File name.
    pub file: String,
    /// Sheet, for a rejected row.
    pub sheet: String,
    /// Cell, for a rejected row.
    pub cell: String,
    /// What was written (the row's statement).
    pub content: String,
    /// What is wrong.
    pub reason: String,
    /// How to fix it.
    pub fix: String,
}

/// The problems of one department.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnSheet {
    /// Department (the template's name).
    pub department: String,
    /// Its problems: failed files first, then rejected rows in file order.
    pub problems: Vec<Problem>,
}

impl ReturnSheet {
    /// The file's path in the output folder: `差し戻し/総務課.xlsx`, with
    /// characters no file name may hold replaced.
    pub fn file_name(&self) -> String {
        let safe: String = self
            .department
            .chars()
            .map(|c| {
                if "\\/:*?\"<>|".contains(c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        format!("{FOLDER}/{safe}.xlsx")
    }
}

/// Every department with something to send back, by name.
pub fn collect(m: &Matrix) -> Vec<ReturnSheet> {
    let mut by_department: std::collections::BTreeMap<String, Vec<Problem>> = Default::default();
    for f in &m.failed {
        by_department
            .entry(f.department.clone())
            .or_default()
            .push(Problem {
                file: f.file.clone(),
                sheet: String::new(),
                cell: String::new(),
                content: String::new(),
                reason: f.reason.problem(),
                fix: f.reason.fix_for_submitter().to_string(),
            });
    }
    for r in &m.rejected {
        by_department
            .entry(r.department.clone())
            .or_default()
            .push(Problem {
                file: r.at.file.clone(),
                sheet: r.at.sheet.clone().unwrap_or_default(),
                cell: r.at.cell.clone().unwrap_or_default(),
                content: r.text.clone(),
                reason: r.reason.clone(),
                fix: r.fix.clone(),
            });
    }
    // The secretariat's own corrections file is not sent back.
    by_department.remove(crate::vocab::SECRETARIAT);
    by_department
        .into_iter()
        .map(|(department, problems)| ReturnSheet {
            department,
            problems,
        })
        .collect()
}

/// The workbook of one department's return sheet.
pub fn render(
    sheet: &ReturnSheet,
    m: &Matrix,
    font: &str,
    date: Date,
) -> Result<Vec<u8>, XlsxError> {
    let title = format!("差し戻し：{}", sheet.department);
    let mut wb = style::workbook(font, &title, &m.document_number, date)?;
    let ws = wb.add_worksheet();
    ws.set_name("差し戻し")?;
    let heading = style::title(font);
    let bordered = style::border(Format::new(), font)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let head = style::head(font)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Center);
    ws.write_string_with_format(
        0,
        0,
        format!("差し戻し：{}　{}", sheet.department, m.title),
        &heading,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "{}（{}）の資料づくりで、次の {} 件を読み込めませんでした。直し方のとおり直して、もう一度提出してください。",
            m.document_number,
            date.wareki_month(),
            sheet.problems.len()
        ),
    )?;
    let heads = ["ファイル", "シート", "セル", "内容", "理由", "直し方"];
    let widths = [26.0, 12.0, 8.0, 44.0, 36.0, 44.0];
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (i, p) in sheet.problems.iter().enumerate() {
        let r = 4 + i as u32;
        for (c, v) in [&p.file, &p.sheet, &p.cell, &p.content, &p.reason, &p.fix]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(r, c as u16, v.as_str(), &bordered)?;
        }
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(3, 3)?;
    ws.set_freeze_panes(4, 0)?;
    wb.save_to_buffer().map(super::same_on_every_os)
}
