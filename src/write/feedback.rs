//! The feedback workbook of one unit (SPEC §6.5): its findings, cell by cell,
//! in Vietnamese, ready to send back for correction.

use rust_xlsxwriter::XlsxError;

use super::Doc;
use super::blocks::{self, Col, HeaderCell};
use crate::check::{Finding, Severity};

/// What the feedback says about one unit.
pub struct Feedback<'a> {
    /// Unit code.
    pub code: &'a str,
    /// Unit name.
    pub name: &'a str,
    /// The file used, if any.
    pub file: Option<&'a str>,
    /// Whether the workbook was rejected.
    pub rejected: bool,
    /// Whether nothing was received.
    pub missing: bool,
    /// The unit's findings.
    pub findings: Vec<&'a Finding>,
    /// How gnbv read the workbook's layout (which column it took for what).
    pub layout: &'a [String],
}

/// Writes the feedback workbook and returns its bytes.
///
/// # Errors
///
/// [`XlsxError`] if `rust_xlsxwriter` refuses a value.
pub fn workbook(doc: &Doc<'_>, feedback: &Feedback<'_>) -> Result<Vec<u8>, XlsxError> {
    let s = &doc.styles;
    let mut wb = doc.workbook(&format!("Phản hồi kiểm tra báo cáo {} kỳ {}", feedback.name, doc.period.vn()));
    let ws = wb.add_worksheet().set_name("Phản hồi")?;
    let last: Col = 5;
    let deadline = doc.config.settings.deadline.date(doc.period);
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Phiếu phản hồi",
        "PHIẾU PHẢN HỒI KẾT QUẢ KIỂM TRA BÁO CÁO",
        &format!("Kỳ báo cáo: {}", doc.period.vn_long()),
        None,
    )?;
    let verdict = if feedback.missing {
        format!("Chưa nhận được báo cáo của đơn vị. Đề nghị gửi báo cáo (hạn ngày {}).", deadline.format("%d/%m/%Y"))
    } else if feedback.rejected {
        "Báo cáo BỊ TỪ CHỐI: số liệu chưa được tổng hợp. Đề nghị sửa các lỗi dưới đây và gửi lại.".to_string()
    } else if feedback.findings.iter().any(|f| f.severity != Severity::Info) {
        "Báo cáo được chấp nhận và đã tổng hợp. Đề nghị xem các cảnh báo dưới đây và điều chỉnh ở kỳ sau nếu cần."
            .to_string()
    } else {
        "Báo cáo được chấp nhận và đã tổng hợp. Đề nghị lưu ý các nội dung dưới đây.".to_string()
    };
    let lines = [
        format!("Kính gửi: {} (mã {})", feedback.name, feedback.code),
        format!("Tệp báo cáo: {}", feedback.file.unwrap_or("(không có)")),
        format!("Kết quả: {verdict}"),
    ];
    let mut row = top;
    for line in &lines {
        blocks::merge(ws, row, 0, row, last, line, &s.note)?;
        row += 1;
    }
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Mức độ", 0, 1, 1, 1),
        HeaderCell::new("Trang", 0, 2, 1, 1),
        HeaderCell::new("Ô", 0, 3, 1, 1),
        HeaderCell::new("Nội dung cần kiểm tra, sửa", 0, 4, 1, 1),
        HeaderCell::new("Mã quy tắc", 0, 5, 1, 1),
    ];
    let numbering: Vec<String> = (1..=6).map(|i| format!("({i})")).collect();
    let header_top = row + 1;
    let first = blocks::table_header(ws, doc, header_top, &cells, 1, &numbering)?;
    row = first;
    let mut findings = feedback.findings.clone();
    findings.sort_by_key(|f| (f.severity, f.sheet.clone(), f.cell, f.rule));
    for (i, f) in findings.iter().enumerate() {
        let format = if f.severity == Severity::Error { &s.text_bold } else { &s.text };
        blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
        blocks::text(ws, row, 1, f.severity.label(), format)?;
        blocks::text(ws, row, 2, f.sheet.as_deref().unwrap_or(""), &s.text)?;
        blocks::text(ws, row, 3, &f.cell.map(|c| c.to_string()).unwrap_or_default(), &s.text_center)?;
        blocks::text(ws, row, 4, &f.message, format)?;
        blocks::text(ws, row, 5, f.rule.code(), &s.text)?;
        blocks::fit_row(ws, row, &[(&f.message, 80.0), (f.rule.code(), 24.0)])?;
        row += 1;
    }
    for (c, w) in [(0, 5.0), (1, 14.0), (2, 12.0), (3, 7.0), (4, 80.0), (5, 24.0)] {
        ws.set_column_width(c, w)?;
    }
    if !feedback.layout.is_empty() {
        row += 1;
        blocks::merge(
            ws,
            row,
            0,
            row,
            last,
            "Cách gnbv đọc mẫu biểu của đơn vị (cột nào được lấy là số liệu gì):",
            &s.text_bold,
        )?;
        row += 1;
        for line in feedback.layout {
            blocks::merge(ws, row, 0, row, last, line, &s.note)?;
            row += 1;
        }
    }
    blocks::page_setup(ws, (header_top, first - 1), (first, 0))?;
    blocks::signature_block(ws, doc, row, last)?;
    wb.save_to_buffer()
}
