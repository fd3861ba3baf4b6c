//! The period's tidy data (SPEC §6.4): one row per figure read, with the
//! file, sheet and cell it came from, kept as Parquet for later runs.
//!
//! polars is used here and in [`super::history`] only: to write the period's
//! table, and to read earlier periods back for trends and checks.

use std::fmt::Write as _;
use std::path::Path;

#[cfg(feature = "parquet")]
use polars::prelude::{Column, DataFrame, IntoColumn, ParquetReader, ParquetWriter, SerReader, StringChunkedBuilder};

use crate::domain::{
    CellRef, Dong, IndicatorCode, IndicatorField, MoneyField, Period, ProjectCode, SourceCode, UnitCode,
};

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

/// A tidy row borrowed from what was read, for writing without copying
/// every string of every row (ten thousand workbooks give two million rows).
#[derive(Debug, Clone, Copy)]
pub struct TidyRef<'a> {
    /// Reporting period.
    pub period: Period,
    /// The unit the figure counts for.
    pub unit: &'a str,
    /// The unit code written in the workbook.
    pub reported_by: &'a str,
    /// Whether that workbook had the "disbursed this month" columns.
    pub month_reported: bool,
    /// The figure.
    pub value: TidyValueRef<'a>,
    /// File, relative to the input folder.
    pub file: &'a str,
    /// Sheet.
    pub sheet: &'a str,
    /// Cell.
    pub cell: CellText<'a>,
    /// SHA-256 of the file.
    pub sha256: &'a str,
}

/// [`TidyValue`], borrowed.
#[derive(Debug, Clone, Copy)]
pub enum TidyValueRef<'a> {
    /// A money figure.
    Money {
        /// Project or sub-project.
        project: &'a str,
        /// Funding source.
        source: &'a str,
        /// Which figure.
        field: MoneyField,
        /// Exact amount.
        value: Dong,
    },
    /// An indicator value.
    Indicator {
        /// Indicator.
        code: &'a str,
        /// Which value.
        field: IndicatorField,
        /// The value.
        value: f64,
    },
}

/// A cell position, or its A1 text.
#[derive(Debug, Clone, Copy)]
pub enum CellText<'a> {
    /// A position, written in A1 notation.
    At(CellRef),
    /// Already A1 text.
    Text(&'a str),
}

impl CellText<'_> {
    /// Writes the A1 text into `buf` (cleared first) and returns it.
    pub fn write_to<'b>(&'b self, buf: &'b mut String) -> &'b str {
        match self {
            CellText::Text(t) => t,
            CellText::At(c) => {
                buf.clear();
                let _ = write!(buf, "{c}");
                buf
            }
        }
    }
}

impl TidyRow {
    /// An owned row from a borrowed one.
    pub fn from_ref(r: &TidyRef<'_>) -> Self {
        let mut buf = String::new();
        TidyRow {
            period: r.period,
            unit: UnitCode::new(r.unit),
            reported_by: UnitCode::new(r.reported_by),
            month_reported: r.month_reported,
            value: match r.value {
                TidyValueRef::Money { project, source, field, value } => TidyValue::Money {
                    project: ProjectCode::new(project),
                    source: SourceCode::new(source),
                    field,
                    value,
                },
                TidyValueRef::Indicator { code, field, value } => {
                    TidyValue::Indicator { code: IndicatorCode::new(code), field, value }
                }
            },
            file: r.file.to_string(),
            sheet: r.sheet.to_string(),
            cell: r.cell.write_to(&mut buf).to_string(),
            sha256: r.sha256.to_string(),
        }
    }

    /// The row, borrowed.
    pub fn as_ref(&self) -> TidyRef<'_> {
        TidyRef {
            period: self.period,
            unit: self.unit.as_str(),
            reported_by: self.reported_by.as_str(),
            month_reported: self.month_reported,
            value: match &self.value {
                TidyValue::Money { project, source, field, value } => TidyValueRef::Money {
                    project: project.as_str(),
                    source: source.as_str(),
                    field: *field,
                    value: *value,
                },
                TidyValue::Indicator { code, field, value } => {
                    TidyValueRef::Indicator { code: code.as_str(), field: *field, value: *value }
                }
            },
            file: &self.file,
            sheet: &self.sheet,
            cell: CellText::Text(&self.cell),
            sha256: &self.sha256,
        }
    }
}

/// Builds the polars table of borrowed rows (strings are copied once, into
/// the columns' buffers).
///
/// # Errors
///
/// [`FrameError::Polars`] if polars refuses the columns.
#[cfg(feature = "parquet")]
pub fn frame_of<'a>(rows: &[TidyRef<'a>]) -> Result<DataFrame, FrameError> {
    let n = rows.len();
    let text = |name: &str, f: &dyn Fn(&TidyRef<'a>) -> &'a str| {
        let mut b = StringChunkedBuilder::new(name.into(), n);
        for r in rows {
            b.append_value(f(r));
        }
        b.finish().into_column()
    };
    let mut period = StringChunkedBuilder::new("period".into(), n);
    let mut last_period: Option<(Period, String)> = None;
    let mut kind = StringChunkedBuilder::new("kind".into(), n);
    let mut item = StringChunkedBuilder::new("item".into(), n);
    let mut source = StringChunkedBuilder::new("source".into(), n);
    let mut field = StringChunkedBuilder::new("field".into(), n);
    let mut cell = StringChunkedBuilder::new("cell".into(), n);
    let (mut dong, mut number) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut buf = String::new();
    for r in rows {
        if last_period.as_ref().is_none_or(|(p, _)| *p != r.period) {
            last_period = Some((r.period, r.period.to_string()));
        }
        period.append_value(last_period.as_ref().map_or("", |(_, t)| t.as_str()));
        match r.value {
            TidyValueRef::Money { project, source: s, field: f, value } => {
                kind.append_value("von");
                item.append_value(project);
                source.append_value(s);
                field.append_value(f.key());
                dong.push(Some(value.0));
                number.push(None);
            }
            TidyValueRef::Indicator { code, field: f, value } => {
                kind.append_value("chi_tieu");
                item.append_value(code);
                source.append_null();
                field.append_value(f.key());
                dong.push(None);
                number.push(Some(value));
            }
        }
        cell.append_value(r.cell.write_to(&mut buf));
    }
    let columns = vec![
        period.finish().into_column(),
        text("unit", &|r| r.unit),
        text("reported_by", &|r| r.reported_by),
        Column::new("month_reported".into(), rows.iter().map(|r| r.month_reported).collect::<Vec<bool>>()),
        kind.finish().into_column(),
        item.finish().into_column(),
        source.finish().into_column(),
        field.finish().into_column(),
        Column::new("value_dong".into(), dong),
        Column::new("value".into(), number),
        text("file", &|r| r.file),
        text("sheet", &|r| r.sheet),
        cell.finish().into_column(),
        text("sha256", &|r| r.sha256),
    ];
    Ok(DataFrame::new(n, columns)?)
}

/// Rows per Parquet row group, and per in-memory table: a quarter of
/// polars' default, so what is held for the tidy data does not grow with the
/// number of units. heaptrack at 1,000 units puts it at about 60 MB at its
/// peak, the table being built and its encoding (one group of polars'
/// default size held 100 MB more at 10,000 units).
#[cfg(feature = "parquet")]
const ROW_GROUP: usize = 1 << 16;

/// Writes borrowed rows as Parquet, one row group at a time, so memory holds
/// one group's columns rather than the whole period's.
///
/// # Errors
///
/// [`FrameError`] when the file cannot be written.
#[cfg(feature = "parquet")]
pub fn write_parquet_rows<'a>(rows: impl Iterator<Item = TidyRef<'a>>, path: &Path) -> Result<(), FrameError> {
    let file = std::fs::File::create(path)?;
    // Columns serialised one after the other: the report workbook is written
    // at the same time on the other core, and polars' own thread pool waiting
    // for a busy machine made 10,000 units' tidy data take 3.2 s instead of 0.35 s.
    let writer = |file| ParquetWriter::new(file).set_parallel(false);
    let mut rows = rows.peekable();
    let mut chunk: Vec<TidyRef<'a>> = Vec::with_capacity(ROW_GROUP.min(rows.size_hint().0.max(1)));
    chunk.extend(rows.by_ref().take(ROW_GROUP));
    let mut frame = frame_of(&chunk)?;
    if rows.peek().is_none() {
        // One group (or none): the same file as writing the table at once.
        writer(file).finish(&mut frame)?;
        return Ok(());
    }
    let mut writer = writer(file).batched(frame.schema())?;
    writer.write_batch(&frame)?;
    while rows.peek().is_some() {
        chunk.clear();
        chunk.extend(rows.by_ref().take(ROW_GROUP));
        frame = frame_of(&chunk)?;
        writer.write_batch(&frame)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(feature = "parquet")]
/// Reads rows written by [`write_parquet_rows`].
///
/// # Errors
///
/// [`FrameError`] when the file is missing, unreadable or of another layout.
pub fn read_parquet(path: &Path) -> Result<Vec<TidyRow>, FrameError> {
    let file = std::fs::File::open(path)?;
    let frame = ParquetReader::new(file).finish()?;
    from_frame(&frame)
}

/// Without the `parquet` feature (a build for fuzzing the reader), no
/// Parquet is written.
#[cfg(not(feature = "parquet"))]
pub fn write_parquet_rows<'a>(_rows: impl Iterator<Item = TidyRef<'a>>, _path: &Path) -> Result<(), FrameError> {
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
        write_parquet_rows(rows.iter().map(TidyRow::as_ref), &path).unwrap();
        assert_eq!(read_parquet(&path).unwrap(), rows);
    }

    /// A national run's tidy data spans several row groups: every row comes
    /// back, in order, with its exact value, across the groups' seams.
    #[test]
    fn parquet_over_several_row_groups_keeps_every_row_in_order() {
        let period = Period::new(2024, 6).unwrap();
        let n = 2 * ROW_GROUP + 7;
        let rows: Vec<TidyRow> = (0..n)
            .map(|i| TidyRow {
                period,
                unit: UnitCode::new(format!("U{:05}", i / 200)),
                reported_by: UnitCode::new(format!("U{:05}", i / 200)),
                month_reported: i % 3 != 0,
                value: TidyValue::Money {
                    project: ProjectCode::new(format!("DA{}", i % 7)),
                    source: SourceCode::new("NSTW"),
                    field: MoneyField::DisbursedCumulative,
                    value: Dong(1_000_000_007 * i64::try_from(i).unwrap()),
                },
                file: format!("2024-06/U{:05}.xlsx", i / 200),
                sheet: "Vốn".into(),
                cell: format!("D{}", 10 + i % 200),
                sha256: "ab".into(),
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_parquet_rows(rows.iter().map(TidyRow::as_ref), &path).unwrap();
        let back = read_parquet(&path).unwrap();
        assert_eq!(back.len(), n);
        assert!(back == rows, "rows differ after a round trip over {} row groups", n.div_ceil(ROW_GROUP));
    }
}
