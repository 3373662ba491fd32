//! The Excel handout (SPEC §5): sheet 資料 (the print-ready matrix), 明細
//! (one row per item source), 集計 (counts and charts) and, with a roster,
//! 提出状況.

pub mod detail;
pub mod matrix_sheet;
pub mod metrics;
pub mod status;
pub mod style;
pub mod summary;

use rust_xlsxwriter::XlsxError;

use crate::date::Date;
use crate::handout::Handout;
use crate::matrix::Matrix;
use crate::template::Template;
pub use style::{FONT, TextStyle};

/// Renders the workbook to bytes: 資料 from the handout as printed, the
/// other sheets from the matrix. `links` is the input folder as seen from
/// the output folder (`../提出`): with it, 明細 links every source to its
/// file and cell.
pub fn render(
    m: &Matrix,
    handout: &Handout,
    template: &Template,
    date: Date,
    links: Option<&str>,
) -> Result<Vec<u8>, XlsxError> {
    let style = TextStyle::of(template);
    let mut wb = style::workbook(&style.font, &m.title, &m.document_number, date)?;
    matrix_sheet::matrix_sheet(wb.add_worksheet(), handout, template, &style)?;
    // One row per source, written in order: stream it instead of holding it.
    detail::detail_sheet(
        wb.add_worksheet_with_constant_memory()?,
        m,
        &style.font,
        template.paper.size,
        links,
    )?;
    summary::summary_sheet(wb.add_worksheet(), m, template, &style.font)?;
    if let Some(departments) = &m.departments {
        status::status_sheet(wb.add_worksheet(), departments, &style.font, date)?;
    }
    wb.save_to_buffer().map(crate::render::same_on_every_os)
}
