//! Sheet 06: every registered unit, received or missing, on time or late, and
//! the files that could not be tied to a unit.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::assembled::Month;
use crate::check::Severity;
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

const LAST: Col = 8;

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let (top, first_data) = header(ws, doc, data.month)?;
    let row = unit_rows(ws, doc, data.month, first_data)?;
    let row = other_files(ws, doc, data.month, row)?;
    footer(ws, doc, (top, first_data), row)
}

/// The header block, the line of counts and the table's header; returns the
/// table's top row and its first data row.
fn header(ws: &mut Worksheet, doc: &Doc<'_>, month: &Month) -> Result<(u32, u32), XlsxError> {
    let s = &doc.styles;
    let last = LAST;
    let deadline = doc.config.settings.deadline.date(doc.period);
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 06/GNBV",
        "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ",
        &format!("Kỳ báo cáo: {}; hạn gửi: ngày {}", doc.period.vn_long(), deadline.format("%d/%m/%Y")),
        None,
    )?;
    let expected = month.expected();
    let received = month.received();
    let percent = if expected > 0 { received as f64 * 100.0 / expected as f64 } else { 0.0 };
    blocks::merge(
        ws,
        6,
        0,
        6,
        last,
        &format!(
            "Đã nhận báo cáo của {received}/{expected} đơn vị ({percent:.0}%); đúng hạn: {}; bị từ chối: {}; chưa gửi: {}.",
            month.on_time(),
            month.rejected(),
            expected - received
        ),
        &s.note,
    )?;
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Mã đơn vị", 0, 1, 1, 1),
        HeaderCell::new("Đơn vị", 0, 2, 1, 1),
        HeaderCell::new("Loại", 0, 3, 1, 1),
        HeaderCell::new("Tình trạng", 0, 4, 1, 1),
        HeaderCell::new("Ngày gửi", 0, 5, 1, 1),
        HeaderCell::new("Đúng hạn", 0, 6, 1, 1),
        HeaderCell::new("Tệp", 0, 7, 1, 1),
        HeaderCell::new("Ghi chú", 0, 8, 1, 1),
    ];
    let numbering: Vec<String> = (1..=9).map(|i| format!("({i})")).collect();
    let first_data = blocks::table_header(ws, doc, top + 1, &cells, 1, &numbering)?;
    Ok((top, first_data))
}

/// One row per registered unit, in registry order; returns the next row.
fn unit_rows(ws: &mut Worksheet, doc: &Doc<'_>, month: &Month, first_data: u32) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let mut row = first_data;
    for (i, st) in month.statuses.iter().enumerate() {
        let state = match (&st.holder, st.expected, st.received, st.rejected) {
            (Some(h), false, _, _) => format!("Đã sáp nhập vào {h}"),
            (_, false, _, _)
                if doc.config.units.get(&st.unit).and_then(|u| u.opened).is_some_and(|d| d > doc.period.last_day()) =>
            {
                "Chưa thành lập".to_string()
            }
            (_, false, _, _) => "Không phải báo cáo kỳ này".to_string(),
            (_, true, false, _) => "Chưa gửi".to_string(),
            (_, true, true, true) => "Bị từ chối".to_string(),
            (_, true, true, false) => "Đã nhận".to_string(),
        };
        let date = st.submitted.map_or_else(
            || "-".into(),
            |d| format!("{}{}", d.format("%d/%m/%Y"), if st.submitted_stated { "" } else { " (theo tệp)" }),
        );
        let on_time = match st.on_time {
            Some(true) => "Đúng hạn",
            Some(false) => "Muộn",
            None => "-",
        };
        let mut note = st.reason.clone();
        if st.files.len() > 1 {
            note = format!("Gửi {} tệp, dùng tệp mới nhất. {note}", st.files.len());
        }
        blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
        blocks::text(ws, row, 1, st.unit.as_str(), &s.text)?;
        blocks::text(ws, row, 2, &st.name, &s.text)?;
        blocks::text(ws, row, 3, &st.kind, &s.text)?;
        blocks::text(ws, row, 4, &state, &s.text)?;
        blocks::text(ws, row, 5, &date, &s.text_center)?;
        blocks::text(ws, row, 6, on_time, &s.text_center)?;
        blocks::text(ws, row, 7, st.file.as_deref().unwrap_or("-"), &s.text)?;
        blocks::text(ws, row, 8, note.trim(), &s.text)?;
        blocks::fit_row(
            ws,
            row,
            &[(&st.name, 32.0), (&state, 18.0), (st.file.as_deref().unwrap_or(""), 30.0), (note.trim(), 45.0)],
        )?;
        row += 1;
    }
    Ok(row)
}

/// The files not tied to any unit, and those of other periods; returns the
/// next row.
fn other_files(ws: &mut Worksheet, doc: &Doc<'_>, month: &Month, mut row: u32) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let last = LAST;
    if !month.unidentified.is_empty() {
        row += 1;
        blocks::merge(
            ws,
            row,
            0,
            row,
            last,
            &format!("Tệp không xác định được đơn vị ({} tệp, không được tổng hợp):", month.unidentified.len()),
            &s.text_bold,
        )?;
        row += 1;
        for (i, &idx) in month.unidentified.iter().enumerate() {
            let r = &month.reports[idx];
            let reason: Vec<&str> =
                r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.message.as_str()).collect();
            blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
            blocks::merge(ws, row, 1, row, 3, &r.file.name, &s.text)?;
            let reason = reason.join(" ");
            blocks::merge(ws, row, 4, row, last, &reason, &s.text)?;
            blocks::fit_row(ws, row, &[(&reason, 110.0), (&r.file.name, 55.0)])?;
            row += 1;
        }
    }
    if !month.other_periods.is_empty() {
        row += 1;
        let list: Vec<String> = month.other_periods.iter().map(|(p, n)| format!("kỳ {}: {n} tệp", p.vn())).collect();
        blocks::merge(
            ws,
            row,
            0,
            row,
            last,
            &format!(
                "Trong thư mục đầu vào còn có tệp của kỳ khác (không tổng hợp trong kỳ này): {}.",
                list.join("; ")
            ),
            &s.note,
        )?;
        row += 1;
    }
    Ok(row)
}

/// Column widths, page setup and the signature block under `row`.
fn footer(ws: &mut Worksheet, doc: &Doc<'_>, (top, first_data): (u32, u32), row: u32) -> Result<(), XlsxError> {
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 13)?;
    ws.set_column_width(2, 32)?;
    ws.set_column_width(3, 10)?;
    ws.set_column_width(4, 18)?;
    ws.set_column_width(5, 12)?;
    ws.set_column_width(6, 9)?;
    ws.set_column_width(7, 30)?;
    ws.set_column_width(8, 45)?;
    blocks::page_setup(ws, (top + 1, first_data - 1), (first_data, 3))?;
    blocks::signature_block(ws, doc, row, LAST)?;
    Ok(())
}
