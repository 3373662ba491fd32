//! Renderers: each takes `&Matrix` + `&Template` and produces one file's
//! bytes; [`write_atomic`] puts them in place.

pub mod form;
pub mod json;
pub mod manifest;
pub mod pdf;
pub mod xlsx;

use std::io::Write;
use std::path::{Path, PathBuf};

/// File name of the Excel handout.
pub const XLSX_NAME: &str = "資料_各分野の現状と課題及び想定される解決策.xlsx";
/// File name of the PDF handout.
pub const PDF_NAME: &str = "資料_各分野の現状と課題及び想定される解決策.pdf";
/// File name of the JSON matrix.
pub const JSON_NAME: &str = "matrix.json";
/// File name of the run record.
pub const MANIFEST_NAME: &str = "manifest.json";
/// File name of the run report.
pub const REPORT_NAME: &str = "report.txt";

/// Writes all outputs or none: every target is checked first (a folder in
/// its place, or a file another program holds open, stops the run before
/// anything changes), then each is written to a temporary file in its folder
/// and only then renamed over the old one. Temporary files never stay
/// behind. The error names the file that failed.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (PathBuf, std::io::Error)> {
    for (path, _) in files {
        if path.is_dir() {
            let e = std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "同じ名前のフォルダがあります",
            );
            return Err((path.clone(), e));
        }
        if path.exists() {
            // Fails while another program (Excel, a PDF viewer on Windows) locks it.
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| (path.clone(), e))?;
        }
    }
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        staged.push((path, stage(path, bytes).map_err(|e| (path.clone(), e))?));
    }
    for (path, tmp) in staged {
        tmp.persist(path).map_err(|e| (path.clone(), e.error))?;
    }
    Ok(())
}

fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
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
    Ok(tmp)
}

/// Lower-case hex of bytes (digests in the run record).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of bytes, hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// The text of an item as printed: text and `＜examples＞`.
pub fn item_line(item: &crate::matrix::Item) -> String {
    match &item.examples {
        Some(ex) => format!("{}＜{}＞", item.text, ex),
        None => item.text.clone(),
    }
}
