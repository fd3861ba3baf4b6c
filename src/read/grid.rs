//! A sheet's cells, cleaned once, addressed by absolute position.
//!
//! The reader never trusts fixed positions: it looks for labels. A [`Grid`]
//! holds every cell of a sheet with text cleaned ([`crate::text::clean`]) and
//! folded ([`crate::text::fold`]) once, plus the merged regions, so the
//! locating code can ask "which cell says `Lũy kế`" cheaply.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use calamine::{Data, DataRef, Dimensions};
use chrono::NaiveDate;

use crate::domain::CellRef;
use crate::text::{clean, fold};

/// A cell's value after cleaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing.
    Empty,
    /// Text (cleaned: NFC, single spaces).
    Text(String),
    /// A number (an integer cell becomes a float without loss below 2^53).
    Number(f64),
    /// TRUE/FALSE.
    Bool(bool),
    /// A date cell.
    Date(NaiveDate),
    /// An error value such as `#REF!`.
    Error(String),
}

impl Value {
    /// True for an empty cell or one holding only spaces.
    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    /// True for an empty cell or a lone dash or other text that says "nothing"
    /// (`-`, `–`): a blank figure.
    pub fn is_empty_or_dash(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => matches!(super::number::parse_text(t), Ok(None)),
            _ => false,
        }
    }

    /// Text of the cell as a person reads it (numbers without a trailing `.0`).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.clone(),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{n:.0}")
                } else {
                    format!("{n}")
                }
            }
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => d.format("%d/%m/%Y").to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// One sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The sheet name as in the workbook.
    pub name: String,
    first_row: u32,
    first_col: u32,
    height: u32,
    width: u32,
    cells: Vec<Value>,
    folded: Vec<Option<Arc<str>>>,
    merges: Vec<Dimensions>,
}

/// The sheet is larger than the configured limit.
#[derive(Debug, Clone, thiserror::Error)]
#[error("trang tính có {rows} hàng × {cols} cột, vượt giới hạn {max_rows} hàng × {max_cols} cột")]
pub struct TooLarge {
    /// Rows in the sheet.
    pub rows: u64,
    /// Columns in the sheet.
    pub cols: u64,
    /// Row limit.
    pub max_rows: u32,
    /// Column limit.
    pub max_cols: u32,
}

impl Grid {
    /// Builds a grid from calamine's range, refusing sheets beyond the limits.
    ///
    /// # Errors
    ///
    /// [`TooLarge`] when the used range exceeds `max_rows` × `max_cols`.
    pub fn from_range(
        name: &str,
        range: &calamine::Range<Data>,
        merges: Vec<Dimensions>,
        max_rows: u32,
        max_cols: u32,
    ) -> Result<Self, TooLarge> {
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let (height, width) = range.get_size();
        if height as u64 > u64::from(max_rows) || width as u64 > u64::from(max_cols) {
            return Err(TooLarge { rows: height as u64, cols: width as u64, max_rows, max_cols });
        }
        let mut cells = Vec::with_capacity(height * width);
        let mut folded = Vec::with_capacity(height * width);
        for row in range.rows() {
            for data in row {
                let (value, f) = convert_folded(data);
                folded.push(f);
                cells.push(value);
            }
        }
        Ok(Self {
            name: clean(name),
            first_row,
            first_col,
            height: u32::try_from(height).unwrap_or(u32::MAX),
            width: u32::try_from(width).unwrap_or(u32::MAX),
            cells,
            folded,
            merges,
        })
    }

    /// Builds a grid from sparse cells already converted with
    /// [`convert_ref`] (within the limits), as the streaming xlsx reader yields them.
    pub fn from_values(name: &str, cells: Vec<((u32, u32), Converted)>, merges: Vec<Dimensions>) -> Self {
        let first_row = cells.iter().map(|((r, _), _)| *r).min().unwrap_or(0);
        let first_col = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
        let end_row = cells.iter().map(|((r, _), _)| *r + 1).max().unwrap_or(0);
        let end_col = cells.iter().map(|((_, c), _)| *c + 1).max().unwrap_or(0);
        let (height, width) = (end_row.saturating_sub(first_row), end_col.saturating_sub(first_col));
        let size = height as usize * width as usize;
        let mut grid = Self {
            name: clean(name),
            first_row,
            first_col,
            height,
            width,
            cells: vec![Value::Empty; size],
            folded: vec![None; size],
            merges,
        };
        for ((row, col), (value, folded)) in cells {
            if let Some(i) = grid.index(row, col) {
                grid.folded[i] = folded;
                grid.cells[i] = value;
            }
        }
        grid
    }

    /// First used row (absolute).
    pub fn first_row(&self) -> u32 {
        self.first_row
    }

    /// One past the last used row (absolute).
    pub fn end_row(&self) -> u32 {
        self.first_row + self.height
    }

    /// First used column (absolute).
    pub fn first_col(&self) -> u32 {
        self.first_col
    }

    /// One past the last used column (absolute).
    pub fn end_col(&self) -> u32 {
        self.first_col + self.width
    }

    fn index(&self, row: u32, col: u32) -> Option<usize> {
        if row < self.first_row || col < self.first_col {
            return None;
        }
        let (r, c) = (row - self.first_row, col - self.first_col);
        (r < self.height && c < self.width).then(|| (r as usize) * (self.width as usize) + c as usize)
    }

    /// The value at an absolute position (empty outside the used range).
    pub fn value(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.index(row, col).map_or(&EMPTY, |i| &self.cells[i])
    }

    /// The folded text at a position, or `""`.
    pub fn folded(&self, row: u32, col: u32) -> &str {
        self.index(row, col).and_then(|i| self.folded[i].as_deref()).unwrap_or("")
    }

    /// The cleaned text of a text cell.
    pub fn text(&self, row: u32, col: u32) -> Option<&str> {
        match self.value(row, col) {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Every non-empty cell of a row, as (column, value).
    pub fn row_cells(&self, row: u32) -> impl Iterator<Item = (u32, &Value)> {
        (self.first_col..self.end_col()).map(move |c| (c, self.value(row, c))).filter(|(_, v)| !v.is_empty())
    }

    /// True for the numbered column row under a header: `(1)`, `(2)`,
    /// `(3)=(1)+(2)`, `A`, `B`, `1`, `2`.
    pub fn is_numbering_row(&self, row: u32) -> bool {
        let mut count = 0;
        for (_, value) in self.row_cells(row) {
            let text = value.display();
            let ok = text.len() <= 16
                && text.chars().all(|c| c.is_ascii_digit() || "()=+-*/x ".contains(c) || c.is_ascii_uppercase());
            if !ok {
                return false;
            }
            count += 1;
        }
        count >= 2
    }

    /// True for the signature block under a table ("Người lập biểu", "Thủ
    /// trưởng đơn vị", "…, ngày … tháng … năm …"): the table ends above it.
    pub fn is_footer_row(&self, row: u32) -> bool {
        self.row_cells(row).any(|(col, _)| {
            let f = self.folded(row, col);
            f.contains("nguoi lap bieu")
                || f.contains("thu truong don vi")
                || f.contains("ky ghi ro ho ten")
                || f.contains("ky ten dong dau")
                || (crate::text::has_words(f, "ngay")
                    && crate::text::has_words(f, "thang")
                    && f.len() < 80
                    && f.contains(" nam"))
        })
    }

    /// The merged region starting at or covering a cell.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merges.iter().find(|d| d.contains(row, col))
    }

    /// Bytes of text the grid keeps (cleaned and folded forms).
    pub fn text_bytes(&self) -> u64 {
        let text: usize = self
            .cells
            .iter()
            .map(|v| match v {
                Value::Text(t) | Value::Error(t) => t.len(),
                _ => 0,
            })
            .sum();
        let folded: usize = self.folded.iter().flatten().map(|f| f.len()).sum();
        (text + folded) as u64
    }

    /// Sets the sheet's merged regions.
    pub fn set_merges(&mut self, merges: Vec<Dimensions>) {
        self.merges = merges;
    }

    /// True when the workbook format gave merged regions for this sheet.
    pub fn has_merges(&self) -> bool {
        !self.merges.is_empty()
    }

    /// Finds the first cell, row by row within the first `rows` rows, whose
    /// folded text satisfies `pred`.
    pub fn find_in_top(&self, rows: u32, pred: impl Fn(&str) -> bool) -> Option<CellRef> {
        let end = self.end_row().min(self.first_row + rows);
        for row in self.first_row..end {
            for col in self.first_col..self.end_col() {
                let f = self.folded(row, col);
                if !f.is_empty() && pred(f) {
                    return Some(CellRef::new(row, col));
                }
            }
        }
        None
    }
}

/// A cell's value and, for text, its folded key ([`fold`]).
pub type Converted = (Value, Option<Arc<str>>);

/// Cleaned text and its folded key.
type CleanText = (Box<str>, Arc<str>);

/// Most text in unit workbooks is the same few hundred labels in every file
/// (the template's), so each reading thread remembers the cleaned and folded
/// form of the strings it has seen. Bounded: cleared when full.
const TEXT_CACHE_ENTRIES: usize = 8_192;
/// Longer strings (free text, notes) are rarely repeated and are not kept.
const TEXT_CACHE_MAX_LEN: usize = 160;

thread_local! {
    static TEXT_CACHE: RefCell<HashMap<Box<str>, Option<CleanText>>> = RefCell::new(HashMap::new());
}

/// A text cell's value and folded key: [`clean`] and [`fold`], remembered.
fn text_value(raw: &str) -> Converted {
    let compute = |raw: &str| {
        let t = clean(raw);
        if t.is_empty() {
            None
        } else {
            let f: Arc<str> = Arc::from(fold(&t));
            Some((t.into_boxed_str(), f))
        }
    };
    let found = if raw.len() <= TEXT_CACHE_MAX_LEN {
        TEXT_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(hit) = cache.get(raw) {
                return hit.clone();
            }
            let made = compute(raw);
            if cache.len() >= TEXT_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(raw.into(), made.clone());
            made
        })
    } else {
        compute(raw)
    };
    match found {
        Some((t, f)) => (Value::Text(t.into_string()), Some(f)),
        None => (Value::Empty, None),
    }
}

/// A cell as calamine's streaming reader gives it, converted like [`convert`],
/// with the folded key of a text cell.
pub fn convert_ref(data: &DataRef<'_>) -> Converted {
    match data {
        DataRef::SharedString(s) => text_value(s),
        DataRef::String(s) => text_value(s),
        other => convert_folded(&Data::from(other.clone())),
    }
}

/// [`convert`] with the folded key of a text cell.
fn convert_folded(data: &Data) -> Converted {
    match data {
        Data::String(s) => text_value(s),
        other => {
            let value = convert(other);
            let folded = match &value {
                Value::Text(t) => Some(Arc::from(fold(t))),
                _ => None,
            };
            (value, folded)
        }
    }
}

fn convert(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::String(s) => {
            let t = clean(s);
            if t.is_empty() { Value::Empty } else { Value::Text(t) }
        }
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => Value::Date(d.date()),
            _ => Value::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map_or_else(|_| Value::Text(clean(s)), Value::Date),
        Data::DurationIso(s) => Value::Text(clean(s)),
        Data::Error(e) => Value::Error(format!("{e}")),
    }
}
