//! Issue 5: every workbook gnbv writes opens and prints in a real spreadsheet
//! application. LibreOffice (headless) converts each to PDF; the PDF's text
//! must hold the header block, TỔNG CỘNG and the grand total as printed, and
//! every page must be A4 landscape with the whole table width on it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::TestEnv;
use crate::common::demo::UNITS;

/// Converts a workbook to PDF with `LibreOffice` and returns the PDF's path.
fn to_pdf(xlsx: &Path, out: &Path) -> PathBuf {
    crate::common::soffice_convert(xlsx, "pdf", out)
}

fn pdf_pages(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) is installed");
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap().to_string();
    assert!(size.contains("841.") && size.contains("595.") && size.contains("A4"), "landscape A4: {size}");
    (1..=pages)
        .map(|p| {
            let out = Command::new("pdftotext")
                .args(["-layout", "-f", &p.to_string(), "-l", &p.to_string()])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).to_string()
        })
        .collect()
}

/// `1781.0` as `LibreOffice` prints `#,##0.0##` in its default (en-US) locale.
fn printed(value: f64) -> String {
    let text = format!("{value:.3}");
    let (int, frac) = text.split_once('.').unwrap();
    let frac = frac.trim_end_matches('0');
    let frac = if frac.is_empty() { "0" } else { frac };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{grouped}.{frac}")
}

#[test]
fn every_workbook_converts_and_prints_the_figures() {
    let env = TestEnv::demo();
    env.month_ok(Some("2024-06"), 0);
    let pdfs = tempfile::tempdir().unwrap();
    let period_dir = env.output().join("2024-06");

    // The grand totals, from the demo table.
    let allocated: f64 = UNITS.iter().flat_map(|u| u.money).map(|m| m.2).sum();
    let cumulative: f64 = UNITS.iter().flat_map(|u| u.money).map(|m| m.4 + m.5).sum();

    let report = to_pdf(&period_dir.join("bao_cao_tong_hop_2024-06.xlsx"), pdfs.path());
    let pages = pdf_pages(&report);
    let all = pages.join("\n");
    for needed in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHÒNG LAO ĐỘNG",
        "TỔNG CỘNG",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Trang 1/",
    ] {
        assert!(all.contains(needed), "the printed report holds {needed}");
    }
    for value in [allocated, cumulative] {
        assert!(all.contains(&printed(value)), "the printed report shows {}", printed(value));
    }
    // Each table's first page carries its whole width: its last column's header.
    for (form, first_column, last_column) in [
        ("Biểu số 01/GNBV", "STT", "Kế hoạch vốn còn"),
        ("Biểu số 02/GNBV", "Xếp hạng", "Ghi chú"),
        ("Biểu số 03/GNBV", "STT", "Kế hoạch vốn còn"),
        ("Biểu số 04/GNBV", "STT", "Đánh giá"),
        ("Biểu số 05/GNBV", "STT", "Đánh giá"),
        ("Biểu số 06/GNBV", "STT", "Ghi chú"),
        ("Biểu số 07/GNBV", "STT", "Nội dung"),
    ] {
        let page = pages.iter().find(|p| p.contains(form)).unwrap_or_else(|| panic!("{form} printed"));
        assert!(page.contains(first_column) && page.contains(last_column), "{form} fits the page width:\n{page}");
    }

    // The upward workbook and every feedback workbook print too.
    let upward = to_pdf(&period_dir.join("bao_cao_cap_tren_TP_LAICHAU_2024-06.xlsx"), pdfs.path());
    let text = pdf_pages(&upward).join("\n");
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && text.contains("Tổng cộng"));
    let central: f64 = UNITS.iter().flat_map(|u| u.money).filter(|m| m.1 == "NSTW").map(|m| m.2).sum();
    assert!(text.contains(&printed(central)), "upward total of central funds {}", printed(central));
    let feedback: Vec<PathBuf> =
        std::fs::read_dir(period_dir.join("phan_hoi")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(!feedback.is_empty());
    for file in feedback {
        let text = pdf_pages(&to_pdf(&file, pdfs.path())).join("\n");
        assert!(
            text.contains("PHIẾU PHẢN HỒI") && text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            "{}",
            file.display()
        );
    }
    // And a blank template.
    let template = env.template("2024-07", "SUNGPHAI");
    let text = pdf_pages(&to_pdf(&template, pdfs.path())).join("\n");
    assert!(text.contains("Mã đơn vị") && text.contains("SUNGPHAI") && text.contains("07/2024"));
}

/// Renders the demo report's first page for the README:
/// `cargo test --test integration -- --ignored render_docs`.
#[test]
#[ignore = "regenerates docs/ images with LibreOffice"]
fn render_docs() {
    let env = TestEnv::demo();
    env.month_ok(None, 0);
    let pdfs = tempfile::tempdir().unwrap();
    let report = to_pdf(&env.report("2024-06"), pdfs.path());
    let docs = crate::common::root().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for (page, name) in [(1, "bao_cao_trang_1"), (3, "bao_cao_bieu_01")] {
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "90", "-singlefile", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(&report)
            .arg(docs.join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
}
