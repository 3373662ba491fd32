//! A page's content stream, written as lopdf operations straight from the
//! page model, in exactly the operations printpdf 0.12 serialises for the
//! drawing operations we used to hand it: printpdf kept every glyph of
//! every page as a 32-byte operation until the end (1 GB on a 3,000-page
//! month) and re-encoded each glyph through its own tables. What printpdf
//! still does is the document: fonts (subset, `/W`, ToUnicode) and the
//! page objects; [`Codes`] reads the subset's glyph codes from the content
//! printpdf wrote for the glyph registration. The operations are written
//! as `lopdf::content::Content::encode` writes them (numbers as Rust
//! displays an `f32`, hex strings in capitals), straight into bytes.
//!
//! printpdf's one transformation is kept: a text matrix followed by
//! glyphs opens a "run" that later glyphs on the same baseline, in the
//! same font and size, join as one `TJ` with a kerning number that moves
//! the pen to their x (computed from the font's `/W` widths, in f32 as
//! printpdf does), so that viewers select text as one line.

use std::collections::BTreeMap;

use lopdf::Object::{Array, Name};
use lopdf::content::Content;

use super::error::{FontName, WriteProblem};
use crate::fonts::{Face, FontPair};

/// Per face: its resource name, and for each original glyph id the code
/// the subset font gives it and its width in thousandths of an em.
#[derive(Debug, Default)]
pub(super) struct Codes {
    faces: BTreeMap<Face, FaceCodes>,
}

#[derive(Debug)]
struct FaceCodes {
    name: Vec<u8>,
    /// Indexed by original glyph id: (code, width).
    glyphs: Vec<(u16, i64)>,
}

impl Codes {
    /// The codes of the glyphs `used` (per face, in glyph-id order) as
    /// printpdf encoded them in `registration`: the content stream of the
    /// glyph registration, one `Tf` and one `TJ` per face, in face order.
    pub(super) fn read(
        registration: &[u8],
        names: &BTreeMap<Face, String>,
        used: &BTreeMap<Face, BTreeMap<u16, char>>,
        fonts: &FontPair,
    ) -> Result<Codes, WriteProblem> {
        let content = Content::decode(registration).map_err(|_| WriteProblem::Registration)?;
        let mut shown: BTreeMap<Vec<u8>, Vec<u16>> = BTreeMap::new();
        let mut current: Option<Vec<u8>> = None;
        for op in &content.operations {
            match (op.operator.as_str(), op.operands.as_slice()) {
                ("Tf", [Name(name), ..]) => current = Some(name.clone()),
                ("TJ", [Array(items)]) => {
                    let name = current.clone().ok_or(WriteProblem::TjWithoutTf)?;
                    let codes = shown.entry(name).or_default();
                    for item in items {
                        if let lopdf::Object::String(bytes, _) = item {
                            for pair in bytes.chunks(2) {
                                codes.push(u16::from_be_bytes([
                                    pair[0],
                                    pair.get(1).copied().unwrap_or(0),
                                ]));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let mut faces = BTreeMap::new();
        for (face, glyphs) in used {
            let name = names.get(face).ok_or(WriteProblem::FaceUnnamed)?;
            let codes = shown
                .get(name.as_bytes())
                .ok_or_else(|| WriteProblem::FaceUnregistered(FontName(name.clone())))?;
            if codes.len() != glyphs.len() {
                return Err(WriteProblem::GlyphCount(FontName(name.clone())));
            }
            let font = fonts.font(*face);
            let max = glyphs.keys().next_back().copied().unwrap_or(0);
            let mut table = vec![(0u16, 0i64); usize::from(max) + 1];
            for (gid, code) in glyphs.keys().zip(codes) {
                table[usize::from(*gid)] = (*code, font.width_thousandths(*gid));
            }
            faces.insert(
                *face,
                FaceCodes {
                    name: name.as_bytes().to_vec(),
                    glyphs: table,
                },
            );
        }
        Ok(Codes { faces })
    }
}

/// Glyphs on one baseline that printpdf joins into one `TJ`.
struct Run {
    matrix: [f32; 6],
    face: Face,
    size: f32,
    /// Where the pen is, in thousandths of an em from the run's start.
    pen: f64,
    /// The array's elements as written, without the brackets.
    array: Vec<u8>,
}

/// An operand of an operation, written as lopdf writes objects.
pub(super) enum Operand<'o> {
    /// A number with a fraction (`f32` as Rust displays it).
    Real(f32),
    /// A name (our names need no escaping).
    Name(&'o [u8]),
    /// `<</MCID n>>`.
    Mcid(usize),
}

/// Writes one page's content: operations one per line, operands each
/// followed by a space, as `lopdf::content::Content::encode` does.
pub(super) struct Writer<'a> {
    codes: &'a Codes,
    out: Vec<u8>,
    first: bool,
    in_text: bool,
    font: Option<(Face, f32)>,
    pending_tm: Option<[f32; 6]>,
    run: Option<Run>,
}

impl<'a> Writer<'a> {
    /// An empty page.
    pub(super) fn new(codes: &'a Codes) -> Writer<'a> {
        Writer {
            codes,
            out: Vec::with_capacity(1 << 16),
            first: true,
            in_text: false,
            font: None,
            pending_tm: None,
            run: None,
        }
    }

    /// Any operation but text: what is pending is written first.
    pub(super) fn op(&mut self, operator: &str, operands: &[Operand]) {
        self.flush_run();
        self.flush_tm();
        self.write_op(operator, operands);
    }

    fn write_op(&mut self, operator: &str, operands: &[Operand]) {
        use std::io::Write;
        if !self.first {
            self.out.push(b'\n');
        }
        self.first = false;
        for o in operands {
            // Writing into a Vec cannot fail.
            let _ = match o {
                Operand::Real(v) => write!(self.out, "{v}"),
                Operand::Name(n) => {
                    self.out.push(b'/');
                    self.out.extend_from_slice(n);
                    Ok(())
                }
                Operand::Mcid(n) => write!(self.out, "<</MCID {n}>>"),
            };
            self.out.push(b' ');
        }
        self.out.extend_from_slice(operator.as_bytes());
    }

    fn write_tm(&mut self, m: [f32; 6]) {
        self.write_op("Tm", &m.map(Operand::Real));
    }

    fn flush_run(&mut self) {
        if let Some(r) = self.run.take() {
            self.write_tm(r.matrix);
            self.out.push(b'\n');
            self.out.push(b'[');
            self.out.extend_from_slice(&r.array);
            self.out.extend_from_slice(b"] TJ");
        }
    }

    fn flush_tm(&mut self) {
        if let Some(m) = self.pending_tm.take() {
            self.write_tm(m);
        }
    }

    /// `BT`.
    pub(super) fn begin_text(&mut self) {
        self.op("BT", &[]);
        self.in_text = true;
    }

    /// `ET`.
    pub(super) fn end_text(&mut self) {
        self.op("ET", &[]);
        self.in_text = false;
    }

    /// `Tf` with a face's resource name.
    pub(super) fn set_font(&mut self, face: Face, size: f32) {
        let codes = self.codes;
        let name = codes
            .faces
            .get(&face)
            .map_or(&[][..], |f| f.name.as_slice());
        self.op("Tf", &[Operand::Name(name), Operand::Real(size)]);
        self.font = Some((face, size));
    }

    /// Glyphs (original ids) of the current font from (x, y).
    pub(super) fn show(&mut self, x: f32, y: f32, glyphs: impl Iterator<Item = u16>) {
        use std::io::Write;
        let m = [1.0, 0.0, 0.0, 1.0, x, y];
        if !self.in_text {
            self.op("Tm", &m.map(Operand::Real));
        } else {
            self.flush_tm();
            self.pending_tm = Some(m);
        }
        let Some((face, size)) = self.font.filter(|(_, s)| *s > 0.0 && self.in_text) else {
            // Never drawn so: printpdf would write the glyphs unmerged.
            debug_assert!(false, "text outside BT or without a font");
            return;
        };
        let Some(f) = self.codes.faces.get(&face) else {
            return;
        };
        if let Some(m) = self.pending_tm.take() {
            let extends = self
                .run
                .as_ref()
                .is_some_and(|r| r.matrix[5] == m[5] && r.face == face && r.size == size);
            if extends {
                let r = self.run.as_mut().expect("checked");
                let dx_em = (f64::from(m[4]) - f64::from(r.matrix[4])) * 1000.0 / f64::from(size);
                let kern = (r.pen - dx_em) as f32;
                if kern != 0.0 {
                    // A number after another element is set apart by a space.
                    if !r.array.is_empty() {
                        r.array.push(b' ');
                    }
                    let _ = write!(r.array, "{kern}");
                    r.pen -= f64::from(kern);
                }
            } else {
                self.flush_run();
                self.run = Some(Run {
                    matrix: m,
                    face,
                    size,
                    pen: 0.0,
                    array: Vec::new(),
                });
            }
        }
        let Some(r) = self.run.as_mut() else {
            return;
        };
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for gid in glyphs {
            let (code, width) = f.glyphs.get(usize::from(gid)).copied().unwrap_or((0, 0));
            let [hi, lo] = code.to_be_bytes();
            r.array.extend_from_slice(&[
                b'<',
                HEX[usize::from(hi >> 4)],
                HEX[usize::from(hi & 15)],
                HEX[usize::from(lo >> 4)],
                HEX[usize::from(lo & 15)],
                b'>',
            ]);
            r.pen += width as f64;
        }
    }

    /// The encoded stream.
    pub(super) fn finish(mut self) -> Vec<u8> {
        self.flush_run();
        self.flush_tm();
        self.out
    }
}
