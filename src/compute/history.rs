//! Earlier periods, read back from their tidy data: last month's figures for
//! month-over-month change and the "cumulative never goes backwards" rule,
//! the same month of last year, and the year's monthly disbursement curve.

use std::collections::BTreeMap;
use std::path::Path;

use super::frames::{TidyRow, TidyValue, read_parquet};
use crate::check::Previous;
use crate::domain::{IndicatorField, MoneyField, Period};

/// Tidy data of earlier periods, by period.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Rows of each period found.
    pub periods: BTreeMap<Period, Vec<TidyRow>>,
    /// Files that exist but could not be read (said in the run log).
    pub unreadable: Vec<String>,
    /// Each unit's workbook layout, by period.
    pub layouts: BTreeMap<Period, BTreeMap<crate::domain::UnitCode, Vec<String>>>,
}

impl History {
    /// Loads the periods before `period` in its year, and the same month of
    /// the year before, from `<output>/<YYYY-MM>/<tidy file>`.
    pub fn load(output: &Path, period: Period) -> Self {
        let mut history = History::default();
        let mut wanted: Vec<Period> = Vec::new();
        let mut p = period.prev();
        while p.year() == period.year() {
            wanted.push(p);
            p = p.prev();
        }
        wanted.push(period.year_before());
        for p in wanted {
            let path = output.join(p.to_string()).join(crate::output::tidy_file_name(p));
            if !path.exists() {
                continue;
            }
            let layout_path = output.join(p.to_string()).join(crate::output::layout_file_name(p));
            if let Some(layouts) =
                std::fs::read_to_string(&layout_path).ok().and_then(|t| serde_json::from_str(&t).ok())
            {
                history.layouts.insert(p, layouts);
            }
            match read_parquet(&path) {
                Ok(rows) => {
                    history.periods.insert(p, rows);
                }
                Err(e) => history.unreadable.push(format!("{}: {e}", path.display())),
            }
        }
        history
    }

    /// The latest earlier period of the same year, with its rows.
    pub fn last_month(&self, period: Period) -> Option<(Period, &[TidyRow])> {
        self.periods
            .range(..period)
            .next_back()
            .filter(|(p, _)| p.year() == period.year())
            .map(|(p, rows)| (*p, rows.as_slice()))
    }

    /// The same month a year earlier.
    pub fn last_year(&self, period: Period) -> Option<&[TidyRow]> {
        self.periods.get(&period.year_before()).map(Vec::as_slice)
    }

    /// Last month's cumulative figures, for the check layer.
    pub fn previous(&self, period: Period) -> Previous {
        let Some((prev, rows)) = self.last_month(period) else { return Previous::default() };
        let mut out = Previous {
            period: Some(prev),
            layouts: self.layouts.get(&prev).cloned().unwrap_or_default(),
            ..Previous::default()
        };
        for row in rows {
            match &row.value {
                TidyValue::Money { project, source, field: MoneyField::DisbursedCumulative, value } => {
                    *out.capital.entry((row.unit.clone(), project.clone(), source.clone())).or_default() += *value;
                }
                TidyValue::Indicator { code, field: IndicatorField::Achieved, value } => {
                    *out.indicators.entry((row.unit.clone(), code.clone())).or_default() += value;
                }
                _ => {}
            }
        }
        out
    }
}
