//! Files → raw rows with provenance (SPEC §2). Knows nothing about output.
//!
//! Each source kind has its own file (`workbook`, `csv`, `minutes`); all
//! spreadsheet-like sources go through [`table`], which finds the header row,
//! the layout, merges, fill-down and the department.

pub mod corrections;
pub mod csv;
pub mod docx;
pub mod error;
pub mod merges;
pub mod minutes;
pub mod ods;
pub mod parse;
pub mod pdf;
pub mod raw;
pub mod sniff;
pub mod table;
pub mod workbook;
pub mod worker;
pub mod xls;

use std::path::Path;

use crate::template::Template;
use crate::vocab::Location;
pub use error::FileError;
pub use parse::{Job, Parsed, parse_file, quiet_panics};
pub use raw::{
    CorrectionRow, Failed, FileResult, FillDown, KindSpec, Located, RawEntry, RawRow, Skipped,
    cell_ref, file_stem,
};
use sniff::Format;

/// What became of one input file.
#[derive(Debug, Clone, PartialEq)]
pub enum FileStatus {
    /// Read; the number of input rows and the department name(s).
    Read {
        /// The departments the file speaks for, as written.
        departments: Vec<String>,
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
    /// The secretariat's corrections (given with `--edits`, read as one,
    /// or a damaged file named like one), not a department's submission.
    pub corrections: bool,
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
    /// The secretariat's corrections (事務局修正), from every corrections
    /// file in the folder and `--edits`.
    pub corrections: Vec<CorrectionRow>,
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
        #[source]
        reason: std::io::Error,
    },
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

/// Reads every file directly in `dir` (SPEC §2), in file name order.
/// `progress(done, total)` is called as files are parsed.
pub fn ingest_dir(
    dir: &Path,
    template: &Template,
    isolation: &Isolation,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Ingested, IngestError> {
    ingest_with(dir, &[], template, isolation, progress)
}

/// [`ingest_dir`] plus corrections files given on their own (`--edits`),
/// read after the folder's files; such a file must be a corrections sheet.
pub fn ingest_with(
    dir: &Path,
    edits: &[std::path::PathBuf],
    template: &Template,
    isolation: &Isolation,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Ingested, IngestError> {
    // First the cheap decisions (lock files, other types), then the parsing,
    // spread over the cores, then the results in file name order.
    let (jobs, entries) = plan(list(dir, edits)?);
    let mut parsed = parse_all(&jobs, template, isolation, progress);
    for (job, result) in jobs.iter().zip(parsed.iter_mut()) {
        if job.promised == Format::Pdf
            && let Err(e) = result
        {
            *e = std::mem::replace(e, FileError::Empty).for_pdf();
        }
    }
    let word_minutes = word_minutes_read(&jobs, &parsed);
    let mut out = Ingested::default();
    for e in entries {
        let i = match e.job {
            Ok(i) => i,
            Err(ref reason) => {
                let reason = reason.clone();
                out.skip(&e, reason);
                continue;
            }
        };
        // A PDF beside Word minutes of the same name: the Word file is
        // read, the PDF (most likely made from it) is not (SPEC §8.3).
        if jobs[i].promised == Format::Pdf
            && let Some(word) = word_minutes.get(file_stem(&e.name))
        {
            let reason = format!(
                "同じ名前の Word の会議録を読みました（{word}）。この PDF は読み込みません。"
            );
            out.skip(&e, reason);
            continue;
        }
        let mut taken = std::mem::replace(&mut parsed[i], Err(FileError::Empty));
        // A file given as corrections must be one.
        let not_corrections = match &taken {
            Ok(p) => p.result.corrections.is_empty(),
            Err(e) => matches!(e, FileError::NoHeader | FileError::NoSheetToRead { .. }),
        };
        if e.edits && not_corrections {
            taken = Err(FileError::NotCorrections);
        }
        out.take(&e, jobs[i].promised, taken, template);
    }
    Ok(out)
}

/// A file of the folder (or given with `--edits`), named exactly as on
/// disk: names are facts (SPEC §7.1), never normalised.
struct Listed {
    name: String,
    path: std::path::PathBuf,
    /// A regular file (not a pipe or a device).
    regular: bool,
    /// Given with `--edits`.
    edits: bool,
}

/// The folder's files by name, then the `--edits` files.
fn list(dir: &Path, edits: &[std::path::PathBuf]) -> Result<Vec<Listed>, IngestError> {
    let folder_err = |e: std::io::Error| IngestError::Folder {
        dir: dir.display().to_string(),
        reason: e,
    };
    let mut names: Vec<Listed> = Vec::new();
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
        names.push(Listed {
            name: entry.file_name().to_string_lossy().into_owned(),
            path,
            regular: meta.is_file(),
            edits: false,
        });
    }
    names.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
    for path in edits {
        names.push(Listed {
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            path: path.clone(),
            regular: path.is_file(),
            edits: true,
        });
    }
    Ok(names)
}

/// A file as the run records it, and the parsing job it became (or why
/// it is not read).
struct Entry {
    name: String,
    size: u64,
    sha256: String,
    job: Result<usize, String>,
    edits: bool,
}

/// Decides which files are parsed, and as what.
fn plan(names: Vec<Listed>) -> (Vec<Job>, Vec<Entry>) {
    let mut jobs = Vec::new();
    let mut entries = Vec::new();
    for Listed {
        name,
        path,
        regular,
        edits,
    } in names
    {
        let (size, sha256) = if regular {
            digest_file(&path)
        } else {
            (0, String::new())
        };
        let job = promise(&name, regular).map(|promised| {
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
            edits,
        });
    }
    (jobs, entries)
}

/// The format a file's name promises, or why it is not read.
fn promise(name: &str, regular: bool) -> Result<Format, String> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e);
    if !regular {
        Err(
            "通常のファイルではありません（名前付きパイプやデバイスなど）。読み込みません。"
                .to_string(),
        )
    } else if name.starts_with("~$") {
        Err("Excel の作業中に作られる一時ファイル（ロックファイル）です。".to_string())
    } else if name.starts_with('.') {
        Err("隠しファイルです。".to_string())
    } else {
        ext.and_then(Format::from_extension).ok_or_else(|| {
            let kind = match ext {
                Some(e) if !e.is_empty() => format!(".{e}"),
                _ => "拡張子がありません".to_string(),
            };
            format!("提出ファイルの種類ではありません（{kind}）。Excel・CSV・会議録（.docx・.pdf）だけを読み込みます。")
        })
    }
}

impl Ingested {
    fn record(e: &Entry, status: FileStatus, corrections: bool) -> FileRecord {
        FileRecord {
            name: e.name.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            status,
            corrections,
        }
    }

    /// A file not read, with the reason.
    fn skip(&mut self, e: &Entry, reason: String) {
        self.skipped
            .push(Skipped::new(Location::file(&e.name), reason.clone()));
        self.files
            .push(Ingested::record(e, FileStatus::Skipped(reason), false));
    }

    /// What parsing a file gave: its rows and notes, a reason it is not
    /// used, or the reason it failed.
    fn take(
        &mut self,
        e: &Entry,
        promised: Format,
        taken: Result<Parsed, FileError>,
        template: &Template,
    ) {
        match taken {
            Ok(Parsed { result: r, .. }) if r.not_used.is_some() => {
                self.skip(e, r.not_used.unwrap_or_default());
            }
            Ok(Parsed { format, result: r }) => {
                let rows = r.rows_counted;
                if self.meeting_number.is_none() {
                    self.meeting_number = r.meeting_number;
                }
                self.rows.extend(r.rows);
                self.skipped.extend(r.skipped);
                self.skipped_rows += r.skipped_rows;
                self.fill_downs.extend(r.fill_downs);
                let corrections = !r.corrections.is_empty();
                let kind = if corrections {
                    crate::vocab::CORRECTIONS_SHEET
                } else {
                    format.unwrap_or(promised).label()
                };
                self.corrections.extend(r.corrections);
                let status = FileStatus::Read {
                    departments: r.departments,
                    rows,
                    kind,
                    note: r.note,
                };
                self.files.push(Ingested::record(e, status, corrections));
            }
            Err(reason) => {
                // A file that cannot be read speaks for the department in
                // its name, or is the secretariat's own: its corrections
                // files, and the council's minutes (the only files read
                // from Word and PDF), which no department is sent back.
                let corrections = e.edits || crate::vocab::is_corrections_file_name(&e.name);
                let minutes = matches!(promised, Format::Docx | Format::Pdf);
                let department = if corrections || minutes {
                    crate::vocab::SECRETARIAT.to_string()
                } else {
                    template.department_name(&crate::normalize::department_from_stem(file_stem(
                        &e.name,
                    )))
                };
                self.failed.push(Failed {
                    file: e.name.clone(),
                    department,
                    reason: reason.clone(),
                });
                self.files
                    .push(Ingested::record(e, FileStatus::Failed(reason), corrections));
            }
        }
    }
}

/// The Word files read as minutes, by file stem (the stem exactly as on
/// disk): a PDF of the same stem is then not read.
fn word_minutes_read(
    jobs: &[Job],
    parsed: &[Result<Parsed, FileError>],
) -> std::collections::HashMap<String, String> {
    jobs.iter()
        .zip(parsed)
        .filter(|(job, result)| {
            matches!(result, Ok(p) if p.format == Some(Format::Docx) && p.result.not_used.is_none())
                && job.promised == Format::Docx
        })
        .map(|(job, _)| (file_stem(&job.name).to_string(), job.name.clone()))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.into(),
            size: 0,
            sha256: String::new(),
            job: Ok(0),
            edits: false,
        }
    }

    #[test]
    fn a_name_without_an_extension_is_said_so() {
        let reason = |name| promise(name, true).unwrap_err();
        assert_eq!(
            reason("提出"),
            "提出ファイルの種類ではありません（拡張子がありません）。Excel・CSV・会議録（.docx・.pdf）だけを読み込みます。"
        );
        assert_eq!(
            reason("提出."),
            "提出ファイルの種類ではありません（拡張子がありません）。Excel・CSV・会議録（.docx・.pdf）だけを読み込みます。"
        );
        assert_eq!(
            reason("メモ.TXT"),
            "提出ファイルの種類ではありません（.txt）。Excel・CSV・会議録（.docx・.pdf）だけを読み込みます。"
        );
        assert!(promise("総務課.XLSX", true).is_ok());
    }

    #[test]
    fn broken_minutes_are_the_secretariats_and_a_broken_sheet_its_departments() {
        let t = Template::default();
        let mut out = Ingested::default();
        let broken = || Err(FileError::MinutesBroken(error::Detail::Damaged));
        out.take(
            &entry("第2回審議会_会議録.docx"),
            Format::Docx,
            broken(),
            &t,
        );
        out.take(&entry("第2回審議会_会議録.pdf"), Format::Pdf, broken(), &t);
        out.take(&entry("総務部総務課_提出.xlsx"), Format::Xlsx, broken(), &t);
        let departments: Vec<(&str, &str)> = out
            .failed
            .iter()
            .map(|f| (f.file.as_str(), f.department.as_str()))
            .collect();
        assert_eq!(
            departments,
            [
                ("第2回審議会_会議録.docx", crate::vocab::SECRETARIAT),
                ("第2回審議会_会議録.pdf", crate::vocab::SECRETARIAT),
                ("総務部総務課_提出.xlsx", "総務部総務課"),
            ]
        );
        // Not corrections files: the record says so.
        assert!(out.files.iter().all(|f| !f.corrections));
    }
}
