//! Integration tests: the real binary on real workbooks, outputs read back
//! and compared with figures computed here, never with gnbv's own output.

mod common;

/// District → province: upward workbooks read by the next level.
mod chain;
/// The demo city and the month's outputs (issue 2).
mod consolidation;
/// Same inputs, same bytes.
mod determinism;
/// The fuzzers' seed corpus (run by hand).
mod fuzz_seeds;
/// Hostile files: bounded memory, a finding, the other units kept (issue 7).
mod hostile;
/// Nothing lost: good figures reported, bad files named with reasons (issue 7).
mod nothing_lost;
/// Properties of money parsing, aggregation and rates (proptest, issue 7).
mod properties;
/// SPEC §5's arithmetic on the seeds' figures, through the whole product.
mod seeds;
/// Formula-looking text and path-like codes (issue 7).
mod text_safety;
