//! Writing: the consolidated report, the report for the level above
//! ([`upward`]), the unit templates, the feedback workbooks, `summary.json`
//! and the tidy CSV.
//!
//! `rust_xlsxwriter` is used here and nowhere else. Writers return bytes; the
//! output layer decides where they go (temporary file, then rename).

pub mod blocks;
pub mod digest;
pub mod feedback;
pub mod report;
pub mod styles;
pub mod summary;
pub mod tidy_csv;
pub mod unit_workbook;
pub mod upward;

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{DocProperties, Workbook};

use crate::config::{Catalogue, Config};
use crate::domain::{Dong, MoneyUnit, Period};
pub use styles::Styles;

/// What every writer needs: config, period, the recorded time and formats.
pub struct Doc<'a> {
    /// The config.
    pub config: &'a Config,
    /// The period's program catalogue.
    pub catalogue: &'a Catalogue,
    /// The period.
    pub period: Period,
    /// The recorded run time (pinned by `SOURCE_DATE_EPOCH` for reproducible output).
    pub recorded: NaiveDateTime,
    /// The date in the place-and-date line.
    pub date: NaiveDate,
    /// Formats.
    pub styles: Styles,
    /// Money unit of the report.
    pub money: MoneyUnit,
}

impl<'a> Doc<'a> {
    /// A document context for `period`, recorded at `recorded`.
    pub fn new(config: &'a Config, catalogue: &'a Catalogue, period: Period, recorded: NaiveDateTime) -> Self {
        Self {
            config,
            catalogue,
            period,
            recorded,
            date: recorded.date(),
            styles: Styles::new("#,##0"),
            money: config.settings.report.money_unit,
        }
    }

    /// Prints money without decimals when every figure is whole in the
    /// report's unit, else with up to three (so 737,5 never shows as 738).
    #[must_use]
    pub fn with_whole_money(mut self, whole: bool) -> Self {
        self.styles = Styles::new(if whole { "#,##0" } else { "#,##0.0##" });
        self
    }

    /// A column width that shows money up to `max` in the report's unit.
    pub fn money_width(&self, max: Dong, min: f64) -> f64 {
        blocks::number_width(self.money(max), 3, min)
    }

    /// An amount in the report's money unit.
    pub fn money(&self, value: Dong) -> f64 {
        value.in_unit(self.money)
    }

    /// `Đơn vị tính: triệu đồng`.
    pub fn unit_line(&self) -> String {
        format!("Đơn vị tính: {}", self.money.label())
    }

    /// A new workbook with document properties (creation time fixed to the
    /// recorded time, so two runs with the same recorded time give the same bytes).
    pub fn workbook(&self, title: &str) -> Workbook {
        let mut workbook = Workbook::new();
        let properties = DocProperties::new()
            .set_title(title)
            .set_author("gnbv")
            .set_company(self.config.settings.agency.name.as_str())
            .set_creation_datetime(&self.recorded);
        workbook.set_properties(&properties);
        workbook
    }
}

/// Facts about the run shown in the run information sheet.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// gnbv's version.
    pub version: String,
    /// Input folder as given.
    pub input: String,
    /// Config folder as given.
    pub config: String,
    /// Every input file read: name, SHA-256, size in bytes.
    pub files: Vec<(String, String, u64)>,
    /// Files under the input folder that were not read, and why.
    pub skipped: Vec<(String, String)>,
    /// Earlier periods found in the output folder's history.
    pub history: Vec<Period>,
    /// What changed since the previous run of the same period.
    pub changes: Vec<String>,
}
