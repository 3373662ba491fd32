//! Drawing the page model with printpdf: frames, text in runs per face (a
//! fallback font draws what the main face lacks), fonts embedded as
//! subsets with a ToUnicode map, the document's metadata. Every glyph and
//! every rule is drawn inside one marked-content sequence: an `Artifact`,
//! or tagged with the structure type of its line's [`Role`] and an MCID
//! that the structure tree maps back (SPEC §8.1).

use std::collections::{BTreeMap, HashMap};

use super::error::PdfError;
use super::finish;
use printpdf::{
    Codepoint, Color, DictItem, Greyscale, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem, TextMatrix,
};
use rayon::prelude::*;

use super::model::{DocModel, Frame, PageModel, Role, TextLine};
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

/// Pages drawn together by one worker: small enough that their printpdf
/// operations (tens of bytes per glyph) stay a few megabytes, large enough
/// that the per-batch font subsetting (a few milliseconds) is noise.
/// Measured on 2 cores (100×30 month, 126 pages / 1,000×80, 3,111 pages):
/// 32 pages 0.42 s, 96 MB / 9.7 s, 824 MB; 48 pages 0.44 s, 104 MB /
/// 9.9 s, 830 MB; 64 pages 0.44 s, 113 MB / 9.3 s, 838 MB.
const PAGES_PER_BATCH: usize = 32;

/// Draws the model and returns the unfinished document.
///
/// printpdf holds every glyph of every page as an operation until it
/// serialises the document; a 3,000-page month made that 1 GB. So the
/// pages are drawn in batches, on all cores, each batch as a document of
/// its own that shows every glyph of the whole handout once more (so that
/// its fonts are subset, and its glyph ids renumbered, exactly as the
/// whole document's), and only its pages' content streams, compressed,
/// are kept. The document itself is made by printpdf with the same pages
/// left empty, which numbers every object as before, and the streams are
/// put into its pages: the bytes are those of drawing it in one piece.
pub fn draw(model: DocModel, fonts: &FontPair, title: &str, date: Date) -> Result<Drawn, PdfError> {
    let mut doc = PdfDocument::new(title);
    let mut font_warnings = Vec::new();
    // The PDF font of every face, added in face order.
    let mut ids: BTreeMap<Face, printpdf::FontId> = BTreeMap::new();
    for face in fonts.faces() {
        let f = fonts.font(face);
        let parsed = ParsedFont::from_bytes(&f.bytes, f.spec.index as usize, &mut font_warnings)
            .ok_or_else(|| PdfError::Embed(f.spec.path.display().to_string()))?;
        ids.insert(face, doc.add_font(&parsed));
    }
    // The document ID hashes the text.
    let id = finish::document_id(&model, title, date);
    let glyphs = GlyphTable::of(&model.pages, fonts);
    let used = glyphs.used(&model.pages);
    let register = register_characters(&used, &ids);

    let (width, height) = (model.width, model.height);
    let page_count = model.pages.len();
    let blank = |ops: Vec<Op>| {
        let mut p = PdfPage::new(Mm(0.0), Mm(0.0), ops);
        // Set the boxes in points directly: a round trip through mm loses the
        // last digit of A3's 841.89 pt.
        let media = Rect::from_wh(Pt(width as f32), Pt(height as f32));
        p.media_box = media.clone();
        p.trim_box = media.clone();
        p.crop_box = media;
        p
    };
    let mut pages: Vec<PdfPage> = (0..page_count).map(|_| blank(Vec::new())).collect();
    if let Some(last) = pages.last_mut() {
        last.ops.clone_from(&register);
    }
    doc.with_pages(pages);
    let stamp = printpdf::OffsetDateTime::from_unix_timestamp(date.unix_seconds())
        .map_err(|e| PdfError::Write(e.to_string()))?;
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
    // The batches share the document's fonts (and so its font names).
    let resources = doc.resources.clone();
    drop(doc);

    let batches: Vec<Vec<(finish::Packed, Vec<Role>)>> = model
        .pages
        .par_chunks(PAGES_PER_BATCH)
        .enumerate()
        .map(|(b, chunk)| {
            let first = b * PAGES_PER_BATCH;
            let drawer = TextDrawer {
                glyphs: &glyphs,
                ids: &ids,
            };
            let mut marks = Vec::with_capacity(chunk.len());
            let mut batch_pages: Vec<PdfPage> = chunk
                .iter()
                .map(|page| {
                    let (ops, page_marks) = drawer.page_ops(page);
                    marks.push(page_marks);
                    blank(ops)
                })
                .collect();
            let holds_last = first + chunk.len() == page_count;
            match batch_pages.last_mut() {
                // The whole document's last page shows them after its text.
                Some(last) if holds_last => last.ops.extend(register.iter().cloned()),
                _ => batch_pages.push(blank(register.clone())),
            }
            let mut batch = PdfDocument::new(title);
            batch.resources = resources.clone();
            batch.with_pages(batch_pages);
            let lo = batch.to_lopdf_document(&opts, &mut Vec::new());
            let contents = page_contents(&lo);
            contents
                .into_iter()
                .zip(marks)
                .map(|(c, m)| (finish::deflate(c), m))
                .collect()
        })
        .collect();

    let mut marks = Vec::with_capacity(page_count);
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    for (page, (content, page_marks)) in page_ids.into_iter().zip(batches.into_iter().flatten()) {
        set_page_content(&mut lo, page, content);
        marks.push(page_marks);
    }
    Ok(Drawn { doc: lo, id, marks })
}

/// The content stream of every page, in page order.
fn page_contents(doc: &lopdf::Document) -> Vec<Vec<u8>> {
    doc.get_pages()
        .into_values()
        .map(|page| {
            doc.get_dictionary(page)
                .and_then(|d| d.get(b"Contents"))
                .and_then(lopdf::Object::as_reference)
                .and_then(|c| doc.get_object(c))
                .and_then(lopdf::Object::as_stream)
                .map(|s| s.content.clone())
                .unwrap_or_default()
        })
        .collect()
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
    fn of(pages: &[PageModel], fonts: &FontPair) -> GlyphTable {
        let mut t = GlyphTable {
            bmp: vec![None; 0x1_0000 * 2],
            other: HashMap::new(),
        };
        for line in pages.iter().flat_map(|p| &p.texts) {
            for c in drawn_chars(&line.text) {
                if t.get(c, line.bold).is_none() {
                    let face = fonts.face_for(c, line.bold);
                    let (gid, advance) = fonts.font(face).glyph(c).unwrap_or((0, 1.0));
                    let entry = Some((face, gid, advance));
                    match usize::try_from(u32::from(c)) {
                        Ok(i) if i < 0x1_0000 => t.bmp[i * 2 + usize::from(line.bold)] = entry,
                        _ => {
                            t.other.insert((c, line.bold), (face, gid, advance));
                        }
                    }
                }
            }
        }
        t
    }

    fn get(&self, c: char, bold: bool) -> Option<(Face, u16, f64)> {
        let i = u32::from(c) as usize;
        if i < 0x1_0000 {
            self.bmp[i * 2 + usize::from(bold)]
        } else {
            self.other.get(&(c, bold)).copied()
        }
    }

    /// Every glyph each face draws, with the first character (in reading
    /// order) it draws, for the fonts' ToUnicode maps.
    fn used(&self, pages: &[PageModel]) -> BTreeMap<Face, BTreeMap<u16, char>> {
        let per_batch: Vec<BTreeMap<Face, BTreeMap<u16, char>>> = pages
            .par_chunks(PAGES_PER_BATCH)
            .map(|chunk| {
                let mut used: BTreeMap<Face, BTreeMap<u16, char>> = BTreeMap::new();
                for line in chunk.iter().flat_map(|p| &p.texts) {
                    for c in drawn_chars(&line.text) {
                        if let Some((face, gid, _)) = self.get(c, line.bold) {
                            used.entry(face).or_default().entry(gid).or_insert(c);
                        }
                    }
                }
                used
            })
            .collect();
        let mut all: BTreeMap<Face, BTreeMap<u16, char>> = BTreeMap::new();
        for batch in per_batch {
            for (face, glyphs) in batch {
                let into = all.entry(face).or_default();
                for (gid, c) in glyphs {
                    into.entry(gid).or_insert(c);
                }
            }
        }
        all
    }
}

/// The characters of a line that are drawn.
fn drawn_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !c.is_control())
}

fn grey(p: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: p,
        icc_profile: None,
    })
}

fn artifact() -> Op {
    Op::BeginMarkedContent {
        tag: "Artifact".into(),
    }
}

/// The rules and fills of a page: one artifact.
fn frame_ops(frames: &[Frame]) -> Vec<Op> {
    let mut ops = vec![
        Op::SaveGraphicsState,
        Op::SetOutlineThickness { pt: Pt(0.6) },
        Op::SetOutlineColor { col: grey(0.0) },
        artifact(),
    ];
    for f in frames {
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
    ops.push(Op::EndMarkedContent);
    ops
}

/// Draws the text of pages with the embedded fonts.
struct TextDrawer<'a> {
    glyphs: &'a GlyphTable,
    ids: &'a BTreeMap<Face, printpdf::FontId>,
}

impl TextDrawer<'_> {
    /// The operations of one page (its frames, then its text) and the role
    /// of each MCID drawn on it.
    fn page_ops(&self, page: &PageModel) -> (Vec<Op>, Vec<Role>) {
        let mut ops = frame_ops(&page.frames);
        ops.push(Op::SetFillColor { col: grey(0.0) });
        ops.push(Op::StartTextSection);
        let marks = self.text(&page.texts, &mut ops);
        ops.push(Op::EndTextSection);
        ops.push(Op::RestoreGraphicsState);
        (ops, marks)
    }

    /// The text of one page as marked content; returns the role of each
    /// MCID. Consecutive lines of one role (the lines of an item, the page
    /// furniture) share one marked-content sequence: fewer MCIDs make a
    /// smaller file that screen readers and checkers read faster.
    fn text(&self, texts: &[TextLine], ops: &mut Vec<Op>) -> Vec<Role> {
        let mut page_marks = Vec::new();
        let mut current: Option<(Face, u64)> = None;
        let mut open: Option<Role> = None;
        for t in texts {
            if open != Some(t.role) {
                if open.is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                open = Some(t.role);
                ops.push(match t.role.structure_type() {
                    None => artifact(),
                    Some(tag) => {
                        let mcid = page_marks.len() as i64;
                        page_marks.push(t.role);
                        Op::BeginMarkedContentWithProperties {
                            tag: tag.into(),
                            properties: DictItem::Dict {
                                map: [("MCID".to_string(), DictItem::Int(mcid))].into(),
                            },
                        }
                    }
                });
            }
            self.line(t, &mut current, ops);
        }
        if open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        page_marks
    }

    /// One line in runs of characters drawn by the same font (a fallback
    /// font draws what the main one lacks), each placed at its own x.
    fn line(&self, t: &TextLine, current: &mut Option<(Face, u64)>, ops: &mut Vec<Op>) {
        let mut x = t.x;
        // Glyph ids from our own table: printpdf's per-character cmap search
        // dominated the run time. The characters for the ToUnicode map are
        // registered once per glyph at the end.
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
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(self.ids[&k].clone()),
                    size: Pt(t.size as f32),
                });
                *current = Some(key);
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(x as f32), Pt(t.y as f32)),
            });
            let codepoints = run
                .iter()
                .map(|&(_, gid, advance)| {
                    x += advance * t.size;
                    Codepoint {
                        gid,
                        offset: 0.0,
                        cid: None,
                    }
                })
                .collect();
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(codepoints)],
            });
        }
    }
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
