//! Targets against results for every unit and the total (SPEC §5).
//!
//! Reported counts add up; a derived indicator is always its formula applied
//! to the aggregated reported figures — the poverty rate of a district is its
//! poor households over its households, never the average of its communes'
//! rates. Units' targets add up for counts and are weighted by the configured
//! indicator (households, labour force) for rates.

use std::collections::BTreeMap;

use serde::Serialize;

use super::UnitFigures;
use super::capital::UnitKey;
use crate::config::Indicators;
use crate::config::indicators::{Better, Measure};
use crate::domain::{IndicatorCode, IndicatorField, UnitCode};

/// Whether a target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Chưa đạt: not (yet) met.
    #[serde(rename = "chua_dat")]
    NotMet,
    /// Đạt: met exactly.
    #[serde(rename = "dat")]
    Met,
    /// Vượt: exceeded.
    #[serde(rename = "vuot")]
    Exceeded,
}

impl Status {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotMet => "Chưa đạt",
            Status::Met => "Đạt",
            Status::Exceeded => "Vượt",
        }
    }

    /// The code used in `summary.json`.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotMet => "chua_dat",
            Status::Met => "dat",
            Status::Exceeded => "vuot",
        }
    }
}

/// One indicator for one unit (or the total).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct IndicatorValue {
    /// The yearly target; `None` when none was set.
    pub target: Option<f64>,
    /// Achieved in the month.
    pub month: Option<f64>,
    /// Achieved so far (a stock's value at the end of the period).
    pub achieved: Option<f64>,
    /// Achieved against target, as a ratio.
    pub achievement: Option<f64>,
    /// Met, exceeded or not yet.
    pub status: Option<Status>,
}

/// Relative tolerance under which achievement counts as exactly met.
const MET_TOLERANCE: f64 = 1e-6;

/// Half of 0.01 percentage point: rates equal at two printed decimals.
const RATE_TOLERANCE: f64 = 0.000_05;

/// Achievement and status for a target and an achieved value (SPEC §5):
/// achieved / target where more is better, target / achieved where less is
/// better, nothing for context figures or without a target.
///
/// Rates and points that print the same with two decimals of a percent
/// (12.83% planned, 12.827% achieved) count as met.
pub fn assess(
    better: Better,
    measure: Measure,
    target: Option<f64>,
    achieved: Option<f64>,
) -> (Option<f64>, Option<Status>) {
    let (Some(target), Some(achieved)) = (target, achieved) else { return (None, None) };
    if better != Better::Context && measure != Measure::Count && (achieved - target).abs() < RATE_TOLERANCE {
        let ratio = match better {
            Better::Lower if achieved > 0.0 => Some(target / achieved),
            Better::Higher if target > 0.0 => Some(achieved / target),
            _ => None,
        };
        return (ratio, Some(Status::Met));
    }
    let status_of = |ratio: f64| {
        if (ratio - 1.0).abs() <= MET_TOLERANCE {
            Status::Met
        } else if ratio > 1.0 {
            Status::Exceeded
        } else {
            Status::NotMet
        }
    };
    match better {
        Better::Context => (None, None),
        Better::Higher => {
            if target > 0.0 {
                let ratio = achieved / target;
                (Some(ratio), Some(status_of(ratio)))
            } else if target == 0.0 {
                (None, Some(if achieved > 0.0 { Status::Exceeded } else { Status::Met }))
            } else {
                (None, None)
            }
        }
        Better::Lower => {
            if achieved > 0.0 && target >= 0.0 {
                let ratio = target / achieved;
                (Some(ratio), Some(status_of(ratio)))
            } else if achieved <= 0.0 && target >= 0.0 {
                // Nothing left where less is better: the target is met, or beaten.
                (None, Some(if target > 0.0 || achieved < 0.0 { Status::Exceeded } else { Status::Met }))
            } else {
                (None, None)
            }
        }
    }
}

/// Every indicator by unit, and the total.
#[derive(Debug, Clone, Default)]
pub struct IndicatorTable {
    cells: BTreeMap<(UnitKey, IndicatorCode), IndicatorValue>,
}

impl IndicatorTable {
    /// Builds the table from the units' reported values.
    pub fn build(units: &[UnitFigures], indicators: &Indicators) -> Self {
        let mut cells = BTreeMap::new();
        // Per unit: its own reported values (first occurrence), then derived.
        let mut per_unit: BTreeMap<UnitCode, BTreeMap<IndicatorCode, [Option<f64>; 3]>> = BTreeMap::new();
        for unit in units {
            let entry = per_unit.entry(unit.unit.clone()).or_default();
            for (code, field, value) in &unit.indicators {
                let slot = &mut entry.entry(code.clone()).or_default()[*field as usize];
                // A second workbook folded into the same unit (a merged
                // commune) adds its counts.
                *slot = Some(slot.unwrap_or(0.0) + value);
            }
        }
        let mut totals: BTreeMap<IndicatorCode, [Option<f64>; 3]> = BTreeMap::new();
        let mut weighted_targets: BTreeMap<IndicatorCode, (f64, f64)> = BTreeMap::new();
        // Units with a value but no target: the total then has no target,
        // since a target summed over some units says nothing about all of them.
        let mut untargeted: std::collections::BTreeSet<IndicatorCode> = std::collections::BTreeSet::new();
        for (unit, values) in &per_unit {
            let computed = evaluate(values, indicators);
            for ind in &indicators.list {
                let raw = values.get(&ind.code).copied().unwrap_or_default();
                let achieved = if ind.is_derived() { computed.get(&ind.code).copied() } else { raw[2] };
                let value = finish(ind, raw[0], if ind.is_derived() { None } else { raw[1] }, achieved);
                if achieved.is_some() && raw[0].is_none() {
                    untargeted.insert(ind.code.clone());
                }
                if value.target.is_some() || value.achieved.is_some() || value.month.is_some() {
                    cells.insert((UnitKey::Unit(unit.clone()), ind.code.clone()), value);
                }
                // Totals of reported counts; weighted sums of rate targets.
                let total = totals.entry(ind.code.clone()).or_default();
                if !ind.is_derived() && ind.measure == Measure::Count {
                    for i in 0..3 {
                        if let Some(v) = raw[i] {
                            total[i] = Some(total[i].unwrap_or(0.0) + v);
                        }
                    }
                } else if ind.measure == Measure::Count
                    && let Some(t) = raw[0]
                {
                    total[0] = Some(total[0].unwrap_or(0.0) + t);
                }
                if let (Some(t), Some(weight_code)) = (raw[0], &ind.target_weight) {
                    let weight = values.get(weight_code).and_then(|v| v[2]);
                    if let Some(w) = weight.filter(|w| *w > 0.0) {
                        let e = weighted_targets.entry(ind.code.clone()).or_insert((0.0, 0.0));
                        e.0 += t * w;
                        e.1 += w;
                    }
                }
            }
        }
        if !per_unit.is_empty() {
            let computed = evaluate(&totals, indicators);
            for ind in &indicators.list {
                let raw = totals.get(&ind.code).copied().unwrap_or_default();
                let target = match (&ind.target_weight, ind.measure) {
                    _ if untargeted.contains(&ind.code) => None,
                    (Some(_), _) => weighted_targets.get(&ind.code).map(|(tw, w)| tw / w),
                    (None, Measure::Count) => raw[0],
                    (None, _) => None,
                };
                let achieved = if ind.is_derived() { computed.get(&ind.code).copied() } else { raw[2] };
                let month = if ind.is_derived() { None } else { raw[1] };
                cells.insert((UnitKey::Total, ind.code.clone()), finish(ind, target, month, achieved));
            }
        }
        Self { cells }
    }

    /// One unit's value of an indicator (empty when not reported).
    pub fn get(&self, unit: &UnitKey, code: &IndicatorCode) -> IndicatorValue {
        self.cells.get(&(unit.clone(), code.clone())).copied().unwrap_or_default()
    }

    /// Every cell in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&(UnitKey, IndicatorCode), &IndicatorValue)> {
        self.cells.iter()
    }
}

fn finish(
    ind: &crate::config::Indicator,
    target: Option<f64>,
    month: Option<f64>,
    achieved: Option<f64>,
) -> IndicatorValue {
    let (achievement, status) = assess(ind.better, ind.measure, target, achieved);
    IndicatorValue { target, month, achieved, achievement, status }
}

/// Derived indicators' achieved values from reported ones, in formula order.
fn evaluate(
    values: &BTreeMap<IndicatorCode, [Option<f64>; 3]>,
    indicators: &Indicators,
) -> BTreeMap<IndicatorCode, f64> {
    let mut known: BTreeMap<IndicatorCode, f64> = values
        .iter()
        .filter(|(code, _)| indicators.get(code).is_some_and(|i| !i.is_derived()))
        .filter_map(|(code, v)| v[IndicatorField::Achieved as usize].map(|a| (code.clone(), a)))
        .collect();
    for ind in indicators.derived_in_order() {
        if let Some(value) = ind.formula.as_ref().and_then(|f| f.eval(&|c| indicators.operand(c, &known))) {
            known.insert(ind.code.clone(), value);
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn achievement_directions() {
        assert_eq!(assess(Better::Higher, Measure::Count, Some(100.0), Some(50.0)), (Some(0.5), Some(Status::NotMet)));
        assert_eq!(assess(Better::Higher, Measure::Count, Some(100.0), Some(100.0)), (Some(1.0), Some(Status::Met)));
        assert_eq!(assess(Better::Higher, Measure::Count, Some(100.0), Some(120.0)).1, Some(Status::Exceeded));
        // Less is better: a 12.83% target with 12% achieved is beaten.
        let (ratio, status) = assess(Better::Lower, Measure::Rate, Some(0.1283), Some(0.12));
        assert!((ratio.unwrap() - 0.1283 / 0.12).abs() < 1e-12);
        assert_eq!(status, Some(Status::Exceeded));
        assert_eq!(assess(Better::Lower, Measure::Rate, Some(0.1283), Some(0.14)).1, Some(Status::NotMet));
        // 12.827% against 12.83% prints the same: met, not exceeded.
        assert_eq!(assess(Better::Lower, Measure::Rate, Some(0.1283), Some(1411.0 / 11000.0)).1, Some(Status::Met));
        assert_eq!(assess(Better::Lower, Measure::Count, Some(5.0), Some(0.0)), (None, Some(Status::Exceeded)));
        assert_eq!(assess(Better::Context, Measure::Count, Some(1.0), Some(1.0)), (None, None));
        assert_eq!(assess(Better::Higher, Measure::Count, None, Some(1.0)), (None, None));
        assert_eq!(assess(Better::Higher, Measure::Count, Some(0.0), Some(0.0)), (None, Some(Status::Met)));
    }
}
