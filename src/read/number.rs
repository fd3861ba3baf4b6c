//! Numbers as Vietnamese offices write them, read exactly.
//!
//! A number cell arrives as a float, or as text: `1.728` (a thousands dot,
//! meaning 1728), `1.728,5`, `0,15`, `12,83%`, `1 728`, `(500)`. Everything is
//! read into a [`Decimal`] (an integer mantissa and a power of ten), so money
//! converts to đồng without any binary rounding.

use crate::domain::{Dong, MoneyUnit};

/// An exact decimal number: `mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// The digits as an integer, with the sign.
    pub mantissa: i128,
    /// How many of the digits are after the decimal mark.
    pub scale: u32,
}

/// Why a cell is not a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Letters or symbols that are not part of a number.
    #[error("'{0}' không phải là số")]
    NotANumber(String),
    /// Too many digits to be a real figure.
    #[error("'{0}' quá lớn")]
    TooLarge(String),
}

const MAX_DIGITS: usize = MAX_DIGITS_U32 as usize;
/// [`MAX_DIGITS`] as an exponent.
const MAX_DIGITS_U32: u32 = 30;

impl Decimal {
    /// The value as a float (for indicators, never for money).
    pub fn to_f64(self) -> f64 {
        // Both parts are far below 2^53 in practice; a mantissa beyond goes
        // through the string form to round once.
        format!("{}e-{}", self.mantissa, self.scale).parse().unwrap_or(f64::NAN)
    }

    /// True when below zero.
    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// Divides by 100 exactly (a percentage becomes a fraction).
    #[must_use]
    pub fn percent(self) -> Self {
        Self { mantissa: self.mantissa, scale: self.scale + 2 }
    }

    /// The exact float written the shortest way that reads back the same
    /// (Rust's `Display` for `f64`), so a cell holding 0.1 is exactly 0.1.
    ///
    /// Returns `None` for NaN and infinities.
    pub fn from_f64(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        // Below 2^53 every integer is a float and its shortest form is its
        // digits, so a whole number (most money cells, and every 0) needs no
        // formatting.
        if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
            #[allow(clippy::cast_possible_truncation)]
            return Some(Self { mantissa: value as i128, scale: 0 });
        }
        parse_plain(&format!("{value}"))
    }

    /// Converts an amount in `unit` to đồng, rounding half away from zero at
    /// the đồng (a fraction of a đồng is the only rounding money ever sees).
    ///
    /// Returns `None` when the amount does not fit.
    pub fn to_dong(self, unit: MoneyUnit) -> Option<Dong> {
        let exponent = unit.exponent();
        let value = if exponent >= self.scale {
            self.mantissa.checked_mul(10i128.checked_pow(exponent - self.scale)?)?
        } else {
            let divisor = 10i128.checked_pow(self.scale - exponent)?;
            let quotient = self.mantissa / divisor;
            let remainder = (self.mantissa % divisor).abs();
            if remainder * 2 >= divisor { quotient + self.mantissa.signum() } else { quotient }
        };
        i64::try_from(value).ok().map(Dong)
    }
}

/// Reads number text as a Vietnamese clerk types it.
///
/// Returns `Ok(None)` for a blank cell or a lone dash (`-`, `–`), which forms
/// use for "nothing". A trailing `%` divides by 100. Parentheses or a leading
/// minus make it negative.
///
/// The decimal mark is found this way: with both `.` and `,`, the last one is
/// the decimal mark; with only dots, dots between groups of exactly three
/// digits are thousands separators (`1.728` is 1728) and otherwise a single
/// dot is a decimal point (`1.5`); with only commas, several commas separate
/// thousands (`1,234,567`) and a single comma is the decimal mark (`0,15`),
/// as Vietnamese writes it.
///
/// # Errors
///
/// [`NumberError::NotANumber`] when the text holds anything but a number.
///
/// # Examples
///
/// ```
/// use gnbv::read::number::{parse_text, Decimal};
/// assert_eq!(parse_text("1.728").unwrap(), Some(Decimal { mantissa: 1728, scale: 0 }));
/// assert_eq!(parse_text("0,15").unwrap(), Some(Decimal { mantissa: 15, scale: 2 }));
/// assert_eq!(parse_text("12,83%").unwrap(), Some(Decimal { mantissa: 1283, scale: 4 }));
/// assert_eq!(parse_text(" - ").unwrap(), None);
/// assert!(parse_text("khoảng 500").is_err());
/// ```
pub fn parse_text(text: &str) -> Result<Option<Decimal>, NumberError> {
    let not_a_number = || NumberError::NotANumber(text.trim().chars().take(40).collect());
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{200B}' | '\''))
        .collect();
    if s.is_empty() || matches!(s.as_str(), "-" | "–" | "—" | "−") {
        return Ok(None);
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') && s.len() > 2 {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    let mut percent = false;
    if let Some(rest) = s.strip_suffix('%') {
        percent = true;
        s = rest.to_string();
    }
    for prefix in ['-', '−', '–'] {
        if let Some(rest) = s.strip_prefix(prefix) {
            negative = !negative;
            s = rest.to_string();
            break;
        }
    }
    if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_string();
    }
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(not_a_number());
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let plain = normalise_marks(&s).ok_or_else(not_a_number)?;
    let mut value = parse_plain(&plain).ok_or_else(not_a_number)?;
    if value.mantissa.unsigned_abs() > 10u128.pow(MAX_DIGITS_U32 - 1) {
        return Err(NumberError::TooLarge(text.trim().chars().take(40).collect()));
    }
    if negative {
        value.mantissa = -value.mantissa;
    }
    if percent {
        value = value.percent();
    }
    Ok(Some(value))
}

/// Rewrites digits with `.`/`,` marks as digits with at most one `.` decimal point.
fn normalise_marks(s: &str) -> Option<String> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let groups_of_three = |sep: char| {
        let mut parts = s.split(sep);
        let first = parts.next().unwrap_or("");
        !first.is_empty() && first.len() <= 3 && parts.all(|p| p.len() == 3)
    };
    match (dots, commas) {
        (0, 0) => Some(s.to_string()),
        (_, 0) => {
            if dots == 1 && !groups_of_three('.') {
                Some(s.to_string())
            } else if groups_of_three('.') && (dots > 1 || s.split('.').nth(1).is_some_and(|p| p.len() == 3)) {
                Some(s.replace('.', ""))
            } else if dots == 1 {
                Some(s.to_string())
            } else {
                None
            }
        }
        (0, _) => {
            if commas == 1 {
                Some(s.replace(',', "."))
            } else if groups_of_three(',') {
                Some(s.replace(',', ""))
            } else {
                None
            }
        }
        _ => {
            let last_dot = s.rfind('.')?;
            let last_comma = s.rfind(',')?;
            let (thousands, decimal) = if last_comma > last_dot { ('.', ',') } else { (',', '.') };
            if s.matches(decimal).count() != 1 {
                return None;
            }
            let (int_part, frac_part) = s.split_once(decimal)?;
            if frac_part.contains(thousands) {
                return None;
            }
            let mut groups = int_part.split(thousands);
            let first = groups.next().unwrap_or("");
            if first.is_empty() || first.len() > 3 || !groups.all(|g| g.len() == 3) {
                return None;
            }
            Some(format!("{}.{frac_part}", int_part.replace(thousands, "")))
        }
    }
}

/// Parses `123`, `123.45`, `-0.001`, `.5` (no exponent).
fn parse_plain(s: &str) -> Option<Decimal> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let frac_part = frac_part.trim_end_matches('0');
    let all: String = format!("{int_part}{frac_part}");
    let all = all.trim_start_matches('0');
    if all.len() > MAX_DIGITS {
        return None;
    }
    let mantissa: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
    let scale = u32::try_from(frac_part.len()).ok()?;
    Some(Decimal { mantissa: if negative { -mantissa } else { mantissa }, scale })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[allow(clippy::unnecessary_wraps)] // the shape of what the parser returns
    fn d(mantissa: i128, scale: u32) -> Option<Decimal> {
        Some(Decimal { mantissa, scale })
    }

    #[rstest]
    #[case("1.728", d(1728, 0))]
    #[case("1.728.000", d(1_728_000, 0))]
    #[case("1.728,5", d(17285, 1))]
    #[case("1,728.5", d(17285, 1))]
    #[case("1,234,567", d(1_234_567, 0))]
    #[case("0,15", d(15, 2))]
    #[case("1,5", d(15, 1))]
    #[case("1.5", d(15, 1))]
    #[case("12,83%", d(1283, 4))]
    #[case("65%", d(65, 2))]
    #[case("530", d(530, 0))]
    #[case("1\u{a0}728", d(1728, 0))]
    #[case("1 728 000", d(1_728_000, 0))]
    #[case(" 530 ", d(530, 0))]
    #[case("(500)", d(-500, 0))]
    #[case("-12", d(-12, 0))]
    #[case("+7", d(7, 0))]
    #[case("0", d(0, 0))]
    #[case("0.000", d(0, 0))]
    #[case("'530", d(530, 0))]
    #[case("", None)]
    #[case("-", None)]
    #[case("–", None)]
    fn parses_office_spellings(#[case] text: &str, #[case] expected: Option<Decimal>) {
        assert_eq!(parse_text(text).unwrap(), expected, "{text:?}");
    }

    #[rstest]
    #[case("khoảng 500")]
    #[case("1.2.3,4,5")]
    #[case("12,34,5")]
    #[case("1.23.4")]
    #[case("abc")]
    #[case("1e5")]
    #[case(".")]
    #[case("%")]
    fn refuses_what_is_not_a_number(#[case] text: &str) {
        assert!(parse_text(text).is_err(), "{text:?}");
    }

    #[test]
    fn floats_convert_exactly() {
        assert_eq!(Decimal::from_f64(0.1), d(1, 1));
        assert_eq!(Decimal::from_f64(530.0), d(530, 0));
        assert_eq!(Decimal::from_f64(1e21), d(1_000_000_000_000_000_000_000, 0));
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(Decimal::from_f64(0.1).unwrap().to_dong(MoneyUnit::TrieuDong), Some(Dong(100_000)));
        assert_eq!(Decimal::from_f64(123.456_789).unwrap().to_dong(MoneyUnit::TrieuDong), Some(Dong(123_456_789)));
    }

    #[test]
    fn money_units_scale_exactly_and_round_sub_dong() {
        let x = parse_text("1.728").unwrap().unwrap();
        assert_eq!(x.to_dong(MoneyUnit::TrieuDong), Some(Dong(1_728_000_000)));
        assert_eq!(x.to_dong(MoneyUnit::TyDong), Some(Dong(1_728_000_000_000)));
        let y = parse_text("1,5").unwrap().unwrap();
        assert_eq!(y.to_dong(MoneyUnit::NghinDong), Some(Dong(1_500)));
        assert_eq!(y.to_dong(MoneyUnit::Dong), Some(Dong(2)), "half a đồng rounds away from zero");
        assert_eq!(parse_text("-1,5").unwrap().unwrap().to_dong(MoneyUnit::Dong), Some(Dong(-2)));
        let huge = parse_text("99999999999999999999").unwrap().unwrap();
        assert_eq!(huge.to_dong(MoneyUnit::TyDong), None);
    }
}
