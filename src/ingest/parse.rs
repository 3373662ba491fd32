//! One file, sniffed and read by the reader of its real format, with a
//! panic turned into a failed file that says whose bug it was (SPEC §7.4).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::FileError;
use super::raw::FileResult;
use super::sniff::{self, Format};
use super::{csv, docx, pdf, workbook};
use crate::template::Template;

/// A file to parse: its name and the format its extension promises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Full path.
    pub path: std::path::PathBuf,
    /// File name shown to the user.
    pub name: String,
    /// Format from the extension.
    pub promised: Format,
}

/// A parsed file: its real format and its rows.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Parsed {
    /// The format found in the content.
    pub format: Option<Format>,
    /// Rows, skipped rows, fill-downs.
    pub result: FileResult,
}

/// Sniffs and reads one file (SPEC §2; content decides the format).
pub fn parse_file(job: &Job, template: &Template) -> Result<Parsed, FileError> {
    guarded(|| {
        let format = sniff::sniff(&job.path, job.promised)?;
        let mut result = read_as(format, &job.path, &job.name, template)?;
        if format != job.promised {
            let ext = job.name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
            let note = format!(
                "拡張子は .{ext} ですが中身は{}でした。中身のとおりに読み込みました",
                format.label()
            );
            result.note = Some(match result.note.take() {
                Some(n) => format!("{note}。{n}"),
                None => note,
            });
        }
        Ok(Parsed {
            format: Some(format),
            result,
        })
    })
}

/// Reads one file with the reader of its real format.
pub fn read_as(
    format: Format,
    path: &Path,
    name: &str,
    template: &Template,
) -> Result<FileResult, FileError> {
    match format {
        Format::Csv => csv::read(path, name, template),
        Format::Docx => docx::read(path, name, template),
        Format::Pdf => pdf::read(path, name, template),
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods => {
            workbook::read(path, name, format, template)
        }
    }
}

thread_local! {
    /// Where the last panic on this thread happened (`file:line`).
    static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

static QUIET_PANICS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Keeps panics out of stderr (the worker: its answer carries the place).
pub fn quiet_panics() {
    QUIET_PANICS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Records where every panic happens, before the previous hook (which
/// prints it, unless [`quiet_panics`]) runs.
fn record_panic_locations() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            PANIC_AT.with(|p| *p.borrow_mut() = at);
            if !QUIET_PANICS.load(std::sync::atomic::Ordering::Relaxed) {
                previous(info);
            }
        }));
    });
}

/// The start of this crate's source paths as the compiler wrote them
/// (`src/` in a build of this package, an absolute path when it is built as
/// a dependency, as by the fuzz target).
fn own_source_root() -> &'static str {
    let here = file!();
    &here[..here.len() - "ingest/parse.rs".len()]
}

/// Runs a reader so that a panic becomes a failed file (SPEC §7.4): in
/// shiryo's own code an internal error with its place, in a parser crate a
/// damaged file.
fn guarded<T>(f: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    record_panic_locations();
    PANIC_AT.with(|p| p.borrow_mut().take());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        let at = PANIC_AT.with(|p| p.borrow_mut().take());
        Err(match at {
            Some(location) if location.starts_with(own_source_root()) => {
                FileError::Internal { location }
            }
            _ => FileError::ParserPanic,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_our_code_is_an_internal_error_with_its_place() {
        let ours = guarded::<()>(|| panic!("a bug"));
        match ours {
            Err(FileError::Internal { location }) => {
                assert!(location.contains("ingest"), "{location}");
                assert!(location.contains(".rs:"), "{location}");
            }
            other => panic!("{other:?}"),
        }
        // A panic whose place is not in our sources (a parser crate's) is a
        // damaged file.
        let theirs = guarded::<()>(|| std::panic::resume_unwind(Box::new("elsewhere")));
        assert_eq!(theirs, Err(FileError::ParserPanic));
    }
}
