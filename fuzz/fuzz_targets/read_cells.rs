//! The reader's label finding on arbitrary sheet contents: the input is
//! read as text, sheets separated by form feeds (`\f`), the first line of
//! each its name, then rows of tab-separated cells (a cell that parses as a
//! number is written as one). A real `.xlsx` is made from that with
//! rust_xlsxwriter and read by gnbv — so every input reaches the code that
//! finds the identity block, headers, columns and rows, which raw bytes
//! rarely get past the zip layer to.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// The workbook the text describes; `None` when rust_xlsxwriter refuses it
/// (a sheet name Excel does not allow, two sheets of one name).
fn workbook(text: &str) -> Option<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for sheet in text.split('\u{c}').take(8) {
        let mut lines = sheet.lines();
        let name = lines.next().unwrap_or("");
        let ws = wb.add_worksheet();
        if !name.is_empty() {
            ws.set_name(name).ok()?;
        }
        for (r, line) in lines.take(300).enumerate() {
            for (c, cell) in line.split('\t').take(40).enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let (r, c) = (r as u32, c as u16);
                match cell.parse::<f64>() {
                    Ok(n) if n.is_finite() && !cell.starts_with(['+', '.']) => ws.write_number(r, c, n).ok()?,
                    _ => ws.write_string(r, c, cell).ok()?,
                };
            }
        }
    }
    wb.save_to_buffer().ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(bytes) = workbook(text) else { return };
    common::read_and_check(bytes, "don_vi.xlsx");
});
