//! Issue 7, part 1: hostile files end as a finding for their unit, memory
//! stays bounded, and every other unit is still consolidated.
//!
//! Each file is made by hand in the test (see `common::craft`) in well under
//! a second. What would happen without the guards (measured once by hand,
//! README "Limits and hostile files"): the lying zip bomb inflates a
//! gibibyte, the repeated `.ods` rows and columns and the `.xls` cells far
//! apart ask calamine for several gigabytes, the declared shared-strings
//! count and `DIMENSIONS` make it reserve terabytes (the process aborts).
//!
//! Memory is measured by gnbv itself: the run log records the process's
//! peak resident memory (`VmHWM` of `/proc/self/status`, a high-water mark
//! kept by the kernel, read at the end of the run — not a racy poll).

use std::path::Path;

use crate::common::craft::{self, Entry, SHEET_HEAD, SHEET_TAIL};
use crate::common::{self, TestEnv};

const PERIOD: &str = "2024-06";

/// Every hostile file, by name (made once per test run).
fn hostile_files() -> &'static [(&'static str, Vec<u8>)] {
    static FILES: std::sync::OnceLock<Vec<(&'static str, Vec<u8>)>> = std::sync::OnceLock::new();
    FILES.get_or_init(make_hostile_files)
}

fn make_hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut files = Vec::new();

    // A zip bomb whose directory tells the truth: 1 GiB of sheet XML.
    let prefix = format!("{SHEET_HEAD}<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
    let suffix = format!("</t></is></c></row>{SHEET_TAIL}");
    let (bomb, size) = craft::deflate_bomb(prefix.as_bytes(), b'A', 4_200_000, suffix.as_bytes());
    assert!(size > 1 << 30, "the bomb inflates past 1 GiB");
    let sheet = Entry { name: String::new(), method: 8, crc: 0, data: bomb.clone(), size: size as u32 };
    files.push(("bom_zip_khai_that.xlsx", craft::xlsx(sheet, None)));
    // The same bomb declaring 4 KB: zip stops inflating at the declared size.
    let sheet = Entry { name: String::new(), method: 8, crc: 0, data: bomb, size: 4096 };
    files.push(("bom_zip_khai_gian.xlsx", craft::xlsx(sheet, None)));

    // A sheet declaring a million rows and using the last of them.
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã đơn vị</t></is></c></row><row r="1000000"><c r="A1000000"><v>1</v></c></row>"#;
    let xml = format!(
        "{}<dimension ref=\"A1:XFD1048576\"/><sheetData>{rows}{SHEET_TAIL}",
        SHEET_HEAD.trim_end_matches("<sheetData>")
    );
    files.push(("trieu_hang.xlsx", craft::xlsx(craft::stored("", xml.as_bytes()), None)));
    // A sheet really using 6,000 rows (limit 5,000).
    let rows: String = (1..=6000).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c></row>")).collect();
    files.push(("sau_nghin_hang.xlsx", craft::xlsx_rows(&rows)));

    // Shared strings: a table declaring four billion entries (calamine would
    // reserve 96 GB for it), and one really holding 1.2 million.
    let ss = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    let sheet = craft::stored("", format!("{SHEET_HEAD}{SHEET_TAIL}").as_bytes());
    files.push(("chuoi_khai_4_ty.xlsx", craft::xlsx(sheet, Some(craft::stored("", ss.as_bytes())))));
    let mut ss = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    ss.push_str(&"<si><t>x</t></si>".repeat(1_200_000));
    ss.push_str("</sst>");
    let sheet = craft::stored("", format!("{SHEET_HEAD}{SHEET_TAIL}").as_bytes());
    files.push(("trieu_chuoi.xlsx", craft::xlsx(sheet, Some(craft::stored("", ss.as_bytes())))));

    // Three sheets (one part read three times), each with a cell in its first
    // and last allowed corners: three dense 5,000 × 200 grids.
    let corners = format!(
        "{SHEET_HEAD}<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"5000\"><c r=\"GR5000\"><v>1</v></c></row>{SHEET_TAIL}"
    );
    let workbook = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Vốn" sheetId="1" r:id="rId1"/><sheet name="Chỉ tiêu" sheetId="2" r:id="rId2"/><sheet name="Thông tin" sheetId="3" r:id="rId3"/></sheets></workbook>"#;
    let rels: String = (1..=3)
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#))
        .collect();
    files.push((
        "ba_trang_day.xlsx",
        craft::zip(&[
            craft::stored("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            craft::stored("xl/workbook.xml", workbook.as_bytes()),
            craft::stored("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).as_bytes()),
            craft::stored("xl/worksheets/sheet1.xml", corners.as_bytes()),
        ]),
    ));

    // Styles: calamine builds a style for every <xf>, with a copy of its font
    // (here a font named with 30,000 letters): 100,000 of them are 3 GB.
    let styles = format!(
        r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><name val="{}"/></font></fonts><cellXfs>{}</cellXfs></styleSheet>"#,
        "A".repeat(30_000),
        r#"<xf fontId="0"/>"#.repeat(100_000)
    );
    files.push(("kieu_o.xlsx", craft::xlsx_styles(&styles)));

    // .ods: a row with a value repeated a million times.
    files.push((
        "ods_lap_hang.ods",
        craft::ods(
            r#"<table:table table:name="Vốn"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        ),
    ));
    // .ods: rows of empty cells that calamine still stores (16,000 each).
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell/></table:table-row>"#;
    files.push((
        "ods_lap_cot.ods",
        craft::ods(&format!(r#"<table:table table:name="Vốn">{}</table:table>"#, row.repeat(3000))),
    ));
    // .ods: one cell of two billion spaces (calamine reads the count as an i32).
    files.push((
        "ods_khoang_trang.ods",
        craft::ods(
            r#"<table:table table:name="Vốn"><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row></table:table>"#,
        ),
    ));
    // .ods: a content.xml declaring 300 MB.
    let content = Entry { name: String::new(), method: 0, crc: 0, data: b"<x/>".to_vec(), size: 300 << 20 };
    files.push(("ods_noi_dung_lon.ods", craft::ods_content(content)));

    // .xls: two cells far apart (calamine builds the dense range between them).
    files.push(("xls_o_xa.xls", craft::xls(&[craft::number(0, 0, 1.0), craft::number(65_535, 255, 2.0)])));
    // .xls: DIMENSIONS declaring four billion rows (calamine reserves them).
    let mut dims = Vec::new();
    dims.extend(0u32.to_le_bytes());
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    dims.extend(200u16.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    files.push(("xls_dimensions.xls", craft::xls(&[craft::record(0x0200, &dims), craft::number(0, 0, 1.0)])));
    files
}

/// Writes a file of `size` bytes without writing them (a sparse file).
fn sparse(path: &Path, size: u64) {
    let f = std::fs::File::create(path).expect("create");
    f.set_len(size).expect("set_len");
}

fn log(env: &TestEnv) -> String {
    std::fs::read_to_string(env.output().join(PERIOD).join("gnbv.log")).expect("gnbv.log")
}

fn peak_mb(log: &str) -> u64 {
    let line = log.lines().find(|l| l.starts_with("thời gian xử lý:")).expect("the log records the run's measurements");
    let (_, mb) = line.split_once("bộ nhớ đỉnh:").expect("and its peak memory");
    mb.trim().trim_end_matches("MB").trim().parse().expect("MB")
}

#[test]
fn hostile_files_are_refused_with_bounded_memory_and_the_others_consolidated() {
    let env = TestEnv::demo();
    let dir = env.input().join(PERIOD);
    let files = hostile_files();
    for (name, bytes) in files {
        assert!(bytes.len() < 30 << 20, "{name} is small: {} bytes", bytes.len());
        std::fs::write(dir.join(name), bytes).expect("write");
    }
    // A 60 MB file (limit 50 MB): never read into memory.
    sparse(&dir.join("qua_nang.xlsx"), 60 << 20);

    env.month_ok(Some(PERIOD), 1);
    let log = log(&env);
    for name in files.iter().map(|(n, _)| *n).chain(["qua_nang.xlsx"]) {
        let refused = log
            .lines()
            .any(|l| l.contains(&format!("{PERIOD}/{name}")) && l.starts_with("[Lỗi") && l.ends_with("(TEP_QUA_LON)"));
        assert!(refused, "no TEP_QUA_LON error for {name} in the log:\n{log}");
    }
    // Every demo unit is still consolidated.
    let summary = env.summary(PERIOD);
    assert_eq!(summary["units_received"], 10, "{summary}");
    assert_eq!(summary["units_rejected"], 0);
    let total = common::capital(&summary, "TOTAL", "TOTAL", "TOTAL");
    assert_eq!(total["allocated"], 1_781_000_000i64, "the demo's allocation, all of it");
    // The refused files are listed with their reason in the status sheet.
    let status = common::sheet(&env.report(PERIOD), "06 Tình hình báo cáo");
    for (name, _) in files {
        let row = common::find_row(&status, 1, &format!("{PERIOD}/{name}"));
        let reason = status.get((row, 4)).map(ToString::to_string).unwrap_or_default();
        assert!(reason.contains("vượt") || reason.contains("bom zip"), "{name}: {reason}");
    }
    let peak = peak_mb(&log);
    assert!(peak < 400, "peak memory {peak} MB");
    eprintln!("hostile run: peak memory {peak} MB");
}

#[test]
fn each_hostile_file_alone_is_refused_by_check() {
    let env = TestEnv::new();
    for (name, bytes) in hostile_files() {
        let path = env.input().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = env.gnbv(&["check", path.to_str().expect("utf-8")]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{name}: {text}");
        assert!(text.contains("TEP_QUA_LON"), "{name}: {text}");
    }
}

#[test]
fn a_long_note_is_cut_to_what_excel_holds_not_fatal() {
    // A cell of 100,000 characters (Excel keeps 32,767): the note is read,
    // the report is written, the note is cut with an ellipsis.
    let env = TestEnv::demo();
    let src = env.input().join(PERIOD).join("TANPHONG.xlsx");
    assert!(src.exists());
    let mut wb = common::fill::Filler::open(&src);
    wb.note(true, &format!("Kiến nghị dài {}", "x".repeat(100_000)));
    wb.save(&src);
    env.month_ok(Some(PERIOD), 0);
    let notes = common::sheet(&env.report(PERIOD), "08 Kiến nghị");
    let longest = notes.rows().flatten().map(|c| c.to_string().chars().count()).max().unwrap_or(0);
    assert_eq!(longest, 32_767, "cut to Excel's limit");
}
