//! Everything a province, a year or a program phase changes, read from `config/`.
//!
//! | file | what |
//! |---|---|
//! | `settings.toml` | agency, deadline, report settings, limits, rule severities |
//! | `catalogue/*.toml` | projects and sub-projects of each program phase |
//! | `sources.toml` | funding sources and the header words that name them |
//! | `indicators.toml` | reported and derived indicators (formulas) |
//! | `units.csv` | the unit registry (contract) |
//! | `official/` | optional allocation decision and assigned targets workbooks |
//!
//! A config error names the file, the line and what is expected, and ends the
//! run before any input is read.

pub mod catalogue;
pub mod formula;
pub mod indicators;
pub mod rules;
pub mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use catalogue::{Catalogue, Project};
pub use indicators::{Indicator, Indicators};
pub use units::{Registry, Unit};

use crate::domain::{MoneyUnit, SourceCode};
use crate::text::fold;

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", file.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// The line, when known.
    pub line: Option<usize>,
    /// What is wrong and what is expected.
    pub message: String,
}

// ---------------------------------------------------------------------------
// settings.toml
// ---------------------------------------------------------------------------

/// `settings.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The reporting agency.
    pub agency: Agency,
    /// Reporting deadline.
    #[serde(default)]
    pub deadline: Deadline,
    /// Report layout.
    #[serde(default)]
    pub report: ReportSettings,
    /// Reading defaults.
    #[serde(default)]
    pub input: InputSettings,
    /// Safety limits for reading.
    #[serde(default)]
    pub limits: Limits,
    /// Unattended-run settings.
    #[serde(default)]
    pub run: RunSettings,
    /// Severity overrides by rule code (`GIAI_NGAN_VUOT_KH = "error"`).
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// When amounts are out of all proportion.
    #[serde(default)]
    pub check: CheckSettings,
}

/// `[check]`: when a unit's money is out of all proportion (`SAI_DON_VI_TINH`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// The most one unit's total allocation or disbursement can be, in
    /// million đồng (default 10,000,000: ten thousand billion đồng).
    pub max_unit_million: u64,
    /// A unit's total this many times the official decision's allocation,
    /// or its own cumulative last month, is out of proportion.
    pub max_ratio: u64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self { max_unit_million: 10_000_000, max_ratio: 500 }
    }
}

/// The agency that consolidates and reports upward.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Its unit code in the report for the level above.
    pub code: String,
    /// The line above its name in the header block (`UBND THÀNH PHỐ LAI CHÂU`).
    #[serde(default)]
    pub superior: String,
    /// Its name in the header block.
    pub name: String,
    /// Its name as a unit in the report for the level above.
    #[serde(default)]
    pub report_name: String,
    /// Place in the date line.
    #[serde(default)]
    pub place: String,
    /// Administrative level (`huyện`, `tỉnh`).
    #[serde(default)]
    pub level: String,
}

/// When reports are due.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// Day of month.
    pub day: u32,
    /// `same` month as the period or the `next` one.
    pub month: DeadlineMonth,
}

impl Default for Deadline {
    fn default() -> Self {
        Self { day: 20, month: DeadlineMonth::Same }
    }
}

/// Which month the deadline day falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineMonth {
    /// The period's own month.
    Same,
    /// The month after the period.
    Next,
}

impl Deadline {
    /// The last on-time day for `period` (the month's last day when `day` is beyond it).
    pub fn date(&self, period: crate::domain::Period) -> chrono::NaiveDate {
        let month = match self.month {
            DeadlineMonth::Same => period,
            DeadlineMonth::Next => period.next(),
        };
        let last = month.last_day();
        chrono::NaiveDate::from_ymd_opt(month.year(), month.month(), self.day).filter(|d| *d <= last).unwrap_or(last)
    }
}

/// How reports look.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSettings {
    /// Money unit in reports.
    pub money_unit: MoneyUnit,
    /// Left signature title.
    pub preparer_title: String,
    /// Right signature title.
    pub head_title: String,
    /// Name under the left signature.
    pub preparer_name: String,
    /// Name under the right signature.
    pub head_name: String,
    /// Red when a rate is below this share of the expected progress.
    pub red_below: f64,
    /// Amber when a rate is below this share of the expected progress.
    pub amber_below: f64,
    /// The unit flag (in `units.csv`) of extremely difficult communes, shown
    /// as a group in the poverty appendix; empty for none.
    pub difficult_flag: String,
    /// The label of that group.
    pub difficult_label: String,
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self {
            money_unit: MoneyUnit::TrieuDong,
            preparer_title: "NGƯỜI LẬP BIỂU".into(),
            head_title: "THỦ TRƯỞNG ĐƠN VỊ".into(),
            preparer_name: String::new(),
            head_name: String::new(),
            red_below: 0.6,
            amber_below: 0.9,
            difficult_flag: "dbkk".into(),
            difficult_label: "xã đặc biệt khó khăn".into(),
        }
    }
}

/// Reading defaults.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputSettings {
    /// Source for a money column that names none.
    pub default_source: SourceCode,
    /// Money unit when a workbook states none.
    pub default_money_unit: MoneyUnit,
}

impl Default for InputSettings {
    fn default() -> Self {
        Self { default_source: SourceCode::new("NSTW"), default_money_unit: MoneyUnit::TrieuDong }
    }
}

/// Safety limits for reading unit files (SPEC §7: bounded memory).
///
/// A file beyond any of them is refused with a finding (`TEP_QUA_LON`) before
/// the parser builds what the file asks for; the other units are still read.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file, in MiB.
    pub max_file_mb: u64,
    /// Largest total uncompressed size of a zipped workbook (.xlsx, .ods), in MiB.
    pub max_unzipped_mb: u64,
    /// Rows read from one sheet: a value in a row beyond this refuses the file.
    pub max_rows: u32,
    /// Columns read from one sheet: a value in a column beyond this refuses the file.
    pub max_columns: u32,
    /// Cells the parser may hold for the whole workbook, every sheet and the
    /// empty cells between used ones included (.xls and .ods build every
    /// sheet densely when the file is opened).
    pub max_cells: u64,
    /// Text the cells may hold for the whole workbook, in MiB, counting each
    /// copy a shared or repeated string makes.
    pub max_text_mb: u64,
    /// Entries of the shared-strings table (.xlsx, .xls).
    pub max_shared_strings: u64,
}

impl Limits {
    /// [`Self::max_file_mb`] in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_mb.saturating_mul(1024 * 1024)
    }

    /// [`Self::max_unzipped_mb`] in bytes.
    pub fn max_unzipped_bytes(&self) -> u64 {
        self.max_unzipped_mb.saturating_mul(1024 * 1024)
    }

    /// [`Self::max_text_mb`] in bytes.
    pub fn max_text_bytes(&self) -> u64 {
        self.max_text_mb.saturating_mul(1024 * 1024)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_mb: 50,
            max_unzipped_mb: 100,
            max_rows: 5_000,
            max_columns: 200,
            max_cells: 2_000_000,
            max_text_mb: 64,
            max_shared_strings: 1_000_000,
        }
    }
}

/// Unattended-run settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunSettings {
    /// Seconds to wait for another run's lock.
    pub lock_wait_seconds: u64,
}

impl Default for RunSettings {
    fn default() -> Self {
        Self { lock_wait_seconds: 60 }
    }
}

// ---------------------------------------------------------------------------
// sources.toml
// ---------------------------------------------------------------------------

/// A funding source.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Code (`NSTW`).
    pub code: SourceCode,
    /// Full name.
    pub name: String,
    /// Short column label (`NSĐP`).
    pub short: String,
    /// Header words that name it (folded).
    pub words: Vec<String>,
    /// Funds of an earlier year carried into this one.
    #[serde(default)]
    pub carried_over: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(rename = "source")]
    sources: Vec<Source>,
}

/// Funding sources in column order.
#[derive(Debug, Clone)]
pub struct Sources {
    /// In column order.
    pub list: Vec<Source>,
}

impl Sources {
    fn build(file: SourcesFile) -> Result<Self, String> {
        let mut seen = std::collections::BTreeSet::new();
        for s in &file.sources {
            if !seen.insert(s.code.clone()) {
                return Err(format!("source code '{}' appears twice", s.code));
            }
            if s.words.is_empty() {
                return Err(format!("source '{}' has no header words", s.code));
            }
        }
        if file.sources.is_empty() {
            return Err("at least one [[source]] is needed".into());
        }
        let mut list = file.sources;
        for s in &mut list {
            s.words = s.words.iter().map(|w| fold(w)).collect();
        }
        Ok(Self { list })
    }

    /// The source a header label names; carried-over sources are tried first,
    /// so "NSTW năm trước chuyển sang" is carried-over money, and the longest
    /// matching words win among the rest.
    pub fn find_in_label(&self, folded_label: &str) -> Option<&Source> {
        let mut best: Option<(&Source, usize, bool)> = None;
        for s in &self.list {
            for w in &s.words {
                if crate::text::has_words(folded_label, w) {
                    let better = match best {
                        None => true,
                        Some((_, len, carried)) => {
                            (s.carried_over && !carried) || (s.carried_over == carried && w.len() > len)
                        }
                    };
                    if better {
                        best = Some((s, w.len(), s.carried_over));
                    }
                }
            }
        }
        best.map(|(s, _, _)| s)
    }

    /// The source with this code.
    pub fn get(&self, code: &SourceCode) -> Option<&Source> {
        self.list.iter().find(|s| &s.code == code)
    }

    /// Position in column order.
    pub fn order(&self, code: &SourceCode) -> usize {
        self.list.iter().position(|s| &s.code == code).unwrap_or(usize::MAX)
    }
}

// ---------------------------------------------------------------------------
// The whole config
// ---------------------------------------------------------------------------

/// The loaded and checked `config/` folder.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// `settings.toml`.
    pub settings: Settings,
    /// Every program phase, by first year.
    pub catalogues: Vec<Catalogue>,
    /// `sources.toml`.
    pub sources: Sources,
    /// `indicators.toml`.
    pub indicators: Indicators,
    /// `units.csv`.
    pub units: Registry,
    /// `rules.toml`: the validation rules (none when the file is absent).
    pub rules: Vec<rules::ValidationRule>,
    /// Each config file read, with its SHA-256, for the run information sheet.
    pub files: Vec<(String, String)>,
}

impl Config {
    /// Reads and checks every file of a config folder.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the file and line of the first problem.
    pub fn load(dir: &Path) -> Result<Self, ConfigError> {
        let mut files = Vec::new();
        let mut read = |name: &str| -> Result<(PathBuf, String), ConfigError> {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(|e| ConfigError {
                file: path.clone(),
                line: None,
                message: format!("cannot read it: {e}"),
            })?;
            files.push((name.to_string(), crate::sha256_hex(&bytes)));
            let text = String::from_utf8(bytes).map_err(|_| ConfigError {
                file: path.clone(),
                line: None,
                message: "it is not UTF-8 text: save it as UTF-8".into(),
            })?;
            Ok((path, text))
        };

        let (path, text) = read("settings.toml")?;
        let settings: Settings = parse_toml(&path, &text)?;

        let (path, text) = read("sources.toml")?;
        let sources = Sources::build(parse_toml(&path, &text)?).map_err(|m| whole_file(&path, m))?;
        if sources.get(&settings.input.default_source).is_none() {
            return Err(whole_file(
                &dir.join("settings.toml"),
                format!("input.default_source '{}' is not a source in sources.toml", settings.input.default_source),
            ));
        }

        let (path, text) = read("indicators.toml")?;
        let indicators = Indicators::build(parse_toml(&path, &text)?).map_err(|m| whole_file(&path, m))?;

        let (path, text) = read("units.csv")?;
        let units =
            Registry::parse(&text).map_err(|(line, message)| ConfigError { file: path, line: Some(line), message })?;

        let rules = if dir.join("rules.toml").exists() {
            let (path, text) = read("rules.toml")?;
            let rules = rules::parse(&text).map_err(|m| whole_file(&path, m))?;
            for r in &rules {
                let mut names = r.left.references();
                names.extend(r.right.iter().flat_map(formula::Expr::references));
                for name in &names {
                    if !rules::is_known_name(name.as_str(), &indicators, r.each.is_some()) {
                        return Err(whole_file(
                            &path,
                            format!(
                                "rule '{}': '{}' is not an indicator code (nor X, VON.KH, VON.THANG, VON.LUY_KE, CODE.thang, CODE.kh)",
                                r.code, name
                            ),
                        ));
                    }
                }
            }
            let mut rules = rules;
            rules::expand(&mut rules, &indicators);
            rules
        } else {
            Vec::new()
        };

        let catalogue_dir = dir.join("catalogue");
        let mut names: Vec<String> = std::fs::read_dir(&catalogue_dir)
            .map_err(|e| whole_file(&catalogue_dir, format!("cannot list the program catalogues: {e}")))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| Path::new(n).extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")))
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(whole_file(&catalogue_dir, "no program catalogue (*.toml) found".into()));
        }
        let mut catalogues: Vec<Catalogue> = Vec::new();
        for name in names {
            let (path, text) = read(&format!("catalogue/{name}"))?;
            let catalogue = Catalogue::build(parse_toml(&path, &text)?).map_err(|m| whole_file(&path, m))?;
            if let Some(other) = catalogues.iter().find(|c| {
                c.program.first_year <= catalogue.program.last_year
                    && catalogue.program.first_year <= c.program.last_year
            }) {
                return Err(whole_file(
                    &path,
                    format!(
                        "its years overlap those of program '{}': each year needs one catalogue",
                        other.program.code
                    ),
                ));
            }
            catalogues.push(catalogue);
        }
        catalogues.sort_by_key(|c| c.program.first_year);

        for (code, severity) in &settings.rules {
            if crate::finding::Rule::from_code(code).is_none() {
                return Err(whole_file(
                    &dir.join("settings.toml"),
                    format!("[rules] names '{code}', which is not a rule"),
                ));
            }
            if crate::finding::Severity::from_config(severity).is_none() {
                return Err(whole_file(
                    &dir.join("settings.toml"),
                    format!("[rules] {code} = '{severity}': write error, warning or info"),
                ));
            }
        }

        Ok(Self { dir: dir.to_path_buf(), settings, catalogues, sources, indicators, units, rules, files })
    }

    /// The program catalogue for a budget year.
    ///
    /// # Errors
    ///
    /// A message when no catalogue covers the year.
    pub fn catalogue_for(&self, year: i32) -> Result<&Catalogue, ConfigError> {
        self.catalogues.iter().find(|c| c.covers(year)).ok_or_else(|| {
            whole_file(
                &self.dir.join("catalogue"),
                format!("no program catalogue covers the year {year}: add one with first_year..last_year holding it"),
            )
        })
    }
}

fn whole_file(path: &Path, message: String) -> ConfigError {
    ConfigError { file: path.to_path_buf(), line: None, message }
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        ConfigError { file: path.to_path_buf(), line, message: e.message().trim().to_string() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/config"))
    }

    #[test]
    fn shipped_config_loads() {
        let c = Config::load(&shipped()).unwrap();
        assert_eq!(c.settings.agency.code, "TP_LAICHAU");
        assert!(c.catalogue_for(2024).is_ok());
        assert!(c.catalogue_for(2030).is_err());
        assert_eq!(c.units.units.len(), 10);
    }

    #[test]
    fn a_toml_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(shipped()) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(shipped()).unwrap();
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let settings = dir.path().join("settings.toml");
        let text = std::fs::read_to_string(&settings).unwrap().replace("day = 20", "day = \"twenty\"");
        std::fs::write(&settings, text).unwrap();
        let err = Config::load(dir.path()).unwrap_err();
        assert!(err.file.ends_with("settings.toml"));
        let line = err.line.unwrap();
        let wanted =
            std::fs::read_to_string(&settings).unwrap().lines().position(|l| l.contains("twenty")).unwrap() + 1;
        assert_eq!(line, wanted);
        assert!(err.to_string().contains(&format!("line {wanted}")), "{err}");
    }

    #[test]
    fn sources_found_in_header_labels() {
        let c = Config::load(&shipped()).unwrap();
        let find = |label: &str| c.sources.find_in_label(&fold(label)).map(|s| s.code.as_str().to_string());
        assert_eq!(find("NSTW").as_deref(), Some("NSTW"));
        assert_eq!(find("Ngân sách địa phương").as_deref(), Some("NSDP"));
        assert_eq!(find("NSĐP").as_deref(), Some("NSDP"));
        assert_eq!(find("Vốn huy động khác").as_deref(), Some("KHAC"));
        assert_eq!(find("NSTW năm trước chuyển sang").as_deref(), Some("KEO_DAI"));
        assert_eq!(find("Tổng số"), None);
    }

    #[test]
    fn deadline_dates() {
        let june = crate::domain::Period::new(2024, 6).unwrap();
        let d = Deadline::default();
        assert_eq!(d.date(june).to_string(), "2024-06-20");
        let next = Deadline { day: 31, month: DeadlineMonth::Next };
        assert_eq!(next.date(june).to_string(), "2024-07-31");
        let feb = Deadline { day: 31, month: DeadlineMonth::Same };
        assert_eq!(feb.date(crate::domain::Period::new(2024, 2).unwrap()).to_string(), "2024-02-29");
    }
}
