//! Text metrics for the handout workbook: how wide a character is and how
//! tall a line is in the face a cell names, and how wide Excel and
//! LibreOffice make a column. The 資料 sheet's row heights are computed
//! from them (see [`super::matrix_sheet`] for the height model and its
//! measured error).
//!
//! # Why the advances are shipped in the code
//!
//! The workbook must have the same bytes whether it is built on Linux or on
//! a clerk's Windows PC (SPEC §7.10), and the row heights are in those
//! bytes. Measuring with whatever font file the machine has would tie the
//! bytes to the machine: Windows ships BIZ UD ゴシック as `BIZ-UDGothicR.ttc`,
//! Debian as four `.ttf` files, and a PC without the face would measure a
//! substitute. So the advances of the faces the template may name for Excel
//! (BIZ UDPゴシック, the default, and its fixed-pitch sibling BIZ UDゴシック)
//! are a table in `metrics/faces.rs`, generated once from the font files and
//! checked against them by a test whenever the fonts are installed (CI
//! installs them). Any other face gets [`GENERIC`], a deliberately generous
//! estimate: rows that do not clip in the common Japanese faces, at the
//! price of some empty space.
//!
//! # Pixels
//!
//! Excel (GDI) and LibreOffice 7.4 lay cell text out on a 96 dpi screen
//! with each glyph's advance rounded to whole pixels at the font's pixel
//! size, and lines one font height apart (BIZ UD: ascender + descender =
//! 1 em). Measured in LibreOffice: a 9 pt `あ` (0.98 em) takes 12 px like
//! `漢`, a 10 pt `a` (0.65 em) 8 px, so the pixel size is
//! `round(points × 96 / 72)` and each advance is rounded half up. This
//! module measures the same way, in pixels.

mod faces;

use unicode_width::UnicodeWidthChar;

use crate::layout::Measure;

/// Advance widths and line pitch of one font family.
#[derive(Debug, PartialEq)]
pub struct FaceMetrics {
    /// The names Excel may show for the family (Japanese, English).
    pub names: &'static [&'static str],
    /// Font units per em.
    pub units_per_em: u16,
    /// Distance between lines in font units: `hhea` ascender − descender +
    /// line gap (BIZ UD: 1802 + 246 + 0 = 2048, one em).
    pub line_units: u16,
    /// Advances of the regular face, as `(first, last, advance)` runs of
    /// code points (sorted; code points the face lacks between two equal
    /// neighbours are folded into the run).
    regular: &'static [(u32, u32, u16)],
    /// The same for the bold face.
    bold: &'static [(u32, u32, u16)],
    /// Advance of a character no run covers, in font units: wide (East
    /// Asian Wide/Fullwidth) and other characters. Such a character is
    /// drawn by a substitute font whose width is unknown, so this errs on
    /// the wide side.
    missing: (u16, u16),
    /// [`FaceMetrics::advance_units`] of every character of the Basic
    /// Multilingual Plane, regular and bold, made when first asked for.
    bmp: [std::sync::OnceLock<Box<[u16]>>; 2],
}

/// BIZ UDPゴシック (Morisawa, proportional kana and Latin): the template's
/// default face, included in Windows 10 and later.
pub static BIZ_UDP_GOTHIC: FaceMetrics = FaceMetrics {
    names: &["BIZ UDPゴシック", "BIZ UDPGothic"],
    units_per_em: 2048,
    line_units: faces::BIZ_UDP_GOTHIC_LINE,
    regular: faces::BIZ_UDP_GOTHIC_REGULAR,
    bold: faces::BIZ_UDP_GOTHIC_BOLD,
    missing: (2048, 2048),
    bmp: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
};

/// BIZ UDゴシック: the fixed-pitch sibling of [`BIZ_UDP_GOTHIC`].
pub static BIZ_UD_GOTHIC: FaceMetrics = FaceMetrics {
    names: &["BIZ UDゴシック", "BIZ UDGothic"],
    units_per_em: 2048,
    line_units: faces::BIZ_UD_GOTHIC_LINE,
    regular: faces::BIZ_UD_GOTHIC_REGULAR,
    bold: faces::BIZ_UD_GOTHIC_BOLD,
    missing: (2048, 2048),
    bmp: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
};

/// Any face shiryo has no table for (the template names it; Excel and
/// LibreOffice draw it or a substitute): wide characters 1 em, others
/// 0.6 em, lines 1.5 em apart (Meiryo's pitch, the widest of the common
/// Japanese faces; MS Pゴシック and BIZ UD have 1.0 em, Noto Sans CJK 1.45
/// em). Rows fit but may be up to half a line per line taller than needed.
pub static GENERIC: FaceMetrics = FaceMetrics {
    names: &[],
    units_per_em: 1000,
    line_units: 1500,
    regular: &[],
    bold: &[],
    missing: (1000, 600),
    bmp: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
};

/// The metrics for a face as the workbook names it ([`GENERIC`] for a face
/// shiryo has no table for). Case and spaces do not matter.
pub fn face(name: &str) -> &'static FaceMetrics {
    let key = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = key(name);
    [&BIZ_UDP_GOTHIC, &BIZ_UD_GOTHIC]
        .into_iter()
        .find(|f| f.names.iter().any(|n| key(n) == wanted))
        .unwrap_or(&GENERIC)
}

impl FaceMetrics {
    /// Advance of `c` in font units.
    pub fn advance_units(&self, c: char, bold: bool) -> u16 {
        let cp = u32::from(c) as usize;
        if cp >= 0x1_0000 {
            return self.look_up(c, bold);
        }
        // Every character of a month's text is measured: a table beats
        // searching the runs each time.
        let table = self.bmp[usize::from(bold)].get_or_init(|| {
            (0..0x1_0000u32)
                .map(|cp| char::from_u32(cp).map_or(0, |c| self.look_up(c, bold)))
                .collect()
        });
        table[cp]
    }

    /// [`FaceMetrics::advance_units`] from the runs.
    fn look_up(&self, c: char, bold: bool) -> u16 {
        let runs = if bold { self.bold } else { self.regular };
        let cp = u32::from(c);
        let i = runs.partition_point(|r| r.0 <= cp);
        if let Some(&(_, last, advance)) = i.checked_sub(1).and_then(|i| runs.get(i))
            && cp <= last
        {
            return advance;
        }
        match c.width() {
            Some(0) => 0,
            Some(2) => self.missing.0,
            _ => self.missing.1,
        }
    }

    /// Excel's maximum digit width in pixels: the widest of `0`–`9` at
    /// `points`, as the Normal style's font defines column widths.
    pub fn max_digit_px(&'static self, points: f64) -> u32 {
        let font = CellFont::new(self, points, false);
        ('0'..='9').map(|c| font.advance_px(c)).max().unwrap_or(1)
    }

    /// The widest digit in font units (LibreOffice's column unit).
    fn max_digit_units(&self) -> u16 {
        ('0'..='9')
            .map(|c| self.advance_units(c, false))
            .max()
            .unwrap_or(1)
    }
}

/// The font of a cell: a face at a size, regular or bold, measured in
/// whole pixels per glyph at 96 dpi.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellFont {
    /// The face's metrics.
    pub face: &'static FaceMetrics,
    /// Bold or regular advances.
    pub bold: bool,
    /// Pixels per em: the size in points at 96 dpi, rounded.
    pub ppem: u32,
}

impl CellFont {
    /// The face at `points` (clamped to 1–400 pt; the template allows 4–30).
    pub fn new(face: &'static FaceMetrics, points: f64, bold: bool) -> CellFont {
        let points = if points.is_finite() {
            points.clamp(1.0, 400.0)
        } else {
            11.0
        };
        CellFont {
            face,
            bold,
            ppem: (points * 96.0 / 72.0).round() as u32,
        }
    }

    /// `units` font units in pixels at this size, rounded half up.
    fn px(&self, units: u32) -> u32 {
        let upm = u32::from(self.face.units_per_em.max(1));
        (2 * units * self.ppem + upm) / (2 * upm)
    }

    /// Advance of `c` in whole pixels.
    pub fn advance_px(&self, c: char) -> u32 {
        self.px(u32::from(self.face.advance_units(c, self.bold)))
    }

    /// Distance between two lines of a wrapped cell in pixels.
    pub fn line_px(&self) -> u32 {
        self.px(u32::from(self.face.line_units)).max(1)
    }
}

impl Measure for CellFont {
    fn advance(&self, c: char) -> f64 {
        f64::from(self.advance_px(c))
    }
}

/// Excel's cell padding for a maximum digit width: two margins of a
/// quarter digit (rounded up) and the grid line (ECMA-376 §18.3.1.13:
/// 5 px for Calibri 11's 7 px digits).
pub fn cell_padding_px(mdw: u32) -> u32 {
    2 * mdw.div_ceil(4) + 1
}

/// Excel's width of a column in pixels, padding included, from its
/// `<col width>` (characters of the Normal style's widest digit, padding
/// included) and that digit's width `mdw` in pixels (ECMA-376 §18.3.1.13):
/// `trunc(((256 × width + trunc(128 / mdw)) / 256) × mdw)`.
pub fn excel_column_px(width: f64, mdw: u32) -> u32 {
    let mdw = mdw.max(1);
    let units = (256.0 * width).trunc() + f64::from(128 / mdw);
    (units / 256.0 * f64::from(mdw)).trunc().max(0.0) as u32
}

/// The `<col width>` rust_xlsxwriter writes for a column of `px` pixels,
/// given the digit width it was told the Normal font has
/// (`Workbook::set_default_format`): `trunc(px × 256 / mdw) / 256`.
pub fn written_width(px: u32, writer_mdw: u32) -> f64 {
    f64::from(px * 256 / writer_mdw.max(1)) / 256.0
}

/// LibreOffice's `<col width>` unit: the widest digit of the Normal font at
/// its size in points, in twips (1/20 pt), rounded (oox import).
fn lo_digit_twips(normal: &FaceMetrics, points: f64) -> f64 {
    (f64::from(normal.max_digit_units()) / f64::from(normal.units_per_em.max(1)) * points * 20.0)
        .round()
}

/// Calibrated on LibreOffice 7.4 (`lo_rowheights.py`'s optimal height):
/// a line of glyphs `n` px wide fits a column `w` (1/100 mm) wide when
/// `LO_PX × n + LO_INSET ≤ w`. Measured thresholds (9, 10 and 10.5 pt; 100
/// to 480 px of text) lie within 10/100 mm of `27.27 n + 113`; the constants
/// are rounded towards the narrower column. 27.28 is 1.031 screen pixels:
/// LibreOffice scales its text to the printer before breaking lines.
const LO_PX: f64 = 27.28;
/// See [`LO_PX`]: cell margins, in 1/100 mm.
const LO_INSET: f64 = 120.0;

/// How the Normal style's font sizes the columns of a workbook, in Excel
/// and in LibreOffice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    /// Excel's maximum digit width of the Normal font, in pixels.
    pub mdw: u32,
    /// The digit width rust_xlsxwriter converts pixels with (the nearest it
    /// supports; equal to `mdw` for the BIZ UD faces).
    pub writer_mdw: u32,
    /// LibreOffice's width unit in twips.
    lo_digit: f64,
}

/// Column pixel widths rust_xlsxwriter's `set_default_format` accepts, with
/// the digit width each stands for (its `default_column_metrics`).
const WRITER_DEFAULTS: [(u32, u32); 7] = [
    (6, 56),
    (7, 64),
    (8, 72),
    (9, 80),
    (11, 96),
    (12, 104),
    (13, 120),
];

impl Columns {
    /// The columns of a workbook whose Normal style is `normal` at `points`.
    pub fn of(normal: &'static FaceMetrics, points: f64) -> Columns {
        let mdw = normal.max_digit_px(points);
        let writer_mdw = WRITER_DEFAULTS
            .iter()
            .map(|d| d.0)
            .min_by_key(|&d| (d.abs_diff(mdw), d))
            .unwrap_or(7);
        Columns {
            mdw,
            writer_mdw,
            lo_digit: lo_digit_twips(normal, points),
        }
    }

    /// The default column width in pixels to give
    /// `Workbook::set_default_format`, so that widths are written in the
    /// Normal font's digits.
    pub fn writer_default_px(&self) -> u32 {
        WRITER_DEFAULTS
            .iter()
            .find(|d| d.0 == self.writer_mdw)
            .map_or(64, |d| d.1)
    }

    /// The pixel width to give `set_column_width_pixels` for a column
    /// Excel shows `px` pixels wide (or as close below as the width
    /// attribute's 1/256 digit steps allow).
    pub fn writer_px(&self, px: u32) -> u32 {
        if self.writer_mdw == self.mdw {
            return px;
        }
        let mut p =
            (u64::from(px) * u64::from(self.writer_mdw) / u64::from(self.mdw.max(1))) as u32;
        while p > 0 && excel_column_px(written_width(p, self.writer_mdw), self.mdw) > px {
            p -= 1;
        }
        p
    }

    /// The width in pixels a line of text may take in a column whose
    /// `<col width>` is `width`: the narrower of Excel's (column less
    /// padding) and LibreOffice's. LibreOffice's is calibrated on 7.4: a
    /// line of glyphs `n` px wide fits a column `w` (1/100 mm) wide when
    /// `27.28 n + 120 ≤ w`, the column being `width` × the widest digit in
    /// twips (for BIZ UDPゴシック 11 pt 167 twips, 11.13 px, against
    /// Excel's 11 px).
    pub fn text_px(&self, width: f64) -> f64 {
        let excel =
            f64::from(excel_column_px(width, self.mdw)) - f64::from(cell_padding_px(self.mdw));
        let lo_mm100 = (width * self.lo_digit * 127.0 / 72.0).round();
        let lo = (lo_mm100 - LO_INSET) / LO_PX;
        excel.min(lo).max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::break_lines;

    #[test]
    fn the_table_holds_what_the_runs_say() {
        for face in [&BIZ_UDP_GOTHIC, &BIZ_UD_GOTHIC, &GENERIC] {
            for bold in [false, true] {
                for c in [
                    'a', 'W', '1', 'あ', '漢', '﨑', '　', '\u{3099}', 'ｶ', '\u{ffff}',
                ] {
                    assert_eq!(face.advance_units(c, bold), face.look_up(c, bold), "{c:?}");
                }
                assert_eq!(face.advance_units('😀', bold), face.look_up('😀', bold));
            }
        }
    }

    #[test]
    fn advances_of_known_characters() {
        let f = &BIZ_UDP_GOTHIC;
        assert_eq!(f.advance_units('漢', false), 2048);
        assert_eq!(f.advance_units('あ', false), 2007);
        assert_eq!(f.advance_units('0', false), 1556);
        assert_eq!(f.advance_units('i', false), 655);
        assert_eq!(f.advance_units(' ', false), 683);
        // Outside the font: a substitute font, width unknown, 1 em.
        assert_eq!(f.advance_units('\u{1F600}', false), 2048);
        assert_eq!(f.advance_units('\u{200B}', false), 0);
        let mono = &BIZ_UD_GOTHIC;
        assert_eq!(mono.advance_units('a', false), 1024);
        assert_eq!(mono.advance_units('あ', true), 2048);
    }

    #[test]
    fn faces_by_name() {
        assert_eq!(face("BIZ UDPゴシック"), &BIZ_UDP_GOTHIC);
        assert_eq!(face("biz udpgothic"), &BIZ_UDP_GOTHIC);
        assert_eq!(face("BIZ UDゴシック"), &BIZ_UD_GOTHIC);
        assert_eq!(face("Meiryo UI"), &GENERIC);
        assert_eq!(GENERIC.advance_units('漢', false), 1000);
        assert_eq!(GENERIC.advance_units('a', true), 600);
    }

    #[test]
    fn pixels_are_rounded_per_glyph() {
        // 9 pt = 12 px per em; あ (0.98 em) rounds to 12 px like 漢.
        let f = CellFont::new(&BIZ_UDP_GOTHIC, 9.0, false);
        assert_eq!((f.ppem, f.line_px()), (12, 12));
        assert_eq!(f.advance_px('あ'), 12);
        assert_eq!(f.advance_px('a'), 8);
        assert_eq!(f.advance_px('・'), 6);
        // 10 pt = 13 px (not 13.33): a = 0.65 em = 8.45 → 8.
        let f = CellFont::new(&BIZ_UDP_GOTHIC, 10.0, false);
        assert_eq!((f.ppem, f.advance_px('a'), f.advance_px('・')), (13, 8, 7));
        assert_eq!(CellFont::new(&GENERIC, f64::NAN, false).ppem, 15);
    }

    #[test]
    fn max_digit_width_of_the_normal_fonts() {
        // 11 pt = 15 px; BIZ UDP digits are 0.76 em → 11 px; BIZ UD 0.5 em → 8.
        assert_eq!(BIZ_UDP_GOTHIC.max_digit_px(11.0), 11);
        assert_eq!(BIZ_UD_GOTHIC.max_digit_px(11.0), 8);
        assert_eq!(cell_padding_px(7), 5);
        assert_eq!(cell_padding_px(11), 7);
        assert_eq!(cell_padding_px(13), 9);
    }

    #[test]
    fn column_width_in_pixels_as_excel_computes_it() {
        // Calibri 11 (7 px digits): 8.43 characters is Excel's 64 px column.
        assert_eq!(excel_column_px(9.140625, 7), 64);
        assert_eq!(excel_column_px(written_width(64, 7), 7), 64);
        // A column written in 7 px digits shows 11/7 as wide in BIZ UDP.
        assert_eq!(excel_column_px(46.7109375, 11), 514);
        for px in [20, 100, 127, 355, 514, 1000] {
            assert_eq!(excel_column_px(written_width(px, 11), 11), px, "{px}");
        }
        assert_eq!(excel_column_px(-3.0, 11), 0);
    }

    #[test]
    fn columns_of_the_default_font() {
        let c = Columns::of(&BIZ_UDP_GOTHIC, 11.0);
        assert_eq!((c.mdw, c.writer_mdw, c.writer_default_px()), (11, 11, 96));
        assert_eq!(c.writer_px(500), 500);
        // LibreOffice: 46.71 digits of 167 twips = 13760/100 mm, measured.
        let lo = (46.7109375 * c.lo_digit * 127.0 / 72.0).round();
        assert_eq!(lo, 13760.0);
        // Text width: LibreOffice's (500.1 px) is narrower than Excel's 507.
        let w = c.text_px(46.7109375);
        assert!((w - (13760.0 - LO_INSET) / LO_PX).abs() < 1e-9, "{w}");
        // A face whose digit width the writer does not know (10 px) is
        // written in the nearest one and converted back.
        let c = Columns {
            mdw: 10,
            writer_mdw: 9,
            lo_digit: 150.0,
        };
        let p = c.writer_px(400);
        assert!(excel_column_px(written_width(p, 9), 10) <= 400);
        assert!(excel_column_px(written_width(p + 1, 9), 10) > 400);
    }

    #[test]
    fn line_count_of_known_strings() {
        // 20 full-width characters of 12 px fill 240 px exactly.
        let f = CellFont::new(&BIZ_UDP_GOTHIC, 9.0, false);
        let text = "漢".repeat(20);
        assert_eq!(break_lines(&text, 240.0, &f).len(), 1);
        assert_eq!(break_lines(&text, 239.0, &f).len(), 2);
        // Proportional kana: ア is 11 px, so 21 fit where 20 漢 do.
        assert_eq!(break_lines(&"ア".repeat(21), 240.0, &f).len(), 1);
        // A sentence from the sample month in a 180 px column.
        let s = "・オンライン申請は導入しているが、件数は少ない。";
        assert_eq!(break_lines(s, 180.0, &f).len(), 2);
    }

    /// The generated table (see [`faces`]) as the font files give it.
    fn table_source(paths: &[(&str, &str)]) -> Option<String> {
        use sha2::Digest;
        use std::fmt::Write;
        let mut out = String::from(
            "//! Advance widths of the faces the handout may name in Excel, generated\n\
             //! from the font files by `cargo test --lib regenerate_face_tables --\n\
             //! --ignored` (see `metrics.rs`; do not edit). Runs of code points with one\n\
             //! advance in font units (2048 per em); code points a face lacks between\n\
             //! two equal neighbours are folded into the run.\n//!\n",
        );
        let mut body = String::new();
        for (konst, path) in paths {
            let bytes = std::fs::read(path).ok()?;
            let face = ttf_parser::Face::parse(&bytes, 0).ok()?;
            let version = face
                .names()
                .into_iter()
                .find(|n| n.name_id == ttf_parser::name_id::VERSION && n.is_unicode())
                .and_then(|n| n.to_string())
                .unwrap_or_default();
            let digest = sha2::Sha256::digest(&bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            let file = path.rsplit('/').next().unwrap_or(path);
            writeln!(out, "//! - `{konst}`: {file}, {version}, SHA-256 {hex}").ok()?;
            let mut cps = Vec::new();
            if let Some(cmap) = face.tables().cmap {
                for sub in cmap.subtables {
                    if sub.is_unicode() {
                        sub.codepoints(|c| cps.push(c));
                    }
                }
            }
            cps.sort_unstable();
            cps.dedup();
            let mut runs: Vec<(u32, u32, u16)> = Vec::new();
            for cp in cps {
                let Some(g) = char::from_u32(cp).and_then(|c| face.glyph_index(c)) else {
                    continue;
                };
                let advance = face.glyph_hor_advance(g).unwrap_or(0);
                match runs.last_mut() {
                    Some(r) if r.2 == advance => r.1 = cp,
                    _ => runs.push((cp, cp, advance)),
                }
            }
            if konst.ends_with("_REGULAR") {
                let hhea = face.tables().hhea;
                let line = hhea.ascender as i32 - hhea.descender as i32 + hhea.line_gap as i32;
                let family = konst.trim_end_matches("_REGULAR");
                writeln!(
                    body,
                    "\n/// Line pitch in font units (`hhea` ascender − descender + line gap).\n\
                     pub(super) const {family}_LINE: u16 = {line};"
                )
                .ok()?;
            }
            writeln!(
                body,
                "\n/// `(first, last, advance)` runs of {file}.\n#[rustfmt::skip]\n\
                 pub(super) static {konst}: &[(u32, u32, u16)] = &["
            )
            .ok()?;
            for chunk in runs.chunks(4) {
                let line: Vec<String> = chunk
                    .iter()
                    .map(|(a, b, w)| format!("(0x{a:04X}, 0x{b:04X}, {w})"))
                    .collect();
                writeln!(body, "    {},", line.join(", ")).ok()?;
            }
            writeln!(body, "];").ok()?;
        }
        Some(out + &body)
    }

    const FONT_DIR: &str = "/usr/share/fonts/truetype/bizud-gothic";
    const TABLES: &str = "src/render/xlsx/metrics/faces.rs";

    fn font_paths() -> Vec<(&'static str, String)> {
        [
            ("BIZ_UDP_GOTHIC_REGULAR", "BIZUDPGothic-Regular.ttf"),
            ("BIZ_UDP_GOTHIC_BOLD", "BIZUDPGothic-Bold.ttf"),
            ("BIZ_UD_GOTHIC_REGULAR", "BIZUDGothic-Regular.ttf"),
            ("BIZ_UD_GOTHIC_BOLD", "BIZUDGothic-Bold.ttf"),
        ]
        .into_iter()
        .map(|(k, f)| (k, format!("{FONT_DIR}/{f}")))
        .collect()
    }

    #[test]
    #[ignore = "rewrites src/render/xlsx/metrics/faces.rs from the installed BIZ UD fonts"]
    fn regenerate_face_tables() {
        let paths = font_paths();
        let refs: Vec<(&str, &str)> = paths.iter().map(|(k, p)| (*k, p.as_str())).collect();
        let source = table_source(&refs).expect("fonts-morisawa-bizud-gothic installed");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLES);
        std::fs::write(path, source).unwrap();
    }

    /// The committed table is the installed fonts' (Debian:
    /// fonts-morisawa-bizud-gothic; skipped where they are not installed).
    #[test]
    fn face_tables_match_the_installed_fonts() {
        let paths = font_paths();
        if !paths.iter().all(|(_, p)| std::path::Path::new(p).exists()) {
            eprintln!("BIZ UD fonts not installed in {FONT_DIR}: table not checked");
            return;
        }
        let refs: Vec<(&str, &str)> = paths.iter().map(|(k, p)| (*k, p.as_str())).collect();
        let source = table_source(&refs).unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLES);
        let committed = std::fs::read_to_string(path).unwrap().replace("\r\n", "\n");
        assert!(
            committed == source,
            "{TABLES} is not the installed fonts' table: the fonts changed? Rerun \
             `cargo test --lib regenerate_face_tables -- --ignored` and check the row heights \
             (the workbook's bytes change)"
        );
    }
}
