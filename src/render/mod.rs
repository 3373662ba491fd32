//! Renderers: each takes what it draws (the [`Handout`](crate::handout::Handout)
//! or the `&Matrix`) and the `&Template`, and produces one file's bytes;
//! the output module puts them in place.

pub mod edits;
pub mod form;
pub mod html;
pub mod manifest;
pub mod pdf;
pub mod returns;
pub mod xlsx;

/// File name of the Excel handout.
pub const XLSX_NAME: &str = "資料_各分野の現状と課題及び想定される解決策.xlsx";
/// File name of the PDF handout.
pub const PDF_NAME: &str = "資料_各分野の現状と課題及び想定される解決策.pdf";
/// File name of the web page of the handout.
pub const HTML_NAME: &str = "資料.html";
/// File name of the run record.
pub const MANIFEST_NAME: &str = "manifest.json";
/// File name of the run report.
pub const REPORT_NAME: &str = "report.txt";

/// An .xlsx package with the same bytes on every OS. The zip writer under
/// rust_xlsxwriter records the writing system in each central directory
/// entry ("version made by": MS-DOS on Windows, Unix elsewhere); it is set
/// to Unix here so that the handout's digest in manifest.json does not
/// depend on the machine (SPEC §7.10). Anything unexpected leaves the bytes
/// as they are.
pub fn same_on_every_os(mut zip: Vec<u8>) -> Vec<u8> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const CENTRAL: &[u8] = b"PK\x01\x02";
    const UNIX: u8 = 3;
    let u16_at = |b: &[u8], i: usize| {
        b.get(i..i + 2)
            .map(|x| usize::from(u16::from_le_bytes([x[0], x[1]])))
    };
    let u32_at = |b: &[u8], i: usize| {
        b.get(i..i + 4)
            .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]) as usize)
    };
    let search_from = zip.len().saturating_sub(22 + 0xFFFF);
    let Some(eocd) = zip[search_from..]
        .windows(4)
        .rposition(|w| w == EOCD)
        .map(|p| p + search_from)
    else {
        return zip;
    };
    let (Some(entries), Some(mut at)) = (u16_at(&zip, eocd + 10), u32_at(&zip, eocd + 16)) else {
        return zip;
    };
    for _ in 0..entries {
        if zip.get(at..at + 4) != Some(CENTRAL) {
            break;
        }
        let (Some(name), Some(extra), Some(comment)) = (
            u16_at(&zip, at + 28),
            u16_at(&zip, at + 30),
            u16_at(&zip, at + 32),
        ) else {
            break;
        };
        zip[at + 5] = UNIX;
        at += 46 + name + extra + comment;
    }
    zip
}

/// A text file meant for people (report.txt, 使い方.txt): UTF-8 with a
/// byte order mark, so that Notepad and Excel on any Windows read it as
/// UTF-8 rather than the local code page (SPEC §7.6).
pub fn text_file(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(text.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_written_on_windows_gets_the_bytes_written_elsewhere() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "河﨑").unwrap();
        let unix = same_on_every_os(wb.save_to_buffer().unwrap());
        // What the zip writer does on Windows: MS-DOS (0) as the host.
        let mut dos = unix.clone();
        let mut changed = 0;
        for i in 0..dos.len() - 6 {
            if &dos[i..i + 4] == b"PK\x01\x02" {
                assert_eq!(dos[i + 5], 3);
                dos[i + 5] = 0;
                changed += 1;
            }
        }
        assert!(changed >= 8, "every entry of the package: {changed}");
        assert_ne!(dos, unix);
        assert_eq!(same_on_every_os(dos), unix);
        assert_eq!(same_on_every_os(b"not a zip".to_vec()), b"not a zip");
    }

    #[test]
    fn text_files_for_people_start_with_a_bom() {
        assert_eq!(text_file("結果"), b"\xEF\xBB\xBF\xE7\xB5\x90\xE6\x9E\x9C");
    }
}
