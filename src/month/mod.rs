//! The month: everything `gnbv run` does, as one library call ([`run`]).
//!
//! For resolved folders and a loaded config, [`run`] locks the output
//! folder, finds the unit workbooks ([`discovery`]), reads them all once in
//! parallel ([`reading`]), picks the period(s) ([`periods`]), and for each
//! period assembles the month — the period's workbooks checked, one chosen
//! per unit (`choice`), every registered unit's status (`statuses`), the
//! figures of closed units carried to their successor (`carry`) — then
//! computes, writes every output into staging in parallel (`outputs`),
//! logs ([`record`]) and commits atomically. It returns what it wrote; it
//! prints nothing (the command, `gnbv run`, does).
//!
//! The assembled month itself ([`Month`], [`UnitStatus`]) is defined below
//! the writers, in [`crate::assembled`], and re-exported here.

mod assemble;
mod carry;
mod choice;
pub mod discovery;
mod outputs;
mod period;
pub mod periods;
pub mod reading;
pub mod record;
mod statuses;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;

pub use self::assemble::assemble;
pub use self::carry::carry_predecessors;
pub use self::discovery::{Skipped, discover};
pub use self::reading::{period_of, read_all};
pub use crate::assembled::{Month, UnitStatus};
use crate::config::Config;
use crate::domain::Period;
use crate::exit::{ExitStatus, Failure, OrExit};
use crate::output;
use crate::paths::Paths;

/// How to run the month, besides the folders and the config.
pub struct Options<'a> {
    /// The period asked for (`--period`); `None`: the latest period any
    /// workbook is for, with the earlier ones of its year not yet reported.
    pub period: Option<Period>,
    /// How long to wait for another run's lock (`--wait`); `None`: the
    /// config's `lock_wait_seconds`.
    pub wait: Option<Duration>,
    /// The time recorded in the outputs (and "today" for the choice of periods).
    pub recorded: chrono::NaiveDateTime,
    /// Told as the workbooks are read.
    pub progress: &'a dyn Progress,
}

/// Told how the reading goes (a progress bar, for a person at a terminal).
pub trait Progress: Sync {
    /// Reading starts: `files` workbooks.
    fn start(&self, files: usize) {
        let _ = files;
    }
    /// One workbook read.
    fn read_one(&self) {}
    /// Reading is done.
    fn finish(&self) {}
}

/// No progress shown.
impl Progress for () {}

/// The number of units and findings of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Workbooks of the period (used, rejected, duplicates).
    pub files: usize,
    /// Units expected to report.
    pub expected: usize,
    /// Expected units that sent an identified workbook.
    pub received: usize,
    /// Received units whose workbook is dated on or before the deadline.
    pub on_time: usize,
    /// Received units whose workbook is rejected.
    pub rejected: usize,
    /// Findings that are errors.
    pub errors: usize,
    /// Findings that are warnings.
    pub warnings: usize,
}

/// What a period's run wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// The period.
    pub period: Period,
    /// Clean, or problems (units missing or rejected, error findings).
    pub status: ExitStatus,
    /// The period's folder under the output folder.
    pub folder: PathBuf,
    /// The consolidated report workbook.
    pub report: PathBuf,
    /// The files now in the period's folder.
    pub files: Vec<String>,
    /// Where the previous report of the period was archived, if there was one.
    pub archived_to: Option<PathBuf>,
    /// The one line for cron mail and the person on call.
    pub line: String,
    /// The digest (`tom_tat.txt`).
    pub digest: String,
    /// What changed since the previous run of the period.
    pub changes: Vec<String>,
    /// Units and findings.
    pub counts: Counts,
}

/// One period of the run and how it ended.
#[derive(Debug)]
pub struct PeriodOutcome {
    /// The period.
    pub period: Period,
    /// What was written, or why nothing was.
    pub result: Result<Written, Failure>,
}

/// What a run did: each period in order, the period asked for (or the
/// latest) last.
#[derive(Debug)]
pub struct Outcome {
    /// The periods run.
    pub periods: Vec<PeriodOutcome>,
}

impl Outcome {
    /// The exit status of the run, as `gnbv run` returns it: the failure's
    /// when the period asked for (or the latest) fails, else the worst of
    /// the periods'.
    pub fn status(&self) -> ExitStatus {
        if let Some(PeriodOutcome { result: Err(f), .. }) = self.periods.last() {
            return f.status;
        }
        self.periods.iter().fold(ExitStatus::Clean, |status, p| match &p.result {
            Ok(w) => status.worst(w.status),
            Err(f) => status.worst(f.status),
        })
    }

    /// The period asked for (or the latest), which is run last.
    pub fn target(&self) -> Option<&PeriodOutcome> {
        self.periods.last()
    }
}

/// Runs the month: every period the options ask for, over the workbooks
/// under `dirs.input`, into `dirs.output`.
///
/// # Errors
///
/// A [`Failure`] with the exit status of SPEC §7 when no period can be run
/// (the output folder is locked, the input folder cannot be listed, no
/// workbook is found, the year's catalogue or official decisions cannot be
/// read). A period that fails is in the [`Outcome`], with its failure.
pub fn run(dirs: &Paths, config: &Config, options: &Options<'_>) -> Result<Outcome, Failure> {
    let started = Instant::now();
    let wait = options.wait.unwrap_or(Duration::from_secs(config.settings.run.lock_wait_seconds));
    let _lock = output::lock(&dirs.output, wait).or_exit(ExitStatus::Locked)?;
    output::clean_stale(&dirs.output);

    let (paths, skipped) = discover(&dirs.input)
        .with_context(|| format!("reading the input folder {}", dirs.input.display()))
        .or_exit(ExitStatus::NoInput)?;
    options.progress.start(paths.len());
    let tick = || options.progress.read_one();
    let reports = read_all(&paths, &dirs.input, config, &tick);
    options.progress.finish();
    tracing::debug!(
        "read {} workbooks in {:.2?} (cpu {:.2} s, peak memory {} MiB)",
        reports.len(),
        started.elapsed(),
        crate::cpu_seconds().unwrap_or(f64::NAN),
        crate::peak_memory_bytes().map_or(0, |b| b >> 20)
    );

    let periods = match options.period {
        Some(p) => vec![p],
        None => periods::automatic_periods(&reports, &dirs.output, options.recorded.date()),
    };
    let Some(&target) = periods.last() else {
        return Err(Failure {
            status: ExitStatus::NoInput,
            error: anyhow::anyhow!(
                "no unit workbook found under {} (expected .xlsx/.xls/.ods files, e.g. input/2024-06/don_vi.xlsx)",
                dirs.input.display()
            ),
        });
    };
    // Every period of the run is of the target's year (catch-up stays in
    // the year): its official decisions are read once, before any is consolidated.
    let decisions = {
        let catalogue = config.catalogue_for(target.year()).or_exit(ExitStatus::Usage)?;
        crate::read::official::load(config, catalogue, target.year()).or_exit(ExitStatus::Usage)?
    };
    let mut reports = Some(reports);
    let count = periods.len();
    let mut outcome = Outcome { periods: Vec::with_capacity(count) };
    for (i, period) in periods.into_iter().enumerate() {
        // The last period takes the reports; earlier ones get a copy.
        let these = if i + 1 == count { reports.take() } else { reports.clone() }.unwrap_or_default();
        debug_assert_eq!(period.year(), target.year());
        let result = period::run_period(period, these, &skipped, config, &decisions, dirs, options.recorded);
        outcome.periods.push(PeriodOutcome { period, result });
    }
    tracing::debug!("done in {:.2?}", started.elapsed());
    Ok(outcome)
}
