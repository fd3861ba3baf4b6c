//! The official decisions in `config/official/<year>/` (SPEC §3): the
//! allocation decision (`phan_bo_von.xlsx`: allocated capital per unit,
//! project and source) and the assigned targets (`chi_tieu_giao.xlsx`: the
//! yearly target per unit and indicator). When present they are
//! authoritative: the consolidation uses them, and a unit that reports other
//! figures is flagged.
//!
//! Both are tables found by their labels, like unit workbooks: a header row
//! with `Mã đơn vị`, the project (`Mã` or `Nội dung`) or indicator (`Mã chỉ
//! tiêu` or `Chỉ tiêu`) and the value columns (one per funding source, or
//! `Kế hoạch`); money in the unit stated by `Đơn vị tính` above the table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::grid::{Grid, Value};
use super::number::{Decimal, parse_text};
use crate::config::{Catalogue, Config, Unit};
use crate::domain::{CellRef, Dong, IndicatorCode, MoneyUnit, ProjectCode, SourceCode, UnitCode};
use crate::text::{fold, has_words};

/// File name of the allocation decision inside `config/official/<year>/`.
pub const ALLOCATION_FILE: &str = "phan_bo_von.xlsx";
/// File name of the assigned targets inside `config/official/<year>/`.
pub const TARGETS_FILE: &str = "chi_tieu_giao.xlsx";

/// A figure of an official decision, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Official<T> {
    /// The value.
    pub value: T,
    /// The decision file, relative to the config folder.
    pub file: String,
    /// Sheet.
    pub sheet: String,
    /// Cell.
    pub cell: CellRef,
}

/// The year's official decisions (empty when none are configured).
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// Allocated capital by unit, project and source.
    pub allocation: BTreeMap<(UnitCode, ProjectCode, SourceCode), Official<Dong>>,
    /// The sources the allocation decision has columns for: it says nothing
    /// about the others (a central-budget decision leaves local funds to the units).
    pub sources: std::collections::BTreeSet<SourceCode>,
    /// Assigned yearly targets by unit and indicator (rates as fractions).
    pub targets: BTreeMap<(UnitCode, IndicatorCode), Official<f64>>,
}

impl Decisions {
    /// True when the allocation decision governs this unit's allocation from `source`.
    pub fn governs(&self, unit: &UnitCode, source: &SourceCode) -> bool {
        self.sources.contains(source) && self.allocation_of(unit).next().is_some()
    }

    /// One unit's assigned targets, (indicator, decision): a range of the map.
    pub fn targets_of<'a>(
        &'a self,
        unit: &UnitCode,
    ) -> impl Iterator<Item = (&'a IndicatorCode, &'a Official<f64>)> + 'a {
        let unit = unit.clone();
        let start = (unit.clone(), IndicatorCode::default());
        self.targets.range(start..).take_while(move |((u, _), _)| *u == unit).map(|((_, c), o)| (c, o))
    }

    /// One unit's allocations, (project, source, decision): a range of the
    /// map, not a scan of every unit's (called for every unit and figure).
    pub fn allocation_of<'a>(
        &'a self,
        unit: &UnitCode,
    ) -> impl Iterator<Item = (&'a ProjectCode, &'a SourceCode, &'a Official<Dong>)> + 'a {
        let unit = unit.clone();
        let start = (unit.clone(), ProjectCode::default(), SourceCode::default());
        self.allocation.range(start..).take_while(move |((u, _, _), _)| *u == unit).map(|((_, p, s), o)| (p, s, o))
    }
}

/// A decision file that cannot be used (a config error: it ends the run).
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct DecisionError {
    /// The file.
    pub file: String,
    /// What is wrong, with the cell.
    pub message: String,
}

/// Loads the decisions of `year` from `config/official/<year>/`, if any.
///
/// # Errors
///
/// [`DecisionError`] naming the file and cell when a decision is unreadable
/// or names an unknown unit, project, source or indicator.
pub fn load(config: &Config, catalogue: &Catalogue, year: i32) -> Result<Decisions, DecisionError> {
    let dir = folder(config, year);
    let mut decisions = Decisions::default();
    let allocation = dir.join(ALLOCATION_FILE);
    if allocation.exists() {
        let (grid, rel) = first_grid(&allocation, config)?;
        read_allocation(&Table { grid: &grid, rel: &rel }, config, catalogue, &mut decisions)?;
    }
    let targets = dir.join(TARGETS_FILE);
    if targets.exists() {
        let (grid, rel) = first_grid(&targets, config)?;
        read_targets(&Table { grid: &grid, rel: &rel }, config, &mut decisions)?;
    }
    Ok(decisions)
}

fn first_grid(path: &Path, config: &Config) -> Result<(Grid, String), DecisionError> {
    let rel = path
        .strip_prefix(&config.dir)
        .map_or_else(|_| path.display().to_string(), |p| format!("config/{}", p.display()));
    let error = |message: String| DecisionError { file: rel.clone(), message };
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read it: {e}")))?;
    let mut workbook = super::open::open(bytes, &config.settings.limits).map_err(|e| error(e.to_string()))?;
    let first = workbook.sheets().into_iter().next().ok_or_else(|| error("it has no sheet".into()))?;
    let grid = workbook.grid(&first.name).map_err(|e| error(e.to_string()))?;
    Ok((grid, rel))
}

/// The money unit written above the table (default: the input default).
fn money_unit(grid: &Grid, before_row: u32, config: &Config) -> MoneyUnit {
    for row in grid.first_row()..before_row {
        for col in grid.first_col()..grid.end_col() {
            let f = grid.folded(row, col);
            if f.starts_with("don vi tinh") || f.starts_with("dvt") {
                let text = grid.text(row, col).unwrap_or_default();
                let after = text.split_once(':').map(|(_, a)| a.trim().to_string()).filter(|a| !a.is_empty());
                let value =
                    after.or_else(|| (col + 1..col + 4).map(|c| grid.value(row, c).display()).find(|v| !v.is_empty()));
                if let Some(unit) = value.as_deref().and_then(MoneyUnit::parse) {
                    return unit;
                }
            }
        }
    }
    config.settings.input.default_money_unit
}

fn decimal(value: &Value) -> Result<Option<Decimal>, String> {
    match value {
        Value::Empty => Ok(None),
        Value::Number(n) => Ok(Decimal::from_f64(*n)),
        Value::Text(t) => parse_text(t).map_err(|e| e.to_string()),
        other => Err(format!("'{}' is not a number", other.display())),
    }
}

/// The decision's table, for what both decisions read the same way.
struct Table<'a> {
    grid: &'a Grid,
    /// The file, as shown in messages.
    rel: &'a str,
}

impl Table<'_> {
    fn error(&self, cell: CellRef, message: impl std::fmt::Display) -> DecisionError {
        DecisionError { file: self.rel.to_string(), message: format!("{}!{cell}: {message}", self.grid.name) }
    }

    /// The header row: the first (of the first 40) with a `Mã đơn vị` cell.
    fn header(&self) -> Result<u32, DecisionError> {
        let grid = self.grid;
        (grid.first_row()..grid.end_row().min(grid.first_row() + 40))
            .find(|&r| grid.row_cells(r).any(|(c, _)| grid.folded(r, c).starts_with("ma don vi")))
            .ok_or_else(|| self.error(CellRef::new(0, 0), "no header row with 'Mã đơn vị'"))
    }

    /// The registered unit a row is for, with the code and the name written
    /// in its item columns; `None` for a row without a unit or a total row.
    fn row_unit<'c>(
        &self,
        config: &'c Config,
        row: u32,
        unit_col: u32,
        code_col: Option<u32>,
        name_col: Option<u32>,
    ) -> Result<Option<(&'c Unit, String, String)>, DecisionError> {
        let grid = self.grid;
        let written_unit = grid.value(row, unit_col).display();
        if written_unit.is_empty() || is_total(&fold(&written_unit)) {
            return Ok(None);
        }
        let registered = config.units.find(&written_unit).ok_or_else(|| {
            self.error(CellRef::new(row, unit_col), format!("unit '{written_unit}' is not in units.csv"))
        })?;
        let code_text = code_col.map(|c| grid.value(row, c).display()).unwrap_or_default();
        let name_text = name_col.and_then(|c| grid.text(row, c)).unwrap_or_default().to_string();
        Ok(Some((registered, code_text, name_text)))
    }
}

fn read_allocation(
    table: &Table<'_>,
    config: &Config,
    catalogue: &Catalogue,
    out: &mut Decisions,
) -> Result<(), DecisionError> {
    let (grid, rel) = (table.grid, table.rel);
    let error = |cell, message: String| table.error(cell, message);
    let header = table.header()?;
    let unit = money_unit(grid, header, config);
    let mut unit_col = None;
    let mut code_col = None;
    let mut name_col = None;
    let mut source_cols = Vec::new();
    let rows = [header, header + 1];
    // The header model every table shares: ratio and comparison columns
    // ("Tỷ lệ (%)", "So với năm trước") are never amounts.
    let origins = super::header::Origins::new(grid, &rows);
    for col in grid.first_col()..grid.end_col() {
        let parts: Vec<String> = super::header::column_parts(grid, &origins, col).into_iter().map(|(p, _)| p).collect();
        let label = parts.join(" ");
        if super::header::not_a_figure(&parts) {
            continue;
        }
        if label.starts_with("ma don vi") {
            unit_col = Some(col);
        } else if label == "ma" || label == "ma du an" {
            code_col = Some(col);
        } else if label.starts_with("noi dung") || has_words(&label, "du an") && name_col.is_none() {
            name_col = Some(col);
        } else if let Some(source) = config.sources.find_in_label(&label) {
            if let Some((other, _)) = source_cols.iter().find(|(_, s)| *s == source.code) {
                return Err(error(
                    CellRef::new(header, col),
                    format!(
                        "two columns for source {} ({} and {}): keep one",
                        source.code,
                        CellRef::column_letters(*other),
                        CellRef::column_letters(col)
                    ),
                ));
            }
            source_cols.push((col, source.code.clone()));
        }
    }
    let unit_col = unit_col.ok_or_else(|| error(CellRef::new(header, 0), "no 'Mã đơn vị' column".into()))?;
    if source_cols.is_empty() {
        return Err(error(CellRef::new(header, 0), "no funding source column (NSTW, NSĐP…)".into()));
    }
    out.sources.extend(source_cols.iter().map(|(_, s)| s.clone()));
    let first_data = if rows.iter().skip(1).any(|&r| source_cols.iter().any(|(c, _)| !grid.folded(r, *c).is_empty())) {
        header + 2
    } else {
        header + 1
    };
    for row in first_data..grid.end_row() {
        let Some((registered, code_text, name_text)) = table.row_unit(config, row, unit_col, code_col, name_col)?
        else {
            continue;
        };
        let project = (!code_text.is_empty())
            .then(|| catalogue.find_by_code(&code_text))
            .flatten()
            .or_else(|| catalogue.find_by_name(&name_text, None))
            .ok_or_else(|| {
                error(
                    CellRef::new(row, code_col.or(name_col).unwrap_or(unit_col)),
                    format!("project '{code_text}{name_text}' is not in the catalogue"),
                )
            })?;
        if catalogue.has_children(&project.code) {
            // A parent row of a decision is a subtotal.
            continue;
        }
        for (col, source) in &source_cols {
            let cell = CellRef::new(row, *col);
            let Some(d) = decimal(grid.value(row, *col)).map_err(|m| error(cell, m))? else { continue };
            let value = d.to_dong(unit).ok_or_else(|| error(cell, "amount too large".into()))?;
            let key = (registered.code.clone(), project.code.clone(), source.clone());
            let entry = out.allocation.entry(key).or_insert(Official {
                value: Dong::ZERO,
                file: rel.to_string(),
                sheet: grid.name.clone(),
                cell,
            });
            entry.value += value;
        }
    }
    Ok(())
}

fn read_targets(table: &Table<'_>, config: &Config, out: &mut Decisions) -> Result<(), DecisionError> {
    let (grid, rel) = (table.grid, table.rel);
    let error = |cell, message: String| table.error(cell, message);
    let header = table.header()?;
    let (mut unit_col, mut code_col, mut name_col, mut value_col) = (None, None, None, None);
    for col in grid.first_col()..grid.end_col() {
        let label = grid.folded(header, col);
        if label.starts_with("ma don vi") {
            unit_col = Some(col);
        } else if label == "ma" || label == "ma chi tieu" {
            code_col = Some(col);
        } else if label == "chi tieu" || label == "ten chi tieu" || label == "noi dung" {
            name_col = Some(col);
        } else if !super::header::not_a_figure(&[label.to_string()])
            && matches!(super::header::figure_of(label), Some((super::header::Figure::Planned, _)))
        {
            if let Some(other) = value_col {
                return Err(error(
                    CellRef::new(header, col),
                    format!(
                        "two target columns ({} and {}): keep one",
                        CellRef::column_letters(other),
                        CellRef::column_letters(col)
                    ),
                ));
            }
            value_col = Some(col);
        }
    }
    let (Some(unit_col), Some(value_col)) = (unit_col, value_col) else {
        return Err(error(CellRef::new(header, 0), "the header needs 'Mã đơn vị' and 'Kế hoạch' columns".into()));
    };
    for row in header + 1..grid.end_row() {
        let Some((registered, code_text, name_text)) = table.row_unit(config, row, unit_col, code_col, name_col)?
        else {
            continue;
        };
        let indicator = (!code_text.is_empty())
            .then(|| config.indicators.find_by_code(&code_text))
            .flatten()
            .or_else(|| config.indicators.find_by_name(&name_text))
            .ok_or_else(|| {
                error(
                    CellRef::new(row, code_col.or(name_col).unwrap_or(unit_col)),
                    format!("indicator '{code_text}{name_text}' is not in indicators.toml"),
                )
            })?;
        let cell = CellRef::new(row, value_col);
        let raw = grid.value(row, value_col);
        let Some(d) = decimal(raw).map_err(|m| error(cell, m))? else { continue };
        let percent_sign = matches!(raw, Value::Text(t) if t.contains('%'));
        let value = super::targets::stored_value(indicator.measure, d.to_f64(), percent_sign);
        out.targets.insert(
            (registered.code.clone(), indicator.code.clone()),
            Official { value, file: rel.to_string(), sheet: grid.name.clone(), cell },
        );
    }
    Ok(())
}

fn is_total(folded: &str) -> bool {
    folded.starts_with("tong") || folded.starts_with("cong")
}

/// Where the decisions of `year` would be, for messages.
pub fn folder(config: &Config, year: i32) -> PathBuf {
    config.dir.join("official").join(year.to_string())
}
