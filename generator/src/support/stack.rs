//! A stack for deeply nested documents. Parsing, the typed view of the
//! document and dropping the trees recurse once per level of nesting (the
//! model stops at 32 nested schemas, see `lower`): a JSON document may nest
//! `MAX_JSON_NESTING` levels (in `load::parse`), which takes up to about
//! 16 KiB of stack per level in a debug build (the typed view of a schema
//! nested directly in another). The command line runs on a thread with
//! [`STACK_SIZE`]; only the pages a document needs are ever touched.

/// The stack of the thread that runs the command line: twice what the
/// deepest accepted document needs in a debug build.
pub const STACK_SIZE: usize = 1 << 30;

/// Runs `work` on a thread with [`STACK_SIZE`] and returns its result; a
/// panic in `work` goes on in the caller.
pub fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("generator".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, work)
            .expect("a thread with a large stack can be started");
        match thread.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
