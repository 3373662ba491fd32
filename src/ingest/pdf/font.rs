//! A PDF font as the text reader needs it: how its string bytes split into
//! codes, the text of each code and its advance width.
//!
//! The text of a code comes from the font's `/ToUnicode` map first; then,
//! for a simple font, from its encoding (lopdf's tables of the standard
//! encodings and glyph names); for a composite font with a predefined
//! Japanese CMap (`UniJIS-UCS2-H`, `90ms-RKSJ-H`, `EUC-H`…) from the code
//! itself. A symbol font (Wingdings, Symbol) without a map gives the
//! private-use code point Word gives it (U+F000 + code), so that its
//! bullets are recognised as bullets.

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;

/// Largest stream (a CMap) decoded for a font.
const MAX_FONT_STREAM: usize = 8 * 1024 * 1024;
/// Most entries read from a `/W` array.
const MAX_WIDTHS: usize = 100_000;

/// One code of a shown string, decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Code {
    /// Its text; `None` when the font has no way to say.
    pub text: Option<String>,
    /// Advance in thousandths of the font size.
    pub width: f32,
    /// A one-byte code 32: word spacing applies to it.
    pub word_space: bool,
}

/// How a composite font's codes give text without a `/ToUnicode` map.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Predefined {
    /// Two-byte codes that are CIDs (`Identity-H`/`-V`): no text.
    Identity,
    /// UCS-2 codes (`UniJIS-UCS2-H`).
    Ucs2,
    /// UTF-16 codes (`UniJIS-UTF16-H`).
    Utf16,
    /// Shift_JIS codes (`90ms-RKSJ-H`, `90msp-RKSJ-H`, `83pv-RKSJ-H`).
    ShiftJis,
    /// EUC-JP codes (`EUC-H`).
    EucJp,
    /// JIS X 0208 row/cell codes (`H`, `V`).
    Jis,
}

impl Predefined {
    fn from_name(name: &str) -> Option<Predefined> {
        if name == "H" || name == "V" {
            return Some(Predefined::Jis);
        }
        let base = name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))
            .unwrap_or(name);
        Some(match base {
            "Identity" => Predefined::Identity,
            b if b.starts_with("Uni") && b.contains("UCS2") => Predefined::Ucs2,
            b if b.starts_with("Uni") && b.contains("UTF16") => Predefined::Utf16,
            b if b.contains("RKSJ") => Predefined::ShiftJis,
            "EUC" => Predefined::EucJp,
            _ => return None,
        })
    }

    /// Bytes of the code at the start of `bytes`.
    fn code_len(self, bytes: &[u8]) -> usize {
        let b = bytes[0];
        match self {
            Predefined::ShiftJis if b < 0x80 || (0xA1..=0xDF).contains(&b) => 1,
            Predefined::ShiftJis => 2,
            Predefined::EucJp if b < 0x80 => 1,
            Predefined::EucJp if b == 0x8F => 3,
            Predefined::EucJp => 2,
            Predefined::Utf16 if (0xD8..=0xDB).contains(&b) => 4,
            _ => 2,
        }
    }

    fn text(self, code: &[u8]) -> Option<String> {
        let decoded = match self {
            Predefined::Identity => return None,
            Predefined::Ucs2 | Predefined::Utf16 => {
                encoding_rs::UTF_16BE.decode_without_bom_handling(code).0
            }
            Predefined::ShiftJis => encoding_rs::SHIFT_JIS.decode_without_bom_handling(code).0,
            Predefined::EucJp => encoding_rs::EUC_JP.decode_without_bom_handling(code).0,
            Predefined::Jis => {
                let euc: Vec<u8> = code.iter().map(|b| b | 0x80).collect();
                std::borrow::Cow::Owned(
                    encoding_rs::EUC_JP
                        .decode_without_bom_handling(&euc)
                        .0
                        .into_owned(),
                )
            }
        };
        (!decoded.contains('\u{FFFD}') && !decoded.is_empty()).then(|| decoded.into_owned())
    }
}

/// How a composite font splits codes and finds CIDs.
#[derive(Debug, Clone)]
enum CodeSpace {
    Predefined(Predefined),
    Embedded(Box<CMap>),
}

/// Widths of a composite font by CID.
#[derive(Debug, Clone, Default)]
struct CidWidths {
    /// `(first CID, last CID, width)`, sorted.
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl CidWidths {
    fn get(&self, cid: u32) -> f32 {
        let idx = self.ranges.partition_point(|r| r.0 <= cid);
        match idx.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some(r) if r.1 >= cid => r.2,
            _ => self.default,
        }
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Simple {
        /// Width of each one-byte code.
        widths: Vec<f32>,
        /// Text of each one-byte code by the font's encoding.
        encoding: Vec<Option<String>>,
    },
    Composite {
        space: CodeSpace,
        widths: CidWidths,
    },
}

/// A font of a page's resources, ready to decode shown strings.
#[derive(Debug, Clone)]
pub(crate) struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Draws symbols: unmapped codes are U+F000 + code.
    symbolic: bool,
    /// Vertical writing mode (an `-V` CMap).
    pub vertical: bool,
    /// Scale from glyph space widths to thousandths of the font size
    /// (1 except for Type 3 fonts).
    scale: f32,
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// The object itself, or what a reference points to.
pub(crate) fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        other => other,
    }
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    resolve(doc, d.get(key).ok()?).as_dict().ok()
}

fn name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    resolve(doc, d.get(key).ok()?).as_name().ok()
}

fn stream_bytes(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    let s = resolve(doc, d.get(key).ok()?).as_stream().ok()?;
    match s.filters() {
        Ok(f) if !f.is_empty() => s.decompressed_content_with_limit(MAX_FONT_STREAM).ok(),
        _ => Some(s.content.clone()),
    }
}

impl Font {
    /// Reads a font dictionary; anything missing falls back to a plain
    /// one-byte font whose codes give no text.
    pub(crate) fn load(doc: &Document, font: &Dictionary) -> Font {
        let to_unicode = stream_bytes(doc, font, b"ToUnicode").map(|b| CMap::parse(&b));
        let base = name(doc, font, b"BaseFont")
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let subtype = name(doc, font, b"Subtype").unwrap_or(b"");
        if subtype == b"Type0" {
            return Font::composite(doc, font, to_unicode);
        }
        let descriptor = dict(doc, font, b"FontDescriptor");
        let flags = descriptor
            .and_then(|d| d.get(b"Flags").ok())
            .and_then(number)
            .unwrap_or(0.0) as i64;
        let symbol_name = ["Wingdings", "Webdings", "Symbol", "Dingbats", "OpenSymbol"]
            .iter()
            .any(|s| base.contains(s));
        let has_encoding = font.get(b"Encoding").is_ok();
        let symbolic = symbol_name || (flags & 4 != 0 && flags & 32 == 0 && !has_encoding);
        let scale = if subtype == b"Type3" {
            font.get(b"FontMatrix")
                .ok()
                .map(|m| resolve(doc, m))
                .and_then(|m| m.as_array().ok())
                .and_then(|a| a.first())
                .and_then(number)
                .map_or(1.0, |s| s * 1000.0)
        } else {
            1.0
        };
        let missing = descriptor
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(number);
        let first = font
            .get(b"FirstChar")
            .ok()
            .and_then(number)
            .unwrap_or(0.0)
            .max(0.0) as usize;
        let listed: Vec<f32> = font
            .get(b"Widths")
            .ok()
            .map(|w| resolve(doc, w))
            .and_then(|w| w.as_array().ok())
            .map(|a| {
                a.iter()
                    .take(256)
                    .map(|o| number(resolve(doc, o)).unwrap_or(0.0))
                    .collect()
            })
            .unwrap_or_default();
        // Without widths (the standard 14 fonts), a plain average.
        let fallback = missing.unwrap_or(if base.contains("Courier") {
            600.0
        } else {
            500.0
        });
        let mut widths = vec![fallback; 256];
        for (i, w) in listed.iter().enumerate() {
            if let Some(slot) = widths.get_mut(first + i) {
                *slot = *w;
            }
        }
        if listed.is_empty() {
            widths[32] = 250.0;
        }
        // The encoding's text of each byte, from a copy of the font without
        // its ToUnicode map (lopdf would otherwise prefer the map).
        let mut plain = font.clone();
        plain.remove(b"ToUnicode");
        let encoding = match plain.get_font_encoding(doc) {
            Ok(enc) => (0..=255u8)
                .map(|b| {
                    enc.bytes_to_string(&[b])
                        .ok()
                        .filter(|t| !t.is_empty() && !t.contains('\u{FFFD}'))
                })
                .collect(),
            Err(_) => vec![None; 256],
        };
        Font {
            kind: Kind::Simple { widths, encoding },
            to_unicode,
            symbolic,
            vertical: false,
            scale,
        }
    }

    fn composite(doc: &Document, font: &Dictionary, to_unicode: Option<CMap>) -> Font {
        let (space, vertical) = match font.get(b"Encoding").ok().map(|e| resolve(doc, e)) {
            Some(Object::Name(n)) => {
                let n = String::from_utf8_lossy(n).into_owned();
                (
                    CodeSpace::Predefined(
                        Predefined::from_name(&n).unwrap_or(Predefined::Identity),
                    ),
                    n.ends_with("-V") || n == "V",
                )
            }
            Some(Object::Stream(s)) => {
                let bytes = match s.filters() {
                    Ok(f) if !f.is_empty() => s
                        .decompressed_content_with_limit(MAX_FONT_STREAM)
                        .unwrap_or_default(),
                    _ => s.content.clone(),
                };
                let cmap = CMap::parse(&bytes);
                let vertical = s.dict.get(b"WMode").ok().and_then(number) == Some(1.0)
                    || cmap.uses.as_deref().is_some_and(|u| u.ends_with("-V"));
                if cmap.has_spaces() {
                    (CodeSpace::Embedded(Box::new(cmap)), vertical)
                } else {
                    let uses = cmap.uses.as_deref().and_then(Predefined::from_name);
                    (
                        CodeSpace::Predefined(uses.unwrap_or(Predefined::Identity)),
                        vertical,
                    )
                }
            }
            _ => (CodeSpace::Predefined(Predefined::Identity), false),
        };
        let descendant = font
            .get(b"DescendantFonts")
            .ok()
            .map(|d| resolve(doc, d))
            .and_then(|d| d.as_array().ok())
            .and_then(|a| a.first())
            .map(|d| resolve(doc, d))
            .and_then(|d| d.as_dict().ok());
        let mut widths = CidWidths {
            ranges: Vec::new(),
            default: 1000.0,
        };
        if let Some(cid_font) = descendant {
            if let Some(dw) = cid_font.get(b"DW").ok().and_then(number) {
                widths.default = dw;
            }
            if let Some(w) = cid_font
                .get(b"W")
                .ok()
                .map(|w| resolve(doc, w))
                .and_then(|w| w.as_array().ok())
            {
                widths.ranges = cid_widths(doc, w);
            }
        }
        Font {
            kind: Kind::Composite { space, widths },
            to_unicode,
            symbolic: false,
            vertical,
            scale: 1.0,
        }
    }

    /// Decodes one shown string into codes.
    pub(crate) fn decode(&self, bytes: &[u8], out: &mut Vec<Code>) {
        match &self.kind {
            Kind::Simple { widths, encoding } => {
                for &b in bytes {
                    let text = self
                        .mapped(1, u32::from(b))
                        .or_else(|| {
                            self.symbolic
                                .then(|| char::from_u32(0xF000 + u32::from(b)).map(String::from))
                                .flatten()
                        })
                        .or_else(|| encoding[usize::from(b)].clone());
                    out.push(Code {
                        text,
                        width: widths[usize::from(b)] * self.scale,
                        word_space: b == 32,
                    });
                }
            }
            Kind::Composite { space, widths } => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let len = match space {
                        CodeSpace::Predefined(p) => p.code_len(rest),
                        CodeSpace::Embedded(cmap) => cmap.code_len(rest).unwrap_or(2),
                    }
                    .clamp(1, 4)
                    .min(rest.len());
                    let raw = &rest[..len];
                    let value = raw.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b));
                    let cid = match space {
                        CodeSpace::Predefined(Predefined::Identity) => Some(value),
                        CodeSpace::Predefined(_) => None,
                        CodeSpace::Embedded(cmap) => cmap.cid(len as u8, value),
                    };
                    let text = self.mapped(len as u8, value).or_else(|| match space {
                        CodeSpace::Predefined(p) => p.text(raw),
                        CodeSpace::Embedded(_) => None,
                    });
                    let width = match cid {
                        Some(cid) => widths.get(cid),
                        // Without a CID, a one-byte code is half-width.
                        None if len == 1 => widths.default / 2.0,
                        None => widths.default,
                    };
                    out.push(Code {
                        text,
                        width,
                        word_space: len == 1 && value == 32,
                    });
                    i += len;
                }
            }
        }
    }

    fn mapped(&self, len: u8, code: u32) -> Option<String> {
        self.to_unicode
            .as_ref()?
            .unicode(len, code)
            .filter(|t| !t.is_empty() && !t.contains('\u{FFFD}'))
    }
}

/// A CID font's `/W` array: `c [w1 w2 …]` and `cfirst clast w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() && out.len() < MAX_WIDTHS {
        let Some(first) = number(resolve(doc, &w[i])).filter(|f| *f >= 0.0) else {
            break;
        };
        let first = first as u32;
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().take(MAX_WIDTHS).enumerate() {
                    let cid = first.saturating_add(k as u32);
                    out.push((cid, cid, number(resolve(doc, v)).unwrap_or(1000.0)));
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (
                    number(last),
                    w.get(i + 2).map(|o| resolve(doc, o)).and_then(number),
                ) else {
                    break;
                };
                if last >= first as f32 {
                    out.push((first, last as u32, width));
                }
                i += 3;
            }
            None => break,
        }
    }
    out.sort_by_key(|r| r.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_japanese_cmaps() {
        assert_eq!(
            Predefined::from_name("UniJIS-UCS2-H"),
            Some(Predefined::Ucs2)
        );
        assert_eq!(
            Predefined::from_name("90ms-RKSJ-V"),
            Some(Predefined::ShiftJis)
        );
        assert_eq!(
            Predefined::from_name("Identity-H"),
            Some(Predefined::Identity)
        );
        assert_eq!(Predefined::from_name("H"), Some(Predefined::Jis));
        let sjis = Predefined::ShiftJis;
        assert_eq!(sjis.code_len(&[0x89, 0xEF]), 2);
        assert_eq!(sjis.code_len(&[0x41, 0x89]), 1);
        assert_eq!(sjis.text(&[0x89, 0xEF]).as_deref(), Some("会"));
        assert_eq!(Predefined::Ucs2.text(&[0x8B, 0x70]).as_deref(), Some("議"));
        assert_eq!(Predefined::Jis.text(&[0x32, 0x71]).as_deref(), Some("会"));
        assert_eq!(Predefined::Identity.text(&[0, 1]), None);
    }

    #[test]
    fn widths_of_a_cid_font() {
        let doc = Document::with_version("1.7");
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500), Object::Real(250.5)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Integer(333),
        ];
        let widths = CidWidths {
            ranges: cid_widths(&doc, &w),
            default: 1000.0,
        };
        assert_eq!(widths.get(1), 500.0);
        assert_eq!(widths.get(2), 250.5);
        assert_eq!(widths.get(3), 1000.0);
        assert_eq!(widths.get(15), 333.0);
        assert_eq!(widths.get(21), 1000.0);
    }
}
