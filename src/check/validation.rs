//! The validation rules of `config/rules.toml` applied to one unit's figures.
//!
//! Each side of a rule is evaluated over the unit's own figures (derived
//! indicators computed from them, as the report does); a violation names the
//! value and the cells of both sides, so the clerk sees what to correct.

use std::collections::BTreeMap;

use super::{Finding, Rule, Severity};
use crate::config::Config;
use crate::config::formula::Expr;
use crate::config::indicators::Measure;
use crate::config::rules::{Name, indicator_name, money_name, name_of};
use crate::domain::{CellRef, IndicatorCode, IndicatorField, MoneyField};
use crate::read::UnitReport;

/// A value a rule can name, with the cells it comes from.
#[derive(Debug, Clone, Default)]
struct Known {
    value: f64,
    cells: Vec<CellRef>,
}

/// The unit's values by rule name (`HN_THOAT`, `HN_THOAT.thang`, `VON.KH`).
fn known_values(report: &UnitReport, config: &Config) -> BTreeMap<String, Known> {
    let mut known: BTreeMap<String, Known> = BTreeMap::new();
    // Achieved values of reported indicators, for the derived ones' formulas.
    let mut plain: BTreeMap<IndicatorCode, f64> = BTreeMap::new();
    for f in &report.indicators {
        let Some(ind) = config.indicators.get(&f.code) else { continue };
        if ind.is_derived() && f.field == IndicatorField::Achieved {
            continue; // computed below from its inputs, as the report does
        }
        if f.field == IndicatorField::Achieved {
            plain.insert(f.code.clone(), f.value);
        }
        known.insert(indicator_name(f.code.as_str(), f.field), Known { value: f.value, cells: vec![f.cell] });
    }
    for ind in config.indicators.derived_in_order() {
        let Some(formula) = &ind.formula else { continue };
        let Some(value) = formula.eval(&|c| config.indicators.operand(c, &plain)) else { continue };
        plain.insert(ind.code.clone(), value);
        let mut cells: Vec<CellRef> =
            formula.references().iter().filter_map(|r| known.get(r.as_str())).flat_map(|k| k.cells.clone()).collect();
        cells.sort();
        cells.dedup();
        known.insert(ind.code.to_string(), Known { value, cells });
    }
    for field in MoneyField::ALL {
        let mut figures = report.capital.iter().filter(|f| f.field == field).peekable();
        if figures.peek().is_none() {
            continue;
        }
        let dong: i128 = figures.map(|f| i128::from(f.value.0)).sum();
        #[allow(clippy::cast_precision_loss)]
        let value = dong as f64 / 1_000_000.0;
        known.insert(money_name(field).to_string(), Known { value, cells: Vec::new() });
    }
    known
}

/// Applies every validation rule to `report`.
pub(super) fn validation_rules(report: &mut UnitReport, config: &Config) {
    if config.rules.is_empty() || report.is_rejected() {
        return;
    }
    let known = known_values(report, config);
    let sheet = report.indicator_sheet.clone().unwrap_or_default();
    let mut found = Vec::new();
    for rule in &config.rules {
        for (left, right) in &rule.instances {
            let value = |e: &Expr| e.eval(&|c| known.get(c.as_str()).map(|k| k.value));
            let Some(l) = value(left) else { continue };
            let r = match &right {
                Some(e) => match value(e) {
                    Some(v) => v,
                    None => continue,
                },
                None => 0.0,
            };
            if rule.op.holds(l, r) {
                continue;
            }
            let side = |e: &Expr, v: f64| {
                let cells: Vec<String> = e
                    .references()
                    .iter()
                    .filter_map(|c| known.get(c.as_str()))
                    .flat_map(|k| k.cells.iter().map(|c| format!("{sheet}!{c}")))
                    .collect();
                let at = if cells.is_empty() { String::new() } else { format!(" ở {}", cells.join(", ")) };
                format!("{} = {}{at}", written(e), shown(e, v, config))
            };
            let detail = match &right {
                Some(e) => format!("{} {} {}", side(left, l), rule.op.symbol(), side(e, r)),
                None => format!("{} {}", side(left, l), rule.op.symbol()),
            };
            let code = Rule::from_code(&rule.code).unwrap_or(Rule::Validation);
            let mut f = Finding::new(code, format!("{} Cần: {detail}. [{}]", rule.message, rule.code));
            f.severity = Severity::from_config(&rule.severity).unwrap_or(Severity::Warning);
            let cell =
                left.references().iter().filter_map(|c| known.get(c.as_str())).find_map(|k| k.cells.first().copied());
            found.push(match cell {
                Some(c) => f.at(&sheet, c),
                None => f.in_sheet(&sheet),
            });
        }
    }
    for f in found {
        report.add(f);
    }
}

/// An expression as a person writes it (without the outer parentheses).
fn written(expr: &Expr) -> String {
    let text = expr.to_string();
    match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) if matches!(expr, Expr::Binary(..)) => inner.to_string(),
        _ => text,
    }
}

/// A value as the unit wrote it: a rate or points as a percentage, a count as is.
fn shown(expr: &Expr, value: f64, config: &Config) -> String {
    if let Expr::Ref(code) = expr
        && let Name::Indicator(c, _) = name_of(code.as_str())
        && let Some(ind) = config.indicators.get(&IndicatorCode::new(c))
        && ind.measure != Measure::Count
    {
        return format!("{}%", crate::text::vn_number(value * 100.0, Some(2)));
    }
    crate::text::vn_number(value, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expression_is_shown_as_written() {
        assert_eq!(written(&Expr::parse("HN_DAU / 4").unwrap()), "HN_DAU / 4");
        assert_eq!(written(&Expr::parse("HN_THOAT").unwrap()), "HN_THOAT");
    }
}
