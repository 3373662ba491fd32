//! Renderers: each takes `&Matrix` + `&Template` and produces one file's
//! bytes; [`write_atomic`] puts them in place.

pub mod json;
pub mod pdf;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

/// File name of the Excel handout.
pub const XLSX_NAME: &str = "資料_各分野の現状と課題及び想定される解決策.xlsx";
/// File name of the PDF handout.
pub const PDF_NAME: &str = "資料_各分野の現状と課題及び想定される解決策.pdf";
/// File name of the JSON matrix.
pub const JSON_NAME: &str = "matrix.json";
/// File name of the run report.
pub const REPORT_NAME: &str = "report.txt";

/// Writes a file atomically: a temporary file in the same folder, then a
/// rename, so an existing file is only ever replaced by a complete one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".shiryo-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; a handout is an ordinary shared document.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The text of an item as printed: text and `＜examples＞`.
pub fn item_line(item: &crate::matrix::Item) -> String {
    match &item.examples {
        Some(ex) => format!("{}＜{}＞", item.text, ex),
        None => item.text.clone(),
    }
}
