//! The carrying of merged units: since the 2025 reform, the figures of a
//! commune that closed during the year go on counting in its successor's.

use crate::compute::UnitFigures;
use crate::compute::frames::{TidyRow, TidyValue};
use crate::config::Config;
use crate::domain::UnitCode;

use super::Month;

/// Since the 2025 reform, a commune that closed hands its figures to its
/// successor: for every period after the closing, the successor's year-to-date
/// figures include the closed units' last reported cumulative figures
/// (allocation, cumulative disbursement, cumulative results of flow
/// indicators), so the year stays whole. The successor is taken to report
/// only its own figures since it opened. A closed unit that still sent a
/// workbook for the period is counted from that workbook instead.
pub fn carry_predecessors(month: &mut Month, history: &crate::compute::history::History, config: &Config) {
    let period = month.period;
    let reported_now: std::collections::BTreeSet<UnitCode> =
        month.tidy_sources.iter().filter_map(|(i, _)| month.reports[*i].identity.unit.clone()).collect();
    for unit in config.units.units.iter().filter(|u| u.is_expected(period)) {
        for predecessor in config.units.predecessors(&unit.code) {
            let closed_this_year = predecessor
                .closed
                .is_some_and(|d| chrono::Datelike::year(&d) == period.year() && d <= period.last_day());
            if !closed_this_year || reported_now.contains(&predecessor.code) {
                continue;
            }
            // The latest earlier period of the year in which the closed unit has figures.
            let Some(rows) = history
                .periods
                .range(..period)
                .rev()
                .filter(|(p, _)| p.year() == period.year())
                .map(|(_, rows)| rows.iter().filter(|r| r.reported_by == predecessor.code).collect::<Vec<_>>())
                .find(|rows| !rows.is_empty())
            else {
                continue;
            };
            let carried: Vec<TidyRow> = rows
                .into_iter()
                .filter(|r| match &r.value {
                    TidyValue::Money { field, .. } => *field != crate::domain::MoneyField::DisbursedMonth,
                    TidyValue::Indicator { code, field, .. } => {
                        *field == crate::domain::IndicatorField::Achieved
                            && config
                                .indicators
                                .get(code)
                                .is_some_and(|i| i.kind == crate::config::indicators::Kind::Flow && !i.is_derived())
                    }
                })
                .map(|r| TidyRow { period, unit: unit.code.clone(), month_reported: true, ..r.clone() })
                .collect();
            if carried.is_empty() {
                continue;
            }
            month.figures.push(figures_of_rows(&unit.code, true, &carried));
            month.carried.extend(carried);
        }
    }
}

/// Figures from tidy rows (of an earlier period, carried to a successor).
fn figures_of_rows(holder: &UnitCode, month_reported: bool, rows: &[TidyRow]) -> UnitFigures {
    let mut figures = UnitFigures { unit: holder.clone(), month_reported, ..UnitFigures::default() };
    for row in rows {
        match &row.value {
            TidyValue::Money { project, source, field, value } => {
                figures.capital.push((project.clone(), source.clone(), *field, *value));
            }
            TidyValue::Indicator { code, field, value } => figures.indicators.push((code.clone(), *field, *value)),
        }
    }
    figures
}
