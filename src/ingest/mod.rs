//! Files → raw rows with provenance (SPEC §2). Knows nothing about output.
//!
//! Each source kind has its own file (`workbook`, `csv`, `minutes`); all
//! spreadsheet-like sources go through [`table`], which finds the header row,
//! the layout, merges, fill-down and the department.

pub mod csv;
pub mod error;
pub mod minutes;
pub mod ods;
pub mod sniff;
pub mod table;
pub mod workbook;
pub mod worker;
pub mod xls;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::template::{ColumnKey, Template};
pub use error::FileError;
use sniff::Format;

/// A cell value with the reference of the cell it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Located {
    /// The raw text (possibly empty).
    pub value: String,
    /// Cell reference such as `B7`, or `¶12` for a minutes paragraph.
    pub cell: String,
}

/// Which 区分 an entry belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum KindSpec {
    /// A 区分 cell of the long layout, still to be resolved.
    Cell(Located),
    /// A column of the wide layout or the minutes: already known.
    Fixed(ColumnKey),
}

/// One statement cell of a row: its 区分, its text and the examples cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawEntry {
    /// The 区分.
    pub kind: KindSpec,
    /// The 内容 cell (may hold several items).
    pub content: Located,
    /// The 他自治体の事例 cell of the row, if any.
    pub examples: Option<Located>,
}

/// One input row of a data sheet (or one paragraph of the minutes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRow {
    /// File name (no directory).
    pub file: String,
    /// Sheet name; `None` for the minutes.
    pub sheet: Option<String>,
    /// Position of the sheet in its workbook, for ordering.
    pub sheet_index: usize,
    /// 1-based row number (paragraph number for the minutes).
    pub row: u32,
    /// Department the row is attributed to.
    pub department: String,
    /// The 分野 cell (value may be empty, reference always set).
    pub field: Located,
    /// The statements of the row (one in the long layout).
    pub entries: Vec<RawEntry>,
}

/// An input that was deliberately not used, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// File name.
    pub file: String,
    /// Sheet, for a skipped sheet or row.
    pub sheet: Option<String>,
    /// Cell, for a skipped row.
    pub cell: Option<String>,
    /// Why, in Japanese.
    pub reason: String,
}

/// A file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failed {
    /// File name.
    pub file: String,
    /// Why, with what to do (shown in Japanese).
    pub reason: FileError,
}

/// A blank or merged 分野/区分 cell that took the value of the row above.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FillDown {
    /// File name.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// The blank cell.
    pub cell: String,
    /// The value it received.
    pub value: String,
    /// True when the cell is part of a merged range (not a blank).
    pub merged: bool,
}

/// What became of one input file.
#[derive(Debug, Clone, PartialEq)]
pub enum FileStatus {
    /// Read; the number of input rows and the department name(s).
    Read {
        /// Input rows the reader counted in the file (its own tally,
        /// reconciled against what became of them).
        rows: usize,
        /// Human-readable kind (Excel, CSV, 会議録).
        kind: &'static str,
        /// A note about how it was read (encoding, no merges...).
        note: Option<String>,
    },
    /// Not a submission.
    Skipped(String),
    /// Could not be read.
    Failed(FileError),
}

/// One file of the input folder and its fate.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRecord {
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// What happened to it.
    pub status: FileStatus,
}

/// Everything read from an input folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ingested {
    /// Every file in name order.
    pub files: Vec<FileRecord>,
    /// Data rows in file, sheet, row order.
    pub rows: Vec<RawRow>,
    /// Skipped files, sheets and rows.
    pub skipped: Vec<Skipped>,
    /// Number of skipped entries that are input rows (example rows...).
    pub skipped_rows: usize,
    /// Files that could not be read.
    pub failed: Vec<Failed>,
    /// Fill-downs, for the report.
    pub fill_downs: Vec<FillDown>,
    /// Meeting number N from the minutes, if any.
    pub meeting_number: Option<u32>,
}

/// A folder that cannot be read at all: nothing can be built.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input folder is missing or unreadable.
    #[error("入力フォルダ「{dir}」を開けません（{reason}）。フォルダの場所を確認してください。")]
    Folder {
        /// The folder.
        dir: String,
        /// The system's reason.
        reason: String,
    },
}

/// What one reader returns for one file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FileResult {
    /// Data rows.
    pub rows: Vec<RawRow>,
    /// Skipped sheets and rows of this file.
    pub skipped: Vec<Skipped>,
    /// Number of skipped input rows.
    pub skipped_rows: usize,
    /// Input rows the reader met, counted where it meets them, apart from
    /// what it then does with them (SPEC §7.4).
    pub rows_counted: usize,
    /// Fill-downs.
    pub fill_downs: Vec<FillDown>,
    /// Meeting number (minutes only).
    pub meeting_number: Option<u32>,
    /// A note for the report.
    pub note: Option<String>,
    /// Set when the file turned out not to be a submission at all (a Word
    /// file that is not minutes): the reason it is skipped.
    pub not_used: Option<String>,
}

impl FileResult {
    /// Adds the rows of one more sheet of the same file.
    pub fn absorb(&mut self, other: FileResult) {
        self.rows.extend(other.rows);
        self.skipped.extend(other.skipped);
        self.skipped_rows += other.skipped_rows;
        self.rows_counted += other.rows_counted;
        self.fill_downs.extend(other.fill_downs);
    }
}

/// How untrusted files are parsed.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In this process (tests, library use): a panic is caught, an abort is not.
    InProcess,
    /// In a worker child process with memory and CPU limits; a crash fails
    /// only the file being parsed.
    Worker(worker::WorkerCommand),
}

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

/// Reads every file directly in `dir` (SPEC §2), in file name order.
/// `progress(done, total)` is called as files are parsed.
pub fn ingest_dir(
    dir: &Path,
    template: &Template,
    isolation: &Isolation,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Ingested, IngestError> {
    let folder_err = |e: std::io::Error| IngestError::Folder {
        dir: dir.display().to_string(),
        reason: e.to_string(),
    };
    // Names are facts (SPEC §7.1): exactly as on disk, never normalised.
    let mut names: Vec<(String, std::path::PathBuf, bool)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(folder_err)? {
        let entry = entry.map_err(folder_err)?;
        let path = entry.path();
        // Following a link: what matters is what it points to. Only regular
        // files are opened; a named pipe would block the run forever.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        names.push((name, path, meta.is_file()));
    }
    names.sort();

    // First the cheap decisions (lock files, other types), then the parsing,
    // spread over the cores, then the results in file name order.
    struct Entry {
        name: String,
        size: u64,
        sha256: String,
        job: Result<usize, String>,
    }
    let mut jobs = Vec::new();
    let mut entries = Vec::new();
    for (name, path, regular) in names {
        let (size, sha256) = if regular {
            digest_file(&path)
        } else {
            (0, String::new())
        };
        let lower = name.to_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let promised = if !regular {
            Err(
                "通常のファイルではありません（名前付きパイプやデバイスなど）。読み込みません。"
                    .to_string(),
            )
        } else if name.starts_with("~$") {
            Err("Excel の作業中に作られる一時ファイル（ロックファイル）です。".to_string())
        } else if name.starts_with('.') {
            Err("隠しファイルです。".to_string())
        } else {
            Format::from_extension(ext).ok_or_else(|| {
                format!("提出ファイルの種類ではありません（.{ext}）。Excel・CSV・会議録（.docx）だけを読み込みます。")
            })
        };
        let job = promised.map(|promised| {
            jobs.push(Job {
                path,
                name: name.clone(),
                promised,
            });
            jobs.len() - 1
        });
        entries.push(Entry {
            name,
            size,
            sha256,
            job,
        });
    }
    let mut parsed = parse_all(&jobs, template, isolation, progress);

    let mut out = Ingested::default();
    for e in entries {
        let record = |status| FileRecord {
            name: e.name.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            status,
        };
        let i = match e.job {
            Ok(i) => i,
            Err(reason) => {
                out.skipped.push(Skipped {
                    file: e.name.clone(),
                    sheet: None,
                    cell: None,
                    reason: reason.clone(),
                });
                out.files.push(record(FileStatus::Skipped(reason)));
                continue;
            }
        };
        let promised = jobs[i].promised;
        let taken = std::mem::replace(&mut parsed[i], Err(FileError::Empty));
        match taken {
            Ok(Parsed { result: r, .. }) if r.not_used.is_some() => {
                let reason = r.not_used.unwrap_or_default();
                out.skipped.push(Skipped {
                    file: e.name.clone(),
                    sheet: None,
                    cell: None,
                    reason: reason.clone(),
                });
                out.files.push(record(FileStatus::Skipped(reason)));
            }
            Ok(Parsed { format, result: r }) => {
                let rows = r.rows_counted;
                if out.meeting_number.is_none() {
                    out.meeting_number = r.meeting_number;
                }
                out.rows.extend(r.rows);
                out.skipped.extend(r.skipped);
                out.skipped_rows += r.skipped_rows;
                out.fill_downs.extend(r.fill_downs);
                out.files.push(record(FileStatus::Read {
                    rows,
                    kind: format.unwrap_or(promised).label(),
                    note: r.note,
                }));
            }
            Err(reason) => {
                out.failed.push(Failed {
                    file: e.name.clone(),
                    reason: reason.clone(),
                });
                out.files.push(record(FileStatus::Failed(reason)));
            }
        }
    }
    Ok(out)
}

/// Parses the jobs on up to four threads, each with its own worker
/// process (or in-process); results come back in job order.
fn parse_all(
    jobs: &[Job],
    template: &Template,
    isolation: &Isolation,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Result<Parsed, FileError>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Parsed, FileError>>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut pool = match isolation {
                    Isolation::Worker(cmd) => Some(worker::WorkerPool::new(cmd.clone())),
                    Isolation::InProcess => None,
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let r = match pool.as_mut() {
                        Some(pool) => pool.parse(job, template),
                        None => parse_file(job, template),
                    };
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                    progress(done.fetch_add(1, Ordering::SeqCst) + 1, jobs.len());
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(FileError::Internal {
                    location: "読み取りの順番待ち（結果がありません）".into(),
                })
            })
        })
        .collect()
}

/// Size and SHA-256 of a file for the run record (empty hash if unreadable).
fn digest_file(path: &Path) -> (u64, String) {
    use sha2::Digest;
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else {
        return (0, String::new());
    };
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                size += n as u64;
            }
            Err(_) => return (size, String::new()),
        }
    }
    (size, crate::digest::hex(&hasher.finalize()))
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
        Format::Docx => minutes::read(path, name, template),
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
    &here[..here.len() - "ingest/mod.rs".len()]
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

/// `B7`-style reference from 0-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut col = col + 1;
    let mut letters = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        col = (col - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The file name without its extension.
pub fn file_stem(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
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

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 1), "B7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1048575, 16383), "XFD1048576");
    }
}
