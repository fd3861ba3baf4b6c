//! `gnbv run`: the monthly job, unattended.
//!
//! Resolves the folders and the config, runs the month ([`crate::month::run`])
//! and prints, for each period, one line (or, with `--digest`, the digest),
//! with the changes since the previous run and where an earlier report was
//! archived on stderr.

use std::time::Duration;

use crate::cli::{Global, RunArgs};
use crate::config::Config;
use crate::exit::{ExitStatus, Failure, OrExit};
use crate::month::{self, Written};
use crate::paths;

/// Runs the monthly job.
///
/// # Errors
///
/// A [`Failure`] with the exit status of SPEC §7 when no report can be written.
pub fn run(args: &RunArgs, global: &Global) -> Result<ExitStatus, Failure> {
    let dirs = paths::resolve_here(paths::Flags {
        config: args.config.as_deref(),
        input: args.input.as_deref(),
        output: args.output.as_deref(),
    });
    let config = Config::load(&dirs.config).or_exit(ExitStatus::Usage)?;
    let bar = Bar { global, bar: std::sync::OnceLock::new() };
    let options = month::Options {
        period: args.period,
        wait: args.wait.map(Duration::from_secs),
        recorded: super::recorded_time(),
        progress: &bar,
    };
    let outcome = month::run(&dirs, &config, &options)?;
    let mut status = ExitStatus::Clean;
    let count = outcome.periods.len();
    for (i, period) in outcome.periods.into_iter().enumerate() {
        if args.digest && i > 0 {
            println!(); // between two periods' digests
        }
        match period.result {
            Ok(written) => {
                print_written(&written, args.digest, global);
                status = status.worst(written.status);
            }
            Err(f) if i + 1 == count => return Err(f),
            Err(f) => {
                eprintln!("gnbv: kỳ {}: {:#}", period.period.vn(), f.error);
                status = status.worst(f.status);
            }
        }
    }
    Ok(status)
}

/// A period's line (or digest) on stdout; the archive and the changes on stderr.
fn print_written(written: &Written, digest: bool, global: &Global) {
    if let Some(archive) = &written.archived_to
        && !global.quiet
    {
        eprintln!("báo cáo trước của kỳ {} được lưu tại {}", written.period.vn(), archive.display());
    }
    if !global.quiet && !digest {
        for change in &written.changes {
            eprintln!("  thay đổi: {change}");
        }
    }
    if digest {
        print!("{}", written.digest);
    } else {
        println!("{}", written.line);
    }
}

/// The reading's progress bar, made once the number of workbooks is known.
struct Bar<'a> {
    global: &'a Global,
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl month::Progress for Bar<'_> {
    fn start(&self, files: usize) {
        let _ = self.bar.set(super::progress(files, self.global));
    }

    fn read_one(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
