//! What every sheet of the handout workbook shares: the font and sizes of
//! the template, cell borders.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

use crate::date::Date;

use super::metrics::{self, CellFont, Columns, FaceMetrics};
use crate::template::{PaperSize, Template};

/// Font of every sheet when the template names none (ships with Windows
/// 10+; Debian: fonts-morisawa-bizud-gothic).
pub const FONT: &str = "BIZ UDPゴシック";
/// The 資料 sheet's text: the template's font family and size (SPEC §6),
/// measured with the face's shipped advances ([`metrics`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    /// Font name as Excel shows it (Japanese names for the fonts we know).
    pub font: String,
    /// Body size in points.
    pub size: f64,
    /// Advances and line pitch of the face ([`metrics::GENERIC`] for a face
    /// shiryo has no table for).
    pub face: &'static FaceMetrics,
}

impl TextStyle {
    /// The style of a template.
    pub fn of(template: &Template) -> TextStyle {
        let font = template
            .font_families
            .first()
            .map_or(FONT, |f| excel_font_name(f))
            .to_string();
        TextStyle {
            face: metrics::face(&font),
            font,
            size: template.font_size,
        }
    }

    /// The body text's font (regular or bold) at the template's size.
    pub fn cell_font(&self, bold: bool) -> CellFont {
        CellFont::new(self.face, self.size, bold)
    }
}

/// The name Japanese Excel shows for a font family we know, else the family.
fn excel_font_name(family: &str) -> &str {
    match family {
        "BIZ UDPGothic" => "BIZ UDPゴシック",
        "BIZ UDGothic" => "BIZ UDゴシック",
        "IPAexGothic" => "IPAexゴシック",
        "IPAexMincho" => "IPAex明朝",
        other => other,
    }
}

/// A thin-bordered cell in the handout's font.
pub fn border(f: Format, font: &str) -> Format {
    f.set_border(FormatBorder::Thin)
        .set_font_name(font)
        .set_font_charset(128)
}

/// A sheet's title line: bold, 14 pt.
pub fn title(font: &str) -> Format {
    Format::new()
        .set_font_name(font)
        .set_font_charset(128)
        .set_bold()
        .set_font_size(14)
}

/// Excel's code for a paper size (`pageSetup/@paperSize`): 8 is A3, 9 A4.
/// Every sheet states its paper: without one, LibreOffice and Excel print
/// on their locale's default (US Letter on an English system).
pub fn paper_code(size: PaperSize) -> u8 {
    match size {
        PaperSize::A3 => 8,
        PaperSize::A4 => 9,
    }
}

/// The fill of every header cell.
pub const HEAD_FILL: &str = "D9E1F2";

/// A header cell: bordered, bold, filled.
pub fn head(font: &str) -> Format {
    border(Format::new(), font)
        .set_bold()
        .set_background_color(HEAD_FILL)
}

/// The size of the Normal style's font in points (every workbook's default).
pub const NORMAL_SIZE: f64 = 11.0;

/// How the Normal style (`font` at [`NORMAL_SIZE`]) sizes the columns of
/// every workbook shiryo writes.
pub fn columns(font: &str) -> Columns {
    Columns::of(metrics::face(font), NORMAL_SIZE)
}

/// A workbook whose cells default to `font`, its properties dated as the
/// handout (subject: 資料番号 and month), so that a month's bytes repeat.
/// Column widths are written in the digits of that font (11 px for BIZ
/// UDPゴシック, not Calibri's 7 px), so a width in characters is what Excel
/// shows.
pub fn workbook(
    font: &str,
    title: &str,
    document_number: &str,
    date: Date,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let default = Format::new()
        .set_font_name(font)
        .set_font_size(NORMAL_SIZE)
        .set_font_charset(128);
    wb.set_default_format(&default, 25, columns(font).writer_default_px())?;
    wb.set_properties(&doc_properties(
        title,
        &format!("{document_number} {}", date.wareki_month()),
        date,
    )?);
    Ok(wb)
}

/// The workbook's properties, created at midnight of the handout's date in
/// Japan (recorded in UTC), so that the same month gives the same bytes.
fn doc_properties(title: &str, subject: &str, date: Date) -> Result<DocProperties, XlsxError> {
    let (utc, hour) = date.japan_midnight_in_utc();
    let created = ExcelDateTime::from_ymd(utc.year as u16, utc.month as u8, utc.day as u8)?
        .and_hms(u16::from(hour), 0, 0)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_subject(subject)
        .set_author("shiryo")
        .set_company("業務改善・DX推進課")
        .set_creation_datetime(&created))
}
