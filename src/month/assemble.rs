//! Assembling the month from every workbook read: the period's own
//! workbooks are checked, one per unit is chosen, the figures of the used
//! ones are taken, and every registered unit gets its status.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::choice::{self, Choice};
use super::statuses::{self, OtherPeriods};
use super::{Month, period_of};
use crate::assembled::unit_figures;
use crate::check::{self, Previous};
use crate::compute::UnitFigures;
use crate::config::Config;
use crate::domain::{Period, UnitCode};
use crate::finding::Finding;
use crate::read::UnitReport;
use crate::read::official::Decisions;

/// Assembles the month from every report read: picks the period's reports,
/// checks them, keeps the latest per unit, and lists the missing units.
pub fn assemble(
    all: Vec<UnitReport>,
    period: Period,
    config: &Config,
    previous: &Previous,
    decisions: &Decisions,
) -> Month {
    let (mut reports, other_periods, other_period_units) = of_period(all, period);
    reports.par_iter_mut().for_each(|r| {
        check::check_report(r, config, period, previous, decisions);
        // Checksums are verified now; at national scale they would be the
        // largest part of what stays in memory until the outputs are written.
        r.checksums = Vec::new();
    });
    let choice = choice::one_per_unit(&mut reports, period);
    choice::copied_workbooks(&mut reports, &choice.chosen, config);
    let used = used_workbooks(&reports, &choice, period, config, decisions);
    let (statuses, missing_findings) = statuses::unit_statuses(&reports, &choice, &other_period_units, period, config);

    let mut findings: Vec<Finding> = reports.iter().flat_map(|r| r.findings.iter().cloned()).collect();
    findings.extend(missing_findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Month {
        period,
        statuses,
        reports,
        used: used.indices,
        unidentified: choice.unidentified,
        findings,
        figures: used.figures,
        tidy_sources: used.tidy_sources,
        notes: used.notes,
        other_periods,
        layouts: used.layouts,
        decisions: decisions.clone(),
        carried: Vec::new(),
    }
}

/// The workbooks of `period` (in their order), and how many files of other
/// periods were found, in all and by unit.
fn of_period(all: Vec<UnitReport>, period: Period) -> (Vec<UnitReport>, BTreeMap<Period, usize>, OtherPeriods) {
    let mut other_periods: BTreeMap<Period, usize> = BTreeMap::new();
    let mut other_period_units: OtherPeriods = BTreeMap::new();
    let mut reports: Vec<UnitReport> = Vec::new();
    for report in all {
        match period_of(&report) {
            Some(p) if p != period => {
                *other_periods.entry(p).or_default() += 1;
                if let Some(u) = &report.identity.unit {
                    other_period_units.entry(u.clone()).or_default().push((p, report.file.name.clone()));
                }
            }
            _ => reports.push(report),
        }
    }
    (reports, other_periods, other_period_units)
}

/// What the used (chosen, not rejected) workbooks give the month.
struct Used {
    indices: Vec<usize>,
    figures: Vec<UnitFigures>,
    tidy_sources: Vec<(usize, UnitCode)>,
    notes: Vec<(UnitCode, crate::read::Note)>,
    layouts: BTreeMap<UnitCode, usize>,
}

/// Figures, tidy rows and notes of the used workbooks.
fn used_workbooks(
    reports: &[UnitReport],
    choice: &Choice,
    period: Period,
    config: &Config,
    decisions: &Decisions,
) -> Used {
    let mut used = Vec::new();
    let mut figures = Vec::new();
    let mut tidy_sources = Vec::new();
    let mut notes = Vec::new();
    let mut layouts = BTreeMap::new();
    for (unit, &i) in &choice.chosen {
        let r = &reports[i];
        if r.is_rejected() {
            continue;
        }
        used.push(i);
        let holder = config.units.current_holder(unit, period);
        figures.push(unit_figures(r, &holder, decisions));
        tidy_sources.push((i, holder));
        notes.extend(r.notes.iter().map(|n| (unit.clone(), n.clone())));
        layouts.insert(unit.clone(), i);
    }
    used.sort_unstable();
    Used { indices: used, figures, tidy_sources, notes, layouts }
}
