//! A progress bar on stderr for runs longer than a moment: shown only when
//! stderr is a terminal, and only once reading takes more than half a second.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How long a run may take before a bar appears.
const DELAY: Duration = Duration::from_millis(500);

/// A lazily shown progress bar.
pub(crate) struct Progress {
    enabled: bool,
    start: Instant,
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress {
    /// A bar that may appear later; never when `enabled` is false or stderr
    /// is not a terminal.
    pub(crate) fn new(enabled: bool) -> Progress {
        Progress {
            enabled: enabled && std::io::stderr().is_terminal(),
            start: Instant::now(),
            bar: Mutex::new(None),
        }
    }

    /// Reports `done` of `total` files read.
    pub(crate) fn files(&self, done: usize, total: usize) {
        if !self.enabled || self.start.elapsed() < DELAY {
            return;
        }
        let Ok(mut bar) = self.bar.lock() else { return };
        let bar = bar.get_or_insert_with(|| {
            let b = ProgressBar::new(total as u64);
            if let Ok(style) =
                ProgressStyle::with_template("読み込み中 {bar:30} {pos}/{len} ファイル")
            {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done as u64);
    }

    /// Removes the bar before the report is printed.
    pub(crate) fn finish(&self) {
        if let Some(bar) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            bar.finish_and_clear();
        }
    }
}
