//! What every sheet of the handout workbook shares: the font and sizes of
//! the template, cell borders.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

use crate::date::Date;

use crate::layout::CellUnits;
use crate::template::Template;

/// Font of every sheet when the template names none (ships with Windows
/// 10+; Debian: fonts-morisawa-bizud-gothic).
pub const FONT: &str = "BIZ UDPゴシック";
/// The matrix sheet's text: the template's font family and size (SPEC §6),
/// with line height and character widths measured for BIZ UD fonts.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    /// Font name as Excel shows it (Japanese names for the fonts we know).
    pub font: String,
    /// Body size in points.
    pub size: f64,
    /// Height of one text line: BIZ UD fonts have a line pitch of 1.0 em
    /// (LibreOffice); Excel spaces lines a little wider, so 1.25 em.
    pub line_height: f64,
    /// Width of characters in Excel column units.
    pub units: CellUnits,
}

impl TextStyle {
    /// The style of a template.
    pub fn of(template: &Template) -> TextStyle {
        let size = template.font_size;
        let scale = size / 10.0;
        TextStyle {
            font: template
                .font_families
                .first()
                .map_or(FONT, |f| excel_font_name(f))
                .to_string(),
            size,
            line_height: 1.25 * size,
            // Measured at 10 pt: a full-width character is 2.0 units wide.
            units: CellUnits {
                wide: 2.0 * scale,
                narrow: 1.15 * scale,
            },
        }
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

/// The fill of every header cell.
pub const HEAD_FILL: &str = "D9E1F2";

/// A header cell: bordered, bold, filled.
pub fn head(font: &str) -> Format {
    border(Format::new(), font)
        .set_bold()
        .set_background_color(HEAD_FILL)
}

/// A workbook whose cells default to `font`, its properties dated as the
/// handout (subject: 資料番号 and month), so that a month's bytes repeat.
pub fn workbook(
    font: &str,
    title: &str,
    document_number: &str,
    date: Date,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let default = Format::new()
        .set_font_name(font)
        .set_font_size(11)
        .set_font_charset(128);
    wb.set_default_format(&default, 25, 64)?;
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
