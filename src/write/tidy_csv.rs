//! The period's tidy data as CSV, for people who open it in Excel (UTF-8
//! with a byte-order mark so Vietnamese shows right; text never becomes a formula).

use crate::compute::frames::{TidyRow, TidyValue};
use crate::text::defuse_formula;

/// The CSV bytes of the rows.
///
/// # Errors
///
/// The csv writer's error (only on I/O, which cannot happen in memory).
pub fn to_csv(rows: &[TidyRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
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
        for r in rows {
            let (kind, item, source, field, dong, value) = match &r.value {
                TidyValue::Money { project, source, field, value } => {
                    ("von", project.to_string(), source.to_string(), field.key(), value.0.to_string(), String::new())
                }
                TidyValue::Indicator { code, field, value } => {
                    ("chi_tieu", code.to_string(), String::new(), field.key(), String::new(), format!("{value}"))
                }
            };
            w.write_record([
                r.period.to_string().as_str(),
                &defuse_formula(r.unit.as_str()),
                &defuse_formula(r.reported_by.as_str()),
                kind,
                &defuse_formula(&item),
                &defuse_formula(&source),
                field,
                &dong,
                &value,
                &defuse_formula(&r.file),
                &defuse_formula(&r.sheet),
                &r.cell,
                &r.sha256,
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}
