//! Deciding a file's format from its content, not its name (SPEC §7.2), and
//! checking a zip package before any parser allocates for it: declared
//! sizes, compression ratios and every entry's CRC.
//!
//! A zip package is what its main part says (the package relationship to
//! the office document: `xl/workbook.xml`, `word/document.xml`), an
//! OpenDocument file what its `mimetype` says; a chart or an embedded
//! workbook inside a Word file does not make it a workbook. An OLE2 file is
//! what its root streams say (`Workbook`/`Book`, `WordDocument`, an
//! encrypted package); embedded objects in sub-storages do not count.

use std::io::{Read, Seek};
use std::path::Path;

use super::error::{FileError, Remedy};

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
    /// PDF: minutes only (SPEC §8.3).
    Pdf,
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
            "pdf" => Format::Pdf,
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
            Format::Pdf => "PDF（.pdf）",
        }
    }
}

/// Largest uncompressed size of one zip entry.
const MAX_ENTRY: u64 = 256 * 1024 * 1024;
/// Largest uncompressed size of a whole package.
const MAX_TOTAL: u64 = 512 * 1024 * 1024;
/// Largest compression ratio accepted for an entry over 1 MiB.
const MAX_RATIO: u64 = 200;

/// Decides the format of a file from its bytes, checking zip packages.
/// `promised` (from the name) only chooses the advice for a broken file.
pub fn sniff(path: &Path, promised: Format) -> Result<Format, FileError> {
    let open = |e: std::io::Error| FileError::open(&e);
    let mut head = [0u8; 4096];
    let n = {
        let mut f = std::fs::File::open(path).map_err(open)?;
        read_up_to(&mut f, &mut head).map_err(open)?
    };
    let head = &head[..n];
    let word = promised == Format::Docx;
    if head.is_empty() {
        return Err(FileError::Empty);
    }
    // A PDF's header may follow some bytes of junk (up to 1 KiB).
    if head.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return check_zip(path, word);
    }
    if head.starts_with(b"PK") {
        return Err(FileError::corrupt_for(word));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return check_ole(path);
    }
    if let Some(version) = super::xls::old_biff_version(head) {
        return Err(FileError::OldExcel(version));
    }
    // UTF-16 text carries NUL bytes: its byte order mark says it is text.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Format::Csv);
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
        return Err(FileError::Html);
    }
    if text.starts_with("<?xml") {
        return Err(
            if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                FileError::Xml2003
            } else {
                FileError::Xml
            },
        );
    }
    if head.contains(&0) {
        return Err(FileError::Unknown);
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

/// A part name as compared: without case and with `\` as `/` (some
/// writers store `xl\workbook.xml`).
fn part(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_lowercase()
}

/// The stored name of a package's main document: where `_rels/.rels`
/// points, else `word/document.xml`, in whatever case or separator the
/// package writes them.
pub(crate) fn main_entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let stored = |wanted: &str| names.iter().find(|n| part(n) == part(wanted)).cloned();
    let mut relationships = String::new();
    if let Some(rels) = stored("_rels/.rels")
        && let Ok(entry) = zip.by_name(&rels)
    {
        let _ = entry.take(1024 * 1024).read_to_string(&mut relationships);
    }
    main_part(&relationships)
        .and_then(|p| stored(&p))
        .or_else(|| stored("word/document.xml"))
}

/// A zip package opened for reading: a file of usual size is read whole at
/// once, since the zip reader seeks and reads a few bytes at a time
/// (thousands of calls per workbook); a larger one is read from the disk.
pub(crate) enum Package {
    /// The whole file.
    Memory(std::io::Cursor<Vec<u8>>),
    /// A file over [`Package::IN_MEMORY`] bytes.
    Disk(std::io::BufReader<std::fs::File>),
}

impl Package {
    /// The largest file read into memory whole.
    const IN_MEMORY: u64 = 32 * 1024 * 1024;

    /// The whole file, when it was read into memory.
    pub(crate) fn in_memory(&self) -> Option<&[u8]> {
        match self {
            Package::Memory(m) => Some(m.get_ref()),
            Package::Disk(_) => None,
        }
    }

    /// Opens the file at `path`.
    pub(crate) fn open(path: &Path) -> Result<Package, FileError> {
        let open = |e: std::io::Error| FileError::open(&e);
        let mut file = std::fs::File::open(path).map_err(open)?;
        let size = file.metadata().map_err(open)?.len();
        if size > Self::IN_MEMORY {
            return Ok(Package::Disk(std::io::BufReader::new(file)));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.read_to_end(&mut bytes).map_err(open)?;
        Ok(Package::Memory(std::io::Cursor::new(bytes)))
    }
}

impl Read for Package {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Package::Memory(m) => m.read(buf),
            Package::Disk(d) => d.read(buf),
        }
    }
}

impl Seek for Package {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        match self {
            Package::Memory(m) => m.seek(pos),
            Package::Disk(d) => d.seek(pos),
        }
    }
}

/// Whether a package part is a picture (the thumbnail, or an image in a
/// media folder), never read for text. By place as well as by name: a
/// sheet may be stored under any name its relationship gives.
fn is_picture(part: &str) -> bool {
    const PICTURES: [&str; 12] = [
        ".wmf", ".emf", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".svg", ".jfif",
        ".wdp",
    ];
    let placed = part.starts_with("docprops/thumbnail.") || part.contains("/media/");
    placed && PICTURES.iter().any(|ext| part.ends_with(ext))
}

/// Checks a zip package (sizes, ratios, CRCs) and tells what it holds.
fn check_zip(path: &Path, word: bool) -> Result<Format, FileError> {
    let mut zip =
        zip::ZipArchive::new(Package::open(path)?).map_err(|_| FileError::corrupt_for(word))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let has_entry = |n: &str| names.iter().any(|x| part(x) == part(n));
    // A broken package that holds a Word document gets Word's advice.
    let word = word || has_entry("word/document.xml");
    check_sizes(&mut zip, word)?;
    let mut relationships = String::new();
    let mut content_types = String::new();
    let mut mimetype = String::new();
    let mut manifest = String::new();
    // Read every entry to its end: the zip reader checks the CRC there, so a
    // flipped byte inside sheet data fails the file instead of changing text.
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| FileError::corrupt_for(word))?;
        let name = entry
            .name()
            .map_err(|_| FileError::corrupt_for(word))?
            .to_string();
        let key = part(&name);
        let wanted = matches!(
            key.as_str(),
            "_rels/.rels" | "[content_types].xml" | "mimetype" | "meta-inf/manifest.xml"
        );
        let mut buf = Vec::new();
        let result = if wanted {
            (&mut entry)
                .take(1024 * 1024)
                .read_to_end(&mut buf)
                .map(|_| ())
        } else {
            std::io::copy(&mut entry, &mut std::io::sink()).map(|_| ())
        };
        // A picture's damage cannot change a text (Excel 2010 has been seen
        // writing a thumbnail whose CRC does not match): only the parts that
        // may hold text fail the file.
        if result.is_err() && !is_picture(&key) {
            return Err(FileError::Crc { entry: name });
        }
        let text = String::from_utf8_lossy(&buf).into_owned();
        match key.as_str() {
            "_rels/.rels" => relationships = text,
            "[content_types].xml" => content_types = text,
            "mimetype" => mimetype = text,
            "meta-inf/manifest.xml" => manifest = text,
            _ => {}
        }
    }
    if mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
        // An encrypted ODS lists how each part is encrypted.
        if manifest.contains("encryption-data") {
            return Err(FileError::Encrypted);
        }
        return Ok(Format::Ods);
    }
    let main = main_part(&relationships)
        .map(|p| part(&p))
        .filter(|p| has_entry(p));
    // Packages written by other tools may lack the relationships part.
    let main = main.or_else(|| {
        ["xl/workbook.xml", "xl/workbook.bin", "word/document.xml"]
            .into_iter()
            .find(|p| has_entry(p))
            .map(String::from)
    });
    let Some(main) = main else {
        return Err(FileError::NotOffice);
    };
    main_format(&content_types, &main)
}

/// The format of a package by its main part: the part's content type says
/// what it is, wherever it lies (`wtf/workbook.xml`); its name decides
/// when the type is not listed.
fn main_format(content_types: &str, main: &str) -> Result<Format, FileError> {
    let declared = declared_type(content_types, main).unwrap_or_default();
    let name = main.rsplit('/').next().unwrap_or(main);
    if declared.contains("sheet.binary") || (declared.is_empty() && name.ends_with(".bin")) {
        Ok(Format::Xlsb)
    } else if declared.contains("spreadsheetml")
        || declared.contains("ms-excel")
        || (declared.is_empty() && name.starts_with("workbook"))
    {
        Ok(Format::Xlsx)
    } else if declared.contains("wordprocessingml")
        || declared.contains("ms-word")
        || (declared.is_empty() && name.starts_with("document"))
    {
        Ok(Format::Docx)
    } else {
        Err(FileError::NotOffice)
    }
}

/// Refuses a package whose entries would expand too far (one entry, all
/// of them, or at an absurd ratio): a zip bomb or a broken file.
fn check_sizes<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, word: bool) -> Result<(), FileError> {
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| FileError::corrupt_for(word))?;
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        total = total.saturating_add(size);
        if size > MAX_ENTRY
            || total > MAX_TOTAL
            || (size > 1024 * 1024 && size / packed > MAX_RATIO)
        {
            return Err(FileError::Bomb {
                entry: entry.name().unwrap_or_default().to_string(),
                megabytes: size / (1024 * 1024),
                remedy: Remedy::of(word),
            });
        }
    }
    Ok(())
}

/// The content type `[Content_Types].xml` gives a part (lower-cased), from
/// its Override, else from the Default of its extension.
fn declared_type(content_types: &str, part: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(content_types);
    let ext = part.rsplit_once('.').map(|(_, e)| e.to_lowercase());
    let mut by_extension = None;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let get = |name: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.to_lowercase())
                };
                match e.local_name().as_ref() {
                    "Override" => {
                        let name = get("PartName").unwrap_or_default();
                        let name = name.replace('\\', "/");
                        if name.trim_start_matches('/') == part {
                            return get("ContentType");
                        }
                    }
                    "Default" if get("Extension") == ext => by_extension = get("ContentType"),
                    _ => {}
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return by_extension,
            _ => {}
        }
    }
}

/// The target of the package's office-document relationship, without a
/// leading `/` (`xl/workbook.xml`).
fn main_part(relationships: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(relationships);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let get = |name: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.to_string())
                };
                if get("Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    return get("Target").map(|t| t.trim_start_matches('/').to_string());
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// An OLE compound file, by its root streams: an .xls, an Office file
/// protected by a password, or an old Word document.
fn check_ole(path: &Path) -> Result<Format, FileError> {
    let file = std::fs::File::open(path).map_err(|e| FileError::open(&e))?;
    let Ok(cf) = cfb::CompoundFile::open(file) else {
        // A directory the strict reader refuses may still hold an encrypted
        // package (Excel's agile encryption without a DataSpaces storage):
        // say so rather than call it broken.
        let bytes = std::fs::read(path).map_err(|e| FileError::open(&e))?;
        let utf16 = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
        };
        let has = |name: &str| {
            let needle = utf16(name);
            bytes.windows(needle.len()).any(|w| w == needle.as_slice())
        };
        if has("EncryptionInfo") && has("EncryptedPackage") {
            return Err(FileError::Encrypted);
        }
        return Err(FileError::corrupt_for(false));
    };
    let root: Vec<String> = cf
        .read_root_storage()
        .map(|e| e.name().to_ascii_lowercase())
        .collect();
    let has = |name: &str| root.iter().any(|n| n == name);
    if has("encryptedpackage") || has("encryptioninfo") {
        return Err(FileError::Encrypted);
    }
    if has("workbook") || has("book") {
        return Ok(Format::Xls);
    }
    if has("worddocument") {
        return Err(FileError::OldWord);
    }
    Err(FileError::Unknown)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    fn sniff_bytes(bytes: &[u8]) -> Result<Format, FileError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, bytes).unwrap();
        sniff(&p, Format::Xlsx)
    }

    fn ole(streams: &[&str]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o");
        let mut cf = cfb::create(&path).unwrap();
        for s in streams {
            if let Some((storage, _)) = s.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
                cf.create_storage_all(storage).unwrap();
            }
            cf.create_stream(s).unwrap().write_all(&[0u8; 64]).unwrap();
        }
        cf.flush().unwrap();
        drop(cf);
        std::fs::read(path).unwrap()
    }

    /// A zip package of `entries` (name, text), for the package readers'
    /// tests.
    pub(crate) fn package(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in entries {
            out.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(text.as_bytes()).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn text_html_utf16_and_empty() {
        assert_eq!(sniff_bytes("分野,区分,内容\n".as_bytes()), Ok(Format::Csv));
        assert_eq!(sniff_bytes(b""), Err(FileError::Empty));
        assert_eq!(sniff_bytes(b"<html><body><table>"), Err(FileError::Html));
        assert_eq!(
            sniff_bytes(br#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">"#),
            Err(FileError::Xml2003)
        );
        assert_eq!(
            sniff_bytes(b"PK\x03\x04truncated"),
            Err(FileError::corrupt_for(false))
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("分野,区分".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(sniff_bytes(&utf16), Ok(Format::Csv));
    }

    #[test]
    fn a_broken_word_file_gets_word_advice() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("会議録.docx");
        std::fs::write(&p, b"PK\x03\x04truncated").unwrap();
        let e = sniff(&p, Format::Docx).unwrap_err();
        assert!(e.to_string().contains("Word 文書 (*.docx)"), "{e}");
        assert!(!e.to_string().contains("Excel ブック"), "{e}");
    }

    #[test]
    fn ole_files_by_their_root_streams() {
        assert_eq!(sniff_bytes(&ole(&["/Workbook"])), Ok(Format::Xls));
        // An embedded Word document in a sub-storage does not make it Word.
        assert_eq!(
            sniff_bytes(&ole(&["/Workbook", "/MBD0001/WordDocument"])),
            Ok(Format::Xls)
        );
        assert_eq!(
            sniff_bytes(&ole(&["/WordDocument"])),
            Err(FileError::OldWord)
        );
        assert_eq!(
            sniff_bytes(&ole(&["/EncryptionInfo", "/EncryptedPackage"])),
            Err(FileError::Encrypted)
        );
    }

    #[test]
    fn packages_by_their_main_part() {
        let rels = |target: &str| {
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/></Relationships>"#
            )
        };
        // Minutes with a chart: the content types list spreadsheetml too.
        let types = r#"<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/embeddings/b.xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/></Types>"#;
        let docx = package(&[
            ("[Content_Types].xml", types),
            ("_rels/.rels", &rels("word/document.xml")),
            ("word/document.xml", "<w:document/>"),
            ("word/embeddings/b.xlsx", "x"),
        ]);
        assert_eq!(sniff_bytes(&docx), Ok(Format::Docx));
        let xlsx = package(&[
            ("_rels/.rels", &rels("/xl/workbook.xml")),
            ("xl/workbook.xml", "<workbook/>"),
        ]);
        assert_eq!(sniff_bytes(&xlsx), Ok(Format::Xlsx));
        let bare = package(&[("xl/workbook.bin", "")]);
        assert_eq!(sniff_bytes(&bare), Ok(Format::Xlsb));
        assert_eq!(
            sniff_bytes(&package(&[("a.txt", "x")])),
            Err(FileError::NotOffice)
        );
    }
}
