//! The Excel handout (SPEC §5): sheet 資料 (the print-ready matrix), 明細
//! (one row per item source) and 集計 (counts).

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::item_line;
use crate::date::Date;
use crate::layout::{CellUnits, break_ranges};
use crate::matrix::{Item, Matrix};
use crate::template::{PaperSize, Template};
use crate::vocab::{BULLET, ItemStatus, NEW_LEGEND, NEW_MARK};

/// Font of every sheet when the template names none (ships with Windows
/// 10+; Debian: fonts-morisawa-bizud-gothic).
pub const FONT: &str = "BIZ UDPゴシック";
/// Excel's largest row height in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Excel's largest number of characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Top and bottom padding of a cell.
const CELL_PADDING: f64 = 6.0;

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

/// The lines of one matrix cell, split into chunks that each fit one Excel row.
#[derive(Debug, Clone, PartialEq)]
pub struct CellChunk {
    /// Text written into the cell.
    pub text: String,
    /// Estimated number of printed lines.
    pub lines: usize,
    /// Byte offsets in `text` of 新 marks (printed red and bold).
    pub marks: Vec<usize>,
}

/// Column widths of the 資料 sheet in Excel character units.
pub fn column_widths(template: &Template) -> Vec<f64> {
    let total = match (template.paper.size, template.paper.landscape) {
        (PaperSize::A3, true) => 200.0,
        (PaperSize::A3, false) | (PaperSize::A4, true) => 140.0,
        (PaperSize::A4, false) => 100.0,
    };
    let ratios: Vec<f64> = std::iter::once(template.field_width)
        .chain(template.columns.iter().map(|c| c.width))
        .collect();
    let sum: f64 = ratios.iter().sum();
    ratios.iter().map(|r| (r / sum * total).max(6.0)).collect()
}

/// Lays out the items of one cell for a column `width` units wide and packs
/// them into chunks of at most `max_lines` lines (an item longer than that is
/// split at a line boundary and continues in the next chunk).
pub fn chunk_cell(
    items: &[Item],
    width: f64,
    max_lines: usize,
    units: &CellUnits,
) -> Vec<CellChunk> {
    let usable = (width - 1.5).max(2.0);
    let mut chunks = Vec::new();
    let mut text = String::new();
    let mut chars = 0usize;
    let mut lines = 0usize;
    let mut marks = Vec::new();
    for item in items {
        let is_new = item.status == Some(ItemStatus::New);
        let mark = if is_new { NEW_MARK } else { "" };
        let line = format!("{mark}{BULLET}{}", item_line(item));
        let broken = break_ranges(&line, usable, units);
        for piece in broken.chunks(max_lines.max(1)) {
            let piece_text = &line[piece[0].start..piece[piece.len() - 1].end];
            let too_many_lines = lines + piece.len() > max_lines;
            let piece_chars = piece_text.chars().count();
            let too_long = chars + piece_chars + 1 > MAX_CELL_CHARS;
            if lines > 0 && (too_many_lines || too_long) {
                chunks.push(CellChunk {
                    text: std::mem::take(&mut text),
                    lines,
                    marks: std::mem::take(&mut marks),
                });
                lines = 0;
                chars = 0;
            }
            if !text.is_empty() {
                text.push('\n');
                chars += 1;
            }
            if is_new && piece[0].start == 0 {
                marks.push(text.len());
            }
            text.push_str(piece_text);
            chars += piece_chars;
            lines += piece.len();
        }
    }
    if lines > 0 {
        chunks.push(CellChunk { text, lines, marks });
    }
    chunks
}

fn border(f: Format, font: &str) -> Format {
    f.set_border(FormatBorder::Thin)
        .set_font_name(font)
        .set_font_charset(128)
}

/// Renders the workbook to bytes.
pub fn render(m: &Matrix, template: &Template, date: Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let style = TextStyle::of(template);
    let default = Format::new()
        .set_font_name(&style.font)
        .set_font_size(11)
        .set_font_charset(128);
    wb.set_default_format(&default, 25, 64)?;
    // Midnight of the handout's date in Japan; the file records UTC.
    let (utc, hour) = date.japan_midnight_in_utc();
    let created = ExcelDateTime::from_ymd(utc.year as u16, utc.month as u8, utc.day as u8)?
        .and_hms(u16::from(hour), 0, 0)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&m.title)
            .set_subject(format!("{} {}", m.document_number, date.wareki_month()))
            .set_author("shiryo")
            .set_company("業務改善・DX推進課")
            .set_creation_datetime(&created),
    );
    matrix_sheet(wb.add_worksheet(), m, template, &style, date)?;
    // One row per source, written in order: stream it instead of holding it.
    detail_sheet(wb.add_worksheet_with_constant_memory()?, m, &style.font)?;
    summary_sheet(wb.add_worksheet(), m, template, &style.font)?;
    wb.save_to_buffer().map(super::same_on_every_os)
}

fn matrix_sheet(
    ws: &mut Worksheet,
    m: &Matrix,
    template: &Template,
    style: &TextStyle,
    date: Date,
) -> Result<(), XlsxError> {
    ws.set_name("資料")?;
    let font = style.font.as_str();
    let header = border(Format::new(), font)
        .set_bold()
        .set_font_size(style.size)
        .set_background_color("D9E1F2")
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let field = border(Format::new(), font)
        .set_bold()
        .set_font_size(style.size)
        .set_background_color("F2F2F2")
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let body = border(Format::new(), font)
        .set_font_size(style.size)
        .set_text_wrap()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::Top);

    let plain = Format::new().set_font_name(font).set_font_size(style.size);
    let mark = plain.clone().set_bold().set_font_color("C00000");
    let widths = column_widths(template);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(0, 0, &m.field_label, &header)?;
    for (i, col) in m.columns.iter().enumerate() {
        ws.write_string_with_format(0, i as u16 + 1, &col.label, &header)?;
    }
    ws.set_row_height(0, 2.0 * style.line_height + CELL_PADDING)?;

    let max_lines = ((MAX_ROW_HEIGHT - CELL_PADDING) / style.line_height).floor() as usize;
    let mut row = 1u32;
    for f in m
        .fields
        .iter()
        .filter(|f| f.cells.iter().any(|c| !c.is_empty()))
    {
        let chunks: Vec<Vec<CellChunk>> = f
            .cells
            .iter()
            .enumerate()
            .map(|(i, items)| chunk_cell(items, widths[i + 1], max_lines, &style.units))
            .collect();
        let n_rows = chunks.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for k in 0..n_rows {
            let r = row + k as u32;
            let mut lines = 2usize;
            for (i, col) in chunks.iter().enumerate() {
                let c = i as u16 + 1;
                match col.get(k) {
                    Some(chunk) if !chunk.marks.is_empty() => {
                        let mut segments: Vec<(&Format, &str)> = Vec::new();
                        let mut at = 0;
                        for &m in &chunk.marks {
                            if m > at {
                                segments.push((&plain, &chunk.text[at..m]));
                            }
                            segments.push((&mark, NEW_MARK));
                            at = m + NEW_MARK.len();
                        }
                        segments.push((&plain, &chunk.text[at..]));
                        ws.write_rich_string_with_format(r, c, &segments, &body)?;
                        lines = lines.max(chunk.lines);
                    }
                    Some(chunk) => {
                        ws.write_string_with_format(r, c, &chunk.text, &body)?;
                        lines = lines.max(chunk.lines);
                    }
                    None => {
                        ws.write_blank(r, c, &body)?;
                    }
                }
            }
            ws.set_row_height(r, lines as f64 * style.line_height + CELL_PADDING)?;
        }
        let last = row + n_rows as u32 - 1;
        if last > row {
            ws.merge_range(row, 0, last, 0, &f.name, &field)?;
        } else {
            ws.write_string_with_format(row, 0, &f.name, &field)?;
        }
        row = last + 1;
    }

    ws.set_paper_size(match template.paper.size {
        PaperSize::A3 => 8,
        PaperSize::A4 => 9,
    });
    if template.paper.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    let inch = |mm: f64| mm / 25.4;
    let mg = template.margins;
    // Header and footer sit inside the top and bottom margins.
    ws.set_margins(
        inch(mg.left),
        inch(mg.right),
        inch(mg.top + 8.0),
        inch(mg.bottom + 6.0),
        inch(mg.top),
        inch(mg.bottom),
    );
    ws.set_header(format!(
        "&L&\"{font}\"&10{}&C&\"{font},Bold\"&14{}&R&\"{font}\"&12{}",
        escape_header(&date.wareki_month()),
        escape_header(&m.title),
        escape_header(&m.document_number)
    ));
    let legend = if m.removed.is_some() {
        format!("&L&\"{font}\"&9{NEW_LEGEND}")
    } else {
        String::new()
    };
    ws.set_footer(format!("{legend}&C&\"{font}\"&10- &P / &N -"));
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// `&` starts a code in Excel headers; a literal one is written `&&`.
fn escape_header(s: &str) -> String {
    s.replace('&', "&&")
}

fn detail_sheet(ws: &mut Worksheet, m: &Matrix, font: &str) -> Result<(), XlsxError> {
    ws.set_name("明細")?;
    let head = border(Format::new(), font)
        .set_bold()
        .set_background_color("D9E1F2");
    let cell = border(Format::new(), font)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let compare = m.removed.is_some();
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
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    let mut r = 1u32;
    for f in &m.fields {
        for col in &m.columns {
            for item in &f.cells[col.key.index()] {
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
                    for (c, v) in values.iter().enumerate() {
                        ws.write_string_with_format(r, c as u16, *v, &cell)?;
                    }
                    r += 1;
                }
            }
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn summary_sheet(
    ws: &mut Worksheet,
    m: &Matrix,
    template: &Template,
    font: &str,
) -> Result<(), XlsxError> {
    ws.set_name("集計")?;
    let head = border(Format::new(), font)
        .set_bold()
        .set_background_color("D9E1F2")
        .set_text_wrap();
    let cell = border(Format::new(), font);
    let total_fmt = border(Format::new(), font).set_bold();
    ws.set_column_width(0, 20)?;
    for c in 1..=5 {
        ws.set_column_width(c, 14)?;
    }
    ws.write_string(0, 0, "分野 × 区分ごとの項目数")?;
    let mut r = 1u32;
    let write_head = |ws: &mut Worksheet, r: u32, first: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(r, 0, first, &head)?;
        for (i, col) in m.columns.iter().enumerate() {
            ws.write_string_with_format(r, i as u16 + 1, col.key.short_label(), &head)?;
        }
        ws.write_string_with_format(r, 5, "合計", &head)?;
        Ok(())
    };
    write_head(ws, r, &template.field_label)?;
    r += 1;
    let mut totals = [0usize; 4];
    for f in &m.fields {
        ws.write_string_with_format(r, 0, &f.name, &cell)?;
        for (i, items) in f.cells.iter().enumerate() {
            ws.write_number_with_format(r, i as u16 + 1, items.len() as f64, &cell)?;
            totals[i] += items.len();
        }
        ws.write_number_with_format(
            r,
            5,
            f.cells.iter().map(Vec::len).sum::<usize>() as f64,
            &total_fmt,
        )?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, "合計", &total_fmt)?;
    for (i, t) in totals.iter().enumerate() {
        ws.write_number_with_format(r, i as u16 + 1, *t as f64, &total_fmt)?;
    }
    ws.write_number_with_format(r, 5, totals.iter().sum::<usize>() as f64, &total_fmt)?;

    r += 3;
    ws.write_string(r, 0, "担当課ごとの提出件数（重複統合前）")?;
    r += 1;
    write_head(ws, r, "担当課")?;
    r += 1;
    let mut per_department: std::collections::HashMap<&str, [usize; 4]> =
        std::collections::HashMap::new();
    for f in &m.fields {
        for (i, items) in f.cells.iter().enumerate() {
            for s in items.iter().flat_map(|it| &it.sources) {
                per_department.entry(&s.department).or_default()[i] += 1;
            }
        }
    }
    let mut departments: Vec<(&str, [usize; 4])> = per_department.into_iter().collect();
    departments.sort_by(|a, b| {
        (template.department_rank(a.0), a.0).cmp(&(template.department_rank(b.0), b.0))
    });
    for (d, counts) in &departments {
        ws.write_string_with_format(r, 0, *d, &cell)?;
        for (i, n) in counts.iter().enumerate() {
            ws.write_number_with_format(r, i as u16 + 1, *n as f64, &cell)?;
        }
        ws.write_number_with_format(r, 5, counts.iter().sum::<usize>() as f64, &total_fmt)?;
        r += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> Item {
        Item {
            text: text.into(),
            examples: None,
            sources: vec![],
            status: None,
        }
    }

    #[test]
    fn chunks_respect_max_lines_and_keep_all_text() {
        let items: Vec<Item> = (0..50)
            .map(|i| item(&format!("項目{i}の内容を記入する。")))
            .collect();
        let units = TextStyle::of(&Template::default()).units;
        let chunks = chunk_cell(&items, 20.0, 10, &units);
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| c.lines <= 10));
        let all: String = chunks.iter().map(|c| c.text.replace('\n', "")).collect();
        for i in 0..50 {
            assert!(all.contains(&format!("・項目{i}の内容を記入する。")));
        }
    }

    #[test]
    fn a_huge_item_is_split_not_truncated() {
        let long = "あ".repeat(40_000);
        let units = TextStyle::of(&Template::default()).units;
        let chunks = chunk_cell(&[item(&long)], 46.0, 28, &units);
        assert!(
            chunks
                .iter()
                .all(|c| c.text.chars().count() <= MAX_CELL_CHARS)
        );
        let total: usize = chunks
            .iter()
            .map(|c| c.text.chars().filter(|&c| c == 'あ').count())
            .sum();
        assert_eq!(total, 40_000);
    }

    #[test]
    fn the_template_font_and_size_apply() {
        let s = TextStyle::of(&Template::default());
        assert_eq!(s.font, "BIZ UDPゴシック");
        assert_eq!(s.size, 9.0);
        let t = Template {
            font_size: 12.0,
            font_families: vec!["Meiryo UI".into()],
            ..Template::default()
        };
        let s = TextStyle::of(&t);
        assert_eq!(
            (s.font.as_str(), s.size, s.line_height),
            ("Meiryo UI", 12.0, 15.0)
        );
        assert!((s.units.wide - 2.4).abs() < 1e-9);
    }

    #[test]
    fn widths_follow_template_ratios() {
        let w = column_widths(&Template::default());
        assert_eq!(w.len(), 5);
        assert!((w.iter().sum::<f64>() - 200.0).abs() < 1e-6);
        assert!(w[0] < w[1]);
    }
}
