//! District → province: each district's report for the level above is a unit
//! workbook that the province's run reads like any commune's.

use crate::common::fill::{Field, Filler, Group};
use crate::common::{TestEnv, capital, close, indicator, registry};

/// (commune, district, allocated DA4.1 NSTW, cumulative, month, households, poor at 1 Jan, left poverty,
/// target reduction in points), money in million VND with odd decimals to test exactness.
const COMMUNES: &[(&str, &str, f64, f64, f64, f64, f64, f64, f64)] = &[
    ("XA_A", "D1", 123.456_789, 45.000_001, 12.5, 3_000.0, 300.0, 30.0, 1.0),
    ("XA_B", "D1", 1_000.0, 999.999_999, 0.000_001, 500.0, 200.0, 20.0, 4.0),
    ("XA_C", "D2", 77.7, 7.77, 0.77, 1_500.0, 90.0, 9.0, 0.5),
];

fn dong(million: f64) -> i64 {
    (million * 1_000_000.0).round() as i64
}

fn district(code: &str) -> TestEnv {
    let env = TestEnv::new();
    env.setting("code", &format!("\"{code}\""));
    let communes: Vec<(&str, &str)> = COMMUNES.iter().filter(|c| c.1 == code).map(|c| (c.0, c.0)).collect();
    env.units(&registry(&communes));
    let templates = env.templates("2024-06");
    for c in COMMUNES.iter().filter(|c| c.1 == code) {
        let mut f = Filler::open(&templates.join(format!("mau_{}_2024-06.xlsx", c.0)));
        f.set_submitted("10/06/2024");
        f.money("DA4.1", Group::Allocated, "NSTW", c.2);
        f.money("DA4.1", Group::Cumulative, "NSTW", c.3);
        f.money("DA4.1", Group::Month, "NSTW", c.4);
        f.indicator("HO_TONG", Field::Achieved, c.5);
        f.indicator("HN_DAU", Field::Achieved, c.6);
        f.indicator("HN_THOAT", Field::Achieved, c.7);
        f.indicator("GIAM_TL_HN", Field::Target, c.8);
        f.save(&env.input().join(format!("{}.xlsx", c.0)));
    }
    env.month_ok(Some("2024-06"), 0);
    env
}

#[test]
fn province_run_over_district_reports_gives_the_sum() {
    let d1 = district("D1");
    let d2 = district("D2");
    let province = TestEnv::new();
    province.setting("code", "\"TINH\"");
    province.units("code,name,kind\nD1,Huyện Một,huyện\nD2,Huyện Hai,huyện\n");
    for (env, code) in [(&d1, "D1"), (&d2, "D2")] {
        let upward = env.output().join("2024-06").join(format!("bao_cao_cap_tren_{code}_2024-06.xlsx"));
        std::fs::copy(&upward, province.input().join(format!("{code}.xlsx"))).expect("copy upward workbook");
    }
    province.month_ok(Some("2024-06"), 0);
    let s = province.summary("2024-06");

    // Money: every đồng of the three communes, through two levels.
    let alloc: i64 = COMMUNES.iter().map(|c| dong(c.2)).sum();
    let cum: i64 = COMMUNES.iter().map(|c| dong(c.3)).sum();
    let month: i64 = COMMUNES.iter().map(|c| dong(c.4)).sum();
    for project in ["DA4.1", "DA4", "TOTAL"] {
        let row = capital(&s, "TOTAL", project, "NSTW");
        assert_eq!(row["allocated"].as_i64(), Some(alloc), "{project}");
        assert_eq!(row["disbursed_cumulative"].as_i64(), Some(cum), "{project}");
        assert_eq!(row["disbursed_month"].as_i64(), Some(month), "{project}");
    }
    let d1_alloc: i64 = COMMUNES.iter().filter(|c| c.1 == "D1").map(|c| dong(c.2)).sum();
    assert_eq!(capital(&s, "D1", "TOTAL", "TOTAL")["allocated"].as_i64(), Some(d1_alloc));

    // Indicators: counts add up, the poverty rate is the ratio of the sums.
    let households: f64 = COMMUNES.iter().map(|c| c.5).sum();
    let poor_now: f64 = COMMUNES.iter().map(|c| c.6 - c.7).sum();
    close(indicator(&s, "TOTAL", "HO_TONG")["achieved"].as_f64().unwrap(), households);
    close(indicator(&s, "TOTAL", "TL_HN")["achieved"].as_f64().unwrap(), poor_now / households);
    // Targets of a rate reduction are weighted by households at each level.
    let weighted: f64 = COMMUNES.iter().map(|c| c.8 / 100.0 * c.5).sum::<f64>() / households;
    close(indicator(&s, "TOTAL", "GIAM_TL_HN")["target"].as_f64().unwrap(), weighted);
    // No finding: the upward workbooks are valid unit workbooks.
    assert_eq!(s["findings"]["error"], 0);
    assert_eq!(s["findings"]["warning"], 0);
}

#[test]
fn units_with_parents_get_subtotals_in_one_run() {
    // A province that receives commune workbooks directly, grouped by district.
    let env = TestEnv::new();
    env.setting("code", "\"TINH\"");
    env.units("code,name,kind,parent\nXA_A,Xã A,xã,H1\nXA_B,Xã B,xã,H1\nXA_C,Xã C,xã,H2\n");
    let templates = env.templates("2024-06");
    let figures = [("XA_A", 100.0, 10.0), ("XA_B", 300.0, 150.0), ("XA_C", 50.0, 45.0)];
    for (unit, alloc, cum) in figures {
        let mut f = Filler::open(&templates.join(format!("mau_{unit}_2024-06.xlsx")));
        f.set_submitted("10/06/2024");
        f.money("DA2", Group::Allocated, "NSTW", alloc);
        f.money("DA2", Group::Cumulative, "NSTW", cum);
        f.save(&env.input().join(format!("{unit}.xlsx")));
    }
    env.month_ok(Some("2024-06"), 0);
    let by_unit = crate::common::sheet(&env.report("2024-06"), "02 Vốn theo đơn vị");
    let h1 = crate::common::find_row(&by_unit, 1, "H1");
    close(crate::common::number(&by_unit, h1, 3), 400.0);
    close(crate::common::number(&by_unit, h1, 5), 160.0);
    close(crate::common::number(&by_unit, h1, 6), 160.0 / 400.0);
    let h2 = crate::common::find_row(&by_unit, 1, "H2");
    assert!(h2 > h1 + 2, "H1's two communes are listed under it");
    close(crate::common::number(&by_unit, h2, 6), 45.0 / 50.0);
}
