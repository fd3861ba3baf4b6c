//! The fuzzers' seed corpus (`fuzz/corpus/*/seed_*`), written from the demo
//! workbooks and small hand-made files. Run by hand after the demo or the
//! contract changes:
//! `cargo test --test integration write_fuzz_seeds -- --ignored`.

use std::path::Path;
use std::process::Command;

use calamine::Reader;

use crate::common::craft;
use crate::common::root;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).expect("corpus folder");
    std::fs::write(dir.join(name), bytes).expect("seed");
}

/// A workbook as the `read_cells` target's text: sheets separated by form
/// feeds, first line the name, then tab-separated rows.
fn as_text(path: &Path) -> String {
    let mut wb = calamine::open_workbook_auto(path).expect("opens");
    let mut sheets = Vec::new();
    for (name, range) in wb.worksheets() {
        let mut text = name.clone();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for r in 0..r0 {
            let _ = r;
            text.push('\n');
        }
        for row in range.rows() {
            text.push('\n');
            let cells: Vec<String> = std::iter::repeat_n(String::new(), c0 as usize)
                .chain(row.iter().map(|c| c.to_string().replace(['\t', '\n', '\u{c}'], " ")))
                .collect();
            text.push_str(cells.join("\t").trim_end_matches('\t'));
        }
        sheets.push(text);
    }
    sheets.join("\u{c}")
}

#[test]
#[ignore = "writes the fuzz seed corpus; run by hand"]
fn write_fuzz_seeds() {
    let bytes_dir = root().join("fuzz/corpus/read_workbook");
    let cells_dir = root().join("fuzz/corpus/read_cells");
    for unit in ["TANPHONG", "TTYT"] {
        let src = root().join(format!("input/2024-06/{unit}.xlsx"));
        write(&bytes_dir, &format!("seed_demo_{unit}.xlsx"), &std::fs::read(&src).expect("demo"));
        write(&cells_dir, &format!("seed_demo_{unit}.txt"), as_text(&src).as_bytes());
    }
    // The same workbook as .xls and .ods, by LibreOffice when it is there.
    let tmp = tempfile::tempdir().expect("tmp");
    for (format, ext) in [("xls", "xls"), ("ods", "ods")] {
        let status = Command::new("soffice")
            .args(["--headless", "--convert-to", format, "--outdir"])
            .arg(tmp.path())
            .arg(root().join("input/2024-06/TANPHONG.xlsx"))
            .env("HOME", tmp.path())
            .status();
        let out = tmp.path().join(format!("TANPHONG.{ext}"));
        if status.is_ok_and(|s| s.success()) && out.exists() {
            write(&bytes_dir, &format!("seed_demo_TANPHONG.{ext}"), &std::fs::read(&out).expect("converted"));
        }
    }
    // Small hand-made files of each format, and the shapes the guards count.
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã đơn vị</t></is></c><c r="B1" t="inlineStr"><is><t>TANPHONG</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>12.5</v></c></row>"#;
    write(&bytes_dir, "seed_small.xlsx", &craft::xlsx_rows(cells));
    let ss = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="2"><si><t>Kỳ báo cáo</t></si><si><t>06/2024</t></si></sst>"#;
    let sheet = format!("{}{cells}{}", craft::SHEET_HEAD, craft::SHEET_TAIL);
    write(
        &bytes_dir,
        "seed_shared_strings.xlsx",
        &craft::xlsx(craft::stored("", sheet.as_bytes()), Some(craft::stored("", ss.as_bytes()))),
    );
    write(
        &bytes_dir,
        "seed_small.ods",
        &craft::ods(
            r#"<table:table table:name="Vốn"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>Kế hoạch<text:s text:c="2"/>vốn</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="530"/></table:table-row></table:table>"#,
        ),
    );
    let mut dims = Vec::new();
    dims.extend(0u32.to_le_bytes());
    dims.extend(3u32.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    dims.extend(2u16.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    write(
        &bytes_dir,
        "seed_small.xls",
        &craft::xls(&[craft::record(0x0200, &dims), craft::number(0, 0, 1.0), craft::number(2, 1, 530.0)]),
    );
    // The XML parts alone, for the read_xml target.
    let xml_dir = root().join("fuzz/corpus/read_xml");
    let part = |path: &Path, name: &str| -> Option<Vec<u8>> {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
        let mut entry = archive.by_name(name).ok()?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).ok()?;
        Some(bytes)
    };
    let demo = root().join("input/2024-06/TANPHONG.xlsx");
    for i in 1..=3 {
        if let Some(xml) = part(&demo, &format!("xl/worksheets/sheet{i}.xml")) {
            write(&xml_dir, &format!("seed_demo_sheet{i}.xml"), &xml);
        }
    }
    if let Some(xml) = part(&bytes_dir.join("seed_demo_TANPHONG.ods"), "content.xml") {
        write(&xml_dir, "seed_demo_content.xml", &xml);
    }
    write(
        &cells_dir,
        "seed_small.txt",
        "Vốn\nMã đơn vị\tTANPHONG\nKỳ báo cáo\t06/2024\nMã\tNội dung\tKế hoạch vốn\nDA2\tDự án 2\t530".as_bytes(),
    );
}
