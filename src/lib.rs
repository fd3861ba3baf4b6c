//! gnbv reads every unit's monthly workbook, checks it, consolidates the
//! program's capital and results, and writes the report appendices, the
//! report for the level above, `summary.json` and the period's tidy data.
//!
//! The flow is read → check → compute → write, one module per layer, and
//! the month ([`month::run`]) runs it for a period: the binary, the
//! benchmark and the integration tests all call it.
//!
//! | module | role |
//! |---|---|
//! | [`read`] | a workbook file in, a [`read::UnitReport`] out (calamine) |
//! | [`check`] | the rules of SPEC §7, as [`check::Finding`]s |
//! | [`compute`] | totals, rates, indicators, history (polars for tidy data) |
//! | [`assembled`] | the assembled [`assembled::Month`] every output is made from |
//! | [`write`](mod@write) | report workbooks, `summary.json`, tidy CSV (`rust_xlsxwriter`) |
//! | [`month`] | the month: find files, read in parallel, one workbook per unit, statuses, outputs, the run's record |
//! | [`output`] | lock, staging, archive, atomic renames, file names |
//! | [`paths`] | where the config, input and output folders are |
//! | [`scaffold`] | the clean configuration `gnbv init` writes |
//! | [`cmd`] | the subcommands, glue: parse, resolve, call the library, print, exit status |
//!
//! # Layers
//!
//! A module imports only from the layers below its own (and from its own
//! layer where the list says so); none reaches up. Unit tests inside a
//! module may use any module.
//!
//! | layer | modules | may import |
//! |---|---|---|
//! | 10 | [`cmd`], [`cli`], the crate's [`run`] | everything below; `cli` only [`domain`] |
//! | 9 | [`month`] | layers 0–8 |
//! | 8 | [`write`](mod@write), [`scaffold`] | layers 0–7 (`scaffold`: [`output`], [`paths`]) |
//! | 7 | [`assembled`] | [`compute`], [`read`] and below |
//! | 6 | [`compute`] | [`check`] (its `Previous`), [`config`] and below |
//! | 5 | [`check`] | [`read`], [`config`] and below |
//! | 4 | [`read`] | [`config`] and below |
//! | 3 | [`config`] | [`finding`] (rule codes and severities), [`domain`], [`text`] |
//! | 2 | [`finding`], [`output`] | [`domain`], [`text`] |
//! | 1 | [`domain`] | [`text`] |
//! | 0 | [`text`], [`exit`], [`paths`]; the crate-root helpers ([`sha256_hex`], [`peak_memory_bytes`], [`cpu_seconds`]) | nothing of gnbv |
//!
//! Inside [`read`], `open` and `guard` share their error type through
//! `open_error` rather than importing each other. The findings vocabulary
//! ([`finding`]) is below the config and the readers, which name rules;
//! [`check`] re-exports it, so `check::Finding` still works.

pub mod assembled;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod domain;
pub mod exit;
pub mod finding;
pub mod month;
pub mod output;
pub mod paths;
pub mod read;
pub mod scaffold;
pub mod text;
pub mod write;

pub use exit::ExitStatus;

/// Runs a parsed command line and returns the exit status. Errors are
/// printed here, once.
pub fn run(cli: &cli::Cli) -> ExitStatus {
    cmd::init_logging(&cli.global);
    let result = match &cli.command {
        cli::Command::Run(args) => cmd::run::run(args, &cli.global),
        cli::Command::Check(args) => cmd::check::run(args, &cli.global),
        cli::Command::Template(args) => cmd::template::run(args, &cli.global),
        cli::Command::Init(args) => cmd::init::run(args, &cli.global),
    };
    match result {
        Ok(status) => status,
        Err(failure) => {
            eprintln!("gnbv: {:#}", failure.error);
            failure.status
        }
    }
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Bytes as lower-case hex (a digest as SHA-256 tools print it).
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The process's peak resident memory so far (`VmHWM`), in bytes, where the
/// system tells it (Linux); the run log records it so that memory bounds can
/// be checked on real runs (SPEC §7, §8).
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// CPU time (user + system, all threads) used by this process so far, in
/// seconds, for `--verbose` timings; `None` where `/proc` is not available.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses;
    // utime and stime are the 14th and 15th fields, in clock ticks (USER_HZ,
    // 100 on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
