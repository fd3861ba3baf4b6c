//! The command line (SPEC §7, contract): `gnbv run`, `gnbv check`,
//! `gnbv template`. clap is used here and nowhere else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::Period;

/// gnbv — tổng hợp báo cáo tháng Chương trình MTQG giảm nghèo bền vững.
///
/// Reads every unit's monthly workbook, checks it, and writes the consolidated
/// report appendices, the report for the level above and summary.json.
#[derive(Debug, Parser)]
#[command(name = "gnbv", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  gnbv run                          the month's job on input/, into output/
  gnbv run --period 2024-06         a given month
  gnbv check input/2024-06/*.xlsx   check files before sending them
  gnbv template --period 2024-07    blank workbooks for every unit";

/// Options for every command.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Print only errors (and the one-line summary of `run`).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail about each step.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Consolidate a month: read, check, compute and write every output.
    Run(RunArgs),
    /// Check unit workbooks without consolidating; print every finding.
    Check(CheckArgs),
    /// Write the blank workbook for each registered unit.
    Template(TemplateArgs),
}

/// `gnbv run`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  gnbv run
  gnbv run --period 2024-06 --input /srv/gnbv/input --output /srv/gnbv/output

Without --period, the period is the latest month for which the input folder
holds a workbook (by its folder name such as input/2024-06/, else its
'Kỳ báo cáo'); earlier months of the same year that have no report yet are
consolidated first, so history is complete.

Exit codes: 0 clean; 1 report written with missing or rejected units or
errors; 2 usage or config error; 3 no workbook for the period; 4 another run
holds the lock; 5 the output could not be written.")]
pub struct RunArgs {
    /// The month to consolidate (YYYY-MM).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    /// The config folder.
    #[arg(long, value_name = "DIR", default_value = "config")]
    pub config: PathBuf,
    /// The folder holding unit workbooks (searched recursively).
    #[arg(long, value_name = "DIR", default_value = "input")]
    pub input: PathBuf,
    /// The output folder; the month's files go into DIR/YYYY-MM/.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Seconds to wait for another run's lock (default from config).
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
}

/// `gnbv check`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  gnbv check bao_cao_thang_6.xlsx
  gnbv check --config /srv/gnbv/config input/2024-06/*.xlsx

Exit codes: 0 every file would be accepted (warnings may be printed);
1 a file would be rejected; 2 usage or config error.")]
pub struct CheckArgs {
    /// Workbooks to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The config folder.
    #[arg(long, value_name = "DIR", default_value = "config")]
    pub config: PathBuf,
}

/// `gnbv template`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  gnbv template
  gnbv template --period 2024-07 --output mau_bieu --unit SUNGPHAI

Writes one workbook per unit expected in the period, named
mau_<code>_<YYYY-MM>.xlsx.")]
pub struct TemplateArgs {
    /// Where to write the templates.
    #[arg(long, value_name = "DIR", default_value = "output/mau_bieu")]
    pub output: PathBuf,
    /// The period written in the templates (default: this month).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    /// The config folder.
    #[arg(long, value_name = "DIR", default_value = "config")]
    pub config: PathBuf,
    /// Only these units (default: every unit expected in the period).
    #[arg(long = "unit", value_name = "CODE")]
    pub units: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_defaults_and_period() {
        let cli = Cli::try_parse_from(["gnbv", "run"]).unwrap();
        let Command::Run(args) = cli.command else { panic!("run expected") };
        assert_eq!(args.period, None);
        assert_eq!(args.input, PathBuf::from("input"));
        assert_eq!(args.output, PathBuf::from("output"));
        assert_eq!(args.config, PathBuf::from("config"));
        let cli = Cli::try_parse_from(["gnbv", "-q", "run", "--period", "2024-06"]).unwrap();
        let Command::Run(args) = cli.command else { panic!("run expected") };
        assert_eq!(args.period, Period::new(2024, 6));
        assert!(cli.global.quiet);
        assert!(Cli::try_parse_from(["gnbv", "run", "--period", "2024-13"]).is_err());
        assert!(Cli::try_parse_from(["gnbv", "check"]).is_err(), "check needs a file");
    }
}
