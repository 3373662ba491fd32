//! The text layer of a PDF page: its content stream run far enough to know
//! where every glyph is drawn (text and graphics state, fonts, form
//! XObjects), with the page's rotation undone. Images are only counted (a
//! page of images and no text is a scan).

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{Code, Font, resolve};

/// Largest decompressed content of one page or form.
const MAX_CONTENT: usize = 32 * 1024 * 1024;
/// Most glyphs read from one document; later pages are not read.
pub(crate) const MAX_GLYPHS: usize = 1_000_000;
/// How deep forms may nest.
const MAX_FORM_DEPTH: usize = 12;
/// Most operators run for one document (forms drawn many times included).
const MAX_OPERATIONS: usize = 20_000_000;

/// One drawn glyph, in the page's upright coordinates (points, y up; for a
/// vertical font the frame is turned so that a column reads as a line).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    /// Its text (`None`: the font cannot say).
    pub text: Option<String>,
    /// Start and end along the line.
    pub x0: f32,
    /// End along the line.
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Font size as drawn.
    pub size: f32,
    /// The font (index into the document's fonts), to tell symbol glyphs.
    pub font: usize,
}

/// What one page draws.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// Glyphs on upright lines, in drawing order.
    pub glyphs: Vec<Glyph>,
    /// Glyphs drawn at an angle (not read, but text all the same).
    pub rotated: usize,
    /// Images drawn.
    pub images: usize,
    /// Upright width and height.
    pub width: f32,
    /// Upright height.
    pub height: f32,
}

/// A 2-D affine matrix `[a b c d e f]` (PDF's row-vector convention).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn point(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0f32; 6];
        for (slot, o) in m.iter_mut().zip(ops) {
            *slot = num(o)?;
        }
        m.iter().all(|v| v.is_finite()).then_some(Matrix(m))
    }
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
struct TextState {
    font: Option<usize>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// The graphics and text state of a content stream being run: the
/// current transformation, the saved states, the text state and matrices.
struct Graphics {
    ctm: Matrix,
    stack: Vec<(Matrix, TextState)>,
    ts: TextState,
    tm: Matrix,
    tlm: Matrix,
}

impl Graphics {
    fn new(base: Matrix) -> Graphics {
        Graphics {
            ctm: base,
            stack: Vec::new(),
            ts: TextState::default(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
        }
    }

    /// Applies an operator that only changes the state (others are left).
    fn apply(&mut self, operator: &str, o: &[Object]) {
        let n = |i: usize| o.get(i).and_then(num);
        let ts = &mut self.ts;
        match operator {
            "q" if self.stack.len() < 256 => self.stack.push((self.ctm, *ts)),
            "Q" => {
                if let Some((m, t)) = self.stack.pop() {
                    self.ctm = m;
                    *ts = t;
                }
            }
            "cm" => {
                if let Some(m) = Matrix::from_operands(o) {
                    self.ctm = m.then(self.ctm);
                }
            }
            "BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            "Tc" => ts.char_space = n(0).unwrap_or(0.0),
            "Tw" => ts.word_space = n(0).unwrap_or(0.0),
            "Tz" => ts.scale = n(0).unwrap_or(100.0) / 100.0,
            "TL" => ts.leading = n(0).unwrap_or(0.0),
            "Ts" => ts.rise = n(0).unwrap_or(0.0),
            "Td" | "TD" => {
                let (x, y) = (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0));
                if operator == "TD" {
                    ts.leading = -y;
                }
                self.tlm = Matrix::translate(x, y).then(self.tlm);
                self.tm = self.tlm;
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(o) {
                    self.tlm = m;
                    self.tm = m;
                }
            }
            "T*" => self.next_line(),
            _ => {}
        }
    }

    /// `T*`: to the start of the next line.
    fn next_line(&mut self) {
        self.tlm = Matrix::translate(0.0, -self.ts.leading).then(self.tlm);
        self.tm = self.tlm;
    }

    /// What `'` and `"` do before they show their text: `"` sets the word
    /// and character spacing; both move to the next line.
    fn next_line_show(&mut self, operator: &str, o: &[Object]) {
        if operator == "\"" {
            self.ts.word_space = o.first().and_then(num).unwrap_or(self.ts.word_space);
            self.ts.char_space = o.get(1).and_then(num).unwrap_or(self.ts.char_space);
        }
        self.next_line();
    }

    /// A number in a `TJ` array: moves the text back by thousandths of
    /// an em.
    fn adjust(&mut self, adjust: f32, vertical: bool) {
        let shift = -adjust / 1000.0 * self.ts.size;
        self.tm = if vertical {
            Matrix::translate(0.0, shift)
        } else {
            Matrix::translate(shift * self.ts.scale, 0.0)
        }
        .then(self.tm);
    }
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Reads pages of one document, sharing its fonts.
pub(crate) struct Reader<'d> {
    doc: &'d Document,
    /// Fonts by object id (or by position for direct dictionaries).
    fonts: Vec<Font>,
    font_ids: HashMap<ObjectId, usize>,
    operations: usize,
    /// Glyphs read so far in the document.
    pub glyphs: usize,
    /// Whether a limit stopped the reading.
    pub truncated: bool,
}

/// An inherited page attribute: the page's own, else its nearest ancestor's.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(v) = node.get(key) {
            return Some(resolve(doc, v));
        }
        node = resolve(doc, node.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

impl<'d> Reader<'d> {
    /// A reader of `doc`'s pages.
    pub(crate) fn new(doc: &'d Document) -> Reader<'d> {
        Reader {
            doc,
            fonts: Vec::new(),
            font_ids: HashMap::new(),
            operations: 0,
            glyphs: 0,
            truncated: false,
        }
    }

    /// The glyphs of one page (an unreadable page gives none).
    pub(crate) fn page(&mut self, id: ObjectId) -> Page {
        let doc = self.doc;
        let mut page = Page::default();
        let Ok(dict) = doc.get_dictionary(id) else {
            return page;
        };
        let boxed = |key: &[u8]| {
            inherited(doc, dict, key)
                .and_then(|o| o.as_array().ok())
                .and_then(|a| {
                    let v: Vec<f32> = a.iter().filter_map(|o| num(resolve(doc, o))).collect();
                    (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
                })
        };
        let [x0, y0, x1, y1] = boxed(b"CropBox")
            .or_else(|| boxed(b"MediaBox"))
            .unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let (left, bottom) = (x0.min(x1), y0.min(y1));
        let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
        let rotate = inherited(doc, dict, b"Rotate")
            .and_then(num)
            .map_or(0, |r| (r as i64).rem_euclid(360));
        let origin = Matrix::translate(-left, -bottom);
        let (turn, width, height) = match rotate {
            90 => (Matrix([0.0, -1.0, 1.0, 0.0, 0.0, w]), h, w),
            180 => (Matrix([-1.0, 0.0, 0.0, -1.0, w, h]), w, h),
            270 => (Matrix([0.0, 1.0, -1.0, 0.0, h, 0.0]), h, w),
            _ => (Matrix::IDENTITY, w, h),
        };
        page.width = width;
        page.height = height;
        let resources = inherited(doc, dict, b"Resources").and_then(|r| r.as_dict().ok());
        let Ok(content) = doc.get_page_content_with_limit(id, MAX_CONTENT) else {
            return page;
        };
        self.run(
            &content,
            resources,
            origin.then(turn),
            0,
            &mut Vec::new(),
            &mut page,
        );
        page
    }

    fn font_for(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<usize> {
        let doc = self.doc;
        let fonts = resolve(doc, resources?.get(b"Font").ok()?).as_dict().ok()?;
        let entry = fonts.get(name).ok()?;
        if let Object::Reference(id) = entry
            && let Some(i) = self.font_ids.get(id)
        {
            return Some(*i);
        }
        let font = Font::load(doc, resolve(doc, entry).as_dict().ok()?);
        self.fonts.push(font);
        let i = self.fonts.len() - 1;
        if let Object::Reference(id) = entry {
            self.font_ids.insert(*id, i);
        }
        Some(i)
    }

    /// Runs one content stream.
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        base: Matrix,
        depth: usize,
        forms: &mut Vec<ObjectId>,
        page: &mut Page,
    ) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        let mut g = Graphics::new(base);
        let mut codes = Vec::new();
        for op in &content.operations {
            self.operations += 1;
            if self.operations > MAX_OPERATIONS || self.glyphs > MAX_GLYPHS {
                self.truncated = true;
                return;
            }
            let o = &op.operands;
            match op.operator.as_str() {
                "Tf" => {
                    if let Some(name) = o.first().and_then(|f| f.as_name().ok()) {
                        g.ts.font = self.font_for(resources, name);
                    }
                    g.ts.size = o.get(1).and_then(num).unwrap_or(g.ts.size);
                }
                "Tj" | "'" | "\"" => {
                    if op.operator != "Tj" {
                        g.next_line_show(&op.operator, o);
                    }
                    if let Some(Object::String(bytes, _)) = o.last() {
                        self.show(bytes, &g.ts, &mut g.tm, g.ctm, &mut codes, page);
                    }
                }
                "TJ" => {
                    let Some(Object::Array(parts)) = o.first() else {
                        continue;
                    };
                    for part in parts {
                        match part {
                            Object::String(bytes, _) => {
                                self.show(bytes, &g.ts, &mut g.tm, g.ctm, &mut codes, page);
                            }
                            other => {
                                if let Some(adjust) = num(other) {
                                    let vertical = self.vertical(&g.ts);
                                    g.adjust(adjust, vertical);
                                }
                            }
                        }
                    }
                }
                "BI" => page.images += 1,
                "Do" => {
                    let Some(name) = o.first().and_then(|f| f.as_name().ok()) else {
                        continue;
                    };
                    self.draw_object(resources, name, g.ctm, depth, forms, page);
                }
                other => g.apply(other, o),
            }
        }
    }

    fn draw_object(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        ctm: Matrix,
        depth: usize,
        forms: &mut Vec<ObjectId>,
        page: &mut Page,
    ) {
        let doc = self.doc;
        let Some(xobjects) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| resolve(doc, x).as_dict().ok())
        else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let Ok(stream) = resolve(doc, entry).as_stream() else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => page.images += 1,
            Ok(b"Form") => {
                let id = entry.as_reference().ok();
                if depth >= MAX_FORM_DEPTH || id.is_some_and(|id| forms.contains(&id)) {
                    return;
                }
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|m| resolve(doc, m).as_array().ok())
                    .and_then(|a| Matrix::from_operands(a))
                    .unwrap_or(Matrix::IDENTITY);
                let own = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| resolve(doc, r).as_dict().ok());
                let bytes = match stream.filters() {
                    Ok(f) if !f.is_empty() => {
                        match stream.decompressed_content_with_limit(MAX_CONTENT) {
                            Ok(b) => b,
                            Err(_) => return,
                        }
                    }
                    _ => stream.content.clone(),
                };
                forms.extend(id);
                self.run(
                    &bytes,
                    own.or(resources),
                    matrix.then(ctm),
                    depth + 1,
                    forms,
                    page,
                );
                if id.is_some() {
                    forms.pop();
                }
            }
            _ => {}
        }
    }

    fn vertical(&self, ts: &TextState) -> bool {
        ts.font
            .and_then(|f| self.fonts.get(f))
            .is_some_and(|f| f.vertical)
    }

    /// Draws one string: a glyph per code, the text matrix moved past each.
    fn show(
        &mut self,
        bytes: &[u8],
        ts: &TextState,
        tm: &mut Matrix,
        ctm: Matrix,
        codes: &mut Vec<Code>,
        page: &mut Page,
    ) {
        let Some(font_index) = ts.font else { return };
        let Some(font) = self.fonts.get(font_index) else {
            return;
        };
        codes.clear();
        font.decode(bytes, codes);
        let vertical = font.vertical;
        for code in codes.iter() {
            self.glyphs += 1;
            let size = ts.size;
            let trm = Matrix([size * ts.scale, 0.0, 0.0, size, 0.0, ts.rise])
                .then(*tm)
                .then(ctm);
            let spacing = ts.char_space + if code.word_space { ts.word_space } else { 0.0 };
            let advance = code.width / 1000.0 * size;
            // The glyph's box in device space: origin, end of its advance
            // and its height, from the text rendering matrix.
            let (ox, oy) = trm.point(0.0, 0.0);
            let em = {
                let [_, _, c, d, _, _] = trm.0;
                (c * c + d * d).sqrt()
            };
            if vertical {
                // A column read top to bottom is a line read left to
                // right; the next glyph is one em further down.
                page.glyphs.push(Glyph {
                    text: code.text.clone(),
                    x0: -oy,
                    x1: -oy + em,
                    y: ox,
                    size: em,
                    font: font_index,
                });
                *tm = Matrix::translate(0.0, spacing - size).then(*tm);
                continue;
            }
            let (ex, _) = Matrix([ts.scale, 0.0, 0.0, 1.0, 0.0, 0.0])
                .then(*tm)
                .then(ctm)
                .point(advance, 0.0);
            let [a, b, ..] = trm.0;
            if b.abs() > 0.2 * a.abs() || a <= 0.0 || !ox.is_finite() || !oy.is_finite() {
                page.rotated += 1;
            } else {
                page.glyphs.push(Glyph {
                    text: code.text.clone(),
                    x0: ox,
                    x1: ex.max(ox),
                    y: oy,
                    size: em,
                    font: font_index,
                });
            }
            *tm = Matrix::translate((advance + spacing) * ts.scale, 0.0).then(*tm);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 5.0);
        // Scale first, then shift.
        assert_eq!(scale.then(shift).point(1.0, 1.0), (12.0, 7.0));
        assert_eq!(shift.then(scale).point(1.0, 1.0), (22.0, 12.0));
    }
}
