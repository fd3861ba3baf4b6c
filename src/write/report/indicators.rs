//! Sheet 05: every indicator — target, achieved, achievement and status — for
//! the total and for each unit.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::compute::{IndicatorTable, UnitKey};
use crate::config::indicators::{Indicator, Measure};
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

const LAST: Col = 8;

/// Writes an indicator value in its measure's format (counts, rates as
/// percent, points as a number of points), or a dash when absent.
pub(crate) fn write_value(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    row: u32,
    col: Col,
    measure: Measure,
    value: Option<f64>,
    bold: bool,
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let dash = if bold { &s.dash_bold } else { &s.dash };
    let (shown, format) = match measure {
        Measure::Count => (value, if bold { &s.count_bold } else { &s.count }),
        Measure::Rate => (value, if bold { &s.percent2_bold } else { &s.percent2 }),
        Measure::Points => (value.map(|v| v * 100.0), if bold { &s.points_bold } else { &s.points }),
    };
    blocks::number_or_dash(ws, row, col, shown, format, dash)
}

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let (top, first_data) = header(ws, doc)?;
    let lines = lines(doc);
    let row = total_part(ws, doc, data, &lines, first_data)?;
    let row = unit_parts(ws, doc, data, &lines, row)?;
    footer(ws, doc, (top, first_data), row)
}

/// The header block and the table's header; returns the table's top row and
/// its first data row.
fn header(ws: &mut Worksheet, doc: &Doc<'_>) -> Result<(u32, u32), XlsxError> {
    let last = LAST;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 05/GNBV",
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHƯƠNG TRÌNH",
        &format!("Kỳ báo cáo: {} (lũy kế từ 01/01/{} đến hết kỳ)", doc.period.vn_long(), doc.period.year()),
        None,
    )?;
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Mã", 0, 1, 1, 1),
        HeaderCell::new("Chỉ tiêu", 0, 2, 1, 1),
        HeaderCell::new("Đơn vị tính", 0, 3, 1, 1),
        HeaderCell::new("Kế hoạch năm", 0, 4, 1, 1),
        HeaderCell::new("Thực hiện trong tháng", 0, 5, 1, 1),
        HeaderCell::new("Lũy kế từ đầu năm", 0, 6, 1, 1),
        HeaderCell::new("Tỷ lệ đạt kế hoạch (%)", 0, 7, 1, 1),
        HeaderCell::new("Đánh giá", 0, 8, 1, 1),
    ];
    let numbering: Vec<String> =
        ["A", "B", "C", "D", "(1)", "(2)", "(3)", "(4)", "E"].iter().map(|x| (*x).to_string()).collect();
    let first_data = blocks::table_header_tall(ws, doc, top, &cells, 1, &numbering, 36.0)?;
    Ok((top, first_data))
}

/// An indicator as its lines show it: the name (derived ones marked) and the
/// height its row needs, worked out once for the sheet rather than once per unit.
struct Line<'a> {
    indicator: &'a Indicator,
    name: String,
    height: f64,
}

fn lines<'a>(doc: &Doc<'a>) -> Vec<Line<'a>> {
    doc.config
        .indicators
        .list
        .iter()
        .map(|indicator| {
            let name = if indicator.is_derived() { format!("{} (*)", indicator.name) } else { indicator.name.clone() };
            let height = blocks::wrapped_height(&[(&name, 48.0)]);
            Line { indicator, name, height }
        })
        .collect()
}

/// One numbered line per indicator of `unit` from `row` on (with
/// `only_reported`, those with any value), advancing `row`.
fn indicator_lines(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    table: &IndicatorTable,
    lines: &[Line<'_>],
    row: &mut u32,
    unit: &UnitKey,
    only_reported: bool,
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let mut n = 0;
    for Line { indicator: ind, name, height } in lines {
        let v = table.get(unit, &ind.code);
        if only_reported && v.target.is_none() && v.achieved.is_none() && v.month.is_none() {
            continue;
        }
        n += 1;
        blocks::text(ws, *row, 0, &n.to_string(), &s.text_center)?;
        blocks::text(ws, *row, 1, ind.code.as_str(), &s.text)?;
        blocks::text(ws, *row, 2, name, &s.text)?;
        blocks::set_fitted_height(ws, *row, *height)?;
        blocks::text(ws, *row, 3, &ind.unit, &s.text_center)?;
        write_value(ws, doc, *row, 4, ind.measure, v.target, false)?;
        write_value(ws, doc, *row, 5, ind.measure, v.month, false)?;
        write_value(ws, doc, *row, 6, ind.measure, v.achieved, false)?;
        blocks::number_or_dash(ws, *row, 7, v.achievement, &s.percent, &s.dash)?;
        blocks::text(ws, *row, 8, v.status.map_or("-", |st| st.label()), &s.text_center)?;
        *row += 1;
    }
    Ok(())
}

/// Part A: every indicator for the whole area; returns the next row.
fn total_part(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    lines: &[Line<'_>],
    mut row: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    blocks::merge(ws, row, 0, row, LAST, "A. TỔNG CỘNG TOÀN ĐỊA BÀN", &s.text_bold)?;
    row += 1;
    indicator_lines(ws, doc, &data.figures.indicators, lines, &mut row, &UnitKey::Total, false)?;
    Ok(row)
}

/// Part B: for each unit that reported, in registry order, the indicators it
/// has values for; returns the next row.
fn unit_parts(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    lines: &[Line<'_>],
    mut row: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let last = LAST;
    blocks::merge(ws, row, 0, row, last, "B. CHI TIẾT THEO ĐƠN VỊ", &s.text_bold)?;
    row += 1;
    let reporting: std::collections::BTreeSet<&crate::domain::UnitCode> =
        data.month.figures.iter().map(|f| &f.unit).collect();
    for st in &data.month.statuses {
        if !reporting.contains(&st.unit) {
            continue;
        }
        blocks::merge(ws, row, 0, row, last, &format!("{} ({})", st.name, st.unit), &s.text_bold)?;
        row += 1;
        indicator_lines(ws, doc, &data.figures.indicators, lines, &mut row, &UnitKey::Unit(st.unit.clone()), true)?;
    }
    Ok(row)
}

/// The note on derived indicators and achievement, column widths, page
/// setup and the signature block.
fn footer(ws: &mut Worksheet, doc: &Doc<'_>, (top, first_data): (u32, u32), mut row: u32) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let last = LAST;
    blocks::merge(
        ws,
        row,
        0,
        row,
        last,
        "(*) Chỉ tiêu tính toán từ các chỉ tiêu khác theo công thức cấu hình; ở mọi cấp tổng hợp đều tính từ các số đã cộng. Tỷ lệ đạt: thực hiện/kế hoạch (chỉ tiêu càng cao càng tốt) hoặc kế hoạch/thực hiện (càng thấp càng tốt).",
        &s.note,
    )?;
    ws.set_row_height(row, 30)?;
    row += 1;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 13)?;
    ws.set_column_width(2, 48)?;
    ws.set_column_width(3, 10)?;
    for c in 4..=7 {
        ws.set_column_width(c, 13)?;
    }
    ws.set_column_width(8, 11)?;
    blocks::page_setup(ws, (top, first_data - 1), (first_data, 3))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
