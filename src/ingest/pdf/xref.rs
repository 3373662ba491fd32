//! A classic cross-reference table that lopdf refuses although every viewer
//! reads it: entries 19 bytes long (ending in a bare LF or CR, as some
//! writers store them; lopdf accepts only the standard's two-byte ends), or
//! a `startxref` that points beside the table. The table is read leniently,
//! every entry checked against the object it points to, and a conforming
//! copy appended with the file's own trailer, as an incremental update
//! would: nothing before it moves.
//!
//! Only a complete file with one classic section is mended: a file cut
//! short (no `%%EOF` at its end), more than one section (`/Prev`, a
//! linearized file, an incremental update), a cross-reference stream, an
//! entry that points at anything but its object, or an object the table
//! does not list keeps lopdf's failure, so no object is ever silently
//! missing.

/// Most objects a mended table may number.
const MAX_OBJECTS: u64 = 8_388_608;

/// The file with a conforming cross-reference section appended, or `None`
/// when it cannot be mended safely.
pub(super) fn mend(bytes: &[u8]) -> Option<Vec<u8>> {
    let startxref = find_last(bytes, b"startxref")?;
    // The file ends with `%%EOF` after its `startxref`.
    let eof = find_last(bytes, b"%%EOF")?;
    if eof < startxref
        || !bytes[eof + b"%%EOF".len()..]
            .iter()
            .all(u8::is_ascii_whitespace)
    {
        return None;
    }
    // One section, one trailer.
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"/Linearized").is_some()
        || memchr::memmem::find_iter(bytes, b"trailer").count() != 1
        || memchr::memmem::find_iter(bytes, b"startxref").count() != 1
    {
        return None;
    }
    let trailer = find_last(&bytes[..startxref], b"trailer")?;
    let dictionary = trim(&bytes[trailer + b"trailer".len()..startxref]);
    if !(dictionary.starts_with(b"<<") && dictionary.ends_with(b">>"))
        || find_last(dictionary, b"/Prev").is_some()
        || find_last(dictionary, b"/XRefStm").is_some()
        || find_last(dictionary, b"/Root").is_none()
    {
        return None;
    }
    let table = table_start(&bytes[..trailer])?;
    let entries = entries(&bytes[table..trailer])?;
    let size = entries.iter().map(|e| e.0 + 1).max()?;
    // The standard's limit on object numbers (ISO 32000 annex C), and at
    // least one byte of file per object.
    if size > MAX_OBJECTS || size > bytes.len() as u64 {
        return None;
    }
    // Every object of the file is in the table.
    if object_headers(bytes) != entries.len() {
        return None;
    }
    let mut offsets: Vec<Option<(u64, u32)>> = vec![None; usize::try_from(size).ok()?];
    for (number, offset, generation) in entries {
        if !is_object_at(bytes, offset, number, generation) {
            return None;
        }
        offsets[usize::try_from(number).ok()?] = Some((offset, generation));
    }
    let mut out = Vec::with_capacity(bytes.len() + 20 * offsets.len() + dictionary.len() + 64);
    out.extend_from_slice(bytes);
    out.push(b'\n');
    let start = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for (number, entry) in offsets.iter().enumerate() {
        let line = match entry {
            Some((offset, generation)) => format!("{offset:010} {generation:05} n\r\n"),
            None if number == 0 => "0000000000 65535 f\r\n".to_string(),
            None => "0000000000 00000 f\r\n".to_string(),
        };
        out.extend_from_slice(line.as_bytes());
    }
    out.extend_from_slice(b"trailer\n");
    out.extend_from_slice(dictionary);
    out.extend_from_slice(format!("\nstartxref\n{start}\n%%EOF\n").as_bytes());
    Some(out)
}

/// Where the last `xref` keyword at the start of a line begins (not the one
/// inside `startxref`).
fn table_start(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while let Some(at) = find_last(&bytes[..end], b"xref") {
        if at == 0 || matches!(bytes[at - 1], b'\n' | b'\r') {
            return Some(at + b"xref".len());
        }
        end = at;
    }
    None
}

/// The in-use entries of a classic table read leniently: subsections of
/// `first count` then `count` entries of `offset generation n|f`, with any
/// whitespace between. `None` when the text is anything else.
fn entries(table: &[u8]) -> Option<Vec<(u64, u64, u32)>> {
    let mut tokens = table
        .split(u8::is_ascii_whitespace)
        .filter(|t| !t.is_empty());
    let number = |t: &[u8]| -> Option<u64> {
        if t.is_empty() || t.len() > 10 || !t.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(t).ok()?.parse().ok()
    };
    let mut out = Vec::new();
    while let Some(first) = tokens.next() {
        let first = number(first)?;
        let count = number(tokens.next()?)?;
        if count > MAX_OBJECTS {
            return None;
        }
        for i in 0..count {
            let offset = number(tokens.next()?)?;
            let generation = u32::try_from(number(tokens.next()?)?).ok()?;
            match tokens.next()? {
                b"n" => out.push((first + i, offset, generation)),
                b"f" => {}
                _ => return None,
            }
        }
    }
    Some(out)
}

/// How many `number generation obj` headers begin a line of the file.
fn object_headers(bytes: &[u8]) -> usize {
    memchr::memmem::find_iter(bytes, b" obj")
        .filter(|&at| {
            // Back over `generation`, a space and `number` to a line start.
            let digits_before = |end: usize| {
                bytes[..end]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_digit())
                    .count()
            };
            let generation = digits_before(at);
            if generation == 0 || at < generation + 1 || bytes[at - generation - 1] != b' ' {
                return false;
            }
            let number_end = at - generation - 1;
            let number = digits_before(number_end);
            let start = number_end - number;
            number > 0 && (start == 0 || matches!(bytes[start - 1], b'\n' | b'\r'))
        })
        .count()
}

/// Whether `number generation obj` begins at `offset`.
fn is_object_at(bytes: &[u8], offset: u64, number: u64, generation: u32) -> bool {
    let Some(rest) = usize::try_from(offset).ok().and_then(|o| bytes.get(o..)) else {
        return false;
    };
    let header = format!("{number} {generation} obj");
    rest.starts_with(header.as_bytes())
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF whose table entries end with `eol` and whose
    /// `startxref` is off by `shift`.
    fn pdf(eol: &str, shift: i64) -> Vec<u8> {
        let mut b = b"%PDF-1.4\n".to_vec();
        let objects = [
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n",
        ];
        let mut offsets = Vec::new();
        for o in objects {
            offsets.push(b.len());
            b.extend_from_slice(o.as_bytes());
        }
        let xref = b.len();
        b.extend_from_slice(format!("xref\n0 4\n0000000000 65535 f{eol}").as_bytes());
        for o in offsets {
            b.extend_from_slice(format!("{o:010} 00000 n{eol}").as_bytes());
        }
        let pointer = xref as i64 + shift;
        b.extend_from_slice(
            format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{pointer}\n%%EOF\n").as_bytes(),
        );
        b
    }

    fn pages(bytes: &[u8]) -> Option<usize> {
        lopdf::Document::load_mem(bytes)
            .ok()
            .map(|d| d.get_pages().len())
    }

    #[test]
    fn short_entries_and_a_stray_pointer_are_mended() {
        for (eol, shift) in [("\n", 0), ("\r", 0), ("\r\n", 7)] {
            let broken = pdf(eol, shift);
            assert_eq!(pages(&broken), None, "lopdf refuses {eol:?} {shift}");
            let mended = mend(&broken).unwrap();
            assert!(mended.starts_with(&broken), "nothing before moves");
            assert_eq!(pages(&mended), Some(1), "{eol:?} {shift}");
        }
    }

    #[test]
    fn what_cannot_be_mended_safely_is_left() {
        let whole = pdf("\n", 0);
        // Cut short: no %%EOF at the end, or something after it.
        assert_eq!(mend(&whole[..whole.len() - "%%EOF\n".len()]), None);
        let mut after = whole.clone();
        after.extend_from_slice(b"4 0 obj\n<< >>\nendobj\n");
        assert_eq!(mend(&after), None);
        // An entry pointing beside its object.
        let text = String::from_utf8(whole).unwrap();
        let wrong = text.replacen("0000000009 00000 n", "0000000010 00000 n", 1);
        assert_ne!(wrong, text);
        assert_eq!(mend(wrong.as_bytes()), None);
        // A chain of sections, an incremental update, a linearized file.
        let chained = text.replace("/Root 1 0 R", "/Root 1 0 R /Prev 9");
        assert_eq!(mend(chained.as_bytes()), None);
        let updated = format!("{text}{}", &text[text.find("xref").unwrap()..]);
        assert_eq!(mend(updated.as_bytes()), None);
        let linearized = text.replacen("/Type /Catalog", "/Linearized 1 ", 1);
        assert_ne!(linearized, text);
        assert_eq!(mend(linearized.as_bytes()), None);
        // An object the table does not list.
        let unlisted = text.replacen("xref", "4 0 obj\n<< >>\nendobj\nxref", 1);
        assert_eq!(mend(unlisted.as_bytes()), None);
        // An object number past the standard's limit.
        let far = b"%PDF-1.4\n8388608 0 obj\n<< >>\nendobj\nxref\n8388608 1\n0000000009 00000 n\ntrailer\n<< /Root 8388608 0 R >>\nstartxref\n40\n%%EOF\n";
        assert_eq!(mend(far), None);
        // No table at all.
        assert_eq!(
            mend(b"%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"),
            None
        );
    }
}
