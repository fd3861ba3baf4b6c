//! Issue 7, part 2: text stays text, and paths stay inside `output/`.
//!
//! A registry with a unit named like a DDE formula and a path-like code, a
//! workbook with formula-looking notes, sent under a formula-looking file
//! name: every workbook gnbv writes is unzipped and no formula element holds
//! any of it; the CSV cell is prefixed with `'`; no file appears outside
//! the output folder.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::fill::{Filler, Group};
use crate::common::{self, TestEnv};

const PERIOD: &str = "2024-06";
const NAME: &str = "=cmd|' /C calc'!A0";
const CODE: &str = "../../x";
const NOTES: [&str; 4] = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd"];
const FILE: &str = "=cmd|' calc'!A0.xlsx";

/// Every file under `dir`, relative.
fn files(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("prefix").to_path_buf())
        .collect()
}

/// Text of every `<f>` / `<c:f>` element (any prefix) of every XML part.
fn formulas(xlsx: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(xlsx).expect("open")).expect("zip");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        if !entry.name().expect("name").ends_with(".xml") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).expect("utf-8 xml");
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut inside = false;
        loop {
            match reader.read_event().expect("well-formed xml") {
                quick_xml::events::Event::Start(e) if e.local_name().as_ref() == "f" => inside = true,
                quick_xml::events::Event::End(e) if e.local_name().as_ref() == "f" => inside = false,
                quick_xml::events::Event::Text(t) if inside => out.push(t.to_string()),
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
    }
    out
}

/// Every text cell of every sheet, read back with calamine.
fn texts(xlsx: &Path) -> Vec<String> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(xlsx).expect("opens");
    let mut out = Vec::new();
    for (_, range) in wb.worksheets() {
        for cell in range.used_cells() {
            if let calamine::Data::String(s) = cell.2 {
                out.push(s.clone());
            }
        }
    }
    out
}

#[test]
fn formula_looking_text_and_path_like_codes_do_no_harm() {
    let env = TestEnv::new();
    env.units(&format!("code,name,kind\n{CODE},\"{}\",xã\nAN_TOAN,Xã An Toàn,xã\n", NAME.replace('"', "\"\"")));
    env.setting("report_name", &format!("\"{}\"", "@Thành phố =1+1"));

    // The template of the path-like code stays in the template folder.
    let templates = env.templates(PERIOD);
    let names: Vec<String> =
        std::fs::read_dir(&templates).expect("dir").flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
    assert!(names.contains(&format!("mau_x_{PERIOD}.xlsx")), "{names:?}");
    assert!(!env.path().join(format!("mau_x_{PERIOD}.xlsx")).exists());

    // The unit fills it in: money (disbursed above allocated, a warning, so a
    // feedback workbook is written) and formula-looking notes.
    let mut wb = Filler::open(&templates.join(format!("mau_x_{PERIOD}.xlsx")));
    wb.money("DA2", Group::Allocated, "NSTW", 100.0);
    wb.money("DA2", Group::Month, "NSTW", 150.0);
    wb.money("DA2", Group::Cumulative, "NSTW", 150.0);
    for (i, note) in NOTES.iter().enumerate() {
        wb.note(i % 2 == 0, note);
    }
    // Sent under a formula-looking file name, at the input root.
    wb.save(&env.input().join(FILE));

    let before = files(env.path());
    env.month_ok(Some(PERIOD), 1);
    let after = files(env.path());
    let outside: Vec<&PathBuf> = after.difference(&before).filter(|p| !p.starts_with("output")).collect();
    assert!(outside.is_empty(), "files written outside output/: {outside:?}");
    let period_dir = env.output().join(PERIOD);
    for f in after.difference(&before) {
        let full = env.path().join(f).canonicalize().expect("canonical");
        assert!(full.starts_with(env.output().canonicalize().expect("out")), "{}", full.display());
    }
    assert!(period_dir.join("phan_hoi").join(format!("phan_hoi_x_{PERIOD}.xlsx")).exists());

    // The unit's figures are used: the code is accepted, not mangled.
    let summary = env.summary(PERIOD);
    assert_eq!(common::capital(&summary, CODE, "DA2", "NSTW")["allocated"], 100_000_000i64);

    // No workbook gnbv wrote holds a formula made of any of that text; the
    // text is there, as text, defused with a leading apostrophe.
    let payloads = ["cmd", "HYPERLINK", "SUM(", "=1+1", "-2+3"];
    let workbooks: Vec<PathBuf> = after
        .iter()
        .filter(|p| p.starts_with("output") && p.extension().is_some_and(|e| e == "xlsx"))
        .map(|p| env.path().join(p))
        .collect();
    assert!(workbooks.len() >= 3, "report, upward, feedback: {workbooks:?}");
    let mut seen = BTreeSet::new();
    for wb in &workbooks {
        for f in formulas(wb) {
            assert!(!payloads.iter().any(|p| f.contains(p)), "{}: formula {f:?}", wb.display());
        }
        for t in texts(wb) {
            for p in ["=cmd", "=HYPERLINK", "+1+cmd", "-2+3", "@SUM", "@Thành phố", "=cmd|' calc'"] {
                if let Some(at) = t.find(p) {
                    seen.insert(p);
                    // Where the cell starts with it, it is defused.
                    assert!(at != 0, "{}: a cell starts with {p:?}: {t:?}", wb.display());
                }
            }
        }
    }
    for p in ["=cmd", "=HYPERLINK", "+1+cmd", "-2+3", "@SUM", "@Thành phố"] {
        assert!(seen.contains(p), "{p:?} is shown somewhere, as text");
    }

    // The tidy CSV: the file column starts with the payload, so it is defused.
    let csv = std::fs::read_to_string(period_dir.join(format!("du_lieu_{PERIOD}.csv"))).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let file_col = headers.iter().position(|h| h == "file").expect("file column");
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("row");
        for field in &record {
            let number = field.parse::<f64>().is_ok();
            assert!(number || !field.starts_with(['=', '+', '-', '@']), "CSV cell {field:?}");
        }
        assert_eq!(&record[file_col], format!("'{FILE}"));
        rows += 1;
    }
    assert!(rows > 0, "the unit's figures are in the CSV");
}
