//! A progress line on stderr for scans that take more than a second.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// How long a scan runs before the progress line appears.
const DELAY: Duration = Duration::from_secs(1);
/// How often it is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// Runs `work`, handing it a counter of files done; shows that count on
/// stderr while it runs, only when stderr is a terminal and only after a second.
pub fn with_progress<T>(work: impl FnOnce(&AtomicUsize) -> T) -> T {
    let counter = AtomicUsize::new(0);
    if !std::io::stderr().is_terminal() {
        return work(&counter);
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let painter = scope.spawn(|| {
            let mut waited = Duration::ZERO;
            let mut shown = false;
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                waited += TICK;
                if waited >= DELAY {
                    shown = true;
                    let mut stderr = std::io::stderr().lock();
                    let _ = write!(
                        stderr,
                        "\r\x1b[Kmiroguard: {} files scanned…",
                        counter.load(Ordering::Relaxed)
                    );
                    let _ = stderr.flush();
                }
            }
            if shown {
                let mut stderr = std::io::stderr().lock();
                let _ = write!(stderr, "\r\x1b[K");
                let _ = stderr.flush();
            }
        });
        let result = work(&counter);
        finished.store(true, Ordering::Relaxed);
        let _ = painter.join();
        result
    })
}
