//! Discovery: which files under the input folder are unit workbooks, and
//! which are not read (each listed with its reason, in the run's record).

use std::path::{Path, PathBuf};

use crate::read;

/// Workbook extensions read; anything else in the input folder is listed as skipped.
const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// A file under the input folder that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Path relative to the input folder.
    pub name: String,
    /// Why it is not read.
    pub reason: String,
}

/// Lists workbook files under `input` (recursively, in name order), skipping
/// hidden files, Excel lock files (`~$…`) and other kinds of files.
///
/// # Errors
///
/// The I/O error when `input` cannot be listed.
pub fn discover(input: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<Skipped>)> {
    if !input.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not a folder", input.display())));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(input).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')) {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let rel = read::relative_name(entry.path(), input);
        if name.starts_with("~$") || name.starts_with(".~lock") {
            skipped.push(Skipped { name: rel, reason: "tệp khóa tạm của Excel/LibreOffice".into() });
            continue;
        }
        let ext = entry.path().extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
            files.push(entry.into_path());
        } else {
            skipped.push(Skipped { name: rel, reason: "không phải tệp bảng tính (.xlsx, .xls, .ods)".into() });
        }
    }
    Ok((files, skipped))
}
