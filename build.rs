//! Build-time facts the binary reports about itself: the git commit it was built from, for
//! `--version` and the evidence. A crate built from a published package has no `.git`, so
//! a missing git or repository gives "unknown" and never fails the build.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=XTENANT_GIT_COMMIT={commit}");
    // Re-run only when HEAD moves: the HEAD file (a branch switch or a detached commit),
    // the branch's ref (a commit), wherever this worktree keeps them, and packed refs.
    // Cargo re-runs a build script on every build while a file it watches is missing,
    // which would rebuild xtenant on every `cargo test`, so only files that exist are
    // watched; a branch kept only in packed-refs is watched through its ref folder too,
    // which changes when the next commit writes the branch as a file. A folder is watched
    // with everything under it, so never the repository folder itself.
    for path in ["HEAD", "packed-refs"] {
        if let Some(file) = git_path(path).filter(|file| file.is_file()) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(file) = git_path(&branch)
    {
        let watched = if file.is_file() {
            Some(file.as_path())
        } else {
            file.parent().filter(|folder| folder.is_dir())
        };
        if let Some(path) = watched {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// Where this worktree keeps `path` of its repository (`git rev-parse --git-path`).
fn git_path(path: &str) -> Option<PathBuf> {
    git(&["rev-parse", "--git-path", path]).map(PathBuf::from)
}

/// The trimmed output of a successful `git` command, or `None`.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}
