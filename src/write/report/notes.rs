//! Sheet 08: difficulties and recommendations, by unit.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let last: Col = 3;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 08/GNBV",
        "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT CỦA CÁC ĐƠN VỊ",
        &format!("Kỳ báo cáo: {}", doc.period.vn_long()),
        None,
    )?;
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Đơn vị", 0, 1, 1, 1),
        HeaderCell::new("Nội dung", 0, 2, 1, 1),
        HeaderCell::new("Ý kiến của đơn vị", 0, 3, 1, 1),
    ];
    let numbering: Vec<String> = (1..=4).map(|i| format!("({i})")).collect();
    let first_data = blocks::table_header(ws, doc, top, &cells, 1, &numbering)?;
    let mut row = first_data;
    if data.month.notes.is_empty() {
        blocks::merge(ws, row, 0, row, last, "Không có đơn vị nào nêu khó khăn, kiến nghị.", &s.text)?;
        row += 1;
    }
    for (i, (unit, note)) in data.month.notes.iter().enumerate() {
        blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
        blocks::text(ws, row, 1, &super::unit_name(doc, unit), &s.text)?;
        blocks::text(ws, row, 2, &note.topic, &s.text)?;
        blocks::text(ws, row, 3, &note.text, &s.text)?;
        let name = super::unit_name(doc, unit);
        blocks::fit_row(ws, row, &[(&note.text, 90.0), (&name, 28.0), (&note.topic, 20.0)])?;
        row += 1;
    }
    for (col, width) in [(0, 5.0), (1, 28.0), (2, 20.0), (3, 90.0)] {
        ws.set_column_width(col, width)?;
    }
    blocks::page_setup(ws, (top, first_data - 1), (first_data, 0))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
