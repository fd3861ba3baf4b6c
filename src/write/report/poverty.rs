//! Sheet 04: poverty results by unit — households at 1 January, left poverty,
//! newly poor, fell back, poor now, rates, reduction against target, status.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use super::indicators::write_value;
use crate::compute::{IndicatorTable, UnitKey};
use crate::domain::{IndicatorCode, IndicatorField};
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

/// The sheet's columns: indicator, which value, header label.
const COLUMNS: &[(&str, IndicatorField, &str)] = &[
    ("HO_TONG", IndicatorField::Achieved, "Tổng số hộ"),
    ("HN_DAU", IndicatorField::Achieved, "Hộ nghèo đầu năm"),
    ("TL_HN_DAU", IndicatorField::Achieved, "Tỷ lệ hộ nghèo đầu năm"),
    ("HN_THOAT", IndicatorField::Achieved, "Hộ thoát nghèo"),
    ("HN_PS", IndicatorField::Achieved, "Hộ nghèo phát sinh"),
    ("HN_TAI", IndicatorField::Achieved, "Hộ tái nghèo"),
    ("HN_CUOI", IndicatorField::Achieved, "Hộ nghèo hiện tại"),
    ("TL_HN", IndicatorField::Achieved, "Tỷ lệ hộ nghèo hiện tại"),
    ("GIAM_TL_HN", IndicatorField::Achieved, "Mức giảm tỷ lệ hộ nghèo (điểm %)"),
    ("GIAM_TL_HN", IndicatorField::Target, "Kế hoạch giảm (điểm %)"),
    ("HCN_DAU", IndicatorField::Achieved, "Hộ cận nghèo đầu năm"),
    ("HCN_CUOI", IndicatorField::Achieved, "Hộ cận nghèo hiện tại"),
    ("TL_HCN", IndicatorField::Achieved, "Tỷ lệ hộ cận nghèo hiện tại"),
    ("GIAM_TL_HCN", IndicatorField::Achieved, "Mức giảm tỷ lệ hộ cận nghèo (điểm %)"),
];

/// The indicator whose status the sheet shows.
const ASSESSED: &str = "GIAM_TL_HN";

/// The sheet's columns for the config's indicators.
struct Layout {
    /// The indicator columns shown (those the config has), from column 3.
    columns: Vec<&'static (&'static str, IndicatorField, &'static str)>,
    /// The achievement column.
    c_achievement: Col,
    /// The status column, the last.
    c_status: Col,
}

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let columns: Vec<&(&str, IndicatorField, &str)> =
        COLUMNS.iter().filter(|(code, _, _)| doc.config.indicators.get(&IndicatorCode::new(code)).is_some()).collect();
    let n = Col::try_from(columns.len()).unwrap_or(0);
    let c_achievement = 3 + n;
    let layout = Layout { columns, c_achievement, c_status: c_achievement + 1 };
    let (top, first_data) = header(ws, doc, &layout)?;
    let row = table(ws, doc, data, &layout, first_data)?;
    footer(ws, doc, data, &layout, (top, first_data), row)
}

/// The header block and the table's header; returns the table's top row and
/// its first data row.
fn header(ws: &mut Worksheet, doc: &Doc<'_>, layout: &Layout) -> Result<(u32, u32), XlsxError> {
    let Layout { columns, c_achievement, c_status } = layout;
    let (c_achievement, c_status) = (*c_achievement, *c_status);
    let last = c_status;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 04/GNBV",
        "KẾT QUẢ GIẢM NGHÈO THEO ĐƠN VỊ",
        &format!("Kỳ báo cáo: {} (số liệu đến hết kỳ)", doc.period.vn_long()),
        Some("Đơn vị tính: hộ; tỷ lệ: %; mức giảm: điểm %"),
    )?;
    let mut cells = vec![
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Mã đơn vị", 0, 1, 1, 1),
        HeaderCell::new("Đơn vị", 0, 2, 1, 1),
    ];
    let mut numbering = vec!["A".to_string(), "B".to_string(), "C".to_string()];
    for (i, (code, _, label)) in columns.iter().enumerate() {
        cells.push(HeaderCell::new(*label, 0, 3 + Col::try_from(i).unwrap_or(0), 1, 1));
        let formula = doc
            .config
            .indicators
            .get(&IndicatorCode::new(code))
            .and_then(|ind| ind.formula.as_ref())
            .map_or_else(|| format!("({})", i + 1), |_| format!("({})*", i + 1));
        numbering.push(formula);
    }
    cells.push(HeaderCell::new("Tỷ lệ đạt kế hoạch giảm nghèo (%)", 0, c_achievement, 1, 1));
    cells.push(HeaderCell::new("Đánh giá", 0, c_status, 1, 1));
    numbering.push(format!("({})", columns.len() + 1));
    numbering.push("D".into());
    let first_data = blocks::table_header_tall(ws, doc, top, &cells, 1, &numbering, 60.0)?;
    Ok((top, first_data))
}

/// A unit's (or a total's) values, from column 3 on.
fn write_unit(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    layout: &Layout,
    (row, table, unit, bold): (u32, &IndicatorTable, &UnitKey, bool),
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let Layout { columns, c_achievement, c_status } = layout;
    let (c_achievement, c_status) = (*c_achievement, *c_status);
    let assessed = IndicatorCode::new(ASSESSED);
    for (i, (code, field, _)) in columns.iter().enumerate() {
        let code = IndicatorCode::new(code);
        let Some(ind) = doc.config.indicators.get(&code) else { continue };
        let v = table.get(unit, &code);
        let value = match field {
            IndicatorField::Target => v.target,
            IndicatorField::Month => v.month,
            IndicatorField::Achieved => v.achieved,
        };
        write_value(ws, doc, row, 3 + Col::try_from(i).unwrap_or(0), ind.measure, value, bold)?;
    }
    let v = table.get(unit, &assessed);
    let (pct, dash, text) =
        if bold { (&s.percent_bold, &s.dash_bold, &s.text_center_bold) } else { (&s.percent, &s.dash, &s.text_center) };
    blocks::number_or_dash(ws, row, c_achievement, v.achievement, pct, dash)?;
    blocks::text(ws, row, c_status, v.status.map_or("-", |st| st.label()), text)?;
    Ok(())
}

/// The table: the total, the extremely difficult communes as a group, each
/// unit, and the note; returns the next row.
fn table(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    layout: &Layout,
    first_data: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let table = &data.figures.indicators;
    let last = layout.c_status;
    let mut row = first_data;
    blocks::text(ws, row, 0, "", &s.text_bold)?;
    blocks::text(ws, row, 1, "", &s.text_bold)?;
    blocks::text(ws, row, 2, "TỔNG CỘNG", &s.text_bold)?;
    write_unit(ws, doc, layout, (row, table, &UnitKey::Total, true))?;
    row += 1;
    // The extremely difficult communes as a group, computed from their own
    // sums (plans set them their own reduction targets).
    let flag = &doc.config.settings.report.difficult_flag;
    let flagged: Vec<_> = data
        .month
        .figures
        .iter()
        .filter(|f| doc.config.units.get(&f.unit).is_some_and(|u| u.has_flag(flag)))
        .cloned()
        .collect();
    if !flag.is_empty() && !flagged.is_empty() {
        let group = IndicatorTable::build(&flagged, &doc.config.indicators);
        blocks::text(ws, row, 0, "", &s.text)?;
        blocks::text(ws, row, 1, "", &s.text)?;
        blocks::text(
            ws,
            row,
            2,
            &format!("Trong đó: {} ({} đơn vị)", doc.config.settings.report.difficult_label, flagged.len()),
            &s.text,
        )?;
        write_unit(ws, doc, layout, (row, &group, &UnitKey::Total, false))?;
    } else {
        row -= 1;
    }
    row += 1;
    let mut n = 0;
    for st in &data.month.statuses {
        if !(st.expected || data.figures.capital.has_unit(&st.unit)) {
            continue;
        }
        n += 1;
        blocks::text(ws, row, 0, &n.to_string(), &s.text_center)?;
        blocks::text(ws, row, 1, st.unit.as_str(), &s.text)?;
        let name = match doc.config.units.get(&st.unit) {
            Some(u) if !flag.is_empty() && u.has_flag(flag) => format!("{} (*)", st.name),
            _ => st.name.clone(),
        };
        blocks::text(ws, row, 2, &name, &s.text)?;
        blocks::fit_row(ws, row, &[(&name, 28.0)])?;
        write_unit(ws, doc, layout, (row, table, &UnitKey::Unit(st.unit.clone()), false))?;
        row += 1;
    }
    blocks::merge(
        ws,
        row,
        0,
        row,
        last,
        &format!(
            "Ghi chú: hộ nghèo hiện tại = đầu năm - thoát nghèo + phát sinh + tái nghèo; tỷ lệ = số hộ / tổng số hộ; ở dòng tổng cộng, tỷ lệ tính từ tổng số hộ (không lấy trung bình tỷ lệ các đơn vị). (*) {}.",
            doc.config.settings.report.difficult_label
        ),
        &s.note,
    )?;
    ws.set_row_height(row, 30)?;
    row += 1;
    Ok(row)
}

/// Column widths, page setup and the signature block under `row`.
fn footer(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    layout: &Layout,
    (top, first_data): (u32, u32),
    row: u32,
) -> Result<(), XlsxError> {
    let table = &data.figures.indicators;
    let last = layout.c_status;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 28)?;
    let households = table.get(&UnitKey::Total, &IndicatorCode::new("HO_TONG")).achieved.unwrap_or(0.0);
    let width = blocks::number_width(households, 0, 10.5);
    for c in 3..=last {
        ws.set_column_width(c, width)?;
    }
    blocks::page_setup(ws, (top, first_data - 1), (first_data, 3))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
