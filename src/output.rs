//! The output folder (SPEC §5, §7.6): created when missing, locked while a
//! run writes it (a second run into the same folder waits up to 10 s, then
//! gives up), and written all or nothing.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Name of the lock file in the output folder.
pub const LOCK_NAME: &str = ".shiryo.lock";
/// How long a run waits for another run writing the same folder.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Why the output folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder or a file in it cannot be created or replaced.
    #[error(
        "出力先「{path}」に書き込めません（{reason}）。フォルダの場所と権限、ファイルを開いたままにしていないかを確認してください。"
    )]
    Write {
        /// The file or folder.
        path: String,
        /// Why.
        #[source]
        reason: WriteReason,
    },
    /// Another run is writing the same folder.
    #[error(
        "出力先「{path}」には、ほかの shiryo が書き出している最中です（{secs} 秒待ちました）。終わってから、もう一度実行してください。"
    )]
    Busy {
        /// The folder.
        path: String,
        /// How long this run waited.
        secs: u64,
    },
}

/// Why a file or folder of the output cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteReason {
    /// The system refused (in Japanese where the kind is known).
    #[error("{}", japanese_reason(.0))]
    Io(#[source] std::io::Error),
    /// The output folder's name is taken by a file or a device.
    #[error("フォルダではありません（同じ名前のファイルやデバイスがあります）")]
    NotAFolder,
    /// A folder stands where an output file goes.
    #[error("同じ名前のフォルダがあります")]
    FolderInTheWay,
}

/// A file the user named that the system would not let us read, in words a
/// clerk can act on; the system's error is its source.
#[derive(Debug, thiserror::Error)]
#[error("{}", japanese_read_reason(.0))]
pub struct ReadFailure(#[source] pub std::io::Error);

/// A system error in words a clerk can act on, with the system's own text.
pub fn japanese_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "途中のフォルダがありません",
        K::PermissionDenied => "書き込む権限がないか、ほかのプログラムが開いています",
        K::AlreadyExists => "同じ名前のファイルがあります",
        K::IsADirectory => "同じ名前のフォルダがあります",
        K::NotADirectory => "途中にフォルダではないものがあります",
        K::StorageFull => "ディスクがいっぱいです",
        K::ReadOnlyFilesystem => "読み取り専用の場所です",
        _ => return e.to_string(),
    };
    format!("{what}: {e}")
}

/// A system error met while reading a file the user named, in words a
/// clerk can act on, with the system's own text.
pub fn japanese_read_reason(e: &std::io::Error) -> String {
    crate::ingest::error::IoFailure::of(e).to_string()
}

fn write_error(path: &Path, e: std::io::Error) -> OutputError {
    OutputError::Write {
        path: path.display().to_string(),
        reason: WriteReason::Io(e),
    }
}

/// An output folder this run holds; the lock is released when it is dropped.
pub struct OutputDir {
    path: PathBuf,
    _lock: File,
}

impl OutputDir {
    /// Creates the folder when its parent exists, then takes its lock,
    /// waiting up to [`LOCK_WAIT`] for another run to finish.
    pub fn open(path: &Path) -> Result<OutputDir, OutputError> {
        if path.exists() && !path.is_dir() {
            return Err(OutputError::Write {
                path: path.display().to_string(),
                reason: WriteReason::NotAFolder,
            });
        }
        if !path.is_dir() {
            match std::fs::create_dir(path) {
                // Another run made it a moment ago: the lock decides.
                Err(e) if !(e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir()) => {
                    return Err(write_error(path, e));
                }
                _ => {}
            }
        }
        let lock_path = path.join(LOCK_NAME);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| write_error(&lock_path, e))?;
        hide(&lock_path);
        let start = Instant::now();
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Busy {
                        path: path.display().to_string(),
                        secs: LOCK_WAIT.as_secs(),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(write_error(&lock_path, e)),
            }
        }
        Ok(OutputDir {
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one output (its name may have one folder,
    /// `差し戻し/総務課.xlsx`) into a temporary file beside its target and
    /// notes its size and SHA-256; [`OutputDir::commit`] puts it in place
    /// with the others. Outputs are staged as soon as each is made, so a run
    /// does not hold them all in memory.
    pub fn stage(&self, name: &str, bytes: &[u8]) -> Result<Staged, OutputError> {
        self.stage_with(name, |w| w.write_all(bytes))
    }

    /// [`OutputDir::stage`] for an output written straight into the file.
    pub fn stage_with(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Staged, OutputError> {
        let path = self.path.join(name);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
        let file = temp_beside(&path).map_err(|e| write_error(&path, e))?;
        let mut w = std::io::BufWriter::with_capacity(
            1 << 16,
            Hashing {
                inner: file,
                hash: sha2::Sha256::default(),
                size: 0,
            },
        );
        write(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| write_error(&path, e))?;
        let Hashing {
            inner: tmp,
            hash,
            size,
        } = w
            .into_inner()
            .map_err(|e| write_error(&path, e.into_error()))?;
        finish_temp(&tmp).map_err(|e| write_error(&path, e))?;
        Ok(Staged {
            name: name.to_string(),
            tmp,
            size,
            sha256: crate::digest::hex(&sha2::Digest::finalize(hash)),
        })
    }

    /// Puts the staged outputs in place, all or none: nothing is replaced
    /// while one of the targets is a folder or open in another program.
    /// Files of the folder `sub` that the previous run's record lists and
    /// this run does not write are removed, so that an old return sheet
    /// does not outlive its problem.
    pub fn commit(
        &self,
        staged: Vec<Staged>,
        previous: &[String],
        sub: &str,
    ) -> Result<Vec<PathBuf>, OutputError> {
        let paths: Vec<PathBuf> = staged.iter().map(|s| self.path.join(&s.name)).collect();
        for path in &paths {
            check_replaceable(path)?;
        }
        for (s, path) in staged.into_iter().zip(&paths) {
            persist(s.tmp, path).map_err(|e| write_error(path, e))?;
        }
        // Names compare without letter case: on Windows `ICT推進課.xlsx` and
        // `Ict推進課.xlsx` are one file, and the new sheet must stay.
        let same = |a: &Path, b: &Path| {
            a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
        };
        for old in previous {
            let path = self.path.join(old);
            let ours = old.starts_with(&format!("{sub}/"));
            if ours && !paths.iter().any(|p| same(p, &path)) && path.is_file() {
                std::fs::remove_file(&path).map_err(|e| write_error(&path, e))?;
            }
        }
        Ok(paths)
    }

    /// The output files the previous run recorded in the folder's
    /// manifest.json (none when there is none).
    pub fn previous_outputs(&self, manifest: &str) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(self.path.join(manifest)) else {
            return Vec::new();
        };
        #[derive(serde::Deserialize)]
        struct Record {
            outputs: Vec<Output>,
        }
        #[derive(serde::Deserialize)]
        struct Output {
            file: String,
        }
        serde_json::from_str::<Record>(&text)
            .map(|r| r.outputs.into_iter().map(|o| o.file).collect())
            .unwrap_or_default()
    }
}

/// The path of `to` as seen from `from`, with `/` between folders
/// (`../提出`), so that a link from a file in `from` still works when both
/// folders move together; `None` when there is no relative way (another
/// drive) or a folder does not exist.
pub fn relative_path(from: &Path, to: &Path) -> Option<String> {
    use std::path::Component;
    let from = std::fs::canonicalize(from).ok()?;
    let to = std::fs::canonicalize(to).ok()?;
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Nothing shared (another drive on Windows): no relative path.
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = a[common..].iter().map(|_| "..".to_string()).collect();
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// The lock file is the program's business, not the clerk's.
#[cfg(windows)]
fn hide(path: &Path) {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::{FILE_ATTRIBUTE_HIDDEN, SetFileAttributesW};
    let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
    // SAFETY: a NUL-terminated path we own.
    unsafe {
        SetFileAttributesW(wide.as_ptr(), FILE_ATTRIBUTE_HIDDEN);
    }
}

#[cfg(not(windows))]
fn hide(_path: &Path) {}

/// Writes all outputs or none: every target is checked first (a folder in
/// its place, or a file another program holds open, stops the run before
/// anything changes), then each is written to a temporary file in its folder
/// and only then renamed over the old one. Temporary files never stay
/// behind. The error names the file that failed.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<(), OutputError> {
    for (path, _) in files {
        check_replaceable(path)?;
    }
    for (path, _) in files {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
    }
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        staged.push((path, stage(path, bytes).map_err(|e| write_error(path, e))?));
    }
    for (path, tmp) in staged {
        persist(tmp, path).map_err(|e| write_error(path, e))?;
    }
    Ok(())
}

/// An error unless `path` can be replaced: a folder of that name, or a file
/// another program (Excel, a PDF viewer on Windows) holds open, cannot.
fn check_replaceable(path: &Path) -> Result<(), OutputError> {
    if path.is_dir() {
        return Err(OutputError::Write {
            path: path.display().to_string(),
            reason: WriteReason::FolderInTheWay,
        });
    }
    if path.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| write_error(path, e))?;
    }
    Ok(())
}

/// An output in a temporary file beside its target, with its size and
/// SHA-256 (for the run record).
#[derive(Debug)]
pub struct Staged {
    /// The name in the output folder.
    pub name: String,
    tmp: tempfile::NamedTempFile,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hash: sha2::Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        sha2::Digest::update(&mut self.hash, &buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Renames a staged file over its target. On Windows an antivirus scanner
/// or the search indexer opens new files for a moment: a sharing violation
/// (error 32) or access denied (5) is retried for about two seconds.
fn persist(mut tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match tmp.persist(path) {
            Ok(_) => return Ok(()),
            Err(e) if tries < 20 && is_sharing_violation(&e.error) => {
                tmp = e.file;
                tries += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(e.error),
        }
    }
}

#[cfg(windows)]
fn is_sharing_violation(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(32 | 5))
}

#[cfg(not(windows))]
fn is_sharing_violation(_e: &std::io::Error) -> bool {
    false
}

fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)?;
    finish_temp(&tmp)?;
    Ok(tmp)
}

/// A new temporary file in the folder of `path`.
fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    tempfile::Builder::new()
        .prefix(".shiryo-")
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Flushes a written temporary file to disk, readable by everyone who may
/// read the folder.
fn finish_temp(tmp: &tempfile::NamedTempFile) -> std::io::Result<()> {
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; a handout is an ordinary shared document.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}
