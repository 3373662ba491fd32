//! CMaps embedded in a PDF: a font's `/ToUnicode` map (codes → text) and
//! an embedded encoding CMap (codes → CIDs), with their code space ranges
//! (how many bytes each code takes). Parsed with fixed bounds: a hostile
//! map costs at most [`MAX_ENTRIES`] entries, never one per code of a range.

use std::collections::HashMap;

/// Most mappings (single codes and ranges) kept from one CMap.
const MAX_ENTRIES: usize = 200_000;

/// A code space range: codes of `len` bytes whose every byte lies between
/// the bytes of `low` and `high`.
#[derive(Debug, Clone)]
struct Space {
    len: usize,
    low: [u8; 4],
    high: [u8; 4],
}

/// What a range of codes maps to.
#[derive(Debug, Clone)]
enum Target {
    /// The text of the first code; each next code adds one to its last
    /// UTF-16 unit.
    Counting(Vec<u16>),
    /// One text per code.
    List(Vec<Vec<u16>>),
}

/// A range `low..=high` of codes of `len` bytes.
#[derive(Debug, Clone)]
struct Range {
    len: u8,
    low: u32,
    high: u32,
    target: Target,
}

/// A parsed CMap.
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    spaces: Vec<Space>,
    chars: HashMap<(u8, u32), Vec<u16>>,
    ranges: Vec<Range>,
    cid_chars: HashMap<(u8, u32), u32>,
    /// `(len, low, high, first CID)`.
    cid_ranges: Vec<(u8, u32, u32, u32)>,
    /// The predefined CMap named by `usecmap`, if any (`Identity-H`…).
    pub(crate) uses: Option<String>,
}

/// One token of the PostScript-like CMap syntax.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Int(i64),
    Name(String),
    Word(String),
    Open,
    Close,
}

/// Splits CMap text into tokens (comments, dictionaries and literal
/// strings skipped).
fn tokens(data: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let is_delim = |b: u8| b"()<>[]{}/%".contains(&b) || b.is_ascii_whitespace();
    while i < data.len() {
        let b = data[i];
        match b {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                i += 1;
                let mut digits = Vec::new();
                while i < data.len() && data[i] != b'>' {
                    if data[i].is_ascii_hexdigit() {
                        digits.push(data[i]);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let bytes = digits
                    .chunks(2)
                    .map(|p| (hex(p[0]) << 4) | hex(p[1]))
                    .collect();
                out.push(Token::Hex(bytes));
            }
            b'(' => {
                // Literal strings hold no mapping we use; skip them whole.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'[' => {
                out.push(Token::Open);
                i += 1;
            }
            b']' => {
                out.push(Token::Close);
                i += 1;
            }
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                out.push(Token::Name(
                    String::from_utf8_lossy(&data[start..i]).into_owned(),
                ));
            }
            _ if b.is_ascii_whitespace() || is_delim(b) => i += 1,
            _ => {
                let start = i;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                let word = String::from_utf8_lossy(&data[start..i]).into_owned();
                out.push(match word.parse::<i64>() {
                    Ok(n) => Token::Int(n),
                    Err(_) => Token::Word(word),
                });
            }
        }
    }
    out
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// A code of 1–4 bytes as a number; `None` for an empty or longer code.
fn code(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let value = bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Some((bytes.len() as u8, value))
}

/// UTF-16BE bytes as code units.
fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| match p {
            [a, b] => u16::from_be_bytes([*a, *b]),
            [a] => u16::from(*a),
            _ => 0,
        })
        .collect()
}

/// Where the parse is in the tokens, and how many mappings it has taken.
struct Cursor {
    i: usize,
    entries: usize,
}

/// The target of a `bfrange` at `i`: a start that counts up, or a list.
fn range_target(toks: &[Token], i: &mut usize) -> Option<Target> {
    match toks.get(*i) {
        Some(Token::Hex(dst)) => {
            *i += 1;
            Some(Target::Counting(units(dst)))
        }
        Some(Token::Open) => {
            *i += 1;
            let mut list = Vec::new();
            while let Some(Token::Hex(dst)) = toks.get(*i) {
                *i += 1;
                list.push(units(dst));
            }
            if toks.get(*i) == Some(&Token::Close) {
                *i += 1;
            }
            Some(Target::List(list))
        }
        _ => None,
    }
}

impl CMap {
    /// Parses a CMap stream; what cannot be understood is left out.
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let toks = tokens(data);
        let mut map = CMap::default();
        let mut at = Cursor { i: 0, entries: 0 };
        while at.i < toks.len() && at.entries < MAX_ENTRIES {
            let Token::Word(w) = &toks[at.i] else {
                at.i += 1;
                continue;
            };
            at.i += 1;
            match w.as_str() {
                "usecmap" => {
                    if let Some(Token::Name(n)) = at.i.checked_sub(2).and_then(|j| toks.get(j)) {
                        map.uses = Some(n.clone());
                    }
                }
                "begincodespacerange" => map.code_spaces(&toks, &mut at),
                "beginbfchar" => map.bf_chars(&toks, &mut at),
                "beginbfrange" => map.bf_ranges(&toks, &mut at),
                "begincidchar" => map.cid_chars(&toks, &mut at),
                "begincidrange" => map.cid_ranges(&toks, &mut at),
                _ => {}
            }
        }
        map.ranges.sort_by_key(|r| (r.len, r.low));
        map.cid_ranges.sort_by_key(|r| (r.0, r.1));
        map
    }

    /// The pairs of `begincodespacerange`.
    fn code_spaces(&mut self, toks: &[Token], at: &mut Cursor) {
        while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
            (toks.get(at.i), toks.get(at.i + 1))
        {
            at.i += 2;
            if lo.len() == hi.len() && (1..=4).contains(&lo.len()) {
                let mut low = [0u8; 4];
                let mut high = [0u8; 4];
                low[..lo.len()].copy_from_slice(lo);
                high[..hi.len()].copy_from_slice(hi);
                self.spaces.push(Space {
                    len: lo.len(),
                    low,
                    high,
                });
            }
        }
    }

    /// The pairs of `beginbfchar`.
    fn bf_chars(&mut self, toks: &[Token], at: &mut Cursor) {
        while let (Some(Token::Hex(src)), Some(dst)) = (toks.get(at.i), toks.get(at.i + 1)) {
            at.i += 2;
            at.entries += 1;
            if let (Some(key), Token::Hex(dst)) = (code(src), dst) {
                self.chars.insert(key, units(dst));
            }
            if at.entries >= MAX_ENTRIES {
                break;
            }
        }
    }

    /// The ranges of `beginbfrange`, each to a counting start or a list.
    fn bf_ranges(&mut self, toks: &[Token], at: &mut Cursor) {
        while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
            (toks.get(at.i), toks.get(at.i + 1))
        {
            at.i += 2;
            at.entries += 1;
            let target = range_target(toks, &mut at.i);
            if let (Some((len, low)), Some((hl, high)), Some(target)) = (code(lo), code(hi), target)
                && len == hl
                && low <= high
            {
                self.ranges.push(Range {
                    len,
                    low,
                    high,
                    target,
                });
            }
            if at.entries >= MAX_ENTRIES {
                break;
            }
        }
    }

    /// The pairs of `begincidchar`.
    fn cid_chars(&mut self, toks: &[Token], at: &mut Cursor) {
        while let (Some(Token::Hex(src)), Some(Token::Int(cid))) =
            (toks.get(at.i), toks.get(at.i + 1))
        {
            at.i += 2;
            at.entries += 1;
            if let (Some(key), Ok(cid)) = (code(src), u32::try_from(*cid)) {
                self.cid_chars.insert(key, cid);
            }
            if at.entries >= MAX_ENTRIES {
                break;
            }
        }
    }

    /// The ranges of `begincidrange`.
    fn cid_ranges(&mut self, toks: &[Token], at: &mut Cursor) {
        while let (Some(Token::Hex(lo)), Some(Token::Hex(hi)), Some(Token::Int(cid))) =
            (toks.get(at.i), toks.get(at.i + 1), toks.get(at.i + 2))
        {
            at.i += 3;
            at.entries += 1;
            if let (Some((len, low)), Some((hl, high)), Ok(cid)) =
                (code(lo), code(hi), u32::try_from(*cid))
                && len == hl
                && low <= high
            {
                self.cid_ranges.push((len, low, high, cid));
            }
            if at.entries >= MAX_ENTRIES {
                break;
            }
        }
    }

    /// Whether the map declares its code space.
    pub(crate) fn has_spaces(&self) -> bool {
        !self.spaces.is_empty()
    }

    /// How many bytes the code at the start of `bytes` takes, by the code
    /// space ranges (the shortest declared length when none matches).
    pub(crate) fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        let fits = |s: &Space| {
            bytes.len() >= s.len
                && (0..s.len).all(|k| s.low[k] <= bytes[k] && bytes[k] <= s.high[k])
        };
        self.spaces
            .iter()
            .filter(|s| fits(s))
            .map(|s| s.len)
            .min()
            .or_else(|| self.spaces.iter().map(|s| s.len).min())
    }

    /// The text a code maps to (UTF-16 units), if the map has it.
    pub(crate) fn unicode(&self, len: u8, code: u32) -> Option<String> {
        if let Some(u) = self.chars.get(&(len, code)) {
            return Some(String::from_utf16_lossy(u));
        }
        let r = self.find_range(len, code)?;
        let offset = code - r.low;
        let units = match &r.target {
            Target::Counting(first) => {
                let mut u = first.clone();
                let last = u.last_mut()?;
                *last = u16::try_from(u32::from(*last) + offset).ok()?;
                u
            }
            Target::List(list) => list.get(offset as usize)?.clone(),
        };
        Some(String::from_utf16_lossy(&units))
    }

    fn find_range(&self, len: u8, code: u32) -> Option<&Range> {
        // The last range starting at or before the code.
        let idx = self
            .ranges
            .partition_point(|r| (r.len, r.low) <= (len, code));
        let r = self.ranges.get(idx.checked_sub(1)?)?;
        (r.len == len && r.high >= code).then_some(r)
    }

    /// The CID of a code by the map's `cidchar`/`cidrange` entries.
    pub(crate) fn cid(&self, len: u8, code: u32) -> Option<u32> {
        if let Some(c) = self.cid_chars.get(&(len, code)) {
            return Some(*c);
        }
        let idx = self
            .cid_ranges
            .partition_point(|r| (r.0, r.1) <= (len, code));
        let r = self.cid_ranges.get(idx.checked_sub(1)?)?;
        (r.0 == len && r.2 >= code).then(|| r.3.saturating_add(code - r.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar <0003> <0020> <0010> <4F1A> <0011> <D842DFB7> endbfchar
2 beginbfrange <0020> <0022> <8B70> <0030> <0031> [<9332> <0066006C>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn a_to_unicode_map() {
        let m = CMap::parse(TO_UNICODE.as_bytes());
        assert_eq!(m.code_len(&[0, 0x10]), Some(2));
        assert_eq!(m.unicode(2, 0x10).as_deref(), Some("会"));
        assert_eq!(m.unicode(2, 0x03).as_deref(), Some(" "));
        // A surrogate pair.
        assert_eq!(m.unicode(2, 0x11).as_deref(), Some("𠮷"));
        // A counting range: 議 (U+8B70) and the two after it.
        assert_eq!(m.unicode(2, 0x20).as_deref(), Some("議"));
        assert_eq!(m.unicode(2, 0x22).as_deref(), Some("\u{8B72}"));
        assert_eq!(m.unicode(2, 0x23), None);
        assert_eq!(m.unicode(2, 0x30).as_deref(), Some("録"));
        assert_eq!(m.unicode(2, 0x31).as_deref(), Some("fl"));
        assert_eq!(m.unicode(1, 0x10), None, "a one-byte code is another code");
    }

    #[test]
    fn a_hostile_range_costs_nothing_per_code() {
        let m = CMap::parse(
            b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange
              1 beginbfrange <00000000> <FFFFFFFF> <FFFF> endbfrange",
        );
        assert_eq!(m.code_len(&[1, 2, 3, 4, 5]), Some(4));
        assert_eq!(m.unicode(4, 0), Some("\u{FFFF}".into()));
        assert_eq!(m.unicode(4, 5), None, "past U+FFFF the range gives nothing");
        // Garbage is no panic and no map.
        let g = CMap::parse(b"<<>> [ <zz beginbfrange <01> endbfrange ( ) \\");
        assert!(!g.has_spaces());
    }

    #[test]
    fn an_encoding_cmap_gives_cids() {
        let m = CMap::parse(
            b"/Identity-H usecmap 2 begincodespacerange <00> <80> <8140> <FCFC> endcodespacerange
              1 begincidrange <8140> <817E> 633 endcidrange 1 begincidchar <20> 1 endcidchar",
        );
        assert_eq!(m.uses.as_deref(), Some("Identity-H"));
        assert_eq!(m.code_len(&[0x20, 0x81]), Some(1));
        assert_eq!(m.code_len(&[0x81, 0x41]), Some(2));
        assert_eq!(m.cid(2, 0x8141), Some(634));
        assert_eq!(m.cid(1, 0x20), Some(1));
        assert_eq!(m.cid(2, 0x8180), None);
    }
}
