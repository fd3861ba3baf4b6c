//! One workbook checked on its own, as a unit does before sending it
//! (`gnbv check`): read, then checked against its own period, with no month
//! around it (no other units, no history).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::Path;

use super::{Previous, apply_overrides, check_report};
use crate::config::Config;
use crate::read::official::{DecisionError, Decisions};
use crate::read::{self, UnitReport};

/// What checking a file gave.
#[derive(Debug)]
pub enum Checked {
    /// The file was read; its findings are in the report.
    Report(Box<UnitReport>),
    /// The file could not be opened at all.
    Unreadable(std::io::Error),
}

/// Checks files one after another, reading each year's official decisions
/// once for all of them.
pub struct FileChecker<'a> {
    config: &'a Config,
    decisions_of: BTreeMap<i32, Decisions>,
}

impl<'a> FileChecker<'a> {
    /// A checker for `config`.
    pub fn new(config: &'a Config) -> Self {
        Self { config, decisions_of: BTreeMap::new() }
    }

    /// Reads and checks one file. A workbook whose period is unknown gets
    /// only the reader's findings (with the config's severity overrides).
    ///
    /// # Errors
    ///
    /// The official decisions of the workbook's year cannot be read (a
    /// config error, not the file's).
    pub fn check(&mut self, path: &Path) -> Result<Checked, DecisionError> {
        let config = self.config;
        let root = path.parent().unwrap_or_else(|| Path::new(""));
        let mut report = match read::load_file(path, root, config.settings.limits.max_file_bytes()) {
            Ok((file, bytes)) => read::read_workbook(file, bytes, config),
            Err(e) => return Ok(Checked::Unreadable(e)),
        };
        if let Some(period) = report.file.period_hint.or(report.identity.period) {
            let year = period.year();
            let decisions = match self.decisions_of.entry(year) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => slot.insert(match config.catalogue_for(year) {
                    Ok(catalogue) => read::official::load(config, catalogue, year)?,
                    Err(_) => Decisions::default(),
                }),
            };
            check_report(&mut report, config, period, &Previous::default(), decisions);
        } else {
            apply_overrides(&mut report.findings, config);
        }
        Ok(Checked::Report(Box::new(report)))
    }
}
