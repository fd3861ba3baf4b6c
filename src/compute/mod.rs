//! Computing: the accepted units' figures in, every total, rate and
//! assessment out (SPEC §5).
//!
//! Units arrive as [`UnitFigures`], whether read this month or read back from
//! an earlier period's tidy data, so one code path aggregates both.

pub mod capital;
pub mod frames;
pub mod history;
pub mod indicators;

use std::collections::BTreeMap;

pub use capital::{CapitalTable, Figures, ProjectKey, SourceKey, UnitKey};
pub use indicators::{IndicatorTable, IndicatorValue, Status};

use crate::config::{Catalogue, Config};
use crate::domain::{Dong, IndicatorCode, IndicatorField, MoneyField, Period, ProjectCode, SourceCode, UnitCode};
use frames::{TidyRow, TidyValue};
use history::History;

/// One unit's figures for a period, as aggregation needs them.
#[derive(Debug, Clone, Default)]
pub struct UnitFigures {
    /// The unit the figures count for.
    pub unit: UnitCode,
    /// Money figures of leaf projects (or parents reported alone).
    pub capital: Vec<(ProjectCode, SourceCode, MoneyField, Dong)>,
    /// Whether the month's disbursement was reported.
    pub month_reported: bool,
    /// Indicator values.
    pub indicators: Vec<(IndicatorCode, IndicatorField, f64)>,
}

/// Groups tidy rows back into units.
pub fn figures_from_rows(rows: &[TidyRow]) -> Vec<UnitFigures> {
    let mut by_unit: BTreeMap<(UnitCode, UnitCode), UnitFigures> = BTreeMap::new();
    for row in rows {
        let f = by_unit.entry((row.unit.clone(), row.reported_by.clone())).or_insert_with(|| UnitFigures {
            unit: row.unit.clone(),
            month_reported: row.month_reported,
            ..UnitFigures::default()
        });
        match &row.value {
            TidyValue::Money { project, source, field, value } => {
                f.capital.push((project.clone(), source.clone(), *field, *value));
            }
            TidyValue::Indicator { code, field, value } => f.indicators.push((code.clone(), *field, *value)),
        }
    }
    by_unit.into_values().collect()
}

/// The month's consolidated figures, with history where it exists.
#[derive(Debug, Clone)]
pub struct Consolidation {
    /// The period.
    pub period: Period,
    /// Capital by unit × project × source.
    pub capital: CapitalTable,
    /// Indicators by unit.
    pub indicators: IndicatorTable,
    /// Last month's capital table (same year), for month-over-month change.
    pub last_month: Option<(Period, CapitalTable)>,
    /// The same month of last year.
    pub last_year: Option<CapitalTable>,
    /// The year's monthly totals so far (all units, projects and sources).
    pub curve: Vec<(Period, Figures)>,
}

impl Consolidation {
    /// Aggregates this period's units, and earlier periods from history.
    ///
    /// `units` give the indicators; `money` the same units with their money
    /// figures (which may be made one unit at a time, so that they are never
    /// all held at once).
    pub fn compute<U: std::borrow::Borrow<UnitFigures>>(
        period: Period,
        units: &[UnitFigures],
        money: impl IntoIterator<Item = U> + Send,
        config: &Config,
        catalogue: &Catalogue,
        history: &History,
    ) -> Self {
        let (capital, indicators) = rayon::join(
            || CapitalTable::build(money, catalogue, &config.sources),
            || IndicatorTable::build(units, &config.indicators),
        );
        let table_of = |rows: &[TidyRow], year: i32| {
            let cat = config.catalogue_for(year).unwrap_or(catalogue);
            CapitalTable::build(figures_from_rows(rows), cat, &config.sources)
        };
        let last_month = history.last_month(period).map(|(p, rows)| (p, table_of(rows, p.year())));
        let last_year = history.last_year(period).map(|rows| table_of(rows, period.year() - 1));
        let mut curve: Vec<(Period, Figures)> = history
            .periods
            .iter()
            .filter(|(p, _)| p.year() == period.year() && **p < period)
            .map(|(p, rows)| (*p, table_of(rows, p.year()).total()))
            .collect();
        curve.push((period, capital.total()));
        Self { period, capital, indicators, last_month, last_year, curve }
    }
}
