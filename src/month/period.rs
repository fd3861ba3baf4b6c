//! One period of a run: history, assembly and checks, computation, every
//! output into staging, the run log, the atomic commit.

use std::time::Instant;

use super::outputs::{EXCEL_MAX_ROWS, write_outputs, write_tidy};
use super::record::{changes_since, one_line, read_previous_summary, run_log};
use super::{Counts, Skipped, Written};
use crate::compute::Consolidation;
use crate::compute::history::History;
use crate::config::Config;
use crate::domain::Period;
use crate::exit::{ExitStatus, Failure, OrExit};
use crate::finding::Severity;
use crate::output::{self, Staging};
use crate::paths::Paths;
use crate::read::UnitReport;
use crate::read::official::Decisions;
use crate::write::{self, Doc, RunInfo};

/// Runs one period over the reports read and commits its outputs.
pub(super) fn run_period(
    period: Period,
    reports: Vec<UnitReport>,
    skipped: &[Skipped],
    config: &Config,
    decisions: &Decisions,
    dirs: &Paths,
    recorded: chrono::NaiveDateTime,
) -> Result<Written, Failure> {
    let started = Instant::now();
    let mut step = Step::new(period);
    let catalogue = config.catalogue_for(period.year()).or_exit(ExitStatus::Usage)?;
    let history = History::load(&dirs.output, period);
    step.done("history");
    for problem in &history.unreadable {
        tracing::warn!("history not readable: {problem}");
    }
    let previous = history.previous(period);
    let mut month = super::assemble(reports, period, config, &previous, decisions);
    super::carry_predecessors(&mut month, &history, config);
    step.done("assemble and check");
    if month.reports.is_empty() {
        return Err(Failure {
            status: ExitStatus::NoInput,
            error: anyhow::anyhow!("no unit workbook for {} under {}", period, dirs.input.display()),
        });
    }
    let period_dir = dirs.output.join(period.to_string());
    let mut staging = Staging::new(&dirs.output, period).or_exit(ExitStatus::Failed)?;
    let report_name = output::report_file_name(period);
    let tidy_path = staging.path(&output::tidy_file_name(period)).or_exit(ExitStatus::Failed)?;
    // The CSV copy is for opening in Excel: past Excel's 1,048,576 rows it
    // could not be opened, so at national scale only the Parquet file is kept.
    let csv_path = if month.tidy().count() < EXCEL_MAX_ROWS {
        Some(staging.path(&output::tidy_csv_name(period)).or_exit(ExitStatus::Failed)?)
    } else {
        tracing::info!("{period}: tidy data over Excel's row limit, written as Parquet only");
        None
    };
    // The tidy data needs only what was read: it is written while the
    // figures are computed and the other outputs are written.
    let (tidy, rest) = rayon::join(
        || write_tidy(&month, &tidy_path, csv_path.as_deref()),
        || {
            let figures =
                Consolidation::compute(period, &month.figures, month.money_figures(), config, catalogue, &history);
            step.done("compute");
            let doc = Doc::new(config, catalogue, period, recorded)
                .with_whole_money(figures.capital.all_whole(config.settings.report.money_unit));
            let before = read_previous_summary(&period_dir);
            let mut run = RunInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
                input: dirs.input.display().to_string(),
                config: dirs.config.display().to_string(),
                files: month
                    .reports
                    .iter()
                    .map(|r| (r.file.name.clone(), r.file.sha256.clone(), r.file.size))
                    .collect(),
                skipped: skipped.iter().map(|s| (s.name.clone(), s.reason.clone())).collect(),
                history: history.periods.keys().copied().collect(),
                changes: Vec::new(),
            };
            run.changes = changes_since(before.as_ref(), &month, &figures, &run.files);
            let digest = write::digest::text(&doc, &month, &figures, &run.changes, &period_dir.join(&report_name));
            write_outputs(&doc, &month, &figures, &run, &digest, &mut staging).map(|()| (figures, doc, run, digest))
        },
    );
    let (figures, doc, run, digest) = rest.or_exit(ExitStatus::Failed)?;
    tidy.or_exit(ExitStatus::Failed)?;
    step.done("outputs");

    let report = period_dir.join(&report_name);
    let line = one_line(&doc, &month, &figures, &report);
    let log = run_log(&month, &figures, &run, &line, started.elapsed());
    staging.write(output::LOG_FILE, log.as_bytes()).or_exit(ExitStatus::Failed)?;
    let stamp = recorded.format("%Y%m%dT%H%M%S").to_string();
    let committed = staging.commit(&stamp, &report_name).or_exit(ExitStatus::Failed)?;
    step.done("log and commit");
    if let Some(archive) = &committed.archived_to {
        tracing::info!("previous report of {period} archived in {}", archive.display());
    }
    let counts = Counts {
        files: month.reports.len(),
        expected: month.expected(),
        received: month.received(),
        on_time: month.on_time(),
        rejected: month.rejected(),
        errors: month.count(Severity::Error),
        warnings: month.count(Severity::Warning),
    };
    let clean = counts.rejected == 0 && counts.received == counts.expected && counts.errors == 0;
    Ok(Written {
        period,
        status: if clean { ExitStatus::Clean } else { ExitStatus::Problems },
        folder: period_dir,
        report,
        files: committed.files,
        archived_to: committed.archived_to,
        line,
        digest,
        changes: run.changes,
        counts,
    })
}

/// Times the steps of a period's run, for `--verbose`.
struct Step {
    period: Period,
    last: Instant,
}

impl Step {
    fn new(period: Period) -> Self {
        Self { period, last: Instant::now() }
    }

    fn done(&mut self, what: &str) {
        tracing::debug!(
            "{}: {what} in {:.2?} (cpu so far {:.2} s, peak memory so far {} MiB)",
            self.period,
            self.last.elapsed(),
            crate::cpu_seconds().unwrap_or(f64::NAN),
            crate::peak_memory_bytes().map_or(0, |b| b >> 20)
        );
        self.last = Instant::now();
    }
}
