//! `rules.toml`: validation rules a province writes, as DHIS2 has them.
//!
//! Each rule compares a left and a right expression, in the formula language
//! of the derived indicators ([`super::formula`]), with an operator:
//!
//! ```toml
//! [[rule]]
//! code = "HN_THOAT_VUOT_HN_DAU"
//! left = "HN_THOAT"
//! op = "<="
//! right = "HN_DAU"
//! severity = "warning"
//! message = "Số hộ thoát nghèo lớn hơn số hộ nghèo đầu năm."
//! ```
//!
//! A name in an expression is an indicator's value since 1 January
//! (`HN_THOAT`; for a stock, its value now), `HN_THOAT.thang` its value in
//! the month, `HN_THOAT.kh` its yearly target, and `VON.KH`, `VON.THANG`,
//! `VON.LUY_KE` the unit's allocated capital, disbursed in the month and
//! disbursed since January, in million đồng. `op = "whole"` (no `right`)
//! asks for a whole number. `each = "flow"` or `each = "count"` applies the
//! rule to every reported flow (or count) indicator, written with `X` in
//! place of the code (`left = "X.thang"`, `right = "X"`). A rule whose
//! operands a unit did not report is skipped for that unit.

use serde::Deserialize;

use super::formula::{Expr, FormulaError};
use crate::domain::{IndicatorCode, IndicatorField, MoneyField};

/// How two sides compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// `<=`
    AtMost,
    /// `<`
    Below,
    /// `>=`
    AtLeast,
    /// `>`
    Above,
    /// `==`
    Equal,
    /// The left side is a whole number.
    Whole,
}

impl Compare {
    fn parse(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "<=" | "≤" => Compare::AtMost,
            "<" => Compare::Below,
            ">=" | "≥" => Compare::AtLeast,
            ">" => Compare::Above,
            "==" | "=" => Compare::Equal,
            "whole" => Compare::Whole,
            _ => return None,
        })
    }

    /// The operator as a person reads it.
    pub fn symbol(self) -> &'static str {
        match self {
            Compare::AtMost => "≤",
            Compare::Below => "<",
            Compare::AtLeast => "≥",
            Compare::Above => ">",
            Compare::Equal => "=",
            Compare::Whole => "là số nguyên",
        }
    }

    /// True when `left op right` holds, with a tolerance for rounding in the
    /// sixth decimal (rates are fractions).
    pub fn holds(self, left: f64, right: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Compare::AtMost => left <= right + EPS,
            Compare::Below => left < right - EPS,
            Compare::AtLeast => left + EPS >= right,
            Compare::Above => left > right + EPS,
            Compare::Equal => (left - right).abs() <= EPS * left.abs().max(right.abs()).max(1.0),
            Compare::Whole => (left - left.round()).abs() <= 1e-9,
        }
    }
}

/// Which indicators an `each` rule is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Each {
    /// Every reported, non-derived flow indicator.
    Flow,
    /// Every reported, non-derived count indicator.
    Count,
}

/// One validation rule.
#[derive(Debug, Clone)]
pub struct ValidationRule {
    /// Its code, shown with the finding (a built-in rule code such as
    /// `HO_NGHEO_AM` keeps that rule's name).
    pub code: String,
    /// Left side.
    pub left: Expr,
    /// The operator.
    pub op: Compare,
    /// Right side (`None` for `whole`).
    pub right: Option<Expr>,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// What the unit is told, in Vietnamese.
    pub message: String,
    /// Applied to each indicator of a kind, `X` standing for its code.
    pub each: Option<Each>,
    /// The (left, right) pairs checked: the rule itself, or for an `each`
    /// rule one pair per indicator ([`expand`]).
    pub instances: Vec<(Expr, Option<Expr>)>,
}

/// What a name in a rule expression stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name<'a> {
    /// An indicator (or `X`) and which of its values.
    Indicator(&'a str, IndicatorField),
    /// The unit's total of a money field, in million đồng.
    Money(MoneyField),
}

/// The name a rule uses for a unit's total of a money field.
pub fn money_name(field: MoneyField) -> &'static str {
    match field {
        MoneyField::Allocated => "VON.KH",
        MoneyField::DisbursedMonth => "VON.THANG",
        MoneyField::DisbursedCumulative => "VON.LUY_KE",
    }
}

/// The name a rule uses for one value of an indicator: `HN_THOAT`,
/// `HN_THOAT.thang`, `HN_THOAT.kh`.
pub fn indicator_name(code: &str, field: IndicatorField) -> String {
    match field {
        IndicatorField::Achieved => code.to_string(),
        IndicatorField::Month => format!("{code}.thang"),
        IndicatorField::Target => format!("{code}.kh"),
    }
}

/// Splits `HN_THOAT.thang`, `HN_THOAT.kh`, `HN_THOAT`, `VON.KH`.
pub fn name_of(text: &str) -> Name<'_> {
    if let Some(field) = MoneyField::ALL.into_iter().find(|f| money_name(*f) == text) {
        return Name::Money(field);
    }
    match text.rsplit_once('.') {
        Some((code, "thang")) => Name::Indicator(code, IndicatorField::Month),
        Some((code, "kh")) => Name::Indicator(code, IndicatorField::Target),
        _ => Name::Indicator(text, IndicatorField::Achieved),
    }
}

/// `X` replaced by an indicator's code.
fn substitute(expr: &Expr, code: &str) -> Expr {
    match expr {
        Expr::Number(n) => Expr::Number(*n),
        Expr::Ref(r) => match r.as_str().strip_prefix('X') {
            Some("") => Expr::Ref(IndicatorCode::new(code)),
            Some(rest) if rest.starts_with('.') => Expr::Ref(IndicatorCode::new(format!("{code}{rest}"))),
            _ => Expr::Ref(r.clone()),
        },
        Expr::Neg(e) => Expr::Neg(Box::new(substitute(e, code))),
        Expr::Binary(a, op, b) => Expr::Binary(Box::new(substitute(a, code)), *op, Box::new(substitute(b, code))),
    }
}

/// Writes out each `each` rule once per indicator of its kind (once, when
/// the config is loaded, not for every unit).
pub fn expand(rules: &mut [ValidationRule], indicators: &super::Indicators) {
    use super::indicators::{Kind, Measure};
    for rule in rules {
        let Some(each) = rule.each else { continue };
        rule.instances = indicators
            .list
            .iter()
            .filter(|i| !i.is_derived())
            .filter(|i| match each {
                Each::Flow => i.kind == Kind::Flow,
                Each::Count => i.measure == Measure::Count,
            })
            .map(|i| {
                (substitute(&rule.left, i.code.as_str()), rule.right.as_ref().map(|r| substitute(r, i.code.as_str())))
            })
            .collect();
    }
}

/// True when a name in a rule means something: an indicator's value, `X`
/// in an `each` rule, or a money total.
pub fn is_known_name(text: &str, indicators: &super::Indicators, each: bool) -> bool {
    match name_of(text) {
        Name::Money(_) => true,
        Name::Indicator(code, _) => (each && code == "X") || indicators.get(&IndicatorCode::new(code)).is_some(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    code: String,
    left: String,
    op: String,
    right: Option<String>,
    #[serde(default = "warning")]
    severity: String,
    message: String,
    each: Option<String>,
}

fn warning() -> String {
    "warning".into()
}

/// Reads `rules.toml`'s text. An error names the rule.
///
/// # Errors
///
/// A message naming the rule and what is wrong.
pub fn parse(text: &str) -> Result<Vec<ValidationRule>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out: Vec<ValidationRule> = Vec::new();
    for raw in file.rule {
        let code = raw.code.trim().to_string();
        let fail = |what: String| format!("rule '{code}': {what}");
        if code.is_empty() {
            return Err("a rule has an empty code".into());
        }
        if out.iter().any(|r| r.code == code) {
            return Err(fail("this code is used twice".into()));
        }
        let formula = |text: &str| Expr::parse(text).map_err(|e: FormulaError| fail(format!("'{text}': {e}")));
        let op =
            Compare::parse(&raw.op).ok_or_else(|| fail(format!("op '{}': write <=, <, >=, >, == or whole", raw.op)))?;
        let right = match (&raw.right, op) {
            (None, Compare::Whole) => None,
            (Some(_), Compare::Whole) => return Err(fail("op 'whole' takes no right side".into())),
            (Some(r), _) => Some(formula(r)?),
            (None, _) => return Err(fail("a right side is needed".into())),
        };
        let severity = raw.severity.trim().to_ascii_lowercase();
        if !matches!(severity.as_str(), "error" | "warning" | "info") {
            return Err(fail(format!("severity '{}': write error, warning or info", raw.severity)));
        }
        let each = match raw.each.as_deref().map(str::trim) {
            None => None,
            Some("flow") => Some(Each::Flow),
            Some("count") => Some(Each::Count),
            Some(other) => return Err(fail(format!("each '{other}': write flow or count"))),
        };
        if raw.message.trim().is_empty() {
            return Err(fail("the message is empty".into()));
        }
        let left = formula(&raw.left)?;
        let instances = vec![(left.clone(), right.clone())];
        out.push(ValidationRule {
            code: code.clone(),
            left,
            op,
            right,
            severity,
            message: raw.message.trim().to_string(),
            each,
            instances,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_names_the_broken_rule() {
        let rules = parse(
            "[[rule]]\ncode = \"A\"\nleft = \"HN_THOAT\"\nop = \"<=\"\nright = \"HN_DAU\"\nmessage = \"x\"\n\
             [[rule]]\ncode = \"B\"\nleft = \"X\"\nop = \"whole\"\neach = \"count\"\nseverity = \"info\"\nmessage = \"y\"\n",
        )
        .unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].op, Compare::AtMost);
        assert_eq!(rules[1].each, Some(Each::Count));
        let err =
            parse("[[rule]]\ncode = \"C\"\nleft = \"A +\"\nop = \"<\"\nright = \"1\"\nmessage = \"z\"\n").unwrap_err();
        assert!(err.starts_with("rule 'C'"), "{err}");
        assert!(parse("[[rule]]\ncode = \"D\"\nleft = \"A\"\nop = \"~\"\nright = \"1\"\nmessage = \"z\"\n").is_err());
    }

    #[test]
    fn x_stands_for_each_code() {
        let e = Expr::parse("X.thang - X + XA").unwrap();
        assert_eq!(substitute(&e, "HN_THOAT").to_string(), "((HN_THOAT.thang - HN_THOAT) + XA)");
    }

    #[test]
    fn comparisons_tolerate_rounding_only() {
        assert!(Compare::AtMost.holds(100.0, 100.0));
        assert!(!Compare::AtMost.holds(100.5, 100.0));
        assert!(Compare::Whole.holds(12.0, 0.0));
        assert!(!Compare::Whole.holds(12.5, 0.0));
        assert!(Compare::AtLeast.holds(0.0, 0.0));
        assert!(!Compare::AtLeast.holds(-1.0, 0.0));
    }
}
