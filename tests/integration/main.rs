#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::float_cmp,
    // Tables of expected figures are tuples, and test files are built with format!.
    clippy::type_complexity,
    clippy::format_collect
)]

//! Integration tests: the month on real workbooks, outputs read back and
//! compared with figures computed here, never with gnbv's own output.
//!
//! Most run the month through the library call (`TestEnv::month`, the
//! function `gnbv run` calls); the command line's contract — exit codes,
//! flags, what is printed, `check`, `template`, `init`, the digest, the lock
//! and unattended runs — is tested on the real binary (`TestEnv::gnbv`), and
//! `determinism` shows that both write the same bytes.

mod common;

/// Bad files: each its own finding, nothing else lost (issue 3).
mod bad_files;
/// District → province: upward workbooks read by the next level.
mod chain;
mod clean_set;
/// The demo city and the month's outputs (issue 2).
mod consolidation;
/// Unattended monthly runs, history and the 2025 reform (issue 4).
mod cron;
/// Same inputs, same bytes.
mod determinism;
/// The cron digest, tom_tat.txt (issue 12).
mod digest;
/// The fuzzers' seed corpus (run by hand).
mod fuzz_seeds;
/// Hostile files: bounded memory, a finding, the other units kept (issue 7).
mod hostile;
/// A new agency from `gnbv init` to its first report (issue 12).
mod init;
/// Layouts of up to four header rows, columns that are not figures, dashes, numbering, footers (issue 10).
mod layouts;
/// Nothing lost: good figures reported, bad files named with reasons (issue 7).
mod nothing_lost;
/// Printing in a real spreadsheet application (issue 5).
mod print;
/// Properties of money parsing, aggregation and rates (proptest, issue 7).
mod properties;
/// SPEC §5's arithmetic on the seeds' figures, through the whole product.
mod seeds;
mod slips;
/// Formula-looking text and path-like codes (issue 7).
mod text_safety;
/// Messy office files: variants, formats, bad files (issue 3).
mod variants;
