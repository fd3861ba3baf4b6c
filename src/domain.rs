//! The nouns every layer shares: periods, money, codes and cell positions.
//!
//! These are plain values with no I/O. Money is [`Dong`], an integer number of
//! đồng, so sums are exact; a period is a budget month; codes are newtypes so a
//! unit code can never be passed where a project code is expected.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::text::fold;

// ---------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// The text is shared (reference-counted): codes are copied into every
        /// figure of every unit, so a copy must not allocate.
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// Wraps a code; surrounding spaces are removed.
            pub fn new(code: impl AsRef<str>) -> Self {
                Self(std::sync::Arc::from(code.as_ref().trim()))
            }

            /// The code as written in config.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_type!(
    /// A registered implementing unit (commune, ward, department), as in `config/units.csv`.
    UnitCode
);
code_type!(
    /// A project or sub-project of the program catalogue (`DA3`, `DA3.2`).
    ProjectCode
);
code_type!(
    /// A funding source (`NSTW`, `NSDP`, `KHAC`, `KEO_DAI`).
    SourceCode
);
code_type!(
    /// A reported or derived indicator (`HN_THOAT`, `TL_HN`).
    IndicatorCode
);

// ---------------------------------------------------------------------------
// Period
// ---------------------------------------------------------------------------

/// A reporting month of a budget year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// Builds a period; `None` unless `month` is 1..=12 and `year` is plausible.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1990..=2200).contains(&year)).then_some(Self { year, month })
    }

    /// The period a calendar date falls in.
    pub fn of_date(date: NaiveDate) -> Self {
        Self { year: date.year(), month: date.month() }
    }

    /// The budget year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The month before, across a year boundary.
    #[must_use]
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self { year: self.year - 1, month: 12 }
        } else {
            Self { year: self.year, month: self.month - 1 }
        }
    }

    /// The month after, across a year boundary.
    #[must_use]
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self { year: self.year + 1, month: 1 }
        } else {
            Self { year: self.year, month: self.month + 1 }
        }
    }

    /// The same month one year earlier.
    #[must_use]
    pub fn year_before(self) -> Self {
        Self { year: self.year - 1, month: self.month }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid period has a first day")
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a month has a last day")
    }

    /// `06/2024`, as Vietnamese forms write a period.
    pub fn vn(self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }

    /// `tháng 6 năm 2024`, for titles.
    pub fn vn_long(self) -> String {
        format!("tháng {} năm {}", self.month, self.year)
    }

    /// Reads a period as units write it: `06/2024`, `6/2024`, `2024-06`, `Tháng 6 năm 2024`,
    /// `tháng 06/2024`, `T6/2024`. A full date (`15/06/2024`, `2024-06-15`) gives its month.
    ///
    /// # Examples
    ///
    /// ```
    /// use gnbv::domain::Period;
    /// let june = Period::new(2024, 6).unwrap();
    /// assert_eq!(Period::parse("Tháng 6 năm 2024"), Some(june));
    /// assert_eq!(Period::parse("2024-06"), Some(june));
    /// assert_eq!(Period::parse("tháng 06/2024"), Some(june));
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let folded = fold(text);
        let numbers: Vec<&str> = folded.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
        Self::from_numbers(&numbers)
    }

    fn from_numbers(numbers: &[&str]) -> Option<Self> {
        let value = |s: &str| s.parse::<i64>().ok();
        match numbers {
            [a, b] => {
                let (a_len, b_len) = (a.len(), b.len());
                let (year, month) = if a_len == 4 && b_len <= 2 {
                    (value(a)?, value(b)?)
                } else if b_len == 4 && a_len <= 2 {
                    (value(b)?, value(a)?)
                } else {
                    return None;
                };
                Self::new(i32::try_from(year).ok()?, u32::try_from(month).ok()?)
            }
            [_, _, _] => parse_date_numbers(numbers).map(Self::of_date),
            _ => None,
        }
    }
}

/// Reads a date from three digit groups, day first (`15/06/2024`) or ISO (`2024-06-15`).
fn parse_date_numbers(numbers: &[&str]) -> Option<NaiveDate> {
    let value = |s: &str| s.parse::<u32>().ok();
    let [a, b, c] = numbers else { return None };
    let (year, month, day) = if a.len() == 4 {
        (value(a)?, value(b)?, value(c)?)
    } else if c.len() == 4 {
        (value(c)?, value(b)?, value(a)?)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Reads a calendar date written as text: `15/06/2024`, `2024-06-15`,
/// `ngày 15 tháng 6 năm 2024`.
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let folded = fold(text);
    let numbers: Vec<&str> = folded.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
    parse_date_numbers(&numbers)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| format!("'{s}' is not a period: write YYYY-MM, e.g. 2024-06"))
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

// ---------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------

/// An exact amount of money in đồng.
///
/// Arithmetic saturates instead of overflowing: no real budget comes near
/// `i64::MAX` đồng, and a hostile file must not crash the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Dong(pub i64);

impl Dong {
    /// Zero đồng.
    pub const ZERO: Dong = Dong(0);

    /// The amount expressed in `unit` (for display only: the value stays exact in đồng).
    pub fn in_unit(self, unit: MoneyUnit) -> f64 {
        self.0 as f64 / unit.dong_per_unit() as f64
    }

    /// True when the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl std::ops::Add for Dong {
    type Output = Dong;
    fn add(self, rhs: Dong) -> Dong {
        Dong(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::AddAssign for Dong {
    fn add_assign(&mut self, rhs: Dong) {
        *self = *self + rhs;
    }
}

impl std::ops::Sub for Dong {
    type Output = Dong;
    fn sub(self, rhs: Dong) -> Dong {
        Dong(self.0.saturating_sub(rhs.0))
    }
}

impl std::iter::Sum for Dong {
    fn sum<I: Iterator<Item = Dong>>(iter: I) -> Dong {
        iter.fold(Dong::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Dong {
    /// Vietnamese grouping: `1.728.000.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if self.0 < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(ch);
        }
        f.write_str(&out)
    }
}

/// The unit a workbook states its money in (`Đơn vị tính`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyUnit {
    /// đồng
    Dong,
    /// nghìn đồng
    NghinDong,
    /// triệu đồng
    TrieuDong,
    /// tỷ đồng
    TyDong,
}

impl MoneyUnit {
    /// How many đồng one of this unit is.
    pub fn dong_per_unit(self) -> i64 {
        match self {
            MoneyUnit::Dong => 1,
            MoneyUnit::NghinDong => 1_000,
            MoneyUnit::TrieuDong => 1_000_000,
            MoneyUnit::TyDong => 1_000_000_000,
        }
    }

    /// Powers of ten in [`Self::dong_per_unit`].
    pub fn exponent(self) -> u32 {
        match self {
            MoneyUnit::Dong => 0,
            MoneyUnit::NghinDong => 3,
            MoneyUnit::TrieuDong => 6,
            MoneyUnit::TyDong => 9,
        }
    }

    /// The Vietnamese label (`triệu đồng`).
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Dong => "đồng",
            MoneyUnit::NghinDong => "nghìn đồng",
            MoneyUnit::TrieuDong => "triệu đồng",
            MoneyUnit::TyDong => "tỷ đồng",
        }
    }

    /// Reads `đồng`, `nghìn đồng` (`ngàn đồng`, `1000đ`), `triệu đồng` (`tr.đ`, `trđ`),
    /// `tỷ đồng`, accent- and case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        let f = fold(text);
        let compact: String = f.chars().filter(char::is_ascii_alphanumeric).collect();
        if compact.is_empty() {
            return None;
        }
        if compact.contains("ty") && !compact.contains("tyle") {
            Some(MoneyUnit::TyDong)
        } else if compact.contains("trieu") || compact.starts_with("trd") || compact == "tr" {
            Some(MoneyUnit::TrieuDong)
        } else if compact.contains("nghin") || compact.contains("ngan") || compact.starts_with("1000d") {
            Some(MoneyUnit::NghinDong)
        } else if compact == "dong" || compact == "d" || compact == "vnd" || compact == "vnđ" {
            Some(MoneyUnit::Dong)
        } else {
            None
        }
    }
}

impl fmt::Display for MoneyUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The three money figures a unit reports per project and source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyField {
    /// Kế hoạch vốn: allocated for the year.
    Allocated,
    /// Giải ngân trong tháng: disbursed in the month.
    DisbursedMonth,
    /// Lũy kế giải ngân từ đầu năm: disbursed since 1 January.
    DisbursedCumulative,
}

impl MoneyField {
    /// All three, in column order.
    pub const ALL: [MoneyField; 3] =
        [MoneyField::Allocated, MoneyField::DisbursedMonth, MoneyField::DisbursedCumulative];

    /// The name used in tidy data and `summary.json`.
    pub fn key(self) -> &'static str {
        match self {
            MoneyField::Allocated => "allocated",
            MoneyField::DisbursedMonth => "disbursed_month",
            MoneyField::DisbursedCumulative => "disbursed_cumulative",
        }
    }

    /// Reads [`Self::key`] back.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The Vietnamese column group label.
    pub fn label(self) -> &'static str {
        match self {
            MoneyField::Allocated => "Kế hoạch vốn năm",
            MoneyField::DisbursedMonth => "Giải ngân trong tháng",
            MoneyField::DisbursedCumulative => "Lũy kế giải ngân từ đầu năm",
        }
    }
}

/// The three values a unit reports per indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorField {
    /// Kế hoạch năm: the yearly target.
    Target,
    /// Thực hiện trong tháng: achieved in the month.
    Month,
    /// Lũy kế từ đầu năm: achieved so far (a stock's value at the end of the period).
    Achieved,
}

impl IndicatorField {
    /// All three, in column order.
    pub const ALL: [IndicatorField; 3] = [IndicatorField::Target, IndicatorField::Month, IndicatorField::Achieved];

    /// The name used in tidy data.
    pub fn key(self) -> &'static str {
        match self {
            IndicatorField::Target => "target",
            IndicatorField::Month => "month",
            IndicatorField::Achieved => "achieved",
        }
    }

    /// Reads [`Self::key`] back.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The Vietnamese column label.
    pub fn label(self) -> &'static str {
        match self {
            IndicatorField::Target => "Kế hoạch năm",
            IndicatorField::Month => "Thực hiện trong tháng",
            IndicatorField::Achieved => "Lũy kế từ đầu năm",
        }
    }
}

// ---------------------------------------------------------------------------
// Cell positions
// ---------------------------------------------------------------------------

/// A zero-based cell position, shown in A1 notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
}

impl CellRef {
    /// A position from zero-based row and column.
    pub fn new(row: u32, col: u32) -> Self {
        Self { row, col }
    }

    /// The column letters (`A`, `Z`, `AA`).
    pub fn column_letters(col: u32) -> String {
        let mut n = col + 1;
        let mut letters = Vec::new();
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.push(char::from(b'A' + u8::try_from(rem).expect("remainder below 26")));
            n = (n - 1) / 26;
        }
        letters.iter().rev().collect()
    }

    /// Parses `D12` back into a position.
    pub fn parse(a1: &str) -> Option<Self> {
        let a1 = a1.trim();
        let split = a1.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = a1.split_at(split);
        if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let mut col: u32 = 0;
        for c in letters.chars() {
            col = col.checked_mul(26)? + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
        }
        let row: u32 = digits.parse().ok()?;
        (row >= 1).then(|| Self { row: row - 1, col: col - 1 })
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Self::column_letters(self.col), self.row + 1)
    }
}

impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_units_write_them() {
        let june = Period::new(2024, 6).unwrap();
        for text in [
            "06/2024",
            "6/2024",
            "2024-06",
            "Tháng 6 năm 2024",
            "tháng 06/2024",
            "THÁNG 6 NĂM 2024",
            "T6/2024",
            "15/06/2024",
            "2024-06-15",
        ] {
            assert_eq!(Period::parse(text), Some(june), "{text}");
        }
        assert_eq!(Period::parse("13/2024"), None);
        assert_eq!(Period::parse("hello"), None);
        assert_eq!(june.to_string(), "2024-06");
        assert_eq!(june.vn(), "06/2024");
        assert_eq!(Period::new(2024, 1).unwrap().prev(), Period::new(2023, 12).unwrap());
        assert_eq!(june.last_day(), NaiveDate::from_ymd_opt(2024, 6, 30).unwrap());
    }

    #[test]
    fn cell_refs_round_trip() {
        for (r, c, s) in [(0, 0, "A1"), (11, 3, "D12"), (0, 25, "Z1"), (0, 26, "AA1"), (9, 702, "AAA10")] {
            let cell = CellRef::new(r, c);
            assert_eq!(cell.to_string(), s);
            assert_eq!(CellRef::parse(s), Some(cell));
        }
    }

    #[test]
    fn money_displays_vietnamese_grouping() {
        assert_eq!(Dong(1_728_000_000).to_string(), "1.728.000.000");
        assert_eq!(Dong(-5_000).to_string(), "-5.000");
        assert_eq!(Dong(12).to_string(), "12");
    }

    #[test]
    fn money_units_by_label() {
        assert_eq!(MoneyUnit::parse("Triệu đồng"), Some(MoneyUnit::TrieuDong));
        assert_eq!(MoneyUnit::parse("tr.đ"), Some(MoneyUnit::TrieuDong));
        assert_eq!(MoneyUnit::parse("nghìn đồng"), Some(MoneyUnit::NghinDong));
        assert_eq!(MoneyUnit::parse("ngàn đồng"), Some(MoneyUnit::NghinDong));
        assert_eq!(MoneyUnit::parse("Tỷ đồng"), Some(MoneyUnit::TyDong));
        assert_eq!(MoneyUnit::parse("đồng"), Some(MoneyUnit::Dong));
        assert_eq!(MoneyUnit::parse("hộ"), None);
    }
}
