//! The merged ranges of an .xlsx package's sheets, read from the end of
//! each sheet's part. calamine's merged-cells reader parses a whole sheet a
//! second time to reach them, which was a third of reading a workbook;
//! here only what follows the sheet's cells is parsed.
//!
//! The result must be what calamine 0.38 reads, on every file. So the parts
//! are found as calamine finds them (the last `officeDocument` relationship
//! is the only one here; part names compared without ASCII case), the XML
//! is read with calamine's reader settings, and anything where the two
//! could differ gives `None`, and calamine reads the merged ranges itself:
//!
//! - part names that differ only in case, or with `\`;
//! - an attribute that is not plainly `key="value"` (calamine has its own
//!   attribute reader), a repeated key, a value with `&`;
//! - a sheet part that is not UTF-8, has a comment, CDATA, DOCTYPE or a
//!   processing instruction, a namespace prefix on `mergeCells`, or a
//!   `sheetData` that is not one plain element;
//! - a reference that is not `A1` or `A1:B2` within Excel's sheet;
//! - a part over 16 MiB, which calamine streams instead of it being held
//!   whole here.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

/// The largest part read here whole (a sheet of about 100,000 cells);
/// the merged ranges of a larger one are read by calamine as it streams it,
/// so that a large sheet costs no more memory than before.
const LARGEST_PART: u64 = 16 * 1024 * 1024;

/// A merged range: first (row, column) and last, 0-based.
pub type Merge = ((u32, u32), (u32, u32));

/// Every sheet's merged ranges by sheet name, or `None` when the package
/// is not plain enough to be sure of calamine's reading.
pub fn by_sheet(bytes: &[u8]) -> Option<HashMap<String, Vec<Merge>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names = stored_names(&zip)?;
    let mut part = |path: &str| {
        let stored = names.get(&path.to_ascii_lowercase())?;
        let entry = zip.by_name(stored).ok()?;
        // A large part is left to calamine, which streams it.
        if entry.size() > LARGEST_PART {
            return None;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry.take(LARGEST_PART + 1).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 <= LARGEST_PART).then_some(bytes)
    };
    let package = relationships(&part("_rels/.rels")?)?;
    let mut documents = package
        .values()
        .filter(|(kind, _)| kind.ends_with("/relationships/officeDocument"));
    let (_, workbook) = documents.next()?;
    if documents.next().is_some() {
        return None;
    }
    let (dir, file) = match workbook.rfind('/') {
        Some(i) => workbook.split_at(i + 1),
        None => ("", workbook.as_str()),
    };
    let dir = dir.strip_prefix('/').unwrap_or(dir);
    if file.is_empty() {
        return None;
    }
    let targets = relationships(&part(&format!("{dir}_rels/{file}.rels"))?)?;
    let mut out = HashMap::new();
    for (name, id) in sheets(&part(&format!("{dir}{file}"))?)? {
        let (_, target) = targets.get(&id)?;
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("{dir}{target}"),
        };
        if out.insert(name, merges(&part(&path)?)?).is_some() {
            return None;
        }
    }
    Some(out)
}

/// The package's part names by their lower-case form, as calamine looks
/// them up; `None` when two differ only in case or one has a `\`.
fn stored_names(zip: &zip::ZipArchive<Cursor<&[u8]>>) -> Option<HashMap<String, String>> {
    let mut out = HashMap::new();
    for name in zip.file_names() {
        let name = name.ok()?;
        if name.contains('\\')
            || out
                .insert(name.to_ascii_lowercase(), name.to_string())
                .is_some()
        {
            return None;
        }
    }
    Some(out)
}

/// A reader with calamine's settings.
fn reader(xml: &[u8]) -> quick_xml::Reader<&[u8]> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

/// An element's attributes when every one is plainly `key="value"` (or
/// with `'`), keys unique, values without `&`: then calamine's attribute
/// reader and this one read the same.
fn attributes<'a>(e: &'a BytesStart<'_>) -> Option<Vec<(&'a str, &'a str)>> {
    let mut rest = e.attributes_raw();
    let mut out: Vec<(&str, &str)> = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if rest.is_empty() {
            return Some(out);
        }
        let eq = rest.find('=')?;
        let key = &rest[..eq];
        let plain_key = |c: char| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '.');
        if key.is_empty() || !key.chars().all(plain_key) || out.iter().any(|(k, _)| *k == key) {
            return None;
        }
        let quote = rest[eq + 1..]
            .chars()
            .next()
            .filter(|q| matches!(q, '"' | '\''))?;
        let value_start = eq + 2;
        let len = rest[value_start..].find(quote)?;
        let value = &rest[value_start..value_start + len];
        if value.contains(['&', '<']) {
            return None;
        }
        out.push((key, value));
        rest = &rest[value_start + len + 1..];
    }
}

/// The value of `key` among `attributes`.
fn value<'a>(attributes: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    attributes.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Calls `take` with the attributes of every element named `name` (any
/// prefix); `None` when the part cannot be read or `take` gives up.
fn each_element(
    xml: &[u8],
    name: &str,
    mut take: impl FnMut(&[(&str, &str)]) -> Option<()>,
) -> Option<()> {
    let mut reader = reader(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == name => take(&attributes(&e)?)?,
            Event::Eof => return Some(()),
            _ => {}
        }
    }
}

/// A relationships part: type and target by id.
fn relationships(xml: &[u8]) -> Option<HashMap<String, (String, String)>> {
    let mut out = HashMap::new();
    each_element(xml, "Relationship", |a| {
        let id = value(a, "Id")?;
        let kind = value(a, "Type").unwrap_or_default();
        let target = value(a, "Target").unwrap_or_default();
        let relationship = (kind.to_string(), target.to_string());
        out.insert(id.to_string(), relationship)
            .is_none()
            .then_some(())
    })?;
    Some(out)
}

/// The sheets of the workbook part: name and relationship id.
fn sheets(xml: &[u8]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    each_element(xml, "sheet", |a| {
        // calamine takes any `id`, whatever its prefix: one only.
        let mut ids = a.iter().filter(|(k, _)| *k == "id" || k.ends_with(":id"));
        let (_, id) = ids.next()?;
        if ids.next().is_some() {
            return None;
        }
        out.push((value(a, "name")?.to_string(), id.to_string()));
        Some(())
    })?;
    Some(out)
}

/// The ranges of a sheet part's `<mergeCells>` element (none without one),
/// read from the end of its cells.
fn merges(xml: &[u8]) -> Option<Vec<Merge>> {
    let text = std::str::from_utf8(xml).ok()?;
    let count = |needle: &str| memchr::memmem::find_iter(xml, needle.as_bytes()).count();
    let declaration = text.trim_start_matches('\u{feff}').starts_with("<?");
    if count("<!") > 0 || count("<?") > usize::from(declaration) || count(":mergeCells") > 0 {
        return None;
    }
    let Some(start) = text.find("<mergeCells") else {
        return Some(Vec::new());
    };
    // Where the cells end, when that is plain to see: there calamine's
    // reader is between two elements, as this one is (a reader started
    // there never sees the end tags of elements it did not see begin
    // before `</mergeCells>`).
    let cells_end = match (count("sheetData"), text.find("</sheetData>")) {
        (2, Some(end)) if text.find("<sheetData").is_some_and(|s| s < end) => {
            end + "</sheetData>".len()
        }
        (0, None) => 0,
        _ => return None,
    };
    if start < cells_end
        || !matches!(
            text.as_bytes().get(start + "<mergeCells".len()),
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r')
        )
    {
        return None;
    }
    let mut reader = reader(&xml[cells_end..]);
    let mut out = None;
    loop {
        match (reader.read_event().ok()?, out.as_mut()) {
            (Event::Start(e), None) if e.local_name().as_ref() == "mergeCells" => {
                out = Some(Vec::new());
            }
            (Event::Start(e), Some(list)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(r) = value(&attributes(&e)?, "ref") {
                    list.push(range(r)?);
                }
            }
            (Event::End(e), Some(_)) if e.local_name().as_ref() == "mergeCells" => return out,
            (Event::Eof, _) => return None,
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
    use crate::ingest::sniff::tests::package;

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
        assert_eq!(
            merges(b"<worksheet><mergeCells/></worksheet>"),
            Some(vec![])
        );
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

    #[test]
    fn whatever_calamine_might_read_otherwise_is_left_to_it() {
        let sheet = |tail: &str| {
            format!(
                r#"<?xml version="1.0"?><worksheet><sheetData><row r="1"/></sheetData>{tail}</worksheet>"#
            )
        };
        let plain = sheet(r#"<mergeCells><mergeCell ref="A1:B2"/></mergeCells>"#);
        assert_eq!(merges(plain.as_bytes()), Some(vec![((0, 0), (1, 1))]));
        for odd in [
            r#"<mergeCells><mergeCell ref="A1:B&#50;"/></mergeCells>"#,
            r#"<mergeCells><mergeCell foo ref="A1:B2"/></mergeCells>"#,
            r#"<mergeCells><mergeCell ref="A1:B2" ref="C3:D4"/></mergeCells>"#,
            r#"<mergeCells><mergeCell ref=A1:B2/></mergeCells>"#,
            r#"<?x <mergeCells><mergeCell ref="A1:B2"/></mergeCells>?>"#,
            r#"<!DOCTYPE x><mergeCells><mergeCell ref="A1:B2"/></mergeCells>"#,
            r#"<mergeCells><mergeCell ref="A1:B2"/>"#,
        ] {
            assert_eq!(merges(sheet(odd).as_bytes()), None, "{odd}");
        }
        // A sheetData that is not one plain element.
        let twice = r#"<worksheet><sheetData a="</sheetData>"></sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>"#;
        assert_eq!(merges(twice.as_bytes()), None);
        // Not UTF-8 before the merged cells.
        let mut bytes = sheet(r#"<autoFilter ref="A1"><filter val="X"/></autoFilter><mergeCells><mergeCell ref="A1:B2"/></mergeCells>"#).into_bytes();
        let x = bytes.iter().position(|&b| b == b'X').unwrap();
        bytes[x] = 0x82;
        assert_eq!(merges(&bytes), None);
    }

    #[test]
    fn sheets_are_found_as_calamine_finds_them() {
        let rels = r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let book =
            r#"<workbook><sheets><sheet name="提出" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let book_rels = r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let sheet = r#"<worksheet><sheetData/><mergeCells><mergeCell ref="A1:C1"/></mergeCells></worksheet>"#;
        let sheet = sheet.replace("<sheetData/>", "<sheetData></sheetData>");
        let mut parts = vec![
            ("_rels/.rels", rels),
            ("xl/workbook.xml", book),
            ("xl/_rels/workbook.xml.rels", book_rels),
            ("xl/worksheets/sheet1.xml", sheet.as_str()),
        ];
        let found = by_sheet(&package(&parts)).unwrap();
        assert_eq!(found["提出"], vec![((0, 0), (0, 2))]);
        // Two parts whose names differ only in case: calamine reads the later.
        parts.push(("xl/worksheets/SHEET1.xml", r#"<worksheet/>"#));
        assert_eq!(by_sheet(&package(&parts)), None);
        parts.pop();
        // Two main documents.
        let two = rels.replace(
            "</Relationships>",
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/other.xml"/></Relationships>"#,
        );
        parts[0] = ("_rels/.rels", two.as_str());
        assert_eq!(by_sheet(&package(&parts)), None);
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
        let (mut checked, mut skipped, mut merged) = (0, 0, 0);
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
                    merged += usize::from(!theirs.is_empty());
                }
            }
        }
        eprintln!(
            "{checked} sheets checked ({merged} with merged cells), \
             {skipped} workbooks left to calamine"
        );
        assert!(checked > 0);
    }
}
