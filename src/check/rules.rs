//! One function per rule over a single unit's report.
//!
//! Rules that need every workbook at once (duplicates, missing units) live in
//! the month (`src/month/choice.rs`, `src/month/statuses.rs`); rules here see
//! one [`UnitReport`], the config, the run period, and last month's figures
//! when history exists.

use std::collections::BTreeMap;

use super::{Finding, Rule, Severity};
use crate::config::Config;
use crate::config::indicators::Measure;
use crate::domain::{
    CellRef, Dong, IndicatorCode, IndicatorField, MoneyField, MoneyUnit, Period, ProjectCode, SourceCode, UnitCode,
};
use crate::read::UnitReport;
use crate::read::official::Decisions;

/// Last month's cumulative figures of each unit, for the "never goes
/// backwards" rule (SPEC §6.4).
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// The period they are from.
    pub period: Option<Period>,
    /// Cumulative disbursement by unit, project and source.
    pub capital: BTreeMap<(UnitCode, ProjectCode, SourceCode), Dong>,
    /// Achieved values of flow indicators by unit.
    pub indicators: BTreeMap<(UnitCode, IndicatorCode), f64>,
    /// Each unit's workbook layout last month.
    pub layouts: BTreeMap<UnitCode, Vec<String>>,
}

impl Previous {
    /// Last month's cumulative disbursement of one unit, (project, source,
    /// amount): a range of the map, not a scan of every unit's.
    pub fn capital_of<'a>(
        &'a self,
        unit: &UnitCode,
    ) -> impl Iterator<Item = (&'a ProjectCode, &'a SourceCode, Dong)> + 'a {
        let unit = unit.clone();
        let start = (unit.clone(), ProjectCode::default(), SourceCode::default());
        self.capital.range(start..).take_while(move |((u, _, _), _)| *u == unit).map(|((_, p, s), v)| (p, s, *v))
    }

    /// The period of these figures when it is an earlier month of the same
    /// year as `period` (only then can cumulative figures be compared).
    pub fn earlier_in_year(&self, period: Option<Period>) -> Option<Period> {
        let (before, now) = (self.period?, period?);
        (before.year() == now.year() && before < now).then_some(before)
    }
}

/// Applies every single-workbook rule to `report`.
pub fn check_report(
    report: &mut UnitReport,
    config: &Config,
    period: Period,
    previous: &Previous,
    decisions: &Decisions,
) {
    wrong_period(report, period);
    submitted_before_period(report);
    resent_previous(report, previous);
    unit_open(report, config, period);
    negative_money(report);
    if !plausible_money(report, config, previous, decisions) {
        super::apply_overrides(&mut report.findings, config);
        return;
    }
    disbursed_over_allocated(report, config, decisions);
    checksums(report, config);
    indicator_values(report, config);
    cumulative_decreased(report, config, previous);
    official_decisions(report, config, decisions);
    template_drift(report, previous);
    no_figures(report);
    super::validation::validation_rules(report, config);
    super::apply_overrides(&mut report.findings, config);
}

/// Allocations and targets that differ from the official decisions (SPEC §3:
/// the decisions are authoritative; the unit is told what the decision says).
fn official_decisions(report: &mut UnitReport, config: &Config, decisions: &Decisions) {
    let Some(unit) = report.identity.unit.clone() else { return };
    let sheet = sheet(report);
    let mut found = Vec::new();
    {
        let mut reported: BTreeMap<(ProjectCode, SourceCode), (Dong, CellRef)> = BTreeMap::new();
        for f in
            report.capital.iter().filter(|f| f.field == MoneyField::Allocated && decisions.governs(&unit, &f.source))
        {
            let e = reported.entry((f.project.clone(), f.source.clone())).or_insert((Dong::ZERO, f.cell));
            e.0 += f.value;
        }
        let mut keys: Vec<(ProjectCode, SourceCode)> = reported.keys().cloned().collect();
        keys.extend(decisions.allocation_of(&unit).map(|(p, s, _)| (p.clone(), s.clone())));
        keys.retain(|(_, s)| decisions.governs(&unit, s));
        keys.sort();
        keys.dedup();
        for (project, source) in keys {
            let (value, cell) = reported
                .get(&(project.clone(), source.clone()))
                .copied()
                .map_or((Dong::ZERO, None), |(v, c)| (v, Some(c)));
            let official = decisions.allocation.get(&(unit.clone(), project.clone(), source.clone()));
            let official_value = official.map_or(Dong::ZERO, |o| o.value);
            if value == official_value {
                continue;
            }
            let basis = official.map_or_else(
                || "quyết định giao vốn không giao vốn cho dự án này".to_string(),
                |o| format!("quyết định giao vốn giao {} ({} {}!{})", dong(o.value, config), o.file, o.sheet, o.cell),
            );
            let f = Finding::new(
                Rule::AllocationMismatch,
                format!(
                    "{project}, nguồn {source}: kế hoạch vốn đơn vị ghi {}, {basis}. Số theo quyết định được dùng để tổng hợp; đề nghị sửa lại cho đúng.",
                    dong(value, config)
                ),
            );
            found.push(match cell {
                Some(c) => f.at(&sheet, c),
                None => f.in_sheet(&sheet),
            });
        }
    }
    let ind_sheet = report.indicator_sheet.clone().unwrap_or_default();
    for (code, official) in decisions.targets_of(&unit) {
        let reported = report.indicators.iter().find(|f| &f.code == code && f.field == IndicatorField::Target);
        let same = reported.is_some_and(|r| (r.value - official.value).abs() <= 1e-9 + official.value.abs() * 1e-9);
        if same {
            continue;
        }
        let shown = |v: f64| match config.indicators.get(code).map(|i| i.measure) {
            Some(Measure::Count) | None => format!("{v}"),
            _ => format!("{:.2}%", v * 100.0),
        };
        let written = reported.map_or_else(|| "không ghi".to_string(), |r| format!("ghi {}", shown(r.value)));
        let f = Finding::new(
            Rule::TargetMismatch,
            format!(
                "Kế hoạch năm của chỉ tiêu {code}: đơn vị {written}, chỉ tiêu được giao là {} ({} {}!{}). Chỉ tiêu được giao được dùng.",
                shown(official.value),
                official.file,
                official.sheet,
                official.cell
            ),
        );
        found.push(match reported {
            Some(r) => f.at(&ind_sheet, r.cell),
            None => f.in_sheet(&ind_sheet),
        });
    }
    for f in found {
        report.add(f);
    }
}

fn dong(value: Dong, config: &Config) -> String {
    let unit = config.settings.report.money_unit;
    let amount = value.in_unit(unit);
    format!("{} {}", format_vn(amount), unit.label())
}

/// `1.728` or `1.728,5`: Vietnamese marks, up to six decimals, no trailing zeros.
pub fn format_vn(value: f64) -> String {
    crate::text::vn_number(value, None)
}

fn sheet(report: &UnitReport) -> String {
    report.capital_sheet.clone().unwrap_or_default()
}

fn wrong_period(report: &mut UnitReport, period: Period) {
    let (Some(stated), Some(hint)) = (report.identity.period, report.file.period_hint) else { return };
    if stated == hint || hint != period {
        return;
    }
    report.add(Finding::new(
        Rule::WrongPeriod,
        format!(
            "Kỳ báo cáo trong biểu là {}, nhưng tệp được gửi cho kỳ {}. Đề nghị sửa \"Kỳ báo cáo\" hoặc gửi đúng tệp của kỳ {}.",
            stated.vn(),
            hint.vn(),
            hint.vn()
        ),
    ));
}

/// A submission date (`Ngày báo cáo`) before the first day of the period it
/// reports: most often last month's date left in a copied workbook.
fn submitted_before_period(report: &mut UnitReport) {
    let (Some(date), Some(period)) = (report.identity.submitted, report.identity.period) else { return };
    if date >= period.first_day() {
        return;
    }
    let mut f = Finding::new(
        Rule::SubmittedBeforePeriod,
        format!(
            "Ngày báo cáo ghi {}, trước khi kỳ báo cáo {} bắt đầu. Đề nghị sửa ngày báo cáo (có thể còn ngày của báo cáo kỳ trước).",
            date.format("%d/%m/%Y"),
            period.vn()
        ),
    );
    if let Some((sheet, cell)) = report.identity.submitted_at.clone() {
        f = f.at(&sheet, cell);
    }
    report.add(f);
}

/// Last month's workbook sent again with only the period changed: every
/// cumulative figure exactly as last month while money was disbursed "this
/// month". For information: the officer asks the unit.
fn resent_previous(report: &mut UnitReport, previous: &Previous) {
    let (Some(unit), Some(prev)) = (report.identity.unit.clone(), previous.earlier_in_year(report.identity.period))
    else {
        return;
    };
    let month: Dong = report.capital.iter().filter(|f| f.field == MoneyField::DisbursedMonth).map(|f| f.value).sum();
    let mut now = cumulative_by_key(report);
    now.retain(|_, (v, _)| *v != Dong::ZERO);
    let before: BTreeMap<(ProjectCode, SourceCode), Dong> = previous
        .capital_of(&unit)
        .filter(|(_, _, v)| *v != Dong::ZERO)
        .map(|(p, s, v)| ((p.clone(), s.clone()), v))
        .collect();
    let same = now.len() == before.len() && now.iter().all(|(k, (v, _))| before.get(k) == Some(v));
    if before.is_empty() || !same || month == Dong::ZERO {
        return;
    }
    report.add(
        Finding::new(
            Rule::ResentPrevious,
            format!(
                "Mọi số lũy kế giải ngân giống hệt báo cáo kỳ {}, trong khi báo cáo ghi có giải ngân trong tháng. Có thể đây là báo cáo kỳ trước gửi lại, chỉ sửa kỳ báo cáo; đề nghị đơn vị xác nhận.",
                prev.vn()
            ),
        )
        .in_sheet(&sheet(report)),
    );
}

fn unit_open(report: &mut UnitReport, config: &Config, period: Period) {
    let Some(code) = report.identity.unit.clone() else { return };
    let Some(unit) = config.units.get(&code) else { return };
    if unit.is_expected(period) {
        return;
    }
    let holder = config.units.current_holder(&code, period);
    let message = if holder == code {
        format!(
            "Đơn vị {} ({}) không còn hoạt động trong kỳ {}; số liệu vẫn được ghi nhận cho đơn vị này.",
            unit.name,
            code,
            period.vn()
        )
    } else {
        format!(
            "Đơn vị {} ({}) đã sáp nhập; số liệu kỳ {} được tính cho đơn vị kế thừa {}.",
            unit.name,
            code,
            period.vn(),
            holder
        )
    };
    report.add(Finding::new(Rule::UnitClosed, message));
}

fn negative_money(report: &mut UnitReport) {
    let sheet = sheet(report);
    let negatives: Vec<(CellRef, Dong, ProjectCode)> =
        report.capital.iter().filter(|f| f.value.is_negative()).map(|f| (f.cell, f.value, f.project.clone())).collect();
    for (cell, value, project) in negatives {
        report.add(
            Finding::new(
                Rule::NegativeMoney,
                format!("Số tiền âm ({value} đồng) ở {project}. Số tiền kế hoạch và giải ngân không được âm; đề nghị sửa lại."),
            )
            .at(&sheet, cell),
        );
    }
}

/// Amounts out of all proportion: the unit's total allocation or
/// disbursement hundreds of times the official decision's allocation, its own
/// cumulative last month, or above the ceiling for one unit. The commonest
/// cause is figures typed in đồng under "Đơn vị tính: triệu đồng"; the
/// workbook is rejected (an error), so no report carries a 443% headline
/// from one slip. Returns false when it fired.
fn plausible_money(report: &mut UnitReport, config: &Config, previous: &Previous, decisions: &Decisions) -> bool {
    let Some(unit) = report.identity.unit.clone() else { return true };
    let total = |field: MoneyField| -> i128 {
        report.capital.iter().filter(|f| f.field == field).map(|f| i128::from(f.value.0)).sum()
    };
    let amount = total(MoneyField::Allocated).max(total(MoneyField::DisbursedCumulative));
    if amount <= 0 {
        return true;
    }
    let ratio = i128::from(config.settings.check.max_ratio.max(2));
    let official: i128 = decisions.allocation_of(&unit).map(|(_, _, o)| i128::from(o.value.0)).sum();
    let before: i128 = previous.capital_of(&unit).map(|(_, _, v)| i128::from(v.0)).sum();
    let same_year = previous.earlier_in_year(report.identity.period).is_some();
    let ceiling = i128::from(config.settings.check.max_unit_million) * 1_000_000;
    let (reference, basis) = if official > 0 && amount >= official * ratio {
        (official, format!("kế hoạch vốn theo quyết định giao vốn là {}", dong(clamp(official), config)))
    } else if same_year && before > 0 && amount >= before * ratio {
        (before, format!("lũy kế giải ngân kỳ trước là {}", dong(clamp(before), config)))
    } else if amount > ceiling {
        (ceiling, format!("mức tối đa cho một đơn vị là {}", dong(clamp(ceiling), config)))
    } else {
        return true;
    };
    let declared = report.identity.money_unit.unwrap_or(config.settings.input.default_money_unit);
    #[allow(clippy::cast_precision_loss)]
    let factor = (amount as f64 / reference as f64).log10();
    let steps = (factor / 3.0).round().max(1.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let shift = (steps as u32) * 3;
    let typed = [MoneyUnit::Dong, MoneyUnit::NghinDong, MoneyUnit::TrieuDong, MoneyUnit::TyDong]
        .into_iter()
        .find(|u| u.exponent() + shift == declared.exponent());
    let likely = match typed {
        Some(u) => format!("số liệu có thể đã ghi bằng {} trong khi đơn vị tính là {}", u.label(), declared.label()),
        None => format!("số liệu có thể đã ghi sai đơn vị tính (đơn vị tính ghi là {})", declared.label()),
    };
    let sheet = sheet(report);
    report.add(
        Finding::new(
            Rule::MoneyUnitSlip,
            format!(
                "Số tiền không cân xứng: tổng {} của đơn vị, trong khi {basis}. {}. Báo cáo không được tổng hợp; đề nghị kiểm tra đơn vị tính và gửi lại.",
                dong(clamp(amount), config),
                capitalise(&likely)
            ),
        )
        .at(&sheet, report.capital.first().map_or(CellRef::new(0, 0), |f| f.cell)),
    );
    false
}

/// A sum of amounts back to one amount (saturating: only shown in messages).
fn clamp(sum: i128) -> Dong {
    Dong(i64::try_from(sum).unwrap_or(if sum < 0 { i64::MIN } else { i64::MAX }))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn disbursed_over_allocated(report: &mut UnitReport, config: &Config, decisions: &Decisions) {
    // Allocated, month, cumulative: each summed over the rows of the project and
    // source, with the cell of the last row for the finding.
    type Fields = [Option<(Dong, CellRef)>; 3];
    let sheet = sheet(report);
    let mut by_key: BTreeMap<(ProjectCode, SourceCode), Fields> = BTreeMap::new();
    for f in &report.capital {
        let slot = &mut by_key.entry((f.project.clone(), f.source.clone())).or_default()[f.field as usize];
        let prev = slot.map_or(Dong::ZERO, |(v, _)| v);
        *slot = Some((prev + f.value, f.cell));
    }
    let mut found = Vec::new();
    let unit = report.identity.unit.clone();
    for ((project, source), [allocated, month, cumulative]) in &by_key {
        // The decision is authoritative where it governs the source.
        let alloc = match &unit {
            Some(u) if decisions.governs(u, source) => {
                decisions.allocation.get(&(u.clone(), project.clone(), source.clone())).map_or(Dong::ZERO, |o| o.value)
            }
            _ => allocated.map_or(Dong::ZERO, |(v, _)| v),
        };
        if let Some((cum, cell)) = cumulative
            && *cum > alloc
        {
            found.push(
                    Finding::new(
                        Rule::DisbursedOverAllocated,
                        format!(
                            "{project}, nguồn {source}: lũy kế giải ngân {} lớn hơn kế hoạch vốn {}. Đề nghị kiểm tra lại số giải ngân hoặc kế hoạch vốn.",
                            dong(*cum, config),
                            dong(alloc, config)
                        ),
                    )
                    .at(&sheet, *cell),
                );
        }
        if let (Some((m, cell)), cum) = (month, cumulative) {
            let cum = cum.map_or(Dong::ZERO, |(v, _)| v);
            if *m > cum {
                found.push(
                    Finding::new(
                        Rule::MonthOverCumulative,
                        format!(
                            "{project}, nguồn {source}: giải ngân trong tháng {} lớn hơn lũy kế từ đầu năm {}. Lũy kế phải gồm cả số trong tháng.",
                            dong(*m, config),
                            dong(cum, config)
                        ),
                    )
                    .at(&sheet, *cell),
                );
            }
        }
    }
    for f in found {
        report.add(f);
    }
}

fn checksums(report: &mut UnitReport, config: &Config) {
    let sheet = sheet(report);
    let wrong: Vec<Finding> = report
        .checksums
        .iter()
        .filter(|c| c.stated != c.computed)
        .map(|c| {
            Finding::new(
                c.rule,
                format!(
                    "Số tổng ở {} ghi {}, nhưng cộng các số chi tiết được {} (lệch {}). Số chi tiết được dùng; đề nghị sửa lại số tổng.",
                    c.what,
                    dong(c.stated, config),
                    dong(c.computed, config),
                    dong(Dong((c.stated.0 - c.computed.0).abs()), config)
                ),
            )
            .at(&sheet, c.cell)
        })
        .collect();
    for f in wrong {
        report.add(f);
    }
}

fn indicator_values(report: &mut UnitReport, config: &Config) {
    let sheet = report.indicator_sheet.clone().unwrap_or_default();
    let mut found = Vec::new();
    let mut achieved: BTreeMap<IndicatorCode, (f64, CellRef)> = BTreeMap::new();
    for f in &report.indicators {
        let Some(ind) = config.indicators.get(&f.code) else { continue };
        match ind.measure {
            Measure::Count if f.value < 0.0 => found.push(
                Finding::new(
                    Rule::NegativeCount,
                    format!("{} ({}) ghi số âm {}. Đề nghị sửa lại.", ind.name, ind.code, f.value),
                )
                .at(&sheet, f.cell),
            ),
            Measure::Rate if !(0.0..=1.0).contains(&f.value) => found.push(
                Finding::new(
                    Rule::RateOutOfRange,
                    format!(
                        "{} ({}) ghi {:.2}%, nằm ngoài khoảng 0-100%. Đề nghị kiểm tra lại.",
                        ind.name,
                        ind.code,
                        f.value * 100.0
                    ),
                )
                .at(&sheet, f.cell),
            ),
            _ => {}
        }
        if f.field == IndicatorField::Achieved {
            achieved.insert(f.code.clone(), (f.value, f.cell));
        }
    }
    // Derived values from this unit's own figures (SPEC §5: poor now = at
    // 1 January - left + new + fell back, never below zero).
    let mut values: BTreeMap<IndicatorCode, f64> = achieved
        .iter()
        .filter(|(code, _)| config.indicators.get(code).is_some_and(|i| !i.is_derived()))
        .map(|(k, (v, _))| (k.clone(), *v))
        .collect();
    for ind in config.indicators.derived_in_order() {
        let Some(formula) = &ind.formula else { continue };
        let Some(value) = formula.eval(&|c| config.indicators.operand(c, &values)) else { continue };
        values.insert(ind.code.clone(), value);
        // A negative derived count is not an error in itself (poverty that
        // rose gives a negative reduction); "poor now ≥ 0" is a rule in
        // rules.toml (HO_NGHEO_AM).
        if ind.measure == Measure::Rate && !(0.0..=1.0).contains(&value) {
            found.push(
                Finding::new(
                    Rule::RateOutOfRange,
                    format!(
                        "{} ({}) tính ra {:.2}%, nằm ngoài 0-100%. Đề nghị kiểm tra lại số liệu.",
                        ind.name,
                        ind.code,
                        value * 100.0
                    ),
                )
                .in_sheet(&sheet),
            );
        }
        if let Some((stated, cell)) = achieved.get(&ind.code) {
            let tolerance = match ind.measure {
                Measure::Count => 0.5,
                // A rate written with two decimals of a percent (12,83%).
                Measure::Rate | Measure::Points => 0.000_05 + 1e-12,
            };
            if (stated - value).abs() > tolerance {
                let shown = |v: f64| match ind.measure {
                    Measure::Count => format!("{v}"),
                    _ => format!("{:.2}%", v * 100.0),
                };
                found.push(
                    Finding::new(
                        Rule::DerivedDiffers,
                        format!(
                            "{} đơn vị ghi {}, nhưng tính từ các chỉ tiêu ({}) được {}. Số tính toán được dùng.",
                            ind.name,
                            shown(*stated),
                            formula,
                            shown(value)
                        ),
                    )
                    .at(&sheet, *cell),
                );
            }
        }
    }
    for f in found {
        report.add(f);
    }
}

/// Each (project, source)'s cumulative disbursement, summed over its rows,
/// with the cell of the first.
fn cumulative_by_key(report: &UnitReport) -> BTreeMap<(ProjectCode, SourceCode), (Dong, CellRef)> {
    let mut now: BTreeMap<(ProjectCode, SourceCode), (Dong, CellRef)> = BTreeMap::new();
    for f in report.capital.iter().filter(|f| f.field == MoneyField::DisbursedCumulative) {
        now.entry((f.project.clone(), f.source.clone())).or_insert((Dong::ZERO, f.cell)).0 += f.value;
    }
    now
}

fn cumulative_decreased(report: &mut UnitReport, config: &Config, previous: &Previous) {
    let (Some(unit), Some(prev_period)) =
        (report.identity.unit.clone(), previous.earlier_in_year(report.identity.period))
    else {
        return;
    };
    let sheet = sheet(report);
    let now = cumulative_by_key(report);
    let mut found = Vec::new();
    for (project, source, before) in previous.capital_of(&unit) {
        let (value, cell) =
            now.get(&(project.clone(), source.clone())).copied().unwrap_or((Dong::ZERO, CellRef::new(0, 0)));
        if value < before {
            let f = Finding::new(
                Rule::CumulativeDecreased,
                format!(
                    "{project}, nguồn {source}: lũy kế giải ngân {} thấp hơn tháng {} ({}). Lũy kế từ đầu năm không thể giảm; đề nghị kiểm tra lại.",
                    dong(value, config),
                    prev_period.vn(),
                    dong(before, config)
                ),
            );
            found.push(if now.contains_key(&(project.clone(), source.clone())) {
                f.at(&sheet, cell)
            } else {
                f.in_sheet(&sheet)
            });
        }
    }
    let ind_sheet = report.indicator_sheet.clone().unwrap_or_default();
    for f in report.indicators.iter().filter(|f| f.field == IndicatorField::Achieved) {
        let Some(ind) = config.indicators.get(&f.code) else { continue };
        if ind.kind != crate::config::indicators::Kind::Flow {
            continue;
        }
        if let Some(before) = previous.indicators.get(&(unit.clone(), f.code.clone()))
            && f.value + 1e-9 < *before
        {
            found.push(
                    Finding::new(
                        Rule::CumulativeDecreased,
                        format!(
                            "{} ({}): lũy kế {} thấp hơn tháng {} ({}). Số lũy kế từ đầu năm không thể giảm; đề nghị kiểm tra lại.",
                            ind.name,
                            ind.code,
                            f.value,
                            prev_period.vn(),
                            before
                        ),
                    )
                    .at(&ind_sheet, f.cell),
                );
        }
    }
    for f in found {
        report.add(f);
    }
}

/// A layout that differs from last month's: columns added, removed or
/// moved, or the table starting on another row. Reading succeeded; the
/// officer and the unit are told, since drift is how figures go astray.
fn template_drift(report: &mut UnitReport, previous: &Previous) {
    let (Some(unit), Some(prev_period)) = (report.identity.unit.clone(), previous.period) else { return };
    let Some(before) = previous.layouts.get(&unit) else { return };
    if report.layout.is_empty() || *before == report.layout {
        return;
    }
    let parse = |entries: &[String]| -> BTreeMap<String, String> {
        entries
            .iter()
            .filter_map(|e| {
                let (place, rest) = e.split_once(" = ")?;
                let (sheet, col) = place.rsplit_once('!')?;
                // "role ← "label as written"" (columns not used are not part of
                // the layout to keep); an older log holds the folded label alone.
                let label = match rest.split_once(" ← ") {
                    Some((role, _)) if role.starts_with("không dùng") => return None,
                    Some((_, written)) => crate::text::fold(written),
                    None => rest.to_string(),
                };
                Some((format!("{sheet}: {label}"), col.to_string()))
            })
            .collect()
    };
    let (old, new) = (parse(before), parse(&report.layout));
    let mut changes = Vec::new();
    for (label, col) in &new {
        match old.get(label) {
            None => changes.push(format!("thêm cột «{label}» ({col})")),
            Some(c) if c != col => changes.push(format!("cột «{label}» chuyển từ {c} sang {col}")),
            Some(_) => {}
        }
    }
    for (label, col) in &old {
        if !new.contains_key(label) {
            changes.push(format!("bỏ cột «{label}» ({col})"));
        }
    }
    let header = |entries: &[String]| entries.iter().find(|e| e.contains(": header row ")).cloned();
    if let (Some(a), Some(b)) = (header(before), header(&report.layout))
        && a != b
    {
        changes.push(format!(
            "dòng tiêu đề bảng vốn đổi ({} → {})",
            a.rsplit(' ').next().unwrap_or(""),
            b.rsplit(' ').next().unwrap_or("")
        ));
    }
    if changes.is_empty() {
        return;
    }
    let shown: Vec<&String> = changes.iter().take(6).collect();
    let more = if changes.len() > 6 { format!(" và {} thay đổi khác", changes.len() - 6) } else { String::new() };
    report.add(Finding::new(
        Rule::TemplateDrift,
        format!(
            "Mẫu biểu khác với báo cáo kỳ {}: {}{more}. Số liệu vẫn đọc được; đề nghị giữ đúng mẫu biểu.",
            prev_period.vn(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
        ),
    ));
}

/// A workbook read without error but holding no figure at all: most often
/// the blank template sent back by mistake.
fn no_figures(report: &mut UnitReport) {
    if report.is_rejected() || report.capital_sheet.is_none() {
        return;
    }
    let any_money = report.capital.iter().any(|f| f.value != Dong::ZERO);
    if any_money || !report.indicators.is_empty() {
        return;
    }
    report.add(
        Finding::new(
            Rule::NoFigures,
            "Báo cáo không có số liệu nào: các ô số tiền và chỉ tiêu đều trống hoặc bằng 0. Nếu gửi nhầm mẫu biểu trống, đề nghị gửi lại báo cáo đã điền.",
        )
        .in_sheet(&sheet(report)),
    );
}

/// True when any finding rejects the workbook.
pub fn is_rejected(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::format_vn;

    #[test]
    fn vietnamese_number_text() {
        assert_eq!(format_vn(1728.0), "1.728");
        assert_eq!(format_vn(1728.5), "1.728,5");
        assert_eq!(format_vn(0.000_001), "0,000001");
        assert_eq!(format_vn(-12.25), "-12,25");
    }
}
