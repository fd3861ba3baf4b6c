//! Issue 3: every layout offices really send gives the same figures as its
//! clean twin, to the đồng.

use std::collections::BTreeMap;

use crate::common::variant::{
    Codes, Header, INDICATORS, Layout, MONEY, Names, Numbers, PeriodStyle, Text, source_code,
};
use crate::common::{TestEnv, capital, close, indicator, root};

/// The corpus: (unit code, layout). Each differs from the clean twin in one
/// or two ways a real office file does.
fn corpus() -> Vec<(&'static str, Layout)> {
    let d = Layout::default;
    vec![
        ("V01_CLEAN", d()),
        ("V02_SHUFFLED", Layout { group_order: [2, 0, 1], source_order: &["Kéo dài", "NSĐP", "NSTW", "Khác"], ..d() }),
        ("V03_EXTRA_COLS", Layout { extra_columns: true, ..d() }),
        ("V04_ONE_ROW", Layout { header: Header::OneRow, ..d() }),
        ("V05_UNMERGED", Layout { header: Header::TwoRowUnmerged, ..d() }),
        ("V06_THREE_ROWS", Layout { header: Header::ThreeRow, ..d() }),
        ("V07_TOTAL_COLS", Layout { total_columns: true, ..d() }),
        ("V08_TOTAL_TOP", Layout { total_row_top: true, ..d() }),
        ("V09_TOTAL_BOTTOM", Layout { total_row_bottom: true, total_columns: true, ..d() }),
        ("V10_PARENTS", Layout { parent_rows: true, ..d() }),
        ("V11_NO_CODES", Layout { codes: Codes::None, ..d() }),
        ("V12_PLAIN_NAMES", Layout { codes: Codes::None, names: Names::Plain, ..d() }),
        ("V13_NUMERIC_CODES", Layout { codes: Codes::Numeric, ..d() }),
        ("V14_LOWER_CODES", Layout { codes: Codes::Lower, ..d() }),
        ("V15_VIET_TEXT", Layout { numbers: Numbers::VietText, ..d() }),
        ("V16_ENGLISH_TEXT", Layout { numbers: Numbers::EnglishText, ..d() }),
        ("V17_DONG", Layout { money_unit: ("đồng", 1_000_000.0), ..d() }),
        ("V18_NGHIN", Layout { money_unit: ("nghìn đồng", 1_000.0), ..d() }),
        ("V19_TY", Layout { money_unit: ("tỷ đồng", 0.001), ..d() }),
        ("V20_NFD", Layout { text: Text::Nfd, ..d() }),
        ("V21_SPACES", Layout { text: Text::Spaces, ..d() }),
        ("V22_ASCII_CAPS", Layout { text: Text::Ascii, ..d() }),
        (
            "V23_PREFIXED_SHEETS",
            Layout { capital_sheet: "Biểu 01 - Vốn", indicator_sheet: "Biểu 02 - Chỉ tiêu", ..d() },
        ),
        ("V24_EXTRA_SHEETS", Layout { sheets_before: &["Hướng dẫn", "Sheet3"], ..d() }),
        ("V25_IDENTITY_SHEET", Layout { identity_sheet: Some("Thông tin chung"), ..d() }),
        ("V26_CODE_IN_LABEL", Layout { code_in_label_cell: true, ..d() }),
        ("V27_PERIOD_WORDS", Layout { period: PeriodStyle::Text("Tháng 6 năm 2024"), ..d() }),
        ("V28_PERIOD_DATE", Layout { period: PeriodStyle::Date, ..d() }),
        ("V29_PERIOD_ISO", Layout { period: PeriodStyle::Text("2024-06"), ..d() }),
        ("V30_TALL_TITLE", Layout { title_rows: 12, ..d() }),
        ("V31_HIDDEN_ROWS", Layout { hidden_rows: true, ..d() }),
        ("V32_FORMULAS", Layout { numbers: Numbers::Formulas, total_columns: true, ..d() }),
        ("V33_BLANK_ZERO", Layout { blank_zero: true, ..d() }),
        ("V34_OFFSET", Layout { col_offset: 3, ..d() }),
        ("V35_NUMBERING_ROW", Layout { numbering_row: true, extra_columns: true, ..d() }),
        ("V36_PERCENT_TEXT", Layout { ind_percent_text: true, ..d() }),
        ("V37_RATE_AS_NUMBER", Layout { ind_rate_as_percent_number: true, ind_two_row_header: true, ..d() }),
        ("V38_INDICATOR_NAMES", Layout { ind_code_column: false, ..d() }),
        ("V39_XLSM", Layout { ext: "xlsm", ..d() }),
        ("V40_TRONG_DO", Layout { trong_do_rows: true, ..d() }),
        ("V41_PERIOD_MONTH_WORD", Layout { period: PeriodStyle::Text("tháng 06/2024"), text: Text::Spaces, ..d() }),
        ("V42_NO_NOTES", Layout { notes_sheet: None, names: Names::Plain, ..d() }),
        (
            "V43_MIXED",
            Layout {
                header: Header::TwoRowUnmerged,
                codes: Codes::None,
                numbers: Numbers::VietText,
                text: Text::Nfd,
                ..d()
            },
        ),
        ("V44_NGAN_SACH_TW", Layout { nstw_label: "Ngân sách TW", header: Header::TwoRowUnmerged, ..d() }),
        ("V45_TRUNG_UONG_ONE_ROW", Layout { nstw_label: "Ngân sách Trung ương", header: Header::OneRow, ..d() }),
    ]
}

/// Committed workbooks made with `LibreOffice` (`.xls`, `.ods`) from variants
/// above; see tests/fixtures/README.md.
const FIXTURES: &[(&str, &str)] = &[
    ("X_XLS_MERGED", "variants/X_XLS_MERGED.xls"),
    ("X_ODS_MERGED", "variants/X_ODS_MERGED.ods"),
    ("X_XLS_VIET_TEXT", "variants/X_XLS_VIET_TEXT.xls"),
    ("X_ODS_NO_CODES", "variants/X_ODS_NO_CODES.ods"),
    ("X_ODS_UNMERGED", "variants/X_ODS_UNMERGED.ods"),
];

fn dong(million: f64) -> i64 {
    (million * 1_000_000.0).round() as i64
}

/// The clean twin's money by (project, source): allocated, month, cumulative in đồng.
fn expected_money() -> BTreeMap<(&'static str, &'static str), (i64, i64, i64)> {
    MONEY.iter().map(|(p, s, a, m, c)| ((*p, source_code(s)), (dong(*a), dong(*m), dong(*c)))).collect()
}

#[test]
fn every_variant_gives_the_figures_of_its_clean_twin() {
    let env = TestEnv::new();
    let corpus = corpus();
    let mut units: Vec<(&str, &str)> = corpus.iter().map(|(c, _)| (*c, *c)).collect();
    units.extend(FIXTURES.iter().map(|(c, _)| (*c, *c)));
    env.units(&crate::common::registry(&units));
    let dir = env.input().join("2024-06");
    std::fs::create_dir_all(&dir).unwrap();
    for (code, layout) in &corpus {
        layout.write(code, &dir.join(format!("{code}.{}", layout.ext)));
    }
    for (_, file) in FIXTURES {
        let from = root().join("tests/fixtures").join(file);
        std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
    }
    let out = env.month(Some("2024-06"));
    let s = env.summary("2024-06");
    let stderr = out.error;
    assert_eq!(s["units_received"].as_u64().unwrap() as usize, units.len(), "{stderr}");
    assert_eq!(s["units_rejected"], 0, "no variant may be rejected: {}", findings(&env));

    let money = expected_money();
    let without_month = ["V33_BLANK_ZERO"];
    let mut checked = 0;
    for (code, _) in &units {
        for ((project, source), (alloc, month, cum)) in &money {
            let row = capital(&s, code, project, source);
            let at = format!("{code} {project} {source}");
            assert_eq!(row["allocated"].as_i64(), Some(*alloc), "{at}");
            assert_eq!(row["disbursed_cumulative"].as_i64(), Some(*cum), "{at}");
            if !without_month.contains(code) {
                assert_eq!(row["disbursed_month"].as_i64(), Some(*month), "{at}");
            }
            checked += 1;
        }
        // Parents are children's sums, and nothing is added twice.
        let total_alloc: i64 = money.values().map(|v| v.0).sum();
        assert_eq!(capital(&s, code, "TOTAL", "TOTAL")["allocated"].as_i64(), Some(total_alloc), "{code} total");
        assert_eq!(capital(&s, code, "DA3", "NSTW")["allocated"].as_i64(), Some(dong(342.0)), "{code} DA3");
        for (ind, _, unit, target, _, achieved) in INDICATORS {
            let row = indicator(&s, code, ind);
            let scale = if *unit == "điểm %" { 0.01 } else { 1.0 };
            if let Some(t) = target {
                close(row["target"].as_f64().unwrap_or(f64::NAN), t * scale);
            }
            if let Some(a) = achieved {
                close(row["achieved"].as_f64().unwrap_or(f64::NAN), *a);
            }
        }
        // The derived rate is computed, not read.
        close(indicator(&s, code, "TL_HN")["achieved"].as_f64().unwrap(), (100.0 - 5.0 + 1.0) / 2000.0);
    }
    assert!(checked >= 40 * money.len());
    // Checksums that agree raise nothing: the corpus is clean.
    assert_eq!(s["findings"]["warning"], 0, "{}", findings(&env));
    assert_eq!(s["findings"]["error"], 0);
}

fn findings(env: &TestEnv) -> String {
    let log = std::fs::read_to_string(env.output().join("2024-06/gnbv.log")).unwrap_or_default();
    log.lines().filter(|l| l.starts_with('[')).collect::<Vec<_>>().join("\n")
}

/// Writes the variants that tests/fixtures holds as .xls and .ods, then has
/// `LibreOffice` convert them. Run by hand: `cargo test -- --ignored make_fixtures`.
#[test]
#[ignore = "regenerates committed fixtures with LibreOffice"]
fn make_fixtures() {
    let d = Layout::default;
    let out = root().join("tests/fixtures/variants");
    std::fs::create_dir_all(&out).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let make = |code: &str, layout: Layout, ext: &str| {
        let xlsx = scratch.path().join(format!("{code}.xlsx"));
        layout.write(code, &xlsx);
        crate::common::soffice_convert(&xlsx, ext, &out);
    };
    make("X_XLS_MERGED", d(), "xls");
    make("X_ODS_MERGED", d(), "ods");
    make("X_XLS_VIET_TEXT", Layout { numbers: Numbers::VietText, ..d() }, "xls");
    make("X_ODS_NO_CODES", Layout { codes: Codes::None, ..d() }, "ods");
    make("X_ODS_UNMERGED", Layout { header: Header::TwoRowUnmerged, ..d() }, "ods");
    // A password-protected workbook, encrypted as Excel does (needs msoffcrypto-tool).
    let plain = scratch.path().join("plain.xlsx");
    d().write("B_PASSWORD", &plain);
    let bad = root().join("tests/fixtures/bad");
    std::fs::create_dir_all(&bad).unwrap();
    let status = std::process::Command::new("msoffcrypto-tool")
        .args(["-e", "-p", "gnbv"])
        .arg(&plain)
        .arg(bad.join("encrypted.xlsx"))
        .status()
        .expect("msoffcrypto-tool runs");
    assert!(status.success());
}
