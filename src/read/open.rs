//! Opening a unit's file: what format it really is, whether it is safe to
//! read, and its sheets as [`Grid`]s.
//!
//! The file name's extension is not trusted: offices rename CSV and HTML
//! exports to `.xls`, and a password-protected `.xlsx` is really an OLE
//! container. The bytes decide. Before any sheet is parsed, a zipped workbook's
//! directory is checked against the configured limits, so a zip bomb ends as a
//! finding, not as an exhausted machine.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{DataRef, Dimensions, Ods, Reader, Xls, Xlsb, Xlsx};

use super::grid::{Grid, TooLarge, convert_ref};
use super::merges::SheetPaths;
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
    /// OpenDocument spreadsheet (`.ods`).
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

/// Why a file cannot be opened as a workbook.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Zero bytes.
    #[error("tệp rỗng (0 byte)")]
    Empty,
    /// Larger than the configured limit.
    #[error("{0}")]
    TooLarge(String),
    /// Protected with a password.
    #[error("tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại")]
    Encrypted,
    /// Some other kind of file.
    #[error("{0}")]
    NotAWorkbook(String),
    /// A workbook that the parser could not read.
    #[error("tệp bị hỏng, không đọc được ({0}); hãy mở bằng Excel, lưu lại rồi gửi lại")]
    Corrupt(String),
}

/// An opened workbook.
pub struct Workbook {
    /// The format found from the bytes.
    pub format: Format,
    sheets: calamine::Sheets<Cursor<Arc<[u8]>>>,
    limits: Limits,
    /// The file's bytes (shared with calamine's reader).
    bytes: Arc<[u8]>,
    /// Where each xlsx sheet is in the zip, once looked up.
    paths: Lookup<SheetPaths>,
}

/// Something looked up once, when first needed.
enum Lookup<T> {
    NotYet,
    Unavailable,
    Found(T),
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
    if bytes.len() as u64 > limits.max_file_mb * 1024 * 1024 {
        return Err(OpenError::TooLarge(format!(
            "tệp nặng {:.1} MB, vượt giới hạn {} MB",
            bytes.len() as f64 / 1_048_576.0,
            limits.max_file_mb
        )));
    }
    let format = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        zip_format(&bytes, limits)?
    } else if bytes.starts_with(OLE_MAGIC) {
        if contains_utf16(&bytes, "EncryptedPackage") || contains_utf16(&bytes, "EncryptionInfo") {
            return Err(OpenError::Encrypted);
        }
        Format::Xls
    } else {
        return Err(OpenError::NotAWorkbook(describe_other(&bytes)));
    };
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let cursor = Cursor::new(Arc::clone(&bytes));
    let sheets = match format {
        Format::Xlsx => Xlsx::new(cursor).map(calamine::Sheets::Xlsx).map_err(|e| match e {
            calamine::XlsxError::Password => OpenError::Encrypted,
            other => OpenError::Corrupt(other.to_string()),
        })?,
        Format::Xlsb => Xlsb::new(cursor).map(calamine::Sheets::Xlsb).map_err(|e| match e {
            calamine::XlsbError::Password => OpenError::Encrypted,
            other => OpenError::Corrupt(other.to_string()),
        })?,
        Format::Xls => Xls::new(cursor).map(calamine::Sheets::Xls).map_err(|e| match e {
            calamine::XlsError::Password => OpenError::Encrypted,
            other => OpenError::Corrupt(other.to_string()),
        })?,
        Format::Ods => Ods::new(cursor).map(calamine::Sheets::Ods).map_err(|e| match e {
            calamine::OdsError::Password => OpenError::Encrypted,
            other => OpenError::Corrupt(other.to_string()),
        })?,
    };
    Ok(Workbook { format, sheets, limits: limits.clone(), bytes, paths: Lookup::NotYet })
}

/// Finds the format of a zip container and checks its declared sizes.
fn zip_format(bytes: &[u8], limits: &Limits) -> Result<Format, OpenError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| OpenError::Corrupt(format!("zip: {e}")))?;
    let max_total = limits.max_unzipped_mb * 1024 * 1024;
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
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") && has("mimetype") {
        Ok(Format::Ods)
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
        self.add_merges(&mut grid, name);
        Ok(grid)
    }

    /// Adds the sheet's merged regions to a grid read with
    /// [`Workbook::grid_without_merges`]. In an xlsx file they sit at the end
    /// of the sheet's XML, so finding them costs a second pass over the
    /// sheet: only the sheets whose header needs them (the capital table) pay it.
    pub fn add_merges(&mut self, grid: &mut Grid, name: &str) {
        let merges = match &mut self.sheets {
            calamine::Sheets::Xlsx(x) => {
                if matches!(self.paths, Lookup::NotYet) {
                    self.paths = SheetPaths::read(&self.bytes).map_or(Lookup::Unavailable, Lookup::Found);
                }
                let found = match &self.paths {
                    Lookup::Found(paths) => paths.merges(&self.bytes, name),
                    Lookup::NotYet | Lookup::Unavailable => None,
                };
                match found {
                    Some(found) => found,
                    None => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
                }
            }
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            calamine::Sheets::Xlsb(_) | calamine::Sheets::Ods(_) => Vec::new(),
        };
        grid.set_merges(merges);
    }

    /// Reads one sheet into a [`Grid`] like [`Workbook::grid`], without its
    /// merged regions (see [`Workbook::add_merges`]).
    ///
    /// # Errors
    ///
    /// As [`Workbook::grid`].
    pub fn grid_without_merges(&mut self, name: &str) -> Result<Grid, OpenError> {
        let (max_rows, max_cols) = (self.limits.max_rows, self.limits.max_columns);
        let too_large = |e: TooLarge| OpenError::TooLarge(format!("trang \"{name}\": {e}"));
        match &mut self.sheets {
            calamine::Sheets::Xlsx(x) => {
                // Stream cells so a sheet that declares (or uses) a million rows
                // is refused at the limit instead of being allocated first.
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| OpenError::Corrupt(e.to_string()))?;
                let mut cells = Vec::new();
                while let Some(cell) = reader.next_cell().map_err(|e| OpenError::Corrupt(e.to_string()))? {
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
                    let value = cell.get_value();
                    if !matches!(value, DataRef::Empty) {
                        cells.push(((row, col), convert_ref(value)));
                    }
                }
                drop(reader);
                Ok(Grid::from_values(name, cells, Vec::new()))
            }
            calamine::Sheets::Xls(x) => {
                let range = x.worksheet_range(name).map_err(|e| OpenError::Corrupt(e.to_string()))?;
                Grid::from_range(name, &range, Vec::new(), max_rows, max_cols).map_err(too_large)
            }
            calamine::Sheets::Xlsb(x) => {
                let range = x.worksheet_range(name).map_err(|e| OpenError::Corrupt(e.to_string()))?;
                Grid::from_range(name, &range, Vec::new(), max_rows, max_cols).map_err(too_large)
            }
            calamine::Sheets::Ods(x) => {
                let range = x.worksheet_range(name).map_err(|e| OpenError::Corrupt(e.to_string()))?;
                Grid::from_range(name, &range, Vec::<Dimensions>::new(), max_rows, max_cols).map_err(too_large)
            }
        }
    }
}
