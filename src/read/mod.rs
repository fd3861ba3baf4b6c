//! Reading: a unit's workbook file in, a [`UnitReport`] out.
//!
//! The reader finds everything by its labels (SPEC §4): the identity block,
//! the sheets, the header rows, the columns, the rows. It converts money to
//! exact đồng and records the cell every figure came from. What it cannot
//! read becomes a [`Finding`]; it never panics and never writes to the file.
//!
//! calamine is used here and nowhere else.

pub mod capital;
pub mod grid;
mod guard;
mod header;
pub mod identity;
mod merges;
pub mod notes;
pub mod number;
pub mod official;
pub mod open;
mod open_error;
pub mod sheets;
pub mod targets;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};

use crate::config::Config;
use crate::domain::{
    CellRef, Dong, IndicatorCode, IndicatorField, MoneyField, MoneyUnit, Period, ProjectCode, SourceCode, UnitCode,
};
use crate::finding::{Finding, Rule};

pub use open::Format;

/// The file a report was read from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Full path.
    pub path: PathBuf,
    /// Path relative to the input folder, as shown in reports.
    pub name: String,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Last modification time (local).
    pub modified: Option<NaiveDateTime>,
    /// A period named by the file's folder or name (`input/2024-06/…`), if any.
    pub period_hint: Option<Period>,
}

impl SourceFile {
    /// A file known only by its path (it could not be read): its name and
    /// the period its path names, no hash, size or time.
    pub fn unread(path: &Path, root: &Path) -> Self {
        let name = relative_name(path, root);
        Self {
            path: path.to_path_buf(),
            period_hint: period_from_path(&name),
            name,
            sha256: String::new(),
            size: 0,
            modified: None,
        }
    }
}

/// A path as shown in reports: relative to the input folder, with `/`.
pub fn relative_name(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Who and when a workbook is for, from its identity block.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// The unit code as written, with its cell.
    pub unit_written: Option<(String, String, CellRef)>,
    /// The registered unit it names.
    pub unit: Option<UnitCode>,
    /// The unit name as written.
    pub unit_name: Option<String>,
    /// The reporting period.
    pub period: Option<Period>,
    /// The submission date (`Ngày báo cáo`).
    pub submitted: Option<NaiveDate>,
    /// The sheet and cell of the submission date.
    pub submitted_at: Option<(String, CellRef)>,
    /// The money unit (`Đơn vị tính`).
    pub money_unit: Option<MoneyUnit>,
}

/// One money figure as read: a leaf project (or a parent reported alone), a
/// source, a field, the value and its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapitalFigure {
    /// The project.
    pub project: ProjectCode,
    /// The source.
    pub source: SourceCode,
    /// Which figure.
    pub field: MoneyField,
    /// Exact amount.
    pub value: Dong,
    /// Where it was read.
    pub cell: CellRef,
}

/// One indicator value as read.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFigure {
    /// The indicator.
    pub code: IndicatorCode,
    /// Which value.
    pub field: IndicatorField,
    /// The value (rates as fractions).
    pub value: f64,
    /// Where it was read.
    pub cell: CellRef,
}

/// A stated total that must equal the sum of its parts (checksum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checksum {
    /// Row total, column total or parent project.
    pub rule: Rule,
    /// The cell holding the stated total.
    pub cell: CellRef,
    /// What the cell says.
    pub stated: Dong,
    /// The sum of the detail cells.
    pub computed: Dong,
    /// What is summed, in Vietnamese ("Dự án 3, Kế hoạch vốn NSTW").
    pub what: String,
}

/// A difficulty or recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// `Khó khăn, vướng mắc` or `Kiến nghị, đề xuất`.
    pub topic: String,
    /// The text.
    pub text: String,
    /// Where it was read.
    pub cell: CellRef,
}

/// Everything read from one workbook.
#[derive(Debug, Clone)]
pub struct UnitReport {
    /// The file.
    pub file: SourceFile,
    /// The format, once opened.
    pub format: Option<Format>,
    /// Identity block.
    pub identity: Identity,
    /// The capital sheet's name.
    pub capital_sheet: Option<String>,
    /// Money figures.
    pub capital: Vec<CapitalFigure>,
    /// Whether the workbook has a "disbursed this month" column group.
    pub month_reported: bool,
    /// The indicator sheet's name.
    pub indicator_sheet: Option<String>,
    /// Indicator values.
    pub indicators: Vec<IndicatorFigure>,
    /// Checksums that disagree (stated ≠ computed), to report: one that
    /// holds is not kept (at national scale they were a million, each with
    /// its description formatted).
    pub checksums: Vec<Checksum>,
    /// The notes sheet's name.
    pub notes_sheet: Option<String>,
    /// Difficulties and recommendations.
    pub notes: Vec<Note>,
    /// What was found.
    pub findings: Vec<Finding>,
    /// The layout (sheet and column meanings), to notice template drift.
    pub layout: Vec<String>,
}

impl UnitReport {
    /// A report with nothing read yet.
    pub fn new(file: SourceFile) -> Self {
        Self {
            file,
            format: None,
            identity: Identity::default(),
            capital_sheet: None,
            capital: Vec::new(),
            month_reported: false,
            indicator_sheet: None,
            indicators: Vec::new(),
            checksums: Vec::new(),
            notes_sheet: None,
            notes: Vec::new(),
            findings: Vec::new(),
            layout: Vec::new(),
        }
    }

    /// True when a finding rejects the workbook.
    pub fn is_rejected(&self) -> bool {
        self.findings.iter().any(|f| f.severity == crate::finding::Severity::Error)
    }

    /// Adds a finding placed in this workbook.
    pub fn add(&mut self, finding: Finding) {
        let mut f = finding.in_file(&self.file.name);
        if f.unit.is_none() {
            f.unit.clone_from(&self.identity.unit);
        }
        self.findings.push(f);
    }
}

/// What a number cell is, for messages: `"số tiền"` or `"chỉ tiêu"`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CellKind {
    Money,
    Indicator,
}

impl CellKind {
    fn label(self) -> &'static str {
        match self {
            CellKind::Money => "số tiền",
            CellKind::Indicator => "chỉ tiêu",
        }
    }
}

/// Reads a number cell as written: `None` for a blank cell (or a lone dash),
/// else the exact decimal and whether the text carried `%`. An error value
/// or text that is not a number becomes a finding at the cell.
pub(crate) fn number_cell(
    grid: &grid::Grid,
    cell: CellRef,
    kind: CellKind,
    report: &mut UnitReport,
) -> Option<(number::Decimal, bool)> {
    let what = kind.label();
    let problem = match grid.value(cell.row, cell.col) {
        grid::Value::Empty => return None,
        grid::Value::Number(n) => return number::Decimal::from_f64(*n).map(|d| (d, false)),
        grid::Value::Text(t) => match number::parse_text(t) {
            Ok(d) => return d.map(|d| (d, t.contains('%'))),
            Err(e) => Finding::new(
                Rule::NotANumber,
                format!("Ô {what} ghi {e}. Đề nghị chỉ ghi số (ví dụ 1.728 hoặc 1728,5)."),
            ),
        },
        grid::Value::Error(e) => Finding::new(
            Rule::ErrorValue,
            format!("Ô {what} chứa lỗi công thức {e}. Đề nghị sửa công thức hoặc nhập số trực tiếp."),
        ),
        other => Finding::new(
            Rule::NotANumber,
            format!("Ô {what} ghi \"{}\", không phải số. Đề nghị chỉ ghi số.", other.display()),
        ),
    };
    report.add(problem.at(&grid.name, cell));
    None
}

/// A row whose code names one item and whose name names another
/// (`DA3.1 | Cải thiện dinh dưỡng`): a warning at the code cell; the code is used.
/// `code` and `code_name` are what the code names, `other` what the name names.
pub(crate) fn code_name_mismatch(
    report: &mut UnitReport,
    grid: &grid::Grid,
    cell: CellRef,
    (code, code_name): (&str, &str),
    written: &str,
    other: &str,
) {
    report.add(
        Finding::new(
            Rule::CodeNameMismatch,
            format!(
                "Dòng {}: mã {code} là \"{code_name}\" nhưng tên ghi \"{}\" (là {other}). Số liệu được tính theo mã {code}; đề nghị kiểm tra lại mã hoặc tên.",
                cell.row + 1,
                crate::text::defuse_formula(written),
            ),
        )
        .at(&grid.name, cell),
    );
}

/// Reads a file's bytes and metadata; the path is shown relative to `root`.
///
/// A file larger than `max_bytes` is not read into memory: its hash is
/// computed as it streams by, and the bytes returned are empty (the size in
/// [`SourceFile::size`] tells [`read_workbook`] to refuse it).
///
/// # Errors
///
/// The I/O error when the file cannot be read at all.
pub fn load_file(path: &Path, root: &Path, max_bytes: u64) -> std::io::Result<(SourceFile, Vec<u8>)> {
    use sha2::Digest;
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified().ok().map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local());
    let name = relative_name(path, root);
    let period_hint = period_from_path(&name);
    let mut file = std::fs::File::open(path)?;
    // Read at most one byte past the limit: a file that grows while it is
    // read, or a special file whose metadata says 0, is still bounded.
    let cap = if meta.len() > max_bytes { 0 } else { max_bytes.saturating_add(1) };
    // Room for the whole file (and the byte that tells it grew) at once: read
    // into a growing buffer, a small workbook took a dozen reads and copies.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(cap)).unwrap_or(0).saturating_add(1));
    (&mut file).take(cap).read_to_end(&mut bytes)?;
    let (size, sha256) = if cap == 0 || bytes.len() as u64 > max_bytes {
        let mut hasher = sha2::Sha256::new();
        hasher.update(&bytes);
        let mut size = bytes.len() as u64;
        let mut chunk = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            hasher.update(&chunk[..n]);
            size += n as u64;
        }
        bytes = Vec::new();
        (size.max(meta.len()), crate::hex(&hasher.finalize()))
    } else {
        (bytes.len() as u64, crate::sha256_hex(&bytes))
    };
    Ok((SourceFile { path: path.to_path_buf(), name, sha256, size, modified, period_hint }, bytes))
}

/// A period named by the folders or the file name: `2024-06`, `06-2024`,
/// `T06_2024`, `thang 6 nam 2024`. The innermost mention wins.
pub fn period_from_path(name: &str) -> Option<Period> {
    name.rsplit(['/', '\\']).find_map(|part| {
        let stem = part.rsplit_once('.').map_or(part, |(s, _)| s);
        find_period_in(stem)
    })
}

fn find_period_in(text: &str) -> Option<Period> {
    let groups: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
    for pair in groups.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let candidate = if a.len() == 4 && b.len() <= 2 {
            Period::new(a.parse().ok()?, b.parse().ok()?)
        } else if b.len() == 4 && a.len() <= 2 {
            Period::new(b.parse().ok()?, a.parse().ok()?)
        } else {
            None
        };
        if candidate.is_some() {
            return candidate;
        }
    }
    // "202406" written as one group.
    groups
        .iter()
        .find_map(|g| (g.len() == 6).then(|| Period::new(g[..4].parse().ok()?, g[4..].parse().ok()?)).flatten())
}

/// Reads one workbook into a [`UnitReport`]. Never fails: problems are findings.
pub fn read_workbook(file: SourceFile, bytes: Vec<u8>, config: &Config) -> UnitReport {
    let mut report = UnitReport::new(file);
    let limits = &config.settings.limits;
    if report.file.size > limits.max_file_bytes() {
        let message = format!(
            "Không dùng được tệp: tệp nặng {:.1} MB, vượt giới hạn {} MB.",
            report.file.size as f64 / 1_048_576.0,
            limits.max_file_mb
        );
        report.add(Finding::new(Rule::FileTooLarge, message));
        return report;
    }
    let mut workbook = match open::open(bytes, limits) {
        Ok(wb) => wb,
        Err(e) => {
            let rule = match &e {
                open::OpenError::Empty => Rule::FileEmpty,
                open::OpenError::TooLarge(_) => Rule::FileTooLarge,
                open::OpenError::Encrypted => Rule::FileEncrypted,
                open::OpenError::NotAWorkbook(_) => Rule::NotAWorkbook,
                open::OpenError::Corrupt(_) => Rule::FileUnreadable,
            };
            let message = format!("Không dùng được tệp: {e}.");
            report.add(Finding::new(rule, message));
            return report;
        }
    };
    report.format = Some(workbook.format);
    sheets::read_sheets(&mut workbook, &mut report, config);
    // Every report is kept until the outputs are written: no spare capacity.
    report.capital.shrink_to_fit();
    report.indicators.shrink_to_fit();
    report.checksums.shrink_to_fit();
    report.layout.shrink_to_fit();
    report.notes.shrink_to_fit();
    report.findings.shrink_to_fit();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_from_folders_and_names() {
        let june = Period::new(2024, 6);
        assert_eq!(period_from_path("2024-06/tan_phong.xlsx"), june);
        assert_eq!(period_from_path("thang 06-2024/x.xlsx"), june);
        assert_eq!(period_from_path("T6_2024_SungPhai.xls"), june);
        assert_eq!(period_from_path("bao_cao_202406.ods"), june);
        assert_eq!(period_from_path("2024-05/late/2024-06_x.xlsx"), june, "innermost wins");
        assert_eq!(period_from_path("tan_phong.xlsx"), None);
        assert_eq!(period_from_path("don_vi_03364.xlsx"), None);
    }
}
