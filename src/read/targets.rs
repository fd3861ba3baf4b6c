//! The indicator sheet ("Chỉ tiêu"): yearly targets and results (SPEC §4).
//!
//! Columns `Mã`, `Chỉ tiêu`, `Đơn vị tính`, `Kế hoạch năm`, `Thực hiện trong
//! tháng`, `Lũy kế từ đầu năm`, found by their words through the header
//! model every table shares ([`super::header`]): one to four header rows,
//! ratio and comparison columns never read, a specific label beating a
//! generic one, two competing columns reported. Rates are stored as
//! fractions: `12,83%`, `12.83` and `0.1283` on a rate row are all 12.83%; on
//! a percentage-point row (`điểm %`) a plain number is in points (`0,15` is
//! 0.15 points). A blank target means no target, not zero.

use std::collections::BTreeMap;

use super::grid::{Grid, Value};
use super::header::{self, Figure, Strength};
use super::{IndicatorFigure, UnitReport};
use crate::config::Config;
use crate::config::indicators::{Kind, Measure};
use crate::domain::{CellRef, IndicatorCode, IndicatorField};
use crate::finding::{Finding, Rule};

const HEADER_SEARCH_ROWS: u32 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Code,
    Name,
    Unit,
    Value(IndicatorField, Strength),
    /// A ratio, comparison, estimate…: read by nobody.
    NotAFigure,
}

fn field(figure: Figure) -> IndicatorField {
    match figure {
        Figure::Planned => IndicatorField::Target,
        Figure::Month => IndicatorField::Month,
        Figure::Cumulative => IndicatorField::Achieved,
    }
}

fn is_code_label(label: &str) -> bool {
    matches!(label, "ma" | "ma so" | "ma chi tieu" | "code")
}

fn is_unit_label(label: &str) -> bool {
    label.starts_with("don vi tinh") || label == "dvt" || label == "don vi"
}

fn is_name_label(label: &str) -> bool {
    matches!(label, "chi tieu" | "ten chi tieu" | "noi dung" | "noi dung chi tieu" | "chi tieu chu yeu")
        || label.starts_with("ten chi tieu")
}

/// A column's meaning from its header cells, top to bottom (one header model
/// with the capital sheet: see [`super::header`]).
fn column_of(parts: &[String]) -> Option<Column> {
    if parts.iter().any(|p| is_code_label(p)) {
        return Some(Column::Code);
    }
    if parts.iter().any(|p| is_unit_label(p)) {
        return Some(Column::Unit);
    }
    if header::not_a_figure(parts) {
        return Some(Column::NotAFigure);
    }
    let label = parts.join(" ");
    if let Some((figure, strength)) = header::figure_of(&label) {
        return Some(Column::Value(field(figure), strength));
    }
    parts.iter().any(|p| is_name_label(p)).then_some(Column::Name)
}

/// Whether a row's own short cells name the rows (code or name) and a figure.
fn row_labels(grid: &Grid, row: u32) -> (bool, bool) {
    let (mut rows, mut values) = (false, false);
    for (col, _) in grid.row_cells(row) {
        let f = grid.folded(row, col);
        if f.is_empty() || f.len() > 60 {
            continue;
        }
        match column_of(&[f.to_string()]) {
            Some(Column::Code | Column::Name) => rows = true,
            Some(Column::Value(..)) => values = true,
            _ => {}
        }
    }
    (rows, values)
}

/// The header rows: the first row naming both the rows and a figure, with the
/// header rows under it; else the first band of header rows naming both
/// between them (`Mã | Chỉ tiêu | Năm 2024` over `Kế hoạch năm | Kết quả
/// thực hiện` over `Trong tháng | Lũy kế`).
fn find_header(grid: &Grid, config: &Config) -> Option<Vec<u32>> {
    let end = grid.end_row().min(grid.first_row() + HEADER_SEARCH_ROWS);
    let continues = |r| is_header_continuation(grid, r, config);
    if let Some(top) = (grid.first_row()..end).find(|&row| row_labels(grid, row) == (true, true)) {
        return Some(header::header_rows(top, continues));
    }
    (grid.first_row()..end).find_map(|row| {
        if row_labels(grid, row) == (false, false) {
            return None;
        }
        let rows = header::header_rows(row, continues);
        let (names, values) = rows.iter().fold((false, false), |(n, v), &r| {
            let (a, b) = row_labels(grid, r);
            (n || a, v || b)
        });
        (names && values && rows.len() > 1).then_some(rows)
    })
}

/// True when a row under the header top is more header: short text cells
/// made of header words (`Trong tháng`, `Lũy kế`, `Tỷ lệ (%)`), none of
/// which names an indicator.
fn is_header_continuation(grid: &Grid, row: u32, config: &Config) -> bool {
    if grid.is_numbering_row(row) {
        return false;
    }
    let mut any = false;
    for (col, value) in grid.row_cells(row) {
        let Value::Text(text) = value else { return false };
        let f = grid.folded(row, col);
        if f.len() > 60
            || config.indicators.find_by_code(text).is_some()
            || config.indicators.find_by_name(text).is_some()
        {
            return false;
        }
        any |= header::is_header_words(f);
    }
    any
}

/// The indicator table's header: its rows and each column's meaning.
struct Header {
    rows: Vec<u32>,
    columns: BTreeMap<u32, Column>,
    shown: BTreeMap<u32, String>,
}

fn read_header(grid: &Grid, config: &Config) -> Option<Header> {
    let rows = find_header(grid, config)?;
    let origins = header::Origins::new(grid, &rows);
    let mut columns = BTreeMap::new();
    let mut shown = BTreeMap::new();
    for col in grid.first_col()..grid.end_col() {
        let located = header::column_parts(grid, &origins, col);
        let parts: Vec<String> = located.iter().map(|(p, _)| p.clone()).collect();
        if let Some(k) = column_of(&parts) {
            // The first name column names the rows; a second is ignored.
            if k == Column::Name && columns.values().any(|v| *v == Column::Name) {
                continue;
            }
            columns.insert(col, k);
            shown.insert(col, header::shown(grid, &located));
        }
    }
    Some(Header { rows, columns, shown })
}

/// One column per figure: a specific label beats a generic one; two of the
/// same strength are a finding naming both cells (an error when their values
/// differ, since gnbv cannot know which the unit meant).
fn settle_conflicts(grid: &Grid, header: &mut Header, first_data: u32, report: &mut UnitReport) {
    let top = header.rows[0];
    for f in IndicatorField::ALL {
        let of = |s: Strength| -> Vec<u32> {
            header.columns.iter().filter(|(_, k)| **k == Column::Value(f, s)).map(|(c, _)| *c).collect()
        };
        let (specific, generic) = (of(Strength::Specific), of(Strength::Generic));
        let (keep, drop) = if specific.is_empty() { (generic, Vec::new()) } else { (specific, generic) };
        for c in drop {
            header.columns.insert(c, Column::NotAFigure);
        }
        let Some((&first, others)) = keep.split_first() else { continue };
        for &other in others {
            let same = (first_data..grid.end_row()).all(|r| grid.value(r, first) == grid.value(r, other));
            let mut finding = Finding::new(
                Rule::ColumnConflict,
                format!(
                    "Hai cột cùng có thể là \"{}\": cột {} (\"{}\") và cột {} (\"{}\"). {}",
                    f.label(),
                    CellRef::column_letters(first),
                    header.shown[&first],
                    CellRef::column_letters(other),
                    header.shown[&other],
                    if same {
                        "Hai cột ghi số giống nhau; dùng cột thứ nhất. Đề nghị xóa cột thừa."
                    } else {
                        "Hai cột ghi số khác nhau, không biết cột nào đúng nên số liệu bảng chỉ tiêu không được tổng hợp. Đề nghị để một cột và ghi rõ tên cột."
                    },
                ),
            )
            .at(&grid.name, CellRef::new(top, other));
            if same {
                finding.severity = crate::finding::Severity::Info;
            }
            report.add(finding);
            header.columns.insert(other, Column::NotAFigure);
        }
    }
}

/// Reads the indicator sheet into `report`.
pub(crate) fn read(grid: &Grid, config: &Config, report: &mut UnitReport) {
    report.indicator_sheet = Some(grid.name.clone());
    let Some(mut header) = read_header(grid, config) else {
        report.add(
            Finding::new(
                Rule::ColumnMissing,
                "Không tìm thấy dòng tiêu đề của bảng chỉ tiêu (cần các cột \"Chỉ tiêu\" hoặc \"Mã\", \"Kế hoạch năm\", \"Lũy kế từ đầu năm\"). Đề nghị dùng đúng mẫu biểu.",
            )
            .in_sheet(&grid.name),
        );
        return;
    };
    let header_row = header.rows[0];
    let mut first_data = header.rows.last().copied().unwrap_or(header_row) + 1;
    if grid.is_numbering_row(first_data) {
        first_data += 1;
    }
    settle_conflicts(grid, &mut header, first_data, report);
    let columns = &header.columns;
    if !columns.values().any(|k| matches!(k, Column::Value(IndicatorField::Achieved, _))) {
        report.add(
            Finding::new(
                Rule::ColumnMissing,
                "Bảng chỉ tiêu không có cột \"Lũy kế từ đầu năm\" (kết quả thực hiện). Đề nghị dùng đúng mẫu biểu.",
            )
            .at(&grid.name, CellRef::new(header_row, grid.first_col())),
        );
    }
    for (col, k) in columns {
        let role = match k {
            Column::Code => "mã".to_string(),
            Column::Name => "tên chỉ tiêu".to_string(),
            Column::Unit => "đơn vị tính".to_string(),
            Column::Value(f, _) => f.label().to_string(),
            Column::NotAFigure => "không dùng (tỷ lệ, so sánh, ước tính hoặc cột trùng)".to_string(),
        };
        report.layout.push(format!(
            "{}!{} = {} ← \"{}\"",
            grid.name,
            CellRef::column_letters(*col),
            role,
            header.shown.get(col).map_or("", String::as_str)
        ));
    }
    let col_of = |k: Column| columns.iter().find(|(_, v)| **v == k).map(|(c, _)| *c);
    let (code_col, name_col) = (col_of(Column::Code), col_of(Column::Name));
    let value_cols: Vec<(u32, IndicatorField)> = columns
        .iter()
        .filter_map(|(c, k)| match k {
            Column::Value(f, _) => Some((*c, *f)),
            _ => None,
        })
        .collect();
    let achieved_col = value_cols.iter().find(|(_, f)| *f == IndicatorField::Achieved).map(|(c, _)| *c);

    let mut seen: BTreeMap<IndicatorCode, u32> = BTreeMap::new();
    for row in first_data..grid.end_row() {
        if grid.is_footer_row(row) {
            break;
        }
        let code_text = code_col.map(|c| grid.value(row, c).display()).unwrap_or_default();
        let name_text = name_col.and_then(|c| grid.text(row, c)).unwrap_or_default().to_string();
        if code_text.is_empty() && name_text.is_empty() {
            continue;
        }
        let has_values = value_cols.iter().any(|(c, _)| !grid.value(row, *c).is_empty());
        let by_code = (!code_text.is_empty()).then(|| config.indicators.find_by_code(&code_text)).flatten();
        let by_name = config.indicators.find_by_name(&name_text);
        if let (Some(a), Some(b)) = (by_code, by_name)
            && a.code != b.code
        {
            let cell = CellRef::new(row, code_col.unwrap_or(grid.first_col()));
            super::code_name_mismatch(
                report,
                grid,
                cell,
                (a.code.as_str(), &a.name),
                &name_text,
                &format!("chỉ tiêu {}", b.code),
            );
        }
        let Some(indicator) = by_code.or(by_name) else {
            if has_values {
                let shown = if name_text.is_empty() { &code_text } else { &name_text };
                report.add(
                    Finding::new(
                        Rule::UnknownIndicator,
                        format!(
                            "Chỉ tiêu \"{}\" không có trong danh mục chỉ tiêu; số liệu dòng này không được tổng hợp. Đề nghị ghi đúng mã chỉ tiêu (ví dụ HN_THOAT).",
                            crate::text::defuse_formula(shown)
                        ),
                    )
                    .at(&grid.name, CellRef::new(row, code_col.or(name_col).unwrap_or(grid.first_col()))),
                );
            }
            continue;
        };
        if let Some(first) = seen.insert(indicator.code.clone(), row) {
            report.add(
                Finding::new(
                    Rule::DuplicateRow,
                    format!(
                        "Chỉ tiêu {} có hai dòng (dòng {} và dòng {}); chỉ dùng dòng đầu. Đề nghị xóa dòng thừa.",
                        indicator.code,
                        first + 1,
                        row + 1
                    ),
                )
                .at(&grid.name, CellRef::new(row, grid.first_col())),
            );
            seen.insert(indicator.code.clone(), first);
            continue;
        }
        let before = report.indicators.len();
        for (col, field) in &value_cols {
            let cell = CellRef::new(row, *col);
            let Some(value) = indicator_cell(grid, cell, indicator.measure, report) else { continue };
            report.indicators.push(IndicatorFigure { code: indicator.code.clone(), field: *field, value, cell });
        }
        // A flow with a target and a blank (or "-") result has achieved
        // nothing yet: zero, so the row is "Chưa đạt", not missing.
        let read = &report.indicators[before..];
        let has_target = read.iter().any(|f| f.field == IndicatorField::Target);
        let has_achieved = read.iter().any(|f| f.field == IndicatorField::Achieved);
        if let Some(col) = achieved_col
            && has_target
            && !has_achieved
            && indicator.kind == Kind::Flow
            && !indicator.is_derived()
            && grid.value(row, col).is_empty_or_dash()
        {
            report.indicators.push(IndicatorFigure {
                code: indicator.code.clone(),
                field: IndicatorField::Achieved,
                value: 0.0,
                cell: CellRef::new(row, col),
            });
        }
    }
}

/// Reads an indicator value; blank gives `None` (no target, or not reported).
fn indicator_cell(grid: &Grid, cell: CellRef, measure: Measure, report: &mut UnitReport) -> Option<f64> {
    let (decimal, had_percent_sign) = super::number_cell(grid, cell, super::CellKind::Indicator, report)?;
    let value = stored_value(measure, decimal.to_f64(), had_percent_sign);
    value.is_finite().then_some(value)
}

/// An indicator value as stored (rates and points as fractions) from what a
/// unit wrote. `percent_sign` is true when the text carried `%` (`parse_text`
/// has then already divided by 100).
///
/// A rate is a fraction (`0.1283`) or, above 1, a percent (`12.83`); a
/// percentage-point change is written in points (`0,15` is 0.15 points).
pub(crate) fn stored_value(measure: Measure, value: f64, percent_sign: bool) -> f64 {
    match measure {
        // Written as a percent without its sign: 12.83 for a rate, 0,15 for points.
        Measure::Rate if !percent_sign && value.abs() > 1.0 => value / 100.0,
        Measure::Points if !percent_sign => value / 100.0,
        // A count, a fraction, or a text that carried `%` (already divided).
        Measure::Count | Measure::Rate | Measure::Points => value,
    }
}
