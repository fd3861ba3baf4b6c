//! The choice of one workbook per unit: the latest a unit sent for the
//! period is used, the others are named in findings; and two units whose
//! workbooks carry the same figures (a copied file) are both told.

use std::collections::BTreeMap;

use crate::check;
use crate::config::Config;
use crate::domain::{Period, UnitCode};
use crate::finding::{Finding, Rule};
use crate::read::UnitReport;

/// The period's workbooks grouped by the unit they identify.
pub(super) struct Choice {
    /// Indices into the reports of every workbook of each unit.
    pub by_unit: BTreeMap<UnitCode, Vec<usize>>,
    /// Indices of workbooks not tied to any unit.
    pub unidentified: Vec<usize>,
    /// The workbook used for each unit (its index).
    pub chosen: BTreeMap<UnitCode, usize>,
}

/// One workbook per unit: the latest by its own date, else file time, else
/// name. A unit that sent several is told which one is used; a superseded
/// file's own findings are dropped, as they no longer matter.
pub(super) fn one_per_unit(reports: &mut [UnitReport], period: Period) -> Choice {
    let mut by_unit: BTreeMap<UnitCode, Vec<usize>> = BTreeMap::new();
    let mut unidentified = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        match &r.identity.unit {
            Some(u) => by_unit.entry(u.clone()).or_default().push(i),
            None => unidentified.push(i),
        }
    }
    let mut chosen: BTreeMap<UnitCode, usize> = BTreeMap::new();
    for (unit, indices) in &by_unit {
        let latest = *indices
            .iter()
            .max_by_key(|&&i| {
                let r = &reports[i];
                (r.identity.submitted, r.file.modified, r.file.name.clone())
            })
            .expect("a unit in the map has a workbook");
        chosen.insert(unit.clone(), latest);
        if indices.len() > 1 {
            let used_name = reports[latest].file.name.clone();
            let others: Vec<String> =
                indices.iter().filter(|&&i| i != latest).map(|&i| reports[i].file.name.clone()).collect();
            for &i in indices {
                let message = if i == latest {
                    format!(
                        "Đơn vị gửi {} tệp cho kỳ {}; tệp này (mới nhất) được dùng, các tệp {} không được dùng.",
                        indices.len(),
                        period.vn(),
                        others.join(", ")
                    )
                } else {
                    // A superseded file's own problems no longer matter.
                    reports[i].findings.clear();
                    format!("Tệp này không được dùng vì đơn vị đã gửi tệp mới hơn: {used_name}.")
                };
                reports[i].add(Finding::new(Rule::DuplicateWorkbook, message));
            }
        }
    }
    Choice { by_unit, unidentified, chosen }
}

/// Two units whose workbooks carry the same figures, all of them: a copied
/// file (a clerk filled the neighbour's workbook and changed only the code).
/// Both units are told, each naming the other's file.
pub(super) fn copied_workbooks(reports: &mut [UnitReport], chosen: &BTreeMap<UnitCode, usize>, config: &Config) {
    // Money as (project, source, field, đồng); indicators as (code, field,
    // the value's bits): compared exactly, without formatting a string per figure.
    type Money = (crate::domain::ProjectCode, crate::domain::SourceCode, crate::domain::MoneyField, i64);
    type Indicator = (crate::domain::IndicatorCode, crate::domain::IndicatorField, u64);
    let figures_of = |r: &UnitReport| -> Option<(Vec<Money>, Vec<Indicator>)> {
        let mut money: Vec<Money> = r
            .capital
            .iter()
            .filter(|f| f.value != crate::domain::Dong::ZERO)
            .map(|f| (f.project.clone(), f.source.clone(), f.field, f.value.0))
            .collect();
        let mut ind: Vec<Indicator> = r
            .indicators
            .iter()
            .filter(|f| f.value != 0.0)
            .map(|f| (f.code.clone(), f.field, f.value.to_bits()))
            .collect();
        // Too few figures to tell a copy from chance.
        if money.len() + ind.len() < 6 {
            return None;
        }
        money.sort_unstable();
        ind.sort_unstable();
        Some((money, ind))
    };
    // Each workbook's figures are held only as a hash while all are compared
    // (at national scale the figures themselves would be a hundred megabytes);
    // workbooks whose hashes meet are then compared figure by figure.
    let mut by_hash: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for &i in chosen.values() {
        let r = &reports[i];
        if r.is_rejected() {
            continue;
        }
        let Some(figures) = figures_of(r) else { continue };
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&figures, &mut hasher);
        by_hash.entry(std::hash::Hasher::finish(&hasher)).or_default().push(i);
    }
    let mut by_figures: Vec<Vec<usize>> = Vec::new();
    for candidates in by_hash.values().filter(|c| c.len() > 1) {
        let mut same: BTreeMap<(Vec<Money>, Vec<Indicator>), Vec<usize>> = BTreeMap::new();
        for &i in candidates {
            if let Some(figures) = figures_of(&reports[i]) {
                same.entry(figures).or_default().push(i);
            }
        }
        by_figures.extend(same.into_values());
    }
    for group in by_figures.iter().filter(|g| g.len() > 1) {
        for &i in group {
            let others: Vec<String> = group
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| {
                    let r = &reports[j];
                    format!("{} (tệp {})", r.identity.unit.as_ref().map_or("?", |u| u.as_str()), r.file.name)
                })
                .collect();
            let sheet = reports[i].capital_sheet.clone().unwrap_or_default();
            let cell = reports[i].capital.first().map(|f| f.cell);
            let f = Finding::new(
                Rule::CopiedWorkbook,
                format!(
                    "Mọi số liệu của báo cáo này giống hệt báo cáo của đơn vị {}. Có thể tệp được sao chép từ đơn vị khác mà chưa sửa số liệu; đề nghị kiểm tra lại.",
                    others.join(", ")
                ),
            );
            let mut f = match cell {
                Some(c) => f.at(&sheet, c),
                None => f.in_sheet(&sheet),
            };
            check::apply_overrides(std::slice::from_mut(&mut f), config);
            reports[i].add(f);
        }
    }
}
