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

pub(crate) use summary::poverty_cut_note;

use rayon::prelude::*;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::{Doc, RunInfo};
use crate::assembled::Month;
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
/// [`XlsxError`] if `rust_xlsxwriter` refuses a value (it should not).
pub fn workbook(doc: &Doc<'_>, data: &ReportData<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = build(doc, data, None)?;
    wb.save_to_buffer()
}

/// Writes the report workbook to `out`; the sheets that grow with the number
/// of units stream their rows to temporary files in `tempdir`.
///
/// # Errors
///
/// As [`workbook`], and the I/O error.
pub fn write_to<W: std::io::Write + Send>(
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    tempdir: &std::path::Path,
    out: W,
) -> Result<(), XlsxError> {
    let mut wb = build(doc, data, Some(tempdir))?;
    // Deflate at a fast level: at national scale the sheets' XML is a couple
    // of hundred megabytes, and the default level (6) makes compressing it the
    // longest single step of the run. Level 2 is about twice as fast for a
    // file about a tenth larger.
    wb.set_zip_compression_level(2);
    let started = std::time::Instant::now();
    wb.save_to_writer(out)?;
    tracing::debug!("{}: report saved in {:.2?}", doc.period, started.elapsed());
    Ok(())
}

type SheetWriter = fn(&mut Worksheet, &Doc<'_>, &ReportData<'_>) -> Result<(), XlsxError>;

/// How a sheet is held while it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// In memory (small sheets).
    InMemory,
    /// A row per unit: each row goes to a temporary file as soon as the next
    /// one starts ("constant memory", text written in the cells).
    Streamed,
    /// Like [`Mode::Streamed`], with text in the shared string table ("low
    /// memory"): for the largest sheet, whose labels repeat for every unit.
    StreamedShared,
}

/// The sheets in order and how each is held. Streamed sheets are written
/// strictly top to bottom.
const WRITERS: [(SheetWriter, Mode); 10] = [
    (summary::write, Mode::InMemory),
    (by_project::write, Mode::InMemory),
    (by_unit::write, Mode::Streamed),
    (unit_project::write, Mode::Streamed),
    (poverty::write, Mode::Streamed),
    (indicators::write, Mode::StreamedShared),
    (status::write, Mode::Streamed),
    (findings::write, Mode::InMemory),
    (notes::write, Mode::Streamed),
    (run_info::write, Mode::Streamed),
];

/// The workbook with every sheet written. Sheets are written in parallel,
/// and the same bytes come out whatever the threads' timing: streamed sheets
/// use the workbook's format table, which is filled in a fixed order before
/// any sheet is written; the shared-strings sheets are written one after the
/// other on one thread; in-memory sheets use their own tables until saving.
fn build(doc: &Doc<'_>, data: &ReportData<'_>, tempdir: Option<&std::path::Path>) -> Result<Workbook, XlsxError> {
    let mut wb = doc.workbook(&format!("Báo cáo tổng hợp kỳ {}", doc.period.vn()));
    let mode = |m: Mode| if tempdir.is_some() { m } else { Mode::InMemory };
    if let Some(dir) = tempdir {
        wb.set_tempdir(dir)?;
        for format in doc.styles.all() {
            wb.register_format(format);
        }
    }
    for (name, (_, m)) in SHEETS.iter().zip(WRITERS.iter()) {
        let ws = match mode(*m) {
            Mode::InMemory => wb.add_worksheet(),
            Mode::Streamed => wb.add_worksheet_with_constant_memory()?,
            Mode::StreamedShared => wb.add_worksheet_with_low_memory()?,
        };
        ws.set_name(*name)?;
    }
    let (mut shared, mut streamed, mut in_memory) = (Vec::new(), Vec::new(), Vec::new());
    for (ws, (write, m)) in wb.worksheets_mut().iter_mut().zip(WRITERS.iter()) {
        match mode(*m) {
            Mode::StreamedShared => shared.push((ws, write)),
            Mode::Streamed => streamed.push((ws, write)),
            Mode::InMemory => in_memory.push((ws, write)),
        }
    }
    let timed = |ws: &mut Worksheet, write: &SheetWriter| -> Result<(), XlsxError> {
        let started = std::time::Instant::now();
        write(ws, doc, data)?;
        tracing::debug!("{}: sheet \"{}\" in {:.2?}", doc.period, ws.name(), started.elapsed());
        Ok(())
    };
    let in_order = |sheets: Vec<(&mut Worksheet, &SheetWriter)>| -> Result<(), XlsxError> {
        sheets.into_iter().try_for_each(|(ws, write)| timed(ws, write))
    };
    let (a, (b, c)) = rayon::join(
        || in_order(shared),
        || {
            rayon::join(
                || in_order(streamed),
                || in_memory.into_par_iter().try_for_each(|(ws, write)| timed(ws, write)),
            )
        },
    );
    a?;
    b?;
    c?;
    Ok(wb)
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
