//! `summary.json` (SPEC §6.3): the key figures for programs. Money in đồng as
//! integers, rates as fractions (0.153, not 15.3), `null` where a figure does
//! not apply.

use serde::Serialize;

use crate::assembled::Month;
use crate::check::Severity;
use crate::compute::{Consolidation, ProjectKey, SourceKey, UnitKey};
use crate::config::Config;

/// The whole file.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    /// `YYYY-MM`.
    pub period: String,
    /// The reporting agency's code.
    pub agency: String,
    /// The program phase's code.
    pub program: String,
    /// When the report was made (local time, ISO 8601).
    pub generated_at: String,
    /// Registered units open in the period.
    pub units_expected: usize,
    /// Expected units that sent an identified workbook.
    pub units_received: usize,
    /// Received units whose workbook is dated on or before the deadline.
    pub units_on_time: usize,
    /// Received units none of whose figures could be used.
    pub units_rejected: usize,
    /// Files that could not be tied to a registered unit.
    pub files_unidentified: usize,
    /// Counts of findings by severity.
    pub findings: FindingCounts,
    /// Each registered unit that is expected or sent something: received,
    /// rejected, submission date and whether it was on time.
    pub units: Vec<UnitRow>,
    /// Capital rows.
    pub capital: CapitalRows<'a>,
    /// Indicator rows.
    pub indicators: Vec<IndicatorRow>,
    /// The input files used for the period, with their SHA-256 (so a later
    /// run of the same period can say what changed).
    pub inputs: Vec<InputFile>,
}

/// One input file.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct InputFile {
    /// Path relative to the input folder.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
}

/// Where one unit stands.
#[derive(Debug, Serialize)]
pub struct UnitRow {
    /// Unit code.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// Expected to report this period.
    pub expected: bool,
    /// An identified workbook arrived.
    pub received: bool,
    /// Its workbook was rejected.
    pub rejected: bool,
    /// Submission date (`Ngày báo cáo`, else the file's time), `YYYY-MM-DD`.
    pub submitted: Option<String>,
    /// On or before the deadline (`null` when nothing arrived).
    pub on_time: Option<bool>,
    /// The workbook used, relative to the input folder.
    pub file: Option<String>,
}

/// Counts of findings.
#[derive(Debug, Serialize)]
pub struct FindingCounts {
    /// Findings that reject a workbook.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Information.
    pub info: usize,
}

/// One capital figure.
#[derive(Debug, Serialize)]
pub struct CapitalRow {
    /// Unit code or `TOTAL`.
    pub unit: Text,
    /// Project code or `TOTAL`.
    pub project: Text,
    /// Source code or `TOTAL`.
    pub source: Text,
    /// Allocated, đồng.
    pub allocated: i64,
    /// Disbursed in the month, đồng (`null` when not reported).
    pub disbursed_month: Option<i64>,
    /// Disbursed since 1 January, đồng.
    pub disbursed_cumulative: i64,
    /// Cumulative / allocated, or `null` when nothing is allocated.
    pub rate: Option<f64>,
}

/// One indicator figure.
#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    /// Unit code or `TOTAL`.
    pub unit: Text,
    /// Indicator code.
    pub code: Text,
    /// Yearly target.
    pub target: Option<f64>,
    /// Achieved so far.
    pub achieved: Option<f64>,
    /// Achievement ratio.
    pub achievement: Option<f64>,
    /// `dat`, `vuot`, `chua_dat` or `null`.
    pub status: Option<&'static str>,
}

/// Text repeated over many rows (codes), shared rather than copied: the
/// summary of ten thousand units has about a million rows.
pub type Text = std::sync::Arc<str>;

/// The capital rows, made one at a time as they are written: at national
/// scale they are about a million, and holding them would double what the
/// consolidated table already holds.
#[derive(Debug)]
pub struct CapitalRows<'a> {
    table: &'a crate::compute::capital::CapitalTable,
    /// `TOTAL` first, then every unit, each with its code as written.
    units: Vec<(UnitKey, Text)>,
    project_texts: Vec<Text>,
    /// `None` for a column that is not a source (the current-year subtotal).
    source_texts: Vec<Option<Text>>,
}

impl CapitalRows<'_> {
    /// Every row: the totals, then each unit's non-zero figures.
    pub fn iter(&self) -> impl Iterator<Item = CapitalRow> + '_ {
        let table = self.table;
        self.units.iter().flat_map(move |(unit, unit_code)| {
            table.project_keys().iter().zip(&self.project_texts).flat_map(move |(project, project_text)| {
                table.source_keys().iter().zip(&self.source_texts).filter_map(move |(source, source_text)| {
                    let source_text = source_text.as_ref()?;
                    let f = table.get(unit, project, source);
                    if *unit != UnitKey::Total && f.is_zero() {
                        return None;
                    }
                    Some(CapitalRow {
                        unit: unit_code.clone(),
                        project: project_text.clone(),
                        source: source_text.clone(),
                        allocated: f.allocated.0,
                        disbursed_month: f.disbursed_month.map(|d| d.0),
                        disbursed_cumulative: f.disbursed_cumulative.0,
                        rate: f.rate(),
                    })
                })
            })
        })
    }
}

impl Serialize for CapitalRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Builds the summary.
pub fn build<'a>(
    config: &Config,
    program: &str,
    month: &Month,
    figures: &'a Consolidation,
    generated_at: &str,
) -> Summary<'a> {
    let table = &figures.capital;
    let mut units: Vec<UnitKey> = vec![UnitKey::Total];
    units.extend(table.units().cloned().map(UnitKey::Unit));
    let total: Text = Text::from("TOTAL");
    let unit_text = |u: &UnitKey| -> Text {
        match u {
            UnitKey::Total => total.clone(),
            UnitKey::Unit(c) => Text::from(c.as_str()),
        }
    };
    let project_texts: Vec<Text> = table
        .project_keys()
        .iter()
        .map(|p| match p {
            ProjectKey::Total => total.clone(),
            ProjectKey::Project(p) => Text::from(p.as_str()),
        })
        .collect();
    let source_texts: Vec<Option<Text>> = table
        .source_keys()
        .iter()
        .map(|s| match s {
            SourceKey::Total => Some(total.clone()),
            SourceKey::Source(s) => Some(Text::from(s.as_str())),
            SourceKey::CurrentYear => None,
        })
        .collect();
    let capital = CapitalRows {
        table,
        units: units.iter().map(|u| (u.clone(), unit_text(u))).collect(),
        project_texts,
        source_texts,
    };
    let mut indicators = Vec::new();
    let mut indicator_units = vec![UnitKey::Total];
    indicator_units.extend(month.figures.iter().map(|f| UnitKey::Unit(f.unit.clone())));
    indicator_units.dedup();
    let indicator_codes: Vec<Text> = config.indicators.list.iter().map(|i| Text::from(i.code.as_str())).collect();
    for unit in &indicator_units {
        let unit_code = unit_text(unit);
        for (ind, code) in config.indicators.list.iter().zip(&indicator_codes) {
            let v = figures.indicators.get(unit, &ind.code);
            if v.target.is_none() && v.achieved.is_none() {
                continue;
            }
            indicators.push(IndicatorRow {
                unit: unit_code.clone(),
                code: code.clone(),
                target: v.target,
                achieved: v.achieved,
                achievement: v.achievement,
                status: v.status.map(crate::compute::Status::code),
            });
        }
    }
    Summary {
        period: month.period.to_string(),
        agency: config.settings.agency.code.clone(),
        program: program.to_string(),
        generated_at: generated_at.to_string(),
        units_expected: month.expected(),
        units_received: month.received(),
        units_on_time: month.on_time(),
        units_rejected: month.rejected(),
        files_unidentified: month.unidentified.len(),
        units: month
            .statuses
            .iter()
            .map(|s| UnitRow {
                unit: s.unit.to_string(),
                name: s.name.clone(),
                expected: s.expected,
                received: s.received,
                rejected: s.rejected,
                submitted: s.submitted.map(|d| d.to_string()),
                on_time: s.on_time,
                file: s.file.clone(),
            })
            .collect(),
        findings: FindingCounts {
            error: month.count(Severity::Error),
            warning: month.count(Severity::Warning),
            info: month.count(Severity::Info),
        },
        capital,
        indicators,
        inputs: month
            .reports
            .iter()
            .map(|r| InputFile { file: r.file.name.clone(), sha256: r.file.sha256.clone() })
            .collect(),
    }
}

/// The summary as pretty JSON.
///
/// # Errors
///
/// The serde error, which cannot happen for these types.
pub fn to_json<T: Serialize>(summary: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_json(summary, &mut bytes, true)?;
    Ok(bytes)
}

/// Writes the summary as pretty JSON (the bytes of [`to_json`]) to `out`,
/// without holding them in memory.
///
/// # Errors
///
/// The I/O error, as a serde error.
pub fn write_json<T: Serialize, W: std::io::Write>(summary: &T, mut out: W, pretty: bool) -> serde_json::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut out, summary)?;
    } else {
        serde_json::to_writer(&mut out, summary)?;
    }
    out.write_all(b"\n").map_err(serde_json::Error::io)
}
