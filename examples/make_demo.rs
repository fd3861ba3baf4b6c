//! Rebuilds the demo input (`input/2024-05/`, `input/2024-06/`): writes each
//! unit's blank workbook with `gnbv template`, then fills it in as a clerk
//! would (with umya-spreadsheet, not gnbv) from the demo table in
//! `tests/integration/common/demo.rs`.
//!
//! ```text
//! cargo run --example make_demo
//! ```

#[path = "../tests/integration/common/demo.rs"]
mod demo;
#[path = "../tests/integration/common/fill.rs"]
mod fill;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().expect("temporary folder");
    for (period, june) in [("2024-05", false), ("2024-06", true)] {
        let templates = scratch.path().join(period);
        let args = gnbv::cli::TemplateArgs {
            output: templates.clone(),
            period: period.parse().ok(),
            config: root.join("config"),
            units: Vec::new(),
        };
        let global = gnbv::cli::Global { quiet: true, verbose: false };
        if gnbv::cmd::template::run(&args, &global).is_err() {
            panic!("gnbv template failed");
        }
        for unit in demo::UNITS {
            let template = templates.join(format!("mau_{}_{period}.xlsx", unit.code));
            let filled = demo::fill(&template, unit, june);
            let target = root.join("input").join(period).join(format!("{}.xlsx", unit.code));
            filled.save(&target);
            println!("{}", target.display());
        }
    }
}
