//! The run's record: the one line printed for cron mail, the run log
//! (`nhat_ky.txt`), and what changed since the previous run of the period.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use super::Month;
use crate::compute::Consolidation;
use crate::finding::Severity;
use crate::output;
use crate::write::{Doc, RunInfo};

/// The line printed on stdout, for cron mail and the person on call.
pub fn one_line(doc: &Doc<'_>, month: &Month, figures: &Consolidation, report: &Path) -> String {
    let total = figures.capital.total();
    let rate = total.rate().map_or_else(
        || "-".to_string(),
        |r| format!("{}%", crate::check::rules::format_vn((r * 1000.0).round() / 10.0)),
    );
    format!(
        "gnbv {}: {}/{} đơn vị đã báo cáo (đúng hạn {}, bị từ chối {}), {} lỗi, {} cảnh báo; giải ngân {} ({}/{} {}) -> {}",
        doc.period,
        month.received(),
        month.expected(),
        month.on_time(),
        month.rejected(),
        month.count(Severity::Error),
        month.count(Severity::Warning),
        rate,
        crate::check::rules::format_vn(doc.money(total.disbursed_cumulative)),
        crate::check::rules::format_vn(doc.money(total.allocated)),
        doc.money.label(),
        report.display()
    )
}

pub fn run_log(month: &Month, figures: &Consolidation, run: &RunInfo, line: &str, elapsed: Duration) -> String {
    // Measurements of this run (they differ from run to run), on one line.
    let peak = crate::peak_memory_bytes().map(|b| format!(", bộ nhớ đỉnh: {} MB", b / 1_048_576)).unwrap_or_default();
    let mut lines = vec![
        line.to_string(),
        format!("gnbv {} — kỳ {}", run.version, month.period),
        format!("đầu vào: {} ({} tệp), cấu hình: {}", run.input, run.files.len(), run.config),
        format!("thời gian xử lý: {:.3} s{peak}", elapsed.as_secs_f64()),
    ];
    let history: Vec<String> = run.history.iter().map(ToString::to_string).collect();
    lines.push(format!("lịch sử: {}", if history.is_empty() { "không có".into() } else { history.join(", ") }));
    lines.extend(run.changes.iter().map(|c| format!("thay đổi: {c}")));
    for st in &month.statuses {
        let state = if !st.expected && !st.received {
            "không phải báo cáo kỳ này"
        } else if !st.received {
            "CHƯA GỬI"
        } else if st.rejected {
            "TỪ CHỐI"
        } else {
            "đã nhận"
        };
        lines.push(format!("đơn vị {}: {state} {}", st.unit, st.file.as_deref().unwrap_or("")));
    }
    lines.extend(run.skipped.iter().map(|(name, reason)| format!("bỏ qua {name}: {reason}")));
    lines.extend(month.findings.iter().map(ToString::to_string));
    let total = figures.capital.total();
    lines.push(format!(
        "tổng giải ngân lũy kế: {} đồng / kế hoạch {} đồng",
        total.disbursed_cumulative, total.allocated
    ));
    lines.join("\n") + "\n"
}

pub fn read_previous_summary(period_dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(period_dir.join(output::SUMMARY_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// What changed since the previous run of the period: inputs added, changed
/// or removed (by SHA-256) and the headline figures.
pub fn changes_since(
    before: Option<&serde_json::Value>,
    month: &Month,
    figures: &Consolidation,
    files: &[(String, String, u64)],
) -> Vec<String> {
    let Some(before) = before else { return Vec::new() };
    let mut out = Vec::new();
    let old: BTreeMap<String, String> = before
        .get("inputs")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|i| Some((i.get("file")?.as_str()?.to_string(), i.get("sha256")?.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let new: BTreeMap<String, String> = files.iter().map(|(n, s, _)| (n.clone(), s.clone())).collect();
    for (name, sha) in &new {
        match old.get(name) {
            None => out.push(format!("tệp mới: {name}")),
            Some(o) if o != sha => out.push(format!("tệp thay đổi: {name}")),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        out.push(format!("tệp không còn: {name}"));
    }
    let total = |v: &serde_json::Value, key: &str| -> Option<i64> {
        v.get("capital")?
            .as_array()?
            .iter()
            .find(|r| {
                r.get("unit").and_then(|x| x.as_str()) == Some("TOTAL")
                    && r.get("project").and_then(|x| x.as_str()) == Some("TOTAL")
                    && r.get("source").and_then(|x| x.as_str()) == Some("TOTAL")
            })?
            .get(key)?
            .as_i64()
    };
    // The TOTAL/TOTAL/TOTAL row of summary.json.
    let now_total = figures.capital.total();
    for (key, value, label) in [
        ("allocated", now_total.allocated.0, "tổng kế hoạch vốn"),
        ("disbursed_cumulative", now_total.disbursed_cumulative.0, "tổng lũy kế giải ngân"),
    ] {
        if let Some(old_value) = total(before, key)
            && old_value != value
        {
            out.push(format!("{label}: {} -> {} đồng", crate::domain::Dong(old_value), crate::domain::Dong(value)));
        }
    }
    let count = |v: &serde_json::Value, key: &str| v.get(key).and_then(serde_json::Value::as_u64);
    for (key, value, label) in [
        ("units_received", month.received(), "số đơn vị đã báo cáo"),
        ("units_rejected", month.rejected(), "số đơn vị bị từ chối"),
    ] {
        if let Some(old_value) = count(before, key)
            && old_value != value as u64
        {
            out.push(format!("{label}: {old_value} -> {value}"));
        }
    }
    if out.is_empty() {
        out.push("không có thay đổi về tệp đầu vào và số liệu tổng".to_string());
    }
    out
}
