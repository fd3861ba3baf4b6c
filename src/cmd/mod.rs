//! The subcommands: thin glue that resolves paths, calls the layers in order
//! and chooses the exit status (one file per command, as xsv does).

pub mod check;
pub mod init;
pub mod run;
pub mod template;

use std::io::IsTerminal;

use chrono::NaiveDateTime;

use crate::cli::Global;

/// Sets up diagnostics on stderr: warnings by default, errors only with
/// `--quiet`, everything with `--verbose`.
pub fn init_logging(global: &Global) {
    let level = if global.quiet {
        tracing::Level::ERROR
    } else if global.verbose {
        tracing::Level::DEBUG
    } else {
        tracing::Level::WARN
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// The time recorded in outputs: now, or `SOURCE_DATE_EPOCH` when set, so
/// two runs over the same inputs can give the same bytes.
pub fn recorded_time() -> NaiveDateTime {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map_or_else(|| chrono::Local::now().naive_local(), |t| t.naive_utc())
}

/// A progress bar on stderr when it is a terminal and not `--quiet`.
pub fn progress(len: usize, global: &Global) -> indicatif::ProgressBar {
    if global.quiet || !std::io::stderr().is_terminal() || len < 20 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} đọc tệp {pos}/{len} [{bar:40}] {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
