//! What a file would make the parser build, counted before it is built.
//!
//! calamine builds `.xls` and `.ods` workbooks whole when it opens them: every
//! sheet as a dense range, every repeated cell and every shared string copied
//! into each cell that uses it. A small hostile file can ask for gigabytes
//! (a row repeated a million times, a string of a million spaces, a
//! `DIMENSIONS` record declaring four billion rows, a shared-strings table
//! that declares a trillion entries). The checks here walk the file's own
//! structure the way calamine will, add up what it would allocate, and refuse
//! the file with [`OpenError::TooLarge`] when that passes the configured
//! [`Limits`], so memory stays bounded whatever arrives.
//!
//! The counts are upper bounds: where the walk is unsure whether a cell is
//! empty it counts it, so the limits can only be reached early, never late.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::open_error::OpenError;
use crate::config::Limits;

/// A zip container over a file's shared bytes: read once per workbook, for
/// the structure check, then for the sheet paths and merged regions.
pub(crate) type Archive = zip::ZipArchive<Cursor<std::sync::Arc<[u8]>>>;

/// calamine's own caps for `.ods` (it never goes past them).
const ODS_MAX_ROWS: usize = 1_048_576;
const ODS_MAX_COLUMNS: usize = 16_384;
/// A UTF-8 character from a legacy or UTF-16 string is at most this many bytes.
const UTF8_PER_CHAR: u64 = 3;
/// `CONTINUE` records after one `.xls` record: calamine takes them one by one
/// from the front of a list, so a long list costs quadratic time.
const MAX_CONTINUES: usize = 20_000;

/// `1.000.000`, as Vietnamese writes counts.
fn count(n: u64) -> String {
    crate::domain::Dong(i64::try_from(n).unwrap_or(i64::MAX)).to_string()
}

fn too_large(message: String) -> OpenError {
    OpenError::TooLarge(message)
}

fn corrupt(message: impl Into<String>) -> OpenError {
    OpenError::Corrupt(message.into())
}

/// Running totals against the limits.
struct Budget<'a> {
    limits: &'a Limits,
    cells: u64,
    text: u64,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a Limits) -> Self {
        Self { limits, cells: 0, text: 0 }
    }

    fn cells(&mut self, n: u64) -> Result<(), OpenError> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > self.limits.max_cells {
            return Err(too_large(format!(
                "tệp bắt bộ đọc dựng hơn {} ô, vượt giới hạn {} ô cho cả tệp",
                count(self.cells),
                count(self.limits.max_cells)
            )));
        }
        Ok(())
    }

    fn text(&mut self, bytes: u64) -> Result<(), OpenError> {
        self.text = self.text.saturating_add(bytes);
        if self.text > self.limits.max_text_bytes() {
            return Err(too_large(format!(
                "chữ trong các ô của tệp lên tới {} MB, vượt giới hạn {} MB",
                self.text / 1_048_576,
                self.limits.max_text_mb
            )));
        }
        Ok(())
    }

    fn position(&self, sheet: &str, row: u64, col: u64) -> Result<(), OpenError> {
        let (max_rows, max_cols) = (u64::from(self.limits.max_rows), u64::from(self.limits.max_columns));
        if row >= max_rows || col >= max_cols {
            return Err(too_large(format!(
                "trang \"{}\" có dữ liệu ở hàng {}, cột {}, vượt giới hạn {max_rows} hàng × {max_cols} cột",
                sheet.chars().take(40).collect::<String>(),
                row.saturating_add(1),
                col.saturating_add(1)
            )));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// .xlsx
// ---------------------------------------------------------------------------

/// Memory one cell style (`<xf>`) costs calamine besides its font's text: it
/// builds a full style per `xf`, cloning the font, fill and border it names.
const STYLE_BYTES: u64 = 512;
/// The shortest XML element, `<xf/>` or `<si/>`.
const MIN_ELEMENT_BYTES: u64 = 5;

/// Checks the shared-strings table and the styles of an `.xlsx` before
/// calamine reads them: calamine reserves room for the `uniqueCount` the
/// file declares, then keeps every entry; and it builds a style for every
/// `<xf>`, with a copy of the font it names (a font name can be long).
///
/// The walk is skipped where the part's declared size already bounds the
/// cost under the limits (zip refuses a part that inflates past the size it
/// declares): an element is at least [`MIN_ELEMENT_BYTES`] long, so a part
/// of `n` bytes holds at most `n / 5` styles or strings, and no font longer
/// than `n`. An ordinary workbook's parts are a few kilobytes, so only the
/// start of its shared-strings table is read (for the count it declares).
pub(crate) fn xlsx(archive: &mut Archive, limits: &Limits) -> Result<(), OpenError> {
    let names: Vec<String> = archive.file_names().flatten().map(std::borrow::Cow::into_owned).collect();
    for name in names.iter().filter(|n| n.to_ascii_lowercase().ends_with("styles.xml")) {
        let file = archive.by_name(name).map_err(|e| corrupt(format!("zip: {e}")))?;
        let size = file.size();
        if (size / MIN_ELEMENT_BYTES + 1).saturating_mul(STYLE_BYTES + size) <= limits.max_text_bytes() {
            continue;
        }
        let mut xml = xml_reader(file);
        let mut buf = Vec::with_capacity(1024);
        let (mut styles, mut font, mut longest_font, mut in_font) = (0u64, 0u64, 0u64, false);
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => {
                    match e.local_name().as_ref() {
                        "xf" => styles += 1,
                        "font" => {
                            in_font = true;
                            font = 0;
                        }
                        _ => {}
                    }
                    if in_font {
                        font += e.attributes().with_checks(false).flatten().map(|a| a.value.len() as u64).sum::<u64>();
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "font" => {
                    in_font = false;
                    longest_font = longest_font.max(font);
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
        let cost = styles.saturating_mul(STYLE_BYTES + longest_font);
        if cost > limits.max_text_bytes() {
            return Err(too_large(format!(
                "bảng định dạng có {} kiểu ô, cần {} MB bộ nhớ, vượt giới hạn {} MB",
                count(styles),
                cost / 1_048_576,
                limits.max_text_mb
            )));
        }
    }
    for name in names.iter().filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml")) {
        let file = archive.by_name(name).map_err(|e| corrupt(format!("zip: {e}")))?;
        let max = limits.max_shared_strings;
        // Too small to hold more entries than the limit: only the count it
        // declares (calamine reserves room for it) needs reading.
        let declared_only = file.size() / MIN_ELEMENT_BYTES < max;
        let mut xml = xml_reader(file);
        let mut buf = Vec::with_capacity(1024);
        let mut entries: u64 = 0;
        let refuse =
            |n: u64| too_large(format!("bảng chuỗi dùng chung có {} mục, vượt giới hạn {}", count(n), count(max)));
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                    "sst" => {
                        let declared = attr(&e, "uniqueCount").and_then(|v| v.trim().parse::<u64>().ok());
                        if let Some(n) = declared.filter(|&n| n > max) {
                            return Err(refuse(n));
                        }
                        if declared_only {
                            break;
                        }
                    }
                    "si" => {
                        entries += 1;
                        if entries > max {
                            return Err(refuse(entries));
                        }
                    }
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// .ods
// ---------------------------------------------------------------------------

/// Walks `content.xml` as calamine's `parse_content` does and counts the
/// cells and text it would build (rows and columns repeated included).
pub(crate) fn ods(archive: &mut Archive, limits: &Limits) -> Result<(), OpenError> {
    let file = match archive.by_name("content.xml") {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(()),
        Err(e) => return Err(corrupt(format!("zip: {e}"))),
    };
    let mut xml = xml_reader(file);
    let mut budget = Budget::new(limits);
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                if let Some(name) = attr(&e, "table:name") {
                    ods_table(&mut xml, &name, &mut budget)?;
                }
            }
            // calamine stops with an error where the XML does: nothing more is built.
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(())
}

type XmlReader<R> = quick_xml::Reader<BufReader<R>>;

/// An element left open at the end of `content.xml`, where calamine would
/// never stop reading.
fn unclosed(element: &str) -> OpenError {
    corrupt(format!("content.xml bị cắt cụt: thẻ <{element}> không được đóng"))
}

fn xml_reader<R: Read>(inner: R) -> XmlReader<R> {
    let mut r = quick_xml::Reader::from_reader(BufReader::new(inner));
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

/// The raw value of an attribute (as calamine reads it: exact name).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

/// A repeat count as calamine parses it; `None` when calamine would fail.
fn repeats(e: &BytesStart<'_>, name: &str) -> Option<usize> {
    match attr(e, name) {
        Some(v) => v.parse().ok(),
        None => Some(1),
    }
}

/// One table (`read_table` + `get_range`): counts each row's cells once, then
/// the dense range with its repeated rows.
fn ods_table<R: Read>(xml: &mut XmlReader<R>, sheet: &str, budget: &mut Budget<'_>) -> Result<(), OpenError> {
    let mut buf = Vec::with_capacity(1024);
    let mut total_rows: usize = 0;
    // Extent of the non-empty cells: first and last row (absolute, repeats
    // included), first and last column.
    let mut rows: Option<(usize, usize)> = None;
    let (mut col_min, mut col_max) = (usize::MAX, 0usize);
    let mut dense_text: u64 = 0;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                let Some(wanted) = repeats(&e, "table:number-rows-repeated") else { return Ok(()) };
                let capped = wanted.min(ODS_MAX_ROWS.saturating_sub(total_rows));
                let first_row = total_rows;
                total_rows = total_rows.saturating_add(capped);
                let Some(row) = ods_row(xml, budget)? else { return Ok(()) };
                // The row's cells are kept once while the table is read…
                budget.cells(row.pushed as u64)?;
                budget.text(row.text)?;
                if let Some((first, last)) = row.used {
                    // A row past calamine's own cap (repeats 0) is past ours too.
                    let last_row = first_row + capped.saturating_sub(1);
                    budget.position(sheet, last_row as u64, last as u64)?;
                    rows = Some((rows.map_or(first_row, |r| r.0), last_row));
                    col_min = col_min.min(first);
                    col_max = col_max.max(last);
                    // …and once more for every repeat in the dense range.
                    dense_text = dense_text.saturating_add(row.text.saturating_mul(capped as u64));
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => break,
            // calamine's `read_table` has no end for this loop: a table left
            // open at the end of content.xml makes it spin for ever.
            Ok(Event::Eof) => return Err(unclosed("table:table")),
            Err(_) => break,
            Ok(_) => {}
        }
    }
    if let Some((first, last)) = rows {
        let height = (last - first + 1) as u64;
        let width = (col_max.saturating_sub(col_min) + 1) as u64;
        // Values and formulas: two dense ranges of the same size.
        budget.cells(height.saturating_mul(width).saturating_mul(2))?;
        budget.text(dense_text)?;
    }
    Ok(())
}

/// What one `table:table-row` makes calamine build.
struct OdsRow {
    /// Cells pushed (empty ones before a later cell included).
    pushed: usize,
    /// Text and formula bytes of those cells.
    text: u64,
    /// First and last column holding a value or formula.
    used: Option<(usize, usize)>,
}

/// One row (`read_row`); `None` when calamine would stop with an error.
fn ods_row<R: Read>(xml: &mut XmlReader<R>, budget: &mut Budget<'_>) -> Result<Option<OdsRow>, OpenError> {
    let mut buf = Vec::with_capacity(256);
    let mut row = OdsRow { pushed: 0, text: 0, used: None };
    let mut pending_empty: usize = 0;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e))
                if e.name() == QName("table:table-cell") || e.name() == QName("table:covered-table-cell") =>
            {
                let Some(wanted) = repeats(&e, "table:number-columns-repeated") else { return Ok(None) };
                let Some(cell) = ods_cell(xml, &e, budget)? else { return Ok(None) };
                let flushed = pending_empty.min(ODS_MAX_COLUMNS.saturating_sub(row.pushed));
                row.pushed += flushed;
                pending_empty = 0;
                let capped = wanted.min(ODS_MAX_COLUMNS.saturating_sub(row.pushed));
                if cell.empty {
                    pending_empty = capped;
                } else if capped > 0 {
                    let first = row.pushed;
                    row.pushed += capped;
                    row.text = row.text.saturating_add(cell.text.saturating_mul(capped as u64));
                    row.used = Some((row.used.map_or(first, |u| u.0), row.pushed - 1));
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => return Ok(Some(row)),
            Ok(_) | Err(_) => return Ok(None),
        }
    }
}

/// One cell as `get_datatype` reads it.
struct OdsCell {
    /// No value and no formula.
    empty: bool,
    /// Bytes of text (value and formula) one copy holds.
    text: u64,
}

/// One cell; `None` when calamine would stop with an error.
fn ods_cell<R: Read>(
    xml: &mut XmlReader<R>,
    e: &BytesStart<'_>,
    budget: &mut Budget<'_>,
) -> Result<Option<OdsCell>, OpenError> {
    let mut value_set = false;
    let mut is_string = false;
    let mut is_error = false;
    let mut empty_string_value = false;
    let mut text: u64 = 0;
    let mut formula = false;
    for a in e.attributes().with_checks(false).flatten() {
        let len = a.value.len() as u64;
        match a.key.as_ref() {
            "office:value" | "office:boolean-value" if !value_set => value_set = true,
            "office:string-value" | "office:date-value" | "office:time-value" if !value_set => {
                value_set = true;
                empty_string_value = a.key.as_ref() == "office:string-value" && len == 0;
                text = text.saturating_add(len);
            }
            "office:value-type" if !value_set => is_string = a.value.as_ref() == "string",
            "calcext:value-type" => is_error = a.value.as_ref() == "error",
            "table:formula" => {
                formula = len > 0;
                text = text.saturating_add(len);
            }
            _ => {}
        }
    }
    let reads_content = (!value_set && is_string) || (is_error && empty_string_value);
    if !reads_content {
        // calamine skips the content; an empty element ends here too.
        let end = e.name().as_ref().to_string();
        let mut skip = Vec::new();
        if xml.read_to_end_into(QName(&end), &mut skip).is_err() {
            return Ok(None);
        }
        return Ok(Some(OdsCell { empty: !value_set && !formula, text }));
    }
    // The content is the value: text, `text:s` spaces (any number of them),
    // tabs, line breaks, one newline between paragraphs; notes are skipped.
    let mut buf = Vec::with_capacity(256);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Text(t)) => text = text.saturating_add(t.len() as u64),
            Ok(Event::GeneralRef(_)) => text = text.saturating_add(4),
            Ok(Event::End(end))
                if end.name() == QName("table:table-cell") || end.name() == QName("table:covered-table-cell") =>
            {
                return Ok(Some(OdsCell { empty: false, text }));
            }
            Ok(Event::Start(s)) if s.name() == QName("office:annotation") => loop {
                buf.clear();
                match xml.read_event_into(&mut buf) {
                    Ok(Event::End(end)) if end.name() == QName("office:annotation") => break,
                    // calamine spins for ever on a note left open.
                    Ok(Event::Eof) => return Err(unclosed("office:annotation")),
                    Err(_) => return Ok(None),
                    Ok(_) => {}
                }
            },
            Ok(Event::Start(s)) if s.name() == QName("text:s") => {
                let Some(count) = attr(&s, "text:c").map_or(Some(1u64), |v| v.parse().ok()) else {
                    return Ok(None);
                };
                text = text.saturating_add(count);
                // One cell can already be too much.
                if text > budget.limits.max_text_bytes() {
                    budget.text(text)?;
                }
            }
            Ok(Event::Start(_)) => text = text.saturating_add(1),
            Ok(Event::Eof) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------
// .xls
// ---------------------------------------------------------------------------

/// One BIFF record and the `CONTINUE` records after it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Records as calamine's `RecordIter` cuts them; stops where it would fail.
fn records(mut stream: &[u8]) -> impl Iterator<Item = Result<Record<'_>, OpenError>> {
    std::iter::from_fn(move || {
        if stream.len() < 4 {
            return if stream.is_empty() { None } else { Some(Err(corrupt("bản ghi .xls bị cắt cụt"))) };
        }
        let typ = u16_at(stream, 0)?;
        let len = usize::from(u16_at(stream, 2)?);
        if stream.len() < len + 4 {
            stream = &[];
            return Some(Err(corrupt("bản ghi .xls bị cắt cụt")));
        }
        let (data, next) = stream.split_at(len + 4);
        stream = next;
        let mut cont = Vec::new();
        while stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
            let len = usize::from(u16_at(stream, 2)?);
            if stream.len() < len + 4 {
                stream = &[];
                return Some(Err(corrupt("bản ghi .xls bị cắt cụt")));
            }
            cont.push(&stream[4..len + 4]);
            stream = &stream[len + 4..];
            if cont.len() > MAX_CONTINUES {
                stream = &[];
                return Some(Err(corrupt("bản ghi .xls có quá nhiều phần nối tiếp (CONTINUE)")));
            }
        }
        Some(Ok(Record { typ, data: &data[4..], cont }))
    })
}

/// The workbook stream of an `.xls` (its OLE container read by the cfb
/// crate), empty when there is none (calamine then says so).
pub(crate) fn xls_stream(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, OpenError> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| corrupt(format!("OLE: {e}")))?;
    let Some(path) = ["Workbook", "Book"].into_iter().find(|p| cfb.is_stream(p)) else { return Ok(Vec::new()) };
    let stream_len = cfb.entry(path).map_or(0, |e| e.len());
    if stream_len > limits.max_file_bytes() {
        return Err(too_large(format!(
            "luồng dữ liệu .xls khai {} MB, vượt giới hạn {} MB",
            stream_len / 1_048_576,
            limits.max_file_mb
        )));
    }
    let mut stream = Vec::new();
    cfb.open_stream(path)
        .and_then(|s| s.take(limits.max_file_bytes()).read_to_end(&mut stream))
        .map_err(|e| corrupt(format!("OLE: {e}")))?;
    Ok(stream)
}

/// Checks an `.xls` workbook stream (BIFF records) before calamine opens it:
/// calamine reads every sheet at once, reserves what each `DIMENSIONS`
/// record declares, builds each sheet as a dense range of values and one of
/// formulas, and copies a shared string into every cell that uses it.
pub(crate) fn xls(stream: &[u8], limits: &Limits) -> Result<(), OpenError> {
    let mut budget = Budget::new(limits);

    // Workbook globals: sheet positions, shared strings, names' lengths.
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst: Vec<u64> = Vec::new();
    let mut longest_name: u64 = 31;
    for record in records(stream) {
        let r = record?;
        match r.typ {
            0x0085 => {
                let pos = u32_at(r.data, 0).ok_or_else(|| corrupt("bản ghi trang tính .xls quá ngắn"))?;
                let cch = u64::from(r.data.get(6).copied().unwrap_or(0));
                longest_name = longest_name.max(cch);
                let name = String::from_utf8_lossy(r.data.get(8..).unwrap_or(&[])).chars().take(40).collect();
                sheets.push((pos as usize, name));
            }
            0x0018 => longest_name = longest_name.max(u64::from(r.data.get(3).copied().unwrap_or(0))),
            0x00FC => sst = sst_lengths(&r, limits)?,
            0x000A => break,
            _ => {}
        }
    }
    // A formula's text: each token is at least 3 bytes and writes at most a
    // name (sheet or defined name) and a reference.
    let formula_bytes_per_byte = (longest_name * UTF8_PER_CHAR + 24).div_ceil(3);

    for (pos, name) in &sheets {
        let Some(sheet_stream) = stream.get(*pos..) else {
            return Err(corrupt(format!("trang \"{name}\" trỏ ra ngoài luồng dữ liệu .xls")));
        };
        xls_sheet(sheet_stream, name, &sst, formula_bytes_per_byte, &mut budget)?;
    }
    Ok(())
}

/// Extent of a sheet's cells, as `Range::from_sparse` will size it.
#[derive(Default)]
struct Extent(Option<(u32, u32, u32, u32)>);

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn area(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1))
    }
}

fn xls_sheet(
    stream: &[u8],
    name: &str,
    sst: &[u64],
    formula_bytes_per_byte: u64,
    budget: &mut Budget<'_>,
) -> Result<(), OpenError> {
    let mut values = Extent::default();
    let mut formulas = Extent::default();
    let mut formula_pos: (u32, u32) = (0, 0);
    let mut seen_bof = false;
    let mut depth = 0usize;
    let short = || corrupt(format!("bản ghi ô trong trang \"{name}\" quá ngắn"));
    for record in records(stream) {
        let r = record?;
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let d = r.data;
        let mut cell = |row: u32, col: u32, text: u64, budget: &mut Budget<'_>| -> Result<(), OpenError> {
            budget.position(name, u64::from(row), u64::from(col))?;
            budget.cells(1)?;
            budget.text(text)?;
            values.add(row, col);
            Ok(())
        };
        match r.typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x0200 => {
                // calamine reserves rows × columns as declared (u32 rows in BIFF8).
                let (rf, rl, mut cf, cl) = match d.len() {
                    10 => (
                        u32::from(u16_at(d, 0).ok_or_else(short)?),
                        u32::from(u16_at(d, 2).ok_or_else(short)?),
                        u32::from(u16_at(d, 4).ok_or_else(short)?),
                        u32::from(u16_at(d, 6).ok_or_else(short)?),
                    ),
                    14 | 16 => (
                        u32_at(d, 0).ok_or_else(short)?,
                        u32_at(d, 4).ok_or_else(short)?,
                        u32::from(u16_at(d, 8).ok_or_else(short)?),
                        u32::from(u16_at(d, 10).ok_or_else(short)?),
                    ),
                    _ => continue,
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                let (start, end) = if rl >= 1 && cl >= 1 { ((rf, cf), (rl - 1, cl - 1)) } else { ((rf, cf), (rf, cf)) };
                if end.0 < start.0 || end.1 < start.1 {
                    return Err(corrupt(format!("trang \"{name}\" khai kích thước ngược (DIMENSIONS)")));
                }
                let declared = u64::from(end.0 - start.0 + 1) * u64::from(end.1 - start.1 + 1);
                // An .xls sheet has at most 65,536 × 256 cells.
                if declared > 65_536 * 256 {
                    return Err(too_large(format!(
                        "trang \"{name}\" khai {} ô (DIMENSIONS), vượt kích thước tối đa của một trang .xls",
                        count(declared)
                    )));
                }
            }
            0x0203 | 0x0205 | 0x027E => {
                cell(
                    u32::from(u16_at(d, 0).ok_or_else(short)?),
                    u32::from(u16_at(d, 2).ok_or_else(short)?),
                    0,
                    budget,
                )?;
            }
            0x0204 | 0x00D6 => {
                let cch = u64::from(u16_at(d, 6).unwrap_or(0));
                cell(
                    u32::from(u16_at(d, 0).ok_or_else(short)?),
                    u32::from(u16_at(d, 2).ok_or_else(short)?),
                    cch * UTF8_PER_CHAR,
                    budget,
                )?;
            }
            0x0207 => {
                let cch = u64::from(u16_at(d, 0).unwrap_or(0));
                cell(formula_pos.0, formula_pos.1, cch * UTF8_PER_CHAR, budget)?;
            }
            0x00FD => {
                if d.len() < 10 {
                    return Err(short());
                }
                let i = u32_at(d, 6).ok_or_else(short)? as usize;
                if let Some(&len) = sst.get(i) {
                    cell(
                        u32::from(u16_at(d, 0).ok_or_else(short)?),
                        u32::from(u16_at(d, 2).ok_or_else(short)?),
                        len,
                        budget,
                    )?;
                }
            }
            0x00BD => {
                if d.len() < 6 {
                    return Err(short());
                }
                let row = u32::from(u16_at(d, 0).ok_or_else(short)?);
                let first = u16_at(d, 2).ok_or_else(short)?;
                let last = u16_at(d, d.len() - 2).ok_or_else(short)?;
                if last < first || d.len() != 6 + 6 * (usize::from(last - first) + 1) {
                    return Err(corrupt(format!("bản ghi MULRK hỏng trong trang \"{name}\"")));
                }
                for col in u32::from(first)..=u32::from(last) {
                    cell(row, col, 0, budget)?;
                }
            }
            0x0006 => {
                if d.len() < 20 {
                    return Err(short());
                }
                let (row, col) =
                    (u32::from(u16_at(d, 0).ok_or_else(short)?), u32::from(u16_at(d, 2).ok_or_else(short)?));
                formula_pos = (row, col);
                cell(row, col, 0, budget)?;
                budget.cells(1)?;
                budget.text((d.len() as u64 - 20).saturating_mul(formula_bytes_per_byte))?;
                formulas.add(row, col);
            }
            0x000A => break,
            _ => {}
        }
    }
    budget.cells(values.area())?;
    budget.cells(formulas.area())
}

/// The length in UTF-8 bytes (at most) of each shared string, read as
/// calamine's `parse_sst` reads them.
fn sst_lengths(r: &Record<'_>, limits: &Limits) -> Result<Vec<u64>, OpenError> {
    let bad = || corrupt("bảng chuỗi dùng chung (SST) của tệp .xls bị hỏng");
    let mut data = r.data.get(8..).ok_or_else(bad)?;
    let mut cont = r.cont.iter();
    let mut out = Vec::new();
    loop {
        if data.is_empty() {
            match cont.next() {
                Some(next) => data = next,
                None => break,
            }
        }
        if data.is_empty() {
            out.push(0);
            continue;
        }
        if data.len() < 3 {
            return Err(bad());
        }
        let cch = usize::from(u16_at(data, 0).ok_or_else(bad)?);
        let flags = data[2];
        data = &data[3..];
        let mut high = flags & 0x1 != 0;
        let mut skip: usize = 0;
        if flags & 0x8 != 0 {
            skip += usize::from(u16_at(data, 0).ok_or_else(bad)?) * 4;
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            skip = skip.saturating_add(u32_at(data, 0).ok_or_else(bad)? as usize);
            data = &data[4..];
        }
        let mut left = cch;
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let take = left.min(data.len() / width);
            data = &data[take * width..];
            left -= take;
            if left > 0 {
                let next = cont.next().ok_or_else(bad)?;
                let (&flag, rest) = next.split_first().ok_or_else(bad)?;
                high = flag & 0x1 != 0;
                data = rest;
            }
        }
        while skip > 0 {
            if data.is_empty() {
                data = cont.next().ok_or_else(bad)?;
                continue;
            }
            let n = skip.min(data.len());
            data = &data[n..];
            skip -= n;
        }
        out.push(cch as u64 * UTF8_PER_CHAR);
        if out.len() as u64 > limits.max_shared_strings {
            return Err(too_large(format!(
                "bảng chuỗi dùng chung vượt giới hạn {} mục",
                count(limits.max_shared_strings)
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::read::open::open;

    fn ods(content: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(b"<manifest:manifest xmlns:manifest=\"m\"/>").unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    const HEAD: &str =
        r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>"#;

    fn refused(bytes: Vec<u8>) -> String {
        match open(bytes, &Limits::default()) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("opened"),
        }
    }

    #[test]
    fn an_ods_table_left_open_is_refused_not_read_for_ever() {
        // calamine's read_table loops on end of file: this would never return.
        let e = refused(ods(&format!(r#"{HEAD}<table:table table:name="Vốn"><table:table-row></table:table-row>"#)));
        assert!(e.contains("table:table"), "{e}");
    }

    #[test]
    fn an_ods_note_left_open_is_refused_not_read_for_ever() {
        let e = refused(ods(&format!(
            r#"{HEAD}<table:table table:name="Vốn"><table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>x"#
        )));
        assert!(e.contains("office:annotation"), "{e}");
    }

    #[test]
    fn ods_repeats_are_counted_as_calamine_builds_them() {
        let limits = Limits { max_cells: 800, ..Limits::default() };
        // One row element of 20 cells repeated 20 times: 20 cells as read,
        // then 20 × 20 dense, twice (values and formulas): 820 > 800.
        let row = r#"<table:table-row table:number-rows-repeated="20"><table:table-cell table:number-columns-repeated="20" office:value-type="float" office:value="1"/></table:table-row>"#;
        let bytes = ods(&format!(
            r#"{HEAD}<table:table table:name="A">{row}</table:table></office:spreadsheet></office:body></office:document-content>"#
        ));
        assert!(matches!(open(bytes.clone(), &limits), Err(OpenError::TooLarge(_))));
        let limits = Limits { max_cells: 820, ..Limits::default() };
        let r = open(bytes, &limits);
        assert!(r.is_ok(), "{:?}", r.err());
    }

    #[test]
    fn trailing_empty_repeats_cost_nothing() {
        // LibreOffice ends rows and sheets with huge empty repeats.
        let content = format!(
            r#"{HEAD}<table:table table:name="A"><table:table-row><table:table-cell office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let r = open(ods(&content), &Limits::default());
        assert!(r.is_ok(), "{:?}", r.err());
    }

    #[test]
    fn sst_lengths_follow_continue_records() {
        // Two strings, the second split across a CONTINUE record.
        let mut data = vec![0u8; 8];
        data.extend([2, 0, 0, b'a', b'b']);
        data.extend([3, 0, 0, b'c']);
        let cont: &[u8] = &[0, b'd', b'e'];
        let r = Record { typ: 0x00FC, data: &data, cont: vec![cont] };
        assert_eq!(sst_lengths(&r, &Limits::default()).unwrap(), vec![2 * UTF8_PER_CHAR, 3 * UTF8_PER_CHAR]);
    }
}
