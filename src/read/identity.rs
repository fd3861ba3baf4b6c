//! The identity block: `Mã đơn vị`, `Kỳ báo cáo`, `Ngày báo cáo`,
//! `Đơn vị tính`, `Tên đơn vị` (SPEC §4).
//!
//! Each label is found by its words near the top of a sheet; its value is
//! after a colon in the same cell or in the next filled cell to the right.

use super::grid::{Grid, Value};
use super::{Identity, UnitReport};
use crate::config::Config;
use crate::domain::{CellRef, MoneyUnit, Period, parse_date_text};
use crate::finding::{Finding, Rule};
use crate::text::has_words;

/// Rows from the top searched for the identity block.
pub const TOP_ROWS: u32 = 40;

/// Which label a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    UnitCode,
    UnitName,
    Period,
    Submitted,
    MoneyUnit,
}

fn label_of(folded: &str) -> Option<Label> {
    if folded.starts_with("ma don vi") || folded.starts_with("ma dv") || has_words(folded, "ma don vi") {
        Some(Label::UnitCode)
    } else if folded.starts_with("ky bao cao") || folded.starts_with("thoi ky bao cao") || folded.starts_with("ky bc") {
        Some(Label::Period)
    } else if folded.starts_with("ngay bao cao") || folded.starts_with("ngay gui") || folded.starts_with("ngay lap") {
        Some(Label::Submitted)
    } else if folded.starts_with("don vi tinh") || folded.starts_with("dvt") {
        Some(Label::MoneyUnit)
    } else if folded.starts_with("ten don vi") || folded.starts_with("don vi bao cao") {
        Some(Label::UnitName)
    } else {
        None
    }
}

/// The value of a label cell: after a colon in it, else the next filled cell
/// to its right (up to five columns away).
fn value_of(grid: &Grid, at: CellRef) -> Option<(Value, CellRef)> {
    if let Some(text) = grid.text(at.row, at.col)
        && let Some((_, after)) = text.split_once(':')
    {
        let after = after.trim();
        if !after.is_empty() {
            return Some((Value::Text(after.to_string()), at));
        }
    }
    (at.col + 1..=at.col + 5).find_map(|c| {
        let v = grid.value(at.row, c);
        (!v.is_empty()).then(|| (v.clone(), CellRef::new(at.row, c)))
    })
}

/// Reads the identity block from the given sheets, first match wins for each
/// label. The money unit stated on `money_sheet` (the capital sheet) is
/// preferred over one elsewhere.
pub(crate) fn read(grids: &[&Grid], money_sheet: Option<&Grid>, report: &mut UnitReport, config: &Config) {
    let mut id = Identity::default();
    let mut money_found: Option<(MoneyUnit, String)> = None;
    let mut period_cell: Option<(String, CellRef, String)> = None;
    let ordered: Vec<&Grid> = money_sheet.into_iter().chain(grids.iter().copied()).collect();
    for grid in &ordered {
        let end = grid.end_row().min(grid.first_row() + TOP_ROWS);
        for row in grid.first_row()..end {
            for col in grid.first_col()..grid.end_col() {
                let Some(label) = label_of(grid.folded(row, col)) else { continue };
                let Some((value, cell)) = value_of(grid, CellRef::new(row, col)) else { continue };
                match label {
                    Label::UnitCode if id.unit_written.is_none() => {
                        let written = value.display();
                        if !written.is_empty() {
                            id.unit_written = Some((written, grid.name.clone(), cell));
                        }
                    }
                    Label::UnitName if id.unit_name.is_none() => id.unit_name = Some(value.display()),
                    Label::Period if id.period.is_none() => {
                        id.period = match &value {
                            Value::Date(d) => Some(Period::of_date(*d)),
                            Value::Text(t) => Period::parse(t),
                            _ => None,
                        };
                        period_cell = Some((grid.name.clone(), cell, value.display()));
                    }
                    Label::Submitted if id.submitted.is_none() => {
                        id.submitted = match &value {
                            Value::Date(d) => Some(*d),
                            Value::Text(t) => parse_date_text(t),
                            _ => None,
                        };
                        id.submitted_at = Some((grid.name.clone(), cell));
                    }
                    Label::MoneyUnit if money_found.is_none() => {
                        if let Some(unit) = MoneyUnit::parse(&value.display()) {
                            money_found = Some((unit, grid.name.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if id.period.is_none()
        && let Some(p) = period_from_title(&ordered)
    {
        id.period = Some(p.0);
        report.add(
            Finding::new(
                Rule::PeriodMissing,
                format!(
                    "Không có ô \"Kỳ báo cáo\"; đã lấy kỳ {} từ tiêu đề \"{}\". Đề nghị ghi rõ \"Kỳ báo cáo: {}\".",
                    p.0.vn(),
                    p.1,
                    p.0.vn()
                ),
            )
            .at(&p.2, p.3),
        );
        if let Some(last) = report.findings.last_mut() {
            last.severity = crate::finding::Severity::Info;
        }
    }
    id.money_unit = money_found.map(|(u, _)| u);

    // Resolve the unit against the registry.
    match &id.unit_written {
        None => report.add(
            Finding::new(
                Rule::UnitMissing,
                "Không tìm thấy ô \"Mã đơn vị\" ở đầu biểu. Đề nghị dùng đúng mẫu biểu và ghi mã đơn vị.",
            )
            .in_sheet(grids.first().map_or("", |g| g.name.as_str())),
        ),
        Some((written, sheet, cell)) => match config.units.find(written) {
            Some(unit) => {
                id.unit = Some(unit.code.clone());
                if let Some(name) = &id.unit_name
                    && crate::text::fold(name) != crate::text::fold(&unit.name)
                {
                    report.add(
                        Finding::new(
                            Rule::UnitNameDiffers,
                            format!("Tên đơn vị ghi \"{name}\", danh sách đăng ký là \"{}\".", unit.name),
                        )
                        .for_unit(&unit.code),
                    );
                }
            }
            None => report.add(
                Finding::new(
                    Rule::UnknownUnit,
                    format!(
                        "Mã đơn vị \"{}\" không có trong danh sách đơn vị. Đề nghị ghi đúng mã đơn vị được cấp.",
                        crate::text::defuse_formula(written)
                    ),
                )
                .at(sheet, *cell),
            ),
        },
    }
    if id.period.is_none() {
        let finding = match &period_cell {
            Some((sheet, cell, written)) => Finding::new(
                Rule::PeriodMissing,
                format!("Kỳ báo cáo \"{written}\" không đọc được. Đề nghị ghi theo dạng 06/2024."),
            )
            .at(sheet, *cell),
            None => Finding::new(
                Rule::PeriodMissing,
                "Không tìm thấy ô \"Kỳ báo cáo\". Đề nghị ghi theo dạng \"Kỳ báo cáo: 06/2024\".",
            )
            .in_sheet(grids.first().map_or("", |g| g.name.as_str())),
        };
        report.add(finding);
    }
    report.identity = id;
}

/// A period in a title row such as "BÁO CÁO THÁNG 6 NĂM 2024".
fn period_from_title(grids: &[&Grid]) -> Option<(Period, String, String, CellRef)> {
    for grid in grids {
        let end = grid.end_row().min(grid.first_row() + TOP_ROWS);
        for row in grid.first_row()..end {
            for col in grid.first_col()..grid.end_col() {
                let f = grid.folded(row, col);
                if has_words(f, "thang") && f.contains("nam") {
                    let tail = &f[f.find("thang")?..];
                    if let Some(p) = Period::parse(tail) {
                        let text = grid.text(row, col).unwrap_or_default().to_string();
                        return Some((p, text, grid.name.clone(), CellRef::new(row, col)));
                    }
                }
            }
        }
    }
    None
}
