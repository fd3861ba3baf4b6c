//! The period's tidy data as CSV, for people who open it in Excel (UTF-8
//! with a byte-order mark so Vietnamese shows right; text never becomes a formula).

use std::fmt::Write as _;

use crate::compute::frames::{TidyRef, TidyValueRef};
use crate::domain::Period;
use crate::text::defuse_formula;

/// Writes the rows as CSV to `out` (a file, as they are produced: the CSV of
/// ten thousand units is hundreds of megabytes, never held in memory).
///
/// # Errors
///
/// The csv writer's error, on I/O.
pub fn write_csv<'a, W: std::io::Write>(rows: impl Iterator<Item = TidyRef<'a>>, mut out: W) -> Result<(), csv::Error> {
    out.write_all("\u{FEFF}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "period",
        "unit",
        "reported_by",
        "kind",
        "item",
        "source",
        "field",
        "value_dong",
        "value",
        "file",
        "sheet",
        "cell",
        "sha256",
    ])?;
    let mut period: Option<(Period, String)> = None;
    let (mut dong, mut value, mut cell) = (String::new(), String::new(), String::new());
    for r in rows {
        if period.as_ref().is_none_or(|(p, _)| *p != r.period) {
            period = Some((r.period, r.period.to_string()));
        }
        let period_text = period.as_ref().map_or("", |(_, t)| t.as_str());
        dong.clear();
        value.clear();
        let (kind, item, source, field) = match r.value {
            TidyValueRef::Money { project, source, field, value: v } => {
                let _ = write!(dong, "{}", v.0);
                ("von", project, source, field.key())
            }
            TidyValueRef::Indicator { code, field, value: v } => {
                let _ = write!(value, "{v}");
                ("chi_tieu", code, "", field.key())
            }
        };
        w.write_record([
            period_text,
            &defuse_formula(r.unit),
            &defuse_formula(r.reported_by),
            kind,
            &defuse_formula(item),
            &defuse_formula(source),
            field,
            &dong,
            &value,
            &defuse_formula(r.file),
            &defuse_formula(r.sheet),
            r.cell.write_to(&mut cell),
            r.sha256,
        ])?;
    }
    w.flush()?;
    Ok(())
}
