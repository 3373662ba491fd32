//! The worker's limits, the same on every OS: a cap on the bytes it may
//! allocate (a counting global allocator, so the limit and its failure are
//! identical on Linux and Windows, Wine included), plus the operating
//! system's own fence — `setrlimit` on Unix, a Job Object on Windows — and
//! the reasons a dead worker's exit status is given in the report.

use std::alloc::{GlobalAlloc, Layout, System};

use crate::ingest::error::WorkerDeath;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

/// Bytes a worker may hold in allocations; passing it aborts the worker
/// (reported as メモリの上限). Below the OS limit so that it is the one
/// that trips, the same way everywhere.
pub const ALLOC_LIMIT: usize = 384 * 1024 * 1024;
/// Memory the OS lets a worker use at all (address space on Unix, committed
/// memory of the Job Object on Windows).
pub const MEMORY_LIMIT: u64 = 448 * 1024 * 1024;
/// CPU seconds a worker may use in all.
pub const CPU_LIMIT_SECS: u64 = 300;

static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
static IN_USE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The system allocator with an optional cap, set by [`cap_allocations`].
/// Until then it only forwards (no counting, no cost for the main process).
pub struct CappedAlloc;

impl CappedAlloc {
    /// Counts `size` more bytes; false when that passes the cap.
    fn reserve(size: usize) -> bool {
        let limit = LIMIT.load(Ordering::Relaxed);
        if limit == usize::MAX {
            return true;
        }
        let size = isize::try_from(size).unwrap_or(isize::MAX);
        let now = IN_USE
            .fetch_add(size, Ordering::Relaxed)
            .saturating_add(size);
        if now > isize::try_from(limit).unwrap_or(isize::MAX) {
            IN_USE.fetch_sub(size, Ordering::Relaxed);
            return false;
        }
        PEAK.fetch_max(now, Ordering::Relaxed);
        true
    }

    fn release(size: usize) {
        if LIMIT.load(Ordering::Relaxed) != usize::MAX {
            IN_USE.fetch_sub(
                isize::try_from(size).unwrap_or(isize::MAX),
                Ordering::Relaxed,
            );
        }
    }
}

// SAFETY: every call is forwarded to `System` with the caller's layout; the
// counting only decides whether to forward an allocation at all.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            Self::release(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            Self::release(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) };
        Self::release(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation that cannot grow in place copies: for a moment the
        // old and the new block both exist, so the new size is counted in
        // full until the old block is gone.
        if !Self::reserve(new_size) {
            return std::ptr::null_mut();
        }
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        Self::release(if p.is_null() { new_size } else { layout.size() });
        p
    }
}

/// Turns the cap of [`CappedAlloc`] on (the worker, at its start). Only
/// has an effect in a binary that uses `CappedAlloc` as its global allocator.
pub fn cap_allocations(limit: usize) {
    IN_USE.store(0, Ordering::Relaxed);
    LIMIT.store(limit, Ordering::Relaxed);
}

/// Bytes held now, when counting is on (a cap, or [`count_allocations`]).
pub fn allocated_now() -> usize {
    usize::try_from(IN_USE.load(Ordering::Relaxed)).unwrap_or(0)
}

/// The most bytes held at once since the last call (or since counting
/// began), restarting from what is held now: a stage's own peak.
pub fn take_peak() -> usize {
    let peak = PEAK.swap(IN_USE.load(Ordering::Relaxed), Ordering::Relaxed);
    usize::try_from(peak).unwrap_or(0)
}

/// Makes glibc's allocator map every block of 128 KiB or more on its own
/// and give it back to the system when it is freed. By default glibc
/// raises that threshold as large blocks come and go, after which the
/// big, short-lived buffers of a large month (workbook parts, page
/// streams, the PDF being saved) stay in the process as free heap: 620
/// instead of 550 MB at the peak of the 1,000×80 month, at the same
/// speed. Windows' heap already returns blocks of that size; elsewhere
/// this does nothing.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter of the allocator; it is
    // called at the start of main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Counts allocations without a cap (the main process with
/// `SHIRYO_TIMING`, to show each stage's heap).
pub fn count_allocations() {
    cap_allocations(usize::MAX - 1);
}

/// The most bytes held at once since the cap was turned on.
pub fn peak_allocated() -> usize {
    usize::try_from(PEAK.load(Ordering::Relaxed)).unwrap_or(0)
}

/// Limits the worker process itself: the allocation cap, the OS limits
/// (Unix) and no error dialog boxes (Windows).
pub fn limit_this_worker() {
    cap_allocations(ALLOC_LIMIT);
    #[cfg(unix)]
    {
        let _ = rlimit::setrlimit(rlimit::Resource::AS, MEMORY_LIMIT, MEMORY_LIMIT);
        let _ = rlimit::setrlimit(rlimit::Resource::CPU, CPU_LIMIT_SECS, CPU_LIMIT_SECS);
    }
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Diagnostics::Debug::{
            SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX, SEM_NOOPENFILEERRORBOX, SetErrorMode,
        };
        // SAFETY: sets a process flag; no pointers involved.
        unsafe {
            SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
        }
    }
}

/// Why a worker died, from its exit status, in the report's words.
pub fn describe(status: Option<std::process::ExitStatus>) -> WorkerDeath {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        match status.and_then(|s| s.signal()) {
            Some(6 | 9) => return WorkerDeath::Memory,
            Some(24) => return WorkerDeath::Cpu,
            Some(11 | 7 | 4) => return WorkerDeath::BadData,
            _ => {}
        }
    }
    #[cfg(windows)]
    {
        // NTSTATUS codes as the exit code of a process that did not exit itself.
        match status.and_then(|s| s.code()).map(|c| c as u32) {
            // __fastfail (Rust's abort, also after a failed allocation),
            // STATUS_NO_MEMORY, STATUS_COMMITMENT_LIMIT.
            Some(0xC000_0409 | 0xC000_0017 | 0xC000_012D) => return WorkerDeath::Memory,
            // The Job Object's CPU time limit (ERROR_NOT_ENOUGH_QUOTA,
            // STATUS_QUOTA_EXCEEDED).
            Some(1816 | 0xC000_0044) => return WorkerDeath::Cpu,
            // Access violation, stack overflow, illegal instruction.
            Some(0xC000_0005 | 0xC000_00FD | 0xC000_001D) => return WorkerDeath::BadData,
            _ => {}
        }
    }
    let _ = status;
    WorkerDeath::Unknown
}

/// A Job Object holding one worker: the OS enforces its memory and CPU
/// limits, it dies on an unhandled exception instead of showing a dialog,
/// and it is killed when the job is closed (dropped) or the parent exits.
#[cfg(windows)]
pub struct Job(windows_sys::Win32::Foundation::HANDLE);

// SAFETY: a job handle may be used and closed from any thread.
#[cfg(windows)]
unsafe impl Send for Job {}

#[cfg(windows)]
impl Job {
    /// Puts a started worker into a new job; `None` when the system refuses
    /// (the allocation cap still holds).
    pub fn contain(child: &std::process::Child) -> Option<Job> {
        use std::os::windows::io::AsRawHandle;
        use windows_sys::Win32::System::JobObjects::{
            AssignProcessToJobObject, CreateJobObjectW,
            JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
            JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_PROCESS_TIME,
            JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation,
            SetInformationJobObject,
        };
        // SAFETY: plain Win32 calls on handles we own; the struct is
        // zero-initialised plain data and outlives the call that reads it.
        unsafe {
            let handle = CreateJobObjectW(std::ptr::null(), std::ptr::null());
            if handle.is_null() {
                return None;
            }
            let job = Job(handle);
            let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = std::mem::zeroed();
            info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY
                | JOB_OBJECT_LIMIT_PROCESS_TIME
                | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
                | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
            // 100-nanosecond units.
            info.BasicLimitInformation.PerProcessUserTimeLimit =
                (CPU_LIMIT_SECS * 10_000_000) as i64;
            info.ProcessMemoryLimit = MEMORY_LIMIT as usize;
            let ok = SetInformationJobObject(
                job.0,
                JobObjectExtendedLimitInformation,
                (&raw const info).cast(),
                size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            );
            if ok == 0 || AssignProcessToJobObject(job.0, child.as_raw_handle()) == 0 {
                return None;
            }
            Some(job)
        }
    }
}

#[cfg(windows)]
impl Drop for Job {
    fn drop(&mut self) {
        // SAFETY: the handle came from CreateJobObjectW and is closed once.
        unsafe {
            windows_sys::Win32::Foundation::CloseHandle(self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_refuses_what_passes_it_and_counts_what_is_freed() {
        // The counting itself, without installing the allocator.
        cap_allocations(1000);
        assert!(CappedAlloc::reserve(600));
        assert!(!CappedAlloc::reserve(600), "600 + 600 passes 1000");
        CappedAlloc::release(600);
        assert!(CappedAlloc::reserve(900));
        assert!(peak_allocated() >= 900);
        LIMIT.store(usize::MAX, Ordering::Relaxed);
        assert!(CappedAlloc::reserve(usize::MAX), "no cap: never counted");
    }
}
