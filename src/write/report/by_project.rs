//! Sheet 01: allocation and disbursement by project, sub-project and source.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::compute::{CapitalTable, Figures, ProjectKey, SourceKey, UnitKey};
use crate::config::Source;
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

/// The sources shown: those with any allocation or disbursement in the
/// period (a form full of empty "Kéo dài" columns only shrinks the print), or
/// the first source when nothing is reported at all.
pub(crate) fn shown_sources<'a>(doc: &'a Doc<'_>, table: &CapitalTable) -> Vec<&'a Source> {
    let shown: Vec<&Source> = doc
        .config
        .sources
        .list
        .iter()
        .filter(|s| !table.get(&UnitKey::Total, &ProjectKey::Total, &SourceKey::Source(s.code.clone())).is_zero())
        .collect();
    if shown.is_empty() { doc.config.sources.list.iter().take(1).collect() } else { shown }
}

/// The columns of a money group: all sources, this year's (when a
/// carried-over source is shown), each current source, each carried-over source.
pub(crate) fn group_columns(doc: &Doc<'_>, sources: &[&Source]) -> Vec<(SourceKey, String)> {
    let has_carried = sources.iter().any(|s| s.carried_over);
    let mut cols = vec![(SourceKey::Total, "Tổng số".to_string())];
    if has_carried {
        cols.push((SourceKey::CurrentYear, format!("Vốn năm {}", doc.period.year())));
    }
    for s in sources.iter().filter(|s| !s.carried_over) {
        cols.push((SourceKey::Source(s.code.clone()), s.short.clone()));
    }
    for s in sources.iter().filter(|s| s.carried_over) {
        cols.push((SourceKey::Source(s.code.clone()), s.short.clone()));
    }
    cols
}

/// Numbered-column labels of a group whose first column number is `first`:
/// `(1)=(2)+(6)`, `(2)=(3)+(4)+(5)`, `(3)`…
pub(crate) fn group_numbering(sources: &[&Source], first: usize) -> Vec<String> {
    let current = sources.iter().filter(|s| !s.carried_over).count();
    let carried = sources.iter().filter(|s| s.carried_over).count();
    let n = |i: usize| format!("({})", first + i);
    let mut out = Vec::new();
    if carried == 0 {
        let parts: Vec<String> = (1..=current).map(n).collect();
        out.push(format!("{}={}", n(0), parts.join("+")));
        out.extend((1..=current).map(n));
    } else {
        let carried_start = 2 + current;
        let mut total_parts = vec![n(1)];
        total_parts.extend((carried_start..carried_start + carried).map(n));
        out.push(format!("{}={}", n(0), total_parts.join("+")));
        let current_parts: Vec<String> = (2..2 + current).map(n).collect();
        out.push(format!("{}={}", n(1), current_parts.join("+")));
        out.extend((2..carried_start + carried).map(n));
    }
    out
}

/// Width of the project name column.
const NAME_WIDTH: f64 = 46.0;

/// The sheet's columns: a money group (total and each source) for the plan
/// and for the cumulative disbursement, around the month's disbursement.
struct Layout<'a> {
    /// The sources shown.
    sources: Vec<&'a Source>,
    /// The columns of a money group.
    group: Vec<(SourceKey, String)>,
    /// The plan's group, from this column.
    c_alloc: Col,
    /// The month's disbursement.
    c_month: Col,
    /// The cumulative disbursement's group, from this column.
    c_cum: Col,
    /// The rate.
    c_rate: Col,
    /// The remaining plan, the last column.
    c_remaining: Col,
}

impl<'a> Layout<'a> {
    fn new(doc: &'a Doc<'_>, table: &CapitalTable) -> Self {
        let sources = shown_sources(doc, table);
        let group = group_columns(doc, &sources);
        let g = Col::try_from(group.len()).unwrap_or(1);
        let (c_alloc, c_month, c_cum) = (3, 3 + g, 4 + g);
        let c_rate = c_cum + g;
        let c_remaining = c_rate + 1;
        Self { sources, group, c_alloc, c_month, c_cum, c_rate, c_remaining }
    }
}

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let table = &data.figures.capital;
    let layout = Layout::new(doc, table);
    let (top, first_data) = header(ws, doc, &layout)?;
    let row = total_row(ws, doc, table, &layout, first_data)?;
    let row = project_rows(ws, doc, table, &layout, row)?;
    footer(ws, doc, table, &layout, (top, first_data), row)
}

/// The header block and the table's three-row header with its numbering;
/// returns the table's top row and its first data row.
fn header(ws: &mut Worksheet, doc: &Doc<'_>, layout: &Layout<'_>) -> Result<(u32, u32), XlsxError> {
    let Layout { sources, group, c_alloc, c_month, c_cum, c_rate, c_remaining } = layout;
    let (c_alloc, c_month, c_cum, c_rate, c_remaining) = (*c_alloc, *c_month, *c_cum, *c_rate, *c_remaining);
    let g = Col::try_from(group.len()).unwrap_or(1);
    let last = c_remaining;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 01/GNBV",
        "TỔNG HỢP KẾ HOẠCH VỐN VÀ KẾT QUẢ GIẢI NGÂN THEO DỰ ÁN, TIỂU DỰ ÁN\nCHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG",
        &format!("Kỳ báo cáo: {} (giải ngân lũy kế từ 01/01/{} đến hết kỳ)", doc.period.vn_long(), doc.period.year()),
        Some(&doc.unit_line()),
    )?;
    let mut cells = vec![
        HeaderCell::new("STT", 0, 0, 3, 1),
        HeaderCell::new("Mã", 0, 1, 3, 1),
        HeaderCell::new("Dự án, tiểu dự án", 0, 2, 3, 1),
        HeaderCell::new(format!("Kế hoạch vốn năm {}", doc.period.year()), 0, c_alloc, 1, g),
        HeaderCell::new("Giải ngân trong tháng", 0, c_month, 3, 1),
        HeaderCell::new("Lũy kế giải ngân từ đầu năm", 0, c_cum, 1, g),
        HeaderCell::new("Tỷ lệ giải ngân (%)", 0, c_rate, 3, 1),
        HeaderCell::new("Kế hoạch vốn còn lại", 0, c_remaining, 3, 1),
    ];
    for start in [c_alloc, c_cum] {
        cells.push(HeaderCell::new("Tổng số", 1, start, 2, 1));
        cells.push(HeaderCell::new("Trong đó", 1, start + 1, 1, g - 1));
        for (i, (_, label)) in group.iter().enumerate().skip(1) {
            cells.push(HeaderCell::new(label.clone(), 2, start + Col::try_from(i).unwrap_or(0), 1, 1));
        }
    }
    let mut numbering = vec!["A".to_string(), "B".to_string(), "C".to_string()];
    numbering.extend(group_numbering(sources, 1));
    let month_no = group.len() + 1;
    numbering.push(format!("({month_no})"));
    let cum_first = month_no + 1;
    numbering.extend(group_numbering(sources, cum_first));
    numbering.push(format!("({})=({})/({})", cum_first + group.len(), cum_first, 1));
    numbering.push(format!("({})=(1)-({})", cum_first + group.len() + 1, cum_first));
    let first_data = blocks::table_header(ws, doc, top, &cells, 3, &numbering)?;
    Ok((top, first_data))
}

/// A line's figures, from column 3: the plan's group, the month, the
/// cumulative group, the rate and the remaining plan.
fn write_figures(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    table: &CapitalTable,
    layout: &Layout<'_>,
    row: u32,
    project: &ProjectKey,
    bold: bool,
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let Layout { group, c_alloc, c_month, c_cum, c_rate, c_remaining, .. } = layout;
    let (c_alloc, c_month, c_cum, c_rate, c_remaining) = (*c_alloc, *c_month, *c_cum, *c_rate, *c_remaining);
    let f = |k: &SourceKey| table.get(&UnitKey::Total, project, k);
    let (money, pct, dash) =
        if bold { (&s.money_bold, &s.percent_bold, &s.dash_bold) } else { (&s.money, &s.percent, &s.dash) };
    for (i, (key, _)) in group.iter().enumerate() {
        let i = Col::try_from(i).unwrap_or(0);
        ws.write_number_with_format(row, c_alloc + i, doc.money(f(key).allocated), money)?;
        ws.write_number_with_format(row, c_cum + i, doc.money(f(key).disbursed_cumulative), money)?;
    }
    let total: Figures = f(&SourceKey::Total);
    blocks::number_or_dash(ws, row, c_month, total.disbursed_month.map(|m| doc.money(m)), money, dash)?;
    blocks::number_or_dash(ws, row, c_rate, total.rate(), pct, dash)?;
    ws.write_number_with_format(row, c_remaining, doc.money(total.remaining()), money)?;
    Ok(())
}

/// The total line; returns the next row.
fn total_row(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    table: &CapitalTable,
    layout: &Layout<'_>,
    row: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    blocks::text(ws, row, 0, "", &s.text_center_bold)?;
    blocks::text(ws, row, 1, "", &s.text_bold)?;
    blocks::text(ws, row, 2, "TỔNG CỘNG", &s.text_bold)?;
    write_figures(ws, doc, table, layout, row, &ProjectKey::Total, true)?;
    Ok(row + 1)
}

/// Each project of the catalogue, in bold when it has sub-projects, each
/// followed by its sub-projects; returns the next row.
fn project_rows(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    table: &CapitalTable,
    layout: &Layout<'_>,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    for (n, root) in doc.catalogue.roots().enumerate() {
        let children: Vec<_> = doc.catalogue.children(&root.code).collect();
        let bold = !children.is_empty();
        let (tf, nf) = if bold { (&s.text_bold, &s.text_center_bold) } else { (&s.text, &s.text_center) };
        blocks::text(ws, row, 0, &(n + 1).to_string(), nf)?;
        blocks::text(ws, row, 1, root.code.as_str(), nf)?;
        let name = format!("{}: {}", root.heading, root.name);
        blocks::text(ws, row, 2, &name, tf)?;
        blocks::fit_row(ws, row, &[(&name, NAME_WIDTH)])?;
        write_figures(ws, doc, table, layout, row, &ProjectKey::Project(root.code.clone()), bold)?;
        row += 1;
        for (k, child) in children.iter().enumerate() {
            blocks::text(ws, row, 0, &format!("{}.{}", n + 1, k + 1), &s.text_center)?;
            blocks::text(ws, row, 1, child.code.as_str(), &s.text_center)?;
            let name = format!("{}: {}", child.heading, child.name);
            blocks::text(ws, row, 2, &name, &s.text_indent)?;
            blocks::fit_row(ws, row, &[(&name, NAME_WIDTH - 2.0)])?;
            write_figures(ws, doc, table, layout, row, &ProjectKey::Project(child.code.clone()), false)?;
            row += 1;
        }
    }
    Ok(row)
}

/// The rate colours over the project lines, column widths, page setup and
/// the signature block under `row`.
fn footer(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    table: &CapitalTable,
    layout: &Layout<'_>,
    (top, first_data): (u32, u32),
    row: u32,
) -> Result<(), XlsxError> {
    let (c_rate, last) = (layout.c_rate, layout.c_remaining);
    super::rate_colours(ws, doc, first_data + 1, row - 1, c_rate)?;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 7)?;
    ws.set_column_width(2, NAME_WIDTH)?;
    let width = doc.money_width(table.total().allocated.max(table.total().disbursed_cumulative), 10.5);
    for c in 3..=last {
        ws.set_column_width(c, if c == c_rate { 10.5 } else { width })?;
    }
    blocks::page_setup(ws, (top, first_data - 1), (first_data, 3))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
