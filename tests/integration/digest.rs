//! Issue 12: the cron digest, `tom_tat.txt`, and `gnbv run --digest`.

use crate::common::variant::{Layout, PeriodStyle};
use crate::common::{TestEnv, find_row, sheet};

/// A number as the report's cell format shows it in Vietnamese (`42,5`).
fn shown(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

/// The value column of a key figure on the report's first sheet.
fn key_figure(env: &TestEnv, label: &str) -> f64 {
    let report = env.report("2024-06");
    let first = calamine::open_workbook_auto(&report).map(|wb| calamine::Reader::sheet_names(&wb)[0].clone()).unwrap();
    let range = sheet(&report, &first);
    let row = find_row(&range, 1, label);
    crate::common::number(&range, row, 5)
}

#[test]
fn the_demo_digest_names_units_and_prints_the_report_figures() {
    let env = TestEnv::demo();
    let june = env.input().join("2024-06");
    // San Thàng has not sent June yet; Sùng Phài sent May's figures again as June's file.
    let san_thang = std::fs::read(june.join("SANTHANG.xlsx")).unwrap();
    std::fs::remove_file(june.join("SANTHANG.xlsx")).unwrap();
    Layout { period: PeriodStyle::Text("05/2024"), ..Layout::default() }.write("SUNGPHAI", &june.join("SUNGPHAI.xlsx"));
    env.gnbv_ok(&["run", "--period", "2024-06"], 1);
    let digest = std::fs::read_to_string(env.output().join("2024-06/tom_tat.txt")).unwrap();

    assert!(digest.starts_with("gnbv — tóm tắt báo cáo tháng 6 năm 2024"), "{digest}");
    assert!(digest.contains("Hạn gửi báo cáo: ngày 20/06/2024"), "{digest}");
    assert!(digest.contains("Đơn vị đã gửi báo cáo: 9/10 ("), "{digest}");
    // (with May's file in the input folder, the reason says that only May's arrived)
    assert!(digest.contains("Chưa gửi (1):\n  - Xã San Thàng (SANTHANG): Chỉ nhận được tệp 2024-05/"), "{digest}");
    // Đông Phong's June report is late on purpose in the demo.
    assert!(
        digest.contains("Gửi muộn (1):\n  - Phường Đông Phong (DONGPHONG): gửi ngày 22/06/2024, sau hạn 20/06/2024\n"),
        "{digest}"
    );
    let rejected = digest.lines().skip_while(|l| !l.starts_with("Bị từ chối (1):")).nth(1).unwrap_or_default();
    assert!(rejected.starts_with("  - Xã Sùng Phài (SUNGPHAI): Kỳ báo cáo không đúng"), "{digest}");
    assert!(rejected.contains("tệp 2024-06/SUNGPHAI.xlsx"), "{rejected}");

    // The headline figures as the report's first sheet prints them (0.0% and 0.00).
    let rate = key_figure(&env, "Tỷ lệ giải ngân (%)");
    assert!(digest.contains(&format!("Tỷ lệ giải ngân: {}% (", shown(rate * 100.0, 1))), "{rate} in {digest}");
    let cut = key_figure(&env, "Mức giảm tỷ lệ hộ nghèo (điểm %)");
    assert!(digest.contains(&format!("Mức giảm tỷ lệ hộ nghèo: {} điểm % (Kế hoạch giảm ", shown(cut, 2))), "{digest}");
    assert!(digest.contains("Thay đổi so với lần chạy trước của kỳ này: đây là lần chạy đầu tiên."), "{digest}");
    assert!(digest.contains("Báo cáo: output/2024-06/bao_cao_tong_hop_2024-06.xlsx"), "{digest}");

    // San Thàng's file arrives; the next run prints the digest instead of the one line.
    std::fs::write(june.join("SANTHANG.xlsx"), san_thang).unwrap();
    let out = env.gnbv_ok(&["run", "--period", "2024-06", "--digest"], 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let written = std::fs::read_to_string(env.output().join("2024-06/tom_tat.txt")).unwrap();
    assert_eq!(stdout, written, "--digest prints tom_tat.txt");
    assert!(!stdout.contains("gnbv 2024-06:"), "no one-line summary: {stdout}");
    assert!(written.contains("Đơn vị đã gửi báo cáo: 10/10 ("), "{written}");
    assert!(written.contains("Chưa gửi: không có\n"), "{written}");
    assert!(written.contains("Thay đổi so với lần chạy trước của kỳ này:\n"), "{written}");
    assert!(written.contains("  - tệp mới: 2024-06/SANTHANG.xlsx\n"), "{written}");
    assert!(written.contains("  - số đơn vị đã báo cáo: 9 -> 10\n"), "{written}");
    // The first run's digest is archived with the rest of its files.
    let archived = walkdir::WalkDir::new(env.output().join("2024-06/archive"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "tom_tat.txt")
        .expect("archived digest");
    assert_eq!(std::fs::read_to_string(archived.path()).unwrap(), digest);
}

#[test]
fn a_clean_month_says_so() {
    let env = TestEnv::demo();
    let out = env.gnbv_ok(&["run", "--period", "2024-06", "--digest", "--quiet"], 0);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Đơn vị đã gửi báo cáo: 10/10 (đúng hạn 9, muộn 1, bị từ chối 0, chưa gửi 0)"), "{stdout}");
    assert!(stdout.contains("Chưa gửi: không có\n") && stdout.contains("Bị từ chối: không có\n"), "{stdout}");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // The README shows this digest as it is.
    let readme = std::fs::read_to_string(crate::common::root().join("README.md")).unwrap();
    let shown = readme.split("```text\n").nth(1).and_then(|b| b.split("```").next()).expect("README digest block");
    assert_eq!(shown, stdout, "update the README's digest");
}
