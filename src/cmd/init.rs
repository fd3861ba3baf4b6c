//! `gnbv init [DIR]`: a clean configuration for a new agency, then the next
//! steps. What is written, and how (all at once, by renaming a finished
//! folder), is [`crate::scaffold`]; this file refuses to overwrite and prints.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::{Global, InitArgs};
use crate::exit::{ExitStatus, Failure, OrExit};
use crate::read::official::{ALLOCATION_FILE, TARGETS_FILE};

/// Writes `DIR/config/` and the empty `DIR/input/` and `DIR/output/`.
///
/// # Errors
///
/// [`ExitStatus::Usage`] when `DIR/config` already exists (nothing is
/// written), [`ExitStatus::Failed`] when the files cannot be written.
pub fn run(args: &InitArgs, global: &Global) -> Result<ExitStatus, Failure> {
    let config = args.dir.join("config");
    if config.exists() {
        return Err(Failure {
            status: ExitStatus::Usage,
            error: anyhow::anyhow!(
                "thư mục cấu hình {} đã có; gnbv init không ghi đè lên cấu hình đang dùng. \
                 Muốn tạo lại từ đầu: đổi tên hoặc chuyển thư mục đó đi rồi chạy lại.",
                config.display()
            ),
        });
    }
    crate::scaffold::write(&config).or_exit(ExitStatus::Failed)?;
    for sub in ["input", "output"] {
        let dir = args.dir.join(sub);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("không tạo được {}", dir.display()))
            .or_exit(ExitStatus::Failed)?;
    }
    if !global.quiet {
        print!("{}", next_steps(&args.dir, crate::paths::is_package_binary(std::env::current_exe().ok().as_deref())));
    }
    Ok(ExitStatus::Clean)
}

/// What to do next, in Vietnamese, with commands that work from where the
/// officer is (the installed package's binary needs `GNBV_HOME` to use a
/// folder other than /etc/gnbv).
fn next_steps(dir: &Path, package_binary: bool) -> String {
    let shown = |sub: &str| -> PathBuf { if dir == Path::new(".") { PathBuf::from(sub) } else { dir.join(sub) } };
    let prefix = if package_binary {
        let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        format!("GNBV_HOME={} ", abs.display())
    } else if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    let config = shown("config");
    let input = shown("input");
    format!(
        "Đã tạo cấu hình mới ở {config} (chưa có đơn vị nào, không có số liệu mẫu),
và hai thư mục trống: {input} (báo cáo của các đơn vị), {output} (kết quả).

Các bước tiếp theo:
  1. Mở {settings} và điền mục [agency]: mã cơ quan (mã cấp trên
     dùng cho mình), tên cơ quan, cơ quan chủ quản, địa danh; xem lại hạn gửi báo cáo ([deadline]).
  2. Dán danh sách các đơn vị phải báo cáo vào {units}: mỗi dòng
     mã,tên,loại (xem dòng ví dụ trong tệp; có thể mở và lưu bằng Excel, dạng CSV UTF-8).
  3. Nếu có quyết định giao vốn hoặc giao chỉ tiêu của năm: đặt tệp vào
     {official} ({ALLOCATION_FILE}, {TARGETS_FILE}).
  4. Ghi mẫu biểu cho từng đơn vị rồi gửi cho các đơn vị:
     {prefix}gnbv template --period YYYY-MM
  5. Mỗi tháng, đặt báo cáo các đơn vị gửi về vào {input}/YYYY-MM/ rồi chạy:
     {prefix}gnbv run
",
        output = shown("output").display(),
        config = config.display(),
        input = input.display(),
        settings = config.join("settings.toml").display(),
        units = config.join("units.csv").display(),
        official = config.join("official").join("<năm>").display(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_steps_give_commands_that_work_from_here() {
        let here = next_steps(Path::new("."), false);
        assert!(here.contains("     gnbv run\n") && here.contains("config/units.csv"), "{here}");
        let there = next_steps(Path::new("/srv/gnbv"), false);
        assert!(there.contains("cd /srv/gnbv && gnbv template --period YYYY-MM"), "{there}");
        let packaged = next_steps(Path::new("/srv/gnbv"), true);
        assert!(packaged.contains("GNBV_HOME=/srv/gnbv gnbv run"), "{packaged}");
    }
}
