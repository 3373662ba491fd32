//! The PDF handout (SPEC §5): the matrix on A3 landscape (template paper),
//! title, 資料番号 box, 和暦 date, header row on every page, `・` items with a
//! hanging indent, 禁則 line breaking, 「（続き）」 for a 分野 split across
//! pages, page numbers, subset-embedded fonts.
//!
//! [`paginate`] builds a page model of boxes and text lines (tested without
//! any font); [`render`] draws it with printpdf.

use crate::date::Date;
use crate::fonts::FontPair;
use crate::history::ItemStatus;
use crate::layout::{Measure, break_lines};
use crate::matrix::Matrix;
use crate::render::item_line;
use crate::template::Template;

/// The bullet printed before every item.
pub const BULLET: &str = "・";
/// Mark printed before the bullet of an item that is new since last month.
pub const NEW_MARK: &str = "新";
/// Legend of the mark, printed under the date when months are compared.
pub const NEW_LEGEND: &str = "新＝前回の資料にない項目";
/// Suffix of the 分野 label on a continuation page.
pub const CONTINUED: &str = "（続き）";

/// A rectangle in PDF points (origin bottom left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxPt {
    /// Left.
    pub x: f64,
    /// Bottom.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl BoxPt {
    /// True when `other` lies inside (with a small tolerance).
    pub fn contains(&self, other: &BoxPt) -> bool {
        const EPS: f64 = 0.01;
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.x + other.w <= self.x + self.w + EPS
            && other.y + other.h <= self.y + self.h + EPS
    }
}

/// A drawn rectangle: a table cell or the 資料番号 box.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Where.
    pub rect: BoxPt,
    /// Grey fill (0 black – 1 white), if any.
    pub fill: Option<f32>,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// Left of the text.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Point size.
    pub size: f64,
    /// Bold face.
    pub bold: bool,
    /// The characters.
    pub text: String,
    /// The box the text must stay inside (its cell, or the page area).
    pub within: BoxPt,
    /// Width of the text in points.
    pub width: f64,
}

impl TextLine {
    /// The ink box of the line (ascent 0.88 em, descent 0.12 em).
    pub fn bounds(&self) -> BoxPt {
        BoxPt {
            x: self.x,
            y: self.y - 0.12 * self.size,
            w: self.width,
            h: self.size,
        }
    }
}

/// One page of the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageModel {
    /// Frames, drawn first.
    pub frames: Vec<Frame>,
    /// Text lines in reading order.
    pub texts: Vec<TextLine>,
}

/// The whole document model.
#[derive(Debug, Clone, PartialEq)]
pub struct DocModel {
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
    /// Lowest y any table content may reach (above the footer).
    pub footer_limit: f64,
    /// Pages.
    pub pages: Vec<PageModel>,
}

/// Sizes of the handout, derived from the template's font size.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f64,
    line: f64,
    pad: f64,
    /// Margins in points: top, bottom, left, right.
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
}

impl Style {
    fn new(template: &Template) -> Style {
        let size = template.font_size;
        let pt = |mm: f64| mm * 72.0 / 25.4;
        let m = template.margins;
        Style {
            size,
            line: (size * 1.45).round_to(0.25),
            pad: (size * 0.45).max(3.0),
            top: pt(m.top),
            bottom: pt(m.bottom),
            left: pt(m.left),
            right: pt(m.right),
        }
    }
}

trait RoundTo {
    fn round_to(self, step: f64) -> f64;
}

impl RoundTo for f64 {
    fn round_to(self, step: f64) -> f64 {
        (self / step).round() * step
    }
}

/// Measures for the two faces.
pub struct Measures<'a> {
    /// Regular face at 1 pt.
    pub regular: &'a dyn Fn(char) -> f64,
    /// Bold face at 1 pt.
    pub bold: &'a dyn Fn(char) -> f64,
}

struct Scaled<'a> {
    f: &'a dyn Fn(char) -> f64,
    size: f64,
}

impl Measure for Scaled<'_> {
    fn advance(&self, c: char) -> f64 {
        (self.f)(c) * self.size
    }
}

/// The lines of one item: bullet on the first, hanging indent after.
type ItemLines = Vec<String>;

struct Builder<'a> {
    style: Style,
    m: &'a Measures<'a>,
    cols: Vec<(f64, f64)>,
    header_labels: Vec<String>,
    pages: Vec<PageModel>,
    /// Width reserved before item text: the bullet, and the 新 mark when
    /// months are compared.
    indent: f64,
    /// The page the helpers draw on.
    cur: usize,
    y: f64,
    table_top: f64,
    footer_limit: f64,
}

impl<'a> Builder<'a> {
    fn regular(&self, size: f64) -> Scaled<'a> {
        Scaled {
            f: self.m.regular,
            size,
        }
    }

    fn bold(&self, size: f64) -> Scaled<'a> {
        Scaled {
            f: self.m.bold,
            size,
        }
    }

    fn text(&mut self, x: f64, y: f64, size: f64, bold: bool, text: &str, within: BoxPt) {
        let width = if bold {
            self.bold(size).width(text)
        } else {
            self.regular(size).width(text)
        };
        self.pages[self.cur].texts.push(TextLine {
            x,
            y,
            size,
            bold,
            text: text.to_string(),
            within,
            width,
        });
    }

    fn frame(&mut self, rect: BoxPt, fill: Option<f32>) {
        self.pages[self.cur].frames.push(Frame { rect, fill });
    }

    /// Centered, wrapped lines of a label cell.
    fn label_lines(&self, text: &str, width: f64, bold: bool) -> Vec<String> {
        let inner = width - 2.0 * self.style.pad;
        text.split('\n')
            .flat_map(|part| {
                if bold {
                    break_lines(part, inner, &self.bold(self.style.size))
                } else {
                    break_lines(part, inner, &self.regular(self.style.size))
                }
            })
            .collect()
    }

    fn header_height(&self) -> f64 {
        let lines = self
            .cols
            .iter()
            .zip(&self.header_labels)
            .map(|((_, w), l)| self.label_lines(l, *w, true).len())
            .max()
            .unwrap_or(1);
        lines as f64 * self.style.line + 2.0 * self.style.pad
    }

    fn new_page(&mut self) {
        self.pages.push(PageModel::default());
        self.cur = self.pages.len() - 1;
        let h = self.header_height();
        let top = self.table_top;
        for i in 0..self.cols.len() {
            let (x, w) = self.cols[i];
            let rect = BoxPt {
                x,
                y: top - h,
                w,
                h,
            };
            self.frame(rect, Some(0.85));
            let label = self.header_labels[i].clone();
            let lines = self.label_lines(&label, w, true);
            let block = lines.len() as f64 * self.style.line;
            let mut base = top - (h - block) / 2.0 - self.style.line
                + (self.style.line - self.style.size) / 2.0
                + 0.12 * self.style.size;
            for l in lines {
                let lw = self.bold(self.style.size).width(&l);
                self.text(
                    x + (w - lw) / 2.0,
                    base + 0.0,
                    self.style.size,
                    true,
                    &l,
                    rect,
                );
                base -= self.style.line;
            }
        }
        self.y = top - h;
    }

    fn body_capacity_lines(&self, space: f64) -> usize {
        ((space - 2.0 * self.style.pad) / self.style.line)
            .floor()
            .max(0.0) as usize
    }

    /// Places one part of a 分野 row of `lines` lines at the cursor.
    fn place_row(&mut self, label: &str, parts: &[Vec<ItemLines>], lines: usize) {
        let s = self.style;
        let label_lines = self.label_lines(label, self.cols[0].1, true);
        let rows = lines.max(label_lines.len());
        let h = rows as f64 * s.line + 2.0 * s.pad;
        let top = self.y;
        let first_base = |top: f64| top - s.pad - s.line + (s.line - s.size) / 2.0 + 0.12 * s.size;
        // 分野 cell.
        let (x0, w0) = self.cols[0];
        let rect = BoxPt {
            x: x0,
            y: top - h,
            w: w0,
            h,
        };
        self.frame(rect, Some(0.95));
        let mut base = first_base(top);
        for l in label_lines {
            let lw = self.bold(s.size).width(&l);
            self.text(x0 + (w0 - lw) / 2.0, base, s.size, true, &l, rect);
            base -= s.line;
        }
        // Item cells.
        let bullet_w = self.regular(s.size).width(BULLET);
        let indent = self.indent;
        for (i, items) in parts.iter().enumerate() {
            let (x, w) = self.cols[i + 1];
            let rect = BoxPt {
                x,
                y: top - h,
                w,
                h,
            };
            self.frame(rect, None);
            let mut base = first_base(top);
            for item in items {
                for (k, line) in item.iter().enumerate() {
                    // The first line of an item: optional 新 mark, then the bullet.
                    let (is_new, rest) = match line.strip_prefix(NEW_MARK) {
                        Some(r) if k == 0 && r.starts_with(BULLET) => (true, r),
                        _ => (false, line.as_str()),
                    };
                    let text = match rest.strip_prefix(BULLET) {
                        Some(r) if k == 0 => {
                            if is_new {
                                self.text(x + s.pad, base, s.size, true, NEW_MARK, rect);
                            }
                            let bx = x + s.pad + indent - bullet_w;
                            self.text(bx, base, s.size, false, BULLET, rect);
                            r
                        }
                        _ => line.as_str(),
                    };
                    self.text(x + s.pad + indent, base, s.size, false, text, rect);
                    base -= s.line;
                }
            }
        }
        self.y = top - h;
    }
}

/// Lays out the matrix on pages (no font needed: `m` gives advances in em).
pub fn paginate(matrix: &Matrix, template: &Template, date: Date, m: &Measures) -> DocModel {
    let style = Style::new(template);
    let (width, height) = template.paper.size_pt();
    let table_w = width - style.left - style.right;
    let ratios: Vec<f64> = std::iter::once(template.field_width)
        .chain(template.columns.iter().map(|c| c.width))
        .collect();
    let sum: f64 = ratios.iter().sum();
    let mut x = style.left;
    let cols = ratios
        .iter()
        .map(|r| {
            let w = r / sum * table_w;
            let c = (x, w);
            x += w;
            c
        })
        .collect();
    let header_labels = std::iter::once(matrix.field_label.clone())
        .chain(matrix.columns.iter().map(|c| c.label.clone()))
        .collect();
    let title_size = (style.size * 1.8).max(14.0);
    let table_top = height - style.top - title_size * 2.2;
    let mut b = Builder {
        style,
        m,
        cols,
        header_labels,
        pages: Vec::new(),
        indent: 0.0,
        cur: 0,
        y: 0.0,
        table_top,
        footer_limit: style.bottom + style.size * 2.0,
    };
    b.new_page();

    // Item lines per column, laid out once.
    let compare = matrix.removed.is_some();
    b.indent = b.regular(style.size).width(BULLET)
        + if compare {
            b.bold(style.size).width(NEW_MARK)
        } else {
            0.0
        };
    let bullet_w = b.indent;
    let inner: Vec<f64> = b
        .cols
        .iter()
        .skip(1)
        .map(|(_, w)| w - 2.0 * style.pad - bullet_w)
        .collect();
    let full_capacity = b
        .body_capacity_lines(b.table_top - b.header_height() - b.footer_limit)
        .max(1);

    for field in matrix
        .fields
        .iter()
        .filter(|f| f.cells.iter().any(|c| !c.is_empty()))
    {
        let mut queues: Vec<std::collections::VecDeque<ItemLines>> = field
            .cells
            .iter()
            .enumerate()
            .map(|(i, items)| {
                items
                    .iter()
                    .map(|it| {
                        let mut lines =
                            break_lines(&item_line(it), inner[i], &b.regular(style.size));
                        let mark = if it.status == Some(ItemStatus::New) {
                            NEW_MARK
                        } else {
                            ""
                        };
                        lines[0] = format!("{mark}{BULLET}{}", lines[0]);
                        lines
                    })
                    .collect()
            })
            .collect();
        let mut first = true;
        loop {
            let remaining: usize = queues
                .iter()
                .map(|q| q.iter().map(Vec::len).sum::<usize>())
                .max()
                .unwrap_or(0);
            let label = if first {
                field.name.clone()
            } else {
                format!("{}\n{CONTINUED}", field.name)
            };
            let fresh = b
                .pages
                .last()
                .is_some_and(|p| p.frames.len() == b.cols.len());
            let space = b.y - b.footer_limit;
            // A page always takes at least one line, even with a template whose
            // header leaves no room, so that pagination always ends.
            let capacity = b.body_capacity_lines(space).max(usize::from(fresh));
            if remaining <= capacity {
                let parts: Vec<Vec<ItemLines>> =
                    queues.iter_mut().map(|q| q.drain(..).collect()).collect();
                b.place_row(&label, &parts, remaining.max(1));
                break;
            }
            // Move a row that fits on a fresh page rather than split it
            // when little of it would fit here.
            if !fresh && (capacity < 3 || (remaining <= full_capacity && capacity * 2 < remaining))
            {
                b.new_page();
                continue;
            }
            // Split at item boundaries; an item taller than a page splits at a line.
            let mut parts = Vec::new();
            let mut used_max = 0;
            for q in queues.iter_mut() {
                let mut taken: Vec<ItemLines> = Vec::new();
                let mut used = 0;
                while let Some(item) = q.front_mut() {
                    if used + item.len() <= capacity {
                        used += item.len();
                        taken.push(q.pop_front().expect("front exists"));
                    } else if capacity > used
                        && (item.len() > full_capacity || (fresh && used == 0))
                    {
                        let rest = item.split_off(capacity - used);
                        used = capacity;
                        taken.push(std::mem::replace(item, rest));
                        break;
                    } else {
                        break;
                    }
                }
                used_max = used_max.max(used);
                parts.push(taken);
            }
            if used_max == 0 {
                b.new_page();
                continue;
            }
            b.place_row(&label, &parts, used_max);
            first = false;
            b.new_page();
        }
    }

    // Title, 資料番号, date and page numbers on every page.
    let n = b.pages.len();
    let page_box = BoxPt {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
    };
    let title_base = height - style.top - title_size;
    let number_size = (style.size * 1.4).max(11.0);
    let date_text = date.wareki_month();
    for i in 0..n {
        b.cur = i;
        let tw = b.bold(title_size).width(&matrix.title);
        b.text(
            (width - tw) / 2.0,
            title_base,
            title_size,
            true,
            &matrix.title,
            page_box,
        );
        if !matrix.document_number.is_empty() {
            let nw = b.bold(number_size).width(&matrix.document_number);
            let pad = number_size * 0.4;
            let bx = BoxPt {
                x: width - style.right - nw - 2.0 * pad,
                y: title_base - pad - 0.12 * number_size,
                w: nw + 2.0 * pad,
                h: number_size + 2.0 * pad,
            };
            b.frame(bx, None);
            b.text(
                bx.x + pad,
                title_base,
                number_size,
                true,
                &matrix.document_number,
                bx,
            );
        }
        b.text(
            style.left, title_base, style.size, false, &date_text, page_box,
        );
        if compare {
            let y = title_base - style.line;
            b.text(style.left, y, style.size, false, NEW_LEGEND, page_box);
        }
        let footer = format!("- {} / {} -", i + 1, n);
        let fw = b.regular(style.size).width(&footer);
        b.text(
            (width - fw) / 2.0,
            style.bottom,
            style.size,
            false,
            &footer,
            page_box,
        );
    }
    DocModel {
        width,
        height,
        footer_limit: b.footer_limit,
        pages: b.pages,
    }
}

/// A character the font cannot draw, with where it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingGlyph {
    /// The character.
    pub ch: char,
    /// Where: 分野／区分 and the item's first source.
    pub place: String,
}

/// Every character of the matrix the regular font lacks.
pub fn missing_glyphs(matrix: &Matrix, has: &dyn Fn(char) -> bool) -> Vec<MissingGlyph> {
    let mut out: Vec<MissingGlyph> = Vec::new();
    for f in &matrix.fields {
        for (col, items) in matrix.columns.iter().zip(&f.cells) {
            for it in items {
                for ch in item_line(it).chars().filter(|c| !has(*c)) {
                    let src = it.sources.first();
                    let place = format!(
                        "{}／{}: {}（{}）",
                        f.name,
                        col.key.short_label(),
                        src.map(|s| match &s.sheet {
                            Some(sh) => format!("{}!{}!{}", s.file, sh, s.cell),
                            None => format!("{}!{}", s.file, s.cell),
                        })
                        .unwrap_or_default(),
                        it.text.chars().take(20).collect::<String>()
                    );
                    if !out.iter().any(|m| m.ch == ch && m.place == place) {
                        out.push(MissingGlyph { ch, place });
                    }
                }
            }
        }
    }
    out
}

/// Draws the model with printpdf: fonts embedded as subsets, a fixed
/// document ID and dates so the same input gives the same bytes.
pub fn render(
    model: DocModel,
    fonts: &FontPair,
    title: &str,
    date: Date,
) -> Result<Vec<u8>, String> {
    use printpdf::{
        Codepoint, Color, Greyscale, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
        PdfPage, PdfSaveOptions, Pt, Rect, TextItem, TextMatrix,
    };

    let mut doc = PdfDocument::new(title);
    let mut font_warnings = Vec::new();
    let parse = |f: &crate::fonts::Font, w: &mut Vec<_>| {
        ParsedFont::from_bytes(&f.bytes, f.spec.index as usize, w).ok_or_else(|| {
            format!(
                "フォント {} を PDF に埋め込めません。",
                f.spec.path.display()
            )
        })
    };
    let regular = doc.add_font(&parse(&fonts.regular, &mut font_warnings)?);
    let bold = match &fonts.bold {
        Some(b) => doc.add_font(&parse(b, &mut font_warnings)?),
        None => regular.clone(),
    };
    let grey = |p: f32| {
        Color::Greyscale(Greyscale {
            percent: p,
            icc_profile: None,
        })
    };

    let mut pages: Vec<PdfPage> = Vec::new();
    // Font ids by the index of FontPair::index_for, and the glyphs each drew.
    let mut ids = vec![regular.clone(), bold.clone()];
    for f in &fonts.fallbacks {
        ids.push(doc.add_font(&parse(f, &mut font_warnings)?));
    }
    let mut used: Vec<std::collections::BTreeMap<u16, char>> = vec![Default::default(); ids.len()];
    // The document ID hashes the text, so take it before the pages are used up.
    let id = document_id(&model, title, date);
    let (width, height) = (model.width, model.height);
    for page in model.pages {
        let mut ops = vec![
            Op::SaveGraphicsState,
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::SetOutlineColor { col: grey(0.0) },
        ];
        for f in &page.frames {
            let r = f.rect;
            ops.push(Op::SetFillColor {
                col: grey(f.fill.unwrap_or(1.0)),
            });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(r.x as f32),
                    y: Pt(r.y as f32),
                    width: Pt(r.w as f32),
                    height: Pt(r.h as f32),
                    mode: Some(if f.fill.is_some() {
                        PaintMode::FillStroke
                    } else {
                        PaintMode::Stroke
                    }),
                    winding_order: None,
                },
            });
        }
        ops.push(Op::SetFillColor { col: grey(0.0) });
        ops.push(Op::StartTextSection);
        let mut current: Option<(usize, u64)> = None;
        for t in &page.texts {
            // Runs of characters drawn by the same font (a fallback font
            // draws what the main one lacks), each placed at its own x.
            let mut x = t.x;
            let chars: Vec<char> = t.text.chars().filter(|c| !c.is_control()).collect();
            let mut start = 0;
            while start < chars.len() {
                let k = fonts.index_for(chars[start], t.bold);
                let end = (start..chars.len())
                    .find(|&i| fonts.index_for(chars[i], t.bold) != k)
                    .unwrap_or(chars.len());
                let key = (k, t.size.to_bits());
                if current != Some(key) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(ids[k].clone()),
                        size: Pt(t.size as f32),
                    });
                    current = Some(key);
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(x as f32), Pt(t.y as f32)),
                });
                // Glyph ids from our own (cached) lookup: printpdf's
                // per-character cmap search dominated the run time. The
                // characters for the ToUnicode map are registered once per
                // glyph at the end.
                let font = fonts.font(k);
                let glyphs = chars[start..end]
                    .iter()
                    .map(|&c| {
                        let (gid, advance) = font.glyph(c).unwrap_or((0, 1.0));
                        used[k].entry(gid).or_insert(c);
                        x += advance * t.size;
                        Codepoint {
                            gid,
                            offset: 0.0,
                            cid: None,
                        }
                    })
                    .collect();
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(glyphs)],
                });
                start = end;
            }
        }
        ops.push(Op::EndTextSection);
        ops.push(Op::RestoreGraphicsState);
        let mut p = PdfPage::new(Mm(0.0), Mm(0.0), ops);
        // Set the boxes in points directly: a round trip through mm loses the
        // last digit of A3's 841.89 pt.
        let media = Rect::from_wh(Pt(width as f32), Pt(height as f32));
        p.media_box = media.clone();
        p.trim_box = media.clone();
        p.crop_box = media;
        pages.push(p);
    }
    // printpdf records a glyph's character from the last time it is shown:
    // show every glyph once more, with its character, invisibly and off the
    // page, after all other text. Carrying the character on each of millions
    // of glyphs instead costs gigabytes on a 100,000-item month.
    if let Some(last) = pages.last_mut() {
        let mut ops = vec![
            Op::StartTextSection,
            Op::SetTextRenderingMode {
                mode: printpdf::TextRenderingMode::Invisible,
            },
        ];
        for (font_id, used) in ids.iter().zip(&used) {
            if used.is_empty() {
                continue;
            }
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id.clone()),
                size: Pt(1.0),
            });
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(-2000.0), Pt(-2000.0)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(
                    used.iter()
                        .map(|(gid, c)| Codepoint {
                            gid: *gid,
                            offset: 0.0,
                            cid: Some(c.to_string()),
                        })
                        .collect(),
                )],
            });
        }
        ops.push(Op::EndTextSection);
        last.ops.extend(ops);
    }
    doc.with_pages(pages);
    let stamp = printpdf::OffsetDateTime::from_unix_timestamp(date.unix_seconds())
        .map_err(|e| e.to_string())?;
    doc.metadata.info.creation_date = stamp;
    doc.metadata.info.modification_date = stamp;
    doc.metadata.info.metadata_date = stamp;
    doc.metadata.info.creator = "shiryo".into();
    doc.metadata.info.producer = "shiryo".into();
    doc.metadata.info.subject = date.wareki_month();

    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    japan_dates(&mut lo, date);
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| format!("PDF を書き出せません（{e}）。"))?;
    Ok(bytes)
}

/// The document's dates as midnight in Japan, with the +09'00' offset that
/// printpdf does not write (it writes every date as UTC).
fn japan_dates(doc: &mut lopdf::Document, date: Date) {
    let stamp = format!(
        "D:{:04}{:02}{:02}000000+09'00'",
        date.year, date.month, date.day
    );
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| o.as_reference().ok());
    if let Some(id) = info
        && let Ok(lopdf::Object::Dictionary(d)) = doc.get_object_mut(id)
    {
        for key in [&b"CreationDate"[..], b"ModDate"] {
            d.set(
                key,
                lopdf::Object::String(stamp.clone().into_bytes(), lopdf::StringFormat::Literal),
            );
        }
    }
}

/// Deflates every stream in parallel at the default level (lopdf's own
/// `compress` uses the slowest level, for a few percent of size).
fn compress_streams(doc: &mut lopdf::Document) {
    use rayon::prelude::*;
    use std::io::Write;
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    streams.par_iter_mut().for_each(|s| {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        if enc.write_all(&s.content).is_ok()
            && let Ok(packed) = enc.finish()
            && packed.len() + 19 < s.content.len()
        {
            s.dict.set("Filter", "FlateDecode");
            s.set_content(packed);
        }
    });
}

/// A stable 16-byte document ID from the content (FNV-1a, two seeds).
fn document_id(model: &DocModel, title: &str, date: Date) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    for seed in [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142] {
        let mut h = seed;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(title.as_bytes());
        eat(date.to_string().as_bytes());
        for p in &model.pages {
            for t in &p.texts {
                eat(t.text.as_bytes());
            }
        }
        out.extend_from_slice(&h.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{FieldRow, Item, Source};
    use crate::template::ColumnKey;

    fn em(c: char) -> f64 {
        use unicode_width::UnicodeWidthChar;
        if c.width() == Some(2) { 1.0 } else { 0.55 }
    }

    fn matrix_with(items: usize, template: &Template) -> Matrix {
        let ing = crate::ingest::Ingested {
            meeting_number: Some(2),
            ..Default::default()
        };
        let mut m = crate::matrix::build(ing, template);
        let item = |i: usize| Item {
            text: format!(
                "項目{i}：庁内の会議資料をペーパーレス化し、タブレット端末で閲覧できるようにする。"
            ),
            examples: i
                .is_multiple_of(3)
                .then(|| "宗像市、明石市など".to_string()),
            sources: vec![Source {
                department: "総務課".into(),
                file: "総務課.xlsx".into(),
                sheet: Some("提出".into()),
                cell: format!("C{}", i + 2),
            }],
            status: None,
        };
        m.fields[1] = FieldRow {
            name: "DX推進".into(),
            cells: [vec![], (0..items).map(item).collect(), vec![], vec![]],
        };
        m.fields[2].cells[ColumnKey::Ongoing.index()] = vec![item(9999)];
        m
    }

    fn model(items: usize) -> DocModel {
        let t = Template::default();
        let m = matrix_with(items, &t);
        let measures = Measures {
            regular: &em,
            bold: &em,
        };
        paginate(&m, &t, Date::parse("2026-11-24").unwrap(), &measures)
    }

    #[test]
    fn three_hundred_items_paginate_with_headers_and_continuation() {
        let doc = model(300);
        assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
        for (i, page) in doc.pages.iter().enumerate() {
            let texts: Vec<&str> = page.texts.iter().map(|t| t.text.as_str()).collect();
            assert!(texts.contains(&"分野"), "page {i} lacks the header row");
            assert!(texts.contains(&"第2回審議会での主な意見"), "page {i}");
            assert!(texts.contains(&format!("- {} / {} -", i + 1, doc.pages.len()).as_str()));
            if i > 0 && i + 1 < doc.pages.len() {
                assert!(
                    texts.contains(&CONTINUED),
                    "page {i} lacks 「（続き）」: {texts:?}"
                );
            }
            for t in &page.texts {
                assert!(
                    t.within.contains(&t.bounds()),
                    "page {i}: {:?} outside its box {:?}",
                    t.text,
                    t.within
                );
                let is_footer = t.text.starts_with("- ");
                if !is_footer {
                    assert!(
                        t.bounds().y >= doc.footer_limit - 0.01,
                        "page {i}: {:?} below the footer line",
                        t.text
                    );
                }
            }
            for f in &page.frames {
                assert!(
                    f.rect.y >= doc.footer_limit - 0.01,
                    "page {i}: a cell reaches into the footer"
                );
            }
        }
        // Every item appears once, in order.
        let all: String = doc
            .pages
            .iter()
            .flat_map(|p| p.texts.iter().map(|t| t.text.as_str()))
            .collect();
        let mut pos = 0;
        for i in 0..300 {
            let needle = format!("項目{i}：");
            let found = all[pos..]
                .find(&needle)
                .unwrap_or_else(|| panic!("item {i} missing or out of order"));
            pos += found;
        }
    }

    #[test]
    fn pagination_ends_even_when_the_header_leaves_no_room() {
        let t = Template {
            font_size: 30.0,
            paper: crate::template::Paper {
                size: crate::template::PaperSize::A4,
                landscape: true,
            },
            ..Template::default()
        };
        let m = matrix_with(40, &t);
        let measures = Measures {
            regular: &em,
            bold: &em,
        };
        let doc = paginate(&m, &t, Date::parse("2026-11-24").unwrap(), &measures);
        assert!(!doc.pages.is_empty());
        let all: String = doc
            .pages
            .iter()
            .flat_map(|p| p.texts.iter().map(|t| t.text.as_str()))
            .collect();
        assert!(all.contains("項目39"));
    }

    #[test]
    fn a_small_matrix_is_one_a3_landscape_page() {
        let doc = model(5);
        assert_eq!(doc.pages.len(), 1);
        assert_eq!((doc.width, doc.height), (1190.55, 841.89));
        let texts: Vec<&str> = doc.pages[0].texts.iter().map(|t| t.text.as_str()).collect();
        for needle in [
            "各分野における現状と課題及び想定される解決策",
            "資料２",
            "令和8年11月",
            "- 1 / 1 -",
            "DX推進",
            "財務",
        ] {
            assert!(texts.contains(&needle), "{needle} missing: {texts:?}");
        }
        assert!(!texts.iter().any(|t| t.contains(CONTINUED)));
    }

    #[test]
    fn hanging_indent_aligns_wrapped_lines_after_the_bullet() {
        let doc = model(1);
        let p = &doc.pages[0];
        let bullet = p.texts.iter().find(|t| t.text == BULLET).unwrap();
        let first = p
            .texts
            .iter()
            .find(|t| t.text.starts_with("項目0"))
            .unwrap();
        let second = p
            .texts
            .iter()
            .find(|t| t.y < first.y && t.within == first.within && t.text != BULLET)
            .unwrap();
        assert!(first.x > bullet.x);
        assert_eq!(first.x, second.x, "wrapped line aligns after the bullet");
    }
}
