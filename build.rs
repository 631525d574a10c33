//! Build-time facts the binary reports about itself: the git commit it was built from, for
//! `--version` and the evidence. A crate built from a published package has no `.git`, so
//! a missing git or repository gives "unknown" and never fails the build.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=XTENANT_GIT_COMMIT={commit}");
    // Re-run only when HEAD moves: the HEAD file (a branch switch) and the branch's ref
    // (a commit), wherever this worktree keeps them, and packed refs.
    for path in ["HEAD", "packed-refs"] {
        if let Some(file) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={file}");
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(file) = git(&["rev-parse", "--git-path", &branch])
    {
        println!("cargo:rerun-if-changed={file}");
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
