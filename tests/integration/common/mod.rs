//! Shared test tools: a temporary project ([`TestEnv`]) with the shipped
//! config, the month run through the library call ([`TestEnv::month`]) or the
//! gnbv binary ([`TestEnv::gnbv`]), template filling and reading outputs back.

#![allow(dead_code)]

pub mod craft;
pub mod demo;
pub mod fill;
pub mod layout;
pub mod variant;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A throwaway project folder: `config/` (a copy of the shipped one),
/// `input/`, `output/`.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

impl TestEnv {
    /// The shipped config without the demo's official decisions, empty input.
    pub fn new() -> Self {
        let env = Self::with_shipped_config();
        let _ = std::fs::remove_dir_all(env.config().join("official"));
        env
    }

    fn with_shipped_config() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&root().join("config"), &dir.path().join("config"));
        std::fs::create_dir_all(dir.path().join("input")).expect("input");
        Self { dir }
    }

    /// The shipped config (with the demo's allocation decision) and the shipped demo input.
    pub fn demo() -> Self {
        let env = Self::with_shipped_config();
        copy_dir(&root().join("input"), &env.input());
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config(&self) -> PathBuf {
        self.path().join("config")
    }

    pub fn input(&self) -> PathBuf {
        self.path().join("input")
    }

    pub fn output(&self) -> PathBuf {
        self.path().join("output")
    }

    /// Replaces `config/units.csv`.
    pub fn units(&self, csv: &str) {
        std::fs::write(self.config().join("units.csv"), csv).expect("units.csv");
    }

    /// Changes a line of `config/settings.toml` (`key = value`, first match).
    pub fn setting(&self, key: &str, value: &str) {
        let path = self.config().join("settings.toml");
        let text = std::fs::read_to_string(&path).expect("settings");
        let mut done = false;
        let lines: Vec<String> = text
            .lines()
            .map(|l| {
                if !done && l.trim_start().starts_with(&format!("{key} =")) {
                    done = true;
                    format!("{key} = {value}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        assert!(done, "no setting {key}");
        std::fs::write(&path, lines.join("\n") + "\n").expect("settings");
    }

    /// Runs gnbv in the project folder.
    pub fn gnbv(&self, args: &[&str]) -> Output {
        self.gnbv_env(args, &[])
    }

    /// Runs gnbv with extra environment variables.
    pub fn gnbv_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gnbv"));
        cmd.current_dir(self.path()).args(args).env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.output().expect("gnbv runs")
    }

    /// Runs gnbv and asserts its exit code, showing its output if it differs.
    pub fn gnbv_ok(&self, args: &[&str], code: i32) -> Output {
        let out = self.gnbv(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "gnbv {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs the month through the library call, `gnbv::month::run`, as
    /// `gnbv run [--period PERIOD]` does in the project folder (nothing is
    /// printed): the exit code the binary would return, and what was written.
    pub fn month(&self, period: Option<&str>) -> MonthRun {
        self.month_at(period, chrono::Local::now().naive_local())
    }

    /// [`TestEnv::month`] with the time recorded in the outputs given (as
    /// `SOURCE_DATE_EPOCH` gives it to the binary).
    pub fn month_at(&self, period: Option<&str>, recorded: chrono::NaiveDateTime) -> MonthRun {
        let dirs = gnbv::paths::Paths { config: self.config(), input: self.input(), output: self.output() };
        let config = match gnbv::config::Config::load(&dirs.config) {
            Ok(config) => config,
            Err(e) => return MonthRun { code: 2, outcome: None, error: format!("{e:#}") },
        };
        let options = gnbv::month::Options {
            period: period.map(|p| gnbv::domain::Period::parse(p).expect("a period YYYY-MM")),
            wait: None,
            recorded,
            progress: &(),
        };
        match gnbv::month::run(&dirs, &config, &options) {
            Ok(outcome) => {
                let code = i32::from(outcome.status().code());
                let error = outcome
                    .periods
                    .iter()
                    .filter_map(|p| p.result.as_ref().err().map(|f| format!("{}: {:#}", p.period, f.error)))
                    .collect::<Vec<_>>()
                    .join("\n");
                MonthRun { code, outcome: Some(outcome), error }
            }
            Err(f) => MonthRun { code: i32::from(f.status.code()), outcome: None, error: format!("{:#}", f.error) },
        }
    }

    /// Runs the month through the library call and asserts its exit code,
    /// showing the error if it differs.
    pub fn month_ok(&self, period: Option<&str>, code: i32) -> MonthRun {
        let run = self.month(period);
        assert_eq!(run.code, code, "month {period:?}: {}", run.error);
        run
    }

    /// Writes blank templates for `period` and returns the folder.
    pub fn templates(&self, period: &str) -> PathBuf {
        let dir = self.path().join("templates").join(period);
        let dir_text = dir.to_string_lossy().to_string();
        self.gnbv_ok(&["template", "--period", period, "--output", &dir_text], 0);
        dir
    }

    /// The template of one unit.
    pub fn template(&self, period: &str, unit: &str) -> PathBuf {
        let path = self.templates(period).join(format!("mau_{unit}_{period}.xlsx"));
        assert!(path.exists(), "template {}", path.display());
        path
    }

    /// `output/<period>/summary.json`.
    pub fn summary(&self, period: &str) -> serde_json::Value {
        let text = std::fs::read_to_string(self.output().join(period).join("summary.json")).expect("summary.json");
        serde_json::from_str(&text).expect("json")
    }

    /// The consolidated report of a period.
    pub fn report(&self, period: &str) -> PathBuf {
        self.output().join(period).join(format!("bao_cao_tong_hop_{period}.xlsx"))
    }
}

/// A month run through the library call ([`TestEnv::month`]).
pub struct MonthRun {
    /// The exit code `gnbv run` would return.
    pub code: i32,
    /// What was done, when the run got as far as its periods.
    pub outcome: Option<gnbv::month::Outcome>,
    /// The errors, as `gnbv run` would print them (empty when none).
    pub error: String,
}

/// A capital row of summary.json.
pub fn capital<'a>(summary: &'a serde_json::Value, unit: &str, project: &str, source: &str) -> &'a serde_json::Value {
    summary["capital"]
        .as_array()
        .expect("capital list")
        .iter()
        .find(|r| r["unit"] == unit && r["project"] == project && r["source"] == source)
        .unwrap_or_else(|| panic!("no capital row {unit}/{project}/{source}"))
}

/// An indicator row of summary.json.
pub fn indicator<'a>(summary: &'a serde_json::Value, unit: &str, code: &str) -> &'a serde_json::Value {
    summary["indicators"]
        .as_array()
        .expect("indicator list")
        .iter()
        .find(|r| r["unit"] == unit && r["code"] == code)
        .unwrap_or_else(|| panic!("no indicator row {unit}/{code}"))
}

/// Every cell of a sheet, read back with calamine.
pub fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb = calamine::open_workbook_auto(path).expect("workbook opens");
    wb.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// The first row whose cell in `col` (0-based) is `text`.
pub fn find_row(range: &calamine::Range<Data>, col: usize, text: &str) -> usize {
    range
        .rows()
        .position(|r| r.get(col).is_some_and(|c| c.to_string().trim() == text))
        .unwrap_or_else(|| panic!("no row with '{text}' in column {col}"))
}

/// A numeric cell (relative position), panicking with the position otherwise.
pub fn number(range: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match range.get((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("cell ({row},{col}) is {other:?}, not a number"),
    }
}

/// Asserts two floats agree to a relative tolerance.
#[track_caller]
pub fn close(got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "got {got}, want {want}");
}

/// A unit registry CSV from (code, name) pairs.
pub fn registry(units: &[(&str, &str)]) -> String {
    let mut csv = String::from("code,name,kind\n");
    for (code, name) in units {
        let _ = writeln!(csv, "{code},{name},xã");
    }
    csv
}

/// Converts a workbook with `LibreOffice` (`soffice --headless --convert-to`),
/// with a private profile so tests can run in parallel, and returns the
/// converted file's path in `out`.
pub fn soffice_convert(input: &Path, to: &str, out: &Path) -> PathBuf {
    let profile = tempfile::tempdir().expect("profile folder");
    let run = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out)
        .arg(input)
        .output()
        .expect("LibreOffice is installed (soffice; .ci/run installs libreoffice-calc and poppler-utils)");
    assert!(run.status.success(), "soffice failed on {}: {}", input.display(), String::from_utf8_lossy(&run.stderr));
    let converted = out.join(input.with_extension(to).file_name().expect("a file name"));
    assert!(converted.exists(), "{} converted to {to}", input.display());
    converted
}
