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
use crate::compute::frames::{CellText, TidyRef, TidyRow, TidyValue, TidyValueRef};
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
        let rel = read::relative_name(entry.path(), input);
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
                    let mut r = UnitReport::new(read::SourceFile::unread(path, input));
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
    /// Where the period's tidy data comes from: each used report (index into
    /// `reports`) with the unit its figures count for, in unit order. The rows
    /// themselves are made when written ([`Month::tidy`]).
    pub tidy_sources: Vec<(usize, UnitCode)>,
    /// Difficulties and recommendations by unit.
    pub notes: Vec<(UnitCode, Note)>,
    /// Files of other periods found in the input folder, by period.
    pub other_periods: BTreeMap<Period, usize>,
    /// The layout of each unit's used workbook, for next month's drift check.
    pub layouts: BTreeMap<UnitCode, Vec<String>>,
    /// The year's official decisions: their allocations and targets replace
    /// the units' own in the figures and the tidy data.
    pub decisions: Decisions,
    /// Figures carried from closed units into their successor (2025 reform),
    /// as rows of earlier periods' tidy data.
    pub carried: Vec<TidyRow>,
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

    /// The period's tidy data: one row per figure read, with where it came from.
    pub fn tidy(&self) -> impl Iterator<Item = TidyRef<'_>> + '_ {
        self.tidy_sources
            .iter()
            .flat_map(move |(i, holder)| tidy_rows(&self.reports[*i], holder, self.period, &self.decisions))
            .chain(self.carried.iter().map(TidyRow::as_ref))
    }

    /// The period's tidy data as owned rows.
    pub fn tidy_rows(&self) -> Vec<TidyRow> {
        self.tidy().map(|r| TidyRow::from_ref(&r)).collect()
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
    let mut other_period_units: BTreeMap<UnitCode, Vec<(Period, String)>> = BTreeMap::new();
    let mut reports: Vec<UnitReport> = Vec::new();
    for report in all {
        match period_of(&report) {
            Some(p) if p != period => {
                *other_periods.entry(p).or_default() += 1;
                if let Some(u) = &report.identity.unit {
                    other_period_units.entry(u.clone()).or_default().push((p, report.file.name.clone()));
                }
            }
            _ => reports.push(report),
        }
    }
    reports.par_iter_mut().for_each(|r| {
        check::check_report(r, config, period, previous, decisions);
        // Checksums are verified now; at national scale they would be the
        // largest part of what stays in memory until the outputs are written.
        r.checksums = Vec::new();
    });

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

    copied_workbooks(&mut reports, &chosen, config);

    // Figures, tidy rows and notes of the used workbooks.
    let mut used = Vec::new();
    let mut figures = Vec::new();
    let mut tidy_sources = Vec::new();
    let mut notes = Vec::new();
    let mut layouts = BTreeMap::new();
    for (unit, &i) in &chosen {
        let r = &reports[i];
        if r.is_rejected() {
            continue;
        }
        used.push(i);
        let holder = config.units.current_holder(unit, period);
        figures.push(unit_figures(r, &holder, decisions));
        tidy_sources.push((i, holder));
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

    let mut findings: Vec<Finding> = reports.iter().flat_map(|r| r.findings.iter().cloned()).collect();
    findings.extend(missing_findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Month {
        period,
        statuses,
        reports,
        used,
        unidentified,
        findings,
        figures,
        tidy_sources,
        notes,
        other_periods,
        layouts,
        decisions: decisions.clone(),
        carried: Vec::new(),
    }
}

/// "Chỉ nhận được tệp a.xlsx (kỳ 05/2024)": the files of another period a
/// unit sent, named so the officer can find them.
fn other_period_text(periods: &[(Period, String)]) -> String {
    let list: Vec<String> = periods.iter().map(|(p, file)| format!("tệp {file} (ghi kỳ {})", p.vn())).collect();
    format!("Chỉ nhận được {}.", list.join(", "))
}

/// Two units whose workbooks carry the same figures, all of them: a copied
/// file (a clerk filled the neighbour's workbook and changed only the code).
/// Both units are told, each naming the other's file.
fn copied_workbooks(reports: &mut [UnitReport], chosen: &BTreeMap<UnitCode, usize>, config: &Config) {
    // Money as (project, source, field, đồng); indicators as (code, field,
    // the value's bits): compared exactly, without formatting a string per figure.
    type Money = (crate::domain::ProjectCode, crate::domain::SourceCode, crate::domain::MoneyField, i64);
    type Indicator = (crate::domain::IndicatorCode, crate::domain::IndicatorField, u64);
    let mut by_figures: BTreeMap<(Vec<Money>, Vec<Indicator>), Vec<usize>> = BTreeMap::new();
    for &i in chosen.values() {
        let r = &reports[i];
        if r.is_rejected() {
            continue;
        }
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
            continue;
        }
        money.sort_unstable();
        ind.sort_unstable();
        by_figures.entry((money, ind)).or_default().push(i);
    }
    for group in by_figures.values().filter(|g| g.len() > 1) {
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

/// The figures a used workbook contributes, counted for `holder`; where an
/// official decision covers the unit, its allocations and targets replace the
/// unit's own.
pub fn unit_figures(report: &UnitReport, holder: &UnitCode, decisions: &Decisions) -> UnitFigures {
    let unit = report.identity.unit.as_ref().unwrap_or(holder);
    let mut capital: Vec<_> = report
        .capital
        .iter()
        .filter(|f| !(f.field == crate::domain::MoneyField::Allocated && decisions.governs(unit, &f.source)))
        .map(|f| (f.project.clone(), f.source.clone(), f.field, f.value))
        .collect();
    capital.extend(
        decisions
            .allocation_of(unit)
            .map(|(p, s, o)| (p.clone(), s.clone(), crate::domain::MoneyField::Allocated, o.value)),
    );
    let mut indicators: Vec<_> = report
        .indicators
        .iter()
        .filter(|f| {
            !(f.field == crate::domain::IndicatorField::Target
                && decisions.targets.contains_key(&(unit.clone(), f.code.clone())))
        })
        .map(|f| (f.code.clone(), f.field, f.value))
        .collect();
    indicators
        .extend(decisions.targets_of(unit).map(|(c, o)| (c.clone(), crate::domain::IndicatorField::Target, o.value)));
    UnitFigures { unit: holder.clone(), capital, month_reported: report.month_reported, indicators }
}

/// Figures from tidy rows (of an earlier period, carried to a successor).
fn figures_of_rows(holder: &UnitCode, month_reported: bool, rows: &[TidyRow]) -> UnitFigures {
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
fn tidy_rows<'a>(
    report: &'a UnitReport,
    holder: &'a UnitCode,
    period: Period,
    decisions: &'a Decisions,
) -> impl Iterator<Item = TidyRef<'a>> {
    let unit = report.identity.unit.as_ref().unwrap_or(holder);
    let reported_by = unit.as_str();
    let base =
        move |file: &'a str, sheet: &'a str, cell: crate::domain::CellRef, sha256: &'a str, value: TidyValueRef<'a>| {
            TidyRef {
                period,
                unit: holder.as_str(),
                reported_by,
                month_reported: report.month_reported,
                value,
                file,
                sheet,
                cell: CellText::At(cell),
                sha256,
            }
        };
    let file = report.file.name.as_str();
    let sha = report.file.sha256.as_str();
    let money = report
        .capital
        .iter()
        .filter(move |f| !(f.field == crate::domain::MoneyField::Allocated && decisions.governs(unit, &f.source)))
        .map(move |f| {
            base(
                file,
                report.capital_sheet.as_deref().unwrap_or_default(),
                f.cell,
                sha,
                TidyValueRef::Money {
                    project: f.project.as_str(),
                    source: f.source.as_str(),
                    field: f.field,
                    value: f.value,
                },
            )
        });
    let indicators = report
        .indicators
        .iter()
        .filter(move |f| {
            !(f.field == crate::domain::IndicatorField::Target
                && decisions.targets.contains_key(&(unit.clone(), f.code.clone())))
        })
        .map(move |f| {
            base(
                file,
                report.indicator_sheet.as_deref().unwrap_or_default(),
                f.cell,
                sha,
                TidyValueRef::Indicator { code: f.code.as_str(), field: f.field, value: f.value },
            )
        });
    let official_money = decisions.allocation_of(unit).map(move |(p, s, o)| {
        base(
            &o.file,
            &o.sheet,
            o.cell,
            "",
            TidyValueRef::Money {
                project: p.as_str(),
                source: s.as_str(),
                field: crate::domain::MoneyField::Allocated,
                value: o.value,
            },
        )
    });
    let official_targets = decisions.targets_of(unit).map(move |(c, o)| {
        base(
            &o.file,
            &o.sheet,
            o.cell,
            "",
            TidyValueRef::Indicator { code: c.as_str(), field: crate::domain::IndicatorField::Target, value: o.value },
        )
    });
    money.chain(indicators).chain(official_money).chain(official_targets)
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
    let reported_now: std::collections::BTreeSet<UnitCode> =
        month.tidy_sources.iter().filter_map(|(i, _)| month.reports[*i].identity.unit.clone()).collect();
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
            month.figures.push(figures_of_rows(&unit.code, true, &carried));
            month.carried.extend(carried);
        }
    }
}
