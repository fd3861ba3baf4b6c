//! The national-scale benchmark (SPEC §8): `cargo bench --bench consolidation`.
//!
//! For each size N (10, 30, 100, 1,000, 3,321 and 10,000 unit workbooks by default) it
//!
//! 1. generates N unit workbooks for June 2024 in a temporary folder, with a
//!    generated `config/` (the shipped one, with a `units.csv` registering the N
//!    units `U00001`…): 80% **canonical**, written by gnbv's own writer of the
//!    unit contract (`gnbv::write::unit_workbook::workbook`), and 20% **messy**,
//!    written directly with `rust_xlsxwriter` the way offices really fill them
//!    (renamed sheets, reordered columns and sources, two-row headers without
//!    merges, numbers stored as Vietnamese text `1.728,5`, identity on its own
//!    sheet, names without codes in NFD with non-breaking spaces, an extra sheet);
//! 2. checks that gnbv reads every messy variant to exactly the figures of its
//!    canonical twin, and that `gnbv check` accepts it; and, on the first
//!    size, that the binary measured writes the `summary.json` of the library
//!    call it wraps (`gnbv::month::run`, run in-process);
//! 3. measures `gnbv run` — the real release binary, as a child process — and the
//!    **read floor**: calamine opening every workbook and reading every sheet
//!    (`worksheet_range`), nothing else, in parallel with rayon over files, also
//!    in a child process;
//! 4. prints the medians: wall time, workbooks/s, input MB/s, peak memory, and
//!    gnbv's time as a ratio of the floor measured in the same run.
//!
//! How the numbers are taken. Every measured command runs under a small
//! wrapper — this same executable started again in its hidden `__measure`
//! mode — which starts the command, waits for it, and then asks the kernel
//! for `getrusage(RUSAGE_CHILDREN).ru_maxrss`: the high-water resident set of
//! its only child, exact, with no polling. The wall time is taken by the
//! wrapper from just before the command is started to its exit, so process
//! start-up, config loading and every output written to disk are included for
//! gnbv, and start-up for the floor. Inputs are in the page cache (just
//! generated, and read once before measuring), as they are for a monthly run
//! that follows the files' arrival.
//!
//! The binary measured is the one cargo builds for the bench
//! (`target/release/gnbv`), or `GNBV_BENCH_BIN=/path/to/gnbv`.
//!
//! Options (after `--`): `--sizes 10,100`, `--reps K` (repetitions per size;
//! default 7 up to 100 workbooks, 3 above), `--quick` (sizes 10,100,1000, one
//! repetition), `--data DIR` (keep the generated inputs there and reuse them
//! on the next run), `--keep` (keep the temporary folder). The same through the
//! environment: `GNBV_BENCH_SIZES`, `GNBV_BENCH_REPS`, `GNBV_BENCH_QUICK=1`,
//! `GNBV_BENCH_DATA`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::NaiveDate;
use gnbv::config::indicators::Measure;
use gnbv::config::{Catalogue, Config};
use gnbv::domain::{Dong, MoneyField, Period, ProjectCode, SourceCode};
use gnbv::write::Doc;
use gnbv::write::unit_workbook::UnitContent;
use rayon::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The gnbv binary cargo built for this bench (release profile).
const GNBV_BUILT: &str = env!("CARGO_BIN_EXE_gnbv");

/// The gnbv binary measured: the one cargo built, or `GNBV_BENCH_BIN` (to
/// compare with another build, e.g. an earlier commit's).
fn gnbv_bin() -> String {
    std::env::var("GNBV_BENCH_BIN").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| GNBV_BUILT.to_string())
}
/// The month every generated workbook is for.
const PERIOD: &str = "2024-06";
/// One workbook in this many is messy (20%).
const MESSY_EVERY: usize = 5;
/// The marker line the wrapper prints.
const MEASURE_TAG: &str = "GNBV_BENCH_MEASURE";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("__measure") => measure_mode(&args[1..]),
        Some("__floor") => floor_mode(Path::new(&args[1])),
        _ => bench(&args),
    }
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

struct Options {
    sizes: Vec<usize>,
    reps: Option<usize>,
    data: Option<PathBuf>,
    keep: bool,
}

fn options(args: &[String]) -> Options {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let parse_sizes = |s: &str| -> Vec<usize> {
        s.split(',').filter_map(|x| x.trim().replace('_', "").parse().ok()).filter(|&n| n > 0).collect()
    };
    let mut o = Options { sizes: vec![10, 30, 100, 1_000, 3_321, 10_000], reps: None, data: None, keep: false };
    if env("GNBV_BENCH_QUICK").is_some_and(|v| v != "0") {
        o.sizes = vec![10, 100, 1_000];
        o.reps = Some(1);
    }
    if let Some(s) = env("GNBV_BENCH_SIZES") {
        o.sizes = parse_sizes(&s);
    }
    if let Some(r) = env("GNBV_BENCH_REPS").and_then(|r| r.parse().ok()) {
        o.reps = Some(r);
    }
    o.data = env("GNBV_BENCH_DATA").map(PathBuf::from);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => {
                o.sizes = vec![10, 100, 1_000];
                o.reps = Some(1);
            }
            "--sizes" => o.sizes = it.next().map(|s| parse_sizes(s)).unwrap_or_default(),
            "--reps" => o.reps = it.next().and_then(|r| r.parse().ok()),
            "--data" => o.data = it.next().map(PathBuf::from),
            "--keep" => o.keep = true,
            // cargo passes `--bench`; anything else is ignored with a note.
            "--bench" => {}
            other => eprintln!("consolidation bench: ignoring argument {other:?}"),
        }
    }
    if o.sizes.is_empty() {
        eprintln!("consolidation bench: no sizes given");
        std::process::exit(2);
    }
    o
}

// ---------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------

struct Row {
    n: usize,
    input_mb: f64,
    gnbv: Measured,
    floor: Measured,
    reps: usize,
    generate_s: f64,
}

fn bench(args: &[String]) {
    let opts = options(args);
    let temp = tempfile::Builder::new().prefix("gnbv-bench-").tempdir().expect("a temporary folder");
    let root = opts.data.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&root).expect("the data folder");
    println!("gnbv consolidation benchmark");
    println!("  gnbv binary: {}", gnbv_bin());
    println!("  data folder: {}", root.display());
    println!("  {}", machine());
    println!("  load average at the start: {}", load_average());
    println!(
        "  rayon threads: {} (RAYON_NUM_THREADS={})",
        rayon::current_num_threads(),
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "unset".into())
    );

    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut rows = Vec::new();
    let mut validated = false;
    for &n in &opts.sizes {
        let dir = root.join(format!("n{n:05}"));
        let started = Instant::now();
        let reused = prepare(&dir, n, &shipped);
        let generate_s = started.elapsed().as_secs_f64();
        let input = dir.join("input");
        let (files, bytes) = input_size(&input);
        println!(
            "\nN = {n}: {files} workbooks, {:.1} MB{} in {generate_s:.1} s",
            bytes as f64 / 1e6,
            if reused { " (reused)" } else { " generated" }
        );
        if !validated {
            validate_messy(&dir);
            validated = true;
        }

        // Warm the page cache once, then alternate floor and gnbv.
        let _ = measure(&floor_command(&input));
        let reps = opts.reps.unwrap_or(if n <= 100 { 7 } else { 3 });
        let mut gnbv_runs = Vec::new();
        let mut floor_runs = Vec::new();
        for rep in 0..reps {
            floor_runs.push(measure(&floor_command(&input)));
            let out = dir.join(format!("output-{rep}"));
            let _ = std::fs::remove_dir_all(&out);
            let m = measure(&gnbv_command(&dir, &out));
            if !matches!(m.code, Some(0 | 1)) {
                eprintln!("gnbv run failed (exit {:?}):\n{}", m.code, m.stderr);
                std::process::exit(1);
            }
            if rep == 0 {
                report_outputs(&out);
                if n == opts.sizes[0] {
                    same_as_library_call(&dir, &out);
                }
            }
            let _ = std::fs::remove_dir_all(&out);
            println!(
                "  rep {}: gnbv {:.3} s (cpu {:.2} s), {:.0} MiB | floor {:.3} s (cpu {:.2} s), {:.0} MiB | load {}",
                rep + 1,
                m.wall_s,
                m.cpu_s,
                m.peak_mib(),
                floor_runs[rep].wall_s,
                floor_runs[rep].cpu_s,
                floor_runs[rep].peak_mib(),
                load_average()
            );
            gnbv_runs.push(m);
        }
        rows.push(Row {
            n,
            input_mb: bytes as f64 / 1e6,
            gnbv: median(gnbv_runs),
            floor: median(floor_runs),
            reps,
            generate_s,
        });
    }

    println!(
        "\nMedians. Wall time and CPU time (user + system) of the whole process; peak = its getrusage ru_maxrss.\n"
    );
    println!(
        "| N | input MB | gnbv s | workbooks/s | MB/s | peak MiB | gnbv CPU s | floor s | floor peak MiB | floor CPU s | gnbv/floor | reps |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.1} | {:.3} | {:.0} | {:.1} | {:.0} | {:.2} | {:.3} | {:.0} | {:.2} | {:.2} | {} |",
            r.n,
            r.input_mb,
            r.gnbv.wall_s,
            r.n as f64 / r.gnbv.wall_s,
            r.input_mb / r.gnbv.wall_s,
            r.gnbv.peak_mib(),
            r.gnbv.cpu_s,
            r.floor.wall_s,
            r.floor.peak_mib(),
            r.floor.cpu_s,
            r.gnbv.wall_s / r.floor.wall_s,
            r.reps
        );
    }
    println!("  load average at the end: {}", load_average());
    println!();
    println!("Targets (SPEC §8 and issue 11, 2-core machine):");
    let ok = |b: bool| if b { "met" } else { "MISSED" };
    for r in &rows {
        if r.n == 10_000 {
            let ratio = r.gnbv.wall_s / r.floor.wall_s;
            println!("  10,000 workbooks under 5 s: {:.2} s — {}", r.gnbv.wall_s, ok(r.gnbv.wall_s < 5.0));
            println!("  10,000 workbooks within 2.5× of the read floor: {ratio:.2}× — {}", ok(ratio <= 2.5));
            println!("  10,000 workbooks within 1.5× of the read floor (SPEC): {ratio:.2}× — {}", ok(ratio <= 1.5));
            let peak = r.gnbv.peak_mib();
            println!("  peak memory at 10,000 under 512 MiB: {peak:.0} MiB — {}", ok(peak <= 512.0));
        }
        if r.n == 30 {
            println!("  30-unit district under 0.1 s: {:.3} s — {}", r.gnbv.wall_s, ok(r.gnbv.wall_s < 0.1));
        }
    }
    // How peak memory grows with the number of units: the slope between the
    // two largest sizes measured.
    let mut by_size: Vec<&Row> = rows.iter().filter(|r| r.n >= 1_000).collect();
    by_size.sort_by_key(|r| r.n);
    if let [.., a, b] = by_size.as_slice() {
        let per_1000 = (b.gnbv.peak_mib() - a.gnbv.peak_mib()) / ((b.n - a.n) as f64 / 1000.0);
        println!("  peak memory grows by {per_1000:.1} MiB per 1,000 units (between {} and {})", a.n, b.n);
    }
    let generated: f64 = rows.iter().map(|r| r.generate_s).sum();
    println!("(input generation took {generated:.1} s in all, not measured above)");
    if opts.keep && opts.data.is_none() {
        let kept = temp.keep();
        println!("inputs kept in {}", kept.display());
    }
}

/// The binary measured does what the library call does: the month run
/// in-process (`gnbv::month::run`) over the same inputs writes the same
/// `summary.json` (its generation time aside). Silent when it does; a
/// difference ends the bench.
fn same_as_library_call(dir: &Path, by_binary: &Path) {
    let scratch = tempfile::tempdir().expect("temp");
    let dirs =
        gnbv::paths::Paths { config: dir.join("config"), input: dir.join("input"), output: scratch.path().into() };
    let config = Config::load(&dirs.config).expect("config");
    let options = gnbv::month::Options {
        period: Some(Period::parse(PERIOD).expect("period")),
        wait: None,
        recorded: chrono::Local::now().naive_local(),
        progress: &(),
    };
    let outcome = gnbv::month::run(&dirs, &config, &options).expect("the month runs");
    let summary = |out: &Path| -> serde_json::Value {
        let text = std::fs::read_to_string(out.join(PERIOD).join("summary.json")).expect("summary.json");
        let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
        value["generated_at"] = serde_json::Value::Null;
        value
    };
    if !matches!(outcome.status().code(), 0 | 1) || summary(by_binary) != summary(scratch.path()) {
        eprintln!("gnbv run and gnbv::month::run disagree (exit {:?})", outcome.status());
        std::process::exit(1);
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("MemTotal")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or_else(|| "?".into(), |kib| format!("{:.1} GiB", kib / 1_048_576.0));
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    format!("machine: {cores} cores, {cpu}, {mem} RAM")
}

fn gnbv_command(dir: &Path, out: &Path) -> Vec<OsString> {
    vec![
        gnbv_bin().into(),
        "-q".into(),
        "run".into(),
        "--period".into(),
        PERIOD.into(),
        "--config".into(),
        dir.join("config").into(),
        "--input".into(),
        dir.join("input").into(),
        "--output".into(),
        out.into(),
    ]
}

fn floor_command(input: &Path) -> Vec<OsString> {
    vec![std::env::current_exe().expect("own path").into(), "__floor".into(), input.into()]
}

fn input_size(input: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for e in walkdir::WalkDir::new(input).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map_or(0, |m| m.len());
        }
    }
    (files, bytes)
}

/// Prints the size of what gnbv wrote (first repetition only).
fn report_outputs(out: &Path) {
    let mut sizes: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for e in walkdir::WalkDir::new(out).into_iter().filter_map(Result::ok) {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy().to_string();
        let key =
            if e.path().parent().is_some_and(|p| p.ends_with("phan_hoi")) { "phan_hoi/*".to_string() } else { name };
        let entry = sizes.entry(key).or_default();
        entry.0 += 1;
        entry.1 += e.metadata().map_or(0, |m| m.len());
    }
    let mut line = String::from("  outputs:");
    for (name, (count, bytes)) in &sizes {
        if *count > 1 {
            let _ = write!(line, " {name} ×{count} {:.1} MB;", *bytes as f64 / 1e6);
        } else {
            let _ = write!(line, " {name} {:.1} MB;", *bytes as f64 / 1e6);
        }
    }
    println!("{line}");
}

// ---------------------------------------------------------------------------
// Measuring a child process
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Measured {
    wall_s: f64,
    cpu_s: f64,
    peak_kib: u64,
    code: Option<i32>,
    stderr: String,
}

impl Measured {
    fn peak_mib(&self) -> f64 {
        self.peak_kib as f64 / 1024.0
    }
}

/// Runs `command` under the `__measure` wrapper (a fresh process, so its
/// `RUSAGE_CHILDREN` covers exactly one child).
fn measure(command: &[OsString]) -> Measured {
    let me = std::env::current_exe().expect("own path");
    let output = Command::new(me)
        .arg("__measure")
        .args(command)
        .stdin(Stdio::null())
        .output()
        .expect("the measuring wrapper starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let line = stdout.lines().find(|l| l.starts_with(MEASURE_TAG)).unwrap_or_else(|| {
        eprintln!("the measuring wrapper failed: {stdout}\n{stderr}");
        std::process::exit(1);
    });
    let field = |key: &str| -> Option<&str> {
        line.split_whitespace().find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    Measured {
        wall_s: field("wall_s").and_then(|v| v.parse().ok()).unwrap_or(f64::NAN),
        cpu_s: field("cpu_s").and_then(|v| v.parse().ok()).unwrap_or(f64::NAN),
        peak_kib: field("maxrss_kib").and_then(|v| v.parse().ok()).unwrap_or(0),
        code: field("code").and_then(|v| v.parse().ok()),
        stderr,
    }
}

/// The wrapper: start the command, wait, print wall time, exit code and the
/// child's peak resident set from the kernel.
fn measure_mode(command: &[String]) {
    let started = Instant::now();
    let output = Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("the measured command starts");
    let wall = started.elapsed().as_secs_f64();
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let (maxrss, cpu) = children_usage();
    println!(
        "{MEASURE_TAG} wall_s={wall:.6} cpu_s={cpu:.6} maxrss_kib={maxrss} code={}",
        output.status.code().map_or_else(|| "signal".to_string(), |c| c.to_string())
    );
}

/// Peak resident set (KiB) and CPU time (user + system, s) of the waited-for
/// children, here exactly one. Linux reports `ru_maxrss` in KiB.
#[cfg(unix)]
fn children_usage() -> (u64, f64) {
    use nix::sys::resource::{UsageWho, getrusage};
    use nix::sys::time::TimeValLike;
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or((0, f64::NAN), |u| {
        let cpu = (u.user_time().num_microseconds() + u.system_time().num_microseconds()) as f64 / 1e6;
        (u64::try_from(u.max_rss()).unwrap_or(0), cpu)
    })
}

#[cfg(not(unix))]
fn children_usage() -> (u64, f64) {
    (0, f64::NAN)
}

/// The median of each figure (taken separately).
fn median(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by(|a, b| a.wall_s.total_cmp(&b.wall_s));
    let mid = runs.len() / 2;
    let mut m = runs[mid].clone();
    let mut peaks: Vec<u64> = runs.iter().map(|r| r.peak_kib).collect();
    peaks.sort_unstable();
    m.peak_kib = peaks[mid];
    let mut cpu: Vec<f64> = runs.iter().map(|r| r.cpu_s).collect();
    cpu.sort_by(f64::total_cmp);
    m.cpu_s = cpu[mid];
    m
}

/// `/proc/loadavg`: the machine is shared, so say how busy it was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "?".into(), |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

// ---------------------------------------------------------------------------
// The read floor
// ---------------------------------------------------------------------------

/// calamine + rayon: open every workbook and read every sheet, nothing else.
fn floor_mode(input: &Path) {
    use calamine::Reader;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(input)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    let cells: usize = files
        .par_iter()
        .map(|path| {
            let mut wb = calamine::open_workbook_auto(path).expect("a workbook");
            let names = wb.sheet_names();
            names.iter().map(|n| wb.worksheet_range(n).map_or(0, |r| r.get_size().0 * r.get_size().1)).sum::<usize>()
        })
        .sum();
    println!("{} workbooks, {cells} cells", files.len());
}

// ---------------------------------------------------------------------------
// Generating the inputs
// ---------------------------------------------------------------------------

/// splitmix64: a small deterministic generator, so inputs are the same bytes
/// on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn unit_code(i: usize) -> String {
    format!("U{:05}", i + 1)
}

fn unit_name(i: usize) -> String {
    const WORDS: [&str; 8] =
        ["Tân Phong", "Đoàn Kết", "Sùng Phài", "San Thàng", "Nậm Loỏng", "Bình Lư", "Mường Kim", "Tà Lèng"];
    let kind = if i % 10 == 9 { "Phường" } else { "Xã" };
    format!("{kind} {} {}", WORDS[i % WORDS.len()], i / WORDS.len() + 1)
}

/// Writes `dir/config` and `dir/input/2024-06/*.xlsx` unless a complete set is
/// already there. Returns true when reused.
fn prepare(dir: &Path, n: usize, shipped: &Path) -> bool {
    let stamp = dir.join(".complete");
    if stamp.exists() {
        return true;
    }
    let _ = std::fs::remove_dir_all(dir);
    let config_dir = dir.join("config");
    copy_dir(shipped, &config_dir);
    // The shipped official decisions name the demo city's units, not the
    // generated ones: without them the units' own allocations stand.
    let _ = std::fs::remove_dir_all(config_dir.join("official"));
    let mut csv = String::from("code,name,kind,parent,opened,closed,successor,flags\n");
    for i in 0..n {
        let kind = if i % 10 == 9 { "phường" } else { "xã" };
        let flags = if i % 7 == 3 { "dbkk" } else { "" };
        let _ = writeln!(csv, "{},{},{kind},TP_LAICHAU,,,,{flags}", unit_code(i), unit_name(i));
    }
    std::fs::write(config_dir.join("units.csv"), csv).expect("units.csv");
    let config = Config::load(&config_dir).expect("the generated config loads");
    let period = Period::parse(PERIOD).expect("period");
    let catalogue = config.catalogue_for(period.year()).expect("a catalogue for 2024");
    let recorded = NaiveDate::from_ymd_opt(2024, 6, 15).and_then(|d| d.and_hms_opt(8, 0, 0)).expect("date");
    let input = dir.join("input").join(PERIOD);
    std::fs::create_dir_all(&input).expect("input folder");
    (0..n).into_par_iter().for_each(|i| {
        let doc = Doc::new(&config, catalogue, period, recorded);
        let content = content(&config, catalogue, i);
        let path = input.join(format!("{}.xlsx", unit_code(i)));
        if i % MESSY_EVERY == MESSY_EVERY - 1 {
            messy(&config, catalogue, &content, i, &path);
        } else {
            let bytes = gnbv::write::unit_workbook::workbook(&doc, &content).expect("canonical workbook");
            std::fs::write(&path, bytes).expect("write workbook");
        }
    });
    std::fs::write(&stamp, b"").expect("stamp");
    false
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("config folder");
        } else {
            std::fs::copy(e.path(), &target).expect("config file");
        }
    }
}

/// Dong from a number of thousands of đồng.
fn thousands(k: u64) -> Dong {
    Dong(i64::try_from(k).unwrap_or(0) * 1_000)
}

/// A unit's figures: realistic, consistent (parents and totals are sums,
/// disbursed ≤ allocated, poor households never below zero).
fn content(config: &Config, catalogue: &Catalogue, i: usize) -> UnitContent {
    let mut rng = Rng::new(i as u64);
    let mut c = UnitContent {
        code: unit_code(i),
        name: unit_name(i),
        submitted: NaiveDate::from_ymd_opt(2024, 6, u32::try_from(10 + i % 10).unwrap_or(15)),
        filled: true,
        ..UnitContent::default()
    };
    let sources: Vec<SourceCode> = config.sources.list.iter().map(|s| s.code.clone()).collect();
    let chance = [70, 45, 15, 10];
    for p in catalogue.projects.iter().filter(|p| !catalogue.has_children(&p.code)) {
        for (s, src) in sources.iter().enumerate() {
            if !rng.chance(chance[s.min(3)]) {
                continue;
            }
            // Allocated: 5 to 900 million đồng, to the thousand đồng;
            // cumulative 0-100% of it, this month up to a third of cumulative.
            let allocated = rng.range(5_000, 900_000);
            let cumulative = allocated * rng.range(0, 100) / 100;
            let month = cumulative * rng.range(0, 33) / 100;
            for (field, v) in [
                (MoneyField::Allocated, allocated),
                (MoneyField::DisbursedMonth, month),
                (MoneyField::DisbursedCumulative, cumulative),
            ] {
                c.money.insert((p.code.clone(), src.clone(), field), thousands(v));
            }
        }
    }
    // Parents and totals.
    let leaves: Vec<((ProjectCode, SourceCode, MoneyField), Dong)> =
        c.money.iter().map(|(k, v)| (k.clone(), *v)).collect();
    for ((project, source, field), v) in leaves {
        if let Some(parent) = catalogue.get(&project).and_then(|p| p.parent.clone()) {
            *c.money.entry((parent, source.clone(), field)).or_insert(Dong::ZERO) += v;
        }
        *c.totals.entry((source, field)).or_insert(Dong::ZERO) += v;
    }

    // Indicators.
    let households = rng.range(900, 4_500);
    let poor = households * rng.range(2, 18) / 100;
    let near_poor = households * rng.range(3, 12) / 100;
    let labour = households * rng.range(170, 230) / 100;
    let trained = labour * rng.range(55, 80) / 100;
    let certified = trained * rng.range(50, 75) / 100;
    let mut values: BTreeMap<&str, [Option<f64>; 3]> = BTreeMap::new();
    let f = |x: u64| Some(x as f64);
    values.insert("HO_TONG", [None, None, f(households)]);
    values.insert("HN_DAU", [None, None, f(poor)]);
    let left = poor * rng.range(5, 40) / 100;
    values.insert("HN_THOAT", [f(poor * 3 / 10 + 1), f(left / 3), f(left)]);
    values.insert("HN_PS", [None, f(0), f(rng.range(0, 3))]);
    values.insert("HN_TAI", [None, f(0), f(rng.range(0, 1))]);
    let near_left = near_poor * rng.range(5, 35) / 100;
    values.insert("HCN_DAU", [None, None, f(near_poor)]);
    values.insert("HCN_THOAT", [f(near_poor / 4 + 1), f(near_left / 3), f(near_left)]);
    values.insert("HCN_PS", [None, f(0), f(rng.range(0, 4))]);
    values.insert("LD_TONG", [None, None, f(labour)]);
    values.insert("LD_DT", [None, None, f(trained)]);
    values.insert("LD_CC", [None, None, f(certified)]);
    for code in ["DT_NGHE", "VL_KN", "VL_NN", "MH_GN", "HO_HTSX", "TE_DD", "NHA_O", "CB_TH"] {
        let target = rng.range(2, 120);
        let achieved = target * rng.range(20, 110) / 100;
        values.insert(code, [f(target), f(achieved / 4), f(achieved)]);
    }
    // Targets on derived rows: the rate reduction in points, trained labour rate.
    let points = [0.15, 0.2, 0.25, 0.3][i % 4];
    values.insert("GIAM_TL_HN", [Some(points / 100.0), None, None]);
    values.insert("TL_LD_DT", [Some([0.7, 0.72, 0.75, 0.76][i % 4]), None, None]);
    for ind in config.indicators.list.iter().filter(|ind| ind.in_template) {
        if let Some(v) = values.get(ind.code.as_str()) {
            c.indicators.insert(ind.code.clone(), *v);
        }
    }
    c.notes = vec![
        (false, format!("Vốn đối ứng của địa phương bố trí chậm; {} hộ chưa được hỗ trợ sản xuất.", rng.range(3, 40))),
        (false, "Hướng dẫn thanh quyết toán Tiểu dự án 2 (Dự án 3) chưa rõ.".to_string()),
        (true, "Đề nghị tỉnh sớm phân bổ vốn sự nghiệp đợt 2.".to_string()),
    ];
    c
}

/// Vietnamese number text: thousands dots, decimal comma (1.728,5).
fn vn_number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (k, ch) in digits.iter().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('.');
        }
        out.push(*ch);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// Money text in triệu đồng, blank for zero.
fn vn_money(v: Dong) -> Option<String> {
    (v != Dong::ZERO).then(|| vn_number(v.0 as f64 / 1e6, 3))
}

/// Unicode NFD with a non-breaking space after the first word, as some
/// keyboards and copy-pastes produce.
fn nfd_nbsp(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd().collect::<String>().replacen(' ', "\u{a0}", 1)
}

/// A messy workbook, one of two variants, with the same figures as `content`.
fn messy(config: &Config, catalogue: &Catalogue, content: &UnitContent, i: usize, path: &Path) {
    let mut wb = Workbook::new();
    if (i / MESSY_EVERY).is_multiple_of(2) {
        messy_reordered(&mut wb, config, catalogue, content, "Ngân sách trung ương").expect("messy workbook A");
    } else {
        messy_by_name(&mut wb, config, catalogue, content).expect("messy workbook B");
    }
    wb.save(path).expect("write messy workbook");
}

/// Variant A: "Biểu 01 - Vốn" with the identity in single cells ("Mã đơn vị:
/// U00005"), a two-row header without merges, groups and sources reordered, a
/// "Tổng số" column per group, money as Vietnamese text, a "Tổng cộng" row;
/// "Biểu 02 - Chỉ tiêu" with columns reordered and a two-row header; notes;
/// and an extra sheet.
fn messy_reordered(
    wb: &mut Workbook,
    config: &Config,
    catalogue: &Catalogue,
    c: &UnitContent,
    central: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("Biểu 01 - Vốn")?;
    ws.write_string_with_format(
        0,
        0,
        "BÁO CÁO KẾT QUẢ GIẢI NGÂN VỐN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG NĂM 2024",
        &bold,
    )?;
    ws.write_string(1, 0, format!("Mã đơn vị: {}", c.code))?;
    ws.write_string(2, 0, format!("Tên đơn vị: {}", c.name))?;
    ws.write_string(3, 0, "Kỳ báo cáo: Tháng 6 năm 2024")?;
    ws.write_string(4, 0, "Ngày báo cáo:")?;
    if let Some(d) = c.submitted {
        ws.write_string(4, 1, d.format("%d/%m/%Y").to_string())?;
    }
    ws.write_string(5, 0, "Đơn vị tính: triệu đồng")?;

    // Sources in another order, and their words as clerks write them.
    let source_label = |code: &str| match code {
        "NSTW" => central,
        "NSDP" => "NS địa phương",
        "KHAC" => "Vốn huy động khác",
        _ => "Vốn năm trước chuyển sang",
    };
    let mut sources: Vec<SourceCode> = config.sources.list.iter().map(|s| s.code.clone()).collect();
    sources.rotate_left(1);
    let groups = [
        (MoneyField::DisbursedCumulative, "Lũy kế giải ngân từ đầu năm"),
        (MoneyField::Allocated, "Kế hoạch vốn năm 2024"),
        (MoneyField::DisbursedMonth, "Giải ngân trong tháng"),
    ];
    let h = 7;
    ws.write_string(h, 0, "STT")?;
    ws.write_string(h, 1, "Dự án, tiểu dự án")?;
    ws.write_string(h, 2, "Mã")?;
    let mut col: u16 = 3;
    let mut layout: Vec<(u16, MoneyField, Option<SourceCode>)> = Vec::new();
    for (field, label) in groups {
        ws.write_string(h, col, label)?;
        for s in &sources {
            ws.write_string(h + 1, col, source_label(s.as_str()))?;
            layout.push((col, field, Some(s.clone())));
            col += 1;
        }
        ws.write_string(h + 1, col, "Tổng số")?;
        layout.push((col, field, None));
        col += 1;
    }
    ws.write_string(h, col, "Ghi chú")?;
    let value = |project: Option<&ProjectCode>, field: MoneyField, source: Option<&SourceCode>| -> Dong {
        match (project, source) {
            (Some(p), Some(s)) => c.money.get(&(p.clone(), s.clone(), field)).copied().unwrap_or(Dong::ZERO),
            (Some(p), None) => {
                sources.iter().map(|s| c.money.get(&(p.clone(), s.clone(), field)).copied().unwrap_or(Dong::ZERO)).sum()
            }
            (None, Some(s)) => c.totals.get(&(s.clone(), field)).copied().unwrap_or(Dong::ZERO),
            (None, None) => {
                sources.iter().map(|s| c.totals.get(&(s.clone(), field)).copied().unwrap_or(Dong::ZERO)).sum()
            }
        }
    };
    let mut row = h + 2;
    for (n, p) in catalogue.projects.iter().enumerate() {
        ws.write_number(row, 0, (n + 1) as f64)?;
        ws.write_string(row, 1, format!("{}: {}", p.heading, p.name))?;
        ws.write_string(row, 2, p.code.as_str())?;
        for (col, field, source) in &layout {
            if let Some(text) = vn_money(value(Some(&p.code), *field, source.as_ref())) {
                ws.write_string(row, *col, text)?;
            }
        }
        row += 1;
    }
    ws.write_string_with_format(row, 1, "Tổng cộng", &bold)?;
    for (col, field, source) in &layout {
        if let Some(text) = vn_money(value(None, *field, source.as_ref())) {
            ws.write_string_with_format(row, *col, text, &bold)?;
        }
    }

    // Indicators: name first, code after, "ĐVT", results under one group cell.
    let ws = wb.add_worksheet().set_name("Biểu 02 - Chỉ tiêu")?;
    ws.write_string_with_format(0, 0, "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU GIẢM NGHÈO", &bold)?;
    let h = 2;
    for (col, label) in
        ["STT", "Chỉ tiêu", "Mã", "ĐVT", "Kế hoạch năm", "Kết quả thực hiện", "", "Ghi chú"].iter().enumerate()
    {
        if !label.is_empty() {
            ws.write_string(h, u16::try_from(col).unwrap_or(0), *label)?;
        }
    }
    ws.write_string(h + 1, 5, "Lũy kế từ đầu năm")?;
    ws.write_string(h + 1, 6, "Trong tháng")?;
    let mut row = h + 2;
    for (n, ind) in config.indicators.list.iter().filter(|ind| ind.in_template).enumerate() {
        ws.write_number(row, 0, (n + 1) as f64)?;
        ws.write_string(row, 1, &ind.name)?;
        ws.write_string(row, 2, ind.code.as_str())?;
        ws.write_string(row, 3, &ind.unit)?;
        let v = c.indicators.get(&ind.code).copied().unwrap_or_default();
        for (k, col) in [(0, 4), (2, 5), (1, 6)] {
            let Some(x) = v[k] else { continue };
            let text = match ind.measure {
                Measure::Count => vn_number(x, 0),
                Measure::Rate => format!("{}%", vn_number(x * 100.0, 2)),
                Measure::Points => vn_number(x * 100.0, 2),
            };
            ws.write_string(row, col, text)?;
        }
        row += 1;
    }

    notes_sheet(wb, c, "Kiến nghị")?;
    extra_sheet(wb, c)?;
    Ok(())
}

/// Variant B: the identity on its own first sheet ("Thông tin chung", with a
/// real date cell), a capital sheet "VON" with merged two-row headers, no code
/// column (rows matched by their names, written in NFD with non-breaking
/// spaces), sources named in full, numbers as numbers; indicators on
/// "Chi tieu" in the contract's column order.
#[allow(clippy::many_single_char_names)]
fn messy_by_name(
    wb: &mut Workbook,
    config: &Config,
    catalogue: &Catalogue,
    c: &UnitContent,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    let center = Format::new().set_bold().set_align(rust_xlsxwriter::FormatAlign::Center);
    let ws = wb.add_worksheet().set_name("Thông tin chung")?;
    ws.write_string(0, 0, "THÔNG TIN ĐƠN VỊ BÁO CÁO")?;
    ws.write_string(1, 0, "Mã đơn vị")?;
    ws.write_string(1, 1, &c.code)?;
    ws.write_string(2, 0, "Tên đơn vị")?;
    ws.write_string(2, 1, &c.name)?;
    ws.write_string(3, 0, "Kỳ báo cáo")?;
    ws.write_string(3, 1, "06/2024")?;
    ws.write_string(4, 0, "Ngày báo cáo")?;
    if let Some(d) = c.submitted {
        let date = ExcelDateTime::from_ymd(
            u16::try_from(chrono::Datelike::year(&d)).unwrap_or(2024),
            u8::try_from(chrono::Datelike::month(&d)).unwrap_or(6),
            u8::try_from(chrono::Datelike::day(&d)).unwrap_or(15),
        )?;
        ws.write_datetime_with_format(4, 1, &date, &Format::new().set_num_format("dd/mm/yyyy"))?;
    }
    ws.write_string(5, 0, "Đơn vị tính")?;
    ws.write_string(5, 1, "triệu đồng")?;

    let ws = wb.add_worksheet().set_name("VON")?;
    ws.write_string_with_format(0, 0, "TÌNH HÌNH PHÂN BỔ VÀ GIẢI NGÂN VỐN", &bold)?;
    let source_label = |code: &str| match code {
        "NSTW" => "Ngân sách trung ương",
        "NSDP" => "Ngân sách địa phương",
        "KHAC" => "Huy động khác",
        _ => "Vốn năm trước kéo dài",
    };
    let sources: Vec<SourceCode> = config.sources.list.iter().map(|s| s.code.clone()).collect();
    let n = u16::try_from(sources.len()).unwrap_or(4);
    let h = 2;
    ws.merge_range(h, 0, h + 1, 0, "Nội dung", &center)?;
    let groups = [
        (MoneyField::Allocated, "KH vốn giao năm 2024"),
        (MoneyField::DisbursedMonth, "Giải ngân trong tháng"),
        (MoneyField::DisbursedCumulative, "Lũy kế từ đầu năm"),
    ];
    let mut layout = Vec::new();
    for (g, (field, label)) in groups.iter().enumerate() {
        let start = 1 + u16::try_from(g).unwrap_or(0) * n;
        ws.merge_range(h, start, h, start + n - 1, label, &center)?;
        for (k, s) in sources.iter().enumerate() {
            let col = start + u16::try_from(k).unwrap_or(0);
            ws.write_string_with_format(h + 1, col, source_label(s.as_str()), &center)?;
            layout.push((col, *field, s.clone()));
        }
    }
    for (row, p) in (h + 2..).zip(&catalogue.projects) {
        ws.write_string(row, 0, nfd_nbsp(&format!("{}: {}", p.heading, p.name)))?;
        for (col, field, source) in &layout {
            let v = c.money.get(&(p.code.clone(), source.clone(), *field)).copied().unwrap_or(Dong::ZERO);
            if v != Dong::ZERO {
                // Some clerks type "1.728" as text; most cells are numbers.
                if v.0 % 1_000_000 == 0 && v.0 >= 1_000_000_000 {
                    ws.write_string(row, *col, vn_number(v.0 as f64 / 1e6, 0))?;
                } else {
                    ws.write_number(row, *col, v.0 as f64 / 1e6)?;
                }
            }
        }
    }

    let ws = wb.add_worksheet().set_name("Chi tieu")?;
    let heads = ["Mã", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm", "Thực hiện trong tháng", "Lũy kế từ đầu năm"];
    for (col, head) in heads.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(col).unwrap_or(0), *head, &bold)?;
    }
    let mut row = 1;
    for ind in config.indicators.list.iter().filter(|ind| ind.in_template) {
        ws.write_string(row, 0, ind.code.as_str())?;
        ws.write_string(row, 1, nfd_nbsp(&ind.name))?;
        ws.write_string(row, 2, &ind.unit)?;
        let v = c.indicators.get(&ind.code).copied().unwrap_or_default();
        for (k, col) in [(0, 3), (1, 4), (2, 5)] {
            let Some(x) = v[k] else { continue };
            let shown = if ind.measure == Measure::Points { x * 100.0 } else { x };
            ws.write_number(row, col, shown)?;
        }
        row += 1;
    }
    notes_sheet(wb, c, "Khó khăn, kiến nghị")?;
    Ok(())
}

fn notes_sheet(wb: &mut Workbook, c: &UnitContent, name: &str) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet().set_name(name)?;
    ws.write_string(0, 0, "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ")?;
    let mut row = 2;
    for (recommendation, heading) in [(false, "1. Khó khăn, vướng mắc:"), (true, "2. Kiến nghị, đề xuất:")]
    {
        ws.write_string(row, 0, heading)?;
        row += 1;
        for (_, text) in c.notes.iter().filter(|(r, _)| *r == recommendation) {
            ws.write_string(row, 0, format!("- {text}"))?;
            row += 1;
        }
    }
    Ok(())
}

fn extra_sheet(wb: &mut Workbook, c: &UnitContent) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet().set_name("DS hộ được hỗ trợ")?;
    for (col, head) in ["STT", "Họ và tên chủ hộ", "Thôn, bản", "Nội dung hỗ trợ", "Số tiền (đồng)"].iter().enumerate()
    {
        ws.write_string(0, u16::try_from(col).unwrap_or(0), *head)?;
    }
    let mut rng = Rng::new(c.code.len() as u64 + c.name.len() as u64);
    for r in 1..=25u32 {
        ws.write_number(r, 0, f64::from(r))?;
        ws.write_string(r, 1, format!("Hộ gia đình số {r}"))?;
        ws.write_string(r, 2, format!("Bản {}", rng.range(1, 12)))?;
        ws.write_string(r, 3, "Hỗ trợ giống, vật tư sản xuất")?;
        ws.write_number(r, 4, (rng.range(10, 90) * 100_000) as f64)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Messy workbooks read the same as canonical ones
// ---------------------------------------------------------------------------

type Figures = (Vec<(String, String, String, i64)>, Vec<(String, String, f64)>, Vec<(String, String)>);

fn figures_of(report: &gnbv::read::UnitReport) -> Figures {
    let mut money: Vec<(String, String, String, i64)> = report
        .capital
        .iter()
        .filter(|f| f.value != Dong::ZERO)
        .map(|f| (f.project.to_string(), f.source.to_string(), f.field.key().to_string(), f.value.0))
        .collect();
    money.sort();
    let mut inds: Vec<(String, String, f64)> =
        report.indicators.iter().map(|f| (f.code.to_string(), f.field.key().to_string(), f.value)).collect();
    inds.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut notes: Vec<(String, String)> =
        report.notes.iter().map(|n| (n.topic.clone(), n.text.trim_start_matches("- ").to_string())).collect();
    notes.sort();
    (money, inds, notes)
}

/// Reads the first messy workbook of each variant with gnbv's reader and
/// compares its figures with those of the same unit written canonically; runs
/// `gnbv check` on them too. Also probes, outside the timed inputs, a
/// variant-A workbook whose central-budget columns say "Ngân sách TW" (a
/// common abbreviation that the shipped `sources.toml` does not list).
/// Differences are printed, never hidden.
fn validate_messy(dir: &Path) {
    let config = Config::load(&dir.join("config")).expect("config");
    let period = Period::parse(PERIOD).expect("period");
    let catalogue = config.catalogue_for(period.year()).expect("catalogue");
    let input = dir.join("input").join(PERIOD);
    let n = config.units.units.len();
    let scratch = tempfile::tempdir().expect("temp");
    println!("  messy workbooks: same figures as their canonical twin?");
    for i in [MESSY_EVERY - 1, 2 * MESSY_EVERY - 1] {
        if i < n {
            let variant =
                if (i / MESSY_EVERY).is_multiple_of(2) { "A (reordered, text numbers)" } else { "B (by name, NFD)" };
            compare_with_twin(&config, catalogue, dir, &input.join(format!("{}.xlsx", unit_code(i))), i, variant);
        }
    }
    let i = MESSY_EVERY - 1;
    if i < n {
        let probe = scratch.path().join(format!("{}_ngan_sach_tw.xlsx", unit_code(i)));
        let mut wb = Workbook::new();
        messy_reordered(&mut wb, &config, catalogue, &content(&config, catalogue, i), "Ngân sách TW").expect("probe");
        wb.save(&probe).expect("probe");
        compare_with_twin(&config, catalogue, dir, &probe, i, "A with \"Ngân sách TW\" (probe, not timed)");
    }
}

fn compare_with_twin(config: &Config, catalogue: &Catalogue, dir: &Path, path: &Path, i: usize, variant: &str) {
    let period = Period::parse(PERIOD).expect("period");
    let recorded = NaiveDate::from_ymd_opt(2024, 6, 15).and_then(|d| d.and_hms_opt(8, 0, 0)).expect("date");
    let doc = Doc::new(config, catalogue, period, recorded);
    let twin = tempfile::tempdir().expect("temp");
    let c = content(config, catalogue, i);
    let twin_path = twin.path().join(format!("{}.xlsx", unit_code(i)));
    std::fs::write(&twin_path, gnbv::write::unit_workbook::workbook(&doc, &c).expect("twin")).expect("twin");
    // Read as the month reads every workbook.
    let read = |p: &Path| {
        let root = p.parent().unwrap_or(p);
        gnbv::month::read_all(&[p.to_path_buf()], root, config, &|| {}).pop().expect("one report")
    };
    let messy = read(path);
    let canonical = read(&twin_path);
    let (a, b) = (figures_of(&messy), figures_of(&canonical));
    let same_money = a.0 == b.0;
    let same_ind = a.1.len() == b.1.len()
        && a.1
            .iter()
            .zip(&b.1)
            .all(|(x, y)| x.0 == y.0 && x.1 == y.1 && (x.2 - y.2).abs() <= 1e-12 * x.2.abs().max(1.0));
    let same_notes = a.2 == b.2;
    println!(
        "    {} variant {variant}: money {} ({} figures), indicators {} ({}), notes {}; findings: {}",
        unit_code(i),
        if same_money { "same" } else { "DIFFERENT" },
        a.0.len(),
        if same_ind { "same" } else { "DIFFERENT" },
        a.1.len(),
        if same_notes { "same" } else { "DIFFERENT" },
        if messy.findings.is_empty() {
            "none".to_string()
        } else {
            messy.findings.iter().map(|f| format!("{:?}", f.rule)).collect::<Vec<_>>().join(", ")
        }
    );
    if !same_money || !same_ind {
        for x in a.0.iter().filter(|x| !b.0.contains(x)).take(3) {
            println!("      only in messy: {x:?}");
        }
        for x in b.0.iter().filter(|x| !a.0.contains(x)).take(3) {
            println!("      only in canonical: {x:?}");
        }
        for (x, y) in a.1.iter().zip(&b.1).filter(|(x, y)| x != y).take(3) {
            println!("      indicator: messy {x:?} canonical {y:?}");
        }
    }
    if !same_notes {
        println!("      notes: messy {:?} canonical {:?}", a.2, b.2);
    }
    let check = Command::new(gnbv_bin())
        .arg("check")
        .arg(path)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("gnbv check runs");
    println!(
        "    gnbv check: exit {} ({})",
        check.status.code().unwrap_or(-1),
        match check.status.code() {
            Some(0) => "accepted",
            Some(1) => "REJECTED",
            _ => "gnbv check itself FAILED (config or command line)",
        }
    );
    if !check.status.success() || !same_money {
        for line in
            String::from_utf8_lossy(&check.stdout).lines().chain(String::from_utf8_lossy(&check.stderr).lines()).take(6)
        {
            println!("      {line}");
        }
    }
}
