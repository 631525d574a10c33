//! Build-time facts the binary reports about itself: the git commit it was built from, for
//! `--version` and the evidence. A crate built from a published package has no `.git`, so
//! a missing git or repository gives "unknown" and never fails the build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=XTENANT_GIT_COMMIT={commit}");
    // Re-run only when HEAD moves: the HEAD file (a branch switch) and the branch's ref
    // (a commit), wherever this worktree keeps them, and packed refs.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for path in watched {
        if let Some(file) = git(&["rev-parse", "--git-path", &path]) {
            watch(Path::new(&file));
        }
    }
}

/// Cargo re-runs a build script on every build while a file it watches is missing, which
/// would rebuild xtenant on every `cargo test`. A ref that does not exist yet (a branch
/// kept only in packed-refs, a repository with no packed-refs) is watched through its
/// folder instead, which changes when the file appears.
fn watch(file: &Path) {
    let watched = if file.exists() {
        Some(file)
    } else {
        file.ancestors().skip(1).find(|folder| folder.is_dir())
    };
    if let Some(path) = watched {
        println!("cargo:rerun-if-changed={}", path.display());
    }
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
