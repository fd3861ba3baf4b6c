//! The unit contract workbook (SPEC §4), written two ways: blank, as the
//! template each unit fills in (`gnbv template`), and filled with the
//! aggregate, as the report for the level above — which the next level reads
//! with this same program, so district → province → national needs no retyping.
//!
//! Money is written in the report's money unit as full-precision numbers:
//! the reader turns a float back into its shortest decimal form, so every
//! đồng survives the round trip.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, Worksheet, XlsxError};

use super::Doc;
use super::blocks::{self, Col};
use crate::config::indicators::{Better, Kind, Measure};
use crate::domain::{Dong, IndicatorCode, MoneyField, Period, ProjectCode, SourceCode};

/// Sheet names of the contract.
pub const CAPITAL_SHEET: &str = "Vốn";
/// Sheet names of the contract.
pub const INDICATOR_SHEET: &str = "Chỉ tiêu";
/// Sheet names of the contract.
pub const NOTES_SHEET: &str = "Kiến nghị";
/// The instructions sheet (ignored by the reader).
pub const GUIDE_SHEET: &str = "Hướng dẫn";

/// First row of the capital table's header (0-based): rows above hold the title and identity.
pub const CAPITAL_HEADER_ROW: u32 = 12;
/// First row of the indicator table's header (0-based).
pub const INDICATOR_HEADER_ROW: u32 = 2;

/// What fills a unit workbook; empty maps give the blank template.
#[derive(Debug, Clone, Default)]
pub struct UnitContent {
    /// Unit code written in `Mã đơn vị`.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// Submission date, if any.
    pub submitted: Option<NaiveDate>,
    /// Money by (project, source, field); parents included.
    pub money: BTreeMap<(ProjectCode, SourceCode, MoneyField), Dong>,
    /// Money totals by (source, field) for the `Tổng cộng` row.
    pub totals: BTreeMap<(SourceCode, MoneyField), Dong>,
    /// Whether money values are written (false for the template).
    pub filled: bool,
    /// Leave out the "disbursed this month" columns (the aggregate does not
    /// know it because a unit did not report it).
    pub without_month: bool,
    /// Indicator values by code: target, month, achieved.
    pub indicators: BTreeMap<IndicatorCode, [Option<f64>; 3]>,
    /// Difficulties and recommendations: (topic is recommendation, text).
    pub notes: Vec<(bool, String)>,
}

/// Writes the unit workbook and returns its bytes.
///
/// # Errors
///
/// [`XlsxError`] if `rust_xlsxwriter` refuses a value.
pub fn workbook(doc: &Doc<'_>, content: &UnitContent) -> Result<Vec<u8>, XlsxError> {
    let title = if content.filled {
        format!("Báo cáo {} kỳ {}", content.name, doc.period.vn())
    } else {
        format!("Mẫu báo cáo {} kỳ {}", content.name, doc.period.vn())
    };
    let mut wb = doc.workbook(&title);
    capital_sheet(wb.add_worksheet().set_name(CAPITAL_SHEET)?, doc, content)?;
    indicator_sheet(wb.add_worksheet().set_name(INDICATOR_SHEET)?, doc, content)?;
    notes_sheet(wb.add_worksheet().set_name(NOTES_SHEET)?, doc, content)?;
    guide_sheet(wb.add_worksheet().set_name(GUIDE_SHEET)?, doc)?;
    wb.save_to_buffer()
}

fn money_validation() -> DataValidation {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_title("Số tiền không hợp lệ")
        .unwrap_or_else(|_| DataValidation::new())
        .set_error_message("Chỉ nhập số tiền không âm, theo đơn vị tính ghi ở đầu biểu.")
        .unwrap_or_else(|_| DataValidation::new())
}

fn identity_rows(ws: &mut Worksheet, doc: &Doc<'_>, content: &UnitContent, period: Period) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let value =
        Format::new().set_font_name(super::styles::FONT).set_font_size(12).set_bold().set_align(FormatAlign::Left);
    let rows: [(&str, String); 5] = [
        ("Mã đơn vị:", content.code.clone()),
        ("Tên đơn vị:", content.name.clone()),
        ("Kỳ báo cáo:", period.vn()),
        ("Ngày báo cáo:", String::new()),
        ("Đơn vị tính:", doc.money.label().to_string()),
    ];
    for (i, (label, text)) in rows.iter().enumerate() {
        let row = 6 + u32::try_from(i).unwrap_or(0);
        blocks::text(ws, row, 0, label, &s.label)?;
        if *label == "Ngày báo cáo:" {
            let date_format = value
                .clone()
                .set_num_format("dd/mm/yyyy")
                .set_background_color(rust_xlsxwriter::Color::RGB(0x00FF_FFF2));
            match content.submitted {
                Some(d) => {
                    let excel = ExcelDateTime::from_ymd(
                        u16::try_from(chrono::Datelike::year(&d)).unwrap_or(1900),
                        u8::try_from(chrono::Datelike::month(&d)).unwrap_or(1),
                        u8::try_from(chrono::Datelike::day(&d)).unwrap_or(1),
                    )?;
                    ws.write_datetime_with_format(row, 1, &excel, &date_format)?;
                }
                None => {
                    ws.write_blank(row, 1, &date_format)?;
                }
            }
        } else {
            blocks::text(ws, row, 1, text, &value)?;
        }
    }
    Ok(())
}

fn capital_sheet(ws: &mut Worksheet, doc: &Doc<'_>, content: &UnitContent) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let sources = &doc.config.sources.list;
    let n = Col::try_from(sources.len()).unwrap_or(1);
    let groups: Vec<MoneyField> =
        MoneyField::ALL.into_iter().filter(|f| !(content.without_month && *f == MoneyField::DisbursedMonth)).collect();
    let last: Col = 2 + Col::try_from(groups.len()).unwrap_or(3) * n;
    blocks::motto_block(ws, doc, last, &doc.config.settings.agency.superior, &content.name)?;
    ws.set_row_height(3, 36)?;
    blocks::merge(
        ws,
        3,
        0,
        3,
        last,
        "BÁO CÁO TÌNH HÌNH THỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG",
        &s.title,
    )?;
    blocks::merge(ws, 4, 0, 4, last, "Biểu 01: Kế hoạch vốn và kết quả giải ngân", &s.subtitle)?;
    identity_rows(ws, doc, content, doc.period)?;

    let h = CAPITAL_HEADER_ROW;
    blocks::merge(ws, h, 0, h + 1, 0, "Mã", &s.header)?;
    blocks::merge(ws, h, 1, h + 1, 1, "Nội dung", &s.header)?;
    for (g, field) in groups.iter().enumerate() {
        let start = 2 + Col::try_from(g).unwrap_or(0) * n;
        let label = match field {
            MoneyField::Allocated => format!("Kế hoạch vốn năm {}", doc.period.year()),
            other => other.label().to_string(),
        };
        blocks::merge(ws, h, start, h, start + n - 1, &label, &s.header)?;
        for (i, src) in sources.iter().enumerate() {
            blocks::text(ws, h + 1, start + Col::try_from(i).unwrap_or(0), &src.short, &s.header)?;
        }
    }
    blocks::merge(ws, h, last, h + 1, last, "Ghi chú", &s.header)?;
    ws.set_row_height(h, 32)?;
    for c in 0..=last {
        let label = if c < 2 { ["(A)", "(B)"][c as usize].to_string() } else { format!("({})", c - 1) };
        blocks::text(ws, h + 2, c, &label, &s.numbering)?;
    }
    let mut row = h + 3;
    let first_data = row;
    let validation = money_validation();
    for project in &doc.catalogue.projects {
        let is_parent = doc.catalogue.has_children(&project.code);
        let name_format = if is_parent {
            &s.text_bold
        } else if project.parent.is_some() {
            &s.text_indent
        } else {
            &s.text
        };
        blocks::text(ws, row, 0, project.code.as_str(), if is_parent { &s.text_center_bold } else { &s.text_center })?;
        let name = format!("{}: {}", project.heading, project.name);
        blocks::text(ws, row, 1, &name, name_format)?;
        blocks::fit_row(ws, row, &[(&name, 58.0)])?;
        for (g, field) in groups.iter().enumerate() {
            for (i, src) in sources.iter().enumerate() {
                let col = 2 + Col::try_from(g).unwrap_or(0) * n + Col::try_from(i).unwrap_or(0);
                let value = content.money.get(&(project.code.clone(), src.code.clone(), *field));
                match (content.filled, value) {
                    (true, Some(v)) => {
                        ws.write_number_with_format(
                            row,
                            col,
                            doc.money(*v),
                            if is_parent { &s.money_bold } else { &s.input_money },
                        )?;
                    }
                    (true, None) => {
                        ws.write_number_with_format(
                            row,
                            col,
                            0.0,
                            if is_parent { &s.money_bold } else { &s.input_money },
                        )?;
                    }
                    (false, _) if is_parent => {
                        ws.write_blank(row, col, &s.locked_grey)?;
                    }
                    (false, _) => {
                        ws.write_blank(row, col, &s.input_money)?;
                    }
                }
            }
        }
        let note = if is_parent && !content.filled { "Tự cộng từ các tiểu dự án" } else { "" };
        blocks::text(ws, row, last, note, &s.note)?;
        row += 1;
    }
    if !content.filled {
        ws.add_data_validation(first_data, 2, row - 1, last - 1, &validation)?;
    }
    blocks::text(ws, row, 0, "", &s.text_bold)?;
    blocks::text(ws, row, 1, "Tổng cộng", &s.text_bold)?;
    for (g, field) in groups.iter().enumerate() {
        for (i, src) in sources.iter().enumerate() {
            let col = 2 + Col::try_from(g).unwrap_or(0) * n + Col::try_from(i).unwrap_or(0);
            if content.filled {
                let v = content.totals.get(&(src.code.clone(), *field)).copied().unwrap_or_default();
                ws.write_number_with_format(row, col, doc.money(v), &s.money_bold)?;
            } else {
                ws.write_blank(row, col, &s.locked_grey)?;
            }
        }
    }
    blocks::text(ws, row, last, if content.filled { "" } else { "Phần mềm tự cộng" }, &s.note)?;
    signature(ws, doc, content, row + 1, last)?;
    ws.set_column_width(0, 9)?;
    ws.set_column_width(1, 58)?;
    for c in 2..last {
        ws.set_column_width(c, 11)?;
    }
    ws.set_column_width(last, 22)?;
    blocks::page_setup(ws, (h, h + 2), (h + 3, 2))?;
    Ok(())
}

fn indicator_sheet(ws: &mut Worksheet, doc: &Doc<'_>, content: &UnitContent) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let last: Col = 6;
    blocks::merge(ws, 0, 0, 0, last, "Biểu 02: Kết quả thực hiện các chỉ tiêu", &s.title)?;
    blocks::merge(
        ws,
        1,
        0,
        1,
        last,
        &format!("Kỳ báo cáo: {} — đơn vị: {}", doc.period.vn(), content.name),
        &s.subtitle,
    )?;
    let h = INDICATOR_HEADER_ROW;
    let heads =
        ["Mã", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm", "Thực hiện trong tháng", "Lũy kế từ đầu năm", "Ghi chú"];
    for (i, head) in heads.iter().enumerate() {
        blocks::text(ws, h, Col::try_from(i).unwrap_or(0), head, &s.header)?;
        blocks::text(ws, h + 1, Col::try_from(i).unwrap_or(0), &format!("({})", i + 1), &s.numbering)?;
    }
    ws.set_row_height(h, 32)?;
    let mut row = h + 2;
    for ind in doc.config.indicators.list.iter().filter(|i| i.in_template) {
        let values = content.indicators.get(&ind.code).copied().unwrap_or_default();
        blocks::text(ws, row, 0, ind.code.as_str(), &s.text)?;
        blocks::text(ws, row, 1, &ind.name, if ind.is_derived() { &s.text_bold } else { &s.text })?;
        blocks::fit_row(ws, row, &[(&ind.name, 52.0)])?;
        blocks::text(ws, row, 2, &ind.unit, &s.text_center)?;
        let input = match ind.measure {
            Measure::Count => &s.input_count,
            Measure::Rate => &s.input_percent,
            Measure::Points => &s.input_points,
        };
        for (k, field_open) in [
            (0, ind.better != Better::Context),
            (1, !ind.is_derived() && ind.kind == Kind::Flow),
            (2, !ind.is_derived()),
        ] {
            let col = 3 + Col::try_from(k).unwrap_or(0);
            // Points are written as points (0,15 = 0.15 điểm %), rates as fractions.
            let shown = values[k].map(|v| if ind.measure == Measure::Points { v * 100.0 } else { v });
            match shown {
                Some(v) => {
                    ws.write_number_with_format(row, col, v, input)?;
                }
                None if field_open => {
                    ws.write_blank(row, col, input)?;
                }
                None => {
                    ws.write_blank(row, col, &s.locked_grey)?;
                }
            }
        }
        let note = match (ind.is_derived(), content.filled) {
            (true, false) => "Chỉ ghi kế hoạch; phần mềm tự tính kết quả",
            (true, true) => "Tính từ các chỉ tiêu trên",
            _ => "",
        };
        blocks::text(ws, row, last, note, &s.note)?;
        row += 1;
    }
    signature(ws, doc, content, row, last)?;
    for (c, w) in [(0, 13.0), (1, 52.0), (2, 11.0), (3, 14.0), (4, 14.0), (5, 14.0), (6, 30.0)] {
        ws.set_column_width(c, w)?;
    }
    blocks::page_setup(ws, (h, h + 1), (h + 2, 2))?;
    Ok(())
}

/// The signature block: the real date in a filled workbook, dots in a template.
fn signature(ws: &mut Worksheet, doc: &Doc<'_>, content: &UnitContent, row: u32, last: Col) -> Result<(), XlsxError> {
    let date = match (content.filled, content.submitted) {
        (true, Some(d)) => blocks::date_line(&doc.config.settings.agency.place, d),
        _ => "…………, ngày …… tháng …… năm ……".to_string(),
    };
    blocks::signature_lines(ws, doc, row, last, &date)?;
    Ok(())
}

fn notes_sheet(ws: &mut Worksheet, doc: &Doc<'_>, content: &UnitContent) -> Result<(), XlsxError> {
    let s = &doc.styles;
    blocks::merge(ws, 0, 0, 0, 5, "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT", &s.title)?;
    let mut row = 2;
    for (recommendation, heading) in [(false, "I. Khó khăn, vướng mắc:"), (true, "II. Kiến nghị, đề xuất:")]
    {
        blocks::text(ws, row, 0, heading, &s.label)?;
        row += 1;
        let lines: Vec<&String> = content.notes.iter().filter(|(r, _)| *r == recommendation).map(|(_, t)| t).collect();
        let count = if content.filled { lines.len() } else { 5 };
        for i in 0..count {
            let text = lines.get(i).map_or("", |t| t.as_str());
            blocks::merge(ws, row, 0, row, 5, text, &s.input_text)?;
            ws.set_row_height(row, 30)?;
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(0, 20)?;
    for c in 1..=5 {
        ws.set_column_width(c, 20)?;
    }
    let _ = doc;
    Ok(())
}

fn guide_sheet(ws: &mut Worksheet, doc: &Doc<'_>) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let deadline = doc.config.settings.deadline.date(doc.period);
    let lines = [
        "HƯỚNG DẪN ĐIỀN BIỂU".to_string(),
        "1. Giữ nguyên tên các trang (Vốn, Chỉ tiêu, Kiến nghị), các dòng tiêu đề và cột \"Mã\"; có thể thêm cột ghi chú.".to_string(),
        format!("2. Ghi \"Kỳ báo cáo\" dạng 06/{} và \"Ngày báo cáo\" là ngày gửi.", doc.period.year()),
        format!("3. Số tiền ghi theo đơn vị tính ở đầu biểu ({}); ô để trống được hiểu là 0.", doc.money.label()),
        "4. Lũy kế giải ngân tính từ 01/01 đến hết kỳ báo cáo, gồm cả số giải ngân trong tháng.".to_string(),
        "5. Dòng dự án có tiểu dự án (tô xám) do phần mềm tự cộng; chỉ ghi số ở các tiểu dự án.".to_string(),
        "6. Chỉ tiêu: ô \"Kế hoạch năm\" để trống nghĩa là không giao chỉ tiêu. Tỷ lệ ghi dạng %, mức giảm tỷ lệ ghi bằng điểm % (ví dụ 0,15).".to_string(),
        "7. Các chỉ tiêu tính toán (hộ nghèo hiện tại, tỷ lệ hộ nghèo…) do phần mềm tự tính; chỉ ghi kế hoạch nếu được giao.".to_string(),
        format!("8. Gửi báo cáo về cơ quan thường trực trước ngày {}.", deadline.format("%d/%m/%Y")),
        "9. Có thể tự kiểm tra tệp trước khi gửi bằng lệnh: gnbv check <tệp>.".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        let format = if i == 0 { &s.label } else { &s.note };
        blocks::text(ws, u32::try_from(i).unwrap_or(0), 0, line, format)?;
    }
    ws.set_column_width(0, 120)?;
    Ok(())
}
