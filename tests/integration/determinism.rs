//! The same inputs and config give the same bytes, apart from recorded run times.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::TestEnv;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if rel.ends_with("gnbv.log") {
                // The log records how long the run took.
                let text = String::from_utf8(bytes).unwrap();
                bytes = text
                    .lines()
                    .filter(|l| !l.starts_with("thời gian xử lý"))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes();
            }
            (rel, bytes)
        })
        .collect()
}

#[test]
fn same_inputs_give_identical_bytes() {
    let first = TestEnv::demo();
    let second = TestEnv::demo();
    let pinned = [("SOURCE_DATE_EPOCH", "1719792000")];
    for env in [&first, &second] {
        let out = env.gnbv_env(&["run", "--period", "2024-06"], &pinned);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let (a, b) = (files(&first.output().join("2024-06")), files(&second.output().join("2024-06")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.len() >= 6);
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two runs over the same inputs");
    }
}

#[test]
fn the_binary_writes_what_the_library_call_writes() {
    let env = TestEnv::demo();
    let (config, input, output) = (env.config(), env.input(), env.output());
    let flags = [config.to_str().unwrap(), input.to_str().unwrap(), output.to_str().unwrap()];
    let out = env.gnbv_env(
        &["run", "--period", "2024-06", "--config", flags[0], "--input", flags[1], "--output", flags[2]],
        &[("SOURCE_DATE_EPOCH", "1719792000")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let by_binary = env.path().join("output_binary");
    std::fs::rename(&output, &by_binary).unwrap();
    let recorded = chrono::DateTime::from_timestamp(1_719_792_000, 0).unwrap().naive_utc();
    let run = env.month_at(Some("2024-06"), recorded);
    assert_eq!(run.code, 0, "{}", run.error);
    let (a, b) = (files(&by_binary.join("2024-06")), files(&output.join("2024-06")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between the binary and the library call");
    }
    let written = run.outcome.unwrap();
    let target = written.target().unwrap().result.as_ref().unwrap();
    assert_eq!(format!("{}\n", target.line), String::from_utf8_lossy(&out.stdout), "the printed line");
}

#[test]
fn unpinned_runs_differ_only_in_recorded_times() {
    let env = TestEnv::demo();
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let first = env.summary("2024-06");
    let parquet = std::fs::read(env.output().join("2024-06/du_lieu_2024-06.parquet")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.gnbv_ok(&["run", "--period", "2024-06"], 0);
    let mut second = env.summary("2024-06");
    assert_ne!(first["generated_at"], second["generated_at"], "the run time is recorded");
    second["generated_at"] = first["generated_at"].clone();
    assert_eq!(first, second);
    assert_eq!(parquet, std::fs::read(env.output().join("2024-06/du_lieu_2024-06.parquet")).unwrap());
}
