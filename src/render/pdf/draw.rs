//! Drawing the page model: printpdf makes the document (fonts embedded as
//! subsets with a ToUnicode map, the pages, the metadata), and each page's
//! frames and text, in runs per face (a fallback font draws what the main
//! face lacks), are written by `content`. Every glyph and
//! every rule is drawn inside one marked-content sequence: an `Artifact`,
//! or tagged with the structure type of its line's [`Role`] and an MCID
//! that the structure tree maps back (SPEC §8.1).

use std::collections::{BTreeMap, HashMap};

use super::error::{PdfError, WriteProblem};
use super::finish;
use content::Operand::{Mcid, Name, Real};
use printpdf::{
    Codepoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect,
    TextItem, TextMatrix,
};
use rayon::prelude::*;

use super::content;
use super::layout::{Layout, page_number};
use super::model::{Frame, PageModel, Role, TextLine};
use crate::date::Date;
use crate::fonts::{Face, FontPair};

/// The drawn, unfinished document.
pub struct Drawn {
    /// The document as printpdf made it.
    pub doc: lopdf::Document,
    /// Its ID, from the content.
    pub id: Vec<u8>,
    /// For every page, the role of each MCID drawn on it (index = MCID).
    pub marks: Vec<Vec<Role>>,
}

/// Draws the model and returns the unfinished document.
///
/// printpdf makes the document with every page left empty but the last,
/// which shows every glyph of the handout once (so its fonts are subset
/// with exactly those glyphs and their characters go into the ToUnicode
/// maps); that numbers every object as drawing it in one piece did. The
/// pages' content streams are then written on every core by
/// `content::Writer`, in the operations printpdf would have written, and
/// compressed as they are made: the bytes are those of drawing with
/// printpdf, without its every glyph of every page held as an operation.
pub fn draw(
    layout: Layout<'_>,
    fonts: &FontPair,
    title: &str,
    date: Date,
) -> Result<Drawn, PdfError> {
    let Survey {
        glyphs,
        used,
        page_count,
        held,
    } = survey(&layout, fonts);
    let (mut lo, ids) = empty_document(&layout, fonts, &used, page_count, title, date)?;

    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    // What printpdf wrote on the last page: the registration, with the
    // subset's codes of every glyph.
    let registration = page_ids
        .last()
        .map(|p| page_content(&lo, *p))
        .unwrap_or_default();
    let names: BTreeMap<Face, String> = ids.iter().map(|(f, id)| (*f, id.0.clone())).collect();
    let codes = content::Codes::read(&registration, &names, &used, fonts)?;
    let drawer = TextDrawer {
        glyphs: &glyphs,
        codes: &codes,
    };
    let mut id = finish::DocumentId::new(title, date);
    let drawn = draw_pages(layout, held, page_count, &drawer, &registration, &mut id);
    let mut marks = Vec::with_capacity(page_count);
    for (page, (content, page_marks)) in page_ids.into_iter().zip(drawn) {
        set_page_content(&mut lo, page, content);
        marks.push(page_marks);
    }
    Ok(Drawn {
        doc: lo,
        id: id.finish(),
        marks,
    })
}

/// The document printpdf makes: the fonts of every face (added in face
/// order), `page_count` empty pages but the last, which registers every
/// glyph used, and the metadata; with the PDF font of each face.
fn empty_document(
    layout: &Layout<'_>,
    fonts: &FontPair,
    used: &BTreeMap<Face, BTreeMap<u16, char>>,
    page_count: usize,
    title: &str,
    date: Date,
) -> Result<(lopdf::Document, BTreeMap<Face, printpdf::FontId>), PdfError> {
    let mut doc = PdfDocument::new(title);
    let mut font_warnings = Vec::new();
    let mut ids: BTreeMap<Face, printpdf::FontId> = BTreeMap::new();
    for face in fonts.faces() {
        let f = fonts.font(face);
        // The face's outlines are read when its subset is made, not here:
        // parsing them all up front took about as long as laying out a
        // month of 126 pages.
        let shared = std::sync::Arc::new(rust_fontconfig::FontBytes::Owned(std::sync::Arc::from(
            f.bytes.as_slice(),
        )));
        let parsed = printpdf::AzulParsedFont::from_bytes_shared(
            shared,
            f.spec.index as usize,
            &mut font_warnings,
        )
        .map(ParsedFont::from_azul)
        .ok_or_else(|| PdfError::Embed {
            path: f.spec.path.clone(),
        })?;
        ids.insert(face, doc.add_font(&parsed));
    }
    let (width, height) = (layout.sheet.width, layout.sheet.height);
    let mut pages: Vec<PdfPage> = (0..page_count)
        .map(|_| {
            let mut p = PdfPage::new(Mm(0.0), Mm(0.0), Vec::new());
            // Set the boxes in points directly: a round trip through mm loses
            // the last digit of A3's 841.89 pt.
            let media = Rect::from_wh(Pt(width as f32), Pt(height as f32));
            p.media_box = media.clone();
            p.trim_box = media.clone();
            p.crop_box = media;
            p
        })
        .collect();
    if let Some(last) = pages.last_mut() {
        last.ops = register_characters(used, &ids);
    }
    doc.with_pages(pages);
    let stamp = printpdf::OffsetDateTime::from_unix_timestamp(date.unix_seconds())
        .map_err(|_| WriteProblem::Date(date.unix_seconds()))?;
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
    Ok((doc.to_lopdf_document(&opts, &mut warnings), ids))
}

/// The pages again, drawn a batch at a time on every core and compressed;
/// the document ID hashes their text. The last page shows the
/// registration after its text.
fn draw_pages(
    layout: Layout<'_>,
    held: Option<Vec<PageModel>>,
    page_count: usize,
    drawer: &TextDrawer<'_>,
    registration: &[u8],
    id: &mut finish::DocumentId,
) -> Vec<(finish::Packed, Vec<Role>)> {
    let draw_page = |i: usize, page: PageModel| {
        let (mut bytes, marks) = drawer.page(&page);
        if i + 1 == page_count {
            bytes.push(b'\n');
            bytes.extend_from_slice(registration);
        }
        (finish::deflate(bytes), marks)
    };
    let mut drawn: Vec<(finish::Packed, Vec<Role>)> = Vec::with_capacity(page_count);
    let mut batch: Vec<PageModel> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<PageModel>, drawn: &mut Vec<(finish::Packed, Vec<Role>)>| {
        let start = drawn.len();
        let made: Vec<_> = std::mem::take(batch)
            .into_par_iter()
            .enumerate()
            .map(|(k, page)| draw_page(start + k, page))
            .collect();
        drawn.extend(made);
    };
    let mut take = |page: PageModel| {
        id.page(&page);
        batch.push(page);
        if batch.len() == BATCH {
            flush(&mut batch, &mut drawn);
        }
    };
    match held {
        // The pages of the first pass, numbered now that the count is known.
        Some(pages) => {
            for (i, mut page) in pages.into_iter().enumerate() {
                layout.number(&mut page, i, page_count);
                take(page);
            }
        }
        None => {
            layout.into_pages(Some(page_count), &mut take);
        }
    }
    flush(&mut batch, &mut drawn);
    drawn
}

/// Pages laid out and drawn at a time: enough to keep every core busy,
/// few enough that the pages of a large month are never all held.
const BATCH: usize = 64;

/// The first pass over the pages: the face, glyph and advance of every
/// character they show, the glyphs each face draws (for the subsets and
/// their ToUnicode maps), the page count, and the pages themselves when
/// there are no more than [`HOLD`] (they are laid out again otherwise).
/// The page numbers, which need the count, are the last text of each page:
/// their glyphs are placed where they fall in reading order.
fn survey(layout: &Layout<'_>, fonts: &FontPair) -> Survey {
    let mut glyphs = GlyphTable::new();
    let mut used = Used::default();
    let mut seen = 0;
    let mut held = Some(Vec::new());
    let mut batch: Vec<PageModel> = Vec::with_capacity(BATCH);
    let mut take = |batch: &mut Vec<PageModel>, glyphs: &mut GlyphTable, used: &mut Used| {
        for line in batch.iter().flat_map(|p| &p.texts) {
            glyphs.add(&line.text, line.bold, fonts);
        }
        used.extend(glyphs.used(batch, seen));
        seen += batch.len();
        match held.as_mut() {
            Some(pages) if seen <= HOLD => pages.append(batch),
            _ => {
                held = None;
                batch.clear();
            }
        }
    };
    let page_count = layout.pages(None, &mut |page| {
        batch.push(page);
        if batch.len() == BATCH {
            take(&mut batch, &mut glyphs, &mut used);
        }
    });
    take(&mut batch, &mut glyphs, &mut used);
    for i in 0..page_count {
        let number = page_number(i, page_count);
        glyphs.add(&number, false, fonts);
        for c in drawn_chars(&number) {
            if let Some((face, gid, _)) = glyphs.get(c, false) {
                used.last_on_page(face, gid, c, i);
            }
        }
    }
    Survey {
        glyphs,
        used: used.into_map(),
        page_count,
        held,
    }
}

/// What the first pass over the pages found.
struct Survey {
    glyphs: GlyphTable,
    used: BTreeMap<Face, BTreeMap<u16, char>>,
    page_count: usize,
    /// The pages, unnumbered, when there are few.
    held: Option<Vec<PageModel>>,
}

/// The most pages the first pass keeps for drawing (a few megabytes); a
/// longer handout is laid out again, so that its pages are never all held.
const HOLD: usize = 256;

/// The content stream of a page.
fn page_content(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<u8> {
    doc.get_dictionary(page)
        .and_then(|d| d.get(b"Contents"))
        .and_then(lopdf::Object::as_reference)
        .and_then(|c| doc.get_object(c))
        .and_then(lopdf::Object::as_stream)
        .map(|s| s.content.clone())
        .unwrap_or_default()
}

/// Puts a page's (compressed) content into the document printpdf made.
fn set_page_content(doc: &mut lopdf::Document, page: lopdf::ObjectId, content: finish::Packed) {
    let stream = doc
        .get_dictionary(page)
        .and_then(|d| d.get(b"Contents"))
        .and_then(lopdf::Object::as_reference);
    if let Ok(id) = stream
        && let Ok(lopdf::Object::Stream(s)) = doc.get_object_mut(id)
    {
        content.into_stream(s);
    }
}

/// The face, glyph id and advance (em) of every character the handout
/// shows, in regular and in bold text: looked up once, then read by every
/// drawing worker.
struct GlyphTable {
    /// Basic Multilingual Plane, indexed by `code point * 2 + bold`.
    bmp: Vec<Option<(Face, u16, f64)>>,
    /// Other planes.
    other: HashMap<(char, bool), (Face, u16, f64)>,
}

impl GlyphTable {
    fn new() -> GlyphTable {
        GlyphTable {
            bmp: vec![None; 0x1_0000 * 2],
            other: HashMap::new(),
        }
    }

    /// Looks up the characters of `text` not looked up yet.
    fn add(&mut self, text: &str, bold: bool, fonts: &FontPair) {
        for c in drawn_chars(text) {
            if self.get(c, bold).is_none() {
                let face = fonts.face_for(c, bold);
                let (gid, advance) = fonts.font(face).glyph(c).unwrap_or((0, 1.0));
                let entry = Some((face, gid, advance));
                match usize::try_from(u32::from(c)) {
                    Ok(i) if i < 0x1_0000 => self.bmp[i * 2 + usize::from(bold)] = entry,
                    _ => {
                        self.other.insert((c, bold), (face, gid, advance));
                    }
                }
            }
        }
    }

    fn get(&self, c: char, bold: bool) -> Option<(Face, u16, f64)> {
        let i = u32::from(c) as usize;
        if i < 0x1_0000 {
            self.bmp[i * 2 + usize::from(bold)]
        } else {
            self.other.get(&(c, bold)).copied()
        }
    }

    /// Every glyph each face draws on `pages` (numbered from `first`), with
    /// the first character (in reading order) it draws and its page.
    fn used(&self, pages: &[PageModel], first: usize) -> Used {
        let per_batch: Vec<Used> = pages
            .par_chunks(32)
            .enumerate()
            .map(|(k, chunk)| {
                let mut used = Used::default();
                for (p, page) in chunk.iter().enumerate() {
                    for line in &page.texts {
                        for c in drawn_chars(&line.text) {
                            if let Some((face, gid, _)) = self.get(c, line.bold) {
                                used.first(face, gid, c, first + k * 32 + p);
                            }
                        }
                    }
                }
                used
            })
            .collect();
        let mut all = Used::default();
        for batch in per_batch {
            all.extend(batch);
        }
        all
    }
}

/// The glyphs each face draws, with the first character drawn with each
/// and the page it is on: what the fonts' ToUnicode maps say.
#[derive(Default)]
struct Used(BTreeMap<Face, BTreeMap<u16, (char, usize)>>);

impl Used {
    /// `c` drawn with glyph `gid` on page `page`, after everything seen.
    fn first(&mut self, face: Face, gid: u16, c: char, page: usize) {
        self.0
            .entry(face)
            .or_default()
            .entry(gid)
            .or_insert((c, page));
    }

    /// The glyphs of later pages.
    fn extend(&mut self, later: Used) {
        for (face, glyphs) in later.0 {
            let into = self.0.entry(face).or_default();
            for (gid, first) in glyphs {
                into.entry(gid).or_insert(first);
            }
        }
    }

    /// `c` drawn with glyph `gid` last on page `page`: it comes first
    /// unless the glyph was drawn on that page or before.
    fn last_on_page(&mut self, face: Face, gid: u16, c: char, page: usize) {
        let slot = self
            .0
            .entry(face)
            .or_default()
            .entry(gid)
            .or_insert((c, page));
        if slot.1 > page {
            *slot = (c, page);
        }
    }

    fn into_map(self) -> BTreeMap<Face, BTreeMap<u16, char>> {
        self.0
            .into_iter()
            .map(|(face, glyphs)| (face, glyphs.into_iter().map(|(g, (c, _))| (g, c)).collect()))
            .collect()
    }
}

/// The characters of a line that are drawn.
fn drawn_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !c.is_control())
}

fn artifact() -> Op {
    Op::BeginMarkedContent {
        tag: "Artifact".into(),
    }
}

/// Writes the pages' content streams.
struct TextDrawer<'a> {
    glyphs: &'a GlyphTable,
    codes: &'a content::Codes,
}

impl TextDrawer<'_> {
    /// The content of one page (its frames, then its text) and the role of
    /// each MCID drawn on it.
    fn page(&self, page: &PageModel) -> (Vec<u8>, Vec<Role>) {
        let mut w = content::Writer::new(self.codes);
        frames(&mut w, &page.frames);
        w.op("g", &[Real(0.0)]);
        w.begin_text();
        let marks = self.text(&page.texts, &mut w);
        w.end_text();
        w.op("Q", &[]);
        (w.finish(), marks)
    }

    /// The text of one page as marked content; returns the role of each
    /// MCID. Consecutive lines of one role (the lines of an item, the page
    /// furniture) share one marked-content sequence: fewer MCIDs make a
    /// smaller file that screen readers and checkers read faster.
    fn text(&self, texts: &[TextLine], w: &mut content::Writer) -> Vec<Role> {
        let mut page_marks = Vec::new();
        let mut current: Option<(Face, u64)> = None;
        let mut open: Option<Role> = None;
        for t in texts {
            if open != Some(t.role) {
                if open.is_some() {
                    w.op("EMC", &[]);
                }
                open = Some(t.role);
                match t.role.structure_type() {
                    None => w.op("BMC", &[Name(b"Artifact")]),
                    Some(tag) => {
                        let mcid = page_marks.len();
                        page_marks.push(t.role);
                        w.op("BDC", &[Name(tag.as_bytes()), Mcid(mcid)]);
                    }
                }
            }
            self.line(t, &mut current, w);
        }
        if open.is_some() {
            w.op("EMC", &[]);
        }
        page_marks
    }

    /// One line in runs of characters drawn by the same font (a fallback
    /// font draws what the main one lacks), each placed at its own x.
    fn line(&self, t: &TextLine, current: &mut Option<(Face, u64)>, w: &mut content::Writer) {
        let mut x = t.x;
        let glyphs: Vec<(Face, u16, f64)> = drawn_chars(&t.text)
            .map(|c| {
                self.glyphs
                    .get(c, t.bold)
                    .unwrap_or((Face::Regular, 0, 1.0))
            })
            .collect();
        for run in glyphs.chunk_by(|a, b| a.0 == b.0) {
            let k = run[0].0;
            let key = (k, t.size.to_bits());
            if *current != Some(key) {
                w.set_font(k, t.size as f32);
                *current = Some(key);
            }
            let start = x;
            for &(_, _, advance) in run {
                x += advance * t.size;
            }
            w.show(start as f32, t.y as f32, run.iter().map(|g| g.1));
        }
    }
}

/// The rules and fills of a page: one artifact.
fn frames(w: &mut content::Writer, frames: &[Frame]) {
    w.op("q", &[]);
    w.op("w", &[Real(0.6)]);
    w.op("G", &[Real(0.0)]);
    w.op("BMC", &[Name(b"Artifact")]);
    for f in frames {
        let r = f.rect;
        w.op("g", &[Real(f.fill.unwrap_or(1.0))]);
        w.op(
            "re",
            &[
                Real(r.x as f32),
                Real(r.y as f32),
                Real(r.w as f32),
                Real(r.h as f32),
            ],
        );
        w.op(if f.fill.is_some() { "B" } else { "S" }, &[]);
    }
    w.op("EMC", &[]);
}

/// printpdf records a glyph's character from the last time it is shown:
/// every glyph is shown once more, with its character, invisibly and off
/// the page, after all other text (an artifact). Carrying the character on
/// each of millions of glyphs instead costs gigabytes on a 100,000-item
/// month.
fn register_characters(
    used: &BTreeMap<Face, BTreeMap<u16, char>>,
    ids: &BTreeMap<Face, printpdf::FontId>,
) -> Vec<Op> {
    let mut ops = vec![
        artifact(),
        Op::StartTextSection,
        Op::SetTextRenderingMode {
            mode: printpdf::TextRenderingMode::Invisible,
        },
    ];
    for (face, used) in used {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(ids[face].clone()),
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
    ops.push(Op::EndMarkedContent);
    ops
}
