//! Sheet 02: disbursement by unit, ranked by rate, low rates highlighted,
//! with the change since last month when history exists.

use std::cmp::Ordering;

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportData;
use crate::compute::{CapitalTable, Figures, ProjectKey, SourceKey, UnitKey};
use crate::domain::{Period, UnitCode};
use crate::write::Doc;
use crate::write::blocks::{self, Col, HeaderCell};

/// A unit's line: code, name, figures (when it contributed) and a note.
pub(crate) struct UnitLine {
    pub(crate) code: UnitCode,
    pub(crate) name: String,
    pub(crate) figures: Option<Figures>,
    pub(crate) note: String,
}

/// Every expected or contributing unit, ranked: highest rate first, then
/// units with nothing allocated, then units without usable figures.
pub(crate) fn ranked(doc: &Doc<'_>, data: &ReportData<'_>) -> Vec<UnitLine> {
    let table = &data.figures.capital;
    let mut lines: Vec<UnitLine> = data
        .month
        .statuses
        .iter()
        .filter(|st| st.expected || table.has_unit(&st.unit))
        .map(|st| {
            let figures = table
                .has_unit(&st.unit)
                .then(|| table.get(&UnitKey::Unit(st.unit.clone()), &ProjectKey::Total, &SourceKey::Total));
            let note = if !st.received {
                "Chưa gửi báo cáo".to_string()
            } else if st.rejected {
                "Báo cáo bị từ chối".to_string()
            } else {
                String::new()
            };
            UnitLine { code: st.unit.clone(), name: st.name.clone(), figures, note }
        })
        .collect();
    // Units that only receive a closed unit's figures still appear.
    for code in table.units() {
        if !lines.iter().any(|l| &l.code == code) {
            lines.push(UnitLine {
                code: code.clone(),
                name: super::unit_name(doc, code),
                figures: Some(table.get(&UnitKey::Unit(code.clone()), &ProjectKey::Total, &SourceKey::Total)),
                note: String::new(),
            });
        }
    }
    lines.sort_by(|a, b| {
        let rank = |l: &UnitLine| match l.figures {
            Some(f) if f.rate().is_some() => 0,
            Some(_) => 1,
            None => 2,
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| {
                let (ra, rb) = (a.figures.and_then(|f| f.rate()), b.figures.and_then(|f| f.rate()));
                rb.partial_cmp(&ra).unwrap_or(Ordering::Equal)
            })
            .then_with(|| a.code.cmp(&b.code))
    });
    lines
}

/// Units grouped by their `parent` in units.csv (a district under a
/// province), in registry order of the parents; one group when no unit has a
/// parent other than the agency itself.
fn parent_groups<'a>(doc: &Doc<'_>, lines: &'a [UnitLine]) -> Vec<(Option<UnitCode>, Vec<&'a UnitLine>)> {
    let agency = UnitCode::new(&doc.config.settings.agency.code);
    let parent_of =
        |code: &UnitCode| doc.config.units.get(code).and_then(|u| u.parent.clone()).filter(|p| *p != agency);
    let mut order: Vec<Option<UnitCode>> = Vec::new();
    for line in lines {
        let parent = parent_of(&line.code);
        if !order.contains(&parent) {
            order.push(parent);
        }
    }
    order.sort_by_key(|p| {
        p.as_ref().map_or(usize::MAX, |c| {
            doc.config.units.units.iter().position(|u| u.parent.as_ref() == Some(c)).unwrap_or(usize::MAX)
        })
    });
    order
        .into_iter()
        .map(|parent| {
            let members = lines.iter().filter(|l| parent_of(&l.code) == parent).collect();
            (parent, members)
        })
        .collect()
}

/// The sheet's columns: with history, last month's rate and the change
/// since then sit before the note.
struct Layout<'a> {
    /// Last month's figures, when history exists.
    last_month: Option<&'a (Period, CapitalTable)>,
    /// The note column, the last.
    last: Col,
}

impl Layout<'_> {
    fn history(&self) -> bool {
        self.last_month.is_some()
    }
}

pub(super) fn write(ws: &mut Worksheet, doc: &Doc<'_>, data: &ReportData<'_>) -> Result<(), XlsxError> {
    let last_month = data.figures.last_month.as_ref();
    let layout = Layout { last_month, last: if last_month.is_some() { 10 } else { 8 } };
    let (top, first_data) = header(ws, doc, &layout)?;
    let row = total_row(ws, doc, data, &layout, first_data)?;
    let row = unit_rows(ws, doc, data, &layout, row)?;
    footer(ws, doc, data, &layout, (top, first_data), row)
}

/// The header block and the table's header; returns the table's top row and
/// its first data row.
fn header(ws: &mut Worksheet, doc: &Doc<'_>, layout: &Layout<'_>) -> Result<(u32, u32), XlsxError> {
    let last = layout.last;
    let top = blocks::header_block(
        ws,
        doc,
        last,
        "Biểu số 02/GNBV",
        "KẾT QUẢ GIẢI NGÂN THEO ĐƠN VỊ THỰC HIỆN\n(xếp theo tỷ lệ giải ngân từ cao đến thấp)",
        &format!("Kỳ báo cáo: {}", doc.period.vn_long()),
        Some(&doc.unit_line()),
    )?;
    let mut cells = vec![
        HeaderCell::new("Xếp hạng", 0, 0, 1, 1),
        HeaderCell::new("Mã đơn vị", 0, 1, 1, 1),
        HeaderCell::new("Đơn vị", 0, 2, 1, 1),
        HeaderCell::new(format!("Kế hoạch vốn năm {}", doc.period.year()), 0, 3, 1, 1),
        HeaderCell::new("Giải ngân trong tháng", 0, 4, 1, 1),
        HeaderCell::new("Lũy kế giải ngân từ đầu năm", 0, 5, 1, 1),
        HeaderCell::new("Tỷ lệ giải ngân (%)", 0, 6, 1, 1),
        HeaderCell::new("Kế hoạch vốn còn lại", 0, 7, 1, 1),
    ];
    let mut numbering: Vec<String> =
        ["A", "B", "C", "(1)", "(2)", "(3)", "(4)=(3)/(1)", "(5)=(1)-(3)"].iter().map(|x| (*x).to_string()).collect();
    if let Some((p, _)) = layout.last_month {
        cells.push(HeaderCell::new(format!("Tỷ lệ giải ngân đến {}", p.vn()), 0, 8, 1, 1));
        cells.push(HeaderCell::new("Tăng so với tháng trước (điểm %)", 0, 9, 1, 1));
        numbering.push("(6)".into());
        numbering.push("(7)=(4)-(6)".into());
    }
    cells.push(HeaderCell::new("Ghi chú", 0, last, 1, 1));
    numbering.push("D".into());
    let first_data = blocks::table_header_tall(ws, doc, top, &cells, 1, &numbering, 45.0)?;
    Ok((top, first_data))
}

/// A line's figures, from column 3: plan, month, cumulative, rate and
/// remaining; with history, last month's rate and the change in points.
fn write_figures(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    layout: &Layout<'_>,
    row: u32,
    unit: &UnitKey,
    f: Option<Figures>,
    bold: bool,
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let previous_rate = |unit: &UnitKey| -> Option<f64> {
        layout.last_month.and_then(|(_, t)| t.get(unit, &ProjectKey::Total, &SourceKey::Total).rate())
    };
    let (money, pct, dash, pts) = if bold {
        (&s.money_bold, &s.percent_bold, &s.dash_bold, &s.points_bold)
    } else {
        (&s.money, &s.percent, &s.dash, &s.points)
    };
    blocks::number_or_dash(ws, row, 3, f.map(|f| doc.money(f.allocated)), money, dash)?;
    blocks::number_or_dash(ws, row, 4, f.and_then(|f| f.disbursed_month).map(|m| doc.money(m)), money, dash)?;
    blocks::number_or_dash(ws, row, 5, f.map(|f| doc.money(f.disbursed_cumulative)), money, dash)?;
    let rate = f.and_then(|f| f.rate());
    blocks::number_or_dash(ws, row, 6, rate, pct, dash)?;
    blocks::number_or_dash(ws, row, 7, f.map(|f| doc.money(f.remaining())), money, dash)?;
    if layout.history() {
        let before = previous_rate(unit);
        blocks::number_or_dash(ws, row, 8, before, pct, dash)?;
        let change = rate.zip(before).map(|(a, b)| (a - b) * 100.0);
        blocks::number_or_dash(ws, row, 9, change, pts, dash)?;
    }
    Ok(())
}

/// The total line, with the count of units without figures; returns the
/// next row.
fn total_row(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    layout: &Layout<'_>,
    row: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    blocks::text(ws, row, 0, "", &s.text_center_bold)?;
    blocks::text(ws, row, 1, "", &s.text_bold)?;
    blocks::text(ws, row, 2, "TỔNG CỘNG", &s.text_bold)?;
    write_figures(ws, doc, layout, row, &UnitKey::Total, Some(data.figures.capital.total()), true)?;
    let missing = data.month.statuses.iter().filter(|st| st.expected && (!st.received || st.rejected)).count();
    let total_note = if missing > 0 { format!("{missing} đơn vị chưa có số liệu") } else { String::new() };
    blocks::text(ws, row, layout.last, &total_note, &s.text_bold)?;
    Ok(row + 1)
}

/// The ranked units, under a subtotal per parent when there is more than one
/// group; returns the next row.
fn unit_rows(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    layout: &Layout<'_>,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let s = &doc.styles;
    let last = layout.last;
    let lines = ranked(doc, data);
    let groups = parent_groups(doc, &lines);
    let grouped = groups.len() > 1;
    for (parent, members) in &groups {
        if grouped {
            subtotal_row(ws, doc, layout, row, parent.as_ref(), members)?;
            row += 1;
        }
        for (i, line) in members.iter().enumerate() {
            blocks::text(ws, row, 0, &(i + 1).to_string(), &s.text_center)?;
            blocks::text(ws, row, 1, line.code.as_str(), &s.text)?;
            blocks::text(ws, row, 2, &line.name, &s.text)?;
            write_figures(ws, doc, layout, row, &UnitKey::Unit(line.code.clone()), line.figures, false)?;
            blocks::text(ws, row, last, &line.note, &s.text)?;
            row += 1;
        }
    }
    Ok(row)
}

/// A subtotal per parent (district) from the sums of its units, at `row`.
fn subtotal_row(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    layout: &Layout<'_>,
    row: u32,
    parent: Option<&UnitCode>,
    members: &[&UnitLine],
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let mut sum = Figures::ZERO;
    for line in members.iter().filter_map(|l| l.figures) {
        sum.add(&line);
    }
    let name = parent.map_or_else(|| "Đơn vị trực thuộc".to_string(), |p| super::unit_name(doc, p));
    blocks::text(ws, row, 0, "", &s.text_center_bold)?;
    blocks::text(ws, row, 1, parent.map_or("", |p| p.as_str()), &s.text_bold)?;
    blocks::text(ws, row, 2, &name, &s.text_bold)?;
    write_figures(ws, doc, layout, row, &UnitKey::Total, Some(sum), true)?;
    // Last month's rate of the group is not kept per group: no change shown.
    if layout.history() {
        blocks::text(ws, row, 8, "-", &s.dash_bold)?;
        blocks::text(ws, row, 9, "-", &s.dash_bold)?;
    }
    blocks::text(ws, row, layout.last, "", &s.text_bold)?;
    Ok(())
}

/// The rate colours over the unit lines, the note on them, column widths,
/// page setup and the signature block.
fn footer(
    ws: &mut Worksheet,
    doc: &Doc<'_>,
    data: &ReportData<'_>,
    layout: &Layout<'_>,
    (top, first_data): (u32, u32),
    mut row: u32,
) -> Result<(), XlsxError> {
    let s = &doc.styles;
    let last = layout.last;
    super::rate_colours(ws, doc, first_data + 1, row - 1, 6)?;
    let progress = super::expected_progress(doc);
    let settings = &doc.config.settings.report;
    blocks::merge(
        ws,
        row,
        0,
        row,
        last,
        &format!(
            "Ghi chú: tô đỏ tỷ lệ giải ngân dưới {}%, tô vàng dưới {}% (tiến độ kỳ vọng đến hết tháng {}: {}% kế hoạch năm).",
            blocks::vn(settings.red_below * progress * 100.0, 1),
            blocks::vn(settings.amber_below * progress * 100.0, 1),
            doc.period.month(),
            blocks::vn(progress * 100.0, 1)
        ),
        &s.note,
    )?;
    row += 1;
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 36)?;
    let total = data.figures.capital.total();
    let width = doc.money_width(total.allocated.max(total.disbursed_cumulative), 13.0);
    for c in 3..last {
        ws.set_column_width(c, width)?;
    }
    ws.set_column_width(last, 24)?;
    blocks::page_setup(ws, (top, first_data - 1), (first_data, 3))?;
    blocks::signature_block(ws, doc, row, last)?;
    Ok(())
}
