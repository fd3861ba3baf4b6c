//! Issue 12: a new agency starts with `gnbv init`, registers its units and
//! runs its first month, with none of the demo city's data in the way.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::fill::{Filler, Group};

/// Runs gnbv in `dir`, with none of the folder variables of the caller's shell.
fn gnbv(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gnbv"))
        .current_dir(dir)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GNBV_HOME")
        .env_remove("GNBV_CONFIG")
        .env_remove("GNBV_INPUT")
        .env_remove("GNBV_OUTPUT")
        .output()
        .expect("gnbv runs")
}

fn ok(out: &Output, code: i32) -> String {
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "stdout:\n{stdout}\nstderr:\n{stderr}");
    format!("{stdout}{stderr}")
}

/// Replaces the first line starting with `key =` (the officer filling settings.toml).
fn fill_setting(path: &Path, key: &str, value: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let prefix = format!("{key} = ");
    let at = text.lines().position(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {key}"));
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i == at { format!("{key} = \"{value}\"") } else { l.to_string() })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_new_agency_from_init_to_its_first_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gnbv(tmp.path(), &["init", "huyen_moi"]);
    let printed = ok(&out, 0);
    assert!(printed.contains("Các bước tiếp theo"), "{printed}");
    assert!(printed.contains("cd huyen_moi && gnbv template --period YYYY-MM"), "{printed}");
    let home = tmp.path().join("huyen_moi");
    let config = home.join("config");
    for file in ["settings.toml", "units.csv", "sources.toml", "indicators.toml", "rules.toml"] {
        assert!(config.join(file).is_file(), "{file} written");
    }
    assert!(std::fs::read_dir(config.join("catalogue")).unwrap().count() >= 1);
    assert!(!config.join("official").exists(), "no demo decision");
    assert!(home.join("input").is_dir() && home.join("output").is_dir());
    let settings = std::fs::read_to_string(config.join("settings.toml")).unwrap();
    assert!(!settings.contains("Lai Châu") && settings.contains("code = \"\""), "{settings}");
    let units = std::fs::read_to_string(config.join("units.csv")).unwrap();
    assert!(units.starts_with("code,name,kind,"), "{units}");

    // Never over an existing config: exit 2, a Vietnamese message, nothing touched.
    std::fs::write(config.join("units.csv"), format!("{units}# sửa của cán bộ\n")).unwrap();
    let again = ok(&gnbv(tmp.path(), &["init", "huyen_moi"]), 2);
    assert!(again.contains("đã có") && again.contains("không ghi đè"), "{again}");
    assert!(std::fs::read_to_string(config.join("units.csv")).unwrap().ends_with("# sửa của cán bộ\n"));

    // The clean config loads as it is: no unit yet, no workbook, so no report (exit 3), not a config error.
    let empty = ok(&gnbv(&home, &["run"]), 3);
    assert!(!empty.contains("units.csv"), "{empty}");

    // The officer fills the agency and pastes two units under the commented example.
    fill_setting(&config.join("settings.toml"), "code", "H_MOI");
    fill_setting(&config.join("settings.toml"), "name", "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI");
    fill_setting(&config.join("settings.toml"), "report_name", "Huyện Mới");
    let mut units = std::fs::read_to_string(config.join("units.csv")).unwrap();
    units.push_str("XA_A,Xã A,xã,H_MOI,,,,\nXA_B,Xã B,xã,H_MOI,,,,dbkk\n");
    std::fs::write(config.join("units.csv"), units).unwrap();

    // Templates for the two units, filled as the communes' clerks would, sent back.
    let made = ok(&gnbv(&home, &["template", "--period", "2024-06"]), 0);
    assert!(made.contains("đã ghi 2 mẫu biểu"), "{made}");
    for (code, allocated, disbursed) in [("XA_A", 120.0, 30.0), ("XA_B", 80.0, 50.0)] {
        let mut filler = Filler::open(&home.join(format!("output/mau_bieu/mau_{code}_2024-06.xlsx")));
        filler.set_submitted("15/06/2024");
        filler.money("DA2", Group::Allocated, "NSTW", allocated);
        filler.money("DA2", Group::Month, "NSTW", disbursed);
        filler.money("DA2", Group::Cumulative, "NSTW", disbursed);
        filler.save(&home.join(format!("input/2024-06/{code}.xlsx")));
    }
    let line = ok(&gnbv(&home, &["run"]), 0);
    assert!(line.contains("2/2 đơn vị đã báo cáo"), "{line}");
    let period = home.join("output/2024-06");
    assert!(period.join("bao_cao_tong_hop_2024-06.xlsx").is_file());
    assert!(period.join("bao_cao_cap_tren_H_MOI_2024-06.xlsx").is_file());
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(period.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["units_expected"], 2);
    assert_eq!(summary["units_received"], 2);
    let total = crate::common::capital(&summary, "TOTAL", "TOTAL", "TOTAL");
    assert_eq!(total["allocated"].as_i64(), Some(200_000_000));
    assert_eq!(total["disbursed_cumulative"].as_i64(), Some(80_000_000));
    let digest = std::fs::read_to_string(period.join("tom_tat.txt")).unwrap();
    assert!(digest.contains("Tỷ lệ giải ngân: 40,0% (80/200 triệu đồng"), "{digest}");
}
