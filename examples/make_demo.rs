#![allow(unreachable_pub, clippy::unwrap_used, clippy::cast_possible_truncation)]
//! Rebuilds the demo input (`input/2024-05/`, `input/2024-06/`): writes each
//! unit's blank workbook with `gnbv template`, then fills it in as a clerk
//! would (with umya-spreadsheet, not gnbv) from the demo table in
//! `tests/integration/common/demo.rs`.
//!
//! ```text
//! cargo run --example make_demo
//! ```

#[path = "../tests/integration/common/demo.rs"]
mod demo;
#[path = "../tests/integration/common/fill.rs"]
mod fill;

use std::path::PathBuf;

/// Seed 001's allocation of central budget (million VND) by implementing unit;
/// the seed gives DA3.2 to the city office and the health centre together,
/// the 100/242 split is the demo's.
const DECISION: &[(&str, &str, &str, f64)] = &[
    ("SUNGPHAI", "Xã Sùng Phài", "DA2", 530.0),
    ("VP_UBND", "Văn phòng HĐND-UBND thành phố", "DA3.2", 100.0),
    ("TTYT", "Trung tâm Y tế thành phố", "DA3.2", 242.0),
    ("P_LDTBXH", "Phòng Lao động - Thương binh và Xã hội thành phố", "DA4.1", 685.0),
    ("P_LDTBXH", "Phòng Lao động - Thương binh và Xã hội thành phố", "DA4.3", 81.0),
    ("P_LDTBXH", "Phòng Lao động - Thương binh và Xã hội thành phố", "DA6.2", 17.0),
    ("P_LDTBXH", "Phòng Lao động - Thương binh và Xã hội thành phố", "DA7.1", 51.0),
    ("P_LDTBXH", "Phòng Lao động - Thương binh và Xã hội thành phố", "DA7.2", 22.0),
];

/// Writes the 2024 allocation decision as the city's finance office would.
fn write_decision(path: &std::path::Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Phân bổ vốn").expect("sheet name");
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "PHÂN BỔ KẾ HOẠCH VỐN SỰ NGHIỆP NGÂN SÁCH TRUNG ƯƠNG NĂM 2024", &bold).unwrap();
    ws.write_string(1, 0, "Chương trình MTQG giảm nghèo bền vững (theo Kế hoạch số 4159/KH-UBND ngày 29/12/2023)")
        .unwrap();
    ws.write_string(2, 0, "Đơn vị tính: triệu đồng").unwrap();
    for (c, h) in ["STT", "Mã đơn vị", "Đơn vị thực hiện", "Mã", "Nội dung", "NSTW"].iter().enumerate()
    {
        ws.write_string_with_format(4, c as u16, *h, &bold).unwrap();
    }
    let names = |code: &str| {
        [
            ("DA2", "Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo"),
            ("DA3.2", "Cải thiện dinh dưỡng"),
            ("DA4.1", "Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn"),
            ("DA4.3", "Hỗ trợ việc làm bền vững"),
            ("DA6.2", "Truyền thông về giảm nghèo đa chiều"),
            ("DA7.1", "Nâng cao năng lực thực hiện Chương trình"),
            ("DA7.2", "Giám sát, đánh giá"),
        ]
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, n)| *n)
    };
    for (i, (unit, unit_name, project, amount)) in DECISION.iter().enumerate() {
        let row = 5 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        ws.write_string(row, 1, *unit).unwrap();
        ws.write_string(row, 2, *unit_name).unwrap();
        ws.write_string(row, 3, *project).unwrap();
        ws.write_string(row, 4, names(project)).unwrap();
        ws.write_number(row, 5, *amount).unwrap();
    }
    let total_row = 5 + DECISION.len() as u32;
    ws.write_string_with_format(total_row, 2, "Tổng cộng", &bold).unwrap();
    ws.write_number_with_format(total_row, 5, DECISION.iter().map(|d| d.3).sum::<f64>(), &bold).unwrap();
    ws.set_column_width(2, 44).unwrap();
    ws.set_column_width(4, 50).unwrap();
    std::fs::create_dir_all(path.parent().expect("a folder")).unwrap();
    wb.save(path).unwrap();
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    write_decision(&root.join("config/official/2024/phan_bo_von.xlsx"));
    let scratch = tempfile::tempdir().expect("temporary folder");
    for (period, june) in [("2024-05", false), ("2024-06", true)] {
        let templates = scratch.path().join(period);
        let args = gnbv::cli::TemplateArgs {
            output: Some(templates.clone()),
            period: period.parse().ok(),
            config: Some(root.join("config")),
            units: Vec::new(),
        };
        let global = gnbv::cli::Global { quiet: true, verbose: false };
        assert!(gnbv::cmd::template::run(&args, &global).is_ok(), "gnbv template failed");
        for unit in demo::UNITS {
            let template = templates.join(format!("mau_{}_{period}.xlsx", unit.code));
            let filled = demo::fill(&template, unit, june);
            let target = root.join("input").join(period).join(format!("{}.xlsx", unit.code));
            filled.save(&target);
            println!("{}", target.display());
        }
    }
}
