//! Sheet 07: every finding, with unit, file, sheet, cell, rule, message and severity.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::check::Severity;
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let month = data.month;
    let last: Col = 8;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 07/GNBV",
        "KẾT QUẢ KIỂM TRA SỐ LIỆU BÁO CÁO CỦA CÁC ĐƠN VỊ",
        &format!("Kỳ báo cáo: {}", doc.period.vn_long()),
        None,
    )?;
    blocks::merge(
        ws,
        6,
        0,
        6,
        last,
        &format!(
            "Tổng số: {} lỗi (tệp bị từ chối), {} cảnh báo, {} thông tin.",
            month.count(Severity::Error),
            month.count(Severity::Warning),
            month.count(Severity::Info)
        ),
        &s.note,
    )?;
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Mức độ", 0, 1, 1, 1),
        HeaderCell::new("Mã đơn vị", 0, 2, 1, 1),
        HeaderCell::new("Đơn vị", 0, 3, 1, 1),
        HeaderCell::new("Tệp", 0, 4, 1, 1),
        HeaderCell::new("Trang", 0, 5, 1, 1),
        HeaderCell::new("Ô", 0, 6, 1, 1),
        HeaderCell::new("Quy tắc", 0, 7, 1, 1),
        HeaderCell::new("Nội dung", 0, 8, 1, 1),
    ];
    let numbering: Vec<String> = (1..=9).map(|i| format!("({i})")).collect();
    let first_data = blocks::table_header(ws, doc, top + 1, &cells, 1, &numbering)?;
    let mut row = first_data;
    if month.findings.is_empty() {
        blocks::merge(ws, row, 0, row, last, "Không phát hiện sai sót nào.", &s.text)?;
        row += 1;
    }
    for (i, f) in month.findings.iter().enumerate() {
        let unit = f.unit.as_ref().map(std::string::ToString::to_string).unwrap_or_default();
        let name = f.unit.as_ref().map(|u| super::unit_name(doc, u)).unwrap_or_default();
        blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
        blocks::text(ws, row, 1, f.severity.label(), &s.text)?;
        blocks::text(ws, row, 2, &unit, &s.text)?;
        blocks::text(ws, row, 3, &name, &s.text)?;
        blocks::text(ws, row, 4, f.file.as_deref().unwrap_or(""), &s.text)?;
        blocks::text(ws, row, 5, f.sheet.as_deref().unwrap_or(""), &s.text)?;
        blocks::text(ws, row, 6, &f.cell.map(|c| c.to_string()).unwrap_or_default(), &s.text_center)?;
        blocks::text(ws, row, 7, &format!("{}\n{}", f.rule.code(), f.rule.title()), &s.text)?;
        blocks::text(ws, row, 8, &f.message, &s.text)?;
        let rule = format!("{}\n{}", f.rule.code(), f.rule.title());
        blocks::fit_row(
            ws,
            row,
            &[
                (&f.message, 60.0),
                (&rule, 22.0),
                (&name, 22.0),
                (f.file.as_deref().unwrap_or(""), 24.0),
                (f.severity.label(), 11.0),
            ],
        )?;
        row += 1;
    }
    for (col, width) in
        [(0, 5.0), (1, 11.0), (2, 12.0), (3, 22.0), (4, 24.0), (5, 10.0), (6, 6.0), (7, 22.0), (8, 60.0)]
    {
        ws.set_column_width(col, width)?;
    }
    if row > first_data {
        ws.autofilter(first_data - 2, 0, row - 1, last)?;
    }
    blocks::page_setup(ws, (top + 1, first_data - 1), (first_data, 0))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
