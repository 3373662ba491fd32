//! Fonts for the PDF: a face and its glyph advances and coverage from
//! ttf-parser (the same ids and widths printpdf embeds), and the faces of a
//! handout. Finding them on the system is [`discover`]'s job.

pub mod discover;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// A font file and the face inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct FontSpec {
    /// The file (.ttf, .otf or .ttc).
    pub path: PathBuf,
    /// Face index inside a collection.
    pub index: u32,
}

/// A loaded font: the bytes and a per-character advance cache.
pub struct Font {
    /// Where it came from.
    pub spec: FontSpec,
    /// The whole file.
    pub bytes: Vec<u8>,
    /// Family name, for the report.
    pub family: String,
    units_per_em: f64,
    /// Glyph id and advance per character, looked up once.
    glyphs: GlyphCache,
}

/// What the face has for each character asked about: the Basic
/// Multilingual Plane in a table (a hash lookup per character was a tenth
/// of a large month's run time), other planes in a map. Shared by the
/// threads that measure text: a character looked up by two at once is
/// only looked up twice, with the same result.
#[derive(Default)]
struct GlyphCache {
    /// Indexed by code point; 0 = not looked up yet, else
    /// [`GlyphCache::LOOKED_UP`] with the glyph id and advance in font units
    /// when the face has the character.
    bmp: std::sync::OnceLock<Box<[AtomicU64]>>,
    other: Mutex<HashMap<char, Option<(u16, u16)>>>,
}

impl GlyphCache {
    const LOOKED_UP: u64 = 1 << 40;
    const HAS: u64 = 1 << 41;

    fn get(&self, c: char) -> Option<Option<(u16, u16)>> {
        let i = c as usize;
        if i >= 0x1_0000 {
            return self.other.lock().ok()?.get(&c).copied();
        }
        let v = self.bmp.get()?.get(i)?.load(Ordering::Relaxed);
        if v & Self::LOOKED_UP == 0 {
            return None;
        }
        Some((v & Self::HAS != 0).then_some(((v >> 16) as u16, v as u16)))
    }

    fn put(&self, c: char, g: Option<(u16, u16)>) {
        let i = c as usize;
        if i >= 0x1_0000 {
            if let Ok(mut other) = self.other.lock() {
                other.insert(c, g);
            }
            return;
        }
        let bmp = self
            .bmp
            .get_or_init(|| (0..0x1_0000).map(|_| AtomicU64::new(0)).collect());
        bmp[i].store(
            Self::LOOKED_UP
                | g.map_or(0, |(gid, advance)| {
                    Self::HAS | (u64::from(gid) << 16) | u64::from(advance)
                }),
            Ordering::Relaxed,
        );
    }
}

/// Why a font file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// It cannot be read.
    #[error(transparent)]
    Read(#[from] crate::output::ReadFailure),
    /// It is no font ttf-parser reads.
    #[error(transparent)]
    Parse(#[from] ttf_parser::FaceParsingError),
    /// It has no Japanese characters.
    #[error("日本語の文字が入っていません")]
    NotJapanese,
}

/// No usable font: the PDF cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// `--font` names a file that cannot be used.
    #[error(
        "フォント「{path}」を使えません（{reason}）。TrueType/OpenType のフォントファイル（.ttf .otf .ttc）を指定してください。"
    )]
    Unusable {
        /// The file.
        path: String,
        /// Why.
        #[source]
        reason: Unusable,
    },
    /// Nothing found on the system.
    #[error(
        "PDF に使う日本語フォントが見つかりません。Windows では BIZ UD ゴシックが標準で入っています。Debian/Ubuntu では「sudo apt-get install fonts-morisawa-bizud-gothic」で入れるか、--font でフォントファイルを指定してください。（Excel と JSON は作成済みです）"
    )]
    NotFound,
}

impl Font {
    /// Loads a face and checks that it is a usable Japanese font.
    pub fn load(spec: FontSpec) -> Result<Font, FontError> {
        Font::load_checked(spec, true)
    }

    /// Loads a face, Japanese or not (fallbacks for single characters).
    pub fn load_checked(spec: FontSpec, japanese: bool) -> Result<Font, FontError> {
        let unusable = |reason: Unusable| FontError::Unusable {
            path: spec.path.display().to_string(),
            reason,
        };
        let bytes = std::fs::read(&spec.path)
            .map_err(|e| unusable(crate::output::ReadFailure(e).into()))?;
        Font::from_bytes(spec, bytes, japanese)
    }

    /// A face of a file already read.
    pub fn from_bytes(spec: FontSpec, bytes: Vec<u8>, japanese: bool) -> Result<Font, FontError> {
        let unusable = |reason: Unusable| FontError::Unusable {
            path: spec.path.display().to_string(),
            reason,
        };
        let face = ttf_parser::Face::parse(&bytes, spec.index).map_err(|e| unusable(e.into()))?;
        let family = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| spec.path.display().to_string());
        if japanese && face.glyph_index('あ').is_none() {
            return Err(unusable(Unusable::NotJapanese));
        }
        let units_per_em = f64::from(face.units_per_em());
        Ok(Font {
            spec,
            bytes,
            family,
            units_per_em,
            glyphs: GlyphCache::default(),
        })
    }

    fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.bytes, self.spec.index).expect("checked in Font::load")
    }

    /// Glyph id and advance in em, `None` when the font has no glyph.
    pub fn glyph(&self, c: char) -> Option<(u16, f64)> {
        let cached = self.glyphs.get(c);
        let g = cached.unwrap_or_else(|| {
            let face = self.face();
            let g = face
                .glyph_index(c)
                .map(|g| (g.0, face.glyph_hor_advance(g).unwrap_or(0)));
            self.glyphs.put(c, g);
            g
        });
        g.map(|(gid, advance)| (gid, f64::from(advance) / self.units_per_em))
    }

    /// The advance of a glyph in thousandths of an em, as printpdf writes it
    /// into the font's `/W` widths (0 for a glyph the font does not have).
    pub fn width_thousandths(&self, gid: u16) -> i64 {
        let face = self.face();
        let units_per_em = f32::from(face.units_per_em());
        face.glyph_hor_advance(ttf_parser::GlyphId(gid))
            .map_or(0, |w| (f32::from(w) * 1000.0 / units_per_em) as i64)
    }

    /// Advance of a character in em, `None` when the font has no glyph.
    pub fn advance_em(&self, c: char) -> Option<f64> {
        self.glyph(c).map(|(_, a)| a)
    }

    /// True when the font can draw the character.
    pub fn has_glyph(&self, c: char) -> bool {
        c.is_whitespace() || self.advance_em(c).is_some()
    }
}

/// A face of a [`FontPair`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// The body face.
    Regular,
    /// The face of titles and headers (the regular face when there is none).
    Bold,
    /// Another installed font, for characters the main faces lack.
    Fallback(usize),
}

/// Regular and bold faces chosen for the PDF, and fallbacks for characters
/// they lack.
pub struct FontPair {
    /// Body text.
    pub regular: Font,
    /// Title and headers (the regular face when no bold exists).
    pub bold: Option<Font>,
    /// Other fonts on the system that draw characters the main font lacks.
    pub fallbacks: Vec<Font>,
}

impl FontPair {
    /// Which face draws `c` in regular or bold text: the main face when it
    /// has the character, else the regular face, else the first fallback
    /// that has it; the main face when none has it (drawn as missing).
    pub fn face_for(&self, c: char, bold: bool) -> Face {
        let main = if bold && self.bold.is_some() {
            Face::Bold
        } else {
            Face::Regular
        };
        if c.is_whitespace() || self.font(main).has_glyph(c) {
            return main;
        }
        if self.regular.has_glyph(c) {
            return Face::Regular;
        }
        self.fallbacks
            .iter()
            .position(|f| f.has_glyph(c))
            .map_or(main, Face::Fallback)
    }

    /// The font of a face.
    pub fn font(&self, face: Face) -> &Font {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => self.bold.as_ref().unwrap_or(&self.regular),
            Face::Fallback(i) => self.fallbacks.get(i).unwrap_or(&self.regular),
        }
    }

    /// Every face, each once: regular, bold (when there is one), fallbacks.
    pub fn faces(&self) -> Vec<Face> {
        let mut faces = vec![Face::Regular];
        if self.bold.is_some() {
            faces.push(Face::Bold);
        }
        faces.extend((0..self.fallbacks.len()).map(Face::Fallback));
        faces
    }

    /// True when some font can draw `c`.
    pub fn has(&self, c: char) -> bool {
        self.regular.has_glyph(c) || self.fallbacks.iter().any(|f| f.has_glyph(c))
    }

    /// Advance of `c` in em in the font that draws it (1 em when none does).
    pub fn advance_em(&self, c: char, bold: bool) -> f64 {
        self.font(self.face_for(c, bold))
            .advance_em(c)
            .unwrap_or(1.0)
    }
}
