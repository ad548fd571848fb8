//! Two implementations of the same work timed in pairs: each round times a
//! batch of the baseline and a batch of the measured one, back to back (the
//! order alternating), and the ratio of the two is that round's. On a
//! shared machine a burst of load lands on both halves of a round, where
//! criterion, timing one side after the other, lets it land on one.
//! Included with `#[path]` by the runtime's decode benchmark and by
//! benches/decode-responses.

use std::time::{Duration, Instant};

/// Rounds per comparison: an odd count, so the median is one round's.
const ROUNDS: usize = 201;
/// How long one batch of the baseline should take, about.
const BATCH_TARGET: Duration = Duration::from_millis(2);

/// The rounds' ratios (measured / baseline): median and quartiles.
pub struct PairedRatio {
    median: f64,
    first_quartile: f64,
    third_quartile: f64,
    /// Runs of each side per batch.
    batch: u32,
}

impl PairedRatio {
    /// Prints the figures as `paired_<name>_…=` lines.
    pub fn print(&self, name: &str) {
        println!("paired_{name}_ratio={:.2}", self.median);
        println!("paired_{name}_ratio_q1={:.2}", self.first_quartile);
        println!("paired_{name}_ratio_q3={:.2}", self.third_quartile);
        println!("paired_{name}_batch={}", self.batch);
    }
}

/// Whether this is a benchmark run: `cargo bench` passes `--bench`, while
/// `cargo test --benches` runs the binary without it, to see that it
/// starts.
pub fn benchmarking() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// Times `baseline` and `measured` in [`ROUNDS`] alternating rounds.
pub fn measure(mut baseline: impl FnMut(), mut measured: impl FnMut()) -> PairedRatio {
    let batch = batch_size(&mut baseline);
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (base, other) = if round % 2 == 0 {
                let base = time_batch(&mut baseline, batch);
                (base, time_batch(&mut measured, batch))
            } else {
                let other = time_batch(&mut measured, batch);
                (time_batch(&mut baseline, batch), other)
            };
            other.as_secs_f64() / base.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    PairedRatio {
        median: quantile(&ratios, 0.5),
        first_quartile: quantile(&ratios, 0.25),
        third_quartile: quantile(&ratios, 0.75),
        batch,
    }
}

fn time_batch(run: &mut impl FnMut(), batch: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..batch {
        run();
    }
    start.elapsed()
}

/// How many runs of `baseline` take about [`BATCH_TARGET`].
fn batch_size(baseline: &mut impl FnMut()) -> u32 {
    let once = time_batch(baseline, 64) / 64;
    let batch = BATCH_TARGET.as_nanos() / once.as_nanos().max(1);
    batch.clamp(1, 100_000) as u32
}

/// The value at `fraction` of the sorted `values` (nearest rank).
fn quantile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[rank]
}
