//! The indicator catalogue: reported indicators and the derived ones with their
//! formulas (SPEC §5), from `config/indicators.toml`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::formula::Expr;
use crate::domain::IndicatorCode;
use crate::text::{fold, fold_code};

/// How an indicator's values are written and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A count (households, people, models).
    Count,
    /// A rate, stored as a fraction (0.1283 for 12.83%).
    Rate,
    /// A change of a rate in percentage points, stored as a fraction (0.032 for 3.2 points).
    Points,
}

/// Whether a value is a level at the end of the period or accumulates over the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A level at a moment (all households, poor households at 1 January).
    Stock,
    /// Accumulates since 1 January (households that left poverty).
    Flow,
}

/// Which direction is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// More is better: achievement = achieved / target.
    Higher,
    /// Less is better: achievement = target / achieved.
    Lower,
    /// A context figure: no target, no status.
    Context,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorEntry {
    code: IndicatorCode,
    name: String,
    unit: String,
    measure: Measure,
    kind: Kind,
    better: Better,
    #[serde(default)]
    formula: Option<String>,
    #[serde(default)]
    target_weight: Option<IndicatorCode>,
    #[serde(default)]
    template: Option<bool>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndicatorsFile {
    #[serde(rename = "indicator")]
    indicators: Vec<IndicatorEntry>,
}

/// One indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Code (`TL_HN`).
    pub code: IndicatorCode,
    /// Vietnamese name.
    pub name: String,
    /// Unit of measure as shown (`hộ`, `%`, `điểm %`).
    pub unit: String,
    /// How values are written.
    pub measure: Measure,
    /// Stock or flow.
    pub kind: Kind,
    /// Which direction is good.
    pub better: Better,
    /// The formula of a derived indicator.
    pub formula: Option<Expr>,
    /// The indicator that weights units' targets when they are added up.
    pub target_weight: Option<IndicatorCode>,
    /// Whether units' workbooks carry a row for it.
    pub in_template: bool,
    /// Other names units write.
    pub aliases: Vec<String>,
}

impl Indicator {
    /// True for an indicator computed from others.
    pub fn is_derived(&self) -> bool {
        self.formula.is_some()
    }
}

/// The checked catalogue, with derived indicators in an order where every
/// formula's inputs come first.
#[derive(Debug, Clone)]
pub struct Indicators {
    /// All indicators in file order.
    pub list: Vec<Indicator>,
    index: BTreeMap<IndicatorCode, usize>,
    eval_order: Vec<usize>,
    by_code_key: BTreeMap<String, usize>,
    by_name: Vec<(String, usize)>,
}

impl Indicators {
    pub(crate) fn build(file: IndicatorsFile) -> Result<Self, String> {
        let mut list = Vec::new();
        let mut index = BTreeMap::new();
        for entry in file.indicators {
            if index.insert(entry.code.clone(), list.len()).is_some() {
                return Err(format!("indicator code '{}' appears twice", entry.code));
            }
            let formula = entry
                .formula
                .as_deref()
                .map(|f| Expr::parse(f).map_err(|e| format!("formula of '{}': {e}", entry.code)))
                .transpose()?;
            let in_template = entry.template.unwrap_or(formula.is_none());
            list.push(Indicator {
                code: entry.code,
                name: entry.name,
                unit: entry.unit,
                measure: entry.measure,
                kind: entry.kind,
                better: entry.better,
                formula,
                target_weight: entry.target_weight,
                in_template,
                aliases: entry.aliases,
            });
        }
        for ind in &list {
            if let Some(f) = &ind.formula {
                for r in f.references() {
                    if !index.contains_key(&r) {
                        return Err(format!("formula of '{}' uses '{r}', which is not an indicator", ind.code));
                    }
                }
            }
            if let Some(w) = &ind.target_weight
                && !index.contains_key(w)
            {
                return Err(format!("target_weight of '{}' is '{w}', which is not an indicator", ind.code));
            }
        }
        let eval_order = topological_order(&list, &index)?;
        let mut by_code_key = BTreeMap::new();
        let mut by_name = Vec::new();
        for (i, ind) in list.iter().enumerate() {
            by_code_key.insert(fold_code(ind.code.as_str()), i);
            by_name.push((fold(&ind.name), i));
            for alias in &ind.aliases {
                by_name.push((fold(alias), i));
            }
        }
        by_name.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        Ok(Self { list, index, eval_order, by_code_key, by_name })
    }

    /// The indicator with this code.
    pub fn get(&self, code: &IndicatorCode) -> Option<&Indicator> {
        self.index.get(code).map(|&i| &self.list[i])
    }

    /// Position in file order.
    pub fn order(&self, code: &IndicatorCode) -> usize {
        self.index.get(code).copied().unwrap_or(usize::MAX)
    }

    /// Derived indicators, each after every indicator its formula reads.
    pub fn derived_in_order(&self) -> impl Iterator<Item = &Indicator> {
        self.eval_order.iter().map(|&i| &self.list[i])
    }

    /// The value a formula sees for `code`: the known value, else zero for a
    /// reported flow left blank (no household fell back into poverty), else
    /// nothing (a missing stock such as all households makes rates unknown).
    pub fn operand(&self, code: &IndicatorCode, known: &BTreeMap<IndicatorCode, f64>) -> Option<f64> {
        known
            .get(code)
            .copied()
            .or_else(|| self.get(code).filter(|i| !i.is_derived() && i.kind == Kind::Flow).map(|_| 0.0))
    }

    /// Finds an indicator by the code a unit wrote (`tl_hn`, `TL HN`).
    pub fn find_by_code(&self, text: &str) -> Option<&Indicator> {
        self.by_code_key.get(&fold_code(text)).map(|&i| &self.list[i])
    }

    /// Finds an indicator by its name or an alias, accent- and case-insensitively.
    pub fn find_by_name(&self, text: &str) -> Option<&Indicator> {
        let folded = fold(text);
        let folded = strip_list_marker(&folded);
        if folded.is_empty() {
            return None;
        }
        self.by_name.iter().find(|(n, _)| n == folded).map(|(_, i)| &self.list[*i])
    }
}

/// `"1 so ho thoat ngheo"` gives `"so ho thoat ngheo"`; `"trong do so ..."` is kept.
fn strip_list_marker(folded: &str) -> &str {
    let first = folded.split(' ').next().unwrap_or("");
    let is_marker = !first.is_empty()
        && first.len() <= 3
        && (first.chars().all(|c| c.is_ascii_digit()) || matches!(first, "a" | "b" | "c" | "d" | "i" | "ii" | "iii"));
    if is_marker && folded.len() > first.len() { folded[first.len()..].trim_start() } else { folded }
}

/// Orders derived indicators so each comes after its inputs; a cycle is an error.
fn topological_order(list: &[Indicator], index: &BTreeMap<IndicatorCode, usize>) -> Result<Vec<usize>, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        None,
        Visiting,
        Done,
    }
    fn visit(
        i: usize,
        list: &[Indicator],
        index: &BTreeMap<IndicatorCode, usize>,
        marks: &mut [Mark],
        out: &mut Vec<usize>,
        path: &mut Vec<String>,
    ) -> Result<(), String> {
        match marks[i] {
            Mark::Done => return Ok(()),
            Mark::Visiting => {
                path.push(list[i].code.to_string());
                return Err(format!("derived indicators form a cycle: {}", path.join(" -> ")));
            }
            Mark::None => {}
        }
        marks[i] = Mark::Visiting;
        path.push(list[i].code.to_string());
        if let Some(f) = &list[i].formula {
            let refs: BTreeSet<_> = f.references();
            for r in refs {
                visit(index[&r], list, index, marks, out, path)?;
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        if list[i].formula.is_some() {
            out.push(i);
        }
        Ok(())
    }
    let mut marks = vec![Mark::None; list.len()];
    let mut out = Vec::new();
    for i in 0..list.len() {
        visit(i, list, index, &mut marks, &mut out, &mut Vec::new())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str) -> Result<Indicators, String> {
        Indicators::build(toml::from_str(text).map_err(|e| e.to_string())?)
    }

    #[test]
    fn shipped_catalogue_orders_formulas() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/indicators.toml")).unwrap();
        let ind = build(&text).unwrap();
        let order: Vec<&str> = ind.derived_in_order().map(|i| i.code.as_str()).collect();
        let pos = |c: &str| order.iter().position(|x| *x == c).unwrap();
        assert!(pos("HN_CUOI") < pos("TL_HN"));
        assert!(pos("TL_HN") < pos("GIAM_TL_HN"));
        assert!(pos("TL_HN_DAU") < pos("GIAM_TL_HN"));
        assert_eq!(ind.find_by_name("1. Số hộ thoát nghèo").map(|i| i.code.as_str()), Some("HN_THOAT"));
        assert_eq!(ind.find_by_name("TỶ LỆ HỘ NGHÈO").map(|i| i.code.as_str()), Some("TL_HN"));
        assert_eq!(ind.find_by_code("tl_hn").map(|i| i.code.as_str()), Some("TL_HN"));
    }

    #[test]
    fn cycles_and_unknown_references_are_refused() {
        let cyc = r#"
[[indicator]]
code = "A"
name = "a"
unit = "hộ"
measure = "count"
kind = "stock"
better = "context"
formula = "B + 1"
[[indicator]]
code = "B"
name = "b"
unit = "hộ"
measure = "count"
kind = "stock"
better = "context"
formula = "A + 1"
"#;
        assert!(build(cyc).unwrap_err().contains("cycle"));
        let unknown = r#"
[[indicator]]
code = "A"
name = "a"
unit = "hộ"
measure = "count"
kind = "stock"
better = "context"
formula = "ZZ / 2"
"#;
        assert!(build(unknown).unwrap_err().contains("ZZ"));
    }
}
