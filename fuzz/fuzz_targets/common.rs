//! What the fuzz targets share: the shipped config, and one unit file read
//! and checked as `gnbv run` does. Included by each target with
//! `#[path = "common.rs"] mod common;` (not a target itself).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gnbv::check::{Previous, check_report};
use gnbv::config::Config;
use gnbv::domain::Period;
use gnbv::read::official::Decisions;
use gnbv::read::{SourceFile, read_workbook};

/// The shipped config (or `GNBV_CONFIG`), loaded once. Also installs the
/// panic hook: a panic inside calamine is caught by gnbv and becomes a
/// finding, so the hook prints it and never aborts; a panic anywhere else
/// still unwinds out of the target and libFuzzer reports a crash.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("gnbv-fuzz: {info}")));
        let dir = std::env::var_os("GNBV_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../config"));
        Config::load(&dir).expect("the shipped config loads")
    })
}

/// Reads `bytes` as the unit file `name` and runs every check on it: any
/// input ends as figures or findings, and every finding says something.
pub fn read_and_check(bytes: Vec<u8>, name: &str) {
    let config = config();
    let file = SourceFile { size: bytes.len() as u64, ..SourceFile::unread(Path::new(name), Path::new("")) };
    let mut report = read_workbook(file, bytes, config);
    let period = report.identity.period.or_else(|| Period::new(2024, 6)).expect("a period");
    check_report(&mut report, config, period, &Previous::default(), &Decisions::default());
    for f in &report.findings {
        assert!(!f.message.trim().is_empty(), "a finding without a message: {f:?}");
    }
}
