//! Drawing the page model with printpdf: frames, text in runs per face (a
//! fallback font draws what the main face lacks), fonts embedded as
//! subsets with a ToUnicode map, the document's metadata. Every glyph and
//! every rule is drawn inside one marked-content sequence: an `Artifact`,
//! or tagged with the structure type of its line's [`Role`] and an MCID
//! that the structure tree maps back (SPEC §8.1).

use std::collections::BTreeMap;

use super::error::PdfError;
use super::finish;
use printpdf::{
    Codepoint, Color, DictItem, Greyscale, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem, TextMatrix,
};

use super::model::{DocModel, Frame, Role, TextLine};
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
    let mut text = TextDrawer {
        fonts,
        ids: &ids,
        used: BTreeMap::new(),
    };

    // The document ID hashes the text, so take it before the pages are used up.
    let id = finish::document_id(&model, title, date);
    let (width, height) = (model.width, model.height);
    let mut pages: Vec<PdfPage> = Vec::with_capacity(model.pages.len());
    let mut marks = Vec::with_capacity(model.pages.len());
    for page in model.pages {
        let mut ops = frame_ops(&page.frames);
        ops.push(Op::SetFillColor { col: grey(0.0) });
        ops.push(Op::StartTextSection);
        marks.push(text.page(&page.texts, &mut ops));
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
    if let Some(last) = pages.last_mut() {
        last.ops.extend(text.register_characters());
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
    let doc = doc.to_lopdf_document(&opts, &mut warnings);
    Ok(Drawn { doc, id, marks })
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

/// Draws text with the embedded fonts and remembers the glyphs each face
/// drew, for its ToUnicode map.
struct TextDrawer<'a> {
    fonts: &'a FontPair,
    ids: &'a BTreeMap<Face, printpdf::FontId>,
    used: BTreeMap<Face, BTreeMap<u16, char>>,
}

impl TextDrawer<'_> {
    /// The text of one page as marked content; returns the role of each
    /// MCID. Consecutive lines of one role (the lines of an item, the page
    /// furniture) share one marked-content sequence: fewer MCIDs make a
    /// smaller file that screen readers and checkers read faster.
    fn page(&mut self, texts: &[TextLine], ops: &mut Vec<Op>) -> Vec<Role> {
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
    fn line(&mut self, t: &TextLine, current: &mut Option<(Face, u64)>, ops: &mut Vec<Op>) {
        let mut x = t.x;
        let chars: Vec<char> = t.text.chars().filter(|c| !c.is_control()).collect();
        let mut start = 0;
        while start < chars.len() {
            let k = self.fonts.face_for(chars[start], t.bold);
            let end = (start..chars.len())
                .find(|&i| self.fonts.face_for(chars[i], t.bold) != k)
                .unwrap_or(chars.len());
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
            // Glyph ids from our own (cached) lookup: printpdf's
            // per-character cmap search dominated the run time. The
            // characters for the ToUnicode map are registered once per
            // glyph at the end.
            let font = self.fonts.font(k);
            let drawn = self.used.entry(k).or_default();
            let glyphs = chars[start..end]
                .iter()
                .map(|&c| {
                    let (gid, advance) = font.glyph(c).unwrap_or((0, 1.0));
                    drawn.entry(gid).or_insert(c);
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

    /// printpdf records a glyph's character from the last time it is shown:
    /// every glyph is shown once more, with its character, invisibly and
    /// off the page, after all other text (an artifact). Carrying the
    /// character on each of millions of glyphs instead costs gigabytes on
    /// a 100,000-item month.
    fn register_characters(&self) -> Vec<Op> {
        let mut ops = vec![
            artifact(),
            Op::StartTextSection,
            Op::SetTextRenderingMode {
                mode: printpdf::TextRenderingMode::Invisible,
            },
        ];
        for (face, used) in &self.used {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(self.ids[face].clone()),
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
}
