//! Parsing untrusted files in a worker child process (the same binary,
//! hidden subcommand `__worker`), so that neither a panic nor an abort nor
//! memory exhaustion inside a parser can take the month's batch down.
//!
//! One worker parses the files one after another (no process per file); the
//! parent sends a [`Job`] per line and reads one JSON answer per line. If the
//! worker dies or hangs, that file fails with a plain reason and a fresh
//! worker takes the rest.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::FileError;
use super::parse::{Job, Parsed, parse_file, quiet_panics};
use crate::template::Template;
use crate::vocab::ExitStatus;

pub mod limits;

pub use limits::{CPU_LIMIT_SECS, CappedAlloc, MEMORY_LIMIT};

/// Wall-clock time one file may take.
pub const FILE_TIMEOUT: Duration = Duration::from_secs(20);

/// The worker's answer to one job.
#[derive(Serialize, Deserialize)]
struct Answer {
    result: Result<Parsed, FileError>,
    /// The most bytes the worker has held at once so far.
    peak_bytes: usize,
}

static PEAK_SEEN: AtomicUsize = AtomicUsize::new(0);

/// The most memory any worker of this process reported holding at once
/// (allocations, in bytes): shown with `SHIRYO_TIMING`, and how the tests
/// check the cap on Windows, where a grandchild's peak memory cannot be
/// read from outside.
pub fn peak_seen() -> usize {
    PEAK_SEEN.load(Ordering::Relaxed)
}

/// How to start a worker: the program and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerCommand {
    /// The shiryo binary.
    pub exe: PathBuf,
    /// Arguments (`__worker`, and `--template FILE` when one was given).
    pub args: Vec<String>,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    /// Holds the worker's OS limits; closing it kills the worker.
    #[cfg(windows)]
    _job: Option<limits::Job>,
}

/// A worker started on demand and restarted after a crash.
pub struct WorkerPool {
    cmd: WorkerCommand,
    running: Option<Running>,
}

impl WorkerPool {
    /// A pool that starts its worker with the first file.
    pub fn new(cmd: WorkerCommand) -> WorkerPool {
        WorkerPool { cmd, running: None }
    }

    fn spawn(&self) -> std::io::Result<Running> {
        let mut child = Command::new(&self.cmd.exe)
            .args(&self.cmd.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        // The worker waits for its first job on stdin, so it is in its
        // job before it reads anything.
        #[cfg(windows)]
        let job = limits::Job::contain(&child);
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Running {
            child,
            stdin,
            lines,
            #[cfg(windows)]
            _job: job,
        })
    }

    /// Parses one file in the worker; falls back to this process only when
    /// no worker can be started at all.
    pub fn parse(&mut self, job: &Job, template: &Template) -> Result<Parsed, FileError> {
        if self.running.is_none() {
            match self.spawn() {
                Ok(r) => self.running = Some(r),
                Err(_) => return parse_file(job, template),
            }
        }
        let running = self.running.as_mut().expect("started above");
        let request = serde_json::to_string(job).expect("a job always serialises");
        let sent = writeln!(running.stdin, "{request}").and_then(|_| running.stdin.flush());
        let answer = match sent {
            Ok(()) => running.lines.recv_timeout(FILE_TIMEOUT),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match answer {
            Ok(line) => match serde_json::from_str::<Answer>(&line) {
                Ok(a) => {
                    PEAK_SEEN.fetch_max(a.peak_bytes, Ordering::Relaxed);
                    a.result
                }
                Err(e) => Err(FileError::Internal {
                    location: format!("作業プロセスの答えを読めません: {e}"),
                }),
            },
            Err(RecvTimeoutError::Timeout) => {
                let mut r = self.running.take().expect("running");
                let _ = r.child.kill();
                let _ = r.child.wait();
                Err(FileError::Timeout(FILE_TIMEOUT.as_secs()))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let mut r = self.running.take().expect("running");
                let status = r.child.wait().ok();
                Err(FileError::WorkerDied(limits::describe(status)))
            }
        }
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        if let Some(mut r) = self.running.take() {
            drop(r.stdin);
            let _ = r.child.wait();
        }
    }
}

/// Test hook for the memory cap, the same on every OS: with
/// `SHIRYO_TEST_WORKER_ALLOCATE=NAME:MIB` the worker holds MIB mebibytes
/// (written, so resident) while it reads the file named NAME, as a file
/// that needs too much memory would.
pub const TEST_ALLOCATE: &str = "SHIRYO_TEST_WORKER_ALLOCATE";

fn allocate_for_test(spec: &str, file: &str) {
    let Some((name, mib)) = spec.rsplit_once(':') else {
        return;
    };
    let Ok(mib) = mib.parse::<usize>() else {
        return;
    };
    if name == file {
        let mut blocks = Vec::new();
        for _ in 0..mib {
            blocks.push(vec![1u8; 1024 * 1024]);
        }
        std::hint::black_box(&blocks);
    }
}

/// The worker's main loop: one [`Job`] per input line, one answer per
/// output line. Returns how the worker ends.
pub fn serve(template: Option<&std::path::Path>) -> ExitStatus {
    limits::limit_this_worker();
    // A panic is answered as a failed file with its place; stderr is not read.
    quiet_panics();
    let test_allocation = std::env::var(TEST_ALLOCATE).ok();
    let Ok(template) = Template::load(template) else {
        return ExitStatus::Fatal;
    };
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lines() {
        let Ok(line) = line else { break };
        let result = match serde_json::from_str::<Job>(&line) {
            Ok(job) => {
                if let Some(spec) = &test_allocation {
                    allocate_for_test(spec, &job.name);
                }
                parse_file(&job, &template)
            }
            Err(e) => Err(FileError::Internal {
                location: format!("作業プロセスへの依頼を読めません: {e}"),
            }),
        };
        let answer = Answer {
            result,
            peak_bytes: limits::peak_allocated(),
        };
        let Ok(text) = serde_json::to_string(&answer) else {
            return ExitStatus::Fatal;
        };
        if writeln!(stdout, "{text}")
            .and_then(|_| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    ExitStatus::Clean
}
