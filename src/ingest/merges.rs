//! The merged ranges of an .xlsx package's sheets, read from the end of
//! each sheet's part. calamine's merged-cells reader parses a whole sheet a
//! second time to reach them, which was a third of reading a workbook;
//! here only the `<mergeCells>` element is parsed.
//!
//! A sheet's part is found as calamine finds it: the workbook's
//! relationship for the sheet's `r:id`. Anything unexpected (a part that is
//! missing or named in another case, a reference that is not plain `A1` or
//! `A1:B2`, a comment or CDATA section) gives `None`: the caller then asks
//! calamine, so the merges are always the ones calamine reads.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;

/// A merged range: first (row, column) and last, 0-based.
pub type Merge = ((u32, u32), (u32, u32));

/// Every sheet's merged ranges by sheet name, or `None` when the package
/// is not as expected.
pub fn by_sheet(bytes: &[u8]) -> Option<HashMap<String, Vec<Merge>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = super::sniff::main_entry(&mut zip)?;
    let (dir, file) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let targets = relationships(&entry(&mut zip, &format!("{dir}_rels/{file}.rels"))?)?;
    let mut out = HashMap::new();
    for (name, id) in sheets(&entry(&mut zip, &workbook)?)? {
        let target = targets.get(&id)?;
        if target.contains("..") || target.contains('\\') {
            return None;
        }
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("{dir}{target}"),
        };
        let merges = merges(&entry(&mut zip, &path)?)?;
        if out.insert(name, merges).is_some() {
            return None;
        }
    }
    Some(out)
}

/// The bytes of the part stored under exactly `name`.
fn entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut part = zip.by_name(name).ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(part.size()).unwrap_or(0));
    part.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The value of the attribute `key` (exactly that name) of an element. A
/// sheet name read otherwise than calamine reads it is not found by its
/// name: calamine then reads that sheet's merged ranges itself.
fn attribute(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Relationship targets by id.
fn relationships(xml: &[u8]) -> Option<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                out.insert(attribute(&e, "Id")?, attribute(&e, "Target")?);
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// The sheets of the workbook part: name and relationship id.
fn sheets(xml: &[u8]) -> Option<Vec<(String, String)>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                out.push((attribute(&e, "name")?, attribute(&e, "r:id")?));
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// The ranges of a sheet part's `<mergeCells>` element (none without one).
fn merges(xml: &[u8]) -> Option<Vec<Merge>> {
    let contains = |needle: &[u8]| memchr::memmem::find(xml, needle).is_some();
    if contains(b"<!--") || contains(b"<![CDATA[") || contains(b":mergeCells") {
        return None;
    }
    let Some(start) = memchr::memmem::find(xml, b"<mergeCells") else {
        return Some(Vec::new());
    };
    // The element itself, not one whose name only begins the same.
    let after = xml.get(start + b"<mergeCells".len())?;
    if !matches!(after, b'>' | b' ' | b'\t' | b'\n' | b'\r') {
        return None;
    }
    let mut reader = quick_xml::Reader::from_reader(&xml[start..]);
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                out.push(range(&attribute(&e, "ref")?)?);
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => return Some(out),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// `A1:B2` (or `A1`) as 0-based (row, column) pairs.
fn range(text: &str) -> Option<Merge> {
    let (first, last) = text.split_once(':').unwrap_or((text, text));
    Some((cell(first)?, cell(last)?))
}

/// `B2` as 0-based (row, column): one to three capital letters, then a row
/// number without leading zeros, within Excel's sheet.
fn cell(text: &str) -> Option<(u32, u32)> {
    let digits = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = text.split_at(digits);
    if !(1..=3).contains(&letters.len())
        || !letters.bytes().all(|b| b.is_ascii_uppercase())
        || number.starts_with('0')
        || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let column = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let row: u32 = number.parse().ok()?;
    (column <= 16_384 && (1..=1_048_576).contains(&row)).then(|| (row - 1, column - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_strictly() {
        assert_eq!(cell("A1"), Some((0, 0)));
        assert_eq!(cell("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(range("B2:D5"), Some(((1, 1), (4, 3))));
        assert_eq!(range("C3"), Some(((2, 2), (2, 2))));
        for odd in [
            "$A$1", "a1", "A01", "A0", "XFE1", "A1048577", "1", "A", "A1B",
        ] {
            assert_eq!(cell(odd), None, "{odd}");
        }
    }

    #[test]
    fn only_the_merge_element_is_read() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCells</t></is></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="A2:A4"/></mergeCells></worksheet>"#;
        assert_eq!(
            merges(sheet),
            Some(vec![((0, 0), (0, 1)), ((1, 0), (3, 0))])
        );
        assert_eq!(merges(b"<worksheet><sheetData/></worksheet>"), Some(vec![]));
        // calamine decides what it would read of these.
        assert_eq!(merges(b"<x:worksheet><x:mergeCells/></x:worksheet>"), None);
        assert_eq!(merges(b"<worksheet><mergeCells/></worksheet>"), None);
        assert_eq!(
            merges(b"<worksheet><mergeCellsX></mergeCellsX></worksheet>"),
            None
        );
        assert_eq!(
            merges(b"<worksheet><!-- <mergeCells> --></worksheet>"),
            None
        );
        assert_eq!(
            merges(
                br#"<worksheet><mergeCells><mergeCell ref="$A$1:B2"/></mergeCells></worksheet>"#
            ),
            None
        );
    }

    /// Every .xlsx and .xlsm under `SHIRYO_CORPUS` (e.g. ../shared/corpus):
    /// the merged ranges read here are calamine's, sheet by sheet.
    /// `cargo test --lib -- --ignored merges_are_calamines`
    #[test]
    #[ignore = "needs a corpus of real workbooks"]
    fn merges_are_calamines() {
        use calamine::Reader;
        let root = std::env::var("SHIRYO_CORPUS").unwrap_or_else(|_| "../shared/corpus".into());
        let mut stack = vec![std::path::PathBuf::from(root)];
        let (mut checked, mut skipped) = (0, 0);
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
                if !["xlsx", "xlsm"].contains(&ext.to_lowercase().as_str()) {
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let Ok(mut book) = calamine::Xlsx::new(Cursor::new(&bytes[..])) else {
                    continue;
                };
                let Some(ours) = by_sheet(&bytes) else {
                    skipped += 1;
                    continue;
                };
                for sheet in book.sheet_names() {
                    let Some(mine) = ours.get(&sheet) else {
                        continue;
                    };
                    let theirs: Vec<Merge> = book
                        .merge_cells_by_sheet_name(&sheet)
                        .unwrap_or_default()
                        .iter()
                        .map(|d| (d.start, d.end))
                        .collect();
                    assert_eq!(mine, &theirs, "{} / {sheet}", path.display());
                    checked += 1;
                }
            }
        }
        eprintln!("{checked} sheets checked, {skipped} workbooks left to calamine");
        assert!(checked > 0);
    }
}
