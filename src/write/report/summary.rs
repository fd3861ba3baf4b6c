//! The first sheet, for leaders: the headline figures at a glance and native
//! Excel charts (disbursement rate by unit and by project, and the year's
//! monthly curve when history exists).

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::{ReportData, SHEETS};
use crate::check::Severity;
use crate::compute::{IndicatorValue, ProjectKey, SourceKey, UnitKey};
use crate::domain::IndicatorCode;
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

const LAST: Col = 9;

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let row = header(ws, doc)?;
    let row = key_figures(ws, doc, data, row)?;
    let row = rate_blocks(ws, doc, data, row)?;
    let row = monthly_curve(ws, doc, data, row)?;
    footer(ws, doc, data, row)
}

/// The header block and the key figures' table header; returns the first row
/// of the key figures.
fn header(ws: &mut Worksheet, doc: &Doc<'_>) -> Result<u32, XlsxError> {
    let top = blocks::header_block(
        ws,
        doc,
        LAST,
        "Biểu tóm tắt",
        "BÁO CÁO TÓM TẮT TÌNH HÌNH THỰC HIỆN\nCHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG",
        &format!("Kỳ báo cáo: {}", doc.period.vn_long()),
        None,
    )?;
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Chỉ số", 0, 1, 1, 4),
        HeaderCell::new("Giá trị", 0, 5, 1, 1),
        HeaderCell::new("Ghi chú", 0, 6, 1, 4),
    ];
    Ok(blocks::table_header(ws, doc, top, &cells, 1, &[])? - 1)
}

/// The headline figures, one numbered line each; returns the next row.
fn key_figures(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>, mut row: u32) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let month = data.month;
    let total = data.figures.capital.total();
    let money_label = doc.money.label();
    let last_rate = data.figures.last_month.as_ref().and_then(|(p, t)| t.total().rate().map(|r| (*p, r)));
    let ind = |code: &str| -> (IndicatorValue, Option<crate::config::indicators::Measure>) {
        let code = IndicatorCode::new(code);
        (data.figures.indicators.get(&UnitKey::Total, &code), doc.config.indicators.get(&code).map(|i| i.measure))
    };
    let mut n = 0;
    let mut line = |ws: &mut Worksheet,
                    label: &str,
                    value: Option<f64>,
                    format: &rust_xlsxwriter::Format,
                    note: &str|
     -> Result<u32, XlsxError> {
        n += 1;
        blocks::text(ws, row, 0, &n.to_string(), &s.text_center)?;
        blocks::merge(ws, row, 1, row, 4, label, &s.text_indent)?;
        blocks::number_or_dash(ws, row, 5, value, format, &s.dash_bold)?;
        blocks::merge(ws, row, 6, row, LAST, note, &s.text_indent)?;
        blocks::fit_row(ws, row, &[(note, 56.0), (label, 61.0)])?;
        row += 1;
        Ok(row - 1)
    };
    line(
        ws,
        &format!("Kế hoạch vốn năm {} ({money_label})", doc.period.year()),
        Some(doc.money(total.allocated)),
        &s.money_bold,
        "Tổng các nguồn, gồm vốn kéo dài",
    )?;
    line(
        ws,
        &format!("Giải ngân trong tháng ({money_label})"),
        total.disbursed_month.map(|m| doc.money(m)),
        &s.money_bold,
        "",
    )?;
    line(
        ws,
        &format!("Lũy kế giải ngân từ đầu năm ({money_label})"),
        Some(doc.money(total.disbursed_cumulative)),
        &s.money_bold,
        "",
    )?;
    let progress = super::expected_progress(doc);
    let rate_note = match last_rate {
        Some((p, r)) => {
            format!(
                "Đến {}: {}%; tiến độ kỳ vọng: {}%",
                p.vn(),
                blocks::vn(r * 100.0, 1),
                blocks::vn(progress * 100.0, 0)
            )
        }
        None => format!("Tiến độ kỳ vọng đến hết tháng {}: {}%", doc.period.month(), blocks::vn(progress * 100.0, 0)),
    };
    let rate_row = line(ws, "Tỷ lệ giải ngân (%)", total.rate(), &s.percent_bold, &rate_note)?;
    super::rate_colours(ws, doc, rate_row, rate_row, 5)?;

    let (start, _) = ind("TL_HN_DAU");
    line(ws, "Tỷ lệ hộ nghèo đầu năm", start.achieved, &s.percent2_bold, "")?;
    let (now, _) = ind("TL_HN");
    let now_note = now.target.map(|t| format!("Kế hoạch cuối năm: {}%", blocks::vn(t * 100.0, 2))).unwrap_or_default();
    line(ws, "Tỷ lệ hộ nghèo hiện tại", now.achieved, &s.percent2_bold, &now_note)?;
    let (cut, _) = ind("GIAM_TL_HN");
    line(
        ws,
        "Mức giảm tỷ lệ hộ nghèo (điểm %)",
        cut.achieved.map(|v| v * 100.0),
        &s.points_bold,
        &poverty_cut_note(&cut),
    )?;
    let (households, _) = ind("GIAM_HN");
    line(ws, "Số hộ nghèo giảm (hộ)", households.achieved, &s.count_bold, "")?;
    let (trained, _) = ind("TL_LD_DT");
    let trained_note = trained.target.map(|t| format!("Kế hoạch: {}%", blocks::vn(t * 100.0, 2))).unwrap_or_default();
    line(ws, "Tỷ lệ lao động qua đào tạo", trained.achieved, &s.percent2_bold, &trained_note)?;
    let expected = month.expected();
    line(
        ws,
        "Số đơn vị đã gửi báo cáo",
        Some(month.received() as f64),
        &s.count_bold,
        &format!("Trên {expected} đơn vị phải báo cáo; đúng hạn {}; bị từ chối {}", month.on_time(), month.rejected()),
    )?;
    line(
        ws,
        "Số lỗi và cảnh báo trong số liệu",
        Some((month.count(Severity::Error) + month.count(Severity::Warning)) as f64),
        &s.count_bold,
        &format!(
            "{} lỗi (tệp bị từ chối), {} cảnh báo: xem biểu 07",
            month.count(Severity::Error),
            month.count(Severity::Warning)
        ),
    )?;
    Ok(row)
}

/// Below the key figures, blocks of a table (left) and its chart (right):
/// the rate by unit, then by project; a block never straddles a page: the
/// project and monthly blocks start the second page. Returns the next row.
fn rate_blocks(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>, mut row: u32) -> Result<u32, XlsxError> {
    let capital = &data.figures.capital;
    row += 1;
    let mut units: Vec<(String, f64)> = capital
        .units()
        .filter_map(|u| {
            capital
                .get(&UnitKey::Unit(u.clone()), &ProjectKey::Total, &SourceKey::Total)
                .rate()
                .map(|r| (super::unit_name(doc, u), r))
        })
        .collect();
    units.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
    let block_start = row;
    if let Some((first, last)) = rate_table(ws, doc, &mut row, "Tỷ lệ giải ngân theo đơn vị", "Đơn vị", &units)?
    {
        let (chart, rows) = bar_chart("Tỷ lệ giải ngân theo đơn vị", first, last, units.len());
        ws.insert_chart(block_start, 4, &chart)?;
        row = row.max(block_start + rows + 1);
    }
    let mut projects: Vec<(String, f64)> = doc
        .catalogue
        .projects
        .iter()
        .filter_map(|p| {
            capital
                .get(&UnitKey::Total, &ProjectKey::Project(p.code.clone()), &SourceKey::Total)
                .rate()
                .map(|r| (format!("{} ({})", p.heading, p.code), r))
        })
        .collect();
    projects.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
    ws.set_page_breaks(&[row])?;
    let block_start = row;
    if let Some((first, last)) =
        rate_table(ws, doc, &mut row, "Tỷ lệ giải ngân theo dự án, tiểu dự án", "Dự án", &projects)?
    {
        let (chart, rows) = bar_chart("Tỷ lệ giải ngân theo dự án", first, last, projects.len());
        ws.insert_chart(block_start, 4, &chart)?;
        row = row.max(block_start + rows + 1);
    }
    Ok(row)
}

/// The year's monthly curve, a table and its line chart, when history has
/// more than one month; returns the next row.
fn monthly_curve(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>, mut row: u32) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let money_label = doc.money.label();
    if data.figures.curve.len() > 1 {
        let block_start = row;
        blocks::merge(ws, row, 0, row, 3, "Tiến độ giải ngân lũy kế các tháng trong năm", &s.text_bold)?;
        blocks::text(ws, row + 1, 0, "STT", &s.header)?;
        blocks::text(ws, row + 1, 1, "Tháng", &s.header)?;
        blocks::text(ws, row + 1, 2, "Tỷ lệ giải ngân", &s.header)?;
        blocks::text(ws, row + 1, 3, &format!("Lũy kế ({money_label})"), &s.header)?;
        ws.set_row_height(row + 1, 30)?;
        row += 2;
        let first = row;
        for (i, (p, f)) in data.figures.curve.iter().enumerate() {
            blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
            blocks::text(ws, row, 1, &p.vn(), &s.text_center)?;
            blocks::number_or_dash(ws, row, 2, f.rate(), &s.percent, &s.dash)?;
            ws.write_number_with_format(row, 3, doc.money(f.disbursed_cumulative), &s.money)?;
            row += 1;
        }
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name("Tỷ lệ giải ngân lũy kế qua các tháng").set_font(&chart_font(12.0, true));
        chart
            .add_series()
            .set_categories((SHEETS[0], first, 1, row - 1, 1))
            .set_values((SHEETS[0], first, 2, row - 1, 2))
            .set_name("Tỷ lệ giải ngân");
        chart.y_axis().set_num_format("0%").set_min(0.0).set_font(&chart_font(9.0, false));
        chart.x_axis().set_font(&chart_font(9.0, false));
        chart.legend().set_hidden();
        chart.set_width(560).set_height(260);
        ws.insert_chart(block_start, 4, &chart)?;
        row = row.max(block_start + 14);
    }
    Ok(row)
}

/// Column widths, page setup and the signature block under `row`.
fn footer(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>, row: u32) -> Result<(), XlsxError> {
    let capital = &data.figures.capital;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 34)?;
    for c in 2..=4 {
        ws.set_column_width(c, 11)?;
    }
    ws.set_column_width(5, doc.money_width(capital.total().allocated, 14.0))?;
    for c in 6..=LAST {
        ws.set_column_width(c, 14)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.4, 0.6, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
    blocks::signature_block(ws, doc, row, LAST)?;
    Ok(())
}

/// The note beside the poverty-rate reduction: the target and how it stands
/// (also in the cron digest, `tom_tat.txt`).
pub(crate) fn poverty_cut_note(cut: &IndicatorValue) -> String {
    match (cut.target, cut.status) {
        (Some(t), Some(st)) => format!("Kế hoạch giảm {} điểm %; đánh giá: {}", blocks::vn(t * 100.0, 2), st.label()),
        (Some(t), None) => format!("Kế hoạch giảm {} điểm %", blocks::vn(t * 100.0, 2)),
        _ => String::new(),
    }
}

/// Writes a table (number, name, rate) and returns its data rows.
fn rate_table(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    row: &mut u32,
    title: &str,
    head: &str,
    items: &[(String, f64)],
) -> Result<Option<(u32, u32)>, XlsxError> {
    let s = &doc.styles;
    if items.is_empty() {
        return Ok(None);
    }
    blocks::merge(ws, *row, 0, *row, 3, title, &s.text_bold)?;
    blocks::text(ws, *row + 1, 0, "STT", &s.header)?;
    blocks::text(ws, *row + 1, 1, head, &s.header)?;
    blocks::text(ws, *row + 1, 2, "Tỷ lệ giải ngân", &s.header)?;
    ws.set_row_height(*row + 1, 30)?;
    let first = *row + 2;
    *row = first;
    for (i, (name, rate)) in items.iter().enumerate() {
        blocks::text(ws, *row, 0, &(i + 1).to_string(), &s.text_center)?;
        blocks::text(ws, *row, 1, name, &s.text)?;
        ws.write_number_with_format(*row, 2, *rate, &s.percent)?;
        blocks::fit_row(ws, *row, &[(name, 34.0)])?;
        *row += 1;
    }
    let last = *row - 1;
    super::rate_colours(ws, doc, first, last, 2)?;
    *row += 1;
    Ok(Some((first, last)))
}

/// Times New Roman for chart text, like the tables.
fn chart_font(size: f64, bold: bool) -> rust_xlsxwriter::ChartFont {
    let mut font = rust_xlsxwriter::ChartFont::new();
    font.set_name(crate::write::styles::FONT).set_size(size);
    if bold {
        font.set_bold();
    }
    font
}

/// A sorted bar chart of rates and the number of rows it covers.
fn bar_chart(title: &str, first: u32, last: u32, items: usize) -> (Chart, u32) {
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(title).set_font(&chart_font(12.0, true));
    chart
        .add_series()
        .set_categories((SHEETS[0], first, 1, last, 1))
        .set_values((SHEETS[0], first, 2, last, 2))
        .set_name("Tỷ lệ giải ngân");
    chart.x_axis().set_num_format("0%").set_min(0.0).set_font(&chart_font(9.0, false));
    chart.y_axis().set_reverse().set_font(&chart_font(9.0, false));
    chart.legend().set_hidden();
    let height = 110 + 22 * u32::try_from(items.min(40)).unwrap_or(40);
    chart.set_width(560).set_height(height);
    // Rows are 20 pixels high by default.
    (chart, height.div_ceil(20))
}
