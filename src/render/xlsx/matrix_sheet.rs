//! Sheet 資料: the print-ready matrix (SPEC §5) — A3 landscape fit to one
//! page wide, header row repeated, row heights from the text, 新 marks in
//! red, a long cell continued in the next row.

use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet, XlsxError};

use super::metrics::{CellFont, written_width};
use super::style::{TextStyle, border};
use crate::handout::{Handout, HandoutItem};
use crate::layout::{Measure, break_cell_ranges};
use crate::template::Template;
use crate::vocab::{BULLET, NEW_MARK};

/// Excel's largest row height, 409 pt, in whole 96 dpi pixels (Excel keeps
/// row heights in pixels: 545 px = 408.75 pt).
const MAX_ROW_PX: u32 = 545;
/// Excel's largest number of characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Space above and below a row's text in pixels (2 px each side, Excel's
/// cell margin). See [`row_px`].
const ROW_PADDING_PX: u32 = 4;
/// The lowest row: LibreOffice's default row height (0.45 cm, 17 px),
/// rounded up to Excel's 13.5 pt, so that a one-line row is never lower
/// than either draws an empty one.
const MIN_ROW_PX: u32 = 18;
/// Share of the printable width the columns take: LibreOffice makes a
/// column 1.2 % wider than Excel (its digit unit is the unrounded 11.13 px
/// of BIZ UDPゴシック 11 pt), and the sheet should print at 100 % in both.
const PRINT_WIDTH_SHARE: f64 = 0.98;

/// The height of a row whose tallest cell has `lines` lines, in pixels
/// (capped at Excel's 409 pt).
///
/// # The height model
///
/// `lines × line pitch + 4 px` (at least 18 px), where the line pitch is
/// the face's ascender + descender at the pixel size (BIZ UDPゴシック 9 pt:
/// 12 px), and `lines` comes from breaking each item with the shared
/// Japanese line breaking (`layout::break_cell_ranges`, 禁則 included) at the
/// width text may take in its column
/// ([`super::metrics::Columns::text_px`]: the narrower of Excel's column
/// less padding, from the Normal font's digit width, and LibreOffice's,
/// calibrated), measuring every glyph with the face's shipped advances
/// rounded to whole pixels ([`CellFont`]).
///
/// # Calibration
///
/// Against LibreOffice 7.4's optimal row height (`lo_rowheights.py`,
/// which sets `OptimalHeight` on every row and compares): single cells of
/// known glyphs at many column widths gave the column model (see
/// [`super::metrics`]); LibreOffice's height for `n` lines at 9 pt is
/// `n × 316.6 + 51` (1/100 mm), i.e. 11.97 px a line and 1.9 px of
/// padding, so 12 px + 4 px is never lower. LibreOffice as installed here
/// applies no 禁則 and no hanging punctuation; the stricter rules used here
/// (those of the PDF, plus `layout::break_cell_ranges`'s) never give fewer lines.
///
/// On 1500 items of the months below at widths of 90 to 500 px, the line
/// count was LibreOffice's for 1493 and one more for 7 (禁則, numbers kept
/// whole), never fewer.
///
/// # Measured error
///
/// Ours / LibreOffice's optimal height, `lo_rowheights.py` (data rows
/// taller than 8 mm; every row, the header included, is ≥ 1.01), LibreOffice
/// 7.4.7 on Debian 12 with fonts-morisawa-bizud-gothic 1.05. Before this
/// model the ratios were 1.36–2.54 (median 1.47–2.19).
///
/// | month | template | rows | min | median | max |
/// |---|---|---|---|---|---|
/// | sample (`input/`) | default (A3 landscape, 9 pt) | 6 | 1.01 | 1.02 | 1.02 |
/// | `gen_month` 100 × 30 | default | 188 | 1.01 | 1.01 | 1.03 |
/// | `gen_month` 20 × 12, seed 7, 2000 kanji | default | 19 | 1.01 | 1.01 | 1.02 |
/// | `gen_month` 60 × 20, seed 99, 2965 kanji | default | 78 | 1.01 | 1.01 | 1.03 |
/// | the same | 8 pt, narrow 分野 | 64 | 1.01 | 1.01 | 1.05 |
/// | `gen_corpus.py` 100 × 30, seed 42 | default | 157 | 1.01 | 1.01 | 1.06 |
/// | `gen_corpus.py` 50 × 40, seed 7 | A3 portrait, 12 pt | 308 | 1.01 | 1.01 | 1.05 |
/// | `gen_month` 20 × 12 | A4 landscape | 29 | 1.01 | 1.01 | 1.04 |
/// | `gen_month` 20 × 12 | A4 portrait, 10.5 pt | 55 | 1.01 | 1.03 | 1.09 |
/// | sample + a 4640-character cell (rows split at 409 pt) | default | 9 | 1.01 | 1.01 | 1.02 |
/// | sample | BIZ UDゴシック | 6 | 1.01 | 1.01 | 1.02 |
/// | sample | Meiryo UI (no table: generic) | 6 | 1.30 | 1.38 | 1.47 |
///
/// Excel was not available for calibration. Excel's column leaves its
/// text a little more room than LibreOffice's (333 against 329 px in a
/// 340 px column), but Excel's line spacing for BIZ UD has not been
/// measured: the face's Windows metrics (`usWinAscent + usWinDescent`) are
/// 1 em like the pitch used here; if Excel spaces wrapped lines wider,
/// this pitch must grow (and the 1.15 bound against LibreOffice would no
/// longer hold).
pub fn row_px(lines: usize, line_px: u32) -> u32 {
    let text = (lines.max(1) as u64).saturating_mul(u64::from(line_px));
    text.saturating_add(u64::from(ROW_PADDING_PX))
        .clamp(u64::from(MIN_ROW_PX), u64::from(MAX_ROW_PX)) as u32
}

/// The most lines of `font` a row can show.
fn max_lines(font: &CellFont) -> usize {
    ((MAX_ROW_PX - ROW_PADDING_PX) / font.line_px()).max(1) as usize
}

/// The lines of one matrix cell, split into chunks that each fit one Excel row.
#[derive(Debug, Clone, PartialEq)]
pub struct CellChunk {
    /// Text written into the cell.
    pub text: String,
    /// Number of printed lines.
    pub lines: usize,
    /// Byte offsets in `text` of 新 marks (printed red and bold).
    pub marks: Vec<usize>,
}

/// Column widths of the 資料 sheet in pixels as Excel shows them: the
/// paper's printable width (less the template's margins) at 96 dpi,
/// shared by the template's width ratios, so that the sheet prints at
/// 100 % (the template's font size is the printed size, as in the PDF).
pub fn column_px(template: &Template) -> Vec<u32> {
    let (paper_pt, _) = template.paper.size_pt();
    let mm_to_pt = 72.0 / 25.4;
    let printable_pt =
        paper_pt - (template.margins.left + template.margins.right).max(0.0) * mm_to_pt;
    let total_px = (printable_pt * 96.0 / 72.0 * PRINT_WIDTH_SHARE).max(100.0);
    let ratios: Vec<f64> = std::iter::once(template.field_width)
        .chain(template.columns.iter().map(|c| c.width))
        .map(|r| if r.is_finite() && r > 0.0 { r } else { 1.0 })
        .collect();
    let sum: f64 = ratios.iter().sum();
    ratios
        .iter()
        .map(|r| ((r / sum * total_px).floor() as u32).max(40))
        .collect()
}

/// Lays out the items of one cell for a column whose text may be
/// `text_px` pixels wide and packs them into chunks of at most `max_lines`
/// lines (an item longer than that is split at a line boundary and
/// continues in the next chunk). The items are broken into lines on every
/// core, then packed in order.
pub fn chunk_cell(
    items: &[HandoutItem],
    text_px: f64,
    max_lines: usize,
    font: &(impl Measure + Sync),
) -> Vec<CellChunk> {
    let broken: Vec<(String, Vec<std::ops::Range<usize>>)> = items
        .par_iter()
        .map(|item| {
            let mark = if item.new { NEW_MARK } else { "" };
            let line = format!("{mark}{BULLET}{}", item.line());
            let ranges = break_cell_ranges(&line, text_px, font);
            (line, ranges)
        })
        .collect();
    let mut chunks = Vec::new();
    let mut text = String::new();
    let mut chars = 0usize;
    let mut lines = 0usize;
    let mut marks = Vec::new();
    for (item, (line, broken)) in items.iter().zip(&broken) {
        let is_new = item.new;
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

/// Writes the 資料 sheet: the handout as printed.
pub fn matrix_sheet(
    ws: &mut Worksheet,
    m: &Handout,
    template: &Template,
    style: &TextStyle,
) -> Result<(), XlsxError> {
    ws.set_name("資料")?;
    let font = style.font.as_str();
    let formats = SheetFormats::new(style);
    let header = &formats.header;
    let field = &formats.field;
    let regular = style.cell_font(false);
    let bold = style.cell_font(true);
    let line_px = regular.line_px().max(bold.line_px());
    let columns = super::style::columns(font);
    // The width each column's text may take, from the width attribute as
    // written (what Excel and LibreOffice will read).
    let mut text_px = Vec::new();
    for (c, px) in column_px(template).into_iter().enumerate() {
        let writer_px = columns.writer_px(px);
        ws.set_column_width_pixels(c as u16, writer_px)?;
        text_px.push(columns.text_px(written_width(writer_px, columns.writer_mdw)));
    }
    let text_px_of = |c: usize| text_px.get(c).copied().unwrap_or(1.0);
    ws.write_string_with_format(0, 0, &m.field_label, header)?;
    let mut head_lines = text_lines(&m.field_label, text_px_of(0), &bold);
    for (i, col) in m.columns.iter().enumerate() {
        ws.write_string_with_format(0, i as u16 + 1, &col.label, header)?;
        head_lines = head_lines.max(text_lines(&col.label, text_px_of(i + 1), &bold));
    }
    ws.set_row_height_pixels(0, row_px(head_lines, line_px))?;

    let max_lines = max_lines(&regular);
    let mut row = 1u32;
    for f in &m.rows {
        let chunks: Vec<Vec<CellChunk>> = f
            .cells
            .iter()
            .enumerate()
            .map(|(i, items)| chunk_cell(items, text_px_of(i + 1), max_lines, &regular))
            .collect();
        let n_rows = chunks.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let name_lines = text_lines(&f.name, text_px_of(0), &bold);
        let mut total_px = 0u32;
        for k in 0..n_rows {
            let r = row + k as u32;
            // A 分野 name in one row counts; one merged over several rows
            // is checked against their sum below.
            let mut lines = if n_rows == 1 { name_lines } else { 1 };
            for (i, col) in chunks.iter().enumerate() {
                let c = i as u16 + 1;
                match col.get(k) {
                    Some(chunk) => {
                        write_chunk(ws, (r, c), chunk, &formats)?;
                        lines = lines.max(chunk.lines);
                    }
                    None => {
                        ws.write_blank(r, c, &formats.body)?;
                    }
                }
            }
            let mut height = row_px(lines, line_px);
            if k + 1 == n_rows && n_rows > 1 {
                let needed = row_px(name_lines, line_px);
                height = height.max(needed.saturating_sub(total_px)).min(MAX_ROW_PX);
            }
            total_px += height;
            ws.set_row_height_pixels(r, height)?;
        }
        let last = row + n_rows as u32 - 1;
        if last > row {
            ws.merge_range(row, 0, last, 0, &f.name, field)?;
        } else {
            ws.write_string_with_format(row, 0, &f.name, field)?;
        }
        row = last + 1;
    }

    page_setup(ws, m, template, font)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The cell formats of the 資料 sheet.
struct SheetFormats {
    header: Format,
    field: Format,
    body: Format,
    plain: Format,
    mark: Format,
}

impl SheetFormats {
    fn new(style: &TextStyle) -> SheetFormats {
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
        SheetFormats {
            header,
            field,
            body,
            plain,
            mark,
        }
    }
}

/// One chunk of a cell's items, its 新 marks in their own format.
fn write_chunk(
    ws: &mut Worksheet,
    (r, c): (u32, u16),
    chunk: &CellChunk,
    formats: &SheetFormats,
) -> Result<(), XlsxError> {
    if chunk.marks.is_empty() {
        ws.write_string_with_format(r, c, &chunk.text, &formats.body)?;
        return Ok(());
    }
    let mut segments: Vec<(&Format, &str)> = Vec::new();
    let mut at = 0;
    for &m in &chunk.marks {
        if m > at {
            segments.push((&formats.plain, &chunk.text[at..m]));
        }
        segments.push((&formats.mark, NEW_MARK));
        at = m + NEW_MARK.len();
    }
    segments.push((&formats.plain, &chunk.text[at..]));
    ws.write_rich_string_with_format(r, c, &segments, &formats.body)?;
    Ok(())
}

/// Paper, margins, the header and footer of the printed sheet.
fn page_setup(
    ws: &mut Worksheet,
    m: &Handout,
    template: &Template,
    font: &str,
) -> Result<(), XlsxError> {
    ws.set_paper_size(super::style::paper_code(template.paper.size));
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
        escape_header(&m.date),
        escape_header(&m.title),
        escape_header(&m.document_number)
    ));
    let legend = match m.legend {
        Some(legend) => format!("&L&\"{font}\"&9{legend}"),
        None => String::new(),
    };
    ws.set_footer(format!("{legend}&C&\"{font}\"&10- &P / &N -"));
    Ok(())
}

/// Lines of a text in a cell whose text may be `text_px` wide (each line
/// break in the text starts a paragraph).
fn text_lines(text: &str, text_px: f64, font: &impl Measure) -> usize {
    text.split('\n')
        .map(|p| break_cell_ranges(p, text_px, font).len())
        .sum()
}

/// `&` starts a code in Excel headers; a literal one is written `&&`.
fn escape_header(s: &str) -> String {
    s.replace('&', "&&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::PaperSize;

    fn item(text: &str) -> HandoutItem<'_> {
        HandoutItem {
            text,
            examples: None,
            new: false,
            source: None,
        }
    }

    fn body_font() -> CellFont {
        TextStyle::of(&Template::default()).cell_font(false)
    }

    #[test]
    fn chunks_respect_max_lines_and_keep_all_text() {
        let texts: Vec<String> = (0..50)
            .map(|i| format!("項目{i}の内容を記入する。"))
            .collect();
        let items: Vec<HandoutItem> = texts.iter().map(|t| item(t)).collect();
        let chunks = chunk_cell(&items, 120.0, 10, &body_font());
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
        let font = body_font();
        let chunks = chunk_cell(&[item(&long)], 340.0, max_lines(&font), &font);
        assert!(
            chunks
                .iter()
                .all(|c| c.text.chars().count() <= MAX_CELL_CHARS)
        );
        assert!(
            chunks
                .iter()
                .all(|c| row_px(c.lines, font.line_px()) <= MAX_ROW_PX)
        );
        let total: usize = chunks
            .iter()
            .map(|c| c.text.chars().filter(|&c| c == 'あ').count())
            .sum();
        assert_eq!(total, 40_000);
    }

    #[test]
    fn line_counts_of_known_cells() {
        // 9 pt BIZ UDPゴシック: 漢 12 px, ・ 6 px, 。 7 px.
        let font = body_font();
        let one = item("漢字漢字漢");
        // ・漢字漢字漢 = 6 + 5 × 12 = 66 px.
        assert_eq!(
            chunk_cell(std::slice::from_ref(&one), 66.0, 45, &font)[0].lines,
            1
        );
        assert_eq!(
            chunk_cell(std::slice::from_ref(&one), 65.0, 45, &font)[0].lines,
            2
        );
        let two = item("漢字の文。漢字の文。");
        let chunks = chunk_cell(&[one, two], 66.0, 45, &font);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].lines, 3, "{:?}", chunks[0]);
    }

    #[test]
    fn row_heights_in_pixels() {
        assert_eq!(row_px(1, 12), MIN_ROW_PX);
        assert_eq!(row_px(0, 12), MIN_ROW_PX);
        assert_eq!(row_px(2, 12), 28);
        assert_eq!(row_px(10, 12), 124);
        assert_eq!(row_px(45, 12), 544);
        assert_eq!(row_px(46, 12), MAX_ROW_PX);
        assert_eq!(row_px(usize::MAX, u32::MAX), MAX_ROW_PX);
        assert_eq!(max_lines(&body_font()), 45);
    }

    #[test]
    fn the_template_font_and_size_apply() {
        let s = TextStyle::of(&Template::default());
        assert_eq!(s.font, "BIZ UDPゴシック");
        assert_eq!(s.size, 9.0);
        assert_eq!(s.face, &super::super::metrics::BIZ_UDP_GOTHIC);
        let t = Template {
            font_size: 12.0,
            font_families: vec!["Meiryo UI".into()],
            ..Template::default()
        };
        let s = TextStyle::of(&t);
        assert_eq!((s.font.as_str(), s.size), ("Meiryo UI", 12.0));
        // No table for Meiryo UI: the generous generic face, 1.5 em lines.
        assert_eq!(s.cell_font(false).line_px(), 24);
    }

    #[test]
    fn widths_fill_the_printable_width() {
        let t = Template::default();
        let w = column_px(&t);
        assert_eq!(w.len(), 5);
        // A3 landscape less 2 × 10 mm: 400 mm = 1511.8 px, 98 % of it.
        let total: u32 = w.iter().sum();
        assert!((1475..=1482).contains(&total), "{total}");
        assert!(w[0] < w[1]);
        let a4 = Template {
            paper: crate::vocab::Paper {
                size: PaperSize::A4,
                landscape: false,
            },
            ..Template::default()
        };
        let total: u32 = column_px(&a4).iter().sum();
        // 190 mm = 718.1 px.
        assert!((700..=704).contains(&total), "{total}");
    }
}
