//! Any bytes in, findings or figures out, never a panic: the workbook
//! reader (and the checks that follow it) on arbitrary input, with the
//! shipped config.
//!
//! A panic inside calamine or the OLE reader is caught by gnbv
//! (`read::open`) and becomes a finding, as in production; to let the
//! fuzzer go on past those, the panic hook (`common.rs`) prints the panic and does
//! not abort. A panic anywhere else still unwinds out of the target, and
//! libFuzzer reports it as a crash. (A workbook with nothing filled in is
//! accepted with no finding — blank money is zero — so "no figures and no
//! finding" is not treated as a failure here.)

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read_and_check(data.to_vec(), "don_vi.xlsx"));
