//! Issue 7, part 4: nothing is lost. Over a folder of good and bad files,
//! every good unit's figures are in summary.json and in the printed sheet
//! "02 Vốn theo đơn vị", and every bad file is named in "06 Tình hình báo
//! cáo" — on its unit's row when it can be tied to one, else in the list of
//! unidentified files — with its reason.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::craft;
use crate::common::demo::UNITS;
use crate::common::fill::{Filler, Group};
use crate::common::{self, TestEnv};

const PERIOD: &str = "2024-06";
const MILLION: f64 = 1_000_000.0;

fn text(range: &calamine::Range<calamine::Data>, row: usize, col: usize) -> String {
    range.get((row, col)).map(ToString::to_string).unwrap_or_default().trim().to_string()
}

#[test]
fn every_good_figure_is_reported_and_every_bad_file_named_with_its_reason() {
    let env = TestEnv::demo();
    // Two more registered units, whose files will be refused.
    let registry = std::fs::read_to_string(env.config().join("units.csv")).expect("units.csv");
    env.units(&format!("{registry}REFUSED,Xã Bị Từ Chối,xã,TP_LAICHAU,,,,\nWRONGP,Xã Sai Kỳ,xã,TP_LAICHAU,,,,\n"));
    let dir = env.input().join(PERIOD);
    let template = env.template(PERIOD, "REFUSED");

    // Bad files tied to a registered unit: negative money; the wrong period.
    let mut wb = Filler::open(&template);
    wb.money("DA2", Group::Allocated, "NSTW", -5.0);
    wb.save(&dir.join("tu_choi.xlsx"));
    let mut wb = Filler::open(&template);
    wb.set_unit("WRONGP");
    wb.set_period("05/2024");
    wb.money("DA2", Group::Allocated, "NSTW", 10.0);
    wb.save(&dir.join("sai_ky.xlsx"));
    // Bad files that cannot be tied to a unit.
    let mut wb = Filler::open(&template);
    wb.set_unit("KHONG_CO_MA_NAY");
    wb.save(&dir.join("don_vi_la.xlsx"));
    let good = std::fs::read(dir.join("TANPHONG.xlsx")).expect("demo");
    let mut bad: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    bad.insert("cat_cut.xlsx", good[..good.len() / 2].to_vec());
    bad.insert("rong.xlsx", Vec::new());
    bad.insert("van_ban.xls", "Mã đơn vị;TANPHONG\nDA2;530\n".as_bytes().to_vec());
    bad.insert("tai_lieu.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec());
    bad.insert("van_ban_word.xlsx", craft::zip(&[craft::stored("word/document.xml", b"<w:document/>")]));
    bad.insert("nhi_phan.xlsb", craft::zip(&[craft::stored("xl/workbook.bin", b"\x83\x01\x00")]));
    bad.insert("xls_dimensions.xls", {
        let mut dims = Vec::new();
        dims.extend(0u32.to_le_bytes());
        dims.extend(u32::MAX.to_le_bytes());
        dims.extend([0, 0, 200, 0, 0, 0]);
        craft::xls(&[craft::record(0x0200, &dims)])
    });
    bad.insert(
        "ods_lap_hang.ods",
        craft::ods(
            r#"<table:table table:name="Vốn"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        ),
    );
    for (name, bytes) in &bad {
        std::fs::write(dir.join(name), bytes).expect("write");
    }

    env.month_ok(Some(PERIOD), 1);

    // Every good unit's figures: summary.json, each project and source.
    let summary = env.summary(PERIOD);
    assert_eq!(summary["units_expected"], 12);
    assert_eq!(summary["units_received"], 12);
    assert_eq!(summary["units_rejected"], 2);
    let mut per_unit: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for unit in UNITS {
        for &(project, source, alloc, _, may_cum, june) in unit.money {
            let source = if source == "NSĐP" { "NSDP" } else { source };
            let row = common::capital(&summary, unit.code, project, source);
            assert_eq!(row["allocated"].as_f64(), Some((alloc * MILLION).round()), "{} {project} {source}", unit.code);
            assert_eq!(
                row["disbursed_cumulative"].as_f64(),
                Some(((may_cum + june) * MILLION).round()),
                "{} {project} {source}",
                unit.code
            );
            let e = per_unit.entry(unit.code).or_default();
            e.0 += alloc;
            e.1 += may_cum + june;
        }
    }
    let total = common::capital(&summary, "TOTAL", "TOTAL", "TOTAL");
    let sum: f64 = per_unit.values().map(|(a, _)| a).sum();
    assert_eq!(total["allocated"].as_f64(), Some((sum * MILLION).round()), "the total is the good units' sum");

    // …and in the printed sheet 02 (million VND), one row per good unit.
    let report = env.report(PERIOD);
    let by_unit = common::sheet(&report, "02 Vốn theo đơn vị");
    for (code, (alloc, cum)) in &per_unit {
        let row = common::find_row(&by_unit, 1, code);
        common::close(common::number(&by_unit, row, 3), *alloc);
        common::close(common::number(&by_unit, row, 5), *cum);
    }

    // Every bad file, named with its reason in sheet 06.
    let status = common::sheet(&report, "06 Tình hình báo cáo");
    for (file, unit, why) in [("tu_choi.xlsx", "REFUSED", "âm"), ("sai_ky.xlsx", "WRONGP", "05/2024")] {
        let row = common::find_row(&status, 1, unit);
        assert_eq!(text(&status, row, 4), "Bị từ chối");
        assert_eq!(text(&status, row, 7), format!("{PERIOD}/{file}"));
        assert!(text(&status, row, 8).contains(why), "{file}: {}", text(&status, row, 8));
    }
    let listed = common::find_row(&status, 0, "Tệp không xác định được đơn vị (9 tệp, không được tổng hợp):");
    assert!(listed > 0);
    for name in bad.keys().copied().chain(["don_vi_la.xlsx"]) {
        let row = common::find_row(&status, 1, &format!("{PERIOD}/{name}"));
        assert!(row > listed, "{name} is in the unidentified list");
        let reason = text(&status, row, 4);
        assert!(reason.len() > 10, "{name}: a reason is given: {reason:?}");
    }
    let reason = |name: &str| text(&status, common::find_row(&status, 1, &format!("{PERIOD}/{name}")), 4);
    assert!(reason("rong.xlsx").contains("rỗng"));
    assert!(reason("tai_lieu.xlsx").contains("PDF"));
    assert!(reason("van_ban_word.xlsx").contains("Word"));
    assert!(reason("nhi_phan.xlsb").contains(".xlsb"));
    assert!(reason("xls_dimensions.xls").contains("vượt"));
    assert!(reason("don_vi_la.xlsx").contains("KHONG_CO_MA_NAY"), "{}", reason("don_vi_la.xlsx"));
    assert!(Path::new(&report).exists());
}
