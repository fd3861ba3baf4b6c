//! Writes what the Debian package installs besides the binary, made from the
//! program itself so it never drifts from it:
//!
//! - `man/`: the man pages `gnbv.1`, `gnbv-run.1`… generated from the clap
//!   definitions (`clap_mangen`), the main page with the folder rule, the
//!   environment variables and the exit codes;
//! - `completions/`: bash (`gnbv.bash`) and zsh (`_gnbv`) completions (`clap_complete`);
//! - `etc/`: the default configuration of `/etc/gnbv`, the clean one that
//!   `gnbv init` writes (no demo data; an empty `units.csv`).
//!
//! `packaging/build-deb.sh` runs it before `cargo deb`:
//! `cargo run --example package_assets -- target/package`.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, italic, roman};

fn main() -> std::io::Result<()> {
    let out = std::env::args_os().nth(1).map_or_else(|| PathBuf::from("target/package"), PathBuf::from);
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    let man = out.join("man");
    fs::create_dir_all(&man)?;
    clap_mangen::generate_to(gnbv::cli::Cli::command(), &man)?;
    main_page(&man.join("gnbv.1"))?;

    let completions = out.join("completions");
    fs::create_dir_all(&completions)?;
    for shell in [Shell::Bash, Shell::Zsh] {
        clap_complete::generate_to(shell, &mut gnbv::cli::Cli::command(), "gnbv", &completions)?;
    }

    let etc = out.join("etc");
    for (name, text) in gnbv::scaffold::files() {
        let path = etc.join(name);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, text)?;
    }
    let mut listing = std::io::stdout().lock();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            writeln!(listing, "{}", entry.path().display())?;
        }
    }
    Ok(())
}

/// `gnbv.1`: `clap_mangen`'s sections, then the ones a service's man page
/// needs (ENVIRONMENT, FILES, EXIT STATUS, EXAMPLES, SEE ALSO).
fn main_page(path: &Path) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(gnbv::cli::Cli::command().disable_help_subcommand(true));
    let mut bytes = Vec::new();
    man.render_title(&mut bytes)?;
    man.render_name_section(&mut bytes)?;
    man.render_synopsis_section(&mut bytes)?;
    man.render_description_section(&mut bytes)?;
    man.render_options_section(&mut bytes)?;
    man.render_subcommands_section(&mut bytes)?;

    let mut roff = Roff::default();
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "For each of the config, input and output folders the first that applies is used: the flag; the \
         environment variable; the package's folders when gnbv runs as installed by the package (/usr/bin/gnbv) \
         or when the current folder has no config/ and /etc/gnbv exists; else config/, input/ and output/ in \
         the current folder.",
    )]);
    for (name, what) in [
        ("GNBV_CONFIG", "The config folder."),
        ("GNBV_INPUT", "The folder of the units' workbooks (searched recursively)."),
        ("GNBV_OUTPUT", "The output folder; a month's files go into YYYY-MM/ inside it."),
        ("GNBV_HOME", "A folder holding config/, input/ and output/, for the folders not set by the three above."),
        ("SOURCE_DATE_EPOCH", "Pins the recorded run time, so the same inputs give the same bytes."),
    ] {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(what)]);
    }
    roff.control("SH", ["FILES"]);
    for (name, what) in [
        (
            "/etc/gnbv/",
            "The installed configuration: settings.toml (the agency, deadline, limits), units.csv (the units that \
             report), catalogue/, sources.toml, indicators.toml, rules.toml; official/YEAR/ for the allocation \
             decision and assigned targets. Kept on upgrade (conffiles).",
        ),
        ("/var/lib/gnbv/input/", "The units' workbooks, one folder per month (2024-06/)."),
        (
            "/var/lib/gnbv/output/",
            "The reports: YYYY-MM/bao_cao_tong_hop_YYYY-MM.xlsx, summary.json, tom_tat.txt (the digest), \
             phan_hoi/, gnbv.log; earlier runs under YYYY-MM/archive/.",
        ),
        (
            "gnbv.service, gnbv.timer",
            "The monthly job as the gnbv user, installed disabled: systemctl enable --now gnbv.timer.",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(what)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in [
        ("0", "Report written; every expected unit sent an accepted workbook (check: the file is accepted)."),
        ("1", "Report written, but units are missing or rejected, or findings are errors (check: a file is rejected)."),
        ("2", "No report: wrong command line or config (the message names the file and line)."),
        ("3", "No report: no unit workbook in the input folder for the period."),
        ("4", "No report: another gnbv run holds the output folder's lock."),
        ("5", "No report: the output could not be written."),
    ] {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(what)]);
    }
    roff.control("SH", ["EXAMPLES"]);
    for (command, what) in [
        ("gnbv run", "The month's job."),
        ("gnbv run --quiet --digest", "The same from cron: the mail (MAILTO) is the month's digest."),
        ("gnbv check bao_cao_thang_6.xlsx", "A clerk checks a workbook before sending it."),
        ("gnbv template --period 2024-07", "Blank workbooks for every registered unit."),
        ("gnbv init /srv/gnbv", "A clean configuration for a new agency, then the next steps."),
    ] {
        roff.control("TP", []);
        roff.text([bold(command)]);
        roff.text([roman(what)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([
        bold("gnbv-run"),
        roman("(1), "),
        bold("gnbv-check"),
        roman("(1), "),
        bold("gnbv-template"),
        roman("(1), "),
        bold("gnbv-init"),
        roman("(1), "),
        italic("/usr/share/doc/gnbv/README.md"),
    ]);
    roff.to_writer(&mut bytes)?;
    man.render_version_section(&mut bytes)?;
    fs::write(path, bytes)
}
