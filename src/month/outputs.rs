//! The period's outputs written into staging, in parallel: the report
//! workbook, `summary.json`, the layouts, the upward workbook, one feedback
//! workbook per unit with findings, and the tidy data.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;

use super::{Month, UnitStatus};
use crate::compute::Consolidation;
use crate::output::{self, Staging};
use crate::write::report::ReportData;
use crate::write::upward::upward_content;
use crate::write::{self, Doc, RunInfo};

/// Writes every output of the period into staging. The outputs are
/// independent of each other, so they are written in parallel (the report
/// workbook's sheets too), each file straight to disk as it is produced and
/// synced before the commit renames it into place.
pub(super) fn write_outputs(
    doc: &Doc<'_>,
    month: &Month,
    figures: &Consolidation,
    run: &RunInfo,
    digest: &str,
    staging: &mut Staging,
) -> anyhow::Result<()> {
    let period = doc.period;
    staging.write(write::digest::FILE, digest.as_bytes())?;
    // Paths are reserved in the order the files are committed.
    let report_path = staging.path(&output::report_file_name(period))?;
    let upward_path = staging.path(&output::upward_file_name(&doc.config.settings.agency.code, period))?;
    let summary_path = staging.path(output::SUMMARY_FILE)?;
    let layout_path = staging.path(&output::layout_file_name(period))?;
    let statuses: BTreeMap<&crate::domain::UnitCode, &UnitStatus> =
        month.statuses.iter().map(|s| (&s.unit, s)).collect();
    // Each file's layout, for its unit's feedback (looked up once per unit).
    let layouts: BTreeMap<&str, &[String]> =
        month.reports.iter().map(|r| (r.file.name.as_str(), r.layout.as_slice())).collect();
    let mut feedback = Vec::new();
    for (unit, findings) in feedback_by_unit(month) {
        let name = format!("{}/{}", output::FEEDBACK_DIR, output::feedback_file_name(unit.as_str(), period));
        feedback.push((staging.path(&name)?, unit, findings));
    }

    let tempdir = staging.scratch()?;
    let failure: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
    let job = |what: &'static str, f: &(dyn Fn() -> anyhow::Result<()> + Sync)| {
        let started = Instant::now();
        if let Err(e) = f() {
            let mut slot = failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            slot.get_or_insert(e.context(what));
        }
        tracing::debug!("{period}: {what} in {:.2?}", started.elapsed());
    };
    let data = ReportData { month, figures, run };
    rayon::scope(|scope| {
        scope.spawn(|_| {
            job("report workbook", &|| {
                let mut out = output::create_buffered(&report_path)?;
                write::report::write_to(doc, &data, &tempdir, &mut out)?;
                Ok(output::finish_synced(out)?)
            });
        });
        scope.spawn(|_| {
            job("summary.json", &|| {
                let generated_at = doc.recorded.format("%Y-%m-%dT%H:%M:%S").to_string();
                let summary =
                    write::summary::build(doc.config, &doc.catalogue.program.code, month, figures, &generated_at);
                let mut out = output::create_buffered(&summary_path)?;
                // Indented for people up to a province; compact at national scale.
                let pretty = month.statuses.len() <= 1_000;
                write::summary::write_json(&summary, &mut out, pretty)?;
                Ok(output::finish_synced(out)?)
            });
        });
        scope.spawn(|_| {
            job("layouts", &|| {
                // Streamed to the file: at national scale it is tens of megabytes.
                let mut out = output::create_buffered(&layout_path)?;
                serde_json::to_writer_pretty(&mut out, &month.layouts())?;
                Ok(output::finish_synced(out)?)
            });
        });
        scope.spawn(|_| {
            job("upward workbook", &|| {
                let content = upward_content(doc.config, month, figures, doc.recorded.date());
                let bytes = write::unit_workbook::workbook(doc, &content)?;
                Ok(output::write_synced(&upward_path, &bytes)?)
            });
        });
        scope.spawn(|_| {
            job("feedback workbooks", &|| {
                feedback.par_iter().try_for_each(|(path, unit, findings)| -> anyhow::Result<()> {
                    let bytes = feedback_workbook(doc, &layouts, statuses.get(unit).copied(), unit, findings)?;
                    Ok(output::write_synced(path, &bytes)?)
                })
            });
        });
    });
    match failure.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Writes the period's tidy data, as Parquet and as CSV (in parallel).
/// Rows an Excel worksheet holds (the CSV's header row included).
pub(super) const EXCEL_MAX_ROWS: usize = 1_048_576;

pub(super) fn write_tidy(month: &Month, parquet: &Path, csv: Option<&Path>) -> anyhow::Result<()> {
    let timed = |what: &str, f: &dyn Fn() -> anyhow::Result<()>| {
        let started = Instant::now();
        let result = f().with_context(|| what.to_string());
        tracing::debug!("{}: {what} in {:.2?}", month.period, started.elapsed());
        result
    };
    let (a, b) = rayon::join(
        || {
            timed("parquet", &|| {
                crate::compute::frames::write_parquet_rows(month.tidy(), parquet)?;
                Ok(output::sync_file(parquet)?)
            })
        },
        || {
            let Some(csv) = csv else { return Ok(()) };
            timed("tidy csv", &|| {
                let mut out = output::create_buffered(csv)?;
                write::tidy_csv::write_csv(month.tidy(), &mut out)?;
                Ok(output::finish_synced(out)?)
            })
        },
    );
    a.and(b)
}

/// Each unit with findings, and its findings in order.
fn feedback_by_unit(month: &Month) -> BTreeMap<&crate::domain::UnitCode, Vec<&crate::check::Finding>> {
    let mut by_unit: BTreeMap<&crate::domain::UnitCode, Vec<&crate::check::Finding>> = BTreeMap::new();
    for f in &month.findings {
        if let Some(u) = &f.unit {
            by_unit.entry(u).or_default().push(f);
        }
    }
    by_unit
}

/// A unit's feedback workbook.
fn feedback_workbook(
    doc: &Doc<'_>,
    layouts: &BTreeMap<&str, &[String]>,
    status: Option<&UnitStatus>,
    unit: &crate::domain::UnitCode,
    findings: &[&crate::check::Finding],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let name = status.map_or_else(|| unit.to_string(), |s| s.name.clone());
    let file = status.and_then(|s| s.file.as_deref());
    let layout = file.and_then(|f| layouts.get(f).copied()).unwrap_or_default();
    let feedback = write::feedback::Feedback {
        code: unit.as_str(),
        name: &name,
        file: status.and_then(|s| s.file.as_deref()),
        rejected: status.is_some_and(|s| s.rejected),
        missing: status.is_some_and(|s| !s.received),
        findings: findings.to_vec(),
        layout,
    };
    write::feedback::workbook(doc, &feedback)
}
