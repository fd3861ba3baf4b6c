//! `gnbv check FILE…`: a unit checks its own workbook before sending it.

use crate::check::{Checked, FileChecker, Severity};
use crate::cli::{CheckArgs, Global};
use crate::config::Config;
use crate::exit::{ExitStatus, Failure, OrExit};

/// Checks each file and prints every finding with its cell.
///
/// # Errors
///
/// A [`Failure`] with [`ExitStatus::Usage`] when the config cannot be read.
pub fn run(args: &CheckArgs, global: &Global) -> Result<ExitStatus, Failure> {
    let paths =
        crate::paths::resolve_here(crate::paths::Flags { config: args.config.as_deref(), ..Default::default() });
    let config = Config::load(&paths.config).or_exit(ExitStatus::Usage)?;
    let mut status = ExitStatus::Clean;
    let mut checker = FileChecker::new(&config);
    for path in &args.files {
        let report = match checker.check(path).or_exit(ExitStatus::Usage)? {
            Checked::Report(report) => report,
            Checked::Unreadable(e) => {
                println!("{}: không mở được tệp: {e}", path.display());
                status = status.worst(ExitStatus::Problems);
                continue;
            }
        };
        let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
        let warnings = report.findings.iter().filter(|f| f.severity == Severity::Warning).count();
        let unit =
            report.identity.unit.as_ref().map_or_else(|| "không rõ đơn vị".to_string(), |u| format!("đơn vị {u}"));
        let period = report.identity.period.map_or_else(|| "không rõ kỳ".to_string(), |p| format!("kỳ {}", p.vn()));
        let verdict = if errors > 0 {
            status = status.worst(ExitStatus::Problems);
            format!("BỊ TỪ CHỐI ({errors} lỗi, {warnings} cảnh báo)")
        } else if warnings > 0 {
            format!("được chấp nhận, có {warnings} cảnh báo")
        } else {
            "được chấp nhận, không có sai sót".to_string()
        };
        println!("{}: {unit}, {period} — {verdict}", path.display());
        if !global.quiet && !report.layout.is_empty() {
            println!("  Cách gnbv đọc mẫu biểu (cột nào là số liệu gì):");
            for line in &report.layout {
                println!("    {line}");
            }
        }
        for f in &report.findings {
            if global.quiet && f.severity != Severity::Error {
                continue;
            }
            let place = f.place();
            let place = if place.is_empty() { String::new() } else { format!(" {place}") };
            println!("  [{}]{place}: {} ({})", f.severity.label(), f.message, f.rule.code());
        }
    }
    Ok(status)
}
