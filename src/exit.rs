//! Exit codes, for the person on call and for cron.

/// How a command ended. The numeric codes are documented in the README and
/// are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: the report is written, every expected unit sent an accepted
    /// workbook (`check`: the file would be accepted).
    Clean,
    /// 1: the report is written, but units are missing or rejected, or
    /// findings are errors (`check`: the file would be rejected).
    Problems,
    /// 2: no report: the command line or the config is wrong.
    Usage,
    /// 3: no report: no unit workbook for the period in the input folder.
    NoInput,
    /// 4: no report: another run holds the output folder's lock.
    Locked,
    /// 5: no report: the output could not be written.
    Failed,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Problems => 1,
            ExitStatus::Usage => 2,
            ExitStatus::NoInput => 3,
            ExitStatus::Locked => 4,
            ExitStatus::Failed => 5,
        }
    }

    /// The worse of two statuses (for a run over several periods).
    #[must_use]
    pub fn worst(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }
}

/// A command that could not finish: what to print and which code to return.
#[derive(Debug)]
pub struct Failure {
    /// The status.
    pub status: ExitStatus,
    /// The error chain, printed once.
    pub error: anyhow::Error,
}

/// Attaches an exit status to an error.
pub trait OrExit<T> {
    /// Maps an error to a [`Failure`] with `status`.
    fn or_exit(self, status: ExitStatus) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> OrExit<T> for Result<T, E> {
    fn or_exit(self, status: ExitStatus) -> Result<T, Failure> {
        self.map_err(|e| Failure { status, error: e.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::ExitStatus;

    #[test]
    fn codes_are_stable_and_ordered_by_severity() {
        let all = [
            ExitStatus::Clean,
            ExitStatus::Problems,
            ExitStatus::Usage,
            ExitStatus::NoInput,
            ExitStatus::Locked,
            ExitStatus::Failed,
        ];
        let codes: Vec<u8> = all.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5]);
        assert_eq!(ExitStatus::Clean.worst(ExitStatus::Problems), ExitStatus::Problems);
    }
}
