//! The period's tidy data (SPEC §6.4): one row per figure read, with the
//! file, sheet and cell it came from, kept as Parquet for later runs.
//!
//! polars is used here and in [`super::history`] only: to write the period's
//! table, and to read earlier periods back for trends and checks.

use std::path::Path;

#[cfg(feature = "parquet")]
use polars::prelude::{Column, DataFrame, ParquetReader, ParquetWriter, SerReader};

use crate::domain::{Dong, IndicatorCode, IndicatorField, MoneyField, Period, ProjectCode, SourceCode, UnitCode};

/// What a tidy row measures.
#[derive(Debug, Clone, PartialEq)]
pub enum TidyValue {
    /// A money figure of a project and source.
    Money {
        /// Project or sub-project.
        project: ProjectCode,
        /// Funding source.
        source: SourceCode,
        /// Which figure.
        field: MoneyField,
        /// Exact amount.
        value: Dong,
    },
    /// An indicator value.
    Indicator {
        /// Indicator.
        code: IndicatorCode,
        /// Which value.
        field: IndicatorField,
        /// The value (rates as fractions).
        value: f64,
    },
}

/// One figure as read, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TidyRow {
    /// Reporting period.
    pub period: Period,
    /// The unit the figure counts for (a closed unit's successor).
    pub unit: UnitCode,
    /// The unit code written in the workbook.
    pub reported_by: UnitCode,
    /// Whether that workbook had the "disbursed this month" columns.
    pub month_reported: bool,
    /// The figure.
    pub value: TidyValue,
    /// File, relative to the input folder.
    pub file: String,
    /// Sheet.
    pub sheet: String,
    /// Cell (A1).
    pub cell: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// Why tidy data could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// polars failed.
    #[cfg(feature = "parquet")]
    #[error("{0}")]
    Polars(#[from] polars::error::PolarsError),
    /// The file could not be opened or created.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A column is missing or has another type (a file from another program).
    #[error("unexpected tidy data layout: {0}")]
    Layout(String),
}

#[cfg(feature = "parquet")]
/// Builds the polars table of the rows.
///
/// # Errors
///
/// [`FrameError::Polars`] if polars refuses the columns.
pub fn to_frame(rows: &[TidyRow]) -> Result<DataFrame, FrameError> {
    let text = |f: &dyn Fn(&TidyRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let (mut kind, mut item, mut source, mut field) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut dong, mut number) = (Vec::new(), Vec::new());
    for r in rows {
        match &r.value {
            TidyValue::Money { project, source: s, field: f, value } => {
                kind.push("von");
                item.push(project.to_string());
                source.push(Some(s.to_string()));
                field.push(f.key());
                dong.push(Some(value.0));
                number.push(None);
            }
            TidyValue::Indicator { code, field: f, value } => {
                kind.push("chi_tieu");
                item.push(code.to_string());
                source.push(None);
                field.push(f.key());
                dong.push(None);
                number.push(Some(*value));
            }
        }
    }
    let columns = vec![
        Column::new("period".into(), text(&|r| r.period.to_string())),
        Column::new("unit".into(), text(&|r| r.unit.to_string())),
        Column::new("reported_by".into(), text(&|r| r.reported_by.to_string())),
        Column::new("month_reported".into(), rows.iter().map(|r| r.month_reported).collect::<Vec<bool>>()),
        Column::new("kind".into(), kind),
        Column::new("item".into(), item),
        Column::new("source".into(), source),
        Column::new("field".into(), field),
        Column::new("value_dong".into(), dong),
        Column::new("value".into(), number),
        Column::new("file".into(), text(&|r| r.file.clone())),
        Column::new("sheet".into(), text(&|r| r.sheet.clone())),
        Column::new("cell".into(), text(&|r| r.cell.clone())),
        Column::new("sha256".into(), text(&|r| r.sha256.clone())),
    ];
    Ok(DataFrame::new(rows.len(), columns)?)
}

#[cfg(feature = "parquet")]
/// Writes the rows as Parquet.
///
/// # Errors
///
/// [`FrameError`] when the file cannot be written.
pub fn write_parquet(rows: &[TidyRow], path: &Path) -> Result<(), FrameError> {
    let mut frame = to_frame(rows)?;
    let file = std::fs::File::create(path)?;
    ParquetWriter::new(file).finish(&mut frame)?;
    Ok(())
}

#[cfg(feature = "parquet")]
/// Reads rows written by [`write_parquet`].
///
/// # Errors
///
/// [`FrameError`] when the file is missing, unreadable or of another layout.
pub fn read_parquet(path: &Path) -> Result<Vec<TidyRow>, FrameError> {
    let file = std::fs::File::open(path)?;
    let frame = ParquetReader::new(file).finish()?;
    from_frame(&frame)
}

/// Without the `parquet` feature (a build for fuzzing the reader), tidy data
/// is written as CSV only.
#[cfg(not(feature = "parquet"))]
pub fn write_parquet(_rows: &[TidyRow], _path: &Path) -> Result<(), FrameError> {
    Err(FrameError::Layout("gnbv was built without Parquet (feature \"parquet\")".into()))
}

/// Without the `parquet` feature there is no history to read.
#[cfg(not(feature = "parquet"))]
pub fn read_parquet(_path: &Path) -> Result<Vec<TidyRow>, FrameError> {
    Err(FrameError::Layout("gnbv was built without Parquet (feature \"parquet\")".into()))
}

#[cfg(feature = "parquet")]
/// Turns a polars table back into rows.
///
/// # Errors
///
/// [`FrameError::Layout`] when a column is missing or mistyped.
pub fn from_frame(frame: &DataFrame) -> Result<Vec<TidyRow>, FrameError> {
    let layout = |what: &str| FrameError::Layout(what.to_string());
    let text = |name: &str| -> Result<Vec<Option<String>>, FrameError> {
        let column = frame.column(name).map_err(|_| layout(name))?;
        let values = column.str().map_err(|_| layout(name))?;
        Ok(values.iter().map(|v| v.map(str::to_string)).collect())
    };
    let (period, unit, reported_by, kind, item, source, field) = (
        text("period")?,
        text("unit")?,
        text("reported_by")?,
        text("kind")?,
        text("item")?,
        text("source")?,
        text("field")?,
    );
    let (file, sheet, cell, sha) = (text("file")?, text("sheet")?, text("cell")?, text("sha256")?);
    let month_reported: Vec<Option<bool>> = frame
        .column("month_reported")
        .map_err(|_| layout("month_reported"))?
        .bool()
        .map_err(|_| layout("month_reported"))?
        .iter()
        .collect();
    let dong: Vec<Option<i64>> = frame
        .column("value_dong")
        .map_err(|_| layout("value_dong"))?
        .i64()
        .map_err(|_| layout("value_dong"))?
        .iter()
        .collect();
    let number: Vec<Option<f64>> =
        frame.column("value").map_err(|_| layout("value"))?.f64().map_err(|_| layout("value"))?.iter().collect();
    let mut rows = Vec::with_capacity(frame.height());
    for i in 0..frame.height() {
        let get = |v: &Vec<Option<String>>, what: &str| v[i].clone().ok_or_else(|| layout(what));
        let period = get(&period, "period")?.parse::<Period>().map_err(|_| layout("period"))?;
        let field_key = get(&field, "field")?;
        let value = match get(&kind, "kind")?.as_str() {
            "von" => TidyValue::Money {
                project: ProjectCode::new(get(&item, "item")?),
                source: SourceCode::new(get(&source, "source")?),
                field: MoneyField::from_key(&field_key).ok_or_else(|| layout("field"))?,
                value: Dong(dong[i].ok_or_else(|| layout("value_dong"))?),
            },
            "chi_tieu" => TidyValue::Indicator {
                code: IndicatorCode::new(get(&item, "item")?),
                field: IndicatorField::from_key(&field_key).ok_or_else(|| layout("field"))?,
                value: number[i].ok_or_else(|| layout("value"))?,
            },
            other => return Err(layout(&format!("kind '{other}'"))),
        };
        rows.push(TidyRow {
            period,
            unit: UnitCode::new(get(&unit, "unit")?),
            reported_by: UnitCode::new(get(&reported_by, "reported_by")?),
            month_reported: month_reported[i].unwrap_or(true),
            value,
            file: file[i].clone().unwrap_or_default(),
            sheet: sheet[i].clone().unwrap_or_default(),
            cell: cell[i].clone().unwrap_or_default(),
            sha256: sha[i].clone().unwrap_or_default(),
        });
    }
    Ok(rows)
}

#[cfg(all(test, feature = "parquet"))]
mod tests {
    use super::*;

    #[test]
    fn parquet_round_trip_keeps_every_figure_exact() {
        let period = Period::new(2024, 6).unwrap();
        let rows = vec![
            TidyRow {
                period,
                unit: UnitCode::new("A"),
                reported_by: UnitCode::new("A"),
                month_reported: true,
                value: TidyValue::Money {
                    project: ProjectCode::new("DA3.2"),
                    source: SourceCode::new("NSTW"),
                    field: MoneyField::Allocated,
                    value: Dong(342_000_000_001),
                },
                file: "2024-06/a.xlsx".into(),
                sheet: "Vốn".into(),
                cell: "D12".into(),
                sha256: "ab".into(),
            },
            TidyRow {
                period,
                unit: UnitCode::new("A"),
                reported_by: UnitCode::new("OLD"),
                month_reported: false,
                value: TidyValue::Indicator {
                    code: IndicatorCode::new("HN_THOAT"),
                    field: IndicatorField::Achieved,
                    value: 3.0,
                },
                file: "2024-06/a.xlsx".into(),
                sheet: "Chỉ tiêu".into(),
                cell: "F9".into(),
                sha256: "ab".into(),
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_parquet(&rows, &path).unwrap();
        assert_eq!(read_parquet(&path).unwrap(), rows);
    }
}
