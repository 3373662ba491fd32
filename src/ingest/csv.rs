//! CSV submissions, in any of the encodings of SPEC §7.2: UTF-8 (with or
//! without BOM), UTF-16 LE/BE with BOM, Shift_JIS/CP932, EUC-JP and
//! ISO-2022-JP. A byte order mark decides; otherwise every encoding that
//! decodes the bytes without error is tried in turn and the first in which
//! a header row is found wins. A CSV with no header in any of them fails.

use std::path::Path;

use encoding_rs::Encoding;

use super::error::FileError;
use super::raw::{FileResult, file_stem};
use super::table::{Grid, SheetSource, read_grid};
use crate::normalize;
use crate::template::Template;

/// The encodings tried without a byte order mark, in order, with the name
/// the report gives them.
const CANDIDATES: [(&Encoding, &str); 4] = [
    (encoding_rs::UTF_8, "UTF-8"),
    (encoding_rs::SHIFT_JIS, "Shift_JIS"),
    (encoding_rs::EUC_JP, "EUC-JP"),
    (encoding_rs::ISO_2022_JP, "ISO-2022-JP"),
];

/// Every way to read the bytes as text: a BOM gives one, otherwise each
/// candidate encoding that decodes them without error.
pub fn decodings(bytes: &[u8]) -> Vec<(String, &'static str)> {
    for (bom, encoding, label) in [
        (&b"\xEF\xBB\xBF"[..], encoding_rs::UTF_8, "UTF-8（BOM付き）"),
        (
            &b"\xFF\xFE"[..],
            encoding_rs::UTF_16LE,
            "UTF-16LE（BOM付き）",
        ),
        (
            &b"\xFE\xFF"[..],
            encoding_rs::UTF_16BE,
            "UTF-16BE（BOM付き）",
        ),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|t| vec![(t.into_owned(), label)])
                .unwrap_or_default();
        }
    }
    let escapes = bytes.contains(&0x1B);
    CANDIDATES
        .iter()
        // ISO-2022-JP is plain ASCII without escape sequences: only when
        // it has some is it told apart from the others.
        .filter(|(e, _)| *e != encoding_rs::ISO_2022_JP || escapes)
        .filter_map(|(e, label)| {
            e.decode_without_bom_handling_and_without_replacement(bytes)
                .map(|t| (t.into_owned(), *label))
        })
        .collect()
}

/// The rows of a CSV text. The reader is lenient (rows of any length,
/// text after a closing quote), so a decoded text always parses; an
/// unclosed quote is found by [`unclosed_quote`].
fn parse_rows(text: &str) -> Vec<Vec<String>> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .map_while(Result::ok)
        .map(|record| record.iter().map(str::to_string).collect())
        .collect()
}

/// The 1-based line where a quoted field starts that never closes: the
/// reader would take the rest of the file into that one cell, and every
/// row after it would be lost without a word.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut line = 1;
    let mut at_field_start = true;
    let mut open_since = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if open_since.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => open_since = None,
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if at_field_start => open_since = Some(line),
            ',' | '\r' => at_field_start = true,
            '\n' => {
                line += 1;
                at_field_start = true;
            }
            _ => at_field_start = false,
        }
        if c == '"' {
            at_field_start = false;
        }
    }
    open_since
}

/// Reads a CSV file as one sheet named after the file.
pub fn read(path: &Path, name: &str, template: &Template) -> Result<FileResult, FileError> {
    let bytes = std::fs::read(path).map_err(|e| FileError::open(&e))?;
    let candidates = decodings(&bytes);
    if candidates.is_empty() {
        return Err(FileError::Encoding);
    }
    let stem = file_stem(name);
    let department = normalize::department_from_stem(stem);
    let src = SheetSource {
        file: name,
        sheet: stem,
        sheet_index: 0,
        file_department: &department,
    };
    for (text, encoding) in candidates {
        let grid = Grid::from_rows((0, 0), parse_rows(&text)).map_err(|e| e.in_sheet(stem))?;
        if let Some(mut out) = read_grid(&grid, &src, template)? {
            if let Some(line) = unclosed_quote(&text) {
                return Err(FileError::UnclosedQuote { line });
            }
            out.note = Some(format!("文字コード {encoding}"));
            return Ok(out);
        }
    }
    Err(FileError::NoHeader)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bytes: &[u8]) -> Vec<&'static str> {
        decodings(bytes).into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn an_unclosed_quote_is_found_with_its_line() {
        assert_eq!(unclosed_quote("a,b\n\"x\ny\",c\n"), None);
        assert_eq!(unclosed_quote("a,\"say \"\"hi\"\"\"\n5\",inch\n"), None);
        assert_eq!(unclosed_quote("a,b\r\nc,\"open\r\nd,e\r\n"), Some(2));
        assert_eq!(unclosed_quote("a\"b,c\n"), None, "a quote inside a field");
        assert_eq!(unclosed_quote("\"ok\"x,\"\n"), Some(1));
    }

    #[test]
    fn encodings_by_bom_or_by_what_decodes() {
        assert_eq!(
            decodings("分野".as_bytes())[0],
            ("分野".to_string(), "UTF-8")
        );
        assert_eq!(names(b"\xEF\xBB\xBFa"), vec!["UTF-8（BOM付き）"]);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("分野,区分,河﨑");
        assert_eq!(
            decodings(&sjis)[0],
            ("分野,区分,河﨑".to_string(), "Shift_JIS")
        );
        let (euc, _, _) = encoding_rs::EUC_JP.encode("分野,区分,内容");
        assert!(names(&euc).contains(&"EUC-JP"));
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("分野,区分,内容");
        assert!(names(&jis).contains(&"ISO-2022-JP"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("分野,区分".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decodings(&utf16),
            vec![("分野,区分".to_string(), "UTF-16LE（BOM付き）")]
        );
        assert!(
            decodings(b"\xFF\xFE\x00\xD8").is_empty(),
            "a lone surrogate"
        );
    }
}
