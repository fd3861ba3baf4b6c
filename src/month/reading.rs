//! Reading: every discovered workbook read on its own thread into a
//! [`UnitReport`], then put in file-name order, so that nothing downstream
//! depends on thread timing and the same inputs give the same bytes out.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::domain::Period;
use crate::finding::{Finding, Rule};
use crate::read::{self, UnitReport};

/// Reads every file in parallel; the result is in file-name order.
pub fn read_all(paths: &[PathBuf], input: &Path, config: &Config, progress: &(dyn Fn() + Sync)) -> Vec<UnitReport> {
    let mut reports: Vec<UnitReport> = paths
        .par_iter()
        .map(|path| {
            let report = match read::load_file(path, input, config.settings.limits.max_file_bytes()) {
                Ok((file, bytes)) => read::read_workbook(file, bytes, config),
                Err(e) => {
                    let mut r = UnitReport::new(read::SourceFile::unread(path, input));
                    r.add(Finding::new(Rule::FileUnreadable, format!("Không mở được tệp: {e}.")));
                    r
                }
            };
            progress();
            report
        })
        .collect();
    reports.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    reports
}

/// The period a report is for: the one its folder or file name names (what
/// it was sent for), else the one written in it.
pub fn period_of(report: &UnitReport) -> Option<Period> {
    report.file.period_hint.or(report.identity.period)
}
