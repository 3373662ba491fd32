//! Laying the matrix out on pages, in three phases (as typst's page layout
//! does): **collect** the lines of every item of every 分野 row, **run** the
//! rows down the pages (a row that does not fit is split at item
//! boundaries and continues under 「（続き）」 on the next page), then
//! **finalize** every page with its title, 資料番号, date and page number.
//! No font is needed: [`Measures`] gives advances in em. [`Layout`] keeps
//! the collected lines and runs the other two phases as often as asked,
//! handing each page on as it is finished.

use super::model::{BoxPt, DocModel, Frame, ItemRef, PageModel, Role, TableShape, TextLine};
use crate::handout::{Handout, HandoutRow};
use rayon::prelude::*;

use crate::layout::{Measure, break_lines};
use crate::template::Template;
use crate::vocab::{BULLET, CONTINUED, NEW_MARK};

/// Measures for the two faces.
pub struct Measures<'a> {
    /// Regular face at 1 pt.
    pub regular: &'a (dyn Fn(char) -> f64 + Sync),
    /// Bold face at 1 pt.
    pub bold: &'a (dyn Fn(char) -> f64 + Sync),
}

struct Scaled<'a> {
    f: &'a (dyn Fn(char) -> f64 + Sync),
    size: f64,
}

impl Measure for Scaled<'_> {
    fn advance(&self, c: char) -> f64 {
        (self.f)(c) * self.size
    }
}

/// Sizes of the handout, derived from the template's font size.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f64,
    line: f64,
    pad: f64,
    /// Margins in points.
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
        let round_to = |v: f64, step: f64| (v / step).round() * step;
        Style {
            size,
            line: round_to(size * 1.45, 0.25),
            pad: (size * 0.45).max(3.0),
            top: pt(m.top),
            bottom: pt(m.bottom),
            left: pt(m.left),
            right: pt(m.right),
        }
    }
}

/// The lines of one item, or of the part of it that fits on a page: the
/// first part gets the bullet (and the 新 mark), every line the hanging
/// indent.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLines {
    /// This part starts the item: the bullet is drawn before its first line.
    pub starts: bool,
    /// The item is new since last month: 新 before the bullet.
    pub new: bool,
    /// The broken lines.
    pub lines: Vec<String>,
    /// Which item of the handout this is.
    pub at: ItemRef,
}

impl ItemLines {
    /// The first `n` lines; `self` keeps the rest, which continues the item.
    fn take_lines(&mut self, n: usize) -> ItemLines {
        let rest = self.lines.split_off(n);
        let head = ItemLines {
            starts: self.starts,
            new: self.new,
            lines: std::mem::replace(&mut self.lines, rest),
            at: self.at,
        };
        self.starts = false;
        self.new = false;
        head
    }
}

/// A 分野 row as collected: its name and the item lines of each column.
#[derive(Clone)]
struct RowLines {
    index: usize,
    name: String,
    columns: Vec<std::collections::VecDeque<ItemLines>>,
}

impl RowLines {
    fn remaining(&self) -> usize {
        self.columns
            .iter()
            .map(|q| q.iter().map(|i| i.lines.len()).sum::<usize>())
            .max()
            .unwrap_or(0)
    }
}

/// The page being built, where the next row goes, and where finished
/// pages go.
struct Builder<'a, 'o> {
    style: Style,
    m: &'a Measures<'a>,
    cols: Vec<(f64, f64)>,
    header_labels: Vec<String>,
    /// The page the helpers draw on.
    page: PageModel,
    /// Its index; pages begun so far.
    cur: usize,
    begun: usize,
    /// The page count when known: page numbers are drawn with it.
    total: Option<usize>,
    furniture: Furniture,
    /// Where each finished page goes.
    out: &'o mut dyn FnMut(PageModel),
    /// The header row and the page furniture as on the first page, laid
    /// out once; later pages get copies marked as artifacts.
    header: PageModel,
    header_h: f64,
    furniture_block: PageModel,
    /// Width reserved before item text: the bullet, and the 新 mark when
    /// months are compared.
    indent: f64,
    y: f64,
    table_top: f64,
    footer_limit: f64,
    title_size: f64,
}

impl<'a, 'o> Builder<'a, 'o> {
    fn new(
        handout: &Handout,
        template: &Template,
        m: &'a Measures<'a>,
        total: Option<usize>,
        out: &'o mut dyn FnMut(PageModel),
    ) -> Builder<'a, 'o> {
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
        let title_size = (style.size * 1.8).max(14.0);
        let mut b = Builder {
            style,
            m,
            cols,
            header_labels: std::iter::once(handout.field_label.clone())
                .chain(handout.columns.iter().map(|c| c.label.clone()))
                .collect(),
            page: PageModel::default(),
            cur: 0,
            begun: 0,
            total,
            furniture: Furniture {
                title: handout.title.clone(),
                date: handout.date.clone(),
                document_number: handout.document_number.clone(),
                legend: handout.legend,
                width,
                height,
            },
            out,
            header: PageModel::default(),
            header_h: 0.0,
            furniture_block: PageModel::default(),
            indent: 0.0,
            y: 0.0,
            table_top: height - style.top - title_size * 2.2,
            footer_limit: style.bottom + style.size * 2.0,
            title_size,
        };
        b.indent = b.regular(style.size).width(BULLET)
            + if handout.compares() {
                b.bold(style.size).width(NEW_MARK)
            } else {
                0.0
            };
        b.header_h = b.measure_header_height();
        b.draw_header_row();
        b.header = std::mem::take(&mut b.page);
        b.draw_furniture();
        b.furniture_block = std::mem::take(&mut b.page);
        b
    }

    /// Copies a block laid out for the first page onto the current page;
    /// on later pages everything in it is an artifact.
    fn stamp(&mut self, block: &PageModel, first: bool) {
        self.page.frames.extend(block.frames.iter().cloned());
        self.page.texts.extend(block.texts.iter().map(|t| TextLine {
            role: if first { t.role } else { Role::Artifact },
            ..t.clone()
        }));
    }

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

    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        bold: bool,
        text: &str,
        within: BoxPt,
        role: Role,
    ) {
        let width = if bold {
            self.bold(size).width(text)
        } else {
            self.regular(size).width(text)
        };
        self.page.texts.push(TextLine {
            x,
            y,
            size,
            bold,
            text: text.to_string(),
            within,
            width,
            role,
        });
    }

    fn frame(&mut self, rect: BoxPt, fill: Option<f32>) {
        self.page.frames.push(Frame { rect, fill });
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
        self.header_h
    }

    fn measure_header_height(&self) -> f64 {
        let lines = self
            .cols
            .iter()
            .zip(&self.header_labels)
            .map(|((_, w), l)| self.label_lines(l, *w, true).len())
            .max()
            .unwrap_or(1);
        lines as f64 * self.style.line + 2.0 * self.style.pad
    }

    /// Baseline of the first text line in a box whose top is `top`.
    fn first_baseline(&self, top: f64) -> f64 {
        let s = self.style;
        top - s.pad - s.line + (s.line - s.size) / 2.0 + 0.12 * s.size
    }

    /// A new page with the header row (tagged on the first page, an
    /// artifact where it repeats).
    fn new_page(&mut self) {
        if self.begun > 0 {
            self.finish_page();
        }
        self.cur = self.begun;
        self.begun += 1;
        let header = std::mem::take(&mut self.header);
        self.stamp(&header, self.cur == 0);
        self.header = header;
        self.y = self.table_top - self.header_h;
    }

    /// The header row as on the first page (its labels tagged as column
    /// headers).
    fn draw_header_row(&mut self) {
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
                    base,
                    self.style.size,
                    true,
                    &l,
                    rect,
                    Role::ColumnHeader(i),
                );
                base -= self.style.line;
            }
        }
    }

    fn body_capacity_lines(&self, space: f64) -> usize {
        ((space - 2.0 * self.style.pad) / self.style.line)
            .floor()
            .max(0.0) as usize
    }

    /// True when the current page holds only its header row.
    fn page_is_fresh(&self) -> bool {
        self.begun > 0 && self.page.frames.len() == self.cols.len()
    }

    /// Places one part of a 分野 row of `lines` lines at the cursor; the
    /// label of a continued part is an artifact.
    fn place_row(&mut self, label: &str, head: Role, parts: &[Vec<ItemLines>], lines: usize) {
        let s = self.style;
        let label_lines = self.label_lines(label, self.cols[0].1, true);
        let rows = lines.max(label_lines.len());
        let h = rows as f64 * s.line + 2.0 * s.pad;
        let top = self.y;
        // 分野 cell.
        let (x0, w0) = self.cols[0];
        let rect = BoxPt {
            x: x0,
            y: top - h,
            w: w0,
            h,
        };
        self.frame(rect, Some(0.95));
        let mut base = self.first_baseline(top);
        for l in label_lines {
            let lw = self.bold(s.size).width(&l);
            self.text(x0 + (w0 - lw) / 2.0, base, s.size, true, &l, rect, head);
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
            let mut base = self.first_baseline(top);
            for item in items {
                let body = Role::Body(item.at);
                if item.starts {
                    if item.new {
                        self.text(x + s.pad, base, s.size, true, NEW_MARK, rect, body);
                    }
                    let bx = x + s.pad + indent - bullet_w;
                    let bullet = Role::Bullet(item.at);
                    self.text(bx, base, s.size, false, BULLET, rect, bullet);
                }
                for line in &item.lines {
                    self.text(x + s.pad + indent, base, s.size, false, line, rect, body);
                    base -= s.line;
                }
            }
        }
        self.y = top - h;
    }

    /// Runs one 分野 row down the pages.
    fn run_row(&mut self, mut row: RowLines, full_capacity: usize) {
        let mut first = true;
        loop {
            let remaining = row.remaining();
            let (label, head) = if first {
                (row.name.clone(), Role::RowHeader(row.index))
            } else {
                (format!("{}\n{CONTINUED}", row.name), Role::Artifact)
            };
            let fresh = self.page_is_fresh();
            let space = self.y - self.footer_limit;
            // A page always takes at least one line, even with a template whose
            // header leaves no room, so that pagination always ends.
            let capacity = self.body_capacity_lines(space).max(usize::from(fresh));
            if remaining <= capacity {
                let parts: Vec<Vec<ItemLines>> = row
                    .columns
                    .iter_mut()
                    .map(|q| q.drain(..).collect())
                    .collect();
                self.place_row(&label, head, &parts, remaining.max(1));
                return;
            }
            // Move a row that fits on a fresh page rather than split it
            // when little of it would fit here.
            if !fresh && (capacity < 3 || (remaining <= full_capacity && capacity * 2 < remaining))
            {
                self.new_page();
                continue;
            }
            // Split at item boundaries; an item taller than a page splits at a line.
            let mut parts = Vec::new();
            let mut used_max = 0;
            for q in &mut row.columns {
                let mut taken: Vec<ItemLines> = Vec::new();
                let mut used = 0;
                while let Some(item) = q.front_mut() {
                    let n = item.lines.len();
                    if used + n <= capacity {
                        used += n;
                        taken.push(q.pop_front().expect("front exists"));
                    } else if capacity > used && (n > full_capacity || (fresh && used == 0)) {
                        taken.push(item.take_lines(capacity - used));
                        used = capacity;
                        break;
                    } else {
                        break;
                    }
                }
                used_max = used_max.max(used);
                parts.push(taken);
            }
            if used_max == 0 {
                self.new_page();
                continue;
            }
            self.place_row(&label, head, &parts, used_max);
            first = false;
            self.new_page();
        }
    }
}

/// Phase 1: the item lines of every 分野 row with items, broken to the
/// width of their column.
fn collect(handout: &Handout, b: &Builder) -> Vec<RowLines> {
    let size = b.style.size;
    let inner: Vec<f64> = b
        .cols
        .iter()
        .skip(1)
        .map(|(_, w)| w - 2.0 * b.style.pad - b.indent)
        .collect();
    let measure = b.regular(size);
    let row = |(r, field): (usize, &HandoutRow)| RowLines {
        index: r,
        name: field.name.clone(),
        columns: field
            .cells
            .iter()
            .enumerate()
            .map(|(col, items)| {
                // Items are broken on every core, then taken in order.
                items
                    .par_iter()
                    .enumerate()
                    .map(|(item, it)| ItemLines {
                        starts: true,
                        new: it.new,
                        lines: break_lines(&it.line(), inner[col], &measure),
                        at: ItemRef { row: r, col, item },
                    })
                    .collect()
            })
            .collect(),
    };
    handout.rows.iter().enumerate().map(row).collect()
}

/// What every page shows besides the table (phase 3).
struct Furniture {
    title: String,
    date: String,
    document_number: String,
    legend: Option<&'static str>,
    width: f64,
    height: f64,
}

impl Builder<'_, '_> {
    /// Title, 資料番号, date and legend as on the first page (phase 3).
    fn draw_furniture(&mut self) {
        let style = self.style;
        let (width, height) = (self.furniture.width, self.furniture.height);
        let page_box = BoxPt {
            x: 0.0,
            y: 0.0,
            w: width,
            h: height,
        };
        let title_size = self.title_size;
        let title_base = height - style.top - title_size;
        let number_size = (style.size * 1.4).max(11.0);
        // The title block is read once, on the first page.
        let heading = self.furniture.title.clone();
        let tw = self.bold(title_size).width(&heading);
        self.text(
            (width - tw) / 2.0,
            title_base,
            title_size,
            true,
            &heading,
            page_box,
            Role::Title,
        );
        let date = self.furniture.date.clone();
        let lead = Role::Lead;
        self.text(
            style.left, title_base, style.size, false, &date, page_box, lead,
        );
        let number = self.furniture.document_number.clone();
        if !number.is_empty() {
            let nw = self.bold(number_size).width(&number);
            let pad = number_size * 0.4;
            let bx = BoxPt {
                x: width - style.right - nw - 2.0 * pad,
                y: title_base - pad - 0.12 * number_size,
                w: nw + 2.0 * pad,
                h: number_size + 2.0 * pad,
            };
            self.frame(bx, None);
            self.text(bx.x + pad, title_base, number_size, true, &number, bx, lead);
        }
        if let Some(legend) = self.furniture.legend {
            let y = title_base - style.line;
            self.text(
                style.left,
                y,
                style.size,
                false,
                legend,
                page_box,
                Role::Artifact,
            );
        }
    }

    /// Phase 3 for the current page — its furniture and, when the count is
    /// known, its number — then hands it on.
    fn finish_page(&mut self) {
        let block = std::mem::take(&mut self.furniture_block);
        self.stamp(&block, self.cur == 0);
        self.furniture_block = block;
        if let Some(n) = self.total {
            let footer = footer(
                &self.style,
                self.m,
                (self.furniture.width, self.furniture.height),
                self.cur,
                n,
            );
            self.page.texts.push(footer);
        }
        (self.out)(std::mem::take(&mut self.page));
    }
}

/// The number at the foot of page `i` (0-based) of `n` on a page of `size`
/// (width, height): the last text of every page.
fn footer(style: &Style, m: &Measures, size: (f64, f64), i: usize, n: usize) -> TextLine {
    let (width, height) = size;
    let text = page_number(i, n);
    let w = Scaled {
        f: m.regular,
        size: style.size,
    }
    .width(&text);
    TextLine {
        x: (width - w) / 2.0,
        y: style.bottom,
        size: style.size,
        bold: false,
        text,
        within: BoxPt {
            x: 0.0,
            y: 0.0,
            w: width,
            h: height,
        },
        width: w,
        role: Role::Artifact,
    }
}

/// The page number of page `i` (0-based) of `n`, as printed at its foot:
/// the last text of every page.
pub fn page_number(i: usize, n: usize) -> String {
    format!("- {} / {} -", i + 1, n)
}

/// The size of the pages and the shape of the table they draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
    /// Lowest y any table content may reach (above the footer).
    pub footer_limit: f64,
    /// The table the pages draw, for the structure tree.
    pub table: TableShape,
}

/// The handout broken into lines, ready to be laid out on pages as often
/// as needed: once to count the pages and see every glyph, once more to
/// draw them, so that no more than a few pages are held at a time.
pub struct Layout<'a> {
    handout: &'a Handout<'a>,
    template: &'a Template,
    m: &'a Measures<'a>,
    rows: Vec<RowLines>,
    /// The pages' size and table.
    pub sheet: Sheet,
}

impl<'a> Layout<'a> {
    /// Phase 1: the item lines of every 分野 row, broken to their column.
    pub fn new(
        handout: &'a Handout<'a>,
        template: &'a Template,
        m: &'a Measures<'a>,
    ) -> Layout<'a> {
        let mut none = |_: PageModel| {};
        let b = Builder::new(handout, template, m, None, &mut none);
        let rows = collect(handout, &b);
        let (width, height) = template.paper.size_pt();
        let sheet = Sheet {
            width,
            height,
            footer_limit: b.footer_limit,
            table: TableShape {
                columns: handout.columns.len(),
                items: handout
                    .rows
                    .iter()
                    .map(|r| r.cells.iter().map(Vec::len).collect())
                    .collect(),
            },
        };
        Layout {
            handout,
            template,
            m,
            rows,
            sheet,
        }
    }

    /// Phase 2 and 3 on a copy of the lines: hands every page to `out`, in
    /// order, numbered when `total` is given; returns the page count.
    pub fn pages(&self, total: Option<usize>, out: &mut dyn FnMut(PageModel)) -> usize {
        place(
            self.handout,
            self.template,
            self.m,
            self.rows.clone(),
            total,
            out,
        )
    }

    /// Numbers page `i` of `n` laid out by [`Layout::pages`] without a
    /// count: the page is then as laying it out with the count makes it.
    pub fn number(&self, page: &mut PageModel, i: usize, n: usize) {
        let style = Style::new(self.template);
        let size = (self.sheet.width, self.sheet.height);
        page.texts.push(footer(&style, self.m, size, i, n));
    }

    /// [`Layout::pages`] for the last time: the lines themselves are used up.
    pub fn into_pages(self, total: Option<usize>, out: &mut dyn FnMut(PageModel)) -> usize {
        place(self.handout, self.template, self.m, self.rows, total, out)
    }
}

/// Runs the rows down the pages.
fn place(
    handout: &Handout,
    template: &Template,
    m: &Measures,
    rows: Vec<RowLines>,
    total: Option<usize>,
    out: &mut dyn FnMut(PageModel),
) -> usize {
    let mut b = Builder::new(handout, template, m, total, out);
    b.new_page();
    let full_capacity = b
        .body_capacity_lines(b.table_top - b.header_height() - b.footer_limit)
        .max(1);
    for row in rows {
        b.run_row(row, full_capacity);
    }
    b.finish_page();
    b.begun
}

/// Lays out the handout on pages (no font needed: `m` gives advances in
/// em), every page held: for tests and tools; the PDF streams them.
pub fn paginate(handout: &Handout, template: &Template, m: &Measures) -> DocModel {
    let layout = Layout::new(handout, template, m);
    let n = layout.pages(None, &mut |_| {});
    let sheet = layout.sheet.clone();
    let mut pages = Vec::with_capacity(n);
    layout.into_pages(Some(n), &mut |p| pages.push(p));
    DocModel {
        width: sheet.width,
        height: sheet.height,
        footer_limit: sheet.footer_limit,
        pages,
        table: sheet.table,
    }
}
