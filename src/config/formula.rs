//! Formulas of derived indicators, as written in `config/indicators.toml`.
//!
//! A formula is arithmetic over indicator codes and numbers:
//! `HN_DAU - HN_THOAT + HN_PS + HN_TAI`, `HN_CUOI / HO_TONG`, `(A + B) * 100`. Evaluation gives
//! `None` when an operand is missing or a division has a zero divisor, never
//! NaN or infinity (SPEC §5).

use std::collections::BTreeSet;
use std::fmt;

use crate::domain::IndicatorCode;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Number(f64),
    /// Another indicator's value.
    Ref(IndicatorCode),
    /// `-x`
    Neg(Box<Expr>),
    /// `a op b`
    Binary(Box<Expr>, Op, Box<Expr>),
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// Why a formula could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at character {position}")]
pub struct FormulaError {
    /// What is wrong.
    pub message: String,
    /// Zero-based character position.
    pub position: usize,
}

impl Expr {
    /// Parses a formula.
    ///
    /// # Examples
    ///
    /// ```
    /// use gnbv::config::formula::Expr;
    /// let e = Expr::parse("HN_DAU - HN_THOAT + HN_PS").unwrap();
    /// assert_eq!(e.references().len(), 3);
    /// assert!(Expr::parse("A +").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Expr, FormulaError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser { tokens: &tokens, at: 0 };
        let expr = parser.sum()?;
        if let Some((_, pos)) = parser.tokens.get(parser.at) {
            return Err(FormulaError { message: "unexpected text after the formula".into(), position: *pos });
        }
        Ok(expr)
    }

    /// Every indicator the formula reads.
    pub fn references(&self) -> BTreeSet<IndicatorCode> {
        let mut out = BTreeSet::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs(&self, out: &mut BTreeSet<IndicatorCode>) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(code) => {
                out.insert(code.clone());
            }
            Expr::Neg(inner) => inner.collect_refs(out),
            Expr::Binary(a, _, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
        }
    }

    /// Evaluates with `value` giving each referenced indicator; `None` when a
    /// value is missing or a divisor is zero.
    pub fn eval(&self, value: &dyn Fn(&IndicatorCode) -> Option<f64>) -> Option<f64> {
        let result = match self {
            Expr::Number(n) => *n,
            Expr::Ref(code) => value(code)?,
            Expr::Neg(inner) => -inner.eval(value)?,
            Expr::Binary(a, op, b) => {
                let (a, b) = (a.eval(value)?, b.eval(value)?);
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div => {
                        if b == 0.0 {
                            return None;
                        }
                        a / b
                    }
                }
            }
        };
        result.is_finite().then_some(result)
    }

    /// The divisor of a top-level division (`HN_CUOI / HO_TONG` gives `HO_TONG`),
    /// used to weight units' targets of a ratio when they are added up.
    pub fn denominator(&self) -> Option<&Expr> {
        match self {
            Expr::Binary(_, Op::Div, b) => Some(b),
            _ => None,
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Ref(code) => write!(f, "{code}"),
            Expr::Neg(inner) => write!(f, "-({inner})"),
            Expr::Binary(a, op, b) => {
                let sym = match op {
                    Op::Add => "+",
                    Op::Sub => "-",
                    Op::Mul => "*",
                    Op::Div => "/",
                };
                write!(f, "({a} {sym} {b})")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Ident(String),
    Sym(char),
}

fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let literal: String = chars[start..i].iter().collect();
            let number = literal
                .parse::<f64>()
                .map_err(|_| FormulaError { message: format!("'{literal}' is not a number"), position: start })?;
            tokens.push((Token::Number(number), start));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            tokens.push((Token::Ident(chars[start..i].iter().collect()), start));
        } else if "+-*/()".contains(c) {
            tokens.push((Token::Sym(c), i));
            i += 1;
        } else {
            return Err(FormulaError { message: format!("unexpected character '{c}'"), position: i });
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [(Token, usize)],
    at: usize,
}

impl Parser<'_> {
    fn peek_sym(&self) -> Option<char> {
        match self.tokens.get(self.at) {
            Some((Token::Sym(c), _)) => Some(*c),
            _ => None,
        }
    }

    fn end_position(&self) -> usize {
        self.tokens.last().map_or(0, |(_, p)| p + 1)
    }

    fn sum(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.product()?;
        while let Some(c @ ('+' | '-')) = self.peek_sym() {
            self.at += 1;
            let right = self.product()?;
            let op = if c == '+' { Op::Add } else { Op::Sub };
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        while let Some(c @ ('*' | '/')) = self.peek_sym() {
            self.at += 1;
            let right = self.unary()?;
            let op = if c == '*' { Op::Mul } else { Op::Div };
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        if self.peek_sym() == Some('-') {
            self.at += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, FormulaError> {
        let Some((token, pos)) = self.tokens.get(self.at) else {
            return Err(FormulaError { message: "the formula ends too early".into(), position: self.end_position() });
        };
        self.at += 1;
        match token {
            Token::Number(n) => Ok(Expr::Number(*n)),
            Token::Ident(name) => Ok(Expr::Ref(IndicatorCode::new(name))),
            Token::Sym('(') => {
                let inner = self.sum()?;
                if self.peek_sym() != Some(')') {
                    return Err(FormulaError { message: "a ')' is missing".into(), position: *pos });
                }
                self.at += 1;
                Ok(inner)
            }
            Token::Sym(c) => Err(FormulaError { message: format!("unexpected '{c}'"), position: *pos }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(formula: &str, values: &[(&str, f64)]) -> Option<f64> {
        let expr = Expr::parse(formula).unwrap();
        expr.eval(&|code: &IndicatorCode| values.iter().find(|(c, _)| *c == code.as_str()).map(|(_, v)| *v))
    }

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(eval("A - B + C + D", &[("A", 10.0), ("B", 3.0), ("C", 2.0), ("D", 1.0)]), Some(10.0));
        assert_eq!(eval("A + B * 2", &[("A", 1.0), ("B", 3.0)]), Some(7.0));
        assert_eq!(eval("(A + B) * 2", &[("A", 1.0), ("B", 3.0)]), Some(8.0));
        assert_eq!(eval("-A + 5", &[("A", 1.0)]), Some(4.0));
    }

    #[test]
    fn missing_or_zero_divisor_is_none_never_nan() {
        assert_eq!(eval("A / B", &[("A", 1.0), ("B", 0.0)]), None);
        assert_eq!(eval("A / B", &[("A", 1.0)]), None);
        assert_eq!(eval("A / B", &[("A", 1.0), ("B", 4.0)]), Some(0.25));
    }

    #[test]
    fn errors_name_the_position() {
        assert_eq!(Expr::parse("A + ").unwrap_err().position, 3);
        assert!(Expr::parse("A $ B").unwrap_err().message.contains('$'));
        assert!(Expr::parse("(A + B").is_err());
        assert!(Expr::parse("A B").is_err());
    }

    #[test]
    fn denominator_of_a_ratio() {
        let e = Expr::parse("HN_CUOI / HO_TONG").unwrap();
        assert_eq!(e.denominator(), Some(&Expr::Ref(IndicatorCode::new("HO_TONG"))));
        assert_eq!(Expr::parse("A - B").unwrap().denominator(), None);
    }
}
