//! Headless Debian `chromium`, bounded in time: each call gets its own profile directory
//! and is killed if it outlives its budget.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest one chromium invocation may take.
const BUDGET: Duration = Duration::from_secs(45);

/// Set by `.ci/run` (and by any CI that sets `CI`): a missing chromium fails the test.
const REQUIRE_VARIABLE: &str = "XTENANT_REQUIRE_CHROMIUM";

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub struct Chromium {
    program: PathBuf,
}

impl Chromium {
    /// Chromium from `PATH`, or `None` after saying how to install it when this is not CI.
    /// Under CI (`XTENANT_REQUIRE_CHROMIUM` or `CI` set) a missing chromium is a failure,
    /// never a skip.
    pub fn find() -> Option<Chromium> {
        let found = std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
                .find(|candidate| candidate.is_file())
        });
        match found {
            Some(program) => Some(Chromium { program }),
            None if std::env::var_os(REQUIRE_VARIABLE).is_some()
                || std::env::var_os("CI").is_some() =>
            {
                panic!(
                    "chromium is not on PATH: the browser test cannot run. `.ci/run` installs \
                     Debian's chromium (`apt-get install -y chromium`); install it or run \
                     .ci/run"
                )
            }
            None => {
                eprintln!(
                    "browser test NOT RUN: chromium is not on PATH. Install Debian's chromium \
                     (`apt-get install -y chromium`) or run .ci/run, which installs it and \
                     makes this test required."
                );
                None
            }
        }
    }

    /// The DOM after the page loaded and its scripts ran, at `width` × `height`.
    pub fn dump_dom(&self, page: &Path, width: u32, height: u32) -> String {
        let output = self.run(page, width, height, &["--dump-dom".to_owned()]);
        String::from_utf8(output).expect("chromium dumps UTF-8")
    }

    /// A PNG screenshot of the viewport at `width` × `height`, written to `out`.
    pub fn screenshot(&self, page: &Path, width: u32, height: u32, out: &Path) {
        self.run(
            page,
            width,
            height,
            &[format!("--screenshot={}", out.display())],
        );
        assert!(
            out.is_file(),
            "chromium wrote no screenshot at {}",
            out.display()
        );
    }

    /// The page printed to PDF (print CSS applied), written to `out`.
    pub fn print_to_pdf(&self, page: &Path, out: &Path) {
        self.run(
            page,
            1400,
            900,
            &[
                format!("--print-to-pdf={}", out.display()),
                "--no-pdf-header-footer".to_owned(),
            ],
        );
        assert!(out.is_file(), "chromium wrote no PDF at {}", out.display());
    }

    fn run(&self, page: &Path, width: u32, height: u32, mode: &[String]) -> Vec<u8> {
        // One chromium at a time: the machine's cores are few, and the 100k page's
        // timing must not measure its neighbours.
        let _one_at_a_time = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut child = Command::new(&self.program)
            .args([
                "--headless",
                // Root in a container has no user namespace for the sandbox.
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={width},{height}"))
            .args(mode)
            .arg(format!("file://{}", page.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            // Its own process group, so a timeout ends the renderer and helpers too.
            .process_group(0)
            .spawn()
            .expect("chromium starts");
        let mut stdout = child.stdout.take().expect("piped stdout");
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.read_to_end(&mut bytes);
            bytes
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("chromium's status") {
                break status;
            }
            if started.elapsed() > BUDGET {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium took longer than {BUDGET:?} on {}", page.display());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let bytes = reader.join().expect("the reader thread");
        assert!(
            status.success(),
            "chromium failed on {}: {status}",
            page.display()
        );
        bytes
    }
}

/// Width and height from a PNG's IHDR chunk, the first chunk after the 8-byte signature.
pub fn png_dimensions(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() >= 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let word = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}
