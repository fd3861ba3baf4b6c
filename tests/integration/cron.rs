//! Issue 4: unattended runs — the right month, one writer, atomic and
//! versioned outputs, documented exit codes, and the 2025 reform.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::variant::Layout;
use crate::common::{TestEnv, capital, indicator, registry, root};

fn gnbv_command(env: &TestEnv, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gnbv"));
    cmd.current_dir(env.path()).args(args).env_remove("SOURCE_DATE_EPOCH").stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

/// Every final file of a period folder opens: workbooks parse, JSON parses.
fn all_complete(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let path = entry.path();
        if path.components().any(|c| c.as_os_str() == "archive") {
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("xlsx") => {
                calamine::open_workbook_auto(path)
                    .unwrap_or_else(|e| panic!("{} is not a complete workbook: {e}", path.display()));
            }
            Some("json") => {
                serde_json::from_slice::<serde_json::Value>(&std::fs::read(path).unwrap())
                    .unwrap_or_else(|e| panic!("{} is not complete JSON: {e}", path.display()));
            }
            _ => {}
        }
    }
}

/// Many units, so a run lasts long enough to be killed in the middle.
fn big_env(units: usize) -> TestEnv {
    let env = TestEnv::new();
    let codes: Vec<String> = (0..units).map(|i| format!("U{i:03}")).collect();
    env.units(&registry(&codes.iter().map(|c| (c.as_str(), c.as_str())).collect::<Vec<_>>()));
    let dir = env.input().join("2024-06");
    std::fs::create_dir_all(&dir).unwrap();
    for code in &codes {
        Layout::default().write(code, &dir.join(format!("{code}.xlsx")));
    }
    env
}

#[test]
fn kill_during_a_run_leaves_the_previous_report_intact() {
    let env = big_env(150);
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let report = env.report("2024-06");
    let first = std::fs::read(&report).unwrap();
    // Another file arrives, so a finished second run would write a different report.
    Layout::default().write("U000", &env.input().join("2024-06/U000_resent.xlsx"));
    for delay in [30, 120, 300, 600, 900] {
        let mut child = gnbv_command(&env, &["run", "--period", "2024-06"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(&report).unwrap();
        if now != first {
            // The run got through its commit: the earlier report is archived whole.
            let archived = walkdir::WalkDir::new(env.output().join("2024-06/archive"))
                .into_iter()
                .filter_map(Result::ok)
                .any(|e| e.file_name() == "bao_cao_tong_hop_2024-06.xlsx" && std::fs::read(e.path()).unwrap() == first);
            assert!(archived, "after a kill at {delay} ms the previous report is neither in place nor archived");
        }
        all_complete(&env.output().join("2024-06"));
    }
    // No staging leftovers survive the next run.
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let leftovers: Vec<_> = std::fs::read_dir(env.output())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".staging-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn two_concurrent_runs_leave_one_complete_report() {
    let env = big_env(60);
    let a = gnbv_command(&env, &["run", "--period", "2024-06", "--wait", "60"]).spawn().unwrap();
    let b = gnbv_command(&env, &["run", "--period", "2024-06", "--wait", "60"]).spawn().unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert_eq!((a.status.code(), b.status.code()), (Some(0), Some(0)), "the second waits for the first");
    all_complete(&env.output().join("2024-06"));
    // One after the other: the second archived the first's report.
    let archives: Vec<_> = std::fs::read_dir(env.output().join("2024-06/archive")).unwrap().collect();
    assert_eq!(archives.len(), 1);
}

#[test]
fn a_held_lock_refuses_after_waiting() {
    let env = TestEnv::demo();
    std::fs::create_dir_all(env.output()).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.output().join(".gnbv.lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = env.gnbv(&["run", "--wait", "1"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another gnbv run"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!env.output().join("2024-06").exists(), "nothing written while locked");
    lock.unlock().unwrap();
    env.gnbv_ok(&["run"], 0);
}

#[test]
fn a_rerun_archives_the_first_and_says_what_changed() {
    let env = TestEnv::demo();
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let first = std::fs::read(env.report("2024-06")).unwrap();
    let first_summary = std::fs::read(env.output().join("2024-06/summary.json")).unwrap();
    // A unit resends its workbook with another figure.
    let templates = env.templates("2024-06");
    let unit = crate::common::demo::UNITS.iter().find(|u| u.code == "TTYT").unwrap();
    let mut filled = crate::common::demo::fill(&templates.join("mau_TTYT_2024-06.xlsx"), unit, true);
    filled.money("DA3.2", crate::common::fill::Group::Cumulative, "NSTW", 120.0);
    filled.save(&env.input().join("2024-06/TTYT.xlsx"));
    let out = env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tệp thay đổi: 2024-06/TTYT.xlsx"), "{stderr}");
    assert!(stderr.contains("tổng lũy kế giải ngân"), "{stderr}");
    let archive = std::fs::read_dir(env.output().join("2024-06/archive")).unwrap().next().unwrap().unwrap().path();
    assert_eq!(std::fs::read(archive.join("bao_cao_tong_hop_2024-06.xlsx")).unwrap(), first);
    assert_eq!(std::fs::read(archive.join("summary.json")).unwrap(), first_summary);
    assert_ne!(std::fs::read(env.report("2024-06")).unwrap(), first);
}

#[test]
fn without_arguments_the_latest_month_runs_after_missing_earlier_ones() {
    let env = TestEnv::demo();
    let out = env.gnbv_ok(&["run"], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("gnbv 2024-05:") && lines[1].starts_with("gnbv 2024-06:"), "{stdout}");
    // June's report has May as history: last month's rate and the curve.
    let s = env.summary("2024-06");
    assert_eq!(s["period"], "2024-06");
    let by_unit = crate::common::sheet(&env.report("2024-06"), "02 Vốn theo đơn vị");
    let header = crate::common::find_row(&by_unit, 0, "Xếp hạng");
    assert!(by_unit.get((header, 8)).unwrap().to_string().contains("05/2024"), "month-over-month column");
    // A second run with no arguments does the latest month only.
    let out = env.gnbv_ok(&["run"], 0);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn exit_codes_are_as_documented() {
    // 0: the demo is clean.
    let env = TestEnv::demo();
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    // 1: a unit is missing.
    std::fs::remove_file(env.input().join("2024-06/TTYT.xlsx")).unwrap();
    env.gnbv_ok(&["run", "--period", "2024-06"], 1);
    // 2: a config error names the file and line.
    let broken = TestEnv::demo();
    broken.setting("day", "\"hai mươi\"");
    let out = broken.gnbv_ok(&["run"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("settings.toml, line"));
    // 3: no workbook for the period.
    let empty = TestEnv::new();
    empty.gnbv_ok(&["run"], 3);
    env.gnbv_ok(&["run", "--period", "2023-01"], 3);
    // 5: the output cannot be written (a file where the folder should be).
    let blocked = TestEnv::demo();
    std::fs::create_dir_all(blocked.output()).unwrap();
    std::fs::write(blocked.output().join("2024-06"), "not a folder").unwrap();
    blocked.gnbv_ok(&["run", "--period", "2024-06"], 5);
    // 2: a usage error.
    env.gnbv_ok(&["run", "--period", "June"], 2);
}

#[test]
fn merged_communes_keep_the_year_whole() {
    // Two communes close on 1 July 2025 and merge into a new one.
    let env = TestEnv::new();
    env.units(
        "code,name,kind,parent,opened,closed,successor\n\
         XA_A,Xã A,xã,,,2025-07-01,XA_MOI\n\
         XA_B,Xã B,xã,,,2025-07-01,XA_MOI\n\
         XA_MOI,Xã Mới,xã,,2025-07-01,,\n",
    );
    // (unit, period, allocated, cumulative, households, left poverty) — money in million VND.
    let files = [
        ("XA_A", "2025-06", 100.0, 40.0, 1000.0, 5.0),
        ("XA_B", "2025-06", 200.0, 90.0, 800.0, 7.0),
        ("XA_MOI", "2025-07", 50.0, 10.0, 1800.0, 2.0),
    ];
    for (unit, period, alloc, cum, households, left) in files {
        let mut f = crate::common::fill::Filler::open(&env.template(period, unit));
        f.set_submitted(if period == "2025-06" { "10/06/2025" } else { "10/07/2025" });
        f.money("DA2", crate::common::fill::Group::Allocated, "NSTW", alloc);
        f.money("DA2", crate::common::fill::Group::Cumulative, "NSTW", cum);
        f.money("DA2", crate::common::fill::Group::Month, "NSTW", 1.0);
        f.indicator("HO_TONG", crate::common::fill::Field::Achieved, households);
        f.indicator("HN_THOAT", crate::common::fill::Field::Achieved, left);
        f.save(&env.input().join(period).join(format!("{unit}.xlsx")));
    }
    env.gnbv_ok(&["run"], 0);
    let june = env.summary("2025-06");
    assert_eq!(june["units_expected"], 2);
    let july = env.summary("2025-07");
    assert_eq!(july["units_expected"], 1, "closed communes are not expected after closing");
    assert_eq!(july["units_received"], 1);
    let m = |x: f64| (x * 1_000_000.0).round() as i64;
    let row = capital(&july, "XA_MOI", "DA2", "NSTW");
    assert_eq!(row["allocated"].as_i64(), Some(m(100.0 + 200.0 + 50.0)));
    assert_eq!(row["disbursed_cumulative"].as_i64(), Some(m(40.0 + 90.0 + 10.0)));
    assert_eq!(row["disbursed_month"].as_i64(), Some(m(1.0)), "only the successor disbursed in July");
    assert_eq!(capital(&july, "TOTAL", "TOTAL", "TOTAL")["disbursed_cumulative"].as_i64(), Some(m(140.0)));
    // Flow results carry over; the successor's household count is its own.
    let left = indicator(&july, "XA_MOI", "HN_THOAT")["achieved"].as_f64().unwrap();
    assert_eq!(left, 5.0 + 7.0 + 2.0);
    assert_eq!(indicator(&july, "XA_MOI", "HO_TONG")["achieved"].as_f64().unwrap(), 1800.0);
    // The carried figures are traced to the closed communes' June workbooks.
    let csv = std::fs::read_to_string(env.output().join("2025-07/du_lieu_2025-07.csv")).unwrap();
    assert!(csv.lines().any(|l| l.contains(",XA_MOI,XA_A,") && l.contains("2025-06/XA_A.xlsx")), "{csv}");
    let _ = root();
}

#[test]
fn timeliness_is_reported_per_unit() {
    let env = TestEnv::demo();
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let s = env.summary("2024-06");
    let units = s["units"].as_array().unwrap();
    assert_eq!(units.len(), 10);
    // Đông Phong's June workbook is dated 22/06/2024, after the 20th.
    let late = units.iter().find(|u| u["unit"] == "DONGPHONG").unwrap();
    assert_eq!(late["submitted"], "2024-06-22");
    assert_eq!(late["on_time"], false);
    let labour = units.iter().find(|u| u["unit"] == "P_LDTBXH").unwrap();
    assert_eq!(labour["submitted"], "2024-06-20");
    assert_eq!(labour["on_time"], true, "the deadline day itself is on time");
    assert_eq!(s["units_on_time"], 9);
    // A deadline moved to the 10th of the next month makes everyone on time.
    env.setting("month", "\"next\"");
    env.setting("day", "10");
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    assert_eq!(env.summary("2024-06")["units_on_time"], 10);
}
