//! A stopwatch read at stage boundaries, for the per-stage times of a scan.
//!
//! Reading the clock costs tens of nanoseconds (a vDSO call), and a file is
//! timed at a handful of boundaries, so the times are always measured: the
//! JSON output carries them, and `--stats` only decides whether they are printed.

use std::time::{Duration, Instant};

/// Successive laps of one clock: each stage's time is the time since the
/// previous boundary, so a file costs one clock read per stage.
pub(crate) struct Laps(Instant);

impl Laps {
    pub(crate) fn start() -> Laps {
        Laps(Instant::now())
    }

    /// The time since the last lap (or the start), starting the next one.
    pub(crate) fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let elapsed = now.duration_since(self.0);
        self.0 = now;
        elapsed
    }
}
