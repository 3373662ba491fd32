//! Excel 97–2003 workbooks (.xls: BIFF8, and BIFF5 of Excel 5/95), read
//! record by record so that only written cells cost memory.
//!
//! calamine reads a whole .xls into dense rectangles as it opens it: a
//! DIMENSIONS record, or two cells far apart, make it allocate every cell
//! in between (65,536 × 256 cells for a four-cell sheet). This reader keeps
//! the cells of the sheets it is asked for, sparse, with their merges; it
//! ignores formatting, formulas' definitions and everything else a
//! submission does not need. The compound file is opened with `cfb`.

use std::io::{Read, Seek};

use super::error::{Detail, FileError, OldExcelVersion, Part};
use super::table::{Grid, SheetMeta, SheetState};

/// BIFF record types used here (MS-XLS 2.3).
mod rt {
    pub(super) const FORMULA: u16 = 0x0006;
    pub(super) const EOF: u16 = 0x000A;
    pub(super) const DATEMODE: u16 = 0x0022;
    pub(super) const FILEPASS: u16 = 0x002F;
    pub(super) const CONTINUE: u16 = 0x003C;
    pub(super) const CODEPAGE: u16 = 0x0042;
    pub(super) const BOUNDSHEET: u16 = 0x0085;
    pub(super) const MULRK: u16 = 0x00BD;
    pub(super) const RSTRING: u16 = 0x00D6;
    pub(super) const XF: u16 = 0x00E0;
    pub(super) const MERGECELLS: u16 = 0x00E5;
    pub(super) const SST: u16 = 0x00FC;
    pub(super) const LABELSST: u16 = 0x00FD;
    pub(super) const NUMBER: u16 = 0x0203;
    pub(super) const LABEL: u16 = 0x0204;
    pub(super) const BOOLERR: u16 = 0x0205;
    pub(super) const STRING: u16 = 0x0207;
    pub(super) const RK: u16 = 0x027E;
    pub(super) const FORMAT: u16 = 0x041E;
    pub(super) const BOF: u16 = 0x0809;
}

/// What the first bytes of a file say about old Excel formats: BIFF2–4
/// workbooks are plain record streams (no compound file) starting with a
/// BOF record of their own type.
pub fn old_biff_version(head: &[u8]) -> Option<OldExcelVersion> {
    if head.len() < 8 {
        return None;
    }
    let typ = u16::from_le_bytes([head[0], head[1]]);
    let len = u16::from_le_bytes([head[2], head[3]]);
    let dt = u16::from_le_bytes([head[6], head[7]]);
    let sheet_or_book = matches!(dt, 0x0010 | 0x0020 | 0x0040 | 0x0100 | 0x0005);
    match typ {
        0x0009 if len == 4 => Some(OldExcelVersion::Excel2),
        0x0209 if len == 6 && sheet_or_book => Some(OldExcelVersion::Excel3),
        0x0409 if len == 6 && sheet_or_book => Some(OldExcelVersion::Excel4),
        _ => None,
    }
}

/// The records of a stream: type and data, in order.
struct Records<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<(u16, &'a [u8])> {
        let head = self.data.get(self.pos..self.pos + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let body = self.data.get(self.pos + 4..self.pos + 4 + len)?;
        self.pos += 4 + len;
        Some((typ, body))
    }
}

fn records(data: &[u8], from: usize) -> Records<'_> {
    Records { data, pos: from }
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 4)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// Reads bytes across a record and its CONTINUE records (the SST).
struct Segments<'a> {
    parts: Vec<&'a [u8]>,
    part: usize,
    pos: usize,
}

impl Segments<'_> {
    fn at_boundary(&self) -> bool {
        self.pos >= self.parts.get(self.part).map_or(0, |p| p.len())
    }

    fn advance_part(&mut self) -> Option<()> {
        while self.at_boundary() {
            self.part += 1;
            self.pos = 0;
            self.parts.get(self.part)?;
        }
        Some(())
    }

    fn u8(&mut self) -> Option<u8> {
        self.advance_part()?;
        let b = *self.parts[self.part].get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }

    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            self.advance_part()?;
            let here = (self.parts[self.part].len() - self.pos).min(n);
            self.pos += here;
            n -= here;
        }
        Some(())
    }

    /// `cch` characters; a CONTINUE boundary inside them starts with a new
    /// flags byte that says whether the rest is 8 or 16 bits per character.
    fn chars(&mut self, cch: usize, mut high: bool) -> Option<String> {
        let mut units: Vec<u16> = Vec::with_capacity(cch.min(1 << 16));
        while units.len() < cch {
            if self.at_boundary() {
                self.part += 1;
                self.pos = 0;
                let flags = *self.parts.get(self.part)?.first()?;
                self.pos = 1;
                high = flags & 1 != 0;
            }
            units.push(if high {
                self.u16()?
            } else {
                u16::from(self.u8()?)
            });
        }
        Some(String::from_utf16_lossy(&units))
    }
}

/// Text of the shared string table: BIFF8 `XLUnicodeRichExtendedString`s.
fn shared_strings(parts: Vec<&[u8]>) -> Vec<String> {
    let mut s = Segments {
        parts,
        part: 0,
        pos: 0,
    };
    let mut out = Vec::new();
    let (Some(_total), Some(unique)) = (s.u32(), s.u32()) else {
        return out;
    };
    for _ in 0..unique {
        let Some(text) = (|| {
            let cch = usize::from(s.u16()?);
            let flags = s.u8()?;
            let runs = if flags & 0x08 != 0 { s.u16()? } else { 0 };
            let ext = if flags & 0x04 != 0 { s.u32()? } else { 0 };
            let text = s.chars(cch, flags & 1 != 0)?;
            s.skip(4 * usize::from(runs))?;
            s.skip(ext as usize)?;
            Some(text)
        })() else {
            break;
        };
        out.push(text);
    }
    out
}

/// The workbook-wide facts a sheet's cells need.
struct Globals {
    biff8: bool,
    encoding: &'static encoding_rs::Encoding,
    strings: Vec<String>,
    /// Per XF record: is its number format a date?
    date_xf: Vec<bool>,
    date1904: bool,
}

impl Globals {
    /// A string of a cell record: BIFF8 `XLUnicodeString` (16-bit length,
    /// flags) or BIFF5 (16-bit length, code page bytes).
    fn string16(&self, b: &[u8]) -> String {
        let Some(cch) = u16_at(b, 0).map(usize::from) else {
            return String::new();
        };
        if self.biff8 {
            let flags = b.get(2).copied().unwrap_or(0);
            unicode_chars(b.get(3..).unwrap_or(&[]), cch, flags & 1 != 0)
        } else {
            let bytes = b.get(2..2 + cch).or_else(|| b.get(2..)).unwrap_or(&[]);
            self.encoding
                .decode_without_bom_handling(bytes)
                .0
                .into_owned()
        }
    }

    fn number(&self, xf: u16, v: f64) -> String {
        if self.date_xf.get(usize::from(xf)).copied().unwrap_or(false) {
            let serial = if self.date1904 { v + 1462.0 } else { v };
            if let Some(date) = crate::date::Date::from_excel_serial(serial) {
                return date.to_string();
            }
        }
        super::raw::number_text(v)
    }
}

fn unicode_chars(b: &[u8], cch: usize, high: bool) -> String {
    if high {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().take(cch).map(|&c| char::from(c)).collect()
    }
}

/// A short sheet name: 8-bit length, then (BIFF8) flags and characters,
/// or (BIFF5) code page bytes.
fn short_string(g: &Globals, b: &[u8]) -> String {
    let Some(&cch) = b.first() else {
        return String::new();
    };
    let cch = usize::from(cch);
    if g.biff8 {
        let flags = b.get(1).copied().unwrap_or(0);
        unicode_chars(b.get(2..).unwrap_or(&[]), cch, flags & 1 != 0)
    } else {
        let bytes = b.get(1..1 + cch).or_else(|| b.get(1..)).unwrap_or(&[]);
        g.encoding.decode_without_bom_handling(bytes).0.into_owned()
    }
}

/// An RK number (MS-XLS 2.5.217).
fn rk(v: u32) -> f64 {
    let n = if v & 2 != 0 {
        f64::from((v as i32) >> 2)
    } else {
        f64::from_bits(u64::from(v & 0xFFFF_FFFC) << 32)
    };
    if v & 1 != 0 { n / 100.0 } else { n }
}

/// Whether an Excel number format shows a date: a year, day or Japanese
/// era token in its first section, outside quotes, brackets and escapes.
fn is_date_format(ifmt: u16, custom: Option<&str>) -> bool {
    let Some(f) = custom else {
        return matches!(ifmt, 14..=17 | 22 | 27..=36 | 50..=58);
    };
    let mut chars = f.chars().peekable();
    let mut bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            // The next character is a literal.
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            ';' => return false,
            _ if bracket => {}
            'G' | 'g'
                if chars
                    .clone()
                    .take(6)
                    .collect::<String>()
                    .eq_ignore_ascii_case("eneral") =>
            {
                chars.nth(5);
            }
            // Scientific notation: 0.00E+00.
            'E' | 'e' if matches!(chars.peek(), Some('+' | '-')) => {}
            'y' | 'Y' | 'd' | 'D' | 'e' | 'g' => return true,
            _ => {}
        }
    }
    false
}

const ERRORS: [(u8, &str); 7] = [
    (0x00, "#NULL!"),
    (0x07, "#DIV/0!"),
    (0x0F, "#VALUE!"),
    (0x17, "#REF!"),
    (0x1D, "#NAME?"),
    (0x24, "#NUM!"),
    (0x2A, "#N/A"),
];

/// Every sheet of the workbook; cells only for visible worksheets.
pub fn read(file: impl Read + Seek) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let mut cf = cfb::CompoundFile::open(file).map_err(|_| FileError::corrupt_for(false))?;
    let stream_name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or(FileError::Unreadable(Detail::Missing(Part::XlsWorkbook)))?;
    let mut data = Vec::new();
    cf.open_stream(stream_name)
        .and_then(|mut s| s.read_to_end(&mut data))
        .map_err(|_| FileError::corrupt_for(false))?;
    parse(&data)
}

fn parse(data: &[u8]) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let mut g = Globals {
        biff8: true,
        encoding: encoding_rs::WINDOWS_1252,
        strings: Vec::new(),
        date_xf: Vec::new(),
        date1904: false,
    };
    let mut sheets: Vec<(u32, u8, u8, Vec<u8>)> = Vec::new();
    let mut formats: Vec<(u16, String)> = Vec::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut it = records(data, 0).peekable();
    match it.next() {
        Some((rt::BOF, b)) => g.biff8 = u16_at(b, 0) == Some(0x0600),
        _ => return Err(FileError::corrupt_for(false)),
    }
    while let Some((typ, b)) = it.next() {
        match typ {
            rt::FILEPASS => return Err(FileError::Encrypted),
            rt::CODEPAGE => {
                if let Some(e) = u16_at(b, 0).and_then(codepage::to_encoding) {
                    g.encoding = e;
                }
            }
            rt::DATEMODE => g.date1904 = u16_at(b, 0) == Some(1),
            rt::BOUNDSHEET => {
                let pos = u32_at(b, 0).unwrap_or(u32::MAX);
                let state = b.get(4).copied().unwrap_or(0);
                let kind = b.get(5).copied().unwrap_or(0);
                sheets.push((pos, state, kind, b.get(6..).unwrap_or(&[]).to_vec()));
            }
            rt::SST => {
                let mut parts = vec![b];
                while let Some((rt::CONTINUE, more)) = it.peek() {
                    parts.push(more);
                    it.next();
                }
                g.strings = shared_strings(parts);
            }
            rt::FORMAT => {
                let ifmt = u16_at(b, 0).unwrap_or(0);
                let text = if g.biff8 {
                    g.string16(b.get(2..).unwrap_or(&[]))
                } else {
                    short_string(&g, b.get(2..).unwrap_or(&[]))
                };
                formats.push((ifmt, text));
            }
            rt::XF => xf_formats.push(u16_at(b, 2).unwrap_or(0)),
            rt::EOF => break,
            _ => {}
        }
    }
    g.date_xf = xf_formats
        .iter()
        .map(|&ifmt| {
            let custom = formats
                .iter()
                .find(|(i, _)| *i == ifmt)
                .map(|(_, f)| f.as_str());
            is_date_format(ifmt, custom)
        })
        .collect();

    let mut out = Vec::new();
    for (pos, state, kind, name_bytes) in sheets {
        let name = short_string(&g, &name_bytes);
        let state = match (state & 0x03, kind) {
            (0, 0) => SheetState::Data,
            (0, 1) => SheetState::NotCells("Excel 4 のマクロシートです（読み込みません）。"),
            (0, 2) => SheetState::NotCells("グラフのシートです（読み込みません）。"),
            (0, _) => SheetState::NotCells("表のシートではありません（マクロなど）。"),
            _ => SheetState::Hidden,
        };
        let grid = if state == SheetState::Data {
            sheet_cells(data, pos as usize, &g).map_err(|e| e.in_sheet(&name))?
        } else {
            Grid::default()
        };
        out.push((SheetMeta { name, state }, grid));
    }
    Ok(out)
}

/// The cells of a MULRK record: numbers in a row from a first column.
fn mul_rk(grid: &mut Grid, b: &[u8], g: &Globals) -> Result<(), super::table::GridError> {
    let r = u32::from(u16_at(b, 0).unwrap_or(0));
    let first = u32::from(u16_at(b, 2).unwrap_or(0));
    let items = b.get(4..b.len().saturating_sub(2)).unwrap_or(&[]);
    for (k, item) in items.chunks_exact(6).enumerate() {
        let xf = u16::from_le_bytes([item[0], item[1]]);
        let v = u32::from_le_bytes([item[2], item[3], item[4], item[5]]);
        grid.set(r, first + k as u32, g.number(xf, rk(v)))?;
    }
    Ok(())
}

/// The text of a BOOLERR record: TRUE, FALSE or the error as Excel shows it.
fn bool_or_error(b: &[u8]) -> String {
    match (b.get(6).copied(), b.get(7).copied()) {
        (Some(v), Some(0)) => if v != 0 { "TRUE" } else { "FALSE" }.to_string(),
        (Some(e), _) => ERRORS
            .iter()
            .find(|(code, _)| *code == e)
            .map_or("#ERROR", |(_, t)| t)
            .to_string(),
        _ => String::new(),
    }
}

/// The written cells of the sheet substream at `pos`, with its merges.
fn sheet_cells(data: &[u8], pos: usize, g: &Globals) -> Result<Grid, super::table::GridError> {
    let mut grid = Grid::default();
    let mut depth = 0usize;
    let mut formula_at: Option<(u32, u32)> = None;
    let cell = |b: &[u8]| {
        (
            u32::from(u16_at(b, 0).unwrap_or(0)),
            u32::from(u16_at(b, 2).unwrap_or(0)),
            u16_at(b, 4).unwrap_or(0),
        )
    };
    for (typ, b) in records(data, pos) {
        match typ {
            rt::BOF => {
                depth += 1;
                continue;
            }
            rt::EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                continue;
            }
            // Embedded charts and other nested substreams.
            _ if depth > 1 => continue,
            rt::LABELSST => {
                let (r, c, _) = cell(b);
                let i = u32_at(b, 6).unwrap_or(u32::MAX) as usize;
                if let Some(s) = g.strings.get(i) {
                    grid.set(r, c, s.clone())?;
                }
            }
            rt::LABEL | rt::RSTRING => {
                let (r, c, _) = cell(b);
                grid.set(r, c, g.string16(b.get(6..).unwrap_or(&[])))?;
            }
            rt::NUMBER => {
                let (r, c, xf) = cell(b);
                if let Some(x) = b.get(6..14) {
                    let v = f64::from_le_bytes(x.try_into().unwrap_or([0; 8]));
                    grid.set(r, c, g.number(xf, v))?;
                }
            }
            rt::RK => {
                let (r, c, xf) = cell(b);
                if let Some(v) = u32_at(b, 6) {
                    grid.set(r, c, g.number(xf, rk(v)))?;
                }
            }
            rt::MULRK => mul_rk(&mut grid, b, g)?,
            rt::BOOLERR => {
                let (r, c, _) = cell(b);
                grid.set(r, c, bool_or_error(b))?;
            }
            rt::FORMULA => {
                let (r, c, xf) = cell(b);
                formula_at = None;
                let Some(v) = b.get(6..14) else { continue };
                if v[6] == 0xFF && v[7] == 0xFF {
                    match v[0] {
                        // The text follows in a STRING record.
                        0 => formula_at = Some((r, c)),
                        1 => grid.set(r, c, if v[2] != 0 { "TRUE" } else { "FALSE" }.into())?,
                        _ => {}
                    }
                } else {
                    let f = f64::from_le_bytes(v.try_into().unwrap_or([0; 8]));
                    grid.set(r, c, g.number(xf, f))?;
                }
            }
            rt::STRING => {
                if let Some((r, c)) = formula_at.take() {
                    grid.set(r, c, g.string16(b))?;
                }
            }
            rt::MERGECELLS => {
                let n = usize::from(u16_at(b, 0).unwrap_or(0));
                for m in b.get(2..).unwrap_or(&[]).chunks_exact(8).take(n) {
                    let v = |i: usize| u32::from(u16::from_le_bytes([m[i], m[i + 1]]));
                    grid.add_merge((v(0), v(4)), (v(2), v(6)));
                }
            }
            _ => {}
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// A BIFF8 workbook stream: globals with an SST split by a CONTINUE,
    /// one visible worksheet with cells far apart and a merge, one macro sheet.
    fn workbook() -> Vec<u8> {
        let bof = |dt: u16| {
            let mut d = vec![0x00, 0x06];
            d.extend(dt.to_le_bytes());
            d.extend([0; 12]);
            d
        };
        let sheet = |name: &str, kind: u8| {
            let mut d = vec![0, 0, 0, 0, 0, kind, name.chars().count() as u8, 1];
            d.extend(utf16(name));
            d
        };
        let mut globals = Vec::new();
        rec(&mut globals, rt::BOF, &bof(0x0005));
        let bs1 = sheet("回答", 0);
        let bs2 = sheet("Macro1", 1);
        rec(&mut globals, rt::BOUNDSHEET, &bs1);
        rec(&mut globals, rt::BOUNDSHEET, &bs2);
        // SST: "分野" (16-bit), then "内容ab" split after two characters;
        // the continuation restates the flags: 8 bits per character.
        let mut sst = vec![];
        sst.extend(2u32.to_le_bytes());
        sst.extend(2u32.to_le_bytes());
        sst.extend(2u16.to_le_bytes());
        sst.push(1);
        sst.extend(utf16("分野"));
        sst.extend(4u16.to_le_bytes());
        sst.push(1);
        sst.extend(utf16("内容"));
        rec(&mut globals, rt::SST, &sst);
        let cont = vec![0, b'a', b'b'];
        rec(&mut globals, rt::CONTINUE, &cont);
        rec(&mut globals, rt::EOF, &[]);
        let sheet_pos = globals.len() as u32;
        // Patch the first BOUNDSHEET's position.
        let at = 4 + 16 + 4;
        globals[at..at + 4].copy_from_slice(&sheet_pos.to_le_bytes());
        let mut s = Vec::new();
        rec(&mut s, rt::BOF, &bof(0x0010));
        let mut label = vec![0, 0, 0, 0, 0, 0];
        label.extend(0u32.to_le_bytes());
        rec(&mut s, rt::LABELSST, &label);
        let mut far = vec![0xFF, 0xFF, 0xFF, 0x00, 0, 0];
        far.extend(1u32.to_le_bytes());
        rec(&mut s, rt::LABELSST, &far);
        let mut number = vec![1, 0, 1, 0, 0, 0];
        number.extend(12.0f64.to_le_bytes());
        rec(&mut s, rt::NUMBER, &number);
        let mut rk_cell = vec![2, 0, 0, 0, 0, 0];
        rk_cell.extend(((7u32) << 2 | 2).to_le_bytes());
        rec(&mut s, rt::RK, &rk_cell);
        let mut merge = 1u16.to_le_bytes().to_vec();
        merge.extend([3, 0, 5, 0, 0, 0, 1, 0]);
        rec(&mut s, rt::MERGECELLS, &merge);
        rec(&mut s, rt::EOF, &[]);
        globals.extend(s);
        globals
    }

    #[test]
    fn sparse_cells_shared_strings_across_continue_and_sheet_kinds() {
        let sheets = parse(&workbook()).unwrap();
        assert_eq!(sheets.len(), 2);
        let (meta, grid) = &sheets[0];
        assert_eq!(meta.name, "回答");
        assert_eq!(meta.state, SheetState::Data);
        assert_eq!(grid.own(0, 0), "分野");
        assert_eq!(grid.own(65535, 255), "内容ab");
        assert_eq!(grid.own(1, 1), "12");
        assert_eq!(grid.own(2, 0), "7");
        assert_eq!(grid.merge_origin_of(4, 1), Some((3, 0)));
        assert!(matches!(sheets[1].0.state, SheetState::NotCells(_)));
    }

    #[test]
    fn a_filepass_record_means_a_password() {
        let mut w = Vec::new();
        rec(&mut w, rt::BOF, &[0x00, 0x06, 0x05, 0x00]);
        rec(&mut w, rt::FILEPASS, &[0, 0, 0x12, 0x34, 0x56, 0x78]);
        assert_eq!(parse(&w).unwrap_err(), FileError::Encrypted);
    }

    #[test]
    fn old_biff_streams_are_recognised() {
        assert_eq!(
            old_biff_version(&[0x09, 0x04, 6, 0, 0, 0, 0x10, 0]),
            Some(OldExcelVersion::Excel4)
        );
        assert_eq!(
            old_biff_version(&[0x09, 0x00, 4, 0, 0, 0, 0x10, 0]),
            Some(OldExcelVersion::Excel2)
        );
        assert_eq!(old_biff_version(b"a,b,c\n\n\n"), None);
    }

    #[test]
    fn rk_numbers_and_date_formats() {
        assert_eq!(rk((7 << 2) | 2), 7.0);
        assert_eq!(rk((1234 << 2) | 3), 12.34);
        assert!(is_date_format(14, None));
        assert!(is_date_format(200, Some("yyyy/m/d")));
        assert!(!is_date_format(200, Some("#,##0\"日\"")));
        assert!(!is_date_format(0, None));
        assert!(is_date_format(200, Some("ggge\"年\"m\"月\"d\"日\"")));
        assert!(is_date_format(200, Some("[$-411]yyyy/m/d")));
        assert!(!is_date_format(200, Some("General")));
        assert!(!is_date_format(200, Some("0.00E+00")));
        assert!(!is_date_format(200, Some("0\\d")), "an escaped d");
        assert!(!is_date_format(200, Some("0_d")), "a width of d");
        assert!(
            !is_date_format(200, Some("0;\"d\"yyyy")),
            "only the first section"
        );
        assert!(!is_date_format(200, Some("[Red]0")));
    }
}
