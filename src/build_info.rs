//! What this build of xtenant is: its version and the git commit it was built from
//! (`build.rs`; "unknown" when built outside a git checkout), for `--version` and the
//! evidence.

/// The crate version, from `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The short git commit of the build, or "unknown".
pub const COMMIT: &str = env!("XTENANT_GIT_COMMIT");

/// `0.1.0 (commit 1a2b3c4d5e6f)`, as `xtenant --version` prints it.
pub const VERSION_WITH_COMMIT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("XTENANT_GIT_COMMIT"),
    ")"
);
