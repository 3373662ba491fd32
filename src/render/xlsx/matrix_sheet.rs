//! Sheet 資料: the print-ready matrix (SPEC §5) — A3 landscape fit to one
//! page wide, header row repeated, row heights from the text, 新 marks in
//! red, a long cell continued in the next row.

use rust_xlsxwriter::{Format, FormatAlign, Worksheet, XlsxError};

use super::style::{TextStyle, border};
use crate::date::Date;
use crate::layout::{CellUnits, break_ranges};
use crate::matrix::{Item, Matrix};
use crate::template::{PaperSize, Template};
use crate::vocab::{BULLET, ItemStatus, NEW_LEGEND, NEW_MARK};

/// Excel's largest row height in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Excel's largest number of characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Top and bottom padding of a cell.
const CELL_PADDING: f64 = 6.0;

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
    items: &[&Item],
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
        let line = format!("{mark}{BULLET}{}", item.line());
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

/// Writes the 資料 sheet.
pub fn matrix_sheet(
    ws: &mut Worksheet,
    m: &Matrix,
    template: &Template,
    style: &TextStyle,
    date: Date,
) -> Result<(), XlsxError> {
    ws.set_name("資料")?;
    let font = style.font.as_str();
    let header = super::style::head(font)
        .set_font_size(style.size)
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
    for f in m.fields.iter().filter(|f| f.has_printed()) {
        let chunks: Vec<Vec<CellChunk>> = f
            .printed()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> Item {
        Item::new(
            text.into(),
            None,
            crate::vocab::Source {
                department: "総務課".into(),
                at: crate::vocab::Location::file("総務課.xlsx"),
            },
        )
    }

    #[test]
    fn chunks_respect_max_lines_and_keep_all_text() {
        let items: Vec<Item> = (0..50)
            .map(|i| item(&format!("項目{i}の内容を記入する。")))
            .collect();
        let units = TextStyle::of(&Template::default()).units;
        let refs: Vec<&Item> = items.iter().collect();
        let chunks = chunk_cell(&refs, 20.0, 10, &units);
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
        let chunks = chunk_cell(&[&item(&long)], 46.0, 28, &units);
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
