//! Which periods a run reports on when the command line does not say.

use std::path::Path;

use crate::domain::Period;
use crate::output;
use crate::read::UnitReport;

/// Without `--period`: the latest period any workbook is for, preceded by the
/// earlier periods of the same year that have workbooks but no report yet.
/// A period after the current month is a typo in a workbook, never a month
/// to report on.
pub fn automatic_periods(reports: &[UnitReport], output: &Path, today: chrono::NaiveDate) -> Vec<Period> {
    let now = Period::of_date(today);
    let found: std::collections::BTreeSet<Period> =
        reports.iter().filter_map(super::period_of).filter(|p| *p <= now).collect();
    let Some(&latest) = found.iter().next_back() else { return Vec::new() };
    let mut periods: Vec<Period> = found
        .iter()
        .copied()
        .filter(|p| p.year() == latest.year() && *p < latest)
        .filter(|p| !output.join(p.to_string()).join(output::report_file_name(*p)).exists())
        .collect();
    periods.push(latest);
    periods
}
