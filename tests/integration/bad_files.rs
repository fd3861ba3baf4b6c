//! Issue 3: each bad file gets its own finding, every other unit's figures
//! stay unchanged, nothing panics and no input file is modified.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::Data;

use crate::common::variant::{Layout, MONEY, PeriodStyle, source_code};
use crate::common::{TestEnv, capital, root, sheet};

fn dong(million: f64) -> i64 {
    (million * 1_000_000.0).round() as i64
}

fn sha(path: &Path) -> String {
    gnbv::sha256_hex(&std::fs::read(path).unwrap())
}

/// Money with a project disbursing more than allocated.
const OVER: &[(&str, &str, f64, f64, f64)] = &[("DA2", "NSTW", 100.0, 50.0, 150.0)];
/// Money with a negative allocation.
const NEGATIVE: &[(&str, &str, f64, f64, f64)] = &[("DA2", "NSTW", -100.0, 0.0, 0.0)];
/// The first of two workbooks of one unit.
const DUP_OLD: &[(&str, &str, f64, f64, f64)] = &[("DA2", "NSTW", 999.0, 1.0, 1.0)];
/// The later workbook, which is used.
const DUP_NEW: &[(&str, &str, f64, f64, f64)] = &[("DA2", "NSTW", 400.0, 40.0, 80.0)];

#[test]
fn each_bad_file_has_its_own_finding_and_the_rest_is_consolidated() {
    let env = TestEnv::new();
    let units = ["GOOD1", "GOOD2", "B_WRONG_PERIOD", "B_DUP", "B_OVER", "B_NEG", "B_REF", "B_CHECKSUM"];
    env.units(&crate::common::registry(&units.iter().map(|u| (*u, *u)).collect::<Vec<_>>()));
    let dir = env.input().join("2024-06");
    std::fs::create_dir_all(&dir).unwrap();
    let d = Layout::default;
    d().write("GOOD1", &dir.join("good1.xlsx"));
    d().write("GOOD2", &dir.join("good2.xlsx"));
    Layout { period: PeriodStyle::Text("05/2024"), ..d() }.write("B_WRONG_PERIOD", &dir.join("wrong_period.xlsx"));
    d().write("KHONG_CO", &dir.join("unknown_unit.xlsx"));
    Layout { money: DUP_OLD, submitted: "12/06/2024", ..d() }.write("B_DUP", &dir.join("dup_a.xlsx"));
    Layout { money: DUP_NEW, submitted: "18/06/2024", ..d() }.write("B_DUP", &dir.join("dup_b.xlsx"));
    Layout { money: OVER, ..d() }.write("B_OVER", &dir.join("over.xlsx"));
    Layout { money: NEGATIVE, ..d() }.write("B_NEG", &dir.join("negative.xlsx"));
    Layout { ref_error_in: Some("DA4.1"), ..d() }.write("B_REF", &dir.join("ref.xlsx"));
    Layout { total_row_bottom: true, total_row_error: 7.0, ..d() }.write("B_CHECKSUM", &dir.join("checksum.xlsx"));
    // Files that are not usable workbooks at all.
    let good = std::fs::read(dir.join("good1.xlsx")).unwrap();
    std::fs::write(dir.join("corrupt.xlsx"), &good[..good.len() / 2]).unwrap();
    std::fs::write(dir.join("empty.xlsx"), b"").unwrap();
    std::fs::write(dir.join("text.xlsx"), "Mã đơn vị,GOOD1\nKỳ báo cáo,06/2024\n").unwrap();
    std::fs::copy(root().join("tests/fixtures/bad/encrypted.xlsx"), dir.join("encrypted.xlsx")).unwrap();
    // Lock and hidden files are skipped without a finding.
    std::fs::write(dir.join("~$good1.xlsx"), b"lock").unwrap();

    let before: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), sha(&p)))
        .collect();

    let out = env.month(Some("2024-06"));
    assert_eq!(out.code, 1, "problems, but a report: {}", out.error);

    // Inputs untouched.
    for (name, hash) in &before {
        assert_eq!(&sha(&dir.join(name)), hash, "{name} was modified");
    }

    // Each file's own finding, read back from the printed data-checks sheet.
    let checks = sheet(&env.report("2024-06"), "07 Kiểm tra số liệu");
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in checks.rows() {
        let file = row.get(4).map(Data::to_string).unwrap_or_default();
        let rule = row.get(7).map(Data::to_string).unwrap_or_default();
        if let Some(name) = file.strip_prefix("2024-06/") {
            by_file.entry(name.to_string()).or_default().push(rule.lines().next().unwrap_or("").to_string());
        }
    }
    let expect = |file: &str, rule: &str| {
        let rules = by_file.get(file).cloned().unwrap_or_default();
        assert!(rules.iter().any(|r| r == rule), "{file}: expected {rule}, found {rules:?}");
    };
    expect("corrupt.xlsx", "TEP_KHONG_DOC_DUOC");
    expect("empty.xlsx", "TEP_RONG");
    expect("text.xlsx", "KHONG_PHAI_BANG_TINH");
    expect("encrypted.xlsx", "TEP_CO_MAT_KHAU");
    expect("wrong_period.xlsx", "SAI_KY_BAO_CAO");
    expect("unknown_unit.xlsx", "DON_VI_KHONG_CO");
    expect("dup_a.xlsx", "TEP_TRUNG");
    expect("dup_b.xlsx", "TEP_TRUNG");
    expect("over.xlsx", "GIAI_NGAN_VUOT_KH");
    expect("negative.xlsx", "SO_TIEN_AM");
    expect("ref.xlsx", "O_LOI_CONG_THUC");
    expect("checksum.xlsx", "DONG_TONG_LECH");
    // The two good files carry the same figures (one layout, one content):
    // the copied-file notice, for information, and nothing else.
    for good in ["good1.xlsx", "good2.xlsx"] {
        let rules = by_file.get(good).cloned().unwrap_or_default();
        assert!(rules.iter().all(|r| r == "SO_LIEU_TRUNG_DON_VI_KHAC"), "{good}: {rules:?}");
    }
    assert!(!by_file.keys().any(|f| f.starts_with("~$")));

    // Counting: the unknown unit and the unreadable files are not units.
    let s = env.summary("2024-06");
    assert_eq!(s["units_expected"], units.len());
    assert_eq!(s["units_received"], units.len());
    assert_eq!(s["units_rejected"], 3, "wrong period, negative money, #REF!");
    assert_eq!(s["files_unidentified"], 5, "corrupt, empty, text, encrypted, unknown unit");

    // Every good unit's figures are unchanged; rejected ones contribute nothing.
    let clean: BTreeMap<(&str, &str), (i64, i64, i64)> =
        MONEY.iter().map(|(p, s, a, m, c)| ((*p, source_code(s)), (dong(*a), dong(*m), dong(*c)))).collect();
    for unit in ["GOOD1", "GOOD2", "B_CHECKSUM"] {
        for ((project, source), (alloc, month, cum)) in &clean {
            let row = capital(&s, unit, project, source);
            assert_eq!(row["allocated"].as_i64(), Some(*alloc), "{unit} {project}");
            assert_eq!(row["disbursed_month"].as_i64(), Some(*month), "{unit} {project}");
            assert_eq!(row["disbursed_cumulative"].as_i64(), Some(*cum), "{unit} {project}");
        }
    }
    assert_eq!(capital(&s, "B_DUP", "DA2", "NSTW")["allocated"].as_i64(), Some(dong(400.0)), "the later file is used");
    assert_eq!(
        capital(&s, "B_OVER", "DA2", "NSTW")["disbursed_cumulative"].as_i64(),
        Some(dong(150.0)),
        "a warning keeps figures"
    );
    let clean_total: i64 = clean.values().map(|v| v.0).sum();
    let total = capital(&s, "TOTAL", "TOTAL", "TOTAL")["allocated"].as_i64().unwrap();
    assert_eq!(total, 3 * clean_total + dong(400.0) + dong(100.0));

    // The reporting status names each rejected unit with its reason.
    let status = sheet(&env.report("2024-06"), "06 Tình hình báo cáo");
    let text: Vec<String> =
        status.rows().map(|r| r.iter().map(Data::to_string).collect::<Vec<_>>().join(" | ")).collect();
    for (unit, words) in [("B_NEG", "âm"), ("B_REF", "#REF!"), ("B_WRONG_PERIOD", "05/2024")] {
        let line = text.iter().find(|l| l.contains(unit)).unwrap_or_else(|| panic!("{unit} listed"));
        assert!(line.contains("Bị từ chối") && line.contains(words), "{line}");
    }
    for file in ["corrupt.xlsx", "empty.xlsx", "text.xlsx", "encrypted.xlsx", "unknown_unit.xlsx"] {
        assert!(text.iter().any(|l| l.contains(file)), "{file} listed among unidentified files");
    }

    // Each unit with findings gets its feedback workbook.
    for unit in ["B_NEG", "B_REF", "B_OVER", "B_CHECKSUM", "B_DUP", "B_WRONG_PERIOD"] {
        let path = env.output().join(format!("2024-06/phan_hoi/phan_hoi_{unit}_2024-06.xlsx"));
        assert!(path.exists(), "feedback for {unit}");
    }
    let feedback = sheet(&env.output().join("2024-06/phan_hoi/phan_hoi_B_REF_2024-06.xlsx"), "Phản hồi");
    let all: String = feedback.rows().flat_map(|r| r.iter().map(Data::to_string)).collect::<Vec<_>>().join(" ");
    assert!(all.contains("BỊ TỪ CHỐI") && all.contains("#REF!"), "{all}");
    // Accepted with a warning: the unit is asked to look at the warnings.
    let feedback = sheet(&env.output().join("2024-06/phan_hoi/phan_hoi_B_OVER_2024-06.xlsx"), "Phản hồi");
    let all: String = feedback.rows().flat_map(|r| r.iter().map(Data::to_string)).collect::<Vec<_>>().join(" ");
    assert!(all.contains("được chấp nhận") && all.contains("xem các cảnh báo"), "{all}");
}

#[test]
fn check_command_tells_a_clerk_what_to_fix() {
    let env = TestEnv::new();
    env.units(&crate::common::registry(&[("B_NEG", "x"), ("GOOD", "y")]));
    let d = Layout::default;
    Layout { money: NEGATIVE, ..d() }.write("B_NEG", &env.path().join("negative.xlsx"));
    d().write("GOOD", &env.path().join("good.xlsx"));
    let out = env.gnbv(&["check", "negative.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("BỊ TỪ CHỐI"), "{text}");
    // The sheet and the cell of the negative amount.
    assert!(text.contains("Vốn!C") && text.contains("SO_TIEN_AM"), "{text}");
    let out = env.gnbv(&["check", "good.xlsx"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("được chấp nhận"));
}

#[test]
fn template_drift_since_last_month_is_reported() {
    let env = TestEnv::demo();
    // Tân Phong sends June in its own layout: groups reordered, extra columns.
    Layout { group_order: [2, 0, 1], extra_columns: true, ..Layout::default() }
        .write("TANPHONG", &env.input().join("2024-06/TANPHONG.xlsx"));
    env.month_ok(None, 0);
    let log = std::fs::read_to_string(env.output().join("2024-06/gnbv.log")).unwrap();
    let drift: Vec<&str> = log.lines().filter(|l| l.contains("MAU_BIEU_THAY_DOI")).collect();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert!(
        drift[0].contains("TANPHONG") && drift[0].contains("05/2024") && drift[0].contains("chuyển"),
        "{}",
        drift[0]
    );
    // May had no earlier month to compare with.
    let may = std::fs::read_to_string(env.output().join("2024-05/gnbv.log")).unwrap();
    assert!(!may.contains("MAU_BIEU_THAY_DOI"));
}

#[test]
fn a_blank_template_sent_back_is_flagged() {
    let env = TestEnv::new();
    env.units(&crate::common::registry(&[("XA_A", "Xã A")]));
    let template = env.template("2024-06", "XA_A");
    let out = env.gnbv(&["check", template.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "accepted: blank money is zero\n{text}");
    assert!(text.contains("KHONG_CO_SO_LIEU"), "{text}");
}

#[test]
fn a_source_gnbv_does_not_know_is_said_not_guessed() {
    let env = TestEnv::new();
    env.units(&crate::common::registry(&[("XA_ODA", "Xã ODA")]));
    let dir = env.input().join("2024-06");
    std::fs::create_dir_all(&dir).unwrap();
    Layout { nstw_label: "Vốn ODA", ..Layout::default() }.write("XA_ODA", &dir.join("oda.xlsx"));
    env.month_ok(Some("2024-06"), 0);
    let s = env.summary("2024-06");
    let log = std::fs::read_to_string(env.output().join("2024-06/gnbv.log")).unwrap();
    let finding = log
        .lines()
        .find(|l| l.contains("NGUON_VON_KHONG_CO"))
        .unwrap_or_else(|| panic!("the unknown source is flagged:\n{log}"));
    assert!(finding.contains("Vốn ODA") && finding.contains("[Cảnh báo]"), "{finding}");
    // The other sources are read; the unknown column is not added anywhere.
    assert_eq!(capital(&s, "XA_ODA", "DA3.2", "NSDP")["allocated"].as_i64(), Some(dong(20.5)));
    let nstw_rows =
        s["capital"].as_array().unwrap().iter().filter(|r| r["unit"] == "XA_ODA" && r["source"] == "NSTW").count();
    assert_eq!(nstw_rows, 0, "nothing counted as central budget");
    let known: i64 = MONEY.iter().filter(|m| m.1 != "NSTW").map(|m| dong(m.2)).sum();
    assert_eq!(capital(&s, "XA_ODA", "TOTAL", "TOTAL")["allocated"].as_i64(), Some(known));
}
