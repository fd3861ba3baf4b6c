//! The cron digest, `tom_tat.txt`: a short Vietnamese text for people, the
//! body of the mail cron sends (MAILTO) or a message pasted into a chat.
//!
//! The period and its deadline; units received against expected, and by name
//! the ones missing, late and rejected, each with a few words of why; the
//! headline disbursement rate and poverty-rate reduction as the report's
//! first sheet prints them; what changed since the previous run of the
//! period. Nothing in it depends on the clock, so the same inputs give the
//! same bytes.

use std::fmt::Write as _;
use std::path::Path;

use crate::assembled::{Month, UnitStatus};
use crate::check::{Rule, Severity};
use crate::compute::{Consolidation, UnitKey};
use crate::domain::IndicatorCode;
use crate::text::vn_number;
use crate::write::Doc;
use crate::write::blocks::vn;

/// The digest's file name inside the period folder.
pub const FILE: &str = "tom_tat.txt";

/// Distinct error titles of a rejected unit shown in the digest.
const REASONS_SHOWN: usize = 2;

/// The digest of a period's run. `changes` is what changed since the previous
/// run of the period (empty on its first run); `report` is the report's final path.
pub fn text(doc: &Doc<'_>, month: &Month, figures: &Consolidation, changes: &[String], report: &Path) -> String {
    let period = doc.period;
    let agency = &doc.config.settings.agency;
    let deadline = doc.config.settings.deadline.date(period);
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line(&format!("gnbv — tóm tắt báo cáo {} (kỳ {})", period.vn_long(), period));
    let who: Vec<&str> =
        [agency.name.as_str(), agency.report_name.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    if !who.is_empty() {
        line(&who.join(", "));
    }
    line(&format!("Hạn gửi báo cáo: ngày {}", deadline.format("%d/%m/%Y")));
    line("");

    let expected: Vec<&UnitStatus> = month.statuses.iter().filter(|s| s.expected).collect();
    let missing: Vec<&UnitStatus> = expected.iter().copied().filter(|s| !s.received).collect();
    let late: Vec<&UnitStatus> = expected.iter().copied().filter(|s| s.received && s.on_time == Some(false)).collect();
    let rejected: Vec<&UnitStatus> = expected.iter().copied().filter(|s| s.received && s.rejected).collect();
    line(&format!(
        "Đơn vị đã gửi báo cáo: {}/{} (đúng hạn {}, muộn {}, bị từ chối {}, chưa gửi {})",
        month.received(),
        month.expected(),
        month.on_time(),
        late.len(),
        month.rejected(),
        missing.len()
    ));
    list(&mut line, "Chưa gửi", &missing, missing_reason);
    list(&mut line, "Gửi muộn", &late, |s| late_reason(s, deadline));
    list(&mut line, "Bị từ chối", &rejected, |s| rejected_reason(month, s));
    if !month.unidentified.is_empty() {
        line(&format!("Tệp không xác định được đơn vị ({}), không được tổng hợp:", month.unidentified.len()));
        for &i in &month.unidentified {
            line(&format!("  - {}", month.reports[i].file.name));
        }
    }
    line("");

    let total = figures.capital.total();
    let rate = total.rate().map_or_else(|| "-".to_string(), |r| format!("{}%", vn(r * 100.0, 1)));
    line(&format!(
        "Tỷ lệ giải ngân: {rate} ({}/{} {}; tiến độ kỳ vọng {}%)",
        vn_number(doc.money(total.disbursed_cumulative), None),
        vn_number(doc.money(total.allocated), None),
        doc.money.label(),
        vn(crate::write::report::expected_progress(doc) * 100.0, 0)
    ));
    let cut = figures.indicators.get(&UnitKey::Total, &IndicatorCode::new("GIAM_TL_HN"));
    let cut_value = cut.achieved.map_or_else(|| "-".to_string(), |v| format!("{} điểm %", vn(v * 100.0, 2)));
    let note = crate::write::report::poverty_cut_note(&cut);
    let note = if note.is_empty() { String::new() } else { format!(" ({note})") };
    line(&format!("Mức giảm tỷ lệ hộ nghèo: {cut_value}{note}"));
    line(&format!(
        "Kiểm tra số liệu: {} lỗi, {} cảnh báo (biểu 07 của báo cáo)",
        month.count(Severity::Error),
        month.count(Severity::Warning)
    ));
    line("");

    if changes.is_empty() {
        line("Thay đổi so với lần chạy trước của kỳ này: đây là lần chạy đầu tiên.");
    } else {
        line("Thay đổi so với lần chạy trước của kỳ này:");
        for change in changes {
            line(&format!("  - {change}"));
        }
    }
    line("");
    line(&format!("Báo cáo: {}", report.display()));
    out
}

/// `Chưa gửi: không có`, or a heading and one line per unit.
fn list(line: &mut impl FnMut(&str), heading: &str, units: &[&UnitStatus], why: impl Fn(&UnitStatus) -> String) {
    if units.is_empty() {
        line(&format!("{heading}: không có"));
        return;
    }
    line(&format!("{heading} ({}):", units.len()));
    for s in units {
        let reason = why(s);
        let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
        line(&format!("  - {} ({}){reason}", s.name, s.unit));
    }
}

/// Only a workbook of another month arrived: which (the rest goes without saying).
fn missing_reason(s: &UnitStatus) -> String {
    s.reason.split_once(". ").map(|(_, rest)| rest.trim().to_string()).unwrap_or_default()
}

fn late_reason(s: &UnitStatus, deadline: chrono::NaiveDate) -> String {
    let Some(date) = s.submitted else { return String::new() };
    let how = if s.submitted_stated { "" } else { " (theo thời gian tệp)" };
    format!("gửi ngày {}{how}, sau hạn {}", date.format("%d/%m/%Y"), deadline.format("%d/%m/%Y"))
}

/// The titles of the errors that rejected the unit's workbook.
fn rejected_reason(month: &Month, s: &UnitStatus) -> String {
    let Some(report) = month.reports.iter().find(|r| Some(&r.file.name) == s.file.as_ref()) else {
        return String::new();
    };
    let errors: Vec<&crate::check::Finding> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    let mut titles: Vec<String> = Vec::new();
    for f in &errors {
        // A rule of rules.toml has a generic title: its own message says more.
        let title = if f.rule == Rule::Validation { f.message.clone() } else { f.rule.title().to_string() };
        if !titles.contains(&title) {
            titles.push(title);
        }
    }
    let mut text = titles.iter().take(REASONS_SHOWN).cloned().collect::<Vec<_>>().join("; ");
    if titles.len() > REASONS_SHOWN {
        text.push_str("; …");
    }
    let _ = write!(text, " ({} lỗi, tệp {})", errors.len(), report.file.name);
    text
}
