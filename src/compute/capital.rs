//! Capital figures for every unit, project and source, and every total
//! (SPEC §5).
//!
//! Each unit contributes its leaf figures; parents are the sums of their
//! children, "all sources" the sum of the sources (carried-over funds
//! included), "current year" the sum without carried-over funds, and the
//! total unit the sum of the units. Rates are computed once, from these sums.

use std::collections::BTreeMap;

use serde::Serialize;

use super::UnitFigures;
use crate::config::{Catalogue, Sources};
use crate::domain::{Dong, MoneyField, ProjectCode, SourceCode, UnitCode};

/// A unit, or the total of all units.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum UnitKey {
    /// All units.
    Total,
    /// One unit.
    Unit(UnitCode),
}

/// A project, or all projects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ProjectKey {
    /// All projects.
    Total,
    /// One project or sub-project.
    Project(ProjectCode),
}

/// A source, or a group of sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SourceKey {
    /// All sources, carried-over funds included.
    Total,
    /// This year's funds: every source that is not carried over.
    CurrentYear,
    /// One source.
    Source(SourceCode),
}

/// The money figures of one cell of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Figures {
    /// Allocated for the year.
    pub allocated: Dong,
    /// Disbursed in the month; `None` when a contributing unit did not report it.
    pub disbursed_month: Option<Dong>,
    /// Disbursed since 1 January.
    pub disbursed_cumulative: Dong,
}

impl Figures {
    /// Zero everywhere, with the month known to be zero.
    pub const ZERO: Figures =
        Figures { allocated: Dong::ZERO, disbursed_month: Some(Dong::ZERO), disbursed_cumulative: Dong::ZERO };

    /// Allocated minus cumulative disbursed.
    pub fn remaining(&self) -> Dong {
        self.allocated - self.disbursed_cumulative
    }

    /// Cumulative / allocated; `None` when nothing is allocated (never a
    /// division by zero, never NaN).
    pub fn rate(&self) -> Option<f64> {
        (self.allocated.0 > 0).then(|| self.disbursed_cumulative.0 as f64 / self.allocated.0 as f64)
    }

    /// Adds another cell's figures; an unknown month stays unknown.
    pub fn add(&mut self, other: &Figures) {
        self.allocated += other.allocated;
        self.disbursed_cumulative += other.disbursed_cumulative;
        self.disbursed_month = match (self.disbursed_month, other.disbursed_month) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }

    /// The value of one field (an unknown month is `None`).
    pub fn get(&self, field: MoneyField) -> Option<Dong> {
        match field {
            MoneyField::Allocated => Some(self.allocated),
            MoneyField::DisbursedMonth => self.disbursed_month,
            MoneyField::DisbursedCumulative => Some(self.disbursed_cumulative),
        }
    }

    /// True when every figure is zero.
    pub fn is_zero(&self) -> bool {
        self.allocated == Dong::ZERO
            && self.disbursed_cumulative == Dong::ZERO
            && self.disbursed_month.is_none_or(|m| m == Dong::ZERO)
    }
}

/// Every figure by (unit, project, source), totals included.
///
/// Stored densely per unit (projects × sources), so adding up ten thousand
/// units is a few vector additions, and lookups are by position.
#[derive(Debug, Clone)]
pub struct CapitalTable {
    projects: Vec<ProjectKey>,
    project_index: BTreeMap<ProjectCode, usize>,
    parents: Vec<Option<usize>>,
    sources: Vec<SourceKey>,
    source_index: BTreeMap<SourceCode, usize>,
    carried: Vec<bool>,
    units: BTreeMap<UnitCode, Vec<Figures>>,
    total: Vec<Figures>,
}

impl CapitalTable {
    /// Builds the table from each unit's leaf figures.
    pub fn build<U: std::borrow::Borrow<UnitFigures>>(
        units: impl IntoIterator<Item = U>,
        catalogue: &Catalogue,
        sources: &Sources,
    ) -> Self {
        let mut projects = vec![ProjectKey::Total];
        let mut project_index = BTreeMap::new();
        for p in &catalogue.projects {
            project_index.insert(p.code.clone(), projects.len());
            projects.push(ProjectKey::Project(p.code.clone()));
        }
        let parents: Vec<Option<usize>> = projects
            .iter()
            .map(|k| match k {
                ProjectKey::Total => None,
                ProjectKey::Project(code) => catalogue
                    .get(code)
                    .and_then(|p| p.parent.as_ref())
                    .and_then(|parent| project_index.get(parent).copied()),
            })
            .collect();
        let source_keys = source_keys_all(sources);
        let source_index: BTreeMap<SourceCode, usize> =
            sources.list.iter().enumerate().map(|(i, s)| (s.code.clone(), i)).collect();
        let carried: Vec<bool> = sources.list.iter().map(|s| s.carried_over).collect();
        let mut table = Self {
            total: vec![Figures::ZERO; projects.len() * source_keys.len()],
            projects,
            project_index,
            parents,
            sources: source_keys,
            source_index,
            carried,
            units: BTreeMap::new(),
        };
        for unit in units {
            let unit = unit.borrow();
            let cells = table.unit_cells(unit);
            let target = table.units.entry(unit.unit.clone()).or_insert_with(|| vec![Figures::ZERO; cells.len()]);
            for (t, c) in target.iter_mut().zip(&cells) {
                t.add(c);
            }
            for (t, c) in table.total.iter_mut().zip(&cells) {
                t.add(c);
            }
        }
        table
    }

    fn width(&self) -> usize {
        self.sources.len()
    }

    /// One unit's cells: its leaves rolled up to parents, all projects and
    /// source groups. A unit without the month column has an unknown month
    /// everywhere, so totals never look smaller than they are.
    fn unit_cells(&self, unit: &UnitFigures) -> Vec<Figures> {
        let width = self.width();
        let (current, all) = (width - 2, width - 1);
        let month = unit.month_reported.then_some(Dong::ZERO);
        let mut cells = vec![Figures { disbursed_month: month, ..Figures::ZERO }; self.projects.len() * width];
        for (project, source, field, value) in &unit.capital {
            let (Some(&p), Some(&s)) = (self.project_index.get(project), self.source_index.get(source)) else {
                continue;
            };
            // The project, the total and its parent; the source, all sources
            // and (unless carried over) the current year's: no allocation per
            // figure, of which a national run adds up two million.
            let rows = [Some(p), Some(0), self.parents[p]];
            let cols = [Some(s), Some(all), (!self.carried[s]).then_some(current)];
            for r in rows.into_iter().flatten() {
                for c in cols.into_iter().flatten() {
                    let cell = &mut cells[r * width + c];
                    match field {
                        MoneyField::Allocated => cell.allocated += *value,
                        MoneyField::DisbursedMonth => cell.disbursed_month = cell.disbursed_month.map(|m| m + *value),
                        MoneyField::DisbursedCumulative => cell.disbursed_cumulative += *value,
                    }
                }
            }
        }
        cells
    }

    fn position(&self, project: &ProjectKey, source: &SourceKey) -> Option<usize> {
        let p = match project {
            ProjectKey::Total => 0,
            ProjectKey::Project(code) => *self.project_index.get(code)?,
        };
        let width = self.width();
        let s = match source {
            SourceKey::Total => width - 1,
            SourceKey::CurrentYear => width - 2,
            SourceKey::Source(code) => *self.source_index.get(code)?,
        };
        Some(p * width + s)
    }

    /// The figures of one cell (zero when nobody contributed).
    pub fn get(&self, unit: &UnitKey, project: &ProjectKey, source: &SourceKey) -> Figures {
        let Some(i) = self.position(project, source) else { return Figures::ZERO };
        match unit {
            UnitKey::Total => self.total[i],
            UnitKey::Unit(code) => self.units.get(code).map_or(Figures::ZERO, |cells| cells[i]),
        }
    }

    /// The grand total.
    pub fn total(&self) -> Figures {
        self.get(&UnitKey::Total, &ProjectKey::Total, &SourceKey::Total)
    }

    /// True when every figure is a whole number of `unit` (so reports can
    /// print money without decimals and hide nothing).
    pub fn all_whole(&self, unit: crate::domain::MoneyUnit) -> bool {
        let size = unit.dong_per_unit();
        let whole = |f: &Figures| {
            f.allocated.0 % size == 0
                && f.disbursed_cumulative.0 % size == 0
                && f.disbursed_month.is_none_or(|m| m.0 % size == 0)
        };
        self.total.iter().all(whole) && self.units.values().flatten().all(whole)
    }

    /// Units present in the table, in code order.
    pub fn units(&self) -> impl Iterator<Item = &UnitCode> {
        self.units.keys()
    }

    /// True when the unit contributed to the table.
    pub fn has_unit(&self, unit: &UnitCode) -> bool {
        self.units.contains_key(unit)
    }

    /// Project keys: all projects first, then catalogue order.
    pub fn project_keys(&self) -> &[ProjectKey] {
        &self.projects
    }

    /// Source keys: each source, this year's, all.
    pub fn source_keys(&self) -> &[SourceKey] {
        &self.sources
    }
}

/// Every source key: each source, this year's, and all.
pub fn source_keys_all(sources: &Sources) -> Vec<SourceKey> {
    let mut keys: Vec<SourceKey> = sources.list.iter().map(|s| SourceKey::Source(s.code.clone())).collect();
    keys.push(SourceKey::CurrentYear);
    keys.push(SourceKey::Total);
    keys
}
