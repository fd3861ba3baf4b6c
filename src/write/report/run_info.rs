//! Sheet "Thông tin": when and how the report was made — time, period,
//! program, config files and every input file with its SHA-256.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::write::Doc;
use crate::write::blocks;

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let run = data.run;
    let month = data.month;
    blocks::merge(ws, 0, 0, 0, 3, "THÔNG TIN LẦN CHẠY TỔNG HỢP", &s.title)?;
    let mut row = 2;
    let mut line = |ws: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        blocks::text(ws, row, 0, label, &s.label)?;
        blocks::merge(ws, row, 1, row, 3, value, &s.note)?;
        row += 1;
        Ok(())
    };
    line(ws, "Thời điểm lập", &doc.recorded.format("%d/%m/%Y %H:%M:%S").to_string())?;
    line(ws, "Kỳ báo cáo", &format!("{} ({})", doc.period.vn(), doc.period))?;
    line(ws, "Chương trình", &format!("{} — {}", doc.catalogue.program.name, doc.catalogue.program.basis))?;
    line(
        ws,
        "Cơ quan tổng hợp",
        &format!("{} ({})", doc.config.settings.agency.name, doc.config.settings.agency.code),
    )?;
    line(ws, "Phần mềm", &format!("gnbv {}", run.version))?;
    line(ws, "Thư mục đầu vào", &run.input)?;
    line(ws, "Thư mục cấu hình", &run.config)?;
    line(
        ws,
        "Đơn vị",
        &format!(
            "phải báo cáo {}, đã nhận {}, đúng hạn {}, bị từ chối {}",
            month.expected(),
            month.received(),
            month.on_time(),
            month.rejected()
        ),
    )?;
    let history: Vec<String> = run.history.iter().map(|p| p.vn()).collect();
    line(ws, "Số liệu các kỳ trước", &if history.is_empty() { "không có".to_string() } else { history.join(", ") })?;
    if !run.changes.is_empty() {
        line(ws, "Thay đổi so với lần chạy trước", &run.changes.join("\n"))?;
    }

    row += 1;
    let table = |ws: &mut Worksheet,
                 row: &mut u32,
                 title: &str,
                 heads: [&str; 3],
                 rows: Vec<[String; 3]>|
     -> Result<(), XlsxError> {
        blocks::merge(ws, *row, 0, *row, 3, title, &s.text_bold)?;
        *row += 1;
        blocks::text(ws, *row, 0, "STT", &s.header)?;
        for (i, h) in heads.iter().enumerate() {
            blocks::text(ws, *row, u16::try_from(i + 1).unwrap_or(1), h, &s.header)?;
        }
        *row += 1;
        for (i, r) in rows.iter().enumerate() {
            blocks::text(ws, *row, 0, &(i + 1).to_string(), &s.text_center)?;
            for (j, v) in r.iter().enumerate() {
                blocks::text(ws, *row, u16::try_from(j + 1).unwrap_or(1), v, &s.text)?;
            }
            *row += 1;
        }
        *row += 1;
        Ok(())
    };
    let config_rows: Vec<[String; 3]> =
        doc.config.files.iter().map(|(name, sha)| [name.clone(), sha.clone(), String::new()]).collect();
    table(ws, &mut row, "Tệp cấu hình đã dùng", ["Tệp", "SHA-256", ""], config_rows)?;
    let input_rows: Vec<[String; 3]> =
        run.files.iter().map(|(name, sha, size)| [name.clone(), sha.clone(), format!("{size} byte")]).collect();
    table(ws, &mut row, "Tệp đầu vào đã đọc", ["Tệp", "SHA-256", "Dung lượng"], input_rows)?;
    if !run.skipped.is_empty() {
        let skipped: Vec<[String; 3]> =
            run.skipped.iter().map(|(n, why)| [n.clone(), why.clone(), String::new()]).collect();
        table(ws, &mut row, "Tệp không đọc (không phải bảng tính)", ["Tệp", "Lý do", ""], skipped)?;
    }
    for (col, width) in [(0, 24.0), (1, 48.0), (2, 68.0), (3, 14.0)] {
        ws.set_column_width(col, width)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}
