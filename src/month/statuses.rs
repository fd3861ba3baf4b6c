//! Unit statuses: where each registered unit stands for the period
//! (received, rejected, missing, late, not expected), with the findings
//! for a missing or late report.

use std::collections::BTreeMap;

use super::UnitStatus;
use super::choice::Choice;
use crate::check;
use crate::config::Config;
use crate::domain::{Period, UnitCode};
use crate::finding::{Finding, Rule, Severity};
use crate::read::UnitReport;

/// The files of other periods each unit sent: `(period, file name)`.
pub(super) type OtherPeriods = BTreeMap<UnitCode, Vec<(Period, String)>>;

/// Statuses of every registered unit, in registry order, and the findings
/// of missing and late reports.
pub(super) fn unit_statuses(
    reports: &[UnitReport],
    choice: &Choice,
    other_period_units: &OtherPeriods,
    period: Period,
    config: &Config,
) -> (Vec<UnitStatus>, Vec<Finding>) {
    let Choice { by_unit, chosen, .. } = choice;
    let deadline = config.settings.deadline.date(period);
    let mut statuses = Vec::new();
    let mut missing_findings = Vec::new();
    for unit in &config.units.units {
        let expected = unit.is_expected(period);
        let indices = by_unit.get(&unit.code).cloned().unwrap_or_default();
        let chosen_report = chosen.get(&unit.code).map(|&i| &reports[i]);
        let (submitted, stated) = match chosen_report {
            Some(r) => match r.identity.submitted {
                Some(d) => (Some(d), true),
                None => (r.file.modified.map(|t| t.date()), false),
            },
            None => (None, false),
        };
        let rejected = chosen_report.is_some_and(UnitReport::is_rejected);
        let reason = match chosen_report {
            None => match other_period_units.get(&unit.code) {
                Some(periods) => format!("Chưa gửi báo cáo kỳ {}. {}", period.vn(), other_period_text(periods)),
                None => "Chưa gửi báo cáo".to_string(),
            },
            Some(r) if r.is_rejected() => r
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
            Some(_) => String::new(),
        };
        let holder = config.units.current_holder(&unit.code, period);
        let on_time = submitted.map(|d| d <= deadline);
        if expected && chosen_report.is_none() {
            let mut f = Finding::new(
                Rule::MissingReport,
                format!(
                    "Đơn vị {} chưa gửi báo cáo kỳ {} (hạn {}).",
                    unit.name,
                    period.vn(),
                    deadline.format("%d/%m/%Y")
                ),
            )
            .for_unit(&unit.code);
            if let Some(periods) = other_period_units.get(&unit.code) {
                f.message = format!(
                    "{} {} Nếu đây là báo cáo kỳ {} chưa sửa \"Kỳ báo cáo\", đề nghị sửa và gửi lại.",
                    f.message,
                    other_period_text(periods),
                    period.vn()
                );
            }
            check::apply_overrides(std::slice::from_mut(&mut f), config);
            missing_findings.push(f);
        }
        if let (Some(r), Some(false)) = (chosen_report, on_time) {
            let mut f = Finding::new(
                Rule::LateReport,
                format!(
                    "Báo cáo ngày {} ({}), sau hạn {}.",
                    submitted.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                    if stated { "theo ô Ngày báo cáo" } else { "theo thời gian tệp" },
                    deadline.format("%d/%m/%Y")
                ),
            )
            .for_unit(&unit.code)
            .in_file(&r.file.name);
            check::apply_overrides(std::slice::from_mut(&mut f), config);
            missing_findings.push(f);
        }
        statuses.push(UnitStatus {
            unit: unit.code.clone(),
            name: unit.name.clone(),
            kind: unit.kind.clone(),
            expected,
            received: chosen_report.is_some(),
            rejected,
            file: chosen_report.map(|r| r.file.name.clone()),
            files: indices.iter().map(|&i| reports[i].file.name.clone()).collect(),
            submitted,
            submitted_stated: stated,
            on_time,
            holder: (holder != unit.code).then_some(holder),
            reason,
        });
    }
    (statuses, missing_findings)
}

/// "Chỉ nhận được tệp a.xlsx (kỳ 05/2024)": the files of another period a
/// unit sent, named so the officer can find them.
fn other_period_text(periods: &[(Period, String)]) -> String {
    let list: Vec<String> = periods.iter().map(|(p, file)| format!("tệp {file} (ghi kỳ {})", p.vn())).collect();
    format!("Chỉ nhận được {}.", list.join(", "))
}
