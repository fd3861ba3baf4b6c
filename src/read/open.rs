//! Opening a unit's file: what format it really is, whether it is safe to
//! read, and its sheets as [`Grid`]s.
//!
//! The file name's extension is not trusted: offices rename CSV and HTML
//! exports to `.xls`, and a password-protected `.xlsx` is really an OLE
//! container. The bytes decide. Before any sheet is parsed, a zipped workbook's
//! directory is checked against the configured limits, so a zip bomb ends as a
//! finding, not as an exhausted machine; what the parser would build from the
//! file is counted first ([`super::guard`]); and a panic inside the parser is
//! caught and becomes a finding for that file alone.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use calamine::{DataRef, Dimensions, Ods, Reader, Xls, Xlsx};

use super::grid::{Grid, TooLarge, convert_ref};
use super::guard::Archive;
use super::merges::SheetPaths;
pub use super::open_error::OpenError;
use crate::config::Limits;

/// The workbook formats gnbv reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97-2003 (`.xls`).
    Xls,
    /// `OpenDocument` spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// A short name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// An opened workbook.
pub struct Workbook {
    /// The format found from the bytes.
    pub format: Format,
    sheets: calamine::Sheets<Cursor<Arc<[u8]>>>,
    limits: Limits,
    /// Text kept from cells so far (UTF-8 bytes), against `max_text_mb`.
    text_used: u64,
    /// Cells held in the grids read so far, against `max_cells`.
    cells_held: u64,
    /// The parser panicked: nothing more is read from this workbook.
    broken: bool,
    /// An xlsx file's zip directory, as read for the structure check, until
    /// the sheet paths are looked up with it.
    zip: Option<Archive>,
    /// Where each xlsx sheet is in the zip, once looked up.
    paths: Lookup<SheetPaths>,
}

/// Something looked up once, when first needed.
enum Lookup<T> {
    NotYet,
    Unavailable,
    Found(T),
}

/// Runs parser code, turning a panic into [`OpenError::Corrupt`]: a bug in
/// the parser on one hostile file must not stop the month's run.
fn guarded<T>(f: impl FnOnce() -> Result<T, OpenError>) -> Result<T, OpenError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(OpenError::Corrupt(format!(
            "bộ đọc dừng vì cấu trúc tệp bất thường: {}",
            what.chars().take(80).collect::<String>()
        )))
    })
}

/// A sheet's name and whether it is visible.
#[derive(Debug, Clone)]
pub struct SheetInfo {
    /// Name as in the workbook.
    pub name: String,
    /// False for hidden and very hidden sheets.
    pub visible: bool,
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens workbook bytes after checking format and limits.
///
/// # Errors
///
/// [`OpenError`] saying in Vietnamese why the file cannot be used.
pub fn open(bytes: Vec<u8>, limits: &Limits) -> Result<Workbook, OpenError> {
    if bytes.is_empty() {
        return Err(OpenError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes() {
        return Err(OpenError::TooLarge(format!(
            "tệp nặng {:.1} MB, vượt giới hạn {} MB",
            bytes.len() as f64 / 1_048_576.0,
            limits.max_file_mb
        )));
    }
    // Shared by the structure check, calamine's reader and the merged regions.
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let mut zip = None;
    let format = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let (format, archive) = zip_format(&bytes, limits)?;
        zip = (format == Format::Xlsx).then_some(archive);
        format
    } else if bytes.starts_with(OLE_MAGIC) {
        if contains_utf16(&bytes, "EncryptedPackage") || contains_utf16(&bytes, "EncryptionInfo") {
            return Err(OpenError::Encrypted);
        }
        // The OLE container is read by the cfb crate (guarded); the BIFF
        // records are walked by gnbv's own code.
        let stream = guarded(|| super::guard::xls_stream(&bytes, limits))?;
        super::guard::xls(&stream, limits)?;
        Format::Xls
    } else {
        return Err(OpenError::NotAWorkbook(describe_other(&bytes)));
    };
    let cursor = Cursor::new(bytes);
    let sheets = guarded(|| match format {
        Format::Xlsx => Xlsx::new(cursor).map(calamine::Sheets::Xlsx).map_err(|e| match e {
            calamine::XlsxError::Password => OpenError::Encrypted,
            other => parser_error(&other),
        }),
        Format::Xlsb => Err(OpenError::NotAWorkbook(
            "tệp Excel dạng nhị phân (.xlsb) chưa được hỗ trợ; hãy mở bằng Excel và lưu lại dạng .xlsx".into(),
        )),
        Format::Xls => Xls::new(cursor).map(calamine::Sheets::Xls).map_err(|e| match e {
            calamine::XlsError::Password => OpenError::Encrypted,
            other => parser_error(&other),
        }),
        Format::Ods => Ods::new(cursor).map(calamine::Sheets::Ods).map_err(|e| match e {
            calamine::OdsError::Password => OpenError::Encrypted,
            other => parser_error(&other),
        }),
    })?;
    Ok(Workbook {
        format,
        sheets,
        limits: limits.clone(),
        text_used: 0,
        cells_held: 0,
        broken: false,
        zip,
        paths: Lookup::NotYet,
    })
}

/// A parser's error as a finding's reason. zip stops an entry that inflates
/// past the size its directory declares: that is a zip bomb, not a typo.
fn parser_error(e: &dyn std::fmt::Display) -> OpenError {
    let text = e.to_string();
    if text.contains("larger than its declared uncompressed size") {
        OpenError::TooLarge(
            "một phần của tệp nén giải ra nhiều hơn kích thước nó khai báo (nghi \"bom zip\")".to_string(),
        )
    } else {
        OpenError::Corrupt(text)
    }
}

/// Finds the format of a zip container and checks its declared sizes;
/// returns the container's directory with it, read once.
fn zip_format(bytes: &Arc<[u8]>, limits: &Limits) -> Result<(Format, Archive), OpenError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(Arc::clone(bytes))).map_err(|e| OpenError::Corrupt(format!("zip: {e}")))?;
    let max_total = limits.max_unzipped_bytes();
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| OpenError::Corrupt(format!("zip: {e}")))?;
        if entry.encrypted() {
            return Err(OpenError::Encrypted);
        }
        total = total.saturating_add(entry.size());
        names.push(entry.name().map(|n| n.to_string()).unwrap_or_default());
    }
    // zip checks each entry's output against its declared size while reading,
    // so the declared total bounds what parsing can inflate (SPEC §7: zip bombs).
    if total > max_total {
        return Err(OpenError::TooLarge(format!(
            "tệp nén giải ra {} MB, vượt giới hạn {} MB (nghi \"bom zip\")",
            total / 1_048_576,
            limits.max_unzipped_mb
        )));
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        guarded(|| super::guard::xlsx(&mut archive, limits))?;
        Ok((Format::Xlsx, archive))
    } else if has("xl/workbook.bin") {
        Ok((Format::Xlsb, archive))
    } else if has("content.xml") && has("mimetype") {
        guarded(|| super::guard::ods(&mut archive, limits))?;
        Ok((Format::Ods, archive))
    } else if has("word/document.xml") {
        Err(OpenError::NotAWorkbook("đây là tệp Word (.docx), không phải bảng tính".into()))
    } else if has("ppt/presentation.xml") {
        Err(OpenError::NotAWorkbook("đây là tệp PowerPoint, không phải bảng tính".into()))
    } else {
        Err(OpenError::NotAWorkbook("tệp nén .zip không chứa bảng tính".into()))
    }
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(pattern.len()).any(|w| w == pattern.as_slice())
}

/// A clerk-readable guess of what a non-workbook file is.
fn describe_other(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_lowercase();
    if bytes.starts_with(b"%PDF") {
        "đây là tệp PDF, không phải bảng tính; hãy gửi tệp Excel".into()
    } else if text.contains("<html") || text.contains("<!doctype") || text.contains("<table") {
        "đây là trang HTML đổi đuôi thành bảng tính; hãy mở bằng Excel và lưu lại dạng .xlsx".into()
    } else if head.iter().all(|b| b.is_ascii() || *b >= 0x80) && std::str::from_utf8(head).is_ok() {
        "đây là tệp văn bản (có thể là CSV) đổi đuôi, không phải bảng tính; hãy lưu lại dạng .xlsx".into()
    } else {
        "tệp không phải bảng tính Excel (.xlsx, .xls) hay OpenDocument (.ods)".into()
    }
}

impl Workbook {
    /// Sheets in workbook order.
    pub fn sheets(&self) -> Vec<SheetInfo> {
        self.sheets
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| SheetInfo { name: s.name.clone(), visible: s.visible == calamine::SheetVisible::Visible })
            .collect()
    }

    /// Reads one sheet into a [`Grid`], within the configured limits.
    ///
    /// # Errors
    ///
    /// [`OpenError::TooLarge`] beyond the limits, [`OpenError::Corrupt`] when the
    /// sheet cannot be parsed.
    pub fn grid(&mut self, name: &str) -> Result<Grid, OpenError> {
        let mut grid = self.grid_without_merges(name)?;
        self.add_merges(&mut grid, name)?;
        Ok(grid)
    }

    /// Adds the sheet's merged regions to a grid read with
    /// [`Workbook::grid_without_merges`]. In an xlsx file they sit at the end
    /// of the sheet's XML, so finding them costs a second pass over the
    /// sheet: only the sheets whose header needs them (the capital table) pay it.
    ///
    /// # Errors
    ///
    /// [`OpenError::TooLarge`] beyond [`MAX_MERGES`] regions, [`OpenError::Corrupt`]
    /// when the parser fails on them.
    pub fn add_merges(&mut self, grid: &mut Grid, name: &str) -> Result<(), OpenError> {
        if self.broken {
            return Err(OpenError::Corrupt("bộ đọc đã dừng ở trang trước".into()));
        }
        let merges = guarded(|| {
            Ok(match &mut self.sheets {
                calamine::Sheets::Xlsx(x) => {
                    if matches!(self.paths, Lookup::NotYet) {
                        self.paths =
                            self.zip.take().and_then(SheetPaths::read).map_or(Lookup::Unavailable, Lookup::Found);
                    }
                    let found = match &mut self.paths {
                        Lookup::Found(paths) => paths.merges(name),
                        Lookup::NotYet | Lookup::Unavailable => None,
                    };
                    match found {
                        Some(found) => found,
                        None => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
                    }
                }
                calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
                calamine::Sheets::Xlsb(_) | calamine::Sheets::Ods(_) => Vec::new(),
            })
        })?;
        if merges.len() > MAX_MERGES {
            return Err(OpenError::TooLarge(format!(
                "trang có {} vùng gộp ô, vượt giới hạn {MAX_MERGES}",
                merges.len()
            )));
        }
        grid.set_merges(merges);
        Ok(())
    }

    /// Reads one sheet into a [`Grid`] like [`Workbook::grid`], without its
    /// merged regions (see [`Workbook::add_merges`]).
    ///
    /// # Errors
    ///
    /// As [`Workbook::grid`].
    pub fn grid_without_merges(&mut self, name: &str) -> Result<Grid, OpenError> {
        if self.broken {
            return Err(OpenError::Corrupt("bộ đọc đã dừng ở trang trước".into()));
        }
        let result = guarded(|| self.grid_unguarded(name));
        if matches!(&result, Err(OpenError::Corrupt(m)) if m.starts_with("bộ đọc dừng")) {
            self.broken = true;
        }
        result
    }

    fn grid_unguarded(&mut self, name: &str) -> Result<Grid, OpenError> {
        let (max_rows, max_cols) = (self.limits.max_rows, self.limits.max_columns);
        let max_text = self.limits.max_text_bytes();
        // The caller names the sheet in its finding.
        let too_large = |e: TooLarge| OpenError::TooLarge(e.to_string());
        let grid = match &mut self.sheets {
            calamine::Sheets::Xlsx(x) => {
                // Stream cells so a sheet that declares (or uses) a million rows
                // is refused at the limit instead of being allocated first.
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| parser_error(&e))?;
                let mut cells = Vec::new();
                while let Some(cell) = reader.next_cell().map_err(|e| parser_error(&e))? {
                    let (row, col) = cell.get_position();
                    if row >= max_rows || col >= max_cols {
                        if matches!(cell.get_value(), DataRef::Empty) {
                            continue;
                        }
                        return Err(too_large(TooLarge {
                            rows: u64::from(row) + 1,
                            cols: u64::from(col) + 1,
                            max_rows,
                            max_cols,
                        }));
                    }
                    // A shared string is borrowed here; each cell that keeps it
                    // makes a copy, so the copies are counted before they are made.
                    let value = cell.get_value();
                    let text_len = match value {
                        DataRef::SharedString(s) => s.len(),
                        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
                        _ => 0,
                    };
                    self.text_used = self.text_used.saturating_add(text_len as u64);
                    if self.text_used > max_text {
                        return Err(text_too_large(&self.limits));
                    }
                    if !matches!(value, DataRef::Empty) {
                        cells.push(((row, col), convert_ref(value)));
                    }
                }
                drop(reader);
                Grid::from_values(name, cells, Vec::new())
            }
            calamine::Sheets::Xls(x) => {
                let range = x.worksheet_range(name).map_err(|e| parser_error(&e))?;
                Grid::from_range(name, &range, Vec::new(), max_rows, max_cols).map_err(too_large)?
            }
            calamine::Sheets::Xlsb(x) => {
                let range = x.worksheet_range(name).map_err(|e| parser_error(&e))?;
                Grid::from_range(name, &range, Vec::new(), max_rows, max_cols).map_err(too_large)?
            }
            calamine::Sheets::Ods(x) => {
                let range = x.worksheet_range(name).map_err(|e| parser_error(&e))?;
                Grid::from_range(name, &range, Vec::<Dimensions>::new(), max_rows, max_cols).map_err(too_large)?
            }
        };
        // Each grid is dense between its first and last used cells: sheets far
        // apart in one workbook add up.
        let area = u64::from(grid.end_row() - grid.first_row()) * u64::from(grid.end_col() - grid.first_col());
        self.cells_held = self.cells_held.saturating_add(area);
        if self.cells_held > self.limits.max_cells {
            return Err(OpenError::TooLarge(format!(
                "các trang đã đọc giữ {} ô, vượt giới hạn {} ô cho cả tệp",
                self.cells_held, self.limits.max_cells
            )));
        }
        if !matches!(self.sheets, calamine::Sheets::Xlsx(_)) {
            // .xls and .ods text was counted before opening; count what is kept.
            self.text_used = self.text_used.saturating_add(grid.text_bytes());
            if self.text_used > max_text {
                return Err(text_too_large(&self.limits));
            }
        }
        Ok(grid)
    }
}

/// Merged regions one sheet may have (each cell lookup scans them).
pub const MAX_MERGES: usize = 20_000;

fn text_too_large(limits: &Limits) -> OpenError {
    OpenError::TooLarge(format!("chữ trong các ô của tệp vượt giới hạn {} MB", limits.max_text_mb))
}
