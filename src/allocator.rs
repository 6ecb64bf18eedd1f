//! Settings of mimalloc, the allocator of the `kbsearch` binary (declared in
//! `src/main.rs` and in the benchmark). Indexing allocates a small string per
//! token and per parsed element on several threads; the system allocator
//! cost about a fifth of the build's CPU time (see docs/benchmarks.md).
//!
//! Without mimalloc as the global allocator these calls change nothing.

/// Makes mimalloc give memory freed by a request back to the OS at once.
/// By default it keeps freed pages for a second to reuse them, and a server
/// at 1 M sections then held 520 MiB instead of about 285 MiB. Builds keep
/// the default, which is faster.
pub fn return_freed_memory_at_once() {
    // `mi_option_purge_delay` in mimalloc's include/mimalloc.h (the same
    // number in its v2 and v3); libmimalloc-sys has no constant for it.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one integer option; mimalloc reads its options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_set_is_the_purge_delay() {
        const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        // SAFETY (all three calls): read or set one integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // The purge delay's default in mimalloc v3 (src/options.c) is
        // 1000 ms; no neighbouring option has that default.
        assert_eq!(default, 1000);
        super::return_freed_memory_at_once();
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            0
        );
    }
}
