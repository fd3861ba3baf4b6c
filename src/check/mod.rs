//! Checking: the rules of SPEC §7 applied to what was read.
//!
//! The reader records problems it meets while reading (a missing column, an
//! error cell); this layer applies the rules about meaning: money that does
//! not add up, a period that does not match, figures that go backwards, a
//! unit that sent nothing. Every result is a [`Finding`]; only `Error`
//! findings reject a workbook, and config may change any rule's severity.

mod file;
pub mod rules;
mod validation;

// The vocabulary of findings lives below the readers and the config, which
// both name rules; it is re-exported here, where the rules are applied.
pub use crate::finding::{self, Finding, Rule, Severity};
pub use file::{Checked, FileChecker};
pub use rules::{Previous, check_report};

use crate::config::Config;

/// Applies `[rules]` severity overrides from `settings.toml`.
pub fn apply_overrides(findings: &mut [Finding], config: &Config) {
    if config.settings.rules.is_empty() {
        return;
    }
    for f in findings {
        if let Some(sev) = config.settings.rules.get(f.rule.code()).and_then(|s| Severity::from_config(s)) {
            f.severity = sev;
        }
    }
}
