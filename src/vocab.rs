//! The project's shared words, at the bottom of the module tree: every
//! stage may use them, they use nothing of the crate.

/// How a run ended, as the process exit code (SPEC §5). Ordered by
/// severity, so the worst of several runs is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: everything was read and used.
    Clean,
    /// 1: some input was rejected or failed, or an output has a problem;
    /// the outputs are written (unless `--strict`).
    Problems,
    /// 2: usage error or nothing could be written.
    Fatal,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Problems => 1,
            ExitStatus::Fatal => 2,
        }
    }

    /// Clean unless `problems`.
    pub fn problems_if(problems: bool) -> ExitStatus {
        if problems {
            ExitStatus::Problems
        } else {
            ExitStatus::Clean
        }
    }
}
