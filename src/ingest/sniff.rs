//! Deciding a file's format from its content, not its name, and checking a
//! zip package before any parser allocates for it: declared sizes,
//! compression ratios and every entry's CRC.

use std::io::Read;
use std::path::Path;

/// What a file really is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// Excel 97–2003 workbook (.xls).
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Word document (.docx): the minutes.
    Docx,
    /// Text: CSV.
    Csv,
}

impl Format {
    /// The format a file name promises.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext {
            "xlsx" | "xlsm" => Format::Xlsx,
            "xlsb" => Format::Xlsb,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "docx" => Format::Docx,
            "csv" => Format::Csv,
            _ => return None,
        })
    }

    /// A name for the report.
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "Excel（.xlsx）",
            Format::Xlsb => "Excel バイナリ（.xlsb）",
            Format::Xls => "Excel 97-2003（.xls）",
            Format::Ods => "OpenDocument（.ods）",
            Format::Docx => "Word（.docx）",
            Format::Csv => "CSV",
        }
    }
}

/// Largest uncompressed size of one zip entry.
const MAX_ENTRY: u64 = 256 * 1024 * 1024;
/// Largest uncompressed size of a whole package.
const MAX_TOTAL: u64 = 512 * 1024 * 1024;
/// Largest compression ratio accepted for an entry over 1 MiB.
const MAX_RATIO: u64 = 200;

const RESAVE: &str = "Excel で開き「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してから提出してもらってください。";

fn corrupt() -> String {
    format!("ファイルが壊れています（途中で切れているか、中身が傷んでいます）。{RESAVE}")
}

/// Decides the format of a file from its bytes, checking zip packages.
pub fn sniff(path: &Path) -> Result<Format, String> {
    let mut head = [0u8; 4096];
    let n = {
        let mut f =
            std::fs::File::open(path).map_err(|e| format!("ファイルを開けません（{e}）。"))?;
        read_up_to(&mut f, &mut head).map_err(|e| format!("ファイルを読めません（{e}）。"))?
    };
    let head = &head[..n];
    if head.is_empty() {
        return Err("空のファイルです（0 バイト）。保存や送信に失敗している可能性があります。もう一度提出してもらってください。".into());
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return check_zip(path);
    }
    if head.starts_with(b"PK") {
        return Err(corrupt());
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return check_ole(path);
    }
    let text = String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_lowercase();
    if text.starts_with("<html")
        || text.starts_with("<!doctype html")
        || text.starts_with("<table")
        || text.contains("<html")
    {
        return Err(format!(
            "Web システムなどから出力された HTML 形式のファイルで、Excel ブックではありません。{RESAVE}"
        ));
    }
    if text.starts_with("<?xml") {
        return Err(
            if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                format!("「XML スプレッドシート 2003」形式のファイルです。{RESAVE}")
            } else {
                format!("XML ファイルで、Excel ブックではありません。{RESAVE}")
            },
        );
    }
    if head.contains(&0) {
        return Err("対応していない形式のファイルです（Excel・OpenDocument・CSV・Word .docx のいずれでもありません）。".into());
    }
    Ok(Format::Csv)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            k => filled += k,
        }
    }
    Ok(filled)
}

/// Checks a zip package (sizes, ratios, CRCs) and tells what it holds.
fn check_zip(path: &Path) -> Result<Format, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("ファイルを開けません（{e}）。"))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|_| corrupt())?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| corrupt())?;
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        total = total.saturating_add(size);
        if size > MAX_ENTRY
            || total > MAX_TOTAL
            || (size > 1024 * 1024 && size / packed > MAX_RATIO)
        {
            return Err(format!(
                "展開すると異常に大きくなるファイルです（{} の展開後 {} MB）。壊れているか、不正なファイルの可能性があります。{RESAVE}",
                entry.name().unwrap_or_default(),
                size / (1024 * 1024)
            ));
        }
    }
    let mut content_types = String::new();
    let mut mimetype = String::new();
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let has_entry = |n: &str| names.iter().any(|x| x == n);
    // Read every entry to its end: the zip reader checks the CRC there, so a
    // flipped byte inside sheet data fails the file instead of changing text.
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| corrupt())?;
        let name = entry.name().map_err(|_| corrupt())?.to_string();
        let wanted = name == "[Content_Types].xml" || name == "mimetype";
        let mut buf = Vec::new();
        let result = if wanted {
            (&mut entry)
                .take(1024 * 1024)
                .read_to_end(&mut buf)
                .map(|_| ())
        } else {
            std::io::copy(&mut entry, &mut std::io::sink()).map(|_| ())
        };
        if result.is_err() {
            return Err(format!(
                "ファイルの中身が傷んでいます（{name} の検査値が合いません）。送信や保存の途中で壊れた可能性があります。元のファイルをもう一度提出してもらってください。"
            ));
        }
        if name == "[Content_Types].xml" {
            content_types = String::from_utf8_lossy(&buf).into_owned();
        } else if name == "mimetype" {
            mimetype = String::from_utf8_lossy(&buf).into_owned();
        }
    }
    if mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
        return Ok(Format::Ods);
    }
    if content_types.contains("sheet.binary") {
        return Ok(Format::Xlsb);
    }
    if content_types.contains("spreadsheetml") || content_types.contains("ms-excel.sheet") {
        return Ok(Format::Xlsx);
    }
    if content_types.contains("wordprocessingml") {
        return Ok(Format::Docx);
    }
    // Packages written by other tools may lack the content types part.
    if has_entry("xl/workbook.xml") {
        return Ok(Format::Xlsx);
    }
    if has_entry("word/document.xml") {
        return Ok(Format::Docx);
    }
    Err("ZIP 形式ですが、Excel・OpenDocument・Word の文書ではありません。".into())
}

/// An OLE compound file: an .xls, or an Office file protected by password.
fn check_ole(path: &Path) -> Result<Format, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("ファイルを読めません（{e}）。"))?;
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    let has = |name: &str| {
        let needle = utf16(name);
        bytes.windows(needle.len()).any(|w| w == needle.as_slice())
    };
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err("パスワードで保護されているため読み取れません。提出した課にパスワードを外して保存し直してもらってください。".into());
    }
    if has("WordDocument") {
        return Err(
            "古い Word 形式（.doc）です。Word で開き「Word 文書 (*.docx)」で保存し直してください。"
                .into(),
        );
    }
    Ok(Format::Xls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_bytes(bytes: &[u8]) -> Result<Format, String> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, bytes).unwrap();
        sniff(&p)
    }

    #[test]
    fn text_html_and_empty() {
        assert_eq!(sniff_bytes("分野,区分,内容\n".as_bytes()), Ok(Format::Csv));
        assert!(sniff_bytes(b"").unwrap_err().contains("空のファイル"));
        assert!(
            sniff_bytes(b"<html><body><table>")
                .unwrap_err()
                .contains("HTML 形式")
        );
        assert!(
            sniff_bytes(br#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">"#)
                .unwrap_err()
                .contains("2003")
        );
        assert!(
            sniff_bytes(b"PK\x03\x04truncated")
                .unwrap_err()
                .contains("壊れています")
        );
    }

    #[test]
    fn encrypted_ole_package() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.extend(vec![0u8; 100]);
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(sniff_bytes(&bytes).unwrap_err().contains("パスワード"));
    }
}
