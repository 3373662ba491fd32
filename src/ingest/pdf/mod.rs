//! Council minutes as a PDF (SPEC §8.3): the text layer of every page,
//! read with lopdf (objects, decryption with the empty password, filters,
//! content streams) and this module's own text positioning and fonts
//! (`/ToUnicode` maps of Japanese CID fonts, predefined Japanese CMaps),
//! the page layout undone (module `layout`), then the same rules as Word minutes
//! ([`super::minutes`]). Each paragraph's place is its page, `p3`. A
//! classic cross-reference table that lopdf refuses but viewers read
//! (19-byte entries, a stray `startxref`) is mended first (module `xref`).
//!
//! A PDF without a text layer (a scan), with a password, or damaged fails
//! with its reason and what to do; a PDF whose name and first two pages do
//! not say it is minutes is skipped.

mod cmap;
mod content;
mod font;
mod layout;
mod xref;

use std::path::Path;

use lopdf::{Document, LoadOptions};

use super::error::{Detail, FileError};
use super::minutes;
use super::raw::FileResult;
use crate::template::Template;

/// Largest PDF file read.
const MAX_FILE: u64 = 100 * 1024 * 1024;
/// Largest stream lopdf decompresses while loading (object streams).
const MAX_STREAM: usize = 64 * 1024 * 1024;
/// Pages whose text says whether the file is minutes (SPEC §8.3).
const TITLE_PAGES: usize = 2;
/// Longest paragraph (characters) of those pages read as a title, heading
/// or cell of the header table. Two pages of prose can mention some 審議会
/// in passing (a mayor's report: 「公民館運営審議会において説明を行いました」)
/// where Word's first 30 paragraphs would not reach.
const TITLE_LENGTH: usize = 40;

/// Why lopdf could not load a file, in the report's words.
fn load_problem(e: &lopdf::Error) -> Detail {
    use lopdf::Error;
    match e {
        Error::Parse(_) | Error::Syntax(_) => Detail::PdfStructure,
        Error::Xref(_) | Error::InvalidOffset(_) => Detail::PdfXref,
        Error::Decompress(_) => Detail::Compression,
        _ => Detail::Damaged,
    }
}

/// Opens a PDF: decrypted with the empty password when it is only
/// restricted (printing, copying), refused when it needs a password.
fn load(path: &Path) -> Result<Document, FileError> {
    let size = std::fs::metadata(path)
        .map_err(|e| FileError::open(&e))?
        .len();
    if size > MAX_FILE {
        return Err(FileError::PdfUnreadable(Detail::FileTooLarge(
            MAX_FILE / (1024 * 1024),
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| FileError::open(&e))?;
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..LoadOptions::default()
    };
    let loaded = match Document::load_mem_with_options(&bytes, options.clone()) {
        // A cross-reference table lopdf refuses but viewers read.
        Err(
            e @ (lopdf::Error::Parse(_) | lopdf::Error::Xref(_) | lopdf::Error::InvalidOffset(_)),
        ) => match xref::mend(&bytes) {
            Some(mended) => Document::load_mem_with_options(&mended, options).map_err(|_| e),
            None => Err(e),
        },
        other => other,
    };
    match loaded {
        // Still encrypted: the empty password did not open it.
        Ok(doc) if doc.trailer.get(b"Encrypt").is_ok() => Err(FileError::PdfEncrypted),
        Ok(doc) => Ok(doc),
        Err(
            lopdf::Error::InvalidPassword
            | lopdf::Error::Decryption(_)
            | lopdf::Error::UnsupportedSecurityHandler(_),
        ) => Err(FileError::PdfEncrypted),
        Err(e) => Err(FileError::PdfBroken(load_problem(&e))),
    }
}

/// The pages of a PDF as drawn, and whether a limit cut the reading short.
fn read_pages(doc: &Document) -> (Vec<content::Page>, bool) {
    let mut reader = content::Reader::new(doc);
    let mut pages = Vec::new();
    for id in doc.get_pages().into_values() {
        pages.push(reader.page(id));
        if reader.truncated {
            break;
        }
    }
    (pages, reader.truncated)
}

/// The paragraphs of a PDF with its page layout undone: what the minutes
/// rules read (SPEC §8.3). Fails as [`read`] does on a PDF without text.
pub fn paragraphs(path: &Path) -> Result<Vec<minutes::Paragraph>, FileError> {
    let doc = load(path)?;
    if doc.get_pages().is_empty() {
        return Err(FileError::PdfBroken(Detail::NoPages));
    }
    let (pages, _) = read_pages(&doc);
    check_text(&pages)?;
    Ok(layout::paragraphs(&pages))
}

/// Fails a PDF that has no text to read: a scan, an empty PDF, or glyphs
/// that no font maps to text.
fn check_text(pages: &[content::Page]) -> Result<(), FileError> {
    let readable = pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .filter(|g| g.text.as_deref().is_some_and(|t| !t.trim().is_empty()))
        .count()
        + pages.iter().map(|p| p.rotated).sum::<usize>();
    let unreadable = pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .filter(|g| g.text.is_none())
        .count();
    if readable > 0 {
        return Ok(());
    }
    Err(if unreadable > 0 {
        FileError::PdfNoUnicode
    } else {
        FileError::PdfNoText {
            pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
            scanned: pages.iter().any(|p| p.images > 0),
        }
    })
}

/// Reads the council items of a minutes PDF; a PDF that is not minutes is
/// not a submission (`not_used`).
pub fn read(path: &Path, name: &str, template: &Template) -> Result<FileResult, FileError> {
    let doc = load(path)?;
    if doc.get_pages().is_empty() {
        return Err(FileError::PdfBroken(Detail::NoPages));
    }
    let (pages, truncated) = read_pages(&doc);
    check_text(&pages)?;
    let paragraphs = layout::paragraphs(&pages);
    let head = (1..=TITLE_PAGES)
        .map(|n| format!("p{n}"))
        .collect::<Vec<_>>();
    let head_text = paragraphs
        .iter()
        .filter(|p| head.contains(&p.place))
        .filter(|p| crate::normalize::match_key(&p.text).chars().count() <= TITLE_LENGTH)
        .map(|p| p.text.as_str());
    if !minutes::is_minutes(name, head_text) {
        return Ok(FileResult {
            not_used: Some(
                "会議録ではありません（PDF ですが、ファイル名にも最初の 2 ページの題名や見出しにも「会議録」「議事録」「議事要旨」「審議会」がありません）。PDF は会議録だけを読み込みます。各課の回答は Excel か CSV で提出してもらってください。"
                    .into(),
            ),
            ..FileResult::default()
        });
    }
    let mut result = minutes::rows_from_paragraphs(&paragraphs, name, template)?;
    if truncated {
        result.note = Some(format!(
            "文字が多すぎるため、{} ページ目までを読みました",
            pages.len()
        ));
    }
    Ok(result)
}
