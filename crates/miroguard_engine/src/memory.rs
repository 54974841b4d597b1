//! Giving memory back to the system during a scan.
//!
//! A large file's text, syntax tree and Facts take tens of megabytes for a
//! moment. glibc's allocator keeps what they freed in the worker thread's
//! arena, and raises its threshold for serving large blocks from fresh
//! mappings, so that every large file after the first adds to what the
//! process holds: peak memory grew with the number of files scanned (123,
//! 165 and 217 MB for the benchmark corpus at a quarter, once and twice).
//! Trimming after each large parsed file keeps it to what the files being
//! checked at the moment need (100, 110 and 142 MB).

/// A parsed file larger than this is worth a trim once it is done. (Files
/// read but not parsed leave only their text, one block the next file's
/// text reuses; trimming after them too cost 5% more time on the JS half,
/// in page faults, for little memory.)
pub(crate) const LARGE_PARSED_FILE: usize = 256 * 1024;

/// Returns the allocator's free memory to the system, where that is
/// possible and needed (glibc); elsewhere does nothing.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointers and only releases memory the
    // allocator holds free; it is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
