//! Issue 10: the clerical slips an officer wants flagged, each with its
//! finding, its cell and its severity, on the demo city's June workbooks
//! changed the way a clerk gets them wrong; and no alarm on true figures.
//!
//! Expected figures are computed here from the demo's content tables
//! (`common::demo::UNITS`), never read from gnbv's own output.

#![allow(
    clippy::cast_possible_wrap,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

use crate::common::TestEnv;
use crate::common::demo::UNITS;
use crate::common::fill::{Field, Filler, Group};

/// One finding as the run log prints it.
#[derive(Debug)]
struct Seen {
    severity: String,
    file: String,
    place: String,
    code: String,
    message: String,
}

/// Every finding of a period, from `gnbv.log`
/// (`[Cảnh báo] 2024-06/X.xlsx Vốn!D12: message (CODE)`).
fn findings(env: &TestEnv, period: &str) -> Vec<Seen> {
    let log = std::fs::read_to_string(env.output().join(period).join("gnbv.log")).unwrap_or_default();
    log.lines()
        .filter(|l| l.starts_with('['))
        .filter_map(|l| {
            let (severity, rest) = l[1..].split_once("] ")?;
            let (head, tail) = rest.split_once(": ").unwrap_or(("", rest));
            let (file, place) = head.split_once(' ').unwrap_or((head, ""));
            let (message, code) = tail.rsplit_once(" (")?;
            Some(Seen {
                severity: severity.to_string(),
                file: file.to_string(),
                place: place.to_string(),
                code: code.trim_end_matches(')').to_string(),
                message: message.to_string(),
            })
        })
        .collect()
}

fn of<'a>(all: &'a [Seen], code: &str) -> Vec<&'a Seen> {
    all.iter().filter(|f| f.code == code).collect()
}

fn june(env: &TestEnv, unit: &str) -> std::path::PathBuf {
    env.input().join("2024-06").join(format!("{unit}.xlsx"))
}

/// The 1-based row of `code` in column A of a sheet, read with calamine.
fn row_of(path: &std::path::Path, sheet: &str, code: &str) -> usize {
    crate::common::find_row(&crate::common::sheet(path, sheet), 0, code) + 1
}

const ERROR: &str = "Lỗi (từ chối)";
const WARNING: &str = "Cảnh báo";
const INFO: &str = "Thông tin";

#[test]
fn a_money_unit_slip_is_rejected_and_consolidated_nowhere() {
    let env = TestEnv::demo();
    // The labour office types its June figures in đồng under "triệu đồng".
    let unit = UNITS.iter().find(|u| u.code == "P_LDTBXH").unwrap();
    let path = june(&env, unit.code);
    let mut f = Filler::open(&path);
    for (project, source, allocated, _, may, june) in unit.money {
        f.money(project, Group::Allocated, source, allocated * 1e6);
        f.money(project, Group::Month, source, june * 1e6);
        f.money(project, Group::Cumulative, source, (may + june) * 1e6);
    }
    f.save(&path);
    let out = env.month(Some("2024-06"));
    assert_eq!(out.code, 1, "a rejected unit: {}", out.error);
    let all = findings(&env, "2024-06");
    let slip = of(&all, "SAI_DON_VI_TINH");
    assert_eq!(slip.len(), 1, "{all:#?}");
    assert_eq!(slip[0].severity, ERROR);
    assert_eq!(slip[0].file, "2024-06/P_LDTBXH.xlsx");
    assert!(slip[0].place.starts_with("Vốn!"), "{:?}", slip[0]);
    assert!(slip[0].message.contains("ghi bằng đồng trong khi đơn vị tính là triệu đồng"), "{}", slip[0].message);
    // Not consolidated: the total disbursed is the other units' own, by hand.
    let others: f64 = UNITS
        .iter()
        .filter(|u| u.code != "P_LDTBXH")
        .flat_map(|u| u.money.iter())
        .map(|(_, _, _, _, may, june)| may + june)
        .sum();
    let s = env.summary("2024-06");
    let total = crate::common::capital(&s, "TOTAL", "TOTAL", "TOTAL");
    assert_eq!(total["disbursed_cumulative"].as_i64(), Some((others * 1e6).round() as i64));
    let rate = total["rate"].as_f64().unwrap();
    assert!(rate < 1.0, "a headline rate of {rate} from one slip");
    let status = s["units"].as_array().unwrap().iter().find(|u| u["unit"] == "P_LDTBXH").unwrap();
    assert_eq!(status["rejected"], true);
}

#[test]
fn code_and_name_disagreeing_is_flagged_at_the_code() {
    let env = TestEnv::demo();
    let path = june(&env, "TTYT");
    let mut f = Filler::open(&path);
    f.text_at("Vốn", "DA3.1", 2, "Cải thiện dinh dưỡng");
    f.save(&path);
    let ward = june(&env, "QUYETTIEN");
    let mut f = Filler::open(&ward);
    f.text_at("Chỉ tiêu", "HN_THOAT", 2, "Số hộ nghèo phát sinh");
    f.save(&ward);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let found = of(&all, "MA_TEN_KHONG_KHOP");
    assert_eq!(found.len(), 2, "{all:#?}");
    let capital = found.iter().find(|f| f.file == "2024-06/TTYT.xlsx").expect("capital row flagged");
    assert_eq!(capital.severity, WARNING);
    assert_eq!(capital.place, format!("Vốn!A{}", row_of(&path, "Vốn", "DA3.1")));
    assert!(capital.message.contains("DA3.2"), "{}", capital.message);
    let indicator = found.iter().find(|f| f.file == "2024-06/QUYETTIEN.xlsx").expect("indicator row flagged");
    assert_eq!(indicator.place, format!("Chỉ tiêu!A{}", row_of(&ward, "Chỉ tiêu", "HN_THOAT")));
    assert!(indicator.message.contains("HN_PS"), "{}", indicator.message);
    // The code wins: the ward's escaped households are still counted as escaped.
    let s = env.summary("2024-06");
    let escaped =
        UNITS.iter().find(|u| u.code == "QUYETTIEN").unwrap().indicators.iter().find(|i| i.0 == "HN_THOAT").unwrap().3;
    assert_eq!(crate::common::indicator(&s, "QUYETTIEN", "HN_THOAT")["achieved"].as_f64(), Some(escaped));
}

#[test]
fn a_percentage_or_text_in_a_money_cell_is_an_error_at_the_cell() {
    let env = TestEnv::demo();
    let path = june(&env, "SUNGPHAI");
    let mut f = Filler::open(&path);
    f.money_text("DA2", Group::Month, "NSTW", "18%");
    f.money_text("DA2", Group::Cumulative, "NSĐP", "hai mươi");
    f.save(&path);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let percent = of(&all, "TY_LE_O_O_TIEN");
    assert_eq!(percent.len(), 1, "{all:#?}");
    assert_eq!(percent[0].severity, ERROR);
    let row = row_of(&path, "Vốn", "DA2");
    assert!(percent[0].place.starts_with("Vốn!") && percent[0].place.ends_with(&row.to_string()), "{:?}", percent[0]);
    let text = of(&all, "KHONG_PHAI_SO");
    assert_eq!(text.len(), 1, "{all:#?}");
    assert_eq!(text[0].severity, ERROR);
    assert!(text[0].place.ends_with(&row.to_string()));
}

#[test]
fn a_submission_date_before_the_period_is_flagged_at_its_cell() {
    let env = TestEnv::demo();
    let path = june(&env, "DOANKET");
    let mut f = Filler::open(&path);
    f.set_submitted("17/05/2024");
    f.save(&path);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let found = of(&all, "NGAY_BAO_CAO_TRUOC_KY");
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(found[0].severity, WARNING);
    assert_eq!(found[0].file, "2024-06/DOANKET.xlsx");
    let sheet = crate::common::sheet(&path, "Vốn");
    let row = sheet.rows().position(|r| r[0].to_string().starts_with("Ngày báo cáo")).expect("date label") + 1;
    assert_eq!(found[0].place, format!("Vốn!B{row}"));
}

#[test]
fn a_rate_typed_as_1283_percent_is_flagged_at_its_cell() {
    let env = TestEnv::demo();
    let path = june(&env, "QUYETTIEN");
    let mut f = Filler::open(&path);
    let row = f.text_at("Chỉ tiêu", "TL_HN", 6, "1283%");
    f.save(&path);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let found: Vec<_> =
        of(&all, "TY_LE_NGOAI_KHOANG").into_iter().filter(|f| f.place.starts_with("Chỉ tiêu!F")).collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(found[0].severity, WARNING);
    assert_eq!(found[0].place, format!("Chỉ tiêu!F{row}"));
    assert!(found[0].message.contains("1283"), "{}", found[0].message);
}

#[test]
fn last_months_workbook_resent_is_noted_and_another_periods_file_is_named() {
    let env = TestEnv::demo();
    // The labour office sends May's workbook again with only the period changed.
    let may = env.input().join("2024-05/P_LDTBXH.xlsx");
    let mut f = Filler::open(&may);
    f.set_period("06/2024");
    f.save(&june(&env, "P_LDTBXH"));
    // Đoàn Kết's June file is last month's copy, period not updated, saved
    // outside any dated folder.
    std::fs::remove_file(june(&env, "DOANKET")).unwrap();
    std::fs::copy(env.input().join("2024-05/DOANKET.xlsx"), env.input().join("doan_ket_moi.xlsx")).unwrap();
    env.month(None);
    let all = findings(&env, "2024-06");
    let resent = of(&all, "GUI_LAI_BAO_CAO_CU");
    assert_eq!(resent.len(), 1, "{all:#?}");
    assert_eq!(resent[0].severity, INFO);
    assert_eq!(resent[0].file, "2024-06/P_LDTBXH.xlsx");
    assert!(resent[0].message.contains("05/2024"));
    let missing: Vec<_> = of(&all, "CHUA_BAO_CAO");
    assert_eq!(missing.len(), 1, "{all:#?}");
    assert!(missing[0].message.contains("doan_ket_moi.xlsx"), "{}", missing[0].message);
    // The status sheet names the file too.
    let report = env.report("2024-06");
    let mut wb = calamine::open_workbook_auto(&report).unwrap();
    let named = calamine::Reader::sheet_names(&wb).into_iter().any(|name| {
        calamine::Reader::worksheet_range(&mut wb, &name)
            .is_ok_and(|r| r.cells().any(|(_, _, c)| c.to_string().contains("doan_ket_moi.xlsx")))
    });
    assert!(named, "the report names doan_ket_moi.xlsx");
}

#[test]
fn two_units_with_identical_figures_are_told_of_each_other() {
    let env = TestEnv::demo();
    let mut f = Filler::open(&june(&env, "TANPHONG"));
    f.set_unit("DOANKET");
    f.save(&june(&env, "DOANKET"));
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let copied = of(&all, "SO_LIEU_TRUNG_DON_VI_KHAC");
    assert_eq!(copied.len(), 2, "{all:#?}");
    let a = copied.iter().find(|f| f.file == "2024-06/TANPHONG.xlsx").expect("Tân Phong told");
    let b = copied.iter().find(|f| f.file == "2024-06/DOANKET.xlsx").expect("Đoàn Kết told");
    assert!(a.message.contains("DOANKET.xlsx") && b.message.contains("TANPHONG.xlsx"));
    assert_eq!(a.severity, INFO);
}

#[test]
fn poverty_that_rose_is_no_alarm_but_poor_households_below_zero_are() {
    let env = TestEnv::demo();
    // Quyết Thắng: 15 poor at 1 January, 5 left, 9 newly poor: a reduction of -4, a true figure.
    let path = june(&env, "QUYETTHANG");
    let mut f = Filler::open(&path);
    f.indicator("HN_PS", Field::Achieved, 9.0);
    f.indicator("HN_PS", Field::Month, 8.0);
    f.save(&path);
    // Quyết Tiến: 11 poor at 1 January, 20 left: poor now would be -9.
    let path = june(&env, "QUYETTIEN");
    let mut f = Filler::open(&path);
    let row = f.text_at("Chỉ tiêu", "HN_THOAT", 6, "20");
    f.save(&path);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let quyet_thang: Vec<_> = all.iter().filter(|f| f.file == "2024-06/QUYETTHANG.xlsx").collect();
    assert!(quyet_thang.is_empty(), "true figures raise nothing: {quyet_thang:#?}");
    let negative = of(&all, "HO_NGHEO_AM");
    assert_eq!(negative.len(), 1, "{all:#?}");
    assert_eq!(negative[0].file, "2024-06/QUYETTIEN.xlsx");
    assert_eq!(negative[0].severity, WARNING);
    assert_eq!(negative[0].place, format!("Chỉ tiêu!F{}", row_of(&path, "Chỉ tiêu", "HN_DAU")));
    assert!(negative[0].message.contains(&format!("F{row}")), "names the escaped cell too: {}", negative[0].message);
    // 20 escaped from 11 poor breaks "a part never exceeds its whole" as well.
    let part = all.iter().find(|f| f.message.contains("[HN_THOAT_VUOT_HN_DAU]")).expect("part > whole named");
    assert_eq!(part.place, format!("Chỉ tiêu!F{row}"));
}

#[test]
fn a_blank_result_on_a_row_with_a_target_is_not_achieved() {
    let env = TestEnv::demo();
    // Tân Phong has a target of 6 households leaving poverty; its result left blank.
    let path = june(&env, "TANPHONG");
    let mut f = Filler::open(&path);
    f.text_at("Chỉ tiêu", "HN_THOAT", 6, "-");
    f.text_at("Chỉ tiêu", "HN_THOAT", 5, "");
    f.save(&path);
    env.month(Some("2024-06"));
    let s = env.summary("2024-06");
    let row = crate::common::indicator(&s, "TANPHONG", "HN_THOAT");
    assert_eq!(row["achieved"].as_f64(), Some(0.0), "{row}");
    assert_eq!(row["status"], "chua_dat", "{row}");
}

#[test]
fn a_rule_added_in_config_fires_with_no_code_change() {
    let env = TestEnv::demo();
    let rules = env.config().join("rules.toml");
    let mut text = std::fs::read_to_string(&rules).unwrap();
    text.push_str(
        "\n[[rule]]\ncode = \"THOAT_NGHEO_TOI_DA_BA\"\nleft = \"HN_THOAT\"\nop = \"<=\"\nright = \"HN_DAU / 4\"\n\
         severity = \"error\"\nmessage = \"Số hộ thoát nghèo quá một phần tư số hộ nghèo đầu năm.\"\n",
    );
    std::fs::write(&rules, text).unwrap();
    let out = env.month(Some("2024-06"));
    assert_eq!(out.code, 1, "{}", out.error);
    let all = findings(&env, "2024-06");
    let fired: Vec<_> = all.iter().filter(|f| f.message.contains("[THOAT_NGHEO_TOI_DA_BA]")).collect();
    // By hand from the demo: units whose June escaped > poor at 1 January / 4.
    let value = |u: &crate::common::demo::UnitDemo, code: &str| u.indicators.iter().find(|i| i.0 == code).map(|i| i.3);
    let expected: Vec<&str> = UNITS
        .iter()
        .filter(|u| matches!((value(u, "HN_THOAT"), value(u, "HN_DAU")), (Some(t), Some(d)) if t > d / 4.0))
        .map(|u| u.code)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(fired.len(), expected.len(), "{fired:#?}");
    for f in &fired {
        assert_eq!(f.severity, ERROR);
        assert!(f.message.contains("HN_DAU / 4 = ") && f.message.contains("Chỉ tiêu!F"), "{}", f.message);
    }
    let s = env.summary("2024-06");
    assert_eq!(s["units_rejected"].as_u64(), Some(expected.len() as u64));
}

/// A workbook written here whose capital sheet has two "Lũy kế" columns for
/// NSTW, and whose indicator sheet repeats "Lũy kế từ đầu năm".
fn two_columns(path: &std::path::Path, same_money: bool) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Vốn").unwrap();
    for (r, (label, value)) in [
        ("Mã đơn vị:", "X1"),
        ("Kỳ báo cáo:", "06/2024"),
        ("Ngày báo cáo:", "10/06/2024"),
        ("Đơn vị tính:", "triệu đồng"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32, 0, *label).unwrap();
        ws.write_string(r as u32, 1, *value).unwrap();
    }
    for (c, label) in
        ["Mã", "Nội dung", "Kế hoạch vốn NSTW", "Lũy kế giải ngân NSTW", "Lũy kế giải ngân từ đầu năm NSTW"]
            .iter()
            .enumerate()
    {
        ws.write_string(5, c as u16, *label).unwrap();
    }
    ws.write_string(6, 0, "DA2").unwrap();
    ws.write_number(6, 2, 500.0).unwrap();
    ws.write_number(6, 3, 200.0).unwrap();
    ws.write_number(6, 4, if same_money { 200.0 } else { 150.0 }).unwrap();
    let ws = wb.add_worksheet().set_name("Chỉ tiêu").unwrap();
    for (c, label) in
        ["Mã", "Chỉ tiêu", "Kế hoạch năm", "Lũy kế từ đầu năm", "Lũy kế đến thời điểm báo cáo"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *label).unwrap();
    }
    ws.write_string(1, 0, "HN_THOAT").unwrap();
    ws.write_number(1, 2, 10.0).unwrap();
    ws.write_number(1, 3, 4.0).unwrap();
    ws.write_number(1, 4, 4.0).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn two_columns_competing_for_one_figure_name_both_cells() {
    let env = TestEnv::new();
    env.units(&crate::common::registry(&[("X1", "Xã Một")]));
    let dir = env.input().join("2024-06");
    std::fs::create_dir_all(&dir).unwrap();
    two_columns(&dir.join("x1.xlsx"), false);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let conflicts = of(&all, "HAI_COT_MOT_SO_LIEU");
    assert_eq!(conflicts.len(), 2, "{all:#?}");
    let money = conflicts.iter().find(|f| f.place.starts_with("Vốn")).expect("capital conflict");
    assert_eq!(money.severity, ERROR, "different values: gnbv cannot choose");
    assert_eq!(money.place, "Vốn!E6");
    assert!(money.message.contains("cột D") && money.message.contains("cột E"), "{}", money.message);
    let ind = conflicts.iter().find(|f| f.place.starts_with("Chỉ tiêu")).expect("indicator conflict");
    assert_eq!(ind.severity, INFO, "the same values: the first is used, the unit told");
    assert!(ind.message.contains("cột D") && ind.message.contains("cột E"), "{}", ind.message);
    let s = env.summary("2024-06");
    assert_eq!(s["units_rejected"].as_u64(), Some(1));
    // The clerk sees which column gnbv took for what: in `gnbv check` and in
    // the unit's feedback workbook.
    let check = env.gnbv(&["check", dir.join("x1.xlsx").to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&check.stdout);
    assert!(printed.contains("Vốn!D = Lũy kế giải ngân từ đầu năm, NSTW"), "{printed}");
    assert!(printed.contains("Chỉ tiêu!D = Lũy kế từ đầu năm"), "{printed}");
    let feedback = std::fs::read_dir(env.output().join("2024-06/phan_hoi")).unwrap().next().unwrap().unwrap().path();
    let sheet = crate::common::sheet(&feedback, "Phản hồi");
    let shown = sheet.cells().any(|(_, _, c)| c.to_string().contains("Vốn!C = Kế hoạch vốn năm, NSTW"));
    assert!(shown, "the feedback workbook lists the layout gnbv understood");

    // The same numbers in both money columns: used once, for information.
    two_columns(&dir.join("x1.xlsx"), true);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    assert!(of(&all, "HAI_COT_MOT_SO_LIEU").iter().all(|f| f.severity == INFO), "{all:#?}");
    let s = env.summary("2024-06");
    assert_eq!(
        crate::common::capital(&s, "TOTAL", "TOTAL", "NSTW")["disbursed_cumulative"].as_i64(),
        Some(200_000_000),
        "counted once, not twice (and the first row, code and numbers only, is data, not a numbering row)"
    );
}

#[test]
fn rules_written_for_each_indicator_fire_on_the_one_that_breaks_them() {
    let env = TestEnv::demo();
    // Tân Phong: 9 households left poverty in June but 4 since January; 2850,5 households.
    let path = june(&env, "TANPHONG");
    let mut f = Filler::open(&path);
    f.indicator("HN_THOAT", Field::Month, 9.0);
    f.indicator("HO_TONG", Field::Achieved, 2850.5);
    f.save(&path);
    env.month(Some("2024-06"));
    let all = findings(&env, "2024-06");
    let month: Vec<_> = all.iter().filter(|f| f.message.contains("[THANG_VUOT_LUY_KE_CHI_TIEU]")).collect();
    assert_eq!(month.len(), 1, "{all:#?}");
    assert_eq!(month[0].place, format!("Chỉ tiêu!E{}", row_of(&path, "Chỉ tiêu", "HN_THOAT")));
    assert!(
        month[0].message.contains("HN_THOAT.thang = 9") && month[0].message.contains("HN_THOAT = 4"),
        "{}",
        month[0].message
    );
    let whole: Vec<_> = all.iter().filter(|f| f.message.contains("[SO_DEM_KHONG_NGUYEN]")).collect();
    assert_eq!(whole.len(), 1, "{all:#?}");
    assert_eq!(whole[0].place, format!("Chỉ tiêu!F{}", row_of(&path, "Chỉ tiêu", "HO_TONG")));
    assert_eq!(whole[0].severity, WARNING);
}
