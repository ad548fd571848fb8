//! Work spread over the machine's cores with scoped threads: the stages stay
//! as they are, only independent pieces of one stage (files to emit and
//! format, rustfmt processes) run side by side.

use std::num::NonZeroUsize;
use std::sync::Mutex;

/// How many threads to use: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `items.into_iter().map(f).collect()`, with the items shared out over
/// [`workers`] threads as each becomes free (so a few large items do not
/// hold up the rest). The results come back in the order of `items`.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = workers().min(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let count = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                // Deep documents need the large stack on every thread
                // (`crate::support::stack`); only the pages used are touched.
                std::thread::Builder::new()
                    .stack_size(crate::support::stack::STACK_SIZE)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        while let Some((index, item)) = next() {
                            done.push((index, f(item)));
                        }
                        done
                    })
                    .expect("a worker thread can be started")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    debug_assert_eq!(done.len(), count);
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = super::map(items, |n| n * n);
        assert_eq!(squares, (0..1000).map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_results() {
        assert!(super::map(Vec::<u8>::new(), |n| n).is_empty());
    }
}
