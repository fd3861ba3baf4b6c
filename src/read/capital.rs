//! The capital sheet ("Vốn"): allocation and disbursement per project and
//! source (SPEC §4).
//!
//! The header is found by its words, not its position: a row naming the
//! content column (`Nội dung`, `Dự án`) or the code column (`Mã`) and a money
//! group (`Kế hoạch vốn`, `Lũy kế`…). One to three header rows follow; each
//! column's meaning comes from its labels read top to bottom (a group cell
//! spans the source cells under it, through merged regions or, without merge
//! information, by filling to the right). Rows are matched by code, else by
//! name. `Tổng`/`Cộng` columns and rows, and parent projects' rows, are
//! checksums: verified, never added again.

use std::collections::BTreeMap;

use super::grid::{Grid, Value};
use super::header::{self, Figure, Strength};
use super::number::{Decimal, parse_text};
use super::{CapitalFigure, Checksum, UnitReport};
use crate::config::{Catalogue, Config};
use crate::domain::{CellRef, Dong, MoneyField, MoneyUnit, ProjectCode, SourceCode};
use crate::finding::{Finding, Rule};
use crate::text::has_words;

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: u32 = 40;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Code,
    Name,
    Money(MoneyField, Target),
    Ignored,
}

/// A money column's source, or the group total.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Source(SourceCode),
    Total,
    Unnamed,
    /// A column under a money group whose own label names no configured
    /// source ("Ngân sách TW" when sources.toml lacks those words): not used.
    Unknown,
}

fn field(figure: Figure) -> MoneyField {
    match figure {
        Figure::Planned => MoneyField::Allocated,
        Figure::Month => MoneyField::DisbursedMonth,
        Figure::Cumulative => MoneyField::DisbursedCumulative,
    }
}

fn is_code_label(part: &str) -> bool {
    matches!(part, "ma" | "ma so" | "ma du an" | "ma dong" | "code" | "ma da" | "ma tda" | "ma muc")
}

fn is_ordinal_label(part: &str) -> bool {
    matches!(part, "stt" | "tt" | "so tt" | "so thu tu" | "thu tu")
}

fn is_name_label(part: &str) -> bool {
    ["noi dung", "du an", "tieu du an", "ten du an", "danh muc", "chuong trinh", "hang muc", "ten"]
        .iter()
        .any(|w| part.starts_with(w) || has_words(part, w))
}

/// True when a folded row label says it is the grand total row.
fn is_total_row(folded: &str) -> bool {
    folded == "tong"
        || folded == "cong"
        || folded.starts_with("tong cong")
        || folded.starts_with("tong so")
        || folded.starts_with("cong ")
        || folded.starts_with("tong von")
        || folded == "tong ke hoach"
}

/// A header row found in the sheet.
struct Header {
    rows: Vec<u32>,
    columns: BTreeMap<u32, Column>,
    labels: BTreeMap<u32, String>,
    /// How many header cells (group, sub-label…) name each column.
    parts: BTreeMap<u32, usize>,
    /// Each column's label as written (`Kế hoạch vốn / NSTW`), for messages.
    display: BTreeMap<u32, String>,
}

/// Whether a row's own cells name the rows (code, name) and a money group.
/// A long title ("BÁO CÁO ... KẾ HOẠCH VỐN CHƯƠNG TRÌNH ...") holds both kinds
/// of words in one cell: only separate, short cells make a header.
fn row_labels(grid: &Grid, row: u32, max_len: usize) -> (bool, bool) {
    let (mut names, mut money) = (false, false);
    for (col, _) in grid.row_cells(row) {
        let f = grid.folded(row, col);
        if f.is_empty() || f.len() > max_len {
            continue;
        }
        let is_money = header::figure_of(f).is_some();
        names |= !is_money && f.len() <= 60 && (is_code_label(f) || is_name_label(f));
        money |= is_money;
    }
    (names, money)
}

/// The header rows of the capital table: the first row naming both the rows
/// and a money group, with the header rows under it; else the first band of
/// header rows that names both between them (groups on top, `Mã | Nội dung`
/// on the bottom row).
fn find_header(grid: &Grid, config: &Config, catalogue: &Catalogue) -> Option<Vec<u32>> {
    let end = grid.end_row().min(grid.first_row() + HEADER_SEARCH_ROWS);
    let continues = |r| is_header_continuation(grid, r, config, catalogue);
    if let Some(top) = (grid.first_row()..end).find(|&row| row_labels(grid, row, 120) == (true, true)) {
        return Some(header::header_rows(top, continues));
    }
    (grid.first_row()..end).find_map(|row| {
        let (names, money) = row_labels(grid, row, 60);
        if !names && !money {
            return None;
        }
        let rows = header::header_rows(row, continues);
        let (names, money) = rows.iter().fold((false, false), |(n, m), &r| {
            let (a, b) = row_labels(grid, r, 60);
            (n || a, m || b)
        });
        (names && money && rows.len() > 1).then_some(rows)
    })
}

/// True when a row under the header is more header (sources, "Tổng số",
/// "Trong đó") rather than data.
///
/// A row of short text cells, at least one of which names a source, a total
/// or a group, and none of which names a project or the grand total, is
/// header: a source label gnbv does not know ("Vốn ODA") must not end the
/// header early (its column is then reported, not read as something else).
fn is_header_continuation(grid: &Grid, row: u32, config: &Config, catalogue: &Catalogue) -> bool {
    let mut any = false;
    for (col, value) in grid.row_cells(row) {
        let Value::Text(text) = value else { return false };
        let f = grid.folded(row, col);
        let headerish = config.sources.find_in_label(f).is_some() || header::is_header_words(f);
        // Numbers written as text, or a project: the table has begun.
        let data_like = f.len() > 60
            || matches!(parse_text(text), Ok(Some(_)))
            || catalogue.find_by_code(text).is_some()
            || catalogue.find_by_name(text, None).is_some();
        if data_like {
            return false;
        }
        any |= headerish;
    }
    any
}

fn read_header(grid: &Grid, config: &Config, catalogue: &Catalogue, report: &mut UnitReport) -> Option<Header> {
    let rows = find_header(grid, config, catalogue)?;
    let top = rows[0];
    let origins = header::Origins::new(grid, &rows);
    let mut columns = BTreeMap::new();
    let mut part_counts = BTreeMap::new();
    let mut display = BTreeMap::new();
    let mut labels = BTreeMap::new();
    let mut plain_disbursement = Vec::new();
    let mut name_found = false;
    for col in grid.first_col()..grid.end_col() {
        let located = header::column_parts(grid, &origins, col);
        if located.is_empty() {
            continue;
        }
        let parts: Vec<String> = located.iter().map(|(p, _)| p.clone()).collect();
        let label = parts.join(" ");
        display.insert(col, header::shown(grid, &located));
        labels.insert(col, label.clone());
        part_counts.insert(col, parts.len());
        let column = if parts.iter().any(|p| is_code_label(p)) {
            Column::Code
        } else if parts.iter().any(|p| is_ordinal_label(p)) || header::not_a_figure(&parts) {
            Column::Ignored
        } else if let Some((figure, strength)) = header::figure_of(&label) {
            // A disbursement label that says neither "this month" nor "since
            // January" (generic) is the cumulative unless a specific one exists.
            if strength == Strength::Generic {
                plain_disbursement.push(col);
            }
            Column::Money(field(figure), target_of(&label, config))
        } else if !name_found && parts.iter().any(|p| is_name_label(p)) {
            name_found = true;
            Column::Name
        } else {
            Column::Ignored
        };
        columns.insert(col, column);
    }
    // A disbursement column that says neither "this month" nor "since January"
    // is the cumulative figure, unless the sheet has an explicit cumulative group.
    let explicit_cumulative = columns.iter().any(|(c, k)| {
        matches!(k, Column::Money(MoneyField::DisbursedCumulative, _)) && !plain_disbursement.contains(c)
    });
    if explicit_cumulative {
        for c in &plain_disbursement {
            columns.insert(*c, Column::Ignored);
            report.add(
                Finding::new(
                    Rule::ColumnUnrecognised,
                    format!(
                        "Cột \"{}\" không rõ là giải ngân trong tháng hay lũy kế; cột này không được dùng.",
                        display[c]
                    ),
                )
                .at(&grid.name, CellRef::new(top, *c)),
            );
        }
    }
    Some(Header { rows, columns, labels, display, parts: part_counts })
}

fn target_of(label: &str, config: &Config) -> Target {
    if let Some(source) = config.sources.find_in_label(label) {
        Target::Source(source.code.clone())
    } else if header::is_total_label(label) {
        Target::Total
    } else {
        Target::Unnamed
    }
}

/// One table row matched to a project.
struct ProjectRow {
    project: ProjectCode,
    row: u32,
}

/// Reads a money cell: blank is `None` (meaning zero), an error or text that is
/// not a number is a finding.
fn money_cell(grid: &Grid, row: u32, col: u32, unit: MoneyUnit, report: &mut UnitReport) -> Option<Dong> {
    let cell = CellRef::new(row, col);
    let (decimal, percent) = super::number_cell(grid, cell, super::CellKind::Money, report)?;
    if percent {
        report.add(
            Finding::new(
                Rule::PercentInMoney,
                format!(
                    "Ô số tiền ghi tỷ lệ \"{}\", không phải số tiền. Đề nghị ghi số tiền (tỷ lệ để ở cột \"Tỷ lệ (%)\").",
                    grid.value(row, col).display()
                ),
            )
            .at(&grid.name, cell),
        );
        return None;
    }
    if let Some(dong) = decimal.to_dong(unit) {
        Some(dong)
    } else {
        report.add(
            Finding::new(Rule::NotANumber, "Số tiền quá lớn, không thể là số liệu thật. Đề nghị kiểm tra lại.")
                .at(&grid.name, cell),
        );
        None
    }
}

/// A money column: its column, the figure and where it counts.
type MoneyColumn = (u32, MoneyField, Target);

/// The money read in each matched row, by (project, column), with the cell
/// of its first row.
type Values = BTreeMap<(ProjectCode, u32), (Dong, CellRef)>;

/// Reads the capital sheet into `report`: the header is found and each
/// column given its meaning, the rows are matched to projects, the figures
/// are taken, and the sheet's own totals are verified.
pub(crate) fn read(
    grid: &Grid,
    catalogue: &Catalogue,
    money_unit: MoneyUnit,
    config: &Config,
    report: &mut UnitReport,
) {
    report.capital_sheet = Some(grid.name.clone());
    let Some(header) = read_header(grid, config, catalogue, report) else {
        report.add(
            Finding::new(
                Rule::ColumnMissing,
                "Không tìm thấy dòng tiêu đề của bảng vốn (cần các cột \"Nội dung\" hoặc \"Mã\" và \"Kế hoạch vốn\", \"Lũy kế giải ngân\"). Đề nghị dùng đúng mẫu biểu.",
            )
            .in_sheet(&grid.name),
        );
        return;
    };
    let top = header.rows[0];
    let code_col = header.columns.iter().find(|(_, k)| **k == Column::Code).map(|(c, _)| *c);
    let name_col = header.columns.iter().find(|(_, k)| **k == Column::Name).map(|(c, _)| *c);
    if code_col.is_none() && name_col.is_none() {
        report.add(
            Finding::new(
                Rule::ColumnMissing,
                "Bảng vốn không có cột \"Mã\" hoặc \"Nội dung\" để biết mỗi dòng là dự án nào.",
            )
            .at(&grid.name, CellRef::new(top, grid.first_col())),
        );
        return;
    }

    let mut money_cols = money_columns(grid, &header, config, report);
    let first_data = header.rows.last().copied().unwrap_or(top) + 1;
    settle_conflicts(grid, &header, &mut money_cols, first_data, report);
    require_groups(grid, top, &money_cols, report);
    report.month_reported = money_cols.iter().any(|(_, g, _)| *g == MoneyField::DisbursedMonth);
    describe_layout(grid, &header, &money_cols, report);

    let (rows, total_rows) = match_rows(grid, catalogue, (code_col, name_col), &money_cols, first_data, report);
    let values = row_values(grid, &rows, &money_cols, money_unit, report);
    let source_cols: Vec<(u32, MoneyField, SourceCode)> = money_cols
        .iter()
        .filter_map(|(c, g, t)| match t {
            Target::Source(s) => Some((*c, *g, s.clone())),
            _ => None,
        })
        .collect();

    take_figures(grid, catalogue, &values, &source_cols, report);
    verify_total_columns(&money_cols, &source_cols, &rows, &values, report);
    verify_total_rows(grid, &money_cols, &total_rows, money_unit, report);
}

/// Column mapping: each money column's source. A group with named sources
/// treats unnamed and "Tổng" columns as its checksum (or reports a label it
/// does not know); a group of one column without a source uses the default.
fn money_columns(grid: &Grid, header: &Header, config: &Config, report: &mut UnitReport) -> Vec<MoneyColumn> {
    let top = header.rows[0];
    // Money columns by group; a group with named sources treats unnamed and
    // "Tổng" columns as its checksum, a group without them uses the default source.
    let mut money_cols: Vec<MoneyColumn> = header
        .columns
        .iter()
        .filter_map(|(c, k)| match k {
            Column::Money(g, t) => Some((*c, *g, t.clone())),
            _ => None,
        })
        .collect();
    for field in MoneyField::ALL {
        let has_sources = money_cols.iter().any(|(_, g, t)| *g == field && matches!(t, Target::Source(_)));
        let in_group: Vec<u32> = money_cols.iter().filter(|(_, g, _)| *g == field).map(|(c, _, _)| *c).collect();
        for (col, g, target) in &mut money_cols {
            if *g != field || matches!(target, Target::Source(_)) {
                continue;
            }
            if has_sources {
                // Its own label under the group names something that is not a
                // source: do not guess, say so (the figures are not used).
                let labelled = header.parts.get(col).copied().unwrap_or(1) > 1 || header.rows.len() == 1;
                if *target == Target::Unnamed && labelled {
                    let has_values = (header.rows.last().copied().unwrap_or(top) + 1..grid.end_row())
                        .any(|r| !grid.value(r, *col).is_empty() && !grid.is_footer_row(r));
                    let mut f = Finding::new(
                        Rule::UnknownSource,
                        format!(
                            "Cột \"{}\" không khớp nguồn vốn nào (NSTW, NSĐP, vốn khác, vốn kéo dài); số liệu của cột này không được tổng hợp. Đề nghị ghi đúng tên nguồn vốn theo mẫu biểu.",
                            header.display[col]
                        ),
                    )
                    .at(&grid.name, CellRef::new(top, *col));
                    if !has_values {
                        f.severity = crate::finding::Severity::Info;
                    }
                    report.add(f);
                    *target = Target::Unknown;
                } else {
                    *target = Target::Total;
                }
            } else if in_group.len() == 1 {
                let source = config.settings.input.default_source.clone();
                report.add(
                    Finding::new(
                        Rule::SourceAssumed,
                        format!(
                            "Cột \"{}\" không ghi nguồn vốn; số liệu được tính là nguồn {}. Nếu không đúng, đề nghị ghi rõ nguồn (NSTW, NSĐP…).",
                            header.display[col], source
                        ),
                    )
                    .at(&grid.name, CellRef::new(top, *col)),
                );
                *target = Target::Source(source);
            } else {
                *target = Target::Total;
            }
        }
    }
    money_cols
}

/// The groups every capital sheet must have.
fn require_groups(grid: &Grid, top: u32, money_cols: &[MoneyColumn], report: &mut UnitReport) {
    for field in [MoneyField::Allocated, MoneyField::DisbursedCumulative] {
        if !money_cols.iter().any(|(_, g, _)| *g == field) {
            report.add(
                Finding::new(
                    Rule::ColumnMissing,
                    format!("Bảng vốn không có nhóm cột \"{}\". Đề nghị dùng đúng mẫu biểu.", field.label()),
                )
                .at(&grid.name, CellRef::new(top, grid.first_col())),
            );
        }
    }
}

/// How the sheet was read, column by column, for the unit's feedback and
/// next month's layout check.
fn describe_layout(grid: &Grid, header: &Header, money_cols: &[MoneyColumn], report: &mut UnitReport) {
    let top = header.rows[0];
    report.layout.push(format!("{}: header row {}", grid.name, top + 1));
    for (col, k) in &header.columns {
        let used = money_cols.iter().find(|(c, _, _)| c == col);
        let role = match (k, used) {
            (Column::Code, _) => "mã dự án".to_string(),
            (Column::Name, _) => "tên dự án".to_string(),
            (Column::Money(..), Some((_, g, t))) => format!("{}, {}", g.label(), target_label(t)),
            (Column::Money(..) | Column::Ignored, _) => "không dùng (tỷ lệ, so sánh, ước tính, ghi chú…)".to_string(),
        };
        if *k == Column::Ignored && !header::not_a_figure(&[header.labels[col].clone()]) {
            continue;
        }
        report.layout.push(format!(
            "{}!{} = {role} ← \"{}\"",
            grid.name,
            CellRef::column_letters(*col),
            header.display[col]
        ));
    }
}

/// Row matching: each data row to a project (by code, else by name under
/// the project above it), and the rows that are the sheet's grand totals.
fn match_rows(
    grid: &Grid,
    catalogue: &Catalogue,
    (code_col, name_col): (Option<u32>, Option<u32>),
    money_cols: &[MoneyColumn],
    first_data: u32,
    report: &mut UnitReport,
) -> (Vec<ProjectRow>, Vec<u32>) {
    let mut rows: Vec<ProjectRow> = Vec::new();
    let mut total_rows: Vec<u32> = Vec::new();
    let mut context: Option<ProjectCode> = None;
    for row in first_data..grid.end_row() {
        // The numbered row under a header ("A | B | 1 | 2"), unless its code
        // cell names a project: "DA2 | 500 | 200" is the first row of data.
        // (A number alone, "(2)" or "2", is a column number even where numeric
        // codes name projects.)
        let names_project = code_col.is_some_and(|c| {
            let code = grid.value(row, c).display();
            code.chars().any(char::is_alphabetic) && catalogue.find_by_code(&code).is_some()
        });
        if row == first_data && grid.is_numbering_row(row) && !names_project {
            continue;
        }
        if grid.is_footer_row(row) {
            break;
        }
        let code_text = code_col.map(|c| grid.value(row, c).display()).unwrap_or_default();
        let name_text = name_col.and_then(|c| grid.text(row, c)).unwrap_or_default().to_string();
        let code_folded = crate::text::fold(&code_text);
        let name_folded = crate::text::fold(&name_text);
        let has_money = money_cols.iter().any(|(c, _, _)| !grid.value(row, *c).is_empty());
        if code_text.is_empty() && name_text.is_empty() {
            if has_money {
                report.add(
                    Finding::new(
                        Rule::UnknownProject,
                        "Dòng có số tiền nhưng không ghi mã hay tên dự án; số liệu dòng này không được tổng hợp.",
                    )
                    .at(&grid.name, CellRef::new(row, grid.first_col())),
                );
            }
            continue;
        }
        if is_total_row(&name_folded) || is_total_row(&code_folded) {
            total_rows.push(row);
            continue;
        }
        if name_folded.starts_with("trong do") {
            continue;
        }
        let by_code = (!code_text.is_empty()).then(|| catalogue.find_by_code(&code_text)).flatten();
        if let (Some(a), Some(b)) = (by_code, catalogue.find_by_exact_name(&name_text))
            && a.code != b.code
        {
            let cell = CellRef::new(row, code_col.unwrap_or(grid.first_col()));
            super::code_name_mismatch(report, grid, cell, (a.code.as_str(), &a.name), &name_text, b.code.as_str());
        }
        let found = by_code.or_else(|| catalogue.find_by_name(&name_text, context.as_ref()));
        match found {
            Some(project) => {
                context = Some(project.code.clone());
                rows.push(ProjectRow { project: project.code.clone(), row });
            }
            None if has_money && row_has_nonzero(grid, row, money_cols) => {
                let shown = if name_text.is_empty() { code_text.clone() } else { name_text.clone() };
                report.add(
                    Finding::new(
                        Rule::UnknownProject,
                        format!(
                            "Dòng \"{}\" không khớp dự án, tiểu dự án nào trong danh mục; số liệu dòng này không được tổng hợp. Đề nghị ghi đúng mã (ví dụ DA3.2) hoặc tên dự án.",
                            crate::text::defuse_formula(&shown)
                        ),
                    )
                    .at(&grid.name, CellRef::new(row, code_col.or(name_col).unwrap_or(grid.first_col()))),
                );
            }
            None => {}
        }
    }

    (rows, total_rows)
}

/// The money of every matched row, a project's two rows added together (and
/// reported).
fn row_values(
    grid: &Grid,
    rows: &[ProjectRow],
    money_cols: &[MoneyColumn],
    money_unit: MoneyUnit,
    report: &mut UnitReport,
) -> Values {
    let mut values: BTreeMap<(ProjectCode, u32), (Dong, CellRef)> = BTreeMap::new();
    let mut seen_projects: BTreeMap<ProjectCode, u32> = BTreeMap::new();
    for pr in rows {
        if let Some(first) = seen_projects.get(&pr.project) {
            report.add(
                Finding::new(
                    Rule::DuplicateRow,
                    format!(
                        "{} có hai dòng (dòng {} và dòng {}); số liệu hai dòng được cộng lại. Đề nghị gộp thành một dòng.",
                        pr.project,
                        first + 1,
                        pr.row + 1
                    ),
                )
                .at(&grid.name, CellRef::new(pr.row, grid.first_col())),
            );
        } else {
            seen_projects.insert(pr.project.clone(), pr.row);
        }
        for (col, _, _) in money_cols {
            if let Some(v) = money_cell(grid, pr.row, *col, money_unit, report) {
                let entry =
                    values.entry((pr.project.clone(), *col)).or_insert((Dong::ZERO, CellRef::new(pr.row, *col)));
                entry.0 += v;
            }
        }
    }

    values
}

/// The figures: leaves, and parents whose children carry nothing in that
/// column; a parent row with its children is a subtotal to verify, never added.
fn take_figures(
    grid: &Grid,
    catalogue: &Catalogue,
    values: &Values,
    source_cols: &[(u32, MoneyField, SourceCode)],
    report: &mut UnitReport,
) {
    for (col, field, source) in source_cols {
        for project in &catalogue.projects {
            let Some(&(value, cell)) = values.get(&(project.code.clone(), *col)) else { continue };
            let parent = project.parent.is_none() && catalogue.has_children(&project.code);
            let children: Vec<Dong> = if parent {
                catalogue
                    .children(&project.code)
                    .filter_map(|c| values.get(&(c.code.clone(), *col)).map(|v| v.0))
                    .collect()
            } else {
                Vec::new()
            };
            if !children.is_empty() {
                // A parent row with its children: a subtotal to verify, never added.
                let computed: Dong = children.into_iter().sum();
                if computed != value {
                    report.checksums.push(Checksum {
                        rule: Rule::ParentSum,
                        cell,
                        stated: value,
                        computed,
                        what: format!("{} ({}), {} {}", project.heading, project.code, field.label(), source),
                    });
                }
                continue;
            }
            if parent && value != Dong::ZERO {
                report.add(
                    Finding::new(
                        Rule::ParentOnly,
                        format!(
                            "{} chỉ ghi số ở dòng dự án, không chia cho các tiểu dự án; số liệu được tổng hợp ở cấp dự án. Đề nghị ghi chi tiết từng tiểu dự án.",
                            project.heading
                        ),
                    )
                    .at(&grid.name, cell),
                );
            }
            report.capital.push(CapitalFigure {
                project: project.code.clone(),
                source: source.clone(),
                field: *field,
                value,
                cell,
            });
        }
    }
}

/// Checksum verification, total columns: each row's "Tổng" equals its
/// sources in that group.
fn verify_total_columns(
    money_cols: &[MoneyColumn],
    source_cols: &[(u32, MoneyField, SourceCode)],
    rows: &[ProjectRow],
    values: &Values,
    report: &mut UnitReport,
) {
    for (col, field, target) in money_cols {
        if *target != Target::Total {
            continue;
        }
        let parts: Vec<u32> = source_cols.iter().filter(|(_, g, _)| g == field).map(|(c, _, _)| *c).collect();
        for pr in rows {
            let Some(&(stated, cell)) = values.get(&(pr.project.clone(), *col)) else { continue };
            let computed: Dong = parts.iter().filter_map(|c| values.get(&(pr.project.clone(), *c)).map(|v| v.0)).sum();
            if stated != computed {
                report.checksums.push(Checksum {
                    rule: Rule::ChecksumColumn,
                    cell,
                    stated,
                    computed,
                    what: format!("cột tổng {} của {}", field.label(), pr.project),
                });
            }
        }
    }
}

/// Checksum verification, total rows: each column equals the sum of what
/// the sheet contributes.
fn verify_total_rows(
    grid: &Grid,
    money_cols: &[MoneyColumn],
    total_rows: &[u32],
    money_unit: MoneyUnit,
    report: &mut UnitReport,
) {
    for &row in total_rows {
        for (col, field, target) in money_cols {
            if *target == Target::Unknown {
                continue;
            }
            let Some(stated) = money_cell(grid, row, *col, money_unit, report) else { continue };
            let computed: Dong = match target {
                Target::Source(s) => {
                    report.capital.iter().filter(|f| f.field == *field && &f.source == s).map(|f| f.value).sum()
                }
                _ => report.capital.iter().filter(|f| f.field == *field).map(|f| f.value).sum(),
            };
            if stated != computed {
                report.checksums.push(Checksum {
                    rule: Rule::ChecksumRow,
                    cell: CellRef::new(row, *col),
                    stated,
                    computed,
                    what: format!("dòng tổng cộng, {} {}", field.label(), target_label(target)),
                });
            }
        }
    }
}

/// Two columns for one figure of one source (`Kế hoạch vốn / NSTW` twice):
/// a finding naming both cells. When they hold the same numbers the first
/// is used (information); otherwise gnbv cannot know which the unit meant,
/// and the sheet is rejected rather than one of them chosen silently.
fn settle_conflicts(
    grid: &Grid,
    header: &Header,
    money_cols: &mut Vec<(u32, MoneyField, Target)>,
    first_data: u32,
    report: &mut UnitReport,
) {
    let top = header.rows[0];
    let mut seen: BTreeMap<(MoneyField, SourceCode), u32> = BTreeMap::new();
    let mut dropped = Vec::new();
    for (col, field, target) in money_cols.iter() {
        let Target::Source(source) = target else { continue };
        let Some(&first) = seen.get(&(*field, source.clone())) else {
            seen.insert((*field, source.clone()), *col);
            continue;
        };
        let same = (first_data..grid.end_row()).all(|r| grid.value(r, first) == grid.value(r, *col));
        let mut finding = Finding::new(
            Rule::ColumnConflict,
            format!(
                "Hai cột cùng là \"{} {}\": cột {} (\"{}\") và cột {} (\"{}\"). {}",
                field.label(),
                source,
                CellRef::column_letters(first),
                header.display[&first],
                CellRef::column_letters(*col),
                header.display[col],
                if same {
                    "Hai cột ghi số giống nhau; dùng cột thứ nhất. Đề nghị xóa cột thừa."
                } else {
                    "Hai cột ghi số khác nhau, không biết cột nào đúng nên báo cáo không được tổng hợp. Đề nghị để một cột và ghi rõ tên cột."
                },
            ),
        )
        .at(&grid.name, CellRef::new(top, *col));
        if same {
            finding.severity = crate::finding::Severity::Info;
        }
        report.add(finding);
        dropped.push(*col);
    }
    money_cols.retain(|(c, _, _)| !dropped.contains(c));
}

fn target_label(target: &Target) -> String {
    match target {
        Target::Source(s) => s.to_string(),
        Target::Total | Target::Unnamed => "tổng các nguồn".to_string(),
        Target::Unknown => "nguồn không nhận ra, không dùng".to_string(),
    }
}

fn row_has_nonzero(grid: &Grid, row: u32, cols: &[(u32, MoneyField, Target)]) -> bool {
    cols.iter().any(|(c, _, _)| match grid.value(row, *c) {
        Value::Number(n) => *n != 0.0,
        Value::Text(t) => !matches!(parse_text(t), Ok(None | Some(Decimal { mantissa: 0, .. }))),
        Value::Empty => false,
        _ => true,
    })
}
