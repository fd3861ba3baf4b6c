//! `gnbv run`: the monthly job, unattended.
//!
//! Lock the output folder, read every workbook under the input folder once
//! (in parallel), pick the period(s), and for each: check, consolidate, write
//! every output into staging (the digest `tom_tat.txt` among them), commit
//! atomically, log, and print one line (or, with `--digest`, the digest).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use rayon::prelude::*;

use crate::batch::{self, Month};
use crate::check::Severity;
use crate::cli::{Global, RunArgs};
use crate::compute::history::History;
use crate::compute::{Consolidation, ProjectKey, SourceKey, UnitKey};
use crate::config::Config;
use crate::domain::{IndicatorField, MoneyField, Period};
use crate::exit::{ExitStatus, Failure, OrExit};
use crate::output::{self, Staging};
use crate::paths::{self, Paths};
use crate::read::UnitReport;
use crate::read::official::Decisions;
use crate::write::report::ReportData;
use crate::write::unit_workbook::UnitContent;
use crate::write::{self, Doc, RunInfo};

/// Runs the monthly job.
///
/// # Errors
///
/// A [`Failure`] with the exit status of SPEC §7 when no report can be written.
pub fn run(args: &RunArgs, global: &Global) -> Result<ExitStatus, Failure> {
    let started = Instant::now();
    let dirs = paths::resolve_here(paths::Flags {
        config: args.config.as_deref(),
        input: args.input.as_deref(),
        output: args.output.as_deref(),
    });
    let config = Config::load(&dirs.config).or_exit(ExitStatus::Usage)?;
    let wait = Duration::from_secs(args.wait.unwrap_or(config.settings.run.lock_wait_seconds));
    let _lock = output::lock(&dirs.output, wait).or_exit(ExitStatus::Locked)?;
    output::clean_stale(&dirs.output);

    let (paths, skipped) = batch::discover(&dirs.input)
        .with_context(|| format!("reading the input folder {}", dirs.input.display()))
        .or_exit(ExitStatus::NoInput)?;
    let bar = super::progress(paths.len(), global);
    let tick = || bar.inc(1);
    let reports = batch::read_all(&paths, &dirs.input, &config, &tick);
    bar.finish_and_clear();
    tracing::debug!(
        "read {} workbooks in {:.2?} (cpu {:.2} s)",
        reports.len(),
        started.elapsed(),
        super::cpu_seconds().unwrap_or(f64::NAN)
    );

    let periods = match args.period {
        Some(p) => vec![p],
        None => automatic_periods(&reports, &dirs.output, super::recorded_time().date()),
    };
    let Some(&target) = periods.last() else {
        return Err(Failure {
            status: ExitStatus::NoInput,
            error: anyhow::anyhow!(
                "no unit workbook found under {} (expected .xlsx/.xls/.ods files, e.g. input/2024-06/don_vi.xlsx)",
                dirs.input.display()
            ),
        });
    };
    // Every period of the run is of the target's year (catch-up stays in
    // the year): its official decisions are read once, before any is consolidated.
    let decisions = {
        let catalogue = config.catalogue_for(target.year()).or_exit(ExitStatus::Usage)?;
        crate::read::official::load(&config, catalogue, target.year()).or_exit(ExitStatus::Usage)?
    };
    let recorded = super::recorded_time();
    let mut status = ExitStatus::Clean;
    let mut reports = Some(reports);
    let count = periods.len();
    for (i, period) in periods.into_iter().enumerate() {
        // The last period takes the reports; earlier ones get a copy.
        let these = if i + 1 == count { reports.take() } else { reports.clone() }.unwrap_or_default();
        debug_assert_eq!(period.year(), target.year());
        if args.digest && i > 0 {
            println!(); // between two periods' digests
        }
        let outcome = run_period(period, these, &skipped, &config, &decisions, &dirs, args.digest, global, recorded);
        match outcome {
            Ok(s) => status = status.worst(s),
            Err(f) if period == target => return Err(f),
            Err(f) => {
                eprintln!("gnbv: kỳ {}: {:#}", period.vn(), f.error);
                status = status.worst(f.status);
            }
        }
    }
    tracing::debug!("done in {:.2?}", started.elapsed());
    Ok(status)
}

/// Without `--period`: the latest period any workbook is for, preceded by the
/// earlier periods of the same year that have workbooks but no report yet.
/// A period after the current month is a typo in a workbook, never a month
/// to report on.
fn automatic_periods(reports: &[UnitReport], output: &Path, today: chrono::NaiveDate) -> Vec<Period> {
    let now = Period::of_date(today);
    let found: std::collections::BTreeSet<Period> =
        reports.iter().filter_map(batch::period_of).filter(|p| *p <= now).collect();
    let Some(&latest) = found.iter().next_back() else { return Vec::new() };
    let mut periods: Vec<Period> = found
        .iter()
        .copied()
        .filter(|p| p.year() == latest.year() && *p < latest)
        .filter(|p| !output.join(p.to_string()).join(output::report_file_name(*p)).exists())
        .collect();
    periods.push(latest);
    periods
}

#[allow(clippy::too_many_arguments)]
fn run_period(
    period: Period,
    reports: Vec<UnitReport>,
    skipped: &[batch::Skipped],
    config: &Config,
    decisions: &Decisions,
    dirs: &Paths,
    digest: bool,
    global: &Global,
    recorded: chrono::NaiveDateTime,
) -> Result<ExitStatus, Failure> {
    let started = Instant::now();
    let mut step = Step::new(period);
    let catalogue = config.catalogue_for(period.year()).or_exit(ExitStatus::Usage)?;
    let history = History::load(&dirs.output, period);
    step.done("history");
    for problem in &history.unreadable {
        tracing::warn!("history not readable: {problem}");
    }
    let previous = history.previous(period);
    let mut month = batch::assemble(reports, period, config, &previous, decisions);
    batch::carry_predecessors(&mut month, &history, config);
    step.done("assemble and check");
    if month.reports.is_empty() {
        return Err(Failure {
            status: ExitStatus::NoInput,
            error: anyhow::anyhow!("no unit workbook for {} under {}", period, dirs.input.display()),
        });
    }
    let period_dir = dirs.output.join(period.to_string());
    let mut staging = Staging::new(&dirs.output, period).or_exit(ExitStatus::Failed)?;
    let report_name = output::report_file_name(period);
    let tidy_path = staging.path(&output::tidy_file_name(period)).or_exit(ExitStatus::Failed)?;
    // The CSV copy is for opening in Excel: past Excel's 1,048,576 rows it
    // could not be opened, so at national scale only the Parquet file is kept.
    let csv_path = if month.tidy().count() < EXCEL_MAX_ROWS {
        Some(staging.path(&output::tidy_csv_name(period)).or_exit(ExitStatus::Failed)?)
    } else {
        tracing::info!("{period}: tidy data over Excel's row limit, written as Parquet only");
        None
    };
    // The tidy data needs only what was read: it is written while the
    // figures are computed and the other outputs are written.
    let (tidy, rest) = rayon::join(
        || write_tidy(&month, &tidy_path, csv_path.as_deref()),
        || {
            let figures = Consolidation::compute(period, &month.figures, config, catalogue, &history);
            step.done("compute");
            let doc = Doc::new(config, catalogue, period, recorded)
                .with_whole_money(figures.capital.all_whole(config.settings.report.money_unit));
            let before = read_previous_summary(&period_dir);
            let mut run = RunInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
                input: dirs.input.display().to_string(),
                config: dirs.config.display().to_string(),
                files: month
                    .reports
                    .iter()
                    .map(|r| (r.file.name.clone(), r.file.sha256.clone(), r.file.size))
                    .collect(),
                skipped: skipped.iter().map(|s| (s.name.clone(), s.reason.clone())).collect(),
                history: history.periods.keys().copied().collect(),
                changes: Vec::new(),
            };
            run.changes = changes_since(before.as_ref(), &month, &figures, &run.files);
            let digest = write::digest::text(&doc, &month, &figures, &run.changes, &period_dir.join(&report_name));
            write_outputs(&doc, &month, &figures, &run, &digest, &mut staging).map(|()| (figures, doc, run, digest))
        },
    );
    let (figures, doc, run, digest_text) = rest.or_exit(ExitStatus::Failed)?;
    tidy.or_exit(ExitStatus::Failed)?;
    step.done("outputs");

    let line = one_line(&doc, &month, &figures, &period_dir.join(&report_name));
    let log = run_log(&month, &figures, &run, &line, started.elapsed());
    staging.write(output::LOG_FILE, log.as_bytes()).or_exit(ExitStatus::Failed)?;
    let stamp = recorded.format("%Y%m%dT%H%M%S").to_string();
    let committed = staging.commit(&stamp, &report_name).or_exit(ExitStatus::Failed)?;
    step.done("log and commit");
    if let Some(archive) = &committed.archived_to {
        tracing::info!("previous report of {period} archived in {}", archive.display());
        if !global.quiet {
            eprintln!("báo cáo trước của kỳ {} được lưu tại {}", period.vn(), archive.display());
        }
    }
    for change in &run.changes {
        if !global.quiet && !digest {
            eprintln!("  thay đổi: {change}");
        }
    }
    if digest {
        print!("{digest_text}");
    } else {
        println!("{line}");
    }
    let clean = month.rejected() == 0 && month.received() == month.expected() && month.count(Severity::Error) == 0;
    Ok(if clean { ExitStatus::Clean } else { ExitStatus::Problems })
}

/// Writes every output of the period into staging. The outputs are
/// independent of each other, so they are written in parallel (the report
/// workbook's sheets too), each file straight to disk as it is produced and
/// synced before the commit renames it into place.
fn write_outputs(
    doc: &Doc<'_>,
    month: &Month,
    figures: &Consolidation,
    run: &RunInfo,
    digest: &str,
    staging: &mut Staging,
) -> anyhow::Result<()> {
    let period = doc.period;
    staging.write(write::digest::FILE, digest.as_bytes())?;
    // Paths are reserved in the order the files are committed.
    let report_path = staging.path(&output::report_file_name(period))?;
    let upward_path = staging.path(&output::upward_file_name(&doc.config.settings.agency.code, period))?;
    let summary_path = staging.path(output::SUMMARY_FILE)?;
    let layout_path = staging.path(&output::layout_file_name(period))?;
    let statuses: BTreeMap<&crate::domain::UnitCode, &batch::UnitStatus> =
        month.statuses.iter().map(|s| (&s.unit, s)).collect();
    // Each file's layout, for its unit's feedback (looked up once per unit).
    let layouts: BTreeMap<&str, &[String]> =
        month.reports.iter().map(|r| (r.file.name.as_str(), r.layout.as_slice())).collect();
    let mut feedback = Vec::new();
    for (unit, findings) in feedback_by_unit(month) {
        let name = format!("{}/{}", output::FEEDBACK_DIR, output::feedback_file_name(unit.as_str(), period));
        feedback.push((staging.path(&name)?, unit, findings));
    }

    let tempdir = staging.scratch()?;
    let failure: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
    let job = |what: &'static str, f: &(dyn Fn() -> anyhow::Result<()> + Sync)| {
        let started = Instant::now();
        if let Err(e) = f() {
            let mut slot = failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            slot.get_or_insert(e.context(what));
        }
        tracing::debug!("{period}: {what} in {:.2?}", started.elapsed());
    };
    let data = ReportData { month, figures, run };
    rayon::scope(|scope| {
        scope.spawn(|_| {
            job("report workbook", &|| {
                let mut out = output::create_buffered(&report_path)?;
                write::report::write_to(doc, &data, &tempdir, &mut out)?;
                Ok(output::finish_synced(out)?)
            });
        });
        scope.spawn(|_| {
            job("summary.json", &|| {
                let generated_at = doc.recorded.format("%Y-%m-%dT%H:%M:%S").to_string();
                let summary =
                    write::summary::build(doc.config, &doc.catalogue.program.code, month, figures, &generated_at);
                let mut out = output::create_buffered(&summary_path)?;
                // Indented for people up to a province; compact at national scale.
                let pretty = month.statuses.len() <= 1_000;
                write::summary::write_json(&summary, &mut out, pretty)?;
                Ok(output::finish_synced(out)?)
            });
        });
        scope.spawn(|_| {
            job("layouts", &|| {
                let bytes = serde_json::to_vec_pretty(&month.layouts)?;
                Ok(output::write_synced(&layout_path, &bytes)?)
            });
        });
        scope.spawn(|_| {
            job("upward workbook", &|| {
                let content = upward_content(doc.config, month, figures, doc.recorded.date());
                let bytes = write::unit_workbook::workbook(doc, &content)?;
                Ok(output::write_synced(&upward_path, &bytes)?)
            });
        });
        scope.spawn(|_| {
            job("feedback workbooks", &|| {
                feedback.par_iter().try_for_each(|(path, unit, findings)| -> anyhow::Result<()> {
                    let bytes = feedback_workbook(doc, &layouts, statuses.get(unit).copied(), unit, findings)?;
                    Ok(output::write_synced(path, &bytes)?)
                })
            });
        });
    });
    match failure.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Writes the period's tidy data, as Parquet and as CSV (in parallel).
/// Rows an Excel worksheet holds (the CSV's header row included).
const EXCEL_MAX_ROWS: usize = 1_048_576;

fn write_tidy(month: &Month, parquet: &Path, csv: Option<&Path>) -> anyhow::Result<()> {
    let timed = |what: &str, f: &dyn Fn() -> anyhow::Result<()>| {
        let started = Instant::now();
        let result = f().with_context(|| what.to_string());
        tracing::debug!("{}: {what} in {:.2?}", month.period, started.elapsed());
        result
    };
    let (a, b) = rayon::join(
        || {
            timed("parquet", &|| {
                crate::compute::frames::write_parquet_rows(month.tidy(), parquet)?;
                Ok(output::sync_file(parquet)?)
            })
        },
        || {
            let Some(csv) = csv else { return Ok(()) };
            timed("tidy csv", &|| {
                let mut out = output::create_buffered(csv)?;
                write::tidy_csv::write_csv(month.tidy(), &mut out)?;
                Ok(output::finish_synced(out)?)
            })
        },
    );
    a.and(b)
}

/// Times the steps of a period's run, for `--verbose`.
struct Step {
    period: Period,
    last: Instant,
}

impl Step {
    fn new(period: Period) -> Self {
        Self { period, last: Instant::now() }
    }

    fn done(&mut self, what: &str) {
        tracing::debug!(
            "{}: {what} in {:.2?} (cpu so far {:.2} s)",
            self.period,
            self.last.elapsed(),
            super::cpu_seconds().unwrap_or(f64::NAN)
        );
        self.last = Instant::now();
    }
}

/// The aggregate as a unit workbook for the level above.
fn upward_content(config: &Config, month: &Month, figures: &Consolidation, date: chrono::NaiveDate) -> UnitContent {
    let agency = &config.settings.agency;
    let table = &figures.capital;
    let mut content = UnitContent {
        code: agency.code.clone(),
        name: if agency.report_name.is_empty() { agency.name.clone() } else { agency.report_name.clone() },
        submitted: Some(date),
        filled: true,
        without_month: table.total().disbursed_month.is_none(),
        // The units' difficulties and recommendations go up with their names.
        notes: month
            .notes
            .iter()
            .map(|(unit, note)| {
                let name = config.units.get(unit).map_or_else(|| unit.to_string(), |u| u.name.clone());
                (note.topic.starts_with("Kiến nghị"), format!("{name}: {}", note.text))
            })
            .collect(),
        ..UnitContent::default()
    };
    for project in table.project_keys() {
        for source in &config.sources.list {
            let f = table.get(&UnitKey::Total, project, &SourceKey::Source(source.code.clone()));
            for field in MoneyField::ALL {
                let Some(value) = f.get(field) else { continue };
                match project {
                    ProjectKey::Project(code) => {
                        content.money.insert((code.clone(), source.code.clone(), field), value);
                    }
                    ProjectKey::Total => {
                        content.totals.insert((source.code.clone(), field), value);
                    }
                }
            }
        }
    }
    for ind in &config.indicators.list {
        let v = figures.indicators.get(&UnitKey::Total, &ind.code);
        let mut values = [None; 3];
        values[IndicatorField::Target as usize] = v.target;
        values[IndicatorField::Month as usize] = v.month;
        values[IndicatorField::Achieved as usize] = v.achieved;
        if values.iter().any(Option::is_some) {
            content.indicators.insert(ind.code.clone(), values);
        }
    }
    content
}

/// Each unit with findings, and its findings in order.
fn feedback_by_unit(month: &Month) -> BTreeMap<&crate::domain::UnitCode, Vec<&crate::check::Finding>> {
    let mut by_unit: BTreeMap<&crate::domain::UnitCode, Vec<&crate::check::Finding>> = BTreeMap::new();
    for f in &month.findings {
        if let Some(u) = &f.unit {
            by_unit.entry(u).or_default().push(f);
        }
    }
    by_unit
}

/// A unit's feedback workbook.
fn feedback_workbook(
    doc: &Doc<'_>,
    layouts: &BTreeMap<&str, &[String]>,
    status: Option<&batch::UnitStatus>,
    unit: &crate::domain::UnitCode,
    findings: &[&crate::check::Finding],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let name = status.map_or_else(|| unit.to_string(), |s| s.name.clone());
    let file = status.and_then(|s| s.file.as_deref());
    let layout = file.and_then(|f| layouts.get(f).copied()).unwrap_or_default();
    let feedback = write::feedback::Feedback {
        code: unit.as_str(),
        name: &name,
        file: status.and_then(|s| s.file.as_deref()),
        rejected: status.is_some_and(|s| s.rejected),
        missing: status.is_some_and(|s| !s.received),
        findings: findings.to_vec(),
        layout,
    };
    write::feedback::workbook(doc, &feedback)
}

/// The line printed on stdout, for cron mail and the person on call.
fn one_line(doc: &Doc<'_>, month: &Month, figures: &Consolidation, report: &Path) -> String {
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

fn run_log(month: &Month, figures: &Consolidation, run: &RunInfo, line: &str, elapsed: Duration) -> String {
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

fn read_previous_summary(period_dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(period_dir.join(output::SUMMARY_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// What changed since the previous run of the period: inputs added, changed
/// or removed (by SHA-256) and the headline figures.
fn changes_since(
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
