//! Sheet 03: each unit's figures by project and sub-project.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::compute::{Figures, ProjectKey, SourceKey, UnitKey};
use crate::write::Doc;
use crate::write::blocks::{self, HeaderCell};

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let table = &data.figures.capital;
    let last = 7;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 03/GNBV",
        "CHI TIẾT KẾ HOẠCH VỐN VÀ GIẢI NGÂN CỦA TỪNG ĐƠN VỊ THEO DỰ ÁN, TIỂU DỰ ÁN",
        &format!("Kỳ báo cáo: {} (tổng các nguồn vốn)", doc.period.vn_long()),
        Some(&doc.unit_line()),
    )?;
    let cells = [
        HeaderCell::new("STT", 0, 0, 1, 1),
        HeaderCell::new("Mã", 0, 1, 1, 1),
        HeaderCell::new("Đơn vị / dự án, tiểu dự án", 0, 2, 1, 1),
        HeaderCell::new(format!("Kế hoạch vốn năm {}", doc.period.year()), 0, 3, 1, 1),
        HeaderCell::new("Giải ngân trong tháng", 0, 4, 1, 1),
        HeaderCell::new("Lũy kế giải ngân từ đầu năm", 0, 5, 1, 1),
        HeaderCell::new("Tỷ lệ giải ngân (%)", 0, 6, 1, 1),
        HeaderCell::new("Kế hoạch vốn còn lại", 0, 7, 1, 1),
    ];
    let numbering: Vec<String> =
        ["A", "B", "C", "(1)", "(2)", "(3)", "(4)=(3)/(1)", "(5)=(1)-(3)"].iter().map(|x| (*x).to_string()).collect();
    let first_data = blocks::table_header_tall(ws, doc, top, &cells, 1, &numbering, 45.0)?;

    let write_figures = |ws: &mut Worksheet, row: u32, f: Figures, bold: bool| -> Result<(), XlsxError> {
        let (money, pct, dash) =
            if bold { (&s.money_bold, &s.percent_bold, &s.dash_bold) } else { (&s.money, &s.percent, &s.dash) };
        ws.write_number_with_format(row, 3, doc.money(f.allocated), money)?;
        blocks::number_or_dash(ws, row, 4, f.disbursed_month.map(|m| doc.money(m)), money, dash)?;
        ws.write_number_with_format(row, 5, doc.money(f.disbursed_cumulative), money)?;
        blocks::number_or_dash(ws, row, 6, f.rate(), pct, dash)?;
        ws.write_number_with_format(row, 7, doc.money(f.remaining()), money)?;
        Ok(())
    };

    // Each project with its key, line label and row height, the same for every unit.
    let projects: Vec<_> = doc
        .catalogue
        .projects
        .iter()
        .map(|p| {
            let name = format!("{}: {}", p.heading, p.name);
            let height = blocks::wrapped_height(&[(&name, 48.0)]);
            (p, ProjectKey::Project(p.code.clone()), name, height)
        })
        .collect();
    let mut row = first_data;
    blocks::text(ws, row, 0, "", &s.text_bold)?;
    blocks::text(ws, row, 1, "", &s.text_bold)?;
    blocks::text(ws, row, 2, "TỔNG CỘNG", &s.text_bold)?;
    write_figures(ws, row, table.total(), true)?;
    row += 1;
    for (n, unit) in table.units().enumerate() {
        let key = UnitKey::Unit(unit.clone());
        blocks::text(ws, row, 0, &(n + 1).to_string(), &s.text_center_bold)?;
        blocks::text(ws, row, 1, unit.as_str(), &s.text_bold)?;
        blocks::text(ws, row, 2, &super::unit_name(doc, unit), &s.text_bold)?;
        write_figures(ws, row, table.get(&key, &ProjectKey::Total, &SourceKey::Total), true)?;
        row += 1;
        for (project, project_key, name, height) in &projects {
            let f = table.get(&key, project_key, &SourceKey::Total);
            if f.is_zero() {
                continue;
            }
            let name_format = if project.parent.is_some() { &s.text_indent } else { &s.text };
            blocks::text(ws, row, 0, "", &s.text)?;
            blocks::text(ws, row, 1, project.code.as_str(), &s.text_center)?;
            blocks::text(ws, row, 2, name, name_format)?;
            blocks::set_fitted_height(ws, row, *height)?;
            write_figures(ws, row, f, false)?;
            row += 1;
        }
    }
    super::rate_colours(ws, doc, first_data + 1, row - 1, 6)?;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 50)?;
    let width = doc.money_width(table.total().allocated.max(table.total().disbursed_cumulative), 14.0);
    for c in 3..=last {
        ws.set_column_width(c, width)?;
    }
    blocks::page_setup(ws, (top, first_data - 1), (first_data, 3))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
