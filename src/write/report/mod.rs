//! The consolidated report workbook (SPEC §6.1): the appendices an officer
//! prints, signs and sends up.
//!
//! One module per sheet. Every sheet has the header block, a title with the
//! period, its unit of measure, a multi-row header with the numbered column
//! row, the bold TỔNG CỘNG row first, and the signature block; pages are
//! landscape A4 fitted to the width with the header repeated.

mod by_project;
mod by_unit;
mod findings;
mod indicators;
mod notes;
mod poverty;
mod run_info;
mod status;
mod summary;
mod unit_project;

use rayon::prelude::*;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Doc, RunInfo};
use crate::batch::Month;
use crate::compute::Consolidation;

/// Sheet names, in order (at most 31 characters each).
pub const SHEETS: [&str; 10] = [
    "Tổng quan",
    "01 Vốn theo dự án",
    "02 Vốn theo đơn vị",
    "03 Đơn vị - dự án",
    "04 Giảm nghèo",
    "05 Chỉ tiêu",
    "06 Tình hình báo cáo",
    "07 Kiểm tra số liệu",
    "08 Kiến nghị",
    "Thông tin",
];

/// Everything the report is written from.
pub struct ReportData<'a> {
    /// The month's units, findings and notes.
    pub month: &'a Month,
    /// The computed figures.
    pub figures: &'a Consolidation,
    /// Facts about the run.
    pub run: &'a RunInfo,
}

/// Writes the consolidated workbook and returns its bytes.
///
/// # Errors
///
/// [`XlsxError`] if rust_xlsxwriter refuses a value (it should not).
pub fn workbook(doc: &Doc<'_>, data: &ReportData<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = doc.workbook(&format!("Báo cáo tổng hợp kỳ {}", doc.period.vn()));
    for sheet in sheets(doc, data)? {
        wb.push_worksheet(sheet);
    }
    wb.save_to_buffer()
}

/// Writes the report workbook to `out`.
///
/// # Errors
///
/// As [`workbook`], and the I/O error.
pub fn write_to<W: std::io::Write + Send>(doc: &Doc<'_>, data: &ReportData<'_>, out: W) -> Result<(), XlsxError> {
    let mut wb = doc.workbook(&format!("Báo cáo tổng hợp kỳ {}", doc.period.vn()));
    for sheet in sheets(doc, data)? {
        wb.push_worksheet(sheet);
    }
    wb.save_to_writer(out)
}

type SheetWriter = fn(&mut Worksheet, &Doc<'_>, &ReportData<'_>) -> Result<(), XlsxError>;

/// The sheets, in order, each written on its own (in parallel: with ten
/// thousand units sheets 03 and 05 hold millions of cells).
fn sheets(doc: &Doc<'_>, data: &ReportData<'_>) -> Result<Vec<Worksheet>, XlsxError> {
    let writers: [SheetWriter; 10] = [
        summary::write,
        by_project::write,
        by_unit::write,
        unit_project::write,
        poverty::write,
        indicators::write,
        status::write,
        findings::write,
        notes::write,
        run_info::write,
    ];
    writers
        .par_iter()
        .zip(SHEETS.par_iter())
        .map(|(write, name)| {
            let mut ws = Worksheet::new();
            ws.set_name(*name)?;
            write(&mut ws, doc, data)?;
            Ok(ws)
        })
        .collect()
}

/// The registered name of a unit, or its code.
pub(crate) fn unit_name(doc: &Doc<'_>, code: &crate::domain::UnitCode) -> String {
    doc.config.units.get(code).map_or_else(|| code.to_string(), |u| u.name.clone())
}

/// The expected share of the year's allocation disbursed by the end of the period.
pub(crate) fn expected_progress(doc: &Doc<'_>) -> f64 {
    f64::from(doc.period.month()) / 12.0
}

/// Adds red and amber fills to a rate column, from the thresholds in config.
pub(crate) fn rate_colours(
    ws: &mut rust_xlsxwriter::Worksheet,
    doc: &Doc<'_>,
    first_row: u32,
    last_row: u32,
    col: u16,
) -> Result<(), XlsxError> {
    use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule};
    if last_row < first_row {
        return Ok(());
    }
    let progress = expected_progress(doc);
    let settings = &doc.config.settings.report;
    let red = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::LessThan(settings.red_below * progress))
        .set_format(&doc.styles.red)
        .set_stop_if_true(true);
    let amber = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::LessThan(settings.amber_below * progress))
        .set_format(&doc.styles.amber);
    ws.add_conditional_format(first_row, col, last_row, col, &red)?;
    ws.add_conditional_format(first_row, col, last_row, col, &amber)?;
    Ok(())
}
