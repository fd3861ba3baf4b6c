//! The indicator sheet ("Chỉ tiêu"): yearly targets and results (SPEC §4).
//!
//! Columns `Mã`, `Chỉ tiêu`, `Đơn vị tính`, `Kế hoạch năm`, `Thực hiện trong
//! tháng`, `Lũy kế từ đầu năm`, found by their words. Rates are stored as
//! fractions: `12,83%`, `12.83` and `0.1283` on a rate row are all 12.83%; on
//! a percentage-point row (`điểm %`) a plain number is in points (`0,15` is
//! 0.15 points). A blank target means no target, not zero.

use std::collections::BTreeMap;

use super::grid::Grid;
use super::{IndicatorFigure, UnitReport};
use crate::check::{Finding, Rule};
use crate::config::Config;
use crate::config::indicators::Measure;
use crate::domain::{CellRef, IndicatorCode, IndicatorField};
use crate::text::has_words;

const HEADER_SEARCH_ROWS: u32 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Code,
    Name,
    Unit,
    Value(IndicatorField),
}

fn field_of(label: &str) -> Option<IndicatorField> {
    if ["luy ke", "tu dau nam", "thuc hien luy ke", "uoc thuc hien ca nam", "den thoi diem bao cao"]
        .iter()
        .any(|w| has_words(label, w))
    {
        Some(IndicatorField::Achieved)
    } else if ["trong thang", "thang nay", "trong ky", "thuc hien thang"].iter().any(|w| has_words(label, w)) {
        Some(IndicatorField::Month)
    } else if ["ke hoach", "chi tieu giao", "chi tieu nam", "muc tieu", "kh nam", "duoc giao", "chi tieu ke hoach"]
        .iter()
        .any(|w| has_words(label, w))
    {
        Some(IndicatorField::Target)
    } else {
        None
    }
}

fn column_of(label: &str) -> Option<Column> {
    if matches!(label, "ma" | "ma so" | "ma chi tieu" | "code") {
        Some(Column::Code)
    } else if label.starts_with("don vi tinh") || label == "dvt" || label == "don vi" {
        Some(Column::Unit)
    } else if let Some(f) = field_of(label) {
        Some(Column::Value(f))
    } else if has_words(label, "thuc hien") || has_words(label, "ket qua") {
        Some(Column::Value(IndicatorField::Achieved))
    } else if matches!(label, "chi tieu" | "ten chi tieu" | "noi dung" | "noi dung chi tieu" | "chi tieu chu yeu")
        || label.starts_with("ten chi tieu")
    {
        Some(Column::Name)
    } else {
        None
    }
}

/// Reads the indicator sheet into `report`.
pub(crate) fn read(grid: &Grid, config: &Config, report: &mut UnitReport) {
    report.indicator_sheet = Some(grid.name.clone());
    let end = grid.end_row().min(grid.first_row() + HEADER_SEARCH_ROWS);
    let mut found: Option<(u32, BTreeMap<u32, Column>)> = None;
    for row in grid.first_row()..end {
        let mut columns = BTreeMap::new();
        for (col, _) in grid.row_cells(row) {
            let f = grid.folded(row, col);
            if f.len() > 60 {
                continue;
            }
            if let Some(k) = column_of(f) {
                // The first column of each kind wins (a second "Thực hiện" is a comparison).
                if !columns.values().any(|v| *v == k) {
                    columns.insert(col, k);
                }
            }
        }
        let has_rows = columns.values().any(|k| matches!(k, Column::Code | Column::Name));
        let has_values = columns.values().any(|k| matches!(k, Column::Value(_)));
        if has_rows && has_values {
            found = Some((row, columns));
            break;
        }
    }
    let Some((header_row, mut columns)) = found else {
        report.add(
            Finding::new(
                Rule::ColumnMissing,
                "Không tìm thấy dòng tiêu đề của bảng chỉ tiêu (cần các cột \"Chỉ tiêu\" hoặc \"Mã\", \"Kế hoạch năm\", \"Lũy kế từ đầu năm\"). Đề nghị dùng đúng mẫu biểu.",
            )
            .in_sheet(&grid.name),
        );
        return;
    };
    // A two-row header ("Kết quả thực hiện" over "Trong tháng" | "Lũy kế") refines columns.
    let mut first_data = header_row + 1;
    let mut refined = false;
    for (col, _) in grid.row_cells(header_row + 1).collect::<Vec<_>>() {
        let f = grid.folded(header_row + 1, col);
        if let Some(field) = field_of(f) {
            columns.insert(col, Column::Value(field));
            refined = true;
        }
    }
    if refined {
        first_data += 1;
    }
    if grid.is_numbering_row(first_data) {
        first_data += 1;
    }
    if !columns.values().any(|k| *k == Column::Value(IndicatorField::Achieved)) {
        report.add(
            Finding::new(
                Rule::ColumnMissing,
                "Bảng chỉ tiêu không có cột \"Lũy kế từ đầu năm\" (kết quả thực hiện). Đề nghị dùng đúng mẫu biểu.",
            )
            .at(&grid.name, CellRef::new(header_row, grid.first_col())),
        );
    }
    for (col, k) in &columns {
        let _ = k;
        report.layout.push(format!(
            "{}!{} = {}",
            grid.name,
            CellRef::column_letters(*col),
            grid.folded(header_row, *col)
        ));
    }
    let col_of = |k: Column| columns.iter().find(|(_, v)| **v == k).map(|(c, _)| *c);
    let (code_col, name_col) = (col_of(Column::Code), col_of(Column::Name));
    let value_cols: Vec<(u32, IndicatorField)> = columns
        .iter()
        .filter_map(|(c, k)| match k {
            Column::Value(f) => Some((*c, *f)),
            _ => None,
        })
        .collect();

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
        let indicator = (!code_text.is_empty())
            .then(|| config.indicators.find_by_code(&code_text))
            .flatten()
            .or_else(|| config.indicators.find_by_name(&name_text));
        let Some(indicator) = indicator else {
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
        for (col, field) in &value_cols {
            let cell = CellRef::new(row, *col);
            let Some(value) = indicator_cell(grid, cell, indicator.measure, report) else { continue };
            report.indicators.push(IndicatorFigure { code: indicator.code.clone(), field: *field, value, cell });
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
