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
use crate::domain::{IndicatorField, MoneyField, Period, UnitCode};
use crate::finding::{Finding, Severity};
use crate::read::official::Decisions;
use crate::read::{CapitalFigure, IndicatorFigure, Note, UnitReport};

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
    ///
    /// # Panics
    ///
    /// If [`Month::figures`] does not start with one entry per
    /// [`Month::tidy_sources`], for the same units in the same order (as
    /// assembling makes them): a unit's money would be counted for another
    /// unit, so the run stops instead of writing such a figure.
    pub fn money_figures(&self) -> impl Iterator<Item = std::borrow::Cow<'_, UnitFigures>> + Send + '_ {
        let used = self.tidy_sources.len();
        assert!(
            self.figures.len() >= used
                && self.figures.iter().zip(&self.tidy_sources).all(|(figures, (_, holder))| &figures.unit == holder),
            "the month's figures and tidy sources are out of step"
        );
        let from_reports = self.tidy_sources.iter().map(|(i, holder)| {
            let report = &self.reports[*i];
            let unit = report.identity.unit.as_ref().unwrap_or(holder);
            let capital = own_money(report, unit, &self.decisions)
                .map(|f| (f.project.clone(), f.source.clone(), f.field, f.value))
                .chain(
                    self.decisions
                        .allocation_of(unit)
                        .map(|(p, s, o)| (p.clone(), s.clone(), MoneyField::Allocated, o.value)),
                )
                .collect();
            // The capital table reads only the unit, its month column and its money.
            std::borrow::Cow::Owned(UnitFigures {
                unit: holder.clone(),
                capital,
                month_reported: report.month_reported,
                indicators: Vec::new(),
            })
        });
        from_reports.chain(self.figures[used..].iter().map(std::borrow::Cow::Borrowed))
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

/// The figures a used workbook contributes, counted for `holder`, without
/// its money figures: those are made again from the workbook, one unit at a
/// time, when the capital table is built ([`Month::money_figures`]), so that
/// the month never holds a second copy of every unit's money. Where an
/// official decision covers the unit, its targets replace the unit's own.
pub fn unit_figures(report: &UnitReport, holder: &UnitCode, decisions: &Decisions) -> UnitFigures {
    let unit = report.identity.unit.as_ref().unwrap_or(holder);
    let indicators = own_indicators(report, unit, decisions)
        .map(|f| (f.code.clone(), f.field, f.value))
        .chain(decisions.targets_of(unit).map(|(c, o)| (c.clone(), IndicatorField::Target, o.value)))
        .collect();
    UnitFigures { unit: holder.clone(), capital: Vec::new(), month_reported: report.month_reported, indicators }
}

/// The unit's own money figures that count: all but the allocations an
/// official decision replaces (the decision's are added by the caller). The
/// one place that says which, for the figures and the tidy data alike.
fn own_money<'a>(
    report: &'a UnitReport,
    unit: &UnitCode,
    decisions: &'a Decisions,
) -> impl Iterator<Item = &'a CapitalFigure> + 'a {
    // Whether a decision allocates to the unit at all is asked once, not per figure.
    let decided = decisions.allocation_of(unit).next().is_some();
    report
        .capital
        .iter()
        .filter(move |f| !(decided && f.field == MoneyField::Allocated && decisions.sources.contains(&f.source)))
}

/// The unit's own indicator values that count: all but the targets an
/// official decision sets (the decision's are added by the caller).
fn own_indicators<'a>(
    report: &'a UnitReport,
    unit: &'a UnitCode,
    decisions: &'a Decisions,
) -> impl Iterator<Item = &'a IndicatorFigure> + 'a {
    report.indicators.iter().filter(move |f| {
        !(f.field == IndicatorField::Target && decisions.targets.contains_key(&(unit.clone(), f.code.clone())))
    })
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
    let money = own_money(report, unit, decisions).map(move |f| {
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
    let indicators = own_indicators(report, unit, decisions).map(move |f| {
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
