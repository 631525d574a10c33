//! libtest-mimic's output, kept off a stdout that may fail.
//!
//! libtest-mimic writes to stdout itself and unwraps every write (`Printer` in its
//! `printer.rs`), so a closed pipe (`-- --list | head -1`) or a full disk (`> /dev/full`)
//! panics inside it and the process exits 101, whatever the results were. Here it writes to
//! its own `--logfile` instead, which is the write end of a pipe: a thread copies the pipe
//! to stdout (or to the `--logfile` the user asked for) and, once that fails, keeps draining
//! the pipe, so libtest-mimic never sees a failed write and the caller gets the failure as
//! an error to turn into an exit code.

use libtest_mimic::{Arguments, ColorSetting, Conclusion, Trial};
use std::io::{Read, Write};

/// Where libtest's output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LibtestOutputError {
    #[error("failed to write the test results to stdout")]
    Stdout(#[source] std::io::Error),
    #[error("failed to write the test results to logfile `{path}`")]
    Logfile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to create logfile `{path}`")]
    CreateLogfile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to set up the test output")]
    Setup(#[source] std::io::Error),
}

impl LibtestOutputError {
    pub fn io_error(&self) -> &std::io::Error {
        match self {
            LibtestOutputError::Stdout(error)
            | LibtestOutputError::Logfile { source: error, .. }
            | LibtestOutputError::CreateLogfile { source: error, .. }
            | LibtestOutputError::Setup(error) => error,
        }
    }

    /// True for a stdout whose reader went away (`| head`): the output ends quietly.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, LibtestOutputError::Stdout(error)
            if error.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Runs libtest-mimic over `trials` with its output copied to stdout (or to the
/// `--logfile` of `arguments`). libtest's tally is returned even when its output was lost.
#[cfg(unix)]
pub fn run_libtest(
    arguments: &Arguments,
    trials: Vec<Trial>,
) -> (Conclusion, Result<(), LibtestOutputError>) {
    use std::os::fd::AsRawFd;

    let (destination, color): (Destination, ColorSetting) = match &arguments.logfile {
        Some(path) => match std::fs::File::create(path) {
            // libtest colours a logfile only when asked to.
            Ok(file) => (
                Destination::Logfile {
                    path: path.clone(),
                    file,
                },
                arguments.color.unwrap_or(ColorSetting::Never),
            ),
            Err(source) => {
                return (
                    nothing_run(),
                    Err(LibtestOutputError::CreateLogfile {
                        path: path.clone(),
                        source,
                    }),
                );
            }
        },
        None => (Destination::Stdout, stdout_color(arguments.color)),
    };
    let (reader, writer) = match std::io::pipe() {
        Ok(pipe) => pipe,
        Err(error) => return (nothing_run(), Err(LibtestOutputError::Setup(error))),
    };
    // libtest-mimic opens its logfile by path; `/dev/fd/N` names the pipe's write end on
    // Linux and macOS alike. Where it does not exist, libtest-mimic keeps stdout.
    let pipe_path = format!("/dev/fd/{}", writer.as_raw_fd());
    if std::fs::OpenOptions::new()
        .write(true)
        .open(&pipe_path)
        .is_err()
    {
        return (libtest_mimic::run(arguments, trials), Ok(()));
    }
    let copier = std::thread::spawn(move || destination.copy_from(reader));
    let mut arguments = arguments.clone();
    arguments.logfile = Some(pipe_path);
    arguments.color = Some(match color {
        ColorSetting::Always => ColorSetting::Always,
        ColorSetting::Auto | ColorSetting::Never => ColorSetting::Never,
    });
    let conclusion = libtest_mimic::run(&arguments, trials);
    // libtest-mimic has closed its own descriptor; the copier sees the end once this one
    // is closed too.
    drop(writer);
    let copied = copier.join().unwrap_or_else(|_| {
        Err(LibtestOutputError::Setup(std::io::Error::other(
            "the output thread panicked",
        )))
    });
    (conclusion, copied)
}

/// Elsewhere libtest-mimic writes to stdout itself.
#[cfg(not(unix))]
pub fn run_libtest(
    arguments: &Arguments,
    trials: Vec<Trial>,
) -> (Conclusion, Result<(), LibtestOutputError>) {
    (libtest_mimic::run(arguments, trials), Ok(()))
}

/// libtest's `--color auto` for stdout: colours on a terminal, unless `NO_COLOR` is set.
// NO_COLOR: https://no-color.org/.
#[cfg(unix)]
fn stdout_color(asked: Option<ColorSetting>) -> ColorSetting {
    use std::io::IsTerminal;
    match asked.unwrap_or(ColorSetting::Auto) {
        ColorSetting::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            if std::io::stdout().is_terminal() && !no_color {
                ColorSetting::Always
            } else {
                ColorSetting::Never
            }
        }
        setting => setting,
    }
}

fn nothing_run() -> Conclusion {
    Conclusion {
        num_filtered_out: 0,
        num_passed: 0,
        num_failed: 0,
        num_ignored: 0,
        num_measured: 0,
    }
}

#[cfg(unix)]
enum Destination {
    Stdout,
    Logfile { path: String, file: std::fs::File },
}

#[cfg(unix)]
impl Destination {
    fn copy_from(self, reader: std::io::PipeReader) -> Result<(), LibtestOutputError> {
        match self {
            Destination::Stdout => copy_then_drain(reader, std::io::stdout().lock())
                .map_err(LibtestOutputError::Stdout),
            Destination::Logfile { path, file } => copy_then_drain(reader, file)
                .map_err(|source| LibtestOutputError::Logfile { path, source }),
        }
    }
}

/// Copies everything `reader` yields to `out` until its end, and returns the first failed
/// write. After it the rest is read and dropped: the writer at the other end of the pipe
/// must never block on, or fail at, a pipe nobody reads.
#[cfg(unix)]
fn copy_then_drain(
    mut reader: std::io::PipeReader,
    mut out: impl Write,
) -> Result<(), std::io::Error> {
    let mut failure = None;
    let mut buffer = [0u8; 8192];
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(failure.unwrap_or(error)),
        };
        if failure.is_none()
            && let Err(error) = out.write_all(&buffer[..read])
        {
            failure = Some(error);
        }
    }
    match failure {
        Some(error) => Err(error),
        None => out.flush(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A destination like `/dev/full`.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn after_a_failed_write_the_pipe_is_still_drained_so_the_writer_never_fails() {
        let (reader, mut writer) = std::io::pipe().unwrap();
        // Far more than a pipe holds: the writer blocks unless the copier keeps reading.
        let producer = std::thread::spawn(move || {
            for _ in 0..64 {
                writer.write_all(&[b'x'; 4096])?;
            }
            Ok::<(), std::io::Error>(())
        });
        let error = copy_then_drain(reader, Full).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
        producer.join().unwrap().expect("the writer saw no failure");
    }

    #[test]
    fn everything_written_reaches_the_destination() {
        let (reader, mut writer) = std::io::pipe().unwrap();
        let producer = std::thread::spawn(move || writer.write_all(b"running 2 tests\n"));
        let mut out = Vec::new();
        copy_then_drain(reader, &mut out).unwrap();
        producer.join().unwrap().unwrap();
        assert_eq!(out, b"running 2 tests\n");
    }

    #[test]
    fn a_logfile_the_user_asked_for_gets_libtests_output_and_the_tally_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let logfile = dir.path().join("libtest.log");
        let arguments = <Arguments as clap::Parser>::try_parse_from([
            "xtenant-run",
            "--logfile",
            logfile.to_str().unwrap(),
            "--test-threads",
            "1",
        ])
        .unwrap();
        let trials = vec![
            Trial::test("acme-alice::globex/records::read", || Ok(())),
            Trial::test("acme-alice::globex/records::write", || {
                Err("breach: expected deny, got allowed".into())
            }),
        ];
        let (conclusion, written) = run_libtest(&arguments, trials);
        written.unwrap();
        assert_eq!((conclusion.num_passed, conclusion.num_failed), (1, 1));
        let log = std::fs::read_to_string(&logfile).unwrap();
        assert!(log.contains("running 2 tests"), "{log}");
        assert!(log.contains("breach: expected deny, got allowed"), "{log}");
        assert!(
            !log.contains('\u{1b}'),
            "no colour in a logfile unless asked: {log}"
        );
    }

    #[test]
    fn a_logfile_that_cannot_be_created_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let logfile = dir.path().join("missing/libtest.log");
        let arguments = <Arguments as clap::Parser>::try_parse_from([
            "xtenant-run",
            "--logfile",
            logfile.to_str().unwrap(),
        ])
        .unwrap();
        let (_, written) = run_libtest(&arguments, Vec::new());
        let error = written.unwrap_err();
        assert!(
            error.to_string().starts_with("failed to create logfile `"),
            "{error}"
        );
    }
}
