use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees millions of small
/// strings across threads, and glibc's allocator kept freed memory (RSS) high and spent 7 % of
/// the build in its own bookkeeping.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    vitrine::cli::run()
}
