//! The output folder: one writer at a time, every file written under a
//! temporary name and renamed, earlier reports archived, never overwritten.
//!
//! A run writes everything into a staging folder inside `output/`. Only when
//! all files are complete does it commit: the period folder's current files
//! are hard-linked (or copied) into `archive/<time>/`, then each new file is
//! renamed over its final name, the main report last. A run killed before the
//! commit leaves the previous report as it was; a leftover staging folder is
//! removed by the next run.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::domain::Period;
use crate::text::safe_file_stem;

/// The lock file name inside the output folder.
pub const LOCK_FILE: &str = ".gnbv.lock";
/// The archive folder inside a period folder.
pub const ARCHIVE_DIR: &str = "archive";
/// The feedback folder inside a period folder.
pub const FEEDBACK_DIR: &str = "phan_hoi";
/// `summary.json`.
pub const SUMMARY_FILE: &str = "summary.json";
/// The run log.
pub const LOG_FILE: &str = "gnbv.log";

/// The consolidated report's file name.
pub fn report_file_name(period: Period) -> String {
    format!("bao_cao_tong_hop_{period}.xlsx")
}

/// The report for the level above.
pub fn upward_file_name(agency: &str, period: Period) -> String {
    format!("bao_cao_cap_tren_{}_{period}.xlsx", safe_file_stem(agency))
}

/// The period's tidy data (Parquet).
pub fn tidy_file_name(period: Period) -> String {
    format!("du_lieu_{period}.parquet")
}

/// The period's tidy data (CSV).
pub fn tidy_csv_name(period: Period) -> String {
    format!("du_lieu_{period}.csv")
}

/// Each unit's workbook layout (JSON), for next month's drift check.
pub fn layout_file_name(period: Period) -> String {
    format!("bo_cuc_{period}.json")
}

/// A unit's feedback workbook, inside [`FEEDBACK_DIR`].
pub fn feedback_file_name(unit: &str, period: Period) -> String {
    format!("phan_hoi_{}_{period}.xlsx", safe_file_stem(unit))
}

/// Another run holds the lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Still held after waiting.
    #[error("another gnbv run is writing to {0} (lock file {1}); waited {2} s")]
    Held(String, String, u64),
    /// The lock file could not be created.
    #[error("cannot create the lock file {0}: {1}")]
    Io(String, io::Error),
}

/// Holds the output folder's lock until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the output folder's lock, waiting up to `wait`.
///
/// # Errors
///
/// [`LockError::Held`] when another run keeps it longer than `wait`.
pub fn lock(output: &Path, wait: Duration) -> Result<Lock, LockError> {
    let path = output.join(LOCK_FILE);
    fs::create_dir_all(output).map_err(|e| LockError::Io(path.display().to_string(), e))?;
    let mut file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| LockError::Io(path.display().to_string(), e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => {
                let _ = file.set_len(0);
                let _ = writeln!(file, "pid {}", std::process::id());
                return Ok(Lock { _file: file });
            }
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(LockError::Held(output.display().to_string(), path.display().to_string(), wait.as_secs()));
            }
            Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(path.display().to_string(), e)),
        }
    }
}

/// Removes staging folders left by runs that were killed.
pub fn clean_stale(output: &Path) {
    let Ok(entries) = fs::read_dir(output) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".staging-") {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Files being prepared for one period, not yet visible under final names.
#[derive(Debug)]
pub struct Staging {
    dir: tempfile::TempDir,
    period_dir: PathBuf,
    files: Vec<String>,
}

/// What a commit did.
#[derive(Debug, Clone, Default)]
pub struct Committed {
    /// The previous report's archive folder, if there was one.
    pub archived_to: Option<PathBuf>,
    /// Files now in the period folder.
    pub files: Vec<String>,
}

/// Writes a file and waits until it is on disk.
///
/// # Errors
///
/// The I/O error.
pub fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates a file to be written as it is produced; end with [`finish_synced`].
///
/// # Errors
///
/// The I/O error.
pub fn create_buffered(path: &Path) -> io::Result<io::BufWriter<File>> {
    Ok(io::BufWriter::with_capacity(1 << 20, File::create(path)?))
}

/// Flushes a file made by [`create_buffered`] and waits until it is on disk.
///
/// # Errors
///
/// The I/O error.
pub fn finish_synced(writer: io::BufWriter<File>) -> io::Result<()> {
    writer.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()
}

/// Waits until a file written by another writer is on disk.
///
/// # Errors
///
/// The I/O error.
pub fn sync_file(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

impl Staging {
    /// Starts staging for `output/<period>/`.
    ///
    /// # Errors
    ///
    /// The I/O error when the staging folder cannot be created.
    pub fn new(output: &Path, period: Period) -> io::Result<Self> {
        fs::create_dir_all(output)?;
        let dir = tempfile::Builder::new().prefix(".staging-").tempdir_in(output)?;
        Ok(Self { dir, period_dir: output.join(period.to_string()), files: Vec::new() })
    }

    /// The final folder of the period.
    pub fn period_dir(&self) -> &Path {
        &self.period_dir
    }

    /// Writes a file (a relative path, `/` separated) into staging.
    ///
    /// # Errors
    ///
    /// The I/O error.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(name)?;
        write_synced(&path, bytes)
    }

    /// A folder inside staging for temporary files, on the output's disk
    /// (not committed: only files named with [`Staging::path`] are).
    ///
    /// # Errors
    ///
    /// The I/O error.
    pub fn scratch(&self) -> io::Result<PathBuf> {
        let path = self.dir.path().join(".scratch");
        fs::create_dir_all(&path)?;
        Ok(path)
    }

    /// The staged path of a file (for writers that need a path).
    pub fn path(&mut self, name: &str) -> io::Result<PathBuf> {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        self.files.push(name.to_string());
        Ok(path)
    }

    /// Moves the staged files into place. The previous files of the period
    /// are archived first under `archive/<stamp>/`; files of the previous run
    /// that this run does not produce are removed from view (they stay in
    /// the archive). `last` is renamed last.
    ///
    /// # Errors
    ///
    /// The I/O error; files already renamed stay renamed, the archive keeps
    /// the previous run whole.
    pub fn commit(self, stamp: &str, last: &str) -> io::Result<Committed> {
        fs::create_dir_all(&self.period_dir)?;
        let previous = list_files(&self.period_dir)?;
        let mut committed = Committed::default();
        if !previous.is_empty() {
            let mut archive = self.period_dir.join(ARCHIVE_DIR).join(stamp);
            let mut n = 1;
            while archive.exists() {
                n += 1;
                archive = self.period_dir.join(ARCHIVE_DIR).join(format!("{stamp}-{n}"));
            }
            for rel in &previous {
                let from = self.period_dir.join(rel);
                let to = archive.join(rel);
                if let Some(parent) = to.parent() {
                    fs::create_dir_all(parent)?;
                }
                if fs::hard_link(&from, &to).is_err() {
                    fs::copy(&from, &to)?;
                }
            }
            committed.archived_to = Some(archive);
        }
        let mut order: Vec<&String> = self.files.iter().filter(|f| f.as_str() != last).collect();
        order.extend(self.files.iter().filter(|f| f.as_str() == last));
        for rel in order {
            let to = self.period_dir.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(self.dir.path().join(rel), &to)?;
        }
        for rel in previous {
            if !self.files.contains(&rel) {
                let _ = fs::remove_file(self.period_dir.join(&rel));
            }
        }
        committed.files.clone_from(&self.files);
        Ok(committed)
    }
}

/// Files of a period folder (relative, `/` separated), the archive excluded.
pub fn list_files(period_dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    if !period_dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(period_dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(period_dir).unwrap_or(entry.path());
        if rel.components().next().is_some_and(|c| c.as_os_str() == ARCHIVE_DIR) || !entry.file_type().is_file() {
            continue;
        }
        out.push(rel.to_string_lossy().replace('\\', "/"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_archives_the_previous_run() {
        let dir = tempfile::tempdir().unwrap();
        let period = Period::new(2024, 6).unwrap();
        let mut first = Staging::new(dir.path(), period).unwrap();
        first.write("a.txt", b"one").unwrap();
        first.write("sub/b.txt", b"two").unwrap();
        first.commit("t1", "a.txt").unwrap();
        let mut second = Staging::new(dir.path(), period).unwrap();
        second.write("a.txt", b"three").unwrap();
        let done = second.commit("t2", "a.txt").unwrap();
        let pdir = dir.path().join("2024-06");
        assert_eq!(fs::read(pdir.join("a.txt")).unwrap(), b"three");
        assert!(!pdir.join("sub/b.txt").exists(), "a file the new run does not make leaves the view");
        let archive = done.archived_to.unwrap();
        assert_eq!(fs::read(archive.join("a.txt")).unwrap(), b"one");
        assert_eq!(fs::read(archive.join("sub/b.txt")).unwrap(), b"two");
        assert_eq!(list_files(&pdir).unwrap(), vec!["a.txt"]);
    }

    #[test]
    fn a_second_lock_waits_then_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path(), Duration::from_secs(0)).unwrap();
        let err = lock(dir.path(), Duration::from_millis(300)).unwrap_err();
        assert!(matches!(err, LockError::Held(..)));
        drop(held);
        assert!(lock(dir.path(), Duration::from_secs(0)).is_ok());
    }
}
