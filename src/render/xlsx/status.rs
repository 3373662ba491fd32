//! Sheet 提出状況 (SPEC §7.7): the roster with each department's status,
//! coloured, ready to print and check off during the collection week.

use rust_xlsxwriter::{Format, FormatAlign, Worksheet, XlsxError};

use super::style::border;
use crate::date::Date;
use crate::matrix::{DepartmentStatus, SubmissionStatus};

/// Fill and text colours of a status: green done, yellow to look at, red
/// to chase, blue to put on the roster.
fn colours(status: SubmissionStatus) -> (&'static str, &'static str) {
    match status {
        SubmissionStatus::Submitted => ("C6EFCE", "006100"),
        SubmissionStatus::PartlyRejected => ("FFEB9C", "9C5700"),
        SubmissionStatus::Failed | SubmissionStatus::Missing => ("FFC7CE", "9C0006"),
        SubmissionStatus::NotOnRoster => ("DDEBF7", "1F4E78"),
    }
}

/// Writes the 提出状況 sheet.
pub fn status_sheet(
    ws: &mut Worksheet,
    departments: &[DepartmentStatus],
    font: &str,
    date: Date,
) -> Result<(), XlsxError> {
    ws.set_name("提出状況")?;
    let head = super::style::head(font).set_align(FormatAlign::Center);
    let cell = border(Format::new(), font)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let number = border(Format::new(), font).set_align(FormatAlign::Top);
    let title = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_font_size(14);
    ws.write_string_with_format(0, 0, format!("提出状況（{}）", date.wareki_day()), &title)?;
    let heads = ["課名", "状況", "ファイル", "行", "項目", "却下"];
    let widths = [18.0, 10.0, 44.0, 7.0, 7.0, 7.0];
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (i, d) in departments.iter().enumerate() {
        let r = 3 + i as u32;
        let (fill, ink) = colours(d.status);
        let status = border(Format::new(), font)
            .set_bold()
            .set_background_color(fill)
            .set_font_color(ink)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::Top);
        ws.write_string_with_format(r, 0, &d.name, &cell)?;
        ws.write_string_with_format(r, 1, d.status.label(), &status)?;
        ws.write_string_with_format(r, 2, d.files.join("\n"), &cell)?;
        for (c, n) in [(3, d.rows), (4, d.items), (5, d.rejected)] {
            ws.write_number_with_format(r, c, n as f64, &number)?;
        }
    }
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, 2)?;
    ws.set_freeze_panes(3, 0)?;
    Ok(())
}
