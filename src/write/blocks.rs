//! The parts every printed form shares: the header block, the title, the
//! signature block, the page setup, and safe cell writers.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};

use super::Doc;
use crate::text::cell_text;

/// Column index type of `rust_xlsxwriter`.
pub type Col = ColNum;

/// Where the left and right halves of the header block sit for a table of
/// `last_col + 1` columns.
fn halves(last_col: Col) -> ((Col, Col), (Col, Col)) {
    let n = last_col + 1;
    let side = (n * 2 / 5).max(2).min(n / 2 + 1);
    let left_end = side.saturating_sub(1).min(last_col);
    let right_start = n.saturating_sub(side).max(left_end + 1).min(last_col);
    ((0, left_end), (right_start, last_col))
}

/// Writes text in a merged range, or a single cell when the range is one cell.
pub fn merge(
    ws: &mut Worksheet,
    r1: RowNum,
    c1: Col,
    r2: RowNum,
    c2: Col,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = cell_text(text);
    if r1 == r2 && c1 == c2 {
        ws.write_string_with_format(r1, c1, text.as_ref(), format)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, text.as_ref(), format)?;
    }
    Ok(())
}

/// Writes free text as text, never as a formula (SPEC §7: hostile files).
pub fn text(ws: &mut Worksheet, row: RowNum, col: Col, value: &str, format: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, cell_text(value).as_ref(), format)?;
    Ok(())
}

/// Writes a number, or a centred dash when it does not apply.
pub fn number_or_dash(
    ws: &mut Worksheet,
    row: RowNum,
    col: Col,
    value: Option<f64>,
    format: &Format,
    dash: &Format,
) -> Result<(), XlsxError> {
    match value.filter(|v| v.is_finite()) {
        Some(v) => ws.write_number_with_format(row, col, v, format)?,
        None => ws.write_string_with_format(row, col, "-", dash)?,
    };
    Ok(())
}

/// The height (points) a row needs so that each wrapped text fits its column
/// width (in Excel character units), at 11-point Times New Roman.
pub fn wrapped_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            // Times New Roman is narrower than the default font the width unit
            // is measured in: about 1.3 characters per unit, less the padding.
            let per_line = ((width - 1.0) * 1.3).max(4.0);
            text.split('\n').map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0)).sum::<f64>()
        })
        .fold(1.0, f64::max);
    lines * 14.5 + 1.5
}

/// A column width (Excel units) that shows numbers up to `max_abs` with
/// grouping and `decimals` decimals without `#####`, and never below `min`.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // floor(log10(x)) of x ≥ 1: 0..=308
pub fn number_width(max_abs: f64, decimals: usize, min: f64) -> f64 {
    let digits = if max_abs.abs() < 1.0 { 1 } else { max_abs.abs().log10().floor() as usize + 1 };
    let chars = digits + (digits - 1) / 3 + if decimals > 0 { decimals + 1 } else { 0 } + 1;
    (chars as f64 * 1.15 + 2.0).max(min)
}

/// Sets a row's height to fit its wrapped texts (only when more than one line).
pub fn fit_row(ws: &mut Worksheet, row: RowNum, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    set_fitted_height(ws, row, wrapped_height(cells))
}

/// Sets a row's height to a [`wrapped_height`] worked out earlier (only when
/// more than one line).
pub fn set_fitted_height(ws: &mut Worksheet, row: RowNum, height: f64) -> Result<(), XlsxError> {
    if height > 16.0 {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

/// A number with `decimals` decimals the Vietnamese way (`12,83`), for text.
pub fn vn(value: f64, decimals: usize) -> String {
    crate::text::vn_number(value, Some(decimals))
}

/// `Lai Châu, ngày 30 tháng 6 năm 2024`.
pub fn date_line(place: &str, date: NaiveDate) -> String {
    let day = format!("ngày {:02} tháng {:02} năm {}", date.day(), date.month(), date.year());
    if place.is_empty() { day[..1].to_uppercase() + &day[1..] } else { format!("{place}, {day}") }
}

/// Writes the two header lines: the issuing body left (superior, then the
/// body itself, bold and underlined), the national motto right.
pub fn motto_block(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    last_col: Col,
    superior: &str,
    body: &str,
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let ((l1, l2), (r1, r2)) = halves(last_col);
    merge(ws, 0, l1, 0, l2, &superior.to_uppercase(), &s.block)?;
    merge(ws, 0, r1, 0, r2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &s.block_bold)?;
    merge(ws, 1, l1, 1, l2, &body.to_uppercase(), &s.block_bold_underline)?;
    merge(ws, 1, r1, 1, r2, "Độc lập - Tự do - Hạnh phúc", &s.block_bold_underline)?;
    Ok(())
}

/// Writes the header block (agency left, national motto right), the form
/// number, title, subtitle and unit line. Returns the first free row.
pub fn header_block(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    last_col: Col,
    form: &str,
    title: &str,
    subtitle: &str,
    unit_line: Option<&str>,
) -> Result<RowNum, XlsxError> {
    let s = &doc.styles;
    let agency = &doc.config.settings.agency;
    let ((l1, l2), _) = halves(last_col);
    motto_block(ws, doc, last_col, &agency.superior, &agency.name)?;
    merge(ws, 2, l1, 2, l2, form, &s.form_number)?;
    ws.set_row_height(4, 38)?;
    merge(ws, 4, 0, 4, last_col, title, &s.title)?;
    merge(ws, 5, 0, 5, last_col, subtitle, &s.subtitle)?;
    if let Some(line) = unit_line {
        merge(ws, 6, 0, 6, last_col, line, &s.unit_line)?;
    }
    Ok(7)
}

/// Writes the place and date line and the two signature blocks under a
/// table. Returns the row after the block.
pub fn signature_block(ws: &mut Worksheet, doc: &Doc<'_>, row: RowNum, last_col: Col) -> Result<RowNum, XlsxError> {
    signature_lines(ws, doc, row, last_col, &date_line(&doc.config.settings.agency.place, doc.date))
}

/// The signature block with a given place-and-date line (dots in a blank template).
pub fn signature_lines(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    row: RowNum,
    last_col: Col,
    date: &str,
) -> Result<RowNum, XlsxError> {
    let s = &doc.styles;
    let report = &doc.config.settings.report;
    let ((l1, l2), (r1, r2)) = halves(last_col);
    let row = row + 1;
    merge(ws, row, r1, row, r2, date, &s.date_line)?;
    merge(ws, row + 1, l1, row + 1, l2, &report.preparer_title, &s.sign_title)?;
    merge(ws, row + 1, r1, row + 1, r2, &report.head_title, &s.sign_title)?;
    merge(ws, row + 2, l1, row + 2, l2, "(Ký, ghi rõ họ tên)", &s.sign_note)?;
    merge(ws, row + 2, r1, row + 2, r2, "(Ký tên, đóng dấu)", &s.sign_note)?;
    if !report.preparer_name.is_empty() {
        merge(ws, row + 6, l1, row + 6, l2, &report.preparer_name, &s.sign_title)?;
    }
    if !report.head_name.is_empty() {
        merge(ws, row + 6, r1, row + 6, r2, &report.head_name, &s.sign_title)?;
    }
    Ok(row + 7)
}

/// Landscape A4, fitted to the page width, header rows repeated on every
/// page, page numbers in the footer, panes frozen under the header.
pub fn page_setup(ws: &mut Worksheet, header: (RowNum, RowNum), freeze: (RowNum, Col)) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header.0, header.1)?;
    ws.set_margins(0.5, 0.4, 0.6, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
    ws.set_freeze_panes(freeze.0, freeze.1)?;
    Ok(())
}

/// Header cells of a table: each spans rows and columns under the top row.
#[derive(Debug, Clone)]
pub struct HeaderCell {
    /// Text.
    pub text: String,
    /// First row offset from the header's top.
    pub row: RowNum,
    /// First column.
    pub col: Col,
    /// Rows spanned.
    pub rows: RowNum,
    /// Columns spanned.
    pub cols: Col,
}

impl HeaderCell {
    /// A cell at (`row`, `col`) spanning `rows` × `cols`.
    pub fn new(text: impl Into<String>, row: RowNum, col: Col, rows: RowNum, cols: Col) -> Self {
        Self { text: text.into(), row, col, rows, cols }
    }
}

/// Writes a multi-row table header and its numbered column row. Returns the
/// first data row.
pub fn table_header(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    top: RowNum,
    cells: &[HeaderCell],
    height: RowNum,
    numbering: &[String],
) -> Result<RowNum, XlsxError> {
    table_header_tall(ws, doc, top, cells, height, numbering, 30.0)
}

/// [`table_header`] with the header's first row `top_height` points high.
/// Rows are written strictly top to bottom, as worksheets that stream their
/// rows to disk require.
pub fn table_header_tall(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    top: RowNum,
    cells: &[HeaderCell],
    height: RowNum,
    numbering: &[String],
    top_height: f64,
) -> Result<RowNum, XlsxError> {
    for c in cells {
        merge(ws, top + c.row, c.col, top + c.row + c.rows - 1, c.col + c.cols - 1, &c.text, &doc.styles.header)?;
    }
    for r in top..top + height {
        ws.set_row_height(r, if r == top { top_height } else { 30.0 })?;
    }
    let numbering_row = top + height;
    for (i, label) in numbering.iter().enumerate() {
        let col = Col::try_from(i).unwrap_or(Col::MAX);
        ws.write_string_with_format(numbering_row, col, label, &doc.styles.numbering)?;
    }
    Ok(numbering_row + 1)
}
