//! The month's batch: find the workbooks, read them in parallel, check them,
//! keep one per unit, and hand the accepted figures to the computation.
//!
//! Each workbook becomes a small [`UnitReport`] on its own thread; the
//! reports are then sorted by file name, so nothing downstream depends on
//! thread timing and the same inputs give the same bytes out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::check::{self, Finding, Previous, Rule, Severity};
use crate::compute::UnitFigures;
use crate::compute::frames::{TidyRow, TidyValue};
use crate::config::Config;
use crate::domain::{Period, UnitCode};
use crate::read::official::Decisions;
use crate::read::{self, Note, UnitReport};

/// Workbook extensions read; anything else in the input folder is listed as skipped.
const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// A file under the input folder that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Path relative to the input folder.
    pub name: String,
    /// Why it is not read.
    pub reason: String,
}

/// Lists workbook files under `input` (recursively, in name order), skipping
/// hidden files, Excel lock files (`~$…`) and other kinds of files.
///
/// # Errors
///
/// The I/O error when `input` cannot be listed.
pub fn discover(input: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<Skipped>)> {
    if !input.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not a folder", input.display())));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(input).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')) {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let rel = entry.path().strip_prefix(input).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        if name.starts_with("~$") || name.starts_with(".~lock") {
            skipped.push(Skipped { name: rel, reason: "tệp khóa tạm của Excel/LibreOffice".into() });
            continue;
        }
        let ext = entry.path().extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
            files.push(entry.into_path());
        } else {
            skipped.push(Skipped { name: rel, reason: "không phải tệp bảng tính (.xlsx, .xls, .ods)".into() });
        }
    }
    Ok((files, skipped))
}

/// Reads every file in parallel; the result is in file-name order.
pub fn read_all(paths: &[PathBuf], input: &Path, config: &Config, progress: &(dyn Fn() + Sync)) -> Vec<UnitReport> {
    let mut reports: Vec<UnitReport> = paths
        .par_iter()
        .map(|path| {
            let report = match read::load_file(path, input, config.settings.limits.max_file_bytes()) {
                Ok((file, bytes)) => read::read_workbook(file, bytes, config),
                Err(e) => {
                    let name = path.strip_prefix(input).unwrap_or(path).to_string_lossy().replace('\\', "/");
                    let file = read::SourceFile {
                        path: path.clone(),
                        period_hint: read::period_from_path(&name),
                        name,
                        sha256: String::new(),
                        size: 0,
                        modified: None,
                    };
                    let mut r = UnitReport::new(file);
                    r.add(Finding::new(Rule::FileUnreadable, format!("Không mở được tệp: {e}.")));
                    r
                }
            };
            progress();
            report
        })
        .collect();
    reports.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    reports
}

/// The period a report is for: the one its folder or file name names (what
/// it was sent for), else the one written in it.
pub fn period_of(report: &UnitReport) -> Option<Period> {
    report.file.period_hint.or(report.identity.period)
}

/// The period to run when none is given: the latest period that any
/// identified workbook is for (documented in the README).
pub fn latest_period(reports: &[UnitReport]) -> Option<Period> {
    reports.iter().filter_map(period_of).max()
}

/// Where each registered unit stands for the period.
#[derive(Debug, Clone)]
pub struct UnitStatus {
    /// The unit.
    pub unit: UnitCode,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// Expected to report this period.
    pub expected: bool,
    /// At least one identified workbook arrived for the period.
    pub received: bool,
    /// Its used workbook was rejected.
    pub rejected: bool,
    /// The workbook used (or rejected), relative to the input folder.
    pub file: Option<String>,
    /// Every file received for the unit this period.
    pub files: Vec<String>,
    /// Submission date (`Ngày báo cáo`, else file time).
    pub submitted: Option<NaiveDate>,
    /// Whether the date came from the workbook (`true`) or the file time.
    pub submitted_stated: bool,
    /// On or before the deadline.
    pub on_time: Option<bool>,
    /// Figures go to another unit (a closed, merged unit).
    pub holder: Option<UnitCode>,
    /// Why it is missing or rejected, in Vietnamese.
    pub reason: String,
}

/// Everything the month's outputs are made from.
#[derive(Debug, Clone)]
pub struct Month {
    /// The period.
    pub period: Period,
    /// Every registered unit, in registry order (expected or not).
    pub statuses: Vec<UnitStatus>,
    /// Workbooks of the period, in file-name order (used, rejected, duplicates).
    pub reports: Vec<UnitReport>,
    /// Indices into `reports` of the workbooks whose figures are used.
    pub used: Vec<usize>,
    /// Indices into `reports` of files not tied to any registered unit.
    pub unidentified: Vec<usize>,
    /// Every finding of the period, sorted.
    pub findings: Vec<Finding>,
    /// The accepted figures, by the unit they count for.
    pub figures: Vec<UnitFigures>,
    /// The period's tidy data.
    pub tidy: Vec<TidyRow>,
    /// Difficulties and recommendations by unit.
    pub notes: Vec<(UnitCode, Note)>,
    /// Files of other periods found in the input folder, by period.
    pub other_periods: BTreeMap<Period, usize>,
    /// The layout of each unit's used workbook, for next month's drift check.
    pub layouts: BTreeMap<UnitCode, Vec<String>>,
}

impl Month {
    /// Expected units.
    pub fn expected(&self) -> usize {
        self.statuses.iter().filter(|s| s.expected).count()
    }

    /// Expected units that sent an identified workbook.
    pub fn received(&self) -> usize {
        self.statuses.iter().filter(|s| s.expected && s.received).count()
    }

    /// Received units whose workbook is rejected.
    pub fn rejected(&self) -> usize {
        self.statuses.iter().filter(|s| s.expected && s.received && s.rejected).count()
    }

    /// Received units whose workbook is dated on or before the deadline.
    pub fn on_time(&self) -> usize {
        self.statuses.iter().filter(|s| s.expected && s.received && s.on_time == Some(true)).count()
    }

    /// Findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Assembles the month from every report read: picks the period's reports,
/// checks them, keeps the latest per unit, and lists the missing units.
pub fn assemble(
    all: Vec<UnitReport>,
    period: Period,
    config: &Config,
    previous: &Previous,
    decisions: &Decisions,
) -> Month {
    let mut other_periods: BTreeMap<Period, usize> = BTreeMap::new();
    let mut other_period_units: BTreeMap<UnitCode, Vec<Period>> = BTreeMap::new();
    let mut reports: Vec<UnitReport> = Vec::new();
    for report in all {
        match period_of(&report) {
            Some(p) if p != period => {
                *other_periods.entry(p).or_default() += 1;
                if let Some(u) = &report.identity.unit {
                    other_period_units.entry(u.clone()).or_default().push(p);
                }
            }
            _ => reports.push(report),
        }
    }
    reports.par_iter_mut().for_each(|r| check::check_report(r, config, period, previous, decisions));

    // One workbook per unit: the latest by its own date, else file time, else name.
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

    // Figures, tidy rows and notes of the used workbooks.
    let mut used = Vec::new();
    let mut figures = Vec::new();
    let mut tidy = Vec::new();
    let mut notes = Vec::new();
    let mut layouts = BTreeMap::new();
    for (unit, &i) in &chosen {
        let r = &reports[i];
        if r.is_rejected() {
            continue;
        }
        used.push(i);
        let holder = config.units.current_holder(unit, period);
        let rows = tidy_rows(r, &holder, period, decisions);
        figures.push(unit_figures(&holder, r.month_reported, &rows));
        tidy.extend(rows);
        notes.extend(r.notes.iter().map(|n| (unit.clone(), n.clone())));
        layouts.insert(unit.clone(), r.layout.clone());
    }
    used.sort_unstable();

    // Statuses of every registered unit that is expected or sent something.
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
            None => "Chưa gửi báo cáo".to_string(),
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
                let list: Vec<String> = periods.iter().map(|p| p.vn()).collect();
                f.message = format!("{} Chỉ nhận được báo cáo kỳ {}.", f.message, list.join(", "));
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

    let mut findings: Vec<Finding> = reports.iter().flat_map(|r| r.findings.iter().cloned()).collect();
    findings.extend(missing_findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Month { period, statuses, reports, used, unidentified, findings, figures, tidy, notes, other_periods, layouts }
}

/// The figures a used workbook contributes (its tidy rows, so official
/// decisions already replace the unit's own allocations and targets).
pub fn unit_figures(holder: &UnitCode, month_reported: bool, rows: &[TidyRow]) -> UnitFigures {
    let mut figures = UnitFigures { unit: holder.clone(), month_reported, ..UnitFigures::default() };
    for row in rows {
        match &row.value {
            TidyValue::Money { project, source, field, value } => {
                figures.capital.push((project.clone(), source.clone(), *field, *value));
            }
            TidyValue::Indicator { code, field, value } => figures.indicators.push((code.clone(), *field, *value)),
        }
    }
    figures
}

/// The figures used from a workbook, each with the cell it comes from: the
/// unit's own, or the official decision's where one covers the unit.
fn tidy_rows(report: &UnitReport, holder: &UnitCode, period: Period, decisions: &Decisions) -> Vec<TidyRow> {
    let reported_by = report.identity.unit.clone().unwrap_or_else(|| holder.clone());
    let base = |sheet: &Option<String>, cell: crate::domain::CellRef, value: TidyValue| TidyRow {
        period,
        unit: holder.clone(),
        reported_by: reported_by.clone(),
        month_reported: report.month_reported,
        value,
        file: report.file.name.clone(),
        sheet: sheet.clone().unwrap_or_default(),
        cell: cell.to_string(),
        sha256: report.file.sha256.clone(),
    };
    let unit = report.identity.unit.clone().unwrap_or_else(|| holder.clone());
    let mut rows: Vec<TidyRow> = report
        .capital
        .iter()
        .filter(|f| !(f.field == crate::domain::MoneyField::Allocated && decisions.governs(&unit, &f.source)))
        .map(|f| {
            base(
                &report.capital_sheet,
                f.cell,
                TidyValue::Money {
                    project: f.project.clone(),
                    source: f.source.clone(),
                    field: f.field,
                    value: f.value,
                },
            )
        })
        .collect();
    let has_official_target =
        |code: &crate::domain::IndicatorCode| decisions.targets.contains_key(&(unit.clone(), code.clone()));
    rows.extend(
        report
            .indicators
            .iter()
            .filter(|f| !(f.field == crate::domain::IndicatorField::Target && has_official_target(&f.code)))
            .map(|f| {
                base(
                    &report.indicator_sheet,
                    f.cell,
                    TidyValue::Indicator { code: f.code.clone(), field: f.field, value: f.value },
                )
            }),
    );
    let official = |file: &str, sheet: &str, cell: crate::domain::CellRef, value: TidyValue| TidyRow {
        file: file.to_string(),
        sheet: sheet.to_string(),
        cell: cell.to_string(),
        sha256: String::new(),
        ..base(&None, cell, value)
    };
    for ((u, project, source), o) in &decisions.allocation {
        if *u == unit {
            rows.push(official(
                &o.file,
                &o.sheet,
                o.cell,
                TidyValue::Money {
                    project: project.clone(),
                    source: source.clone(),
                    field: crate::domain::MoneyField::Allocated,
                    value: o.value,
                },
            ));
        }
    }
    for ((u, code), o) in &decisions.targets {
        if *u == unit {
            rows.push(official(
                &o.file,
                &o.sheet,
                o.cell,
                TidyValue::Indicator {
                    code: code.clone(),
                    field: crate::domain::IndicatorField::Target,
                    value: o.value,
                },
            ));
        }
    }
    rows
}

/// Since the 2025 reform, a commune that closed hands its figures to its
/// successor: for every period after the closing, the successor's year-to-date
/// figures include the closed units' last reported cumulative figures
/// (allocation, cumulative disbursement, cumulative results of flow
/// indicators), so the year stays whole. The successor is taken to report
/// only its own figures since it opened. A closed unit that still sent a
/// workbook for the period is counted from that workbook instead.
pub fn carry_predecessors(month: &mut Month, history: &crate::compute::history::History, config: &Config) {
    let period = month.period;
    let reported_now: std::collections::BTreeSet<UnitCode> = month.tidy.iter().map(|r| r.reported_by.clone()).collect();
    for unit in config.units.units.iter().filter(|u| u.is_expected(period)) {
        for predecessor in config.units.predecessors(&unit.code) {
            let closed_this_year = predecessor
                .closed
                .is_some_and(|d| chrono::Datelike::year(&d) == period.year() && d <= period.last_day());
            if !closed_this_year || reported_now.contains(&predecessor.code) {
                continue;
            }
            // The latest earlier period of the year in which the closed unit has figures.
            let Some(rows) = history
                .periods
                .range(..period)
                .rev()
                .filter(|(p, _)| p.year() == period.year())
                .map(|(_, rows)| rows.iter().filter(|r| r.reported_by == predecessor.code).collect::<Vec<_>>())
                .find(|rows| !rows.is_empty())
            else {
                continue;
            };
            let carried: Vec<TidyRow> = rows
                .into_iter()
                .filter(|r| match &r.value {
                    TidyValue::Money { field, .. } => *field != crate::domain::MoneyField::DisbursedMonth,
                    TidyValue::Indicator { code, field, .. } => {
                        *field == crate::domain::IndicatorField::Achieved
                            && config
                                .indicators
                                .get(code)
                                .is_some_and(|i| i.kind == crate::config::indicators::Kind::Flow && !i.is_derived())
                    }
                })
                .map(|r| TidyRow { period, unit: unit.code.clone(), month_reported: true, ..r.clone() })
                .collect();
            if carried.is_empty() {
                continue;
            }
            month.figures.push(unit_figures(&unit.code, true, &carried));
            month.tidy.extend(carried);
        }
    }
}
