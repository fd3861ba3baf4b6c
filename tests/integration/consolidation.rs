use std::collections::BTreeMap;

use crate::common::demo::{self, UNITS};
use crate::common::{TestEnv, capital, close, find_row, indicator, number, sheet};

const MILLION: f64 = 1_000_000.0;

/// Seed 001: Lai Châu city's 2024 allocation by sub-project, million VND of NSTW.
const SEED_ALLOCATION: &[(&str, i64)] =
    &[("DA2", 530), ("DA3.2", 342), ("DA4.1", 685), ("DA4.3", 81), ("DA6.2", 17), ("DA7.1", 51), ("DA7.2", 22)];

#[test]
fn demo_run_reproduces_the_seed_allocation() {
    let env = TestEnv::demo();
    env.month_ok(None, 0);
    for file in [
        "bao_cao_tong_hop_2024-06.xlsx",
        "bao_cao_cap_tren_TP_LAICHAU_2024-06.xlsx",
        "summary.json",
        "du_lieu_2024-06.parquet",
    ] {
        assert!(env.output().join("2024-06").join(file).exists(), "{file} written");
    }
    let s = env.summary("2024-06");
    assert_eq!(s["period"], "2024-06");
    assert_eq!(capital(&s, "TOTAL", "TOTAL", "NSTW")["allocated"], 1_728_000_000_i64);
    let sum: i64 = SEED_ALLOCATION.iter().map(|(_, m)| m * 1_000_000).sum();
    assert_eq!(sum, 1_728_000_000, "the seed's own total");
    for (project, million) in SEED_ALLOCATION {
        assert_eq!(capital(&s, "TOTAL", project, "NSTW")["allocated"], million * 1_000_000, "{project}");
    }
    // Parents are the sums of their children.
    assert_eq!(capital(&s, "TOTAL", "DA4", "NSTW")["allocated"], (685 + 81) * 1_000_000_i64);
    assert_eq!(capital(&s, "TOTAL", "DA7", "NSTW")["allocated"], (51 + 22) * 1_000_000_i64);
    assert_eq!(s["units_expected"], 10);
    assert_eq!(s["units_received"], 10);
    assert_eq!(s["units_rejected"], 0);
    // Đông Phong's June report is late on purpose, and that is its only
    // finding: its feedback asks it to note that, and speaks of no warning.
    assert_eq!(s["units_on_time"], 9);
    let feedback = sheet(&env.output().join("2024-06/phan_hoi/phan_hoi_DONGPHONG_2024-06.xlsx"), "Phản hồi");
    let all: Vec<String> = feedback.rows().flat_map(|r| r.iter().map(ToString::to_string)).collect();
    let all = all.join(" ");
    assert!(all.contains("NOP_MUON") && all.contains("lưu ý"), "{all}");
    assert!(!all.contains("cảnh báo"), "{all}");
}

/// Every figure of every unit, computed here from the demo table.
fn expected_money() -> BTreeMap<(String, String, String), (f64, f64, f64)> {
    let mut out = BTreeMap::new();
    for unit in UNITS {
        for &(project, source, alloc, _, may_cum, june_month) in unit.money {
            let source = if source == "NSĐP" { "NSDP" } else { source };
            out.insert(
                (unit.code.to_string(), project.to_string(), source.to_string()),
                (alloc, june_month, may_cum + june_month),
            );
        }
    }
    out
}

#[test]
fn template_fill_run_round_trips_every_figure() {
    let env = TestEnv::new();
    // Templates written by gnbv, filled like a clerk would, then consolidated.
    let templates = env.templates("2024-06");
    for unit in UNITS {
        let filled = demo::fill(&templates.join(format!("mau_{}_2024-06.xlsx", unit.code)), unit, true);
        filled.save(&env.input().join("2024-06").join(format!("{}.xlsx", unit.code)));
    }
    env.month_ok(Some("2024-06"), 0);
    let s = env.summary("2024-06");
    let expected = expected_money();
    for ((unit, project, source), (alloc, month, cum)) in &expected {
        let row = capital(&s, unit, project, source);
        assert_eq!(row["allocated"].as_i64(), Some((alloc * MILLION).round() as i64), "{unit} {project} {source}");
        assert_eq!(
            row["disbursed_month"].as_i64(),
            Some((month * MILLION).round() as i64),
            "{unit} {project} {source}"
        );
        assert_eq!(
            row["disbursed_cumulative"].as_i64(),
            Some((cum * MILLION).round() as i64),
            "{unit} {project} {source}"
        );
    }
    // Totals by source are sums of the table.
    for source in ["NSTW", "NSDP"] {
        let (a, m, c) = expected
            .iter()
            .filter(|((_, _, s), _)| s == source)
            .fold((0.0, 0.0, 0.0), |acc, (_, v)| (acc.0 + v.0, acc.1 + v.1, acc.2 + v.2));
        let row = capital(&s, "TOTAL", "TOTAL", source);
        assert_eq!(row["allocated"].as_i64(), Some((a * MILLION).round() as i64));
        assert_eq!(row["disbursed_month"].as_i64(), Some((m * MILLION).round() as i64));
        assert_eq!(row["disbursed_cumulative"].as_i64(), Some((c * MILLION).round() as i64));
        close(row["rate"].as_f64().unwrap(), c / a);
    }
    // Indicators: each unit's reported values, and the total of counts.
    for unit in UNITS {
        for &(code, target, _, june) in unit.indicators {
            if demo::TARGET_ONLY.contains(&code) {
                // Reductions are typed in percentage points (0,2 = 0.002); rates as fractions.
                let t = target.unwrap();
                let want = if code.starts_with("GIAM_TL") { t / 100.0 } else { t };
                close(indicator(&s, unit.code, code)["target"].as_f64().unwrap(), want);
                continue;
            }
            let row = indicator(&s, unit.code, code);
            close(row["achieved"].as_f64().unwrap(), june);
            if let Some(t) = target {
                close(row["target"].as_f64().unwrap(), t);
            }
        }
    }
    let households: f64 = UNITS.iter().flat_map(|u| u.indicators).filter(|i| i.0 == "HO_TONG").map(|i| i.3).sum();
    close(indicator(&s, "TOTAL", "HO_TONG")["achieved"].as_f64().unwrap(), households);
    let left: f64 = UNITS.iter().flat_map(|u| u.indicators).filter(|i| i.0 == "HN_THOAT").map(|i| i.3).sum();
    close(indicator(&s, "TOTAL", "HN_THOAT")["achieved"].as_f64().unwrap(), left);
}

#[test]
fn the_printed_report_shows_the_grand_total() {
    let env = TestEnv::demo();
    env.month_ok(Some("2024-06"), 0);
    let expected = expected_money();
    let alloc: f64 = expected.values().map(|v| v.0).sum();
    let cum: f64 = expected.values().map(|v| v.2).sum();
    let month: f64 = expected.values().map(|v| v.1).sum();
    let by_project = sheet(&env.report("2024-06"), "01 Vốn theo dự án");
    let row = find_row(&by_project, 2, "TỔNG CỘNG");
    // Columns: A STT, B Mã, C name, then the allocation group starting with its total.
    close(number(&by_project, row, 3), alloc);
    let by_unit = sheet(&env.report("2024-06"), "02 Vốn theo đơn vị");
    let row = find_row(&by_unit, 2, "TỔNG CỘNG");
    close(number(&by_unit, row, 3), alloc);
    close(number(&by_unit, row, 4), month);
    close(number(&by_unit, row, 5), cum);
    close(number(&by_unit, row, 6), cum / alloc);
    close(number(&by_unit, row, 7), alloc - cum);
    // Ranking: the first unit has the highest rate of those with an allocation.
    let mut rates: Vec<(String, f64)> = UNITS
        .iter()
        .filter(|u| !u.money.is_empty())
        .map(|u| {
            let a: f64 = u.money.iter().map(|m| m.2).sum();
            let c: f64 = u.money.iter().map(|m| m.4 + m.5).sum();
            (u.code.to_string(), c / a)
        })
        .collect();
    rates.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap());
    assert_eq!(by_unit.get((row + 1, 1)).unwrap().to_string(), rates[0].0);
    close(number(&by_unit, row + 1, 6), rates[0].1);
}

#[test]
fn aggregate_rate_is_the_ratio_of_sums() {
    // A big commune and a small one: averaging their rates would be wrong.
    let env = TestEnv::new();
    env.units(&crate::common::registry(&[("BIG", "Xã Lớn"), ("SMALL", "Xã Nhỏ")]));
    let templates = env.templates("2024-06");
    let mut big = crate::common::fill::Filler::open(&templates.join("mau_BIG_2024-06.xlsx"));
    big.set_submitted("10/06/2024");
    big.indicator("HO_TONG", crate::common::fill::Field::Achieved, 10_000.0);
    big.indicator("HN_DAU", crate::common::fill::Field::Achieved, 500.0);
    big.indicator("HN_THOAT", crate::common::fill::Field::Achieved, 100.0);
    big.money("DA2", crate::common::fill::Group::Allocated, "NSTW", 1000.0);
    big.money("DA2", crate::common::fill::Group::Cumulative, "NSTW", 900.0);
    big.save(&env.input().join("big.xlsx"));
    let mut small = crate::common::fill::Filler::open(&templates.join("mau_SMALL_2024-06.xlsx"));
    small.set_submitted("10/06/2024");
    small.indicator("HO_TONG", crate::common::fill::Field::Achieved, 100.0);
    small.indicator("HN_DAU", crate::common::fill::Field::Achieved, 50.0);
    small.indicator("HN_THOAT", crate::common::fill::Field::Achieved, 0.0);
    small.money("DA2", crate::common::fill::Group::Allocated, "NSTW", 10.0);
    small.money("DA2", crate::common::fill::Group::Cumulative, "NSTW", 1.0);
    small.save(&env.input().join("small.xlsx"));
    env.month_ok(Some("2024-06"), 0);
    let s = env.summary("2024-06");
    // Poverty rate now: (400 + 50) / 10,100, not the mean of 4% and 50%.
    let ratio_of_sums = 450.0 / 10_100.0;
    let mean_of_ratios = f64::midpoint(400.0 / 10_000.0, 50.0 / 100.0);
    let got = indicator(&s, "TOTAL", "TL_HN")["achieved"].as_f64().unwrap();
    close(got, ratio_of_sums);
    assert!((got - mean_of_ratios).abs() > 0.2);
    // Disbursement rate: 901 / 1010, not the mean of 90% and 10%.
    let rate = capital(&s, "TOTAL", "TOTAL", "TOTAL")["rate"].as_f64().unwrap();
    close(rate, 901.0 / 1010.0);
    assert!((rate - 0.5).abs() > 0.3);
}

#[test]
fn official_allocation_decision_is_authoritative_and_differences_are_flagged() {
    let env = TestEnv::demo();
    // Sùng Phài reports 600 million for DA2 where the decision gives 530.
    let templates = env.templates("2024-06");
    let unit = UNITS.iter().find(|u| u.code == "SUNGPHAI").unwrap();
    let mut filled = demo::fill(&templates.join("mau_SUNGPHAI_2024-06.xlsx"), unit, true);
    filled.money("DA2", crate::common::fill::Group::Allocated, "NSTW", 600.0);
    filled.save(&env.input().join("2024-06/SUNGPHAI.xlsx"));
    env.month_ok(Some("2024-06"), 0);
    let s = env.summary("2024-06");
    assert_eq!(capital(&s, "SUNGPHAI", "DA2", "NSTW")["allocated"], 530_000_000_i64, "the decision wins");
    assert_eq!(capital(&s, "TOTAL", "TOTAL", "NSTW")["allocated"], 1_728_000_000_i64);
    // Local funds are not in the central-budget decision: the unit's own figure stands.
    assert_eq!(capital(&s, "SUNGPHAI", "DA2", "NSDP")["allocated"], 53_000_000_i64);
    let log = std::fs::read_to_string(env.output().join("2024-06/gnbv.log")).unwrap();
    let finding = log.lines().find(|l| l.contains("KH_VON_KHAC_QUYET_DINH")).expect("the difference is flagged");
    assert!(finding.contains("SUNGPHAI.xlsx") && finding.contains("600") && finding.contains("530"), "{finding}");
    // The allocation used is traced to the decision's cell.
    let csv = std::fs::read_to_string(env.output().join("2024-06/du_lieu_2024-06.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains(",SUNGPHAI,") && l.contains(",DA2,NSTW,allocated,"))
        .expect("tidy row of the allocation");
    assert!(row.contains("config/official/2024/phan_bo_von.xlsx") && row.contains(",530000000,"), "{row}");
}

#[test]
fn extremely_difficult_communes_are_a_group_of_their_own() {
    let env = TestEnv::demo();
    env.month_ok(Some("2024-06"), 0);
    let poverty = sheet(&env.report("2024-06"), "04 Giảm nghèo");
    let header = find_row(&poverty, 0, "STT");
    let col =
        |label: &str| (0..poverty.width()).find(|c| poverty.get((header, *c)).is_some_and(|v| *v == label)).unwrap();
    let group = (0..poverty.height())
        .find(|r| poverty.get((*r, 2)).is_some_and(|v| v.to_string().starts_with("Trong đó: xã đặc biệt khó khăn")))
        .expect("a group row");
    // Sùng Phài is the demo's only flagged commune: the group is its own figures.
    let sung_phai = UNITS.iter().find(|u| u.code == "SUNGPHAI").unwrap();
    let get = |code: &str| sung_phai.indicators.iter().find(|i| i.0 == code).unwrap().3;
    let poor_now = get("HN_DAU") - get("HN_THOAT") + get("HN_PS") + get("HN_TAI");
    close(number(&poverty, group, col("Tỷ lệ hộ nghèo hiện tại")), poor_now / get("HO_TONG"));
    close(number(&poverty, group, col("Hộ nghèo hiện tại")), poor_now);
    let row = find_row(&poverty, 1, "SUNGPHAI");
    assert!(poverty.get((row, 2)).unwrap().to_string().ends_with("(*)"));
}

#[test]
fn a_new_program_phase_is_a_config_file() {
    // The 2026-2035 program as a new catalogue file: no code change.
    let env = TestEnv::new();
    std::fs::write(
        env.config().join("catalogue/nq257_2026_2035.toml"),
        r#"
[program]
code = "NQ257"
name = "Chương trình mục tiêu quốc gia giai đoạn 2026 - 2035 (thử)"
first_year = 2026
last_year = 2035

[[project]]
code = "TP1"
heading = "Dự án 1"
name = "Giảm nghèo đa chiều, bao trùm"
capital = "su_nghiep"

[[project]]
code = "TP1.1"
heading = "Tiểu dự án 1"
parent = "TP1"
name = "Sinh kế bền vững"
capital = "su_nghiep"

[[project]]
code = "TP2"
heading = "Dự án 2"
name = "Hạ tầng thiết yếu"
capital = "dau_tu"
"#,
    )
    .unwrap();
    env.units(&crate::common::registry(&[("XA_MOI", "Xã Mới")]));
    let mut f = crate::common::fill::Filler::open(&env.template("2026-03", "XA_MOI"));
    f.money("TP1.1", crate::common::fill::Group::Allocated, "NSTW", 250.0);
    f.money("TP1.1", crate::common::fill::Group::Cumulative, "NSTW", 50.0);
    f.money("TP2", crate::common::fill::Group::Allocated, "NSTW", 1000.0);
    f.save(&env.input().join("xa_moi.xlsx"));
    env.month_ok(Some("2026-03"), 0);
    let s = env.summary("2026-03");
    assert_eq!(s["program"], "NQ257");
    assert_eq!(capital(&s, "TOTAL", "TP1", "NSTW")["allocated"], 250_000_000_i64);
    assert_eq!(capital(&s, "TOTAL", "TOTAL", "TOTAL")["allocated"], 1_250_000_000_i64);
    // 2024 still uses Decision 90's catalogue.
    assert!(env.gnbv(&["template", "--period", "2024-06", "--output", "t2024"]).status.success());
}

#[test]
fn assigned_targets_are_authoritative() {
    let env = TestEnv::new();
    env.units(&crate::common::registry(&[("XA_A", "Xã A")]));
    let mut f = crate::common::fill::Filler::open(&env.template("2024-06", "XA_A"));
    f.indicator("HO_TONG", crate::common::fill::Field::Achieved, 1000.0);
    f.indicator("HN_DAU", crate::common::fill::Field::Achieved, 100.0);
    f.indicator("HN_THOAT", crate::common::fill::Field::Achieved, 10.0);
    f.indicator("HN_THOAT", crate::common::fill::Field::Target, 12.0);
    f.save(&env.input().join("a.xlsx"));
    // The district's decision assigns 20 households and a 2-point reduction.
    let dir = env.config().join("official/2024");
    std::fs::create_dir_all(&dir).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "CHỈ TIÊU GIẢM NGHÈO GIAO NĂM 2024").unwrap();
    for (c, h) in ["Mã đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Kế hoạch năm"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "XA_A").unwrap();
    ws.write_string(3, 1, "HN_THOAT").unwrap();
    ws.write_number(3, 3, 20.0).unwrap();
    ws.write_string(4, 0, "XA_A").unwrap();
    ws.write_string(4, 2, "Mức giảm tỷ lệ hộ nghèo").unwrap();
    ws.write_string(4, 3, "2").unwrap();
    wb.save(dir.join("chi_tieu_giao.xlsx")).unwrap();
    env.month_ok(Some("2024-06"), 0);
    let s = env.summary("2024-06");
    close(indicator(&s, "XA_A", "HN_THOAT")["target"].as_f64().unwrap(), 20.0);
    close(indicator(&s, "XA_A", "HN_THOAT")["achievement"].as_f64().unwrap(), 0.5);
    close(indicator(&s, "XA_A", "GIAM_TL_HN")["target"].as_f64().unwrap(), 0.02);
    let log = std::fs::read_to_string(env.output().join("2024-06/gnbv.log")).unwrap();
    assert!(
        log.lines().any(|l| l.contains("CHI_TIEU_KHAC_GIAO") && l.contains("HN_THOAT") && l.contains("20")),
        "{log}"
    );
}

/// The leaders' first page: each headline figure against the same figure
/// computed here from the demo table (ratios of sums over the units).
#[test]
fn leaders_page_headline_figures() {
    let env = TestEnv::demo();
    env.month_ok(Some("2024-06"), 0);
    let page = sheet(&env.report("2024-06"), "Tổng quan");
    let value = |label: &str| number(&page, find_row(&page, 1, label), 5);

    // Money, in millions of đồng (the report's unit), every source.
    let (alloc, month, cum) =
        expected_money().values().fold((0.0, 0.0, 0.0), |(a, m, c), (x, y, z)| (a + x, m + y, c + z));
    close(value("Kế hoạch vốn năm 2024 (triệu đồng)"), alloc);
    close(value("Giải ngân trong tháng (triệu đồng)"), month);
    close(value("Lũy kế giải ngân từ đầu năm (triệu đồng)"), cum);
    close(value("Tỷ lệ giải ngân (%)"), cum / alloc);

    // Households and labour, June values summed over the units that report them.
    let sum =
        |code: &str| -> f64 { UNITS.iter().flat_map(|u| u.indicators).filter(|i| i.0 == code).map(|i| i.3).sum() };
    let households = sum("HO_TONG");
    let poor_start = sum("HN_DAU");
    let poor_now = poor_start - sum("HN_THOAT") + sum("HN_PS") + sum("HN_TAI");
    close(value("Tỷ lệ hộ nghèo đầu năm"), poor_start / households);
    close(value("Tỷ lệ hộ nghèo hiện tại"), poor_now / households);
    close(value("Mức giảm tỷ lệ hộ nghèo (điểm %)"), (poor_start - poor_now) / households * 100.0);
    close(value("Số hộ nghèo giảm (hộ)"), poor_start - poor_now);
    close(value("Tỷ lệ lao động qua đào tạo"), sum("LD_DT") / sum("LD_TONG"));
    close(value("Số đơn vị đã gửi báo cáo"), UNITS.len() as f64);
}
