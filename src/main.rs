//! `gnbv`: the monthly consolidation of the National Target Program on
//! Sustainable Poverty Reduction. All the work is in the library; this file
//! parses the command line and turns the outcome into an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = gnbv::cli::Cli::parse();
    let status = gnbv::run(&cli);
    std::process::ExitCode::from(status.code())
}
