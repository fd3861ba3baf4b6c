//! Any bytes in, findings or figures out, never a panic: the workbook
//! reader (and the checks that follow it) on arbitrary input, with the
//! shipped config.
//!
//! A panic inside calamine or the OLE reader is caught by gnbv
//! (`read::open`) and becomes a finding, as in production; to let the
//! fuzzer go on past those, the panic hook here prints the panic and does
//! not abort. A panic anywhere else still unwinds out of the target, and
//! libFuzzer reports it as a crash. (A workbook with nothing filled in is
//! accepted with no finding — blank money is zero — so "no figures and no
//! finding" is not treated as a failure here.)

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gnbv::check::{Previous, check_report};
use gnbv::config::Config;
use gnbv::domain::Period;
use gnbv::read::official::Decisions;
use gnbv::read::{SourceFile, read_workbook};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        // Print panics (a caught one too), never abort from the hook.
        std::panic::set_hook(Box::new(|info| eprintln!("gnbv-fuzz: {info}")));
        let dir = std::env::var_os("GNBV_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../config"));
        Config::load(&dir).expect("the shipped config loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let config = config();
    let file = SourceFile {
        path: PathBuf::from("fuzz/don_vi.xlsx"),
        name: "don_vi.xlsx".into(),
        sha256: String::new(),
        size: data.len() as u64,
        modified: None,
        period_hint: None,
    };
    let mut report = read_workbook(file, data.to_vec(), config);
    let period = report.identity.period.or_else(|| Period::new(2024, 6)).expect("a period");
    check_report(&mut report, config, period, &Previous::default(), &Decisions::default());
    for f in &report.findings {
        assert!(!f.message.trim().is_empty(), "a finding without a message: {f:?}");
    }
});
