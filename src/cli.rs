//! The command line (SPEC §7, contract): `gnbv run`, `gnbv check`,
//! `gnbv template`, `gnbv init`. clap is used here and nowhere else (the man
//! page and shell completions are generated from it: `examples/package_assets.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::Period;

/// gnbv — tổng hợp báo cáo tháng Chương trình MTQG giảm nghèo bền vững.
///
/// Reads every unit's monthly workbook, checks it, and writes the consolidated
/// report appendices, the report for the level above and summary.json.
#[derive(Debug, Parser)]
#[command(name = "gnbv", version, about, long_about = None, after_help = EXAMPLES, after_long_help = FOLDERS)]
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
  gnbv template --period 2024-07    blank workbooks for every unit
  gnbv init /srv/gnbv               a clean configuration for a new agency";

/// Shown by `gnbv --help` (and in the man page): where the folders are.
pub const FOLDERS: &str = "\
Examples:
  gnbv run                          the month's job on input/, into output/
  gnbv run --period 2024-06         a given month
  gnbv run --digest                 print the month's digest (tom_tat.txt)
  gnbv check input/2024-06/*.xlsx   check files before sending them
  gnbv template --period 2024-07    blank workbooks for every unit
  gnbv init /srv/gnbv               a clean configuration for a new agency

Folders: for each of the config, input and output folders, the first that
applies: the flag (--config, --input, --output); the environment variable
GNBV_CONFIG, GNBV_INPUT, GNBV_OUTPUT, else GNBV_HOME/config, GNBV_HOME/input,
GNBV_HOME/output; the package's /etc/gnbv, /var/lib/gnbv/input and
/var/lib/gnbv/output when gnbv runs as installed by the package
(/usr/bin/gnbv) or when the current folder has no config/ and /etc/gnbv
exists; else config/, input/ and output/ in the current folder.

Exit codes: 0 clean; 1 report written with missing or rejected units or
errors; 2 usage or config error; 3 no workbook for the period; 4 another run
holds the lock; 5 the output could not be written.";

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

/// The help of every `--config`.
const CONFIG_HELP: &str = "The config folder [default: $GNBV_CONFIG, /etc/gnbv when installed, else config]";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Consolidate a month: read, check, compute and write every output.
    Run(RunArgs),
    /// Check unit workbooks without consolidating; print every finding.
    Check(CheckArgs),
    /// Write the blank workbook for each registered unit.
    Template(TemplateArgs),
    /// Write a clean configuration for a new agency (no demo data).
    Init(InitArgs),
}

/// `gnbv run`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  gnbv run
  gnbv run --period 2024-06 --input /srv/gnbv/input --output /srv/gnbv/output
  gnbv run --quiet --digest    (from cron with MAILTO: the mail is tom_tat.txt)

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
    #[arg(long, value_name = "DIR", help = CONFIG_HELP)]
    pub config: Option<PathBuf>,
    #[arg(
        long,
        value_name = "DIR",
        help = "The folder holding unit workbooks, searched recursively [default: $GNBV_INPUT, /var/lib/gnbv/input when installed, else input]"
    )]
    pub input: Option<PathBuf>,
    #[arg(
        long,
        value_name = "DIR",
        help = "The output folder; the month's files go into DIR/YYYY-MM/ [default: $GNBV_OUTPUT, /var/lib/gnbv/output when installed, else output]"
    )]
    pub output: Option<PathBuf>,
    /// Seconds to wait for another run's lock (default from config).
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
    #[arg(long, help = "Print the month's digest (tom_tat.txt, for cron mail) instead of the one-line summary")]
    pub digest: bool,
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
    #[arg(long, value_name = "DIR", help = CONFIG_HELP)]
    pub config: Option<PathBuf>,
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
    #[arg(long, value_name = "DIR", help = "Where to write the templates [default: mau_bieu/ in the output folder]")]
    pub output: Option<PathBuf>,
    /// The period written in the templates (default: this month).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    #[arg(long, value_name = "DIR", help = CONFIG_HELP)]
    pub config: Option<PathBuf>,
    /// Only these units (default: every unit expected in the period).
    #[arg(long = "unit", value_name = "CODE")]
    pub units: Vec<String>,
}

/// `gnbv init`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  gnbv init                 config/, input/ and output/ in the current folder
  gnbv init /srv/gnbv       the same in /srv/gnbv

Writes DIR/config/ (settings.toml with the agency's fields to fill, an empty
units.csv, the program catalogue, funding sources, indicators and validation
rules; no demo data) and the empty folders DIR/input/ and DIR/output/, then
prints the next steps. Refuses to touch an existing DIR/config/ (exit 2).")]
pub struct InitArgs {
    /// The agency's folder (config/, input/, output/ are made inside it).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
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
        assert_eq!((args.input, args.output, args.config), (None, None, None), "resolved by crate::paths");
        assert!(!args.digest);
        let cli = Cli::try_parse_from(["gnbv", "-q", "run", "--period", "2024-06"]).unwrap();
        let Command::Run(args) = cli.command else { panic!("run expected") };
        assert_eq!(args.period, Period::new(2024, 6));
        assert!(cli.global.quiet);
        assert!(Cli::try_parse_from(["gnbv", "run", "--period", "2024-13"]).is_err());
        assert!(Cli::try_parse_from(["gnbv", "check"]).is_err(), "check needs a file");
        let cli = Cli::try_parse_from(["gnbv", "init"]).unwrap();
        let Command::Init(args) = cli.command else { panic!("init expected") };
        assert_eq!(args.dir, PathBuf::from("."));
    }
}
