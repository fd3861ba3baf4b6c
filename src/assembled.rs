//! The month as assembled from its workbooks: where every registered unit
//! stands, the workbooks of the period, their findings, the accepted figures
//! and where the tidy data comes from. Every output of the period is made
//! from a [`Month`].
//!
//! The month layer (`gnbv::month`) builds it; the writers read it. It sits
//! below the writers so that writing never imports from the layer that runs
//! it.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::compute::UnitFigures;
use crate::compute::frames::{CellText, TidyRef, TidyRow, TidyValueRef};
use crate::domain::{Period, UnitCode};
use crate::finding::{Finding, Severity};
use crate::read::official::Decisions;
use crate::read::{Note, UnitReport};

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
    /// The accepted figures, by the unit they count for: first one per used
    /// workbook (in the order of `tidy_sources`), without its money figures
    /// ([`Month::money_figures`] makes them), then the units carried from
    /// closed units, with theirs.
    pub figures: Vec<UnitFigures>,
    /// Where the period's tidy data comes from: each used report (index into
    /// `reports`) with the unit its figures count for, in unit order. The rows
    /// themselves are made when written ([`Month::tidy`]).
    pub tidy_sources: Vec<(usize, UnitCode)>,
    /// Difficulties and recommendations by unit.
    pub notes: Vec<(UnitCode, Note)>,
    /// Files of other periods found in the input folder, by period.
    pub other_periods: BTreeMap<Period, usize>,
    /// Each unit's used workbook (index into `reports`), whose layout is kept
    /// for next month's drift check ([`Month::layouts`]).
    pub layouts: BTreeMap<UnitCode, usize>,
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

    /// Every unit's figures with its money figures, for the capital table: a
    /// used workbook's are made from it one unit at a time (the figures the
    /// month holds carry none, see [`Month::figures`]); carried units' are
    /// held.
    pub fn money_figures(&self) -> impl Iterator<Item = std::borrow::Cow<'_, UnitFigures>> + Send + '_ {
        debug_assert!(self.figures.len() >= self.tidy_sources.len());
        let from_reports = self.figures.iter().zip(&self.tidy_sources).map(|(figures, (i, _))| {
            let capital = money_of(&self.reports[*i], &figures.unit, &self.decisions);
            std::borrow::Cow::Owned(UnitFigures { capital, ..figures.clone() })
        });
        from_reports.chain(self.figures[self.tidy_sources.len()..].iter().map(std::borrow::Cow::Borrowed))
    }

    /// The layout of each unit's used workbook, as written for next month's
    /// drift check (a map from unit code to the layout's lines), borrowed from
    /// the reports rather than copied.
    pub fn layouts(&self) -> Layouts<'_> {
        Layouts(self)
    }

    /// The period's tidy data as owned rows.
    pub fn tidy_rows(&self) -> Vec<TidyRow> {
        self.tidy().map(|r| TidyRow::from_ref(&r)).collect()
    }
}

/// The money figures a used workbook contributes, counted for `holder`; where
/// an official decision covers the unit's source, its allocations replace
/// the unit's own.
fn money_of(
    report: &UnitReport,
    holder: &UnitCode,
    decisions: &Decisions,
) -> Vec<(crate::domain::ProjectCode, crate::domain::SourceCode, crate::domain::MoneyField, crate::domain::Dong)> {
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
    capital
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

/// [`Month::layouts`]: serialises as `{unit: [line, …]}`.
#[derive(Debug, Clone, Copy)]
pub struct Layouts<'a>(&'a Month);

impl serde::Serialize for Layouts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let month = self.0;
        serializer.collect_map(month.layouts.iter().map(|(unit, &i)| (unit, &month.reports[i].layout)))
    }
}
